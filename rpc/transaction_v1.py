"""transaction_v1_* and transactionWatch_v1_*: transactions in the new JSON-RPC spec
(rpc-spec-v2 `transaction`), each group complete so that polkadot-api may use it natively.

`transaction_v1_broadcast [hex]` answers an opaque operation id at once (or null when too
many broadcasts are running) and submits to the pool in the background: a transaction the
pool refuses as invalid or undecodable is silently given up (as the spec says: the client
validates first); other refusals (banned, priority too low, …) are retried at each new best
block until `transaction_v1_stop [id]`, which answers null, or -32602 `Invalid operation id`
for an id that is not (or no longer) broadcasting.

`transactionWatch_v1_submitAndWatch [hex]` always answers a subscription id; its
`transactionWatch_v1_watchEvent` notifications are mapped from the pool's TransactionStatus:
`ready`/`future` → `{"event":"validated"}`, `inBlock` → `bestChainBlockIncluded` with
`{"hash","index"}`, `retracted` → `bestChainBlockIncluded` with `null`, `finalized` →
`finalized`, `invalid`/`usurped` → `invalid`, `dropped`/`finalityTimeout` → `dropped`; a
transaction the pool refuses is an `invalid` event (not an error response). The stream ends
after `finalized`, `invalid`, `dropped` or `error`. `transactionWatch_v1_unwatch` ends it.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from pysubtensor.node.api import submit_ahead
from pysubtensor.node.txpool.errors import (
    BadFormat,
    InvalidTransactionError,
    PoolError,
    UnknownTransactionError,
)

from .context import RpcContext
from .errors import INVALID_PARAMS, ResponseError
from .params import Param, hex_bytes, string
from .registry import Namespace
from .streams import close_quietly

__all__ = ["broadcast_api", "watch_api", "watch_events"]

log = logging.getLogger("rpc")

broadcast_api = Namespace("transaction_v1")
watch_api = Namespace("transactionWatch_v1")

#: Broadcasts running at once per node before `transaction_v1_broadcast` answers null.
MAX_BROADCASTS = 512

_DROPPED_TEXT = "Extrinsic dropped from the pool due to exceeding limits"
_FINALITY_TIMEOUT_TEXT = "Maximum number of finality watchers has been reached"
_INVALID_TEXT = "Extrinsic marked as invalid"
_USURPED_TEXT = "Extrinsic was rendered invalid by another extrinsic"


# ---------------------------------------------------------------------------
# transactionWatch_v1


def _block(status: Any) -> dict[str, Any]:
    return {"hash": "0x" + status.hash.hex(), "index": int(status.index or 0)}


def _event(status: Any) -> dict[str, Any] | None:
    """The watch event for one TransactionStatus (None: not reported)."""
    kind = status.kind
    if kind in ("ready", "future"):
        return {"event": "validated"}
    if kind == "inBlock":
        return {"event": "bestChainBlockIncluded", "block": _block(status)}
    if kind == "retracted":
        return {"event": "bestChainBlockIncluded", "block": None}
    if kind == "finalized":
        return {"event": "finalized", "block": _block(status)}
    if kind == "invalid":
        return {"event": "invalid", "error": _INVALID_TEXT}
    if kind == "usurped":
        return {"event": "invalid", "error": _USURPED_TEXT}
    if kind == "dropped":
        return {"event": "dropped", "error": _DROPPED_TEXT}
    if kind == "finalityTimeout":
        return {"event": "dropped", "error": _FINALITY_TIMEOUT_TEXT}
    return None  # broadcast: peers are not reported in transactionWatch_v1


_FINAL_EVENTS = frozenset({"finalized", "invalid", "dropped", "error"})


async def watch_events(watcher: Any) -> AsyncIterator[dict[str, Any]]:
    """A pool watcher's statuses as transactionWatch_v1 events, ending after a final one;
    `validated` is reported once per (re-)entry into the pool."""
    validated = False
    try:
        async for status in watcher:
            event = _event(status)
            if event is None:
                continue
            name = event["event"]
            if name == "validated":
                if validated:
                    continue
                validated = True
            elif name == "bestChainBlockIncluded" and event["block"] is None:
                validated = False
            yield event
            if name in _FINAL_EVENTS:
                return
    finally:
        await close_quietly(watcher)


async def _single(event: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
    yield event


def _refusal(error: PoolError) -> dict[str, Any]:
    return {"event": "invalid", "error": str(error)}


@watch_api.subscription("transactionWatch_v1_submitAndWatch", Param("transaction", hex_bytes),
                        notification="transactionWatch_v1_watchEvent", unsubscribe="transactionWatch_v1_unwatch")
def transactionWatch_v1_submitAndWatch(ctx: RpcContext, transaction: bytes) -> Any:
    # Through the validation worker's line when the node has one, as author_submitAndWatch:
    # in arrival order with the author_ submissions, validated off the event loop's core.
    ahead = submit_ahead(ctx.node, transaction, watch=True)
    if ahead is not None:
        return _events_when_in(ahead)
    try:
        watcher = ctx.node.submit_and_watch(transaction)
    except Exception as e:
        return _refused(e)
    return watch_events(watcher)


async def _events_when_in(ahead: Awaitable[Any]) -> AsyncIterator[dict[str, Any]]:
    try:
        watcher = await ahead
    except Exception as e:
        return _refused(e)
    return watch_events(watcher)


def _refused(error: Exception) -> AsyncIterator[dict[str, Any]]:
    if isinstance(error, PoolError):
        return _single(_refusal(error))
    log.error("transactionWatch_v1_submitAndWatch failed", exc_info=error)  # the node failed, not the transaction
    return _single({"event": "error", "error": str(error) or type(error).__name__})


# ---------------------------------------------------------------------------
# transaction_v1


class _Broadcasts:
    """The running broadcasts of one node: operation id → task."""

    def __init__(self) -> None:
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.next_id = 0

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)


_BROADCASTS: weakref.WeakKeyDictionary[Any, _Broadcasts] = weakref.WeakKeyDictionary()


def _broadcasts(node: Any) -> _Broadcasts:
    state = _BROADCASTS.get(node)
    if state is None:
        state = _BROADCASTS[node] = _Broadcasts()
    return state


_GIVE_UP = (BadFormat, InvalidTransactionError, UnknownTransactionError)


async def _broadcast(node: Any, transaction: bytes) -> None:
    """Submit until the pool takes the transaction (retrying at each new best block for
    refusals that may pass later), then follow it until it leaves the pool."""
    blocks = node.blocks()
    try:
        while True:
            try:
                watcher = node.submit_and_watch(transaction)
            except _GIVE_UP as e:
                log.debug("transaction_v1_broadcast: giving up an invalid transaction: %s", e)
                return
            except PoolError as e:
                log.debug("transaction_v1_broadcast: refused for now: %s", e)
                async for notification in blocks:
                    if notification.is_new_best:
                        break
                else:
                    return
                continue
            try:
                async for status in watcher:
                    if status.is_final:
                        break
            finally:
                await close_quietly(watcher)
            return
    finally:
        await close_quietly(blocks)


@broadcast_api.method("transaction_v1_broadcast", Param("transaction", hex_bytes))
def transaction_v1_broadcast(ctx: RpcContext, transaction: bytes) -> str | None:
    state = _broadcasts(ctx.node)
    if len(state.tasks) >= MAX_BROADCASTS:
        for op_id, task in list(state.tasks.items()):  # forget finished ones the client never stopped
            if task.done():
                del state.tasks[op_id]
        if len(state.tasks) >= MAX_BROADCASTS:
            return None
    op_id = state.new_id()
    state.tasks[op_id] = asyncio.get_running_loop().create_task(_broadcast(ctx.node, transaction))
    return op_id


@broadcast_api.method("transaction_v1_stop", Param("operationId", string))
def transaction_v1_stop(ctx: RpcContext, operation_id: str) -> None:
    task = _broadcasts(ctx.node).tasks.pop(operation_id, None)
    if task is None:
        raise ResponseError(INVALID_PARAMS, "Invalid operation id")
    task.cancel()
