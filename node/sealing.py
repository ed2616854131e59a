"""When blocks are made (`--sealing`), and the errors of manual sealing.

`SealingWorker` is the background task of the automatic modes, an async context manager
whose exit cancels and awaits it:

* `instant`: a block as soon as a transaction enters the ready queue (the pool's import
  listener wakes the worker; transactions that arrive while a block is being built go into
  the next one);
* `interval` (`--sealing <ms>`): a block at every multiple of the interval on the wall
  clock, empty or not;
* `manual`: no task; blocks come only from `engine_createBlock` / dev RPCs.

The errors are sc-consensus-manual-seal's (`error.rs`): each carries the JSON-RPC code and
message a Substrate node answers `engine_createBlock` / `engine_finalizeBlock` with, and
`to_rpc()` gives the error object (as node.txpool's `PoolError`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from pysubtensor.node.config import Sealing, SealingMode
from pysubtensor.node.log import short_hash

__all__ = [
    "BlockImportFailed",
    "BlockNotFound",
    "ConsensusError",
    "EmptyTransactionPool",
    "FinalizationError",
    "InherentsError",
    "SealError",
    "SealingWorker",
]

log = logging.getLogger("pysubtensor")


class SealError(Exception):
    """A refused `engine_createBlock` / `engine_finalizeBlock` (and dev block requests)."""

    code = 20_000  # UNKNOWN_ERROR

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def to_rpc(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class BlockImportFailed(SealError):
    code = 11_000

    def __init__(self, detail: str) -> None:
        super().__init__(f"Block import failed: {detail}")


class EmptyTransactionPool(SealError):
    """`create_empty` is false and no transaction is ready."""

    code = 12_000

    def __init__(self) -> None:
        super().__init__("Transaction pool is empty, set create_empty to true, if you want to create empty blocks")


class BlockNotFound(SealError):
    """The `parent_hash` of a manual block is not in the chain."""

    code = 13_000

    def __init__(self, parent_hash: bytes) -> None:
        # Manual seal formats the hash with `Display`: the short `0xabcd…1234`.
        super().__init__(f"Supplied parent_hash: {short_hash(parent_hash)} doesn't exist in chain")


class ConsensusError(SealError):
    code = 14_000

    def __init__(self, detail: str) -> None:
        super().__init__(f"Consensus Error: {detail}")


class InherentsError(SealError):
    code = 15_000

    def __init__(self, detail: str) -> None:
        super().__init__(f"Inherents Error: {detail}")


class FinalizationError(SealError):
    """`engine_finalizeBlock` of an unknown block or one off the finalized chain."""

    code = 16_000

    def __init__(self, detail: str) -> None:
        super().__init__(f"Finalization Error: {detail}")


Seal = Callable[[], Awaitable[object]]


class SealingWorker:
    """The background task of `instant` and interval sealing (nothing for `manual`).

    `seal()` makes one block (the node takes its author lock); `has_ready()` says whether
    the pool has a ready transaction; `subscribe(callback)` registers the pool's import
    listener and returns its remover; `clock()` is the wall clock in ms; `sleep(seconds)`
    waits (asyncio's, or a test's).
    """

    def __init__(self, sealing: Sealing, seal: Seal, *, has_ready: Callable[[], bool],
                 subscribe: Callable[[Callable[[bytes], None]], Callable[[], None]],
                 clock: Callable[[], int], sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.sealing = sealing
        self._seal = seal
        self._has_ready = has_ready
        self._subscribe = subscribe
        self._clock = clock
        self._sleep = sleep
        self._task: asyncio.Task[None] | None = None
        self._wakeup = asyncio.Event()
        self._unsubscribe: Callable[[], None] | None = None

    async def __aenter__(self) -> SealingWorker:
        mode = self.sealing.mode
        if mode is SealingMode.INSTANT:
            self._unsubscribe = self._subscribe(lambda _tx_hash: self._wakeup.set())
            if self._has_ready():
                self._wakeup.set()
            self._task = asyncio.create_task(self._instant(), name="instant-seal")
        elif mode is SealingMode.INTERVAL:
            assert self.sealing.interval_ms is not None
            self._task = asyncio.create_task(self._interval(self.sealing.interval_ms), name="interval-seal")
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _seal_logged(self) -> None:
        try:
            await self._seal()
        except asyncio.CancelledError:
            raise
        except Exception as e:
            log.error("💔 Block production failed: %s", e, exc_info=log.isEnabledFor(logging.DEBUG))
            await asyncio.sleep(0.5)  # do not spin on a persistent failure

    async def _instant(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._has_ready():
                await self._seal_logged()
                await asyncio.sleep(0)  # let RPC reads and submissions in between blocks

    async def _interval(self, interval_ms: int) -> None:
        # A block per slot, as sc-consensus-slots' `Slots::next_slot`: a slot that began
        # while the previous block was still being made gets its block at once (with what is
        # left of the slot), not skipped; only a slot that ended meanwhile is missed.
        last = self._clock() // interval_ms  # the first block is for the next slot
        while True:
            now = self._clock()
            if now // interval_ms <= last:
                await self._sleep((interval_ms - now % interval_ms) / 1000)
                continue
            last = now // interval_ms
            await self._seal_logged()
            await self._sleep(0)  # let RPC requests and submissions in between blocks
