"""A JSON-ready digest of metadata: what a client sees of each pallet (indices and names of
calls, events, errors, storage items, constants), the extrinsic's extensions and the
runtime APIs.

Same shape as the oracle summaries in shared/vectors/oracle/summaries, so our metadata
and the real runtime's can be diffed field by field.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.primitives.scale import STR, U32, ScaleDecodeError, Tuple

from .prefixed import MetadataPrefixed, RuntimeMetadata
from .registry import PortableRegistry
from .v14 import PalletMetadataV14
from .v15 import PalletMetadataV15
from .v16 import PalletMetadataV16, RuntimeMetadataV16

__all__ = ["runtime_version", "summary"]

# `sp_version::RuntimeVersion` begins spec_name, impl_name, authoring_version, spec_version.
_VERSION_HEAD = Tuple(STR, STR, U32, U32)


def runtime_version(md: RuntimeMetadata) -> tuple[str, int] | None:
    """(spec_name, spec_version) from the `System::Version` constant, if the runtime has one."""
    for pallet in md.pallets:
        if pallet.name == "System":
            for constant in pallet.constants:
                if constant.name == "Version":
                    try:
                        spec_name, _, _, spec_version = _VERSION_HEAD.decode(constant.value)[0]
                    except ScaleDecodeError:
                        return None
                    return spec_name, spec_version
    return None


def summary(m: MetadataPrefixed | RuntimeMetadata) -> dict[str, Any]:
    """The digest as a dict of JSON types (lists, not tuples)."""
    md = m.metadata if isinstance(m, MetadataPrefixed) else m
    out: dict[str, Any] = {"metadata_version": f"v{md.version}"}
    version = runtime_version(md)
    if version is not None:
        out["spec_name"], out["spec_version"] = version
    out["types"] = len(md.types.types)
    out["pallets"] = [_pallet(md.types, p) for p in md.pallets]
    out["extrinsic"] = _extrinsic(md)
    if md.version >= 15:
        out["apis"] = [{"name": api.name, "methods": [method.name for method in api.methods]}
                       for api in md.apis]  # type: ignore[union-attr]
    return out


def _pallet(registry: PortableRegistry,
            pallet: PalletMetadataV14 | PalletMetadataV15 | PalletMetadataV16) -> dict[str, Any]:
    calls = registry.variants(pallet.calls.ty) if pallet.calls is not None else []
    events = registry.variants(pallet.event.ty) if pallet.event is not None else []
    errors = registry.variants(pallet.error.ty) if pallet.error is not None else []
    storage = [entry.name for entry in pallet.storage.entries] if pallet.storage is not None else []
    constants = [constant.name for constant in pallet.constants]
    return {
        "index": pallet.index,
        "name": pallet.name,
        "call_list": [{"index": v.index, "name": v.name, "fields": [f.name for f in v.fields]} for v in calls],
        "event_list": [[v.index, v.name] for v in events],
        "error_list": [[v.index, v.name] for v in errors],
        "storage_list": storage,
        "constant_list": constants,
        "calls": len(calls),
        "events": len(events),
        "errors": len(errors),
        "storage": len(storage),
        "constants": len(constants),
    }


def _extrinsic(md: RuntimeMetadata) -> dict[str, Any]:
    if isinstance(md, RuntimeMetadataV16):
        return {"version": list(md.extrinsic.versions),
                "signed_extensions": [e.identifier for e in md.extrinsic.transaction_extensions]}
    return {"version": md.extrinsic.version,
            "signed_extensions": [e.identifier for e in md.extrinsic.signed_extensions]}
