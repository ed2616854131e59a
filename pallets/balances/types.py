"""Balances types other pallets refer to (System stores `AccountData` inside `AccountInfo`).

Kept apart from the pallet declaration so `pallets.system` can import it without importing
the Balances pallet (as in Rust, where frame_system is generic over `AccountData`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pysubtensor.pallets.support.types import bounded_vec
from pysubtensor.primitives.scale import U128, Codec, Enum, Field, FixedBytes, NameEnum, Struct, Variant
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import BALANCE

__all__ = [
    "ACCOUNT_DATA",
    "ADJUSTMENT_DIRECTION",
    "BALANCE_LOCK",
    "BALANCE_STATUS",
    "EXTRA_FLAGS",
    "FREEZES",
    "HOLDS",
    "IDENTIFIER_8",
    "IS_NEW_LOGIC",
    "LOCKS",
    "REASONS",
    "RESERVES",
    "RESERVE_DATA",
    "RUNTIME_FREEZE_REASON",
    "RUNTIME_HOLD_REASON",
    "AccountData",
    "BalanceLock",
    "IdAmount",
    "ReserveData",
    "bounded_vec",
    "id_amount",
]

#: Top bit of `ExtraFlags`: the account uses the new (holds/freezes) logic.
IS_NEW_LOGIC = 1 << 127


@slots_dataclass
class AccountData:
    """`pallet_balances::types::AccountData<u64>`."""

    free: int = 0
    reserved: int = 0
    frozen: int = 0
    flags: int = IS_NEW_LOGIC

    def total(self) -> int:
        """Free plus reserved (`AccountData::total`), saturating at u64::MAX."""
        return min(self.free + self.reserved, (1 << 64) - 1)

    @property
    def is_new_logic(self) -> bool:
        return bool(self.flags & IS_NEW_LOGIC)


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


# ---------------------------------------------------------------------------
# Locks, reserves, holds and freezes (the values of Balances' storage maps)

#: `[u8; 8]`: `LockIdentifier` and subtensor's `ReserveIdentifier`.
IDENTIFIER_8 = FixedBytes(8)

#: `pallet_balances::types::Reasons`: which withdrawals a lock applies to.
REASONS = NameEnum(("pallet_balances", "types", "Reasons"), ("Fee", "Misc", "All"))


@slots_dataclass
class BalanceLock:
    """`pallet_balances::types::BalanceLock<Balance>`; `reasons` is "Fee", "Misc" or "All"."""

    id: bytes
    amount: int
    reasons: str = "All"


BALANCE_LOCK = Struct(
    ("pallet_balances", "types", "BalanceLock"),
    (
        Field("id", IDENTIFIER_8, "LockIdentifier"),
        Field("amount", BALANCE, "Balance"),
        Field("reasons", REASONS, "Reasons"),
    ),
    cls=BalanceLock,
    params=(("Balance", BALANCE),),
)


@slots_dataclass
class ReserveData:
    """`pallet_balances::types::ReserveData<ReserveIdentifier, Balance>`."""

    id: bytes
    amount: int


RESERVE_DATA = Struct(
    ("pallet_balances", "types", "ReserveData"),
    (Field("id", IDENTIFIER_8, "ReserveIdentifier"), Field("amount", BALANCE, "Balance")),
    cls=ReserveData,
    params=(("ReserveIdentifier", IDENTIFIER_8), ("Balance", BALANCE)),
)


@slots_dataclass
class IdAmount:
    """`frame_support::traits::tokens::misc::IdAmount<Id, Balance>` (holds and freezes)."""

    id: Any
    amount: int


def id_amount(id_codec: Codec) -> Struct:
    """The `IdAmount<Id, u64>` codec for an id type."""
    return Struct(
        ("frame_support", "traits", "tokens", "misc", "IdAmount"),
        (Field("id", id_codec, "Id"), Field("amount", BALANCE, "Balance")),
        cls=IdAmount,
        params=(("Id", id_codec), ("Balance", BALANCE)),
    )


def _reason_enum(pallet: str, names: Sequence[str]) -> NameEnum:
    return NameEnum((pallet, "pallet", "HoldReason"), names)


#: `node_subtensor_runtime::RuntimeHoldReason` (spec 343 and 381 alike). Python value:
#: `(pallet_name, reason_name)`, e.g. `("Preimage", "Preimage")`.
RUNTIME_HOLD_REASON = Enum(
    ("node_subtensor_runtime", "RuntimeHoldReason"),
    (
        Variant("Preimage", 14, (Field(None, _reason_enum("pallet_preimage", ("Preimage",)),
                                       "pallet_preimage::HoldReason"),)),
        Variant("Registry", 17, (Field(None, _reason_enum("pallet_registry", ("RegistryIdentity",)),
                                       "pallet_registry::HoldReason"),)),
        Variant("SafeMode", 20, (Field(None, _reason_enum("pallet_safe_mode", ("EnterOrExtend",)),
                                       "pallet_safe_mode::HoldReason"),)),
        Variant("Contracts", 29, (Field(None, _reason_enum(
            "pallet_contracts", ("CodeUploadDepositReserve", "StorageDepositReserve")),
            "pallet_contracts::HoldReason"),)),
    ),
)

#: `node_subtensor_runtime::RuntimeFreezeReason`: no pallet of the runtime freezes funds, so
#: the enum has no variants (and `Freezes` can only ever be empty on chain).
RUNTIME_FREEZE_REASON = Enum(("node_subtensor_runtime", "RuntimeFreezeReason"), ())

#: `pallet_balances::types::AdjustmentDirection` (`force_adjust_total_issuance`).
ADJUSTMENT_DIRECTION = NameEnum(("pallet_balances", "types", "AdjustmentDirection"), ("Increase", "Decrease"))

#: `frame_support::traits::tokens::misc::BalanceStatus` (`ReserveRepatriated`).
BALANCE_STATUS = NameEnum(("frame_support", "traits", "tokens", "misc", "BalanceStatus"), ("Free", "Reserved"))

LOCKS = bounded_vec(BALANCE_LOCK, weak=True)
RESERVES = bounded_vec(RESERVE_DATA)
HOLDS = bounded_vec(id_amount(RUNTIME_HOLD_REASON))
FREEZES = bounded_vec(id_amount(RUNTIME_FREEZE_REASON))
