"""btcli 9.21.2 (`$PYSUBTENSOR_BTCLI_VENV`, isolated HOME, non-interactive) runs a subnet's life
cycle on a fresh dev chain as its owner (wallet from the URI //Alice, the sudo key; a second
hotkey from //Eve): `subnets create` with its default settings (MEV protection on: the call
travels inside `MevShield.submit_encrypted`), `subnets start`, `subnets register --unsafe`,
`sudo set` of a hyperparameter as owner, `subnets list` and `subnets show`. What btcli prints
is compared with storage read through substrate-interface (this venv). The test lowers
`AdminFreezeWindow` to 0 through Sudo first (its default 10 equals the fast runtime's tempo,
so an owner's set would always fall in the freeze window).

Registration without `--unsafe` sends main's `register_limit` (limit: the burn it read times
1 + its default tolerance), which this chain prices by main's rule: the burn decays each block
by `BurnHalfLife` and rises by `BurnIncreaseMult` at each registration. `subnets hyperparameters`
reads `get_subnet_hyperparams_v2` plus those two items; what it prints is storage.

What does not work yet: btcli 9.21.2 has no `weights set` (only `weights commit` / `weights reveal`).
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.integration.conftest import client_venv_python
from tests.integration.test_client_btcli import Btcli
from tests.unit.test_subtensor_burn_rule import ref_decay_factor_q32, ref_mul_by_q32

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


FERDIE = Keypair.create_from_uri("//Ferdie").ss58_address


def _at(s: SubstrateInterface, item: str, params: list, block: int):
    return s.query("SubtensorModule", item, params, block_hash=s.get_block_hash(block)).value


def test_register_without_unsafe_sends_register_limit(subnet, chain):
    """The default (safe) registration: `register_limit` in the block btcli names; it paid the
    burn of that block (the `RAORecycledForRegistration` step: the previous block's burn
    decayed once), which then rose by exactly `BurnIncreaseMult` (U64F64, floored)."""
    import re

    cli, _ = subnet
    out = cli.run("subnets", "register", "--netuid", "2", "--no-prompt", hotkey="third")
    assert "Registered on netuid 2 with UID 2" in out, out
    assert chain.query("SubtensorModule", "Uids", [2, FERDIE]).value == 2
    (identifier,) = set(re.findall(r"\b(\d+-\d+)\b", out))
    call, _ = _extrinsic_calls(chain, identifier)
    assert call == "SubtensorModule.register_limit", call
    n = int(identifier.split("-")[0])
    paid = _at(chain, "RAORecycledForRegistration", [2], n) - _at(chain, "RAORecycledForRegistration", [2], n - 1)
    mult = _at(chain, "BurnIncreaseMult", [2], n)["bits"]
    assert mult == 23242897532874035200  # the default, 1.26
    assert _at(chain, "Burn", [2], n) == min(max((paid * mult) >> 64, _at(chain, "MinBurn", [2], n)),
                                             _at(chain, "MaxBurn", [2], n))
    # What it paid is the previous block's burn after this block's decay (half-life 360, Q32),
    # by the Rust test's own reference; the coldkey's balance fell by at least that.
    decayed = ref_mul_by_q32(_at(chain, "Burn", [2], n - 1), ref_decay_factor_q32(_at(chain, "BurnHalfLife", [2], n)))
    assert paid == max(decayed, _at(chain, "MinBurn", [2], n))
    free = [chain.query("System", "Account", [ALICE], block_hash=chain.get_block_hash(b)).value["data"]["free"]
            for b in (n - 1, n)]
    assert free[0] - free[1] >= paid


def test_hyperparameters_are_storage(subnet, chain):
    """`subnets hyperparameters --json-output`: each value as storage holds it, the burn rule's
    two included; the owner then sets `burn_half_life` with `sudo set`."""
    import json

    cli, _ = subnet
    out = cli.run("subnets", "hyperparameters", "--netuid", "2", "--json-output", wallet=False)
    rows = {r["hyperparameter"]: r for r in json.loads(out[out.index("["):out.rindex("]") + 1], strict=False)}
    q = lambda item: chain.query("SubtensorModule", item, [2]).value  # noqa: E731
    assert rows["burn_half_life"]["value"] == q("BurnHalfLife") == 360
    assert rows["burn_increase_mult"]["normalized_value"] == "1.26"
    assert str(q("BurnIncreaseMult")["bits"]) in str(rows["burn_increase_mult"]["value"])
    for name, item in (("tempo", "Tempo"), ("immunity_period", "ImmunityPeriod"), ("min_burn", "MinBurn"),
                       ("max_burn", "MaxBurn"), ("max_regs_per_block", "MaxRegistrationsPerBlock")):
        assert rows[name]["value"] == q(item), name
    got = cli.json("sudo", "set", "--netuid", "2", "--param", "burn_half_life", "--value", "720", "--no-prompt")
    assert got["success"] is True, got
    assert q("BurnHalfLife") == 720
