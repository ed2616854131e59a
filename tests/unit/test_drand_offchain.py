"""Drand's offchain worker through the runtime API (`OffchainWorkerApi_offchain_worker`) on the
dev genesis, with the dev node's host functions (node/drand_dev.py): what it fetches, what it
submits, and that the pool admits exactly that (`TaggedTransactionQueue_validate_transaction`)."""

from __future__ import annotations

import hashlib
import json

import pytest

import pysubtensor.runtime  # noqa: F401  (composes and binds the pallets)
from pysubtensor.node.drand_dev import (
    BEACON_CONFIG_KEY,
    DEV_BEACON,
    NodeOffchainHost,
    beacon_serving,
)
from pysubtensor.pallets import drand
from pysubtensor.primitives import offchain, tlock
from pysubtensor.primitives.externalities import Externalities, OverlayedChanges
from pysubtensor.primitives.header import Digest, Header
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.transaction_validity import TransactionValidityError
from pysubtensor.runtime import apis, construct, genesis
from pysubtensor.runtime.executive import validate_transaction
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic
from tests.support.state import DictBackend

ALICE = Keypair.from_uri("//Alice")
NOW_MS = (DEV_BEACON.genesis_time + 3 * 1_000) * 1000 + 500  # round 1001


def dev_config() -> drand.BeaconConfiguration:
    return drand.BeaconConfiguration(DEV_BEACON.public_key, 3, DEV_BEACON.genesis_time, bytes(32), bytes(32),
                                     b"bls-unchained-g1-rfc9380", drand.Metadata(b"pysubtensor-dev"))


@pytest.fixture
def state() -> dict[bytes, bytes]:
    return genesis.genesis_storage(genesis.dev_genesis_config())


def run_worker(state: dict, *, now_ms: int = NOW_MS) -> list[bytes]:
    """The worker at block 0 of `state`: the extrinsics it handed to the pool."""
    backend = DictBackend(state)
    submitted: list[bytes] = []
    host = NodeOffchainHost(lambda: now_ms, ALICE, submitted.append, beacon_serving(state.get(BEACON_CONFIG_KEY)))
    header = Header(bytes(32), 0, bytes(32), bytes(32), Digest([]))
    with offchain.using(host):
        apis.call("OffchainWorkerApi_offchain_worker", header.encode(), Externalities(backend, OverlayedChanges()))
    return submitted


def with_dev_config(state: dict, last_stored: int = 0) -> dict:
    state[BEACON_CONFIG_KEY] = drand.BeaconConfiguration.SCALE.encode(dev_config())
    state[drand.LastStoredRound.hashed_key()] = last_stored.to_bytes(8, "little")
    return state


def test_dev_beacon_serves_quicknet_shaped_pulses() -> None:
    assert DEV_BEACON.round_at(NOW_MS) == 1001
    status, body = DEV_BEACON.respond(f"/{'0' * 64}/public/latest", NOW_MS)
    doc = json.loads(body)
    assert status == 200 and doc["round"] == 1001
    sig = bytes.fromhex(doc["signature"])
    assert tlock.verify_round(DEV_BEACON.public_key, 1001, sig)
    assert not tlock.verify_round(drand.QUICKNET_CONFIG.public_key, 1001, sig)
    assert bytes.fromhex(doc["randomness"]) == hashlib.sha256(sig).digest()
    assert DEV_BEACON.respond(f"/{'0' * 64}/public/1002", NOW_MS)[0] == 404  # not yet due
    assert DEV_BEACON.respond("/info", NOW_MS)[0] == 404


def test_no_drand_while_the_chain_keeps_quicknets_config(state) -> None:
    assert beacon_serving(state.get(BEACON_CONFIG_KEY)) is None
    assert run_worker(state) == []


def test_first_run_submits_the_latest_round_which_the_pool_admits(state) -> None:
    with_dev_config(state)
    (xt,) = run_worker(state)
    decoded = UncheckedExtrinsic.decode(xt, construct.RUNTIME_CALL)
    assert decoded.signed is None
    pallet_name, (call_name, args) = decoded.call
    assert (pallet_name, call_name) == ("Drand", "write_pulse")
    payload = args["pulses_payload"]
    assert [p.round for p in payload.pulses] == [1001] and payload.public == ("Sr25519", ALICE.public_key)
    assert drand.quicknet_verify(dev_config(), payload.pulses[0])
    valid = validate_transaction(DictBackend(state), "External", xt, bytes(32))
    assert valid.longevity == 3 and not valid.propagate


def test_catching_up_submits_at_most_50_rounds_in_order(state) -> None:
    with_dev_config(state, last_stored=900)
    rounds = [UncheckedExtrinsic.decode(xt, construct.RUNTIME_CALL).call[1][1]["pulses_payload"].pulses[0].round
              for xt in run_worker(state)]
    assert rounds == list(range(901, 951))  # MAX_PULSES_TO_FETCH = 50 in the Rust pallet


def test_nothing_to_do_when_up_to_date(state) -> None:
    with_dev_config(state, last_stored=1001)
    assert run_worker(state) == []


def test_a_tampered_payload_is_refused_by_the_pool(state) -> None:
    with_dev_config(state)
    (xt,) = run_worker(state)
    decoded = UncheckedExtrinsic.decode(xt, construct.RUNTIME_CALL)
    args = decoded.call[1][1]
    payload = args["pulses_payload"]
    forged = drand.PulsesPayload(payload.block_number, [drand.Pulse(1002, bytes(32), payload.pulses[0].signature)],
                                 payload.public)
    call = ("Drand", ("write_pulse", {"pulses_payload": forged, "signature": args["signature"]}))
    with pytest.raises(TransactionValidityError) as e:
        validate_transaction(DictBackend(state), "External",
                             UncheckedExtrinsic.encode_bare(construct.RUNTIME_CALL.encode(call)), bytes(32))
    assert e.value.value == ("Invalid", ("BadProof", None))
