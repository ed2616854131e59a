"""`ChargeTransactionPayment`, the transaction extension that makes signed transactions pay
(its explicit part is the `Compact<u64>` tip).

The executive drives it in Substrate's order:

    valid, val = ext.validate(origin, call, info, length)     # pool and block: can it pay?
    pre = ext.prepare(val, origin, call, info, length)        # withdraw the estimated fee
    ... dispatch ...
    refund = ChargeTransactionPayment.post_dispatch_details(pre, info, post_info, length)

`prepare` deposits `Balances.Withdraw`; `post_dispatch_details` refunds by the actual weight
(`Balances.Deposit`) and deposits `TransactionPayment.TransactionFeePaid`. Subtensor wraps
this extension (`ChargeTransactionPaymentWrapper`, below; the metadata keeps the inner
identifier) to let proxies' real accounts pay and to fix the priority per class: 1 (Normal,
Mandatory) or 10_000_000_000 (Operational).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pysubtensor.pallets.support.dispatch import DispatchClass, DispatchInfo, Origin, PostDispatchInfo, Weight
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.pallets.transaction_payment import Event, pallet
from pysubtensor.pallets.transaction_payment.fees import compute_actual_fee, compute_fee, get_priority
from pysubtensor.pallets.transaction_payment.weights import WEIGHTS
from pysubtensor.primitives.transaction_validity import ValidTransaction

__all__ = [
    "NORMAL_DISPATCH_BASE_PRIORITY",
    "OPERATIONAL_DISPATCH_PRIORITY",
    "Charge",
    "ChargeTransactionPayment",
    "ChargeTransactionPaymentWrapper",
    "NoCharge",
    "PreCharge",
    "PreNoCharge",
]

#: subtensor's `NORMAL_DISPATCH_BASE_PRIORITY` and `OPERATIONAL_DISPATCH_PRIORITY`.
NORMAL_DISPATCH_BASE_PRIORITY = 1
OPERATIONAL_DISPATCH_PRIORITY = 10_000_000_000


@dataclass(frozen=True)
class Charge:
    """`Val::Charge`: who pays, the tip and the fee computed at validation."""

    tip: int
    who: bytes
    fee: int


@dataclass(frozen=True)
class NoCharge:
    """`Val::NoCharge`: not a signed origin; nothing is charged."""


@dataclass
class PreCharge:
    """`Pre::Charge`: what was withdrawn, awaiting the post-dispatch correction."""

    tip: int
    who: bytes
    liquidity_info: Any


@dataclass(frozen=True)
class PreNoCharge:
    """`Pre::NoCharge`: the extension's weight is refunded."""

    refund: Weight


@dataclass(frozen=True)
class ChargeTransactionPayment:
    """`pallet_transaction_payment::ChargeTransactionPayment<T>(#[codec(compact)] tip)`."""

    tip: int = 0

    IDENTIFIER = "ChargeTransactionPayment"

    def weight(self, call: Any = None) -> Weight:
        return WEIGHTS.charge_transaction_payment

    def can_withdraw_fee(self, who: bytes, call: Any, info: DispatchInfo, length: int) -> int:
        fee = compute_fee(length, info, self.tip)
        pallet.config.on_charge_transaction.can_withdraw_fee(who, call, info, fee, self.tip)
        return fee

    def validate(self, origin: Origin, call: Any, info: DispatchInfo, length: int) -> tuple[ValidTransaction, Any]:
        """Check the payer can afford the fee (`InvalidTransaction::Payment` if not) and give
        the transaction its priority."""
        if origin.kind != Origin.SIGNED or origin.account is None:
            return ValidTransaction(), NoCharge()
        who = origin.account
        final_fee = self.can_withdraw_fee(who, call, info, length)
        priority = get_priority(info, length, self.tip, final_fee)
        return ValidTransaction(priority=priority), Charge(self.tip, who, final_fee)

    def prepare(self, val: Any, origin: Origin, call: Any, info: DispatchInfo, length: int) -> Any:
        """Withdraw the fee computed at validation."""
        if isinstance(val, NoCharge):
            return PreNoCharge(self.weight(call))
        liquidity_info = pallet.config.on_charge_transaction.withdraw_fee(val.who, call, info, val.fee, val.tip)
        return PreCharge(val.tip, val.who, liquidity_info)

    @staticmethod
    def post_dispatch_details(pre: Any, info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                              result: Any = None) -> Weight:
        """Settle the fee by the weight actually used; returns the weight to refund."""
        if isinstance(pre, PreNoCharge):
            return pre.refund
        actual_fee = compute_actual_fee(length, info, post_info, pre.tip)
        pallet.config.on_charge_transaction.correct_and_deposit_fee(pre.who, info, post_info, actual_fee, pre.tip,
                                                        pre.liquidity_info)
        pallet.deposit_event(Event.TransactionFeePaid(pre.who, actual_fee, pre.tip))
        return Weight(0, 0)


_NO_TIP = ChargeTransactionPayment(0)


@dataclass(frozen=True)
class ChargeTransactionPaymentWrapper(TransactionExtension):
    """Subtensor's wrapper (runtime/src/transaction_payment_wrapper.rs): the inner extension
    charges; the priority is replaced by a constant per dispatch class. The wrapper also lets
    a proxied account pay (`RealPaysFee`); without the Proxy pallet the signer always pays."""

    tip: int
    identifier = "ChargeTransactionPayment"

    @property
    def inner(self) -> ChargeTransactionPayment:
        # Almost every transaction tips nothing: one inner extension serves them all.
        return _NO_TIP if self.tip == 0 and self.tip.__class__ is int else ChargeTransactionPayment(self.tip)

    def weight(self, call: Any) -> Weight:
        return WEIGHTS.charge_transaction_payment_wrapper

    def validate(self, origin, call, info, length, source):
        priority = (OPERATIONAL_DISPATCH_PRIORITY if info.dispatch_class == DispatchClass.OPERATIONAL
                    else NORMAL_DISPATCH_BASE_PRIORITY)
        # The inner `validate` with its priority replaced: the inner priority (arithmetic
        # on the fee and limits, which cannot fail) is not computed.
        if origin.kind != Origin.SIGNED or origin.account is None:
            return ValidTransaction(priority=priority), NoCharge()
        inner = self.inner
        fee = inner.can_withdraw_fee(origin.account, call, info, length)
        return ValidTransaction(priority=priority), Charge(inner.tip, origin.account, fee)

    def prepare(self, val, origin, call, info, length):
        return self.inner.prepare(val, origin, call, info, length)

    def post_dispatch_details(self, pre, info, post_info, length, result):
        return ChargeTransactionPayment.post_dispatch_details(pre, info, post_info, length, result)
