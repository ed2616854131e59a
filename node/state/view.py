"""`StateView`: read access to one state root.

While the view's root is the database head, reads go to the flat index (one LevelDB
get, no trie walk); for any other root, or once the head has moved on, they walk the
trie. Key iteration follows Substrate's `state_getKeysPaged`: keys with the prefix,
strictly after `start_key`, in byte order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

import plyvel

from pysubtensor.primitives.trie.codec import EMPTY_ROOT, HASH_LEN
from pysubtensor.primitives.trie.root import child_storage_key

from .errors import StateCorruptError
from .proof import record_child_read_proof, record_read_proof
from .store import prefix_successor, translate_plyvel_error
from .walk import iter_trie, lookup

if TYPE_CHECKING:
    from .db import StateDB

__all__ = ["StateView"]


def _check_key(key: object, what: str = "key") -> bytes:
    if key.__class__ is not bytes:
        raise TypeError(f"storage {what} must be bytes, got {type(key).__name__}")
    return key  # type: ignore[return-value]


def _check_limit(limit: int | None) -> int | None:
    if limit is not None and (limit.__class__ is not int or limit < 0):
        raise ValueError(f"limit must be a non-negative int or None, got {limit!r}")
    return limit


class StateView:
    """The state at `root`. Cheap to create; hold it as long as needed."""

    __slots__ = ("_s", "root")

    def __init__(self, state: StateDB, root: bytes) -> None:
        self._s = state
        self.root = root

    def __repr__(self) -> str:
        return f"StateView(0x{self.root.hex()})"

    @property
    def is_head(self) -> bool:
        return self.root == self._s._head

    # -- top trie ---------------------------------------------------------------------

    def get(self, key: bytes) -> bytes | None:
        """Value stored under `key`, or None."""
        if key.__class__ is not bytes:
            _check_key(key)
        s = self._s
        if self.root == s._head:
            try:
                return s._get(s._flat_ns + key)
            except plyvel.Error as e:
                raise translate_plyvel_error(e, s._where) from None
        return lookup(self.root, key, s.node_at, s.load_node)

    def keys(self, prefix: bytes = b"", start_key: bytes | None = None, limit: int | None = None) -> list[bytes]:
        """Keys starting with `prefix`, strictly after `start_key`, at most `limit`, ascending."""
        return [k for k, _ in self._range(None, prefix, start_key, limit, values=False)]

    def pairs(self, prefix: bytes = b"", start_key: bytes | None = None,
              limit: int | None = None) -> list[tuple[bytes, bytes]]:
        """(key, value) pairs as `keys` selects them."""
        return self._range(None, prefix, start_key, limit, values=True)  # type: ignore[return-value]

    def next_key(self, key: bytes) -> bytes | None:
        """The smallest key strictly greater than `key` (sp-io `storage::next_key`)."""
        found = self._range(None, b"", _check_key(key), 1, values=False)
        return found[0][0] if found else None

    def read_proof(self, keys: Iterable[bytes]) -> list[bytes]:
        """`state_getReadProof` nodes for `keys`: a sorted, deduplicated list of encodings."""
        return record_read_proof(self.root, keys, self._s.load_node)

    # -- default child tries ------------------------------------------------------------

    def child_root(self, child_key: bytes) -> bytes | None:
        """Root of the default child trie `child_key`, or None if it is empty/absent."""
        root = self.get(child_storage_key(_check_key(child_key, "child key")))
        if root is not None and len(root) != HASH_LEN:
            raise StateCorruptError(f"child trie root entry for 0x{child_key.hex()} is {len(root)} bytes")
        return root

    def child_get(self, child_key: bytes, key: bytes) -> bytes | None:
        """Value of `key` in the default child trie `child_key`, or None."""
        _check_key(key)
        s = self._s
        if self.root == s._head:
            try:
                return s._get(s.keys.child_ns(_check_key(child_key, "child key")) + key)
            except plyvel.Error as e:
                raise translate_plyvel_error(e, s._where) from None
        root = self.child_root(child_key)
        return None if root is None else lookup(root, key, s.node_at, s.load_node)

    def child_keys(self, child_key: bytes, prefix: bytes = b"", start_key: bytes | None = None,
                   limit: int | None = None) -> list[bytes]:
        return [k for k, _ in self._range(_check_key(child_key, "child key"), prefix, start_key, limit,
                                          values=False)]

    def child_pairs(self, child_key: bytes, prefix: bytes = b"", start_key: bytes | None = None,
                    limit: int | None = None) -> list[tuple[bytes, bytes]]:
        return self._range(_check_key(child_key, "child key"), prefix, start_key, limit,
                           values=True)  # type: ignore[return-value]

    def child_next_key(self, child_key: bytes, key: bytes) -> bytes | None:
        found = self._range(_check_key(child_key, "child key"), b"", _check_key(key), 1, values=False)
        return found[0][0] if found else None

    def child_read_proof(self, child_key: bytes, keys: Iterable[bytes]) -> list[bytes]:
        """`state_getChildReadProof` nodes: top path to the child root entry + child paths."""
        return record_child_read_proof(self.root, _check_key(child_key, "child key"), keys, self._s.load_node)

    # -- shared iteration ---------------------------------------------------------------

    def _range(self, child_key: bytes | None, prefix: bytes, start_key: bytes | None, limit: int | None,
               values: bool) -> list[tuple[bytes, bytes | None]]:
        _check_key(prefix, "prefix")
        if start_key is not None:
            _check_key(start_key, "start key")
        _check_limit(limit)
        if limit == 0:
            return []
        s = self._s
        if self.root == s._head:
            ns = s.keys.flat if child_key is None else s.keys.child_ns(child_key)
            return list(islice(self._flat_range(ns, prefix, start_key, values), limit))
        if child_key is None:
            root = self.root
        else:
            root = self.child_root(child_key) or EMPTY_ROOT
        return list(islice(iter_trie(root, s.node_at, s.load_node, prefix, start_key, values), limit))

    def _flat_range(self, ns: bytes, prefix: bytes, start_key: bytes | None,
                    values: bool) -> Iterator[tuple[bytes, bytes | None]]:
        s = self._s
        start = ns + prefix
        include_start = True
        if start_key is not None and start_key >= prefix:
            start = ns + start_key
            include_start = False
        stop = prefix_successor(ns + prefix) if prefix else prefix_successor(ns)
        n = len(ns)
        kw = {"stop": stop} if stop is not None else {}
        try:
            if values:
                for k, v in s._db.iterator(start=start, include_start=include_start, **kw):
                    yield k[n:], v
            else:
                for k in s._db.iterator(start=start, include_start=include_start, include_value=False, **kw):
                    yield k[n:], None
        except plyvel.Error as e:
            raise translate_plyvel_error(e, s._where) from None
