"""The metadata our runtime serves, checked against decoders we did not write and against the
real subtensor runtime's metadata.

- Our V14 bytes decode with scalecodec (what py-substrate-interface uses) to the same model,
  and scalecodec, reading only our metadata, builds a signed extrinsic our runtime decodes
  and the signing payload our runtime verifies.
- Our V15 bytes decode with bt-decode (the bittensor SDK's Rust decoder) to the same model.
- Both decode with our own codec and re-encode to the same bytes.
- Every pallet we compose has the index, calls, events, errors (names, indices, fields),
  storage (order, modifier, hashers, key and value types, defaults, docs) and constants of
  the real spec 381 runtime (oracle summary and the V16 blob's registry); the transaction
  extensions and runtime APIs we implement are the real ones in order, name and type.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from pysubtensor.primitives.metadata import (
    decode_metadata,
    encode_metadata,
    summary,
    unwrap_metadata_at_version,
    wrap_metadata_at_version,
)
from pysubtensor.primitives.metadata.v14 import StorageEntryTypeMap
from pysubtensor.runtime.apis import RUNTIME_APIS
from pysubtensor.runtime.construct import PALLETS, RUNTIME_CALL
from pysubtensor.runtime.extrinsic import (
    TRANSACTION_EXTENSIONS,
    UncheckedExtrinsic,
    implicit_bytes,
    signing_payload,
)
from pysubtensor.runtime.metadata import (
    SUPPORTED_METADATA_VERSIONS,
    metadata_bytes,
    metadata_v14,
    metadata_v15,
)
from pysubtensor.runtime.version import RUNTIME_VERSION, VERSION, api_id
from tests.conformance.test_metadata_codec import (
    as_json,
    portable_type_json,
    scalecodec_bytes,
    scalecodec_v14,
    storage_type_json,
)
from tests.support.metadata import (
    CALL_VARIANTS_IN_PROGRESS,
    CALLS_IN_PROGRESS,
    DEVNET_381,
    EXTENSIONS_BEYOND_381,
    FINNEY_343_V15,
    FOLLOWS_MAIN,
    ITEMS_BEYOND_381,
    METHODS_BEYOND_381,
    TUPLE_MEMBERS_BEYOND_381,
    VARIANTS_BEYOND_381,
    TypeWalker,
    real_metadata,
    summary_381,
)

#: Aggregates of the whole runtime: ours has fewer pallets, so they are compared by path only
#: (their pallet variants are checked in test_type_shapes).
RUNTIME_WIDE = frozenset({"node_subtensor_runtime::RuntimeCall", "node_subtensor_runtime::RuntimeEvent",
                          "node_subtensor_runtime::RuntimeError", "node_subtensor_runtime::OriginCaller"})
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")

def real() -> Any:
    return real_metadata(DEVNET_381)


def walker() -> TypeWalker:
    return TypeWalker(metadata_v15().types, real().types, RUNTIME_WIDE,  # type: ignore[arg-type]
                      missing=CALL_VARIANTS_IN_PROGRESS, extra=VARIANTS_BEYOND_381)


def real_pallet(name: str) -> Any:
    return next(p for p in real().pallets if p.name == name)


def real_unchecked_extrinsic_id() -> int:
    return next(p.id for p in real().types.types
                if p.ty.path == ["fp_self_contained", "unchecked_extrinsic", "UncheckedExtrinsic"])


# ---------------------------------------------------------------------------
# Our bytes, our decoder, and the public surface


@pytest.mark.parametrize("version", [14, 15])
def test_our_metadata_round_trips_through_our_decoder(version: int) -> None:
    raw = metadata_bytes(version)
    assert raw[:5] == b"meta" + bytes([version])
    decoded = decode_metadata(raw)
    assert decoded.version == version
    assert decoded.metadata == (metadata_v14() if version == 14 else metadata_v15())
    assert encode_metadata(decoded) == raw


def test_supported_versions_and_caching() -> None:
    assert SUPPORTED_METADATA_VERSIONS == [14, 15]
    assert metadata_v14() is metadata_v14() and metadata_v15() is metadata_v15()
    assert metadata_bytes(15) is metadata_bytes(15)
    for version in (13, 16):
        with pytest.raises(ValueError, match="not supported"):
            metadata_bytes(version)


def test_registry_has_each_type_once() -> None:
    for md in (metadata_v14(), metadata_v15()):
        types = md.types.types
        assert [t.id for t in types] == list(range(len(types)))
        shapes = Counter((tuple(t.ty.path), repr(t.ty.type_params), repr(t.ty.type_def)) for t in types)
        assert [key[0] for key, n in shapes.items() if n > 1] == []
        runtime_types = [t.id for t in types if t.ty.path == ["node_subtensor_runtime", "Runtime"]]
        assert runtime_types == [md.ty]


# ---------------------------------------------------------------------------
# Decoders we did not write


def test_v14_decodes_with_scalecodec() -> None:
    md = metadata_v14()
    theirs = scalecodec_v14(metadata_bytes(14))
    their_types = {t["id"]: t["type"] for t in theirs["types"]["types"]}
    assert len(their_types) == len(md.types)
    assert [t["path"] for t in their_types.values()] == [p.ty.path for p in md.types.types]
    assert [(p["name"], p["index"]) for p in theirs["pallets"]] == [(p.name, p.index) for p in md.pallets]
    for mine, their in zip(md.pallets, theirs["pallets"], strict=True):
        for kind in ("calls", "event", "error"):
            ours = getattr(mine, kind)
            if ours is None:
                assert their[kind] is None, (mine.name, kind)
            else:
                names = [v["name"] for v in their_types[their[kind]["ty"]]["def"]["variant"]["variants"]]
                assert names == [v.name for v in md.types.variants(ours.ty)], (mine.name, kind)
        entries = mine.storage.entries if mine.storage is not None else []
        their_entries = their["storage"]["entries"] if their["storage"] is not None else []
        assert [(e["name"], e["modifier"], e["type"]) for e in their_entries] == [
            (e.name, e.modifier, storage_type_json(e.ty)) for e in entries]
        assert [(c["name"], c["type"], c["value"]) for c in their["constants"]] == [
            (c.name, c.ty, scalecodec_bytes(c.value)) for c in mine.constants]
    assert theirs["extrinsic"] == as_json(md.extrinsic)
    assert theirs["runtime_type"] == md.ty


def test_v15_decodes_with_bt_decode() -> None:
    bt_decode = pytest.importorskip("bt_decode")
    md = metadata_v15()
    theirs = bt_decode.MetadataV15.decode_from_metadata_option(wrap_metadata_at_version(metadata_bytes(15))).value()
    assert theirs["types"]["types"] == [portable_type_json(t) for t in md.types.types]
    for key in ("pallets", "extrinsic", "ty", "apis", "outer_enums"):
        assert theirs[key] == as_json(getattr(md, key)), key
    assert theirs["custom"]["map"] == {}


def _scalecodec_runtime() -> tuple[Any, Any]:
    from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    rc = RuntimeConfigurationObject()
    rc.update_type_registry(load_type_registry_preset("core"))
    md = rc.create_scale_object("MetadataVersioned", data=ScaleBytes(metadata_bytes(14)))
    md.decode()
    rc.add_portable_registry(md)
    return rc, md


def test_scalecodec_signs_with_our_metadata_what_our_runtime_decodes() -> None:
    """py-substrate-interface's path: extrinsic and signing payload built by scalecodec from our
    metadata alone (its extension list, `Address` and `ExtrinsicSignature` from the
    `UncheckedExtrinsic` type parameters) are what our extrinsic format reads."""
    rc, md = _scalecodec_runtime()
    xt = rc.create_scale_object("Extrinsic", metadata=md)
    encoded = bytes(xt.encode({
        "account_id": "0x" + ALICE.hex(), "signature_version": 1, "signature": "0x" + "11" * 64,
        "call_module": "Balances", "call_function": "transfer_keep_alive",
        "call_args": {"dest": "0x" + ALICE.hex(), "value": 12345},
        "nonce": 5, "era": "00", "tip": 7, "asset_id": {"tip": 7, "asset_id": None}, "mode": "Disabled",
    }).data)
    uxt = UncheckedExtrinsic.decode(encoded, RUNTIME_CALL)
    assert uxt.signed is not None and uxt.signed.address == ("Id", ALICE)
    assert (uxt.signed.nonce, uxt.signed.tip, uxt.signed.metadata_hash_mode) == (5, 7, "Disabled")
    assert uxt.call == ("Balances", ("transfer_keep_alive", {"dest": ("Id", ALICE), "value": 12345}))

    # substrate-interface's generate_signature_payload, field for field.
    ext = md.get_signed_extensions()
    payload = rc.create_scale_object("ExtrinsicPayloadValue")
    payload.type_mapping = [
        ["call", "CallBytes"], ["era", ext["CheckMortality"]["extrinsic"]], ["nonce", ext["CheckNonce"]["extrinsic"]],
        ["tip", ext["ChargeTransactionPayment"]["extrinsic"]], ["mode", ext["CheckMetadataHash"]["extrinsic"]],
        ["spec_version", ext["CheckSpecVersion"]["additional_signed"]],
        ["transaction_version", ext["CheckTxVersion"]["additional_signed"]],
        ["genesis_hash", ext["CheckGenesis"]["additional_signed"]],
        ["block_hash", ext["CheckMortality"]["additional_signed"]],
        ["metadata_hash", ext["CheckMetadataHash"]["additional_signed"]],
    ]
    genesis = bytes(range(32))
    theirs = bytes(payload.encode({
        "call": "0x" + uxt.call_bytes.hex(), "era": "00", "nonce": 5, "tip": 7, "spec_version": 459,
        "transaction_version": 1, "genesis_hash": "0x" + genesis.hex(), "block_hash": "0x" + genesis.hex(),
        "asset_id": {"tip": 7, "asset_id": None}, "metadata_hash": None, "mode": "Disabled",
    }).data)
    ours = signing_payload(uxt.call_bytes, uxt.signed.extra, implicit_bytes(
        spec_version=459, transaction_version=1, genesis_hash=genesis, era_birth_hash=genesis))
    assert theirs == ours


def test_types_clients_resolve_by_path_are_present() -> None:
    md = metadata_v14()
    by_path = {"::".join(t.ty.path): t.ty for t in md.types.types if t.ty.path}
    unchecked = by_path["sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic"]
    assert [p.name for p in unchecked.type_params] == ["Address", "Call", "Signature", "Extra"]
    for path in ("sp_runtime::multiaddress::MultiAddress", "sp_core::crypto::AccountId32",
                 "sp_runtime::generic::era::Era", "sp_runtime::generic::digest::DigestItem",
                 "sp_weights::weight_v2::Weight", "frame_system::EventRecord", "sp_runtime::DispatchError",
                 "sp_runtime::MultiSignature", "node_subtensor_runtime::RuntimeCall"):
        assert path in by_path, path


# ---------------------------------------------------------------------------
# The real runtime (spec 381)


def test_pallets_match_spec381_summary() -> None:
    theirs = {p["name"]: p for p in summary_381()["pallets"]}
    ours = summary(metadata_v15())["pallets"]
    assert [p["index"] for p in ours] == sorted(p.index for p in PALLETS)
    for pallet in ours:
        if pallet["name"] in FOLLOWS_MAIN:
            continue
        real = dict(theirs[pallet["name"]])
        beyond = ITEMS_BEYOND_381.get(pallet["name"], {})
        pallet = {**pallet, "storage_list": [s for s in pallet["storage_list"] if s not in beyond.get("storage", ())],
                  "call_list": [c for c in pallet["call_list"] if c["name"] not in beyond.get("calls", ())],
                  "event_list": [e for e in pallet["event_list"] if e[1] not in beyond.get("events", ())],
                  "error_list": [e for e in pallet["error_list"] if e[1] not in beyond.get("errors", ())]}
        for part, listed in (("storage", "storage_list"), ("calls", "call_list"), ("events", "event_list"),
                             ("errors", "error_list")):
            pallet[part] = len(pallet[listed])
        in_progress = CALLS_IN_PROGRESS.get(pallet["name"], frozenset())
        assert in_progress <= {c["name"] for c in real["call_list"]}, pallet["name"]
        real["call_list"] = [c for c in real["call_list"] if c["name"] not in in_progress]
        real["calls"] = len(real["call_list"])
        assert pallet == real, pallet["name"]


def test_pallet_parts_are_absent_where_the_real_runtime_has_none() -> None:
    for pallet in metadata_v15().pallets:
        if pallet.name in FOLLOWS_MAIN:
            continue
        r = real_pallet(pallet.name)
        for part in ("storage", "event", "error"):
            assert (getattr(pallet, part) is None) == (getattr(r, part) is None), (pallet.name, part)
        # A pallet with calls has the `calls` part once one of them is implemented.
        real_calls = set() if r.calls is None else {v.name for v in real().types.variants(r.calls.ty)}
        assert (pallet.calls is None) == (real_calls <= CALLS_IN_PROGRESS.get(pallet.name, frozenset())), pallet.name
        assert pallet.docs == r.docs, pallet.name
        if pallet.storage is not None:
            assert pallet.storage.prefix == r.storage.prefix == pallet.name


def test_storage_matches_spec381_structurally() -> None:
    md, walk = metadata_v15(), walker()
    for pallet in md.pallets:
        if pallet.storage is None or pallet.name in FOLLOWS_MAIN:
            continue
        theirs = real_pallet(pallet.name).storage.entries
        beyond = ITEMS_BEYOND_381.get(pallet.name, {}).get("storage", ())
        entries = [e for e in pallet.storage.entries if e.name not in beyond]
        assert [e.name for e in pallet.storage.entries] == [e.name for e in entries] + list(beyond), pallet.name
        assert [e.name for e in entries] == [e.name for e in theirs], pallet.name
        for entry, their in zip(entries, theirs, strict=True):
            where = f"{pallet.name}.{entry.name}"
            assert (entry.modifier, entry.default, entry.docs) == (their.modifier, their.default, their.docs), where
            assert isinstance(entry.ty, StorageEntryTypeMap) == isinstance(their.ty, StorageEntryTypeMap), where
            if isinstance(entry.ty, StorageEntryTypeMap):
                assert entry.ty.hashers == their.ty.hashers, where
                walk.same(entry.ty.key, their.ty.key, f"{where} key")
            walk.same(entry.ty.value, their.ty.value, f"{where} value")


def test_constants_match_spec381() -> None:
    md, walk = metadata_v15(), walker()
    for pallet in md.pallets:
        theirs = real_pallet(pallet.name).constants
        assert [c.name for c in pallet.constants] == [c.name for c in theirs], pallet.name
        for constant, their in zip(pallet.constants, theirs, strict=True):
            where = f"{pallet.name}::{constant.name}"
            assert constant.docs == their.docs, where
            walk.same(constant.ty, their.ty, where)
            if (pallet.name, constant.name) == ("System", "Version"):
                ours_v, real_v = RUNTIME_VERSION.decode_all(constant.value), RUNTIME_VERSION.decode_all(their.value)
                assert (ours_v.spec_name, ours_v.transaction_version) == (real_v.spec_name, real_v.transaction_version)
            else:
                assert constant.value == their.value, where


def test_calls_events_errors_match_spec381() -> None:
    md, walk = metadata_v15(), walker()
    for pallet in md.pallets:
        if pallet.name in FOLLOWS_MAIN:
            continue
        r = real_pallet(pallet.name)
        for part in ("calls", "event", "error"):
            if part == "calls" and pallet.calls is not None and CALLS_IN_PROGRESS.get(pallet.name):
                _same_calls_so_far(walk, pallet.calls.ty, r.calls.ty, f"{pallet.name} calls")
            elif getattr(pallet, part) is not None:
                walk.same(getattr(pallet, part).ty, getattr(r, part).ty, f"{pallet.name} {part}")


def _same_calls_so_far(walk: TypeWalker, ours_id: int, real_id: int, where: str) -> None:
    """A Call enum still being completed: its path and docs, and each of our calls as the real
    call of that name (index, docs, fields and their types)."""
    ours, theirs = walk.ours.types[ours_id].ty, walk.real.type(real_id)
    assert (list(ours.path), list(ours.docs)) == (list(theirs.path), list(theirs.docs)), where
    real_calls = {v.name: v for v in theirs.type_def.variants}
    beyond = walk.extra.get("::".join(theirs.path), frozenset())
    ordered = [v.name for v in ours.type_def.variants]
    assert ordered[len(ordered) - len(beyond):] == [n for n in ordered if n in beyond], f"{where}: beyond 381 last"
    for v in ours.type_def.variants:
        if v.name in beyond:  # newer than 381: checked against main in its own conformance test
            continue
        rv = real_calls[v.name]
        assert (v.index, list(v.docs)) == (rv.index, list(rv.docs)), f"{where}::{v.name}"
        walk.fields(v.fields, rv.fields, f"{where}::{v.name}")


def test_extensions_match_spec381() -> None:
    md, walk = metadata_v15(), walker()
    theirs = real().extrinsic.transaction_extensions
    ours_381 = [e for e in md.extrinsic.signed_extensions if e.identifier not in EXTENSIONS_BEYOND_381]
    assert [e.identifier for e in ours_381] == summary_381()["extrinsic"]["signed_extensions"]
    assert [e.identifier for e in TRANSACTION_EXTENSIONS] == [e.identifier for e in md.extrinsic.signed_extensions]
    assert [e.identifier for e in ours_381] == [e.identifier for e in theirs]
    for ours, their in zip(ours_381, theirs, strict=True):
        walk.same(ours.ty, their.ty, f"{ours.identifier} explicit")
        walk.same(ours.additional_signed, their.implicit, f"{ours.identifier} implicit")
    real_xt = real().types.type(real_unchecked_extrinsic_id())
    params = {p.name: p.ty for p in real_xt.type_params}
    # V15's split-out extrinsic types are the real UncheckedExtrinsic's parameters.
    walk.same(md.extrinsic.extra_ty, params["Extension"], "extra_ty")
    walk.same(md.extrinsic.address_ty, params["Address"], "address_ty")
    walk.same(md.extrinsic.signature_ty, params["Signature"], "signature_ty")
    assert md.types.type(md.extrinsic.call_ty).path == ["node_subtensor_runtime", "RuntimeCall"]
    assert md.extrinsic.version == 4 == min(real().extrinsic.versions)


def test_extensions_beyond_381_sit_where_main_has_them_and_carry_nothing() -> None:
    """Main's extension is a `PhantomData<Runtime>` struct like SudoTransactionExtension (whose
    type the test above compares with the real one): no explicit fields, a unit implicit."""
    md = metadata_v15()
    exts = {e.identifier: e for e in md.extrinsic.signed_extensions}
    names = list(exts)
    sudo = exts["SudoTransactionExtension"]
    for name, after in EXTENSIONS_BEYOND_381.items():
        assert names.index(name) == names.index(after) + 1, name
        ours, theirs = md.types.type(exts[name].ty), md.types.type(sudo.ty)
        assert "::".join(ours.path) in TUPLE_MEMBERS_BEYOND_381
        assert (ours.type_def, ours.type_params) == (theirs.type_def, theirs.type_params)
        assert exts[name].additional_signed == sudo.additional_signed


def test_v14_extrinsic_type_is_the_real_unchecked_extrinsic() -> None:
    md = metadata_v14()
    TypeWalker(md.types, real().types, RUNTIME_WIDE).same(  # type: ignore[arg-type]
        md.extrinsic.ty, real_unchecked_extrinsic_id(), "UncheckedExtrinsic")
    assert md.extrinsic.version == 4
    assert [e.identifier for e in md.extrinsic.signed_extensions] == [e.identifier for e in TRANSACTION_EXTENSIONS]
    assert md.types.type(md.ty).path == ["node_subtensor_runtime", "Runtime"]


#: The real runtime's APIs this runtime leaves out, in their order: no EVM, no contracts, no BABE.
LEFT_OUT = ("EthereumRuntimeRPCApi", "ConvertTransactionRuntimeApi", "ContractsApi", "BabeApi")


def test_runtime_apis_match_spec381() -> None:
    md, walk = metadata_v15(), walker()
    theirs = {api.name: api for api in real().apis}
    assert [api.name for api in md.apis] == [name for name in theirs if name in {a.name for a in md.apis}]
    # Up to our last API, the real list is ours plus only the APIs this runtime leaves out.
    real_names = [api["name"] for api in summary_381()["apis"]]
    ours = [api.name for api in md.apis]
    upto = real_names[: real_names.index(ours[-1]) + 1]
    assert [name for name in upto if name not in ours] == [name for name in LEFT_OUT if name in upto]
    assert ours == [name for name in upto if name not in LEFT_OUT]
    for api in md.apis:
        their = theirs[api.name]
        assert api.docs == their.docs, api.name
        beyond = METHODS_BEYOND_381.get(api.name, ())
        methods = [m for m in api.methods if m.name not in beyond]
        assert [m.name for m in api.methods] == [m.name for m in methods] + list(beyond), api.name
        assert [m.name for m in methods] == [m.name for m in their.methods], api.name
        for method, their_method in zip(methods, their.methods, strict=True):
            where = f"{api.name}_{method.name}"
            assert method.docs == their_method.docs, where
            assert [p.name for p in method.inputs] == [p.name for p in their_method.inputs], where
            for param, their_param in zip(method.inputs, their_method.inputs, strict=True):
                walk.same(param.ty, their_param.ty, f"{where}({param.name})")
            walk.same(method.output, their_method.output, f"{where} output")


def test_runtime_api_versions_are_the_real_ones() -> None:
    their_versions = {api.name: api.version for api in real().apis}
    assert [(api.name, api.version) for api in RUNTIME_APIS] == [(a.name, their_versions[a.name]) for a in RUNTIME_APIS]
    # RuntimeVersion.apis lists the same APIs in the same order (the real one lists more after).
    assert VERSION.apis == [(api_id(api.name), api.version) for api in RUNTIME_APIS]
    real_version = RUNTIME_VERSION.decode_all(next(
        c.value for c in real_pallet("System").constants if c.name == "Version"))
    without = {api_id(name) for name in LEFT_OUT}
    theirs = [api for api in real_version.apis if api[0] not in without]
    assert VERSION.apis == theirs[: len(RUNTIME_APIS)]


def test_outer_enums_and_custom() -> None:
    md = metadata_v15()
    paths = [md.types.type(ty).path for ty in (md.outer_enums.call_enum_ty, md.outer_enums.event_enum_ty,
                                               md.outer_enums.error_enum_ty)]
    assert paths == [["node_subtensor_runtime", name] for name in ("RuntimeCall", "RuntimeEvent", "RuntimeError")]
    assert md.outer_enums.call_enum_ty == md.extrinsic.call_ty
    finney = real_metadata(FINNEY_343_V15)
    assert md.custom.map == finney.custom.map == real().custom.map == []
    assert md.types.type(md.ty) == finney.types.type(finney.ty)


def test_metadata_at_version_wrapping_reads_back() -> None:
    assert unwrap_metadata_at_version(wrap_metadata_at_version(metadata_bytes(15))) == metadata_bytes(15)
