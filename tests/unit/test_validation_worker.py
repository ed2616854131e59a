"""The pool's validation worker (node/validation_worker.py) against the node's own validation.

A real worker process is started for an in-process node (`Node.validation_worker()`); every
validity it returns is compared with what `Node._validate` computes on the node's state at the
same block (valid transfers and staking calls, stale and future nonces, bad signatures, an
account that cannot pay, undecodable bytes), at several blocks, after a reorg, a dev rewind
and a `:code` write; its replica is compared key by key (digest) with the node's state. Also:
a killed worker falls back and restarts, a replica too large or another runtime turns the
worker off, the process is reaped on exit, and revalidation uses the worker's answers. Workers
forked from a fork server (as the node's entry point does) validate the same, restart forked,
exit cleanly, fall back to a fresh process without it, share the runtime's pages with the node
and die with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pysubtensor.node import service as service_module
from pysubtensor.node import validation_worker as vw
from pysubtensor.node.config import NodeConfig
from pysubtensor.node.db import ChainDB
from pysubtensor.node.service import Node, _from_outcome
from pysubtensor.node.txpool import PoolError, TransactionPool
from pysubtensor.node.validation_worker import (
    FALLBACK,
    Replica,
    ValidationWorker,
    state_digest,
    validate_outcome,
)
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.transaction_validity import TransactionSource, TransactionValidityError
from tests.integration.test_service import make_config as _make_config
from tests.integration.test_service import open_chain
from tests.unit.test_author import remark, sign, transfer

EXTERNAL = TransactionSource.EXTERNAL
ALICE, BOB, CHARLIE = (Keypair.from_uri(f"//{n}") for n in ("Alice", "Bob", "Charlie"))
NOBODY = Keypair.from_uri("//NoFundsAtAll")
NETUID = 1  # the subnet `--dev-preset subnet` registers first


def make_config(*argv: str) -> NodeConfig:
    return dataclasses.replace(_make_config(*argv), pool_validation_workers=1)


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 120))


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[ChainDB]:
    with open_chain(tmp_path / "db") as db:
        yield db


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The extrinsics validated in the node's process (not by the worker), in order."""
    seen: list[bytes] = []
    real = service_module.validate_transaction

    def counting(backend: Any, source: str, encoded: Any, *args: Any, **kw: Any) -> Any:
        seen.append(bytes(encoded))
        return real(backend, source, encoded, *args, **kw)

    monkeypatch.setattr(service_module, "validate_transaction", counting)
    return seen


async def _usable(worker: ValidationWorker, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not worker.usable:
        assert loop.time() < deadline, "the validation worker did not become usable"
        await asyncio.sleep(0.02)


def _in_process(node: Node, encoded: bytes, at: bytes) -> Any:
    try:
        return node._validate(EXTERNAL, encoded, at)
    except (TransactionValidityError, PoolError) as e:
        return (type(e).__name__, str(e), getattr(e, "kind", None), getattr(e, "reason", None),
                getattr(e, "code", None))


def _from_worker(outcome: Any) -> Any:
    try:
        return _from_outcome(outcome)
    except (TransactionValidityError, PoolError) as e:
        return (type(e).__name__, str(e), getattr(e, "kind", None), getattr(e, "reason", None),
                getattr(e, "code", None))


async def _compare(node: Node, worker: ValidationWorker, xts: list[bytes]) -> list[Any]:
    """Each extrinsic validated by the worker and in process at the best block: equal."""
    at = node.best_hash()
    future = worker.validate_many(at, [(EXTERNAL, x) for x in xts])
    assert future is not None, "the worker is not at the best block"
    outcomes = await future
    assert outcomes is not None
    got = [_from_worker(o) for o in outcomes]
    want = [_in_process(node, x, at) for x in xts]
    assert got == want
    return got


async def _same_state(node: Node, worker: ValidationWorker) -> None:
    future = worker.digest()
    assert future is not None
    head, digest = await future
    best = node.best_hash()
    assert head == best
    assert digest == state_digest(node._view(best).pairs())


def _set_of_transactions(node: Node, nonce: int) -> list[bytes]:
    g = node.chain.genesis_hash
    good = sign(ALICE, transfer(BOB.account_id, 10**9), nonce=nonce, genesis_hash=g)
    bad_sig = bytearray(sign(ALICE, transfer(BOB.account_id, 10**9 + 1), nonce=nonce, genesis_hash=g))
    bad_sig[40] ^= 0xFF  # inside the signature
    stake_amount = 5 * 10**9
    calls = [
        good,
        sign(ALICE, transfer(BOB.account_id, 10**9), nonce=max(nonce - 1, 0) if nonce else 0,
             genesis_hash=g, tip=1),  # stale once Alice has sent one
        sign(ALICE, transfer(BOB.account_id, 10**9), nonce=nonce + 3, genesis_hash=g),  # future
        bytes(bad_sig),
        sign(NOBODY, transfer(BOB.account_id, 10**9), nonce=0, genesis_hash=g),  # cannot pay the fee
        sign(CHARLIE, remark(b"x" * 100), nonce=node.account_next_index(CHARLIE.account_id), genesis_hash=g),
        sign(BOB, ("SubtensorModule", ("add_stake", {"hotkey": Keypair.from_uri("//Bob//validator1").account_id,
                                                     "netuid": NETUID, "amount_staked": stake_amount})),
             nonce=node.account_next_index(BOB.account_id), genesis_hash=g),
        sign(BOB, ("SubtensorModule", ("remove_stake", {"hotkey": Keypair.from_uri("//Bob//validator1").account_id,
                                                        "netuid": NETUID, "amount_unstaked": 10**9})),
             nonce=node.account_next_index(BOB.account_id) + 1, genesis_hash=g),
        sign(BOB, ("SubtensorModule", ("add_stake", {"hotkey": NOBODY.account_id, "netuid": 77,
                                                     "amount_staked": stake_amount})),
             nonce=node.account_next_index(BOB.account_id), genesis_hash=g),  # no such subnet
        b"\x0c\x04\x05\x06",  # undecodable body, well-formed opaque bytes
        b"\xff",  # not even opaque bytes
    ]
    return calls


def test_worker_validities_equal_the_nodes_at_several_blocks_and_its_replica_the_state(chain):
    config = make_config("--sealing", "manual", "--dev-preset", "subnet")

    async def scenario() -> None:
        async with Node.start(config, chain) as node, node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            await _same_state(node, worker)
            kinds: set[str] = set()
            reasons: set[str] = set()
            for step in range(3):
                nonce = node.account_next_index(ALICE.account_id)
                got = await _compare(node, worker, _set_of_transactions(node, nonce))
                kinds.update(g[0] if isinstance(g, tuple) else "valid" for g in got)
                reasons.update(g[3] for g in got if isinstance(g, tuple) and g[0] == "TransactionValidityError")
                # A block with Alice's transfer and Bob's stake: the replica follows by delta.
                node.submit_extrinsic(sign(ALICE, transfer(BOB.account_id, 10**9), nonce=nonce,
                                           genesis_hash=chain.genesis_hash))
                await node.create_block(True, True, None)
                await _same_state(node, worker)
                assert step == 0 or node.account_next_index(ALICE.account_id) == nonce + 1
            # valid, refused (stale, future are valid-with-requires, payment, bad proof, staking), format
            assert {"valid", "TransactionValidityError", "BadFormat", "VerificationFailed"} <= kinds
            assert {"Stale", "BadProof", "Payment"} <= reasons, reasons

    run(scenario())


def test_reorg_set_head_revert_and_a_code_write_keep_the_replica_exact(chain):
    config = make_config("--sealing", "manual")

    async def scenario() -> None:
        async with Node.start(config, chain) as node, node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            g = chain.genesis_hash
            genesis = node.best_hash()
            snap = await node.snapshot()
            node.submit_extrinsic(sign(ALICE, transfer(BOB.account_id, 7 * 10**9), nonce=0, genesis_hash=g))
            a1 = (await node.create_block(True, False, None)).hash
            await _same_state(node, worker)
            # A fork from genesis that grows longer: a reorg, the replica resynced.
            f1 = (await node.create_block(True, False, genesis)).hash
            assert node.best_hash() == a1
            await node.create_block(True, False, f1)
            assert node.best_hash() != a1
            await _same_state(node, worker)
            await _compare(node, worker, _set_of_transactions(node, node.account_next_index(ALICE.account_id)))
            # Dev rewinds: set_head and revert, then a `:code` write (what an upgrade changes).
            await node.set_head(a1)
            await _same_state(node, worker)
            await _compare(node, worker, _set_of_transactions(node, node.account_next_index(ALICE.account_id)))
            assert await node.revert(snap)
            assert node.best_hash() == genesis
            await _same_state(node, worker)
            code = node.storage(node.best_hash(), b":code")
            assert code is not None
            await node.set_storage({b":code": code + b"\x00upgrade", b":heappages": None})
            await _same_state(node, worker)
            await _compare(node, worker, _set_of_transactions(node, node.account_next_index(ALICE.account_id)))

    run(scenario())


def test_submissions_go_through_the_worker_and_a_killed_worker_falls_back_and_restarts(chain, caplog, calls):
    config = make_config("--sealing", "manual")

    async def scenario() -> None:
        async with Node.start(config, chain) as node, node.validation_worker() as worker:
            assert worker is not None
            worker.restart_delay = 0.1
            await _usable(worker)
            g = chain.genesis_hash
            xts = [sign(ALICE, transfer(BOB.account_id, 10**9), nonce=n, genesis_hash=g) for n in range(4)]
            aheads = [node.submit_ahead(x) for x in xts]
            assert all(a is not None for a in aheads)
            hashes = await asyncio.gather(*aheads)
            assert worker.sent == 1  # the four in one message
            assert calls == [] and node.pool.ready_count == 4 and not node._ahead and not node._line
            # Kill it: the pending and the next submissions are validated in process.
            pid = worker.process.pid
            ahead = node.submit_ahead(sign(ALICE, transfer(BOB.account_id, 10**9), nonce=4, genesis_hash=g))
            worker.kill()
            assert ahead is not None
            await ahead
            fallback = sign(ALICE, transfer(BOB.account_id, 10**9), nonce=5, genesis_hash=g)
            assert node.submit_ahead(fallback) is None
            node.submit_extrinsic(fallback)
            assert len(calls) == 2 and node.pool.ready_count == 6
            assert any("validation worker stopped" in r.getMessage() for r in caplog.records)
            await _usable(worker)  # restarted
            assert worker.process.pid != pid and worker.restarts == 1
            await node.create_block(True, True, None)
            assert all(h not in node.pool for h in hashes)
            await _same_state(node, worker)

    with caplog.at_level(logging.INFO):
        run(scenario())


def test_revalidation_after_a_block_uses_the_workers_answers(chain, calls):
    config = make_config("--sealing", "manual")

    async def scenario() -> None:
        async with Node.start(config, chain) as node, node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            g = chain.genesis_hash
            stale = sign(CHARLIE, transfer(BOB.account_id, 10**9), nonce=0, genesis_hash=g)
            ok = sign(BOB, transfer(ALICE.account_id, 10**9), nonce=0, genesis_hash=g)
            waiting = sign(ALICE, transfer(BOB.account_id, 10**9), nonce=1, genesis_hash=g)  # needs nonce 0
            for x in (stale, ok, waiting):
                ahead = node.submit_ahead(x)
                assert ahead is not None
                await ahead
            assert calls == [] and node.pool.is_future(_tx_hash(waiting))
            place = node.pool._pool.ready.insertion_id(_tx_hash(ok))
            # A dev block that bumps Charlie's nonce (and takes nothing from the pool): the
            # revalidation at it finds Charlie's transfer stale, with the worker's answer.
            # Alice's nonce moves to 1: her waiting transfer is ready, by revalidation only.
            account = node.storage(node.best_hash(), _account_key(CHARLIE))
            alice = node.storage(node.best_hash(), _account_key(ALICE))
            assert account is not None and alice is not None
            answered = worker.answered
            await node.set_storage({_account_key(CHARLIE): (5).to_bytes(4, "little") + account[4:],
                                    _account_key(ALICE): (1).to_bytes(4, "little") + alice[4:]})
            for _ in range(3000):  # the worker's answer (seconds on a loaded machine)
                if worker.answered > answered and node.pool.status().ready == 2:
                    break
                await asyncio.sleep(0.01)
            assert _tx_hash(stale) not in node.pool
            assert node.pool.is_ready(_tx_hash(waiting))  # re-imported: its validity changed
            # Bob's, unchanged, kept its place (not re-imported behind newer transactions).
            assert node.pool._pool.ready.insertion_id(_tx_hash(ok)) == place
            assert [c for c in calls if c in (stale, ok)] == []  # not validated in process (the block's
            # timestamp inherent is, by the pool's prune, to learn its tags: it has none)

    run(scenario())


def _tx_hash(x: bytes) -> bytes:
    return TransactionPool.hash_of(x)


def _account_key(who: Keypair) -> bytes:
    from pysubtensor.primitives.hashing import blake2_128, storage_prefix

    return storage_prefix("System", "Account") + blake2_128(who.account_id) + who.account_id


def test_a_state_too_large_or_another_runtime_turns_the_worker_off(chain, caplog):
    config = make_config("--sealing", "manual")

    async def scenario() -> None:
        async with Node.start(config, chain) as node:
            small = ValidationWorker(lambda h, limit: node._view(h).pairs(limit=limit), node.best_hash,
                                     version=service_module.runtime_identity(), max_keys=10)
            other = ValidationWorker(lambda h, limit: node._view(h).pairs(limit=limit), node.best_hash,
                                     version=b"another runtime")
            for worker in (small, other):
                await worker.start()
                for _ in range(3000):
                    if worker.disabled:
                        break
                    await asyncio.sleep(0.02)
                assert worker.disabled and not worker.usable
                assert worker.validate_many(node.best_hash(), [(EXTERNAL, b"\x00")]) is None
                process = worker.process
                await worker.close()
                assert process is None or process.poll() is not None
            assert "too much to replicate" in small.disabled
            assert "another runtime" in other.disabled

    with caplog.at_level(logging.INFO):
        run(scenario())


def test_the_worker_process_is_reaped_on_exit_and_off_with_zero_workers(chain):
    async def scenario() -> None:
        async with Node.start(make_config("--sealing", "manual"), chain) as node:
            async with node.validation_worker() as worker:
                assert worker is not None
                await _usable(worker)
                process = worker.process
            assert process.poll() == 0  # asked to exit, it did (not killed), and was reaped
            assert node._worker is None and node.submit_ahead(b"\x00") is None
            off = dataclasses.replace(node.config, pool_validation_workers=0)
            node.config = off
            async with node.validation_worker() as none:
                assert none is None

    run(scenario())


def test_replica_next_key_and_apply_follow_a_dict():
    replica = Replica([(b"b", b"1"), (b"d", b"2")])
    assert replica.next_key(b"a") == b"b" and replica.next_key(b"b") == b"d" and replica.next_key(b"d") is None
    replica.apply({b"c": b"3", b"d": None, b"b": b"9"})
    assert replica.values == {b"b": b"9", b"c": b"3"}
    assert replica.next_key(b"b") == b"c" and replica.next_key(b"c") is None


def test_an_answer_one_block_behind_is_imported_as_of_its_block_and_older_or_forked_ones_are_not(chain, calls):
    config = make_config("--sealing", "manual")

    async def scenario() -> None:
        async with Node.start(config, chain) as node, node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            g = chain.genesis_hash
            b0 = node.best_hash()
            b1 = (await node.create_block(True, False, None)).hash
            fork1 = (await node.create_block(True, False, b0)).hash  # a sibling of b1, not best
            assert node.best_hash() == b1
            assert node._usable_at(b1, 1) and node._usable_at(b0, 0)
            b2 = (await node.create_block(True, False, None)).hash
            assert node._usable_at(b2, 2) and node._usable_at(b1, 1)
            assert not node._usable_at(b0, 0)  # two behind: its tags may have left the pruned sets
            assert not node._usable_at(fork1, 1)  # not on the best chain
            # A submission whose answer comes back after a new block: imported as of its block.
            x = sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0, genesis_hash=g)
            imported_at: list[Any] = []
            pool_submit = node.pool.submit

            def recording(encoded: bytes, **kw: Any) -> bytes:
                imported_at.append(kw.get("at"))
                return pool_submit(encoded, **kw)

            node.pool.submit = recording  # type: ignore[method-assign]
            ahead = node.submit_ahead(x)
            assert ahead is not None
            task = asyncio.ensure_future(ahead)
            await asyncio.sleep(0)  # queued in a batch at b2
            await asyncio.sleep(0)  # the batch sent (before the next block's delta)
            b3 = (await node.create_block(True, False, None)).hash
            tx_hash = await task
            assert node.best_hash() == b3
            assert imported_at == [(b2, 2)]  # the worker's answer at b2, used as of b2
            assert node.pool.is_ready(tx_hash) and calls.count(x) == 0, "not validated in process"
            assert not node._ahead and not node._ahead_at

    run(scenario())


def test_submissions_enter_the_pool_in_the_order_they_arrived(chain):
    # The 20,000-transfer burst with instant sealing: an answer two blocks old used to go
    # back to the worker, behind submissions that came after it; a sender's next nonce then
    # went into the future queue before its predecessor, the future queue (a tenth of the
    # pool) filled, and the burst ran at half speed on 1016 refusals.
    async def scenario() -> None:
        async with Node.start(make_config("--sealing", "manual"), chain) as node, \
                node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            g = chain.genesis_hash
            xts = [sign(ALICE, transfer(BOB.account_id, 10**9), nonce=n, genesis_hash=g) for n in range(4)]
            order: list[int] = []
            pool_submit = node.pool.submit

            def recording(encoded: bytes, **kw: Any) -> bytes:
                order.append(xts.index(encoded) if encoded in xts else -1)
                return pool_submit(encoded, **kw)

            node.pool.submit = recording  # type: ignore[method-assign]

            def submit(n: int) -> asyncio.Future[Any]:
                ahead = node.submit_ahead(xts[n])
                assert ahead is not None
                return asyncio.ensure_future(ahead)

            first = submit(0)
            await asyncio.sleep(0)  # queued in a batch at the best block
            await asyncio.sleep(0)  # the batch sent
            node._produce()  # two blocks before its answer is read: too old to be used
            node._produce()
            rest = [submit(n) for n in (1, 2, 3)]  # asked at the new best
            gone = node.submit_ahead(b"\x00")
            assert gone is not None
            cancelled = asyncio.ensure_future(gone)
            await asyncio.sleep(0)
            cancelled.cancel()  # a client gone while its submission waits: the line goes on
            await asyncio.gather(first, *rest)
            assert order == [0, 1, 2, 3, -1]  # the cancelled one still goes in (refused), last
            assert node.pool.ready_count == 4 and node.pool.future_count == 0
            assert not node._line
            # A submission whose coroutine never runs holds up nobody.
            never = node.submit_ahead(xts[0])
            assert never is not None
            never.close()
            assert not node._line
            x4 = sign(ALICE, transfer(BOB.account_id, 10**9), nonce=4, genesis_hash=g)
            later = node.submit_ahead(x4)
            assert later is not None
            assert await asyncio.wait_for(later, 30) == _tx_hash(x4)
            assert node.pool.ready_count == 5

    run(scenario())


def test_past_its_backlog_the_worker_is_not_asked_and_the_node_validates(chain, monkeypatch, calls):
    # Under a burst the worker's answers to a deep backlog come back blocks late, unusable:
    # past MAX_BACKLOG unanswered submissions the node validates in process (in line order).
    monkeypatch.setattr(vw, "MAX_BACKLOG", 2)

    async def scenario() -> None:
        async with Node.start(make_config("--sealing", "manual"), chain) as node, \
                node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            g = chain.genesis_hash
            xts = [sign(ALICE, transfer(BOB.account_id, 10**9), nonce=n, genesis_hash=g) for n in range(3)]
            aheads = [node.submit_ahead(x) for x in xts]
            assert all(a is not None for a in aheads)
            hashes = await asyncio.gather(*aheads)  # type: ignore[arg-type]
            assert worker.backlog == 0 and worker.sent == 1
            assert calls == [xts[2]]  # the third, past the backlog, validated in process
            assert [node.pool.is_ready(h) for h in hashes] == [True, True, True]

    run(scenario())


def test_transaction_watch_v1_submissions_are_validated_by_the_worker_in_line(chain, calls):
    # polkadot-api submits with transactionWatch_v1_submitAndWatch: the same line as the
    # author_ submissions (arrival order, the worker's validation); a refusal is an event.
    from pysubtensor.rpc.context import RpcContext
    from pysubtensor.rpc.transaction_v1 import transactionWatch_v1_submitAndWatch


    async def scenario() -> None:
        async with Node.start(make_config("--sealing", "manual"), chain) as node, \
                node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            ctx = RpcContext(node=node, allow_unsafe=False)
            g = chain.genesis_hash
            x1, x0 = (sign(ALICE, transfer(BOB.account_id, 10**9), nonce=n, genesis_hash=g) for n in (1, 0))
            streams = await asyncio.gather(transactionWatch_v1_submitAndWatch(ctx, x0),
                                           transactionWatch_v1_submitAndWatch(ctx, x1))
            assert calls == [] and node.pool.ready_count == 2  # the worker's answers, both ready
            firsts = [await anext(stream) for stream in streams]
            assert firsts == [{"event": "validated"}, {"event": "validated"}]
            refused = await transactionWatch_v1_submitAndWatch(ctx, x0)
            assert [event async for event in refused] == [{"event": "invalid",
                                                           "error": "Transaction Already Imported: Any { .. }"}]
            for stream in streams:
                await stream.aclose()

    run(scenario())


def test_a_delta_from_another_block_puts_the_worker_out_of_step_until_a_sync(chain):
    async def scenario() -> None:
        async with Node.start(make_config("--sealing", "manual"), chain) as node, \
                node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            best = node.best_hash()
            x = sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0, genesis_hash=chain.genesis_hash)
            # A validation asked at a block the worker does not hold: no answer.
            worker.head = b"\x03" * 32
            future = worker.validate_many(b"\x03" * 32, [(EXTERNAL, x)])
            assert future is not None and await future is None
            worker.head = best
            # A delta whose base is not the worker's block: it must not be applied.
            other = b"\x01" * 32
            worker._send(("apply", other, b"\x02" * 32, {b"k": b"v"}))
            worker.head = b"\x02" * 32
            digest = worker.digest()  # answered after the delta was handled
            assert digest is not None and await digest == (None, None)  # no state, no head
            future = worker.validate_many(b"\x02" * 32, [(EXTERNAL, x)])
            assert future is not None and await future is None  # out of step: no answer
            worker.resync()
            assert worker.head == best
            await _compare(node, worker, [x])
            await _same_state(node, worker)

    run(scenario())


def test_the_flag_defaults_to_one_worker_with_two_cpus_and_refuses_more_than_one(monkeypatch):
    from pysubtensor.node.cli import build_parser
    from pysubtensor.node.config import ConfigError, config_from_args

    def parse(*argv: str) -> NodeConfig:
        return config_from_args(build_parser().parse_args(["--dev", "--rpc-port", "0", "--no-prometheus", *argv]))

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert parse().pool_validation_workers == 1
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert parse().pool_validation_workers == 0
    assert parse("--pool-validation-workers", "1").pool_validation_workers == 1
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert parse("--pool-validation-workers", "0").pool_validation_workers == 0
    for bad in ("2", "-1"):
        with pytest.raises(ConfigError, match="--pool-validation-workers"):
            parse("--pool-validation-workers", bad)


def test_signatures_the_worker_verified_are_not_verified_again_when_the_block_applies_them(chain, monkeypatch):
    from pysubtensor.runtime import extensions

    verified: list[bytes] = []
    real = extensions.verify_multisignature

    def counting(sig: Any, payload: bytes, who: bytes) -> bool:
        verified.append(who)
        return real(sig, payload, who)

    monkeypatch.setattr(extensions, "verify_multisignature", counting)

    async def scenario() -> None:
        async with Node.start(make_config("--sealing", "manual"), chain) as node, \
                node.validation_worker() as worker:
            assert worker is not None
            await _usable(worker)
            g = chain.genesis_hash
            x = sign(CHARLIE, transfer(BOB.account_id, 10**9), nonce=0, genesis_hash=g, tip=3)
            ahead = node.submit_ahead(x)
            assert ahead is not None
            tx_hash = await ahead
            block = await node.create_block(True, True, None)
            assert tx_hash not in node.pool and _tx_hash(x) in {_tx_hash(b) for b in node.body(block.hash)}
            assert CHARLIE.account_id not in verified  # the worker verified it, for this process too
            # Without the worker's word, the node verifies (the counter sees it).
            y = sign(CHARLIE, transfer(BOB.account_id, 10**9), nonce=1, genesis_hash=g, tip=3)
            node.submit_extrinsic(y)
            assert CHARLIE.account_id in verified

    run(scenario())


def test_a_runtime_failure_in_the_worker_is_validated_again_in_the_node(chain):
    class Failing:
        def get(self, key: bytes) -> bytes | None:
            raise RuntimeError("a backend that fails")

        def next_key(self, key: bytes) -> bytes | None:
            raise RuntimeError("a backend that fails")

    x = sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0, genesis_hash=chain.genesis_hash)
    assert validate_outcome(Failing(), EXTERNAL, x, chain.best_hash) == FALLBACK

    async def scenario() -> None:
        async with Node.start(make_config("--sealing", "manual"), chain) as node:
            at = node.best_hash()
            node._ahead[(EXTERNAL, x, at)] = FALLBACK
            want = _in_process(node, x, at)
            node._ahead[(EXTERNAL, x, at)] = FALLBACK
            assert node._validate(EXTERNAL, x, at) == want  # computed here, not taken from the worker
            assert not node._ahead

    run(scenario())


# -- the fork server: workers forked from an image that has the runtime imported ------------------


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> Iterator[vw.ForkServer]:
    """A fork server forked from this (test) process, the process's for the test."""
    import gc

    monkeypatch.setattr(vw, "_fork_server", None)
    server = vw.start_fork_server()
    gc.unfreeze()  # the test process goes on collecting as before
    assert server is not None and vw.fork_server() is server
    yield server
    server.stop()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{server.pid}").exists() and _state(server.pid) != "Z":
        assert time.monotonic() < deadline, "the fork server did not exit when its socket closed"
        time.sleep(0.02)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(server.pid, 0)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_forked_workers_validate_as_the_node_restart_forked_and_exit_cleanly(chain, forking, caplog):
    config = make_config("--sealing", "manual", "--dev-preset", "subnet")

    async def scenario() -> None:
        async with Node.start(config, chain) as node:
            async with node.validation_worker() as worker:
                assert worker is not None
                worker.restart_delay = 0.1
                await _usable(worker)
                first = worker.process
                assert isinstance(first, vw.ForkedProcess) and _parent(first.pid) == forking.pid
                await _same_state(node, worker)
                nonce = node.account_next_index(ALICE.account_id)
                await _compare(node, worker, _set_of_transactions(node, nonce))
                node.submit_extrinsic(sign(ALICE, transfer(BOB.account_id, 10**9), nonce=nonce,
                                           genesis_hash=chain.genesis_hash))
                await node.create_block(True, True, None)
                await _same_state(node, worker)
                # Killed: reaped by the fork server, which reports how it ended; a new one is forked.
                worker.kill()
                for _ in range(3000):
                    if worker.restarts:
                        break
                    await asyncio.sleep(0.02)
                await _usable(worker)
                assert worker.restarts == 1 and worker.process is not first
                assert isinstance(worker.process, vw.ForkedProcess) and _parent(worker.process.pid) == forking.pid
                assert first.poll() == -signal.SIGKILL
                await _compare(node, worker, _set_of_transactions(node, nonce + 1))
                second = worker.process
            assert second.poll() == 0  # asked to exit, it did, and the fork server reaped it
            assert not Path(f"/proc/{second.pid}").exists()
            # The fork server gone: the next worker is spawned afresh, as without one.
            os.kill(forking.pid, signal.SIGKILL)
            os.waitpid(forking.pid, 0)
            async with node.validation_worker() as worker:
                assert worker is not None
                await _usable(worker)
                assert isinstance(worker.process, subprocess.Popen) and vw.fork_server() is None
                assert worker.restarts == 0  # started so at once, not after a failed start
                await _compare(node, worker, _set_of_transactions(node, nonce + 1))

    with caplog.at_level(logging.INFO):
        run(scenario())
    assert any("fork server is gone" in r.getMessage() for r in caplog.records)


def test_whether_the_entry_point_forks_a_fork_server(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert vw.wants_worker(["--dev", "--tmp"])
    assert vw.wants_worker(["--dev", "--pool-validation-workers", "1"])
    for argv in (["--dev", "--pool-validation-workers", "0"], ["--pool-validation-workers=0", "--dev"],
                 ["build-spec", "--raw"], ["purge-chain", "--dev", "-y"], ["export-genesis-head", "--chain", "x"],
                 ["--help"], ["-h"], ["--version"]):
        assert not vw.wants_worker(argv), argv
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert not vw.wants_worker(["--dev"])
    assert vw.wants_worker(["--dev", "--pool-validation-workers=1"])


def _rollup(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        out[name] = int(rest.split()[0])
    return out


def test_a_node_forks_its_worker_from_the_fork_server_which_dies_with_it(tmp_path):
    """The real entry point: node -> fork server -> worker, the worker ready and sharing the
    runtime's pages with the node (a fresh worker has ~28 MiB of its own); a node killed
    outright takes both with it."""
    log = tmp_path / "node.log"
    with log.open("w") as out:
        node = subprocess.Popen([sys.executable, "-m", "pysubtensor", "--dev", "--tmp", "--rpc-port", "0",
                                 "--no-prometheus", "--pool-validation-workers", "1"], stdout=out,
                                stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while "Pool validation worker ready" not in log.read_text():
            assert node.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        pid = int(log.read_text().split("Pool validation worker ready (pid ")[1].split(")")[0])
        server = _parent(pid)
        assert server != node.pid and _parent(server) == node.pid
        mine = _rollup(pid)
        assert mine["Private_Clean"] + mine["Private_Dirty"] < 12 * 1024, mine
        assert mine["Pss"] < mine["Rss"] / 2, mine
        node.kill()
        node.wait(10)
        deadline = time.monotonic() + 10
        while any(_state(p) not in ("gone", "Z") for p in (server, pid)):
            assert time.monotonic() < deadline, "the fork server or the worker outlived the node"
            time.sleep(0.02)
    finally:
        if node.poll() is None:
            node.kill()
            node.wait(10)
