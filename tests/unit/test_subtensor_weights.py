"""Weights: set_weights (plain, mechanism, batch) with every check in the real order, the
fixed-point upscale and max-weight check, hash commit-reveal (commit, reveal, batch, reveal
windows and expiry) and timelocked commits. Scenarios are ported from subtensor's
pallets/subtensor/src/tests/weights.rs (each names its Rust test) with the mock's seeding;
a failing call changes nothing."""

from __future__ import annotations

import hashlib

import pytest

from pysubtensor.pallets import system
from pysubtensor.pallets.subtensor.coinbase.run_coinbase import drain_pending
from pysubtensor.pallets.subtensor.epoch.storage import LastUpdate
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.neurons.storage import SubnetworkN
from pysubtensor.pallets.subtensor.staking.storage import TotalHotkeyAlpha
from pysubtensor.pallets.subtensor.storage_beyond_381 import LastEpochBlock, SubnetEpochIndex
from pysubtensor.pallets.subtensor.subnets.storage import (
    MechanismCountCurrent,
    NetworksAdded,
    SubnetOwnerHotkey,
)
from pysubtensor.pallets.subtensor.utils.neuron_lookup import set_last_update_for_uid
from pysubtensor.pallets.subtensor.weights import weights as W
from pysubtensor.pallets.subtensor.weights.math import check_vec_max_limited, vec_u16_max_upscale_to_u16
from pysubtensor.pallets.subtensor.weights.storage import (
    CommitRevealWeightsEnabled,
    MaxWeightsLimit,
    MinAllowedWeights,
    RevealPeriodEpochs,
    StakeThreshold,
    TimelockedWeightCommits,
    WeightCommits,
    Weights,
    WeightsSetRateLimit,
    WeightsVersionKey,
)
from pysubtensor.pallets.support.dispatch import BadOrigin, DispatchError
from pysubtensor.primitives.externalities import current
from tests.support.subtensor_seed import (
    account,
    add_network,
    call,
    chain,
    register_neuron,
    run_to_block,
    set_permit,
)

NETUID = 1
SALT = [1, 2, 3, 4, 5, 6, 7, 8]
U16_MAX = 0xFFFF


def ok(result) -> bool:
    return not isinstance(result, DispatchError)


def block() -> int:
    return system.block_number()


def step_block(n: int) -> None:
    """`n` blocks, each with the coinbase's schedule step (`drain_pending`): the epoch slots
    due in it are consumed, which is what moves the commit-reveal epoch (`SubnetEpochIndex`)."""
    for _ in range(n):
        run_to_block(block() + 1)
        drain_pending([netuid for netuid, _ in NetworksAdded.iter() if netuid != 0], block())


def step_epochs(count: int, netuid: int) -> None:
    """main's mock `step_epochs`: block by block until `count` more epoch slots of the subnet
    were consumed (its `SubnetEpochIndex` moved by `count`)."""
    target = SubnetEpochIndex.get(netuid) + count
    for _ in range(50_000):
        if SubnetEpochIndex.get(netuid) >= target:
            return
        step_block(1)
    raise AssertionError("step_epochs: epoch counter never advanced (tempo == 0?)")


def commit_hash(hotkey: bytes, netuid: int, uids, values, salt, version_key: int) -> bytes:
    return W.get_commit_hash(hotkey, netuid, uids, values, salt, version_key)


def commit_reveal_set_weights(hotkey, netuid, uids, values, salt, version_key):
    """The Rust tests' helper: enable commit-reveal, commit, step one epoch, reveal."""
    CommitRevealWeightsEnabled.insert(netuid, True)
    result = call("commit_weights", hotkey, netuid=netuid,
                  commit_hash=commit_hash(hotkey, netuid, uids, values, salt, version_key))
    if not ok(result):
        return result
    step_epochs(1, netuid)
    return call("reveal_weights", hotkey, netuid=netuid, uids=uids, values=values, salt=salt, version_key=version_key)


def snapshot() -> dict:
    ext = current()
    return {k: ext.get(k) for k in _touched_keys()}


def _touched_keys():
    from tests.support.metadata import oracle_key
    keys = []
    for uid_key in range(4):
        keys.append(oracle_key("SubtensorModule", "Weights", NETUID, uid_key))
    keys.append(oracle_key("SubtensorModule", "LastUpdate", NETUID))
    return keys


# ---------------------------------------------------------------------------
# set_weights checks


def test_set_weights_is_root_error():
    """Rust: test_set_weights_is_root_error."""
    with chain():
        CommitRevealWeightsEnabled.insert(0, False)
        assert isinstance(call("set_weights", account(1), netuid=0, dests=[0], weights=[1], version_key=0),
                          Error.CanNotSetRootNetworkWeights)


def _three_neurons(commit_reveal: bool = False) -> bytes:
    add_network(NETUID, 13, commit_reveal=commit_reveal)
    hotkey = account(55)
    register_neuron(NETUID, hotkey)
    register_neuron(NETUID, account(1))
    register_neuron(NETUID, account(2))
    return hotkey


def test_weights_err_no_validator_permit():
    """Rust: test_weights_err_no_validator_permit."""
    with chain():
        hotkey = _three_neurons()
        before = snapshot()
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[1, 2], weights=[1, 2], version_key=0),
                          Error.NeuronNoValidatorPermit)
        # the permit is checked before duplicates and unknown uids
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[1, 1], weights=[1, 2], version_key=0),
                          Error.NeuronNoValidatorPermit)
        assert snapshot() == before
        set_permit(NETUID, 0)
        assert ok(call("set_weights", hotkey, netuid=NETUID, dests=[1, 2], weights=[1, 2], version_key=0))
        # max-upscaled: [1, 2] -> [32768 (32767.5 rounded half up), 65535]
        assert Weights.get(NETUID, 0) == [(1, 32768), (2, U16_MAX)]


def test_weights_version_key():
    """Rust: test_weights_version_key."""
    with chain():
        hotkey = account(55)
        for netuid in (1, 2):
            add_network(netuid, 1, commit_reveal=False)
            register_neuron(netuid, hotkey)
            WeightsSetRateLimit.insert(netuid, 0)

        def set_w(netuid, key):
            return call("set_weights", hotkey, netuid=netuid, dests=[0], weights=[1], version_key=key)

        assert ok(set_w(1, 0)) and ok(set_w(2, 0))
        WeightsVersionKey.insert(1, 12312)
        WeightsVersionKey.insert(2, 20313)
        assert ok(set_w(1, 12312)) and ok(set_w(2, 20313)) and ok(set_w(1, 20313))
        assert isinstance(set_w(2, 12312), Error.IncorrectWeightVersionKey)


def test_weights_err_setting_weights_too_fast():
    """Rust: test_weights_err_setting_weights_too_fast: with a limit of 10, every tenth block."""
    with chain():
        hotkey = _three_neurons()
        set_permit(NETUID, 0)
        WeightsSetRateLimit.insert(NETUID, 10)
        args = dict(netuid=NETUID, dests=[1, 2], weights=[1, 2], version_key=0)
        assert ok(call("set_weights", hotkey, **args))
        run_to_block(1)
        for i in range(1, 100):
            result = call("set_weights", hotkey, **args)
            if i % 10 == 1:
                assert ok(result), i
                assert LastUpdate.get(NETUID)[0] == i
            else:
                assert isinstance(result, Error.SettingWeightsTooFast), i
            run_to_block(i + 1)


def test_weights_err_weights_vec_not_equal_size_and_duplicates():
    """Rust: test_weights_err_weights_vec_not_equal_size, test_weights_err_has_duplicate_ids."""
    with chain():
        hotkey = _three_neurons()
        set_permit(NETUID, 0)
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[1, 2, 3, 4, 5, 6],
                               weights=[1, 2, 3, 4, 5], version_key=0), Error.WeightVecNotEqualSize)
        register_neuron(NETUID, account(3))
        assert SubnetworkN.get(NETUID) == 4
        assert isinstance(commit_reveal_set_weights(hotkey, NETUID, [1, 1, 1], [1, 2, 3], SALT, 0),
                          Error.DuplicateUids)


def test_no_signature():
    """Rust: test_no_signature."""
    with chain():
        add_network(NETUID, 13, commit_reveal=False)
        assert isinstance(call("set_weights", None, netuid=NETUID, dests=[], weights=[], version_key=0), BadOrigin)


def test_set_weights_err_not_active_and_invalid_uid():
    """Rust: test_set_weights_err_not_active (unregistered hotkey), test_set_weights_err_invalid_uid."""
    with chain():
        add_network(NETUID, 13)
        hotkey = account(55)
        register_neuron(NETUID, hotkey)
        set_permit(NETUID, 0)
        assert isinstance(commit_reveal_set_weights(account(666), NETUID, [0], [1], SALT, 0),
                          Error.HotKeyNotRegisteredInSubNet)
        assert isinstance(commit_reveal_set_weights(hotkey, NETUID, [9999], [88], SALT, 0),
                          Error.UidVecContainInvalidOne)


def test_set_weight_not_enough_values():
    """Rust: test_set_weight_not_enough_values."""
    with chain():
        add_network(NETUID, 13, commit_reveal=False)
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        set_permit(NETUID, 0)
        register_neuron(NETUID, account(3))
        MinAllowedWeights.insert(NETUID, 2)
        WeightsSetRateLimit.insert(NETUID, 0)
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[1], weights=[88], version_key=0),
                          Error.WeightVecLengthIsLow)
        assert ok(call("set_weights", hotkey, netuid=NETUID, dests=[0], weights=[88], version_key=0))  # self
        MinAllowedWeights.insert(NETUID, 1)
        assert ok(commit_reveal_set_weights(hotkey, NETUID, [0, 1], [10, 10], SALT, 0))


def test_set_weight_too_many_uids():
    """Rust: test_set_weight_too_many_uids."""
    with chain():
        add_network(NETUID, 13, commit_reveal=False)
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        set_permit(NETUID, 0)
        register_neuron(NETUID, account(3))
        MinAllowedWeights.insert(NETUID, 2)
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[0, 1, 2, 3, 4],
                               weights=[88, 102, 303, 1212, 11], version_key=0), Error.UidsLengthExceedUidsInSubNet)
        assert ok(call("set_weights", hotkey, netuid=NETUID, dests=[0, 1], weights=[10, 10], version_key=0))


def test_set_weights_sum_larger_than_u16_max():
    """Rust: test_set_weights_sum_larger_than_u16_max."""
    with chain():
        add_network(NETUID, 13)
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        set_permit(NETUID, 0)
        register_neuron(NETUID, account(3))
        MinAllowedWeights.insert(NETUID, 2)
        assert ok(commit_reveal_set_weights(hotkey, NETUID, [0, 1], [U16_MAX, U16_MAX], SALT, 0))
        assert Weights.get(NETUID, 0) == [(0, U16_MAX), (1, U16_MAX)]


def test_max_weight_limit_is_checked_on_the_upscaled_weights():
    """`MaxWeightExceeded` when the normalised largest weight exceeds limit / u16::MAX."""
    with chain():
        hotkey = _three_neurons()
        set_permit(NETUID, 0)
        WeightsSetRateLimit.insert(NETUID, 0)
        MaxWeightsLimit.insert(NETUID, U16_MAX // 2)  # 32767: a half is 32767.5/65535, over the limit
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[1, 2], weights=[1, 1], version_key=0),
                          Error.MaxWeightExceeded)
        MaxWeightsLimit.insert(NETUID, U16_MAX // 2 + 1)
        assert ok(call("set_weights", hotkey, netuid=NETUID, dests=[1, 2], weights=[1, 1], version_key=0))
        MaxWeightsLimit.insert(NETUID, 0)  # a self weight passes any limit
        assert ok(call("set_weights", hotkey, netuid=NETUID, dests=[0], weights=[5], version_key=0))


def test_check_helpers():
    """Rust: test_check_length_allows_singleton, test_check_length_weights_length_exceeds_min_allowed,
    test_check_length_to_few_weights, test_normalize_weights_does_not_mutate_when_sum_is_zero,
    test_normalize_weights_does_not_mutate_when_sum_not_zero,
    test_max_weight_limited_allow_self_weights_to_exceed_max_weight_limit,
    test_max_weight_limited_when_weight_limit_is_u16_max, test_is_self_weight_*,
    test_check_len_uids_within_allowed_*."""
    with chain():
        add_network(NETUID, 13)
        MinAllowedWeights.insert(NETUID, 3)
        for i in range(5):
            register_neuron(NETUID, account(100 + i))
        assert W.check_length(NETUID, 1, [1], [1])  # singleton self weight
        assert W.check_length(NETUID, 1, [0, 2, 3, 4], [1, 1, 1, 1])
        assert not W.check_length(NETUID, 1, [0, 2], [1, 1])
        assert W.normalize_weights([0, 0, 0]) == [0, 0, 0]
        assert W.normalize_weights([1, 1, 1]) == [21845, 21845, 21845]
        assert W.normalize_weights([1, 2]) == [21845, 43690]
        MaxWeightsLimit.insert(NETUID, 0)
        assert W.max_weight_limited(NETUID, 1, [1], [U16_MAX])
        assert not W.max_weight_limited(NETUID, 1, [0, 2], [1, 1])
        MaxWeightsLimit.insert(NETUID, U16_MAX)
        assert W.max_weight_limited(NETUID, 1, [0, 2], [1, 1])
        assert not W.is_self_weight(0, [0, 1], [1, 1])
        assert not W.is_self_weight(1, [0], [1])
        assert W.is_self_weight(0, [0], [1])
        assert SubnetworkN.get(NETUID) == 5


def test_set_weights_commit_reveal_enabled_error():
    """Rust: test_set_weights_commit_reveal_enabled_error."""
    with chain():
        add_network(NETUID, 13)
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        set_permit(NETUID, 0)
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[0], weights=[1], version_key=0),
                          Error.CommitRevealEnabled)
        assert isinstance(call("set_mechanism_weights", hotkey, netuid=NETUID, mecid=0, dests=[0], weights=[1],
                               version_key=0), Error.CommitRevealEnabled)
        CommitRevealWeightsEnabled.insert(NETUID, False)
        assert ok(call("set_weights", hotkey, netuid=NETUID, dests=[0], weights=[1], version_key=0))


def test_reveal_weights_when_commit_reveal_disabled():
    """Rust: test_reveal_weights_when_commit_reveal_disabled."""
    with chain(block=1):
        add_network(NETUID, 5, commit_reveal=False)
        hotkey = account(1)
        register_neuron(NETUID, account(3))
        register_neuron(NETUID, hotkey)
        assert isinstance(call("commit_weights", hotkey, netuid=NETUID, commit_hash=bytes(32)),
                          Error.CommitRevealDisabled)
        assert isinstance(call("reveal_weights", hotkey, netuid=NETUID, uids=[0, 1], values=[10, 10], salt=SALT,
                               version_key=0), Error.CommitRevealDisabled)


# ---------------------------------------------------------------------------
# Hash commit-reveal


def _cr_subnet(start: int = 0, tempo: int = 5) -> bytes:
    run_to_block(start)
    add_network(NETUID, tempo)
    register_neuron(NETUID, account(3))
    hotkey = account(1)
    register_neuron(NETUID, hotkey)
    WeightsSetRateLimit.insert(NETUID, 5)
    set_permit(NETUID, 0)
    set_permit(NETUID, 1)
    return hotkey


def test_commit_reveal_weights_ok():
    """Rust: test_commit_reveal_weights_ok."""
    with chain(block=1) as events:
        hotkey = _cr_subnet()
        h = commit_hash(hotkey, NETUID, [0, 1], [10, 10], SALT, 0)
        assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h))
        assert events[-1] == ("SubtensorModule", Event.WeightsCommitted(hotkey, NETUID, h))
        step_epochs(1, NETUID)
        assert ok(call("reveal_weights", hotkey, netuid=NETUID, uids=[0, 1], values=[10, 10], salt=SALT,
                       version_key=0))
        assert [type(e).__name__ for _, e in events[-2:]] == ["WeightsSet", "WeightsRevealed"]
        assert Weights.get(NETUID, 1) == [(0, U16_MAX), (1, U16_MAX)]
        assert WeightCommits.get(NETUID, hotkey) is None


def test_commit_is_tagged_with_its_epoch_and_revealed_in_the_next():
    """Rust (spec 381): test_get_reveal_blocks, on main's schedule. Tempo 5, netuid 1, subnet
    added at block 0: anchor 0, epochs run at blocks 5, 10, ... A commit at block 0 is stored
    as `(hash, commit_epoch 0, commit_block 0, 0)`; with a reveal period of 1 it is revealed in
    epoch 1, blocks 5..=9."""
    with chain(block=1):
        hotkey = _cr_subnet()
        args = dict(netuid=NETUID, uids=[0, 1], values=[10, 10], salt=SALT, version_key=0)
        h = commit_hash(hotkey, NETUID, [0, 1], [10, 10], SALT, 0)
        assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h))
        assert WeightCommits.get(NETUID, hotkey) == [(h, 0, 0, 0)]
        step_block(4)  # block 4
        assert isinstance(call("reveal_weights", hotkey, **args), Error.RevealTooEarly)
        step_block(1)  # block 5: epoch 1 ran in its on_initialize
        assert SubnetEpochIndex.get(NETUID) == 1
        assert ok(call("reveal_weights", hotkey, **args))
        assert isinstance(call("reveal_weights", hotkey, **args), Error.NoWeightsCommitFound)
        step_block(5)  # block 10
        assert isinstance(call("reveal_weights", hotkey, **args), Error.NoWeightsCommitFound)
        assert WeightCommits.get(NETUID, hotkey) is None


def test_reveal_after_the_window_is_expired():
    """Rust: test_expired_commits_handling_in_commit_and_reveal (the single-commit case): a
    commit of epoch 0 (block 0, epochs at 5 and 10) is found through epoch 1 and expired in 2."""
    with chain(block=1):
        hotkey = _cr_subnet()
        assert ok(call("commit_weights", hotkey, netuid=NETUID,
                       commit_hash=commit_hash(hotkey, NETUID, [0, 1], [10, 10], SALT, 0)))
        step_block(9)  # block 9, the reveal epoch's last block: still allowed to be found
        assert WeightCommits.get(NETUID, hotkey) is not None
        step_block(1)  # block 10, epoch 2: expired
        before = WeightCommits.get(NETUID, hotkey)
        assert isinstance(call("reveal_weights", hotkey, netuid=NETUID, uids=[0, 1], values=[10, 10], salt=SALT,
                               version_key=0), Error.ExpiredWeightCommit)
        assert WeightCommits.get(NETUID, hotkey) == before  # the failed call dropped nothing
        assert isinstance(call("reveal_weights", hotkey, netuid=NETUID, uids=[0, 1], values=[10, 11], salt=SALT,
                               version_key=0), Error.NoWeightsCommitFound)


def test_reveal_at_exact_epoch():
    """Rust: test_reveal_at_exact_epoch: for each reveal period, too early one epoch before,
    revealed in the reveal epoch, expired one epoch after."""
    with chain(block=0):
        add_network(NETUID, 100)
        WeightsSetRateLimit.insert(NETUID, 0)
        register_neuron(NETUID, account(3))
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        set_permit(NETUID, 0)
        set_permit(NETUID, 1)
        args = dict(netuid=NETUID, uids=[0, 1], values=[10, 10], version_key=0)
        for period in (1, 2, 7, 40, 86, 100):
            W.set_reveal_period(NETUID, period)
            h = commit_hash(hotkey, NETUID, [0, 1], [10, 10], [42] * 8, 0)
            assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h))
            reveal_epoch = W.get_epoch_index(NETUID, block()) + period
            step_epochs(period - 1, NETUID)
            assert isinstance(call("reveal_weights", hotkey, salt=[42] * 8, **args), Error.RevealTooEarly)
            current_epoch = W.get_epoch_index(NETUID, block())
            if current_epoch < reveal_epoch:
                step_epochs(reveal_epoch - current_epoch, NETUID)
            assert ok(call("reveal_weights", hotkey, salt=[42] * 8, **args))
            assert isinstance(call("reveal_weights", hotkey, salt=[42] * 8, **args), Error.NoWeightsCommitFound)
            h2 = commit_hash(hotkey, NETUID, [0, 1], [10, 10], [43] * 8, 0)
            assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h2))
            step_epochs(period + 1, NETUID)
            assert isinstance(call("reveal_weights", hotkey, salt=[43] * 8, **args), Error.ExpiredWeightCommit)
            WeightCommits.remove(NETUID, hotkey)


def test_set_reveal_period_bounds():
    with chain() as events:
        for bad, error in ((0, Error.RevealPeriodTooSmall), (101, Error.RevealPeriodTooLarge)):
            with pytest.raises(error):
                W.set_reveal_period(NETUID, bad)
        W.set_reveal_period(NETUID, 100)
        assert RevealPeriodEpochs.get(NETUID) == 100
        assert events == [("SubtensorModule", Event.CommitRevealPeriodsSet(NETUID, 100))]


def test_commit_weights_rate_limit():
    """Rust: test_commit_weights_rate_limit."""
    with chain(block=11):
        hotkey = _cr_subnet(start=11)
        WeightsSetRateLimit.insert(NETUID, 10)
        set_last_update_for_uid(NETUID, 1, 0)
        h1 = commit_hash(hotkey, NETUID, [0, 1], [10, 10], SALT, 0)
        h2 = commit_hash(hotkey, NETUID, [0, 1], [10, 10], [9] * 8, 0)
        assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h1))
        assert isinstance(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h2), Error.CommittingWeightsTooFast)
        step_block(5)
        assert isinstance(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h2), Error.CommittingWeightsTooFast)
        step_block(5)  # block 21
        assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h2))
        CommitRevealWeightsEnabled.insert(NETUID, False)
        args = dict(netuid=NETUID, dests=[0], weights=[1], version_key=0)
        assert isinstance(call("set_weights", hotkey, **args), Error.SettingWeightsTooFast)
        step_block(10)
        assert ok(call("set_weights", hotkey, **args))
        assert isinstance(call("set_weights", hotkey, **args), Error.SettingWeightsTooFast)
        step_block(5)
        assert isinstance(call("set_weights", hotkey, **args), Error.SettingWeightsTooFast)
        step_block(5)
        assert ok(call("set_weights", hotkey, **args))


def test_commit_reveal_order_and_too_many_commits():
    """Rust: test_commit_reveal_order_enforcement, test_commit_reveal_multiple_commits (limit of 10)."""
    with chain(block=1):
        hotkey = _cr_subnet()
        WeightsSetRateLimit.insert(NETUID, 0)
        hashes = [commit_hash(hotkey, NETUID, [0, 1], [10, 10 + i], SALT, 0) for i in range(11)]
        for h in hashes[:10]:
            assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h))
        assert isinstance(call("commit_weights", hotkey, netuid=NETUID, commit_hash=hashes[10]),
                          Error.TooManyUnrevealedCommits)
        step_epochs(1, NETUID)
        # revealing the third drops the first two with it
        assert ok(call("reveal_weights", hotkey, netuid=NETUID, uids=[0, 1], values=[10, 12], salt=SALT,
                       version_key=0))
        assert [c[0] for c in WeightCommits.get(NETUID, hotkey)] == hashes[3:10]
        assert isinstance(call("reveal_weights", hotkey, netuid=NETUID, uids=[0, 1], values=[10, 10], salt=SALT,
                               version_key=0), Error.InvalidRevealCommitHashNotMatch)


def test_batch_reveal():
    """Rust: test_successful_batch_reveal, test_batch_reveal_with_invalid_input_lengths,
    test_batch_reveal_with_no_commits, test_batch_reveal_before_reveal_period."""
    with chain(block=1) as events:
        hotkey = _cr_subnet()
        WeightsSetRateLimit.insert(NETUID, 0)
        lists = [([0, 1], [10, 20], SALT, 0), ([0, 1], [30, 40], [9] * 8, 0)]
        assert isinstance(call("batch_reveal_weights", hotkey, netuid=NETUID, uids_list=[[0, 1]], values_list=[],
                               salts_list=[], version_keys=[]), Error.InputLengthsUnequal)
        batch = dict(netuid=NETUID, uids_list=[x[0] for x in lists], values_list=[x[1] for x in lists],
                     salts_list=[x[2] for x in lists], version_keys=[x[3] for x in lists])
        assert isinstance(call("batch_reveal_weights", hotkey, **batch), Error.NoWeightsCommitFound)
        hashes = [commit_hash(hotkey, NETUID, *x) for x in lists]
        for h in hashes:
            assert ok(call("commit_weights", hotkey, netuid=NETUID, commit_hash=h))
        assert isinstance(call("batch_reveal_weights", hotkey, **batch), Error.RevealTooEarly)
        step_epochs(1, NETUID)
        assert ok(call("batch_reveal_weights", hotkey, **batch))
        assert events[-1] == ("SubtensorModule", Event.WeightsBatchRevealed(hotkey, NETUID, hashes))
        assert Weights.get(NETUID, 1) == [(0, 49151), (1, U16_MAX)]  # the last reveal wins
        assert WeightCommits.get(NETUID, hotkey) is None


def test_batch_set_and_commit_continue_past_failures():
    """Rust: test_batch_set_weights_item_failure_event_includes_netuid and
    test_batch_commit_weights_item_failure_event_includes_netuid (spec 381's BatchWeightItemFailed
    carries only the error)."""
    with chain(block=1) as events:
        for netuid in (3, 4):
            add_network(netuid, 1)
        hotkey = account(11)
        assert ok(call("batch_set_weights", hotkey, netuids=[3, 4], weights=[[], []], version_keys=[0, 0]))
        enabled = Error.CommitRevealEnabled().value
        assert events == [("SubtensorModule", e) for e in (
            Event.BatchCompletedWithErrors(), Event.BatchWeightItemFailed(enabled),
            Event.BatchWeightItemFailed(enabled), Event.BatchWeightsCompleted([3, 4], hotkey))]
        events.clear()
        for netuid in (3, 4):
            CommitRevealWeightsEnabled.insert(netuid, False)
        assert ok(call("batch_commit_weights", hotkey, netuids=[3, 4], commit_hashes=[b"\xaa" * 32, b"\xbb" * 32]))
        disabled = Error.CommitRevealDisabled().value
        assert [type(e).__name__ for _, e in events] == [
            "BatchCompletedWithErrors", "BatchWeightItemFailed", "BatchWeightItemFailed", "BatchWeightsCompleted"]
        assert events[1][1] == Event.BatchWeightItemFailed(disabled)
        assert isinstance(call("batch_set_weights", hotkey, netuids=[3], weights=[], version_keys=[0]),
                          Error.InputLengthsUnequal)


def test_batch_set_weights_sets_what_succeeds():
    with chain(block=1) as events:
        add_network(1, 13, commit_reveal=False)
        add_network(2, 13, commit_reveal=False)
        hotkey = account(7)
        register_neuron(1, hotkey)
        WeightsSetRateLimit.insert(1, 0)
        assert ok(call("batch_set_weights", hotkey, netuids=[1, 2], weights=[[(0, 5)], [(0, 5)]],
                       version_keys=[0, 0]))
        assert Weights.get(1, 0) == [(0, U16_MAX)]
        assert [type(e).__name__ for _, e in events] == [
            "WeightsSet", "BatchCompletedWithErrors", "BatchWeightItemFailed", "BatchWeightsCompleted"]
        assert events[2][1] == Event.BatchWeightItemFailed(Error.UidsLengthExceedUidsInSubNet().value)  # checked before registration


# ---------------------------------------------------------------------------
# Mechanisms


def test_mechanism_weights_are_stored_under_the_storage_index():
    with chain(block=1) as events:
        add_network(NETUID, 13, commit_reveal=False)
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        assert isinstance(call("set_mechanism_weights", hotkey, netuid=NETUID, mecid=1, dests=[0], weights=[1],
                               version_key=0), Error.MechanismDoesNotExist)
        MechanismCountCurrent.insert(NETUID, 2)
        assert ok(call("set_mechanism_weights", hotkey, netuid=NETUID, mecid=1, dests=[0], weights=[1],
                       version_key=0))
        assert Weights.get(4096 + NETUID, 0) == [(0, U16_MAX)] and Weights.get(NETUID, 0) == []
        assert events[-1] == ("SubtensorModule", Event.WeightsSet(4096 + NETUID, 0))
        assert LastUpdate.get(4096 + NETUID) == [1]


def test_mechanism_commit_and_reveal():
    with chain(block=1):
        hotkey = _cr_subnet()
        MechanismCountCurrent.insert(NETUID, 2)
        index = 4096 + NETUID
        h = commit_hash(hotkey, index, [0, 1], [10, 10], SALT, 0)
        assert ok(call("commit_mechanism_weights", hotkey, netuid=NETUID, mecid=1, commit_hash=h))
        step_epochs(1, NETUID)
        assert isinstance(call("reveal_weights", hotkey, netuid=NETUID, uids=[0, 1], values=[10, 10], salt=SALT,
                               version_key=0), Error.NoWeightsCommitFound)
        assert ok(call("reveal_mechanism_weights", hotkey, netuid=NETUID, mecid=1, uids=[0, 1], values=[10, 10],
                       salt=SALT, version_key=0))
        assert Weights.get(index, 1) == [(0, U16_MAX), (1, U16_MAX)]


# ---------------------------------------------------------------------------
# Timelocked commits


def test_do_commit_crv3_weights_success_and_checks():
    """Rust: test_do_commit_crv3_weights_success, test_do_commit_crv3_weights_disabled,
    test_do_commit_crv3_weights_hotkey_not_registered."""
    with chain(block=1) as events:
        add_network(NETUID, 5)
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        WeightsSetRateLimit.insert(NETUID, 0)
        args = dict(netuid=NETUID, commit=b"\x01\x02\x03", reveal_round=1000, commit_reveal_version=4)
        assert isinstance(call("commit_timelocked_weights", account(9), **args), Error.HotKeyNotRegisteredInSubNet)
        assert isinstance(call("commit_timelocked_weights", hotkey, **dict(args, commit_reveal_version=3)),
                          Error.IncorrectCommitRevealVersion)
        assert ok(call("commit_timelocked_weights", hotkey, **args))
        epoch = W.get_epoch_index(NETUID, 1)  # block 1 is not an epoch block of netuid 1, tempo 5
        assert TimelockedWeightCommits.get(NETUID, epoch) == [(hotkey, 1, b"\x01\x02\x03", 1000)]
        assert events[-1] == ("SubtensorModule", Event.TimelockedWeightsCommitted(
            hotkey, NETUID, hashlib.blake2b(b"\x01\x02\x03", digest_size=32).digest(), 1000))
        CommitRevealWeightsEnabled.insert(NETUID, False)
        assert isinstance(call("commit_timelocked_weights", hotkey, **args), Error.CommitRevealDisabled)


def test_timelocked_commit_on_an_epoch_block_belongs_to_the_next_epoch():
    """main's `current_epoch_with_lookahead`: a commit in a block whose epoch slot is due is
    keyed by the epoch that slot opens (`SubnetEpochIndex + 1`)."""
    with chain(block=5):
        add_network(NETUID, 5)
        LastEpochBlock.insert(NETUID, 0)  # due at 0 + tempo = 5, this block
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        WeightsSetRateLimit.insert(NETUID, 0)
        assert W.should_run_epoch(NETUID, 5) and SubnetEpochIndex.get(NETUID) == 0
        assert ok(call("commit_crv3_mechanism_weights", hotkey, netuid=NETUID, mecid=0, commit=b"x",
                       reveal_round=7))
        assert TimelockedWeightCommits.get(NETUID, 1) == [(hotkey, 5, b"x", 7)]


def test_do_commit_crv3_weights_committing_too_fast():
    """Rust: test_do_commit_crv3_weights_committing_too_fast."""
    with chain(block=1):
        add_network(NETUID, 5)
        hotkey = account(1)
        register_neuron(NETUID, hotkey)
        WeightsSetRateLimit.insert(NETUID, 5)
        set_last_update_for_uid(NETUID, 0, 0)
        args = dict(netuid=NETUID, reveal_round=1000, commit_reveal_version=4)
        assert ok(call("commit_timelocked_weights", hotkey, commit=b"\x01\x02\x03", **args))
        assert isinstance(call("commit_timelocked_weights", hotkey, commit=b"\x04\x05\x06", **args),
                          Error.CommittingWeightsTooFast)
        step_block(2)
        assert isinstance(call("commit_timelocked_weights", hotkey, commit=b"\x04\x05\x06", **args),
                          Error.CommittingWeightsTooFast)
        step_block(3)
        assert ok(call("commit_timelocked_weights", hotkey, commit=b"\x04\x05\x06", **args))


def test_do_commit_crv3_weights_too_many_unrevealed_commits():
    """Rust: test_do_commit_crv3_weights_too_many_unrevealed_commits."""
    with chain(block=1):
        add_network(NETUID, 5)
        h1, h2 = account(1), account(2)
        register_neuron(NETUID, h1)
        register_neuron(NETUID, h2)
        WeightsSetRateLimit.insert(NETUID, 0)
        args = dict(netuid=NETUID, reveal_round=1000, commit_reveal_version=4)
        for i in range(10):
            assert ok(call("commit_timelocked_weights", h1, commit=bytes([i] * 5), **args))
        assert isinstance(call("commit_timelocked_weights", h1, commit=bytes([11] * 5), **args),
                          Error.TooManyUnrevealedCommits)
        assert ok(call("commit_timelocked_weights", h2, commit=bytes(5), **args))
        for i in range(1, 10):
            assert ok(call("commit_timelocked_weights", h2, commit=bytes([i] * 5), **args))
        assert isinstance(call("commit_timelocked_weights", h2, commit=bytes([11] * 5), **args),
                          Error.TooManyUnrevealedCommits)
        step_epochs(10, NETUID)
        assert ok(call("commit_timelocked_weights", h1, commit=bytes([11] * 5), **args))


# ---------------------------------------------------------------------------
# Owner, stake threshold


def test_subnet_owner_can_validate_without_stake_or_manual_permit():
    """Rust: test_subnet_owner_can_validate_without_stake_or_manual_permit."""
    with chain():
        add_network(NETUID, 13, commit_reveal=False)
        owner, other = account(10), account(20)
        owner_uid = register_neuron(NETUID, owner)
        other_uid = register_neuron(NETUID, other)
        SubnetOwnerHotkey.insert(NETUID, owner)
        TotalHotkeyAlpha.insert(other, NETUID, 1_000)
        StakeThreshold.put(1)
        assert W.check_weights_min_stake(owner, NETUID)
        assert not W.check_validator_permit(NETUID, other_uid, [owner_uid, other_uid], [1, 1])
        assert isinstance(call("set_weights", other, netuid=NETUID, dests=[owner_uid], weights=[1], version_key=0),
                          Error.NeuronNoValidatorPermit)
        assert W.check_validator_permit(NETUID, owner_uid, [other_uid, owner_uid], [1, 1])
        assert ok(call("set_weights", owner, netuid=NETUID, dests=[other_uid], weights=[1], version_key=0))


def test_set_stake_threshold_failed():
    """Rust: test_set_stake_threshold_failed (own alpha stake only)."""
    with chain():
        add_network(NETUID, 1, commit_reveal=False)
        hotkey = account(0)
        register_neuron(NETUID, hotkey)
        StakeThreshold.put(20_000_000_000_000)
        assert not W.check_weights_min_stake(hotkey, NETUID)
        TotalHotkeyAlpha.insert(hotkey, NETUID, 19_000_000_000_000)
        assert not W.check_weights_min_stake(hotkey, NETUID)
        TotalHotkeyAlpha.insert(hotkey, NETUID, 39_000_000_000_000)
        assert W.check_weights_min_stake(hotkey, NETUID)
        StakeThreshold.put(100_000_000_000_000)
        assert isinstance(call("set_weights", hotkey, netuid=NETUID, dests=[0], weights=[1], version_key=0),
                          Error.NotEnoughStakeToSetWeights)


def test_stake_weight_inherits_through_parents_and_weighs_root_stake():
    """`get_stake_weights_for_hotkey_on_subnet` in U96F32/I64F64: a parent's half share of 1000
    is 499 (the proportion u64::MAX/2 / u64::MAX truncates to (2^31 - 1) / 2^32), and 1000 root
    stake at TaoWeight u64::MAX/10 weighs 99.99999986 (0.1 truncates to 429496729 / 2^32)."""
    from pysubtensor.pallets.subtensor.hierarchy.storage import ChildKeys, ParentKeys
    from pysubtensor.pallets.subtensor.staking.stake_weights import inherited_alpha
    from pysubtensor.pallets.subtensor.staking.storage import TaoWeight
    with chain():
        add_network(NETUID, 13, commit_reveal=False)
        child, parent = account(1), account(2)
        register_neuron(NETUID, child)
        TotalHotkeyAlpha.insert(parent, NETUID, 1000)
        ParentKeys.insert(child, NETUID, [(2**63 - 1, parent)])
        assert inherited_alpha(child, NETUID) == 499
        StakeThreshold.put(499)
        assert W.check_weights_min_stake(child, NETUID)
        StakeThreshold.put(500)
        assert not W.check_weights_min_stake(child, NETUID)
        # a child's share leaves the giver: all of 1000 given away
        TotalHotkeyAlpha.insert(parent, NETUID, 1000)
        ChildKeys.insert(parent, NETUID, [(2**64 - 1, child)])
        assert inherited_alpha(parent, NETUID) == 0
        ParentKeys.remove(child, NETUID)
        TotalHotkeyAlpha.insert(child, 0, 1000)
        TaoWeight.put((2**64 - 1) // 10)
        StakeThreshold.put(99)
        assert W.check_weights_min_stake(child, NETUID)
        StakeThreshold.put(100)
        assert not W.check_weights_min_stake(child, NETUID)


# ---------------------------------------------------------------------------
# Arithmetic and hash layout against independent computations


@pytest.mark.parametrize("values", [[1, 2], [0, 0], [1], [3, 7, 11], [32768, 1], [32769, 1], [65535, 1, 2],
                                    [40000, 20000, 1], [100, 33, 67], [1, 1, 1]])
def test_max_upscale_matches_exact_fixed_point(values):
    """I32F32 semantics computed independently with fractions: truncate each fixed-point step,
    round half up, saturate at u16::MAX."""
    from fractions import Fraction
    frac = 1 << 32

    def fixed(x: Fraction) -> Fraction:  # truncate to a multiple of 2^-32
        return Fraction(int(x * frac), frac)

    top = max(values)
    expected = []
    for e in values:
        if top == 0:
            v = Fraction(0)
        elif top > 32768:
            v = fixed(Fraction(e) * fixed(Fraction(U16_MAX, top)))
        else:
            v = fixed(Fraction(e * U16_MAX, top))
        r = int(v + Fraction(1, 2))
        expected.append(min(r, U16_MAX))
    assert vec_u16_max_upscale_to_u16(values) == expected


def test_max_limited_boundary():
    # [1, 1] normalises to exactly 0.5: the limit as u16 ratio 32768/65535 > 0.5 >= 32767/65535? no.
    assert check_vec_max_limited([1, 1], 32768)
    assert not check_vec_max_limited([1, 1], 32767)
    assert check_vec_max_limited([1, 0], U16_MAX)  # exactly at the limit: 1.0 <= 65535/65535
    assert check_vec_max_limited([], 0)
    assert check_vec_max_limited([0, 0], 0)


def test_commit_hash_is_blake2_256_of_the_scale_tuple():
    """(AccountId, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64) encoded by scalecodec, hashed by hashlib."""
    from scalecodec.base import RuntimeConfiguration
    from scalecodec.type_registry import load_type_registry_preset
    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("legacy"))
    who = account(1)
    data = b"".join(bytes(rc.create_scale_object(t).encode(v).data) for t, v in (
        ("[u8; 32]", "0x" + who.hex()), ("u16", 4097), ("Vec<u16>", [0, 1]), ("Vec<u16>", [10, 300]),
        ("Vec<u16>", SALT), ("u64", 7)))
    assert W.get_commit_hash(who, 4097, [0, 1], [10, 300], SALT, 7) == hashlib.blake2b(data, digest_size=32).digest()
