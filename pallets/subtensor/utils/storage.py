"""Utilities: the generic rate limiter, EVM key association and the migrations' run flags.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import NETUID, RATE_LIMIT_KEY
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.primitives.hashing import Identity, Twox64Concat
from pysubtensor.primitives.scale import BOOL, BYTES, H160, U16, U64, Tuple
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "AssociatedEvmAddress", "HasMigrationRun", "LastRateLimitedBlock", "LastTxBlock", "TxRateLimit",
]

LastRateLimitedBlock = pallet.storage("LastRateLimitedBlock", StorageMap(Identity, RATE_LIMIT_KEY, U64, default=0), docs="""
    ============================
    ==== Rate Limiting =====
    ============================
    --- MAP ( RateLimitKey ) --> Block number in which the last rate limited operation occured
""")
TxRateLimit = pallet.storage("TxRateLimit", StorageValue(U64, default=Constants.InitialTxRateLimit),
    docs="--- ITEM ( tx_rate_limit )")
LastTxBlock = pallet.storage("LastTxBlock", StorageMap(Identity, ACCOUNT_ID, U64, default=0),
    docs="--- MAP ( key ) --> last_block")
AssociatedEvmAddress = pallet.storage("AssociatedEvmAddress", StorageDoubleMap(Twox64Concat, NETUID, Twox64Concat, U16, Tuple(H160, U64), optional=True), docs="""
    =============================
    ==== EVM related storage ====
    =============================
    --- DMAP (netuid, uid) --> (H160, last_block_where_ownership_was_proven)
""")
HasMigrationRun = pallet.storage("HasMigrationRun", StorageMap(Identity, BYTES, BOOL, default=False), docs="""
    ==================
    ==== Genesis =====
    ==================
    --- Storage for migration run status
""")
