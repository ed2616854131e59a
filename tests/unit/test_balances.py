"""Balances: metadata shape against the real runtime's (finney 343 V14 and devnet 381 V16),
genesis against a real runtime's genesis storage, and the pallet's behaviour (existential
deposit, keep-alive, reaping and dust, reserves, locks and freezes, the calls) as
pallet_balances behaves. The real transfer session is replayed in test_transaction_payment.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.system as system
import pysubtensor.pallets.transaction_payment as transaction_payment
from pysubtensor.pallets.balances import account, currency, fungible
from pysubtensor.pallets.balances.types import (
    ACCOUNT_DATA,
    HOLDS,
    IS_NEW_LOGIC,
    AccountData,
    BalanceLock,
    bounded_vec,
    id_amount,
)
from pysubtensor.pallets.balances.weights import WEIGHTS
from pysubtensor.pallets.support.dispatch import DispatchError, Origin, Pays, PostDispatchInfo, Weight
from pysubtensor.pallets.support.tokens import Fortitude, Precision, Preservation, WithdrawReasons
from pysubtensor.pallets.system.types import ACCOUNT_INFO, AccountInfo
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.metadata.common import NameEnum
from tests.conftest import vectors_dir
from tests.support.events import capture_events, event_names
from tests.support.metadata import BLOBS, DEVNET_381, assert_pallet_matches, assert_same_type, real_pallet
from tests.support.state import DictBackend

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
CHARLIE = bytes.fromhex("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22")
ED = 500
TOKEN = 10**9


@pytest.mark.parametrize("blob", BLOBS)
def test_balances_metadata_equals_the_real_runtime(blob: str) -> None:
    assert_pallet_matches(balances.pallet, blob)


def test_hold_reason_and_freeze_reason_are_the_runtime_types() -> None:
    real = real_pallet(DEVNET_381, "Balances")
    holds = next(e for e in real.storage.entries if e.name == "Holds")
    assert_same_type(HOLDS, DEVNET_381, holds.ty.value)
    # A hold encodes as the runtime enum's index, then the pallet's reason.
    assert HOLDS.encode([account_idamount(("Preimage", "Preimage"), 7)]) == bytes.fromhex("040e00") + (7).to_bytes(8, "little")


def account_idamount(reason: Any, amount: int) -> Any:
    from pysubtensor.pallets.balances.types import IdAmount

    return IdAmount(reason, amount)


def test_call_weights_follow_substrate_weights_over_rocksdb() -> None:
    # transfer_keep_alive: 38.159 µs + 1 read (25 µs) + 1 write (100 µs), proof 3593.
    assert WEIGHTS.transfer_keep_alive == Weight(163_159_000, 3593)
    assert WEIGHTS.force_transfer == Weight(49_944_000 + 2 * 25_000_000 + 2 * 100_000_000, 6196)
    assert WEIGHTS.upgrade_accounts(2) == Weight(16_588_000 + 2 * (13_973_659 + 125_000_000), 990 + 2 * 2603)
    calls = balances.pallet.calls
    assert calls["force_set_balance"].weight_of({"who": None, "new_free": 0}) == Weight(144_929_000, 3593)
    # Rust's annotation swaps the two burn weights; we keep it.
    assert calls["burn"].weight_of({"value": 1, "keep_alive": True}) == WEIGHTS.burn_allow_death
    assert calls["burn"].weight_of({"value": 1, "keep_alive": False}) == WEIGHTS.burn_keep_alive


def test_db_weight_is_the_runtime_constant() -> None:
    system_pallet = real_pallet(DEVNET_381, "System")
    db = next(c for c in system_pallet.constants if c.name == "DbWeight")
    assert bytes(db.value) == (25_000_000).to_bytes(8, "little") + (100_000_000).to_bytes(8, "little")


# ---------------------------------------------------------------------------
# A chain to run the pallet on


@pytest.fixture
def events() -> Iterator[list[tuple[str, Any]]]:
    """A fresh dict-backed state; every event of System, Balances and TransactionPayment is
    collected, in order, as (pallet name, event)."""
    with capture_events(system.pallet, balances.pallet, transaction_payment.pallet) as collected, \
            using(Externalities(DictBackend())):
        yield collected


def endow(who: bytes, amount: int, events: list) -> None:
    fungible.mint_into(who, amount)
    events.clear()


def signed(who: bytes) -> Origin:
    return Origin.signed(who)


def call(name: str, origin: Origin, **args: Any) -> Any:
    return balances.pallet.dispatch(origin, (name, args))


def info(who: bytes) -> AccountInfo:
    return system.account(who)


def token_error(e: pytest.ExceptionInfo) -> Any:
    return e.value.value


# ---------------------------------------------------------------------------
# Accounts: creation, existential deposit, reaping


def test_transfer_creates_the_destination_account(events: list) -> None:
    endow(ALICE, 10 * TOKEN, events)
    call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=TOKEN)
    assert event_names(events) == ["System.NewAccount", "Balances.Endowed", "Balances.Transfer"]
    assert events[1][1] == balances.Event.Endowed(BOB, TOKEN)
    assert events[2][1] == balances.Event.Transfer(ALICE, BOB, TOKEN)
    assert info(BOB).providers == 1 and info(BOB).data == AccountData(free=TOKEN)
    assert fungible.total_issuance() == 10 * TOKEN


def test_transfer_below_existential_deposit_to_a_new_account_fails(events: list) -> None:
    endow(ALICE, 10 * TOKEN, events)
    with pytest.raises(DispatchError) as e:
        call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=ED - 1)
    assert token_error(e) == ("Token", "BelowMinimum")
    # Exactly ED is enough.
    call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=ED)
    assert fungible.balance(BOB) == ED


def test_transfer_keep_alive_refuses_to_kill_the_sender(events: list) -> None:
    endow(ALICE, 1000, events)
    with pytest.raises(DispatchError) as e:
        call("transfer_keep_alive", signed(ALICE), dest=("Id", BOB), value=600)
    assert token_error(e) == ("Token", "NotExpendable")
    with pytest.raises(DispatchError) as e:
        call("transfer_keep_alive", signed(ALICE), dest=("Id", BOB), value=1000)
    assert token_error(e) == ("Token", "NotExpendable")
    call("transfer_keep_alive", signed(ALICE), dest=("Id", BOB), value=500)
    assert fungible.balance(ALICE) == 500


def test_more_than_the_free_balance_is_funds_unavailable(events: list) -> None:
    endow(ALICE, 1000, events)
    # More than all the issuance: `can_withdraw` reports the underflow first.
    with pytest.raises(DispatchError) as e:
        call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=1001)
    assert token_error(e) == ("Arithmetic", "Underflow")
    endow(CHARLIE, 1000, events)
    with pytest.raises(DispatchError) as e:
        call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=1001)
    assert token_error(e) == ("Token", "FundsUnavailable")


def test_transfer_allow_death_reaps_the_sender_and_loses_the_dust(events: list) -> None:
    endow(ALICE, 1000, events)
    endow(BOB, 1000, events)
    call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=700)
    # 300 left < ED: the account is killed and its 300 are dust, burned from issuance.
    assert event_names(events) == ["System.KilledAccount", "Balances.DustLost", "Balances.Transfer"]
    assert events[1][1] == balances.Event.DustLost(ALICE, 300)
    assert not system.account_exists(ALICE)
    assert fungible.total_issuance() == 2000 - 300
    assert fungible.balance(BOB) == 1700


def test_transfer_of_everything_reaps_without_dust(events: list) -> None:
    endow(ALICE, 1000, events)
    call("transfer_all", signed(ALICE), dest=("Id", BOB), keep_alive=False)
    assert event_names(events) == ["System.KilledAccount", "System.NewAccount", "Balances.Endowed", "Balances.Transfer"]
    assert not system.account_exists(ALICE) and fungible.balance(BOB) == 1000


def test_transfer_all_keep_alive_leaves_the_existential_deposit(events: list) -> None:
    endow(ALICE, 1000, events)
    call("transfer_all", signed(ALICE), dest=("Id", BOB), keep_alive=True)
    assert fungible.balance(ALICE) == ED and fungible.balance(BOB) == 1000 - ED


def test_an_account_with_a_consumer_cannot_lose_its_only_provider(events: list) -> None:
    endow(ALICE, 1000, events)
    system.inc_consumers(ALICE)
    # `Expendable` keeps the ED when the provider ref is needed, so more is "frozen".
    assert fungible.reducible_balance(ALICE, Preservation.EXPENDABLE, Fortitude.POLITE) == 500
    with pytest.raises(DispatchError) as e:
        call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=600)
    assert token_error(e) == ("Token", "Frozen")
    call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=500)
    assert fungible.balance(ALICE) == 500


def test_protect_keeps_the_ed_back_only_while_balances_is_the_last_provider(events: list) -> None:
    endow(ALICE, 1000, events)
    assert fungible.reducible_balance(ALICE, Preservation.PROTECT, Fortitude.POLITE) == 500
    assert fungible.reducible_balance(ALICE, Preservation.EXPENDABLE, Fortitude.POLITE) == 1000
    system.inc_providers(ALICE)  # another provider (e.g. a sufficient asset) keeps it alive
    assert fungible.reducible_balance(ALICE, Preservation.PROTECT, Fortitude.POLITE) == 1000
    assert fungible.reducible_balance(ALICE, Preservation.PRESERVE, Fortitude.POLITE) == 500


def test_origins_and_lookups(events: list) -> None:
    endow(ALICE, 1000, events)
    with pytest.raises(DispatchError) as e:
        call("transfer_allow_death", Origin.root(), dest=("Id", BOB), value=1)
    assert e.value.value == "BadOrigin"
    with pytest.raises(DispatchError) as e:
        call("force_transfer", signed(ALICE), source=("Id", ALICE), dest=("Id", BOB), value=ED)
    assert e.value.value == "BadOrigin"
    with pytest.raises(DispatchError) as e:
        call("transfer_allow_death", signed(ALICE), dest=("Index", ()), value=ED)
    assert e.value.value == "CannotLookup"
    call("force_transfer", Origin.root(), source=("Id", ALICE), dest=("Address32", BOB), value=ED)
    assert fungible.balance(BOB) == ED


# ---------------------------------------------------------------------------
# The `Upgraded` path: accounts written before the new logic flag


def old_account(who: bytes, free: int, reserved: int = 0, providers: int = 1) -> None:
    system.mutate_account(who, lambda a: setattr(a, "providers", providers))
    system.mutate_account(who, lambda a: setattr(a, "data", AccountData(free=free, reserved=reserved, flags=0)))


def test_touching_an_old_account_upgrades_it_first(events: list) -> None:
    old_account(ALICE, 10 * TOKEN)
    fungible.withdraw(ALICE, 1000, Precision.EXACT, Preservation.PRESERVE, Fortitude.POLITE).drop()
    assert event_names(events) == ["Balances.Upgraded", "Balances.Withdraw"]
    assert info(ALICE).data.flags == IS_NEW_LOGIC
    assert info(ALICE).consumers == 0


def test_upgrading_an_account_with_a_reserve_adds_a_consumer(events: list) -> None:
    old_account(ALICE, 10 * TOKEN, reserved=TOKEN)
    assert account.ensure_upgraded(ALICE)
    assert info(ALICE).consumers == 1
    assert not account.ensure_upgraded(ALICE)


def test_upgrade_accounts_waives_the_fee_when_most_needed_it(events: list) -> None:
    old_account(ALICE, TOKEN)
    old_account(BOB, TOKEN)
    assert call("upgrade_accounts", signed(CHARLIE), who=[ALICE, BOB]) == PostDispatchInfo(pays_fee=Pays.NO)
    assert event_names(events) == ["Balances.Upgraded", "Balances.Upgraded"]
    # Nothing left to upgrade: the caller pays.
    assert call("upgrade_accounts", signed(CHARLIE), who=[ALICE]) == PostDispatchInfo(pays_fee=Pays.YES)
    assert call("upgrade_accounts", signed(CHARLIE), who=[]) == PostDispatchInfo(pays_fee=Pays.YES)


# ---------------------------------------------------------------------------
# Reserves, locks and freezes


def test_reserve_and_unreserve(events: list) -> None:
    endow(ALICE, 1000, events)
    currency.reserve(ALICE, 300)
    assert info(ALICE).data == AccountData(free=700, reserved=300)
    assert info(ALICE).consumers == 1
    assert event_names(events) == ["Balances.Reserved"]
    with pytest.raises(DispatchError) as e:
        currency.reserve(ALICE, 701)
    assert e.value.value == ("Module", {"index": 5, "error": bytes([2, 0, 0, 0])})  # InsufficientBalance
    assert not currency.can_reserve(ALICE, 300)  # would leave free < ED
    assert currency.unreserve(ALICE, 400) == 100
    assert info(ALICE).data == AccountData(free=1000, reserved=0) and info(ALICE).consumers == 0
    assert events[-1][1] == balances.Event.Unreserved(ALICE, 300)


def test_force_unreserve_is_root_only(events: list) -> None:
    endow(ALICE, 1000, events)
    currency.reserve(ALICE, 300)
    with pytest.raises(DispatchError):
        call("force_unreserve", signed(ALICE), who=("Id", ALICE), amount=300)
    call("force_unreserve", Origin.root(), who=("Id", ALICE), amount=100)
    assert currency.reserved_balance(ALICE) == 200


def test_a_reserve_cannot_take_the_providing_free_balance_below_ed(events: list) -> None:
    endow(ALICE, 1000, events)
    # Free would drop below ED while the reserve needs a consumer ref: the provider cannot go.
    with pytest.raises(DispatchError) as e:
        currency.reserve(ALICE, 600)
    assert e.value.value == "ConsumerRemaining"
    assert info(ALICE).data == AccountData(free=1000) and info(ALICE).consumers == 0


def test_named_reserves(events: list) -> None:
    endow(ALICE, 1000, events)
    currency.reserve_named(b"deposit1", ALICE, 100)
    currency.reserve_named(b"deposit0", ALICE, 50)
    currency.reserve_named(b"deposit1", ALICE, 20)
    assert [(r.id, r.amount) for r in currency.reserves(ALICE)] == [(b"deposit0", 50), (b"deposit1", 120)]
    assert currency.reserved_balance(ALICE) == 170
    assert currency.unreserve_named(b"deposit0", ALICE, 80) == 30
    assert [(r.id, r.amount) for r in currency.reserves(ALICE)] == [(b"deposit1", 120)]


def test_locks_reduce_the_usable_balance(events: list) -> None:
    endow(ALICE, 1000, events)
    currency.set_lock(b"staking ", ALICE, 600, WithdrawReasons.ALL)
    assert info(ALICE).data.frozen == 600 and info(ALICE).consumers == 1
    assert events[-1][1] == balances.Event.Locked(ALICE, 600)
    assert balances.Locks.get(ALICE) == [BalanceLock(b"staking ", 600, "All")]
    assert currency.usable_balance(ALICE) == 400
    with pytest.raises(DispatchError) as e:
        call("transfer_allow_death", signed(ALICE), dest=("Id", BOB), value=401)
    assert token_error(e) == ("Token", "Frozen")
    # The frozen amount is the largest lock, not the sum.
    currency.set_lock(b"vesting ", ALICE, 300, WithdrawReasons.TRANSFER)
    assert info(ALICE).data.frozen == 600
    currency.extend_lock(b"vesting ", ALICE, 800, WithdrawReasons.TRANSACTION_PAYMENT)
    assert info(ALICE).data.frozen == 800
    assert balances.Locks.get(ALICE)[1] == BalanceLock(b"vesting ", 800, "All")
    currency.remove_lock(b"vesting ", ALICE)
    assert events[-1][1] == balances.Event.Unlocked(ALICE, 200)
    currency.remove_lock(b"staking ", ALICE)
    assert info(ALICE).data.frozen == 0 and info(ALICE).consumers == 0
    assert not balances.Locks.contains_key(ALICE)


def test_frozen_is_the_largest_of_locks_and_freezes(events: list, monkeypatch: pytest.MonkeyPatch) -> None:
    # Subtensor's RuntimeFreezeReason has no variants; give Freezes a test reason to use.
    test_reason = NameEnum(("test", "FreezeReason"), ("someid",))
    monkeypatch.setattr(balances.Freezes, "value", bounded_vec(id_amount(test_reason)))
    endow(ALICE, 1000, events)
    currency.set_lock(b"staking ", ALICE, 300)
    fungible.set_freeze("someid", ALICE, 700)
    assert info(ALICE).data.frozen == 700
    assert events[-1][1] == balances.Event.Frozen(ALICE, 400)
    assert fungible.balance_frozen("someid", ALICE) == 700
    fungible.thaw("someid", ALICE)
    assert info(ALICE).data.frozen == 300
    assert events[-1][1] == balances.Event.Thawed(ALICE, 400)


def test_frozen_applies_to_free_plus_reserved(events: list) -> None:
    endow(ALICE, 1000, events)
    currency.reserve(ALICE, 400)
    currency.set_lock(b"staking ", ALICE, 500)
    # The reserve counts towards the lock (500 - 400 = 100 untouchable), but the account
    # holds a consumer ref, so its provider (ED) is untouchable too.
    assert currency.usable_balance(ALICE) == 600 - ED
    currency.set_lock(b"staking ", ALICE, 950)
    assert currency.usable_balance(ALICE) == 600 - (950 - 400)
    assert fungible.reducible_balance(ALICE, Preservation.EXPENDABLE, Fortitude.FORCE) == 600 - ED


# ---------------------------------------------------------------------------
# Root calls, burn, issuance


def test_force_set_balance_creates_and_kills(events: list) -> None:
    call("force_set_balance", Origin.root(), who=("Id", BOB), new_free=5000)
    assert event_names(events) == ["System.NewAccount", "Balances.Endowed", "Balances.Issued", "Balances.BalanceSet"]
    assert fungible.total_issuance() == 5000
    events.clear()
    call("force_set_balance", Origin.root(), who=("Id", BOB), new_free=ED - 1)  # below ED: wiped out
    assert event_names(events) == ["System.KilledAccount", "Balances.Rescinded", "Balances.BalanceSet"]
    assert events[-1][1] == balances.Event.BalanceSet(BOB, 0)
    assert fungible.total_issuance() == 0 and not system.account_exists(BOB)


def test_force_adjust_total_issuance(events: list) -> None:
    endow(ALICE, 1000, events)
    with pytest.raises(DispatchError) as e:
        call("force_adjust_total_issuance", Origin.root(), direction="Increase", delta=0)
    assert e.value.value == ("Module", {"index": 5, "error": bytes([11, 0, 0, 0])})  # DeltaZero
    call("force_adjust_total_issuance", Origin.root(), direction="Increase", delta=10)
    assert events[-1][1] == balances.Event.TotalIssuanceForced(1000, 1010)
    fungible.deactivate(900)
    with pytest.raises(DispatchError) as e:
        call("force_adjust_total_issuance", Origin.root(), direction="Decrease", delta=200)
    assert e.value.value == ("Module", {"index": 5, "error": bytes([10, 0, 0, 0])})  # IssuanceDeactivated
    call("force_adjust_total_issuance", Origin.root(), direction="Decrease", delta=110)
    assert fungible.total_issuance() == 900 and fungible.active_issuance() == 0


def test_burn_reduces_issuance(events: list) -> None:
    endow(ALICE, 1000, events)
    with pytest.raises(DispatchError) as e:
        call("burn", signed(ALICE), value=600, keep_alive=True)
    assert token_error(e) == ("Token", "FundsUnavailable")
    call("burn", signed(ALICE), value=400, keep_alive=True)
    assert events[-1][1] == balances.Event.Burned(ALICE, 400)
    call("burn", signed(ALICE), value=100, keep_alive=False)
    assert fungible.total_issuance() == 500 and fungible.balance(ALICE) == 500
    call("burn", signed(ALICE), value=200, keep_alive=False)
    # 300 left is dust: the account goes and issuance loses all 500.
    assert not system.account_exists(ALICE) and fungible.total_issuance() == 0


# ---------------------------------------------------------------------------
# The currency functions other pallets call


def test_deposit_and_withdraw_are_balanced_through_imbalances(events: list) -> None:
    endow(ALICE, 1000, events)
    credit = fungible.withdraw(ALICE, 300, Precision.EXACT, Preservation.PRESERVE, Fortitude.POLITE)
    assert events[-1][1] == balances.Event.Withdraw(ALICE, 300)
    assert fungible.total_issuance() == 1000  # nothing settled yet
    assert fungible.resolve(BOB, credit) is not None  # 300 < ED cannot open Bob's account
    credit.drop()  # so it is burned
    assert fungible.total_issuance() == 700
    debt = fungible.deposit(ALICE, 50, Precision.EXACT)
    assert events[-1][1] == balances.Event.Deposit(ALICE, 50)
    debt.drop()
    assert fungible.total_issuance() == 750
    with pytest.raises(DispatchError) as e:
        fungible.withdraw(ALICE, 300, Precision.EXACT, Preservation.PRESERVE, Fortitude.POLITE)
    assert token_error(e) == ("Token", "FundsUnavailable")


def test_legacy_currency_deposit_creating_and_withdraw(events: list) -> None:
    imbalance = currency.deposit_creating(BOB, ED - 1)
    assert imbalance.peek() == 0 and not system.account_exists(BOB)
    currency.deposit_creating(BOB, 1000).drop()
    assert fungible.total_issuance() == 1000
    # `Deposit` is deposited inside the account mutation, before System creates the account.
    assert event_names(events) == ["Balances.Deposit", "System.NewAccount", "Balances.Endowed", "Balances.Issued"]
    with pytest.raises(DispatchError) as e:
        currency.withdraw(BOB, 600, WithdrawReasons.TRANSFER, "KeepAlive")
    assert e.value.value == ("Module", {"index": 5, "error": bytes([4, 0, 0, 0])})  # Expendability
    currency.withdraw(BOB, 100, WithdrawReasons.TRANSFER, "KeepAlive").drop()
    assert fungible.total_issuance() == 900
    with pytest.raises(DispatchError) as e:
        currency.deposit_into_existing(CHARLIE, 1000)
    assert e.value.value == ("Module", {"index": 5, "error": bytes([6, 0, 0, 0])})  # DeadAccount


def test_legacy_transfer_keep_alive(events: list) -> None:
    endow(ALICE, 1000, events)
    endow(BOB, 1000, events)
    with pytest.raises(DispatchError):
        currency.transfer(ALICE, BOB, 600, "KeepAlive")
    currency.transfer(ALICE, BOB, 600, "AllowDeath")
    assert not system.account_exists(ALICE)
    # Alice's 400 left are dust: burned, so issuance is Bob's 1600 alone.
    assert balances.Event.DustLost(ALICE, 400) in [e for _, e in events]
    assert fungible.total_issuance() == 1600 and fungible.balance(BOB) == 1600


# Dust on the Currency path (impl_currency.rs): every change goes through
# `try_mutate_account_handling_dust`, so an account left below ED is reaped (`KilledAccount`,
# `DustLost`) and its dust is burned at once (`DustRemoval = ()`), before the imbalance the
# call returns is settled. Bob's account keeps total issuance from reaching zero.


def test_currency_withdraw_allow_death_burns_the_dust(events: list) -> None:
    endow(ALICE, 1000, events)
    endow(BOB, 1000, events)
    imbalance = currency.withdraw(ALICE, 700, WithdrawReasons.TRANSFER, "AllowDeath")
    assert event_names(events) == ["Balances.Withdraw", "System.KilledAccount", "Balances.DustLost"]
    assert events[2][1] == balances.Event.DustLost(ALICE, 300)
    assert not system.account_exists(ALICE)
    assert fungible.total_issuance() == 2000 - 300  # the dust is gone already
    assert imbalance.peek() == 700
    imbalance.drop()
    assert events[-1][1] == balances.Event.Rescinded(700)
    assert fungible.total_issuance() == 1000 == fungible.balance(BOB)


def test_currency_slash_burns_the_dust(events: list) -> None:
    endow(ALICE, 1000, events)
    endow(BOB, 1000, events)
    imbalance, remaining = currency.slash(ALICE, 700)
    assert (imbalance.peek(), remaining) == (700, 0)
    assert event_names(events) == ["System.KilledAccount", "Balances.DustLost", "Balances.Slashed"]
    assert events[1][1] == balances.Event.DustLost(ALICE, 300)
    assert events[2][1] == balances.Event.Slashed(ALICE, 700)
    assert fungible.total_issuance() == 1700
    imbalance.drop()
    assert fungible.total_issuance() == 1000


def test_currency_make_free_balance_be_below_ed_reaps_and_burns(events: list) -> None:
    endow(ALICE, 1000, events)
    endow(BOB, 1000, events)
    imbalance = currency.make_free_balance_be(ALICE, 300)
    assert isinstance(imbalance, currency.NegativeImbalance) and imbalance.peek() == 700
    assert event_names(events) == ["Balances.BalanceSet", "System.KilledAccount", "Balances.DustLost"]
    assert events[2][1] == balances.Event.DustLost(ALICE, 300)
    assert not system.account_exists(ALICE)
    assert fungible.total_issuance() == 1700
    imbalance.drop()
    assert fungible.total_issuance() == 1000


def test_currency_withdraw_of_everything_leaves_no_dust(events: list) -> None:
    endow(ALICE, 1000, events)
    endow(BOB, 1000, events)
    currency.withdraw(ALICE, 1000, WithdrawReasons.TRANSFER, "AllowDeath").drop()
    assert "Balances.DustLost" not in event_names(events)
    assert not system.account_exists(ALICE) and fungible.total_issuance() == 1000


def test_repatriate_reserved(events: list) -> None:
    endow(ALICE, 1000, events)
    endow(BOB, 1000, events)
    currency.reserve(ALICE, 300)
    assert currency.repatriate_reserved(ALICE, BOB, 500, "Free") == 200
    assert events[-1][1] == balances.Event.ReserveRepatriated(ALICE, BOB, 300, "Free")
    assert fungible.balance(BOB) == 1300 and currency.reserved_balance(ALICE) == 0


# ---------------------------------------------------------------------------
# Genesis, against a real runtime's genesis storage


def test_genesis_writes_what_the_real_runtime_writes(events: list) -> None:
    path = vectors_dir() / "oracle" / "genesis" / "auradev_spec293_genesis_storage_from_genesisbuilder.json"
    top = {bytes.fromhex(k[2:]): bytes.fromhex(v[2:]) for k, v in json.loads(path.read_text())["top"].items()}
    account_prefix = storage_prefix("System", "Account")
    real_accounts = {k[len(account_prefix) + 16:]: v for k, v in top.items() if k.startswith(account_prefix)}
    entries = [[who, ACCOUNT_INFO.decode_all(raw).data.free] for who, raw in sorted(real_accounts.items())]
    balances.pallet.genesis_build({"balances": entries})
    from pysubtensor.primitives.externalities import current

    ext = current()
    assert ext.get(balances.TotalIssuance.storage_key) == top[balances.TotalIssuance.storage_key]
    for who, raw in real_accounts.items():
        assert ext.get(system.pallet.storage_items[0].hashed_key(who)) == raw
    # The pallet's storage version (frame-support writes it under `:__STORAGE_VERSION__:`).
    version_key = storage_prefix("Balances", ":__STORAGE_VERSION__:")
    assert top[version_key] == balances.STORAGE_VERSION.to_bytes(2, "little")


def test_genesis_refuses_balances_below_ed(events: list) -> None:
    with pytest.raises(ValueError):
        balances.pallet.genesis_build({"balances": [[ALICE, ED - 1]]})
    with pytest.raises(ValueError):
        balances.pallet.genesis_build({"balances": [[ALICE, ED], [ALICE, ED]]})


def test_account_data_default_is_new_logic() -> None:
    assert ACCOUNT_DATA.encode(AccountData()) == bytes(24) + IS_NEW_LOGIC.to_bytes(16, "little")
