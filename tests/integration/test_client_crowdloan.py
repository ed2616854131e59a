"""A crowdloan driven by substrate-interface 1.8.1 on a running `pysubtensor --dev` node:
Alice creates it (a stored `System.remark_with_event` and Dave as target), Bob and Charlie
contribute (Charlie beyond the cap, cut down to what is left), and after the end block Alice
finalizes it. Balances, storage and the events are read back with the library's own
decoding of our metadata; the funds account is computed by substrate-interface's SS58 codec
from `modl` + `bt/cloan` + the id. bittensor 11.3.0 (its own venv) then reads the crowdloan,
the list and the contributors back through its `read(...)` API."""

from __future__ import annotations

import time

import pytest
from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.utils.hasher import blake2_256
from substrateinterface.utils.ss58 import ss58_encode

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client

TAO = 10**9
DEPOSIT, CAP = 10 * TAO, 30 * TAO


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


def _submit(si, keypair, module: str, function: str, params: dict):
    call = si.compose_call(module, function, params)
    ext = si.create_signed_extrinsic(call=call, keypair=keypair, era={"period": 64})
    receipt = si.submit_extrinsic(ext, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    return [(e.value["module_id"], e.value["event_id"], e.value["attributes"]) for e in receipt.triggered_events]


def _free(si, address: str) -> int:
    return si.query("System", "Account", [address]).value["data"]["free"]


def _block(si) -> int:
    return si.get_block_number(si.get_chain_head())


def test_create_contribute_finalize(si, dev_node):
    alice, bob, charlie = (Keypair.create_from_uri(f"//{n}") for n in ("Alice", "Bob", "Charlie"))
    dave = Keypair.create_from_uri("//CrowdloanTarget")
    crowdloan_id = si.query("Crowdloan", "NextCrowdloanId").value
    funds = ss58_encode(b"modlbt/cloan" + crowdloan_id.to_bytes(4, "little") + bytes(16), 42)
    constants = {c: si.get_constant("Crowdloan", c).value for c in ("MinimumDeposit", "MinimumBlockDuration")}
    assert constants == {"MinimumDeposit": DEPOSIT, "MinimumBlockDuration": 50}

    end = _block(si) + 80  # MinimumBlockDuration 50, and room for the blocks until inclusion
    remark = b"crowdloan finalized"
    # A composed call object: scalecodec's Option does not hand the metadata on to a dict.
    stored = si.compose_call("System", "remark_with_event", {"remark": remark})
    events = _submit(si, alice, "Crowdloan", "create", {
        "deposit": DEPOSIT, "min_contribution": TAO // 10, "cap": CAP, "end": end, "call": stored,
        "target_address": dave.ss58_address})
    created = [a for m, e, a in events if (m, e) == ("Crowdloan", "Created")]
    assert created == [{"crowdloan_id": crowdloan_id, "creator": alice.ss58_address, "end": end, "cap": CAP}]
    assert ("Balances", "Transfer", {"from": alice.ss58_address, "to": funds, "amount": DEPOSIT}) in events
    assert _free(si, funds) == DEPOSIT

    events = _submit(si, bob, "Crowdloan", "contribute", {"crowdloan_id": crowdloan_id, "amount": 12 * TAO})
    assert ("Crowdloan", "Contributed",
            {"crowdloan_id": crowdloan_id, "contributor": bob.ss58_address, "amount": 12 * TAO}) in events
    events = _submit(si, charlie, "Crowdloan", "contribute", {"crowdloan_id": crowdloan_id, "amount": 10 * TAO})
    assert ("Crowdloan", "Contributed",  # only what was left to raise
            {"crowdloan_id": crowdloan_id, "contributor": charlie.ss58_address, "amount": 8 * TAO}) in events

    info = si.query("Crowdloan", "Crowdloans", [crowdloan_id]).value
    assert (info["raised"], info["contributors_count"], info["finalized"]) == (CAP, 3, False)
    assert info["funds_account"] == funds and info["target_address"] == dave.ss58_address
    # Bounded::Inline(the call's encoding); scalecodec shows a BoundedVec<u8> as text.
    assert list(info["call"]) == ["Inline"] and info["call"]["Inline"].encode() == stored.data.data
    contributions = {k.value: v.value for k, v in si.query_map("Crowdloan", "Contributions", [crowdloan_id])}
    assert contributions == {alice.ss58_address: DEPOSIT, bob.ss58_address: 12 * TAO,
                             charlie.ss58_address: 8 * TAO}
    assert _free(si, funds) == CAP

    deadline = time.monotonic() + 60
    while _block(si) <= end:
        assert time.monotonic() < deadline, "the chain did not reach the end block"
        time.sleep(0.5)
    with pytest.raises(AssertionError, match="ContributionPeriodEnded"):
        _submit(si, bob, "Crowdloan", "contribute", {"crowdloan_id": crowdloan_id, "amount": TAO})

    dave_before = _free(si, dave.ss58_address)
    events = _submit(si, alice, "Crowdloan", "finalize", {"crowdloan_id": crowdloan_id})
    assert ("Balances", "Transfer", {"from": funds, "to": dave.ss58_address, "amount": CAP}) in events
    # The stored call ran as the creator.
    assert ("System", "Remarked", {"sender": alice.ss58_address, "hash": "0x" + blake2_256(remark).hex()}) in events
    assert ("Crowdloan", "Finalized", {"crowdloan_id": crowdloan_id}) in events
    assert _free(si, dave.ss58_address) - dave_before == CAP
    assert _free(si, funds) == 0
    assert si.query("Crowdloan", "Crowdloans", [crowdloan_id]).value["finalized"] is True
    assert si.query("Crowdloan", "CurrentCrowdloanId").value is None

    # bittensor 11.3.0 reads it back.
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    run = run_client("bittensor 11.3.0 crowdloan reads", [str(python), str(CLIENTS_DIR / "bittensor_sdk" / "crowdloan.py"),
                                                          dev_node.ws_url, str(crowdloan_id)], dev_node, REPO_ROOT)
    assert run.returncode == 0 and run.summary["ok"], run.report()
    assert run.summary["crowdloan"] == {
        "creator": alice.ss58_address, "end": end, "finalized": True, "target_address": dave.ss58_address,
        "funds_account": funds, "deposit": DEPOSIT, "min_contribution": TAO // 10, "cap": CAP, "raised": CAP}, run.report()
    assert {"id": crowdloan_id, "creator": alice.ss58_address, "finalized": True} in run.summary["crowdloans"]
    assert run.summary["contributors"] == {a: v for a, v in contributions.items()}, run.report()
