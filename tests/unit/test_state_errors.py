"""Bad databases and bad input: damaged LevelDB directories, a held lock and missing
nodes give our own clear errors; wrong key/value types give a TypeError naming them."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import plyvel
import pytest

from pysubtensor.node.state import (
    StateCorruptError,
    StateDB,
    StateError,
    StateLockedError,
    StateOpenError,
    UnknownStateError,
)


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database with a few states, compacted so that table files exist."""
    path = tmp_path_factory.mktemp("good") / "db"
    rnd = random.Random(11)
    with StateDB(path) as state:
        root = state.build_genesis({rnd.randbytes(32): rnd.randbytes(40) for _ in range(30_000)}, {}, 1)
        state.commit(state.apply(root, {b"k": b"v"}, {}, 1))
        state.db.compact_range()
    return path


@pytest.fixture
def copy_db(good_db: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "copy"
    shutil.copytree(good_db, dest)
    return dest


def _files(path: Path, suffix: str) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.name.endswith(suffix) or p.name.startswith(suffix))


def test_good_copy_opens(copy_db: Path) -> None:
    with StateDB(copy_db) as state:
        assert state.view().get(b"k") == b"v"


def test_missing_current_file(copy_db: Path) -> None:
    (copy_db / "CURRENT").unlink()
    with pytest.raises(StateCorruptError, match="CURRENT file is missing"):
        StateDB(copy_db)
    assert _files(copy_db, ".ldb")  # and nothing was touched


def test_garbage_current_file(copy_db: Path) -> None:
    (copy_db / "CURRENT").write_text("garbage")
    with pytest.raises(StateCorruptError, match="corruption"):
        StateDB(copy_db)


def test_garbage_manifest(copy_db: Path) -> None:
    _files(copy_db, "MANIFEST-")[0].write_bytes(os.urandom(200))
    with pytest.raises(StateCorruptError):
        StateDB(copy_db)


def test_deleted_table_files(copy_db: Path) -> None:
    for p in _files(copy_db, ".ldb"):
        p.unlink()
    with pytest.raises(StateCorruptError, match="missing files"):
        StateDB(copy_db)


@pytest.mark.parametrize("damage", ["truncate", "zero"])
def test_damaged_table_files(copy_db: Path, damage: str) -> None:
    for p in _files(copy_db, ".ldb"):
        if damage == "truncate":
            os.truncate(p, p.stat().st_size // 2)
        else:
            with p.open("r+b") as f:
                f.write(b"\x00" * 4096)
    with pytest.raises(StateCorruptError):
        with StateDB(copy_db) as state:  # may open; reading the state must then fail
            for root in state.roots():
                state.view(root).pairs()


def test_lock_held(copy_db: Path) -> None:
    with StateDB(copy_db), pytest.raises(StateLockedError, match="locked"):
        StateDB(copy_db)


def test_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateOpenError, match="not a directory"):
        StateDB(tmp_path / "file")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "notes.txt").write_text("x")
    with pytest.raises(StateOpenError, match="not a LevelDB database"):
        StateDB(tmp_path / "dir")
    with pytest.raises(StateOpenError, match="does not exist"):
        StateDB(tmp_path / "missing", create=False)


def test_missing_head_node(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        root = state.build_genesis({b"a" * 40: b"b" * 40}, {}, 1)
        state.db.delete(state.keys.node + root)
    with pytest.raises(StateCorruptError, match=f"head state root 0x{root.hex()} has no trie node"):
        StateDB(tmp_path / "db")


def test_missing_inner_node_is_reported(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        r0 = state.build_genesis({bytes([i]) * 40: b"v" * 40 for i in range(20)}, {}, 1)
        state.commit(state.apply(r0, {b"x": b"y"}, {}, 1))
        value_node = next(k for k, v in state.db.iterator(prefix=state.keys.node) if v == b"v" * 40)
        state.db.delete(value_node)
        with pytest.raises(StateCorruptError, match="is missing"):
            state.view(r0).get(b"\x00" * 40)


def test_garbage_head_root_meta(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        state.build_genesis({b"a": b"b"}, {}, 1)
        state.db.put(state.keys.head, b"short")
    with pytest.raises(StateCorruptError, match="not 32"):
        StateDB(tmp_path / "db")


def test_bad_source_type() -> None:
    with pytest.raises(TypeError, match=r"path, plyvel\.DB or prefixed DB"):
        StateDB(42)  # type: ignore[arg-type]


def test_closed_handle_is_a_state_error(tmp_path: Path) -> None:
    db = plyvel.DB(str(tmp_path / "db"), create_if_missing=True)
    state = StateDB(db)
    db.close()
    with pytest.raises(StateError):
        state.has_state(b"\x01" * 32)


@pytest.fixture
def state(tmp_path: Path) -> StateDB:
    with StateDB(tmp_path / "db") as s:
        s.build_genesis({b"a": b"1"}, {}, 1)
        yield s


@pytest.mark.parametrize(("changes", "match"), [
    ({"a": b"1"}, r"change #0: key must be bytes, got str"),
    ({b"a": "1"}, r"change #0 \(key 0x61\): value must be bytes or None, got str"),
    ({b"a": 1}, r"value must be bytes or None, got int"),
    ({b"a": bytearray(b"1")}, r"got bytearray"),
])
def test_apply_rejects_wrong_types(state: StateDB, changes: dict, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        state.apply(state.view().root, changes, {}, 1)


def test_apply_rejects_bad_arguments(state: StateDB) -> None:
    root = state.view().root
    with pytest.raises(TypeError, match="child trie key must be bytes"):
        state.apply(root, {}, {"c": {b"k": b"v"}}, 1)  # type: ignore[dict-item]
    with pytest.raises(TypeError, match=r"child 0x63 change #0: key must be bytes"):
        state.apply(root, {}, {b"c": {1: b"v"}}, 1)  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="state_version must be 0 or 1"):
        state.apply(root, {}, {}, 2)
    with pytest.raises(TypeError, match="base_root must be 32 bytes"):
        state.apply(root.hex(), {}, {}, 1)  # type: ignore[arg-type]
    with pytest.raises(UnknownStateError):
        state.view(b"\x00" * 32)
    with pytest.raises(TypeError, match=r"top item #0: key must be bytes"):
        state.build_genesis({"a": b"1"}, {}, 1)  # type: ignore[dict-item]


def test_view_rejects_wrong_types(state: StateDB) -> None:
    view = state.view()
    with pytest.raises(TypeError, match="storage key must be bytes, got str"):
        view.get("a")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="child key must be bytes"):
        view.child_get("c", b"a")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="proof key #0 must be bytes"):
        view.read_proof(["a"])  # type: ignore[list-item]
