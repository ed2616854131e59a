"""Yuma consensus epochs ported from subtensor's pallets/subtensor/src/tests/epoch.rs (spec 381,
each test names its Rust test), with the same numbers and tolerances. State is set up as the
mock does: subnet and neurons written directly (`init_new_network`, `append_neuron`, stake
credited with `increase_stake_for_hotkey_and_coldkey_on_subnet`), weights set through the real
`set_weights` call; blocks advance without hooks (`next_block_no_epoch`)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pysubtensor.pallets import system
from pysubtensor.pallets.subtensor.epoch import run_epoch as E
from pysubtensor.pallets.subtensor.epoch.storage import (
    Bonds,
    BondsPenalty,
    Consensus,
    Dividends,
    Emission,
    Incentive,
    MaxAllowedValidators,
    Rank,
    StakeWeight,
    Trust,
)
from pysubtensor.pallets.subtensor.neurons.logic import append_neuron
from pysubtensor.pallets.subtensor.neurons.storage import MaxAllowedUids, SubnetworkN
from pysubtensor.pallets.subtensor.staking.accounting import increase_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.staking.storage import TotalHotkeyAlpha
from pysubtensor.pallets.subtensor.subnets.logic import init_new_network
from pysubtensor.pallets.subtensor.weights.storage import (
    CommitRevealWeightsEnabled,
    MinAllowedWeights,
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
