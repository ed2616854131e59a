"""Key swap calls: `swap_hotkey`, the root `swap_coldkey`, the deprecated
`schedule_swap_coldkey` and the announcement flow (`announce_coldkey_swap`,
`swap_coldkey_announced`, `dispute_coldkey_swap`, `reset_coldkey_swap`), declared with spec
381's indices, arguments, docs and weights; the rules live in `swap_keys.hotkey` and
`swap_keys.coldkey`."""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    Origin,
    Pays,
    Weight,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.types import AccountId, Hash, scale_type
from pysubtensor.primitives.scale import Option

from ..errors import Error
from ..pallet import pallet
from ..types import NETUID, TaoBalance
from .coldkey import (
    do_announce_coldkey_swap,
    do_dispute_coldkey_swap,
    do_reset_coldkey_swap,
    do_swap_coldkey_announced,
    do_swap_coldkey_by_root,
)
from .hotkey import do_swap_hotkey

__all__ = [
    "announce_coldkey_swap", "dispute_coldkey_swap", "reset_coldkey_swap", "schedule_swap_coldkey", "swap_coldkey",
    "swap_coldkey_announced", "swap_hotkey",
]

_OPTION_NETUID = scale_type(Option(NETUID), int, "Option<NetUid>")


@pallet.call(70, weight=Weight(275_300_000, 0) + ROCKS_DB_WEIGHT.reads_writes(52, 35), pays=Pays.NO)
def swap_hotkey(origin: Origin, hotkey: AccountId, new_hotkey: AccountId, netuid: _OPTION_NETUID) -> Any:
    """The extrinsic for user to change its hotkey in subnet or all subnets."""
    return do_swap_hotkey(ensure_signed(origin), hotkey, new_hotkey, netuid)


@pallet.call(71, weight=Weight(161_700_000, 0) + ROCKS_DB_WEIGHT.reads_writes(16, 11))
def swap_coldkey(origin: Origin, old_coldkey: AccountId, new_coldkey: AccountId, swap_cost: TaoBalance) -> None:
    """Performs an arbitrary coldkey swap for any coldkey.

    Only callable by root as it doesn't require an announcement and can be used to swap any coldkey.
    """
    ensure_root(origin)
    do_swap_coldkey_by_root(old_coldkey, new_coldkey, swap_cost)


@pallet.call(73, weight=ROCKS_DB_WEIGHT.reads(5))
def schedule_swap_coldkey(origin: Origin, new_coldkey: AccountId) -> None:
    """Schedules a coldkey swap operation to be executed at a future block.

    WARNING: This function is deprecated, please migrate to `announce_coldkey_swap`/`coldkey_swap`
    """
    raise Error.Deprecated()


@pallet.call(125, weight=Weight(55_700_000, 0) + ROCKS_DB_WEIGHT.reads_writes(4, 3))
def announce_coldkey_swap(origin: Origin, new_coldkey_hash: Hash) -> None:
    """Announces a coldkey swap using BlakeTwo256 hash of the new coldkey.

    This is required before the coldkey swap can be performed
    after the delay period.

    It can be reannounced after a delay of `ColdkeySwapReannouncementDelay` following
    the first valid execution block of the original announcement.

    The dispatch origin of this call must be the original coldkey that made the announcement.

    - `new_coldkey_hash`: The hash of the new coldkey using BlakeTwo256.

    The `ColdkeySwapAnnounced` event is emitted on successful announcement.

    """
    do_announce_coldkey_swap(ensure_signed(origin), new_coldkey_hash)


@pallet.call(126, weight=Weight(110_700_000, 0) + ROCKS_DB_WEIGHT.reads_writes(16, 6))
def swap_coldkey_announced(origin: Origin, new_coldkey: AccountId) -> None:
    """Performs a coldkey swap if an announcement has been made.

    The dispatch origin of this call must be the original coldkey that made the announcement.

    - `new_coldkey`: The new coldkey to swap to. The BlakeTwo256 hash of the new coldkey must be
      the same as the announced coldkey hash.

    The `ColdkeySwapped` event is emitted on successful swap.
    """
    do_swap_coldkey_announced(ensure_signed(origin), new_coldkey)


@pallet.call(127, weight=Weight(20_750_000, 0) + ROCKS_DB_WEIGHT.reads_writes(2, 1))
def dispute_coldkey_swap(origin: Origin) -> None:
    """Dispute a coldkey swap.

    This will prevent any further actions on the coldkey swap
    until triumvirate step in to resolve the issue.

    - `coldkey`: The coldkey to dispute the swap for.

    """
    do_dispute_coldkey_swap(ensure_signed(origin))


@pallet.call(128, weight=Weight(8_977_000, 0) + ROCKS_DB_WEIGHT.reads_writes(0, 2))
def reset_coldkey_swap(origin: Origin, coldkey: AccountId) -> None:
    """Reset a coldkey swap by clearing the announcement and dispute status.

    The dispatch origin of this call must be root.

    - `coldkey`: The coldkey to reset the swap for.

    """
    ensure_root(origin)
    do_reset_coldkey_swap(coldkey)
