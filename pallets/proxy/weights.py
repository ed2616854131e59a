"""Weights of `pallet_subtensor_proxy`: `SubstrateWeight` from subtensor's
pallets/proxy/src/weights.rs at spec 381, with the runtime's `DbWeight = RocksDbWeight`.
`a` is the number of pending announcements, `p` the number of proxies.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight

__all__ = ["add_proxy", "announce", "create_pure", "kill_pure", "poke_deposit", "proxy", "proxy_announced",
           "reject_announcement", "remove_announcement", "remove_proxies", "remove_proxy"]

_DB = ROCKS_DB_WEIGHT


def proxy(p: int) -> Weight:
    return Weight(25_084_085 + 33_574 * p, 4706).saturating_add(_DB.reads(3))


def proxy_announced(a: int, p: int) -> Weight:
    return Weight(48_686_812 + 171_107 * a + 34_523 * p, 5698).saturating_add(_DB.reads_writes(5, 2))


def remove_announcement(a: int, p: int) -> Weight:
    return Weight(30_320_504 + 158_572 * a + 8_433 * p, 5698).saturating_add(_DB.reads_writes(2, 2))


def reject_announcement(a: int, p: int) -> Weight:
    return Weight(29_754_384 + 176_827 * a + 9_607 * p, 5698).saturating_add(_DB.reads_writes(2, 2))


def announce(a: int, p: int) -> Weight:
    return Weight(38_080_636 + 157_335 * a + 28_872 * p, 5698).saturating_add(_DB.reads_writes(3, 2))


def add_proxy(p: int) -> Weight:
    return Weight(28_296_216 + 50_271 * p, 4706).saturating_add(_DB.reads_writes(1, 1))


def remove_proxy(p: int) -> Weight:
    return Weight(28_379_566 + 45_784 * p, 4706).saturating_add(_DB.reads_writes(1, 1))


def remove_proxies(p: int) -> Weight:
    return Weight(25_821_878 + 33_972 * p, 4706).saturating_add(_DB.reads_writes(1, 1))


def create_pure(p: int) -> Weight:
    return Weight(29_662_728 + 29_928 * p, 4706).saturating_add(_DB.reads_writes(1, 1))


def kill_pure(p: int) -> Weight:
    return Weight(26_780_627 + 33_085 * p, 4706).saturating_add(_DB.reads_writes(1, 1))


def poke_deposit() -> Weight:
    return Weight(47_972_000, 5698).saturating_add(_DB.reads_writes(3, 3))
