"""The new JSON-RPC spec groups served natively: transaction_v1, transactionWatch_v1 and
chainHead_v1 (rpc/transaction_v1.py, rpc/chain_head_v1.py), over WebSocket against the fake
node with the real runtime: every method, every event shape, the errors, pinning, limits.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import pysubtensor.runtime as runtime
from pysubtensor.primitives.hashing import blake2_128, blake2_256, storage_prefix
from pysubtensor.primitives.header import Header
from pysubtensor.rpc import chain_head_v1
from pysubtensor.runtime.version import VERSION
from tests.unit.test_rpc_fake_node import ALICE, FakeNode, rpc_app, run, ws_client


@pytest.fixture
def node():
    yield FakeNode()
    runtime.wire()


def h(data: bytes) -> str:
    return "0x" + data.hex()


ACCOUNT_PREFIX = storage_prefix("System", "Account")


async def follow(ws: Any, with_runtime: bool = True) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """Follow; the initialized event and the events after it up to the first bestBlockChanged."""
    sub = await ws.result("chainHead_v1_follow", [with_runtime])
    initialized = (await ws.next_notification(sub))["params"]["result"]
    rest = []
    while True:
        event = (await ws.next_notification(sub))["params"]["result"]
        rest.append(event)
        if event["event"] == "bestBlockChanged":
            return sub, initialized, rest


async def next_event(ws: Any, sub: str) -> dict[str, Any]:
    note = await ws.next_notification(sub)
    assert note["method"] == "chainHead_v1_followEvent" or note["method"] == "transactionWatch_v1_watchEvent"
    return note["params"]["result"]


async def until(ws: Any, sub: str, name: str, operation_id: str | None = None) -> dict[str, Any]:
    while True:
        event = await next_event(ws, sub)
        if event["event"] == name and (operation_id is None or event.get("operationId") == operation_id):
            return event


# ---------------------------------------------------------------------------
# transaction_v1


def test_transaction_broadcast_and_stop(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            xt = node.sign_transfer(nonce=0)
            op = await ws.result("transaction_v1_broadcast", [h(xt)])
            await asyncio.sleep(0.05)
            pending = list(node.pending_extrinsics())
            bad_op = await ws.result("transaction_v1_broadcast", ["0x1234"])  # undecodable: given up silently
            await asyncio.sleep(0.05)
            pending_after_bad = list(node.pending_extrinsics())
            stopped = await ws.call("transaction_v1_stop", [op])
            again = await ws.call("transaction_v1_stop", [op])
            unknown = await ws.call("transaction_v1_stop", ["no-such-operation"])
            bad_stopped = await ws.call("transaction_v1_stop", [bad_op])
            return xt, op, bad_op, pending, pending_after_bad, stopped, again, unknown, bad_stopped

    xt, op, bad_op, pending, pending_after_bad, stopped, again, unknown, bad_stopped = run(scenario())
    assert isinstance(op, str) and isinstance(bad_op, str) and op != bad_op
    assert pending == [xt] and pending_after_bad == [xt]
    assert stopped == {"jsonrpc": "2.0", "result": None, "id": stopped["id"]}
    assert bad_stopped["result"] is None
    for reply in (again, unknown):
        assert reply["error"] == {"code": -32602, "message": "Invalid operation id"}


def test_transaction_watch_to_finalized(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            xt = node.sign_transfer(nonce=0)
            sub = await ws.result("transactionWatch_v1_submitAndWatch", [h(xt)])
            validated = await next_event(ws, sub)
            created = await ws.result("engine_createBlock", [False, False, None])
            included = await next_event(ws, sub)
            await ws.result("engine_finalizeBlock", [created["hash"], None])
            finalized = await next_event(ws, sub)
            quiet = await ws.quiet(sub)
            ended = await ws.result("transactionWatch_v1_unwatch", [sub])  # the stream is over
            index = node.body(bytes.fromhex(created["hash"][2:])).index(xt)
            return sub, validated, created, included, finalized, quiet, ended, index

    sub, validated, created, included, finalized, quiet, ended, index = run(scenario())
    assert isinstance(sub, str)
    assert validated == {"event": "validated"}
    assert included == {"event": "bestChainBlockIncluded", "block": {"hash": created["hash"], "index": index}}
    assert finalized == {"event": "finalized", "block": {"hash": created["hash"], "index": index}}
    assert index >= 1  # after the timestamp inherent
    assert quiet and ended is False


def test_transaction_watch_invalid_and_unwatch(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            bad = await ws.result("transactionWatch_v1_submitAndWatch", ["0x1234"])
            bad_event = await next_event(ws, bad)
            stale_sub = await ws.result("transactionWatch_v1_submitAndWatch", [h(node.sign_transfer(nonce=0))])
            await next_event(ws, stale_sub)
            unwatched = await ws.result("transactionWatch_v1_unwatch", [stale_sub])
            await ws.result("engine_createBlock", [False, True, None])
            quiet = await ws.quiet(stale_sub)
            # the same transaction again, now that its nonce is used: invalid (stale)
            stale = await ws.result("transactionWatch_v1_submitAndWatch", [h(node.sign_transfer(nonce=0))])
            stale_event = await next_event(ws, stale)
            bad_params = await ws.call("transactionWatch_v1_submitAndWatch", [5])
            return bad_event, unwatched, quiet, stale_event, bad_params

    bad_event, unwatched, quiet, stale_event, bad_params = run(scenario())
    assert bad_event["event"] == "invalid" and isinstance(bad_event["error"], str)
    assert unwatched is True and quiet
    assert stale_event["event"] == "invalid" and "outdated" in stale_event["error"]
    assert bad_params["error"]["code"] == -32602


# ---------------------------------------------------------------------------
# chainHead_v1: follow events


def test_follow_initialized_new_block_best_and_finalized(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            await ws.result("engine_createBlock", [True, False, None])  # #1, not final
            sub, initialized, rest = await follow(ws)
            created = await ws.result("engine_createBlock", [True, False, None])  # #2
            new_block = await next_event(ws, sub)
            best = await next_event(ws, sub)
            await ws.result("engine_finalizeBlock", [created["hash"], None])
            finalized = [await next_event(ws, sub)]  # the node reports each finalized block in turn
            while created["hash"] not in finalized[-1]["finalizedBlockHashes"]:
                finalized.append(await next_event(ws, sub))
            _, plain_init, plain_rest = await follow(ws, with_runtime=False)
            return initialized, rest, created, new_block, best, finalized, plain_init, plain_rest

    initialized, rest, created, new_block, best, finalized, plain_init, plain_rest = run(scenario())
    genesis, one = node.canonical[0], node.canonical[1]
    assert initialized == {
        "event": "initialized", "finalizedBlockHashes": [h(genesis)],
        "finalizedBlockRuntime": {"type": "valid", "spec": {
            "specName": VERSION.spec_name, "implName": VERSION.impl_name, "specVersion": VERSION.spec_version,
            "implVersion": VERSION.impl_version, "transactionVersion": VERSION.transaction_version,
            "apis": {h(api_id): version for api_id, version in VERSION.apis}}}}
    assert isinstance(initialized["finalizedBlockRuntime"]["spec"]["apis"], dict)
    assert rest == [
        {"event": "newBlock", "blockHash": h(one), "parentBlockHash": h(genesis), "newRuntime": None},
        {"event": "bestBlockChanged", "bestBlockHash": h(one)}]
    assert new_block == {"event": "newBlock", "blockHash": created["hash"], "parentBlockHash": h(one),
                         "newRuntime": None}
    assert best == {"event": "bestBlockChanged", "bestBlockHash": created["hash"]}
    assert all(set(e) == {"event", "finalizedBlockHashes", "prunedBlockHashes"} and e["event"] == "finalized"
               and e["prunedBlockHashes"] == [] for e in finalized)
    assert [x for e in finalized for x in e["finalizedBlockHashes"]] == [h(one), created["hash"]]
    # without runtime: no runtime fields at all
    assert plain_init == {"event": "initialized", "finalizedBlockHashes": [created["hash"]]}
    assert plain_rest == [{"event": "bestBlockChanged", "bestBlockHash": created["hash"]}]


def test_follow_header_body_call(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            xt = node.sign_transfer(nonce=0)
            node.submit_extrinsic(xt)
            created = await ws.result("engine_createBlock", [False, True, None])
            sub, _, _ = await follow(ws)
            block = created["hash"]
            header = await ws.result("chainHead_v1_header", [sub, block])
            body = await ws.result("chainHead_v1_body", [sub, block])
            body_done = await until(ws, sub, "operationBodyDone", body["operationId"])
            call = await ws.result("chainHead_v1_call", [sub, block, "Core_version", ""])
            call_done = await until(ws, sub, "operationCallDone", call["operationId"])
            failing = await ws.result("chainHead_v1_call", [sub, block, "No_such_api", "0x"])
            call_error = await until(ws, sub, "operationError", failing["operationId"])
            unpinned = await ws.call("chainHead_v1_header", [sub, "0x" + "11" * 32])
            unpinned_body = await ws.call("chainHead_v1_body", [sub, "0x" + "11" * 32])
            no_sub_header = await ws.call("chainHead_v1_header", ["nope", block])
            no_sub_body = await ws.result("chainHead_v1_body", ["nope", block])
            no_sub_call = await ws.result("chainHead_v1_call", ["nope", block, "Core_version", "0x"])
            plain, _, _ = await follow(ws, with_runtime=False)
            no_runtime_call = await ws.call("chainHead_v1_call", [plain, block, "Core_version", "0x"])
            return (xt, block, header, body, body_done, call, call_done, call_error, unpinned, unpinned_body,
                    no_sub_header, no_sub_body, no_sub_call, no_runtime_call)

    (xt, block, header, body, body_done, call, call_done, call_error, unpinned, unpinned_body, no_sub_header,
     no_sub_body, no_sub_call, no_runtime_call) = run(scenario())
    raw = bytes.fromhex(block[2:])
    assert header == h(node.header(raw).encode()) and Header.decode(bytes.fromhex(header[2:])).hash == raw
    assert body == {"result": "started", "operationId": body["operationId"]}
    assert isinstance(body["operationId"], str)
    assert body_done == {"event": "operationBodyDone", "operationId": body["operationId"],
                         "value": [h(x) for x in node.body(raw)]}
    assert h(xt) in body_done["value"]
    assert call == {"result": "started", "operationId": call["operationId"]}
    assert call_done == {"event": "operationCallDone", "operationId": call["operationId"],
                         "output": h(node.runtime_call(raw, "Core_version", b""))}
    assert set(call_error) == {"event", "operationId", "error"} and isinstance(call_error["error"], str)
    assert unpinned["error"] == {"code": -32801, "message": "Invalid block hash"}
    assert unpinned_body["error"]["code"] == -32801
    assert no_sub_header["result"] is None
    assert no_sub_body == no_sub_call == {"result": "limitReached"}
    assert no_runtime_call["error"]["code"] == -32802


def test_follow_storage_items(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            sub, initialized, _ = await follow(ws)
            block = initialized["finalizedBlockHashes"][0]
            alice = ACCOUNT_PREFIX + blake2_128(ALICE.account_id) + ALICE.account_id
            items = [{"key": h(alice), "type": "value"}, {"key": h(alice), "type": "hash"},
                     {"key": h(b"\xff\xfe-missing"), "type": "value"},
                     {"key": h(ACCOUNT_PREFIX), "type": "closestDescendantMerkleValue"},
                     {"key": h(ACCOUNT_PREFIX), "type": "descendantsValues"},
                     {"key": h(ACCOUNT_PREFIX), "type": "descendantsHashes"}]
            started = await ws.result("chainHead_v1_storage", [sub, block, items, None])
            got: list[dict[str, Any]] = []
            while True:
                event = await next_event(ws, sub)
                if event["event"] == "operationStorageItems":
                    assert event["operationId"] == started["operationId"]
                    got.extend(event["items"])
                elif event["event"] == "operationStorageDone":
                    done = event
                    break
            bad_type = await ws.call("chainHead_v1_storage", [sub, block, [{"key": "0x00", "type": "nope"}], None])
            return block, alice, started, got, done, bad_type

    block, alice, started, got, done, bad_type = run(scenario())
    raw = bytes.fromhex(block[2:])
    assert started == {"result": "started", "operationId": started["operationId"], "discardedItems": 0}
    assert done == {"event": "operationStorageDone", "operationId": started["operationId"]}
    value = node.storage(raw, alice)
    accounts = node.storage_keys(raw, ACCOUNT_PREFIX)
    assert len(accounts) > 1
    expected = [{"key": h(alice), "value": h(value)}, {"key": h(alice), "hash": h(blake2_256(value))}]
    assert got[:2] == expected
    merkle = got[2]
    assert set(merkle) == {"key", "closestDescendantMerkleValue"} and merkle["key"] == h(ACCOUNT_PREFIX)
    assert got[3:3 + len(accounts)] == [{"key": h(k), "value": h(node.storage(raw, k))} for k in accounts]
    assert got[3 + len(accounts):] == [{"key": h(k), "hash": h(blake2_256(node.storage(raw, k)))} for k in accounts]
    assert bad_type["error"]["code"] == -32602


def test_storage_waits_for_continue_and_stop_operation(node, monkeypatch):
    monkeypatch.setattr(chain_head_v1, "STORAGE_ITEMS_PER_EVENT", 1)
    monkeypatch.setattr(chain_head_v1, "STORAGE_ITEMS_BEFORE_CONTINUE", 1)

    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            sub, initialized, _ = await follow(ws)
            block = initialized["finalizedBlockHashes"][0]
            query = [{"key": h(ACCOUNT_PREFIX), "type": "descendantsHashes"}]
            started = await ws.result("chainHead_v1_storage", [sub, block, query])
            op = started["operationId"]
            first = await next_event(ws, sub)
            waiting = await next_event(ws, sub)
            cont = await ws.result("chainHead_v1_continue", [sub, op])
            second = await next_event(ws, sub)
            waiting2 = await next_event(ws, sub)
            stopped = await ws.result("chainHead_v1_stopOperation", [sub, op])
            quiet = await ws.quiet(sub)
            gone = await ws.result("chainHead_v1_continue", [sub, op])  # no such operation: no effect
            # an operation that does not wait for continue (operation ids count up per subscription;
            # in one batch the continue is handled before the body operation runs)
            body_id = str(int(op) + 1)
            await ws.send([{"jsonrpc": "2.0", "id": 900, "method": "chainHead_v1_body", "params": [sub, block]},
                           {"jsonrpc": "2.0", "id": 901, "method": "chainHead_v1_continue", "params": [sub, body_id]}])
            while 901 not in ws.replies:
                await ws._read()
            assert ws.replies.pop(900)["result"]["operationId"] == body_id
            bad_continue = ws.replies.pop(901)
            await until(ws, sub, "operationBodyDone", body_id)
            no_sub = await ws.result("chainHead_v1_continue", ["nope", op])
            unknown_stop = await ws.result("chainHead_v1_stopOperation", [sub, "999"])
            return op, first, waiting, cont, second, waiting2, stopped, quiet, gone, bad_continue, no_sub, unknown_stop

    (op, first, waiting, cont, second, waiting2, stopped, quiet, gone, bad_continue, no_sub,
     unknown_stop) = run(scenario())
    assert first["event"] == "operationStorageItems" and len(first["items"]) == 1
    assert waiting == {"event": "operationWaitingForContinue", "operationId": op}
    assert cont is None and stopped is None and gone is None and no_sub is None and unknown_stop is None
    assert second["event"] == "operationStorageItems" and second["items"] != first["items"]
    assert waiting2 == waiting
    assert quiet
    assert bad_continue["error"]["code"] == -32803


def test_operation_limit(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            sub, initialized, _ = await follow(ws)
            block = initialized["finalizedBlockHashes"][0]
            batch = [{"jsonrpc": "2.0", "id": 100 + i, "method": "chainHead_v1_body", "params": [sub, block]}
                     for i in range(chain_head_v1.MAX_OPERATIONS + 1)]
            await ws.send(batch)
            while not all(100 + i in ws.replies for i in range(len(batch))):
                await ws._read()
            replies = [ws.replies.pop(100 + i)["result"] for i in range(len(batch))]
            items = [{"key": h(ACCOUNT_PREFIX + bytes([i])), "type": "value"} for i in range(20)]
            storage = await ws.result("chainHead_v1_storage", [sub, block, items, None])
            return replies, storage

    replies, storage = run(scenario())
    assert all(r["result"] == "started" for r in replies[:-1])
    assert len({r["operationId"] for r in replies[:-1]}) == chain_head_v1.MAX_OPERATIONS
    assert replies[-1] == {"result": "limitReached"}
    # once those finished, a storage call with more items than slots discards the excess
    assert storage["result"] == "started" and storage["discardedItems"] == 20 - chain_head_v1.MAX_OPERATIONS


def test_unpin_and_unfollow(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            await ws.result("engine_createBlock", [True, False, None])
            sub, initialized, rest = await follow(ws)
            genesis = initialized["finalizedBlockHashes"][0]
            one = rest[0]["blockHash"]
            duplicate = await ws.call("chainHead_v1_unpin", [sub, [one, one]])
            unknown = await ws.call("chainHead_v1_unpin", [sub, "0x" + "22" * 32])
            single = await ws.result("chainHead_v1_unpin", [sub, genesis])
            header_after = await ws.call("chainHead_v1_header", [sub, genesis])
            many = await ws.result("chainHead_v1_unpin", [sub, [one]])
            again = await ws.call("chainHead_v1_unpin", [sub, [one]])
            unfollowed = await ws.result("chainHead_v1_unfollow", [sub])
            after = await ws.result("chainHead_v1_header", [sub, one])
            unpin_after = await ws.result("chainHead_v1_unpin", [sub, one])
            twice = await ws.result("chainHead_v1_unfollow", [sub])
            await ws.result("engine_createBlock", [True, True, None])
            quiet = await ws.quiet(sub)
            return duplicate, unknown, single, header_after, many, again, unfollowed, after, unpin_after, twice, quiet

    duplicate, unknown, single, header_after, many, again, unfollowed, after, unpin_after, twice, quiet = run(scenario())
    assert duplicate["error"]["code"] == -32804
    assert unknown["error"]["code"] == -32801
    assert single is None and many is None
    assert header_after["error"]["code"] == -32801 and again["error"]["code"] == -32801
    assert unfollowed is True and twice is False
    assert after is None and unpin_after is None
    assert quiet
    assert not chain_head_v1._SESSIONS


def test_too_many_pinned_blocks_stops(node, monkeypatch):
    monkeypatch.setattr(chain_head_v1, "MAX_PINNED_BLOCKS", 3)

    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            sub, _, _ = await follow(ws)
            events = []
            for _ in range(3):
                await ws.result("engine_createBlock", [True, True, None])
            while True:
                event = await next_event(ws, sub)
                events.append(event)
                if event["event"] == "stop":
                    break
            quiet = await ws.quiet(sub)
            header = await ws.result("chainHead_v1_header", [sub, events[0]["blockHash"]])
            return events, quiet, header

    events, quiet, header = run(scenario())
    assert events[-1] == {"event": "stop"}
    assert [e["event"] for e in events].count("newBlock") == 3
    assert quiet and header is None


def test_follow_reports_set_head_as_best_and_closes_on_disconnect(node):
    async def scenario():
        async with rpc_app(node) as client:
            async with ws_client(client) as ws:
                await ws.result("engine_createBlock", [True, False, None])
                await ws.result("engine_createBlock", [True, False, None])
                sub, _, rest = await follow(ws)
                one = rest[0]["blockHash"]
                await ws.result("dev_setHead", [1])
                best = await next_event(ws, sub)
                live = node.subscriber_count
            await asyncio.sleep(0.1)
            return one, best, live, node.subscriber_count, dict(chain_head_v1._SESSIONS)

    one, best, live, after, sessions = run(scenario())
    assert best == {"event": "bestBlockChanged", "bestBlockHash": one}
    assert live >= 2 and after == 0 and sessions == {}
