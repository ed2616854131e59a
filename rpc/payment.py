"""payment_*: fee queries through the runtime's `TransactionPaymentApi`
(pallet-transaction-payment-rpc; deprecated in favour of `state_call`, used by
py-substrate-interface only when `state_call` is missing).

`payment_queryInfo` → `{"weight": {"ref_time", "proof_size"}, "class": "normal",
"partialFee": "<decimal string>"}` (serde of `RuntimeDispatchInfo<Balance, Weight>`: the
weight keeps its snake_case fields, the fee is a string). `payment_queryFeeDetails` →
`{"inclusionFee": {"baseFee", "lenFee", "adjustedWeightFee"} | null}` with the balances as
`NumberOrHex` (JSON numbers for subtensor's u64). The length passed to the runtime is the
length of the bytes as sent (compact prefix included). Errors: 2 "Unable to query …" when
the bytes are not an extrinsic, 1 when the runtime call fails.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.node.api import BadApiInput, RuntimeApiError, UnknownBlockError, call_runtime_api
from pysubtensor.primitives.scale import U32

from .context import RpcContext
from .errors import ResponseError
from .params import U64_MAX, Param, hash32, hex_bytes
from .registry import Namespace

__all__ = ["api"]

api = Namespace("payment")

RUNTIME_ERROR = 1
DECODE_ERROR = 2


def _query(ctx: RpcContext, method: str, extrinsic: bytes, at: bytes | None, what: str) -> Any:
    node = ctx.node
    block = node.best_hash() if at is None else at
    try:
        return call_runtime_api(node, block, method, extrinsic + U32.encode(len(extrinsic)))
    except BadApiInput as e:
        raise ResponseError(DECODE_ERROR, what, str(e)) from None
    except (RuntimeApiError, UnknownBlockError) as e:
        raise ResponseError(RUNTIME_ERROR, what, str(e)) from None


def _dispatch_class(value: Any) -> str:
    """`DispatchClass` as serde writes it (camelCase): "normal", "operational", "mandatory"."""
    name = value[0] if isinstance(value, tuple) else str(value)
    return name[:1].lower() + name[1:]


def _number_or_hex(value: int) -> int | str:
    return value if value <= U64_MAX else hex(value)


@api.method("payment_queryInfo", Param("encoded_xt", hex_bytes), Param("at", hash32, optional=True))
def payment_queryInfo(ctx: RpcContext, encoded_xt: bytes, at: bytes | None) -> dict[str, Any]:
    info = _query(ctx, "TransactionPaymentApi_query_info", encoded_xt, at, "Unable to query dispatch info.")
    return {
        "weight": {"ref_time": info.weight.ref_time, "proof_size": info.weight.proof_size},
        "class": _dispatch_class(info.dispatch_class),
        "partialFee": str(info.partial_fee),
    }


@api.method("payment_queryFeeDetails", Param("encoded_xt", hex_bytes), Param("at", hash32, optional=True))
def payment_queryFeeDetails(ctx: RpcContext, encoded_xt: bytes, at: bytes | None) -> dict[str, Any]:
    details = _query(ctx, "TransactionPaymentApi_query_fee_details", encoded_xt, at, "Unable to query fee details.")
    fee = details.inclusion_fee
    return {
        "inclusionFee": None if fee is None else {
            "baseFee": _number_or_hex(fee.base_fee),
            "lenFee": _number_or_hex(fee.len_fee),
            "adjustedWeightFee": _number_or_hex(fee.adjusted_weight_fee),
        },
    }
