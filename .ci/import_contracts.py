"""Check the import contracts (pyproject.toml [tool.importlinter]) with import-linter.

setup.py maps the repository's top-level folders into the one import package `pysubtensor`;
import-linter (grimp) only sees files physically under the root package. So this assembles
`<tmp>/pysubtensor/`: copies of pysubtensor/*.py and a symlink per layer folder to the
repository's (grimp follows them), then runs `lint-imports` with that folder first on the
path. The layer list is setup.py's LAYERS (one home).

    python .ci/import_contracts.py            # exit status of lint-imports
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "pysubtensor"


def layers(repo: Path = REPO) -> tuple[str, ...]:
    """setup.py's `LAYERS`, read without running setup.py."""
    tree = ast.parse((repo / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "LAYERS" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise SystemExit("setup.py has no LAYERS assignment")


def assemble(dest: Path, repo: Path = REPO, *, copy: bool = False) -> Path:
    """`dest/pysubtensor/` as installed: pysubtensor/*.py plus each layer folder (a symlink,
    or a copy when `copy`, so a caller may add modules without touching the checkout)."""
    package = dest / PACKAGE
    package.mkdir(parents=True)
    for source in (repo / PACKAGE).glob("*.py"):
        shutil.copy2(source, package / source.name)
    for layer in layers(repo):
        if copy:
            shutil.copytree(repo / layer, package / layer, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (package / layer).symlink_to(repo / layer, target_is_directory=True)
    return dest


def lint_imports(tree: Path, config: Path = REPO / "pyproject.toml") -> subprocess.CompletedProcess[str]:
    """Run lint-imports (from this interpreter's environment) on the assembled `tree`."""
    path = [str(tree), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    command = [str(Path(sys.executable).parent / "lint-imports"), str(config), "--no-cache", "--no-logo"]
    return subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="import-contracts-") as tmp:
        result = lint_imports(assemble(Path(tmp)))
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
