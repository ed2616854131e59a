"""The running node: block authoring and import, the transaction pool, notifications, the
metrics and JSON-RPC servers, wired as async context managers (node.cli's `_run_service`).

`Node` implements `node.api.NodeHandle`. It is the single owner of chain writes: every block
is built, sealed and imported on the event loop under one lock (`_lock`), in one LevelDB
batch per block (`ChainDB.import_block`), then announced — pool maintenance
(`on_block_imported` / `_retracted` / `_finalized`), `blocks()` and `finalized_blocks()`
subscribers, metrics. Reads (`storage`, `runtime_call`, …) run on views of a block's state
root and never write.

    async with Node.start(config, chain_db) as node:     # in-process, no servers
        result = await node.create_block(True, True, None)

`run(config, chain_db)` is the program: the node, the Prometheus exporter on
`config.prometheus` and the JSON-RPC server (`rpc.server.serve(node, config)`, when that
module exists) in one `AsyncExitStack`, entered in order and left in reverse on SIGINT or
SIGTERM (exit status 0).

Finality: blocks made by the node itself finalize the best chain up to `--finality-lag`
blocks behind the best (0: each block final). For timer and instant-seal blocks this
happens half a slot after the import, as a separate step (as GRANDPA's finality arrives
after the block on a real dev node): clients such as @polkadot/api fetch the block and its
events when a transaction goes `inBlock`, and a `finalized` that arrives within the same
millisecond makes them drop the `inBlock` callback. Dev helpers (`dev_newBlock`,
`dev_setStorage`, `dev_setHead`) finalize at once. `engine_createBlock` finalizes its block
only when asked (`finalize`), as sc-consensus-manual-seal does; `engine_finalizeBlock`
finalizes any block.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from aiohttp import web

from pysubtensor.node.api import MAX_NEW_BLOCKS, BlockNotification, ChainInfo, SealResult, UnknownBlockError
from pysubtensor.node.author import BlockAuthor, InherentsFailed, Proposal
from pysubtensor.node.config import NodeConfig, PrometheusEndpoint, Sealing, SealingMode
from pysubtensor.node.db import ChainDB, ChainDbError, ImportResult, NotInFinalizedChain, UnknownBlock
from pysubtensor.node.dev import SeedError, seed_chain
from pysubtensor.node.drand_dev import BEACON_CONFIG_KEY, NodeOffchainHost, beacon_serving
from pysubtensor.node.log import (
    idle_line,
    imported_line,
    node_version,
    prepared_block_line,
    prometheus_line,
    reorg_line,
    short_hash,
)
from pysubtensor.node.memory import end_startup_pause
from pysubtensor.node.metrics import NodeMetrics, Registry, metrics_app
from pysubtensor.node.notifications import Feed, Subscription
from pysubtensor.node.sealing import (
    BlockImportFailed,
    BlockNotFound,
    ConsensusError,
    EmptyTransactionPool,
    FinalizationError,
    InherentsError,
    SealingWorker,
)
from pysubtensor.node.state import StateView, UnknownStateError
from pysubtensor.node.state.walk import diff_tries
from pysubtensor.node.txpool import (
    BadFormat,
    InvalidBlockId,
    PoolOptions,
    TransactionPool,
    VerificationFailed,
    Watcher,
)
from pysubtensor.node.validation_worker import (
    FALLBACK,
    USABLE_DEPTH,
    Outcome,
    ValidationWorker,
    runtime_identity,
)
from pysubtensor.primitives import offchain
from pysubtensor.primitives.externalities import Externalities, OverlayedChanges
from pysubtensor.primitives.externalities import using as using_externalities
from pysubtensor.primitives.hashing import blake2_256, storage_prefix
from pysubtensor.primitives.header import Header
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.scale import BYTES, U32, U64
from pysubtensor.primitives.transaction_validity import (
    TransactionSource,
    TransactionValidityError,
    ValidTransaction,
)
from pysubtensor.primitives.trie import CHILD_STORAGE_DEFAULT_PREFIX, CHILD_STORAGE_PREFIX
from pysubtensor.rpc.server import serve as serve_rpc
from pysubtensor.runtime import apis
from pysubtensor.runtime import dev as runtime_dev
from pysubtensor.runtime.executive import InvalidExtrinsicBytes, validate_transaction
from pysubtensor.runtime.extensions import nonce_tag, remember_verified_signatures
from pysubtensor.runtime.version import VERSION, RuntimeVersion

__all__ = ["INFORMANT_INTERVAL", "Node", "run", "serve_metrics"]

log = logging.getLogger("substrate")

#: sc-informant's period.
INFORMANT_INTERVAL = 5.0
#: Backend values the pool's validations at one block keep decoded before starting afresh.
_VALIDATION_READS = 65_536
#: Timestamp `Now`: the time of a block (the chain's clock).
_NOW_KEY = storage_prefix("Timestamp", "Now")


#: Worker revalidations that came back for a block no longer the best, in a row, before
#: the next block's revalidation runs in process (blocks faster than the worker answers).
_STALE_LIMIT = 4


def _from_outcome(outcome: Outcome) -> ValidTransaction:
    """A worker's outcome as `_validate` would have returned or raised it."""
    kind = outcome[0]
    if kind == "valid":
        _, priority, requires, provides, longevity, propagate, verified = outcome
        if verified:
            remember_verified_signatures(verified)
        return ValidTransaction(priority, list(requires), list(provides), longevity, propagate)
    if kind == "refused":
        raise TransactionValidityError(outcome[1], outcome[2], outcome[3])
    if kind == "format":
        _, opaque_ok, message = outcome
        if opaque_ok:
            raise VerificationFailed(f"Bad input data provided to validate_transaction: {message}")
        raise BadFormat(message)
    raise ValueError(f"not an outcome: {outcome!r}")


class _InLine:
    """A submission validated ahead, waiting for its turn to enter the pool."""

    __slots__ = ("abandoned", "answer", "asked", "encoded", "result", "watch")

    def __init__(self, encoded: bytes, watch: bool, result: asyncio.Future[Any]) -> None:
        self.encoded = encoded
        self.watch = watch
        self.result = result  # the hash or the Watcher, or the PoolError
        self.answer: tuple[Outcome, bytes, int] | None = None  # the worker's, and its block
        self.asked = False  # the worker answered (or could not): it may go in, in its turn
        self.abandoned = False


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


def _hex(h: bytes) -> str:
    return "0x" + h.hex()


class Node:
    """The node behind the RPC layer (`node.api.NodeHandle`). Create it with `Node.start`."""

    def __init__(self, config: NodeConfig, chain_db: ChainDB, *, clock: Callable[[], int] = wall_clock_ms,
                 informant_interval: float = INFORMANT_INTERVAL, finality_delay: float | None = None) -> None:
        self.config = config
        self.chain = chain_db
        self.state = chain_db.state
        if config.frozen_clock:  # `--dev-clock frozen`: only blocks (and dev_timeTravel) move time
            started = clock()
            clock = lambda: started  # noqa: E731
        self._clock = clock
        self._informant_interval = informant_interval
        spec = config.chain.spec
        properties = (spec.properties if spec is not None
                      else dict(config.chain.preset.properties) if config.chain.preset is not None else {})
        keypair = Keypair.from_uri(f"//{config.dev_key}") if config.dev_key is not None else None
        self.info = ChainInfo(name=config.chain.name, id=config.chain.id, chain_type=config.chain.chain_type,
                              properties=properties, node_name=config.name, node_version=node_version(),
                              genesis_hash=chain_db.genesis_hash, is_authority=config.is_authority,
                              authoring_key=keypair.public_key if keypair is not None else None)
        self.metrics = NodeMetrics(Registry({"chain": config.chain.id}), node_name=config.name,
                                   version=self.info.node_version, is_authority=config.is_authority)
        slot_raw = self.runtime_call(chain_db.best_hash, "AuraApi_slot_duration", b"")
        self.author = BlockAuthor(self.state, keypair, slot_duration=U64.decode(slot_raw)[0])
        #: The pool validates many transactions at one block: the state's values they read are
        #: read and decoded once per block (root -> shared read cache; bounded).
        self._validation_reads: tuple[bytes | None, dict[bytes, Any]] = (None, {})
        #: The pool's validation on a second core (node/validation_worker.py), once started.
        self._worker: ValidationWorker | None = None
        #: Validities the worker computed ahead of the pool's call: (source, bytes, block) ->
        #: outcome; consumed by `_validate` at that block, cleared at every new best.
        self._ahead: dict[tuple[str, bytes, bytes], Outcome] = {}
        #: The block each submission validated ahead was validated at (bytes -> (hash, number)).
        self._ahead_at: dict[bytes, tuple[bytes, int]] = {}
        #: Revalidation results that came back for a block no longer the best, in a row.
        self._stale_revalidations = 0
        self._revalidating: bytes | None = None  # the block a worker revalidation runs at
        #: Submissions being validated ahead, in arrival order: they enter the pool in it.
        self._line: deque[_InLine] = deque()
        self.pool = TransactionPool(self._validate, best_hash=chain_db.best_hash, best_number=chain_db.best_number,
                                    options=PoolOptions.from_cli(
                                        pool_limit=config.pool_limit, pool_kbytes=config.pool_kbytes,
                                        tx_ban_seconds=config.tx_ban_seconds, is_dev=config.dev))
        self._blocks: Feed[BlockNotification] = Feed()
        self._revalidate_until: float | None = None  # end of the pool's share of the slot being built
        self._finalized: Feed[Header] = Feed()
        self._lock = asyncio.Lock()
        #: Added to the wall clock for block times (dev_timeTravel moves it).
        self._time_offset = 0
        #: The exact time of the next block after dev_timeTravel.
        self._travel_to: int | None = None
        self._snapshots: dict[int, bytes] = {}
        self._next_snapshot = 1
        self._metadata: bytes | None = None
        #: Seconds between a timer/instant block and its finality (default: half a slot).
        self.finality_delay = self.author.slot_duration / 2000 if finality_delay is None else finality_delay
        self._finality_timer: asyncio.TimerHandle | None = None
        self._finality_task: asyncio.Task[None] | None = None
        #: The offchain worker's `drnd` key: a Development chain's authority runs the offchain
        #: worker, with the local drand beacon (node/drand_dev.py); None elsewhere.
        self._offchain_keypair = keypair if config.is_authority and config.chain.is_dev else None
        self._note_metrics()

    # -- lifecycle ----------------------------------------------------------------------

    @classmethod
    @asynccontextmanager
    async def start(cls, config: NodeConfig, chain_db: ChainDB, *, clock: Callable[[], int] = wall_clock_ms,
                    informant_interval: float = INFORMANT_INTERVAL,
                    finality_delay: float | None = None) -> AsyncIterator[Node]:
        """Start the node (authoring per `config.sealing`, the informant); stop it on exit."""
        node = cls(config, chain_db, clock=clock, informant_interval=informant_interval,
                   finality_delay=finality_delay)
        async with AsyncExitStack() as stack:
            stack.callback(node._close_feeds)
            stack.push_async_callback(node._stop_finality)
            node._log_authoring()
            if config.sealing.mode is not SealingMode.MANUAL:
                node._auto_finalize()  # a kill between a block's import and its finality
            await node._dev_start()  # before the slot timer: the seeded chain is always the same
            await stack.enter_async_context(node._sealing_worker())
            informant = asyncio.create_task(node._informant(), name="informant")
            stack.push_async_callback(_cancel, informant)
            yield node
            # Let an in-flight block finish before the stack unwinds.
            async with node._lock:
                pass

    def _log_authoring(self) -> None:
        key = self.author.keypair
        if key is None:
            log.info("👤 No authority key (use --alice … or --dev): this node does not author blocks")
            return
        root = self.chain.state_root(self.chain.best_hash)
        assert root is not None
        if not self.author.owns_slots(root):
            log.warning("👤 //%s is not in the Aura authority set; it seals every slot anyway (a dev chain "
                        "shortcut: nodes that verify seals would reject these blocks)", self.config.dev_key)
        lag = self.config.finality_lag
        finality = "every block final" if lag == 0 else f"finality {lag} blocks behind the best"
        if self.config.sealing.mode is not SealingMode.MANUAL:
            finality += f" {self.finality_delay * 1000:.0f} ms after its import"
        log.info("👤 Authoring with //%s (%s): sealing %s, %s", self.config.dev_key, key.ss58_address,
                 self.config.sealing, finality)

    def _sealing_worker(self) -> SealingWorker:
        sealing = self.config.sealing if self.author.keypair is not None else Sealing(SealingMode.MANUAL)
        return SealingWorker(sealing, self._seal_automatic, has_ready=lambda: self.pool.ready_count > 0,
                             subscribe=self.pool.add_import_listener, clock=self._clock)

    def _close_feeds(self) -> None:
        self._blocks.close()
        self._finalized.close()

    async def _informant(self) -> None:
        while True:
            await asyncio.sleep(self._informant_interval)
            best, final = self.chain.best_hash, self.chain.finalized_hash
            log.info(idle_line(self.chain.best_number, best, self.chain.finalized_number, final))
            self._note_metrics()

    def _note_metrics(self) -> None:
        m = self.metrics
        m.note_best(self.chain.best_number)
        m.note_finalized(self.chain.finalized_number)
        m.note_pool(self.pool.ready_count, self.pool.future_count)
        m.leaves.set(len(self.chain.leaves()))

    # -- chain ---------------------------------------------------------------------------

    def best_hash(self) -> bytes:
        return self.chain.best_hash

    def finalized_hash(self) -> bytes:
        return self.chain.finalized_hash

    def hash_of(self, number: int) -> bytes | None:
        if not isinstance(number, int) or isinstance(number, bool):
            return None
        return self.chain.hash_of(number)

    def _known(self, block_hash: bytes) -> bytes:
        if not isinstance(block_hash, bytes) or len(block_hash) != 32 or block_hash not in self.chain:
            shown = _hex(block_hash) if isinstance(block_hash, bytes) else repr(block_hash)
            raise UnknownBlockError(f"unknown block {shown}")
        return block_hash

    def header(self, block_hash: bytes) -> Header:
        header = self.chain.header(self._known(block_hash))
        if header is None:
            raise UnknownBlockError(f"unknown block {_hex(block_hash)}")
        return header

    def body(self, block_hash: bytes) -> list[bytes]:
        body = self.chain.body(self._known(block_hash))
        if body is None:
            raise UnknownBlockError(f"block {_hex(block_hash)} has no body")
        return body

    # -- state ---------------------------------------------------------------------------

    def _view(self, block_hash: bytes) -> StateView:
        root = self.chain.state_root(self._known(block_hash))
        assert root is not None
        try:
            return self.state.view(root)
        except UnknownStateError:
            raise UnknownBlockError(f"the state of block {_hex(block_hash)} is not available") from None

    def storage(self, block_hash: bytes, key: bytes) -> bytes | None:
        return self._view(block_hash).get(key)

    def storage_keys(self, block_hash: bytes, prefix: bytes, start_key: bytes | None = None,
                     limit: int | None = None) -> list[bytes]:
        return self._view(block_hash).keys(prefix, start_key, limit)

    def read_proof(self, block_hash: bytes, keys: Sequence[bytes]) -> list[bytes]:
        return self._view(block_hash).read_proof(keys)

    @staticmethod
    def _child_name(child_key: bytes) -> bytes:
        """A child trie is named with or without `:child_storage:default:` (the RPC sends
        the prefixed storage key); other child trie types do not exist."""
        if child_key.startswith(CHILD_STORAGE_DEFAULT_PREFIX):
            return child_key[len(CHILD_STORAGE_DEFAULT_PREFIX):]
        if child_key.startswith(CHILD_STORAGE_PREFIX):
            raise ValueError(f"unsupported child trie type in 0x{child_key.hex()}")
        return child_key

    def child_read_proof(self, block_hash: bytes, child_key: bytes, keys: Sequence[bytes]) -> list[bytes]:
        return self._view(block_hash).child_read_proof(self._child_name(child_key), keys)

    def child_storage(self, block_hash: bytes, child_key: bytes, key: bytes) -> bytes | None:
        return self._view(block_hash).child_get(self._child_name(child_key), key)

    def child_storage_keys(self, block_hash: bytes, child_key: bytes, prefix: bytes,
                           start_key: bytes | None = None, limit: int | None = None) -> list[bytes]:
        return self._view(block_hash).child_keys(self._child_name(child_key), prefix, start_key, limit)

    def runtime_call(self, block_hash: bytes, method: str, data: bytes) -> bytes:
        """A runtime API on a throwaway overlay of the block's state."""
        return apis.call(method, bytes(data), Externalities(self._view(block_hash), OverlayedChanges()))

    def runtime_version(self, block_hash: bytes) -> RuntimeVersion:
        self._known(block_hash)
        return VERSION  # one runtime for every block: it cannot be upgraded

    def metadata(self, block_hash: bytes) -> bytes:
        self._known(block_hash)
        if self._metadata is None:
            self._metadata = BYTES.decode_all(self.runtime_call(block_hash, "Metadata_metadata", b""))
        return self._metadata

    # -- transactions --------------------------------------------------------------------

    def _validate(self, source: str, encoded: bytes, at_hash: bytes) -> ValidTransaction:
        """The pool's validator: `TaggedTransactionQueue_validate_transaction` at a block
        (or what the validation worker computed for exactly this call at this block)."""
        if self._ahead:
            outcome = self._ahead.pop((source, encoded, at_hash), None)
            if outcome is not None and outcome[0] != FALLBACK[0]:
                return _from_outcome(outcome)
        root = self.chain.state_root(at_hash)
        if root is None:
            raise InvalidBlockId(f"unknown block {_hex(at_hash)}")
        cached_root, read_cache = self._validation_reads
        if cached_root != root or len(read_cache) > _VALIDATION_READS:
            read_cache = {}
            self._validation_reads = (root, read_cache)
        try:
            return validate_transaction(self.state.view(root), source, encoded, at_hash, read_cache=read_cache)
        except InvalidExtrinsicBytes as e:
            if e.opaque_ok:  # a well-formed opaque extrinsic the runtime cannot decode
                raise VerificationFailed(f"Bad input data provided to validate_transaction: {e}") from None
            raise BadFormat(str(e)) from None

    def submit_ahead(self, encoded: bytes, *, watch: bool = False) -> Coroutine[Any, Any, Any] | None:
        """With a validation worker: a coroutine that has the worker validate `encoded` (as an
        external submission) at the best block and then submits it (`submit_extrinsic`, or
        `submit_and_watch` when `watch`) with that result, as validated at that block; it
        returns what that returns and raises its `PoolError`. None without a usable worker and
        no submission in line: submit at once, the pool validates in this process."""
        worker = self._worker
        usable = worker is not None and worker.usable
        if not usable and not self._line:
            return None
        entry = _InLine(bytes(encoded), watch, asyncio.get_running_loop().create_future())
        return self._submit_in_line(worker if usable else None, entry)

    async def _submit_in_line(self, worker: ValidationWorker | None, entry: _InLine) -> Any:
        # In line from its first step, not its creation: a coroutine never run (its request
        # cancelled before it started) must not hold up the ones behind it.
        self._line.append(entry)
        try:
            if worker is not None:
                entry.answer = await self._ask_worker(worker, entry.encoded)
        except asyncio.CancelledError:
            entry.abandoned = True  # the client is gone: still submitted, in its turn
            raise
        finally:
            entry.asked = True
            self._drain_line()
        return await entry.result

    def _drain_line(self) -> None:
        """Submit, in arrival order, every submission at the head of the line whose worker
        answer is in: all in one go, with no await between them (so no block either). A later
        one answered first waits for those before it: a sender's nonce n + 1 imported before n
        waits in the future queue, which holds a tenth of the pool; a burst filled it, and its
        senders got 1016 until their missing nonces came round again."""
        line = self._line
        while line and line[0].asked:
            entry = line.popleft()
            answer = entry.answer
            # An answer for a block left behind meanwhile is not used: the pool validates in
            # process, at its best.
            if answer is not None and self._usable_at(answer[1], answer[2]):
                outcome, at_hash, at_number = answer
                self._ahead[(TransactionSource.EXTERNAL, entry.encoded, at_hash)] = outcome
                self._ahead_at[entry.encoded] = (at_hash, at_number)
            gone = entry.abandoned or entry.result.done()  # done: cancelled while it waited
            try:
                result = (self.submit_and_watch(entry.encoded) if entry.watch
                          else self.submit_extrinsic(entry.encoded))
            except Exception as e:
                if not gone:
                    entry.result.set_exception(e)
                continue
            if not gone:
                entry.result.set_result(result)
            elif entry.watch:
                result.close()

    async def _ask_worker(self, worker: ValidationWorker, encoded: bytes) -> tuple[Outcome, bytes, int] | None:
        """The worker's validity of `encoded` (as an external submission) and the block it holds
        at, asked again at the best while the answer comes back for a block left behind; None
        when the worker cannot answer."""
        for _ in range(3):
            at_hash, at_number = self.pool.best
            queued = worker.submit(at_hash, TransactionSource.EXTERNAL, encoded)
            if queued is None:
                return None
            future, index = queued
            # Shared by the batch: a cancelled submission must not cancel it for the others.
            outcomes = await asyncio.shield(future)
            if outcomes is None:  # the worker is gone or out of step (or was, at that block)
                if worker.usable and self.pool.best[0] != at_hash:
                    continue
                return None
            if self._usable_at(at_hash, at_number):
                return outcomes[index], at_hash, at_number
        return None

    def _usable_at(self, at_hash: bytes, at_number: int) -> bool:
        """Whether a validity computed at this block may be imported now (as of that block): it
        is the best block, or at most `USABLE_DEPTH` behind it on the best chain."""
        best_hash, best_number = self.pool.best
        if at_hash == best_hash:
            return True
        return 0 < best_number - at_number <= USABLE_DEPTH and self.chain.hash_of(at_number) == at_hash

    def _ahead_of(self, encoded: bytes) -> tuple[bytes, int] | None:
        return self._ahead_at.pop(encoded, None) if self._ahead_at else None

    def submit_extrinsic(self, encoded: bytes) -> bytes:
        encoded = bytes(encoded)
        at = self._ahead_of(encoded)
        try:
            tx_hash = self.pool.submit(encoded, at=at)
        finally:
            if at is not None:  # unused when the pool refused before validating
                self._ahead.pop((TransactionSource.EXTERNAL, encoded, at[0]), None)
        self.metrics.note_pool(self.pool.ready_count, self.pool.future_count)
        return tx_hash

    def submit_and_watch(self, encoded: bytes) -> Watcher:
        encoded = bytes(encoded)
        at = self._ahead_of(encoded)
        try:
            watcher = self.pool.submit_and_watch(encoded, at=at)
        finally:
            if at is not None:
                self._ahead.pop((TransactionSource.EXTERNAL, encoded, at[0]), None)
        self.metrics.note_pool(self.pool.ready_count, self.pool.future_count)
        return watcher

    def pending_extrinsics(self) -> list[bytes]:
        return self.pool.pending()

    def remove_extrinsics(self, hashes: Sequence[bytes]) -> list[bytes]:
        removed = self.pool.remove(hashes)
        self.metrics.note_pool(self.pool.ready_count, self.pool.future_count)
        return removed

    def account_next_index(self, account: bytes) -> int:
        if not isinstance(account, bytes) or len(account) != 32:
            raise ValueError("an account id is 32 bytes")
        raw = self.runtime_call(self.chain.best_hash, "AccountNonceApi_account_nonce", account)
        nonce = U32.decode_all(raw)
        return self.pool.adjust_nonce(lambda n: nonce_tag(account, n), nonce)

    # -- notifications -------------------------------------------------------------------

    def blocks(self) -> Subscription[BlockNotification]:
        return self._blocks.subscribe()

    def finalized_blocks(self) -> Subscription[Header]:
        return self._finalized.subscribe()

    # -- authoring -----------------------------------------------------------------------

    async def _seal_automatic(self) -> None:
        async with self._lock:
            deadline = None
            interval = self.config.sealing.interval_ms
            if self.config.sealing.mode is SealingMode.INTERVAL and interval:
                # As the slot worker (`proposing_remaining_duration`): propose for two thirds
                # of a slot but not past its end, so a block begun late (the event loop was
                # busy with submissions) does not run into the next slot; the pool
                # revalidates until 90% of the slot, counted from the slot's start too.
                start, into = time.perf_counter(), self._clock() % interval / 1000
                slot = interval / 1000
                deadline = start + min(slot * 2 / 3, slot - into)
                self._revalidate_until = start + slot * 0.9 - into
            try:
                self._produce(deadline=deadline, finalize=False)
            finally:
                self._revalidate_until = None
            self._schedule_finality()

    def _schedule_finality(self) -> None:
        """Finalize (per the lag) `finality_delay` from now, unless already scheduled."""
        if self._finality_timer is None and self._finality_task is None:
            self._finality_timer = asyncio.get_running_loop().call_later(self.finality_delay, self._finality_due)

    def _finality_due(self) -> None:
        self._finality_timer = None
        self._finality_task = asyncio.create_task(self._finalize_due(), name="finality")

    async def _finalize_due(self) -> None:
        try:
            async with self._lock:
                self._auto_finalize()
        except Exception as e:
            log.error("💔 Finalization failed: %s", e)
        finally:
            self._finality_task = None

    async def _stop_finality(self) -> None:
        """On shutdown: what was due to be finalized is finalized now."""
        timer, self._finality_timer = self._finality_timer, None
        task = self._finality_task
        if task is not None:
            await _cancel(task)
            self._finality_task = None
        if timer is not None:
            timer.cancel()
        if timer is not None or task is not None:
            async with self._lock:
                self._auto_finalize()

    async def create_block(self, create_empty: bool, finalize: bool, parent_hash: bytes | None) -> SealResult:
        """`engine_createBlock`: a block on `parent_hash` (default: best) with the ready
        transactions; finalized at once only when `finalize`."""
        async with self._lock:
            result = self._produce(parent_hash=parent_hash, create_empty=create_empty, finalize=bool(finalize))
        return SealResult(result.hash, result.is_new_best)

    async def finalize_block(self, block_hash: bytes) -> bool:
        """`engine_finalizeBlock`: finalize a block and its ancestors."""
        async with self._lock:
            try:
                self._finalize(block_hash)
            except (UnknownBlock, NotInFinalizedChain) as e:
                raise FinalizationError(str(e)) from None
        return True

    async def new_blocks(self, count: int = 1, to: int | None = None) -> bytes:
        """dev_newBlock: `count` blocks (or up to number `to`) one after another, as fast as
        the runtime builds them: each in the next slot (its timestamp one slot after its
        parent's), and the node's clock moved on to the last one's time, as if those slots
        had passed (later blocks, the offchain worker and an importer's timestamp check
        follow the chain's time)."""
        if to is None and count < 0:
            raise ValueError(f"count must not be negative, got {count}")
        async with self._lock:
            n = count if to is None else max(to - self.chain.best_number, 0)
            if n > MAX_NEW_BLOCKS:
                raise ValueError(f"{n} blocks at once is more than {MAX_NEW_BLOCKS}: ask for fewer per call")
            return await self._produce_many(n)

    async def _produce_many(self, n: int) -> bytes:
        """`n` blocks on the best one, under `_lock`; the clock follows (see `new_blocks`)."""
        last = self.chain.best_hash
        for i in range(n):
            last = self._produce().hash
            if i + 1 < n:
                await asyncio.sleep(0)  # RPC reads between blocks
        if n:
            chain_now = self._timestamp_of(last)
            now = self._clock() + self._time_offset
            if chain_now > now and self._travel_to is None:
                self._time_offset += chain_now - now
        return last

    def _timestamp_of(self, block_hash: bytes) -> int:
        raw = self.storage(block_hash, _NOW_KEY)
        return U64.decode_all(raw) if raw is not None else 0

    def _in_runtime(self, block_hash: bytes, function: Callable[..., Any], *args: Any) -> Any:
        """A runtime.dev function on a throwaway overlay of the block's state."""
        with using_externalities(Externalities(self._view(block_hash), OverlayedChanges())):
            return function(*args)

    def next_epoch_start_block(self, netuid: int) -> int | None:
        """The block (after the best) in which the subnet's epoch runs next, as the runtime
        predicts it; None if it never runs (tempo 0). Raises LookupError for no subnet."""
        return self._in_runtime(self.chain.best_hash, runtime_dev.next_epoch_start_block, netuid)

    def extrinsic_failures(self, block_hash: bytes) -> dict[int, str]:
        """The block's failed extrinsics: index → dispatch error (`Pallet.Error`)."""
        return self._in_runtime(block_hash, runtime_dev.extrinsic_failures)

    async def _dev_start(self) -> None:
        """`--dev-preset` seeding of a fresh chain, then `--dev-blocks`, before RPC serves."""
        if self.config.seed is not None:
            if self.chain.best_number != 0:
                raise SeedError(f"it seeds a fresh chain; this one is at #{self.chain.best_number} "
                                "(start with --tmp, or purge-chain)")
            await seed_chain(self, self.config.seed)
        if self.config.start_blocks:
            await self.new_blocks(self.config.start_blocks)

    async def include_now(self, extrinsics: Sequence[bytes]) -> tuple[bytes, list[str | None]]:
        """Submit `extrinsics` to the pool and seal one block with them at once (dev
        seeding); returns the block and, per extrinsic, None if it was applied successfully,
        else why not (the pool's refusal, not included, or its dispatch error)."""
        async with self._lock:
            hashes: list[bytes | None] = []
            refused: dict[int, str] = {}
            for i, xt in enumerate(extrinsics):
                try:
                    hashes.append(self.submit_extrinsic(xt))
                except Exception as e:
                    hashes.append(None)
                    refused[i] = f"refused by the pool: {e}"
            block_hash = self._produce().hash
            body_hashes = [blake2_256(xt) for xt in self.body(block_hash)]
            failures = self.extrinsic_failures(block_hash)
            outcomes: list[str | None] = []
            for i, h in enumerate(hashes):
                if h is None:
                    outcomes.append(refused[i])
                elif h not in body_hashes:
                    outcomes.append("not included in the block")
                else:
                    outcomes.append(failures.get(body_hashes.index(h)))
            return block_hash, outcomes

    async def advance_to_next_epoch(self, netuid: int) -> tuple[int, bytes]:
        """dev_advanceToNextEpoch: blocks up to the one in which the subnet's next epoch
        runs; returns its number and hash."""
        async with self._lock:
            target = self.next_epoch_start_block(netuid)
            if target is None:
                raise ValueError(f"subnet {netuid} has tempo 0: its epoch never runs")
            n = target - self.chain.best_number
            if n > MAX_NEW_BLOCKS:
                raise ValueError(f"subnet {netuid}'s next epoch is {n} blocks away, more than {MAX_NEW_BLOCKS}")
            last = await self._produce_many(n)
            return self.chain.best_number, last

    async def set_storage(self, changes: Mapping[bytes, bytes | None]) -> bytes:
        """dev_setStorage: a block on top of best (no pool transactions) whose state has
        `changes` written after the block's own writes."""
        writes: dict[bytes, bytes | None] = {}
        for key, value in changes.items():
            if not isinstance(key, bytes) or not (value is None or isinstance(value, bytes)):
                raise TypeError("storage keys and values must be bytes (a value None deletes)")
            if key.startswith(CHILD_STORAGE_PREFIX):
                raise ValueError(f"0x{key.hex()}: child trie keys cannot be set with dev_setStorage")
            writes[key] = value
        async with self._lock:
            return self._produce(take_pool=False, storage_overrides=writes).hash

    async def time_travel(self, timestamp_ms: int) -> int:
        """dev_timeTravel: the next block has exactly this timestamp (earlier than the
        best block's too); later blocks advance from it."""
        if not isinstance(timestamp_ms, int) or timestamp_ms < 0 or timestamp_ms >= 1 << 64:
            raise ValueError(f"invalid timestamp {timestamp_ms!r}: milliseconds since the epoch, a u64")
        # The block's Aura slot is `timestamp // slot_duration`; it must be a slot after
        # genesis's (slot 0), or no block could follow. And the chain must be able to go on
        # from there: a day of slots must still fit in the runtime's u64 time.
        duration = self.author.slot_duration
        if timestamp_ms < duration:
            raise ValueError(f"invalid timestamp {timestamp_ms}: before the first slot ({duration} ms); "
                             "a block's slot must be after genesis's")
        if timestamp_ms > (1 << 64) - 1 - 86_400_000:
            raise ValueError(f"invalid timestamp {timestamp_ms}: the chain's u64 time would overflow within a day")
        async with self._lock:
            self._travel_to = timestamp_ms
        return timestamp_ms

    async def set_head(self, block: bytes | int) -> bytes:
        async with self._lock:
            if isinstance(block, int) and not isinstance(block, bool):
                h = self.chain.hash_of(block)
                if h is None:
                    raise UnknownBlockError(f"no block #{block} on the best chain")
            else:
                h = self._known(block)
            self._set_head(h)
            return h

    async def snapshot(self) -> int:
        snapshot_id = self._next_snapshot
        self._next_snapshot += 1
        self._snapshots[snapshot_id] = self.chain.best_hash
        return snapshot_id

    async def revert(self, snapshot_id: int) -> bool:
        """Back to the snapshot's best block; that snapshot and later ones are used up."""
        h = self._snapshots.get(snapshot_id)
        if h is None:
            return False
        for sid in [s for s in self._snapshots if s >= snapshot_id]:
            del self._snapshots[sid]
        async with self._lock:
            self._set_head(h)
        return True

    # -- block production and import (under _lock; no awaits inside) -------------------------

    def _produce(self, *, parent_hash: bytes | None = None, create_empty: bool = True, finalize: bool | None = None,
                 take_pool: bool = True, storage_overrides: Mapping[bytes, bytes | None] | None = None,
                 deadline: float | None = None) -> ImportResult:
        """Build, seal and import one block; `finalize` None applies the finality lag."""
        if self.author.keypair is None:
            raise ConsensusError("this node has no authority key to seal blocks with (start it with --alice or --dev)")
        best = self.chain.best_hash
        if parent_hash is None:
            parent_hash = best
        parent = self.chain.header(parent_hash) if isinstance(parent_hash, bytes) else None
        if parent is None:
            raise BlockNotFound(parent_hash if isinstance(parent_hash, bytes) else b"")
        if not create_empty and self.pool.ready_count == 0:
            raise EmptyTransactionPool()
        log.info("🙌 Starting consensus session on top of parent %s (#%d)", _hex(parent_hash), parent.number)
        now = self._clock()
        travel = self._travel_to
        if travel is None:
            claim = self.author.claim_slot(parent.state_root, now + self._time_offset)
        else:
            claim = self.author.claim_slot(parent.state_root, travel, exact=True)
        transactions = self.pool.iter_ready() if take_pool else ()
        try:
            proposal = self.author.propose(parent, claim, transactions, deadline=deadline,
                                           remove_invalid=parent_hash == best, storage_overrides=storage_overrides)
        except InherentsFailed as e:
            raise InherentsError(str(e)) from None
        if travel is not None:  # later blocks advance from the travelled-to time
            self._travel_to = None
            self._time_offset = travel - now
        log.info(prepared_block_line(proposal.number, proposal.millis, proposal.pre_hash, parent_hash,
                                     proposal.extrinsics))
        log.info("🔖 Pre-sealed block for proposal at %d. Hash now %s, previously %s.", proposal.number,
                 _hex(proposal.hash), _hex(proposal.pre_hash))
        if proposal.invalid:
            self.pool.remove_invalid(proposal.invalid)
        return self._import(proposal, finalize)

    def _import(self, proposal: Proposal, finalize: bool | None) -> ImportResult:
        old_best = self.chain.block_info(self.chain.best_hash)
        try:
            result = self.chain.import_block(proposal.header, proposal.extrinsics, proposal.pending)
        except ChainDbError as e:
            raise BlockImportFailed(str(e)) from None
        log.info(imported_line(result.number, result.hash))
        if result.is_new_best:
            if result.retracted:
                assert old_best is not None
                self._log_reorg(old_best.number, old_best.hash, result)
            # The block's changes lead from its parent's state: a delta when that was the best.
            self._worker_follows(result.hash, proposal.header.parent_hash,
                                 None if result.retracted else proposal.changes)
            self._follow_best(result.retracted, result.enacted)
        self._blocks.publish(BlockNotification(result.hash, proposal.header, result.is_new_best, proposal.changes,
                                               result.retracted))
        if result.is_new_best:
            self._offchain_worker(result.hash, proposal.header)
        if finalize:
            self._finalize(result.hash)
        elif finalize is None:
            self._auto_finalize()
        self._note_metrics()
        return result

    def _offchain_worker(self, block_hash: bytes, header: Header) -> None:
        """`OffchainWorkerApi_offchain_worker` on a new best block (as a node's offchain
        workers run after import); its failures are logged, never the block's."""
        if self._offchain_keypair is None:
            return
        host = NodeOffchainHost(lambda: self._clock() + self._time_offset, self._offchain_keypair,
                                self.submit_extrinsic, beacon_serving(self.storage(block_hash, BEACON_CONFIG_KEY)))
        try:
            with offchain.using(host):
                self.runtime_call(block_hash, "OffchainWorkerApi_offchain_worker", header.encode())
        except Exception as e:  # an offchain worker cannot hurt the chain
            log.debug("offchain worker at #%d failed: %s", header.number, e)

    def _log_reorg(self, old_number: int, old_hash: bytes, result: ImportResult) -> None:
        first = self.chain.block_info(result.enacted[0]) if result.enacted else None
        common = self.chain.block_info(first.parent_hash) if first is not None else None
        if common is not None:
            log.info(reorg_line(old_number, old_hash, result.number, result.hash, common.number, common.hash))

    def _follow_best(self, retracted: Sequence[bytes], enacted: Sequence[bytes]) -> None:
        """Pool maintenance for a new best chain: retracted blocks give their transactions
        back, enacted ones are pruned; retracted transactions are resubmitted once, at the
        new best."""
        for h in retracted:
            self.pool.on_block_retracted(h)
        last = len(enacted) - 1
        # With the validation worker the pool's revalidation at the new best runs when the
        # worker has validated its batch there (`_revalidate_in_worker`), not in the slot.
        ahead = self._worker is not None and self._worker.usable and self._stale_revalidations < _STALE_LIMIT
        for i, h in enumerate(enacted):
            header, body = self.chain.header(h), self.chain.body(h)
            assert header is not None and body is not None
            until = 0.0 if ahead else self._revalidate_until  # 0.0: the deadline has passed, skip it
            self.pool.on_block_imported(h, header.number, body, parent_hash=header.parent_hash,
                                        resubmit_retracted=i == last, revalidate_until=until)
            if ahead and i == last and self._revalidating is None:  # one batch in the worker at a time
                self._revalidate_in_worker(h, header.number)
        if not ahead:
            self._stale_revalidations = 0

    # -- the validation worker -------------------------------------------------------------

    @asynccontextmanager
    async def validation_worker(self) -> AsyncIterator[ValidationWorker | None]:
        """The pool's validation on a second core while the context is open (per
        `config.pool_validation_workers`; yields None when off). Started after the RPC server
        answers (it costs the node no start-up time); stopped, its process reaped, on exit."""
        if self.config.pool_validation_workers < 1:
            yield None
            return
        worker = ValidationWorker(lambda h, limit: self._view(h).pairs(limit=limit), lambda: self.chain.best_hash,
                                  version=runtime_identity())
        self._worker = worker
        try:
            await worker.start()
            yield worker
        finally:
            self._worker = None
            self._ahead.clear()
            self._ahead_at.clear()
            await worker.close()

    def _worker_follows(self, block_hash: bytes, from_hash: bytes | None,
                        changes: Mapping[bytes, bytes | None] | None) -> None:
        """A new best block for the worker's replica (`changes` from `from_hash`, None: resync)."""
        if self._worker is not None:
            self._worker.note_best(block_hash, from_hash, changes)

    def _revalidate_in_worker(self, at_hash: bytes, number: int) -> None:
        worker = self._worker
        assert worker is not None
        batch = self.pool.revalidation_batch()
        if not batch:
            return
        future = worker.validate_many(at_hash, [(tx.source, tx.data) for tx in batch])
        if future is None:
            self.pool.revalidate((at_hash, number), self._revalidate_until)
            return
        self._revalidating = at_hash
        future.add_done_callback(lambda f: self._revalidated(at_hash, number, batch, f.result()))

    def _revalidated(self, at_hash: bytes, number: int, batch: Sequence[Any],
                     outcomes: list[Outcome] | None) -> None:
        """The worker's revalidation of `batch` at `at_hash`: applied only while that block is
        the pool's best (else dropped: the next block's batch follows)."""
        self._revalidating = None
        best_hash, best_number = self.pool.best
        if best_hash != at_hash:
            # Computed for a block that is no longer the best: dropped; the batch goes to the
            # worker again at the best block (blocks came faster than the worker answered).
            self._stale_revalidations += 1
            worker = self._worker
            if worker is not None and worker.usable and worker.head == best_hash:
                self._revalidate_in_worker(best_hash, best_number)
            return
        self._stale_revalidations = 0
        keys = []
        if outcomes is not None:
            for tx, outcome in zip(batch, outcomes, strict=True):
                key = (tx.source, tx.data, at_hash)
                self._ahead[key] = outcome
                keys.append(key)
        try:
            # What the worker did not answer is validated in process; unchanged validities
            # leave their transactions in place (re-importing 256 per block cost the event
            # loop more than validating them did).
            self.pool.revalidate((at_hash, number))
        finally:
            for key in keys:
                self._ahead.pop(key, None)
            self._note_metrics()

    def _auto_finalize(self) -> None:
        target = self.chain.best_number - self.config.finality_lag
        if target > self.chain.finalized_number:
            h = self.chain.hash_of(target)
            assert h is not None
            self._finalize(h)

    def _finalize(self, block_hash: bytes) -> None:
        old_best = self.chain.block_info(self.chain.best_hash)
        result = self.chain.finalize(block_hash)
        if not result.finalized:
            return
        if result.best_changed:
            assert old_best is not None
            new_best = self.chain.best_hash
            log.info("♻️  Finality of #%d moved the best block to #%d (%s)", self.chain.finalized_number,
                     self.chain.best_number, short_hash(new_best))
            self._follow_best(result.retracted, result.enacted)
            self._announce_head(old_best.hash, old_best.state_root, result.retracted)
        self.pool.on_block_finalized(block_hash, result.finalized[:-1])
        for h in result.finalized:
            header = self.chain.header(h)
            assert header is not None
            self._finalized.publish(header)
        self._note_metrics()

    def _announce_head(self, old_hash: bytes, old_root: bytes, retracted: Sequence[bytes]) -> None:
        """A best block that was not just imported (set_head, revert, finality): announce it
        with the storage difference from the previous best."""
        h = self.chain.best_hash
        header = self.chain.header(h)
        assert header is not None
        changes = {key: new for key, _, new in diff_tries(old_root, header.state_root, self.state.node_at,
                                                            self.state.load_node)}
        self._worker_follows(h, old_hash, changes)
        self._blocks.publish(BlockNotification(h, header, True, changes, tuple(retracted)))

    def _set_head(self, h: bytes) -> None:
        old = self.chain.block_info(self.chain.best_hash)
        assert old is not None
        result = self.chain.set_best(h, rewind_finality=True)
        if not result.is_new_best:
            return
        log.info("⏪ Best block set to #%d (%s)", result.number, short_hash(h))
        # A dev rewind: the retracted blocks' transactions are not resubmitted.
        self._ahead.clear()
        self._ahead_at.clear()
        self.pool.on_block_imported(h, result.number, (), resubmit_retracted=False)
        self._announce_head(old.hash, old.state_root, result.retracted)
        self._auto_finalize()
        self._note_metrics()


async def _cancel(task: asyncio.Task[Any]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


# -- servers and the program -----------------------------------------------------------------


@asynccontextmanager
async def serve_metrics(registry: Registry, endpoint: PrometheusEndpoint) -> AsyncIterator[str]:
    """The Prometheus exporter (GET /metrics) on `endpoint`; yields the bound address."""
    runner = web.AppRunner(metrics_app(registry), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, endpoint.host, endpoint.port)
        await site.start()
        host, port = runner.addresses[0][:2]
        address = f"{host}:{port}"
        log.info(prometheus_line(address))
        yield address
    finally:
        await runner.cleanup()


async def _serve(config: NodeConfig, chain_db: ChainDB) -> int:
    # Everything start-up needed is imported and the genesis is stored: resume the cyclic
    # collector the entry point paused, before seeding or blocks make garbage.
    end_startup_pause()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with AsyncExitStack() as stack:
        node = await stack.enter_async_context(Node.start(config, chain_db))
        if config.prometheus is not None:
            await stack.enter_async_context(serve_metrics(node.metrics.registry, config.prometheus))
        await stack.enter_async_context(serve_rpc(node, config))
        await stack.enter_async_context(node.validation_worker())  # after the RPC answers
        await stop.wait()
    log.info("Stopped: best #%d (%s), finalized #%d", chain_db.best_number, short_hash(chain_db.best_hash),
             chain_db.finalized_number)
    return 0


def run(config: NodeConfig, chain_db: ChainDB) -> int:
    """Run the node until SIGINT or SIGTERM; 0 after a clean shutdown, 1 (one line on
    stderr) when a server cannot start or the database fails."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return asyncio.run(_serve(config, chain_db))
    except OSError as e:  # a port taken after the CLI checked it
        print(f"Error: cannot start a server: {e.strerror or e}", file=sys.stderr)
        return 1
    except ChainDbError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except SeedError as e:
        print(f"Error: --dev-preset: {e}", file=sys.stderr)
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
