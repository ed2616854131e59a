"""Reading a stored trie: point lookups, ordered iteration and the diff of two tries.

All functions take `node_at(hash) -> decoded node` and `value_at(hash) -> value bytes`
callables, so they work the same over the LevelDB node store (with its decoded-node
cache), an overlay of a pending commit, or a proof's node set (`recording` wraps a loader
to collect what a proof needs). Nibble paths are ASCII hex (see codec.py); none of these
functions recurse, so deep tries need no recursion-limit tricks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pysubtensor.primitives.trie.codec import (
    EMPTY_ROOT,
    HASH_LEN,
    HEXDIGIT,
    NIBBLE,
    Node,
    decode_node,
    hexlify,
    unhexlify,
)

__all__ = ["Loader", "NodeSource", "ValueSource", "diff_tries", "iter_trie", "lookup", "recording"]

#: hash -> stored bytes (node encoding or value); raises if missing.
Loader = Callable[[bytes], bytes]
#: hash -> decoded node (None for the empty trie); callers must not mutate the result.
NodeSource = Callable[[bytes], "Node | None"]
#: hash -> raw value of a V1 value node.
ValueSource = Callable[[bytes], bytes]


def recording(load: Loader, recorded: set[bytes]) -> tuple[NodeSource, ValueSource]:
    """Sources that decode what `load` returns and add every fetched encoding (nodes by
    hash, root included, and value nodes) to `recorded`: the nodes of a read proof."""

    def node_at(h: bytes) -> Node | None:
        enc = load(h)
        recorded.add(enc)
        return decode_node(enc)

    def value_at(h: bytes) -> bytes:
        value = load(h)
        recorded.add(value)
        return value

    return node_at, value_at


def _child(ref: bytes, node_at: NodeSource) -> Node | None:
    return node_at(ref) if len(ref) == HASH_LEN else decode_node(ref)


def lookup(root: bytes, key: bytes, node_at: NodeSource, value_at: ValueSource) -> bytes | None:
    """Value of `key` in the trie at `root`, or None."""
    path = hexlify(key)
    node = node_at(root)
    pos = 0
    end = len(path)
    while True:
        if node is None:
            return None
        partial = node.partial
        stop = pos + len(partial)
        if path[pos:stop] != partial:
            return None
        if stop == end:
            value = node.value
            if value is None or not node.hashed:
                return value
            return value_at(value)
        children = node.children
        if children is None:
            return None
        ref = children[NIBBLE[path[stop]]]
        if ref is None:
            return None
        pos = stop + 1
        node = node_at(ref) if len(ref) == HASH_LEN else decode_node(ref)


def iter_trie(root: bytes, node_at: NodeSource, value_at: ValueSource, prefix: bytes = b"",
              start: bytes | None = None, values: bool = True) -> Iterator[tuple[bytes, bytes | None]]:
    """(key, value) pairs of the trie at `root` in ascending key order.

    Only keys starting with `prefix` and, if `start` is given, strictly greater than
    `start` are produced; subtrees outside that range are never loaded. With
    `values=False` the value is None (and V1 value nodes are not read).
    """
    pfx = hexlify(prefix)
    plen = len(pfx)
    low = hexlify(start) if start is not None else None
    if root == EMPTY_ROOT:
        return
    stack: list[tuple[bytes, bytes]] = [(b"", root)]  # (path before partial, child ref)
    while stack:
        path, ref = stack.pop()
        node = _child(ref, node_at)
        if node is None:
            continue
        fp = path + node.partial
        n = len(fp)
        if fp[:plen] != pfx[:n]:
            continue  # not on the prefix
        if low is not None and fp < low and low[:n] != fp:
            continue  # the whole subtree sorts before `start`
        if node.value is not None and n >= plen and (low is None or fp > low):
            value = node.value
            if not values:
                value = None
            elif node.hashed:
                value = value_at(value)
            yield unhexlify(fp), value
        children = node.children
        if children is None:
            continue
        first = 0
        if low is not None and len(low) > n and low[:n] == fp:
            first = NIBBLE[low[n]]
        last = 15
        if plen > n:
            first = max(first, NIBBLE[pfx[n]])
            last = NIBBLE[pfx[n]]
        for k in range(last, first - 1, -1):
            ref = children[k]
            if ref is not None:
                stack.append((fp + HEXDIGIT[k], ref))


# Entries of the diff walk: (path, is_subtree, ref-or-payload, value-is-hashed).
_Entry = tuple[bytes, bool, bytes, bool]


def _expand(stack: list[_Entry], path: bytes, ref: bytes, node_at: NodeSource) -> None:
    node = _child(ref, node_at)
    if node is None:
        return
    fp = path + node.partial
    children = node.children
    if children is not None:
        for k in range(15, -1, -1):
            c = children[k]
            if c is not None:
                stack.append((fp + HEXDIGIT[k], True, c, False))
    if node.value is not None:
        stack.append((fp, False, node.value, node.hashed))


def diff_tries(old_root: bytes, new_root: bytes, node_at: NodeSource, value_at: ValueSource
               ) -> Iterator[tuple[bytes, bytes | None, bytes | None]]:
    """(key, old value, new value) for every key whose value differs, in key order.

    Both tries are walked in step as ordered streams of values and unexpanded
    subtrees; a subtree hanging at the same path with the same reference in both is
    skipped without loading it, so the cost follows the size of the difference.
    """
    if old_root == new_root:
        return
    a_stack: list[_Entry] = []
    b_stack: list[_Entry] = []
    if old_root != EMPTY_ROOT:
        a_stack.append((b"", True, old_root, False))
    if new_root != EMPTY_ROOT:
        b_stack.append((b"", True, new_root, False))

    def value(e: _Entry) -> bytes:
        return value_at(e[2]) if e[3] else e[2]

    while a_stack and b_stack:
        a = a_stack[-1]
        b = b_stack[-1]
        if a[1] and b[1]:
            if a[0] == b[0]:
                a_stack.pop()
                b_stack.pop()
                if a[2] != b[2]:
                    _expand(a_stack, a[0], a[2], node_at)
                    _expand(b_stack, b[0], b[2], node_at)
            elif a[0] < b[0]:
                a_stack.pop()
                _expand(a_stack, a[0], a[2], node_at)
            else:
                b_stack.pop()
                _expand(b_stack, b[0], b[2], node_at)
        elif a[1]:  # subtree vs value: open the subtree unless the value sorts first
            if a[0] <= b[0]:
                a_stack.pop()
                _expand(a_stack, a[0], a[2], node_at)
            else:
                b_stack.pop()
                yield unhexlify(b[0]), None, value(b)
        elif b[1]:
            if b[0] <= a[0]:
                b_stack.pop()
                _expand(b_stack, b[0], b[2], node_at)
            else:
                a_stack.pop()
                yield unhexlify(a[0]), value(a), None
        elif a[0] == b[0]:
            a_stack.pop()
            b_stack.pop()
            if a[2] != b[2] or a[3] != b[3]:
                va = value(a)
                vb = value(b)
                if va != vb:
                    yield unhexlify(a[0]), va, vb
        elif a[0] < b[0]:
            a_stack.pop()
            yield unhexlify(a[0]), value(a), None
        else:
            b_stack.pop()
            yield unhexlify(b[0]), None, value(b)
    while a_stack:
        a = a_stack.pop()
        if a[1]:
            _expand(a_stack, a[0], a[2], node_at)
        else:
            yield unhexlify(a[0]), value(a), None
    while b_stack:
        b = b_stack.pop()
        if b[1]:
            _expand(b_stack, b[0], b[2], node_at)
        else:
            yield unhexlify(b[0]), None, value(b)
