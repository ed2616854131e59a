"""Weights: set weights, their limits and rate limits, and commit-reveal commits.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import NETUID, NETUID_STORAGE_INDEX
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.pallets.support.types import bounded_vec
from pysubtensor.primitives.hashing import Identity, Twox64Concat
from pysubtensor.primitives.scale import BOOL, H256, U8, U16, U64, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "CRV3WeightCommits", "CRV3WeightCommitsV2", "CommitRevealWeightsEnabled", "CommitRevealWeightsVersion",
    "MaxWeightsLimit", "MinAllowedWeights", "RevealPeriodEpochs", "StakeThreshold",
    "TimelockedWeightCommits", "WeightCommits", "Weights", "WeightsSetRateLimit", "WeightsVersionKey",
    "WeightsVersionKeyRateLimit",
]

WeightsVersionKeyRateLimit = pallet.storage("WeightsVersionKeyRateLimit", StorageValue(U64, default=5),
    docs="ITEM( weights_version_key_rate_limit ) --- Rate limit in tempos.")
MaxWeightsLimit = pallet.storage("MaxWeightsLimit", StorageMap(Identity, NETUID, U16, default=65535),
    docs="--- MAP ( netuid ) --> max_weight_limit")
WeightsVersionKey = pallet.storage("WeightsVersionKey", StorageMap(Identity, NETUID, U64, default=Constants.InitialWeightsVersionKey),
    docs="--- MAP ( netuid ) --> weights_version_key")
MinAllowedWeights = pallet.storage("MinAllowedWeights", StorageMap(Identity, NETUID, U16, default=Constants.InitialMinAllowedWeights),
    docs="--- MAP ( netuid ) --> min_allowed_weights")
WeightsSetRateLimit = pallet.storage("WeightsSetRateLimit", StorageMap(Identity, NETUID, U64, default=100),
    docs="--- MAP ( netuid ) --> weights_set_rate_limit")
CommitRevealWeightsEnabled = pallet.storage("CommitRevealWeightsEnabled", StorageMap(Identity, NETUID, BOOL, default=True),
    docs="--- MAP ( netuid ) --> commit reveal v2 weights are enabled")
Weights = pallet.storage("Weights", StorageDoubleMap(Identity, NETUID_STORAGE_INDEX, Identity, U16, Vec(Tuple(U16, U16)), default=[]),
    docs="--- DMAP ( netuid, uid ) --> weights")
StakeThreshold = pallet.storage("StakeThreshold", StorageValue(U64, default=0),
    docs="ITEM( weights_min_stake )")
WeightCommits = pallet.storage("WeightCommits", StorageDoubleMap(Twox64Concat, NETUID_STORAGE_INDEX, Twox64Concat, ACCOUNT_ID, Vec(Tuple(H256, U64, U64, U64)), optional=True),
    docs="--- MAP (netuid, who) --> VecDeque<(hash, commit_block, first_reveal_block, last_reveal_block)> | Stores a queue of commits for an account on a given netuid.")
TimelockedWeightCommits = pallet.storage("TimelockedWeightCommits", StorageDoubleMap(Twox64Concat, NETUID_STORAGE_INDEX, Twox64Concat, U64, Vec(Tuple(ACCOUNT_ID, U64, bounded_vec(U8), U64)), default=[]), docs="""
    MAP (netuid, epoch) → VecDeque<(who, commit_block, ciphertext, reveal_round)>
    Stores a queue of weight commits for an account on a given subnet.
""")
CRV3WeightCommits = pallet.storage("CRV3WeightCommits", StorageDoubleMap(Twox64Concat, NETUID_STORAGE_INDEX, Twox64Concat, U64, Vec(Tuple(ACCOUNT_ID, bounded_vec(U8), U64)), default=[]), docs="""
    MAP (netuid, epoch) → VecDeque<(who, ciphertext, reveal_round)>
    DEPRECATED for CRV3WeightCommitsV2
""")
CRV3WeightCommitsV2 = pallet.storage("CRV3WeightCommitsV2", StorageDoubleMap(Twox64Concat, NETUID_STORAGE_INDEX, Twox64Concat, U64, Vec(Tuple(ACCOUNT_ID, U64, bounded_vec(U8), U64)), default=[]), docs="""
    MAP (netuid, epoch) → VecDeque<(who, commit_block, ciphertext, reveal_round)>
    DEPRECATED for TimelockedWeightCommits
""")
RevealPeriodEpochs = pallet.storage("RevealPeriodEpochs", StorageMap(Twox64Concat, NETUID, U64, default=1),
    docs="--- Map (netuid) --> Number of epochs allowed for commit reveal periods")
CommitRevealWeightsVersion = pallet.storage("CommitRevealWeightsVersion", StorageValue(U16, default=4),
    docs="--- ITEM ( CommitRevealWeightsVersion )")
