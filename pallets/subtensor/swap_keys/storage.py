"""Key swaps: the coldkey swap announcements and disputes, and hotkey swaps per subnet.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import BLOCK_NUMBER, NETUID
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity, Twox64Concat
from pysubtensor.primitives.scale import H256, U64, Tuple
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "ColdkeySwapAnnouncementDelay", "ColdkeySwapAnnouncements", "ColdkeySwapDisputes",
    "ColdkeySwapReannouncementDelay", "LastHotkeySwapOnNetuid",
]

LastHotkeySwapOnNetuid = pallet.storage("LastHotkeySwapOnNetuid", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, U64, default=0),
    docs="--- DMap ( netuid, coldkey ) --> blocknumber | last hotkey swap on network.")
ColdkeySwapAnnouncementDelay = pallet.storage("ColdkeySwapAnnouncementDelay", StorageValue(BLOCK_NUMBER, default=Constants.InitialColdkeySwapAnnouncementDelay),
    docs="The delay after an announcement before a coldkey swap can be performed.")
ColdkeySwapReannouncementDelay = pallet.storage("ColdkeySwapReannouncementDelay", StorageValue(BLOCK_NUMBER, default=Constants.InitialColdkeySwapReannouncementDelay),
    docs="The delay after the initial delay has passed before a new announcement can be made.")
ColdkeySwapAnnouncements = pallet.storage("ColdkeySwapAnnouncements", StorageMap(Twox64Concat, ACCOUNT_ID, Tuple(BLOCK_NUMBER, H256), optional=True), docs="""
    A map of the coldkey swap announcements from a coldkey
    to the block number the coldkey swap can be performed.
""")
ColdkeySwapDisputes = pallet.storage("ColdkeySwapDisputes", StorageMap(Twox64Concat, ACCOUNT_ID, BLOCK_NUMBER, optional=True), docs="""
    A map of the coldkey swap disputes from a coldkey to the
    block number the coldkey swap was disputed.
""")
