"""Shared test helpers. Reference data lives in tests/vectors (byte-identical copies, see its README)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
VECTORS = REPO_ROOT / "tests" / "vectors"


def vectors_dir() -> Path:
    """The reference data the tests check against, inside the repository."""
    return VECTORS
