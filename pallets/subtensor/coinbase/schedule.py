"""When a subnet's epoch runs: subtensor main's stateful schedule (run_coinbase.rs
`should_run_epoch`, `blocks_until_next_auto_epoch`, `get_next_epoch_start_block`,
`epochs_deferred_this_block`; utils/misc.rs `apply_tempo_with_cycle_reset`; subnets/subnet.rs
`init_new_network`'s anchor), replacing spec 381's `(block + netuid + 1) % (tempo + 1)` rule.

A subnet's epoch slot is due at `LastEpochBlock + tempo` (period `tempo`), earlier when its
owner triggered one (`PendingEpochAt`, a block number, 0 for none), or whenever more than
`MAX_TEMPO` blocks passed since its last successful epoch (a safety net). At most
`MaxEpochsPerBlock` slots run in one block (in netuid order); each further due subnet is
deferred one block by setting `PendingEpochAt` to the next block. A consumed slot moves
`LastEpochBlock` to that block, clears `PendingEpochAt` and adds one to `SubnetEpochIndex`,
the epoch counter commit-reveal keys its commits by (coinbase/run_coinbase.py `drain_pending`).
"""

from __future__ import annotations

from pysubtensor.pallets.system.pallet import Number

from ..events import Event
from ..pallet import pallet
from ..storage_beyond_381 import LastEpochBlock, MaxEpochsPerBlock, PendingEpochAt, SubnetEpochIndex
from ..subnets.storage import Tempo
from .storage import BlocksSinceLastStep

__all__ = [
    "MAX_TEMPO", "MIN_TEMPO", "apply_tempo_with_cycle_reset", "blocks_until_next_auto_epoch",
    "current_epoch_with_lookahead", "epochs_deferred_this_block", "get_next_epoch_start_block",
    "initial_last_epoch_block", "set_max_epochs_per_block", "should_run_epoch",
]

#: main's lib.rs: the owner-settable tempo's bounds; `MAX_TEMPO` also bounds the blocks a
#: subnet may go without a successful epoch before one is forced.
MIN_TEMPO = 360
MAX_TEMPO = 50_400
_U64_MAX = (1 << 64) - 1


def should_run_epoch(netuid: int, block: int) -> bool:
    """The subnet's epoch slot is due at `block` (before the per-block cap)."""
    tempo = Tempo.get(netuid)
    if tempo == 0:
        return False
    pending = PendingEpochAt.get(netuid)
    if pending > 0 and block >= pending:
        return True
    if BlocksSinceLastStep.get(netuid) > MAX_TEMPO:
        return True
    return max(block - LastEpochBlock.get(netuid), 0) >= tempo


def blocks_until_next_auto_epoch(netuid: int, tempo: int, block: int) -> int:
    """Blocks from `block` to `LastEpochBlock + tempo` (0 once there or past); u64::MAX for a
    tempo of 0. Ignores a pending trigger, the safety net and the cap."""
    if tempo == 0:
        return _U64_MAX
    return max(min(LastEpochBlock.get(netuid) + tempo, _U64_MAX) - block, 0)


def get_next_epoch_start_block(netuid: int) -> int | None:
    """`LastEpochBlock + tempo`, or the pending trigger's block when that is earlier; None for a
    tempo of 0. Main's `SubnetInfoRuntimeApi::get_next_epoch_start_block`: ignores the cap's
    deferral and the safety net, so a deferred epoch reads as a block already past."""
    tempo = Tempo.get(netuid)
    if tempo == 0:
        return None
    auto_next = min(LastEpochBlock.get(netuid) + tempo, _U64_MAX)
    pending = PendingEpochAt.get(netuid)
    return min(auto_next, pending) if pending > 0 else auto_next


def current_epoch_with_lookahead(netuid: int) -> int:
    """The epoch a commit or reveal at the current block belongs to: `SubnetEpochIndex`, plus
    one when the slot is due this block (the hook that runs the reveal does so before the
    coinbase advances the counter; a commit in a due block belongs to the epoch it opens)."""
    base = SubnetEpochIndex.get(netuid)
    return min(base + 1, _U64_MAX) if should_run_epoch(netuid, Number.get()) else base


def epochs_deferred_this_block(subnets: list[int], block: int) -> set[int]:
    """The due subnets the cap holds back this block (drain_pending's rule, without writing):
    only slots whose inputs are consistent count towards the cap."""
    from ..epoch.run_epoch import (
        is_epoch_input_state_consistent,  # run_epoch imports the weights, which import this
    )

    cap = MaxEpochsPerBlock.get()
    deferred: set[int] = set()
    run = 0
    for netuid in subnets:
        if not should_run_epoch(netuid, block):
            continue
        if run >= cap:
            deferred.add(netuid)
            continue
        if is_epoch_input_state_consistent(netuid):
            run += 1
    return deferred


def initial_last_epoch_block(netuid: int, tempo: int, block: int) -> int:
    """A new subnet's anchor: `block - netuid % max(tempo, 1)`, saturating, so subnets
    registered together do not all run in the same block."""
    return max(block - netuid % max(tempo, 1), 0)


def apply_tempo_with_cycle_reset(netuid: int, tempo: int) -> None:
    """Set the tempo and restart the cycle: the next automatic epoch is `tempo` blocks away."""
    Tempo.insert(netuid, tempo)
    pallet.deposit_event(Event.TempoSet(netuid, tempo))
    LastEpochBlock.insert(netuid, Number.get())


def set_max_epochs_per_block(max_epochs_per_block: int) -> None:
    MaxEpochsPerBlock.put(max_epochs_per_block)
    pallet.deposit_event(Event.MaxEpochsPerBlockSet(max_epochs_per_block))
