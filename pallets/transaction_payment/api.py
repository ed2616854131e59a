"""`TransactionPaymentApi` and `TransactionPaymentCallApi`
(pallet_transaction_payment_rpc_runtime_api): fee queries. Both are generic, as in Rust, over
what only the composed runtime knows: its extrinsic type (and how to get an extrinsic's
dispatch info, extensions' weight included) and its `RuntimeCall` (and `GetDispatchInfo`).
The runtime instantiates them when it composes its APIs (no trait docs in the real metadata).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pysubtensor.pallets.support.dispatch import WEIGHT, DispatchInfo
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.pallets.transaction_payment import fees
from pysubtensor.pallets.transaction_payment.types import FEE_DETAILS, RUNTIME_DISPATCH_INFO
from pysubtensor.primitives.scale import U32, Codec
from pysubtensor.primitives.types import BALANCE

__all__ = ["ExtrinsicInfo", "transaction_payment_api", "transaction_payment_call_api"]

#: `(extrinsic bytes, API method name)` -> (DispatchInfo with the extensions' weight, whether
#: the extrinsic is bare); bytes that are no extrinsic raise `BadApiInput` naming the method.
ExtrinsicInfo = Callable[[bytes, str], tuple[DispatchInfo, bool]]


def _query_weight_to_fee(weight: Any) -> int:
    return fees.weight_to_fee(weight)


def _query_length_to_fee(length: int) -> int:
    return fees.length_to_fee(length)


def transaction_payment_api(extrinsic: Codec, extrinsic_info: ExtrinsicInfo) -> RuntimeApi:
    """`TransactionPaymentApi<Block, Balance>` over the runtime's `extrinsic` type."""
    api = RuntimeApi("TransactionPaymentApi", 4, ())

    @api.method("query_info", (("uxt", extrinsic), ("len", U32)), RUNTIME_DISPATCH_INFO)
    def query_info(uxt: bytes, length: int) -> Any:
        info, bare = extrinsic_info(uxt, "query_info")
        return fees.query_info(info, length, bare=bare)

    @api.method("query_fee_details", (("uxt", extrinsic), ("len", U32)), FEE_DETAILS)
    def query_fee_details(uxt: bytes, length: int) -> Any:
        info, bare = extrinsic_info(uxt, "query_fee_details")
        return fees.query_fee_details(info, length, bare=bare)

    api.method("query_weight_to_fee", (("weight", WEIGHT),), BALANCE)(_query_weight_to_fee)
    api.method("query_length_to_fee", (("length", U32),), BALANCE)(_query_length_to_fee)
    return api


def transaction_payment_call_api(call: Codec, dispatch_info: Callable[[Any], DispatchInfo]) -> RuntimeApi:
    """`TransactionPaymentCallApi<Block, Balance, Call>` over the runtime's `RuntimeCall`."""
    api = RuntimeApi("TransactionPaymentCallApi", 3, ())

    @api.method("query_call_info", (("call", call), ("len", U32)), RUNTIME_DISPATCH_INFO,
                "Query information of a dispatch class, weight, and fee of a given encoded `Call`.")
    def query_call_info(value: Any, length: int) -> Any:
        return fees.query_info(dispatch_info(value), length)

    @api.method("query_call_fee_details", (("call", call), ("len", U32)), FEE_DETAILS,
                "Query fee details of a given encoded `Call`.")
    def query_call_fee_details(value: Any, length: int) -> Any:
        return fees.query_fee_details(dispatch_info(value), length)

    api.method("query_weight_to_fee", (("weight", WEIGHT),), BALANCE,
               "Query the output of the current `WeightToFee` given some input.")(_query_weight_to_fee)
    api.method("query_length_to_fee", (("length", U32),), BALANCE,
               "Query the output of the current `LengthToFee` given some input.")(_query_length_to_fee)
    return api
