"""The runtime's metadata, V14 and V15, generated from the declarations (never hand-written).

What frame-support's `construct_runtime!` does with `metadata_ir()` and `into_v14` /
`into_v15`: one type registry per version, filled in the order the real conversion
registers types (pallets by index — each storage, calls, event, constants, error — then the
extrinsic, the runtime type, and for V15 the runtime APIs and the outer enums).

    metadata_v14()          # RuntimeMetadataV14, built once per process
    metadata_v15()
    metadata_bytes(15)      # RuntimeMetadataPrefixed: b"meta" ++ version ++ body

`state_getMetadata` and `Metadata_metadata` serve V14; `Metadata_metadata_at_version`
serves any of `SUPPORTED_METADATA_VERSIONS`.
"""

from __future__ import annotations

from functools import cache

from pysubtensor.pallets import system
from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.pallets.support.storage import StorageItem, StorageNMap
from pysubtensor.primitives.keys import MULTI_SIGNATURE
from pysubtensor.primitives.metadata import RuntimeMetadataV14, RuntimeMetadataV15, encode_metadata
from pysubtensor.primitives.metadata.v14 import (
    ExtrinsicMetadataV14,
    PalletCallMetadata,
    PalletConstantMetadata,
    PalletErrorMetadata,
    PalletEventMetadata,
    PalletMetadataV14,
    PalletStorageMetadata,
    SignedExtensionMetadata,
    StorageEntryMetadata,
    StorageEntryTypeMap,
    StorageEntryTypePlain,
)
from pysubtensor.primitives.metadata.v15 import (
    CustomMetadata,
    ExtrinsicMetadataV15,
    OuterEnums,
    PalletMetadataV15,
    RuntimeApiMetadataV15,
    RuntimeApiMethodMetadataV15,
    RuntimeApiMethodParamMetadata,
)
from pysubtensor.primitives.scale import Tuple
from pysubtensor.primitives.types import MULTI_ADDRESS
from pysubtensor.runtime.api_traits import EXTENSIONS_TUPLE, RUNTIME_APIS, UNCHECKED_EXTRINSIC
from pysubtensor.runtime.construct import PALLETS, RUNTIME_CALL, RUNTIME_ERROR, RUNTIME_EVENT
from pysubtensor.runtime.extrinsic import EXTRINSIC_FORMAT_VERSION, RUNTIME_MARKER, TRANSACTION_EXTENSIONS
from pysubtensor.runtime.version import VERSION

__all__ = ["SUPPORTED_METADATA_VERSIONS", "metadata_bytes", "metadata_v14", "metadata_v15"]

#: What `Metadata_metadata_versions` reports; any other version is `None` at
#: `Metadata_metadata_at_version`.
SUPPORTED_METADATA_VERSIONS = [14, 15]

#: `node_subtensor_runtime::Runtime`. The extensions generic over the runtime name it too, so
#: the metadata uses that same codec object: one registry type, as scale-info has one.
RUNTIME_TYPE = RUNTIME_MARKER


class _Builder:
    """One registry and the metadata pieces registered into it, in call order."""

    def __init__(self) -> None:
        self.registry = TypeRegistry()

    def register(self, codec: object) -> int:
        return self.registry.register(codec)  # type: ignore[arg-type]

    # -- pallets
    def pallet_fields(self, pallet: Pallet) -> dict:
        # Items in the pallet's metadata order, refused if its declarations disagree with it.
        pallet.check()
        # Field order is registration order: storage, calls, event, constants, error.
        storage = self.storage(pallet) if pallet.storage_items else None
        calls = PalletCallMetadata(self.register(pallet.call_enum)) if pallet.calls else None
        event = PalletEventMetadata(self.register(pallet.event_enum)) if pallet.event_enum.variants else None
        constants = [PalletConstantMetadata(c.name, self.register(c.codec), c.encoded, list(c.docs))
                     for c in pallet.constant_items]
        error = PalletErrorMetadata(self.register(pallet.error_enum)) if pallet.error_enum.variants else None
        return {"name": pallet.name, "storage": storage, "calls": calls, "event": event,
                "constants": constants, "error": error, "index": pallet.index}

    def storage(self, pallet: Pallet) -> PalletStorageMetadata:
        return PalletStorageMetadata(pallet.name, [self.storage_entry(item) for item in pallet.storage_items])

    def storage_entry(self, item: StorageItem) -> StorageEntryMetadata:
        if isinstance(item, StorageNMap):
            # One key: its own type; several: the tuple of them (`(K1, K2)`, as the
            # double map's and the N-map's `Key::Key`).
            key = item.keys[0] if len(item.keys) == 1 else Tuple(*item.keys)
            ty: StorageEntryTypePlain | StorageEntryTypeMap = StorageEntryTypeMap(
                [h.name for h in item.hashers], self.register(key), self.register(item.value))
        else:
            ty = StorageEntryTypePlain(self.register(item.value))
        return StorageEntryMetadata(item.name, item.modifier, ty, item.default_bytes, list(item.docs))

    # -- extrinsic
    def signed_extensions(self) -> list[SignedExtensionMetadata]:
        return [SignedExtensionMetadata(ext.identifier, self.register(ext.explicit), self.register(ext.implicit))
                for ext in TRANSACTION_EXTENSIONS]

    # -- runtime APIs
    def api(self, api: RuntimeApi) -> RuntimeApiMetadataV15:
        methods = []
        for m in api.methods:
            inputs = [RuntimeApiMethodParamMetadata(p.name, self.register(p.codec)) for p in m.inputs]
            methods.append(RuntimeApiMethodMetadataV15(m.name, inputs, self.register(m.output), list(m.docs)))
        return RuntimeApiMetadataV15(api.name, methods, list(api.docs))


def _pallets_by_index() -> list[Pallet]:
    """The composed pallets in index order, refusing a System bound otherwise (a test's
    stand-in runtime): the metadata is built once per process and must be the runtime's."""
    config = system.pallet.config
    if (config.runtime_event is not RUNTIME_EVENT or config.runtime_call is not RUNTIME_CALL
            or config.version is not VERSION):
        raise RuntimeError("metadata: System is not bound as the composed runtime binds it (runtime.construct.wire)")
    return sorted(PALLETS, key=lambda p: p.index)


@cache
def metadata_v14() -> RuntimeMetadataV14:
    """`RuntimeMetadataV14` of this runtime (what `state_getMetadata` serves)."""
    b = _Builder()
    pallets = [PalletMetadataV14(**b.pallet_fields(p)) for p in _pallets_by_index()]
    extrinsic_ty = b.register(UNCHECKED_EXTRINSIC)
    extrinsic = ExtrinsicMetadataV14(extrinsic_ty, EXTRINSIC_FORMAT_VERSION, b.signed_extensions())
    ty = b.register(RUNTIME_TYPE)
    return RuntimeMetadataV14(b.registry.portable_registry(), pallets, extrinsic, ty)


@cache
def metadata_v15(apis: tuple[RuntimeApi, ...] = RUNTIME_APIS) -> RuntimeMetadataV15:
    """`RuntimeMetadataV15` of this runtime (what `Metadata_metadata_at_version(15)` serves);
    its `apis` are the composed runtime APIs (`apis`: a test's composition)."""
    b = _Builder()
    pallets = [PalletMetadataV15(**b.pallet_fields(p), docs=list(p.docs)) for p in _pallets_by_index()]
    extrinsic = ExtrinsicMetadataV15(
        EXTRINSIC_FORMAT_VERSION,
        address_ty=b.register(MULTI_ADDRESS),
        call_ty=b.register(RUNTIME_CALL),
        signature_ty=b.register(MULTI_SIGNATURE),
        extra_ty=b.register(EXTENSIONS_TUPLE),
        signed_extensions=b.signed_extensions(),
    )
    ty = b.register(RUNTIME_TYPE)
    api_metadata = [b.api(api) for api in apis]
    outer_enums = OuterEnums(b.register(RUNTIME_CALL), b.register(RUNTIME_EVENT), b.register(RUNTIME_ERROR))
    return RuntimeMetadataV15(b.registry.portable_registry(), pallets, extrinsic, ty, api_metadata, outer_enums,
                              CustomMetadata([]))


@cache
def metadata_bytes(version: int) -> bytes:
    """`RuntimeMetadataPrefixed` bytes (`b"meta"`, the version byte, the metadata) of a
    supported version; `ValueError` for any other."""
    if version == 14:
        return encode_metadata(metadata_v14())
    if version == 15:
        return encode_metadata(metadata_v15())
    raise ValueError(f"metadata version {version} is not supported (supported: {SUPPORTED_METADATA_VERSIONS})")
