"""SubtensorModule's Event and Error enums (pallets/subtensor/events.py, errors.py) against
the real ones:

- spec 381 devnet metadata: the whole enum (path, type parameter, docs, variant order) and
  each variant (index, name, docs, field names, type names, field docs, and the type graph
  below each field) are the real ones;
- finney 343 (V14) with scalecodec, a codec we did not write: every event variant finney
  has with the same shape encodes to the bytes scalecodec gives for the same value (the
  variant index compared separately where finney numbers it differently).
"""

from __future__ import annotations

from typing import Any

import pytest

from pysubtensor.pallets.subtensor import order_events  # noqa: F401  (declares events and errors)
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.support.dispatch import ModuleError
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.primitives.scale import (
    U16,
    Bool,
    BTreeSet,
    Bytes,
    Codec,
    Compact,
    Enum,
    FixedBytes,
    Int,
    Option,
    ScaleEncodeError,
    Struct,
    Tuple,
    Unit,
    Vec,
)
from tests.support.metadata import (
    DEVNET_381,
    FINNEY_343_V14,
    ITEMS_BEYOND_381,
    TypeWalker,
    assert_same_type,
    real_metadata,
    real_pallet,
    scalecodec_encode,
    scalecodec_finney,
)

EVENT_PATH = ("pallet_subtensor", "pallet", "Event")


def _real_variants(blob: str, kind: str) -> list:
    md = real_metadata(blob)
    return list(md.types.type(getattr(real_pallet(blob, "SubtensorModule"), kind).ty).type_def.variants)


def _checked() -> None:
    """Put the enums in their metadata order (order_events.py), refusing a declaration that
    disagrees with it."""
    pallet.check()


@pytest.mark.parametrize(("kind", "count"), [("event", 120), ("error", 131)])
def test_the_whole_enum_is_the_real_one(kind, count):
    """Path, type parameter, docs, variant order, and every variant below it (TypeWalker)."""
    _checked()
    enum = pallet.event_enum if kind == "event" else pallet.error_enum
    beyond = ITEMS_BEYOND_381["SubtensorModule"].get("events" if kind == "event" else "errors", ())
    assert len(enum.variants) == count + len(beyond)
    assert_same_type(enum, DEVNET_381, getattr(real_pallet(DEVNET_381, "SubtensorModule"), kind).ty)


@pytest.mark.parametrize("real", _real_variants(DEVNET_381, "event"), ids=lambda v: v.name)
def test_event_variant_is_the_real_one(real):
    """Each variant on its own, so a failure names it: index, docs, fields, types."""
    _checked()
    ours = pallet.event_enum.by_name[real.name]
    assert (ours.index, list(ours.docs)) == (real.index, list(real.docs))
    assert [(f.name, f.type_name, list(f.docs)) for f in ours.fields] == \
        [(f.name, f.type_name, list(f.docs)) for f in real.fields]
    reg = TypeRegistry()
    walk = TypeWalker(reg, real_metadata(DEVNET_381).types, frozenset())
    for i, (f, rf) in enumerate(zip(ours.fields, real.fields, strict=True)):
        walk.same(reg.register(f.codec), rf.ty, f"{real.name}.{rf.name or i}")
    # The Python class of the variant is what encodes as it.
    assert pallet.event_enum.by_class[getattr(Event, real.name)] is ours


@pytest.mark.parametrize("real", _real_variants(DEVNET_381, "error"), ids=lambda v: v.name)
def test_error_variant_is_the_real_one(real):
    _checked()
    ours = pallet.error_enum.by_name[real.name]
    assert (ours.index, list(ours.docs), ours.fields) == (real.index, list(real.docs), ())
    exc = getattr(Error, real.name)
    assert issubclass(exc, ModuleError)
    assert (exc.pallet_index, exc.error_index, exc.error_name) == (7, real.index, real.name)


# ---------------------------------------------------------------------------
# Encoding, against scalecodec over the real finney 343 registry


def _sample(codec: Codec, seed: int) -> tuple[Any, Any]:
    """A value of `codec` made from `seed`: (ours, as scalecodec takes it)."""
    if isinstance(codec, Int):
        v = (seed * 7919 + 3) % (1 << (codec.bits - 1))
        return (-v, -v) if codec.signed and seed % 2 else (v, v)
    if isinstance(codec, Bool):
        return seed % 2 == 1, seed % 2 == 1
    if isinstance(codec, Compact):
        return _sample(codec.inner, seed)
    if isinstance(codec, FixedBytes):
        b = bytes((seed + i) % 256 for i in range(codec.length))
        return b, "0x" + b.hex()
    if isinstance(codec, Bytes):
        b = bytes(range(seed % 5 + 1))
        return b, "0x" + b.hex()
    if isinstance(codec, Struct):
        if len(codec.fields) == 1 and codec.fields[0].name is None:
            return _sample(codec.fields[0].codec, seed)  # a newtype (AccountId32)
        pairs = [_sample(f.codec, seed + i) for i, f in enumerate(codec.fields)]
        return ({f.name: p[0] for f, p in zip(codec.fields, pairs, strict=True)},
                {f.name: p[1] for f, p in zip(codec.fields, pairs, strict=True)})
    if isinstance(codec, Tuple):
        pairs = [_sample(c, seed + i) for i, c in enumerate(codec.items)]
        return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    if isinstance(codec, Vec):
        pairs = [_sample(codec.inner, seed + i) for i in range(3)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    if isinstance(codec, BTreeSet):
        items = sorted({_sample(codec.params[0][1], seed + i)[0] for i in range(3)})
        return set(items), items
    if isinstance(codec, Option):
        return (None, None) if seed % 2 else _sample(codec.inner, seed)
    if isinstance(codec, Enum):
        # A variant with fields where there is one (they say more about the layout).
        with_fields = [v for v in codec.variants if v.fields] or list(codec.variants)
        variant = with_fields[seed % len(with_fields)]
        if not variant.fields:
            return (variant.name, None), variant.name
        pairs = [_sample(f.codec, seed + i) for i, f in enumerate(variant.fields)]
        if variant.named:
            return ((variant.name, {f.name: p[0] for f, p in zip(variant.fields, pairs, strict=True)}),
                    {variant.name: {f.name: p[1] for f, p in zip(variant.fields, pairs, strict=True)}})
        if len(pairs) == 1:
            return (variant.name, pairs[0][0]), {variant.name: pairs[0][1]}
        return (variant.name, tuple(p[0] for p in pairs)), {variant.name: tuple(p[1] for p in pairs)}
    if isinstance(codec, Unit):
        return (), ()
    raise AssertionError(f"no sample for {codec!r}")


def _same_shape_on_finney(name: str) -> Any:
    """The finney 343 variant named `name` if its fields are ours (names, and types structurally;
    the type names may differ: 343 says `TaoCurrency` where 381 says `TaoBalance`), else None."""
    real = next((v for v in _real_variants(FINNEY_343_V14, "event") if v.name == name), None)
    if real is None:
        return None
    ours = pallet.event_enum.by_name[name]
    if [f.name for f in ours.fields] != [f.name for f in real.fields]:
        return None
    reg = TypeRegistry()
    walk = TypeWalker(reg, real_metadata(FINNEY_343_V14).types, frozenset())
    try:
        for f, rf in zip(ours.fields, real.fields, strict=True):
            walk.same(reg.register(f.codec), rf.ty, name)
    except AssertionError:
        return None
    return real


def _encodable() -> list[str]:
    """The events finney 343 has in our shape. The others (new since 343, or with other fields
    or another `RootClaimTypeEnum`) are covered by the structural comparison with spec 381."""
    _checked()
    return [v.name for v in pallet.event_enum.variants if _same_shape_on_finney(v.name) is not None]


def test_many_events_have_a_finney_343_twin_to_encode_against():
    names = _encodable()
    # Enough to cover tuple and named variants and every kind of field codec they hold.
    assert len(names) >= 100, names
    kinds = {type(f.codec).__name__ for n in names for f in pallet.event_enum.by_name[n].fields}
    assert {"Int", "Bool", "Struct", "FixedBytes", "Vec", "Enum"} <= kinds, kinds


@pytest.mark.parametrize("name", _encodable())
def test_event_encodes_as_scalecodec_encodes_the_finney_343_event(name):
    ours_variant = pallet.event_enum.by_name[name]
    real = _same_shape_on_finney(name)
    pairs = [_sample(f.codec, 11 * i + 1) for i, f in enumerate(ours_variant.fields)]
    event = ours_variant.cls(*(p[0] for p in pairs))
    if not ours_variant.fields:
        payload: Any = ()
    elif ours_variant.named:
        payload = {f.name: p[1] for f, p in zip(ours_variant.fields, pairs, strict=True)}
    else:
        payload = tuple(p[1] for p in pairs) if len(pairs) > 1 else pairs[0][1]
    ours = pallet.event_enum.encode(event)
    theirs = scalecodec_encode(EVENT_PATH, {name: payload} if ours_variant.fields else name)
    # The index is spec 381's (compared above); finney 343 may number the variant otherwise.
    assert (ours[0], theirs[0]) == (ours_variant.index, real.index)
    assert ours[1:] == theirs[1:]
    assert pallet.event_enum.decode_all(ours) == event


def test_root_claim_type_set_encodes_as_finney_343_where_its_enum_has_the_variant():
    """Finney 343's `RootClaimTypeEnum` lacks spec 381's `KeepSubnets`; its other variants
    encode alike (the whole 381 enum is compared structurally above)."""
    _checked()
    coldkey = bytes(range(32))
    for claim in ("Swap", "Keep"):
        ours = pallet.event_enum.encode(Event.RootClaimTypeSet(coldkey, claim))
        theirs = scalecodec_encode(EVENT_PATH, {"RootClaimTypeSet": {"coldkey": "0x" + coldkey.hex(),
                                                                      "root_claim_type": claim}})
        assert (ours[0], ours[1:]) == (113, theirs[1:])
        assert pallet.event_enum.decode_all(ours) == Event.RootClaimTypeSet(coldkey, (claim, None))
    keep = pallet.event_enum.encode(Event.RootClaimTypeSet(coldkey, ("KeepSubnets", {"subnets": [9, 2, 4, 2]})))
    assert keep == bytes([113]) + coldkey + bytes([2]) + _btree_set_u16([2, 4, 9])
    assert pallet.event_enum.decode_all(keep).root_claim_type == ("KeepSubnets", {"subnets": frozenset({2, 4, 9})})


def _btree_set_u16(items: list[int]) -> bytes:
    """scalecodec's encoding of finney 343's `BTreeSet<u16>` (type 239, a real BTreeSet<T>)."""
    rc, metadata = scalecodec_finney()
    return bytes(rc.create_scale_object("scale_info::239", metadata=metadata).encode(items).data)


def test_btree_set_is_the_real_btree_set_and_encodes_its_items_once_in_order():
    codec = BTreeSet(U16)
    assert_same_type(codec, FINNEY_343_V14, 239)
    assert codec.encode([300, 5, 70, 5]) == codec.encode({70, 300, 5}) == _btree_set_u16([5, 70, 300])
    assert codec.decode_all(_btree_set_u16([5, 70, 300])) == frozenset({5, 70, 300})
    assert codec.encode(set()) == _btree_set_u16([])
    with pytest.raises(ScaleEncodeError):
        codec.encode(b"\x01")
