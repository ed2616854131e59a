"""The transaction pool: Substrate's single-state pool (`graph/pool.rs`,
`graph/validated_pool.rs`, `single_state_txpool`) over a validator callable.

The runtime is reached only through `validator(source, encoded, at_block_hash)`, which
returns a `ValidTransaction` or raises `TransactionValidityError` (or a `PoolError` such
as `BadFormat`). Every method is synchronous and leaves the pool consistent before it
returns; status streams are read through `Watcher`s (async iterators).

Deliberate differences from Substrate, each for a stream that would otherwise stall or
repeat itself:
- revalidation after a block covers the future queue as well as the ready one, and runs
  at once (Substrate batches it in a background task);
- a transaction that leaves the pool during maintenance without a status in Substrate
  (re-verification refused for a reason other than validity, a retracted one that is now
  invalid, members of a dependency cycle) gets `dropped` or `invalid`;
- resubmission after revalidation reports a status only when the queue changed
  (Substrate repeats `future` for futures), and a ready transaction whose revalidation
  leaves its place unchanged is not re-imported (Substrate removes and re-imports it with
  everything that depends on it);
- `inBlock`/`finalized` carry the extrinsic's position in the block when it is known.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections.abc import Callable, Iterable, Sequence

from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.transaction_validity import (
    TransactionSource,
    TransactionValidityError,
    ValidTransaction,
)

from .base import BasePool, ImportedFuture, ImportedReady, PoolStatus
from .errors import (
    AlreadyImported,
    CycleDetected,
    ImmediatelyDropped,
    InvalidTransactionError,
    NoTagsProvided,
    PoolError,
    RejectedFutureTransaction,
    TemporarilyBanned,
    TooLowPriority,
    Unactionable,
    UnknownTransactionError,
    VerificationFailed,
    from_validity_error,
)
from .listener import Listener, StatusCallback, Watcher
from .ready import BestIterator
from .rotator import EXPECTED_SIZE, PoolRotator
from .status import TransactionStatus
from .transaction import Limit, Transaction

__all__ = ["PoolOptions", "TransactionPool", "Validator"]

log = logging.getLogger("txpool")

Validator = Callable[[str, bytes, bytes], ValidTransaction]
"""`validate(source, encoded_extrinsic, at_block_hash) -> ValidTransaction`."""

MAX_TRACKED_BLOCKS = 4096  # block numbers and bodies kept for finality and retraction

_READY, _FUTURE, _FAILED, _DROPPED = "ready", "future", "failed", "dropped"

DEFAULT_READY_LIMIT = Limit(8192, 20480 * 1024)
DEFAULT_FUTURE_LIMIT = Limit(8192 // 10, 20480 * 1024 // 10)


@slots_dataclass(frozen=True)
class PoolOptions:
    """Pool configuration. The defaults are what a node started from the Substrate CLI
    has (`--pool-limit 8192 --pool-kbytes 20480`: the future queue gets a tenth; bans
    last 30 minutes). `from_cli` reproduces `TransactionPoolOptions::new_with_params`."""

    ready: Limit = DEFAULT_READY_LIMIT
    future: Limit = DEFAULT_FUTURE_LIMIT
    reject_future_transactions: bool = False
    ban_time: float = 30 * 60.0
    is_validator: bool = True
    #: Transactions revalidated after each block, least recently validated first (Substrate
    #: revalidates in background batches); None = every transaction at every block.
    revalidation_limit: int | None = None

    @classmethod
    def from_cli(
        cls,
        *,
        pool_limit: int = 8192,
        pool_kbytes: int = 20480,
        tx_ban_seconds: float | None = None,
        is_dev: bool = False,
        revalidation_limit: int | None = 256,
    ) -> PoolOptions:
        """`--pool-limit`, `--pool-kbytes`, `--tx-ban-seconds`; `--dev` bans for 0 s.

        The node revalidates at most `revalidation_limit` transactions per block so that a
        full pool does not make block production miss its slot (~0.2 ms per transaction)."""
        ban = tx_ban_seconds if tx_ban_seconds is not None else (0.0 if is_dev else 30 * 60.0)
        total = pool_kbytes * 1024
        return cls(ready=Limit(pool_limit, total), future=Limit(pool_limit // 10, total // 10), ban_time=ban,
                   revalidation_limit=revalidation_limit)


@slots_dataclass
class _Valid:
    tx: Transaction

    @property
    def hash(self) -> bytes:
        return self.tx.hash


@slots_dataclass
class _Invalid:
    hash: bytes
    error: PoolError


@slots_dataclass
class _Unknown:
    hash: bytes
    error: PoolError


_Validated = _Valid | _Invalid | _Unknown


class TransactionPool:
    """Ready/future queues with validation, bans, limits, maintenance and status streams.

    Used by the block author (`iter_ready`, `remove_invalid`, `on_block_imported`,
    `on_block_finalized`, `on_block_retracted`) and the RPC layer (`submit`,
    `submit_and_watch`, `pending`, `remove`, `adjust_nonce`, `status`)."""

    def __init__(
        self,
        validator: Validator,
        *,
        best_hash: bytes,
        best_number: int = 0,
        options: PoolOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options if options is not None else PoolOptions()
        self._validator = validator
        self._pool = BasePool(self.options.reject_future_transactions)
        self._listener = Listener()
        self._rotator = PoolRotator(
            self.options.ban_time, clock, max(EXPECTED_SIZE, self.options.ready.count + self.options.future.count)
        )
        self._best = (best_hash, best_number)
        self._block_numbers: dict[bytes, int] = {best_hash: best_number}
        self._bodies: dict[bytes, list[tuple[bytes, bytes]]] = {}
        self._retracted: dict[bytes, bytes] = {}  # tx hash -> encoded, awaiting resubmission
        # Least recently validated first (a validation moves a hash to the end); entries of
        # transactions that left the pool are dropped when the revalidation scan meets them.
        self._validated: dict[bytes, None] = {}
        # (valid_till, sequence, transaction) of every import: the first to expire on top; an
        # entry whose transaction left the pool (or was re-imported) is skipped when it surfaces.
        self._expiry: list[tuple[int, int, Transaction]] = []
        self._expiry_seq = 0
        self._import_listeners: list[Callable[[bytes], None]] = []

    # -- chain position ------------------------------------------------------------------

    @property
    def best(self) -> tuple[bytes, int]:
        """(hash, number) of the block new submissions are validated at."""
        return self._best

    @staticmethod
    def hash_of(encoded: bytes) -> bytes:
        """The transaction hash: blake2-256 of the encoded extrinsic (with its length prefix)."""
        return blake2_256(encoded)

    # -- submission ----------------------------------------------------------------------

    def submit(
        self, encoded: bytes, *, source: str = TransactionSource.EXTERNAL, at: tuple[bytes, int] | None = None
    ) -> bytes:
        """Validate and import one extrinsic (`author_submitExtrinsic`); return its hash.
        Raises a `PoolError` carrying the RPC error; nothing enters the pool then."""
        if self._full(len(encoded)):
            raise ImmediatelyDropped()
        result = self._submit([self._verify(source, encoded, at or self._best, check_banned=True)])[0]
        if isinstance(result, PoolError):
            raise result
        return result

    def submit_many(
        self,
        encoded: Iterable[bytes],
        *,
        source: str = TransactionSource.EXTERNAL,
        at: tuple[bytes, int] | None = None,
    ) -> list[bytes | PoolError]:
        """`submit_at`: one result (hash or error) per extrinsic, in order."""
        at = at or self._best
        results: list[bytes | PoolError] = []
        for x in encoded:  # one at a time: each submission may fill the pool for the next
            results.extend([ImmediatelyDropped()] if self._full(len(x)) else
                           self._submit([self._verify(source, x, at, check_banned=True)]))
        return results

    def submit_and_watch(
        self,
        encoded: bytes,
        *,
        source: str = TransactionSource.EXTERNAL,
        at: tuple[bytes, int] | None = None,
        callback: Callable[[TransactionStatus], None] | None = None,
    ) -> Watcher:
        """Import one extrinsic and watch it (`author_submitAndWatchExtrinsic`). The watcher
        already holds `future` or `ready`. Raises a `PoolError` if refused."""
        if self._full(len(encoded)):
            raise ImmediatelyDropped()
        validated = self._verify(source, encoded, at or self._best, check_banned=True)
        if isinstance(validated, _Invalid):
            self._rotator.ban([validated.hash])
            raise validated.error
        if isinstance(validated, _Unknown):
            raise validated.error
        watcher = self._listener.create_watcher(validated.hash, callback)
        result = self._submit([validated])[0]
        if isinstance(result, PoolError):
            watcher.close()
            raise result
        return watcher

    def watch(self, tx_hash: bytes, callback: Callable[[TransactionStatus], None] | None = None) -> Watcher:
        """Watch a transaction already in the pool (or included and awaiting finality)."""
        if not self._pool.is_imported(tx_hash) and not self._listener.in_block_awaiting(tx_hash):
            raise LookupError(f"transaction 0x{tx_hash.hex()} is not in the pool")
        return self._listener.create_watcher(tx_hash, callback)

    def _verify(self, source: str, encoded: bytes, at: tuple[bytes, int], *, check_banned: bool) -> _Validated:
        tx_hash = blake2_256(encoded)
        if check_banned and self._rotator.is_banned(tx_hash):
            return _Invalid(tx_hash, TemporarilyBanned())
        if self._pool.is_imported(tx_hash):
            return _Invalid(tx_hash, AlreadyImported(tx_hash))
        at_hash, at_number = at
        try:
            validity = self._validator(source, encoded, at_hash)
        except TransactionValidityError as error:
            if error.kind == "Unknown":
                return _Unknown(tx_hash, from_validity_error(error))
            return _Invalid(tx_hash, from_validity_error(error))
        except PoolError as error:
            return _Invalid(tx_hash, error)
        except Exception as error:  # the runtime failed: Substrate answers 1002
            log.warning("validation of 0x%s failed: %r", tx_hash.hex(), error)
            return _Invalid(tx_hash, VerificationFailed(f"{type(error).__name__}: {error}"))
        if not validity.provides:
            return _Invalid(tx_hash, NoTagsProvided())
        return _Valid(Transaction.valid_at(at_number, tx_hash, source, encoded, validity))

    def _submit(self, validated: Sequence[_Validated]) -> list[bytes | PoolError]:
        # No limit is enforced after the imports: admission (`_make_room`) already refused
        # what does not fit or evicted strictly worse transactions (reported `dropped`), and
        # promotions may take the ready queue over its limit (see `_make_room`).
        return [self._submit_one(v) for v in validated]

    def _submit_one(self, validated: _Validated) -> bytes | PoolError:
        if isinstance(validated, _Invalid):
            self._rotator.ban([validated.hash])  # even "already imported": Substrate does
            return validated.error
        if isinstance(validated, _Unknown):
            self._listener.invalid(validated.hash)
            return validated.error
        tx = validated.tx
        if not tx.propagate and not self.options.is_validator:
            return Unactionable()
        try:
            evict = self._make_room(tx)
            imported = self._pool.import_(tx)
        except CycleDetected as error:
            for tx_hash in error.dropped:
                self._listener.dropped(tx_hash)
            return error
        except PoolError as error:
            return error
        if evict:
            evicted = [t.hash for t in self._pool.remove_subtree(evict)]
            self._rotator.ban(evicted)
            log.debug("pool full: 0x%s (priority %d) took the place of %d transactions", tx.hash.hex(),
                      tx.priority, len(evicted))
            for tx_hash in evicted:
                self._listener.limits_enforced(tx_hash)
        self._touch(tx.hash)
        self._expire_at(tx)
        if isinstance(imported, ImportedReady):
            self._notify_ready(tx.hash)
        self._fire_imported(imported)
        return tx.hash

    def _notify_ready(self, tx_hash: bytes) -> None:
        for notify in list(self._import_listeners):
            try:
                notify(tx_hash)
            except Exception:
                log.exception("import listener failed")

    def _fire_imported(self, imported: ImportedReady | ImportedFuture) -> None:
        if isinstance(imported, ImportedReady):
            self._listener.ready(imported.hash)
            for tx_hash in imported.failed:
                self._listener.invalid(tx_hash)
            for replaced in imported.removed:
                self._listener.usurped(replaced.hash, imported.hash)
            for tx_hash in imported.promoted:
                self._listener.ready(tx_hash)
        else:
            self._listener.future(imported.hash)

    def _full(self, size: int) -> bool:
        """Both queues at their bounds: a submission is refused (1016) before it is validated,
        as the fork-aware pool's mempool refuses one it has no room for (`try_insert`), so a
        client resubmitting into a full pool costs no runtime call."""
        pool, ready, future = self._pool, self.options.ready, self.options.future
        return (ready.is_exceeded(len(pool.ready) + 1, pool.ready.bytes + size)
                and future.is_exceeded(len(pool.future) + 1, pool.future.bytes + size))

    def _make_room(self, tx: Transaction) -> list[bytes]:
        """Admission under the limits, as the fork-aware pool's mempool (`try_insert` /
        `try_insert_with_dropping`): a transaction that would overflow its queue is refused
        with 1016 `Immediately Dropped` unless transactions of strictly lower priority
        (lowest first, then the newest; each with what depends on it) can make room; returns
        those, to be evicted (`dropped`) once `tx` is in. Nothing accepted earlier is pushed
        out by a transaction that is no better. A replacement (same tag) does not grow the
        queue and is left to the import's priority rule.

        This is the only place the limits are enforced. Futures that `tx` unlocks are
        promoted even past the ready limit (they were accepted: evicting them, as Substrate's
        base pool does after an import, would lose them without a word to a sender that did
        not watch, and strand every later nonce of that sender in the future queue); the
        overshoot is bounded by the future queue's bound, and what would enter an over-full
        queue is refused until blocks drain it."""
        pool = self._pool
        ready = pool.would_be_ready(tx)
        if ready and any(tag in pool.ready.provided_tags for tag in tx.provides):
            return []
        queue = pool.ready if ready else pool.future
        limit = self.options.ready if ready else self.options.future
        count, size = len(queue) + 1, queue.bytes + tx.bytes
        if not limit.is_exceeded(count, size):
            return []
        if tx.bytes > limit.total_bytes:
            raise ImmediatelyDropped()
        if ready:
            worst = pool.ready.worst()  # the common case, equal priorities: refused in O(log n)
            if worst is None or worst.priority >= tx.priority:
                raise ImmediatelyDropped()
        requires = set(tx.requires)
        evict: dict[bytes, None] = {}
        for candidate in pool.ready.worst_first() if ready else pool.future.worst_first():
            if candidate.priority >= tx.priority:
                break
            if candidate.hash in evict:
                continue
            subtree = pool.ready.subtree(candidate.hash) if ready else [candidate]
            if any(requires.intersection(t.provides) for t in subtree):
                continue  # `tx` builds on it
            for t in subtree:
                if t.hash not in evict:
                    evict[t.hash] = None
                    count, size = count - 1, size - t.bytes
            if not limit.is_exceeded(count, size):
                return list(evict)
        raise ImmediatelyDropped()

    def _expire_at(self, tx: Transaction) -> None:
        self._expiry_seq += 1
        heapq.heappush(self._expiry, (tx.valid_till, self._expiry_seq, tx))

    def _touch(self, tx_hash: bytes) -> None:
        validated = self._validated
        validated.pop(tx_hash, None)
        validated[tx_hash] = None

    # -- queries -------------------------------------------------------------------------

    def __contains__(self, tx_hash: bytes) -> bool:
        return self._pool.is_imported(tx_hash)

    def get(self, tx_hash: bytes) -> Transaction | None:
        return self._pool.get(tx_hash)

    def is_ready(self, tx_hash: bytes) -> bool:
        return tx_hash in self._pool.ready

    def is_future(self, tx_hash: bytes) -> bool:
        return tx_hash in self._pool.future

    def iter_ready(self) -> BestIterator:
        """Ready transactions in block-building order, with `report_invalid(tx)`."""
        return self._pool.iter_ready()

    def ready(self) -> list[Transaction]:
        return list(self._pool.iter_ready())

    def futures(self) -> list[Transaction]:
        return self._pool.futures()

    def pending(self) -> list[bytes]:
        """`author_pendingExtrinsics`: the ready queue's extrinsics in block order (futures
        are not included, as in Substrate)."""
        return [tx.data for tx in self._pool.iter_ready()]

    def status(self) -> PoolStatus:
        return self._pool.status()

    @property
    def ready_count(self) -> int:
        return len(self._pool.ready)

    @property
    def future_count(self) -> int:
        return len(self._pool.future)

    def missing_tags(self, tx_hash: bytes) -> frozenset[bytes]:
        """Tags a future transaction still waits for."""
        return self._pool.future.missing(tx_hash)

    def is_banned(self, tx_hash: bytes) -> bool:
        return self._rotator.is_banned(tx_hash)

    def ban(self, hashes: Iterable[bytes]) -> None:
        self._rotator.ban(hashes)

    def adjust_nonce(self, tag_of: Callable[[int], bytes], nonce: int) -> int:
        """Pool-aware next nonce (`system_accountNextIndex`): starting from the on-chain
        `nonce`, count ready transactions whose first provided tag is `tag_of(n)`."""
        current, tag = nonce, tag_of(nonce)
        for tx in self._pool.iter_ready():
            if tx.provides and tx.provides[0] == tag:
                current += 1
                tag = tag_of(current)
        return current

    # -- listeners -----------------------------------------------------------------------

    def add_status_listener(self, callback: StatusCallback) -> Callable[[], None]:
        """`callback(tx_hash, status)` for every status of every transaction; returns remover."""
        return self._listener.add_listener(callback)

    def add_import_listener(self, callback: Callable[[bytes], None]) -> Callable[[], None]:
        """`callback(tx_hash)` when a transaction enters the ready queue: a submission, a future
        one a block made ready, or one revalidation moved there (Substrate's import notification
        stream, which instant sealing waits for, names only submissions: a promotion between
        blocks, by a revalidation that ran after the last one, would then wait for the next
        submission); returns remover."""
        self._import_listeners.append(callback)

        def remove() -> None:
            if callback in self._import_listeners:
                self._import_listeners.remove(callback)

        return remove

    def on_broadcasted(self, propagated: dict[bytes, list[str]]) -> None:
        for tx_hash, peers in propagated.items():
            self._listener.broadcasted(tx_hash, peers)

    # -- removal -------------------------------------------------------------------------

    def remove_invalid(self, hashes: Iterable[bytes]) -> list[Transaction]:
        """Remove transactions and their dependants, reporting `invalid`; ban the given
        hashes (not the dependants, which may be valid later). Used by the block builder
        for transactions that failed to apply, and by `author_removeExtrinsic`."""
        hashes = list(dict.fromkeys(hashes))
        if not hashes:
            return []
        self._rotator.ban(hashes)
        removed = self._pool.remove_subtree(hashes)
        for tx in removed:
            self._listener.invalid(tx.hash)
        return removed

    def remove(self, hashes: Iterable[bytes]) -> list[bytes]:
        """`author_removeExtrinsic`: remove and ban; return the hashes actually removed."""
        return [tx.hash for tx in self.remove_invalid(hashes)]

    # -- maintenance ---------------------------------------------------------------------

    def on_block_imported(
        self,
        block_hash: bytes,
        number: int,
        extrinsics: Sequence[bytes] = (),
        *,
        included_hashes: Iterable[bytes] = (),
        provided_tags: Iterable[bytes] = (),
        parent_hash: bytes | None = None,
        resubmit_retracted: bool = True,
        revalidate_until: float | None = None,
    ) -> None:
        """A new best block: `extrinsics` is its body (encoded, in order). Included
        transactions leave with `inBlock`; tags they (and `provided_tags`) provide are
        pruned; expired transactions are dropped as `invalid`; retracted transactions are
        resubmitted (unless `resubmit_retracted` is False, for all but the last block of
        a reorg); then what is left is revalidated at this block, least recently validated
        first, at most `revalidation_limit` of it and only until `revalidate_until` (a
        `time.perf_counter()` value: the time left in the slot).

        Included extrinsics the pool does not hold are validated at `parent_hash` (by
        default the previous best, when this block follows it) to learn the tags they
        provide, as Substrate's `Pool::prune` does."""
        previous_hash, previous_number = self._best
        if parent_hash is None and number == previous_number + 1:
            parent_hash = previous_hash
        self._best = (block_hash, number)
        self._remember_block(block_hash, number)
        body = [(blake2_256(x), bytes(x)) for x in extrinsics]
        index_of: dict[bytes, int] = {}
        for index, (tx_hash, _) in enumerate(body):
            index_of.setdefault(tx_hash, index)
        hashes = list(dict.fromkeys([h for h, _ in body] + list(included_hashes)))
        known = dict(body)
        for tx_hash in hashes:
            if tx_hash not in known and (tx := self._pool.get(tx_hash)) is not None:
                body.append((tx_hash, tx.data))
        self._bodies[block_hash] = body
        for tx_hash in hashes:
            self._retracted.pop(tx_hash, None)

        at = (block_hash, number)
        tags = list(provided_tags)
        if parent_hash is not None and not self._pool.status().is_empty:
            tags.extend(self._foreign_tags(parent_hash, body))
        self._prune(at, hashes, tags, index_of)
        self._clear_stale(number)
        if resubmit_retracted and self._retracted:
            self._resubmit_retracted(at)
        self._revalidate(at, revalidate_until)

    def on_block_retracted(self, block_hash: bytes) -> None:
        """`block_hash` left the best chain: its transactions get `retracted` and are
        resubmitted at the next imported block."""
        self._listener.retracted(block_hash)
        for tx_hash, data in self._bodies.pop(block_hash, []):
            self._retracted[tx_hash] = data
        self._block_numbers.pop(block_hash, None)

    def on_block_finalized(self, block_hash: bytes, tree_route: Sequence[bytes] = ()) -> None:
        """`block_hash` is final: its included transactions, those of `tree_route` (the
        blocks finalized with it) and of any older tracked block get `finalized`."""
        targets = list(dict.fromkeys([*tree_route, block_hash]))
        number = self._block_numbers.get(block_hash)
        if number is not None:
            for awaiting in self._listener.awaiting_finality():
                n = self._block_numbers.get(awaiting)
                if n is not None and n <= number and awaiting not in targets:
                    targets.append(awaiting)
            targets.sort(key=lambda b: self._block_numbers.get(b, number))
        for target in targets:
            self._listener.finalized(target)
        if number is not None:
            for old in [b for b, n in self._block_numbers.items() if n < number]:
                del self._block_numbers[old]
                self._bodies.pop(old, None)
        for target in targets:
            self._bodies.pop(target, None)

    def _remember_block(self, block_hash: bytes, number: int) -> None:
        self._block_numbers[block_hash] = number
        while len(self._block_numbers) > MAX_TRACKED_BLOCKS:
            oldest = next(iter(self._block_numbers))
            del self._block_numbers[oldest]
            self._bodies.pop(oldest, None)
        while len(self._bodies) > MAX_TRACKED_BLOCKS:
            del self._bodies[next(iter(self._bodies))]

    def _foreign_tags(self, parent_hash: bytes, body: list[tuple[bytes, bytes]]) -> list[bytes]:
        """Tags provided by included extrinsics that were not in the pool."""
        tags: list[bytes] = []
        for tx_hash, data in body:
            if self._pool.is_imported(tx_hash):
                continue
            try:
                validity = self._validator(TransactionSource.IN_BLOCK, data, parent_hash)
            except Exception:  # inherents and the like: nothing to learn
                continue
            tags.extend(validity.provides)
        return tags

    def _prune(
        self, at: tuple[bytes, int], included: list[bytes], provided_tags: list[bytes], index_of: dict[bytes, int]
    ) -> None:
        # Pool::prune + prune_tags + ValidatedPool::resubmit_pruned
        tags: list[bytes] = []
        for tx_hash in included:
            tx = self._pool.get(tx_hash)
            if tx is not None:
                tags.extend(tx.provides)
        tags.extend(provided_tags)
        status = self._pool.prune_tags(tags)
        for promoted in status.promoted:
            self._notify_ready(promoted.hash)
            self._fire_imported(promoted)
        for tx_hash in status.failed:
            self._listener.dropped(tx_hash)

        # Included transactions must not come back through re-verification.
        self._rotator.ban(included)
        included_set = set(included)
        reverified = [self._verify(tx.source, tx.data, at, check_banned=True) for tx in status.pruned]
        pruned_data = {tx.hash: tx.data for tx in status.pruned}
        results = self._submit(reverified)
        now_invalid: list[bytes] = []
        for validated, result in zip(reverified, results, strict=True):
            if not isinstance(result, PoolError) or validated.hash in included_set:
                continue
            if isinstance(result, InvalidTransactionError):
                # Its tag is on chain: Substrate reports it included. Remember it with the
                # block so that a retraction resubmits it too.
                now_invalid.append(validated.hash)
                self._bodies.setdefault(at[0], []).append((validated.hash, pruned_data[validated.hash]))
            elif isinstance(result, UnknownTransactionError | AlreadyImported):
                pass  # already reported, or still in the pool
            elif isinstance(result, TemporarilyBanned | TooLowPriority | CycleDetected | RejectedFutureTransaction
                            | Unactionable | ImmediatelyDropped):
                self._listener.dropped(validated.hash)
            else:
                self._listener.invalid(validated.hash)

        block_hash = at[0]
        for tx_hash in dict.fromkeys(now_invalid + included):
            self._listener.pruned(block_hash, tx_hash, index_of.get(tx_hash))

    def _clear_stale(self, number: int) -> None:
        """Drop (as `invalid`) what expired at `number`: the expiry heap yields just those,
        so the cost follows what expires, not the pool's size."""
        heap, pool = self._expiry, self._pool
        stale: list[bytes] = []
        while heap and heap[0][0] <= number:
            tx = heapq.heappop(heap)[2]
            if pool.get(tx.hash) is tx:
                stale.append(tx.hash)
        self.remove_invalid(stale)
        live = len(pool.ready) + len(pool.future)
        if len(heap) > 2 * live + 1024:
            self._expiry = [item for item in heap if pool.get(item[2].hash) is item[2]]
            heapq.heapify(self._expiry)
        self._rotator.clear_timeouts()

    def _resubmit_retracted(self, at: tuple[bytes, int]) -> None:
        pending = list(self._retracted.values())
        self._retracted.clear()
        validated = [self._verify(TransactionSource.EXTERNAL, data, at, check_banned=False) for data in pending]
        for v, result in zip(validated, self._submit(validated), strict=True):
            if not isinstance(result, PoolError) or isinstance(result, AlreadyImported | UnknownTransactionError):
                continue  # back in the pool, or reported already
            if isinstance(v, _Invalid):
                self._listener.invalid(v.hash)
            else:
                self._listener.dropped(v.hash)

    def revalidation_batch(self) -> list[Transaction]:
        """The transactions the next `revalidate` takes, in its order: for a validator that
        validates them ahead (the node's validation worker, on another core)."""
        pool = self._pool
        return [tx for h in self._revalidation_batch() if (tx := pool.get(h)) is not None]

    def revalidate(self, at: tuple[bytes, int], deadline: float | None = None) -> None:
        """Revalidate at `at` (the best block) what `revalidation_batch` names; for a node that
        skipped it in `on_block_imported` (`revalidate_until` already past) to run it later.
        A transaction whose place is unchanged stays where it is (see `_keeps_place`)."""
        self._revalidate(at, deadline)

    def _revalidation_batch(self) -> list[bytes]:
        """Up to `revalidation_limit` transactions, least recently validated first; stale
        entries met on the way are dropped, so the scan costs what it yields plus what it
        cleans (each entry is cleaned once)."""
        limit = self.options.revalidation_limit
        validated, pool = self._validated, self._pool
        batch: list[bytes] = []
        gone: list[bytes] = []
        for tx_hash in validated:
            if limit is not None and len(batch) >= limit:
                break
            (batch if pool.is_imported(tx_hash) else gone).append(tx_hash)
        for tx_hash in gone:
            del validated[tx_hash]
        return batch

    def _revalidate(self, at: tuple[bytes, int], deadline: float | None = None) -> None:
        at_hash, at_number = at
        invalid: list[bytes] = []
        updated: dict[bytes, Transaction] = {}
        for tx_hash in self._revalidation_batch():
            if deadline is not None and time.perf_counter() > deadline:
                break  # the slot's time is up: the rest waits for the next block
            tx = self._pool.get(tx_hash)
            if tx is None:
                continue
            try:
                validity = self._validator(tx.source, tx.data, at_hash)
            except TransactionValidityError as error:
                if error.kind != "Unknown":  # unknown validity: keep it, as Substrate does
                    invalid.append(tx_hash)
                continue
            except Exception as error:
                log.debug("revalidation of 0x%s failed: %r", tx_hash.hex(), error)
                invalid.append(tx_hash)
                continue
            self._touch(tx_hash)
            revalidated = Transaction.valid_at(at_number, tx_hash, tx.source, tx.data, validity)
            if not self._keeps_place(tx, revalidated):
                updated[tx_hash] = revalidated
        self.remove_invalid(invalid)
        if updated:
            self._resubmit({h: t for h, t in updated.items() if self._pool.is_imported(h)})

    def _keeps_place(self, old: Transaction, new: Transaction) -> bool:
        """Whether a ready transaction revalidated as `new` keeps its place in the queue as it
        is: same priority, tags and expiry, and linked behind a ready provider of each tag it
        requires now (a requirement it no longer has is on chain; one it has but that was
        counted as met on chain, before a reorg took that away, is not linked). Re-importing
        such a transaction would remove and rebuild it with every transaction that depends on
        it (a sender's whole chain of nonces) and change nothing."""
        return (old.priority == new.priority and old.valid_till == new.valid_till and old.provides == new.provides
                and old.propagate == new.propagate and old.hash in self._pool.ready
                and self._pool.ready.waits_for(old.hash, set(new.requires)))

    def _resubmit(self, updated: dict[bytes, Transaction]) -> None:
        """`ValidatedPool::resubmit`: re-import revalidated transactions (and dependants)."""
        pool = self._pool
        initial: dict[bytes, str] = {}
        to_resubmit: list[Transaction] = []
        pending = dict(updated)
        while pending:
            root = next(iter(pending))
            queue = _READY if root in pool.ready else _FUTURE  # a subtree lies in its root's queue
            for removed in pool.remove_subtree([root]):
                initial[removed.hash] = queue
                to_resubmit.append(pending.pop(removed.hash, removed))
            pending.pop(root, None)

        final: dict[bytes, str] = {}
        reject = pool.reject_future_transactions
        pool.reject_future_transactions = False
        try:
            for tx in to_resubmit:
                try:
                    imported = pool.import_(tx)
                except CycleDetected as error:
                    final[tx.hash] = _FAILED
                    final.update(dict.fromkeys(error.dropped, _DROPPED))
                except PoolError:
                    final[tx.hash] = _FAILED
                else:
                    self._expire_at(tx)
                    if isinstance(imported, ImportedReady):
                        final[tx.hash] = _READY
                        final.update(dict.fromkeys(imported.promoted, _READY))
                        final.update(dict.fromkeys(imported.failed, _FAILED))
                        final.update(dict.fromkeys((r.hash for r in imported.removed), _DROPPED))
                    else:
                        final[tx.hash] = _FUTURE
            if reject:
                final.update(dict.fromkeys((tx.hash for tx in pool.clear_future()), _DROPPED))
        finally:
            pool.reject_future_transactions = reject

        for tx_hash, status in final.items():
            if initial.get(tx_hash) == status:
                continue
            if status == _READY:
                self._notify_ready(tx_hash)
                self._listener.ready(tx_hash)
            elif status == _FUTURE:
                self._listener.future(tx_hash)
            elif status == _DROPPED:
                self._listener.dropped(tx_hash)
            else:
                self._listener.invalid(tx_hash)
