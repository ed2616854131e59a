"""Delegation and hierarchy calls: delegate takes, childkey takes and their root setters, the
pending-children cooldown, identities and hotkey association. Scenarios ported from
subtensor's Rust tests (pallets/subtensor/src/tests/staking.rs, children.rs, serving.rs), each
naming its Rust test; where the Rust mock's `Config` differs from the runtime's (minimum
delegate take 9%, take rate limits of 1 block) the fixture writes the mock's value first.
Every failing call is checked to change nothing."""

from __future__ import annotations

from typing import Any

import pytest

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
