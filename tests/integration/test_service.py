"""The node service in process (node.service.Node with manual, instant and interval sealing)
and as the program (`python -m node`): blocks with an Aura slot and seal, a signed transfer
through the pool to a finalized block, forks and reorgs, finality, dev helpers, restarts on
the same base path, kill -9 at random moments, and one-line errors for bad input.

Transactions are signed with our keyring and runtime.extrinsic (tests/unit/test_author.py's
`sign`); state is read back through the node's public read methods only.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import itertools
import logging
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import pysubtensor.pallets.system as system
from pysubtensor.node.api import BlockNotification, SealResult, UnknownBlockError
from pysubtensor.node.author import slot_of, verify_seal
from pysubtensor.node.cli import build_parser, chain_genesis
from pysubtensor.node.config import (
    NodeConfig,
    PrometheusEndpoint,
    Sealing,
    SealingMode,
    config_from_args,
    resolve_chain,
)
from pysubtensor.node.db import ChainDB
from pysubtensor.node.db.paths import database_path
from pysubtensor.node.sealing import BlockNotFound, EmptyTransactionPool, FinalizationError
from pysubtensor.node.service import Node
from pysubtensor.node.state import trie_root
from pysubtensor.node.txpool import BadFormat, InvalidTransactionError, VerificationFailed
from pysubtensor.pallets import timestamp
from pysubtensor.primitives.aura import pre_digest as aura_pre_digest
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.header import Digest, Header, PreRuntime, Seal
from pysubtensor.primitives.keyring import DEV_ACCOUNTS
from pysubtensor.primitives.scale import U32
from pysubtensor.runtime.version import VERSION
from tests.unit.test_author import remark, sign, transfer

REPO = Path(__file__).resolve().parents[2]
ALICE, BOB, CHARLIE, DAVE = (DEV_ACCOUNTS[n] for n in ("Alice", "Bob", "Charlie", "Dave"))


def make_config(*argv: str) -> NodeConfig:
    return config_from_args(build_parser().parse_args(["--dev", "--rpc-port", "0", "--no-prometheus", *argv]))


@functools.cache
def dev_genesis() -> Any:
    return chain_genesis(resolve_chain("dev"))


def open_chain(path: Path) -> ChainDB:
    genesis = dev_genesis()
    db = ChainDB.open(path)
    db.init_genesis(genesis.header, genesis.raw.top, genesis.raw.children_default, genesis.state_version)
    return db


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 60))


class NodeBackend:
    """A runtime storage backend reading a block's state through the NodeHandle."""

    def __init__(self, node: Node, block_hash: bytes) -> None:
        self.node, self.block_hash = node, block_hash

    def get(self, key: bytes) -> bytes | None:
        return self.node.storage(self.block_hash, key)

    def next_key(self, key: bytes) -> bytes | None:
        keys = self.node.storage_keys(self.block_hash, b"", key, 1)
        return keys[0] if keys else None


def read(node: Node, block_hash: bytes, fn: Callable[[], Any]) -> Any:
    with using(Externalities(NodeBackend(node, block_hash))):
        return fn()


def free(node: Node, who: bytes, block_hash: bytes | None = None) -> int:
    return read(node, block_hash or node.best_hash(), lambda: system.account(who).data.free)


def event_names(node: Node, block_hash: bytes, index: int) -> list[str]:
    records = read(node, block_hash, system.read_events)
    return [f"{r.event[0]}.{type(r.event[1]).__name__}" for r in records if r.phase == ("ApplyExtrinsic", index)]


@pytest.fixture
def manual(tmp_path: Path) -> Iterator[tuple[NodeConfig, ChainDB]]:
    with open_chain(tmp_path / "db") as db:
        yield make_config("--sealing", "manual"), db


# -- manual sealing -----------------------------------------------------------------------------


def test_manual_blocks_carry_the_aura_slot_and_alices_seal_and_are_final(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            heads, finals = node.blocks(), node.finalized_blocks()
            assert node.info.genesis_hash == db.genesis_hash and node.info.name == "Bittensor"
            assert dict(node.info.properties) == {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"}
            with pytest.raises(EmptyTransactionPool) as refused:
                await node.create_block(False, True, None)
            assert refused.value.to_rpc() == {"code": 12000, "message": "Transaction pool is empty, set "
                                              "create_empty to true, if you want to create empty blocks"}
            results = [await node.create_block(True, True, None) for _ in range(3)]
            assert all(isinstance(r, SealResult) and r.is_new_best for r in results)
            assert node.best_hash() == node.finalized_hash() == results[-1].hash == node.hash_of(3)
            stamps = []
            for n, r in enumerate(results, start=1):
                header = node.header(r.hash)
                assert header.number == n and header.parent_hash == node.hash_of(n - 1)
                pre, seal = header.digest.logs[0], header.digest.logs[-1]
                assert isinstance(pre, PreRuntime) and pre.engine == b"aura"
                assert isinstance(seal, Seal) and verify_seal(header, ALICE.public_key)
                stamps.append(read(node, r.hash, timestamp.get))
                assert slot_of(header) == stamps[-1] // 250
                assert len(node.body(r.hash)) == 2  # the inherents: timestamp, MevShield key
            assert stamps[1] - stamps[0] >= 250 and stamps[2] - stamps[1] >= 250
            notes = heads.drain()
            assert [n.hash for n in notes] == [r.hash for r in results]
            assert all(isinstance(n, BlockNotification) and n.is_new_best and not n.retracted for n in notes)
            assert timestamp.Now.storage_key in notes[0].changes
            assert [h.number for h in finals.drain()] == [1, 2, 3]
            assert 'substrate_block_height{chain="bittensor",status="best"} 3' in node.metrics.registry.render()
        # Stopping the node ends the subscriptions.
        assert [n async for n in heads] == []

    run(scenario())


def test_a_signed_transfer_goes_ready_in_block_finalized_with_its_events(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            await node.create_block(True, True, None)
            g = node.info.genesis_hash
            amount = 123 * 10**9
            bob_before, dave_before = free(node, BOB.account_id), free(node, DAVE.account_id)
            assert node.account_next_index(BOB.account_id) == 0
            xt = sign(BOB, transfer(DAVE.account_id, amount), nonce=0, genesis_hash=g)
            watcher = node.submit_and_watch(xt)
            assert [s.kind for s in watcher.drain()] == ["ready"]
            assert node.pending_extrinsics() == [xt]
            assert node.account_next_index(BOB.account_id) == 1  # the pool's ready nonce counts
            created = await node.create_block(False, False, None)
            statuses = watcher.drain()
            assert [(s.kind, s.hash) for s in statuses] == [("inBlock", created.hash)]
            assert node.body(created.hash)[2] == xt and node.pending_extrinsics() == []
            assert node.finalized_hash() != created.hash
            assert await node.finalize_block(created.hash) is True
            assert [(s.kind, s.hash, s.index) for s in watcher.drain()] == [("finalized", created.hash, 2)]
            assert event_names(node, created.hash, 2) == [
                "Balances.Withdraw", "Balances.Transfer", "Balances.Deposit", "Balances.Deposit",
                "TransactionPayment.TransactionFeePaid", "System.ExtrinsicSuccess"]
            assert free(node, DAVE.account_id) == dave_before + amount
            assert bob_before - free(node, BOB.account_id) > amount  # plus the fee, paid to Alice
            assert node.account_next_index(BOB.account_id) == 1
            # The same bytes again: the nonce is used now.
            with pytest.raises(InvalidTransactionError) as stale:
                node.submit_extrinsic(xt)
            assert stale.value.to_rpc()["data"] == "Transaction is outdated"

    run(scenario())


def test_a_full_block_leaves_the_rest_of_the_pool_for_the_next_one(manual):
    # The 20,000-transfer burst with instant sealing stalled: a block full at 3,394 transfers
    # skipped a sender's next nonce, applied the one after it (refused: a future nonce) and
    # removed it from the pool as invalid, with every later nonce of that sender behind it;
    # those waited in the future queue for ever. Nothing valid may leave the pool for want
    # of room in a block.
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            g = node.info.genesis_hash
            big = 3 * 1024 * 1024  # two of these fill a block's 7.5 MiB with the third
            senders = (ALICE, BOB, CHARLIE)
            xts = [sign(who, remark(bytes([i]) * big if i < 2 else b"x"), nonce=i, genesis_hash=g)
                   for who in senders for i in range(4)]
            hashes = [node.submit_extrinsic(x) for x in xts]
            statuses: list[str] = []
            node.pool.add_status_listener(lambda tx_hash, status: statuses.append(status.kind))
            included: list[bytes] = []
            for _ in range(6):
                created = await node.create_block(True, True, None)
                included += node.body(created.hash)[2:]
                if not node.pool.ready_count:
                    break
            assert sorted(included) == sorted(xts) and node.pool.status().is_empty
            assert len(node.body(node.hash_of(1))) < 2 + len(xts)  # the first block was full
            assert "invalid" not in statuses and "dropped" not in statuses
            assert all(node.account_next_index(who.account_id) == 4 for who in senders)
            assert not any(h in node.pool for h in hashes)

    run(scenario())


def test_undecodable_extrinsics_are_1001_and_1002(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            with pytest.raises(BadFormat) as bad:
                node.submit_extrinsic(b"\x10\x01")
            assert bad.value.code == 1001 and bad.value.message.startswith("Extrinsic has invalid format: ")
            with pytest.raises(VerificationFailed) as failed:
                node.submit_extrinsic(b"\x0c\x04\xff\xff")  # compact(3) ++ 3 bytes: opaque but not ours
            assert failed.value.code == 1002
            assert node.pending_extrinsics() == []

    run(scenario())


def test_reads_runtime_calls_and_unknown_blocks(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            created = await node.create_block(True, True, None)
            h = created.hash
            prefix = timestamp.Now.storage_key[:16]
            assert timestamp.Now.storage_key in node.storage_keys(h, prefix)
            assert node.storage(h, timestamp.Now.storage_key) == read(node, h, timestamp.get).to_bytes(8, "little")
            genesis_keys = node.storage_keys(node.info.genesis_hash, b"", None, 5)
            assert genesis_keys == sorted(genesis_keys) and len(genesis_keys) == 5
            assert node.read_proof(h, [timestamp.Now.storage_key])
            nonce = node.runtime_call(h, "AccountNonceApi_account_nonce", ALICE.account_id)
            assert U32.decode_all(nonce) == 0
            assert node.runtime_version(h) == VERSION
            assert node.metadata(h)[:4] == b"meta"
            assert node.child_storage(h, b":child_storage:default:none", b"k") is None
            unknown = b"\x42" * 32
            for call in (lambda: node.header(unknown), lambda: node.body(unknown),
                         lambda: node.storage(unknown, b"k"), lambda: node.runtime_call(unknown, "Core_version", b""),
                         lambda: node.metadata(unknown), lambda: node.storage_keys(unknown, b"")):
                with pytest.raises(UnknownBlockError):
                    call()
            assert node.hash_of(99) is None and node.hash_of(0) == node.info.genesis_hash
            # A runtime call never writes: the state root of the block is unchanged.
            child = Header(h, 2, bytes(32), bytes(32), Digest([aura_pre_digest(slot_of(node.header(h)) + 1)]))
            assert node.runtime_call(h, "Core_initialize_block", child.encode()) == b"\x00"  # AllExtrinsics
            assert node.best_hash() == h and db.state.head_root == node.header(h).state_root

    run(scenario())


def test_forks_follow_the_longest_chain_and_a_reorg_resubmits_transactions(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            heads = node.blocks()
            b1 = (await node.create_block(True, False, None)).hash
            xt = sign(BOB, transfer(DAVE.account_id, 10**9), nonce=0, genesis_hash=node.info.genesis_hash)
            watcher = node.submit_and_watch(xt)
            b2 = (await node.create_block(True, False, None)).hash
            b3 = (await node.create_block(True, False, None)).hash
            assert node.body(b2)[2] == xt
            # A fork from #1: not best until it is longer than the best chain.
            f2 = await node.create_block(True, False, b1)
            f3 = await node.create_block(True, False, f2.hash)
            assert not f2.is_new_best and not f3.is_new_best and node.best_hash() == b3
            assert len(node.body(f2.hash)) == 2  # the transaction is not in the pool any more
            f4 = await node.create_block(True, False, f3.hash)
            assert f4.is_new_best and node.best_hash() == f4.hash and node.hash_of(2) == f2.hash
            notes = heads.drain()
            assert [(n.hash, n.is_new_best) for n in notes] == [
                (b1, True), (b2, True), (b3, True), (f2.hash, False), (f3.hash, False), (f4.hash, True)]
            assert list(notes[-1].retracted) == [b3, b2]
            # The retracted transaction is back in the pool and goes into the next block.
            assert [(s.kind, s.hash) for s in watcher.drain()] == [
                ("ready", None), ("inBlock", b2), ("retracted", b2), ("ready", None)]
            b5 = (await node.create_block(False, True, None)).hash
            assert node.body(b5)[2] == xt
            assert [(s.kind, s.hash) for s in watcher.drain()] == [("inBlock", b5), ("finalized", b5)]
            assert node.finalized_hash() == b5
            with pytest.raises(BlockNotFound) as missing:
                await node.create_block(True, False, b"\x01" * 32)
            assert missing.value.code == 13000 and "doesn't exist in chain" in missing.value.message
            # Below finality nothing can be built or finalized.
            with pytest.raises(FinalizationError):
                await node.finalize_block(b3)

    run(scenario())


def test_finalizing_a_fork_makes_it_best(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            b1 = (await node.create_block(True, False, None)).hash
            b2 = (await node.create_block(True, False, None)).hash
            f2 = (await node.create_block(True, False, b1)).hash
            heads = node.blocks()
            assert node.best_hash() == b2
            await node.finalize_block(f2)
            assert node.best_hash() == node.finalized_hash() == f2
            note = heads.drain()[-1]
            assert note.hash == f2 and note.is_new_best and list(note.retracted) == [b2]

    run(scenario())


def test_finality_lag_keeps_blocks_unfinalized(tmp_path: Path):
    with open_chain(tmp_path / "db") as db:
        config = make_config("--sealing", "manual", "--finality-lag", "2")

        async def scenario() -> None:
            async with Node.start(config, db) as node:
                finals = node.finalized_blocks()
                last = await node.new_blocks(5)
                assert node.best_hash() == last and db.best_number == 5 and db.finalized_number == 3
                assert [h.number for h in finals.drain()] == [1, 2, 3]
                assert await node.new_blocks(to=7) == node.best_hash() and db.finalized_number == 5
                assert await node.new_blocks(to=3) == node.best_hash() and db.best_number == 7

        run(scenario())


def test_a_stored_value_with_a_trailing_byte_is_still_read(manual):
    """FRAME decodes storage leniently (trailing bytes ignored): Alice's account with one byte
    too many still gives her nonce and balance, and she can still transact."""
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            await node.new_blocks(1)
            key = system.pallet.Storage.Account.hashed_key(ALICE.account_id)
            raw = node.storage(node.best_hash(), key)
            await node.set_storage({key: raw + b"\x07"})
            assert node.storage(node.best_hash(), key) == raw + b"\x07"
            assert node.account_next_index(ALICE.account_id) == read(node, node.best_hash(),
                                                                     lambda: system.account(ALICE.account_id)).nonce
            before = read(node, node.best_hash(), lambda: system.account(ALICE.account_id))
            assert before.data.free > 0
            node.submit_extrinsic(sign(ALICE, remark(b"x"), nonce=before.nonce, genesis_hash=node.info.genesis_hash))
            h = await node.new_blocks()
            assert read(node, h, lambda: system.account(ALICE.account_id)).nonce == before.nonce + 1

    run(scenario())


def test_dev_helpers_set_storage_time_travel_set_head_snapshot_revert(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            await node.new_blocks(2)
            key = b"\xab" * 16
            h = await node.set_storage({key: b"v1"})
            assert node.storage(h, key) == b"v1" and node.header(h).number == 3
            h = await node.set_storage({key: None})
            assert node.storage(h, key) is None
            with pytest.raises(ValueError):
                await node.set_storage({b":child_storage:default:x": b"1"})

            # Time travel: forward, then back before the best block's time.
            ahead = read(node, node.best_hash(), timestamp.get) + 10 * 86_400_000
            assert await node.time_travel(ahead) == ahead
            h = await node.new_blocks()
            assert read(node, h, timestamp.get) == ahead
            h = await node.new_blocks()
            assert read(node, h, timestamp.get) >= ahead + 250
            back = ahead - 365 * 86_400_000
            await node.time_travel(back)
            h = await node.new_blocks()
            assert read(node, h, timestamp.get) == back and slot_of(node.header(h)) == back // 250
            h2 = await node.new_blocks()
            assert read(node, h2, timestamp.get) >= back + 250
            # A time in genesis's slot, or one the u64 clock could not go on from, is refused
            # and changes nothing: blocks go on.
            for bad in (0, 1, 249, 2**64 - 1, 2**64 - 1 - 86_400_000 + 1):
                with pytest.raises(ValueError):
                    await node.time_travel(bad)
            h3 = await node.new_blocks()
            assert node.header(h3).parent_hash == h2 and read(node, h3, timestamp.get) >= back + 500
            assert await node.time_travel(250) == 250  # the first slot after genesis's is fine
            h4 = await node.new_blocks()
            assert read(node, h4, timestamp.get) == 250 and slot_of(node.header(h4)) == 1
            h = await node.new_blocks()
            assert node.header(h).parent_hash == h4

            # Snapshot and revert (below finality: a dev rewind), and set_head.
            snap = await node.snapshot()
            at_snapshot = node.best_hash()
            heads = node.blocks()
            await node.new_blocks(3)
            balance_key_block = node.best_hash()
            assert await node.revert(snap) is True and await node.revert(snap) is False
            assert node.best_hash() == node.finalized_hash() == at_snapshot
            note = heads.drain()[-1]
            assert note.hash == at_snapshot and note.is_new_best and len(note.retracted) == 3
            assert timestamp.Now.storage_key in note.changes  # the storage difference to the old best
            assert node.header(balance_key_block).number == node.header(at_snapshot).number + 3  # still stored
            h = await node.new_blocks()
            assert node.header(h).parent_hash == at_snapshot
            assert await node.set_head(2) == node.hash_of(2) == node.best_hash()
            assert await node.set_head(balance_key_block) == node.best_hash() == balance_key_block
            with pytest.raises(UnknownBlockError):
                await node.set_head(b"\x07" * 32)

    run(scenario())


def test_revert_does_not_replay_reverted_transactions(manual):
    config, db = manual

    async def scenario() -> None:
        async with Node.start(config, db) as node:
            snap = await node.snapshot()
            before = free(node, DAVE.account_id)
            node.submit_extrinsic(sign(BOB, transfer(DAVE.account_id, 10**9), nonce=0,
                                       genesis_hash=node.info.genesis_hash))
            await node.create_block(False, True, None)
            assert free(node, DAVE.account_id) == before + 10**9
            await node.revert(snap)
            assert free(node, DAVE.account_id) == before and node.pending_extrinsics() == []
            await node.new_blocks()
            assert free(node, DAVE.account_id) == before and node.account_next_index(BOB.account_id) == 0

    run(scenario())


# -- automatic sealing ---------------------------------------------------------------------------


def test_instant_sealing_makes_a_block_per_ready_transaction(tmp_path: Path):
    with open_chain(tmp_path / "db") as db:
        config = make_config("--sealing", "instant")

        async def scenario() -> None:
            async with Node.start(config, db, finality_delay=0.4) as node:
                await asyncio.sleep(0.05)
                assert db.best_number == 0  # nothing to seal
                g = node.info.genesis_hash
                watcher = node.submit_and_watch(sign(BOB, remark(b"one"), nonce=0, genesis_hash=g))
                statuses = [(s.kind, time.monotonic()) async for s in watcher]
                assert [kind for kind, _ in statuses] == ["ready", "inBlock", "finalized"] and db.best_number == 1
                # Finality comes half a slot after the block, not in the same instant (clients
                # fetch the block's events on inBlock before they take a finalized).
                assert statuses[2][1] - statuses[1][1] >= node.finality_delay * 0.9
                node.submit_extrinsic(sign(BOB, remark(b"two"), nonce=1, genesis_hash=g))
                node.submit_extrinsic(sign(BOB, remark(b"three"), nonce=2, genesis_hash=g))
                for _ in range(500):
                    await asyncio.sleep(0.01)
                    if not node.pending_extrinsics() and db.finalized_number == db.best_number:
                        break
                assert db.best_number == 2 and db.finalized_number == 2
                assert sum(len(node.body(node.hash_of(n))) - 2 for n in range(1, db.best_number + 1)) == 3
                node.submit_extrinsic(sign(BOB, remark(b"four"), nonce=3, genesis_hash=g))
                while db.best_number < 3:
                    await asyncio.sleep(0.005)
                assert db.finalized_number == 2
            assert db.finalized_number == 3  # what was due is finalized when the node stops

        run(scenario())


def test_interval_sealing_produces_blocks_on_a_timer_and_logs_like_substrate(tmp_path: Path, caplog):
    with open_chain(tmp_path / "db") as db:
        config = dataclasses.replace(make_config(), sealing=Sealing(SealingMode.INTERVAL, 50))

        async def scenario() -> None:
            async with Node.start(config, db, informant_interval=0.1) as node:
                await asyncio.sleep(0.5)
                assert node.pool.ready_count == 0
            # What was due is finalized on stop: all but the last `finality_lag` blocks (1 with timed blocks).
            assert config.finality_lag == 1
            assert db.best_number >= 4 and db.finalized_number == db.best_number - 1
            stamps = [read(node, node.hash_of(n), timestamp.get) for n in range(1, db.best_number + 1)]
            assert all(b - a >= 250 for a, b in itertools.pairwise(stamps))  # 50 ms timer, 250 ms slots

        with caplog.at_level(logging.INFO):
            run(scenario())
    text = caplog.text
    assert re.search(r"🎁 Prepared block for proposing at 1 \(\d+ ms\) \[hash: 0x[0-9a-f]{64}; parent_hash: "
                     r"0x[0-9a-f]{4}…[0-9a-f]{4}; extrinsics \(2\): \[0x[0-9a-f]{4}…[0-9a-f]{4}, "
                     r"0x[0-9a-f]{4}…[0-9a-f]{4}\]\]", text)
    assert re.search(r"✨ Imported #1 \(0x[0-9a-f]{4}…[0-9a-f]{4}\)", text)
    assert re.search(r"💤 Idle \(0 peers\), best: #\d+ \(0x[0-9a-f]{4}…[0-9a-f]{4}\), finalized #\d+ "
                     r"\(0x[0-9a-f]{4}…[0-9a-f]{4}\), ⬇ 0 ⬆ 0", text)


def test_a_block_begun_late_in_its_slot_proposes_and_revalidates_only_until_the_slot_allows(tmp_path: Path):
    # As the slot worker's `proposing_remaining_duration`: two thirds of the slot, but not
    # past its end; the pool's revalidation until 90% of the slot, counted from its start.
    now = [4_000 * 250 + 200]  # 200 ms into a slot (the node's clock; it stays there)
    seen: dict[str, list[float]] = {"propose": [], "revalidate": []}
    with open_chain(tmp_path / "db") as db:
        config = dataclasses.replace(make_config(), sealing=Sealing(SealingMode.INTERVAL, 250))

        async def scenario() -> None:
            async with Node.start(config, db, clock=lambda: now[0]) as node:
                propose, imported = node.author.propose, node.pool.on_block_imported

                def spy_propose(*args, deadline=None, **kwargs):
                    seen["propose"].append(deadline)
                    return propose(*args, deadline=deadline, **kwargs)

                def spy_imported(*args, revalidate_until=None, **kwargs):
                    seen["revalidate"].append(revalidate_until)
                    return imported(*args, revalidate_until=revalidate_until, **kwargs)

                node.author.propose, node.pool.on_block_imported = spy_propose, spy_imported
                for into in (200, 10):
                    now[0] = 4_000 * 250 + into
                    began = time.perf_counter()
                    await node._seal_automatic()
                    seen.setdefault("began", []).append(began)

        run(scenario())
    (late, early), (late_reval, early_reval) = seen["propose"], seen["revalidate"]
    began_late, began_early = seen["began"]
    # Both deadlines count from one reading of the clocks, a moment after `began` (how long
    # after depends on the machine's load): their difference is exact, their distance from
    # `began` only bounded.
    assert late - late_reval == pytest.approx(0.050 - 0.025)  # the slot's end; 225 ms into it
    assert early - early_reval == pytest.approx(0.250 * 2 / 3 - 0.215)  # two thirds of it; 225 ms
    assert late - began_late < 0.150  # not two thirds of a slot (167 ms) from when it began
    assert early - began_early >= 0.250 * 2 / 3 and early_reval - began_early >= 0.215


# -- restarts ------------------------------------------------------------------------------------


def test_restart_on_the_same_base_path_continues_the_chain(tmp_path: Path):
    config = make_config("--sealing", "manual")
    with open_chain(tmp_path / "db") as db:

        async def first() -> bytes:
            async with Node.start(config, db) as node:
                node.submit_extrinsic(sign(BOB, transfer(DAVE.account_id, 10**9), nonce=0,
                                           genesis_hash=node.info.genesis_hash))
                await node.new_blocks(3)
                return node.best_hash()

        best = run(first())
    with open_chain(tmp_path / "db") as db:
        assert db.best_hash == best and db.best_number == 3

        async def second() -> None:
            async with Node.start(config, db) as node:
                assert node.best_hash() == best and node.account_next_index(BOB.account_id) == 1
                h = (await node.create_block(True, True, None)).hash
                assert node.header(h).parent_hash == best and node.header(h).number == 4
                assert read(node, h, timestamp.get) - read(node, best, timestamp.get) >= 250

        run(second())
        db.check()


# -- the program ---------------------------------------------------------------------------------


class Program:
    """`python -m node …` with its stderr read line by line in the background."""

    def __init__(self, *argv: str, command: list[str] | None = None) -> None:
        command = command or [sys.executable, "-m", "pysubtensor"]
        self.proc = subprocess.Popen([*command, *argv], cwd=REPO, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in {timeout} s:\n" + "\n".join(self.seen)) from None
            if line is None:
                raise AssertionError(f"the node exited ({self.proc.wait()}) before {pattern!r}:\n"
                                     + "\n".join(self.seen))
            self.seen.append(line)
            m = re.search(pattern, line)
            if m:
                return m

    def stop(self, sig: int = signal.SIGINT) -> int:
        self.proc.send_signal(sig)
        rc = self.proc.wait(30)
        while (line := self.lines.get(timeout=5)) is not None:
            self.seen.append(line)
        return rc


def test_pysubtensor_dev_produces_blocks_and_stops_cleanly():
    script = Path(sys.executable).with_name("pysubtensor")  # the installed console script, if any
    node = Program("--dev", "--rpc-port", "0", "--no-prometheus", command=[str(script)] if script.exists() else None)
    try:
        db_line = node.wait_for(r"💾 Database: LevelDb at (.*)$")
        node.wait_for(r"👤 Authoring with //Alice")
        for n in (1, 2, 3):
            node.wait_for(rf"✨ Imported #{n} \(0x[0-9a-f]{{4}}…[0-9a-f]{{4}}\)")
        assert any("🎁 Prepared block for proposing at 3" in line for line in node.seen)
    finally:
        rc = node.stop(signal.SIGTERM)
    assert rc == 0, "\n".join(node.seen)
    assert not any("Traceback" in line for line in node.seen)
    assert not Path(db_line.group(1)).parents[3].exists(), "the --tmp base path was not removed"


def test_bad_input_is_one_line_and_a_non_zero_exit(tmp_path: Path):
    def one_line(*argv: str) -> str:
        result = subprocess.run([sys.executable, "-m", "pysubtensor", *argv], cwd=REPO, capture_output=True, text=True,
                                timeout=60)
        lines = [line for line in result.stderr.splitlines() if not re.match(r"\d{4}-\d\d-\d\d ", line)]
        assert result.returncode == 1 and len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        return lines[0]

    assert "unknown chain 'nosuch'" in one_line("--chain", "nosuch", "--tmp")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert f"cannot listen on 127.0.0.1:{port}" in one_line("--dev", "--rpc-port", str(port), "--no-prometheus")
        assert "--prometheus-port" in one_line("--dev", "--rpc-port", "0", "--prometheus-port", str(port))
    corrupt = tmp_path / "corrupt"
    db_dir = database_path(corrupt, "bittensor")
    db_dir.mkdir(parents=True)
    (db_dir / "CURRENT").write_text("MANIFEST-000099\n")  # names a manifest that is not there
    assert one_line("--dev", "--base-path", str(corrupt), "--rpc-port", "0", "--no-prometheus").startswith("Error: ")
    a_file = tmp_path / "file"
    a_file.write_text("")
    assert "not a directory" in one_line("--dev", "--base-path", str(a_file), "--rpc-port", "0")


@pytest.mark.slow
def test_kill_9_at_random_moments_always_restarts_consistently(tmp_path: Path):
    rnd = random.Random(int.from_bytes(os.urandom(4), "little"))
    db_path = database_path(tmp_path, "bittensor")
    best = finalized = 0
    for round_ in range(20):
        node = Program("--dev", "--sealing", "100", "--base-path", str(tmp_path), "--rpc-port", "0",
                       "--no-prometheus")
        try:
            # It resumes where it stopped and keeps producing.
            while int(node.wait_for(r"✨ Imported #(\d+)").group(1)) <= best:
                pass
            time.sleep(rnd.uniform(0, 0.5))
        finally:
            node.proc.kill()
            node.proc.wait(30)
        with ChainDB.open(db_path) as db:
            header = db.header(db.best_hash)
            assert header is not None and db.best_number > best, f"round {round_}"
            # The head's flat index holds exactly the state the best header commits to.
            assert trie_root(dict(db.state.view().pairs()), 1) == header.state_root, f"round {round_}"
            assert db.state.head_root == header.state_root
            # Finality trails by at most half a slot's worth of blocks and never goes back.
            assert finalized <= db.finalized_number <= db.best_number, f"round {round_}"
            db.check()
            best, finalized = db.best_number, db.finalized_number


# -- the service wiring --------------------------------------------------------------------------


@contextmanager
def sigterm_after(seconds: float) -> Iterator[None]:
    """A stuck `service.run` in this process gets SIGTERM (and stops) after `seconds`."""
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def test_metrics_server_serves_the_node_metrics(manual):
    import aiohttp

    from pysubtensor.node.service import serve_metrics

    config, db = manual

    async def scenario() -> str:
        async with Node.start(config, db) as node:
            await node.new_blocks(2)
            async with serve_metrics(node.metrics.registry, PrometheusEndpoint("127.0.0.1", 0)) as address, \
                    aiohttp.ClientSession() as session, session.get(f"http://{address}/metrics") as response:
                assert response.status == 200
                return await response.text()

    text = run(scenario())
    assert 'substrate_block_height{chain="bittensor",status="best"} 2' in text
    assert 'substrate_block_height{chain="bittensor",status="finalized"} 2' in text
    assert 'substrate_ready_transactions_number{chain="bittensor"} 0' in text


def test_run_wires_node_metrics_and_rpc_and_stops_on_sigterm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from contextlib import asynccontextmanager

    from pysubtensor.node import service

    seen: list[Any] = []

    @asynccontextmanager
    async def serve(node: Node, config: NodeConfig) -> Any:
        seen.append((node, config))
        await node.new_blocks(1)
        asyncio.get_running_loop().call_later(0.1, os.kill, os.getpid(), signal.SIGTERM)
        yield
        seen.append("stopped")

    monkeypatch.setattr(service, "serve_rpc", serve)
    before = signal.getsignal(signal.SIGTERM)
    config = dataclasses.replace(make_config("--sealing", "manual"), prometheus=PrometheusEndpoint("127.0.0.1", 0))
    with open_chain(tmp_path / "db") as db, sigterm_after(30):
        assert service.run(config, db) == 0
        assert db.best_number == 1
    assert isinstance(seen[0][0], Node) and seen[0][1] is config and seen[-1] == "stopped"
    assert signal.getsignal(signal.SIGTERM) == before


def test_run_reports_a_port_taken_at_bind_time_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from pysubtensor.node import service

    with socket.socket() as s, open_chain(tmp_path / "db") as db:
        s.bind(("127.0.0.1", 0))
        s.listen()
        config = dataclasses.replace(make_config("--sealing", "manual"),
                                     prometheus=PrometheusEndpoint("127.0.0.1", s.getsockname()[1]))
        with sigterm_after(30):
            assert service.run(config, db) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: cannot start a server: ")


def test_a_full_pool_refuses_with_1016_and_every_accepted_transaction_is_included(tmp_path: Path):
    """`--pool-limit 4`: the fifth transfer (subtensor gives every transfer the same priority)
    is refused with 1016 and the pool is unchanged; the four accepted are included. The
    eviction of worse transactions (`dropped` to their watchers) is in tests/unit/test_txpool.py."""
    from pysubtensor.node.txpool import ImmediatelyDropped

    with open_chain(tmp_path / "db") as db:
        config = make_config("--sealing", "manual", "--pool-limit", "4")

        async def scenario() -> None:
            async with Node.start(config, db) as node:
                g = node.info.genesis_hash
                watchers = [node.submit_and_watch(sign(BOB, transfer(DAVE.account_id, 10**9), nonce=n, genesis_hash=g))
                            for n in range(4)]
                pending = node.pending_extrinsics()
                for who, nonce in ((CHARLIE, 0), (BOB, 4)):
                    with pytest.raises(ImmediatelyDropped) as refused:
                        node.submit_and_watch(sign(who, transfer(DAVE.account_id, 10**9), nonce=nonce, genesis_hash=g))
                    assert refused.value.to_rpc() == {
                        "code": 1016, "message": "Immediately Dropped",
                        "data": "The transaction couldn't enter the pool because of the limit"}
                    assert node.pending_extrinsics() == pending
                created = await node.create_block(False, True, None)
                assert [[s.kind for s in w.drain()] for w in watchers] == [["ready", "inBlock", "finalized"]] * 4
                assert node.body(created.hash)[-4:] == pending and node.pending_extrinsics() == []
                # Room again: Charlie's transfer goes in now.
                node.submit_extrinsic(sign(CHARLIE, transfer(DAVE.account_id, 10**9), nonce=0, genesis_hash=g))

        run(scenario())
