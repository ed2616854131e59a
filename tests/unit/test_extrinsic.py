"""The v4 extrinsic format against a real signed extrinsic (a transfer_keep_alive submitted
to a real subtensor runtime in the chopsticks session) and scalecodec's Era."""

from __future__ import annotations

import json

import pytest
from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.scale import U64, Compact, Enum, Field, Variant
from pysubtensor.primitives.types import MULTI_ADDRESS
from pysubtensor.runtime.era import ERA, Era
from pysubtensor.runtime.extrinsic import ExtrinsicFormatError, UncheckedExtrinsic
from tests.conftest import vectors_dir

# Just enough of RuntimeCall to read Balances.transfer_keep_alive (pallet 5, call 3).
BALANCES_CALL = Enum(("pallet_balances", "pallet", "Call"), (
    Variant("transfer_keep_alive", 3, (Field("dest", MULTI_ADDRESS), Field("value", Compact(U64)))),))
CALL = Enum(("node_subtensor_runtime", "RuntimeCall"), (Variant("Balances", 5, (Field(None, BALANCES_CALL),)),))


@pytest.fixture(scope="module")
def session() -> dict:
    return json.loads((vectors_dir() / "oracle/chopsticks/chopsticks_spec218_transfer_session.json").read_text())


def submitted(session: dict) -> bytes:
    call = next(c for c in session["calls"] if c["method"] == "author_submitExtrinsic")
    return bytes.fromhex(call["params"][0].removeprefix("0x"))


def test_real_signed_transfer_decodes_and_re_encodes(session):
    raw = submitted(session)
    xt = UncheckedExtrinsic.decode(raw, CALL)
    alice = Keypair.from_uri("//Alice").public_key
    bob = Keypair.from_uri("//Bob").public_key
    assert xt.signed.address == ("Id", alice)
    assert xt.signed.signature.scheme == "sr25519"
    # polkadot.js sent a mortal era: period 128, phase 2 (bytes 26 00), as scalecodec reads it too.
    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("legacy"))
    assert rc.create_scale_object("Era", ScaleBytes("0x2600")).decode() == (128, 2)
    assert xt.signed.era == Era(128, 2) and xt.signed.nonce == 0 and xt.signed.tip == 0
    assert xt.signed.metadata_hash_mode == "Disabled"
    transfer = next(e for e in session["decoded_events_block2"] if e["method"] == "Transfer")
    assert xt.call == ("Balances", ("transfer_keep_alive", {"dest": ("Id", bob), "value": transfer["data"][2]}))
    again = UncheckedExtrinsic.encode_signed(xt.signed.address, xt.signed.signature, xt.signed.extra, xt.call_bytes)
    assert again == raw


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda b: b[:-1], "length prefix"),
    (lambda b: b + b"\x00", "length prefix"),
    (lambda b: b[:2] + b"\x85" + b[3:], "unsupported extrinsic version"),
    (lambda b: b"\x00", "empty extrinsic"),
    (lambda b: b[:2] + b"\x84\x09" + b[4:], "cannot decode"),
])
def test_malformed_extrinsics_are_format_errors(session, mutate, message):
    with pytest.raises(ExtrinsicFormatError, match=message):
        UncheckedExtrinsic.decode(mutate(submitted(session)), CALL)


def test_era_matches_scalecodec():
    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("legacy"))
    for period in (4, 64, 256, 4096, 65536):
        for current in (0, 7, 1000, 123456):
            expected = bytes(rc.create_scale_object("Era").encode({"period": period, "current": current}).data)
            era = Era.mortal(period, current)
            assert ERA.encode(era) == expected
            assert ERA.decode_all(expected) == era
            assert era.birth(current) <= current < era.death(current)
    assert ERA.encode(Era()) == b"\x00"
