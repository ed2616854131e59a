"""FRAME storage types: `StorageValue`, `StorageMap`, `StorageDoubleMap`, `StorageNMap` and
`CountedStorageMap`, with frame-support's verbs and semantics.

A storage item is its parameters (prefix, hashers, key and value types, query kind, default)
plus verbs. Keys are `twox128(pallet) ++ twox128(item) ++ hasher(encoded key)…`, exactly as
frame-support builds them, so clients that compute keys from metadata find our values.

Conventions (Python for frame-support's generics):

- Map keys are passed positionally: `Uids.get(netuid, hotkey)`, `Alpha.insert(hot, cold, netuid, v)`.
  Where a verb returns or takes a whole key, it is the key itself for a one-key map and a
  tuple for more (`swap((1, a), (2, b))`, `for (netuid, hotkey), uid in Uids.iter()`).
- Query kinds: `optional=True` is `OptionQuery` (`get` gives None when absent, a mutation to
  None removes the entry); otherwise `ValueQuery` with a `default` (`get` gives the default
  when absent, and every mutation writes its result, even one equal to the default).
- `mutate(…, fn)`: `fn(query)` returns the new query, which `mutate` stores and returns.
  `try_mutate` is the same but when `fn` raises, or returns an exception instead of a value,
  nothing is written and the exception propagates. As in frame-support, only the mutated
  entry is withheld: other writes `fn` made stay unless the error leaves a storage layer
  (`externalities.current().transaction()`, which every dispatch runs in).
- `mutate_exists`/`try_mutate_exists`: `fn(value or None)`, whatever the query kind; None removes.
- `try_get` gives the stored value or None when there is none (no default).
- Iteration (`iter`, `iter_prefix`, `iter_keys`, `iter_key_prefix`, `iter_values`,
  `iter_prefix_values`, `drain`, `drain_prefix`) walks storage-key order, reads live storage
  at each step (entries written during iteration ahead of it are seen, as with
  `sp_io::storage::next_key`), and skips an entry whose key or value fails to decode, as
  frame-support's `PrefixIterator` does. Verbs that return keys need the hashers of those
  keys to be reversible (`Blake2_128Concat`, `Twox64Concat`, `Identity`); values-only
  iteration works with any hasher.
- `clear`/`clear_prefix(…, limit=, cursor=)` return frame-support's `MultiRemovalResults`
  as `storage::unhashed::clear_prefix` builds it: `maybe_cursor` is the prefix itself when
  keys remain and None when all are gone; `backend`, `unique` and `loops` all equal the number
  of backend (committed-state) keys visited. `limit` caps those; keys written in this block
  (the overlay) are removed regardless and not counted; `cursor` is accepted and ignored, as
  frame-support ignores it. `limit=None` is no limit.
- Reads decode as frame-support's `unhashed::get`: trailing bytes are ignored, and a value
  that does not decode reads as absent (logged).
- Reads are served by the overlay's decoded-value cache (`Externalities.get_decoded`): a
  stored value is decoded once per block, and what a verb returns is the caller's own copy,
  free to change; `peek` (a read-only `get`) hands out the cached value itself, which the
  caller must not change. Storage keys of maps keyed by plain ints and bytes are remembered (bounded).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pysubtensor.primitives import externalities
from pysubtensor.primitives.externalities import MultiRemovalResults, current_or_none
from pysubtensor.primitives.hashing import StorageHasher, storage_prefix
from pysubtensor.primitives.scale import (
    U8,
    U32,
    Bytes,
    Codec,
    Int,
    Lazy,
    Option,
    ScaleDecodeError,
    Struct,
    Vec,
    decode_compact,
)

__all__ = [
    "DEFAULT",
    "OPTIONAL",
    "CountedStorageMap",
    "MultiRemovalResults",
    "StorageDoubleMap",
    "StorageItem",
    "StorageMap",
    "StorageNMap",
    "StorageValue",
]

log = logging.getLogger("pysubtensor.runtime.storage")

#: Query kinds, named as metadata's StorageEntryModifier.
OPTIONAL = "Optional"
DEFAULT = "Default"

_U32_MAX = 0xFFFF_FFFF
_NO_DEFAULT = object()
#: Storage keys remembered per map (a pure function of the key; bounded, cleared when full).
_KEY_CACHE_SIZE = 4096


def _sequence_item(codec: Codec) -> Codec | None:
    """The item codec of a value stored as a SCALE vector (`Vec<T>`, `Vec<u8>`, or a newtype
    around one such as `BoundedVec`), else None: what `append` and `decode_len` work on."""
    while True:
        if isinstance(codec, Lazy):
            codec = codec.target
        elif isinstance(codec, Struct) and len(codec.fields) == 1:
            codec = codec.fields[0].codec
        else:
            break
    if isinstance(codec, Vec):
        return codec.inner
    if isinstance(codec, Bytes):
        return U8
    return None


def _plain(key: tuple) -> bool:
    """Whether a key's parts are all exact ints and bytes: the keys whose storage key is
    remembered (equal values of other types, such as True == 1, must still be refused by
    the key codec, and may be unhashable)."""
    for part in key:
        cls = part.__class__
        if cls is not int and cls is not bytes:
            return False
    return True


def _shape(keys: Sequence[Any]) -> Any:
    """A whole key as the verbs give it: the key itself for one, a tuple for several."""
    return keys[0] if len(keys) == 1 else tuple(keys)


class StorageItem:
    """What every storage type shares: its name, prefix, value type and query kind, and the
    verbs on one storage key."""

    __slots__ = ("default", "docs", "modifier", "name", "pallet_name", "prefix", "value")

    def __init__(self, value: Codec, *, default: Any = _NO_DEFAULT, optional: bool = False,
                 docs: Sequence[str] = ()):
        self.value = value
        self.modifier = OPTIONAL if optional else DEFAULT
        # None is a default like any other: a ValueQuery of an `Option<…>` (e.g. subtensor's
        # `AlphaMapLastKey`) reads as None when absent.
        if not optional and default is _NO_DEFAULT:
            raise TypeError("a ValueQuery storage item needs a default (pass optional=True for OptionQuery)")
        self.default = None if optional else default
        self.docs = tuple(docs)
        self.name = ""
        self.pallet_name = ""
        self.prefix = b""

    def bind(self, pallet_name: str, name: str) -> None:
        """Give the item its on-chain name (done by `Pallet.storage`)."""
        self.pallet_name = pallet_name
        self.name = name
        self.prefix = storage_prefix(pallet_name, name)

    @property
    def extra_entries(self) -> tuple[StorageItem, ...]:
        """Storage items this one brings along, listed in metadata right after it (the
        counter of a `CountedStorageMap`)."""
        return ()

    @property
    def default_bytes(self) -> bytes:
        """The `default` field of the metadata entry: the encoded value an empty key reads as."""
        if self.modifier == OPTIONAL:
            return Option(self.value).encode(None)
        return self.value.encode(self._default_value())

    def _default_value(self) -> Any:
        d = self.default
        return d() if callable(d) else d

    # -- one storage key (frame-support's `unhashed` plus the query kind)
    def _read(self, key: bytes) -> tuple[bool, Any]:
        """(True, value) when a decodable value is stored at `key`, else (False, None)."""
        try:
            return externalities.current().get_decoded(key, self.value)
        except ScaleDecodeError as e:
            log.error("%s: corrupted state at 0x%s: %s", self, key.hex(), e)
            return False, None

    def _to_query(self, found: bool, value: Any) -> Any:
        if found:
            return value
        return None if self.modifier == OPTIONAL else self._default_value()

    def _from_query(self, query: Any) -> tuple[bool, Any]:
        """What a query stores: OptionQuery's None is no entry; a ValueQuery always stores."""
        if query is None and self.modifier == OPTIONAL:
            return False, None
        return True, query

    def _store(self, key: bytes, found: bool, value: Any) -> None:
        ext = current_or_none() or externalities.current()
        if not found:
            ext.clear(key)
            return
        codec = self.value
        cls = codec.__class__
        if cls is Int and value.__class__ is int:
            # An int the codec takes decodes to itself: the next read need not decode it.
            ext.set_decoded(key, codec.encode(value), codec, value)
        elif cls is Struct and codec._leaves is not None and value.__class__ is codec.cls:
            raw = codec._pack(value)  # packed only when every field is an exact int in range
            if raw is None:
                ext.set(key, codec.encode(value))  # the field-by-field encoder says why not
            else:
                # What the next read would decode, without decoding: a copy (the caller may
                # go on changing `value`).
                ext.set_decoded(key, raw, codec, codec.copy(value))
        elif cls is Struct and (raw := codec.encode_exact(value)) is not None:
            # A struct of ints (BlockWeight): encoded int by int, kept decoded (a copy).
            ext.set_decoded(key, raw, codec, codec.copy(value))
        else:
            ext.set(key, codec.encode(value))

    def _get(self, key: bytes) -> Any:
        # `_to_query(*_read(key))`, inlined: the hottest path of every pallet.
        ext = current_or_none() or externalities.current()  # (the latter raises: none set)
        try:
            found, value = ext.get_decoded(key, self.value)
        except ScaleDecodeError as e:
            log.error("%s: corrupted state at 0x%s: %s", self, key.hex(), e)
            found = False
        if found:
            return value
        return None if self.modifier == OPTIONAL else self._default_value()

    def _peek(self, key: bytes) -> Any:
        """`_get` without the copy: the cached value itself, for a caller that only reads it."""
        ext = current_or_none() or externalities.current()
        try:
            found, value = ext.get_decoded(key, self.value, True)
        except ScaleDecodeError as e:
            log.error("%s: corrupted state at 0x%s: %s", self, key.hex(), e)
            found = False
        if found:
            return value
        return None if self.modifier == OPTIONAL else self._default_value()

    def _try_get(self, key: bytes) -> Any:
        return self._read(key)[1]

    def _put(self, key: bytes, value: Any) -> None:
        self._store(key, True, value)

    def _set(self, key: bytes, query: Any) -> None:
        self._store(key, *self._from_query(query))

    def _take(self, key: bytes) -> Any:
        found, value = self._read(key)
        if found:
            externalities.current().clear(key)
        return self._to_query(found, value)

    def _try_mutate(self, key: bytes, fn: Callable[[Any], Any]) -> Any:
        new = fn(self._get(key))
        if isinstance(new, BaseException):
            raise new
        self._set(key, new)
        return new

    def _try_mutate_exists(self, key: bytes, fn: Callable[[Any], Any]) -> Any:
        new = fn(self._try_get(key))
        if isinstance(new, BaseException):
            raise new
        self._store(key, new is not None, new)
        return new

    def _append(self, key: bytes, item: Any) -> None:
        """`StorageAppend`: add one item to a vector value by rewriting only its length prefix
        (a value that is not a vector is replaced by `[item]`, as sp-io does)."""
        value = self.value
        inner = value.inner if value.__class__ is Vec else _sequence_item(value)
        if inner is None:
            raise TypeError(f"{self}: append needs a vector value, not {self.value.display_name}")
        externalities.current().append(key, inner.encode(item))

    def _decode_len(self, key: bytes) -> int | None:
        """`StorageDecodeLength`: the vector's length from its compact prefix alone; None when
        no value is stored (the default is ignored) or the prefix does not decode."""
        if _sequence_item(self.value) is None:
            raise TypeError(f"{self}: decode_len needs a vector value, not {self.value.display_name}")
        raw = externalities.current().get(key)
        if raw is None:
            return None
        try:
            n, _ = decode_compact(raw[:5], 0)
        except ScaleDecodeError:
            return None
        return n if n <= _U32_MAX else None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pallet_name}.{self.name}>"


class StorageValue(StorageItem):
    """`StorageValue<Prefix, Value, QueryKind>`: a single value under the item's prefix."""

    __slots__ = ()

    @property
    def storage_key(self) -> bytes:
        return self.prefix

    def hashed_key(self) -> bytes:
        return self.prefix

    def get(self) -> Any:
        return self._get(self.prefix)

    def peek(self) -> Any:
        """`get` for a caller that only reads: the value is shared with the storage layer's
        cache and must not be changed (`get` gives a copy to change)."""
        return self._peek(self.prefix)

    def try_get(self) -> Any:
        return self._try_get(self.prefix)

    def exists(self) -> bool:
        return externalities.current().exists(self.prefix)

    def put(self, value: Any) -> None:
        self._put(self.prefix, value)

    def set(self, query: Any) -> None:
        """Store `query` so that `get` returns it (None removes, for OptionQuery)."""
        self._set(self.prefix, query)

    def kill(self) -> None:
        externalities.current().clear(self.prefix)

    def take(self) -> Any:
        return self._take(self.prefix)

    def mutate(self, fn: Callable[[Any], Any]) -> Any:
        return self._try_mutate(self.prefix, fn)

    def try_mutate(self, fn: Callable[[Any], Any]) -> Any:
        return self._try_mutate(self.prefix, fn)

    def mutate_exists(self, fn: Callable[[Any], Any]) -> Any:
        return self._try_mutate_exists(self.prefix, fn)

    def try_mutate_exists(self, fn: Callable[[Any], Any]) -> Any:
        return self._try_mutate_exists(self.prefix, fn)

    def append(self, item: Any) -> None:
        self._append(self.prefix, item)

    def decode_len(self) -> int | None:
        return self._decode_len(self.prefix)

    def translate(self, fn: Callable[[Any], Any], old: Codec | None = None) -> Any:
        """Rewrite the value stored as `old` (default: the item's type): `fn(old value or None)`
        gives the new value, None removes it. A stored value that does not decode as `old`
        is an error (frame-support returns `Err(())`) and nothing changes."""
        raw = externalities.current().get(self.prefix)
        before = None
        if raw is not None:
            before = (old or self.value).decode(raw)[0]
        new = fn(before)
        self._store(self.prefix, new is not None, new)
        return new


class StorageNMap(StorageItem):
    """`StorageNMap<Prefix, (Key<H1, K1>, …), Value, QueryKind>`: a map keyed by N hashed
    keys (StorageMap and StorageDoubleMap are its N=1 and N=2)."""

    __slots__ = ("_key_cache", "hashers", "keys")

    def __init__(self, keys: Sequence[tuple[StorageHasher, Codec]], value: Codec, **kw: Any) -> None:
        super().__init__(value, **kw)
        if not keys:
            raise TypeError("a storage map needs at least one key")
        self.hashers = tuple(h for h, _ in keys)
        self.keys = tuple(c for _, c in keys)
        self._key_cache: dict[tuple, bytes] = {}

    def bind(self, pallet_name: str, name: str) -> None:
        super().bind(pallet_name, name)
        self._key_cache.clear()  # remembered keys start with the old prefix

    # -- keys
    def hashed_key(self, *key: Any) -> bytes:
        """The storage key of one entry (frame-support's `hashed_key_for`)."""
        if len(key) == 1:  # `_plain`, inlined for the common one-key map
            cls = key[0].__class__
            plain = cls is bytes or cls is int
        else:
            plain = _plain(key)
        if plain:
            cached = self._key_cache.get(key)
            if cached is not None:
                return cached
        if len(key) != len(self.keys):
            raise TypeError(f"{self} takes {len(self.keys)} key(s), got {len(key)}")
        storage_key = self._prefix_of(key)
        if plain:
            if len(self._key_cache) >= _KEY_CACHE_SIZE:
                self._key_cache.clear()
            self._key_cache[key] = storage_key
        return storage_key

    hashed_key_for = hashed_key

    def prefix_key(self, *partial: Any) -> bytes:
        """The storage-key prefix of all entries whose first keys are `partial`."""
        if len(partial) > len(self.keys):
            raise TypeError(f"{self} takes at most {len(self.keys)} key(s), got {len(partial)}")
        return self._prefix_of(partial)

    def _prefix_of(self, keys: Sequence[Any]) -> bytes:
        out = bytearray(self.prefix)
        for hasher, codec, k in zip(self.hashers, self.keys, keys, strict=False):
            out += hasher(codec.encode(k))
        return bytes(out)

    def _partial(self, partial: Sequence[Any]) -> bytes:
        """The prefix of a strict, non-empty partial key (`iter_prefix` and friends)."""
        if not 0 < len(partial) < len(self.keys):
            raise TypeError(f"{self}: a key prefix has 1 to {len(self.keys) - 1} key(s), got {len(partial)}")
        return self._prefix_of(partial)

    def _whole(self, key: Any) -> bytes:
        """The storage key of a whole key given as one value (a tuple for several keys)."""
        return self.hashed_key(*((key,) if len(self.keys) == 1 else key))

    def _check_reversible(self, first: int) -> None:
        for hasher in self.hashers[first:]:
            if not hasher.reversible:
                raise TypeError(f"{self}: the {hasher.name} hasher does not keep the key, so it "
                                f"cannot be read back; iterate values instead")

    def _decode_keys(self, storage_key: bytes, first: int) -> Any:
        """The keys from index `first` on, read back out of a storage key (concat hashers);
        `first` keys are skipped by their hashed length."""
        pos = len(self.prefix)
        for hasher, codec in zip(self.hashers[:first], self.keys[:first], strict=True):
            pos += hasher.hash_len
            if hasher.concat:
                pos = codec.decode(storage_key, pos)[1]
        out = []
        for hasher, codec in zip(self.hashers[first:], self.keys[first:], strict=True):
            pos += hasher.hash_len
            k, pos = codec.decode(storage_key, pos)
            out.append(k)
        return _shape(out)

    # -- verbs on one entry
    def get(self, *key: Any) -> Any:
        return self._get(self.hashed_key(*key))

    def peek(self, *key: Any) -> Any:
        """`get` for a caller that only reads: the value is shared with the storage layer's
        cache and must not be changed (`get` gives a copy to change)."""
        return self._peek(self.hashed_key(*key))

    def try_get(self, *key: Any) -> Any:
        return self._try_get(self.hashed_key(*key))

    def contains_key(self, *key: Any) -> bool:
        return externalities.current().exists(self.hashed_key(*key))

    def insert(self, *key_and_value: Any) -> None:
        *key, value = key_and_value
        self._put(self.hashed_key(*key), value)

    def set(self, *key_and_query: Any) -> None:
        """Store the query so that `get` returns it (None removes, for OptionQuery)."""
        *key, query = key_and_query
        self._set(self.hashed_key(*key), query)

    def remove(self, *key: Any) -> None:
        externalities.current().clear(self.hashed_key(*key))

    def take(self, *key: Any) -> Any:
        return self._take(self.hashed_key(*key))

    def mutate(self, *key_and_fn: Any) -> Any:
        *key, fn = key_and_fn
        return self._try_mutate(self.hashed_key(*key), fn)

    def try_mutate(self, *key_and_fn: Any) -> Any:
        *key, fn = key_and_fn
        return self._try_mutate(self.hashed_key(*key), fn)

    def mutate_exists(self, *key_and_fn: Any) -> Any:
        *key, fn = key_and_fn
        return self._try_mutate_exists(self.hashed_key(*key), fn)

    def try_mutate_exists(self, *key_and_fn: Any) -> Any:
        *key, fn = key_and_fn
        return self._try_mutate_exists(self.hashed_key(*key), fn)

    def swap(self, key1: Any, key2: Any) -> None:
        """Exchange the raw values of two entries (either may be absent). Keys are whole keys:
        the key itself for a one-key map, a tuple for more."""
        ext = externalities.current()
        k1, k2 = self._whole(key1), self._whole(key2)
        v1, v2 = ext.get(k1), ext.get(k2)
        for k, v in ((k1, v2), (k2, v1)):
            if v is None:
                ext.clear(k)
            else:
                ext.set(k, v)

    def append(self, *key_and_item: Any) -> None:
        *key, item = key_and_item
        self._append(self.hashed_key(*key), item)

    def decode_len(self, *key: Any) -> int | None:
        return self._decode_len(self.hashed_key(*key))

    # -- iteration, in storage-key order
    def _walk(self, prefix: bytes, start: bytes | None = None, drain: bool = False) -> Iterator[tuple[bytes, bytes]]:
        """(storage key, raw value) of each entry under `prefix` strictly after `start`
        (default: the prefix), reading live storage at each step as `PrefixIterator` does."""
        ext = externalities.current()
        previous = prefix if start is None else start
        while True:
            key = ext.next_key(previous)
            if key is None or not key.startswith(prefix):
                return
            previous = key
            raw = ext.get(key)
            if raw is None:
                continue
            if drain:
                ext.clear(key)
                self._on_removal()
            yield key, raw

    def _on_removal(self) -> None:
        """Called for each entry a drain removes (the counted map keeps its count)."""

    def _entries(self, prefix: bytes, first: int, *, keys: bool, values: bool, drain: bool = False,
                 start: bytes | None = None) -> Iterator[Any]:
        if keys:
            self._check_reversible(first)
        return self._decoded(prefix, first, keys, values, drain, start)

    def _decoded(self, prefix: bytes, first: int, keys: bool, values: bool, drain: bool,
                 start: bytes | None) -> Iterator[Any]:
        for storage_key, raw in self._walk(prefix, start, drain):
            try:
                k = self._decode_keys(storage_key, first) if keys else None
                v = self.value.decode(raw)[0] if values else None
            except ScaleDecodeError as e:
                log.error("%s: (key, value) failed to decode at 0x%s: %s", self, storage_key.hex(), e)
                continue
            yield (k, v) if keys and values else (k if keys else v)

    def iter(self) -> Iterator[tuple[Any, Any]]:
        """(key, value) of every entry; the key is a tuple for a map of several keys."""
        return self._entries(self.prefix, 0, keys=True, values=True)

    def iter_from(self, starting_raw_key: bytes) -> Iterator[tuple[Any, Any]]:
        """`iter`, from the entry after the storage key `starting_raw_key`."""
        return self._entries(self.prefix, 0, keys=True, values=True, start=starting_raw_key)

    def iter_keys(self) -> Iterator[Any]:
        return self._entries(self.prefix, 0, keys=True, values=False)

    def iter_keys_from(self, starting_raw_key: bytes) -> Iterator[Any]:
        return self._entries(self.prefix, 0, keys=True, values=False, start=starting_raw_key)

    def iter_values(self) -> Iterator[Any]:
        return self._entries(self.prefix, 0, keys=False, values=True)

    def drain(self) -> Iterator[tuple[Any, Any]]:
        """`iter`, removing each entry as it is yielded (entries not reached stay)."""
        return self._entries(self.prefix, 0, keys=True, values=True, drain=True)

    def iter_prefix(self, *partial: Any) -> Iterator[tuple[Any, Any]]:
        """(remaining keys, value) of the entries whose first keys are `partial`; the
        remaining keys are one key or a tuple of them."""
        return self._entries(self._partial(partial), len(partial), keys=True, values=True)

    def iter_key_prefix(self, *partial: Any) -> Iterator[Any]:
        return self._entries(self._partial(partial), len(partial), keys=True, values=False)

    def iter_prefix_values(self, *partial: Any) -> Iterator[Any]:
        return self._entries(self._partial(partial), len(partial), keys=False, values=True)

    def drain_prefix(self, *partial: Any) -> Iterator[tuple[Any, Any]]:
        return self._entries(self._partial(partial), len(partial), keys=True, values=True, drain=True)

    def contains_prefix(self, *partial: Any) -> bool:
        """Whether any entry's first keys are `partial`."""
        prefix = self._partial(partial)
        key = externalities.current().next_key(prefix)
        return key is not None and key.startswith(prefix)

    def translate(self, fn: Callable[[Any, Any], Any], old: Codec | None = None) -> None:
        """Rewrite every entry stored as `old` (default: the item's type): `fn(key, old value)`
        gives the new value, None removes the entry. Entries that do not decode are skipped."""
        self._check_reversible(0)
        old = old or self.value
        ext = externalities.current()
        for storage_key, raw in self._walk(self.prefix):
            try:
                key, before = self._decode_keys(storage_key, 0), old.decode(raw)[0]
            except ScaleDecodeError as e:
                log.error("%s: invalid translate at 0x%s: %s", self, storage_key.hex(), e)
                continue
            new = fn(key, before)
            if new is None:
                ext.clear(storage_key)
                self._on_removal()
            else:
                ext.set(storage_key, self.value.encode(new))

    # -- removal of many entries
    def _clear(self, prefix: bytes, limit: int | None) -> MultiRemovalResults:
        r = externalities.current().clear_prefix(prefix, limit)
        return MultiRemovalResults(prefix if r.maybe_cursor is not None else None, r.loops, r.loops, r.loops)

    def clear(self, *, limit: int | None = None, cursor: bytes | None = None) -> MultiRemovalResults:
        """Remove every entry (see the module docstring for `limit`, `cursor` and the result)."""
        return self._clear(self.prefix, limit)

    def clear_prefix(self, *partial: Any, limit: int | None = None,
                     cursor: bytes | None = None) -> MultiRemovalResults:
        """Remove the entries whose first keys are `partial`."""
        return self._clear(self._partial(partial), limit)


class StorageMap(StorageNMap):
    """`StorageMap<Prefix, Hasher, Key, Value, QueryKind>`."""

    __slots__ = ()

    def __init__(self, hasher: StorageHasher, key: Codec, value: Codec, **kw: Any) -> None:
        super().__init__(((hasher, key),), value, **kw)


class StorageDoubleMap(StorageNMap):
    """`StorageDoubleMap<Prefix, Hasher1, Key1, Hasher2, Key2, Value, QueryKind>`."""

    __slots__ = ()

    def __init__(self, hasher1: StorageHasher, key1: Codec, hasher2: StorageHasher, key2: Codec,
                 value: Codec, **kw: Any) -> None:
        super().__init__(((hasher1, key1), (hasher2, key2)), value, **kw)


class CountedStorageMap(StorageMap):
    """`CountedStorageMap<Prefix, Hasher, Key, Value, QueryKind>`: a map that keeps its number
    of entries in a `CounterFor<Name>` value (u32), kept by every verb as frame-support does.

    The counter is a storage item of its own, listed in metadata right after the map.
    """

    __slots__ = ("counter",)

    def __init__(self, hasher: StorageHasher, key: Codec, value: Codec, **kw: Any) -> None:
        super().__init__(hasher, key, value, **kw)
        self.counter = StorageValue(U32, default=0, docs=("Counter for the related counted storage map",))

    def bind(self, pallet_name: str, name: str) -> None:
        super().bind(pallet_name, name)
        self.counter.bind(pallet_name, f"CounterFor{name}")

    @property
    def extra_entries(self) -> tuple[StorageItem, ...]:
        return (self.counter,)

    def count(self) -> int:
        return self.counter.get()

    def initialize_counter(self) -> int:
        """Set the counter to the number of entries (iterates the whole map)."""
        n = sum(1 for _ in self.iter_values())
        self.counter.put(n)
        return n

    def _inc(self) -> None:
        self.counter.mutate(lambda n: min(n + 1, _U32_MAX))

    def _dec(self) -> None:
        self.counter.mutate(lambda n: max(n - 1, 0))

    def _on_removal(self) -> None:
        self._dec()

    def insert(self, *key_and_value: Any) -> None:
        *key, _ = key_and_value
        if not self.contains_key(*key):
            self._inc()
        super().insert(*key_and_value)

    def set(self, *key_and_query: Any) -> None:
        *key, query = key_and_query
        found, value = self._from_query(query)
        if found:
            self.insert(*key, value)
        else:
            self.remove(*key)

    def remove(self, *key: Any) -> None:
        if self.contains_key(*key):
            self._dec()
        super().remove(*key)

    def take(self, *key: Any) -> Any:
        storage_key = self.hashed_key(*key)
        found, value = self._read(storage_key)
        externalities.current().clear(storage_key)
        if found:
            self._dec()
        return self._to_query(found, value)

    def try_mutate_exists(self, *key_and_fn: Any) -> Any:
        *key, fn = key_and_fn
        existed = self._read(self.hashed_key(*key))[0]
        new = super().try_mutate_exists(*key, fn)  # raises (and writes nothing) on error
        if existed and new is None:
            self._dec()
        elif not existed and new is not None:
            self._inc()
        return new

    mutate_exists = try_mutate_exists

    def try_mutate(self, *key_and_fn: Any) -> Any:
        *key, fn = key_and_fn

        def on_option(value: Any) -> Any:
            new = fn(self._to_query(value is not None, value))
            if isinstance(new, BaseException):
                return new
            return self._from_query(new)[1]

        return self.try_mutate_exists(*key, on_option)

    mutate = try_mutate

    def append(self, *key_and_item: Any) -> None:
        *key, _ = key_and_item
        if not self.contains_key(*key):
            self._inc()
        super().append(*key_and_item)

    def clear(self, *, limit: int | None = None, cursor: bytes | None = None) -> MultiRemovalResults:
        r = super().clear(limit=limit, cursor=cursor)
        if r.maybe_cursor is None:
            self.counter.kill()
        else:
            self.counter.mutate(lambda n: max(n - r.unique, 0))
        return r
