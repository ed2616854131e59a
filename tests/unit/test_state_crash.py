"""kill -9 at random moments, including in the middle of writing a large commit batch: on
every reopen the head's flat index recomputes to the head root, the trie of the head
matches the flat index, and committed roots stay readable.

The budget is work, not seconds: a fixed number of kills, each after the worker reported
commits, so a slow (loaded) machine takes longer but checks the same."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pysubtensor.node.state import CHILD_STORAGE_DEFAULT_PREFIX, EMPTY_ROOT, StateDB, trie_root
from pysubtensor.node.state.walk import iter_trie
from pysubtensor.primitives.trie.codec import decode_node

REPO = Path(__file__).resolve().parents[2]
CHILDREN = (b"c1", b"c2")


def worker(path: str, seed: int) -> None:
    """Commit random states forever; print "W" right before writing a large batch and "C"
    after each commit."""
    rnd = random.Random(seed)
    state = StateDB(path)
    if state.head_root is None:
        state.build_genesis({b"k" + i.to_bytes(2, "big"): bytes(i % 50) for i in range(0, 20_000, 7)}, {}, 1)
    print("ready", flush=True)
    while True:
        root = state.head_root
        assert root is not None
        view = state.view()
        big = rnd.random() < 0.4
        changes: dict[bytes, bytes | None] = {}
        for _ in range(rnd.randint(1500, 4000) if big else rnd.randint(1, 40)):
            changes[b"k" + rnd.randrange(20_000).to_bytes(2, "big")] = rnd.randbytes(rnd.choice([0, 8, 32, 33, 90]))
        start = b"k" + rnd.randrange(20_000).to_bytes(2, "big")
        changes.update(dict.fromkeys(view.keys(b"k", start, rnd.randint(0, 300)), None))
        child_changes: dict[bytes, dict[bytes, bytes | None]] = {}
        ck = rnd.choice(CHILDREN)
        if rnd.random() < 0.15:  # sometimes remove a whole child trie
            child_changes[ck] = dict.fromkeys(view.child_keys(ck), None)
        else:
            child_changes[ck] = {rnd.randbytes(2): rnd.randbytes(rnd.choice([1, 40])) for _ in range(rnd.randint(1, 30))}
        pending = state.apply(root, changes, child_changes, 1)
        if big:
            print("W", flush=True)
        state.commit(pending)
        print("C", flush=True)


def _flat(state: StateDB) -> tuple[dict[bytes, bytes], dict[bytes, bytes]]:
    k = state.keys
    top = {key[len(k.flat):]: v for key, v in state.db.iterator(prefix=k.flat)}
    kids = dict(state.db.iterator(prefix=k.child))
    return top, kids


def _check(path: Path, seen: set[bytes], rnd: random.Random) -> int:
    with StateDB(path) as state:
        head = state.head_root
        if head is None:  # killed before genesis completed
            assert state.roots() == []
            return 0
        top, kids = _flat(state)
        assert trie_root(top, 1) == head, "flat index does not recompute to the head root"
        assert list(iter_trie(head, state.node_at, state.load_node)) == sorted(top.items()), "trie and flat index differ"
        expected_kids = {}
        for ck in CHILDREN:
            croot = top.get(CHILD_STORAGE_DEFAULT_PREFIX + ck)
            entries = dict(iter_trie(croot or EMPTY_ROOT, state.node_at, state.load_node))
            assert (croot is None) == (not entries)
            if croot is not None:
                assert trie_root(entries, 1) == croot
            expected_kids.update({state.keys.child_ns(ck) + k: v for k, v in entries.items()})
        assert kids == expected_kids, "child flat index differs from the child tries"
        roots = state.roots()
        assert head in roots
        new = [r for r in roots if r not in seen]
        for r in roots:  # every committed root: its node is there and decodes
            decode_node(state.load_node(r))
        for r in rnd.sample(new, min(3, len(new))):  # a few new ones: full recomputation
            assert trie_root(state.view(r).pairs(), 1) == r
        seen.update(roots)
        return len(new)


KILLS = 24


def _read_until(proc: subprocess.Popen[str], wanted: str, count: int) -> None:
    """Read the worker's lines until `count` of them were `wanted`."""
    seen = 0
    while seen < count:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line in ("W\n", "C\n"), f"worker died: {line!r} {proc.stderr.read()}"  # type: ignore[union-attr]
        seen += line == wanted + "\n"


@pytest.mark.slow
def test_kill_9_during_commits(tmp_path: Path) -> None:
    rnd = random.Random(1234)
    path = tmp_path / "db"
    seen: set[bytes] = set()
    mid_write = commits = 0
    for kills in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c",
             f"from tests.unit.test_state_crash import worker; worker({str(path)!r}, {rnd.randrange(1 << 30)})"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line == "ready\n", f"worker failed to start: {line!r} {proc.stderr.read()}"  # type: ignore[union-attr]
            if kills % 2 == 0:
                # Kill right as a large batch starts being written.
                _read_until(proc, "W", rnd.randint(1, 3))
                time.sleep(rnd.choice([0, 0, 0.001, 0.003, 0.01]))
                mid_write += 1
            else:
                # Kill at a random moment after some commits (counted, not timed: a loaded
                # machine commits fewer per second).
                _read_until(proc, "C", rnd.randint(1, 12))
                time.sleep(rnd.uniform(0, 0.2))
            assert proc.poll() is None, f"worker exited: {proc.stderr.read()}"  # type: ignore[union-attr]
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
        commits += _check(path, seen, rnd)
    assert mid_write == KILLS // 2
    assert commits > KILLS  # the workers made progress between kills
