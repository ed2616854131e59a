"""Delegate and childkey takes (subtensor's `staking/decrease_take.rs`, `increase_take.rs`,
`do_set_childkey_take` in `staking/set_children.rs`, the take setters of `utils/misc.rs`)."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ensure

from ..errors import Error
from ..events import Event
from ..neurons.logic import coldkey_owns_hotkey
from ..pallet import pallet
from ..staking.storage import Owner
from ..utils.admin import current_block, last_block_on_subnet, set_last_block_on_subnet
from ..utils.storage import LastRateLimitedBlock
from .storage import (
    ChildkeyTake,
    Delegates,
    MaxChildkeyTake,
    MaxDelegateTake,
    MinChildkeyTake,
    MinDelegateTake,
    TxChildkeyTakeRateLimit,
    TxDelegateTakeRateLimit,
)

__all__ = [
    "do_decrease_take", "do_increase_take", "do_set_childkey_take", "do_take_checks",
    "set_max_childkey_take", "set_min_childkey_take", "set_tx_childkey_take_rate_limit",
]


def do_take_checks(coldkey: bytes, hotkey: bytes) -> None:
    ensure(Owner.contains_key(hotkey), Error.HotKeyAccountNotExists)
    ensure(coldkey_owns_hotkey(coldkey, hotkey), Error.NonAssociatedColdKey)


def _last_delegate_take_block(hotkey: bytes) -> int:
    return LastRateLimitedBlock.get(("LastTxBlockDelegateTake", hotkey))


def _set_last_delegate_take_block(hotkey: bytes, block: int) -> None:
    LastRateLimitedBlock.insert(("LastTxBlockDelegateTake", hotkey), block)


def exceeds_tx_delegate_take_rate_limit(prev_block: int, block: int) -> bool:
    """Within the limit (inclusive) of the previous change; never for a first change or no limit."""
    limit = TxDelegateTakeRateLimit.get()
    if limit == 0 or prev_block == 0:
        return False
    return max(block - prev_block, 0) <= limit


def do_decrease_take(coldkey: bytes, hotkey: bytes, take: int) -> None:
    do_take_checks(coldkey, hotkey)
    # `try_get`: only a stored take must be undercut (an unset one reads as the default)
    if Delegates.contains_key(hotkey):
        ensure(take < Delegates.get(hotkey), Error.DelegateTakeTooLow)
    ensure(take >= MinDelegateTake.get(), Error.DelegateTakeTooLow)
    Delegates.insert(hotkey, take)
    _set_last_delegate_take_block(hotkey, current_block())
    pallet.deposit_event(Event.TakeDecreased(coldkey, hotkey, take))


def do_increase_take(coldkey: bytes, hotkey: bytes, take: int) -> None:
    do_take_checks(coldkey, hotkey)
    if Delegates.contains_key(hotkey):
        # Rust reports a take not above the current one as DelegateTakeTooLow
        ensure(take > Delegates.get(hotkey), Error.DelegateTakeTooLow)
    ensure(take <= MaxDelegateTake.get(), Error.DelegateTakeTooHigh)
    block = current_block()
    ensure(not exceeds_tx_delegate_take_rate_limit(_last_delegate_take_block(hotkey), block),
           Error.DelegateTxRateLimitExceeded)
    _set_last_delegate_take_block(hotkey, block)
    Delegates.insert(hotkey, take)
    pallet.deposit_event(Event.TakeIncreased(coldkey, hotkey, take))


def do_set_childkey_take(coldkey: bytes, hotkey: bytes, netuid: int, take: int) -> None:
    ensure(coldkey_owns_hotkey(coldkey, hotkey), Error.NonAssociatedColdKey)
    ensure(take <= MaxChildkeyTake.get(), Error.InvalidChildkeyTake)
    block = current_block()
    if take > ChildkeyTake.get(hotkey, netuid):
        # `TransactionType::SetChildkeyTake`: first change free, then `TxChildkeyTakeRateLimit` blocks
        last = last_block_on_subnet("SetChildkeyTake", hotkey, netuid)
        ensure(last == 0 or max(block - last, 0) >= TxChildkeyTakeRateLimit.get(),
               Error.TxChildkeyTakeRateLimitExceeded)
    set_last_block_on_subnet("SetChildkeyTake", hotkey, netuid, block)
    ChildkeyTake.insert(hotkey, netuid, take)
    pallet.deposit_event(Event.ChildKeyTakeSet(hotkey, take))


def set_tx_childkey_take_rate_limit(limit: int) -> None:
    TxChildkeyTakeRateLimit.put(limit)
    pallet.deposit_event(Event.TxChildKeyTakeRateLimitSet(limit))


def set_min_childkey_take(take: int) -> None:
    MinChildkeyTake.put(take)
    pallet.deposit_event(Event.MinChildKeyTakeSet(take))


def set_max_childkey_take(take: int) -> None:
    MaxChildkeyTake.put(take)
    pallet.deposit_event(Event.MaxChildKeyTakeSet(take))
