"""The metadata order of SubtensorModule's events and errors: the real spec-381 order, which
is their index order (a Rust enum's index is its position). `pallet.check()` refuses an event
or error declared but missing here, listed here but never declared, or out of index order.
Importing this module declares them all (events.py, errors.py).
"""

from __future__ import annotations

from . import errors, events  # noqa: F401  (declare the items ordered below)
from .pallet import pallet

__all__: list[str] = []

pallet.metadata_order(
    events=[
        "NetworkAdded", "NetworkRemoved", "StakeAdded", "StakeRemoved", "StakeMoved", "WeightsSet",
        "NeuronRegistered", "BulkNeuronsRegistered", "BulkBalancesSet", "MaxAllowedUidsSet",
        "MaxWeightLimitSet", "DifficultySet", "AdjustmentIntervalSet", "RegistrationPerIntervalSet",
        "MaxRegistrationsPerBlockSet", "ActivityCutoffSet", "RhoSet", "AlphaSigmoidSteepnessSet", "KappaSet",
        "MinAllowedWeightSet", "ValidatorPruneLenSet", "ScalingLawPowerSet", "WeightsSetRateLimitSet",
        "ImmunityPeriodSet", "BondsMovingAverageSet", "BondsPenaltySet", "BondsResetOnSet",
        "MaxAllowedValidatorsSet", "AxonServed", "PrometheusServed", "DelegateAdded", "DefaultTakeSet",
        "WeightsVersionKeySet", "MinDifficultySet", "MaxDifficultySet", "ServingRateLimitSet", "BurnSet",
        "MaxBurnSet", "MinBurnSet", "TxRateLimitSet", "TxDelegateTakeRateLimitSet",
        "TxChildKeyTakeRateLimitSet", "AdminFreezeWindowSet", "OwnerHyperparamRateLimitSet",
        "MinChildKeyTakeSet", "MaxChildKeyTakeSet", "ChildKeyTakeSet", "Sudid", "RegistrationAllowed",
        "PowRegistrationAllowed", "TempoSet", "RAORecycledForRegistrationSet", "StakeThresholdSet",
        "AdjustmentAlphaSet", "Faucet", "SubnetOwnerCutSet", "NetworkRateLimitSet",
        "NetworkImmunityPeriodSet", "StartCallDelaySet", "NetworkMinLockCostSet", "SubnetLimitSet",
        "NetworkLockCostReductionIntervalSet", "TakeDecreased", "TakeIncreased", "HotkeySwapped",
        "MaxDelegateTakeSet", "MinDelegateTakeSet", "ColdkeySwapAnnounced", "ColdkeySwapReset",
        "ColdkeySwapped", "ColdkeySwapDisputed", "AllBalanceUnstakedAndTransferredToNewColdkey",
        "ArbitrationPeriodExtended", "SetChildrenScheduled", "SetChildren", "ChainIdentitySet",
        "SubnetIdentitySet", "SubnetIdentityRemoved", "DissolveNetworkScheduled",
        "ColdkeySwapAnnouncementDelaySet", "ColdkeySwapReannouncementDelaySet",
        "DissolveNetworkScheduleDurationSet", "CRV3WeightsCommitted", "WeightsCommitted", "WeightsRevealed",
        "WeightsBatchRevealed", "BatchWeightsCompleted", "BatchCompletedWithErrors", "BatchWeightItemFailed",
        "StakeTransferred", "StakeSwapped", "TransferToggle", "SubnetOwnerHotkeySet",
        "FirstEmissionBlockNumberSet", "AlphaRecycled", "AlphaBurned", "EvmKeyAssociated",
        "CRV3WeightsRevealed", "CommitRevealPeriodsSet", "CommitRevealEnabled", "HotkeySwappedOnSubnet",
        "SubnetLeaseCreated", "SubnetLeaseTerminated", "SymbolUpdated", "CommitRevealVersionSet",
        "TimelockedWeightsCommitted", "TimelockedWeightsRevealed", "AutoStakeAdded",
        "IncentiveAlphaEmittedToMiners", "MinAllowedUidsSet", "AutoStakeDestinationSet",
        "MinNonImmuneUidsSet", "RootClaimed", "RootClaimTypeSet", "VotingPowerTrackingEnabled",
        "VotingPowerTrackingDisableScheduled", "VotingPowerTrackingDisabled", "VotingPowerEmaAlphaSet",
        "SubnetLeaseDividendsDistributed", "AddStakeBurn",
        # newer than 381: main's stake-lock events (tests/support/metadata.py ITEMS_BEYOND_381)
        "StakeLocked", "LockMoved", "PerpetualLockUpdated", "RejectLockedAlphaUpdated",
        # newer than 381: main's stateful epoch schedule
        "MaxEpochsPerBlockSet", "EpochTriggered", "EpochDeferred", "EpochSkipped",
    ],
    errors=[
        "RootNetworkDoesNotExist", "InvalidIpType", "InvalidIpAddress", "InvalidPort",
        "HotKeyNotRegisteredInSubNet", "HotKeyAccountNotExists", "HotKeyNotRegisteredInNetwork",
        "NonAssociatedColdKey", "NotEnoughStake", "NotEnoughStakeToWithdraw", "NotEnoughStakeToSetWeights",
        "NotEnoughStakeToSetChildkeys", "NotEnoughBalanceToStake", "BalanceWithdrawalError",
        "ZeroBalanceAfterWithdrawn", "NeuronNoValidatorPermit", "WeightVecNotEqualSize", "DuplicateUids",
        "UidVecContainInvalidOne", "WeightVecLengthIsLow", "TooManyRegistrationsThisBlock",
        "HotKeyAlreadyRegisteredInSubNet", "NewHotKeyIsSameWithOld", "InvalidWorkBlock", "InvalidDifficulty",
        "InvalidSeal", "MaxWeightExceeded", "HotKeyAlreadyDelegate", "SettingWeightsTooFast",
        "IncorrectWeightVersionKey", "ServingRateLimitExceeded", "UidsLengthExceedUidsInSubNet",
        "NetworkTxRateLimitExceeded", "DelegateTxRateLimitExceeded", "HotKeySetTxRateLimitExceeded",
        "StakingRateLimitExceeded", "SubNetRegistrationDisabled", "TooManyRegistrationsThisInterval",
        "TransactorAccountShouldBeHotKey", "FaucetDisabled", "NotSubnetOwner",
        "RegistrationNotPermittedOnRootSubnet", "StakeTooLowForRoot", "AllNetworksInImmunity",
        "NotEnoughBalanceToPaySwapHotKey", "NotRootSubnet", "CanNotSetRootNetworkWeights",
        "NoNeuronIdAvailable", "DelegateTakeTooLow", "DelegateTakeTooHigh", "NoWeightsCommitFound",
        "InvalidRevealCommitHashNotMatch", "CommitRevealEnabled", "CommitRevealDisabled",
        "LiquidAlphaDisabled", "AlphaHighTooLow", "AlphaLowOutOfRange", "ColdKeyAlreadyAssociated",
        "NotEnoughBalanceToPaySwapColdKey", "InvalidChild", "DuplicateChild", "ProportionOverflow",
        "TooManyChildren", "TxRateLimitExceeded", "ColdkeySwapAnnouncementNotFound", "ColdkeySwapTooEarly",
        "ColdkeySwapReannouncedTooEarly", "AnnouncedColdkeyHashDoesNotMatch", "ColdkeySwapAlreadyDisputed",
        "NewColdKeyIsHotkey", "InvalidChildkeyTake", "TxChildkeyTakeRateLimitExceeded", "InvalidIdentity",
        "MechanismDoesNotExist", "CannotUnstakeLock", "SubnetNotExists", "TooManyUnrevealedCommits",
        "ExpiredWeightCommit", "RevealTooEarly", "InputLengthsUnequal", "CommittingWeightsTooFast",
        "AmountTooLow", "InsufficientLiquidity", "SlippageTooHigh", "TransferDisallowed",
        "ActivityCutoffTooLow", "CallDisabled", "FirstEmissionBlockNumberAlreadySet",
        "NeedWaitingMoreBlocksToStarCall", "NotEnoughAlphaOutToRecycle", "CannotBurnOrRecycleOnRootSubnet",
        "UnableToRecoverPublicKey", "InvalidRecoveredPublicKey", "SubtokenDisabled",
        "HotKeySwapOnSubnetIntervalNotPassed", "ZeroMaxStakeAmount", "SameNetuid", "InsufficientBalance",
        "StakingOperationRateLimitExceeded", "InvalidLeaseBeneficiary", "LeaseCannotEndInThePast",
        "LeaseNetuidNotFound", "LeaseDoesNotExist", "LeaseHasNoEndBlock", "LeaseHasNotEnded", "Overflow",
        "BeneficiaryDoesNotOwnHotkey", "ExpectedBeneficiaryOrigin",
        "AdminActionProhibitedDuringWeightsWindow", "SymbolDoesNotExist", "SymbolAlreadyInUse",
        "IncorrectCommitRevealVersion", "RevealPeriodTooLarge", "RevealPeriodTooSmall", "InvalidValue",
        "SubnetLimitReached", "CannotAffordLockCost", "EvmKeyAssociateRateLimitExceeded",
        "SameAutoStakeHotkeyAlreadySet", "UidMapCouldNotBeCleared", "TrimmingWouldExceedMaxImmunePercentage",
        "ChildParentInconsistency", "InvalidNumRootClaim", "InvalidRootClaimThreshold",
        "InvalidSubnetNumber", "TooManyUIDsPerMechanism", "VotingPowerTrackingNotEnabled",
        "InvalidVotingPowerEmaAlpha", "PrecisionLoss", "Deprecated", "AddStakeBurnRateLimitExceeded",
        "RegistrationPriceLimitExceeded",  # newer than 381 (tests/support/metadata.py ITEMS_BEYOND_381)
        "LockHotkeyMismatch", "InsufficientStakeForLock", "NoExistingLock", "AccountRejectsLockedAlpha",  # main's locks
        "ActiveLockExists",
        "TempoOutOfBounds", "EpochTriggerAlreadyPending", "AutoEpochAlreadyImminent",  # main's epoch schedule
        "DynamicTempoBlockedByCommitReveal",
    ],
)
