"""Events and digest logs of the block being built (frame-system's `deposit_event_indexed`,
`deposit_log`, `reset_events`).

`Events` grows by storage append: each record is encoded once and added to the stored
vector by rewriting only its compact length prefix, as sp-io's `storage::append` does, so
depositing an event never decodes the events before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pysubtensor.primitives import externalities
from pysubtensor.primitives.header import DIGEST_ITEM

from .pallet import Digest, EventCount, Events, EventTopics, ExecutionPhase, Number
from .types import INITIALIZATION, EventRecord

__all__ = ["deposit_event", "deposit_log", "event_count", "read_events", "reset_events"]

_U32_MAX = 0xFFFF_FFFF


def deposit_event(event: Any, topics: Sequence[bytes] = ()) -> None:
    """Record a `RuntimeEvent` value in this block's `Events`, in the current phase, and index
    it under each topic (`EventTopics`). Nothing is recorded in the genesis block (number 0)
    or once `EventCount` is at u32::MAX."""
    block_number = Number.get()
    if block_number == 0:
        return
    phase = ExecutionPhase.get() or INITIALIZATION
    index = EventCount.get()
    if index == _U32_MAX:
        return
    EventCount.put(index + 1)
    Events.append(EventRecord(phase, event, list(topics)))
    for topic in topics:
        EventTopics.append(topic, (block_number, index))


def deposit_log(item: Any) -> None:
    """Append a digest item to this block's `Digest` (a storage append on its log vector)."""
    # `Digest` is a struct whose only field is the log vector, so it encodes as that vector.
    externalities.current().append(Digest.storage_key, DIGEST_ITEM.encode(item))


def reset_events() -> None:
    """Clear the previous block's `Events`, `EventCount` and `EventTopics`."""
    Events.kill()
    EventCount.kill()
    EventTopics.clear()


def read_events() -> list[EventRecord]:
    """This block's event records, decoded (for tests and RPC; the runtime never reads them)."""
    return Events.get()


def event_count() -> int:
    return EventCount.get()
