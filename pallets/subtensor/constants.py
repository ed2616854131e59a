"""SubtensorModule's constants (`Config` parameters metadata lists): the values, types and docs
of the spec-381 devnet runtime, a fast-runtime build as our dev chain is."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.support.pallet import constant
from pysubtensor.primitives.scale import BOOL, I16, U16, U32, U64
from pysubtensor.primitives.types import PERCENT

__all__ = ["Constants"]


@pallet.constants
class Constants:
    InitialIssuance = constant(U64, 0, """
        =================================
        ==== Initial Value Constants ====
        =================================
        Initial currency issuance.
    """)
    InitialMinAllowedWeights = constant(U16, 1024, "Initial min allowed weights setting.")
    InitialEmissionValue = constant(U16, 0, "Initial Emission Ratio.")
    InitialTempo = constant(U16, 10, "Tempo for each network.")
    InitialDifficulty = constant(U64, 10_000_000, "Initial Difficulty.")
    InitialMaxDifficulty = constant(U64, 4_611_686_018_427_387_903, "Initial Max Difficulty.")
    InitialMinDifficulty = constant(U64, 10_000_000, "Initial Min Difficulty.")
    InitialRAORecycledForRegistration = constant(U64, 0, "Initial RAO Recycled.")
    InitialBurn = constant(U64, 100_000_000, "Initial Burn.")
    InitialMaxBurn = constant(U64, 100_000_000_000, "Initial Max Burn.")
    InitialMinBurn = constant(U64, 500000, "Initial Min Burn.")
    MinBurnUpperBound = constant(U64, 1_000_000_000, "Min  burn upper bound.")
    MaxBurnLowerBound = constant(U64, 100_000_000, "Max burn lower bound.")
    InitialAdjustmentInterval = constant(U16, 100, "Initial adjustment interval.")
    InitialBondsMovingAverage = constant(U64, 900000, "Initial bonds moving average.")
    InitialBondsPenalty = constant(U16, 65535, "Initial bonds penalty.")
    InitialBondsResetOn = constant(BOOL, False, "Initial bonds reset.")
    InitialTargetRegistrationsPerInterval = constant(U16, 2, "Initial target registrations per interval.")
    InitialRho = constant(U16, 10, "Rho constant.")
    InitialAlphaSigmoidSteepness = constant(I16, 1000, "AlphaSigmoidSteepness constant.")
    InitialKappa = constant(U16, 32767, "Kappa constant.")
    InitialMinAllowedUids = constant(U16, 64, "Initial minimum allowed network UIDs")
    InitialMaxAllowedUids = constant(U16, 256, "Initial maximum allowed network UIDs")
    InitialValidatorPruneLen = constant(U64, 1, "Initial validator context pruning length.")
    InitialScalingLawPower = constant(U16, 50, "Initial scaling law power.")
    InitialImmunityPeriod = constant(U16, 4096, "Immunity Period Constant.")
    InitialActivityCutoff = constant(U16, 5000, "Activity constant.")
    InitialMaxRegistrationsPerBlock = constant(U16, 1, "Initial max registrations per block.")
    InitialPruningScore = constant(U16, 65535, "Initial pruning score for each neuron.")
    InitialMaxAllowedValidators = constant(U16, 128, "Initial maximum allowed validators per network.")
    InitialDefaultDelegateTake = constant(U16, 11796, "Initial default delegation take.")
    InitialMinDelegateTake = constant(U16, 0, "Initial minimum delegation take.")
    InitialDefaultChildKeyTake = constant(U16, 0, "Initial default childkey take.")
    InitialMinChildKeyTake = constant(U16, 0, "Initial minimum childkey take.")
    InitialMaxChildKeyTake = constant(U16, 11796, "Initial maximum childkey take.")
    InitialWeightsVersionKey = constant(U64, 0, "Initial weights version key.")
    InitialServingRateLimit = constant(U64, 50, "Initial serving rate limit.")
    InitialTxRateLimit = constant(U64, 1000, "Initial transaction rate limit.")
    InitialTxDelegateTakeRateLimit = constant(U64, 216000, "Initial delegate take transaction rate limit.")
    InitialTxChildKeyTakeRateLimit = constant(U64, 5, "Initial childkey take transaction rate limit.")
    InitialAdjustmentAlpha = constant(U64, 0, "Initial adjustment alpha on burn and pow.")
    InitialNetworkImmunityPeriod = constant(U64, 1_296_000, "Initial network immunity period")
    InitialNetworkMinLockCost = constant(U64, 1_000_000_000_000, "Initial network minimum burn cost")
    InitialSubnetOwnerCut = constant(U16, 11796, "Initial network subnet cut.")
    InitialNetworkLockReductionInterval = constant(U64, 100800, "Initial lock reduction interval.")
    InitialNetworkRateLimit = constant(U64, 7200, "Initial network creation rate limit")
    KeySwapCost = constant(U64, 100_000_000, "Cost of swapping a hotkey.")
    AlphaHigh = constant(U16, 58982, "The upper bound for the alpha parameter. Used for Liquid Alpha.")
    AlphaLow = constant(U16, 45875, "The lower bound for the alpha parameter. Used for Liquid Alpha.")
    LiquidAlphaOn = constant(BOOL, False, "A flag to indicate if Liquid Alpha is enabled.")
    Yuma3On = constant(BOOL, False, "A flag to indicate if Yuma3 is enabled.")
    InitialColdkeySwapAnnouncementDelay = constant(U32, 50, "Coldkey swap announcement delay.")
    InitialColdkeySwapReannouncementDelay = constant(U32, 10, "Coldkey swap reannouncement delay.")
    InitialDissolveNetworkScheduleDuration = constant(U32, 36000, "Dissolve network schedule duration")
    InitialTaoWeight = constant(U64, 971_718_665_099_567_868, "Initial TAO weight.")
    InitialEmaPriceHalvingPeriod = constant(U64, 201600, "Initial EMA price halving period")
    InitialStartCallDelay = constant(U64, 0, "Delay after which a new subnet can dispatch start call extrinsic.")
    KeySwapOnSubnetCost = constant(U64, 1_000_000, "Cost of swapping a hotkey in a subnet.")
    HotkeySwapOnSubnetInterval = constant(U64, 36000, "Block number for a coldkey swap the hotkey in specific subnet.")
    LeaseDividendsDistributionInterval = constant(U32, 100, "Number of blocks between dividends distribution.")
    MaxImmuneUidsPercentage = constant(PERCENT, 80, "Maximum percentage of immune UIDs.")
