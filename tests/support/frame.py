"""A composed System over a dict-backed state, for testing one pallet (`frame_env`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pysubtensor.pallets.system as system
from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.scale import Enum, Field, Struct, Variant
from pysubtensor.runtime.version import RUNTIME_VERSION, VERSION
from tests.support.events import routed_events
from tests.support.state import DictBackend

__all__ = ["frame_env", "runtime_event"]


def runtime_event(*pallets: Pallet) -> Enum:
    """A `node_subtensor_runtime::RuntimeEvent` over `pallets` (variant = pallet name and index)."""
    return Enum(("node_subtensor_runtime", "RuntimeEvent"),
                tuple(Variant(p.name, p.index, (Field(None, p.event_enum),)) for p in pallets))


@contextmanager
def frame_env(*pallets: Pallet, state: dict[bytes, bytes] | None = None, **config: Any) -> Iterator[Externalities]:
    """Storage over a dict `state`, System bound (runtime event over System and `pallets`,
    this runtime's version, `config` overriding fields of `system.Config`), and every
    pallet's events routed to System as the runtime does. The other pallets keep their
    binding (the runtime's, if it was imported). Bindings are restored afterwards."""
    members = (system.pallet, *[p for p in pallets if p is not system.pallet])
    runtime_call = Enum(("node_subtensor_runtime", "RuntimeCall"),
                        tuple(Variant(p.name, p.index, (Field(None, p.call_enum),)) for p in members))
    block = Struct(("sp_runtime", "generic", "block", "Block"), ())  # a stand-in: only its path is compared

    def deposit(pallet: Pallet, event: Any) -> None:
        system.deposit_event((pallet.name, event))

    system_config = system.Config(**{
        "deposit_event": deposit, "runtime_event": runtime_event(*members), "runtime_call": runtime_call,
        "block": block, "version_codec": RUNTIME_VERSION, "version": VERSION, **config})
    with system.pallet.bound(system_config), routed_events(members, deposit), \
            using(Externalities(DictBackend(state))) as ext:
        yield ext
