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
from pysubtensor.primitives.scale import H256, Codec, Enum, ScaleDecodeError, Vec

from .pallet import EVENT_RECORD, Digest, EventCount, Events, EventTopics, ExecutionPhase, Number, pallet
from .types import FINALIZATION, INITIALIZATION, PHASE, EventRecord

__all__ = ["deposit_event", "deposit_log", "encode_record", "event_count", "read_events", "reset_events"]

_U32_MAX = 0xFFFF_FFFF


def deposit_event(event: Any, topics: Sequence[bytes] = ()) -> None:
    """Record a `RuntimeEvent` value in this block's `Events`, in the current phase, and index
    it under each topic (`EventTopics`). Nothing is recorded in the genesis block (number 0)
    or once `EventCount` is at u32::MAX."""
    ext = externalities.current_or_none() or externalities.current()
    get = ext.get_decoded
    try:  # the three reads, inlined while all three values are stored (always, after the first event)
        found_number, block_number = get(Number.prefix, Number.value)
        found_phase, phase = get(ExecutionPhase.prefix, ExecutionPhase.value)
        found_index, index = get(EventCount.prefix, EventCount.value)
    except ScaleDecodeError:
        found_number = False
    if not (found_number and found_phase and found_index):
        block_number, phase, index = _read(ext, Number), _read(ext, ExecutionPhase), _read(ext, EventCount)
    if block_number == 0:
        return
    phase = phase or INITIALIZATION
    if index == _U32_MAX:
        return
    # `EventCount.put`: the next event reads it without decoding.
    ext.set_decoded(EventCount.prefix, (index + 1).to_bytes(4, "little"), EventCount.value, index + 1)
    ext.append(Events.prefix, encode_record(phase, event, topics))
    for topic in topics:
        EventTopics.append(topic, (block_number, index))


def _read(ext: externalities.Externalities, item: Any) -> Any:
    """`item.get()` for the three values every event reads, without the verbs' layers; an
    absent or undecodable value takes the verb's path (default, logging)."""
    try:
        found, value = ext.get_decoded(item.prefix, item.value)
    except ScaleDecodeError:
        found = False
    return value if found else item.get()


def encode_record(phase: Any, event: Any, topics: Sequence[bytes] = ()) -> bytes:
    """`EventRecord { phase, event, topics }` encoded, the bytes `EVENT_RECORD.encode` gives.

    An event is `(pallet name, instance of one of its event classes)`; the two variant
    indices and the field codecs of each (runtime event enum, pallet, class) are looked up
    once and remembered, so an event costs its fields' encoding. Anything else (a phase or
    an event in another shape) is encoded by the codec itself."""
    runtime_event = pallet.config.runtime_event
    plan = _PLANS.get((runtime_event, event[0], event[1].__class__)) if event.__class__ is tuple else None
    if plan is None:
        plan = _plan(runtime_event, event)
        if plan is None:
            return EVENT_RECORD.encode(EventRecord(phase, event, list(topics)))
    out = bytearray(_phase_bytes(phase))
    head, fields = plan
    out += head
    inner = event[1]
    for attr, codec in fields:
        codec.encode_into(getattr(inner, attr), out)
    if topics:
        _TOPICS.encode_into(list(topics), out)
    else:
        out.append(0)  # compact(0): no topics
    return bytes(out)


#: (runtime event enum, pallet name, event class) -> (the two variant index bytes, ((attribute, codec), ...)).
_PLANS: dict[tuple, tuple[bytes, tuple[tuple[str, Codec], ...]]] = {}
_TOPICS = Vec(H256)
_PHASES = {INITIALIZATION: PHASE.encode(INITIALIZATION), FINALIZATION: PHASE.encode(FINALIZATION)}


def _phase_bytes(phase: Any) -> bytes:
    if phase.__class__ is tuple and phase[0] == "ApplyExtrinsic" and phase[1].__class__ is int \
            and 0 <= phase[1] <= _U32_MAX:
        return b"\x00" + phase[1].to_bytes(4, "little")
    known = _PHASES.get(phase) if phase.__class__ is tuple else None
    return known if known is not None else PHASE.encode(phase)


def _plan(runtime_event: Codec, event: Any) -> tuple[bytes, tuple[tuple[str, Codec], ...]] | None:
    """The remembered encoding plan of an event given as `(pallet name, class instance)`, or
    None when it is not one (the codec then encodes it, or says why it cannot)."""
    if not (event.__class__ is tuple and len(event) == 2 and event[0].__class__ is str
            and isinstance(runtime_event, Enum)):
        return None
    outer = runtime_event.by_name.get(event[0])
    if outer is None or len(outer.fields) != 1 or not isinstance(outer.fields[0].codec, Enum):
        return None
    inner = outer.fields[0].codec.by_class.get(event[1].__class__)
    if inner is None:
        return None
    plan = (bytes((outer.index, inner.index)),
            tuple((attr, f.codec) for f, attr in zip(inner.fields, inner.attrs, strict=True)))
    _PLANS[(runtime_event, event[0], event[1].__class__)] = plan
    return plan


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
