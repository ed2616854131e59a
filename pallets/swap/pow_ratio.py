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
"""

from __future__ import annotations

from math import gcd

__all__ = ["DEFAULT_MAX_ITERS", "pow_ratio_scaled"]

#: Iteration cap of the approximation path (`DEFAULT_MAX_ITERS`).
DEFAULT_MAX_ITERS = 4_096
_MAX_EXACT_EXPONENT = 1_024
_GUARD_BITS = 24


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


def pow_ratio_scaled(base_num: int, base_den: int, exp_num: int, exp_den: int, precision: int,
                     scale: int, max_iters: int | None = None) -> int | None:
    """`SafeInt::pow_ratio_scaled(_with_max_iters)`: None where the crate returns None (a zero
    denominator, a negative base or scale)."""
    if base_den == 0 or exp_den == 0:
        return None
    if base_num == 0:
        return 0
    if scale < 0 or base_num < 0 or base_den < 0 or exp_num < 0 or exp_den < 0:
        return None
    if exp_num == 0:
        return scale
    g = gcd(exp_num, exp_den)
    if g > 1:
        exp_num //= g
        exp_den //= g

    if (exp_num.bit_length() <= 32 and exp_den.bit_length() <= 32
            and exp_num <= _MAX_EXACT_EXPONENT and exp_den <= _MAX_EXACT_EXPONENT):
        return _nth_root_ratio_floor(base_num ** exp_num * scale ** exp_den, base_den ** exp_num, exp_den)

    requested_precision = max(precision, 32, scale.bit_length() + 8)
    internal_precision = requested_precision + _GUARD_BITS
    if max_iters is None:
        max_iters = min(DEFAULT_MAX_ITERS, internal_precision + 128)
    max_iters = max(max_iters, 1)
    target_scale = 1 << requested_precision
    guard_factor = 1 << _GUARD_BITS
    internal_scale = target_scale << _GUARD_BITS

    ln_two = -_ln1p_fixed(-(internal_scale >> 1), internal_scale, guard_factor, max_iters)
    ln_base = (_ln_biguint(base_num, internal_precision, internal_scale, guard_factor, ln_two, max_iters)
               - _ln_biguint(base_den, internal_precision, internal_scale, guard_factor, ln_two, max_iters))
    ln_scaled = (ln_base * exp_num) // exp_den
    exp_fp = _exp_fixed(ln_scaled, internal_scale, guard_factor, max_iters)
    return (_round_to_precision(exp_fp, guard_factor) * scale) // target_scale
