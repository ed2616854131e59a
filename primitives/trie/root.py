"""Merkle roots of the Substrate base-16 trie (sp-trie LayoutV0 / LayoutV1).

`trie_root` builds the canonical trie of a whole key set in one pass: the keys are sorted
once, turned into ASCII-hex nibble paths, and each node is produced from an index range
of that sorted list (longest common prefix of the range's first and last key = the
node's partial key; children found by bisecting on the next nibble). No per-nibble node
objects are created, so 100k entries take a fraction of a second.

The node codec itself lives in `codec.py` and is re-exported here. This is sp-trie, a
primitive: the runtime computes extrinsics roots with it and the node's state backend
builds on it (`node.state.trie` is the node-facing name of the same functions).
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import encode_compact

from .codec import (
    _COMPACT,
    EMPTY_NODE,
    EMPTY_ROOT,
    HASH_LEN,
    MAX_INLINE_VALUE,
    NIBBLE,
    Node,
    decode_node,
    encode_node,
    header,
    hexlify,
    unhexlify,
)
from .codec import BRANCH as _BRANCH
from .codec import BRANCH_VALUE as _BRANCH_VALUE
from .codec import HASHED_BRANCH as _HASHED_BRANCH
from .codec import HASHED_LEAF as _HASHED_LEAF
from .codec import LEAF as _LEAF
from .sorted import sorted_trie_root

__all__ = [
    "CHILD_STORAGE_DEFAULT_PREFIX",
    "CHILD_STORAGE_PREFIX",
    "EMPTY_NODE",
    "EMPTY_ROOT",
    "MAX_INLINE_VALUE",
    "Node",
    "build_trie",
    "check_state_version",
    "child_storage_key",
    "collect_items",
    "decode_node",
    "encode_node",
    "ordered_trie_root",
    "sorted_trie_root",
    "trie_root",
    "trie_root_with_children",
]

#: Top-trie key prefix under which a default child trie's root is stored.
CHILD_STORAGE_DEFAULT_PREFIX = b":child_storage:default:"
#: All keys under this prefix are reserved for child tries (never written directly).
CHILD_STORAGE_PREFIX = b":child_storage:"

_NEXT_DIGIT = {c: bytes((c + 1,)) for c in b"012345678abcde"} | {ord("9"): b"a"}
_BIT = {c: 1 << n for c, n in NIBBLE.items()}


def check_state_version(state_version: object) -> int:
    """Return the state version if it is 0 or 1 (LayoutV0 / LayoutV1), else raise."""
    if state_version.__class__ is not int or state_version not in (0, 1):
        raise ValueError(f"state_version must be 0 or 1, got {state_version!r}")
    return state_version  # type: ignore[return-value]


def child_storage_key(child_key: bytes) -> bytes:
    """Top-trie key holding the root of the default child trie `child_key`."""
    return CHILD_STORAGE_DEFAULT_PREFIX + child_key


def collect_items(items: Iterable[tuple[bytes, bytes]] | Mapping[bytes, bytes], what: str = "item",
                  allow_delete: bool = False) -> dict[bytes, bytes]:
    """Validate (key, value) pairs into a dict; for duplicate keys the last one wins.

    Keys and values must be `bytes` (not str, not bytearray): a TypeError names the
    offending item. With `allow_delete`, a value of None is kept (meaning "delete").
    """
    pairs = items.items() if isinstance(items, Mapping) else items
    out: dict[bytes, bytes] = {}
    for n, pair in enumerate(pairs):
        try:
            key, value = pair
        except (TypeError, ValueError):
            raise TypeError(f"{what} #{n} must be a (key, value) pair, got {type(pair).__name__}") from None
        if key.__class__ is not bytes:
            raise TypeError(f"{what} #{n}: key must be bytes, got {type(key).__name__} ({key!r:.60})")
        if value.__class__ is not bytes and not (allow_delete and value is None):
            raise TypeError(f"{what} #{n} (key 0x{key.hex():.80}): value must be bytes"
                            f"{' or None' if allow_delete else ''}, got {type(value).__name__}")
        out[key] = value
    return out


@contextmanager
def recursion_room(depth: int) -> Iterator[None]:
    """Make sure `depth` nested Python calls fit (only very long, deeply nested keys need it).

    Builders recurse once per branch level, which is bounded by the key length in
    nibbles; pure-Python recursion does not grow the C stack on CPython 3.11+.
    """
    limit = sys.getrecursionlimit()
    if depth + 200 <= limit:
        yield
        return
    sys.setrecursionlimit(depth + 200)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def prepare_values(values: list[bytes], state_version: int,
                   sink: dict[bytes, bytes] | None) -> tuple[list[bytes], list[bool]]:
    """Node payloads for values: V1 replaces values over 32 bytes by their hash (value nodes)."""
    if not state_version:
        return values, [False] * len(values)
    payloads = []
    hashed = []
    for v in values:
        if len(v) > MAX_INLINE_VALUE:
            h = blake2_256(v)
            if sink is not None:
                sink[h] = v
            payloads.append(h)
            hashed.append(True)
        else:
            payloads.append(v)
            hashed.append(False)
    return payloads, hashed


def build_encoding(paths: list[bytes], payloads: list[bytes], hashed: list[bool], lo: int, hi: int,
                   depth: int, sink: dict[bytes, bytes] | None) -> bytes:
    """Encoding of the canonical node holding `paths[lo:hi]` (sorted, distinct ASCII-hex
    nibble paths sharing their first `depth` nibbles), whose partial key starts at `depth`.

    Children of 32 bytes or more are hashed; their encodings go to `sink` if given.
    """
    leaf_hdr = header
    compact = _COMPACT

    def leaf(i: int, d: int) -> bytes:
        p = paths[i][d:]
        n = len(p)
        pk = unhexlify(b"0" + p) if n & 1 else unhexlify(p)
        v = payloads[i]
        if hashed[i]:
            return leaf_hdr(_HASHED_LEAF, n) + pk + v
        return leaf_hdr(_LEAF, n) + pk + (compact[len(v)] if len(v) < 4096 else encode_compact(len(v))) + v

    def build(lo: int, hi: int, d: int) -> bytes:
        a = paths[lo]
        b = paths[hi - 1]
        n = min(len(a), len(b))
        x = int.from_bytes(a[d:n], "big") ^ int.from_bytes(b[d:n], "big")
        e = n - 1 - ((x.bit_length() - 1) >> 3) if x else n
        partial = a[d:e]
        plen = e - d
        pk = unhexlify(b"0" + partial) if plen & 1 else unhexlify(partial)
        if len(a) == e:  # the first key ends here: it is the branch value
            v = payloads[lo]
            if hashed[lo]:
                parts = [leaf_hdr(_HASHED_BRANCH, plen), pk, b"", v]
            else:
                parts = [leaf_hdr(_BRANCH_VALUE, plen), pk, b"",
                         compact[len(v)] if len(v) < 4096 else encode_compact(len(v)), v]
            lo += 1
        else:
            parts = [leaf_hdr(_BRANCH, plen), pk, b""]
        append = parts.append
        last = b[e]
        bitmap = 0
        i = lo
        while i < hi:
            s = paths[i]
            c = s[e]
            j = hi if c == last else bisect_left(paths, s[:e] + _NEXT_DIGIT[c], i, hi)
            enc = leaf(i, e + 1) if j - i == 1 else build(i, j, e + 1)
            if len(enc) < HASH_LEN:
                append(compact[len(enc)])
                append(enc)
            else:
                h = blake2_256(enc)
                if sink is not None:
                    sink[h] = enc
                append(b"\x80")
                append(h)
            bitmap |= _BIT[c]
            i = j
        parts[2] = bitmap.to_bytes(2, "little")
        return b"".join(parts)

    if hi - lo == 1:
        return leaf(lo, depth)
    with recursion_room(max(len(paths[lo]), len(paths[hi - 1])) - depth):
        return build(lo, hi, depth)


def build_trie(items: Mapping[bytes, bytes], state_version: int,
               sink: dict[bytes, bytes] | None = None) -> bytes:
    """Root of the trie of validated `items`; with `sink`, every hashed node, the root and
    (V1) every value node are added to it by hash (what a node database stores)."""
    if not items:
        if sink is not None:
            sink[EMPTY_ROOT] = EMPTY_NODE
        return EMPTY_ROOT
    keys = sorted(items)
    paths = list(map(hexlify, keys))
    payloads, hashed = prepare_values([items[k] for k in keys], state_version, sink)
    enc = build_encoding(paths, payloads, hashed, 0, len(paths), 0, sink)
    root = blake2_256(enc)  # the root is always hashed, even when shorter than 32 bytes
    if sink is not None:
        sink[root] = enc
    return root


def trie_root(items: Iterable[tuple[bytes, bytes]] | Mapping[bytes, bytes], state_version: int) -> bytes:
    """Substrate trie root (blake2-256) of (key, value) pairs; order is irrelevant.

    If a key appears more than once, the last pair wins (as successive storage writes).
    `state_version` 0 = LayoutV0, 1 = LayoutV1 (values over 32 bytes hashed).
    """
    check_state_version(state_version)
    return build_trie(collect_items(items), state_version)


def ordered_trie_root(values: Iterable[bytes], state_version: int) -> bytes:
    """Root of the trie keyed by SCALE compact index (the extrinsics root of a block body)."""
    check_state_version(state_version)
    items = []
    for i, v in enumerate(values):
        if v.__class__ is not bytes:
            raise TypeError(f"ordered_trie_root: value #{i} must be bytes, got {type(v).__name__}")
        items.append((encode_compact(i), v))
    return build_trie(dict(items), state_version)


def with_child_roots(top: Mapping[bytes, bytes], children: Mapping[bytes, Mapping[bytes, bytes]],
                     state_version: int, sink: dict[bytes, bytes] | None = None
                     ) -> tuple[dict[bytes, bytes], dict[bytes, dict[bytes, bytes]]]:
    """Validate top + default child tries and put each non-empty child's root (raw 32 bytes)
    into the top items under `:child_storage:default:<child key>`; empty children are omitted.

    Returns (top items incl. child roots, validated children without empty ones).
    """
    out = collect_items(top, "top item")
    for key in out:
        if key.startswith(CHILD_STORAGE_PREFIX):
            raise ValueError(f"top key 0x{key.hex()} is under the reserved ':child_storage:' prefix; "
                             "pass child trie contents through `children`")
    kids: dict[bytes, dict[bytes, bytes]] = {}
    if isinstance(children, Mapping):
        child_pairs = children.items()
    else:
        raise TypeError(f"children must be a mapping of child key -> items, got {type(children).__name__}")
    for child_key, entries in child_pairs:
        if child_key.__class__ is not bytes:
            raise TypeError(f"child trie key must be bytes, got {type(child_key).__name__}")
        items = collect_items(entries, f"child 0x{child_key.hex():.40} item")
        if not items:
            continue
        out[child_storage_key(child_key)] = build_trie(items, state_version, sink)
        kids[child_key] = items
    return out, kids


def trie_root_with_children(top: Iterable[tuple[bytes, bytes]] | Mapping[bytes, bytes],
                            children: Mapping[bytes, Iterable[tuple[bytes, bytes]] | Mapping[bytes, bytes]],
                            state_version: int) -> bytes:
    """State root of top storage plus default child tries (keys are unprefixed child keys).

    Top items must not contain `:child_storage:` keys themselves: each child root is
    computed and stored raw under `:child_storage:default:<child key>`, and empty child
    tries are left out, as Substrate does.
    """
    check_state_version(state_version)
    items, _ = with_child_roots(top, children, state_version)  # type: ignore[arg-type]
    return build_trie(items, state_version)
