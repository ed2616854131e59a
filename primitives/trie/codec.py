"""The sp-trie node codec (LayoutV0 / LayoutV1, no extension nodes).

Encoding per trie-spec.md §2: `header || partial key || [bitmap] || [value] || [children]`.

Representation choices, made for speed in pure Python:

* A nibble path is the key's **ASCII hex** (`binascii.hexlify(key)`), one byte per
  nibble. Slicing, comparing and prefix tests are then single C-level operations, and
  ASCII order of hex digits equals nibble order, so hex paths sort like the keys.
* A child reference is plain bytes: exactly 32 bytes is a node hash, fewer is the inline
  encoding of the child (inline iff the encoding is < 32 bytes, so length decides).
* `Node.value` holds the inline value, or the 32-byte value hash when `hashed` is true
  (LayoutV1 values of 33 bytes or more live in separate "value nodes").
"""

from __future__ import annotations

from binascii import hexlify, unhexlify
from typing import Union

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import ScaleDecodeError, decode_compact, encode_compact


class TrieDecodeError(ValueError):
    """Bytes that are not a valid sp-trie node encoding."""

__all__ = [
    "EMPTY_NODE",
    "EMPTY_ROOT",
    "HASH_LEN",
    "MAX_INLINE_VALUE",
    "ChildRef",
    "Node",
    "TrieDecodeError",
    "child_ref",
    "decode_node",
    "encode_node",
    "hexlify",
    "nibble_index",
    "unhexlify",
    "value_payload",
]

HASH_LEN = 32
#: LayoutV1 stores values longer than this as value nodes (`TRIE_VALUE_NODE_THRESHOLD = 33`).
MAX_INLINE_VALUE = 32
#: Encoding of the empty trie, and its root.
EMPTY_NODE = b"\x00"
EMPTY_ROOT = blake2_256(EMPTY_NODE)

# Header kinds: (prefix bits, size-field mask).
LEAF = 0x40
BRANCH = 0x80
BRANCH_VALUE = 0xC0
HASHED_LEAF = 0x20
HASHED_BRANCH = 0x10
_MASK = {LEAF: 63, BRANCH: 63, BRANCH_VALUE: 63, HASHED_LEAF: 31, HASHED_BRANCH: 15}
_MAX_NIBBLES = 65535

#: ASCII hex digit (as an int) -> nibble value, and nibble value -> ASCII hex digit.
NIBBLE = {c: int(chr(c), 16) for c in b"0123456789abcdef"}
HEXDIGIT = tuple(bytes((c,)) for c in b"0123456789abcdef")

# Compact length prefixes for the lengths that occur in nodes, built with the shared
# SCALE encoder (a lookup beats a call on this hot path).
_COMPACT = tuple(encode_compact(n) for n in range(1 << 12))


def compact_len(n: int) -> bytes:
    return _COMPACT[n] if n < 4096 else encode_compact(n)


def _make_header(kind: int, n: int) -> bytes:
    mask = _MASK[kind]
    if n < mask:
        return bytes((kind | n,))
    if n > _MAX_NIBBLES:
        raise ValueError(f"partial key of {n} nibbles exceeds the codec limit of {_MAX_NIBBLES}")
    out = bytearray((kind | mask,))
    rem = n - mask
    while rem >= 255:
        out.append(255)
        rem -= 255
    out.append(rem)
    return bytes(out)


# Headers for partial keys up to 1023 nibbles (512-byte keys), per kind.
_HEADERS = {kind: tuple(_make_header(kind, n) for n in range(1024)) for kind in _MASK}
LEAF_HDR = _HEADERS[LEAF]
HASHED_LEAF_HDR = _HEADERS[HASHED_LEAF]
BRANCH_HDR = _HEADERS[BRANCH]
BRANCH_VALUE_HDR = _HEADERS[BRANCH_VALUE]
HASHED_BRANCH_HDR = _HEADERS[HASHED_BRANCH]


def header(kind: int, n: int) -> bytes:
    return _HEADERS[kind][n] if n < 1024 else _make_header(kind, n)


def partial_bytes(path: bytes) -> bytes:
    """Pack ASCII-hex nibbles; an odd count is left-padded with a zero nibble."""
    return unhexlify(b"0" + path) if len(path) & 1 else unhexlify(path)


def nibble_index(digit: int) -> int:
    return NIBBLE[digit]


ChildRef = Union[bytes, "Node", None]


class Node:
    """A decoded trie node. `children` is None for a leaf, else a list of 16 refs.

    Nodes returned by `decode_node` may be shared through caches: treat them as
    immutable and `copy()` before changing them.
    """

    __slots__ = ("children", "hashed", "partial", "value")

    def __init__(self, partial: bytes, value: bytes | None, hashed: bool,
                 children: list[ChildRef] | None) -> None:
        self.partial = partial
        self.value = value
        self.hashed = hashed
        self.children = children

    def copy(self) -> Node:
        return Node(self.partial, self.value, self.hashed,
                    None if self.children is None else list(self.children))

    def __repr__(self) -> str:
        kids = "" if self.children is None else \
            "".join(HEXDIGIT[i].decode() for i, c in enumerate(self.children) if c is not None)
        return f"Node(partial={self.partial.decode()!r}, value={self.value!r}, hashed={self.hashed}, children={kids!r})"


def value_payload(value: bytes, state_version: int) -> tuple[bytes, bool]:
    """(payload, hashed) for a new value under a layout: V1 hashes values over 32 bytes."""
    if state_version and len(value) > MAX_INLINE_VALUE:
        return blake2_256(value), True
    return value, False


def child_ref(enc: bytes, sink: dict[bytes, bytes] | None) -> bytes:
    """The reference a parent holds for a child encoding: inline if < 32 bytes, else its hash."""
    if len(enc) < HASH_LEN:
        return enc
    h = blake2_256(enc)
    if sink is not None:
        sink[h] = enc
    return h


def encode_node(node: Node | None, sink: dict[bytes, bytes] | None = None) -> bytes:
    """Encode a node; `Node` children are encoded first and hashed ones added to `sink`."""
    if node is None:
        return EMPTY_NODE
    partial = node.partial
    n = len(partial)
    pk = unhexlify(b"0" + partial) if n & 1 else unhexlify(partial)
    value = node.value
    children = node.children
    if children is None or not any(c is not None for c in children):
        if value is None:
            raise ValueError("a trie node needs a value or at least one child")
        if node.hashed:
            return header(HASHED_LEAF, n) + pk + value
        return header(LEAF, n) + pk + compact_len(len(value)) + value
    if value is None:
        parts = [header(BRANCH, n), pk, b""]
    elif node.hashed:
        parts = [header(HASHED_BRANCH, n), pk, b"", value]
    else:
        parts = [header(BRANCH_VALUE, n), pk, b"", compact_len(len(value)), value]
    bitmap = 0
    append = parts.append
    for i, ch in enumerate(children):
        if ch is None:
            continue
        bitmap |= 1 << i
        if ch.__class__ is Node:
            ch = child_ref(encode_node(ch, sink), sink)
        append(_COMPACT[len(ch)])
        append(ch)
    parts[2] = bitmap.to_bytes(2, "little")
    return b"".join(parts)


def decode_node(enc: bytes) -> Node | None:
    """Decode one node encoding (None for the empty trie). Raises `TrieDecodeError`."""
    try:
        return _decode(enc)
    except (IndexError, ScaleDecodeError) as e:
        raise TrieDecodeError(f"truncated or malformed trie node ({len(enc)} bytes): {e}") from None


def _decode(enc: bytes) -> Node | None:
    first = enc[0]
    kind = first & 0xC0
    if kind:
        mask = 63
        has_value = kind != BRANCH
        is_branch = kind != LEAF
        hashed = False
    elif first & 0x20:
        kind, mask, has_value, is_branch, hashed = HASHED_LEAF, 31, True, False, True
    elif first & 0x10:
        kind, mask, has_value, is_branch, hashed = HASHED_BRANCH, 15, True, True, True
    elif first == 0:
        if len(enc) != 1:
            raise TrieDecodeError("empty-trie node with trailing bytes")
        return None
    else:
        raise TrieDecodeError(f"invalid node header byte 0x{first:02x}")
    n = first & mask
    pos = 1
    if n == mask:
        while True:
            b = enc[pos]
            pos += 1
            n += b
            if b != 255:
                break
        if n > _MAX_NIBBLES:
            raise TrieDecodeError(f"partial key of {n} nibbles exceeds {_MAX_NIBBLES}")
    end = pos + (n + 1) // 2
    if end > len(enc):
        raise TrieDecodeError("partial key runs past the end of the node")
    partial = hexlify(enc[pos:end])
    if n & 1:
        if partial[0] != 0x30:
            raise TrieDecodeError("non-zero padding nibble in an odd-length partial key")
        partial = partial[1:]
    pos = end
    if is_branch:
        bitmap = enc[pos] | (enc[pos + 1] << 8)
        pos += 2
        if bitmap == 0:
            raise TrieDecodeError("branch node without children")
    value: bytes | None = None
    if has_value:
        if hashed:
            value = enc[pos:pos + HASH_LEN]
            pos += HASH_LEN
            if len(value) != HASH_LEN:
                raise TrieDecodeError("value hash runs past the end of the node")
        else:
            b = enc[pos]
            if b & 3 == 0:
                ln, pos = b >> 2, pos + 1
            else:
                ln, pos = decode_compact(enc, pos)
            value = enc[pos:pos + ln]
            pos += ln
            if len(value) != ln:
                raise TrieDecodeError("value runs past the end of the node")
    children: list[ChildRef] | None = None
    if is_branch:
        children = [None] * 16
        bm = bitmap
        while bm:
            low = bm & -bm
            bm ^= low
            b = enc[pos]
            if b == 0x80:
                ref = enc[pos + 1:pos + 33]
                pos += 33
            elif b & 3 == 0 and b < 0x80:
                ref = enc[pos + 1:pos + 1 + (b >> 2)]
                pos += 1 + (b >> 2)
            else:
                raise TrieDecodeError(f"invalid child reference length prefix 0x{b:02x}")
            if not ref or len(ref) != (b >> 2):
                raise TrieDecodeError("child reference runs past the end of the node")
            children[low.bit_length() - 1] = ref
    if pos != len(enc):
        raise TrieDecodeError(f"{len(enc) - pos} trailing bytes after the node")
    return Node(partial, value, hashed, children)
