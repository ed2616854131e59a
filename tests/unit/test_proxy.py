"""Proxy: declarations against spec 381's metadata; the runtime's `ProxyType` filter; and
scenarios ported from subtensor's pallets/proxy/src/tests.rs (each names its Rust test),
run on the composed runtime (Balances, Utility, Proxy; inner calls through the runtime's
dispatch with its base call filter).

The Rust mock has its own proxy types and deposits of 1; these run with the runtime's:
`Transfer` plays the mock's `JustTransfer`, `NonTransfer` its `JustUtility` (both allow
Utility and refuse Balances), and amounts are the runtime's deposits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.multisig as multisig
import pysubtensor.pallets.proxy as proxy
import pysubtensor.pallets.system as system
import pysubtensor.pallets.utility as utility
import pysubtensor.runtime  # noqa: F401  (composes and binds the pallets)
from pysubtensor.pallets.balances import currency, fungible
from pysubtensor.pallets.proxy import Announcements, Constants, Event, LastCallResult, Proxies
from pysubtensor.pallets.proxy.types import PROXY_TYPES, Announcement, ProxyDefinition
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import DispatchError, Origin, Pays, PostDispatchInfo
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.runtime import construct
from pysubtensor.runtime.proxy_filter import filter_call, is_superset
from tests.support.frame import frame_env
from tests.support.metadata import DEVNET_381, assert_pallet_matches, summary_pallet

TAO = 1_000_000_000
ED = balances.pallet.Constants.ExistentialDeposit


def acct(n: int) -> bytes:
    """The Rust tests' `u64` account `n`, as an AccountId32."""
    return n.to_bytes(32, "little")


def module_error(pallet_name: str, error_name: str) -> tuple:
    """The `Module` dispatch error spec 381 gives `pallet_name`'s `error_name`."""
    p = summary_pallet(pallet_name)
    (index,) = [i for i, n in p["error_list"] if n == error_name]
    return ("Module", {"index": p["index"], "error": bytes((index, 0, 0, 0))})


CALL_FILTERED = module_error("System", "CallFiltered")


# ---------------------------------------------------------------------------
# Declarations


def test_proxy_metadata_is_spec_381s() -> None:
    """Calls, events, errors (with docs), storage (hashers, defaults), constants with the
    runtime's values, associated types."""
    assert_pallet_matches(proxy.pallet, DEVNET_381)


def test_names_and_indices_follow_the_spec_381_summary() -> None:
    summary = summary_pallet("Proxy")
    assert summary["index"] == 16
    assert summary["call_list"] == [{"index": v.index, "name": v.name, "fields": [f.name for f in v.fields]}
                                    for v in proxy.pallet.call_enum.variants]
    assert summary["event_list"] == [[v.index, v.name] for v in proxy.pallet.event_enum.variants]
    assert summary["error_list"] == [[v.index, v.name] for v in proxy.pallet.error_enum.variants]


def test_constants_are_the_runtime_deposits() -> None:
    # deposit(items, bytes) = items * 0.02 TAO + bytes * 0.001 TAO.
    assert (Constants.ProxyDepositBase, Constants.ProxyDepositFactor) == (60_000_000, 33_000_000)
    assert (Constants.AnnouncementDepositBase, Constants.AnnouncementDepositFactor) == (36_000_000, 68_000_000)
    assert (Constants.MaxProxies, Constants.MaxPending) == (20, 75)


# ---------------------------------------------------------------------------
# The runtime's InstanceFilter


def rc(pallet_name: str, call_name: str, **args: Any) -> tuple:
    return (pallet_name, (call_name, args))


TRANSFER = rc("Balances", "transfer_keep_alive", dest=("Id", acct(6)), value=TAO)
SMALL = rc("Balances", "transfer_allow_death", dest=("Id", acct(6)), value=499_999_999)
ADD_STAKE = rc("SubtensorModule", "add_stake", hotkey=acct(2), netuid=1, amount_staked=TAO)
REGISTER = rc("SubtensorModule", "burned_register", netuid=1, hotkey=acct(2))
SET_CODE_AS_ROOT = rc("Sudo", "sudo_unchecked_weight", call=rc("System", "set_code", code=b""),
                      weight={"ref_time": 0, "proof_size": 0})


CALLS = {"transfer": TRANSFER, "small": SMALL, "add_stake": ADD_STAKE, "register": REGISTER,
         "set_code_as_root": SET_CODE_AS_ROOT}


@pytest.mark.parametrize(("proxy_type", "allowed"), [
    ("Any", {"transfer", "small", "add_stake", "register", "set_code_as_root"}),
    ("NonTransfer", {"add_stake", "register", "set_code_as_root"}),
    ("NonFungible", {"set_code_as_root"}),
    ("Transfer", {"transfer", "small"}),
    ("SmallTransfer", {"small"}),
    ("Staking", {"add_stake"}),
    ("Registration", {"register"}),
    ("NonCritical", {"transfer", "small", "add_stake"}),
    ("SudoUncheckedSetCode", {"set_code_as_root"}),
    ("Owner", set()), ("Senate", set()), ("Triumvirate", set()), ("Governance", set()), ("RootWeights", set()),
])
def test_instance_filter_classifies_calls_by_proxy_type(proxy_type: str, allowed: set) -> None:
    """runtime/src/lib.rs `impl InstanceFilter<RuntimeCall> for ProxyType`; SubtensorModule
    calls not implemented here (add_stake) are classified by name."""
    assert {name for name, c in CALLS.items() if filter_call(proxy_type, c)} == allowed


def test_small_transfer_limit_is_half_a_tao() -> None:
    big = rc("Balances", "transfer_allow_death", dest=("Id", acct(6)), value=500_000_000)
    assert filter_call("SmallTransfer", SMALL) and not filter_call("SmallTransfer", big)
    assert filter_call("SmallTransfer", rc("SubtensorModule", "transfer_stake", alpha_amount=499_999_999))
    assert not filter_call("SmallTransfer", rc("SubtensorModule", "transfer_stake", alpha_amount=500_000_000))


def test_owner_may_not_set_the_subnet_owner_hotkey() -> None:
    assert filter_call("Owner", rc("AdminUtils", "sudo_set_kappa", netuid=1, kappa=3))
    assert not filter_call("Owner", rc("AdminUtils", "sudo_set_sn_owner_hotkey", netuid=1, hotkey=acct(1)))
    assert filter_call("Owner", rc("SubtensorModule", "set_subnet_identity"))


def test_is_superset() -> None:
    assert all(is_superset("Any", t) for t in PROXY_TYPES)
    assert not any(is_superset(t, "Any") for t in PROXY_TYPES if t != "Any")
    assert is_superset("NonTransfer", "Staking") and not is_superset("NonTransfer", "Transfer")
    assert not is_superset("NonTransfer", "SmallTransfer")
    assert is_superset("Transfer", "SmallTransfer") and not is_superset("SmallTransfer", "Transfer")
    assert not is_superset("Staking", "Registration")


# ---------------------------------------------------------------------------
# Scenarios (new_test_ext: accounts 1..4 endowed, block 1)


@pytest.fixture
def ext() -> Iterator[Externalities]:
    with frame_env(balances.pallet, utility.pallet, multisig.pallet, proxy.pallet) as ext:
        system.pallet.Storage.Number.put(1)
        for n in (1, 2, 3, 4):
            fungible.mint_into(acct(n), 10 * TAO)
        system.reset_events()
        yield ext


def call_transfer(dest: int, value: int) -> tuple:
    return rc("Balances", "transfer_allow_death", dest=("Id", acct(dest)), value=value)


def run(origin: Origin, name: str, **args: Any) -> PostDispatchInfo:
    """`Proxy::name(origin, ...)`: the call's function in a storage layer, as Rust tests call it."""
    result = dispatch_in_layer(lambda o, c, bypass_filter: proxy.pallet.dispatch(o, c), origin, (name, args))
    if isinstance(result, DispatchError):
        raise result
    return result


def state(ext: Externalities) -> dict[bytes, bytes | None]:
    return {k: ext.get(k) for k in ext.keys_with_prefix(b"")}


def noop(ext: Externalities, origin: Origin, name: str, **args: Any) -> Any:
    """`assert_noop!`: the error the call fails with; nothing changed."""
    before = state(ext)
    with pytest.raises(DispatchError) as e:
        run(origin, name, **args)
    assert state(ext) == before
    return e.value.value


def signed(n: int) -> Origin:
    return Origin.signed(acct(n))


def add(n: int, delegate: int, proxy_type: str, delay: int) -> None:
    run(signed(n), "add_proxy", delegate=("Id", acct(delegate)), proxy_type=proxy_type, delay=delay)


def events() -> list[tuple[str, Any]]:
    return [r.event for r in system.read_events()]


def last_event() -> tuple[str, Any]:
    return events()[-1]


def reserved(n: int) -> int:
    return currency.reserved_balance(acct(n))


def announcement_deposit(n: int) -> int:
    return Constants.AnnouncementDepositBase + Constants.AnnouncementDepositFactor * n


def test_announcement_works(ext) -> None:
    """tests.rs `announcement_works` (MaxPending is the runtime's 75, not the mock's 2)."""
    add(1, 3, "Any", 1)
    assert last_event() == ("Proxy", Event.ProxyAdded(acct(1), acct(3), "Any", 1))
    add(2, 3, "Any", 1)
    assert reserved(3) == 0
    run(signed(3), "announce", real=("Id", acct(1)), call_hash=bytes([1] * 32))
    pending, held = Announcements.get(acct(3))
    assert pending == [Announcement(acct(1), bytes([1] * 32), 1)]
    assert reserved(3) == held == announcement_deposit(1)
    assert last_event() == ("Proxy", Event.Announced(acct(1), acct(3), bytes([1] * 32)))
    run(signed(3), "announce", real=("Id", acct(2)), call_hash=bytes([2] * 32))
    pending, held = Announcements.get(acct(3))
    assert pending == [Announcement(acct(1), bytes([1] * 32), 1), Announcement(acct(2), bytes([2] * 32), 1)]
    assert reserved(3) == held == announcement_deposit(2)
    for i in range(3, Constants.MaxPending + 1):
        run(signed(3), "announce", real=("Id", acct(2)), call_hash=bytes([i] * 32))
    assert noop(ext, signed(3), "announce", real=("Id", acct(2)), call_hash=bytes(32)) == \
        module_error("Proxy", "TooMany")


def announce_two(ext) -> None:
    add(1, 3, "Any", 1)
    add(2, 3, "Any", 1)
    run(signed(3), "announce", real=("Id", acct(1)), call_hash=bytes([1] * 32))
    run(signed(3), "announce", real=("Id", acct(2)), call_hash=bytes([2] * 32))


def test_remove_announcement_works(ext) -> None:
    """tests.rs `remove_announcement_works`."""
    announce_two(ext)
    assert noop(ext, signed(3), "remove_announcement", real=("Id", acct(1)), call_hash=bytes(32)) == \
        module_error("Proxy", "NotFound")
    run(signed(3), "remove_announcement", real=("Id", acct(1)), call_hash=bytes([1] * 32))
    pending, held = Announcements.get(acct(3))
    assert pending == [Announcement(acct(2), bytes([2] * 32), 1)]
    assert reserved(3) == held == announcement_deposit(1)


def test_reject_announcement_works(ext) -> None:
    """tests.rs `reject_announcement_works`; rejecting the last announcement removes the
    entry and returns the whole deposit."""
    announce_two(ext)
    assert noop(ext, signed(1), "reject_announcement", delegate=("Id", acct(3)), call_hash=bytes(32)) == \
        module_error("Proxy", "NotFound")
    assert noop(ext, signed(4), "reject_announcement", delegate=("Id", acct(3)), call_hash=bytes([1] * 32)) == \
        module_error("Proxy", "NotFound")
    run(signed(1), "reject_announcement", delegate=("Id", acct(3)), call_hash=bytes([1] * 32))
    pending, held = Announcements.get(acct(3))
    assert pending == [Announcement(acct(2), bytes([2] * 32), 1)]
    assert reserved(3) == held == announcement_deposit(1)
    run(signed(2), "reject_announcement", delegate=("Id", acct(3)), call_hash=bytes([2] * 32))
    assert not Announcements.contains_key(acct(3)) and reserved(3) == 0


def test_announcer_must_be_proxy(ext) -> None:
    """tests.rs `announcer_must_be_proxy`."""
    assert noop(ext, signed(2), "announce", real=("Id", acct(1)), call_hash=bytes(32)) == \
        module_error("Proxy", "NotProxy")


def test_calling_proxy_doesnt_remove_announcement(ext) -> None:
    """tests.rs `calling_proxy_doesnt_remove_announcement`."""
    add(1, 2, "Any", 0)
    call = call_transfer(6, TAO)
    call_hash = proxy.call_hash(call)
    run(signed(2), "announce", real=("Id", acct(1)), call_hash=call_hash)
    run(signed(2), "proxy", real=("Id", acct(1)), force_proxy_type=None, call=call)
    assert Announcements.get(acct(2))[0] == [Announcement(acct(1), call_hash, 1)]


def test_delayed_requires_pre_announcement(ext) -> None:
    """tests.rs `delayed_requires_pre_announcement`."""
    add(1, 2, "Any", 1)
    call = call_transfer(6, TAO)
    assert noop(ext, signed(2), "proxy", real=("Id", acct(1)), force_proxy_type=None, call=call) == \
        module_error("Proxy", "Unannounced")
    assert noop(ext, signed(0), "proxy_announced", delegate=("Id", acct(2)), real=("Id", acct(1)),
                force_proxy_type=None, call=call) == module_error("Proxy", "Unannounced")
    run(signed(2), "announce", real=("Id", acct(1)), call_hash=proxy.call_hash(call))
    system.pallet.Storage.Number.put(2)
    run(signed(0), "proxy_announced", delegate=("Id", acct(2)), real=("Id", acct(1)), force_proxy_type=None,
        call=call)
    assert currency.free_balance(acct(6)) == TAO


def test_proxy_announced_removes_announcement_and_returns_deposit(ext) -> None:
    """tests.rs `proxy_announced_removes_announcement_and_returns_deposit`."""
    add(1, 3, "Any", 1)
    add(2, 3, "Any", 1)
    call = call_transfer(6, TAO)
    call_hash = proxy.call_hash(call)
    run(signed(3), "announce", real=("Id", acct(1)), call_hash=call_hash)
    run(signed(3), "announce", real=("Id", acct(2)), call_hash=call_hash)
    # Too early to execute the announced call.
    assert noop(ext, signed(0), "proxy_announced", delegate=("Id", acct(3)), real=("Id", acct(1)),
                force_proxy_type=None, call=call) == module_error("Proxy", "Unannounced")
    system.pallet.Storage.Number.put(2)
    run(signed(0), "proxy_announced", delegate=("Id", acct(3)), real=("Id", acct(1)), force_proxy_type=None,
        call=call)
    pending, held = Announcements.get(acct(3))
    assert pending == [Announcement(acct(2), call_hash, 1)]
    assert reserved(3) == held == announcement_deposit(1)


def test_filtering_works(ext) -> None:
    """tests.rs `filtering_works`: 2 is an `Any` proxy of 1, 3 a `Transfer` (mock:
    JustTransfer) and 4 a `NonTransfer` (mock: JustUtility) one."""
    fungible.mint_into(acct(1), 1000 * TAO)
    add(1, 2, "Any", 0)
    add(1, 3, "Transfer", 0)
    add(1, 4, "NonTransfer", 0)
    ok = ("Proxy", Event.ProxyExecuted(("Ok", ())))
    filtered = ("Proxy", Event.ProxyExecuted(("Err", CALL_FILTERED)))

    def via(n: int, call: Any) -> None:
        system.reset_events()
        run(signed(n), "proxy", real=("Id", acct(1)), force_proxy_type=None, call=call)

    transfer = call_transfer(6, TAO)
    for n, outcome in ((2, ok), (3, ok), (4, filtered)):
        via(n, transfer)
        assert last_event() == outcome
    fungible.mint_into(utility.derivative_account_id(acct(1), 0), 1000 * TAO)
    derivative = rc("Utility", "as_derivative", index=0, call=transfer)
    for n, outcome in ((2, ok), (3, filtered), (4, filtered)):
        via(n, derivative)
        assert last_event() == outcome

    batch = rc("Utility", "batch", calls=[transfer])
    via(2, batch)
    assert events()[-2:] == [("Utility", utility.Event.BatchCompleted()), ok]
    via(3, batch)
    assert last_event() == filtered
    via(4, batch)
    assert events()[-2:] == [("Utility", utility.Event.BatchInterrupted(0, CALL_FILTERED)), ok]

    # A proxy may not add a proxy with more rights than its own.
    batch = rc("Utility", "batch", calls=[rc("Proxy", "add_proxy", delegate=("Id", acct(5)), proxy_type="Any",
                                             delay=0)])
    via(2, batch)
    assert events()[-2:] == [("Utility", utility.Event.BatchCompleted()), ok]
    via(3, batch)
    assert last_event() == filtered
    via(4, batch)
    assert events()[-2:] == [("Utility", utility.Event.BatchInterrupted(0, CALL_FILTERED)), ok]

    # Only a proxy of the default (most permissive) type may remove all proxies.
    remove_all = rc("Proxy", "remove_proxies")
    for n in (3, 4):
        via(n, remove_all)
        assert last_event() == filtered
    via(2, remove_all)
    assert events()[-2:] == [("Balances", balances.Event.Unreserved(acct(1), proxy.deposit(4))), ok]
    assert reserved(1) == 0 and not Proxies.contains_key(acct(1))


def test_add_remove_proxies_works(ext) -> None:
    """tests.rs `add_remove_proxies_works` (MaxProxies is the runtime's 20)."""
    add(1, 2, "Any", 0)
    assert noop(ext, signed(1), "add_proxy", delegate=("Id", acct(2)), proxy_type="Any", delay=0) == \
        module_error("Proxy", "Duplicate")
    assert reserved(1) == proxy.deposit(1)
    add(1, 2, "Transfer", 0)
    assert reserved(1) == proxy.deposit(2)
    add(1, 3, "Any", 0)
    assert reserved(1) == proxy.deposit(3)
    add(1, 4, "NonTransfer", 0)
    assert reserved(1) == proxy.deposit(4)
    # Kept sorted by (delegate, proxy type, delay).
    assert Proxies.get(acct(1))[0] == [ProxyDefinition(acct(2), "Any", 0), ProxyDefinition(acct(2), "Transfer", 0),
                                       ProxyDefinition(acct(3), "Any", 0), ProxyDefinition(acct(4), "NonTransfer", 0)]
    for delay in range(1, Constants.MaxProxies - 3):
        add(1, 4, "Any", delay)
    assert noop(ext, signed(1), "add_proxy", delegate=("Id", acct(4)), proxy_type="Any", delay=0) == \
        module_error("Proxy", "TooMany")
    for delay in range(1, Constants.MaxProxies - 3):
        run(signed(1), "remove_proxy", delegate=("Id", acct(4)), proxy_type="Any", delay=delay)
    assert noop(ext, signed(1), "remove_proxy", delegate=("Id", acct(3)), proxy_type="Transfer", delay=0) == \
        module_error("Proxy", "NotFound")
    run(signed(1), "remove_proxy", delegate=("Id", acct(4)), proxy_type="NonTransfer", delay=0)
    assert last_event() == ("Proxy", Event.ProxyRemoved(acct(1), acct(4), "NonTransfer", 0))
    assert reserved(1) == proxy.deposit(3)
    run(signed(1), "remove_proxy", delegate=("Id", acct(3)), proxy_type="Any", delay=0)
    assert reserved(1) == proxy.deposit(2)
    run(signed(1), "remove_proxy", delegate=("Id", acct(2)), proxy_type="Any", delay=0)
    assert reserved(1) == proxy.deposit(1)
    run(signed(1), "remove_proxy", delegate=("Id", acct(2)), proxy_type="Transfer", delay=0)
    assert last_event() == ("Proxy", Event.ProxyRemoved(acct(1), acct(2), "Transfer", 0))
    assert reserved(1) == 0 and not Proxies.contains_key(acct(1))
    assert noop(ext, signed(1), "add_proxy", delegate=("Id", acct(1)), proxy_type="Any", delay=0) == \
        module_error("Proxy", "NoSelfProxy")


def test_cannot_add_proxy_without_balance(ext) -> None:
    """tests.rs `cannot_add_proxy_without_balance`: 5 can afford one proxy's deposit only."""
    fungible.mint_into(acct(5), proxy.deposit(1) + ED)
    add(5, 3, "Any", 0)
    assert reserved(5) == proxy.deposit(1)
    assert noop(ext, signed(5), "add_proxy", delegate=("Id", acct(4)), proxy_type="Any", delay=0) == \
        module_error("Balances", "InsufficientBalance")


def test_proxying_works(ext) -> None:
    """tests.rs `proxying_works`. The mock's base filter refusing `System::set_code` is
    played by the runtime's NoNestingCallFilter refusing a nested batch; the mock's
    JustTransfer refusing `transfer_keep_alive` by SmallTransfer refusing a whole TAO."""
    add(1, 2, "SmallTransfer", 0)
    add(1, 3, "Any", 0)
    small = call_transfer(6, 400_000_000)
    assert noop(ext, signed(4), "proxy", real=("Id", acct(1)), force_proxy_type=None, call=small) == \
        module_error("Proxy", "NotProxy")
    assert noop(ext, signed(2), "proxy", real=("Id", acct(1)), force_proxy_type="Any", call=small) == \
        module_error("Proxy", "NotProxy")
    run(signed(2), "proxy", real=("Id", acct(1)), force_proxy_type=None, call=small)
    assert last_event() == ("Proxy", Event.ProxyExecuted(("Ok", ())))
    assert currency.free_balance(acct(6)) == 400_000_000
    assert LastCallResult.get(acct(1)) == ("Ok", ())

    nested = rc("Utility", "batch", calls=[rc("Utility", "batch", calls=[])])
    run(signed(3), "proxy", real=("Id", acct(1)), force_proxy_type=None, call=nested)
    assert last_event() == ("Proxy", Event.ProxyExecuted(("Err", CALL_FILTERED)))
    assert LastCallResult.get(acct(1)) == ("Err", CALL_FILTERED)

    whole = rc("Balances", "transfer_keep_alive", dest=("Id", acct(6)), value=TAO)
    # Through the runtime's dispatch (as `RuntimeCall::Proxy(..).dispatch(signed(2))`).
    construct.dispatch(signed(2), rc("Proxy", "proxy", real=("Id", acct(1)), force_proxy_type=None, call=whole))
    assert last_event() == ("Proxy", Event.ProxyExecuted(("Err", CALL_FILTERED)))
    run(signed(3), "proxy", real=("Id", acct(1)), force_proxy_type=None, call=whole)
    assert last_event() == ("Proxy", Event.ProxyExecuted(("Ok", ())))
    assert currency.free_balance(acct(6)) == 400_000_000 + TAO
    # LastCallResult lasts until the end of the block.
    proxy.pallet.on_finalize(1)
    assert not LastCallResult.contains_key(acct(1))


def test_pure_works(ext) -> None:
    """tests.rs `pure_works`."""
    anon = proxy.pure_account(acct(1), "Any", 0)
    run(signed(1), "create_pure", proxy_type="Any", delay=0, index=0)
    assert last_event() == ("Proxy", Event.PureCreated(anon, acct(1), "Any", 0))
    # Other pure accounts, as long as the parameters differ.
    run(signed(1), "create_pure", proxy_type="Transfer", delay=0, index=0)
    run(signed(1), "create_pure", proxy_type="Any", delay=0, index=1)
    anon2 = proxy.pure_account(acct(2), "Any", 0)
    run(signed(2), "create_pure", proxy_type="Any", delay=0, index=0)
    assert noop(ext, signed(1), "create_pure", proxy_type="Any", delay=0, index=0) == \
        module_error("Proxy", "Duplicate")
    system.pallet.Storage.Number.put(1)
    ext.set(b":extrinsic_index", (1).to_bytes(4, "little"))
    run(signed(1), "create_pure", proxy_type="Any", delay=0, index=0)
    ext.set(b":extrinsic_index", (0).to_bytes(4, "little"))
    system.pallet.Storage.Number.put(2)
    run(signed(1), "create_pure", proxy_type="Any", delay=0, index=0)
    assert reserved(1) == 5 * proxy.deposit(1)

    currency.transfer(acct(3), anon, 5 * TAO, "AllowDeath")
    run(signed(1), "proxy", real=("Id", anon), force_proxy_type=None, call=call_transfer(6, TAO))
    assert last_event() == ("Proxy", Event.ProxyExecuted(("Ok", ())))
    assert currency.free_balance(acct(6)) == TAO

    kill = rc("Proxy", "kill_pure", spawner=("Id", acct(1)), proxy_type="Any", index=0, height=1, ext_index=0)
    run(signed(2), "proxy", real=("Id", anon2), force_proxy_type=None, call=kill)
    assert last_event() == ("Proxy", Event.ProxyExecuted(("Err", module_error("Proxy", "NoPermission"))))
    assert noop(ext, signed(1), "kill_pure", spawner=("Id", acct(1)), proxy_type="Any", index=0, height=1,
                ext_index=0) == module_error("Proxy", "NoPermission")
    free = currency.free_balance(acct(1))
    run(signed(1), "proxy", real=("Id", anon), force_proxy_type=None, call=kill)
    assert events()[-2:] == [("Proxy", Event.PureKilled(anon, acct(1), "Any", 0)),
                             ("Proxy", Event.ProxyExecuted(("Ok", ())))]
    assert currency.free_balance(acct(1)) == free + proxy.deposit(1)
    assert noop(ext, signed(1), "proxy", real=("Id", anon), force_proxy_type=None, call=kill) == \
        module_error("Proxy", "NotProxy")


def stale_deposit(n: int, item: Any, entries: list, held: int) -> None:
    """The state a change of the deposit constants leaves (the mock's `ProxyDepositBase::set`):
    `n`'s entries held at `held`, with that much reserved."""
    _, old = item.get(acct(n))
    currency.unreserve(acct(n), old)
    currency.reserve(acct(n), held)
    item.insert(acct(n), (entries, held))
    system.reset_events()


def test_poke_deposit_works_for_proxy_deposits(ext) -> None:
    """tests.rs `poke_deposit_works_for_proxy_deposits`: the deposit follows the constants."""
    add(1, 2, "Any", 0)
    stale_deposit(1, Proxies, [ProxyDefinition(acct(2), "Any", 0)], proxy.deposit(1) - 1_000)
    post = run(signed(1), "poke_deposit")
    assert post.pays_fee == Pays.NO
    assert reserved(1) == proxy.deposit(1) == Proxies.get(acct(1))[1]
    assert last_event() == ("Proxy", Event.DepositPoked(acct(1), "Proxies", proxy.deposit(1) - 1_000,
                                                        proxy.deposit(1)))


def test_poke_deposit_works_for_announcement_deposits(ext) -> None:
    """tests.rs `poke_deposit_works_for_announcement_deposits` (here the deposit was too high)."""
    add(1, 3, "Any", 1)
    run(signed(3), "announce", real=("Id", acct(1)), call_hash=bytes([1] * 32))
    stale = announcement_deposit(1) + 7
    stale_deposit(3, Announcements, [Announcement(acct(1), bytes([1] * 32), 1)], stale)
    assert run(signed(3), "poke_deposit").pays_fee == Pays.NO
    assert reserved(3) == announcement_deposit(1)
    assert last_event() == ("Proxy", Event.DepositPoked(acct(3), "Announcements", stale, announcement_deposit(1)))


def test_poke_deposit_charges_fee_when_deposit_unchanged(ext) -> None:
    """tests.rs `poke_deposit_charges_fee_when_deposit_unchanged`."""
    add(1, 3, "Any", 0)
    system.reset_events()
    assert run(signed(1), "poke_deposit").pays_fee == Pays.YES
    assert reserved(1) == proxy.deposit(1) and events() == []
    run(signed(3), "announce", real=("Id", acct(1)), call_hash=bytes([1] * 32))
    system.reset_events()
    assert run(signed(3), "poke_deposit").pays_fee == Pays.YES
    assert reserved(3) == announcement_deposit(1) and events() == []


def test_poke_deposit_fails_for_unsigned_origin(ext) -> None:
    """tests.rs `poke_deposit_fails_for_unsigned_origin`."""
    assert noop(ext, Origin.none(), "poke_deposit") == "BadOrigin"
    assert noop(ext, Origin.root(), "poke_deposit") == "BadOrigin"


def test_proxy_weight_and_fee_follow_the_inner_call() -> None:
    """`proxy`'s weight: proxy(MaxProxies) + one read and write + the inner call's weight; it
    pays as the inner call does."""
    from pysubtensor.pallets.proxy import weights
    from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT
    inner = call_transfer(6, TAO)
    info = proxy.pallet.dispatch_info(("proxy", {"real": ("Id", acct(1)), "force_proxy_type": None, "call": inner}))
    assert info.weight == weights.proxy(20) + ROCKS_DB_WEIGHT.reads_writes(1, 1) + construct.dispatch_info(inner).weight
    assert info.pays_fee == Pays.YES
    assert proxy.pallet.dispatch_info(("add_proxy", {})).weight == weights.add_proxy(20)


def test_pure_account_is_blake2_of_the_creation_coordinates() -> None:
    """`pure_account`: blake2_256 of SCALE `(b"modlpy/proxy____", who, height: u32, ext_index:
    u32, proxy_type, index: u16)`, spelled out byte by byte here."""
    from pysubtensor.primitives.hashing import blake2_256
    who = acct(7)
    entropy = (b"modlpy/proxy____" + who + (12).to_bytes(4, "little") + (3).to_bytes(4, "little")
               + bytes([PROXY_TYPES.index("Staking")]) + (5).to_bytes(2, "little"))
    assert proxy.pure_account(who, "Staking", 5, (12, 3)) == blake2_256(entropy)


def test_proxies_are_kept_in_their_derived_order(ext) -> None:
    """`add_proxy_delegate` inserts at the `binary_search` position: the list stays sorted by
    (delegate, proxy type index, delay) whatever the order of additions, and `find_proxy`
    takes the first match."""
    for delegate, proxy_type, delay in ((4, "Any", 0), (2, "Transfer", 3), (2, "Transfer", 1), (2, "Staking", 0),
                                        (3, "Any", 0)):
        add(1, delegate, proxy_type, delay)
    # Staking is variant 8, Transfer 10.
    assert Proxies.get(acct(1))[0] == [
        ProxyDefinition(acct(2), "Staking", 0), ProxyDefinition(acct(2), "Transfer", 1),
        ProxyDefinition(acct(2), "Transfer", 3), ProxyDefinition(acct(3), "Any", 0), ProxyDefinition(acct(4), "Any", 0)]
    assert proxy.find_proxy(acct(1), acct(2), None) == ProxyDefinition(acct(2), "Staking", 0)
    assert proxy.find_proxy(acct(1), acct(2), "Transfer") == ProxyDefinition(acct(2), "Transfer", 1)


def test_every_call_the_filters_name_is_a_spec_381_call() -> None:
    """The proxy-type filter and NoNestingCallFilter match calls by name: each name they use is
    a call of spec 381 (a misspelt name would silently classify nothing)."""
    from pysubtensor.runtime import base_call_filter, proxy_filter
    from tests.support.metadata import summary_381
    real = {(p["name"], c["name"]) for p in summary_381()["pallets"] for c in p.get("call_list", [])}
    named = set().union(*(v for k, v in vars(proxy_filter).items() if k.startswith("_") and isinstance(v, frozenset)))
    named |= {("Balances", "transfer_keep_alive"), ("Balances", "transfer_allow_death"),
              ("SubtensorModule", "transfer_stake"), ("Sudo", "sudo_unchecked_weight"), ("System", "set_code"),
              ("SubtensorModule", "swap_hotkey"), ("SubtensorModule", "claim_root"),
              ("AdminUtils", "sudo_set_sn_owner_hotkey")}
    named |= {(p, c) for p, calls in base_call_filter._CARRIERS.items() for c in calls}
    named |= {(p, c) for p, calls in base_call_filter._NESTERS.items() for c in calls}
    assert len(named) > 60
    assert named - real == set()
