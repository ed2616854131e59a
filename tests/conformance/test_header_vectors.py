"""Real block headers (swanky-node, with child tries) decode and re-encode byte-identically,
and block hashes chain: header.parent_hash == blake2_256(previous header)."""

from __future__ import annotations

import json

import pytest

from pysubtensor.primitives.header import Header
from pysubtensor.primitives.scale import ScaleDecodeError
from tests.conftest import vectors_dir

BLOCKS = vectors_dir() / "blocks"


def load(name: str) -> bytes:
    doc = json.loads((BLOCKS / name).read_text())
    return bytes.fromhex(doc["block"]["header"].removeprefix("0x"))


def test_headers_round_trip_and_chain():
    block2 = load("swanky-block2-child-trie-create-multiple.json")
    block3 = load("swanky-block3-child-trie-read-basic.json")
    h2, h3 = Header.decode(block2), Header.decode(block3)
    assert h2.encode() == block2 and h3.encode() == block3
    assert (h2.number, h3.number) == (2, 3)
    assert h3.parent_hash == h2.hash
    assert h2.hash.hex().startswith("980f308438982101")
    assert h3.hash.hex().startswith("958cfc161d7a67c5")


@pytest.mark.parametrize("cut", [1, 33, 65, 97])
def test_truncated_header_is_a_decode_error(cut):
    raw = load("swanky-block3-child-trie-read-basic.json")
    with pytest.raises(ScaleDecodeError):
        Header.decode(raw[:cut])


def test_retired_digest_item_is_rejected():
    raw = load("swanky-block3-child-trie-read-basic.json")
    # Replace the empty digest by one item with retired index 2 (ChangesTrieRoot).
    with pytest.raises(ScaleDecodeError, match="unknown variant index 2"):
        Header.decode(raw[:-1] + b"\x04\x02" + bytes(32))
