"""Scheduler (index 15): runtime calls dispatched at a later block (`pallet_scheduler`,
polkadot-sdk substrate/frame/scheduler/src/lib.rs, as subtensor's polkadot-sdk fork builds it).

Root (the runtime's `ScheduleOrigin = EnsureRoot`) schedules a call, anonymously or under a
32-byte name, at a block or after a delay, once or periodically, with a priority (lower runs
first). The call is kept in the agenda of its block as a `Bounded` value (inline up to 128
bytes, else noted in Preimage and looked up). `on_initialize` services the agendas from
`IncompleteSince` up to the current block within `MaximumWeight`, dispatching each task with
its origin through the runtime (non-Root origins under the runtime's base call filter),
depositing `Dispatched` with the outcome, re-placing periodic tasks and scheduling retries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pysubtensor.pallets import preimage, system
from pysubtensor.pallets.support.call import RuntimeCallConfig, RuntimeCalls, dispatch_result
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_RESULT,
    WEIGHT,
    BadOrigin,
    DispatchError,
    Origin,
    Weight,
    ensure_root,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.support.types import bounded_vec, scale_type
from pysubtensor.primitives.hashing import Blake2_128Concat, Twox64Concat
from pysubtensor.primitives.scale import U8, U32, Field, FixedBytes, Option, Struct, Tuple
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import ACCOUNT_ID

from . import weights

__all__ = ["Agenda", "Config", "Constants", "Error", "Event", "IncompleteSince", "Lookup", "Retries",
           "RetryConfig", "Scheduled", "pallet"]

pallet = Pallet("Scheduler", 15, crate="pallet_scheduler", storage_version=4, event_docs="Events type.")


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(RuntimeCallConfig):
    """`pallet_scheduler::Config`: `RuntimeCall`, `PalletsOrigin` and the dispatcher, bound by
    the runtime (`ScheduleOrigin = EnsureRoot`, `Preimages = Preimage`,
    `BlockNumberProvider = System`, `OriginPrivilegeCmp`: Root outranks everything)."""


_runtime = RuntimeCalls(pallet)
RUNTIME_CALL, ORIGIN_CALLER = _runtime.call, _runtime.origin_caller

pallet.associated_type("RuntimeCall", RUNTIME_CALL, (" The aggregated call type.",))

# ---------------------------------------------------------------------------
# Types

#: `TaskName = [u8; 32]`.
TASK_NAME = FixedBytes(32)
PERIOD = Tuple(U32, U32)
TASK_ADDRESS = Tuple(U32, U32)
BOUNDED_CALL = preimage.bounded_codec(RUNTIME_CALL)


@slots_dataclass
class Scheduled:
    """`pallet_scheduler::Scheduled`: one task of an agenda."""

    maybe_id: bytes | None
    priority: int
    call: Any                          # a `Bounded` value (preimage.Inline / Lookup / Legacy)
    maybe_periodic: tuple[int, int] | None
    origin: Any                        # an `OriginCaller` value: ("system", ("Root", None)), …

    def as_retry(self) -> Scheduled:
        """The task as a retry: same priority, call and origin; unnamed and not periodic."""
        return Scheduled(None, self.priority, self.call, None, self.origin)


SCHEDULED = Struct(
    ("pallet_scheduler", "Scheduled"),
    (
        Field("maybe_id", Option(TASK_NAME), "Option<Name>"),
        Field("priority", U8, "schedule::Priority"),
        Field("call", BOUNDED_CALL, "Call"),
        Field("maybe_periodic", Option(PERIOD), "Option<schedule::Period<BlockNumber>>"),
        Field("origin", ORIGIN_CALLER, "PalletsOrigin"),
    ),
    cls=Scheduled,
    params=(("Name", TASK_NAME), ("Call", BOUNDED_CALL), ("BlockNumber", U32), ("PalletsOrigin", ORIGIN_CALLER),
            ("AccountId", ACCOUNT_ID)),
)


@slots_dataclass
class RetryConfig:
    """`pallet_scheduler::RetryConfig`: retries left of a task, and the period between them."""

    total_retries: int
    remaining: int
    period: int


RETRY_CONFIG = Struct(("pallet_scheduler", "RetryConfig"), (
    Field("total_retries", U8, "u8"), Field("remaining", U8, "u8"), Field("period", U32, "Period"),
), cls=RetryConfig, params=(("Period", U32),))

# ---------------------------------------------------------------------------
# Storage

IncompleteSince = pallet.storage("IncompleteSince", StorageValue(U32, optional=True),
                                 docs="Block number at which the agenda began incomplete execution.")
Agenda = pallet.storage("Agenda", StorageMap(Twox64Concat, U32, bounded_vec(Option(SCHEDULED)), default=list),
                        docs="Items to be executed, indexed by the block number that they should be executed on.")
Retries = pallet.storage("Retries", StorageMap(Blake2_128Concat, TASK_ADDRESS, RETRY_CONFIG, optional=True),
                         docs="Retry configurations for items to be executed, indexed by task address.")
Lookup = pallet.storage("Lookup", StorageMap(Twox64Concat, TASK_NAME, TASK_ADDRESS, optional=True), docs="""\
Lookup from a name to the block number and index of the task.

For v3 -> v4 the previously unbounded identities are Blake2-256 hashed to form the v4
identities.""")

# ---------------------------------------------------------------------------
# Constants


def _maximum_weight() -> Weight:
    """`MaximumSchedulerWeight = Perbill::from_percent(80) * BlockWeights::get().max_block`."""
    from pysubtensor.pallets.system.limits import SUBTENSOR_BLOCK_WEIGHTS, perbill_mul
    max_block = SUBTENSOR_BLOCK_WEIGHTS.max_block
    return Weight(perbill_mul(800_000_000, max_block.ref_time), perbill_mul(800_000_000, max_block.proof_size))


@pallet.constants
class Constants:
    MaximumWeight = constant(WEIGHT, _maximum_weight(),
                             "The maximum weight that may be scheduled per block for any dispatchables.")
    MaxScheduledPerBlock = constant(U32, 50, """\
The maximum number of scheduled calls in the queue for a single block.

NOTE:
+ Dependent pallets' benchmarks might require a higher limit for the setting. Set a
higher limit under `runtime-benchmarks` feature.""")


# ---------------------------------------------------------------------------
# Events and errors

BlockNumber = scale_type(U32, int, "BlockNumberFor<T>")
TaskAddress = scale_type(TASK_ADDRESS, tuple, "TaskAddress<BlockNumberFor<T>>")
MaybeTaskName = scale_type(Option(TASK_NAME), Any, "Option<TaskName>")
u32 = scale_type(U32, int, "u32")
u8 = scale_type(U8, int, "u8")


@pallet.events
class Event:
    @event(0)
    class Scheduled:
        """Scheduled some task."""

        when: BlockNumber
        index: u32

    @event(1)
    class Canceled:
        """Canceled some task."""

        when: BlockNumber
        index: u32

    @event(2)
    class Dispatched:
        """Dispatched some task."""

        task: TaskAddress
        id: MaybeTaskName
        result: scale_type(DISPATCH_RESULT, tuple, "DispatchResult")

    @event(3)
    class RetrySet:
        """Set a retry configuration for some task."""

        task: TaskAddress
        id: MaybeTaskName
        period: BlockNumber
        retries: u8

    @event(4)
    class RetryCancelled:
        """Cancel a retry configuration for some task."""

        task: TaskAddress
        id: MaybeTaskName

    @event(5)
    class CallUnavailable:
        """The call for the provided hash was not found so the task has been aborted."""

        task: TaskAddress
        id: MaybeTaskName

    @event(6)
    class PeriodicFailed:
        """The given task was unable to be renewed since the agenda is full at that block."""

        task: TaskAddress
        id: MaybeTaskName

    @event(7)
    class RetryFailed:
        """The given task was unable to be retried since the agenda is full at that block or there
        was not enough weight to reschedule it."""

        task: TaskAddress
        id: MaybeTaskName

    @event(8)
    class PermanentlyOverweight:
        """The given task can never be executed since it is overweight."""

        task: TaskAddress
        id: MaybeTaskName

    @event(9)
    class AgendaIncomplete:
        """Agenda is incomplete from `when`."""

        when: BlockNumber


@pallet.errors
class Error:
    FailedToSchedule = error(0, "Failed to schedule a call")
    NotFound = error(1, "Cannot find the scheduled call.")
    TargetBlockNumberInPast = error(2, "Given target block number is in the past.")
    RescheduleNoChange = error(3, "Reschedule failed because it does not change scheduled time.")
    Named = error(4, "Attempt to use a non-named function on a named task.")


# ---------------------------------------------------------------------------
# Origins


def caller_of(origin: Origin) -> Any:
    """`origin.caller()`: the `OriginCaller` value of a (system) origin."""
    return ("system", origin.raw)


def _cmp_privilege(left: Any, right: Any) -> int | None:
    """The runtime's `OriginPrivilegeCmp`: equal origins compare Equal (0), Root is Greater
    (1) than anything, anything else is incomparable (None)."""
    if left == right:
        return 0
    if left == ("system", ("Root", None)):
        return 1
    return None


def ensure_privilege(left: Any, right: Any) -> None:
    """`left` has at least `right`'s privilege (else BadOrigin)."""
    if _cmp_privilege(left, right) in (None, -1):
        raise BadOrigin()


# ---------------------------------------------------------------------------
# Scheduling


def _now() -> int:
    return system.block_number()


def resolve_time(at: int | None = None, after: int | None = None) -> int:
    """`DispatchTime::At(at)` or `After(after)` (one block past `now + after`: the current
    block has already serviced its agenda); not later than now is `TargetBlockNumberInPast`."""
    now = _now()
    when = at if at is not None else min(now + after + 1, 2**32 - 1)
    if when <= now:
        raise Error.TargetBlockNumberInPast()
    return when


def _push_to_agenda(when: int, what: Scheduled) -> int | None:
    """Append `what` to the agenda of `when` (or fill a hole when full); None if full."""
    agenda = Agenda.get(when)
    if len(agenda) < Constants.MaxScheduledPerBlock:
        agenda.append(what)
        index = len(agenda) - 1
    else:
        hole = next((i for i, item in enumerate(agenda) if item is None), None)
        if hole is None:
            return None
        agenda[hole] = what
        index = hole
    Agenda.insert(when, agenda)
    return index


def place_task(when: int, what: Scheduled) -> tuple[int, int] | None:
    """Put `what` in the agenda of `when`; its address, or None if the agenda is full."""
    index = _push_to_agenda(when, what)
    if index is None:
        return None
    if what.maybe_id is not None:
        Lookup.insert(what.maybe_id, (when, index))
    pallet.deposit_event(Event.Scheduled(when, index))
    return (when, index)


def _cleanup_agenda(when: int) -> None:
    """Drop the trailing empty slots of an agenda (the agenda itself if nothing is left)."""
    agenda = Agenda.get(when)
    last = max((i for i, item in enumerate(agenda) if item is not None), default=None)
    if last is None:
        Agenda.remove(when)
    elif len(agenda) > last + 1:
        Agenda.insert(when, agenda[:last + 1])


def _sanitize_periodic(maybe_periodic: tuple[int, int] | None) -> tuple[int, int] | None:
    """A period of 0 or fewer than two repetitions is no period; one repetition is now."""
    if maybe_periodic is None:
        return None
    period, count = maybe_periodic
    if count > 1 and period != 0:
        return (period, count - 1)
    return None


def do_schedule(when: int, maybe_periodic: tuple[int, int] | None, priority: int, origin: Any,
                call: Any, maybe_id: bytes | None = None) -> tuple[int, int]:
    """Schedule a bounded `call` at `when` (already resolved) with an `OriginCaller` origin."""
    if maybe_id is not None and Lookup.contains_key(maybe_id):
        raise Error.FailedToSchedule()
    task = Scheduled(maybe_id, priority, call, _sanitize_periodic(maybe_periodic), origin)
    address = place_task(when, task)
    if address is None:
        raise DispatchError("Exhausted")
    lookup_hash = call.lookup_hash()
    if lookup_hash is not None:
        preimage.request(lookup_hash)  # the call must be made available
    return address


def do_cancel(origin: Any | None, when: int, index: int) -> None:
    agenda = Agenda.get(when)
    task = agenda[index] if index < len(agenda) else None
    if task is None:
        raise Error.NotFound()
    if origin is not None:
        ensure_privilege(origin, task.origin)
    agenda[index] = None
    Agenda.insert(when, agenda)
    preimage.drop(task.call)
    if task.maybe_id is not None:
        Lookup.remove(task.maybe_id)
    Retries.remove((when, index))
    _cleanup_agenda(when)
    pallet.deposit_event(Event.Canceled(when, index))


def do_cancel_named(origin: Any | None, task_id: bytes) -> None:
    address = Lookup.get(task_id)
    if address is None:
        raise Error.NotFound()
    when, index = address
    agenda = Agenda.get(when)
    if index < len(agenda):
        task = agenda[index]
        if origin is not None and task is not None:
            ensure_privilege(origin, task.origin)
            Retries.remove((when, index))
            preimage.drop(task.call)
        agenda[index] = None
        Agenda.insert(when, agenda)
    Lookup.remove(task_id)
    _cleanup_agenda(when)
    pallet.deposit_event(Event.Canceled(when, index))


def _scheduled_at(when: int, index: int) -> Scheduled:
    agenda = Agenda.get(when)
    task = agenda[index] if index < len(agenda) else None
    if task is None:
        raise Error.NotFound()
    return task


def do_cancel_retry(origin: Any, when: int, index: int) -> None:
    ensure_privilege(origin, _scheduled_at(when, index).origin)
    Retries.remove((when, index))


# ---------------------------------------------------------------------------
# Servicing the agendas (`on_initialize`)


class WeightMeter:
    """`sp_weights::WeightMeter`: weight consumed against a limit."""

    def __init__(self, limit: Weight, consumed: Weight | None = None) -> None:
        self.limit = limit
        self.consumed = consumed or Weight()

    def can_consume(self, w: Weight) -> bool:
        return self.consumed.saturating_add(w).all_lte(self.limit)

    def try_consume(self, w: Weight) -> bool:
        if not self.can_consume(w):
            return False
        self.consumed = self.consumed.saturating_add(w)
        return True


@pallet.hook_on_initialize
def on_initialize(_n: int) -> Weight:
    """Execute the scheduled calls. The meter is `remaining_block_weight().limit_to(MaximumWeight)`
    as it is when the executive runs the hooks (nothing registered yet in the block)."""
    meter = WeightMeter(Constants.MaximumWeight)
    service_agendas(meter, _now(), 2**32 - 1)
    return meter.consumed


def service_agendas(weight: WeightMeter, now: int, max_agendas: int) -> None:
    """Service up to `max_agendas` agendas, from the earliest incompletely executed one."""
    if not weight.try_consume(weights.service_agendas_base()):
        return
    incomplete_since = now + 1
    when = IncompleteSince.take()
    if when is None:
        when = now
    is_first = True
    count_down = max_agendas
    agenda_base = weights.service_agenda_base(Constants.MaxScheduledPerBlock)
    while count_down > 0 and when <= now and weight.can_consume(agenda_base):
        if not service_agenda(weight, is_first, now, when, 2**32 - 1):
            incomplete_since = min(incomplete_since, when)
        is_first = False
        when += 1
        count_down -= 1
    incomplete_since = min(incomplete_since, when)
    if incomplete_since <= now:
        pallet.deposit_event(Event.AgendaIncomplete(incomplete_since))
        IncompleteSince.put(incomplete_since)
    else:
        IncompleteSince.put(now + 1)


def service_agenda(weight: WeightMeter, is_first: bool, now: int, when: int, max_tasks: int) -> bool:
    """Run the tasks of the agenda of `when`, by priority; whether it was completed."""
    agenda = Agenda.get(when)
    ordered = sorted(((i, t.priority) for i, t in enumerate(agenda) if t is not None), key=lambda k: k[1])
    weight.try_consume(weights.service_agenda_base(len(ordered)))
    postponed = max(len(ordered) - max_tasks, 0)
    dropped = 0
    for index, _ in ordered[:max_tasks]:
        task = agenda[index]
        agenda[index] = None
        if task is None:
            continue
        base = weights.service_task(task.call.lookup_len(), task.maybe_id is not None, task.maybe_periodic is not None)
        if not weight.can_consume(base):
            postponed += 1
            agenda[index] = task
            break
        outcome, slot = service_task(weight, now, when, index, is_first, task)
        agenda[index] = slot
        if outcome == "Unavailable":
            dropped += 1
        elif outcome == "Overweight":
            postponed += 1
        else:
            is_first = False
    if postponed > 0 or dropped > 0:
        Agenda.insert(when, agenda)
    else:
        Agenda.remove(when)
    return postponed == 0


def service_task(weight: WeightMeter, now: int, when: int, index: int, is_first: bool,
                 task: Scheduled) -> tuple[str, Scheduled | None]:
    """Run one task: ("Ok", None), or ("Unavailable" | "Overweight", the task to keep)."""
    if task.maybe_id is not None:
        Lookup.remove(task.maybe_id)
    try:
        call, lookup_len = preimage.peek(RUNTIME_CALL, task.call)
    except DispatchError:
        pallet.deposit_event(Event.CallUnavailable((when, index), task.maybe_id))
        preimage.drop(task.call)  # not available when needed: no longer requested
        weight.try_consume(weights.service_task(task.call.lookup_len(), task.maybe_id is not None,
                                                task.maybe_periodic is not None))
        return "Unavailable", task
    weight.try_consume(weights.service_task(lookup_len, task.maybe_id is not None, task.maybe_periodic is not None))
    result = execute_dispatch(weight, task.origin, call)
    if result is None:
        if is_first:
            preimage.drop(task.call)
            pallet.deposit_event(Event.PermanentlyOverweight((when, index), task.maybe_id))
            return "Unavailable", task
        return "Overweight", task
    failed = isinstance(result, DispatchError)
    retry_config = Retries.take((when, index))
    pallet.deposit_event(Event.Dispatched((when, index), task.maybe_id, dispatch_result(result)))
    if retry_config is not None and failed:
        schedule_retry(weight, now, when, index, task, retry_config)
    if task.maybe_periodic is not None:
        period, count = task.maybe_periodic
        task = replace(task, maybe_periodic=(period, count - 1) if count > 1 else None)
        address = place_task(min(now + period, 2**32 - 1), task)
        if address is not None:
            if retry_config is not None:
                Retries.insert(address, retry_config)
        else:
            preimage.drop(task.call)
            pallet.deposit_event(Event.PeriodicFailed((when, index), task.maybe_id))
    else:
        preimage.drop(task.call)
    return "Ok", None


def execute_dispatch(weight: WeightMeter, origin: Any, call: Any) -> Any:
    """Dispatch `call` as `origin` if its declared weight fits the meter (None if not); the
    outcome (post-dispatch info or the DispatchError) otherwise, its actual weight consumed."""
    signed = origin[0] == "system" and origin[1][0] == Origin.SIGNED
    base = weights.execute_dispatch_signed() if signed else weights.execute_dispatch_unsigned()
    call_weight = _runtime.dispatch_info(call).weight
    if not weight.can_consume(base.saturating_add(call_weight)):
        return None
    result = _runtime.dispatch(_runtime.origin_of_caller(origin), call)
    post = result.post_info if isinstance(result, DispatchError) else result
    actual = post.actual_weight if post is not None and post.actual_weight is not None else call_weight
    weight.try_consume(base)
    weight.try_consume(actual)
    return result


def schedule_retry(weight: WeightMeter, now: int, when: int, index: int, task: Scheduled,
                   retry_config: RetryConfig) -> None:
    """Place a retry of a failed task `period` blocks from now, if retries are left."""
    if not weight.try_consume(weights.schedule_retry(Constants.MaxScheduledPerBlock)):
        pallet.deposit_event(Event.RetryFailed((when, index), task.maybe_id))
        return
    if retry_config.remaining == 0:
        return
    remaining = retry_config.remaining - 1
    address = place_task(min(now + retry_config.period, 2**32 - 1), task.as_retry())
    if address is not None:
        Retries.insert(address, RetryConfig(retry_config.total_retries, remaining, retry_config.period))
    else:
        preimage.drop(task.call)
        pallet.deposit_event(Event.RetryFailed((when, index), task.maybe_id))


# ---------------------------------------------------------------------------
# Calls

_MAX = 50  # `T::MaxScheduledPerBlock::get()` in the call weights
WHEN = Arg(U32, "BlockNumberFor<T>")
MAYBE_PERIODIC = Arg(Option(PERIOD), "Option<schedule::Period<BlockNumberFor<T>>>")
PRIORITY = Arg(U8, "schedule::Priority")
CALL = Arg(RUNTIME_CALL, "Box<<T as Config>::RuntimeCall>")
ID = Arg(TASK_NAME, "TaskName")
TASK = Arg(TASK_ADDRESS, "TaskAddress<BlockNumberFor<T>>")


def _ensure_schedule_origin(origin: Origin) -> Any:
    """`ScheduleOrigin = EnsureRoot`; the caller the task will carry."""
    ensure_root(origin)
    return caller_of(origin)


@pallet.call(0, weight=weights.schedule(_MAX))
def schedule(origin: Origin, when: WHEN, maybe_periodic: MAYBE_PERIODIC, priority: PRIORITY, call: CALL) -> None:
    """Anonymously schedule a task."""
    caller = _ensure_schedule_origin(origin)
    do_schedule(resolve_time(at=when), maybe_periodic, priority, caller, preimage.bound(RUNTIME_CALL, call))


@pallet.call(1, weight=weights.cancel(_MAX))
def cancel(origin: Origin, when: WHEN, index: Arg(U32, "u32")) -> None:
    """Cancel an anonymously scheduled task."""
    do_cancel(_ensure_schedule_origin(origin), when, index)


@pallet.call(2, weight=weights.schedule_named(_MAX))
def schedule_named(origin: Origin, id: ID, when: WHEN, maybe_periodic: MAYBE_PERIODIC,
                   priority: PRIORITY, call: CALL) -> None:
    """Schedule a named task."""
    caller = _ensure_schedule_origin(origin)
    if Lookup.contains_key(id):
        raise Error.FailedToSchedule()
    do_schedule(resolve_time(at=when), maybe_periodic, priority, caller, preimage.bound(RUNTIME_CALL, call),
                maybe_id=bytes(id))


@pallet.call(3, weight=weights.cancel_named(_MAX))
def cancel_named(origin: Origin, id: ID) -> None:
    """Cancel a named scheduled task."""
    do_cancel_named(_ensure_schedule_origin(origin), bytes(id))


@pallet.call(4, weight=weights.schedule(_MAX))
def schedule_after(origin: Origin, after: WHEN, maybe_periodic: MAYBE_PERIODIC, priority: PRIORITY,
                   call: CALL) -> None:
    """Anonymously schedule a task after a delay."""
    caller = _ensure_schedule_origin(origin)
    do_schedule(resolve_time(after=after), maybe_periodic, priority, caller, preimage.bound(RUNTIME_CALL, call))


@pallet.call(5, weight=weights.schedule_named(_MAX))
def schedule_named_after(origin: Origin, id: ID, after: WHEN, maybe_periodic: MAYBE_PERIODIC,
                         priority: PRIORITY, call: CALL) -> None:
    """Schedule a named task after a delay."""
    caller = _ensure_schedule_origin(origin)
    if Lookup.contains_key(id):
        raise Error.FailedToSchedule()
    do_schedule(resolve_time(after=after), maybe_periodic, priority, caller, preimage.bound(RUNTIME_CALL, call),
                maybe_id=bytes(id))


_RETRY_DOCS = """\
Set a retry configuration for a task so that, in case its scheduled run fails, it will
be retried after `period` blocks, for a total amount of `retries` retries or until it
succeeds.

Tasks which need to be scheduled for a retry are still subject to weight metering and
agenda space, same as a regular task. If a periodic task fails, it will be scheduled
normally while the task is retrying.

Tasks scheduled as a result of a retry for a periodic task are unnamed, non-periodic
clones of the original task. Their retry configuration will be derived from the
original task's configuration, but will have a lower value for `remaining` than the
original `total_retries`."""


_RETRY_NAMED_DOCS = """\
Set a retry configuration for a named task so that, in case its scheduled run fails, it
will be retried after `period` blocks, for a total amount of `retries` retries or until
it succeeds.
""" + _RETRY_DOCS.split("succeeds.\n", 1)[1]


@pallet.call(6, weight=weights.set_retry(), docs=_RETRY_DOCS.splitlines())
def set_retry(origin: Origin, task: TASK, retries: Arg(U8, "u8"), period: WHEN) -> None:
    caller = _ensure_schedule_origin(origin)
    when, index = task
    ensure_privilege(caller, _scheduled_at(when, index).origin)
    Retries.insert((when, index), RetryConfig(retries, retries, period))
    pallet.deposit_event(Event.RetrySet((when, index), None, period, retries))


@pallet.call(7, weight=weights.set_retry_named(), docs=_RETRY_NAMED_DOCS.splitlines())
def set_retry_named(origin: Origin, id: ID, retries: Arg(U8, "u8"), period: WHEN) -> None:
    caller = _ensure_schedule_origin(origin)
    address = Lookup.get(id)
    if address is None:
        raise Error.NotFound()
    when, index = address
    ensure_privilege(caller, _scheduled_at(when, index).origin)
    Retries.insert((when, index), RetryConfig(retries, retries, period))
    pallet.deposit_event(Event.RetrySet((when, index), bytes(id), period, retries))


@pallet.call(8, weight=weights.cancel_retry())
def cancel_retry(origin: Origin, task: TASK) -> None:
    """Removes the retry configuration of a task."""
    when, index = task
    do_cancel_retry(_ensure_schedule_origin(origin), when, index)
    pallet.deposit_event(Event.RetryCancelled((when, index), None))


@pallet.call(9, weight=weights.cancel_retry_named())
def cancel_retry_named(origin: Origin, id: ID) -> None:
    """Cancel the retry configuration of a named task."""
    caller = _ensure_schedule_origin(origin)
    address = Lookup.get(id)
    if address is None:
        raise Error.NotFound()
    do_cancel_retry(caller, *address)
    pallet.deposit_event(Event.RetryCancelled(tuple(address), bytes(id)))

