"""Block emission (Rust `coinbase/block_emission.rs`, spec 381): 1 TAO a block halved each
time issuance covers half of what remains of the 21M supply; the same curve gives each subnet's
alpha emission from its alpha issuance.

The Rust arithmetic is I96F32 (`1 / (1 - issuance / 21e15)`, `floor(log2)`, `2^-k · 1e9`); with
32 fractional bits it is exact here: halving k happens at `issuance ≥ 21e15 · (1 - 2^-k)`
and the emission is `1e9 >> k` (0 from k = 30 on, before the fixed point's k = 32 limit)."""

from __future__ import annotations

from .storage import BlockEmission

__all__ = ["DEFAULT_BLOCK_EMISSION", "TOTAL_SUPPLY", "get_block_emission", "get_block_emission_for_issuance", "halvings"]

#: `TotalSupply` (21M TAO) and `DefaultBlockEmission` (1 TAO), in rao.
TOTAL_SUPPLY = 21_000_000_000_000_000
DEFAULT_BLOCK_EMISSION = 1_000_000_000


def halvings(issuance: int) -> int:
    """`floor(log2(1 / (1 - issuance / 21e15)))` for `issuance < 21e15`."""
    k = 0
    while (TOTAL_SUPPLY - issuance) << (k + 1) <= TOTAL_SUPPLY:
        k += 1
    return k


def get_block_emission_for_issuance(issuance: int) -> int:
    """The emission for `issuance` (rao or alpha); 0 once it reaches the supply. Records
    `BlockEmission` when it differs, as Rust does, also when called with an alpha issuance."""
    emission = 0 if issuance >= TOTAL_SUPPLY else DEFAULT_BLOCK_EMISSION >> halvings(issuance)
    if BlockEmission.get() != emission:
        BlockEmission.put(emission)
    return emission


def get_block_emission() -> int:
    """The TAO block emission from SubtensorModule's `TotalIssuance`."""
    from ..staking.storage import TotalIssuance

    return get_block_emission_for_issuance(TotalIssuance.get())
