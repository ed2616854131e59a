"""Node codec and whole-set roots: the byte-level examples of trie-spec.md §2, round trips,
rejected encodings and input validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pysubtensor.node.state import (
    EMPTY_ROOT,
    TrieDecodeError,
    ordered_trie_root,
    trie_root,
    trie_root_with_children,
)
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.trie.codec import (
    HASHED_BRANCH,
    LEAF,
    Node,
    decode_node,
    encode_node,
    header,
    hexlify,
)
from pysubtensor.primitives.trie.root import build_trie


def test_empty_root() -> None:
    assert EMPTY_ROOT.hex() == "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314"
    assert trie_root([], 0) == trie_root({}, 1) == EMPTY_ROOT
    assert decode_node(b"\x00") is None


@pytest.mark.parametrize(("kind", "nibbles", "expected"), [
    (LEAF, 80, "7f11"),
    (LEAF, 400, "7fff52"),
    (LEAF, 62, "7e"),
    (LEAF, 63, "7f00"),  # count == max still needs the trailing 0x00
    (LEAF, 63 + 255, "7fff00"),
    (HASHED_BRANCH, 20, "1f05"),
    (HASHED_BRANCH, 15, "1f00"),
    (HASHED_BRANCH, 14, "1e"),
])
def test_header_size_field(kind: int, nibbles: int, expected: str) -> None:
    assert header(kind, nibbles).hex() == expected


def _root_node(items: dict[bytes, bytes], version: int) -> bytes:
    sink: dict[bytes, bytes] = {}
    root = build_trie(items, version, sink)
    return sink[root]


def test_spec_worked_examples() -> None:
    assert _root_node({b"\xaa": b"\xbb"}, 0).hex() == "42aa04bb"
    assert _root_node({bytes.fromhex("4819"): b"\xfe", bytes.fromhex("1314"): b"\xff"}, 0).hex() == \
        "8012001443031404ff14430819" + "04fe"
    value = bytes(range(33))
    assert _root_node({bytes.fromhex("010203"): value}, 0).hex() == "4601020384" + value.hex()
    assert _root_node({bytes.fromhex("010203"): value}, 1).hex() == "26010203" + blake2_256(value).hex()


def test_value_threshold_is_33_bytes() -> None:
    for n, hashed in ((32, False), (33, True)):
        node = decode_node(_root_node({b"\x01": bytes(n)}, 1))
        assert node is not None and node.hashed is hashed


def test_duplicate_keys_last_wins() -> None:
    assert trie_root([(b"a", b"1"), (b"a", b"2")], 1) == trie_root([(b"a", b"2")], 1)


def test_ordered_trie_root_uses_compact_keys() -> None:
    values = [bytes([i]) for i in range(70)]
    from pysubtensor.primitives.scale import encode_compact

    assert ordered_trie_root(values, 0) == trie_root({encode_compact(i): v for i, v in enumerate(values)}, 0)


_nibble_paths = st.lists(st.sampled_from(b"0123456789abcdef"), max_size=90).map(bytes)
_values = st.one_of(st.none(), st.binary(max_size=40))


@st.composite
def _nodes(draw: st.DrawFn) -> Node:
    partial = draw(_nibble_paths)
    hashed = draw(st.booleans())
    value = draw(st.binary(min_size=32, max_size=32) if hashed else _values)
    if value is None:
        hashed = False
    kids = draw(st.lists(st.one_of(st.none(), st.binary(min_size=32, max_size=32),
                                   st.sampled_from([b"\x42\xaa\x04\xbb", b"\x41\x01\x00"])), min_size=16, max_size=16))
    children = kids if any(k is not None for k in kids) else None
    if children is None and value is None:
        value = b""
    return Node(partial, value, hashed, children)


@settings(max_examples=300, deadline=None)
@given(_nodes())
def test_encode_decode_round_trip(node: Node) -> None:
    enc = encode_node(node)
    back = decode_node(enc)
    assert back is not None
    assert (back.partial, back.value, back.hashed) == (node.partial, node.value, node.hashed)
    assert back.children == node.children
    assert encode_node(back) == enc


@pytest.mark.parametrize(("enc", "why"), [
    ("01", "invalid node header"),  # compact-proof escape header
    ("05", "invalid node header"),
    ("0000", "trailing"),
    ("42aa04bbff", "trailing"),
    ("42aa08bb", "runs past"),
    ("41f104bb", "padding"),  # odd partial with a non-zero padding nibble
    ("800000", "without children"),
    ("42", "partial key runs past"),
    ("8012001443", "child reference"),
])
def test_decode_rejects(enc: str, why: str) -> None:
    with pytest.raises(TrieDecodeError, match=why):
        decode_node(bytes.fromhex(enc))


def test_long_partial_keys_and_deep_nesting() -> None:
    # Keys that are prefixes of one another nest one branch per key: 700 levels deep.
    items = {b"\x11" * n: bytes([n % 256]) for n in range(700)}
    root = trie_root(items, 1)
    assert root == trie_root(list(reversed(items.items())), 1)
    assert hexlify(b"\x01\xab") == b"01ab"


@pytest.mark.parametrize(("items", "match"), [
    ([("a", b"x")], r"item #0: key must be bytes, got str"),
    ([(b"a", b"x"), (b"b", "x")], r"item #1 \(key 0x62\): value must be bytes, got str"),
    ([(b"a", bytearray(b"x"))], r"value must be bytes, got bytearray"),
    ([(b"a", None)], r"value must be bytes, got NoneType"),
    ([b"abc"], r"must be a \(key, value\) pair"),
])
def test_bad_item_types(items: list, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        trie_root(items, 1)


@pytest.mark.parametrize("version", [2, -1, True, "1", None, 1.0])
def test_bad_state_version(version: object) -> None:
    with pytest.raises(ValueError, match="state_version must be 0 or 1"):
        trie_root([], version)  # type: ignore[arg-type]


def test_ordered_root_rejects_non_bytes() -> None:
    with pytest.raises(TypeError, match="value #1 must be bytes"):
        ordered_trie_root([b"", "x"], 0)  # type: ignore[list-item]


def test_child_helper() -> None:
    child = {b"k": b"v"}
    with_child = trie_root_with_children({b"a": b"1"}, {b"c1": child, b"empty": {}}, 1)
    assert with_child == trie_root({b"a": b"1", b":child_storage:default:c1": trie_root(child, 1)}, 1)
    with pytest.raises(ValueError, match="reserved"):
        trie_root_with_children({b":child_storage:default:x": b"1"}, {}, 1)
