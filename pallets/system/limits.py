"""Block resource limits (frame_system::limits) and subtensor's values for them.

The builders follow `BlockWeights::with_sensible_defaults` and
`BlockLength::max_with_normal_ratio`; the inputs are subtensor's `runtime/src/lib.rs`
(4 s of ref time per block, 75% for normal dispatches, 10 MiB blocks) and frame-support's
benchmarked base weights. tests/unit/test_system.py checks the results against the
`BlockWeights`, `BlockLength` and `DbWeight` constants in the real runtime's metadata.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, DispatchClass, Weight

from .types import BlockLength, BlockWeights, PerDispatchClass, WeightsPerClass

__all__ = [
    "BLOCK_EXECUTION_WEIGHT",
    "EXTRINSIC_BASE_WEIGHT",
    "MAXIMUM_BLOCK_WEIGHT",
    "NORMAL_DISPATCH_RATIO",
    "ROCKS_DB_WEIGHT",
    "SUBTENSOR_BLOCK_LENGTH",
    "SUBTENSOR_BLOCK_WEIGHTS",
    "U64_MAX",
    "WEIGHT_REF_TIME_PER_SECOND",
    "block_length_max_with_normal_ratio",
    "block_weights_with_sensible_defaults",
    "perbill_mul",
]

U64_MAX = (1 << 64) - 1
WEIGHT_REF_TIME_PER_SECOND = 1_000_000_000_000
PERBILL = 1_000_000_000

#: frame-support `BlockExecutionWeight` / `ExtrinsicBaseWeight` (benchmarked constants).
BLOCK_EXECUTION_WEIGHT = Weight(431_614_000, 0)
EXTRINSIC_BASE_WEIGHT = Weight(108_157_000, 0)

#: subtensor `MAXIMUM_BLOCK_WEIGHT` and `NORMAL_DISPATCH_RATIO` (Perbill parts).
MAXIMUM_BLOCK_WEIGHT = Weight(4 * WEIGHT_REF_TIME_PER_SECOND, U64_MAX)
NORMAL_DISPATCH_RATIO = 750_000_000
#: frame-system `DEFAULT_INITIALIZATION_RATIO`: 10% of a block is kept for initialization.
_INITIALIZATION_RATIO = 100_000_000


def perbill_mul(parts: int, n: int) -> int:
    """`Perbill::from_parts(parts) * n`, rounding to nearest with halves down, as sp-arithmetic."""
    q, r = divmod(n * parts, PERBILL)
    return q + 1 if 2 * r > PERBILL else q


def _perbill_weight(parts: int, w: Weight) -> Weight:
    return Weight(perbill_mul(parts, w.ref_time), perbill_mul(parts, w.proof_size))


def block_weights_with_sensible_defaults(expected_block_weight: Weight, normal_ratio: int) -> BlockWeights:
    """`BlockWeights::with_sensible_defaults`: normal dispatches get `normal_ratio` of the
    block, operational ones the whole block with the rest reserved for them, mandatory ones
    are unlimited; single extrinsics leave room for the 10% initialization cost."""
    normal = _perbill_weight(normal_ratio, expected_block_weight)
    max_total = {
        DispatchClass.NORMAL: normal,
        DispatchClass.OPERATIONAL: expected_block_weight,
        DispatchClass.MANDATORY: None,
    }
    reserved = {
        DispatchClass.NORMAL: Weight(0, 0),
        DispatchClass.OPERATIONAL: expected_block_weight.saturating_sub(normal),
        DispatchClass.MANDATORY: None,
    }
    # `build()`: the block maximum is the largest class maximum ...
    max_block = Weight(0, 0)
    for cls in DispatchClass.ALL:
        m = max_total[cls]
        if m is not None:
            max_block = Weight(max(m.ref_time, max_block.ref_time), max(m.proof_size, max_block.proof_size))
    # ... and one extrinsic may use its class maximum less initialization and its base weight.
    init_weight = _perbill_weight(_INITIALIZATION_RATIO, max_block)
    per_class = {}
    for cls in DispatchClass.ALL:
        m = max_total[cls]
        max_extrinsic = None if m is None else m.saturating_sub(init_weight).saturating_sub(EXTRINSIC_BASE_WEIGHT)
        per_class[cls] = WeightsPerClass(EXTRINSIC_BASE_WEIGHT, max_extrinsic, m, reserved[cls])
    return BlockWeights(
        base_block=BLOCK_EXECUTION_WEIGHT,
        max_block=max_block,
        per_class=PerDispatchClass(per_class[DispatchClass.NORMAL], per_class[DispatchClass.OPERATIONAL],
                                   per_class[DispatchClass.MANDATORY]),
    )


def block_length_max_with_normal_ratio(max_len: int, normal_ratio: int) -> BlockLength:
    """`BlockLength::max_with_normal_ratio`: normal extrinsics get `normal_ratio` of `max_len`."""
    return BlockLength(PerDispatchClass(perbill_mul(normal_ratio, max_len), max_len, max_len))


SUBTENSOR_BLOCK_WEIGHTS = block_weights_with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO)
SUBTENSOR_BLOCK_LENGTH = block_length_max_with_normal_ratio(10 * 1024 * 1024, NORMAL_DISPATCH_RATIO)
