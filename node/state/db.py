"""`StateDB`: versioned Substrate state on LevelDB.

* Trie nodes (and V1 value nodes) are stored by hash and never deleted (archive), so any
  committed state root stays readable.
* The head state also has a flat index (key -> value), written in the same batch as the
  commit that moves the head, so head reads are one LevelDB get instead of a trie walk.
* A commit is computed incrementally (`apply`) and written atomically, optionally in the
  same batch as the chain database's block data (`write_batch` / `stage`).

Single writer: one task owns commits and head moves; readers use `view()` on the same
thread/event loop.
"""

from __future__ import annotations

import logging
import os
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from itertools import islice
from typing import Any, Protocol

import plyvel

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.trie.codec import EMPTY_NODE, EMPTY_ROOT, HASH_LEN, Node, decode_node, hexlify
from pysubtensor.primitives.trie.root import (
    CHILD_STORAGE_DEFAULT_PREFIX,
    CHILD_STORAGE_PREFIX,
    check_state_version,
    child_storage_key,
    collect_items,
    with_child_roots,
)
from pysubtensor.primitives.trie.sorted import SortedTrieBuilder

from .commit import PendingCommit, StagedCommit, StateWriteBatch
from .errors import (
    MissingNodeError,
    StateCorruptError,
    StateError,
    StateOpenError,
    TrieDecodeError,
    UnknownStateError,
)
from .store import KeyLayout, open_leveldb, translate_plyvel_error
from .update import update_trie
from .view import StateView
from .walk import Loader, NodeSource, diff_tries, iter_trie

__all__ = ["SortedStorage", "StateDB", "genesis_root"]

log = logging.getLogger(__name__)

_SCHEMA = b"\x01"
_MISSING = object()
_CHUNK = 50_000  # operations per batch when a rewrite is too big for one batch


def _check_root(root: object, what: str = "state root") -> bytes:
    if root.__class__ is not bytes or len(root) != HASH_LEN:  # type: ignore[arg-type]
        raise TypeError(f"{what} must be 32 bytes, got {root!r:.80}")
    return root  # type: ignore[return-value]


def _put_all(ops: list[tuple[bytes, bytes]], batch: Any) -> None:
    for key, value in ops:
        batch.put(key, value)


def _delete_all(keys: list[bytes], batch: Any) -> None:
    for key in keys:
        batch.delete(key)


#: Bounds of the two read caches, part of the node's memory budget (RSS < 150 MiB on a dev chain
#: over 100k blocks, the pool's validation worker included): LevelDB's block cache (C memory) and
#: the decoded trie nodes (~0.7 KiB each in Python: 16,384 were 11 MiB). Each block leaves new
#: nodes behind, so both fill to their bound on any chain; with 64 MiB and 100,000 nodes an idle
#: node grew from 69 to 219 MiB over 20k blocks. LevelDB reads its tables with pread
#: (node.state.table_reads) and keeps the blocks it read here; the node cache is what commits
#: walk. 4 MiB and 8,192: no block-building cost measured (README, "Memory, third pass").
LEVELDB_CACHE = 4 << 20
NODE_CACHE = 8192

class SortedStorage(Protocol):
    """Top storage that streams its entries in ascending key order, each time it is asked
    (a large raw chain spec read from its file: node.chain_spec's `StreamedTop`)."""

    def sorted_chunks(self) -> Iterator[tuple[list[bytes], list[bytes], list[bytes]]]:
        """(ASCII-hex nibble paths of the keys, keys, values) a chunk at a time, keys strictly
        ascending across chunks, no `:child_storage:` keys."""
        ...


Chunk = tuple[list[bytes], list[bytes], list[bytes]]
#: Entries per chunk when a mapping is streamed into the trie builder.
_MAP_CHUNK = 8192


def _chunks_of(items: Mapping[bytes, bytes]) -> Iterator[Chunk]:
    keys = sorted(items)
    for i in range(0, len(keys), _MAP_CHUNK):
        part = keys[i:i + _MAP_CHUNK]
        yield list(map(hexlify, part)), part, [items[k] for k in part]


def _merged(chunks: Iterable[Chunk], extra: list[tuple[bytes, bytes, bytes]]) -> Iterator[Chunk]:
    """`chunks` with a few more (path, key, value) entries merged in (sorted, none of their
    keys among the chunks')."""
    for paths, keys, values in chunks:
        if not paths:
            continue
        if extra and extra[0][0] < paths[-1]:
            n = bisect_left(extra, (paths[-1],))
            merged = sorted([*zip(paths, keys, values, strict=True), *extra[:n]])
            del extra[:n]
            paths, keys, values = (list(column) for column in zip(*merged, strict=True))
        yield paths, keys, values
    if extra:
        yield [p for p, _, _ in extra], [k for _, k, _ in extra], [v for _, _, v in extra]


def _genesis_chunks(top: Mapping[bytes, bytes] | Iterable[tuple[bytes, bytes]] | SortedStorage,
                    children: Mapping[bytes, Mapping[bytes, bytes]], state_version: int,
                    nodes: list[tuple[bytes, bytes]] | None
                    ) -> tuple[Iterator[Chunk], dict[bytes, dict[bytes, bytes]]]:
    """The top trie's entries in key order, in chunks (the child roots merged in; their nodes
    go to `nodes`), and the validated non-empty children."""
    sink: dict[bytes, bytes] | None = {} if nodes is not None else None
    sorted_chunks = getattr(top, "sorted_chunks", None)
    if sorted_chunks is None:  # a mapping or (key, value) pairs, in any order
        items, kids = with_child_roots(top, children, state_version, sink)  # type: ignore[arg-type]
        chunks = _chunks_of(items)
    else:
        roots, kids = with_child_roots({}, children, state_version, sink)
        chunks = _merged(sorted_chunks(), sorted((hexlify(k), k, v) for k, v in roots.items()))
    if nodes is not None and sink:
        nodes.extend(sink.items())
    return chunks, kids


def genesis_root(top: Mapping[bytes, bytes] | SortedStorage, children: Mapping[bytes, Mapping[bytes, bytes]],
                 state_version: int) -> bytes:
    """The state root of a genesis storage (`StateDB.build_genesis`'s, nothing stored); a
    `SortedStorage` is streamed, never held whole."""
    check_state_version(state_version)
    chunks, _ = _genesis_chunks(top, children, state_version, None)
    builder = SortedTrieBuilder(state_version)
    for paths, _, values in chunks:
        builder.feed(paths, values)
    return builder.finish()


class StateDB:
    """The state database. `source` is a directory path, a `plyvel.DB` or a prefixed DB.

    With a path the database is opened (created if missing and `create`) and owned:
    `close()` closes it. With a handle, the caller owns it and the chain database can
    use the same handle; `prefix` is then prepended to every key the state writes.
    """

    def __init__(self, source: str | os.PathLike[str] | Any, *, prefix: bytes = b"", create: bool = True,
                 cache_size: int = LEVELDB_CACHE, node_cache: int = NODE_CACHE, sync: bool = False) -> None:
        if isinstance(source, str | os.PathLike):
            self._db = open_leveldb(source, create=create, cache_size=cache_size)
            self._owned = True
            self._where = f"state database {os.fspath(source)}"
            base = b""
        elif isinstance(source, plyvel.DB):
            self._db, self._owned, base = source, False, b""
            self._where = f"state database {source.name}"
        elif hasattr(source, "prefix") and isinstance(getattr(source, "db", None), plyvel.DB):
            self._db, self._owned, base = source.db, False, source.prefix
            self._where = f"state database {source.db.name} (prefix {source.prefix!r})"
        else:
            raise TypeError(f"StateDB source must be a path, plyvel.DB or prefixed DB, got {type(source).__name__}")
        if prefix.__class__ is not bytes:
            raise TypeError("prefix must be bytes")
        self.keys = KeyLayout(base + prefix)
        self._flat_ns = self.keys.flat  # hot path of head reads
        self._sync = sync
        self._get = self._db.get
        self._head: bytes | None = None
        # Decoded nodes by hash for trie walks. Content-addressed, so never stale. An OrderedDict
        # because it evicts the oldest in O(1): a dict's `next(iter(d))` walks the slots its
        # earlier evictions emptied, 14 us per insert at 32,768 entries.
        self._node_cache: OrderedDict[bytes, Node | None] = OrderedDict()
        self._node_cache_size = node_cache
        try:
            self._open_checks()
        except BaseException:
            self.close()
            raise

    # -- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        if self._owned and not self._db.closed:
            self._db.close()

    def __enter__(self) -> StateDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> plyvel.DB:
        """The underlying (root) plyvel handle, for the chain database to share."""
        return self._db

    def _open_checks(self) -> None:
        k = self.keys
        schema = self._read(k.schema)
        if schema is not None and schema != _SCHEMA:
            raise StateOpenError(f"{self._where}: unsupported state schema {schema!r}")
        head = self._read(k.head)
        if head is None:
            if next(self._iter(k.roots, include_value=False), None) is not None:
                raise StateCorruptError(f"{self._where}: committed state roots are recorded but the head "
                                        "root is missing from the metadata")
            if schema is None:
                self._put_direct(k.schema, _SCHEMA)
            if self._read(k.flat_marker) is not None:
                # A first genesis was interrupted: drop its partial flat index.
                log.warning("%s: removing the flat index of an interrupted genesis", self._where)
                self._clear_flat()
                self._write(lambda batch: batch.delete(k.flat_marker))
            return
        if len(head) != HASH_LEN:
            raise StateCorruptError(f"{self._where}: head root in metadata is {len(head)} bytes, not 32")
        enc = EMPTY_NODE if head == EMPTY_ROOT else self._read(k.node + head)
        if enc is None:
            raise StateCorruptError(f"{self._where}: head state root 0x{head.hex()} has no trie node in the "
                                    "database (truncated or damaged)")
        if blake2_256(enc) != head:
            raise StateCorruptError(f"{self._where}: trie node stored under head root 0x{head.hex()} does "
                                    "not hash to it")
        try:
            decode_node(enc)
        except TrieDecodeError as e:
            raise StateCorruptError(f"{self._where}: head root node does not decode: {e}") from None
        if self._read(k.roots + head) is None:
            raise StateCorruptError(f"{self._where}: head root 0x{head.hex()} is not a committed root")
        self._head = head
        if self._read(k.flat_marker) != head:
            log.warning("%s: flat index does not match the head (interrupted rewrite); rebuilding", self._where)
            self._rebuild_flat()

    # -- raw access with error translation ----------------------------------------------

    def _read(self, key: bytes) -> bytes | None:
        try:
            return self._get(key)
        except plyvel.Error as e:
            raise translate_plyvel_error(e, self._where) from None
        except RuntimeError as e:  # plyvel raises RuntimeError on a closed database
            raise StateError(f"{self._where}: {e}") from None

    def _iter(self, prefix: bytes, **kw: Any) -> Iterator[Any]:
        try:
            yield from self._db.iterator(prefix=prefix, **kw)
        except plyvel.Error as e:
            raise translate_plyvel_error(e, self._where) from None

    def _put_direct(self, key: bytes, value: bytes) -> None:
        try:
            self._db.put(key, value, sync=self._sync)
        except plyvel.Error as e:
            raise translate_plyvel_error(e, self._where) from None

    def _write(self, fill: Callable[[Any], None]) -> None:
        """Fill one transactional batch and write it atomically."""
        try:
            with self._db.write_batch(transaction=True, sync=self._sync) as batch:
                fill(batch)
        except plyvel.Error as e:
            raise translate_plyvel_error(e, self._where) from None

    def load_node(self, h: bytes) -> bytes:
        """Encoding stored under a node or value hash (the empty root needs no storage)."""
        try:
            enc = self._get(self.keys.node + h)
        except plyvel.Error as e:
            raise translate_plyvel_error(e, self._where) from None
        if enc is None:
            if h == EMPTY_ROOT:
                return EMPTY_NODE
            raise MissingNodeError(f"{self._where}: trie node 0x{h.hex()} is missing")
        return enc

    def node_at(self, h: bytes) -> Node | None:
        """Decoded node stored under `h` (cached; callers must not mutate it)."""
        cache = self._node_cache
        node = cache.get(h, _MISSING)
        if node is _MISSING:
            enc = self.load_node(h)
            try:
                node = decode_node(enc)
            except TrieDecodeError as e:
                raise StateCorruptError(f"{self._where}: trie node 0x{h.hex()} does not decode: {e}") from None
            if self._node_cache_size > 0:
                if len(cache) >= self._node_cache_size:
                    cache.popitem(last=False)  # FIFO eviction: cheap; hot top nodes come back
                cache[h] = node
        return node  # type: ignore[return-value]

    # -- states ----------------------------------------------------------------------------

    @property
    def head_root(self) -> bytes | None:
        """Root of the head state (None before genesis)."""
        return self._head

    def has_state(self, root: bytes) -> bool:
        """True if `root` was committed here (the empty root always is)."""
        return root == EMPTY_ROOT or self._read(self.keys.roots + _check_root(root)) is not None

    def roots(self) -> list[bytes]:
        """All committed state roots, in byte order."""
        n = len(self.keys.roots)
        return [k[n:] for k in self._iter(self.keys.roots, include_value=False)]

    def _require(self, root: bytes) -> bytes:
        if not self.has_state(root):
            raise UnknownStateError(f"state root 0x{root.hex()} is not in the state database")
        return root

    def view(self, root: bytes | None = None) -> StateView:
        """Read access to the state at `root` (default: the head)."""
        if root is None:
            root = self._head if self._head is not None else EMPTY_ROOT
        return StateView(self, self._require(root))

    # -- computing a commit ----------------------------------------------------------------

    def apply(self, base_root: bytes, changes: Mapping[bytes, bytes | None],
              child_changes: Mapping[bytes, Mapping[bytes, bytes | None]] | None = None,
              state_version: int = 1) -> PendingCommit:
        """Compute the state after writing `changes` (None = delete) on top of `base_root`.

        Only nodes on the changed paths are read. A child trie left empty is removed
        together with its `:child_storage:default:` entry. Nothing is written: pass the
        result to `commit` or `stage`.
        """
        check_state_version(state_version)
        self._require(_check_root(base_root, "base_root"))
        top = collect_items(changes, "change", allow_delete=True)
        for key in top:
            if key.startswith(CHILD_STORAGE_PREFIX):
                raise ValueError(f"change to 0x{key.hex()}: keys under ':child_storage:' are reserved; "
                                 "write child tries through child_changes")
        sink: dict[bytes, bytes] = {}
        child_norm: dict[bytes, dict[bytes, bytes | None]] = {}
        child_roots: dict[bytes, bytes] = {}
        if child_changes:
            base = StateView(self, base_root)
            for child_key, entries in child_changes.items():
                if child_key.__class__ is not bytes:
                    raise TypeError(f"child trie key must be bytes, got {type(child_key).__name__}")
                items = collect_items(entries, f"child 0x{child_key.hex():.40} change", allow_delete=True)
                if not items:
                    continue
                old = base.child_root(child_key)
                new = update_trie(old if old is not None else EMPTY_ROOT, items, state_version,
                                  self.node_at, sink)
                child_norm[child_key] = items
                child_roots[child_key] = new
                top[child_storage_key(child_key)] = None if new == EMPTY_ROOT else new
        root = update_trie(base_root, top, state_version, self.node_at, sink)
        return PendingCommit(base_root, root, state_version, sink, top, child_norm, child_roots)

    # -- writing ---------------------------------------------------------------------------

    def write_batch(self) -> StateWriteBatch:
        """An atomic batch for state commits plus the caller's own keys (e.g. the block)."""
        return StateWriteBatch(self._db.write_batch(sync=self._sync), self._check_staged, self.finish)

    def stage(self, batch: Any, pending: PendingCommit, *, set_head: bool = True) -> StagedCommit:
        """Put a pending commit's writes into `batch` (a `write_batch()` or any plyvel batch
        of the root DB). For a plain plyvel batch, call `finish(staged)` after writing it,
        and stage at most one head-moving commit per batch.

        With `set_head` the head moves to the new root and the flat index follows: directly
        from the changes when the commit is based on the head, else by diffing the tries.
        """
        if set_head and isinstance(batch, StateWriteBatch) and any(s.set_head for s in batch.staged):
            raise StateError("a batch can move the head only once: stage further commits with set_head=False")
        k = self.keys
        put = batch.put
        delete = batch.delete
        node_ns = k.node
        for h, enc in pending.nodes.items():
            put(node_ns + h, enc)
        put(k.roots + pending.root, bytes((pending.state_version,)))
        head = self._head if self._head is not None else EMPTY_ROOT
        if set_head:
            if pending.base_root == head:
                self._stage_flat_changes(put, delete, pending)
            else:
                nodes = pending.nodes

                def load(h: bytes) -> bytes:
                    enc = nodes.get(h)
                    return enc if enc is not None else self.load_node(h)

                def node_at(h: bytes) -> Node | None:
                    enc = nodes.get(h)
                    return self.node_at(h) if enc is None else decode_node(enc)

                self._stage_flat_diff(put, delete, head, pending.root, node_at, load)
            put(k.head, pending.root)
            put(k.flat_marker, pending.root)
        staged = StagedCommit(pending, set_head, self._head)
        if isinstance(batch, StateWriteBatch):
            batch.staged.append(staged)
        return staged

    def _check_staged(self, staged: StagedCommit) -> None:
        if staged.set_head and staged.expected_head != self._head:
            raise StateError("the head moved after this commit was staged; its flat-index updates are stale")

    def finish(self, staged: StagedCommit) -> None:
        """Record that the batch holding `staged` was written (moves the in-memory head)."""
        if staged.finished:
            return
        self._check_staged(staged)
        staged.finished = True
        if staged.set_head:
            self._head = staged.pending.root

    def commit(self, pending: PendingCommit, *, set_head: bool = True) -> bytes:
        """Write a pending commit in its own atomic batch; return its root."""
        with self.write_batch() as batch:
            self.stage(batch, pending, set_head=set_head)
        return pending.root

    def _stage_flat_changes(self, put: Callable[[bytes, bytes], None], delete: Callable[[bytes], None],
                            pending: PendingCommit) -> None:
        flat = self.keys.flat
        for key, value in pending.top_changes.items():
            if value is None:
                delete(flat + key)
            else:
                put(flat + key, value)
        for child_key, items in pending.child_changes.items():
            ns = self.keys.child_ns(child_key)
            if pending.child_roots[child_key] == EMPTY_ROOT:
                for fk in self._iter(ns, include_value=False):
                    delete(fk)
                continue
            for key, value in items.items():
                if value is None:
                    delete(ns + key)
                else:
                    put(ns + key, value)

    def _stage_flat_diff(self, put: Callable[[bytes, bytes], None], delete: Callable[[bytes], None],
                         old_root: bytes, new_root: bytes, node_at: NodeSource, value_at: Loader) -> int:
        """Turn the flat index of `old_root` into that of `new_root`; return the op count."""
        k = self.keys
        plen = len(CHILD_STORAGE_DEFAULT_PREFIX)
        ops = 0
        for key, old, new in diff_tries(old_root, new_root, node_at, value_at):
            ops += 1
            if new is None:
                delete(k.flat + key)
            else:
                put(k.flat + key, new)
            if key.startswith(CHILD_STORAGE_DEFAULT_PREFIX):
                ns = k.child_ns(key[plen:])
                for ckey, _, cnew in diff_tries(old or EMPTY_ROOT, new or EMPTY_ROOT, node_at, value_at):
                    ops += 1
                    if cnew is None:
                        delete(ns + ckey)
                    else:
                        put(ns + ckey, cnew)
        return ops

    # -- moving the head ------------------------------------------------------------------

    def set_head(self, root: bytes) -> None:
        """Make another committed root the head (reorg / revert); the flat index follows by
        a diff that descends only where the two tries differ."""
        self._require(_check_root(root))
        old = self._head if self._head is not None else EMPTY_ROOT
        if root == old and self._head is not None:
            return
        k = self.keys

        def fill(batch: Any) -> None:
            self._stage_flat_diff(batch.put, batch.delete, old, root, self.node_at, self.load_node)
            batch.put(k.head, root)
            batch.put(k.flat_marker, root)
            if root == EMPTY_ROOT:  # the empty state counts as committed once it is the head
                batch.put(k.roots + root, b"\x01")

        self._write(fill)
        self._head = root

    # -- bulk writes: genesis and flat-index rebuild ----------------------------------------

    def build_genesis(self, top: Mapping[bytes, bytes] | Iterable[tuple[bytes, bytes]] | SortedStorage,
                      children: Mapping[bytes, Mapping[bytes, bytes]] | None = None,
                      state_version: int = 1) -> bytes:
        """Store a whole state (genesis storage) and make it the head; return its root.

        `top` must not contain `:child_storage:` keys; child tries come in `children`
        (unprefixed child key -> items). The trie is built once, as a stream in key order
        (a `SortedStorage` is read as it streams, chunk by chunk): each chunk's flat entries
        and the nodes it completed go to LevelDB in one batch, so memory does not grow with
        the state. The
        head moves in the last batch, so a crash leaves the previous head intact (and the
        flat index is repaired on the next open).
        """
        check_state_version(state_version)
        k = self.keys
        node_ns, flat_ns = k.node, k.flat
        self._begin_rewrite()
        nodes: list[tuple[bytes, bytes]] = []
        chunks, kids = _genesis_chunks(top, children or {}, state_version, nodes)
        pending = [(node_ns + h, enc) for h, enc in nodes]
        nodes.clear()
        for child_key, items in kids.items():
            ns = k.child_ns(child_key)
            pending.extend((ns + key, value) for key, value in items.items())
        builder = SortedTrieBuilder(state_version, nodes)

        def write_chunk(keys: list[bytes], values: list[bytes], batch: Any) -> None:
            put = batch.put
            _put_all(pending, batch)
            for key, value in zip(map(flat_ns.__add__, keys), values, strict=True):
                put(key, value)
            for h, enc in nodes:
                put(node_ns + h, enc)

        for paths, keys, values in chunks:
            builder.feed(paths, values)
            self._write(partial(write_chunk, keys, values))
            pending.clear()
            nodes.clear()
        root = builder.finish()
        pending.extend((node_ns + h, enc) for h, enc in nodes)
        self._finish_rewrite(pending, root, state_version)
        return root

    def _rebuild_flat(self) -> None:
        """Recreate the head's flat index from its trie (after an interrupted rewrite)."""
        head = self._head
        assert head is not None
        k = self.keys
        plen = len(CHILD_STORAGE_DEFAULT_PREFIX)

        def ops() -> Iterator[tuple[bytes, bytes]]:
            for key, value in iter_trie(head, self.node_at, self.load_node):
                yield k.flat + key, value
                if key.startswith(CHILD_STORAGE_DEFAULT_PREFIX):
                    ns = k.child_ns(key[plen:])
                    for ckey, cvalue in iter_trie(value, self.node_at, self.load_node):  # type: ignore[arg-type]
                        yield ns + ckey, cvalue

        version = self._read(k.roots + head)
        self._bulk_rewrite(ops(), head, version[0] if version else 1)

    def _clear_flat(self) -> None:
        """Delete the whole flat index (top and child tries), in chunks."""
        for ns in (self.keys.flat, self.keys.child):
            while True:
                stale = list(islice(self._iter(ns, include_value=False), _CHUNK))
                if not stale:
                    break
                self._write(partial(_delete_all, stale))

    def _bulk_rewrite(self, ops: Iterator[tuple[bytes, bytes]], root: bytes, state_version: int) -> None:
        """Replace the flat index and store nodes in chunks, then move the head to `root`.

        The flat marker is cleared first; until the final batch sets it to `root`, a
        reopen sees marker != head and rebuilds the flat index of the old head.
        """
        self._begin_rewrite()
        pending: list[tuple[bytes, bytes]] = []
        for op in ops:
            pending.append(op)
            if len(pending) >= _CHUNK:
                self._write(partial(_put_all, pending))
                pending = []
        self._finish_rewrite(pending, root, state_version)

    def _begin_rewrite(self) -> None:
        self._put_direct(self.keys.flat_marker, b"")
        self._clear_flat()

    def _finish_rewrite(self, pending: list[tuple[bytes, bytes]], root: bytes, state_version: int) -> None:
        k = self.keys

        def last(batch: Any) -> None:
            _put_all(pending, batch)
            batch.put(k.roots + root, bytes((state_version,)))
            batch.put(k.head, root)
            batch.put(k.flat_marker, root)

        self._write(last)
        self._head = root
