"""`CheckShieldedTxValidity` (pallet_shield::extension): a signed `MevShield.submit_encrypted`
whose ciphertext does not parse as a shielded transaction (key hash, KEM ciphertext, nonce,
AEAD ciphertext) is refused before it reaches the pool, with
`CustomTransactionError::FailedShieldedTxParsing`; anything else passes. Whether the carrier
opens is the block author's concern: a well-formed one that does not decrypt is included and
pays."""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.runtime_common import CustomTransactionError
from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, DispatchInfo, Origin, Weight
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.primitives.shield import ParsingError, ShieldedTransaction
from pysubtensor.primitives.transaction_validity import ValidTransaction

from .pallet import pallet

__all__ = ["CHECK_SHIELDED_TX_VALIDITY_WEIGHT", "CheckShieldedTxValidity"]

#: Its `weight`: a fixed 1 µs for reading the proposer's key plus one database read.
CHECK_SHIELDED_TX_VALIDITY_WEIGHT = Weight(1_000_000, 0).saturating_add(ROCKS_DB_WEIGHT.reads(1))


class CheckShieldedTxValidity(TransactionExtension):
    identifier = "CheckShieldedTxValidity"

    def weight(self, call: Any) -> Weight:
        return CHECK_SHIELDED_TX_VALIDITY_WEIGHT

    def validate(self, origin: Origin, call: Any, info: DispatchInfo, length: int,
                 source: str) -> tuple[ValidTransaction, Any]:
        pallet_name, (call_name, args) = call
        if origin.kind == Origin.SIGNED and (pallet_name, call_name) == (pallet.name, "submit_encrypted"):
            try:
                ShieldedTransaction.parse(args["ciphertext"])
            except ParsingError:
                raise CustomTransactionError.FailedShieldedTxParsing.error() from None
        return ValidTransaction(), None
