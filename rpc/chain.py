"""chain_*: headers, blocks, hashes and the head subscriptions (sc-rpc-api `chain`).

An unknown block hash gives `null` (header, block); a number past the best block gives
`null` (block hash). Head subscriptions send the current head first, then one header per
new block: every imported block (`chain_allHead`), new best blocks (`chain_newHead`), or
finalized blocks in order (`chain_finalizedHead`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

from pysubtensor.node.api import NodeHandle, UnknownBlockError

from .context import RpcContext
from .errors import CHAIN, ResponseError
from .params import U32_MAX, U64_MAX, Param, hash32, list_or_value, number_or_hex
from .registry import Namespace
from .shapes import block_json, header_json
from .streams import close_quietly

__all__ = ["api"]

api = Namespace("chain")

#: sc-rpc-api chain `Error::Other` (3001).
CHAIN_OTHER = CHAIN + 1


@api.method("chain_getHeader", Param("hash", hash32, optional=True))
def chain_getHeader(ctx: RpcContext, hash: bytes | None) -> dict[str, Any] | None:
    node = ctx.node
    try:
        return _header_json_at(node, node.best_hash() if hash is None else hash)
    except UnknownBlockError:
        return None


#: JSON of recently served headers by block hash (a hash names one header forever), so the
#: most polled method skips decoding and re-encoding digests.
_HEADER_JSON: OrderedDict[bytes, dict[str, Any]] = OrderedDict()
_HEADER_JSON_SIZE = 1024


def _header_json_at(node: Any, block_hash: bytes) -> dict[str, Any]:
    cached = _HEADER_JSON.get(block_hash)
    if cached is None:
        cached = header_json(node.header(block_hash))
        _HEADER_JSON[block_hash] = cached
        if len(_HEADER_JSON) > _HEADER_JSON_SIZE:
            _HEADER_JSON.popitem(last=False)
    return cached


@api.method("chain_getBlock", Param("hash", hash32, optional=True))
def chain_getBlock(ctx: RpcContext, hash: bytes | None) -> dict[str, Any] | None:
    node = ctx.node
    block = node.best_hash() if hash is None else hash
    try:
        return block_json(node.header(block), node.body(block))
    except UnknownBlockError:
        return None


def _block_hash(node: NodeHandle, number: int) -> str | None:
    if number > U32_MAX:
        shown = f"Number({number})" if number <= U64_MAX else f"Hex({number})"
        raise ResponseError(CHAIN_OTHER, f"`{shown}` > u32::MAX, the max block number is u32.")
    found = node.hash_of(number)
    return None if found is None else "0x" + found.hex()


@api.method("chain_getBlockHash", Param("hash", list_or_value(number_or_hex), optional=True),
            aliases=("chain_getHead",))
def chain_getBlockHash(ctx: RpcContext, hash: tuple[bool, Any] | None) -> Any:
    """The canonical hash at a number (JSON number or hex string), at each number of a list,
    or of the best block when no number is given."""
    node = ctx.node
    if hash is None:
        return "0x" + node.best_hash().hex()
    many, value = hash
    if many:
        return [_block_hash(node, n) for n in value]
    return _block_hash(node, value)


@api.method("chain_getFinalizedHead", aliases=("chain_getFinalisedHead",))
def chain_getFinalizedHead(ctx: RpcContext) -> str:
    return "0x" + ctx.node.finalized_hash().hex()


async def _imported_heads(node: NodeHandle, *, best_only: bool) -> AsyncIterator[dict[str, Any]]:
    blocks = node.blocks()
    try:
        try:
            yield header_json(node.header(node.best_hash()))
        except UnknownBlockError:
            pass
        async for notification in blocks:
            if notification.is_new_best or not best_only:
                yield header_json(notification.header)
    finally:
        await close_quietly(blocks)


async def _finalized_heads(node: NodeHandle) -> AsyncIterator[dict[str, Any]]:
    finalized = node.finalized_blocks()
    try:
        try:
            yield header_json(node.header(node.finalized_hash()))
        except UnknownBlockError:
            pass
        async for header in finalized:
            yield header_json(header)
    finally:
        await close_quietly(finalized)


@api.subscription("chain_subscribeAllHeads", notification="chain_allHead", unsubscribe="chain_unsubscribeAllHeads")
def chain_subscribeAllHeads(ctx: RpcContext) -> AsyncIterator[dict[str, Any]]:
    """Every imported block's header (papi's legacy follow needs forks too)."""
    return _imported_heads(ctx.node, best_only=False)


@api.subscription("chain_subscribeNewHeads", notification="chain_newHead", unsubscribe="chain_unsubscribeNewHeads",
                  aliases=("subscribe_newHead", "chain_subscribeNewHead"),
                  unsubscribe_aliases=("unsubscribe_newHead", "chain_unsubscribeNewHead"))
def chain_subscribeNewHeads(ctx: RpcContext) -> AsyncIterator[dict[str, Any]]:
    return _imported_heads(ctx.node, best_only=True)


@api.subscription("chain_subscribeFinalizedHeads", notification="chain_finalizedHead",
                  unsubscribe="chain_unsubscribeFinalizedHeads", aliases=("chain_subscribeFinalisedHeads",),
                  unsubscribe_aliases=("chain_unsubscribeFinalisedHeads",))
def chain_subscribeFinalizedHeads(ctx: RpcContext) -> AsyncIterator[dict[str, Any]]:
    return _finalized_heads(ctx.node)
