"""Subtensor's fee rule written out apart from the runtime's code, for checking the fees a
client reports: `LinearWeightToFee` (`Perbill::from_parts(500_000)` of ref time),
`IdentityFee` for length (one rao per byte), a constant multiplier of one, and the base
extrinsic weight read from a real runtime's `System.BlockWeights`."""

from __future__ import annotations

from pysubtensor.pallets.system.types import BLOCK_WEIGHTS
from tests.support.metadata import DEVNET_381, real_pallet

__all__ = ["base_extrinsic", "expected_fee", "perbill_500_000"]


def perbill_500_000(ref_time: int) -> int:
    """`Perbill::from_parts(500_000) * ref_time`: the nearest integer, ties rounded down."""
    return (ref_time * 500_000 + 499_999_999) // 1_000_000_000


def base_extrinsic(blob: str = DEVNET_381) -> int:
    """A real runtime's base extrinsic ref time (Normal class) from its metadata."""
    raw = next(c.value for c in real_pallet(blob, "System").constants if c.name == "BlockWeights")
    return BLOCK_WEIGHTS.decode_all(bytes(raw)).get("Normal").base_extrinsic.ref_time


def expected_fee(length: int, weight_ref_time: int, blob: str = DEVNET_381) -> int:
    """The fee of a Normal, fee-paying extrinsic of `length` bytes whose `ExtrinsicSuccess`
    reports `weight_ref_time` (its call, its extensions and the base extrinsic): base fee,
    length fee and weight fee, each rounded on its own as the runtime computes them."""
    base = base_extrinsic(blob)
    return perbill_500_000(base) + length + perbill_500_000(weight_ref_time - base)
