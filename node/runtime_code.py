"""Reading a runtime's version out of its wasm blob without executing it (sc-executor's
`read_embedded_version`, sp-maybe-compressed-blob).

The genesis state version of a chain depends on its runtime: the `runtime_version` custom
section of the `:code` wasm carries a SCALE `RuntimeVersion`, whose trailing fields exist
only for newer Core API versions (given by the `runtime_apis` section).
"""

from __future__ import annotations

import zstandard

from pysubtensor.primitives.hashing import blake2_64
from pysubtensor.primitives.scale import STR, U8, U32, FixedBytes, ScaleDecodeError, Tuple, Vec
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "CODE_BLOB_BOMB_LIMIT",
    "ZSTD_PREFIX",
    "RuntimeCodeError",
    "RuntimeVersionInfo",
    "decompress_code",
    "read_runtime_version",
    "wasm_custom_sections",
]

#: sp-maybe-compressed-blob marks zstd-compressed code with this 8-byte prefix.
ZSTD_PREFIX = bytes.fromhex("52bc537646db8e05")
#: Substrate refuses to decompress code into more than this.
CODE_BLOB_BOMB_LIMIT = 50 * 1024 * 1024

_WASM_MAGIC = b"\x00asm"
_CORE_API_ID = blake2_64(b"Core")
_APIS = Vec(Tuple(FixedBytes(8), U32))


class RuntimeCodeError(ValueError):
    """The runtime code cannot be read (bad compression, not wasm, malformed sections)."""


@slots_dataclass(frozen=True)
class RuntimeVersionInfo:
    spec_name: str
    impl_name: str
    authoring_version: int
    spec_version: int
    impl_version: int
    apis: tuple[tuple[bytes, int], ...]
    transaction_version: int
    system_version: int

    @property
    def state_version(self) -> int:
        """Trie layout of the state: V0 only when system_version is 0."""
        return 0 if self.system_version == 0 else 1

    @property
    def extrinsics_root_state_version(self) -> int:
        """Layout of the extrinsics trie: V1 only from system_version 2 on."""
        return 1 if self.system_version >= 2 else 0


def decompress_code(code: bytes) -> bytes:
    """Undo sp-maybe-compressed-blob compression; uncompressed code passes through."""
    if not code.startswith(ZSTD_PREFIX):
        return code
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(code[len(ZSTD_PREFIX):])
        out = reader.read(CODE_BLOB_BOMB_LIMIT + 1)
    except zstandard.ZstdError as e:
        raise RuntimeCodeError(f"runtime code: zstd decompression failed: {e}") from None
    if len(out) > CODE_BLOB_BOMB_LIMIT:
        raise RuntimeCodeError(f"runtime code: decompresses to more than {CODE_BLOB_BOMB_LIMIT} bytes")
    return out


def _leb128(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise RuntimeCodeError("wasm: truncated LEB128 integer")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 35:
            raise RuntimeCodeError("wasm: LEB128 integer too long")


def wasm_custom_sections(wasm: bytes) -> dict[str, bytes]:
    """Custom sections (id 0) of a wasm module by name; the first of each name wins."""
    if wasm[:4] != _WASM_MAGIC or len(wasm) < 8:
        raise RuntimeCodeError("runtime code is not a wasm module (no \\0asm header)")
    sections: dict[str, bytes] = {}
    pos = 8
    while pos < len(wasm):
        section_id = wasm[pos]
        size, body = _leb128(wasm, pos + 1)
        end = body + size
        if end > len(wasm):
            raise RuntimeCodeError(f"wasm: section {section_id} at {pos} runs past the end of the module")
        if section_id == 0:
            name_len, name_start = _leb128(wasm, body)
            name_end = name_start + name_len
            if name_end > end:
                raise RuntimeCodeError("wasm: custom section name runs past its section")
            name = wasm[name_start:name_end].decode("utf-8", "replace")
            sections.setdefault(name, wasm[name_end:end])
        pos = end
    return sections


def read_runtime_version(code: bytes) -> RuntimeVersionInfo | None:
    """The `RuntimeVersion` embedded in runtime code, or None when the runtime predates
    the `runtime_version` section (such runtimes predate state versioning: V0)."""
    sections = wasm_custom_sections(decompress_code(code))
    raw = sections.get("runtime_version")
    if raw is None:
        return None
    core_version: int | None = None
    apis_section = sections.get("runtime_apis")
    if apis_section is not None:
        if len(apis_section) % 12:
            raise RuntimeCodeError("wasm: runtime_apis section is not a list of 12-byte records")
        for i in range(0, len(apis_section), 12):
            if apis_section[i:i + 8] == _CORE_API_ID:
                core_version = int.from_bytes(apis_section[i + 8:i + 12], "little")
    try:
        spec_name, pos = STR.decode(raw, 0)
        impl_name, pos = STR.decode(raw, pos)
        authoring_version, pos = U32.decode(raw, pos)
        spec_version, pos = U32.decode(raw, pos)
        impl_version, pos = U32.decode(raw, pos)
        apis, pos = _APIS.decode(raw, pos)
        if core_version is None:
            core_version = next((v for api, v in apis if api == _CORE_API_ID), None)
        transaction_version = system_version = None
        if core_version is not None and core_version >= 3:
            transaction_version, pos = U32.decode(raw, pos)
        if core_version is not None and core_version >= 4:
            system_version, pos = U8.decode(raw, pos)
    except ScaleDecodeError as e:
        raise RuntimeCodeError(f"wasm: malformed runtime_version section: {e}") from None
    return RuntimeVersionInfo(
        spec_name=spec_name,
        impl_name=impl_name,
        authoring_version=authoring_version,
        spec_version=spec_version,
        impl_version=impl_version,
        apis=tuple(apis),
        transaction_version=1 if transaction_version is None else transaction_version,
        system_version=0 if system_version is None else system_version,
    )
