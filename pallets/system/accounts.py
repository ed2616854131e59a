"""Accounts: nonces, reference counts and the life cycle of an account (frame-system's
`inc_providers` … `dec_sufficients`, and its `StoredMap` implementation that Balances uses as
its `AccountStore`).

An account exists while it has a provider or a sufficient reference. The first one creates it
(`NewAccount`); dropping the last one removes `System.Account[who]` (`KilledAccount`).
A consumer reference keeps the last provider from being removed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pysubtensor.pallets.balances.types import AccountData
from pysubtensor.pallets.support.dispatch import DispatchError

from .pallet import Account, Event, pallet
from .types import ACCOUNT_INFO as _ACCOUNT_INFO
from .types import AccountInfo

__all__ = [
    "CREATED",
    "EXISTED",
    "EXISTS",
    "REAPED",
    "account",
    "account_exists",
    "account_nonce",
    "account_ref",
    "can_accrue_consumers",
    "can_dec_provider",
    "can_inc_consumer",
    "consumers",
    "dec_consumers",
    "dec_providers",
    "dec_sufficients",
    "inc_account_nonce",
    "inc_consumers",
    "inc_consumers_without_limit",
    "inc_providers",
    "inc_sufficients",
    "is_provider_required",
    "mutate_account",
    "providers",
    "reference_count",
    "sufficients",
    "try_mutate_exists_account_data",
]

#: `IncRefStatus` and `DecRefStatus`.
CREATED = "Created"
EXISTED = "Existed"
REAPED = "Reaped"
EXISTS = "Exists"

_U32_MAX = 0xFFFF_FFFF


def _sat_inc(n: int) -> int:
    return min(n + 1, _U32_MAX)


def account(who: bytes) -> AccountInfo:
    """`System.Account[who]` (the default, empty account if it does not exist)."""
    return Account.get(who)


def account_ref(who: bytes) -> AccountInfo:
    """`account(who)` for a caller that only reads it: shared with the storage cache, not to
    be changed (no copy made: the transfer path reads each account many times)."""
    return Account.peek(who)


def account_exists(who: bytes) -> bool:
    return Account.contains_key(who)


def mutate_account(who: bytes, fn: Callable[[AccountInfo], Any]) -> Any:
    """`Account::mutate`: `fn` changes the account in place; it is stored (even if it was
    absent and stays empty, as Rust's ValueQuery mutate does); `fn`'s result is returned."""
    info = Account.get(who)
    result = fn(info)
    Account.insert(who, info)
    return result


def account_nonce(who: bytes) -> int:
    return Account.peek(who).nonce


def inc_account_nonce(who: bytes) -> None:
    """Add one to the nonce (u32, wrapping as the release-built runtime's `+=` does)."""

    def bump(a: AccountInfo) -> None:
        a.nonce = (a.nonce + 1) & _U32_MAX

    mutate_account(who, bump)


def providers(who: bytes) -> int:
    return Account.peek(who).providers


def consumers(who: bytes) -> int:
    return Account.peek(who).consumers


def sufficients(who: bytes) -> int:
    return Account.peek(who).sufficients


def reference_count(who: bytes) -> int:
    a = Account.peek(who)
    return a.providers + a.sufficients


def is_provider_required(who: bytes) -> bool:
    """True if the account has consumer references."""
    return Account.peek(who).consumers != 0


def can_dec_provider(who: bytes) -> bool:
    a = Account.peek(who)
    return a.consumers == 0 or a.providers > 1


def can_accrue_consumers(who: bytes, amount: int) -> bool:
    a = Account.get(who)
    c = a.consumers + amount
    return c <= _U32_MAX and a.providers > 0 and c <= pallet.config.max_consumers


def can_inc_consumer(who: bytes) -> bool:
    return can_accrue_consumers(who, 1)


# -- life cycle


def _on_created_account(who: bytes) -> None:
    if pallet.config.on_new_account is not None:
        pallet.config.on_new_account(who)
    pallet.deposit_event(Event.NewAccount(who))


def _on_killed_account(who: bytes) -> None:
    if pallet.config.on_killed_account is not None:
        pallet.config.on_killed_account(who)
    pallet.deposit_event(Event.KilledAccount(who))


def inc_providers(who: bytes) -> str:
    """Add a provider reference; the first one (with no sufficients) creates the account."""
    a = Account.get(who)
    if a.providers == 0 and a.sufficients == 0:
        a.providers = 1
        _on_created_account(who)
        status = CREATED
    else:
        a.providers = _sat_inc(a.providers)
        status = EXISTED
    Account.insert(who, a)
    return status


def dec_providers(who: bytes) -> str:
    """Drop a provider reference. The last one (with no consumers and no sufficients) reaps
    the account; with consumers left it fails with `ConsumerRemaining`."""
    if not Account.contains_key(who):
        return REAPED  # logic error in the caller; Rust logs it and reports Reaped
    a = Account.get(who)
    if a.providers == 0:
        a.providers = 1  # logic error (underflow); Rust logs and carries on as if it were 1
    if a.providers == 1 and a.consumers == 0 and a.sufficients == 0:
        Account.remove(who)
        _on_killed_account(who)
        return REAPED
    if a.providers == 1 and a.consumers > 0:
        raise DispatchError("ConsumerRemaining")
    a.providers -= 1
    Account.insert(who, a)
    return EXISTS


def inc_sufficients(who: bytes) -> str:
    """Add a self-sufficient reference; the first one (with no providers) creates the account."""
    a = Account.get(who)
    if a.providers + a.sufficients == 0:
        a.sufficients = 1
        _on_created_account(who)
        status = CREATED
    else:
        a.sufficients = _sat_inc(a.sufficients)
        status = EXISTED
    Account.insert(who, a)
    return status


def dec_sufficients(who: bytes) -> str:
    """Drop a self-sufficient reference; without providers the last one reaps the account."""
    if not Account.contains_key(who):
        return REAPED
    a = Account.get(who)
    if a.sufficients in (0, 1) and a.providers == 0:
        Account.remove(who)
        _on_killed_account(who)
        return REAPED
    a.sufficients = max(a.sufficients - 1, 0)
    Account.insert(who, a)
    return EXISTS


def inc_consumers(who: bytes) -> None:
    """Add a consumer reference: needs a provider (`NoProviders`) and room under
    `MaxConsumers` (`TooManyConsumers`)."""
    a = Account.get(who)
    if a.providers == 0:
        raise DispatchError("NoProviders")
    if a.consumers >= pallet.config.max_consumers:
        raise DispatchError("TooManyConsumers")
    a.consumers = _sat_inc(a.consumers)
    Account.insert(who, a)


def inc_consumers_without_limit(who: bytes) -> None:
    a = Account.get(who)
    if a.providers == 0:
        raise DispatchError("NoProviders")
    a.consumers = _sat_inc(a.consumers)
    Account.insert(who, a)


def dec_consumers(who: bytes) -> None:
    """Drop a consumer reference (at zero Rust logs a logic error and writes the account)."""
    a = Account.get(who)
    if a.consumers > 0:
        a.consumers -= 1
    Account.insert(who, a)


# -- StoredMap<AccountId, AccountData>: Balances' `AccountStore`


def put_account_data(who: bytes, read: AccountInfo, data: AccountData) -> None:
    """What `try_mutate_exists_account_data(who, fn, read=read)` does when `fn` returns
    `data` (not the default) and changes nothing else, for an account that has a provider
    or a sufficient reference: the account is stored with its reference counts as read and
    `data` (a copy: the caller keeps its object). `read` is the account as the caller has
    just read it with `account_ref` (nothing written since). Balances' path for a free
    balance that moves while staying at or above the existential deposit."""
    if read.providers == 0 and read.sufficients == 0:
        raise ValueError("put_account_data: an account without references is removed, not stored")
    Account.insert(who, AccountInfo(read.nonce, read.consumers, read.providers, read.sufficients, data))


#: The default account data, compared with (never changed).
_DEFAULT_DATA = AccountData()


def try_mutate_exists_account_data(who: bytes, fn: Callable[[AccountData | None], tuple[AccountData | None, Any]],
                                   *, read: AccountInfo | None = None) -> Any:
    """`StoredMap::try_mutate_exists` of frame-system.

    `fn` gets the account's data (None when it is the default) and returns
    `(new_data_or_None, result)`; raising a `DispatchError` leaves storage untouched. The
    data is then stored if the account has a provider or a sufficient reference (None stores
    the default), otherwise the account is removed. `result` is returned.

    `read`: the account as the caller has just read it with `account_ref` (nothing written
    since), which saves reading it again. The account is read once: after `fn` it is read
    again only if `fn` wrote it (Balances changes reference counts), which the storage cache
    shows as a different value (an unwritten entry keeps its decoded value).
    """
    stored = read if read is not None else Account.peek(who)
    a = _ACCOUNT_INFO.copy(stored)
    data = a.data
    new_data, result = fn(None if data == _DEFAULT_DATA else data)
    if Account.peek(who) is not stored:
        a = Account.get(who)  # `fn` changed the account (its reference counts)
    if a.providers > 0 or a.sufficients > 0:
        a.data = new_data if new_data is not None else AccountData()
        Account.insert(who, a)
    else:
        Account.remove(who)
    return result
