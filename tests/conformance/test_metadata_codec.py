"""Our frame-metadata codec against real subtensor metadata and decoders we did not write.

Every blob in tests/vectors/oracle/metadata must decode to its last byte and re-encode to
the same bytes; its digest must equal the oracle summary (made with polkadot-api's
decoder); the V14 blobs must agree with scalecodec and the V15 blobs with bt-decode.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pysubtensor.primitives.metadata import (
    MetadataError,
    TypeDefArray,
    TypeDefBitSequence,
    TypeDefCompact,
    TypeDefComposite,
    TypeDefPrimitive,
    TypeDefSequence,
    TypeDefTuple,
    TypeDefVariant,
    decode_metadata,
    encode_metadata,
    metadata_bytes,
    summary,
    unwrap_metadata_at_version,
    unwrap_opaque_metadata,
    wrap_metadata_at_version,
    wrap_opaque_metadata,
)
from pysubtensor.primitives.metadata.registry import Field, PortableType
from pysubtensor.primitives.metadata.v14 import StorageEntryTypeMap, StorageEntryTypePlain
from pysubtensor.primitives.scale import ScaleDecodeError, ScaleError
from tests.conftest import vectors_dir
from tests.support.metadata import decoded_metadata, metadata_blob

# The V14 blobs have no summary of their own: they describe the same runtime as the
# V15 / V16 blob the summary was made from.
V14_SUMMARIES = {
    "finney_spec343_state_getMetadata_v14.hex": "finney_spec343",
    "spec218_raonet_metadata_v14.hex": "raonet_spec218",
    "spec293_auradev_metadata_v14.hex": "auradev_spec293",
    "spec300_babe_npos_metadata_v14.hex": "babenpos_spec300",
}
FINNEY_V14 = "finney_spec343_state_getMetadata_v14.hex"
FINNEY_V15 = "finney_spec343_metadata_at_version_15.hex"


def oracle_dir() -> Path:
    return vectors_dir() / "oracle"


def blob_names() -> list[str]:
    names = sorted(p.name for p in (oracle_dir() / "metadata").iterdir() if p.suffix in (".hex", ".scale"))
    assert names, "no metadata blobs found"
    return names




def expected_version(name: str) -> int:
    for marker, version in (("_v14", 14), ("_at_version_15", 15), ("_v15", 15), ("_v16", 16)):
        if marker in name:
            return version
    raise AssertionError(f"{name}: cannot tell the metadata version from the name")


@cache
def summaries_by_blob() -> dict[str, dict[str, Any]]:
    """Oracle summary per blob name: each summary names the blob it was made from."""
    out = {}
    for path in sorted((oracle_dir() / "summaries").glob("*.summary.json")):
        data = json.loads(path.read_text())
        out[data["file"]] = data
        out.update({v14: data for v14, stem in V14_SUMMARIES.items() if path.name == f"{stem}.summary.json"})
    return out


# ---------------------------------------------------------------------------
# Every blob: to the last byte and back.


@pytest.mark.parametrize("name", blob_names())
def test_blob_decodes_fully_and_reencodes_byte_identically(name: str) -> None:
    raw = metadata_bytes(metadata_blob(name))
    m = decode_metadata(raw)  # decode_all: trailing bytes would raise
    assert m.version == expected_version(name)
    assert encode_metadata(m) == raw
    assert encode_metadata(m.metadata) == raw
    # The wrapper the file came in is reproduced as well.
    if metadata_blob(name) != raw:
        rewrapped = wrap_metadata_at_version(raw) if "_at_version_" in name else wrap_opaque_metadata(raw)
        assert rewrapped == metadata_blob(name)


@pytest.mark.parametrize("name", blob_names())
def test_summary_matches_oracle(name: str) -> None:
    expected = summaries_by_blob().get(name)
    assert expected is not None, f"{name} has no oracle summary: add it to V14_SUMMARIES"
    ours = summary(decoded_metadata(name))
    # A V14 blob shares pallets, extrinsic and spec with its runtime's V15 / V16 summary;
    # the version, the type count and `apis` differ by construction.
    skip = {"file"} | ({"metadata_version", "types", "apis"} if name in V14_SUMMARIES else set())
    for key, value in expected.items():
        if key not in skip:
            assert ours[key] == value, f"{name}: {key} differs from the oracle summary"


def test_finney_shape_named_in_the_oracle_readme() -> None:
    pallets = {p.name: p for p in decoded_metadata(FINNEY_V15).metadata.pallets}
    registry = decoded_metadata(FINNEY_V15).metadata.types
    assert pallets["System"].index == 0
    assert pallets["SubtensorModule"].index == 7
    calls = {v.name: v.index for v in registry.variants(pallets["SubtensorModule"].calls.ty)}
    assert calls["set_weights"] == 0
    assert calls["batch_set_weights"] == 80


# ---------------------------------------------------------------------------
# Wrappers.


def test_blobs_come_in_all_three_forms() -> None:
    assert metadata_blob(FINNEY_V14)[:4] == b"meta"  # state_getMetadata: raw
    raonet_v14 = metadata_blob("spec218_raonet_metadata_v14.hex")  # Metadata_metadata: OpaqueMetadata
    assert unwrap_opaque_metadata(raonet_v14) == metadata_bytes(raonet_v14)
    finney_v15 = metadata_blob(FINNEY_V15)  # Metadata_metadata_at_version: Option<OpaqueMetadata>
    assert finney_v15[0] == 1
    assert unwrap_metadata_at_version(finney_v15) == metadata_bytes(finney_v15)


def test_absent_version_is_none() -> None:
    assert wrap_metadata_at_version(None) == b"\x00"
    assert unwrap_metadata_at_version(b"\x00") is None
    with pytest.raises(MetadataError, match="None"):
        metadata_bytes(b"\x00")


def test_wrapper_without_metadata_inside_is_refused() -> None:
    with pytest.raises(MetadataError, match="does not hold prefixed metadata"):
        unwrap_opaque_metadata(wrap_opaque_metadata(b"atem\x0e"))
    with pytest.raises(MetadataError, match="no magic"):
        metadata_bytes(b"\x01\x02\x03\x04\x05\x06")


# ---------------------------------------------------------------------------
# Registry lookups.


def test_registry_lookup_by_id() -> None:
    md = decoded_metadata(FINNEY_V15).metadata
    registry = md.types
    assert all(registry.type(p.id) is p.ty for p in registry.types)
    assert registry.type(md.outer_enums.call_enum_ty).path == ["node_subtensor_runtime", "RuntimeCall"]
    assert registry.type(0).path_name == "sp_core::crypto::AccountId32"
    with pytest.raises(MetadataError, match="not in the registry"):
        registry.type(len(registry))
    with pytest.raises(MetadataError, match="not a variant type"):
        registry.variants(0)


# ---------------------------------------------------------------------------
# Independent decoders.


def scalecodec_v14(raw: bytes) -> dict[str, Any]:
    from scalecodec.base import RuntimeConfiguration, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("core"))
    obj = rc.create_scale_object("MetadataVersioned", data=ScaleBytes(raw))
    obj.decode()
    assert obj.data.offset == len(raw)
    return obj.value[1]["V14"]


def scalecodec_bytes(value: bytes) -> str:
    """scalecodec shows `Vec<u8>` as text when it is valid UTF-8, else as 0x-hex."""
    try:
        return value.decode()
    except UnicodeDecodeError:
        return "0x" + value.hex()


@pytest.mark.parametrize("name", sorted(V14_SUMMARIES))
def test_v14_agrees_with_scalecodec(name: str) -> None:
    md = decoded_metadata(name).metadata
    theirs = scalecodec_v14(metadata_bytes(metadata_blob(name)))
    their_types = {t["id"]: t["type"] for t in theirs["types"]["types"]}

    def their_variant_names(type_id: int) -> list[str]:
        return [v["name"] for v in their_types[type_id]["def"]["variant"]["variants"]]

    assert len(their_types) == len(md.types)
    assert [t["path"] for t in their_types.values()] == [p.ty.path for p in md.types.types]
    assert [(p["name"], p["index"]) for p in theirs["pallets"]] == [(p.name, p.index) for p in md.pallets]
    for mine, their in zip(md.pallets, theirs["pallets"], strict=True):
        if mine.calls is not None:
            assert their_variant_names(their["calls"]["ty"]) == [v.name for v in md.types.variants(mine.calls.ty)]
        else:
            assert their["calls"] is None
        entries = mine.storage.entries if mine.storage is not None else []
        their_entries = their["storage"]["entries"] if their["storage"] is not None else []
        assert [(e["name"], e["modifier"], e["type"]) for e in their_entries] == [
            (e.name, e.modifier, storage_type_json(e.ty)) for e in entries]
        assert [(c["name"], c["type"], c["value"]) for c in their["constants"]] == [
            (c.name, c.ty, scalecodec_bytes(c.value)) for c in mine.constants]
    assert theirs["extrinsic"] == as_json(md.extrinsic)
    assert theirs["runtime_type"] == md.ty


@pytest.mark.parametrize("name", [n for n in blob_names() if expected_version(n) == 15])
def test_v15_agrees_with_bt_decode(name: str) -> None:
    bt_decode = pytest.importorskip("bt_decode")
    raw = metadata_bytes(metadata_blob(name))
    theirs = bt_decode.MetadataV15.decode_from_metadata_option(wrap_metadata_at_version(raw)).value()
    md = decoded_metadata(name).metadata
    assert [(p["name"], p["index"]) for p in theirs["pallets"]] == [(p.name, p.index) for p in md.pallets]
    assert [a["name"] for a in theirs["apis"]] == [a.name for a in md.apis]
    # Beyond names: the whole model, field by field, in bt-decode's serde shape.
    assert theirs["types"]["types"] == [portable_type_json(t) for t in md.types.types]
    for key in ("pallets", "extrinsic", "ty", "apis", "outer_enums"):
        assert theirs[key] == as_json(getattr(md, key)), key
    assert theirs["custom"]["map"] == dict(as_json(md.custom.map))


def as_json(value: Any) -> Any:
    """Our model as the serde JSON of frame-metadata (bt-decode's and scalecodec's shape)."""
    if isinstance(value, StorageEntryTypePlain | StorageEntryTypeMap):
        return storage_type_json(value)
    if dataclasses.is_dataclass(value):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bytes):
        return list(value)
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    return value


def storage_type_json(ty: StorageEntryTypePlain | StorageEntryTypeMap) -> dict[str, Any]:
    if isinstance(ty, StorageEntryTypePlain):
        return {"Plain": ty.value}
    return {"Map": {"hashers": ty.hashers, "key": ty.key, "value": ty.value}}


def portable_type_json(portable: PortableType) -> dict[str, Any]:
    """scale-info's serde form: empty lists and None are left out."""
    ty = portable.ty
    params = [{"name": p.name, "type": p.ty} for p in ty.type_params]
    return {"id": portable.id, "type": _present(path=ty.path, params=params, docs=ty.docs,
                                                **{"def": type_def_json(ty.type_def)})}


def type_def_json(type_def: Any) -> dict[str, Any]:
    match type_def:
        case TypeDefComposite(fields):
            return {"composite": _present(fields=[field_json(f) for f in fields])}
        case TypeDefVariant(variants):
            return {"variant": _present(variants=[
                _present(name=v.name, fields=[field_json(f) for f in v.fields], index=v.index, docs=v.docs)
                for v in variants])}
        case TypeDefSequence(item):
            return {"sequence": {"type": item}}
        case TypeDefArray(length, item):
            return {"array": {"len": length, "type": item}}
        case TypeDefTuple(items):
            return {"tuple": items}
        case TypeDefPrimitive(primitive):
            return {"primitive": primitive}
        case TypeDefCompact(item):
            return {"compact": {"type": item}}
        case TypeDefBitSequence(store, order):
            return {"bitSequence": {"bitStoreType": store, "bitOrderType": order}}
    raise AssertionError(f"unknown type def {type_def!r}")


def field_json(field: Field) -> dict[str, Any]:
    return _present(name=field.name, type=field.ty, typeName=field.type_name, docs=field.docs)


def _present(**items: Any) -> dict[str, Any]:
    return {k: v for k, v in items.items() if v is not None and v != []}


# ---------------------------------------------------------------------------
# Bad input.


def smallest_v15() -> bytes:
    return metadata_bytes(metadata_blob("localnet_spec240_metadata_v15.scale"))


@pytest.mark.parametrize("cut", [5, 6, 100, 50_000, -100, -1])
def test_truncated_blob_is_a_decode_error(cut: int) -> None:
    with pytest.raises(ScaleDecodeError, match="metadata V15"):
        decode_metadata(smallest_v15()[:cut])


def test_trailing_bytes_are_a_decode_error() -> None:
    with pytest.raises(ScaleDecodeError, match="trailing"):
        decode_metadata(smallest_v15() + b"\x00")


def test_wrong_magic_is_named() -> None:
    with pytest.raises(MetadataError, match="magic"):
        decode_metadata(b"atem" + smallest_v15()[4:])
    with pytest.raises(MetadataError, match="wrapped"):
        decode_metadata(metadata_blob(FINNEY_V15))  # Option-wrapped, not raw


@pytest.mark.parametrize("version", [0, 13, 17, 255])
def test_unsupported_version_is_named(version: int) -> None:
    data = smallest_v15()
    with pytest.raises(MetadataError, match=f"unsupported version {version} "):
        decode_metadata(data[:4] + bytes([version]) + data[5:])


def test_too_short_is_named() -> None:
    with pytest.raises(MetadataError, match="too short"):
        decode_metadata(b"meta")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_truncation_is_a_decode_error(data: st.DataObject) -> None:
    raw = smallest_v15()
    cut = data.draw(st.integers(min_value=5, max_value=len(raw) - 1))
    with pytest.raises(ScaleDecodeError):
        decode_metadata(raw[:cut])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupt_byte_is_an_error_or_round_trips(data: st.DataObject) -> None:
    """Decoding is canonical: whatever decodes re-encodes to the same bytes."""
    raw = bytearray(smallest_v15())
    position = data.draw(st.integers(min_value=5, max_value=len(raw) - 1))
    raw[position] = data.draw(st.integers(min_value=0, max_value=255))
    try:
        m = decode_metadata(bytes(raw))
    except ScaleError:
        return
    assert encode_metadata(m) == bytes(raw)
