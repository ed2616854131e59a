"""Errors raised by the state backend.

Every failure of the database layer surfaces as a `StateError` subclass with a message
that names the problem (which file, which root, which node), so the node can print one
clear line instead of a plyvel traceback.
"""

from __future__ import annotations

from pysubtensor.primitives.trie.codec import TrieDecodeError

__all__ = [
    "MissingNodeError",
    "ProofError",
    "StateCorruptError",
    "StateError",
    "StateLockedError",
    "StateOpenError",
    "TrieDecodeError",
    "UnknownStateError",
]


class StateError(Exception):
    """Base class of state-database errors."""


class StateOpenError(StateError):
    """The database cannot be opened (not a directory, permissions, I/O error)."""


class StateLockedError(StateOpenError):
    """Another process (or another handle in this process) holds the database lock."""


class StateCorruptError(StateError):
    """The database is damaged: LevelDB reports corruption, or our own invariants fail."""


class MissingNodeError(StateCorruptError):
    """A trie node that a committed state references is not in the database."""


class UnknownStateError(StateError, KeyError):
    """A state root that was never committed to this database."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ProofError(ValueError):
    """A storage proof that is incomplete or does not match the claimed root."""
