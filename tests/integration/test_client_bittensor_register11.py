"""bittensor 11.3.0 (`$PYSUBTENSOR_BT11_VENV`, isolated HOME) registers a neuron by its shielded
`burned_register` path, sets weights and reads the metagraph on a fresh dev chain
(tests/clients/bittensor_sdk/register11.py); each result is checked against storage and events
read through substrate-interface (this venv).

- `BurnedRegister` is `mev_shield_required`: the SDK reads `Burn` and `CollateralLockShare`
  (a newer runtime's item, declared here with its default 0: the whole price is burned, i.e.
  moved to the subnet account as this runtime burns) and submits `MevShield.submit_encrypted`;
  the author opens it and the inner `burned_register` lands in the same block.
- `SetWeights` reads `SubnetEpochConsensus` (default `Yuma`) in its preflight. The test turns
  commit-reveal off and the weights rate limit to 0 through Sudo first: with commit-reveal on
  (the subnet's default) the SDK builds `commit_timelocked_mechanism_weights` instead (its
  source; not exercised here), and for `WeightsSetRateLimit` blocks after a registration (its
  `LastUpdate`) the SDK's own preflight refuses before sending (`RATE_LIMITED`), as the chain
  would with `SettingWeightsTooFast` (test_client_bad_input.py).
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client
from tests.unit.test_subtensor_burn_rule import ref_decay_factor_q32, ref_mul_by_q32

pytestmark = pytest.mark.slow
NETUID = 1
U16_MAX = 65_535


def sudo(s: SubstrateInterface, call: str, params: dict) -> None:
    inner = s.compose_call("AdminUtils", call, params)
    ext = s.create_signed_extrinsic(s.compose_call("Sudo", "sudo", {"call": inner}), Keypair.create_from_uri("//Alice"))
    receipt = s.submit_extrinsic(ext, wait_for_inclusion=True)
    # the inner call's result too: a refused one is still a successful `Sudo.sudo`
    assert receipt.is_success and [e.value["attributes"] for e in receipt.triggered_events
                                   if e.value["event_id"] == "Sudid"] == [{"sudo_result": {"Ok": ()}}], call


@pytest.fixture(scope="module")
def registered(dev_node, tmp_path_factory):
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    # Without a freeze window: on a live chain the next setter would land in subnet 1's last
    # blocks before its epoch about one time in ten (more on a slow machine) and be refused.
    sudo(s, "sudo_set_admin_freeze_window", {"window": 0})
    sudo(s, "sudo_set_commit_reveal_weights_enabled", {"netuid": NETUID, "enabled": False})
    sudo(s, "sudo_set_weights_set_rate_limit", {"netuid": NETUID, "weights_set_rate_limit": 0})
    home = tmp_path_factory.mktemp("home")
    run = run_client("bittensor 11.3.0 register11.py",
                     ["env", f"HOME={home}", str(python), str(CLIENTS_DIR / "bittensor_sdk" / "register11.py"),
                      dev_node.ws_url, str(NETUID)], dev_node, REPO_ROOT, timeout=240)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    yield run, s
    s.close()


def _calls(s: SubstrateInterface, block_hash: str) -> list[str]:
    block = s.get_block(block_hash=block_hash)
    return [f"{e.value['call']['call_module']}.{e.value['call']['call_function']}" for e in block["extrinsics"]]


def test_shielded_burned_register_is_on_chain(registered):
    run, s = registered
    step = run.summary["steps"]["burned_register"]
    hotkey, coldkey, uid = run.summary["hotkey"], run.summary["coldkey"], run.summary["uid"]
    assert step["data"]["shielded"] is True and "SubtensorModule.NeuronRegistered" in step["events"], run.report()
    # the carrier and the opened inner call side by side in the block the SDK reports
    calls = _calls(s, step["block_hash"])
    assert "MevShield.submit_encrypted" in calls and "SubtensorModule.burned_register" in calls, calls
    assert s.query("SubtensorModule", "Uids", [NETUID, hotkey]).value == uid == 1
    assert s.query("SubtensorModule", "Keys", [NETUID, uid]).value == hotkey
    assert s.query("SubtensorModule", "Owner", [hotkey]).value == coldkey
    assert s.query("SubtensorModule", "SubnetworkN", [NETUID]).value == 2
    # CollateralLockShare 0: the whole price leaves the coldkey; the price is the burn the SDK
    # read (at the parent block) after this block's half-life decay (main's rule; the Rust
    # test's own reference computes the factor), never below MinBurn
    parent = s.get_block_header(block_hash=step["block_hash"])["header"]["parentHash"]
    read = s.query("SubtensorModule", "Burn", [NETUID], block_hash=parent).value
    factor = ref_decay_factor_q32(s.query("SubtensorModule", "BurnHalfLife", [NETUID], block_hash=parent).value)
    price = max(ref_mul_by_q32(read, factor), s.query("SubtensorModule", "MinBurn", [NETUID]).value)
    assert s.query("SubtensorModule", "CollateralLockShare", [NETUID]).value == 0
    moved = [e.value["attributes"] for e in s.get_events(block_hash=step["block_hash"])
             if e.value["event_id"] == "Transfer" and e.value["attributes"]["from"] == coldkey]
    assert [m["amount"] for m in moved] == [price], moved


def test_set_weights_through_the_sdk(registered):
    run, s = registered
    step, uid = run.summary["steps"]["set_weights"], run.summary["uid"]
    assert s.query("SubtensorModule", "SubnetEpochConsensus", [NETUID]).value == "Yuma"
    assert "SubtensorModule.WeightsSet" in step["events"] and step["fee"] == 0, run.report()
    assert "SubtensorModule.set_mechanism_weights" in _calls(s, step["block_hash"])
    assert s.query("SubtensorModule", "Weights", [NETUID, uid]).value == [(uid, U16_MAX)]
    block = s.get_block_number(step["block_hash"])
    assert s.query("SubtensorModule", "LastUpdate", [NETUID]).value[uid] == block
    assert run.summary["steps"]["metagraph_after"]["last_update"][uid] == block


def test_metagraph_is_storage(registered):
    run, s = registered
    m = run.summary["steps"]["metagraph"]
    n = s.query("SubtensorModule", "SubnetworkN", [NETUID]).value
    assert m["netuid"] == NETUID and m["num_uids"] == n == 2
    assert m["hotkeys"] == [s.query("SubtensorModule", "Keys", [NETUID, u]).value for u in range(n)]
    assert m["coldkeys"] == [s.query("SubtensorModule", "Owner", [h]).value for h in m["hotkeys"]]
