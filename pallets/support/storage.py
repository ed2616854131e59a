"""FRAME storage types: a storage item is its parameters (prefix, hashers, key and value
types, query kind, default) plus a few verbs (`get`, `insert`, `remove`, `mutate`,
`try_mutate`, `take`, `contains_key`, `iter`).

Keys are `twox128(pallet) ++ twox128(item) ++ hasher(encoded key)…`, exactly as
frame-support builds them, so clients that compute keys from metadata find our values.
Iteration is ordered by storage key, never by Python insertion order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pysubtensor.primitives import externalities
from pysubtensor.primitives.hashing import StorageHasher, storage_prefix
from pysubtensor.primitives.scale import Codec, Option

__all__ = [
    "DEFAULT",
    "OPTIONAL",
    "StorageDoubleMap",
    "StorageItem",
    "StorageMap",
    "StorageNMap",
    "StorageValue",
]

#: Query kinds, named as metadata's StorageEntryModifier.
OPTIONAL = "Optional"
DEFAULT = "Default"


class StorageItem:
    """What every storage type shares: its name, prefix, value type and query kind."""

    __slots__ = ("default", "docs", "modifier", "name", "pallet_name", "prefix", "value")

    def __init__(self, value: Codec, *, default: Any = None, optional: bool = False, docs: Sequence[str] = ()):
        self.value = value
        self.modifier = OPTIONAL if optional else DEFAULT
        if not optional and default is None:
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
    def default_bytes(self) -> bytes:
        """The `default` field of the metadata entry: the encoded value an empty key reads as."""
        if self.modifier == OPTIONAL:
            return Option(self.value).encode(None)
        return self.value.encode(self._default_value())

    def _default_value(self) -> Any:
        d = self.default
        return d() if callable(d) else d

    # -- raw access shared by all shapes
    def _get(self, key: bytes) -> Any:
        raw = externalities.current().get(key)
        if raw is None:
            return None if self.modifier == OPTIONAL else self._default_value()
        return self.value.decode_all(raw)

    def _put(self, key: bytes, value: Any) -> None:
        externalities.current().set(key, self.value.encode(value))

    def _mutate(self, key: bytes, fn: Callable[[Any], Any]) -> Any:
        """Apply `fn` to the current value and store its result (None removes, for OptionQuery).

        `fn` returns the new value; the new value is returned.
        """
        new = fn(self._get(key))
        if new is None and self.modifier == OPTIONAL:
            externalities.current().clear(key)
        else:
            self._put(key, new)
        return new

    def _take(self, key: bytes) -> Any:
        value = self._get(key)
        externalities.current().clear(key)
        return value

    def _append(self, key: bytes, item: Any) -> None:
        """`StorageAppend`: add one item to a `Vec` value by rewriting only its length prefix."""
        inner = getattr(self.value, "inner", None)
        if inner is None:
            raise TypeError(f"{self.pallet_name}.{self.name}: append needs a Vec value")
        externalities.current().append(key, inner.encode(item))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pallet_name}.{self.name}>"


class StorageValue(StorageItem):
    """A single value under the item's prefix."""

    __slots__ = ()

    def get(self) -> Any:
        return self._get(self.prefix)

    def put(self, value: Any) -> None:
        self._put(self.prefix, value)

    def kill(self) -> None:
        externalities.current().clear(self.prefix)

    def exists(self) -> bool:
        return externalities.current().exists(self.prefix)

    def mutate(self, fn: Callable[[Any], Any]) -> Any:
        return self._mutate(self.prefix, fn)

    def take(self) -> Any:
        return self._take(self.prefix)

    def append(self, item: Any) -> None:
        self._append(self.prefix, item)

    @property
    def storage_key(self) -> bytes:
        return self.prefix


class StorageNMap(StorageItem):
    """A map keyed by N hashed keys (StorageMap and StorageDoubleMap are its N=1 and N=2)."""

    __slots__ = ("hashers", "keys")

    def __init__(self, keys: Sequence[tuple[StorageHasher, Codec]], value: Codec, **kw: Any) -> None:
        super().__init__(value, **kw)
        if not keys:
            raise TypeError("a storage map needs at least one key")
        self.hashers = tuple(h for h, _ in keys)
        self.keys = tuple(c for _, c in keys)

    def hashed_key(self, *key: Any) -> bytes:
        if len(key) != len(self.keys):
            raise TypeError(f"{self.pallet_name}.{self.name} takes {len(self.keys)} key(s), got {len(key)}")
        out = self.prefix
        for hasher, codec, k in zip(self.hashers, self.keys, key, strict=True):
            out += hasher(codec.encode(k))
        return out

    def prefix_key(self, *partial: Any) -> bytes:
        """The storage-key prefix of all entries whose first keys are `partial`."""
        out = self.prefix
        for hasher, codec, k in zip(self.hashers, self.keys, partial, strict=False):
            out += hasher(codec.encode(k))
        return out

    def decode_key(self, storage_key: bytes) -> tuple:
        """Read the original keys back out of a full storage key (concat hashers only)."""
        pos = len(self.prefix)
        out = []
        for hasher, codec in zip(self.hashers, self.keys, strict=True):
            if not hasher.reversible:
                raise TypeError(f"{self.pallet_name}.{self.name}: hasher {hasher.name} is not reversible")
            pos += hasher.hash_len
            k, pos = codec.decode(storage_key, pos)
            out.append(k)
        return tuple(out)

    # -- verbs (keys passed positionally)
    def get(self, *key: Any) -> Any:
        return self._get(self.hashed_key(*key))

    def insert(self, *key_and_value: Any) -> None:
        *key, value = key_and_value
        self._put(self.hashed_key(*key), value)

    def remove(self, *key: Any) -> None:
        externalities.current().clear(self.hashed_key(*key))

    def contains_key(self, *key: Any) -> bool:
        return externalities.current().exists(self.hashed_key(*key))

    def mutate(self, *key_and_fn: Any) -> Any:
        *key, fn = key_and_fn
        return self._mutate(self.hashed_key(*key), fn)

    def take(self, *key: Any) -> Any:
        return self._take(self.hashed_key(*key))

    def append(self, *key_and_item: Any) -> None:
        *key, item = key_and_item
        self._append(self.hashed_key(*key), item)

    def iter_prefix_raw(self, *partial: Any) -> Iterator[tuple[bytes, bytes]]:
        ext = externalities.current()
        for k in ext.keys_with_prefix(self.prefix_key(*partial)):
            raw = ext.get(k)
            if raw is not None:
                yield k, raw

    def iter(self, *partial: Any) -> Iterator[tuple[tuple, Any]]:
        """(keys, value) for every entry (under `partial` first keys), ordered by storage key."""
        for k, raw in self.iter_prefix_raw(*partial):
            yield self.decode_key(k), self.value.decode_all(raw)

    def iter_keys(self, *partial: Any) -> Iterator[tuple]:
        ext = externalities.current()
        for k in ext.keys_with_prefix(self.prefix_key(*partial)):
            yield self.decode_key(k)

    def clear(self, *partial: Any, limit: int | None = None) -> tuple[int, bool]:
        """Remove every entry (under `partial` first keys)."""
        return externalities.current().clear_prefix(self.prefix_key(*partial), limit)


class StorageMap(StorageNMap):
    """`StorageMap<Prefix, Hasher, Key, Value>`."""

    __slots__ = ()

    def __init__(self, hasher: StorageHasher, key: Codec, value: Codec, **kw: Any) -> None:
        super().__init__(((hasher, key),), value, **kw)

    def iter(self, *partial: Any) -> Iterator[tuple[Any, Any]]:  # type: ignore[override]
        for keys, value in super().iter(*partial):
            yield keys[0], value


class StorageDoubleMap(StorageNMap):
    """`StorageDoubleMap<Prefix, Hasher1, Key1, Hasher2, Key2, Value>`."""

    __slots__ = ()

    def __init__(self, hasher1: StorageHasher, key1: Codec, hasher2: StorageHasher, key2: Codec,
                 value: Codec, **kw: Any) -> None:
        super().__init__(((hasher1, key1), (hasher2, key2)), value, **kw)
