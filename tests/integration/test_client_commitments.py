"""Commitments through a running dev node with real clients: substrate-interface 1.8.1 (main
venv) registers a hotkey on the root network, publishes a commitment with
`Commitments.set_commitment` (fee-free, as the real `Pays::No`), reads it back from storage
and events, and sees the space limit refuse an oversized second commitment; bittensor 11.3.0
(its own venv) reads the same commitment with its `commitment` read.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.integration.conftest import client_venv_python

NETUID = 0  # the root network: a dev chain without the Swap pallet registers hotkeys there


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


@pytest.fixture(scope="module")
def keys():
    return {name: Keypair.create_from_uri(f"//{name}") for name in ("Alice", "Ferdie", "Ferdie_hk")}


def submit(si, keypair, module: str, function: str, params: dict):
    call = si.compose_call(module, function, params)
    ext = si.create_signed_extrinsic(call=call, keypair=keypair, era={"period": 64})
    return si.submit_extrinsic(ext, wait_for_inclusion=True)


def events(receipt) -> list[str]:
    return [f"{e.value['module_id']}.{e.value['event_id']}" for e in receipt.triggered_events]


@pytest.fixture(scope="module")
def committed(si, keys):
    alice, hotkey = keys["Alice"], keys["Ferdie_hk"]
    # The hotkey needs a little TAO to exist; then Alice registers it on the root network.
    receipt = submit(si, alice, "Balances", "transfer_keep_alive", {"dest": hotkey.ss58_address, "value": 10**9})
    assert receipt.is_success, receipt.error_message
    receipt = submit(si, alice, "SubtensorModule", "root_register", {"hotkey": hotkey.ss58_address})
    assert receipt.is_success, receipt.error_message
    fields = [{"Raw11": "0x" + b"hello world".hex()}, {"Sha256": "0x" + bytes(range(32)).hex()}]
    # `fields` is a BoundedVec: a composite of one unnamed Vec, which scalecodec takes as a 1-tuple.
    receipt = submit(si, hotkey, "Commitments", "set_commitment", {"netuid": NETUID, "info": {"fields": (fields,)}})
    return receipt


def test_set_commitment_is_stored_and_announced(si, keys, committed):
    hotkey = keys["Ferdie_hk"]
    assert committed.is_success, committed.error_message
    assert "Commitments.Commitment" in events(committed)
    block = si.get_block_number(committed.block_hash)
    value = si.query("Commitments", "CommitmentOf", [NETUID, hotkey.ss58_address]).value
    assert value["deposit"] == 0 and value["block"] == block
    assert value["info"]["fields"] == [{"Raw11": "0x" + b"hello world".hex()},
                                       {"Sha256": "0x" + bytes(range(32)).hex()}]
    assert si.query("Commitments", "LastCommitment", [NETUID, hotkey.ss58_address]).value == block
    usage = si.query("Commitments", "UsedSpaceOf", [NETUID, hotkey.ss58_address]).value
    assert usage["used_space"] == 100  # 11 + 32 bytes, counted as at least 100
    listed = {k.value: v.value for k, v in si.query_map("Commitments", "CommitmentOf", [NETUID])}
    assert listed[hotkey.ss58_address] == value


def test_set_commitment_pays_no_fee(si, keys, committed):
    assert committed.total_fee_amount in (0, None)
    assert "TransactionPayment.TransactionFeePaid" not in events(committed) or \
        all(e.value["attributes"]["actual_fee"] == 0 for e in committed.triggered_events
            if e.value["event_id"] == "TransactionFeePaid")


def test_unregistered_account_cannot_commit(si, keys):
    receipt = submit(si, keys["Ferdie"], "Commitments", "set_commitment",
                     {"netuid": NETUID, "info": {"fields": ([],)}})
    assert not receipt.is_success
    assert receipt.error_message["name"] == "AccountNotAllowedCommit"
    assert si.query("Commitments", "CommitmentOf", [NETUID, keys["Ferdie"].ss58_address]).value is None


BT11_SCRIPT = """
import json, sys, asyncio
import bittensor
async def main(url, netuid, hotkey):
    client = bittensor.Subtensor(url)
    try:
        c = client.read("commitment", netuid=netuid, hotkey_ss58=hotkey)
        out = {"block": c.block, "deposit": int(c.deposit.rao), "data": c.data, "fields": c.fields}
    finally:
        client.close()
    print(json.dumps(out, default=str))
asyncio.run(main(*sys.argv[1:2], int(sys.argv[2]), sys.argv[3]))
"""


def test_bittensor_11_reads_the_commitment(si, keys, committed, dev_node):
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    hotkey = keys["Ferdie_hk"].ss58_address
    proc = subprocess.run([str(python), "-c", BT11_SCRIPT, dev_node.ws_url, str(NETUID), hotkey],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    stored = si.query("Commitments", "CommitmentOf", [NETUID, hotkey]).value
    assert out["block"] == stored["block"] and out["deposit"] == 0
    assert "hello world" in str(out["data"]), out
    assert len(out["fields"]) == 2, out


def test_space_limit_refuses_an_oversized_commitment(si, keys, committed):
    # MaxSpace 3100 per epoch: 25 commitments of 128 bytes exceed it.
    hotkey = keys["Ferdie_hk"]
    big = {"fields": ([{"Raw128": "0x" + bytes(128).hex()}] * 3,)}
    outcomes = []
    for _ in range(9):
        receipt = submit(si, hotkey, "Commitments", "set_commitment", {"netuid": NETUID, "info": big})
        outcomes.append(receipt.is_success or receipt.error_message["name"])
        if not receipt.is_success:
            break
    assert outcomes[-1] == "SpaceLimitExceeded", outcomes
