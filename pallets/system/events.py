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
from pysubtensor.primitives.scale import (
    H256,
    Codec,
    Compact,
    Enum,
    FixedBytes,
    Int,
    ScaleDecodeError,
    ScaleEncodeError,
    Struct,
    Vec,
    encode_compact,
)

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
    indices and the field encoders of each (runtime event enum, pallet, class) are worked
    out once and remembered (`_field_plan`), so an event costs its fields' encoding. Anything
    else (a phase or an event in another shape) is encoded by the codec itself."""
    runtime_event = pallet.config.runtime_event
    plan = _PLANS.get((runtime_event, event[0], event[1].__class__)) if event.__class__ is tuple else None
    if plan is None:
        plan = _plan(runtime_event, event)
        if plan is None:
            return EVENT_RECORD.encode(EventRecord(phase, event, list(topics)))
    out = bytearray(_phase_bytes(phase))
    head, fields = plan
    out += head
    _encode_fields(event[1], fields, out)
    if topics:
        _TOPICS.encode_into(list(topics), out)
    else:
        out.append(0)  # compact(0): no topics
    return bytes(out)


# How `_encode_fields` encodes a field: the bytes its codec writes for the values each kind
# takes, without the codec's layers; any other value goes to the codec itself.
_GENERIC, _FIXED, _UINT, _COMPACT, _UNIT_ENUM, _STRUCT = range(6)


def _field_plan(codec: Codec) -> tuple[int, Any, Codec]:
    """(kind, what the kind needs, the codec) of one field."""
    inner = codec
    while inner.__class__ is Struct and inner.cls is None and not inner.named and len(inner.fields) == 1:
        inner = inner.fields[0].codec  # a newtype (AccountId32): bytes encode as its field does
    if inner.__class__ is FixedBytes:
        return _FIXED, inner.length, codec
    if codec.__class__ is Int and not codec.signed:
        return _UINT, (codec.size, codec.hi), codec
    if codec.__class__ is Compact and codec.inner.__class__ is Int:
        return _COMPACT, codec.inner.hi, codec
    if codec.__class__ is Enum and all(not v.fields for v in codec.variants):
        return _UNIT_ENUM, {v.name: bytes((v.index,)) for v in codec.variants}, codec
    if codec.__class__ is Struct and codec.cls is not None and codec.named:
        return _STRUCT, (codec.cls, tuple((attr, *_field_plan(f.codec))
                                          for f, attr in zip(codec.fields, codec.attrs, strict=True))), codec
    return _GENERIC, None, codec


def _encode_fields(value: Any, fields: tuple, out: bytearray) -> None:
    for attr, kind, arg, codec in fields:
        v = getattr(value, attr)
        cls = v.__class__
        if kind == _FIXED:
            if cls is bytes and len(v) == arg:
                out += v
                continue
        elif kind == _UINT:
            if cls is int and 0 <= v <= arg[1]:
                out += v.to_bytes(arg[0], "little")
                continue
        elif kind == _COMPACT:
            if cls is int and 0 <= v <= arg:
                out += encode_compact(v)
                continue
        elif kind == _UNIT_ENUM:
            if cls is str:
                index = arg.get(v)
                if index is not None:
                    out += index
                    continue
        elif kind == _STRUCT and cls is arg[0]:
            try:
                _encode_fields(v, arg[1], out)
                continue
            except ScaleEncodeError:
                pass  # a field refused: the struct's own encoder refuses it too, in its words
        codec.encode_into(v, out)


#: (runtime event enum, pallet name, event class) -> (the two variant index bytes, field plans).
_PLANS: dict[tuple, tuple[bytes, tuple[tuple[Any, ...], ...]]] = {}
_TOPICS = Vec(H256)
_PHASES = {INITIALIZATION: PHASE.encode(INITIALIZATION), FINALIZATION: PHASE.encode(FINALIZATION)}


def _phase_bytes(phase: Any) -> bytes:
    if phase.__class__ is tuple and phase[0] == "ApplyExtrinsic" and phase[1].__class__ is int \
            and 0 <= phase[1] <= _U32_MAX:
        return b"\x00" + phase[1].to_bytes(4, "little")
    known = _PHASES.get(phase) if phase.__class__ is tuple else None
    return known if known is not None else PHASE.encode(phase)


def _plan(runtime_event: Codec, event: Any) -> tuple[bytes, tuple[tuple[Any, ...], ...]] | None:
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
            tuple((attr, *_field_plan(f.codec)) for f, attr in zip(inner.fields, inner.attrs, strict=True)))
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
