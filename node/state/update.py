"""Incremental trie update: apply a batch of writes/deletes to a stored trie.

Only the nodes on the paths of the changed keys are loaded (plus, when a delete leaves a
branch with a single child and no value, that one child, to merge it up). Changed nodes
are re-encoded bottom-up; untouched subtrees keep their references, so a commit costs
O(changes x depth), never a rebuild. Subtrees that did not exist before are produced by
the same range builder as `trie_root`.

Values keep the form they were stored in until they are rewritten (a V0-inline long value
stays inline under a V1 commit), which is how Substrate migrates V0 -> V1 lazily.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.trie.codec import (
    EMPTY_NODE,
    EMPTY_ROOT,
    HASH_LEN,
    HEXDIGIT,
    NIBBLE,
    ChildRef,
    Node,
    child_ref,
    decode_node,
    encode_node,
    hexlify,
)
from pysubtensor.primitives.trie.root import _NEXT_DIGIT, build_encoding, prepare_values, recursion_room

from .errors import StateCorruptError, TrieDecodeError
from .walk import NodeSource

__all__ = ["update_trie"]


def _lcp(a: bytes, b: bytes) -> int:
    """Length of the common prefix of two byte strings (here: ASCII-hex nibble paths)."""
    n = min(len(a), len(b))
    x = int.from_bytes(a[:n], "big") ^ int.from_bytes(b[:n], "big")
    return n - 1 - ((x.bit_length() - 1) >> 3) if x else n


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector. An update allocates thousands of small node
    objects (which never form cycles); in a process holding millions of objects, a
    full collection triggered in the middle would otherwise double a commit's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def update_trie(root: bytes, changes: Mapping[bytes, bytes | None], state_version: int,
                node_at: NodeSource, sink: dict[bytes, bytes]) -> bytes:
    """Return the root after applying `changes` (None = delete) to the trie at `root`.

    New node encodings (and V1 value nodes) are added to `sink` by hash; `node_at`
    reads existing nodes (shared, so they are copied before being changed; it is
    consulted after `sink`, so fresh subtrees can be re-read).
    """
    if not changes:
        return root
    keys = sorted(changes)
    paths = list(map(hexlify, keys))
    vals = [changes[k] for k in keys]
    payloads, hashed = prepare_values([b"" if v is None else v for v in vals], state_version, sink)

    def fetch(ref: bytes) -> Node:
        """A private, mutable copy of the node behind a child reference."""
        enc = ref if len(ref) < HASH_LEN else sink.get(ref)
        try:
            if enc is not None:
                node = decode_node(enc)
            else:
                node = node_at(ref)
                if node is not None:
                    node = node.copy()
        except TrieDecodeError as e:
            raise StateCorruptError(f"trie node 0x{ref.hex()} does not decode: {e}") from None
        if node is None:
            raise StateCorruptError(f"empty-trie node referenced as a child (0x{ref.hex()})")
        return node

    def fresh(lo: int, hi: int, depth: int) -> bytes | None:
        idx = [i for i in range(lo, hi) if vals[i] is not None]
        if not idx:
            return None
        if len(idx) == hi - lo:
            enc = build_encoding(paths, payloads, hashed, lo, hi, depth, sink)
        else:
            enc = build_encoding([paths[i] for i in idx], [payloads[i] for i in idx],
                                 [hashed[i] for i in idx], 0, len(idx), depth, sink)
        return child_ref(enc, sink)

    def update(ref: ChildRef, lo: int, hi: int, depth: int) -> ChildRef:
        if ref is None:
            return fresh(lo, hi, depth)
        node = ref if ref.__class__ is Node else fetch(ref)  # type: ignore[arg-type]
        p = node.partial
        plen = len(p)
        first = paths[lo][depth:depth + plen]
        last = paths[hi - 1][depth:depth + plen]
        if first != p or last != p:
            # Some changed key leaves this node's partial key: split it there. The
            # canonicalisation below undoes the split if it turns out not to be needed.
            cut = min(_lcp(first, p), _lcp(last, p))
            node.partial = p[cut + 1:]
            children: list[ChildRef] = [None] * 16
            children[NIBBLE[p[cut]]] = node
            node = Node(p[:cut], None, False, children)
            plen = cut
        end = depth + plen
        i = lo
        if len(paths[i]) == end:  # sorted: a key ending at this node comes first
            if vals[i] is None:
                node.value = None
                node.hashed = False
            else:
                node.value = payloads[i]
                node.hashed = hashed[i]
            i += 1
        if i < hi:
            kids = node.children
            if kids is None:
                kids = node.children = [None] * 16
            top = paths[hi - 1][end]
            while i < hi:
                s = paths[i]
                c = s[end]
                j = hi if c == top else bisect_left(paths, s[:end] + _NEXT_DIGIT[c], i, hi)
                k = NIBBLE[c]
                kids[k] = update(kids[k], i, j, end + 1)
                i = j
        return canonical(node)

    def canonical(node: Node) -> Node | None:
        kids = node.children
        if kids is not None:
            live = [k for k, c in enumerate(kids) if c is not None]
            if not live:
                node.children = None
            elif len(live) == 1 and node.value is None:
                # A branch with one child and no value cannot exist: merge the child up.
                k = live[0]
                ch = kids[k]
                child = ch if ch.__class__ is Node else fetch(ch)  # type: ignore[arg-type]
                child.partial = node.partial + HEXDIGIT[k] + child.partial
                return child
        if node.value is None and node.children is None:
            return None
        return node

    with recursion_room(max(map(len, paths)) + 2), _gc_paused():
        new = update(None if root == EMPTY_ROOT else root, 0, len(paths), 0)
    if new is None:
        sink[EMPTY_ROOT] = EMPTY_NODE
        return EMPTY_ROOT
    if new.__class__ is Node:
        with _gc_paused():
            enc = encode_node(new, sink)  # type: ignore[arg-type]
    elif len(new) == HASH_LEN:  # type: ignore[arg-type]
        return new  # type: ignore[return-value]  # a fresh subtree, already in sink
    else:
        enc = new  # type: ignore[assignment]  # fresh, inline-sized: the root is hashed anyway
    new_root = blake2_256(enc)
    sink[new_root] = enc
    return new_root
