"""Weight of the `ChargeTransactionPayment` extension: `pallet_transaction_payment::weights::
SubstrateWeight<Runtime>` over `RocksDbWeight` (polkadot-sdk
`substrate/frame/transaction-payment/src/weights.rs`, benchmarked 2024-10-02: 51.786 µs,
4 reads, 1 write, proof 3593). Subtensor's `ChargeTransactionPaymentWrapper` adds 3 reads.
"""

from __future__ import annotations

from pysubtensor.pallets.balances.weights import db
from pysubtensor.pallets.support.dispatch import Weight

__all__ = ["WEIGHTS", "TransactionPaymentWeights"]


class TransactionPaymentWeights:
    charge_transaction_payment = Weight(51_786_000, 3593).saturating_add(db(4, 1))
    #: `ChargeTransactionPaymentWrapper::weight`: the inner weight plus `reads(3)`.
    charge_transaction_payment_wrapper = charge_transaction_payment.saturating_add(db(3, 0))


WEIGHTS = TransactionPaymentWeights()
