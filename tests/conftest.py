"""Shared test helpers. Reference data is read from ../shared at test time, never copied."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The shared reference directory that sits beside the repository checkout."""
    path = REPO_ROOT.parent / "shared"
    if not path.is_dir():
        raise FileNotFoundError(f"reference data not found at {path} (expected beside the checkout)")
    return path
