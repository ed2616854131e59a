"""Hierarchy: delegate and childkey takes, parent and child keys, identities and the take rate limits.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import NETUID, ChainIdentityV2
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import U16, U64, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "ChildKeys", "ChildkeyTake", "Delegates", "IdentitiesV2", "LastTxBlockChildKeyTake",
    "LastTxBlockDelegateTake", "MaxChildkeyTake", "MaxDelegateTake", "MinChildkeyTake", "MinDelegateTake",
    "ParentKeys", "PendingChildKeyCooldown", "PendingChildKeys", "TxChildkeyTakeRateLimit",
    "TxDelegateTakeRateLimit",
]

MaxDelegateTake = pallet.storage("MaxDelegateTake", StorageValue(U16, default=Constants.InitialDefaultDelegateTake),
    docs="--- ITEM ( default_delegate_take )")
MinDelegateTake = pallet.storage("MinDelegateTake", StorageValue(U16, default=Constants.InitialMinDelegateTake),
    docs="--- ITEM ( min_delegate_take )")
MaxChildkeyTake = pallet.storage("MaxChildkeyTake", StorageValue(U16, default=Constants.InitialMaxChildKeyTake),
    docs="--- ITEM ( default_childkey_take )")
MinChildkeyTake = pallet.storage("MinChildkeyTake", StorageValue(U16, default=Constants.InitialMinChildKeyTake),
    docs="--- ITEM ( min_childkey_take )")
Delegates = pallet.storage("Delegates", StorageMap(Blake2_128Concat, ACCOUNT_ID, U16, default=Constants.InitialDefaultDelegateTake),
    docs="MAP ( hot ) --> take | Returns the hotkey delegation take. And signals that this key is open for delegation")
ChildkeyTake = pallet.storage("ChildkeyTake", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, U16, default=0),
    docs="DMAP ( hot, netuid ) --> take | Returns the hotkey childkey take for a specific subnet")
PendingChildKeys = pallet.storage("PendingChildKeys", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, Tuple(Vec(Tuple(U64, ACCOUNT_ID)), U64), default=([], 0)),
    docs="DMAP ( netuid, parent ) --> (Vec<(proportion,child)>, cool_down_block)")
ChildKeys = pallet.storage("ChildKeys", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, Vec(Tuple(U64, ACCOUNT_ID)), default=[]),
    docs="DMAP ( parent, netuid ) --> Vec<(proportion,child)>")
ParentKeys = pallet.storage("ParentKeys", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, Vec(Tuple(U64, ACCOUNT_ID)), default=[]),
    docs="DMAP ( child, netuid ) --> Vec<(proportion,parent)>")
TxDelegateTakeRateLimit = pallet.storage("TxDelegateTakeRateLimit", StorageValue(U64, default=Constants.InitialTxDelegateTakeRateLimit),
    docs="--- ITEM ( tx_delegate_take_rate_limit )")
TxChildkeyTakeRateLimit = pallet.storage("TxChildkeyTakeRateLimit", StorageValue(U64, default=Constants.InitialTxChildKeyTakeRateLimit),
    docs="--- ITEM ( tx_childkey_take_rate_limit )")
IdentitiesV2 = pallet.storage("IdentitiesV2", StorageMap(Blake2_128Concat, ACCOUNT_ID, ChainIdentityV2.SCALE, optional=True),
    docs="--- MAP ( coldkey ) --> identity")
LastTxBlockChildKeyTake = pallet.storage("LastTxBlockChildKeyTake", StorageMap(Identity, ACCOUNT_ID, U64, default=0),
    docs="--- MAP ( key ) --> last_tx_block_childkey_take")
LastTxBlockDelegateTake = pallet.storage("LastTxBlockDelegateTake", StorageMap(Identity, ACCOUNT_ID, U64, default=0),
    docs="--- MAP ( key ) --> last_tx_block_delegate_take")
PendingChildKeyCooldown = pallet.storage("PendingChildKeyCooldown", StorageValue(U64, default=15),
    docs="Storage value for pending childkey cooldown, settable by root.")
