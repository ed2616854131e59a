"""`SubtensorTransactionExtension` (pallet_subtensor::extensions::subtensor): SubtensorModule's
guards on transactions before they reach a block (coldkey swap, weights, rate limits, delegate
take, serving, EVM key association).

Only its weight is charged so far: the pool-time checks come with the calls they guard (the
calls themselves repeat every check at dispatch, so blocks hold what the real chain's hold).
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import Weight
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT

__all__ = ["CHECK_COLDKEY_SWAP_WEIGHT", "SubtensorTransactionExtension"]

#: The benchmark weight of `check_coldkey_swap_extension` (CheckColdkeySwap), charged for every
#: call: 17.583 µs, 4198 bytes of proof, two database reads.
CHECK_COLDKEY_SWAP_WEIGHT = Weight(17_583_000, 4198).saturating_add(ROCKS_DB_WEIGHT.reads_writes(2, 0))


class SubtensorTransactionExtension(TransactionExtension):
    identifier = "SubtensorTransactionExtension"

    def weight(self, call: Any) -> Weight:
        return CHECK_COLDKEY_SWAP_WEIGHT
