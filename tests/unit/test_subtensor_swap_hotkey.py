"""`swap_hotkey`: scenarios ported from subtensor's Rust tests (pallets/subtensor/src/tests/
swap_hotkey.rs and swap_hotkey_with_subnet.rs at spec 381), each naming its Rust test. The
Rust mock's `Config` differs from the runtime's (key swap cost 1 TAO there, 0.1 TAO here; swap
on a subnet 0.01 TAO there, 0.001 TAO here; subnet swap interval 15 blocks there, 36 000
here; tx rate limit 0 there): costs and intervals are read from our constants, and the fixture
writes the mock's tx rate limit. Every failing call is checked to change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.balances.pallet import Constants as BalancesConstants
from pysubtensor.pallets.subtensor.config import Config
from pysubtensor.pallets.subtensor.constants import Constants as C
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.hooks import on_initialize
from pysubtensor.pallets.subtensor.neurons import logic as neurons
from pysubtensor.pallets.subtensor.swap_keys.hotkey import (
    _Weight,
    get_last_tx_block,
    perform_hotkey_swap_on_all_subnets,
    perform_hotkey_swap_on_one_subnet,
    set_last_tx_block,
)
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import Origin, Weight
from pysubtensor.primitives.externalities import current
from tests.support.events import capture_events
from tests.support.frame import frame_env

S = st.pallet.Storage
ED = BalancesConstants.ExistentialDeposit
ONE = 1 << 64  # 1.0 in U64F64 bits
U64_MAX = (1 << 64) - 1

OLD, NEW, COLD = (n.to_bytes(32, "little") for n in (1, 2, 3))


def account(n: int) -> bytes:
    return n.to_bytes(32, "little")


@pytest.fixture
def events() -> Iterator[list]:
    config = Config(deposit_event=lambda pallet, event: None, currency=fungible)
    with st.pallet.bound(config), frame_env(balances.pallet, st.pallet), capture_events(st.pallet) as collected:
        system.pallet.Storage.Number.put(1)  # `new_test_ext(1)`
        S.TxRateLimit.put(0)  # the mock's `InitialTxRateLimit`
        yield collected


def add_network(netuid: int, tempo: int = 1) -> None:
    """The mock's `add_network`."""
    S.NetworksAdded.insert(netuid, True)
    S.Tempo.insert(netuid, tempo)
    S.TotalNetworks.mutate(lambda n: n + 1)


def add_dynamic_network(hotkey: bytes, coldkey: bytes, netuid: int = 1) -> int:
    """The mock's `add_dynamic_network`: a subnet owned by `coldkey` with `hotkey` registered
    as its owner hotkey."""
    add_network(netuid, 13)
    S.SubnetOwner.insert(netuid, coldkey)
    S.SubnetOwnerHotkey.insert(netuid, hotkey)
    register_ok_neuron(netuid, hotkey, coldkey)
    return netuid


def register_ok_neuron(netuid: int, hotkey: bytes, coldkey: bytes) -> None:
    neurons.create_account_if_non_existent(coldkey, hotkey)
    neurons.register_neuron(netuid, hotkey)


def swap_all(old: bytes = OLD, new: bytes = NEW, cold: bytes = COLD) -> None:
    perform_hotkey_swap_on_all_subnets(old, new, cold, _Weight(Weight()))


def state() -> dict[bytes, bytes | None]:
    ext = current()
    return {k: ext.get(k) for k in ext.keys_with_prefix(b"")}


def swap_hotkey(coldkey: bytes, old: bytes, new: bytes, netuid: int | None) -> Any:
    """The extrinsic, in its own storage layer: the post info or the DispatchError."""
    return dispatch_in_layer(lambda o, c, bypass_filter=False: st.pallet.dispatch(o, c), Origin.signed(coldkey),
                             ("swap_hotkey", {"hotkey": old, "new_hotkey": new, "netuid": netuid}))


def ok(coldkey: bytes, old: bytes, new: bytes, netuid: int | None = None) -> None:
    result = swap_hotkey(coldkey, old, new, netuid)
    assert not isinstance(result, Exception), result


def fails(error: type[Exception], coldkey: bytes, old: bytes, new: bytes, netuid: int | None = None) -> None:
    before = state()
    result = swap_hotkey(coldkey, old, new, netuid)
    assert isinstance(result, error), result
    assert state() == before


def run_to(block: int) -> None:
    system.pallet.Storage.Number.put(block)


# -- perform_hotkey_swap_on_all_subnets (swap_hotkey.rs)

def test_swap_owner(events):
    """Rust: test_swap_owner."""
    S.Owner.insert(OLD, COLD)
    swap_all()
    assert not S.Owner.contains_key(OLD)
    assert S.Owner.get(NEW) == COLD


def test_swap_owned_hotkeys(events):
    """Rust: test_swap_owned_hotkeys."""
    S.OwnedHotkeys.insert(COLD, [OLD])
    swap_all()
    assert S.OwnedHotkeys.get(COLD) == [NEW]


def test_swap_delegates(events):
    """Rust: test_swap_delegates."""
    S.Delegates.insert(OLD, 100)
    swap_all()
    assert not S.Delegates.contains_key(OLD)
    assert S.Delegates.get(NEW) == 100


def test_swap_subnet_membership(events):
    """Rust: test_swap_subnet_membership."""
    add_network(0)
    S.IsNetworkMember.insert(OLD, 0, True)
    swap_all()
    assert not S.IsNetworkMember.contains_key(OLD, 0)
    assert S.IsNetworkMember.get(NEW, 0)


def test_swap_uids_and_keys(events):
    """Rust: test_swap_uids_and_keys."""
    add_network(0)
    S.IsNetworkMember.insert(OLD, 0, True)
    S.Uids.insert(0, OLD, 5)
    S.Keys.insert(0, 5, OLD)
    swap_all()
    assert S.Uids.try_get(0, OLD) is None
    assert S.Uids.try_get(0, NEW) == 5
    assert S.Keys.get(0, 5) == NEW


@pytest.mark.parametrize("item, raw", [
    ("Prometheus", bytes(31)),  # PrometheusInfo::default()
    ("Axons", bytes(34)),  # AxonInfo::default()
    ("NeuronCertificates", bytes([8, 2, 3, 1])),  # NeuronCertificate::try_from(vec![1, 2, 3])
])
def test_swap_serving_info(events, item, raw):
    """Rust: test_swap_prometheus, test_swap_axons, test_swap_certificates (a member's
    serving records follow its hotkey)."""
    storage = getattr(S, item)
    add_network(0)
    S.IsNetworkMember.insert(OLD, 0, True)
    value = storage.value.decode_all(raw)
    storage.insert(0, OLD, value)
    swap_all()
    assert not storage.contains_key(0, OLD)
    assert storage.try_get(0, NEW) == value


def test_swap_weight_commits(events):
    """Rust: test_swap_weight_commits."""
    add_network(0)
    S.IsNetworkMember.insert(OLD, 0, True)
    commits = [((100).to_bytes(32, "big"), 200, 1, 1)]
    S.WeightCommits.insert(0, OLD, commits)
    swap_all()
    assert not S.WeightCommits.contains_key(0, OLD)
    assert [tuple(c) for c in S.WeightCommits.try_get(0, NEW)] == commits


def test_swap_loaded_emission(events):
    """Rust: test_swap_loaded_emission."""
    add_network(0)
    S.IsNetworkMember.insert(OLD, 0, True)
    S.LoadedEmission.insert(0, [(OLD, 1000, 1000)])
    swap_all()
    assert [tuple(e) for e in S.LoadedEmission.try_get(0)] == [(NEW, 1000, 1000)]


def test_swap_staking_hotkeys(events):
    """Rust: test_swap_staking_hotkeys."""
    add_dynamic_network(account(1002), account(1001))
    S.StakingHotkeys.insert(COLD, [OLD])
    S.Alpha.insert(OLD, COLD, 1, 100 * ONE)
    swap_all()
    assert S.StakingHotkeys.get(COLD) == [NEW]


def test_swap_hotkey_with_multiple_coldkeys_staking_hotkeys(events):
    """Rust: test_swap_staking_hotkeys_multiple_coldkeys (each staker's list names the new
    hotkey once, and keeps its other hotkeys)."""
    add_dynamic_network(account(1002), account(1001))
    other_cold, other_hot = account(4), account(5)
    S.StakingHotkeys.insert(COLD, [OLD])
    S.StakingHotkeys.insert(other_cold, [OLD, other_hot])
    S.Alpha.insert(OLD, COLD, 1, 100 * ONE)
    S.Alpha.insert(OLD, other_cold, 1, 100 * ONE)
    swap_all()
    assert S.StakingHotkeys.get(COLD) == [NEW]
    assert S.StakingHotkeys.get(other_cold) == [other_hot, NEW]
    assert S.Alpha.get(NEW, COLD, 1) == S.Alpha.get(NEW, other_cold, 1) == 100 * ONE
    assert not S.Alpha.contains_key(OLD, other_cold, 1)


def test_swap_owner_new_hotkey_already_exists(events):
    """Rust: test_swap_owner_new_hotkey_already_exists."""
    S.Owner.insert(OLD, COLD)
    S.Owner.insert(NEW, account(4))
    swap_all()
    assert S.Owner.get(NEW) == COLD
    assert not S.Owner.contains_key(OLD)


def test_swap_stake_success(events):
    """Rust: test_swap_stake_success."""
    netuid = add_dynamic_network(account(1002), account(1001))
    amount, shares = 10_000, 123456 * ONE
    S.TotalHotkeyAlpha.insert(OLD, netuid, amount)
    S.TotalHotkeyAlphaLastEpoch.insert(OLD, netuid, amount * 2)
    S.TotalHotkeyShares.insert(OLD, netuid, shares)
    S.Alpha.insert(OLD, COLD, netuid, amount * ONE)
    S.AlphaDividendsPerSubnet.insert(netuid, OLD, amount)
    swap_all()
    assert (S.TotalHotkeyAlpha.get(OLD, netuid), S.TotalHotkeyAlpha.get(NEW, netuid)) == (0, amount)
    assert (S.TotalHotkeyAlphaLastEpoch.get(OLD, netuid), S.TotalHotkeyAlphaLastEpoch.get(NEW, netuid)) == (0, amount * 2)
    assert (S.TotalHotkeyShares.get(OLD, netuid), S.TotalHotkeyShares.get(NEW, netuid)) == (0, shares)
    assert (S.Alpha.get(OLD, COLD, netuid), S.Alpha.get(NEW, COLD, netuid)) == (0, amount * ONE)
    assert (S.AlphaDividendsPerSubnet.get(netuid, OLD), S.AlphaDividendsPerSubnet.get(netuid, NEW)) == (0, amount)


def test_swap_stake_old_hotkey_not_exist(events):
    """Rust: test_swap_stake_old_hotkey_not_exist."""
    add_dynamic_network(account(1002), account(1001))
    S.Alpha.insert(OLD, COLD, 1, 1234 * ONE)
    swap_all()
    assert S.Alpha.contains_key(NEW, COLD, 1)
    assert not S.Alpha.contains_key(OLD, COLD, 1)


def test_swap_child_keys(events):
    """Rust: test_swap_child_keys."""
    add_network(0)
    children = [(100, account(4)), (200, account(5))]
    S.ChildKeys.insert(OLD, 0, children)
    swap_all()
    assert S.ChildKeys.get(NEW, 0) == children
    assert S.ChildKeys.get(OLD, 0) == []


def test_swap_parent_keys(events):
    """Rust: test_swap_parent_keys."""
    add_network(0)
    parents = [(100, account(4)), (200, account(5))]
    S.ParentKeys.insert(OLD, 0, parents)
    S.ChildKeys.insert(account(4), 0, [(100, OLD)])
    S.ChildKeys.insert(account(5), 0, [(200, OLD)])
    swap_all()
    assert S.ParentKeys.get(NEW, 0) == parents
    assert S.ParentKeys.get(OLD, 0) == []
    assert S.ChildKeys.get(account(4), 0) == [(100, NEW)]
    assert S.ChildKeys.get(account(5), 0) == [(200, NEW)]


def test_swap_multiple_subnets(events):
    """Rust: test_swap_multiple_subnets."""
    add_network(0)
    add_network(1)
    children1, children2 = [(100, account(4)), (200, account(5))], [(300, account(6))]
    S.ChildKeys.insert(OLD, 0, children1)
    S.ChildKeys.insert(OLD, 1, children2)
    swap_all()
    assert (S.ChildKeys.get(NEW, 0), S.ChildKeys.get(NEW, 1)) == (children1, children2)
    assert S.ChildKeys.get(OLD, 0) == S.ChildKeys.get(OLD, 1) == []


def test_swap_complex_parent_child_structure(events):
    """Rust: test_swap_complex_parent_child_structure."""
    add_network(0)
    p1, p2, c1, c2 = account(4), account(5), account(6), account(7)
    S.ParentKeys.insert(OLD, 0, [(100, p1), (200, p2)])
    S.ChildKeys.insert(OLD, 0, [(300, c1), (400, c2)])
    S.ChildKeys.insert(p1, 0, [(100, OLD), (500, account(8))])
    S.ChildKeys.insert(p2, 0, [(200, OLD), (600, account(9))])
    swap_all()
    assert S.ParentKeys.get(NEW, 0) == [(100, p1), (200, p2)]
    assert S.ParentKeys.get(OLD, 0) == []
    assert S.ChildKeys.get(NEW, 0) == [(300, c1), (400, c2)]
    assert S.ChildKeys.get(OLD, 0) == []
    assert {(500, account(8)), (100, NEW)} <= set(S.ChildKeys.get(p1, 0))
    assert {(600, account(9)), (200, NEW)} <= set(S.ChildKeys.get(p2, 0))


def _children_and_pending(parent: bytes, child: bytes, pending_child: bytes) -> tuple:
    """The state `mock_set_children` then `mock_schedule_children` leave."""
    S.ChildKeys.insert(parent, 1, [(U64_MAX, child)])
    S.ParentKeys.insert(child, 1, [(U64_MAX, parent)])
    pending = ([(U64_MAX, pending_child)], 7300)
    S.PendingChildKeys.insert(1, parent, pending)
    return pending


def test_swap_parent_hotkey_childkey_maps(events):
    """Rust: test_swap_parent_hotkey_childkey_maps."""
    add_network(1)
    parent_old, coldkey, child, child_other, parent_new = (account(n) for n in (1, 2, 3, 4, 5))
    neurons.create_account_if_non_existent(coldkey, parent_old)
    pending = _children_and_pending(parent_old, child, child_other)
    perform_hotkey_swap_on_all_subnets(parent_old, parent_new, coldkey, _Weight(Weight()))
    assert S.ParentKeys.get(child, 1) == [(U64_MAX, parent_new)]
    assert S.ChildKeys.get(parent_new, 1) == [(U64_MAX, child)]
    assert tuple(S.PendingChildKeys.get(1, parent_new)) == pending


def test_swap_child_hotkey_childkey_maps(events):
    """Rust: test_swap_child_hotkey_childkey_maps."""
    add_network(1)
    parent, coldkey, child_old, child_new = (account(n) for n in (1, 2, 3, 4))
    neurons.create_account_if_non_existent(coldkey, child_old)
    neurons.create_account_if_non_existent(coldkey, parent)
    _, cooldown = _children_and_pending(parent, child_old, child_old)
    perform_hotkey_swap_on_all_subnets(child_old, child_new, coldkey, _Weight(Weight()))
    assert S.ParentKeys.get(child_new, 1) == [(U64_MAX, parent)]
    assert S.ChildKeys.get(parent, 1) == [(U64_MAX, child_new)]
    assert tuple(S.PendingChildKeys.get(1, parent)) == ([(U64_MAX, child_new)], cooldown)


def test_swap_parent_hotkey_self_loops_in_pending(events):
    """Rust: test_swap_parent_hotkey_self_loops_in_pending (the new parent is its own pending
    child): InvalidChild, and through the extrinsic nothing changes."""
    add_network(1)
    parent_old, coldkey, child, child_other = (account(n) for n in (1, 2, 3, 4))
    neurons.create_account_if_non_existent(coldkey, parent_old)
    _children_and_pending(parent_old, child, child_other)
    fungible.mint_into(coldkey, C.KeySwapCost + ED)
    fails(Error.InvalidChild, coldkey, parent_old, child_other)


def test_swap_hotkey_is_sn_owner_hotkey(events):
    """Rust: test_swap_hotkey_is_sn_owner_hotkey."""
    netuid = add_dynamic_network(OLD, COLD)
    assert S.SubnetOwnerHotkey.get(netuid) == OLD
    swap_all()
    assert S.SubnetOwnerHotkey.get(netuid) == NEW


def test_swap_auto_stake_destination_coldkeys(events):
    """Rust: test_swap_auto_stake_destination_coldkeys."""
    add_network(2)
    coldkeys = [account(4), account(5), COLD]
    S.AutoStakeDestinationColdkeys.insert(OLD, 2, coldkeys)
    S.AutoStakeDestination.insert(COLD, 2, OLD)
    swap_all()
    assert S.AutoStakeDestinationColdkeys.get(NEW, 2) == coldkeys
    assert not S.AutoStakeDestinationColdkeys.get(OLD, 2)
    assert S.AutoStakeDestination.try_get(COLD, 2) == NEW


# -- the extrinsic on all subnets (swap_hotkey.rs)

def test_swap_hotkey_error_cases(events):
    """Rust: test_swap_hotkey_error_cases."""
    S.Owner.insert(OLD, COLD)
    S.TotalNetworks.put(1)
    set_last_tx_block(COLD, 0)
    fails(Error.NotEnoughBalanceToPaySwapHotKey, COLD, OLD, NEW)
    initial = C.KeySwapCost + 1000
    fungible.mint_into(COLD, initial)
    fails(Error.NewHotKeyIsSameWithOld, COLD, OLD, OLD)
    S.IsNetworkMember.insert(NEW, 0, True)
    fails(Error.HotKeyAlreadyRegisteredInSubNet, COLD, OLD, NEW)
    S.IsNetworkMember.remove(NEW, 0)
    fails(Error.NonAssociatedColdKey, account(4), OLD, NEW)
    S.TotalIssuance.put(10**15)
    issuance, balances_issuance = S.TotalIssuance.get(), fungible.total_issuance()
    ok(COLD, OLD, NEW)
    assert fungible.balance(COLD) == initial - C.KeySwapCost
    # recycled: out of both issuances
    assert S.TotalIssuance.get() == issuance - C.KeySwapCost
    assert fungible.total_issuance() == balances_issuance - C.KeySwapCost
    assert events[-1] == ("SubtensorModule", Event.HotkeySwapped(coldkey=COLD, old_hotkey=OLD, new_hotkey=NEW))


def test_swap_hotkey_tx_rate_limit_exceeded(events):
    """Rust: test_swap_hotkey_tx_rate_limit_exceeded."""
    S.TxRateLimit.put(1)
    add_network(1, 13)
    register_ok_neuron(1, OLD, COLD)
    fungible.mint_into(COLD, 2 * 1_000_000_000)
    new_1, new_2 = NEW, account(4)
    ok(COLD, OLD, new_1)
    fails(Error.HotKeySetTxRateLimitExceeded, COLD, new_1, new_2)
    run_to(2)  # within the limit, inclusive
    fails(Error.HotKeySetTxRateLimitExceeded, COLD, new_1, new_2)
    run_to(3)
    ok(COLD, new_1, new_2)
    assert S.Uids.try_get(1, new_2) == 0 and S.Keys.get(1, 0) == new_2


def test_do_swap_hotkey_err_not_owner(events):
    """Rust: test_do_swap_hotkey_err_not_owner."""
    add_network(1, 13)
    register_ok_neuron(1, OLD, COLD)
    fungible.mint_into(account(4), 1_000_000_000)
    fails(Error.NonAssociatedColdKey, account(4), OLD, NEW)


def test_swap_hotkey_swap_rate_limits(events):
    """Rust: test_swap_hotkey_swap_rate_limits (the new hotkey inherits the old one's last
    transaction blocks; a swap on all subnets forgets the old one's)."""
    add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**15)
    set_last_tx_block(OLD, 123)
    S.LastRateLimitedBlock.insert(("LastTxBlockDelegateTake", OLD), 4567)
    S.LastRateLimitedBlock.insert(("LastTxBlockChildKeyTake", OLD), 8910)
    ok(COLD, OLD, NEW)
    assert get_last_tx_block(NEW) == 123
    assert S.LastRateLimitedBlock.get(("LastTxBlockDelegateTake", NEW)) == 4567
    assert S.LastRateLimitedBlock.get(("LastTxBlockChildKeyTake", NEW)) == 8910
    for kind in ("LastTxBlock", "LastTxBlockDelegateTake", "LastTxBlockChildKeyTake"):
        assert not S.LastRateLimitedBlock.contains_key((kind, OLD))
    assert get_last_tx_block(COLD) == 1


# -- on one subnet (swap_hotkey_with_subnet.rs)

def test_swap_owner_on_subnet(events):
    """Rust (swap_hotkey_with_subnet.rs): test_swap_owner, test_swap_owned_hotkeys: the old
    hotkey keeps its owner (it may serve other subnets); the cost is KeySwapOnSubnetCost."""
    netuid = add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**12)
    run_to(1 + C.HotkeySwapOnSubnetInterval)
    ok(COLD, OLD, NEW, netuid)
    assert S.Owner.get(OLD) == S.Owner.get(NEW) == COLD
    assert set(S.OwnedHotkeys.get(COLD)) == {OLD, NEW}
    assert fungible.balance(COLD) == 10**12 - C.KeySwapOnSubnetCost
    assert S.Uids.try_get(netuid, NEW) == 0 and S.Keys.get(netuid, 0) == NEW
    assert S.SubnetOwnerHotkey.get(netuid) == NEW
    assert events[-1] == ("SubtensorModule", Event.HotkeySwappedOnSubnet(
        coldkey=COLD, old_hotkey=OLD, new_hotkey=NEW, netuid=netuid))


def test_swap_owner_failed_interval_not_passed(events):
    """Rust: test_swap_owner_failed_interval_not_passed."""
    netuid = add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**12)
    fails(Error.HotKeySwapOnSubnetIntervalNotPassed, COLD, OLD, NEW, netuid)


def test_swap_on_subnet_interval_boundary(events):
    """The interval must have passed strictly (`last + interval < block`): a swap at block
    `interval` after one recorded at 0 is refused, at `interval + 1` it passes."""
    netuid = add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**12)
    run_to(C.HotkeySwapOnSubnetInterval)
    fails(Error.HotKeySwapOnSubnetIntervalNotPassed, COLD, OLD, NEW, netuid)
    run_to(C.HotkeySwapOnSubnetInterval + 1)
    ok(COLD, OLD, NEW, netuid)


def test_swap_onto_a_hotkey_with_stake_adds_up(events):
    """The new hotkey's own stake, totals and dividends are added to, not replaced."""
    netuid = add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**12)
    S.Alpha.insert(OLD, COLD, netuid, 10 * ONE)
    S.Alpha.insert(NEW, COLD, netuid, 5 * ONE)
    S.TotalHotkeyAlpha.insert(OLD, netuid, 10)
    S.TotalHotkeyAlpha.insert(NEW, netuid, 5)
    S.TotalHotkeyShares.insert(OLD, netuid, 10 * ONE)
    S.TotalHotkeyShares.insert(NEW, netuid, 5 * ONE)
    S.AlphaDividendsPerSubnet.insert(netuid, OLD, 3)
    S.AlphaDividendsPerSubnet.insert(netuid, NEW, 4)
    S.TotalHotkeyAlphaLastEpoch.insert(OLD, netuid, 6)
    S.TotalHotkeyAlphaLastEpoch.insert(NEW, netuid, 7)
    ok(COLD, OLD, NEW)
    assert S.Alpha.get(NEW, COLD, netuid) == 15 * ONE
    assert (S.TotalHotkeyAlpha.get(NEW, netuid), S.TotalHotkeyShares.get(NEW, netuid)) == (15, 15 * ONE)
    assert S.AlphaDividendsPerSubnet.get(netuid, NEW) == 7
    assert S.TotalHotkeyAlphaLastEpoch.get(NEW, netuid) == 13


def test_swap_owner_check_swap_block_set(events):
    """Rust: test_swap_owner_check_swap_block_set."""
    netuid = add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**12)
    block = 1 + C.HotkeySwapOnSubnetInterval
    run_to(block)
    ok(COLD, OLD, NEW, netuid)
    assert S.LastHotkeySwapOnNetuid.get(netuid, COLD) == block


def test_swap_owner_check_swap_record_clean_up(events):
    """Rust: test_swap_owner_check_swap_record_clean_up (the block hook forgets the record on
    the subnet's slot once the interval has passed)."""
    netuid = add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**12)
    interval = C.HotkeySwapOnSubnetInterval
    block = 1 + interval
    run_to(block)
    ok(COLD, OLD, NEW, netuid)
    for n in range(block + 1, block + 2 * (interval + netuid) + 1):
        if n % interval == netuid % interval:
            run_to(n)
            on_initialize(n)
    assert not S.LastHotkeySwapOnNetuid.contains_key(netuid, COLD)


def test_swap_hotkey_registered_on_other_subnet(events):
    """Rust: test_swap_hotkey_registered_on_other_subnet."""
    netuid = add_dynamic_network(OLD, COLD, 1)
    other = add_dynamic_network(OLD, COLD, 2)
    S.TotalNetworks.put(1)
    fungible.mint_into(COLD, C.KeySwapCost + 1000)
    S.IsNetworkMember.insert(NEW, other, True)
    run_to(1 + C.HotkeySwapOnSubnetInterval)
    fails(Error.HotKeyAlreadyRegisteredInSubNet, COLD, OLD, NEW, netuid)


def test_swap_child_keys_self_loop(events):
    """Rust: test_swap_child_keys_self_loop (nothing changes)."""
    netuid = add_dynamic_network(OLD, COLD)
    fungible.mint_into(COLD, 10**12)
    S.TotalHotkeyAlpha.insert(OLD, netuid, 12345)
    S.ChildKeys.insert(OLD, netuid, [(200, NEW)])
    run_to(1 + C.HotkeySwapOnSubnetInterval)
    fails(Error.InvalidChild, COLD, OLD, NEW, netuid)
    assert S.ChildKeys.get(OLD, netuid) == [(200, NEW)]
    assert S.TotalHotkeyAlpha.get(OLD, netuid) == 12345


def test_swap_hotkey_on_subnet_moves_only_that_subnet(events):
    """Rust (swap_hotkey_with_subnet.rs): test_swap_hotkey_with_multiple_subnets: stake and
    membership on the other subnet stay with the old hotkey."""
    add_dynamic_network(OLD, COLD, 1)
    add_dynamic_network(OLD, COLD, 2)
    S.Alpha.insert(OLD, COLD, 1, 10 * ONE)
    S.Alpha.insert(OLD, COLD, 2, 20 * ONE)
    S.TotalHotkeyAlpha.insert(OLD, 1, 10)
    S.TotalHotkeyAlpha.insert(OLD, 2, 20)
    fungible.mint_into(COLD, 10**12)
    run_to(1 + C.HotkeySwapOnSubnetInterval)
    ok(COLD, OLD, NEW, 1)
    assert (S.Alpha.get(NEW, COLD, 1), S.Alpha.get(OLD, COLD, 2)) == (10 * ONE, 20 * ONE)
    assert not S.Alpha.contains_key(OLD, COLD, 1) and not S.Alpha.contains_key(NEW, COLD, 2)
    assert (S.TotalHotkeyAlpha.get(NEW, 1), S.TotalHotkeyAlpha.get(OLD, 2)) == (10, 20)
    assert S.IsNetworkMember.get(OLD, 2) and not S.IsNetworkMember.contains_key(OLD, 1)
    assert set(S.StakingHotkeys.get(COLD)) == {OLD, NEW}


def test_voting_power_transfers_on_hotkey_swap(events):
    """Rust (voting_power.rs): test_voting_power_transfers_on_hotkey_swap,
    test_voting_power_swap_adds_to_existing."""
    netuid = add_dynamic_network(OLD, COLD)
    S.VotingPower.insert(netuid, OLD, 5_000_000_000_000)
    perform_hotkey_swap_on_one_subnet(OLD, NEW, _Weight(Weight()), netuid)
    assert (S.VotingPower.get(netuid, OLD), S.VotingPower.get(netuid, NEW)) == (0, 5_000_000_000_000)
    S.VotingPower.insert(netuid, account(9), 5_000_000_000_000)
    S.VotingPower.insert(netuid, account(10), 2_000_000_000_000)
    perform_hotkey_swap_on_one_subnet(account(9), account(10), _Weight(Weight()), netuid)
    assert not S.VotingPower.contains_key(netuid, account(9))
    assert S.VotingPower.get(netuid, account(10)) == 7_000_000_000_000
