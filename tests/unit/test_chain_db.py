"""ChainDB: genesis, imports with their state in one batch, forks and reorgs (canonical index
and state head follow the best chain), finality, restart, corruption, and kill -9 at random
moments while a process imports and finalizes blocks."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from pysubtensor.node.chain_spec import load_chain_spec
from pysubtensor.node.db import (
    ChainDB,
    ChainDbCorrupt,
    ChainDbError,
    ChainDbLocked,
    ChainDbOpenError,
    ImportResult,
    InvalidBlock,
    NotInFinalizedChain,
    UnknownBlock,
)
from pysubtensor.node.db.layout import ChainKeys
from pysubtensor.node.db.paths import (
    chain_dir,
    check_chain_id,
    database_path,
    purge_chain,
    temporary_base_path,
)
from pysubtensor.node.genesis import genesis_header, genesis_state_version
from pysubtensor.node.state import CHILD_STORAGE_DEFAULT_PREFIX, EMPTY_ROOT, ordered_trie_root, trie_root
from pysubtensor.node.state.walk import iter_trie
from pysubtensor.primitives.header import Digest, Header, Other
from tests.conftest import vectors_dir

REPO = Path(__file__).resolve().parents[2]
GENESIS_TOP = {b"key" + bytes([i]): bytes([i]) * (i % 40) for i in range(1, 60)}
GENESIS_CHILDREN = {b"kid": {b"a": b"1", b"b": b"2" * 40}}


def genesis_of(top: dict[bytes, bytes], children: dict | None = None, version: int = 1) -> Header:
    from pysubtensor.node.state import trie_root_with_children
    root = trie_root_with_children(top, children or {}, version)
    return Header(parent_hash=bytes(32), number=0, state_root=root, extrinsics_root=ordered_trie_root([], version))


def new_db(path: Path) -> ChainDB:
    db = ChainDB.open(path)
    db.init_genesis(genesis_of(GENESIS_TOP, GENESIS_CHILDREN), GENESIS_TOP, GENESIS_CHILDREN, 1)
    return db


@pytest.fixture
def db(tmp_path: Path) -> Iterator[ChainDB]:
    with new_db(tmp_path / "db") as chain:
        yield chain


def block(chain: ChainDB, parent: bytes, changes: dict[bytes, bytes | None] | None = None,
          body: Sequence[bytes] = (), salt: bytes = b"", child_changes: dict | None = None):
    """Header, body and pending state commit of a block on `parent`."""
    base = chain.state_root(parent)
    assert base is not None
    number = chain.number_of(parent) + 1  # type: ignore[operator]
    pending = chain.state.apply(base, changes or {b"number": number.to_bytes(4, "little")}, child_changes, 1)
    header = Header(parent_hash=parent, number=number, state_root=pending.root,
                    extrinsics_root=ordered_trie_root(list(body), 1),
                    digest=Digest([Other(salt)] if salt else []))
    return header, list(body), pending


def add(chain: ChainDB, parent: bytes, salt: bytes = b"", make_best: bool | None = None,
        changes: dict | None = None, body: Sequence[bytes] = ()) -> ImportResult:
    header, xts, pending = block(chain, parent, changes, body, salt)
    return chain.import_block(header, xts, pending, make_best=make_best)


def flat_pairs(chain: ChainDB) -> dict[bytes, bytes]:
    k = chain.state.keys
    return {key[len(k.flat):]: v for key, v in chain.db.iterator(prefix=k.flat)}


def assert_head_consistent(chain: ChainDB) -> None:
    """The head's flat index recomputes to the best block's header state root."""
    best = chain.header(chain.best_hash)
    assert best is not None
    assert chain.state.head_root == best.state_root
    assert trie_root(flat_pairs(chain), 1) == best.state_root


# -- genesis -------------------------------------------------------------------------------


def test_genesis(db: ChainDB) -> None:
    g = genesis_of(GENESIS_TOP, GENESIS_CHILDREN)
    assert db.genesis_hash == db.best_hash == db.finalized_hash == g.hash == db.hash_of(0)
    assert db.best_number == db.finalized_number == 0
    assert db.header(g.hash) == g and db.body(g.hash) == []
    assert db.state_root(g.hash) == g.state_root
    assert db.leaves() == [g.hash]
    assert db.state.view().child_get(b"kid", b"a") == b"1"
    assert_head_consistent(db)
    assert db.init_genesis(g, GENESIS_TOP, GENESIS_CHILDREN, 1) is False  # same genesis: no-op
    other = genesis_of({b"x": b"y"})
    with pytest.raises(ChainDbError, match="holds the chain with genesis"):
        db.init_genesis(other, {b"x": b"y"})


def test_genesis_needs_matching_root_and_number(tmp_path: Path) -> None:
    with ChainDB.open(tmp_path / "db") as chain:
        assert not chain.has_genesis
        with pytest.raises(ChainDbError, match="no genesis"):
            _ = chain.best_hash
        bad = genesis_of({b"a": b"1"})
        with pytest.raises(InvalidBlock, match="state root"):
            chain.init_genesis(bad, {b"a": b"2"})
        wrong_number = Header(bytes(32), 1, bad.state_root, bad.extrinsics_root)
        with pytest.raises(InvalidBlock, match="#0"):
            chain.init_genesis(wrong_number, {b"a": b"1"})
        # A failed genesis leaves no chain records: a correct one still goes in.
        assert chain.init_genesis(bad, {b"a": b"1"}) is True
    with ChainDB.open(tmp_path / "db") as chain:
        assert chain.genesis_hash == bad.hash


def test_genesis_from_storage_builds_the_trie_once_and_checks_a_restart(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from pysubtensor.node.genesis import genesis_header_with_root
    from pysubtensor.node.state import trie_root_with_children

    expected = genesis_of(GENESIS_TOP, GENESIS_CHILDREN)
    in_memory: list[int] = []

    def root_of(top=GENESIS_TOP):
        in_memory.append(1)
        return trie_root_with_children(top, GENESIS_CHILDREN, 1)

    header_of = genesis_header_with_root
    with ChainDB.open(tmp_path / "db") as chain:
        header, created = chain.init_genesis_storage(GENESIS_TOP, GENESIS_CHILDREN, 1, header_of, root_of)
        # A new database: the trie built to store the state gives the root; no second build.
        assert (header.hash, created, in_memory) == (expected.hash, True, [])
        assert chain.genesis_hash == expected.hash and chain.block_info(expected.hash).state_root == header.state_root
    with ChainDB.open(tmp_path / "db") as chain:
        header, created = chain.init_genesis_storage(GENESIS_TOP, GENESIS_CHILDREN, 1, header_of, root_of)
        assert (header.hash, created, in_memory) == (expected.hash, False, [1])  # root only, nothing stored
        other = {**GENESIS_TOP, b"key\x01": b"other"}
        with pytest.raises(ChainDbError, match="holds the chain with genesis"):
            chain.init_genesis_storage(other, GENESIS_CHILDREN, 1, header_of, lambda: root_of(other))
        assert chain.genesis_hash == expected.hash


def test_genesis_of_a_real_raw_spec_reproduces_its_hash(tmp_path: Path) -> None:
    spec = load_chain_spec(vectors_dir() / "chainspecs" / "substrate-node-template-local-raw.json")
    assert spec.raw is not None
    version = genesis_state_version(spec.raw.top)
    header = genesis_header(spec.raw, version)
    with ChainDB.open(tmp_path / "db") as chain:
        chain.init_genesis(header, spec.raw.top, spec.raw.children_default, version)
    with ChainDB.open(tmp_path / "db") as chain:
        assert "0x" + chain.genesis_hash.hex() == "0x6bf30d04495c16ef053de4ac74eac35dfd6473e4907810f450bea1b976ac518f"
        assert dict(chain.state.view().pairs()) == spec.raw.top
        assert trie_root(flat_pairs(chain), version) == header.state_root


# -- importing -----------------------------------------------------------------------------


def test_linear_imports(db: ChainDB) -> None:
    g = db.genesis_hash
    xts = [b"\x10\x04\x01\x02\x03", b"\x08\x04\xff"]
    r1 = add(db, g, body=xts, changes={b"key\x01": b"changed", b"key\x02": None})
    assert r1.is_new_best and r1.enacted == (r1.hash,) and r1.retracted == () and r1.number == 1
    r2 = add(db, r1.hash)
    assert db.best_hash == r2.hash and db.best_number == 2
    assert [db.hash_of(n) for n in range(4)] == [g, r1.hash, r2.hash, None]
    assert db.body(r1.hash) == xts and db.body(r2.hash) == []
    assert db.header(r2.hash).parent_hash == r1.hash  # type: ignore[union-attr]
    assert db.leaves() == [r2.hash]
    # Each block's state is readable at its root; the head's flat index follows the best.
    assert db.state.view(db.state_root(r1.hash)).get(b"key\x01") == b"changed"
    assert db.state.view(db.state_root(g)).get(b"key\x01") == b"\x01"
    assert db.state.view().get(b"number") == (2).to_bytes(4, "little")
    assert db.state.view().get(b"key\x02") is None
    assert_head_consistent(db)
    db.check()
    again = add(db, r1.hash)  # the same block again
    assert again.already_known and again.hash == r2.hash and not again.is_new_best


def test_bad_imports_change_nothing(db: ChainDB) -> None:
    g = db.genesis_hash
    header, body, pending = block(db, g)
    with pytest.raises(UnknownBlock, match="unknown parent"):
        db.import_block(Header(b"\x01" * 32, 1, header.state_root, header.extrinsics_root), body, pending)
    with pytest.raises(InvalidBlock, match="is #2 but its parent is #0"):
        db.import_block(Header(g, 2, header.state_root, header.extrinsics_root), body, pending)
    with pytest.raises(InvalidBlock, match="differs from the committed state"):
        db.import_block(Header(g, 1, b"\x02" * 32, header.extrinsics_root), body, pending)
    r1 = add(db, g)
    other = db.state.apply(db.state_root(r1.hash), {b"z": b"1"})  # based on #1, not on genesis
    with pytest.raises(InvalidBlock, match="based on"):
        db.import_block(Header(g, 1, other.root, header.extrinsics_root, Digest([Other(b"x")])), [], other)
    assert db.best_hash == r1.hash and len(db.leaves()) == 1
    assert_head_consistent(db)


def test_fork_choice_and_reorg(db: ChainDB) -> None:
    g = db.genesis_hash
    a1 = add(db, g, changes={b"fork": b"a", b"a1": b"1"})
    a2 = add(db, a1.hash, changes={b"fork": b"a", b"a2": b"1"})
    a3 = add(db, a2.hash, changes={b"fork": b"a", b"a3": b"1"})
    b2 = add(db, a1.hash, b"b", changes={b"fork": b"b", b"b2": b"1"})
    b3 = add(db, b2.hash, b"b", changes={b"fork": b"b", b"b3": b"1"})
    # Same length as the best chain: the current best stays.
    assert not b2.is_new_best and not b3.is_new_best and b3.enacted == ()
    assert db.best_hash == a3.hash and db.state.view().get(b"fork") == b"a"
    assert set(db.leaves()) == {a3.hash, b3.hash}
    b4 = add(db, b3.hash, b"b", changes={b"fork": b"b", b"b4": b"1"})
    assert b4.is_new_best
    assert b4.retracted == (a3.hash, a2.hash)
    assert b4.enacted == (b2.hash, b3.hash, b4.hash)
    assert [db.hash_of(n) for n in range(5)] == [g, a1.hash, b2.hash, b3.hash, b4.hash]
    view = db.state.view()
    assert view.is_head and view.get(b"fork") == b"b" and view.get(b"a2") is None and view.get(b"b2") == b"1"
    assert db.is_canonical(b2.hash) and not db.is_canonical(a2.hash)
    assert_head_consistent(db)
    db.check()
    # The retracted fork stays readable, with its state.
    assert db.header(a3.hash) is not None
    assert db.state.view(db.state_root(a3.hash)).get(b"a3") == b"1"


def test_make_best(db: ChainDB) -> None:
    g = db.genesis_hash
    a1 = add(db, g)
    a2 = add(db, a1.hash)
    a3 = add(db, a2.hash)
    b1 = add(db, g, b"b", make_best=True, changes={b"b": b"1"})  # shorter, but forced
    assert b1.is_new_best and b1.retracted == (a3.hash, a2.hash, a1.hash) and b1.enacted == (b1.hash,)
    assert db.best_number == 1 and db.hash_of(2) is None and db.hash_of(3) is None
    assert db.state.view().get(b"b") == b"1"
    assert_head_consistent(db)
    c2 = add(db, b1.hash, b"c", make_best=False)
    assert not c2.is_new_best and db.best_hash == b1.hash
    back = db.set_best(a3.hash)
    assert back.is_new_best and back.retracted == (b1.hash,) and back.enacted == (a1.hash, a2.hash, a3.hash)
    assert db.hash_of(3) == a3.hash and db.state.view().get(b"b") is None
    assert_head_consistent(db)
    db.check()


def test_finality(db: ChainDB) -> None:
    g = db.genesis_hash
    a1 = add(db, g)
    a2 = add(db, a1.hash)
    a3 = add(db, a2.hash)
    b2 = add(db, a1.hash, b"b")
    res = db.finalize(a2.hash)
    assert res.finalized == (a1.hash, a2.hash) and not res.best_changed
    assert db.finalized_hash == a2.hash and db.finalized_number == 2
    assert db.is_finalized(a1.hash) and not db.is_finalized(a3.hash)
    assert b2.hash not in db.leaves()  # b2 no longer contains the finalized block
    assert db.finalize(a1.hash).finalized == ()  # already final: nothing happens
    assert db.finalize(a2.hash).finalized == ()
    assert db.finalized_hash == a2.hash  # never backwards
    with pytest.raises(NotInFinalizedChain):
        db.finalize(b2.hash)
    with pytest.raises(UnknownBlock):
        db.finalize(b"\x07" * 32)
    # A fork that does not contain the finalized block is stored but never becomes best.
    b3 = add(db, b2.hash, b"b")
    b4 = add(db, b3.hash, b"b")
    b5 = add(db, b4.hash, b"b")
    assert not b5.is_new_best and db.best_hash == a3.hash and b5.hash not in db.leaves()
    with pytest.raises(NotInFinalizedChain):
        add(db, b5.hash, b"b", make_best=True)
    with pytest.raises(NotInFinalizedChain):
        db.set_best(b5.hash)
    with pytest.raises(NotInFinalizedChain, match="at or below the finalized"):
        add(db, a1.hash, b"late")
    res = db.finalize(a3.hash)
    assert res.finalized == (a3.hash,)
    db.check()


def test_finalizing_a_block_off_the_best_chain_reorgs_to_it(db: ChainDB) -> None:
    g = db.genesis_hash
    a1 = add(db, g, changes={b"fork": b"a"})
    a2 = add(db, a1.hash, changes={b"fork": b"a"})
    a3 = add(db, a2.hash, changes={b"fork": b"a"})
    b1 = add(db, g, b"b", changes={b"fork": b"b"})
    b2 = add(db, b1.hash, b"b", changes={b"fork": b"b", b"b2": b"x"})
    c2 = add(db, b1.hash, b"c", changes={b"fork": b"c"})
    assert db.best_hash == a3.hash
    res = db.finalize(b1.hash)
    assert res.best_changed and res.finalized == (b1.hash,)
    # The longest chain through the finalized block wins (tie between b2 and c2: lowest hash).
    expected = min((b2, c2), key=lambda r: r.hash)
    assert db.best_hash == expected.hash
    assert res.retracted == (a3.hash, a2.hash, a1.hash) and res.enacted == (b1.hash, expected.hash)
    assert db.hash_of(3) is None and db.hash_of(1) == b1.hash
    assert set(db.leaves()) == {b2.hash, c2.hash}
    assert db.state.view().get(b"fork") == (b"b" if expected is b2 else b"c")
    assert_head_consistent(db)
    db.check()


# -- restart and corruption -------------------------------------------------------------------


def build_chain(path: Path) -> list[bytes]:
    with new_db(path) as chain:
        hashes = [chain.genesis_hash]
        for i in range(5):
            hashes.append(add(chain, hashes[-1], body=[bytes([i]) * 3]).hash)
        add(chain, hashes[2], b"fork")
        chain.finalize(hashes[3])
    return hashes


def test_restart_resumes(tmp_path: Path) -> None:
    hashes = build_chain(tmp_path / "db")
    with ChainDB.open(tmp_path / "db") as chain:
        assert chain.best_hash == hashes[-1] and chain.finalized_hash == hashes[3]
        assert [chain.hash_of(n) for n in range(6)] == hashes
        assert chain.body(hashes[2]) == [b"\x01" * 3]
        assert len(chain.leaves()) == 1  # the fork at #3 was displaced by finality at #3
        assert_head_consistent(chain)
        chain.check()
        r = add(chain, hashes[-1])
        assert r.is_new_best and r.number == 6
    with ChainDB.open(tmp_path / "db") as chain:
        assert chain.best_number == 6


def test_second_open_is_refused_while_locked(tmp_path: Path) -> None:
    with new_db(tmp_path / "db"), pytest.raises(ChainDbLocked, match="another pysubtensor"):
        ChainDB.open(tmp_path / "db")


def test_state_head_out_of_step_is_repaired(tmp_path: Path) -> None:
    hashes = build_chain(tmp_path / "db")
    with ChainDB.open(tmp_path / "db") as chain:
        chain.state.set_head(chain.state_root(hashes[1]))  # as if a head move went astray
    with ChainDB.open(tmp_path / "db") as chain:
        assert chain.state.head_root == chain.state_root(hashes[-1])
        assert_head_consistent(chain)


def _corrupt_best_header(chain: ChainDB) -> None:
    chain.db.delete(ChainKeys.header + chain.best_hash)


def _corrupt_best_pointer(chain: ChainDB) -> None:
    chain.db.put(ChainKeys.best, b"\x01\x02")


def _dangling_best_pointer(chain: ChainDB) -> None:
    chain.db.put(ChainKeys.best, b"\x09" * 32)


def _drop_canonical(chain: ChainDB) -> None:
    chain.db.delete(ChainKeys.number(chain.best_number))


def _drop_finalized_state(chain: ChainDB) -> None:
    chain.db.delete(chain.state.keys.roots + chain.state_root(chain.finalized_hash))  # type: ignore[operator]


def _drop_best_state(chain: ChainDB) -> None:
    chain.db.delete(chain.state.keys.roots + chain.state_root(chain.best_hash))  # type: ignore[operator]


def _garbage_header(chain: ChainDB) -> None:
    chain.db.put(ChainKeys.header + chain.finalized_hash, b"\x00\x01")


def _drop_genesis_pointer(chain: ChainDB) -> None:
    chain.db.delete(ChainKeys.genesis)


@pytest.mark.parametrize(("damage", "message"), [
    (_corrupt_best_header, "best block 0x[0-9a-f]+ has no header"),
    (_corrupt_best_pointer, "best block pointer is 2 bytes"),
    (_dangling_best_pointer, "best block 0x0909.* has no header"),
    (_drop_canonical, "canonical index at #5 does not point at the best block"),
    (_drop_finalized_state, "state root 0x[0-9a-f]+ of the finalized block #3 .* is not committed"),
    (_drop_best_state, "head root 0x[0-9a-f]+ is not a committed root"),
    (_garbage_header, "does not hash to it"),
    (_drop_genesis_pointer, "genesis pointer is missing"),
])
def test_corrupt_database_is_refused_with_a_clear_error(tmp_path: Path, damage, message) -> None:
    build_chain(tmp_path / "db")
    with ChainDB.open(tmp_path / "db") as chain:
        damage(chain)
    with pytest.raises(ChainDbCorrupt, match=message):
        ChainDB.open(tmp_path / "db")


def test_unsupported_schema_and_damaged_files(tmp_path: Path) -> None:
    build_chain(tmp_path / "db")
    with ChainDB.open(tmp_path / "db") as chain:
        chain.db.put(ChainKeys.schema, b"\x63")
    with pytest.raises(ChainDbOpenError, match="unsupported chain database schema"):
        ChainDB.open(tmp_path / "db")
    build_chain(tmp_path / "db2")
    (tmp_path / "db2" / "CURRENT").unlink()
    with pytest.raises(ChainDbCorrupt, match="CURRENT file is missing"):
        ChainDB.open(tmp_path / "db2")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ChainDbOpenError, match="not a directory"):
        ChainDB.open(tmp_path / "file")


# -- paths ---------------------------------------------------------------------------------------


def test_paths_and_purge(tmp_path: Path) -> None:
    assert database_path(tmp_path, "bittensor") == tmp_path / "chains" / "bittensor" / "db" / "full"
    assert chain_dir(tmp_path, "dev") == tmp_path / "chains" / "dev"
    for bad in ("..", "a/b", "", "x" * 200):
        with pytest.raises(ValueError):
            check_chain_id(bad)
    build_chain(database_path(tmp_path, "dev"))
    (chain_dir(tmp_path, "dev") / "keystore").mkdir()
    assert purge_chain(tmp_path, "dev") == (tmp_path / "chains" / "dev" / "db", True)
    assert not (tmp_path / "chains" / "dev" / "db").exists()
    assert (chain_dir(tmp_path, "dev") / "keystore").is_dir()  # only the database goes
    assert purge_chain(tmp_path, "dev") == (tmp_path / "chains" / "dev" / "db", False)
    with temporary_base_path() as base:
        assert base.is_dir()
        (base / "x").write_text("y")
    assert not base.exists()


# -- kill -9 --------------------------------------------------------------------------------------


def worker(path: str, seed: int) -> None:
    """Import (and sometimes finalize) blocks forever, with forks and reorgs. Prints
    "I <hash>" after each import and "F <hash>" after each finalization returns, and "W"
    right before importing a block with a large state change."""
    rnd = random.Random(seed)
    chain = ChainDB.open(path)
    if not chain.has_genesis:
        top = {b"k" + i.to_bytes(2, "big"): bytes(i % 50) for i in range(0, 6000, 3)}
        chain.init_genesis(genesis_of(top, {b"c1": {b"x": b"1"}}), top, {b"c1": {b"x": b"1"}}, 1)
    print("ready", flush=True)
    while True:
        roll = rnd.random()
        parent = chain.best_hash
        if roll < 0.2 and chain.best_number > chain.finalized_number + 1:
            parent = chain.hash_of(rnd.randint(chain.finalized_number, chain.best_number - 1))  # fork
        elif roll < 0.3:
            parent = rnd.choice(chain.leaves())
        base = chain.state_root(parent)
        view = chain.state.view(base)
        big = rnd.random() < 0.3
        changes: dict[bytes, bytes | None] = {}
        for _ in range(rnd.randint(800, 2000) if big else rnd.randint(1, 30)):
            changes[b"k" + rnd.randrange(6000).to_bytes(2, "big")] = rnd.randbytes(rnd.choice([0, 8, 33, 70]))
        changes.update(dict.fromkeys(view.keys(b"k", b"k" + rnd.randrange(6000).to_bytes(2, "big"),
                                               rnd.randint(0, 50)), None))
        child = {b"c1": {rnd.randbytes(2): rnd.randbytes(rnd.choice([1, 40])) for _ in range(rnd.randint(0, 5))}}
        pending = chain.state.apply(base, changes, child, 1)
        number = chain.number_of(parent) + 1  # type: ignore[operator]
        body = [rnd.randbytes(rnd.randint(1, 120)) for _ in range(rnd.randint(0, 4))]
        header = Header(parent, number, pending.root, ordered_trie_root(body, 1), Digest([Other(rnd.randbytes(4))]))
        if big:
            print("W", flush=True)
        make_best = rnd.choice([None, None, None, None, True])
        try:
            result = chain.import_block(header, body, pending, make_best=make_best)
        except NotInFinalizedChain:
            continue
        print("I", result.hash.hex(), flush=True)
        if rnd.random() < 0.35:
            leaves = chain.leaves()
            target = rnd.choice(leaves) if rnd.random() < 0.2 else chain.hash_of(
                max(chain.finalized_number, chain.best_number - rnd.randint(0, 3)))
            try:
                chain.finalize(target)  # type: ignore[arg-type]
            except NotInFinalizedChain:
                continue
            print("F", target.hex(), flush=True)  # type: ignore[union-attr]


def _check_after_kill(path: Path, imported: list[bytes], finalized: list[bytes]) -> int:
    with ChainDB.open(path) as chain:
        if not chain.has_genesis:
            assert not imported
            return 0
        chain.check()
        best = chain.header(chain.best_hash)
        assert best is not None
        top = flat_pairs(chain)
        assert chain.state.head_root == best.state_root
        assert trie_root(top, 1) == best.state_root, "flat index does not recompute to the best block's root"
        assert list(iter_trie(best.state_root, chain.state.node_at, chain.state.load_node)) == sorted(top.items())
        child_root = top.get(CHILD_STORAGE_DEFAULT_PREFIX + b"c1")
        kids = {k[len(chain.state.keys.child_ns(b"c1")):]: v
                for k, v in chain.db.iterator(prefix=chain.state.keys.child_ns(b"c1"))}
        assert trie_root(kids, 1) == (child_root or EMPTY_ROOT)
        for h in imported:  # every block whose import returned is there, whole
            info = chain.block_info(h)
            assert info is not None, f"imported block 0x{h.hex()} lost"
            assert chain.body(h) is not None and chain.state.has_state(info.state_root)
        if finalized:
            assert chain.is_finalized(finalized[-1]), "a finalization that returned was lost"
        assert chain.is_finalized(chain.finalized_hash) and chain.is_canonical(chain.best_hash)
        return chain.best_number


@pytest.mark.slow
def test_kill_9_while_importing(tmp_path: Path) -> None:
    rnd = random.Random(4321)
    path = tmp_path / "db"
    imported: list[bytes] = []
    finalized: list[bytes] = []
    mid_write = 0
    best = 0
    # The budget is work, not seconds: a fixed number of kills, each after counted imports, so
    # a slow (loaded) machine takes longer but checks the same.
    for kills in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c",
             f"from tests.unit.test_chain_db import worker; worker({str(path)!r}, {rnd.randrange(1 << 30)})"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line == "ready\n", f"worker failed to start: {line!r} {proc.stderr.read()}"  # type: ignore[union-attr]
            if kills % 2 == 0:
                # Kill right as a block with a large state change starts being written.
                _read_until(proc, "W", rnd.randint(1, 3), imported, finalized)
                time.sleep(rnd.choice([0, 0, 0.001, 0.003, 0.01]))
                mid_write += 1
            else:
                # At a random moment after some imports (counted, not timed).
                _read_until(proc, "I", rnd.randint(1, 10), imported, finalized)
                time.sleep(rnd.uniform(0, 0.2))
            assert proc.poll() is None, f"worker exited: {proc.stderr.read()}"  # type: ignore[union-attr]
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            for line in proc.stdout:  # type: ignore[union-attr]
                _record(line, imported, finalized)
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
        best = _check_after_kill(path, imported, finalized)
    assert mid_write == KILLS // 2
    assert len(imported) > KILLS and best > 5  # the workers made progress between kills


KILLS = 24


def _read_until(proc: subprocess.Popen[str], kind: str, count: int, imported: list[bytes],
                finalized: list[bytes]) -> None:
    """Read (and record) the worker's lines until `count` of them were of `kind` ("W", "I")."""
    seen = 0
    while seen < count:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line, f"worker died: {proc.stderr.read()}"  # type: ignore[union-attr]
        seen += line == "W\n" if kind == "W" else line.startswith(kind + " ")
        _record(line, imported, finalized)


def _record(line: str, imported: list[bytes], finalized: list[bytes]) -> None:
    if not line.endswith("\n"):
        return  # cut short by the kill: the worker had not finished saying what returned
    if line.startswith("I "):
        imported.append(bytes.fromhex(line[2:].strip()))
    elif line.startswith("F "):
        finalized.append(bytes.fromhex(line[2:].strip()))
