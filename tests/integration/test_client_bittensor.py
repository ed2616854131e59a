"""The bittensor SDK, 11.3.0 and 10.2.0 (`Subtensor` and `AsyncSubtensor`), each in its own venv,
against a running dev node.

`.ci/run` creates the venvs from tests/clients/bt11/requirements.txt and
tests/clients/bt10/requirements.txt at `$PYSUBTENSOR_BT11_VENV` / `$PYSUBTENSOR_BT10_VENV`
(defaults `.venv-bt11`, `.venv-bt10`); without them these tests fail, never skip.
tests/clients/bittensor_sdk/check.py calls the SDK as a user's script does and prints what it
returned; every value is compared here with storage read independently through
substrate-interface (this venv), on the same dev chain (genesis: root network 0 and subnet 1).
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client

NETUID = 1
CLIENTS = {
    "bt11": ("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt", "11.3.0"),
    "bt10": ("PYSUBTENSOR_BT10_VENV", ".venv-bt10", "tests/clients/bt10/requirements.txt", "10.2.0"),
}


def _text(value) -> str:
    """A `Vec<u8>` storage value as text (substrate-interface gives a 0x-hex string or the text)."""
    return bytes.fromhex(value[2:]).decode() if value.startswith("0x") else value


@pytest.fixture(scope="module")
def chain(dev_node):
    """Storage of the dev chain, read by substrate-interface (not by the SDK under test)."""
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)

    def q(item: str, params: list, module: str = "SubtensorModule"):
        return s.query(module, item, params).value

    netuids = sorted(k.value for k, v in s.query_map("SubtensorModule", "NetworksAdded") if v.value)
    n = q("SubnetworkN", [NETUID])
    keys = [q("Keys", [NETUID, uid]) for uid in range(n)]
    alice = Keypair.create_from_uri("//Alice").ss58_address
    bob = Keypair.create_from_uri("//Bob").ss58_address
    state = {
        "netuids": netuids,
        "tempo": {u: q("Tempo", [u]) for u in netuids},
        "symbol": {u: _text(q("TokenSymbol", [u])) for u in netuids},
        "owner": {u: q("SubnetOwner", [u]) for u in netuids},
        "owner_hotkey": {u: q("SubnetOwnerHotkey", [u]) for u in netuids},
        "n": n,
        "keys": keys,
        "coldkeys": [q("Owner", [k]) for k in keys],
        "kappa": q("Kappa", [NETUID]),
        "immunity_period": q("ImmunityPeriod", [NETUID]),
        "min_burn": q("MinBurn", [NETUID]),
        "max_burn": q("MaxBurn", [NETUID]),
        "commit_reveal": q("CommitRevealWeightsEnabled", [NETUID]),
        "burn_half_life": q("BurnHalfLife", [NETUID]),
        "burn_increase_mult": q("BurnIncreaseMult", [NETUID])["bits"],
        "alpha_values": q("AlphaValues", [NETUID]),
        "weights_rate_limit": q("WeightsSetRateLimit", [NETUID]),
        "min_allowed_weights": q("MinAllowedWeights", [NETUID]),
        "registration_allowed": q("NetworkRegistrationAllowed", [NETUID]),
        "activity_cutoff": q("ActivityCutoff", [NETUID]),
        "min_childkey_take": q("MinChildkeyTake", []),
        "total_networks": q("TotalNetworks", []),
        "free": {"alice": q("Account", [alice], "System")["data"]["free"],
                 "bob": q("Account", [bob], "System")["data"]["free"]},
        # substrate-interface has no type for this runtime API: the node's raw answer (a SCALE u64)
        "lock_cost": int.from_bytes(bytes.fromhex(s.rpc_request(
            "state_call", ["SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x"])["result"][2:]),
            "little"),
        "min_lock_cost": q("NetworkMinLockCost", []),
        "max_uids": q("MaxAllowedUids", [NETUID]),
        "alpha_in": q("SubnetAlphaIn", [NETUID]),
        "tao_in": q("SubnetTAO", [NETUID]),
        "existential_deposit": s.get_constant("Balances", "ExistentialDeposit").value,
    }
    s.close()
    return state


def _run(dev_node, client: str, mode: str):
    env_var, default, requirements, version = CLIENTS[client]
    python = client_venv_python(env_var, default, requirements)
    run = run_client(f"bittensor {version} {mode}",
                     [str(python), str(CLIENTS_DIR / "bittensor_sdk" / "check.py"), dev_node.ws_url, mode],
                     dev_node, REPO_ROOT, timeout=240)
    assert run.summary.get("client", "").startswith(f"bittensor {version}"), run.report()
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    return run


@pytest.fixture(scope="module", params=["sync", pytest.param("async", marks=pytest.mark.slow)])
def bt10(request, dev_node):
    """bittensor 10.2.0: `Subtensor` (sync) or `AsyncSubtensor` (async)."""
    return _run(dev_node, "bt10", request.param)


@pytest.fixture(scope="module")
def bt11(dev_node):
    """bittensor 11.3.0: `Subtensor` and its named reads."""
    return _run(dev_node, "bt11", "reads")


def _v(run, step: str):
    return run.summary["steps"][step]["value"]


def _neurons_agree(run, chain, step: str) -> None:
    neurons = _v(run, step)
    assert [x["uid"] for x in neurons] == list(range(chain["n"])), run.report()
    assert [x["hotkey"] for x in neurons] == chain["keys"], run.report()
    assert [x["coldkey"] for x in neurons] == chain["coldkeys"], run.report()


def _balances_agree(run, chain) -> None:
    # No transfer runs on this chain: the balances stay the genesis ones whatever block the SDK reads.
    assert _v(run, "balance_alice") == chain["free"]["alice"], run.report()
    assert _v(run, "balance_bob") == chain["free"]["bob"], run.report()
    assert _v(run, "existential_deposit") == chain["existential_deposit"], run.report()
    # No subnet registered since genesis: the lock cost is the minimum (get_network_lock_cost).
    assert _v(run, "subnet_burn_cost") == chain["lock_cost"] == chain["min_lock_cost"], run.report()


def test_bt10_subnets(bt10, chain):
    assert sorted(_v(bt10, "all_subnets_netuid")) == chain["netuids"] == [0, 1], bt10.report()
    assert _v(bt10, "total_subnets") == chain["total_networks"] == 2, bt10.report()
    assert _v(bt10, "subnet_exists") is True, bt10.report()
    subnets = [_v(bt10, "subnet_0")] + ([_v(bt10, "subnet")] if "subnet" in bt10.summary["steps"] else [])
    for d in subnets:
        u = d["netuid"]
        assert (d["tempo"], d["symbol"], d["owner_coldkey"], d["owner_hotkey"]) == (
            chain["tempo"][u], chain["symbol"][u], chain["owner"][u], chain["owner_hotkey"][u]), bt10.report()
    assert _v(bt10, "subnet_0")["symbol"] == "\u03a4", bt10.report()  # root's symbol: Greek capital tau
    assert _v(bt10, "tempo") == chain["tempo"][NETUID], bt10.report()


def test_bt10_hyperparameters(bt10, chain):
    assert _v(bt10, "hyperparameters") == {
        "tempo": chain["tempo"][NETUID], "kappa": chain["kappa"], "immunity_period": chain["immunity_period"],
        "min_burn": chain["min_burn"], "max_burn": chain["max_burn"],
        "commit_reveal_weights_enabled": chain["commit_reveal"]}, bt10.report()


@pytest.mark.parametrize("step", ["neurons_lite", "neurons"])
def test_bt10_neurons(bt10, chain, step):
    _neurons_agree(bt10, chain, step)
    assert all(x["netuid"] == NETUID for x in _v(bt10, step)), bt10.report()


def test_bt10_metagraph(bt10, chain):
    assert _v(bt10, "metagraph") == {"netuid": NETUID, "n": chain["n"], "hotkeys": chain["keys"],
                                     "coldkeys": chain["coldkeys"], "uids": list(range(chain["n"]))}, bt10.report()


def test_bt10_balances_and_lock_cost(bt10, chain):
    _balances_agree(bt10, chain)


def test_bt11_subnets(bt11, chain):
    subnets = _v(bt11, "subnets")
    assert [d["netuid"] for d in subnets] == chain["netuids"] == [0, 1], bt11.report()
    for d in subnets:
        n = chain["n"] if d["netuid"] == NETUID else 0  # the root network has no neurons at genesis
        assert (d["tempo"], d["neuron_count"]) == (chain["tempo"][d["netuid"]], n), bt11.report()
    assert _v(bt11, "subnet") == subnets[NETUID], bt11.report()
    assert _v(bt11, "token_symbols") == {str(u): chain["symbol"][u] for u in chain["netuids"]}, bt11.report()


@pytest.mark.parametrize("step", ["neurons_lite", "neurons"])
def test_bt11_neurons(bt11, chain, step):
    _neurons_agree(bt11, chain, step)


def test_bt11_metagraph(bt11, chain):
    m = _v(bt11, "metagraph")
    assert m == {"netuid": NETUID, "num_uids": chain["n"], "hotkeys": chain["keys"], "coldkeys": chain["coldkeys"],
                 "max_uids": chain["max_uids"], "tempo": chain["tempo"][NETUID], "kappa": chain["kappa"],
                 "immunity_period": chain["immunity_period"], "min_burn": chain["min_burn"],
                 "max_burn": chain["max_burn"], "owner_coldkey": chain["owner"][NETUID],
                 "owner_hotkey": chain["owner_hotkey"][NETUID], "alpha_in": chain["alpha_in"],
                 "tao_in": chain["tao_in"], "symbol": chain["symbol"][NETUID],
                 "commit_reveal_weights_enabled": chain["commit_reveal"]}, bt11.report()


def test_bt11_balances_and_lock_cost(bt11, chain):
    _balances_agree(bt11, chain)


def test_bt11_hyperparameters_v3(bt11, chain):
    """bittensor 11.3.0's `subnet_hyperparameters` reads `get_subnet_hyperparams_v3` (main's
    list of named, tagged values, decoded by the SDK through our metadata): each value as
    storage holds it; None for a missing subnet."""
    h = _v(bt11, "hyperparameters")
    assert {k: h[k] for k in ("tempo", "kappa", "immunity_period", "min_burn", "max_burn", "burn_half_life",
                              "burn_increase_mult", "commit_reveal_weights_enabled", "weights_rate_limit",
                              "min_allowed_weights", "registration_allowed", "activity_cutoff",
                              "min_childkey_take", "alpha_low", "alpha_high")} == {
        "tempo": chain["tempo"][NETUID], "kappa": chain["kappa"], "immunity_period": chain["immunity_period"],
        "min_burn": chain["min_burn"], "max_burn": chain["max_burn"], "burn_half_life": chain["burn_half_life"],
        "burn_increase_mult": chain["burn_increase_mult"], "commit_reveal_weights_enabled": chain["commit_reveal"],
        "weights_rate_limit": chain["weights_rate_limit"], "min_allowed_weights": chain["min_allowed_weights"],
        "registration_allowed": chain["registration_allowed"], "activity_cutoff": chain["activity_cutoff"],
        "min_childkey_take": chain["min_childkey_take"], "alpha_low": chain["alpha_values"][0],
        "alpha_high": chain["alpha_values"][1]}, bt11.report()
    assert (h["burn_half_life"], h["burn_increase_mult"]) == (360, 23242897532874035200)  # main's defaults
    assert _v(bt11, "hyperparameters_missing") is None, bt11.report()
