"""childstate_*: reads of default child tries (sc-rpc-api `child_state`).

The child trie is named by its prefixed storage key, `:child_storage:default:` ++ key, as
Substrate's RPC takes it; the node is asked with the unprefixed key. Any other prefix is
4003 `Client error: Invalid child storage key`. (`state_getChildReadProof` is not served:
the node offers read proofs of the top trie only.)
"""

from __future__ import annotations

from typing import Any

from pysubtensor.primitives.hashing import blake2_256

from .context import RpcContext
from .errors import state_client_error
from .params import Param, hash32, hex_bytes, list_of, u32
from .registry import Namespace
from .state import state_errors

__all__ = ["DEFAULT_CHILD_PREFIX", "api", "child_key"]

api = Namespace("childstate")

DEFAULT_CHILD_PREFIX = b":child_storage:default:"

_CHILD = Param("child_storage_key", hex_bytes)
_KEY = Param("key", hex_bytes)
_HASH = Param("hash", hash32, optional=True)


def child_key(prefixed: bytes) -> bytes:
    """The child trie's own key from `:child_storage:default:` ++ key (ChildType::ParentKeyId)."""
    if not prefixed.startswith(DEFAULT_CHILD_PREFIX):
        raise state_client_error("Invalid child storage key")
    return prefixed[len(DEFAULT_CHILD_PREFIX):]


def _at(ctx: RpcContext, hash: bytes | None) -> bytes:
    return ctx.node.best_hash() if hash is None else hash


@api.method("childstate_getKeys", _CHILD, Param("prefix", hex_bytes), _HASH)
def childstate_getKeys(ctx: RpcContext, child: bytes, prefix: bytes, hash: bytes | None) -> list[str]:
    trie = child_key(child)
    block = _at(ctx, hash)
    with state_errors(block):
        return ["0x" + k.hex() for k in ctx.node.child_storage_keys(block, trie, prefix)]


@api.method("childstate_getKeysPaged", _CHILD, Param("prefix", hex_bytes, optional=True), Param("count", u32),
            Param("start_key", hex_bytes, optional=True), _HASH, aliases=("childstate_getKeysPagedAt",))
def childstate_getKeysPaged(ctx: RpcContext, child: bytes, prefix: bytes | None, count: int,
                            start_key: bytes | None, hash: bytes | None) -> list[str]:
    trie = child_key(child)
    block = _at(ctx, hash)
    with state_errors(block):
        keys = ctx.node.child_storage_keys(block, trie, prefix or b"", start_key, count)
    return ["0x" + k.hex() for k in keys[:count]]


@api.method("state_getChildReadProof", _CHILD, Param("keys", list_of(hex_bytes)), _HASH)
def state_getChildReadProof(ctx: RpcContext, child: bytes, keys: list[bytes], hash: bytes | None) -> dict[str, Any]:
    """Read proof of child-trie keys (a `state_*` method in Substrate, served beside the
    other child-trie reads): `{at, proof}` as state_getReadProof."""
    trie = child_key(child)
    block = _at(ctx, hash)
    with state_errors(block):
        proof = ctx.node.child_read_proof(block, trie, keys)
    return {"at": "0x" + block.hex(), "proof": ["0x" + node.hex() for node in proof]}


@api.method("childstate_getStorage", _CHILD, _KEY, _HASH)
def childstate_getStorage(ctx: RpcContext, child: bytes, key: bytes, hash: bytes | None) -> str | None:
    trie = child_key(child)
    block = _at(ctx, hash)
    with state_errors(block):
        value = ctx.node.child_storage(block, trie, key)
    return None if value is None else "0x" + value.hex()


@api.method("childstate_getStorageEntries", _CHILD, Param("keys", list_of(hex_bytes)), _HASH)
def childstate_getStorageEntries(ctx: RpcContext, child: bytes, keys: list[bytes],
                                 hash: bytes | None) -> list[str | None]:
    trie = child_key(child)
    block = _at(ctx, hash)
    out: list[str | None] = []
    with state_errors(block):
        for key in keys:
            value = ctx.node.child_storage(block, trie, key)
            out.append(None if value is None else "0x" + value.hex())
    return out


@api.method("childstate_getStorageHash", _CHILD, _KEY, _HASH)
def childstate_getStorageHash(ctx: RpcContext, child: bytes, key: bytes, hash: bytes | None) -> str | None:
    trie = child_key(child)
    block = _at(ctx, hash)
    with state_errors(block):
        value = ctx.node.child_storage(block, trie, key)
    return None if value is None else "0x" + blake2_256(value).hex()


@api.method("childstate_getStorageSize", _CHILD, _KEY, _HASH)
def childstate_getStorageSize(ctx: RpcContext, child: bytes, key: bytes, hash: bytes | None) -> int | None:
    trie = child_key(child)
    block = _at(ctx, hash)
    with state_errors(block):
        value = ctx.node.child_storage(block, trie, key)
    return None if value is None else len(value)
