"""`impl SwapHandler for Pallet<T>`: the pool as SubtensorModule uses it (its `SwapInterface`,
pallets/subtensor/config.py). Bound by the runtime as `swap=`; amounts in rao, limit prices in
rao per alpha, prices as U64F64 bits."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.config import SwapResult
from pysubtensor.primitives.fixed import U64F64

from . import impls
from .pallet import Error, pallet

__all__ = [
    "adjust_protocol_liquidity", "approx_fee_amount", "clear_protocol_liquidity", "current_alpha_price",
    "get_alpha_amount_for_tao", "init_swap", "max_price", "min_price", "sim_swap_alpha_for_tao",
    "sim_swap_tao_for_alpha", "swap_alpha_for_tao", "swap_tao_for_alpha",
]


def swap_tao_for_alpha(netuid: int, tao: int, price_limit: int, drop_fees: bool,
                       should_rollback: bool = False) -> SwapResult:
    """Buy alpha with `tao` (gross, fee included) up to the limit price (`SwapEngine::swap`)."""
    return impls.do_swap(netuid, True, tao, impls.limit_price_of_rao(price_limit), drop_fees, should_rollback)


def swap_alpha_for_tao(netuid: int, alpha: int, price_limit: int, drop_fees: bool,
                       should_rollback: bool = False) -> SwapResult:
    """Sell `alpha` (gross, fee included) down to the limit price."""
    return impls.do_swap(netuid, False, alpha, impls.limit_price_of_rao(price_limit), drop_fees, should_rollback)


#: The default limits as U64F64 prices.
_MAX_LIMIT = impls.limit_price_of_rao(impls.MAX_PRICE)
_MIN_LIMIT = impls.limit_price_of_rao(impls.MIN_PRICE)


def _sim(netuid: int, buy: bool, amount: int) -> SwapResult:
    info = pallet.config.subnet_info
    if info.mechanism(netuid) == 1:
        return impls.do_swap(netuid, buy, amount, _MAX_LIMIT if buy else _MIN_LIMIT, False, True, dynamic=True)
    actual = amount if info.exists(netuid) else 0
    return SwapResult(amount_paid_in=actual, amount_paid_out=actual, fee_paid=0, fee_to_block_author=0)


def sim_swap_tao_for_alpha(netuid: int, tao: int) -> SwapResult:
    """`sim_swap` of a buy at the default limit, fees kept, nothing written; 1:1 on a stable
    subnet (0 if it does not exist)."""
    return _sim(netuid, True, tao)


def sim_swap_alpha_for_tao(netuid: int, alpha: int) -> SwapResult:
    return _sim(netuid, False, alpha)


def approx_fee_amount(netuid: int, amount: int) -> int:
    return impls.calculate_fee_amount(netuid, amount, False)


def current_alpha_price(netuid: int) -> int:
    """The subnet's price (U64F64 bits; 1.0 for a stable subnet)."""
    return impls.current_price(netuid)


def max_price() -> int:
    return impls.MAX_PRICE


def min_price() -> int:
    return impls.MIN_PRICE


def adjust_protocol_liquidity(netuid: int, tao_delta: int, alpha_delta: int) -> tuple[int, int]:
    return impls.adjust_protocol_liquidity(netuid, tao_delta, alpha_delta)


def clear_protocol_liquidity(netuid: int) -> None:
    impls.do_clear_protocol_liquidity(netuid)


def init_swap(netuid: int, maybe_price: int | None) -> None:
    """Initialise the pool if it is not (errors ignored, as `unwrap_or_default`)."""
    try:
        impls.maybe_initialize_palswap(netuid, maybe_price)
    except Error.ReservesOutOfBalance:
        pass


def get_alpha_amount_for_tao(netuid: int, tao: int) -> int:
    """Alpha worth `tao` at the current price, slippage neglected."""
    if pallet.config.subnet_info.mechanism(netuid) != 1:
        return tao
    return U64F64.saturating_to_num(U64F64.safe_div(U64F64.saturating_from_num(tao), impls.current_price(netuid)))
