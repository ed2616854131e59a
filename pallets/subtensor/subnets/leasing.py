"""Subnet leases (subtensor's `subnets/leasing.rs`, spec 381).

A crowdloan whose call is `register_leased_network` funds a subnet: when its creator finalizes
it, the Crowdloan pallet dispatches the call as the creator with `CurrentCrowdloanId` set. The
raised TAO moves to a lease coldkey derived from the lease id, which registers the subnet
(lock cost) with a lease hotkey; the creator (the beneficiary) operates it through a
`SubnetLeaseBeneficiary` proxy of the lease coldkey (the proxy deposit is reserved from the
lease coldkey, so it is part of the lease's cost). What is left of the raised TAO is refunded:
each contributor their share (floored), the beneficiary the rest. Contributors' shares
(`SubnetLeaseShares`) are their contributions over the amount raised, the beneficiary's own
contribution excluded: the beneficiary's share is what remains when dividends are paid.

`distribute_leased_network_dividends` is the coinbase's hook: `distribute_dividends_and_incentives`
calls it with the owner cut it staked at each epoch of a leased subnet. `terminate_lease` hands the subnet to the beneficiary after the lease's end block.
"""

from __future__ import annotations

from pysubtensor.pallets import crowdloan, system
from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    DispatchError,
    Origin,
    PostDispatchInfo,
    Weight,
    ensure,
    ensure_signed,
)
from pysubtensor.pallets.support.tokens import Preservation
from pysubtensor.primitives.externalities import current as current_externalities
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.per_things import PERCENT
from pysubtensor.primitives.scale import STR, U32, Tuple

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..staking.stake_utils import coldkey_owns_hotkey, transfer_stake_within_subnet
from ..types import SubnetLease
from .logic import do_register_network

__all__ = [
    "distribute_leased_network_dividends", "do_register_leased_network", "do_terminate_lease", "lease_coldkey",
    "lease_hotkey", "max_contributors", "register_leased_network_weight", "terminate_lease_weight",
]

S = pallet.Storage
_U32_MAX = (1 << 32) - 1
#: `ProxyType::SubnetLeaseBeneficiary`, with no delay.
LEASE_PROXY_TYPE = "SubnetLeaseBeneficiary"
_SEED = Tuple(STR, U32)


def _lease_account(kind: str, lease_id: int) -> bytes:
    """`("leasing/<kind>", lease_id).using_encoded(blake2_256)`, decoded as an AccountId32
    (the 32 hash bytes as they are)."""
    return blake2_256(_SEED.encode((f"leasing/{kind}", lease_id)))


def lease_coldkey(lease_id: int) -> bytes:
    return _lease_account("coldkey", lease_id)


def lease_hotkey(lease_id: int) -> bytes:
    return _lease_account("hotkey", lease_id)


def register_leased_network_weight(k: int) -> Weight:
    """`SubnetLeasingWeightInfo::do_register_leased_network(k)` for k contributors."""
    return Weight(301_560_714 + 26_884_006 * k, 10079 + 2579 * k) \
        + ROCKS_DB_WEIGHT.reads_writes(41 + 2 * k, 55 + 2 * k)


def terminate_lease_weight(k: int) -> Weight:
    """`SubnetLeasingWeightInfo::do_terminate_lease(k)` for k shareholders removed."""
    return Weight(56_635_122 + 912_993 * k, 6148 + 2529 * k) + ROCKS_DB_WEIGHT.reads_writes(4 + k, 6 + k)


def max_contributors() -> int:
    return crowdloan.pallet.config.max_contributors


def _crowdloan_being_finalized() -> tuple[int, crowdloan.CrowdloanInfo]:
    crowdloan_id = crowdloan.CurrentCrowdloanId.get()
    if crowdloan_id is None:
        raise crowdloan.Error.InvalidCrowdloanId()
    info = crowdloan.Crowdloans.get(crowdloan_id)
    if info is None:
        raise crowdloan.Error.InvalidCrowdloanId()
    return crowdloan_id, info


def _next_lease_id() -> int:
    lease_id = S.NextSubnetLeaseId.get()
    ensure(lease_id < _U32_MAX, Error.Overflow)
    S.NextSubnetLeaseId.put(lease_id + 1)
    return lease_id


def _proxies():
    proxies = pallet.config.proxy
    if proxies is None:
        raise DispatchError("Other", "no ProxyInterface is composed")
    return proxies


def do_register_leased_network(origin: Origin, emissions_share: int, end_block: int | None) -> PostDispatchInfo:
    who = ensure_signed(origin)
    now = system.block_number()
    crowdloan_id, loan = _crowdloan_being_finalized()
    ensure(who == loan.creator, Error.InvalidLeaseBeneficiary)
    if end_block is not None:
        ensure(end_block > now, Error.LeaseCannotEndInThePast)

    lease_id = _next_lease_id()
    coldkey, hotkey = lease_coldkey(lease_id), lease_hotkey(lease_id)
    system.inc_providers(coldkey)
    system.inc_providers(hotkey)

    currency = pallet.config.currency
    currency.transfer(loan.funds_account, coldkey, loan.raised, Preservation.EXPENDABLE)
    do_register_network(Origin.signed(coldkey), hotkey, 1, None)
    netuid = next((n for n, owner in S.SubnetOwner.iter() if owner == coldkey), None)
    ensure(netuid is not None, Error.LeaseNetuidNotFound)
    _proxies().add_lease_beneficiary_proxy(coldkey, who)

    leftover_cap = currency.balance(coldkey)
    cost = max(loan.raised - leftover_cap, 0)
    S.SubnetLeases.insert(lease_id, SubnetLease(beneficiary=who, coldkey=coldkey, hotkey=hotkey,
                                                emissions_share=emissions_share, end_block=end_block,
                                                netuid=netuid, cost=cost))
    S.SubnetUidToLeaseId.insert(netuid, lease_id)
    # A 0% take: contributors get their dividends whole.
    S.Delegates.insert(hotkey, 0)

    refunded = 0
    for contributor, amount in list(crowdloan.Contributions.iter_prefix(crowdloan_id)):
        if contributor == who:
            continue  # the beneficiary's share is what is left when dividends are paid
        share = U64F64.saturating_div(U64F64.from_num(amount), U64F64.from_num(loan.raised))
        S.SubnetLeaseShares.insert(lease_id, contributor, share)
        refund = U64F64.saturating_to_num(U64F64.floor(U64F64.saturating_mul(share, U64F64.from_num(leftover_cap))))
        currency.transfer(coldkey, contributor, refund, Preservation.EXPENDABLE)
        refunded += refund
    currency.transfer(coldkey, who, max(leftover_cap - refunded, 0), Preservation.EXPENDABLE)

    pallet.deposit_event(Event.SubnetLeaseCreated(beneficiary=who, lease_id=lease_id, netuid=netuid,
                                                  end_block=end_block))
    if loan.contributors_count < max_contributors():
        return PostDispatchInfo(actual_weight=register_leased_network_weight(loan.contributors_count))
    return PostDispatchInfo()


def do_terminate_lease(origin: Origin, lease_id: int, hotkey: bytes) -> PostDispatchInfo:
    who = ensure_signed(origin)
    now = system.block_number()
    lease = S.SubnetLeases.get(lease_id)
    ensure(lease is not None, Error.LeaseDoesNotExist)
    ensure(lease.beneficiary == who, Error.ExpectedBeneficiaryOrigin)
    ensure(lease.end_block is not None, Error.LeaseHasNoEndBlock)
    ensure(now >= lease.end_block, Error.LeaseHasNotEnded)

    ensure(coldkey_owns_hotkey(lease.beneficiary, hotkey), Error.BeneficiaryDoesNotOwnHotkey)
    S.SubnetOwner.insert(lease.netuid, lease.beneficiary)
    S.SubnetOwnerHotkey.insert(lease.netuid, hotkey)  # `set_subnet_owner_hotkey`

    # `.defensive()`: a failure is logged, not raised.
    for account in (lease.coldkey, lease.hotkey):
        try:
            system.dec_providers(account)
        except DispatchError:
            pass

    cleared = S.SubnetLeaseShares.clear_prefix(lease_id, limit=max_contributors())
    S.AccumulatedLeaseDividends.remove(lease_id)
    S.SubnetLeases.remove(lease_id)
    _proxies().remove_lease_beneficiary_proxy(lease.coldkey, lease.beneficiary)

    pallet.deposit_event(Event.SubnetLeaseTerminated(beneficiary=lease.beneficiary, netuid=lease.netuid))
    if cleared.unique < max_contributors():
        return PostDispatchInfo(actual_weight=terminate_lease_weight(cleared.unique))
    return PostDispatchInfo()


def distribute_leased_network_dividends(lease_id: int, owner_cut_alpha: int) -> None:
    """Split the owner's cut of a leased subnet: `emissions_share` of it (rounded up) is
    accumulated, and every `LeaseDividendsDistributionInterval` blocks paid out as stake on the
    lease hotkey, each contributor their share (rounded up), the beneficiary the rest. A payout
    that cannot be made (stake too low, not enough alpha) leaves everything accumulated."""
    lease = S.SubnetLeases.get(lease_id)
    if lease is None:
        return
    now = system.block_number()
    if lease.end_block is not None and lease.end_block <= now:
        return

    current_cut = PERCENT.mul_ceil(lease.emissions_share, owner_cut_alpha)
    total = min(S.AccumulatedLeaseDividends.get(lease_id) + current_cut, (1 << 64) - 1)
    interval = pallet.Constants.LeaseDividendsDistributionInterval
    if interval == 0 or now % interval > 0:
        S.AccumulatedLeaseDividends.insert(lease_id, total)
        return

    def distribute() -> None:
        distributed = 0
        for contributor, share in list(S.SubnetLeaseShares.iter_prefix(lease_id)):
            alpha = U64F64.saturating_to_num(U64F64.ceil(U64F64.saturating_mul(share, U64F64.from_num(total))))
            transfer_stake_within_subnet(lease.coldkey, lease.hotkey, contributor, lease.hotkey, lease.netuid, alpha)
            distributed += alpha
            pallet.deposit_event(Event.SubnetLeaseDividendsDistributed(lease_id=lease_id, contributor=contributor,
                                                                       alpha=alpha))
        beneficiary_cut = max(total - distributed, 0)
        transfer_stake_within_subnet(lease.coldkey, lease.hotkey, lease.beneficiary, lease.hotkey, lease.netuid,
                                     beneficiary_cut)
        pallet.deposit_event(Event.SubnetLeaseDividendsDistributed(lease_id=lease_id, contributor=lease.beneficiary,
                                                                   alpha=beneficiary_cut))
        S.AccumulatedLeaseDividends.insert(lease_id, 0)

    try:
        with current_externalities().transaction():  # `with_storage_layer`
            distribute()
    except DispatchError:
        S.AccumulatedLeaseDividends.insert(lease_id, total)
