"""The coinbase ported from subtensor's pallets/subtensor/src/tests/coinbase.rs and claim_root.rs
(spec 381, 14b7928; each test names its Rust test), with the Rust inputs and the Rust numbers
and tolerances (the economics reference's vectors V1-V14, V24). In process: Balances,
SubtensorModule and the Swap pallet bound as the runtime binds them, the mock's parameters
(owner cut 0, TAO weight 0) set as `new_test_ext` has them.

Where spec 381's test sets TAO flows to steer the split across subnets, the port sets the
moving prices instead, as subtensor main's version of the same test does: this runtime splits
by moving price (`coinbase/subnet_emissions.py`)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pysubtensor.pallets import swap, system
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor import pallet as st_pallet
from pysubtensor.pallets.subtensor.coinbase import block_emission as be
from pysubtensor.pallets.subtensor.coinbase import run_coinbase as rc
from pysubtensor.pallets.subtensor.coinbase import subnet_emissions as se
from pysubtensor.pallets.subtensor.neurons.logic import append_neuron, create_account_if_non_existent
from pysubtensor.pallets.subtensor.staking import accounting
from pysubtensor.pallets.subtensor.subnets.logic import init_new_network, subnet_account_id
from pysubtensor.primitives.fixed import I96F32, U96F32
from tests.unit.test_subtensor_registration import acct
from tests.unit.test_subtensor_staking import add_dynamic_network, setup_reserves
from tests.unit.test_subtensor_staking import chain as staking_chain  # noqa: F401 (fixture)

S = st_pallet.Storage
ROOT = 0
U64_MAX = (1 << 64) - 1
U16_MAX = 0xFFFF


@pytest.fixture
def mock(staking_chain):  # noqa: F811
    """`new_test_ext(1)` with the mock's `InitialSubnetOwnerCut` 0 and `InitialTaoWeight` 0."""
    S.SubnetOwnerCut.put(0)
    S.TaoWeight.put(0)
    return staking_chain


def add_network(netuid: int, tempo: int) -> None:
    """The mock's `add_network`: a stable subnet, registrations open, started at block 1."""
    init_new_network(netuid, tempo)
    S.NetworkRegistrationAllowed.insert(netuid, True)
    S.NetworkPowRegistrationAllowed.insert(netuid, True)
    S.FirstEmissionBlockNumber.insert(netuid, 1)
    S.SubtokenEnabled.insert(netuid, True)


def register_neuron(netuid: int, hotkey: bytes, coldkey: bytes) -> None:
    """`register_ok_neuron` as far as the coinbase sees it: the hotkey owned by the coldkey at
    the next uid."""
    create_account_if_non_existent(coldkey, hotkey)
    append_neuron(netuid, hotkey, system.block.block_number())


def f96(x: Fraction | int) -> float:
    return float(Fraction(x) / (1 << 32)) if isinstance(x, int) else float(x)


def approx(expected: int, actual: int, epsilon: int) -> None:
    assert abs(expected - actual) <= epsilon, (expected, actual)


# -- V1: block emission (coinbase/block_emission.rs) ----------------------------------------------

@pytest.mark.parametrize(("issuance", "emission"), [
    (0, 1_000_000_000),
    (10_499_999_999_999_999, 1_000_000_000),
    (10_500_000_000_000_000, 500_000_000),
    (15_750_000_000_000_000, 250_000_000),
    (15_749_999_999_999_999, 500_000_000),
    (18_375_000_000_000_000, 125_000_000),
    (20_999_999_999_999_999, 0),
    (21_000_000_000_000_000, 0),
    (U64_MAX, 0),
])
def test_block_emission_for_issuance(mock, issuance, emission):
    """`get_block_emission_for_issuance` (V1): the halving at 21M·(1 - 2^-k); it records
    `BlockEmission`."""
    assert be.get_block_emission_for_issuance(issuance) == emission
    assert S.BlockEmission.get() == emission


def test_block_emission_matches_the_i96f32_formula(mock):
    """Between the halvings the shift equals Rust's I96F32 steps `floor(log2(1/(1 - I/21e15)))`
    (computed here with fractions: the fixed division truncates to 32 fractional bits)."""
    for k in range(1, 31):
        boundary = -(-21_000_000_000_000_000 * ((1 << k) - 1) // (1 << k))  # ceil(21e15·(1 - 2^-k))
        for issuance in (boundary - 1, boundary, boundary + 1):
            r_bits = (issuance << 32) // 21_000_000_000_000_000
            x_bits = (1 << 64) // ((1 << 32) - r_bits)
            expected = 1_000_000_000 >> ((x_bits >> 32).bit_length() - 1)
            assert be.get_block_emission_for_issuance(issuance) == expected, issuance


# -- V2-V6, V24: run_coinbase ----------------------------------------------------------------------

def test_owner_cut_base(mock):
    """coinbase.rs::test_owner_cut_base (V2)."""
    add_network(1, 1)
    setup_reserves(mock, 1, 1_000_000_000_000, 1_000_000_000_000)
    S.Tempo.insert(1, 10000)
    S.SubnetOwnerCut.put(0)
    rc.run_coinbase(0)
    assert S.PendingOwnerCut.get(1) == 0
    S.SubnetOwnerCut.put(U16_MAX)
    rc.run_coinbase(0)
    assert S.PendingOwnerCut.get(1) == 1_000_000_000


def test_coinbase_tao_issuance_base(mock):
    """coinbase.rs::test_coinbase_tao_issuance_base (V3): the subnet's TAO, `TotalIssuance`
    and `TotalStake` grow by the emission exactly; so do Balances' issuance and the subnet
    account (this runtime's TAO is real balance)."""
    emission = 1_234_567
    netuid = add_dynamic_network(mock, acct(1002), acct(1001))
    S.SubnetMovingPrice.insert(netuid, I96F32.from_num(1))
    before = (S.SubnetTAO.get(netuid), S.TotalIssuance.get(), S.TotalStake.get(), fungible.total_issuance(),
              mock.balance(subnet_account_id(netuid)))
    rc.run_coinbase(U96F32.from_num(emission))
    after = (S.SubnetTAO.get(netuid), S.TotalIssuance.get(), S.TotalStake.get(), fungible.total_issuance(),
             mock.balance(subnet_account_id(netuid)))
    assert [a - b for a, b in zip(after, before, strict=True)] == [emission] * 5


def test_coinbase_tao_issuance_different_prices(mock):
    """coinbase.rs::test_coinbase_tao_issuance_different_prices (V4): moving prices 0.1 and 0.2
    split 1:2 (±10 as the Rust test)."""
    emission = 100_000_000
    add_network(1, 1)
    add_network(2, 1)
    setup_reserves(mock, 1, 100_000, 1_000_000)
    setup_reserves(mock, 2, 100_000, 500_000)
    swap.handler.init_swap(1, None)
    swap.handler.init_swap(2, None)
    S.SubnetMechanism.insert(1, 1)
    S.SubnetMechanism.insert(2, 1)
    S.SubnetMovingPrice.insert(1, I96F32.from_f64(0.1))
    S.SubnetMovingPrice.insert(2, I96F32.from_f64(0.2))
    issuance, stake = S.TotalIssuance.get(), S.TotalStake.get()
    rc.run_coinbase(U96F32.from_num(emission))
    approx(100_000 + emission // 3, S.SubnetTAO.get(1), 10)
    approx(100_000 + 2 * emission // 3, S.SubnetTAO.get(2), 10)
    approx(emission, S.TotalIssuance.get() - issuance, 10)
    approx(emission, S.TotalStake.get() - stake, 10)


def test_coinbase_alpha_issuance_base(mock):
    """coinbase.rs::test_coinbase_alpha_issuance_base (V5): two stable subnets, price 1."""
    emission = 1_000_000
    add_network(1, 1)
    add_network(2, 1)
    for netuid in (1, 2):
        setup_reserves(mock, netuid, 1_000_000, 1_000_000)
    rc.run_coinbase(U96F32.from_num(emission))
    assert S.SubnetAlphaIn.get(1) == 1_000_000 + emission // 2
    assert S.SubnetAlphaIn.get(2) == 1_000_000 + emission // 2


def test_coinbase_alpha_issuance_different(mock):
    """coinbase.rs::test_coinbase_alpha_issuance_different (V6): prices 1 and 2, moving prices
    1 and 2."""
    emission = 1_000_000
    add_network(1, 1)
    add_network(2, 1)
    S.SubnetMechanism.insert(1, 1)
    S.SubnetMechanism.insert(2, 1)
    setup_reserves(mock, 1, 1_000_000, 1_000_000)
    setup_reserves(mock, 2, 2_000_000, 1_000_000)
    S.SubnetMovingPrice.insert(1, I96F32.from_num(1))
    S.SubnetMovingPrice.insert(2, I96F32.from_num(2))
    rc.run_coinbase(U96F32.from_num(emission))
    assert S.SubnetAlphaIn.get(1) == 1_000_000 + emission // 3
    assert S.SubnetAlphaIn.get(2) == 1_000_000 + (emission * 2 // 3) // 2


def test_coinbase_alpha_issuance_with_cap_trigger(mock):
    """coinbase.rs::test_coinbase_alpha_issuance_with_cap_trigger (V24): price 1e-6, alpha_in
    capped below its 1 alpha; alpha_out is the full alpha block emission."""
    emission = 1_000_000
    add_network(1, 1)
    add_network(2, 1)
    S.SubnetMechanism.insert(1, 1)
    S.SubnetMechanism.insert(2, 1)
    for netuid in (1, 2):
        setup_reserves(mock, netuid, 1_000, 1_000 * 1_000_000)
    S.SubnetMovingPrice.insert(1, I96F32.from_num(1))
    S.SubnetMovingPrice.insert(2, I96F32.from_num(2))
    rc.run_coinbase(U96F32.from_num(emission))
    for netuid in (1, 2):
        assert S.SubnetAlphaIn.get(netuid) < 1_000_000_000 + 1_000_000_000
        assert S.SubnetAlphaOut.get(netuid) == 1_000_000_000
        assert S.SubnetAlphaOutEmission.get(netuid) == 1_000_000_000


# -- V7: moving price -----------------------------------------------------------------------------

def _moving_price_subnet(mock) -> None:
    add_network(1, 1)
    setup_reserves(mock, 1, 1_000_000, 1_000_000)
    S.SubnetMechanism.insert(1, 1)


def test_coinbase_moving_prices(mock):
    """coinbase.rs::test_coinbase_moving_prices (V7): price 1 stays 1; SubnetMovingAlpha 1 gets
    within 0.05 of 1 in one update; 0.1 at four weeks (alpha 0.05) gives 1 - 0.95^14 ± 0.001."""
    _moving_price_subnet(mock)
    S.SubnetMovingPrice.insert(1, I96F32.from_num(1))
    S.FirstEmissionBlockNumber.insert(1, 1)
    assert se.get_moving_alpha_price(1) == I96F32.from_num(1)
    mock.set_block(7_200_000)
    se.update_moving_price(1)
    assert se.get_moving_alpha_price(1) == I96F32.from_num(1)
    S.SubnetMovingPrice.insert(1, 0)
    S.SubnetMovingAlpha.put(I96F32.from_num(1))
    se.update_moving_price(1)
    assert U96F32.from_num(1) - se.get_moving_alpha_price(1) < U96F32.from_f64(0.05)
    S.SubnetMovingPrice.insert(1, 0)
    S.SubnetMovingAlpha.put(I96F32.from_f64(0.1))
    mock.set_block(7_200 * 28)
    for _ in range(14):
        se.update_moving_price(1)
    assert abs(f96(se.get_moving_alpha_price(1)) - 0.512325) <= 0.001


@pytest.mark.parametrize(("block", "check"), [
    (510, lambda p: p < 0.001),  # test_update_moving_price_initial
    (144_000_500, lambda p: abs(p - 0.5) < 0.001),  # test_update_moving_price_after_time
])
def test_update_moving_price(mock, block, check):
    """coinbase.rs::test_update_moving_price_initial / _after_time (V7): alpha 0.5 scaled by
    b/(b + 201_600) from the block before `FirstEmissionBlockNumber` (500)."""
    _moving_price_subnet(mock)
    S.SubnetMovingAlpha.put(I96F32.from_f64(0.5))
    S.SubnetMovingPrice.insert(1, 0)
    mock.set_block(block)
    S.FirstEmissionBlockNumber.insert(1, 500)
    se.update_moving_price(1)
    assert check(f96(S.SubnetMovingPrice.get(1)))


@pytest.mark.parametrize(("tao", "alpha", "price_u64f64"), [
    (1_000_000, 3_000_000, (1 << 64) // 3),  # price 1/3
    (2_000_000, 1_000_000, 1 << 64),  # price 2, capped at 1 before the EMA
])
def test_moving_price_ema_is_bit_exact(mock, tao, alpha, price_u64f64):
    """One update in exact arithmetic with Rust's floors: a = floor(0.1·floor(b/(b+h))),
    new = floor(a·min(price, 1)) + floor((1 - a)·old), U96F32."""
    _moving_price_subnet(mock)
    S.SubnetMovingAlpha.put(I96F32.from_f64(0.1))
    S.SubnetMovingPrice.insert(1, I96F32.from_f64(0.3))
    S.FirstEmissionBlockNumber.insert(1, 1)
    mock.set_block(1000)
    setup_reserves(mock, 1, tao, alpha)
    se.update_moving_price(1)
    b, h = 1000 << 32, 201_600 << 32
    ratio = (b << 32) // (b + h)
    a = (I96F32.from_f64(0.1) * ratio) >> 32
    price = price_u64f64 >> 32  # U64F64 to U96F32
    expected = ((a * price) >> 32) + ((((1 << 32) - a) * I96F32.from_f64(0.3)) >> 32)
    assert S.SubnetMovingPrice.get(1) == expected


# -- V8-V10: pending emission, root proportion, the alpha_in cap -----------------------------------

def test_pending_emission(mock):
    """coinbase.rs::test_pending_emission (V8): tw 1, rp = 1e9/(1e9 + 3e9) = 0.25 ⇒ server 5e8,
    validator 3.75e8, root 1.25e8 (±1)."""
    netuid = add_dynamic_network(mock, acct(1), acct(2))
    S.Tempo.insert(netuid, 1)
    S.FirstEmissionBlockNumber.insert(netuid, 0)
    setup_reserves(mock, netuid, 1_000_000, 1)
    rc.run_coinbase(0)
    S.SubnetTAO.insert(ROOT, 1_000_000_000)
    rc.run_coinbase(0)
    S.Tempo.insert(netuid, 10000)
    S.TaoWeight.put(U64_MAX)
    S.SubnetMovingPrice.insert(netuid, I96F32.from_num(2))
    assert se.get_network_root_sell_flag([netuid])
    before = [item.get(netuid) for item in (S.PendingServerEmission, S.PendingValidatorEmission,
                                             S.PendingRootAlphaDivs)]
    rc.run_coinbase(0)
    after = [item.get(netuid) for item in (S.PendingServerEmission, S.PendingValidatorEmission,
                                            S.PendingRootAlphaDivs)]
    # The Rust test's earlier coinbases drained at tempo 1; what this one adds is the vector.
    added = [a - b for a, b in zip(after, before, strict=True)]
    approx(500_000_000, added[0], 1)
    approx(375_000_000, added[1], 1)
    approx(125_000_000, added[2], 1)


def test_root_proportion(mock):
    """coinbase.rs::test_root_proportion (V9): equal to the U96F32 expression; the exact bits
    2_761_050_404 (0.6428571427) and tw bits 773_094_113."""
    netuid = add_dynamic_network(mock, acct(10), acct(11))
    S.SubnetTAO.insert(ROOT, 1_000_000_000_000)
    S.TaoWeight.put(3_320_413_933_267_719_290)
    S.SubnetAlphaIn.insert(netuid, 100_000_000_000)
    tw = se.get_tao_weight()
    assert tw == 773_094_113
    root_tao = U96F32.from_num(1_000_000_000_000)
    alpha = U96F32.from_num(se.get_alpha_issuance(netuid))
    weighted = U96F32.saturating_mul(tw, root_tao)
    assert se.root_proportion(netuid) == U96F32.checked_div(weighted, weighted + alpha) == 2_761_050_404


def test_get_subnet_terms_alpha_emissions_cap(mock):
    """coinbase.rs::test_get_subnet_terms_alpha_emissions_cap (V10, spec 381): alpha_in = TAO /
    price uncapped; capped at min(alpha emission, TAO block emission)."""
    netuid = add_dynamic_network(mock, acct(10), acct(11))
    tao_block_emission = U96F32.from_num(be.get_block_emission())
    emissions1 = U96F32.from_num(100_000_000)
    _, alpha_in, _, _ = rc.get_subnet_terms({netuid: emissions1})
    assert alpha_in[netuid] == emissions1
    _, alpha_in, _, excess = rc.get_subnet_terms({netuid: U96F32.from_num(10_000_000_000)})
    assert alpha_in[netuid] == tao_block_emission
    assert excess[netuid] == U96F32.from_num(9_000_000_000)  # price 1: the rest buys alpha


# -- V11-V14: distribute_emission ------------------------------------------------------------------

def test_calculate_dividend_distribution_totals(mock):
    """coinbase.rs::test_calculate_dividend_distribution_totals (V11): totals within 1000, and
    the reference's exact per-hotkey U96F32 values."""
    hk = [acct(0), acct(1)]
    stake_map = {hk[0]: (4_859_302, 2_342_352), hk[1]: (23_423, 859_273)}
    dividends = {hk[0]: U96F32.from_num(77_783_738), hk[1]: U96F32.from_num(19_283_940)}
    alpha, root = rc.calculate_dividend_distribution(183_123_567_452, 837_120_949_872, U96F32.from_f64(0.18),
                                                     stake_map, dividends)
    approx(183_123_567_452, U96F32.to_num(sum(alpha.values())), 1000)
    approx(837_120_949_872, U96F32.to_num(sum(root.values())), 1000)
    assert [round(f96(alpha[h]), 3) for h in hk] == [176_856_534_496.556, 6_267_032_912.807]
    assert [round(f96(root[h]), 3) for h in hk] == [226_443_796_624.142, 610_677_153_052.951]
    assert U96F32.to_num(sum(alpha.values())) == 183_123_567_409
    assert U96F32.to_num(sum(root.values())) == 837_120_949_677


@pytest.mark.parametrize(("registered", "expected"), [
    (2, [1_500_000_000, 1_500_000_000]),  # test_drain_base_with_subnet_with_two_stakers_registered
    (1, [2_000_000_000]),  # test_drain_base_with_subnet_with_single_staker_registered
    (0, [1_000_000_000]),  # test_drain_base_with_subnet_with_single_staker_not_registered (exact)
])
def test_drain_base_with_subnet_stakers(mock, registered, expected):
    """coinbase.rs::test_drain_base_with_subnet_with_* (V12): no weights ⇒ the validators get
    the server half too, pro rata to stake (±10); an unregistered staker gets nothing."""
    add_network(1, 1)
    coldkey = acct(3)
    hotkeys = [acct(1), acct(2)][:max(registered, 1)]
    for hotkey in hotkeys[:registered]:
        register_neuron(1, hotkey, coldkey)
    for hotkey in hotkeys:
        accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, 1, 1_000_000_000)
    rc.distribute_emission(1, 500_000_000, 500_000_000, 0, 0)
    for hotkey, want in zip(hotkeys, expected, strict=True):
        got = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, 1)
        approx(want, got, 10 if registered else 0)


def test_drain_alpha_childkey_parentkey(mock):
    """coinbase.rs::test_drain_alpha_childkey_parentkey (V13): the parent's stake earns 9/10 of
    1e9 through its child, the child keeps its 1/10 take (±10_000)."""
    add_network(1, 1)
    S.CKBurn.put(0)
    parent, child, coldkey = acct(1), acct(2), acct(3)
    register_neuron(1, child, coldkey)
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(parent, coldkey, 1, 1_000_000_000)
    S.ChildKeys.insert(parent, 1, [(U64_MAX, child)])
    S.ParentKeys.insert(child, 1, [(U64_MAX, parent)])
    S.ChildkeyTake.insert(child, 1, U16_MAX // 10)
    rc.distribute_emission(1, 500_000_000, 500_000_000, 0, 0)
    approx(1_000_000_000 + 900_000_000, accounting.get_stake_for_hotkey_on_subnet(parent, 1), 10_000)
    approx(100_000_000, accounting.get_stake_for_hotkey_on_subnet(child, 1), 10_000)


def test_claim_root_with_drain_emissions(mock):
    """claim_root.rs::test_claim_root_with_drain_emissions (V14): the validator's 18 % take of
    the root alpha is staked to its owner, the rest becomes claimable at 0.41 per root rao;
    claiming (Keep) twice pays rate · root stake each time and records it in `RootClaimed`."""
    owner_coldkey, hotkey, coldkey = acct(1001), acct(1002), acct(1003)
    netuid = add_dynamic_network(mock, hotkey, owner_coldkey)
    S.TaoWeight.put(U64_MAX)
    root_stake = 2_000_000
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, ROOT, root_stake)
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, owner_coldkey, netuid, 10_000_000)
    rc.distribute_emission(netuid, 0, 0, 1_000_000, 0)
    approx(10_000_000 + 180_000, accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, owner_coldkey, netuid),
           100)
    claimable = S.RootClaimable.get(hotkey)[netuid]
    assert abs(f96(claimable) - 0.41) <= 0.001
    mock.call("set_root_claim_type", coldkey, new_root_claim_type="Keep")
    mock.call("claim_root", coldkey, subnets=frozenset({netuid}))
    new_stake = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    approx(I96F32.saturating_to_num(I96F32.saturating_mul(I96F32.from_num(root_stake), claimable)), new_stake, 10)
    assert S.RootClaimed.get(netuid, hotkey, coldkey) == new_stake
    rc.distribute_emission(netuid, 0, 0, 1_000_000, 0)
    claimable2 = S.RootClaimable.get(hotkey)[netuid]
    assert abs(f96(claimable2) - (0.41 + f96(claimable))) <= 0.001
    mock.call("claim_root", coldkey, subnets=frozenset({netuid}))
    new_stake2 = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    approx(I96F32.saturating_to_num(I96F32.saturating_mul(I96F32.from_num(root_stake), claimable2)), new_stake2, 10)
    assert S.RootClaimed.get(netuid, hotkey, coldkey) == new_stake2


def test_minting_stops_at_21m_tao(mock):
    """`mint_tao`: what the coinbase issues is capped so Balances' issuance never passes 21M
    TAO; the TAO that would pass it is not injected (and not counted in `TotalIssuance`)."""
    netuid = add_dynamic_network(mock, acct(1002), acct(1001))
    S.SubnetMovingPrice.insert(netuid, I96F32.from_num(1))
    room = 400_000_000  # less than this block's 1 TAO
    fungible.set_total_issuance(be.TOTAL_SUPPLY - room)
    issuance, pool = S.TotalIssuance.get(), S.SubnetTAO.get(netuid)
    rc.run_coinbase(U96F32.from_num(be.get_block_emission()))
    assert fungible.total_issuance() <= be.TOTAL_SUPPLY
    assert S.TotalIssuance.get() == issuance and S.SubnetTAO.get(netuid) == pool  # 1 TAO did not fit
    # A smaller emission that fits is issued whole.
    rc.run_coinbase(U96F32.from_num(room))
    assert fungible.total_issuance() == be.TOTAL_SUPPLY
    assert S.TotalIssuance.get() - issuance == room == S.SubnetTAO.get(netuid) - pool


def _keccak(data: bytes) -> bytes:
    from Crypto.Hash import keccak  # pycryptodome, substrate-interface's dependency

    return keccak.new(data=data, digest_bits=256).digest()


def test_claim_root_block_hash_indices(mock):
    """claim_root.rs::test_claim_root_block_hash_indices: the coldkeys auto-claimed in a block."""
    from pysubtensor.pallets.subtensor.staking.claim_root import block_hash_to_indices

    assert block_hash_to_indices(_keccak(b"zero"), 0, 15000) == []
    assert block_hash_to_indices(_keccak(b"some"), 15, 15000) == [
        265, 630, 1286, 1558, 4496, 4861, 5517, 5789, 6803, 8096, 9092, 11034, 11399, 12055, 12327]
    assert block_hash_to_indices(_keccak(b"some2"), 15, 15000) == [
        61, 246, 1440, 2855, 3521, 5236, 6130, 6615, 8511, 9405, 9890, 11786, 11971, 13165, 14580]


def test_claim_root_with_block_emissions(mock):
    """claim_root.rs::test_claim_root_with_block_emissions: with tempo 1, blocks through the hook
    pay root dividends and the automatic claim (block_step 8) stakes them for the root
    staker (claim type Keep), without a `claim_root` call."""
    owner_coldkey, hotkey, coldkey = acct(1001), acct(1002), acct(1003)
    netuid = add_dynamic_network(mock, hotkey, owner_coldkey)
    S.Tempo.insert(netuid, 1)
    S.TaoWeight.put(U64_MAX)
    root_stake = 200_000_000
    S.SubnetTAO.insert(ROOT, root_stake)
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, ROOT, root_stake)
    from pysubtensor.pallets.subtensor.staking.stake_utils import maybe_add_coldkey_index

    maybe_add_coldkey_index(coldkey)
    S.SubnetMovingPrice.insert(netuid, I96F32.from_num(2))
    setup_reserves(mock, netuid, 10_000_000_000_000, 1_000_000_000_000)
    assert swap.handler.current_alpha_price(netuid) == 10 << 64
    S.RootClaimableThreshold.insert(netuid, 0)
    assert se.get_network_root_sell_flag([netuid])
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, owner_coldkey, netuid, 10_000_000)
    mock.call("set_root_claim_type", coldkey, new_root_claim_type="Keep")
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == 0
    mock.set_block(0)
    mock.step_block(2)  # `new_test_ext(0)`, `run_to_block(2)`
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) > 0
