"""`pallet_registry::weights::SubstrateWeight<Runtime>` (subtensor pallets/registry/src/weights.rs
at spec 381), with the runtime's RocksDb weights."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT as DB
from pysubtensor.pallets.support.dispatch import Weight


def set_identity() -> Weight:
    return Weight(41_000_000, 3499).saturating_add(DB.reads_writes(1, 1))


def clear_identity() -> Weight:
    return Weight(36_000_000, 3860).saturating_add(DB.reads_writes(1, 1))
