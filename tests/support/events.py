"""Events a test looks at, without a private sink per test file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import Any

from pysubtensor.pallets.support.pallet import Pallet

__all__ = ["capture_events", "event_names", "routed_events"]


@contextmanager
def routed_events(pallets: tuple[Pallet, ...], sink: Any) -> Iterator[None]:
    """Route every event `pallets` deposit to `sink(pallet, event)` for a block of code (each
    pallet keeps the rest of its binding, or gets its `Config`'s defaults if unbound); each
    pallet's binding is restored afterwards."""
    with ExitStack() as stack:
        for p in pallets:
            config = (replace(p.config, deposit_event=sink) if p.is_bound
                      else p.config_class(deposit_event=sink))
            stack.enter_context(p.bound(config))
        yield


@contextmanager
def capture_events(*pallets: Pallet) -> Iterator[list[tuple[str, Any]]]:
    """Every event `pallets` deposit, in order, as (pallet name, event)."""
    collected: list[tuple[str, Any]] = []
    with routed_events(pallets, lambda pallet, event: collected.append((pallet.name, event))):
        yield collected


def event_names(events: list[tuple[str, Any]]) -> list[str]:
    """`Pallet.Event` for each captured event."""
    return [f"{p}.{type(e).__name__}" for p, e in events]
