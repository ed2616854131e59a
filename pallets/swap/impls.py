"""The pool's behaviour (`pallets/swap/src/pallet/{impls.rs,swap_step.rs}`): price, lazy
initialisation, protocol liquidity, fees, and the swap itself with its price limit.

A swap is a buy (TAO in, alpha out: `GetAlphaForTao`) or a sell (alpha in, TAO out:
`GetTaoForAlpha`). The pool only reads the reserves (SubtensorModule's `SubnetTAO` and
`SubnetAlphaIn`, through the Config); the caller moves them by the result. Prices are U64F64
bits; limit prices in calls are rao per alpha (`U64F64(limit) / 1e9`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from pysubtensor.pallets.subtensor.config import SwapResult
from pysubtensor.primitives import externalities
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.per_things import PERQUINTILL
from pysubtensor.primitives.slots_dataclass import slots_dataclass

from .balancer import HALF, Balancer, BalancerError
from .pallet import AlphaSqrtPrice, Error, FeeRate, PalSwapInitialized, SwapBalancer, pallet

__all__ = [
    "MAX_PRICE", "MAX_SWAP_INPUT_RESERVE_MULTIPLIER", "MIN_PRICE", "adjust_protocol_liquidity",
    "calculate_fee_amount", "current_price", "do_clear_protocol_liquidity", "do_swap", "limit_price_of_rao",
    "maybe_initialize_palswap", "refresh_alpha_sqrt_prices", "sqrt_price", "swap_step_of",
]

#: `max_price_inner` / `min_price_inner`: the default limits of a buy and a sell, rao per alpha.
MAX_PRICE = 1_000_000_000_000_000
MIN_PRICE = 1_000
#: A swap's net input may be at most this many times the input-side reserve.
MAX_SWAP_INPUT_RESERVE_MULTIPLIER = 1_000
_U64_MAX = (1 << 64) - 1
_U16_MAX = 65_535
_ONE = U64F64.from_num(1)
_RAO_PER_TAO = U64F64.saturating_from_num(1_000_000_000)
T = TypeVar("T")


def _config():
    return pallet.config


def _reserves(netuid: int) -> tuple[int, int]:
    """(TAO reserve y, alpha reserve x)."""
    cfg = _config()
    return cfg.tao_reserve.reserve(netuid), cfg.alpha_reserve.reserve(netuid)


def current_price(netuid: int) -> int:
    """`current_price`: (w1/w2)·(y/x) for a dynamic subnet (0 with no alpha reserve), 1.0 else."""
    if _config().subnet_info.mechanism(netuid) != 1:
        return _ONE
    tao, alpha = _reserves(netuid)
    if alpha == 0:
        return 0
    return SwapBalancer.get(netuid).calculate_price(alpha, tao)


def sqrt_price(price: int) -> int:
    """√price in U64F64, floored: what `AlphaSqrtPrice` holds for clients that square it."""
    from math import isqrt
    return isqrt(price << 64)


def refresh_alpha_sqrt_prices() -> None:
    """Keep `AlphaSqrtPrice` equal to √(pool price) for every dynamic subnet, and absent for
    the others (bittensor 10.x and btcli 9.x read the map for every price they show)."""
    info = _config().subnet_info
    dynamic = {netuid for netuid in info.netuids() if info.mechanism(netuid) == 1}
    for netuid in [n for n, _ in AlphaSqrtPrice.iter() if n not in dynamic]:
        AlphaSqrtPrice.remove(netuid)
    for netuid in sorted(dynamic):
        value = sqrt_price(current_price(netuid))
        if not AlphaSqrtPrice.contains_key(netuid) or AlphaSqrtPrice.get(netuid) != value:
            AlphaSqrtPrice.insert(netuid, value)


@pallet.hook_on_finalize
def on_finalize(_n: int) -> None:
    # The reserves change in SubtensorModule (swaps, registrations, emission); one refresh
    # per block keeps the V3-era view consistent whoever moved them.
    refresh_alpha_sqrt_prices()


def maybe_initialize_palswap(netuid: int, maybe_price: int | None) -> None:
    """Create the subnet's Balancer once: weights 0.5/0.5, or, given a price p, the quote
    weight y/(p·x + y) that keeps p. `ReservesOutOfBalance` if that weight is out of range."""
    if PalSwapInitialized.get(netuid):
        return
    tao, alpha = _reserves(netuid)
    if maybe_price is not None:
        px_high = min(U64F64.saturating_to_num(maybe_price) * alpha, (1 << 128) - 1)
        px_low = U64F64.saturating_to_num(
            U64F64.saturating_mul(U64F64.saturating_from_num(alpha), U64F64.frac_part(maybe_price)), int_bits=128)
        px_plus_y = min(px_high + px_low + tao, (1 << 128) - 1)
        if px_plus_y == 0:
            raise Error.ReservesOutOfBalance()
        quote = PERQUINTILL.from_rational(tao, px_plus_y)
    else:
        quote = HALF
    try:
        balancer = Balancer.new(quote)
    except BalancerError:
        raise Error.ReservesOutOfBalance() from None
    SwapBalancer.insert(netuid, balancer)
    PalSwapInitialized.insert(netuid, True)


def adjust_protocol_liquidity(netuid: int, tao_delta: int, alpha_delta: int) -> tuple[int, int]:
    """Re-weight the pool so that adding (Δτ, Δα) keeps the price; returns what may be
    added: both deltas, or (0, 0) when a weight would leave its range."""
    tao, alpha = _reserves(netuid)
    try:
        balancer = SwapBalancer.get(netuid).update_weights_for_added_liquidity(tao, alpha, tao_delta, alpha_delta)
    except BalancerError:
        return 0, 0
    SwapBalancer.insert(netuid, balancer)
    return tao_delta, alpha_delta


def do_clear_protocol_liquidity(netuid: int) -> None:
    """Burn both reserves and forget the subnet's pool (subnet dissolution)."""
    cfg = _config()
    tao, alpha = _reserves(netuid)
    cfg.tao_reserve.decrease_provided(netuid, tao)
    cfg.alpha_reserve.decrease_provided(netuid, alpha)
    PalSwapInitialized.remove(netuid)
    FeeRate.remove(netuid)
    SwapBalancer.remove(netuid)


def calculate_fee_amount(netuid: int, amount: int, drop_fees: bool) -> int:
    """floor(amount · FeeRate/65535) on a dynamic subnet (U64F64); 0 otherwise or if dropped."""
    if drop_fees or _config().subnet_info.mechanism(netuid) != 1:
        return 0
    return _fee_of(FeeRate.get(netuid), amount)


@lru_cache(maxsize=64)
def _fee_fraction(fee_rate: int) -> int:
    """FeeRate/65535 in U64F64 (computed once per rate)."""
    return U64F64.safe_div(U64F64.saturating_from_num(fee_rate), U64F64.saturating_from_num(_U16_MAX))


def _fee_of(fee_rate: int, amount: int) -> int:
    return U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(amount), _fee_fraction(fee_rate)))


def limit_price_of_rao(price_limit: int) -> int:
    """A limit in rao per alpha as a U64F64 price (`U64F64(limit) / 1e9`)."""
    return U64F64.safe_div(U64F64.saturating_from_num(price_limit), _RAO_PER_TAO)


# -- the swap step -------------------------------------------------------------------------

@slots_dataclass
class _Pool:
    """What a swap reads, read once: nothing it depends on changes during it (the reserves
    move in the caller, by the result)."""

    dynamic: bool
    tao: int
    alpha: int
    fee_rate: int
    balancer: Balancer

    def price(self) -> int:
        """`current_price` of this pool."""
        if not self.dynamic:
            return _ONE
        if self.alpha == 0:
            return 0
        return self.balancer.calculate_price(self.alpha, self.tao)

    def fee(self, amount: int, drop_fees: bool) -> int:
        """`calculate_fee_amount` of this pool."""
        return 0 if drop_fees or not self.dynamic else _fee_of(self.fee_rate, amount)


def _pool(netuid: int) -> _Pool:
    """The pool as a swap on `netuid` sees it now."""
    tao, alpha = _reserves(netuid)
    return _Pool(_config().subnet_info.mechanism(netuid) == 1, tao, alpha, FeeRate.get(netuid),
                 SwapBalancer.get(netuid))


def _convert_deltas(pool: _Pool, buy: bool, delta_in: int) -> int:
    """The output for `delta_in` net input: x·(1 - (y/(y+Δy))^(w2/w1)) for a buy,
    y·(1 - (x/(x+Δx))^(w1/w2)) for a sell."""
    if buy:
        e, reserve_out = pool.balancer.exp_quote_base(pool.tao, delta_in), pool.alpha
    else:
        e, reserve_out = pool.balancer.exp_base_quote(pool.alpha, delta_in), pool.tao
    return U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(reserve_out),
                                                          U64F64.saturating_sub(_ONE, e)))


def _price_after(pool: _Pool, buy: bool, delta_in: int, out: int) -> int:
    """The price after `delta_in` were swapped for `out`."""
    if buy:
        return pool.balancer.calculate_price(max(pool.alpha - out, 0), min(pool.tao + delta_in, _U64_MAX))
    return pool.balancer.calculate_price(min(pool.alpha + delta_in, _U64_MAX), max(pool.tao - out, 0))


def _swap_step(pool: _Pool, buy: bool, amount: int, limit_price: int, drop_fees: bool) -> SwapResult:
    """`BasicSwapStep::execute`: the whole net amount if its price stays within the limit,
    else the amount that takes the price exactly to the limit (fee recomputed on it)."""
    fee = pool.fee(amount, drop_fees)
    requested = max(amount - fee, 0)
    requested_out = _convert_deltas(pool, buy, requested)
    target = _price_after(pool, buy, requested, requested_out)
    within = target <= limit_price if buy else target >= limit_price
    if within:
        delta_in, delta_out = requested, requested_out
    else:
        current = pool.price()
        delta_in = (pool.balancer.calculate_quote_delta_in(current, limit_price, pool.tao) if buy
                    else pool.balancer.calculate_base_delta_in(current, limit_price, pool.alpha))
        rate = 0 if drop_fees else U64F64.saturating_from_num(pool.fee_rate)
        factor = U64F64.safe_div(rate, U64F64.saturating_sub(U64F64.saturating_from_num(_U16_MAX), rate))
        fee = U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(delta_in), factor))
        delta_out = _convert_deltas(pool, buy, delta_in)
    fee_to_block_author = 0
    if delta_in:
        if not delta_out:
            raise Error.ReservesTooLow()
        fee_to_block_author = fee
    return SwapResult(amount_paid_in=delta_in, amount_paid_out=delta_out, fee_paid=fee,
                      fee_to_block_author=fee_to_block_author)


@lru_cache(maxsize=256)
def swap_step_of(dynamic: bool, tao: int, alpha: int, fee_rate: int, balancer: Balancer, buy: bool, amount: int,
                 limit_price: int, drop_fees: bool) -> SwapResult:
    """`_swap_step` on the pool these values make (a pure function of them; the result is
    immutable). Remembered: a staking call simulates the swap it then makes (its validation,
    then the call itself) on the same pool, with the same amount and limit."""
    return _swap_step(_Pool(dynamic, tao, alpha, fee_rate, balancer), buy, amount, limit_price, drop_fees)


def _in_layer(body: Callable[[], T], keep: Callable[[T], bool]) -> T:
    """Run `body` in a storage layer: kept if `keep(result)`, rolled back otherwise or on error."""
    overlay = externalities.current().overlay
    overlay.start_transaction()
    try:
        result = body()
    except BaseException:
        overlay.rollback_transaction()
        raise
    if keep(result):
        overlay.commit_transaction()
    else:
        overlay.rollback_transaction()
    return result


def do_swap(netuid: int, buy: bool, amount: int, limit_price: int, drop_fees: bool, simulate: bool,
            dynamic: bool | None = None) -> SwapResult:
    """`do_swap`: checks, lazy initialisation, the swap step. A simulation leaves no trace; a
    real swap paying out more than the output reserve fails with `InsufficientLiquidity`
    (its initialisation kept, as the Rust commits before returning the error). `dynamic`:
    whether the subnet's mechanism is 1, when the caller has just read it."""
    cfg = _config()
    tao, alpha = _reserves(netuid)
    if dynamic is None:
        dynamic = cfg.subnet_info.mechanism(netuid) == 1
    fee_rate = FeeRate.get(netuid)
    reserve_in, reserve_out = (tao, alpha) if buy else (alpha, tao)
    initialized = PalSwapInitialized.get(netuid)

    def body() -> SwapResult:
        fee = _fee_of(fee_rate, amount) if dynamic and not drop_fees else 0
        if max(amount - fee, 0) > min(reserve_in * MAX_SWAP_INPUT_RESERVE_MULTIPLIER, _U64_MAX):
            raise Error.SwapInputTooLarge()
        if reserve_out < cfg.minimum_reserve:
            raise Error.ReservesTooLow()
        if not initialized:
            maybe_initialize_palswap(netuid, None)
        # Read after the initialisation, which may have written it.
        balancer = SwapBalancer.get(netuid)
        price = _Pool(dynamic, tao, alpha, fee_rate, balancer).price()
        if not (price < limit_price if buy else price > limit_price):
            raise Error.PriceLimitExceeded()
        return swap_step_of(dynamic, tao, alpha, fee_rate, balancer, buy, amount, limit_price, drop_fees)

    # The initialisation is the only write before the swap step: on an initialised pool there
    # is nothing for a storage layer to keep or roll back (the usual case, every swap after
    # the subnet's first).
    result = body() if initialized else _in_layer(body, keep=lambda _: not simulate)
    if not simulate and reserve_out < result.amount_paid_out:
        raise Error.InsufficientLiquidity()
    return result
