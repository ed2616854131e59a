"""`pallet_preimage::weights::SubstrateWeight<Runtime>` (polkadot-sdk
substrate/frame/preimage/src/weights.rs), with the runtime's RocksDb weights."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT as DB
from pysubtensor.pallets.support.dispatch import Weight


def note_preimage(s: int) -> Weight:
    return Weight(129_485_531 + 2_133 * s, 6012).saturating_add(DB.reads_writes(5, 3))


def unnote_preimage() -> Weight:
    return Weight(57_648_000, 3802).saturating_add(DB.reads_writes(3, 3))


def request_preimage() -> Weight:
    return Weight(25_485_000, 3556).saturating_add(DB.reads_writes(2, 1))


def unrequest_preimage() -> Weight:
    return Weight(25_369_000, 3556).saturating_add(DB.reads_writes(2, 2))


def ensure_updated(n: int) -> Weight:
    return (Weight(61_821_000 + 58_427_064 * n, 6012 + 2812 * n)
            .saturating_add(DB.reads(2)).saturating_add(DB.reads_writes(3 * n, 4 * n)))
