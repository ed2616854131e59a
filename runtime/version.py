"""The runtime's identity (sp_version::RuntimeVersion), served by `Core_version`,
`state_getRuntimeVersion` and the `System.Version` constant.

spec_version is ours (see README): subtensor mainline is at 425, the runtime the current
bittensor SDK was generated from at 459; we report 459 so version-gated SDK paths take the
current shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pysubtensor.primitives.hashing import blake2_64
from pysubtensor.primitives.scale import STR, U8, U32, Field, FixedBytes, Struct, Tuple, Vec

__all__ = ["RUNTIME_API_VERSIONS", "RUNTIME_VERSION", "VERSION", "RuntimeVersion", "api_id"]


def api_id(name: str) -> bytes:
    """The 8-byte identifier of a runtime API trait: blake2-64 of its name."""
    return blake2_64(name.encode())


#: Runtime APIs this runtime implements, with the versions the real subtensor declares, in
#: its `impl_runtime_apis!` order (the order of `RuntimeVersion.apis`; `runtime.apis` declares
#: the same list).
RUNTIME_API_VERSIONS: tuple[tuple[str, int], ...] = (
    ("Core", 5),
    ("Metadata", 2),
    ("BlockBuilder", 6),
    ("GenesisBuilder", 1),
    ("TaggedTransactionQueue", 3),
    ("OffchainWorkerApi", 2),
    ("AuraApi", 1),
    ("SessionKeys", 1),
    ("GrandpaApi", 3),
    ("AccountNonceApi", 1),
    ("TransactionPaymentApi", 4),
    ("TransactionPaymentCallApi", 3),
)


@dataclass(frozen=True, slots=True)
class RuntimeVersion:
    spec_name: str = "node-subtensor"
    impl_name: str = "node-subtensor"
    authoring_version: int = 1
    spec_version: int = 459
    impl_version: int = 1
    apis: list[tuple[bytes, int]] = field(default_factory=lambda: [(api_id(n), v) for n, v in RUNTIME_API_VERSIONS])
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

VERSION = RuntimeVersion()


def _leb128(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _custom_section(name: str, payload: bytes) -> bytes:
    body = _leb128(len(name)) + name.encode() + payload
    return b"\x00" + _leb128(len(body)) + body


def runtime_code(version: RuntimeVersion = VERSION) -> bytes:
    """What this runtime stores under `:code`: a wasm module with no code, only the
    `runtime_version` and `runtime_apis` custom sections that Substrate tools read without
    executing anything (sc-executor's `read_embedded_version`). Our runtime is Python; the
    blob lets any tool (and `export-genesis-head`) learn its name, versions and state version."""
    embedded = RuntimeVersion(version.spec_name, version.impl_name, version.authoring_version,
                              version.spec_version, version.impl_version, [],  # apis live in their own section
                              version.transaction_version, version.system_version)
    apis = b"".join(api + v.to_bytes(4, "little") for api, v in version.apis)
    return (b"\x00asm\x01\x00\x00\x00" + _custom_section("runtime_apis", apis)
            + _custom_section("runtime_version", RUNTIME_VERSION.encode(embedded)))
