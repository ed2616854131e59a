"""The runtime's aggregate call as pallets that dispatch other calls see it (Utility, Sudo).

Imports flow `primitives ← pallets ← runtime`, so a pallet cannot name the composed
`RuntimeCall`. Such a pallet's `Config` is a `RuntimeCallConfig` (Rust's `type RuntimeCall`,
`type PalletsOrigin`), bound by the runtime when it composes the pallets:

    utility.pallet.bind(RuntimeCallConfig(
        deposit_event=...,
        runtime_call=RUNTIME_CALL,      # node_subtensor_runtime::RuntimeCall (an Enum)
        origin_caller=ORIGIN_CALLER,    # node_subtensor_runtime::OriginCaller (an Enum)
        dispatch=dispatch,              # (origin, call, *, bypass_filter) -> PostDispatchInfo | None
        dispatch_info=dispatch_info,    # call -> DispatchInfo
        origin_of_caller=origin_of,     # OriginCaller value -> Origin
    ))

and reaches it through a `RuntimeCalls(pallet)`: its `call` and `origin_caller` are forward
references for argument types, resolved to the bound runtime's types whenever they are used
(so a test runtime and the real one can follow each other in one process), and its
`dispatch`/`dispatch_info` go to the bound runtime.

A RuntimeCall value is `(pallet_name, (call_name, args))`, as the Enum codec decodes it:
`("Balances", ("transfer_keep_alive", {"dest": ("Id", bob), "value": 10}))`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import DispatchError, DispatchInfo, Origin, PostDispatchInfo, Weight
from pysubtensor.primitives import externalities
from pysubtensor.primitives.scale import Codec, Lazy

__all__ = [
    "Dispatch",
    "RuntimeCallConfig",
    "RuntimeCalls",
    "dispatch_in_layer",
    "dispatch_result",
    "error_only",
    "extract_actual_weight",
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


@dataclass(frozen=True, kw_only=True)
class RuntimeCallConfig(PalletConfig):
    """The `Config` of a pallet that dispatches the runtime's calls."""

    #: `node_subtensor_runtime::RuntimeCall`: one variant per pallet, at the pallet's index.
    runtime_call: Codec
    #: `node_subtensor_runtime::OriginCaller` (`T::PalletsOrigin`): `system(RawOrigin)`, ….
    origin_caller: Codec
    dispatch: Dispatch
    #: `GetDispatchInfo` of a RuntimeCall value: the called pallet's declared weight, class, fee rule.
    dispatch_info: Callable[[Any], DispatchInfo]
    #: The origin of an `OriginCaller` value (`PalletsOrigin::into`), with no added filters.
    origin_of_caller: Callable[[Any], Origin]


class _Bound(Lazy):
    """A forward reference resolved on every use, never cached: it follows the pallet's binding."""

    __slots__ = ("_name", "_pallet")

    def __init__(self, pallet: Any, field: str, name: str) -> None:
        super().__init__(lambda: getattr(pallet.config, field))
        self._pallet = pallet
        self._name = name

    @property
    def target(self) -> Codec:
        return self._resolve()

    @property
    def display_name(self) -> str:
        return self.target.display_name if self._pallet.is_bound else self._name


class RuntimeCalls:
    """The runtime's calls as `pallet` (a `Pallet` whose `Config` is a `RuntimeCallConfig`)
    sees them through its binding."""

    __slots__ = ("call", "origin_caller", "pallet")

    def __init__(self, pallet: Any) -> None:
        self.pallet = pallet
        #: `<T as Config>::RuntimeCall` of the bound runtime.
        self.call: Codec = _Bound(pallet, "runtime_call", "RuntimeCall")
        #: `T::PalletsOrigin` of the bound runtime.
        self.origin_caller: Codec = _Bound(pallet, "origin_caller", "OriginCaller")

    def dispatch_info(self, call: Any) -> DispatchInfo:
        """`call.get_dispatch_info()`."""
        return self.pallet.config.dispatch_info(call)

    def origin_of_caller(self, caller: Any) -> Origin:
        """`(*as_origin).into()`: the origin an `OriginCaller` value names."""
        return self.pallet.config.origin_of_caller(caller)

    def dispatch(self, origin: Origin, call: Any, *, bypass_filter: bool = False) -> PostDispatchInfo | DispatchError:
        """`call.dispatch(origin)` through the bound runtime (see `dispatch_in_layer`)."""
        return dispatch_in_layer(self.pallet.config.dispatch, origin, call, bypass_filter=bypass_filter)


def dispatch_in_layer(dispatch: Dispatch, origin: Origin, call: Any, *, bypass_filter: bool = False
                      ) -> PostDispatchInfo | DispatchError:
    """Dispatch `call` with `dispatch` in its own transactional layer and return its outcome,
    as Rust's `call.dispatch(origin)` returns a `DispatchResultWithPostInfo`: the post-dispatch
    info, or the `DispatchError` (not raised) after the call's writes were rolled back.

    Every FRAME call runs in a storage layer of its own; this keeps that true for calls
    dispatched from inside another call, whoever the runtime's dispatcher is.
    """
    overlay = externalities.current().overlay  # `Externalities.transaction()`, without the context manager
    overlay.start_transaction()
    try:
        post = dispatch(origin, call, bypass_filter=bypass_filter)
    except DispatchError as error:
        overlay.rollback_transaction()
        return error
    except BaseException:
        overlay.rollback_transaction()
        raise
    overlay.commit_transaction()
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
