"""SubtensorModule's staking calls in process (Balances, SubtensorModule and the Swap pallet
composed as the runtime binds them). Scenarios are ported from subtensor's Rust tests at spec
381 (pallets/subtensor/src/tests/staking.rs, move_stake.rs, recycle_alpha.rs; each test names
its Rust test), with their amounts and errors. Where the Rust mock minted and burned TAO, the
TAO here lies in the subnet account (a stake is a Balances transfer into it), so each set-up
that writes a pool's TAO reserve also funds that account; total issuance is then exact.

Every failing call is dispatched through `Chain.call`, which asserts it changed nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets import balances, swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.config import Config
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.hooks import on_finalize, on_initialize
from pysubtensor.pallets.subtensor.neurons.logic import create_account_if_non_existent
from pysubtensor.pallets.subtensor.staking import accounting, stake_utils
from pysubtensor.pallets.subtensor.staking.stake_utils import DEFAULT_MIN_STAKE, stake_into_subnet
from pysubtensor.pallets.subtensor.subnets.logic import subnet_account_id
from pysubtensor.pallets.support.dispatch import DispatchError, Origin
from pysubtensor.primitives.fixed import I96F32, U64F64
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.unit.test_subtensor_registration import ED, Chain, acct
from tests.unit.test_subtensor_registration import add_dynamic_network as _register_network

S = st.pallet.Storage
E = Error
MAX_PRICE = swap.handler.max_price()
AUTHOR = acct(777_777)
U64_MAX = (1 << 64) - 1


class StakingChain(Chain):
    def step_block(self, n: int = 1) -> None:
        """`next_block`: finalize the current block (the limiter is cleared) and start the next."""
        for _ in range(n):
            on_finalize(system.block.block_number())
            number = system.block.block_number() + 1
            self.set_block(number)
            on_initialize(number)

    def named(self, name: str) -> list:
        return [e for p, e in self.events if p == "SubtensorModule" and type(e).__name__ == name]


def _bind(block_author=None):
    config = Config(deposit_event=lambda pallet, event: None, currency=fungible, swap=swap.handler,
                    block_author=block_author)
    swap_config = swap.Config(deposit_event=lambda pallet, event: None, subnet_info=st.swap_bridge.SUBNET_INFO,
                              tao_reserve=st.swap_bridge.TAO_RESERVE, alpha_reserve=st.swap_bridge.ALPHA_RESERVE)
    return st.pallet.bound(config), swap.pallet.bound(swap_config)


@pytest.fixture
def chain() -> Iterator[StakingChain]:
    bind_st, bind_swap = _bind()
    with bind_st, bind_swap, frame_env(balances.pallet, st.pallet, swap.pallet) as ext, \
            capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)  # `new_test_ext(1)`
        yield StakingChain(ext, events)


def add_dynamic_network(chain: Chain, hotkey: bytes, coldkey: bytes) -> int:
    """The Rust mock's `add_dynamic_network`: registered, then registration allowed and the
    subtoken enabled."""
    netuid = _register_network(chain, hotkey, coldkey)
    S.NetworkRegistrationAllowed.insert(netuid, True)
    S.FirstEmissionBlockNumber.insert(netuid, 0)
    S.SubtokenEnabled.insert(netuid, True)
    return netuid


def setup_reserves(chain: Chain, netuid: int, tao: int, alpha: int) -> None:
    """The mock's `setup_reserves`; the reserve's TAO is put in the subnet account."""
    extra = tao - S.SubnetTAO.get(netuid)
    S.SubnetTAO.insert(netuid, tao)
    S.SubnetAlphaIn.insert(netuid, alpha)
    if extra > 0:
        chain.fund(subnet_account_id(netuid), extra)


def increase_stake(chain: Chain, netuid: int, hotkey: bytes, coldkey: bytes, alpha: int) -> None:
    """`increase_stake_for_hotkey_and_coldkey_on_subnet` plus what backs it in the pool: the
    alpha is outstanding and the TAO it sells for lies in the subnet account."""
    accounting.increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid, alpha)
    S.SubnetAlphaOut.mutate(netuid, lambda a: a + alpha)


def issuance_and_balances(accounts: list[bytes]) -> tuple[int, int]:
    return fungible.total_issuance(), sum(fungible.balance(a) for a in accounts)


# ---------------------------------------------------------------------------------------
# add_stake


def test_add_stake_ok_no_emission(chain):
    """staking.rs `test_add_stake_ok_no_emission`: 10x the minimum into a deep pool: the
    coldkey keeps only what Preserve leaves (ED), the hotkey's stake is worth the TAO less the
    fee (within 10_000), TotalStake grows by the amount, StakeAdded carries the real fields."""
    hotkey, coldkey = acct(533453), acct(55453)
    amount = DEFAULT_MIN_STAKE * 10
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    setup_reserves(chain, netuid, amount * 1_000_000, amount * 10_000_000)
    swap.handler.init_swap(netuid, None)
    chain.fund(coldkey, amount)
    account = subnet_account_id(netuid)
    total_stake, account_before = S.TotalStake.get(), chain.balance(account)
    sim = swap.handler.sim_swap_tao_for_alpha(netuid, amount)
    chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=amount)
    assert chain.balance(coldkey) == ED
    assert S.TotalStake.get() == total_stake + amount
    assert chain.balance(account) == account_before + amount
    alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    assert alpha == sim.amount_paid_out
    assert abs(accounting.get_total_stake_for_hotkey(hotkey) - (amount - sim.fee_paid)) <= 10_000
    event = chain.named("StakeAdded")[-1]
    assert (event.coldkey, event.hotkey, event.tao, event.alpha, event.netuid, event.fee) == \
        (coldkey, hotkey, amount, alpha, netuid, sim.fee_paid)
    assert S.StakingOperationRateLimiter.get(hotkey, coldkey, netuid)
    assert S.LastColdkeyHotkeyStakeBlock.get(coldkey, hotkey) == 1
    assert S.SubnetTaoFlow.get(netuid) == sim.amount_paid_in


def test_add_stake_not_registered_key_pair(chain):
    """staking.rs `test_add_stake_not_registered_key_pair`."""
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    chain.fund(acct(435445), DEFAULT_MIN_STAKE * 10 + ED)
    chain.fails(E.HotKeyAccountNotExists, "add_stake", acct(435445), hotkey=acct(54544), netuid=netuid,
                amount_staked=DEFAULT_MIN_STAKE * 10)


def test_add_stake_err_not_enough_belance(chain):
    """staking.rs `test_add_stake_err_not_enough_belance`."""
    netuid = add_dynamic_network(chain, acct(54544), acct(544))
    chain.fails(E.NotEnoughBalanceToStake, "add_stake", acct(544), hotkey=acct(54544), netuid=netuid,
                amount_staked=DEFAULT_MIN_STAKE * 10)


def test_staking_too_little_fails(chain):
    """staking.rs `test_staking_too_little_fails`: 1 rao is below DefaultMinStake + fee."""
    netuid = add_dynamic_network(chain, acct(533453), acct(55453))
    chain.fund(acct(55453), 10_000)
    chain.fails(E.AmountTooLow, "add_stake", acct(55453), hotkey=acct(533453), netuid=netuid, amount_staked=1)


def test_add_stake_minimum_includes_the_fee(chain):
    """validate_add_stake: exactly DefaultMinStake is too little on a pool with a fee (its fee
    is added to the minimum); the minimum plus that fee is enough."""
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    setup_reserves(chain, netuid, 10**12, 10**12)
    swap.handler.init_swap(netuid, None)
    fee = swap.handler.sim_swap_tao_for_alpha(netuid, DEFAULT_MIN_STAKE).fee_paid
    assert fee > 0
    chain.fund(acct(3), 10**9)
    chain.fails(E.AmountTooLow, "add_stake", acct(3), hotkey=acct(2), netuid=netuid,
                amount_staked=DEFAULT_MIN_STAKE + fee - 1)
    chain.call("add_stake", acct(3), hotkey=acct(2), netuid=netuid, amount_staked=DEFAULT_MIN_STAKE + fee)


def test_add_stake_subtoken_disabled(chain):
    """subnet.rs `test_subtoken_enable_reject_trading_before_enable`: staking into a subnet
    whose subtoken is not enabled is `SubtokenDisabled`."""
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    S.SubtokenEnabled.insert(netuid, False)
    chain.fund(acct(3), 10**9)
    chain.fails(E.SubtokenDisabled, "add_stake", acct(3), hotkey=acct(2), netuid=netuid, amount_staked=10**8)
    chain.fails(E.SubtokenDisabled, "remove_stake", acct(3), hotkey=acct(2), netuid=netuid, amount_unstaked=10**8)


def test_add_stake_nonexistent_subnet(chain):
    add_dynamic_network(chain, acct(2), acct(1))
    chain.fund(acct(3), 10**9)
    S.SubtokenEnabled.insert(99, True)
    chain.fails(E.SubnetNotExists, "add_stake", acct(3), hotkey=acct(2), netuid=99, amount_staked=10**8)


# ---------------------------------------------------------------------------------------
# remove_stake


def test_remove_stake_ok_no_emission(chain):
    """staking.rs `test_remove_stake_ok_no_emission`: unstaking the whole position pays the
    coldkey more than 90% of it less the fee and leaves no stake."""
    hotkey, coldkey = acct(4968585), acct(4343)
    amount = DEFAULT_MIN_STAKE * 10
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    create_account_if_non_existent(coldkey, hotkey)
    increase_stake(chain, netuid, hotkey, coldkey, amount)
    sim = swap.handler.sim_swap_alpha_for_tao(netuid, amount)
    setup_reserves(chain, netuid, S.SubnetTAO.get(netuid) + sim.amount_paid_out + sim.fee_paid,
                   S.SubnetAlphaIn.get(netuid))
    chain.call("remove_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_unstaked=amount)
    assert chain.balance(coldkey) > amount // 10 * 9 - sim.fee_paid
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == 0
    event = chain.named("StakeRemoved")[-1]
    assert (event.coldkey, event.hotkey, event.tao, event.alpha, event.netuid) == \
        (coldkey, hotkey, chain.balance(coldkey), amount, netuid)


def test_remove_stake_amount_too_low(chain):
    """staking.rs `test_remove_stake_amount_too_low`: unstaking 0 alpha."""
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    create_account_if_non_existent(acct(4343), acct(4968585))
    increase_stake(chain, netuid, acct(4968585), acct(4343), 10_000)
    chain.fails(E.AmountTooLow, "remove_stake", acct(4343), hotkey=acct(4968585), netuid=netuid, amount_unstaked=0)


def test_remove_stake_no_enough_stake(chain):
    """staking.rs `test_remove_stake_no_enough_stake`: with no stake the amount is capped to
    0, which is `AmountTooLow`."""
    netuid = add_dynamic_network(chain, acct(54544), acct(544))
    chain.fails(E.AmountTooLow, "remove_stake", acct(544), hotkey=acct(54544), netuid=netuid,
                amount_unstaked=DEFAULT_MIN_STAKE * 10)


def _remove_stake_with_pending_child(chain, threshold: int) -> tuple[int, bytes]:
    """children.rs `test_do_remove_stake_clears_pending_childkeys`'s set-up and unstake: a
    hotkey with a pending child unstakes everything; returns (netuid, hotkey)."""
    from pysubtensor.pallets.subtensor.hierarchy.children import do_schedule_children

    coldkey, hotkey, child = acct(1), acct(2), acct(3)
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    chain.fund(coldkey, 10_000_000_000_000)
    setup_reserves(chain, netuid, 10**18, 10**18)
    S.StakeThreshold.put(threshold)
    chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=2 * 1_000_000_000_000)
    alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    do_schedule_children(coldkey, hotkey, netuid, [(1000, child)])
    children, cooldown = S.PendingChildKeys.get(netuid, hotkey)
    assert children and cooldown > 0
    chain.step_block()  # the staking rate limiter (`remove_stake_rate_limit_for_tests`)
    chain.call("remove_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_unstaked=alpha)
    return netuid, hotkey


def test_do_remove_stake_clears_pending_childkeys(chain):
    """children.rs `test_do_remove_stake_clears_pending_childkeys`: with `StakeThreshold` at
    1,000 TAO, unstaking everything drops the hotkey's pending children (and cooldown)."""
    netuid, hotkey = _remove_stake_with_pending_child(chain, 1_000_000_000_000)
    assert S.PendingChildKeys.get(netuid, hotkey) == ([], 0)
    assert not S.PendingChildKeys.contains_key(netuid, hotkey)


def test_remove_stake_keeps_pending_childkeys_at_threshold_zero(chain):
    """The same with `StakeThreshold` 0: no total is below it, the pending children stay."""
    netuid, hotkey = _remove_stake_with_pending_child(chain, 0)
    children, cooldown = S.PendingChildKeys.get(netuid, hotkey)
    assert children and cooldown > 0


def test_stake_rate_limits(chain):
    """staking.rs `test_stake_rate_limits`: a stake sets the limiter, so unstaking in the same
    block is `StakingOperationRateLimitExceeded`; the next block's finalize cleared it."""
    hot1, cold1 = acct(1), acct(3)
    netuid = add_dynamic_network(chain, acct(20), acct(10))
    setup_reserves(chain, netuid, 10**12, 10**12)
    amount, fee = DEFAULT_MIN_STAKE * 10, DEFAULT_MIN_STAKE
    create_account_if_non_existent(cold1, hot1)
    chain.fund(cold1, amount + fee + ED)
    chain.call("add_stake", cold1, hotkey=hot1, netuid=netuid, amount_staked=amount + fee)
    chain.fails(E.StakingOperationRateLimitExceeded, "remove_stake", cold1, hotkey=hot1, netuid=netuid,
                amount_unstaked=amount)
    assert S.StakingOperationRateLimiter.contains_key(hot1, cold1, netuid)
    chain.step_block()
    assert not S.StakingOperationRateLimiter.contains_key(hot1, cold1, netuid)
    chain.call("remove_stake", cold1, hotkey=hot1, netuid=netuid, amount_unstaked=amount)


def test_stake_and_unstake_keep_total_issuance(chain):
    """staking.rs `test_add_stake_total_issuance_no_change` / `test_remove_stake_total_issuance_no_change`:
    the TAO only moves between accounts (coldkey, subnet account, block author)."""
    hotkey, coldkey = acct(2), acct(3)
    netuid = add_dynamic_network(chain, hotkey, acct(1))
    setup_reserves(chain, netuid, 10**12, 2 * 10**12)
    chain.fund(coldkey, 10 * 10**9)
    watched = [coldkey, subnet_account_id(netuid), AUTHOR]
    before = issuance_and_balances(watched)
    chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=5 * 10**9)
    assert issuance_and_balances(watched) == before
    chain.step_block()
    alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    chain.call("remove_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_unstaked=alpha)
    assert issuance_and_balances(watched) == before
    # The pool's TAO reserve never exceeds what the subnet account holds.
    assert S.SubnetTAO.get(netuid) <= chain.balance(subnet_account_id(netuid))


def test_block_author_gets_the_fee_share():
    """stake_into_subnet / unstake_from_subnet: `fee_to_block_author` goes from the subnet
    account to the block author's account, total issuance unchanged."""
    bind_st, bind_swap = _bind(block_author=lambda: AUTHOR)
    with bind_st, bind_swap, frame_env(balances.pallet, st.pallet, swap.pallet) as ext, \
            capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)
        chain = StakingChain(ext, events)
        hotkey, coldkey = acct(2), acct(3)
        netuid = add_dynamic_network(chain, hotkey, acct(1))
        setup_reserves(chain, netuid, 10**12, 10**12)
        swap.handler.init_swap(netuid, None)
        chain.fund(AUTHOR, ED)
        chain.fund(coldkey, 10 * 10**9)
        issuance = fungible.total_issuance()
        amount = 5 * 10**9
        sim = swap.handler.sim_swap_tao_for_alpha(netuid, amount)
        assert sim.fee_to_block_author > 0
        chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=amount)
        assert chain.balance(AUTHOR) == ED + sim.fee_to_block_author
        assert fungible.total_issuance() == issuance
        # Unstaking: the author's share (in alpha) is sold in the pool, fee-free, and its TAO
        # paid to the author.
        chain.step_block()
        alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
        author_before, coldkey_before = chain.balance(AUTHOR), chain.balance(coldkey)
        chain.call("remove_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_unstaked=alpha)
        removed = chain.named("StakeRemoved")[-1]
        assert chain.balance(coldkey) == coldkey_before + removed.tao
        assert chain.balance(AUTHOR) > author_before
        assert S.SubnetTaoFlow.get(netuid) == sim.amount_paid_in - removed.tao - (chain.balance(AUTHOR) - author_before)
        assert fungible.total_issuance() == issuance


# ---------------------------------------------------------------------------------------
# limit orders


def test_add_stake_limit_fill_or_kill(chain):
    """staking.rs `test_add_stake_limit_fill_or_kill`: a stake that would push the price past
    the limit fails with `SlippageTooHigh` unless partial fills are allowed, and then buys only
    up to the limit."""
    hotkey, coldkey = acct(533453), acct(55453)
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    setup_reserves(chain, netuid, 150 * 10**9, 100 * 10**9)  # price 1.5
    swap.handler.init_swap(netuid, None)
    amount = 300 * 10**9
    chain.fund(coldkey, amount + ED)
    limit_price = 2_000_000_000
    chain.fails(E.SlippageTooHigh, "add_stake_limit", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=amount,
                limit_price=limit_price, allow_partial=False)
    chain.call("add_stake_limit", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=amount,
               limit_price=limit_price, allow_partial=True)
    price = swap.handler.current_alpha_price(netuid)
    assert price <= U64F64.from_num(2)
    assert chain.balance(coldkey) > ED


def test_add_stake_limit_partial_zero_max_stake_amount_error(chain):
    """staking.rs `test_add_stake_limit_partial_zero_max_stake_amount_error`: a limit below the
    current price leaves nothing to buy: the pool's `PriceLimitExceeded` (as main) or
    `ZeroMaxStakeAmount`, nothing changed."""
    hotkey, coldkey = acct(533453), acct(55453)
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    setup_reserves(chain, netuid, 5_32_891_770_000, 1_000_000_000_000)
    swap.handler.init_swap(netuid, None)
    chain.fund(coldkey, 10**12)
    with pytest.raises((E.ZeroMaxStakeAmount, swap.Error.PriceLimitExceeded)):
        chain.call("add_stake_limit", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=10**10,
                   limit_price=100, allow_partial=True)


def test_max_amount_on_root_is_all_or_nothing(chain):
    """staking.rs `test_max_amount_add_root` / `_remove_root`: root never moves: a limit at or
    above (add) / at or below (remove) 1.0 allows any amount, else `ZeroMaxStakeAmount`."""
    from pysubtensor.pallets.subtensor.staking.add_stake import max_amount_add
    from pysubtensor.pallets.subtensor.staking.remove_stake import max_amount_remove

    assert max_amount_add(0, 1_000_000_000) == (1 << 64) - 1
    with pytest.raises(E.ZeroMaxStakeAmount):
        max_amount_add(0, 999_999_999)
    assert max_amount_remove(0, 1_000_000_000) == (1 << 64) - 1
    with pytest.raises(E.ZeroMaxStakeAmount):
        max_amount_remove(0, 1_000_000_001)


# ---------------------------------------------------------------------------------------
# move / transfer / swap


def _staked(chain: Chain, netuid: int, hotkey: bytes, coldkey: bytes, amount: int, set_limit: bool = False) -> int:
    """The Rust tests' direct `stake_into_subnet` (the coldkey funded first)."""
    chain.fund(coldkey, amount + ED)
    stake_into_subnet(hotkey, coldkey, netuid, amount, MAX_PRICE, set_limit, False)
    return accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)


def test_do_move_success(chain):
    """move_stake.rs `test_do_move_success`: the whole stake moves to another hotkey on the
    same subnet (within 1/1000), StakeMoved carries its TAO value."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, origin, destination = acct(1), acct(2), acct(3)
    create_account_if_non_existent(coldkey, origin)
    create_account_if_non_existent(coldkey, destination)
    alpha = _staked(chain, netuid, origin, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.call("move_stake", coldkey, origin_hotkey=origin, destination_hotkey=destination, origin_netuid=netuid,
               destination_netuid=netuid, alpha_amount=alpha)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(origin, coldkey, netuid) == 0
    moved = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(destination, coldkey, netuid)
    assert abs(moved - alpha) <= alpha // 1000
    event = chain.named("StakeMoved")[-1]
    assert (event.coldkey, event.origin_hotkey, event.origin_netuid, event.destination_hotkey,
            event.destination_netuid) == (coldkey, origin, netuid, destination, netuid)


def test_do_move_same_hotkey_fails(chain):
    """move_stake.rs `test_do_move_same_hotkey_fails`: `SameNetuid`, the stake unchanged."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    alpha = _staked(chain, netuid, hotkey, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.fails(E.SameNetuid, "move_stake", coldkey, origin_hotkey=hotkey, destination_hotkey=hotkey,
                origin_netuid=netuid, destination_netuid=netuid, alpha_amount=alpha)


def test_do_move_nonexistent_subnet(chain):
    """move_stake.rs `test_do_move_nonexistent_subnet`."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, origin, destination = acct(1), acct(2), acct(3)
    create_account_if_non_existent(coldkey, origin)
    create_account_if_non_existent(coldkey, destination)
    _staked(chain, netuid, origin, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.fails(E.SubnetNotExists, "move_stake", coldkey, origin_hotkey=origin, destination_hotkey=destination,
                origin_netuid=netuid, destination_netuid=99, alpha_amount=1_000_000)


def test_do_move_nonexistent_destination_hotkey(chain):
    """move_stake.rs `test_do_move_nonexistent_destination_hotkey`."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, origin = acct(1), acct(2)
    create_account_if_non_existent(coldkey, origin)
    alpha = _staked(chain, netuid, origin, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.fails(E.HotKeyAccountNotExists, "move_stake", coldkey, origin_hotkey=origin, destination_hotkey=acct(4),
                origin_netuid=netuid, destination_netuid=netuid, alpha_amount=alpha)


def test_do_move_different_subnets(chain):
    """move_stake.rs `test_do_move_different_subnets`: across subnets the alpha is sold for
    TAO and restaked; the origin stake is gone, the destination holds the alpha bought, and
    the TAO passed from one subnet account to the other."""
    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    n2 = add_dynamic_network(chain, acct(1004), acct(1003))
    for n in (n1, n2):
        setup_reserves(chain, n, 10**12, 10**12)
    coldkey, origin, destination = acct(1), acct(2), acct(3)
    create_account_if_non_existent(coldkey, origin)
    create_account_if_non_existent(coldkey, destination)
    alpha = _staked(chain, n1, origin, coldkey, DEFAULT_MIN_STAKE * 10)
    watched = [coldkey, subnet_account_id(n1), subnet_account_id(n2)]
    before = issuance_and_balances(watched)
    chain.call("move_stake", coldkey, origin_hotkey=origin, destination_hotkey=destination, origin_netuid=n1,
               destination_netuid=n2, alpha_amount=alpha)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(origin, coldkey, n1) == 0
    moved = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(destination, coldkey, n2)
    assert abs(moved - alpha) <= alpha // 100  # two fees of 33/65535
    assert issuance_and_balances(watched) == before
    event = chain.named("StakeMoved")[-1]
    assert event.tao == chain.named("StakeRemoved")[-1].tao == chain.named("StakeAdded")[-1].tao


def test_do_transfer_success(chain):
    """move_stake.rs `test_do_transfer_success`: the stake changes coldkey on the same hotkey
    and subnet; StakeTransferred."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    origin_coldkey, destination_coldkey, hotkey = acct(1), acct(2), acct(3)
    create_account_if_non_existent(origin_coldkey, hotkey)
    alpha = _staked(chain, netuid, hotkey, origin_coldkey, DEFAULT_MIN_STAKE * 10)
    chain.call("transfer_stake", origin_coldkey, destination_coldkey=destination_coldkey, hotkey=hotkey,
               origin_netuid=netuid, destination_netuid=netuid, alpha_amount=alpha)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, origin_coldkey, netuid) == 0
    assert abs(accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, destination_coldkey, netuid)
               - alpha) <= alpha // 1000
    event = chain.named("StakeTransferred")[-1]
    assert (event.origin_coldkey, event.destination_coldkey, event.hotkey) == \
        (origin_coldkey, destination_coldkey, hotkey)


def test_do_transfer_different_subnets(chain):
    """move_stake.rs `test_do_transfer_different_subnets`: the origin coldkey's alpha on one
    subnet becomes the destination coldkey's alpha on another (the TAO passes from the origin
    coldkey to the destination coldkey and into the destination pool, fee-free there); the
    destination's alpha is what the TAO buys, within 1000 (and the existential deposit the
    keep-alive transfer leaves with the destination coldkey)."""
    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    n2 = add_dynamic_network(chain, acct(1002), acct(1001))
    origin_coldkey, destination_coldkey, hotkey = acct(1), acct(2), acct(3)
    create_account_if_non_existent(origin_coldkey, hotkey)
    create_account_if_non_existent(destination_coldkey, hotkey)
    chain.fund(origin_coldkey, 1_000_000_000)
    stake_into_subnet(hotkey, origin_coldkey, n1, DEFAULT_MIN_STAKE * 10, MAX_PRICE, False, False)
    alpha = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, origin_coldkey, n1)
    origin_balance = chain.balance(origin_coldkey)
    tao = swap.handler.sim_swap_alpha_for_tao(n1, alpha).amount_paid_out
    expected = swap.handler.swap_tao_for_alpha(n2, tao - ED, MAX_PRICE, True, True).amount_paid_out
    chain.call("transfer_stake", origin_coldkey, destination_coldkey=destination_coldkey, hotkey=hotkey,
               origin_netuid=n1, destination_netuid=n2, alpha_amount=alpha)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, origin_coldkey, n1) == 0
    got = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, destination_coldkey, n2)
    assert abs(got - expected) <= 1000
    assert chain.balance(origin_coldkey) == origin_balance
    assert chain.named("StakeTransferred")[-1].tao == tao


def test_do_transfer_disallowed(chain):
    """validate_stake_transition: `TransferToggle` off forbids transfer_stake (only it)."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    origin_coldkey, hotkey = acct(1), acct(3)
    create_account_if_non_existent(origin_coldkey, hotkey)
    alpha = _staked(chain, netuid, hotkey, origin_coldkey, DEFAULT_MIN_STAKE * 10)
    S.TransferToggle.insert(netuid, False)
    chain.fails(E.TransferDisallowed, "transfer_stake", origin_coldkey, destination_coldkey=acct(2), hotkey=hotkey,
                origin_netuid=netuid, destination_netuid=netuid, alpha_amount=alpha)


def test_transfer_stake_rate_limited(chain):
    """move_stake.rs `test_transfer_stake_rate_limited`: a stake made with the limit set
    cannot be transferred in the same block."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    origin_coldkey, destination_coldkey, hotkey = acct(1), acct(2), acct(3)
    create_account_if_non_existent(origin_coldkey, hotkey)
    create_account_if_non_existent(destination_coldkey, hotkey)
    alpha = _staked(chain, netuid, hotkey, origin_coldkey, DEFAULT_MIN_STAKE * 10, set_limit=True)
    chain.fails(E.StakingOperationRateLimitExceeded, "transfer_stake", origin_coldkey,
                destination_coldkey=destination_coldkey, hotkey=hotkey, origin_netuid=netuid,
                destination_netuid=netuid, alpha_amount=alpha)


def test_do_swap_success(chain):
    """move_stake.rs `test_do_swap_success`: the same position moves to another subnet;
    StakeSwapped carries the TAO it sold for."""
    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    n2 = add_dynamic_network(chain, acct(1004), acct(1003))
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    alpha = _staked(chain, n1, hotkey, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.call("swap_stake", coldkey, hotkey=hotkey, origin_netuid=n1, destination_netuid=n2, alpha_amount=alpha)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, n1) == 0
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, n2) > 0
    event = chain.named("StakeSwapped")[-1]
    assert (event.coldkey, event.hotkey, event.origin_netuid, event.destination_netuid) == (coldkey, hotkey, n1, n2)
    assert S.StakingOperationRateLimiter.get(hotkey, coldkey, n2)


def test_do_transfer_insufficient_stake(chain):
    """move_stake.rs `test_do_transfer_insufficient_stake`: an amount over the stake succeeds
    ("because fees can be paid in Alpha, this limitation is removed": transition_stake_internal
    caps it at the stake), and what moves is the whole position."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    origin_coldkey, destination_coldkey, hotkey = acct(1), acct(2), acct(3)
    create_account_if_non_existent(origin_coldkey, hotkey)
    stake_amount = DEFAULT_MIN_STAKE * 10
    alpha = _staked(chain, netuid, hotkey, origin_coldkey, stake_amount)
    chain.call("transfer_stake", origin_coldkey, destination_coldkey=destination_coldkey, hotkey=hotkey,
               origin_netuid=netuid, destination_netuid=netuid, alpha_amount=stake_amount * 2)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, origin_coldkey, netuid) == 0
    assert abs(accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, destination_coldkey, netuid)
               - alpha) <= 1


def test_do_swap_insufficient_stake(chain):
    """move_stake.rs `test_do_swap_insufficient_stake`: swapping twice the stake succeeds; the
    amount sold is the stake (StakeRemoved's alpha), nothing is left on the origin subnet."""
    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    n2 = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    stake_amount = DEFAULT_MIN_STAKE * 5
    alpha = _staked(chain, n1, hotkey, coldkey, stake_amount)
    chain.call("swap_stake", coldkey, hotkey=hotkey, origin_netuid=n1, destination_netuid=n2,
               alpha_amount=stake_amount * 2)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, n1) == 0
    assert chain.named("StakeRemoved")[-1].alpha == alpha
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, n2) > 0


def test_do_swap_minimum_stake_check(chain):
    """move_stake.rs `test_do_swap_minimum_stake_check`: moving alpha worth no more than
    DefaultMinStake across subnets is `AmountTooLow`."""
    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    n2 = add_dynamic_network(chain, acct(1004), acct(1003))
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    _staked(chain, n1, hotkey, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.fails(E.AmountTooLow, "swap_stake", coldkey, hotkey=hotkey, origin_netuid=n1, destination_netuid=n2,
                alpha_amount=1)


# ---------------------------------------------------------------------------------------
# unstake_all / unstake_all_alpha / remove_stake_full_limit


def test_unstake_all_and_unstake_all_alpha(chain):
    """remove_stake.rs `do_unstake_all_alpha`: every subnet's alpha is sold and the TAO staked
    on root (1:1); then `unstake_all` takes the root stake back to the coldkey."""
    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    S.NetworksAdded.insert(0, True)
    S.SubtokenEnabled.insert(0, True)
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    _staked(chain, n1, hotkey, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.step_block()
    chain.fund(subnet_account_id(0), ED)
    chain.call("unstake_all_alpha", coldkey, hotkey=hotkey)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, n1) == 0
    root = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, 0)
    assert root == chain.named("StakeRemoved")[-1].tao
    assert S.StakingColdkeys.get(coldkey) == 0 and S.NumStakingColdkeys.get() == 1
    balance = chain.balance(coldkey)
    chain.call("unstake_all", coldkey, hotkey=hotkey)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, 0) == 0
    assert chain.balance(coldkey) == balance + root
    chain.fails(E.HotKeyAccountNotExists, "unstake_all", coldkey, hotkey=acct(9))


def test_remove_stake_full_limit(chain):
    """remove_stake.rs `do_remove_stake_full_limit`: without a limit everything is unstaken."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    _staked(chain, netuid, hotkey, coldkey, DEFAULT_MIN_STAKE * 10)
    chain.call("remove_stake_full_limit", coldkey, hotkey=hotkey, netuid=netuid, limit_price=None)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == 0


# ---------------------------------------------------------------------------------------
# root stake: root-claim bookkeeping


def test_root_stake_adjusts_root_claimed(chain):
    """claim_root.rs `add_stake_adjust_root_claimed_for_hotkey_and_coldkey`: stake added on
    root raises `RootClaimed` by the hotkey's claimable rate times the alpha; removing it lowers
    it again (root's own rate is skipped on removal)."""
    S.NetworksAdded.insert(0, True)
    S.SubtokenEnabled.insert(0, True)
    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    rate = I96F32.from_num(3) // 2  # 1.5 in I96F32
    S.RootClaimable.insert(hotkey, {n1: rate})
    chain.fund(subnet_account_id(0), ED)
    chain.fund(coldkey, 10**9 + ED)
    chain.call("add_stake", coldkey, hotkey=hotkey, netuid=0, amount_staked=10**9)
    assert S.RootClaimed.get(n1, hotkey, coldkey) == 1_500_000_000
    chain.step_block()
    chain.call("remove_stake", coldkey, hotkey=hotkey, netuid=0, amount_unstaked=4 * 10**8)
    assert S.RootClaimed.get(n1, hotkey, coldkey) == 900_000_000


# ---------------------------------------------------------------------------------------
# recycle / burn / add_stake_burn


def test_recycle_success_and_burn_success(chain):
    """recycle_alpha.rs `test_recycle_success`, `test_burn_success`: recycling lowers the
    stake and SubnetAlphaOut; burning lowers the stake only."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    increase_stake(chain, netuid, hotkey, coldkey, 200_000)
    alpha_out = S.SubnetAlphaOut.get(netuid)
    chain.call("recycle_alpha", coldkey, hotkey=hotkey, amount=100_000, netuid=netuid)
    assert S.TotalHotkeyAlpha.get(hotkey, netuid) == 100_000
    assert S.SubnetAlphaOut.get(netuid) == alpha_out - 100_000
    assert chain.named("AlphaRecycled")[-1].amount == 100_000
    chain.call("burn_alpha", coldkey, hotkey=hotkey, amount=50_000, netuid=netuid)
    assert S.TotalHotkeyAlpha.get(hotkey, netuid) == 50_000
    assert S.SubnetAlphaOut.get(netuid) == alpha_out - 100_000
    assert chain.named("AlphaBurned")[-1].amount == 50_000


def test_recycle_errors(chain):
    """recycle_alpha.rs `test_recycle_errors` (and `test_burn_errors`)."""
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    S.NetworksAdded.insert(0, True)
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    increase_stake(chain, netuid, hotkey, coldkey, 200_000)
    for call in ("recycle_alpha", "burn_alpha"):
        chain.fails(E.SubnetNotExists, call, coldkey, hotkey=hotkey, amount=100_000, netuid=99)
        chain.fails(E.CannotBurnOrRecycleOnRootSubnet, call, coldkey, hotkey=hotkey, amount=100_000, netuid=0)
        chain.fails(E.HotKeyAccountNotExists, call, coldkey, hotkey=acct(3), amount=100_000, netuid=netuid)
    S.TotalHotkeyAlpha.insert(hotkey, netuid, S.SubnetAlphaOut.get(netuid) * 2)
    for call in ("recycle_alpha", "burn_alpha"):
        chain.fails(E.InsufficientLiquidity, call, coldkey, hotkey=hotkey, amount=S.SubnetAlphaOut.get(netuid) + 1,
                    netuid=netuid)


def test_add_stake_burn_rate_limit_exceeded(chain):
    """recycle_alpha.rs `test_add_stake_burn_rate_limit_exceeded`: once per tempo; the alpha
    bought is burned (the stake is back to nothing, AddStakeBurn carries it)."""
    hotkey, coldkey = acct(533453), acct(55453)
    amount = 10_000_000_000
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    setup_reserves(chain, netuid, 10**12, 10**12)
    chain.fund(coldkey, amount * 10)
    assert S.LastRateLimitedBlock.get(("AddStakeBurn", netuid)) == 0
    chain.call("add_stake_burn", coldkey, hotkey=hotkey, netuid=netuid, amount=amount, limit=None)
    assert S.LastRateLimitedBlock.get(("AddStakeBurn", netuid)) == 1
    event = chain.named("AddStakeBurn")[-1]
    assert (event.netuid, event.hotkey, event.amount) == (netuid, hotkey, amount)
    assert event.alpha == chain.named("AlphaBurned")[-1].amount > 0
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == 0
    chain.fails(E.AddStakeBurnRateLimitExceeded, "add_stake_burn", coldkey, hotkey=hotkey, netuid=netuid,
                amount=amount, limit=None)
    chain.step_block(S.Tempo.get(netuid))
    chain.call("add_stake_burn", coldkey, hotkey=hotkey, netuid=netuid, amount=amount, limit=None)


def test_add_stake_burn_non_owner_fails(chain):
    """recycle_alpha.rs `test_add_stake_burn_non_owner_fails`: only the subnet owner."""
    from pysubtensor.pallets.support.dispatch import BadOrigin

    netuid = add_dynamic_network(chain, acct(533453), acct(55453))
    chain.fund(acct(9), 10**11)
    chain.fails(BadOrigin, "add_stake_burn", acct(9), hotkey=acct(533453), netuid=netuid, amount=10**10, limit=None)


# ---------------------------------------------------------------------------------------
# set_root_claim_type


def test_set_root_claim_type(chain):
    """claim_root.rs `set_root_claim_type` (claim_root tests `test_claim_root_set_claim_type`):
    the coldkey's type is stored and announced, the coldkey indexed; `KeepSubnets` with no
    subnet is `InvalidSubnetNumber`, nothing changed."""
    coldkey = acct(5)
    assert S.RootClaimType.get(coldkey) == "Swap"
    keep = ("Keep", None)  # a unit variant as a decoded call carries it
    chain.call("set_root_claim_type", coldkey, new_root_claim_type=keep)
    assert S.RootClaimType.get(coldkey) == keep
    event = chain.named("RootClaimTypeSet")[-1]
    assert (event.coldkey, event.root_claim_type) == (coldkey, keep)
    assert S.StakingColdkeys.get(coldkey) == 0 and S.StakingColdkeysByIndex.get(0) == coldkey
    chain.fails(E.InvalidSubnetNumber, "set_root_claim_type", acct(6),
                new_root_claim_type=("KeepSubnets", {"subnets": frozenset()}))
    chain.call("set_root_claim_type", coldkey, new_root_claim_type=("KeepSubnets", {"subnets": frozenset({1, 2})}))
    assert S.RootClaimType.get(coldkey) == ("KeepSubnets", {"subnets": frozenset({1, 2})})
    assert S.NumStakingColdkeys.get() == 1


# ---------------------------------------------------------------------------------------
# get_max_amount_move (move_stake.rs), the staking.rs tables


@pytest.mark.parametrize(("limit", "expected"), [
    (0, U64_MAX), (500_000_000, U64_MAX), (999_999_999, U64_MAX), (1_000_000_000, U64_MAX),
    (1_000_000_001, None), (2_000_000_000, None),
])
def test_max_amount_move_root_root_and_root_stable(chain, limit, expected):
    """staking.rs `test_max_amount_move_root_root`, `test_max_amount_move_root_stable`: nothing
    moves the price, so a limit up to 1.0 allows anything, above it `ZeroMaxStakeAmount`."""
    from pysubtensor.pallets.subtensor.staking.move_stake import get_max_amount_move

    S.NetworksAdded.insert(1, True)  # a stable subnet (mechanism 0)
    for destination in (0, 1):
        if expected is None:
            with pytest.raises(E.ZeroMaxStakeAmount):
                get_max_amount_move(0, destination, limit)
        else:
            assert get_max_amount_move(0, destination, limit) == expected


#: (tao_in_1, alpha_in_1, tao_in_2, alpha_in_2, limit_price, expected, precision)
MOVE_DYNAMIC_DYNAMIC = [
    (0, 10**9, 10**9, 10**9, 100, 0, 1),
    (10**9, 0, 10**9, 10**9, 100, 0, 1),
    (10**9, 10**9, 0, 10**9, 100, 0, 1),
    (10**9, 10**9, 10**9, 0, 100, 0, 1),
    (1, 1, 1, 1, 0, U64_MAX, 1),
    (1, 1, 1, 1, 1, 500_000_000, 1),
    (1, 1, 1, 1, 2, 250_000_000, 1),
    (1, 1, 1, 1, 3, 166_666_666, 1),
    (1, 1, 1, 1, 4, 125_000_000, 1),
    (1, 1, 1, 1, 1_000, 500_000, 1),
    (1_000, 1_000, 1_000, 1_000, 500_000_000, 500, 1),
    (1_000, 1_000, 1_000, 1_000, 100_000_000, 4_500, 1),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 100_000_000, 560 * 10**9, 1_000_000),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 500_000_000, 80 * 10**9, 1_000_000),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 750_000_000, 40 * 10**9, 1_000_000),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 1_000_000_000, 20 * 10**9, 1_000),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 1_250_000_000, 8 * 10**9, 1_000),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 1_499_999_999, 27, 1),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 1_500_000_000, 0, 1),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 1_500_000_001, 0, 1),
    (150 * 10**9, 100 * 10**9, 100 * 10**9, 100 * 10**9, 2_000_000_000, 0, 1),
]


@pytest.mark.parametrize(("tao_1", "alpha_1", "tao_2", "alpha_2", "limit", "expected", "precision"),
                         MOVE_DYNAMIC_DYNAMIC)
def test_max_amount_move_dynamic_dynamic(chain, tao_1, alpha_1, tao_2, alpha_2, limit, expected, precision):
    """staking.rs `test_max_amount_move_dynamic_dynamic` (errors count as 0, as the Rust
    test's `unwrap_or(0)`), within the Rust test's precision."""
    from pysubtensor.pallets.subtensor.staking.move_stake import get_max_amount_move

    n1 = add_dynamic_network(chain, acct(1002), acct(1001))
    n2 = add_dynamic_network(chain, acct(1002), acct(1001))
    for netuid, tao, alpha in ((n1, tao_1, alpha_1), (n2, tao_2, alpha_2)):
        S.SubnetTAO.insert(netuid, tao)
        S.SubnetAlphaIn.insert(netuid, alpha)
    try:
        got = get_max_amount_move(n1, n2, limit)
    except E.ZeroMaxStakeAmount:
        got = 0
    assert abs(got - expected) <= precision


def test_add_stake_limit_ok(chain):
    """staking.rs `test_add_stake_limit_ok`: pool 150/100 (price 1.5), limit 24 with partial
    fills: 450 TAO buy 75 alpha (within 1/1000), the coldkey keeps the other 450 less the fee,
    the price ends at 24."""
    hotkey, coldkey = acct(533453), acct(55453)
    amount = 900 * 10**9
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    setup_reserves(chain, netuid, 150 * 10**9, 100 * 10**9)
    swap.handler.init_swap(netuid, None)
    assert swap.handler.current_alpha_price(netuid) == U64F64.from_num(3) // 2
    chain.fund(coldkey, amount + ED)
    chain.call("add_stake_limit", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=amount,
               limit_price=24 * 10**9, allow_partial=True)
    expected = 75 * 10**9
    assert abs(accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) - expected) \
        <= expected // 1000
    fee = swap.handler.approx_fee_amount(netuid, amount // 2)
    assert abs(chain.balance(coldkey) - ED - (amount // 2 - fee)) <= amount // 2 // 1000
    assert abs(swap.handler.current_alpha_price(netuid) - U64F64.from_num(24)) <= U64F64.from_num(1) // 1000


def test_remove_stake_limit_fill_or_kill(chain):
    """staking.rs `test_remove_stake_limit_fill_or_kill`: selling 150 alpha into a 150/100
    pool would take the price below 1.35: `SlippageTooHigh` without partial fills; a hundredth
    of it goes through."""
    hotkey, coldkey = acct(533453), acct(55453)
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    increase_stake(chain, netuid, hotkey, coldkey, 300 * 10**9)
    setup_reserves(chain, netuid, 150 * 10**9, 100 * 10**9)
    swap.handler.init_swap(netuid, None)
    chain.fails(E.SlippageTooHigh, "remove_stake_limit", coldkey, hotkey=hotkey, netuid=netuid,
                amount_unstaked=150 * 10**9, limit_price=1_350_000_000, allow_partial=False)
    chain.call("remove_stake_limit", coldkey, hotkey=hotkey, netuid=netuid, amount_unstaked=150 * 10**9 // 100,
               limit_price=1_350_000_000, allow_partial=False)
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == 300 * 10**9 - 15 * 10**8


def test_remove_stake_limit_ok(chain):
    """staking.rs `test_remove_stake_limit_ok`: after 300 TAO staked into a 100/100 pool, an
    unstake of half the stake limited to 99% of the price (partial fills) sells only about
    0.138% of the initial alpha reserve, plus the fee (within a tenth of it)."""
    hotkey, coldkey = acct(533453), acct(55453)
    stake_amount = 300 * 10**9
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    chain.fund(coldkey, stake_amount + ED)
    setup_reserves(chain, netuid, 100 * 10**9, 100 * 10**9)
    swap.handler.init_swap(netuid, None)
    chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=stake_amount)
    alpha_before = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    limit_price = swap.handler.current_alpha_price(netuid) * 990_000_000 >> 64
    expected = 138_000_000  # 0.00138 of the 100e9 alpha reserve
    fee = expected * 3 // 1000
    chain.step_block()  # `remove_stake_rate_limit_for_tests`
    chain.call("remove_stake_limit", coldkey, hotkey=hotkey, netuid=netuid, amount_unstaked=alpha_before // 2,
               limit_price=limit_price, allow_partial=True)
    alpha_after = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    assert abs(alpha_before - alpha_after - (expected + fee)) <= expected // 10
    # Only the amount the limit allows leaves the stake (StakeRemoved's alpha), not the request.
    removed = chain.named("StakeRemoved")[-1]
    assert abs(removed.alpha - (alpha_before - alpha_after)) <= 1_000


# ---------------------------------------------------------------------------------------
# claim_root


def test_claim_root_subnet_limits(chain):
    """claim_root.rs `test_claim_root_subnet_limits`: no subnet, or more than 5."""
    chain.fails(E.InvalidSubnetNumber, "claim_root", acct(1003), subnets=frozenset())
    chain.fails(E.InvalidSubnetNumber, "claim_root", acct(1003), subnets=frozenset(range(11)))


def _root_staker(chain: Chain, rate_num: int, rate_den: int) -> tuple[int, bytes, bytes]:
    """A coldkey with 10 TAO on root through a hotkey that is owed `rate` alpha per root stake
    on a dynamic subnet whose pool holds the alpha to pay it."""
    S.NetworksAdded.insert(0, True)
    S.SubtokenEnabled.insert(0, True)
    netuid = add_dynamic_network(chain, acct(1002), acct(1001))
    setup_reserves(chain, netuid, 10**12, 10**12)
    coldkey, hotkey = acct(1), acct(2)
    create_account_if_non_existent(coldkey, hotkey)
    chain.fund(subnet_account_id(0), ED)
    chain.fund(coldkey, 10 * 10**9 + ED)
    chain.call("add_stake", coldkey, hotkey=hotkey, netuid=0, amount_staked=10 * 10**9)
    S.RootClaimable.insert(hotkey, {netuid: I96F32.from_num(rate_num) // rate_den})
    S.SubnetAlphaOut.mutate(netuid, lambda a: a + 10**10)  # the emitted alpha the claims pay
    return netuid, coldkey, hotkey


def _owed(netuid: int, hotkey: bytes, coldkey: bytes) -> int:
    """claim_root.rs `get_root_owed_for_hotkey_coldkey`: the I96F32 rate (0.1 is not exact in
    binary) times the root stake, floored, less RootClaimed."""
    rate = S.RootClaimable.get(hotkey)[netuid]
    root = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, 0)
    return (rate * root >> 32) - S.RootClaimed.get(netuid, hotkey, coldkey)


def test_claim_root_keep(chain):
    """claim_root.rs `root_claim_on_subnet` with `Keep`: the owed alpha (rate x root stake less
    what was claimed) becomes stake on the subnet; RootClaimed grows by it; claiming again
    owes nothing; RootClaimed event."""
    netuid, coldkey, hotkey = _root_staker(chain, 1, 10)
    chain.call("set_root_claim_type", coldkey, new_root_claim_type=("Keep", None))
    owed = _owed(netuid, hotkey, coldkey)
    assert abs(owed - 10**9) <= 2
    chain.call("claim_root", coldkey, subnets=frozenset({netuid}))
    kept = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    assert abs(kept - owed) <= 2  # the share pool's U64F64 rounding
    assert S.RootClaimed.get(netuid, hotkey, coldkey) == owed
    assert chain.named("RootClaimed")[-1].coldkey == coldkey
    chain.call("claim_root", coldkey, subnets=frozenset({netuid}))
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == kept


def test_claim_root_swap_stakes_the_tao_on_root(chain):
    """claim_root.rs `root_claim_on_subnet` with `Swap` (the default): the owed alpha is sold
    in the subnet's pool (fee-free) and the TAO staked on root, its TAO moving from the subnet
    account to root's; RootClaimed grows by the alpha and by the rate on the new root stake."""
    netuid, coldkey, hotkey = _root_staker(chain, 1, 10)
    owed = _owed(netuid, hotkey, coldkey)
    sim = swap.handler.swap_alpha_for_tao(netuid, owed, swap.handler.min_price(), True, True)
    root_before = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, 0)
    root_account, issuance = chain.balance(subnet_account_id(0)), fungible.total_issuance()
    chain.call("claim_root", coldkey, subnets=frozenset({netuid}))
    root_after = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, 0)
    assert abs(root_after - (root_before + sim.amount_paid_out)) <= 2  # share-pool rounding
    assert chain.balance(subnet_account_id(0)) == root_account + sim.amount_paid_out
    rate = S.RootClaimable.get(hotkey)[netuid]
    assert S.RootClaimed.get(netuid, hotkey, coldkey) == owed + (rate * sim.amount_paid_out >> 32)
    assert fungible.total_issuance() == issuance


def test_claim_root_threshold_and_other_subnets(chain):
    """`RootClaimableThreshold`: an owed amount below it waits; subnets not named are not
    claimed."""
    netuid, coldkey, hotkey = _root_staker(chain, 1, 10**5)  # owes 100_000 < 500_000
    chain.call("set_root_claim_type", coldkey, new_root_claim_type=("Keep", None))
    chain.call("claim_root", coldkey, subnets=frozenset({netuid}))
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == 0
    S.RootClaimableThreshold.insert(netuid, 0)
    chain.call("claim_root", coldkey, subnets=frozenset({netuid + 1}))
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) == 0
    owed = _owed(netuid, hotkey, coldkey)
    assert abs(owed - 100_000) <= 2
    chain.call("claim_root", coldkey, subnets=frozenset({netuid}))
    assert abs(accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid) - owed) <= 2
    assert S.RootClaimed.get(netuid, hotkey, coldkey) == owed


def test_clear_small_nominations(chain):
    """staking.rs `test_clear_small_nominations`: with the nominator minimum (a per-million
    factor of DefaultMinStake) above two small positions, only the nomination (cold2 on hot1,
    which cold2 does not own) is unstaken to its coldkey; the owner's own small stake stays."""
    from pysubtensor.pallets.subtensor.staking.stake_utils import (
        clear_small_nominations,
        get_nominator_min_required_stake,
    )

    owner_cold, owner_hot = acct(10), acct(20)
    hot1, hot2, cold1, cold2 = acct(1), acct(2), acct(3), acct(4)
    netuid = add_dynamic_network(chain, owner_hot, owner_cold)
    amount, fee = DEFAULT_MIN_STAKE * 10, DEFAULT_MIN_STAKE
    swap.pallet.Storage.FeeRate.insert(netuid, 0)
    S.MaxRegistrationsPerBlock.insert(netuid, 10)  # register_ok_neuron writes no limit
    for hot, cold in ((hot1, cold1), (hot2, cold2)):
        chain.fund(cold, 10_000)
        S.Burn.insert(netuid, 1000)
        chain.call("burned_register", cold, netuid=netuid, hotkey=hot)
        assert S.Owner.get(hot) == cold

    small = {}
    for cold in (cold1, cold2):
        chain.fund(cold, amount + fee + ED)
        chain.call("add_stake", cold, hotkey=hot1, netuid=netuid, amount_staked=amount)
        staked = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hot1, cold, netuid)
        unstake = staked * 997 // 1000
        S.StakingOperationRateLimiter.remove(hot1, cold, netuid)
        chain.call("remove_stake", cold, hotkey=hot1, netuid=netuid, amount_unstaked=unstake)
        small[cold] = staked - unstake
        assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hot1, cold, netuid) == small[cold]
    before = {cold: chain.balance(cold) for cold in (cold1, cold2)}

    S.NominatorMinRequiredStake.put(0)
    assert get_nominator_min_required_stake() == 0
    clear_small_nominations()
    assert [accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hot1, c, netuid) for c in (cold1, cold2)] == \
        [small[cold1], small[cold2]]

    total_hot1, total_stake = S.TotalHotkeyAlpha.get(hot1, netuid), S.TotalStake.get()
    # The Rust test's factor is min(small) * 2; ours, 3/4 of cold2's stake, is below the stake
    # itself but its minimum in rao (factor * DefaultMinStake / 1e6, twice the factor) is not.
    # Through AdminUtils' root call, which clears when the new factor exceeds the old minimum.
    from pysubtensor.pallets import admin_utils

    admin_utils.pallet.dispatch(Origin.root(), ("sudo_set_nominator_min_required_stake",
                                                {"min_stake": small[cold2] * 3 // 4}))
    assert S.NominatorMinRequiredStake.get() < small[cold2] < get_nominator_min_required_stake()
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hot1, cold1, netuid) == small[cold1]
    assert accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hot1, cold2, netuid) == 0
    assert chain.balance(cold1) == before[cold1]
    assert chain.balance(cold2) > before[cold2]
    assert abs(S.TotalHotkeyAlpha.get(hot1, netuid) - (total_hot1 - small[cold2])) <= 1
    assert S.TotalStake.get() < total_stake


def test_unstake_from_subnet_partial_fill_refunds_the_rest(chain):
    """`unstake_from_subnet` with a limit price reached part way (stake_utils.rs: "Refund the
    unused alpha (in case if limit price is hit)"): 300 alpha offered to a 100/100 pool
    (price 1.0) with a limit of 0.9 sell only what takes the price to 0.9, which the
    constant-product pool fixes in closed form: reserve alpha 100e9/sqrt(0.9) after, i.e.
    ~5.409 alpha net plus the fee (33/65535 of the gross). The rest stays staked; the coldkey
    gets the TAO that left the reserve."""
    hotkey, coldkey = acct(533453), acct(55453)
    netuid = add_dynamic_network(chain, hotkey, coldkey)
    setup_reserves(chain, netuid, 100 * 10**9, 100 * 10**9)
    increase_stake(chain, netuid, hotkey, coldkey, 300 * 10**9)
    swap.handler.init_swap(netuid, None)
    alpha_out, balance = S.SubnetAlphaOut.get(netuid), chain.balance(coldkey)

    tao_paid = stake_utils.unstake_from_subnet(hotkey, coldkey, netuid, 300 * 10**9, 900_000_000, False)

    reserve_after = math.isqrt(10**22 * 10 // 9)  # alpha reserve at price 0.9 (tao·alpha constant)
    net_sold = reserve_after - 100 * 10**9  # 5_409_255_338
    fee = net_sold * 33 // (65_535 - 33)
    kept = accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, netuid)
    assert abs(300 * 10**9 - kept - (net_sold + fee)) <= 10
    assert abs(S.SubnetAlphaIn.get(netuid) - reserve_after) <= 10
    assert abs(tao_paid - (100 * 10**9 - 10**22 // reserve_after)) <= 10
    assert chain.balance(coldkey) == balance + tao_paid
    # outstanding alpha falls by what entered the reserve; the fee's alpha (no block author
    # here) goes to `burn_subnet_alpha`, whose Rust body is empty
    sold = S.SubnetAlphaIn.get(netuid) - 100 * 10**9
    assert S.SubnetAlphaOut.get(netuid) == alpha_out - sold
    assert abs(300 * 10**9 - kept - sold - fee) <= 1
    assert abs(swap.handler.current_alpha_price(netuid) - U64F64.from_num(9) // 10) <= U64F64.from_num(1) >> 30


# ---------------------------------------------------------------------------------------
# unstake_all's fast path: subnets where the coldkey holds no share entry are skipped


class _EverySubnet:
    """Stands in for `Alpha` in remove_stake.py: every subnet counts as held, so `unstake_all`
    takes the general path (each subnet read and validated, as the Rust loop does)."""

    @staticmethod
    def contains_key(hotkey: bytes, coldkey: bytes, netuid: int) -> bool:
        return True


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(layout=hs.lists(hs.tuples(hs.booleans(), hs.booleans(), hs.booleans()), min_size=3, max_size=3),
       root_stake=hs.booleans(), root_enabled=hs.booleans(), name=hs.sampled_from(["unstake_all", "unstake_all_alpha"]))
def test_unstake_all_fast_path_matches_the_general_path(chain, layout, root_stake, root_enabled, name):
    """Per subnet (staked?, subtoken enabled?, rate-limited?), with or without a root stake:
    the call's outcome, storage changes and events are those of the general loop."""
    from pysubtensor.pallets.subtensor.staking import remove_stake

    overlay = chain.ext.overlay
    overlay.start_transaction()
    try:
        coldkey, hotkey = acct(1), acct(2)
        S.NetworksAdded.insert(0, True)
        S.SubtokenEnabled.insert(0, True)
        chain.fund(subnet_account_id(0), ED)
        create_account_if_non_existent(coldkey, hotkey)
        for i, (staked, enabled, limited) in enumerate(layout):
            netuid = add_dynamic_network(chain, acct(1000 + i), acct(2000 + i))
            setup_reserves(chain, netuid, 10**12, 10**12)
            if staked:
                _staked(chain, netuid, hotkey, coldkey, DEFAULT_MIN_STAKE * (10 + i), set_limit=limited)
            S.SubtokenEnabled.insert(netuid, enabled)
        if root_stake:
            _staked(chain, 0, hotkey, coldkey, DEFAULT_MIN_STAKE * 20)
        S.SubtokenEnabled.insert(0, root_enabled)
        netuids = [0, *range(1, len(layout) + 1)]
        flags = [(root_stake, root_enabled, name == "unstake_all_alpha"), *layout]
        before = [accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, n) for n in netuids]
        outcomes = []
        for general in (False, True):
            overlay.start_transaction()
            first_event = len(chain.events)
            if general:
                remove_stake.Alpha = _EverySubnet
            try:
                chain.call(name, coldkey, hotkey=hotkey)
                result: object = "ok"
            except DispatchError as e:
                result = type(e)
            finally:
                remove_stake.Alpha = S.Alpha
            if result == "ok":
                # Emptied: every staked subnet whose subtoken is enabled and that the limiter
                # (or, for unstake_all_alpha, being root) does not keep; others untouched.
                after = [accounting.get_stake_for_hotkey_and_coldkey_on_subnet(hotkey, coldkey, n) for n in netuids]
                for n, (staked, enabled, kept), old_stake, new_stake in zip(netuids, flags, before, after, strict=True):
                    if n == 0 and name == "unstake_all_alpha":
                        continue  # the sale's TAO is staked on root
                    assert new_stake == (0 if staked and enabled and not kept else old_stake)
            outcomes.append((result, overlay.changes(), chain.events[first_event:]))
            del chain.events[first_event:]
            overlay.rollback_transaction()
        assert outcomes[0] == outcomes[1]
    finally:
        overlay.rollback_transaction()
