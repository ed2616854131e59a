"""Genesis of real chains: `pysubtensor export-genesis-head` on the raw chain specs in
tests/vectors/chainspecs reproduces their public genesis hashes (EXPECTED.md), and bad
specs get one clear line and a non-zero exit."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from pysubtensor.node.chain_spec import load_chain_spec
from pysubtensor.node.genesis import genesis_header, genesis_state_version
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.header import EMPTY_TRIE_ROOT, Header
from tests.conftest import vectors_dir

CHAINSPECS = vectors_dir() / "chainspecs"


def expected_rows() -> list[tuple[str, str, str, str]]:
    """(file, genesis hash, state version text, state root) from EXPECTED.md's table."""
    rows = []
    for line in (CHAINSPECS / "EXPECTED.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0].startswith("`") and cells[0].endswith(".json`"):
            rows.append((cells[0].strip("`"), cells[2].strip("`"), cells[3], cells[4].strip("`")))
    return rows


ROWS = expected_rows()


def test_expected_table_was_read():
    assert len(ROWS) == len(list(CHAINSPECS.glob("*.json"))) >= 5


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pysubtensor", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("file", "genesis_hash", "version_text", "state_root"), ROWS, ids=[r[0] for r in ROWS])
def test_export_genesis_head_reproduces_public_genesis_hash(file, genesis_hash, version_text, state_root):
    result = run_cli("export-genesis-head", "--chain", str(CHAINSPECS / file))
    assert result.returncode == 0, result.stderr
    header_bytes = bytes.fromhex(result.stdout.strip().removeprefix("0x"))
    assert "0x" + blake2_256(header_bytes).hex() == genesis_hash
    header = Header.decode(header_bytes)
    assert header.number == 0 and header.parent_hash == bytes(32)
    assert header.extrinsics_root == EMPTY_TRIE_ROOT
    assert "0x" + header.state_root.hex() == state_root
    # The state version the table gives is the one we read from the runtime code.
    spec = load_chain_spec(CHAINSPECS / file)
    assert f"V{genesis_state_version(spec.raw.top)}" == re.match(r"V[01]", version_text).group(0)


def test_wrong_state_version_gives_the_documented_wrong_hash():
    # EXPECTED.md: westend read as V1 would give 0x67aa0350...
    spec = load_chain_spec(CHAINSPECS / "westend-raw.json")
    assert genesis_header(spec.raw, state_version=1).hash.hex().startswith("67aa0350")


@pytest.fixture
def good_spec() -> dict:
    return json.loads((CHAINSPECS / "substrate-node-template-local-raw.json").read_text())


def _write(tmp_path, doc) -> str:
    path = tmp_path / "spec.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


BAD_SPECS = {
    "not json": ("{ not json", "not valid JSON"),
    "not an object": ("[1, 2]", "JSON object"),
    "no genesis": ({"name": "x", "id": "x"}, "missing required field 'genesis'"),
    "checkpoint only": ({"name": "x", "id": "x", "genesis": {"stateRootHash": "0x00"}}, "stateRootHash"),
    "bad hex value": ({"name": "x", "id": "x", "genesis": {"raw": {"top": {"0x3a636f6465": "0xzz"}}}},
                      "not valid hex"),
    "no code": ({"name": "x", "id": "x", "genesis": {"raw": {"top": {"0x01": "0x02"}}}}, "no ':code'"),
    "code is not wasm": ({"name": "x", "id": "x", "genesis": {"raw": {"top": {"0x3a636f6465": "0x0102"}}}},
                         "not a wasm module"),
    "bad zstd": ({"name": "x", "id": "x", "genesis": {"raw": {"top": {"0x3a636f6465": "0x52bc537646db8e05ff"}}}},
                 "zstd"),
    "reserved child key": ({"name": "x", "id": "x", "genesis": {"raw": {"top": {
        "0x" + b":child_storage:default:a".hex(): "0x00"}}}}, "childrenDefault"),
    "bad chain type": ({"name": "x", "id": "x", "chainType": "Moon", "genesis": {"raw": {"top": {}}}},
                       "chainType"),
}


@pytest.mark.parametrize("case", list(BAD_SPECS), ids=list(BAD_SPECS))
def test_bad_spec_is_one_clear_line(tmp_path, case):
    doc, message = BAD_SPECS[case]
    result = run_cli("export-genesis-head", "--chain", _write(tmp_path, doc))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_missing_file_is_one_clear_line(tmp_path):
    result = run_cli("export-genesis-head", "--chain", str(tmp_path / "nope.json"))
    assert result.returncode == 1 and "cannot read chain spec" in result.stderr and "Traceback" not in result.stderr


def test_non_raw_spec_is_refused(tmp_path, good_spec):
    good_spec["genesis"] = {"runtimeGenesis": {"code": "0x00", "patch": {}}}
    result = run_cli("export-genesis-head", "--chain", _write(tmp_path, good_spec))
    assert result.returncode == 1 and "raw chain spec" in result.stderr


def test_our_raw_dev_spec_round_trips_through_export_genesis_head(tmp_path):
    """`build-spec --raw` of our dev chain carries a `:code` whose embedded version says
    node-subtensor with state version 1, so export-genesis-head reads it like any chain."""
    from pysubtensor.node.runtime_code import read_runtime_version

    built = run_cli("build-spec", "--chain", "dev", "--raw")
    assert built.returncode == 0, built.stderr
    spec_path = tmp_path / "dev-raw.json"
    spec_path.write_text(built.stdout)
    version = read_runtime_version(load_chain_spec(spec_path).raw.top[b":code"])
    assert (version.spec_name, version.state_version) == ("node-subtensor", 1)
    head = run_cli("export-genesis-head", "--chain", str(spec_path))
    assert head.returncode == 0, head.stderr
    from pysubtensor.node.cli import chain_genesis
    from pysubtensor.node.config import resolve_chain

    # The same header as the node builds from the preset itself.
    for chain in (str(spec_path), "dev"):
        assert bytes.fromhex(head.stdout.strip().removeprefix("0x")) == chain_genesis(resolve_chain(chain)).header.encode()
