"""`SafeInt::pow_ratio_scaled` of safe-bigmath 0.4.1 (the rev subtensor pins): the big-integer
power `floor((base_num/base_den)^(exp_num/exp_den) · scale)` the Balancer pool's swap outputs
and limit-order sizes come from.

Two paths, as the crate has them:
* exact, when the reduced exponent's numerator and denominator are both ≤ 1024: the largest
  integer r with `r^d · den^n ≤ num^n · scale^d` (with 0.5/0.5 weights the exponent is 1/1,
  a plain floor division);
* approximation otherwise: natural log and exp by Taylor series in binary fixed point with 24
  guard bits, each series stopping when its term drops below the guard factor or the value
  rounded to the requested precision stops changing. Floor divisions (`div_floor`) are
  Python's `//`; the guard-bit rounding uses truncating division with half away from zero.

Integers only; the result is bit-exact with the Rust for every input.

Speed (the pool runs this two or three times per stake or unstake): the crate's loops are
kept in `pow_ratio_scaled_reference` and its helpers, literally; `pow_ratio_scaled` computes the
same numbers faster:
* the exact path's root is an integer Newton root of `floor(num/den)` instead of a binary
  search (r^q·den ≤ num ⟺ r^q ≤ floor(num/den)); a floor division when q = 1;
* the series' scales are powers of two: `// scale` is a right shift (a floor, as `//`);
* the series stop on `|step| < guard` alone: a step of at least one guard unit always moves
  the value rounded to the guard unit (half away from zero), so the "rounded value unchanged"
  test can only fire when the step is already below the guard;
* ln 2 at the working precision is computed once per precision;
* results are memoised (a pure function of its integer arguments: a stake's validation and
  its swap ask for the same powers).
tests/unit/test_swap_fast_paths.py compares both over random inputs.
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd, isqrt

__all__ = ["DEFAULT_MAX_ITERS", "pow_ratio_scaled", "pow_ratio_scaled_reference"]

#: Iteration cap of the approximation path (`DEFAULT_MAX_ITERS`).
DEFAULT_MAX_ITERS = 4_096
_MAX_EXACT_EXPONENT = 1_024
_GUARD_BITS = 24


# -- the crate's loops, literally (the reference the fast path is tested against) ------------

def _round_to_precision(value: int, guard_factor: int) -> int:
    """`value / guard_factor` truncated toward zero, then rounded half away from zero."""
    truncated = abs(value) // guard_factor
    if value < 0:
        truncated = -truncated
    remainder = value - truncated * guard_factor
    if remainder and 2 * abs(remainder) >= guard_factor:
        truncated += 1 if remainder > 0 else -1
    return truncated


def _ln1p_fixed(x: int, scale: int, guard_factor: int, max_iters: int) -> int:
    """ln(1 + x/scale)·scale by its Taylor series."""
    term = x
    result = x
    prev_rounded = _round_to_precision(result, guard_factor)
    for n in range(2, max_iters + 1):
        term = (term * x) // scale
        if term == 0:
            break
        step = term // n
        if step == 0:
            break
        result = result - step if n % 2 == 0 else result + step
        rounded = _round_to_precision(result, guard_factor)
        if abs(step) < guard_factor or rounded == prev_rounded:
            break
        prev_rounded = rounded
    return result


def _exp_fixed(x: int, scale: int, guard_factor: int, max_iters: int) -> int:
    """exp(x/scale)·scale by its Taylor series."""
    term = scale
    result = scale
    prev_rounded = _round_to_precision(result, guard_factor)
    for n in range(1, max_iters + 1):
        term = (term * x) // (scale * n)
        if term == 0:
            break
        result += term
        rounded = _round_to_precision(result, guard_factor)
        if abs(term) < guard_factor or rounded == prev_rounded:
            break
        prev_rounded = rounded
    return result


def _ln_biguint(value: int, internal_precision: int, internal_scale: int, guard_factor: int,
                ln_two: int, max_iters: int) -> int:
    """ln(value)·scale: the mantissa normalised into [0.5, 1.5)·scale, plus shift·ln 2."""
    shift = max(value.bit_length() - 1, 0)
    mantissa = (value << internal_precision) >> shift
    if mantissa >= internal_scale + (internal_scale >> 1):
        mantissa >>= 1
        shift += 1
    return _ln1p_fixed(mantissa - internal_scale, internal_scale, guard_factor, max_iters) + ln_two * shift


def _nth_root_ratio_floor(num: int, den: int, q: int) -> int:
    """The largest r with r^q · den ≤ num (binary search, as the crate)."""
    if q == 0:
        return 0
    low, high = 0, 1
    while high ** q * den <= num:
        high <<= 1
    while low < high:
        mid = (low + high + 1) >> 1
        if mid ** q * den <= num:
            low = mid
        else:
            high = mid - 1
    return low


#: `_early_result`'s answer when the power has to be computed.
_COMPUTE = -1


def _early_result(base_num: int, base_den: int, exp_num: int, exp_den: int, scale: int) -> int | None:
    """The crate's answers before any arithmetic (None where it returns None), else `_COMPUTE`."""
    if base_den == 0 or exp_den == 0:
        return None
    if base_num == 0:
        return 0
    if scale < 0 or base_num < 0 or base_den < 0 or exp_num < 0 or exp_den < 0:
        return None
    if exp_num == 0:
        return scale
    return _COMPUTE


def _reduced(exp_num: int, exp_den: int) -> tuple[int, int]:
    g = gcd(exp_num, exp_den)
    return exp_num // g, exp_den // g


def _is_exact(exp_num: int, exp_den: int) -> bool:
    return (exp_num.bit_length() <= 32 and exp_den.bit_length() <= 32
            and exp_num <= _MAX_EXACT_EXPONENT and exp_den <= _MAX_EXACT_EXPONENT)


def _precisions(precision: int, scale: int, max_iters: int | None) -> tuple[int, int, int]:
    """(requested precision, internal precision, iteration cap) of the approximation."""
    requested_precision = max(precision, 32, scale.bit_length() + 8)
    internal_precision = requested_precision + _GUARD_BITS
    if max_iters is None:
        max_iters = min(DEFAULT_MAX_ITERS, internal_precision + 128)
    return requested_precision, internal_precision, max(max_iters, 1)


def pow_ratio_scaled_reference(base_num: int, base_den: int, exp_num: int, exp_den: int, precision: int,
                               scale: int, max_iters: int | None = None) -> int | None:
    """`SafeInt::pow_ratio_scaled(_with_max_iters)` with the crate's own loops: None where the
    crate returns None (a zero denominator, a negative base or scale)."""
    early = _early_result(base_num, base_den, exp_num, exp_den, scale)
    if early != _COMPUTE:
        return early
    exp_num, exp_den = _reduced(exp_num, exp_den)
    if _is_exact(exp_num, exp_den):
        return _nth_root_ratio_floor(base_num ** exp_num * scale ** exp_den, base_den ** exp_num, exp_den)

    requested_precision, internal_precision, max_iters = _precisions(precision, scale, max_iters)
    target_scale = 1 << requested_precision
    guard_factor = 1 << _GUARD_BITS
    internal_scale = target_scale << _GUARD_BITS

    ln_two = -_ln1p_fixed(-(internal_scale >> 1), internal_scale, guard_factor, max_iters)
    ln_base = (_ln_biguint(base_num, internal_precision, internal_scale, guard_factor, ln_two, max_iters)
               - _ln_biguint(base_den, internal_precision, internal_scale, guard_factor, ln_two, max_iters))
    ln_scaled = (ln_base * exp_num) // exp_den
    exp_fp = _exp_fixed(ln_scaled, internal_scale, guard_factor, max_iters)
    return (_round_to_precision(exp_fp, guard_factor) * scale) // target_scale


# -- the same numbers, faster --------------------------------------------------------------

_GUARD = 1 << _GUARD_BITS
_HALF_GUARD = _GUARD >> 1
_GUARD_MASK = _GUARD - 1


def _iroot(m: int, q: int) -> int:
    """floor(m^(1/q)) for m ≥ 0, q ≥ 1 (Newton's method from above)."""
    if q == 1 or m < 2:
        return m
    if q == 2:
        return isqrt(m)
    x = 1 << -(-m.bit_length() // q)  # 2^ceil(bits/q) > m^(1/q)
    while True:
        y = ((q - 1) * x + m // x ** (q - 1)) // q
        if y >= x:
            return x
        x = y


def _round_guard(value: int) -> int:
    """`_round_to_precision(value, 2^24)` with shifts."""
    if value >= 0:
        return (value >> _GUARD_BITS) + ((value & _GUARD_MASK) >= _HALF_GUARD)
    return -((-value >> _GUARD_BITS) + ((-value & _GUARD_MASK) >= _HALF_GUARD))


def _ln1p_fast(x: int, bits: int, max_iters: int) -> int:
    """`_ln1p_fixed(x, 2^bits, 2^24, max_iters)`."""
    term = x
    result = x
    for n in range(2, max_iters + 1):
        term = (term * x) >> bits
        if term == 0:
            break
        step = term // n
        if step == 0:
            break
        if n % 2 == 0:
            result -= step
        else:
            result += step
        if -_GUARD < step < _GUARD:
            break
    return result


def _exp_fast(x: int, bits: int, max_iters: int) -> int:
    """`_exp_fixed(x, 2^bits, 2^24, max_iters)`."""
    term = result = 1 << bits
    for n in range(1, max_iters + 1):
        term = ((term * x) >> bits) // n
        if term == 0:
            break
        result += term
        if -_GUARD < term < _GUARD:
            break
    return result


@lru_cache(maxsize=16)
def _ln_two(bits: int, max_iters: int) -> int:
    return -_ln1p_fast(-(1 << (bits - 1)), bits, max_iters)


def _ln_fast(value: int, internal_precision: int, ln_two: int, max_iters: int) -> int:
    """`_ln_biguint` with a power-of-two scale 2^internal_precision."""
    shift = max(value.bit_length() - 1, 0)
    mantissa = (value << internal_precision) >> shift
    internal_scale = 1 << internal_precision
    if mantissa >= internal_scale + (internal_scale >> 1):
        mantissa >>= 1
        shift += 1
    return _ln1p_fast(mantissa - internal_scale, internal_precision, max_iters) + ln_two * shift


@lru_cache(maxsize=1024)
def pow_ratio_scaled(base_num: int, base_den: int, exp_num: int, exp_den: int, precision: int,
                     scale: int, max_iters: int | None = None) -> int | None:
    """`SafeInt::pow_ratio_scaled(_with_max_iters)`: None where the crate returns None (a zero
    denominator, a negative base or scale). Equal to `pow_ratio_scaled_reference`."""
    early = _early_result(base_num, base_den, exp_num, exp_den, scale)
    if early != _COMPUTE:
        return early
    exp_num, exp_den = _reduced(exp_num, exp_den)
    if _is_exact(exp_num, exp_den):
        return _iroot((base_num ** exp_num * scale ** exp_den) // base_den ** exp_num, exp_den)

    requested_precision, internal_precision, max_iters = _precisions(precision, scale, max_iters)
    ln_two = _ln_two(internal_precision, max_iters)
    ln_base = (_ln_fast(base_num, internal_precision, ln_two, max_iters)
               - _ln_fast(base_den, internal_precision, ln_two, max_iters))
    exp_fp = _exp_fast((ln_base * exp_num) // exp_den, internal_precision, max_iters)
    return (_round_guard(exp_fp) * scale) >> requested_precision
