"""`set_coldkey_auto_stake_hotkey` (spec 381's `macros/dispatches.rs`): a coldkey names, per
subnet, the registered hotkey its future rewards are staked to; `AutoStakeDestinationColdkeys`
keeps the reverse index (hotkey, netuid) -> coldkeys that `swap_hotkey` and the coldkey swap
move along."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Weight, ensure, ensure_signed
from pysubtensor.pallets.support.types import AccountId

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..types import NetUid
from ..utils.neuron_lookup import if_subnet_exist

__all__ = ["set_coldkey_auto_stake_hotkey"]

S = pallet.Storage


@pallet.call(114, weight=Weight(29_930_000, 0) + ROCKS_DB_WEIGHT.reads_writes(4, 2))
def set_coldkey_auto_stake_hotkey(origin: Origin, netuid: NetUid, hotkey: AccountId) -> None:
    """Set the autostake destination hotkey for a coldkey.

    The caller selects a hotkey where all future rewards
    will be automatically staked.

    # Args:
    * `origin` - (<T as frame_system::Config>::Origin):
        - The signature of the caller's coldkey.

    * `hotkey` (T::AccountId):
        - The hotkey account to designate as the autostake destination.
    """
    coldkey = ensure_signed(origin)
    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure(S.Uids.contains_key(netuid, hotkey), Error.HotKeyNotRegisteredInSubNet)
    current = S.AutoStakeDestination.try_get(coldkey, netuid)
    if current is not None:
        ensure(current != hotkey, Error.SameAutoStakeHotkeyAlreadySet)
        S.AutoStakeDestinationColdkeys.mutate(current, netuid, lambda v: [c for c in v if c != coldkey])
    S.AutoStakeDestination.insert(coldkey, netuid, hotkey)
    S.AutoStakeDestinationColdkeys.mutate(hotkey, netuid, lambda v: v if coldkey in v else [*v, coldkey])
    pallet.deposit_event(Event.AutoStakeDestinationSet(coldkey=coldkey, netuid=netuid, hotkey=hotkey))
