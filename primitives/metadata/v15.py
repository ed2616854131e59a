"""frame-metadata V15: V14 plus pallet docs, the split-out extrinsic types, runtime API
signatures, the outer Call / Event / Error enums and custom values.

This is the version ASI and the bittensor SDK read (`Metadata_metadata_at_version(15)`);
their runtime-API decoding depends on `apis`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pysubtensor.primitives.scale import BYTES, U8, Struct, Tuple, Vec
from pysubtensor.primitives.scale import Field as CodecField

from .common import DOCS, TEXT, TYPE_ID
from .registry import PORTABLE_REGISTRY, PortableRegistry
from .v14 import (
    PALLET_FIELDS_V14,
    SIGNED_EXTENSION_METADATA,
    PalletCallMetadata,
    PalletConstantMetadata,
    PalletErrorMetadata,
    PalletEventMetadata,
    PalletStorageMetadata,
    SignedExtensionMetadata,
)

__all__ = [
    "CUSTOM_METADATA",
    "OUTER_ENUMS",
    "RUNTIME_API_METHOD_PARAM_METADATA",
    "RUNTIME_METADATA_V15_FIELDS",
    "CustomMetadata",
    "CustomValueMetadata",
    "ExtrinsicMetadataV15",
    "OuterEnums",
    "PalletMetadataV15",
    "RuntimeApiMetadataV15",
    "RuntimeApiMethodMetadataV15",
    "RuntimeApiMethodParamMetadata",
    "RuntimeMetadataV15",
]

_P = ("frame_metadata", "v15")


@dataclass(frozen=True, slots=True)
class PalletMetadataV15:
    name: str
    storage: PalletStorageMetadata | None
    calls: PalletCallMetadata | None
    event: PalletEventMetadata | None
    constants: list[PalletConstantMetadata]
    error: PalletErrorMetadata | None
    index: int
    docs: list[str]


@dataclass(frozen=True, slots=True)
class ExtrinsicMetadataV15:
    """The extrinsic's parts as separate types, so a client needs no path lookups to sign."""

    version: int
    address_ty: int
    call_ty: int
    signature_ty: int
    extra_ty: int
    signed_extensions: list[SignedExtensionMetadata]


@dataclass(frozen=True, slots=True)
class RuntimeApiMethodParamMetadata:
    name: str
    ty: int


@dataclass(frozen=True, slots=True)
class RuntimeApiMethodMetadataV15:
    name: str
    inputs: list[RuntimeApiMethodParamMetadata]
    output: int
    docs: list[str]


@dataclass(frozen=True, slots=True)
class RuntimeApiMetadataV15:
    name: str
    methods: list[RuntimeApiMethodMetadataV15]
    docs: list[str]


@dataclass(frozen=True, slots=True)
class OuterEnums:
    """Type ids of `RuntimeCall`, `RuntimeEvent` and `RuntimeError`."""

    call_enum_ty: int
    event_enum_ty: int
    error_enum_ty: int


@dataclass(frozen=True, slots=True)
class CustomValueMetadata:
    ty: int
    value: bytes


@dataclass(frozen=True, slots=True)
class CustomMetadata:
    """`BTreeMap<String, CustomValueMetadata>`, kept as its encoded (key-sorted) list of pairs
    so that re-encoding reproduces the input exactly."""

    map: list[tuple[str, CustomValueMetadata]]

    def get(self, key: str) -> CustomValueMetadata | None:
        return next((value for name, value in self.map if name == key), None)


@dataclass(frozen=True, slots=True)
class RuntimeMetadataV15:
    types: PortableRegistry
    pallets: list[PalletMetadataV15]
    extrinsic: ExtrinsicMetadataV15
    ty: int
    apis: list[RuntimeApiMetadataV15]
    outer_enums: OuterEnums
    custom: CustomMetadata

    version: ClassVar[int] = 15


# ---------------------------------------------------------------------------
# Codecs.

PALLET_METADATA_V15 = Struct((*_P, "PalletMetadata"), [*PALLET_FIELDS_V14, CodecField("docs", DOCS)],
                             cls=PalletMetadataV15)

EXTRINSIC_METADATA_V15 = Struct((*_P, "ExtrinsicMetadata"), [
    CodecField("version", U8),
    CodecField("address_ty", TYPE_ID),
    CodecField("call_ty", TYPE_ID),
    CodecField("signature_ty", TYPE_ID),
    CodecField("extra_ty", TYPE_ID),
    CodecField("signed_extensions", Vec(SIGNED_EXTENSION_METADATA)),
], cls=ExtrinsicMetadataV15)

RUNTIME_API_METHOD_PARAM_METADATA = Struct((*_P, "RuntimeApiMethodParamMetadata"), [
    CodecField("name", TEXT),
    CodecField("ty", TYPE_ID),
], cls=RuntimeApiMethodParamMetadata)

RUNTIME_API_METHOD_METADATA_V15 = Struct((*_P, "RuntimeApiMethodMetadata"), [
    CodecField("name", TEXT),
    CodecField("inputs", Vec(RUNTIME_API_METHOD_PARAM_METADATA)),
    CodecField("output", TYPE_ID),
    CodecField("docs", DOCS),
], cls=RuntimeApiMethodMetadataV15)

RUNTIME_API_METADATA_V15 = Struct((*_P, "RuntimeApiMetadata"), [
    CodecField("name", TEXT),
    CodecField("methods", Vec(RUNTIME_API_METHOD_METADATA_V15)),
    CodecField("docs", DOCS),
], cls=RuntimeApiMetadataV15)

OUTER_ENUMS = Struct((*_P, "OuterEnums"), [
    CodecField("call_enum_ty", TYPE_ID),
    CodecField("event_enum_ty", TYPE_ID),
    CodecField("error_enum_ty", TYPE_ID),
], cls=OuterEnums)

CUSTOM_VALUE_METADATA = Struct((*_P, "CustomValueMetadata"), [
    CodecField("ty", TYPE_ID),
    CodecField("value", BYTES),
], cls=CustomValueMetadata)

CUSTOM_METADATA = Struct((*_P, "CustomMetadata"), [
    CodecField("map", Vec(Tuple(TEXT, CUSTOM_VALUE_METADATA))),
], cls=CustomMetadata)

#: The body of `RuntimeMetadata::V15`, as the fields of that enum variant.
RUNTIME_METADATA_V15_FIELDS = (
    CodecField("types", PORTABLE_REGISTRY),
    CodecField("pallets", Vec(PALLET_METADATA_V15)),
    CodecField("extrinsic", EXTRINSIC_METADATA_V15),
    CodecField("ty", TYPE_ID),
    CodecField("apis", Vec(RUNTIME_API_METADATA_V15)),
    CodecField("outer_enums", OUTER_ENUMS),
    CodecField("custom", CUSTOM_METADATA),
)
