"""`fungible::hold` of Balances: funds placed on hold for a reason (pallet_balances
`impl_fungible.rs` `UnbalancedHold`, `InspectHold`, plus frame-support's default methods of
`fungible::hold::{Mutate, Unbalanced}`), as Preimage, Registry and SafeMode take deposits.

    holds.hold(("Preimage", "Preimage"), who, amount)        # free -> on hold
    holds.release(reason, who, amount, Precision.BEST_EFFORT) # on hold -> free; returns the amount
    holds.burn_held(reason, who, amount, Precision.BEST_EFFORT, Fortitude.FORCE)

A reason is a `RuntimeHoldReason` value, `(pallet_name, reason_name)`. Held funds count in
`AccountData.reserved` (Balances keeps holds and reserves in one field) and are listed by
reason in `Holds`. In this polkadot-sdk release the hold operations deposit no Balances event
(`done_hold` & co. are no-ops; the `Held`/`Released` events came later).
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.balances import account, fungible
from pysubtensor.pallets.balances.pallet import Error, Holds
from pysubtensor.pallets.balances.types import AccountData, IdAmount
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.pallets.support.tokens import (
    DepositConsequence,
    Fortitude,
    Precision,
    Preservation,
    Provenance,
)

__all__ = ["balance_on_hold", "burn_all_held", "burn_held", "can_hold", "ensure_can_hold", "hold",
           "hold_available", "release", "release_all"]

U64_MAX = (1 << 64) - 1
#: `VariantCountOf<RuntimeHoldReason>` (Preimage 1, Registry 1, SafeMode 1, Contracts 2): the
#: most holds an account can have, one per reason.
MAX_HOLDS = 5


def balance_on_hold(reason: Any, who: bytes) -> int:
    return next((h.amount for h in Holds.get(who) if h.id == reason), 0)


def hold_available(reason: Any, who: bytes) -> bool:
    """An account with no provider cannot hold; nor one whose holds are full with other reasons."""
    if account.providers(who) == 0:
        return False
    holds = Holds.get(who)
    return not (len(holds) >= MAX_HOLDS and not any(h.id == reason for h in holds))


def ensure_can_hold(reason: Any, who: bytes, amount: int) -> None:
    if amount > fungible.reducible_balance(who, Preservation.PROTECT, Fortitude.FORCE):
        raise DispatchError.token("FundsUnavailable")
    if not hold_available(reason, who):
        raise DispatchError.token("CannotCreateHold")


def can_hold(reason: Any, who: bytes, amount: int) -> bool:
    try:
        ensure_can_hold(reason, who, amount)
    except DispatchError:
        return False
    return True


def set_balance_on_hold(reason: Any, who: bytes, amount: int) -> None:
    """`UnbalancedHold::set_balance_on_hold`: the hold for `reason` becomes `amount`; the
    account's `reserved` moves by the difference."""
    holds = Holds.get(who)
    for h in holds:
        if h.id == reason:
            increase, delta = amount > h.amount, abs(amount - h.amount)
            h.amount = amount
            holds = [x for x in holds if x.amount != 0]
            break
    else:
        if amount != 0:
            if len(holds) >= MAX_HOLDS:
                raise Error.TooManyHolds()
            holds.append(IdAmount(reason, amount))
        increase, delta = True, amount
    before = account.get(who)
    reserved = before.reserved + delta if increase else before.reserved - delta
    if reserved > U64_MAX:
        raise DispatchError.arithmetic("Overflow")
    if reserved < 0:
        raise DispatchError.arithmetic("Underflow")

    def apply(a: AccountData, _is_new: bool) -> None:
        a.reserved = reserved

    account.try_mutate_account(who, apply)
    Holds.insert(who, holds)


def decrease_balance_on_hold(reason: Any, who: bytes, amount: int, precision: str) -> int:
    old = balance_on_hold(reason, who)
    if precision == Precision.BEST_EFFORT:
        amount = min(amount, old)
    if amount > old:
        raise DispatchError.token("FundsUnavailable")
    set_balance_on_hold(reason, who, old - amount)
    return amount


def increase_balance_on_hold(reason: Any, who: bytes, amount: int, precision: str) -> int:
    old = balance_on_hold(reason, who)
    new = min(old + amount, U64_MAX) if precision == Precision.BEST_EFFORT else old + amount
    if new > U64_MAX:
        raise DispatchError.arithmetic("Overflow")
    if new != old:
        set_balance_on_hold(reason, who, new)
    return new - old


def hold(reason: Any, who: bytes, amount: int) -> None:
    """Move `amount` of `who`'s free balance on hold for `reason` (adding to its hold)."""
    ensure_can_hold(reason, who, amount)
    fungible.decrease_balance(who, amount, Precision.EXACT, Preservation.PROTECT, Fortitude.FORCE)
    increase_balance_on_hold(reason, who, amount, Precision.BEST_EFFORT)


def release(reason: Any, who: bytes, amount: int, precision: str) -> int:
    """Move up to `amount` held for `reason` back to free; returns the amount released."""
    if fungible.can_deposit(who, amount, Provenance.EXTANT) != DepositConsequence.SUCCESS:
        raise DispatchError.token("CannotCreate")
    amount = decrease_balance_on_hold(reason, who, amount, precision)
    return fungible.increase_balance(who, amount, Precision.BEST_EFFORT)


def release_all(reason: Any, who: bytes, precision: str) -> int:
    return release(reason, who, balance_on_hold(reason, who), precision)


def burn_held(reason: Any, who: bytes, amount: int, precision: str, force: str) -> int:
    """Destroy up to `amount` held for `reason` (total issuance falls by it); returns the amount."""
    liquid = fungible.reducible_total_balance_on_hold(who, force)
    if precision == Precision.BEST_EFFORT:
        amount = min(amount, liquid)
    elif amount > liquid:
        raise DispatchError.token("Frozen")
    amount = decrease_balance_on_hold(reason, who, amount, precision)
    fungible.set_total_issuance(max(fungible.total_issuance() - amount, 0))
    return amount


def burn_all_held(reason: Any, who: bytes, precision: str, force: str) -> int:
    return burn_held(reason, who, balance_on_hold(reason, who), precision, force)
