"""Status notifications (`graph/listener.rs`, `graph/watcher.rs`): per-transaction
watchers for `author_submitAndWatchExtrinsic`, pool-wide status listeners, and the blocks
whose included transactions still wait for finality.

Everything here is synchronous and runs on the node's event loop; a `Watcher` is an
async iterator that an RPC subscription task drains.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pysubtensor.node.notifications import BufferedStream

from .status import TransactionStatus

__all__ = ["MAX_FINALITY_WATCHERS", "Listener", "StatusCallback", "Watcher"]

log = logging.getLogger("txpool")

MAX_FINALITY_WATCHERS = 512
"""Blocks with watched inclusions that may await finality; older ones get `finalityTimeout`."""

StatusCallback = Callable[[bytes, TransactionStatus], None]


class Watcher(BufferedStream[TransactionStatus]):
    """The status stream of one transaction.

    `async for status in watcher` yields every status in order and stops after a final
    one (or after `close()`). `drain()` returns what is buffered without waiting. An
    optional `callback(status)` is called synchronously for each status as it happens."""

    __slots__ = ("_callback", "_closed", "_ended", "_listener", "hash")

    def __init__(
        self, tx_hash: bytes, listener: Listener, callback: Callable[[TransactionStatus], None] | None = None
    ) -> None:
        super().__init__()
        self.hash = tx_hash
        self._listener = listener
        self._callback = callback
        self._ended = False
        self._closed = False

    @property
    def done(self) -> bool:
        """True once a final status was sent or the watcher was closed."""
        return self._ended or self._closed

    def _push(self, status: TransactionStatus) -> None:
        if self.done:
            return
        self._buffer.append(status)
        if status.is_final:
            self._ended = True
        if self._callback is not None:
            try:
                self._callback(status)
            except Exception:  # a subscriber's bug must not break the pool's bookkeeping
                log.exception("transaction status callback failed")
        self._wake()

    def close(self) -> None:
        """Stop watching (`author_unwatchExtrinsic`); buffered statuses are discarded."""
        if not self._closed:
            self._closed = True
            self._buffer.clear()
            self._listener._detach(self)
            self._wake()

    def __repr__(self) -> str:
        return f"Watcher(0x{self.hash.hex()}, buffered={len(self._buffer)}, done={self.done})"


class Listener:
    """Dispatches pool events to watchers and listeners; tracks inclusions until finality."""

    __slots__ = ("_finality", "_listeners", "_watchers")

    def __init__(self) -> None:
        self._watchers: dict[bytes, list[Watcher]] = {}
        # block hash -> [(tx hash, index)], oldest block first (LinkedHashMap in Substrate)
        self._finality: dict[bytes, list[tuple[bytes, int]]] = {}
        self._listeners: list[StatusCallback] = []

    # -- subscription management ---------------------------------------------------------

    def create_watcher(
        self, tx_hash: bytes, callback: Callable[[TransactionStatus], None] | None = None
    ) -> Watcher:
        watcher = Watcher(tx_hash, self, callback)
        self._watchers.setdefault(tx_hash, []).append(watcher)
        return watcher

    def _detach(self, watcher: Watcher) -> None:
        watchers = self._watchers.get(watcher.hash)
        if watchers is not None and watcher in watchers:
            watchers.remove(watcher)
            if not watchers:
                del self._watchers[watcher.hash]

    def add_listener(self, callback: StatusCallback) -> Callable[[], None]:
        """Call `callback(tx_hash, status)` for every status of every transaction."""
        self._listeners.append(callback)

        def remove() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return remove

    def watched(self) -> list[bytes]:
        return list(self._watchers)

    def is_watched(self, tx_hash: bytes) -> bool:
        return tx_hash in self._watchers

    def awaiting_finality(self) -> list[bytes]:
        """Blocks with included transactions not yet reported final, oldest first."""
        return list(self._finality)

    def in_block_awaiting(self, tx_hash: bytes) -> bool:
        return any(h == tx_hash for txs in self._finality.values() for h, _ in txs)

    # -- dispatch ------------------------------------------------------------------------

    def _fire(self, tx_hash: bytes, status: TransactionStatus) -> None:
        watchers = self._watchers.get(tx_hash)
        if watchers:
            for watcher in list(watchers):
                watcher._push(status)
            if status.is_final:
                self._watchers.pop(tx_hash, None)
        for callback in list(self._listeners):
            try:
                callback(tx_hash, status)
            except Exception:
                log.exception("transaction pool listener failed")

    def ready(self, tx_hash: bytes) -> None:
        self._fire(tx_hash, TransactionStatus.ready())

    def future(self, tx_hash: bytes) -> None:
        self._fire(tx_hash, TransactionStatus.future())

    def broadcasted(self, tx_hash: bytes, peers: list[str]) -> None:
        self._fire(tx_hash, TransactionStatus.broadcast(peers))

    def limits_enforced(self, tx_hash: bytes) -> None:
        self._fire(tx_hash, TransactionStatus.dropped())

    def usurped(self, tx_hash: bytes, by: bytes) -> None:
        self._fire(tx_hash, TransactionStatus.usurped(by))

    def dropped(self, tx_hash: bytes) -> None:
        self._fire(tx_hash, TransactionStatus.dropped())

    def invalid(self, tx_hash: bytes) -> None:
        self._fire(tx_hash, TransactionStatus.invalid())

    def pruned(self, block_hash: bytes, tx_hash: bytes, index: int | None = None) -> None:
        """`tx_hash` was included in `block_hash` (at `index` when known)."""
        txs = self._finality.setdefault(block_hash, [])
        position = len(txs) if index is None else index
        txs.append((tx_hash, position))
        self._fire(tx_hash, TransactionStatus.in_block(block_hash, position))
        while len(self._finality) > MAX_FINALITY_WATCHERS:
            oldest = next(iter(self._finality))
            for timed_out, _ in self._finality.pop(oldest):
                self._fire(timed_out, TransactionStatus.finality_timeout(oldest))

    def retracted(self, block_hash: bytes) -> list[bytes]:
        """The block left the best chain; returns the transactions reported included in it."""
        txs = self._finality.pop(block_hash, [])
        for tx_hash, _ in txs:
            self._fire(tx_hash, TransactionStatus.retracted(block_hash))
        return [h for h, _ in txs]

    def finalized(self, block_hash: bytes) -> None:
        for tx_hash, index in self._finality.pop(block_hash, []):
            self._fire(tx_hash, TransactionStatus.finalized(block_hash, index))
