"""frame-metadata V14, V15 and V16: the data model and its exact SCALE codec.

Decoding a real runtime's blob and re-encoding it gives the same bytes, so the same
model serves both to read the real subtensor's metadata (our oracle) and to emit ours.

    m = decode_metadata(metadata_bytes(blob))   # raw, OpaqueMetadata or Option<…>
    m.metadata.types.type(7)                    # a scale-info Type by id
    encode_metadata(m) == metadata_bytes(blob)
    summary(m)                                  # pallets, indices, names, APIs

Modules: `registry` (scale-info portable types), `v14`, `v15`, `v16` (one per version),
`prefixed` (magic, version dispatch, wrappers), `summary`.
"""

from .common import MetadataError
from .prefixed import (
    MAGIC,
    SUPPORTED_VERSIONS,
    MetadataPrefixed,
    RuntimeMetadata,
    decode_metadata,
    encode_metadata,
    metadata_bytes,
    unwrap_metadata_at_version,
    unwrap_opaque_metadata,
    wrap_metadata_at_version,
    wrap_opaque_metadata,
)
from .registry import (
    Field,
    PortableRegistry,
    PortableType,
    Type,
    TypeDef,
    TypeDefArray,
    TypeDefBitSequence,
    TypeDefCompact,
    TypeDefComposite,
    TypeDefPrimitive,
    TypeDefSequence,
    TypeDefTuple,
    TypeDefVariant,
    TypeParameter,
    Variant,
)
from .summary import runtime_version, summary
from .v14 import RuntimeMetadataV14
from .v15 import RuntimeMetadataV15
from .v16 import RuntimeMetadataV16

__all__ = [
    "MAGIC",
    "SUPPORTED_VERSIONS",
    "Field",
    "MetadataError",
    "MetadataPrefixed",
    "PortableRegistry",
    "PortableType",
    "RuntimeMetadata",
    "RuntimeMetadataV14",
    "RuntimeMetadataV15",
    "RuntimeMetadataV16",
    "Type",
    "TypeDef",
    "TypeDefArray",
    "TypeDefBitSequence",
    "TypeDefCompact",
    "TypeDefComposite",
    "TypeDefPrimitive",
    "TypeDefSequence",
    "TypeDefTuple",
    "TypeDefVariant",
    "TypeParameter",
    "Variant",
    "decode_metadata",
    "encode_metadata",
    "metadata_bytes",
    "runtime_version",
    "summary",
    "unwrap_metadata_at_version",
    "unwrap_opaque_metadata",
    "wrap_metadata_at_version",
    "wrap_opaque_metadata",
]
