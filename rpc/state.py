"""state_*: storage reads, runtime calls, metadata, runtime version and the storage and
runtime-version subscriptions (sc-rpc-api `state`, sc-rpc `state_full`).

Errors are state's: an unknown or pruned block is 4003 `Client error: UnknownBlock: …`; a
runtime call that fails is 4003 `Client error: Execution failed: …` (ASI and bittensor match
`Exported method Metadata_metadata_at_version is not found` in it); `count` over 1000 is
4002; a block range that does not resolve is 4001. Unsafe state methods (`getPairs`,
`queryStorage`) are refused with 4003, as state wraps every client-side error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from pysubtensor.node.api import NodeHandle, RuntimeApiError, UnknownBlockError
from pysubtensor.primitives.hashing import blake2_256

from .context import RpcContext
from .errors import STATE, ResponseError, state_client_error, unknown_block_text, unsafe_call
from .params import Param, hash32, hex_bytes, list_of, string, u32
from .registry import Namespace
from .shapes import change_set, runtime_version_json
from .streams import close_quietly

__all__ = ["KEYS_PAGED_MAX_COUNT", "api", "query_storage", "state_errors"]

api = Namespace("state")

KEYS_PAGED_MAX_COUNT = 1000
INVALID_BLOCK_RANGE = STATE + 1
INVALID_COUNT = STATE + 2
CLIENT_ERROR = STATE + 3


@contextmanager
def state_errors(block: bytes) -> Iterator[None]:
    """Node failures as state's `Error::Client` (4003)."""
    try:
        yield
    except UnknownBlockError as e:
        raise state_client_error(unknown_block_text(block, e)) from None
    except RuntimeApiError as e:
        raise state_client_error(f"Execution failed: {e}") from None


def _at(ctx: RpcContext, hash: bytes | None) -> bytes:
    return ctx.node.best_hash() if hash is None else hash


_KEY = Param("key", hex_bytes)
_PREFIX = Param("prefix", hex_bytes)
_KEYS = Param("keys", list_of(hex_bytes))
_HASH = Param("hash", hash32, optional=True)


@api.method("state_call", Param("name", string), Param("bytes", hex_bytes), _HASH, aliases=("state_callAt",))
def state_call(ctx: RpcContext, name: str, data: bytes, hash: bytes | None) -> str:
    """Run the runtime API function `name` on the block's state; the SCALE result as hex."""
    block = _at(ctx, hash)
    with state_errors(block):
        return "0x" + ctx.node.runtime_call(block, name, data).hex()


@api.method("state_getKeys", _PREFIX, _HASH)
def state_getKeys(ctx: RpcContext, prefix: bytes, hash: bytes | None) -> list[str]:
    block = _at(ctx, hash)
    with state_errors(block):
        return ["0x" + k.hex() for k in ctx.node.storage_keys(block, prefix)]


@api.method("state_getPairs", _PREFIX, _HASH, unsafe=True, unsafe_code=CLIENT_ERROR)
def state_getPairs(ctx: RpcContext, prefix: bytes, hash: bytes | None) -> list[list[str]]:
    block = _at(ctx, hash)
    node = ctx.node
    with state_errors(block):
        pairs = []
        for key in node.storage_keys(block, prefix):
            value = node.storage(block, key)
            if value is not None:
                pairs.append(["0x" + key.hex(), "0x" + value.hex()])
        return pairs


@api.method("state_getKeysPaged", Param("prefix", hex_bytes, optional=True), Param("count", u32),
            Param("start_key", hex_bytes, optional=True), _HASH, aliases=("state_getKeysPagedAt",))
def state_getKeysPaged(ctx: RpcContext, prefix: bytes | None, count: int, start_key: bytes | None,
                       hash: bytes | None) -> list[str]:
    """At most `count` (≤ 1000) keys under `prefix`, strictly after `start_key`, ascending."""
    if count > KEYS_PAGED_MAX_COUNT:
        raise ResponseError(INVALID_COUNT,
                            f"count exceeds maximum value. value: {count}, max: {KEYS_PAGED_MAX_COUNT}")
    block = _at(ctx, hash)
    with state_errors(block):
        keys = ctx.node.storage_keys(block, prefix or b"", start_key, count)
    return ["0x" + k.hex() for k in keys[:count]]


@api.method("state_getStorage", _KEY, _HASH, aliases=("state_getStorageAt",))
def state_getStorage(ctx: RpcContext, key: bytes, hash: bytes | None) -> str | None:
    block = _at(ctx, hash)
    with state_errors(block):
        value = ctx.node.storage(block, key)
    return None if value is None else "0x" + value.hex()


@api.method("state_getStorageHash", _KEY, _HASH, aliases=("state_getStorageHashAt",))
def state_getStorageHash(ctx: RpcContext, key: bytes, hash: bytes | None) -> str | None:
    """blake2-256 of the value (the chain's hasher), or null."""
    block = _at(ctx, hash)
    with state_errors(block):
        value = ctx.node.storage(block, key)
    return None if value is None else "0x" + blake2_256(value).hex()


@api.method("state_getStorageSize", _KEY, _HASH, aliases=("state_getStorageSizeAt",))
def state_getStorageSize(ctx: RpcContext, key: bytes, hash: bytes | None) -> int | None:
    """The value's length; for a key with no value, the total length of the values under it
    as a prefix (a whole map), or null when there are none."""
    block = _at(ctx, hash)
    node = ctx.node
    with state_errors(block):
        value = node.storage(block, key)
        if value is not None:
            return len(value)
        total = 0
        for k in node.storage_keys(block, key):
            total += len(node.storage(block, k) or b"")
    return total or None


@api.method("state_getMetadata", _HASH)
def state_getMetadata(ctx: RpcContext, hash: bytes | None) -> str:
    """The prefixed V14 metadata (`meta` ++ 0x0e ++ body): what py-substrate-interface decodes."""
    block = _at(ctx, hash)
    with state_errors(block):
        return "0x" + ctx.node.metadata(block).hex()


@api.method("state_getRuntimeVersion", _HASH, aliases=("chain_getRuntimeVersion",))
def state_getRuntimeVersion(ctx: RpcContext, hash: bytes | None) -> dict[str, Any]:
    block = _at(ctx, hash)
    with state_errors(block):
        return runtime_version_json(ctx.node.runtime_version(block))


# -- queryStorage: changes of keys over a range of blocks


def _range_error(start: str, end: str, details: str) -> ResponseError:
    # `Cannot resolve a block range ['{:?}' ... '{:?}]. {}` over two Strings (quoted by Debug).
    return ResponseError(INVALID_BLOCK_RANGE, f"Cannot resolve a block range ['\"{start}\"' ... '\"{end}\"]. {details}")


def _meta(number: int, block_hash: bytes) -> str:
    return f"{number} (0x{block_hash.hex()})"


def _block_range(node: NodeHandle, start: bytes, end: bytes) -> list[bytes]:
    """The hashes from `start` to `end` (inclusive) along `end`'s ancestry."""
    try:
        start_header = node.header(start)
        end_header = node.header(end)
    except UnknownBlockError as e:
        missing = start if _unknown(node, start) else end
        raise _range_error(f"0x{start.hex()}", f"Some(0x{end.hex()})", unknown_block_text(missing, e)) from None
    if start_header.number > end_header.number:
        raise _range_error(_meta(start_header.number, start), _meta(end_header.number, end), "from number > to number")
    hashes = [end]
    header, current = end_header, end
    while header.number > start_header.number:
        parent = header.parent_hash
        try:
            header = node.header(parent)
        except UnknownBlockError as e:
            raise _range_error(_meta(header.number, current), _meta(end_header.number, end),
                               unknown_block_text(parent, e)) from None
        current = parent
        hashes.append(current)
    if current != start:
        raise _range_error(_meta(start_header.number, start), _meta(end_header.number, end),
                           "from and to are on different forks")
    hashes.reverse()
    return hashes


def _unknown(node: NodeHandle, block: bytes) -> bool:
    try:
        node.header(block)
    except UnknownBlockError:
        return True
    return False


def query_storage(node: NodeHandle, keys: Sequence[bytes], start: bytes, end: bytes) -> list[dict[str, Any]]:
    """One change set per block of the range with the keys whose value changed (every key in
    the first block); blocks without changes are left out."""
    out = []
    last: dict[bytes, bytes | None] = {}
    for block in _block_range(node, start, end):
        changes = []
        with state_errors(block):
            for key in keys:
                value = node.storage(block, key)
                if key not in last or last[key] != value:
                    changes.append((key, value))
                last[key] = value
        if changes:
            out.append(change_set(block, changes))
    return out


@api.method("state_queryStorage", _KEYS, Param("block", hash32), _HASH, unsafe=True, unsafe_code=CLIENT_ERROR)
def state_queryStorage(ctx: RpcContext, keys: list[bytes], block: bytes, hash: bytes | None) -> list[dict[str, Any]]:
    return query_storage(ctx.node, keys, block, _at(ctx, hash))


@api.method("state_queryStorageAt", _KEYS, Param("at", hash32, optional=True))
def state_queryStorageAt(ctx: RpcContext, keys: list[bytes], at: bytes | None) -> list[dict[str, Any]]:
    """`[{block, changes}]` with every requested key (null for absent ones); `[]` for no keys."""
    block = _at(ctx, at)
    return query_storage(ctx.node, keys, block, block)


@api.method("state_getReadProof", _KEYS, _HASH)
def state_getReadProof(ctx: RpcContext, keys: list[bytes], hash: bytes | None) -> dict[str, Any]:
    block = _at(ctx, hash)
    with state_errors(block):
        proof = ctx.node.read_proof(block, keys)
    return {"at": "0x" + block.hex(), "proof": ["0x" + node.hex() for node in proof]}


# -- subscriptions


async def _runtime_versions(node: NodeHandle, initial: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
    blocks = node.blocks()
    current = initial
    try:
        yield current
        async for notification in blocks:
            if not notification.is_new_best or not (notification.runtime_version_changed or notification.retracted):
                continue
            try:
                version = runtime_version_json(node.runtime_version(notification.hash))
            except UnknownBlockError:
                continue
            if version != current:
                current = version
                yield version
    finally:
        await close_quietly(blocks)


@api.subscription("state_subscribeRuntimeVersion", notification="state_runtimeVersion",
                  unsubscribe="state_unsubscribeRuntimeVersion", aliases=("chain_subscribeRuntimeVersion",),
                  unsubscribe_aliases=("chain_unsubscribeRuntimeVersion",))
def state_subscribeRuntimeVersion(ctx: RpcContext) -> AsyncIterator[dict[str, Any]]:
    """The runtime version now, then each time a new best block changes it."""
    block = ctx.node.best_hash()
    with state_errors(block):
        initial = runtime_version_json(ctx.node.runtime_version(block))
    return _runtime_versions(ctx.node, initial)


def _read(node: NodeHandle, block: bytes, key: bytes) -> bytes | None:
    try:
        return node.storage(block, key)
    except UnknownBlockError:
        return None


async def _storage_changes(node: NodeHandle, keys: list[bytes] | None) -> AsyncIterator[dict[str, Any]]:
    blocks = node.blocks()
    try:
        watched = list(dict.fromkeys(keys)) if keys is not None else None
        last: dict[bytes, bytes | None] = {}
        if keys:
            best = node.best_hash()
            initial = [(key, _read(node, best, key)) for key in keys]
            last.update(initial)
            yield change_set(best, initial)
        async for notification in blocks:
            if not notification.is_new_best:
                continue
            if watched is None:
                changes = sorted(notification.changes.items())
            elif notification.retracted:
                # A reorg: the block's own writes do not say what changed against what the
                # subscriber saw, so compare the values at the new best block.
                changes = []
                for key in watched:
                    value = _read(node, notification.hash, key)
                    if last.get(key) != value:
                        changes.append((key, value))
            else:
                block_changes = notification.changes
                changes = [(key, block_changes[key]) for key in watched if key in block_changes]
            if changes:
                last.update(changes)
                yield change_set(notification.hash, changes)
    finally:
        await close_quietly(blocks)


@api.subscription("state_subscribeStorage", Param("keys", list_of(hex_bytes), optional=True),
                  notification="state_storage", unsubscribe="state_unsubscribeStorage")
def state_subscribeStorage(ctx: RpcContext, keys: list[bytes] | None) -> AsyncIterator[dict[str, Any]]:
    """First the current value of every key (null when absent), then, per new best block, the
    keys it wrote. Without keys (every change: unsafe) there is no first notification."""
    if keys is None and not ctx.allow_unsafe:
        raise unsafe_call()
    return _storage_changes(ctx.node, keys)
