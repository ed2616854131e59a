"""The runtime's aggregate call as pallets that dispatch other calls see it (Utility, Sudo).

Imports flow `primitives ← pallets ← runtime`, so a pallet cannot name the composed
`RuntimeCall`. The runtime hands over what such pallets need once it is composed:

    call.configure(RuntimeCallConfig(
        runtime_call=RUNTIME_CALL,      # node_subtensor_runtime::RuntimeCall (an Enum)
        origin_caller=ORIGIN_CALLER,    # node_subtensor_runtime::OriginCaller (an Enum)
        dispatch=dispatch,              # (origin, call, *, bypass_filter) -> PostDispatchInfo | None
        dispatch_info=dispatch_info,    # call -> DispatchInfo
        origin_of_caller=origin_of,     # OriginCaller value -> Origin
    ))

and pallets declare their arguments with the forward references `RUNTIME_CALL` and
`ORIGIN_CALLER`, which resolve to the configured runtime's types whenever they are used
(so a test runtime and the real one can follow each other in one process).

A RuntimeCall value is `(pallet_name, (call_name, args))`, as the Enum codec decodes it:
`("Balances", ("transfer_keep_alive", {"dest": ("Id", bob), "value": 10}))`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.support.dispatch import DispatchError, DispatchInfo, Origin, PostDispatchInfo, Weight
from pysubtensor.primitives import externalities
from pysubtensor.primitives.scale import Codec, Lazy

__all__ = [
    "ORIGIN_CALLER",
    "RUNTIME_CALL",
    "Dispatch",
    "RuntimeCallConfig",
    "configure",
    "current_config",
    "dispatch",
    "dispatch_info",
    "dispatch_result",
    "error_only",
    "extract_actual_weight",
    "origin_of_caller",
    "using_config",
]


class Dispatch(Protocol):
    def __call__(self, origin: Origin, call: Any, *, bypass_filter: bool) -> PostDispatchInfo | None:
        """Run a RuntimeCall value as `origin`; raise `DispatchError` if it fails.

        Unless `bypass_filter` is set or the origin is Root, first refuse the call (with
        frame_system's `CallFiltered`) when the runtime's base call filter or
        `origin.filter_call(call)` rejects it (`Dispatchable::dispatch` versus
        `UnfilteredDispatchable::dispatch_bypass_filter`).
        """
        ...


@dataclass(frozen=True, slots=True)
class RuntimeCallConfig:
    """What the composed runtime provides to pallets that dispatch calls."""

    #: `node_subtensor_runtime::RuntimeCall`: one variant per pallet, at the pallet's index.
    runtime_call: Codec
    #: `node_subtensor_runtime::OriginCaller` (`T::PalletsOrigin`): `system(RawOrigin)`, ….
    origin_caller: Codec
    dispatch: Dispatch
    #: `GetDispatchInfo` of a RuntimeCall value: the called pallet's declared weight, class, fee rule.
    dispatch_info: Callable[[Any], DispatchInfo]
    #: The origin of an `OriginCaller` value (`PalletsOrigin::into`), with no added filters.
    origin_of_caller: Callable[[Any], Origin]


_config: RuntimeCallConfig | None = None


def configure(config: RuntimeCallConfig | None) -> RuntimeCallConfig | None:
    """Install the runtime's call configuration; return the one it replaces."""
    global _config
    previous, _config = _config, config
    return previous


def current_config() -> RuntimeCallConfig:
    if _config is None:
        raise RuntimeError("no runtime is composed: pallets.support.call.configure() was not called")
    return _config


@contextmanager
def using_config(config: RuntimeCallConfig) -> Iterator[RuntimeCallConfig]:
    """Install `config` for the duration of a block of code (tests), then restore the previous one."""
    previous = configure(config)
    try:
        yield config
    finally:
        configure(previous)


class _Configured(Lazy):
    """A forward reference resolved on every use, never cached: it follows `configure()`."""

    __slots__ = ("_name",)

    def __init__(self, resolve: Callable[[], Codec], name: str) -> None:
        super().__init__(resolve)
        self._name = name

    @property
    def target(self) -> Codec:
        return self._resolve()

    @property
    def display_name(self) -> str:
        return self.target.display_name if _config is not None else self._name


#: `<T as Config>::RuntimeCall` of the configured runtime.
RUNTIME_CALL: Codec = _Configured(lambda: current_config().runtime_call, "RuntimeCall")
#: `T::PalletsOrigin` of the configured runtime.
ORIGIN_CALLER: Codec = _Configured(lambda: current_config().origin_caller, "OriginCaller")


def dispatch_info(call: Any) -> DispatchInfo:
    """`call.get_dispatch_info()`."""
    return current_config().dispatch_info(call)


def origin_of_caller(caller: Any) -> Origin:
    """`(*as_origin).into()`: the origin an `OriginCaller` value names."""
    return current_config().origin_of_caller(caller)


def dispatch(origin: Origin, call: Any, *, bypass_filter: bool = False) -> PostDispatchInfo | DispatchError:
    """Dispatch `call` in its own transactional layer and return its outcome, as Rust's
    `call.dispatch(origin)` returns a `DispatchResultWithPostInfo`: the post-dispatch info,
    or the `DispatchError` (not raised) after the call's writes were rolled back.

    Every FRAME call runs in a storage layer of its own; this keeps that true for calls
    dispatched from inside another call, whoever the runtime's dispatcher is.
    """
    config = current_config()
    try:
        with externalities.current().transaction():
            post = config.dispatch(origin, call, bypass_filter=bypass_filter)
    except DispatchError as error:
        return error
    return post if post is not None else PostDispatchInfo()


def extract_actual_weight(result: PostDispatchInfo | DispatchError, info: DispatchInfo) -> Weight:
    """frame-support's `extract_actual_weight`: the weight a dispatch really used."""
    if isinstance(result, DispatchError):
        post = result.post_info if result.post_info is not None else PostDispatchInfo()
    else:
        post = result
    return post.calc_actual_weight(info)


def dispatch_result(result: PostDispatchInfo | DispatchError) -> tuple[str, Any]:
    """The `DISPATCH_RESULT` value of an outcome (`res.map(|_| ()).map_err(|e| e.error)`)."""
    return ("Err", result.value) if isinstance(result, DispatchError) else ("Ok", ())


def error_only(error: DispatchError) -> DispatchError:
    """`e.error`: the error without the weight the failed call reported (a call returning a
    plain `DispatchResult` passes on inner errors this way)."""
    error.post_info = None
    return error
