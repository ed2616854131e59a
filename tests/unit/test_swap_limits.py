"""SubtensorModule's limit-order sizes over the Swap pallet's pool: vectors V15 and V16 of
reference/subtensor-economics.md, ported from subtensor's Rust tests
(pallets/subtensor/src/tests/staking.rs `test_max_amount_add_dynamic`,
`test_max_amount_remove_dynamic`), which assert within 1/10000 and 1/100 of their numbers;
the reference's independent bit-exact emulation gives the exact values asserted here too.

Set-up as the Rust mock's: a dynamic subnet whose reserves the test writes, fee rate 33,
`SwapMinimumReserve` 100.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pysubtensor.pallets.subtensor as st
from pysubtensor.pallets import swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.config import Config
from pysubtensor.pallets.subtensor.staking.swap_limits import get_max_amount_add, get_max_amount_remove
from tests.support.frame import frame_env

S = st.pallet.Storage
NETUID = 1
U64_MAX = (1 << 64) - 1
PLE, RTL = swap.Error.PriceLimitExceeded, swap.Error.ReservesTooLow


@pytest.fixture
def subnet() -> Iterator[None]:
    config = Config(deposit_event=lambda pallet, event: None, currency=fungible, swap=swap.handler)
    swap_config = swap.Config(deposit_event=lambda pallet, event: None, subnet_info=st.swap_bridge.SUBNET_INFO,
                              tao_reserve=st.swap_bridge.TAO_RESERVE, alpha_reserve=st.swap_bridge.ALPHA_RESERVE,
                              minimum_reserve=100)
    with st.pallet.bound(config), swap.pallet.bound(swap_config), frame_env(st.pallet, swap.pallet):
        S.NetworksAdded.insert(NETUID, True)
        S.SubnetMechanism.insert(NETUID, 1)
        yield


def _set(tao: int, alpha: int) -> None:
    S.SubnetTAO.insert(NETUID, tao)
    S.SubnetAlphaIn.insert(NETUID, alpha)


#: (tao_in, alpha_in, limit_price, asserted (error or value), exact)
V15 = [
    (10**9, 10**9, 0, PLE, None),
    (100, 100, 1_100_000_000, 4, 4),
    (1_000, 1_000, 1_100_000_000, 48, 48),
    (10_000, 10_000, 1_100_000_000, 488, 488),
    (1_000_000, 1_000_000, 4_000_000_000, 1_000_500, 1_000_503),
    (1_000_000, 1_000_000, 9_000_000_000, 2_001_000, 2_001_007),
    (1_000_000, 1_000_000, 16_000_000_000, 3_001_500, 3_001_511),
    (10**12, 10**12, 16_000_000_000, 3_001_500_000_000, 3_001_511_404_231),
    (150 * 10**9, 100 * 10**9, 0, PLE, None),
    (150 * 10**9, 100 * 10**9, 100_000_000, PLE, None),
    (150 * 10**9, 100 * 10**9, 500_000_000, PLE, None),
    (150 * 10**9, 100 * 10**9, 1_499_999_999, PLE, None),
    (150 * 10**9, 100 * 10**9, 1_500_000_000, PLE, None),
    (150 * 10**9, 100 * 10**9, 1_500_000_001, 49, 49),
    (150 * 10**9, 100 * 10**9, 6_000_000_000, 150_075_000_000, 150_075_570_211),
    (U64_MAX // 2, U64_MAX, U64_MAX, U64_MAX, U64_MAX),
]


@pytest.mark.parametrize(("tao", "alpha", "limit", "asserted", "exact"), V15)
def test_max_amount_add_dynamic(subnet, tao, alpha, limit, asserted, exact):
    """staking.rs `test_max_amount_add_dynamic` (V15)."""
    _set(tao, alpha)
    swap.handler.init_swap(NETUID, None)
    if isinstance(asserted, type):
        with pytest.raises(asserted):
            get_max_amount_add(NETUID, limit)
        return
    got = get_max_amount_add(NETUID, limit)
    assert abs(got - asserted) <= asserted // 10_000
    assert got == exact


V16 = [
    (0, 10**9, 100, RTL, None),
    (10**9, 0, 100, PLE, None),
    (10**10, 10**10, 0, 10**13, 10**13),
    (1_000, 1_000, 0, 1_000_000, 1_000_000),
    (1_001, 1_001, 0, 1_001_000, None),
    (1_001, 1_001, 1, 1_001_000, None),
    (1_001, 1_001, 2, 1_001_000, None),
    (1_001, 1_001, 1_001, 1_001_000, None),
    (1_001, 1_001, 10_000, 17_472, 17_472),
    (1_001, 1_001, 100_000, 17_472, None),
    (1_001, 1_001, 1_000_000, 17_472, None),
    (1_001, 1_001, 10_000_000, 9_013, 9_013),
    (1_001, 1_001, 100_000_000, 2_165, 2_165),
    (1_000_000, 1_000_000, 250_000_000, 1_010_000, 1_000_503),
    (1_000_000, 1_000_000, 62_500_000, 3_030_000, 3_001_511),
    (10**12, 10**12, 62_500_000, 3_030_000_000_000, None),
    (200 * 10**9, 100 * 10**9, 0, 100_000_000_000_000, None),
    (200 * 10**9, 100 * 10**9, 500_000_000, 101_000_000_000, 100_050_380_141),
    (200 * 10**9, 100 * 10**9, 125_000_000, 303_000_000_000, 300_151_140_423),
    (200 * 10**9, 100 * 10**9, 2_000_000_000, PLE, None),
    (200 * 10**9, 100 * 10**9, 2_000_000_001, PLE, None),
    (200 * 10**9, 100 * 10**9, 1_999_999_999, 24, 24),
    (200 * 10**9, 100 * 10**9, 1_999_999_990, 250, 250),
    (21 * 10**15, 1_000_000, 21 * 10**15, 17_455_533, 17_455_533),
    (21 * 10**15, 1_000_000, U64_MAX, 67_000, 66_997),
    (21 * 10**15, 10**18, U64_MAX, PLE, None),
    (21 * 10**15, 10**18, 20_000_000, 24_700_000_000_000_000, 24_707_518_010_384_840),
    (21 * 10**15, 21 * 10**15, 999_999_999, 10_605_000, 10_505_288),
    (21 * 10**15, 21 * 10**15, 0, U64_MAX, U64_MAX),
]


@pytest.mark.parametrize(("tao", "alpha", "limit", "asserted", "exact"), V16)
def test_max_amount_remove_dynamic(subnet, tao, alpha, limit, asserted, exact):
    """staking.rs `test_max_amount_remove_dynamic` (V16; the Rust's own tolerance is 1 %)."""
    _set(tao, alpha)
    if alpha:
        assert swap.handler.current_alpha_price(NETUID) == (tao << 64) // alpha
    if isinstance(asserted, type):
        with pytest.raises(asserted):
            get_max_amount_remove(NETUID, limit)
        return
    got = get_max_amount_remove(NETUID, limit)
    assert abs(got - asserted) <= asserted // 100
    if exact is not None:
        assert got == exact


@pytest.mark.parametrize(("limit", "add", "remove"), [(999_999_999, 0, U64_MAX), (1_000_000_000, U64_MAX, U64_MAX),
                                                      (1_000_000_001, U64_MAX, 0)])
def test_stable_subnets_are_all_or_nothing(subnet, limit, add, remove):
    """add_stake.rs / remove_stake.rs: root and stable subnets have no slippage."""
    assert (get_max_amount_add(0, limit), get_max_amount_remove(0, limit)) == (add, remove)
