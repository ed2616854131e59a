"""Setting weights and hash / timelocked commit-reveal (subtensor's `subnets/weights.rs`).

Checks run in the real order and raise before anything is written. Epochs are subtensor
main's stateful counter `SubnetEpochIndex` (coinbase/schedule.py), not spec 381's block-derived
`(block + netuid + 1) / (tempo + 1)`: with epochs an owner can trigger and the per-block cap
can defer, no formula of the block says which epoch it is in. As main does, a hash commit is
stored as `(hash, commit_epoch, commit_block, 0)` (spec 381's docs still name the fields
`(hash, commit_block, first_reveal_block, last_reveal_block)`; the types are the same)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.coinbase.schedule import (
    current_epoch_with_lookahead,
    get_next_epoch_start_block,
    should_run_epoch,
)
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.neurons.storage import SubnetworkN, Uids
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.staking.stake_weights import stake_weights_for_hotkey
from pysubtensor.pallets.subtensor.storage_beyond_381 import SubnetEpochIndex
from pysubtensor.pallets.subtensor.utils.neuron_lookup import (
    current_block,
    ensure_mechanism_exists,
    get_last_update_for_uid,
    get_mechanism_storage_index,
    get_netuid_and_mecid,
    get_owner_uid,
    get_uid_for_net_and_hotkey,
    get_validator_permit_for_uid,
    is_hotkey_registered_on_network,
    is_uid_exist_on_network,
    set_last_update_for_uid,
)
from pysubtensor.pallets.subtensor.weights.math import check_vec_max_limited, vec_u16_max_upscale_to_u16
from pysubtensor.pallets.subtensor.weights.storage import (
    CommitRevealWeightsEnabled,
    CommitRevealWeightsVersion,
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
from pysubtensor.pallets.support.dispatch import DispatchError, ensure
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import U16, U64, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "MAIN", "MAX_UNREVEALED_COMMITS", "do_batch_commit_weights",
    "do_batch_reveal_weights", "do_batch_set_weights", "do_commit_timelocked_weights", "do_commit_weights",
    "do_reveal_weights", "do_set_weights", "get_commit_hash", "get_epoch_index", "get_next_epoch_start_block",
    "is_commit_expired", "is_reveal_block_range", "normalize_weights", "set_reveal_period", "should_run_epoch",
]

#: `MechId::MAIN`.
MAIN = 0
#: Unrevealed commits a hotkey may hold per subnet (hash) or per epoch (timelocked).
MAX_UNREVEALED_COMMITS = 10
_VEC_U16 = Vec(U16)


# ---------------------------------------------------------------------------
# Epochs and reveal windows


def get_epoch_index(netuid: int, _block: int) -> int:
    """The subnet's epoch counter (main's `get_epoch_index`, which ignores the block)."""
    return SubnetEpochIndex.get(netuid)


def is_reveal_block_range(netuid: int, commit_epoch: int) -> bool:
    """A reveal is allowed only in the epoch exactly `RevealPeriodEpochs` after the commit's."""
    return current_epoch_with_lookahead(netuid) == commit_epoch + RevealPeriodEpochs.get(netuid)


def is_commit_expired(netuid: int, commit_epoch: int) -> bool:
    return current_epoch_with_lookahead(netuid) > commit_epoch + RevealPeriodEpochs.get(netuid)


#: Bounds of `RevealPeriodEpochs` (`MIN_COMMIT_REVEAL_PEROIDS`, `MAX_COMMIT_REVEAL_PEROIDS`).
MIN_COMMIT_REVEAL_PERIODS = 1
MAX_COMMIT_REVEAL_PERIODS = 100


def set_reveal_period(netuid: int, reveal_period: int) -> None:
    """The reveal period in epochs, within its bounds (AdminUtils' setter calls this)."""
    ensure(reveal_period <= MAX_COMMIT_REVEAL_PERIODS, Error.RevealPeriodTooLarge)
    ensure(reveal_period >= MIN_COMMIT_REVEAL_PERIODS, Error.RevealPeriodTooSmall)
    RevealPeriodEpochs.insert(netuid, reveal_period)
    pallet.deposit_event(Event.CommitRevealPeriodsSet(netuid, reveal_period))


def get_commit_hash(who: bytes, netuid_index: int, uids: list[int], values: list[int], salt: list[int],
                    version_key: int) -> bytes:
    """BlakeTwo256 of the SCALE tuple `(who, netuid_index, uids, values, salt, version_key)`."""
    return blake2_256(ACCOUNT_ID.encode(who) + U16.encode(netuid_index) + _VEC_U16.encode(uids)
                      + _VEC_U16.encode(values) + _VEC_U16.encode(salt) + U64.encode(version_key))


# ---------------------------------------------------------------------------
# The checks of set_weights


def check_weights_min_stake(hotkey: bytes, netuid: int) -> bool:
    """The owner hotkey always passes; others need a stake weight of at least `StakeThreshold`."""
    owner_uid = get_owner_uid(netuid)
    if owner_uid is not None and Uids.get(netuid, hotkey) == owner_uid:
        return True
    total, _, _ = stake_weights_for_hotkey(hotkey, netuid)
    return total >= StakeThreshold.get() << 64  # I64F64 against the integer threshold


def check_version_key(netuid: int, version_key: int) -> bool:
    network_key = WeightsVersionKey.get(netuid)
    return network_key == 0 or version_key >= network_key


def check_rate_limit(netuid_index: int, uid: int, block: int) -> bool:
    """Registered uids on an existing mechanism pass once `WeightsSetRateLimit` blocks have
    passed since their `LastUpdate` (0: never set)."""
    try:
        netuid, _ = get_netuid_and_mecid(netuid_index)
    except DispatchError:
        return False
    if not is_uid_exist_on_network(netuid, uid):
        return False
    last = get_last_update_for_uid(netuid_index, uid)
    return last == 0 or max(block - last, 0) >= WeightsSetRateLimit.get(netuid)


def is_self_weight(uid: int, uids: list[int], weights: list[int]) -> bool:
    return len(weights) == 1 and bool(uids) and uids[0] == uid


def check_validator_permit(netuid: int, uid: int, uids: list[int], weights: list[int]) -> bool:
    if is_self_weight(uid, uids, weights):
        return True
    if get_owner_uid(netuid) == uid:
        return True
    return get_validator_permit_for_uid(netuid, uid)


def has_duplicate_uids(uids: list[int]) -> bool:
    return len(set(uids)) != len(uids)


def contains_invalid_uids(netuid: int, uids: list[int]) -> bool:
    return any(not is_uid_exist_on_network(netuid, uid) for uid in uids)


def check_length(netuid: int, uid: int, uids: list[int], weights: list[int]) -> bool:
    min_allowed = min(SubnetworkN.get(netuid), MinAllowedWeights.get(netuid))
    if netuid != 0 and is_self_weight(uid, uids, weights):
        return True
    return len(weights) >= min_allowed


def max_weight_limited(netuid: int, uid: int, uids: list[int], weights: list[int]) -> bool:
    if is_self_weight(uid, uids, weights):
        return True
    limit = MaxWeightsLimit.get(netuid)
    return limit == 0xFFFF or check_vec_max_limited(weights, limit)


def normalize_weights(weights: list[int]) -> list[int]:
    """Scale to sum u16::MAX (each `w * 65535 / sum`, truncated); all-zero stays as is."""
    total = sum(weights)
    if total == 0:
        return list(weights)
    return [min(w * 0xFFFF // total, 0xFFFF) for w in weights]


# ---------------------------------------------------------------------------
# set_weights


def do_set_weights(hotkey: bytes, netuid: int, mecid: int, uids: list[int], values: list[int],
                   version_key: int) -> None:
    netuid_index = get_mechanism_storage_index(netuid, mecid)
    ensure(netuid != 0, Error.CanNotSetRootNetworkWeights)
    ensure(len(uids) == len(values), Error.WeightVecNotEqualSize)
    ensure_mechanism_exists(netuid, mecid)
    ensure(len(uids) <= SubnetworkN.get(netuid), Error.UidsLengthExceedUidsInSubNet)
    ensure(is_hotkey_registered_on_network(netuid, hotkey), Error.HotKeyNotRegisteredInSubNet)
    ensure(check_weights_min_stake(hotkey, netuid), Error.NotEnoughStakeToSetWeights)
    ensure(check_version_key(netuid, version_key), Error.IncorrectWeightVersionKey)
    uid = get_uid_for_net_and_hotkey(netuid, hotkey)
    block = current_block()
    commit_reveal = CommitRevealWeightsEnabled.get(netuid)
    if not commit_reveal:
        ensure(check_rate_limit(netuid_index, uid, block), Error.SettingWeightsTooFast)
    ensure(check_validator_permit(netuid, uid, uids, values), Error.NeuronNoValidatorPermit)
    ensure(not has_duplicate_uids(uids), Error.DuplicateUids)
    ensure(not contains_invalid_uids(netuid, uids), Error.UidVecContainInvalidOne)
    ensure(check_length(netuid, uid, uids, values), Error.WeightVecLengthIsLow)
    upscaled = vec_u16_max_upscale_to_u16(values)
    ensure(max_weight_limited(netuid, uid, uids, upscaled), Error.MaxWeightExceeded)
    Weights.insert(netuid_index, uid, list(zip(uids, upscaled, strict=True)))
    if not commit_reveal:
        set_last_update_for_uid(netuid_index, uid, block)
    pallet.deposit_event(Event.WeightsSet(netuid_index, uid))


def _batch_outcome(hotkey: bytes, netuids: list[int], results: list[DispatchError | None]) -> None:
    """A batch continues past failures: one `BatchCompletedWithErrors`, then one
    `BatchWeightItemFailed` per failure, and always `BatchWeightsCompleted`."""
    failed = [e for e in results if e is not None]
    if failed:
        pallet.deposit_event(Event.BatchCompletedWithErrors())
        for err in failed:
            pallet.deposit_event(Event.BatchWeightItemFailed(err.value))
    pallet.deposit_event(Event.BatchWeightsCompleted(netuids, hotkey))


def _attempt(fn, *args) -> DispatchError | None:
    try:
        fn(*args)
    except DispatchError as e:
        return e
    return None


def _set_weights_unless_commit_reveal(hotkey: bytes, netuid: int, uids: list[int], values: list[int],
                                      version_key: int) -> None:
    ensure(not CommitRevealWeightsEnabled.get(netuid), Error.CommitRevealEnabled)
    do_set_weights(hotkey, netuid, MAIN, uids, values, version_key)


def do_batch_set_weights(hotkey: bytes, netuids: list[int], weights: list[list[tuple[int, int]]],
                         version_keys: list[int]) -> None:
    ensure(len(netuids) == len(weights) == len(version_keys), Error.InputLengthsUnequal)
    results = [_attempt(_set_weights_unless_commit_reveal, hotkey, netuid, [u for u, _ in w], [v for _, v in w], key)
               for netuid, w, key in zip(netuids, weights, version_keys, strict=True)]
    _batch_outcome(hotkey, netuids, results)


# ---------------------------------------------------------------------------
# Hash commit-reveal


def do_commit_weights(who: bytes, netuid: int, mecid: int, commit_hash: bytes) -> None:
    ensure_mechanism_exists(netuid, mecid)
    netuid_index = get_mechanism_storage_index(netuid, mecid)
    ensure(CommitRevealWeightsEnabled.get(netuid), Error.CommitRevealDisabled)
    ensure(is_hotkey_registered_on_network(netuid, who), Error.HotKeyNotRegisteredInSubNet)
    block = current_block()
    uid = get_uid_for_net_and_hotkey(netuid, who)
    ensure(check_rate_limit(netuid_index, uid, block), Error.CommittingWeightsTooFast)
    commit_epoch = current_epoch_with_lookahead(netuid)
    commits = list(WeightCommits.get(netuid_index, who) or [])
    while commits and is_commit_expired(netuid, commits[0][1]):
        commits.pop(0)
    ensure(len(commits) < MAX_UNREVEALED_COMMITS, Error.TooManyUnrevealedCommits)
    commits.append((commit_hash, commit_epoch, block, 0))
    WeightCommits.insert(netuid_index, who, commits)
    pallet.deposit_event(Event.WeightsCommitted(who, netuid_index, commit_hash))
    set_last_update_for_uid(netuid_index, uid, block)


def do_batch_commit_weights(who: bytes, netuids: list[int], commit_hashes: list[bytes]) -> None:
    ensure(len(netuids) == len(commit_hashes), Error.InputLengthsUnequal)
    results = [_attempt(do_commit_weights, who, netuid, MAIN, h) for netuid, h in zip(netuids, commit_hashes, strict=True)]
    _batch_outcome(who, netuids, results)


def _drop_expired(netuid: int, commits: list) -> list[bytes]:
    expired = []
    while commits and is_commit_expired(netuid, commits[0][1]):
        expired.append(commits.pop(0)[0])
    return expired


def do_reveal_weights(who: bytes, netuid: int, mecid: int, uids: list[int], values: list[int], salt: list[int],
                      version_key: int) -> None:
    netuid_index = get_mechanism_storage_index(netuid, mecid)
    ensure(CommitRevealWeightsEnabled.get(netuid), Error.CommitRevealDisabled)
    stored = WeightCommits.get(netuid_index, who)
    ensure(stored is not None, Error.NoWeightsCommitFound)
    commits = list(stored)
    expired = _drop_expired(netuid, commits)
    provided = get_commit_hash(who, netuid_index, uids, values, salt, version_key)
    if not commits:
        raise (Error.ExpiredWeightCommit if provided in expired else Error.NoWeightsCommitFound)()
    position = next((i for i, c in enumerate(commits) if c[0] == provided), None)
    if position is None:
        raise (Error.ExpiredWeightCommit if provided in expired else Error.InvalidRevealCommitHashNotMatch)()
    ensure(is_reveal_block_range(netuid, commits[position][1]), Error.RevealTooEarly)
    del commits[:position + 1]
    do_set_weights(who, netuid, mecid, uids, values, version_key)
    WeightCommits.set(netuid_index, who, commits or None)  # the emptied queue is removed
    pallet.deposit_event(Event.WeightsRevealed(who, netuid_index, provided))


def do_batch_reveal_weights(who: bytes, netuid: int, uids_list: list[list[int]], values_list: list[list[int]],
                            salts_list: list[list[int]], version_keys: list[int]) -> None:
    netuid_index = get_mechanism_storage_index(netuid, MAIN)
    n = len(uids_list)
    ensure(n == len(values_list) == len(salts_list) == len(version_keys), Error.InputLengthsUnequal)
    ensure(CommitRevealWeightsEnabled.get(netuid), Error.CommitRevealDisabled)
    stored = WeightCommits.get(netuid_index, who)
    ensure(stored is not None, Error.NoWeightsCommitFound)
    commits = list(stored)
    expired = _drop_expired(netuid, commits)
    # Hashed with the NetUid (same SCALE bytes as the main mechanism's storage index).
    reveals = [(uids, values, key, get_commit_hash(who, netuid, uids, values, salt, key))
               for uids, values, salt, key in zip(uids_list, values_list, salts_list, version_keys, strict=True)]
    for _, _, _, provided in reveals:  # validate all before revealing any
        commit = next((c for c in commits if c[0] == provided), None)
        if commit is None:
            raise (Error.ExpiredWeightCommit if provided in expired else Error.InvalidRevealCommitHashNotMatch)()
        ensure(is_reveal_block_range(netuid, commit[1]), Error.RevealTooEarly)
    revealed = []
    for uids, values, key, provided in reveals:
        position = next((i for i, c in enumerate(commits) if c[0] == provided), None)
        if position is None:
            raise (Error.ExpiredWeightCommit if provided in expired else Error.InvalidRevealCommitHashNotMatch)()
        del commits[position]
        do_set_weights(who, netuid, MAIN, uids, values, key)
        revealed.append(provided)
    WeightCommits.set(netuid_index, who, commits or None)
    pallet.deposit_event(Event.WeightsBatchRevealed(who, netuid, revealed))


# ---------------------------------------------------------------------------
# Timelocked commits (stored for the drand reveal; nothing is decrypted here)


def do_commit_timelocked_weights(who: bytes, netuid: int, mecid: int, commit: bytes, reveal_round: int,
                                 commit_reveal_version: int) -> None:
    ensure_mechanism_exists(netuid, mecid)
    netuid_index = get_mechanism_storage_index(netuid, mecid)
    ensure(CommitRevealWeightsEnabled.get(netuid), Error.CommitRevealDisabled)
    ensure(commit_reveal_version == CommitRevealWeightsVersion.get(), Error.IncorrectCommitRevealVersion)
    ensure(is_hotkey_registered_on_network(netuid, who), Error.HotKeyNotRegisteredInSubNet)
    block = current_block()
    uid = get_uid_for_net_and_hotkey(netuid, who)
    ensure(check_rate_limit(netuid_index, uid, block), Error.CommittingWeightsTooFast)
    epoch = current_epoch_with_lookahead(netuid)
    commits = list(TimelockedWeightCommits.get(netuid_index, epoch))
    ensure(sum(1 for c in commits if c[0] == who) < MAX_UNREVEALED_COMMITS, Error.TooManyUnrevealedCommits)
    commits.append((who, block, commit, reveal_round))
    TimelockedWeightCommits.insert(netuid_index, epoch, commits)
    pallet.deposit_event(Event.TimelockedWeightsCommitted(who, netuid_index, blake2_256(commit), reveal_round))
    set_last_update_for_uid(netuid_index, uid, block)
