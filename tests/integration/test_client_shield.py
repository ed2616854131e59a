"""MEV Shield end to end: the real clients encrypt to the dev node's `MevShield.NextKey` with
their own code, and the node's author opens the carrier and applies the inner extrinsic.

* bittensor 11.3.0 (`$PYSUBTENSOR_BT11_VENV`): `Subtensor.submit_shielded(Transfer)`
  (tests/clients/bittensor_sdk/shield11.py); its shielded `BurnedRegister` is
  test_client_bittensor_register11.py's.
* btcli 9.21.2 (`$PYSUBTENSOR_BTCLI_VENV`): `SubtensorInterface.sign_and_send_extrinsic(...,
  mev_protection=True)` with a transfer (tests/clients/btcli/shield_transfer.py), the path of
  its shielded commands; `btcli subnets create` itself gets its inner extrinsic opened but the
  runtime refuses it until the Swap pallet is composed.

Everything is checked again through substrate-interface (this venv): the key in storage, the
carrier and the inner extrinsic side by side in one block, the events and the balances.
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client, wait_for_blocks

pytestmark = pytest.mark.slow
SHIELD_KEY_LEN = 1184


@pytest.fixture(scope="module")
def substrate(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield s
    s.close()


def free(s: SubstrateInterface, uri: str) -> int:
    return s.query("System", "Account", [Keypair.create_from_uri(uri).ss58_address]).value["data"]["free"]


def carrier_and_inner(s: SubstrateInterface, block_hash: str, inner_hash: str) -> tuple[int, int]:
    """Indices in the block of the `submit_encrypted` carrier and of the inner extrinsic."""
    block = s.get_block(block_hash)
    carriers = [i for i, x in enumerate(block["extrinsics"])
                if (x.value["call"]["call_module"], x.value["call"]["call_function"]) == ("MevShield", "submit_encrypted")]
    inner = [i for i, x in enumerate(block["extrinsics"]) if f"0x{x.extrinsic_hash.hex()}" == inner_hash]
    assert len(carriers) == 1 and len(inner) == 1, block["extrinsics"]
    return carriers[0], inner[0]


def era_birth(s: SubstrateInterface, block_hash: str) -> int:
    """The birth block of the carrier's mortal era in `block_hash`."""
    number = s.get_block_number(block_hash)
    (x,) = [x for x in s.get_block(block_hash)["extrinsics"] if x.value["call"]["call_function"] == "submit_encrypted"]
    period, phase = x.value["era"]
    return (max(number, phase) - phase) // period * period + phase


def test_next_key_is_an_ml_kem_768_key(dev_node, substrate):
    # Block 1 registers the author's key, block 2 hands it out as NextKey, block 3 stages it.
    while substrate.get_block_number(None) < 3:
        wait_for_blocks(dev_node, 1)
    key = substrate.query("MevShield", "NextKey").value
    assert len(bytes.fromhex(key[2:])) == SHIELD_KEY_LEN
    assert substrate.query("MevShield", "PendingKey").value == key  # the dev author's fixed pair


def test_bittensor_11_submit_shielded(dev_node, substrate):
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    before = free(substrate, "//Charlie")
    run = run_client("bittensor 11.3.0 shield11.py",
                     [str(python), str(CLIENTS_DIR / "bittensor_sdk" / "shield11.py"), dev_node.ws_url],
                     dev_node, REPO_ROOT, timeout=300)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    *failed, done = run.summary["attempts"]
    # A try that failed had its carrier applied plain: its era was born in the parent block.
    for attempt in failed:
        assert attempt["shielded"] and "MevShield.EncryptedSubmitted" in attempt["events"], run.report()
        assert era_birth(substrate, attempt["block_hash"]) == substrate.get_block_number(attempt["block_hash"]) - 1
    carrier, inner = carrier_and_inner(substrate, done["block_hash"], done["inner_extrinsic_hash"])
    assert inner == carrier + 1, run.report()
    assert "Balances.Transfer" in done["events"], run.report()
    assert free(substrate, "//Charlie") - before == 1_500_000_000, run.report()
    events = substrate.get_events(block_hash=done["block_hash"])
    assert [e.value["event_id"] for e in events if e.extrinsic_idx == carrier and e.value["module_id"] == "MevShield"] \
        == ["EncryptedSubmitted"]
    assert sum(1 for e in events if e.value["event_id"] == "TransactionFeePaid"
               and e.extrinsic_idx in (carrier, inner)) == 2  # both paid their fee


def test_btcli_mev_protected_extrinsic(dev_node, substrate, tmp_path):
    python = client_venv_python("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt")
    before = free(substrate, "//Bob")
    run = run_client("btcli 9.21.2 shield_transfer.py",
                     ["env", f"HOME={tmp_path}", str(python), str(CLIENTS_DIR / "btcli" / "shield_transfer.py"),
                      dev_node.ws_url], dev_node, REPO_ROOT, timeout=180)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    assert run.summary["inner_block"] == run.summary["carrier_block"], run.report()
    carrier, inner = carrier_and_inner(substrate, run.summary["carrier_block"], run.summary["inner_hash"])
    assert inner == carrier + 1 == run.summary["inner_index"], run.report()
    assert free(substrate, "//Bob") - before == 2_000_000_000, run.report()
