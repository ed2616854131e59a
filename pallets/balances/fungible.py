"""The `fungible` traits of Balances (`impl_fungible.rs` plus frame-support's default methods):
what subtensor's pallets use to move TAO.

    fungible.transfer(a, b, amount, Preservation.PRESERVE)
    credit = fungible.withdraw(who, fee, Precision.EXACT, Preservation.PRESERVE, Fortitude.POLITE)
    fungible.reducible_balance(who, Preservation.EXPENDABLE, Fortitude.POLITE)

Errors are raised as `DispatchError`s: `Token(FundsUnavailable)`, `Token(NotExpendable)`,
`Token(BelowMinimum)`, `Arithmetic(Overflow)`, … as the Rust traits return them.

Imbalances (`Credit`, `Debt`) are explicit here: Rust settles an unused imbalance when it is
dropped; in Python the holder calls `drop()` (or hands it on with `resolve`, `settle`,
`offset`), which changes total issuance exactly as the Rust drop handlers do.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.balances import account
from pysubtensor.pallets.balances.pallet import (
    Constants,
    Error,
    Event,
    Freezes,
    InactiveIssuance,
    TotalIssuance,
    pallet,
)
from pysubtensor.pallets.balances.types import AccountData, IdAmount
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.pallets.support.tokens import (
    DepositConsequence,
    Fortitude,
    Precision,
    Preservation,
    Provenance,
    WithdrawConsequence,
)

__all__ = [
    "Credit",
    "Debt",
    "active_issuance",
    "balance",
    "balance_frozen",
    "burn_from",
    "can_deposit",
    "can_freeze",
    "can_withdraw",
    "deactivate",
    "decrease_balance",
    "deposit",
    "extend_freeze",
    "handle_dust",
    "increase_balance",
    "issue",
    "minimum_balance",
    "mint_into",
    "pair",
    "reactivate",
    "reducible_balance",
    "reducible_total_balance_on_hold",
    "rescind",
    "resolve",
    "restore",
    "set_balance",
    "set_freeze",
    "set_total_issuance",
    "settle",
    "shelve",
    "thaw",
    "total_balance",
    "total_balance_on_hold",
    "total_issuance",
    "transfer",
    "withdraw",
    "write_balance",
]

U64_MAX = (1 << 64) - 1




def _event(event: Any) -> None:
    pallet.deposit_event(event)


# ---------------------------------------------------------------------------
# Imbalances


class _Imbalance:
    """An amount created or destroyed without the opposite accounting yet (frame-support's
    `fungible::Imbalance`). Use it up with `drop()`, `offset()`, `split()`/`merge()`."""

    __slots__ = ("_amount",)

    def __init__(self, amount: int = 0) -> None:
        self._amount = amount

    def peek(self) -> int:
        return self._amount

    def _take(self) -> int:
        amount, self._amount = self._amount, 0
        return amount

    def split(self, amount: int) -> tuple[Any, Any]:
        first = min(self._amount, amount)
        total = self._take()
        return type(self)(first), type(self)(total - first)

    def merge(self, other: Any) -> Any:
        if type(other) is not type(self):
            raise TypeError("merge needs an imbalance of the same kind")
        return type(self)(min(self._take() + other._take(), U64_MAX))

    def offset(self, other: Any) -> Any:
        """Cancel against the opposite imbalance: the remainder (of either kind), or None."""
        if type(other) is type(self) or not isinstance(other, _Imbalance):
            raise TypeError("offset needs the opposite imbalance")
        a, b = self._take(), other._take()
        if a > b:
            return type(self)(a - b)
        if b > a:
            return type(other)(b - a)
        return None

    def drop(self) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._amount})"


class Credit(_Imbalance):
    """Funds taken out of accounts (or issued) and not yet placed: dropping it lowers total
    issuance (`DecreaseIssuance`)."""

    __slots__ = ()

    def drop(self) -> None:
        amount = self._take()
        if amount:
            set_total_issuance(max(total_issuance() - amount, 0))


class Debt(_Imbalance):
    """Funds placed into accounts (or rescinded) and not yet taken from anywhere: dropping it
    raises total issuance (`IncreaseIssuance`)."""

    __slots__ = ()

    def drop(self) -> None:
        amount = self._take()
        if amount:
            set_total_issuance(min(total_issuance() + amount, U64_MAX))


def same(left: _Imbalance | None, kind: type) -> Any:
    """`SameOrOther::same`: the remainder of an offset if it is of `kind` (zero if nothing
    remains); raise if the opposite kind remains."""
    if left is None:
        return kind(0)
    if not isinstance(left, kind):
        raise ValueError(f"offset left a {type(left).__name__}, expected {kind.__name__}")
    return left


# ---------------------------------------------------------------------------
# Inspect


def total_issuance() -> int:
    return TotalIssuance.get()


def active_issuance() -> int:
    return max(TotalIssuance.get() - InactiveIssuance.get(), 0)


def minimum_balance() -> int:
    return Constants.ExistentialDeposit


def total_balance(who: bytes) -> int:
    return account.info(who).data.total()


def balance(who: bytes) -> int:
    return account.info(who).data.free


def reducible_balance(who: bytes, preservation: str, force: str) -> int:
    """What `who` can send or have taken: free minus what freezes (beyond the reserve) and,
    when the account must or would need to survive, the existential deposit hold back."""
    return _reducible(account.info(who), preservation, force)


def _can_dec_provider(info: Any) -> bool:
    """`frame_system::can_dec_provider` on an account already read."""
    return info.consumers == 0 or info.providers > 1


def _reducible(info: Any, preservation: str, force: str) -> int:
    """`reducible_balance` on an account already read (its data and reference counts)."""
    a = info.data
    untouchable = 0
    if force == Fortitude.POLITE:
        # Frozen applies to the total: anything on hold is discounted from the freeze.
        untouchable = max(a.frozen - a.reserved, 0)
    if (preservation == Preservation.PRESERVE
            or (preservation == Preservation.PROTECT and a.free != 0 and info.providers == 1)
            or (preservation == Preservation.EXPENDABLE and a.free != 0 and not _can_dec_provider(info))):
        untouchable = max(untouchable, minimum_balance())
    return max(a.free - untouchable, 0)


def can_deposit(who: bytes, amount: int, provenance: str) -> str:
    if amount == 0:
        return DepositConsequence.SUCCESS
    if provenance == Provenance.MINTED and total_issuance() + amount > U64_MAX:
        return DepositConsequence.OVERFLOW
    a = account.info(who).data
    new_free = a.free + amount
    if new_free > U64_MAX:
        return DepositConsequence.OVERFLOW
    if new_free < minimum_balance():
        return DepositConsequence.BELOW_MINIMUM
    if a.reserved + new_free > U64_MAX:
        return DepositConsequence.OVERFLOW
    return DepositConsequence.SUCCESS


def can_withdraw(who: bytes, amount: int) -> tuple[str, int]:
    """`(consequence, dust)` of taking `amount` from `who`'s free balance."""
    if amount == 0:
        return (WithdrawConsequence.SUCCESS, 0)
    if total_issuance() < amount:
        return (WithdrawConsequence.UNDERFLOW, 0)
    info = account.info(who)
    a = info.data
    if a.free < amount:
        return (WithdrawConsequence.BALANCE_LOW, 0)
    new_free = a.free - amount
    if amount > _reducible(info, Preservation.EXPENDABLE, Fortitude.POLITE):
        return (WithdrawConsequence.FROZEN, 0)
    # The account loses its provider ref when it drops below ED: only if it can.
    if new_free < minimum_balance():
        if not _can_dec_provider(info):
            return (WithdrawConsequence.WOULD_DIE, 0)
        success = (WithdrawConsequence.REDUCED_TO_ZERO, new_free)
    else:
        success = (WithdrawConsequence.SUCCESS, 0)
    if min(new_free + a.reserved, U64_MAX) < a.frozen:
        return (WithdrawConsequence.FROZEN, 0)
    return success


# ---------------------------------------------------------------------------
# Unbalanced (raw balance changes; callers keep issuance right)


def handle_dust(amount: int) -> None:
    """`DustRemoval = ()`: the dust credit is dropped, so issuance falls by it."""
    Credit(amount).drop()


def write_balance(who: bytes, amount: int) -> int | None:
    """Set `who`'s free balance; returns the dust if the account was reaped."""
    return _write_balance(who, amount, account.info(who))


def _write_balance(who: bytes, amount: int, info: Any) -> int | None:
    """`write_balance` on `who`'s account as just read (`account.info`, nothing written
    since): the same reads, made once."""
    if account.sets_free_directly(info, amount):
        # The common case (a balance that stays at or above ED, nothing reserved or frozen):
        # the store `mutate_account` would make (tests compare the two). The check below
        # cannot fail then: nothing is frozen, so at most ED is untouchable, and `amount`
        # leaves at least ED.
        account.set_free(who, amount, info)
        return None
    max_reduction = _reducible(info, Preservation.EXPENDABLE, Fortitude.FORCE)

    def apply(a: AccountData) -> None:
        if max(a.free - amount, 0) > max_reduction:
            raise Error.InsufficientBalance()
        a.free = amount

    _, dust = account.mutate_account(who, apply, read=info)
    return dust


def set_total_issuance(amount: int) -> None:
    TotalIssuance.put(amount)


def deactivate(amount: int) -> None:
    InactiveIssuance.put(min(InactiveIssuance.get() + amount, U64_MAX, TotalIssuance.get()))


def reactivate(amount: int) -> None:
    InactiveIssuance.put(max(InactiveIssuance.get() - amount, 0))


def decrease_balance(who: bytes, amount: int, precision: str, preservation: str, force: str) -> int:
    """Take up to `amount` (exactly `amount` for `Exact`) from `who`'s free balance; returns
    the amount taken (a reaped account's dust is dropped on top, lowering issuance)."""
    info = account.info(who)
    old = info.data.free
    free = _reducible(info, preservation, force)
    if precision == Precision.BEST_EFFORT:
        amount = min(amount, free)
    elif free < amount:
        raise DispatchError.token("FundsUnavailable")
    if old < amount:
        raise DispatchError.token("FundsUnavailable")
    new = old - amount
    dust = _write_balance(who, new, info)
    if dust is not None:
        handle_dust(dust)
    return old - new


def increase_balance(who: bytes, amount: int, precision: str) -> int:
    """Add `amount` to `who`'s free balance (creating the account); returns what was added."""
    info = account.info(who)
    old = info.data.free
    if precision == Precision.BEST_EFFORT:
        new = min(old + amount, U64_MAX)
    else:
        new = old + amount
        if new > U64_MAX:
            raise DispatchError.arithmetic("Overflow")
    if new < minimum_balance():
        # From zero to below the minimum: stays at zero.
        if precision == Precision.BEST_EFFORT:
            return 0
        raise DispatchError.token("BelowMinimum")
    if new == old:
        return 0
    dust = _write_balance(who, new, info)
    if dust is not None:
        handle_dust(dust)
    return new - old


# ---------------------------------------------------------------------------
# Mutate


def mint_into(who: bytes, amount: int) -> int:
    """Create `amount` in `who`'s account (deposits `Minted`)."""
    if total_issuance() + amount > U64_MAX:
        raise DispatchError.arithmetic("Overflow")
    actual = increase_balance(who, amount, Precision.EXACT)
    set_total_issuance(min(total_issuance() + actual, U64_MAX))
    _event(Event.Minted(who, amount))
    return actual


def burn_from(who: bytes, amount: int, preservation: str, precision: str, force: str) -> int:
    """Destroy up to `amount` of `who`'s free balance (deposits `Burned`)."""
    actual = min(reducible_balance(who, preservation, force), amount)
    if actual != amount and precision != Precision.BEST_EFFORT:
        raise DispatchError.token("FundsUnavailable")
    if total_issuance() < actual:
        raise DispatchError.arithmetic("Overflow")
    actual = decrease_balance(who, actual, Precision.BEST_EFFORT, preservation, force)
    set_total_issuance(max(total_issuance() - actual, 0))
    _event(Event.Burned(who, actual))
    return actual


def shelve(who: bytes, amount: int) -> int:
    actual = min(reducible_balance(who, Preservation.EXPENDABLE, Fortitude.POLITE), amount)
    if actual != amount:
        raise DispatchError.token("FundsUnavailable")
    if total_issuance() < actual:
        raise DispatchError.arithmetic("Overflow")
    actual = decrease_balance(who, actual, Precision.BEST_EFFORT, Preservation.EXPENDABLE, Fortitude.POLITE)
    set_total_issuance(max(total_issuance() - actual, 0))
    _event(Event.Suspended(who, actual))
    return actual


def restore(who: bytes, amount: int) -> int:
    if total_issuance() + amount > U64_MAX:
        raise DispatchError.arithmetic("Overflow")
    actual = increase_balance(who, amount, Precision.EXACT)
    set_total_issuance(min(total_issuance() + actual, U64_MAX))
    _event(Event.Restored(who, amount))
    return actual


def transfer(source: bytes, dest: bytes, amount: int, preservation: str) -> int:
    """Move `amount` from `source` to `dest` (deposits `Transfer`, and `Endowed` /
    `System.NewAccount` for a new `dest`, `DustLost` / `System.KilledAccount` for a reaped
    `source`)."""
    WithdrawConsequence.into_result(can_withdraw(source, amount), preservation != Preservation.EXPENDABLE)
    DepositConsequence.into_result(can_deposit(dest, amount, Provenance.EXTANT))
    decrease_balance(source, amount, Precision.BEST_EFFORT, preservation, Fortitude.POLITE)
    # Cannot fail after `can_deposit`; best effort as in Rust.
    try:
        increase_balance(dest, amount, Precision.BEST_EFFORT)
    except DispatchError:
        pass
    _event(Event.Transfer(source, dest, amount))
    return amount


def set_balance(who: bytes, amount: int) -> int:
    """Force `who`'s free balance to `amount` by minting or burning; returns the new balance."""
    b = balance(who)
    try:
        if b > amount:
            return b - burn_from(who, b - amount, Preservation.EXPENDABLE, Precision.BEST_EFFORT,
                                 Fortitude.FORCE)
        return min(b + mint_into(who, amount - b), U64_MAX)
    except DispatchError:
        return b


# ---------------------------------------------------------------------------
# Balanced (changes that return the imbalance they leave)


def rescind(amount: int) -> Debt:
    """Lower total issuance by `amount` (saturating); deposits `Rescinded`."""
    old = total_issuance()
    new = max(old - amount, 0)
    set_total_issuance(new)
    _event(Event.Rescinded(old - new))
    return Debt(old - new)


def issue(amount: int) -> Credit:
    """Raise total issuance by `amount` (saturating); deposits `Issued` unless zero."""
    old = total_issuance()
    new = min(old + amount, U64_MAX)
    set_total_issuance(new)
    if new != old:
        _event(Event.Issued(new - old))
    return Credit(new - old)


def pair(amount: int) -> tuple[Debt, Credit]:
    capped = min(amount, U64_MAX - total_issuance(), total_issuance())
    return rescind(capped), issue(capped)


def deposit(who: bytes, value: int, precision: str) -> Debt:
    """Add `value` to `who` (creating the account); deposits `Deposit` (even of 0)."""
    increase = increase_balance(who, value, precision)
    _event(Event.Deposit(who, increase))
    return Debt(increase)


def withdraw(who: bytes, value: int, precision: str, preservation: str, force: str) -> Credit:
    """Take `value` from `who`; deposits `Withdraw`. This is how fees are paid."""
    decrease = decrease_balance(who, value, precision, preservation, force)
    _event(Event.Withdraw(who, decrease))
    return Credit(decrease)


def resolve(who: bytes, credit: Credit) -> Credit | None:
    """Place `credit` into `who`'s account: None on success, the credit back if it cannot go
    there whole (e.g. below ED for a new account)."""
    try:
        debt = deposit(who, credit.peek(), Precision.EXACT)
    except DispatchError:
        return credit
    credit.offset(debt)
    return None


def settle(who: bytes, debt: Debt, preservation: str) -> Credit | Debt:
    """Take `debt`'s amount from `who`: a Credit of any excess (dust) on success, else the
    debt back."""
    try:
        credit = withdraw(who, debt.peek(), Precision.EXACT, preservation, Fortitude.POLITE)
    except DispatchError:
        return debt
    left = credit.offset(debt)
    if left is None:
        return Credit(0)
    return left


# ---------------------------------------------------------------------------
# Holds (inspection) and freezes


def total_balance_on_hold(who: bytes) -> int:
    return account.get(who).reserved


def reducible_total_balance_on_hold(who: bytes, force: str) -> int:
    a = account.get(who)
    unavailable = 0 if force == Fortitude.FORCE else max(a.frozen - a.free, 0)
    return max(a.reserved - unavailable, 0)


def balance_frozen(freeze_id: Any, who: bytes) -> int:
    return next((f.amount for f in Freezes.get(who) if f.id == freeze_id), 0)


def can_freeze(freeze_id: Any, who: bytes) -> bool:
    freezes = Freezes.get(who)
    return len(freezes) < Constants.MaxFreezes or any(f.id == freeze_id for f in freezes)


def set_freeze(freeze_id: Any, who: bytes, amount: int) -> None:
    if amount == 0:
        thaw(freeze_id, who)
        return
    freezes = Freezes.get(who)
    for f in freezes:
        if f.id == freeze_id:
            f.amount = amount
            break
    else:
        if len(freezes) >= Constants.MaxFreezes:
            raise Error.TooManyFreezes()
        freezes.append(IdAmount(freeze_id, amount))
    account.update_freezes(who, freezes)


def extend_freeze(freeze_id: Any, who: bytes, amount: int) -> None:
    if amount == 0:
        return
    freezes = Freezes.get(who)
    for f in freezes:
        if f.id == freeze_id:
            f.amount = max(f.amount, amount)
            break
    else:
        if len(freezes) >= Constants.MaxFreezes:
            raise Error.TooManyFreezes()
        freezes.append(IdAmount(freeze_id, amount))
    account.update_freezes(who, freezes)


def thaw(freeze_id: Any, who: bytes) -> None:
    freezes = [f for f in Freezes.get(who) if f.id != freeze_id]
    account.update_freezes(who, freezes)
