"""A tiny composed runtime for testing pallets that dispatch calls (Utility, Sudo).

It plays the part `runtime/` plays for real: a `node_subtensor_runtime::RuntimeCall` over
the pallets it is given, an `OriginCaller` with the `system` variant, a base call filter,
and events kept in storage so that they roll back with the writes of a failed call, as
`System.Events` do. `TestPallet` supplies calls that succeed, fail, write storage, record
their origin and report their own weight; `System` here is a stand-in with only `remark`,
at the real index, so call encodings can be compared with the real runtime's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from pysubtensor.pallets.support.call import RuntimeCallConfig
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import (
    RAW_ORIGIN,
    WEIGHT,
    DispatchClass,
    DispatchInfo,
    Origin,
    Pays,
    PostDispatchInfo,
    Weight,
    ensure_root,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, error, event
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.support.types import u32
from pysubtensor.primitives.externalities import Externalities, current, using
from pysubtensor.primitives.hashing import Twox64Concat
from pysubtensor.primitives.scale import BYTES, U8, U32, Enum, Field, Tuple, Variant
from tests.support.state import DictBackend

# ---------------------------------------------------------------------------
# Pallets of the double

SYSTEM = Pallet("System", 0, crate="frame_system")


@SYSTEM.call(0, weight=Weight(10, 0))
def remark(origin: Origin, remark: Arg(BYTES, "Vec<u8>")) -> None:
    """Make some on-chain remark."""


TEST = Pallet("TestPallet", 50, crate="pallet_test")

Values = TEST.storage("Values", StorageMap(Twox64Concat, U32, U32, default=0))
#: The origin of the last `store` / `root_only`, as a RawOrigin value.
LastCaller = TEST.storage("LastCaller", StorageValue(RAW_ORIGIN, optional=True))
#: The events deposited so far: their number, and each as (pallet index, encoded event).
EventCount = TEST.storage("EventCount", StorageValue(U32, default=0))
Events = TEST.storage("Events", StorageMap(Twox64Concat, U32, Tuple(U8, BYTES), optional=True))


@TEST.events
class Event:
    @event(0)
    class Stored:
        key: u32
        value: u32


@TEST.errors
class Error:
    Boom = error(0, "The call failed on purpose.")
    #: Stands in for frame_system's `CallFiltered`.
    CallFiltered = error(1, "The origin filter prevents the call.")

STORE_WEIGHT = Weight(1_000_000, 100)
FAIL_WEIGHT = Weight(2_000_000, 200)
FREE_WEIGHT = Weight(5, 5)


@TEST.call(0, weight=STORE_WEIGHT)
def store(origin: Origin, key: Arg(U32, "u32"), value: Arg(U32, "u32")) -> None:
    """Write `value` under `key` and remember the origin."""
    Values.insert(key, value)
    LastCaller.put(origin.raw)
    TEST.deposit_event(Event.Stored(key, value))


@TEST.call(1, weight=FAIL_WEIGHT)
def fail(origin: Origin, key: Arg(U32, "u32")) -> None:
    """Write under `key`, then fail with `Boom`."""
    Values.insert(key, 666)
    raise Error.Boom()


@TEST.call(2, weight=FAIL_WEIGHT)
def fail_using(origin: Origin, ref_time: Arg(U32, "u32")) -> None:
    """Fail with `Boom`, reporting that `ref_time` was used."""
    raise Error.Boom().with_post_info(PostDispatchInfo(Weight(ref_time, 0)))


@TEST.call(3, weight=STORE_WEIGHT)
def refund(origin: Origin, ref_time: Arg(U32, "u32")) -> PostDispatchInfo:
    """Succeed, reporting that only `ref_time` was used."""
    return PostDispatchInfo(Weight(ref_time, 0))


@TEST.call(4, weight=STORE_WEIGHT)
def root_only(origin: Origin) -> None:
    ensure_root(origin)
    LastCaller.put(origin.raw)


@TEST.call(5, weight=FREE_WEIGHT, dispatch_class=DispatchClass.OPERATIONAL, pays=Pays.NO)
def free(origin: Origin) -> None:
    """An operational call that pays no fee."""


@TEST.call(6, weight=STORE_WEIGHT)
def filtered(origin: Origin) -> None:
    """A call the base filter refuses (only Root or an unfiltered dispatch runs it)."""
    Values.insert(7, 7)


@TEST.call(7, weight=Weight(1, 1))
def weigh(origin: Origin, weight: Arg(WEIGHT, "Weight")) -> None:
    """Nothing; takes a Weight argument."""


# ---------------------------------------------------------------------------
# Composition

ORIGIN_CALLER = Enum(
    ("node_subtensor_runtime", "OriginCaller"),
    (Variant("system", 0, (Field(None, RAW_ORIGIN, "frame_system::Origin<Runtime>"),)),),
)

_CALLABLE = "self::sp_api_hidden_includes_construct_runtime::hidden_include::dispatch\n::CallableCallFor<{}, Runtime>"


def call(pallet: Pallet, name: str, **args: Any) -> tuple[str, tuple[str, dict[str, Any] | None]]:
    """A RuntimeCall value (as the codec decodes it: None for a call without arguments)."""
    return (pallet.name, (name, args or None))


def base_filter(call: Any) -> bool:
    pallet_name, (name, _) = call
    return not (pallet_name == TEST.name and name == "filtered")


class Runtime:
    """The double: `SYSTEM`, `TEST` and the pallets under test, composed."""

    def __init__(self, *pallets: Pallet) -> None:
        self.pallets = {p.name: p for p in (SYSTEM, TEST, *pallets)}
        self.by_index = {p.index: p for p in self.pallets.values()}
        self.runtime_call = Enum(
            ("node_subtensor_runtime", "RuntimeCall"),
            tuple(Variant(p.name, p.index, (Field(None, p.call_enum, _CALLABLE.format(p.name)),))
                  for p in self.pallets.values()),
        )
        self.under_test = pallets

    # -- what a pallet's `RuntimeCallConfig` asks for
    def dispatch(self, origin: Origin, call: Any, *, bypass_filter: bool) -> PostDispatchInfo | None:
        if not bypass_filter and origin.kind != Origin.ROOT and not (base_filter(call) and origin.filter_call(call)):
            raise Error.CallFiltered()
        pallet_name, inner = call
        return self.pallets[pallet_name].dispatch(origin, inner)

    def dispatch_info(self, call: Any) -> DispatchInfo:
        pallet_name, inner = call
        return self.pallets[pallet_name].dispatch_info(inner)

    @staticmethod
    def origin_of_caller(caller: Any) -> Origin:
        variant, raw = caller
        assert variant == "system"
        return Origin.from_raw(raw)

    # -- test helpers
    @contextmanager
    def running(self) -> Iterator[Externalities]:
        """Storage, and every pallet bound to this runtime (events; the pallets under test
        also its calls), for a block of code."""
        ext = Externalities(DictBackend())
        calls = RuntimeCallConfig(deposit_event=self._deposit, runtime_call=self.runtime_call,
                                  origin_caller=ORIGIN_CALLER, dispatch=self.dispatch,
                                  dispatch_info=self.dispatch_info, origin_of_caller=self.origin_of_caller)
        with ExitStack() as stack:
            for pallet in (SYSTEM, TEST):
                stack.enter_context(pallet.bound(PalletConfig(deposit_event=self._deposit)))
            for pallet in self.under_test:
                stack.enter_context(pallet.bound(calls))
            stack.enter_context(using(ext))
            yield ext

    def _deposit(self, pallet: Pallet, event: Any) -> None:
        n = EventCount.get()
        Events.insert(n, (pallet.index, pallet.event_enum.encode(event)))
        EventCount.put(n + 1)

    def events(self) -> list[Any]:
        """The events deposited (and not rolled back) so far, decoded, in order."""
        out = []
        for n in range(EventCount.get()):
            index, raw = Events.get(n)
            out.append(self.by_index[index].event_enum.decode_all(raw))
        return out

    def clear_events(self) -> None:
        Events.clear()
        EventCount.kill()

    def apply(self, origin: Origin, call: Any) -> PostDispatchInfo:
        """As the executive applies an extrinsic's call: in a layer, rolled back on failure."""
        with current().transaction():
            post = self.dispatch(origin, call, bypass_filter=False)
        return post if post is not None else PostDispatchInfo()

    def info(self, call: Any) -> DispatchInfo:
        return self.dispatch_info(call)
