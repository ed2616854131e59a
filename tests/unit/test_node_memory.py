"""The node's memory bounds at the process level: LevelDB's mapped tables, the collector's
start-up pause (node.memory)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import plyvel

from pysubtensor.node.memory import end_startup_pause


def _run(code: str) -> str:
    """`code` in a new Python process (LevelDB's environment, and its mmap limit, is made once
    per process, at the first database opened); its last line of output."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


_READ_TABLES = """
import plyvel
from pysubtensor.node.state.store import open_leveldb

if PLAIN_FIRST:  # LevelDB's environment made by a plain open: it maps tables
    plyvel.DB(PATH + "-other", create_if_missing=True).close()
db = open_leveldb(PATH, create=False)
for i in range(0, 150 * 300, 97):
    assert db.get(i.to_bytes(8, "big")) == bytes([i // 300 % 251]) * 200
assert sum(1 for _ in db.iterator()) == 150 * 300
with open("/proc/self/maps") as maps:  # LevelDB table files mapped into this process
    print(len({line.split()[-1] for line in maps if line.rstrip().endswith(".ldb")}))
"""


def _mapped_after_reading_many_tables(tmp_path: Path, *, plain_first: bool) -> int:
    """150 small tables written with plyvel directly (tiny table files), then read through
    the node's open_leveldb in a new process: how many tables it has mapped."""
    path = tmp_path / "db"
    db = plyvel.DB(str(path), create_if_missing=True, write_buffer_size=64 << 10, max_file_size=64 << 10,
                   compression=None)
    for j in range(150):
        with db.write_batch() as batch:
            for i in range(300):
                batch.put((j * 300 + i).to_bytes(8, "big"), bytes([j % 251]) * 200)
    db.compact_range()
    db.close()
    assert len(list(path.glob("*.ldb"))) > 100
    return int(_run(f"PATH, PLAIN_FIRST = {str(path)!r}, {plain_first}\n" + _READ_TABLES))


def test_the_node_reads_leveldb_tables_without_mapping_them(tmp_path: Path):
    # Mapped table pages count in the node's RSS (37 MiB of it at the peak of a soak's
    # dev_newBlock burst); through open_leveldb, the first open of the process, none is
    # mapped, and every value reads back the same.
    assert _mapped_after_reading_many_tables(tmp_path, plain_first=False) == 0


def test_a_process_whose_leveldb_maps_tables_keeps_at_most_64_mapped(tmp_path: Path):
    # Where LevelDB's environment came first (a plain plyvel open: tables read through mmap),
    # the node's open still bounds the open tables, so the mapped ones: its default (1,000
    # open files) kept every table of a long chain mapped.
    mapped = _mapped_after_reading_many_tables(tmp_path, plain_first=True)
    assert 0 < mapped <= 64


def test_symbol_values_agree_with_the_dynamic_loader():
    # Two exported functions of the LevelDB library: their distance in the symbol table is
    # their distance in memory, as the loader placed them.
    import ctypes

    from pysubtensor.node.state.table_reads import MMAP_LIMIT_SYMBOL, _leveldb_library, symbol_values

    path = _leveldb_library()
    assert path is not None
    values = symbol_values(path.read_bytes(), {b"leveldb_open", b"leveldb_close", MMAP_LIMIT_SYMBOL, b"no_such"})
    assert set(values) == {b"leveldb_open", b"leveldb_close", MMAP_LIMIT_SYMBOL}
    lib = ctypes.CDLL(str(path))
    address = {name: ctypes.cast(getattr(lib, name.decode()), ctypes.c_void_p).value
               for name in (b"leveldb_open", b"leveldb_close")}
    assert values[b"leveldb_open"] - values[b"leveldb_close"] == address[b"leveldb_open"] - address[b"leveldb_close"]
    assert symbol_values(b"\x7fELF\x01\x01" + bytes(64), {b"leveldb_open"}) == {}  # not ELF64: nothing


def test_end_startup_pause_freezes_and_resumes_only_a_paused_collector():
    assert gc.isenabled()
    assert end_startup_pause() is False and gc.isenabled()  # a process that never paused it
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        assert end_startup_pause() is True
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_entry_point_pauses_the_collector_until_the_node_starts():
    # `python -m pysubtensor` pauses the collector before importing the node; a run that ends
    # before the service starts (here: --help) leaves it paused, the service ends the pause.
    probe = ("import gc, runpy, sys; sys.argv = ['pysubtensor', '--help']\n"
             "try:\n    runpy.run_module('pysubtensor', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print('enabled' if gc.isenabled() else 'paused', file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.stderr.strip().splitlines()[-1] == "paused", out.stderr


def test_the_node_opens_its_database_with_the_memory_budgets_sizes(tmp_path: Path, monkeypatch):
    # What LevelDB is opened with is not readable back from plyvel: record the options the
    # node's open passes (the real plyvel.DB opens the database all the same).
    from types import SimpleNamespace

    import pysubtensor.node.state.store as store
    from pysubtensor.node.db import ChainDB

    opened: list[dict] = []

    def recording_db(*args, **kwargs):
        opened.append(kwargs)
        return plyvel.DB(*args, **kwargs)

    proxy = SimpleNamespace(**{name: getattr(plyvel, name) for name in dir(plyvel) if not name.startswith("__")})
    proxy.DB = recording_db
    monkeypatch.setattr(store, "plyvel", proxy)
    with ChainDB.open(tmp_path / "chain") as chain_db:
        assert chain_db.state._node_cache_size == 8192
    assert len(opened) == 1
    options = opened[0]
    assert options["lru_cache_size"] == 4 << 20
    assert options["write_buffer_size"] == 2 << 20
    assert options["max_open_files"] == 74


def test_the_trie_node_cache_keeps_its_bound_and_evicts_the_oldest(tmp_path: Path):
    from pysubtensor.node.state import StateDB

    with StateDB(tmp_path / "state", node_cache=4) as state:
        state.build_genesis({bytes([i]) * 40: bytes([i]) * 8 for i in range(32)}, {}, 0)  # values inline
        prefix = state.keys.node
        hashes = [key[len(prefix):] for key in state.db.iterator(prefix=prefix, include_value=False)][:6]
        assert len(hashes) == 6
        for h in hashes:
            state.node_at(h)
        assert list(state._node_cache) == hashes[2:]  # the two oldest went first
        state.node_at(hashes[3])  # a hit changes nothing
        assert list(state._node_cache) == hashes[2:]


def test_the_block_info_cache_keeps_its_bound_and_evicts_the_oldest(tmp_path: Path):
    import pysubtensor.node.db.chain as chain
    from pysubtensor.node.db import ChainDB

    # The real bound, part of the memory budget: 4,096 (~1.5 MiB), filled past it.
    assert chain._INFO_CACHE == 4096
    with ChainDB.open(tmp_path / "chain") as chain_db:
        chain_db._infos.clear()
        infos = [chain.BlockInfo(i.to_bytes(32, "big"), i, bytes(32), bytes(32)) for i in range(4096 + 2)]
        for info in infos:
            chain_db._remember(info)
        assert list(chain_db._infos) == [info.hash for info in infos[2:]]


def test_the_mmap_limit_is_set_only_where_it_holds_leveldbs_default():
    # A second setting finds 0, not LevelDB's 1,000: the variable is left alone (as anything
    # that is not LevelDB 1.22's default would be).
    probe = ("from pysubtensor.node.state import table_reads as t\n"
             "print(t._set_mmap_limit(), t._set_mmap_limit(), t.read_tables_without_mmap(), t.read_tables_without_mmap())")
    assert _run(probe) == "True False False False"


def test_the_node_starts_without_cryptography():
    # Its AES-GCM is for timelocked payloads only (primitives/tlock.py imports it on first
    # use): the library is ~6 MiB of RSS; encrypting imports it.
    probe = ("import sys\nimport pysubtensor.node.cli, pysubtensor.node.service, pysubtensor.rpc.server\n"
             "from pysubtensor.runtime import construct\n"
             "before = 'cryptography' in sys.modules\n"
             "from pysubtensor.primitives import tlock\n"
             "tlock.encrypt(tlock.public_key(12345), 7, b'x', rng=bytes(64))\n"
             "print(before, 'cryptography' in sys.modules)")
    assert _run(probe) == "False True"
