"""Epochs of a subnet with several mechanisms (sub-subnets): the emission split and the
per-mechanism epochs aggregated by `epoch_with_mechanisms`, ported from subtensor's
pallets/subtensor/src/tests/mechanism.rs (spec 381; each test names its Rust test), state
written directly as the Rust's `mock_epoch_state`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.epoch import run_epoch as E
from pysubtensor.pallets.subtensor.neurons.logic import append_neuron
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.staking.accounting import increase_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.subnets.logic import init_new_network
from pysubtensor.pallets.subtensor.utils.neuron_lookup import get_mechanism_storage_index
from pysubtensor.primitives.fixed import U64F64
from tests.support.subtensor_seed import account, chain

S = pallet.Storage
NETUID = 1
IDX0 = get_mechanism_storage_index(NETUID, 0)
IDX1 = get_mechanism_storage_index(NETUID, 1)
CK0, HK0, CK1, HK1 = account(1), account(2), account(3), account(4)
EMISSION = 1_000_000_000


def mock_epoch_state() -> None:
    """mechanism.rs `mock_epoch_state`: two neurons with 1 alpha each, two mechanisms, both
    permitted, each weighting both on both mechanisms."""
    S.NetworksAdded.insert(NETUID, True)
    S.MechanismCountCurrent.insert(NETUID, 2)
    S.SubnetworkN.insert(NETUID, 2)
    S.Keys.insert(NETUID, 0, HK0)
    S.Keys.insert(NETUID, 1, HK1)
    S.Tempo.insert(NETUID, 1)
    S.ActivityCutoff.insert(NETUID, 0xFFFF)
    S.LastUpdate.insert(IDX0, [2, 2])
    S.LastUpdate.insert(IDX1, [2, 2])
    S.BlockAtRegistration.insert(NETUID, 0, 1)
    S.BlockAtRegistration.insert(NETUID, 1, 1)
    increase_stake_for_hotkey_and_coldkey_on_subnet(HK0, CK0, NETUID, 1_000_000_000)
    increase_stake_for_hotkey_and_coldkey_on_subnet(HK1, CK1, NETUID, 1_000_000_000)
    S.StakeThreshold.put(0)
    S.ValidatorPermit.insert(NETUID, [True, True])
    for idx in (IDX0, IDX1):
        for uid in (0, 1):
            S.Weights.insert(idx, uid, [(0, 0xFFFF), (1, 0xFFFF)])
    S.CommitRevealWeightsEnabled.insert(NETUID, False)
    S.Yuma3On.insert(NETUID, False)


def mock_3_neurons(hk: bytes) -> None:
    S.SubnetworkN.insert(NETUID, 3)
    S.Keys.insert(NETUID, 2, hk)
    S.LastUpdate.insert(IDX0, [2, 2, 2])
    S.LastUpdate.insert(IDX1, [2, 2, 2])
    S.BlockAtRegistration.insert(NETUID, 2, 1)


def test_split_emissions_even_division():
    """mechanism.rs `split_emissions_even_division`."""
    with chain(1):
        S.MechanismCountCurrent.insert(5, 5)
        assert E.split_emissions(5, 25) == [5] * 5


def test_split_emissions_rounding_to_first():
    """mechanism.rs `split_emissions_rounding_to_first`."""
    with chain(1):
        S.MechanismCountCurrent.insert(6, 4)
        assert E.split_emissions(6, 10) == [4, 2, 2, 2]


def test_split_emissions_fibbonacci():
    """mechanism.rs `split_emissions_fibbonacci`."""
    with chain(1):
        S.MechanismCountCurrent.insert(5, 5)
        S.MechanismEmissionSplit.insert(5, [3450, 6899, 10348, 17247, 27594])
        assert E.split_emissions(5, 19) == [1, 2, 3, 5, 8]


def test_epoch_with_mechanisms_produces_per_mechanism_incentive():
    """mechanism.rs `epoch_with_mechanisms_produces_per_mechanism_incentive`."""
    with chain(1):
        mock_epoch_state()
        E.epoch_with_mechanisms(NETUID, EMISSION)
        assert S.Incentive.get(IDX0)[:2] == [0xFFFF // 2] * 2
        assert S.Incentive.get(IDX1)[:2] == [0xFFFF // 2] * 2


def test_epoch_with_mechanisms_updates_bonds():
    """mechanism.rs `epoch_with_mechanisms_updates_bonds`: bonds per mechanism index."""
    with chain(1):
        mock_epoch_state()
        S.Weights.insert(IDX1, 0, [(0, 0xFFFF), (1, 0)])
        S.Weights.insert(IDX1, 1, [(0, 0xFFFF), (1, 0xFFFF)])
        E.epoch_with_mechanisms(NETUID, EMISSION)
        assert S.Bonds.get(IDX0, 0) == [(1, 65535)]
        assert S.Bonds.get(IDX0, 1) == [(0, 65535)]
        assert S.Bonds.get(IDX1, 0) == []
        assert S.Bonds.get(IDX1, 1) == [(0, 65535)]


def test_epoch_with_mechanisms_incentives_proportional_to_weights():
    """mechanism.rs `epoch_with_mechanisms_incentives_proportional_to_weights` (±1)."""
    with chain(1):
        mock_epoch_state()
        mock_3_neurons(account(6))
        S.ValidatorPermit.insert(NETUID, [True, False, False])
        S.Weights.insert(IDX0, 0, [(1, 0xFFFF // 5 * 4), (2, 0xFFFF // 5)])
        S.Weights.insert(IDX1, 0, [(1, 0xFFFF // 5), (2, 0xFFFF // 5 * 4)])
        E.epoch_with_mechanisms(NETUID, EMISSION)
        high, low = 0xFFFF // 5 * 4, 0xFFFF // 5
        inc0, inc1 = S.Incentive.get(IDX0), S.Incentive.get(IDX1)
        assert abs(inc0[1] - high) <= 1 and abs(inc0[2] - low) <= 1
        assert abs(inc1[1] - low) <= 1 and abs(inc1[2] - high) <= 1


def test_epoch_with_mechanisms_persists_and_aggregates_all_terms():
    """mechanism.rs `epoch_with_mechanisms_persists_and_aggregates_all_terms`: a 25/75 split;
    returned emissions are the mechanisms' sums, per-mechanism `Incentive` and `Bonds` persist,
    subnet terms are the split-weighted (or OR-ed) aggregates (all ±1)."""
    hk2 = account(6)
    with chain(1):
        mock_epoch_state()
        mock_3_neurons(hk2)
        split0 = 0xFFFF // 4
        S.MechanismEmissionSplit.insert(NETUID, [split0, 0xFFFF - split0])
        S.ValidatorPermit.insert(NETUID, [True, False, False])
        S.Weights.insert(IDX0, 0, [(1, 0xFFFF // 5 * 3), (2, 0xFFFF // 5 * 2)])
        S.Weights.insert(IDX1, 0, [(1, 0xFFFF // 5), (2, 0xFFFF // 5 * 4)])

        emissions = E.split_emissions(NETUID, EMISSION)
        w0 = U64F64.safe_div(U64F64.from_num(emissions[0]), U64F64.from_num(EMISSION))
        w1 = U64F64.safe_div(U64F64.from_num(emissions[1]), U64F64.from_num(EMISSION))
        assert abs(w0 * 10_000 - U64F64.one * 2500) <= U64F64.one  # 0.25 within 1e-4
        assert abs(w1 * 10_000 - U64F64.one * 7500) <= U64F64.one
        out0 = E.epoch_mechanism(NETUID, 0, emissions[0])
        out1 = E.epoch_mechanism(NETUID, 1, emissions[1])
        agg = {hk: (se, ve) for hk, se, ve in E.epoch_with_mechanisms(NETUID, EMISSION)}

        for hk in (HK1, hk2):
            se, ve = agg[hk]
            assert abs(se - (out0[hk].server_emission + out1[hk].server_emission)) <= 1
            assert abs(ve - (out0[hk].validator_emission + out1[hk].validator_emission)) <= 1

        for idx, out in ((IDX0, out0), (IDX1, out1)):
            expected = [0] * 3
            for t in out.values():
                expected[t.uid] = t.incentive
            assert all(abs(a - e) <= 1 for a, e in zip(S.Incentive.get(idx), expected, strict=True))
            stored = S.Bonds.get(idx, 0)
            assert stored and len(stored) == len(out[HK0].bond)
            for (ua, wa), (ue, we) in zip(stored, out[HK0].bond, strict=True):
                assert ua == ue and abs(wa - we) <= 1

        def weighted(a: int, b: int, bits: int) -> int:
            return U64F64.saturating_to_num(U64F64.saturating_mul(U64F64.saturating_from_num(a), w0)
                                            + U64F64.saturating_mul(U64F64.saturating_from_num(b), w1), bits)

        for uid, hk in ((0, HK0), (1, HK1), (2, hk2)):
            t0, t1 = out0[hk], out1[hk]
            assert S.Active.get(NETUID)[uid] == (t0.active or t1.active)
            assert S.ValidatorPermit.get(NETUID)[uid] == (t0.new_validator_permit or t1.new_validator_permit)
            assert abs(S.Emission.get(NETUID)[uid] - weighted(t0.emission, t1.emission, 64)) <= 1
            assert abs(S.Consensus.get(NETUID)[uid] - weighted(t0.consensus, t1.consensus, 16)) <= 1
            assert abs(S.Dividends.get(NETUID)[uid] - weighted(t0.dividend, t1.dividend, 16)) <= 1
            assert abs(S.ValidatorTrust.get(NETUID)[uid] - weighted(t0.validator_trust, t1.validator_trust, 16)) <= 1


def test_epoch_with_mechanisms_no_weight_no_incentive():
    """mechanism.rs `epoch_with_mechanisms_no_weight_no_incentive`."""
    with chain(1):
        mock_epoch_state()
        mock_3_neurons(account(5))
        S.ValidatorPermit.insert(NETUID, [True, False, False])
        S.Weights.insert(IDX0, 0, [(1, 1), (2, 0)])
        S.Weights.insert(IDX1, 0, [(1, 1), (2, 0)])
        E.epoch_with_mechanisms(NETUID, EMISSION)
        assert S.Incentive.get(IDX0) == [0, 0xFFFF, 0]
        assert S.Incentive.get(IDX1) == [0, 0xFFFF, 0]


def test_epoch_mechanism_emergency_mode_distributes_by_stake():
    """mechanism.rs `epoch_mechanism_emergency_mode_distributes_by_stake`: no weights, so the
    whole emission goes to validators by active stake (10/30/60, ±2)."""
    with chain(1):
        init_new_network(NETUID, 5)
        S.MechanismCountCurrent.insert(NETUID, 2)
        idx = get_mechanism_storage_index(NETUID, 1)
        keys = [(account(10), account(11)), (account(20), account(21)), (account(30), account(31)),
                (account(40), account(41))]
        for hk, _ck in keys:
            append_neuron(NETUID, hk, 1)
        S.ActivityCutoff.insert(NETUID, 1_000)
        S.LastUpdate.insert(idx, [1, 1, 1, 1])
        S.ValidatorPermit.insert(NETUID, [True, True, True, False])
        S.StakeThreshold.put(0)
        for (hk, ck), stake in zip(keys[:3], (10, 30, 60), strict=True):
            increase_stake_for_hotkey_and_coldkey_on_subnet(hk, ck, NETUID, stake)
        out = E.epoch_mechanism(NETUID, 1, 1_000_000)
        t = [out[hk] for hk, _ in keys]
        assert [x.server_emission for x in t] == [0, 0, 0, 0]
        for x, expected in zip(t[:3], (100_000, 300_000, 600_000), strict=True):
            assert abs(x.validator_emission - expected) <= 2
        assert t[3].validator_emission == 0
        assert abs(sum(x.validator_emission for x in t[:3]) - 1_000_000) <= 2
