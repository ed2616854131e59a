"""btcli 9.21.2 (`$PYSUBTENSOR_BTCLI_VENV`, isolated HOME, non-interactive) runs a subnet's life
cycle on a fresh dev chain as its owner (wallet from the URI //Alice, the sudo key; a second
hotkey from //Eve): `subnets create` with its default settings (MEV protection on: the call
travels inside `MevShield.submit_encrypted`), `subnets start`, `subnets register --unsafe`,
`sudo set` of a hyperparameter as owner, `subnets list` and `subnets show`. What btcli prints
is compared with storage read through substrate-interface (this venv). The test lowers
`AdminFreezeWindow` to 0 through Sudo first (its default 10 equals the fast runtime's tempo,
so an owner's set would always fall in the freeze window).

What does not work yet, and why (each asserted as it happens):
- `subnets register` without `--unsafe` sends `SubtensorModule.register_limit`, a call newer
  than spec 381 (issue 9, registration): "Call function 'SubtensorModule.register_limit' not found".
- `subnets hyperparameters` reads `SubtensorModule.BurnIncreaseMult` and `BurnHalfLife`
  (storage newer than 381): they belong to the newer burn rule (half-life decay, multiplier per
  registration) that this runtime does not run yet (it prices registrations by spec 381's
  interval adjustment); declaring them would show values the chain does not apply, so the
  command waits for that rule (issue 9, registration burn).
- btcli 9.21.2 has no `weights set` (only `weights commit` / `weights reveal`).
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.integration.conftest import client_venv_python
from tests.integration.test_client_btcli import Btcli

pytestmark = pytest.mark.slow
ALICE = Keypair.create_from_uri("//Alice").ss58_address
EVE = Keypair.create_from_uri("//Eve").ss58_address
NAME = "clients9"
IDENTITY = ["--subnet-name", NAME, "--github-repo", "https://github.com/example/clients9",
            "--subnet-contact", "dev@example.com", "--subnet-url", "https://example.com", "--discord-handle", "dev",
            "--description", "dev subnet", "--logo-url", "https://example.com/logo.png", "--additional-info", "none"]


class OwnerCli(Btcli):
    def run(self, *args: str, wallet: bool = True, network: bool = True, hotkey: str = "default") -> str:
        if not wallet:
            return super().run(*args, wallet=False, network=network)
        return super().run(*args, "--wallet-path", str(self.home / "wallets"), "--wallet-name", "alice",
                           "--hotkey", hotkey, wallet=False, network=network)

    def json(self, *args: str, wallet: bool = True, hotkey: str = "default") -> dict:
        import json
        out = self.run(*args, "--json-output", wallet=wallet, hotkey=hotkey)
        return json.loads(out[out.index("{"):out.rindex("}") + 1], strict=False)  # rich may wrap a line


def sudo(s: SubstrateInterface, call: str, params: dict) -> None:
    inner = s.compose_call("AdminUtils", call, params)
    ext = s.create_signed_extrinsic(s.compose_call("Sudo", "sudo", {"call": inner}), Keypair.create_from_uri("//Alice"))
    assert s.submit_extrinsic(ext, wait_for_inclusion=True).is_success


@pytest.fixture(scope="module")
def chain(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    sudo(s, "sudo_set_admin_freeze_window", {"window": 0})
    yield s
    s.close()


@pytest.fixture(scope="module")
def subnet(dev_node, chain, tmp_path_factory):
    python = client_venv_python("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt")
    cli = OwnerCli(python.parent / "btcli", tmp_path_factory.mktemp("btcli-home"), dev_node)
    assert "//Alice" in cli.run("wallet", "create", "--uri", "alice", "--no-use-password", network=False)
    assert "//Eve" in cli.run("wallet", "new-hotkey", "--uri", "//Eve", "--no-use-password", hotkey="miner",
                              network=False)
    assert "//Ferdie" in cli.run("wallet", "new-hotkey", "--uri", "//Ferdie", "--no-use-password", hotkey="third",
                                 network=False)
    created = cli.json("subnets", "create", *IDENTITY, "--no-prompt")
    return cli, created


def _extrinsic_calls(s: SubstrateInterface, identifier: str) -> tuple[str, list[str]]:
    number, index = (int(x) for x in identifier.split("-"))
    block = s.get_block(block_number=number)
    calls = [f"{e.value['call']['call_module']}.{e.value['call']['call_function']}" for e in block["extrinsics"]]
    return calls[index], calls


def test_subnets_create_default_is_shielded(subnet, chain):
    _, created = subnet
    assert created["success"] is True and created["netuid"] == 2, created
    assert chain.query("SubtensorModule", "NetworksAdded", [2]).value is True
    assert chain.query("SubtensorModule", "SubnetOwner", [2]).value == ALICE
    assert chain.query("SubtensorModule", "SubnetIdentitiesV3", [2]).value["subnet_name"] == NAME
    inner, calls = _extrinsic_calls(chain, created["extrinsic_identifier"])
    # the identifier is the inner extrinsic; its carrier is in the same block
    assert inner == "SubtensorModule.register_network_with_identity" and "MevShield.submit_encrypted" in calls, calls


def test_start_register_and_owner_set(subnet, chain):
    cli, _ = subnet
    assert "Successfully started subnet 2" in cli.run("subnets", "start", "--netuid", "2", "--no-prompt")
    assert chain.query("SubtensorModule", "SubtokenEnabled", [2]).value is True
    out = cli.run("subnets", "register", "--netuid", "2", "--unsafe", "--no-prompt", hotkey="miner")
    assert chain.query("SubtensorModule", "Uids", [2, EVE]).value == 1, out
    assert chain.query("SubtensorModule", "Owner", [EVE]).value == ALICE
    got = cli.json("sudo", "set", "--netuid", "2", "--param", "immunity_period", "--value", "77", "--no-prompt")
    assert got["success"] is True, got
    assert chain.query("SubtensorModule", "ImmunityPeriod", [2]).value == 77


def test_list_and_show_are_storage(subnet, chain):
    cli, _ = subnet
    first = chain.get_block_number(chain.get_chain_head())
    listed = cli.json("subnets", "list", wallet=False)["subnets"]
    last = chain.get_block_number(chain.get_chain_head())
    assert sorted(int(k) for k in listed) == [n for n in range(3) if chain.query("SubtensorModule", "NetworksAdded", [n]).value]
    assert listed["2"]["subnet_name"] == NAME
    assert listed["2"]["tempo"]["sn_tempo"] == chain.query("SubtensorModule", "Tempo", [2]).value
    # The started subnet's pool grows with each block's emission: btcli's figure is the pool
    # at one of the blocks produced while it ran.
    pools = {chain.query("SubtensorModule", "SubnetTAO", [2], block_hash=chain.get_block_hash(b)).value
             for b in range(first, last + 1)}
    assert round(listed["2"]["liquidity"]["tao_in"] * 1e9) in pools
    shown = cli.json("subnets", "show", "--netuid", "2", "--no-prompt", wallet=False)
    n = chain.query("SubtensorModule", "SubnetworkN", [2]).value
    assert [u["hotkey"] for u in shown["uids"]] == [chain.query("SubtensorModule", "Keys", [2, u]).value
                                                     for u in range(n)]
    assert shown["owner"] == ALICE


def test_what_waits_for_newer_items(subnet):
    cli, _ = subnet
    out = cli.run("subnets", "register", "--netuid", "2", "--no-prompt", hotkey="third")
    assert "Call function 'SubtensorModule.register_limit' not found" in out, out
    got = cli.json("subnets", "hyperparameters", "--netuid", "2", wallet=False)
    assert got == {"error": 'Storage function "SubtensorModule.BurnIncreaseMult" not found'}, got
