"""Token vocabulary of frame-support (`frame_support::traits::tokens`): how far a balance may be
reduced, whether limits are respected, and what a deposit or a withdrawal would do.

The fungible functions of `pallets.balances.fungible` take these as arguments and return
these consequences, so pallets that move balances read like their Rust originals:
`fungible.transfer(a, b, amount, Preservation.PRESERVE)`.
"""

from __future__ import annotations

from typing import Protocol

from pysubtensor.pallets.support.dispatch import DispatchError

__all__ = [
    "DepositConsequence",
    "ExistenceRequirement",
    "Fortitude",
    "Precision",
    "Preservation",
    "Provenance",
    "ReservableCurrency",
    "WithdrawConsequence",
    "WithdrawReasons",
]


class Preservation:
    """May the account be reaped (`Expendable`), must it keep the provider reference it has
    (`Protect`), or must it keep at least the existential deposit (`Preserve`)?"""

    EXPENDABLE = "Expendable"
    PROTECT = "Protect"
    PRESERVE = "Preserve"


class Fortitude:
    """`Polite` respects freezes and locks; `Force` ignores them."""

    POLITE = "Polite"
    FORCE = "Force"


class Precision:
    """`Exact` fails unless the whole amount is possible; `BestEffort` does what it can."""

    EXACT = "Exact"
    BEST_EFFORT = "BestEffort"


class Provenance:
    """Is a deposit newly minted or already in the system?"""

    MINTED = "Minted"
    EXTANT = "Extant"


class ExistenceRequirement:
    """The legacy `Currency` flavour of `Preservation`."""

    KEEP_ALIVE = "KeepAlive"
    ALLOW_DEATH = "AllowDeath"


class WithdrawReasons:
    """Bit flags of `frame_support::traits::WithdrawReasons` (ignored by Balances' logic, kept
    for the lock `Reasons` they map to)."""

    TRANSACTION_PAYMENT = 0b00000001
    TRANSFER = 0b00000010
    RESERVE = 0b00000100
    FEE = 0b00001000
    TIP = 0b00010000
    ALL = 0b00011111

    @staticmethod
    def to_lock_reasons(reasons: int) -> str:
        """`Reasons::from(WithdrawReasons)`: `Fee` if only fee-like, `Misc` if no fee, else `All`."""
        if reasons == WithdrawReasons.TRANSACTION_PAYMENT:
            return "Fee"
        if reasons & WithdrawReasons.TRANSACTION_PAYMENT:
            return "All"
        return "Misc"


class DepositConsequence:
    """The outcome `can_deposit` foresees; `into_result` gives the error a deposit would raise."""

    BELOW_MINIMUM = "BelowMinimum"
    CANNOT_CREATE = "CannotCreate"
    UNKNOWN_ASSET = "UnknownAsset"
    OVERFLOW = "Overflow"
    SUCCESS = "Success"
    BLOCKED = "Blocked"

    @staticmethod
    def into_result(consequence: str) -> None:
        if consequence == DepositConsequence.SUCCESS:
            return
        if consequence == DepositConsequence.OVERFLOW:
            raise DispatchError.arithmetic("Overflow")
        raise DispatchError.token(consequence)


class WithdrawConsequence:
    """The outcome `can_withdraw` foresees, as `(kind, amount)`: `amount` is what would be
    reaped as dust for `ReducedToZero`, else 0."""

    BALANCE_LOW = "BalanceLow"
    WOULD_DIE = "WouldDie"
    UNKNOWN_ASSET = "UnknownAsset"
    UNDERFLOW = "Underflow"
    OVERFLOW = "Overflow"
    FROZEN = "Frozen"
    REDUCED_TO_ZERO = "ReducedToZero"
    SUCCESS = "Success"

    @staticmethod
    def into_result(consequence: tuple[str, int], keep_nonzero: bool) -> int:
        """The dust amount on success; the error the withdrawal would fail with otherwise."""
        kind, amount = consequence
        if kind == WithdrawConsequence.SUCCESS:
            return 0
        if kind == WithdrawConsequence.REDUCED_TO_ZERO:
            if keep_nonzero:
                raise DispatchError.token("NotExpendable")
            return amount
        if kind == WithdrawConsequence.BALANCE_LOW:
            raise DispatchError.token("FundsUnavailable")
        if kind == WithdrawConsequence.WOULD_DIE:
            raise DispatchError.token("OnlyProvider")
        if kind == WithdrawConsequence.UNKNOWN_ASSET:
            raise DispatchError.token("UnknownAsset")
        if kind == WithdrawConsequence.FROZEN:
            raise DispatchError.token("Frozen")
        raise DispatchError.arithmetic(kind)


class ReservableCurrency(Protocol):
    """`tokens::currency::ReservableCurrency` as pallets holding deposits use it (Proxy,
    Multisig); the runtime binds Balances' `currency` module."""

    def reserve(self, who: bytes, value: int) -> None:
        """Move `value` from free to reserved, or fail (InsufficientBalance, …)."""
        ...

    def unreserve(self, who: bytes, value: int) -> int:
        """Move up to `value` back to free; the part that was not reserved."""
        ...
