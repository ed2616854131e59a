"""Declared weights of the serving and weights calls: `pallet_subtensor::weights::SubstrateWeight`
(the runtime's `WeightInfo`) for those that use it, the inline `#[pallet::weight]` formulas for
the mechanism variants, all over the runtime's `DbWeight = RocksDbWeight`."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = [
    "BATCH_COMMIT_WEIGHTS", "BATCH_REVEAL_WEIGHTS", "BATCH_SET_WEIGHTS", "COMMIT_CRV3_MECHANISM_WEIGHTS",
    "COMMIT_MECHANISM_WEIGHTS", "COMMIT_TIMELOCKED_MECHANISM_WEIGHTS", "COMMIT_TIMELOCKED_WEIGHTS",
    "COMMIT_WEIGHTS", "REVEAL_MECHANISM_WEIGHTS", "REVEAL_WEIGHTS", "SERVE_AXON", "SERVE_AXON_TLS",
    "SERVE_PROMETHEUS", "SET_MECHANISM_WEIGHTS", "SET_WEIGHTS",
]


def _w(ref_time: int, proof_size: int, reads: int, writes: int) -> Weight:
    return Weight(ref_time, proof_size).saturating_add(ROCKS_DB_WEIGHT.reads_writes(reads, writes))


# WeightInfo (benchmarked)
SET_WEIGHTS = _w(15_513_610_000, 10_327_410, 4112, 2)
BATCH_SET_WEIGHTS = _w(103_092_000, 7395, 16, 2)
COMMIT_WEIGHTS = _w(69_049_000, 4714, 13, 2)
BATCH_COMMIT_WEIGHTS = _w(147_224_000, 4765, 15, 2)
REVEAL_WEIGHTS = _w(111_227_000, 7590, 19, 2)
BATCH_REVEAL_WEIGHTS = _w(421_363_000, 8095, 19, 2)
SERVE_AXON = _w(31_278_000, 4178, 3, 1)
SERVE_AXON_TLS = _w(30_617_000, 4149, 3, 1)
SERVE_PROMETHEUS = _w(29_294_000, 4277, 3, 1)
COMMIT_TIMELOCKED_WEIGHTS = _w(86_951_000, 4713, 14, 2)
# inline formulas in the call declarations
SET_MECHANISM_WEIGHTS = _w(15_540_000_000, 0, 4111, 2)
COMMIT_MECHANISM_WEIGHTS = _w(55_130_000, 0, 7, 2)
REVEAL_MECHANISM_WEIGHTS = _w(122_000_000, 0, 16, 2)
COMMIT_CRV3_MECHANISM_WEIGHTS = _w(77_750_000, 0, 7, 2)
COMMIT_TIMELOCKED_MECHANISM_WEIGHTS = _w(84_020_000, 0, 9, 2)
