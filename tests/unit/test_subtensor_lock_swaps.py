"""Stake locks on key swaps (main's `swap_coldkey_locks`, `swap_hotkey_locks`), in process.
Ported from subtensor main's Rust tests at 14bc6f9: pallets/subtensor/src/tests/locks.rs
("GROUP 11: Coldkey swap interaction", "GROUP 12: Hotkey swap interaction" and the later hotkey
swap tests) and swap_coldkey.rs `test_swap_coldkey_announced_transfers_locked_alpha`; each test
names its Rust test and keeps its amounts. main's `swap_hotkey_v2(.., Some(netuid), false)` is
our `swap_hotkey` with a netuid; main's `StakeUnavailable` is spec 381's `CannotUnstakeLock`.
Checks the Rust tests do not make are marked "beyond the Rust test".
"""

from __future__ import annotations

import pytest

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.neurons.logic import create_account_if_non_existent
from pysubtensor.pallets.subtensor.staking import lock
from pysubtensor.pallets.subtensor.staking.stake_utils import DEFAULT_MIN_STAKE, stake_into_subnet
from pysubtensor.pallets.subtensor.swap_keys.hotkey import _Weight, perform_hotkey_swap_on_all_subnets
from pysubtensor.pallets.subtensor.types import LockState
from pysubtensor.pallets.support.dispatch import Origin, Weight
from pysubtensor.primitives.hashing import blake2_256
from tests.unit.test_subtensor_locks import STAKE, alpha_of, setup_subnet_with_stake
from tests.unit.test_subtensor_registration import ED, acct
from tests.unit.test_subtensor_staking import MAX_PRICE, E, S, add_dynamic_network, setup_reserves
from tests.unit.test_subtensor_staking import chain as staking_chain  # noqa: F401 (fixture)

ONE = 1 << 64  # 1.0 in U64F64 bits


@pytest.fixture
def chain(staking_chain):  # noqa: F811 (the staking tests' chain)
    return staking_chain


def fixed(n: int) -> int:
    """`U64F64::from_num(n)` for an integer n."""
    return n * ONE


def unchanged(chain, fn, error) -> None:
    """`assert_noop!`: the call fails with `error` and storage is as it was."""
    before = chain.state()
    try:
        fn()
    except error:
        pass
    else:
        raise AssertionError(f"expected {error.__name__}")
    assert chain.state() == before


# ---------------------------------------------------------------------------
# swap_hotkey_locks


def test_swap_hotkey_locks_moves_owner_hotkey_aggregate_to_owner_lock(chain):
    """locks.rs `test_swap_hotkey_locks_moves_owner_hotkey_aggregate_to_owner_lock`: a lock of
    500 (conviction 500) to the subnet owner hotkey moves to the new hotkey, the owner aggregate
    stays the owner's (no hotkey aggregate appears), the reverse index follows."""
    owner_coldkey, old_owner_hotkey, new_owner_hotkey, locking_coldkey = acct(1), acct(2), acct(3), acct(4)
    netuid = setup_subnet_with_stake(chain, owner_coldkey, old_owner_hotkey, STAKE)
    S.SubnetOwner.insert(netuid, owner_coldkey)
    S.SubnetOwnerHotkey.insert(netuid, old_owner_hotkey)
    create_account_if_non_existent(owner_coldkey, new_owner_hotkey)
    state = LockState(locked_mass=500, conviction=fixed(500), last_update=1)
    S.Lock.insert(locking_coldkey, netuid, old_owner_hotkey, state)
    S.LockingColdkeys.insert(netuid, old_owner_hotkey, locking_coldkey, ())
    S.OwnerLock.insert(netuid, state)

    lock.swap_hotkey_locks(old_owner_hotkey, new_owner_hotkey)

    assert S.Lock.get(locking_coldkey, netuid, old_owner_hotkey) is None
    assert S.Lock.get(locking_coldkey, netuid, new_owner_hotkey) is not None
    assert S.HotkeyLock.get(netuid, new_owner_hotkey) is None
    assert S.DecayingHotkeyLock.get(netuid, new_owner_hotkey) is None
    assert S.OwnerLock.get(netuid).locked_mass == 500
    assert not S.LockingColdkeys.contains_key(netuid, old_owner_hotkey, locking_coldkey)
    assert S.LockingColdkeys.contains_key(netuid, new_owner_hotkey, locking_coldkey)


def _lock_with_conviction(chain, coldkey: bytes, hotkey: bytes, netuid: int, amount: int, conviction: int) -> None:
    """`do_lock_stake`, then the lock's and the hotkey aggregate's conviction mocked."""
    chain.call("lock_stake", coldkey, hotkey=hotkey, netuid=netuid, amount=amount)
    individual = S.Lock.get(coldkey, netuid, hotkey)
    individual.conviction = conviction
    S.Lock.insert(coldkey, netuid, hotkey, individual)
    aggregate = S.HotkeyLock.get(netuid, hotkey)
    aggregate.conviction = conviction
    S.HotkeyLock.insert(netuid, hotkey, aggregate)


def test_hotkey_swap_swaps_locks_and_convictions(chain):
    """locks.rs `test_hotkey_swap_swaps_locks_and_convictions`: after
    `perform_hotkey_swap_on_all_subnets` the lock of 5000 (conviction 1234) and the hotkey
    aggregate name the new hotkey with their conviction; a top-up of 100 to the new hotkey
    works, one to the old hotkey fails (it has no owner any more)."""
    coldkey, old_hotkey, new_hotkey = acct(1), acct(2), acct(20)
    netuid = setup_subnet_with_stake(chain, coldkey, old_hotkey, STAKE)
    S.Owner.insert(old_hotkey, coldkey)
    S.Owner.insert(new_hotkey, coldkey)
    chain.call("lock_stake", coldkey, hotkey=old_hotkey, netuid=netuid, amount=5000)
    assert S.LockingColdkeys.contains_key(netuid, old_hotkey, coldkey)
    assert len(list(S.LockingColdkeys.iter_key_prefix(netuid, old_hotkey))) == 1
    individual = S.Lock.get(coldkey, netuid, old_hotkey)
    individual.conviction = fixed(1234)
    S.Lock.insert(coldkey, netuid, old_hotkey, individual)
    aggregate = S.HotkeyLock.get(netuid, old_hotkey)
    aggregate.conviction = fixed(1234)
    S.HotkeyLock.insert(netuid, old_hotkey, aggregate)

    perform_hotkey_swap_on_all_subnets(old_hotkey, new_hotkey, coldkey, _Weight(Weight()))

    moved = S.Lock.get(coldkey, netuid, new_hotkey)
    assert moved.locked_mass == 5000
    assert moved.conviction > 0
    assert not S.LockingColdkeys.contains_key(netuid, old_hotkey, coldkey)
    assert S.LockingColdkeys.contains_key(netuid, new_hotkey, coldkey)
    hotkey_lock = S.HotkeyLock.get(netuid, new_hotkey)
    assert hotkey_lock.locked_mass == 5000
    assert hotkey_lock.conviction > 0
    # Beyond the Rust test: nothing is left under the old hotkey.
    assert S.Lock.get(coldkey, netuid, old_hotkey) is None
    assert S.HotkeyLock.get(netuid, old_hotkey) is None

    chain.call("lock_stake", coldkey, hotkey=new_hotkey, netuid=netuid, amount=100)
    chain.fails(E.HotKeyAccountNotExists, "lock_stake", coldkey, hotkey=old_hotkey, netuid=netuid, amount=100)


def test_hotkey_swap_moves_lock_and_conviction_to_new_hotkey(chain):
    """locks.rs `test_hotkey_swap_moves_lock_and_conviction_to_new_hotkey`: `do_swap_hotkey` on
    all subnets moves the lock (5000, conviction 1000) and the aggregate exactly; the new
    hotkey's conviction is 1000."""
    coldkey, old_hotkey, new_hotkey = acct(1), acct(2), acct(3)
    netuid = setup_subnet_with_stake(chain, coldkey, old_hotkey, STAKE)
    _lock_with_conviction(chain, coldkey, old_hotkey, netuid, 5000, fixed(1000))
    chain.fund(coldkey, Constants.KeySwapCost + 1000)

    chain.call("swap_hotkey", coldkey, hotkey=old_hotkey, new_hotkey=new_hotkey, netuid=None)

    assert S.Lock.get(coldkey, netuid, old_hotkey) is None
    assert S.HotkeyLock.get(netuid, old_hotkey) is None
    moved = S.Lock.get(coldkey, netuid, new_hotkey)
    assert (moved.locked_mass, moved.conviction) == (5000, fixed(1000))
    moved_aggregate = S.HotkeyLock.get(netuid, new_hotkey)
    assert (moved_aggregate.locked_mass, moved_aggregate.conviction) == (5000, fixed(1000))
    assert lock.hotkey_conviction(new_hotkey, netuid) == fixed(1000)


def _past_the_subnet_swap_interval(chain) -> None:
    """`new_test_ext(100)`: the mock's on-subnet swap interval is shorter than our runtime's
    `HotkeySwapOnSubnetInterval` (36000), so the chain starts 100 blocks past ours."""
    chain.set_block(Constants.HotkeySwapOnSubnetInterval + 100)


def test_swap_hotkey_v2_on_subnet_moves_lock_and_conviction_to_new_hotkey(chain):
    """locks.rs `test_swap_hotkey_v2_on_subnet_moves_lock_and_conviction_to_new_hotkey`: the
    same through a swap on one subnet."""
    _past_the_subnet_swap_interval(chain)
    coldkey, old_hotkey, new_hotkey = acct(1), acct(2), acct(3)
    netuid = setup_subnet_with_stake(chain, coldkey, old_hotkey, STAKE)
    _lock_with_conviction(chain, coldkey, old_hotkey, netuid, 5000, fixed(1000))
    chain.fund(coldkey, 1_000_000_000_000)

    chain.call("swap_hotkey", coldkey, hotkey=old_hotkey, new_hotkey=new_hotkey, netuid=netuid)

    assert S.Lock.get(coldkey, netuid, old_hotkey) is None
    assert S.HotkeyLock.get(netuid, old_hotkey) is None
    moved = S.Lock.get(coldkey, netuid, new_hotkey)
    assert (moved.locked_mass, moved.conviction) == (5000, fixed(1000))
    moved_aggregate = S.HotkeyLock.get(netuid, new_hotkey)
    assert (moved_aggregate.locked_mass, moved_aggregate.conviction) == (5000, fixed(1000))
    assert lock.hotkey_conviction(new_hotkey, netuid) == fixed(1000)


def test_swap_hotkey_v2_on_subnet_does_not_move_locks_on_other_subnets(chain):
    """locks.rs `test_swap_hotkey_v2_on_subnet_does_not_move_locks_on_other_subnets`: locks of
    5000 (conviction 1000) on two subnets; the swap on the first leaves the second's lock and
    aggregate with the old hotkey."""
    _past_the_subnet_swap_interval(chain)
    coldkey, old_hotkey, new_hotkey = acct(1), acct(2), acct(3)
    swapped = setup_subnet_with_stake(chain, coldkey, old_hotkey, STAKE)
    untouched = setup_subnet_with_stake(chain, coldkey, old_hotkey, STAKE)
    for netuid in (swapped, untouched):
        _lock_with_conviction(chain, coldkey, old_hotkey, netuid, 5000, fixed(1000))
    chain.fund(coldkey, 1_000_000_000_000)

    chain.call("swap_hotkey", coldkey, hotkey=old_hotkey, new_hotkey=new_hotkey, netuid=swapped)

    assert S.Lock.get(coldkey, swapped, old_hotkey) is None
    assert S.HotkeyLock.get(swapped, old_hotkey) is None
    assert S.Lock.get(coldkey, swapped, new_hotkey).conviction == fixed(1000)
    assert S.HotkeyLock.get(swapped, new_hotkey).conviction == fixed(1000)
    kept = S.Lock.get(coldkey, untouched, old_hotkey)
    assert (kept.locked_mass, kept.conviction) == (5000, fixed(1000))
    assert S.Lock.get(coldkey, untouched, new_hotkey) is None
    kept_aggregate = S.HotkeyLock.get(untouched, old_hotkey)
    assert (kept_aggregate.locked_mass, kept_aggregate.conviction) == (5000, fixed(1000))
    assert S.HotkeyLock.get(untouched, new_hotkey) is None


def test_hotkey_swap_moves_decaying_aggregate_and_prunes_stale_index(chain):
    """Beyond the Rust tests (main's `swap_hotkey_locks_for_netuids`): a decaying lock's
    aggregate moves to the new hotkey's `DecayingHotkeyLock`, and a reverse-index entry whose
    lock is gone is pruned, not carried to the new hotkey."""
    coldkey, old_hotkey, new_hotkey, stale = acct(1), acct(2), acct(3), acct(9)
    netuid = setup_subnet_with_stake(chain, coldkey, old_hotkey, STAKE)
    S.DecayingLock.remove(coldkey, netuid)
    chain.call("lock_stake", coldkey, hotkey=old_hotkey, netuid=netuid, amount=5000)
    S.LockingColdkeys.insert(netuid, old_hotkey, stale, ())

    reads, writes = lock.swap_hotkey_locks_on_subnet(old_hotkey, new_hotkey, netuid)

    assert S.DecayingHotkeyLock.get(netuid, old_hotkey) is None
    assert S.DecayingHotkeyLock.get(netuid, new_hotkey).locked_mass == 5000
    assert S.HotkeyLock.get(netuid, new_hotkey) is None
    assert S.Lock.get(coldkey, netuid, new_hotkey).locked_mass == 5000
    assert list(S.LockingColdkeys.iter_keys()) == [(netuid, new_hotkey, coldkey)]
    # main's count: 5 reads per subnet, 1 per index entry; 1 write per pruned entry, 2 per
    # moved lock, 6 per subnet moved.
    assert (reads, writes) == (5 + 2, 1 + 2 + 6)


# ---------------------------------------------------------------------------
# swap_coldkey_locks


def test_coldkey_swap_swaps_lock(chain):
    """locks.rs `test_coldkey_swap_swaps_lock`: the perpetual lock of 5000 and its flag move to
    the new coldkey; the aggregate stays the (perpetual) hotkey one."""
    old_coldkey, new_coldkey, hotkey = acct(1), acct(10), acct(2)
    netuid = setup_subnet_with_stake(chain, old_coldkey, hotkey, STAKE)
    chain.call("lock_stake", old_coldkey, hotkey=hotkey, netuid=netuid, amount=5000)
    chain.call("set_reject_locked_alpha", new_coldkey, enabled=False)

    chain.call("swap_coldkey", Origin.root(), old_coldkey=old_coldkey, new_coldkey=new_coldkey, swap_cost=0)

    assert list(S.Lock.iter_key_prefix(old_coldkey, netuid)) == []
    assert not S.DecayingLock.contains_key(old_coldkey, netuid)
    assert S.Lock.get(new_coldkey, netuid, hotkey) is not None
    assert S.DecayingLock.get(new_coldkey, netuid) is False
    assert S.HotkeyLock.contains_key(netuid, hotkey)
    assert not S.DecayingHotkeyLock.contains_key(netuid, hotkey)
    # Beyond the Rust test: the aggregate holds the 5000 once (taken out, put back), the
    # reverse index names the new coldkey only, the old coldkey's account flags moved (none).
    assert S.HotkeyLock.get(netuid, hotkey).locked_mass == 5000
    assert list(S.LockingColdkeys.iter_keys()) == [(netuid, hotkey, new_coldkey)]
    assert not S.AccountFlags.contains_key(new_coldkey)


def test_coldkey_swap_lock_blocks_unstake(chain):
    """locks.rs `test_coldkey_swap_lock_blocks_unstake`: the old coldkey's whole alpha locked;
    after the swap the new coldkey cannot unstake it."""
    old_coldkey, new_coldkey, hotkey = acct(1), acct(10), acct(2)
    netuid = setup_subnet_with_stake(chain, old_coldkey, hotkey, STAKE)
    total = lock.total_coldkey_alpha_on_subnet(old_coldkey, netuid)
    chain.call("lock_stake", old_coldkey, hotkey=hotkey, netuid=netuid, amount=total)
    chain.call("set_reject_locked_alpha", new_coldkey, enabled=False)

    chain.call("swap_coldkey", Origin.root(), old_coldkey=old_coldkey, new_coldkey=new_coldkey, swap_cost=0)
    chain.step_block(1)

    alpha = alpha_of(hotkey, new_coldkey, netuid)
    assert alpha > 0
    chain.fails(E.CannotUnstakeLock, "remove_stake", new_coldkey, hotkey=hotkey, netuid=netuid,
                amount_unstaked=alpha)


def test_coldkey_swap_allows_destination_conviction_only_lock(chain):
    """locks.rs `test_coldkey_swap_allows_destination_conviction_only_lock`: a destination lock
    with conviction 111 and no mass is not active; the source's (conviction 777, perpetual)
    joins it."""
    old_coldkey, new_coldkey, old_hotkey, new_hotkey = acct(1), acct(10), acct(2), acct(20)
    netuid = 1
    lock.insert_lock_state(old_coldkey, netuid, old_hotkey, LockState(locked_mass=0, conviction=fixed(777),
                                                                      last_update=1))
    S.DecayingLock.insert(old_coldkey, netuid, False)
    lock.insert_lock_state(new_coldkey, netuid, new_hotkey, LockState(locked_mass=0, conviction=fixed(111),
                                                                      last_update=1))

    lock.swap_coldkey_locks(old_coldkey, new_coldkey)

    assert list(S.Lock.iter_key_prefix(old_coldkey, netuid)) == []
    assert S.Lock.get(new_coldkey, netuid, new_hotkey) is not None
    swapped = S.Lock.get(new_coldkey, netuid, old_hotkey)
    assert (swapped.locked_mass, swapped.conviction) == (0, fixed(777))
    assert len(list(S.Lock.iter_key_prefix(new_coldkey, netuid))) == 2
    assert S.DecayingLock.get(old_coldkey, netuid) is None
    assert S.DecayingLock.get(new_coldkey, netuid) is False


def test_coldkey_swap_rejects_destination_lock(chain):
    """locks.rs `test_coldkey_swap_rejects_destination_lock`: a destination with an active lock
    (999, conviction 11) fails the transfer of the source's (7000, conviction 77) with
    `ActiveLockExists` before anything changes."""
    old_coldkey, new_coldkey, old_hotkey, new_hotkey = acct(1), acct(10), acct(2), acct(20)
    netuid = 1
    lock.insert_lock_state(old_coldkey, netuid, old_hotkey, LockState(locked_mass=7000, conviction=fixed(77),
                                                                      last_update=1))
    lock.insert_lock_state(new_coldkey, netuid, new_hotkey, LockState(locked_mass=999, conviction=fixed(11),
                                                                      last_update=1))

    unchanged(chain, lambda: lock.swap_coldkey_locks(old_coldkey, new_coldkey), E.ActiveLockExists)

    source = S.Lock.get(old_coldkey, netuid, old_hotkey)
    assert (source.locked_mass, source.conviction) == (7000, fixed(77))
    destination = S.Lock.get(new_coldkey, netuid, new_hotkey)
    assert (destination.locked_mass, destination.conviction) == (999, fixed(11))
    assert S.Lock.get(new_coldkey, netuid, old_hotkey) is None
    assert len(list(S.Lock.iter_key_prefix(new_coldkey, netuid))) == 1


def test_coldkey_swap_rejects_locked_alpha_to_flagged_destination(chain):
    """locks.rs `test_coldkey_swap_rejects_locked_alpha_to_flagged_destination`: a destination
    rejecting locked alpha fails the transfer of a lock of 7000 with `AccountRejectsLockedAlpha`,
    nothing changed."""
    old_coldkey, new_coldkey, old_hotkey = acct(1), acct(10), acct(2)
    netuid = 1
    lock.insert_lock_state(old_coldkey, netuid, old_hotkey, LockState(locked_mass=7000, conviction=fixed(77),
                                                                      last_update=1))
    S.DecayingLock.insert(old_coldkey, netuid, False)
    chain.call("set_reject_locked_alpha", new_coldkey, enabled=True)

    unchanged(chain, lambda: lock.swap_coldkey_locks(old_coldkey, new_coldkey), E.AccountRejectsLockedAlpha)

    source = S.Lock.get(old_coldkey, netuid, old_hotkey)
    assert (source.locked_mass, source.conviction) == (7000, fixed(77))
    assert list(S.Lock.iter_key_prefix(new_coldkey, netuid)) == []
    assert S.DecayingLock.get(old_coldkey, netuid) is False
    assert S.DecayingLock.get(new_coldkey, netuid) is None


def test_failed_coldkey_swap_extrinsic_rolls_back_state_changes(chain):
    """locks.rs `test_failed_coldkey_swap_extrinsic_rolls_back_state_changes`: a lock of 1000
    seeded on the destination makes root's `swap_coldkey` fail late with `ActiveLockExists`; the
    stake it had already moved is back (`Chain.call` also checks all storage is as before)."""
    old_coldkey, old_hotkey, new_coldkey, blocked_hotkey = acct(1), acct(2), acct(3), acct(4)
    netuid = setup_subnet_with_stake(chain, old_coldkey, old_hotkey, STAKE)
    original = alpha_of(old_hotkey, old_coldkey, netuid)
    assert original
    assert alpha_of(old_hotkey, new_coldkey, netuid) == 0
    lock.insert_lock_state(new_coldkey, netuid, blocked_hotkey, LockState(locked_mass=1000, conviction=0,
                                                                          last_update=1))

    chain.fails(E.ActiveLockExists, "swap_coldkey", Origin.root(), old_coldkey=old_coldkey, new_coldkey=new_coldkey,
                swap_cost=0)

    assert alpha_of(old_hotkey, old_coldkey, netuid) == original
    assert alpha_of(old_hotkey, new_coldkey, netuid) == 0


def test_swap_coldkey_announced_transfers_locked_alpha(chain):
    """swap_coldkey.rs `test_swap_coldkey_announced_transfers_locked_alpha`: half of hotkey1's
    alpha locked (a decaying lock); the announced swap moves the stake and the lock unchanged.
    Set-up reduced from the Rust `comprehensive_setup!`: the old coldkey stakes 10x, 20x and 30x
    the minimum stake to hotkeys 1001, 1002, 1003 on two subnets (reserves 10x the stakes)."""
    old_coldkey, new_coldkey = acct(1), acct(2)
    hotkey1, hotkey2, hotkey3 = acct(1001), acct(1002), acct(1003)
    stake1, stake2, stake3 = DEFAULT_MIN_STAKE * 10, DEFAULT_MIN_STAKE * 20, DEFAULT_MIN_STAKE * 30
    netuid1 = add_dynamic_network(chain, acct(5001), old_coldkey)
    netuid2 = add_dynamic_network(chain, acct(5002), old_coldkey)
    setup_reserves(chain, netuid1, (stake1 + stake3) * 10, (stake1 + stake3) * 10)
    setup_reserves(chain, netuid2, stake2 * 10, stake2 * 10)
    chain.fund(old_coldkey, Constants.KeySwapCost + stake1 + stake2 + stake3 + ED)
    for hotkey, netuid, stake in ((hotkey1, netuid1, stake1), (hotkey2, netuid2, stake2), (hotkey3, netuid1, stake3)):
        create_account_if_non_existent(old_coldkey, hotkey)
        stake_into_subnet(hotkey, old_coldkey, netuid, stake, MAX_PRICE, False, False)
    lock_amount = alpha_of(hotkey1, old_coldkey, netuid1) // 2
    assert lock_amount
    chain.call("lock_stake", old_coldkey, hotkey=hotkey1, netuid=netuid1, amount=lock_amount)
    old_stake, new_stake = alpha_of(hotkey1, old_coldkey, netuid1), alpha_of(hotkey1, new_coldkey, netuid1)
    old_lock = S.Lock.get(old_coldkey, netuid1, hotkey1)
    assert old_lock is not None
    old_total = lock.total_coldkey_alpha_on_subnet(old_coldkey, netuid1)  # hotkey1's and hotkey3's
    S.ColdkeySwapAnnouncements.insert(old_coldkey, (1, blake2_256(new_coldkey)))

    chain.call("swap_coldkey_announced", old_coldkey, new_coldkey=new_coldkey)

    assert S.ColdkeySwapAnnouncements.try_get(old_coldkey) is None
    assert alpha_of(hotkey1, old_coldkey, netuid1) == 0
    assert alpha_of(hotkey1, new_coldkey, netuid1) == old_stake + new_stake
    assert S.Lock.get(old_coldkey, netuid1, hotkey1) is None
    assert S.Lock.get(new_coldkey, netuid1, hotkey1) == old_lock
    # Beyond the Rust test: the moved lock still holds the new coldkey's stake on the subnet.
    assert lock.available_to_unstake(new_coldkey, netuid1) == old_total - lock_amount
    assert lock.available_to_unstake(old_coldkey, netuid1) == 0
