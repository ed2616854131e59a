"""share-pool (primitives/share_pool.py): the crate's own tests, for the spec-381 U64F64 pool
(opentensor/subtensor 7d5626d `primitives/share-pool/src/lib.rs`) and the later SafeFloat
pool (main), on an in-memory state like the crate's `MockSharePoolDataOperations`."""

from __future__ import annotations

import random
from fractions import Fraction

from pysubtensor.primitives.fixed import I64F64, U64F64
from pysubtensor.primitives.safe_float import SafeFloat
from pysubtensor.primitives.share_pool import SharePool, SharePoolV2

U64_MAX = (1 << 64) - 1
ONE = U64F64.one


class Mock:
    """`MockSharePoolDataOperations`: zero defaults, a dict of shares."""

    def __init__(self, zero):
        self.zero = zero
        self.shared_value = 0
        self.share = {}
        self.denominator = zero

    def get_shared_value(self):
        return self.shared_value

    def get_share(self, key):
        return self.share.get(key, self.zero)

    def try_get_share(self, key):
        return self.share.get(key)

    def get_denominator(self):
        return self.denominator

    def set_shared_value(self, value):
        self.shared_value = value

    def set_share(self, key, share):
        self.share[key] = share

    def set_denominator(self, value):
        self.denominator = value


def v1() -> SharePool:
    return SharePool(Mock(0))


def v2() -> SharePoolV2:
    return SharePoolV2(Mock(SafeFloat.zero()))


# -- spec 381 (U64F64) --------------------------------------------------------------------

def test_get_value():
    pool = v1()
    pool.state.denominator, pool.state.shared_value = 10 * ONE, 100 * ONE
    pool.state.share = {1: 3 * ONE, 2: 7 * ONE}
    assert (pool.get_value(1), pool.get_value(2)) == (30, 70)


def test_division_by_zero():
    assert v1().get_value(1) == 0
    assert v2().get_value(1) == 0


def test_max_shared_value():
    pool = v1()
    pool.state.shared_value, pool.state.denominator = U64_MAX * ONE, 10 * ONE
    pool.state.share = {1: 3 * ONE, 2: 7 * ONE}
    assert U64_MAX - (pool.get_value(1) + pool.get_value(2)) <= 5


def test_max_share_value():
    pool = v1()
    pool.state.shared_value, pool.state.denominator = 1_000_000_000 * ONE, U64_MAX * ONE
    pool.state.share = {1: (U64_MAX // 2) * ONE, 2: (U64_MAX // 2) * ONE}
    assert abs(pool.get_value(1) - 500_000_000) <= 1
    assert abs(pool.get_value(2) - 500_000_000) <= 1


def test_denom_precision():
    pool = v1()
    assert pool.update_value_for_one(1, 1000) == 1000
    assert pool.get_value(1) == 1000
    pool.update_value_for_one(1, -990)
    pool.update_value_for_one(2, 1000)
    pool.update_value_for_one(2, -990)
    assert (pool.get_value(1), pool.get_value(2)) == (10, 10)


def test_denom_high_precision():
    pool = v1()
    pool.update_value_for_one(1, 1)
    pool.update_value_for_one(2, 1)
    pool.update_value_for_all(999_999_999_999_998)
    pool.update_value_for_one(1, -499_999_999_999_990)
    pool.update_value_for_one(2, -499_999_999_999_990)
    pool.update_value_for_all(999_999_999_999_980)
    pool.update_value_for_one(1, 1_000_000_000_000)
    pool.update_value_for_one(2, 1_000_000_000_000)
    # "First to stake gets all accumulated emission if there are no other stakers"
    assert abs(pool.get_value(1) - 1_001_000_000_000_000) < 100
    assert abs(pool.get_value(2) - 1_000_000_000_000) < 100


def test_denom_high_precision_many_small_unstakes():
    """`test_denom_high_precision_many_small_unstakes` (spec 381): 10^6 unstakes of 0.5 TAO
    from each of two keys (about 10 s here)."""
    pool = v1()
    pool.update_value_for_one(1, 1)
    pool.update_value_for_one(2, 1)
    pool.update_value_for_all(1_000_000_000_000_000)
    for _ in range(1_000_000):
        pool.update_value_for_one(1, -500_000_000)
        pool.update_value_for_one(2, -500_000_000)
    pool.update_value_for_all(1_000_000_000_000_000)
    pool.update_value_for_one(1, 1_000_000_000_000)
    pool.update_value_for_one(2, 1_000_000_000_000)
    assert abs(pool.get_value(1) - 1_001_000_000_000_000) < 10
    assert abs(pool.get_value(2) - 1_000_000_000_000) < 10


def test_update_value_for_all():
    pool = v1()
    pool.update_value_for_all(1000)
    assert pool.state.shared_value == 1000 * ONE
    pool.update_value_for_all(-2000)
    assert pool.state.shared_value == 0
    # i64::MIN: its negation wraps to itself, which saturates to 0 in U64F64: nothing taken
    pool.update_value_for_all(1000)
    pool.update_value_for_all(-(1 << 63))
    assert pool.state.shared_value == 1000 * ONE


def test_get_shares_per_update():
    """`test_get_shares_per_update` (spec 381): within 0.1 % of update * denominator / value."""
    for update, shared, denominator, expected in [
        (1, 1, 1.0, 1.0),
        (1_000, 21_000_000_000_000_000, 0.00001, 0.00000000000000000043),
        (21_000_000_000_000_000, 21_000_000_000_000_000, 0.00001, 0.00001),
        (210_000_000_000_000_000, 21_000_000_000_000_000, 0.00001, 0.0001),
        (1_000, 1_000, 21_000_000_000_000_000.0, 21_000_000_000_000_000.0),
    ]:
        spu = v1()._shares_per_update(update, U64F64.saturating_from_num(shared), U64F64.from_f64(denominator))
        want = I64F64.from_f64(expected)
        assert abs(spu - want) <= want // 1000


def test_shares_against_exact_rationals():
    """Random stake/unstake/emission sequences: every key's value is its exact pro-rata part of
    the pool within one rao per operation, and the pool's value is the sum of updates."""
    rng = random.Random(5)
    pool = v1()
    total = 0
    for _ in range(400):
        key = rng.randrange(4)
        op = rng.random()
        if op < 0.2:
            d = rng.randrange(1, 10**12)
            pool.update_value_for_all(d)
            total += d
        elif op < 0.6 or pool.get_value(key) == 0:
            d = rng.randrange(1, 10**13)
            total += pool.update_value_for_one(key, d)
        else:
            d = rng.randrange(1, pool.get_value(key) + 1)
            total += pool.update_value_for_one(key, -d)
        assert pool.state.shared_value >> 64 == total
        den = pool.state.denominator
        for k, s in pool.state.share.items():
            if den:
                exact = Fraction(pool.state.shared_value * s, den * ONE)
                assert abs(pool.get_value(k) - exact) <= 2


def test_unstake_dust_clears_key():
    """The spec-381 dust rule: selling leaves < 0.001 % of the shares -> the whole value goes."""
    pool = v1()
    pool.update_value_for_one(1, 1_000_000)
    pool.update_value_for_one(2, 1_000_000)
    assert pool.update_value_for_one(1, -999_995) == -1_000_000
    assert pool.state.share[1] == 0 and pool.get_value(2) == 1_000_000
    assert pool.update_value_for_one(2, -999_000) == -999_000


def test_sim_update_value_for_one():
    pool = v1()
    assert pool.sim_update_value_for_one(5)
    pool.update_value_for_one(1, 1)
    pool.update_value_for_all(10**18)
    assert not pool.sim_update_value_for_one(0)
    assert pool.sim_update_value_for_one(10**9)


# -- later crate (SafeFloat) ----------------------------------------------------------------

def test_v2_get_value_and_limits():
    """main `test_get_value`, `test_max_shared_value`, `test_max_share_value`."""
    pool = v2()
    pool.state.denominator, pool.state.shared_value = SafeFloat.from_u64(10), 100
    pool.state.share = {1: SafeFloat.from_u64(3), 2: SafeFloat.from_u64(7)}
    assert (pool.get_value(1), pool.get_value(2)) == (30, 70)
    pool.state.shared_value = U64_MAX
    assert U64_MAX - (pool.get_value(1) + pool.get_value(2)) <= 5
    pool.state.shared_value, pool.state.denominator = 1_000_000_000, SafeFloat.from_u64(U64_MAX)
    pool.state.share = {1: SafeFloat.from_u64(U64_MAX // 2), 2: SafeFloat.from_u64(U64_MAX // 2)}
    assert abs(pool.get_value(1) - 500_000_000) <= 1 and abs(pool.get_value(2) - 500_000_000) <= 1


def test_v2_denom_precision():
    pool = v2()
    pool.update_value_for_one(1, 1000)
    assert pool.get_value(1) == 1000
    pool.update_value_for_one(1, -990)
    pool.update_value_for_one(2, 1000)
    pool.update_value_for_one(2, -990)
    assert (pool.get_value(1), pool.get_value(2)) == (10, 10)


def test_v2_denom_high_precision():
    pool = v2()
    pool.update_value_for_one(1, 1)
    pool.update_value_for_one(2, 1)
    pool.update_value_for_all(999_999_999_999_998)
    pool.update_value_for_one(1, -499_999_999_999_990)
    pool.update_value_for_one(2, -499_999_999_999_990)
    pool.update_value_for_all(999_999_999_999_980)
    pool.update_value_for_one(1, 1_000_000_000_000)
    pool.update_value_for_one(2, 1_000_000_000_000)
    assert abs(pool.get_value(1) - 501_000_000_000_000) <= 1
    assert abs(pool.get_value(2) - 501_000_000_000_000) <= 1


def test_v2_denom_high_precision_many_small_unstakes():
    pool = v2()
    pool.update_value_for_one(1, 1)
    pool.update_value_for_one(2, 1)
    pool.update_value_for_all(1_000_000_000_000_000)
    for _ in range(1000):
        pool.update_value_for_one(1, -500_000_000)
        pool.update_value_for_one(2, -500_000_000)
    pool.update_value_for_all(1_000_000_000_000_000)
    pool.update_value_for_one(1, 1_000_000_000_000)
    pool.update_value_for_one(2, 1_000_000_000_000)
    expected = 1_001_000_000_000_000 - 1000 * 500_000_000
    assert abs(pool.get_value(1) - expected) <= 1 and abs(pool.get_value(2) - expected) <= 1


def test_v2_get_shares_per_update():
    """main `test_get_shares_per_update`: within 0.1 %."""
    for update, shared, dm, de in [
        (1, 1, 1, 0), (1, 1_000_000_000_000_000_000, 1, 0), (1, 21_000_000_000_000_000, 1, 5),
        (1, 21_000_000_000_000_000, 1, -1_000_000), (1_000, 21_000_000_000_000_000, 1, 5),
        (21_000_000_000_000_000, 21_000_000_000_000_000, 1, -100),
        (210_000_000_000_000_000, 21_000_000_000_000_000, 1, 5), (1_000, 1_000, 21_000_000_000_000_000, -1),
    ]:
        den = SafeFloat.new(dm, de)
        spu = v2()._shares_per_update(update, shared, den)
        got = Fraction(spu.mantissa) * Fraction(10) ** spu.exponent
        want = Fraction(update) * Fraction(den.mantissa) * Fraction(10) ** den.exponent / shared
        assert abs(got - want) <= want / 1000


def test_v2_loss_due_to_precision():
    """main `test_loss_due_to_precision`."""
    pool = v2()
    pool.state.denominator = SafeFloat.new(1, -14)
    pool.state.shared_value = 1_000_000_000_000
    pool.state.share = {1: SafeFloat.new(1, -15)}
    before = pool.get_value(1)
    assert abs(before - 100_000_000_000) <= 0.1
    pool.update_value_for_one(1, -1000)
    assert abs((before - pool.get_value(1)) - 1000) <= 1000 / 1_000_000_000
