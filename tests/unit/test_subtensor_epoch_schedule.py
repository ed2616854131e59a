"""subtensor main's stateful epoch schedule (pallets/subtensor/coinbase/schedule.py,
run_coinbase.py `drain_pending`, tempo_control.py `trigger_epoch`).

Ports of main's Rust tests name the test they port (tests/tempo_control.rs, tests/emission.rs,
tests/coinbase.rs) and keep its numbers; the rest check main's source rules the Rust tests do
not pin (the deferral's writes and event, a skipped slot, the safety net, the anchor, the
clean-up), each written from run_coinbase.rs / subnet.rs / root.rs.
"""

from __future__ import annotations

import pytest

from pysubtensor.pallets import system
from pysubtensor.pallets.subtensor.apis.subnet_info import get_next_epoch_start_block
from pysubtensor.pallets.subtensor.coinbase.migrate_dynamic_tempo import migrate_dynamic_tempo
from pysubtensor.pallets.subtensor.coinbase.run_coinbase import drain_pending
from pysubtensor.pallets.subtensor.coinbase.schedule import (
    MAX_TEMPO,
    MIN_TEMPO,
    blocks_until_next_auto_epoch,
    epochs_deferred_this_block,
    should_run_epoch,
)
from pysubtensor.pallets.subtensor.coinbase.storage import (
    BlocksSinceLastStep,
    PendingOwnerCut,
    PendingServerEmission,
    PendingValidatorEmission,
)
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.neurons.storage import Keys
from pysubtensor.pallets.subtensor.storage_beyond_381 import (
    LastEpochBlock,
    MaxEpochsPerBlock,
    PendingEpochAt,
    SubnetEpochIndex,
)
from pysubtensor.pallets.subtensor.subnets.dissolve import remove_network
from pysubtensor.pallets.subtensor.subnets.logic import init_new_network
from pysubtensor.pallets.subtensor.subnets.storage import (
    AdminFreezeWindow,
    NetworksAdded,
    OwnerHyperparamRateLimit,
    SubnetOwner,
    SubtokenEnabled,
    Tempo,
)
from pysubtensor.pallets.subtensor.utils.storage import HasMigrationRun
from pysubtensor.pallets.subtensor.weights.reveal import reveal_crv3_commits
from pysubtensor.pallets.subtensor.weights.storage import (
    CommitRevealWeightsEnabled,
    TimelockedWeightCommits,
    WeightCommits,
)
from pysubtensor.pallets.support.dispatch import BadOrigin
from tests.support.subtensor_seed import PALLET, account, add_network, call, chain, failed_with, run_to_block

U64_MAX = (1 << 64) - 1
U16_MAX = 0xFFFF
OWNER = account(1)
NETUID = 1


def ok(result) -> bool:
    return not isinstance(result, Exception)


def subnets() -> list[int]:
    return [netuid for netuid, _ in NetworksAdded.iter() if netuid != 0]


# ---------------------------------------------------------------------------
# tests/tempo_control.rs


def setup_subnet(owner: bytes = OWNER) -> int:
    """tempo_control.rs `setup_subnet`: subnet 1 (tempo 360) owned by `owner`, no freeze window."""
    add_network(NETUID, 360)
    SubnetOwner.insert(NETUID, owner)
    SubtokenEnabled.insert(NETUID, True)
    AdminFreezeWindow.put(0)
    return NETUID


def test_do_set_tempo_works_with_commit_reveal_enabled():
    """tempo_control.rs `do_set_tempo_works_with_commit_reveal_enabled`."""
    with chain(block=1):
        netuid = setup_subnet()
        assert CommitRevealWeightsEnabled.get(netuid)
        assert ok(call("set_tempo", OWNER, netuid=netuid, tempo=720))
        assert Tempo.get(netuid) == 720


def test_get_next_epoch_start_block_reflects_set_tempo_cycle_reset():
    """tempo_control.rs `get_next_epoch_start_block_reflects_set_tempo_cycle_reset`: at block
    10, `set_tempo(720)`: the next epoch is 10 + 720."""
    with chain(block=1):
        netuid = setup_subnet()
        run_to_block(10)
        assert ok(call("set_tempo", OWNER, netuid=netuid, tempo=720))
        assert get_next_epoch_start_block(netuid) == 10 + 720


def test_set_tempo_bounds_origin_window_and_cooldown():
    """Not a Rust test (tempo_control.rs `do_set_tempo`): the owner only, within
    `[MIN_TEMPO, MAX_TEMPO]`, outside the freeze window, at most once per `MIN_TEMPO` blocks."""
    with chain(block=1) as events:
        netuid = setup_subnet()
        assert failed_with(call("set_tempo", account(2), netuid=netuid, tempo=400), BadOrigin)
        assert failed_with(call("set_tempo", None, netuid=netuid, tempo=400), BadOrigin)
        for bad in (MIN_TEMPO - 1, MAX_TEMPO + 1):
            assert failed_with(call("set_tempo", OWNER, netuid=netuid, tempo=bad), Error.TempoOutOfBounds)
        AdminFreezeWindow.put(360)  # anchor 0, tempo 360: block 1 is inside the last 360 blocks
        assert failed_with(call("set_tempo", OWNER, netuid=netuid, tempo=400),
                           Error.AdminActionProhibitedDuringWeightsWindow)
        AdminFreezeWindow.put(0)
        events.clear()
        assert ok(call("set_tempo", OWNER, netuid=netuid, tempo=MIN_TEMPO))
        assert events == [("SubtensorModule", Event.TempoSet(netuid, MIN_TEMPO))] and LastEpochBlock.get(netuid) == 1
        run_to_block(1 + MIN_TEMPO - 1)
        assert failed_with(call("set_tempo", OWNER, netuid=netuid, tempo=MAX_TEMPO), Error.TxRateLimitExceeded)
        run_to_block(1 + MIN_TEMPO)
        assert ok(call("set_tempo", OWNER, netuid=netuid, tempo=MAX_TEMPO))
        assert (Tempo.get(netuid), LastEpochBlock.get(netuid)) == (MAX_TEMPO, 1 + MIN_TEMPO)


def test_do_trigger_epoch_blocked_with_commit_reveal_enabled():
    """tempo_control.rs `do_trigger_epoch_blocked_with_commit_reveal_enabled`."""
    with chain(block=1):
        netuid = setup_subnet()
        assert CommitRevealWeightsEnabled.get(netuid)
        AdminFreezeWindow.put(5)
        assert failed_with(call("trigger_epoch", OWNER, netuid=netuid), Error.DynamicTempoBlockedByCommitReveal)
        assert PendingEpochAt.get(netuid) == 0


def test_do_trigger_epoch_works_with_commit_reveal_disabled():
    """tempo_control.rs `do_trigger_epoch_works_with_commit_reveal_disabled`: fires at now + 5;
    the `EpochTriggered` event carries the block."""
    with chain(block=1) as events:
        netuid = setup_subnet()
        CommitRevealWeightsEnabled.insert(netuid, False)
        AdminFreezeWindow.put(5)
        assert ok(call("trigger_epoch", OWNER, netuid=netuid))
        assert PendingEpochAt.get(netuid) == 1 + 5
        assert events[-1] == ("SubtensorModule", Event.EpochTriggered(netuid, OWNER, 6))


def test_do_trigger_epoch_rejects_when_auto_epoch_already_imminent():
    """tempo_control.rs `do_trigger_epoch_rejects_when_auto_epoch_already_imminent`:
    remaining = (LastEpochBlock 1 + tempo 10) - block 5 = 6 < window 8."""
    with chain(block=1):
        netuid = setup_subnet()
        CommitRevealWeightsEnabled.insert(netuid, False)
        Tempo.insert(netuid, 10)
        LastEpochBlock.insert(netuid, 1)
        AdminFreezeWindow.put(8)
        run_to_block(5)
        assert failed_with(call("trigger_epoch", OWNER, netuid=netuid), Error.AutoEpochAlreadyImminent)
        assert PendingEpochAt.get(netuid) == 0
        run_to_block(3)  # remaining 8, not below the window: allowed
        assert ok(call("trigger_epoch", OWNER, netuid=netuid))
        assert PendingEpochAt.get(netuid) == 3 + 8


def test_trigger_epoch_origin_pending_and_rate_limit():
    """Not a Rust test (tempo_control.rs `do_trigger_epoch`): only the owner (root is
    BadOrigin too), one pending trigger at a time, and `OwnerHyperparamUpdate(TriggerEpoch)`:
    once per `OwnerHyperparamRateLimit` tempos."""
    with chain(block=1):
        netuid = setup_subnet()
        CommitRevealWeightsEnabled.insert(netuid, False)
        Tempo.insert(netuid, 100)
        OwnerHyperparamRateLimit.put(2)  # 200 blocks
        assert failed_with(call("trigger_epoch", account(2), netuid=netuid), BadOrigin)
        assert failed_with(call("trigger_epoch", None, netuid=netuid), BadOrigin)
        assert ok(call("trigger_epoch", OWNER, netuid=netuid))
        assert failed_with(call("trigger_epoch", OWNER, netuid=netuid), Error.EpochTriggerAlreadyPending)
        assert PendingEpochAt.get(netuid) == 1 and SubnetEpochIndex.get(netuid) == 0
        run_to_block(2)
        drain_pending([netuid], 2)  # the next block's coinbase: the trigger fires
        assert (PendingEpochAt.get(netuid), LastEpochBlock.get(netuid), SubnetEpochIndex.get(netuid)) == (0, 2, 1)
        run_to_block(200)
        assert failed_with(call("trigger_epoch", OWNER, netuid=netuid), Error.TxRateLimitExceeded)
        run_to_block(201)
        assert ok(call("trigger_epoch", OWNER, netuid=netuid))


def test_get_next_epoch_start_block_returns_none_when_tempo_zero():
    """tempo_control.rs `get_next_epoch_start_block_returns_none_when_tempo_zero`."""
    with chain(block=1):
        netuid = setup_subnet()
        Tempo.insert(netuid, 0)
        assert get_next_epoch_start_block(netuid) is None


@pytest.mark.parametrize(("pending", "expected"), [(0, 150), (120, 120), (200, 150)])
def test_get_next_epoch_start_block(pending, expected):
    """tempo_control.rs `get_next_epoch_start_block_uses_last_epoch_block_plus_tempo` (100 + 50),
    `..._returns_pending_when_pending_is_earlier` (min(150, 120)) and
    `..._ignores_pending_when_auto_is_earlier` (min(150, 200))."""
    with chain(block=1):
        netuid = setup_subnet()
        LastEpochBlock.insert(netuid, 100)
        Tempo.insert(netuid, 50)
        PendingEpochAt.insert(netuid, pending)
        assert get_next_epoch_start_block(netuid) == expected


# ---------------------------------------------------------------------------
# tests/emission.rs: `blocks_until_next_auto_epoch`


def test_zero_tempo():
    """emission.rs `test_zero_tempo`."""
    with chain(block=1):
        assert blocks_until_next_auto_epoch(1, 0, 100) == U64_MAX


def test_regular_case():
    """emission.rs `test_regular_case`: (LastEpochBlock + tempo) - block."""
    with chain(block=1):
        for netuid in (1, 2, 3):
            LastEpochBlock.insert(netuid, 0)
        assert blocks_until_next_auto_epoch(1, 10, 5) == 5
        assert blocks_until_next_auto_epoch(2, 20, 15) == 5
        assert blocks_until_next_auto_epoch(3, 30, 25) == 5


def test_boundary_conditions():
    """emission.rs `test_boundary_conditions`."""
    with chain(block=1):
        LastEpochBlock.insert(U16_MAX, 0)
        assert blocks_until_next_auto_epoch(U16_MAX, U16_MAX, U64_MAX) == 0
        assert blocks_until_next_auto_epoch(U16_MAX, U16_MAX, 0) == U16_MAX


def test_overflow_handling():
    """emission.rs `test_overflow_handling`."""
    with chain(block=1):
        LastEpochBlock.insert(U16_MAX, 0)
        assert blocks_until_next_auto_epoch(U16_MAX, U16_MAX, U64_MAX - 1) == 0


def test_epoch_alignment():
    """emission.rs `test_epoch_alignment`."""
    with chain(block=1):
        LastEpochBlock.insert(1, 0)
        LastEpochBlock.insert(2, 0)
        assert blocks_until_next_auto_epoch(1, 10, 9) == 1
        assert blocks_until_next_auto_epoch(2, 20, 21) == 0


def test_different_network_ids():
    """emission.rs `test_different_network_ids`: the netuid no longer enters the formula."""
    with chain(block=1):
        for netuid in (1, 2, 3):
            LastEpochBlock.insert(netuid, 0)
            assert blocks_until_next_auto_epoch(netuid, 10, 5) == 5


def test_large_tempo_values():
    """emission.rs `test_large_tempo_values`."""
    with chain(block=1):
        LastEpochBlock.insert(1, 0)
        assert blocks_until_next_auto_epoch(1, U16_MAX - 1, 100) == U16_MAX - 1 - 100


def test_consecutive_blocks():
    """emission.rs `test_consecutive_blocks`."""
    with chain(block=1):
        LastEpochBlock.insert(1, 0)
        last = blocks_until_next_auto_epoch(1, 10, 0)
        for i in range(1, 10 - 1):
            current = blocks_until_next_auto_epoch(1, 10, i)
            assert current == last - 1
            last = current


def test_wrap_around_behavior():
    """emission.rs `test_wrap_around_behavior`."""
    with chain(block=1):
        LastEpochBlock.insert(1, 0)
        assert blocks_until_next_auto_epoch(1, 10, U64_MAX) == 0
        assert blocks_until_next_auto_epoch(1, 10, U64_MAX - 1) == 0


# ---------------------------------------------------------------------------
# tests/coinbase.rs: the per-block cap


def _due_subnets(n: int) -> list[int]:
    """`n` subnets of tempo 100, each due this block (a trigger at block 1)."""
    for i in range(n):
        add_network(i + 1, 100)
        PendingEpochAt.insert(i + 1, 1)
    return subnets()


def test_epochs_deferred_this_block_respects_cap():
    """coinbase.rs `test_epochs_deferred_this_block_respects_cap`: cap + 2 due subnets, cap of
    them run, the rest are deferred (and still due)."""
    with chain(block=1):
        cap = MaxEpochsPerBlock.get()
        nets = _due_subnets(cap + 2)
        deferred = epochs_deferred_this_block(nets, 1)
        assert len(deferred) == 2
        assert all(should_run_epoch(netuid, 1) for netuid in deferred)


def test_reveal_crv3_defers_with_capped_epoch():
    """coinbase.rs `test_reveal_crv3_defers_with_capped_epoch`: a subnet whose epoch the cap
    defers keeps its (expired, epoch-0) commit until its epoch actually runs."""
    with chain(block=1):
        cap = MaxEpochsPerBlock.get()
        nets = _due_subnets(cap + 2)
        for netuid in nets:
            SubnetEpochIndex.insert(netuid, 10)
            TimelockedWeightCommits.insert(netuid, 0, [(account(1), 0, b"", 0)])

        def still_holds(netuid: int) -> bool:
            return TimelockedWeightCommits.contains_key(netuid, 0)

        reveal_crv3_commits()
        deferred = [netuid for netuid in nets if still_holds(netuid)]
        assert len(deferred) == len(nets) - cap
        for netuid in nets:
            if netuid not in deferred:
                PendingEpochAt.insert(netuid, 0)
                LastEpochBlock.insert(netuid, 1)
        reveal_crv3_commits()
        assert not any(still_holds(netuid) for netuid in nets)


# ---------------------------------------------------------------------------
# main's source rules (run_coinbase.rs `drain_pending`, `should_run_epoch`)


def test_drain_pending_runs_the_cap_and_defers_the_rest_one_block():
    """Not a Rust test (run_coinbase.rs `drain_pending`): with a cap of 2 and 3 subnets due,
    netuids 1 and 2 consume their slot (pending drained, counter + 1, anchor = block, trigger
    cleared, `BlocksSinceLastStep` = 0); netuid 3 is deferred: `PendingEpochAt` = block + 1,
    `EpochDeferred`, its pending kept, its schedule untouched. It runs the next block."""
    with chain(block=1) as events:
        nets = _due_subnets(3)
        MaxEpochsPerBlock.put(2)
        for netuid in nets:
            PendingServerEmission.insert(netuid, 100 * netuid)
            PendingValidatorEmission.insert(netuid, 7)
            PendingOwnerCut.insert(netuid, 3)
        events.clear()
        drained = drain_pending(nets, 1)
        assert drained == {1: (100, 7, 0, 3), 2: (200, 7, 0, 3)}
        for netuid in (1, 2):
            assert (LastEpochBlock.get(netuid), PendingEpochAt.get(netuid), SubnetEpochIndex.get(netuid),
                    BlocksSinceLastStep.get(netuid), PendingServerEmission.get(netuid)) == (1, 0, 1, 0, 0)
        assert (LastEpochBlock.get(3), PendingEpochAt.get(3), SubnetEpochIndex.get(3),
                BlocksSinceLastStep.get(3), PendingServerEmission.get(3)) == (0, 2, 0, 1, 300)
        assert events == [("SubtensorModule", Event.EpochDeferred(3, 1, 2))]
        run_to_block(2)
        assert drain_pending(nets, 2) == {3: (300, 7, 0, 3)}
        assert (LastEpochBlock.get(3), PendingEpochAt.get(3), SubnetEpochIndex.get(3)) == (2, 0, 1)


def test_drain_pending_skips_an_inconsistent_slot_but_consumes_it():
    """Not a Rust test (run_coinbase.rs `drain_pending`): a subnet whose `Keys` hold a hotkey
    twice runs no epoch (`EpochSkipped`, pending kept, `BlocksSinceLastStep` not reset, no
    place under the cap) but its slot is consumed (anchor, trigger, counter)."""
    with chain(block=1) as events:
        nets = _due_subnets(2)
        MaxEpochsPerBlock.put(1)
        Keys.insert(1, 0, account(7))
        Keys.insert(1, 1, account(7))
        PendingServerEmission.insert(1, 55)
        events.clear()
        assert list(drain_pending(nets, 1)) == [2]  # netuid 1 took no place under the cap of 1
        assert (LastEpochBlock.get(1), PendingEpochAt.get(1), SubnetEpochIndex.get(1),
                BlocksSinceLastStep.get(1), PendingServerEmission.get(1)) == (1, 0, 1, 1, 55)
        assert events == [("SubtensorModule", Event.EpochSkipped(1, 1))]


def test_should_run_epoch_rules():
    """Not a Rust test (run_coinbase.rs `should_run_epoch`): tempo 0 never (even triggered);
    a due trigger; more than `MAX_TEMPO` blocks without a successful epoch; else
    `block - LastEpochBlock >= tempo`."""
    with chain(block=1):
        add_network(1, 10)
        LastEpochBlock.insert(1, 100)
        assert not should_run_epoch(1, 109) and should_run_epoch(1, 110) and should_run_epoch(1, 500)
        assert not should_run_epoch(1, 50)  # before the anchor
        PendingEpochAt.insert(1, 105)
        assert not should_run_epoch(1, 104) and should_run_epoch(1, 105)
        PendingEpochAt.insert(1, 0)
        BlocksSinceLastStep.insert(1, MAX_TEMPO)
        assert not should_run_epoch(1, 101)
        BlocksSinceLastStep.insert(1, MAX_TEMPO + 1)
        assert should_run_epoch(1, 101)
        Tempo.insert(1, 0)
        PendingEpochAt.insert(1, 101)
        assert not should_run_epoch(1, 101)


@pytest.mark.parametrize(("block", "netuid", "tempo", "anchor"), [
    (1000, 7, 360, 993), (1000, 400, 360, 960), (1000, 5, 0, 1000), (3, 7, 360, 0), (1000, 3, 1, 1000)])
def test_init_new_network_staggers_the_anchor(block, netuid, tempo, anchor):
    """Not a Rust test (subnets/subnet.rs `init_new_network`): `LastEpochBlock` =
    `block - netuid % max(tempo, 1)`, saturating at 0."""
    with chain(block=block):
        init_new_network(netuid, tempo)
        assert LastEpochBlock.get(netuid) == anchor


def test_remove_network_clears_the_schedule():
    """Not a Rust test (coinbase/root.rs `remove_network`): the anchor, the trigger and the
    counter go with the subnet."""
    with chain(block=1):
        init_new_network(4, 10)
        PendingEpochAt.insert(4, 9)
        SubnetEpochIndex.insert(4, 3)
        remove_network(4)
        assert not any(item.contains_key(4) for item in (LastEpochBlock, PendingEpochAt, SubnetEpochIndex))


def test_subnets_registered_in_one_block_run_in_different_blocks():
    """The anchor's purpose: subnets 1..4 of tempo 10 registered in block 20 run their first
    epochs in blocks 29, 28, 27, 26 (20 - netuid + 10), each then every 10 blocks."""
    with chain(block=20):
        for netuid in range(1, 5):
            init_new_network(netuid, 10)
        ran: dict[int, list[int]] = {netuid: [] for netuid in range(1, 5)}
        for block in range(21, 50):
            system.pallet.Storage.Number.put(block)
            for netuid in drain_pending(subnets(), block):
                ran[netuid].append(block)
        assert ran == {1: [29, 39, 49], 2: [28, 38, 48], 3: [27, 37, 47], 4: [26, 36, 46]}


# ---------------------------------------------------------------------------
# tests/migration.rs: `migrate_dynamic_tempo`


def legacy_blocks_until_next_epoch(netuid: int, tempo: int, block: int) -> int:
    """Spec 381's `blocks_until_next_epoch` (run_coinbase.rs at 14b7928), from its source."""
    return tempo - (block + netuid + 1) % (tempo + 1)


def test_migrate_dynamic_tempo_aligns_first_post_upgrade_fire():
    """migration.rs `test_migrate_dynamic_tempo_aligns_first_post_upgrade_fire`: netuid 7,
    tempo 360, block 1234: the next epoch stays on spec 381's block; the counter starts at spec
    381's epoch index. Then (not in the Rust test) the subnet runs its epoch exactly there."""
    with chain(block=1):
        add_network(7, 360)
        run_to_block(1234)
        expected_next_fire = 1234 + legacy_blocks_until_next_epoch(7, 360, 1234)
        migrate_dynamic_tempo()
        assert LastEpochBlock.get(7) + 360 == expected_next_fire
        assert SubnetEpochIndex.get(7) == (1234 + 8) // 361
        assert HasMigrationRun.get(b"dynamic_tempo_v1")
        for block in range(1235, expected_next_fire + 1):
            run_to_block(block)
            assert (7 in drain_pending([7], block)) == (block == expected_next_fire)


def test_migrate_dynamic_tempo_preserves_non_standard_tempo():
    """migration.rs `test_migrate_dynamic_tempo_preserves_non_standard_tempo` (and tempo 0
    seeds nothing)."""
    with chain(block=1):
        for netuid, tempo in ((1, 360), (2, 10), (3, 60_000), (4, 0)):
            add_network(netuid, tempo)
            LastEpochBlock.remove(netuid)  # as a spec-381 state has it
        migrate_dynamic_tempo()
        assert [Tempo.get(n) for n in (1, 2, 3, 4)] == [360, 10, 60_000, 0]
        assert [LastEpochBlock.contains_key(n) for n in (1, 2, 3, 4)] == [True, True, True, False]


def test_migrate_dynamic_tempo_idempotent():
    """migration.rs `test_migrate_dynamic_tempo_idempotent`; and (beyond the Rust test, whose
    second run would recompute the same anchor) once an epoch moved the anchor, a second run
    leaves it."""
    with chain(block=1):
        add_network(1, 360)
        migrate_dynamic_tempo()
        first = LastEpochBlock.get(1)
        run_to_block(101)
        migrate_dynamic_tempo()
        assert LastEpochBlock.get(1) == first
        LastEpochBlock.insert(1, 77)
        migrate_dynamic_tempo()
        assert LastEpochBlock.get(1) == 77


def test_runtime_upgrade_runs_the_migration():
    """SubtensorModule's `on_runtime_upgrade` (main's hooks.rs) runs `migrate_dynamic_tempo`."""
    with chain(block=50):
        add_network(3, 10)
        LastEpochBlock.remove(3)
        PALLET.on_runtime_upgrade()
        assert HasMigrationRun.get(b"dynamic_tempo_v1")
        assert LastEpochBlock.get(3) + 10 == 50 + legacy_blocks_until_next_epoch(3, 10, 50)


def test_migrate_dynamic_tempo_rewrites_hash_commits():
    """Not a Rust test (migrate_dynamic_tempo.rs, its CR-v2 step): `(hash, commit_block, _, _)`
    becomes `(hash, (commit_block + netuid + 1) / (tempo + 1), commit_block, 0)`."""
    with chain(block=1):
        add_network(2, 10)
        WeightCommits.insert(2, account(5), [(bytes(32), 30, 31, 41), (b"\x01" * 32, 33, 34, 44)])
        migrate_dynamic_tempo()
        assert WeightCommits.get(2, account(5)) == [(bytes(32), 33 // 11, 30, 0), (b"\x01" * 32, 36 // 11, 33, 0)]


def test_dev_next_epoch_start_block_is_never_in_the_past():
    """runtime/dev.py (`dev_advanceToNextEpoch`): main's prediction, or the next block when that
    is already past (an epoch the cap deferred is due again in the next block)."""
    from pysubtensor.runtime.dev import next_epoch_start_block

    with chain(block=15):
        add_network(2, 10)
        LastEpochBlock.insert(2, 9)
        assert next_epoch_start_block(2) == 19 == get_next_epoch_start_block(2)
        LastEpochBlock.insert(2, 0)  # due since block 10, deferred
        assert get_next_epoch_start_block(2) == 10 and next_epoch_start_block(2) == 16
