"""Crowdloan scenarios ported from subtensor's pallets/crowdloan/src/tests.rs (spec-381 era),
run in-process on System, Balances, Preimage and Crowdloan with the Rust mock's values.

The mock (pallets/crowdloan/src/mock.rs): accounts `U256::from(n)`, existential deposit 1,
`MinimumDeposit` 50, `AbsoluteMinimumContribution` 10, block durations 20..=100, refunds of
5 contributors a call, 10 contributors at most, block 1 at the start. Its `pallet_test`
(calls `noop`, `transfer_funds`, `set_passed_crowdloan_id`, `failing_extrinsic`) is
`TestPallet` below. Each test names the Rust test it ports; a failing call is checked to
leave the state as it was.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from substrateinterface.utils.ss58 import ss58_decode

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.system as system
from pysubtensor.pallets import crowdloan, preimage
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.crowdloan import (
    Contributions,
    Crowdloans,
    CurrentCrowdloanId,
    Error,
    Event,
    NextCrowdloanId,
)
from pysubtensor.pallets.preimage.bounded import Inline, Lookup
from pysubtensor.pallets.support.dispatch import BadOrigin, DispatchError, Origin, ensure_signed
from pysubtensor.pallets.support.pallet import Arg, Pallet, error
from pysubtensor.pallets.support.pallet_id import into_account_truncating, into_sub_account_truncating
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.pallets.support.tokens import Preservation
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.scale import BYTES, U32, Enum, Field, Variant
from pysubtensor.primitives.ss58 import ss58_encode
from pysubtensor.primitives.types import ACCOUNT_ID
from tests.support.frame import frame_env


def ss58_decode_account_id(address: str) -> bytes:
    """substrate-interface's SS58 decoding (not ours)."""
    return bytes.fromhex(ss58_decode(address))

# ---------------------------------------------------------------------------
# The mock's `pallet_test`

TEST = Pallet("TestPallet", 50, crate="pallet_test")
PassedCrowdloanId = TEST.storage("PassedCrowdloanId", StorageValue(U32, optional=True))


@TEST.errors
class TestError:
    ShouldFail = error(0)
    MissingCurrentCrowdloanId = error(1)
    CrowdloanDoesNotExist = error(2)


@TEST.call(0, weight=crowdloan.weights.update_cap())
def noop(origin: Origin) -> None:
    pass


@TEST.call(1, weight=crowdloan.weights.update_cap())
def transfer_funds(origin: Origin, dest: Arg(ACCOUNT_ID, "AccountOf<T>")) -> None:
    crowdloan_id = CurrentCrowdloanId.get()
    if crowdloan_id is None:
        raise TestError.MissingCurrentCrowdloanId()
    info = Crowdloans.get(crowdloan_id)
    if info is None:
        raise TestError.CrowdloanDoesNotExist()
    PassedCrowdloanId.put(crowdloan_id)
    fungible.transfer(info.funds_account, dest, info.raised, Preservation.EXPENDABLE)


@TEST.call(2, weight=crowdloan.weights.update_cap())
def set_passed_crowdloan_id(origin: Origin) -> None:
    crowdloan_id = CurrentCrowdloanId.get()
    if crowdloan_id is None:
        raise TestError.MissingCurrentCrowdloanId()
    PassedCrowdloanId.put(crowdloan_id)


@TEST.call(3, weight=crowdloan.weights.update_cap())
def failing_extrinsic(origin: Origin) -> None:
    raise TestError.ShouldFail()


#: Not in the mock: the account the stored call ran as.
Caller = TEST.storage("Caller", StorageValue(ACCOUNT_ID, optional=True))


@TEST.call(5, weight=crowdloan.weights.update_cap())
def record_caller(origin: Origin) -> None:
    """Not in the mock: remember the signed origin."""
    Caller.put(ensure_signed(origin))


@TEST.call(4, weight=crowdloan.weights.update_cap())
def remark(origin: Origin, data: Arg(BYTES, "Vec<u8>")) -> None:
    """Not in the mock: a call whose encoding is too long to be stored inline."""


# ---------------------------------------------------------------------------
# The mock runtime

PALLETS = (balances.pallet, preimage.pallet, crowdloan.pallet, TEST)
RUNTIME_CALL = Enum(("node_subtensor_runtime", "RuntimeCall"),
                    tuple(Variant(p.name, p.index, (Field(None, p.call_enum),)) for p in PALLETS))
BY_NAME = {p.name: p for p in PALLETS}


def _dispatch(origin: Origin, call: Any, *, bypass_filter: bool = False) -> Any:
    pallet_name, inner = call
    return BY_NAME[pallet_name].dispatch(origin, inner)


def _dispatch_info(call: Any) -> Any:
    pallet_name, inner = call
    return BY_NAME[pallet_name].dispatch_info(inner)


MOCK = crowdloan.Config(
    deposit_event=lambda pallet, event: None, runtime_call=RUNTIME_CALL, origin_caller=U32,
    dispatch=_dispatch, dispatch_info=_dispatch_info, origin_of_caller=lambda caller: Origin.root(),
    currency=fungible, preimages=preimage, pallet_id=b"bt/cloan", minimum_deposit=50, absolute_minimum_contribution=10,
    minimum_block_duration=20, maximum_block_duration=100, refund_contributors_limit=5, max_contributors=10)


def acct(n: int) -> bytes:
    """The mock's `U256::from(n)`."""
    return n.to_bytes(32, "little")


def noop_call() -> tuple:
    return (TEST.name, ("noop", None))


class Chain:
    def __init__(self, ext: Externalities) -> None:
        self.ext = ext

    def state(self) -> dict[bytes, bytes | None]:
        return {k: self.ext.get(k) for k in self.ext.keys_with_prefix(b"")}

    def call(self, name: str, who: bytes | Origin, **args: Any) -> Any:
        """Dispatch as the executive does, in a layer; a failing call must change nothing."""
        origin = who if isinstance(who, Origin) else Origin.signed(who)
        before = self.state()
        try:
            with self.ext.transaction():
                return crowdloan.pallet.dispatch(origin, (name, args))
        except DispatchError:
            assert self.state() == before, f"{name} failed and changed state"
            raise

    def fails(self, error: type[DispatchError], name: str, who: bytes | Origin, **args: Any) -> None:
        with pytest.raises(error):
            self.call(name, who, **args)

    def create(self, creator: int = 1, deposit: int = 50, min_contribution: int = 10, cap: int = 300, end: int = 50,
               call: Any = "noop", target: bytes | None = None) -> Any:
        return self.call("create", acct(creator), deposit=deposit, min_contribution=min_contribution, cap=cap,
                         end=end, call=noop_call() if call == "noop" else call, target_address=target)

    def contribute(self, who: int, amount: int, crowdloan_id: int = 0) -> Any:
        return self.call("contribute", acct(who), crowdloan_id=crowdloan_id, amount=amount)

    @staticmethod
    def events() -> list[Any]:
        return [r.event for r in system.read_events()]

    def last_event(self) -> Any:
        return self.events()[-1]

    @staticmethod
    def run_to_block(n: int) -> None:
        while system.block_number() < n:
            system.reset_events()
            system.pallet.Storage.Number.put(system.block_number() + 1)


@pytest.fixture
def chain(monkeypatch) -> Iterator[Chain]:
    """`TestState::default()` (block 1); `chain.fund` is `with_balance`."""
    # The mock's `ExistentialDeposit` is 1 (the module, not the package's `pallet` attribute).
    monkeypatch.setattr(sys.modules["pysubtensor.pallets.balances.pallet"].Constants, "ExistentialDeposit", 1)
    with ExitStack() as stack:
        stack.enter_context(crowdloan.pallet.bound(MOCK))
        ext = stack.enter_context(frame_env(*PALLETS))
        system.pallet.Storage.Number.put(1)
        yield Chain(ext)


def fund(*pairs: tuple[int, int]) -> None:
    for who, amount in pairs:
        fungible.mint_into(acct(who), amount)
    system.reset_events()


def free(who: bytes | int) -> int:
    return fungible.balance(acct(who) if isinstance(who, int) else who)


# ---------------------------------------------------------------------------
# The funds account


@pytest.mark.parametrize(("sub", "address"), [
    (2032, "13UVJyLnbVp77Z2t6rgdY269yXtxjxjdsPXr1N3BwQVsktTK"),
    (200, "13UVJyLnbVp77Z2t6rVmRzJSpcNoPWb3kQ5VSBvRm94eCQ2p"),
    (100, "13UVJyLnbVp77Z2t6r2dFKqddAo3cATaBG6YMuEsWbbmFnpb"),
])
def test_sub_account_layout_against_public_polkadot_crowdloan_funds(sub, address):
    """`into_sub_account_truncating` with a u32 sub, checked against accounts the Rust code made
    on Polkadot: the relay chain's crowdloan fund accounts, `PalletId(*b"py/cfund")
    .into_sub_account_truncating(index)`, as block explorers list them (the funds of indices
    2032, 200 and 100); decoded by substrate-interface's SS58 codec. The Polkadot treasury,
    `PalletId(*b"py/trsry").into_account_truncating()`, is the well-known system account."""
    assert into_sub_account_truncating(b"py/cfund", U32.encode(sub)) == ss58_decode_account_id(address)
    assert into_account_truncating(b"py/trsry") == ss58_decode_account_id(
        "13UVJyLnbVp9RBZYFwFGyDvVd1y27Tt8tkntv6Q7JVPhFsTB")


def test_funds_account_is_the_crowdloan_id_sub_account_of_bt_cloan():
    with crowdloan.pallet.bound(MOCK):
        assert crowdloan.funds_account(0) == into_sub_account_truncating(b"bt/cloan", bytes(4))
        assert crowdloan.funds_account(0x01020304) == into_sub_account_truncating(b"bt/cloan", bytes([4, 3, 2, 1]))
        assert ss58_encode(crowdloan.funds_account(0)) == "5EYCAe5fvncWtwXjyNAdoCJk9VrtAEBeZMhqDYjehWX97cWb"


# ---------------------------------------------------------------------------
# create


def test_create_succeeds(chain):
    fund((1, 100))
    chain.create()
    crowdloan_id = 0
    funds = crowdloan.funds_account(crowdloan_id)
    info = Crowdloans.get(crowdloan_id)
    assert info == crowdloan.CrowdloanInfo(
        creator=acct(1), deposit=50, min_contribution=10, end=50, cap=300, funds_account=funds, raised=50,
        target_address=None, call=preimage.bound(RUNTIME_CALL, noop_call()), finalized=False, contributors_count=1)
    assert info.call == Inline(RUNTIME_CALL.encode(noop_call()))
    assert free(funds) == 50
    assert free(1) == 100 - 50
    assert list(Contributions.iter_prefix(crowdloan_id)) == [(acct(1), 50)]
    assert chain.last_event() == ("Crowdloan", Event.Created(crowdloan_id, acct(1), 50, 300))
    assert NextCrowdloanId.get() == 1
    # The funds account is kept alive by a provider of its own.
    assert system.pallet.Storage.Account.get(funds).providers == 2


def test_create_fails_if_bad_origin(chain):
    for origin in (Origin.none(), Origin.root()):
        with pytest.raises(BadOrigin):
            chain.call("create", origin, deposit=50, min_contribution=10, cap=300, end=50, call=noop_call(),
                       target_address=None)


@pytest.mark.parametrize(("rust_test", "args", "err"), [
    ("test_create_fails_if_deposit_is_too_low", {"deposit": 20}, Error.DepositTooLow),
    ("test_create_fails_if_cap_is_not_greater_than_deposit", {"cap": 40}, Error.CapTooLow),
    ("(boundary) cap equal to the deposit", {"cap": 50}, Error.CapTooLow),
    ("test_create_fails_if_min_contribution_is_too_low", {"min_contribution": 5}, Error.MinimumContributionTooLow),
    ("test_create_fails_if_block_duration_is_too_short", {"end": 11}, Error.BlockDurationTooShort),
    ("test_create_fails_if_block_duration_is_too_long", {"end": 1000}, Error.BlockDurationTooLong),
])
def test_create_fails_on_bad_terms(chain, rust_test, args, err):
    fund((1, 100))
    with pytest.raises(err):
        chain.create(**args)


def test_create_fails_if_end_is_in_the_past(chain):
    fund((1, 100))
    chain.run_to_block(10)
    with pytest.raises(Error.CannotEndInPast):
        chain.create(end=5)


def test_create_duration_bounds_are_inclusive(chain):
    """`block_duration >= MinimumBlockDuration` and `<= MaximumBlockDuration` (from block 1)."""
    fund((1, 200))
    chain.create(end=21, cap=60)
    chain.create(end=101, cap=60)


def test_create_fails_if_creator_has_insufficient_balance(chain):
    fund((1, 10))
    with pytest.raises(Error.InsufficientBalance):
        chain.create()


def test_create_stores_a_long_call_by_preimage(chain):
    """Not in the Rust tests: a call over 128 bytes is noted in Preimage (requested, no
    deposit) and kept as `Lookup`; dissolving drops the request and the preimage."""
    fund((1, 100))
    long_call = (TEST.name, ("remark", {"data": bytes(200)}))
    chain.create(call=long_call)
    bounded = Crowdloans.get(0).call
    encoded = RUNTIME_CALL.encode(long_call)
    assert isinstance(bounded, Lookup) and bounded.len == len(encoded)
    assert preimage.peek(RUNTIME_CALL, bounded) == (long_call, len(encoded))
    assert free(1) == 50  # the creator paid the deposit and nothing for the preimage
    chain.call("dissolve", acct(1), crowdloan_id=0)
    assert not preimage.have(bounded)


# ---------------------------------------------------------------------------
# contribute


def test_contribute_succeeds(chain):
    fund((1, 100), (2, 100), (3, 100))
    chain.create()
    chain.run_to_block(10)
    funds = crowdloan.funds_account(0)
    chain.contribute(2, 50)
    assert chain.last_event() == ("Crowdloan", Event.Contributed(0, acct(2), 50))
    assert Contributions.get(0, acct(2)) == 50
    assert Crowdloans.get(0).contributors_count == 2
    chain.contribute(3, 50)
    chain.contribute(3, 30)  # a second contribution adds up and is not a new contributor
    assert Contributions.get(0, acct(3)) == 80
    info = Crowdloans.get(0)
    assert (info.raised, info.contributors_count) == (180, 3)
    assert free(funds) == 180
    assert (free(2), free(3)) == (50, 20)


def test_contribute_succeeds_if_contribution_will_make_the_raised_amount_exceed_the_cap(chain):
    fund((1, 100), (2, 500))
    chain.create()
    chain.run_to_block(10)
    chain.contribute(2, 300)  # 250 left to raise
    assert chain.last_event() == ("Crowdloan", Event.Contributed(0, acct(2), 250))
    assert Contributions.get(0, acct(2)) == 250
    assert Crowdloans.get(0).raised == 300
    assert free(2) == 250


def test_contribute_fails_if_bad_origin(chain):
    for origin in (Origin.none(), Origin.root()):
        with pytest.raises(BadOrigin):
            chain.call("contribute", origin, crowdloan_id=0, amount=20)


def test_contribute_fails_if_crowdloan_does_not_exist(chain):
    fund((1, 100))
    with pytest.raises(Error.InvalidCrowdloanId):
        chain.contribute(1, 20)


def test_contribute_fails_if_contribution_period_ended(chain):
    fund((1, 100), (2, 100))
    chain.create()
    chain.run_to_block(60)
    with pytest.raises(Error.ContributionPeriodEnded):
        chain.contribute(2, 20)


def test_contribute_at_the_end_block_is_too_late(chain):
    """Not in the Rust tests: `now < end`, so the end block itself is closed."""
    fund((1, 100), (2, 100))
    chain.create()
    chain.run_to_block(49)
    chain.contribute(2, 20)
    chain.run_to_block(50)
    with pytest.raises(Error.ContributionPeriodEnded):
        chain.contribute(2, 20)


def test_contribute_fails_if_cap_has_been_raised(chain):
    fund((1, 1000), (2, 1000), (3, 1000))
    chain.create()
    chain.contribute(2, 250)
    with pytest.raises(Error.CapRaised):
        chain.contribute(3, 20)


def test_contribute_fails_if_contribution_is_below_minimum_contribution(chain):
    fund((1, 100), (2, 100))
    chain.create()
    with pytest.raises(Error.ContributionTooLow):
        chain.contribute(2, 5)


def test_contribute_fails_if_max_contributors_has_been_reached(chain):
    fund((1, 1000), *((n, 100) for n in range(2, 12)))
    chain.create(cap=1000)
    for n in range(2, 11):  # the creator and 9 contributors: 10
        chain.contribute(n, 20)
    assert Crowdloans.get(0).contributors_count == 10
    with pytest.raises(Error.MaxContributorsReached):
        chain.contribute(10, 20)  # the count is checked whoever contributes, as in Rust
    with pytest.raises(Error.MaxContributorsReached):
        chain.contribute(11, 20)


def test_contribute_fails_if_contributor_has_insufficient_balance(chain):
    fund((1, 100), (2, 10))
    chain.create()
    with pytest.raises(Error.InsufficientBalance):
        chain.contribute(2, 20)


# ---------------------------------------------------------------------------
# withdraw


def test_withdraw_from_contributor_succeeds(chain):
    fund((1, 100), (2, 100), (3, 100))
    chain.create()
    chain.contribute(2, 100)
    chain.contribute(3, 100)
    chain.run_to_block(60)
    chain.call("withdraw", acct(2), crowdloan_id=0)
    assert chain.last_event() == ("Crowdloan", Event.Withdrew(0, acct(2), 100))
    assert Contributions.get(0, acct(2)) is None
    assert free(2) == 100
    info = Crowdloans.get(0)
    assert (info.raised, info.contributors_count) == (150, 2)
    assert free(crowdloan.funds_account(0)) == 150


def test_withdraw_from_creator_with_contribution_over_deposit_succeeds(chain):
    fund((1, 200))
    chain.create()
    chain.contribute(1, 100)
    assert Contributions.get(0, acct(1)) == 150
    chain.call("withdraw", acct(1), crowdloan_id=0)
    assert chain.last_event() == ("Crowdloan", Event.Withdrew(0, acct(1), 100))
    assert Contributions.get(0, acct(1)) == 50  # the deposit stays
    assert free(1) == 150
    info = Crowdloans.get(0)
    assert (info.raised, info.contributors_count) == (50, 1)


def test_withdraw_fails_from_creator_with_no_contribution_over_deposit(chain):
    fund((1, 200))
    chain.create()
    with pytest.raises(Error.DepositCannotBeWithdrawn):
        chain.call("withdraw", acct(1), crowdloan_id=0)


def test_withdraw_fails_if_bad_origin(chain):
    for origin in (Origin.none(), Origin.root()):
        with pytest.raises(BadOrigin):
            chain.call("withdraw", origin, crowdloan_id=0)


def test_withdraw_fails_if_crowdloan_does_not_exists(chain):
    with pytest.raises(Error.InvalidCrowdloanId):
        chain.call("withdraw", acct(1), crowdloan_id=0)


def test_withdraw_fails_if_crowdloan_has_already_been_finalized(chain):
    fund((1, 100), (2, 300))
    chain.create()
    chain.contribute(2, 250)
    chain.run_to_block(60)
    chain.call("finalize", acct(1), crowdloan_id=0)
    with pytest.raises(Error.AlreadyFinalized):
        chain.call("withdraw", acct(2), crowdloan_id=0)


def test_withdraw_fails_if_no_contribution_exists(chain):
    fund((1, 100), (2, 100))
    chain.create()
    with pytest.raises(Error.NoContribution):
        chain.call("withdraw", acct(2), crowdloan_id=0)


# ---------------------------------------------------------------------------
# finalize


def test_finalize_succeeds(chain):
    fund((1, 100), (2, 100))
    transfer = (TEST.name, ("transfer_funds", {"dest": acct(42)}))
    chain.create(cap=100, call=transfer)
    chain.run_to_block(10)
    chain.contribute(2, 50)
    chain.call("finalize", acct(1), crowdloan_id=0)
    assert free(42) == 100  # moved by the dispatched call
    assert Crowdloans.get(0).finalized
    assert chain.last_event() == ("Crowdloan", Event.Finalized(0))
    assert PassedCrowdloanId.get() == 0  # CurrentCrowdloanId was set for the call
    assert CurrentCrowdloanId.get() is None  # and cleared after it


def test_finalize_succeeds_with_target_address(chain):
    fund((1, 100), (2, 100))
    chain.create(cap=100, call=(TEST.name, ("set_passed_crowdloan_id", None)), target=acct(42))
    chain.run_to_block(10)
    chain.contribute(2, 50)
    chain.call("finalize", acct(1), crowdloan_id=0)
    assert free(42) == 100  # moved by finalize itself
    assert free(crowdloan.funds_account(0)) == 0
    assert Crowdloans.get(0).finalized
    assert PassedCrowdloanId.get() == 0
    assert chain.last_event() == ("Crowdloan", Event.Finalized(0))


def test_finalize_dispatches_the_call_as_the_creator(chain):
    """Not in the Rust tests: `stored_call.dispatch(RawOrigin::Signed(who))`."""
    fund((1, 100), (2, 100))
    chain.create(cap=100, call=(TEST.name, ("record_caller", None)))
    chain.contribute(2, 50)
    chain.call("finalize", acct(1), crowdloan_id=0)
    assert Caller.get() == acct(1)


def test_finalize_without_call_transfers_only(chain):
    """Not in the Rust tests: no call, no `CurrentCrowdloanId` ever written."""
    fund((1, 100), (2, 100))
    chain.create(cap=100, call=None, target=acct(42))
    chain.contribute(2, 50)
    chain.call("finalize", acct(1), crowdloan_id=0)
    assert free(42) == 100 and Crowdloans.get(0).finalized
    assert CurrentCrowdloanId.get() is None


def test_finalize_fails_if_bad_origin(chain):
    for origin in (Origin.none(), Origin.root()):
        with pytest.raises(BadOrigin):
            chain.call("finalize", origin, crowdloan_id=0)


def test_finalize_fails_if_crowdloan_does_not_exist(chain):
    with pytest.raises(Error.InvalidCrowdloanId):
        chain.call("finalize", acct(1), crowdloan_id=0)


def test_finalize_fails_if_not_creator_origin(chain):
    fund((1, 100), (2, 100))
    chain.create(cap=100)
    chain.contribute(2, 50)
    chain.run_to_block(60)
    with pytest.raises(Error.InvalidOrigin):
        chain.call("finalize", acct(2), crowdloan_id=0)


def test_finalize_fails_if_crowdloan_cap_is_not_raised(chain):
    fund((1, 100), (2, 100))
    chain.create(cap=100)
    chain.contribute(2, 49)
    chain.run_to_block(60)
    with pytest.raises(Error.CapNotRaised):
        chain.call("finalize", acct(1), crowdloan_id=0)


def test_finalize_fails_if_crowdloan_has_already_been_finalized(chain):
    fund((1, 100), (2, 100))
    chain.create(cap=100)
    chain.contribute(2, 50)
    chain.run_to_block(60)
    chain.call("finalize", acct(1), crowdloan_id=0)
    with pytest.raises(Error.AlreadyFinalized):
        chain.call("finalize", acct(1), crowdloan_id=0)


def test_finalize_fails_if_call_fails(chain):
    fund((1, 100), (2, 100))
    chain.create(cap=100, call=(TEST.name, ("failing_extrinsic", None)))
    chain.contribute(2, 50)
    chain.run_to_block(60)
    with pytest.raises(TestError.ShouldFail):
        chain.call("finalize", acct(1), crowdloan_id=0)
    assert not Crowdloans.get(0).finalized


def test_finalize_fails_with_call_unavailable_if_preimage_is_gone(chain):
    """Not in the Rust tests: a `Lookup` whose preimage was removed -> `CallUnavailable`."""
    fund((1, 100), (2, 100))
    chain.create(cap=100, call=(TEST.name, ("remark", {"data": bytes(200)})))
    chain.contribute(2, 50)
    bounded = Crowdloans.get(0).call
    preimage.PreimageFor.remove((bounded.hash, bounded.len))
    with pytest.raises(Error.CallUnavailable):
        chain.call("finalize", acct(1), crowdloan_id=0)


# ---------------------------------------------------------------------------
# refund


def test_refund_succeeds(chain):
    fund((1, 100), *((n, 100) for n in range(2, 8)))
    chain.create(cap=400)
    for n in range(2, 8):  # 6 contributors of 10
        chain.contribute(n, 10)
    chain.run_to_block(60)
    funds = crowdloan.funds_account(0)
    assert free(funds) == 110

    chain.call("refund", acct(1), crowdloan_id=0)  # 5 a call
    assert chain.last_event() == ("Crowdloan", Event.PartiallyRefunded(0))
    assert len(list(Contributions.iter_prefix(0))) == 2  # the creator and one left
    info = Crowdloans.get(0)
    assert (info.raised, info.contributors_count) == (60, 2)
    assert free(funds) == 60

    post = chain.call("refund", acct(1), crowdloan_id=0)
    assert chain.last_event() == ("Crowdloan", Event.AllRefunded(0))
    assert list(Contributions.iter_prefix(0)) == [(acct(1), 50)]
    info = Crowdloans.get(0)
    assert (info.raised, info.contributors_count) == (50, 1)
    assert free(funds) == 50
    for n in range(2, 8):
        assert free(n) == 100
    assert post.actual_weight == crowdloan.weights.refund(1)


def test_refund_fails_if_bad_or_invalid_origin(chain):
    fund((1, 100), (2, 100))
    chain.create()
    for origin in (Origin.none(), Origin.root()):
        with pytest.raises(BadOrigin):
            chain.call("refund", origin, crowdloan_id=0)
    with pytest.raises(Error.InvalidOrigin):
        chain.call("refund", acct(2), crowdloan_id=0)


def test_refund_fails_if_crowdloan_does_not_exist(chain):
    with pytest.raises(Error.InvalidCrowdloanId):
        chain.call("refund", acct(1), crowdloan_id=0)


# ---------------------------------------------------------------------------
# dissolve


def test_dissolve_succeeds(chain):
    fund((1, 100))
    chain.create()
    chain.run_to_block(60)
    funds = crowdloan.funds_account(0)
    chain.call("dissolve", acct(1), crowdloan_id=0)
    assert Crowdloans.get(0) is None
    assert Contributions.get(0, acct(1)) is None
    assert free(1) == 100
    assert free(funds) == 0 and system.pallet.Storage.Account.get(funds).providers == 0  # the account is gone
    assert chain.last_event() == ("Crowdloan", Event.Dissolved(0))


def test_dissolve_fails_if_bad_origin(chain):
    for origin in (Origin.none(), Origin.root()):
        with pytest.raises(BadOrigin):
            chain.call("dissolve", origin, crowdloan_id=0)


def test_dissolve_fails_if_crowdloan_does_not_exist(chain):
    with pytest.raises(Error.InvalidCrowdloanId):
        chain.call("dissolve", acct(1), crowdloan_id=0)


def test_dissolve_fails_if_crowdloan_has_been_finalized(chain):
    fund((1, 100), (2, 100))
    chain.create(cap=100)
    chain.contribute(2, 50)
    chain.call("finalize", acct(1), crowdloan_id=0)
    with pytest.raises(Error.AlreadyFinalized):
        chain.call("dissolve", acct(1), crowdloan_id=0)


def test_dissolve_fails_if_origin_is_not_creator(chain):
    fund((1, 100))
    chain.create()
    with pytest.raises(Error.InvalidOrigin):
        chain.call("dissolve", acct(2), crowdloan_id=0)


def test_dissolve_fails_if_not_everyone_has_been_refunded(chain):
    fund((1, 100), (2, 100))
    chain.create()
    chain.contribute(2, 50)
    chain.run_to_block(60)
    with pytest.raises(Error.NotReadyToDissolve):
        chain.call("dissolve", acct(1), crowdloan_id=0)


# ---------------------------------------------------------------------------
# update_min_contribution, update_end, update_cap


def test_update_min_contribution_succeeds(chain):
    fund((1, 100))
    chain.create()
    chain.call("update_min_contribution", acct(1), crowdloan_id=0, new_min_contribution=20)
    assert Crowdloans.get(0).min_contribution == 20
    assert chain.last_event() == ("Crowdloan", Event.MinContributionUpdated(0, 20))


@pytest.mark.parametrize("name,args", [
    ("update_min_contribution", {"new_min_contribution": 20}),
    ("update_end", {"new_end": 60}),
    ("update_cap", {"new_cap": 200}),
])
def test_update_fails_if_bad_origin_missing_finalized_or_not_creator(chain, name, args):
    """test_update_{min_contribution,end,cap}_fails_if_bad_origin, …_if_crowdloan_does_not_exist,
    …_if_crowdloan_has_been_finalized, …_if_not_creator."""
    for origin in (Origin.none(), Origin.root()):
        with pytest.raises(BadOrigin):
            chain.call(name, origin, crowdloan_id=0, **args)
    with pytest.raises(Error.InvalidCrowdloanId):
        chain.call(name, acct(1), crowdloan_id=0, **args)
    fund((1, 100), (2, 100))
    chain.create(cap=100)
    with pytest.raises(Error.InvalidOrigin):
        chain.call(name, acct(2), crowdloan_id=0, **args)
    chain.contribute(2, 50)
    chain.call("finalize", acct(1), crowdloan_id=0)
    with pytest.raises(Error.AlreadyFinalized):
        chain.call(name, acct(1), crowdloan_id=0, **args)


def test_update_min_contribution_fails_if_new_min_contribution_is_too_low(chain):
    fund((1, 100))
    chain.create()
    with pytest.raises(Error.MinimumContributionTooLow):
        chain.call("update_min_contribution", acct(1), crowdloan_id=0, new_min_contribution=9)


def test_update_end_succeeds(chain):
    fund((1, 100))
    chain.create()
    chain.call("update_end", acct(1), crowdloan_id=0, new_end=60)
    assert Crowdloans.get(0).end == 60
    assert chain.last_event() == ("Crowdloan", Event.EndUpdated(0, 60))


def test_update_end_fails_if_new_end_is_in_past(chain):
    fund((1, 100))
    chain.create()
    chain.run_to_block(30)
    with pytest.raises(Error.CannotEndInPast):
        chain.call("update_end", acct(1), crowdloan_id=0, new_end=20)


def test_update_end_fails_if_block_duration_is_too_short(chain):
    fund((1, 100))
    chain.create()
    chain.run_to_block(30)
    with pytest.raises(Error.BlockDurationTooShort):
        chain.call("update_end", acct(1), crowdloan_id=0, new_end=40)


def test_update_end_fails_if_block_duration_is_too_long(chain):
    fund((1, 100))
    chain.create()
    chain.run_to_block(30)
    with pytest.raises(Error.BlockDurationTooLong):
        chain.call("update_end", acct(1), crowdloan_id=0, new_end=131)


def test_update_cap_succeeds(chain):
    fund((1, 100))
    chain.create()
    chain.call("update_cap", acct(1), crowdloan_id=0, new_cap=200)
    assert Crowdloans.get(0).cap == 200
    assert chain.last_event() == ("Crowdloan", Event.CapUpdated(0, 200))


def test_update_cap_fails_if_new_cap_is_too_low(chain):
    fund((1, 100), (2, 100))
    chain.create()
    chain.contribute(2, 50)
    with pytest.raises(Error.CapTooLow):
        chain.call("update_cap", acct(1), crowdloan_id=0, new_cap=99)
    chain.call("update_cap", acct(1), crowdloan_id=0, new_cap=100)  # = raised is allowed


# ---------------------------------------------------------------------------
# Weights


def test_create_weight_adds_the_stored_calls_weight():
    """`T::WeightInfo::create() + call.get_dispatch_info().call_weight` (runtime weights)."""
    with crowdloan.pallet.bound(MOCK):
        base = crowdloan.weights.create()
        args = {"deposit": 50, "min_contribution": 10, "cap": 300, "end": 50, "target_address": None}
        assert crowdloan.pallet.dispatch_info(("create", {**args, "call": None})).weight == base
        with_call = crowdloan.pallet.dispatch_info(("create", {**args, "call": noop_call()})).weight
        assert with_call == base.saturating_add(crowdloan.weights.update_cap())
        assert crowdloan.pallet.dispatch_info(("refund", {"crowdloan_id": 0})).weight == crowdloan.weights.refund(5)
