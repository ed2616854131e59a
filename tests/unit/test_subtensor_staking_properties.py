"""Property tests of SubtensorModule's staking (issue 11, "Must show"): random sequences of
add_stake / remove_stake / move_stake / transfer_stake / swap_stake and their limit variants
on two dynamic subnets and root, by several coldkeys on several hotkeys, in process
(Balances, SubtensorModule and the Swap pallet bound as the runtime binds them, with a block
author taking the fee share). After every step:

- TAO is conserved: Balances' total issuance equals the sum of every account's free and
  reserved balance (coldkeys, subnet accounts, the block author's fee share) and neither it
  nor SubtensorModule's `TotalIssuance` moves in a staking step (staking only transfers TAO);
  a new block's coinbase raises both by the same amount, all of it into the subnet accounts;
- each subnet's pool is backed: `SubnetTAO` never exceeds what its subnet account holds;
- `SubnetAlphaOut` equals the sum of `TotalHotkeyAlpha` over the subnet's hotkeys exactly,
  root included, when a block author takes the fees (without one, plus the sales' fee alpha
  that the no-op `burn_subnet_alpha` leaves outstanding): every swap moves `SubnetAlphaOut` by the alpha it pays out or takes in and
  the hotkey's pool value by the same integer (the share arithmetic rounds only the holders'
  shares, never `TotalHotkeyAlpha`), plus the alpha the coinbase has minted for the subnet's
  participants and not paid yet: a staking step leaves that amount unchanged; a new block
  raises it by the block's pending emission (server, validator, root, owner) and the at most
  4 rao the pending amounts' floors leave over; an epoch block pays what was pending to stakes;
  a coldkey's stake is the floor of its shares' value, so the coldkeys' stakes on a hotkey
  sum to `TotalHotkeyAlpha` less at most one rao per holder;
- shares: each holder's share and each denominator is non-negative and the holders' shares
  of a (hotkey, netuid) sum to its denominator;
- a limit order never executes past its price: a buy leaves the pool's price at or below
  the limit; a sell leaves it at or above the limit when no block author is paid (with one,
  the author's fee alpha is then sold at the minimum price, as Rust `unstake_from_subnet`
  does); a move's execution rate (destination alpha per origin alpha) is at least the limit
  less the two swap fees, which Rust `get_max_amount_move`'s closed form leaves out;
- a failing call changes nothing (`Chain.call` compares the whole state).
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets import balances, swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.neurons.logic import create_account_if_non_existent
from pysubtensor.pallets.subtensor.staking import accounting
from pysubtensor.pallets.subtensor.subnets.logic import subnet_account_id
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.primitives.fixed import U64F64
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.unit.test_subtensor_registration import acct
from tests.unit.test_subtensor_staking import AUTHOR, StakingChain, _bind, add_dynamic_network, setup_reserves

S = st.pallet.Storage
ROOT = 0
TAO = 10**9
COLDKEYS = [acct(100 + i) for i in range(3)]
OWNERS = [acct(10), acct(20)]
#: hotkeys: each subnet owner's, plus one more per coldkey 0 and 1.
EXTRA_HOTKEYS = [(COLDKEYS[0], acct(200)), (COLDKEYS[1], acct(201))]


class World:
    """Two dynamic subnets with different prices and root, three funded coldkeys."""

    def __init__(self, chain: StakingChain, author: bool) -> None:
        self.chain = chain
        self.author = author
        self.hotkeys = []
        self.netuids = [ROOT]
        for i, owner in enumerate(OWNERS):
            hotkey = acct(30 + i)
            netuid = add_dynamic_network(chain, hotkey, owner)
            setup_reserves(chain, netuid, (i + 1) * 100 * TAO, (3 - i) * 150 * TAO)
            swap.handler.init_swap(netuid, None)
            self.hotkeys.append(hotkey)
            self.netuids.append(netuid)
        # Root as the dev genesis has it (the mock's root network), its account holding the ED.
        S.NetworksAdded.insert(ROOT, True)
        S.SubtokenEnabled.insert(ROOT, True)
        chain.fund(subnet_account_id(ROOT), 500)
        for coldkey, hotkey in EXTRA_HOTKEYS:
            create_account_if_non_existent(coldkey, hotkey)
            self.hotkeys.append(hotkey)
        chain.fund(AUTHOR, 500)
        for coldkey in COLDKEYS:
            chain.fund(coldkey, 50 * TAO)
        # Every coldkey starts with stake on each subnet, so that most steps spend real positions.
        for i, coldkey in enumerate(COLDKEYS):
            for netuid in self.netuids:
                chain.call("add_stake", coldkey, hotkey=self.hotkeys[(i + netuid) % len(self.hotkeys)], netuid=netuid,
                           amount_staked=(2 + i + netuid) * TAO)
        chain.step_block()
        self.issuance = fungible.total_issuance()
        self.st_issuance = S.TotalIssuance.get()
        #: per subnet: alpha minted by the coinbase and not yet paid to a hotkey.
        self.unpaid = {netuid: S.SubnetAlphaOut.get(netuid) - _alpha_by_subnet()[netuid] for netuid in self.netuids}


def _alpha_by_subnet() -> dict[int, int]:
    alpha_by_subnet: dict[int, int] = defaultdict(int)
    for (_hotkey, netuid), total in S.TotalHotkeyAlpha.iter():
        alpha_by_subnet[netuid] += total
    return alpha_by_subnet


def _burned(world: World) -> dict[int, int]:
    """Without a block author a sale's fee alpha is "burned" by Rust `burn_subnet_alpha`, whose
    body is empty at 14b7928: it leaves the stake but stays in SubnetAlphaOut."""
    burned: dict[int, int] = defaultdict(int)
    if not world.author:
        for event in world.chain.named("StakeRemoved"):
            burned[event.netuid] += event.fee
    return burned


_PENDING = (S.PendingServerEmission, S.PendingValidatorEmission, S.PendingRootAlphaDivs, S.PendingOwnerCut)


def next_block(world: World) -> None:
    """A block's coinbase: the TAO it issues lands in the subnet accounts and both issuances
    count it; the alpha it mints for participants is pending."""
    chain = world.chain
    accounts = [subnet_account_id(netuid) for netuid in world.netuids]
    balances_before = [chain.balance(a) for a in accounts]
    pending_before = {netuid: sum(item.get(netuid) for item in _PENDING) for netuid in world.netuids}
    chain.step_block()
    issued = sum(chain.balance(a) for a in accounts) - sum(balances_before)
    assert fungible.total_issuance() - world.issuance == issued
    assert S.TotalIssuance.get() - world.st_issuance == issued
    world.issuance, world.st_issuance = fungible.total_issuance(), S.TotalIssuance.get()
    alpha_by_subnet, burned = _alpha_by_subnet(), _burned(world)
    for netuid in world.netuids[1:]:
        unpaid = S.SubnetAlphaOut.get(netuid) - alpha_by_subnet[netuid] - burned[netuid]
        pending_added = sum(item.get(netuid) for item in _PENDING) - pending_before[netuid]
        if S.LastMechansimStepBlock.get(netuid) == system.block.block_number():
            # The epoch paid the pending alpha to stakes: what stays unpaid is at most what was
            # unpaid plus this block's new alpha, and never negative.
            assert 0 <= unpaid <= world.unpaid[netuid] + S.SubnetAlphaOutEmission.get(netuid), netuid
        else:
            assert 0 <= unpaid - world.unpaid[netuid] - pending_added <= 4, netuid
        world.unpaid[netuid] = unpaid


# One step: (kind, coldkey, hotkey, dest hotkey, netuid, dest netuid, amount in thousandths, limit in
# percent of the current price, allow_partial).
_KINDS = ["add_stake", "remove_stake", "move_stake", "transfer_stake", "swap_stake", "add_stake_limit",
          "remove_stake_limit", "swap_stake_limit", "move_stake_limit", "next_block"]
STEP = hs.tuples(hs.sampled_from(_KINDS), hs.integers(0, 2), hs.integers(0, 3), hs.integers(0, 3),
                 hs.integers(0, 2), hs.integers(0, 2), hs.integers(0, 1100), hs.integers(50, 150), hs.booleans())


def _price(netuid: int) -> int:
    return swap.handler.current_alpha_price(netuid)


def _stake(hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    return accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)


def _limit_rao(netuid: int, percent: int) -> int:
    """A limit price in rao per alpha, `percent` of the current one."""
    return U64F64.saturating_to_num(U64F64.saturating_mul(_price(netuid), U64F64.saturating_from_num(TAO))) \
        * percent // 100


def _move_rate_at_least(chain: StakingChain, limit: int) -> bool:
    """A move's limit bounds its execution rate (Rust `get_max_amount_move`: "the resulting swap
    price that shall be compared to limit_price is moved_alpha / unstaked_alpha"), not the
    prices the pools are left at: destination alpha received per origin alpha sold, from the
    call's StakeRemoved / StakeAdded events, is at least `limit` rao per alpha."""
    removed, added = chain.named("StakeRemoved")[-1], chain.named("StakeAdded")[-1]
    # Its closed form ignores the swap fees: each side's fee (33/65535 by default) may take the
    # rate below the limit, by at most both fees together.
    fee_rate = 33
    return added.alpha * TAO * 65535 >= limit * removed.alpha * (65535 - 2 * fee_rate)


def run_step(world: World, step: tuple) -> str | None:
    """Dispatch one step; returns the error's name if it failed (the state is then unchanged:
    `Chain.call` asserts that)."""
    kind, c, h, h2, n, n2, thousandths, percent, partial = step
    chain = world.chain
    if kind == "next_block":
        next_block(world)
        return None
    coldkey, hotkey, dest_hotkey = COLDKEYS[c], world.hotkeys[h], world.hotkeys[h2]
    netuid, dest_netuid = world.netuids[n], world.netuids[n2]
    positions = [(hk, nu) for (hk, ck, nu), _share in S.Alpha.iter() if ck == coldkey]
    if positions and kind not in ("add_stake", "add_stake_limit") and thousandths % 4:
        # Most stake-spending steps act on a position the coldkey holds.
        hotkey, netuid = positions[(h + n) % len(positions)]
    free = chain.balance(coldkey)
    staked = _stake(hotkey, coldkey, netuid)
    tao = free * thousandths // 1000
    alpha = staked * thousandths // 1000 if staked else thousandths * 10**6
    args: dict
    check = None
    if kind in ("add_stake", "add_stake_limit"):
        args = dict(hotkey=hotkey, netuid=netuid, amount_staked=tao)
        if kind == "add_stake_limit":
            limit = _limit_rao(netuid, percent)
            args |= dict(limit_price=limit, allow_partial=partial)
            # A buy leaves the price at or below the limit.
            check = lambda: _price(netuid) <= swap.impls.limit_price_of_rao(limit)  # noqa: E731
    elif kind in ("remove_stake", "remove_stake_limit"):
        args = dict(hotkey=hotkey, netuid=netuid, amount_unstaked=alpha)
        if kind == "remove_stake_limit":
            limit = _limit_rao(netuid, percent)
            args |= dict(limit_price=limit, allow_partial=partial)
            # With a block author, unstake_from_subnet sells the author's fee alpha at the
            # minimum price after the limited swap (Rust `unstake_from_subnet`, 14b7928), so
            # the pool may end below the limit by that sale: the limit is the user's swap's.
            if not world.author:
                check = lambda: _price(netuid) >= swap.impls.limit_price_of_rao(limit)  # noqa: E731
    elif kind in ("move_stake", "move_stake_limit"):
        args = dict(origin_hotkey=hotkey, destination_hotkey=dest_hotkey, origin_netuid=netuid,
                    destination_netuid=dest_netuid, alpha_amount=alpha)
        if kind == "move_stake_limit":
            # spec 381 has no move_stake_limit call: the swap_stake_limit variant across subnets.
            kind = "swap_stake_limit"
    if kind == "transfer_stake":
        args = dict(destination_coldkey=COLDKEYS[h2 % 3], hotkey=hotkey, origin_netuid=netuid,
                    destination_netuid=dest_netuid, alpha_amount=alpha)
    elif kind in ("swap_stake", "swap_stake_limit"):
        args = dict(hotkey=hotkey, origin_netuid=netuid, destination_netuid=dest_netuid, alpha_amount=alpha)
        if kind == "swap_stake_limit":
            limit = _limit_rao(netuid, percent) * TAO // max(_limit_rao(dest_netuid, 100), 1)
            args |= dict(limit_price=limit, allow_partial=partial)
            if netuid != dest_netuid:
                check = lambda: _move_rate_at_least(chain, limit)  # noqa: E731
    try:
        chain.call(kind, coldkey, **args)
    except DispatchError as e:
        return type(e).__name__
    if check is not None:
        assert check(), f"{kind} executed past its limit: {step}"
    return None


def check_invariants(world: World) -> None:
    chain = world.chain
    accounts = list(system.pallet.Storage.Account.iter())
    assert fungible.total_issuance() == world.issuance
    assert sum(info.data.free + info.data.reserved for _, info in accounts) == world.issuance
    assert S.TotalIssuance.get() == world.st_issuance
    for netuid in world.netuids:
        assert S.SubnetTAO.get(netuid) <= chain.balance(subnet_account_id(netuid)), netuid
    alpha_by_subnet, burned = _alpha_by_subnet(), _burned(world)
    for netuid in world.netuids:
        assert S.SubnetAlphaOut.get(netuid) == alpha_by_subnet[netuid] + burned[netuid] + world.unpaid[netuid], netuid
    shares: dict[tuple, int] = defaultdict(int)
    holders: dict[tuple, int] = defaultdict(int)
    values: dict[tuple, int] = defaultdict(int)
    for (hotkey, coldkey, netuid), share in S.Alpha.iter():
        assert share >= 0
        shares[hotkey, netuid] += share
        holders[hotkey, netuid] += 1
        values[hotkey, netuid] += _stake(hotkey, coldkey, netuid)
    for (hotkey, netuid), denominator in S.TotalHotkeyShares.iter():
        assert denominator >= 0
        assert shares.pop((hotkey, netuid), 0) == denominator, (hotkey, netuid)
    assert not shares, "shares without a denominator"
    for key, count in holders.items():
        total = S.TotalHotkeyAlpha.get(*key)
        assert total - count <= values[key] <= total, key


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.lists(STEP, min_size=4, max_size=20), hs.booleans())
def test_random_staking_sequences_conserve_tao_alpha_and_shares(steps, author):
    """With a block author the fee share goes to it; without one it stays in the subnet
    account (a buy) or is burned as alpha (a sell)."""
    bind_st, bind_swap = _bind(block_author=(lambda: AUTHOR) if author else None)
    with bind_st, bind_swap, frame_env(balances.pallet, st.pallet, swap.pallet) as ext, \
            capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)
        world = World(StakingChain(ext, events), author)
        check_invariants(world)
        for step in steps:
            run_step(world, step)
            check_invariants(world)
