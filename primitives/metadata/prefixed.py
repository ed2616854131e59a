"""`RuntimeMetadataPrefixed`: the magic `b"meta"`, the version byte, the metadata — and the
wrappers the runtime calls put around it.

`state_getMetadata` returns the prefixed bytes as they are; `Metadata_metadata` returns
them as `OpaqueMetadata` (`Vec<u8>`, a compact length first); `Metadata_metadata_at_version`
returns `Option<OpaqueMetadata>` (`0x01`, length, bytes — or `0x00`). Real blobs come in
all three forms, so unwrapping is explicit and checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from pysubtensor.primitives.scale import BYTES, U32, Enum, Option, ScaleDecodeError, Struct, Variant
from pysubtensor.primitives.scale import Field as CodecField

from .common import MetadataError
from .v14 import RUNTIME_METADATA_V14_FIELDS, RuntimeMetadataV14
from .v15 import RUNTIME_METADATA_V15_FIELDS, RuntimeMetadataV15
from .v16 import RUNTIME_METADATA_V16_FIELDS, RuntimeMetadataV16

__all__ = [
    "MAGIC",
    "MAGIC_BYTES",
    "RUNTIME_METADATA_PREFIXED",
    "SUPPORTED_VERSIONS",
    "MetadataPrefixed",
    "RuntimeMetadata",
    "decode_metadata",
    "encode_metadata",
    "metadata_bytes",
    "unwrap_metadata_at_version",
    "unwrap_opaque_metadata",
    "wrap_metadata_at_version",
    "wrap_opaque_metadata",
]

MAGIC_BYTES = b"meta"
#: The magic as the `u32` frame-metadata declares it (little-endian "meta").
MAGIC = int.from_bytes(MAGIC_BYTES, "little")
SUPPORTED_VERSIONS = (14, 15, 16)

RuntimeMetadata = RuntimeMetadataV14 | RuntimeMetadataV15 | RuntimeMetadataV16


@dataclass(frozen=True, slots=True)
class MetadataPrefixed:
    magic: int
    metadata: RuntimeMetadata

    @classmethod
    def of(cls, metadata: RuntimeMetadata) -> MetadataPrefixed:
        return cls(MAGIC, metadata)

    @property
    def version(self) -> int:
        return self.metadata.version


# `RuntimeMetadata` is an enum whose variant index is the version; V0 to V13 are not read.
RUNTIME_METADATA = Enum(("frame_metadata", "RuntimeMetadata"), [
    Variant("V14", 14, RUNTIME_METADATA_V14_FIELDS, cls=RuntimeMetadataV14),
    Variant("V15", 15, RUNTIME_METADATA_V15_FIELDS, cls=RuntimeMetadataV15),
    Variant("V16", 16, RUNTIME_METADATA_V16_FIELDS, cls=RuntimeMetadataV16),
])

RUNTIME_METADATA_PREFIXED = Struct(("frame_metadata", "RuntimeMetadataPrefixed"), [
    CodecField(None, U32),
    CodecField(None, RUNTIME_METADATA),
], cls=MetadataPrefixed)

_OPTION_BYTES = Option(BYTES)


def decode_metadata(data: bytes | memoryview) -> MetadataPrefixed:
    """Decode raw `RuntimeMetadataPrefixed` bytes, which must end with the metadata.

    Raises `MetadataError` for a wrong magic or an unsupported version (checked first, so
    the message names the problem) and `ScaleDecodeError` for a malformed body.
    """
    if len(data) < 5:
        raise MetadataError(f"metadata: {len(data)} bytes is too short for magic and version")
    if bytes(data[:4]) != MAGIC_BYTES:
        hint = " (wrapped? see metadata_bytes())" if MAGIC_BYTES in bytes(data[:16]) else ""
        raise MetadataError(f"metadata: expected magic 0x{MAGIC_BYTES.hex()} ('meta'), "
                            f"got 0x{bytes(data[:4]).hex()}{hint}")
    version = data[4]
    if version not in SUPPORTED_VERSIONS:
        raise MetadataError(f"metadata: unsupported version {version} (supported: "
                            f"{', '.join(map(str, SUPPORTED_VERSIONS))})")
    try:
        return RUNTIME_METADATA_PREFIXED.decode_all(data)
    except ScaleDecodeError as e:
        raise ScaleDecodeError(f"metadata V{version}: {e}") from None


def encode_metadata(m: MetadataPrefixed | RuntimeMetadata) -> bytes:
    """The raw `RuntimeMetadataPrefixed` bytes, as `state_getMetadata` serves them."""
    if not isinstance(m, MetadataPrefixed):
        m = MetadataPrefixed.of(m)
    elif m.magic != MAGIC:
        raise MetadataError(f"metadata: magic must be 0x{MAGIC:08x}, got 0x{m.magic:08x}")
    return RUNTIME_METADATA_PREFIXED.encode(m)


def unwrap_opaque_metadata(data: bytes | memoryview) -> bytes:
    """The prefixed bytes inside `OpaqueMetadata` (`Metadata_metadata`'s result)."""
    return _check_prefixed(BYTES.decode_all(data), "OpaqueMetadata")


def unwrap_metadata_at_version(data: bytes | memoryview) -> bytes | None:
    """The prefixed bytes inside `Option<OpaqueMetadata>`, or None when the runtime does
    not offer the version asked for (`Metadata_metadata_at_version`'s result)."""
    inner = _OPTION_BYTES.decode_all(data)
    return None if inner is None else _check_prefixed(inner, "Option<OpaqueMetadata>")


def metadata_bytes(data: bytes | memoryview) -> bytes:
    """Prefixed metadata from any of the three forms: raw, `OpaqueMetadata` or
    `Option<OpaqueMetadata>` (which must be `Some`).

    A form is accepted only if its wrapper spans all of `data` and the bytes inside start
    with the magic, so the forms cannot be mistaken for one another.
    """
    data = bytes(data)
    if data[:4] == MAGIC_BYTES:
        return data
    for unwrap in (unwrap_metadata_at_version, unwrap_opaque_metadata):
        try:
            inner = unwrap(data)
        except (ScaleDecodeError, MetadataError):
            continue
        if inner is None:
            raise MetadataError("metadata: the runtime returned None (version not available)")
        return inner
    raise MetadataError(f"metadata: no magic 0x{MAGIC_BYTES.hex()} in raw, OpaqueMetadata or "
                        f"Option<OpaqueMetadata> form (starts 0x{data[:8].hex()})")


def wrap_opaque_metadata(prefixed: bytes) -> bytes:
    """`OpaqueMetadata` as `Metadata_metadata` returns it."""
    return BYTES.encode(prefixed)


def wrap_metadata_at_version(prefixed: bytes | None) -> bytes:
    """`Option<OpaqueMetadata>` as `Metadata_metadata_at_version` returns it."""
    return _OPTION_BYTES.encode(prefixed)


def _check_prefixed(inner: bytes, form: str) -> bytes:
    if inner[:4] != MAGIC_BYTES:
        raise MetadataError(f"metadata: {form} does not hold prefixed metadata "
                            f"(starts 0x{inner[:8].hex()})")
    return inner
