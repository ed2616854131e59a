"""Weights of `pallet_drand`: `SubstrateWeight` of subtensor's pallets/drand/src/weights.rs, with
the runtime's `DbWeight = RocksDbWeight`."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = ["set_beacon_config", "set_oldest_stored_round", "write_pulse"]


def set_beacon_config() -> Weight:
    return Weight(8_766_000, 0).saturating_add(ROCKS_DB_WEIGHT.writes(2))


def write_pulse() -> Weight:
    return Weight(4_294_000_000, 0).saturating_add(ROCKS_DB_WEIGHT.reads_writes(3, 4))


def set_oldest_stored_round() -> Weight:
    return Weight(5_370_000, 0).saturating_add(ROCKS_DB_WEIGHT.writes(1))
