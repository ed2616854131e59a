"""The metadata order of SubtensorModule's storage items and constants: the real spec-381
metadata's. Importing this module declares them all (each concern's `storage` module and
`constants`)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor import constants  # noqa: F401  (declares the constants)
from pysubtensor.pallets.subtensor.coinbase import storage as coinbase_storage  # noqa: F401
from pysubtensor.pallets.subtensor.epoch import storage as epoch_storage  # noqa: F401
from pysubtensor.pallets.subtensor.hierarchy import storage as hierarchy_storage  # noqa: F401
from pysubtensor.pallets.subtensor.neurons import storage as neurons_storage  # noqa: F401
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.serving import storage as serving_storage  # noqa: F401
from pysubtensor.pallets.subtensor.staking import storage as staking_storage  # noqa: F401
from pysubtensor.pallets.subtensor.storage_beyond_381 import STORAGE_BEYOND_381
from pysubtensor.pallets.subtensor.subnets import storage as subnets_storage  # noqa: F401
from pysubtensor.pallets.subtensor.swap_keys import storage as swap_keys_storage  # noqa: F401
from pysubtensor.pallets.subtensor.utils import storage as utils_storage  # noqa: F401
from pysubtensor.pallets.subtensor.weights import storage as weights_storage  # noqa: F401

__all__ = ["CONSTANTS_ORDER", "STORAGE_ORDER"]

STORAGE_ORDER = (
    "MinActivityCutoff", "AdminFreezeWindow", "OwnerHyperparamRateLimit",
    "DissolveNetworkScheduleDuration", "LastHotkeySwapOnNetuid", "NextStakeJobId", "TaoWeight", "CKBurn",
    "MaxDelegateTake", "MinDelegateTake", "MaxChildkeyTake", "MinChildkeyTake", "Owner", "Delegates",
    "ChildkeyTake", "PendingChildKeys", "ChildKeys", "ParentKeys", "AlphaDividendsPerSubnet",
    "RootAlphaDividendsPerSubnet", "BlockEmission", "LastHotkeyEmissionOnNetuid", "SubnetLimit",
    "TotalIssuance", "TotalStake", "SubnetMovingAlpha", "SubnetMovingPrice", "RootProp", "SubnetVolume",
    "SubnetTAO", "SubnetTaoProvided", "SubnetAlphaInEmission", "SubnetAlphaOutEmission",
    "SubnetTaoInEmission", "SubnetAlphaIn", "SubnetAlphaInProvided", "SubnetAlphaOut", "StakingHotkeys",
    "OwnedHotkeys", "AutoStakeDestination", "AutoStakeDestinationColdkeys", "ColdkeySwapAnnouncementDelay",
    "ColdkeySwapReannouncementDelay", "ColdkeySwapAnnouncements", "ColdkeySwapDisputes",
    "TotalHotkeyAlpha", "TotalHotkeyAlphaLastEpoch", "TotalHotkeyShares", "Alpha", "AlphaMapLastKey",
    "TokenSymbol", "SubnetTaoFlow", "SubnetEmaTaoFlow", "TaoFlowCutoff", "FlowNormExponent",
    "FlowEmaSmoothingFactor", "UsedWork", "MaxRegistrationsPerBlock", "TotalNetworks",
    "NetworkImmunityPeriod", "StartCallDelay", "NetworkMinLockCost", "NetworkLastLockCost",
    "NetworkLockReductionInterval", "SubnetOwnerCut", "NetworkRateLimit", "NominatorMinRequiredStake",
    "WeightsVersionKeyRateLimit", "LastRateLimitedBlock", "TransferToggle", "SubnetLocked",
    "LargestLocked", "Tempo", "FirstEmissionBlockNumber", "SubnetMechanism", "SubnetworkN",
    "NetworksAdded", "IsNetworkMember", "NetworkRegistrationAllowed", "NetworkPowRegistrationAllowed",
    "NetworkRegisteredAt", "PendingServerEmission", "PendingValidatorEmission", "PendingRootAlphaDivs",
    "PendingOwnerCut", "BlocksSinceLastStep", "LastMechansimStepBlock", "SubnetOwner", "SubnetOwnerHotkey",
    "RecycleOrBurn", "ServingRateLimit", "Rho", "AlphaSigmoidSteepness", "Kappa",
    "RegistrationsThisInterval", "POWRegistrationsThisInterval", "BurnRegistrationsThisInterval",
    "MinAllowedUids", "MaxAllowedUids", "ImmunityPeriod", "ActivityCutoff", "MaxWeightsLimit",
    "WeightsVersionKey", "MinAllowedWeights", "MaxAllowedValidators", "AdjustmentInterval",
    "BondsMovingAverage", "BondsPenalty", "BondsResetOn", "WeightsSetRateLimit", "ValidatorPruneLen",
    "ScalingLawPower", "TargetRegistrationsPerInterval", "AdjustmentAlpha", "CommitRevealWeightsEnabled",
    "Burn", "Difficulty", "MinBurn", "MaxBurn", "MinDifficulty", "MaxDifficulty", "LastAdjustmentBlock",
    "RegistrationsThisBlock", "EMAPriceHalvingBlocks", "RAORecycledForRegistration", "TxRateLimit",
    "TxDelegateTakeRateLimit", "TxChildkeyTakeRateLimit", "LiquidAlphaOn", "Yuma3On", "AlphaValues",
    "SubtokenEnabled", "VotingPower", "VotingPowerTrackingEnabled", "VotingPowerDisableAtBlock",
    "VotingPowerEmaAlpha", "ImmuneOwnerUidsLimit", "StakeWeight", "Uids", "Keys", "LoadedEmission",
    "Active", "Rank", "Trust", "Consensus", "Incentive", "Dividends", "Emission", "LastUpdate",
    "ValidatorTrust", "PruningScores", "ValidatorPermit", "Weights", "Bonds", "BlockAtRegistration",
    "Axons", "NeuronCertificates", "Prometheus", "IdentitiesV2", "SubnetIdentitiesV3",
    "TransactionKeyLastBlock", "LastTxBlock", "LastTxBlockChildKeyTake", "LastTxBlockDelegateTake",
    "StakeThreshold", "WeightCommits", "TimelockedWeightCommits", "CRV3WeightCommits",
    "CRV3WeightCommitsV2", "RevealPeriodEpochs", "LastColdkeyHotkeyStakeBlock",
    "StakingOperationRateLimiter", "RootClaimableThreshold", "RootClaimable", "RootClaimed",
    "RootClaimType", "StakingColdkeysByIndex", "StakingColdkeys", "NumStakingColdkeys", "NumRootClaim",
    "AssociatedEvmAddress", "SubnetLeases", "SubnetLeaseShares", "SubnetUidToLeaseId", "NextSubnetLeaseId",
    "AccumulatedLeaseDividends", "CommitRevealWeightsVersion", "NetworkRegistrationStartBlock",
    "MinNonImmuneUids", "MaxMechanismCount", "MechanismCountCurrent", "MechanismEmissionSplit",
    "HasMigrationRun", "PendingChildKeyCooldown",
)
CONSTANTS_ORDER = (
    "InitialIssuance", "InitialMinAllowedWeights", "InitialEmissionValue", "InitialTempo",
    "InitialDifficulty", "InitialMaxDifficulty", "InitialMinDifficulty",
    "InitialRAORecycledForRegistration", "InitialBurn", "InitialMaxBurn", "InitialMinBurn",
    "MinBurnUpperBound", "MaxBurnLowerBound", "InitialAdjustmentInterval", "InitialBondsMovingAverage",
    "InitialBondsPenalty", "InitialBondsResetOn", "InitialTargetRegistrationsPerInterval", "InitialRho",
    "InitialAlphaSigmoidSteepness", "InitialKappa", "InitialMinAllowedUids", "InitialMaxAllowedUids",
    "InitialValidatorPruneLen", "InitialScalingLawPower", "InitialImmunityPeriod", "InitialActivityCutoff",
    "InitialMaxRegistrationsPerBlock", "InitialPruningScore", "InitialMaxAllowedValidators",
    "InitialDefaultDelegateTake", "InitialMinDelegateTake", "InitialDefaultChildKeyTake",
    "InitialMinChildKeyTake", "InitialMaxChildKeyTake", "InitialWeightsVersionKey",
    "InitialServingRateLimit", "InitialTxRateLimit", "InitialTxDelegateTakeRateLimit",
    "InitialTxChildKeyTakeRateLimit", "InitialAdjustmentAlpha", "InitialNetworkImmunityPeriod",
    "InitialNetworkMinLockCost", "InitialSubnetOwnerCut", "InitialNetworkLockReductionInterval",
    "InitialNetworkRateLimit", "KeySwapCost", "AlphaHigh", "AlphaLow", "LiquidAlphaOn", "Yuma3On",
    "InitialColdkeySwapAnnouncementDelay", "InitialColdkeySwapReannouncementDelay",
    "InitialDissolveNetworkScheduleDuration", "InitialTaoWeight", "InitialEmaPriceHalvingPeriod",
    "InitialStartCallDelay", "KeySwapOnSubnetCost", "HotkeySwapOnSubnetInterval",
    "LeaseDividendsDistributionInterval", "MaxImmuneUidsPercentage",
)

pallet.metadata_order(storage=STORAGE_ORDER + STORAGE_BEYOND_381, constants=CONSTANTS_ORDER)
