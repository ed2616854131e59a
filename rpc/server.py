"""The JSON-RPC server: HTTP POST and WebSocket on one port and path (aiohttp), framed as
jsonrpsee frames it for Substrate.

    async with serve(node, config) as server:      # a site per `config.rpc` endpoint
        ...                                        # server.addresses: bound (host, port)s

Framing (jsonrpsee): JSON-RPC 2.0 objects and batches; ids null, u64 or string, echoed;
requests without `id` are notifications and get no answer; notifications to subscribers
carry `params.subscription` and `params.result` and never an `id`. Malformed JSON is -32700
(HTTP 400 for an unreadable body); a JSON value that is not a request is -32600 when it has
an id to answer to, else -32700; unknown methods -32601 `Method not found`; bad parameters
-32602 `Invalid params` with what was wrong in `data`. Subscriptions over HTTP are -32603.

Limits (keyword parameters with Substrate's defaults, from `RpcEndpoint`): 100 connections
(HTTP 429 beyond), 15 MiB requests (HTTP 413 / WS error -32007 with
`Exceeded max limit of N`; a WS frame over twice the limit closes the socket with 1009),
15 MiB responses (-32008, batches -32011), 1024 subscriptions per connection (-32006),
batches unlimited (`max_batch_len`; 0 refuses batches with -32005, over it is -32010). A
subscriber that lets 16 notifications pile up unread loses that subscription, as in
Substrate; a connection with more unsent messages than `max-buffer-capacity-per-connection`
(64) or more than 1 MiB unsent stops being read until it drains, and is closed if it does
not drain within 30 s (a client that never reads); all connections' unsent bytes together are
bounded too (16 MiB, our addition): over it the connection stalled the longest is closed.
`rate-limit` (calls per minute per WebSocket connection, Substrate's GCRA quota with a burst of
the same size) delays calls over it, as Substrate's middleware does; an HTTP request is not
limited.

Policy: unsafe methods are refused unless the endpoint allows them (`RpcEndpoint.allow_unsafe`:
`--rpc-methods unsafe`, or auto on a loopback address) with the namespace's error
(-32601 `RPC call is unsafe to be called externally`; 4003 for state_*). CORS per
`--rpc-cors`: `None` allows every origin (`--dev`, `all`); a list (entries may use `*` for
the port, as Substrate's default `http://localhost:*`) adds `Access-Control-Allow-Origin`
for listed origins, answers preflight `OPTIONS`, refuses WebSocket upgrades from other
browser origins (403) and, as Substrate's host filter, requests whose `Host` is not this
port on localhost/127.0.0.1/[::1]. `GET /health` and `GET /health/readiness` answer as
Substrate's node-health proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import string
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import orjson
from aiohttp import WSMsgType, web
from aiohttp.http_exceptions import HttpProcessingError

from pysubtensor.node.api import NodeHandle, UnknownBlockError
from pysubtensor.node.config import DEFAULT_MAX_BUFFER_CAPACITY, RpcEndpoint
from pysubtensor.primitives.slots_dataclass import slots_dataclass

from .context import Keystore, RpcContext
from .errors import (
    BATCHES_NOT_SUPPORTED,
    OVERSIZED_REQUEST,
    OVERSIZED_RESPONSE,
    TOO_BIG_BATCH_REQUEST,
    TOO_BIG_BATCH_RESPONSE,
    TOO_MANY_SUBSCRIPTIONS,
    ParamError,
    ResponseError,
    internal_error,
    invalid_params,
    invalid_request,
    method_not_found,
    parse_error,
    unsafe_call,
)
from .methods import REGISTRY
from .params import U64_MAX, parse_params
from .registry import Entry, Kind, Registry, RpcMethod
from .streams import close_quietly
from .system import health

__all__ = ["Dispatcher", "RpcServer", "ServerLimits", "build_app", "serve"]

log = logging.getLogger("rpc")


class ClientFaults(logging.Filter):
    """Turns aiohttp's tracebacks for faults that are the client's (a malformed HTTP request,
    a connection reset mid-request) into one warning line, at most one per `interval` seconds
    (the next line says how many were left out): with `--rpc-external` anyone can send such
    requests, and they must not fill the log. Any other error keeps its traceback."""

    def __init__(self, interval: float = 10.0) -> None:
        super().__init__()
        self.interval = interval
        self._last = -interval
        self._suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, HttpProcessingError | ConnectionError | asyncio.IncompleteReadError):
            return True
        now = time.monotonic()
        if now - self._last < self.interval:
            self._suppressed += 1
            return False
        what = (f"malformed HTTP request ({error.code}: {error.message.splitlines()[0].strip() if error.message else ''})"
                if isinstance(error, HttpProcessingError) else f"connection lost mid-request ({type(error).__name__})")
        more = f"; {self._suppressed} more since the last such line" if self._suppressed else ""
        record.msg, record.args, record.exc_info, record.exc_text = f"RPC client fault: {what}{more}", (), None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        self._last, self._suppressed = now, 0
        return True


#: The logger aiohttp's request handlers report through (instead of `aiohttp.server`).
http_log = logging.getLogger("rpc.http")
http_log.addFilter(ClientFaults())

#: Notifications a subscription may have queued unsent before it is dropped (Substrate: 16).
SUBSCRIPTION_BUFFER = 16
#: Unsent bytes after which a connection is not read (and its subscriptions' notifications are
#: dropped) until its queue drains: jsonrpsee bounds a connection's queue by count only, but a
#: count of large answers (metadata is ~0.5 MB as hex) from clients that never read filled GBs.
MAX_QUEUED_BYTES = 1 << 20
#: Unsent bytes of all the server's WebSocket connections together (answers and notifications
#: queued, and the one each writer is sending). Substrate bounds each connection only (jsonrpsee:
#: 64 messages, by count); here 100 connections x (1 MiB + the message that crossed it + the one
#: in the socket's buffer) could still hold ~250 MiB: 48 clients that never read took the node to
#: 220 MiB. Over this bound the connection stalled the longest (else the one holding the most) is
#: closed, its queue freed: a client that reads is never the one stalled longest while others
#: have stopped reading.
MAX_QUEUED_BYTES_TOTAL = 16 << 20
#: A connection whose queue does not drain below its bounds for this long is closed: a reader
#: that stopped reading must not keep its queue (and a slot of `max_connections`) for ever.
SLOW_READER_TIMEOUT = 30.0
#: Unsent messages after which a connection is not read until its queue drains (the default of
#: `max-buffer-capacity-per-connection`).
MAX_QUEUED_RESPONSES = DEFAULT_MAX_BUFFER_CAPACITY
#: WebSocket keep-alive: a ping every 30 s; a socket silent for 3 x 60 s is closed.
PING_INTERVAL = 30.0
INACTIVE_LIMIT = 180.0
#: How long a closing WebSocket waits for the peer's close frame.
CLOSE_TIMEOUT = 2.0

_SUB_ID_ALPHABET = string.ascii_letters + string.digits
_JSON_CONTENT_TYPES = frozenset({
    "application/json", "application/json; charset=utf-8", "application/json;charset=utf-8",
    "application/json-rpc", "application/json-rpc;charset=utf-8", "application/json-rpc; charset=utf-8",
})
_JSON = "application/json; charset=utf-8"


@slots_dataclass(frozen=True)
class ServerLimits:
    """An endpoint's bounds (Substrate's defaults: see `RpcEndpoint`)."""

    max_connections: int = 100
    max_request_size: int = 15 * 1024 * 1024
    max_response_size: int = 15 * 1024 * 1024
    max_subscriptions_per_connection: int = 1024
    #: None: unlimited; 0: batches refused.
    max_batch_len: int | None = None
    #: Calls per minute per WebSocket connection; None: unlimited.
    rate_limit: int | None = None
    #: Unsent messages a connection may hold before its requests stop being read.
    max_buffer_capacity: int = MAX_QUEUED_RESPONSES

    @classmethod
    def of(cls, endpoint: RpcEndpoint) -> ServerLimits:
        return cls(endpoint.max_connections, endpoint.max_request_size, endpoint.max_response_size,
                   endpoint.max_subscriptions_per_connection, endpoint.max_batch_len, endpoint.rate_limit,
                   endpoint.max_buffer_capacity)


class RateLimit:
    """`rate`: calls per minute, with a burst of `rate` calls (governor's `Quota::per_minute`,
    a generic cell rate algorithm, as Substrate's rate-limit middleware uses). `reserve(now)`
    books the next call and returns how long it must wait (0.0: at once); a waiting call keeps
    its place, so later calls wait longer."""

    def __init__(self, rate: int) -> None:
        self.interval = 60.0 / rate
        self.tolerance = self.interval * (rate - 1)
        self._tat = float("-inf")  # theoretical arrival time of the next call

    def reserve(self, now: float) -> float:
        tat = max(self._tat, now)
        self._tat = tat + self.interval
        return max(0.0, tat - self.tolerance - now)


_background: set[asyncio.Task[Any]] = set()


def _spawn(coro: Any) -> None:
    """Run a clean-up coroutine in the background, holding a reference until it is done."""
    task = asyncio.get_running_loop().create_task(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


def _limit_error(code: int, message: str, limit: int) -> ResponseError:
    return ResponseError(code, message, f"Exceeded max limit of {limit}")


def _ok(req_id: Any, result: Any) -> bytes:
    return orjson.dumps({"jsonrpc": "2.0", "result": result, "id": req_id})


def _err(req_id: Any, error: ResponseError) -> bytes:
    return orjson.dumps({"jsonrpc": "2.0", "error": error.to_json(), "id": req_id})


def _valid_id(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= U64_MAX


def _subscription_id(params: Any) -> Any:
    """The first positional parameter of an unsubscribe call (None if there is none)."""
    if isinstance(params, list) and params:
        return params[0]
    return None


# ---------------------------------------------------------------------------
# Subscriptions of one WebSocket connection


class Subscription:
    __slots__ = ("id", "method", "pending", "prefix", "source", "task")

    def __init__(self, sub_id: str, method: RpcMethod, source: Any) -> None:
        self.id = sub_id
        self.method = method
        self.source = source
        self.task: asyncio.Task[None] | None = None
        self.pending = 0
        assert method.notification is not None
        self.prefix = (f'{{"jsonrpc":"2.0","method":"{method.notification}",'
                       f'"params":{{"subscription":"{sub_id}","result":').encode()


class SendBudget:
    """The unsent bytes of all of a server's connections, bounded by `limit`
    (`MAX_QUEUED_BYTES_TOTAL`): over it, connections are shed (`Connection.shed`), the one
    stalled the longest first (among equals the one holding the most), until the total fits."""

    def __init__(self, limit: int = MAX_QUEUED_BYTES_TOTAL) -> None:
        self.limit = limit
        self.total = 0
        self.connections: set[Connection] = set()
        self.shed_count = 0

    def add(self, n: int) -> None:
        self.total += n
        if self.total > self.limit:
            self._shed()

    def _shed(self) -> None:
        while self.total > self.limit and self.connections:
            victim = min(self.connections, key=lambda c: (c.stalled_since, -c.queued[1]))
            self.shed_count += 1
            log.debug("closing a WebSocket connection: all connections' unsent answers exceed %d bytes and it has "
                      "the oldest backlog (%d messages, %d bytes unsent)", self.limit, *victim.queued)
            victim.shed()


_NOT_STALLED = float("inf")


class Connection:
    """A WebSocket connection: its outgoing queue (one writer task) and its subscriptions."""

    def __init__(self, ws: web.WebSocketResponse, limits: ServerLimits, budget: SendBudget | None = None,
                 abort: Callable[[], None] | None = None) -> None:
        self.ws = ws
        self.limits = limits
        self.subscriptions: dict[str, Subscription] = {}
        self._out: deque[tuple[bytes, Subscription | None]] = deque()
        self._bytes = 0  # of the queued messages and the one being sent
        #: When the queue last went over its bounds (`time.monotonic()`), inf while it is within them.
        self.stalled_since = _NOT_STALLED
        self._budget = budget if budget is not None else SendBudget(1 << 62)
        self._budget.connections.add(self)
        self._abort = abort
        self._wakeup = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self._closed = False
        self.last_seen = asyncio.get_running_loop().time()
        self.rate = RateLimit(limits.rate_limit) if limits.rate_limit is not None else None

    # -- sending

    def send(self, body: bytes) -> None:
        """Queue a response (never dropped; over the bounds the connection stops being read)."""
        if self._closed:
            return
        self._out.append((body, None))
        self._bytes += len(body)
        self._wakeup.set()
        if len(self._out) > self.limits.max_buffer_capacity or self._bytes > MAX_QUEUED_BYTES:
            if self._drained.is_set():
                self._drained.clear()
                self.stalled_since = time.monotonic()
        self._budget.add(len(body))

    def _notify(self, sub: Subscription, body: bytes) -> bool:
        """Queue a notification; False when the subscriber lags (too many unsent)."""
        if self._closed:
            return False
        if sub.pending >= SUBSCRIPTION_BUFFER or self._bytes + len(body) > MAX_QUEUED_BYTES:
            return False
        sub.pending += 1
        self._bytes += len(body)
        self._out.append((body, sub))
        self._wakeup.set()
        self._budget.add(len(body))
        return True

    async def drained(self) -> None:
        await self._drained.wait()

    @property
    def queued(self) -> tuple[int, int]:
        """(messages, bytes) queued unsent."""
        return len(self._out), self._bytes

    @property
    def closed(self) -> bool:
        """True once the connection queues nothing more (closed, gone or shed)."""
        return self._closed

    @property
    def backlogged(self) -> bool:
        return not self._drained.is_set()

    async def run_writer(self) -> None:
        ws = self.ws
        out = self._out
        while True:
            if not out:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            body, sub = out.popleft()
            if sub is not None:
                sub.pending -= 1
            try:
                await ws.send_frame(body, WSMsgType.TEXT)
            except (ConnectionError, RuntimeError):
                # The peer is gone: stop queueing, let the reader finish.
                self._release()
                if not ws.closed:
                    _spawn(ws.close())
                return
            if self._closed:  # shed or closed while this message was being sent
                return
            # Counted until the socket took it: the message in aiohttp's buffer is memory too.
            self._bytes -= len(body)
            self._budget.total -= len(body)
            if len(out) <= self.limits.max_buffer_capacity // 2 and self._bytes <= MAX_QUEUED_BYTES // 2:
                self._drained.set()
                self.stalled_since = _NOT_STALLED

    def _release(self) -> None:
        """Stop queueing and free what is queued (its bytes leave the server's budget)."""
        self._closed = True
        self._out.clear()
        self._budget.total -= self._bytes
        self._budget.connections.discard(self)
        self._bytes = 0
        self._drained.set()
        self.stalled_since = _NOT_STALLED

    def shed(self) -> None:
        """Close the connection at once, dropping what it has not sent (the server's budget is
        exceeded): its transport is aborted, as a close frame would wait behind the backlog."""
        self._release()
        if self._abort is not None:
            self._abort()

    async def keepalive(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(PING_INTERVAL)
            if loop.time() - self.last_seen > INACTIVE_LIMIT:
                log.debug("closing an inactive WebSocket connection")
                await self.ws.close()
                return
            try:
                await self.ws.ping()
            except (ConnectionError, RuntimeError):
                return

    # -- subscriptions

    def subscribe(self, method: RpcMethod, source: Any) -> Subscription:
        sub_id = "".join(secrets.choice(_SUB_ID_ALPHABET) for _ in range(16))
        while sub_id in self.subscriptions:
            sub_id = "".join(secrets.choice(_SUB_ID_ALPHABET) for _ in range(16))
        sub = Subscription(sub_id, method, source)
        self.subscriptions[sub_id] = sub
        return sub

    def start(self, sub: Subscription) -> None:
        """Begin notifying (after the subscribe response is queued)."""
        if self._closed or self.subscriptions.get(sub.id) is not sub:
            _spawn(close_quietly(sub.source))
            return
        sub.task = asyncio.get_running_loop().create_task(self._pump(sub))

    async def _pump(self, sub: Subscription) -> None:
        limit = self.limits.max_response_size
        try:
            async for item in sub.source:
                body = sub.prefix + orjson.dumps(item) + b"}}"
                if len(body) > limit:
                    log.warning("dropping %s subscription %s: a notification of %d bytes exceeds the response limit",
                                sub.method.name, sub.id, len(body))
                    break
                if not self._notify(sub, body):
                    if not self._closed:
                        log.debug("dropping %s subscription %s: the subscriber lags", sub.method.name, sub.id)
                    break
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("subscription %s (%s) failed", sub.id, sub.method.name)
        finally:
            if self.subscriptions.get(sub.id) is sub:
                del self.subscriptions[sub.id]
            await close_quietly(sub.source)

    def unsubscribe(self, method: RpcMethod, sub_id: Any) -> bool:
        """End a subscription made through `method` (true), or report there is none (false)."""
        if not isinstance(sub_id, str):
            return False
        sub = self.subscriptions.get(sub_id)
        if sub is None or sub.method is not method:
            return False
        del self.subscriptions[sub_id]
        if sub.task is not None:
            sub.task.cancel()
        else:
            _spawn(close_quietly(sub.source))
        return True

    async def close(self) -> None:
        self._release()  # what was not sent never will be: free it now
        subs = list(self.subscriptions.values())
        self.subscriptions.clear()
        tasks = []
        for sub in subs:
            if sub.task is not None:
                sub.task.cancel()
                tasks.append(sub.task)
            else:
                await close_quietly(sub.source)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


# ---------------------------------------------------------------------------
# Dispatch: JSON in, JSON out


Outcome = tuple[bytes | None, list[Subscription]]


class Dispatcher:
    """Runs JSON-RPC messages against the registry for one endpoint's context.

    `handle(data, conn)` returns the outcome at once when every handler involved is plain,
    or an awaitable of it when one is `async` (so the WebSocket loop runs those
    concurrently and the rest in order). The outcome is the response bytes (None when
    nothing is answered) and the subscriptions to start once the response is queued.
    """

    def __init__(self, registry: Registry, ctx: RpcContext, limits: ServerLimits) -> None:
        self.registry = registry
        self.ctx = ctx
        self.limits = limits
        # The service's Prometheus counters (substrate_rpc_calls_total{method}), when it has them.
        self._metrics = getattr(ctx.node, "metrics", None)

    def handle(self, data: bytes | str, conn: Connection | None) -> Outcome | Awaitable[Outcome]:
        try:
            message = orjson.loads(data)
        except orjson.JSONDecodeError:
            return _err(None, parse_error()), []
        starts: list[Subscription] = []
        if isinstance(message, list):
            return self._batch(message, conn, starts)
        if _is_request(message):
            if "id" not in message:
                return None, []  # a notification: nothing to run or answer (jsonrpsee)
            body = self._call(message, conn, starts)
            if isinstance(body, bytes):
                return body, starts
            return self._single_later(body, starts)
        if isinstance(message, dict) and "id" in message and _valid_id(message["id"]):
            return _err(message["id"], invalid_request()), []
        return _err(None, parse_error()), []

    async def _single_later(self, body: Awaitable[bytes], starts: list[Subscription]) -> Outcome:
        return await body, starts

    def _batch(self, batch: list[Any], conn: Connection | None, starts: list[Subscription]) -> Outcome | Awaitable[Outcome]:
        max_len = self.limits.max_batch_len
        if max_len == 0:
            return _err(None, ResponseError(BATCHES_NOT_SUPPORTED, "Batched requests are not supported by this server")), []
        if max_len is not None and len(batch) > max_len:
            return _err(None, _limit_error(TOO_BIG_BATCH_REQUEST, "The batch request was too large", max_len)), []
        if not batch:
            return _err(None, invalid_request()), []
        parts: list[bytes | Awaitable[bytes]] = []
        for message in batch:
            if _is_request(message):
                if "id" in message:
                    parts.append(self._call(message, conn, starts))
            else:
                req_id = message.get("id") if isinstance(message, dict) else None
                parts.append(_err(req_id if _valid_id(req_id) else None, invalid_request()))
        if all(isinstance(p, bytes) for p in parts):
            return self._join(parts, conn, starts), starts  # type: ignore[arg-type]
        return self._batch_later(parts, conn, starts)

    async def _batch_later(self, parts: list[bytes | Awaitable[bytes]], conn: Connection | None,
                           starts: list[Subscription]) -> Outcome:
        pending = [p for p in parts if not isinstance(p, bytes)]
        done = iter(await asyncio.gather(*pending))
        return self._join([p if isinstance(p, bytes) else next(done) for p in parts], conn, starts), starts

    def _join(self, parts: list[bytes], conn: Connection | None, starts: list[Subscription]) -> bytes | None:
        if not parts:
            return None  # only notifications
        body = b"[" + b",".join(parts) + b"]"
        limit = self.limits.max_response_size
        if len(body) > limit:
            # The caller never learns the ids of subscriptions made in this batch: end them.
            if conn is not None:
                for sub in starts:
                    conn.unsubscribe(sub.method, sub.id)
            starts.clear()
            return _err(None, _limit_error(TOO_BIG_BATCH_RESPONSE, "The batch response was too large", limit))
        return body

    def _call(self, message: dict[str, Any], conn: Connection | None, starts: list[Subscription]) -> bytes | Awaitable[bytes]:
        if conn is not None and conn.rate is not None:
            wait = conn.rate.reserve(asyncio.get_running_loop().time())
            if wait > 0:
                return self._call_after(wait, message, conn, starts)
        return self._call_now(message, conn, starts)

    async def _call_after(self, wait: float, message: dict[str, Any], conn: Connection,
                          starts: list[Subscription]) -> bytes:
        """A call over the connection's rate limit: run when its turn comes."""
        await asyncio.sleep(wait)
        body = self._call_now(message, conn, starts)
        return body if isinstance(body, bytes) else await body

    def _call_now(self, message: dict[str, Any], conn: Connection | None,
                  starts: list[Subscription]) -> bytes | Awaitable[bytes]:
        req_id = message["id"]
        entry = self.registry.get(message["method"])
        if entry is None:
            return _err(req_id, method_not_found())
        if self._metrics is not None:
            self._metrics.note_rpc_call(message["method"])
        method = entry.method
        kind = entry.kind
        if kind is Kind.UNSUBSCRIBE:
            if conn is None:
                return _err(req_id, internal_error())
            return _ok(req_id, conn.unsubscribe(method, _subscription_id(message.get("params"))))
        if method.unsafe and not self.ctx.allow_unsafe:
            return _err(req_id, unsafe_call(method.unsafe_code))
        if kind is Kind.SUBSCRIBE:
            if conn is None:
                return _err(req_id, internal_error())
            if len(conn.subscriptions) >= self.limits.max_subscriptions_per_connection:
                return _err(req_id, self._too_many_subscriptions())
        try:
            args = parse_params(method.params, message.get("params"))
            result = method.handler(self.ctx, *args)
        except ResponseError as e:
            return _err(req_id, e)
        except ParamError as e:
            return _err(req_id, invalid_params(str(e)))
        except Exception:
            log.exception("RPC %s failed", message["method"])
            return _err(req_id, internal_error())
        if asyncio.iscoroutine(result):
            return self._call_later(entry, req_id, conn, starts, result)
        return self._respond(entry, req_id, conn, starts, result)

    async def _call_later(self, entry: Entry, req_id: Any, conn: Connection | None, starts: list[Subscription],
                          pending: Awaitable[Any]) -> bytes:
        try:
            result = await pending
        except ResponseError as e:
            return _err(req_id, e)
        except ParamError as e:
            return _err(req_id, invalid_params(str(e)))
        except UnknownBlockError as e:
            log.debug("RPC %s: unknown block: %s", entry.method.name, e)
            return _err(req_id, internal_error())
        except Exception:
            log.exception("RPC %s failed", entry.method.name)
            return _err(req_id, internal_error())
        return self._respond(entry, req_id, conn, starts, result)

    def _respond(self, entry: Entry, req_id: Any, conn: Connection | None, starts: list[Subscription],
                 result: Any) -> bytes:
        if entry.kind is Kind.SUBSCRIBE:
            assert conn is not None
            if len(conn.subscriptions) >= self.limits.max_subscriptions_per_connection:
                _spawn(close_quietly(result))
                return _err(req_id, self._too_many_subscriptions())
            sub = conn.subscribe(entry.method, result)
            bind = getattr(result, "bind_subscription", None)
            if bind is not None:  # a source that serves later calls by its id (chainHead_v1_follow)
                bind(sub.id)
            starts.append(sub)
            return _ok(req_id, sub.id)
        try:
            body = _ok(req_id, result)
        except (TypeError, orjson.JSONEncodeError):
            log.exception("RPC %s returned a value that is not JSON: %r", entry.method.name, result)
            return _err(req_id, internal_error())
        limit = self.limits.max_response_size
        if len(body) > limit:
            return _err(req_id, _limit_error(OVERSIZED_RESPONSE, "Response is too big", limit))
        return body

    def _too_many_subscriptions(self) -> ResponseError:
        limit = self.limits.max_subscriptions_per_connection
        return _limit_error(TOO_MANY_SUBSCRIPTIONS, "Too many subscriptions on the connection", limit)


def _is_request(message: Any) -> bool:
    """A request or notification object: `jsonrpc: "2.0"`, a string method, a valid id if any."""
    return (isinstance(message, dict) and message.get("jsonrpc") == "2.0" and isinstance(message.get("method"), str)
            and ("id" not in message or _valid_id(message["id"])))


# ---------------------------------------------------------------------------
# HTTP and WebSocket transport


def _origin_pattern(origin: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(part) for part in origin.split("*")) + "$")


class _Endpoint:
    """One listen address: its dispatcher, policy and open connections."""

    def __init__(self, dispatcher: Dispatcher, endpoint: RpcEndpoint, limits: ServerLimits,
                 budget: SendBudget | None = None) -> None:
        self.dispatcher = dispatcher
        self.budget = budget if budget is not None else SendBudget()
        self.endpoint = endpoint
        self.limits = limits
        self.cors = endpoint.cors
        self._origins = None if endpoint.cors is None else [_origin_pattern(o) for o in endpoint.cors]
        self.connections = 0
        self.websockets: set[web.WebSocketResponse] = set()

    # -- policy

    def origin_allowed(self, origin: str) -> bool:
        return self._origins is None or any(p.match(origin) for p in self._origins)

    def host_allowed(self, request: web.Request) -> bool:
        if self.cors is None:
            return True
        host = request.headers.get("Host")
        if host is None:
            return True
        sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
        port = sockname[1] if sockname else self.endpoint.port
        return host.lower() in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}")

    def cors_headers(self, request: web.Request) -> dict[str, str]:
        origin = request.headers.get("Origin")
        if origin is None:
            return {}
        if self.cors is None:
            return {"Access-Control-Allow-Origin": "*"}
        if self.origin_allowed(origin):
            return {"Access-Control-Allow-Origin": origin, "Vary": "origin"}
        return {}

    # -- handlers

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not self.host_allowed(request):
            return web.Response(status=403, text="Provided Host header is not whitelisted.\n")
        if request.method == "OPTIONS":
            return self._preflight(request)
        if request.method == "GET":
            if request.headers.get("Upgrade", "").lower() == "websocket":
                return await self._websocket(request)
            if request.path in ("/health", "/health/readiness"):
                return self._health(request)
        if request.method != "POST":
            return web.Response(status=405, text="Used HTTP Method is not allowed. POST is required\n")
        if self.connections >= self.limits.max_connections:
            return web.Response(status=429, text="Too many connections. Please try again later.")
        self.connections += 1
        try:
            return await self._post(request)
        finally:
            self.connections -= 1

    def _preflight(self, request: web.Request) -> web.Response:
        headers = self.cors_headers(request)
        if headers:
            requested = request.headers.get("Access-Control-Request-Headers")
            if self.cors is None:
                headers["Access-Control-Allow-Methods"] = "*"
                headers["Access-Control-Allow-Headers"] = "*"
            else:
                headers["Access-Control-Allow-Methods"] = "POST, GET, OPTIONS"
                headers["Access-Control-Allow-Headers"] = requested or "content-type"
        return web.Response(status=200, headers=headers)

    def _health(self, request: web.Request) -> web.Response:
        status = health(self.dispatcher.ctx)
        if request.path == "/health":
            return web.Response(body=orjson.dumps(status), content_type="application/json")
        ready = not status["isSyncing"] and (status["peers"] > 0 or not status["shouldHavePeers"])
        return web.Response(status=200 if ready else 500)

    async def _post(self, request: web.Request) -> web.Response:
        headers = self.cors_headers(request)
        if (request.headers.get("Content-Type") or "").lower() not in _JSON_CONTENT_TYPES:
            return web.Response(status=415, headers=headers, text="Supplied content type is not allowed. "
                                "Content-Type: application/json is required\n")
        limit = self.limits.max_request_size
        too_big = _err(None, _limit_error(OVERSIZED_REQUEST, "Request is too big", limit))
        if request.content_length is not None and request.content_length > limit:
            return web.Response(status=413, headers=headers, body=too_big, content_type="application/json")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, headers=headers, body=too_big, content_type="application/json")
        except (ConnectionError, asyncio.IncompleteReadError):
            return web.Response(status=400, headers=headers, body=_err(None, parse_error()),
                                content_type="application/json")
        if body.lstrip()[:1] not in (b"{", b"["):  # jsonrpsee: neither an object nor a batch
            return web.Response(status=400, headers=headers, body=_err(None, parse_error()),
                                content_type="application/json")
        outcome = self.dispatcher.handle(body, None)
        if not isinstance(outcome, tuple):
            outcome = await outcome
        reply, _ = outcome
        return web.Response(body=reply or b"", headers=headers, content_type="application/json", charset="utf-8")

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and not self.origin_allowed(origin):
            return web.Response(status=403, text="Origin of the request is not whitelisted.\n")
        if self.connections >= self.limits.max_connections:
            return web.Response(status=429, text="Too many connections. Please try again later.")
        self.connections += 1
        try:
            return await self._serve_websocket(request)
        finally:
            self.connections -= 1

    async def _serve_websocket(self, request: web.Request) -> web.StreamResponse:
        limit = self.limits.max_request_size
        ws = web.WebSocketResponse(max_msg_size=2 * limit, compress=False, autoping=False, decode_text=False,
                                   timeout=CLOSE_TIMEOUT)
        await ws.prepare(request)
        self.websockets.add(ws)
        transport = request.transport
        conn = Connection(ws, self.limits, self.budget, transport.abort if transport is not None else None)
        loop = asyncio.get_running_loop()
        writer = loop.create_task(conn.run_writer())
        keepalive = loop.create_task(conn.keepalive())
        inflight: set[asyncio.Task[None]] = set()
        dispatcher = self.dispatcher
        too_big = _err(None, _limit_error(OVERSIZED_REQUEST, "Request is too big", limit))
        try:
            while True:
                msg = await ws.receive()
                if conn.closed:  # shed (the server's budget): what it sent is not answered
                    break
                conn.last_seen = loop.time()
                kind = msg.type
                if kind is WSMsgType.TEXT or kind is WSMsgType.BINARY:  # text frames arrive undecoded
                    data = msg.data
                    size = len(data)
                elif kind is WSMsgType.PING:
                    try:
                        await ws.pong(msg.data)
                    except (ConnectionError, RuntimeError):
                        break  # the client is gone (reset while pinging): its fault, no traceback
                    continue
                elif kind is WSMsgType.PONG:
                    continue
                else:  # CLOSE, CLOSING, CLOSED, ERROR (a frame over the hard limit)
                    break
                if size > limit:
                    conn.send(too_big)
                    continue
                outcome = dispatcher.handle(data, conn)
                if isinstance(outcome, tuple):
                    _deliver(conn, outcome)
                else:
                    task = loop.create_task(_deliver_later(conn, outcome))
                    inflight.add(task)
                    task.add_done_callback(inflight.discard)
                if conn.backlogged:
                    try:
                        await asyncio.wait_for(conn.drained(), SLOW_READER_TIMEOUT)
                    except TimeoutError:
                        log.debug("closing a WebSocket connection that stopped reading (%d messages, %d bytes "
                                  "unsent for %.0f s)", *conn.queued, SLOW_READER_TIMEOUT)
                        if request.transport is not None:
                            request.transport.abort()  # a close frame would wait behind what it never reads
                        break
        finally:
            for task in inflight:
                task.cancel()
            await conn.close()
            keepalive.cancel()
            writer.cancel()
            await asyncio.gather(writer, keepalive, *inflight, return_exceptions=True)
            self.websockets.discard(ws)
            if not ws.closed:
                with contextlib.suppress(ConnectionError, RuntimeError):  # the client is already gone
                    await ws.close()
        return ws

    async def close_websockets(self) -> None:
        await asyncio.gather(*(ws.close(code=1001, message=b"server shutting down") for ws in list(self.websockets)),
                             return_exceptions=True)


def _deliver(conn: Connection, outcome: Outcome) -> None:
    body, starts = outcome
    if body is not None:
        conn.send(body)
    for sub in starts:
        conn.start(sub)


async def _deliver_later(conn: Connection, pending: Awaitable[Outcome]) -> None:
    _deliver(conn, await pending)


# ---------------------------------------------------------------------------
# Assembly


_ENDPOINT_KEY: web.AppKey[_Endpoint] = web.AppKey("rpc_endpoint", _Endpoint)


def default_peer_id(node: NodeHandle) -> str:
    from pysubtensor.node.log import local_peer_id

    return local_peer_id(f"{node.info.id}/{node.info.node_name}".encode())


def build_app(node: NodeHandle, endpoint: RpcEndpoint | None = None, *, registry: Registry = REGISTRY,
              keystore: Keystore | None = None, peer_id: str | None = None,
              limits: ServerLimits | None = None, starting_block: int | None = None,
              budget: SendBudget | None = None) -> web.Application:
    """The aiohttp application serving one endpoint (every path; HTTP and WebSocket)."""
    endpoint = endpoint or RpcEndpoint()
    limits = limits or ServerLimits.of(endpoint)
    if starting_block is None:
        starting_block = node.header(node.best_hash()).number
    ctx = RpcContext(node, endpoint.allow_unsafe, keystore or Keystore(),
                     peer_id if peer_id is not None else default_peer_id(node), starting_block, registry.names())
    state = _Endpoint(Dispatcher(registry, ctx, limits), endpoint, limits, budget)
    app = web.Application(client_max_size=limits.max_request_size)
    app[_ENDPOINT_KEY] = state
    app.router.add_route("*", "/{tail:.*}", state.handle)

    async def on_shutdown(app: web.Application) -> None:
        await app[_ENDPOINT_KEY].close_websockets()

    app.on_shutdown.append(on_shutdown)
    return app


class RpcServer:
    """The running sites; `addresses` are the bound (host, port) pairs, in endpoint order."""

    def __init__(self, node: NodeHandle, endpoints: Sequence[RpcEndpoint], *, registry: Registry = REGISTRY,
                 peer_id: str | None = None) -> None:
        self.node = node
        self.endpoints = tuple(endpoints)
        self.registry = registry
        self.keystore = Keystore()
        self.peer_id = peer_id if peer_id is not None else default_peer_id(node)
        self.addresses: list[tuple[str, int]] = []
        self._runners: list[web.AppRunner] = []
        #: One bound for the unsent answers of every endpoint's connections (one process's memory).
        self.budget = SendBudget()

    async def start(self) -> None:
        starting_block = self.node.header(self.node.best_hash()).number
        try:
            for endpoint in self.endpoints:
                app = build_app(self.node, endpoint, registry=self.registry, keystore=self.keystore,
                                peer_id=self.peer_id, starting_block=starting_block, budget=self.budget)
                runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0,
                                        logger=http_log)
                await runner.setup()
                self._runners.append(runner)
                site = web.TCPSite(runner, endpoint.host, endpoint.port, reuse_address=True)
                await site.start()
                bound = runner.addresses[-1] if runner.addresses else (endpoint.host, endpoint.port)
                self.addresses.append((str(bound[0]), int(bound[1])))
                origins = '["*"]' if endpoint.cors is None else "[" + ", ".join(f'"{o}"' for o in endpoint.cors) + "]"
                log.info("Running JSON-RPC server: addr=%s:%d, allowed origins=%s", bound[0], bound[1], origins)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        runners, self._runners = self._runners, []
        for runner in reversed(runners):
            try:
                await runner.cleanup()
            except Exception:
                log.exception("stopping an RPC site failed")


@asynccontextmanager
async def serve(node: NodeHandle, config: Any, *, registry: Registry = REGISTRY,
                peer_id: str | None = None) -> AsyncIterator[RpcServer]:
    """Serve JSON-RPC for `node` on every endpoint of `config` (a `NodeConfig`, whose `.rpc`
    is used, or a sequence of `RpcEndpoint`s) until the block exits."""
    endpoints = config.rpc if hasattr(config, "rpc") else tuple(config)
    server = RpcServer(node, endpoints, registry=registry, peer_id=peer_id)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()

