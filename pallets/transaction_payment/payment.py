"""How fees are taken and settled (`OnChargeTransaction`): subtensor's `SubtensorTxFeeHandler`
(runtime `pallets/transaction-fee`), a `FungibleAdapter` over Balances with an alpha fallback.

- `withdraw_fee` (before dispatch): `Balances.withdraw(who, fee, Exact, Preserve, Polite)`,
  which deposits `Balances.Withdraw`. If TAO cannot pay and the call is one of the staking
  calls that may pay in alpha, the alpha handler pays; otherwise the transaction is invalid
  (`InvalidTransaction::Payment`).
- `correct_and_deposit_fee` (after dispatch): refund `withdrawn - actual fee` with
  `Balances.deposit` (deposits `Balances.Deposit`, also for a zero refund) if the payer still
  has any balance, then hand fee and tip to `TransactionFeeHandler`: deposited to the block
  author when there is one (another `Balances.Deposit`), else burned (dropped credit:
  total issuance falls).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.support.dispatch import DispatchError, DispatchInfo, PostDispatchInfo
from pysubtensor.pallets.support.tokens import Fortitude, Precision, Preservation, WithdrawConsequence
from pysubtensor.primitives.transaction_validity import InvalidTransaction, TransactionValidityError

__all__ = ["AlphaFee", "AlphaFeeHandler", "SubtensorTxFeeHandler", "TaoFee"]


class AlphaFeeHandler(Protocol):
    """What SubtensorModule provides for fees paid in alpha (`AlphaFeeHandler` and
    `SubtensorTxFeeHandler::fees_in_alpha`)."""

    def fees_in_alpha(self, who: bytes, call: Any) -> list[tuple[bytes, int]]:
        """(hotkey, netuid) pairs if `call` may pay its fee in alpha, else []."""
        ...

    def can_withdraw_in_alpha(self, who: bytes, alpha_vec: list[tuple[bytes, int]], tao_amount: int) -> bool: ...

    def withdraw_in_alpha(self, who: bytes, alpha_vec: list[tuple[bytes, int]],
                          tao_amount: int) -> tuple[int, int, int]:
        """Sell alpha for the fee: `(alpha_fee, tao_amount, netuid)`; raises
        `TransactionValidityError` on failure."""
        ...

    def fee_paid_with_alpha(self, who: bytes, netuid: int, alpha_fee: int, tao_amount: int) -> None:
        """Deposit `SubtensorModule.TransactionFeePaidWithAlpha`."""
        ...


@dataclass
class TaoFee:
    """The fee was withdrawn in TAO: the credit awaits the post-dispatch correction."""

    credit: fungible.Credit


@dataclass(frozen=True)
class AlphaFee:
    """The fee was paid in alpha (final, never refunded)."""

    alpha_fee: int
    tao_amount: int
    netuid: int


def _payment_error() -> TransactionValidityError:
    return TransactionValidityError.invalid(InvalidTransaction.PAYMENT)


@dataclass
class SubtensorTxFeeHandler:
    """`SubtensorTxFeeHandler<Balances, TransactionFeeHandler<Runtime>>`.

    `block_author`: the current block's author (`AuthorshipInfo::author`, from the Aura
    digest), or None; fees go to it, or are burned without one. `alpha`: the alpha handler
    (SubtensorModule), or None for TAO-only fees.
    """

    block_author: Callable[[], bytes | None] = lambda: None
    alpha: AlphaFeeHandler | None = None

    def _alpha_vec(self, who: bytes, call: Any) -> list[tuple[bytes, int]]:
        return self.alpha.fees_in_alpha(who, call) if self.alpha is not None else []

    def withdraw_fee(self, who: bytes, call: Any, info: DispatchInfo, fee: int, tip: int) -> TaoFee | AlphaFee | None:
        if fee == 0:
            return None
        try:
            credit = fungible.withdraw(who, fee, Precision.EXACT, Preservation.PRESERVE, Fortitude.POLITE)
        except DispatchError:
            alpha_vec = self._alpha_vec(who, call)
            if alpha_vec:
                assert self.alpha is not None
                return AlphaFee(*self.alpha.withdraw_in_alpha(who, alpha_vec, fee))
            raise _payment_error() from None
        return TaoFee(credit)

    def can_withdraw_fee(self, who: bytes, call: Any, info: DispatchInfo, fee: int, tip: int) -> None:
        if fee == 0:
            return
        if fungible.can_withdraw(who, fee)[0] == WithdrawConsequence.SUCCESS:
            return
        alpha_vec = self._alpha_vec(who, call)
        if alpha_vec and self.alpha is not None and self.alpha.can_withdraw_in_alpha(who, alpha_vec, fee):
            return
        raise _payment_error()

    def correct_and_deposit_fee(self, who: bytes, info: DispatchInfo, post_info: PostDispatchInfo,
                                corrected_fee: int, tip: int, already_withdrawn: TaoFee | AlphaFee | None) -> None:
        if already_withdrawn is None:
            return
        if isinstance(already_withdrawn, AlphaFee):
            # The author already got the fee when the alpha was sold; charges are final.
            assert self.alpha is not None
            a = already_withdrawn
            self.alpha.fee_paid_with_alpha(who, a.netuid, a.alpha_fee, a.tao_amount)
            return
        paid = already_withdrawn.credit
        refund_amount = max(paid.peek() - corrected_fee, 0)
        # Refund the payer if it still exists; otherwise nothing is refunded.
        refund = fungible.Debt(0)
        if fungible.total_balance(who) > 0:
            try:
                refund = fungible.deposit(who, refund_amount, Precision.BEST_EFFORT)
            except DispatchError:
                refund = fungible.Debt(0)
        try:
            adjusted_paid = fungible.same(paid.offset(refund), fungible.Credit)
        except ValueError:
            raise _payment_error() from None
        tip_credit, fee_credit = adjusted_paid.split(tip)
        self.on_unbalanceds(fee_credit, tip_credit)

    def on_unbalanceds(self, *credits: fungible.Credit) -> None:
        """`TransactionFeeHandler::on_unbalanceds`: the credits merged, then to the author."""
        total = fungible.Credit(0)
        for credit in credits:
            total = total.merge(credit)
        if total.peek() == 0:
            total.drop()
            return
        author = self.block_author()
        if author is None:
            total.drop()  # no author: burned
            return
        left = fungible.resolve(author, total)
        if left is not None:
            left.drop()
