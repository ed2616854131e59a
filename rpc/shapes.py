"""JSON shapes of Substrate's RPC types (serde of sp-runtime, sp-version, sc-rpc-api).

* `Header`: `{parentHash, number: "0x…" (minimal lowercase hex), stateRoot,
  extrinsicsRoot, digest: {logs: ["0x" + SCALE(DigestItem), …]}}`; it re-hashes to the
  block hash because each log is its own SCALE bytes.
* `SignedBlock`: `{block: {header, extrinsics: ["0x" + compact(len) ++ body, …]},
  justifications: null}`.
* `RuntimeVersion`: camelCase fields, `apis` as `[["0x<8 bytes>", version], …]`,
  `systemVersion` and its older name `stateVersion` with the same value.
* `StorageChangeSet`: `{block, changes: [[key, value | null], …]}`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pysubtensor.primitives.header import DIGEST_ITEM, Header

__all__ = ["block_json", "change_set", "header_json", "hexs", "runtime_version_json"]


def hexs(data: bytes) -> str:
    """`0x`-prefixed lowercase hex, as serde writes `Bytes` and hashes."""
    return "0x" + data.hex()


def header_json(header: Header) -> dict[str, Any]:
    return {
        "parentHash": "0x" + header.parent_hash.hex(),
        "number": hex(header.number),
        "stateRoot": "0x" + header.state_root.hex(),
        "extrinsicsRoot": "0x" + header.extrinsics_root.hex(),
        "digest": {"logs": ["0x" + DIGEST_ITEM.encode(item).hex() for item in header.digest.logs]},
    }


def block_json(header: Header, extrinsics: Iterable[bytes]) -> dict[str, Any]:
    return {
        "block": {"header": header_json(header), "extrinsics": ["0x" + x.hex() for x in extrinsics]},
        "justifications": None,
    }


def runtime_version_json(version: Any) -> dict[str, Any]:
    return {
        "specName": version.spec_name,
        "implName": version.impl_name,
        "authoringVersion": version.authoring_version,
        "specVersion": version.spec_version,
        "implVersion": version.impl_version,
        "apis": [["0x" + bytes(api_id).hex(), api_version] for api_id, api_version in version.apis],
        "transactionVersion": version.transaction_version,
        "systemVersion": version.system_version,
        "stateVersion": version.system_version,
    }


def change_set(block_hash: bytes, changes: Iterable[tuple[bytes, bytes | None]]) -> dict[str, Any]:
    return {
        "block": "0x" + block_hash.hex(),
        "changes": [["0x" + k.hex(), None if v is None else "0x" + v.hex()] for k, v in changes],
    }
