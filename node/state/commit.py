"""The objects that carry a state change from `apply()` to disk.

`PendingCommit` is the computed result of applying changes to a base state (new root,
new nodes, the normalised changes for the flat index); nothing is written yet.
`StateWriteBatch` is one atomic LevelDB write shared by the state and the chain
database: it commits on a clean exit of its `with` block, discards on an exception, and
refuses use afterwards (as py-evm's atomic batch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from .errors import StateError

__all__ = ["PendingCommit", "StagedCommit", "StateWriteBatch"]


@dataclass(frozen=True, slots=True)
class PendingCommit:
    """A computed, not yet written, state transition `base_root -> root`."""

    base_root: bytes
    root: bytes
    state_version: int
    #: New trie nodes and value nodes by hash (may include nodes already stored).
    nodes: Mapping[bytes, bytes]
    #: Top-trie writes (None = delete), including `:child_storage:default:` root entries.
    top_changes: Mapping[bytes, bytes | None]
    #: Child key -> writes to that child trie (None = delete).
    child_changes: Mapping[bytes, Mapping[bytes, bytes | None]]
    #: Child key -> the child trie's new root (the empty root when it was removed).
    child_roots: Mapping[bytes, bytes]

    def __repr__(self) -> str:
        return (f"PendingCommit(0x{self.base_root.hex()[:12]}… -> 0x{self.root.hex()[:12]}…, "
                f"{len(self.nodes)} nodes, {len(self.top_changes)} top changes, "
                f"{len(self.child_changes)} child tries)")


@dataclass(slots=True)
class StagedCommit:
    """A pending commit whose writes sit in a batch; `finish` it once the batch is written."""

    pending: PendingCommit
    set_head: bool
    #: The head the flat-index updates were computed against.
    expected_head: bytes | None
    finished: bool = field(default=False)


class StateWriteBatch:
    """An atomic write batch over the whole (shared) LevelDB; keys are raw, unprefixed.

    Use as a context manager; `put`/`delete` are the plyvel batch's. Commits staged into
    it are checked just before the write and finished (the in-memory head moved) right
    after it; an exception inside the block discards everything.
    """

    __slots__ = ("_batch", "_check", "_done", "_finish", "delete", "put", "staged")

    def __init__(self, batch: Any, check: Callable[[StagedCommit], None],
                 finish: Callable[[StagedCommit], None]) -> None:
        self._batch = batch
        self._check = check
        self._finish = finish
        self._done = False
        self.staged: list[StagedCommit] = []
        self.put = batch.put
        self.delete = batch.delete

    def __enter__(self) -> StateWriteBatch:
        if self._done:
            raise StateError("this write batch was already written or discarded")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._done = True
        self.put = self.delete = _closed  # later use fails loudly
        if exc_type is not None:
            self._batch.clear()
            return
        for staged in self.staged:
            self._check(staged)
        self._batch.write()
        for staged in self.staged:
            self._finish(staged)


def _closed(*_args: object) -> None:
    raise StateError("this write batch was already written or discarded")
