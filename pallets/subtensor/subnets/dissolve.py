"""Dissolving a subnet (subtensor's `do_dissolve_network` and `remove_network` in
`coinbase/root.rs`, `destroy_alpha_in_out_stakes` in `staking/remove_stake.rs`,
`finalize_all_subnet_root_dividends` in `staking/claim_root.rs`): root claims on the subnet are
dropped, the stakers' alpha is turned into the subnet's TAO (`SubnetTAO`) pro rata by alpha
value (largest remainder), a legacy subnet's owner gets the lock back less the TAO value of
the owner cut of the alpha issued, and every per-subnet item is removed.

Spec 381's rules (its storage), with main's TAO movements, since TAO lives where main keeps it
(the lock and the pool's TAO are in the subnet account, `subnets.logic`): the payouts and the
refund are transfers out of the subnet account (a failed payout does not fail the dissolve),
and what stays there above the existential deposit is recycled. Spec 381 minted the payouts
instead, its lock having been withdrawn from issuance at registration.

Before the subnet's items are removed, the Swap pallet forgets the subnet's pool
(`clear_protocol_liquidity`) and the Commitments pallet its commitments (`purge_netuid`), as
the real `do_dissolve_network` does.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DispatchError, RuntimePanic, ensure
from pysubtensor.pallets.support.tokens import Fortitude, Precision, Preservation
from pysubtensor.primitives.fixed import U64F64, U96F32

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..staking.accounting import get_alpha_share_pool
from ..staking.lock import destroy_lock_maps
from ..utils.neuron_lookup import get_mechanism_storage_index, if_subnet_exist
from .logic import subnet_account_id

__all__ = ["destroy_alpha_in_out_stakes", "do_dissolve_network", "remove_network"]

S = pallet.Storage
ROOT = 0
_U16_MAX = 0xFFFF
_U64_MAX = (1 << 64) - 1


def do_dissolve_network(netuid: int) -> None:
    ensure(if_subnet_exist(netuid) and netuid != ROOT, Error.SubnetNotExists)
    finalize_all_subnet_root_dividends(netuid)
    destroy_alpha_in_out_stakes(netuid)
    config = pallet.config
    if config.swap is not None:
        config.swap.clear_protocol_liquidity(netuid)
    if config.purge_commitments is not None:
        config.purge_commitments(netuid)
    remove_network(netuid)
    pallet.deposit_event(Event.NetworkRemoved(netuid))


def finalize_all_subnet_root_dividends(netuid: int) -> None:
    for hotkey in list(S.RootClaimable.iter_keys()):
        S.RootClaimable.mutate(hotkey, lambda claimable: {n: v for n, v in claimable.items() if n != netuid})
    S.RootClaimed.clear_prefix(netuid)


# -- TAO (coinbase/tao.rs on main)

def _transfer_tao(source: bytes, dest: bytes, amount: int) -> None:
    """`transfer_tao`: allow-death transfer of at most the reducible balance; dust lost by the
    source lowers SubtensorModule's `TotalIssuance` too."""
    currency = pallet.config.currency
    ensure(amount <= currency.reducible_balance(source, Preservation.EXPENDABLE, Fortitude.POLITE),
           Error.InsufficientBalance)
    before = currency.total_issuance()
    currency.transfer(source, dest, amount, Preservation.EXPENDABLE)
    burned = before - currency.total_issuance()
    if burned > 0:
        S.TotalIssuance.put(max(S.TotalIssuance.get() - burned, 0))


def _recycle_tao(account: bytes, amount: int) -> None:
    """`recycle_tao(account, amount)`: burn from `account` (kept alive) out of both issuances."""
    currency = pallet.config.currency
    ensure(amount <= currency.reducible_balance(account, Preservation.PRESERVE, Fortitude.POLITE),
           Error.InsufficientBalance)
    S.TotalIssuance.put(max(S.TotalIssuance.get() - amount, 0))
    try:
        credit = currency.withdraw(account, amount, Precision.EXACT, Preservation.EXPENDABLE, Fortitude.FORCE)
    except DispatchError as exc:
        raise Error.BalanceWithdrawalError() from exc
    credit.drop()


def _owner_emission_tao(netuid: int) -> int:
    """The TAO value, at the current price, of the owner cut of all alpha issued on `netuid`."""
    issued = min(S.SubnetAlphaIn.get(netuid) + S.SubnetAlphaOut.get(netuid), _U64_MAX)
    if issued == 0:
        return 0
    owner_fraction = U96F32.safe_div(U96F32.saturating_from_num(S.SubnetOwnerCut.get()),
                                     U96F32.saturating_from_num(_U16_MAX))
    owner_alpha = U96F32.saturating_to_num(U96F32.floor(U96F32.saturating_mul(U96F32.from_num(issued), owner_fraction)))
    if owner_alpha == 0:
        return 0
    swap = pallet.config.swap
    if swap is None:
        raise RuntimePanic("the owner's lock refund needs the subnet's price: the Swap pallet is not composed")
    price = U96F32.saturating_from_fixed(U64F64, swap.current_alpha_price(netuid))
    return U96F32.saturating_to_num(U96F32.floor(U96F32.saturating_mul(U96F32.from_num(owner_alpha), price)))


def destroy_alpha_in_out_stakes(netuid: int) -> None:
    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    owner = S.SubnetOwner.get(netuid)
    lock_cost = S.SubnetLocked.get(netuid)
    should_refund_owner = S.NetworkRegisteredAt.get(netuid) < S.NetworkRegistrationStartBlock.get()
    owner_emission_tao = _owner_emission_tao(netuid) if should_refund_owner and lock_cost else 0

    # Every stake on the subnet, valued through its hotkey's pool (the raw share where the
    # pool is empty).
    hotkeys = [hot for hot, n in S.TotalHotkeyAlpha.iter_keys() if n == netuid]
    keys_to_remove: list[tuple[bytes, bytes]] = []
    stakers: list[tuple[bytes, int]] = []
    total_value = 0
    for hot in hotkeys:
        pool = get_alpha_share_pool(hot, netuid)
        for (cold, this_netuid), share in list(S.Alpha.iter_prefix(hot)):
            if this_netuid != netuid:
                continue
            keys_to_remove.append((hot, cold))
            value = pool.try_get_value(cold) or 0
            if value == 0:
                value = U64F64.saturating_to_num(share)
            if value > 0:
                total_value += value
                stakers.append((cold, value))

    pot = S.SubnetTAO.get(netuid)
    if pot > 0:
        S.SubnetTAO.remove(netuid)
        S.TotalStake.mutate(lambda total: max(total - pot, 0))

    account = subnet_account_id(netuid)
    if pot > 0 and total_value > 0 and stakers:
        portions = []
        distributed = 0
        for index, (cold, value) in enumerate(stakers):
            share, rem = divmod(pot * value, total_value)
            share = min(share, _U64_MAX)
            distributed += share
            portions.append([cold, share, rem, index])
        leftover = pot - distributed
        if leftover > 0:
            # Largest remainders first; equal remainders keep their order (a stable sort).
            ranked = sorted(portions, key=lambda p: -p[2])
            for p in ranked[:min(leftover, len(ranked))]:
                p[1] += 1
        for cold, share, _rem, _index in portions:
            if share > 0:
                try:
                    _transfer_tao(account, cold, share)
                except DispatchError:
                    pass  # a payout that cannot be made does not stop the dissolve

    for hot, cold in keys_to_remove:
        S.Alpha.remove(hot, cold, netuid)
    for hot in hotkeys:
        S.TotalHotkeyAlpha.remove(hot, netuid)
        S.TotalHotkeyShares.remove(hot, netuid)
    S.SubnetAlphaIn.remove(netuid)
    S.SubnetAlphaOut.remove(netuid)
    S.SubnetLocked.insert(netuid, 0)

    refund = max(lock_cost - owner_emission_tao, 0) if should_refund_owner else 0
    currency = pallet.config.currency
    if refund > 0:
        transferable = currency.reducible_balance(account, Preservation.EXPENDABLE, Fortitude.POLITE)
        try:
            _transfer_tao(account, owner, min(refund, transferable))
        except DispatchError:
            pass  # best effort, as on main

    remaining = currency.reducible_balance(account, Preservation.PRESERVE, Fortitude.POLITE)
    try:
        _recycle_tao(account, remaining)
    except DispatchError:
        pass
    else:
        S.RAORecycledForRegistration.insert(netuid, remaining)  # removed with the subnet below
    destroy_lock_maps(netuid)  # main's step 10: the subnet's stake locks


#: Items keyed by netuid alone, removed with the subnet (remove_network's steps 9 to 18).
_PER_NETUID = (
    "Rank", "Trust", "Active", "Emission", "Consensus", "Dividends", "PruningScores", "ValidatorPermit",
    "ValidatorTrust", "Tempo", "Kappa", "Difficulty", "MaxAllowedUids", "ImmunityPeriod", "ActivityCutoff",
    "MinAllowedWeights", "RegistrationsThisInterval", "POWRegistrationsThisInterval",
    "BurnRegistrationsThisInterval", "SubnetAlphaInEmission", "SubnetAlphaOutEmission", "SubnetTaoInEmission",
    "SubnetVolume", "SubnetMovingPrice", "SubnetTaoFlow", "SubnetEmaTaoFlow", "TokenSymbol", "SubnetMechanism",
    "SubnetOwnerHotkey", "NetworkRegistrationAllowed", "NetworkPowRegistrationAllowed", "TransferToggle",
    "SubnetLocked", "LargestLocked", "FirstEmissionBlockNumber", "PendingValidatorEmission",
    "PendingServerEmission", "PendingRootAlphaDivs", "PendingOwnerCut", "BlocksSinceLastStep",
    "LastMechansimStepBlock", "LastAdjustmentBlock", "ServingRateLimit", "Rho", "AlphaSigmoidSteepness",
    "MaxAllowedValidators", "AdjustmentInterval", "BondsMovingAverage", "BondsPenalty", "BondsResetOn",
    "WeightsSetRateLimit", "ValidatorPruneLen", "ScalingLawPower", "TargetRegistrationsPerInterval",
    "AdjustmentAlpha", "CommitRevealWeightsEnabled", "Burn", "MinBurn", "MaxBurn", "MinDifficulty",
    "MaxDifficulty", "RegistrationsThisBlock", "EMAPriceHalvingBlocks", "RAORecycledForRegistration",
    "MaxRegistrationsPerBlock", "WeightsVersionKey", "LiquidAlphaOn", "Yuma3On", "AlphaValues", "SubtokenEnabled",
    "ImmuneOwnerUidsLimit", "StakeWeight", "LoadedEmission",
)
#: Double maps whose first key is the netuid (step 19).
_NETUID_PREFIXED = ("BlockAtRegistration", "Axons", "NeuronCertificates", "Prometheus", "AlphaDividendsPerSubnet",
                    "PendingChildKeys", "AssociatedEvmAddress")
#: Per mechanism storage index (step 19).
_PER_MECHANISM = ("LastUpdate", "Incentive")
_MECHANISM_PREFIXED = ("WeightCommits", "TimelockedWeightCommits", "CRV3WeightCommits", "CRV3WeightCommitsV2",
                       "Bonds", "Weights")
#: (hotkey, netuid) double maps (step 21).
_HOTKEY_NETUID = ("ChildkeyTake", "ChildKeys", "ParentKeys", "LastHotkeyEmissionOnNetuid", "TotalHotkeyAlphaLastEpoch")


def remove_network(netuid: int) -> None:
    S.SubnetOwner.remove(netuid)
    S.SubnetworkN.remove(netuid)
    S.NetworksAdded.remove(netuid)
    S.TotalNetworks.mutate(lambda n: max(n - 1, 0))
    S.NetworkRegisteredAt.remove(netuid)

    S.Uids.clear_prefix(netuid)
    keys = list(S.Keys.iter_prefix(netuid))
    S.Keys.clear_prefix(netuid)

    # Root weights pointing at the subnet are zeroed (every row is written back).
    for uid, weights in list(S.Weights.iter_prefix(ROOT)):
        S.Weights.insert(ROOT, uid, [(target, 0 if target == netuid else w) for target, w in weights])

    for name in _PER_NETUID[:9]:
        getattr(S, name).remove(netuid)
    for _uid, hotkey in keys:
        S.IsNetworkMember.remove(hotkey, netuid)
    for name in _PER_NETUID[9:]:
        getattr(S, name).remove(netuid)

    for name in _NETUID_PREFIXED:
        getattr(S, name).clear_prefix(netuid)
    for mecid in range(S.MechanismCountCurrent.get(netuid)):
        index = get_mechanism_storage_index(netuid, mecid)
        for name in _PER_MECHANISM:
            getattr(S, name).remove(index)
        for name in _MECHANISM_PREFIXED:
            getattr(S, name).clear_prefix(index)
    S.RevealPeriodEpochs.remove(netuid)
    S.MechanismCountCurrent.remove(netuid)
    S.MechanismEmissionSplit.remove(netuid)
    S.LastHotkeySwapOnNetuid.clear_prefix(netuid)

    if S.SubnetIdentitiesV3.contains_key(netuid):
        S.SubnetIdentitiesV3.remove(netuid)
        pallet.deposit_event(Event.SubnetIdentityRemoved(netuid))

    for name in _HOTKEY_NETUID:
        item = getattr(S, name)
        for hotkey in [hot for hot, n in item.iter_keys() if n == netuid]:
            item.remove(hotkey, netuid)
    for hotkey, n, name in list(S.TransactionKeyLastBlock.iter_keys()):
        if n == netuid:
            S.TransactionKeyLastBlock.remove(hotkey, netuid, name)
    for hotkey, coldkey, n in list(S.StakingOperationRateLimiter.iter_keys()):
        if n == netuid:
            S.StakingOperationRateLimiter.remove(hotkey, coldkey, netuid)

    lease_id = S.SubnetUidToLeaseId.take(netuid)
    if lease_id is not None:
        S.SubnetLeases.remove(lease_id)
        S.SubnetLeaseShares.clear_prefix(lease_id)
        S.AccumulatedLeaseDividends.remove(lease_id)
    destroy_lock_maps(netuid)  # main's step 23 (locks, newer than 381: staking/lock.py)
