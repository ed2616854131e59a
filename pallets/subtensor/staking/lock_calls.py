"""main's stake-lock calls (newer than spec 381: tests/support/metadata.py ITEMS_BEYOND_381):
`lock_stake` (136), `move_lock` (137), `set_perpetual_lock` (138), `set_reject_locked_alpha`
(142), with main's indices and weights (dispatches.rs, weights.rs at 14bc6f9) and the docs the
newer runtime's metadata shows (bittensor 11.3.0's generated calls). Logic in lock.py."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Weight, ensure_signed
from pysubtensor.pallets.support.types import AccountId, Bool

from ..events import Event
from ..pallet import pallet
from ..types import AlphaBalance, NetUid
from .lock import do_lock_stake, do_move_lock, do_set_perpetual_lock, set_accept_locked_alpha

__all__ = ["lock_stake", "move_lock", "set_perpetual_lock", "set_reject_locked_alpha"]


@pallet.call(136, weight=Weight(115_995_000, 7655) + ROCKS_DB_WEIGHT.reads_writes(17, 3))
def lock_stake(origin: Origin, hotkey: AccountId, netuid: NetUid, amount: AlphaBalance) -> None:
    """Locks stake on a subnet to a specific hotkey, building conviction over time.

    If no lock exists for (coldkey, subnet), a new one is created.
    If a lock exists, the destination hotkey must match the existing lock's hotkey.
    Top-up adds to the locked amount after rolling the lock state forward.

    # Arguments
    * `origin`: Must be signed by the coldkey.
    * `hotkey`: The hotkey to lock stake to.
    * `netuid`: The subnet on which to lock.
    * `amount`: The alpha amount to lock.
    """
    do_lock_stake(ensure_signed(origin), netuid, hotkey, amount)


@pallet.call(137, weight=Weight(149_819_000, 7339) + ROCKS_DB_WEIGHT.reads_writes(14, 6))
def move_lock(origin: Origin, destination_hotkey: AccountId, netuid: NetUid) -> None:
    """Moves an existing lock for a coldkey on a subnet from one hotkey to another.

    The lock is rolled forward to the current block before switching the
    associated hotkey, preserving the decayed locked mass. The conviction is
    reset to zero.

    # Arguments
    * `origin`: Must be signed by the coldkey that owns the lock.
    * `destination_hotkey`: The hotkey the lock should target after the move.
    * `netuid`: The subnet on which the lock exists.
    # Errors
    * `Error::<T>::NoExistingLock`: If no lock exists for the given coldkey and subnet.
    """
    do_move_lock(ensure_signed(origin), destination_hotkey, netuid)


@pallet.call(138, weight=ROCKS_DB_WEIGHT.reads_writes(4, 3))
def set_perpetual_lock(origin: Origin, netuid: NetUid, enabled: Bool) -> None:
    """Sets or clears the caller's perpetual lock flag for a subnet.

    Locks decay by default. When enabled, the caller's individual lock
    does not unlock through locked-mass decay. Passing `false` returns
    the caller's lock to normal decay.
    """
    do_set_perpetual_lock(ensure_signed(origin), netuid, enabled)


@pallet.call(142, weight=ROCKS_DB_WEIGHT.reads_writes(1, 1))
def set_reject_locked_alpha(origin: Origin, enabled: Bool) -> None:
    """Sets or clears whether the caller rejects incoming locked alpha.

    Coldkeys reject locked alpha by default. Passing `false` opts the
    caller into receiving locked alpha from stake transfers or coldkey
    swaps.
    """
    coldkey = ensure_signed(origin)
    set_accept_locked_alpha(coldkey, not enabled)
    pallet.deposit_event(Event.RejectLockedAlphaUpdated(coldkey=coldkey, enabled=enabled))
