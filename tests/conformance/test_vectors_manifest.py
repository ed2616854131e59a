"""The copied reference data is what its sources published: every file under tests/vectors is
pinned by SHA256SUMS, and, where the shared reference folder sits beside the checkout, each
copy equals its original byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import REPO_ROOT, VECTORS


def _manifest() -> dict[str, str]:
    entries = {}
    for line in (VECTORS / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        entries[name.removeprefix("./")] = digest
    return entries


def test_every_vector_file_is_pinned_and_unchanged() -> None:
    manifest = _manifest()
    on_disk = {str(p.relative_to(VECTORS)) for p in VECTORS.rglob("*") if p.is_file()} - {"SHA256SUMS", "README.md"}
    assert on_disk == set(manifest), "files added to or missing from tests/vectors: update SHA256SUMS"
    for name, digest in manifest.items():
        assert hashlib.sha256((VECTORS / name).read_bytes()).hexdigest() == digest, name


SHARED = REPO_ROOT.parent / "shared"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared reference folder beside this checkout (a fresh clone)")
def test_copies_equal_the_shared_originals() -> None:
    for name in _manifest():
        original = SHARED / ("reference" if name.startswith("reference/") else "vectors") / name.removeprefix("reference/")
        assert original.read_bytes() == (VECTORS / name).read_bytes(), name
