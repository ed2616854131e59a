"""@polkadot/api 16.5.x (tests/clients/polkadotjs, `npm ci` by .ci/run) against a running dev node.

The script (tests/clients/polkadotjs/test.mjs) connects with `ApiPromise.create`, reads
`query.system.account`, subscribes to new heads (`rpc.chain.subscribeNewHeads`, wire name
`chain_subscribeNewHead`) and to Bob's `System.Account` key (`rpc.state.subscribeStorage`,
which must send the current value at once), and has Alice sign
`tx.balances.transferKeepAlive(Bob, 1 TAO)` and watch it to `inBlock` and `finalized`. This test
checks its JSON summary: Bob's balance moved by exactly the amount between the inclusion
block's parent and the block, Alice's by the amount plus the fee (less any fee credited back to
her as block author), the fee equals the `TransactionFeePaid` event's `actual_fee`, and the
events are the real runtime's for a transfer.
"""

from __future__ import annotations

import pytest

from tests.integration.conftest import node_binary, node_js_project, run_client

AMOUNT = 1_000_000_000  # 1 TAO in rao


def _free_from_account_info(hex_value: str) -> int:
    """AccountInfo<u32, AccountData<u64>>: nonce, consumers, providers, sufficients (u32 each),
    then data.free as u64 (subtensor's Balance)."""
    raw = bytes.fromhex(hex_value.removeprefix("0x"))
    return int.from_bytes(raw[16:24], "little")


@pytest.fixture(scope="module")
def pjs(dev_node):
    project = node_js_project("polkadotjs")
    run = run_client("@polkadot/api test.mjs",
                     [node_binary(), "test.mjs", dev_node.ws_url, "--amount", str(AMOUNT), "--timeout", "180"],
                     dev_node, project, timeout=240)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    return run


def test_connects_and_reads_chain(pjs):
    s = pjs.summary
    assert s["genesisHash"].startswith("0x") and len(s["genesisHash"]) == 66, pjs.report()
    assert s["runtime"]["specName"] == "node-subtensor", pjs.report()
    assert s["metadataVersion"] in (14, 15), pjs.report()
    assert s["extrinsicVersion"] == 4, pjs.report()
    assert s["hasTransactionPaymentApi"], pjs.report()
    assert int(s["aliceFreeBefore"]) > AMOUNT, pjs.report()


def test_new_heads_subscription(pjs):
    heads = pjs.summary["heads"]
    assert len(heads) >= 2, pjs.report()
    assert heads[1]["number"] > heads[0]["number"], pjs.report()


def test_transfer_in_block_and_finalized(pjs):
    s = pjs.summary
    assert "Finalized" in s["statuses"], pjs.report()
    assert s["dispatchError"] is None, pjs.report()
    assert s["inBlockHasOurTx"], pjs.report()
    # what the node sent on author_extrinsicUpdate: ready, then inBlock and finalized of one block
    wire = [w["result"] for w in s["wireStatuses"]]
    assert wire[0] == "ready", pjs.report()
    assert [next(iter(r)) for r in wire[1:]] == ["inBlock", "finalized"], pjs.report()
    assert wire[1]["inBlock"] == wire[2]["finalized"] == s["finalized"], pjs.report()


def test_transfer_in_block_reaches_the_callback(pjs):
    """signAndSend's callback must see InBlock before Finalized, as it does against a real node.

    pjs handles each status with rxjs `switchMap`: on InBlock it fetches the block and its events
    (chain_getBlock, state_getStorage System.Events) before calling back, and a Finalized that
    arrives meanwhile cancels that InBlock. A real node-subtensor --dev finalizes with GRANDPA
    a block or more later; a node that sends `finalized` right after `inBlock` (same block, ~1 ms
    apart) makes pjs skip InBlock.
    """
    s = pjs.summary
    times = [w["t"] for w in s["wireStatuses"]]
    assert s["inBlockSeen"] and s["statuses"].index("InBlock") < s["statuses"].index("Finalized"), (
        f"pjs callback statuses {s['statuses']}: InBlock never reached the callback; the node sent "
        f"inBlock and finalized {times[-1] - times[-2]} ms apart: {s['wireStatuses']}")


def test_transfer_events(pjs):
    s = pjs.summary
    names = s["eventNames"]
    for expected in ("balances.Withdraw", "balances.Transfer", "transactionPayment.TransactionFeePaid",
                     "system.ExtrinsicSuccess"):
        assert expected in names, pjs.report()
    assert names[-1] == "system.ExtrinsicSuccess", pjs.report()
    assert s["finalizedEvents"] == names, pjs.report()
    assert s["transferEvent"][:2] == [s["alice"], s["bob"]], pjs.report()
    assert int(s["transferEvent"][2]) == AMOUNT, pjs.report()


def test_balances_moved_by_amount_and_fee(pjs):
    s = pjs.summary
    fee = int(s["actualFee"])
    assert fee > 0, pjs.report()
    assert int(s["tip"]) == 0, pjs.report()
    # Bob gets exactly the amount in the inclusion block
    assert int(s["bobFreeBlock"]) - int(s["bobFreeParent"]) == AMOUNT, pjs.report()
    # Alice pays amount + fee; the fee may come back to her as the block author (Balances.Deposit)
    alice_paid = int(s["aliceFreeParent"]) - int(s["aliceFreeBlock"])
    assert alice_paid == AMOUNT + fee - int(s["depositsToAlice"]), pjs.report()
    assert s["aliceNonceBlock"] == s["aliceNonceBefore"] + 1, pjs.report()
    # the fee estimate (TransactionPaymentApi_query_info) is what was charged
    assert int(s["paymentInfoPartialFee"]) >= fee, pjs.report()


def test_storage_subscription(pjs):
    s = pjs.summary
    assert s["storageInitialIsBobAccount"], pjs.report()
    assert s["storageNotifications"] >= 2, pjs.report()
    assert _free_from_account_info(s["storageChangedTo"]) == int(s["bobFreeBlock"]), pjs.report()
