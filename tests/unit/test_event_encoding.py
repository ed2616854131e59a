"""The event deposit's fast path writes exactly what the codecs write.

`pallets.system.events.encode_record` encodes an `EventRecord` from remembered variant
indices and field codecs instead of walking `EVENT_RECORD` (the codec checked against real
metadata and clients); `deposit_event` reads `Number`, `ExecutionPhase` and `EventCount`
without the storage verbs. Every event class of every pallet of the runtime, in every phase
shape and with topics, must encode to the same bytes both ways, and a deposit must leave the
same storage as the verbs would.
"""

from __future__ import annotations

import random

import pytest

from pysubtensor import runtime
from pysubtensor.pallets.system import events
from pysubtensor.pallets.system.pallet import (
    EVENT_RECORD,
    EventCount,
    Events,
    EventTopics,
    ExecutionPhase,
    Number,
)
from pysubtensor.pallets.system.types import FINALIZATION, INITIALIZATION, EventRecord
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.scale import Enum, ScaleError
from pysubtensor.runtime import construct
from tests.support.state import DictBackend

runtime.wire()


def _field_value(codec, rng: random.Random):
    """A value of `codec`'s type, decoded from random bytes (zeros when those do not decode)."""
    for _ in range(20):
        data = bytes(rng.getrandbits(8) for _ in range(64)) + bytes(4096)
        try:
            return codec.decode(data, 0)[0]
        except (ScaleError, ValueError, KeyError, IndexError, TypeError, OverflowError):
            continue
    return codec.decode(bytes(4096), 0)[0]


def _all_events(rng: random.Random):
    for outer in construct.RUNTIME_EVENT.variants:
        (field,) = outer.fields
        assert isinstance(field.codec, Enum)
        for variant in field.codec.variants:
            assert variant.cls is not None, (outer.name, variant.name)
            yield outer.name, variant.cls(*(_field_value(f.codec, rng) for f in variant.fields))


PHASES = [("ApplyExtrinsic", 0), ("ApplyExtrinsic", 7), ("ApplyExtrinsic", 0xFFFF_FFFF), INITIALIZATION,
          FINALIZATION]


def test_every_event_encodes_as_the_codec_does():
    rng = random.Random(13)
    count = 0
    for event in _all_events(rng):
        for phase in PHASES:
            for topics in ([], [bytes(range(32))], [bytes(32), b"\x07" * 32]):
                expected = EVENT_RECORD.encode(EventRecord(phase, event, list(topics)))
                assert events.encode_record(phase, event, topics) == expected, (event, phase, topics)
        count += 1
    assert count > 200  # every pallet's events, SubtensorModule's among them


def test_other_shapes_take_the_codec():
    # An event given as (pallet, (variant name, payload)) and an out-of-range phase: the codec
    # encodes the one and refuses the other, as it did before the fast path.
    event = ("Balances", ("Deposit", {"who": bytes(32), "amount": 5}))
    assert events.encode_record(INITIALIZATION, event) == EVENT_RECORD.encode(EventRecord(INITIALIZATION, event, []))
    transfer = construct.PALLETS_BY_NAME["Balances"].Event.Transfer(bytes(32), bytes(32), 1)
    with pytest.raises(ScaleError):
        events.encode_record(("ApplyExtrinsic", 1 << 32), ("Balances", transfer))
    with pytest.raises(ScaleError):
        events.encode_record(INITIALIZATION, ("NoSuchPallet", transfer))


def _deposit_with_verbs(event, topics=()):
    """`deposit_event` as written with the storage verbs (what the fast path replaces)."""
    number = Number.get()
    if number == 0:
        return
    phase = ExecutionPhase.get() or INITIALIZATION
    index = EventCount.get()
    EventCount.put(index + 1)
    Events.append(EventRecord(phase, event, list(topics)))
    for topic in topics:
        EventTopics.append(topic, (number, index))


@pytest.mark.parametrize("phase", [None, ("ApplyExtrinsic", 3), FINALIZATION])
def test_deposit_leaves_the_storage_the_verbs_leave(phase):
    rng = random.Random(5)
    sample = [e for _, e in zip(range(40), _all_events(rng), strict=False)]
    results = []
    for deposit in (events.deposit_event, _deposit_with_verbs):
        ext = Externalities(DictBackend({}))
        with using(ext):
            Number.put(9)
            if phase is not None:
                ExecutionPhase.put(phase)
            for i, event in enumerate(sample):
                deposit(event, [bytes([i]) * 32] if i % 3 == 0 else [])
        results.append(ext.overlay.changes())
    assert results[0] == results[1]
    assert Events.prefix in results[0] and len(results[0]) > 3  # events, count, topics, ...


def test_no_event_in_the_genesis_block():
    ext = Externalities(DictBackend({}))
    with using(ext):
        events.deposit_event(next(_all_events(random.Random(1))))
    assert ext.overlay.changes() == {}
