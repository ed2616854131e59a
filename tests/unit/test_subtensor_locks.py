"""main's stake locks (pallets/subtensor/staking/lock.py) in process, ported from subtensor
main's Rust tests (pallets/subtensor/src/tests/locks.rs at 14bc6f9; each test names its Rust
test), with their set-up (`setup_subnet_with_stake`: reserves of stake x 1e6 TAO and x 1e7
alpha, the stake bought through the pool, the coldkey's lock made perpetual) and their
errors; main's `StakeUnavailable` is spec 381's `CannotUnstakeLock` here (the same variant).
Plus `move_stake_limit` (RaoFoundation/subtensor PR #3084): fill-or-kill, partial fill and its
limit measured as the pool prices it.

Every failing call goes through `Chain.call`, which asserts it changed nothing.
"""

from __future__ import annotations

import math

import pytest

from pysubtensor.pallets.subtensor.apis.stake_info import get_stake_availability_for_coldkeys
from pysubtensor.pallets.subtensor.neurons.logic import create_account_if_non_existent
from pysubtensor.pallets.subtensor.staking import accounting, lock
from pysubtensor.pallets.subtensor.staking.move_stake import get_max_amount_move
from pysubtensor.pallets.subtensor.staking.stake_utils import DEFAULT_MIN_STAKE, stake_into_subnet
from pysubtensor.pallets.subtensor.types import LockState
from pysubtensor.pallets.swap import handler as swap_handler
from pysubtensor.primitives.fixed import U64F64
from tests.unit.test_subtensor_registration import ED, acct
from tests.unit.test_subtensor_staking import (
    MAX_PRICE,
    U64_MAX,
    E,
    S,
    add_dynamic_network,
    setup_reserves,
)
from tests.unit.test_subtensor_staking import chain as staking_chain  # noqa: F401 (fixture)

STAKE = 100_000_000_000
ONE = 1 << 64


@pytest.fixture
def chain(staking_chain):  # noqa: F811 (the staking tests' chain)
    return staking_chain


def fixed(x: float) -> int:
    return U64F64.from_f64(x)


def setup_subnet_with_stake(chain, coldkey: bytes, hotkey: bytes, stake_tao: int, owner: int = 1001) -> int:
    netuid = add_dynamic_network(chain, acct(owner + 1), acct(owner))
    setup_reserves(chain, netuid, stake_tao * 1_000_000, stake_tao * 10_000_000)
    create_account_if_non_existent(coldkey, hotkey)
    chain.fund(coldkey, stake_tao + ED)
    stake_into_subnet(hotkey, coldkey, netuid, stake_tao, MAX_PRICE, False, False)
    S.DecayingLock.insert(coldkey, netuid, False)
    return netuid


def alpha_of(hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    return accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)


def roll(lock_state: LockState, now: int, owner: bool, perpetual: bool) -> LockState:
    return lock.roll_forward_lock(lock_state, now, S.UnlockRate.get(), S.MaturityRate.get(), owner, perpetual)[0]


C1, H2, H3, C5 = acct(1), acct(2), acct(3), acct(5)


# ---------------------------------------------------------------------------
# lock_stake


def test_lock_stake_creates_new_lock(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    amount = alpha_of(H2, C1, netuid) // 2
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=amount)
    assert S.Lock.get(C1, netuid, H2) == LockState(locked_mass=amount, conviction=0, last_update=1)
    assert S.HotkeyLock.get(netuid, H2).locked_mass == amount
    # test_locking_coldkeys_added_once_by_lock_stake: the reverse index.
    assert list(S.LockingColdkeys.iter_keys()) == [(netuid, H2, C1)]


def test_lock_stake_defaults_to_decaying_lock(chain):
    """Without the perpetual flag the lock and the aggregate are the decaying ones."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    S.DecayingLock.remove(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=1000)
    assert S.HotkeyLock.get(netuid, H2) is None
    assert S.DecayingHotkeyLock.get(netuid, H2).locked_mass == 1000


def test_lock_stake_emits_event(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=1000)
    event = chain.named("StakeLocked")[-1]
    assert (event.coldkey, event.hotkey, event.netuid, event.amount) == (C1, H2, netuid, 1000)


def test_lock_stake_full_amount(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    assert total
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total)
    assert S.Lock.get(C1, netuid, H2).locked_mass == total


def test_lock_stake_zero_amount(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    chain.fails(E.AmountTooLow, "lock_stake", C1, hotkey=H2, netuid=netuid, amount=0)


def test_lock_stake_exceeds_total_alpha(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.fails(E.InsufficientStakeForLock, "lock_stake", C1, hotkey=H2, netuid=netuid, amount=total + 1)


def test_lock_stake_wrong_hotkey(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    create_account_if_non_existent(C1, H3)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=1000)
    chain.fails(E.LockHotkeyMismatch, "lock_stake", C1, hotkey=H3, netuid=netuid, amount=500)


def test_lock_stake_topup_exceeds_total(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total * 8 // 10)
    chain.fails(E.InsufficientStakeForLock, "lock_stake", C1, hotkey=H2, netuid=netuid, amount=total * 3 // 10)


def test_lock_stake_unknown_hotkey(chain):
    """`HotKeyAccountNotExists` for a hotkey nobody owns (do_lock_stake's second check)."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    chain.fails(E.HotKeyAccountNotExists, "lock_stake", C1, hotkey=acct(99), netuid=netuid, amount=1000)


def test_lock_stake_topup_decaying_rolls_the_lock_first(chain):
    """A decaying lock topped up after 100 blocks: the lock is rolled first, so the mass it
    lost comes off the hotkey's decaying aggregate, which is stamped now without maturing
    (main's `apply_roll_delta_to_aggregate`): the aggregate's mass equals the lock's and its
    conviction is still 0 while the lock's has grown."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    S.DecayingLock.remove(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=10**9)
    chain.step_block(100)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=500)
    state, aggregate = S.Lock.get(C1, netuid, H2), S.DecayingHotkeyLock.get(netuid, H2)
    assert state.locked_mass < 10**9 + 500 and state.conviction > 0
    assert (aggregate.locked_mass, aggregate.conviction, aggregate.last_update) == (state.locked_mass, 0, 101)


def test_lock_stake_topup(chain):
    """The first lock matures for 100 blocks, then 500 more: the mass is the first (perpetual
    here, so undecayed) plus 500, with conviction, stamped now; the hotkey aggregate agrees."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=1000)
    chain.step_block(100)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=500)
    state = S.Lock.get(C1, netuid, H2)
    assert 1490 < state.locked_mass < 1501
    assert state.conviction > 0
    assert state.last_update == 101
    hotkey_lock = S.HotkeyLock.get(netuid, H2)
    assert hotkey_lock.locked_mass == state.locked_mass and hotkey_lock.conviction > 0


# ---------------------------------------------------------------------------
# reads


def test_get_current_locked_and_coldkey_lock_without_lock(chain):
    """test_get_current_locked_no_lock, test_get_coldkey_lock_no_lock."""
    assert lock.get_current_locked(C1, 1) == 0
    assert lock.get_coldkey_lock(C1, 1) is None


def test_get_coldkey_lock_rolls_forward(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=5000)
    initial = lock.get_coldkey_lock(C1, netuid)
    assert initial.conviction == 0
    chain.step_block(1000)
    rolled = lock.get_coldkey_lock(C1, netuid)
    assert rolled.locked_mass == initial.locked_mass
    assert rolled.conviction > initial.conviction
    assert rolled.last_update == 1001


def test_available_to_unstake(chain):
    """test_available_to_unstake_no_lock / _with_lock / _fully_locked."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    assert lock.available_to_unstake(C1, netuid) == total
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total // 2)
    assert lock.available_to_unstake(C1, netuid) == total - total // 2
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total - total // 2)
    assert lock.available_to_unstake(C1, netuid) == 0


def test_stake_availability_for_coldkeys(chain):
    """test_stake_availability_for_coldkeys_empty_coldkeys / _empty_netuids / _filters_empty_rows
    / _partial_lock / _none_netuids_uses_all_subnets / _dedups_netuids / _skips_nonexistent_netuid
    / _rejects_oversized_netuid_list."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    add_dynamic_network(chain, acct(2002), acct(2001))  # a second subnet, where C1 has nothing
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    assert get_stake_availability_for_coldkeys([], None) == {}
    assert get_stake_availability_for_coldkeys([C1], []) == {C1: {}}
    assert get_stake_availability_for_coldkeys([C5], None) == {C5: {}}
    row = get_stake_availability_for_coldkeys([C1], [netuid])[C1][netuid]
    assert (row.total, row.locked, row.available) == (total, 0, total)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total // 4)
    row = get_stake_availability_for_coldkeys([C1], None)[C1][netuid]
    assert (row.total, row.locked, row.available) == (total, total // 4, total - total // 4)
    assert list(get_stake_availability_for_coldkeys([C1], [netuid, netuid])[C1]) == [netuid]
    assert get_stake_availability_for_coldkeys([C1], [netuid, 999])[C1].keys() == {netuid}
    oversized = list(range(len(list(S.NetworksAdded.iter_keys())) + 1))
    assert get_stake_availability_for_coldkeys([C1], oversized) == {C1: {}}


def test_stake_availability_for_coldkeys_uses_rolled_forward_lock(chain):
    """A decaying lock: after 10_000 blocks `locked` is the rolled mass, not the stored one."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    S.DecayingLock.remove(C1, netuid)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total // 2)
    stored = S.Lock.get(C1, netuid, H2)
    chain.step_block(10_000)
    expected = roll(stored, 10_001, False, False).locked_mass
    assert expected < stored.locked_mass
    row = get_stake_availability_for_coldkeys([C1], [netuid])[C1][netuid]
    assert (row.locked, row.available) == (expected, total - expected)


# ---------------------------------------------------------------------------
# roll-forward math


def test_exp_decay():
    """test_exp_decay_zero_dt / _zero_tau / _one_tau / _clamps_large_dt_to_min_ratio."""
    assert lock.exp_decay(0, 216_000) == ONE
    assert lock.exp_decay(1000, 0) == 0
    assert abs(lock.exp_decay(216_000, 216_000) - fixed(0.36787944)) < fixed(0.001)
    clamped, oversized = lock.exp_decay(40 * 216_000, 216_000), lock.exp_decay(100 * 216_000, 216_000)
    assert abs(oversized - clamped) < fixed(0.000000001) and oversized > 0


def test_roll_forward_locked_mass_decays(chain):
    rolled = roll(LockState(10_000, 0, 0), S.UnlockRate.get(), False, False)
    assert 0 < rolled.locked_mass < 10_000


def test_roll_forward_conviction_uses_unequal_rate_closed_form(chain):
    """gamma = tau_x (e^-dt/tau_m - e^-dt/tau_x) / (tau_m - tau_x), conviction = mass x gamma."""
    S.UnlockRate.put(200_000)
    S.MaturityRate.put(240_000)
    rolled = roll(LockState(10_000, 0, 0), 10_000, False, False)
    unlock_decay, maturity_decay = lock.exp_decay(10_000, 200_000), lock.exp_decay(10_000, 240_000)
    gamma = U64F64.safe_div(U64F64.saturating_mul(U64F64.saturating_from_num(200_000),
                                                  U64F64.saturating_sub(maturity_decay, unlock_decay)),
                            U64F64.saturating_from_num(40_000))
    expected = U64F64.saturating_mul(U64F64.saturating_from_num(10_000), gamma)
    assert abs(rolled.conviction - expected) / ONE < 0.0000001
    # And against the closed form in floating point.
    closed = 10_000 * 200_000 * (math.exp(-10_000 / 240_000) - math.exp(-10_000 / 200_000)) / 40_000
    assert abs(rolled.conviction / ONE - closed) < 1e-6


def test_roll_forward_perpetual_mass_does_not_decay_and_conviction_matures(chain):
    rolled = roll(LockState(10_000, 0, 0), 100_000, False, True)
    assert rolled.locked_mass == 10_000
    expected = 10_000 * (1 - math.exp(-100_000 / S.MaturityRate.get()))
    assert abs(rolled.conviction / ONE - expected) < 1e-6


def test_roll_forward_equal_rates_closed_form(chain):
    """Equal rates (the default 934_866): conviction = mass x dt/tau x e^-dt/tau, mass x e^-dt/tau."""
    tau = S.UnlockRate.get()
    rolled = roll(LockState(10**12, 0, 0), tau, False, False)
    assert abs(rolled.locked_mass - 10**12 * math.exp(-1)) <= 1
    assert abs(rolled.conviction / ONE - 10**12 * math.exp(-1)) < 1


def test_roll_forward_normalizes_dust_to_zero_and_owner_conviction_is_mass(chain):
    """test_roll_forward_normalizes_dust_to_zero; an owner lock's conviction is its mass."""
    assert roll(LockState(99, fixed(50.0), 0), 1, False, False) == LockState(0, 0, 1)
    # test_lock_state_is_zero_uses_dust_threshold: below 100 of both is dust, 100 is not.
    assert roll(LockState(99, fixed(99.0), 1), 1, False, True) == LockState(0, 0, 1)
    assert roll(LockState(100, 0, 1), 1, False, True) == LockState(100, 0, 1)
    assert roll(LockState(5000, 0, 0), 10, True, True).conviction == U64F64.saturating_from_num(5000)


def test_roll_forward_no_change_when_now_equals_last_update(chain):
    state = LockState(5000, fixed(7.5), 42)
    assert roll(state, 42, False, False) == state


# ---------------------------------------------------------------------------
# what a lock stops


def test_unstake_allowed_up_to_available(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total // 2)
    chain.step_block(1)
    chain.call("remove_stake", C1, hotkey=H2, netuid=netuid, amount_unstaked=alpha_of(H2, C1, netuid) // 2)


def test_unstake_blocked_by_lock(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total)
    chain.step_block(1)
    chain.fails(E.CannotUnstakeLock, "remove_stake", C1, hotkey=H2, netuid=netuid,
                amount_unstaked=alpha_of(H2, C1, netuid))
    # unstake_all skips a subnet whose removal does not validate (main's do_unstake_all): the
    # locked stake stays.
    alpha = alpha_of(H2, C1, netuid)
    chain.call("unstake_all", C1, hotkey=H2)
    assert alpha_of(H2, C1, netuid) == alpha


def test_move_stake_cross_subnet_blocked_by_lock(chain):
    netuid_a = setup_subnet_with_stake(chain, C1, H2, STAKE)
    netuid_b = add_dynamic_network(chain, acct(2002), acct(2001))
    setup_reserves(chain, netuid_b, STAKE * 1_000_000, STAKE * 10_000_000)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid_a)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid_a, amount=total)
    chain.step_block(1)
    args = dict(origin_hotkey=H2, destination_hotkey=H2, origin_netuid=netuid_a, destination_netuid=netuid_b,
                alpha_amount=alpha_of(H2, C1, netuid_a))
    chain.fails(E.CannotUnstakeLock, "move_stake", C1, **args)
    chain.fails(E.CannotUnstakeLock, "move_stake_limit", C1, **args, limit_price=0, allow_partial=False)


def test_move_stake_same_coldkey_same_subnet_allowed(chain):
    """A locked position may change hotkey within the subnet (the lock is subnet-wide)."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    create_account_if_non_existent(C1, H3)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total)
    chain.step_block(1)
    alpha = alpha_of(H2, C1, netuid)
    chain.call("move_stake", C1, origin_hotkey=H2, destination_hotkey=H3, origin_netuid=netuid,
               destination_netuid=netuid, alpha_amount=alpha)
    assert alpha_of(H3, C1, netuid) > 0
    assert S.Lock.get(C1, netuid, H2).locked_mass == total


def test_do_transfer_stake_same_subnet_transfers_lock_to_destination_coldkey(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    S.DecayingLock.insert(C5, netuid, False)
    chain.call("set_reject_locked_alpha", C5, enabled=False)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total // 2)
    sender_before, hotkey_before = S.Lock.get(C1, netuid, H2), S.HotkeyLock.get(netuid, H2)
    chain.step_block(1)
    chain.call("transfer_stake", C1, destination_coldkey=C5, hotkey=H2, origin_netuid=netuid,
               destination_netuid=netuid, alpha_amount=total)
    expected = roll(sender_before, 2, False, True)
    assert S.Lock.get(C1, netuid, H2) is None
    receiver = S.Lock.get(C5, netuid, H2)
    assert receiver.locked_mass == expected.locked_mass
    assert 0 < receiver.conviction <= expected.conviction
    assert S.HotkeyLock.get(netuid, H2).locked_mass == roll(hotkey_before, 2, False, True).locked_mass


def test_do_transfer_stake_rejects_locked_alpha_to_flagged_destination(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total // 2)
    chain.call("set_reject_locked_alpha", C5, enabled=True)
    chain.fails(E.AccountRejectsLockedAlpha, "transfer_stake", C1, destination_coldkey=C5, hotkey=H2,
                origin_netuid=netuid, destination_netuid=netuid, alpha_amount=total)
    assert S.Lock.get(C5, netuid, H2) is None


def test_do_transfer_stake_allows_unlocked_alpha_to_flagged_destination(chain):
    """Only the free part moves: the lock stays with the sender, the receiver (rejecting by
    default) gets no lock."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total // 2)
    free = total - total // 2
    chain.call("transfer_stake", C1, destination_coldkey=C5, hotkey=H2, origin_netuid=netuid,
               destination_netuid=netuid, alpha_amount=free)
    assert S.Lock.get(C1, netuid, H2).locked_mass == total // 2
    assert S.Lock.get(C5, netuid, H2) is None
    assert lock.available_to_unstake(C1, netuid) == 0


def test_recycle_alpha_checks_lock(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=total)
    chain.step_block(1)
    alpha = alpha_of(H2, C1, netuid)
    chain.fails(E.CannotUnstakeLock, "recycle_alpha", C1, hotkey=H2, amount=alpha // 2, netuid=netuid)
    chain.fails(E.CannotUnstakeLock, "burn_alpha", C1, hotkey=H2, amount=alpha // 2, netuid=netuid)
    assert lock.total_coldkey_alpha_on_subnet(C1, netuid) >= lock.get_current_locked(C1, netuid)


# ---------------------------------------------------------------------------
# move_lock, set_perpetual_lock, conviction


def test_moving_lock(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    create_account_if_non_existent(C1, H3)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=5000)
    state = S.Lock.get(C1, netuid, H2)
    state.conviction = U64F64.saturating_from_num(1234)
    S.Lock.insert(C1, netuid, H2, state)
    hotkey_lock = S.HotkeyLock.get(netuid, H2)
    hotkey_lock.conviction = U64F64.saturating_from_num(1234)
    S.HotkeyLock.insert(netuid, H2, hotkey_lock)
    chain.call("move_lock", C1, destination_hotkey=H3, netuid=netuid)
    moved = S.Lock.get(C1, netuid, H3)
    assert (moved.locked_mass, moved.conviction) == (5000, U64F64.saturating_from_num(1234))
    assert S.HotkeyLock.get(netuid, H2) is None
    after = S.HotkeyLock.get(netuid, H3)
    assert (after.locked_mass, after.conviction) == (5000, U64F64.saturating_from_num(1234))
    event = chain.named("LockMoved")[-1]
    assert (event.coldkey, event.origin_hotkey, event.destination_hotkey, event.netuid) == (C1, H2, H3, netuid)


def test_move_lock_without_lock(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    create_account_if_non_existent(C5, H3)
    chain.fails(E.NoExistingLock, "move_lock", C5, destination_hotkey=H3, netuid=netuid)


def test_set_perpetual_lock_toggles_aggregate(chain):
    """test_set_perpetual_lock_is_per_coldkey_and_rolls_lock_at_boundary: turning it off moves
    the lock from the perpetual to the decaying aggregate and clears the flag."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=5000)
    chain.step_block(10)
    chain.call("set_perpetual_lock", C1, netuid=netuid, enabled=False)
    assert S.DecayingLock.get(C1, netuid) is None
    assert S.HotkeyLock.get(netuid, H2) is None
    assert S.DecayingHotkeyLock.get(netuid, H2).locked_mass == 5000
    event = chain.named("PerpetualLockUpdated")[-1]
    assert (event.coldkey, event.netuid, event.enabled) == (C1, netuid, False)


def test_subnet_king_highest_conviction_wins(chain):
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    create_account_if_non_existent(C5, H3)
    chain.fund(C5, STAKE + ED)
    stake_into_subnet(H3, C5, netuid, STAKE, MAX_PRICE, False, False)
    S.DecayingLock.insert(C5, netuid, False)
    assert lock.subnet_king(netuid) is None
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=1000)
    chain.call("lock_stake", C5, hotkey=H3, netuid=netuid, amount=5000)
    chain.step_block(1000)
    assert lock.hotkey_conviction(H3, netuid) > lock.hotkey_conviction(H2, netuid) > 0
    assert lock.subnet_king(netuid) == H3


def test_set_reject_locked_alpha_sets_the_account_flag(chain):
    """test_account_flags_default_to_zero_and_reject_locked_alpha_setter: 0 by default
    (rejects), bit 0 when opted in, removed again when rejecting."""
    assert S.AccountFlags.get(C5) == 0 and lock.account_rejects_locked_alpha(C5)
    chain.call("set_reject_locked_alpha", C5, enabled=False)
    assert S.AccountFlags.get(C5) == 1 and not lock.account_rejects_locked_alpha(C5)
    chain.call("set_reject_locked_alpha", C5, enabled=True)
    assert not S.AccountFlags.contains_key(C5)


# ---------------------------------------------------------------------------
# move_stake_limit


def _two_subnets(chain) -> tuple[int, int, int]:
    """Pools of 10_000 TAO (prices 0.1 and 0.2) and a 1_000 TAO position on the first: a move
    of half of it shifts the prices by a few percent."""
    netuid_a = add_dynamic_network(chain, acct(1002), acct(1001))
    setup_reserves(chain, netuid_a, 10**13, 10**14)
    netuid_b = add_dynamic_network(chain, acct(2002), acct(2001))
    setup_reserves(chain, netuid_b, 10**13, 5 * 10**13)
    create_account_if_non_existent(C1, H2)
    create_account_if_non_existent(C1, H3)
    chain.fund(C1, 10**12 + ED)
    stake_into_subnet(H2, C1, netuid_a, 10**12, MAX_PRICE, False, False)
    return netuid_a, netuid_b, alpha_of(H2, C1, netuid_a)


def _ratio(netuid_a: int, netuid_b: int) -> int:
    """origin price / destination price x 1e9: destination alpha per origin alpha."""
    return U64F64.saturating_to_num(U64F64.saturating_mul(
        U64F64.safe_div(swap_handler.current_alpha_price(netuid_a), swap_handler.current_alpha_price(netuid_b)),
        U64F64.saturating_from_num(1_000_000_000)))


def test_move_stake_limit_fill_or_kill(chain):
    """A limit above the current ratio moves nothing (SlippageTooHigh); at half the ratio the
    whole amount moves to the other hotkey on the other subnet and StakeMoved names both."""
    netuid_a, netuid_b, alpha = _two_subnets(chain)
    ratio = _ratio(netuid_a, netuid_b)
    args = dict(origin_hotkey=H2, destination_hotkey=H3, origin_netuid=netuid_a, destination_netuid=netuid_b,
                alpha_amount=alpha // 2)
    chain.fails(E.ZeroMaxStakeAmount, "move_stake_limit", C1, **args, limit_price=ratio * 2, allow_partial=False)
    max_move = get_max_amount_move(netuid_a, netuid_b, ratio - ratio // 1000)
    assert 0 < max_move < alpha // 2
    chain.fails(E.SlippageTooHigh, "move_stake_limit", C1, **args, limit_price=ratio - ratio // 1000,
                allow_partial=False)
    chain.call("move_stake_limit", C1, **args, limit_price=ratio // 2, allow_partial=False)
    assert alpha_of(H2, C1, netuid_a) == alpha - alpha // 2
    assert alpha_of(H3, C1, netuid_b) > 0
    event = chain.named("StakeMoved")[-1]
    assert (event.coldkey, event.origin_hotkey, event.origin_netuid, event.destination_hotkey,
            event.destination_netuid) == (C1, H2, netuid_a, H3, netuid_b)


def test_move_stake_limit_partial_fill_stops_at_the_limit(chain):
    """allow_partial: exactly `get_max_amount_move` moves (a small part of the position). That
    amount is the chain's single constant-product step for two pools (its own caveat: not exact
    for two moving pools), so the ratio ends about as far past the limit as the limit was
    from the start, not at the start."""
    netuid_a, netuid_b, alpha = _two_subnets(chain)
    start = _ratio(netuid_a, netuid_b)
    limit = start * 999 // 1000
    max_move = get_max_amount_move(netuid_a, netuid_b, limit)
    assert 0 < max_move < alpha // 100
    chain.call("move_stake_limit", C1, origin_hotkey=H2, destination_hotkey=H3, origin_netuid=netuid_a,
               destination_netuid=netuid_b, alpha_amount=alpha, limit_price=limit, allow_partial=True)
    assert alpha_of(H2, C1, netuid_a) == alpha - max_move
    after = _ratio(netuid_a, netuid_b)
    assert limit - 2 * (start - limit) <= after < limit
    assert alpha_of(H3, C1, netuid_b) > 0


def test_move_stake_limit_same_subnet_moves_like_move_stake(chain):
    """Within a subnet there is no swap: the alpha moves whatever the limit; `u64::MAX` is the
    live position."""
    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    create_account_if_non_existent(C1, H3)
    alpha = alpha_of(H2, C1, netuid)
    chain.call("move_stake_limit", C1, origin_hotkey=H2, destination_hotkey=H3, origin_netuid=netuid,
               destination_netuid=netuid, alpha_amount=U64_MAX, limit_price=U64_MAX, allow_partial=False)
    assert alpha_of(H2, C1, netuid) == 0
    assert abs(alpha_of(H3, C1, netuid) - alpha) <= 1


def test_move_stake_limit_bad_input(chain):
    """Unknown destination hotkey, same hotkey and subnet, below the minimum: the real errors."""
    netuid_a, netuid_b, alpha = _two_subnets(chain)
    base = dict(origin_hotkey=H2, origin_netuid=netuid_a, limit_price=0, allow_partial=False)
    chain.fails(E.HotKeyAccountNotExists, "move_stake_limit", C1, **base, destination_hotkey=acct(99),
                destination_netuid=netuid_b, alpha_amount=alpha)
    chain.fails(E.SameNetuid, "move_stake_limit", C1, **base, destination_hotkey=H2, destination_netuid=netuid_a,
                alpha_amount=alpha)
    chain.fails(E.AmountTooLow, "move_stake_limit", C1, **base, destination_hotkey=H3, destination_netuid=netuid_b,
                alpha_amount=DEFAULT_MIN_STAKE // 100)


@pytest.mark.parametrize("name", ["lock_stake", "move_lock", "set_perpetual_lock", "set_reject_locked_alpha",
                                  "move_stake_limit"])
def test_beyond_381_calls_need_a_signed_origin(chain, name):
    from pysubtensor.pallets.support.dispatch import BadOrigin, Origin

    args = {"lock_stake": dict(hotkey=H2, netuid=1, amount=1), "move_lock": dict(destination_hotkey=H2, netuid=1),
            "set_perpetual_lock": dict(netuid=1, enabled=True), "set_reject_locked_alpha": dict(enabled=True),
            "move_stake_limit": dict(origin_hotkey=H2, destination_hotkey=H3, origin_netuid=1, destination_netuid=2,
                                     alpha_amount=1, limit_price=0, allow_partial=False)}[name]
    chain.fails(BadOrigin, name, Origin.none(), **args)


def test_move_stake_limit_weight():
    """The real `move_stake_limit()` weight: `swap_stake_limit()` plus one read and 2493 bytes
    of proof (RaoFoundation/subtensor weights.rs); the lock calls' are main's benchmarks."""
    from pysubtensor.pallets.subtensor import pallet
    from pysubtensor.pallets.support.dispatch import Weight

    move = dict(origin_hotkey=H2, destination_hotkey=H3, origin_netuid=1, destination_netuid=2, alpha_amount=1,
                limit_price=0, allow_partial=False)
    swap_info = pallet.dispatch_info(("swap_stake_limit", dict(hotkey=H2, origin_netuid=1, destination_netuid=2,
                                                               alpha_amount=1, limit_price=0, allow_partial=False)))
    info = pallet.dispatch_info(("move_stake_limit", move))
    assert info.weight == swap_info.weight + Weight(25_000_000, 2493)
    assert pallet.dispatch_info(("lock_stake", dict(hotkey=H2, netuid=1, amount=1))).weight == \
        Weight(115_995_000 + 17 * 25_000_000 + 3 * 100_000_000, 7655)
    assert pallet.dispatch_info(("move_lock", dict(destination_hotkey=H2, netuid=1))).weight == \
        Weight(149_819_000 + 14 * 25_000_000 + 6 * 100_000_000, 7339)
    assert pallet.dispatch_info(("set_perpetual_lock", dict(netuid=1, enabled=True))).weight == \
        Weight(4 * 25_000_000 + 3 * 100_000_000, 0)
    assert pallet.dispatch_info(("set_reject_locked_alpha", dict(enabled=True))).weight == \
        Weight(25_000_000 + 100_000_000, 0)


def test_subnet_dissolution_orphans_locks(chain):
    """test_subnet_dissolution_orphans_locks / _and_netuid_reuse: dissolving the subnet takes
    its stake and every lock map entry with it, so a reused netuid starts unlocked."""
    from pysubtensor.pallets.subtensor.subnets.dissolve import do_dissolve_network

    netuid = setup_subnet_with_stake(chain, C1, H2, STAKE)
    S.DecayingLock.remove(C1, netuid)
    chain.call("lock_stake", C1, hotkey=H2, netuid=netuid, amount=5000)
    S.DecayingLock.insert(C1, netuid, False)
    assert S.Lock.get(C1, netuid, H2) is not None
    do_dissolve_network(netuid)
    assert lock.total_coldkey_alpha_on_subnet(C1, netuid) == 0
    assert S.Lock.get(C1, netuid, H2) is None
    assert S.HotkeyLock.get(netuid, H2) is None and S.DecayingHotkeyLock.get(netuid, H2) is None
    assert list(S.LockingColdkeys.iter_keys()) == [] and S.DecayingLock.get(C1, netuid) is None
