"""Yuma consensus epochs ported from subtensor's pallets/subtensor/src/tests/epoch.rs (spec 381,
each test names its Rust test), with the same numbers and tolerances. State is set up as the
mock does: subnet and neurons written directly (`init_new_network`, `append_neuron`, stake
credited with `increase_stake_for_hotkey_and_coldkey_on_subnet`), weights set through the real
`set_weights` call; blocks advance without hooks (`next_block_no_epoch`)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pysubtensor.pallets import system
from pysubtensor.pallets.subtensor.epoch import math
from pysubtensor.pallets.subtensor.epoch import run_epoch as E
from pysubtensor.pallets.subtensor.epoch.storage import (
    AlphaSigmoidSteepness,
    AlphaValues,
    Bonds,
    BondsMovingAverage,
    BondsPenalty,
    Consensus,
    Dividends,
    Emission,
    Incentive,
    Kappa,
    LiquidAlphaOn,
    MaxAllowedValidators,
    Rank,
    StakeWeight,
    Trust,
    ValidatorPermit,
    Yuma3On,
)
from pysubtensor.pallets.subtensor.neurons.logic import append_neuron
from pysubtensor.pallets.subtensor.neurons.storage import MaxAllowedUids, SubnetworkN
from pysubtensor.pallets.subtensor.staking.accounting import increase_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.staking.storage import TotalHotkeyAlpha
from pysubtensor.pallets.subtensor.subnets.logic import init_new_network
from pysubtensor.pallets.subtensor.weights.storage import (
    CommitRevealWeightsEnabled,
    MinAllowedWeights,
    StakeThreshold,
    WeightsSetRateLimit,
)
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.primitives.fixed import I32F32
from tests.support.subtensor_seed import account, call, chain

U16_MAX = 0xFFFF
NETUID = 1


# -- the mock's helpers ----------------------------------------------------------------------


def add_network_disable_commit_reveal(netuid: int, tempo: int) -> None:
    """Mock `add_network_disable_commit_reveal`, with the mock's `InitialMinAllowedWeights` 0 and
    weights rate limit 0."""
    init_new_network(netuid, tempo)
    CommitRevealWeightsEnabled.insert(netuid, False)
    MinAllowedWeights.insert(netuid, 0)
    WeightsSetRateLimit.insert(netuid, 0)


def add_node(netuid: int, key: int, stake: int, block: int = 0) -> None:
    """A neuron registered at `block` whose hotkey = coldkey = `U256::from(key)` holds `stake`."""
    hk = account(key)
    append_neuron(netuid, hk, block)
    increase_stake_for_hotkey_and_coldkey_on_subnet(hk, hk, netuid, stake)


def next_block_no_epoch() -> None:
    system.pallet.Storage.Number.put(system.block_number() + 1)


def set_weights(uid: int, dests: list[int], weights: list[int]) -> None:
    result = call("set_weights", account(uid), netuid=NETUID, dests=dests, weights=weights, version_key=0)
    assert not isinstance(result, DispatchError), result


def bonds(netuid_index: int = NETUID) -> list[list[int]]:
    """`get_bonds` as u16 integers: the dense matrix of stored bonds."""
    n = SubnetworkN.get(netuid_index % 4096)
    out = [[0] * n for _ in range(n)]
    for i, row in Bonds.iter_prefix(netuid_index):
        for j, b in row:
            if i < n and j < n:
                out[i][j] = b
    return out


def fixed(x: float) -> int:
    """The Rust tests' `fixed(f32)`: `I32F32::saturating_from_num` of the f32 literal."""
    import struct

    return I32F32.saturating_from_f64(struct.unpack("f", struct.pack("f", x))[0])


def assert_approx_eq(left: int, right: int, epsilon: int) -> None:
    assert abs(left - right) <= epsilon, (Fraction(left, 1 << 32), Fraction(right, 1 << 32))


# -- V19, V20 --------------------------------------------------------------------------------


def test_10_graph():
    """epoch.rs `test_10_graph`: 10 uids with 1 alpha each and only self weights (masked):
    nothing by weights, emission 99_999_999 each (1/10 in I32F32 times 1e9, floored)."""
    with chain():
        add_network_disable_commit_reveal(NETUID, U16_MAX - 1)
        MaxAllowedUids.insert(NETUID, 10)
        for i in range(10):
            add_node(NETUID, i, 1)
            assert SubnetworkN.get(NETUID) - 1 == i
        next_block_no_epoch()
        for i in range(10):
            set_weights(i, [i], [U16_MAX])
        E.epoch(NETUID, 1_000_000_000)
        for i in range(10):
            assert TotalHotkeyAlpha.get(account(i), NETUID) == 1
        assert Rank.get(NETUID) == [] and Trust.get(NETUID) == []  # spec 381 no longer writes them
        assert Consensus.get(NETUID) == [0] * 10
        assert Incentive.get(NETUID) == [0] * 10
        assert Dividends.get(NETUID) == [0] * 10
        assert Emission.get(NETUID) == [99_999_999] * 10
        assert StakeWeight.get(NETUID) == [6553] * 10


def test_1_graph():
    """epoch.rs `test_1_graph`: one uid staking 1e9 with a self weight gets no incentive,
    dividends or consensus."""
    with chain():
        add_network_disable_commit_reveal(NETUID, U16_MAX - 1)
        MaxAllowedUids.insert(NETUID, 1)
        add_node(NETUID, 0, 1_000_000_000)
        assert SubnetworkN.get(NETUID) == 1
        next_block_no_epoch()
        set_weights(0, [0], [U16_MAX])
        E.epoch(NETUID, 1_000_000_000)
        assert TotalHotkeyAlpha.get(account(0), NETUID) == 1_000_000_000
        assert Rank.get(NETUID) == [] and Trust.get(NETUID) == []
        assert Consensus.get(NETUID) == [0]
        assert Incentive.get(NETUID) == [0]
        assert Dividends.get(NETUID) == [0]


# -- V21 -------------------------------------------------------------------------------------


def _bonds_setup() -> None:
    add_network_disable_commit_reveal(NETUID, 1)
    MaxAllowedUids.insert(NETUID, 8)
    MinAllowedWeights.insert(NETUID, 1)
    BondsPenalty.insert(NETUID, U16_MAX)
    for key, stake in enumerate([1, 2, 3, 4, 0, 0, 0, 0]):
        add_node(NETUID, key, stake)
    MaxAllowedValidators.insert(NETUID, 8)
    E.epoch(NETUID, 1_000_000_000)  # first epoch: validator permits
    next_block_no_epoch()


@pytest.mark.parametrize("sparse", [True, False])
def test_bonds(sparse: bool):
    """epoch.rs `test_bonds` (Yuma classic, tempo 1, stakes [1,2,3,4,0,0,0,0], bonds penalty 1),
    every asserted bond, sparse and dense as the Rust's `sparse` switch."""
    run = E.epoch if sparse else E.epoch_dense
    with chain():
        _bonds_setup()
        for uid in range(4):
            set_weights(uid, [4, 5, 6, 7], [U16_MAX // 4, U16_MAX // 2, (U16_MAX // 4) * 3, U16_MAX])
        emissions = run(NETUID, 1_000_000_000)
        b = bonds()
        assert [b[i][4] for i in range(4)] == [16383, 32767, 49151, 65535]
        # The emissions the Rust test logs for this epoch (E: [...]).
        assert [s + v for _, s, v in emissions] == [49999998, 99999999, 150000000, 200000001,
                                                    49998779, 100000610, 149996337, 200004272]

        set_weights(0, [0], [U16_MAX])  # self-weight only on val1
        next_block_no_epoch()
        run(NETUID, 1_000_000_000)
        b = bonds()
        assert [b[i][4] for i in range(4)] == [14582, 32767, 49151, 65535]

        set_weights(1, [1], [U16_MAX])  # self-weight only on val2
        next_block_no_epoch()
        run(NETUID, 1_000_000_000)
        b = bonds()
        assert [b[i][4] for i in range(4)] == [12603, 28321, 49151, 65535]

        set_weights(2, [2], [U16_MAX])  # self-weight only on val3: consensus all zero
        next_block_no_epoch()
        run(NETUID, 1_000_000_000)
        b = bonds()
        assert [b[i][7] for i in range(4)] == [12602, 28320, 49150, 65535]

        set_weights(2, [7], [U16_MAX])  # val3 -> srv4: 1
        next_block_no_epoch()
        run(NETUID, 1_000_000_000)
        b = bonds()
        assert [b[i][7] for i in range(4)] == [10951, 24609, 49150, 65535]

        next_block_no_epoch()
        run(NETUID, 1_000_000_000)
        b = bonds()
        assert [b[i][7] for i in range(4)] == [9559, 21482, 49150, 65535]

        next_block_no_epoch()
        run(NETUID, 1_000_000_000)
        b = bonds()
        assert [b[i][7] for i in range(4)] == [8376, 18824, 49150, 65535]


# -- V22 and the Yuma3 scenarios -------------------------------------------------------------


def setup_yuma_3_scenario(n: int, stakes: list[int]) -> None:
    """epoch.rs `setup_yuma_3_scenario`: tempo 1, bonds penalty 0, steepness 1000, bonds moving
    average 975_000, kappa u16::MAX / 2, liquid alpha (0.1, 0.3), Yuma3, 3 validator permits."""
    add_network_disable_commit_reveal(NETUID, 1)
    MaxAllowedUids.insert(NETUID, n)
    MinAllowedWeights.insert(NETUID, 1)
    BondsPenalty.insert(NETUID, 0)
    AlphaSigmoidSteepness.insert(NETUID, 1000)
    BondsMovingAverage.insert(NETUID, 975_000)
    for key in range(n):
        add_node(NETUID, key, stakes[key])
    Kappa.insert(NETUID, U16_MAX // 2)
    LiquidAlphaOn.insert(NETUID, True)
    # set_alpha_values_32(0.1, 0.3): (x * u16::MAX).saturating_to_num::<u16>()
    low, high = (I32F32.saturating_to_num(I32F32.saturating_mul(I32F32.from_f64(x), I32F32.from_num(U16_MAX)), 16)
                 for x in (0.1, 0.3))
    AlphaValues.insert(NETUID, (low, high))
    Yuma3On.insert(NETUID, True)
    MaxAllowedValidators.insert(NETUID, 3)
    run_yuma_epoch(True)


def run_yuma_epoch(sparse: bool) -> None:
    next_block_no_epoch()
    (E.epoch if sparse else E.epoch_dense)(NETUID, 1_000_000_000)


def set_yuma_3_weights(weights: list[list[int]], indices: list[int]) -> None:
    for uid, w in enumerate(weights):
        set_weights(uid, indices, w)


def run_epoch_and_check_bonds_dividends(sparse: bool, target_bonds: list[list[float]],
                                        target_dividends: list[float]) -> None:
    """The Rust helper's check (dividends within 1e-3). Its bond loop zips each bond row with the
    target row after `skip(3)`, i.e. with nothing; the bonds are checked here against the test
    file's own table (validator rows, server columns 3 and 4), same tolerance."""
    run_yuma_epoch(sparse)
    epsilon = I32F32.from_f64(1e-3)
    for dividend, target in zip(Dividends.get(NETUID), target_dividends, strict=False):
        assert_approx_eq(math.u16_proportion_to_fixed(dividend), fixed(target), epsilon)
    fixed_bonds = E.get_bonds_fixed_proportion(NETUID)
    for row, target_row in zip(fixed_bonds, target_bonds, strict=False):
        for b, t in zip(row[3:5], target_row, strict=True):
            assert_approx_eq(b, fixed(t), epsilon)


ONE_EPOCH_SWITCH_BONDS = [
    [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
    [[0.1924, 0.0000], [0.1924, 0.0000], [0.1924, 0.0000]],
    [[0.2742, 0.0000], [0.2742, 0.0000], [0.1715, 0.2987]],
    [[0.3478, 0.0000], [0.3478, 0.0000], [0.2554, 0.2618]],
    [[0.4139, 0.0000], [0.4139, 0.0000], [0.3309, 0.2312]],
    [[0.4733, 0.0000], [0.4733, 0.0000], [0.3987, 0.2051]],
]
ONE_EPOCH_SWITCH_DIVIDENDS = [
    [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
    [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
    [0.3782, 0.3782, 0.2436, 0.0000, 0.0000],
    [0.3628, 0.3628, 0.2745, 0.0000, 0.0000],
    [0.3541, 0.3541, 0.2917, 0.0000, 0.0000],
    [0.3487, 0.3487, 0.3026, 0.0000, 0.0000],
]


@pytest.mark.parametrize("sparse", [True, False])
def test_yuma_3_one_epoch_switch(sparse: bool):
    """epoch.rs `test_yuma_3_one_epoch_switch`: Yuma3 with liquid alpha, validators [33, 33, 34];
    validator C switches to server 2 for one epoch."""
    with chain():
        setup_yuma_3_scenario(5, [33, 33, 34, 0, 0])
        for epoch, (target_bonds, target_dividends) in enumerate(
                zip(ONE_EPOCH_SWITCH_BONDS, ONE_EPOCH_SWITCH_DIVIDENDS, strict=True)):
            if epoch == 2:
                set_yuma_3_weights([[U16_MAX, 0], [U16_MAX, 0], [0, U16_MAX]], [3, 4])
            else:
                set_yuma_3_weights([[U16_MAX, 0]] * 3, [3, 4])
            run_epoch_and_check_bonds_dividends(sparse, target_bonds, target_dividends)


@pytest.mark.parametrize("sparse", [True, False])
def test_yuma_3_liquid_alpha_disabled(sparse: bool):
    """epoch.rs `test_yuma_3_liquid_alpha_disabled`: the same switch with liquid alpha off (the
    EMA with 1 - 0.975). Its bond table lists three servers for two, shifted by one column: only
    the dividends are compared, as the Rust does."""
    dividends = [
        [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
        [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
        [0.3734, 0.3734, 0.2532, 0.0000, 0.0000],
        [0.3611, 0.3611, 0.2779, 0.0000, 0.0000],
        [0.3541, 0.3541, 0.2919, 0.0000, 0.0000],
        [0.3495, 0.3495, 0.3009, 0.0000, 0.0000],
    ]
    with chain():
        setup_yuma_3_scenario(5, [33, 33, 34, 0, 0])
        LiquidAlphaOn.insert(NETUID, False)
        for epoch, target_dividends in enumerate(dividends):
            if epoch == 2:
                set_yuma_3_weights([[U16_MAX, 0], [U16_MAX, 0], [0, U16_MAX]], [3, 4])
            else:
                set_yuma_3_weights([[U16_MAX, 0]] * 3, [3, 4])
            run_epoch_and_check_bonds_dividends(sparse, [], target_dividends)


@pytest.mark.parametrize("sparse", [True, False])
def test_yuma_3_kappa_moves_first(sparse: bool):
    """epoch.rs `test_yuma_3_kappa_moves_first`: the kappa validator (stake 0.8) moves to server 2
    first, the small ones follow; consensus follows the stake majority."""
    bonds = [
        [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
        [[0.0908, 0.1013], [0.3697, 0.0000], [0.3697, 0.0000]],
        [[0.0815, 0.1924], [0.3170, 0.1013], [0.5580, 0.0000]],
        [[0.0731, 0.2742], [0.2765, 0.1924], [0.4306, 0.1013]],
        [[0.0656, 0.3478], [0.2435, 0.2742], [0.3589, 0.1924]],
        [[0.0588, 0.4139], [0.2157, 0.3478], [0.3089, 0.2742]],
    ]
    dividends = [
        [0.8000, 0.1000, 0.1000, 0.0000, 0.0000],
        [1.0000, 0.0000, 0.0000, 0.0000, 0.0000],
        [0.9382, 0.0618, 0.0000, 0.0000, 0.0000],
        [0.8819, 0.0773, 0.0407, 0.0000, 0.0000],
        [0.8564, 0.0844, 0.0592, 0.0000, 0.0000],
        [0.8418, 0.0884, 0.0697, 0.0000, 0.0000],
    ]
    schedule = {
        0: [[U16_MAX, 0]] * 3,
        1: [[0, U16_MAX], [U16_MAX, 0], [U16_MAX, 0]],
        2: [[0, U16_MAX], [0, U16_MAX], [U16_MAX, 0]],
        3: [[0, U16_MAX]] * 3,
    }
    with chain():
        setup_yuma_3_scenario(5, [8, 1, 1, 0, 0])
        for epoch, (target_bonds, target_dividends) in enumerate(zip(bonds, dividends, strict=True)):
            if epoch in schedule:
                set_yuma_3_weights(schedule[epoch], [3, 4])
            run_epoch_and_check_bonds_dividends(sparse, target_bonds, target_dividends)


# -- validator permits -----------------------------------------------------------------------


def distribute_nodes(validators_n: int, network_n: int, interleave: int) -> tuple[list[int], list[int]]:
    """epoch.rs `distribute_nodes`: blockwise, regular, or shuffled (seeded here) interleaving."""
    if interleave == 0:
        return list(range(validators_n)), list(range(validators_n, network_n))
    if interleave == 1:
        step = network_n // validators_n
        return ([i for i in range(network_n) if i % step == 0], [i for i in range(network_n) if i % step != 0])
    import random

    uids = list(range(network_n))
    random.Random(network_n).shuffle(uids)
    return uids[:validators_n], uids[validators_n:]


@pytest.mark.parametrize("interleave", [0, 1, 2])
@pytest.mark.parametrize(("network_n", "validators_n"), [(2, 1), (4, 2), (8, 4)])
@pytest.mark.parametrize("assignment", [0, 1])
def test_validator_permits(interleave: int, network_n: int, validators_n: int, assignment: int):
    """epoch.rs `test_validator_permits`: the top-k non-zero stakes above `StakeThreshold` get the
    permits; when the servers' stake grows above the validators', the permits move to them."""
    min_stake = validators_n
    validators, servers = distribute_nodes(validators_n, network_n, interleave)
    stake = [0] * network_n
    for v in validators:
        stake[v] = v + network_n if assignment == 1 else 1
    for s in servers:
        stake[s] = s if assignment == 1 else 0
    with chain():
        init_new_network(NETUID, U16_MAX - 1)  # mock `add_network`: commit-reveal stays on
        MaxAllowedUids.insert(NETUID, network_n)
        StakeThreshold.put(min_stake)
        for key in range(network_n):
            add_node(NETUID, key, stake[key])
        assert SubnetworkN.get(NETUID) == network_n
        MaxAllowedValidators.insert(NETUID, validators_n)
        E.epoch(NETUID, 1_000_000_000)
        permits = ValidatorPermit.get(NETUID)
        for v in validators:
            assert permits[v] == (stake[v] >= min_stake)
        for s in servers:
            assert not permits[s]

        for s in servers:
            increase_stake_for_hotkey_and_coldkey_on_subnet(account(s), account(s), NETUID, 2 * network_n)
        next_block_no_epoch()
        E.epoch(NETUID, 1_000_000_000)
        permits = ValidatorPermit.get(NETUID)
        for v in validators:
            assert not permits[v]
        for s in servers:
            assert permits[s] == (stake[s] + 2 * network_n >= min_stake)
