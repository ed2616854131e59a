"""polkadot-api 2.x (tests/clients/papi, `npm ci` by .ci/run) against a running dev node.

The script (tests/clients/papi/test.mjs) connects with `createClient(getWsProvider(url))`. In
polkadot-api 2.x `polkadot-api/ws`'s `getWsProvider` includes @polkadot-api/ws-middleware: it
reads `rpc_methods` and, per group (chainHead_v1, transaction_v1, chainSpec_v1, archive_v1),
uses the node's native new-spec methods if the node lists any of the group, else emulates the
group with the legacy methods (papi 1.x needed `withPolkadotSdkCompat` for this; 2.x does not).
The node lists chainHead_v1, transaction_v1 (+ transactionWatch_v1) and chainSpec_v1 completely,
so those run natively (follow events, chainHead_v1_call/storage/body, transaction_v1_broadcast);
only archive_v1 is emulated.
Without generated descriptors it uses `client.getUnsafeApi()`: reads `System.Account`, estimates
the fee, and submits `Balances.transfer_keep_alive` signed by a `getPolkadotSigner` over an
sr25519 //Alice key from @polkadot-labs/hdkd, watching it to `finalized`.
"""

from __future__ import annotations

import pytest

from tests.integration.conftest import node_binary, node_js_project, run_client

AMOUNT = 1_000_000_000  # 1 TAO in rao


@pytest.fixture(scope="module")
def papi(dev_node):
    project = node_js_project("papi")
    run = run_client("polkadot-api test.mjs",
                     [node_binary(), "test.mjs", dev_node.ws_url, "--amount", str(AMOUNT), "--timeout", "180"],
                     dev_node, project, timeout=240)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    return run


def test_connects_and_reads_balance(papi):
    s = papi.summary
    assert s["genesisHash"].startswith("0x") and len(s["genesisHash"]) == 66, papi.report()
    assert s["runtime"]["specName"] == "node-subtensor", papi.report()
    assert int(s["aliceFreeBefore"]) > AMOUNT, papi.report()
    # The node lists complete chainHead_v1, transaction_v1 and chainSpec_v1 groups, so papi speaks
    # them natively; archive_v1 is not served and stays emulated on legacy methods (client-surface §1.4).
    assert s["rpcGroups"] == {"chainHead_v1": "native", "transaction_v1": "native", "chainSpec_v1": "native",
                              "archive_v1": "legacy-emulated"}, papi.report()


def test_transfer_finalized(papi):
    s = papi.summary
    assert s["txOk"] is True and s["dispatchError"] is None, papi.report()
    assert s["txEvents"][0] == "signed" and s["txEvents"][-1] == "finalized", papi.report()
    for expected in ("Balances.Withdraw", "Balances.Transfer", "TransactionPayment.TransactionFeePaid",
                     "System.ExtrinsicSuccess"):
        assert expected in s["eventNames"], papi.report()
    assert s["transferEvent"] == {"from": s["alice"], "to": s["bob"], "amount": str(AMOUNT)}, papi.report()


def test_balances_moved(papi):
    s = papi.summary
    fee = int(s["actualFee"])
    assert fee > 0, papi.report()
    assert int(s["estimatedFee"]) >= fee, papi.report()
    assert int(s["bobFreeBlock"]) - int(s["bobFreeParent"]) == AMOUNT, papi.report()
    alice_paid = int(s["aliceFreeParent"]) - int(s["aliceFreeBlock"])
    assert alice_paid == AMOUNT + fee - int(s["depositsToAlice"]), papi.report()
    assert s["aliceNonceBlock"] == s["aliceNonceBefore"] + 1, papi.report()
