"""substrate-fixed's fixed-point numbers as SCALE sees them: `FixedI128<Frac>` etc. encode as
their raw `bits` integer; `Frac` (the number of fractional bits) is a typenum type that only
appears as a type parameter in scale-info.

A value is the raw bits as a Python int (`I96F32` 1.5 is `3 << 31`), so arithmetic stays
integer-only; the arithmetic itself (substrate-fixed's rounding) is not here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pysubtensor.primitives.scale import I64, I128, U128, Codec, Field, Int, ScaleEncodeError, Struct

__all__ = ["I32F32", "I64F64", "I96F32", "U64F64", "U96F32", "FixedPoint", "typenum"]

#: typenum's terminator and bits: zero-sized, described as empty composites.
_UTERM = Struct(("substrate_typenum", "uint", "UTerm"), ())
_B0 = Struct(("substrate_typenum", "bit", "B0"), ())
_B1 = Struct(("substrate_typenum", "bit", "B1"), ())


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
    is that raw integer."""

    __slots__ = ("frac", "inner")

    def __init__(self, inner: Int, frac: int) -> None:
        kind = "I" if inner.signed else "U"
        super().__init__(path=("substrate_fixed", f"Fixed{kind}{inner.bits}"), params=(("Frac", typenum(frac)),))
        self.inner = inner
        self.frac = frac

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


I32F32 = FixedPoint(I64, 32)
I64F64 = FixedPoint(I128, 64)
I96F32 = FixedPoint(I128, 32)
U64F64 = FixedPoint(U128, 64)
U96F32 = FixedPoint(U128, 32)
