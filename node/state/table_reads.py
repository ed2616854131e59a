"""LevelDB reads its table files with `pread`, not through `mmap`.

LevelDB's POSIX environment maps every table file it opens (up to 1,000 at once on a 64-bit
system) and reads blocks straight from the mapping. The pages read stay resident, counted in
the process's RSS, for as long as the table is open, and a compaction reads its inputs whole:
during a 1,000-block `dev_newBlock` burst the node's mapped tables reached 37 MiB of its RSS
(bench/soak.py). With `pread` a read block goes to LevelDB's block cache (bounded by
`lru_cache_size`, see node.state.db.LEVELDB_CACHE) and the kernel's page cache (shared, not the
process's RSS); the bytes read are the same.

The limit is a private variable of LevelDB's `env_posix.cc` (`g_mmap_limit`, what its own tests
change through `EnvPosixTestHelper::SetReadOnlyMMapLimit`), read once when the default
environment is created, at the first database opened in the process. No option of LevelDB or
plyvel reaches it, so `read_tables_without_mmap` finds it in the library's symbol table and sets
it to 0, only if it holds LevelDB's default (1,000) there: anything else (another LevelDB build, a
stripped library) leaves LevelDB as it is and returns False.
"""

from __future__ import annotations

import ctypes
import logging
import struct
from pathlib import Path

__all__ = ["LEVELDB_DEFAULT_MMAP_LIMIT", "MMAP_LIMIT_SYMBOL", "read_tables_without_mmap", "symbol_values"]

log = logging.getLogger("node")

#: `leveldb::(anonymous namespace)::g_mmap_limit` and its value on a 64-bit system.
MMAP_LIMIT_SYMBOL = b"_ZN7leveldb12_GLOBAL__N_112g_mmap_limitE"
LEVELDB_DEFAULT_MMAP_LIMIT = 1000
#: A function of LevelDB's C API (exported): where the library was loaded.
_ANCHOR = b"leveldb_open"
_SHT_SYMTAB = 2

_done: bool | None = None


def symbol_values(elf: bytes, names: set[bytes]) -> dict[bytes, int]:
    """`st_value` of the named symbols in a little-endian ELF64 file's full symbol table
    (`.symtab`, local symbols included); {} for anything else."""
    if elf[:4] != b"\x7fELF" or elf[4:6] != b"\x02\x01":
        return {}
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    found: dict[bytes, int] = {}
    for _, sh_type, _, _, offset, size, link, _, _, entsize in sections:
        if sh_type != _SHT_SYMTAB or entsize != 24:
            continue
        strtab = sections[link][4]
        for st_name, _, _, _, st_value, _ in struct.iter_unpack("<IBBHQQ", elf[offset:offset + size]):
            end = elf.index(b"\0", strtab + st_name)
            name = elf[strtab + st_name:end]
            if name in names:
                found[name] = st_value
    return found


def _leveldb_library() -> Path | None:
    """The LevelDB shared library plyvel loaded (from this process's mappings)."""
    import plyvel  # noqa: F401  (loads the library)

    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split(maxsplit=5)[-1].strip()
            if "/libleveldb" in path:
                return Path(path)
    return None


def read_tables_without_mmap() -> bool:
    """Make LevelDB read table files with `pread` in this process (before its first database
    is opened; later calls return the first one's answer). False where it cannot be done."""
    global _done
    if _done is None:
        _done = _set_mmap_limit()
    return _done


def _set_mmap_limit() -> bool:
    try:
        path = _leveldb_library()
        if path is None:  # LevelDB linked into plyvel's module itself, or not Linux
            return False
        values = symbol_values(path.read_bytes(), {MMAP_LIMIT_SYMBOL, _ANCHOR})
        if len(values) != 2:
            return False
        anchor = ctypes.cast(ctypes.CDLL(str(path)).leveldb_open, ctypes.c_void_p).value
        assert anchor is not None
        limit = ctypes.c_int.from_address(anchor - values[_ANCHOR] + values[MMAP_LIMIT_SYMBOL])
        if limit.value != LEVELDB_DEFAULT_MMAP_LIMIT:
            return False
        limit.value = 0
        return True
    except (OSError, ValueError, struct.error, AttributeError) as e:
        log.debug("LevelDB keeps reading tables through mmap: %s", e)
        return False
