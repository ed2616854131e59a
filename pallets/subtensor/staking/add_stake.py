"""`add_stake`, `add_stake_limit` (Rust `staking/add_stake.rs`, spec 381)."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import Origin, ensure, ensure_signed

from ..errors import Error
from .stake_utils import (
    ensure_subtoken_enabled,
    maybe_become_delegate,
    stake_into_subnet,
    swap,
    validate_add_stake,
)
from .storage import Owner
from .swap_limits import get_max_amount_add

__all__ = ["do_add_stake", "do_add_stake_limit", "max_amount_add"]


def max_amount_add(netuid: int, limit_price: int) -> int:
    """`get_max_amount_add`, with `ZeroMaxStakeAmount` when nothing may be bought."""
    amount = get_max_amount_add(netuid, limit_price)
    ensure(amount != 0, Error.ZeroMaxStakeAmount)
    return amount


def do_add_stake(origin: Origin, hotkey: bytes, netuid: int, stake_to_be_added: int) -> int:
    """Stake `stake_to_be_added` TAO of the signing coldkey on `hotkey` at any price; returns
    the alpha bought."""
    coldkey = ensure_signed(origin)
    ensure_subtoken_enabled(netuid)
    validate_add_stake(coldkey, hotkey, netuid, stake_to_be_added, stake_to_be_added, False)
    return stake_into_subnet(hotkey, coldkey, netuid, stake_to_be_added, swap().max_price(), True, False)


def do_add_stake_limit(origin: Origin, hotkey: bytes, netuid: int, stake_to_be_added: int, limit_price: int,
                       allow_partial: bool) -> int:
    """Stake up to the amount that keeps the price at or below `limit_price` (all of it, or
    with `allow_partial` the part that fits)."""
    coldkey = ensure_signed(origin)
    max_amount = max_amount_add(netuid, limit_price)
    possible_stake = min(stake_to_be_added, max_amount)
    validate_add_stake(coldkey, hotkey, netuid, stake_to_be_added, max_amount, allow_partial)
    if Owner.get(hotkey) != coldkey:
        maybe_become_delegate(hotkey)
    return stake_into_subnet(hotkey, coldkey, netuid, possible_stake, limit_price, True, False)
