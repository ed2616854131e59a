"""SCALE codec for the shapes a runtime declares, each codec carrying its scale-info description.

A codec object is both the encoder/decoder of a type and the description the metadata
type registry needs (path, type parameters, definition, docs). Declaring a type once gives
both, so metadata is generated from the same objects that encode storage and calls.

Values are plain Python: ints, bools, bytes, str, lists (Vec), tuples (tuples and fixed
arrays of non-u8), None / value (Option). Composite and variant shapes are added by the
runtime framework on top of `Codec`.

Decoding never trusts lengths: every read is bounds-checked and raises `ScaleDecodeError`
with the offset and what was expected. Encoding a value of the wrong type or range raises
`ScaleEncodeError` naming the type.
"""

from __future__ import annotations

import copy as _copy
import dataclasses
import operator
import struct
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

__all__ = [
    "BOOL",
    "BYTES",
    "H160",
    "H256",
    "I8",
    "I16",
    "I32",
    "I64",
    "I128",
    "STR",
    "U8",
    "U16",
    "U32",
    "U64",
    "U128",
    "U256",
    "UNIT",
    "Array",
    "BTreeMap",
    "BTreeSet",
    "Bool",
    "Bytes",
    "Codec",
    "Compact",
    "Enum",
    "Field",
    "FixedBytes",
    "Int",
    "Lazy",
    "NameEnum",
    "Option",
    "ScaleDecodeError",
    "ScaleEncodeError",
    "ScaleError",
    "Some",
    "Str",
    "Struct",
    "Tuple",
    "Variant",
    "Vec",
    "decode_compact",
    "encode_compact",
]


class ScaleError(ValueError):
    """Base class of SCALE codec errors."""


class ScaleDecodeError(ScaleError):
    """Input bytes are not a valid encoding of the expected type."""


class ScaleEncodeError(ScaleError):
    """A Python value cannot be encoded as the requested type."""


# ---------------------------------------------------------------------------
# Compact integers: the one implementation everything else uses.

_COMPACT_MAX = (1 << 536) - 1  # 4 + 63 bytes of big-integer mode


def encode_compact(n: int) -> bytes:
    """SCALE compact encoding of a non-negative integer."""
    if n < 0 or n.__class__ is bool:
        raise ScaleEncodeError(f"compact: expected a non-negative int, got {n!r}")
    if n < 1 << 6:
        return bytes((n << 2,))
    if n < 1 << 14:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return ((n << 2) | 2).to_bytes(4, "little")
    if n > _COMPACT_MAX:
        raise ScaleEncodeError(f"compact: {n} is too large")
    length = (n.bit_length() + 7) // 8
    return bytes((((length - 4) << 2) | 3,)) + n.to_bytes(length, "little")


def decode_compact(data: bytes | memoryview, offset: int = 0) -> tuple[int, int]:
    """Decode a compact integer at `offset`; return (value, offset after it).

    Rejects non-canonical encodings as parity-scale-codec does.
    """
    try:
        first = data[offset]
    except IndexError:
        raise ScaleDecodeError(f"compact: no data at offset {offset}") from None
    mode = first & 3
    if mode == 0:
        return first >> 2, offset + 1
    if mode == 1:
        end = offset + 2
        _need(data, end, "compact (2 bytes)")
        value = int.from_bytes(data[offset:end], "little") >> 2
        if value < 1 << 6:
            raise ScaleDecodeError(f"compact: non-canonical encoding at offset {offset}")
        return value, end
    if mode == 2:
        end = offset + 4
        _need(data, end, "compact (4 bytes)")
        value = int.from_bytes(data[offset:end], "little") >> 2
        if value < 1 << 14:
            raise ScaleDecodeError(f"compact: non-canonical encoding at offset {offset}")
        return value, end
    length = (first >> 2) + 4
    end = offset + 1 + length
    _need(data, end, f"compact ({length} bytes)")
    value = int.from_bytes(data[offset + 1 : end], "little")
    if value < 1 << 30 or value >> ((length - 1) * 8) == 0:
        raise ScaleDecodeError(f"compact: non-canonical encoding at offset {offset}")
    return value, end


def _need(data: bytes | memoryview, end: int, what: str) -> None:
    if end > len(data):
        raise ScaleDecodeError(f"{what}: needs {end} bytes of input, only {len(data)} available")


# ---------------------------------------------------------------------------
# The codec protocol.


class Codec:
    """A SCALE type: encoder, decoder and scale-info description.

    Subclasses implement `encode_into`, `decode` and `type_def`. `path` and `params`
    are the scale-info path and type parameters (empty for primitives and anonymous
    shapes). `type_def()` returns a tuple whose first element names the scale-info
    `TypeDef` variant: ("primitive", name), ("compact", codec), ("sequence", codec),
    ("array", length, codec), ("tuple", codecs), ("composite", fields) or
    ("variant", variants).
    """

    __slots__ = ("docs", "params", "path")

    #: Whether the type can sit inside `Compact<…>` (unsigned ints, and `()`).
    compactable: ClassVar[bool] = False
    #: Whether decoded values of the type can never change (ints, bytes, str, tuples and
    #: frozen dataclasses of such): a cache may hand them out without copying.
    immutable: bool = False

    def __init__(self, path: Sequence[str] = (), params: Sequence[tuple[str, Codec | None]] = (),
                 docs: Sequence[str] = ()) -> None:
        self.path = tuple(path)
        self.params = tuple(params)
        self.docs = tuple(docs)

    # -- encoding
    def encode_into(self, value: Any, out: bytearray) -> None:
        raise NotImplementedError

    def encode(self, value: Any) -> bytes:
        out = bytearray()
        self.encode_into(value, out)
        return bytes(out)

    # -- decoding
    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        """Decode one value at `offset`; return (value, offset after it)."""
        raise NotImplementedError

    def copy(self, value: Any) -> Any:
        """A copy of a decoded value sharing nothing mutable with it (what a cache of decoded
        values hands out, so that a caller mutating its copy cannot change the cache)."""
        return value if self.immutable else _copy.deepcopy(value)

    def decode_all(self, data: bytes | memoryview) -> Any:
        """Decode a value that must span all of `data` (trailing bytes are an error)."""
        value, end = self.decode(data, 0)
        if end != len(data):
            raise ScaleDecodeError(f"{self.display_name}: {len(data) - end} trailing bytes after the value")
        return value

    # -- description
    def type_def(self) -> tuple:
        raise NotImplementedError

    @property
    def display_name(self) -> str:
        return "::".join(self.path) if self.path else self.__class__.__name__

    def __repr__(self) -> str:
        return f"<{self.display_name}>"


def _expect_int(codec: Codec, value: Any, lo: int, hi: int) -> int:
    if value.__class__ is bool or not isinstance(value, int):
        raise ScaleEncodeError(f"{codec.display_name}: expected an int, got {type(value).__name__}")
    if not lo <= value <= hi:
        raise ScaleEncodeError(f"{codec.display_name}: {value} out of range [{lo}, {hi}]")
    return value


class Int(Codec):
    """A fixed-width little-endian integer (u8 … u256, i8 … i128)."""

    immutable = True

    __slots__ = ("bits", "hi", "lo", "name", "signed", "size")

    def __init__(self, bits: int, signed: bool) -> None:
        super().__init__()
        self.bits = bits
        self.signed = signed
        self.size = bits // 8
        self.name = f"{'i' if signed else 'u'}{bits}"
        self.lo = -(1 << (bits - 1)) if signed else 0
        self.hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1

    @property
    def compactable(self) -> bool:  # type: ignore[override]
        return not self.signed and self.bits <= 128

    def encode_into(self, value: Any, out: bytearray) -> None:
        if value.__class__ is not int or not self.lo <= value <= self.hi:
            _expect_int(self, value, self.lo, self.hi)
        out += value.to_bytes(self.size, "little", signed=self.signed)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[int, int]:
        end = offset + self.size
        if end > len(data):
            raise ScaleDecodeError(f"{self.name}: needs {self.size} bytes at offset {offset}, "
                                   f"only {max(0, len(data) - offset)} left")
        return int.from_bytes(data[offset:end], "little", signed=self.signed), end

    def type_def(self) -> tuple:
        return ("primitive", self.name)

    @property
    def display_name(self) -> str:
        return self.name


class Bool(Codec):

    immutable = True
    __slots__ = ()

    def encode_into(self, value: Any, out: bytearray) -> None:
        if value.__class__ is not bool:
            raise ScaleEncodeError(f"bool: expected a bool, got {type(value).__name__}")
        out.append(1 if value else 0)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[bool, int]:
        _need(data, offset + 1, "bool")
        b = data[offset]
        if b > 1:
            raise ScaleDecodeError(f"bool: invalid byte 0x{b:02x} at offset {offset}")
        return b == 1, offset + 1

    def type_def(self) -> tuple:
        return ("primitive", "bool")

    @property
    def display_name(self) -> str:
        return "bool"


class Str(Codec):
    """A UTF-8 string with a compact length prefix."""

    immutable = True

    __slots__ = ()

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, str):
            raise ScaleEncodeError(f"str: expected a str, got {type(value).__name__}")
        raw = value.encode()
        out += encode_compact(len(raw))
        out += raw

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[str, int]:
        n, offset = decode_compact(data, offset)
        end = offset + n
        _need(data, end, f"str of {n} bytes")
        try:
            return bytes(data[offset:end]).decode(), end
        except UnicodeDecodeError as e:
            raise ScaleDecodeError(f"str: invalid UTF-8 at offset {offset}: {e.reason}") from None

    def type_def(self) -> tuple:
        return ("primitive", "str")

    @property
    def display_name(self) -> str:
        return "str"


class Unit(Codec):
    """`()`: encodes to nothing."""

    immutable = True

    __slots__ = ()
    compactable = True

    def encode_into(self, value: Any, out: bytearray) -> None:
        if value not in (None, ()):
            raise ScaleEncodeError(f"(): expected None or (), got {value!r}")

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[tuple, int]:
        return (), offset

    def type_def(self) -> tuple:
        return ("tuple", ())

    @property
    def display_name(self) -> str:
        return "()"


class Compact(Codec):
    """`Compact<T>` for an unsigned integer type T (or `()`)."""

    immutable = True

    __slots__ = ("inner",)

    def __init__(self, inner: Codec) -> None:
        if not inner.compactable:
            raise TypeError(f"Compact<{inner.display_name}> is not a valid SCALE type")
        super().__init__()
        self.inner = inner

    def encode_into(self, value: Any, out: bytearray) -> None:
        if isinstance(self.inner, Unit):
            out += b"\x00"
            return
        inner: Int = self.inner  # type: ignore[assignment]
        _expect_int(self, value, 0, inner.hi)
        out += encode_compact(value)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        value, end = decode_compact(data, offset)
        if isinstance(self.inner, Unit):
            return (), end
        if value > self.inner.hi:  # type: ignore[attr-defined]
            raise ScaleDecodeError(f"{self.display_name}: value {value} overflows at offset {offset}")
        return value, end

    def type_def(self) -> tuple:
        return ("compact", self.inner)

    @property
    def display_name(self) -> str:
        return f"Compact<{self.inner.display_name}>"


class Bytes(Codec):
    """`Vec<u8>` as Python bytes (fast path of `Vec(U8)`)."""

    immutable = True

    __slots__ = ()

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise ScaleEncodeError(f"Vec<u8>: expected bytes, got {type(value).__name__}")
        out += encode_compact(len(value))
        out += value

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[bytes, int]:
        n, offset = decode_compact(data, offset)
        end = offset + n
        _need(data, end, f"Vec<u8> of {n} bytes")
        return bytes(data[offset:end]), end

    def type_def(self) -> tuple:
        return ("sequence", U8)

    @property
    def display_name(self) -> str:
        return "Vec<u8>"


class FixedBytes(Codec):
    """`[u8; N]` as Python bytes of exactly N bytes (hashes, public keys, signatures)."""

    immutable = True

    __slots__ = ("length",)

    def __init__(self, length: int, path: Sequence[str] = (), docs: Sequence[str] = ()) -> None:
        super().__init__(path=path, docs=docs)
        self.length = length

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, bytes | bytearray | memoryview) or len(value) != self.length:
            got = f"{len(value)} bytes" if isinstance(value, bytes | bytearray) else type(value).__name__
            raise ScaleEncodeError(f"{self.display_name}: expected {self.length} bytes, got {got}")
        out += value

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[bytes, int]:
        end = offset + self.length
        _need(data, end, self.display_name)
        return bytes(data[offset:end]), end

    def type_def(self) -> tuple:
        if self.path:
            # A named byte array (H256, a public key) is a newtype around `[u8; N]`.
            return ("composite", (Field(None, FixedBytes(self.length), f"[u8; {self.length}]"),))
        return ("array", self.length, U8)

    @property
    def display_name(self) -> str:
        return "::".join(self.path) if self.path else f"[u8; {self.length}]"


class Vec(Codec):
    """`Vec<T>` as a Python list."""

    __slots__ = ("_item_size", "inner")

    def __init__(self, inner: Codec) -> None:
        super().__init__()
        self.inner = inner
        # Items that are N raw bytes each (`Vec<AccountId32>`: StakingHotkeys, OwnedHotkeys, …)
        # are cut from the input by slicing instead of one codec call per item.
        self._item_size = _raw_bytes_length(inner)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if value.__class__ is not list and (isinstance(value, str | bytes) or not isinstance(value, Sequence)):
            raise ScaleEncodeError(f"{self.display_name}: expected a list, got {type(value).__name__}")
        out += encode_compact(len(value))
        enc = self.inner.encode_into
        for item in value:
            enc(item, out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[list, int]:
        n, offset = decode_compact(data, offset)
        # Every element takes at least one byte unless it is zero-sized; refuse absurd
        # lengths before allocating.
        if n > len(data) - offset and not isinstance(self.inner, Unit):
            raise ScaleDecodeError(f"{self.display_name}: length {n} exceeds the {len(data) - offset} "
                                   f"bytes left at offset {offset}")
        size = self._item_size
        if size and offset + n * size <= len(data):  # short input: the loop below raises as always
            end = offset + n * size
            if data.__class__ is bytes:
                return [data[i:i + size] for i in range(offset, end, size)], end
            raw = bytes(data[offset:end])
            return [raw[i:i + size] for i in range(0, end - offset, size)], end
        dec = self.inner.decode
        items = []
        for _ in range(n):
            item, offset = dec(data, offset)
            items.append(item)
        return items, offset

    def copy(self, value: Any) -> list:
        inner = self.inner
        return list(value) if inner.immutable else [inner.copy(v) for v in value]

    def type_def(self) -> tuple:
        return ("sequence", self.inner)

    @property
    def display_name(self) -> str:
        return f"Vec<{self.inner.display_name}>"


def _raw_bytes_length(codec: Codec) -> int:
    """N if `codec` decodes to N raw bytes (`[u8; N]`, or a newtype of it such as AccountId32:
    its value is its field's), else 0."""
    while isinstance(codec, Struct) and codec.cls is None and len(codec.fields) == 1 and not codec.named:
        codec = codec.fields[0].codec
    return codec.length if codec.__class__ is FixedBytes else 0


class Array(Codec):
    """`[T; N]` for T other than u8, as a Python tuple."""

    __slots__ = ("immutable", "inner", "length")

    def __init__(self, inner: Codec, length: int) -> None:
        super().__init__()
        self.inner = inner
        self.length = length
        self.immutable = inner.immutable

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, Sequence) or isinstance(value, str | bytes) or len(value) != self.length:
            raise ScaleEncodeError(f"{self.display_name}: expected a sequence of {self.length} items")
        for item in value:
            self.inner.encode_into(item, out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[tuple, int]:
        items = []
        for _ in range(self.length):
            item, offset = self.inner.decode(data, offset)
            items.append(item)
        return tuple(items), offset

    def copy(self, value: Any) -> Any:
        return value if self.immutable else tuple(self.inner.copy(v) for v in value)

    def type_def(self) -> tuple:
        return ("array", self.length, self.inner)

    @property
    def display_name(self) -> str:
        return f"[{self.inner.display_name}; {self.length}]"


@dataclasses.dataclass(frozen=True, slots=True)
class Some:
    """`Some(value)` spelled out: the Python value of an `Option<Option<T>>` that is `Some(None)`
    (a bare None is the outer None). `Option` encodes any value wrapped so, and decodes
    `Some(None)` of a nested option as `Some(None)`."""

    value: Any


class Option(Codec):
    """`Option<T>`: None or the value (tag byte 0 / 1, as parity-scale-codec's generic impl);
    `Some(None)` of an `Option<Option<T>>` is `Some(None)` (see `Some`)."""

    __slots__ = ("immutable", "inner")

    def __init__(self, inner: Codec) -> None:
        super().__init__(path=("Option",), params=(("T", inner),))
        self.inner = inner
        self.immutable = inner.immutable

    def encode_into(self, value: Any, out: bytearray) -> None:
        if value is None:
            out.append(0)
        else:
            out.append(1)
            self.inner.encode_into(value.value if isinstance(value, Some) else value, out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        _need(data, offset + 1, self.display_name)
        tag = data[offset]
        if tag == 0:
            return None, offset + 1
        if tag == 1:
            value, end = self.inner.decode(data, offset + 1)
            return (Some(None) if value is None and isinstance(self.inner, Option) else value), end
        raise ScaleDecodeError(f"{self.display_name}: invalid tag 0x{tag:02x} at offset {offset}")

    def copy(self, value: Any) -> Any:
        if value is None or self.immutable:
            return value
        if isinstance(value, Some):
            return Some(self.inner.copy(value.value))
        return self.inner.copy(value)

    def type_def(self) -> tuple:
        # scale-info describes Option<T> as a variant with None = 0 and Some(T) = 1.
        return ("variant", (("None", 0, (), ()), ("Some", 1, ((None, self.inner, None),), ())))

    @property
    def display_name(self) -> str:
        return f"Option<{self.inner.display_name}>"


class Tuple(Codec):
    """`(A, B, …)` as a Python tuple."""

    __slots__ = ("immutable", "items")

    def __init__(self, *items: Codec) -> None:
        super().__init__()
        self.items = items
        self.immutable = all(c.immutable for c in items)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if (value.__class__ is not tuple and not isinstance(value, Sequence)) or len(value) != len(self.items):
            raise ScaleEncodeError(f"{self.display_name}: expected a tuple of {len(self.items)} items")
        for codec, item in zip(self.items, value, strict=True):
            codec.encode_into(item, out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[tuple, int]:
        values = []
        for codec in self.items:
            v, offset = codec.decode(data, offset)
            values.append(v)
        return tuple(values), offset

    def copy(self, value: Any) -> Any:
        if self.immutable:
            return value
        return tuple(c.copy(v) for c, v in zip(self.items, value, strict=True))

    def type_def(self) -> tuple:
        return ("tuple", self.items)

    @property
    def display_name(self) -> str:
        return "(" + ", ".join(c.display_name for c in self.items) + ")"


class BTreeMap(Codec):
    """`BTreeMap<K, V>`, encoded as the key-ordered `Vec<(K, V)>`; Python value: a dict."""

    __slots__ = ("_pairs", "_value")

    def __init__(self, key: Codec, value: Codec) -> None:
        super().__init__(path=("BTreeMap",), params=(("K", key), ("V", value)))
        self._pairs = Vec(Tuple(key, value))
        self._value = value

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, dict):
            raise ScaleEncodeError(f"BTreeMap: expected a dict, got {type(value).__name__}")
        self._pairs.encode_into(sorted(value.items()), out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[dict, int]:
        pairs, end = self._pairs.decode(data, offset)
        return dict(pairs), end

    def copy(self, value: Any) -> dict:
        # Keys are hashable, hence not mutated in place.
        v = self._value
        return dict(value) if v.immutable else {k: v.copy(x) for k, x in value.items()}

    def type_def(self) -> tuple:
        return ("composite", (Field(None, self._pairs),))


class BTreeSet(Codec):
    """`BTreeSet<T>`, encoded as the ordered `Vec<T>` without repeats. Python value: any
    iterable of items (repeats collapse, as collecting into a BTreeSet does); decodes to a
    frozenset."""

    immutable = True

    __slots__ = ("_items",)

    def __init__(self, item: Codec) -> None:
        super().__init__(path=("BTreeSet",), params=(("T", item),))
        self._items = Vec(item)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, Iterable) or isinstance(value, str | bytes | dict):
            raise ScaleEncodeError(f"BTreeSet: expected a set of items, got {type(value).__name__}")
        self._items.encode_into(sorted(set(value)), out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[frozenset, int]:
        items, end = self._items.decode(data, offset)
        return frozenset(items), end

    def type_def(self) -> tuple:
        return ("composite", (Field(None, self._items),))


U8 = Int(8, False)
U16 = Int(16, False)
U32 = Int(32, False)
U64 = Int(64, False)
U128 = Int(128, False)
U256 = Int(256, False)
I8 = Int(8, True)
I16 = Int(16, True)
I32 = Int(32, True)
I64 = Int(64, True)
I128 = Int(128, True)
BOOL = Bool()
STR = Str()
UNIT = Unit()
BYTES = Bytes()
H256 = FixedBytes(32, path=("primitive_types", "H256"))
H160 = FixedBytes(20, path=("primitive_types", "H160"))


# ---------------------------------------------------------------------------
# Composite (struct) and variant (enum) shapes.


class Field:
    """One field of a struct or enum variant, as scale-info describes it."""

    __slots__ = ("codec", "docs", "name", "type_name")

    def __init__(self, name: str | None, codec: Codec, type_name: str | None = None,
                 docs: Sequence[str] = ()) -> None:
        self.name = name
        self.codec = codec
        self.type_name = type_name
        self.docs = tuple(docs)

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.codec!r})"


def _attr_names(cls: type | None, fields: Sequence[Field]) -> tuple[str, ...]:
    """Attribute names to read when encoding an instance of `cls`, in field order.

    A dataclass is read by its own field order, so tuple-like (unnamed) fields can be
    carried by a dataclass with readable attribute names.
    """
    if cls is not None and dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in dataclasses.fields(cls))
        if len(names) != len(fields):
            raise TypeError(f"{cls.__name__} has {len(names)} fields, the SCALE type {len(fields)}")
        return names
    return tuple(f.name or "" for f in fields)


def _frozen_class(cls: type | None) -> bool:
    return cls is not None and dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


def _fields_immutable(cls: type | None, named: bool, fields: Sequence[Field]) -> bool:
    """Whether values of a struct (or enum variant payload) with these fields never change:
    a frozen dataclass, or a tuple / single value (no class, unnamed fields), of immutable fields."""
    if cls is not None:
        return _frozen_class(cls) and all(f.codec.immutable for f in fields)
    return not named and all(f.codec.immutable for f in fields)


def _copy_fields(cls: type | None, named: bool, fields: Sequence[Field], attrs: Sequence[str], value: Any) -> Any:
    """A copy of a decoded struct value or enum payload (see `Codec.copy`)."""
    if cls is not None:
        return cls(*[c.copy(getattr(value, a)) for c, a in zip((f.codec for f in fields), attrs, strict=True)])
    if named:
        return {f.name: f.codec.copy(value[f.name]) for f in fields}
    if len(fields) == 1:
        return fields[0].codec.copy(value)
    return tuple(f.codec.copy(v) for f, v in zip(fields, value, strict=True))


_U64_MASK = (1 << 64) - 1
#: `struct` format characters of the fixed-width integers a fixed layout packs directly.
_PACKED = {(8, False): "B", (16, False): "H", (32, False): "I", (64, False): "Q",
           (8, True): "b", (16, True): "h", (32, True): "i", (64, True): "q"}
#: Steps of a fixed layout: one packed int, a u128 as two u64 halves, a nested struct.
_INT, _U128, _NESTED = 0, 1, 2


def _fixed_plan(cls: type | None, fields: Sequence[Field]) -> tuple[str, tuple] | None:
    """The fixed layout of a struct carried by a class whose fields are all fixed-width
    integers (u128 included) or such structs (`AccountInfo`, `AccountData`): its `struct`
    format and one step per field. None for any other struct."""
    if cls is None or not fields:
        return None
    fmt, steps = "", []
    for f in fields:
        c = f.codec
        while c.__class__ is Struct and c.cls is None and len(c.fields) == 1 and not c.named:
            c = c.fields[0].codec  # a newtype's value is its field's (`ExtraFlags(u128)`)
        if c.__class__ is Int and (c.bits, c.signed) in _PACKED:
            fmt += _PACKED[(c.bits, c.signed)]
            steps.append((_INT, None))
        elif c.__class__ is Int and c.bits == 128 and not c.signed:
            fmt += "QQ"
            steps.append((_U128, None))
        elif c.__class__ is Struct and c._fixed is not None:
            fmt += c._fixed[0]
            steps.append((_NESTED, c))
        else:
            return None
    return fmt, tuple(steps)


_INT_ONLY = {int}


def _fixed_leaves(codec: Struct, prefix: str = "") -> tuple[list[str], list[int], list[tuple[str, type]]]:
    """A fixed-layout struct's ints in packing order as dotted attribute paths, the indices
    of the u128 ones among them, and the (path, class) of each nested struct value."""
    paths: list[str] = []
    u128: list[int] = []
    nested: list[tuple[str, type]] = []
    for (step, inner), attr in zip(codec._fixed[1], codec.attrs, strict=True):  # type: ignore[index]
        if step == _NESTED:
            nested.append((prefix + attr, inner.cls))
            p, u, n = _fixed_leaves(inner, prefix + attr + ".")
            u128 += [len(paths) + i for i in u]
            paths += p
            nested += n
        else:
            if step == _U128:
                u128.append(len(paths))
            paths.append(prefix + attr)
    return paths, u128, nested


def _int_paths(codec: Struct, prefix: str = "") -> tuple[list[str], list[tuple[str, type]], list[Codec]] | None:
    """For a struct carried by a class whose fields are ints (fixed-width or compact; through
    newtypes) or such structs: the dotted paths of its ints, the (path, class) of its nested
    structs, and the codec (`Int` or `Compact`) of each int. None for any other struct."""
    if codec.cls is None or not codec.fields:
        return None
    paths: list[str] = []
    nested: list[tuple[str, type]] = []
    leaves: list[Codec] = []
    for f, attr in zip(codec.fields, codec.attrs, strict=True):
        c = f.codec
        while c.__class__ is Struct and c.cls is None and len(c.fields) == 1 and not c.named:
            c = c.fields[0].codec  # a newtype's value is its field's
        if c.__class__ is Int or (c.__class__ is Compact and c.inner.__class__ is Int):
            paths.append(prefix + attr)
            leaves.append(c)
        elif c.__class__ is Struct and c._int_paths is not None:
            nested.append((prefix + attr, c.cls))
            inner_paths, inner_nested, inner_leaves = c._int_paths
            paths += [f"{prefix}{attr}.{p}" for p in inner_paths]
            nested += [(f"{prefix}{attr}.{p}", cls) for p, cls in inner_nested]
            leaves += inner_leaves
        else:
            return None
    return paths, nested, leaves


class Struct(Codec):
    """A composite type. Values are instances of `cls` (read by attribute) when given,
    else dicts (named fields) or tuples (unnamed fields)."""

    __slots__ = ("_attr_values", "_exact_codes", "_exact_leaves", "_exact_nested", "_fixed", "_int_paths", "_leaves",
                 "_mutable_fields", "_nested", "_packer", "_u128", "attrs", "cls", "fields", "immutable", "named")

    def __init__(self, path: Sequence[str], fields: Sequence[Field], *, cls: type | None = None,
                 params: Sequence[tuple[str, Codec | None]] = (), docs: Sequence[str] = ()) -> None:
        super().__init__(path=path, params=params, docs=docs)
        self.fields = tuple(fields)
        self.cls = cls
        self.named = bool(self.fields) and self.fields[0].name is not None
        self.attrs = _attr_names(cls, self.fields)
        self.immutable = _fields_immutable(cls, self.named, self.fields)
        # `copy` of a class instance: all attributes at once, then a copy of each mutable one.
        self._attr_values = operator.attrgetter(*self.attrs) if len(self.attrs) > 1 else None
        self._mutable_fields = tuple((i, f.codec) for i, f in enumerate(self.fields) if not f.codec.immutable)
        # Fixed-size structs of ints are packed and unpacked in one `struct` call.
        self._fixed = _fixed_plan(cls, self.fields)
        self._packer = struct.Struct("<" + self._fixed[0]) if self._fixed is not None else None
        # The same layout read in one call: every int (dotted paths into nested structs),
        # which of them are u128s, and the nested values whose class must be checked.
        self._leaves = self._u128 = self._nested = None
        if self._fixed is not None:
            paths, u128, nested = _fixed_leaves(self)
            if len(paths) > 1:
                self._leaves = operator.attrgetter(*paths)
                self._u128 = tuple(reversed(u128))
                self._nested = tuple((operator.attrgetter(p), c) for p, c in nested)
        # A struct of ints (fixed-width or compact) and such structs: its ints' dotted paths
        # and nested structs, to tell a value that decodes to itself (`encode_exact`).
        self._int_paths = _int_paths(self)
        self._exact_leaves = self._exact_nested = self._exact_codes = None
        if self._int_paths is not None and len(self._int_paths[0]) > 1:
            self._exact_leaves = operator.attrgetter(*self._int_paths[0])
            self._exact_nested = tuple((operator.attrgetter(p), c) for p, c in self._int_paths[1])
            # Per int: (compact?, byte size, signed?, lo, hi), for `encode_exact`.
            self._exact_codes = tuple(
                (True, 0, False, 0, c.inner.hi) if c.__class__ is Compact else (False, c.size, c.signed, c.lo, c.hi)
                for c in self._int_paths[2])

    def encode_exact(self, value: Any) -> bytes | None:
        """`encode(value)` for a value whose decoding gives it back: a struct of ints (and
        such structs) whose classes are the codec's and whose ints are exact ints (not bools
        or other int subclasses) in range, read in one call and encoded int by int
        (BlockWeight's compacts). None for any other value (`encode` then encodes it or
        says why not)."""
        if self._exact_leaves is None or value.__class__ is not self.cls:
            return None
        for getter, cls in self._exact_nested:  # type: ignore[union-attr]
            if getter(value).__class__ is not cls:
                return None
        out = bytearray()
        for x, (compact, size, signed, lo, hi) in zip(self._exact_leaves(value), self._exact_codes,  # type: ignore[arg-type]
                                                      strict=True):
            if x.__class__ is not int or not lo <= x <= hi:
                return None
            out += encode_compact(x) if compact else x.to_bytes(size, "little", signed=signed)
        return bytes(out)

    def _pack(self, value: Any) -> bytes | None:
        """The packed bytes of a fixed-layout value (of class `cls`), or None if a value is not
        a plain int in range for its slot or a nested value not of its struct's class (the
        generic encoder then says why): what `_flatten` and the packer give, read at once."""
        for getter, cls in self._nested:  # type: ignore[union-attr]
            if getter(value).__class__ is not cls:
                return None
        leaves = self._leaves(value)  # type: ignore[misc]
        if set(map(type, leaves)) != _INT_ONLY:
            return None
        if self._u128:
            ints = list(leaves)
            for i in self._u128:  # from the last, so earlier indices stay put
                x = ints[i]
                ints[i:i + 1] = (x & _U64_MASK, x >> 64)  # out of range: the packer refuses it
            leaves = ints
        try:
            return self._packer.pack(*leaves)  # type: ignore[union-attr]
        except struct.error:
            return None

    def encode(self, value: Any) -> bytes:
        if self._leaves is not None and value.__class__ is self.cls:
            packed = self._pack(value)
            if packed is not None:
                return packed
        out = bytearray()
        self.encode_into(value, out)
        return bytes(out)

    def _flatten(self, value: Any, out: list) -> bool:
        """The ints of a fixed-layout value, in packing order, onto `out`; False if a field
        is not a plain int in range for its slot (the generic encoder then says why)."""
        for (step, nested), attr in zip(self._fixed[1], self.attrs, strict=True):  # type: ignore[index]
            x = getattr(value, attr)
            if step == _INT:
                if x.__class__ is not int:
                    return False
                out.append(x)
            elif step == _U128:
                if x.__class__ is not int or x < 0 or x >> 128:
                    return False
                out.append(x & _U64_MASK)
                out.append(x >> 64)
            elif x.__class__ is not nested.cls or not nested._flatten(x, out):
                return False
        return True

    def _build(self, ints: tuple, i: int) -> tuple[Any, int]:
        """A fixed-layout value from unpacked ints starting at `i`; (value, next index)."""
        args = []
        for step, nested in self._fixed[1]:  # type: ignore[index]
            if step == _INT:
                args.append(ints[i])
                i += 1
            elif step == _U128:
                args.append(ints[i] | (ints[i + 1] << 64))
                i += 2
            else:
                v, i = nested._build(ints, i)
                args.append(v)
        return self.cls(*args), i  # type: ignore[misc]

    def encode_into(self, value: Any, out: bytearray) -> None:
        if self._leaves is not None and value.__class__ is self.cls:
            packed = self._pack(value)
            if packed is not None:
                out += packed
                return
        elif self._packer is not None and value.__class__ is self.cls:
            ints: list[int] = []
            if self._flatten(value, ints):
                try:
                    out += self._packer.pack(*ints)
                    return
                except struct.error:
                    pass  # out of range: the generic path names the field
        try:
            if self.cls is not None and isinstance(value, self.cls):
                for f, attr in zip(self.fields, self.attrs, strict=True):
                    f.codec.encode_into(getattr(value, attr), out)
            elif not self.named:
                if len(self.fields) == 1 and not isinstance(value, tuple):
                    self.fields[0].codec.encode_into(value, out)  # a newtype (AccountId32)
                    return
                for f, v in zip(self.fields, value, strict=True):
                    f.codec.encode_into(v, out)
            elif isinstance(value, dict):
                for f in self.fields:
                    f.codec.encode_into(value[f.name], out)
            else:
                for f in self.fields:
                    f.codec.encode_into(getattr(value, f.name), out)  # type: ignore[arg-type]
        except (KeyError, AttributeError, ValueError, TypeError) as e:
            if isinstance(e, ScaleEncodeError):
                raise ScaleEncodeError(f"{self.display_name}: {e}") from None
            raise ScaleEncodeError(f"{self.display_name}: cannot encode {value!r}: {e}") from None

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        packer = self._packer
        if packer is not None and offset + packer.size <= len(data):
            return self._build(packer.unpack_from(data, offset), 0)[0], offset + packer.size
        if self.cls is None and len(self.fields) == 1 and not self.named:
            return self.fields[0].codec.decode(data, offset)  # a newtype (AccountId32): its field's value
        values = []
        for f in self.fields:
            v, offset = f.codec.decode(data, offset)
            values.append(v)
        if self.cls is not None:
            return self.cls(*values), offset
        if self.named:
            return {f.name: v for f, v in zip(self.fields, values, strict=True)}, offset
        return (values[0] if len(values) == 1 else tuple(values)), offset

    def copy(self, value: Any) -> Any:
        if self.immutable:
            return value
        if self.cls is not None and self._attr_values is not None:
            values = self._attr_values(value)
            if self._mutable_fields:
                values = list(values)
                for i, codec in self._mutable_fields:
                    values[i] = codec.copy(values[i])
            return self.cls(*values)
        return _copy_fields(self.cls, self.named, self.fields, self.attrs, value)

    def type_def(self) -> tuple:
        return ("composite", self.fields)


class Variant:
    """One variant of an enum: name, index, fields and, optionally, the class that carries it."""

    __slots__ = ("attrs", "cls", "docs", "fields", "index", "name", "named")

    def __init__(self, name: str, index: int, fields: Sequence[Field] = (), *, cls: type | None = None,
                 docs: Sequence[str] = ()) -> None:
        self.name = name
        self.index = index
        self.fields = tuple(fields)
        self.cls = cls
        self.docs = tuple(docs)
        self.named = bool(self.fields) and self.fields[0].name is not None
        self.attrs = _attr_names(cls, self.fields)

    def __repr__(self) -> str:
        return f"Variant({self.name!r}, {self.index})"


class Enum(Codec):
    """A variant type (Rust enum).

    Python values: an instance of the variant's `cls` when it has one; otherwise a
    `(name, payload)` pair where payload is None (no fields), the value itself (one
    unnamed field), a tuple (several unnamed fields) or a dict (named fields). A bare
    variant name is accepted when encoding a variant without fields.

    `variants` keeps declaration order, which is the order scale-info lists them in
    metadata (not always index order: `DigestItem`, subtensor's `Call`).
    """

    __slots__ = ("by_class", "by_index", "by_name", "immutable", "variants")

    def __init__(self, path: Sequence[str], variants: Sequence[Variant], *,
                 params: Sequence[tuple[str, Codec | None]] = (), docs: Sequence[str] = ()) -> None:
        super().__init__(path=path, params=params, docs=docs)
        self.variants = tuple(variants)
        self.by_index = {v.index: v for v in self.variants}
        self.by_name = {v.name: v for v in self.variants}
        self.by_class = {v.cls: v for v in self.variants if v.cls is not None}
        if len(self.by_index) != len(self.variants) or len(self.by_name) != len(self.variants):
            raise TypeError(f"{self.display_name}: duplicate variant index or name")
        self.immutable = all(_fields_immutable(v.cls, v.named, v.fields) for v in self.variants)

    def add_variant(self, variant: Variant) -> None:
        """Extend the enum (used while a pallet's declarations are being collected)."""
        if variant.index in self.by_index or variant.name in self.by_name:
            raise TypeError(f"{self.display_name}: duplicate variant {variant.name} / {variant.index}")
        self.variants = (*self.variants, variant)
        self.by_index[variant.index] = variant
        self.by_name[variant.name] = variant
        if variant.cls is not None:
            self.by_class[variant.cls] = variant
        self.immutable = self.immutable and _fields_immutable(variant.cls, variant.named, variant.fields)

    def encode_into(self, value: Any, out: bytearray) -> None:
        variant = self.by_class.get(type(value))
        if variant is not None:
            out.append(variant.index)
            for f, attr in zip(variant.fields, variant.attrs, strict=True):
                f.codec.encode_into(getattr(value, attr), out)
            return
        if isinstance(value, str):
            name, payload = value, None
        elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            name, payload = value
        else:
            raise ScaleEncodeError(f"{self.display_name}: cannot encode {value!r}")
        variant = self.by_name.get(name)
        if variant is None:
            raise ScaleEncodeError(f"{self.display_name}: no variant named {name!r}")
        out.append(variant.index)
        fields = variant.fields
        if not fields:
            if payload not in (None, ()):
                raise ScaleEncodeError(f"{self.display_name}::{name} takes no payload")
            return
        try:
            if variant.named:
                for f in fields:
                    f.codec.encode_into(payload[f.name], out)
            elif len(fields) == 1:
                fields[0].codec.encode_into(payload, out)
            else:
                for f, v in zip(fields, payload, strict=True):
                    f.codec.encode_into(v, out)
        except (KeyError, TypeError, ValueError) as e:
            if isinstance(e, ScaleEncodeError):
                raise ScaleEncodeError(f"{self.display_name}::{name}: {e}") from None
            raise ScaleEncodeError(f"{self.display_name}::{name}: bad payload {payload!r}: {e}") from None

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        _need(data, offset + 1, self.display_name)
        variant = self.by_index.get(data[offset])
        if variant is None:
            raise ScaleDecodeError(f"{self.display_name}: unknown variant index {data[offset]} "
                                   f"at offset {offset}")
        offset += 1
        values = []
        for f in variant.fields:
            v, offset = f.codec.decode(data, offset)
            values.append(v)
        if variant.cls is not None:
            return variant.cls(*values), offset
        if not values:
            return (variant.name, None), offset
        if variant.named:
            return (variant.name, {f.name: v for f, v in zip(variant.fields, values, strict=True)}), offset
        return (variant.name, values[0] if len(values) == 1 else tuple(values)), offset

    def copy(self, value: Any) -> Any:
        if self.immutable:
            return value
        variant = self.by_class.get(type(value))
        if variant is not None:
            return _copy_fields(variant.cls, variant.named, variant.fields, variant.attrs, value)
        name, payload = value
        variant = self.by_name[name]
        if not variant.fields:
            return value
        return (name, _copy_fields(None, variant.named, variant.fields, variant.attrs, payload))

    def type_def(self) -> tuple:
        return ("variant", self.variants)


class NameEnum(Enum):
    """A field-less enum whose Python values are its variant names.

    `Enum` decodes a unit variant to `(name, None)`; for the many C-like enums of metadata
    (primitive kinds, hashers, storage modifiers) and of pallets (`DispatchClass`, `Pays`, …)
    the bare name reads better and compares with `==` against a string. Encoding already
    accepts a bare name, so only decoding differs.
    """

    __slots__ = ()

    def __init__(self, path: Sequence[str], names: Sequence[str]) -> None:
        super().__init__(path, [Variant(name, i) for i, name in enumerate(names)])

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        (name, _), end = super().decode(data, offset)
        return name, end


class Lazy(Codec):
    """A forward reference, for recursive types (e.g. RuntimeCall inside utility.batch).

    `resolve` returns the real codec the first time it is used.
    """

    __slots__ = ("_resolve", "_target")

    def __init__(self, resolve: Any) -> None:
        super().__init__()
        self._resolve = resolve
        self._target: Codec | None = None

    @property
    def target(self) -> Codec:
        if self._target is None:
            self._target = self._resolve()
        return self._target

    def encode_into(self, value: Any, out: bytearray) -> None:
        self.target.encode_into(value, out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        return self.target.decode(data, offset)

    def copy(self, value: Any) -> Any:
        # Never `immutable` itself: a forward reference may close a cycle, and its target
        # may change (a configured codec); the target decides.
        return self.target.copy(value)

    def type_def(self) -> tuple:
        return self.target.type_def()

    @property
    def display_name(self) -> str:
        return self.target.display_name if self._target is not None else "Lazy"
