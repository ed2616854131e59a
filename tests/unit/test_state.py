"""StateDB: incremental roots against full recomputation, historical reads, the head's flat
index (commits, forks, set_head), child tries, batches and restart."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from tempfile import TemporaryDirectory

import plyvel
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pysubtensor.node.state import (
    CHILD_STORAGE_DEFAULT_PREFIX,
    EMPTY_ROOT,
    StateDB,
    StateError,
    UnknownStateError,
    trie_root,
    trie_root_with_children,
)
from pysubtensor.node.state.store import prefix_successor

Top = dict[bytes, bytes]
Children = dict[bytes, dict[bytes, bytes]]

# Few distinct bytes so keys share prefixes and are prefixes of one another (incl. b"").
KEYS = st.lists(st.sampled_from([0x00, 0x01, 0x10, 0x11, 0xFF]), max_size=4).map(bytes)
# Value sizes around the V1 inline threshold (32 inline, 33 hashed).
VALUES = st.sampled_from([0, 1, 31, 32, 33, 34, 70]).flatmap(lambda n: st.binary(min_size=n, max_size=n))
CHANGES = st.dictionaries(KEYS, st.one_of(st.none(), VALUES, VALUES), max_size=8)
CHILD_CHANGES = st.dictionaries(st.sampled_from([b"", b"a", b"ab"]),
                                st.dictionaries(KEYS, st.one_of(st.none(), VALUES), max_size=4), max_size=2)


def apply_model(top: Top, children: Children, changes: dict, child_changes: dict) -> None:
    for k, v in changes.items():
        if v is None:
            top.pop(k, None)
        else:
            top[k] = v
    for ck, kv in child_changes.items():
        child = children.setdefault(ck, {})
        for k, v in kv.items():
            if v is None:
                child.pop(k, None)
            else:
                child[k] = v
        if not child:
            del children[ck]


def full_top(top: Top, children: Children, version: int) -> Top:
    out = dict(top)
    for ck, kv in children.items():
        out[CHILD_STORAGE_DEFAULT_PREFIX + ck] = trie_root(kv, version)
    return out


def flat_contents(state: StateDB) -> tuple[Top, dict[bytes, Top]]:
    """The raw flat index: top entries and child entries (by namespace)."""
    k = state.keys
    db = state.db
    top = {key[len(k.flat):]: v for key, v in db.iterator(prefix=k.flat)}
    kids = {key: v for key, v in db.iterator(prefix=k.child)}
    return top, kids


def check_state(state: StateDB, root: bytes, top: Top, children: Children, version: int) -> None:
    view = state.view(root)
    expected = full_top(top, children, version)
    assert view.pairs() == sorted(expected.items())
    for key, value in list(expected.items())[:6]:
        assert view.get(key) == value
    for ck, kv in children.items():
        assert view.child_pairs(ck) == sorted(kv.items())
        assert view.child_root(ck) == trie_root(kv, version)
        for key, value in list(kv.items())[:3]:
            assert view.child_get(ck, key) == value
    assert view.child_get(b"never-created", b"") is None


def check_flat(state: StateDB, top: Top, children: Children, version: int) -> None:
    flat_top, flat_kids = flat_contents(state)
    assert flat_top == full_top(top, children, version)
    expected_kids = {state.keys.child_ns(ck) + k: v for ck, kv in children.items() for k, v in kv.items()}
    assert flat_kids == expected_kids


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.sampled_from([0, 1]),
       steps=st.lists(st.tuples(CHANGES, CHILD_CHANGES, st.booleans()), min_size=1, max_size=10),
       data=st.data())
def test_incremental_roots_match_full_recomputation(version: int, steps: list, data: st.DataObject) -> None:
    with TemporaryDirectory() as tmp, StateDB(Path(tmp) / "db") as state:
        top: Top = {}
        children: Children = {}
        root = EMPTY_ROOT
        snapshots: dict[bytes, tuple[Top, Children]] = {root: ({}, {})}
        for changes, child_changes, move_head in steps:
            pending = state.apply(root, changes, child_changes, version)
            apply_model(top, children, changes, child_changes)
            assert pending.root == trie_root_with_children(top, children, version)
            root = state.commit(pending, set_head=move_head)
            snapshots[root] = (copy.deepcopy(top), copy.deepcopy(children))
            if move_head:
                assert state.head_root == root
                check_flat(state, top, children, version)
        for r, (t, c) in snapshots.items():  # every retained root stays readable
            check_state(state, r, t, c, version)
        for r in data.draw(st.lists(st.sampled_from(sorted(snapshots)), max_size=4)):
            state.set_head(r)
            check_flat(state, *snapshots[r], version)
            check_state(state, r, *snapshots[r], version)


def test_lazy_migration_keeps_v0_values() -> None:
    """A V1 commit rewrites only the values it writes; untouched long values stay inline."""
    long_a, long_b = b"A" * 40, b"B" * 40
    with TemporaryDirectory() as tmp, StateDB(Path(tmp) / "db") as state:
        v0 = state.build_genesis({b"\x01": long_a, b"\x02": long_b}, {}, 0)
        assert v0 == trie_root({b"\x01": long_a, b"\x02": long_b}, 0)
        v1 = state.commit(state.apply(v0, {b"\x02": long_b}, {}, 1))
        assert v1 not in (v0, trie_root({b"\x01": long_a, b"\x02": long_b}, 1))
        assert state.view(v1).pairs() == [(b"\x01", long_a), (b"\x02", long_b)]


# -- ordered iteration ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def iter_states(tmp_path_factory: pytest.TempPathFactory) -> tuple[StateDB, StateDB, bytes, Top, Top]:
    """Two databases holding the same state: in one it is the head (flat index reads),
    in the other the head has moved on (trie-walk reads)."""
    rnd = random.Random(7)
    alphabet = [0x00, 0x01, 0x10, 0x11, 0x7F, 0xFF]
    top = {bytes(rnd.choice(alphabet) for _ in range(rnd.randint(0, 4))): rnd.randbytes(rnd.choice([1, 40]))
           for _ in range(300)}
    child = {bytes(rnd.choice(alphabet) for _ in range(rnd.randint(0, 3))): rnd.randbytes(rnd.choice([1, 40]))
             for _ in range(80)}
    states = []
    for name in ("head", "historical"):
        state = StateDB(tmp_path_factory.mktemp(name) / "db")
        root = state.build_genesis(top, {b"kid": child}, 1)
        states.append(state)
    states[1].commit(states[1].apply(root, {b"\x55": b"moved on"}, {}, 1))
    yield states[0], states[1], root, full_top(top, {b"kid": child}, 1), child
    for state in states:
        state.close()


def _expected_keys(items: Top, prefix: bytes, start: bytes | None, limit: int | None) -> list[bytes]:
    keys = [k for k in sorted(items) if k.startswith(prefix) and (start is None or k > start)]
    return keys if limit is None else keys[:limit]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=KEYS, start=st.one_of(st.none(), KEYS, st.binary(max_size=5)),
       limit=st.one_of(st.none(), st.integers(0, 6)))
def test_key_iteration(iter_states: tuple, prefix: bytes, start: bytes | None, limit: int | None) -> None:
    head_db, hist_db, root, top, child = iter_states
    head, hist = head_db.view(root), hist_db.view(root)
    assert head.is_head and not hist.is_head
    want = _expected_keys(top, prefix, start, limit)
    for view in (head, hist):
        assert view.keys(prefix, start, limit) == want
        assert view.pairs(prefix, start, limit) == [(k, top[k]) for k in want]
        assert view.child_keys(b"kid", prefix, start, limit) == _expected_keys(child, prefix, start, limit)
        assert view.child_keys(b"absent", prefix, start, limit) == []
    if start is not None:
        nxt = _expected_keys(top, b"", start, 1)
        assert head.next_key(start) == hist.next_key(start) == (nxt[0] if nxt else None)
        cnxt = _expected_keys(child, b"", start, 1)
        assert head.child_next_key(b"kid", start) == hist.child_next_key(b"kid", start) == \
            (cnxt[0] if cnxt else None)


def test_iteration_bad_arguments(iter_states: tuple) -> None:
    view = iter_states[0].view()
    with pytest.raises(ValueError, match="limit"):
        view.keys(b"", None, -1)
    with pytest.raises(TypeError, match="prefix must be bytes"):
        view.keys("0x00")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="start key must be bytes"):
        view.keys(b"", 5)  # type: ignore[arg-type]


def test_prefix_successor() -> None:
    assert prefix_successor(b"ab") == b"ac"
    assert prefix_successor(b"a\xff\xff") == b"b"
    assert prefix_successor(b"\xff") is None


# -- child tries ---------------------------------------------------------------------------


def test_child_trie_lifecycle(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        r0 = state.build_genesis({b"top": b"1"}, {}, 1)
        r1 = state.commit(state.apply(r0, {}, {b"c": {b"x": b"1", b"y": b"2" * 40}}, 1))
        assert state.view().get(CHILD_STORAGE_DEFAULT_PREFIX + b"c") == trie_root({b"x": b"1", b"y": b"2" * 40}, 1)
        assert state.view().child_pairs(b"c") == [(b"x", b"1"), (b"y", b"2" * 40)]
        # Removing every entry removes the child trie and its root entry.
        r2 = state.commit(state.apply(r1, {}, {b"c": {b"x": None, b"y": None}}, 1))
        assert r2 == r0
        assert state.view().keys() == [b"top"]
        assert flat_contents(state) == ({b"top": b"1"}, {})
        assert state.view(r1).child_get(b"c", b"y") == b"2" * 40
        # Deleting in a child that does not exist changes nothing.
        assert state.apply(r2, {}, {b"nope": {b"k": None}}, 1).root == r0
        with pytest.raises(ValueError, match="reserved"):
            state.apply(r2, {CHILD_STORAGE_DEFAULT_PREFIX + b"c": b"\x00" * 32}, {}, 1)


# -- forks and the flat index ----------------------------------------------------------------


def test_set_head_between_forks(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        base_top = {bytes([i]): bytes([i]) * (i % 50) for i in range(200)}
        g = state.build_genesis(base_top, {b"k1": {b"a": b"1"}}, 1)
        fork_a = state.apply(g, {b"\x01": b"A", b"\x02": None, b"new-a": b"x" * 60}, {b"k1": {b"a": None}}, 1)
        fork_b = state.apply(g, {b"\x01": b"B", b"new-b": b"y"}, {b"k2": {b"b": b"2"}}, 1)
        state.commit(fork_a)
        state.commit(fork_b, set_head=False)
        assert state.head_root == fork_a.root
        b2 = state.commit(state.apply(fork_b.root, {b"\x03": None}, {b"k1": {b"z": b"9"}}, 1))  # reorg by commit
        models = {
            g: (base_top, {b"k1": {b"a": b"1"}}),
            fork_a.root: ({**{k: v for k, v in base_top.items() if k != b"\x02"}, b"\x01": b"A", b"new-a": b"x" * 60},
                          {}),
            b2: ({**{k: v for k, v in base_top.items() if k != b"\x03"}, b"\x01": b"B", b"new-b": b"y"},
                 {b"k1": {b"a": b"1", b"z": b"9"}, b"k2": {b"b": b"2"}}),
        }
        check_flat(state, *models[b2], 1)
        for root in (fork_a.root, g, b2, b2, fork_a.root):
            state.set_head(root)
            assert state.head_root == root
            check_flat(state, *models[root], 1)
            check_state(state, root, *models[root], 1)
        with pytest.raises(UnknownStateError, match="not in the state database"):
            state.set_head(b"\x42" * 32)
        with pytest.raises(UnknownStateError):
            state.apply(b"\x42" * 32, {}, {}, 1)


def test_view_follows_head_moves(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        r0 = state.build_genesis({b"a": b"0"}, {}, 1)
        view = state.view()
        assert view.is_head
        state.commit(state.apply(r0, {b"a": b"1"}, {}, 1))
        assert not view.is_head
        assert view.get(b"a") == b"0"  # now read by walking the trie
        assert state.view().get(b"a") == b"1"


# -- batches -----------------------------------------------------------------------------


def test_stage_into_caller_batch(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        r0 = state.build_genesis({b"a": b"0"}, {}, 1)
        pending = state.apply(r0, {b"a": b"1", b"b": b"2"}, {}, 1)
        batch = state.db.write_batch()
        staged = state.stage(batch, pending)
        batch.put(b"Bheader", b"block")
        assert state.head_root == r0  # nothing written yet
        batch.write()
        state.finish(staged)
        assert state.head_root == pending.root
        assert state.db.get(b"Bheader") == b"block"
        assert state.view().pairs() == [(b"a", b"1"), (b"b", b"2")]

        with state.write_batch() as wb:
            state.stage(wb, state.apply(pending.root, {b"c": b"3"}, {}, 1))
            wb.put(b"Bheader2", b"block2")
        assert state.view().get(b"c") == b"3" and state.db.get(b"Bheader2") == b"block2"
        with pytest.raises(StateError, match="already written"):
            wb.put(b"x", b"y")


def test_failed_batch_writes_nothing(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        r0 = state.build_genesis({b"a": b"0"}, {}, 1)
        pending = state.apply(r0, {b"a": b"1"}, {}, 1)
        with pytest.raises(RuntimeError), state.write_batch() as wb:
            state.stage(wb, pending)
            wb.put(b"Bheader", b"block")
            raise RuntimeError("block import failed")
        assert state.head_root == r0
        assert not state.has_state(pending.root)
        assert state.db.get(b"Bheader") is None
        assert state.view().get(b"a") == b"0"


def test_stale_staged_commit_is_refused(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        r0 = state.build_genesis({b"a": b"0"}, {}, 1)
        p1 = state.apply(r0, {b"a": b"1"}, {}, 1)
        p2 = state.apply(r0, {b"a": b"2"}, {}, 1)
        with pytest.raises(StateError, match="head moved"), state.write_batch() as wb:
            state.stage(wb, p1)
            state.commit(p2)  # another commit lands first
        assert state.head_root == p2.root
        assert not state.has_state(p1.root)
        check_flat(state, {b"a": b"2"}, {}, 1)


# -- persistence and sharing -----------------------------------------------------------------


def test_restart_reads_everything_back(tmp_path: Path) -> None:
    rnd = random.Random(3)
    models: dict[bytes, tuple[Top, Children]] = {}
    top: Top = {}
    children: Children = {}
    with StateDB(tmp_path / "db") as state:
        root = EMPTY_ROOT
        for _ in range(6):
            changes = {rnd.randbytes(rnd.randint(1, 3)): rnd.randbytes(rnd.choice([0, 5, 40])) for _ in range(30)}
            changes.update(dict.fromkeys(rnd.sample(sorted(top), min(5, len(top))), None))
            kids = {b"ck": {rnd.randbytes(2): rnd.randbytes(3) for _ in range(5)}}
            apply_model(top, children, changes, kids)
            root = state.commit(state.apply(root, changes, kids, 1))
            models[root] = (copy.deepcopy(top), copy.deepcopy(children))
    with StateDB(tmp_path / "db") as state:
        assert state.head_root == root
        assert sorted(state.roots()) == sorted(models)
        check_flat(state, top, children, 1)
        for r, (t, c) in models.items():
            check_state(state, r, t, c, 1)


def test_shared_handle_with_prefix(tmp_path: Path) -> None:
    db = plyvel.DB(str(tmp_path / "shared"), create_if_missing=True)
    try:
        db.put(b"chain-key", b"chain-value")
        state = StateDB(db, prefix=b"S")
        root = state.build_genesis({b"k": b"v"}, {}, 1)
        other = StateDB(db.prefixed_db(b"T"))  # a second, independent state in the same DB
        other.build_genesis({b"k": b"w"}, {}, 1)
        assert all(k.startswith((b"S", b"T", b"chain")) for k in db.iterator(include_value=False))
        reopened = StateDB(db, prefix=b"S")
        assert reopened.head_root == root and reopened.view().get(b"k") == b"v"
        assert StateDB(db, prefix=b"T").view().get(b"k") == b"w"
        assert db.get(b"chain-key") == b"chain-value"
    finally:
        db.close()


def test_genesis_replaces_flat_index(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        state.build_genesis({b"old": b"1"}, {b"c": {b"x": b"1"}}, 1)
        state.build_genesis({b"new": b"2"}, {}, 1)
        check_flat(state, {b"new": b"2"}, {}, 1)


def test_interrupted_rewrite_is_repaired_on_open(tmp_path: Path) -> None:
    top = {bytes([i, j]): bytes([i ^ j]) * 3 for i in range(20) for j in range(20)}
    with StateDB(tmp_path / "db") as state:
        state.build_genesis(top, {b"c": {b"x": b"1"}}, 1)
        # Simulate a crash in the middle of a multi-batch rewrite: marker cleared,
        # flat index half deleted plus a stray entry.
        k = state.keys
        state.db.put(k.flat_marker, b"")
        for key in list(state.db.iterator(prefix=k.flat, include_value=False))[:100]:
            state.db.delete(key)
        state.db.put(k.flat + b"stray", b"!")
    with StateDB(tmp_path / "db") as state:
        check_flat(state, top, {b"c": {b"x": b"1"}}, 1)


def test_one_head_move_per_batch(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        r0 = state.build_genesis({b"a": b"0"}, {}, 1)
        p1 = state.apply(r0, {b"a": b"1"}, {}, 1)
        p2 = state.apply(r0, {b"a": b"2"}, {}, 1)
        with state.write_batch() as wb:
            state.stage(wb, p1)
            with pytest.raises(StateError, match="move the head only once"):
                state.stage(wb, p2)
            state.stage(wb, p2, set_head=False)  # storing a sibling state is fine
        assert state.head_root == p1.root and state.has_state(p2.root)
        assert state.view(p2.root).get(b"a") == b"2"


def test_empty_state_as_head_survives_restart(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        assert state.head_root is None and state.view().get(b"a") is None
        r0 = state.build_genesis({b"a": b"0"}, {}, 1)
        state.set_head(EMPTY_ROOT)
        assert state.view().pairs() == [] and flat_contents(state) == ({}, {})
    with StateDB(tmp_path / "db") as state:
        assert state.head_root == EMPTY_ROOT
        state.set_head(r0)
        assert state.view().pairs() == [(b"a", b"0")]
        empty = state.commit(state.apply(r0, {b"a": None}, {}, 1))
        assert empty == EMPTY_ROOT and state.view().pairs() == []
    with StateDB(tmp_path / "db") as state:
        assert state.head_root == EMPTY_ROOT


def test_interrupted_first_genesis_leaves_no_flat_entries(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as state:
        k = state.keys
        state.db.put(k.flat_marker, b"")  # as _bulk_rewrite leaves it before its last batch
        state.db.put(k.flat + b"partial", b"1")
        state.db.put(k.child_ns(b"c") + b"partial", b"1")
    with StateDB(tmp_path / "db") as state:
        assert state.head_root is None
        assert flat_contents(state) == ({}, {})
        state.commit(state.apply(EMPTY_ROOT, {b"a": b"1"}, {}, 1))
        check_flat(state, {b"a": b"1"}, {}, 1)
