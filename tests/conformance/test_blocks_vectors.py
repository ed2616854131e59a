"""Real swanky-node blocks with child tries (tests/vectors/blocks): state roots (V1, three
child tries), extrinsics roots (V0) and the header hash chain."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from pysubtensor.node.state import (
    CHILD_STORAGE_DEFAULT_PREFIX,
    StateDB,
    ordered_trie_root,
    trie_root,
    trie_root_with_children,
    verify_child_read_proof,
)
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import decode_compact
from tests.conftest import vectors_dir

BLOCK2 = "swanky-block2-child-trie-create-multiple.json"
BLOCK3 = "swanky-block3-child-trie-read-basic.json"


def _hex(s: str) -> bytes:
    return bytes.fromhex(s.removeprefix("0x"))


@cache
def _load(name: str) -> dict:
    return json.loads((vectors_dir() / "blocks" / name).read_text())


def _header(name: str) -> dict:
    """The fields before the digest (the real header codec lives in primitives.header)."""
    raw = _hex(_load(name)["block"]["header"])
    number, pos = decode_compact(raw, 32)
    return {"raw": raw, "parent_hash": raw[:32], "number": number,
            "state_root": raw[pos:pos + 32], "extrinsics_root": raw[pos + 32:pos + 64]}


def _parent_storage(name: str) -> tuple[dict[bytes, bytes], dict[bytes, dict[bytes, bytes]]]:
    """Top storage without the child-root entries, and the child tries."""
    storage = _load(name)["parentStorage"]
    top = {_hex(k): _hex(v) for k, v in storage["mainTrie"].items()}
    children = {_hex(ck): {_hex(k): _hex(v) for k, v in kv.items()} for ck, kv in storage["childTries"].items()}
    stored_roots = {k[len(CHILD_STORAGE_DEFAULT_PREFIX):]: top.pop(k) for k in list(top)
                    if k.startswith(CHILD_STORAGE_DEFAULT_PREFIX)}
    assert set(stored_roots) == set(children)
    for ck, items in children.items():
        assert trie_root(items, 1) == stored_roots[ck]
    return top, children


def test_headers_decode() -> None:
    assert _header(BLOCK2)["number"] == 2
    assert _header(BLOCK3)["number"] == 3


def test_block3_parent_hash_is_block2_header_hash() -> None:
    assert _header(BLOCK3)["parent_hash"] == blake2_256(_header(BLOCK2)["raw"])


def test_state_root_with_three_child_tries() -> None:
    top, children = _parent_storage(BLOCK3)
    assert len(children) == 3
    expected = _header(BLOCK2)["state_root"]
    assert trie_root_with_children(top, children, 1) == expected
    assert trie_root_with_children(top, children, 0) != expected  # the state is V1


def test_state_root_of_block2_parent() -> None:
    top, children = _parent_storage(BLOCK2)
    # Block 1's header is not in the vectors; its state root is quoted in the README.
    assert trie_root_with_children(top, children, 1).hex().startswith("1be43e44fe14b20c")


@pytest.mark.parametrize("name", [BLOCK2, BLOCK3])
def test_extrinsics_root_is_v0(name: str) -> None:
    body = [_hex(x) for x in _load(name)["block"]["body"]]
    header = _header(name)
    assert ordered_trie_root(body, 0) == header["extrinsics_root"]
    assert ordered_trie_root(body, 1) != header["extrinsics_root"]


def test_genesis_build_and_child_reads(tmp_path: Path) -> None:
    top, children = _parent_storage(BLOCK3)
    expected = _header(BLOCK2)["state_root"]
    with StateDB(tmp_path / "db") as state:
        assert state.build_genesis(top, children, 1) == expected
        for root in (expected, None):
            view = state.view(root)
            for ck, items in children.items():
                assert view.child_pairs(ck) == sorted(items.items())
                key, value = next(iter(items.items()))
                assert view.child_get(ck, key) == value
                proof = view.child_read_proof(ck, [key])
                assert verify_child_read_proof(expected, proof, ck, [key]) == {key: value}
        # Rebuilding the same state incrementally in two commits gives the same root.
        half = dict(list(top.items())[: len(top) // 2])
        first = state.commit(state.apply(state.view().root, dict.fromkeys(top, None),
                                         {ck: dict.fromkeys(kv, None) for ck, kv in children.items()}, 1))
        assert state.view(first).pairs() == []
        second = state.commit(state.apply(first, half, {}, 1))
        rest = {k: v for k, v in top.items() if k not in half}
        assert state.commit(state.apply(second, rest, children, 1)) == expected
