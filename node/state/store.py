"""LevelDB plumbing for the state: safe opening, error translation and the key layout.

The state shares one LevelDB with the chain database, so every key it writes starts
with a caller-chosen prefix followed by one namespace byte (see `KeyLayout`).
"""

from __future__ import annotations

import os
from pathlib import Path

import plyvel

from pysubtensor.primitives.scale import encode_compact

from .errors import StateCorruptError, StateError, StateLockedError, StateOpenError
from .table_reads import read_tables_without_mmap

__all__ = ["LEVELDB_MAX_OPEN_FILES", "LEVELDB_WRITE_BUFFER", "KeyLayout", "open_leveldb", "prefix_successor", "translate_plyvel_error"]

# Files whose presence means "this directory holds a LevelDB" even without CURRENT.
_LEVELDB_FILE_SUFFIXES = (".ldb", ".sst", ".log")


class KeyLayout:
    """Where the state keeps things inside the shared LevelDB keyspace.

    `n` + hash -> trie node or value node (content-addressed, never overwritten
    with different bytes); `f` + key -> head value (flat index of the head state);
    `c` + compact(len(child key)) + child key + key -> head child-trie value;
    `r` + root -> state version byte, one per committed state root; `m` + name -> meta.
    """

    __slots__ = ("child", "flat", "flat_marker", "head", "meta", "node", "prefix", "roots", "schema")

    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix
        self.node = prefix + b"n"
        self.flat = prefix + b"f"
        self.child = prefix + b"c"
        self.roots = prefix + b"r"
        self.meta = prefix + b"m"
        self.head = self.meta + b"head"
        #: The root whose contents the flat index holds; differs from `head` only after
        #: an interrupted multi-batch rewrite (genesis, rebuild), which open() repairs.
        self.flat_marker = self.meta + b"flat"
        self.schema = self.meta + b"schema"

    def child_ns(self, child_key: bytes) -> bytes:
        """Flat-index namespace of one child trie (length-prefixed, so no child's keys
        can run into another's)."""
        return self.child + encode_compact(len(child_key)) + child_key


def prefix_successor(prefix: bytes) -> bytes | None:
    """Smallest byte string greater than every string starting with `prefix` (None if none)."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes((stripped[-1] + 1,))


def translate_plyvel_error(e: plyvel.Error, what: str) -> StateError:
    """Map a plyvel exception to our error type with a message naming the problem."""
    raw = e.args[0] if e.args else e
    msg = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
    if isinstance(e, plyvel.CorruptionError):
        return StateCorruptError(f"{what}: LevelDB reports corruption: {msg}")
    if isinstance(e, plyvel.IOError) and "lock" in msg.lower():
        return StateLockedError(f"{what}: the database is locked by another process or handle ({msg})")
    if isinstance(e, plyvel.IOError) and "Invalid argument" in msg:
        # What LevelDB reports for a table file cut short (e.g. a truncated copy).
        return StateCorruptError(f"{what}: a database file is damaged or truncated ({msg})")
    if isinstance(e, plyvel.IOError):
        return StateOpenError(f"{what}: I/O error: {msg}")
    return StateCorruptError(f"{what}: {msg}")


#: LevelDB's table cache: open table files (`max_open_files` less LevelDB's 10 for other
#: files; 74 is the least it accepts). LevelDB reads tables through mmap, and the pages read
#: stay resident, counted in the process's RSS, for as long as the table is open: with its
#: default 1,000 an idle dev node mapped 222 tables (65 MiB of its RSS) after 44k blocks, and
#: the figure grows with the database. 64 open tables bound it; a read from a closed table
#: reopens it (its index and bloom filter: a few KiB).
LEVELDB_MAX_OPEN_FILES = 74
#: LevelDB's memtable: writes gather in it (C memory) until it is this large, then it is written
#: out as a level-0 table while the next one fills, so up to twice this is held; each level-0
#: table is then merged into level 1 by a compaction that reads its inputs through mmap (their
#: pages resident while it runs). LevelDB's default is 4 MiB; with 2 MiB the soak's largest RSS
#: read between bursts over 10k blocks was 128 MiB instead of 138 MiB.
LEVELDB_WRITE_BUFFER = 2 << 20


def open_leveldb(path: str | os.PathLike[str], *, create: bool = True, cache_size: int = 64 << 20,
                 max_open_files: int = LEVELDB_MAX_OPEN_FILES,
                 write_buffer_size: int = LEVELDB_WRITE_BUFFER) -> plyvel.DB:
    """Open (or create) the LevelDB directory at `path`, refusing anything suspicious.

    LevelDB with `create_if_missing` silently starts an empty database in a directory
    whose CURRENT file was lost, orphaning (and later deleting) all old data; we refuse
    that case instead and report the directory as corrupt.
    """
    p = Path(path)
    where = f"state database {p}"
    new = False
    try:
        if p.exists():
            if not p.is_dir():
                raise StateOpenError(f"{where}: exists and is not a directory")
            names = os.listdir(p)
            leveldb_files = [n for n in names
                             if n.startswith("MANIFEST-") or n.endswith(_LEVELDB_FILE_SUFFIXES)]
            if "CURRENT" not in names:
                if leveldb_files:
                    raise StateCorruptError(
                        f"{where}: LevelDB CURRENT file is missing while {len(leveldb_files)} data "
                        f"file(s) are present (e.g. {sorted(leveldb_files)[0]}); refusing to open "
                        "(restore CURRENT or purge the chain)")
                unknown = [n for n in names if n not in ("LOCK", "LOG", "LOG.old")]
                if unknown:
                    raise StateOpenError(f"{where}: directory is not empty and is not a LevelDB "
                                         f"database (found {sorted(unknown)[:3]})")
                new = True
        else:
            new = True
        if new and not create:
            raise StateOpenError(f"{where}: does not exist")
        if new:
            p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StateOpenError(f"{where}: {e.strerror or e}") from None
    read_tables_without_mmap()  # before LevelDB's environment exists (its first open in the process)
    try:
        return plyvel.DB(str(p), create_if_missing=new, paranoid_checks=True, lru_cache_size=cache_size,
                         bloom_filter_bits=10, max_open_files=max_open_files, write_buffer_size=write_buffer_size)
    except plyvel.Error as e:
        raise translate_plyvel_error(e, where) from None
    except OSError as e:
        raise StateOpenError(f"{where}: {e.strerror or e}") from None
