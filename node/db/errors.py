"""Errors raised by the chain database.

Every failure surfaces as a `ChainDbError` subclass whose message names the problem (which
directory, which block, which pointer), so the CLI prints one line instead of a traceback.
State-layer errors met while opening are re-raised as the matching chain-database error.
"""

from __future__ import annotations

__all__ = [
    "ChainDbCorrupt",
    "ChainDbError",
    "ChainDbLocked",
    "ChainDbOpenError",
    "InvalidBlock",
    "NotInFinalizedChain",
    "UnknownBlock",
]


class ChainDbError(Exception):
    """Base class of chain-database errors."""


class ChainDbOpenError(ChainDbError):
    """The database directory cannot be opened (not a directory, permissions, I/O error)."""


class ChainDbLocked(ChainDbOpenError):
    """Another process (or handle) has the database open."""


class ChainDbCorrupt(ChainDbError):
    """Stored data breaks the database's invariants (missing or undecodable records, pointers
    to blocks or states that are not there)."""


class UnknownBlock(ChainDbError, KeyError):
    """A block hash (or parent) that this database does not hold."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class InvalidBlock(ChainDbError, ValueError):
    """A block that does not fit its parent or its state commit (wrong number, wrong state
    root, state computed on another base)."""


class NotInFinalizedChain(ChainDbError):
    """The block is not on the chain of the finalized block (it would revert finality)."""
