"""The future queue (`graph/future.rs`): transactions waiting for tags no ready
transaction provides yet. Maps are insertion-ordered so promotion order is deterministic."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .transaction import Transaction

__all__ = ["FutureTransactions", "WaitingTransaction"]


@dataclass(slots=True, eq=False)
class WaitingTransaction:
    """A transaction with the required tags still missing; `imported_at` orders eviction."""

    tx: Transaction
    missing_tags: set[bytes]
    imported_at: int

    @classmethod
    def new(
        cls,
        tx: Transaction,
        provided: Mapping[bytes, bytes],
        recently_pruned: Iterable[set[bytes]],
        imported_at: int,
    ) -> WaitingTransaction:
        """Missing = required tags neither provided by a ready transaction nor recently pruned."""
        pruned = tuple(recently_pruned)
        missing = {tag for tag in tx.requires if tag not in provided and not any(tag in s for s in pruned)}
        return cls(tx, missing, imported_at)

    def satisfy_tag(self, tag: bytes) -> None:
        self.missing_tags.discard(tag)

    @property
    def is_ready(self) -> bool:
        return not self.missing_tags


class FutureTransactions:
    """Transactions that are not ready, indexed by the tags they still wait for."""

    __slots__ = ("_bytes", "_waiting", "_wanted_tags")

    def __init__(self) -> None:
        self._wanted_tags: dict[bytes, dict[bytes, None]] = {}
        self._waiting: dict[bytes, WaitingTransaction] = {}
        self._bytes = 0

    def import_(self, waiting: WaitingTransaction) -> None:
        tx_hash = waiting.tx.hash
        assert not waiting.is_ready, "a ready transaction does not belong in the future queue"
        assert tx_hash not in self._waiting, "transaction is already imported"
        for tag in waiting.tx.requires:  # tuple order: deterministic
            if tag in waiting.missing_tags:
                self._wanted_tags.setdefault(tag, {})[tx_hash] = None
        self._waiting[tx_hash] = waiting
        self._bytes += waiting.tx.bytes

    def __contains__(self, tx_hash: bytes) -> bool:
        return tx_hash in self._waiting

    def get(self, tx_hash: bytes) -> Transaction | None:
        waiting = self._waiting.get(tx_hash)
        return None if waiting is None else waiting.tx

    def prune_tags(self, tags: Iterable[bytes]) -> list[Transaction]:
        """Remove (and return) future transactions that provide any of `tags`."""
        tag_set = set(tags)
        hashes = [h for h, w in self._waiting.items() if any(t in tag_set for t in w.tx.provides)]
        return self.remove(hashes)

    def satisfy_tags(self, tags: Iterable[bytes]) -> list[WaitingTransaction]:
        """Mark `tags` as provided; remove and return the transactions that became ready."""
        became_ready: list[WaitingTransaction] = []
        for tag in tags:
            hashes = self._wanted_tags.pop(tag, None)
            if not hashes:
                continue
            for tx_hash in hashes:
                waiting = self._waiting[tx_hash]
                waiting.satisfy_tag(tag)
                if waiting.is_ready:
                    del self._waiting[tx_hash]
                    self._bytes -= waiting.tx.bytes
                    became_ready.append(waiting)
        return became_ready

    def remove(self, hashes: Iterable[bytes]) -> list[Transaction]:
        """Remove the given transactions; return those that were here."""
        removed: list[Transaction] = []
        for tx_hash in hashes:
            waiting = self._waiting.pop(tx_hash, None)
            if waiting is None:
                continue
            self._bytes -= waiting.tx.bytes
            for tag in waiting.missing_tags:
                wanted = self._wanted_tags.get(tag)
                if wanted is not None:
                    wanted.pop(tx_hash, None)
                    if not wanted:
                        del self._wanted_tags[tag]
            removed.append(waiting.tx)
        return removed

    def worst_first(self) -> list[Transaction]:
        """Future transactions from the worst up: lowest priority, then the oldest."""
        return [w.tx for w in sorted(self._waiting.values(), key=lambda w: (w.tx.priority, w.imported_at))]

    def all(self) -> list[Transaction]:
        return [w.tx for w in self._waiting.values()]

    def missing(self, tx_hash: bytes) -> frozenset[bytes]:
        waiting = self._waiting.get(tx_hash)
        return frozenset() if waiting is None else frozenset(waiting.missing_tags)

    def clear(self) -> list[Transaction]:
        removed = [w.tx for w in self._waiting.values()]
        self._wanted_tags.clear()
        self._waiting.clear()
        self._bytes = 0
        return removed

    def __len__(self) -> int:
        return len(self._waiting)

    @property
    def bytes(self) -> int:
        return self._bytes
