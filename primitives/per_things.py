"""sp-arithmetic's per-things (`Percent`, `Perbill`, `Perquintill`): a value is its parts (an
int) out of the type's `ACCURACY`.

Rounding as sp-arithmetic has it (polkadot-sdk `primitives/arithmetic/src/per_things.rs`):
- `from_rational(p, q)` is `from_rational_with_rounding(p, q, Rounding::Down)`: floor of
  `p * ACCURACY / q`; `q == 0` or `p > q` gives `one()` (the `unwrap_or_else(|_| one())`);
- `x * n` (`Mul<N>`) rounds to nearest, halves down (`Rounding::NearestPrefDown`);
  `mul_floor` / `mul_ceil` round down / up.
Integers only; the per-thing is never turned into a float.
"""

from __future__ import annotations

from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = ["PERBILL", "PERCENT", "PERQUINTILL", "PerThing"]


@slots_dataclass(frozen=True)
class PerThing:
    """One per-thing type (its `ACCURACY`); methods take and return parts."""

    name: str
    accuracy: int

    @property
    def one(self) -> int:
        return self.accuracy

    def from_parts(self, parts: int) -> int:
        """`from_parts`: parts above `ACCURACY` are capped (`min(parts, ACCURACY)`)."""
        return min(parts, self.accuracy)

    def from_percent(self, percent: int) -> int:
        """`from_percent(x)`: `x` capped at 100."""
        return min(percent, 100) * (self.accuracy // 100)

    def from_rational(self, p: int, q: int) -> int:
        """`from_rational(p, q)`: floor(p/q in parts); `one()` if q is 0 or p > q."""
        if q == 0 or p > q:
            return self.accuracy
        return p * self.accuracy // q

    def from_rational_with_rounding(self, p: int, q: int, rounding: str) -> int | None:
        """`from_rational_with_rounding`: None (Rust `Err`) if q is 0 or p > q; `rounding` is
        "down", "up", "nearest_pref_down" or "nearest_pref_up"."""
        if q == 0 or p > q:
            return None
        return _rounded(p * self.accuracy, q, rounding)

    def mul(self, parts: int, n: int) -> int:
        """`Self::from_parts(parts) * n`: nearest, halves down."""
        return _rounded(n * parts, self.accuracy, "nearest_pref_down")

    def mul_floor(self, parts: int, n: int) -> int:
        return n * parts // self.accuracy

    def mul_ceil(self, parts: int, n: int) -> int:
        return -((-n * parts) // self.accuracy)

    def complement(self, parts: int) -> int:
        """`one() - self` (`left_from_one`)."""
        return self.accuracy - parts


def _rounded(num: int, den: int, rounding: str) -> int:
    q, r = divmod(num, den)
    if r == 0 or rounding == "down":
        return q
    if rounding == "up":
        return q + 1
    if rounding == "nearest_pref_down":
        return q + 1 if 2 * r > den else q
    if rounding == "nearest_pref_up":
        return q + 1 if 2 * r >= den else q
    raise ValueError(f"unknown rounding {rounding!r}")


PERCENT = PerThing("Percent", 100)
PERBILL = PerThing("Perbill", 1_000_000_000)
PERQUINTILL = PerThing("Perquintill", 1_000_000_000_000_000_000)
