"""The legacy `Currency` family of Balances (`impl_currency.rs`): `Currency`,
`ReservableCurrency`, `NamedReservableCurrency` and `LockableCurrency`, which subtensor's
Commitments and Proxy pallets still use for deposits, plus the balance queries of `lib.rs`.

    currency.reserve(who, deposit)             # Reserved
    currency.unreserve(who, deposit)           # Unreserved; returns what could not be
    currency.set_lock(b"staking ", who, amount, WithdrawReasons.ALL)
    currency.free_balance(who), currency.usable_balance(who)

Legacy imbalances square up total issuance when dropped: `PositiveImbalance.drop()` raises it
(deposits `Issued`), `NegativeImbalance.drop()` lowers it (deposits `Rescinded`).
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.balances import account, fungible
from pysubtensor.pallets.balances.pallet import (
    Constants,
    Error,
    Event,
    Locks,
    Reserves,
    TotalIssuance,
    pallet,
)
from pysubtensor.pallets.balances.types import AccountData, BalanceLock, ReserveData
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.pallets.support.tokens import (
    ExistenceRequirement,
    Fortitude,
    Precision,
    Preservation,
    WithdrawReasons,
)

__all__ = [
    "NegativeImbalance",
    "PositiveImbalance",
    "balance_locked",
    "burn",
    "can_reserve",
    "can_slash",
    "deposit_creating",
    "deposit_into_existing",
    "do_transfer_reserved",
    "ensure_can_withdraw",
    "extend_lock",
    "free_balance",
    "issue",
    "locks",
    "make_free_balance_be",
    "remove_lock",
    "repatriate_reserved",
    "reserve",
    "reserve_named",
    "reserved_balance",
    "reserved_balance_named",
    "reserves",
    "set_lock",
    "slash",
    "slash_reserved",
    "total_balance",
    "transfer",
    "unreserve",
    "unreserve_named",
    "usable_balance",
    "usable_balance_for_fees",
    "withdraw",
]

U64_MAX = (1 << 64) - 1




def _event(event: Any) -> None:
    pallet.deposit_event(event)


class PositiveImbalance(fungible.Debt):
    """Funds created without the opposite accounting: `drop()` adds them to total issuance
    and deposits `Issued`."""

    __slots__ = ()

    def drop(self) -> None:
        amount = self._take()
        if amount:
            TotalIssuance.put(min(TotalIssuance.get() + amount, U64_MAX))
            _event(Event.Issued(amount))


class NegativeImbalance(fungible.Credit):
    """Funds destroyed without the opposite accounting: `drop()` removes them from total
    issuance and deposits `Rescinded`."""

    __slots__ = ()

    def drop(self) -> None:
        amount = self._take()
        if amount:
            TotalIssuance.put(max(TotalIssuance.get() - amount, 0))
            _event(Event.Rescinded(amount))


# ---------------------------------------------------------------------------
# Balance queries (lib.rs)


def free_balance(who: bytes) -> int:
    return account.get(who).free


def reserved_balance(who: bytes) -> int:
    return account.get(who).reserved


def total_balance(who: bytes) -> int:
    return account.get(who).total()


def usable_balance(who: bytes) -> int:
    """What can be transferred or reserved: free less freezes (the account may die)."""
    return fungible.reducible_balance(who, Preservation.EXPENDABLE, Fortitude.POLITE)


def usable_balance_for_fees(who: bytes) -> int:
    """What can pay fees while the account stays alive."""
    return fungible.reducible_balance(who, Preservation.PROTECT, Fortitude.POLITE)


def locks(who: bytes) -> list[BalanceLock]:
    return Locks.get(who)


def reserves(who: bytes) -> list[ReserveData]:
    return Reserves.get(who)


# ---------------------------------------------------------------------------
# Currency


def can_slash(who: bytes, value: int) -> bool:
    return value == 0 or free_balance(who) >= value


def burn(amount: int) -> PositiveImbalance:
    """Remove `amount` from total issuance (deposits `Rescinded`); the returned imbalance is
    to be offset against funds taken from an account."""
    if amount == 0:
        return PositiveImbalance(0)
    issued = TotalIssuance.get()
    amount = min(amount, issued)
    TotalIssuance.put(issued - amount)
    _event(Event.Rescinded(amount))
    return PositiveImbalance(amount)


def issue(amount: int) -> NegativeImbalance:
    """Add `amount` to total issuance (deposits `Issued`); the returned imbalance is to be
    placed into accounts."""
    if amount == 0:
        return NegativeImbalance(0)
    issued = TotalIssuance.get()
    amount = min(amount, U64_MAX - issued)
    TotalIssuance.put(issued + amount)
    _event(Event.Issued(amount))
    return NegativeImbalance(amount)


def ensure_can_withdraw(who: bytes, amount: int, reasons: int, new_balance: int) -> None:
    """`LiquidityRestrictions` if `new_balance` would fall below the frozen amount."""
    if amount == 0:
        return
    if new_balance < account.get(who).frozen:
        raise Error.LiquidityRestrictions()


def transfer(transactor: bytes, dest: bytes, value: int, existence_requirement: str) -> None:
    """`Currency::transfer`: `fungible.transfer` with `KeepAlive` → `Preserve`."""
    if value == 0 or transactor == dest:
        return
    keep_alive = (Preservation.PRESERVE if existence_requirement == ExistenceRequirement.KEEP_ALIVE
                  else Preservation.EXPENDABLE)
    fungible.transfer(transactor, dest, value, keep_alive)


def slash(who: bytes, value: int) -> tuple[NegativeImbalance, int]:
    """Take up to `value` from free balance; returns the imbalance and what was not slashed."""
    if value == 0:
        return NegativeImbalance(0), 0
    if total_balance(who) == 0:
        return NegativeImbalance(0), value

    def apply(a: AccountData, _is_new: bool) -> tuple[int, int]:
        if account.can_dec_provider(who):
            actual = min(value, a.free)
        else:
            actual = min(value, max(a.free - account.ed(), 0))
        a.free = max(a.free - actual, 0)
        return actual, value - actual

    try:
        actual, remaining = account.try_mutate_account_handling_dust(who, apply)
    except DispatchError:
        return NegativeImbalance(0), value
    _event(Event.Slashed(who, value - remaining))
    return NegativeImbalance(actual), remaining


def deposit_into_existing(who: bytes, value: int) -> PositiveImbalance:
    """Add `value` to an existing account (`DeadAccount` otherwise); deposits `Deposit`."""
    if value == 0:
        return PositiveImbalance(0)

    def apply(a: AccountData, is_new: bool) -> int:
        if is_new:
            raise Error.DeadAccount()
        if a.free + value > U64_MAX:
            raise DispatchError.arithmetic("Overflow")
        a.free += value
        _event(Event.Deposit(who, value))
        return value

    return PositiveImbalance(account.try_mutate_account_handling_dust(who, apply))


def deposit_creating(who: bytes, value: int) -> PositiveImbalance:
    """Add `value` to `who`, creating the account if `value` reaches the existential deposit;
    a no-op (zero imbalance) otherwise. Deposits `Deposit`."""
    if value == 0:
        return PositiveImbalance(0)

    def apply(a: AccountData, is_new: bool) -> int:
        if value < account.ed() and is_new:
            raise Error.ExistentialDeposit()
        if a.free + value > U64_MAX:
            return 0
        a.free += value
        _event(Event.Deposit(who, value))
        return value

    try:
        return PositiveImbalance(account.try_mutate_account_handling_dust(who, apply))
    except DispatchError:
        return PositiveImbalance(0)


def withdraw(who: bytes, value: int, reasons: int = WithdrawReasons.ALL,
             liveness: str = ExistenceRequirement.ALLOW_DEATH) -> NegativeImbalance:
    """`Currency::withdraw`: take `value` from free balance; `Expendability` if `KeepAlive`
    and the account would die, `LiquidityRestrictions` if frozen. Deposits `Withdraw`."""
    if value == 0:
        return NegativeImbalance(0)

    def apply(a: AccountData, _is_new: bool) -> int:
        if a.free < value:
            raise Error.InsufficientBalance()
        new_free = a.free - value
        ed = account.ed()
        would_kill = new_free < ed and a.free >= ed
        if liveness != ExistenceRequirement.ALLOW_DEATH and would_kill:
            raise Error.Expendability()
        ensure_can_withdraw(who, value, reasons, new_free)
        a.free = new_free
        _event(Event.Withdraw(who, value))
        return value

    return NegativeImbalance(account.try_mutate_account_handling_dust(who, apply))


def make_free_balance_be(who: bytes, value: int) -> fungible.Debt | fungible.Credit:
    """Force `who`'s free balance to `value`; deposits `BalanceSet`. Returns the Positive or
    Negative imbalance of the change (zero Positive if refused)."""

    def apply(a: AccountData, is_new: bool) -> Any:
        if value < account.ed() and is_new:
            raise Error.ExistentialDeposit()
        imbalance = (PositiveImbalance(value - a.free) if a.free <= value
                     else NegativeImbalance(a.free - value))
        a.free = value
        _event(Event.BalanceSet(who, a.free))
        return imbalance

    try:
        return account.try_mutate_account_handling_dust(who, apply)
    except DispatchError:
        return PositiveImbalance(0)


# ---------------------------------------------------------------------------
# ReservableCurrency


def _ensure_can_reserve(who: bytes, value: int, check_existential_deposit: bool) -> None:
    free = account.get(who).free
    if free < value:
        raise Error.InsufficientBalance()
    if check_existential_deposit and free - value < account.ed():
        raise Error.Expendability()


def can_reserve(who: bytes, value: int) -> bool:
    if value == 0:
        return True
    try:
        _ensure_can_reserve(who, value, True)
    except DispatchError:
        return False
    return True


def reserve(who: bytes, value: int) -> None:
    """Move `value` from free to reserved; deposits `Reserved`."""
    if value == 0:
        return

    def apply(a: AccountData, _is_new: bool) -> None:
        if a.free < value:
            raise Error.InsufficientBalance()
        if a.reserved + value > U64_MAX:
            raise DispatchError.arithmetic("Overflow")
        a.free -= value
        a.reserved += value

    account.try_mutate_account_handling_dust(who, apply)
    _event(Event.Reserved(who, value))


def unreserve(who: bytes, value: int) -> int:
    """Move up to `value` from reserved to free; deposits `Unreserved`. Returns the part of
    `value` that was not reserved."""
    if value == 0:
        return 0
    if total_balance(who) == 0:
        return value

    def apply(a: AccountData) -> int:
        actual = min(a.reserved, value)
        a.reserved -= actual
        a.free = min(a.free + actual, U64_MAX)
        return actual

    try:
        actual = account.mutate_account_handling_dust(who, apply)
    except DispatchError:
        return value
    _event(Event.Unreserved(who, actual))
    return value - actual


def slash_reserved(who: bytes, value: int) -> tuple[NegativeImbalance, int]:
    if value == 0:
        return NegativeImbalance(0), 0
    if total_balance(who) == 0:
        return NegativeImbalance(0), value

    def apply(a: AccountData) -> int:
        actual = min(value, a.reserved)
        a.reserved -= actual
        return actual

    try:
        actual = account.mutate_account_handling_dust(who, apply)
    except DispatchError:
        return NegativeImbalance(0), value
    _event(Event.Slashed(who, actual))
    return NegativeImbalance(actual), value - actual


def do_transfer_reserved(slashed: bytes, beneficiary: bytes, value: int, precision: str, fortitude: str,
                         status: str) -> int:
    """Move reserved funds of `slashed` to `beneficiary`'s free ("Free") or reserved
    ("Reserved") balance; deposits `ReserveRepatriated`. Returns the amount moved."""
    if value == 0:
        return 0
    max_amount = fungible.reducible_total_balance_on_hold(slashed, fortitude)
    actual = min(value, max_amount) if precision == Precision.BEST_EFFORT else value
    if actual > max_amount:
        raise DispatchError.token("FundsUnavailable")
    if slashed == beneficiary:
        if status == "Free":
            return max(actual - unreserve(slashed, actual), 0)
        return actual
    dusts: list[int | None] = []

    def to_beneficiary(to: AccountData, is_new: bool) -> None:
        if is_new:
            raise Error.DeadAccount()

        def from_slashed(frm: AccountData, _is_new: bool) -> None:
            if status == "Free":
                if to.free + actual > U64_MAX:
                    raise DispatchError.arithmetic("Overflow")
                to.free += actual
            else:
                if to.reserved + actual > U64_MAX:
                    raise DispatchError.arithmetic("Overflow")
                to.reserved += actual
            frm.reserved = max(frm.reserved - actual, 0)

        _, dust = account.try_mutate_account(slashed, from_slashed)
        dusts.append(dust)

    _, dust2 = account.try_mutate_account(beneficiary, to_beneficiary)
    for dust in (*dusts, dust2):
        if dust is not None:
            account.handle_raw_dust(dust)
    _event(Event.ReserveRepatriated(slashed, beneficiary, actual, status))
    return actual


def repatriate_reserved(slashed: bytes, beneficiary: bytes, value: int, status: str) -> int:
    """Best-effort, polite `do_transfer_reserved`; returns what could not be moved."""
    actual = do_transfer_reserved(slashed, beneficiary, value, Precision.BEST_EFFORT, Fortitude.POLITE, status)
    return max(value - actual, 0)


# ---------------------------------------------------------------------------
# NamedReservableCurrency (ids are `[u8; 8]`, kept sorted as Rust's binary search needs)


def reserved_balance_named(reserve_id: bytes, who: bytes) -> int:
    return next((r.amount for r in reserves(who) if r.id == reserve_id), 0)


def reserve_named(reserve_id: bytes, who: bytes, value: int) -> None:
    if value == 0:
        return
    entries = reserves(who)
    for r in entries:
        if r.id == reserve_id:
            if r.amount + value > U64_MAX:
                raise DispatchError.arithmetic("Overflow")
            r.amount += value
            break
    else:
        if len(entries) >= Constants.MaxReserves:
            raise Error.TooManyReserves()
        entries.append(ReserveData(reserve_id, value))
        entries.sort(key=lambda r: r.id)
    reserve(who, value)
    Reserves.insert(who, entries)


def unreserve_named(reserve_id: bytes, who: bytes, value: int) -> int:
    if value == 0:
        return 0
    if not Reserves.contains_key(who):
        return value
    entries = reserves(who)
    for i, r in enumerate(entries):
        if r.id == reserve_id:
            to_change = min(r.amount, value)
            actual = max(to_change - unreserve(who, to_change), 0)
            r.amount -= actual
            if r.amount == 0:
                del entries[i]
            if entries:
                Reserves.insert(who, entries)
            else:
                Reserves.remove(who)
            return value - actual
    return value


# ---------------------------------------------------------------------------
# LockableCurrency


def _merge_reasons(a: str, b: str) -> str:
    return a if a == b else "All"


def set_lock(lock_id: bytes, who: bytes, amount: int, reasons: int = WithdrawReasons.ALL) -> None:
    """Create or replace lock `lock_id` on `who`'s balance (frozen = the largest lock)."""
    if reasons == 0 or amount == 0:
        remove_lock(lock_id, who)
        return
    new_lock: BalanceLock | None = BalanceLock(lock_id, amount, WithdrawReasons.to_lock_reasons(reasons))
    updated = []
    for lock in locks(who):
        if lock.id == lock_id:
            if new_lock is not None:
                updated.append(new_lock)
                new_lock = None
        else:
            updated.append(lock)
    if new_lock is not None:
        updated.append(new_lock)
    account.update_locks(who, updated)


def extend_lock(lock_id: bytes, who: bytes, amount: int, reasons: int = WithdrawReasons.ALL) -> None:
    """Raise lock `lock_id` to at least `amount` (creating it if absent)."""
    if amount == 0 or reasons == 0:
        return
    new_reasons = WithdrawReasons.to_lock_reasons(reasons)
    found = False
    updated = []
    for lock in locks(who):
        if lock.id == lock_id and not found:
            found = True
            updated.append(BalanceLock(lock.id, max(lock.amount, amount), _merge_reasons(lock.reasons, new_reasons)))
        elif lock.id != lock_id:
            updated.append(lock)
    if not found:
        updated.append(BalanceLock(lock_id, amount, new_reasons))
    account.update_locks(who, updated)


def remove_lock(lock_id: bytes, who: bytes) -> None:
    account.update_locks(who, [lock for lock in locks(who) if lock.id != lock_id])


def balance_locked(lock_id: bytes, who: bytes) -> int:
    return min(sum(lock.amount for lock in locks(who) if lock.id == lock_id), U64_MAX)
