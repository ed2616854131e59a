"""Read proofs (`state_getReadProof` format): they verify, are sorted and deduplicated,
hold exactly the nodes a lookup needs (dropping any one breaks verification), include V1
value nodes, and prove absence."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pysubtensor.node.state import (
    EMPTY_ROOT,
    ProofError,
    StateDB,
    verify_child_read_proof,
    verify_read_proof,
)
from pysubtensor.node.state.walk import lookup, recording
from pysubtensor.primitives.hashing import blake2_256


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> tuple[StateDB, dict[bytes, bytes], bytes]:
    rnd = random.Random(5)
    items = {rnd.randbytes(rnd.choice([1, 2, 32])): rnd.randbytes(rnd.choice([1, 32, 33, 80])) for _ in range(400)}
    items[b""] = b"root value"
    db = StateDB(tmp_path_factory.mktemp("proofs") / "db")
    root = db.build_genesis(items, {b"kid": {b"x": b"1" * 50, b"y": b"2"}}, 1)
    db.commit(db.apply(root, {b"later": b"!"}, {}, 1))  # so `root` is read by trie walk
    yield db, items, root
    db.close()


def _assert_minimal(root: bytes, proof: list[bytes], keys: list[bytes], verify=verify_read_proof, *args) -> None:
    for i in range(len(proof)):
        with pytest.raises(ProofError, match="incomplete proof"):
            verify(root, proof[:i] + proof[i + 1:], *args, keys)


def test_presence_and_absence(state: tuple) -> None:
    db, items, root = state
    rnd = random.Random(1)
    keys = [*rnd.sample(sorted(items), 5), b"\x00" * 40, b"absent", b""]
    proof = db.view(root).read_proof(keys)
    assert proof == sorted(set(proof))
    assert verify_read_proof(root, proof, keys) == {k: items.get(k) for k in keys}
    _assert_minimal(root, proof, keys)


def test_value_node_is_in_the_proof(state: tuple) -> None:
    db, items, root = state
    key = next(k for k, v in items.items() if len(v) > 32)
    proof = db.view(root).read_proof([key])
    assert items[key] in proof  # the value node's encoding is the raw value
    assert verify_read_proof(root, proof, [key]) == {key: items[key]}
    _assert_minimal(root, proof, [key])


def test_absence_proof_alone(state: tuple) -> None:
    db, _, root = state
    proof = db.view(root).read_proof([b"\xfe\xfe\xfe\xfe"])
    assert verify_read_proof(root, proof, [b"\xfe\xfe\xfe\xfe"]) == {b"\xfe\xfe\xfe\xfe": None}
    _assert_minimal(root, proof, [b"\xfe\xfe\xfe\xfe"])


def test_proof_at_head_equals_proof_by_walk(state: tuple) -> None:
    db, items, _ = state
    head = db.view()
    keys = [*sorted(items)[:10], b"later"]
    proof = head.read_proof(keys)
    recorded: set[bytes] = set()
    node_at, value_at = recording(db.load_node, recorded)
    for k in keys:
        lookup(head.root, k, node_at, value_at)
    assert proof == sorted(recorded)
    assert verify_read_proof(head.root, proof, keys)[b"later"] == b"!"


def test_inline_children_are_not_separate_entries(tmp_path: Path) -> None:
    with StateDB(tmp_path / "db") as db:
        root = db.build_genesis({bytes.fromhex("4819"): b"\xfe", bytes.fromhex("1314"): b"\xff"}, {}, 0)
        proof = db.view().read_proof([bytes.fromhex("4819")])
        assert [p.hex() for p in proof] == ["8012001443031404ff1443081904fe"]
        assert verify_read_proof(root, proof, [bytes.fromhex("4819")]) == {bytes.fromhex("4819"): b"\xfe"}


def test_child_read_proof(state: tuple) -> None:
    db, _, root = state
    keys = [b"x", b"y", b"z"]
    proof = db.view(root).child_read_proof(b"kid", keys)
    assert verify_child_read_proof(root, proof, b"kid", keys) == {b"x": b"1" * 50, b"y": b"2", b"z": None}
    _assert_minimal(root, proof, keys, verify_child_read_proof, b"kid")
    absent_child = db.view(root).child_read_proof(b"nokid", [b"x"])
    assert verify_child_read_proof(root, absent_child, b"nokid", [b"x"]) == {b"x": None}


def test_wrong_root_or_tampered_proof(state: tuple) -> None:
    db, items, root = state
    key = sorted(items)[3]
    proof = db.view(root).read_proof([key])
    with pytest.raises(ProofError):
        verify_read_proof(b"\x11" * 32, proof, [key])
    tampered = [p if blake2_256(p) != root else p[:-1] + bytes([p[-1] ^ 1]) for p in proof]
    with pytest.raises(ProofError):
        verify_read_proof(root, tampered, [key])
    assert verify_read_proof(EMPTY_ROOT, [], [key]) == {key: None}
