"""Trie roots against tests/vectors/trie/cases.json (roots fixed by smoldot, real blocks
and an independent implementation): the whole-set builder, and the same states reached
incrementally through StateDB (random order, several commits, deletes and re-adds)."""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

import pytest

from pysubtensor.node.state import EMPTY_ROOT, StateDB, ordered_trie_root, trie_root
from pysubtensor.primitives.scale import decode_compact
from tests.conftest import vectors_dir

ORDERED_PREFIXES = ("ordered_trie_root_", "real_extrinsics_root_")


@cache
def _cases() -> dict[str, dict]:
    path = vectors_dir() / "trie" / "cases.json"
    return {case["name"]: case for case in json.loads(path.read_text())}


def _case_names() -> list[str]:
    return list(_cases())


def _entries(case: dict) -> list[tuple[bytes, bytes]]:
    return [(bytes.fromhex(k), bytes.fromhex(v)) for k, v in case["entries"]]


def _root(case: dict) -> bytes:
    return bytes.fromhex(case["root"].removeprefix("0x"))


def test_vector_file_is_complete() -> None:
    names = _case_names()
    assert len(names) >= 50
    assert any(n.startswith("ordered_trie_root_") for n in names)
    assert any(n.startswith("real_extrinsics_root_") for n in names)


@pytest.mark.parametrize("name", _case_names())
def test_trie_root(name: str) -> None:
    case = _cases()[name]
    entries = _entries(case)
    assert trie_root(entries, case["state_version"]) == _root(case)
    # Order of entries is irrelevant.
    assert trie_root(list(reversed(entries)), case["state_version"]) == _root(case)


@pytest.mark.parametrize("name", [n for n in _case_names() if n.startswith(ORDERED_PREFIXES)])
def test_ordered_trie_root(name: str) -> None:
    """These cases list the trie's entries; the keys must be compact(0..n-1)."""
    case = _cases()[name]
    by_index: dict[int, bytes] = {}
    for key, value in _entries(case):
        index, end = decode_compact(key)
        assert end == len(key)
        by_index[index] = value
    assert sorted(by_index) == list(range(len(by_index)))
    values = [by_index[i] for i in range(len(by_index))]
    assert ordered_trie_root(values, case["state_version"]) == _root(case)


def test_empty_ordered_root() -> None:
    assert ordered_trie_root([], 0) == EMPTY_ROOT == ordered_trie_root([], 1)


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> StateDB:
    db = StateDB(Path(tmp_path_factory.mktemp("trie-vectors")) / "db")
    yield db
    db.close()


@pytest.mark.parametrize("name", _case_names())
def test_incremental_roots(state: StateDB, name: str) -> None:
    """Insert in random order over several commits, delete a part, re-add it: every
    intermediate root equals the full recomputation and the final one the vector."""
    case = _cases()[name]
    version = case["state_version"]
    entries = _entries(case)
    rnd = random.Random(name)
    rnd.shuffle(entries)
    root = EMPTY_ROOT
    cuts = sorted(rnd.sample(range(len(entries) + 1), min(3, len(entries) + 1)))
    for lo, hi in zip([0, *cuts], [*cuts, len(entries)], strict=True):
        root = state.commit(state.apply(root, dict(entries[lo:hi]), {}, version))
        assert root == trie_root(entries[:hi], version)
    assert root == _root(case)

    removed = rnd.sample(entries, len(entries) // 2 + (len(entries) == 1))
    root = state.commit(state.apply(root, dict.fromkeys((k for k, _ in removed), None), {}, version))
    kept = [e for e in entries if e not in removed]
    assert root == trie_root(kept, version)
    assert state.view(root).pairs() == sorted(kept)

    root = state.commit(state.apply(root, dict(removed), {}, version), set_head=False)
    assert root == _root(case)
    assert state.view(root).pairs() == sorted(entries)
