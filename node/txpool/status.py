"""`TransactionStatus` (sc-transaction-pool-api): the events of one transaction's life.

Order of a normal life: `future`? → `ready` → `inBlock` → `finalized`. A transaction leaves
the pool once (`inBlock`, `invalid`, `usurped`, `dropped`); a retracted block sends it
back (`retracted`, then `ready`/`future` again). The stream ends after a final status:
`finalized`, `finalityTimeout`, `usurped`, `dropped`, `invalid`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "BROADCAST",
    "DROPPED",
    "FINALITY_TIMEOUT",
    "FINALIZED",
    "FINAL_KINDS",
    "FUTURE",
    "INVALID",
    "IN_BLOCK",
    "READY",
    "RETRACTED",
    "USURPED",
    "TransactionStatus",
]

FUTURE = "future"
READY = "ready"
BROADCAST = "broadcast"
IN_BLOCK = "inBlock"
RETRACTED = "retracted"
FINALITY_TIMEOUT = "finalityTimeout"
FINALIZED = "finalized"
USURPED = "usurped"
DROPPED = "dropped"
INVALID = "invalid"

FINAL_KINDS = frozenset({FINALIZED, FINALITY_TIMEOUT, USURPED, DROPPED, INVALID})
_UNIT = frozenset({FUTURE, READY, DROPPED, INVALID})
_HASHED = frozenset({IN_BLOCK, RETRACTED, FINALITY_TIMEOUT, FINALIZED, USURPED})


@dataclass(frozen=True, slots=True)
class TransactionStatus:
    """One status event. `hash` is the block hash (inBlock, retracted, finalityTimeout,
    finalized) or the replacing transaction's hash (usurped); `index` is the position in
    the block for inBlock/finalized (the new JSON-RPC spec reports it; the legacy one drops it)."""

    kind: str
    hash: bytes | None = None
    index: int | None = None
    peers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _UNIT and self.kind not in _HASHED and self.kind != BROADCAST:
            raise ValueError(f"unknown transaction status {self.kind!r}")
        if (self.kind in _HASHED) != (self.hash is not None):
            raise ValueError(f"status {self.kind!r} {'needs' if self.kind in _HASHED else 'takes no'} hash")

    @property
    def is_final(self) -> bool:
        """True for the last event of a stream (`TransactionStatus::is_final`)."""
        return self.kind in FINAL_KINDS

    @property
    def is_retriable(self) -> bool:
        """True when re-submitting may succeed later (`TransactionStatus::is_retriable`)."""
        return self.kind in (FINALITY_TIMEOUT, INVALID, DROPPED)

    def to_json(self) -> Any:
        """The value of `author_extrinsicUpdate` as Substrate's legacy RPC serialises it."""
        if self.kind in _UNIT:
            return self.kind
        if self.kind == BROADCAST:
            return {BROADCAST: list(self.peers)}
        assert self.hash is not None
        return {self.kind: "0x" + self.hash.hex()}

    @classmethod
    def future(cls) -> TransactionStatus:
        return cls(FUTURE)

    @classmethod
    def ready(cls) -> TransactionStatus:
        return cls(READY)

    @classmethod
    def broadcast(cls, peers: tuple[str, ...] | list[str]) -> TransactionStatus:
        return cls(BROADCAST, peers=tuple(peers))

    @classmethod
    def in_block(cls, block_hash: bytes, index: int) -> TransactionStatus:
        return cls(IN_BLOCK, block_hash, index)

    @classmethod
    def retracted(cls, block_hash: bytes) -> TransactionStatus:
        return cls(RETRACTED, block_hash)

    @classmethod
    def finality_timeout(cls, block_hash: bytes) -> TransactionStatus:
        return cls(FINALITY_TIMEOUT, block_hash)

    @classmethod
    def finalized(cls, block_hash: bytes, index: int) -> TransactionStatus:
        return cls(FINALIZED, block_hash, index)

    @classmethod
    def usurped(cls, by: bytes) -> TransactionStatus:
        return cls(USURPED, by)

    @classmethod
    def dropped(cls) -> TransactionStatus:
        return cls(DROPPED)

    @classmethod
    def invalid(cls) -> TransactionStatus:
        return cls(INVALID)
