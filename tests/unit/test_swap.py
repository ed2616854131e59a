"""The Swap pallet's Balancer pool, ported from subtensor's Rust tests
(pallets/swap/src/pallet/tests.rs with its mock.rs; vectors V17/V18 of
reference/subtensor-economics.md give the exact numbers) and the balancer unit tests.

The mock is the Rust mock's: subnet 0 is stable, the others dynamic, 999 does not exist; the
reserves are fixed per subnet unless a test sets them (the pool only reads them: the caller
moves them by the result), `MinimumReserve` is 1, `MaxFeeRate` 10_000, the fee rate 33.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from pysubtensor.pallets import swap
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.pallets.swap import handler, impls
from pysubtensor.pallets.swap.balancer import ACCURACY, HALF, Balancer, BalancerError
from pysubtensor.pallets.swap.pallet import FeeRate, PalSwapInitialized, SwapBalancer
from pysubtensor.pallets.swap.pow_ratio import pow_ratio_scaled
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.per_things import PERQUINTILL
from tests.support.events import capture_events
from tests.support.frame import frame_env

NON_EXISTENT_NETUID = 999
WRAPPING_FEES_NETUID = 124
ONE = 1 << 64
U64_MAX = (1 << 64) - 1


@dataclass
class MockReserve:
    """`TaoReserve` / `AlphaReserve` of mock.rs: per-subnet defaults, overridden by tests."""

    defaults: dict[int, int]
    fallback: int
    values: dict[int, int] = field(default_factory=dict)

    def reserve(self, netuid: int) -> int:
        return self.values.get(netuid, self.defaults.get(netuid, self.fallback))

    def increase_provided(self, netuid: int, amount: int) -> None:
        pass

    def decrease_provided(self, netuid: int, amount: int) -> None:
        pass


class MockSubnetInfo:
    def exists(self, netuid: int) -> bool:
        return netuid != NON_EXISTENT_NETUID

    def mechanism(self, netuid: int) -> int:
        return 0 if netuid == 0 else 1

    def netuids(self) -> list[int]:
        return [0, 1, 2]


@dataclass
class Mock:
    tao: MockReserve
    alpha: MockReserve
    events: list

    def set_reserves(self, netuid: int, tao: int, alpha: int) -> None:
        self.tao.values[netuid] = tao
        self.alpha.values[netuid] = alpha


@pytest.fixture
def mock() -> Iterator[Mock]:
    tao = MockReserve({123: 10_000, WRAPPING_FEES_NETUID: 100_000_000_000}, 1_000_000_000_000)
    alpha = MockReserve({123: 10_000, WRAPPING_FEES_NETUID: 400_000_000_000}, 4_000_000_000_000)
    config = swap.Config(deposit_event=lambda pallet, event: None, subnet_info=MockSubnetInfo(),
                         tao_reserve=tao, alpha_reserve=alpha, minimum_reserve=1)
    with swap.pallet.bound(config), frame_env(swap.pallet), capture_events(swap.pallet) as events:
        yield Mock(tao, alpha, events)


def price_f64(bits: int) -> float:
    return bits / ONE


# ---------------------------------------------------------------------------
# pow_ratio_scaled (safe-bigmath 0.4.1's own tests where they assert values)


def test_pow_ratio_scaled_exact_path_equal_weights_is_a_floor_division():
    # 0.5/0.5 weights: the exponent reduces to 1/1, (x/(x+dx)) · 1e18 floored.
    assert pow_ratio_scaled(1_000_000_000, 1_000_001_000, HALF, ACCURACY - HALF, 256, ACCURACY) == \
        1_000_000_000 * ACCURACY // 1_000_001_000


def test_pow_ratio_scaled_exact_path_takes_the_floor_root():
    # (2/1)^(1/2) · 1e18 = floor(sqrt(2) · 1e18)
    assert pow_ratio_scaled(2, 1, 1, 2, 1024, ACCURACY) == 1_414_213_562_373_095_048


def test_pow_ratio_scaled_edge_inputs():
    assert pow_ratio_scaled(0, 5, 3, 7, 256, ACCURACY) == 0
    assert pow_ratio_scaled(5, 0, 3, 7, 256, ACCURACY) is None
    assert pow_ratio_scaled(5, 7, 0, 7, 256, ACCURACY) == ACCURACY
    assert pow_ratio_scaled(5, 7, 3, 0, 256, ACCURACY) is None


def test_pow_ratio_scaled_approximation_is_close_to_the_real_power():
    # Unequal weights take the log/exp path; the result is the real power to ~1e-18.
    w2 = PERQUINTILL.from_rational(1_000_000_000, 1_799_999_999)
    got = pow_ratio_scaled(1_000_000_000, 1_001_000_000, w2, ACCURACY - w2, 256, ACCURACY)
    exact = (1_000_000_000 / 1_001_000_000) ** (w2 / (ACCURACY - w2))
    assert abs(got / ACCURACY - exact) < 1e-15


#: safe-bigmath 0.4.1 src/integer.rs tests that assert exact values (base_num, base_den,
#: exp_num, exp_den, precision, scale, result): `test_perquintill_power` (exact path, 3/2),
#: `pow_ratio_scaled_handles_large_weight_denominators` (1/1, then two approximations) and
#: `pow_ratio_scaled_converges_on_boundary_weights` (approximation).
CRATE_EXACT = [
    (21 * 10**15, 28 * 10**15, 6 * 10**17, 4 * 10**17, 256, ACCURACY, 649_519_052_838_328_985),
    (21 * 10**15, 21 * 10**15 + 100, 5 * 10**17, 5 * 10**17, 256, ACCURACY, 999_999_999_999_995_238),
    (21 * 10**15, 21 * 10**15 + 100, 499_999_999_999_500_000, 500_000_000_000_500_000, 256, ACCURACY,
     999_999_999_999_995_238),
    (21 * 10**15, 21 * 10**15 + 100, 500_000_000_000_250_000, 499_999_999_999_750_000, 256, ACCURACY,
     999_999_999_999_995_238),
    (21 * 10**15, 21 * 10**15 + 1, 499_999_999_500_000_000, 500_000_000_500_000_000, 256, ACCURACY,
     999_999_999_999_999_952),
]


@pytest.mark.parametrize(("bn", "bd", "en", "ed", "precision", "scale", "expected"), CRATE_EXACT)
def test_pow_ratio_scaled_crate_vectors(bn, bd, en, ed, precision, scale, expected):
    assert pow_ratio_scaled(bn, bd, en, ed, precision, scale) == expected


def test_pow_ratio_scaled_uses_scale_to_pick_precision():
    """The crate's test of that name: precision 0 is raised to the scale's bits + 8."""
    args = (123_456_789, 987_654_321, 987_654_321_123_456_789, 123_456_789_987_654_321)
    assert abs(pow_ratio_scaled(*args, 256, ACCURACY) - pow_ratio_scaled(*args, 0, ACCURACY)) <= 1


def test_pow_ratio_scaled_small_base_and_extreme_delta():
    """The crate's `..._handles_small_base_fractional_exponent` (within 128 of f64) and
    `..._handles_extreme_delta_x` (within 1e6)."""
    got = pow_ratio_scaled(1, 10, 500_000_000_001, 1_000_000_000_000, 128, ACCURACY)
    assert abs(got - int(0.1 ** 0.500000000001 * 1e18)) <= 128
    x, dx, w1 = 400_775_553, 14_446_633_907_665_582, 102_337_248_363_782_924
    got = pow_ratio_scaled(x, x + dx, w1, ACCURACY - w1, 256, ACCURACY)
    assert abs(got - int((x / (x + dx)) ** (w1 / (ACCURACY - w1)) * 1e18)) <= 1_000_000


# ---------------------------------------------------------------------------
# Balancer (balancer.rs)


def test_balancer_weights_are_kept_in_range():
    assert Balancer().quote == HALF == 500_000_000_000_000_000
    assert Balancer.new(ACCURACY // 100).quote == ACCURACY // 100
    with pytest.raises(BalancerError):
        Balancer.new(ACCURACY // 100 - 1)
    with pytest.raises(BalancerError):
        Balancer.new(ACCURACY - ACCURACY // 100 + 1)


# ---------------------------------------------------------------------------
# dispatchables


def test_set_fee_rate(mock):
    """tests.rs `dispatchables::test_set_fee_rate`."""
    with pytest.raises(BadOrigin):
        swap.pallet.dispatch(Origin.signed(bytes(32)), ("set_fee_rate", {"netuid": 1, "rate": 500}))
    swap.pallet.dispatch(Origin.root(), ("set_fee_rate", {"netuid": 1, "rate": 500}))
    assert FeeRate.get(1) == 500
    assert [(p, type(e).__name__, e.netuid, e.rate) for p, e in mock.events] == [("Swap", "FeeRateSet", 1, 500)]
    with pytest.raises(swap.Error.FeeRateTooHigh):
        swap.pallet.dispatch(Origin.root(), ("set_fee_rate", {"netuid": 1, "rate": 10_001}))
    with pytest.raises(swap.Error.MechanismDoesNotExist):
        swap.pallet.dispatch(Origin.root(), ("set_fee_rate", {"netuid": NON_EXISTENT_NETUID, "rate": 1}))
    assert FeeRate.get(1) == 500


@pytest.mark.parametrize(("name", "args"), [
    ("toggle_user_liquidity", {"netuid": 1, "enable": True}),
    ("add_liquidity", {"hotkey": bytes(32), "netuid": 1, "tick_low": -10, "tick_high": 10, "liquidity": 1_000}),
    ("remove_liquidity", {"hotkey": bytes(32), "netuid": 1, "position_id": 1}),
    ("modify_position", {"hotkey": bytes(32), "netuid": 1, "position_id": 1, "liquidity_delta": -5}),
    ("disable_lp", {}),
])
def test_user_liquidity_calls_are_deprecated(mock, name, args):
    """mod.rs: user liquidity is permanently disabled; every such call fails `Deprecated`."""
    with pytest.raises(swap.Error.Deprecated):
        swap.pallet.dispatch(Origin.root(), (name, args))


def _adjust_cases():
    return [(0, 0), (0, 1), (1, 0), (1, 1), (0, 10), (10, 0), (10, 10), (0, 100), (100, 0), (100, 100),
            (0, 1_000), (1_000, 0), (1_000, 1_000), (1_000_000, 0), (0, 1_000_000), (1_000_000, 1_000_000),
            (1_000_000_000, 0), (0, 1_000_000_000), (1_000_000_000, 1_000_000_000), (10**12, 0), (0, 10**12),
            (10**12, 10**12), (1, 2), (2, 1), (10, 20), (20, 10), (100, 200), (200, 100), (1_000, 2_000),
            (2_000, 1_000), (1_000_000, 2_000_000), (2_000_000, 1_000_000), (10**9, 2 * 10**9),
            (2 * 10**9, 10**9), (10**12, 2 * 10**12), (2 * 10**12, 10**12), (1_234_567, 2_432_765),
            (1_234_567, 2_432_765_890)]


@pytest.mark.parametrize(("tao_delta", "alpha_delta"), _adjust_cases())
def test_adjust_protocol_liquidity_happy(mock, tao_delta, alpha_delta):
    """tests.rs `dispatchables::test_adjust_protocol_liquidity_happy`: the price holds (1e-12
    relative) and the quote weight becomes y'/(x'·p + y')."""
    tao, alpha = 1_000_000_000_000, 4_000_000_000_000
    mock.set_reserves(1, tao, alpha)
    before = impls.current_price(1)
    assert handler.adjust_protocol_liquidity(1, tao_delta, alpha_delta) == (tao_delta, alpha_delta)
    mock.set_reserves(1, tao + tao_delta, alpha + alpha_delta)
    after = impls.current_price(1)
    assert abs(price_f64(before) - price_f64(after)) <= price_f64(before) / 1e12
    new_tao, new_alpha = tao + tao_delta, alpha + alpha_delta
    expected = new_tao / (new_alpha * price_f64(before) + new_tao)
    assert abs((expected - 0.5) - (SwapBalancer.get(1).quote / ACCURACY - 0.5)) <= expected / 1e12


@pytest.mark.parametrize(("tao_delta", "alpha_delta"), _adjust_cases())
def test_adjust_protocol_liquidity_zero_alpha(mock, tao_delta, alpha_delta):
    """tests.rs `dispatchables::test_adjust_protocol_liquidity_zero_alpha`: a pool with no alpha
    has price 0; adding keeps weight 0.5 and the price becomes y/x."""
    tao = 1_000_000_000_000
    mock.set_reserves(1, tao, 0)
    assert impls.current_price(1) == 0
    handler.adjust_protocol_liquidity(1, tao_delta, alpha_delta)
    mock.set_reserves(1, tao + tao_delta, alpha_delta)
    assert SwapBalancer.get(1).quote == HALF
    if alpha_delta == 0:
        assert impls.current_price(1) == 0
    else:
        assert abs((tao + tao_delta) / alpha_delta - price_f64(impls.current_price(1))) <= 1e-12


def test_adjust_protocol_liquidity_refuses_weights_out_of_range(mock):
    """balancer.rs: an injection that would push a weight under 0.01 adds nothing."""
    mock.set_reserves(1, 1_000, 1_000)
    assert handler.adjust_protocol_liquidity(1, 0, 10**12) == (0, 0)
    assert not SwapBalancer.contains_key(1)


# ---------------------------------------------------------------------------
# initialisation (V18)


def test_swap_initialization(mock):
    """tests.rs `test_swap_initialization` (V18): weight 0.5 exactly, price 0.25 (2^62)."""
    mock.set_reserves(1, 1_000_000_000, 4_000_000_000)
    impls.maybe_initialize_palswap(1, None)
    assert PalSwapInitialized.get(1)
    assert impls.current_price(1) == 1 << 62
    assert SwapBalancer.get(1).quote == PERQUINTILL.from_rational(1, 2)


def test_swap_initialization_with_price(mock):
    """tests.rs `test_swap_initialization_with_price` (V18): w2 = 1e9/1_799_999_999, price 0.2 ± 1e-9."""
    mock.set_reserves(1, 1_000_000_000, 4_000_000_000)
    impls.maybe_initialize_palswap(1, U64F64.from_num(1) * ONE // U64F64.from_num(5))
    assert PalSwapInitialized.get(1)
    assert SwapBalancer.get(1).quote == 555_555_555_864_197_531
    assert abs(price_f64(impls.current_price(1)) - 0.2) <= 1e-9


def test_swap_initialization_with_price_follow_on_swaps(mock):
    """V18's exact follow-on swaps on that non-0.5 pool (the approximation path)."""
    mock.set_reserves(1, 1_000_000_000, 4_000_000_000)
    impls.maybe_initialize_palswap(1, ONE // 5)
    buy = impls.do_swap(1, True, 1_000_000, U64F64.from_num(1000), False, True)
    sell = impls.do_swap(1, False, 1_000_000, U64F64.from_num(1) // 10_000, False, True)
    assert (buy.amount_paid_in, buy.amount_paid_out, buy.fee_paid) == (999_497, 4_991_871, 503)
    assert (sell.amount_paid_in, sell.amount_paid_out, sell.fee_paid) == (999_497, 199_854, 503)


def test_initialization_is_refused_when_the_price_cannot_be_met(mock):
    """impls.rs: a price that would need a weight under 0.01 is `ReservesOutOfBalance`."""
    mock.set_reserves(1, 1, 1_000_000_000_000)
    with pytest.raises(swap.Error.ReservesOutOfBalance):
        impls.maybe_initialize_palswap(1, ONE)
    handler.init_swap(1, ONE)  # `init_swap` ignores it
    assert not PalSwapInitialized.get(1)


# ---------------------------------------------------------------------------
# swaps (V17)

#: (netuid, buy, amount, limit, (net paid in, out, fee)) — test_swap_basic's cases, exact.
SWAP_BASIC = [
    (1, True, 1_000, 1000, (1_000, 3_999, 0)),
    (1, True, 2_000, 1000, (1_999, 7_995, 1)),
    (1, True, 123_456, 1000, (123_394, 493_515, 62)),
    (2, False, 1_000, None, (1_000, 249, 0)),
    (2, False, 2_000, None, (1_999, 499, 1)),
    (2, False, 123_456, None, (123_394, 30_847, 62)),
    (3, True, 1_000_000_000, 1000, (999_496_453, 1_999_496_326, 503_547)),
    (3, True, 10_000_000_000, 1000, (9_994_964_523, 3_636_197_098, 5_035_477)),
]


@pytest.mark.parametrize(("netuid", "buy", "amount", "limit", "expected"), SWAP_BASIC)
def test_swap_basic(mock, netuid, buy, amount, limit, expected):
    """tests.rs `test_swap_basic` (V17): pool 1e9 TAO / 4e9 alpha (price 0.25), fee 33; the Rust
    asserts the output within 1 of x(1 - y/(y+net)) and the paid-in = amount - fee; V17 gives
    the exact numbers."""
    mock.set_reserves(netuid, 1_000_000_000, 4_000_000_000)
    impls.maybe_initialize_palswap(netuid, None)
    before = impls.current_price(netuid)
    # the Rust's U64F64::from_num(1000.0) / from_num(0.0001)
    limit_bits = U64F64.from_num(limit) if limit else U64F64.from_f64(0.0001)
    result = impls.do_swap(netuid, buy, amount, limit_bits, False, False)
    assert (result.amount_paid_in, result.amount_paid_out, result.fee_paid) == expected
    assert result.fee_to_block_author == result.fee_paid
    fee = int(amount * (33 / 65535))
    x, y, net = 4_000_000_000, 1_000_000_000, amount - fee
    approx = x * (1 - y / (y + net)) if buy else y * (1 - x / (x + net))
    assert abs(result.amount_paid_out - int(approx)) <= 1
    assert result.amount_paid_in == net
    if buy:
        mock.set_reserves(netuid, y + result.amount_paid_in, x - result.amount_paid_out)
    else:
        mock.set_reserves(netuid, y - result.amount_paid_out, x + result.amount_paid_in)
    assert (impls.current_price(netuid) >= before) == buy


@pytest.mark.parametrize(("tao", "alpha", "amount"), [(1_000, 1_000, 999_500), (1_000_000, 1_000_000, 999_500_000)])
def test_swap_precision_edge_case(mock, tao, alpha, amount):
    """tests.rs `test_swap_precision_edge_case`: a sell of ~1000x tiny reserves at the minimum
    price still pays out."""
    mock.set_reserves(1, tao, alpha)
    result = impls.do_swap(1, False, amount, impls.limit_price_of_rao(impls.MIN_PRICE), False, True)
    assert result.amount_paid_out > 0


_CONVERT = [(t, a, w, d) for w in (0.5, 0.50000001, 0.49999999, 0.1, 0.9)
            for t, a in ((1500, 1000), (1, 1000000), (1000000, 1)) for d in (1, 10000, 1000000, U64_MAX)]


@pytest.mark.parametrize(("tao", "alpha", "w_quote", "delta_in"), _CONVERT)
def test_convert_deltas(mock, tao, alpha, w_quote, delta_in):
    """tests.rs `test_convert_deltas`: buy and sell outputs within 2 of the f64 formula, for
    equal and unequal weights (the latter through the approximation path)."""
    mock.set_reserves(1, tao, alpha)
    impls.maybe_initialize_palswap(1, None)
    SwapBalancer.insert(1, Balancer.new(PERQUINTILL.from_rational(int(w_quote * 1e9), 10**9)))
    y, x, d = float(tao), float(alpha), float(delta_in)
    expected_sell = y * (1 - (x / (x + d)) ** ((1 - w_quote) / w_quote))
    expected_buy = x * (1 - (y / (y + d)) ** (w_quote / (1 - w_quote)))
    assert abs(impls._convert_deltas(impls._pool(1), False, delta_in) - int(expected_sell)) <= 2
    assert abs(impls._convert_deltas(impls._pool(1), True, delta_in) - int(expected_buy)) <= 2


def test_rollback_works(mock):
    """tests.rs `test_rollback_works`: a simulated swap returns what the real one does."""
    limit = U64F64.saturating_from_num(U64_MAX)
    assert impls.do_swap(1, True, 1_000_000, limit, False, True) == impls.do_swap(1, True, 1_000_000, limit, False, False)


def test_simulation_leaves_no_trace(mock):
    impls.do_swap(1, True, 1_000_000, U64F64.from_num(1000), False, True)
    assert not PalSwapInitialized.contains_key(1)
    impls.do_swap(1, True, 1_000_000, U64F64.from_num(1000), False, False)
    assert PalSwapInitialized.get(1)


def test_swap_rejects_input_over_1000x_input_reserve(mock):
    """tests.rs `test_swap_rejects_input_over_1000x_input_reserve` (fees dropped)."""
    mock.set_reserves(1, 1_000, 1_000)
    with pytest.raises(swap.Error.SwapInputTooLarge):
        impls.do_swap(1, False, 1_000_001, impls.limit_price_of_rao(impls.MIN_PRICE), True, False)
    with pytest.raises(swap.Error.SwapInputTooLarge):
        impls.do_swap(1, True, 1_000_001, impls.limit_price_of_rao(impls.MAX_PRICE), True, False)
    assert not PalSwapInitialized.contains_key(1)


def test_sim_swap_rejects_input_over_1000x_input_reserve(mock):
    """tests.rs `test_sim_swap_rejects_input_over_1000x_input_reserve`: with the fee, 1_001_000
    nets more than 1000x the reserve."""
    mock.set_reserves(1, 1_000, 1_000)
    with pytest.raises(swap.Error.SwapInputTooLarge):
        handler.sim_swap_alpha_for_tao(1, 1_001_000)
    with pytest.raises(swap.Error.SwapInputTooLarge):
        handler.sim_swap_tao_for_alpha(1, 1_001_000)


def test_swap_allows_input_at_1000x_input_reserve(mock):
    """tests.rs `test_swap_allows_input_at_1000x_input_reserve`."""
    mock.set_reserves(1, 1_000, 1_000)
    assert impls.do_swap(1, False, 1_000_000, impls.limit_price_of_rao(impls.MIN_PRICE), True, True).amount_paid_out
    assert impls.do_swap(1, True, 1_000_000, impls.limit_price_of_rao(impls.MAX_PRICE), True, True).amount_paid_out


def test_price_limit_already_exceeded(mock):
    """swap_inner: the current price must be strictly on the right side of the limit."""
    mock.set_reserves(1, 1_000_000_000, 1_000_000_000)
    with pytest.raises(swap.Error.PriceLimitExceeded):
        impls.do_swap(1, True, 1_000_000, ONE, False, False)          # buy at limit = price
    with pytest.raises(swap.Error.PriceLimitExceeded):
        impls.do_swap(1, False, 1_000_000, ONE, False, False)         # sell at limit = price
    assert not PalSwapInitialized.contains_key(1)


def test_limit_order_fills_partially_up_to_the_limit(mock):
    """swap_step.rs: a buy whose full amount would cross the limit executes Δy = y·(√(p'/p) - 1)
    at equal weights, with the fee grossed up as Δ·r/(65535 - r); the price then sits at the
    limit, not beyond."""
    y = x = 1_000_000_000_000
    mock.set_reserves(1, y, x)
    limit = impls.limit_price_of_rao(4_000_000_000)  # 4.0
    result = impls.do_swap(1, True, 10 * y, limit, False, False)
    assert result.amount_paid_in == 1_000_000_000_000  # y·(√4 - 1)
    assert result.fee_paid == 1_000_000_000_000 * 33 // (65535 - 33)
    mock.set_reserves(1, y + result.amount_paid_in, x - result.amount_paid_out)
    assert impls.current_price(1) <= limit
    # a sell limited at 0.25 of the original pool: Δx = x·(√(p/p') - 1)
    mock.set_reserves(2, y, x)
    sell = impls.do_swap(2, False, 10 * x, impls.limit_price_of_rao(250_000_000), False, False)
    assert sell.amount_paid_in == 1_000_000_000_000


def test_reserves_too_low(mock):
    mock.set_reserves(1, 1_000_000, 0)
    with pytest.raises(swap.Error.ReservesTooLow):
        impls.do_swap(1, True, 1_000, U64F64.from_num(1000), False, True)


def test_stable_subnet_sim_swap_is_one_to_one(mock):
    """`sim_swap` on mechanism 0: the amount 1:1, no fee; 0 for a missing subnet."""
    r = handler.sim_swap_tao_for_alpha(0, 12_345)
    assert (r.amount_paid_in, r.amount_paid_out, r.fee_paid) == (12_345, 12_345, 0)
    assert handler.current_alpha_price(0) == ONE
    assert handler.approx_fee_amount(0, 1_000_000) == 0
    assert handler.approx_fee_amount(1, 1_000_000) == 503


def test_liquidate_pal_simple_ok_and_clears(mock):
    """tests.rs `test_liquidate_pal_simple_ok_and_clears`."""
    FeeRate.insert(202, 1_000)
    PalSwapInitialized.insert(202, True)
    SwapBalancer.insert(202, Balancer.new(HALF))
    handler.clear_protocol_liquidity(202)
    assert not FeeRate.contains_key(202)
    assert not PalSwapInitialized.contains_key(202)
    assert not SwapBalancer.contains_key(202)


def test_clear_protocol_liquidity_green_path(mock):
    """tests.rs `test_clear_protocol_liquidity_green_path`, idempotent."""
    impls.maybe_initialize_palswap(1, None)
    handler.clear_protocol_liquidity(1)
    assert not PalSwapInitialized.contains_key(1) and not FeeRate.contains_key(1)
    handler.clear_protocol_liquidity(1)
    assert not PalSwapInitialized.contains_key(1)


# ---------------------------------------------------------------------------
# AlphaSqrtPrice (the V3-era view bittensor 10.x / btcli 9.x read) and SwapRuntimeApi


def test_alpha_sqrt_price_follows_the_pool_each_block(mock):
    """At the end of a block every dynamic subnet's `AlphaSqrtPrice` is √price (U64F64); a
    stable subnet and a subnet that no longer exists have none."""
    mock.set_reserves(1, 1_000_000_000_000, 4_000_000_000_000)   # 0.25: √ = 0.5
    mock.set_reserves(2, 4_000_000_000, 1_000_000_000)           # 4.0:  √ = 2.0
    swap.pallet.Storage.AlphaSqrtPrice.insert(7, 123)              # stale
    swap.pallet.on_finalize(1)
    assert dict(swap.pallet.Storage.AlphaSqrtPrice.iter()) == {1: 1 << 63, 2: 1 << 65}
    mock.set_reserves(1, 9_000_000_000, 1_000_000_000)           # 9.0:  √ = 3.0
    swap.pallet.on_finalize(2)
    assert swap.pallet.Storage.AlphaSqrtPrice.get(1) == 3 << 64
    # an irrational root is floored: √2 · 2^64
    mock.set_reserves(1, 2_000_000_000, 1_000_000_000)
    swap.pallet.on_finalize(3)
    assert swap.pallet.Storage.AlphaSqrtPrice.get(1) == 26087635650665564424  # floor(√2 · 2^64)


def test_runtime_api_prices(mock):
    """runtime lib.rs `current_alpha_price`: price · 1e9 floored; 1 TAO on a stable subnet."""
    from pysubtensor.pallets.swap import api
    assert api.current_alpha_price(1) == 250_000_000
    assert api.current_alpha_price(0) == 1_000_000_000
    assert api.current_alpha_price_all() == [{"netuid": 0, "price": 1_000_000_000},
                                             {"netuid": 1, "price": 250_000_000},
                                             {"netuid": 2, "price": 250_000_000}]


def test_runtime_api_sim_swaps(mock):
    """runtime lib.rs `sim_swap_tao_for_alpha` / `sim_swap_alpha_for_tao`: net input and fee
    (V17's for 1 TAO at fee 33), output as the constant product gives it, slippage against the
    no-slippage amount at the current price; zeros when the pool refuses."""
    from pysubtensor.pallets.swap import api
    buy = api.sim_swap_tao_for_alpha(1, 1_000_000_000)
    assert (buy["tao_amount"], buy["tao_fee"], buy["alpha_fee"], buy["tao_slippage"]) == (999_496_453, 503_547, 0, 0)
    x, y = 4_000_000_000_000, 1_000_000_000_000
    assert abs(buy["alpha_amount"] - int(x * (1 - y / (y + 999_496_453)))) <= 1
    assert buy["alpha_slippage"] == 4_000_000_000 - buy["alpha_amount"]
    sell = api.sim_swap_alpha_for_tao(1, 1_000_000_000)
    assert (sell["alpha_amount"], sell["alpha_fee"], sell["tao_fee"], sell["alpha_slippage"]) == \
        (999_496_453, 503_547, 0, 0)
    assert abs(sell["tao_amount"] - int(y * (1 - x / (x + 999_496_453)))) <= 1
    assert sell["tao_slippage"] == 250_000_000 - sell["tao_amount"]
    assert not PalSwapInitialized.contains_key(1)  # simulations write nothing
    mock.set_reserves(1, 1_000, 1_000)
    assert set(api.sim_swap_tao_for_alpha(1, 10**9).values()) == {0}
    stable = api.sim_swap_tao_for_alpha(0, 5_000)
    assert (stable["tao_amount"], stable["alpha_amount"], stable["tao_fee"]) == (5_000, 5_000, 0)
