"""The project as its users install it: a wheel built from the repository, installed into a fresh
virtualenv in another folder, run from yet another folder; then bittensor-cli 9.21.2 installed
into that same environment, still working, and talking to the node.

What is checked:
* the wheel and the environment hold one import package of ours, `pysubtensor` (no `node`,
  `rpc`, `runtime`, … in site-packages, where a user's own `node.py` would shadow them);
* `pysubtensor --dev --tmp` of that environment serves JSON-RPC (system_health, chain_getHeader);
* pip's resolver accepts bittensor-cli beside us, `btcli --version` runs, and `scalecodec` is
  still cyscale's (a `scalecodec` dependency of ours once overwrote it and broke btcli);
* btcli transfers: `btcli wallet create --uri Alice` then `btcli wallet transfer` to Bob, and
  Bob's balance, read with substrate-interface, grows by exactly the amount. (btcli's
  `wallet balance` needs StakeInfoRuntimeApi and `subnets list` needs SubtensorModule, which
  this runtime does not have yet; transfer needs only System, Balances and payment.)

HOME is a temporary folder: btcli keeps its config and wallets under ~/.bittensor.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.integration.conftest import DevNode, start_node, stop_node

pytestmark = pytest.mark.slow

BTCLI = "bittensor-cli==9.21.2"
#: The repository's top-level folders and other directories that must never be installed as
#: top-level packages (setup.py maps the first six into `pysubtensor`).
NOT_TOP_LEVEL = ("primitives", "pallets", "runtime", "node", "rpc", "chainspec", "tests", "bench")
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
RAO_PER_TAO = 10**9


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, **kwargs)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@dataclass
class WheelEnv:
    root: Path
    wheel: Path
    venv: Path
    site_packages: Path
    #: site-packages right after installing the wheel (before anything else is added).
    installed: frozenset[str]

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def elsewhere(self) -> Path:
        """An empty folder outside the repository, to run programs from."""
        path = self.root / "elsewhere"
        path.mkdir(exist_ok=True)
        return path

    def env(self) -> dict[str, str]:
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        keep = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        return {**keep, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_CACHE_HOME": str(home / ".cache"), "PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
                "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))}


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> WheelEnv:
    root = tmp_path_factory.mktemp("wheel")
    # Build from a clean copy: an old build/ folder in the checkout could leak stale modules.
    source = root / "source"
    shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", "node_modules", "__pycache__", ".*_cache", ".hypothesis"))
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(root / "dist"), str(source)])
    (wheel,) = (root / "dist").glob("pysubtensor-*.whl")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=root)
    (site_packages,) = (venv / "lib").glob("python3*/site-packages")
    return WheelEnv(root, wheel, venv, site_packages, frozenset(p.name for p in site_packages.iterdir()))


@pytest.fixture(scope="module")
def wheel_node(wheel_env: WheelEnv) -> Iterator[DevNode]:
    """The installed `pysubtensor` script, run from a folder outside the repository."""
    node = start_node(wheel_env.root, program=[wheel_env.bin("pysubtensor")], cwd=wheel_env.elsewhere())
    try:
        yield node
    finally:
        stop_node(node)


@pytest.fixture(scope="module")
def btcli(wheel_env: WheelEnv) -> WheelEnv:
    """bittensor-cli installed into the environment that already holds our wheel."""
    result = _run([wheel_env.bin("python"), "-m", "pip", "install", BTCLI], cwd=wheel_env.elsewhere(),
                  env=wheel_env.env())
    assert "dependency resolver" not in result.stderr, result.stderr  # pip's "… does not currently take into account …"
    return wheel_env


def test_the_wheel_holds_only_the_pysubtensor_package(wheel_env: WheelEnv) -> None:
    with zipfile.ZipFile(wheel_env.wheel) as z:
        names = set(z.namelist())
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"pysubtensor", f"{wheel_env.wheel.name.split('-py3')[0]}.dist-info"}
    for layer in NOT_TOP_LEVEL[:6]:
        assert f"pysubtensor/{layer}/__init__.py" in names, layer


def test_site_packages_gets_pysubtensor_and_no_other_package_of_ours(wheel_env: WheelEnv) -> None:
    assert "pysubtensor" in wheel_env.installed
    assert sorted(set(NOT_TOP_LEVEL) & wheel_env.installed) == []
    assert not any(name in wheel_env.installed for name in (f"{n}.py" for n in NOT_TOP_LEVEL))
    # Everything the wheel installed (its RECORD) is under pysubtensor/, its dist-info or bin/.
    (record,) = wheel_env.site_packages.glob("pysubtensor-*.dist-info/RECORD")
    paths = [line.split(",", 1)[0] for line in record.read_text().splitlines() if line]
    outside = [p for p in paths if not p.startswith(("pysubtensor/", "pysubtensor-", "../../../bin/pysubtensor"))]
    assert outside == []


def test_python_m_pysubtensor_runs_from_another_folder(wheel_env: WheelEnv) -> None:
    result = _run([wheel_env.bin("python"), "-m", "pysubtensor", "--help"], cwd=wheel_env.elsewhere(),
                  env=wheel_env.env())
    assert result.stdout.startswith("usage: pysubtensor")


def test_the_installed_node_serves_json_rpc(wheel_node: DevNode) -> None:
    health = wheel_node.rpc("system_health")["result"]
    assert health == {"peers": 0, "isSyncing": False, "shouldHavePeers": False}
    header = wheel_node.rpc("chain_getHeader")["result"]
    assert set(header) == {"parentHash", "number", "stateRoot", "extrinsicsRoot", "digest"}
    assert wheel_node.rpc("system_chain")["result"] == "Bittensor"


def test_btcli_installs_beside_us_and_still_works(btcli: WheelEnv) -> None:
    env = btcli.env()
    _run([btcli.bin("python"), "-m", "pip", "check"], env=env)
    assert _run([btcli.bin("btcli"), "--version"], env=env, cwd=btcli.elsewhere()).stdout.strip() == \
        "BTCLI version: 9.21.2"
    # `scalecodec` is cyscale's (async-substrate-interface 2.x needs it), not a scalecodec
    # distribution pulled in by us.
    shown = subprocess.run([btcli.bin("python"), "-m", "pip", "show", "scalecodec"], capture_output=True, text=True,
                           env=env, check=False)
    assert shown.returncode != 0, shown.stdout
    files = _run([btcli.bin("python"), "-m", "pip", "show", "-f", "cyscale"], env=env).stdout
    assert "scalecodec/__init__.py" in files
    _run([btcli.bin("python"), "-c", "import bittensor_cli.cli, async_substrate_interface, scalecodec, pysubtensor.node.cli"],
         env=env, cwd=btcli.elsewhere())


def _free_balance(url: str, ss58: str) -> int:
    from substrateinterface import SubstrateInterface

    substrate = SubstrateInterface(url=url)
    try:
        return substrate.query("System", "Account", [ss58]).value["data"]["free"]
    finally:
        substrate.close()


def test_btcli_transfers_on_the_installed_node(btcli: WheelEnv, wheel_node: DevNode) -> None:
    env = btcli.env()
    wallets = btcli.root / "home" / "wallets"
    _run([btcli.bin("btcli"), "wallet", "create", "--uri", "Alice", "--wallet-name", "alice", "--wallet-path",
          str(wallets), "--hotkey", "default", "--no-use-password"], env=env, cwd=btcli.elsewhere())
    assert (wallets / "alice" / "coldkeypub.txt").read_text().count(ALICE) == 1
    before = _free_balance(wheel_node.ws_url, BOB)
    result = _run([btcli.bin("btcli"), "wallet", "transfer", "--dest", BOB, "--amount", "1.5", "--wallet-name", "alice",
                   "--wallet-path", str(wallets), "--network", wheel_node.ws_url, "--no-prompt", "--json-output"],
                  env=env, cwd=btcli.elsewhere())
    outcome = json.loads(result.stdout)
    assert outcome["success"] is True, result.stdout + result.stderr
    block, index = (int(part) for part in outcome["extrinsic_identifier"].split("-"))
    assert block >= 1 and index >= 1  # after the timestamp inherent
    assert _free_balance(wheel_node.ws_url, BOB) == before + 3 * RAO_PER_TAO // 2
