"""frame_system's call weights (`frame_system::weights::SubstrateWeight<Runtime>`, which
subtensor configures as `SystemWeightInfo`), with subtensor's RocksDb weights.

Numbers from polkadot-sdk's `substrate/frame/system/src/weights.rs` (the benchmark of
2023-06-22 is the version read; a later regeneration in subtensor's SDK fork would move
these ref times, not the formulas).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import Weight

from .limits import ROCKS_DB_WEIGHT as DB
from .limits import U64_MAX

__all__ = [
    "apply_authorized_upgrade",
    "authorize_upgrade",
    "kill_prefix",
    "kill_storage",
    "remark",
    "remark_with_event",
    "set_code",
    "set_heap_pages",
    "set_storage",
]


def _parts(ref_time: int, proof_size: int) -> Weight:
    """`Weight::from_parts` of a linear formula, saturating at u64::MAX as Rust's arithmetic."""
    return Weight(min(ref_time, U64_MAX), min(proof_size, U64_MAX))


def _sat(w: Weight, *more: Weight) -> Weight:
    for m in more:
        w = w.saturating_add(m)
    return w


def remark(b: int) -> Weight:
    return _parts(2_119_000 + 390 * b, 0)


def remark_with_event(b: int) -> Weight:
    return _parts(8_097_000 + 1_455 * b, 0)


def set_heap_pages() -> Weight:
    return _sat(Weight(4_782_000, 1485), DB.reads(1), DB.writes(2))


def set_code() -> Weight:
    return _sat(Weight(87_586_619_000, 1485), DB.reads(1), DB.writes(2))


def set_storage(i: int) -> Weight:
    return _sat(_parts(2_175_000 + 841_511 * i, 0), _parts(DB.write * i, 0))


def kill_storage(i: int) -> Weight:
    return _sat(_parts(2_255_000 + 662_473 * i, 0), _parts(DB.write * i, 0))


def kill_prefix(p: int) -> Weight:
    return _sat(_parts(4_270_000 + 1_389_650 * p, 128), _parts(DB.read * p, 0), _parts(DB.write * p, 0),
                _parts(0, 70 * p))


def authorize_upgrade() -> Weight:
    return _sat(Weight(33_027_000, 0), DB.writes(1))


def apply_authorized_upgrade() -> Weight:
    return _sat(Weight(118_101_992_000, 1518), DB.reads(2), DB.writes(3))
