"""Epoch: Yuma consensus parameters (kappa, rho, bonds, liquid alpha, Yuma3), its per-neuron results,
bonds and voting power.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import ALPHA_BALANCE, NETUID, NETUID_STORAGE_INDEX
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import BOOL, I16, U16, U64, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "Active", "ActivityCutoff", "AlphaSigmoidSteepness", "AlphaValues", "Bonds", "BondsMovingAverage",
    "BondsPenalty", "BondsResetOn", "Consensus", "Dividends", "Emission", "Incentive", "Kappa",
    "LastUpdate", "LiquidAlphaOn", "MaxAllowedValidators", "MinActivityCutoff", "PruningScores", "Rank",
    "Rho", "ScalingLawPower", "StakeWeight", "Trust", "ValidatorPermit", "ValidatorPruneLen",
    "ValidatorTrust", "VotingPower", "VotingPowerDisableAtBlock", "VotingPowerEmaAlpha",
    "VotingPowerTrackingEnabled", "Yuma3On",
]

MinActivityCutoff = pallet.storage("MinActivityCutoff", StorageValue(U16, default=360))
Rho = pallet.storage("Rho", StorageMap(Identity, NETUID, U16, default=Constants.InitialRho),
    docs="--- MAP ( netuid ) --> Rho")
AlphaSigmoidSteepness = pallet.storage("AlphaSigmoidSteepness", StorageMap(Identity, NETUID, I16, default=Constants.InitialAlphaSigmoidSteepness),
    docs="--- MAP ( netuid ) --> AlphaSigmoidSteepness")
Kappa = pallet.storage("Kappa", StorageMap(Identity, NETUID, U16, default=Constants.InitialKappa),
    docs="--- MAP ( netuid ) --> Kappa")
ActivityCutoff = pallet.storage("ActivityCutoff", StorageMap(Identity, NETUID, U16, default=Constants.InitialActivityCutoff),
    docs="--- MAP ( netuid ) --> activity_cutoff")
MaxAllowedValidators = pallet.storage("MaxAllowedValidators", StorageMap(Identity, NETUID, U16, default=Constants.InitialMaxAllowedValidators),
    docs="--- MAP ( netuid ) --> max_allowed_validators")
BondsMovingAverage = pallet.storage("BondsMovingAverage", StorageMap(Identity, NETUID, U64, default=Constants.InitialBondsMovingAverage),
    docs="--- MAP ( netuid ) --> bonds_moving_average")
BondsPenalty = pallet.storage("BondsPenalty", StorageMap(Identity, NETUID, U16, default=Constants.InitialBondsPenalty),
    docs="--- MAP ( netuid ) --> bonds_penalty")
BondsResetOn = pallet.storage("BondsResetOn", StorageMap(Identity, NETUID, BOOL, default=Constants.InitialBondsResetOn),
    docs="--- MAP ( netuid ) --> bonds_reset")
ValidatorPruneLen = pallet.storage("ValidatorPruneLen", StorageMap(Identity, NETUID, U64, default=Constants.InitialValidatorPruneLen),
    docs="--- MAP ( netuid ) --> validator_prune_len")
ScalingLawPower = pallet.storage("ScalingLawPower", StorageMap(Identity, NETUID, U16, default=Constants.InitialScalingLawPower),
    docs="--- MAP ( netuid ) --> scaling_law_power")
LiquidAlphaOn = pallet.storage("LiquidAlphaOn", StorageMap(Blake2_128Concat, NETUID, BOOL, default=False),
    docs="--- MAP ( netuid ) --> Whether or not Liquid Alpha is enabled")
Yuma3On = pallet.storage("Yuma3On", StorageMap(Blake2_128Concat, NETUID, BOOL, default=False),
    docs="--- MAP ( netuid ) --> Whether or not Yuma3 is enabled")
# Docs given as lines: the Rust doc comment has spaces a docstring would lose.
AlphaValues = pallet.storage("AlphaValues", StorageMap(Identity, NETUID, Tuple(U16, U16), default=(45875, 58982), docs=('  MAP ( netuid ) --> (alpha_low, alpha_high)',)))
VotingPower = pallet.storage("VotingPower", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, U64, default=0), docs="""
    --- DMAP ( netuid, hotkey ) --> voting_power | EMA of stake for voting
    This tracks stake EMA updated every epoch when VotingPowerTrackingEnabled is true.
    Used by smart contracts to determine validator voting power for subnet governance.
""")
VotingPowerTrackingEnabled = pallet.storage("VotingPowerTrackingEnabled", StorageMap(Identity, NETUID, BOOL, default=False), docs="""
    --- MAP ( netuid ) --> bool | Whether voting power tracking is enabled for this subnet.
    When enabled, VotingPower EMA is updated every epoch. Default is false.
    When disabled with disable_at_block set, tracking continues until that block.
""")
VotingPowerDisableAtBlock = pallet.storage("VotingPowerDisableAtBlock", StorageMap(Identity, NETUID, U64, default=0), docs="""
    --- MAP ( netuid ) --> block_number | Block at which voting power tracking will be disabled.
    When set (non-zero), tracking continues until this block, then automatically disables
    and clears VotingPower entries for the subnet. Provides a 14-day grace period.
""")
VotingPowerEmaAlpha = pallet.storage("VotingPowerEmaAlpha", StorageMap(Identity, NETUID, U64, default=3_570_000_000_000_000), docs="""
    --- MAP ( netuid ) --> u64 | EMA alpha value for voting power calculation.
    Higher alpha = faster response to stake changes.
    Stored as u64 with 18 decimal precision (1.0 = 10^18).
    Only settable by sudo/root.
""")
StakeWeight = pallet.storage("StakeWeight", StorageMap(Identity, NETUID, Vec(U16), default=[]), docs="""
    =======================================
    ==== Subnetwork Consensus Storage  ====
    =======================================
    --- DMAP ( netuid ) --> stake_weight | weight for stake used in YC.
""")
Active = pallet.storage("Active", StorageMap(Identity, NETUID, Vec(BOOL), default=[]),
    docs="--- MAP ( netuid ) --> active")
Rank = pallet.storage("Rank", StorageMap(Identity, NETUID, Vec(U16), default=[]),
    docs="--- MAP ( netuid ) --> rank")
Trust = pallet.storage("Trust", StorageMap(Identity, NETUID, Vec(U16), default=[]),
    docs="--- MAP ( netuid ) --> trust")
Consensus = pallet.storage("Consensus", StorageMap(Identity, NETUID, Vec(U16), default=[]),
    docs="--- MAP ( netuid ) --> consensus")
Incentive = pallet.storage("Incentive", StorageMap(Identity, NETUID_STORAGE_INDEX, Vec(U16), default=[]),
    docs="--- MAP ( netuid ) --> incentive")
Dividends = pallet.storage("Dividends", StorageMap(Identity, NETUID, Vec(U16), default=[]),
    docs="--- MAP ( netuid ) --> dividends")
Emission = pallet.storage("Emission", StorageMap(Identity, NETUID, Vec(ALPHA_BALANCE), default=[]),
    docs="--- MAP ( netuid ) --> emission")
LastUpdate = pallet.storage("LastUpdate", StorageMap(Identity, NETUID_STORAGE_INDEX, Vec(U64), default=[]),
    docs="--- MAP ( netuid ) --> last_update")
ValidatorTrust = pallet.storage("ValidatorTrust", StorageMap(Identity, NETUID, Vec(U16), default=[]),
    docs="--- MAP ( netuid ) --> validator_trust")
PruningScores = pallet.storage("PruningScores", StorageMap(Identity, NETUID, Vec(U16), default=[]),
    docs="--- MAP ( netuid ) --> pruning_scores")
ValidatorPermit = pallet.storage("ValidatorPermit", StorageMap(Identity, NETUID, Vec(BOOL), default=[]),
    docs="--- MAP ( netuid ) --> validator_permit")
Bonds = pallet.storage("Bonds", StorageDoubleMap(Identity, NETUID_STORAGE_INDEX, Identity, U16, Vec(Tuple(U16, U16)), default=[]),
    docs="--- DMAP ( netuid, uid ) --> bonds")
