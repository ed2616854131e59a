"""SafeFloat (primitives/safe_float.py) with the values of subtensor's own share-pool tests
(`primitives/share-pool/src/lib.rs`, opentensor/subtensor main)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.safe_float import SAFE_FLOAT_MAX, SafeFloat

E21 = 1_000_000_000_000_000_000_000


def exact(x: SafeFloat) -> Fraction:
    return Fraction(x.mantissa) * Fraction(10) ** x.exponent


@pytest.mark.parametrize(("m", "e", "em", "ee"), [
    (1, 0, E21, -21), (0, 0, 0, 0), (10, 0, E21, -20), (1_000, 0, E21, -18),
    (100_000_000_000_000_000_000, 0, E21, -1), (SAFE_FLOAT_MAX, 0, SAFE_FLOAT_MAX, 0),
])
def test_safefloat_normalize(m, e, em, ee):
    """share-pool `test_safefloat_normalize`."""
    assert SafeFloat.new(m, e) == SafeFloat(em, ee)


@pytest.mark.parametrize(("ma", "ea", "mb", "eb", "em", "ee"), [
    (1, 0, 1, 0, 200_000_000_000_000_000_000, -20),
    (0, 0, 1, 0, E21, -21),
    (0, 0, 1, -1, E21, -22),
    (1, -1000, 1, -1, E21, -22),
    (SAFE_FLOAT_MAX, 0, SAFE_FLOAT_MAX, 0, SAFE_FLOAT_MAX * 2 // 10, 1),
    (1, 0, E21, 1, E21, 1),
    (1, 0, 1, 22, E21, 1),
    (1, 0, 1, 23, E21, 2),
    (123, 0, 1, 23, E21, 2),
    (123, 1, 1, 23, 100_000_000_000_000_000_001, 3),
    (42, 0, 1, 22, E21, 1),
    (999_999_999_999_999_999_999, 0, 1, 22, 109_999_999_999_999_999_999, 2),
    (42, 0, 1, 23, E21, 2),
    (4_200, 0, 1, 23, 100_000_000_000_000_000_004, 3),
    (999_999_999_999_999_999_999, 0, 1, 23, 100_999_999_999_999_999_999, 3),
    (999_999, 1, 1, 23, 100_000_000_000_000_009_999, 3),
    (1, 24, 1, 0, E21, 3),
    (1, 24, 123_456_789_012_345_678_901, 0, 100_012_345_678_901_234_567, 4),
    (1, 22, 1, 23, 110_000_000_000_000_000_000, 3),
    (999_999_999_999_999_999_999, 22, 1, 22, E21, 22),
])
def test_safefloat_add(ma, ea, mb, eb, em, ee):
    """share-pool `test_safefloat_add` (both orders)."""
    a, b = SafeFloat.new(ma, ea), SafeFloat.new(mb, eb)
    assert a.add(b) == SafeFloat(em, ee)
    assert b.add(a) == SafeFloat(em, ee)


DIV_CASES = [(1, 0, 10**20, -20), (1, 0, 1, 0), (1, 1, 1, 0), (1, 100, 1, 0), (1, 0, 7, 0), (1, 50, 7, 0),
             (2, 7, 3, 0), (5, 100, 3, 0), (10, 0, 10**20, -19), (1_000, 0, 10**20, -17),
             (10**20, 0, E21, -1), (SAFE_FLOAT_MAX, 0, SAFE_FLOAT_MAX, 0),
             (SAFE_FLOAT_MAX, 100, SAFE_FLOAT_MAX, -100), (SAFE_FLOAT_MAX, 100, SAFE_FLOAT_MAX - 1, -100),
             (SAFE_FLOAT_MAX - 2, 100, SAFE_FLOAT_MAX, -100), (SAFE_FLOAT_MAX, 100, SAFE_FLOAT_MAX // 2 - 1, 100),
             (123_456_789_123_456_789_123, 20, 87_654_321_987_654_321_987, -20),
             (123_456_789_123_456_789_123, -123, 87_654_321_987_654_321_987, 32)]


@pytest.mark.parametrize(("ma", "ea", "mb", "eb"), DIV_CASES)
def test_safefloat_div(ma, ea, mb, eb):
    """share-pool `test_safefloat_div`: relative error below 1e-14; here also never above the
    exact quotient and less than two units of the last digit below it."""
    a, b = SafeFloat.new(ma, ea), SafeFloat.new(mb, eb)
    q = a.div(b)
    want = exact(a) / exact(b)
    assert abs(exact(q) - want) <= want / 10**14
    assert exact(q) <= want < exact(q) + 2 * Fraction(10) ** q.exponent


def test_safefloat_div_by_zero_is_none():
    assert SafeFloat.new(1, 0).div(SafeFloat.zero()) is None
    assert SafeFloat.new(1, 0).mul_div(SafeFloat.new(1, 0), SafeFloat.zero()) is None


@pytest.mark.parametrize(("ma", "ea", "mb", "eb", "mc", "ec"), [
    (1, -20, 1, -20, 1, -20),
    (123, 20, 123, -20, 321, 0),
    (123_123_123_123_123_123, 20, 321_321_321_321_321_321, -20, 777_777_777_777_777_777, 0),
    (11_111_111_111_111_111_111, 20, 99_321_321_321_321_321_321, -20, 77_777_777_777_777_777_777, 0),
])
def test_safefloat_mul_div(ma, ea, mb, eb, mc, ec):
    """share-pool `test_safefloat_mul_div`."""
    a, b, c = SafeFloat.new(ma, ea), SafeFloat.new(mb, eb), SafeFloat.new(mc, ec)
    got = exact(a.mul_div(b, c))
    want = exact(a) * exact(b) / exact(c)
    assert abs(got - want) <= want / 10**14


def test_safefloat_from_u64f64_and_to_u64():
    """share-pool `test_safefloat_from_u64f64` (U64F64::from_num(0.1)); conversions to u64
    truncate and saturate."""
    f = U64F64.from_f64(0.1)
    got = exact(SafeFloat.from_u64f64(f))
    want = Fraction(f, 1 << 64)
    assert abs(got - want) <= want / 10**14
    assert SafeFloat.from_u64(12345).to_u64() == 12345
    assert SafeFloat.new(1999, -3).to_u64() == 1
    assert SafeFloat.new(1, -1).to_u64() == 0  # (10^21, -22): divided by the uncapped 10^22
    assert SafeFloat.new(SAFE_FLOAT_MAX, 100).to_u64() == (1 << 64) - 1
    assert SafeFloat.new(SAFE_FLOAT_MAX + 1, 0) is None
    assert SafeFloat.new(1, -(1 << 63)) is None  # normalising leaves i64
    assert SafeFloat.new(1, (1 << 63) - 1) == SafeFloat(E21, (1 << 63) - 22)
    assert SafeFloat.new(E21, -(1 << 63)).div(SafeFloat.new(10, 0)) is None


def test_safefloat_sub_and_gt():
    a, b = SafeFloat.new(5, 0), SafeFloat.new(3, 0)
    assert a.sub(b) == SafeFloat.new(2, 0)
    assert b.sub(a) == SafeFloat.zero()
    assert SafeFloat.zero().sub(a) is None
    assert a.gt(b) and not b.gt(a) and not a.gt(a)
    assert SafeFloat.new(2, 1).gt(SafeFloat.new(19, 0))
    assert not SafeFloat.new(19, 0).gt(SafeFloat.new(2, 1))
    # the Rust compares exponents first, so zero (exponent 0) is "greater" than 1 (10^21 * 10^-21)
    assert SafeFloat.zero().gt(SafeFloat.new(1, 0))
