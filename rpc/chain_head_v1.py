"""chainHead_v1_*: following the chain head in the new JSON-RPC spec (rpc-spec-v2
`chain_head`), complete as a group so that polkadot-api uses it natively.

`chainHead_v1_follow [withRuntime]` is a subscription (`chainHead_v1_followEvent`) that
starts with `initialized` (the finalized block, with its runtime when asked), then
`newBlock` for each non-finalized block of the best chain and `bestBlockChanged`, and
afterwards reports every imported block (`newBlock`, `bestBlockChanged`) and finality
(`finalized` with the newly finalized hashes in ascending order and the reported forks
that finality pruned). Every reported block stays pinned until `chainHead_v1_unpin`; a
subscription holding more than `MAX_PINNED_BLOCKS` gets `stop` and ends.

Operations on a pinned block: `chainHead_v1_header` answers the SCALE header (null for an
unknown subscription); `_body`, `_call` and `_storage` answer `{"result":"started",
"operationId"}` (storage adds `discardedItems`) or `{"result":"limitReached"}` (unknown
subscription, or `MAX_OPERATIONS` running) and report through the follow subscription
(`operationBodyDone`, `operationCallDone`, `operationStorageItems`/`operationStorageDone`,
`operationWaitingForContinue`, `operationError`). Errors as Substrate: -32801 for a block
that is not pinned, -32802 for `_call` on a subscription without runtime, -32803 for a
`_continue` nobody waits for, -32804 for duplicate hashes in `_unpin`. `_unpin`,
`_continue` and `_stopOperation` answer null; `chainHead_v1_unfollow` ends the subscription.

`closestDescendantMerkleValue` is an opaque digest that changes whenever any value under
the key changes (blake2-256 over the descendants' keys and values), not the trie node's
merkle value: the node API does not expose trie nodes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from pysubtensor.node.api import UnknownBlockError
from pysubtensor.primitives.hashing import blake2_256

from .context import RpcContext
from .errors import ParamError, ResponseError
from .params import Param, boolean, describe, hash32, hex_bytes, list_or_value, string
from .registry import Namespace
from .streams import close_quietly

__all__ = ["FollowSession", "api", "runtime_spec"]

log = logging.getLogger("rpc")

api = Namespace("chainHead_v1")

#: Substrate's defaults (`ChainHeadConfig`): pinned blocks per subscription, operations at once.
MAX_PINNED_BLOCKS = 512
MAX_OPERATIONS = 16
#: Storage results per `operationStorageItems` event, and before `operationWaitingForContinue`.
STORAGE_ITEMS_PER_EVENT = 256
STORAGE_ITEMS_BEFORE_CONTINUE = 4096

INVALID_BLOCK = -32801
INVALID_RUNTIME_CALL = -32802
INVALID_CONTINUE = -32803
INVALID_DUPLICATE_HASHES = -32804

_STORAGE_TYPES = frozenset({"value", "hash", "closestDescendantMerkleValue", "descendantsValues",
                            "descendantsHashes"})

#: Live follow subscriptions by subscription id (bound by the server when it assigns the id).
_SESSIONS: dict[str, FollowSession] = {}


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def runtime_spec(version: Any) -> dict[str, Any]:
    """A RuntimeVersion as the spec's `{"type":"valid","spec":{…}}` (`apis` as an object)."""
    return {"type": "valid", "spec": {
        "specName": version.spec_name,
        "implName": version.impl_name,
        "specVersion": version.spec_version,
        "implVersion": version.impl_version,
        "transactionVersion": version.transaction_version,
        "apis": {_hex(api_id): api_version for api_id, api_version in version.apis},
    }}


class _Operation:
    __slots__ = ("id", "resume", "slots", "task", "waiting")

    def __init__(self, op_id: str, slots: int) -> None:
        self.id = op_id
        self.slots = slots
        self.task: asyncio.Task[None] | None = None
        self.waiting = False
        self.resume = asyncio.Event()


class FollowSession:
    """One `chainHead_v1_follow`: an async iterator of follow events, with its pinned blocks
    and running operations."""

    def __init__(self, ctx: RpcContext, with_runtime: bool) -> None:
        self.ctx = ctx
        self.node = ctx.node
        self.with_runtime = with_runtime
        self.sub_id: str | None = None
        self.pinned: set[bytes] = set()
        #: Reported blocks above the last finalized one: hash → number (for pruning).
        self.unfinalized: dict[bytes, int] = {}
        self.reported: set[bytes] = set()
        self.finalized_number = 0
        self.operations: dict[str, _Operation] = {}
        self.next_operation = 0
        self.events: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.stopped = False
        self._tasks: list[asyncio.Task[None]] = []
        node = self.node
        # Subscribe before reading the chain, so no block falls between the two.
        self._blocks = node.blocks()
        self._finalized = node.finalized_blocks()
        self._initialize()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._follow_blocks()), loop.create_task(self._follow_finality())]

    # -- the server hands us our id

    def bind_subscription(self, sub_id: str) -> None:
        self.sub_id = sub_id
        _SESSIONS[sub_id] = self

    # -- iteration

    def __aiter__(self) -> FollowSession:
        return self

    async def __anext__(self) -> dict[str, Any]:
        event = await self.events.get()
        if event is None:
            raise StopAsyncIteration
        await asyncio.sleep(0)  # let the connection's writer keep up with bursts
        return event

    async def aclose(self) -> None:
        """The subscription ended (unfollow, stop, connection closed): release everything."""
        if self.sub_id is not None and _SESSIONS.get(self.sub_id) is self:
            del _SESSIONS[self.sub_id]
        self.stopped = True
        tasks = self._tasks + [op.task for op in self.operations.values() if op.task is not None]
        self.operations.clear()
        self.pinned.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await close_quietly(self._blocks)
        await close_quietly(self._finalized)

    # -- events

    def _emit(self, event: dict[str, Any]) -> None:
        if not self.stopped:
            self.events.put_nowait(event)

    def _stop(self) -> None:
        """Send `stop` and end the subscription (the spec's answer to exhausted resources)."""
        if self.stopped:
            return
        self._emit({"event": "stop"})
        self.stopped = True
        self.events.put_nowait(None)
        for op in self.operations.values():
            if op.task is not None:
                op.task.cancel()
        self.operations.clear()
        for task in self._tasks:
            if task is not asyncio.current_task():
                task.cancel()
        if self.sub_id is not None and _SESSIONS.get(self.sub_id) is self:
            del _SESSIONS[self.sub_id]

    def _pin(self, block_hash: bytes) -> None:
        self.pinned.add(block_hash)
        if len(self.pinned) > MAX_PINNED_BLOCKS:
            log.debug("chainHead_v1 subscription %s: over %d pinned blocks, stopping", self.sub_id, MAX_PINNED_BLOCKS)
            self._stop()

    def _runtime_of(self, block_hash: bytes) -> Any:
        try:
            return runtime_spec(self.node.runtime_version(block_hash))
        except Exception as e:
            return {"type": "invalid", "error": str(e) or type(e).__name__}

    def _initialize(self) -> None:
        node = self.node
        finalized = node.finalized_hash()
        self.finalized_number = node.header(finalized).number
        event: dict[str, Any] = {"event": "initialized", "finalizedBlockHashes": [_hex(finalized)]}
        if self.with_runtime:
            event["finalizedBlockRuntime"] = self._runtime_of(finalized)
        self._emit(event)
        self.reported.add(finalized)
        self._pin(finalized)
        best = node.best_hash()
        self._report_chain(best)
        self._emit({"event": "bestBlockChanged", "bestBlockHash": _hex(best)})

    def _report_chain(self, tip: bytes) -> bool:
        """`newBlock` for `tip` and its ancestors not yet reported, oldest first; False (and
        nothing reported) when `tip` does not descend from the last finalized block."""
        missing: list[Any] = []
        block_hash = tip
        while block_hash not in self.reported:
            try:
                header = self.node.header(block_hash)
            except UnknownBlockError:
                return False
            if header.number <= self.finalized_number:
                return False
            missing.append((block_hash, header))
            block_hash = header.parent_hash
        for block_hash, header in reversed(missing):
            self._new_block(block_hash, header, None)
        return True

    def _new_block(self, block_hash: bytes, header: Any, runtime_changed: bool | None) -> None:
        if block_hash in self.reported:
            return
        event: dict[str, Any] = {"event": "newBlock", "blockHash": _hex(block_hash),
                                 "parentBlockHash": _hex(header.parent_hash)}
        if self.with_runtime:
            if runtime_changed is None:
                try:
                    runtime_changed = (self.node.runtime_version(block_hash)
                                       != self.node.runtime_version(header.parent_hash))
                except Exception:
                    runtime_changed = False
            event["newRuntime"] = self._runtime_of(block_hash) if runtime_changed else None
        self.reported.add(block_hash)
        self.unfinalized[block_hash] = header.number
        self._emit(event)
        self._pin(block_hash)

    def on_block(self, notification: Any) -> None:
        if self.stopped:
            return
        header = notification.header
        if notification.hash not in self.reported and not self._report_chain(header.parent_hash):
            return  # a fork below the finalized block: not reported (the spec's pruned branch)
        self._new_block(notification.hash, header, bool(notification.runtime_version_changed))
        if notification.is_new_best and not self.stopped:
            self._emit({"event": "bestBlockChanged", "bestBlockHash": _hex(notification.hash)})

    def on_finalized(self, header: Any) -> None:
        if self.stopped or header.number <= self.finalized_number:
            return
        block_hash = header.hash
        if block_hash not in self.reported and not self._report_chain(block_hash):
            return
        # Newly finalized: this block and its reported ancestors above the last finalized.
        chain: list[bytes] = []
        cursor, number = block_hash, header.number
        while number > self.finalized_number and cursor in self.unfinalized:
            chain.append(cursor)
            try:
                cursor = self.node.header(cursor).parent_hash
            except UnknownBlockError:
                break
            number -= 1
        chain.reverse()
        on_chain = set(chain)
        pruned = [h for h, n in self.unfinalized.items() if n <= header.number and h not in on_chain]
        for h in chain:
            del self.unfinalized[h]
        for h in pruned:
            del self.unfinalized[h]
        self.finalized_number = header.number
        self._emit({"event": "finalized", "finalizedBlockHashes": [_hex(h) for h in chain],
                    "prunedBlockHashes": [_hex(h) for h in pruned]})

    async def _follow_blocks(self) -> None:
        try:
            async for notification in self._blocks:
                self.on_block(notification)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("chainHead_v1 subscription %s: following blocks failed", self.sub_id)
            self._stop()

    async def _follow_finality(self) -> None:
        try:
            async for header in self._finalized:
                self.on_finalized(header)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("chainHead_v1 subscription %s: following finality failed", self.sub_id)
            self._stop()

    # -- operations

    def check_pinned(self, block_hash: bytes) -> None:
        if block_hash not in self.pinned:
            raise ResponseError(INVALID_BLOCK, "Invalid block hash")

    def _slots_free(self) -> int:
        return MAX_OPERATIONS - sum(op.slots for op in self.operations.values())

    def start(self, body: Any, slots: int = 1) -> _Operation | None:
        """Run `body(op)` as an operation, or None when no slot is free."""
        if self.stopped or self._slots_free() < slots or slots < 1:
            return None
        op = _Operation(str(self.next_operation), slots)
        self.next_operation += 1
        self.operations[op.id] = op
        op.task = asyncio.get_running_loop().create_task(self._run(op, body))
        return op

    async def _run(self, op: _Operation, body: Any) -> None:
        await asyncio.sleep(0)  # the method's answer goes out first
        try:
            await body(op)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self._emit({"event": "operationError", "operationId": op.id, "error": str(e) or type(e).__name__})
        finally:
            if self.operations.get(op.id) is op:
                del self.operations[op.id]

    async def wait_for_continue(self, op: _Operation) -> None:
        op.waiting = True
        op.resume.clear()
        self._emit({"event": "operationWaitingForContinue", "operationId": op.id})
        await op.resume.wait()
        op.waiting = False


def _session(follow_subscription: str) -> FollowSession | None:
    session = _SESSIONS.get(follow_subscription)
    if session is None or session.stopped:
        return None
    return session


_LIMIT_REACHED = {"result": "limitReached"}


def _started(op: Any, **extra: Any) -> dict[str, Any]:
    return {"result": "started", "operationId": op.id, **extra}


# ---------------------------------------------------------------------------
# Methods


@api.subscription("chainHead_v1_follow", Param("withRuntime", boolean),
                  notification="chainHead_v1_followEvent", unsubscribe="chainHead_v1_unfollow")
def chainHead_v1_follow(ctx: RpcContext, with_runtime: bool) -> AsyncIterator[dict[str, Any]]:
    return FollowSession(ctx, with_runtime)


@api.method("chainHead_v1_header", Param("followSubscription", string), Param("hash", hash32))
def chainHead_v1_header(ctx: RpcContext, follow_subscription: str, block_hash: bytes) -> str | None:
    session = _session(follow_subscription)
    if session is None:
        return None
    session.check_pinned(block_hash)
    return _hex(ctx.node.header(block_hash).encode())


@api.method("chainHead_v1_body", Param("followSubscription", string), Param("hash", hash32))
def chainHead_v1_body(ctx: RpcContext, follow_subscription: str, block_hash: bytes) -> dict[str, Any]:
    session = _session(follow_subscription)
    if session is None:
        return _LIMIT_REACHED
    session.check_pinned(block_hash)

    async def body(op: _Operation) -> None:
        extrinsics = ctx.node.body(block_hash)
        session._emit({"event": "operationBodyDone", "operationId": op.id, "value": [_hex(x) for x in extrinsics]})

    op = session.start(body)
    return _LIMIT_REACHED if op is None else _started(op)


@api.method("chainHead_v1_call", Param("followSubscription", string), Param("hash", hash32),
            Param("function", string), Param("callParameters", hex_bytes))
def chainHead_v1_call(ctx: RpcContext, follow_subscription: str, block_hash: bytes, function: str,
                      call_parameters: bytes) -> dict[str, Any]:
    session = _session(follow_subscription)
    if session is None:
        return _LIMIT_REACHED
    if not session.with_runtime:
        raise ResponseError(INVALID_RUNTIME_CALL, "Invalid runtime call",
                            "The runtime updates flag must be set")
    session.check_pinned(block_hash)

    async def call(op: _Operation) -> None:
        output = ctx.node.runtime_call(block_hash, function, call_parameters)
        session._emit({"event": "operationCallDone", "operationId": op.id, "output": _hex(output)})

    op = session.start(call)
    return _LIMIT_REACHED if op is None else _started(op)


def _storage_item(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ParamError(f"invalid type: {describe(value)}, expected struct StorageQuery")
    if "key" not in value:
        raise ParamError("missing field `key`")
    kind = value.get("type")
    if kind not in _STORAGE_TYPES:
        raise ParamError(f"unknown variant {describe(kind)}, expected one of "
                         "`value`, `hash`, `closestDescendantMerkleValue`, `descendantsValues`, `descendantsHashes`")
    return {"key": hex_bytes(value["key"]), "type": kind}


def _storage_items(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ParamError(f"invalid type: {describe(value)}, expected a sequence")
    out = []
    for i, item in enumerate(value):
        try:
            out.append(_storage_item(item))
        except ParamError as e:
            raise ParamError(f"item {i}: {e}") from None
    return out


class _StorageReader:
    """Reads of one block's main or child trie."""

    def __init__(self, node: Any, block_hash: bytes, child_trie: bytes | None) -> None:
        self.node = node
        self.block_hash = block_hash
        self.child = child_trie

    def get(self, key: bytes) -> bytes | None:
        if self.child is None:
            return self.node.storage(self.block_hash, key)
        return self.node.child_storage(self.block_hash, self.child, key)

    def keys(self, prefix: bytes, start: bytes | None, limit: int) -> list[bytes]:
        if self.child is None:
            return self.node.storage_keys(self.block_hash, prefix, start, limit)
        return self.node.child_storage_keys(self.block_hash, self.child, prefix, start, limit)


@api.method("chainHead_v1_storage", Param("followSubscription", string), Param("hash", hash32),
            Param("items", _storage_items), Param("childTrie", hex_bytes, optional=True))
def chainHead_v1_storage(ctx: RpcContext, follow_subscription: str, block_hash: bytes, items: list[dict[str, Any]],
                         child_trie: bytes | None) -> dict[str, Any]:
    session = _session(follow_subscription)
    if session is None:
        return _LIMIT_REACHED
    session.check_pinned(block_hash)
    if not items:
        slots = 1
        accepted: list[dict[str, Any]] = []
    else:
        slots = min(len(items), session._slots_free())
        accepted = items[:slots]
    if slots < 1:
        return _LIMIT_REACHED
    reader = _StorageReader(ctx.node, block_hash, child_trie)

    async def storage(op: _Operation) -> None:
        batch: list[dict[str, Any]] = []
        since_continue = 0

        async def flush() -> None:
            nonlocal batch, since_continue
            if batch:
                session._emit({"event": "operationStorageItems", "operationId": op.id, "items": batch})
                since_continue += len(batch)
                batch = []
                await asyncio.sleep(0)
            if since_continue >= STORAGE_ITEMS_BEFORE_CONTINUE:
                since_continue = 0
                await session.wait_for_continue(op)

        for item in accepted:
            key, kind = item["key"], item["type"]
            if kind in ("value", "hash"):
                value = reader.get(key)
                if value is not None:
                    result = _hex(value) if kind == "value" else _hex(blake2_256(value))
                    batch.append({"key": _hex(key), kind: result})
            elif kind == "closestDescendantMerkleValue":
                digest = _descendants_digest(reader, key)
                if digest is not None:
                    batch.append({"key": _hex(key), "closestDescendantMerkleValue": _hex(digest)})
            else:
                field = "value" if kind == "descendantsValues" else "hash"
                start: bytes | None = None
                while True:
                    keys = reader.keys(key, start, STORAGE_ITEMS_PER_EVENT)
                    for k in keys:
                        value = reader.get(k)
                        if value is None:
                            continue
                        batch.append({"key": _hex(k), field: _hex(value) if field == "value"
                                      else _hex(blake2_256(value))})
                    if len(batch) >= STORAGE_ITEMS_PER_EVENT:
                        await flush()
                    if len(keys) < STORAGE_ITEMS_PER_EVENT:
                        break
                    start = keys[-1]
            if len(batch) >= STORAGE_ITEMS_PER_EVENT:
                await flush()
        await flush()
        session._emit({"event": "operationStorageDone", "operationId": op.id})

    op = session.start(storage, slots)
    if op is None:
        return _LIMIT_REACHED
    return _started(op, discardedItems=len(items) - len(accepted))


def _descendants_digest(reader: _StorageReader, prefix: bytes) -> bytes | None:
    """An opaque digest of every (key, value) at or under `prefix`; None if there is none."""
    parts: list[bytes] = []
    start: bytes | None = None
    value = reader.get(prefix)
    if value is not None:
        parts.append(prefix + b"\x00" + value)
    while True:
        keys = reader.keys(prefix, start, 1024)
        for k in keys:
            if k == prefix:
                continue
            v = reader.get(k)
            if v is not None:
                parts.append(len(k).to_bytes(4, "little") + k + len(v).to_bytes(4, "little") + v)
        if len(keys) < 1024:
            break
        start = keys[-1]
    if not parts:
        return None
    return blake2_256(b"".join(parts))


@api.method("chainHead_v1_continue", Param("followSubscription", string), Param("operationId", string))
def chainHead_v1_continue(ctx: RpcContext, follow_subscription: str, operation_id: str) -> None:
    session = _session(follow_subscription)
    if session is None:
        return None
    op = session.operations.get(operation_id)
    if op is None:
        return None
    if not op.waiting:
        raise ResponseError(INVALID_CONTINUE, "Invalid continue")
    op.resume.set()
    return None


@api.method("chainHead_v1_stopOperation", Param("followSubscription", string), Param("operationId", string))
def chainHead_v1_stopOperation(ctx: RpcContext, follow_subscription: str, operation_id: str) -> None:
    session = _session(follow_subscription)
    if session is None:
        return None
    op = session.operations.pop(operation_id, None)
    if op is not None and op.task is not None:
        op.task.cancel()
    return None


@api.method("chainHead_v1_unpin", Param("followSubscription", string),
            Param("hashOrHashes", list_or_value(hash32)))
def chainHead_v1_unpin(ctx: RpcContext, follow_subscription: str, hash_or_hashes: tuple[bool, Any]) -> None:
    many, value = hash_or_hashes
    hashes: list[bytes] = value if many else [value]
    session = _session(follow_subscription)
    if session is None:
        return None
    if len(set(hashes)) != len(hashes):
        raise ResponseError(INVALID_DUPLICATE_HASHES, "Received duplicate hashes for the `chainHead_unpin` method")
    for block_hash in hashes:
        session.check_pinned(block_hash)
    for block_hash in hashes:
        session.pinned.discard(block_hash)
    return None

