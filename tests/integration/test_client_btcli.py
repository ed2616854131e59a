"""btcli 9.21.2 (its own venv) run non-interactively against a fresh dev chain, as a user runs it.

`.ci/run` creates the venv from tests/clients/btcli/requirements.txt at `$PYSUBTENSOR_BTCLI_VENV`
(default `.venv-btcli`); without it these tests fail, never skip. Every run gets an isolated
HOME (btcli keeps its config and a metadata cache under ~/.bittensor) and a wallet made from
the dev URI `alice` (coldkey and hotkey //Alice, the chain's sudo key). What btcli prints is
compared with storage read independently through substrate-interface (this venv).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.integration.conftest import client_venv_python

BOB = Keypair.create_from_uri("//Bob").ss58_address
ALICE = Keypair.create_from_uri("//Alice").ss58_address


class Btcli:
    def __init__(self, exe: Path, home: Path, node) -> None:
        self.exe, self.home, self.node = exe, home, node

    def run(self, *args: str, wallet: bool = True, network: bool = True) -> str:
        argv = [str(self.exe), *args, *(["--network", self.node.ws_url] if network else [])]
        if wallet:
            argv += ["--wallet-path", str(self.home / "wallets"), "--wallet-name", "alice", "--hotkey", "default"]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                              env={**os.environ, "HOME": str(self.home), "COLUMNS": "200"}, cwd=self.home)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0, f"btcli {' '.join(args)} exited {proc.returncode}:\n{out[-3000:]}\n" \
                                     f"node log (tail):\n{self.node.log_tail(30)}"
        return out

    def json(self, *args: str, wallet: bool = True) -> dict:
        out = self.run(*args, "--json-output", wallet=wallet)
        start = out.index("{")
        return json.loads(out[start:out.rindex("}") + 1])


@pytest.fixture(scope="module")
def btcli(dev_node, tmp_path_factory):
    python = client_venv_python("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt")
    cli = Btcli(python.parent / "btcli", tmp_path_factory.mktemp("btcli-home"), dev_node)
    out = cli.run("wallet", "create", "--uri", "alice", "--no-use-password", network=False)
    assert "Wallet created from URI: //Alice" in out, out
    return cli


@pytest.fixture(scope="module")
def chain(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield s
    s.close()


def _free(s: SubstrateInterface, who: str) -> int:
    return s.query("System", "Account", [who]).value["data"]["free"]


def test_burn_cost(btcli, chain):
    got = btcli.json("subnets", "burn-cost", wallet=False)
    raw = chain.rpc_request("state_call", ["SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x"])
    cost = int.from_bytes(bytes.fromhex(raw["result"][2:]), "little")
    # no subnet registered since genesis: the lock cost is NetworkMinLockCost
    assert got["burn_cost"]["rao"] == cost == chain.query("SubtensorModule", "NetworkMinLockCost").value, got


def test_check_start(btcli, chain):
    out = btcli.run("subnets", "check-start", "--netuid", "1", wallet=False)
    registered = chain.query("SubtensorModule", "NetworkRegisteredAt", [1]).value
    delay = chain.query("SubtensorModule", "StartCallDelay").value
    assert re.search(rf"Registered at:\s*{registered}\b", out), out
    assert re.search(rf"Minimum start block:\s*{registered + delay}\b", out), out


def test_transfer(btcli, chain):
    before = _free(chain, BOB)
    got = btcli.json("wallet", "transfer", "--dest", BOB, "--amount", "2.5", "--no-prompt")
    assert got["success"] is True, got
    assert _free(chain, BOB) - before == 2_500_000_000, got


def test_root_register_and_axon(btcli, chain):
    hotkey = Keypair.create_from_uri("//Alice").ss58_address  # `--uri alice` makes both keys //Alice
    got = btcli.json("subnets", "register", "--netuid", "0", "--no-prompt")
    assert got["success"] is True, got
    uid = chain.query("SubtensorModule", "Uids", [0, hotkey]).value
    assert uid is not None and got["msg"] == f"Registered with UID {uid}", got
    assert chain.query("SubtensorModule", "Owner", [hotkey]).value == ALICE, got

    out = btcli.run("axon", "set", "--netuid", "0", "--ip", "5.6.7.8", "--port", "9000", "--no-prompt")
    assert "Axon set successfully to 5.6.7.8:9000" in out, out
    axon = chain.query("SubtensorModule", "Axons", [0, hotkey]).value
    assert (str(ipaddress.ip_address(axon["ip"])), axon["port"]) == ("5.6.7.8", 9000), out
