"""Main's one-shot `migrate_dynamic_tempo` (migrations/migrate_dynamic_tempo.rs), run from
SubtensorModule's `on_runtime_upgrade` (hooks.py): it moves a chain whose state was written
under spec 381's schedule onto the stateful one without moving any epoch.

1. Each subnet with a non-zero tempo gets the `LastEpochBlock` that puts its next epoch
   (`LastEpochBlock + tempo`) on the block spec 381's rule
   (`(block + netuid + 1) % (tempo + 1) == tempo`) would have run it.
2. Its `SubnetEpochIndex` starts at spec 381's epoch index `(block + netuid + 1) / (tempo + 1)`,
   so the epochs commit-reveal commits are keyed by stay valid.
3. Every hash commit `(hash, commit_block, first, last)` becomes `(hash, commit_epoch,
   commit_block, 0)` with spec 381's epoch of its block.

Main's step converting `ActivityCutoff` into `ActivityCutoffFactorMilli` is not here: that
item is not built. A fresh chain never runs this (its genesis records the runtime version).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, DispatchError, Weight
from pysubtensor.pallets.system.pallet import Number

from ..storage_beyond_381 import LastEpochBlock, SubnetEpochIndex
from ..subnets.storage import Tempo
from ..utils.neuron_lookup import get_netuid_and_mecid
from ..utils.storage import HasMigrationRun
from ..weights.storage import WeightCommits

__all__ = ["MIGRATION_NAME", "migrate_dynamic_tempo"]

MIGRATION_NAME = b"dynamic_tempo_v1"
_U64_MAX = (1 << 64) - 1


def _netuid_of(netuid_index: int) -> int:
    """`get_netuid_and_subid(index).unwrap_or_default()`: netuid 0 for an index whose
    mechanism does not exist."""
    try:
        return get_netuid_and_mecid(netuid_index)[0]
    except DispatchError:
        return 0


def migrate_dynamic_tempo() -> Weight:
    weight = ROCKS_DB_WEIGHT.reads(1)
    if HasMigrationRun.get(MIGRATION_NAME):
        return weight
    block = Number.get()
    reads = writes = 0
    netuids = list(Tempo.iter_keys())
    reads += len(netuids)
    for netuid in netuids:
        tempo = Tempo.get(netuid)
        reads += 1
        if tempo == 0:
            continue  # never runs, as before
        adjusted = (block + netuid + 1) & _U64_MAX  # Rust's wrapping_add
        blocks_until_next = max(tempo - adjusted % (tempo + 1), 0)
        LastEpochBlock.insert(netuid, max(block - (tempo - blocks_until_next), 0))
        SubnetEpochIndex.insert(netuid, adjusted // (tempo + 1))
        writes += 2
    entries = list(WeightCommits.iter())
    reads += len(entries)
    for (netuid_index, account), commits in entries:
        netuid = _netuid_of(netuid_index)
        tempo = Tempo.get(netuid)
        reads += 1
        WeightCommits.insert(netuid_index, account, [
            (commit_hash, min(commit_block + netuid + 1, _U64_MAX) // (tempo + 1), commit_block, 0)
            for commit_hash, commit_block, _first, _last in commits])
        writes += 1
    HasMigrationRun.insert(MIGRATION_NAME, True)
    return weight.saturating_add(ROCKS_DB_WEIGHT.reads_writes(reads, writes + 1))
