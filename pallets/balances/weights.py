"""Weights of Balances' calls: `pallet_balances::weights::SubstrateWeight<Runtime>`, which the
subtensor runtime uses, over `RocksDbWeight` (its `frame_system::Config::DbWeight`).

Numbers from polkadot-sdk `substrate/frame/balances/src/weights.rs` (benchmarked 2024-05-06,
the file shipped unchanged from stable2409 through stable2506, which subtensor's pinned
polkadot-sdk fork follows), plus `frame_support::weights::constants::RocksDbWeight`
(read 25 µs, write 100 µs). Each entry is `base + reads * READ + writes * WRITE`.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import Weight

__all__ = ["DB_READ", "DB_WRITE", "WEIGHTS", "BalancesWeights", "db"]

_U64_MAX = (1 << 64) - 1

#: `RocksDbWeight`: ref-time of one storage read / write (picoseconds).
DB_READ = 25_000_000
DB_WRITE = 100_000_000


def db(reads: int, writes: int) -> Weight:
    """`DbWeight::get().reads_writes(reads, writes)` (saturating)."""
    return Weight(min(reads * DB_READ + writes * DB_WRITE, _U64_MAX), 0)


def _w(ref_time: int, proof_size: int, reads: int = 0, writes: int = 0) -> Weight:
    return Weight(ref_time, proof_size).saturating_add(db(reads, writes))


class BalancesWeights:
    """`WeightInfo` for `pallet_balances`, one method per benchmark."""

    transfer_allow_death = _w(48_363_000, 3593, 1, 1)
    transfer_keep_alive = _w(38_159_000, 3593, 1, 1)
    force_set_balance_creating = _w(14_687_000, 3593, 1, 1)
    force_set_balance_killing = _w(19_929_000, 3593, 1, 1)
    force_transfer = _w(49_944_000, 6196, 2, 2)
    transfer_all = _w(47_385_000, 3593, 1, 1)
    force_unreserve = _w(17_233_000, 3593, 1, 1)
    force_adjust_total_issuance = _w(6_594_000, 0)
    burn_allow_death = _w(30_968_000, 0)
    burn_keep_alive = _w(20_711_000, 0)

    @staticmethod
    def upgrade_accounts(u: int) -> Weight:
        """16.588 µs + u * (13.973659 µs + 1 read + 1 write), proof 990 + u * 2603."""
        per = Weight(min(13_973_659 * u, _U64_MAX), 0)
        return (Weight(16_588_000, 990).saturating_add(per).saturating_add(db(u, u))
                .saturating_add(Weight(0, min(2603 * u, _U64_MAX))))


WEIGHTS = BalancesWeights()
