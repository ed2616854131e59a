"""A validated transaction as the pool holds it (`base_pool::Transaction`)."""

from __future__ import annotations

from dataclasses import dataclass

from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.transaction_validity import ValidTransaction

__all__ = ["MAX_U64", "Limit", "Transaction"]

MAX_U64 = (1 << 64) - 1


@dataclass(frozen=True, slots=True, eq=False)
class Transaction:
    """Immutable in-pool transaction. `valid_till` is the block number at which it stops
    being valid: the number it was validated at plus its `longevity`."""

    data: bytes
    hash: bytes
    priority: int
    valid_till: int
    requires: tuple[bytes, ...]
    provides: tuple[bytes, ...]
    propagate: bool
    source: str

    @property
    def bytes(self) -> int:
        """Length of the encoding (what the size limits count)."""
        return len(self.data)

    @classmethod
    def valid_at(
        cls, at_number: int, tx_hash: bytes, source: str, data: bytes, validity: ValidTransaction
    ) -> Transaction:
        """`ValidatedTransaction::valid_at`: the pool's record of a validity at block `at_number`."""
        return cls(
            data=data,
            hash=tx_hash,
            priority=validity.priority,
            valid_till=min(at_number + validity.longevity, MAX_U64),
            requires=tuple(validity.requires),
            provides=tuple(validity.provides),
            propagate=validity.propagate,
            source=source,
        )

    def __repr__(self) -> str:
        return (
            f"Transaction(hash=0x{self.hash.hex()[:16]}…, priority={self.priority}, "
            f"valid_till={self.valid_till}, requires={[t.hex() for t in self.requires]}, "
            f"provides={[t.hex() for t in self.provides]}, bytes={self.bytes})"
        )


@slots_dataclass(frozen=True)
class Limit:
    """Bounds of one queue: number of transactions and total encoded bytes."""

    count: int
    total_bytes: int

    def is_exceeded(self, count: int, total_bytes: int) -> bool:
        return count > self.count or total_bytes > self.total_bytes
