"""dev_*: test helpers in the spirit of Chopsticks (and Anvil's snapshot/revert); unsafe.

    dev_newBlock [{"count"?: n, "to"?: number}]      → hash of the last new block
    dev_advanceToNextEpoch [netuid]                  → {"number", "hash"} of the subnet's next epoch block
    dev_setStorage [[[key, value|null], …], hash?]  → hash of the block that holds the writes
    dev_timeTravel [ms | "2026-11-28T12:00:00Z"]     → the next block's timestamp (ms)
    dev_setHead [hash | number | -n]                 → the new best hash (-n: n blocks back)
    dev_snapshot []                                  → snapshot id (the current best block)
    dev_revert [id]                                  → true (that block is best again)

Differences from Chopsticks: `dev_setStorage` takes raw key/value pairs only (not the
pallet/item object form) and writes them in a new block on top of the best one, never into
an older block; `dev_newBlock` takes `count` and `to` only (no injected messages or
transactions) and makes at most `MAX_NEW_BLOCKS` (10,000) blocks per call, each in the next
Aura slot as fast as the runtime builds them (the node's clock follows the chain's time).
`dev_advanceToNextEpoch` is Bittensor's own: blocks up to the one whose `on_initialize` runs
the subnet's epoch, as the runtime predicts it. Snapshot/revert have no Chopsticks counterpart; they are named after Anvil's
`evm_snapshot`/`evm_revert` and keep the reverted blocks in the database as a fork.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pysubtensor.node.api import MAX_NEW_BLOCKS, UnknownBlockError

from .context import RpcContext
from .engine import node_errors
from .errors import ParamError, invalid_params
from .params import Param, any_value, describe, hash32, hex_bytes, u16, u32, u64
from .registry import Namespace

__all__ = ["api"]

api = Namespace("dev")

_NEW_BLOCK_KEYS = ("count", "to")


def _new_block_options(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ParamError(f"invalid type: {describe(value)}, expected an object like {{\"count\": 1}}")
    unsupported = sorted(set(value) - set(_NEW_BLOCK_KEYS))
    if unsupported:
        raise ParamError(f"unsupported option(s) {', '.join(unsupported)}: only count and to are supported")
    options = {}
    for key in _NEW_BLOCK_KEYS:
        if value.get(key) is not None:
            options[key] = u32(value[key])
    if options.get("count") == 0:
        raise ParamError("count must be at least 1")
    if options.get("count", 0) > MAX_NEW_BLOCKS:
        raise ParamError(f"count must be at most {MAX_NEW_BLOCKS} (blocks per call)")
    return options


def _storage_pairs(value: Any) -> dict[bytes, bytes | None]:
    if not isinstance(value, list):
        raise ParamError(f"invalid type: {describe(value)}, expected [[key, value|null], …] "
                         "(the pallet/item object form is not supported)")
    changes: dict[bytes, bytes | None] = {}
    for i, pair in enumerate(value):
        if not isinstance(pair, list) or len(pair) != 2:
            raise ParamError(f"item {i}: expected [key, value|null], got {describe(pair)}")
        key, raw = pair
        try:
            changes[hex_bytes(key)] = None if raw is None else hex_bytes(raw)
        except ParamError as e:
            raise ParamError(f"item {i}: {e}") from None
    return changes


def _timestamp(value: Any) -> int:
    """Milliseconds since the epoch, from a number or an ISO 8601 date."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ParamError(f"invalid date {describe(value)}: expected milliseconds or an ISO 8601 date") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return int(moment.timestamp() * 1000)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return u64(value)


def _hash_or_number(value: Any) -> bytes | int:
    if isinstance(value, str):
        return hash32(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamError(f"invalid type: {describe(value)}, expected a block hash or number")
    return value


@api.method("dev_newBlock", Param("options", _new_block_options, optional=True), unsafe=True)
async def dev_newBlock(ctx: RpcContext, options: dict[str, int] | None) -> str:
    options = options or {}
    node = ctx.node
    best = node.header(node.best_hash()).number
    to = options.get("to")
    if to is not None and to <= best:
        raise invalid_params(f"to ({to}) must be above the best block number ({best})")
    if to is not None and to - best > MAX_NEW_BLOCKS:
        raise invalid_params(f"to ({to}) is {to - best} blocks above the best block ({best}): "
                             f"at most {MAX_NEW_BLOCKS} per call")
    with node_errors():
        last = await node.new_blocks(options.get("count", 1), to)
    return "0x" + last.hex()


@api.method("dev_advanceToNextEpoch", Param("netuid", u16), unsafe=True)
async def dev_advanceToNextEpoch(ctx: RpcContext, netuid: int) -> dict[str, Any]:
    node = ctx.node
    try:
        node.next_epoch_start_block(netuid)
    except LookupError as e:
        raise invalid_params(str(e)) from None
    try:
        number, block_hash = await node.advance_to_next_epoch(netuid)
    except ValueError as e:  # tempo 0, or an epoch too far away for one call
        raise invalid_params(str(e)) from None
    return {"number": number, "hash": "0x" + block_hash.hex()}


@api.method("dev_setStorage", Param("values", _storage_pairs), Param("blockHash", hash32, optional=True),
            unsafe=True)
async def dev_setStorage(ctx: RpcContext, values: dict[bytes, bytes | None], block_hash: bytes | None) -> str:
    node = ctx.node
    if block_hash is not None and block_hash != node.best_hash():
        raise invalid_params("dev_setStorage writes on top of the best block only; omit blockHash or pass the best hash")
    with node_errors():
        return "0x" + (await node.set_storage(values)).hex()


@api.method("dev_timeTravel", Param("date", _timestamp), unsafe=True)
async def dev_timeTravel(ctx: RpcContext, timestamp_ms: int) -> int:
    try:
        return int(await ctx.node.time_travel(timestamp_ms))
    except ValueError as e:  # a time no block could have, or one the chain could not go on from
        raise invalid_params(str(e)) from None


@api.method("dev_setHead", Param("hashOrNumber", _hash_or_number), unsafe=True)
async def dev_setHead(ctx: RpcContext, target: bytes | int) -> str:
    node = ctx.node
    if isinstance(target, int):
        if target < 0:
            target = node.header(node.best_hash()).number + target
        if target < 0 or node.hash_of(target) is None:
            raise invalid_params(f"no block number {target} on the best chain")
    try:
        with node_errors():
            return "0x" + (await node.set_head(target)).hex()
    except UnknownBlockError:
        shown = "0x" + target.hex() if isinstance(target, bytes) else str(target)
        raise invalid_params(f"unknown block {shown}") from None


@api.method("dev_snapshot", unsafe=True)
async def dev_snapshot(ctx: RpcContext) -> int:
    return int(await ctx.node.snapshot())


@api.method("dev_revert", Param("id", any_value), unsafe=True)
async def dev_revert(ctx: RpcContext, snapshot_id: Any) -> bool:
    if isinstance(snapshot_id, bool) or not isinstance(snapshot_id, int):
        raise invalid_params(f"parameter 0 (id): invalid type: {describe(snapshot_id)}, expected a snapshot id")
    with node_errors():
        return bool(await ctx.node.revert(snapshot_id))
