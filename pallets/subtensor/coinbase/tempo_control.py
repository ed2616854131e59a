"""Owner control of a subnet's epochs (main's coinbase/tempo_control.rs): `trigger_epoch`, an
epoch `AdminFreezeWindow` blocks from now (newer than spec 381: tests/support/metadata.py
ITEMS_BEYOND_381). Main's owner-side `set_tempo` and `set_activity_cutoff_factor` are not built.

The trigger is refused while commit-reveal is on (an epoch outside the schedule would move the
reveal epoch away from the drand round the commits were encrypted to), while one is pending,
when the next automatic epoch is nearer than the window anyway, and more often than once per
`OwnerHyperparamRateLimit` tempos (`OwnerHyperparamUpdate(TriggerEpoch)`). The pending trigger
also holds the subnet's admin freeze window open until it fires (utils/admin.py).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Weight, ensure
from pysubtensor.pallets.system.pallet import Number

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from ..storage_beyond_381 import PendingEpochAt
from ..subnets.logic import ensure_subnet_owner
from ..subnets.storage import AdminFreezeWindow, Tempo
from ..types import NetUid
from ..utils.admin import passes_rate_limit_on_subnet, set_last_block_on_subnet
from ..weights.storage import CommitRevealWeightsEnabled
from .schedule import blocks_until_next_auto_epoch

__all__ = ["do_trigger_epoch", "trigger_epoch"]

_TRIGGER_EPOCH = "TriggerEpoch"  # `OwnerHyperparamUpdate(Hyperparameter::TriggerEpoch)`


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


@pallet.call(141, weight=Weight(42_539_000, 4447) + ROCKS_DB_WEIGHT.reads_writes(8, 2))
def trigger_epoch(origin: Origin, netuid: NetUid) -> None:
    """Owner-side `trigger_epoch`. Schedules an epoch to fire after `AdminFreezeWindow`
    blocks. Rate-limited via the existing `OwnerHyperparamUpdate` pattern."""
    do_trigger_epoch(origin, netuid)
