"""Subtensor's `SudoTransactionExtension` (runtime/src/sudo_wrapper.rs), the Sudo pallet's
guard in the transaction pool: a Sudo call from anyone but the key is refused -> BadSigner."""

from __future__ import annotations

from pysubtensor.pallets.sudo import Key, pallet
from pysubtensor.pallets.support.dispatch import Origin
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.primitives.transaction_validity import (
    InvalidTransaction,
    TransactionValidityError,
    ValidTransaction,
)

__all__ = ["SudoTransactionExtension"]


class SudoTransactionExtension(TransactionExtension):
    """Subtensor's runtime/src/sudo_wrapper.rs: any Sudo call signed by someone other than
    the sudo key (or with no key set) is refused at validation."""

    identifier = "SudoTransactionExtension"

    def validate(self, origin, call, info, length, source):
        if origin.kind == Origin.SIGNED and call[0] == pallet.name:
            key = Key.get()
            if key is None or key != origin.account:
                raise TransactionValidityError.invalid(InvalidTransaction.BAD_SIGNER)
        return ValidTransaction(), None
