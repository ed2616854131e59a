"""Building blocks shared by every metadata version: the error type, type ids, docs, and
field-less enums decoded to their variant names (`NameEnum`, declared in primitives.scale: the
pallets use it too, and importing it from there does not import the metadata model).

Metadata is declared with the codecs of `primitives.scale`, so the same objects decode a
real runtime's blob and encode ours; nothing here reads bytes by hand.
"""

from __future__ import annotations

from pysubtensor.primitives.scale import STR, U32, Compact, NameEnum, ScaleError, Vec

__all__ = ["DOCS", "TEXT", "TYPE_ID", "MetadataError", "NameEnum"]


class MetadataError(ScaleError):
    """Bytes that are not metadata we can read: wrong magic, unsupported version, bad wrapper."""


#: `String` in the portable form: a compact length and UTF-8 bytes.
TEXT = STR
#: A type id: `Compact<u32>` index into the portable registry.
TYPE_ID = Compact(U32)
#: `Vec<String>` doc lines, kept verbatim (leading spaces included) for byte-exact re-encoding.
DOCS = Vec(STR)

