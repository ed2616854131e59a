"""`frame_support::PalletId` and the accounts derived from it (`AccountIdConversion`).

`into_sub_account_truncating(sub)` SCALE-encodes `(b"modl", pallet_id, sub)` and reads an
AccountId32 from it through `TrailingZeroInput`: the first 32 bytes, zero-padded if shorter.
"""

from __future__ import annotations

from pysubtensor.primitives.scale import Field, FixedBytes, Struct

__all__ = ["PALLET_ID", "into_account_truncating", "into_sub_account_truncating"]

#: `frame_support::PalletId([u8; 8])`, as a pallet's `PalletId` constant shows it.
PALLET_ID = Struct(("frame_support", "PalletId"), (Field(None, FixedBytes(8), "[u8; 8]"),))

_MODULE_PREFIX = b"modl"  # sp_runtime's `TypeId for PalletId`


def into_sub_account_truncating(pallet_id: bytes, sub: bytes) -> bytes:
    """The account of `pallet_id` for the SCALE-encoded `sub` (truncated to 32 bytes)."""
    if len(pallet_id) != 8:
        raise ValueError("a PalletId is 8 bytes")
    return (_MODULE_PREFIX + pallet_id + sub)[:32].ljust(32, b"\0")


def into_account_truncating(pallet_id: bytes) -> bytes:
    """The pallet's own account (`sub` empty)."""
    return into_sub_account_truncating(pallet_id, b"")
