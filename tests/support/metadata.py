"""The real runtimes' metadata (tests/vectors/oracle), and the comparison of our declarations
with it.

Blobs are decoded with our metadata codec, which re-encodes every one of them byte for byte
(tests/conformance/test_metadata_codec.py). `TypeWalker` walks our `TypeRegistry` and the
real registry side by side: paths, type parameters, definitions, field and variant names,
indices, type names and docs must agree. `scalecodec_encode` encodes with scalecodec over the
real finney registry, a codec we did not write.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.pallets.support.storage import StorageNMap
from pysubtensor.primitives.metadata import MetadataPrefixed, decode_metadata, metadata_bytes
from pysubtensor.primitives.metadata.registry import (
    TypeDefArray,
    TypeDefCompact,
    TypeDefComposite,
    TypeDefPrimitive,
    TypeDefSequence,
    TypeDefTuple,
    TypeDefVariant,
)
from pysubtensor.primitives.scale import Codec, Tuple
from tests.conftest import vectors_dir

__all__ = [
    "BLOBS",
    "DEVNET_381",
    "EXTENSIONS_BEYOND_381",
    "FINNEY_343_V14",
    "FINNEY_343_V15",
    "FOLLOWS_MAIN",
    "ITEMS_BEYOND_381",
    "METHODS_BEYOND_381",
    "RUNTIME_WIDE",
    "SECTIONS",
    "TUPLE_MEMBERS_BEYOND_381",
    "VARIANTS_BEYOND_381",
    "TypeWalker",
    "assert_pallet_matches",
    "assert_same_type",
    "decoded_metadata",
    "metadata_blob",
    "oracle_key",
    "real_metadata",
    "real_pallet",
    "scalecodec_encode",
    "scalecodec_finney",
    "summary_381",
    "summary_pallet",
]

DEVNET_381 = "devnet_spec381_metadata_v16.scale"
FINNEY_343_V14 = "finney_spec343_state_getMetadata_v14.hex"
FINNEY_343_V15 = "finney_spec343_metadata_at_version_15.hex"
#: The blobs a pallet's declarations are compared with, newest first.
BLOBS = (DEVNET_381, FINNEY_343_V14)
#: The runtime-wide enums: a runtime with fewer pallets (ours, or a test's) has fewer
#: variants, so they are compared by path only.
RUNTIME_WIDE = ("node_subtensor_runtime::RuntimeCall", "node_subtensor_runtime::RuntimeEvent",
                "node_subtensor_runtime::RuntimeError", "node_subtensor_runtime::OriginCaller")


@cache
def metadata_blob(name: str) -> bytes:
    """A metadata file of tests/vectors/oracle/metadata as a client received it (`.hex` files
    hold 0x-prefixed text): opaque `meta…` bytes, or Option-wrapped for `metadata_at_version`."""
    path = vectors_dir() / "oracle" / "metadata" / name
    if path.suffix == ".hex":
        return bytes.fromhex(path.read_text().strip().removeprefix("0x"))
    return path.read_bytes()


@cache
def decoded_metadata(name: str) -> MetadataPrefixed:
    return decode_metadata(metadata_bytes(metadata_blob(name)))


def real_metadata(name: str) -> Any:
    """A real subtensor runtime's metadata (our primitives.metadata model)."""
    return decoded_metadata(name).metadata


def real_pallet(name: str, pallet: str) -> Any:
    return next(p for p in real_metadata(name).pallets if p.name == pallet)


@cache
def summary_381() -> dict[str, Any]:
    """The decoded table of the spec 381 metadata (names and indices)."""
    return json.loads((vectors_dir() / "oracle" / "summaries" / "devnet_spec381.summary.json").read_text())


def summary_pallet(name: str) -> dict[str, Any]:
    return next(p for p in summary_381()["pallets"] if p["name"] == name)


@cache
def scalecodec_finney() -> tuple[Any, Any]:
    """scalecodec's `RuntimeConfiguration` with the real finney 343 V14 registry, and that
    decoded metadata."""
    from scalecodec.base import RuntimeConfiguration, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("core"))
    metadata = rc.create_scale_object("MetadataVersioned", ScaleBytes(metadata_blob(FINNEY_343_V14)))
    metadata.decode()
    rc.add_portable_registry(metadata)
    return rc, metadata


def oracle_key(pallet: str, item: str, *params: Any) -> bytes:
    """The storage key substrate-interface computes from the real finney 343 metadata (partial
    keys too); bytes parameters are passed as hex."""
    from substrateinterface.storage import StorageKey

    rc, md = scalecodec_finney()
    args = ["0x" + p.hex() if isinstance(p, bytes) else p for p in params]
    return bytes(StorageKey.create_from_storage_function(pallet, item, args, runtime_config=rc, metadata=md).data)


def scalecodec_encode(path: tuple[str, ...], value: Any) -> bytes:
    """Encode `value` as the real finney 343 type at `path`, with scalecodec (not our codec)."""
    rc, metadata = scalecodec_finney()
    types = metadata.value[1]["V14"]["types"]["types"]
    type_id = next(t["id"] for t in types if tuple(t["type"]["path"]) == path)
    obj = rc.create_scale_object(f"scale_info::{type_id}", metadata=metadata)
    return bytes(obj.encode(value).data)


#: Items a pallet declares beyond spec 381 on purpose (opentensor main's, which the behaviour
#: needs and newer clients read), by pallet and kind; each comes after 381's items and is
#: checked against its Rust source in the pallet's own conformance test.
ITEMS_BEYOND_381: dict[str, dict[str, tuple[str, ...]]] = {
    "Swap": {"storage": ("SwapBalancer", "PalSwapInitialized", "HasMigrationRun"),
             "errors": ("ReservesOutOfBalance", "SwapInputTooLarge", "Deprecated")},
    # bittensor 11.3.0 reads these before its write flows (pallets/subtensor/storage_beyond_381.py).
    # main's burn rule (BurnHalfLife, BurnIncreaseMult) and `register_limit`: btcli 9.21.2's
    # `subnets register` and `subnets hyperparameters` use them. Main's stateful epoch schedule
    # (LastEpochBlock .. MaxEpochsPerBlock, `trigger_epoch`, its events and errors).
    "SubtensorModule": {"storage": ("CollateralLockShare", "SubnetEpochConsensus", "LastPowRegistrationBlock",
                                    "BurnHalfLife", "BurnIncreaseMult",
                                    # main's stake locks (staking/lock.py): the SDK reads `Lock` and the
                                    # availability API before `transfer_stake`.
                                    "AccountFlags", "Lock", "LockingColdkeys", "HotkeyLock", "DecayingHotkeyLock",
                                    "OwnerLock", "DecayingOwnerLock", "DecayingLock", "OwnerCutAutoLockEnabled",
                                    "MaturityRate", "UnlockRate",
                                    # main's stateful epoch schedule (coinbase/schedule.py)
                                    "LastEpochBlock", "PendingEpochAt", "SubnetEpochIndex", "MaxEpochsPerBlock"),
                        "calls": ("register_limit", "lock_stake", "move_lock", "set_perpetual_lock", "set_tempo",
                                  "trigger_epoch", "set_reject_locked_alpha",
                                  # RaoFoundation/subtensor PR #3084; bittensor 11.3.0's cross-subnet move.
                                  "move_stake_limit"),
                        "events": ("StakeLocked", "LockMoved", "PerpetualLockUpdated", "RejectLockedAlphaUpdated",
                                   "MaxEpochsPerBlockSet", "EpochTriggered", "EpochDeferred", "EpochSkipped"),
                        "errors": ("RegistrationPriceLimitExceeded", "LockHotkeyMismatch", "InsufficientStakeForLock",
                                   "NoExistingLock", "AccountRejectsLockedAlpha", "ActiveLockExists",
                                   "TempoOutOfBounds",
                                   "EpochTriggerAlreadyPending", "AutoEpochAlreadyImminent",
                                   "DynamicTempoBlockedByCommitReveal")},
    # main's setters of the burn rule and of the epoch cap, their events and the error they add.
    "AdminUtils": {"calls": ("sudo_set_burn_half_life", "sudo_set_burn_increase_mult",
                             "sudo_set_max_epochs_per_block"),
                   "events": ("BurnHalfLifeSet", "BurnIncreaseMultSet"), "errors": ("NotPermittedOnRootSubnet",)},
}

#: Runtime-API methods newer than spec 381 (subtensor main's), by API; each comes after 381's
#: methods and is checked in its own test (bittensor 11.3.0 reads hyperparameters only by v3).
METHODS_BEYOND_381: dict[str, tuple[str, ...]] = {
    "SubnetInfoRuntimeApi": ("get_subnet_hyperparams_v3", "get_next_epoch_start_block"),
    # main's stake-lock reads (bittensor 11.3.0 reads availability before `transfer_stake`).
    "StakeInfoRuntimeApi": ("get_stake_availability_for_coldkeys", "get_coldkey_lock", "get_hotkey_conviction",
                            "get_most_convicted_hotkey_on_subnet"),
}

#: Pallets declared after subtensor main rather than spec 381, by name, with the reason. Only
#: where 381's shape cannot carry what the clients we serve send; each is checked instead
#: against those clients' own generated metadata layer (see the test named here).
FOLLOWS_MAIN: dict[str, str] = {
    "MevShield": "bittensor 11.3.0 and btcli 9.21.2 send submit_encrypted(ciphertext) with a key "
                 "hash in front and read NextKey of main's key pipeline; spec 381's "
                 "submit_encrypted(commitment, ciphertext) cannot be composed by them "
                 "(tests/conformance/test_shield_metadata.py)",
}


#: Transaction extensions of subtensor main that the runtime has beyond spec 381's list, each
#: with the extension it follows in main's `TxExtension` (runtime/src/lib.rs): MevShield follows
#: main (`FOLLOWS_MAIN`), and so does its extension. Each carries nothing on the wire (unit
#: explicit and implicit types), so 381's signed payloads keep their bytes.
EXTENSIONS_BEYOND_381: dict[str, str] = {"CheckShieldedTxValidity": "SudoTransactionExtension"}
#: Their type paths: members the extension tuple has beyond the real spec-381 tuple.
TUPLE_MEMBERS_BEYOND_381 = frozenset({"pallet_shield::extension::CheckShieldedTxValidity"})


#: Calls the real runtime has that are not implemented yet (work in progress, issue 9), by
#: pallet, in call-index order. Our calls must be exactly the real ones less these: a name
#: stays here only while its call is missing.
CALLS_IN_PROGRESS: dict[str, frozenset[str]] = {
    "SubtensorModule": frozenset(),
    "AdminUtils": frozenset(),
}
#: The same, by the real Call enum's path, for `TypeWalker(missing=...)`.
CALL_VARIANTS_IN_PROGRESS: dict[str, frozenset[str]] = {
    "pallet_subtensor::pallet::Call": CALLS_IN_PROGRESS["SubtensorModule"],
    "pallet_admin_utils::pallet::Call": CALLS_IN_PROGRESS["AdminUtils"],
}
#: `ITEMS_BEYOND_381`'s variants, by the real enum's path, for `TypeWalker(extra=...)`.
VARIANTS_BEYOND_381: dict[str, frozenset[str]] = {
    "pallet_subtensor_swap::pallet::pallet::Error": frozenset(ITEMS_BEYOND_381["Swap"]["errors"]),
    "pallet_subtensor::pallet::Call": frozenset(ITEMS_BEYOND_381["SubtensorModule"]["calls"]),
    "pallet_subtensor::pallet::Error": frozenset(ITEMS_BEYOND_381["SubtensorModule"]["errors"]),
    "pallet_subtensor::pallet::Event": frozenset(ITEMS_BEYOND_381["SubtensorModule"]["events"]),
    "pallet_admin_utils::pallet::Call": frozenset(ITEMS_BEYOND_381["AdminUtils"]["calls"]),
    "pallet_admin_utils::pallet::Event": frozenset(ITEMS_BEYOND_381["AdminUtils"]["events"]),
    "pallet_admin_utils::pallet::Error": frozenset(ITEMS_BEYOND_381["AdminUtils"]["errors"]),
    # main's `Hyperparameter` (rate-limit keys) continues 381's with these (26..31).
    "pallet_subtensor::utils::rate_limiting::Hyperparameter": frozenset({
        "BurnHalfLife", "BurnIncreaseMult", "SubnetEmissionEnabled", "MinChildkeyTake", "ActivityCutoffFactorMilli",
        "TriggerEpoch"}),
}


class TypeWalker:
    """Walks our registry and the real one in step; `stop` names real types not compared
    below their path (the runtime-wide enums, which a single pallet does not declare)."""

    def __init__(self, ours: TypeRegistry, real: Any, stop: frozenset[str],
                 missing: Mapping[str, frozenset[str]] | None = None,
                 extra: Mapping[str, frozenset[str]] | None = None) -> None:
        self.ours = ours
        self.real = real
        self.stop = stop
        #: Variants of a real enum (by path) that ours lacks for now (`CALL_VARIANTS_IN_PROGRESS`).
        self.missing = missing or {}
        #: Variants ours has beyond a real enum (by path), after the real ones: by default
        #: `VARIANTS_BEYOND_381`, the ones declared on purpose.
        self.extra = VARIANTS_BEYOND_381 if extra is None else extra
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
            absent = self.missing.get("::".join(r.path), frozenset())
            real_variants = [v for v in rd.variants if v.name not in absent]
            assert absent <= {v.name for v in rd.variants}, f"{where}: {absent} are not real variants"
            beyond = self.extra.get("::".join(r.path), frozenset())
            our_variants = [v for v in od.variants if v.name not in beyond]
            assert [v.name for v in od.variants[len(our_variants):]] == [v.name for v in od.variants if v.name in beyond], \
                f"{where}: {beyond} must come after the real variants"
            assert [(v.index, v.name) for v in our_variants] == [(v.index, v.name) for v in real_variants], \
                f"{where}: variants {[(v.index, v.name) for v in od.variants]}"
            for ov, rv in zip(our_variants, real_variants, strict=True):
                assert list(ov.docs) == list(rv.docs), f"{where}::{rv.name}: docs {ov.docs} != {rv.docs}"
                self.fields(ov.fields, rv.fields, f"{where}::{rv.name}")
        elif isinstance(rd, TypeDefSequence | TypeDefCompact):
            self.same(od.type_param, rd.type_param, f"{where}[]")
        elif isinstance(rd, TypeDefArray):
            assert od.len == rd.len, f"{where}: array of {od.len}, not {rd.len}"
            self.same(od.type_param, rd.type_param, f"{where}[]")
        elif isinstance(rd, TypeDefTuple):
            ours = [f for f in od.fields if "::".join(self.ours.types[f].ty.path) not in TUPLE_MEMBERS_BEYOND_381]
            assert len(ours) == len(rd.fields), f"{where}: not a {len(rd.fields)}-tuple"
            for i, (oid, rid) in enumerate(zip(ours, rd.fields, strict=True)):
                self.same(oid, rid, f"{where}.{i}")
        else:
            assert isinstance(rd, TypeDefPrimitive) and od == rd, f"{where}: {od} != {rd}"

    def fields(self, ours: list, real: list, where: str) -> None:
        assert [(f.name, f.type_name) for f in ours] == [(f.name, f.type_name) for f in real], \
            f"{where}: fields {[(f.name, f.type_name) for f in ours]} != {[(f.name, f.type_name) for f in real]}"
        for of, rf in zip(ours, real, strict=True):
            assert list(of.docs) == list(rf.docs), f"{where}.{rf.name}: docs"
            self.same(of.ty, rf.ty, f"{where}.{rf.name}")


#: What `assert_pallet_matches` compares, by default all of it.
SECTIONS = ("storage", "constants", "associated_types", "enums")


def assert_pallet_matches(pallet: Pallet, blob: str, *, skip_constant_values: tuple[str, ...] = (),
                          stop: tuple[str, ...] = ("node_subtensor_runtime::RuntimeEvent",
                                                   "node_subtensor_runtime::RuntimeCall",
                                                   "sp_runtime::generic::block::Block"),
                          sections: tuple[str, ...] = SECTIONS) -> None:
    """Storage (order, modifier, hashers, key and value types, default, docs), constants
    (order, type, value, docs), associated types (V16) and the Call, Event and Error enums of
    `pallet` are those of the real pallet in `blob`; `sections` limits the comparison to some
    of these (a pallet whose declarations are being completed kind by kind)."""
    real = real_pallet(blob, pallet.name)
    md = real_metadata(blob)
    ours = TypeRegistry()
    walk = TypeWalker(ours, md.types, frozenset(stop))
    assert real.index == pallet.index

    if "storage" in sections:
        _assert_storage_matches(pallet, real, ours, walk)

    if "constants" in sections:
        assert [c.name for c in pallet.constant_items] == [c.name for c in real.constants]
        for const, rc in zip(pallet.constant_items, real.constants, strict=True):
            where = f"{pallet.name}::{const.name}"
            assert list(const.docs) == list(rc.docs), f"{where}: docs {const.docs}"
            walk.same(ours.register(const.codec), rc.ty, where)
            if const.name not in skip_constant_values:
                assert const.encoded == rc.value, f"{where}: {const.encoded.hex()} != {rc.value.hex()}"

    if "associated_types" in sections and hasattr(real, "associated_types"):  # metadata V16
        assert [(n, list(d)) for n, _, d in pallet.associated_types] == \
            [(a.name, list(a.docs)) for a in real.associated_types], f"{pallet.name}: associated types"
        for (name, codec, _), a in zip(pallet.associated_types, real.associated_types, strict=True):
            walk.same(ours.register(codec), a.ty, f"{pallet.name}::{name}")

    if "enums" not in sections:
        return
    for kind, enum, has in (("calls", pallet.call_enum, pallet.calls), ("event", pallet.event_enum, True),
                            ("error", pallet.error_enum, pallet.errors)):
        real_enum = getattr(real, kind)
        if real_enum is None:
            assert not enum.variants, f"{pallet.name} has no {kind} on chain"
            continue
        assert has
        walk.same(ours.register(enum), real_enum.ty, f"{pallet.name} {kind}")


def _assert_storage_matches(pallet: Pallet, real: Any, ours: TypeRegistry, walk: TypeWalker) -> None:
    """Storage entries item by item: order, modifier, default bytes, docs, hashers, key (a
    tuple of the keys for a map of several) and value types."""
    entries = real.storage.entries if real.storage else []
    assert [i.name for i in pallet.storage_items] == [e.name for e in entries]
    for item, entry in zip(pallet.storage_items, entries, strict=True):
        where = f"{pallet.name}.{item.name}"
        assert item.modifier == entry.modifier, where
        assert item.default_bytes == entry.default, f"{where}: default {item.default_bytes.hex()}"
        assert list(item.docs) == list(entry.docs), f"{where}: docs {item.docs}"
        if isinstance(item, StorageNMap):
            assert [h.name for h in item.hashers] == list(entry.ty.hashers), where
            key = item.keys[0] if len(item.keys) == 1 else Tuple(*item.keys)
            walk.same(ours.register(key), entry.ty.key, f"{where} key")
        else:
            assert not hasattr(entry.ty, "hashers"), f"{where} is a map on chain"
        walk.same(ours.register(item.value), entry.ty.value, f"{where} value")


def assert_same_type(codec: Codec, blob: str, real_id: int | None = None,
                     stop: tuple[str, ...] = ()) -> None:
    """`codec` is the real type `real_id` of `blob` (by default the real type at `codec`'s
    path): the whole type graph below it, docs included."""
    md = real_metadata(blob)
    if real_id is None:
        real_id = next(t.id for t in md.types.types if list(t.ty.path) == list(codec.path))
    ours = TypeRegistry()
    TypeWalker(ours, md.types, frozenset(stop)).same(ours.register(codec), real_id, "::".join(codec.path))
