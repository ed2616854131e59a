"""Storage read proofs in the `state_getReadProof` format (trie-spec.md §7).

A proof is the set of node encodings that ordinary lookups of the requested keys fetch
by hash (root, hashed nodes on each path, V1 value nodes), deduplicated and sorted by
bytes like Rust's `BTreeSet<Vec<u8>>`. A verifier needs nothing else: it hashes every
entry and walks from the trusted root.
"""

from __future__ import annotations

from collections.abc import Iterable

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.trie.codec import EMPTY_NODE, EMPTY_ROOT, HASH_LEN, Node, decode_node
from pysubtensor.primitives.trie.root import child_storage_key

from .errors import ProofError, TrieDecodeError
from .walk import Loader, NodeSource, lookup, recording

__all__ = [
    "record_child_read_proof",
    "record_read_proof",
    "verify_child_read_proof",
    "verify_read_proof",
]


def _check_keys(keys: Iterable[bytes]) -> list[bytes]:
    out = list(keys)
    for i, k in enumerate(out):
        if k.__class__ is not bytes:
            raise TypeError(f"proof key #{i} must be bytes, got {type(k).__name__}")
    return out


def record_read_proof(root: bytes, keys: Iterable[bytes], load: Loader) -> list[bytes]:
    """Proof nodes for looking up `keys` in the trie at `root` (presence or absence)."""
    recorded: set[bytes] = set()
    node_at, value_at = recording(load, recorded)
    for key in _check_keys(keys):
        lookup(root, key, node_at, value_at)
    return sorted(recorded)


def record_child_read_proof(root: bytes, child_key: bytes, keys: Iterable[bytes], load: Loader) -> list[bytes]:
    """Proof of `keys` in a default child trie: the top path to its root entry, then the child paths."""
    recorded: set[bytes] = set()
    node_at, value_at = recording(load, recorded)
    keys = _check_keys(keys)
    child_root = lookup(root, child_storage_key(child_key), node_at, value_at)
    if child_root is not None:
        for key in keys:
            lookup(child_root, key, node_at, value_at)
    return sorted(recorded)


def _proof_sources(proof: Iterable[bytes]) -> tuple[NodeSource, Loader]:
    nodes: dict[bytes, bytes] = {EMPTY_ROOT: EMPTY_NODE}
    for i, enc in enumerate(proof):
        if enc.__class__ is not bytes:
            raise TypeError(f"proof node #{i} must be bytes, got {type(enc).__name__}")
        nodes[blake2_256(enc)] = enc

    def load(h: bytes) -> bytes:
        enc = nodes.get(h)
        if enc is None:
            raise ProofError(f"incomplete proof: node 0x{h.hex()} is not in the proof")
        return enc

    def node_at(h: bytes) -> Node | None:
        return decode_node(load(h))

    return node_at, load


def _check_root(root: bytes) -> None:
    if root.__class__ is not bytes or len(root) != HASH_LEN:
        raise TypeError("root must be 32 bytes")


def verify_read_proof(root: bytes, proof: Iterable[bytes], keys: Iterable[bytes]) -> dict[bytes, bytes | None]:
    """Check `proof` against the trusted `root`; return each key's value (None = proven absent).

    Raises `ProofError` if the proof lacks a node needed for some key or holds a node
    that does not decode.
    """
    _check_root(root)
    node_at, value_at = _proof_sources(proof)
    try:
        return {key: lookup(root, key, node_at, value_at) for key in _check_keys(keys)}
    except TrieDecodeError as e:
        raise ProofError(f"malformed node in proof: {e}") from None


def verify_child_read_proof(root: bytes, proof: Iterable[bytes], child_key: bytes,
                            keys: Iterable[bytes]) -> dict[bytes, bytes | None]:
    """As `verify_read_proof`, for keys of the default child trie `child_key` under `root`."""
    _check_root(root)
    node_at, value_at = _proof_sources(proof)
    keys = _check_keys(keys)
    try:
        child_root = lookup(root, child_storage_key(child_key), node_at, value_at)
        if child_root is None:
            return dict.fromkeys(keys)
        if len(child_root) != HASH_LEN:
            raise ProofError("child root entry is not 32 bytes")
        return {key: lookup(child_root, key, node_at, value_at) for key in keys}
    except TrieDecodeError as e:
        raise ProofError(f"malformed node in proof: {e}") from None
