"""Our SCALE codec against py-scale-codec (scalecodec), an implementation we did not write."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from pysubtensor.primitives import scale
from pysubtensor.primitives.scale import (
    BOOL,
    BYTES,
    STR,
    Array,
    Compact,
    Enum,
    Field,
    FixedBytes,
    Option,
    ScaleDecodeError,
    ScaleEncodeError,
    Struct,
    Tuple,
    Variant,
    Vec,
    decode_compact,
    encode_compact,
)


@pytest.fixture(scope="module")
def registry() -> RuntimeConfiguration:
    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("legacy"))
    return rc


def reference_encode(rc: RuntimeConfiguration, type_string: str, value) -> bytes:
    return bytes(rc.create_scale_object(type_string).encode(value).data)


def reference_decode(rc: RuntimeConfiguration, type_string: str, data: bytes):
    return rc.create_scale_object(type_string, ScaleBytes(bytearray(data))).decode()


INTS = [(scale.U8, "u8"), (scale.U16, "u16"), (scale.U32, "u32"), (scale.U64, "u64"), (scale.U128, "u128"),
        (scale.U256, "u256"), (scale.I8, "i8"), (scale.I16, "i16"), (scale.I32, "i32"), (scale.I64, "i64"),
        (scale.I128, "i128")]


@pytest.mark.parametrize(("codec", "name"), INTS, ids=[n for _, n in INTS])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fixed_ints_agree_with_scalecodec(registry, codec, name, data):
    value = data.draw(st.integers(codec.lo, codec.hi))
    encoded = codec.encode(value)
    assert encoded == reference_encode(registry, name, value)
    assert codec.decode_all(encoded) == value
    assert reference_decode(registry, name, encoded) == value


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(0, 2**6), st.integers(0, 2**14 + 5), st.integers(0, 2**30 + 5),
                 st.integers(0, 2**128 - 1)))
def test_compact_agrees_with_scalecodec(registry, value):
    encoded = encode_compact(value)
    assert encoded == reference_encode(registry, "Compact<u128>", value)
    assert decode_compact(encoded) == (value, len(encoded))
    assert Compact(scale.U128).decode_all(encoded) == value


@pytest.mark.parametrize("value", [0, 63, 64, 16383, 16384, 2**30 - 1, 2**30, 2**32 - 1, 2**64 - 1, 2**128 - 1])
def test_compact_boundaries(registry, value):
    assert encode_compact(value) == reference_encode(registry, "Compact<u128>", value)


@pytest.mark.parametrize("noncanonical", ["0100", "02000000", "0300000000", "07ffffffff00"])
def test_compact_rejects_non_canonical(noncanonical):
    with pytest.raises(ScaleDecodeError, match="non-canonical"):
        decode_compact(bytes.fromhex(noncanonical))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_bytes_agree(registry, value):
    encoded = BYTES.encode(value)
    assert encoded == reference_encode(registry, "Bytes", "0x" + value.hex())
    assert BYTES.decode_all(encoded) == value


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_str_agrees(registry, value):
    encoded = STR.encode(value)
    assert encoded == reference_encode(registry, "Text", value)
    assert STR.decode_all(encoded) == value
    assert reference_decode(registry, "Text", encoded) == value


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=40))
def test_vec_u32_agrees(registry, value):
    encoded = Vec(scale.U32).encode(value)
    assert encoded == reference_encode(registry, "Vec<u32>", value)
    assert Vec(scale.U32).decode_all(encoded) == value
    assert reference_decode(registry, "Vec<u32>", encoded) == value


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(min_size=32, max_size=32), max_size=40), st.integers(0, 3), st.integers(0, 40))
def test_vec_of_account_ids_is_cut_by_slicing_as_scalecodec_reads_it(registry, value, pad, cut):
    """`Vec<AccountId32>` (and `Vec<[u8; N]>`) decode by slicing: the same list scalecodec
    reads, from bytes or a memoryview at any offset; short input fails as the per-item loop does."""
    from pysubtensor.primitives.types import ACCOUNT_ID

    codec = Vec(ACCOUNT_ID)
    encoded = codec.encode(value)
    assert encoded == reference_encode(registry, "Vec<[u8; 32]>", ["0x" + v.hex() for v in value])
    assert [bytes.fromhex(v[2:]) for v in reference_decode(registry, "Vec<[u8; 32]>", encoded)] == value
    framed = b"\xff" * pad + encoded + b"\xee"
    for data in (framed, memoryview(framed)):
        items, end = codec.decode(data, pad)
        assert items == value and all(type(i) is bytes for i in items) and end == pad + len(encoded)
        assert Vec(FixedBytes(32)).decode(data, pad) == (value, end)
    if value:  # truncated: the error the item codec raises
        short = encoded[:len(encoded) - 1 - cut % len(value)]
        with pytest.raises(ScaleDecodeError, match=r"\[u8; 32\]: needs \d+ bytes of input"):
            codec.decode_all(short)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.none(), st.integers(0, 2**64 - 1)))
def test_option_u64_agrees(registry, value):
    encoded = Option(scale.U64).encode(value)
    assert encoded == reference_encode(registry, "Option<u64>", value)
    assert Option(scale.U64).decode_all(encoded) == value
    assert reference_decode(registry, "Option<u64>", encoded) == value


@pytest.mark.parametrize("value", [None, True, False])
def test_option_bool_uses_generic_encoding(registry, value):
    encoded = Option(BOOL).encode(value)
    assert encoded == reference_encode(registry, "Option<bool>", value)
    assert Option(BOOL).decode_all(encoded) is value


@settings(max_examples=100, deadline=None)
@given(st.tuples(st.integers(0, 2**16 - 1), st.booleans(), st.integers(-(2**63), 2**63 - 1)))
def test_tuple_agrees(registry, value):
    codec = Tuple(scale.U16, BOOL, scale.I64)
    encoded = codec.encode(value)
    assert encoded == reference_encode(registry, "(u16, bool, i64)", value)
    assert codec.decode_all(encoded) == value


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=3, max_size=3), st.binary(min_size=4, max_size=4))
def test_arrays_agree(registry, items, raw4):
    assert Array(scale.U32, 3).encode(items) == reference_encode(registry, "[u32; 3]", items)
    assert FixedBytes(4).encode(raw4) == reference_encode(registry, "[u8; 4]", "0x" + raw4.hex())
    assert Array(scale.U32, 3).decode_all(Array(scale.U32, 3).encode(items)) == tuple(items)


def test_struct_and_enum_round_trip():
    account_data = Struct(("AccountData",), (Field("free", scale.U64), Field("reserved", scale.U64)))
    value = {"free": 10, "reserved": 3}
    assert account_data.decode_all(account_data.encode(value)) == value
    era = Enum(("E",), (Variant("A", 0), Variant("B", 3, (Field(None, scale.U32),)),
                        Variant("C", 7, (Field("x", scale.U8), Field("y", BOOL)))))
    for v in [("A", None), ("B", 9), ("C", {"x": 1, "y": True})]:
        assert era.decode_all(era.encode(v)) == v
    assert era.encode("A") == b"\x00"
    assert era.encode(("B", 9)) == b"\x03\x09\x00\x00\x00"
    with pytest.raises(ScaleDecodeError, match="unknown variant index 5"):
        era.decode_all(b"\x05")
    with pytest.raises(ScaleEncodeError, match="no variant named"):
        era.encode("Z")


@pytest.mark.parametrize(
    ("codec", "data", "message"),
    [
        (scale.U32, b"\x01\x02", "u32: needs 4 bytes"),
        (BOOL, b"\x02", "invalid byte"),
        (BYTES, b"\x10\x01", "needs"),
        (Vec(scale.U64), b"\xfe\xff\x03\x00", "exceeds"),
        (Option(scale.U8), b"\x02", "invalid tag"),
        (STR, b"\x04\xff\xfe\xfd\xfc", "invalid UTF-8"),
        (scale.U8, b"\x01\x02", "trailing"),
    ],
)
def test_bad_input_is_a_clear_decode_error(codec, data, message):
    with pytest.raises(ScaleDecodeError, match=message):
        codec.decode_all(data)


@pytest.mark.parametrize(
    ("codec", "value"),
    [(scale.U8, 256), (scale.U8, -1), (scale.U32, True), (scale.U32, "1"), (BYTES, "00"),
     (FixedBytes(32), b"\x00" * 31), (BOOL, 1), (Vec(scale.U8), "ab")],
)
def test_bad_values_are_a_clear_encode_error(codec, value):
    with pytest.raises(ScaleEncodeError):
        codec.encode(value)
