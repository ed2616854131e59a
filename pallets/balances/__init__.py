"""Balances (pallet 5, `pallet_balances` with `T, I`): the native TAO currency.

`pallet` declares the items (storage, constants, events, errors), `calls` the calls and
genesis; `account`, `fungible` and `currency` hold the logic, `weights` the weights.
"""

from . import calls
from .pallet import (
    STORAGE_VERSION,
    Account,
    AccountStore,
    Config,
    Constants,
    Error,
    Event,
    Freezes,
    Holds,
    InactiveIssuance,
    Locks,
    Reserves,
    TotalIssuance,
    pallet,
)

__all__ = [
    "STORAGE_VERSION",
    "Account",
    "AccountStore",
    "Config",
    "Constants",
    "Error",
    "Event",
    "Freezes",
    "Holds",
    "InactiveIssuance",
    "Locks",
    "Reserves",
    "TotalIssuance",
    "calls",
    "pallet",
]
