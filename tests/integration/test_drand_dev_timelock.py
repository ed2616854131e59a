"""A timelocked commitment revealed end to end on a running dev node, driven by substrate-interface:
root switches Drand to the dev node's local beacon (`Sudo.sudo(Drand.set_beacon_config)` with
node/drand_dev.py's `DEV_BEACON_CONFIG`); the node's offchain worker then brings each new round
as an unsigned `write_pulse` (verified on chain against that beacon); a registered hotkey
commits a `TimelockEncrypted` field locked to a round a few seconds ahead (tlock to the
beacon's key, the ciphertext format bittensor_drand opens: tests/integration/test_tlock_clients.py);
once that round's pulse is on chain, `on_initialize` reveals it into `RevealedCommitments`, and
bittensor 11.3.0's metagraph commitment read (`subnets.commitments`) shows the revealed text.

Before the switch the chain keeps quicknet's configuration and no pulse is written.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from substrateinterface import Keypair, SubstrateInterface

from pysubtensor.node.drand_dev import DEV_BEACON, DEV_BEACON_CONFIG
from pysubtensor.primitives import tlock
from pysubtensor.primitives.scale import STR
from tests.integration.conftest import client_venv_python, wait_for_blocks

NETUID = 0


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


def submit(si, keypair, call):
    ext = si.create_signed_extrinsic(call=call, keypair=keypair, era={"period": 64})
    receipt = si.submit_extrinsic(ext, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    return receipt


def wait_until(predicate, timeout: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def test_timelocked_commitment_is_revealed_with_local_pulses(si, dev_node):
    alice, hotkey = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Eve_hk")
    wait_for_blocks(dev_node, 4)
    # Quicknet's configuration: the dev node's pulses would not verify, so none are written.
    assert si.query("Drand", "BeaconConfig").value["public_key"] == \
        "0x83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c" \
        "921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
    assert si.query("Drand", "LastStoredRound").value == 0
    assert si.query("Drand", "NextUnsignedAt").value == 0  # no write_pulse was ever applied

    inner = si.compose_call("Drand", "set_beacon_config", {
        "config_payload": {"block_number": si.get_block_number(None), "config": DEV_BEACON_CONFIG,
                           "public": {"Sr25519": "0x" + alice.public_key.hex()}},
        "signature": None})
    switched = DEV_BEACON.round_at(int(time.time() * 1000))
    receipt = submit(si, alice, si.compose_call("Sudo", "sudo", {"call": inner}))
    assert "Drand.BeaconConfigChanged" in [f"{e.value['module_id']}.{e.value['event_id']}"
                                           for e in receipt.triggered_events]
    assert si.query("Drand", "BeaconConfig").value["public_key"] == DEV_BEACON_CONFIG["public_key"]

    # Pulses arrive: the round of the node's clock (the wall clock on this node) when its
    # offchain worker ran, between the switch and now however long that took, verified on
    # chain against the dev key.
    first = wait_until(lambda: si.query("Drand", "LastStoredRound").value, what="a first pulse")
    assert switched <= first <= DEV_BEACON.round_at(int(time.time() * 1000)), (switched, first)
    pulse = si.query("Drand", "Pulses", [first]).value
    assert tlock.verify_round(DEV_BEACON.public_key, first, bytes.fromhex(pulse["signature"][2:]))
    assert si.query("Drand", "OldestStoredRound").value == first

    # A registered hotkey commits a field locked three rounds ahead.
    submit(si, alice, si.compose_call("Balances", "transfer_keep_alive",
                                      {"dest": hotkey.ss58_address, "value": 10**9}))
    submit(si, alice, si.compose_call("SubtensorModule", "root_register", {"hotkey": hotkey.ss58_address}))
    reveal_round = si.query("Drand", "LastStoredRound").value + 3
    # The payload as the SDK seals a commitment: the SCALE `String` (compact length, UTF-8).
    text = "revealed by the dev beacon"
    secret = STR.encode(text)
    ct = tlock.encrypt(DEV_BEACON.public_key, reveal_round, secret)
    field = {"TimelockEncrypted": {"encrypted": "0x" + ct.hex(), "reveal_round": reveal_round}}
    receipt = submit(si, hotkey, si.compose_call("Commitments", "set_commitment",
                                                 {"netuid": NETUID, "info": {"fields": ([field],)}}))
    names = [f"{e.value['module_id']}.{e.value['event_id']}" for e in receipt.triggered_events]
    assert "Commitments.TimelockCommitment" in names, names
    assert si.query("Commitments", "RevealedCommitments", [NETUID, hotkey.ss58_address]).value is None

    revealed = wait_until(lambda: si.query("Commitments", "RevealedCommitments", [NETUID, hotkey.ss58_address]).value,
                          what=f"the reveal of round {reveal_round}")
    (data, block), = revealed
    # scalecodec shows a `Vec<u8>` that is UTF-8 text as the text
    assert (bytes.fromhex(data[2:]) if data.startswith("0x") else data.encode()) == secret
    assert si.query("Drand", "Pulses", [reveal_round]).value is not None
    assert si.query("Commitments", "CommitmentOf", [NETUID, hotkey.ss58_address]).value is None
    assert si.query("Commitments", "TimelockedIndex").value == []
    # The reveal happened in the first block that had the round's pulse to read.
    reveal_hash = si.get_block_hash(block)
    events = si.get_events(reveal_hash)
    assert any(e.value["module_id"] == "Commitments" and e.value["event_id"] == "CommitmentRevealed" for e in events)

    # bittensor 11.3.0's metagraph commitment read (CommitmentOf and RevealedCommitments maps)
    # shows the revealed value.
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    proc = subprocess.run([str(python), "-c", BT11_COMMITMENTS, dev_node.ws_url, str(NETUID), hotkey.ss58_address],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["is_revealed"] and seen["value"] == text, seen
    assert seen["revealed"] == [[block, text]], seen


BT11_COMMITMENTS = """
import json, sys
import bittensor
client = bittensor.Subtensor(sys.argv[1])
try:
    c = client.subnets.commitments(int(sys.argv[2]))[sys.argv[3]]
    print(json.dumps({"value": c.value, "is_revealed": c.is_revealed, "status": c.status,
                      "revealed": c.revealed}, default=str))
finally:
    client.close()
"""
