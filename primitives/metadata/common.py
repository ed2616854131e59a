"""Building blocks shared by every metadata version: the error type, type ids, docs, and
field-less enums decoded to their variant names.

Metadata is declared with the codecs of `primitives.scale`, so the same objects decode a
real runtime's blob and encode ours; nothing here reads bytes by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pysubtensor.primitives.scale import STR, U32, Compact, Enum, ScaleError, Variant, Vec

__all__ = ["DOCS", "TEXT", "TYPE_ID", "MetadataError", "NameEnum"]


class MetadataError(ScaleError):
    """Bytes that are not metadata we can read: wrong magic, unsupported version, bad wrapper."""


#: `String` in the portable form: a compact length and UTF-8 bytes.
TEXT = STR
#: A type id: `Compact<u32>` index into the portable registry.
TYPE_ID = Compact(U32)
#: `Vec<String>` doc lines, kept verbatim (leading spaces included) for byte-exact re-encoding.
DOCS = Vec(STR)


class NameEnum(Enum):
    """A field-less enum whose Python values are its variant names.

    `Enum` decodes a unit variant to `(name, None)`; for the many C-like enums of metadata
    (primitive kinds, hashers, storage modifiers) the bare name reads better and compares
    with `==` against a string. Encoding already accepts a bare name, so only decoding
    differs.
    """

    __slots__ = ()

    def __init__(self, path: Sequence[str], names: Sequence[str]) -> None:
        super().__init__(path, [Variant(name, i) for i, name in enumerate(names)])

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        (name, _), end = super().decode(data, offset)
        return name, end
