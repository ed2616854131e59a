"""Subnet leases: scenarios ported from subtensor's Rust tests (pallets/subtensor/src/tests/
leasing.rs at spec 381), each naming its Rust test, on the runtime's pallets (Balances, Proxy,
Crowdloan, SubtensorModule, Swap as `runtime.construct.wire` binds them), and the whole flow
through the Crowdloan pallet: create, contribute, finalize dispatching `register_leased_network`.

Where the Rust mock differs from the runtime: its `ProxyInterface` records pairs, ours is the
Proxy pallet (a `SubnetLeaseBeneficiary` proxy whose deposit the lease coldkey holds, so it is
part of `lease.cost`); its lock cost (100 TAO minimum, no rate limit) is written to storage
first; our existential deposit is 500 rao, the mock's 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
import pysubtensor.runtime  # noqa: F401 (binds every pallet as the runtime does)
from pysubtensor.pallets import balances, commitments, crowdloan, preimage, proxy, swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.crowdloan import CrowdloanInfo
from pysubtensor.pallets.subtensor.coinbase.run_coinbase import distribute_dividends_and_incentives
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.neurons.logic import create_account_if_non_existent
from pysubtensor.pallets.subtensor.staking.accounting import get_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.subnets import leasing
from pysubtensor.pallets.subtensor.subnets.leasing import distribute_leased_network_dividends
from pysubtensor.pallets.support.dispatch import BadOrigin, DispatchError, Origin
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.per_things import PERCENT
from tests.support.events import capture_events
from tests.support.frame import frame_env

S = st.pallet.Storage
TAO = 1_000_000_000
INTERVAL = st.pallet.Constants.LeaseDividendsDistributionInterval
BENEFICIARY = (1).to_bytes(32, "little")
DEPOSIT, CAP = 10 * TAO, 1000 * TAO


def acct(n: int) -> bytes:
    return n.to_bytes(32, "little")


class Chain:
    def __init__(self, ext: Externalities, events: list[tuple[str, Any]]) -> None:
        self.ext = ext
        self.events = events

    def state(self) -> dict[bytes, bytes | None]:
        return {k: self.ext.get(k) for k in self.ext.keys_with_prefix(b"")}

    def call(self, pallet: Any, name: str, who: bytes | Origin, **args: Any) -> Any:
        """Dispatch in a storage layer as the executive does; a failure changes nothing."""
        origin = who if isinstance(who, Origin) else Origin.signed(who)
        before = self.state()
        try:
            with self.ext.transaction():
                return pallet.dispatch(origin, (name, args))
        except DispatchError:
            assert self.state() == before, f"{name} failed but changed storage"
            raise

    def fails(self, error: Any, pallet: Any, name: str, who: bytes | Origin, **args: Any) -> None:
        with pytest.raises(error):
            self.call(pallet, name, who, **args)


@pytest.fixture
def chain() -> Iterator[Chain]:
    with frame_env(balances.pallet, preimage.pallet, proxy.pallet, crowdloan.pallet, st.pallet, swap.pallet,
                   commitments.pallet) as ext, capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)  # `new_test_ext(1)`
        # The mock's lock cost and network rate limit.
        S.NetworkMinLockCost.put(100 * TAO)
        S.NetworkLastLockCost.put(100 * TAO)
        S.NetworkRateLimit.put(0)
        yield Chain(ext, events)


def setup_crowdloan(crowdloan_id: int, deposit: int, cap: int, beneficiary: bytes,
                    contributions: list[tuple[bytes, int]]) -> None:
    """The Rust test's `setup_crowdloan`: a crowdloan that raised its cap, being finalized."""
    funds_account = acct(42424242 + crowdloan_id)
    crowdloan.Crowdloans.insert(crowdloan_id, CrowdloanInfo(
        creator=beneficiary, deposit=deposit, min_contribution=0, end=0, cap=cap, funds_account=funds_account,
        raised=cap, target_address=None, call=None, finalized=False, contributors_count=1 + len(contributions)))
    crowdloan.Contributions.insert(crowdloan_id, beneficiary, deposit)
    for contributor, amount in contributions:
        crowdloan.Contributions.insert(crowdloan_id, contributor, amount)
    fungible.mint_into(funds_account, cap)
    crowdloan.CurrentCrowdloanId.put(0)


def setup_leased_network(chain: Chain, beneficiary: bytes, emissions_share: int, end_block: int | None,
                         tao_to_stake: int | None) -> tuple[int, Any]:
    """The Rust test's `setup_leased_network`: lease 0, subtoken enabled, optional stake of the
    lease coldkey on its hotkey."""
    chain.call(st.pallet, "register_leased_network", beneficiary, emissions_share=emissions_share,
               end_block=end_block)
    lease = S.SubnetLeases.get(0)
    S.SubtokenEnabled.insert(lease.netuid, True)
    if tao_to_stake is not None:
        fungible.mint_into(lease.coldkey, tao_to_stake)
        chain.call(st.pallet, "add_stake", lease.coldkey, hotkey=lease.hotkey, netuid=lease.netuid,
                   amount_staked=tao_to_stake)
    return 0, lease


TWO_CONTRIBUTORS = [(acct(2), 600 * TAO), (acct(3), 390 * TAO)]


def beneficiary_proxies(lease_coldkey: bytes) -> list[tuple[bytes, str, int]]:
    return [(p.delegate, p.proxy_type, p.delay) for p in proxy.Proxies.get(lease_coldkey)[0]]


def test_lease_accounts_are_the_blake2_of_the_scale_seed() -> None:
    """`("leasing/coldkey", lease_id).using_encoded(blake2_256)`: a compact-length-prefixed
    string then the u32 little-endian."""
    assert leasing.lease_coldkey(7) == blake2_256(bytes([15 << 2]) + b"leasing/coldkey" + (7).to_bytes(4, "little"))
    assert leasing.lease_hotkey(0) == blake2_256(bytes([14 << 2]) + b"leasing/hotkey" + bytes(4))


def test_register_leased_network_works(chain: Chain) -> None:
    """leasing.rs `test_register_leased_network_works`."""
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, TWO_CONTRIBUTORS)
    share = PERCENT.from_percent(30)
    chain.call(st.pallet, "register_leased_network", BENEFICIARY, emissions_share=share, end_block=500)

    lease = S.SubnetLeases.get(0)
    assert (lease.beneficiary, lease.emissions_share, lease.end_block) == (BENEFICIARY, share, 500)
    assert (lease.coldkey, lease.hotkey) == (leasing.lease_coldkey(0), leasing.lease_hotkey(0))
    assert S.SubnetMechanism.contains_key(lease.netuid)
    assert S.SubnetOwner.get(lease.netuid) == lease.coldkey
    assert S.SubnetOwnerHotkey.get(lease.netuid) == lease.hotkey
    assert S.SubnetUidToLeaseId.get(lease.netuid) == 0
    assert S.NextSubnetLeaseId.get() == 1
    assert beneficiary_proxies(lease.coldkey) == [(BENEFICIARY, "SubnetLeaseBeneficiary", 0)]

    shares = [U64F64.saturating_div(U64F64.from_num(amount), U64F64.from_num(CAP)) for _, amount in TWO_CONTRIBUTORS]
    assert [S.SubnetLeaseShares.get(0, who) for who, _ in TWO_CONTRIBUTORS] == shares
    assert not S.SubnetLeaseShares.contains_key(0, BENEFICIARY)
    assert S.Delegates.get(lease.hotkey) == 0

    # The cost is the lock plus the proxy deposit the lease coldkey holds.
    lock = S.SubnetLocked.get(lease.netuid)
    assert lease.cost == lock + proxy.deposit(1)
    leftover = CAP - lease.cost
    refunds = [U64F64.saturating_to_num(U64F64.floor(U64F64.saturating_mul(U64F64.from_num(leftover), s)))
               for s in shares]
    assert [fungible.balance(who) for who, _ in TWO_CONTRIBUTORS] == refunds
    assert fungible.balance(BENEFICIARY) == leftover - sum(refunds)
    assert fungible.balance(lease.coldkey) == 0
    assert chain.events[-1] == ("SubtensorModule", Event.SubnetLeaseCreated(
        beneficiary=BENEFICIARY, lease_id=0, netuid=lease.netuid, end_block=500))


def test_register_leased_network_refunds_weight(chain: Chain) -> None:
    """The post-dispatch weight is `do_register_leased_network(contributors_count)` below
    `MaxContributors` (500 in the runtime)."""
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, TWO_CONTRIBUTORS)
    post = chain.call(st.pallet, "register_leased_network", BENEFICIARY, emissions_share=30, end_block=None)
    assert post.actual_weight == leasing.register_leased_network_weight(3)
    declared = st.pallet.dispatch_info(("register_leased_network", {"emissions_share": 30, "end_block": None}))
    assert declared.weight == leasing.register_leased_network_weight(500)
    assert (declared.weight.ref_time, declared.weight.proof_size) == (
        301_560_714 + 26_884_006 * 500 + 25_000_000 * (41 + 1000) + 100_000_000 * (55 + 1000), 10079 + 2579 * 500)


def test_register_leased_network_fails_if_bad_origin(chain: Chain) -> None:
    """leasing.rs `test_register_leased_network_fails_if_bad_origin`."""
    for origin in (Origin.none(), Origin.root()):
        chain.fails(BadOrigin, st.pallet, "register_leased_network", origin, emissions_share=30, end_block=500)


def test_register_leased_network_fails_if_crowdloan_does_not_exists(chain: Chain) -> None:
    """leasing.rs `test_register_leased_network_fails_if_crowdloan_does_not_exists`."""
    chain.fails(crowdloan.Error.InvalidCrowdloanId, st.pallet, "register_leased_network", BENEFICIARY,
                emissions_share=30, end_block=500)


def test_register_lease_network_fails_if_current_crowdloan_id_is_not_set(chain: Chain) -> None:
    """leasing.rs `test_register_lease_network_fails_if_current_crowdloan_id_is_not_set`."""
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, TWO_CONTRIBUTORS)
    crowdloan.CurrentCrowdloanId.kill()
    chain.fails(crowdloan.Error.InvalidCrowdloanId, st.pallet, "register_leased_network", BENEFICIARY,
                emissions_share=30, end_block=500)


def test_register_leased_network_fails_if_origin_is_not_crowdloan_creator(chain: Chain) -> None:
    """leasing.rs `test_register_leased_network_fails_if_origin_is_not_crowdloan_creator`."""
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, TWO_CONTRIBUTORS)
    chain.fails(Error.InvalidLeaseBeneficiary, st.pallet, "register_leased_network", acct(2),
                emissions_share=30, end_block=500)


def test_register_lease_network_fails_if_end_block_is_in_the_past(chain: Chain) -> None:
    """leasing.rs `test_register_lease_network_fails_if_end_block_is_in_the_past` (block 501)."""
    system.pallet.Storage.Number.put(501)
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, TWO_CONTRIBUTORS)
    chain.fails(Error.LeaseCannotEndInThePast, st.pallet, "register_leased_network", BENEFICIARY,
                emissions_share=30, end_block=500)
    chain.fails(Error.LeaseCannotEndInThePast, st.pallet, "register_leased_network", BENEFICIARY,
                emissions_share=30, end_block=501)


def _terminable(chain: Chain, end_block: int | None = 500) -> tuple[int, Any]:
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, [(acct(2), 990 * TAO)])
    return setup_leased_network(chain, BENEFICIARY, PERCENT.from_percent(30), end_block, 100 * TAO)


def test_terminate_lease_works(chain: Chain) -> None:
    """leasing.rs `test_terminate_lease_works`."""
    lease_id, lease = _terminable(chain)
    system.pallet.Storage.Number.put(500)
    hotkey = acct(3)
    create_account_if_non_existent(BENEFICIARY, hotkey)
    free_before = fungible.balance(lease.coldkey)
    post = chain.call(st.pallet, "terminate_lease", BENEFICIARY, lease_id=lease_id, hotkey=hotkey)
    assert S.SubnetOwner.get(lease.netuid) == BENEFICIARY
    assert S.SubnetOwnerHotkey.get(lease.netuid) == hotkey
    assert S.SubnetLeases.get(lease_id) is None
    assert list(S.SubnetLeaseShares.iter_prefix(lease_id)) == []
    assert not S.AccumulatedLeaseDividends.contains_key(lease_id)
    assert beneficiary_proxies(lease.coldkey) == []
    # The proxy deposit is returned to the lease coldkey.
    assert fungible.balance(lease.coldkey) == free_before + proxy.deposit(1)
    assert chain.events[-1] == ("SubtensorModule", Event.SubnetLeaseTerminated(beneficiary=BENEFICIARY,
                                                                                netuid=lease.netuid))
    # `clear_result.unique` counts committed keys only: the share was written in this same
    # (uncommitted) state, so none, as sp-state-machine counts.
    assert post.actual_weight == leasing.terminate_lease_weight(0)


def test_terminate_lease_fails_if_bad_origin(chain: Chain) -> None:
    """leasing.rs `test_terminate_lease_fails_if_bad_origin`."""
    for origin in (Origin.none(), Origin.root()):
        chain.fails(BadOrigin, st.pallet, "terminate_lease", origin, lease_id=0, hotkey=acct(1))


def test_terminate_lease_fails_if_lease_does_not_exist(chain: Chain) -> None:
    """leasing.rs `test_terminate_lease_fails_if_lease_does_not_exist`."""
    chain.fails(Error.LeaseDoesNotExist, st.pallet, "terminate_lease", BENEFICIARY, lease_id=0, hotkey=acct(2))


def test_terminate_lease_fails_if_origin_is_not_beneficiary(chain: Chain) -> None:
    """leasing.rs `test_terminate_lease_fails_if_origin_is_not_beneficiary`."""
    lease_id, _ = _terminable(chain)
    system.pallet.Storage.Number.put(500)
    create_account_if_non_existent(BENEFICIARY, acct(3))
    chain.fails(Error.ExpectedBeneficiaryOrigin, st.pallet, "terminate_lease", acct(42), lease_id=lease_id,
                hotkey=acct(3))


def test_terminate_lease_fails_if_lease_has_no_end_block(chain: Chain) -> None:
    """leasing.rs `test_terminate_lease_fails_if_lease_has_no_end_block`."""
    lease_id, _ = _terminable(chain, end_block=None)
    create_account_if_non_existent(BENEFICIARY, acct(3))
    chain.fails(Error.LeaseHasNoEndBlock, st.pallet, "terminate_lease", BENEFICIARY, lease_id=lease_id,
                hotkey=acct(3))


def test_terminate_lease_fails_if_lease_has_not_ended(chain: Chain) -> None:
    """leasing.rs `test_terminate_lease_fails_if_lease_has_not_ended` (and one block before the end)."""
    lease_id, _ = _terminable(chain)
    create_account_if_non_existent(BENEFICIARY, acct(3))
    chain.fails(Error.LeaseHasNotEnded, st.pallet, "terminate_lease", BENEFICIARY, lease_id=lease_id,
                hotkey=acct(3))
    system.pallet.Storage.Number.put(499)
    chain.fails(Error.LeaseHasNotEnded, st.pallet, "terminate_lease", BENEFICIARY, lease_id=lease_id,
                hotkey=acct(3))


def test_terminate_lease_fails_if_beneficiary_does_not_own_hotkey(chain: Chain) -> None:
    """leasing.rs `test_terminate_lease_fails_if_beneficiary_does_not_own_hotkey`."""
    lease_id, _ = _terminable(chain)
    system.pallet.Storage.Number.put(500)
    chain.fails(Error.BeneficiaryDoesNotOwnHotkey, st.pallet, "terminate_lease", BENEFICIARY, lease_id=lease_id,
                hotkey=acct(42))


def _alpha(lease: Any, who: bytes) -> int:
    return get_stake_for_hotkey_and_coldkey_on_subnet(lease.hotkey, who, lease.netuid)


def test_distribute_lease_network_dividends_multiple_contributors_works(chain: Chain) -> None:
    """leasing.rs `test_distribute_lease_network_dividends_multiple_contributors_works`."""
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, TWO_CONTRIBUTORS)
    share = PERCENT.from_percent(30)
    lease_id, lease = setup_leased_network(chain, BENEFICIARY, share, 500, 100 * TAO)
    system.pallet.Storage.Number.put(INTERVAL)
    (c1, _), (c2, _) = TWO_CONTRIBUTORS
    assert [_alpha(lease, who) for who in (c1, c2, BENEFICIARY)] == [0, 0, 0]
    accumulated, owner_cut = 10 * TAO, 5 * TAO
    S.AccumulatedLeaseDividends.insert(lease_id, accumulated)
    del chain.events[:]
    distribute_leased_network_dividends(lease_id, owner_cut)

    distributed = accumulated + PERCENT.mul_ceil(share, owner_cut)
    assert distributed == 11_500_000_000
    deltas = [_alpha(lease, who) for who in (c1, c2, BENEFICIARY)]
    assert sum(deltas) == distributed
    expected = [U64F64.saturating_to_num(U64F64.ceil(U64F64.saturating_mul(S.SubnetLeaseShares.get(lease_id, who),
                                                                            U64F64.from_num(distributed))))
                for who in (c1, c2)]
    assert deltas[:2] == expected
    assert deltas[2] == distributed - sum(expected)
    paid = [e for _, e in chain.events]
    assert [paid[2], paid[5], paid[8]] == [
        Event.SubnetLeaseDividendsDistributed(lease_id=lease_id, contributor=c1, alpha=expected[0]),
        Event.SubnetLeaseDividendsDistributed(lease_id=lease_id, contributor=c2, alpha=expected[1]),
        Event.SubnetLeaseDividendsDistributed(lease_id=lease_id, contributor=BENEFICIARY, alpha=deltas[2])]
    assert S.AccumulatedLeaseDividends.get(lease_id) == 0


def test_distribute_lease_network_dividends_only_beneficiary_works(chain: Chain) -> None:
    """leasing.rs `test_distribute_lease_network_dividends_only_beneficiary_works`."""
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, [(BENEFICIARY, 990 * TAO)])
    share = PERCENT.from_percent(30)
    lease_id, lease = setup_leased_network(chain, BENEFICIARY, share, 500, 100 * TAO)
    system.pallet.Storage.Number.put(INTERVAL)
    assert _alpha(lease, BENEFICIARY) == 0
    S.AccumulatedLeaseDividends.insert(lease_id, 10 * TAO)
    distribute_leased_network_dividends(lease_id, 5 * TAO)
    distributed = 10 * TAO + PERCENT.mul_ceil(share, 5 * TAO)
    assert _alpha(lease, BENEFICIARY) == distributed
    assert chain.events[-1] == ("SubtensorModule", Event.SubnetLeaseDividendsDistributed(
        lease_id=lease_id, contributor=BENEFICIARY, alpha=distributed))
    assert S.AccumulatedLeaseDividends.get(lease_id) == 0


def _two_contributor_lease(chain: Chain, tao_to_stake: int | None) -> tuple[int, Any, int]:
    setup_crowdloan(0, DEPOSIT, CAP, BENEFICIARY, TWO_CONTRIBUTORS)
    share = PERCENT.from_percent(30)
    lease_id, lease = setup_leased_network(chain, BENEFICIARY, share, 500, tao_to_stake)
    return lease_id, lease, share


def _nobody_paid(lease: Any) -> bool:
    return all(_alpha(lease, who) == 0 for who in (acct(2), acct(3), BENEFICIARY))


def test_distribute_lease_network_dividends_accumulates_if_not_the_correct_block(chain: Chain) -> None:
    """leasing.rs `test_distribute_lease_network_dividends_accumulates_if_not_the_correct_block`."""
    lease_id, lease, share = _two_contributor_lease(chain, 100 * TAO)
    system.pallet.Storage.Number.put(INTERVAL + 1)
    S.AccumulatedLeaseDividends.insert(lease_id, 10 * TAO)
    distribute_leased_network_dividends(lease_id, 5 * TAO)
    assert _nobody_paid(lease)
    assert S.AccumulatedLeaseDividends.get(lease_id) == 10 * TAO + PERCENT.mul_ceil(share, 5 * TAO)


def test_distribute_lease_network_dividends_does_nothing_if_lease_does_not_exist(chain: Chain) -> None:
    """leasing.rs `test_distribute_lease_network_dividends_does_nothing_if_lease_does_not_exist`."""
    before = chain.state()
    distribute_leased_network_dividends(0, 5_000_000)
    assert chain.state() == before


def test_distribute_lease_network_dividends_does_nothing_if_lease_has_ended(chain: Chain) -> None:
    """leasing.rs `test_distribute_lease_network_dividends_does_nothing_if_lease_has_ended`."""
    lease_id, lease, _ = _two_contributor_lease(chain, 100 * TAO)
    system.pallet.Storage.Number.put(500)
    before = chain.state()
    distribute_leased_network_dividends(lease_id, 5 * TAO)
    assert chain.state() == before
    assert _nobody_paid(lease) and S.AccumulatedLeaseDividends.get(lease_id) == 0


def test_distribute_lease_network_dividends_accumulates_if_amount_is_too_low(chain: Chain) -> None:
    """leasing.rs `test_distribute_lease_network_dividends_accumulates_if_amount_is_too_low`
    (at block 1, not a distribution block, as the Rust test)."""
    lease_id, lease, share = _two_contributor_lease(chain, None)
    distribute_leased_network_dividends(lease_id, 5_000)
    assert _nobody_paid(lease)
    assert S.AccumulatedLeaseDividends.get(lease_id) == PERCENT.mul_ceil(share, 5_000) == 1_500


def test_distribute_lease_network_dividends_rounds_the_contributors_cut_up(chain: Chain) -> None:
    """`emissions_share.mul_ceil(owner_cut)`: 30% of 7 alpha accumulates 3 (not 2.1)."""
    lease_id, _lease, share = _two_contributor_lease(chain, None)
    distribute_leased_network_dividends(lease_id, 7)
    assert S.AccumulatedLeaseDividends.get(lease_id) == PERCENT.mul_ceil(share, 7) == 3


def test_distribute_lease_network_dividends_accumulates_if_insufficient_liquidity(chain: Chain) -> None:
    """leasing.rs `test_distribute_lease_network_dividends_accumulates_if_insufficient_liquidity`,
    and on a distribution block: the lease hotkey has no stake, the payout fails and is kept."""
    lease_id, lease, share = _two_contributor_lease(chain, None)
    distribute_leased_network_dividends(lease_id, 5_000_000)
    assert _nobody_paid(lease)
    assert S.AccumulatedLeaseDividends.get(lease_id) == PERCENT.mul_ceil(share, 5_000_000)
    system.pallet.Storage.Number.put(INTERVAL)
    before_events = len(chain.events)
    distribute_leased_network_dividends(lease_id, 5_000_000)
    assert _nobody_paid(lease) and len(chain.events) == before_events
    assert S.AccumulatedLeaseDividends.get(lease_id) == 2 * PERCENT.mul_ceil(share, 5_000_000)


def test_lease_through_the_crowdloan_pallet(chain: Chain) -> None:
    """The real flow: a crowdloan whose call is `register_leased_network`, contributed to the
    cap and finalized by its creator: the Crowdloan pallet dispatches the call as the creator
    with `CurrentCrowdloanId` set, the lease is created, the crowdloan finalized."""
    creator, c2, c3 = BENEFICIARY, acct(2), acct(3)
    for who, amount in ((creator, 20 * TAO), (c2, 700 * TAO), (c3, 400 * TAO)):
        fungible.mint_into(who, amount)
    call = ("SubtensorModule", ("register_leased_network", {"emissions_share": 25, "end_block": 1000}))
    chain.call(crowdloan.pallet, "create", creator, deposit=DEPOSIT, min_contribution=TAO, cap=CAP, end=100,
               call=call, target_address=None)
    chain.call(crowdloan.pallet, "contribute", c2, crowdloan_id=0, amount=600 * TAO)
    chain.call(crowdloan.pallet, "contribute", c3, crowdloan_id=0, amount=390 * TAO)
    system.pallet.Storage.Number.put(100)
    chain.call(crowdloan.pallet, "finalize", creator, crowdloan_id=0)
    lease = S.SubnetLeases.get(0)
    assert (lease.beneficiary, lease.emissions_share, lease.end_block) == (creator, 25, 1000)
    assert crowdloan.Crowdloans.get(0).finalized and crowdloan.CurrentCrowdloanId.get() is None
    assert S.SubnetOwner.get(lease.netuid) == lease.coldkey
    leftover = CAP - lease.cost
    refund = [U64F64.saturating_to_num(U64F64.floor(U64F64.saturating_mul(
        U64F64.saturating_div(U64F64.from_num(a), U64F64.from_num(CAP)), U64F64.from_num(leftover)))) for a in
        (600 * TAO, 390 * TAO)]
    assert fungible.balance(c2) == 100 * TAO + refund[0]
    assert fungible.balance(c3) == 10 * TAO + refund[1]
    assert fungible.balance(creator) == 10 * TAO + leftover - sum(refund)


def test_dissolving_a_leased_subnet_removes_the_lease(chain: Chain) -> None:
    """`remove_network` drops the lease, its shares and accumulated dividends."""
    lease_id, lease, _ = _two_contributor_lease(chain, None)
    S.AccumulatedLeaseDividends.insert(lease_id, 7)
    chain.call(st.pallet, "root_dissolve_network", Origin.root(), netuid=lease.netuid)
    assert S.SubnetLeases.get(lease_id) is None and S.SubnetUidToLeaseId.get(lease.netuid) is None
    assert list(S.SubnetLeaseShares.iter_prefix(lease_id)) == []
    assert not S.AccumulatedLeaseDividends.contains_key(lease_id)


def test_dissolve_clears_the_pool_and_the_commitments(chain: Chain) -> None:
    """`do_dissolve_network` calls the Swap pallet's `clear_protocol_liquidity` and the
    Commitments pallet's `purge_netuid` (the runtime's `CommitmentsInterface`); another
    subnet's entries stay."""
    swap_pallet = swap.pallet.Storage
    _lease_id, lease, _ = _two_contributor_lease(chain, 100 * TAO)
    net = lease.netuid
    other = net + 1
    assert swap_pallet.PalSwapInitialized.get(net)
    swap_pallet.FeeRate.insert(net, 50)
    for n in (net, other):
        commitments.LastCommitment.insert(n, acct(9), 5)
    chain.call(st.pallet, "root_dissolve_network", Origin.root(), netuid=net)
    assert not swap_pallet.PalSwapInitialized.contains_key(net)
    assert not swap_pallet.FeeRate.contains_key(net) and not swap_pallet.SwapBalancer.contains_key(net)
    assert commitments.LastCommitment.get(net, acct(9)) is None
    assert commitments.LastCommitment.get(other, acct(9)) == 5


def test_the_coinbase_hands_a_leased_subnets_owner_cut_to_the_lease(chain: Chain) -> None:
    """run_coinbase.rs `distribute_dividends_and_incentives`: the owner cut is staked to the
    owner (the lease coldkey) and `distribute_leased_network_dividends` gets what was staked."""
    lease_id, lease, share = _two_contributor_lease(chain, 100 * TAO)
    system.pallet.Storage.Number.put(INTERVAL + 1)  # not a payout block: the share accumulates
    owner_cut, staked = 5 * TAO, _alpha(lease, lease.coldkey)
    distribute_dividends_and_incentives(lease.netuid, owner_cut, {}, {}, {})
    assert _alpha(lease, lease.coldkey) - staked in (owner_cut - 1, owner_cut)  # share-pool rounding
    assert S.AccumulatedLeaseDividends.get(lease_id) == PERCENT.mul_ceil(share, owner_cut)
