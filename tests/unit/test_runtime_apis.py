"""The runtime API dispatcher (`runtime.apis.call`): method lookup, argument decoding, typed
failures, and the methods that do not need the block executive — their results decoded with
the real runtime's types (scalecodec and bt-decode over the real finney registries) or
compared with state a real runtime wrote (the spec 293 GenesisBuilder output).

Executive-backed methods are checked against the executive's own block builder and fee
charging, over a dev genesis built by `runtime.genesis`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import pysubtensor.pallets.aura as aura
import pysubtensor.pallets.grandpa as grandpa
import pysubtensor.pallets.timestamp as timestamp
import pysubtensor.runtime as runtime
from pysubtensor.pallets.support.dispatch import RuntimePanic
from pysubtensor.pallets.system.pallet import Account
from pysubtensor.pallets.system.types import AccountInfo
from pysubtensor.pallets.transaction_payment import fees
from pysubtensor.pallets.transaction_payment.types import FEE_DETAILS, RUNTIME_DISPATCH_INFO
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.header import HEADER, Digest, Header
from pysubtensor.primitives.keyring import DEV_ACCOUNTS
from pysubtensor.primitives.metadata import (
    decode_metadata,
    unwrap_metadata_at_version,
    unwrap_opaque_metadata,
)
from pysubtensor.primitives.scale import BYTES, STR, U32, U64, Option, Vec, encode_compact
from pysubtensor.primitives.transaction_validity import TRANSACTION_SOURCE
from pysubtensor.runtime.apis import (
    CHECK_INHERENTS_RESULT,
    INHERENT_DATA,
    METHODS,
    RUNTIME_APIS,
    UNCHECKED_EXTRINSIC,
    ApiPanicked,
    BadApiInput,
    CheckInherentsResult,
    MethodNotFound,
    RuntimeApiError,
    call,
)
from pysubtensor.runtime.construct import RUNTIME_CALL, dispatch_info
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic
from pysubtensor.runtime.metadata import metadata_bytes
from pysubtensor.runtime.version import RUNTIME_VERSION, VERSION
from tests.conftest import vectors_dir
from tests.support.metadata import METHODS_BEYOND_381, metadata_blob, scalecodec_finney, summary_381
from tests.support.state import DictBackend

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
ORACLE = vectors_dir() / "oracle"


def ext(state: dict[bytes, bytes] | None = None) -> Externalities:
    return Externalities(DictBackend(state))


@cache
def real_genesis_state() -> dict[bytes, bytes]:
    """State the real spec 293 runtime's GenesisBuilder wrote (Aura, Grandpa, System, ...)."""
    path = ORACLE / "genesis" / "auradev_spec293_genesis_storage_from_genesisbuilder.json"
    top = json.loads(Path(path).read_text())["top"]
    return {bytes.fromhex(k[2:]): bytes.fromhex(v[2:]) for k, v in top.items()}


# ---------------------------------------------------------------------------
# The table and the dispatcher


def test_every_method_is_exported_as_api_underscore_method() -> None:
    # As many methods as the real spec-381 runtime has in the APIs we compose.
    ours = {api.name for api in RUNTIME_APIS}
    real = sum(len(api["methods"]) for api in summary_381()["apis"] if api["name"] in ours)
    beyond = sum(len(methods) for methods in METHODS_BEYOND_381.values())  # main's, after 381's
    assert len(METHODS) == sum(len(api.methods) for api in RUNTIME_APIS) == real + beyond
    for name, (api, method) in METHODS.items():
        assert name == f"{api.name}_{method.name}"
    assert "Core_version" in METHODS and "TransactionPaymentCallApi_query_length_to_fee" in METHODS


@pytest.mark.parametrize("method", ["Core_versions", "core_version", "Metadata", "", "SubnetInfoRuntimeApi_x"])
def test_unknown_method_is_named_as_substrate_does(method: str) -> None:
    with pytest.raises(MethodNotFound) as e:
        call(method, b"", None)
    assert str(e.value) == f"Other: Exported method {method} is not found"
    assert isinstance(e.value, RuntimeApiError)


@pytest.mark.parametrize(("method", "data", "reason"), [
    ("Core_version", b"\x00", "expected no parameters"),
    ("AccountNonceApi_account_nonce", ALICE[:31], "account_nonce"),
    ("AccountNonceApi_account_nonce", ALICE + b"\x00", "still data left"),
    ("Metadata_metadata_at_version", b"\x0f\x00\x00", "metadata_at_version"),
    ("TransactionPaymentApi_query_info", b"\x10\x04", "query_info"),  # says 4 bytes follow, 1 does
    ("TransactionPaymentCallApi_query_call_info", b"\xff\x00" + bytes(4), "query_call_info"),  # no pallet 255
])
def test_bad_argument_bytes_are_a_clear_error(method: str, data: bytes, reason: str) -> None:
    with pytest.raises(BadApiInput) as e:
        call(method, data, ext())
    assert str(e.value).startswith(f"Execution aborted due to panic: Bad input data provided to {method.split('_', 1)[1]}")
    assert reason in str(e.value)


def test_a_runtime_panic_is_reported_not_raised_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def panics(header: Header) -> None:
        raise RuntimePanic("Timestamp must be updated once in the block")

    name = "OffchainWorkerApi_offchain_worker"
    api, method = METHODS[name]
    monkeypatch.setitem(METHODS, name, (api, replace(method, function=panics)))
    with pytest.raises(ApiPanicked, match="Execution aborted due to panic: Timestamp must be updated"):
        call(name, HEADER.encode(Header(bytes(32), 1, bytes(32), bytes(32))), ext())


# ---------------------------------------------------------------------------
# Core and Metadata


def test_core_version_decodes_with_the_real_runtime_version_type() -> None:
    from scalecodec.base import ScaleBytes

    out = call("Core_version", b"", None)
    assert RUNTIME_VERSION.decode_all(out) == VERSION
    # scalecodec with the real finney V14 registry (`sp_version::RuntimeVersion` of System.Version).
    rc, _ = scalecodec_finney()
    obj = rc.create_scale_object("sp_version::RuntimeVersion", data=ScaleBytes(out))
    value = obj.decode()
    assert obj.data.offset == len(out)
    assert (value["spec_name"], value["impl_name"], value["spec_version"], value["transaction_version"]) == (
        "node-subtensor", "node-subtensor", VERSION.spec_version, 1)
    assert value["apis"][0] == ("0xdf6acb689907609b", 5)  # Core, as every Substrate runtime reports it


def test_core_version_decodes_with_bt_decode_from_the_real_v15_api_output_type() -> None:
    bt_decode = pytest.importorskip("bt_decode")
    real = bt_decode.MetadataV15.decode_from_metadata_option(metadata_blob("finney_spec343_metadata_at_version_15.hex"))
    core = next(api for api in real.value()["apis"] if api["name"] == "Core")
    output = next(m["output"] for m in core["methods"] if m["name"] == "version")
    value = bt_decode.decode(f"scale_info::{output}", bt_decode.PortableRegistry.from_metadata_v15(real),
                             call("Core_version", b"", None))
    assert (value["spec_name"], value["spec_version"], value["system_version"]) == (
        ("node-subtensor",), VERSION.spec_version, 1)
    (api_list,) = value["apis"]  # `ApisVec` is a `Cow` around the list
    assert [(bytes(api), version) for api, version in api_list] == VERSION.apis


def test_metadata_is_opaque_v14() -> None:
    out = call("Metadata_metadata", b"", None)
    assert out[:3] == encode_compact(len(metadata_bytes(14)))[:3]
    assert unwrap_opaque_metadata(out) == metadata_bytes(14)
    assert decode_metadata(unwrap_opaque_metadata(out)).version == 14


def test_metadata_at_version_is_option_wrapped() -> None:
    v15 = call("Metadata_metadata_at_version", U32.encode(15), None)
    assert v15[0] == 1 and unwrap_metadata_at_version(v15) == metadata_bytes(15)
    assert unwrap_metadata_at_version(call("Metadata_metadata_at_version", U32.encode(14), None)) == metadata_bytes(14)
    for version in (0, 13, 16, 2**32 - 1):
        assert call("Metadata_metadata_at_version", U32.encode(version), None) == b"\x00"


def test_metadata_at_version_15_decodes_with_bt_decode() -> None:
    bt_decode = pytest.importorskip("bt_decode")
    md = bt_decode.MetadataV15.decode_from_metadata_option(call("Metadata_metadata_at_version", U32.encode(15), None))
    assert [api["name"] for api in md.value()["apis"]] == [api.name for api in RUNTIME_APIS]


def test_metadata_versions() -> None:
    assert call("Metadata_metadata_versions", b"", None) == bytes.fromhex("080e0000000f000000")  # [14, 15]


# ---------------------------------------------------------------------------
# State readers, over state a real runtime wrote


def _real_value(item: Any) -> bytes:
    return real_genesis_state()[item.storage_key]


def test_aura_authorities_and_slot_duration() -> None:
    state = ext(real_genesis_state())
    # The API returns `BoundedVec::into_inner`: the same bytes as the stored value.
    assert call("AuraApi_authorities", b"", state) == _real_value(aura.Authorities)
    assert call("AuraApi_slot_duration", b"", state) == (250).to_bytes(8, "little")


def test_grandpa_authorities_and_set_id() -> None:
    state = ext(real_genesis_state())
    assert call("GrandpaApi_grandpa_authorities", b"", state) == _real_value(grandpa.Authorities)
    assert call("GrandpaApi_current_set_id", b"", state) == _real_value(grandpa.CurrentSetId) == bytes(8)
    assert call("GrandpaApi_generate_key_ownership_proof", bytes(8) + ALICE, state) == b"\x00"


def test_grandpa_equivocation_report_is_never_submitted() -> None:
    from pysubtensor.pallets.grandpa.pallet import EQUIVOCATION_PROOF

    vote = {"target_hash": bytes(32), "target_number": 1}
    proof = EQUIVOCATION_PROOF.encode({"set_id": 0, "equivocation": ("Prevote", {
        "round_number": 1, "identity": ALICE, "first": (vote, bytes(64)), "second": (vote, bytes(64))})})
    assert call("GrandpaApi_submit_report_equivocation_unsigned_extrinsic", proof + b"\x00", ext()) == b"\x00"


def test_account_nonce() -> None:
    state = ext()
    with using(state):
        Account.insert(ALICE, AccountInfo(nonce=7, providers=1))
    assert call("AccountNonceApi_account_nonce", ALICE, state) == (7).to_bytes(4, "little")
    assert call("AccountNonceApi_account_nonce", bytes(32), state) == bytes(4)


def test_session_keys_decode_as_subtensor_opaque_keys() -> None:
    aura_key, grandpa_key = bytes(range(32)), bytes(range(32, 64))
    out = call("SessionKeys_decode_session_keys", encode_compact(64) + aura_key + grandpa_key, None)
    assert out == b"\x01\x08" + b"\x80" + aura_key + b"aura" + b"\x80" + grandpa_key + b"gran"
    assert call("SessionKeys_decode_session_keys", encode_compact(63) + bytes(63), None) == b"\x00"
    # `Decode`, not `decode_all`: trailing bytes are ignored.
    assert call("SessionKeys_decode_session_keys", encode_compact(65) + bytes(65), None)[0] == 1


def test_session_keys_generation_needs_a_keystore() -> None:
    with pytest.raises(ApiPanicked, match="No `keystore`"):
        call("SessionKeys_generate_session_keys", b"\x00", ext())

    class Keystore:
        def sr25519_generate_new(self, key_type: bytes, seed: str | None) -> bytes:
            assert (key_type, seed) == (b"aura", "//Alice")
            return b"\xaa" * 32

        def ed25519_generate_new(self, key_type: bytes, seed: str | None) -> bytes:
            assert (key_type, seed) == (b"gran", "//Alice")
            return b"\xbb" * 32

    class KeystoreExternalities(Externalities):
        """Externalities with the keystore extension the node provides for key rotation."""

        __slots__ = ("keystore",)

    state = KeystoreExternalities(DictBackend())
    state.keystore = Keystore()
    seed = b"//Alice"
    out = call("SessionKeys_generate_session_keys", b"\x01" + encode_compact(len(seed)) + seed, state)
    assert out == encode_compact(64) + b"\xaa" * 32 + b"\xbb" * 32


def test_offchain_worker_writes_nothing() -> None:
    """Drand's worker runs; with host functions that reach no drand it submits nothing, and an
    offchain worker's writes never reach the state."""
    from pysubtensor.node.drand_dev import NodeOffchainHost
    from pysubtensor.primitives import offchain

    state = ext()
    submitted: list[bytes] = []
    header = HEADER.encode(Header(bytes(32), 5, bytes(32), bytes(32), Digest()))
    with offchain.using(NodeOffchainHost(lambda: 0, None, submitted.append, beacon=None)):
        assert call("OffchainWorkerApi_offchain_worker", header, state) == b""
    assert state.overlay.changes() == {} and submitted == []


# ---------------------------------------------------------------------------
# Fees


def test_weight_and_length_to_fee() -> None:
    # Subtensor's LinearWeightToFee: 0.0005 rao per ref-time unit; IdentityFee for length.
    weight = encode_compact(1_000_000_000) + encode_compact(7)
    for api in ("TransactionPaymentApi", "TransactionPaymentCallApi"):
        assert call(f"{api}_query_weight_to_fee", weight, None) == (500_000).to_bytes(8, "little")
        assert call(f"{api}_query_length_to_fee", U32.encode(120), None) == (120).to_bytes(8, "little")


def test_query_call_info_and_fee_details() -> None:
    transfer = ("Balances", ("transfer_keep_alive", {"dest": ("Id", ALICE), "value": 10**9}))
    encoded = RUNTIME_CALL.encode(transfer)
    state = ext()
    info = RUNTIME_DISPATCH_INFO.decode_all(call("TransactionPaymentCallApi_query_call_info",
                                                 encoded + U32.encode(140), state))
    details = FEE_DETAILS.decode_all(call("TransactionPaymentCallApi_query_call_fee_details",
                                          encoded + U32.encode(140), state))
    with using(state):
        expected_info = fees.query_info(dispatch_info(transfer), 140)
        expected_details = fees.query_fee_details(dispatch_info(transfer), 140)
    assert RUNTIME_DISPATCH_INFO.encode(expected_info) == RUNTIME_DISPATCH_INFO.encode(info)
    assert FEE_DETAILS.encode(expected_details) == FEE_DETAILS.encode(details)
    assert info.dispatch_class == ("Normal", None) and info.partial_fee == details.final_fee() > 140
    assert details.inclusion_fee is not None and details.inclusion_fee.len_fee == 140 and details.tip == 0


# ---------------------------------------------------------------------------
# Executive-backed methods, over the executive and a dev genesis


@pytest.fixture
def chain() -> Iterator[Any]:
    from tests.unit.test_executive import Chain

    yield Chain()
    runtime.wire()


def _timestamp_data(ms: int) -> bytes:
    return INHERENT_DATA.encode({timestamp.INHERENT_IDENTIFIER: U64.encode(ms)})


def test_building_a_block_through_the_apis_is_what_the_block_builder_does(chain: Any) -> None:
    from pysubtensor.primitives.aura import pre_digest as aura_pre_digest
    from tests.unit.test_executive import Chain, transfer

    signed = chain.sign(DEV_ACCOUNTS["Alice"], transfer(DEV_ACCOUNTS["Bob"].account_id, 10**9), nonce=0)
    state = Externalities(chain.backend())
    header = Header(chain.best.hash, 1, bytes(32), bytes(32), Digest([aura_pre_digest(1)]))
    assert call("Core_initialize_block", HEADER.encode(header), state) == b"\x00"  # AllExtrinsics
    inherents = Vec(UNCHECKED_EXTRINSIC).decode_all(
        call("BlockBuilder_inherent_extrinsics", _timestamp_data(250), state))
    assert len(inherents) == 1
    for xt in [*inherents, signed]:
        assert call("BlockBuilder_apply_extrinsic", xt, state) == b"\x00\x00"  # Ok(Ok(()))
    finalized = HEADER.decode_all(call("BlockBuilder_finalize_block", b"", state))

    reference = Chain()
    block, results = reference.build(signed, slot=1)
    assert all(r.included for r in results)
    assert finalized == Header(block.header.parent_hash, 1, bytes(32), block.header.extrinsics_root,
                               block.header.digest)
    assert state.overlay.changes() == block.changes


def test_execute_block_keeps_the_changes_and_refuses_a_bad_block(chain: Any) -> None:
    from tests.unit.test_executive import transfer

    parent = Externalities(chain.backend())
    signed = chain.sign(DEV_ACCOUNTS["Alice"], transfer(DEV_ACCOUNTS["Bob"].account_id, 10**9), nonce=0)
    block, _ = chain.build(signed, slot=1)
    encoded = HEADER.encode(block.header) + Vec(UNCHECKED_EXTRINSIC).encode(block.extrinsics)
    assert call("Core_execute_block", encoded, parent) == b""
    assert parent.overlay.changes() == block.changes
    wrong_root = Header(block.header.parent_hash, 1, block.header.state_root, bytes(32), block.header.digest)
    bad = HEADER.encode(wrong_root) + Vec(UNCHECKED_EXTRINSIC).encode(block.extrinsics)
    with pytest.raises(ApiPanicked, match="Transaction trie root must be valid"):
        call("Core_execute_block", bad, Externalities(chain.backend(0)))


def test_apply_extrinsic_refusal_and_bad_bytes(chain: Any) -> None:
    from tests.unit.test_executive import transfer

    state = Externalities(chain.backend())
    call("Core_initialize_block", HEADER.encode(Header(chain.best.hash, 1, bytes(32), bytes(32))), state)
    stale = chain.sign(DEV_ACCOUNTS["Alice"], transfer(DEV_ACCOUNTS["Bob"].account_id, 1), nonce=0, tip=2**64 - 1)
    assert call("BlockBuilder_apply_extrinsic", stale, state) == b"\x01\x00\x01"  # Err(Invalid(Payment))
    with pytest.raises(BadApiInput, match="apply_extrinsic"):
        call("BlockBuilder_apply_extrinsic", b"\x08\x04\xff", state)  # a call of no pallet


def test_inherent_data_must_carry_the_timestamp(chain: Any) -> None:
    state = Externalities(chain.backend())
    with pytest.raises(ApiPanicked, match="Timestamp inherent data must be provided"):
        call("BlockBuilder_inherent_extrinsics", INHERENT_DATA.encode({}), state)
    with pytest.raises(ApiPanicked, match="not correctly encoded"):
        call("BlockBuilder_inherent_extrinsics", INHERENT_DATA.encode({b"timstap0": b"\x01"}), state)


def _encoded_block(chain: Any, number: int) -> bytes:
    return HEADER.encode(chain.headers[number]) + Vec(UNCHECKED_EXTRINSIC).encode(chain.bodies[number])


def test_check_inherents(chain: Any) -> None:
    from tests.unit.test_executive import Chain

    chain.build(slot=4)  # block 1: Timestamp.set(1000)
    block = _encoded_block(chain, 1)
    at_genesis = Externalities(chain.backend(0))
    for clock in (1000, 31_000, 2**64 - 1):
        assert call("BlockBuilder_check_inherents", block + _timestamp_data(clock), at_genesis) == b"\x01\x00\x00"
    # On block 1's own state the parent time is 1000: the same block is TooEarly (0), fatal.
    too_early = call("BlockBuilder_check_inherents", block + _timestamp_data(1000), Externalities(chain.backend()))
    assert CHECK_INHERENTS_RESULT.decode_all(too_early) == CheckInherentsResult(False, True, {b"timstap0": b"\x00"})

    late = Chain()
    late.build(slot=200)  # Timestamp.set(50_000)
    block = _encoded_block(late, 1)
    at_genesis = Externalities(late.backend(0))
    assert call("BlockBuilder_check_inherents", block + _timestamp_data(20_000), at_genesis) == b"\x01\x00\x00"
    too_far = call("BlockBuilder_check_inherents", block + _timestamp_data(19_999), at_genesis)  # > 30 s of drift
    assert CHECK_INHERENTS_RESULT.decode_all(too_far) == CheckInherentsResult(False, True, {b"timstap0": b"\x01"})


def test_validate_transaction(chain: Any) -> None:
    from pysubtensor.runtime.executive import encode_transaction_validity
    from tests.unit.test_executive import transfer

    state = Externalities(chain.backend())
    signed = chain.sign(DEV_ACCOUNTS["Alice"], transfer(DEV_ACCOUNTS["Bob"].account_id, 10**9), nonce=0)
    source = TRANSACTION_SOURCE.encode("External")
    out = call("TaggedTransactionQueue_validate_transaction", source + signed + chain.best.hash, state)
    assert out == encode_transaction_validity(chain.validate(signed)) and out[0] == 0
    assert state.overlay.changes() == {}  # validation writes nothing
    sig = 2 + 1 + 1 + 32 + 1  # compact length, version, MultiAddress::Id, account, MultiSignature::Sr25519
    bad_signature = signed[:sig] + bytes([signed[sig] ^ 1]) + signed[sig + 1:]
    out = call("TaggedTransactionQueue_validate_transaction", source + bad_signature + chain.best.hash, state)
    assert out == b"\x01\x00\x04"  # Err(Invalid(BadProof))
    with pytest.raises(BadApiInput, match="validate_transaction"):
        call("TaggedTransactionQueue_validate_transaction", source + b"\x04\xff" + chain.best.hash, state)


def test_query_info_is_the_fee_the_block_charges(chain: Any) -> None:
    from tests.unit.test_executive import transfer

    signed = chain.sign(DEV_ACCOUNTS["Alice"], transfer(DEV_ACCOUNTS["Bob"].account_id, 10**9), nonce=0)
    args = signed + U32.encode(len(signed))
    info = RUNTIME_DISPATCH_INFO.decode_all(call("TransactionPaymentApi_query_info", args, Externalities(chain.backend())))
    details = FEE_DETAILS.decode_all(call("TransactionPaymentApi_query_fee_details", args, Externalities(chain.backend())))
    chain.build(signed, slot=1)
    paid = next(r.event[1] for r in chain.events() if r.event[0] == "TransactionPayment")
    assert info.partial_fee == details.final_fee() == paid.actual_fee > 0
    assert info.weight.ref_time > dispatch_info(transfer(DEV_ACCOUNTS["Bob"].account_id, 10**9)).weight.ref_time
    # A bare extrinsic pays nothing.
    inherent = UncheckedExtrinsic.encode_bare(RUNTIME_CALL.encode(("Timestamp", ("set", {"now": 1}))))
    bare = RUNTIME_DISPATCH_INFO.decode_all(call("TransactionPaymentApi_query_info", inherent + U32.encode(9), ext()))
    assert bare.partial_fee == 0
    assert call("TransactionPaymentApi_query_fee_details", inherent + U32.encode(9), ext()) == b"\x00" + bytes(8)


# ---------------------------------------------------------------------------
# GenesisBuilder


def test_genesis_builder_presets() -> None:
    from pysubtensor.runtime import genesis

    names = call("GenesisBuilder_preset_names", b"", None)
    assert Vec(STR).decode_all(names) == list(genesis.preset_names())
    assert call("GenesisBuilder_get_preset", b"\x00", None) == Option(BYTES).encode(genesis.get_preset(None))
    assert call("GenesisBuilder_get_preset", b"\x01" + STR.encode("no-such-preset"), None) == b"\x00"


def test_genesis_builder_build_state_reports_errors_as_err() -> None:
    out = call("GenesisBuilder_build_state", BYTES.encode(b"{not json"), ext())
    assert out[0] == 1 and len(STR.decode_all(out[1:])) > 0
