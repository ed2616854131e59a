"""async-substrate-interface 2.x (its own venv) against a running dev node.

ASI depends on `cyscale`, which installs a top-level `scalecodec` package that clashes with the
`scalecodec` substrate-interface 1.8.1 needs in the main venv, so ASI lives in a venv of its own:
`.ci/run` creates it from tests/clients/asi/requirements.txt at `$PYSUBTENSOR_ASI_VENV` (default
`.venv-asi` at the repository root). Without that venv this test fails: it never skips.

tests/clients/asi/check.py does what btcli does through ASI: connect (V15 metadata through
`state_call Metadata_metadata_at_version`), `query System.Account`, `query_map`, a fee estimate,
a transfer with `wait_for_inclusion` and `wait_for_finalization`, the receipt's events and fee,
`get_block`, `runtime_call` (and the batched `runtime_calls`), and a transfer of more than the
balance whose receipt carries the error the runtime reports.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, run_client

AMOUNT = 1_000_000_000  # 1 TAO in rao


def asi_python() -> Path:
    venv = Path(os.environ.get("PYSUBTENSOR_ASI_VENV", REPO_ROOT / ".venv-asi"))
    if not venv.is_absolute():
        venv = REPO_ROOT / venv
    python = venv / "bin" / "python"
    if not python.exists():
        pytest.fail(f"the async-substrate-interface venv is missing ({python} not found). Create it with:\n"
                    f"  python3 -m venv {venv} && {venv}/bin/pip install -r tests/clients/asi/requirements.txt\n"
                    "(.ci/run does this; set PYSUBTENSOR_ASI_VENV to use another location)", pytrace=False)
    return python


@pytest.fixture(scope="module")
def asi(dev_node):
    run = run_client("async-substrate-interface check.py",
                     [str(asi_python()), str(CLIENTS_DIR / "asi" / "check.py"), dev_node.ws_url,
                      "--amount", str(AMOUNT)],
                     dev_node, REPO_ROOT, timeout=300)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    return run


def test_connect_and_v15_metadata(asi):
    s = asi.summary
    assert s["metadataV15"] is True, asi.report()  # through state_call, not the V14 fallback
    assert s["implementsScaleInfo"] is True, asi.report()
    for api in ("AccountNonceApi", "TransactionPaymentApi", "Metadata", "Core"):
        assert api in s["runtimeApis"], asi.report()
    assert s["properties"].get("ss58Format") == 42, asi.report()


def test_storage_reads(asi):
    s = asi.summary
    assert int(s["aliceFreeBefore"]) > AMOUNT, asi.report()
    assert s["queryMapCount"] >= 3 and s["queryMapHasAliceBob"], asi.report()


def test_transfer_receipt(asi):
    s = asi.summary
    assert s["isSuccess"] is True, asi.report()
    assert s["blockHasOurTx"], asi.report()
    names = s["eventNames"]
    for expected in ("Balances.Withdraw", "Balances.Transfer", "TransactionPayment.TransactionFeePaid",
                     "System.ExtrinsicSuccess"):
        assert expected in names, asi.report()
    fee = s["totalFeeAmount"]
    assert fee > 0 and fee == s["transactionFeePaid"]["actual_fee"], asi.report()
    assert s["transferEvent"] == {"from": s["alice"], "to": s["bob"], "amount": AMOUNT}, asi.report()
    assert s["bobFreeBlock"] - s["bobFreeParent"] == AMOUNT, asi.report()
    assert s["aliceFreeParent"] - s["aliceFreeBlock"] == AMOUNT + fee - s["depositsToAlice"], asi.report()
    # ASI decodes query_info with the V15 API types: subtensor's u64 Balance reads fine here.
    # Estimated with the same mortal era (same length) and no weight refund: the estimate is the fee.
    assert s["paymentInfo"]["partial_fee"] == fee, asi.report()


def test_runtime_calls(asi):
    s = asi.summary
    assert s["runtimeCallAccountNonce"] == s["aliceNonceBefore"] + 1, asi.report()
    assert s["runtimeCallCoreVersion"]["spec_name"] == "node-subtensor", asi.report()
    bob_nonce, versions = s["runtimeCallsBatch"]
    assert isinstance(bob_nonce, int) and 15 in versions, asi.report()


def test_failing_extrinsic(asi):
    s = asi.summary
    assert s["failingIsSuccess"] is False, asi.report()
    assert "System.ExtrinsicFailed" in s["failingEventNames"], asi.report()
    # transfer_keep_alive of more than the free balance: fungible::Mutate::transfer reports
    # DispatchError::Token(FundsUnavailable); ASI shows it as a System error named "Token"
    assert s["failingErrorMessage"] == {"type": "System", "name": "Token", "docs": "FundsUnavailable"}, asi.report()
    assert s["failingFee"] > 0, asi.report()  # the fee is kept on a failed dispatch
