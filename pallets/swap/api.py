"""`SwapRuntimeApi` (pallets/swap/runtime-api, implemented in the runtime's lib.rs): the price
of one or all subnets in rao per alpha, and simulated swaps with their fee and slippage
against the no-slippage amount at the current price."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.types import ALPHA_BALANCE, NETUID, TAO_BALANCE
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.scale import U64, Field, Struct, Vec

from . import handler, impls
from .pallet import pallet

__all__ = ["SIM_SWAP_RESULT", "SUBNET_PRICE", "SwapRuntimeApi"]

SwapRuntimeApi = RuntimeApi("SwapRuntimeApi", 1, ())

SUBNET_PRICE = Struct(("pallet_subtensor_swap_runtime_api", "SubnetPrice"),
                      (Field("netuid", NETUID, "NetUid"), Field("price", U64, "u64")))
SIM_SWAP_RESULT = Struct(("pallet_subtensor_swap_runtime_api", "SimSwapResult"), tuple(
    Field(name, TAO_BALANCE if kind == "tao" else ALPHA_BALANCE, "TaoBalance" if kind == "tao" else "AlphaBalance")
    for name, kind in (("tao_amount", "tao"), ("alpha_amount", "alpha"), ("tao_fee", "tao"),
                       ("alpha_fee", "alpha"), ("tao_slippage", "tao"), ("alpha_slippage", "alpha"))))
_ZERO = dict.fromkeys(("tao_amount", "alpha_amount", "tao_fee", "alpha_fee", "tao_slippage", "alpha_slippage"), 0)
_RAO_PER_TAO = U64F64.saturating_from_num(1_000_000_000)


@SwapRuntimeApi.method("current_alpha_price", (("netuid", NETUID),), U64)
def current_alpha_price(netuid: int) -> int:
    """price · 1e9, floored (saturating)."""
    return U64F64.saturating_to_num(U64F64.saturating_mul(impls.current_price(netuid), _RAO_PER_TAO))


@SwapRuntimeApi.method("current_alpha_price_all", (), Vec(SUBNET_PRICE))
def current_alpha_price_all() -> list[dict]:
    return [{"netuid": netuid, "price": current_alpha_price(netuid)}
            for netuid in pallet.config.subnet_info.netuids()]


@SwapRuntimeApi.method("sim_swap_tao_for_alpha", (("netuid", NETUID), ("tao", TAO_BALANCE)), SIM_SWAP_RESULT)
def sim_swap_tao_for_alpha(netuid: int, tao: int) -> dict:
    price = impls.current_price(netuid)
    no_slippage_alpha = U64F64.saturating_to_num(U64F64.safe_div(U64F64.saturating_from_num(tao), price))
    try:
        sr = handler.sim_swap_tao_for_alpha(netuid, tao)
    except DispatchError:
        return dict(_ZERO)
    return {"tao_amount": sr.amount_paid_in, "alpha_amount": sr.amount_paid_out, "tao_fee": sr.fee_paid,
            "alpha_fee": 0, "tao_slippage": 0, "alpha_slippage": max(no_slippage_alpha - sr.amount_paid_out, 0)}


@SwapRuntimeApi.method("sim_swap_alpha_for_tao", (("netuid", NETUID), ("alpha", ALPHA_BALANCE)), SIM_SWAP_RESULT)
def sim_swap_alpha_for_tao(netuid: int, alpha: int) -> dict:
    price = impls.current_price(netuid)
    no_slippage_tao = U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(alpha), price))
    try:
        sr = handler.sim_swap_alpha_for_tao(netuid, alpha)
    except DispatchError:
        return dict(_ZERO)
    return {"tao_amount": sr.amount_paid_out, "alpha_amount": sr.amount_paid_in, "tao_fee": 0,
            "alpha_fee": sr.fee_paid, "tao_slippage": max(no_slippage_tao - sr.amount_paid_out, 0),
            "alpha_slippage": 0}
