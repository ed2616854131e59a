"""`remove_stake`, `remove_stake_limit`, `remove_stake_full_limit`, `unstake_all`,
`unstake_all_alpha` (Rust `staking/remove_stake.rs`, spec 381)."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DispatchError, Origin, ensure, ensure_signed

from ..apis.reads import all_subnet_netuids
from ..errors import Error
from ..hierarchy.storage import PendingChildKeys
from ..subnets.storage import SubtokenEnabled
from ..weights.storage import StakeThreshold
from . import accounting
from .lock import lock_hotkey
from .stake_utils import (
    ROOT,
    clear_small_nomination_if_required,
    ensure_subtoken_enabled,
    hotkey_account_exists,
    stake_into_subnet,
    swap,
    unstake_from_subnet,
    validate_remove_stake,
)
from .storage import Alpha
from .swap_limits import get_max_amount_remove

__all__ = ["do_remove_stake", "do_remove_stake_full_limit", "do_remove_stake_limit", "do_unstake_all",
           "do_unstake_all_alpha", "max_amount_remove"]


def max_amount_remove(netuid: int, limit_price: int) -> int:
    amount = get_max_amount_remove(netuid, limit_price)
    ensure(amount != 0, Error.ZeroMaxStakeAmount)
    return amount


def _drop_pending_children_below_threshold(hotkey: bytes) -> None:
    """A hotkey whose total stake fell below `StakeThreshold` loses its pending children.
    With a threshold of 0 no stake is below it: the total (reads only) is not computed."""
    threshold = StakeThreshold.get()
    if threshold and accounting.get_total_stake_for_hotkey(hotkey) < threshold:
        for netuid in all_subnet_netuids():
            PendingChildKeys.remove(netuid, hotkey)


def do_remove_stake(origin: Origin, hotkey: bytes, netuid: int, alpha_unstaked: int) -> None:
    coldkey = ensure_signed(origin)
    ensure_subtoken_enabled(netuid)
    alpha_available = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    alpha_unstaked = min(alpha_unstaked, alpha_available)
    locked_to = lock_hotkey(coldkey, netuid)  # one walk for the check and the roll after
    validate_remove_stake(coldkey, hotkey, netuid, alpha_unstaked, alpha_unstaked, False, alpha_available, locked_to)
    unstake_from_subnet(hotkey, coldkey, netuid, alpha_unstaked, swap().min_price(), False, locked_to)
    clear_small_nomination_if_required(hotkey, coldkey, netuid)
    _drop_pending_children_below_threshold(hotkey)


def do_remove_stake_limit(origin: Origin, hotkey: bytes, netuid: int, alpha_unstaked: int, limit_price: int,
                          allow_partial: bool) -> None:
    coldkey = ensure_signed(origin)
    max_amount = max_amount_remove(netuid, limit_price)
    possible_alpha = min(alpha_unstaked, max_amount)
    validate_remove_stake(coldkey, hotkey, netuid, alpha_unstaked, max_amount, allow_partial)
    unstake_from_subnet(hotkey, coldkey, netuid, possible_alpha, limit_price, False)
    clear_small_nomination_if_required(hotkey, coldkey, netuid)
    _drop_pending_children_below_threshold(hotkey)


def do_remove_stake_full_limit(origin: Origin, hotkey: bytes, netuid: int, limit_price: int | None) -> None:
    coldkey = ensure_signed(origin)
    alpha_unstaked = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    if limit_price is not None:
        do_remove_stake_limit(origin, hotkey, netuid, alpha_unstaked, limit_price, False)
    else:
        do_remove_stake(origin, hotkey, netuid, alpha_unstaked)


def _unstake_each(coldkey: bytes, hotkey: bytes, only_alpha: bool) -> int:
    """Unstake everything the coldkey holds through `hotkey` on every subnet whose subtoken is
    enabled and whose removal validates (others are skipped); returns the TAO paid out."""
    total = 0
    for netuid in all_subnet_netuids():
        # A subnet where the coldkey holds no share entry through `hotkey` has 0 alpha to
        # unstake: its removal would not validate (`AmountTooLow` or an earlier error), so it
        # is skipped on one read (a chain has many subnets, a coldkey stakes on few).
        if (not Alpha.contains_key(hotkey, coldkey, netuid) or not SubtokenEnabled.get(netuid)
                or (only_alpha and netuid == ROOT)):
            continue
        alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
        locked_to = lock_hotkey(coldkey, netuid)  # one walk for the check and the roll after
        try:
            validate_remove_stake(coldkey, hotkey, netuid, alpha, alpha, False, alpha, locked_to)
        except DispatchError:
            continue
        if alpha:
            total += unstake_from_subnet(hotkey, coldkey, netuid, alpha, swap().min_price(), False, locked_to)
            clear_small_nomination_if_required(hotkey, coldkey, netuid)
    return total


def do_unstake_all(origin: Origin, hotkey: bytes) -> None:
    coldkey = ensure_signed(origin)
    ensure(hotkey_account_exists(hotkey), Error.HotKeyAccountNotExists)
    _unstake_each(coldkey, hotkey, only_alpha=False)


def do_unstake_all_alpha(origin: Origin, hotkey: bytes) -> None:
    """Unstake every subnet's alpha and stake the TAO on root (no rate limit set there)."""
    coldkey = ensure_signed(origin)
    ensure(hotkey_account_exists(hotkey), Error.HotKeyAccountNotExists)
    total = _unstake_each(coldkey, hotkey, only_alpha=True)
    stake_into_subnet(hotkey, coldkey, ROOT, min(total, (1 << 64) - 1), swap().max_price(), False, False)
