"""`pallet_safe_mode::weights::SubstrateWeight<Runtime>` (polkadot-sdk
substrate/frame/safe-mode/src/weights.rs), with the runtime's RocksDb weights."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT as DB
from pysubtensor.pallets.support.dispatch import Weight


def on_initialize_noop() -> Weight:
    return Weight(3_058_000, 1489).saturating_add(DB.reads(1))


def on_initialize_exit() -> Weight:
    return Weight(8_029_000, 1489).saturating_add(DB.reads_writes(1, 1))


def enter() -> Weight:
    return Weight(53_290_000, 3802).saturating_add(DB.reads_writes(2, 3))


def force_enter() -> Weight:
    return Weight(8_818_000, 1489).saturating_add(DB.reads_writes(1, 1))


def extend() -> Weight:
    return Weight(54_027_000, 3802).saturating_add(DB.reads_writes(2, 3))


def force_extend() -> Weight:
    return Weight(10_066_000, 1489).saturating_add(DB.reads_writes(1, 1))


def force_exit() -> Weight:
    return Weight(9_766_000, 1489).saturating_add(DB.reads_writes(1, 1))


def release_deposit() -> Weight:
    return Weight(45_648_000, 3802).saturating_add(DB.reads_writes(3, 2))


def force_release_deposit() -> Weight:
    return Weight(43_363_000, 3802).saturating_add(DB.reads_writes(2, 2))


def force_slash_deposit() -> Weight:
    return Weight(35_510_000, 3802).saturating_add(DB.reads_writes(2, 2))
