"""`pallet_scheduler::weights::SubstrateWeight<Runtime>` (polkadot-sdk
substrate/frame/scheduler/src/weights.rs), with the runtime's RocksDb weights, and the
pallet's `MarginalWeightInfo::service_task`."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT as DB
from pysubtensor.pallets.support.dispatch import Weight


def service_agendas_base() -> Weight:
    return Weight(4_002_000, 1489).saturating_add(DB.reads_writes(1, 1))


def service_agenda_base(s: int) -> Weight:
    return Weight(3_258_412 + 457_723 * s, 110487).saturating_add(DB.reads_writes(1, 1))


def service_task_base() -> Weight:
    return Weight(3_490_000, 0)


def service_task_fetched(s: int) -> Weight:
    return Weight(21_269_000 + 1_640 * s, 4197809).saturating_add(DB.reads_writes(3, 2))


def service_task_named() -> Weight:
    return Weight(4_954_000, 0).saturating_add(DB.writes(1))


def service_task_periodic() -> Weight:
    return Weight(3_401_000, 0)


def execute_dispatch_signed() -> Weight:
    return Weight(9_407_000, 3997).saturating_add(DB.reads(2))


def execute_dispatch_unsigned() -> Weight:
    return Weight(2_440_000, 0)


def schedule(s: int) -> Weight:
    return Weight(11_548_266 + 494_382 * s, 110487).saturating_add(DB.reads_writes(1, 1))


def cancel(s: int) -> Weight:
    return Weight(13_129_003 + 690_444 * s, 110487).saturating_add(DB.reads_writes(1, 3))


def schedule_named(s: int) -> Weight:
    return Weight(18_707_577 + 508_586 * s, 110487).saturating_add(DB.reads_writes(2, 2))


def cancel_named(s: int) -> Weight:
    return Weight(19_956_973 + 683_291 * s, 110487).saturating_add(DB.reads_writes(2, 3))


def schedule_retry(s: int) -> Weight:
    return Weight(12_904_309 + 10_704 * s, 110487).saturating_add(DB.reads_writes(1, 2))


def set_retry() -> Weight:
    return Weight(147_698_000, 110487).saturating_add(DB.reads_writes(1, 1))


def set_retry_named() -> Weight:
    return Weight(160_844_000, 110487).saturating_add(DB.reads_writes(2, 1))


def cancel_retry() -> Weight:
    return Weight(148_172_000, 110487).saturating_add(DB.reads_writes(1, 1))


def cancel_retry_named() -> Weight:
    return Weight(162_653_000, 110487).saturating_add(DB.reads_writes(2, 1))


def service_task(maybe_lookup_len: int | None, named: bool, periodic: bool) -> Weight:
    """`MarginalWeightInfo::service_task`: the base (or fetched) cost plus what naming and
    periodicity add."""
    base = service_task_base()
    total = base if maybe_lookup_len is None else service_task_fetched(maybe_lookup_len)
    if named:
        total = total.saturating_add(service_task_named().saturating_sub(base))
    if periodic:
        total = total.saturating_add(service_task_periodic().saturating_sub(base))
    return total
