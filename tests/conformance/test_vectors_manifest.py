"""The copied reference data is what its sources published: every file under tests/vectors is
pinned by SHA256SUMS (.ci/run also compares each copy with its original when the shared
reference folder sits beside the checkout, as it does in CI)."""

from __future__ import annotations

import hashlib

from tests.conftest import VECTORS


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
