"""Helpers for tests of FRAME pallets: a composed System over a dict-backed state
(`frame_env`), and a comparison of a pallet's declarations with the same pallet in the real
runtime's metadata (`assert_pallet_matches`).

The real metadata (spec 381 devnet V16, finney 343 V14) is read from tests/vectors at test
time and decoded with our metadata codec (which re-encodes those blobs byte for byte,
tests/conformance/test_metadata_codec.py). Our codecs go through `TypeRegistry`, and the two
type graphs are walked side by side: paths, type parameters, definitions, field and variant
names, indices, type names and docs must agree.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import cache
from typing import Any

import pysubtensor.pallets.system as system
from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.pallets.support.storage import StorageNMap
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.metadata import decode_metadata, metadata_bytes
from pysubtensor.primitives.metadata.registry import (
    TypeDefArray,
    TypeDefCompact,
    TypeDefComposite,
    TypeDefPrimitive,
    TypeDefSequence,
    TypeDefTuple,
    TypeDefVariant,
)
from pysubtensor.primitives.scale import Enum, Field, Struct, Variant
from pysubtensor.runtime.version import RUNTIME_VERSION, VERSION
from tests.conftest import vectors_dir

__all__ = ["BLOBS", "DictBackend", "assert_pallet_matches", "frame_env", "real_metadata", "real_pallet",
           "runtime_event", "summary_pallet"]

#: Real metadata blobs, newest first.
BLOBS = ("devnet_spec381_metadata_v16.scale", "finney_spec343_state_getMetadata_v14.hex")


class DictBackend:
    """A committed state held in a dict (as tests/unit/test_externalities.py)."""

    def __init__(self, items: dict[bytes, bytes] | None = None) -> None:
        self.items = dict(items or {})
        self.keys = sorted(self.items)

    def get(self, key: bytes) -> bytes | None:
        return self.items.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        i = bisect.bisect_right(self.keys, key)
        return self.keys[i] if i < len(self.keys) else None


def runtime_event(*pallets: Pallet) -> Enum:
    """A `node_subtensor_runtime::RuntimeEvent` over `pallets` (variant = pallet name and index)."""
    return Enum(("node_subtensor_runtime", "RuntimeEvent"),
                tuple(Variant(p.name, p.index, (Field(None, p.event_enum),)) for p in pallets))


@contextmanager
def frame_env(*pallets: Pallet, state: dict[bytes, bytes] | None = None, **config: Any) -> Iterator[Externalities]:
    """Storage over a dict `state`, System configured (runtime event over System and
    `pallets`, this runtime's version), and every pallet's events routed to System as the
    runtime does. Configuration and event sinks are restored afterwards."""
    members = (system.pallet, *[p for p in pallets if p is not system.pallet])
    saved = {f.name: getattr(system.config, f.name) for f in fields(system.Config)}
    sinks = {p: p._event_sink for p in members}
    runtime_call = Enum(("node_subtensor_runtime", "RuntimeCall"),
                        tuple(Variant(p.name, p.index, (Field(None, p.call_enum),)) for p in members))
    block = Struct(("sp_runtime", "generic", "block", "Block"), ())  # a stand-in: only its path is compared
    system.configure(**{"runtime_event": runtime_event(*members), "runtime_call": runtime_call, "block": block,
                        "version_codec": RUNTIME_VERSION, "version": VERSION, **config})
    for p in members:
        p.set_event_sink(lambda pallet, event: system.deposit_event((pallet.name, event)))
    try:
        with using(Externalities(DictBackend(state))) as ext:
            yield ext
    finally:
        system.configure(**saved)
        for p, sink in sinks.items():
            p._event_sink = sink


@cache
def real_metadata(blob: str) -> Any:
    path = vectors_dir() / "oracle" / "metadata" / blob
    raw = path.read_bytes()
    if blob.endswith(".hex"):
        raw = bytes.fromhex(raw.decode().strip().removeprefix("0x"))
    return decode_metadata(metadata_bytes(raw)).metadata


def real_pallet(blob: str, name: str) -> Any:
    return next(p for p in real_metadata(blob).pallets if p.name == name)


@cache
def _summary() -> dict:
    path = vectors_dir() / "oracle" / "summaries" / "devnet_spec381.summary.json"
    return json.loads(path.read_text())


def summary_pallet(name: str) -> dict:
    return next(p for p in _summary()["pallets"] if p["name"] == name)


class _Walker:
    """Walks our registry and the real one in step; `stop` names real types not compared
    below their path (the runtime-wide enums, which a single pallet does not declare)."""

    def __init__(self, ours: TypeRegistry, real: Any, stop: frozenset[str]) -> None:
        self.ours = ours
        self.real = real
        self.stop = stop
        self.done: set[tuple[int, int]] = set()

    def same(self, our_id: int, real_id: int, where: str) -> None:
        if (our_id, real_id) in self.done:
            return
        self.done.add((our_id, real_id))
        o = self.ours.types[our_id].ty
        r = self.real.type(real_id)
        assert list(o.path) == list(r.path), f"{where}: path {o.path} != {r.path}"
        if "::".join(r.path) in self.stop:
            return
        assert list(o.docs) == list(r.docs), f"{where}: docs {o.docs} != {r.docs}"
        assert [p.name for p in o.type_params] == [p.name for p in r.type_params], f"{where}: type parameter names"
        for op, rp in zip(o.type_params, r.type_params, strict=True):
            assert (op.ty is None) == (rp.ty is None), f"{where}<{op.name}>: erased in one registry only"
            if op.ty is not None:
                self.same(op.ty, rp.ty, f"{where}<{op.name}>")
        od, rd = o.type_def, r.type_def
        assert type(od) is type(rd), f"{where}: {type(od).__name__} is not a {type(rd).__name__}"
        if isinstance(rd, TypeDefComposite):
            self.fields(od.fields, rd.fields, where)
        elif isinstance(rd, TypeDefVariant):
            assert [(v.index, v.name) for v in od.variants] == [(v.index, v.name) for v in rd.variants], \
                f"{where}: variants {[(v.index, v.name) for v in od.variants]}"
            for ov, rv in zip(od.variants, rd.variants, strict=True):
                assert list(ov.docs) == list(rv.docs), f"{where}::{rv.name}: docs {ov.docs} != {rv.docs}"
                self.fields(ov.fields, rv.fields, f"{where}::{rv.name}")
        elif isinstance(rd, TypeDefSequence | TypeDefCompact):
            self.same(od.type_param, rd.type_param, f"{where}[]")
        elif isinstance(rd, TypeDefArray):
            assert od.len == rd.len, f"{where}: array of {od.len}, not {rd.len}"
            self.same(od.type_param, rd.type_param, f"{where}[]")
        elif isinstance(rd, TypeDefTuple):
            assert len(od.fields) == len(rd.fields), f"{where}: not a {len(rd.fields)}-tuple"
            for i, (oid, rid) in enumerate(zip(od.fields, rd.fields, strict=True)):
                self.same(oid, rid, f"{where}.{i}")
        else:
            assert isinstance(rd, TypeDefPrimitive) and od == rd, f"{where}: {od} != {rd}"

    def fields(self, ours: list, real: list, where: str) -> None:
        assert [(f.name, f.type_name) for f in ours] == [(f.name, f.type_name) for f in real], \
            f"{where}: fields {[(f.name, f.type_name) for f in ours]} != {[(f.name, f.type_name) for f in real]}"
        for of, rf in zip(ours, real, strict=True):
            assert list(of.docs) == list(rf.docs), f"{where}.{rf.name}: docs"
            self.same(of.ty, rf.ty, f"{where}.{rf.name}")


def assert_pallet_matches(pallet: Pallet, blob: str, *, skip_constant_values: tuple[str, ...] = (),
                          stop: tuple[str, ...] = ("node_subtensor_runtime::RuntimeEvent",
                                                   "node_subtensor_runtime::RuntimeCall",
                                                   "sp_runtime::generic::block::Block")) -> None:
    """Storage (order, modifier, hashers, key and value types, default, docs), constants
    (order, type, value, docs), associated types (V16) and the Call, Event and Error enums of
    `pallet` are those of the real pallet in `blob`."""
    real = real_pallet(blob, pallet.name)
    md = real_metadata(blob)
    ours = TypeRegistry()
    walk = _Walker(ours, md.types, frozenset(stop))
    assert real.index == pallet.index

    entries = real.storage.entries if real.storage else []
    assert [i.name for i in pallet.storage_items] == [e.name for e in entries]
    for item, entry in zip(pallet.storage_items, entries, strict=True):
        where = f"{pallet.name}.{item.name}"
        assert item.modifier == entry.modifier, where
        assert item.default_bytes == entry.default, f"{where}: default {item.default_bytes.hex()}"
        assert list(item.docs) == list(entry.docs), f"{where}: docs {item.docs}"
        if isinstance(item, StorageNMap):
            assert [h.name for h in item.hashers] == list(entry.ty.hashers), where
            assert len(item.keys) == 1, where  # these pallets have single-key maps only
            walk.same(ours.register(item.keys[0]), entry.ty.key, f"{where} key")
        else:
            assert not hasattr(entry.ty, "hashers"), f"{where} is a map on chain"
        walk.same(ours.register(item.value), entry.ty.value, f"{where} value")

    assert [c.name for c in pallet.constant_items] == [c.name for c in real.constants]
    for const, rc in zip(pallet.constant_items, real.constants, strict=True):
        where = f"{pallet.name}::{const.name}"
        assert list(const.docs) == list(rc.docs), f"{where}: docs {const.docs}"
        walk.same(ours.register(const.codec), rc.ty, where)
        if const.name not in skip_constant_values:
            assert const.encoded == rc.value, f"{where}: {const.encoded.hex()} != {rc.value.hex()}"

    if hasattr(real, "associated_types"):  # metadata V16
        assert [(n, list(d)) for n, _, d in pallet.associated_types] == \
            [(a.name, list(a.docs)) for a in real.associated_types], f"{pallet.name}: associated types"
        for (name, codec, _), a in zip(pallet.associated_types, real.associated_types, strict=True):
            walk.same(ours.register(codec), a.ty, f"{pallet.name}::{name}")

    for kind, enum, has in (("calls", pallet.call_enum, pallet.calls), ("event", pallet.event_enum, True),
                            ("error", pallet.error_enum, pallet.errors)):
        real_enum = getattr(real, kind)
        if real_enum is None:
            assert not enum.variants, f"{pallet.name} has no {kind} on chain"
            continue
        assert has
        walk.same(ours.register(enum), real_enum.ty, f"{pallet.name} {kind}")
