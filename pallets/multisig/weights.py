"""Weights of `pallet_multisig`: `SubstrateWeight` from polkadot-sdk's
substrate/frame/multisig/src/weights.rs as benchmarked on 2025-02-25 (the generation that
added `poke_deposit`, which spec 381 has), with the runtime's `DbWeight = RocksDbWeight`.
`s` is the number of other signatories, `z` the length of the encoded call.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = ["approve_as_multi_approve", "approve_as_multi_create", "as_multi_approve", "as_multi_complete",
           "as_multi_create", "as_multi_threshold_1", "cancel_as_multi", "poke_deposit"]

_DB = ROCKS_DB_WEIGHT


def as_multi_threshold_1(z: int) -> Weight:
    return Weight(20_470_382 + 397 * z, 3997).saturating_add(_DB.reads(2))


def as_multi_create(s: int, z: int) -> Weight:
    return Weight(29_976_762 + 144_320 * s + 1_819 * z, 6811).saturating_add(_DB.reads_writes(1, 1))


def as_multi_approve(s: int, z: int) -> Weight:
    return Weight(14_821_348 + 127_874 * s + 1_968 * z, 6811).saturating_add(_DB.reads_writes(1, 1))


def as_multi_complete(s: int, z: int) -> Weight:
    return Weight(34_745_418 + 193_313 * s + 2_057 * z, 6811).saturating_add(_DB.reads_writes(4, 2))


def approve_as_multi_create(s: int) -> Weight:
    return Weight(27_463_275 + 139_226 * s, 6811).saturating_add(_DB.reads_writes(1, 1))


def approve_as_multi_approve(s: int) -> Weight:
    return Weight(14_074_258 + 126_544 * s, 6811).saturating_add(_DB.reads_writes(1, 1))


def cancel_as_multi(s: int) -> Weight:
    return Weight(28_623_566 + 135_351 * s, 6811).saturating_add(_DB.reads_writes(1, 1))


def poke_deposit(s: int) -> Weight:
    return Weight(27_349_525 + 121_813 * s, 6811).saturating_add(_DB.reads_writes(1, 1))
