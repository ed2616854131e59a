"""frame-metadata V14: pallets with storage, calls, events, constants and errors, the
extrinsic format and the runtime type, all pointing into one portable registry.

The pallet pieces defined here (storage entries, call / event / error type ids,
constants, signed extensions) are reused unchanged by V15.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pysubtensor.primitives.hashing import HASHERS
from pysubtensor.primitives.scale import BYTES, U8, Enum, Option, Struct, Vec
from pysubtensor.primitives.scale import Field as CodecField
from pysubtensor.primitives.scale import Variant as CodecVariant

from .common import DOCS, TEXT, TYPE_ID, NameEnum
from .registry import PORTABLE_REGISTRY, PortableRegistry

__all__ = [
    "EXTRINSIC_METADATA_V14",
    "PALLET_FIELDS_V14",
    "PALLET_METADATA_V14",
    "RUNTIME_METADATA_V14_FIELDS",
    "STORAGE_ENTRY_MODIFIER",
    "STORAGE_ENTRY_TYPE",
    "STORAGE_HASHER",
    "ExtrinsicMetadataV14",
    "PalletCallMetadata",
    "PalletConstantMetadata",
    "PalletErrorMetadata",
    "PalletEventMetadata",
    "PalletMetadataV14",
    "PalletStorageMetadata",
    "RuntimeMetadataV14",
    "SignedExtensionMetadata",
    "StorageEntryMetadata",
    "StorageEntryTypeMap",
    "StorageEntryTypePlain",
]

_P = ("frame_metadata", "v14")

#: `StorageHasher` variant names in index order; primitives.hashing numbers them the same way.
STORAGE_HASHER = NameEnum((*_P, "StorageHasher"), sorted(HASHERS, key=lambda name: HASHERS[name].index))
#: `StorageEntryModifier`: `Optional` reads as None when absent, `Default` as `default`.
STORAGE_ENTRY_MODIFIER = NameEnum((*_P, "StorageEntryModifier"), ("Optional", "Default"))


@dataclass(frozen=True, slots=True)
class StorageEntryTypePlain:
    """A `StorageValue`: one value of type `value`."""

    value: int


@dataclass(frozen=True, slots=True)
class StorageEntryTypeMap:
    """A map: `key` is one type or a tuple type, one hasher per key component."""

    hashers: list[str]
    key: int
    value: int


StorageEntryType = StorageEntryTypePlain | StorageEntryTypeMap


@dataclass(frozen=True, slots=True)
class StorageEntryMetadata:
    name: str
    modifier: str
    ty: StorageEntryType
    default: bytes
    docs: list[str]


@dataclass(frozen=True, slots=True)
class PalletStorageMetadata:
    prefix: str
    entries: list[StorageEntryMetadata]


@dataclass(frozen=True, slots=True)
class PalletCallMetadata:
    ty: int


@dataclass(frozen=True, slots=True)
class PalletEventMetadata:
    ty: int


@dataclass(frozen=True, slots=True)
class PalletErrorMetadata:
    ty: int


@dataclass(frozen=True, slots=True)
class PalletConstantMetadata:
    name: str
    ty: int
    value: bytes
    docs: list[str]


@dataclass(frozen=True, slots=True)
class PalletMetadataV14:
    name: str
    storage: PalletStorageMetadata | None
    calls: PalletCallMetadata | None
    event: PalletEventMetadata | None
    constants: list[PalletConstantMetadata]
    error: PalletErrorMetadata | None
    index: int


@dataclass(frozen=True, slots=True)
class SignedExtensionMetadata:
    identifier: str
    ty: int
    additional_signed: int


@dataclass(frozen=True, slots=True)
class ExtrinsicMetadataV14:
    """`ty` is the `UncheckedExtrinsic` type; `version` the extrinsic format (4)."""

    ty: int
    version: int
    signed_extensions: list[SignedExtensionMetadata]


@dataclass(frozen=True, slots=True)
class RuntimeMetadataV14:
    types: PortableRegistry
    pallets: list[PalletMetadataV14]
    extrinsic: ExtrinsicMetadataV14
    ty: int

    version: ClassVar[int] = 14


# ---------------------------------------------------------------------------
# Codecs.

STORAGE_ENTRY_TYPE = Enum((*_P, "StorageEntryType"), [
    CodecVariant("Plain", 0, [CodecField(None, TYPE_ID)], cls=StorageEntryTypePlain),
    CodecVariant("Map", 1, [
        CodecField("hashers", Vec(STORAGE_HASHER)),
        CodecField("key", TYPE_ID),
        CodecField("value", TYPE_ID),
    ], cls=StorageEntryTypeMap),
])

STORAGE_ENTRY_METADATA = Struct((*_P, "StorageEntryMetadata"), [
    CodecField("name", TEXT),
    CodecField("modifier", STORAGE_ENTRY_MODIFIER),
    CodecField("ty", STORAGE_ENTRY_TYPE),
    CodecField("default", BYTES),
    CodecField("docs", DOCS),
], cls=StorageEntryMetadata)

PALLET_STORAGE_METADATA = Struct((*_P, "PalletStorageMetadata"), [
    CodecField("prefix", TEXT),
    CodecField("entries", Vec(STORAGE_ENTRY_METADATA)),
], cls=PalletStorageMetadata)

PALLET_CALL_METADATA = Struct((*_P, "PalletCallMetadata"), [CodecField("ty", TYPE_ID)], cls=PalletCallMetadata)
PALLET_EVENT_METADATA = Struct((*_P, "PalletEventMetadata"), [CodecField("ty", TYPE_ID)],
                               cls=PalletEventMetadata)
PALLET_ERROR_METADATA = Struct((*_P, "PalletErrorMetadata"), [CodecField("ty", TYPE_ID)],
                               cls=PalletErrorMetadata)

PALLET_CONSTANT_METADATA = Struct((*_P, "PalletConstantMetadata"), [
    CodecField("name", TEXT),
    CodecField("ty", TYPE_ID),
    CodecField("value", BYTES),
    CodecField("docs", DOCS),
], cls=PalletConstantMetadata)

#: The pallet fields V14 and V15 share, in order; V15 appends `docs`.
PALLET_FIELDS_V14 = (
    CodecField("name", TEXT),
    CodecField("storage", Option(PALLET_STORAGE_METADATA)),
    CodecField("calls", Option(PALLET_CALL_METADATA)),
    CodecField("event", Option(PALLET_EVENT_METADATA)),
    CodecField("constants", Vec(PALLET_CONSTANT_METADATA)),
    CodecField("error", Option(PALLET_ERROR_METADATA)),
    CodecField("index", U8),
)

PALLET_METADATA_V14 = Struct((*_P, "PalletMetadata"), PALLET_FIELDS_V14, cls=PalletMetadataV14)

SIGNED_EXTENSION_METADATA = Struct((*_P, "SignedExtensionMetadata"), [
    CodecField("identifier", TEXT),
    CodecField("ty", TYPE_ID),
    CodecField("additional_signed", TYPE_ID),
], cls=SignedExtensionMetadata)

EXTRINSIC_METADATA_V14 = Struct((*_P, "ExtrinsicMetadata"), [
    CodecField("ty", TYPE_ID),
    CodecField("version", U8),
    CodecField("signed_extensions", Vec(SIGNED_EXTENSION_METADATA)),
], cls=ExtrinsicMetadataV14)

#: The body of `RuntimeMetadata::V14`, as the fields of that enum variant.
RUNTIME_METADATA_V14_FIELDS = (
    CodecField("types", PORTABLE_REGISTRY),
    CodecField("pallets", Vec(PALLET_METADATA_V14)),
    CodecField("extrinsic", EXTRINSIC_METADATA_V14),
    CodecField("ty", TYPE_ID),
)
