"""Weights of `pallet_subtensor_utility`: `SubstrateWeight` from subtensor's
pallets/utility/src/weights.rs (benchmarked 2026-06-23), with the runtime's
`DbWeight = RocksDbWeight`. `c` is the number of calls in a batch.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = ["as_derivative", "batch", "batch_all", "dispatch_as", "dispatch_as_fallible", "force_batch", "if_else"]

# Each of these reads `SafeMode::EnteredUntil` and `SubtensorModule::ColdkeySwapAnnouncements`.
_TWO_READS = ROCKS_DB_WEIGHT.reads(2)


def batch(c: int) -> Weight:
    return Weight(19_446_696 + 5_450_264 * c, 3983).saturating_add(_TWO_READS)


def as_derivative() -> Weight:
    return Weight(15_378_000, 3983).saturating_add(_TWO_READS)


def batch_all(c: int) -> Weight:
    return Weight(13_428_230 + 5_663_250 * c, 3983).saturating_add(_TWO_READS)


def dispatch_as() -> Weight:
    return Weight(6_893_000, 0)


def force_batch(c: int) -> Weight:
    return Weight(12_134_867 + 5_477_293 * c, 3983).saturating_add(_TWO_READS)


def dispatch_as_fallible() -> Weight:
    return Weight(7_113_000, 0)


def if_else() -> Weight:
    return Weight(21_831_000, 3983).saturating_add(_TWO_READS)
