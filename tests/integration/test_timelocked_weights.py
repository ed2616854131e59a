"""Timelocked (commit-reveal v3) weights revealed by the chain when their drand round arrives.

On a running dev node, driven by substrate-interface: root switches Drand to the node's local
beacon (node/drand_dev.py) and turns commit-reveal on for subnet 1; a registered hotkey sends
`commit_timelocked_weights` with a `WeightsTlockPayload` locked (tlock) to a round a few
seconds ahead under the beacon's key; the commit is queued, no weights yet; once the round's
pulse is on chain and the reveal epoch comes, block_step reveals it and the weights are in
`Weights`.

The ciphertext format is the one bittensor 11.3.0's Rust core writes: a payload sealed by
`bittensor_core.encrypt_at_round` for quicknet round 1000 (in the SDK's own venv) is opened by
the runtime's reveal with quicknet's real round-1000 signature.

What the SDK's own `set_weights` cannot do here (each a reason outside this test's reach):
it locks to quicknet's public key only (a dev chain has no quicknet pulses), and before
committing it reads main's stateful epoch schedule (`PendingEpochAt`, `SubnetEpochIndex`),
storage this runtime (spec 381's block-derived epochs) does not declare.
"""

from __future__ import annotations

import subprocess
import time
from types import SimpleNamespace

import pytest
from substrateinterface import Keypair, SubstrateInterface

from pysubtensor.node.drand_dev import DEV_BEACON, DEV_BEACON_CONFIG
from pysubtensor.primitives import tlock
from tests.integration.conftest import client_venv_python, wait_for_blocks
from tests.unit.test_subtensor_timelocked_reveal import SIG_1000, payload

pytestmark = pytest.mark.slow
NETUID = 1


@pytest.fixture(scope="module")
def si(dev_node):
    substrate = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield substrate
    substrate.close()


def submit(si, keypair, call, sudo: bool = False):
    if sudo:
        call = si.compose_call("Sudo", "sudo", {"call": call})
    receipt = si.submit_extrinsic(si.create_signed_extrinsic(call=call, keypair=keypair, era={"period": 64}),
                                  wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    return receipt


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def test_timelocked_weights_are_revealed_when_the_round_arrives(si, dev_node):
    alice, charlie = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Charlie")
    wait_for_blocks(dev_node, 2)
    admin = lambda name, params: submit(si, alice, si.compose_call("AdminUtils", name, params), sudo=True)  # noqa: E731
    admin("sudo_set_admin_freeze_window", {"window": 0})
    admin("sudo_set_commit_reveal_weights_enabled", {"netuid": NETUID, "enabled": True})
    admin("sudo_set_weights_set_rate_limit", {"netuid": NETUID, "weights_set_rate_limit": 0})
    admin("sudo_set_commit_reveal_weights_interval", {"netuid": NETUID, "interval": 2})
    admin("sudo_set_stake_threshold", {"min_stake": 0})
    submit(si, alice, si.compose_call("Drand", "set_beacon_config", {
        "config_payload": {"block_number": si.get_block_number(None), "config": DEV_BEACON_CONFIG,
                           "public": {"Sr25519": "0x" + alice.public_key.hex()}},
        "signature": None}), sudo=True)
    # Charlie registers himself as a hotkey (his own coldkey) and will weight himself only.
    submit(si, charlie, si.compose_call("SubtensorModule", "burned_register",
                                        {"netuid": NETUID, "hotkey": charlie.ss58_address}))
    uid = si.query("SubtensorModule", "Uids", [NETUID, charlie.ss58_address]).value
    version_key = si.query("SubtensorModule", "WeightsVersionKey", [NETUID]).value

    last = wait_until(lambda: si.query("Drand", "LastStoredRound").value, 30, "a first pulse")
    reveal_round = last + 2  # ~6 s ahead
    sealed = tlock.encrypt(DEV_BEACON.public_key, reveal_round, payload(charlie.public_key, [uid], [1000], version_key))
    receipt = submit(si, charlie, si.compose_call("SubtensorModule", "commit_timelocked_weights", {
        "netuid": NETUID, "commit": "0x" + sealed.hex(), "reveal_round": reveal_round,
        "commit_reveal_version": si.query("SubtensorModule", "CommitRevealWeightsVersion").value}))
    assert "SubtensorModule.TimelockedWeightsCommitted" in [
        f"{e.value['module_id']}.{e.value['event_id']}" for e in receipt.triggered_events]
    assert si.query("SubtensorModule", "Weights", [NETUID, uid]).value == []
    queued = [v.value for _, v in si.query_map("SubtensorModule", "TimelockedWeightCommits", [NETUID])]
    assert [(c[0], c[3]) for q in queued for c in q] == [(charlie.ss58_address, reveal_round)]

    # The reveal waits for the reveal epoch: up to 2 epochs of subnet 1's tempo 100 at 250 ms
    # blocks (50 s) after the commit's, beyond the 45 s this waited before (it fails on main too).
    weights = wait_until(lambda: si.query("SubtensorModule", "Weights", [NETUID, uid]).value, 90,
                         "the reveal of the timelocked weights")
    assert weights == [(uid, 65535)]  # one self-weight, upscaled to u16::MAX
    assert si.query("Drand", "LastStoredRound").value >= reveal_round
    assert all(v.value == [] for _, v in si.query_map("SubtensorModule", "TimelockedWeightCommits", [NETUID]))


def test_ciphertext_from_bittensor_11_core_is_revealed():
    """bittensor 11.3.0's `bittensor_core.encrypt_at_round` seals a WeightsTlockPayload for
    quicknet round 1000; the runtime's reveal opens it with the real round-1000 signature and
    applies the weights (in-process: a dev chain has no quicknet pulses)."""
    from pysubtensor.pallets.subtensor import pallet as st_pallet
    from pysubtensor.pallets.subtensor.weights.storage import Weights
    from tests.support.subtensor_seed import account, chain
    from tests.unit import test_subtensor_timelocked_reveal as unit

    hotkey = account(1)
    plain = payload(hotkey, [0, 1], [10, 20], 0)
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    out = subprocess.run([str(python), "-c", (
        "import sys, bittensor_core as c\n"
        "ct, r = c.encrypt_at_round(bytes.fromhex(sys.argv[1]), 1000)\n"
        "assert r == 1000\n"
        "print(bytes(c.inner_ciphertext(ct)).hex())"), plain.hex()], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    sealed = bytes.fromhex(out.stdout.strip())
    pulses = {1000: SimpleNamespace(round=1000, randomness=bytes(32), signature=SIG_1000)}
    with st_pallet.bound(pulse_of=pulses.get), chain(block=100):
        unit.two_validators()
        unit.commit(hotkey, sealed)
        unit.step_epochs(3)
        assert Weights.get(NETUID, 0) == [(0, 32768), (1, 65535)]
