"""Every method's JSON shape, against client-surface.md and real finney responses (recorded by
the bittensor SDK: tests/vectors/oracle/recorded_rpc), on a `FakeNode` that runs the real
runtime: system_*, chain_*, state_*, childstate_*, author_*, payment_*, engine_*, dev_*,
chainSpec_v1_*, rpc_methods, and the subscriptions (heads, runtime version, storage with its
first notification, the extrinsic status stream, unsubscribe)."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from typing import Any

import pytest

import pysubtensor.runtime as runtime
from pysubtensor.node.state.proof import verify_read_proof
from pysubtensor.primitives.hashing import blake2_256, storage_prefix
from pysubtensor.primitives.header import DIGEST_ITEM, Digest, Header
from pysubtensor.primitives.scale import U32, Option, Vec
from pysubtensor.primitives.ss58 import ss58_encode
from pysubtensor.rpc.methods import REGISTRY
from pysubtensor.runtime.apis import APPLY_EXTRINSIC_RESULT
from pysubtensor.runtime.version import VERSION
from tests.conftest import vectors_dir
from tests.unit.test_rpc_fake_node import (
    ALICE,
    BOB,
    CHILD_ITEMS,
    CHILD_KEY,
    FakeNode,
    http_call,
    http_result,
    rpc_app,
    run,
    ws_client,
)

SYSTEM_ACCOUNT = storage_prefix("System", "Account")
ALICE_KEY = bytes.fromhex("26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
                          "de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
CHILD_PREFIXED = "0x" + (b":child_storage:default:" + CHILD_KEY).hex()


@pytest.fixture
def node():
    yield FakeNode()
    runtime.wire()


@cache
def recorded() -> dict[str, list[tuple[str, Any]]]:
    """Method → [(params JSON, response)] from the real finney recordings."""
    path = vectors_dir() / "oracle/recorded_rpc/finney_bittensor_sdk_websocket_recordings.json"
    out: dict[str, list[tuple[str, Any]]] = {}
    for calls in json.loads(path.read_text()).values():
        for method, by_params in calls.items():
            for params, response in by_params.items():
                out.setdefault(method, []).append((params, response))
    return out


def real_result(method: str) -> Any:
    return recorded()[method][0][1]["result"]


def header_from_json(value: dict[str, Any]) -> Header:
    logs = [DIGEST_ITEM.decode_all(bytes.fromhex(log[2:])) for log in value["digest"]["logs"]]
    return Header(bytes.fromhex(value["parentHash"][2:]), int(value["number"], 16),
                  bytes.fromhex(value["stateRoot"][2:]), bytes.fromhex(value["extrinsicsRoot"][2:]), Digest(logs))


def h(data: bytes) -> str:
    return "0x" + data.hex()


# -- rpc_methods


def test_rpc_methods_lists_every_name_with_the_aliases_clients_need(node):
    async def scenario():
        async with rpc_app(node) as client:
            return await http_result(client, "rpc_methods")

    result = run(scenario())
    assert set(result) == {"methods"}
    methods = result["methods"]
    assert methods == sorted(methods) == list(REGISTRY.names())
    for alias in ("chain_getHead", "state_getStorageAt", "account_nextIndex", "chain_subscribeNewHead",
                  "chain_getRuntimeVersion", "chain_getFinalisedHead", "chain_subscribeFinalisedHeads", "state_callAt",
                  "state_getKeysPagedAt", "subscribe_newHead", "unsubscribe_newHead", "state_call"):
        assert alias in methods, alias
    # The names a real subtensor node lists, for every method we serve, are spelled the same.
    real = set(real_result("rpc_methods")["methods"])
    ours = {m for m in methods if not m.startswith(("dev_", "engine_"))}
    assert ours <= real, sorted(ours - real)
    # New-spec groups: complete or absent (polkadot-api switches per group).
    assert {m for m in methods if m.startswith("chainSpec_v1_")} == {
        "chainSpec_v1_chainName", "chainSpec_v1_genesisHash", "chainSpec_v1_properties"}
    assert {m for m in methods if m.startswith("chainHead_v1_")} == {
        "chainHead_v1_follow", "chainHead_v1_unfollow", "chainHead_v1_header", "chainHead_v1_body",
        "chainHead_v1_call", "chainHead_v1_storage", "chainHead_v1_continue", "chainHead_v1_stopOperation",
        "chainHead_v1_unpin"}
    assert {m for m in methods if m.startswith("transaction_v1_")} == {"transaction_v1_broadcast", "transaction_v1_stop"}
    assert {m for m in methods if m.startswith("transactionWatch_v1_")} == {
        "transactionWatch_v1_submitAndWatch", "transactionWatch_v1_unwatch"}
    for group in ("archive_v1_", "archive_unstable_"):
        assert not any(m.startswith(group) for m in methods), group


# -- system


def test_system_methods(node):
    async def scenario():
        async with rpc_app(node) as client:
            r = {m: await http_result(client, m) for m in (
                "system_name", "system_version", "system_chain", "system_chainType", "system_properties",
                "system_health", "system_localPeerId", "system_localListenAddresses", "system_nodeRoles",
                "system_syncState", "system_peers", "system_reservedPeers")}
            nonce = await http_result(client, "system_accountNextIndex", [ALICE.ss58_address])
            node.submit_extrinsic(node.sign_transfer(nonce=0))
            r["nonce"] = (nonce, await http_result(client, "account_nextIndex", [ALICE.ss58_address]),
                          await http_result(client, "account_nextIndex", [ss58_encode(ALICE.account_id, 0)]),
                          await http_result(client, "account_nextIndex", [h(BOB.account_id)]))
            r["bad"] = await http_call(client, "account_nextIndex", ["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQX"])
            return r

    r = run(scenario())
    # node-subtensor answers its implementation name, whatever --name says.
    assert r["system_name"] == "Subtensor Node" and r["system_version"] == "0.1.0"
    assert r["system_chain"] == "Bittensor" == real_result("system_chain")
    assert r["system_chainType"] == "Development"
    assert r["system_properties"] == {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"}
    assert r["system_health"] == {"peers": 0, "isSyncing": False, "shouldHavePeers": False}
    assert r["system_localPeerId"] == "12D3KooWTestPeer"
    assert r["system_localListenAddresses"] == [] == r["system_peers"] == r["system_reservedPeers"]
    assert r["system_nodeRoles"] == ["Authority"]
    assert r["system_syncState"] == {"startingBlock": 0, "currentBlock": 0, "highestBlock": 0}
    assert r["nonce"] == (0, 1, 1, 0)  # pool-aware; any SS58 prefix; hex account ids too
    assert r["bad"]["error"]["code"] == -32602 and "checksum" in r["bad"]["error"]["data"]


def test_system_chain_type_variants():
    from pysubtensor.rpc.system import chain_type_json

    assert chain_type_json("Live") == "Live" and chain_type_json("Local") == "Local"
    assert chain_type_json("Testnet") == {"Custom": "Testnet"}
    assert chain_type_json({"Custom": "x"}) == {"Custom": "x"}


def test_system_dry_run(node):
    async def scenario():
        await node.new_blocks(1)  # System.BlockHash(0), which signatures commit to, is written by block 1
        async with rpc_app(node) as client:
            ok = await http_result(client, "system_dryRun", [h(node.sign_transfer(nonce=0))])
            stale = await http_result(client, "system_dryRunAt", [h(node.sign_transfer(nonce=5)), h(node.best_hash())])
            bad = await http_call(client, "system_dryRun", ["0x0102"])
            return ok, stale, bad

    ok, stale, bad = run(scenario())
    assert APPLY_EXTRINSIC_RESULT.decode_all(bytes.fromhex(ok[2:]))[0] == "Ok"
    assert APPLY_EXTRINSIC_RESULT.decode_all(bytes.fromhex(stale[2:]))[0] == "Err"
    assert bad["error"]["code"] == 2 and bad["error"]["message"] == "Unable to dry run extrinsic"


# -- chain


def test_headers_and_blocks_have_the_real_shape_and_rehash(node):
    async def scenario():
        xt = node.sign_transfer()
        node.submit_extrinsic(xt)
        sealed = await node.create_block(True, True, None)
        async with rpc_app(node) as client:
            best = await http_result(client, "chain_getHeader")
            by_hash = await http_result(client, "chain_getHeader", [h(sealed.hash)])
            null_hash = await http_result(client, "chain_getHeader", [None])
            genesis = await http_result(client, "chain_getHeader", [h(node.info.genesis_hash)])
            block = await http_result(client, "chain_getBlock", [h(sealed.hash)])
            best_block = await http_result(client, "chain_getBlock")
            unknown = await http_result(client, "chain_getBlock", ["0x" + "ab" * 32])
            return xt, sealed.hash, best, by_hash, null_hash, genesis, block, best_block, unknown

    xt, block_hash, best, by_hash, null_hash, genesis, block, best_block, unknown = run(scenario())
    real = real_result("chain_getHeader")
    assert list(best) == list(real) and list(best["digest"]) == ["logs"]
    assert best == by_hash == null_hash
    assert best["number"] == "0x1" and genesis["number"] == "0x0"
    assert header_from_json(best).hash == block_hash  # clients re-hash the JSON header
    assert header_from_json(genesis).hash == node.info.genesis_hash
    assert best["digest"]["logs"] and all(log.startswith("0x06") for log in best["digest"]["logs"])  # Aura PreRuntime
    assert set(block) == {"block", "justifications"} and block["justifications"] is None
    assert block["block"]["header"] == best and block == best_block
    assert h(xt) in block["block"]["extrinsics"]  # with the compact length prefix
    assert unknown is None


def test_block_hashes(node):
    async def scenario():
        await node.new_blocks(2)
        async with rpc_app(node) as client:
            r = {}
            r["none"] = await http_result(client, "chain_getBlockHash")
            r["null"] = await http_result(client, "chain_getBlockHash", [None])
            r["head"] = await http_result(client, "chain_getHead")
            r["zero"] = await http_result(client, "chain_getBlockHash", [0])
            r["hex"] = await http_result(client, "chain_getBlockHash", ["0x2"])
            r["list"] = await http_result(client, "chain_getBlockHash", [[0, "0x1", 2, 3]])
            r["beyond"] = await http_result(client, "chain_getBlockHash", [99])
            r["huge"] = await http_call(client, "chain_getBlockHash", [2**32])
            r["final"] = await http_result(client, "chain_getFinalizedHead")
            r["finalised"] = await http_result(client, "chain_getFinalisedHead")
            return r

    r = run(scenario())
    hashes = [h(node.hash_of(n)) for n in range(3)]
    assert r["none"] == r["null"] == r["head"] == hashes[2]
    assert r["zero"] == hashes[0] and r["hex"] == hashes[2]
    assert r["list"] == [*hashes, None]
    assert r["beyond"] is None
    assert r["huge"]["error"] == {"code": 3001, "message": "`Number(4294967296)` > u32::MAX, the max block number is u32."}
    assert r["final"] == r["finalised"] == hashes[2]
    assert recorded()["chain_getBlockHash"][0][1]["result"].startswith("0x")


# -- state


def test_storage_reads(node):
    async def scenario():
        async with rpc_app(node) as client:
            r = {}
            best = h(node.best_hash())
            r["get"] = await http_result(client, "state_getStorage", [h(ALICE_KEY)])
            r["at"] = await http_result(client, "state_getStorageAt", [ALICE_KEY.hex(), best])  # no 0x
            r["absent"] = await http_result(client, "state_getStorage", ["0x1234"])
            r["hash"] = await http_result(client, "state_getStorageHash", [h(ALICE_KEY)])
            r["hash_at"] = await http_result(client, "state_getStorageHashAt", [h(ALICE_KEY), best])
            r["size"] = await http_result(client, "state_getStorageSize", [h(ALICE_KEY)])
            r["size_prefix"] = await http_result(client, "state_getStorageSizeAt", [h(SYSTEM_ACCOUNT), best])
            r["size_none"] = await http_result(client, "state_getStorageSize", ["0xffff"])
            r["keys"] = await http_result(client, "state_getKeys", [h(SYSTEM_ACCOUNT)])
            r["unknown"] = await http_call(client, "state_getStorage", [h(ALICE_KEY), "0x" + "12" * 32])
            return r

    r = run(scenario())
    value = node.storage(node.best_hash(), ALICE_KEY)
    assert r["get"] == r["at"] == h(value)
    assert r["absent"] is None and r["size_none"] is None
    assert r["hash"] == r["hash_at"] == h(blake2_256(value))
    assert r["size"] == len(value)
    account_keys = node.storage_keys(node.best_hash(), SYSTEM_ACCOUNT)
    assert r["keys"] == [h(k) for k in account_keys] and h(ALICE_KEY) in r["keys"]
    assert r["size_prefix"] == sum(len(node.storage(node.best_hash(), k)) for k in account_keys)
    assert r["unknown"]["error"] == {
        "code": 4003, "message": "Client error: UnknownBlock: Header was not found in the database: 0x" + "12" * 32}


def test_keys_paged_pages_strictly_after_the_start_key(node):
    async def scenario():
        async with rpc_app(node) as client:
            prefix = h(SYSTEM_ACCOUNT)
            first = await http_result(client, "state_getKeysPaged", [prefix, 2, prefix])
            second = await http_result(client, "state_getKeysPagedAt", [prefix, 2, first[-1], h(node.best_hash())])
            whole = await http_result(client, "state_getKeysPaged", [prefix, 1000, None])
            no_prefix = await http_result(client, "state_getKeysPaged", [None, 3])
            too_many = await http_call(client, "state_getKeysPaged", [prefix, 1001])
            return first, second, whole, no_prefix, too_many

    first, second, whole, no_prefix, too_many = run(scenario())
    assert whole[:4] == first + second and len(first) == 2 and first[1] < second[0]
    assert no_prefix == [h(k) for k in sorted(node.state(node.best_hash()))[:3]]
    assert too_many["error"] == {"code": 4002, "message": "count exceeds maximum value. value: 1001, max: 1000"}
    real = real_result("state_getKeysPaged")
    assert isinstance(real, list) and all(isinstance(k, str) and k.startswith("0x") for k in real)


def test_pairs_and_query_storage(node):
    async def scenario():
        await node.new_blocks(1)
        node.submit_extrinsic(node.sign_transfer(value=10**10))
        await node.new_blocks(2)
        async with rpc_app(node) as client:
            r = {}
            r["pairs"] = await http_result(client, "state_getPairs", [h(SYSTEM_ACCOUNT)])
            keys = [h(ALICE_KEY), "0x00"]
            r["at"] = await http_result(client, "state_queryStorageAt", [keys])
            r["at_genesis"] = await http_result(client, "state_queryStorageAt", [keys, h(node.info.genesis_hash)])
            r["empty"] = await http_result(client, "state_queryStorageAt", [[]])
            r["range"] = await http_result(client, "state_queryStorage", [keys, h(node.info.genesis_hash)])
            r["reversed"] = await http_call(client, "state_queryStorage", [keys, h(node.best_hash()),
                                                                          h(node.info.genesis_hash)])
            r["unknown"] = await http_call(client, "state_queryStorageAt", [keys, "0x" + "34" * 32])
            return r

    r = run(scenario())
    best = node.best_hash()
    assert r["pairs"] == [[h(k), h(node.storage(best, k))] for k in node.storage_keys(best, SYSTEM_ACCOUNT)]
    assert r["at"] == [{"block": h(best), "changes": [[h(ALICE_KEY), h(node.storage(best, ALICE_KEY))], ["0x00", None]]}]
    real = real_result("state_queryStorageAt")
    assert list(real[0]) == list(r["at"][0]) == ["block", "changes"]
    genesis_value = node.storage(node.info.genesis_hash, ALICE_KEY)
    assert r["at_genesis"][0]["changes"][0] == [h(ALICE_KEY), h(genesis_value)]
    assert r["empty"] == []
    # the range: every key in the first block, then only the block where Alice's account changed
    assert [c["block"] for c in r["range"]] == [h(node.hash_of(0)), h(node.hash_of(2))]
    assert r["range"][0]["changes"] == [[h(ALICE_KEY), h(genesis_value)], ["0x00", None]]
    assert r["range"][1]["changes"] == [[h(ALICE_KEY), h(node.storage(node.hash_of(2), ALICE_KEY))]]
    assert r["reversed"]["error"]["code"] == 4001
    assert r["reversed"]["error"]["message"].endswith("]. from number > to number")
    assert r["reversed"]["error"]["message"].startswith("Cannot resolve a block range ['\"3 (0x")
    assert r["unknown"]["error"]["code"] == 4001
    assert "UnknownBlock: Header was not found in the database" in r["unknown"]["error"]["message"]


def test_read_proof_verifies(node):
    async def scenario():
        async with rpc_app(node) as client:
            return await http_result(client, "state_getReadProof", [[h(ALICE_KEY), "0x00"]])

    proof = run(scenario())
    assert set(proof) == {"at", "proof"} and proof["at"] == h(node.best_hash())
    nodes = [bytes.fromhex(p[2:]) for p in proof["proof"]]
    root = node.header(node.best_hash()).state_root
    assert verify_read_proof(root, nodes, [ALICE_KEY, b"\x00"]) == {
        ALICE_KEY: node.storage(node.best_hash(), ALICE_KEY), b"\x00": None}


def test_metadata_runtime_version_and_runtime_calls(node):
    async def scenario():
        async with rpc_app(node) as client:
            r = {}
            r["metadata"] = await http_result(client, "state_getMetadata")
            r["version"] = await http_result(client, "state_getRuntimeVersion")
            r["chain_version"] = await http_result(client, "chain_getRuntimeVersion", [h(node.best_hash())])
            r["v15"] = await http_result(client, "state_call", ["Metadata_metadata_at_version", "0f000000"])
            r["v99"] = await http_result(client, "state_callAt", ["Metadata_metadata_at_version", "0x63000000",
                                                                  h(node.best_hash())])
            r["nonce"] = await http_result(client, "state_call", ["AccountNonceApi_account_nonce",
                                                                  ALICE.account_id.hex(), None])
            r["empty"] = await http_result(client, "state_call", ["Metadata_metadata_versions", ""])
            r["missing"] = await http_call(client, "state_call", ["Metadata_nothing", "0x"])
            r["bad_input"] = await http_call(client, "state_call", ["AccountNonceApi_account_nonce", "0x01"])
            r["unknown"] = await http_call(client, "state_getRuntimeVersion", ["0x" + "56" * 32])
            return r

    r = run(scenario())
    assert r["metadata"].startswith("0x6d6574610e")  # "meta" ++ V14
    real = real_result("state_getRuntimeVersion")
    assert list(r["version"]) == list(real)
    assert r["version"] == r["chain_version"]
    assert r["version"]["specVersion"] == VERSION.spec_version and r["version"]["stateVersion"] == 1
    assert ["0x37e397fc7c91f5e4", 2] in r["version"]["apis"] and ["0x37e397fc7c91f5e4", 2] in real["apis"]
    assert r["v15"].startswith("0x01") and bytes.fromhex(r["v15"][2:])[1:10].find(b"meta") >= 0
    assert r["v99"] == "0x00"
    assert U32.decode_all(bytes.fromhex(r["nonce"][2:])) == 0
    assert Vec(U32).decode_all(bytes.fromhex(r["empty"][2:])) == [14, 15]
    assert r["missing"]["error"] == {
        "code": 4003, "message": "Client error: Execution failed: Other: Exported method Metadata_nothing is not found"}
    assert r["bad_input"]["error"]["code"] == 4003
    assert r["bad_input"]["error"]["message"].startswith("Client error: Execution failed: Execution aborted due to panic")
    assert r["unknown"]["error"]["code"] == 4003
    assert Option(U32).decode_all(b"\x00") is None


# -- childstate


def test_child_state(node):
    async def scenario():
        async with rpc_app(node) as client:
            r = {}
            r["get"] = await http_result(client, "childstate_getStorage", [CHILD_PREFIXED, h(b"beta")])
            r["keys"] = await http_result(client, "childstate_getKeys", [CHILD_PREFIXED, "0x"])
            r["paged"] = await http_result(client, "childstate_getKeysPaged", [CHILD_PREFIXED, None, 1, h(b"alpha")])
            r["paged_at"] = await http_result(client, "childstate_getKeysPagedAt",
                                              [CHILD_PREFIXED, "0x", 5, None, h(node.best_hash())])
            r["entries"] = await http_result(client, "childstate_getStorageEntries",
                                             [CHILD_PREFIXED, [h(b"alpha"), h(b"zeta")]])
            r["hash"] = await http_result(client, "childstate_getStorageHash", [CHILD_PREFIXED, h(b"gamma")])
            r["size"] = await http_result(client, "childstate_getStorageSize", [CHILD_PREFIXED, h(b"gamma")])
            r["bad"] = await http_call(client, "childstate_getStorage", [h(CHILD_KEY), h(b"beta")])
            return r

    r = run(scenario())
    assert r["get"] == h(CHILD_ITEMS[b"beta"])
    assert r["keys"] == [h(k) for k in sorted(CHILD_ITEMS)] == r["paged_at"]
    assert r["paged"] == [h(b"beta")]
    assert r["entries"] == [h(CHILD_ITEMS[b"alpha"]), None]
    assert r["hash"] == h(blake2_256(CHILD_ITEMS[b"gamma"])) and r["size"] == 3
    assert r["bad"]["error"] == {"code": 4003, "message": "Client error: Invalid child storage key"}


# -- payment


def test_payment_queries(node):
    async def scenario():
        async with rpc_app(node) as client:
            xt = h(node.sign_transfer())
            info = await http_result(client, "payment_queryInfo", [xt])
            details = await http_result(client, "payment_queryFeeDetails", [xt, h(node.best_hash())])
            bad = await http_call(client, "payment_queryInfo", ["0x0400"])
            via_state_call = await http_result(client, "state_call", [
                "TransactionPaymentApi_query_info", xt + U32.encode(len(bytes.fromhex(xt[2:]))).hex()])
            return info, details, bad, via_state_call

    info, details, bad, via_state_call = run(scenario())
    assert list(info) == ["weight", "class", "partialFee"]
    assert set(info["weight"]) == {"ref_time", "proof_size"} and info["class"] == "normal"
    assert isinstance(info["partialFee"], str) and int(info["partialFee"]) > 0
    fee = details["inclusionFee"]
    assert list(details) == ["inclusionFee"] and set(fee) == {"baseFee", "lenFee", "adjustedWeightFee"}
    assert all(isinstance(v, int) for v in fee.values())
    assert sum(fee.values()) == int(info["partialFee"])
    assert bad["error"]["code"] == 2 and bad["error"]["message"] == "Unable to query dispatch info."
    assert via_state_call.startswith("0x")


# -- author


def test_submit_and_pool_errors(node):
    async def scenario():
        async with rpc_app(node) as client:
            xt = node.sign_transfer()
            r = {}
            r["hash"] = await http_result(client, "author_submitExtrinsic", [h(xt)])
            r["again"] = await http_call(client, "author_submitExtrinsic", [h(xt)])
            r["pending"] = await http_result(client, "author_pendingExtrinsics")
            forged = bytearray(node.sign_transfer(value=77, nonce=1))
            forged[40] ^= 1  # compact(len) 2 ++ 0x84 ++ MultiAddress 33 ++ 0x01: a signature byte
            r["bad_proof"] = await http_call(client, "author_submitExtrinsic", [h(bytes(forged))])
            r["garbage"] = await http_call(client, "author_submitExtrinsic", ["0x0102"])
            r["removed"] = await http_result(client, "author_removeExtrinsic", [[{"hash": r["hash"]}]])
            r["after"] = await http_result(client, "author_pendingExtrinsics")
            r["by_bytes"] = await http_result(client, "author_removeExtrinsic", [[{"extrinsic": h(xt)}]])
            r["bad_variant"] = await http_call(client, "author_removeExtrinsic", [[{"hush": r["hash"]}]])
            return xt, r

    xt, r = run(scenario())
    assert r["hash"] == h(blake2_256(xt))
    assert r["again"]["error"] == {"code": 1013, "message": "Transaction Already Imported", "data": "Any { .. }"}
    assert r["pending"] == [h(xt)]
    assert r["bad_proof"]["error"] == {"code": 1010, "message": "Invalid Transaction",
                                       "data": "Transaction has a bad signature"}
    assert r["garbage"]["error"]["code"] == 1001
    assert r["garbage"]["error"]["message"].startswith("Extrinsic has invalid format")
    assert r["removed"] == [r["hash"]] and r["after"] == [] and r["by_bytes"] == []
    assert r["bad_variant"]["error"]["code"] == -32602


def test_an_authority_refuses_an_aura_key_it_would_not_author_with(node):
    async def scenario(info):
        node.info = info
        async with rpc_app(node) as client:
            bob = h(BOB.public_key)
            return (await http_call(client, "author_insertKey", ["aura", "//Bob", bob]),
                    await http_call(client, "author_insertKey", ["gran", "//Bob", bob]),
                    await http_result(client, "author_hasKey", [bob, "aura"]))

    authority = node.info
    refused, gran, has = run(scenario(authority))
    assert refused["error"]["code"] == 1040 and "only with its dev key" in refused["error"]["message"]
    assert gran["result"] is None and has is False
    accepted, _, has = run(scenario(dataclasses.replace(authority, is_authority=False, authoring_key=None)))
    assert accepted["result"] is None and has is True


def test_key_store(node):
    async def scenario():
        async with rpc_app(node) as client:
            r = {}
            public = h(ALICE.public_key)
            r["before"] = await http_result(client, "author_hasKey", [public, "aura"])
            r["insert"] = await http_result(client, "author_insertKey", ["aura", "//Alice", public])
            r["after"] = await http_result(client, "author_hasKey", [public, "aura"])
            r["bad_type"] = await http_call(client, "author_hasKey", [public, "aur"])
            r["keys"] = await http_result(client, "author_rotateKeys")
            r["has"] = await http_result(client, "author_hasSessionKeys", [r["keys"]])
            r["has_not"] = await http_result(client, "author_hasSessionKeys", ["0x" + "11" * 64])
            r["malformed"] = await http_call(client, "author_hasSessionKeys", ["0x1122"])
            return r

    r = run(scenario())
    assert r["before"] is False and r["insert"] is None and r["after"] is True
    assert r["bad_type"]["error"] == {"code": 1040, "message": "Invalid key type ID format (should be of length four)"}
    assert len(bytes.fromhex(r["keys"][2:])) == 64
    assert r["has"] is True and r["has_not"] is False
    assert r["malformed"]["error"] == {"code": 1040, "message": "Session keys are not encoded correctly"}


def test_submit_and_watch_streams_the_status_then_ends(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            xt = node.sign_transfer()
            sub = await ws.result("author_submitAndWatchExtrinsic", [h(xt)])
            assert isinstance(sub, str) and len(sub) == 16
            ready = await ws.next_notification(sub)
            created = await ws.result("engine_createBlock", [False, False, None])
            in_block = await ws.next_notification(sub)
            assert await ws.result("engine_finalizeBlock", [created["hash"], None]) is True
            finalized = await ws.next_notification(sub)
            await ws.result("system_health")
            ended = await ws.result("author_unwatchExtrinsic", [sub])  # the stream is over
            refused = await ws.call("author_submitAndWatchExtrinsic", [h(node.sign_transfer(nonce=0, value=5))])
            return sub, ready, created, in_block, finalized, ended, refused

    sub, ready, created, in_block, finalized, ended, refused = run(scenario())
    assert ready == {"jsonrpc": "2.0", "method": "author_extrinsicUpdate", "params": {"subscription": sub, "result": "ready"}}
    assert in_block["params"]["result"] == {"inBlock": created["hash"]}
    assert finalized["params"]["result"] == {"finalized": created["hash"]}
    assert created["aux"] == {"header_only": False, "clear_justification_requests": False,
                              "needs_justification": False, "bad_justification": False, "is_new_best": True}
    assert created["proof_size"] == 0
    assert ended is False
    # an invalid transaction is refused synchronously, never an "invalid" notification
    assert refused["error"] == {"code": 1010, "message": "Invalid Transaction", "data": "Transaction is outdated"}


# -- subscriptions


def test_head_subscriptions(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            new = await ws.result("chain_subscribeNewHeads")
            new_alias = await ws.result("chain_subscribeNewHead")
            all_heads = await ws.result("chain_subscribeAllHeads")
            final = await ws.result("chain_subscribeFinalizedHeads")
            firsts = [await ws.next_notification(s) for s in (new, new_alias, all_heads, final)]
            await node.new_blocks(1)
            seconds = [await ws.next_notification(s) for s in (new, new_alias, all_heads, final)]
            # unsubscribe: true once, through the subscription's own unsubscribe methods only
            wrong_kind = await ws.result("chain_unsubscribeFinalizedHeads", [new])
            unsub = await ws.result("chain_unsubscribeNewHeads", [new])
            again = await ws.result("unsubscribe_newHead", [new])
            alias_unsub = await ws.result("chain_unsubscribeNewHead", [new_alias])
            bad = await ws.result("chain_unsubscribeAllHeads", [])
            await node.new_blocks(1)
            await ws.next_notification(all_heads)
            quiet = await ws.quiet(new)
            return firsts, seconds, (wrong_kind, unsub, again, alias_unsub, bad), quiet, node.subscriber_count

    firsts, seconds, unsubs, quiet, _subscribers = run(scenario())
    genesis = firsts[0]["params"]["result"]
    assert genesis["number"] == "0x0" and all(f["params"]["result"] == genesis for f in firsts)
    assert [f["method"] for f in firsts] == ["chain_newHead", "chain_newHead", "chain_allHead", "chain_finalizedHead"]
    assert all(s["params"]["result"]["number"] == "0x1" for s in seconds)
    assert unsubs == (False, True, False, True, False)
    assert quiet


def test_runtime_version_subscription(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            sub = await ws.result("state_subscribeRuntimeVersion")
            first = await ws.next_notification(sub)
            alias = await ws.result("chain_subscribeRuntimeVersion")
            await ws.next_notification(alias)
            await node.new_blocks(1)
            quiet = await ws.quiet(sub)  # no change, no notification
            return first, quiet, await ws.result("chain_unsubscribeRuntimeVersion", [alias]), \
                await ws.result("state_unsubscribeRuntimeVersion", [sub])

    first, quiet, alias_unsub, unsub = run(scenario())
    assert first["method"] == "state_runtimeVersion"
    assert first["params"]["result"]["specName"] == "node-subtensor"
    assert quiet and alias_unsub is True and unsub is True


def test_storage_subscription_starts_with_the_current_values(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            keys = [h(ALICE_KEY), "0xdead"]
            sub = await ws.result("state_subscribeStorage", [keys])
            first = await ws.next_notification(sub)
            await node.new_blocks(1)  # Alice's account does not change
            quiet = await ws.quiet(sub)
            node.submit_extrinsic(node.sign_transfer())
            await node.new_blocks(1)
            change = await ws.next_notification(sub)
            everything = await ws.result("state_subscribeStorage")  # unsafe, allowed on loopback
            await node.set_storage({b"\xde\xad": b"\x01"})
            after_set = await ws.next_notification(sub)
            all_changes = await ws.next_notification(everything)
            unsub = await ws.result("state_unsubscribeStorage", [sub])
            await node.new_blocks(1)
            return first, quiet, change, after_set, all_changes, unsub, await ws.quiet(sub)

    first, quiet, change, after_set, all_changes, unsub, quiet_after = run(scenario())
    genesis = node.info.genesis_hash
    assert first["method"] == "state_storage"
    assert first["params"]["result"] == {"block": h(genesis), "changes": [
        [h(ALICE_KEY), h(node.storage(genesis, ALICE_KEY))], ["0xdead", None]]}
    assert quiet
    block2 = node.hash_of(2)
    assert change["params"]["result"] == {"block": h(block2), "changes": [
        [h(ALICE_KEY), h(node.storage(block2, ALICE_KEY))]]}
    assert after_set["params"]["result"]["changes"] == [["0xdead", "0x01"]]
    assert ["0xdead", "0x01"] in all_changes["params"]["result"]["changes"]
    assert unsub is True and quiet_after


def test_storage_subscription_after_a_reorg_reports_the_difference(node):
    async def scenario():
        async with rpc_app(node) as client, ws_client(client) as ws:
            snapshot = await ws.result("dev_snapshot")
            sub = await ws.result("state_subscribeStorage", [[h(ALICE_KEY)]])
            await ws.next_notification(sub)
            node.submit_extrinsic(node.sign_transfer())
            await ws.result("dev_newBlock", [{"count": 1}])
            changed = await ws.next_notification(sub)
            reverted = await ws.result("dev_revert", [snapshot])
            back = await ws.next_notification(sub)
            return changed, reverted, back

    changed, reverted, back = run(scenario())
    genesis = node.info.genesis_hash
    assert changed["params"]["result"]["changes"][0][1] != h(node.storage(genesis, ALICE_KEY))
    assert reverted is True
    assert back["params"]["result"] == {"block": h(genesis), "changes": [[h(ALICE_KEY), h(node.storage(genesis, ALICE_KEY))]]}


def test_closing_the_socket_ends_its_subscriptions(node):
    async def scenario():
        async with rpc_app(node) as client:
            async with ws_client(client) as ws:
                for method in ("chain_subscribeNewHeads", "chain_subscribeFinalizedHeads", "state_subscribeRuntimeVersion"):
                    sub = await ws.result(method)
                    await ws.next_notification(sub)
                assert node.subscriber_count == 3
            for _ in range(50):
                if node.subscriber_count == 0:
                    break
                import asyncio

                await asyncio.sleep(0.01)
            return node.subscriber_count

    assert run(scenario()) == 0


# -- engine, dev, chainSpec_v1


def test_engine_errors(node):
    async def scenario():
        async with rpc_app(node) as client:
            empty = await http_call(client, "engine_createBlock", [False, True, None])
            parent = await http_call(client, "engine_createBlock", [True, True, "0x" + "77" * 32])
            created = await http_result(client, "engine_createBlock", [True, False, h(node.best_hash())])
            unknown = await http_call(client, "engine_finalizeBlock", ["0x" + "78" * 32])
            return empty, parent, created, unknown

    empty, parent, created, unknown = run(scenario())
    assert empty["error"] == {"code": 12000, "message": "Transaction pool is empty, set create_empty to true, "
                                                        "if you want to create empty blocks"}
    assert parent["error"]["code"] == 13000 and "doesn't exist in chain" in parent["error"]["message"]
    assert created["hash"] == h(node.best_hash()) and node.finalized_hash() == node.info.genesis_hash
    assert unknown["error"]["code"] == 16000


def test_dev_helpers(node):
    async def scenario():
        async with rpc_app(node) as client:
            r = {}
            r["one"] = await http_result(client, "dev_newBlock")
            r["three"] = await http_result(client, "dev_newBlock", [{"count": 3}])
            r["to"] = await http_result(client, "dev_newBlock", [{"to": 6}])
            r["bad_opt"] = await http_call(client, "dev_newBlock", [{"count": 1, "transactions": []}])
            r["set"] = await http_result(client, "dev_setStorage", [[["0xbeef", "0x0102"], [h(ALICE_KEY), None]]])
            r["read"] = await http_result(client, "state_getStorage", ["0xbeef"])
            r["alice"] = await http_result(client, "state_getStorage", [h(ALICE_KEY)])
            r["object_form"] = await http_call(client, "dev_setStorage", [{"System": {"Account": []}}])
            r["travel"] = await http_result(client, "dev_timeTravel", ["2030-01-01T00:00:00Z"])
            r["travel_ms"] = await http_result(client, "dev_timeTravel", [1_900_000_000_000])
            r["snapshot"] = await http_result(client, "dev_snapshot")
            await http_result(client, "dev_newBlock", [{"count": 2}])
            r["revert"] = await http_result(client, "dev_revert", [r["snapshot"]])
            r["reverted_to"] = node.header(node.best_hash()).number
            r["head"] = await http_result(client, "dev_setHead", [-1])
            r["head_hash"] = await http_result(client, "dev_setHead", [h(node.hash_of(3))])
            r["head_bad"] = await http_call(client, "dev_setHead", [99])
            return r

    r = run(scenario())

    def number(block: str) -> int:
        return node.header(bytes.fromhex(block[2:])).number

    assert (number(r["one"]), number(r["three"]), number(r["to"]), number(r["set"])) == (1, 4, 6, 7)
    assert r["bad_opt"]["error"]["code"] == -32602 and "transactions" in r["bad_opt"]["error"]["data"]
    assert r["read"] == "0x0102" and r["alice"] is None
    assert r["object_form"]["error"]["code"] == -32602
    assert r["travel"] == 1_893_456_000_000 and r["travel_ms"] == 1_900_000_000_000
    assert r["revert"] is True and r["reverted_to"] == 7
    assert r["head_hash"] == h(node.hash_of(3)) and node.best_hash() == node.hash_of(3)
    assert r["head_bad"]["error"]["code"] == -32602


def test_chain_spec_v1(node):
    async def scenario():
        async with rpc_app(node) as client:
            return [await http_result(client, f"chainSpec_v1_{m}") for m in ("chainName", "genesisHash", "properties")]

    assert run(scenario()) == ["Bittensor", h(node.info.genesis_hash), {"ss58Format": 42, "tokenDecimals": 9,
                                                                         "tokenSymbol": "TAO"}]
