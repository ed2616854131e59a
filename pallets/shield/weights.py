"""pallet_shield's weights (subtensor `pallets/shield/src/weights.rs`, `SubstrateWeight`
with the runtime's RocksDb weights)."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = [
    "STORE_ENCRYPTED",
    "announce_next_key",
    "set_max_extrinsic_weight",
    "set_max_pending_extrinsics_number",
    "set_on_initialize_weight",
    "set_stored_extrinsic_lifetime",
    "submit_encrypted",
]

#: `store_encrypted_weight()`: set above the benchmark on purpose, to discourage filling the queue.
STORE_ENCRYPTED = Weight(20_000_000_000, 0)


def announce_next_key() -> Weight:
    # Aura::Authorities, PendingKey, NextKey, AuthorKeys read; six key items written.
    return Weight(33_661_000, 5555).saturating_add(ROCKS_DB_WEIGHT.reads_writes(4, 6))


def submit_encrypted() -> Weight:
    return Weight(207_223_000, 0)


def set_max_pending_extrinsics_number() -> Weight:
    return Weight(4_206_000, 0).saturating_add(ROCKS_DB_WEIGHT.writes(1))


def set_on_initialize_weight() -> Weight:
    return Weight(4_327_000, 0).saturating_add(ROCKS_DB_WEIGHT.writes(1))


def set_stored_extrinsic_lifetime() -> Weight:
    return Weight(4_116_000, 0).saturating_add(ROCKS_DB_WEIGHT.writes(1))


def set_max_extrinsic_weight() -> Weight:
    return Weight(4_227_000, 0).saturating_add(ROCKS_DB_WEIGHT.writes(1))
