"""Utility (index 11): batches of calls and pseudonymal dispatch, subtensor's fork of
pallet_utility (`pallet_subtensor_utility`, subtensor pallets/utility/src/lib.rs).

Stateless: no storage. Inner calls are dispatched through the runtime's call
configuration (`pallets.support.call`), each in a transactional layer of its own, so a
failed item leaves no writes behind; `batch_all` runs all of its items in one more layer
and so keeps none of them if any fails.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.call import (
    RuntimeCallConfig,
    RuntimeCalls,
    dispatch_result,
    error_only,
    extract_actual_weight,
)
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_ERROR,
    DISPATCH_RESULT,
    ROCKS_DB_WEIGHT,
    WEIGHT,
    BadOrigin,
    DispatchError,
    Origin,
    Pays,
    PostDispatchInfo,
    Weight,
    ensure,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.types import scale_type, u32
from pysubtensor.primitives import externalities
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import U16, U32, Vec

from . import weights

__all__ = [
    "BATCHED_CALLS_LIMIT",
    "Config",
    "Constants",
    "Error",
    "Event",
    "derivative_account_id",
    "pallet",
]

# `pub enum Event` is not generic over `T` in this pallet.
pallet = Pallet("Utility", 11, crate="pallet_subtensor_utility", event_generic=False)

#: `pallet_utility::Config`: `RuntimeEvent`, `RuntimeCall`, `PalletsOrigin`, bound by the runtime.
Config = pallet.config_type(RuntimeCallConfig)
_runtime = RuntimeCalls(pallet)
RUNTIME_CALL, ORIGIN_CALLER = _runtime.call, _runtime.origin_caller
dispatch, dispatch_info, origin_of_caller = _runtime.dispatch, _runtime.dispatch_info, _runtime.origin_of_caller

# ---------------------------------------------------------------------------
# Constants

#: `sp_core::MAX_POSSIBLE_ALLOCATION`, the wasm allocator's largest allocation (32 MiB).
MAX_POSSIBLE_ALLOCATION = 33_554_432
#: `size_of::<RuntimeCall>()` rounded up to a multiple of this (the runtime's integrity test
#: keeps the call within one CALL_ALIGN), so the limit below does not depend on the build.
CALL_ALIGN = 1024


@pallet.constants
class Constants:
    # allocator limit / margin for vec doubling / call size
    batched_calls_limit = constant(U32, MAX_POSSIBLE_ALLOCATION // 3 // CALL_ALIGN,
                                   "The limit on the number of batched calls.")


# ---------------------------------------------------------------------------
# Events

_DispatchError = scale_type(DISPATCH_ERROR, tuple, "DispatchError")


@pallet.events
class Event:
    @event(0)
    class BatchInterrupted:
        """Batch of dispatches did not complete fully. Index of first failing dispatch given, as
        well as the error."""

        index: u32
        error: _DispatchError

    @event(1)
    class BatchCompleted:
        """Batch of dispatches completed fully with no error."""

    @event(2)
    class BatchCompletedWithErrors:
        """Batch of dispatches completed but has errors."""

    @event(3)
    class ItemCompleted:
        """A single item within a Batch of dispatches has completed with no error."""

    @event(4)
    class ItemFailed:
        """A single item within a Batch of dispatches has completed with error."""

        error: _DispatchError

    @event(5)
    class DispatchedAs:
        """A call was dispatched."""

        result: scale_type(DISPATCH_RESULT, tuple, "DispatchResult")

    @event(6)
    class IfElseMainSuccess:
        """Main call was dispatched."""

    @event(7)
    class IfElseFallbackCalled:
        """The fallback call was dispatched."""

        main_error: _DispatchError


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    TooManyCalls = error(0, "Too many calls batched.")
    InvalidDerivedAccount = error(1, "Bad input data for derived account ID")


# ---------------------------------------------------------------------------
# Helpers

CALL = Arg(RUNTIME_CALL, "Box<<T as Config>::RuntimeCall>")
CALLS = Arg(Vec(RUNTIME_CALL), "Vec<<T as Config>::RuntimeCall>")
PALLETS_ORIGIN = Arg(ORIGIN_CALLER, "Box<T::PalletsOrigin>")


def derivative_account_id(who: bytes, index: int) -> bytes:
    """The pseudonym `index` of `who`: blake2_256 of SCALE `(b"modlpy/utilisuba", who, index)`
    (a `[u8; 16]`, the account, a u16), read back as an AccountId32."""
    return blake2_256(b"modlpy/utilisuba" + who + index.to_bytes(2, "little"))


def _ensure_not_none(origin: Origin) -> bool:
    """Refuse the `None` origin; return whether the origin is Root (which skips call filters)."""
    if origin.kind == Origin.NONE:
        raise BadOrigin()
    return origin.kind == Origin.ROOT


def _calls_weight(calls: list[Any]) -> Weight:
    total = Weight()
    for call in calls:
        total = total.saturating_add(dispatch_info(call).weight)
    return total


def _calls_pays(calls: list[Any]) -> str:
    """A batch is free only if every call in it is (so an empty batch is free)."""
    return Pays.YES if any(dispatch_info(call).pays_fee == Pays.YES for call in calls) else Pays.NO


def _not_batch_all(call: Any) -> bool:
    """The filter `batch_all` puts on its items' origin: no nested `batch_all`."""
    pallet_name, (call_name, _) = call
    return not (pallet_name == pallet.name and call_name == "batch_all")


# ---------------------------------------------------------------------------
# Calls


@pallet.call(0, weight=lambda calls: _calls_weight(calls).saturating_add(weights.batch(len(calls))),
             pays=_calls_pays)
def batch(origin: Origin, calls: CALLS) -> PostDispatchInfo:
    """Send a batch of dispatch calls.

    May be called from any origin except `None`.

    - `calls`: The calls to be dispatched from the same origin. The number of call must not
      exceed the constant: `batched_calls_limit` (available in constant metadata).

    If origin is root then the calls are dispatched without checking origin filter. (This
    includes bypassing `frame_system::Config::BaseCallFilter`).

    ## Complexity
    - O(C) where C is the number of calls to be batched.

    This will return `Ok` in all circumstances. To determine the success of the batch, an
    event is deposited. If a call failed and the batch was interrupted, then the
    `BatchInterrupted` event is deposited, along with the number of successful calls made
    and the error of the failed call. If all were successful, then the `BatchCompleted`
    event is deposited."""
    is_root = _ensure_not_none(origin)
    ensure(len(calls) <= Constants.batched_calls_limit, Error.TooManyCalls)
    used = Weight()
    for index, call in enumerate(calls):
        info = dispatch_info(call)
        result = dispatch(origin, call, bypass_filter=is_root)
        used = used.saturating_add(extract_actual_weight(result, info))
        if isinstance(result, DispatchError):
            pallet.deposit_event(Event.BatchInterrupted(index, result.value))
            return PostDispatchInfo(weights.batch(index + 1).saturating_add(used))
        pallet.deposit_event(Event.ItemCompleted())
    pallet.deposit_event(Event.BatchCompleted())
    return PostDispatchInfo(weights.batch(len(calls)).saturating_add(used))


@pallet.call(1, weight=lambda index, call: weights.as_derivative()
             .saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))  # the pseudonym's account data
             .saturating_add(dispatch_info(call).weight))
def as_derivative(origin: Origin, index: Arg(U16, "u16"), call: CALL) -> PostDispatchInfo:
    """Send a call through an indexed pseudonym of the sender.

    Filter from origin are passed along. The call will be dispatched with an origin which
    use the same filter as the origin of this call.

    NOTE: If you need to ensure that any account-based filtering is not honored (i.e.
    because you expect `proxy` to have been used prior in the call stack and you do not want
    the call restrictions to apply to any sub-accounts), then use `as_multi_threshold_1`
    in the Multisig pallet instead.

    NOTE: Prior to version *12, this was called `as_limited_sub`.

    The dispatch origin for this call must be _Signed_."""
    who = ensure_signed(origin)
    pseudonym = derivative_account_id(who, index)
    info = dispatch_info(call)
    result = dispatch(origin.with_caller(Origin.SIGNED, pseudonym), call)
    used = (weights.as_derivative().saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))
            .saturating_add(extract_actual_weight(result, info)))
    if isinstance(result, DispatchError):
        raise result.with_post_info(PostDispatchInfo(used))
    return PostDispatchInfo(used)


@pallet.call(2, weight=lambda calls: _calls_weight(calls).saturating_add(weights.batch_all(len(calls))),
             pays=_calls_pays)
def batch_all(origin: Origin, calls: CALLS) -> PostDispatchInfo:
    """Send a batch of dispatch calls and atomically execute them.
    The whole transaction will rollback and fail if any of the calls failed.

    May be called from any origin except `None`.

    - `calls`: The calls to be dispatched from the same origin. The number of call must not
      exceed the constant: `batched_calls_limit` (available in constant metadata).

    If origin is root then the calls are dispatched without checking origin filter. (This
    includes bypassing `frame_system::Config::BaseCallFilter`).

    ## Complexity
    - O(C) where C is the number of calls to be batched."""
    is_root = _ensure_not_none(origin)
    ensure(len(calls) <= Constants.batched_calls_limit, Error.TooManyCalls)
    inner_origin = origin if is_root else origin.add_filter(_not_batch_all)
    used = Weight()
    with externalities.current().transaction():  # atomic whoever dispatches it
        for index, call in enumerate(calls):
            info = dispatch_info(call)
            result = dispatch(inner_origin, call, bypass_filter=is_root)
            used = used.saturating_add(extract_actual_weight(result, info))
            if isinstance(result, DispatchError):
                raise result.with_post_info(PostDispatchInfo(weights.batch_all(index + 1).saturating_add(used)))
            pallet.deposit_event(Event.ItemCompleted())
    pallet.deposit_event(Event.BatchCompleted())
    return PostDispatchInfo(weights.batch_all(len(calls)).saturating_add(used))


@pallet.call(3, weight=lambda as_origin, call: weights.dispatch_as().saturating_add(dispatch_info(call).weight))
def dispatch_as(origin: Origin, as_origin: PALLETS_ORIGIN, call: CALL) -> None:
    """Dispatches a function call with a provided origin.

    The dispatch origin for this call must be _Root_.

    ## Complexity
    - O(1)."""
    ensure_root(origin)
    result = dispatch(origin_of_caller(as_origin), call, bypass_filter=True)
    pallet.deposit_event(Event.DispatchedAs(dispatch_result(result)))


@pallet.call(4, weight=lambda calls: _calls_weight(calls).saturating_add(weights.force_batch(len(calls))),
             pays=_calls_pays)
def force_batch(origin: Origin, calls: CALLS) -> PostDispatchInfo:
    """Send a batch of dispatch calls.
    Unlike `batch`, it allows errors and won't interrupt.

    May be called from any origin except `None`.

    - `calls`: The calls to be dispatched from the same origin. The number of call must not
      exceed the constant: `batched_calls_limit` (available in constant metadata).

    If origin is root then the calls are dispatch without checking origin filter. (This
    includes bypassing `frame_system::Config::BaseCallFilter`).

    ## Complexity
    - O(C) where C is the number of calls to be batched."""
    is_root = _ensure_not_none(origin)
    ensure(len(calls) <= Constants.batched_calls_limit, Error.TooManyCalls)
    used = Weight()
    has_error = False
    for call in calls:
        info = dispatch_info(call)
        result = dispatch(origin, call, bypass_filter=is_root)
        used = used.saturating_add(extract_actual_weight(result, info))
        if isinstance(result, DispatchError):
            has_error = True
            pallet.deposit_event(Event.ItemFailed(result.value))
        else:
            pallet.deposit_event(Event.ItemCompleted())
    pallet.deposit_event(Event.BatchCompletedWithErrors() if has_error else Event.BatchCompleted())
    return PostDispatchInfo(weights.force_batch(len(calls)).saturating_add(used))


@pallet.call(5, weight=lambda call, weight: weight)
def with_weight(origin: Origin, call: CALL, weight: Arg(WEIGHT, "Weight")) -> None:
    """Dispatch a function call with a specified weight.

    This function does not check the weight of the call, and instead allows the
    Root origin to specify the weight of the call.

    The dispatch origin for this call must be _Root_."""
    ensure_root(origin)
    result = dispatch(Origin.root(), call, bypass_filter=True)  # the weight witness is not checked
    if isinstance(result, DispatchError):
        raise error_only(result)


@pallet.call(6, weight=lambda main, fallback: weights.if_else()
             .saturating_add(dispatch_info(main).weight).saturating_add(dispatch_info(fallback).weight))
def if_else(origin: Origin, main: CALL, fallback: CALL) -> PostDispatchInfo:
    """Dispatch a fallback call in the event the main call fails to execute.
    May be called from any origin except `None`.

    This function first attempts to dispatch the `main` call.
    If the `main` call fails, the `fallback` is attemted.
    if the fallback is successfully dispatched, the weights of both calls
    are accumulated and an event containing the main call error is deposited.

    In the event of a fallback failure the whole call fails
    with the weights returned.

    - `main`: The main call to be dispatched. This is the primary action to execute.
    - `fallback`: The fallback call to be dispatched in case the `main` call fails.

    ## Dispatch Logic
    - If the origin is `root`, both the main and fallback calls are executed without
      applying any origin filters.
    - If the origin is not `root`, the origin filter is applied to both the `main` and
      `fallback` calls.

    ## Use Case
    - Some use cases might involve submitting a `batch` type call in either main, fallback
      or both."""
    is_root = _ensure_not_none(origin)
    used = weights.if_else()
    main_info = dispatch_info(main)
    main_result = dispatch(origin, main, bypass_filter=is_root)
    used = used.saturating_add(extract_actual_weight(main_result, main_info))
    if not isinstance(main_result, DispatchError):
        pallet.deposit_event(Event.IfElseMainSuccess())
        return PostDispatchInfo(used)
    fallback_info = dispatch_info(fallback)
    fallback_result = dispatch(origin, fallback, bypass_filter=is_root)
    used = used.saturating_add(extract_actual_weight(fallback_result, fallback_info))
    if not isinstance(fallback_result, DispatchError):
        pallet.deposit_event(Event.IfElseFallbackCalled(main_result.value))
        return PostDispatchInfo(used)
    raise fallback_result.with_post_info(PostDispatchInfo(used))


@pallet.call(7, weight=lambda as_origin, call: weights.dispatch_as_fallible()
             .saturating_add(dispatch_info(call).weight))
def dispatch_as_fallible(origin: Origin, as_origin: PALLETS_ORIGIN, call: CALL) -> None:
    """Dispatches a function call with a provided origin.

    Almost the same as [`Pallet::dispatch_as`] but forwards any error of the inner call.

    The dispatch origin for this call must be _Root_."""
    ensure_root(origin)
    result = dispatch(origin_of_caller(as_origin), call, bypass_filter=True)
    if isinstance(result, DispatchError):
        raise error_only(result)
    pallet.deposit_event(Event.DispatchedAs(("Ok", ())))
