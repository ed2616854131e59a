"""A `NodeHandle` for the RPC tests, backed by the real runtime (and checks of the fake).

`FakeNode` keeps blocks in memory (`tests.unit.test_executive.Chain` builds them with the
real executive, states as dicts), validates with the real runtime through a real
`node.txpool.TransactionPool`, runs runtime APIs with `runtime.apis.call`, and records read
proofs from the trie (`primitives.trie` + `node.state.proof`). Blocks are made only when a
test asks (`create_block`, `new_blocks`, …); every block is final unless `finalize=False`.

The RPC helpers (`rpc_app`, `http_call`, `WsClient`) drive `rpc.server.build_app` through
aiohttp's test server, over HTTP and WebSocket, inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import orjson
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer

import pysubtensor.runtime as runtime
from pysubtensor.chainspec.presets import TAO_PROPERTIES
from pysubtensor.node.api import BlockNotification, ChainInfo, SealResult, UnknownBlockError
from pysubtensor.node.config import RpcEndpoint
from pysubtensor.node.state.proof import record_read_proof, verify_read_proof
from pysubtensor.node.txpool.errors import BadFormat
from pysubtensor.node.txpool.pool import TransactionPool
from pysubtensor.pallets.system.extensions import nonce_tag
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.header import Header
from pysubtensor.primitives.keyring import DEV_ACCOUNTS
from pysubtensor.primitives.trie.root import build_trie
from pysubtensor.rpc.server import ServerLimits, build_app
from pysubtensor.runtime import apis
from pysubtensor.runtime.executive import InvalidExtrinsicBytes, validate_transaction
from pysubtensor.runtime.metadata import metadata_bytes
from pysubtensor.runtime.version import VERSION
from tests.support.state import DictBackend
from tests.unit.test_executive import IMMORTAL, Chain, transfer

ALICE, BOB, CHARLIE = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"], DEV_ACCOUNTS["Charlie"]
CHILD_KEY = b"pysubtensor-test-child"
CHILD_ITEMS = {b"alpha": b"\x01", b"beta": b"\x02\x02", b"gamma": b"\x03\x03\x03"}


class FakeNode:
    """An in-memory node: the NodeHandle protocol over `Chain` and a real transaction pool."""

    def __init__(self, *, finalize: bool = True) -> None:
        self.chain = Chain()
        self.auto_finalize = finalize
        genesis = self.chain.headers[0]
        self.info = ChainInfo(name="Bittensor", id="bittensor", chain_type="Development",
                              properties=dict(TAO_PROPERTIES), node_name="pysubtensor", node_version="0.1.0",
                              genesis_hash=genesis.hash)
        self.known: dict[bytes, tuple[Header, list[bytes], dict[bytes, bytes]]] = {
            genesis.hash: (genesis, [], dict(self.chain.state))}
        self.canonical: list[bytes] = [genesis.hash]
        self.finalized = genesis.hash
        self.pool = TransactionPool(self._validate, best_hash=genesis.hash)
        self._subscribers: list[asyncio.Queue[BlockNotification]] = []
        self._finality_subscribers: list[asyncio.Queue[Header]] = []
        self.next_timestamp: int | None = None
        self.snapshots: dict[int, bytes] = {}
        self._snapshot_ids = itertools.count(1)
        self.extra_changes: dict[bytes, bytes | None] = {}

    # -- chain

    def best_hash(self) -> bytes:
        return self.canonical[-1]

    def finalized_hash(self) -> bytes:
        return self.finalized

    def hash_of(self, number: int) -> bytes | None:
        return self.canonical[number] if 0 <= number < len(self.canonical) else None

    def _block(self, block_hash: bytes) -> tuple[Header, list[bytes], dict[bytes, bytes]]:
        try:
            return self.known[block_hash]
        except KeyError:
            raise UnknownBlockError(f"Header was not found in the database: 0x{block_hash.hex()}") from None

    def header(self, block_hash: bytes) -> Header:
        return self._block(block_hash)[0]

    def body(self, block_hash: bytes) -> list[bytes]:
        return list(self._block(block_hash)[1])

    # -- state

    def state(self, block_hash: bytes) -> dict[bytes, bytes]:
        return self._block(block_hash)[2]

    def storage(self, block_hash: bytes, key: bytes) -> bytes | None:
        return self.state(block_hash).get(key)

    def storage_keys(self, block_hash: bytes, prefix: bytes, start_key: bytes | None = None,
                     limit: int | None = None) -> list[bytes]:
        keys = sorted(k for k in self.state(block_hash)
                      if k.startswith(prefix) and (start_key is None or k > start_key))
        return keys if limit is None else keys[:limit]

    def read_proof(self, block_hash: bytes, keys: Sequence[bytes]) -> list[bytes]:
        sink: dict[bytes, bytes] = {}
        root = build_trie(self.state(block_hash), 1, sink)
        return record_read_proof(root, keys, sink.get)

    def child_storage(self, block_hash: bytes, child_key: bytes, key: bytes) -> bytes | None:
        self._block(block_hash)
        return CHILD_ITEMS.get(key) if child_key == CHILD_KEY else None

    def child_storage_keys(self, block_hash: bytes, child_key: bytes, prefix: bytes,
                           start_key: bytes | None = None, limit: int | None = None) -> list[bytes]:
        self._block(block_hash)
        items = CHILD_ITEMS if child_key == CHILD_KEY else {}
        keys = sorted(k for k in items if k.startswith(prefix) and (start_key is None or k > start_key))
        return keys if limit is None else keys[:limit]

    def runtime_call(self, block_hash: bytes, method: str, data: bytes) -> bytes:
        state = self.state(block_hash)
        return apis.call(method, data, Externalities(DictBackend(state)))

    def runtime_version(self, block_hash: bytes) -> Any:
        self._block(block_hash)
        return VERSION

    def metadata(self, block_hash: bytes) -> bytes:
        self._block(block_hash)
        return metadata_bytes(14)

    # -- transactions

    def _validate(self, source: str, encoded: bytes, at: bytes) -> Any:
        try:
            return validate_transaction(DictBackend(self.state(at)), source, encoded, at)
        except InvalidExtrinsicBytes as e:
            raise BadFormat(str(e)) from None

    def submit_extrinsic(self, encoded: bytes) -> bytes:
        return self.pool.submit(encoded)

    def submit_and_watch(self, encoded: bytes) -> Any:
        return self.pool.submit_and_watch(encoded)

    def pending_extrinsics(self) -> list[bytes]:
        return [tx.data for tx in self.pool.ready()] + [tx.data for tx in self.pool.futures()]

    def remove_extrinsics(self, hashes: Sequence[bytes]) -> list[bytes]:
        return self.pool.remove(hashes)

    def account_next_index(self, account: bytes) -> int:
        raw = self.runtime_call(self.best_hash(), "AccountNonceApi_account_nonce", account)
        nonce = int.from_bytes(raw, "little")
        return self.pool.adjust_nonce(lambda n: nonce_tag(account, n), nonce)

    # -- notifications

    async def blocks(self) -> AsyncIterator[BlockNotification]:
        queue: asyncio.Queue[BlockNotification] = asyncio.Queue()
        self._subscribers.append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.remove(queue)

    async def finalized_blocks(self) -> AsyncIterator[Header]:
        queue: asyncio.Queue[Header] = asyncio.Queue()
        self._finality_subscribers.append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._finality_subscribers.remove(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers) + len(self._finality_subscribers)

    # -- authoring

    def _seal(self, extrinsics: Sequence[bytes]) -> bytes:
        before = self.known[self.best_hash()][2]
        if self.extra_changes:
            for key, value in self.extra_changes.items():
                if value is None:
                    self.chain.state.pop(key, None)
                else:
                    self.chain.state[key] = value
        block, _ = self.chain.build(*extrinsics)
        header = block.header
        after = dict(self.chain.state)
        changes = {k: after.get(k) for k in set(before) | set(after) if before.get(k) != after.get(k)}
        self.extra_changes = {}
        block_hash = header.hash
        self.known[block_hash] = (header, list(block.extrinsics), after)
        self.canonical.append(block_hash)
        self.pool.on_block_imported(block_hash, header.number, block.extrinsics)
        notification = BlockNotification(block_hash, header, True, changes)
        for queue in self._subscribers:
            queue.put_nowait(notification)
        if self.auto_finalize:
            self._finalize(block_hash)
        return block_hash

    def _finalize(self, block_hash: bytes) -> None:
        header = self.header(block_hash)
        old = self.header(self.finalized).number
        self.finalized = block_hash
        for number in range(old + 1, header.number + 1):
            h = self.canonical[number]
            self.pool.on_block_finalized(h)
            for queue in self._finality_subscribers:
                queue.put_nowait(self.header(h))

    async def create_block(self, create_empty: bool, finalize: bool, parent_hash: bytes | None) -> SealResult:
        if parent_hash is not None and parent_hash != self.best_hash():
            raise ValueError("the fake node builds on the best block only")
        txs = [tx.data for tx in self.pool.ready()]
        auto, self.auto_finalize = self.auto_finalize, False
        try:
            block_hash = self._seal(txs)
        finally:
            self.auto_finalize = auto
        if finalize:
            self._finalize(block_hash)
        return SealResult(block_hash, True, 0)

    async def finalize_block(self, block_hash: bytes) -> bool:
        self._finalize(block_hash)
        return True

    async def new_blocks(self, count: int = 1, to: int | None = None) -> bytes:
        if to is not None:
            count = to - self.header(self.best_hash()).number
        for _ in range(count):
            self._seal([tx.data for tx in self.pool.ready()])
        return self.best_hash()

    async def set_storage(self, changes: Mapping[bytes, bytes | None]) -> bytes:
        self.extra_changes = dict(changes)
        return self._seal([])

    async def time_travel(self, timestamp_ms: int) -> int:
        self.next_timestamp = timestamp_ms
        return timestamp_ms

    async def set_head(self, block: bytes | int) -> bytes:
        number = block if isinstance(block, int) else self.header(block).number
        target = self.canonical[number]
        if isinstance(block, bytes) and target != block:
            raise UnknownBlockError(f"0x{block.hex()} is not on the best chain")
        retracted = self.canonical[number + 1:]
        del self.canonical[number + 1:]
        del self.chain.headers[number + 1:]
        del self.chain.bodies[number + 1:]
        del self.chain.states[number + 1:]
        self.chain.state = dict(self.chain.states[-1])
        if self.header(self.finalized).number > number:
            self.finalized = target
        notification = BlockNotification(target, self.header(target), True, {}, tuple(retracted))
        for queue in self._subscribers:
            queue.put_nowait(notification)
        return target

    async def snapshot(self) -> int:
        snapshot_id = next(self._snapshot_ids)
        self.snapshots[snapshot_id] = self.best_hash()
        return snapshot_id

    async def revert(self, snapshot_id: int) -> bool:
        target = self.snapshots.get(snapshot_id)
        if target is None:
            raise ValueError(f"no snapshot {snapshot_id}")
        await self.set_head(target)
        return True

    # -- test helpers

    def sign_transfer(self, signer: Any = ALICE, dest: bytes = BOB.account_id, value: int = 10**9, *,
                      nonce: int = 0) -> bytes:
        return self.chain.sign(signer, transfer(dest, value), nonce=nonce, era=IMMORTAL)


# ---------------------------------------------------------------------------
# Test clients


def loopback(**fields: Any) -> RpcEndpoint:
    """An endpoint as the dev node has it (127.0.0.1, unsafe allowed, every origin)."""
    values: dict[str, Any] = {"port": 0, "cors": None}
    values.update(fields)
    return RpcEndpoint(**values)


@asynccontextmanager
async def rpc_app(node: Any, endpoint: RpcEndpoint | None = None, *, limits: ServerLimits | None = None,
                  ) -> AsyncIterator[TestClient]:
    app = build_app(node, endpoint or loopback(), limits=limits, peer_id="12D3KooWTestPeer")
    async with TestServer(app, host="127.0.0.1") as server, TestClient(server) as client:
        yield client


async def http_call(client: TestClient, method: str, params: Any = None, req_id: Any = 1) -> dict[str, Any]:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": req_id, "method": method}
    if params is not None:
        body["params"] = params
    response = await client.post("/", data=orjson.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status == 200, await response.text()
    return orjson.loads(await response.read())


async def http_result(client: TestClient, method: str, params: Any = None) -> Any:
    reply = await http_call(client, method, params)
    assert "error" not in reply, reply
    return reply["result"]


class WsClient:
    """A WebSocket JSON-RPC client: numbered requests, notifications queued per subscription."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.replies: dict[Any, dict[str, Any]] = {}
        self.notifications: dict[str, list[dict[str, Any]]] = {}
        self.raw: list[dict[str, Any]] = []

    async def _read(self, timeout: float = 5.0) -> None:
        msg = await self.ws.receive(timeout=timeout)
        assert msg.type == WSMsgType.TEXT, msg
        data = orjson.loads(msg.data)
        for item in data if isinstance(data, list) else [data]:
            self.raw.append(item)
            if "id" in item:
                self.replies[item["id"]] = item
            else:
                assert set(item) == {"jsonrpc", "method", "params"}, item
                self.notifications.setdefault(item["params"]["subscription"], []).append(item)

    async def send(self, payload: Any) -> None:
        await self.ws.send_str(payload if isinstance(payload, str) else orjson.dumps(payload).decode())

    async def call(self, method: str, params: Any = None) -> dict[str, Any]:
        req_id = next(self.ids)
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": req_id, "method": method}
        if params is not None:
            body["params"] = params
        await self.send(body)
        while req_id not in self.replies:
            await self._read()
        return self.replies.pop(req_id)

    async def result(self, method: str, params: Any = None) -> Any:
        reply = await self.call(method, params)
        assert "error" not in reply, reply
        return reply["result"]

    async def next_notification(self, sub_id: str, timeout: float = 5.0) -> dict[str, Any]:
        while not self.notifications.get(sub_id):
            await self._read(timeout)
        return self.notifications[sub_id].pop(0)

    async def quiet(self, sub_id: str, wait: float = 0.1) -> bool:
        """True when no notification for `sub_id` arrives within `wait` seconds."""
        try:
            while not self.notifications.get(sub_id):
                await self._read(wait)
        except TimeoutError:
            return True
        return False


@asynccontextmanager
async def ws_client(client: TestClient, **kwargs: Any) -> AsyncIterator[WsClient]:
    ws = await client.ws_connect("/", **kwargs)
    try:
        yield WsClient(ws)
    finally:
        await ws.close()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture
def node() -> Any:
    yield FakeNode()
    runtime.wire()


# ---------------------------------------------------------------------------
# The fake itself


def test_fake_node_builds_blocks_with_the_real_runtime(node):
    xt = node.sign_transfer()
    node.submit_extrinsic(xt)
    assert node.account_next_index(ALICE.account_id) == 1
    sealed = run(node.create_block(False, True, None))
    assert node.best_hash() == sealed.hash and node.finalized_hash() == sealed.hash
    assert xt in node.body(sealed.hash)
    assert node.pending_extrinsics() == []
    assert node.account_next_index(ALICE.account_id) == 1


def test_fake_node_read_proofs_verify(node):
    best = node.best_hash()
    key = next(iter(sorted(node.state(best))))
    proof = node.read_proof(best, [key])
    assert verify_read_proof(node.header(best).state_root, proof, [key]) == {key: node.storage(best, key)}
