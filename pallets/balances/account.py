"""Account bookkeeping under every balance change (pallet_balances `lib.rs` helpers).

Subtensor sets `AccountStore = System`: an account's `AccountData` is the `data` field of
`System.Account`, and Balances is that account's provider. `try_mutate_account` is the one
place that changes an account's data: it upgrades old accounts, keeps the System reference
counts in step with the balance (a provider while free >= ED, a consumer while anything is
reserved or frozen), reaps accounts that fall below the existential deposit and reports
their dust, and emits `Endowed` / `DustLost`.

What this module uses of `pallets.system` (frame_system's API): `account(who)` (its
`data`), `providers`, `consumers`, `can_dec_provider`, `inc_providers` (the first provider
creates the account: `System.NewAccount`), `dec_providers` (the last one reaps it:
`System.KilledAccount`; `ConsumerRemaining` while consumers remain), `inc_consumers`
(`NoProviders` / `TooManyConsumers`), `inc_consumers_without_limit`, `dec_consumers`, and
`try_mutate_exists_account_data` (the `StoredMap` that makes System the account store).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pysubtensor.pallets.balances.pallet import Constants, Event, Freezes, Locks, pallet
from pysubtensor.pallets.balances.types import IS_NEW_LOGIC, AccountData, BalanceLock, IdAmount
from pysubtensor.pallets.support.dispatch import DispatchError

__all__ = [
    "can_dec_provider",
    "consumers",
    "ensure_upgraded",
    "get",
    "handle_raw_dust",
    "info",
    "mutate_account",
    "mutate_account_handling_dust",
    "providers",
    "set_free",
    "sets_free_directly",
    "try_mutate_account",
    "try_mutate_account_handling_dust",
    "update_freezes",
    "update_locks",
]

R = TypeVar("R")


def _system() -> Any:
    """System's accounts, as the runtime bound them (`Config.account_store`)."""
    # `pallet.config` (which raises when unbound) only when no config is bound: it is read
    # many times per transfer.
    return (pallet._config or pallet.config).account_store




def ed() -> int:
    return Constants.ExistentialDeposit


# ---------------------------------------------------------------------------
# System's side of the account (frame_system's StoredMap and reference counts)


def get(who: bytes) -> AccountData:
    """`T::AccountStore::get(who)`: the account's data (the default for an absent account).
    Storage reads hand out copies, so the caller may change it freely."""
    return _system().account(who).data


def info(who: bytes) -> Any:
    """System's whole `AccountInfo` of `who` (its data and reference counts): one read where
    a caller needs both. Read-only: it is the storage cache's value, not a copy."""
    return _system().account_ref(who)


def providers(who: bytes) -> int:
    return _system().providers(who)


def consumers(who: bytes) -> int:
    return _system().consumers(who)


def can_dec_provider(who: bytes) -> bool:
    """`frame_system::Pallet::can_dec_provider`: no consumers, or another provider remains."""
    return _system().can_dec_provider(who)


def _try_mutate_exists(who: bytes, f: Callable[[AccountData | None], tuple[R, AccountData | None]],
                       read: Any = None) -> R:
    """`StoredMap::try_mutate_exists` of frame_system: `f` sees `None` for an account whose data
    is the default and returns `(result, new data or None)`. The data is stored while the
    account has a provider or a sufficient reference, else the account is removed. `read`:
    the account as just read with `info` (nothing written since), or None."""

    def swapped(maybe: AccountData | None) -> tuple[AccountData | None, R]:
        result, new = f(maybe)
        return new, result

    if read is None:
        return _system().try_mutate_exists_account_data(who, swapped)
    return _system().try_mutate_exists_account_data(who, swapped, read=read)


# ---------------------------------------------------------------------------
# Balances' account logic


def ensure_upgraded(who: bytes) -> bool:
    """Move an account to the new (holds/freezes) logic: set the flag, and give an account
    with a reserve but no freeze the consumer reference the new logic expects. Deposits
    `Upgraded`; returns whether anything changed."""
    system = _system()
    if info(who).data.is_new_logic:  # the common case: nothing to change, no copy needed
        return False
    a = get(who)
    a.flags |= IS_NEW_LOGIC
    if a.reserved != 0 and a.frozen == 0:
        if providers(who) == 0:
            # No provider ref for an account with a reserve: give it enough for an ED.
            a.free = max(a.free, ed())
            system.inc_providers(who)
        try:
            system.inc_consumers_without_limit(who)
        except DispatchError:
            pass  # defensive in Rust: the failure is logged and ignored

    def store(_maybe: AccountData | None) -> tuple[None, AccountData]:
        return None, a

    _try_mutate_exists(who, store)
    pallet.deposit_event(Event.Upgraded(who))
    return True


def try_mutate_account(who: bytes, f: Callable[[AccountData, bool], R], *, read: Any = None
                       ) -> tuple[R, int | None]:
    """Change `who`'s account with `f(account, is_new)` (which mutates `account` in place and
    raises to abort), enforcing the existential deposit. Returns `(f's result, dust)`: the
    dust (free balance below ED of a reaped account) is for the caller to handle once all
    nested changes are done. Does not touch total issuance.

    `read`: System's account of `who` as the caller has just read it with `info` (nothing
    written since): an account already on the new logic is then neither read again for
    `ensure_upgraded` nor by the account store."""
    system = _system()
    if read is None or not read.data.is_new_logic:
        ensure_upgraded(who)
        read = None  # an upgrade writes the account: the store reads it afresh
    existential = ed()

    def mutate(maybe: AccountData | None) -> tuple[tuple[int | None, int | None, R], AccountData | None]:
        is_new = maybe is None
        account = AccountData() if maybe is None else maybe
        did_provide = account.free >= existential
        did_consume = not is_new and (account.reserved != 0 or account.frozen != 0)

        result = f(account, is_new)

        does_provide = account.free >= existential
        does_consume = account.reserved != 0 or account.frozen != 0

        if not did_provide and does_provide:
            system.inc_providers(who)
        if did_consume and not does_consume:
            system.dec_consumers(who)
        if not did_consume and does_consume:
            system.inc_consumers(who)
        if does_consume and consumers(who) == 0:
            # Failsafe: a consuming account should already hold a consumer ref.
            system.inc_consumers(who)
        if did_provide and not does_provide:
            # This could reap the account, so it goes last.
            try:
                system.dec_providers(who)
            except DispatchError:
                # Best-effort revert of the consumer change, then fail.
                if did_consume and not does_consume:
                    try:
                        system.inc_consumers(who)
                    except DispatchError:
                        pass
                if not did_consume and does_consume:
                    system.dec_consumers(who)
                raise

        maybe_endowed = account.free if is_new else None
        if account.free < existential and account.reserved == 0:
            maybe_dust = account.free if account.free != 0 else None
            return (maybe_endowed, maybe_dust, result), None
        return (maybe_endowed, None, result), account

    maybe_endowed, maybe_dust, result = _try_mutate_exists(who, mutate, read)
    if maybe_endowed is not None:
        pallet.deposit_event(Event.Endowed(who, maybe_endowed))
    if maybe_dust is not None:
        pallet.deposit_event(Event.DustLost(who, maybe_dust))
    return result, maybe_dust


def sets_free_directly(read: Any, amount: int) -> bool:
    """Whether setting the free balance of an account read as `read` (System's account,
    `info`) to `amount` is a plain store (`set_free`): the account is on the new logic,
    exists (a provider or sufficient reference; free above zero, so its data is not the
    default), holds nothing reserved or frozen, and its free balance is at or above the
    existential deposit before and after. `try_mutate_account` then changes no reference
    count, endows nothing, leaves no dust and deposits no event."""
    data = read.data
    if data.reserved != 0 or data.frozen != 0 or not data.flags & IS_NEW_LOGIC:
        return False
    existential = ed()
    return (data.free > 0 and data.free >= existential and amount >= existential
            and (read.providers > 0 or read.sufficients > 0))


def set_free(who: bytes, amount: int, read: Any) -> None:
    """`mutate_account(who, lambda a: setattr(a, "free", amount), read=read)` where
    `sets_free_directly(read, amount)`: what it would store, without its machinery."""
    data = read.data
    _system().put_account_data(who, read, AccountData(amount, data.reserved, data.frozen, data.flags))


def mutate_account(who: bytes, f: Callable[[AccountData], R], *, read: Any = None) -> tuple[R, int | None]:
    return try_mutate_account(who, lambda account, _is_new: f(account), read=read)


def try_mutate_account_handling_dust(who: bytes, f: Callable[[AccountData, bool], R]) -> R:
    """`try_mutate_account`, then the dust goes the way of all dust (`handle_raw_dust`)."""
    result, dust = try_mutate_account(who, f)
    if dust is not None:
        handle_raw_dust(dust)
    return result


def mutate_account_handling_dust(who: bytes, f: Callable[[AccountData], R]) -> R:
    return try_mutate_account_handling_dust(who, lambda account, _is_new: f(account))


def handle_raw_dust(amount: int) -> None:
    """`Unbalanced::handle_raw_dust`: dust (capped at ED - 1) is a credit that the runtime's
    `DustRemoval = ()` drops, lowering total issuance."""

    from pysubtensor.pallets.balances import fungible  # fungible builds on this module

    fungible.handle_dust(min(amount, max(ed() - 1, 0)))


def update_locks(who: bytes, locks: Sequence[BalanceLock]) -> None:
    """Store `who`'s locks and recompute `frozen` (the largest lock or freeze); deposits
    `Locked` / `Unlocked` with the change."""
    freezes = Freezes.get(who)
    frozen = {"prev": 0, "after": 0}

    def apply(b: AccountData) -> None:
        frozen["prev"] = b.frozen
        b.frozen = max([0, *(lock.amount for lock in locks), *(f.amount for f in freezes)])
        frozen["after"] = b.frozen

    try:
        mutate_account(who, apply)
    except DispatchError:
        pass  # cannot fail (the free balance is untouched); Rust only debug-asserts it
    if locks:
        Locks.insert(who, list(locks))
    else:
        Locks.remove(who)
    prev, after = frozen["prev"], frozen["after"]
    if prev > after:
        pallet.deposit_event(Event.Unlocked(who, prev - after))
    elif after > prev:
        pallet.deposit_event(Event.Locked(who, after - prev))


def update_freezes(who: bytes, freezes: Sequence[IdAmount]) -> None:
    """Store `who`'s freezes and recompute `frozen`; deposits `Frozen` / `Thawed`."""
    locks = Locks.get(who)
    frozen = {"prev": 0, "after": 0}

    def apply(b: AccountData) -> None:
        frozen["prev"] = b.frozen
        b.frozen = max([0, *(lock.amount for lock in locks), *(f.amount for f in freezes)])
        frozen["after"] = b.frozen

    mutate_account(who, apply)
    if freezes:
        Freezes.insert(who, list(freezes))
    else:
        Freezes.remove(who)
    prev, after = frozen["prev"], frozen["after"]
    if prev > after:
        pallet.deposit_event(Event.Thawed(who, prev - after))
    elif after > prev:
        pallet.deposit_event(Event.Frozen(who, after - prev))
