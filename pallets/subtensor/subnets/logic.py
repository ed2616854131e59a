"""Subnet registration: lock cost, netuid allocation, the subnet account, new-network defaults
and `start_call` (Rust `subnets/subnet.rs`, `coinbase/root.rs`, `coinbase/tao.rs`).

Behaviour is spec 381's (its storage is the one we declare) with main's TAO accounting: the
lock moves by a real Balances transfer into the subnet account (main's `transfer_tao_to_subnet`)
instead of being withdrawn from issuance, and the pool holds the whole lock (main, reference §8.4).
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.subtensor.utils.admin import ensure_subnet_owner_or_root
from pysubtensor.pallets.subtensor.utils.neuron_lookup import if_subnet_exist
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin, RuntimePanic, ensure, ensure_signed
from pysubtensor.pallets.support.pallet_id import into_sub_account_truncating
from pysubtensor.pallets.support.tokens import Fortitude, Preservation
from pysubtensor.pallets.system.block import block_number
from pysubtensor.primitives.fixed import U64F64

from ..coinbase.block_emission import get_block_emission
from ..coinbase.schedule import initial_last_epoch_block
from ..constants import Constants
from ..errors import Error
from ..events import Event
from ..neurons import logic as neuron_logic
from ..pallet import pallet
from .symbols import DEFAULT_SYMBOL, SYMBOLS, symbol_for_subnet

__all__ = [
    "ROOT",
    "do_register_network",
    "do_start_call",
    "do_update_symbol",
    "get_block_emission",
    "get_median_subnet_alpha_price",
    "get_moving_alpha_price",
    "get_network_lock_cost",
    "get_network_to_prune",
    "get_next_netuid",
    "if_subnet_exist",
    "init_new_network",
    "subnet_account_id",
    "transfer_tao_to_subnet",
]

S = pallet.Storage
ROOT = 0
#: The pallet's `PalletId` (`T::SubtensorPalletId`).
PALLET_ID = b"subtensr"
#: `RateLimitKey::NetworkLastRegistered` (unit variant of `LastRateLimitedBlock`'s key).
NETWORK_LAST_REGISTERED = "NetworkLastRegistered"
#: 1.0 in `I64F64` / `U64F64` bits.
_ONE_64 = 1 << 64
_U64_MAX = (1 << 64) - 1


def subnet_account_id(netuid: int) -> bytes:
    """`PalletId(*b"subtensr").into_sub_account_truncating(netuid as u16)`."""
    return into_sub_account_truncating(PALLET_ID, netuid.to_bytes(2, "little"))


def transfer_tao_to_subnet(netuid: int, coldkey: bytes, amount: int) -> int:
    """Move `amount` from `coldkey` to the subnet account, keeping `coldkey` alive (capped at
    its reducible balance under `Preserve`); returns what moved."""
    if amount == 0:
        return 0
    # `get_subnet_account_id`: only for an existing subnet (or root).
    ensure(S.NetworksAdded.contains_key(netuid) or netuid == ROOT, Error.SubnetNotExists)
    currency = pallet.config.currency
    moved = min(amount, currency.reducible_balance(coldkey, Preservation.PRESERVE, Fortitude.POLITE))
    ensure(moved != 0, Error.InsufficientBalance)
    currency.transfer(coldkey, subnet_account_id(netuid), moved, Preservation.PRESERVE)
    return moved


def can_remove_balance_from_coldkey_account(coldkey: bytes, amount: int) -> bool:
    """`amount` is within the reducible balance (expendable) and a withdrawal would succeed."""
    currency = pallet.config.currency
    if amount > currency.reducible_balance(coldkey, Preservation.EXPENDABLE, Fortitude.POLITE):
        return False
    consequence, _ = currency.can_withdraw(coldkey, amount)
    return consequence in ("Success", "ReducedToZero")


def get_next_netuid() -> int:
    """The lowest netuid from 1 not in use (root, 0, is never allocated)."""
    used = set(S.NetworksAdded.iter_keys())
    netuid = 1
    while netuid in used:
        netuid += 1
    return netuid


def get_lock_reduction_interval() -> int:
    """`NetworkLockReductionInterval`, scaled by the block emission's halving (I64F64 arithmetic)."""
    halving = (get_block_emission() << 64) // 1_000_000_000
    return (S.NetworkLockReductionInterval.get() * halving) >> 64


def get_network_last_lock_block() -> int:
    return S.LastRateLimitedBlock.get(NETWORK_LAST_REGISTERED)


def get_network_lock_cost() -> int:
    """Twice the last lock (once a subnet was registered), less its linear decay over the
    reduction interval since then, and at least `NetworkMinLockCost`."""
    last_lock = S.NetworkLastLockCost.get()
    min_lock = S.NetworkMinLockCost.get()
    last_lock_block = get_network_last_lock_block()
    interval = get_lock_reduction_interval()
    mult = 1 if last_lock_block == 0 else 2
    decay_per_block = last_lock // interval if interval else 0
    decay = min(decay_per_block * max(block_number() - last_lock_block, 0), _U64_MAX)
    lock_cost = max(min(last_lock * mult, _U64_MAX) - decay, 0)
    return max(lock_cost, min_lock)


def get_moving_alpha_price(netuid: int) -> int:
    """`get_moving_alpha_price` in I96F32 bits: 1.0 for root and for a stable (mechanism 0)
    subnet, else `SubnetMovingPrice` (negative counts as 0, as the conversion to U96F32
    saturates)."""
    if netuid == ROOT or S.SubnetMechanism.get(netuid) == 0:
        return 1 << 32
    return max(S.SubnetMovingPrice.get(netuid), 0)


def get_network_to_prune() -> int | None:
    """The non-immune subnet with the lowest moving price (ties: the earliest registered)."""
    now = block_number()
    best: tuple[int, int] | None = None
    candidate = None
    for netuid, added in S.NetworksAdded.iter():
        if not added or netuid == ROOT:
            continue
        registered_at = S.NetworkRegisteredAt.get(netuid)
        if now < min(registered_at + S.NetworkImmunityPeriod.get(), _U64_MAX):  # saturating_add
            continue
        key = (get_moving_alpha_price(netuid), registered_at)
        if best is None or key < best:
            best, candidate = key, netuid
    return candidate


def get_median_subnet_alpha_price() -> int:
    """The median alpha price (U64F64 bits) of the subnets other than root, those priced above
    zero; of an even count the mean of the middle two; 1.0 when none is priced."""
    netuids = [netuid for netuid, added in S.NetworksAdded.iter() if added and netuid != ROOT]
    if not netuids:
        return _ONE_64
    swap = pallet.config.swap
    if swap is None:
        raise RuntimePanic("SubtensorModule: no SwapInterface bound to price the subnets (the Swap pallet "
                           "is not composed yet)")
    prices = sorted(p for p in (swap.current_alpha_price(netuid) for netuid in netuids) if p > 0)
    if not prices:
        return _ONE_64
    lower, upper = (len(prices) - 1) // 2, len(prices) // 2
    return prices[upper] if lower == upper else (prices[lower] + prices[upper]) // 2


def passes_network_rate_limit() -> bool:
    """`TransactionType::RegisterNetwork.passes_rate_limit`: the first registration, or
    `NetworkRateLimit` blocks since the last one."""
    last = get_network_last_lock_block()
    return last == 0 or max(block_number() - last, 0) >= S.NetworkRateLimit.get()


def get_next_available_symbol(netuid: int) -> bytes:
    """The table's symbol for `netuid` if unused, else the first unused one (root's skipped)."""
    used = set(S.TokenSymbol.iter_values())
    symbol = symbol_for_subnet(netuid)
    if symbol not in used:
        return symbol
    return next((s for s in SYMBOLS[1:] if s not in used), DEFAULT_SYMBOL)


def is_valid_subnet_identity(identity: Any) -> bool:
    """`is_valid_subnet_identity`: each field within its byte limit."""
    limits = {"subnet_name": 256, "github_repo": 1024, "subnet_contact": 1024, "subnet_url": 1024,
              "discord": 256, "description": 1024, "logo_url": 1024, "additional": 1024}
    return all(len(getattr(identity, name)) <= limit for name, limit in limits.items())


def init_new_network(netuid: int, tempo: int) -> None:
    """A new subnet's membership and hyperparameters, each default written explicitly (the
    setters deposit their events, as Rust's do)."""
    S.SubnetworkN.insert(netuid, 0)
    S.NetworksAdded.insert(netuid, True)
    S.Tempo.insert(netuid, tempo)
    S.LastEpochBlock.insert(netuid, initial_last_epoch_block(netuid, tempo, block_number()))
    S.TotalNetworks.mutate(lambda n: min(n + 1, 0xFFFF))

    S.NetworkRegistrationAllowed.insert(netuid, True)
    pallet.deposit_event(Event.RegistrationAllowed(netuid, True))
    S.MaxAllowedUids.insert(netuid, 256)
    pallet.deposit_event(Event.MaxAllowedUidsSet(netuid, 256))
    S.MaxAllowedValidators.insert(netuid, 64)
    pallet.deposit_event(Event.MaxAllowedValidatorsSet(netuid, 64))
    S.MinAllowedWeights.insert(netuid, 1)
    pallet.deposit_event(Event.MinAllowedWeightSet(netuid, 1))
    S.AdjustmentInterval.insert(netuid, 360)
    pallet.deposit_event(Event.AdjustmentIntervalSet(netuid, 360))
    S.TargetRegistrationsPerInterval.insert(netuid, 1)
    pallet.deposit_event(Event.RegistrationPerIntervalSet(netuid, 1))
    alpha = 17_893_341_751_498_265_066  # 0.97 of u64::MAX
    S.AdjustmentAlpha.insert(netuid, alpha)
    pallet.deposit_event(Event.AdjustmentAlphaSet(netuid, alpha))
    S.ImmunityPeriod.insert(netuid, 5000)
    pallet.deposit_event(Event.ImmunityPeriodSet(netuid, 5000))
    S.MinDifficulty.insert(netuid, _U64_MAX)
    pallet.deposit_event(Event.MinDifficultySet(netuid, _U64_MAX))
    S.MaxDifficulty.insert(netuid, _U64_MAX)
    pallet.deposit_event(Event.MaxDifficultySet(netuid, _U64_MAX))

    # Make the remaining parameters explicit (their current value, default or not).
    for item in (S.Tempo, S.Kappa, S.Difficulty, S.MaxAllowedUids, S.ImmunityPeriod, S.ActivityCutoff,
                 S.MinAllowedWeights, S.RegistrationsThisInterval, S.POWRegistrationsThisInterval,
                 S.BurnRegistrationsThisInterval):
        if not item.contains_key(netuid):
            item.insert(netuid, item.get(netuid))


def do_register_network(origin: Origin, hotkey: bytes, mechid: int, identity: Any | None) -> None:
    """Register a subnet for the signing coldkey with `hotkey` as its first neuron (uid 0)."""
    coldkey = ensure_signed(origin)
    ensure(not S.Owner.contains_key(hotkey) or S.Owner.get(hotkey) == coldkey, Error.NonAssociatedColdKey)
    ensure(mechid == 1, Error.MechanismDoesNotExist)
    current_block = block_number()
    ensure(current_block >= S.NetworkRegistrationStartBlock.get(), Error.SubNetRegistrationDisabled)
    ensure(passes_network_rate_limit(), Error.NetworkTxRateLimitExceeded)

    # At the subnet limit a subnet is pruned, but only once every check passed.
    current_count = sum(1 for netuid, added in S.NetworksAdded.iter() if added and netuid != ROOT)
    recycle_netuid = None
    if current_count >= S.SubnetLimit.get():
        recycle_netuid = get_network_to_prune()
        if recycle_netuid is None:
            raise Error.SubnetLimitReached()

    lock_amount = get_network_lock_cost()
    ensure(can_remove_balance_from_coldkey_account(coldkey, lock_amount), Error.CannotAffordLockCost)
    if recycle_netuid is not None:
        # Pruned only now that every check passed; its netuid is reused.
        from .dissolve import do_dissolve_network  # dissolve.py imports this module

        do_dissolve_network(recycle_netuid)
    netuid = recycle_netuid if recycle_netuid is not None else get_next_netuid()
    # The price the new pool starts at: the median of the existing subnets', taken before
    # the new subnet exists.
    median_price = get_median_subnet_alpha_price()

    init_new_network(netuid, Constants.InitialTempo)
    lock_paid = transfer_tao_to_subnet(netuid, coldkey, lock_amount)
    S.NetworkLastLockCost.put(lock_paid)
    S.LastRateLimitedBlock.insert(NETWORK_LAST_REGISTERED, current_block)

    neuron_logic.create_account_if_non_existent(coldkey, hotkey)
    neuron_logic.append_neuron(netuid, hotkey, current_block)
    S.SubnetMechanism.insert(netuid, mechid)
    S.NetworkRegisteredAt.insert(netuid, current_block)
    S.TokenSymbol.insert(netuid, get_next_available_symbol(netuid))

    # The pool holds the whole lock (at least the minimum lock), its alpha reserve sized to
    # start at the median price (U64F64 `safe_div`: 0 if the quotient overflows; floored).
    pool_tao = max(lock_paid, S.NetworkMinLockCost.get())
    S.SubnetTAO.insert(netuid, pool_tao)
    S.SubnetAlphaIn.insert(netuid, U64F64.saturating_to_num(U64F64.safe_div(U64F64.saturating_from_num(pool_tao),
                                                                            median_price)))
    S.SubnetOwner.insert(netuid, coldkey)
    S.SubnetOwnerHotkey.insert(netuid, hotkey)
    S.SubnetLocked.insert(netuid, lock_paid)
    S.SubnetAlphaOut.insert(netuid, 0)
    S.SubnetVolume.insert(netuid, 0)
    S.RAORecycledForRegistration.insert(netuid, 0)
    if pool_tao > 0:
        S.TotalStake.mutate(lambda total: min(total + pool_tao, _U64_MAX))

    if identity is not None:
        # Checked after the writes, as Rust does: the failing call is rolled back.
        ensure(is_valid_subnet_identity(identity), Error.InvalidIdentity)
        S.SubnetIdentitiesV3.insert(netuid, identity)
        pallet.deposit_event(Event.SubnetIdentitySet(netuid))
    pallet.deposit_event(Event.NetworkAdded(netuid, mechid))


def do_update_symbol(origin: Origin, netuid: int, symbol: bytes) -> None:
    """`update_symbol`: the owner (or root) picks a symbol of the table (not the root's) that
    no subnet uses."""
    ensure_subnet_owner_or_root(origin, netuid)
    ensure(symbol in SYMBOLS[1:], Error.SymbolDoesNotExist)
    ensure(all(used != symbol for used in S.TokenSymbol.iter_values()), Error.SymbolAlreadyInUse)
    S.TokenSymbol.insert(netuid, symbol)
    pallet.deposit_event(Event.SymbolUpdated(netuid=netuid, symbol=symbol))


def ensure_subnet_owner(origin: Origin, netuid: int) -> bytes:
    """`ensure_subnet_owner`: signed by the subnet's owner coldkey."""
    who = ensure_signed(origin)
    if S.SubnetOwner.get(netuid) != who:
        raise BadOrigin()
    return who


def do_start_call(origin: Origin, netuid: int) -> None:
    """The owner starts emission: from the next block, once `StartCallDelay` blocks passed
    since registration."""
    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure_subnet_owner(origin, netuid)
    ensure(S.FirstEmissionBlockNumber.get(netuid) is None, Error.FirstEmissionBlockNumberAlreadySet)
    now = block_number()
    ensure(now >= S.NetworkRegisteredAt.get(netuid) + S.StartCallDelay.get(), Error.NeedWaitingMoreBlocksToStarCall)
    next_block = now + 1
    S.FirstEmissionBlockNumber.insert(netuid, next_block)
    S.SubtokenEnabled.insert(netuid, True)
    pallet.deposit_event(Event.FirstEmissionBlockNumberSet(netuid, next_block))
