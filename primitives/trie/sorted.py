"""The trie root of entries that arrive in ascending key order (a large genesis, streamed).

`SortedTrieBuilder` takes the entries in chunks (`feed(paths, values)`, lists of ASCII-hex
nibble paths and values) and keeps only the open branches of the path walked so far, on a
stack: memory is bounded by the key length, not by the number of entries. When the next path
arrives, its common prefix with the previous one (`lcp`) says where the previous entry hangs
(under the deepest open branch, or as the value of a new branch at `lcp` when it is a prefix of
the next path) and which branches are complete: every open branch deeper than `lcp` is encoded
and becomes a child of the branch below it (a new one at `lcp` when the paths part between two
open branches). Encodings of 32 bytes or more are referenced by their blake2-256 and collected
with the value nodes (V1) in `nodes`, as (hash, encoding), for the caller to store.

It produces `build_trie`'s nodes and root (tests/unit/test_trie_sorted.py compares them), with
less Python per entry: a leaf is encoded inline (header table, packed partial key, value or
value hash), a branch collects its children's references in order (the stream visits them in
nibble order), so its encoding is one `bytes.join`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from hashlib import blake2b
from itertools import islice

from .codec import (
    _COMPACT,
    BRANCH,
    BRANCH_VALUE,
    EMPTY_NODE,
    EMPTY_ROOT,
    HASH_LEN,
    HASHED_BRANCH,
    HASHED_LEAF,
    LEAF,
    MAX_INLINE_VALUE,
    NIBBLE,
    compact_len,
    header,
    unhexlify,
)

__all__ = ["SortedTrieBuilder", "sorted_trie_root"]

#: Child bit of each ASCII-hex digit in a branch's bitmap.
_BIT = {c: 1 << n for c, n in NIBBLE.items()}
_LEAF_HDR = tuple(header(LEAF, n) for n in range(1024))
_HASHED_LEAF_HDR = tuple(header(HASHED_LEAF, n) for n in range(1024))
_BRANCH_HDR = tuple(header(BRANCH, n) for n in range(1024))


class _Frame:
    """An open branch: its depth (nibbles from the root), the path prefix it sits at, the
    child references gathered so far (compact length + reference, in nibble order) and the
    bitmap of those children, and its value payload (None for none) with `hashed`."""

    __slots__ = ("bitmap", "depth", "hashed", "prefix", "refs", "value")

    def __init__(self, depth: int, prefix: bytes) -> None:
        self.depth = depth
        self.prefix = prefix
        self.refs: list[bytes] = []
        self.bitmap = 0
        self.value: bytes | None = None
        self.hashed = False


class SortedTrieBuilder:
    """The trie of (ASCII-hex path, value) entries fed in strictly ascending path order.

    `nodes` (if not None) receives (hash, encoding) of every hashed node, value node (V1) and,
    from `finish`, the root: the caller drains it between `feed` calls. A value node repeated
    by consecutive equal values is emitted once per run (content-addressed: storing it again
    changes nothing).
    """

    def __init__(self, state_version: int, nodes: list[tuple[bytes, bytes]] | None = None) -> None:
        self.state_version = state_version
        self.nodes = nodes
        self.count = 0
        self._stack: list[_Frame] = []
        self._prev: bytes | None = None
        self._prev_value = b""
        self._last_value: bytes | None = None
        self._last_hash = b""

    # -- pieces ---------------------------------------------------------------------------

    def _payload(self, value: bytes) -> tuple[bytes, bool]:
        if self.state_version and len(value) > MAX_INLINE_VALUE:
            if value == self._last_value:
                return self._last_hash, True
            h = blake2b(value, digest_size=32).digest()
            if self.nodes is not None:
                self.nodes.append((h, value))
            self._last_value, self._last_hash = value, h
            return h, True
        return value, False

    def _ref(self, enc: bytes) -> bytes:
        if len(enc) < HASH_LEN:
            return _COMPACT[len(enc)] + enc
        h = blake2b(enc, digest_size=32).digest()
        if self.nodes is not None:
            self.nodes.append((h, enc))
        return b"\x80" + h

    def _branch(self, frame: _Frame, partial: bytes) -> bytes:
        n = len(partial)
        pk = unhexlify(b"0" + partial) if n & 1 else unhexlify(partial)
        bitmap = frame.bitmap.to_bytes(2, "little")
        v = frame.value
        if v is None:
            return b"".join((header(BRANCH, n), pk, bitmap, *frame.refs))
        if frame.hashed:
            return b"".join((header(HASHED_BRANCH, n), pk, bitmap, v, *frame.refs))
        return b"".join((header(BRANCH_VALUE, n), pk, bitmap, compact_len(len(v)), v, *frame.refs))

    def _leaf(self, path: bytes, value: bytes, depth: int) -> bytes:
        """Encoding of the leaf of `path` whose partial key starts at nibble `depth`."""
        p = path[depth:]
        n = len(p)
        pk = unhexlify(b"0" + p) if n & 1 else unhexlify(p)
        v, hashed = self._payload(value)
        if hashed:
            return (_HASHED_LEAF_HDR[n] if n < 1024 else header(HASHED_LEAF, n)) + pk + v
        return (_LEAF_HDR[n] if n < 1024 else header(LEAF, n)) + pk + compact_len(len(v)) + v

    def _hang(self, frame: _Frame, path: bytes, value: bytes) -> None:
        """The entry `path` as a leaf child of the open branch `frame`."""
        d = frame.depth
        frame.bitmap |= _BIT[path[d]]
        frame.refs.append(self._ref(self._leaf(path, value, d + 1)))

    def _close_above(self, depth: int) -> None:
        """Encode every open branch deeper than `depth` into its parent (made at `depth` if no
        open branch is there)."""
        stack = self._stack
        emit = self.nodes.append if self.nodes is not None else None
        while stack and stack[-1].depth > depth:
            frame = stack.pop()
            below = stack[-1].depth if stack else -1
            if below < depth:
                stack.append(_Frame(depth, frame.prefix[:depth]))
                below = depth
            parent = stack[-1]
            prefix = frame.prefix
            parent.bitmap |= _BIT[prefix[below]]
            if frame.value is None:  # the common case, inline: a branch without a value
                partial = prefix[below + 1:frame.depth]
                n = len(partial)
                enc = b"".join((_BRANCH_HDR[n] if n < 1024 else header(BRANCH, n),
                                unhexlify(b"0" + partial) if n & 1 else unhexlify(partial),
                                frame.bitmap.to_bytes(2, "little"), *frame.refs))
            else:
                enc = self._branch(frame, prefix[below + 1:frame.depth])
            if len(enc) < HASH_LEN:
                parent.refs.append(_COMPACT[len(enc)] + enc)
            else:
                h = blake2b(enc, digest_size=32).digest()
                if emit is not None:
                    emit((h, enc))
                parent.refs.append(b"\x80" + h)

    # -- the stream -----------------------------------------------------------------------

    def feed(self, paths: Sequence[bytes], values: Sequence[bytes]) -> None:
        """The next entries (paths strictly ascending, continuing the previous feed's).
        Raises ValueError if a path is not greater than the one before it."""
        stack = self._stack
        prev, prev_value = self._prev, self._prev_value
        nodes = self.nodes
        emit = nodes.append if nodes is not None else None
        hash_values = bool(self.state_version)
        last_value, last_hash = self._last_value, self._last_hash
        bits = _BIT
        leaf_hdr, hashed_leaf_hdr, compact = _LEAF_HDR, _HASHED_LEAF_HDR, _COMPACT
        from_bytes = int.from_bytes
        prev_int = from_bytes(prev, "big") if prev is not None else 0
        prev_len = len(prev) if prev is not None else -1
        self.count += len(paths)
        try:
            for path, value in zip(paths, values, strict=True):
                # The common prefix (in nibbles) with the previous path: from the highest
                # differing bit of the two as integers when they are as long (keys of one map).
                path_int = from_bytes(path, "big")
                n = len(path)
                if n == prev_len:
                    if path_int <= prev_int:
                        raise ValueError(f"trie items out of order: 0x{path.decode()[:80]} after "
                                         f"0x{prev.decode()[:80]}")  # type: ignore[union-attr]
                    lcp = n - 1 - (((path_int ^ prev_int).bit_length() - 1) >> 3)
                elif prev is None:
                    prev, prev_value, prev_int, prev_len = path, value, path_int, n
                    continue
                else:
                    if path <= prev:
                        raise ValueError(f"trie items out of order: 0x{path.decode()[:80]} after "
                                         f"0x{prev.decode()[:80]}")
                    k = min(prev_len, n)
                    x = from_bytes(prev[:k], "big") ^ from_bytes(path[:k], "big")
                    lcp = k - 1 - ((x.bit_length() - 1) >> 3) if x else k
                top = stack[-1] if stack else None
                if top is None or lcp > top.depth:  # the two part below every open branch: a branch at lcp
                    top = _Frame(lcp, path[:lcp])
                    stack.append(top)
                    if prev_len == lcp:  # the previous key ends there: the branch's value
                        self._last_value, self._last_hash = last_value, last_hash
                        top.value, top.hashed = self._payload(prev_value)
                        last_value, last_hash = self._last_value, self._last_hash
                        prev, prev_value, prev_int, prev_len = path, value, path_int, n
                        continue
                    closing = False
                else:
                    closing = lcp < top.depth
                # The previous entry: a leaf under `top` (its partial key after top's child nibble).
                d = top.depth
                p = prev[d + 1:]
                m = len(p)
                pk = unhexlify(b"0" + p) if m & 1 else unhexlify(p)
                if hash_values and len(prev_value) > MAX_INLINE_VALUE:
                    if prev_value != last_value:
                        last_hash = blake2b(prev_value, digest_size=32).digest()
                        last_value = prev_value
                        if emit is not None:
                            emit((last_hash, prev_value))
                    enc = (hashed_leaf_hdr[m] if m < 1024 else header(HASHED_LEAF, m)) + pk + last_hash
                    h = blake2b(enc, digest_size=32).digest()  # over 32 bytes: hashed
                    if emit is not None:
                        emit((h, enc))
                    top.refs.append(b"\x80" + h)
                else:
                    enc = ((leaf_hdr[m] if m < 1024 else header(LEAF, m)) + pk
                           + (compact[len(prev_value)] if len(prev_value) < 4096 else compact_len(len(prev_value)))
                           + prev_value)
                    if len(enc) < HASH_LEN:
                        top.refs.append(compact[len(enc)] + enc)
                    else:
                        h = blake2b(enc, digest_size=32).digest()
                        if emit is not None:
                            emit((h, enc))
                        top.refs.append(b"\x80" + h)
                top.bitmap |= bits[prev[d]]
                if closing:
                    self._close_above(lcp)
                prev, prev_value, prev_int, prev_len = path, value, path_int, n
        finally:
            self._prev, self._prev_value = prev, prev_value
            self._last_value, self._last_hash = last_value, last_hash

    def finish(self) -> bytes:
        """The root (always hashed, also when its encoding is shorter than 32 bytes)."""
        prev = self._prev
        if prev is None:
            if self.nodes is not None:
                self.nodes.append((EMPTY_ROOT, EMPTY_NODE))
            return EMPTY_ROOT
        stack = self._stack
        if stack:
            self._hang(stack[-1], prev, self._prev_value)
            self._close_above(stack[0].depth)
            frame = stack.pop()
            enc = self._branch(frame, frame.prefix)
        else:  # a single entry: the root is its leaf
            enc = self._leaf(prev, self._prev_value, 0)
        root = blake2b(enc, digest_size=32).digest()
        if self.nodes is not None:
            self.nodes.append((root, enc))
        self._prev = None
        return root


def sorted_trie_root(paths_and_values: Iterable[tuple[bytes, bytes]], state_version: int,
                     emit: Callable[[bytes, bytes], None] | None = None, chunk: int = 4096) -> bytes:
    """`build_trie`'s root over (ASCII-hex nibble path, value) pairs in strictly ascending
    order, each consumed once (a 1M-entry genesis is never held whole); `emit(hash, encoding)`
    receives every hashed node, value node (V1) and the root, as `build_trie`'s sink does.
    Raises ValueError if the paths are not strictly ascending."""
    nodes: list[tuple[bytes, bytes]] | None = [] if emit is not None else None
    builder = SortedTrieBuilder(state_version, nodes)
    it = iter(paths_and_values)
    while True:
        pairs = list(islice(it, chunk))
        if pairs:
            builder.feed([p for p, _ in pairs], [v for _, v in pairs])
        else:
            root = builder.finish()
        if nodes:
            for h, enc in nodes:
                emit(h, enc)  # type: ignore[misc]
            nodes.clear()
        if not pairs:
            return root
