"""The import contracts (pyproject.toml [tool.importlinter]) hold on the real tree and fail on a
deliberate wrong import of each kind they forbid, naming it (.ci/import_contracts.py assembles
the installed package layout that import-linter needs)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("import_contracts", REPO / ".ci" / "import_contracts.py")
assert _spec is not None and _spec.loader is not None
contracts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contracts)

LAYERS = "Layers: rpc > node (with its chain specs) > runtime > pallets > primitives"
RPC = "rpc reaches the runtime only through the node's API (node.api)"
NODE = "node reaches pallets only through the runtime (runtime APIs)"


def verdicts(output: str) -> list[tuple[str, str]]:
    """(contract name, KEPT or BROKEN) of each contract lint-imports reports."""
    return [(m[1], m[2]) for m in re.finditer(r"^(.+?) (KEPT|BROKEN)\b", output, re.MULTILINE)]


def test_layers_come_from_setup_py() -> None:
    assert contracts.layers() == ("primitives", "pallets", "runtime", "node", "rpc", "chainspec")


def test_the_real_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = contracts.lint_imports(contracts.assemble(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert [verdict for _, verdict in verdicts(result.stdout)] == ["KEPT"] * 3, result.stdout


@pytest.mark.parametrize(("layer", "source", "broken"), [
    # A lower layer importing a higher one.
    ("pallets", "import pysubtensor.node.api\n", LAYERS),
    ("primitives", "from pysubtensor.runtime import version\n", LAYERS),
    # rpc importing the runtime or a pallet itself instead of going through node.api.
    ("rpc", "from pysubtensor.runtime.apis import METHODS\n", RPC),
    ("rpc", "from pysubtensor.pallets import balances\n", RPC),
    # node reading a pallet instead of asking the runtime.
    ("node", "from pysubtensor.pallets import aura\n", NODE),
])
def test_a_wrong_import_breaks_a_contract(tmp_path: Path, layer: str, source: str, broken: str) -> None:
    tree = contracts.assemble(tmp_path, copy=True)
    (tree / "pysubtensor" / layer / "_deliberately_wrong.py").write_text(source)
    result = contracts.lint_imports(tree)
    assert result.returncode != 0
    assert [name for name, verdict in verdicts(result.stdout) if verdict == "BROKEN"] == [broken], result.stdout
    assert f"pysubtensor.{layer}._deliberately_wrong" in result.stdout
