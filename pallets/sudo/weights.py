"""Weights of `pallet_sudo`: `SubstrateWeight` from polkadot-sdk's
substrate/frame/sudo/src/weights.rs (the 2025-02 benchmark run), with the runtime's
`DbWeight = RocksDbWeight`. Every call reads `Sudo::Key`; set_key and remove_key write it.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = ["remove_key", "set_key", "sudo", "sudo_as"]


def set_key() -> Weight:
    return Weight(7_237_000, 1517).saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))


def sudo() -> Weight:
    return Weight(7_939_000, 1517).saturating_add(ROCKS_DB_WEIGHT.reads(1))


def sudo_as() -> Weight:
    return Weight(7_870_000, 1517).saturating_add(ROCKS_DB_WEIGHT.reads(1))


def remove_key() -> Weight:
    return Weight(6_417_000, 1517).saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))
