"""Scheduler: declarations against the real spec-381 metadata, and scenarios ported from
pallet_scheduler's own tests (substrate/frame/scheduler/src/tests.rs, named in each test),
run on the composed runtime's dispatcher."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.preimage as preimage
import pysubtensor.pallets.scheduler as scheduler
import pysubtensor.pallets.system as system
import pysubtensor.runtime  # noqa: F401  (binds RuntimeCall / OriginCaller)
from pysubtensor.pallets.scheduler import Event, RetryConfig
from pysubtensor.pallets.support.dispatch import BadOrigin, DispatchError, Origin, Weight
from pysubtensor.pallets.system.pallet import Number
from pysubtensor.primitives import externalities
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.runtime.construct import RUNTIME_CALL
from tests.support.events import capture_events
from tests.support.metadata import DEVNET_381, RUNTIME_WIDE, assert_pallet_matches, summary_pallet
from tests.support.state import DictBackend


def test_scheduler_metadata_equals_spec_381() -> None:
    assert_pallet_matches(scheduler.pallet, DEVNET_381, stop=RUNTIME_WIDE)
    s = summary_pallet("Scheduler")
    assert (s["calls"], s["events"], s["errors"], s["storage"], s["constants"]) == (10, 10, 5, 4, 2)


# ---------------------------------------------------------------------------
# Scenarios

ROOT = Origin.root()
ROOT_CALLER = ("system", ("Root", None))
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")


def set_storage(key: bytes, value: bytes) -> Any:
    """A Root-only call whose effect is visible in storage."""
    return ("System", ("set_storage", {"items": [(key, value)]}))


def remark_with_event() -> Any:
    """A call that fails for Root (`BadOrigin`): it needs a signed origin."""
    return ("System", ("remark_with_event", {"remark": b"x"}))


@pytest.fixture
def events() -> Iterator[list[tuple[str, Any]]]:
    with capture_events(system.pallet, scheduler.pallet, preimage.pallet) as collected, \
            using(Externalities(DictBackend())):
        Number.put(1)
        yield collected


def call(name: str, origin: Origin = ROOT, **args: Any) -> Any:
    return scheduler.pallet.dispatch(origin, (name, args))


def run_to_block(n: int) -> None:
    """Initialize blocks up to `n`, running the scheduler's hook in each."""
    for b in range(Number.get() + 1, n + 1):
        Number.put(b)
        scheduler.on_initialize(b)


def stored(key: bytes) -> bytes | None:
    return externalities.current().get(key)


def sched_events(events: list) -> list[Any]:
    return [e for p, e in events if p == "Scheduler"]


def test_basic_scheduling_works(events: list) -> None:
    """tests.rs `basic_scheduling_works`."""
    call("schedule", when=4, maybe_periodic=None, priority=127, call=set_storage(b"k", b"v"))
    assert scheduler.Agenda.get(4)[0].origin == ROOT_CALLER
    run_to_block(3)
    assert stored(b"k") is None
    run_to_block(4)
    assert stored(b"k") == b"v"
    assert Event.Dispatched((4, 0), None, ("Ok", ())) in sched_events(events)
    assert scheduler.Agenda.get(4) == []
    run_to_block(100)
    assert scheduler.IncompleteSince.get() == 101


def test_schedule_after_works(events: list) -> None:
    """tests.rs `schedule_after_works` / `schedule_after_zero_works`: after N is block now + N + 1."""
    Number.put(2)
    call("schedule_after", after=3, maybe_periodic=None, priority=127, call=set_storage(b"k", b"v"))
    assert scheduler.Agenda.get(6)[0] is not None
    call("schedule_after", after=0, maybe_periodic=None, priority=127, call=set_storage(b"z", b"0"))
    assert scheduler.Agenda.get(3)[0] is not None
    run_to_block(5)
    assert stored(b"k") is None and stored(b"z") == b"0"
    run_to_block(6)
    assert stored(b"k") == b"v"


def test_scheduling_with_preimages_works(events: list) -> None:
    """tests.rs `scheduling_with_preimages_works`: a `Lookup` task requests its preimage; a
    user notes it (free, since requested); it is looked up when due, then unrequested and gone."""
    from pysubtensor.pallets.balances import fungible
    big = set_storage(b"k", b"v" * 200)
    encoded = RUNTIME_CALL.encode(big)
    hashed = preimage.Lookup(preimage.bounded_hash(preimage.Inline(encoded)), len(encoded))
    scheduler.do_schedule(4, None, 127, ROOT_CALLER, hashed)
    fungible.mint_into(ALICE, 10**12)
    preimage.pallet.dispatch(Origin.signed(ALICE), ("note_preimage", {"bytes": encoded}))
    assert preimage.is_requested(hashed.hash)
    run_to_block(3)
    assert stored(b"k") is None
    run_to_block(4)
    assert preimage.len_of(hashed.hash) is None and not preimage.is_requested(hashed.hash)
    assert stored(b"k") == b"v" * 200


def test_schedule_call_over_128_bytes_is_noted(events: list) -> None:
    """`schedule` bounds its call (`StorePreimage::bound`): over 128 bytes it is noted and the
    task keeps a `Lookup`."""
    big = set_storage(b"k", b"v" * 200)
    call("schedule", when=4, maybe_periodic=None, priority=127, call=big)
    bounded = scheduler.Agenda.get(4)[0].call
    assert isinstance(bounded, preimage.Lookup) and preimage.len_of(bounded.hash) == bounded.len
    run_to_block(4)
    assert stored(b"k") == b"v" * 200


def test_scheduler_handles_unavailable_preimage(events: list) -> None:
    """tests.rs `scheduler_does_not_delete_permanently_overweight_call`'s sibling
    `should_use_original_task_when_call_unavailable`: a lookup whose preimage is missing is
    `CallUnavailable`, and the task is kept in the agenda."""
    missing = preimage.Lookup(bytes(32), 300)
    scheduler.do_schedule(4, None, 127, ROOT_CALLER, missing)
    run_to_block(4)
    assert Event.CallUnavailable((4, 0), None) in sched_events(events)
    assert scheduler.Agenda.get(4)[0] is not None


def test_periodic_scheduling_works(events: list) -> None:
    """tests.rs `periodic_scheduling_works`: every 3 blocks from 4, three times in all."""
    call("schedule", when=4, maybe_periodic=(3, 3), priority=127, call=set_storage(b"k", b"v"))
    run_to_block(4)
    assert scheduler.Agenda.get(7)[0].maybe_periodic == (3, 1)
    run_to_block(10)
    dispatched = [e.task for e in sched_events(events) if isinstance(e, Event.Dispatched)]
    assert dispatched == [(4, 0), (7, 0), (10, 0)]
    run_to_block(20)
    assert len([e for e in sched_events(events) if isinstance(e, Event.Dispatched)]) == 3


def test_scheduler_respects_priority_ordering(events: list) -> None:
    """tests.rs `scheduler_respects_priority_ordering`: lower priority value runs first."""
    call("schedule", when=4, maybe_periodic=None, priority=1, call=set_storage(b"k", b"first"))
    call("schedule", when=4, maybe_periodic=None, priority=0, call=set_storage(b"k", b"second"))
    run_to_block(4)
    assert [e.task for e in sched_events(events) if isinstance(e, Event.Dispatched)] == [(4, 1), (4, 0)]
    assert stored(b"k") == b"first"


def test_cancel_named_scheduling_works_with_normal_cancel(events: list) -> None:
    """tests.rs `cancel_named_scheduling_works_with_normal_cancel`."""
    name = b"\x01" * 32
    call("schedule_named", id=name, when=4, maybe_periodic=None, priority=127, call=set_storage(b"a", b"1"))
    call("schedule", when=4, maybe_periodic=None, priority=127, call=set_storage(b"b", b"2"))
    assert scheduler.Lookup.get(name) == (4, 0)
    with pytest.raises(scheduler.Error.FailedToSchedule):
        call("schedule_named", id=name, when=5, maybe_periodic=None, priority=127, call=set_storage(b"a", b"1"))
    call("cancel_named", id=name)
    call("cancel", when=4, index=1)
    assert scheduler.Lookup.get(name) is None and scheduler.Agenda.get(4) == []
    with pytest.raises(scheduler.Error.NotFound):
        call("cancel_named", id=name)
    with pytest.raises(scheduler.Error.NotFound):
        call("cancel", when=4, index=1)
    run_to_block(4)
    assert stored(b"a") is None and stored(b"b") is None
    assert [type(e).__name__ for e in sched_events(events)] == ["Scheduled", "Scheduled", "Canceled", "Canceled"]


def test_past_target_and_non_root_are_refused(events: list) -> None:
    """tests.rs `schedule_fails_in_the_past` and the runtime's `ScheduleOrigin = EnsureRoot`."""
    Number.put(5)
    with pytest.raises(scheduler.Error.TargetBlockNumberInPast):
        call("schedule", when=5, maybe_periodic=None, priority=127, call=set_storage(b"k", b"v"))
    with pytest.raises(BadOrigin):
        call("schedule", Origin.signed(ALICE), when=9, maybe_periodic=None, priority=127,
             call=set_storage(b"k", b"v"))
    assert scheduler.Agenda.get(9) == [] and sched_events(events) == []


def test_agenda_full_is_exhausted(events: list) -> None:
    """tests.rs `scheduler_respects_hard_deadlines_more`/`MaxScheduledPerBlock`: the 51st task
    of a block cannot be placed."""
    for _ in range(50):
        call("schedule", when=4, maybe_periodic=None, priority=127, call=set_storage(b"k", b"v"))
    with pytest.raises(DispatchError) as e:
        call("schedule", when=4, maybe_periodic=None, priority=127, call=set_storage(b"k", b"v"))
    assert e.value.value == "Exhausted"
    # a hole is reused
    call("cancel", when=4, index=7)
    call("schedule", when=4, maybe_periodic=None, priority=127, call=set_storage(b"x", b"y"))
    assert scheduler.Agenda.get(4)[7].call.data == RUNTIME_CALL.encode(set_storage(b"x", b"y"))


def test_retry_scheduling_works(events: list) -> None:
    """tests.rs `retry_scheduling_works`: a failing task is retried every `period` blocks."""
    call("schedule", when=4, maybe_periodic=None, priority=127, call=remark_with_event())
    call("set_retry", task=(4, 0), retries=3, period=2)
    assert scheduler.Retries.get((4, 0)) == RetryConfig(3, 3, 2)
    run_to_block(4)
    err = ("Err", BadOrigin().value)
    assert Event.Dispatched((4, 0), None, err) in sched_events(events)
    assert scheduler.Retries.get((6, 0)) == RetryConfig(3, 2, 2)
    run_to_block(10)
    dispatched = [e.task for e in sched_events(events) if isinstance(e, Event.Dispatched)]
    assert dispatched == [(4, 0), (6, 0), (8, 0), (10, 0)]
    assert scheduler.Retries.get((12, 0)) is None and scheduler.Agenda.get(12) == []


def test_set_and_cancel_retry_named(events: list) -> None:
    """tests.rs `set_retry_named` / `cancel_retry_named` paths."""
    name = b"\x02" * 32
    call("schedule_named", id=name, when=4, maybe_periodic=None, priority=127, call=remark_with_event())
    call("set_retry_named", id=name, retries=1, period=1)
    assert Event.RetrySet((4, 0), name, 1, 1) in sched_events(events)
    call("cancel_retry_named", id=name)
    assert scheduler.Retries.get((4, 0)) is None
    assert Event.RetryCancelled((4, 0), name) in sched_events(events)
    with pytest.raises(scheduler.Error.NotFound):
        call("set_retry", task=(5, 0), retries=1, period=1)


def test_scheduler_respects_weight_limits(events: list) -> None:
    """tests.rs `scheduler_respects_weight_limits`: a task that does not fit what is left of
    `MaximumWeight` waits for the next block (`AgendaIncomplete`); one that can never fit is
    `PermanentlyOverweight`."""
    limit = scheduler.Constants.MaximumWeight
    heavy = ("Utility", ("with_weight", {"call": set_storage(b"h", b"1"),
                                         "weight": Weight(limit.ref_time // 2 + 1, 0)}))
    call("schedule", when=4, maybe_periodic=None, priority=127, call=heavy)
    call("schedule", when=4, maybe_periodic=None, priority=127, call=heavy)
    run_to_block(4)
    assert [e.task for e in sched_events(events) if isinstance(e, Event.Dispatched)] == [(4, 0)]
    assert Event.AgendaIncomplete(4) in sched_events(events)
    run_to_block(5)
    assert [e.task for e in sched_events(events) if isinstance(e, Event.Dispatched)] == [(4, 0), (4, 1)]
    too_heavy = ("Utility", ("with_weight", {"call": set_storage(b"h", b"1"), "weight": limit}))
    call("schedule", when=7, maybe_periodic=None, priority=127, call=too_heavy)
    run_to_block(7)
    assert Event.PermanentlyOverweight((7, 0), None) in sched_events(events)


def test_fails_to_cancel_task_scheduled_by_other(events: list) -> None:
    """tests.rs `fails_to_cancel_task_scheduled_by_other` with the runtime's
    `OriginPrivilegeCmp`: a signed origin cannot cancel another's task; Root can cancel any."""
    bob = ("system", ("Signed", bytes(range(32))))
    alice = ("system", ("Signed", ALICE))
    scheduler.do_schedule(4, None, 127, bob, preimage.Inline(RUNTIME_CALL.encode(set_storage(b"k", b"v"))))
    with pytest.raises(BadOrigin):
        scheduler.do_cancel(alice, 4, 0)
    scheduler.do_cancel(bob, 4, 0)  # the same origin may
    scheduler.do_schedule(5, None, 127, bob, preimage.Inline(RUNTIME_CALL.encode(set_storage(b"k", b"v"))))
    call("cancel", when=5, index=0)  # Root outranks
    assert scheduler.Agenda.get(4) == [] and scheduler.Agenda.get(5) == []
