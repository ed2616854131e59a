"""Weights of `pallet_crowdloan`: `SubstrateWeight` of subtensor's pallets/crowdloan/src/weights.rs
(the spec-381 runtime's benchmark run), with the runtime's `DbWeight = RocksDbWeight`."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = ["contribute", "create", "dissolve", "finalize", "refund", "update_cap", "update_end",
           "update_min_contribution", "withdraw"]


def create() -> Weight:
    return Weight(42_930_000, 6148).saturating_add(ROCKS_DB_WEIGHT.reads_writes(3, 5))


def contribute() -> Weight:
    return Weight(44_192_000, 6148).saturating_add(ROCKS_DB_WEIGHT.reads_writes(4, 4))


def withdraw() -> Weight:
    return Weight(40_907_000, 6148).saturating_add(ROCKS_DB_WEIGHT.reads_writes(4, 4))


def finalize() -> Weight:
    return Weight(41_858_000, 6148).saturating_add(ROCKS_DB_WEIGHT.reads_writes(4, 4))


def refund(k: int) -> Weight:
    """`k` contributors refunded: two reads and two writes each (their account, their entry)."""
    return (Weight(2_729_302, 3743)
            .saturating_add(Weight(31_033_274 * k, 0))
            .saturating_add(ROCKS_DB_WEIGHT.reads(2))
            .saturating_add(ROCKS_DB_WEIGHT.reads(2 * k))
            .saturating_add(ROCKS_DB_WEIGHT.writes(2 * k))
            .saturating_add(Weight(0, 2579 * k)))


def dissolve() -> Weight:
    return Weight(44_402_000, 6148).saturating_add(ROCKS_DB_WEIGHT.reads_writes(4, 3))


def update_min_contribution() -> Weight:
    return Weight(9_137_000, 3743).saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))


def update_end() -> Weight:
    return Weight(9_438_000, 3743).saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))


def update_cap() -> Weight:
    return Weight(9_087_000, 3743).saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))
