"""The pool's fast arithmetic against the literal ports it replaces on the hot path.

`pow_ratio_scaled` (pallets/swap/pow_ratio.py) computes safe-bigmath's power with a Newton
root, shifts and a shorter stopping test; `pow_ratio_scaled_reference` keeps the crate's loops
as written (binary-search root, `//` by the scale, the rounded-value stopping test), and is
itself pinned to the crate's vectors in test_swap.py. Here both must agree on random inputs
shaped like the pool's: reserves and reserves plus a trade (u64), price ratios (U64F64 bits),
Perquintill weights, the exact path's small exponents and the approximation's precisions.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from pysubtensor.pallets.swap.balancer import ACCURACY, MIN_WEIGHT
from pysubtensor.pallets.swap.pow_ratio import (
    _iroot,
    _nth_root_ratio_floor,
    _round_guard,
    _round_to_precision,
    pow_ratio_scaled,
    pow_ratio_scaled_reference,
)
from tests.unit.test_swap import CRATE_EXACT

U64_MAX = (1 << 64) - 1
fast = pow_ratio_scaled.__wrapped__  # the computation itself, not its memo

RESERVE = hs.integers(0, U64_MAX)
WEIGHT = hs.integers(MIN_WEIGHT, ACCURACY - MIN_WEIGHT)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(("bn", "bd", "en", "ed", "precision", "scale", "expected"), CRATE_EXACT)
def test_both_reproduce_the_crate_vectors(bn, bd, en, ed, precision, scale, expected):
    assert fast(bn, bd, en, ed, precision, scale) == expected
    assert pow_ratio_scaled_reference(bn, bd, en, ed, precision, scale) == expected


@SLOW
@given(RESERVE, RESERVE, hs.integers(-U64_MAX, U64_MAX), WEIGHT)
def test_swap_output_powers_agree(x, extra, dx, quote):
    """`exp_scaled`'s call: (x/(x+dx))^(w1/w2) and ^(w2/w1) at precision 256, scale 1e18."""
    x_plus_dx = max(min(x + dx, U64_MAX), 0)
    base = ACCURACY - quote
    for num, den in ((x, x_plus_dx), (extra, x)):
        for en, ed in ((base, quote), (quote, base)):
            assert fast(num, den, en, ed, 256, ACCURACY) == pow_ratio_scaled_reference(num, den, en, ed, 256, ACCURACY)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.integers(1, (1 << 128) - 1), hs.integers(1, (1 << 128) - 1), WEIGHT)
def test_limit_order_powers_agree(p1, p2, weight):
    """`_delta_in`'s call: (p'/p)^w at precision 1024 (U64F64 prices)."""
    assert fast(p1, p2, weight, ACCURACY, 1024, ACCURACY) == \
        pow_ratio_scaled_reference(p1, p2, weight, ACCURACY, 1024, ACCURACY)


@SLOW
@given(RESERVE, RESERVE, hs.integers(1, 1024), hs.integers(1, 1024))
def test_exact_path_agrees(num, den, en, ed):
    # A large exponent numerator makes the reference's search slow: keep the bases small then.
    if en > 8:
        num, den = num % 1000, den % 1000 + 1
    assert fast(num, den, en, ed, 256, ACCURACY) == pow_ratio_scaled_reference(num, den, en, ed, 256, ACCURACY)


@given(hs.integers(0, 1 << 300), hs.integers(1, 1 << 100), hs.integers(1, 40))
def test_integer_root_is_the_reference_floor_root(num, den, q):
    assert _iroot(num // den, q) == _nth_root_ratio_floor(num, den, q)


def test_integer_root_at_exact_powers_and_their_neighbours():
    for q in (1, 2, 3, 5, 7, 64):
        for r in (0, 1, 2, 3, 10**6, (1 << 70) + 1):
            for m in (r ** q - 1, r ** q, r ** q + 1):
                if m >= 0:
                    assert _iroot(m, q) == _nth_root_ratio_floor(m, 1, q)


@given(hs.integers(0, 10**30), hs.integers(0, 10**30), WEIGHT, hs.integers(1, 512), hs.integers(1, 10**18))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_other_precisions_and_scales_agree(num, den, weight, precision, scale):
    assert fast(num, den, weight, ACCURACY, precision, scale) == \
        pow_ratio_scaled_reference(num, den, weight, ACCURACY, precision, scale)


def test_none_and_edge_answers_agree():
    for args in ((0, 5, 3, 7), (5, 0, 3, 7), (5, 7, 0, 7), (5, 7, 3, 0), (-5, 7, 3, 7), (5, 7, -3, 7)):
        assert fast(*args, 256, ACCURACY) == pow_ratio_scaled_reference(*args, 256, ACCURACY)
    assert fast(5, 7, 3, 7, 256, -1) == pow_ratio_scaled_reference(5, 7, 3, 7, 256, -1) is None


GUARD = 1 << 24


@given(hs.integers(-(1 << 300), 1 << 300))
def test_guard_rounding_is_the_reference_rounding(value):
    assert _round_guard(value) == _round_to_precision(value, GUARD)


def test_guard_rounding_at_ties_and_around_zero():
    """Half a guard unit rounds away from zero on both sides (random values almost never tie)."""
    for k in (0, 1, 7, 1 << 200):
        for v in (k * GUARD + GUARD // 2, k * GUARD + GUARD // 2 - 1, k * GUARD + GUARD // 2 + 1, k * GUARD,
                  k * GUARD - 1, k * GUARD + 1):
            assert _round_guard(v) == _round_to_precision(v, GUARD)
            assert _round_guard(-v) == _round_to_precision(-v, GUARD)
    assert _round_guard(GUARD // 2) == 1 and _round_guard(-(GUARD // 2)) == -1


@SLOW
@given(hs.booleans(), hs.integers(0, 10**16), hs.integers(0, 10**16), hs.integers(0, 65_535), WEIGHT, hs.booleans(),
       hs.integers(0, 10**15), hs.integers(0, 1 << 100), hs.booleans())
def test_remembered_swap_step_matches_computing_it(dynamic, tao, alpha, fee_rate, quote, buy, amount, limit, drop):
    """`swap_step_of` (the step of `do_swap`, remembered by its inputs) against `_swap_step` on
    the same pool: same result, asked once or again; same error."""
    from pysubtensor.pallets.swap.balancer import Balancer
    from pysubtensor.pallets.swap.impls import _Pool, _swap_step, swap_step_of

    balancer = Balancer(quote)
    try:
        expected = _swap_step(_Pool(dynamic, tao, alpha, fee_rate, balancer), buy, amount, limit, drop)
    except Exception as e:  # ReservesTooLow
        with pytest.raises(type(e)):
            swap_step_of(dynamic, tao, alpha, fee_rate, balancer, buy, amount, limit, drop)
        return
    for _ in range(2):
        assert swap_step_of(dynamic, tao, alpha, fee_rate, balancer, buy, amount, limit, drop) == expected
