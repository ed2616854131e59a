"""The weighted (Balancer) pool's math (`pallets/swap/src/pallet/balancer.rs`).

x is the base reserve (alpha, `SubnetAlphaIn`), y the quote reserve (TAO, `SubnetTAO`); the
weights w1 (base) + w2 (quote) = 1, only w2 stored (`Perquintill` parts of 1e18). Invariant
`x^w1 · y^w2`; price `p = (w1/w2)·(y/x)`. Prices and intermediate values are `U64F64` bits
(primitives.fixed); powers come from `pow_ratio_scaled` (exact integer path for equal
weights, the crate's log/exp approximation otherwise).
"""

from __future__ import annotations

from functools import lru_cache

from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.per_things import PERQUINTILL
from pysubtensor.primitives.slots_dataclass import slots_dataclass

from .pow_ratio import pow_ratio_scaled

__all__ = ["ACCURACY", "HALF", "MIN_WEIGHT", "Balancer", "BalancerError"]

#: 1.0 in Perquintill parts (18 decimal digits).
ACCURACY = PERQUINTILL.accuracy
#: Both weights stay at or above 0.01.
MIN_WEIGHT = ACCURACY // 100
_U64_MAX = (1 << 64) - 1
_U128_MAX = (1 << 128) - 1
_ONE = U64F64.from_num(1)


#: `Perquintill::from_rational(1, 2)`: the default quote weight.
HALF = PERQUINTILL.from_rational(1, 2)


class BalancerError(ValueError):
    """`BalancerError::InvalidValue`: a weight below `MIN_WEIGHT`."""


def _mul_perquintill_round(parts: int, value: int) -> int:
    """`value · parts / 1e18` rounded half up (U256 arithmetic), clamped to u128."""
    return min((value * parts + ACCURACY // 2) // ACCURACY, _U128_MAX)


def _to_fixed_saturating(result: int) -> int:
    """A `pow_ratio_scaled` result as U64F64: itself if it fits u64, u64::MAX above, 0 below."""
    if 0 <= result <= _U64_MAX:
        return U64F64.saturating_from_num(result)
    return U64F64.saturating_from_num(_U64_MAX) if result > _U64_MAX else 0


@lru_cache(maxsize=64)
def _weights(quote: int) -> tuple[int, int]:
    """(w1 = 1 - w2 saturating, w1/w2 in U64F64) of a quote weight: a pool's weights change
    only when liquidity is added, its price is asked for on every swap."""
    base = PERQUINTILL.complement(min(quote, ACCURACY))
    return base, U64F64.safe_div(U64F64.saturating_from_num(base), U64F64.saturating_from_num(quote))


@slots_dataclass(frozen=True)
class Balancer:
    """`Balancer { quote: Perquintill }` (the stored `SwapBalancer` value). Immutable, so that
    storage reads share it instead of copying it; a re-weighting returns a new one."""

    quote: int = HALF

    @staticmethod
    def check_constraints(quote: int) -> bool:
        return PERQUINTILL.complement(min(quote, ACCURACY)) >= MIN_WEIGHT and quote >= MIN_WEIGHT

    @classmethod
    def new(cls, quote: int) -> Balancer:
        if not cls.check_constraints(quote):
            raise BalancerError(quote)
        return cls(quote)

    @property
    def base(self) -> int:
        """w1 = 1 - w2 (saturating)."""
        return _weights(self.quote)[0]

    def exp_scaled(self, x: int, dx: int, base_quote: bool) -> int:
        """(x/(x+dx))^(w1/w2) when `base_quote`, else ^(w2/w1), as U64F64; dx may be negative.
        Clipped to 1 for dx ≥ 0; 0 when the power fails or does not fit u64."""
        x_plus_dx = min(x + dx, _U64_MAX) if dx >= 0 else max(x + dx, 0)
        if x_plus_dx == 0:
            return 0
        w1, w2 = _weights(self.quote)[0], self.quote
        exp_num, exp_den = (w1, w2) if base_quote else (w2, w1)
        result = pow_ratio_scaled(x, x_plus_dx, exp_num, exp_den, 256, ACCURACY)
        if result is None or not 0 <= result <= _U64_MAX:
            return 0
        e = U64F64.safe_div(U64F64.saturating_from_num(result), U64F64.saturating_from_num(ACCURACY))
        return min(e, _ONE) if dx >= 0 else e

    def exp_base_quote(self, x: int, dx: int) -> int:
        """(x/(x+Δx))^(w1/w2): a sell (Δx alpha in)."""
        return self.exp_scaled(x, dx, True)

    def exp_quote_base(self, y: int, dy: int) -> int:
        """(y/(y+Δy))^(w2/w1): a buy (Δy TAO in)."""
        return self.exp_scaled(y, dy, False)

    def calculate_price(self, x: int, y: int) -> int:
        """(w1/w2)·(y/x) in U64F64 (two safe divisions, a saturating multiply; w1/w2 is
        computed once per weight)."""
        return U64F64.saturating_mul(_weights(self.quote)[1],
                                     U64F64.safe_div(U64F64.saturating_from_num(y), U64F64.saturating_from_num(x)))

    def update_weights_for_added_liquidity(self, tao_reserve: int, alpha_reserve: int, tao_delta: int,
                                           alpha_delta: int) -> Balancer:
        """The pool with the new w2 that keeps the price when (Δy, Δx) join the reserves
        (y, x) (the Rust updates itself in place); BalancerError if a weight would fall below
        the minimum."""
        new_tao = tao_reserve + tao_delta
        new_alpha = alpha_reserve + alpha_delta
        q1 = _mul_perquintill_round(self.base, min(tao_reserve * new_alpha, _U128_MAX))
        q2 = _mul_perquintill_round(self.quote, min(alpha_reserve * new_tao, _U128_MAX))
        q_sum = min(q1 + q2, _U128_MAX)
        return Balancer.new(PERQUINTILL.from_rational(q2, q_sum) if q_sum else HALF)

    def _delta_in(self, numerator_price: int, denominator_price: int, weight: int, reserve: int) -> int:
        result = pow_ratio_scaled(numerator_price, denominator_price, weight, ACCURACY, 1024, ACCURACY)
        if result is None:
            return 0
        e = U64F64.safe_div(_to_fixed_saturating(result), U64F64.saturating_from_num(ACCURACY))
        return U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(reserve),
                                                              U64F64.saturating_sub(e, _ONE)))

    def calculate_quote_delta_in(self, current_price: int, target_price: int, reserve: int) -> int:
        """Δy = y·((p'/p)^w1 - 1): the TAO a buy takes to move the price up to p'."""
        return self._delta_in(target_price, current_price, self.base, reserve)

    def calculate_base_delta_in(self, current_price: int, target_price: int, reserve: int) -> int:
        """Δx = x·((p/p')^w2 - 1): the alpha a sell takes to move the price down to p'."""
        return self._delta_in(current_price, target_price, self.quote, reserve)

    def get_base_needed_for_quote(self, tao_reserve: int, alpha_reserve: int, delta_tao: int) -> int:
        """The alpha to sell for `delta_tao` TAO out: x·((y/(y-Δy))^(w2/w1) - 1)."""
        e = self.exp_scaled(tao_reserve, -delta_tao, False)
        return U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(alpha_reserve),
                                                              U64F64.saturating_sub(e, _ONE)))
