"""Block header and digest (sp-runtime `generic::Header<u32, BlakeTwo256>`, `generic::Digest`).

Block hash = blake2_256 of the SCALE-encoded header; the body enters only through
`extrinsics_root`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import (
    BYTES,
    H256,
    U32,
    Compact,
    Enum,
    Field,
    FixedBytes,
    Struct,
    Variant,
    Vec,
)
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "DIGEST",
    "DIGEST_ITEM",
    "EMPTY_TRIE_ROOT",
    "HEADER",
    "Consensus",
    "Digest",
    "Header",
    "Other",
    "PreRuntime",
    "RuntimeEnvironmentUpdated",
    "Seal",
]

#: Root of the empty trie: blake2_256(0x00), the extrinsics root of an empty body.
EMPTY_TRIE_ROOT = blake2_256(b"\x00")

CONSENSUS_ENGINE_ID = FixedBytes(4)


@slots_dataclass(frozen=True)
class Other:
    data: bytes


@slots_dataclass(frozen=True)
class Consensus:
    engine: bytes
    data: bytes


@slots_dataclass(frozen=True)
class Seal:
    engine: bytes
    data: bytes


@slots_dataclass(frozen=True)
class PreRuntime:
    engine: bytes
    data: bytes


@slots_dataclass(frozen=True)
class RuntimeEnvironmentUpdated:
    pass


# Tuple variants (unnamed fields), as scale-info describes them.
_ENGINE_FIELDS = (Field(None, CONSENSUS_ENGINE_ID, "ConsensusEngineId"), Field(None, BYTES, "Vec<u8>"))

# Indices 1, 2, 3 and 7 are retired in Substrate; a digest carrying them is invalid.
DIGEST_ITEM = Enum(
    ("sp_runtime", "generic", "digest", "DigestItem"),
    (
        Variant("PreRuntime", 6, _ENGINE_FIELDS, cls=PreRuntime),
        Variant("Consensus", 4, _ENGINE_FIELDS, cls=Consensus),
        Variant("Seal", 5, _ENGINE_FIELDS, cls=Seal),
        Variant("Other", 0, (Field(None, BYTES, "Vec<u8>"),), cls=Other),
        Variant("RuntimeEnvironmentUpdated", 8, cls=RuntimeEnvironmentUpdated),
    ),
)


@dataclass(slots=True)
class Digest:
    logs: list = field(default_factory=list)


DIGEST = Struct(("sp_runtime", "generic", "digest", "Digest"),
                (Field("logs", Vec(DIGEST_ITEM), "Vec<DigestItem>"),),
                cls=Digest)


@dataclass(slots=True)
class Header:
    parent_hash: bytes
    number: int
    state_root: bytes
    extrinsics_root: bytes
    digest: Digest = field(default_factory=Digest)

    def encode(self) -> bytes:
        return HEADER.encode(self)

    @property
    def hash(self) -> bytes:
        return blake2_256(self.encode())

    @classmethod
    def decode(cls, data: bytes) -> Header:
        """Decode a complete header (trailing bytes are an error)."""
        return HEADER.decode_all(data)


HEADER = Struct(
    ("sp_runtime", "generic", "header", "Header"),
    (
        Field("parent_hash", H256, "Hash::Output"),
        Field("number", Compact(U32), "Number"),
        Field("state_root", H256, "Hash::Output"),
        Field("extrinsics_root", H256, "Hash::Output"),
        Field("digest", DIGEST, "Digest"),
    ),
    cls=Header,
    params=(("Number", U32), ("Hash", None)),
)
