"""SafeMode: declarations against the real spec-381 metadata, the runtime's base call filter,
and scenarios ported from pallet_safe_mode's own tests (substrate/frame/safe-mode/src/tests.rs,
named in each test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.safe_mode as safe_mode
import pysubtensor.pallets.system as system
import pysubtensor.runtime  # noqa: F401  (binds every pallet's Config)
from pysubtensor.pallets.balances import fungible, holds
from pysubtensor.pallets.safe_mode import Event
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.pallets.system.pallet import Number
from pysubtensor.primitives import externalities
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.runtime import construct
from pysubtensor.runtime.base_call_filter import no_nesting, safe_mode_whitelisted
from tests.support.events import capture_events
from tests.support.metadata import DEVNET_381, RUNTIME_WIDE, assert_pallet_matches, summary_pallet
from tests.support.state import DictBackend


def test_safe_mode_metadata_equals_spec_381() -> None:
    assert_pallet_matches(safe_mode.pallet, DEVNET_381, stop=RUNTIME_WIDE)
    s = summary_pallet("SafeMode")
    assert (s["calls"], s["events"], s["errors"], s["storage"], s["constants"]) == (8, 8, 7, 2, 5)


# ---------------------------------------------------------------------------
# Scenarios

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
REASON = ("SafeMode", "EnterOrExtend")
TRANSFER = ("Balances", ("transfer_keep_alive", {"dest": ("Id", BOB), "value": 10**9}))
#: The pallet's mock (tests.rs `mock.rs`): deposits and durations configured.
MOCK = {"enter_duration": 7, "extend_duration": 30, "enter_deposit_amount": 100, "extend_deposit_amount": 100,
        "release_delay": 20, "force_enter_duration": 11, "force_extend_duration": 13}


@pytest.fixture
def events() -> Iterator[list[tuple[str, Any]]]:
    with capture_events(system.pallet, balances.pallet, safe_mode.pallet) as collected, \
            using(Externalities(DictBackend())):
        Number.put(1)
        fungible.mint_into(ALICE, 100 * 10**9)
        fungible.mint_into(BOB, 100 * 10**9)
        collected.clear()
        yield collected


@pytest.fixture
def mock(events: list) -> Iterator[list]:
    with safe_mode.pallet.bound(**MOCK):
        yield events


def call(origin: Origin, name: str, **args: Any) -> Any:
    """Dispatch in a storage layer of its own, as every FRAME call runs (a failure keeps nothing)."""
    with externalities.current().transaction():
        return safe_mode.pallet.dispatch(origin, (name, args))


def run_to(n: int) -> None:
    for b in range(Number.get() + 1, n + 1):
        Number.put(b)
        safe_mode.on_initialize(b)


def sm_events(events: list) -> list[Any]:
    return [e for p, e in events if p == "SafeMode"]


def test_runtime_disables_the_permissionless_paths(events: list) -> None:
    """Subtensor's Config: no deposit amounts, so `enter`/`extend` are `NotConfigured`, and
    no release delay, so `release_deposit` is too; Root enters for 7200 blocks, extends by 3600."""
    with pytest.raises(safe_mode.Error.NotConfigured):
        call(Origin.signed(ALICE), "enter")
    call(Origin.root(), "force_enter")
    assert safe_mode.EnteredUntil.get() == 1 + 7200
    with pytest.raises(safe_mode.Error.NotConfigured):
        call(Origin.signed(ALICE), "extend")
    call(Origin.root(), "force_extend")
    assert safe_mode.EnteredUntil.get() == 1 + 7200 + 3600
    with pytest.raises(BadOrigin):
        call(Origin.signed(ALICE), "force_exit")
    call(Origin.root(), "force_exit")
    assert sm_events(events) == [Event.Entered(7201), Event.Extended(10801), Event.Exited("Force")]


def test_can_activate(mock: list) -> None:
    """tests.rs `can_activate`: the deposit is held and recorded at the entering block."""
    call(Origin.signed(ALICE), "enter")
    assert safe_mode.EnteredUntil.get() == 1 + 7
    assert holds.balance_on_hold(REASON, ALICE) == 100
    assert safe_mode.Deposits.get(ALICE, 1) == 100
    with pytest.raises(safe_mode.Error.Entered):
        call(Origin.signed(BOB), "enter")
    assert sm_events(mock) == [Event.DepositPlaced(ALICE, 100), Event.Entered(8)]


def test_cannot_extend_or_force_extend_when_exited(mock: list) -> None:
    """tests.rs `fails_to_extend_if_not_activated` / `fails_to_force_extend_if_not_activated`."""
    with pytest.raises(safe_mode.Error.Exited):
        call(Origin.signed(ALICE), "extend")
    with pytest.raises(safe_mode.Error.Exited):
        call(Origin.root(), "force_extend")
    with pytest.raises(safe_mode.Error.Exited):
        call(Origin.root(), "force_exit")


def test_can_automatically_deactivate_after_timeout(mock: list) -> None:
    """tests.rs `can_automatically_deactivate_after_timeout`: entered until block 8 inclusive."""
    call(Origin.root(), "force_enter")
    run_to(12)
    assert safe_mode.is_entered()
    run_to(13)
    assert not safe_mode.is_entered()
    assert sm_events(mock)[-1] == Event.Exited("Timeout")


def test_extend_accumulates_and_one_deposit_per_account(mock: list) -> None:
    """tests.rs `can_extend` / `fails_to_extend_if_already_deposited`-like: extensions add up,
    an account holding a deposit cannot enter or extend again."""
    call(Origin.signed(ALICE), "enter")
    call(Origin.signed(BOB), "extend")
    assert safe_mode.EnteredUntil.get() == 1 + 7 + 30
    with pytest.raises(safe_mode.Error.AlreadyDeposited):
        call(Origin.signed(ALICE), "extend")


def test_can_release_deposit_after_delay(mock: list) -> None:
    """tests.rs `can_release_independent_deposits_with_release_delay`: not while entered, not
    before `block + ReleaseDelay`, then the whole deposit comes back."""
    call(Origin.signed(ALICE), "enter")
    with pytest.raises(safe_mode.Error.Entered):
        call(Origin.signed(BOB), "release_deposit", account=ALICE, block=1)
    call(Origin.root(), "force_exit")
    with pytest.raises(safe_mode.Error.CannotReleaseYet):
        call(Origin.signed(BOB), "release_deposit", account=ALICE, block=1)
    assert safe_mode.Deposits.get(ALICE, 1) == 100  # the failed call changed nothing
    Number.put(22)
    with pytest.raises(safe_mode.Error.NoDeposit):
        call(Origin.signed(BOB), "release_deposit", account=ALICE, block=2)
    call(Origin.signed(BOB), "release_deposit", account=ALICE, block=1)
    assert holds.balance_on_hold(REASON, ALICE) == 0 and safe_mode.Deposits.get(ALICE, 1) is None
    assert fungible.balance(ALICE) == 100 * 10**9
    assert sm_events(mock)[-1] == Event.DepositReleased(ALICE, 100)


def test_can_force_release_and_slash_deposit_while_entered(mock: list) -> None:
    """tests.rs `can_force_release_deposit_with_config` / `can_slash_deposit_while_entered`."""
    call(Origin.signed(ALICE), "enter")
    call(Origin.signed(BOB), "extend")
    issuance = balances.TotalIssuance.get()
    with pytest.raises(BadOrigin):
        call(Origin.signed(ALICE), "force_release_deposit", account=ALICE, block=1)
    call(Origin.root(), "force_release_deposit", account=ALICE, block=1)
    assert fungible.balance(ALICE) == 100 * 10**9
    call(Origin.root(), "force_slash_deposit", account=BOB, block=1)
    assert holds.balance_on_hold(REASON, BOB) == 0 and fungible.balance(BOB) == 100 * 10**9 - 100
    assert balances.TotalIssuance.get() == issuance - 100
    assert sm_events(mock)[-2:] == [Event.DepositReleased(ALICE, 100), Event.DepositSlashed(BOB, 100)]


def test_can_filter_balance_calls_when_activated(events: list) -> None:
    """tests.rs `can_filter_balance_calls_when_activated`, through the runtime's dispatcher:
    while entered a signed transfer is `CallFiltered`; the whitelist (Sudo, System, SafeMode,
    Timestamp, set_weights, serve_axon) and Root pass; after exit the transfer works."""
    call(Origin.root(), "force_enter")
    with pytest.raises(system.pallet.Error.CallFiltered):
        construct.dispatch(Origin.signed(ALICE), TRANSFER)
    construct.dispatch(Origin.signed(ALICE), ("System", ("remark", {"remark": b"ok"})))
    force = ("Balances", ("force_transfer", {"source": ("Id", ALICE), "dest": ("Id", BOB), "value": 10**9}))
    construct.dispatch(Origin.root(), force)  # Root is not filtered
    assert safe_mode_whitelisted(("SubtensorModule", ("set_weights", {})))
    assert not safe_mode_whitelisted(("SubtensorModule", ("add_stake", {})))
    assert safe_mode_whitelisted(("Sudo", ("sudo", {})))
    call(Origin.root(), "force_exit")
    construct.dispatch(Origin.signed(ALICE), TRANSFER)
    assert fungible.balance(BOB) == 100 * 10**9 + 2 * 10**9


def test_no_nesting_call_filter() -> None:
    """runtime base_call_filter.rs `NoNestingCallFilter`."""
    remark = ("System", ("remark", {"remark": b""}))
    batch = ("Utility", ("batch", {"calls": [remark]}))
    assert no_nesting(batch)
    assert not no_nesting(("Utility", ("batch_all", {"calls": [remark, batch]})))
    assert not no_nesting(("Utility", ("force_batch", {"calls": [("Sudo", ("sudo", {"call": remark}))]})))
    sched = {"when": 5, "maybe_periodic": None, "priority": 0}
    assert no_nesting(("Scheduler", ("schedule", {**sched, "call": remark})))
    assert not no_nesting(("Scheduler", ("schedule", {**sched, "call": batch})))
    assert no_nesting(("Sudo", ("sudo", {"call": batch})))  # Sudo is not a carrier


def test_nested_batch_is_filtered_by_the_runtime(events: list) -> None:
    """The runtime's `InsideBoth<SafeMode, NoNestingCallFilter>`: a signed batch holding a batch
    is `CallFiltered` (a flat one runs); Root is not filtered."""
    remark = ("System", ("remark", {"remark": b""}))
    nested = ("Utility", ("batch", {"calls": [("Utility", ("batch", {"calls": [remark]}))]}))
    with pytest.raises(system.pallet.Error.CallFiltered):
        construct.dispatch(Origin.signed(ALICE), nested)
    construct.dispatch(Origin.signed(ALICE), ("Utility", ("batch", {"calls": [remark]})))
    construct.dispatch(Origin.root(), nested)
