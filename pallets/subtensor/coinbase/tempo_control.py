"""Owner control of a subnet's epochs (main's coinbase/tempo_control.rs), newer than spec 381
(tests/support/metadata.py ITEMS_BEYOND_381): `set_tempo`, a new tempo within
`[MIN_TEMPO, MAX_TEMPO]` at most once per `MIN_TEMPO` blocks (`TransactionType::TempoUpdate`),
outside the admin freeze window, restarting the cycle; and `trigger_epoch`, an epoch
`AdminFreezeWindow` blocks from now. Main's `set_activity_cutoff_factor` is not built.

The trigger is refused while commit-reveal is on (an epoch outside the schedule would move the
reveal epoch away from the drand round the commits were encrypted to), while one is pending,
when the next automatic epoch is nearer than the window anyway, and more often than once per
`OwnerHyperparamRateLimit` tempos (`OwnerHyperparamUpdate(TriggerEpoch)`). The pending trigger
also holds the subnet's admin freeze window open until it fires (utils/admin.py).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Weight, ensure
from pysubtensor.pallets.support.types import u16
from pysubtensor.pallets.system.pallet import Number

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..storage_beyond_381 import PendingEpochAt
from ..subnets.logic import ensure_subnet_owner
from ..subnets.storage import AdminFreezeWindow, Tempo
from ..types import NetUid
from ..utils.admin import ensure_admin_window_open, passes_rate_limit_on_subnet, set_last_block_on_subnet
from ..weights.storage import CommitRevealWeightsEnabled
from .schedule import MAX_TEMPO, MIN_TEMPO, apply_tempo_with_cycle_reset, blocks_until_next_auto_epoch

__all__ = ["do_set_tempo", "do_trigger_epoch", "set_tempo", "trigger_epoch"]

_TRIGGER_EPOCH = "TriggerEpoch"  # `OwnerHyperparamUpdate(Hyperparameter::TriggerEpoch)`
_TEMPO_UPDATE = "TempoUpdate"  # `TransactionType::TempoUpdate`, a fixed `MIN_TEMPO`-block cooldown


def do_set_tempo(origin: Origin, netuid: int, tempo: int) -> None:
    who = ensure_subnet_owner(origin, netuid)
    ensure(MIN_TEMPO <= tempo <= MAX_TEMPO, Error.TempoOutOfBounds)
    ensure_admin_window_open(netuid)
    ensure(passes_rate_limit_on_subnet(_TEMPO_UPDATE, who, netuid), Error.TxRateLimitExceeded)
    now = Number.get()
    apply_tempo_with_cycle_reset(netuid, tempo)
    set_last_block_on_subnet(_TEMPO_UPDATE, who, netuid, now)


def do_trigger_epoch(origin: Origin, netuid: int) -> None:
    who = ensure_subnet_owner(origin, netuid)
    ensure(not CommitRevealWeightsEnabled.get(netuid), Error.DynamicTempoBlockedByCommitReveal)
    # No admin-window check: the trigger defines the next epoch.
    ensure(PendingEpochAt.get(netuid) == 0, Error.EpochTriggerAlreadyPending)
    now = Number.get()
    window = AdminFreezeWindow.get()
    ensure(blocks_until_next_auto_epoch(netuid, Tempo.get(netuid), now) >= window, Error.AutoEpochAlreadyImminent)
    ensure(passes_rate_limit_on_subnet(_TRIGGER_EPOCH, who, netuid), Error.TxRateLimitExceeded)
    fires_at = min(now + window, (1 << 64) - 1)
    PendingEpochAt.insert(netuid, fires_at)
    set_last_block_on_subnet(_TRIGGER_EPOCH, who, netuid, now)
    pallet.deposit_event(Event.EpochTriggered(netuid, who, fires_at))


@pallet.call(139, weight=Weight(46_407_000, 4440) + ROCKS_DB_WEIGHT.reads_writes(6, 3))
def set_tempo(origin: Origin, netuid: NetUid, tempo: u16) -> None:
    """Owner-side `set_tempo`. Validates `[MinTempo, MaxTempo]`, applies a fixed
    `MinTempo`-block cooldown via `TransactionType::TempoUpdate`, respects the admin
    freeze window, and resets the cycle (`LastEpochBlock = current_block`) on success."""
    do_set_tempo(origin, netuid, tempo)


@pallet.call(141, weight=Weight(42_539_000, 4447) + ROCKS_DB_WEIGHT.reads_writes(8, 2))
def trigger_epoch(origin: Origin, netuid: NetUid) -> None:
    """Owner-side `trigger_epoch`. Schedules an epoch to fire after `AdminFreezeWindow`
    blocks. Rate-limited via the existing `OwnerHyperparamUpdate` pattern."""
    do_trigger_epoch(origin, netuid)
