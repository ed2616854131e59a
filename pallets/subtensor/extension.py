"""`SubtensorTransactionExtension` (pallet_subtensor::extensions::subtensor): SubtensorModule's
guards on transactions before they reach a block (coldkey swap, weights, rate limits, delegate
take, serving, EVM key association).

Built so far: its weight, and the coldkey-swap guard it runs first (`CheckColdkeySwap`): a
coldkey with a pending swap announcement may only announce again, perform the swap or dispute
it; once disputed it may do nothing until root resets it. The other pool-time checks come with
the calls they guard (the calls themselves repeat every check at dispatch, so blocks hold what
the real chain's hold). The real guard also looks through `Proxy.proxy` to the real account and
lets `MevShield.submit_encrypted` through; neither pallet is composed yet.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.runtime_common import CustomTransactionError
from pysubtensor.pallets.support.dispatch import Origin, Weight
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT
from pysubtensor.primitives.transaction_validity import ValidTransaction

from .pallet import pallet
from .swap_keys.storage import ColdkeySwapAnnouncements, ColdkeySwapDisputes

__all__ = ["CHECK_COLDKEY_SWAP_WEIGHT", "CustomTransactionError", "SubtensorTransactionExtension"]

#: The benchmark weight of `check_coldkey_swap_extension` (CheckColdkeySwap), charged for every
#: call: 17.583 µs, 4198 bytes of proof, two database reads.
CHECK_COLDKEY_SWAP_WEIGHT = Weight(17_583_000, 4198).saturating_add(ROCKS_DB_WEIGHT.reads_writes(2, 0))

#: The calls a coldkey with a pending swap announcement may still make.
_ALLOWED_DURING_SWAP = frozenset({"announce_coldkey_swap", "swap_coldkey_announced", "dispute_coldkey_swap"})


class SubtensorTransactionExtension(TransactionExtension):
    identifier = "SubtensorTransactionExtension"

    def weight(self, call: Any) -> Weight:
        return CHECK_COLDKEY_SWAP_WEIGHT

    def validate(self, origin: Origin, call: Any, info: Any, length: int, source: str) -> tuple[ValidTransaction, Any]:
        if origin.kind != Origin.SIGNED:
            return ValidTransaction(), None
        check_coldkey_swap(origin.account, call)
        return ValidTransaction(), None


def check_coldkey_swap(who: bytes, call: Any) -> None:
    """`CheckColdkeySwap::validate` for the signer `who` and the runtime call `call`."""
    if not ColdkeySwapAnnouncements.contains_key(who):
        return
    if ColdkeySwapDisputes.contains_key(who):
        raise CustomTransactionError.ColdkeySwapDisputed.error()
    pallet_name, (call_name, _args) = call
    if not (pallet_name == pallet.name and call_name in _ALLOWED_DURING_SWAP):
        raise CustomTransactionError.ColdkeySwapAnnounced.error()
