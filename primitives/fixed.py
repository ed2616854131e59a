"""substrate-fixed v0.6 (the `fixed` 0.5 fork subtensor uses): its binary fixed-point types,
their SCALE codecs and their arithmetic, bit for bit.

A value is its raw `bits` as a Python int (`I96F32` 1.5 is `3 << 31`; storage and runtime-API
values are these ints too); the type object carries the codec *and* the arithmetic, so code
reads like the Rust with the type named once:

    price = U64F64.safe_div(U64F64.from_num(tao), U64F64.from_num(alpha))   # Rust: safe_div
    rao = U64F64.saturating_to_num(U64F64.saturating_mul(price, amount))   # -> u64

Rounding, as the crate has it (`src/arith.rs`, `src/wide_div.rs`, `src/macros_from_to.rs`):
- `mul`: the exact product's fractional bits are dropped by an arithmetic shift, i.e. floor
  (toward -inf, also for negative products);
- `div`: `(a << F) / b` with integer division truncating toward zero (signed too);
- fixed→int (`to_num`, `saturating_to_num`) and fixed→fixed with fewer fractional bits drop
  the extra bits: floor;
- int→fixed is exact; f64→fixed (`from_f64`, for the Rust float literals) rounds the double's
  exact value to nearest, ties to even;
- `round` halves away from zero; `floor`/`ceil` as named.

Overflow, per method family as in Rust: `checked_*` return None (division also on a zero
divisor), `saturating_*` clamp (a product/quotient of mixed signs to MIN, else MAX; a zero
divisor raises ZeroDivisionError like the Rust panic), `wrapping_*` wrap modulo 2^N (what
the plain `+ - * /` operators and a bare `from_num` do in the release-built runtime), and the
bare `from_num` / `from_fixed` here raise OverflowError (the debug-build panic) so that an
unexpected overflow is loud; port a Rust `from_num` that can overflow on chain with
`wrapping_from_num` / `wrapping_from_fixed`. `safe_div` / `safe_div_or` are
subtensor's `safe-math` `SafeDiv`: `checked_div` or 0 / the default (so an overflowing
quotient becomes 0 too). Comparisons within one type are plain int comparisons of the bits.

`FixedExt` helpers of subtensor's `safe-math` used by the runtime are here too:
`checked_sqrt` (bisection), `checked_pow`, `abs_diff`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pysubtensor.primitives.scale import I64, I128, U128, Codec, Field, Int, ScaleEncodeError, Struct

__all__ = ["I32F32", "I64F64", "I96F32", "I110F18", "U64F64", "U96F32", "U110F18", "FixedPoint", "exp", "safe_div_int",
           "typenum"]

#: typenum's terminator and bits: zero-sized, described as empty composites.
_UTERM = Struct(("substrate_typenum", "uint", "UTerm"), ())
_B0 = Struct(("substrate_typenum", "bit", "B0"), ())
_B1 = Struct(("substrate_typenum", "bit", "B1"), ())
_U64_MAX = (1 << 64) - 1


@cache
def typenum(n: int) -> Codec:
    """typenum's unsigned integer `n` as a type: `UInt<UInt<…UTerm, B1>…, B0>`, most
    significant bit innermost (32 is `UInt<UInt<UInt<UInt<UInt<UInt<UTerm, B1>, B0>, B0>, B0>, B0>, B0>`)."""
    if n == 0:
        return _UTERM
    msb, lsb = typenum(n >> 1), _B1 if n & 1 else _B0
    return Struct(("substrate_typenum", "uint", "UInt"), (Field("msb", msb, "U"), Field("lsb", lsb, "B")),
                  params=(("U", msb), ("B", lsb)))


class FixedPoint(Codec):
    """`substrate_fixed::Fixed{I,U}{N}<Frac>`: a struct of one field `bits`; the Python value
    is that raw integer. The methods are the crate's arithmetic on such values."""

    __slots__ = ("_int_mask", "_modulus", "frac", "inner", "max_bits", "min_bits", "nbits", "one", "signed")
    immutable = True  # the value is the raw int

    def __init__(self, inner: Int, frac: int) -> None:
        kind = "I" if inner.signed else "U"
        super().__init__(path=("substrate_fixed", f"Fixed{kind}{inner.bits}"), params=(("Frac", typenum(frac)),))
        self.inner = inner
        self.frac = frac
        self.signed = inner.signed
        self.nbits = inner.bits
        #: MIN / MAX as bits (`min_value()` / `max_value()`)
        self.min_bits = inner.lo
        self.max_bits = inner.hi
        #: 1.0 as bits (only meaningful when the type has an integer bit)
        self.one = 1 << frac
        self._modulus = 1 << inner.bits
        self._int_mask = ~((1 << frac) - 1)

    # -- codec -----------------------------------------------------------------------------

    def encode_into(self, value: Any, out: bytearray) -> None:
        try:
            self.inner.encode_into(value, out)
        except ScaleEncodeError as e:
            raise ScaleEncodeError(f"{self.display_name}: {e}") from None

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[int, int]:
        return self.inner.decode(data, offset)

    def type_def(self) -> tuple:
        return ("composite", (Field("bits", self.inner, self.inner.display_name),))

    @property
    def display_name(self) -> str:
        kind = "I" if self.inner.signed else "U"
        return f"{kind}{self.inner.bits - self.frac}F{self.frac}"

    # -- range helpers ---------------------------------------------------------------------

    def _fits(self, bits: int) -> bool:
        return self.min_bits <= bits <= self.max_bits

    def _sat(self, bits: int) -> int:
        return self.max_bits if bits > self.max_bits else self.min_bits if bits < self.min_bits else bits

    def _wrap(self, bits: int) -> int:
        bits &= self._modulus - 1
        return bits - self._modulus if self.signed and bits > self.max_bits else bits

    def _checked(self, bits: int, what: str) -> int:
        if not self.min_bits <= bits <= self.max_bits:
            raise OverflowError(f"{self.display_name}: {what} overflows")
        return bits

    # -- construction ----------------------------------------------------------------------

    def from_num(self, n: int) -> int:
        """`from_num(int)`: exact; OverflowError where Rust panics."""
        return self._checked(n << self.frac, "from_num")

    def saturating_from_num(self, n: int) -> int:
        """`saturating_from_num(int)`."""
        bits = n << self.frac  # `_sat`, inlined: the pool and the share maps call this most
        return self.max_bits if bits > self.max_bits else self.min_bits if bits < self.min_bits else bits

    def wrapping_from_num(self, n: int) -> int:
        """`wrapping_from_num(int)`: what a bare `from_num` returns on overflow in the
        release-built runtime (debug assertions off)."""
        return self._wrap(n << self.frac)

    def checked_from_num(self, n: int) -> int | None:
        bits = n << self.frac
        return bits if self._fits(bits) else None

    def _from_ratio(self, num: int, den: int) -> int:
        """`num/den` (den > 0) times 2^frac rounded to nearest, ties to even."""
        q, r = divmod(num << self.frac, den)
        if 2 * r > den or (2 * r == den and q & 1):
            q += 1
        return q

    def from_f64(self, x: float) -> int:
        """`from_num(f64)` for a Rust float literal: the double's exact value rounded to the
        nearest representable value, ties to even; OverflowError if out of range."""
        num, den = x.as_integer_ratio()  # exact: the literal is already an IEEE double
        return self._checked(self._from_ratio(num, den), "from_num(f64)")

    def saturating_from_f64(self, x: float) -> int:
        """`saturating_from_num(f64)` (NaN raises, as the crate panics)."""
        if x != x:
            raise ValueError("NaN")
        if x in (float("inf"), float("-inf")):
            return self.max_bits if x > 0 else self.min_bits
        num, den = x.as_integer_ratio()
        return self._sat(self._from_ratio(num, den))

    def _shift_from(self, src: FixedPoint, bits: int) -> int:
        d = self.frac - src.frac
        return bits << d if d >= 0 else bits >> -d  # dropping bits floors

    def from_fixed(self, src: FixedPoint, bits: int) -> int:
        """`Self::from_num(src_value)` for another fixed type: extra fractional bits truncated
        (floor); OverflowError where Rust panics."""
        return self._checked(self._shift_from(src, bits), "from_num(fixed)")

    def saturating_from_fixed(self, src: FixedPoint, bits: int) -> int:
        """`Self::saturating_from_num(src_value)` (e.g. `I64F64::saturating_from_num(u64f64)`)."""
        return self._sat(self._shift_from(src, bits))

    def wrapping_from_fixed(self, src: FixedPoint, bits: int) -> int:
        """`wrapping_from_num(src_value)` (a bare `from_num` overflowing in the release runtime)."""
        return self._wrap(self._shift_from(src, bits))

    def checked_from_fixed(self, src: FixedPoint, bits: int) -> int | None:
        out = self._shift_from(src, bits)
        return out if self._fits(out) else None

    # -- conversion out --------------------------------------------------------------------

    def to_num(self, bits: int) -> int:
        """`to_num::<integer>()`'s value: the fractional bits dropped (floor), unbounded."""
        return bits >> self.frac

    def saturating_to_num(self, bits: int, int_bits: int = 64, signed: bool = False) -> int:
        """`saturating_to_num::<uN/iN>()`: floor, clamped to that integer's range (default u64)."""
        v = bits >> self.frac
        if int_bits == 64 and not signed:  # u64, the usual target
            return _U64_MAX if v > _U64_MAX else 0 if v < 0 else v
        lo, hi = (-(1 << (int_bits - 1)), (1 << (int_bits - 1)) - 1) if signed else (0, (1 << int_bits) - 1)
        return hi if v > hi else lo if v < lo else v

    def checked_to_num(self, bits: int, int_bits: int = 64, signed: bool = False) -> int | None:
        v = bits >> self.frac
        lo, hi = (-(1 << (int_bits - 1)), (1 << (int_bits - 1)) - 1) if signed else (0, (1 << int_bits) - 1)
        return v if lo <= v <= hi else None

    def to_fraction_parts(self, bits: int) -> tuple[int, int]:
        """(numerator, denominator) of the exact value, for tests and display."""
        return bits, 1 << self.frac

    # -- add / sub -------------------------------------------------------------------------

    def checked_add(self, a: int, b: int) -> int | None:
        r = a + b
        return r if self._fits(r) else None

    def saturating_add(self, a: int, b: int) -> int:
        r = a + b
        return self.max_bits if r > self.max_bits else self.min_bits if r < self.min_bits else r

    def wrapping_add(self, a: int, b: int) -> int:
        return self._wrap(a + b)

    def checked_sub(self, a: int, b: int) -> int | None:
        r = a - b
        return r if self._fits(r) else None

    def saturating_sub(self, a: int, b: int) -> int:
        """Unsigned types clamp at 0 (subtensor relies on it)."""
        r = a - b
        return self.max_bits if r > self.max_bits else self.min_bits if r < self.min_bits else r

    def wrapping_sub(self, a: int, b: int) -> int:
        return self._wrap(a - b)

    # -- mul -------------------------------------------------------------------------------

    def checked_mul(self, a: int, b: int) -> int | None:
        r = (a * b) >> self.frac
        return r if self._fits(r) else None

    def saturating_mul(self, a: int, b: int) -> int:
        r = (a * b) >> self.frac
        if self.min_bits <= r <= self.max_bits:
            return r
        return self.min_bits if (a < 0) != (b < 0) else self.max_bits

    def wrapping_mul(self, a: int, b: int) -> int:
        return self._wrap((a * b) >> self.frac)

    def saturating_mul_int(self, a: int, n: int) -> int:
        """`saturating_mul_int(n)`: value * integer (no fractional shift)."""
        r = a * n
        if self.min_bits <= r <= self.max_bits:
            return r
        return self.min_bits if (a < 0) != (n < 0) else self.max_bits

    # -- div -------------------------------------------------------------------------------

    def _quot(self, a: int, b: int) -> int:
        n = a << self.frac
        if (n < 0) == (b < 0):
            return n // b
        return -((-n) // b) if n < 0 else -(n // -b)  # truncate toward zero

    def checked_div(self, a: int, b: int) -> int | None:
        """None on a zero divisor or on overflow."""
        if not b:
            return None
        r = self._quot(a, b)
        return r if self._fits(r) else None

    def saturating_div(self, a: int, b: int) -> int:
        if not b:
            raise ZeroDivisionError(f"{self.display_name}: division by zero")
        r = self._quot(a, b)
        if self.min_bits <= r <= self.max_bits:
            return r
        return self.min_bits if (a < 0) != (b < 0) else self.max_bits

    def wrapping_div(self, a: int, b: int) -> int:
        if not b:
            raise ZeroDivisionError(f"{self.display_name}: division by zero")
        return self._wrap(self._quot(a, b))

    def safe_div(self, a: int, b: int) -> int:
        """subtensor `SafeDiv::safe_div`: `checked_div` or 0."""
        if not b:
            return 0
        r = (a << self.frac) // b if a >= 0 and b > 0 else self._quot(a, b)
        return r if self.min_bits <= r <= self.max_bits else 0

    def safe_div_or(self, a: int, b: int, default: int) -> int:
        """subtensor `SafeDiv::safe_div_or`: `checked_div` or `default`."""
        r = self.checked_div(a, b)
        return default if r is None else r

    # -- rounding --------------------------------------------------------------------------

    def int_part(self, bits: int) -> int:
        """`int()`: the integer part as a fixed value (floor for negatives, as the crate)."""
        return bits & self._int_mask

    def frac_part(self, bits: int) -> int:
        """`frac()`: `bits - int()` (non-negative)."""
        return bits & (self.one - 1)

    def floor(self, bits: int) -> int:
        return self._wrap(bits & self._int_mask)

    def ceil(self, bits: int) -> int:
        """Toward +∞; wraps on overflow like the release build."""
        return self._wrap(-((-bits) & self._int_mask))

    def round(self, bits: int) -> int:
        """To nearest, ties away from zero; wraps on overflow like the release build."""
        half = 1 << (self.frac - 1) if self.frac else 0
        if bits >= 0:
            return self._wrap((bits + half) & self._int_mask)
        return self._wrap(-((-bits + half) & self._int_mask))

    # -- safe-math FixedExt ----------------------------------------------------------------

    def abs_diff(self, a: int, b: int) -> int:
        """`FixedExt::abs_diff` (saturating)."""
        return self.saturating_sub(b, a) if a < b else self.saturating_sub(a, b)

    def checked_pow(self, base: int, exponent: int) -> int | None:
        """`FixedExt::checked_pow`: binary exponentiation with saturating products; a negative
        exponent inverts (`safe_div`-like: 0 if that overflows); 0^negative is None."""
        one = self.saturating_from_num(1)
        if exponent == 0:
            return one
        if base == 0:
            return None if exponent < 0 else 0
        result, b, e = one, base, abs(exponent)
        while e:
            if e & 1:
                result = self.saturating_mul(result, b)
            b = self.saturating_mul(b, b)
            e >>= 1
        if exponent < 0:
            result = self.safe_div(one, result)
        return result

    def checked_sqrt(self, bits: int, epsilon: int) -> int | None:
        """`FixedExt::checked_sqrt(epsilon)`: bisection on `x / middle` against `middle`, at
        most 129 steps; None for a negative value."""
        zero, one, two = 0, self.saturating_from_num(1), self.saturating_from_num(2)
        if bits < zero:
            return None
        high, low = (bits, zero) if bits > one else (one, bits)
        middle = self.safe_div(self.saturating_add(high, low), two)
        check = self.safe_div(bits, middle)
        iteration = 0
        while self.abs_diff(check, middle) > epsilon:
            if check < middle:
                high = middle
            else:
                low = middle
            middle = self.safe_div(self.saturating_add(high, low), two)
            check = self.safe_div(bits, middle)
            iteration += 1
            if iteration > 128:
                break
        return middle


#: `transcendental::E`: e as I9F23 (the crate's 126-bit constant shifted down, i.e. floor(e * 2^23)).
_E_I9F23 = 22802600
_E_FRAC = 23


def exp(ty: FixedPoint, bits: int) -> int | None:
    """`substrate_fixed::transcendental::exp::<T, T>` on a signed type: the Taylor series
    1 + x + x^2/2! + ... with terms up to i = frac-1, each step `checked_mul` then `checked_div`
    by i then `checked_add`; for x < 0 the reciprocal of exp(|x|); 0 gives 1 and 1 gives the
    crate's 23-bit constant e. None where the crate returns `Err` (an overflowing step)."""
    if bits == 0:
        return ty.one
    if bits == ty.one:
        return _E_I9F23 << (ty.frac - _E_FRAC)
    neg = bits < 0
    x = -bits if neg else bits
    frac, hi = ty.frac, ty.max_bits
    result = x + ty.one
    term = x
    # x >= 0, so every term is non-negative: `checked_mul` is the floored product and `checked_div` by
    # from_num(i) is (term << frac) / (i << frac) = term // i; only the upper bound can fail.
    for i in range(2, frac):
        term = (term * x) >> frac
        if term > hi:
            return None
        term //= i
        result += term
        if result > hi:
            return None
    if neg:
        return ty.checked_div(ty.one, result)
    return result


def safe_div_int(a: int, b: int, default: int = 0) -> int:
    """subtensor `SafeDiv` on an unsigned primitive integer: `a / b` (floor) or `default` on a
    zero divisor."""
    return a // b if b else default


I32F32 = FixedPoint(I64, 32)
I64F64 = FixedPoint(I128, 64)
I96F32 = FixedPoint(I128, 32)
U64F64 = FixedPoint(U128, 64)
U96F32 = FixedPoint(U128, 32)
I110F18 = FixedPoint(I128, 18)
U110F18 = FixedPoint(U128, 18)
