"""Primitive on-chain types shared by every pallet, with their scale-info paths
(sp-core, sp-runtime). Subtensor's choices: u32 block numbers and nonces, u64 balances.
"""

from __future__ import annotations

from pysubtensor.primitives.scale import (
    BYTES,
    H256,
    U8,
    U32,
    U64,
    UNIT,
    Compact,
    Enum,
    Field,
    FixedBytes,
    Struct,
    Variant,
)

__all__ = [
    "ACCOUNT_ID",
    "BALANCE",
    "BLOCK_NUMBER",
    "COMPACT_BALANCE",
    "HASH",
    "MULTI_ADDRESS",
    "NONCE",
    "PERCENT",
    "account_id_of_address",
]

#: `sp_core::crypto::AccountId32`, a newtype over `[u8; 32]`; Python value: 32 bytes.
ACCOUNT_ID = Struct(("sp_core", "crypto", "AccountId32"), (Field(None, FixedBytes(32), "[u8; 32]"),))
HASH = H256
BLOCK_NUMBER = U32
NONCE = U32
#: TaoBalance: a transparent u64 (not u128 as in most Substrate chains).
BALANCE = U64
COMPACT_BALANCE = Compact(U64)
#: `sp_arithmetic::per_things::Percent`: parts per hundred in a u8; Python value: the int.
PERCENT = Struct(("sp_arithmetic", "per_things", "Percent"), (Field(None, U8, "u8"),))

#: `sp_runtime::multiaddress::MultiAddress<AccountId32, ()>`; Python value `("Id", account)` etc.
MULTI_ADDRESS = Enum(
    ("sp_runtime", "multiaddress", "MultiAddress"),
    (
        Variant("Id", 0, (Field(None, ACCOUNT_ID, "AccountId"),)),
        Variant("Index", 1, (Field(None, Compact(UNIT), "AccountIndex"),)),
        Variant("Raw", 2, (Field(None, BYTES, "Vec<u8>"),)),
        Variant("Address32", 3, (Field(None, FixedBytes(32), "[u8; 32]"),)),
        Variant("Address20", 4, (Field(None, FixedBytes(20), "[u8; 20]"),)),
    ),
    params=(("AccountId", ACCOUNT_ID), ("AccountIndex", UNIT)),
)


def account_id_of_address(address: tuple[str, object]) -> bytes | None:
    """The account a MultiAddress names (`StaticLookup` of a runtime without indices):
    `Id` and `Address32` resolve; other forms do not (CannotLookup)."""
    kind, value = address
    if kind in ("Id", "Address32") and isinstance(value, bytes) and len(value) == 32:
        return value
    return None
