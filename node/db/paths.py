"""Where a chain's data lives on disk, as Substrate lays it out.

    <base-path>/chains/<chain id>/db/full/     the LevelDB (blocks and state)

`--tmp` (and `--dev` without `--base-path`) uses a fresh temporary base path that is
removed when the node exits; `purge-chain` removes `<base-path>/chains/<chain id>/db`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "chain_dir",
    "check_chain_id",
    "database_path",
    "default_base_path",
    "purge_chain",
    "temporary_base_path",
]

_CHAIN_ID = re.compile(r"[A-Za-z0-9_.-]{1,128}")


def default_base_path() -> Path:
    """`$XDG_DATA_HOME/pysubtensor`, else `~/.local/share/pysubtensor` (Substrate uses the
    platform data directory named after the executable)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    root = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return root / "pysubtensor"


def check_chain_id(chain_id: str) -> str:
    """A chain id names a directory: refuse ids that could escape `chains/`."""
    if not _CHAIN_ID.fullmatch(chain_id) or chain_id in (".", ".."):
        raise ValueError(f"chain id {chain_id!r} cannot name a data directory "
                         "(use letters, digits, '_', '-' and '.')")
    return chain_id


def chain_dir(base_path: Path, chain_id: str) -> Path:
    return Path(base_path) / "chains" / check_chain_id(chain_id)


def database_path(base_path: Path, chain_id: str) -> Path:
    """The LevelDB directory of a chain (Substrate's `db/full`)."""
    return chain_dir(base_path, chain_id) / "db" / "full"


def purge_chain(base_path: Path, chain_id: str) -> tuple[Path, bool]:
    """Remove a chain's database directory; return (path, whether it existed)."""
    path = database_path(base_path, chain_id).parent
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        return path, False
    return path, True


@contextmanager
def temporary_base_path() -> Iterator[Path]:
    """A throwaway base path, removed on exit (also after an exception)."""
    path = Path(tempfile.mkdtemp(prefix="pysubtensor-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
