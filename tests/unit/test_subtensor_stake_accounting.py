"""Stake accounting over storage (pallets/subtensor/staking/accounting.py), scenarios ported
from subtensor's Rust tests at spec 381 (`pallets/subtensor/src/tests/staking2.rs`,
`staking.rs`), each naming its Rust test. Shares live in `Alpha` / `TotalHotkeyShares` as
U64F64, as spec 381's metadata declares them."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pytest

from pysubtensor.pallets.subtensor.coinbase.storage import SubnetAlphaOut
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.staking import accounting as acc
from pysubtensor.pallets.subtensor.staking.storage import (
    Alpha,
    StakingHotkeys,
    TotalHotkeyAlpha,
    TotalHotkeyShares,
    TotalStake,
)
from pysubtensor.pallets.subtensor.subnets.storage import NetworksAdded
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.primitives.fixed import U64F64
from tests.support.subtensor_seed import account, chain

NETUID = 1
HOT, COLD1, COLD2 = account(1), account(2), account(3)


@pytest.fixture(autouse=True)
def env():
    with chain(block=1):
        yield


def stake(hotkey: bytes, coldkey: bytes, netuid: int = NETUID) -> int:
    return acc.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)


def test_share_based_staking():
    """Rust: staking2.rs test_share_based_staking."""
    amount = 1_000_000_000
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, amount)
    initial = stake(HOT, COLD1)
    assert initial == amount
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, amount)
    after_second = stake(HOT, COLD1)
    assert abs(after_second - (initial + amount)) <= 1
    acc.increase_stake_for_hotkey_on_subnet(HOT, NETUID, amount)
    after_direct = stake(HOT, COLD1)
    assert abs(after_direct - (after_second + amount)) <= 1
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD2, NETUID, amount)
    secondary = stake(HOT, COLD2)
    assert abs(secondary - amount) <= 1
    total = acc.get_stake_for_hotkey_on_subnet(HOT, NETUID)
    assert abs(total - (after_direct + amount)) <= 1
    acc.increase_stake_for_hotkey_on_subnet(HOT, NETUID, amount)
    primary_final, secondary_final = stake(HOT, COLD1), stake(HOT, COLD2)
    assert abs(primary_final - (after_direct + amount * Fraction(after_direct, total))) <= 1
    assert abs(secondary_final - (secondary + amount * Fraction(secondary, total))) <= 1
    assert acc.decrease_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, amount) == amount
    primary_after = stake(HOT, COLD1)
    assert abs(primary_after - (primary_final - amount)) <= 1
    acc.decrease_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD2, NETUID, amount)
    secondary_after = stake(HOT, COLD2)
    assert abs(secondary_after - (secondary_final - amount)) <= 1
    assert abs(acc.get_stake_for_hotkey_on_subnet(HOT, NETUID) - (primary_after + secondary_after)) <= 1
    # zero amount: nothing changes
    assert acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, 0) == 0
    assert stake(HOT, COLD1) == primary_after
    # more than held: nothing happens
    assert acc.decrease_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, primary_after + 1000) == 0
    assert stake(HOT, COLD1) == primary_after
    # a new hotkey starts its pool
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(account(4), COLD1, NETUID, amount)
    assert stake(account(4), COLD1) == amount
    # an unknown coldkey: nothing removed
    assert acc.decrease_stake_for_hotkey_and_coldkey_on_subnet(HOT, account(5), NETUID, amount) == 0
    assert stake(HOT, account(5)) == 0


@pytest.mark.parametrize(("amount", "unstake"), [
    (1_000, 990), (1_000, 999), (1_000_000, 990_000), (1_000_000, 999_990), (1_000_000_000, 999_999_990),
    (1_000_000_000_000, 999_999_999_990),
])
def test_share_based_staking_denominator_precision(amount, unstake):
    """Rust: staking2.rs test_share_based_staking_denominator_precision (the dust rule: at or
    below 0.001 % left, the whole stake goes)."""
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, amount)
    assert U64F64.to_num(Alpha.get(HOT, COLD1, NETUID)) == amount
    acc.decrease_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, unstake)
    expected = 0 if Fraction(amount - unstake, amount) <= Fraction(1, 100_000) else amount - unstake
    assert stake(HOT, COLD1) == expected
    if expected == 0:
        # every map entry of the pool is gone, not left at zero
        assert not Alpha.contains_key(HOT, COLD1, NETUID)
        assert not TotalHotkeyShares.contains_key(HOT, NETUID)
        assert not TotalHotkeyAlpha.contains_key(HOT, NETUID)


@pytest.mark.parametrize(("amount", "unstake", "inject", "tolerance"), [
    (1_000, 999, 1_000_000, 0), (1_000_000, 999_000, 100_000_000, 0), (1_000_000, 900_000, 100_000_000, 0),
    (100_000_000_000, 1_000_000_000, 1_000_000_000_000, 1), (100_000_000_000, 99_000_000_000, 1_000_000_000_000, 1),
    (100_000_000_000, 99_990_000_000, 1_000_000_000_000, 1), (100_000_000_000, 99_990_000_000, 1_234_567_890, 1),
])
def test_share_based_staking_stake_unstake_inject(amount, unstake, inject, tolerance):
    """Rust: staking2.rs test_share_based_staking_stake_unstake_inject."""
    for cold in (COLD1, COLD2):
        acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, cold, NETUID, amount)
        acc.decrease_stake_for_hotkey_and_coldkey_on_subnet(HOT, cold, NETUID, unstake)
    acc.increase_stake_for_hotkey_on_subnet(HOT, NETUID, inject)
    for cold in (COLD1, COLD2):
        assert abs(stake(HOT, cold) - (amount - unstake + inject // 2)) <= tolerance


@pytest.mark.parametrize(("amount", "inject", "amount2", "tolerance"), [
    (1, 2_000_000_000, 500_000_000, 1), (1, 5_000_000_000, 50_000_000, 1),
    (500_000_000, 1_000_000_000, 1_000_000_000, 1),
])
def test_share_based_staking_stake_inject_stake_new(amount, inject, amount2, tolerance):
    """Rust: staking2.rs test_share_based_staking_stake_inject_stake_new."""
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, amount)
    acc.increase_stake_for_hotkey_on_subnet(HOT, NETUID, inject)
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD2, NETUID, amount2)
    assert abs(stake(HOT, COLD1) - (amount + inject)) <= tolerance
    assert abs(stake(HOT, COLD2) - amount2) <= tolerance


def test_increase_stake_for_hotkey_and_coldkey_on_subnet_adds_to_staking_hotkeys_map():
    """Rust: staking.rs test_increase_stake_for_hotkey_and_coldkey_on_subnet_adds_to_staking_hotkeys_map."""
    assert not StakingHotkeys.contains_key(COLD1)
    StakingHotkeys.insert(COLD1, [])
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, 100_000_000_000)
    assert StakingHotkeys.get(COLD1) == [HOT]
    assert not StakingHotkeys.contains_key(COLD2)
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD2, NETUID, 100_000_000_000)
    assert StakingHotkeys.get(COLD2) == [HOT]
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD2, NETUID, 1)
    assert StakingHotkeys.get(COLD2) == [HOT]  # listed once


def test_storage_layout_of_a_pool():
    """What the pool writes: TotalHotkeyAlpha the u64 value, TotalHotkeyShares and Alpha U64F64
    shares (the first staker's shares equal its amount)."""
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, 5_000)
    assert TotalHotkeyAlpha.get(HOT, NETUID) == 5_000
    assert TotalHotkeyShares.get(HOT, NETUID) == 5_000 << 64
    assert Alpha.get(HOT, COLD1, NETUID) == 5_000 << 64
    acc.increase_stake_for_hotkey_on_subnet(HOT, NETUID, 5_000)  # value per share 2
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD2, NETUID, 1_000)
    assert Alpha.get(HOT, COLD2, NETUID) == 500 << 64
    assert TotalHotkeyShares.get(HOT, NETUID) == 5_500 << 64
    assert TotalHotkeyAlpha.get(HOT, NETUID) == 11_000
    assert acc.share_value(HOT, NETUID, 500 << 64) == 1_000
    # selling a whole stake exactly clears its entry
    assert acc.decrease_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD2, NETUID, 1_000) == 1_000
    assert not Alpha.contains_key(HOT, COLD2, NETUID)


def test_calculate_reduced_stake_on_subnet():
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, 1_000)
    assert acc.calculate_reduced_stake_on_subnet(HOT, COLD1, NETUID, 400) == 600
    assert acc.calculate_reduced_stake_on_subnet(HOT, COLD1, NETUID, 1_000) == 0
    with pytest.raises(DispatchError) as e:
        acc.calculate_reduced_stake_on_subnet(HOT, COLD1, NETUID, 1_001)
    assert isinstance(e.value, Error.NotEnoughStakeToWithdraw)


def test_try_increase_refuses_zero_shares():
    """`try_increase_stake_for_hotkey_and_coldkey_on_subnet` (stake_into_subnet's
    InsufficientLiquidity check): a 1-rao stake into a pool worth far more per share buys 0."""
    assert acc.try_increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, NETUID, 1)  # empty pool
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, 1)
    acc.increase_stake_for_hotkey_on_subnet(HOT, NETUID, 10**18 - 1)
    assert not acc.try_increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, NETUID, 0)
    assert acc.try_increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, NETUID, 10**9)


def test_amount_above_i64_max_wraps_like_rust():
    """`amount.to_u64() as i64`: an emission above i64::MAX arrives as a debit."""
    acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, NETUID, 1_000)
    acc.increase_stake_for_hotkey_on_subnet(HOT, NETUID, 2**64 - 10)  # as i64: -10
    assert TotalHotkeyAlpha.get(HOT, NETUID) == 990
    acc.decrease_stake_for_hotkey_on_subnet(HOT, NETUID, 2**63)  # i64::MIN, negated: itself
    assert TotalHotkeyAlpha.get(HOT, NETUID) == 990


def test_totals_and_recycle():
    acc.increase_total_stake(5)
    acc.decrease_total_stake(7)
    assert TotalStake.get() == 0 == acc.get_total_stake()
    acc.increase_total_stake(2**64 + 5)
    assert TotalStake.get() == 2**64 - 1
    SubnetAlphaOut.insert(NETUID, 100)
    acc.recycle_subnet_alpha(NETUID, 30)
    assert SubnetAlphaOut.get(NETUID) == 70
    acc.recycle_subnet_alpha(NETUID, 100)
    assert SubnetAlphaOut.get(NETUID) == 0


class Pool:
    """A pool quoting a fixed price and a fixed 1 % fee on simulated sales."""

    def __init__(self, price_bits: int) -> None:
        self.price_bits = price_bits

    def current_alpha_price(self, netuid: int) -> int:
        return self.price_bits

    def sim_swap_alpha_for_tao(self, netuid: int, alpha: int) -> SimpleNamespace:
        if netuid == 3:
            raise Error.InsufficientLiquidity()
        fee = alpha // 100
        out = U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(alpha - fee), self.price_bits))
        # the `SwapResult` fields the accounting reads
        return SimpleNamespace(amount_paid_in=alpha - fee, amount_paid_out=out, fee_paid=fee)


def test_total_stake_for_hotkey_and_coldkey():
    """`get_total_stake_for_hotkey` (alpha times price over every subnet) and
    `get_total_stake_for_coldkey(_on_subnet)` (simulated sale plus the fee at the price; a
    failed simulation counts 0)."""
    for netuid in (1, 2, 3):
        NetworksAdded.insert(netuid, True)
        acc.increase_stake_for_hotkey_and_coldkey_on_subnet(HOT, COLD1, netuid, 1_000_000)
    with pallet.bound(swap=Pool(1 << 63)):  # price 0.5
        assert acc.get_total_stake_for_hotkey(HOT) == 1_500_000
        # per subnet: 990_000 alpha sold -> 495_000, fee 10_000 alpha -> 5_000: 500_000 each; netuid 3 fails
        assert acc.get_total_stake_for_coldkey(COLD1) == 1_000_000
        assert acc.get_total_stake_for_coldkey_on_subnet(COLD1, 2) == 500_000
        assert acc.get_total_stake_for_coldkey_on_subnet(COLD1, 3) == 0
