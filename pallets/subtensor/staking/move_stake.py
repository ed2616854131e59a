"""`move_stake`, `transfer_stake`, `swap_stake`, `swap_stake_limit` (Rust
`staking/move_stake.rs`, spec 381): stake leaves one (coldkey, hotkey, subnet) position for
another; across subnets it is sold for TAO and the TAO staked again, within a subnet the
alpha moves as it is."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import Origin, ensure_signed
from pysubtensor.primitives.fixed import U64F64

from ..coinbase.storage import SubnetAlphaIn, SubnetTAO
from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..subnets.storage import SubnetMechanism
from . import accounting
from .add_stake import max_amount_add
from .remove_stake import max_amount_remove
from .stake_utils import (
    DEFAULT_MIN_STAKE,
    ROOT,
    maybe_become_delegate,
    stake_into_subnet,
    swap,
    transfer_stake_within_subnet,
    transfer_tao,
    unstake_from_subnet,
    validate_stake_transition,
)
from .storage import Owner

__all__ = ["do_move_stake", "do_move_stake_limit", "do_swap_stake", "do_swap_stake_limit", "do_transfer_stake", "get_max_amount_move"]

_U64_MAX = (1 << 64) - 1
_ONE_TAO = 1_000_000_000


def _stable(netuid: int) -> bool:
    return netuid == ROOT or SubnetMechanism.get(netuid) == 0


def get_max_amount_move(origin_netuid: int, destination_netuid: int, limit_price: int) -> int:
    """The most alpha a move may sell while the origin/destination price ratio stays at or
    above `limit_price` (rao per alpha); `ZeroMaxStakeAmount` when nothing may move."""
    tao = U64F64.saturating_from_num(_ONE_TAO)
    if _stable(origin_netuid) and _stable(destination_netuid):
        if limit_price > _ONE_TAO:
            raise Error.ZeroMaxStakeAmount()
        return _U64_MAX
    if _stable(origin_netuid) and SubnetMechanism.get(destination_netuid) == 1:
        if limit_price == 0:
            return _U64_MAX
        destination_price = U64F64.saturating_to_num(
            U64F64.saturating_mul(U64F64.safe_div(tao, U64F64.saturating_from_num(limit_price)), tao))
        return max_amount_add(destination_netuid, destination_price)
    if _stable(destination_netuid) and SubnetMechanism.get(origin_netuid) == 1:
        return max_amount_remove(origin_netuid, limit_price)
    tao_1, tao_2 = SubnetTAO.get(origin_netuid), SubnetTAO.get(destination_netuid)
    if tao_1 == 0 or tao_2 == 0:
        raise Error.ZeroMaxStakeAmount()
    alpha_in_1, alpha_in_2 = SubnetAlphaIn.get(origin_netuid), SubnetAlphaIn.get(destination_netuid)
    if alpha_in_1 == 0 or alpha_in_2 == 0:
        raise Error.ZeroMaxStakeAmount()
    t1, t2 = U64F64.saturating_from_num(tao_1), U64F64.saturating_from_num(tao_2)
    a1, a2 = U64F64.saturating_from_num(alpha_in_1), U64F64.saturating_from_num(alpha_in_2)
    limit = U64F64.checked_div(U64F64.saturating_from_num(limit_price), tao)
    limit = 0 if limit is None else limit
    sw = swap()
    current = U64F64.safe_div(sw.current_alpha_price(origin_netuid), sw.current_alpha_price(destination_netuid))
    if limit > current:
        raise Error.ZeroMaxStakeAmount()
    if limit_price == 0:
        return _U64_MAX
    total = U64F64.saturating_add(t2, t1)
    t1_share, t2_share = U64F64.safe_div(t1, total), U64F64.safe_div(t2, total)
    result = U64F64.saturating_to_num(U64F64.saturating_sub(
        U64F64.safe_div(U64F64.saturating_mul(a2, t1_share), limit), U64F64.saturating_mul(a1, t2_share)))
    if result == 0:
        raise Error.ZeroMaxStakeAmount()
    return result


def transition_stake_internal(origin_coldkey: bytes, destination_coldkey: bytes, origin_hotkey: bytes,
                              destination_hotkey: bytes, origin_netuid: int, destination_netuid: int,
                              alpha_amount: int, maybe_limit_price: int | None, maybe_allow_partial: bool | None,
                              check_transfer_toggle: bool, set_limit: bool) -> int:
    alpha_available = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(origin_hotkey, origin_coldkey,
                                                                            origin_netuid)
    alpha_amount = min(alpha_amount, alpha_available)
    if origin_netuid != destination_netuid and maybe_limit_price is not None:
        max_amount = get_max_amount_move(origin_netuid, destination_netuid, maybe_limit_price)
    else:
        max_amount = alpha_amount
    validate_stake_transition(origin_coldkey, destination_coldkey, origin_hotkey, destination_hotkey, origin_netuid,
                              destination_netuid, alpha_amount, max_amount, maybe_allow_partial,
                              check_transfer_toggle)
    move_amount = min(alpha_amount, max_amount)
    if origin_netuid == destination_netuid:
        return transfer_stake_within_subnet(origin_coldkey, origin_hotkey, destination_coldkey, destination_hotkey,
                                            origin_netuid, move_amount)
    # Root's side pays no fee; the other subnet's pool charges it.
    drop_fee_origin = origin_netuid == ROOT
    tao_unstaked = unstake_from_subnet(origin_hotkey, origin_coldkey, origin_netuid, move_amount,
                                       swap().min_price(), drop_fee_origin)
    # The TAO passes through the origin coldkey (as main does; spec 381 minted and burned it).
    if origin_coldkey != destination_coldkey:
        transfer_tao(origin_coldkey, destination_coldkey, tao_unstaked)
    if tao_unstaked >= DEFAULT_MIN_STAKE:
        if Owner.get(destination_hotkey) != destination_coldkey:
            maybe_become_delegate(destination_hotkey)
        stake_into_subnet(destination_hotkey, destination_coldkey, destination_netuid, tao_unstaked,
                          swap().max_price(), set_limit, not drop_fee_origin)
    return tao_unstaked


def do_move_stake(origin: Origin, origin_hotkey: bytes, destination_hotkey: bytes, origin_netuid: int,
                  destination_netuid: int, alpha_amount: int) -> None:
    coldkey = ensure_signed(origin)
    tao_moved = transition_stake_internal(coldkey, coldkey, origin_hotkey, destination_hotkey, origin_netuid,
                                          destination_netuid, alpha_amount, None, None, False, True)
    pallet.deposit_event(Event.StakeMoved(coldkey, origin_hotkey, origin_netuid, destination_hotkey,
                                          destination_netuid, tao_moved))


def do_move_stake_limit(origin: Origin, origin_hotkey: bytes, destination_hotkey: bytes, origin_netuid: int,
                        destination_netuid: int, alpha_amount: int, limit_price: int, allow_partial: bool) -> None:
    """`move_stake_limit` (newer than 381, RaoFoundation/subtensor PR #3084): `move_stake` with
    `swap_stake_limit`'s protection. Across subnets at most `get_max_amount_move`'s amount
    moves (destination alpha per origin alpha, x 1e9, stays at or above `limit_price`),
    `SlippageTooHigh` when more is asked without `allow_partial`; within a subnet the alpha
    moves as `move_stake` moves it. `alpha_amount` is capped at the live position."""
    coldkey = ensure_signed(origin)
    tao_moved = transition_stake_internal(coldkey, coldkey, origin_hotkey, destination_hotkey, origin_netuid,
                                          destination_netuid, alpha_amount, limit_price, allow_partial, False, True)
    pallet.deposit_event(Event.StakeMoved(coldkey, origin_hotkey, origin_netuid, destination_hotkey,
                                          destination_netuid, tao_moved))


def do_transfer_stake(origin: Origin, destination_coldkey: bytes, hotkey: bytes, origin_netuid: int,
                      destination_netuid: int, alpha_amount: int) -> None:
    coldkey = ensure_signed(origin)
    tao_moved = transition_stake_internal(coldkey, destination_coldkey, hotkey, hotkey, origin_netuid,
                                          destination_netuid, alpha_amount, None, None, True, False)
    pallet.deposit_event(Event.StakeTransferred(coldkey, destination_coldkey, hotkey, origin_netuid,
                                                destination_netuid, tao_moved))


def do_swap_stake(origin: Origin, hotkey: bytes, origin_netuid: int, destination_netuid: int,
                  alpha_amount: int) -> None:
    coldkey = ensure_signed(origin)
    tao_moved = transition_stake_internal(coldkey, coldkey, hotkey, hotkey, origin_netuid, destination_netuid,
                                          alpha_amount, None, None, False, True)
    pallet.deposit_event(Event.StakeSwapped(coldkey, hotkey, origin_netuid, destination_netuid, tao_moved))


def do_swap_stake_limit(origin: Origin, hotkey: bytes, origin_netuid: int, destination_netuid: int,
                        alpha_amount: int, limit_price: int, allow_partial: bool) -> None:
    coldkey = ensure_signed(origin)
    tao_moved = transition_stake_internal(coldkey, coldkey, hotkey, hotkey, origin_netuid, destination_netuid,
                                          alpha_amount, limit_price, allow_partial, False, True)
    pallet.deposit_event(Event.StakeSwapped(coldkey, hotkey, origin_netuid, destination_netuid, tao_moved))
