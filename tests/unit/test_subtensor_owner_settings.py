"""`update_symbol`, `set_coldkey_auto_stake_hotkey` and the voting-power switches: scenarios
ported from subtensor's Rust tests at spec 381 (tests/subnet.rs, auto_stake_hotkey.rs,
voting_power.rs), each naming its Rust test, on subnets registered by the real
`register_network` (tests/unit/test_subtensor_registration.py's chain). Every failing call is
checked to change nothing (the chain fixture's `fails`)."""

from __future__ import annotations

import pysubtensor.pallets.subtensor as st
from pysubtensor.pallets.subtensor.epoch.voting_power import (
    MAX_VOTING_POWER_EMA_ALPHA,
    VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS,
)
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.subnets.symbols import SYMBOLS
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.pallets.system.block import block_number
from tests.unit import test_subtensor_registration as registration
from tests.unit.test_subtensor_registration import Chain, add_dynamic_network, add_network

chain = registration.chain
S = st.pallet.Storage


def acct(n: int) -> bytes:
    return n.to_bytes(32, "little")


# -- update_symbol (subnet.rs)

def test_update_symbol_works_as_root_if_symbol_exists_and_available(chain: Chain):
    """Rust: test_update_symbol_works_as_root_if_symbol_exists_and_available."""
    add_network(1, 10)
    S.TokenSymbol.remove(1)
    for symbol in SYMBOLS[1:]:
        chain.call("update_symbol", Origin.root(), netuid=1, symbol=symbol)
        assert S.TokenSymbol.get(1) == symbol
        assert chain.events[-1] == ("SubtensorModule", Event.SymbolUpdated(netuid=1, symbol=symbol))


def test_update_symbol_works_as_subnet_owner_if_symbol_exists_and_available(chain: Chain):
    """Rust: test_update_symbol_works_as_subnet_owner_if_symbol_exists_and_available (and
    anyone else is BadOrigin)."""
    add_network(1, 10)
    S.TokenSymbol.remove(1)
    S.SubnetOwner.insert(1, acct(1))
    chain.fails(BadOrigin, "update_symbol", acct(2), netuid=1, symbol=SYMBOLS[5])
    for symbol in SYMBOLS[1:]:
        chain.call("update_symbol", acct(1), netuid=1, symbol=symbol)
        assert S.TokenSymbol.get(1) == symbol


def test_update_symbol_fails_if_symbol_doesnt_exist(chain: Chain):
    """Rust: test_update_symbol_fails_if_symbol_doesnt_exist (the root's symbol is not
    offered either)."""
    add_network(1, 10)
    S.SubnetOwner.insert(1, acct(1))
    chain.fails(Error.SymbolDoesNotExist, "update_symbol", acct(1), netuid=1, symbol=b"TEST")
    chain.fails(Error.SymbolDoesNotExist, "update_symbol", acct(1), netuid=1, symbol=SYMBOLS[0])


def test_update_symbol_fails_if_symbol_already_in_use(chain: Chain):
    """Rust: test_update_symbol_fails_if_symbol_already_in_use."""
    add_network(1, 10)
    add_network(2, 10)
    S.SubnetOwner.insert(1, acct(1))
    S.SubnetOwner.insert(2, acct(2))
    chain.call("update_symbol", acct(1), netuid=1, symbol=SYMBOLS[42])
    chain.fails(Error.SymbolAlreadyInUse, "update_symbol", acct(2), netuid=2, symbol=SYMBOLS[42])


# -- set_coldkey_auto_stake_hotkey (auto_stake_hotkey.rs)

def test_set_coldkey_auto_stake_hotkey_subnet_not_exists(chain: Chain):
    """Rust: test_set_coldkey_auto_stake_hotkey_subnet_not_exists."""
    chain.fails(Error.SubnetNotExists, "set_coldkey_auto_stake_hotkey", acct(1), netuid=999, hotkey=acct(2))


def test_set_coldkey_auto_stake_hotkey_hotkey_not_registered(chain: Chain):
    """Rust: test_set_coldkey_auto_stake_hotkey_hotkey_not_registered."""
    net = add_dynamic_network(chain, acct(1), acct(0))
    chain.fails(Error.HotKeyNotRegisteredInSubNet, "set_coldkey_auto_stake_hotkey", acct(10), netuid=net,
                hotkey=acct(11))


def test_set_coldkey_auto_stake_hotkey_success_and_same_again(chain: Chain):
    """Rust: test_set_coldkey_auto_stake_hotkey_success, ..._same_hotkey_again."""
    coldkey, hotkey = acct(10), acct(11)
    net = add_dynamic_network(chain, acct(1), acct(0))
    S.Uids.insert(net, hotkey, 1)
    assert S.AutoStakeDestination.try_get(coldkey, net) is None
    chain.call("set_coldkey_auto_stake_hotkey", coldkey, netuid=net, hotkey=hotkey)
    assert S.AutoStakeDestination.try_get(coldkey, net) == hotkey
    assert chain.events[-1] == ("SubtensorModule", Event.AutoStakeDestinationSet(coldkey=coldkey, netuid=net,
                                                                                 hotkey=hotkey))
    chain.fails(Error.SameAutoStakeHotkeyAlreadySet, "set_coldkey_auto_stake_hotkey", coldkey, netuid=net,
                hotkey=hotkey)


def test_set_coldkey_auto_stake_hotkey_change_hotkey(chain: Chain):
    """Rust: test_set_coldkey_auto_stake_hotkey_change_hotkey."""
    coldkey, hotkey, new_hotkey = acct(10), acct(11), acct(12)
    net = add_dynamic_network(chain, acct(1), acct(0))
    S.Uids.insert(net, hotkey, 1)
    S.Uids.insert(net, new_hotkey, 2)
    chain.call("set_coldkey_auto_stake_hotkey", coldkey, netuid=net, hotkey=hotkey)
    assert S.AutoStakeDestinationColdkeys.get(hotkey, net) == [coldkey]
    assert S.AutoStakeDestinationColdkeys.get(new_hotkey, net) == []
    chain.call("set_coldkey_auto_stake_hotkey", coldkey, netuid=net, hotkey=new_hotkey)
    assert S.AutoStakeDestination.try_get(coldkey, net) == new_hotkey
    assert S.AutoStakeDestinationColdkeys.get(hotkey, net) == []
    assert S.AutoStakeDestinationColdkeys.get(new_hotkey, net) == [coldkey]


# -- voting power (voting_power.rs)

def _fixture(chain: Chain) -> tuple[int, bytes]:
    """`VotingPowerTestFixture::new`: a dynamic subnet owned by coldkey 2 (hotkey 1)."""
    return add_dynamic_network(chain, acct(1), acct(2)), acct(2)


def test_enable_voting_power_tracking(chain: Chain):
    """Rust: test_enable_voting_power_tracking, ..._root_can_enable."""
    net, owner = _fixture(chain)
    assert not S.VotingPowerTrackingEnabled.get(net)
    chain.call("enable_voting_power_tracking", owner, netuid=net)
    assert S.VotingPowerTrackingEnabled.get(net) and S.VotingPowerDisableAtBlock.get(net) == 0
    assert chain.events[-1] == ("SubtensorModule", Event.VotingPowerTrackingEnabled(netuid=net))
    S.VotingPowerTrackingEnabled.remove(net)
    chain.call("enable_voting_power_tracking", Origin.root(), netuid=net)
    assert S.VotingPowerTrackingEnabled.get(net)


def test_disable_voting_power_tracking_schedules_disable(chain: Chain):
    """Rust: test_disable_voting_power_tracking_schedules_disable."""
    net, owner = _fixture(chain)
    chain.call("enable_voting_power_tracking", owner, netuid=net)
    now = block_number()
    chain.call("disable_voting_power_tracking", owner, netuid=net)
    assert S.VotingPowerTrackingEnabled.get(net)
    assert S.VotingPowerDisableAtBlock.get(net) == now + VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS
    assert chain.events[-1] == ("SubtensorModule", Event.VotingPowerTrackingDisableScheduled(
        netuid=net, disable_at_block=now + VOTING_POWER_DISABLE_GRACE_PERIOD_BLOCKS))


def test_disable_voting_power_tracking_fails_when_not_enabled(chain: Chain):
    """Rust: test_disable_voting_power_tracking_fails_when_not_enabled."""
    net, owner = _fixture(chain)
    chain.fails(Error.VotingPowerTrackingNotEnabled, "disable_voting_power_tracking", owner, netuid=net)


def test_voting_power_tracking_non_owner_fails(chain: Chain):
    """Rust: test_enable_voting_power_tracking_non_owner_fails,
    test_disable_voting_power_tracking_non_owner_fails."""
    net, owner = _fixture(chain)
    chain.fails(BadOrigin, "enable_voting_power_tracking", acct(999), netuid=net)
    chain.call("enable_voting_power_tracking", owner, netuid=net)
    chain.fails(BadOrigin, "disable_voting_power_tracking", acct(999), netuid=net)
    assert S.VotingPowerDisableAtBlock.get(net) == 0


def test_reenable_voting_power_clears_disable_schedule(chain: Chain):
    """Rust: test_reenable_voting_power_clears_disable_schedule."""
    net, owner = _fixture(chain)
    chain.call("enable_voting_power_tracking", owner, netuid=net)
    chain.call("disable_voting_power_tracking", owner, netuid=net)
    assert S.VotingPowerDisableAtBlock.get(net) > 0
    chain.call("enable_voting_power_tracking", owner, netuid=net)
    assert S.VotingPowerTrackingEnabled.get(net) and S.VotingPowerDisableAtBlock.get(net) == 0


def test_set_voting_power_ema_alpha(chain: Chain):
    """Rust: test_set_voting_power_ema_alpha, ..._fails_above_one, ..._non_root_fails."""
    net, owner = _fixture(chain)
    assert S.VotingPowerEmaAlpha.get(net) == 3_570_000_000_000_000
    chain.call("sudo_set_voting_power_ema_alpha", Origin.root(), netuid=net, alpha=500_000_000_000_000_000)
    assert S.VotingPowerEmaAlpha.get(net) == 500_000_000_000_000_000
    assert chain.events[-1] == ("SubtensorModule", Event.VotingPowerEmaAlphaSet(netuid=net,
                                                                                alpha=500_000_000_000_000_000))
    chain.call("sudo_set_voting_power_ema_alpha", Origin.root(), netuid=net, alpha=MAX_VOTING_POWER_EMA_ALPHA)
    chain.fails(Error.InvalidVotingPowerEmaAlpha, "sudo_set_voting_power_ema_alpha", Origin.root(), netuid=net,
                alpha=MAX_VOTING_POWER_EMA_ALPHA + 1)
    chain.fails(BadOrigin, "sudo_set_voting_power_ema_alpha", owner, netuid=net, alpha=500_000_000_000_000_000)
