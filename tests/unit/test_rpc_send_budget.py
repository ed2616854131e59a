"""The bound on all WebSocket connections' unsent bytes (`rpc.server.SendBudget`): over it the
connection stalled the longest is closed and its queue freed; what is sent leaves the budget."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import threading

import pytest

import pysubtensor.runtime as runtime
from pysubtensor.rpc.server import (
    MAX_QUEUED_BYTES,
    MAX_QUEUED_BYTES_TOTAL,
    Connection,
    SendBudget,
    ServerLimits,
)
from tests.unit.test_rpc_fake_node import FakeNode, loopback, run

MiB = 1 << 20


class NeverReads:
    """A peer that never reads: each send waits for ever."""

    async def send_frame(self, *_):
        await asyncio.sleep(3600)


class Reads:
    """A peer that reads everything at once."""

    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def send_frame(self, body, *_):
        self.received.append(body)


def _connection(ws, budget, aborted: list[str], name: str) -> Connection:
    return Connection(ws, ServerLimits(max_buffer_capacity=1000), budget, lambda: aborted.append(name))


def test_the_budget_is_16_mib_and_more_than_a_connections_bound():
    assert MAX_QUEUED_BYTES_TOTAL == 16 * MiB
    assert SendBudget().limit == MAX_QUEUED_BYTES_TOTAL
    assert MAX_QUEUED_BYTES_TOTAL >= 8 * MAX_QUEUED_BYTES


def test_over_the_budget_the_connection_stalled_longest_is_closed_and_freed():
    async def scenario():
        budget = SendBudget(3 * MiB)
        aborted: list[str] = []
        first = _connection(NeverReads(), budget, aborted, "first")
        second = _connection(NeverReads(), budget, aborted, "second")
        reader = _connection(NeverReads(), budget, aborted, "reader")
        first.send(b"x" * (MiB + 1))  # over its own bound: stalled first
        await asyncio.sleep(0.01)
        second.send(b"y" * (MiB + 2))  # stalled later
        reader.send(b"z" * (MiB // 2))  # within its bound: not stalled
        assert first.backlogged and second.backlogged and not reader.backlogged
        assert budget.total == 2 * MiB + 3 + MiB // 2 and aborted == []
        reader.send(b"z" * (MiB // 2 + 10))  # the total passes 3 MiB
        assert aborted == ["first"]
        assert first.queued == (0, 0) and not first.backlogged
        assert first not in budget.connections
        assert budget.total == second.queued[1] + reader.queued[1] <= budget.limit
        first.send(b"after")  # a shed connection queues nothing more
        assert first.queued == (0, 0) and budget.total == second.queued[1] + reader.queued[1]
        for conn in (second, reader):
            await conn.close()
        assert budget.total == 0 and not budget.connections

    run(scenario())


def test_with_no_stalled_connection_the_one_holding_most_is_closed():
    async def scenario():
        budget = SendBudget(MiB)
        aborted: list[str] = []
        small = _connection(NeverReads(), budget, aborted, "small")
        large = _connection(NeverReads(), budget, aborted, "large")
        small.send(b"s" * 1000)
        large.send(b"l" * (MiB - 1000))
        assert aborted == []
        small.send(b"s")
        assert aborted == ["large"] and budget.total == 1001
        await small.close()

    run(scenario())


def test_a_message_counts_until_the_socket_takes_it_and_sent_bytes_leave_the_budget():
    async def scenario():
        budget = SendBudget()
        stuck = Connection(NeverReads(), ServerLimits(), budget)
        writer = asyncio.get_running_loop().create_task(stuck.run_writer())
        stuck.send(b"a" * 1000)
        await asyncio.sleep(0.01)  # the writer took it and waits on the socket
        assert stuck.queued == (0, 1000) and budget.total == 1000
        peer = Reads()
        fast = Connection(peer, ServerLimits(), budget)
        fast_writer = asyncio.get_running_loop().create_task(fast.run_writer())
        for i in range(100):
            fast.send(b"b" * (i + 1))
        await asyncio.sleep(0.01)
        assert len(peer.received) == 100 and fast.queued == (0, 0)
        assert budget.total == 1000  # only the stuck connection's message is left
        for conn, task in ((stuck, writer), (fast, fast_writer)):
            await conn.close()
            task.cancel()
        assert budget.total == 0

    run(scenario())


@pytest.fixture
def node():
    yield FakeNode()
    runtime.wire()


def _never_reading_client(port: int, requests: int, done: threading.Event) -> int:
    request = b'{"jsonrpc":"2.0","id":1,"method":"state_getMetadata","params":[]}'
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall(f"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(1)
        mask = os.urandom(4)
        frame = bytes([0x81, 0x80 | len(request)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(request))
        s.sendall(frame * requests)  # in one write: the node reads them all before answering any
        done.wait(20)  # open and unread meanwhile
        return requests


def test_a_server_over_its_budget_sheds_a_client_that_never_reads_and_answers_nothing_more(node):
    from pysubtensor.rpc.server import _ENDPOINT_KEY, serve

    done = threading.Event()

    async def scenario():
        async with serve(node, (loopback(),), peer_id="12D3KooWShed") as server:
            (_, port), = server.addresses
            endpoint = server._runners[0].app[_ENDPOINT_KEY]
            assert endpoint.budget is server.budget
            server.budget.limit = 200_000  # less than two metadata answers
            calls = []
            handle = endpoint.dispatcher.handle
            endpoint.dispatcher.handle = lambda data, conn: calls.append(data) or handle(data, conn)
            sending = asyncio.create_task(asyncio.to_thread(_never_reading_client, port, 200, done))
            loop = asyncio.get_running_loop()
            start = loop.time()
            while not (server.budget.shed_count and not endpoint.connections) and loop.time() - start < 15:
                await asyncio.sleep(0.01)
            closed_after = loop.time() - start
            open_connections, answered = endpoint.connections, len(calls)
            await asyncio.sleep(0.3)
            later = len(calls)
            budget_left = server.budget.total
            done.set()
            return await sending, closed_after, open_connections, answered, later, budget_left, server.budget.shed_count

    sent, closed_after, open_connections, answered, later, budget_left, shed = run(scenario())
    assert sent == 200
    assert shed == 1 and open_connections == 0 and closed_after < 15  # shed, not closed after 30 s
    assert answered < 10 and later == answered  # the rest of its requests were never dispatched
    assert budget_left == 0


def test_notifications_count_in_the_budget():
    from pysubtensor.rpc.methods import REGISTRY

    async def scenario():
        budget = SendBudget(MiB + MiB // 2)
        aborted: list[str] = []
        stalled = _connection(NeverReads(), budget, aborted, "stalled")
        stalled.send(b"x" * (MiB + 1))
        assert stalled.backlogged
        subscriber = _connection(NeverReads(), budget, aborted, "subscriber")

        async def large():
            for _ in range(3):
                yield {"n": "y" * (MiB // 3)}
            await asyncio.sleep(3600)

        sub = subscriber.subscribe(REGISTRY.get("chain_subscribeNewHeads").method, large())
        subscriber.start(sub)
        for _ in range(20):
            await asyncio.sleep(0)
        assert aborted == ["stalled"]  # the second notification took the total over 1.5 MiB
        assert budget.total == subscriber.queued[1] > 2 * (MiB // 3)
        await subscriber.close()
        assert budget.total == 0

    run(scenario())
