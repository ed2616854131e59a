"""Delegation and hierarchy calls: delegate takes, childkey takes and their root setters, the
pending-children cooldown, identities and hotkey association. Scenarios ported from
subtensor's Rust tests (pallets/subtensor/src/tests/staking.rs, children.rs, serving.rs), each
naming its Rust test; where the Rust mock's `Config` differs from the runtime's (minimum
delegate take 9%, take rate limits of 1 block) the fixture writes the mock's value first.
Every failing call is checked to change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from pysubtensor.pallets.subtensor.coinbase.run_coinbase import drain_pending
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.hierarchy.storage import (
    ChildkeyTake,
    Delegates,
    IdentitiesV2,
    MaxChildkeyTake,
    MaxDelegateTake,
    MinChildkeyTake,
    MinDelegateTake,
    PendingChildKeyCooldown,
    TxChildkeyTakeRateLimit,
    TxDelegateTakeRateLimit,
)
from pysubtensor.pallets.subtensor.neurons import logic as neurons
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.serving.storage import TransactionKeyLastBlock
from pysubtensor.pallets.subtensor.staking.storage import OwnedHotkeys, Owner, StakingHotkeys
from pysubtensor.pallets.subtensor.storage_beyond_381 import LastEpochBlock
from pysubtensor.pallets.subtensor.subnets.storage import SubnetIdentitiesV3, SubnetOwner
from pysubtensor.pallets.subtensor.types import ChainIdentityV2, SubnetIdentityV3
from pysubtensor.pallets.subtensor.utils.storage import LastRateLimitedBlock
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.primitives.externalities import current
from tests.support.subtensor_seed import account, add_network, chain, run_to_block

NETUID = 1
SET_CHILDKEY_TAKE = 1  # `TransactionType::SetChildkeyTake as u16`


def ok(call_name: str, who: bytes | None, /, **args: Any) -> None:
    result = call(call_name, who, **args)
    assert not isinstance(result, Exception), result


def dispatch(origin: Origin, call_name: str, args: dict[str, Any]) -> Any:
    """A SubtensorModule call in its own storage layer, as the executive runs it: the
    `DispatchError` (its writes rolled back) or the post-dispatch info."""
    return dispatch_in_layer(lambda o, c, bypass_filter=False: pallet.dispatch(o, c), origin, (call_name, args))


def call(call_name: str, who: bytes | None, /, **args: Any) -> Any:
    return dispatch(Origin.signed(who) if who is not None else Origin.none(), call_name, args)


def root(call_name: str, /, **args: Any) -> Any:
    return dispatch(Origin.root(), call_name, args)


def state() -> dict[bytes, bytes | None]:
    ext = current()
    return {k: ext.get(k) for k in ext.keys_with_prefix(b"")}


def fails(error: type[Exception], call_name: str, who: bytes | None, /, **args: Any) -> None:
    """The call fails with `error` and leaves the state as it was."""
    before = state()
    result = call(call_name, who, **args)
    assert isinstance(result, error), result
    assert state() == before


def register_ok_neuron(netuid: int, hotkey: bytes, coldkey: bytes) -> None:
    """The mock's `register_ok_neuron`: the hotkey joins the subnet, owned by `coldkey`."""
    neurons.create_account_if_non_existent(coldkey, hotkey)
    neurons.register_neuron(netuid, hotkey)


@pytest.fixture
def events():
    with chain(block=1) as collected:
        add_network(NETUID, 13)
        # the Rust mock's values
        MinDelegateTake.put(5_898)
        TxDelegateTakeRateLimit.put(1)
        TxChildkeyTakeRateLimit.put(1)
        yield collected


# -- delegate takes (staking.rs)

HOT0, COLD0 = account(1), account(3)


@pytest.fixture
def delegate(events):
    register_ok_neuron(NETUID, HOT0, COLD0)
    Delegates.insert(HOT0, MinDelegateTake.get())
    events.clear()
    return events


def test_delegate_take_can_be_decreased(delegate):
    """Rust: test_delegate_take_can_be_decreased (5% is below the 9% minimum)."""
    fails(Error.DelegateTakeTooLow, "decrease_take", COLD0, hotkey=HOT0, take=65535 // 20)


def test_can_set_min_take_ok(events):
    """Rust: test_can_set_min_take_ok."""
    register_ok_neuron(NETUID, HOT0, COLD0)
    Delegates.insert(HOT0, 65535 // 10)
    ok("decrease_take", COLD0, hotkey=HOT0, take=5_898)
    assert Delegates.get(HOT0) == 5_898
    assert LastRateLimitedBlock.get(("LastTxBlockDelegateTake", HOT0)) == 1
    assert events[-1] == ("SubtensorModule", Event.TakeDecreased(COLD0, HOT0, 5_898))


def test_delegate_take_can_not_be_increased_with_decrease_take(delegate):
    """Rust: test_delegate_take_can_not_be_increased_with_decrease_take."""
    fails(Error.DelegateTakeTooLow, "decrease_take", COLD0, hotkey=HOT0, take=65535 // 8)
    fails(Error.DelegateTakeTooLow, "decrease_take", COLD0, hotkey=HOT0, take=5_898)  # equal is not a decrease
    assert Delegates.get(HOT0) == 5_898


def test_delegate_take_can_be_increased(delegate):
    """Rust: test_delegate_take_can_be_increased."""
    run_to_block(1 + 1 + 1)  # step_block(1 + InitialTxDelegateTakeRateLimit)
    ok("increase_take", COLD0, hotkey=HOT0, take=65535 // 8)
    assert Delegates.get(HOT0) == 65535 // 8
    assert delegate == [("SubtensorModule", Event.TakeIncreased(COLD0, HOT0, 65535 // 8))]


def test_delegate_take_can_not_be_decreased_with_increase_take(delegate):
    """Rust: test_delegate_take_can_not_be_decreased_with_increase_take (Rust reports TooLow)."""
    fails(Error.DelegateTakeTooLow, "increase_take", COLD0, hotkey=HOT0, take=65535 // 20)
    fails(Error.DelegateTakeTooLow, "increase_take", COLD0, hotkey=HOT0, take=5_898)  # equal is not an increase


def test_delegate_take_can_be_increased_to_limit(delegate):
    """Rust: test_delegate_take_can_be_increased_to_limit."""
    run_to_block(3)
    ok("increase_take", COLD0, hotkey=HOT0, take=MaxDelegateTake.get())
    assert Delegates.get(HOT0) == 11_796


def test_delegate_take_can_not_be_increased_beyond_limit(delegate):
    """Rust: test_delegate_take_can_not_be_increased_beyond_limit."""
    run_to_block(3)
    fails(Error.DelegateTakeTooHigh, "increase_take", COLD0, hotkey=HOT0, take=MaxDelegateTake.get() + 1)


def test_rate_limits_enforced_on_increase_take(delegate):
    """Rust: test_rate_limits_enforced_on_increase_take."""
    ok("increase_take", COLD0, hotkey=HOT0, take=5_899)
    fails(Error.DelegateTxRateLimitExceeded, "increase_take", COLD0, hotkey=HOT0, take=5_900)
    assert Delegates.get(HOT0) == 5_899
    run_to_block(1 + 1)  # still within the limit: the limit is inclusive
    fails(Error.DelegateTxRateLimitExceeded, "increase_take", COLD0, hotkey=HOT0, take=5_900)
    run_to_block(1 + 1 + 1)  # step_block(1 + InitialTxDelegateTakeRateLimit)
    ok("increase_take", COLD0, hotkey=HOT0, take=5_900)
    assert Delegates.get(HOT0) == 5_900


def test_rate_limits_enforced_on_decrease_before_increase_take(delegate):
    """Rust: test_rate_limits_enforced_on_decrease_before_increase_take: a decrease starts the
    increase's rate limit."""
    Delegates.insert(HOT0, 5_898 + 1)
    ok("decrease_take", COLD0, hotkey=HOT0, take=5_898)
    fails(Error.DelegateTxRateLimitExceeded, "increase_take", COLD0, hotkey=HOT0, take=5_898 + 2)
    run_to_block(3)
    ok("increase_take", COLD0, hotkey=HOT0, take=5_898 + 2)


def test_take_checks_order(delegate):
    """`do_take_checks`: an unknown hotkey, then a coldkey that does not own it."""
    fails(Error.HotKeyAccountNotExists, "decrease_take", COLD0, hotkey=account(77), take=0)
    fails(Error.HotKeyAccountNotExists, "increase_take", COLD0, hotkey=account(77), take=0)
    fails(Error.NonAssociatedColdKey, "decrease_take", account(4), hotkey=HOT0, take=0)
    fails(Error.NonAssociatedColdKey, "increase_take", account(4), hotkey=HOT0, take=6_000)
    fails(BadOrigin, "decrease_take", None, hotkey=HOT0, take=0)


def test_unset_take_is_not_compared(events):
    """`Delegates::try_get`: with no stored take only the bounds apply (the default read is 18%)."""
    register_ok_neuron(NETUID, HOT0, COLD0)
    ok("decrease_take", COLD0, hotkey=HOT0, take=11_796)  # equal to the default, still accepted
    assert Delegates.get(HOT0) == 11_796


# -- childkey takes (children.rs)

COLD, HOT = account(1), account(2)


@pytest.fixture
def childkey(events):
    register_ok_neuron(NETUID, HOT, COLD)
    events.clear()
    return events


def test_childkey_take_functionality(childkey):
    """Rust: test_childkey_take_functionality."""
    assert MinChildkeyTake.get() == 0  # the default take
    new_take = MaxChildkeyTake.get() // 2
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=new_take)
    assert ChildkeyTake.get(HOT, NETUID) == new_take
    assert childkey == [("SubtensorModule", Event.ChildKeyTakeSet(HOT, new_take))]
    run_to_block(3)
    fails(Error.InvalidChildkeyTake, "set_childkey_take", COLD, hotkey=HOT, netuid=NETUID,
          take=MaxChildkeyTake.get() + 1)
    fails(Error.NonAssociatedColdKey, "set_childkey_take", account(999), hotkey=HOT, netuid=NETUID, take=new_take)


def test_childkey_take_rate_limiting(childkey):
    """Rust: test_childkey_take_rate_limiting."""
    assert not isinstance(root("sudo_set_tx_childkey_take_rate_limit", tx_rate_limit=100), Exception)
    assert TxChildkeyTakeRateLimit.get() == 100
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=500)
    fails(Error.TxChildkeyTakeRateLimitExceeded, "set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=600)
    run_to_block(100 - 1)
    fails(Error.TxChildkeyTakeRateLimitExceeded, "set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=650)
    run_to_block(100 + 1)
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=700)
    assert ChildkeyTake.get(HOT, NETUID) == 700


def test_multiple_networks_childkey_take(events):
    """Rust: test_multiple_networks_childkey_take (fewer networks): each subnet keeps its take
    and its own rate limit."""
    for netuid in (1, 2, 3):
        add_network(netuid, 13)
        register_ok_neuron(netuid, HOT, COLD)
        ok("set_childkey_take", COLD, hotkey=HOT, netuid=netuid, take=netuid * 100)
    assert [ChildkeyTake.get(HOT, n) for n in (1, 2, 3)] == [100, 200, 300]
    fails(Error.TxChildkeyTakeRateLimitExceeded, "set_childkey_take", COLD, hotkey=HOT, netuid=1, take=1_000)
    TxChildkeyTakeRateLimit.put(0)
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=1, take=1_000)
    assert ChildkeyTake.get(HOT, 1) == 1_000


def test_do_set_childkey_take_success(childkey):
    """Rust: test_do_set_childkey_take_success."""
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=5_000)
    assert ChildkeyTake.get(HOT, NETUID) == 5_000
    assert TransactionKeyLastBlock.get(HOT, NETUID, SET_CHILDKEY_TAKE) == 1


def test_do_set_childkey_take_non_associated_coldkey(childkey):
    """Rust: test_do_set_childkey_take_non_associated_coldkey."""
    fails(Error.NonAssociatedColdKey, "set_childkey_take", COLD, hotkey=account(3), netuid=NETUID, take=5_000)


def test_do_set_childkey_take_invalid_take_value(childkey):
    """Rust: test_do_set_childkey_take_invalid_take_value."""
    fails(Error.InvalidChildkeyTake, "set_childkey_take", COLD, hotkey=HOT, netuid=NETUID,
          take=MaxChildkeyTake.get() + 1)


def test_do_set_childkey_take_rate_limit_exceeded(childkey):
    """Rust: test_do_set_childkey_take_rate_limit_exceeded: increasing is rate limited,
    decreasing is not."""
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=3_000)
    fails(Error.TxChildkeyTakeRateLimitExceeded, "set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=5_000)
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=1_000)
    assert ChildkeyTake.get(HOT, NETUID) == 1_000
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=1_000)  # an unchanged take is not an increase


def test_childkey_take_up_to_max(childkey):
    """`take <= MaxChildkeyTake`: the maximum itself is a valid take."""
    ok("set_childkey_take", COLD, hotkey=HOT, netuid=NETUID, take=MaxChildkeyTake.get())
    assert ChildkeyTake.get(HOT, NETUID) == 11_796


def test_sudo_childkey_take_setters(events):
    """Rust: test_sudo_set_min_childkey_take / test_sudo_set_max_childkey_take /
    test_sudo_set_tx_childkey_take_rate_limit: root only, each with its event."""
    for name, arg, item, event in (
            ("sudo_set_min_childkey_take", "take", MinChildkeyTake, Event.MinChildKeyTakeSet),
            ("sudo_set_max_childkey_take", "take", MaxChildkeyTake, Event.MaxChildKeyTakeSet),
            ("sudo_set_tx_childkey_take_rate_limit", "tx_rate_limit", TxChildkeyTakeRateLimit,
             Event.TxChildKeyTakeRateLimitSet)):
        before = item.get()
        fails(BadOrigin, name, account(1), **{arg: 1_234})
        assert item.get() == before
        assert not isinstance(root(name, **{arg: 1_234}), Exception)
        assert item.get() == 1_234
        assert events[-1] == ("SubtensorModule", event(1_234))


def test_set_pending_childkey_cooldown(events):
    """Rust: test_set_pending_childkey_cooldown (root only, no event)."""
    assert PendingChildKeyCooldown.get() == 15
    fails(BadOrigin, "set_pending_childkey_cooldown", account(1), cooldown=3)
    assert not isinstance(root("set_pending_childkey_cooldown", cooldown=3), Exception)
    assert PendingChildKeyCooldown.get() == 3
    assert events == []


# -- identities (serving.rs)

IDENTITY = dict(name=b"Test Neuron", url=b"https://neuron.com", github_repo=b"https://github.com/user/repo",
                image=b"https://neuron.com/image.png", discord=b"neuron#1234",
                description=b"A test neuron", additional=b"Additional info")


def test_do_set_identity(events):
    """Rust: test_do_set_identity: a coldkey with a registered hotkey sets, updates its identity;
    one without fails; oversized fields are invalid."""
    register_ok_neuron(NETUID, HOT, COLD)
    ok("set_identity", COLD, **IDENTITY)
    assert IdentitiesV2.get(COLD) == ChainIdentityV2(*IDENTITY.values())
    assert events[-1] == ("SubtensorModule", Event.ChainIdentitySet(COLD))
    ok("set_identity", COLD, **{**IDENTITY, "name": b"Updated Neuron"})
    assert IdentitiesV2.get(COLD).name == b"Updated Neuron"
    fails(Error.HotKeyNotRegisteredInNetwork, "set_identity", account(9), **IDENTITY)
    fails(Error.InvalidIdentity, "set_identity", COLD, **{**IDENTITY, "name": b"a" * 257})


@pytest.mark.parametrize(("field", "limit"), [("name", 256), ("url", 256), ("github_repo", 256), ("image", 1024),
                                              ("discord", 256), ("description", 1024), ("additional", 1024)])
def test_is_valid_identity_limits(events, field, limit):
    """Rust: test_is_valid_identity: each field up to its byte limit."""
    register_ok_neuron(NETUID, HOT, COLD)
    ok("set_identity", COLD, **{**IDENTITY, field: b"x" * limit})
    fails(Error.InvalidIdentity, "set_identity", COLD, **{**IDENTITY, field: b"x" * (limit + 1)})


def test_set_identity_needs_a_registered_hotkey(events):
    """An owned hotkey not registered on any subnet does not qualify its coldkey."""
    neurons.create_account_if_non_existent(COLD, HOT)
    fails(Error.HotKeyNotRegisteredInNetwork, "set_identity", COLD, **IDENTITY)


SUBNET_IDENTITY = dict(subnet_name=b"Test Subnet", github_repo=b"https://github.com/test/subnet",
                       subnet_contact=b"contact@testsubnet.com", subnet_url=b"https://testsubnet.com",
                       discord=b"test#1234", description=b"A test subnet", logo_url=b"https://x/logo.png",
                       additional=b"extra")


def test_set_subnet_identity(events):
    """Rust: test_set_subnet_identity_* : the owner sets it, others fail, oversized is invalid."""
    SubnetOwner.insert(NETUID, COLD)
    ok("set_subnet_identity", COLD, netuid=NETUID, **SUBNET_IDENTITY)
    assert SubnetIdentitiesV3.get(NETUID) == SubnetIdentityV3(*SUBNET_IDENTITY.values())
    assert events[-1] == ("SubtensorModule", Event.SubnetIdentitySet(NETUID))
    fails(Error.NotSubnetOwner, "set_subnet_identity", account(9), netuid=NETUID, **SUBNET_IDENTITY)
    fails(Error.InvalidIdentity, "set_subnet_identity", COLD, netuid=NETUID,
          **{**SUBNET_IDENTITY, "subnet_name": b"a" * 257})


# -- hotkey association

def test_try_associate_hotkey(events):
    """Rust: test_try_associate_hotkey: a new hotkey becomes the signer's; an owned one stays
    its owner's and the call still succeeds."""
    ok("try_associate_hotkey", COLD, hotkey=HOT)
    assert Owner.get(HOT) == COLD
    assert OwnedHotkeys.get(COLD) == [HOT] and StakingHotkeys.get(COLD) == [HOT]
    ok("try_associate_hotkey", account(5), hotkey=HOT)
    assert Owner.get(HOT) == COLD
    assert OwnedHotkeys.get(account(5)) == []
    fails(BadOrigin, "try_associate_hotkey", None, hotkey=HOT)


# -- parent and child keys (children.rs)

from pysubtensor.pallets.subtensor.hierarchy import children as hierarchy_children  # noqa: E402
from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, ParentKeys, PendingChildKeys  # noqa: E402
from pysubtensor.pallets.subtensor.staking.storage import TotalHotkeyAlpha  # noqa: E402
from pysubtensor.pallets.subtensor.subnets.storage import SubnetOwnerHotkey  # noqa: E402
from pysubtensor.pallets.subtensor.weights.storage import StakeThreshold  # noqa: E402
from pysubtensor.pallets.system.block import block_number  # noqa: E402

CHILD, CHILD2 = account(3), account(4)
SET_CHILDREN = 0  # `TransactionType::SetChildren as u16`
COOLDOWN = 15  # `PendingChildKeyCooldown`'s default, the mock's `DefaultPendingCooldown`


class FixedPrice:
    """A pool at a fixed alpha price (U64F64 bits): only `current_alpha_price` is asked here."""

    def __init__(self, bits: int) -> None:
        self.bits = bits

    def current_alpha_price(self, netuid: int) -> int:
        return self.bits


def schedule(coldkey: bytes, hotkey: bytes, netuid: int, children: list[tuple[int, bytes]]) -> None:
    """The mock's `mock_schedule_children` (stake threshold 0)."""
    StakeThreshold.put(0)
    ok("set_children", coldkey, hotkey=hotkey, netuid=netuid, children=children)


def wait_and_set_pending_children(netuid: int) -> None:
    """The mock's `wait_and_set_pending_children`: past the cooldown, apply, back to the block."""
    original = block_number()
    run_to_block(original + COOLDOWN + 1)
    hierarchy_children.do_set_pending_children(netuid)
    run_to_block(original)


def set_children(coldkey: bytes, hotkey: bytes, netuid: int, children: list[tuple[int, bytes]]) -> None:
    """The mock's `mock_set_children`."""
    schedule(coldkey, hotkey, netuid, children)
    wait_and_set_pending_children(netuid)


#: `TransactionType::SetChildren.rate_limit()`.
SET_CHILDREN_RATE_LIMIT = 150


def step_rate_limit() -> None:
    run_to_block(block_number() + SET_CHILDREN_RATE_LIMIT)


@pytest.fixture
def parent(events):
    register_ok_neuron(NETUID, HOT, COLD)
    events.clear()
    return events


def test_do_set_child_singular_success(parent):
    """Rust: test_do_set_child_singular_success / test_do_set_child_singular_new_children_assignment."""
    schedule(COLD, HOT, NETUID, [(1000, CHILD)])
    assert PendingChildKeys.get(NETUID, HOT) == ([(1000, CHILD)], 1 + COOLDOWN)
    assert TransactionKeyLastBlock.get(HOT, NETUID, SET_CHILDREN) == 1
    assert ChildKeys.get(HOT, NETUID) == []
    assert parent == [("SubtensorModule", Event.SetChildrenScheduled(HOT, NETUID, 1 + COOLDOWN, [(1000, CHILD)]))]
    wait_and_set_pending_children(NETUID)
    assert ChildKeys.get(HOT, NETUID) == [(1000, CHILD)]
    assert ParentKeys.get(CHILD, NETUID) == [(1000, HOT)]
    assert not PendingChildKeys.contains_key(NETUID, HOT)
    assert parent[-1] == ("SubtensorModule", Event.SetChildren(HOT, NETUID, [(1000, CHILD)]))


def test_do_set_child_singular_network_does_not_exist(parent):
    """Rust: test_do_set_child_singular_network_does_not_exist."""
    fails(Error.SubnetNotExists, "set_children", COLD, hotkey=HOT, netuid=999, children=[(1000, CHILD)])


def test_do_set_child_singular_invalid_child(parent):
    """Rust: test_do_set_child_singular_invalid_child."""
    fails(Error.InvalidChild, "set_children", COLD, hotkey=HOT, netuid=NETUID, children=[(1000, HOT)])


def test_do_set_child_singular_non_associated_coldkey(events):
    """Rust: test_do_set_child_singular_non_associated_coldkey."""
    register_ok_neuron(NETUID, HOT, account(999))
    fails(Error.NonAssociatedColdKey, "set_children", COLD, hotkey=HOT, netuid=NETUID, children=[(1000, CHILD)])


def test_do_set_child_singular_root_network(events):
    """Rust: test_do_set_child_singular_root_network."""
    add_network(0, 13)
    fails(Error.RegistrationNotPermittedOnRootSubnet, "set_children", COLD, hotkey=HOT, netuid=0,
          children=[(1000, CHILD)])


def test_do_set_child_singular_old_children_cleanup(parent):
    """Rust: test_do_set_child_singular_old_children_cleanup / test_do_set_child_singular_multiple_children."""
    set_children(COLD, HOT, NETUID, [(1000, CHILD)])
    step_rate_limit()
    set_children(COLD, HOT, NETUID, [(1000, CHILD2)])
    assert ParentKeys.get(CHILD, NETUID) == [] and not ParentKeys.contains_key(CHILD, NETUID)
    assert ParentKeys.get(CHILD2, NETUID) == [(1000, HOT)]
    assert ChildKeys.get(HOT, NETUID) == [(1000, CHILD2)]


def test_do_set_child_singular_proportion_edge_cases(parent):
    """Rust: test_do_set_child_singular_proportion_edge_cases."""
    set_children(COLD, HOT, NETUID, [(0, CHILD)])
    assert ChildKeys.get(HOT, NETUID) == [(0, CHILD)]
    step_rate_limit()
    set_children(COLD, HOT, NETUID, [(2**64 - 1, CHILD)])
    assert ChildKeys.get(HOT, NETUID) == [(2**64 - 1, CHILD)]
    assert ParentKeys.get(CHILD, NETUID) == [(2**64 - 1, HOT)]


def test_do_schedule_children_multiple_success(parent):
    """Rust: test_do_schedule_children_multiple_success."""
    set_children(COLD, HOT, NETUID, [(1000, CHILD), (2000, CHILD2)])
    assert ChildKeys.get(HOT, NETUID) == [(1000, CHILD), (2000, CHILD2)]
    assert ParentKeys.get(CHILD, NETUID) == [(1000, HOT)]
    assert ParentKeys.get(CHILD2, NETUID) == [(2000, HOT)]


def test_children_are_stored_in_account_order(parent):
    """`persist_child_parent_relations` writes the BTreeMap's order (account bytes), not the call's."""
    set_children(COLD, HOT, NETUID, [(2000, account(9)), (1000, account(5))])
    assert ChildKeys.get(HOT, NETUID) == [(1000, account(5)), (2000, account(9))]


def test_do_schedule_children_multiple_proportion_overflow(parent):
    """Rust: test_do_schedule_children_multiple_proportion_edge_cases: the sum must fit a u64."""
    StakeThreshold.put(0)
    fails(Error.ProportionOverflow, "set_children", COLD, hotkey=HOT, netuid=NETUID,
          children=[(2**64 - 1, CHILD), (1, CHILD2)])
    schedule(COLD, HOT, NETUID, [(2**63, CHILD), (2**63 - 1, CHILD2)])


def test_too_many_and_duplicate_children(parent):
    """Rust: test_do_set_children_too_many_children / test_do_set_children_duplicate_child."""
    StakeThreshold.put(0)
    fails(Error.TooManyChildren, "set_children", COLD, hotkey=HOT, netuid=NETUID,
          children=[(100, account(10 + i)) for i in range(6)])
    fails(Error.DuplicateChild, "set_children", COLD, hotkey=HOT, netuid=NETUID, children=[(100, CHILD), (200, CHILD)])
    schedule(COLD, HOT, NETUID, [(100, account(10 + i)) for i in range(5)])


def test_child_cannot_take_its_parent_as_child(parent):
    """Rust: test_set_children_no_parent_child_cycle (bipartite separation)."""
    set_children(COLD, HOT, NETUID, [(1000, CHILD)])
    neurons.create_account_if_non_existent(COLD, CHILD)
    fails(Error.ChildParentInconsistency, "set_children", COLD, hotkey=CHILD, netuid=NETUID, children=[(1000, HOT)])


def test_do_set_child_below_min_stake(parent):
    """Rust: test_do_set_child_below_min_stake; own stake valued at the subnet price passes it."""
    StakeThreshold.put(1_000_000_000_000)
    fails(Error.NotEnoughStakeToSetChildkeys, "set_children", COLD, hotkey=HOT, netuid=NETUID,
          children=[(1000, CHILD)])
    TotalHotkeyAlpha.insert(HOT, NETUID, 2_000_000_000_000)
    with pallet.bound(swap=FixedPrice(1 << 63)):  # price 0.5: exactly the threshold
        assert hierarchy_children.get_total_stake_for_hotkey(HOT) == 1_000_000_000_000
        ok("set_children", COLD, hotkey=HOT, netuid=NETUID, children=[(1000, CHILD)])


def test_stake_just_below_threshold(parent):
    """One rao short of the threshold at the subnet's price fails."""
    StakeThreshold.put(1_000)
    TotalHotkeyAlpha.insert(HOT, NETUID, 1_999)
    with pallet.bound(swap=FixedPrice(1 << 63)):
        assert hierarchy_children.get_total_stake_for_hotkey(HOT) == 999
        fails(Error.NotEnoughStakeToSetChildkeys, "set_children", COLD, hotkey=HOT, netuid=NETUID,
              children=[(1000, CHILD)])


def test_do_set_child_as_sn_owner_not_enough_stake(parent):
    """Rust: test_do_set_child_as_sn_owner_not_enough_stake: the owner hotkey needs no stake."""
    StakeThreshold.put(10_000)
    SubnetOwnerHotkey.insert(NETUID, HOT)
    ok("set_children", COLD, hotkey=HOT, netuid=NETUID, children=[(1000, CHILD)])
    other = account(6)
    register_ok_neuron(NETUID, other, COLD)
    fails(Error.NotEnoughStakeToSetChildkeys, "set_children", COLD, hotkey=other, netuid=NETUID,
          children=[(1000, CHILD)])


def test_revoke_child_no_min_stake_check(parent):
    """Rust: test_revoke_child_no_min_stake_check / test_do_revoke_child_singular_success: an
    empty list needs no stake and clears both sides."""
    set_children(COLD, HOT, NETUID, [(1000, CHILD)])
    StakeThreshold.put(1_000_000_000_000)
    step_rate_limit()
    ok("set_children", COLD, hotkey=HOT, netuid=NETUID, children=[])
    wait_and_set_pending_children(NETUID)
    assert not ChildKeys.contains_key(HOT, NETUID)
    assert not ParentKeys.contains_key(CHILD, NETUID)


def test_set_children_rate_limit_fail_then_succeed(parent):
    """Rust: test_set_children_rate_limit_fail_then_succeed."""
    set_children(COLD, HOT, NETUID, [(100, CHILD)])
    fails(Error.TxRateLimitExceeded, "set_children", COLD, hotkey=HOT, netuid=NETUID, children=[(100, CHILD2)])
    run_to_block(block_number() + SET_CHILDREN_RATE_LIMIT - 1)
    fails(Error.TxRateLimitExceeded, "set_children", COLD, hotkey=HOT, netuid=NETUID, children=[(100, CHILD2)])
    assert ChildKeys.get(HOT, NETUID) == [(100, CHILD)]
    run_to_block(block_number() + 1)
    set_children(COLD, HOT, NETUID, [(100, CHILD2)])
    assert ChildKeys.get(HOT, NETUID) == [(100, CHILD2)]


def test_do_set_child_cooldown_period(parent):
    """Rust: test_do_set_child_cooldown_period: nothing applies until the block after the cooldown."""
    schedule(COLD, HOT, NETUID, [(1000, CHILD)])
    run_to_block(1 + COOLDOWN)
    hierarchy_children.do_set_pending_children(NETUID)
    assert ChildKeys.get(HOT, NETUID) == [] and PendingChildKeys.contains_key(NETUID, HOT)
    run_to_block(1 + COOLDOWN + 1)
    hierarchy_children.do_set_pending_children(NETUID)
    assert ChildKeys.get(HOT, NETUID) == [(1000, CHILD)]


def test_do_set_pending_children_runs_in_epoch(parent):
    """Rust: test_do_set_pending_children_runs_in_epoch: the block step applies pending children
    in the block the subnet's epoch ran (its `LastEpochBlock` moved there), the first after the
    cooldown. Tempo 13, netuid 1 added at block 1: anchor `1 - 1 % 13 = 0`, epochs at 13, 26, ..."""
    schedule(COLD, HOT, NETUID, [(1000, CHILD)])
    for block in range(2, 26):
        run_to_block(block)
        drain_pending([NETUID], block)  # the coinbase's schedule step
        hierarchy_children.try_set_pending_children(block)
    assert LastEpochBlock.get(NETUID) == 13
    assert ChildKeys.get(HOT, NETUID) == []  # block 13 was an epoch, but within the cooldown (16)
    assert PendingChildKeys.contains_key(NETUID, HOT)
    run_to_block(26)
    hierarchy_children.try_set_pending_children(26)
    assert ChildKeys.get(HOT, NETUID) == []  # no epoch ran in block 26 yet
    drain_pending([NETUID], 26)
    hierarchy_children.try_set_pending_children(26)
    assert ChildKeys.get(HOT, NETUID) == [(1000, CHILD)]


def test_on_initialize_sets_pending_children(parent):
    """The block hook runs step 7 (pending children) after the coinbase ran the epochs."""
    from pysubtensor.pallets.subtensor.hooks import on_initialize
    schedule(COLD, HOT, NETUID, [(1000, CHILD)])
    for block in range(2, 26):
        run_to_block(block)
        on_initialize(block)
    assert ChildKeys.get(HOT, NETUID) == []
    run_to_block(26)
    on_initialize(26)
    assert ChildKeys.get(HOT, NETUID) == [(1000, CHILD)]


def test_inconsistent_pending_children_dropped(parent):
    """A schedule that has become a parent-child cycle by its epoch is dropped without an event."""
    schedule(COLD, HOT, NETUID, [(1000, CHILD)])
    neurons.create_account_if_non_existent(COLD, CHILD)
    # meanwhile CHILD became HOT's parent
    ChildKeys.insert(CHILD, NETUID, [(5, HOT)])
    ParentKeys.insert(HOT, NETUID, [(5, CHILD)])
    parent.clear()
    wait_and_set_pending_children(NETUID)
    assert not PendingChildKeys.contains_key(NETUID, HOT)
    assert ChildKeys.get(HOT, NETUID) == [] and parent == []


def test_set_children_keeps_parents(parent):
    """Setting a hotkey's children leaves its own parents' links in place."""
    grand = account(7)
    neurons.create_account_if_non_existent(COLD, grand)
    set_children(COLD, grand, NETUID, [(7, HOT)])
    set_children(COLD, HOT, NETUID, [(1000, CHILD)])
    assert ParentKeys.get(HOT, NETUID) == [(7, grand)]
    assert ChildKeys.get(grand, NETUID) == [(7, HOT)]
    assert ChildKeys.get(HOT, NETUID) == [(1000, CHILD)]


def test_self_loop_in_storage_is_dropped(parent):
    """`load_relations_from_pending` ignores a hotkey listed as its own parent; persisting the
    relations rewrites its parents without it."""
    grand = account(7)
    ParentKeys.insert(HOT, NETUID, [(5, HOT), (7, grand)])
    ChildKeys.insert(grand, NETUID, [(7, HOT)])
    set_children(COLD, HOT, NETUID, [(1000, CHILD)])
    assert ParentKeys.get(HOT, NETUID) == [(7, grand)]
