"""The dependency graph of the pool (`graph/base_pool.rs`): the ready and future queues,
moves between them, replacement and pruning of tags provided on chain.

No validation and no events here; `TransactionPool` drives it and reports statuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pysubtensor.primitives.slots_dataclass import slots_dataclass

from .errors import AlreadyImported, CycleDetected, PoolError, RejectedFutureTransaction, TooLowPriority
from .future import FutureTransactions, WaitingTransaction
from .ready import BestIterator, ReadyTransactions
from .transaction import Transaction

__all__ = ["BasePool", "ImportedFuture", "ImportedReady", "PoolStatus", "PruneStatus"]

RECENTLY_PRUNED_TAGS = 2  # tags pruned by the last two blocks count as satisfied


@dataclass(slots=True)
class ImportedReady:
    """Imported into ready: what got promoted from future, what failed, what was replaced."""

    hash: bytes
    promoted: list[bytes] = field(default_factory=list)
    failed: list[bytes] = field(default_factory=list)
    removed: list[Transaction] = field(default_factory=list)


@slots_dataclass
class ImportedFuture:
    hash: bytes


Imported = ImportedReady | ImportedFuture


@slots_dataclass
class PruneStatus:
    promoted: list[ImportedReady]
    failed: list[bytes]
    pruned: list[Transaction]


@slots_dataclass(frozen=True)
class PoolStatus:
    """`PoolStatus`: counts and encoded bytes of both queues."""

    ready: int
    ready_bytes: int
    future: int
    future_bytes: int

    @property
    def is_empty(self) -> bool:
        return self.ready == 0 and self.future == 0


class BasePool:
    """Ready + future queues over validated transactions."""

    __slots__ = ("_import_seq", "_pruned_index", "future", "ready", "recently_pruned", "reject_future_transactions")

    def __init__(self, reject_future_transactions: bool = False) -> None:
        self.reject_future_transactions = reject_future_transactions
        self.future = FutureTransactions()
        self.ready = ReadyTransactions()
        self.recently_pruned: list[set[bytes]] = [set() for _ in range(RECENTLY_PRUNED_TAGS)]
        self._pruned_index = 0
        self._import_seq = 0

    def is_imported(self, tx_hash: bytes) -> bool:
        return tx_hash in self.ready or tx_hash in self.future

    def get(self, tx_hash: bytes) -> Transaction | None:
        tx = self.ready.get(tx_hash)
        return tx if tx is not None else self.future.get(tx_hash)

    def would_be_ready(self, tx: Transaction) -> bool:
        """Whether `tx` would enter the ready queue if imported now (its requirements met)."""
        provided = self.ready.provided_tags
        return all(tag in provided or any(tag in s for s in self.recently_pruned) for tag in tx.requires)

    def _waiting(self, tx: Transaction) -> WaitingTransaction:
        self._import_seq += 1
        return WaitingTransaction.new(tx, self.ready.provided_tags, self.recently_pruned, self._import_seq)

    def import_(self, tx: Transaction) -> Imported:
        """Put `tx` in future (requirements missing) or ready (promoting what it unlocks)."""
        if self.is_imported(tx.hash):
            raise AlreadyImported(tx.hash)
        waiting = self._waiting(tx)
        if not waiting.is_ready:
            if self.reject_future_transactions:
                raise RejectedFutureTransaction()
            self.future.import_(waiting)
            return ImportedFuture(tx.hash)
        return self._import_to_ready(waiting)

    def _import_to_ready(self, waiting: WaitingTransaction) -> ImportedReady:
        tx_hash = waiting.tx.hash
        # Refuse before touching the future queue: a refused root must not strand the
        # futures it would have unlocked (Substrate checks only inside the loop).
        self.ready.check_replacement(waiting.tx)
        promoted: list[bytes] = []
        failed: list[bytes] = []
        removed: list[Transaction] = []
        first = True
        to_import = [waiting]
        while to_import:
            current = to_import.pop()
            to_import.extend(self.future.satisfy_tags(current.tx.provides))
            try:
                replaced = self.ready.import_(current)
            except TooLowPriority:
                if first:
                    raise
                removed.append(current.tx)
                promoted = [h for h in promoted if h != current.tx.hash]
            else:
                if not first:
                    promoted.append(current.tx.hash)
                if replaced:
                    gone = {r.hash for r in replaced}
                    promoted = [h for h in promoted if h not in gone]
                    removed.extend(replaced)
            first = False

        # The promoted futures pushed out the transaction that unlocked them: a cycle.
        if any(r.hash == tx_hash for r in removed):
            dropped = [t.hash for t in self.ready.remove_subtree(promoted)]
            dropped += [r.hash for r in removed if r.hash != tx_hash]
            raise CycleDetected(dropped)
        return ImportedReady(tx_hash, promoted, failed, removed)

    def iter_ready(self) -> BestIterator:
        return self.ready.iter_best()

    def futures(self) -> list[Transaction]:
        return self.future.all()

    def remove_subtree(self, hashes: Iterable[bytes]) -> list[Transaction]:
        """Remove transactions and every ready transaction depending on them."""
        hashes = list(hashes)
        removed = self.ready.remove_subtree(hashes)
        removed.extend(self.future.remove(hashes))
        return removed

    def clear_future(self) -> list[Transaction]:
        return self.future.clear()

    def prune_tags(self, tags: Iterable[bytes]) -> PruneStatus:
        """`tags` are provided on chain now: drop the transactions that provide them
        (futures providing them are `failed`), promote futures waiting for them, and
        remember them for the next two prunings."""
        tags = list(dict.fromkeys(tags))
        recently = self.recently_pruned[self._pruned_index]
        self._pruned_index = (self._pruned_index + 1) % RECENTLY_PRUNED_TAGS
        recently.clear()

        futures_removed = self.future.prune_tags(tags)
        to_import: list[WaitingTransaction] = []
        pruned: list[Transaction] = []
        for tag in tags:
            to_import.extend(self.future.satisfy_tags([tag]))
            pruned.extend(self.ready.prune_tags(tag))
            recently.add(tag)

        promoted: list[ImportedReady] = []
        failed = [tx.hash for tx in futures_removed]
        for waiting in to_import:
            try:
                promoted.append(self._import_to_ready(waiting))
            except CycleDetected as error:
                failed.append(waiting.tx.hash)
                failed.extend(error.dropped)
            except PoolError:
                failed.append(waiting.tx.hash)
        return PruneStatus(promoted, failed, pruned)

    def status(self) -> PoolStatus:
        return PoolStatus(len(self.ready), self.ready.bytes, len(self.future), self.future.bytes)
