"""The `CheckWeight` transaction extension's logic: an extrinsic must fit its class's
limits and the block's remaining weight and length; applying it notes its weight and
length in `BlockWeight` and `AllExtrinsicsLen`.

Validation (`do_validate`) checks only the length and the single-extrinsic limit, as in
frame-system (the pool validates against an empty block); `do_prepare` adds the extrinsic to
the block's totals, failing if a class or the block would overflow. The extrinsic's length
also counts as proof size. Failures raise `TransactionValidityError` with
`InvalidTransaction::ExhaustsResources`.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DispatchInfo, Weight
from pysubtensor.primitives.transaction_validity import InvalidTransaction, TransactionValidityError

from .block import all_extrinsics_len
from .limits import U64_MAX
from .pallet import AllExtrinsicsLen, BlockWeight, Constants
from .types import BlockWeights as BlockWeightsType
from .types import PerDispatchClass

__all__ = [
    "calculate_consumed_weight",
    "check_block_length",
    "check_extrinsic_weight",
    "do_prepare",
    "do_validate",
    "validate_and_prepare",
]

_U32_MAX = 0xFFFF_FFFF


def _exhausts_resources() -> TransactionValidityError:
    return TransactionValidityError.invalid(InvalidTransaction.EXHAUSTS_RESOURCES)


def _any_gt(a: Weight, b: Weight) -> bool:
    return a.ref_time > b.ref_time or a.proof_size > b.proof_size


def check_extrinsic_weight(info: DispatchInfo) -> None:
    """The extrinsic alone must not exceed its class's `max_extrinsic`."""
    limit = Constants.BlockWeights.get(info.dispatch_class).max_extrinsic
    if limit is not None and _any_gt(info.weight, limit):
        raise _exhausts_resources()


def check_block_length(info: DispatchInfo, length: int) -> int:
    """The block's extrinsics with this one must fit the class's length limit; returns the
    new total length."""
    next_len = min(all_extrinsics_len() + length, _U32_MAX)
    limit = Constants.BlockLength.max.get(info.dispatch_class)
    if next_len > limit:
        raise _exhausts_resources()
    return next_len


def calculate_consumed_weight(limits: BlockWeightsType, consumed: PerDispatchClass, info: DispatchInfo,
                              length: int) -> PerDispatchClass:
    """The block's consumed weight with this extrinsic added (or ExhaustsResources)."""
    cls = info.dispatch_class
    extrinsic_weight = info.weight.saturating_add(limits.get(cls).base_extrinsic).saturating_add(Weight(0, length))
    class_limit = limits.get(cls)
    current = consumed.get(cls)
    if class_limit.max_total is None and class_limit.reserved is None:
        per_class = current.saturating_add(extrinsic_weight)
    else:
        per_class = current + extrinsic_weight
        if per_class.ref_time > U64_MAX or per_class.proof_size > U64_MAX:
            raise _exhausts_resources()
    consumed = consumed.with_value(cls, per_class)
    if class_limit.max_total is not None and _any_gt(per_class, class_limit.max_total):
        raise _exhausts_resources()
    if _any_gt(consumed.total(), limits.max_block):
        # Over the block limit: only a class's reserved pool may take it.
        if class_limit.reserved is not None and _any_gt(per_class, class_limit.reserved):
            raise _exhausts_resources()
    return consumed


def do_validate(info: DispatchInfo, length: int) -> int:
    """Pool validation: length and single-extrinsic limit. Returns the next block length."""
    next_len = check_block_length(info, length)
    check_extrinsic_weight(info)
    return next_len


def do_prepare(info: DispatchInfo, length: int, next_len: int) -> None:
    """Before dispatch: note the extrinsic's weight and length in the block's totals."""
    consumed = calculate_consumed_weight(Constants.BlockWeights, BlockWeight.get(), info, length)
    AllExtrinsicsLen.put(next_len)
    BlockWeight.put(consumed)


def validate_and_prepare(info: DispatchInfo, length: int) -> None:
    """`bare_validate_and_prepare`, what applying an extrinsic does (signed or not)."""
    do_prepare(info, length, do_validate(info, length))
