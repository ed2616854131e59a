"""Blocks through SubtensorModule's hook with the coinbase running (issue 12, "Must show"):
two dynamic subnets registered by `register_network`, validators and miners registered and
staked by real `add_stake` calls (one validator also on root, one delegated to), weights set by
`set_weights`, a short tempo, and a hypothesis-chosen block count, TAO weight and owner cut.
After every block:

- issuance grows by the TAO that entered the subnets this block: Balances' and
  SubtensorModule's `TotalIssuance` by the same amount, all of it into the subnet accounts,
  all of it in the pools (`SubnetTAO`, root's included: a root claim only moves TAO between
  pools) and in `TotalStake`; that amount is the block emission less at most 2 rao of floors
  per emitting subnet, and never more;
- no alpha appears from nothing: a subnet's stakes plus its pending emission never exceed its
  `SubnetAlphaOut`;
- pending emission accrues each block and is drained to zero at each epoch block
  (`LastMechansimStepBlock`, `BlocksSinceLastStep`), where the stakes grow by what was pending.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets import balances, swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.coinbase.block_emission import get_block_emission_for_issuance
from pysubtensor.pallets.subtensor.coinbase.subnet_emissions import get_subnets_to_emit_to
from pysubtensor.pallets.subtensor.neurons.logic import append_neuron, create_account_if_non_existent
from pysubtensor.pallets.subtensor.subnets.logic import subnet_account_id
from pysubtensor.primitives.fixed import I96F32
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.unit.test_subtensor_registration import acct
from tests.unit.test_subtensor_staking import StakingChain, _bind, add_dynamic_network

S = st.pallet.Storage
ROOT = 0
TAO = 10**9
TEMPO = 4
_PENDING = (S.PendingServerEmission, S.PendingValidatorEmission, S.PendingRootAlphaDivs, S.PendingOwnerCut)


class World:
    """Root, two dynamic subnets with a validator, a second validator and two miners each."""

    def __init__(self, chain: StakingChain, tao_weight: int, owner_cut: int) -> None:
        self.chain = chain
        S.NetworksAdded.insert(ROOT, True)
        S.SubtokenEnabled.insert(ROOT, True)
        chain.fund(subnet_account_id(ROOT), 500)
        S.TaoWeight.put(tao_weight)
        S.SubnetOwnerCut.put(owner_cut)
        self.netuids = []
        self.validators: dict[int, list[bytes]] = {}
        self.nominator = acct(900)
        chain.fund(self.nominator, 100 * TAO)
        for i in range(2):
            owner_hk, owner_ck = acct(10 + i), acct(20 + i)
            netuid = add_dynamic_network(chain, owner_hk, owner_ck)
            S.Tempo.insert(netuid, TEMPO)
            S.CommitRevealWeightsEnabled.insert(netuid, False)
            S.WeightsSetRateLimit.insert(netuid, 0)
            S.SubnetMovingPrice.insert(netuid, I96F32.from_num(1 + i))
            keys = []
            for j in range(4):
                coldkey, hotkey = acct(100 * (i + 1) + j), acct(100 * (i + 1) + 50 + j)
                create_account_if_non_existent(coldkey, hotkey)
                append_neuron(netuid, hotkey, 0)
                chain.fund(coldkey, 1000 * TAO)
                keys.append((coldkey, hotkey))
            # uids 1, 2 validate (staked), 3, 4 mine.
            for coldkey, hotkey in keys[:2]:
                chain.call("add_stake", coldkey, hotkey=hotkey, netuid=netuid, amount_staked=(50 + 10 * i) * TAO)
            chain.call("add_stake", self.nominator, hotkey=keys[0][1], netuid=netuid, amount_staked=10 * TAO)
            chain.call("add_stake", keys[1][0], hotkey=keys[1][1], netuid=ROOT, amount_staked=100 * TAO)
            self.netuids.append(netuid)
            self.validators[netuid] = [hotkey for _, hotkey in keys[:2]]
            self.miners = [hotkey for _, hotkey in keys[2:]]
            # Permits as a first epoch would grant them (the two staked validators).
            S.ValidatorPermit.insert(netuid, [False, True, True, False, False])
            for _, hotkey in keys[:2]:
                chain.call("set_weights", hotkey, netuid=netuid, dests=[3, 4], weights=[20_000, 40_000], version_key=0)
        chain.step_block()


def _totals(world: World) -> dict:
    accounts = [subnet_account_id(n) for n in [ROOT, *world.netuids]]
    return {
        "balances": fungible.total_issuance(),
        "subtensor": S.TotalIssuance.get(),
        "accounts": sum(world.chain.balance(a) for a in accounts),
        "pools": sum(S.SubnetTAO.get(n) for n in [ROOT, *world.netuids]),
        "total_stake": S.TotalStake.get(),
    }


def _stakes(netuid: int) -> int:
    return sum(total for (_hotkey, n), total in S.TotalHotkeyAlpha.iter() if n == netuid)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.integers(3 * TEMPO, 5 * TEMPO), hs.sampled_from([0, U64_MAX := (1 << 64) - 1, 971_718_665_099_567_868]),
       hs.sampled_from([0, 11_796]))
def test_blocks_issue_the_emission_conserve_tao_and_pay_at_epochs(blocks, tao_weight, owner_cut):
    bind_st, bind_swap = _bind(block_author=None)
    with bind_st, bind_swap, frame_env(balances.pallet, st.pallet, swap.pallet) as ext, \
            capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)
        world = World(StakingChain(ext, events), tao_weight, owner_cut)
        epochs = defaultdict(int)
        for _ in range(blocks):
            before = _totals(world)
            emission = get_block_emission_for_issuance(S.TotalIssuance.get())
            pending_before = {n: sum(item.get(n) for item in _PENDING) for n in world.netuids}
            stakes_before = {n: _stakes(n) for n in world.netuids}
            emitting = get_subnets_to_emit_to(world.netuids)
            world.chain.step_block()
            now = system.block.block_number()
            after = _totals(world)
            issued = after["balances"] - before["balances"]
            assert {k: after[k] - before[k] for k in after} == dict.fromkeys(after, issued)
            assert emission - 2 * len(emitting) <= issued <= emission
            for netuid in world.netuids:
                pending = sum(item.get(netuid) for item in _PENDING)
                assert _stakes(netuid) + pending <= S.SubnetAlphaOut.get(netuid)
                if S.LastEpochBlock.get(netuid) == now:  # its epoch ran in this block (as block_step tells)
                    epochs[netuid] += 1
                    assert pending == 0
                    assert S.LastMechansimStepBlock.get(netuid) == now
                    assert S.BlocksSinceLastStep.get(netuid) == 0
                    # The stakes grew by what was pending and this block's part (owner hotkeys'
                    # incentive is withheld: the miners here are not the owner's).
                    assert _stakes(netuid) - stakes_before[netuid] > pending_before[netuid] // 2
                else:
                    assert pending > pending_before[netuid]
                    assert S.BlocksSinceLastStep.get(netuid) > 0
        assert all(epochs[n] >= 2 for n in world.netuids)
        for netuid in world.netuids:
            # Validators, the delegated-to one's nominator and the miners all earned.
            assert all(S.TotalHotkeyAlpha.get(v, netuid) > 50 * TAO // 2 for v in world.validators[netuid])
            assert S.AlphaDividendsPerSubnet.get(netuid, world.validators[netuid][0]) > 0
            assert all(e > 0 for e in S.Emission.get(netuid)[3:5])
