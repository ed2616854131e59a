"""The JSON-RPC server on the real node, in process: `node.service.Node` (dev chain, 250 ms
blocks, LevelDB in a temporary directory) behind `rpc.server.serve(node, config)` with two
endpoints (a dev one and a `methods=safe` one), driven from the test thread by
substrate-interface 1.8.1 and by raw HTTP and WebSocket JSON-RPC.

substrate-interface: connect, V14 metadata, `System.Account`, `query_map`, a transfer with
`wait_for_inclusion` and `wait_for_finalization` (events, fee), `get_block`, `runtime_call`,
and a failing extrinsic whose receipt names the module error. Raw RPC: headers of real
(Aura-sealed) blocks re-hash to their hashes, read proofs verify against the real state
root, unknown blocks give Substrate's errors, the storage subscription starts with the
current value and follows a transfer, and the safe endpoint refuses unsafe methods.
"""

from __future__ import annotations

import asyncio
import functools
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from substrateinterface import Keypair, SubstrateInterface
from websocket import create_connection

from pysubtensor.node.cli import build_parser, chain_genesis
from pysubtensor.node.config import config_from_args, resolve_chain
from pysubtensor.node.db import ChainDB
from pysubtensor.node.service import Node
from pysubtensor.node.state.proof import verify_read_proof
from pysubtensor.primitives.header import DIGEST_ITEM, Digest, Header
from pysubtensor.rpc.server import serve

AMOUNT = 1_000_000_000
ALICE_ACCOUNT_KEY = ("0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
                     "de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")


@functools.cache
def _dev_genesis() -> Any:
    return chain_genesis(resolve_chain("dev"))


class LiveNode:
    """The node and its RPC server on an event loop in a background thread."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.ports: list[int] = []
        self.node: Node | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="live-node", daemon=True)

    def start(self) -> LiveNode:
        self._thread.start()
        if not self._ready.wait(60):
            raise RuntimeError("the node did not start within 60 s")
        if self._error is not None:
            raise RuntimeError(f"the node failed to start: {self._error!r}")
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as e:  # reported to the test thread
            self._error = e
            self._ready.set()

    async def _main(self) -> None:
        argv = ["--dev", "--no-prometheus", "--rpc-port", "0",
                "--experimental-rpc-endpoint", "listen-addr=127.0.0.1:0",
                "--experimental-rpc-endpoint", "listen-addr=127.0.0.1:0,methods=safe"]
        config = config_from_args(build_parser().parse_args(argv))
        genesis = _dev_genesis()
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        with ChainDB.open(self.base / "db") as db:
            db.init_genesis(genesis.header, genesis.raw.top, genesis.raw.children_default, genesis.state_version)
            async with Node.start(config, db) as node, serve(node, config) as server:
                self.node = node
                self.ports = [port for _, port in server.addresses]
                self._ready.set()
                await self._stop.wait()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def url(self, scheme: str = "ws", endpoint: int = 0) -> str:
        return f"{scheme}://127.0.0.1:{self.ports[endpoint]}"

    def rpc(self, method: str, params: list | None = None, endpoint: int = 0) -> dict[str, Any]:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
        request = urllib.request.Request(self.url("http", endpoint), data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def result(self, method: str, params: list | None = None) -> Any:
        reply = self.rpc(method, params)
        assert "error" not in reply, reply
        return reply["result"]

    def wait_for_blocks(self, count: int = 1, timeout: float = 20.0) -> int:
        start = int(self.result("chain_getHeader")["number"], 16)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            number = int(self.result("chain_getHeader")["number"], 16)
            if number >= start + count:
                return number
            time.sleep(0.05)
        raise AssertionError(f"no {count} new blocks in {timeout} s")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveNode]:
    node = LiveNode(tmp_path_factory.mktemp("rpc-node")).start()
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="module")
def si(live: LiveNode) -> Iterator[SubstrateInterface]:
    substrate = SubstrateInterface(url=live.url(), ss58_format=42)
    yield substrate
    substrate.close()


@pytest.fixture(scope="module")
def keys() -> dict[str, Keypair]:
    return {name: Keypair.create_from_uri(f"//{name}") for name in ("Alice", "Bob", "Charlie", "Dave")}


def header_from_json(value: dict[str, Any]) -> Header:
    logs = [DIGEST_ITEM.decode_all(bytes.fromhex(log[2:])) for log in value["digest"]["logs"]]
    return Header(bytes.fromhex(value["parentHash"][2:]), int(value["number"], 16),
                  bytes.fromhex(value["stateRoot"][2:]), bytes.fromhex(value["extrinsicsRoot"][2:]), Digest(logs))


# -- substrate-interface 1.8.1


def test_substrate_interface_reads(si, keys):
    si.init_runtime()
    assert si.chain == "Bittensor"
    assert si.metadata.value[1].keys() == {"V14"}
    alice = si.query("System", "Account", [keys["Alice"].ss58_address]).value
    assert alice["data"]["free"] > 0 and set(alice) >= {"nonce", "data"}
    accounts = {k.value for k, _ in si.query_map("System", "Account", page_size=2)}
    assert {keys[n].ss58_address for n in ("Alice", "Bob", "Charlie")} <= accounts
    nonce = si.runtime_call("AccountNonceApi", "account_nonce", [keys["Alice"].ss58_address]).value
    assert nonce == alice["nonce"]


def test_substrate_interface_transfer_and_block(si, keys):
    call = si.compose_call("Balances", "transfer_keep_alive", {"dest": keys["Dave"].ss58_address, "value": AMOUNT})
    ext = si.create_signed_extrinsic(call=call, keypair=keys["Bob"], era={"period": 64})
    receipt = si.submit_extrinsic(ext, wait_for_inclusion=True, wait_for_finalization=True)
    assert receipt.is_success, receipt.error_message
    events = [f"{e.value['module_id']}.{e.value['event_id']}" for e in receipt.triggered_events]
    assert "Balances.Transfer" in events and events[-1] == "System.ExtrinsicSuccess"
    fee = receipt.total_fee_amount
    paid = [e.value["attributes"] for e in receipt.triggered_events
            if e.value["event_id"] == "TransactionFeePaid"]
    assert fee > 0 and paid and paid[0]["actual_fee"] == fee
    block = si.get_block(block_hash=receipt.block_hash)
    assert block["header"]["hash"] == receipt.block_hash
    assert receipt.extrinsic_hash in ["0x" + x.extrinsic_hash.hex() for x in block["extrinsics"] if x.extrinsic_hash]
    finalized = si.get_block_header(si.get_chain_finalised_head())["header"]["number"]
    assert finalized >= block["header"]["number"]


def test_substrate_interface_failing_extrinsic_names_the_module_error(si, keys):
    call = si.compose_call("System", "apply_authorized_upgrade", {"code": "0x00"})
    ext = si.create_signed_extrinsic(call=call, keypair=keys["Charlie"], era={"period": 64})
    receipt = si.submit_extrinsic(ext, wait_for_inclusion=True)
    assert receipt.is_success is False
    assert receipt.error_message["type"] == "Module" and receipt.error_message["name"] == "NothingAuthorized"


# -- raw JSON-RPC on the real node


def test_real_headers_rehash_and_blocks_carry_their_extrinsics(live):
    live.wait_for_blocks(2)
    best = live.result("chain_getBlockHash")
    header = live.result("chain_getHeader", [best])
    assert [log[:4] for log in header["digest"]["logs"]] == ["0x06", "0x05"]  # Aura PreRuntime, Seal
    assert "0x" + header_from_json(header).hash.hex() == best
    block = live.result("chain_getBlock", [best])
    assert block["block"]["header"] == header and block["justifications"] is None
    assert all(x.startswith("0x") for x in block["block"]["extrinsics"]) and block["block"]["extrinsics"]
    assert live.result("chain_getBlockHash", [int(header["number"], 16)]) == best
    assert live.result("chain_getBlockHash", [[0]]) == [live.result("chainSpec_v1_genesisHash")]


def test_read_proof_verifies_against_the_real_state_root(live):
    best = live.result("chain_getHead")
    proof = live.result("state_getReadProof", [[ALICE_ACCOUNT_KEY], best])
    root = bytes.fromhex(live.result("chain_getHeader", [best])["stateRoot"][2:])
    key = bytes.fromhex(ALICE_ACCOUNT_KEY[2:])
    values = verify_read_proof(root, [bytes.fromhex(p[2:]) for p in proof["proof"]], [key])
    assert "0x" + values[key].hex() == live.result("state_getStorage", [ALICE_ACCOUNT_KEY, best])


def test_child_read_proof_proves_absence_against_the_real_state_root(live):
    """The dev chain has no child tries: the proof must show that, verifiably."""
    from pysubtensor.node.state.proof import verify_child_read_proof

    best = live.result("chain_getHead")
    child = b":child_storage:default:" + b"no-such-trie"
    proof = live.result("state_getChildReadProof", ["0x" + child.hex(), ["0x01", "0x0203"], best])
    assert proof["at"] == best and proof["proof"]
    root = bytes.fromhex(live.result("chain_getHeader", [best])["stateRoot"][2:])
    nodes = [bytes.fromhex(p[2:]) for p in proof["proof"]]
    assert verify_child_read_proof(root, nodes, b"no-such-trie", [b"\x01", b"\x02\x03"]) == {
        b"\x01": None, b"\x02\x03": None}
    assert live.rpc("state_getChildReadProof", ["0x0102", ["0x01"], best])["error"]["code"] == 4003


def test_unknown_blocks_and_runtime_errors_as_substrate_words_them(live):
    unknown = "0x" + "ee" * 32
    assert live.result("chain_getHeader", [unknown]) is None
    assert live.result("chain_getBlock", [unknown]) is None
    error = live.rpc("state_getStorage", [ALICE_ACCOUNT_KEY, unknown])["error"]
    assert error == {"code": 4003, "message": f"Client error: UnknownBlock: Header was not found in the database: {unknown}"}
    assert live.rpc("state_call", ["Metadata_metadata_at_version", "0x0f000000", unknown])["error"]["code"] == 4003
    missing = live.rpc("state_call", ["Metadata_metadata_at_version_x", "0x"])["error"]
    assert missing == {"code": 4003, "message": "Client error: Execution failed: Other: Exported method "
                                                "Metadata_metadata_at_version_x is not found"}
    v15 = live.result("state_call", ["Metadata_metadata_at_version", "0f000000"])
    assert v15.startswith("0x01") and "6d6574610f" in v15[:30]  # Some(compact len ++ "meta" ++ 15)


def test_the_safe_endpoint_refuses_unsafe_methods(live):
    refused = live.rpc("author_rotateKeys", endpoint=1)["error"]
    assert refused == {"code": -32601, "message": "RPC call is unsafe to be called externally"}
    assert live.rpc("state_getPairs", ["0x00"], endpoint=1)["error"]["code"] == 4003
    assert live.rpc("system_chain", endpoint=1)["result"] == "Bittensor"
    assert len(bytes.fromhex(live.result("author_rotateKeys")[2:])) == 64
    assert live.rpc("rpc_methods", endpoint=1)["result"] == live.result("rpc_methods")


def test_storage_subscription_follows_a_transfer(live, keys):
    ws = create_connection(live.url(), timeout=20)
    try:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "state_subscribeStorage",
                            "params": [[ALICE_ACCOUNT_KEY]]}))
        messages = [json.loads(ws.recv()) for _ in range(2)]
        reply = next(m for m in messages if m.get("id") == 1)
        first = next(m for m in messages if "id" not in m)
        sub = reply["result"]
        assert first["method"] == "state_storage" and first["params"]["subscription"] == sub
        value = first["params"]["result"]["changes"]
        assert value == [[ALICE_ACCOUNT_KEY, live.result("state_getStorage", [ALICE_ACCOUNT_KEY,
                                                                             first["params"]["result"]["block"]])]]
        si = SubstrateInterface(url=live.url(), ss58_format=42)
        try:
            call = si.compose_call("Balances", "transfer_keep_alive", {"dest": keys["Bob"].ss58_address,
                                                                      "value": AMOUNT})
            si.submit_extrinsic(si.create_signed_extrinsic(call=call, keypair=keys["Alice"]), wait_for_inclusion=True)
        finally:
            si.close()
        change = json.loads(ws.recv())
        assert change["params"]["subscription"] == sub and "id" not in change
        assert change["params"]["result"]["changes"][0][0] == ALICE_ACCOUNT_KEY
        assert change["params"]["result"]["changes"][0][1] != value[0][1]
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "state_unsubscribeStorage", "params": [sub]}))
        while True:
            message = json.loads(ws.recv())
            if message.get("id") == 2:
                assert message["result"] is True
                break
    finally:
        ws.close()


def test_new_heads_stream_real_blocks(live):
    ws = create_connection(live.url(), timeout=20)
    try:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": "h1", "method": "chain_subscribeNewHead", "params": []}))
        heads = []
        while len(heads) < 3:
            message = json.loads(ws.recv())
            if "id" not in message:
                assert message["method"] == "chain_newHead"
                heads.append(message["params"]["result"])
        numbers = [int(h["number"], 16) for h in heads]
        assert numbers[1] == numbers[0] + 1 and numbers[2] == numbers[1] + 1
        assert heads[2]["parentHash"] == "0x" + header_from_json(heads[1]).hash.hex()
    finally:
        ws.close()


def test_rpc_calls_are_counted_in_the_prometheus_metrics(live):
    """`substrate_rpc_calls_total{method}` counts the calls this endpoint served."""
    before = live.node.metrics.registry.render()
    live.result("system_health")
    live.result("system_health")
    after = live.node.metrics.registry.render()

    def count(text: str) -> float:
        for line in text.splitlines():
            if line.startswith("substrate_rpc_calls_total{") and 'method="system_health"' in line:
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    assert count(after) == count(before) + 2
