"""Scheduler and Preimage through substrate-interface 1.8.1 (main venv) on a running dev node.

Alice (sudo) schedules a Root call 2 blocks ahead with `Sudo.sudo(Scheduler.schedule_after)`;
the client reads back the agenda, then, block by block, `System.Events` until the Scheduler's
`Dispatched` event appears with `Ok` and the call's effect (Dave's balance) is on chain.
Bob notes a preimage (a deposit held by Balances for `Preimage`), Alice requests it
through Sudo, and the request status read back shows the request count and Bob's ticket.
"""

from __future__ import annotations

import time

import pytest
from substrateinterface import Keypair, SubstrateInterface

from pysubtensor.primitives.hashing import blake2_256

NEW_BALANCE = 4_242 * 10**9
#: `deposit(2, 64) + deposit(0, 1) * len` of the runtime (PreimageBaseDeposit / ByteDeposit).
BASE_DEPOSIT, BYTE_DEPOSIT = 104_000_000, 1_000_000


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


@pytest.fixture(scope="module")
def keys():
    return {name: Keypair.create_from_uri(f"//{name}") for name in ("Alice", "Bob", "Dave")}


def _name(e) -> str:
    return f"{e.value['module_id']}.{e.value['event_id']}"


def _submit(si, signer, call):
    xt = si.create_signed_extrinsic(call=call, keypair=signer)
    receipt = si.submit_extrinsic(xt, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    return receipt


def _block_number(si, block_hash: str) -> int:
    return si.get_block_header(block_hash)["header"]["number"]


def test_sudo_scheduled_call_runs_after_n_blocks(si, keys) -> None:
    alice, dave = keys["Alice"], keys["Dave"]
    inner = si.compose_call("Balances", "force_set_balance", {"who": dave.ss58_address, "new_free": NEW_BALANCE})
    schedule = si.compose_call("Scheduler", "schedule_after",
                               {"after": 2, "maybe_periodic": None, "priority": 0, "call": inner})
    receipt = _submit(si, alice, si.compose_call("Sudo", "sudo", {"call": schedule}))
    names = [_name(e) for e in receipt.triggered_events]
    assert "Scheduler.Scheduled" in names and "Sudo.Sudid" in names
    scheduled = next(e.value["attributes"] for e in receipt.triggered_events if _name(e) == "Scheduler.Scheduled")
    included = _block_number(si, receipt.block_hash)
    assert scheduled["when"] == included + 3  # after 2: one block past `now + 2`
    agenda = si.query("Scheduler", "Agenda", [scheduled["when"]], block_hash=receipt.block_hash).value
    assert agenda[0]["origin"] == {"system": "Root"} and agenda[0]["priority"] == 0
    assert "Inline" in agenda[0]["call"]
    assert si.query("System", "Account", [dave.ss58_address]).value["data"]["free"] != NEW_BALANCE

    deadline = time.monotonic() + 60
    while _block_number(si, si.get_chain_head()) < scheduled["when"]:
        assert time.monotonic() < deadline, "the chain did not reach the scheduled block"
        time.sleep(0.2)
    at = si.get_block_hash(scheduled["when"])
    events = si.query("System", "Events", block_hash=at).value
    dispatched = [e for e in events if e["event"]["module_id"] == "Scheduler" and e["event"]["event_id"] == "Dispatched"]
    assert len(dispatched) == 1
    attrs = dispatched[0]["event"]["attributes"]
    assert attrs["task"] == (scheduled["when"], scheduled["index"]) and attrs["id"] is None
    assert attrs["result"] == "Ok" or "Ok" in attrs["result"]
    assert dispatched[0]["phase"] == "Initialization"
    assert si.query("System", "Account", [dave.ss58_address], block_hash=at).value["data"]["free"] == NEW_BALANCE
    before = si.get_block_hash(scheduled["when"] - 1)
    assert si.query("System", "Account", [dave.ss58_address], block_hash=before).value["data"]["free"] != NEW_BALANCE
    assert si.query("Scheduler", "Agenda", [scheduled["when"]], block_hash=at).value == []


def test_preimage_noted_and_requested(si, keys) -> None:
    alice, bob = keys["Alice"], keys["Bob"]
    data = b"pysubtensor preimage " * 3
    h = "0x" + blake2_256(data).hex()
    receipt = _submit(si, bob, si.compose_call("Preimage", "note_preimage", {"bytes": "0x" + data.hex()}))
    noted = [e.value["attributes"] for e in receipt.triggered_events if _name(e) == "Preimage.Noted"]
    assert noted == [{"hash": h}]
    deposit = BASE_DEPOSIT + BYTE_DEPOSIT * len(data)
    status = si.query("Preimage", "RequestStatusFor", [h], block_hash=receipt.block_hash).value
    assert status == {"Unrequested": {"ticket": (bob.ss58_address, deposit), "len": len(data)}}
    assert si.query("Preimage", "PreimageFor", [(h, len(data))], block_hash=receipt.block_hash).value == data.decode()  # scalecodec shows UTF-8 bytes as text
    held = si.query("Balances", "Holds", [bob.ss58_address], block_hash=receipt.block_hash).value
    assert held == [{"id": {"Preimage": "Preimage"}, "amount": deposit}]

    receipt = _submit(si, alice, si.compose_call("Sudo", "sudo", {
        "call": si.compose_call("Preimage", "request_preimage", {"hash": h})}))
    assert "Preimage.Requested" in [_name(e) for e in receipt.triggered_events]
    status = si.query("Preimage", "RequestStatusFor", [h], block_hash=receipt.block_hash).value
    assert status == {"Requested": {"maybe_ticket": (bob.ss58_address, deposit), "count": 1, "maybe_len": len(data)}}
    # Bob takes his deposit back; the preimage stays, requested by the chain
    receipt = _submit(si, bob, si.compose_call("Preimage", "unnote_preimage", {"hash": h}))
    assert si.query("Balances", "Holds", [bob.ss58_address], block_hash=receipt.block_hash).value == []
    status = si.query("Preimage", "RequestStatusFor", [h], block_hash=receipt.block_hash).value
    assert status == {"Requested": {"maybe_ticket": None, "count": 1, "maybe_len": len(data)}}
