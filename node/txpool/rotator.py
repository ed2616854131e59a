"""Temporary bans of transaction hashes (`graph/rotator.rs`).

As in Substrate a hash stays banned until the first `clear_timeouts` after its ban time
ran out (the pool clears at each imported block), so with `ban_time=0` (dev chains) a ban
lasts until the next block. Time comes from the injected clock, in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .transaction import Transaction

__all__ = ["PoolRotator"]

EXPECTED_SIZE = 2048


class PoolRotator:
    __slots__ = ("_banned_until", "_clock", "ban_time", "expected_size")

    def __init__(self, ban_time: float, clock: Callable[[], float], expected_size: int = EXPECTED_SIZE) -> None:
        self.ban_time = ban_time
        self._clock = clock
        self.expected_size = max(expected_size, 1)
        self._banned_until: dict[bytes, float] = {}

    def is_banned(self, tx_hash: bytes) -> bool:
        return tx_hash in self._banned_until

    def ban(self, hashes: Iterable[bytes]) -> None:
        until = self._clock() + self.ban_time
        banned = self._banned_until
        for tx_hash in hashes:
            banned.pop(tx_hash, None)  # re-insert: newest bans last, oldest dropped first
            banned[tx_hash] = until
        if len(banned) > 2 * self.expected_size:
            for tx_hash in list(banned)[: len(banned) - self.expected_size]:
                del banned[tx_hash]

    def ban_if_stale(self, current_block: int, tx: Transaction) -> bool:
        """Ban `tx` if its longevity ran out at `current_block`; True if so."""
        if tx.valid_till > current_block:
            return False
        self.ban([tx.hash])
        return True

    def clear_timeouts(self) -> None:
        """Lift the bans that ran out. Bans are kept in the order they were given (a re-ban
        moves to the end) with one ban time, so they end in that order: only the expired ones
        at the front are visited, whatever the number of bans."""
        # Substrate keeps `until >= now`, but its clock has always moved on since the ban;
        # an injected clock may not have, so a ban ending exactly now is over.
        now = self._clock()
        banned = self._banned_until
        expired = []
        for tx_hash, until in banned.items():
            if until > now:
                break
            expired.append(tx_hash)
        for tx_hash in expired:
            del banned[tx_hash]

    def __len__(self) -> int:
        return len(self._banned_until)
