"""substrate-fixed arithmetic (primitives/fixed.py) against exact rationals with the crate's
documented rounding, its own doc/unit-test values, and the values subtensor's Rust tests
assert (`pallets/subtensor/src/tests/math.rs`, `primitives/safe-math` tests, spec 381)."""

from __future__ import annotations

import random
from fractions import Fraction
from math import floor, trunc

import pytest

from pysubtensor.primitives.fixed import (
    I32F32,
    I64F64,
    I96F32,
    I110F18,
    U64F64,
    U96F32,
    U110F18,
    FixedPoint,
    safe_div_int,
)
from pysubtensor.primitives.scale import I16, U16

ALL = [I32F32, I64F64, I96F32, I110F18, U64F64, U96F32, U110F18]
U64_MAX = (1 << 64) - 1
I64_MAX = (1 << 63) - 1
#: the crate's doc-test type `Fixed{I,U}16<U4>`
FI16 = FixedPoint(I16, 4)
FU16 = FixedPoint(U16, 4)


def value(t: FixedPoint, bits: int) -> Fraction:
    return Fraction(bits, 1 << t.frac)


def rand_bits(t: FixedPoint, rng: random.Random) -> int:
    width = rng.choice([8, 24, t.frac, t.frac + 8, t.nbits - 2, t.nbits - 1])
    b = rng.getrandbits(max(width, 1))
    return -b if t.signed and rng.random() < 0.5 else b


@pytest.mark.parametrize("t", ALL, ids=lambda t: t.display_name)
def test_mul_div_add_sub_against_exact_rationals(t):
    """mul = floor(exact product), div = exact quotient truncated toward zero (the crate's
    `mul_overflow` / `div_overflow`), checked_* None exactly when out of range."""
    rng = random.Random(t.display_name)
    for _ in range(3000):
        a, b = rand_bits(t, rng), rand_bits(t, rng)
        exact = value(t, a) * value(t, b) * (1 << t.frac)
        m = floor(exact)
        fits = t.min_bits <= m <= t.max_bits
        assert t.checked_mul(a, b) == (m if fits else None)
        assert t.saturating_mul(a, b) == (m if fits else (t.min_bits if (a < 0) != (b < 0) else t.max_bits))
        if b:
            q = trunc(value(t, a) / value(t, b) * (1 << t.frac))
            fits = t.min_bits <= q <= t.max_bits
            assert t.checked_div(a, b) == (q if fits else None)
            assert t.safe_div(a, b) == (q if fits else 0)
            assert t.safe_div_or(a, b, 7) == (q if fits else 7)
        s = a + b
        assert t.saturating_add(a, b) == min(max(s, t.min_bits), t.max_bits)
        d = a - b
        assert t.saturating_sub(a, b) == min(max(d, t.min_bits), t.max_bits)
        assert t.checked_sub(a, b) == (d if t.min_bits <= d <= t.max_bits else None)


def test_signed_division_truncates_toward_zero_and_mul_floors():
    # -1 / 3 in I32F32: -(2^32 / 3) truncated, not floored
    assert I32F32.checked_div(-I32F32.one, 3 * I32F32.one) == -(I32F32.one // 3)
    assert I32F32.checked_div(I32F32.one, -3 * I32F32.one) == -(I32F32.one // 3)
    # (-1 bit) * 0.5 floors to -1 bit (arithmetic shift), not 0
    assert I32F32.checked_mul(-1, I32F32.one >> 1) == -1


def test_division_by_zero():
    assert U64F64.checked_div(U64F64.one, 0) is None
    assert U64F64.safe_div(U64F64.one, 0) == 0
    assert U64F64.safe_div_or(U64F64.one, 0, U64F64.one) == U64F64.one
    with pytest.raises(ZeroDivisionError):
        U64F64.saturating_div(U64F64.one, 0)
    assert safe_div_int(7, 2) == 3 and safe_div_int(7, 0) == 0 and safe_div_int(7, 0, 9) == 9


def test_crate_doc_examples():
    """substrate-fixed v0.6.0 doc tests (`src/macros_frac.rs`, `macros_no_frac.rs`,
    `macros_from_to.rs`, `macros_round.rs`) on `Fixed{I,U}16<U4>`."""
    for t in (FI16, FU16):
        one = t.from_num(1)
        assert t.checked_mul(t.max_bits, t.from_num(1)) == t.max_bits
        assert t.checked_mul(t.max_bits, t.from_num(2)) is None
        assert t.checked_div(t.max_bits, t.from_num(1)) == t.max_bits
        half = t.wrapping_div(one, t.from_num(2))
        assert t.checked_div(t.max_bits, half) is None
        assert t.saturating_mul(t.from_num(3), t.from_num(2)) == t.from_num(6)
        assert t.saturating_mul(t.max_bits, t.from_num(2)) == t.max_bits
        assert t.saturating_div(one, t.from_num(2)) == half
        assert t.saturating_div(t.max_bits, half) == t.max_bits
        assert t.checked_add(t.max_bits - one, one) == t.max_bits
        assert t.checked_add(t.max_bits, one) is None
        assert t.checked_sub(t.min_bits + one, one) == t.min_bits
        assert t.checked_sub(t.min_bits, one) is None
        assert t.from_num(2) == 0b10_0000
        two_point_5 = 0b101 << 3
        assert t.to_num(two_point_5) == 2
        assert t.round(t.from_f64(2.5)) == t.from_num(3)
        assert t.from_f64(7.5) == 7 * 16 + 8
    # signed: to_num floors, round ties away from zero, ceil/floor
    assert FI16.to_num(-(0b101 << 3)) == -3
    assert FI16.round(FI16.from_f64(-2.5)) == FI16.from_num(-3)
    assert FI16.ceil(FI16.from_f64(2.5)) == FI16.from_num(3)
    assert FI16.ceil(FI16.from_f64(-2.5)) == FI16.from_num(-2)
    assert FI16.floor(FI16.from_f64(-2.5)) == FI16.from_num(-3)
    # fixed -> fixed drops extra fractional bits: 1.75 >> 2 = 0.4375 -> I30F2 0.25
    i30f2 = FixedPoint(I32F32.inner, 2)
    assert i30f2.from_fixed(FI16, 0b111 << 2) == 0b111
    assert i30f2.from_fixed(FI16, (0b111 << 2) >> 2) == 1
    # int() / frac() of a negative value: -2.5 = -3 + 0.5
    assert FI16.int_part(FI16.from_f64(-2.5)) == FI16.from_num(-3)
    assert FI16.frac_part(FI16.from_f64(-2.5)) == FI16.from_f64(0.5)


def test_crate_arith_unit_tests_128():
    """substrate-fixed `src/arith.rs` tests `fixed_u128` / `fixed_i128` (the 128-bit fallback
    multiply/divide): integers a, b give (a<<F)*b and (a<<F)/b."""
    a = 0x0003_4567_89AB_CDEF_0123_4567_89AB_CDEF
    b = 5
    for t in (FixedPoint(U64F64.inner, 7), FixedPoint(I64F64.inner, 7)):
        for x, y in ((a, b), (b, a)):
            fx, fy = t.from_num(x), t.from_num(y)
            assert t.checked_add(fx, fy) == (x << 7) + (y << 7)
            assert t.checked_mul(fx, fy) == (x << 7) * y
            assert t.checked_div(fx, fy) == (x << 7) // y
    t = FixedPoint(I64F64.inner, 7)
    for x, y in ((a, -b), (-a, b), (-a, -b), (b, -a)):
        assert t.checked_mul(t.from_num(x), t.from_num(y)) == (x << 7) * y
        assert t.checked_div(t.from_num(x), t.from_num(y)) == trunc(Fraction(x << 7, y))


def test_float_literals():
    """`from_num(f64)` rounds the double to nearest, ties to even (values from
    reference/subtensor-economics.md §1.2)."""
    assert I96F32.from_f64(0.000003) == 12885
    assert U96F32.from_f64(0.18) == 773094113
    # a tie: 2^-33 in I32F32 is half a bit -> even (0); 3 * 2^-33 -> 2 bits
    assert I32F32.from_f64(2.0 ** -33) == 0
    assert I32F32.from_f64(3 * 2.0 ** -33) == 2
    assert I32F32.from_f64(-3 * 2.0 ** -33) == -2
    with pytest.raises(OverflowError):
        I32F32.from_f64(2.0 ** 31)
    assert I32F32.saturating_from_f64(2.0 ** 31) == I32F32.max_bits
    assert U64F64.saturating_from_f64(-1.0) == 0


def test_subtensor_math_fixed_overflow():
    """subtensor `tests/math.rs::test_math_fixed_overflow`."""
    max_32 = I32F32.max_bits
    I96F32.wrapping_mul(I96F32.from_fixed(I32F32, max_32), I96F32.from_num(U64_MAX))  # no panic in Rust
    assert I96F32.checked_mul(I96F32.from_fixed(I32F32, max_32), I96F32.from_num(U64_MAX)) is not None
    assert I110F18.checked_mul(I110F18.from_fixed(I32F32, max_32), I110F18.from_num(U64_MAX)) is not None
    bma = I64F64.wrapping_div(I64F64.from_num(900_000), I64F64.from_num(1_000_000))
    alpha = I32F32.wrapping_sub(I32F32.from_num(1), I32F32.from_fixed(I64F64, bma))
    assert alpha == I32F32.from_f64(0.1)
    bma = I64F64.wrapping_div(I64F64.from_fixed(I32F32, max_32), I64F64.from_fixed(I32F32, max_32))
    assert I32F32.wrapping_sub(I32F32.from_num(1), I32F32.from_fixed(I64F64, bma)) == 0


def test_subtensor_math_u64_normalization():
    """subtensor `tests/math.rs::test_math_u64_normalization`."""
    max_sum = I64F64.from_num(21_000_000_000_000_000)
    min_frac = I64F64.wrapping_div(I64F64.from_num(1), max_sum)
    assert min_frac == I64F64.from_f64(0.0000000000000000476)
    assert I32F32.from_fixed(I64F64, min_frac) == 0
    min32_frac = I64F64.wrapping_div(I64F64.from_num(4_889_444), max_sum)
    assert min32_frac == I64F64.from_f64(0.00000000023283066664)
    assert I32F32.from_fixed(I64F64, min32_frac) == I32F32.from_f64(0.0000000002)
    half = I64F64.wrapping_div(I64F64.from_num(10_500_000_000_000_000), max_sum)
    assert half == I64F64.from_f64(0.5) and I32F32.from_fixed(I64F64, half) == I32F32.from_f64(0.5)
    assert I64F64.wrapping_div(max_sum, max_sum) == I64F64.from_num(1)


def test_subtensor_math_conversions():
    """subtensor `tests/math.rs`: test_math_to_num, test_math_fixed_to_u16(_panics),
    test_math_fixed_to_u64_saturates, test_math_fixed64_to_u64(_saturates),
    test_math_fixed64_to_fixed32(_saturates), test_fixed_proportion_to_u16(_saturates),
    test_vec_fixed64_to_fixed32(_saturates)."""
    assert I32F32.to_num(I32F32.from_num(0xFFFF)) == 0xFFFF
    for x in (0, 0xFFFF // 2, 0xFFFF):
        assert I32F32.saturating_to_num(I32F32.from_num(x), 16) == x
    with pytest.raises(OverflowError):
        I32F32.from_num(0xFFFF_FFFF)
    assert I32F32.saturating_to_num(I32F32.from_num(-1)) == 0
    for x in (0, I64_MAX // 2, I64_MAX):
        assert I64F64.saturating_to_num(I64F64.from_num(x)) == x
    assert I64F64.saturating_to_num(I64F64.from_num(-1)) == 0
    assert I32F32.saturating_from_fixed(I64F64, I64F64.from_num(0xFFFF_FFFF // 2)) == I32F32.from_num(0xFFFF_FFFF // 2)
    assert I32F32.saturating_from_fixed(I64F64, I64F64.from_num(0xFFFF_FFFF)) == I32F32.max_bits
    assert I32F32.saturating_from_fixed(I64F64, I64F64.from_num(I64_MAX)) == I32F32.max_bits
    assert I32F32.saturating_from_fixed(I64F64, I64F64.from_num(-(1 << 31))) == I32F32.from_num(-(1 << 31))
    # fixed_proportion_to_u16(x) = saturating_to_num::<u16>(x * 65535)
    u16max = I32F32.saturating_from_num(0xFFFF)
    assert I32F32.saturating_to_num(I32F32.saturating_mul(I32F32.from_num(0), u16max), 16) == 0
    assert I32F32.saturating_to_num(I32F32.saturating_mul(I32F32.from_num(0xFFFF), u16max), 16) == 0xFFFF


def test_safe_math_fixed_ext():
    """subtensor `primitives/safe-math` tests: test_checked_pow_fixed, test_checked_sqrt_*,
    test_checked_floor."""
    assert U64F64.checked_pow(U64F64.from_f64(2.5), 3) == U64F64.from_f64(15.625)
    r = I32F32.checked_pow(I32F32.from_f64(1.5), -2)
    assert abs(r - I32F32.from_f64(0.44444444)) <= I32F32.from_f64(0.00001)
    assert I32F32.checked_pow(0, -1) is None
    eps = U110F18.from_f64(0.0001)
    for v in (4.0, 2.0, 1_000_000_000_000_000_000.0, 0.0):
        got = U110F18.checked_sqrt(U110F18.from_f64(v), eps)
        assert U110F18.abs_diff(got, U110F18.from_f64(v ** 0.5)) <= eps
    big = 441_000_000_000_000_000_000_000_000_000_000.0
    got = U110F18.checked_sqrt(U110F18.from_f64(big), U110F18.from_num(1000))
    assert U110F18.abs_diff(got, U110F18.from_f64(big ** 0.5)) <= U110F18.from_num(1000)
    assert U110F18.checked_sqrt(U110F18.from_f64(2.0), U110F18.from_f64(1e-30)) is not None
    assert I32F32.checked_sqrt(-1, 1) is None
    for x, want in ((0.0, 0.0), (5.0, 5.0), (-1.0, -1.0), (0.5, 0.0), (9.999, 9.0), (-0.1, -1.0),
                    (-1.5, -2.0), (-9.999, -10.0)):
        assert I64F64.floor(I64F64.from_f64(x)) == I64F64.from_f64(want)


def test_saturation_boundaries():
    for t in ALL:
        assert t.saturating_add(t.max_bits, 1) == t.max_bits
        assert t.saturating_sub(t.min_bits, 1) == t.min_bits
        assert t.saturating_from_num(1 << 200) == t.max_bits
        assert t.saturating_from_num(-(1 << 200)) == t.min_bits
        assert t.checked_from_num(1 << 200) is None
        assert t.wrapping_add(t.max_bits, 1) == t.min_bits
        assert t.saturating_to_num(t.max_bits) == min(t.max_bits >> t.frac, U64_MAX)
        assert t.saturating_to_num(t.min_bits) == 0
    assert U64F64.saturating_sub(U64F64.one, 2 * U64F64.one) == 0
    assert I64F64.saturating_mul(I64F64.max_bits, -2 * I64F64.one) == I64F64.min_bits
    assert U96F32.saturating_from_fixed(U64F64, U64F64.max_bits) == U64F64.max_bits >> 32
    assert U64F64.saturating_from_fixed(U96F32, U96F32.max_bits) == U64F64.max_bits
    assert U64F64.saturating_from_fixed(I64F64, -1) == 0
    assert I64F64.saturating_from_fixed(U64F64, U64F64.max_bits) == I64F64.max_bits
    assert U64F64.saturating_mul_int(U64F64.one, 3) == 3 * U64F64.one
    # a bare from_num overflowing in the release runtime wraps: u32::MAX in I32F32 is -1.0
    assert I32F32.wrapping_from_num(0xFFFF_FFFF) == -I32F32.one
    assert I32F32.wrapping_from_fixed(I64F64, I64F64.from_num(0xFFFF_FFFF)) == -I32F32.one
