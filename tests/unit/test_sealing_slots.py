"""Interval sealing's slot schedule, as sc-consensus-slots' `Slots::next_slot`: a block per
slot; a slot that began while the previous block was being made gets its block at once,
only a slot that ended meanwhile is missed. Time is a fake clock that the worker's sleeps
and the seals advance, so the schedule is exact whatever the machine's load."""

from __future__ import annotations

import asyncio

from pysubtensor.node.config import Sealing, SealingMode
from pysubtensor.node.sealing import SealingWorker

SLOT = 250


def slots_sealed(seal_ms: int, blocks: int = 6, start: int = 4_000 * SLOT + 10) -> list[int]:
    """The slots (clock // SLOT when each seal began) of the first `blocks` blocks, each seal
    taking `seal_ms`; the worker starts `start % SLOT` ms into slot `start // SLOT`."""
    now = [start]
    slots: list[int] = []

    async def sleep(seconds: float) -> None:
        now[0] += round(seconds * 1000)
        await asyncio.sleep(0)

    async def main() -> None:
        done = asyncio.Event()

        async def seal() -> None:
            slots.append(now[0] // SLOT)
            now[0] += seal_ms
            if len(slots) == blocks:
                done.set()

        worker = SealingWorker(Sealing(SealingMode.INTERVAL, SLOT), seal, has_ready=lambda: True,
                               subscribe=lambda _callback: lambda: None, clock=lambda: now[0], sleep=sleep)
        async with worker:
            await asyncio.wait_for(done.wait(), 10)

    asyncio.run(main())
    return slots[:blocks]  # the worker may begin one more before it is stopped


def test_a_block_per_slot_from_the_next_slot():
    assert slots_sealed(100) == list(range(4_001, 4_007))


def test_a_block_that_runs_into_the_next_slot_does_not_make_it_miss_its_block():
    # 260 ms blocks in 250 ms slots: each begins 10 ms later into its slot than the one
    # before, and every slot still gets its block (the node used to sleep to the next slot's
    # start after such a block, skipping the slot already under way: a block every ~500 ms).
    assert slots_sealed(260) == list(range(4_001, 4_007))


def test_only_a_slot_that_ended_during_a_block_is_missed():
    assert slots_sealed(510) == [4_001, 4_003, 4_005, 4_007, 4_009, 4_011]

