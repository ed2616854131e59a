"""sp-arithmetic per-things (primitives/per_things.py): rounding against exact rationals and
the values sp-arithmetic's own doc/unit tests and subtensor use."""

from __future__ import annotations

import random
from fractions import Fraction
from math import ceil, floor

from pysubtensor.primitives.per_things import PERBILL, PERCENT, PERQUINTILL


def test_from_rational_floors():
    """`from_rational` rounds down (sp-arithmetic doc: `Percent::from_rational(989u64, 1000)`
    is `from_parts(98)`), zero denominator or p > q is one()."""
    assert PERCENT.from_rational(989, 1000) == 98
    assert PERBILL.from_rational(1, 0) == PERBILL.one
    assert PERBILL.from_rational(1, 1) == PERBILL.one
    assert PERQUINTILL.from_rational(3, 2) == PERQUINTILL.one
    assert PERQUINTILL.from_rational(1, 3) == 333_333_333_333_333_333
    assert PERQUINTILL.from_rational(2, 3) == 666_666_666_666_666_666  # floor, not ...667
    # subtensor swap: the balancer's default quote weight is from_rational(1, 2)
    assert PERQUINTILL.from_rational(1, 2) == 500_000_000_000_000_000
    rng = random.Random(1)
    for _ in range(2000):
        q = rng.getrandbits(rng.choice([8, 64, 128])) + 1
        p = rng.randrange(q + 1)
        assert PERQUINTILL.from_rational(p, q) == floor(Fraction(p, q) * 10**18)
        assert PERQUINTILL.from_rational_with_rounding(p, q, "up") == ceil(Fraction(p, q) * 10**18)
    assert PERBILL.from_rational_with_rounding(1, 0, "down") is None


def test_mul_rounds_nearest_halves_down():
    # Perbill::from_parts(500_000) * ref_time: half a rao rounds down, more rounds up
    assert PERBILL.mul(500_000, 1_000) == 0
    assert PERBILL.mul(500_000, 1_001) == 1
    assert PERBILL.mul(500_000, 3_000) == 1  # exactly 1.5: halves down
    assert PERBILL.mul(500_000, 3_002) == 2
    assert PERCENT.mul(50, 3) == 1  # 1.5 -> 1 (halves down)
    assert PERCENT.mul(50, 5) == 2
    assert PERCENT.mul_ceil(50, 3) == 2 and PERCENT.mul_floor(50, 3) == 1
    assert PERCENT.from_percent(30) == 30 and PERBILL.from_percent(150) == PERBILL.one
    assert PERQUINTILL.complement(PERQUINTILL.from_rational(1, 4)) == 750_000_000_000_000_000
