"""SubtensorModule's `Error` enum as spec 381 has it: every variant's index, name and Rust
docs. A dispatch fails with `Module { index: 7, error: [index, 0, 0, 0] }`. Declared in index
order, the metadata order; compared with the real enum by
tests/conformance/test_subtensor_events_errors.py.
"""

from __future__ import annotations

from pysubtensor.pallets.support.pallet import error

from .pallet import pallet

__all__ = ["Error"]


@pallet.errors
class Error:
    RootNetworkDoesNotExist = error(0, "The root network does not exist.")
    InvalidIpType = error(1, "The user is trying to serve an axon which is not of type 4 (IPv4) or 6 (IPv6).")
    InvalidIpAddress = error(2, "An invalid IP address is passed to the serve function.")
    InvalidPort = error(3, "An invalid port is passed to the serve function.")
    HotKeyNotRegisteredInSubNet = error(4, "The hotkey is not registered in subnet")
    HotKeyAccountNotExists = error(5, "The hotkey does not exists")
    HotKeyNotRegisteredInNetwork = error(6, "The hotkey is not registered in any subnet.")
    NonAssociatedColdKey = error(7, """
        Request to stake, unstake or subscribe is made by a coldkey that is not associated with
        the hotkey account.
    """)
    NotEnoughStake = error(8, """
        DEPRECATED: Stake amount to withdraw is zero.
        The caller does not have enought stake to perform this action.
    """)
    NotEnoughStakeToWithdraw = error(9, """
        The caller is requesting removing more stake than there exists in the staking account.
        See: "[remove_stake()]".
    """)
    NotEnoughStakeToSetWeights = error(10, """
        The caller is requesting to set weights but the caller has less than minimum stake
        required to set weights (less than WeightsMinStake).
    """)
    NotEnoughStakeToSetChildkeys = error(11, "The parent hotkey doesn't have enough own stake to set childkeys.")
    NotEnoughBalanceToStake = error(12, """
        The caller is requesting adding more stake than there exists in the coldkey account.
        See: "[add_stake()]"
    """)
    BalanceWithdrawalError = error(13, """
        The caller is trying to add stake, but for some reason the requested amount could not be
        withdrawn from the coldkey account.
    """)
    ZeroBalanceAfterWithdrawn = error(14, """
        Unsuccessfully withdraw, balance could be zero (can not make account exist) after
        withdrawal.
    """)
    NeuronNoValidatorPermit = error(15, "The caller is attempting to set non-self weights without being a permitted validator.")
    WeightVecNotEqualSize = error(16, """
        The caller is attempting to set the weight keys and values but these vectors have
        different size.
    """)
    DuplicateUids = error(17, "The caller is attempting to set weights with duplicate UIDs in the weight matrix.")
    UidVecContainInvalidOne = error(18, """
        The caller is attempting to set weight to at least one UID that does not exist in the
        metagraph.
    """)
    WeightVecLengthIsLow = error(19, "The dispatch is attempting to set weights on chain with fewer elements than are allowed.")
    TooManyRegistrationsThisBlock = error(20, """
        Number of registrations in this block exceeds the allowed number (i.e., exceeds the
        subnet hyperparameter "max_regs_per_block").
    """)
    HotKeyAlreadyRegisteredInSubNet = error(21, "The caller is requesting registering a neuron which already exists in the active set.")
    NewHotKeyIsSameWithOld = error(22, "The new hotkey is the same as old one")
    InvalidWorkBlock = error(23, "The supplied PoW hash block is in the future or negative.")
    InvalidDifficulty = error(24, "The supplied PoW hash block does not meet the network difficulty.")
    InvalidSeal = error(25, "The supplied PoW hash seal does not match the supplied work.")
    MaxWeightExceeded = error(26, """
        The dispatch is attempting to set weights on chain with weight value exceeding the
        configured max weight limit (currently `u16::MAX`).
    """)
    HotKeyAlreadyDelegate = error(27, "The hotkey is attempting to become a delegate when the hotkey is already a delegate.")
    SettingWeightsTooFast = error(28, "A transactor exceeded the rate limit for setting weights.")
    IncorrectWeightVersionKey = error(29, "A validator is attempting to set weights from a validator with incorrect weight version.")
    ServingRateLimitExceeded = error(30, "An axon or prometheus serving exceeded the rate limit for a registered neuron.")
    UidsLengthExceedUidsInSubNet = error(31, "The caller is attempting to set weights with more UIDs than allowed.")
    NetworkTxRateLimitExceeded = error(32, "A transactor exceeded the rate limit for add network transaction.")
    DelegateTxRateLimitExceeded = error(33, "A transactor exceeded the rate limit for delegate transaction.")
    HotKeySetTxRateLimitExceeded = error(34, "A transactor exceeded the rate limit for setting or swapping hotkey.")
    StakingRateLimitExceeded = error(35, "A transactor exceeded the rate limit for staking.")
    SubNetRegistrationDisabled = error(36, "Registration is disabled.")
    TooManyRegistrationsThisInterval = error(37, "The number of registration attempts exceeded the allowed number in the interval.")
    TransactorAccountShouldBeHotKey = error(38, "The hotkey is required to be the origin.")
    FaucetDisabled = error(39, "Faucet is disabled.")
    NotSubnetOwner = error(40, "Not a subnet owner.")
    RegistrationNotPermittedOnRootSubnet = error(41, "Operation is not permitted on the root subnet.")
    StakeTooLowForRoot = error(42, "A hotkey with too little stake is attempting to join the root subnet.")
    AllNetworksInImmunity = error(43, "All subnets are in the immunity period.")
    NotEnoughBalanceToPaySwapHotKey = error(44, "Not enough balance to pay swapping hotkey.")
    NotRootSubnet = error(45, "Netuid does not match for setting root network weights.")
    CanNotSetRootNetworkWeights = error(46, "Can not set weights for the root network.")
    NoNeuronIdAvailable = error(47, "No neuron ID is available.")
    DelegateTakeTooLow = error(48, "Delegate take is too low.")
    DelegateTakeTooHigh = error(49, "Delegate take is too high.")
    NoWeightsCommitFound = error(50, """
        No commit found for the provided hotkey+netuid combination when attempting to reveal the
        weights.
    """)
    InvalidRevealCommitHashNotMatch = error(51, "Committed hash does not equal the hashed reveal data.")
    CommitRevealEnabled = error(52, "Attempting to call set_weights when commit/reveal is enabled")
    CommitRevealDisabled = error(53, "Attemtping to commit/reveal weights when disabled.")
    LiquidAlphaDisabled = error(54, "Attempting to set alpha high/low while disabled")
    AlphaHighTooLow = error(55, "Alpha high is too low: alpha_high > 0.8")
    AlphaLowOutOfRange = error(56, "Alpha low is out of range: alpha_low > 0 && alpha_low < 0.8")
    ColdKeyAlreadyAssociated = error(57, "The coldkey has already been swapped")
    NotEnoughBalanceToPaySwapColdKey = error(58, "The coldkey balance is not enough to pay for the swap")
    InvalidChild = error(59, "Attempting to set an invalid child for a hotkey on a network.")
    DuplicateChild = error(60, "Duplicate child when setting children.")
    ProportionOverflow = error(61, "Proportion overflow when setting children.")
    TooManyChildren = error(62, "Too many children MAX 5.")
    TxRateLimitExceeded = error(63, "Default transaction rate limit exceeded.")
    ColdkeySwapAnnouncementNotFound = error(64, "Coldkey swap announcement not found")
    ColdkeySwapTooEarly = error(65, "Coldkey swap too early.")
    ColdkeySwapReannouncedTooEarly = error(66, "Coldkey swap reannounced too early.")
    AnnouncedColdkeyHashDoesNotMatch = error(67, "The announced coldkey hash does not match the new coldkey hash.")
    ColdkeySwapAlreadyDisputed = error(68, "Coldkey swap already disputed")
    NewColdKeyIsHotkey = error(69, "New coldkey is hotkey")
    InvalidChildkeyTake = error(70, "Childkey take is invalid.")
    TxChildkeyTakeRateLimitExceeded = error(71, "Childkey take rate limit exceeded.")
    InvalidIdentity = error(72, "Invalid identity.")
    MechanismDoesNotExist = error(73, "Subnet mechanism does not exist.")
    CannotUnstakeLock = error(74, "Trying to unstake your lock amount.")
    SubnetNotExists = error(75, "Trying to perform action on non-existent subnet.")
    TooManyUnrevealedCommits = error(76, "Maximum commit limit reached")
    ExpiredWeightCommit = error(77, "Attempted to reveal weights that are expired.")
    RevealTooEarly = error(78, "Attempted to reveal weights too early.")
    InputLengthsUnequal = error(79, "Attempted to batch reveal weights with mismatched vector input lenghts.")
    CommittingWeightsTooFast = error(80, "A transactor exceeded the rate limit for setting weights.")
    AmountTooLow = error(81, "Stake amount is too low.")
    InsufficientLiquidity = error(82, "Not enough liquidity.")
    SlippageTooHigh = error(83, "Slippage is too high for the transaction.")
    TransferDisallowed = error(84, "Subnet disallows transfer.")
    ActivityCutoffTooLow = error(85, "Activity cutoff is being set too low.")
    CallDisabled = error(86, "Call is disabled")
    FirstEmissionBlockNumberAlreadySet = error(87, "FirstEmissionBlockNumber is already set.")
    NeedWaitingMoreBlocksToStarCall = error(88, "need wait for more blocks to accept the start call extrinsic.")
    NotEnoughAlphaOutToRecycle = error(89, "Not enough AlphaOut on the subnet to recycle")
    CannotBurnOrRecycleOnRootSubnet = error(90, "Cannot burn or recycle TAO from root subnet")
    UnableToRecoverPublicKey = error(91, "Public key cannot be recovered.")
    InvalidRecoveredPublicKey = error(92, "Recovered public key is invalid.")
    SubtokenDisabled = error(93, "SubToken disabled now")
    HotKeySwapOnSubnetIntervalNotPassed = error(94, "Too frequent hotkey swap on subnet")
    ZeroMaxStakeAmount = error(95, "Zero max stake amount")
    SameNetuid = error(96, "Invalid netuid duplication")
    InsufficientBalance = error(97, "The caller does not have enough balance for the operation.")
    StakingOperationRateLimitExceeded = error(98, "Too frequent staking operations")
    InvalidLeaseBeneficiary = error(99, "Invalid lease beneficiary to register the leased network.")
    LeaseCannotEndInThePast = error(100, "Lease cannot end in the past.")
    LeaseNetuidNotFound = error(101, "Couldn't find the lease netuid.")
    LeaseDoesNotExist = error(102, "Lease does not exist.")
    LeaseHasNoEndBlock = error(103, "Lease has no end block.")
    LeaseHasNotEnded = error(104, "Lease has not ended.")
    Overflow = error(105, "An overflow occurred.")
    BeneficiaryDoesNotOwnHotkey = error(106, "Beneficiary does not own hotkey.")
    ExpectedBeneficiaryOrigin = error(107, "Expected beneficiary origin.")
    AdminActionProhibitedDuringWeightsWindow = error(108, "Admin operation is prohibited during the protected weights window")
    SymbolDoesNotExist = error(109, "Symbol does not exist.")
    SymbolAlreadyInUse = error(110, "Symbol already in use.")
    IncorrectCommitRevealVersion = error(111, "Incorrect commit-reveal version.")
    RevealPeriodTooLarge = error(112, "Reveal period is too large.")
    RevealPeriodTooSmall = error(113, "Reveal period is too small.")
    InvalidValue = error(114, "Generic error for out-of-range parameter value")
    SubnetLimitReached = error(115, "Subnet limit reached & there is no eligible subnet to prune")
    CannotAffordLockCost = error(116, "Insufficient funds to meet the subnet lock cost")
    EvmKeyAssociateRateLimitExceeded = error(117, "exceeded the rate limit for associating an EVM key.")
    SameAutoStakeHotkeyAlreadySet = error(118, "Same auto stake hotkey already set")
    UidMapCouldNotBeCleared = error(119, "The UID map for the subnet could not be cleared")
    TrimmingWouldExceedMaxImmunePercentage = error(120, "Trimming would exceed the max immune neurons percentage")
    ChildParentInconsistency = error(121, "Violating the rules of Childkey-Parentkey consistency")
    InvalidNumRootClaim = error(122, "Invalid number of root claims")
    InvalidRootClaimThreshold = error(123, "Invalid value of root claim threshold")
    InvalidSubnetNumber = error(124, "Exceeded subnet limit number or zero.")
    TooManyUIDsPerMechanism = error(125, "The maximum allowed UIDs times mechanism count should not exceed 256.")
    VotingPowerTrackingNotEnabled = error(126, "Voting power tracking is not enabled for this subnet.")
    InvalidVotingPowerEmaAlpha = error(127, "Invalid voting power EMA alpha value (must be <= 10^18).")
    PrecisionLoss = error(128, "Unintended precision loss when unstaking alpha")
    Deprecated = error(129, "Deprecated call.")
    AddStakeBurnRateLimitExceeded = error(130, '"Add stake and burn" exceeded the operation rate limit')
    # Newer than spec 381 (main's errors.rs; after 381's here, so its index is 131, not main's 136).
    RegistrationPriceLimitExceeded = error(131, "Registration Price Limit Exceeded")
    # main's stake-lock errors (errors.rs at 14bc6f9; main's 137, 138, 139, 149). The lock checks fail with
    # 381's `CannotUnstakeLock` (74 here), the variant main renamed `StakeUnavailable` (75 there).
    LockHotkeyMismatch = error(132, "Lock hotkey mismatch: existing lock is for a different hotkey.")
    InsufficientStakeForLock = error(133, "Insufficient stake on subnet to cover the lock amount.")
    NoExistingLock = error(134, "No existing lock found for the given coldkey and subnet.")
    AccountRejectsLockedAlpha = error(135, "The destination coldkey rejects incoming locked alpha.")
    # main's 140 (a coldkey swap's destination may hold no active lock); after the lock errors above.
    ActiveLockExists = error(136, "There is already an active lock for the given coldkey.")
    # main's stateful epoch schedule (coinbase/tempo_control.py), after 381's likewise.
    TempoOutOfBounds = error(137, "The supplied tempo is outside the allowed range.")
    EpochTriggerAlreadyPending = error(138, "An epoch trigger is already pending for this subnet; wait for it to fire\n"
                                            "before triggering again.")
    AutoEpochAlreadyImminent = error(139, "The next automatic epoch is already imminent; a manual trigger would have\n"
                                          "no effect.")
    DynamicTempoBlockedByCommitReveal = error(
        140, "`trigger_epoch` is blocked because commit-reveal is enabled for this subnet:\n"
             "an out-of-band epoch would desync the CRv3 reveal window from the wall-clock\n"
             "Drand schedule and silently drop committed weights.")
