"""The storage interface a runtime call sees (sp-externalities / sp-state-machine's overlay).

The node hands the runtime a read-only `StorageBackend` for the block state the call runs
on; every write goes to an `OverlayedChanges` with nested transactional layers, so a failed
dispatch rolls back its own writes and nothing reaches the database until the node commits
the whole block's changes at once.

Pallet code never holds an Externalities object: it reaches the current one through
`current()`, set by the executive for the duration of a call (`using(ext)`).

Decoded values are cached (`get_decoded`): a value is decoded once and kept next to its bytes,
in the overlay layer that holds it, or, for a value read from the backend (which does not
change under an Externalities), in a read cache of the Externalities. A layer rolled back
takes its decoded values with it; a write replaces the entry (bytes, encoded when written),
so the next read decodes the new value. The cache hands out copies (`Codec.copy`) of
mutable values, so a caller changing what it read changes nothing else. Nothing of this is
visible in what is read or committed: the bytes stay the bytes written.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from pysubtensor.primitives.scale import Codec, decode_compact, encode_compact
from pysubtensor.primitives.scale import ScaleDecodeError as _ScaleDecodeError
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "Externalities",
    "MultiRemovalResults",
    "NoExternalitiesError",
    "OverlayedChanges",
    "StorageBackend",
    "TransactionLayerError",
    "current",
    "current_or_none",
    "using",
]


class StorageBackend(Protocol):
    """Read access to one committed state (a block's)."""

    def get(self, key: bytes) -> bytes | None: ...

    def next_key(self, key: bytes) -> bytes | None:
        """The smallest key strictly greater than `key`, or None."""
        ...


class TransactionLayerError(RuntimeError):
    """Commit or rollback without an open transactional layer."""


_DELETED = None


class _Appended:
    """A `Vec` value grown by `append` in one layer: the item count of the whole vector, the
    bytes of the items this layer appended, and `base`, the `_Appended` of a lower layer it
    grows (None: `body` holds all the items).

    It is mutated in place only while it sits in the top layer. A new layer does not copy
    what the layers below appended (the block's `Events` grow in every transaction): it
    starts an empty body on top of their value, and committing the layer folds its items
    into that value when it is the one the layer below holds, so a chain is never longer
    than the open layers. Rolling a layer back never touches what the layers below hold.
    """

    __slots__ = ("base", "body", "count")

    def __init__(self, count: int, body: bytearray, base: _Appended | None = None) -> None:
        self.count = count
        self.body = body
        self.base = base

    @classmethod
    def of(cls, encoded: bytes | None) -> _Appended:
        # As sp-state-machine: a missing value, or one that is not a vector, starts afresh.
        if encoded:
            try:
                n, start = decode_compact(encoded, 0)
            except _ScaleDecodeError:
                pass
            else:
                return cls(n, bytearray(encoded[start:]))
        return cls(0, bytearray())

    def encoded(self) -> bytes:
        if self.base is None:
            return encode_compact(self.count) + bytes(self.body)
        parts = []
        node: _Appended | None = self
        while node is not None:
            parts.append(node.body)
            node = node.base
        parts.reverse()
        return encode_compact(self.count) + b"".join(parts)


class _Decoded:
    """A stored value's bytes together with their decoding by `codec` (trailing bytes
    ignored, as storage reads decode). Never changed once made."""

    __slots__ = ("codec", "raw", "value")

    def __init__(self, raw: bytes, codec: Codec, value: Any) -> None:
        self.raw = raw
        self.codec = codec
        self.value = value


def _materialize(value: bytes | _Appended | _Decoded | None) -> bytes | None:
    cls = value.__class__
    if cls is _Decoded:
        return value.raw  # type: ignore[union-attr]
    return value.encoded() if cls is _Appended else value  # type: ignore[union-attr]


_MISSING = object()


class OverlayedChanges:
    """Pending writes over a backend, in a stack of transactional layers.

    Layer 0 holds the changes of the block so far; each `start_transaction` pushes a layer
    that `commit_transaction` folds into the one below and `rollback_transaction` drops.
    A value of None marks a deletion.
    """

    __slots__ = ("_appended", "_key_set", "_layers", "_sorted_keys")

    def __init__(self) -> None:
        self._layers: list[dict[bytes, bytes | None]] = [{}]
        # Per open layer above layer 0: the keys whose `_Appended` it started on top of a
        # lower layer's (to fold in at commit).
        self._appended: list[list[bytes]] = []
        # `sorted_keys()` once asked for, kept up to date by `set` (and `_key_set`, the same
        # keys as a set, tells `set` whether a key is new) until a rollback drops keys.
        self._sorted_keys: list[bytes] | None = None
        self._key_set: set[bytes] | None = None

    # -- layers
    @property
    def transaction_depth(self) -> int:
        return len(self._layers) - 1

    def start_transaction(self) -> None:
        self._layers.append({})
        self._appended.append([])

    def commit_transaction(self) -> None:
        layers = self._layers
        if len(layers) == 1:
            raise TransactionLayerError("commit_transaction without an open transaction")
        top = layers.pop()
        below = layers[-1]
        appended = self._appended.pop()
        carried = []
        for key in appended:
            value = top.get(key)
            if value.__class__ is not _Appended or value.base is None:  # type: ignore[union-attr]
                continue  # replaced in the layer after it was appended to
            base = value.base  # type: ignore[union-attr]
            if below.get(key) is base:
                # The layer below holds what this one grew: grow it in place (it belongs
                # to the layer below alone, now the top).
                base.count = value.count  # type: ignore[union-attr]
                base.body += value.body  # type: ignore[union-attr]
                top[key] = base
            else:
                carried.append(key)
        below.update(top)
        if carried and self._appended:
            self._appended[-1].extend(carried)

    def rollback_transaction(self) -> None:
        if len(self._layers) == 1:
            raise TransactionLayerError("rollback_transaction without an open transaction")
        top = self._layers.pop()
        self._appended.pop()
        if top:
            self._sorted_keys = self._key_set = None

    # -- access
    def lookup(self, key: bytes) -> tuple[bool, bytes | None]:
        """(True, value-or-None-if-deleted) when the overlay knows the key, else (False, None)."""
        for layer in reversed(self._layers):
            if key in layer:
                return True, _materialize(layer[key])
        return False, None

    def set(self, key: bytes, value: bytes | None) -> None:
        key_set = self._key_set
        if key_set is not None and key not in key_set:
            key_set.add(key)
            bisect.insort(self._sorted_keys, key)  # type: ignore[arg-type]
        self._layers[-1][key] = value

    def append(self, key: bytes, encoded_item: bytes, base: Callable[[], bytes | None]) -> None:
        """Add one encoded item to the `Vec` stored at `key` (sp-io `storage::append`).

        `base()` gives the backend's value, read only when no layer holds the key. Appends
        cost only the item's bytes, not the whole vector's, also in a new layer.
        """
        layers = self._layers
        value = layers[-1].get(key)
        if value.__class__ is not _Appended:
            for layer in reversed(layers):
                if key in layer:
                    below = layer[key]
                    if below.__class__ is _Appended:
                        # Only a lower layer's: the top layer's own value is not an _Appended.
                        value = _Appended(below.count, bytearray(), below)  # type: ignore[union-attr]
                        self._appended[-1].append(key)
                    else:
                        value = _Appended.of(_materialize(below))
                    break
            else:
                value = _Appended.of(base())
            self.set(key, value)  # type: ignore[arg-type]
        value.count += 1  # type: ignore[union-attr]
        value.body += encoded_item  # type: ignore[union-attr]

    def clear_prefix(self, prefix: bytes) -> int:
        """Delete every key under `prefix` the overlay holds; return how many had a value."""
        keys = self.sorted_keys()
        start = bisect.bisect_left(keys, prefix)
        end = start
        while end < len(keys) and keys[end].startswith(prefix):
            end += 1
        live = 0
        for key in keys[start:end]:  # a copy: `set` of a known key leaves the list as it is
            if self.lookup(key)[1] is not None:
                live += 1
            self.set(key, _DELETED)
        return live

    def sorted_keys(self) -> list[bytes]:
        """Every key the overlay has touched (set or deleted), ascending."""
        if self._sorted_keys is None:
            keys: set[bytes] = set()
            for layer in self._layers:
                keys.update(layer)
            self._sorted_keys = sorted(keys)
            self._key_set = keys
        return self._sorted_keys

    def changes(self) -> dict[bytes, bytes | None]:
        """All pending changes, merged across layers (what the block commits)."""
        merged: dict[bytes, bytes | None] = {}
        for layer in self._layers:
            merged.update(layer)
        return {k: _materialize(v) for k, v in merged.items()}


@slots_dataclass(frozen=True)
class MultiRemovalResults:
    """What a prefix removal did (sp-io `MultiRemovalResults`).

    `maybe_cursor` is where to continue (None: nothing left); `backend` counts the backend
    keys deleted, `unique` those plus the overlay's live keys deleted, `loops` the backend
    keys visited (deleted or already deleted in the overlay).
    """

    maybe_cursor: bytes | None
    backend: int
    unique: int
    loops: int


class Externalities:
    """A backend plus an overlay: what storage reads and writes of one runtime call see."""

    __slots__ = ("_decode_cache", "_read_cache", "backend", "overlay")

    def __init__(self, backend: StorageBackend, overlay: OverlayedChanges | None = None, *,
                 decode_cache: bool = True, read_cache: dict[bytes, Any] | None = None) -> None:
        self.backend = backend
        self.overlay = overlay if overlay is not None else OverlayedChanges()
        # Off where values are written once and read back once (building a genesis state of
        # many accounts): the decoded values would only hold memory.
        self._decode_cache = decode_cache
        # Backend reads: key -> bytes, None (absent) or `_Decoded`. The backend is one
        # committed state: what it gave once it gives again. `read_cache` shares one such
        # cache between Externalities over the same committed state (the pool validating
        # many transactions at one block): only backend reads go there, never writes.
        self._read_cache: dict[bytes, Any] = {} if read_cache is None else read_cache

    def _backend_entry(self, key: bytes) -> Any:
        entry = self._read_cache.get(key, _MISSING)
        if entry is _MISSING:
            entry = self._read_cache[key] = self.backend.get(key)
        return entry

    def get(self, key: bytes) -> bytes | None:
        found, value = self.overlay.lookup(key)
        if found:
            return value
        entry = self._backend_entry(key)
        return entry.raw if entry.__class__ is _Decoded else entry

    def get_decoded(self, key: bytes, codec: Codec, shared: bool = False) -> tuple[bool, Any]:
        """(True, the value at `key` decoded by `codec`) or (False, None) when there is none.
        Decodes at most once per stored value and codec; mutable values come as copies,
        unless `shared` (a caller that only reads the value: it gets the cached value itself
        and must not change it). Raises `ScaleDecodeError` for a value that does not decode."""
        # The top layer holding the key, else the read cache (inlined: every read comes here).
        layers = self.overlay._layers
        i = len(layers) - 1
        while i >= 0:
            layer = layers[i]
            entry = layer.get(key, _MISSING)
            if entry is not _MISSING:
                break
            i -= 1
        else:
            layer = self._read_cache
            entry = layer.get(key, _MISSING)
            if entry is _MISSING:
                entry = layer[key] = self.backend.get(key)
        if entry is None:
            return False, None
        cls = entry.__class__
        if cls is _Decoded:
            if entry.codec is codec:
                value = entry.value
                return True, (value if shared or codec.immutable else codec.copy(value))
            raw = entry.raw
        elif cls is _Appended:
            return True, codec.decode(entry.encoded())[0]
        else:
            raw = entry
        value = codec.decode(raw)[0]
        if not self._decode_cache:
            return True, value
        # The same bytes, now with their decoding: only this layer's (or the read cache's)
        # entry changes, so a rollback still discards exactly what it discarded before.
        layer[key] = _Decoded(raw, codec, value)
        return True, (value if shared or codec.immutable else codec.copy(value))

    def exists(self, key: bytes) -> bool:
        return self.get(key) is not None

    def set(self, key: bytes, value: bytes) -> None:
        if value.__class__ is not bytes:
            if not isinstance(value, bytes | bytearray):
                raise TypeError(f"storage value for 0x{key.hex()} must be bytes, got {type(value).__name__}")
            value = bytes(value)
        self.overlay.set(key, value)

    def set_decoded(self, key: bytes, raw: bytes, codec: Codec, value: Any) -> None:
        """`set(key, raw)` where `value` is exactly what `codec` decodes `raw` to (a value of
        the decoded classes, not to be changed by anyone after): the next read need not
        decode it. For writers that know the round trip is exact (ints; packed structs)."""
        if self._decode_cache:
            self.overlay.set(key, _Decoded(raw, codec, value))
        else:
            self.overlay.set(key, raw)

    def clear(self, key: bytes) -> None:
        self.overlay.set(key, _DELETED)

    def append(self, key: bytes, encoded_item: bytes) -> None:
        """Append an encoded item to the `Vec<T>` stored at `key` without decoding it."""
        self.overlay.append(key, encoded_item, lambda: self.backend.get(key))

    def next_key(self, key: bytes) -> bytes | None:
        """The smallest existing key strictly greater than `key`, overlay included."""
        overlay_keys = self.overlay.sorted_keys()
        i = bisect.bisect_right(overlay_keys, key)
        # Next live overlay key.
        while i < len(overlay_keys) and self.overlay.lookup(overlay_keys[i])[1] is None:
            i += 1
        overlay_key = overlay_keys[i] if i < len(overlay_keys) else None
        # Next backend key the overlay has not deleted (not cached: walks are rarely repeated).
        backend_key = self.backend.next_key(key)
        while backend_key is not None:
            found, value = self.overlay.lookup(backend_key)
            if not found or value is not None:
                break
            backend_key = self.backend.next_key(backend_key)
        if overlay_key is None:
            return backend_key
        if backend_key is None:
            return overlay_key
        return min(overlay_key, backend_key)

    def keys_with_prefix(self, prefix: bytes, start: bytes | None = None) -> Iterator[bytes]:
        """Existing keys starting with `prefix`, ascending, strictly after `start` if given."""
        if start is None or start < prefix:
            key = prefix if self.exists(prefix) else self.next_key(prefix)
        else:
            key = self.next_key(start)
        while key is not None and key.startswith(prefix):
            yield key
            key = self.next_key(key)

    def clear_prefix(self, prefix: bytes, limit: int | None = None,
                     cursor: bytes | None = None) -> MultiRemovalResults:
        """Delete the keys under `prefix` as sp-state-machine's `Ext::clear_prefix` does.

        Every key the overlay holds goes, whatever the limit; `limit` caps the backend keys
        visited, starting at `cursor` (inclusive) when given. A key the overlay already
        deleted is visited (a loop) but not deleted again.
        """
        overlay_live = self.overlay.clear_prefix(prefix)
        backend = self.backend
        start = prefix if cursor is None or cursor < prefix else cursor
        key = start if backend.get(start) is not None else backend.next_key(start)
        deleted = loops = 0
        next_cursor = None
        while key is not None and key.startswith(prefix):
            if limit is not None and loops == limit:
                next_cursor = key
                break
            found, value = self.overlay.lookup(key)
            if not (found and value is None):
                self.overlay.set(key, _DELETED)
                deleted += 1
            loops += 1
            key = backend.next_key(key)
        return MultiRemovalResults(next_cursor, deleted, overlay_live + deleted, loops)

    # -- transactional layers
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block of writes in a layer: committed on success, rolled back on exception."""
        self.overlay.start_transaction()
        try:
            yield
        except BaseException:
            self.overlay.rollback_transaction()
            raise
        else:
            self.overlay.commit_transaction()


class NoExternalitiesError(RuntimeError):
    """Storage was touched outside a runtime call."""


_CURRENT: ContextVar[Externalities | None] = ContextVar("pysubtensor_externalities", default=None)


#: The current Externalities or None, without `current()`'s frame (storage verbs, per read).
current_or_none = _CURRENT.get


def current() -> Externalities:
    ext = _CURRENT.get()
    if ext is None:
        raise NoExternalitiesError("runtime storage accessed outside `using(externalities)`")
    return ext


@contextmanager
def using(ext: Externalities) -> Iterator[Externalities]:
    """Make `ext` the storage every pallet sees for the duration of the block."""
    token = _CURRENT.set(ext)
    try:
        yield ext
    finally:
        _CURRENT.reset(token)
