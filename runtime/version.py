"""The runtime's identity (sp_version::RuntimeVersion), served by `Core_version`,
`state_getRuntimeVersion` and the `System.Version` constant.

spec_version is ours (see README): subtensor mainline is at 425, the runtime the current
bittensor SDK was generated from at 459; we report 459 so version-gated SDK paths take the
current shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pysubtensor.pallets.support.runtime_api import RuntimeApi, api_id
from pysubtensor.primitives.version import RUNTIME_VERSION, RuntimeVersion
from pysubtensor.runtime.api_traits import RUNTIME_APIS

__all__ = ["RUNTIME_VERSION", "VERSION", "RuntimeVersion", "api_id", "runtime_code", "version_with"]


def version_with(apis: Sequence[RuntimeApi], base: RuntimeVersion | None = None) -> RuntimeVersion:
    """`base` (node-subtensor's identity by default) listing `apis` (`RUNTIME_API_VERSIONS`
    of `impl_runtime_apis!`): each API's id and declared version, in order."""
    return replace(base or RuntimeVersion(), apis=[(api.id, api.version) for api in apis])


#: node-subtensor's version; its API list is the composed runtime APIs (`RUNTIME_APIS`).
VERSION = version_with(RUNTIME_APIS)


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
