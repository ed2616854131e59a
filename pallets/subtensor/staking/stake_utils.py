"""Staking's shared steps (Rust `staking/stake_utils.rs`, `staking/helpers.rs`, spec 381):
swapping TAO and alpha through a subnet's pool and moving the reserves and totals by the
result, staking into and unstaking from a subnet, moving stake within a subnet, the input
checks each staking call makes, the per-block staking rate limiter and the root-claim
bookkeeping of a root stake change.

TAO moves as on main: staking transfers the coldkey's TAO into the subnet account
(`transfer_tao_to_subnet`), unstaking transfers it back, and the block author's share of a
swap fee goes from the subnet account to the author. Spec 381 withdrew and deposited instead
(minting and burning); transfers keep Balances' total issuance exact.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DispatchError, RuntimePanic, ensure
from pysubtensor.pallets.support.tokens import Preservation
from pysubtensor.pallets.system.block import block_number
from pysubtensor.primitives.fixed import I96F32, U64F64

from ..apis.reads import all_subnet_netuids
from ..coinbase.storage import SubnetAlphaIn, SubnetAlphaOut, SubnetTAO, SubnetTaoFlow, SubnetVolume
from ..config import SwapResult
from ..errors import Error
from ..events import Event
from ..hierarchy.storage import Delegates
from ..pallet import pallet
from ..subnets.storage import SubnetMechanism, SubtokenEnabled, TransferToggle
from ..utils.neuron_lookup import if_subnet_exist
from . import accounting
from .lock import WALK, cleanup_lock_if_zero, ensure_available_to_unstake, force_reduce_lock, transfer_lock
from .storage import (
    Alpha,
    LastColdkeyHotkeyStakeBlock,
    NominatorMinRequiredStake,
    NumStakingColdkeys,
    Owner,
    RootClaimable,
    RootClaimed,
    StakingColdkeys,
    StakingColdkeysByIndex,
    StakingOperationRateLimiter,
    TotalStake,
)

__all__ = [
    "DEFAULT_MIN_STAKE",
    "ROOT",
    "clear_small_nomination_if_required",
    "clear_small_nominations",
    "ensure_stake_operation_limit_not_exceeded",
    "ensure_subtoken_enabled",
    "get_nominator_min_required_stake",
    "hotkey_account_exists",
    "maybe_become_delegate",
    "stake_into_subnet",
    "swap_alpha_for_tao",
    "swap_tao_for_alpha",
    "transfer_stake_within_subnet",
    "transfer_tao",
    "transfer_tao_from_subnet",
    "unstake_from_subnet",
    "validate_add_stake",
    "validate_remove_stake",
    "validate_stake_transition",
    "validate_unstake_all",
]

ROOT = 0
#: `DefaultMinStake` (a `#[pallet::type_value]`, not in metadata): 2_000_000 rao.
DEFAULT_MIN_STAKE = 2_000_000
_U64_MAX = (1 << 64) - 1
_U128_MAX = (1 << 128) - 1
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1


def swap():
    swap = pallet.config.swap
    if swap is None:
        raise RuntimePanic("SubtensorModule: no SwapInterface bound (the Swap pallet is not composed)")
    return swap


def block_author_coldkey() -> bytes | None:
    """`T::AuthorshipProvider::author()`: the block's Aura author, if the runtime binds one."""
    author = pallet.config.block_author
    return None if author is None else author()


# -- small helpers (helpers.rs, lib.rs) ----------------------------------------------------

def hotkey_account_exists(hotkey: bytes) -> bool:
    return Owner.contains_key(hotkey)


def coldkey_owns_hotkey(coldkey: bytes, hotkey: bytes) -> bool:
    return hotkey_account_exists(hotkey) and Owner.get(hotkey) == coldkey


def ensure_subtoken_enabled(netuid: int) -> None:
    ensure(SubtokenEnabled.get(netuid), Error.SubtokenDisabled)


def maybe_become_delegate(hotkey: bytes) -> None:
    """A hotkey staked to by another coldkey becomes a delegate at its current take."""
    if not Delegates.contains_key(hotkey):
        Delegates.insert(hotkey, Delegates.get(hotkey))


def transfer_tao(source: bytes, dest: bytes, amount: int) -> None:
    """`transfer_tao`: a plain transfer that may reap `source` (`Expendable`)."""
    if amount:
        pallet.config.currency.transfer(source, dest, amount, Preservation.EXPENDABLE)


def transfer_tao_from_subnet(netuid: int, who: bytes, amount: int) -> None:
    """Pay `amount` out of the subnet account."""
    from ..subnets.logic import subnet_account_id

    transfer_tao(subnet_account_id(netuid), who, amount)


def _record_tao_flow(netuid: int, delta: int) -> None:
    """`record_tao_inflow` / `record_tao_outflow`: `SubnetTaoFlow` saturating as i64."""
    SubnetTaoFlow.insert(netuid, min(max(SubnetTaoFlow.get(netuid) + delta, _I64_MIN), _I64_MAX))


# -- swaps (reserves and totals follow the result) -----------------------------------------

def swap_tao_for_alpha(netuid: int, tao: int, price_limit: int, drop_fees: bool) -> SwapResult:
    """Buy alpha through a dynamic subnet's pool (its errors propagate), 1:1 on a stable one;
    then the reserves, outstanding alpha, `TotalStake` and `SubnetVolume` follow."""
    if SubnetMechanism.get(netuid) == 1:
        result = swap().swap_tao_for_alpha(netuid, tao, price_limit, drop_fees)
    else:
        result = SwapResult(amount_paid_in=tao, amount_paid_out=tao, fee_paid=0, fee_to_block_author=0)
    # Each total read and written back (`mutate` of a value query, without the closure).
    alpha_decrease = result.paid_out_reserve_delta
    if alpha_decrease:
        SubnetAlphaIn.insert(netuid, max(SubnetAlphaIn.get(netuid) - alpha_decrease, 0))
    SubnetAlphaOut.insert(netuid, min(SubnetAlphaOut.get(netuid) + result.amount_paid_out, _U64_MAX))
    SubnetTAO.insert(netuid, min(SubnetTAO.get(netuid) + result.paid_in_reserve_delta, _U64_MAX))
    TotalStake.put(min(TotalStake.get() + tao, _U64_MAX))
    SubnetVolume.insert(netuid, min(SubnetVolume.get(netuid) + tao, _U128_MAX))
    return result


def swap_alpha_for_tao(netuid: int, alpha: int, price_limit: int, drop_fees: bool) -> SwapResult:
    """Sell alpha into the pool (1:1 on a stable subnet); the reserves and totals follow."""
    if SubnetMechanism.get(netuid) == 1:
        result = swap().swap_alpha_for_tao(netuid, alpha, price_limit, drop_fees)
    else:
        result = SwapResult(amount_paid_in=alpha, amount_paid_out=alpha, fee_paid=0, fee_to_block_author=0)
    alpha_delta = result.paid_in_reserve_delta
    SubnetAlphaIn.insert(netuid, min(SubnetAlphaIn.get(netuid) + alpha_delta, _U64_MAX))
    SubnetAlphaOut.insert(netuid, max(SubnetAlphaOut.get(netuid) - alpha_delta, 0))
    tao_delta = result.paid_out_reserve_delta
    if tao_delta:
        SubnetTAO.insert(netuid, max(SubnetTAO.get(netuid) - tao_delta, 0))
    paid_out = result.amount_paid_out
    TotalStake.put(max(TotalStake.get() - paid_out, 0))
    SubnetVolume.insert(netuid, min(SubnetVolume.get(netuid) + paid_out, _U128_MAX))
    return result


# -- root-claim bookkeeping (claim_root.rs) -------------------------------------------------

def _root_claimed_delta(rate: int, amount: int) -> int:
    return I96F32.saturating_to_num(I96F32.saturating_mul(rate, I96F32.saturating_from_num(amount)),
                                    int_bits=128)


def add_stake_adjust_root_claimed_for_hotkey_and_coldkey(hotkey: bytes, coldkey: bytes, amount: int) -> None:
    """New root stake is not owed what was claimable before it: raise `RootClaimed` by the
    hotkey's claimable rate on each subnet times the stake added."""
    for netuid, rate in sorted(RootClaimable.get(hotkey).items()):
        claimed = RootClaimed.get(netuid, hotkey, coldkey)
        RootClaimed.insert(netuid, hotkey, coldkey, min(claimed + _root_claimed_delta(rate, amount), _U128_MAX))


def remove_stake_adjust_root_claimed_for_hotkey_and_coldkey(hotkey: bytes, coldkey: bytes, amount: int) -> None:
    for netuid, rate in sorted(RootClaimable.get(hotkey).items()):
        if netuid == ROOT:
            continue
        claimed = RootClaimed.get(netuid, hotkey, coldkey)
        RootClaimed.insert(netuid, hotkey, coldkey, max(claimed - _root_claimed_delta(rate, amount), 0))


def maybe_add_coldkey_index(coldkey: bytes) -> None:
    if not StakingColdkeys.contains_key(coldkey):
        n = NumStakingColdkeys.get()
        StakingColdkeysByIndex.insert(n, coldkey)
        StakingColdkeys.insert(coldkey, n)
        NumStakingColdkeys.put(min(n + 1, _U64_MAX))


# -- the staking rate limiter ----------------------------------------------------------------

def set_stake_operation_limit(hotkey: bytes, coldkey: bytes, netuid: int) -> None:
    StakingOperationRateLimiter.insert(hotkey, coldkey, netuid, True)


def ensure_stake_operation_limit_not_exceeded(hotkey: bytes, coldkey: bytes, netuid: int) -> None:
    ensure(not StakingOperationRateLimiter.contains_key(hotkey, coldkey, netuid),
           Error.StakingOperationRateLimitExceeded)


def clear_stake_operation_limits() -> None:
    """`on_finalize`: the limiter lasts one block. Rust drains the map; removing its prefix
    leaves the same state without walking the backend once per key."""
    StakingOperationRateLimiter.clear()


# -- staking into / out of a subnet ---------------------------------------------------------

def stake_into_subnet(hotkey: bytes, coldkey: bytes, netuid: int, tao: int, price_limit: int,
                      set_limit: bool, drop_fees: bool) -> int:
    """Move `tao` from the coldkey into the subnet account, buy alpha with it and credit the
    coldkey's stake on the hotkey; returns the alpha bought."""
    from ..subnets.logic import transfer_tao_to_subnet

    tao_staked = transfer_tao_to_subnet(netuid, coldkey, tao)
    result = swap_tao_for_alpha(netuid, tao_staked, price_limit, drop_fees)
    ensure(result.amount_paid_out != 0, Error.AmountTooLow)
    ensure(accounting.try_increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, netuid, result.amount_paid_out),
           Error.InsufficientLiquidity)
    # A non-zero amount also lists the hotkey in the coldkey's `StakingHotkeys` (Rust's
    # second check here finds it listed).
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid, result.amount_paid_out)
    # The block author's share of the fee leaves the subnet account to the author; without an
    # author it stays there, outside the pool's reserve.
    author = block_author_coldkey()
    if author is not None:
        transfer_tao_from_subnet(netuid, author, result.fee_to_block_author)
    _record_tao_flow(netuid, result.amount_paid_in)
    cleanup_lock_if_zero(coldkey, netuid)  # main: every stake change rolls the coldkey's lock
    LastColdkeyHotkeyStakeBlock.insert(coldkey, hotkey, block_number())
    if set_limit:
        set_stake_operation_limit(hotkey, coldkey, netuid)
    if netuid == ROOT:
        add_stake_adjust_root_claimed_for_hotkey_and_coldkey(hotkey, coldkey, result.amount_paid_out)
        maybe_add_coldkey_index(coldkey)
    pallet.deposit_event(Event.StakeAdded(coldkey, hotkey, tao_staked, result.amount_paid_out, netuid,
                                          result.fee_paid))
    return result.amount_paid_out


def unstake_from_subnet(hotkey: bytes, coldkey: bytes, netuid: int, alpha: int, price_limit: int,
                        drop_fees: bool, lock_hotkey: object = WALK) -> int:
    """Sell `alpha` of the coldkey's stake on the hotkey and pay the TAO out of the subnet
    account to the coldkey; returns the TAO paid. `lock_hotkey`: `lock.lock_hotkey(coldkey,
    netuid)` when the caller walked `Lock` after its last lock write (nothing here writes one
    before the roll)."""
    actual_alpha_decrease = accounting.decrease_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid, alpha)
    result = swap_alpha_for_tao(netuid, actual_alpha_decrease, price_limit, drop_fees)
    # What the pool did not take (a partial fill) goes back to the stake.
    refund = max(actual_alpha_decrease - (result.amount_paid_in + result.fee_paid), 0)
    if refund:
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid, refund)
    transfer_tao_from_subnet(netuid, coldkey, result.amount_paid_out)
    fee_outflow = 0
    author = block_author_coldkey()
    if author is not None:
        author_swap = swap_alpha_for_tao(netuid, result.fee_to_block_author, swap().min_price(), True)
        transfer_tao_from_subnet(netuid, author, author_swap.amount_paid_out)
        fee_outflow = author_swap.amount_paid_out
    else:
        accounting.burn_subnet_alpha(netuid, result.fee_to_block_author)
    if netuid == ROOT:
        remove_stake_adjust_root_claimed_for_hotkey_and_coldkey(hotkey, coldkey, alpha)
    _record_tao_flow(netuid, -min(result.amount_paid_out + fee_outflow, _U64_MAX))
    cleanup_lock_if_zero(coldkey, netuid, lock_hotkey)
    LastColdkeyHotkeyStakeBlock.insert(coldkey, hotkey, block_number())
    pallet.deposit_event(Event.StakeRemoved(coldkey, hotkey, result.amount_paid_out, actual_alpha_decrease, netuid,
                                            result.fee_paid))
    return result.amount_paid_out


def transfer_stake_within_subnet(origin_coldkey: bytes, origin_hotkey: bytes, destination_coldkey: bytes,
                                 destination_hotkey: bytes, netuid: int, alpha: int) -> int:
    """Move alpha between stake positions on one subnet (no swap); returns its TAO value at
    the current price, which must reach `DefaultMinStake`. A lock follows the alpha to
    another coldkey (`transfer_lock`)."""
    transfer_lock(origin_coldkey, destination_coldkey, netuid, alpha)
    decrease = accounting.decrease_stake_for_hotkey_and_coldkey_on_subnet(origin_hotkey, origin_coldkey, netuid, alpha)
    if netuid == ROOT:
        remove_stake_adjust_root_claimed_for_hotkey_and_coldkey(origin_hotkey, origin_coldkey, alpha)
    moved = accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(destination_hotkey, destination_coldkey,
                                                                       netuid, decrease)
    if netuid == ROOT:
        add_stake_adjust_root_claimed_for_hotkey_and_coldkey(destination_hotkey, destination_coldkey, decrease)
    price = swap().current_alpha_price(netuid)
    tao_equivalent = U64F64.saturating_to_num(U64F64.saturating_mul(price, U64F64.saturating_from_num(moved)))
    ensure(tao_equivalent >= DEFAULT_MIN_STAKE, Error.AmountTooLow)
    LastColdkeyHotkeyStakeBlock.insert(destination_coldkey, destination_hotkey, block_number())
    pallet.deposit_event(Event.StakeRemoved(origin_coldkey, origin_hotkey, tao_equivalent, decrease, netuid, 0))
    pallet.deposit_event(Event.StakeAdded(destination_coldkey, destination_hotkey, tao_equivalent, moved, netuid, 0))
    return tao_equivalent


def get_nominator_min_required_stake() -> int:
    """`NominatorMinRequiredStake` is a per-million factor of `DefaultMinStake`: the minimum in rao."""
    return min(DEFAULT_MIN_STAKE * NominatorMinRequiredStake.get(), _U64_MAX) // 1_000_000


def clear_small_nomination_if_required(hotkey: bytes, coldkey: bytes, netuid: int) -> None:
    """A nominator's stake below the nominator minimum (in alpha at the current price) is
    unstaken to the coldkey, or dropped if the sale fails."""
    if coldkey_owns_hotkey(coldkey, hotkey):
        return
    alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    if alpha == 0:
        return  # nothing to clear (the minimum, reads only, is not worked out)
    min_alpha = U64F64.saturating_to_num(U64F64.safe_div(U64F64.saturating_from_num(get_nominator_min_required_stake()),
                                                         swap().current_alpha_price(netuid)))
    if alpha < min_alpha:
        try:
            unstake_from_subnet(hotkey, coldkey, netuid, alpha, swap().min_price(), False)
        except DispatchError:
            left = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
            accounting.decrease_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid, left)
        force_reduce_lock(coldkey, netuid, alpha)  # main: the cleared stake leaves the lock too


def clear_small_nominations() -> None:
    """`clear_small_nominations`: every stake position, in `Alpha`'s storage order."""
    for hotkey, coldkey, netuid in list(Alpha.iter_keys()):
        clear_small_nomination_if_required(hotkey, coldkey, netuid)


# -- input checks ------------------------------------------------------------------------

def _sim(netuid: int, buy: bool, amount: int) -> SwapResult:
    sw = swap()
    return sw.sim_swap_tao_for_alpha(netuid, amount) if buy else sw.sim_swap_alpha_for_tao(netuid, amount)


def validate_add_stake(coldkey: bytes, hotkey: bytes, netuid: int, stake_to_be_added: int, max_amount: int,
                       allow_partial: bool) -> None:
    from ..subnets.logic import can_remove_balance_from_coldkey_account

    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure_subtoken_enabled(netuid)
    try:
        fee = _sim(netuid, True, DEFAULT_MIN_STAKE).fee_paid
    except DispatchError:
        fee = swap().approx_fee_amount(netuid, DEFAULT_MIN_STAKE)
    ensure(stake_to_be_added >= DEFAULT_MIN_STAKE + fee, Error.AmountTooLow)
    if not allow_partial:
        ensure(stake_to_be_added <= max_amount, Error.SlippageTooHigh)
    else:
        stake_to_be_added = min(max_amount, stake_to_be_added)
    ensure(can_remove_balance_from_coldkey_account(coldkey, stake_to_be_added), Error.NotEnoughBalanceToStake)
    ensure(hotkey_account_exists(hotkey), Error.HotKeyAccountNotExists)
    try:
        result = _sim(netuid, True, stake_to_be_added)
    except DispatchError:
        raise Error.InsufficientLiquidity() from None
    ensure(result.amount_paid_in >= DEFAULT_MIN_STAKE, Error.AmountTooLow)
    ensure(result.amount_paid_out != 0, Error.InsufficientLiquidity)
    ensure(accounting.try_increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, netuid, result.amount_paid_out),
           Error.InsufficientLiquidity)


def validate_remove_stake(coldkey: bytes, hotkey: bytes, netuid: int, alpha_unstaked: int, max_amount: int,
                          allow_partial: bool, current: int | None = None, lock_hotkey: object = WALK) -> None:
    """`current`: the coldkey's alpha through the hotkey on `netuid`, if the caller has just
    read it; `lock_hotkey`: `lock.lock_hotkey(coldkey, netuid)`, if it has just walked."""
    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure_stake_operation_limit_not_exceeded(hotkey, coldkey, netuid)
    ensure(alpha_unstaked != 0, Error.AmountTooLow)
    remaining = accounting.calculate_reduced_stake_on_subnet(hotkey, coldkey, netuid, alpha_unstaked, current)
    try:
        result = _sim(netuid, False, alpha_unstaked)
    except DispatchError:
        raise Error.InsufficientLiquidity() from None
    # Selling everything may pay out less than the minimum; a partial sale may not.
    if remaining:
        ensure(result.amount_paid_out >= DEFAULT_MIN_STAKE, Error.AmountTooLow)
    if not allow_partial:
        ensure(alpha_unstaked <= max_amount, Error.SlippageTooHigh)
    ensure(hotkey_account_exists(hotkey), Error.HotKeyAccountNotExists)
    ensure_available_to_unstake(coldkey, netuid, alpha_unstaked, hotkey, lock_hotkey, current)


def validate_unstake_all(coldkey: bytes, hotkey: bytes, only_alpha: bool) -> None:
    ensure(hotkey_account_exists(hotkey), Error.HotKeyAccountNotExists)
    unstaking_any = False
    for netuid in all_subnet_netuids():
        if only_alpha and netuid == ROOT:
            continue
        alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
        ensure_available_to_unstake(coldkey, netuid, alpha, hotkey)  # main: a lock anywhere stops the whole call
        try:
            validate_remove_stake(coldkey, hotkey, netuid, alpha, alpha, False)
            unstaking_any = True
        except DispatchError:
            pass
    ensure(unstaking_any, Error.AmountTooLow)


def validate_stake_transition(origin_coldkey: bytes, destination_coldkey: bytes, origin_hotkey: bytes,
                              destination_hotkey: bytes, origin_netuid: int, destination_netuid: int,
                              alpha_amount: int, max_amount: int, maybe_allow_partial: bool | None,
                              check_transfer_toggle: bool) -> None:
    if origin_coldkey == destination_coldkey and origin_hotkey == destination_hotkey:
        ensure(origin_netuid != destination_netuid, Error.SameNetuid)
    ensure_stake_operation_limit_not_exceeded(origin_hotkey, origin_coldkey, origin_netuid)
    ensure(if_subnet_exist(origin_netuid), Error.SubnetNotExists)
    if origin_netuid != destination_netuid:
        ensure(if_subnet_exist(destination_netuid), Error.SubnetNotExists)
    ensure(SubtokenEnabled.get(origin_netuid), Error.SubtokenDisabled)
    ensure(SubtokenEnabled.get(destination_netuid), Error.SubtokenDisabled)
    ensure(hotkey_account_exists(origin_hotkey), Error.HotKeyAccountNotExists)
    ensure(hotkey_account_exists(destination_hotkey), Error.HotKeyAccountNotExists)
    origin_alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(origin_hotkey, origin_coldkey, origin_netuid)
    ensure(alpha_amount <= origin_alpha, Error.NotEnoughStakeToWithdraw)
    if origin_netuid != destination_netuid:
        try:
            tao_equivalent = _sim(origin_netuid, False, alpha_amount).amount_paid_out
        except DispatchError:
            raise Error.InsufficientLiquidity() from None
        ensure(tao_equivalent > DEFAULT_MIN_STAKE, Error.AmountTooLow)
        if maybe_allow_partial is False:
            ensure(alpha_amount <= max_amount, Error.SlippageTooHigh)
    if check_transfer_toggle:
        ensure(TransferToggle.get(origin_netuid), Error.TransferDisallowed)
        if origin_netuid != destination_netuid:
            ensure(TransferToggle.get(destination_netuid), Error.TransferDisallowed)
    # main: what leaves the subnet must leave the lock covered.
    if origin_netuid != destination_netuid:
        ensure_available_to_unstake(origin_coldkey, origin_netuid, alpha_amount, origin_hotkey)
