"""Fee arithmetic of `pallet_transaction_payment::Pallet` (compute_fee and friends), the
`TransactionPaymentApi` queries, and `ChargeTransactionPayment::get_priority`.

`info.weight` is the weight the fee is charged for: the call's declared weight plus the
weights of the transaction extensions (`DispatchInfo::total_weight()` in Rust); the executive
builds that `DispatchInfo`.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DispatchClass, DispatchInfo, Pays, PostDispatchInfo, Weight
from pysubtensor.pallets.transaction_payment import (
    Constants,
    NextFeeMultiplier,
    pallet,
)
from pysubtensor.pallets.transaction_payment.types import FeeDetails, InclusionFee, RuntimeDispatchInfo

__all__ = [
    "compute_actual_fee",
    "compute_actual_fee_details",
    "compute_fee",
    "compute_fee_details",
    "compute_fee_raw",
    "get_priority",
    "length_to_fee",
    "multiplier_mul_int",
    "query_fee_details",
    "query_info",
    "weight_to_fee",
]

_U64_MAX = (1 << 64) - 1


def multiplier_mul_int(multiplier: int, n: int) -> int:
    """`FixedU128::saturating_mul_int`: `n * multiplier`, rounded down, saturating at u64."""
    return min(multiplier * n // 10**18, _U64_MAX)


def weight_to_fee(weight: Weight) -> int:
    """The unadjusted fee of `weight`, capped at the maximum block weight first."""
    config = pallet.config
    capped = Weight(min(weight.ref_time, config.max_block.ref_time),
                    min(weight.proof_size, config.max_block.proof_size))
    return config.weight_to_fee(capped)


def length_to_fee(length: int) -> int:
    return pallet.config.length_to_fee(length)


def compute_fee_raw(length: int, weight: Weight, tip: int, pays_fee: str, dispatch_class: str) -> FeeDetails:
    if pays_fee != Pays.YES:
        return FeeDetails(None, tip)
    base_fee, len_fee, weight_fee = _fee_parts(length, weight, dispatch_class)
    adjusted_weight_fee = multiplier_mul_int(NextFeeMultiplier.get(), weight_fee)
    return FeeDetails(InclusionFee(base_fee, len_fee, adjusted_weight_fee), tip)


def _fee_parts(length: int, weight: Weight, dispatch_class: str) -> tuple[int, int, int]:
    """(base fee, length fee, weight fee before the multiplier): functions of the bound
    config and the arguments alone, so remembered per config (a rebinding starts afresh;
    a block's transactions share a few shapes). The multiplier is storage: read each time."""
    config = pallet.config
    if _FEE_PARTS_CONFIG[0] is not config:
        _FEE_PARTS.clear()
        _FEE_PARTS_CONFIG[0] = config
    key = (length, weight.ref_time, weight.proof_size, dispatch_class)
    parts = _FEE_PARTS.get(key)
    if parts is None:
        parts = (weight_to_fee(config.base_extrinsic[dispatch_class]), length_to_fee(length), weight_to_fee(weight))
        if len(_FEE_PARTS) >= _FEE_PARTS_SIZE:
            _FEE_PARTS.clear()
        _FEE_PARTS[key] = parts
    return parts


_FEE_PARTS: dict[tuple[int, int, int, str], tuple[int, int, int]] = {}
_FEE_PARTS_CONFIG: list[object] = [None]
_FEE_PARTS_SIZE = 4096


def compute_fee_details(length: int, info: DispatchInfo, tip: int) -> FeeDetails:
    return compute_fee_raw(length, info.weight, tip, info.pays_fee, info.dispatch_class)


def compute_fee(length: int, info: DispatchInfo, tip: int) -> int:
    """The fee charged before dispatch: `base + len + multiplier * weight fee + tip`."""
    return compute_fee_details(length, info, tip).final_fee()


def compute_actual_fee_details(length: int, info: DispatchInfo, post_info: PostDispatchInfo,
                               tip: int) -> FeeDetails:
    return compute_fee_raw(length, post_info.calc_actual_weight(info), tip, post_info.pays(info),
                           info.dispatch_class)


def compute_actual_fee(length: int, info: DispatchInfo, post_info: PostDispatchInfo, tip: int) -> int:
    """The fee after dispatch, by the weight the call really used (never more than declared)."""
    return compute_actual_fee_details(length, info, post_info, tip).final_fee()


def query_info(info: DispatchInfo, length: int, *, bare: bool = False) -> RuntimeDispatchInfo:
    """`TransactionPaymentApi.query_info` / `TransactionPaymentCallApi.query_call_info`: the
    fee without tip (zero for a bare extrinsic)."""
    partial_fee = 0 if bare else compute_fee(length, info, 0)
    return RuntimeDispatchInfo(info.weight, info.dispatch_class, partial_fee)


def query_fee_details(info: DispatchInfo, length: int, *, bare: bool = False) -> FeeDetails:
    """`TransactionPaymentApi.query_fee_details` / `query_call_fee_details`."""
    if bare:
        return FeeDetails(None, 0)
    return compute_fee_details(length, info, 0)


def get_priority(info: DispatchInfo, length: int, tip: int, final_fee: int) -> int:
    """`ChargeTransactionPayment::get_priority`: the tip scaled by how many such transactions
    fit in a block (by weight or length, whichever is scarcer); `Operational` calls add a
    virtual tip of `final_fee * OperationalFeeMultiplier`.

    (Subtensor's `ChargeTransactionPaymentWrapper` then overrides the priority with a
    constant per class: 1 for Normal and Mandatory, 10_000_000_000 for Operational.)"""
    config = pallet.config
    max_block = config.max_block
    max_length = config.max_block_length[info.dispatch_class]
    w = info.weight
    bounded = Weight(min(max(w.ref_time, 1), max_block.ref_time), min(max(w.proof_size, 1), max_block.proof_size))
    bounded_length = min(max(length, 1), max_length)
    per_weight = min(max_block.ref_time // bounded.ref_time, max_block.proof_size // bounded.proof_size)
    per_length = max_length // bounded_length
    max_tx_per_block = min(per_length, per_weight, _U64_MAX)
    scaled_tip = min(min(tip + 1, _U64_MAX) * max_tx_per_block, _U64_MAX)
    if info.dispatch_class != DispatchClass.OPERATIONAL:
        return scaled_tip
    virtual_tip = min(final_fee * Constants.OperationalFeeMultiplier, _U64_MAX)
    return min(scaled_tip + min(virtual_tip * max_tx_per_block, _U64_MAX), _U64_MAX)
