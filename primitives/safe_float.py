"""subtensor's `SafeFloat` (`primitives/share-pool`, newer than spec 381): a decimal float
`mantissa * 10^exponent` (u128 mantissa, i64 exponent) kept normalised so that
`SAFE_FLOAT_MAX / 10 < mantissa <= SAFE_FLOAT_MAX` (zero is (0, 0)). The share maps `AlphaV2` /
`TotalHotkeySharesV2` of later runtimes hold it; spec 381 (ours) still keeps shares as U64F64.

Every operation works on integers as the Rust does on U256: digits dropped when aligning or
normalising are truncated; operations that would leave the i64 exponent range give None.
"""

from __future__ import annotations

from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = ["SAFE_FLOAT_MAX", "SAFE_FLOAT_MAX_EXP", "SafeFloat"]

SAFE_FLOAT_MAX = 10**21
SAFE_FLOAT_MAX_EXP = 21
_MIN_MANTISSA = SAFE_FLOAT_MAX // 10
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1
_U64_MAX = (1 << 64) - 1


def _cappow10(e: int) -> int:
    """`cappow10`: 10^e, capped at 10^(SAFE_FLOAT_MAX_EXP + 1)."""
    return SAFE_FLOAT_MAX * 10 if e > SAFE_FLOAT_MAX_EXP + 1 else 10**e


def _normalized(m: int, e: int) -> SafeFloat | None:
    """`normalize`: None when the exponent leaves i64 on the way."""
    if m == 0:
        return SafeFloat(0, 0)
    while m > SAFE_FLOAT_MAX:
        m //= 10
        e += 1
        if e > _I64_MAX:
            return None
    while m <= _MIN_MANTISSA:
        m *= 10
        e -= 1
        if e < _I64_MIN:
            return None
    return SafeFloat(m, e)


@slots_dataclass(frozen=True)
class SafeFloat:
    """A normalised value; build one with `SafeFloat.new` / `from_u64` / `from_u64f64`."""

    mantissa: int = 0
    exponent: int = 0

    @staticmethod
    def zero() -> SafeFloat:
        return SafeFloat(0, 0)

    @staticmethod
    def new(mantissa: int, exponent: int) -> SafeFloat | None:
        """`SafeFloat::new`: None for a mantissa above SAFE_FLOAT_MAX or an exponent overflow."""
        if mantissa > SAFE_FLOAT_MAX:
            return None
        return _normalized(mantissa, exponent)

    @staticmethod
    def from_u64(n: int) -> SafeFloat:
        """`From<u64>`."""
        return SafeFloat.new(n, 0) or SafeFloat(0, 0)

    @staticmethod
    def from_u64f64(bits: int) -> SafeFloat:
        """`From<U64F64>`: integer part plus `frac / 2^64` (a SafeFloat division), added."""
        if bits == 0:
            return SafeFloat(0, 0)
        int_part = SafeFloat.new(bits >> 64, 0) or SafeFloat(0, 0)
        frac_num = SafeFloat.new(bits & _U64_MAX, 0) or SafeFloat(0, 0)
        frac = frac_num.div(SafeFloat.new(1 << 64, 0)) or SafeFloat(0, 0)
        return int_part.add(frac) or SafeFloat(0, 0)

    def is_zero(self) -> bool:
        return self.mantissa == 0

    def to_u64(self) -> int:
        """`From<&SafeFloat> for u64`: `m * 10^e` truncated, saturating at u64::MAX."""
        if self.exponent == 0:
            return min(self.mantissa, _U64_MAX)
        scale = _cappow10(abs(self.exponent))
        q = self.mantissa * scale if self.exponent > 0 else self.mantissa // scale
        return min(q, _U64_MAX)

    def _aligned(self, a: SafeFloat) -> tuple[int, int, int]:
        """Both mantissas at the larger exponent (the smaller one's low digits truncated)."""
        if self.exponent >= a.exponent:
            return self.mantissa, a.mantissa // _cappow10(self.exponent - a.exponent), self.exponent
        return self.mantissa // _cappow10(a.exponent - self.exponent), a.mantissa, a.exponent

    def add(self, a: SafeFloat) -> SafeFloat | None:
        if self.mantissa == 0:
            return a
        if a.mantissa == 0:
            return self
        m1, m2, e = self._aligned(a)
        return _normalized(m1 + m2, e)

    def sub(self, a: SafeFloat) -> SafeFloat | None:
        """`self - a`, saturating at zero; None for zero minus a non-zero value."""
        if self.mantissa == 0:
            return SafeFloat(0, 0) if a.mantissa == 0 else None
        if a.mantissa == 0:
            return self
        m1, m2, e = self._aligned(a)
        return _normalized(max(m1 - m2, 0), e)

    def mul_div(self, a: SafeFloat, b: SafeFloat) -> SafeFloat | None:
        """`self * a / b`: mantissa product divided (truncating) by b's mantissa."""
        if b.mantissa == 0:
            return None
        e = self.exponent + a.exponent
        if not _I64_MIN <= e <= _I64_MAX:
            return None
        e -= b.exponent
        if not _I64_MIN <= e <= _I64_MAX:
            return None
        return _normalized(self.mantissa * a.mantissa // b.mantissa, e)

    def div(self, a: SafeFloat) -> SafeFloat | None:
        """`self / a` with SAFE_FLOAT_MAX_EXP extra digits; None on a zero divisor."""
        e = self.exponent - a.exponent - SAFE_FLOAT_MAX_EXP
        if not _I64_MIN <= e <= _I64_MAX or a.mantissa == 0:
            return None
        return _normalized(self.mantissa * SAFE_FLOAT_MAX // a.mantissa, e)

    def gt(self, a: SafeFloat) -> bool:
        """`self > a` for normalised values (as the Rust compares them)."""
        if self.exponent == a.exponent:
            return self.mantissa > a.mantissa
        if self.exponent > a.exponent:
            return self.exponent - a.exponent > 1 or 10 * self.mantissa > a.mantissa
        return a.exponent - self.exponent <= 1 and self.mantissa > 10 * a.mantissa

