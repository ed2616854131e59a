"""bittensor 10.2.0 (`$PYSUBTENSOR_BT10_VENV`, isolated HOME), `Subtensor` and `AsyncSubtensor`
each on a fresh dev chain, runs a subnet's life cycle (tests/clients/bittensor_sdk/flow10.py):
`register_subnet` (owner //Alice), `start_call`, `burned_register` (//Bob's hotkey),
`set_weights` by the owner hotkey, an owner-signed `AdminUtils.sudo_set_immunity_period`, and
the reads (subnet info, hyperparameters, neurons lite and full, metagraph). Each value is
compared with storage read through substrate-interface (this venv).

Preparation through Sudo (what a localnet operator does; without it the flows stop, as on the
real chain): `AdminFreezeWindow` 0 (default 10 = a whole fast-runtime tempo of 10 blocks, so an
owner's hyperparameter call always falls in the freeze window: `AdminActionProhibitedDuringWeightsWindow`);
on the new subnet commit-reveal off (10.2.0 would send a timelocked commit) and
`WeightsSetRateLimit` 0 (default 100: the owner's `LastUpdate` is its registration block, and
10.2.0's `set_weights` then returns without sending anything, message None).
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client, start_node, stop_node

pytestmark = pytest.mark.slow
IMMUNITY = 77


def sudo(s: SubstrateInterface, call: str, params: dict) -> None:
    inner = s.compose_call("AdminUtils", call, params)
    ext = s.create_signed_extrinsic(s.compose_call("Sudo", "sudo", {"call": inner}), Keypair.create_from_uri("//Alice"))
    receipt = s.submit_extrinsic(ext, wait_for_inclusion=True)
    assert receipt.is_success and "Sudid" in [e.value["event_id"] for e in receipt.triggered_events]


@pytest.fixture(scope="module", params=["sync", "async"])
def flow(request, tmp_path_factory):
    mode = request.param
    python = client_venv_python("PYSUBTENSOR_BT10_VENV", ".venv-bt10", "tests/clients/bt10/requirements.txt")
    node = start_node(tmp_path_factory.mktemp(f"node-{mode}"))
    try:
        s = SubstrateInterface(url=node.ws_url, ss58_format=42)
        sudo(s, "sudo_set_admin_freeze_window", {"window": 0})
        home = tmp_path_factory.mktemp(f"home-{mode}")
        argv = ["env", f"HOME={home}", str(python), str(CLIENTS_DIR / "bittensor_sdk" / "flow10.py"), node.ws_url,
                str(home / "wallets"), mode]
        created = run_client(f"bittensor 10.2.0 {mode} create", [*argv, "create"], node, REPO_ROOT, timeout=240)
        assert created.returncode == 0 and created.summary.get("ok"), created.report()
        netuid = created.summary["netuid"]
        sudo(s, "sudo_set_commit_reveal_weights_enabled", {"netuid": netuid, "enabled": False})
        sudo(s, "sudo_set_weights_set_rate_limit", {"netuid": netuid, "weights_set_rate_limit": 0})
        used = run_client(f"bittensor 10.2.0 {mode} weights", [*argv, "weights", str(netuid)], node, REPO_ROOT,
                          timeout=240)
        assert used.returncode == 0 and used.summary.get("ok"), used.report()
        yield created, used, s, netuid
        s.close()
    finally:
        stop_node(node)


def test_subnet_created_started_and_miner_registered(flow):
    created, _, s, netuid = flow
    alice = Keypair.create_from_uri("//Alice").ss58_address
    assert netuid == 2  # the dev genesis has the root network and subnet 1
    assert s.query("SubtensorModule", "NetworksAdded", [netuid]).value is True
    assert s.query("SubtensorModule", "SubnetOwner", [netuid]).value == alice
    assert s.query("SubtensorModule", "SubnetOwnerHotkey", [netuid]).value == created.summary["owner_hotkey"]
    assert s.query("SubtensorModule", "SubtokenEnabled", [netuid]).value is True
    miner = created.summary["miner_hotkey"]
    assert s.query("SubtensorModule", "Uids", [netuid, miner]).value == created.summary["steps"]["burned_register"]["uid"] == 1
    assert s.query("SubtensorModule", "Keys", [netuid, 0]).value == created.summary["owner_hotkey"]


def test_weights_and_owner_hyperparameter(flow):
    _, used, s, netuid = flow
    # [0.25, 0.75] normalised by the max to u16: 21845, 65535
    assert s.query("SubtensorModule", "Weights", [netuid, 0]).value == [(0, 21845), (1, 65535)]
    full = {n["uid"]: n["weights"] for n in used.summary["steps"]["neurons"]}
    assert full[0] == [[0, 21845], [1, 65535]] and full[1] == []
    assert s.query("SubtensorModule", "ImmunityPeriod", [netuid]).value == IMMUNITY
    assert used.summary["steps"]["hyperparameters"]["immunity_period"] == IMMUNITY
    assert used.summary["steps"]["subnet_info"]["immunity_period"] == IMMUNITY


def test_reads_are_storage(flow):
    _, used, s, netuid = flow
    steps = used.summary["steps"]
    n = s.query("SubtensorModule", "SubnetworkN", [netuid]).value
    keys = [s.query("SubtensorModule", "Keys", [netuid, u]).value for u in range(n)]
    assert steps["subnet_info"]["subnetwork_n"] == n == 2
    assert steps["subnet_info"]["owner_ss58"] == s.query("SubtensorModule", "SubnetOwner", [netuid]).value
    assert steps["subnet_info"]["tempo"] == steps["hyperparameters"]["tempo"] == \
        s.query("SubtensorModule", "Tempo", [netuid]).value
    assert steps["hyperparameters"]["commit_reveal_weights_enabled"] is \
        s.query("SubtensorModule", "CommitRevealWeightsEnabled", [netuid]).value is False
    assert [x["hotkey"] for x in steps["neurons_lite"]] == [x["hotkey"] for x in steps["neurons"]] == keys
    assert [x["coldkey"] for x in steps["neurons_lite"]] == [s.query("SubtensorModule", "Owner", [k]).value for k in keys]
    assert steps["metagraph"] == {"n": n, "hotkeys": keys, "uids": list(range(n))}
