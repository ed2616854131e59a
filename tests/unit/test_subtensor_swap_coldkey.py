"""Coldkey swaps: the announcement flow, the root swap, disputes and resets, and the
transaction extension's guard. Scenarios ported from subtensor's Rust tests (pallets/subtensor/
src/tests/swap_coldkey.rs and extensions/check_coldkey_swap.rs at spec 381), each naming its
Rust test. Stakes are seeded as `Alpha` shares (add_stake is the staking issue's): the swap
moves shares, so the checks read shares. Costs and delays are our runtime's (the mock's key
swap cost is 1 TAO, ours 0.1 TAO; its existential deposit 1, ours 500). Every failing call is
checked to change nothing."""

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
from pysubtensor.pallets.subtensor.extension import SubtensorTransactionExtension
from pysubtensor.pallets.subtensor.neurons import logic as neurons
from pysubtensor.pallets.subtensor.swap_keys.coldkey import do_swap_coldkey
from pysubtensor.pallets.subtensor.types import ChainIdentityV2
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.primitives.externalities import current
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.transaction_validity import TransactionValidityError
from tests.support.events import capture_events
from tests.support.frame import frame_env

S = st.pallet.Storage
ED = BalancesConstants.ExistentialDeposit
ONE = 1 << 64  # 1.0 in U64F64 bits
WHO, NEW = (n.to_bytes(32, "little") for n in (1, 2))
NEW_HASH = blake2_256(NEW)


def account(n: int) -> bytes:
    return n.to_bytes(32, "little")


@pytest.fixture
def events() -> Iterator[list]:
    config = Config(deposit_event=lambda pallet, event: None, currency=fungible)
    with st.pallet.bound(config), frame_env(balances.pallet, st.pallet), capture_events(st.pallet) as collected:
        system.pallet.Storage.Number.put(1)
        yield collected


def now() -> int:
    return system.pallet.Storage.Number.get()


def run_to(block: int) -> None:
    system.pallet.Storage.Number.put(block)


def state() -> dict[bytes, bytes | None]:
    ext = current()
    return {k: ext.get(k) for k in ext.keys_with_prefix(b"")}


def dispatch(origin: Origin, name: str, **args: Any) -> Any:
    return dispatch_in_layer(lambda o, c, bypass_filter=False: st.pallet.dispatch(o, c), origin, (name, args))


def ok(origin: Origin, name: str, **args: Any) -> None:
    result = dispatch(origin, name, **args)
    assert not isinstance(result, Exception), result


def fails(error: type[Exception], origin: Origin, name: str, **args: Any) -> None:
    before = state()
    result = dispatch(origin, name, **args)
    assert isinstance(result, error), result
    assert state() == before


def signed(who: bytes = WHO) -> Origin:
    return Origin.signed(who)


def announcement() -> list:
    return [(k, tuple(v)) for k, v in S.ColdkeySwapAnnouncements.iter()]


# -- announce_coldkey_swap

def test_announce_coldkey_swap_works(events):
    """Rust: test_announce_coldkey_swap_works."""
    fungible.mint_into(WHO, C.KeySwapCost + ED)
    S.TotalIssuance.put(10**15)
    issuance = fungible.total_issuance()
    ok(signed(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)
    assert announcement() == [(WHO, (now() + S.ColdkeySwapAnnouncementDelay.get(), NEW_HASH))]
    assert fungible.balance(WHO) == ED
    # recycled: out of Balances' issuance and SubtensorModule's
    assert fungible.total_issuance() == issuance - C.KeySwapCost
    assert S.TotalIssuance.get() == 10**15 - C.KeySwapCost
    assert events[-1] == ("SubtensorModule", Event.ColdkeySwapAnnounced(who=WHO, new_coldkey_hash=NEW_HASH))


def test_announce_coldkey_swap_with_existing_announcement_past_delay_works(events):
    """Rust: test_announce_coldkey_swap_with_existing_announcement_past_delay_works, and
    test_announce_coldkey_swap_only_pays_swap_cost_if_no_announcement_exists."""
    fungible.mint_into(WHO, C.KeySwapCost + ED)
    ok(signed(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)
    delay, redelay = S.ColdkeySwapAnnouncementDelay.get(), S.ColdkeySwapReannouncementDelay.get()
    run_to(now() + delay + redelay)
    second = blake2_256(account(3))
    ok(signed(), "announce_coldkey_swap", new_coldkey_hash=second)
    assert announcement() == [(WHO, (now() + delay, second))]
    assert fungible.balance(WHO) == ED


def test_announce_coldkey_swap_with_bad_origin_fails(events):
    """Rust: test_announce_coldkey_swap_with_bad_origin_fails."""
    fails(BadOrigin, Origin.none(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)
    fails(BadOrigin, Origin.root(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)


def test_announce_coldkey_swap_with_existing_announcement_not_past_delay_fails(events):
    """Rust: test_announce_coldkey_swap_with_existing_announcement_not_past_delay_fails (and one
    block before the re-announcement delay has passed)."""
    fungible.mint_into(WHO, C.KeySwapCost + ED)
    ok(signed(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)
    fails(Error.ColdkeySwapReannouncedTooEarly, signed(), "announce_coldkey_swap", new_coldkey_hash=blake2_256(account(3)))
    run_to(now() + S.ColdkeySwapAnnouncementDelay.get() + S.ColdkeySwapReannouncementDelay.get() - 1)
    fails(Error.ColdkeySwapReannouncedTooEarly, signed(), "announce_coldkey_swap", new_coldkey_hash=blake2_256(account(3)))


def test_announce_coldkey_swap_with_not_enough_balance_to_pay_swap_cost_fails(events):
    """Rust: test_announce_coldkey_swap_with_not_enough_balance_to_pay_swap_cost_fails (the
    existential deposit is kept)."""
    fails(Error.NotEnoughBalanceToPaySwapColdKey, signed(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)
    fungible.mint_into(WHO, C.KeySwapCost + ED - 1)
    fails(Error.NotEnoughBalanceToPaySwapColdKey, signed(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)


# -- swap_coldkey_announced

HOT1, HOT2, HOT3 = account(1001), account(1002), account(1003)


def comprehensive_setup(who: bytes) -> dict:
    """The Rust `comprehensive_setup!` with the stakes seeded as shares."""
    for netuid in (1, 2):
        S.NetworksAdded.insert(netuid, True)
        S.Tempo.insert(netuid, 1)
        S.SubnetOwner.insert(netuid, who)
    S.AutoStakeDestination.insert(who, 1, HOT1)
    S.AutoStakeDestination.insert(who, 2, HOT2)
    S.AutoStakeDestinationColdkeys.insert(HOT1, 1, [who, account(3), account(4)])
    S.AutoStakeDestinationColdkeys.insert(HOT2, 2, [account(7), account(8), who])
    for netuid, hotkey in ((1, HOT1), (2, HOT2), (1, HOT3)):
        neurons.create_account_if_non_existent(who, hotkey)
        neurons.register_neuron(netuid, hotkey)
    assert S.StakingHotkeys.get(who) == S.OwnedHotkeys.get(who) == [HOT1, HOT2, HOT3]
    stakes = {(HOT1, 1): 10 * ONE, (HOT2, 2): 20 * ONE, (HOT3, 1): 30 * ONE}
    for (hotkey, netuid), shares in stakes.items():
        S.Alpha.insert(hotkey, who, netuid, shares)
    identity = ChainIdentityV2.SCALE.decode_all(bytes(7))  # ChainIdentityV2::default()
    S.IdentitiesV2.insert(who, identity)
    assert S.IdentitiesV2.try_get(NEW) is None
    return {"stakes": stakes, "identity": identity, "balance": fungible.balance(who)}


def comprehensive_checks(who: bytes, before: dict, swap_cost: int) -> None:
    assert not S.ColdkeySwapAnnouncements.contains_key(who)
    assert before["balance"] - swap_cost == fungible.balance(who) + ED
    assert S.IdentitiesV2.try_get(who) is None
    assert S.IdentitiesV2.try_get(NEW) == before["identity"]
    assert S.SubnetOwner.get(1) == S.SubnetOwner.get(2) == NEW
    assert S.AutoStakeDestination.try_get(who, 1) is None and S.AutoStakeDestination.try_get(who, 2) is None
    assert (S.AutoStakeDestination.try_get(NEW, 1), S.AutoStakeDestination.try_get(NEW, 2)) == (HOT1, HOT2)
    assert S.AutoStakeDestinationColdkeys.get(HOT1, 1) == [account(3), account(4), NEW]
    assert S.AutoStakeDestinationColdkeys.get(HOT2, 2) == [account(7), account(8), NEW]
    for (hotkey, netuid), shares in before["stakes"].items():
        assert S.Alpha.get(hotkey, who, netuid) == 0
        assert S.Alpha.get(hotkey, NEW, netuid) == shares
    assert S.StakingHotkeys.get(who) == [] and S.StakingHotkeys.get(NEW) == [HOT1, HOT2, HOT3]
    assert S.OwnedHotkeys.get(who) == [] and S.OwnedHotkeys.get(NEW) == [HOT1, HOT2, HOT3]
    assert S.Owner.get(HOT1) == S.Owner.get(HOT2) == S.Owner.get(HOT3) == NEW
    # the whole remaining balance moved: the old account is reaped
    assert fungible.balance(who) == 0
    assert fungible.balance(NEW) == ED
    assert S.LastRateLimitedBlock.get(("LastTxBlock", NEW)) == now()


def test_swap_coldkey_announced_works(events):
    """Rust: test_swap_coldkey_announced_works."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    run_to(now() + S.ColdkeySwapAnnouncementDelay.get() + 1)
    fungible.mint_into(WHO, ED)
    before = comprehensive_setup(WHO)
    issuance = fungible.total_issuance()
    ok(signed(), "swap_coldkey_announced", new_coldkey=NEW)
    comprehensive_checks(WHO, before, 0)
    assert fungible.total_issuance() == issuance
    assert events[-1] == ("SubtensorModule", Event.ColdkeySwapped(old_coldkey=WHO, new_coldkey=NEW))


def test_swap_coldkey_announced_with_bad_origin_fails(events):
    """Rust: test_swap_coldkey_announced_with_bad_origin_fails."""
    fails(BadOrigin, Origin.none(), "swap_coldkey_announced", new_coldkey=NEW)
    fails(BadOrigin, Origin.root(), "swap_coldkey_announced", new_coldkey=NEW)


def test_swap_coldkey_announced_without_announcement_fails(events):
    """Rust: test_swap_coldkey_announced_without_announcement_fails."""
    fails(Error.ColdkeySwapAnnouncementNotFound, signed(), "swap_coldkey_announced", new_coldkey=NEW)


def test_swap_coldkey_announced_with_mismatched_coldkey_hash_fails(events):
    """Rust: test_swap_coldkey_announced_with_mismatched_coldkey_hash_fails."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    fails(Error.AnnouncedColdkeyHashDoesNotMatch, signed(), "swap_coldkey_announced", new_coldkey=account(3))


def test_swap_coldkey_announced_too_early_fails(events):
    """Rust: test_swap_coldkey_announced_too_early_fails."""
    delay = S.ColdkeySwapAnnouncementDelay.get()
    start = now()
    S.ColdkeySwapAnnouncements.insert(WHO, (start + delay, NEW_HASH))
    fails(Error.ColdkeySwapTooEarly, signed(), "swap_coldkey_announced", new_coldkey=NEW)
    run_to(start + delay - 1)
    fails(Error.ColdkeySwapTooEarly, signed(), "swap_coldkey_announced", new_coldkey=NEW)
    run_to(start + delay)
    ok(signed(), "swap_coldkey_announced", new_coldkey=NEW)


def test_swap_coldkey_announced_with_already_associated_coldkey_fails(events):
    """Rust: test_swap_coldkey_announced_with_already_associated_coldkey_fails."""
    fungible.mint_into(WHO, C.KeySwapCost + ED)
    ok(signed(), "announce_coldkey_swap", new_coldkey_hash=NEW_HASH)
    run_to(now() + S.ColdkeySwapAnnouncementDelay.get() + 1)
    neurons.create_account_if_non_existent(NEW, account(3))
    fails(Error.ColdKeyAlreadyAssociated, signed(), "swap_coldkey_announced", new_coldkey=NEW)


def test_swap_coldkey_announced_with_hotkey_fails(events):
    """Rust: test_swap_coldkey_announced_with_hotkey_fails."""
    hotkey = account(3)
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), blake2_256(hotkey)))
    run_to(now() + S.ColdkeySwapAnnouncementDelay.get() + 1)
    neurons.create_account_if_non_existent(NEW, hotkey)
    fails(Error.NewColdKeyIsHotkey, signed(), "swap_coldkey_announced", new_coldkey=hotkey)


# -- swap_coldkey (root)

def test_swap_coldkey_works(events):
    """Rust: test_swap_coldkey_works (the cost is recycled; any announcement and dispute are
    cleared)."""
    run_to(1000)
    fungible.mint_into(WHO, C.KeySwapCost + ED)
    S.ColdkeySwapAnnouncements.insert(WHO, (now() - 100, NEW_HASH))
    S.ColdkeySwapDisputes.insert(WHO, now() - 100)
    before = comprehensive_setup(WHO)
    issuance = fungible.total_issuance()
    ok(Origin.root(), "swap_coldkey", old_coldkey=WHO, new_coldkey=NEW, swap_cost=C.KeySwapCost)
    comprehensive_checks(WHO, before, C.KeySwapCost)
    assert fungible.total_issuance() == issuance - C.KeySwapCost
    assert not S.ColdkeySwapAnnouncements.contains_key(WHO)
    assert not S.ColdkeySwapDisputes.contains_key(WHO)


def test_swap_coldkey_works_with_zero_cost(events):
    """Rust: test_swap_coldkey_works_with_zero_cost."""
    fungible.mint_into(WHO, ED)
    before = comprehensive_setup(WHO)
    ok(Origin.root(), "swap_coldkey", old_coldkey=WHO, new_coldkey=NEW, swap_cost=0)
    comprehensive_checks(WHO, before, 0)


def test_swap_coldkey_with_bad_origin_fails(events):
    """Rust: test_swap_coldkey_with_bad_origin_fails."""
    for origin in (signed(), Origin.none()):
        fails(BadOrigin, origin, "swap_coldkey", old_coldkey=account(2), new_coldkey=account(3), swap_cost=C.KeySwapCost)


def test_swap_coldkey_with_not_enough_balance_to_pay_swap_cost_fails(events):
    """Rust: test_swap_coldkey_with_not_enough_balance_to_pay_swap_cost_fails."""
    fails(Error.NotEnoughBalanceToPaySwapColdKey, Origin.root(), "swap_coldkey", old_coldkey=WHO, new_coldkey=NEW,
          swap_cost=C.KeySwapCost)
    fungible.mint_into(WHO, C.KeySwapCost + ED - 1)
    fails(Error.NotEnoughBalanceToPaySwapColdKey, Origin.root(), "swap_coldkey", old_coldkey=WHO, new_coldkey=NEW,
          swap_cost=C.KeySwapCost)


def test_do_swap_coldkey_preserves_new_coldkey_identity(events):
    """Rust: test_do_swap_coldkey_preserves_new_coldkey_identity."""
    def identity(name: bytes):
        return ChainIdentityV2.SCALE.decode_all(bytes([len(name) * 4]) + name + bytes(6))

    old_identity, new_identity = identity(b"Old identity"), identity(b"New identity")
    S.IdentitiesV2.insert(WHO, old_identity)
    S.IdentitiesV2.insert(NEW, new_identity)
    do_swap_coldkey(WHO, NEW)
    assert S.IdentitiesV2.try_get(WHO) == old_identity
    assert S.IdentitiesV2.try_get(NEW) == new_identity


def test_do_swap_coldkey_with_no_stake(events):
    """Rust: test_do_swap_coldkey_with_no_stake."""
    do_swap_coldkey(WHO, NEW)
    assert list(S.Alpha.iter()) == []
    assert events[-1] == ("SubtensorModule", Event.ColdkeySwapped(old_coldkey=WHO, new_coldkey=NEW))


def test_swap_coldkey_root_stake_joins_the_staking_coldkey_index(events):
    """`transfer_coldkey_stake`: a new coldkey receiving root stake is indexed for root claims."""
    S.NetworksAdded.insert(0, True)
    S.StakingHotkeys.insert(WHO, [HOT1])
    S.Alpha.insert(HOT1, WHO, 0, 5 * ONE)
    S.RootClaimed.insert(0, HOT1, WHO, 77)
    do_swap_coldkey(WHO, NEW)
    assert S.StakingColdkeys.try_get(NEW) == 0 and S.StakingColdkeysByIndex.try_get(0) == NEW
    assert S.NumStakingColdkeys.get() == 1
    assert S.RootClaimed.get(0, HOT1, NEW) == 77 and not S.RootClaimed.contains_key(0, HOT1, WHO)


# -- disputes and resets

def test_dispute_coldkey_swap_works(events):
    """Rust: test_dispute_coldkey_swap_works."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    ok(signed(), "dispute_coldkey_swap")
    assert S.ColdkeySwapDisputes.try_get(WHO) == now()
    assert events[-1] == ("SubtensorModule", Event.ColdkeySwapDisputed(coldkey=WHO))


def test_dispute_coldkey_swap_with_bad_origin_fails(events):
    """Rust: test_dispute_coldkey_swap_with_bad_origin_fails."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    fails(BadOrigin, Origin.root(), "dispute_coldkey_swap")
    fails(BadOrigin, Origin.none(), "dispute_coldkey_swap")


def test_dispute_coldkey_swap_without_announcement_fails(events):
    """Rust: test_dispute_coldkey_swap_without_announcement_fails."""
    fails(Error.ColdkeySwapAnnouncementNotFound, signed(), "dispute_coldkey_swap")


def test_dispute_coldkey_swap_already_disputed_fails(events):
    """Rust: test_dispute_coldkey_swap_already_disputed_fails."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    S.ColdkeySwapDisputes.insert(WHO, now())
    fails(Error.ColdkeySwapAlreadyDisputed, signed(), "dispute_coldkey_swap")


def test_reset_coldkey_swap_works(events):
    """Rust: test_reset_coldkey_swap_works."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    S.ColdkeySwapDisputes.insert(WHO, now())
    ok(Origin.root(), "reset_coldkey_swap", coldkey=WHO)
    assert not S.ColdkeySwapAnnouncements.contains_key(WHO)
    assert not S.ColdkeySwapDisputes.contains_key(WHO)
    assert events[-1] == ("SubtensorModule", Event.ColdkeySwapReset(who=WHO))


def test_reset_coldkey_swap_with_bad_origin_fails(events):
    """Rust: test_reset_coldkey_swap_with_bad_origin_fails."""
    fails(BadOrigin, signed(), "reset_coldkey_swap", coldkey=NEW)
    fails(BadOrigin, Origin.none(), "reset_coldkey_swap", coldkey=NEW)


def test_schedule_swap_coldkey_deprecated(events):
    """Rust: test_schedule_swap_coldkey_deprecated."""
    fails(Error.Deprecated, Origin.root(), "schedule_swap_coldkey", new_coldkey=NEW)
    fails(Error.Deprecated, signed(), "schedule_swap_coldkey", new_coldkey=NEW)


# -- the transaction extension (extensions/check_coldkey_swap.rs)

def validate(who: bytes | None, call: tuple) -> Any:
    origin = Origin.signed(who) if who is not None else Origin.none()
    try:
        SubtensorTransactionExtension().validate(origin, call, None, 0, "External")
    except TransactionValidityError as exc:
        return exc
    return None


TRANSFER = ("Balances", ("transfer_keep_alive", {"dest": ("Id", NEW), "value": 100_000_000_000}))
FORBIDDEN = [
    TRANSFER,
    ("Balances", ("transfer_all", {"dest": ("Id", NEW), "keep_alive": False})),
    ("SubtensorModule", ("burned_register", {"netuid": 1, "hotkey": account(2)})),
    ("SubtensorModule", ("swap_hotkey", {"hotkey": account(2), "new_hotkey": account(5), "netuid": None})),
    ("SubtensorModule", ("swap_coldkey", {"old_coldkey": WHO, "new_coldkey": NEW, "swap_cost": 0})),
]
AUTHORIZED = [
    ("SubtensorModule", ("announce_coldkey_swap", {"new_coldkey_hash": blake2_256(account(3))})),
    ("SubtensorModule", ("swap_coldkey_announced", {"new_coldkey": NEW})),
    ("SubtensorModule", ("dispute_coldkey_swap", {})),
]


def test_skipped_for_non_signed_origins(events):
    """Rust: check_coldkey_swap::tests::skipped_for_non_signed_origins."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    assert validate(None, TRANSFER) is None


def test_skipped_if_no_active_swap(events):
    """Rust: check_coldkey_swap::tests::skipped_if_no_active_swap."""
    assert validate(WHO, TRANSFER) is None


def test_validate_calls_correctly(events):
    """Rust: check_coldkey_swap::tests::validate_calls_correctly (direct origin; Proxy and
    MevShield are not composed yet): forbidden calls get Custom(0), the swap's own calls
    pass, and once disputed every call gets Custom(21)."""
    S.ColdkeySwapAnnouncements.insert(WHO, (now(), NEW_HASH))
    for call in FORBIDDEN:
        err = validate(WHO, call)
        assert (err.kind, err.reason, err.code) == ("Invalid", "Custom", 0), call
    for call in AUTHORIZED:
        assert validate(WHO, call) is None, call
    assert validate(account(9), TRANSFER) is None  # another signer is unaffected
    S.ColdkeySwapDisputes.insert(WHO, now())
    for call in FORBIDDEN + AUTHORIZED:
        err = validate(WHO, call)
        assert (err.kind, err.reason, err.code) == ("Invalid", "Custom", 21), call
