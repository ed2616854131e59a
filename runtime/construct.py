"""`construct_runtime!`: the pallets of node-subtensor by index, and the aggregate types
(RuntimeCall, RuntimeEvent, RuntimeError, OriginCaller) built from their declarations.

Indices are the real runtime's; retired ones are kept as comments, as in subtensor's
`runtime/src/lib.rs`. Importing this module wires every pallet's configuration (the Python
counterpart of `impl pallet_x::Config for Runtime`).
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets import (
    aura,
    balances,
    grandpa,
    randomness_collective_flip,
    sudo,
    system,
    timestamp,
    transaction_payment,
    utility,
)
from pysubtensor.pallets.support import call as runtime_call_config
from pysubtensor.pallets.support.dispatch import RAW_ORIGIN, DispatchInfo, Origin, PostDispatchInfo
from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.pallets.transaction_payment.payment import SubtensorTxFeeHandler
from pysubtensor.primitives.scale import Enum, Field, Struct, Variant
from pysubtensor.primitives.version import RUNTIME_VERSION, RuntimeVersion

__all__ = [
    "ORIGIN_CALLER",
    "PALLETS",
    "PALLETS_BY_INDEX",
    "PALLETS_BY_NAME",
    "RUNTIME",
    "RUNTIME_CALL",
    "RUNTIME_ERROR",
    "RUNTIME_EVENT",
    "block_author",
    "dispatch",
    "dispatch_info",
    "wire",
]

PALLETS: tuple[Pallet, ...] = (
    system.pallet,                      # 0
    randomness_collective_flip.pallet,  # 1
    timestamp.pallet,                   # 2
    aura.pallet,                        # 3
    grandpa.pallet,                     # 4
    balances.pallet,                    # 5
    transaction_payment.pallet,         # 6
    # 7 SubtensorModule: lands with the subtensor pallets.
    # 8, 9, 10: retired (Triumvirate, TriumvirateMembers, SenateMembers).
    utility.pallet,                     # 11
    sudo.pallet,                        # 12
)
PALLETS_BY_NAME = {p.name: p for p in PALLETS}
PALLETS_BY_INDEX = {p.index: p for p in PALLETS}

#: `node_subtensor_runtime::Runtime`: the unit type that names the runtime.
RUNTIME = Struct(("node_subtensor_runtime", "Runtime"), ())


#: Crate names as `construct_runtime!` spells them where the runtime imports a fork under
#: the upstream name (subtensor's utility fork is `pallet_utility` in the runtime).
_CRATE_ALIASES = {"Utility": "pallet_utility"}


def _crate(pallet: Pallet) -> str:
    return _CRATE_ALIASES.get(pallet.name, pallet.crate)


def _generic_param(pallet: Pallet) -> str:
    return "<Runtime>" if pallet.event_enum.params else ""


RUNTIME_CALL = Enum(
    ("node_subtensor_runtime", "RuntimeCall"),
    tuple(
        Variant(p.name, p.index, (Field(None, p.call_enum, "self::sp_api_hidden_includes_construct_runtime::"
                                        f"hidden_include::dispatch\n::CallableCallFor<{p.name}, Runtime>"),))
        for p in PALLETS if p.calls
    ),
)

RUNTIME_EVENT = Enum(
    ("node_subtensor_runtime", "RuntimeEvent"),
    tuple(
        Variant(p.name, p.index, (Field(None, p.event_enum, f"{_crate(p)}::Event{_generic_param(p)}"),))
        for p in PALLETS if p.event_enum.variants
    ),
)

RUNTIME_ERROR = Enum(
    ("node_subtensor_runtime", "RuntimeError"),
    tuple(
        Variant(p.name, p.index, (Field(None, p.error_enum, f"{_crate(p)}::Error<Runtime>"),))
        for p in PALLETS if p.error_enum.variants
    ),
)

#: `OriginCaller` (`T::PalletsOrigin`): only frame_system's origin exists without Ethereum.
ORIGIN_CALLER = Enum(
    ("node_subtensor_runtime", "OriginCaller"),
    (Variant("system", 0, (Field(None, RAW_ORIGIN, "frame_system::Origin<Runtime>"),)),),
)


def dispatch_info(call: tuple[str, Any]) -> DispatchInfo:
    """`GetDispatchInfo` of a RuntimeCall value."""
    pallet_name, inner = call
    return PALLETS_BY_NAME[pallet_name].dispatch_info(inner)


def dispatch(origin: Origin, call: tuple[str, Any], *, bypass_filter: bool = False) -> PostDispatchInfo | None:
    """Run a RuntimeCall value as `origin` (raises DispatchError on failure).

    The base call filter of subtensor (SafeMode, no nested batches) admits every call of
    the pallets composed here; origin filters added by Utility still apply.
    """
    if not bypass_filter and not origin.filter_call(call):
        raise system.pallet.Error.CallFiltered()
    pallet_name, inner = call
    return PALLETS_BY_NAME[pallet_name].dispatch(origin, inner)


def _origin_of_caller(caller: tuple[str, Any]) -> Origin:
    kind, raw = caller
    if kind != "system":
        raise ValueError(f"unknown origin caller {kind!r}")
    return Origin.from_raw(raw)


def _deposit_event(pallet: Pallet, event: Any) -> None:
    system.deposit_event((pallet.name, event))


def block_author() -> bytes | None:
    """`BlockAuthorFromAura::get_block_author`: the Aura authority of the block's slot (from
    the pre-runtime digest in System.Digest), who receives the fees; None without one."""
    index = aura.find_author(system.digest().logs)
    if index is None:
        return None
    authorities = aura.Authorities.get()
    return authorities[index] if index < len(authorities) else None


def wire(version: RuntimeVersion) -> None:
    """Configure every pallet as the runtime composes them, `version` being the runtime's
    (done when the `runtime` package is imported; tests that reconfigure pallets call
    `pysubtensor.runtime.wire()` to restore the runtime's configuration)."""
    for p in PALLETS:
        p.set_event_sink(_deposit_event)
    system.configure(runtime_event=RUNTIME_EVENT, runtime_call=RUNTIME_CALL, version_codec=RUNTIME_VERSION,
                     version=version)
    runtime_call_config.configure(runtime_call_config.RuntimeCallConfig(
        runtime_call=RUNTIME_CALL,
        origin_caller=ORIGIN_CALLER,
        dispatch=dispatch,
        dispatch_info=dispatch_info,
        origin_of_caller=_origin_of_caller,
    ))
    # `OnTimestampSet = Aura`; fees go to the block author (`TransactionFeeHandler`).
    timestamp.config.on_timestamp_set = aura.on_timestamp_set
    transaction_payment.configure(transaction_payment.Config(
        on_charge_transaction=SubtensorTxFeeHandler(block_author=block_author)))


#: The composed pallets' `on_runtime_upgrade` hooks, in runtime order (`AllPalletsWithSystem`).
ON_RUNTIME_UPGRADE = (aura.on_runtime_upgrade,)
