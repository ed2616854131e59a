"""Balances types other pallets refer to (System stores `AccountData` inside `AccountInfo`).

Kept apart from the pallet declaration so `pallets.system` can import it without importing
the Balances pallet (as in Rust, where frame_system is generic over `AccountData`).
"""

from __future__ import annotations

from dataclasses import dataclass

from primitives.scale import U128, Field, Struct
from primitives.types import BALANCE

__all__ = ["ACCOUNT_DATA", "EXTRA_FLAGS", "IS_NEW_LOGIC", "AccountData"]

#: Top bit of `ExtraFlags`: the account uses the new (holds/freezes) logic.
IS_NEW_LOGIC = 1 << 127


@dataclass(slots=True)
class AccountData:
    """`pallet_balances::types::AccountData<u64>`."""

    free: int = 0
    reserved: int = 0
    frozen: int = 0
    flags: int = IS_NEW_LOGIC


EXTRA_FLAGS = Struct(("pallet_balances", "types", "ExtraFlags"), (Field(None, U128, "u128"),))

ACCOUNT_DATA = Struct(
    ("pallet_balances", "types", "AccountData"),
    (
        Field("free", BALANCE, "Balance"),
        Field("reserved", BALANCE, "Balance"),
        Field("frozen", BALANCE, "Balance"),
        Field("flags", EXTRA_FLAGS, "ExtraFlags"),
    ),
    cls=AccountData,
    params=(("Balance", BALANCE),),
)
