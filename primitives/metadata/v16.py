"""frame-metadata V16: V15 reshaped for extrinsic V5 and deprecation notices.

Differences from V15: pallets gain `associated_types`, `view_functions` and
`deprecation_info` (so do storage entries, constants, runtime APIs and their methods;
calls, events and errors carry per-variant deprecation); the extrinsic lists the formats
it accepts (`versions`) and which transaction extensions apply to each; runtime APIs carry
their version; the top-level runtime type `ty` is gone. Papi and polkadot.js read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pysubtensor.primitives.scale import (
    BYTES,
    U8,
    U32,
    Compact,
    Enum,
    FixedBytes,
    Option,
    Struct,
    Tuple,
    Variant,
    Vec,
)
from pysubtensor.primitives.scale import Field as CodecField

from .common import DOCS, TEXT, TYPE_ID
from .registry import PORTABLE_REGISTRY, PortableRegistry
from .v14 import STORAGE_ENTRY_MODIFIER, STORAGE_ENTRY_TYPE, StorageEntryType
from .v15 import (
    CUSTOM_METADATA,
    OUTER_ENUMS,
    RUNTIME_API_METHOD_PARAM_METADATA,
    CustomMetadata,
    OuterEnums,
    RuntimeApiMethodParamMetadata,
)

__all__ = [
    "RUNTIME_METADATA_V16_FIELDS",
    "Deprecated",
    "DeprecatedWithoutNote",
    "EnumDeprecationInfo",
    "ExtrinsicMetadataV16",
    "NotDeprecated",
    "PalletAssociatedTypeMetadata",
    "PalletCallMetadataV16",
    "PalletConstantMetadataV16",
    "PalletErrorMetadataV16",
    "PalletEventMetadataV16",
    "PalletMetadataV16",
    "PalletStorageMetadataV16",
    "PalletViewFunctionMetadata",
    "RuntimeApiMetadataV16",
    "RuntimeApiMethodMetadataV16",
    "RuntimeMetadataV16",
    "StorageEntryMetadataV16",
    "TransactionExtensionMetadata",
]

_P = ("frame_metadata", "v16")


# ---------------------------------------------------------------------------
# Deprecation notices.


@dataclass(frozen=True, slots=True)
class NotDeprecated:
    pass


@dataclass(frozen=True, slots=True)
class DeprecatedWithoutNote:
    pass


@dataclass(frozen=True, slots=True)
class Deprecated:
    note: str
    since: str | None


ItemDeprecationInfo = NotDeprecated | DeprecatedWithoutNote | Deprecated


@dataclass(frozen=True, slots=True)
class EnumDeprecationInfo:
    """`BTreeMap<u8, VariantDeprecationInfo>`: deprecated variants by index (usually empty)."""

    variants: list[tuple[int, DeprecatedWithoutNote | Deprecated]]


_DEPRECATED_FIELDS = (CodecField("note", TEXT), CodecField("since", Option(TEXT)))

ITEM_DEPRECATION_INFO = Enum((*_P, "ItemDeprecationInfo"), [
    Variant("NotDeprecated", 0, cls=NotDeprecated),
    Variant("DeprecatedWithoutNote", 1, cls=DeprecatedWithoutNote),
    Variant("Deprecated", 2, _DEPRECATED_FIELDS, cls=Deprecated),
])

# Same indices as `ItemDeprecationInfo`, minus `NotDeprecated` (absence from the map says that).
VARIANT_DEPRECATION_INFO = Enum((*_P, "VariantDeprecationInfo"), [
    Variant("DeprecatedWithoutNote", 1, cls=DeprecatedWithoutNote),
    Variant("Deprecated", 2, _DEPRECATED_FIELDS, cls=Deprecated),
])

ENUM_DEPRECATION_INFO = Struct((*_P, "EnumDeprecationInfo"), [
    CodecField(None, Vec(Tuple(U8, VARIANT_DEPRECATION_INFO))),
], cls=EnumDeprecationInfo)


# ---------------------------------------------------------------------------
# Pallets.


@dataclass(frozen=True, slots=True)
class StorageEntryMetadataV16:
    name: str
    modifier: str
    ty: StorageEntryType
    default: bytes
    docs: list[str]
    deprecation_info: ItemDeprecationInfo


@dataclass(frozen=True, slots=True)
class PalletStorageMetadataV16:
    prefix: str
    entries: list[StorageEntryMetadataV16]


@dataclass(frozen=True, slots=True)
class PalletCallMetadataV16:
    ty: int
    deprecation_info: EnumDeprecationInfo


@dataclass(frozen=True, slots=True)
class PalletEventMetadataV16:
    ty: int
    deprecation_info: EnumDeprecationInfo


@dataclass(frozen=True, slots=True)
class PalletErrorMetadataV16:
    ty: int
    deprecation_info: EnumDeprecationInfo


@dataclass(frozen=True, slots=True)
class PalletConstantMetadataV16:
    name: str
    ty: int
    value: bytes
    docs: list[str]
    deprecation_info: ItemDeprecationInfo


@dataclass(frozen=True, slots=True)
class PalletAssociatedTypeMetadata:
    name: str
    ty: int
    docs: list[str]


@dataclass(frozen=True, slots=True)
class PalletViewFunctionMetadata:
    """A read-only pallet function callable through `RuntimeViewFunction`, keyed by `id`."""

    id: bytes
    name: str
    inputs: list[RuntimeApiMethodParamMetadata]
    output: int
    docs: list[str]
    deprecation_info: ItemDeprecationInfo


@dataclass(frozen=True, slots=True)
class PalletMetadataV16:
    name: str
    storage: PalletStorageMetadataV16 | None
    calls: PalletCallMetadataV16 | None
    event: PalletEventMetadataV16 | None
    constants: list[PalletConstantMetadataV16]
    error: PalletErrorMetadataV16 | None
    associated_types: list[PalletAssociatedTypeMetadata]
    view_functions: list[PalletViewFunctionMetadata]
    index: int
    docs: list[str]
    deprecation_info: ItemDeprecationInfo


# ---------------------------------------------------------------------------
# Extrinsic and runtime APIs.


@dataclass(frozen=True, slots=True)
class TransactionExtensionMetadata:
    """V16's name for a signed extension; `implicit` is V14's `additional_signed`."""

    identifier: str
    ty: int
    implicit: int


@dataclass(frozen=True, slots=True)
class ExtrinsicMetadataV16:
    """`versions`: extrinsic formats accepted (4 and/or 5). `transaction_extensions_by_version`
    maps a V5 *extension* version (not the extrinsic version) to indices into
    `transaction_extensions`."""

    versions: list[int]
    address_ty: int
    call_ty: int
    signature_ty: int
    transaction_extensions_by_version: list[tuple[int, list[int]]]
    transaction_extensions: list[TransactionExtensionMetadata]


@dataclass(frozen=True, slots=True)
class RuntimeApiMethodMetadataV16:
    name: str
    inputs: list[RuntimeApiMethodParamMetadata]
    output: int
    docs: list[str]
    deprecation_info: ItemDeprecationInfo


@dataclass(frozen=True, slots=True)
class RuntimeApiMetadataV16:
    name: str
    methods: list[RuntimeApiMethodMetadataV16]
    docs: list[str]
    version: int
    deprecation_info: ItemDeprecationInfo


@dataclass(frozen=True, slots=True)
class RuntimeMetadataV16:
    types: PortableRegistry
    pallets: list[PalletMetadataV16]
    extrinsic: ExtrinsicMetadataV16
    apis: list[RuntimeApiMetadataV16]
    outer_enums: OuterEnums
    custom: CustomMetadata

    version: ClassVar[int] = 16


# ---------------------------------------------------------------------------
# Codecs.


def _type_with_deprecation(name: str, cls: type) -> Struct:
    return Struct((*_P, name), [CodecField("ty", TYPE_ID), CodecField("deprecation_info", ENUM_DEPRECATION_INFO)],
                  cls=cls)


STORAGE_ENTRY_METADATA_V16 = Struct((*_P, "StorageEntryMetadata"), [
    CodecField("name", TEXT),
    CodecField("modifier", STORAGE_ENTRY_MODIFIER),
    CodecField("ty", STORAGE_ENTRY_TYPE),
    CodecField("default", BYTES),
    CodecField("docs", DOCS),
    CodecField("deprecation_info", ITEM_DEPRECATION_INFO),
], cls=StorageEntryMetadataV16)

PALLET_STORAGE_METADATA_V16 = Struct((*_P, "PalletStorageMetadata"), [
    CodecField("prefix", TEXT),
    CodecField("entries", Vec(STORAGE_ENTRY_METADATA_V16)),
], cls=PalletStorageMetadataV16)

PALLET_CONSTANT_METADATA_V16 = Struct((*_P, "PalletConstantMetadata"), [
    CodecField("name", TEXT),
    CodecField("ty", TYPE_ID),
    CodecField("value", BYTES),
    CodecField("docs", DOCS),
    CodecField("deprecation_info", ITEM_DEPRECATION_INFO),
], cls=PalletConstantMetadataV16)

PALLET_ASSOCIATED_TYPE_METADATA = Struct((*_P, "PalletAssociatedTypeMetadata"), [
    CodecField("name", TEXT),
    CodecField("ty", TYPE_ID),
    CodecField("docs", DOCS),
], cls=PalletAssociatedTypeMetadata)

PALLET_VIEW_FUNCTION_METADATA = Struct((*_P, "PalletViewFunctionMetadata"), [
    CodecField("id", FixedBytes(32)),
    CodecField("name", TEXT),
    CodecField("inputs", Vec(RUNTIME_API_METHOD_PARAM_METADATA)),
    CodecField("output", TYPE_ID),
    CodecField("docs", DOCS),
    CodecField("deprecation_info", ITEM_DEPRECATION_INFO),
], cls=PalletViewFunctionMetadata)

PALLET_METADATA_V16 = Struct((*_P, "PalletMetadata"), [
    CodecField("name", TEXT),
    CodecField("storage", Option(PALLET_STORAGE_METADATA_V16)),
    CodecField("calls", Option(_type_with_deprecation("PalletCallMetadata", PalletCallMetadataV16))),
    CodecField("event", Option(_type_with_deprecation("PalletEventMetadata", PalletEventMetadataV16))),
    CodecField("constants", Vec(PALLET_CONSTANT_METADATA_V16)),
    CodecField("error", Option(_type_with_deprecation("PalletErrorMetadata", PalletErrorMetadataV16))),
    CodecField("associated_types", Vec(PALLET_ASSOCIATED_TYPE_METADATA)),
    CodecField("view_functions", Vec(PALLET_VIEW_FUNCTION_METADATA)),
    CodecField("index", U8),
    CodecField("docs", DOCS),
    CodecField("deprecation_info", ITEM_DEPRECATION_INFO),
], cls=PalletMetadataV16)

TRANSACTION_EXTENSION_METADATA = Struct((*_P, "TransactionExtensionMetadata"), [
    CodecField("identifier", TEXT),
    CodecField("ty", TYPE_ID),
    CodecField("implicit", TYPE_ID),
], cls=TransactionExtensionMetadata)

EXTRINSIC_METADATA_V16 = Struct((*_P, "ExtrinsicMetadata"), [
    CodecField("versions", Vec(U8)),
    CodecField("address_ty", TYPE_ID),
    CodecField("call_ty", TYPE_ID),
    CodecField("signature_ty", TYPE_ID),
    CodecField("transaction_extensions_by_version", Vec(Tuple(U8, Vec(Compact(U32))))),
    CodecField("transaction_extensions", Vec(TRANSACTION_EXTENSION_METADATA)),
], cls=ExtrinsicMetadataV16)

RUNTIME_API_METHOD_METADATA_V16 = Struct((*_P, "RuntimeApiMethodMetadata"), [
    CodecField("name", TEXT),
    CodecField("inputs", Vec(RUNTIME_API_METHOD_PARAM_METADATA)),
    CodecField("output", TYPE_ID),
    CodecField("docs", DOCS),
    CodecField("deprecation_info", ITEM_DEPRECATION_INFO),
], cls=RuntimeApiMethodMetadataV16)

RUNTIME_API_METADATA_V16 = Struct((*_P, "RuntimeApiMetadata"), [
    CodecField("name", TEXT),
    CodecField("methods", Vec(RUNTIME_API_METHOD_METADATA_V16)),
    CodecField("docs", DOCS),
    CodecField("version", Compact(U32)),
    CodecField("deprecation_info", ITEM_DEPRECATION_INFO),
], cls=RuntimeApiMetadataV16)

#: The body of `RuntimeMetadata::V16`, as the fields of that enum variant.
RUNTIME_METADATA_V16_FIELDS = (
    CodecField("types", PORTABLE_REGISTRY),
    CodecField("pallets", Vec(PALLET_METADATA_V16)),
    CodecField("extrinsic", EXTRINSIC_METADATA_V16),
    CodecField("apis", Vec(RUNTIME_API_METADATA_V16)),
    CodecField("outer_enums", OUTER_ENUMS),
    CodecField("custom", CUSTOM_METADATA),
)
