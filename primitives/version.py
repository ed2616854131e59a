"""`sp_version::RuntimeVersion`: a runtime's identity and the runtime APIs it implements,
and its SCALE codec (served by `Core_version` and `state_getRuntimeVersion`).

The value of this runtime is `runtime.version.VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pysubtensor.primitives.scale import STR, U8, U32, Field, FixedBytes, Struct, Tuple, Vec

__all__ = ["RUNTIME_VERSION", "RuntimeVersion"]


@dataclass(frozen=True, slots=True)
class RuntimeVersion:
    """Defaults are node-subtensor's identity; `apis` are (blake2-64 of the API name, version)."""

    spec_name: str = "node-subtensor"
    impl_name: str = "node-subtensor"
    authoring_version: int = 1
    spec_version: int = 459
    impl_version: int = 1
    apis: list[tuple[bytes, int]] = field(default_factory=list)
    transaction_version: int = 1
    system_version: int = 1


_COW_STR = Struct(("Cow",), (Field(None, STR),), params=(("T", STR),))
_APIS = Vec(Tuple(FixedBytes(8), U32))
_APIS_VEC = Struct(("Cow",), (Field(None, _APIS),), params=(("T", _APIS),))

RUNTIME_VERSION = Struct(
    ("sp_version", "RuntimeVersion"),
    (
        Field("spec_name", _COW_STR, "Cow<'static, str>"),
        Field("impl_name", _COW_STR, "Cow<'static, str>"),
        Field("authoring_version", U32, "u32"),
        Field("spec_version", U32, "u32"),
        Field("impl_version", U32, "u32"),
        Field("apis", _APIS_VEC, "ApisVec"),
        Field("transaction_version", U32, "u32"),
        Field("system_version", U8, "u8"),
    ),
    cls=RuntimeVersion,
)
