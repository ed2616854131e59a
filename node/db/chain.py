"""`ChainDB`: blocks, the canonical chain, best and finalized pointers, and the state of
every block, in one LevelDB.

* One atomic write batch per change: importing a block writes its header, body, leaf-set
  update, the canonical index and best pointer (when it becomes best) and its state
  commit (`StateDB.stage`) together; finalizing writes the finalized pointer and, when
  finality moves the best chain, the reorg and the state head move together. A kill at
  any moment leaves the database at the last complete block.
* Fork-aware: a block may be imported on any known parent above the finalized height.
  Best is the longest chain that contains the finalized block; on a tie the current best
  stays. A reorg re-points the canonical number -> hash index and moves the StateDB head
  (and its flat index) to the new best's state in the same batch.
* Finality never goes backwards; finalizing a block finalizes its ancestors; finalizing a
  block off the best chain makes the longest chain through it best (Substrate marks the
  finalized block itself as best; we then take its longest descendant, the choice a
  longest-chain selection would make); leaves that no longer contain the finalized block
  leave the leaf set (their blocks stay readable).

Single writer: one task imports and finalizes; readers use the same thread/event loop.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import plyvel

from pysubtensor.node.state import PendingCommit, StateDB, StateWriteBatch
from pysubtensor.node.state.db import LEVELDB_CACHE
from pysubtensor.node.state.errors import StateCorruptError, StateError, StateLockedError, StateOpenError
from pysubtensor.node.state.store import LEVELDB_MAX_OPEN_FILES, open_leveldb, translate_plyvel_error
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.header import Header
from pysubtensor.primitives.scale import ScaleDecodeError
from pysubtensor.primitives.slots_dataclass import slots_dataclass

from .errors import (
    ChainDbCorrupt,
    ChainDbError,
    ChainDbLocked,
    ChainDbOpenError,
    InvalidBlock,
    NotInFinalizedChain,
    UnknownBlock,
)
from .layout import BODY, SCHEMA, STATE_PREFIX, ChainKeys

__all__ = ["BlockInfo", "ChainDB", "FinalizeResult", "ImportResult"]

log = logging.getLogger(__name__)

_K = ChainKeys
_ZERO = bytes(32)
#: Block infos (number, parent, state root) by hash, the newest kept: what imports, finality
#: and tree routes walk (at most a `dev_newBlock` call's 10,000 blocks at once; a miss reads and
#: decodes the header again). ~365 bytes each: 4,096 are 1.5 MiB of the node's memory budget
#: (16,384 were 6 MiB).
_INFO_CACHE = 4096
#: LevelDB options while a large genesis (a streamed raw spec) is written, and only then: a
#: 16 MiB memtable (LevelDB's default is 4 MiB: four times the level-0 tables, each compacted
#: with the others) and no compression (snappy spends CPU on hashes, which do not compress;
#: compactions compress the tables later). A 1M-account genesis: 6.6 -> 3.9 s of CPU in
#: LevelDB in a bench of its writes (load average 12; 11.7 s with the defaults).
BULK_LOAD_OPTIONS = {"write_buffer_size": 16 << 20, "compression": None}
#: A key no database holds (state and chain keys start with `s` and `c`).
_NO_KEY = b"\xff\xff"
_T = TypeVar("_T")


def _hex(h: bytes) -> str:
    return "0x" + h.hex()


@dataclass(frozen=True, slots=True)
class BlockInfo:
    """What the chain logic needs of a block: its place in the tree and its state."""

    hash: bytes
    number: int
    parent_hash: bytes
    state_root: bytes

    def __repr__(self) -> str:
        return f"BlockInfo(#{self.number} {_hex(self.hash)[:14]}…)"


@slots_dataclass(frozen=True)
class ImportResult:
    """Outcome of `import_block` (and of `set_best`).

    `enacted` lists the blocks that joined the best chain, ascending and ending with the new
    best (just the block itself when it extends the old best); `retracted` the blocks that
    left it, from the old best downwards. Both are empty when the best did not change.
    """

    hash: bytes
    number: int
    is_new_best: bool
    retracted: tuple[bytes, ...] = ()
    enacted: tuple[bytes, ...] = ()
    #: The block was already in the database; nothing was written.
    already_known: bool = False


@slots_dataclass(frozen=True)
class FinalizeResult:
    """Outcome of `finalize`: the newly finalized blocks (ascending, ending with `hash`;
    empty when it was already final) and the reorg finality caused, if any."""

    hash: bytes
    finalized: tuple[bytes, ...] = ()
    best_changed: bool = False
    retracted: tuple[bytes, ...] = ()
    enacted: tuple[bytes, ...] = ()


def _translate_state_error(e: StateError) -> ChainDbError:
    msg = str(e)
    if isinstance(e, StateLockedError):
        return ChainDbLocked(f"{msg} (is another pysubtensor running with this base path?)")
    if isinstance(e, StateOpenError):
        return ChainDbOpenError(msg)
    if isinstance(e, StateCorruptError):
        return ChainDbCorrupt(msg if "purge" in msg else f"{msg} (purge the chain to start over)")
    return ChainDbError(msg)


class ChainDB:
    """The chain database over a plyvel handle shared with its `StateDB` (prefix `s`).

    Open with `ChainDB.open(path)`; a new database has no genesis until `init_genesis`.
    """

    def __init__(self, db: plyvel.DB, *, owned: bool = False, where: str | None = None,
                 sync: bool = False, cache_size: int = LEVELDB_CACHE) -> None:
        self._owned = owned
        self._where = where or f"chain database {db.name}"
        self._sync = sync
        self._cache_size = cache_size
        self._infos: OrderedDict[bytes, BlockInfo] = OrderedDict()  # O(1) eviction of the oldest
        self._genesis: BlockInfo | None = None
        self._best: BlockInfo | None = None
        self._final: BlockInfo | None = None
        self._attach(db)

    def _attach(self, db: plyvel.DB) -> None:
        self._db = db
        self._get_raw = db.get
        try:
            try:
                self.state = StateDB(db, prefix=STATE_PREFIX, sync=self._sync)
            except StateError as e:
                raise _translate_state_error(e) from None
            self._load()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True, cache_size: int = LEVELDB_CACHE,
             sync: bool = False) -> ChainDB:
        """Open (or create) the database directory `path` and check its pointers.

        Raises `ChainDbOpenError` (`ChainDbLocked` if another process has it open) or
        `ChainDbCorrupt` with a message naming the problem.
        """
        try:
            db = open_leveldb(path, create=create, cache_size=cache_size)
        except StateError as e:
            raise _translate_state_error(e) from None
        return cls(db, owned=True, where=f"chain database {os.fspath(path)}", sync=sync, cache_size=cache_size)

    def close(self) -> None:
        if self._owned and not self._db.closed:
            self._db.close()

    def __enter__(self) -> ChainDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> plyvel.DB:
        """The shared plyvel handle."""
        return self._db

    # -- raw access --------------------------------------------------------------------

    def _get(self, key: bytes) -> bytes | None:
        try:
            return self._get_raw(key)
        except plyvel.Error as e:
            raise _translate_state_error(translate_plyvel_error(e, self._where)) from None
        except RuntimeError as e:  # plyvel raises RuntimeError on a closed database
            raise ChainDbError(f"{self._where}: {e}") from None

    def _write(self, fill: Callable[[StateWriteBatch], _T]) -> _T:
        """Fill one atomic batch (state commits and chain keys) and write it."""
        try:
            with self.state.write_batch() as batch:
                return fill(batch)
        except plyvel.Error as e:
            raise _translate_state_error(translate_plyvel_error(e, self._where)) from None

    def _keys(self, prefix: bytes) -> list[bytes]:
        try:
            return list(self._db.iterator(prefix=prefix, include_value=False))
        except plyvel.Error as e:
            raise _translate_state_error(translate_plyvel_error(e, self._where)) from None

    def _corrupt(self, msg: str) -> ChainDbCorrupt:
        return ChainDbCorrupt(f"{self._where}: {msg} (purge the chain to start over)")

    # -- opening checks ----------------------------------------------------------------

    def _pointer(self, key: bytes, name: str) -> bytes | None:
        value = self._get(key)
        if value is not None and len(value) != 32:
            raise self._corrupt(f"the {name} pointer is {len(value)} bytes, not a 32-byte hash")
        return value

    def _load(self) -> None:
        schema = self._get(_K.schema)
        genesis = self._pointer(_K.genesis, "genesis")
        best = self._pointer(_K.best, "best block")
        final = self._pointer(_K.finalized, "finalized block")
        if genesis is None:
            if best is not None or final is not None:
                raise self._corrupt("best/finalized pointers are recorded but the genesis pointer is missing")
            try:
                any_header = next(self._db.iterator(prefix=_K.header, include_value=False), None)
            except plyvel.Error as e:
                raise _translate_state_error(translate_plyvel_error(e, self._where)) from None
            if any_header is not None:
                raise self._corrupt("block headers are stored but the genesis pointer is missing")
            return  # a new database (or one whose genesis was interrupted): init_genesis next
        if schema != SCHEMA:
            raise ChainDbOpenError(f"{self._where}: unsupported chain database schema {schema!r}")
        if best is None or final is None:
            raise self._corrupt(f"the {'best' if best is None else 'finalized'} block pointer is missing")
        g = self._pointed_block(genesis, "genesis")
        b = self._pointed_block(best, "best")
        f = self._pointed_block(final, "finalized")
        if g.number != 0 or g.parent_hash != _ZERO:
            raise self._corrupt(f"the genesis block {_hex(genesis)} is #{g.number}, not #0")
        if f.number > b.number:
            raise self._corrupt(f"the finalized block #{f.number} is above the best block #{b.number}")
        for name, info in (("genesis", g), ("best", b), ("finalized", f)):
            if self._canonical(info.number) != info.hash:
                raise self._corrupt(f"the canonical index at #{info.number} does not point at the {name} "
                                    f"block {_hex(info.hash)}")
            if not self.state.has_state(info.state_root):
                raise self._corrupt(f"the state root {_hex(info.state_root)} of the {name} block "
                                    f"#{info.number} ({_hex(info.hash)}) is not committed in the state")
        self._genesis, self._best, self._final = g, b, f
        if self.state.head_root != b.state_root:
            # Only a head moved outside this class can cause this: repair, do not refuse.
            log.warning("%s: state head does not match the best block #%d; moving it", self._where, b.number)
            try:
                self.state.set_head(b.state_root)
            except StateError as e:
                raise _translate_state_error(e) from None

    def _pointed_block(self, h: bytes, name: str) -> BlockInfo:
        raw = self._get(_K.header + h)
        if raw is None:
            raise self._corrupt(f"the {name} block {_hex(h)} has no header")
        if blake2_256(raw) != h:
            raise self._corrupt(f"the header stored for the {name} block {_hex(h)} does not hash to it")
        return self._decode_info(h, raw)

    # -- block records -----------------------------------------------------------------

    def _decode_info(self, h: bytes, raw: bytes) -> BlockInfo:
        try:
            header = Header.decode(raw)
        except (ScaleDecodeError, ValueError) as e:
            raise self._corrupt(f"the header of block {_hex(h)} does not decode: {e}") from None
        info = BlockInfo(h, header.number, header.parent_hash, header.state_root)
        self._remember(info)
        return info

    def _remember(self, info: BlockInfo) -> None:
        cache = self._infos
        if len(cache) >= _INFO_CACHE:
            cache.popitem(last=False)
        cache[info.hash] = info

    def block_info(self, h: bytes) -> BlockInfo | None:
        """Number, parent and state root of a stored block, or None."""
        info = self._infos.get(h)
        if info is None:
            raw = self._get(_K.header + h)
            if raw is None:
                return None
            info = self._decode_info(h, raw)
        return info

    def _parent(self, info: BlockInfo) -> BlockInfo:
        parent = self.block_info(info.parent_hash)
        if parent is None:
            raise self._corrupt(f"block #{info.number} {_hex(info.hash)} has no stored parent "
                                f"{_hex(info.parent_hash)}")
        return parent

    def _canonical(self, number: int) -> bytes | None:
        if number < 0 or number > 0xFFFF_FFFF:
            return None
        return self._get(_K.number(number))

    def _state_version(self, root: bytes) -> int:
        raw = self._get(self.state.keys.roots + root)
        if not raw:
            raise self._corrupt(f"state root {_hex(root)} is not committed")
        return raw[0]

    # -- reading -----------------------------------------------------------------------

    def _need_genesis(self) -> tuple[BlockInfo, BlockInfo, BlockInfo]:
        if self._genesis is None or self._best is None or self._final is None:
            raise ChainDbError(f"{self._where}: no genesis block yet (call init_genesis first)")
        return self._genesis, self._best, self._final

    @property
    def has_genesis(self) -> bool:
        return self._genesis is not None

    @property
    def genesis_hash(self) -> bytes:
        return self._need_genesis()[0].hash

    @property
    def best_hash(self) -> bytes:
        return self._need_genesis()[1].hash

    @property
    def best_number(self) -> int:
        return self._need_genesis()[1].number

    @property
    def finalized_hash(self) -> bytes:
        return self._need_genesis()[2].hash

    @property
    def finalized_number(self) -> int:
        return self._need_genesis()[2].number

    def __contains__(self, h: object) -> bool:
        return isinstance(h, bytes) and self.block_info(h) is not None

    def header(self, h: bytes) -> Header | None:
        """The header of a stored block, or None."""
        raw = self._get(_K.header + h)
        if raw is None:
            return None
        try:
            return Header.decode(raw)
        except (ScaleDecodeError, ValueError) as e:
            raise self._corrupt(f"the header of block {_hex(h)} does not decode: {e}") from None

    def encoded_header(self, h: bytes) -> bytes | None:
        """The SCALE header bytes of a stored block, or None."""
        return self._get(_K.header + h)

    def body(self, h: bytes) -> list[bytes] | None:
        """The encoded extrinsics of a stored block, in order, or None."""
        raw = self._get(_K.body + h)
        if raw is None:
            return None
        try:
            return BODY.decode_all(raw)
        except (ScaleDecodeError, ValueError) as e:
            raise self._corrupt(f"the body of block {_hex(h)} does not decode: {e}") from None

    def hash_of(self, number: int) -> bytes | None:
        """Hash of the best-chain block at height `number`, or None."""
        return self._canonical(number)

    def number_of(self, h: bytes) -> int | None:
        info = self.block_info(h)
        return None if info is None else info.number

    def state_root(self, h: bytes) -> bytes | None:
        """State root of a stored block (its header's), or None."""
        info = self.block_info(h)
        return None if info is None else info.state_root

    def is_canonical(self, h: bytes) -> bool:
        info = self.block_info(h)
        return info is not None and self._canonical(info.number) == h

    def is_finalized(self, h: bytes) -> bool:
        info = self.block_info(h)
        return info is not None and info.number <= self.finalized_number and self._canonical(info.number) == h

    def leaves(self) -> list[bytes]:
        """Heads that can still become best: highest first, then by hash."""
        n = len(_K.leaf)
        infos = [self.block_info(k[n:]) for k in self._keys(_K.leaf)]
        return [i.hash for i in sorted((i for i in infos if i is not None), key=lambda i: (-i.number, i.hash))]

    # -- tree walks --------------------------------------------------------------------

    def _tree_route(self, a: BlockInfo, b: BlockInfo) -> tuple[list[BlockInfo], list[BlockInfo]]:
        """(retracted from `a` downwards, enacted ascending to `b`), excluding the common
        ancestor."""
        retracted: list[BlockInfo] = []
        enacted: list[BlockInfo] = []
        while a.number > b.number:
            retracted.append(a)
            a = self._parent(a)
        while b.number > a.number:
            enacted.append(b)
            b = self._parent(b)
        while a.hash != b.hash:
            retracted.append(a)
            enacted.append(b)
            a, b = self._parent(a), self._parent(b)
        enacted.reverse()
        return retracted, enacted

    def _contains_finalized(self, info: BlockInfo) -> bool:
        """Whether the chain ending at `info` contains the finalized block."""
        f = self._need_genesis()[2]
        while True:
            if info.number <= f.number:
                return info.hash == f.hash
            if self._canonical(info.number) == info.hash:
                return True  # the canonical chain always contains the finalized block
            info = self._parent(info)

    def _is_ancestor(self, ancestor: BlockInfo, info: BlockInfo) -> bool:
        """Whether `ancestor` is `info` or one of its ancestors."""
        while info.number > ancestor.number:
            info = self._parent(info)
        return info.hash == ancestor.hash

    # -- writing -----------------------------------------------------------------------

    def init_genesis(self, header: Header, top: Mapping[bytes, bytes] | Iterable[tuple[bytes, bytes]],
                     children: Mapping[bytes, Mapping[bytes, bytes]] | None = None,
                     state_version: int = 1) -> bool:
        """Store the genesis state and block. Returns False (writing nothing) if this
        genesis is already there; a database holding another chain is refused.

        The state may span several batches; the chain records are written last, in one
        batch, so an interrupted genesis leaves a database that `init_genesis` completes.
        """
        h = header.hash
        if header.number != 0 or header.parent_hash != _ZERO:
            raise InvalidBlock(f"a genesis header is #0 with a zero parent; got #{header.number} "
                               f"with parent {_hex(header.parent_hash)}")
        if self._genesis is not None:
            if self._genesis.hash == h:
                return False
            raise ChainDbError(f"{self._where} holds the chain with genesis {_hex(self._genesis.hash)}, "
                               f"not {_hex(h)}; purge the chain or use another base path")
        try:
            root = self.state.build_genesis(top, children or {}, state_version)
        except StateError as e:
            raise _translate_state_error(e) from None
        if root != header.state_root:
            raise InvalidBlock(f"the genesis storage has state root {_hex(root)}, but the genesis header "
                               f"says {_hex(header.state_root)}")
        self._store_genesis_block(header)
        return True

    def init_genesis_storage(self, top: Mapping[bytes, bytes], children: Mapping[bytes, Mapping[bytes, bytes]],
                             state_version: int, header_of: Callable[[bytes], Header],
                             root_of: Callable[[], bytes],
                             fingerprint_of: Callable[[], bytes | None] | None = None) -> tuple[Header, bool]:
        """`init_genesis` from the storage alone, with its trie built once: a new database
        stores the state and takes the header from its root (`header_of(root)`); a database
        that has a genesis already is checked against `header_of(root_of())` (the root
        computed in memory, nothing stored). Returns (genesis header, whether it was stored).

        `fingerprint_of()` (a digest of the storage's source, node.genesis's
        `genesis_fingerprint`; None for none) is recorded with the genesis; a database that
        recorded the same one was built from the same bytes, so its genesis state root stands
        without building the trie again."""
        if self._genesis is not None:
            fingerprint = fingerprint_of() if fingerprint_of is not None else None
            known = fingerprint is not None and self._get(_K.genesis_source) == fingerprint
            header = header_of(self._genesis.state_root if known else root_of())
            created = self.init_genesis(header, top, children, state_version)
            if fingerprint is not None and not known:  # the root was checked: the next start need not
                self._write(lambda batch: batch.put(_K.genesis_source, fingerprint))
            return header, created
        try:
            if self._owned and hasattr(top, "sorted_chunks"):
                root = self._bulk_load(partial(StateDB.build_genesis, top=top, children=children,
                                               state_version=state_version))
            else:
                root = self.state.build_genesis(top, children, state_version)
        except StateError as e:
            raise _translate_state_error(e) from None
        header = header_of(root)
        # (After the build: a streamed source's digest is taken as it is read.)
        self._store_genesis_block(header, fingerprint_of() if fingerprint_of is not None else None)
        return header, True

    def _bulk_load(self, write: Callable[[StateDB], _T]) -> _T:
        """Run `write` on the state of this database reopened with `BULK_LOAD_OPTIONS`, then
        write LevelDB's memtable out and reopen it with the node's options (so that a restart
        replays no log and the node runs with its usual memtable)."""
        path = self._db.name
        self._db.close()
        try:
            try:
                bulk = plyvel.DB(path, paranoid_checks=True, bloom_filter_bits=10, lru_cache_size=self._cache_size,
                                 max_open_files=LEVELDB_MAX_OPEN_FILES, **BULK_LOAD_OPTIONS)
            except plyvel.Error as e:
                raise translate_plyvel_error(e, self._where) from None
            try:
                result = write(StateDB(bulk, prefix=STATE_PREFIX, sync=self._sync))
                # A compaction of a key range nothing holds: LevelDB writes its memtable out first.
                bulk.compact_range(start=_NO_KEY, stop=_NO_KEY)
            finally:
                bulk.close()
        finally:
            self._attach(open_leveldb(path, create=False, cache_size=self._cache_size))
        return result

    def _store_genesis_block(self, header: Header, fingerprint: bytes | None = None) -> None:
        h, root = header.hash, header.state_root
        raw = header.encode()
        info = BlockInfo(h, 0, _ZERO, root)

        def fill(batch: StateWriteBatch) -> None:
            batch.put(_K.header + h, raw)
            batch.put(_K.body + h, BODY.encode([]))
            batch.put(_K.number(0), h)
            batch.put(_K.leaf + h, b"")
            batch.put(_K.schema, SCHEMA)
            batch.put(_K.best, h)
            batch.put(_K.finalized, h)
            if fingerprint is not None:
                batch.put(_K.genesis_source, fingerprint)
            batch.put(_K.genesis, h)  # written last in the batch; the batch is atomic anyway

        self._write(fill)
        self._remember(info)
        self._genesis = self._best = self._final = info

    def _stage_best(self, batch: StateWriteBatch, new: BlockInfo) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
        """Put the canonical-index and best-pointer writes that make `new` best."""
        old = self._need_genesis()[1]
        if new.parent_hash == old.hash:
            retracted: list[BlockInfo] = []
            enacted = [new]
        else:
            retracted, enacted = self._tree_route(old, new)
        for info in enacted:
            batch.put(_K.number(info.number), info.hash)
        for n in range(new.number + 1, old.number + 1):  # the new best chain is shorter
            batch.delete(_K.number(n))
        batch.put(_K.best, new.hash)
        return tuple(i.hash for i in retracted), tuple(i.hash for i in enacted)

    def _stage_head_move(self, batch: StateWriteBatch, root: bytes) -> None:
        """Move the state head to an already committed `root` inside `batch`."""
        version = self._state_version(root)
        try:
            self.state.stage(batch, self.state.apply(root, {}, state_version=version), set_head=True)
        except StateError as e:
            raise _translate_state_error(e) from None

    def import_block(self, header: Header, body: Sequence[bytes], pending_state_commit: PendingCommit, *,
                     make_best: bool | None = None) -> ImportResult:
        """Store a block with its state, atomically.

        `pending_state_commit` is the block's state transition from its parent's state
        (`StateDB.apply(parent_state_root, changes)`); the header's state root must be its
        root. `make_best`: None applies the fork choice (longest chain containing the
        finalized block; ties keep the current best), True forces the block to be best,
        False keeps it off the best chain.
        """
        _, best, final = self._need_genesis()
        raw = header.encode()
        h = blake2_256(raw)
        if self._get(_K.header + h) is not None:
            return ImportResult(h, header.number, False, already_known=True)
        parent = self.block_info(header.parent_hash)
        if parent is None:
            raise UnknownBlock(f"block #{header.number} {_hex(h)}: unknown parent {_hex(header.parent_hash)}")
        if header.number != parent.number + 1:
            raise InvalidBlock(f"block {_hex(h)} is #{header.number} but its parent is #{parent.number}")
        pending = pending_state_commit
        if pending.base_root != parent.state_root:
            raise InvalidBlock(f"block #{header.number} {_hex(h)}: its state commit is based on "
                               f"{_hex(pending.base_root)}, not on the parent's state {_hex(parent.state_root)}")
        if pending.root != header.state_root:
            raise InvalidBlock(f"block #{header.number} {_hex(h)}: header state root {_hex(header.state_root)} "
                               f"differs from the committed state {_hex(pending.root)}")
        if header.number <= final.number:
            raise NotInFinalizedChain(f"block #{header.number} {_hex(h)} is at or below the finalized "
                                      f"block #{final.number}")
        in_final_chain = self._contains_finalized(parent)
        if make_best is None:
            is_best = in_final_chain and header.number > best.number
        elif make_best:
            if not in_final_chain:
                raise NotInFinalizedChain(f"block #{header.number} {_hex(h)} cannot become best: its chain "
                                          f"does not contain the finalized block #{final.number}")
            is_best = True
        else:
            is_best = False
        info = BlockInfo(h, header.number, header.parent_hash, header.state_root)
        body_raw = BODY.encode(list(body))

        def fill(batch: StateWriteBatch) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
            batch.put(_K.header + h, raw)
            batch.put(_K.body + h, body_raw)
            batch.delete(_K.leaf + parent.hash)
            if in_final_chain:  # a block off the finalized chain can never become best
                batch.put(_K.leaf + h, b"")
            route: tuple[tuple[bytes, ...], tuple[bytes, ...]] = ((), ())
            if is_best:
                route = self._stage_best(batch, info)
            try:
                self.state.stage(batch, pending, set_head=is_best)
            except StateError as e:
                raise _translate_state_error(e) from None
            return route

        retracted, enacted = self._write(fill)
        self._remember(info)
        if is_best:
            self._best = info
        return ImportResult(h, header.number, is_best, retracted, enacted)

    def set_best(self, h: bytes, *, rewind_finality: bool = False) -> ImportResult:
        """Make a stored block best (a manual fork choice or a revert); it must contain
        the finalized block. Its descendants stay stored and remain leaves.

        `rewind_finality` (dev nodes only: `dev_setHead`, snapshot/revert) accepts a block
        whose chain does not contain the finalized block: finality moves back to the
        highest finalized-chain ancestor of `h`, in the same batch."""
        _, best, final = self._need_genesis()
        info = self.block_info(h)
        if info is None:
            raise UnknownBlock(f"unknown block {_hex(h)}")
        if info.hash == best.hash:
            return ImportResult(h, info.number, False)
        new_final: BlockInfo | None = None
        if not self._contains_finalized(info):
            if not rewind_finality:
                raise NotInFinalizedChain(f"block #{info.number} {_hex(h)} does not contain the finalized block")
            new_final = info
            while self._canonical(new_final.number) != new_final.hash:
                new_final = self._parent(new_final)

        def fill(batch: StateWriteBatch) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
            route = self._stage_best(batch, info)
            self._stage_head_move(batch, info.state_root)
            if new_final is not None:
                batch.put(_K.finalized, new_final.hash)
            return route

        retracted, enacted = self._write(fill)
        self._best = info
        if new_final is not None:
            log.info("finality rewound from #%d to #%d", final.number, new_final.number)
            self._final = new_final
        return ImportResult(h, info.number, True, retracted, enacted)

    def finalize(self, h: bytes) -> FinalizeResult:
        """Finalize block `h` and its ancestors. Finalizing an already final block does
        nothing; a block whose chain does not contain the finalized block is refused."""
        final = self._need_genesis()[2]
        info = self.block_info(h)
        if info is None:
            raise UnknownBlock(f"cannot finalize unknown block {_hex(h)}")
        if info.number <= final.number:
            if self._canonical(info.number) == h:
                return FinalizeResult(h)  # already final
            raise NotInFinalizedChain(f"block #{info.number} {_hex(h)} is not on the finalized chain "
                                      f"(finalized: #{final.number} {_hex(final.hash)})")
        if not self._contains_finalized(info):
            raise NotInFinalizedChain(f"block #{info.number} {_hex(h)} does not descend from the finalized "
                                      f"block #{final.number} {_hex(final.hash)}")
        newly: list[bytes] = []
        b = info
        while b.number > final.number:
            newly.append(b.hash)
            b = self._parent(b)
        newly.reverse()
        leaves = [self.block_info(lh) for lh in self.leaves()]
        kept = [leaf for leaf in leaves if leaf is not None and self._is_ancestor(info, leaf)]
        displaced = [leaf for leaf in leaves if leaf is not None and leaf not in kept]
        new_best: BlockInfo | None = None
        if self._canonical(info.number) != h:
            # Off the best chain: the longest chain through `h` becomes best (ties: lowest hash).
            new_best = min(kept, key=lambda i: (-i.number, i.hash)) if kept else info

        def fill(batch: StateWriteBatch) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
            batch.put(_K.finalized, h)
            for leaf in displaced:
                batch.delete(_K.leaf + leaf.hash)
            if new_best is None:
                return (), ()
            route = self._stage_best(batch, new_best)
            self._stage_head_move(batch, new_best.state_root)
            return route

        retracted, enacted = self._write(fill)
        self._final = info
        if new_best is not None:
            self._best = new_best
        return FinalizeResult(h, tuple(newly), new_best is not None, retracted, enacted)

    # -- diagnostics -------------------------------------------------------------------

    def check(self) -> None:
        """Walk the whole best chain and verify its records (slow; for tests and tools)."""
        _, best, final = self._need_genesis()
        expected = best.hash
        for n in range(best.number, -1, -1):
            h = self._canonical(n)
            if h != expected:
                raise self._corrupt(f"canonical index at #{n} is {_hex(h) if h else 'missing'}, "
                                    f"expected {_hex(expected)}")
            info = self._pointed_block(h, f"#{n}")
            if info.number != n:
                raise self._corrupt(f"block {_hex(h)} indexed at #{n} is #{info.number}")
            if self.body(h) is None:
                raise self._corrupt(f"block #{n} {_hex(h)} has no body")
            if not self.state.has_state(info.state_root):
                raise self._corrupt(f"block #{n} {_hex(h)}: state root {_hex(info.state_root)} not committed")
            expected = info.parent_hash
        if self._canonical(best.number + 1) is not None:
            raise self._corrupt(f"the canonical index continues above the best block #{best.number}")
        if self._canonical(final.number) != final.hash:
            raise self._corrupt("the finalized block is not on the best chain")
