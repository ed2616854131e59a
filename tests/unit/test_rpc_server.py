"""The server's framing, limits and policy, over HTTP and WebSocket (aiohttp test server):
JSON-RPC 2.0 objects and batches, ids, notifications, jsonrpsee's error codes and texts,
request/response/batch/subscription/connection limits, CORS and the host filter, unsafe
methods, and a server that stays up for everyone when one client misbehaves."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import logging
import os
import socket

import orjson
import pytest
from aiohttp import WSMsgType, WSServerHandshakeError

import pysubtensor.runtime as runtime
from pysubtensor.node.config import RpcEndpoint, RpcMethods
from pysubtensor.rpc.errors import ResponseError
from pysubtensor.rpc.methods import REGISTRY
from pysubtensor.rpc.server import (
    MAX_QUEUED_RESPONSES,
    SUBSCRIPTION_BUFFER,
    Connection,
    RateLimit,
    ServerLimits,
)
from tests.unit.test_rpc_fake_node import FakeNode, http_call, loopback, rpc_app, run, ws_client

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def node():
    yield FakeNode()
    runtime.wire()


async def post_raw(client, body: bytes | str, headers=None):
    response = await client.post("/", data=body, headers=headers or JSON)
    return response.status, await response.read(), response.headers


# -- framing


def test_ids_are_echoed_numbers_and_strings_and_result_is_always_present(node):
    async def scenario():
        async with rpc_app(node) as client:
            assert (await http_call(client, "chain_getFinalizedHead", req_id=7))["id"] == 7
            assert (await http_call(client, "chain_getFinalizedHead", req_id="aB17"))["id"] == "aB17"
            reply = await http_call(client, "chain_getHeader", ["0x" + "11" * 32])
            assert reply == {"jsonrpc": "2.0", "result": None, "id": 1}
            async with ws_client(client) as ws:
                await ws.send({"jsonrpc": "2.0", "id": "xY3", "method": "system_chain"})
                await ws._read()
                assert ws.replies["xY3"]["result"] == "Bittensor"

    run(scenario())


def test_batches_answer_every_call_and_skip_notifications(node):
    async def scenario():
        async with rpc_app(node) as client:
            batch = [
                {"jsonrpc": "2.0", "id": 1, "method": "system_chain"},
                {"jsonrpc": "2.0", "method": "system_chain"},  # a notification: no answer
                {"jsonrpc": "2.0", "id": "two", "method": "no_such"},
                {"jsonrpc": "2.0", "id": 3, "method": "chain_getBlockHash", "params": [0]},
                5,
            ]
            status, body, _ = await post_raw(client, orjson.dumps(batch))
            assert status == 200
            replies = orjson.loads(body)
            assert [r["id"] for r in replies] == [1, "two", 3, None]
            assert replies[0]["result"] == "Bittensor"
            assert replies[1]["error"] == {"code": -32601, "message": "Method not found"}
            assert replies[2]["result"] == "0x" + node.info.genesis_hash.hex()
            assert replies[3]["error"] == {"code": -32600, "message": "Invalid request"}
            # only notifications: nothing to answer
            status, body, _ = await post_raw(client, orjson.dumps([{"jsonrpc": "2.0", "method": "system_chain"}]))
            assert (status, body) == (200, b"")
            # an empty batch is one Invalid request
            status, body, _ = await post_raw(client, b"[]")
            assert orjson.loads(body) == {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request"},
                                          "id": None}
            # batches over WebSocket (async-substrate-interface's runtime_calls)
            async with ws_client(client) as ws:
                await ws.send([{"jsonrpc": "2.0", "id": "a1", "method": "system_name"},
                               {"jsonrpc": "2.0", "id": "a2", "method": "engine_createBlock",
                                "params": [True, True, None]}])
                while "a2" not in ws.replies:
                    await ws._read()
                assert ws.replies["a1"]["result"] == "Subtensor Node"
                assert ws.replies["a2"]["result"]["hash"] == "0x" + node.best_hash().hex()

    run(scenario())


def test_batch_limits(node):
    async def scenario():
        async with rpc_app(node, loopback(max_batch_len=2)) as client:
            call = {"jsonrpc": "2.0", "id": 1, "method": "system_chain"}
            _status, body, _ = await post_raw(client, orjson.dumps([call, call]))
            assert len(orjson.loads(body)) == 2
            _, body, _ = await post_raw(client, orjson.dumps([call, call, call]))
            assert orjson.loads(body)["error"] == {"code": -32010, "message": "The batch request was too large",
                                                   "data": "Exceeded max limit of 2"}
        async with rpc_app(node, loopback(max_batch_len=0)) as client:
            _, body, _ = await post_raw(client, orjson.dumps([{"jsonrpc": "2.0", "id": 1, "method": "system_chain"}]))
            assert orjson.loads(body)["error"]["code"] == -32005

    run(scenario())


def test_parse_errors_and_invalid_requests(node):
    async def scenario():
        async with rpc_app(node) as client:
            parse_error = {"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None}
            status, body, _ = await post_raw(client, b'{"jsonrpc": "2.0", "id": 1, "method": ')
            assert (status, orjson.loads(body)) == (200, parse_error)
            status, body, _ = await post_raw(client, b"not json at all")
            assert (status, orjson.loads(body)) == (400, parse_error)
            # valid JSON that is not a request: -32600 when there is an id to answer to
            for bad in ({"jsonrpc": "2.0", "id": 4}, {"jsonrpc": "1.0", "id": 4, "method": "system_chain"},
                        {"jsonrpc": "2.0", "id": 4, "method": 12}):
                _, body, _ = await post_raw(client, orjson.dumps(bad))
                assert orjson.loads(body) == {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid request"},
                                              "id": 4}
            # ... and (as jsonrpsee) a parse error when there is none
            for bad in (b"{}", b'{"id": -1, "jsonrpc": "2.0", "method": "system_chain"}'):
                _, body, _ = await post_raw(client, bad)
                assert orjson.loads(body) == parse_error
            # a notification gets no answer
            status, body, _ = await post_raw(client, b'{"jsonrpc": "2.0", "method": "system_chain"}')
            assert (status, body) == (200, b"")
            # deeply nested payloads are a parse error, and the server carries on
            deep = b"[" * 5000 + b"]" * 5000
            _, body, _ = await post_raw(client, deep)
            assert orjson.loads(body) == parse_error
            nested = {"jsonrpc": "2.0", "id": 9, "method": "state_getStorage", "params": [[[[[[[[["0x"]]]]]]]]]}
            reply = orjson.loads((await post_raw(client, orjson.dumps(nested)))[1])
            assert reply["error"]["code"] == -32602
            assert (await http_call(client, "system_chain"))["result"] == "Bittensor"

    run(scenario())


def test_unknown_methods_and_bad_params(node):
    async def scenario():
        async with rpc_app(node) as client:
            assert (await http_call(client, "chain_getNothing"))["error"] == {"code": -32601,
                                                                              "message": "Method not found"}
            reply = await http_call(client, "state_getStorage", [5])
            assert reply["error"]["code"] == -32602 and reply["error"]["message"] == "Invalid params"
            assert reply["error"]["data"] == "parameter 0 (key): invalid type: integer `5`, expected a hex string"
            reply = await http_call(client, "state_getStorage", [])
            assert reply["error"]["data"] == "missing value for required parameter 0 (key)"
            reply = await http_call(client, "chain_getHeader", ["0x1234"])
            assert "expected a 0x-prefixed hex string with length of 64" in reply["error"]["data"]
            reply = await http_call(client, "chain_getBlockHash", ["12"])
            assert reply["error"]["code"] == -32602
            reply = await http_call(client, "state_getKeysPaged", ["0x", -1])
            assert "expected u32" in reply["error"]["data"]
            reply = await http_call(client, "state_getStorage", "0x00")
            assert reply["error"]["data"] == 'invalid type: string "0x00", expected an array or an object'
            # named parameters (by the Rust parameter names)
            reply = await http_call(client, "chain_getBlockHash", {"hash": 0})
            assert reply["result"] == "0x" + node.info.genesis_hash.hex()

    run(scenario())


# -- HTTP transport


def test_http_methods_content_type_and_health(node):
    async def scenario():
        async with rpc_app(node) as client:
            response = await client.get("/")
            assert response.status == 405
            assert await response.text() == "Used HTTP Method is not allowed. POST is required\n"
            status, _, _ = await post_raw(client, b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                          {"Content-Type": "text/plain"})
            assert status == 415
            status, body, _ = await post_raw(client, b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                             {"Content-Type": "application/json; charset=utf-8"})
            assert status == 200 and orjson.loads(body)["result"] == "Bittensor"
            response = await client.get("/health")
            assert await response.json() == {"peers": 0, "isSyncing": False, "shouldHavePeers": False}
            assert (await client.get("/health/readiness")).status == 200
            # any path serves JSON-RPC, as jsonrpsee ignores it
            response = await client.post("/some/path", data=b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                         headers=JSON)
            assert (await response.json())["result"] == "Bittensor"

    run(scenario())


def test_subscriptions_need_a_websocket(node):
    async def scenario():
        async with rpc_app(node) as client:
            reply = await http_call(client, "chain_subscribeNewHeads")
            assert reply["error"] == {"code": -32603, "message": "Internal error"}
            reply = await http_call(client, "chain_unsubscribeNewHeads", ["abc"])
            assert reply["error"]["code"] == -32603

    run(scenario())


# -- limits


def test_oversized_requests(node):
    async def scenario():
        limits = ServerLimits(max_request_size=1000)
        async with rpc_app(node, limits=limits) as client:
            big = orjson.dumps({"jsonrpc": "2.0", "id": 1, "method": "state_getStorage", "params": ["00" * 600]})
            status, body, _ = await post_raw(client, big)
            assert status == 413
            assert orjson.loads(body) == {"jsonrpc": "2.0", "error": {
                "code": -32007, "message": "Request is too big", "data": "Exceeded max limit of 1000"}, "id": None}
            async with ws_client(client) as ws:
                await ws.send(big.decode())
                await ws._read()
                assert ws.raw[-1]["error"]["code"] == -32007
                assert await ws.result("system_chain") == "Bittensor"  # the connection carries on
            async with ws_client(client) as ws:
                await ws.ws.send_str("x" * 5000)  # over twice the limit: the socket is closed (1009)
                msg = await ws.ws.receive(timeout=5)
                assert msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
            assert (await http_call(client, "system_chain"))["result"] == "Bittensor"

    run(scenario())


def test_oversized_responses(node):
    async def scenario():
        async with rpc_app(node, limits=ServerLimits(max_response_size=2000)) as client:
            reply = await http_call(client, "state_getMetadata")
            assert reply["error"] == {"code": -32008, "message": "Response is too big",
                                      "data": "Exceeded max limit of 2000"}
            call = {"jsonrpc": "2.0", "id": 1, "method": "state_getRuntimeVersion"}
            _, body, _ = await post_raw(client, orjson.dumps([call] * 5))
            assert orjson.loads(body)["error"]["code"] == -32011

    run(scenario())


def test_connection_limit(node):
    async def scenario():
        async with rpc_app(node, limits=ServerLimits(max_connections=1)) as client:
            async with ws_client(client) as ws:
                assert await ws.result("system_chain") == "Bittensor"
                with pytest.raises(WSServerHandshakeError) as refused:
                    await client.ws_connect("/")
                assert refused.value.status == 429
                response = await client.post("/", data=b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                             headers=JSON)
                assert response.status == 429
            await asyncio.sleep(0.05)
            assert (await http_call(client, "system_chain"))["result"] == "Bittensor"

    run(scenario())


def test_subscription_limit_and_a_flood_leave_others_undisturbed(node):
    async def scenario():
        async with rpc_app(node, limits=ServerLimits(max_subscriptions_per_connection=3)) as client:
            async with ws_client(client) as flooder, ws_client(client) as other:
                ids = [await flooder.result("chain_subscribeNewHeads") for _ in range(3)]
                reply = await flooder.call("state_subscribeRuntimeVersion")
                assert reply["error"] == {"code": -32006, "message": "Too many subscriptions on the connection",
                                          "data": "Exceeded max limit of 3"}
                # a flood of subscribe requests, unread
                await flooder.send([{"jsonrpc": "2.0", "id": 1000 + i, "method": "chain_subscribeNewHeads"}
                                    for i in range(500)])
                assert await other.result("system_chain") == "Bittensor"
                other_sub = await other.result("chain_subscribeNewHeads")
                assert await flooder.result("chain_unsubscribeNewHeads", [ids[0]]) is True
                assert isinstance(await flooder.result("chain_subscribeNewHead"), str)
                await node.create_block(True, True, None)
                await other.next_notification(other_sub)
                assert (await other.next_notification(other_sub))["params"]["result"]["number"] == "0x1"

    run(scenario())


def test_a_lagging_subscriber_loses_the_subscription_not_the_connection():
    async def scenario():
        class NoWs:
            async def send_frame(self, *_):
                await asyncio.sleep(3600)

        conn = Connection(NoWs(), ServerLimits())  # type: ignore[arg-type]
        method = REGISTRY.get("chain_subscribeNewHeads").method

        async def endless():
            while True:
                yield {"n": 1}
                await asyncio.sleep(0)

        sub = conn.subscribe(method, endless())
        conn.start(sub)
        for _ in range(100):
            await asyncio.sleep(0)
        assert sub.id not in conn.subscriptions  # dropped after 16 unsent notifications
        assert sub.pending == SUBSCRIPTION_BUFFER
        for _i in range(MAX_QUEUED_RESPONSES + 1):
            conn.send(b"{}")
        assert conn.backlogged
        await conn.close()

    run(scenario())


def test_max_buffer_capacity_bounds_a_connections_unsent_messages():
    async def scenario():
        class NoWs:
            async def send_frame(self, *_):
                await asyncio.sleep(3600)

        conn = Connection(NoWs(), ServerLimits(max_buffer_capacity=4))  # type: ignore[arg-type]
        for _i in range(4):
            conn.send(b"{}")
        assert not conn.backlogged
        conn.send(b"{}")
        assert conn.backlogged
        await conn.close()

    run(scenario())


def test_unsent_bytes_bound_a_connection_and_its_subscriptions_and_close_frees_the_queue():
    from pysubtensor.rpc.server import MAX_QUEUED_BYTES

    async def scenario():
        class NoWs:
            async def send_frame(self, *_):
                await asyncio.sleep(3600)

        conn = Connection(NoWs(), ServerLimits(max_buffer_capacity=1000))  # type: ignore[arg-type]
        conn.send(b"x" * (MAX_QUEUED_BYTES // 2))
        conn.send(b"x" * (MAX_QUEUED_BYTES // 2))
        assert not conn.backlogged  # two messages of 1000, exactly at the byte bound
        method = REGISTRY.get("chain_subscribeNewHeads").method

        async def one():
            yield {"n": 1}
            await asyncio.sleep(3600)

        sub = conn.subscribe(method, one())
        conn.start(sub)
        for _ in range(10):
            await asyncio.sleep(0)
        assert sub.id not in conn.subscriptions  # a notification over the byte bound drops it
        conn.send(b"y")
        assert conn.backlogged and conn.queued == (3, MAX_QUEUED_BYTES + 1)
        await conn.close()
        assert conn.queued == (0, 0)  # nothing kept for a connection that is gone

    run(scenario())


def test_a_client_that_never_reads_is_disconnected(node, monkeypatch):
    import threading

    import pysubtensor.rpc.server as server_module
    from pysubtensor.rpc.server import _ENDPOINT_KEY, serve

    monkeypatch.setattr(server_module, "SLOW_READER_TIMEOUT", 0.5)
    request = b'{"jsonrpc":"2.0","id":1,"method":"state_getMetadata","params":[]}'
    done = threading.Event()

    def client(port):
        with socket.create_connection(("127.0.0.1", port)) as s:
            key = base64.b64encode(os.urandom(16)).decode()
            s.sendall(f"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
            head = b""
            while b"\r\n\r\n" not in head:
                head += s.recv(1)
            mask = os.urandom(4)
            frame = bytes([0x81, 0x80 | len(request)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(request))
            s.setblocking(False)
            sent = 0
            for _ in range(2000):
                try:
                    s.send(frame)
                    sent += 1
                except BlockingIOError:
                    break
            done.wait(20)  # the socket stays open and unread meanwhile
            return sent

    async def scenario():
        async with serve(node, (loopback(),), peer_id="12D3KooWSlow") as server:
            (_, port), = server.addresses
            endpoint = server._runners[0].app[_ENDPOINT_KEY]
            sending = asyncio.create_task(asyncio.to_thread(client, port))
            loop = asyncio.get_running_loop()
            start = loop.time()
            while endpoint.connections == 0 and loop.time() - start < 5:
                await asyncio.sleep(0.01)
            assert endpoint.connections == 1
            while endpoint.connections and loop.time() - start < 10:
                await asyncio.sleep(0.05)
            closed_after = loop.time() - start
            open_connections = endpoint.connections
            done.set()
            return await sending, closed_after, open_connections

    sent, closed_after, open_connections = run(scenario())
    assert sent > 100  # far more requests than the node answers before it stops reading
    assert open_connections == 0 and closed_after < 5, closed_after  # closed by the node; the client is still there


def test_rate_limit_is_a_per_minute_quota_with_a_burst_of_the_same_size():
    limit = RateLimit(3)  # one call per 20 s, three at once
    assert [limit.reserve(100.0) for _ in range(5)] == [0.0, 0.0, 0.0, 20.0, 40.0]
    assert limit.reserve(160.0) == 0.0  # the waiting calls ran at 120 and 140: a cell is free again
    assert limit.reserve(160.0) == 20.0


def test_rate_limit_delays_calls_over_the_quota_on_a_websocket(node):
    async def scenario():
        endpoint = dataclasses.replace(loopback(), rate_limit=120)  # a burst of 120, then one per 0.5 s
        async with rpc_app(node, endpoint, limits=ServerLimits.of(endpoint)) as client, \
                ws_client(client) as ws:
            loop = asyncio.get_running_loop()
            start = loop.time()
            for _ in range(120):
                await ws.result("system_chain")
            burst = loop.time() - start
            await ws.result("system_chain")
            await ws.result("system_chain")
            late = loop.time() - start
            # HTTP requests are not limited.
            for _ in range(5):
                assert (await http_call(client, "system_chain"))["result"] == "Bittensor"
        return burst, late

    burst, late = run(scenario())
    assert burst < 0.5 and 0.9 <= late < 3.0


# -- policy


def test_unsafe_methods_are_refused_unless_allowed(node):
    async def scenario():
        safe = RpcEndpoint(port=0, methods=RpcMethods.SAFE, cors=None)
        async with rpc_app(node, safe) as client:
            for method, params, code in (("author_insertKey", ["aura", "//Alice", "0x00"], -32601),
                                         ("engine_createBlock", [True, True, None], -32601),
                                         ("dev_newBlock", [], -32601),
                                         ("system_dryRun", ["0x00"], -32601),
                                         ("state_getPairs", ["0x"], 4003),
                                         ("state_queryStorage", [["0x"], "0x" + "00" * 32], 4003)):
                reply = await http_call(client, method, params)
                assert reply["error"] == {"code": code, "message": "RPC call is unsafe to be called externally"}, method
            async with ws_client(client) as ws:
                reply = await ws.call("state_subscribeStorage")  # every key: unsafe
                assert reply["error"]["message"] == "RPC call is unsafe to be called externally"
                assert isinstance(await ws.result("state_subscribeStorage", [["0x00"]]), str)
            # safe methods work, and unsafe ones stay listed
            assert "author_insertKey" in (await http_call(client, "rpc_methods"))["result"]["methods"]
        unsafe_external = RpcEndpoint(host="0.0.0.0", port=0, methods=RpcMethods.UNSAFE, cors=None)
        assert unsafe_external.allow_unsafe and loopback().allow_unsafe
        async with rpc_app(node, loopback()) as client:
            assert (await http_call(client, "author_hasKey", ["0x00", "aura"]))["result"] is False

    run(scenario())


def test_cors_and_host_filter(node):
    async def scenario():
        async with rpc_app(node) as client:  # --rpc-cors all
            _status, _, headers = await post_raw(client, b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                                {**JSON, "Origin": "https://polkadot.js.org"})
            assert headers["Access-Control-Allow-Origin"] == "*"
            response = await client.options("/", headers={"Origin": "https://example.com",
                                                          "Access-Control-Request-Method": "POST",
                                                          "Access-Control-Request-Headers": "content-type"})
            assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
            async with ws_client(client, origin="https://anywhere.example") as ws:
                assert await ws.result("system_chain") == "Bittensor"
        listed = loopback(cors=("http://localhost:*", "https://polkadot.js.org"))
        async with rpc_app(node, listed) as client:
            _, _, headers = await post_raw(client, b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                           {**JSON, "Origin": "http://localhost:3000"})
            assert headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
            _, _, headers = await post_raw(client, b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                           {**JSON, "Origin": "https://evil.example"})
            assert "Access-Control-Allow-Origin" not in headers
            response = await client.options("/", headers={"Origin": "https://polkadot.js.org",
                                                          "Access-Control-Request-Method": "POST",
                                                          "Access-Control-Request-Headers": "content-type"})
            assert response.headers["Access-Control-Allow-Origin"] == "https://polkadot.js.org"
            assert "POST" in response.headers["Access-Control-Allow-Methods"]
            with pytest.raises(WSServerHandshakeError) as refused:
                await client.ws_connect("/", origin="https://evil.example")
            assert refused.value.status == 403
            async with ws_client(client, origin="https://polkadot.js.org") as ws:
                assert await ws.result("system_chain") == "Bittensor"
            async with ws_client(client) as ws:  # no Origin: not a browser
                assert await ws.result("system_chain") == "Bittensor"
            # the host filter: only this port on localhost names
            response = await client.post("/", data=b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                         headers={**JSON, "Host": "attacker.example:80"})
            assert response.status == 403
            assert await response.text() == "Provided Host header is not whitelisted.\n"
            port = client.server.port
            response = await client.post("/", data=b'{"jsonrpc":"2.0","id":1,"method":"system_chain"}',
                                         headers={**JSON, "Host": f"localhost:{port}"})
            assert response.status == 200

    run(scenario())


def test_response_error_shape():
    assert ResponseError(1010, "Invalid Transaction", "Transaction is outdated").to_json() == {
        "code": 1010, "message": "Invalid Transaction", "data": "Transaction is outdated"}
    assert ResponseError(-32601, "Method not found").to_json() == {"code": -32601, "message": "Method not found"}


# -- serve(): the service's entry point


def test_serve_runs_a_site_per_endpoint_and_stops_with_open_sockets(node):
    import time

    import aiohttp

    from pysubtensor.rpc.server import serve

    async def scenario():
        endpoints = (loopback(), RpcEndpoint(port=0, methods=RpcMethods.SAFE, cors=None))
        async with aiohttp.ClientSession() as session:
            async with serve(node, endpoints, peer_id="12D3KooWServe") as server:
                assert len(server.addresses) == 2 and all(port > 0 for _, port in server.addresses)
                (_, dev_port), (_, safe_port) = server.addresses
                body = {"jsonrpc": "2.0", "id": 1, "method": "author_rotateKeys"}
                async with session.post(f"http://127.0.0.1:{dev_port}/", json=body) as response:
                    rotated = (await response.json())["result"]
                async with session.post(f"http://127.0.0.1:{safe_port}/", json=body) as response:
                    refused = (await response.json())["error"]["code"]
                ws = await session.ws_connect(f"ws://127.0.0.1:{dev_port}")
                await ws.send_json({"jsonrpc": "2.0", "id": 2, "method": "chain_subscribeNewHeads"})
                await ws.receive(timeout=5)
                await ws.receive(timeout=5)
                started = time.monotonic()
            stopped_in = time.monotonic() - started
            closed = await ws.receive(timeout=5)
            await ws.close()
            return rotated, refused, stopped_in, closed.type, node.subscriber_count

    rotated, refused, stopped_in, closed, subscribers = run(scenario())
    assert len(rotated) == 2 + 128 and refused == -32601
    assert stopped_in < 3 and closed in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING)
    assert subscribers == 0


def test_serve_fails_fast_on_a_taken_port_and_releases_the_sites_it_opened(node):
    import socket

    from pysubtensor.rpc.server import serve

    async def scenario():
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            with pytest.raises(OSError, match="address already in use"):
                async with serve(node, (loopback(), RpcEndpoint(port=taken.getsockname()[1]))):
                    pass
        return node.subscriber_count

    assert run(scenario()) == 0


# -- client faults: one rate-limited line, never a traceback


def _faults_logged(node, caplog, client) -> list:
    """Run `client(port)` (blocking socket code, in a thread) against a served endpoint and
    return the log records of the RPC layer and aiohttp at WARNING and above."""
    from pysubtensor.rpc.server import serve

    async def scenario():
        async with serve(node, (loopback(),), peer_id="12D3KooWFaults") as server:
            (_, port), = server.addresses
            await asyncio.to_thread(client, port)
            await asyncio.sleep(0.2)  # let the server finish with the dropped connections

    with caplog.at_level(logging.DEBUG):
        run(scenario())
    return [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(("rpc", "aiohttp"))]


def test_malformed_http_requests_log_one_line_without_traceback(node, caplog):
    def client(port):
        for _ in range(20):  # Content-Length and chunked at once: a request aiohttp refuses
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                assert s.recv(100).startswith(b"HTTP/1.0 400")

    records = _faults_logged(node, caplog, client)
    assert [r.getMessage() for r in records] == [
        "RPC client fault: malformed HTTP request (400: Transfer-Encoding can't be present with Content-Length:)"]
    assert all(r.exc_info is None for r in records)


def test_a_client_reset_while_pinging_logs_no_traceback(node, monkeypatch, caplog):
    from aiohttp import web

    async def reset(self, message=b""):  # the peer reset the connection before our pong
        raise ConnectionResetError("Cannot write to closing transport")

    monkeypatch.setattr(web.WebSocketResponse, "pong", reset)

    def client(port):
        for _ in range(10):
            with socket.create_connection(("127.0.0.1", port)) as s:
                key = base64.b64encode(os.urandom(16)).decode()
                s.sendall(f"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
                assert s.recv(500).startswith(b"HTTP/1.1 101")
                s.sendall(bytes([0x89, 0x80]) + os.urandom(4))  # a masked, empty ping
                s.settimeout(5)
                assert s.recv(100)[:1] == b"\x88"  # the server closes the connection (close frame)

    assert _faults_logged(node, caplog, client) == []


def test_client_faults_filter_keeps_our_own_errors_and_counts_what_it_left_out():
    from pysubtensor.rpc.server import ClientFaults

    faults = ClientFaults(interval=60.0)

    def record(error):
        return logging.LogRecord("rpc.http", logging.ERROR, __file__, 1, "Error handling request", (),
                                 (type(error), error, None))

    first, second, ours = record(ConnectionResetError()), record(ConnectionResetError()), record(KeyError("x"))
    assert faults.filter(first) and first.exc_info is None and first.levelno == logging.WARNING
    assert not faults.filter(second)  # within the interval: left out, counted
    assert faults.filter(ours) and ours.exc_info is not None and ours.levelno == logging.ERROR
    faults._last -= 61
    third = record(ConnectionResetError())
    assert faults.filter(third) and third.getMessage().endswith("1 more since the last such line")
