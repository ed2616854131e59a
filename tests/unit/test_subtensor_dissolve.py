"""`dissolve_network` / `root_dissolve_network`: scenarios ported from subtensor's Rust tests
(pallets/subtensor/src/tests/networks.rs at spec 381), each naming its Rust test, on subnets
registered by the real `register_network` (tests/unit/test_subtensor_registration.py's chain).

TAO moves as `subnets/dissolve.py` says (main's transfers out of the subnet account, where our
registration put the lock): each Rust test's payouts and refunds are asserted as they are, and
the subnet account's rest is recycled. Our existential deposit is 500 rao (the mock's is 1): a
staker paid less than that must already exist, so the tests fund stakers with it first.
"""

from __future__ import annotations

import pytest

import pysubtensor.pallets.subtensor as st
from pysubtensor.pallets import swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.staking.accounting import increase_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.subnets import logic as subnets
from pysubtensor.pallets.subtensor.subnets.dissolve import do_dissolve_network
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.primitives.fixed import U64F64, U96F32
from tests.unit import test_subtensor_registration as registration
from tests.unit.test_subtensor_registration import ED, Chain, add_dynamic_network

#: The registration tests' fixture: System, Balances and SubtensorModule with a constant-product pool.
chain = registration.chain
S = st.pallet.Storage
ONE = 1 << 64  # 1.0 in U64F64 bits


def acct(n: int) -> bytes:
    return n.to_bytes(32, "little")


def balance(who: bytes) -> int:
    return fungible.balance(who)


def stake(hot: bytes, cold: bytes, net: int, alpha: int) -> None:
    """`Alpha` and `TotalHotkeyAlpha` written directly, as the Rust tests do."""
    S.Alpha.insert(hot, cold, net, alpha * ONE)
    S.TotalHotkeyAlpha.insert(hot, net, alpha)


def make_legacy(net: int) -> None:
    """Registered before `NetworkRegistrationStartBlock`: the owner refund applies."""
    S.NetworkRegistrationStartBlock.put(S.NetworkRegisteredAt.get(net) + 1)


def test_dissolve_network_calls(chain: Chain):
    """`dissolve_network` (its coldkey argument unused) and `root_dissolve_network` are root's;
    a signed origin is BadOrigin, nothing changed; the event is NetworkRemoved."""
    net = add_dynamic_network(chain, acct(2), acct(1))
    chain.fails(BadOrigin, "dissolve_network", acct(1), coldkey=acct(1), netuid=net)
    chain.fails(BadOrigin, "root_dissolve_network", acct(1), netuid=net)
    chain.fails(Error.SubnetNotExists, "root_dissolve_network", Origin.root(), netuid=0)
    chain.call("dissolve_network", Origin.root(), coldkey=acct(99), netuid=net)
    assert not subnets.if_subnet_exist(net)
    assert chain.events[-1] == ("SubtensorModule", Event.NetworkRemoved(net))
    net = add_dynamic_network(chain, acct(4), acct(3))
    chain.call("root_dissolve_network", Origin.root(), netuid=net)
    assert not subnets.if_subnet_exist(net)


def test_dissolve_no_stakers_no_alpha_no_emission(chain: Chain):
    """Rust: dissolve_no_stakers_no_alpha_no_emission (the pool's TAO, nobody's, is recycled)."""
    cold = acct(1)
    net = add_dynamic_network(chain, acct(2), cold)
    S.SubnetLocked.insert(net, 0)
    S.SubnetTAO.insert(net, 0)
    S.Emission.insert(net, [])
    before = balance(cold)
    account = subnets.subnet_account_id(net)
    held = balance(account)
    issuance, our_issuance = fungible.total_issuance(), S.TotalIssuance.get()
    do_dissolve_network(net)
    assert balance(cold) == before
    assert not subnets.if_subnet_exist(net)
    assert balance(account) == ED  # the rest recycled, the account kept alive
    assert fungible.total_issuance() == issuance - (held - ED)
    assert S.TotalIssuance.get() == max(our_issuance - (held - ED), 0)


def test_dissolve_refunds_full_lock_cost_when_no_emission(chain: Chain):
    """Rust: dissolve_refunds_full_lock_cost_when_no_emission."""
    cold = acct(3)
    net = add_dynamic_network(chain, acct(4), cold)
    make_legacy(net)
    lock = 1_000_000
    S.SubnetLocked.insert(net, lock)
    S.SubnetTAO.insert(net, 0)
    S.SubnetAlphaIn.insert(net, 0)  # no alpha issued
    S.Emission.insert(net, [])
    before = balance(cold)
    do_dissolve_network(net)
    assert balance(cold) == before + lock


def test_dissolve_single_alpha_out_staker_gets_all_tao(chain: Chain):
    """Rust: dissolve_single_alpha_out_staker_gets_all_tao."""
    net = add_dynamic_network(chain, acct(20), acct(10))
    s_hot, s_cold = acct(100), acct(200)
    stake(s_hot, s_cold, net, 5_000)
    pot = 99_999
    S.SubnetTAO.insert(net, pot)
    S.SubnetLocked.insert(net, 0)
    before = balance(s_cold)
    do_dissolve_network(net)
    assert balance(s_cold) == before + pot
    assert all(n != net for (_h, _c, n) in S.Alpha.iter_keys())
    assert not S.SubnetTAO.contains_key(net)


def test_dissolve_two_stakers_pro_rata_distribution(chain: Chain):
    """Rust: dissolve_two_stakers_pro_rata_distribution."""
    oc = acct(50)
    net = add_dynamic_network(chain, acct(51), oc)
    make_legacy(net)
    (s1_hot, s1_cold, a1), (s2_hot, s2_cold, a2) = (acct(201), acct(301), 300), (acct(202), acct(302), 700)
    stake(s1_hot, s1_cold, net, a1)
    stake(s2_hot, s2_cold, net, a2)
    pot = 10_000
    S.SubnetTAO.insert(net, pot)
    S.SubnetLocked.insert(net, 5_000)
    S.SubnetAlphaIn.insert(net, 0)
    S.SubnetAlphaOut.insert(net, 0)  # no emission: the whole lock comes back
    s1_before, s2_before, owner_before = balance(s1_cold), balance(s2_cold), balance(oc)
    do_dissolve_network(net)
    assert balance(s1_cold) == s1_before + 3_000
    assert balance(s2_cold) == s2_before + 7_000
    assert balance(oc) == owner_before + 5_000
    assert all(n != net for (_h, _c, n) in S.Alpha.iter_keys())


def test_dissolve_owner_cut_refund_logic(chain: Chain):
    """Rust: dissolve_owner_cut_refund_logic (the refund is the lock less the TAO value, at the
    pool's price, of the owner cut of the alpha issued; computed with the pallet's own math)."""
    oc = acct(70)
    net = add_dynamic_network(chain, acct(71), oc)
    make_legacy(net)
    increase_stake_for_hotkey_and_coldkey_on_subnet(acct(77), acct(88), net, 800)
    S.SubnetTAO.insert(net, 1_000)
    S.SubnetAlphaOut.insert(net, 800)
    lock = 2_000
    S.SubnetLocked.insert(net, lock)
    S.SubnetOwnerCut.put(11_796)
    issued = S.SubnetAlphaIn.get(net) + S.SubnetAlphaOut.get(net)
    assert issued > 0
    frac = U96F32.safe_div(U96F32.from_num(11_796), U96F32.from_num(65_535))
    owner_alpha = U96F32.to_num(U96F32.floor(U96F32.saturating_mul(U96F32.from_num(issued), frac)))
    price = U96F32.saturating_from_fixed(U64F64, swap.handler.current_alpha_price(net))
    owner_tao = U96F32.to_num(U96F32.floor(U96F32.saturating_mul(U96F32.from_num(owner_alpha), price)))
    expected_refund = max(lock - owner_tao, 0)
    assert expected_refund > 0
    fungible.mint_into(acct(88), ED)
    before = balance(oc)
    do_dissolve_network(net)
    assert balance(oc) == before + expected_refund


def test_dissolve_zero_refund_when_emission_exceeds_lock(chain: Chain):
    """Rust: dissolve_zero_refund_when_emission_exceeds_lock (a new subnet: no refund at all)."""
    oc = acct(1_000)
    net = add_dynamic_network(chain, acct(2_000), oc)
    S.SubnetLocked.insert(net, 1_000)
    S.SubnetOwnerCut.put(0xFFFF)
    S.Emission.insert(net, [2_000])
    before = balance(oc)
    do_dissolve_network(net)
    assert balance(oc) == before


def test_dissolve_nonexistent_subnet_fails(chain: Chain):
    """Rust: dissolve_nonexistent_subnet_fails (and the root network cannot be dissolved)."""
    with pytest.raises(Error.SubnetNotExists):
        do_dissolve_network(9_999)
    chain.fails(Error.SubnetNotExists, "root_dissolve_network", Origin.root(), netuid=9_999)


def test_dissolve_clears_all_per_subnet_storages(chain: Chain):
    """Rust: dissolve_clears_all_per_subnet_storages (every item it seeds is gone), plus
    other subnets' and root's entries kept, and root weights on the subnet zeroed."""
    owner_cold, owner_hot = acct(123), acct(456)
    net = add_dynamic_network(chain, owner_hot, owner_cold)
    keep = add_dynamic_network(chain, acct(457), acct(124))
    values = {
        "Rank": [1], "Trust": [1], "Active": [True], "Emission": [1], "Consensus": [1], "Dividends": [1],
        "PruningScores": [1], "ValidatorPermit": [True], "ValidatorTrust": [1], "Tempo": 1, "Kappa": 1,
        "Difficulty": 1, "MaxAllowedUids": 1, "ImmunityPeriod": 1, "ActivityCutoff": 1, "MinAllowedWeights": 1,
        "RegistrationsThisInterval": 1, "POWRegistrationsThisInterval": 1, "BurnRegistrationsThisInterval": 1,
        "SubnetTAO": 1, "SubnetAlphaInEmission": 1, "SubnetAlphaOutEmission": 1, "SubnetTaoInEmission": 1,
        "SubnetVolume": 1, "SubnetAlphaIn": 2, "SubnetAlphaOut": 3, "TokenSymbol": b"XX", "SubnetMovingPrice": 1 << 32,
        "SubnetTaoFlow": 0, "SubnetEmaTaoFlow": (0, 0), "TransferToggle": True, "SubnetLocked": 1, "LargestLocked": 1,
        "FirstEmissionBlockNumber": 1, "SubnetMechanism": 1, "NetworkRegistrationAllowed": True,
        "NetworkPowRegistrationAllowed": True, "PendingServerEmission": 1, "PendingValidatorEmission": 1,
        "PendingRootAlphaDivs": 1, "PendingOwnerCut": 1, "BlocksSinceLastStep": 1, "LastMechansimStepBlock": 1,
        "ServingRateLimit": 1, "Rho": 1, "AlphaSigmoidSteepness": 1, "WeightsVersionKey": 1,
        "MaxAllowedValidators": 1, "AdjustmentInterval": 2, "BondsMovingAverage": 1, "BondsPenalty": 1,
        "BondsResetOn": True, "WeightsSetRateLimit": 1, "ValidatorPruneLen": 1, "ScalingLawPower": 1,
        "TargetRegistrationsPerInterval": 1, "AdjustmentAlpha": 1, "CommitRevealWeightsEnabled": True, "Burn": 1,
        "MinBurn": 1, "MaxBurn": 2, "MinDifficulty": 1, "MaxDifficulty": 2, "RegistrationsThisBlock": 1,
        "EMAPriceHalvingBlocks": 1, "RAORecycledForRegistration": 1, "LiquidAlphaOn": True, "Yuma3On": True,
        "AlphaValues": (1, 2), "SubtokenEnabled": True, "ImmuneOwnerUidsLimit": 1, "StakeWeight": [1],
        "SubnetOwner": owner_cold, "SubnetOwnerHotkey": owner_hot, "SubnetworkN": 0, "NetworksAdded": True,
        "NetworkRegisteredAt": 0,
    }
    for name, value in values.items():
        getattr(S, name).insert(net, value)
    S.Incentive.insert(net, [1])
    S.LastUpdate.insert(net, [0])
    S.Keys.insert(net, 0, owner_hot)
    S.Bonds.insert(net, 0, [(0, 1)])
    S.Weights.insert(net, 0, [(1, 1)])
    S.IsNetworkMember.insert(owner_hot, net, True)
    S.Uids.insert(net, owner_hot, 0)
    S.BlockAtRegistration.insert(net, 0, 1)
    S.AlphaDividendsPerSubnet.insert(net, owner_hot, 1)
    S.ChildkeyTake.insert(owner_hot, net, 1)
    S.PendingChildKeys.insert(net, owner_cold, ([(1, owner_hot)], 1))
    S.ChildKeys.insert(owner_cold, net, [(1, owner_hot)])
    S.ParentKeys.insert(owner_hot, net, [(1, owner_cold)])
    S.LastHotkeySwapOnNetuid.insert(net, owner_cold, 1)
    S.TransactionKeyLastBlock.insert(owner_hot, net, 1, 1)
    S.AssociatedEvmAddress.insert(net, 0, (bytes(20), 1))
    S.SubnetUidToLeaseId.insert(net, 42)
    # Beyond the Rust test: another subnet's entries stay; root's weights on `net` are zeroed.
    S.ChildkeyTake.insert(owner_hot, keep, 7)
    S.TransactionKeyLastBlock.insert(owner_hot, keep, 1, 9)
    S.Weights.insert(0, 0, [(net, 100), (keep, 200)])

    do_dissolve_network(net)

    for name in values:
        assert not getattr(S, name).contains_key(net), name
    assert not S.Incentive.contains_key(net) and not S.LastUpdate.contains_key(net)
    for name in ("Keys", "Bonds", "Weights"):
        assert list(getattr(S, name).iter_prefix(net)) == [], name
    assert not S.IsNetworkMember.contains_key(owner_hot, net)
    assert S.Uids.try_get(net, owner_hot) is None
    assert not S.BlockAtRegistration.contains_key(net, 0)
    assert not S.AlphaDividendsPerSubnet.contains_key(net, owner_hot)
    assert not S.ChildkeyTake.contains_key(owner_hot, net)
    assert not S.PendingChildKeys.contains_key(net, owner_cold)
    assert not S.ChildKeys.contains_key(owner_cold, net)
    assert not S.ParentKeys.contains_key(owner_hot, net)
    assert not S.LastHotkeySwapOnNetuid.contains_key(net, owner_cold)
    assert S.TransactionKeyLastBlock.get(owner_hot, net, 1) == 0
    assert S.AssociatedEvmAddress.try_get(net, 0) is None
    assert not S.SubnetUidToLeaseId.contains_key(net)
    assert not subnets.if_subnet_exist(net)
    assert S.ChildkeyTake.get(owner_hot, keep) == 7
    assert S.TransactionKeyLastBlock.get(owner_hot, keep, 1) == 9
    assert [tuple(w) for w in S.Weights.get(0, 0)] == [(net, 0), (keep, 200)]
    assert subnets.if_subnet_exist(keep)


def test_dissolve_alpha_out_but_zero_tao_no_rewards(chain: Chain):
    """Rust: dissolve_alpha_out_but_zero_tao_no_rewards."""
    net = add_dynamic_network(chain, acct(22), acct(21))
    sh, sc = acct(23), acct(24)
    stake(sh, sc, net, 1_000)
    S.SubnetTAO.insert(net, 0)
    S.SubnetLocked.insert(net, 0)
    S.Emission.insert(net, [])
    before = balance(sc)
    do_dissolve_network(net)
    assert balance(sc) == before
    assert list(S.Alpha.iter()) == []


def test_dissolve_decrements_total_networks(chain: Chain):
    """Rust: dissolve_decrements_total_networks."""
    total_before = S.TotalNetworks.get()
    net = add_dynamic_network(chain, acct(42), acct(41))
    assert S.TotalNetworks.get() == total_before + 1
    do_dissolve_network(net)
    assert S.TotalNetworks.get() == total_before


def test_dissolve_rounding_remainder_distribution(chain: Chain):
    """Rust: dissolve_rounding_remainder_distribution (a pot of 1 goes to the largest
    remainder)."""
    net = add_dynamic_network(chain, acct(62), acct(61))
    (s1h, s1c), (s2h, s2c) = (acct(63), acct(64)), (acct(65), acct(66))
    stake(s1h, s1c, net, 3)
    stake(s2h, s2c, net, 2)
    S.SubnetTAO.insert(net, 1)
    S.SubnetLocked.insert(net, 0)
    for cold in (s1c, s2c):
        fungible.mint_into(cold, ED)
    c1_before, c2_before = balance(s1c), balance(s2c)
    do_dissolve_network(net)
    assert balance(s1c) == c1_before + 1
    assert balance(s2c) == c2_before
    assert all(n != net for (_h, _c, n) in S.Alpha.iter_keys())
    assert not S.SubnetTAO.contains_key(net)


def test_destroy_alpha_out_multiple_stakers_pro_rata(chain: Chain):
    """Rust: destroy_alpha_out_multiple_stakers_pro_rata (stakes made through the share pool;
    each staker gets pot * value / total, the largest remainders one more)."""
    net = add_dynamic_network(chain, acct(20), acct(10))
    stakes = [(acct(211), acct(111), 1_000_000), (acct(212), acct(112), 2_000_000), (acct(213), acct(113), 3_000_003)]
    for hot, cold, amount in stakes:
        increase_stake_for_hotkey_and_coldkey_on_subnet(hot, cold, net, amount)
        fungible.mint_into(cold, ED)
    pot = 1_234_567
    S.SubnetTAO.insert(net, pot)
    S.SubnetLocked.insert(net, 0)
    total = sum(a for _h, _c, a in stakes)
    shares = [pot * a // total for _h, _c, a in stakes]
    remainders = [pot * a % total for _h, _c, a in stakes]
    for i in sorted(range(3), key=lambda i: -remainders[i])[:pot - sum(shares)]:
        shares[i] += 1
    before = [balance(c) for _h, c, _a in stakes]
    do_dissolve_network(net)
    assert [balance(c) - b for (_h, c, _a), b in zip(stakes, before, strict=True)] == shares
    assert sum(shares) == pot
    for hot, _c, _a in stakes:
        assert not S.TotalHotkeyAlpha.contains_key(hot, net) and not S.TotalHotkeyShares.contains_key(hot, net)


def test_register_network_prunes_and_recycles_netuid(chain: Chain):
    """Rust: register_network_prunes_and_recycles_netuid (at the limit, the subnet with the
    lowest price past its immunity is dissolved and its netuid reused)."""
    S.NetworkRateLimit.put(0)
    S.SubnetLimit.put(2)
    n1 = add_dynamic_network(chain, acct(22), acct(21))
    n2 = add_dynamic_network(chain, acct(24), acct(23))
    chain.set_block(S.NetworkImmunityPeriod.get() + 100)
    S.Emission.insert(n1, [1])
    S.Emission.insert(n2, [1_000])
    # n1 is the cheaper one (the pruning rule ranks by price)
    S.SubnetTAO.insert(n1, S.SubnetTAO.get(n1) // 2)
    new_cold, new_hot = acct(30), acct(31)
    chain.fund(new_cold, subnets.get_network_lock_cost() * 10)
    pruned = subnets.get_network_to_prune()
    assert pruned == n1
    chain.call("register_network", new_cold, hotkey=new_hot)
    assert S.TotalNetworks.get() == 2
    assert S.SubnetOwner.get(n1) == new_cold
    assert S.SubnetOwnerHotkey.get(n1) == new_hot
    assert S.SubnetOwner.get(n2) == acct(23)
    names = [type(e).__name__ for _p, e in chain.events]
    assert names.index("NetworkRemoved") < len(names) - 1 and names[-1] == "NetworkAdded"


def test_destroy_alpha_out_refund_gating_by_registration_block(chain: Chain):
    """Rust: destroy_alpha_out_refund_gating_by_registration_block: a legacy subnet's owner
    gets the lock less the owner cut's value; a subnet registered at the start block gets
    nothing; nor does a legacy subnet without a lock. (The pool's alpha reserve is zeroed and
    its TAO set to 1 000 first: ours hold the real lock, which the staker would take whole,
    leaving nothing in the subnet account to refund from.)"""
    for legacy, lock, owner_cold in ((True, 50_000, acct(10_000)), (False, 42_000, acct(1_111)),
                                     (True, 0, acct(9_999))):
        net = add_dynamic_network(chain, acct(20_000 + lock), owner_cold)
        S.NetworkRegistrationStartBlock.put(S.NetworkRegisteredAt.get(net) + (1 if legacy else 0))
        S.SubnetLocked.insert(net, lock)
        S.SubnetOwnerCut.put(32_768)
        S.SubnetAlphaIn.insert(net, 0)
        S.SubnetTAO.insert(net, 1_000)
        increase_stake_for_hotkey_and_coldkey_on_subnet(acct(2_345), acct(1_234), net, 300)
        S.SubnetAlphaOut.insert(net, 300)
        fungible.mint_into(acct(1_234), ED)
        frac = U96F32.safe_div(U96F32.from_num(32_768), U96F32.from_num(65_535))
        owner_alpha = U96F32.to_num(U96F32.floor(U96F32.saturating_mul(U96F32.from_num(300), frac)))
        price = U96F32.saturating_from_fixed(U64F64, swap.handler.current_alpha_price(net))
        owner_tao = U96F32.to_num(U96F32.floor(U96F32.saturating_mul(U96F32.from_num(owner_alpha), price)))
        expected = max(lock - owner_tao, 0) if legacy else 0
        before = balance(owner_cold)
        do_dissolve_network(net)
        assert balance(owner_cold) == before + expected, (legacy, lock)
        assert (legacy and lock == 50_000) == (expected > 0)
        S.NetworkRegistrationStartBlock.put(0)
