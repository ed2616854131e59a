"""The ready queue (`graph/ready.rs`): transactions whose requirements are all met, linked
into a dependency graph, and the best-first iterator a block author consumes.

Iteration order: a transaction is yielded only after every in-pool transaction it depends
on; among those available, higher priority first, then the one valid for fewer blocks,
then the one that entered the queue first.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import TooLowPriority
from .future import WaitingTransaction
from .transaction import MAX_U64, Transaction

__all__ = ["BestIterator", "ReadyTransactions"]


@dataclass(slots=True, eq=False)
class _ReadyTx:
    tx: Transaction
    insertion_id: int
    unlocks: list[bytes]  # in-pool transactions that depend on this one
    requires_offset: int  # required tags already satisfied outside the ready queue


def _best_key(tx: Transaction, insertion_id: int) -> tuple[int, int, int]:
    # heapq pops the smallest: highest priority, then soonest expiry, then oldest.
    return (-tx.priority, tx.valid_till, insertion_id)


class ReadyTransactions:
    """Ready transactions, the tag → provider index, and the set of roots ("best")."""

    __slots__ = ("_best", "_bytes", "_insertion_id", "_ready", "_worst", "provided_tags")

    def __init__(self) -> None:
        self._insertion_id = 0
        self.provided_tags: dict[bytes, bytes] = {}  # one ready transaction per tag
        self._ready: dict[bytes, _ReadyTx] = {}
        self._best: dict[bytes, None] = {}  # ready with no in-pool dependency
        self._bytes = 0
        # (priority, -insertion id, hash) of every import: the worst on top. Entries of removed
        # transactions stay until they surface (or the heap is rebuilt when mostly stale).
        self._worst: list[tuple[int, int, bytes]] = []

    # -- queries -------------------------------------------------------------------------

    def __contains__(self, tx_hash: bytes) -> bool:
        return tx_hash in self._ready

    def __len__(self) -> int:
        return len(self._ready)

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, tx_hash: bytes) -> Transaction | None:
        entry = self._ready.get(tx_hash)
        return None if entry is None else entry.tx

    def all(self) -> list[Transaction]:
        return [entry.tx for entry in self._ready.values()]

    def insertion_id(self, tx_hash: bytes) -> int:
        return self._ready[tx_hash].insertion_id

    def waits_for(self, tx_hash: bytes, tags: set[bytes]) -> bool:
        """Whether the ready transaction `tx_hash` is linked, as a dependant, to a ready provider
        of each of `tags` (so it is not yielded before them)."""
        for tag in tags:
            provider = self.provided_tags.get(tag)
            parent = None if provider is None else self._ready.get(provider)
            if parent is None or tx_hash not in parent.unlocks:
                return False
        return True

    def iter_best(self) -> BestIterator:
        """A snapshot iterator in block-building order (`ReadyTransactions::get`)."""
        return BestIterator(
            {h: (e.tx, tuple(e.unlocks), e.requires_offset, e.insertion_id) for h, e in self._ready.items()},
            [self._ready[h] for h in self._best],
        )

    def _live(self, item: tuple[int, int, bytes]) -> bool:
        entry = self._ready.get(item[2])
        return entry is not None and entry.insertion_id == -item[1]

    def worst(self) -> Transaction | None:
        """The transaction evicted first under limits: lowest priority, then the newest (the
        end of a sender's chain: evicting it takes nothing else along, where the oldest is a
        chain's head and takes the whole chain; Substrate's base pool takes the oldest).
        Amortised O(log n): the top of a heap, stale tops discarded."""
        heap = self._worst
        while heap and not self._live(heap[0]):
            heapq.heappop(heap)
        return self._ready[heap[0][2]].tx if heap else None

    def worst_first(self) -> Iterator[Transaction]:
        """Ready transactions from the worst up (lowest priority, newest first), lazily: each
        step costs O(log n), so a caller that stops early does not pay for a full sort."""
        heap = [item for item in self._worst if self._live(item)]
        heapq.heapify(heap)
        while heap:
            yield self._ready[heapq.heappop(heap)[2]].tx

    def subtree(self, tx_hash: bytes) -> list[Transaction]:
        """`tx_hash` and every ready transaction depending on it (what removing it removes)."""
        seen: dict[bytes, None] = {}
        stack = [tx_hash]
        while stack:
            h = stack.pop()
            entry = self._ready.get(h)
            if entry is None or h in seen:
                continue
            seen[h] = None
            stack.extend(entry.unlocks)
        return [self._ready[h].tx for h in seen]

    # -- import --------------------------------------------------------------------------

    def check_replacement(self, tx: Transaction) -> None:
        """Raise `TooLowPriority` when `tx` could not replace the providers of its tags."""
        replace = self._providers_of(tx.provides)
        if replace:
            old = self._total_priority(replace)
            if old >= tx.priority:
                raise TooLowPriority(old, tx.priority)

    def import_(self, waiting: WaitingTransaction) -> list[Transaction]:
        """Add a transaction whose requirements are met; return those it replaced."""
        tx = waiting.tx
        assert waiting.is_ready, f"only ready transactions can be imported, missing {waiting.missing_tags}"
        assert tx.hash not in self._ready, "transaction is already imported"
        self._insertion_id += 1
        replaced, unlocks = self._replace_previous(tx)

        goes_to_best = True
        requires_offset = 0
        for tag in tx.requires:
            provider = self.provided_tags.get(tag)
            entry = None if provider is None else self._ready.get(provider)
            if entry is not None:
                entry.unlocks.append(tx.hash)
                goes_to_best = False
            else:
                requires_offset += 1
        # `_replace_previous` removed every transaction whose tags we overwrite here.
        for tag in tx.provides:
            self.provided_tags[tag] = tx.hash
        if goes_to_best:
            self._best[tx.hash] = None
        self._ready[tx.hash] = _ReadyTx(tx, self._insertion_id, unlocks, requires_offset)
        self._bytes += tx.bytes
        heapq.heappush(self._worst, (tx.priority, -self._insertion_id, tx.hash))
        if len(self._worst) > 2 * len(self._ready) + 64:
            self._worst = [item for item in self._worst if self._live(item)]
            heapq.heapify(self._worst)
        return replaced

    def _providers_of(self, tags: tuple[bytes, ...]) -> list[bytes]:
        found: dict[bytes, None] = {}
        for tag in tags:
            provider = self.provided_tags.get(tag)
            if provider is not None:
                found[provider] = None
        return list(found)

    def _total_priority(self, hashes: list[bytes]) -> int:
        total = sum(self._ready[h].tx.priority for h in hashes if h in self._ready)
        return min(total, MAX_U64)

    def _replace_previous(self, tx: Transaction) -> tuple[list[Transaction], list[bytes]]:
        """Remove ready transactions providing any tag of `tx`, if their summed priority is
        strictly lower; dependants stay when `tx` provides every tag they relied on."""
        replace = self._providers_of(tx.provides)
        if not replace:
            return [], []
        old = self._total_priority(replace)
        if old >= tx.priority:
            raise TooLowPriority(old, tx.priority)
        unlocks = [u for h in replace if h in self._ready for u in self._ready[h].unlocks]
        removed = self._remove_subtree(replace, keep_tags=frozenset(tx.provides))
        return removed, unlocks

    # -- removal -------------------------------------------------------------------------

    def remove_subtree(self, hashes: list[bytes]) -> list[Transaction]:
        """Remove the given transactions and everything that depends on them."""
        return self._remove_subtree(list(hashes), None)

    def _remove_subtree(self, to_remove: list[bytes], keep_tags: frozenset[bytes] | None) -> list[Transaction]:
        # A branch is followed only when the removed transaction gave up at least one tag
        # outside `keep_tags` (the tags a replacement is about to provide).
        removed: list[Transaction] = []
        stack = list(to_remove)
        while stack:
            tx_hash = stack.pop()
            entry = self._ready.pop(tx_hash, None)
            if entry is None:
                continue
            tx = entry.tx
            self._bytes -= tx.bytes
            removed_some_tags = False
            for tag in tx.provides:
                if keep_tags is None or tag not in keep_tags:
                    removed_some_tags = True
                    if self.provided_tags.get(tag) == tx_hash:
                        del self.provided_tags[tag]
            for tag in tx.requires:
                provider = self.provided_tags.get(tag)
                parent = None if provider is None else self._ready.get(provider)
                if parent is not None and tx_hash in parent.unlocks:
                    parent.unlocks.remove(tx_hash)
            self._best.pop(tx_hash, None)
            if removed_some_tags:
                stack.extend(entry.unlocks)
            removed.append(tx)
        return removed

    def prune_tags(self, tag: bytes) -> list[Transaction]:
        """Remove the transaction providing `tag` (now provided on chain) and, eagerly, the
        predecessors left with no dependant; the transactions it unlocked stay and may
        become roots."""
        removed: list[Transaction] = []
        to_remove = [tag]
        while to_remove:
            current = to_remove.pop()
            tx_hash = self.provided_tags.pop(current, None)
            entry = None if tx_hash is None else self._ready.pop(tx_hash, None)
            if entry is None:
                continue
            tx = entry.tx
            self._bytes -= tx.bytes
            self._best.pop(tx.hash, None)
            for req in tx.requires:
                provider = self.provided_tags.get(req)
                prev = None if provider is None else self._ready.get(provider)
                if prev is None:
                    continue
                if tx.hash in prev.unlocks:
                    prev.unlocks.remove(tx.hash)
                if not prev.unlocks:
                    to_remove.extend(prev.tx.provides)
            for unlocked in entry.unlocks:
                child = self._ready.get(unlocked)
                if child is not None:
                    child.requires_offset += 1
                    if child.requires_offset == len(child.tx.requires):
                        self._best[unlocked] = None
            for other in tx.provides:
                if other != current and self.provided_tags.get(other) == tx.hash:
                    del self.provided_tags[other]
            removed.append(tx)
        return removed


class BestIterator(Iterator[Transaction]):
    """Ready transactions in block-building order, over a snapshot of the queue.

    `report_invalid(tx)` (the block builder found `tx` invalid) skips everything that
    depends on it."""

    __slots__ = ("_all", "_awaiting", "_best", "_invalid")

    def __init__(
        self,
        snapshot: dict[bytes, tuple[Transaction, tuple[bytes, ...], int, int]],
        roots: list[_ReadyTx],
    ) -> None:
        self._all = snapshot
        self._awaiting: dict[bytes, int] = {}
        self._invalid: set[bytes] = set()
        self._best: list[tuple[tuple[int, int, int], bytes]] = [
            (_best_key(r.tx, r.insertion_id), r.tx.hash) for r in roots
        ]
        heapq.heapify(self._best)

    def __iter__(self) -> BestIterator:
        return self

    def __next__(self) -> Transaction:
        while self._best:
            _, tx_hash = heapq.heappop(self._best)
            if tx_hash in self._invalid:
                continue
            entry = self._all.get(tx_hash)
            if entry is None:
                continue
            tx, unlocks, _, _ = entry
            for child_hash in unlocks:
                if child_hash in self._awaiting:
                    satisfied = self._awaiting.pop(child_hash) + 1
                else:
                    child = self._all.get(child_hash)
                    if child is None:
                        continue
                    satisfied = child[2] + 1
                child_tx, _, _, child_insertion = self._all[child_hash]
                if satisfied >= len(child_tx.requires):
                    heapq.heappush(self._best, (_best_key(child_tx, child_insertion), child_hash))
                else:
                    self._awaiting[child_hash] = satisfied
            return tx
        raise StopIteration

    def report_invalid(self, tx: Transaction) -> None:
        entry = self._all.get(tx.hash)
        if entry is not None:
            self._invalid.update(entry[1])
