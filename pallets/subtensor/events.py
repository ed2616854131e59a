"""SubtensorModule's `Event` enum as spec 381 has it: every variant with its index, its fields
(names, or none for Rust's tuple variants), their types with the Rust type names metadata
shows, and the Rust docs metadata carries.

Tuple variants (`@event(i, unnamed=True)`) are fields without names on chain; their Python
attribute names say what the Rust code passes there (`StakeAdded(coldkey, hotkey, tao, alpha,
netuid, fee)`). The declarations are in index order, which is the metadata order
(pallets/subtensor/order_events.py lists it). Compared with the real enum by
tests/conformance/test_subtensor_events_errors.py.
"""

from __future__ import annotations

from typing import Annotated

from pysubtensor.pallets.support.pallet import event
from pysubtensor.pallets.support.types import AccountId, Bool, Doc, Hash, VecU8, u16, u64

from .event_types import (
    H160,
    H256,
    AlphaBalance,
    BlockNumberFor,
    CurrencyBalance,
    DispatchError,
    DispatchResult,
    LeaseId,
    NetUid,
    NetUidStorageIndex,
    RootClaimTypeEnum,
    TaoBalance,
    VecChildren,
    VecCompactNetUid,
    i16,
)
from .pallet import pallet

__all__ = ["Event"]


@pallet.events
class Event:
    @event(0, unnamed=True)
    class NetworkAdded:
        """a new network is added."""

        netuid: NetUid
        mechid: u16

    @event(1, unnamed=True)
    class NetworkRemoved:
        """a network is removed."""

        netuid: NetUid

    @event(2, unnamed=True)
    class StakeAdded:
        """stake has been transferred from the a coldkey account onto the hotkey staking account."""

        coldkey: AccountId
        hotkey: AccountId
        tao: TaoBalance
        alpha: AlphaBalance
        netuid: NetUid
        fee: u64

    @event(3, unnamed=True)
    class StakeRemoved:
        """stake has been removed from the hotkey staking account onto the coldkey account."""

        coldkey: AccountId
        hotkey: AccountId
        tao: TaoBalance
        alpha: AlphaBalance
        netuid: NetUid
        fee: u64

    @event(4, unnamed=True)
    class StakeMoved:
        """stake has been moved from origin (hotkey, subnet ID) to destination (hotkey, subnet ID) of this amount (in TAO)."""

        coldkey: AccountId
        origin_hotkey: AccountId
        origin_netuid: NetUid
        destination_hotkey: AccountId
        destination_netuid: NetUid
        tao: TaoBalance

    @event(5, unnamed=True)
    class WeightsSet:
        """a caller successfully sets their weights on a subnetwork."""

        netuid_index: NetUidStorageIndex
        uid: u16

    @event(6, unnamed=True)
    class NeuronRegistered:
        """a new neuron account has been registered to the chain."""

        netuid: NetUid
        uid: u16
        hotkey: AccountId

    @event(7, unnamed=True)
    class BulkNeuronsRegistered:
        """multiple uids have been concurrently registered."""

        netuid: u16
        count: u16

    @event(8, unnamed=True)
    class BulkBalancesSet:
        """FIXME: Not used yet"""

        netuid: u16
        count: u16

    @event(9, unnamed=True)
    class MaxAllowedUidsSet:
        """max allowed uids has been set for a subnetwork."""

        netuid: NetUid
        max_allowed_uids: u16

    @event(10, unnamed=True)
    class MaxWeightLimitSet:
        """DEPRECATED: max weight limit updates are no longer supported."""

        netuid: NetUid
        max_weight_limit: u16

    @event(11, unnamed=True)
    class DifficultySet:
        """the difficulty has been set for a subnet."""

        netuid: NetUid
        difficulty: u64

    @event(12, unnamed=True)
    class AdjustmentIntervalSet:
        """the adjustment interval is set for a subnet."""

        netuid: NetUid
        adjustment_interval: u16

    @event(13, unnamed=True)
    class RegistrationPerIntervalSet:
        """registration per interval is set for a subnet."""

        netuid: NetUid
        registration_per_interval: u16

    @event(14, unnamed=True)
    class MaxRegistrationsPerBlockSet:
        """we set max registrations per block."""

        netuid: NetUid
        max_registrations_per_block: u16

    @event(15, unnamed=True)
    class ActivityCutoffSet:
        """an activity cutoff is set for a subnet."""

        netuid: NetUid
        activity_cutoff: u16

    @event(16, unnamed=True)
    class RhoSet:
        """Rho value is set."""

        netuid: NetUid
        rho: u16

    @event(17, unnamed=True)
    class AlphaSigmoidSteepnessSet:
        """steepness of the sigmoid used to compute alpha values."""

        netuid: NetUid
        alpha_sigmoid_steepness: i16

    @event(18, unnamed=True)
    class KappaSet:
        """Kappa is set for a subnet."""

        netuid: NetUid
        kappa: u16

    @event(19, unnamed=True)
    class MinAllowedWeightSet:
        """minimum allowed weight is set for a subnet."""

        netuid: NetUid
        min_allowed_weight: u16

    @event(20, unnamed=True)
    class ValidatorPruneLenSet:
        """the validator pruning length has been set."""

        netuid: NetUid
        validator_prune_len: u64

    @event(21, unnamed=True)
    class ScalingLawPowerSet:
        """the scaling law power has been set for a subnet."""

        netuid: NetUid
        scaling_law_power: u16

    @event(22, unnamed=True)
    class WeightsSetRateLimitSet:
        """weights set rate limit has been set for a subnet."""

        netuid: NetUid
        weights_set_rate_limit: u64

    @event(23, unnamed=True)
    class ImmunityPeriodSet:
        """immunity period is set for a subnet."""

        netuid: NetUid
        immunity_period: u16

    @event(24, unnamed=True)
    class BondsMovingAverageSet:
        """bonds moving average is set for a subnet."""

        netuid: NetUid
        bonds_moving_average: u64

    @event(25, unnamed=True)
    class BondsPenaltySet:
        """bonds penalty is set for a subnet."""

        netuid: NetUid
        bonds_penalty: u16

    @event(26, unnamed=True)
    class BondsResetOnSet:
        """bonds reset is set for a subnet."""

        netuid: NetUid
        bonds_reset_on: Bool

    @event(27, unnamed=True)
    class MaxAllowedValidatorsSet:
        """setting the max number of allowed validators on a subnet."""

        netuid: NetUid
        max_allowed_validators: u16

    @event(28, unnamed=True)
    class AxonServed:
        """the axon server information is added to the network."""

        netuid: NetUid
        hotkey: AccountId

    @event(29, unnamed=True)
    class PrometheusServed:
        """the prometheus server information is added to the network."""

        netuid: NetUid
        hotkey: AccountId

    @event(30, unnamed=True)
    class DelegateAdded:
        """a hotkey has become a delegate."""

        hotkey: AccountId
        coldkey: AccountId
        take: u16

    @event(31, unnamed=True)
    class DefaultTakeSet:
        """the default take is set."""

        take: u16

    @event(32, unnamed=True)
    class WeightsVersionKeySet:
        """weights version key is set for a network."""

        netuid: NetUid
        weights_version_key: u64

    @event(33, unnamed=True)
    class MinDifficultySet:
        """setting min difficulty on a network."""

        netuid: NetUid
        min_difficulty: u64

    @event(34, unnamed=True)
    class MaxDifficultySet:
        """setting max difficulty on a network."""

        netuid: NetUid
        max_difficulty: u64

    @event(35, unnamed=True)
    class ServingRateLimitSet:
        """setting the prometheus serving rate limit."""

        netuid: NetUid
        serving_rate_limit: u64

    @event(36, unnamed=True)
    class BurnSet:
        """setting burn on a network."""

        netuid: NetUid
        burn: TaoBalance

    @event(37, unnamed=True)
    class MaxBurnSet:
        """setting max burn on a network."""

        netuid: NetUid
        max_burn: TaoBalance

    @event(38, unnamed=True)
    class MinBurnSet:
        """setting min burn on a network."""

        netuid: NetUid
        min_burn: TaoBalance

    @event(39, unnamed=True)
    class TxRateLimitSet:
        """setting the transaction rate limit."""

        tx_rate_limit: u64

    @event(40, unnamed=True)
    class TxDelegateTakeRateLimitSet:
        """setting the delegate take transaction rate limit."""

        tx_delegate_take_rate_limit: u64

    @event(41, unnamed=True)
    class TxChildKeyTakeRateLimitSet:
        """setting the childkey take transaction rate limit."""

        tx_child_key_take_rate_limit: u64

    @event(42, unnamed=True)
    class AdminFreezeWindowSet:
        """setting the admin freeze window length (last N blocks of tempo)"""

        admin_freeze_window: u16

    @event(43, unnamed=True)
    class OwnerHyperparamRateLimitSet:
        """setting the owner hyperparameter rate limit in epochs"""

        owner_hyperparam_rate_limit: u16

    @event(44, unnamed=True)
    class MinChildKeyTakeSet:
        """minimum childkey take set"""

        take: u16

    @event(45, unnamed=True)
    class MaxChildKeyTakeSet:
        """maximum childkey take set"""

        take: u16

    @event(46, unnamed=True)
    class ChildKeyTakeSet:
        """childkey take set"""

        hotkey: AccountId
        take: u16

    @event(47, unnamed=True)
    class Sudid:
        """a sudo call is done."""

        result: DispatchResult

    @event(48, unnamed=True)
    class RegistrationAllowed:
        """registration is allowed/disallowed for a subnet."""

        netuid: NetUid
        allowed: Bool

    @event(49, unnamed=True)
    class PowRegistrationAllowed:
        """POW registration is allowed/disallowed for a subnet."""

        netuid: NetUid
        allowed: Bool

    @event(50, unnamed=True)
    class TempoSet:
        """setting tempo on a network"""

        netuid: NetUid
        tempo: u16

    @event(51, unnamed=True)
    class RAORecycledForRegistrationSet:
        """setting the RAO recycled for registration."""

        netuid: NetUid
        rao_recycled: TaoBalance

    @event(52, unnamed=True)
    class StakeThresholdSet:
        """min stake is set for validators to set weights."""

        threshold: u64

    @event(53, unnamed=True)
    class AdjustmentAlphaSet:
        """setting the adjustment alpha on a subnet."""

        netuid: NetUid
        adjustment_alpha: u64

    @event(54, unnamed=True)
    class Faucet:
        """the faucet it called on the test net."""

        coldkey: AccountId
        amount: u64

    @event(55, unnamed=True)
    class SubnetOwnerCutSet:
        """the subnet owner cut is set."""

        cut: u16

    @event(56, unnamed=True)
    class NetworkRateLimitSet:
        """the network creation rate limit is set."""

        network_rate_limit: u64

    @event(57, unnamed=True)
    class NetworkImmunityPeriodSet:
        """the network immunity period is set."""

        network_immunity_period: u64

    @event(58, unnamed=True)
    class StartCallDelaySet:
        """the start call delay is set."""

        start_call_delay: u64

    @event(59, unnamed=True)
    class NetworkMinLockCostSet:
        """the network minimum locking cost is set."""

        lock_cost: TaoBalance

    @event(60, unnamed=True)
    class SubnetLimitSet:
        """the maximum number of subnets is set"""

        limit: u16

    @event(61, unnamed=True)
    class NetworkLockCostReductionIntervalSet:
        """the lock cost reduction is set"""

        interval: u64

    @event(62, unnamed=True)
    class TakeDecreased:
        """the take for a delegate is decreased."""

        coldkey: AccountId
        hotkey: AccountId
        take: u16

    @event(63, unnamed=True)
    class TakeIncreased:
        """the take for a delegate is increased."""

        coldkey: AccountId
        hotkey: AccountId
        take: u16

    @event(64)
    class HotkeySwapped:
        """the hotkey is swapped"""

        coldkey: Annotated[AccountId, Doc("the account ID of coldkey")]
        old_hotkey: Annotated[AccountId, Doc("the account ID of old hotkey")]
        new_hotkey: Annotated[AccountId, Doc("the account ID of new hotkey")]

    @event(65, unnamed=True)
    class MaxDelegateTakeSet:
        """maximum delegate take is set by sudo/admin transaction"""

        take: u16

    @event(66, unnamed=True)
    class MinDelegateTakeSet:
        """minimum delegate take is set by sudo/admin transaction"""

        take: u16

    @event(67)
    class ColdkeySwapAnnounced:
        """A coldkey swap announcement has been made."""

        who: Annotated[AccountId, Doc("The account ID of the coldkey that made the announcement.")]
        new_coldkey_hash: Annotated[Hash, Doc("The hash of the new coldkey.")]

    @event(68)
    class ColdkeySwapReset:
        """A coldkey swap has been reset."""

        who: Annotated[AccountId, Doc("The account ID of the coldkey for which the swap has been reset.")]

    @event(69)
    class ColdkeySwapped:
        """A coldkey has been swapped."""

        old_coldkey: Annotated[AccountId, Doc("The account ID of old coldkey.")]
        new_coldkey: Annotated[AccountId, Doc("The account ID of new coldkey.")]

    @event(70)
    class ColdkeySwapDisputed:
        """A coldkey swap has been disputed."""

        coldkey: Annotated[AccountId, Doc("The account ID of the coldkey that was disputed.")]

    @event(71)
    class AllBalanceUnstakedAndTransferredToNewColdkey:
        """All balance of a hotkey has been unstaked and transferred to a new coldkey"""

        current_coldkey: Annotated[AccountId, Doc("The account ID of the current coldkey")]
        new_coldkey: Annotated[AccountId, Doc("The account ID of the new coldkey")]
        total_balance: Annotated[CurrencyBalance, Doc("The total balance of the hotkey")]

    @event(72)
    class ArbitrationPeriodExtended:
        """The arbitration period has been extended"""

        coldkey: Annotated[AccountId, Doc("The account ID of the coldkey")]

    @event(73, unnamed=True)
    class SetChildrenScheduled:
        """Setting of children of a hotkey have been scheduled"""

        hotkey: AccountId
        netuid: NetUid
        cooldown_block: u64
        children: VecChildren

    @event(74, unnamed=True)
    class SetChildren:
        """The children of a hotkey have been set"""

        hotkey: AccountId
        netuid: NetUid
        children: VecChildren

    @event(75, unnamed=True)
    class ChainIdentitySet:
        """The identity of a coldkey has been set"""

        coldkey: AccountId

    @event(76, unnamed=True)
    class SubnetIdentitySet:
        """The identity of a subnet has been set"""

        netuid: NetUid

    @event(77, unnamed=True)
    class SubnetIdentityRemoved:
        """The identity of a subnet has been removed"""

        netuid: NetUid

    @event(78)
    class DissolveNetworkScheduled:
        """A dissolve network extrinsic scheduled."""

        account: Annotated[AccountId, Doc("The account ID schedule the dissolve network extrinsic")]
        netuid: Annotated[NetUid, Doc("network ID will be dissolved")]
        execution_block: Annotated[BlockNumberFor, Doc("extrinsic execution block number")]

    @event(79, unnamed=True)
    class ColdkeySwapAnnouncementDelaySet:
        """The coldkey swap announcement delay has been set."""

        delay: BlockNumberFor

    @event(80, unnamed=True)
    class ColdkeySwapReannouncementDelaySet:
        """The coldkey swap reannouncement delay has been set."""

        delay: BlockNumberFor

    @event(81, unnamed=True)
    class DissolveNetworkScheduleDurationSet:
        """The duration of dissolve network has been set"""

        duration: BlockNumberFor

    @event(82, unnamed=True)
    class CRV3WeightsCommitted:
        """Commit-reveal v3 weights have been successfully committed.

        - **who**: The account ID of the user committing the weights.
        - **netuid**: The network identifier.
        - **commit_hash**: The hash representing the committed weights.
        """

        who: AccountId
        netuid: NetUidStorageIndex
        commit_hash: H256

    @event(83, unnamed=True)
    class WeightsCommitted:
        """Weights have been successfully committed.

        - **who**: The account ID of the user committing the weights.
        - **netuid**: The network identifier.
        - **commit_hash**: The hash representing the committed weights.
        """

        who: AccountId
        netuid: NetUidStorageIndex
        commit_hash: H256

    @event(84, unnamed=True)
    class WeightsRevealed:
        """Weights have been successfully revealed.

        - **who**: The account ID of the user revealing the weights.
        - **netuid**: The network identifier.
        - **commit_hash**: The hash of the revealed weights.
        """

        who: AccountId
        netuid: NetUidStorageIndex
        commit_hash: H256

    @event(85, unnamed=True)
    class WeightsBatchRevealed:
        """Weights have been successfully batch revealed.

        - **who**: The account ID of the user revealing the weights.
        - **netuid**: The network identifier.
        - **revealed_hashes**: A vector of hashes representing each revealed weight set.
        """

        who: AccountId
        netuid: NetUid
        revealed_hashes: list[H256]

    @event(86, unnamed=True)
    class BatchWeightsCompleted:
        """A batch of weights (or commits) have been force-set.

        - **netuids**: The netuids these weights were successfully set/committed for.
        - **who**: The hotkey that set this batch.
        """

        netuids: VecCompactNetUid
        who: AccountId

    @event(87, unnamed=True)  # `BatchCompletedWithErrors()`: a tuple variant without fields
    class BatchCompletedWithErrors:
        """A batch extrinsic completed but with some errors."""

    @event(88, unnamed=True)
    class BatchWeightItemFailed:
        """A weight set among a batch of weights failed.

        - **error**: The dispatch error emitted by the failed item.
        """

        error: DispatchError

    @event(89, unnamed=True)
    class StakeTransferred:
        """Stake has been transferred from one coldkey to another on the same subnet.
        Parameters:
        (origin_coldkey, destination_coldkey, hotkey, origin_netuid, destination_netuid, amount)
        """

        origin_coldkey: AccountId
        destination_coldkey: AccountId
        hotkey: AccountId
        origin_netuid: NetUid
        destination_netuid: NetUid
        tao: TaoBalance

    @event(90, unnamed=True)
    class StakeSwapped:
        """Stake has been swapped from one subnet to another for the same coldkey-hotkey pair.

        Parameters:
        (coldkey, hotkey, origin_netuid, destination_netuid, amount)
        """

        coldkey: AccountId
        hotkey: AccountId
        origin_netuid: NetUid
        destination_netuid: NetUid
        tao: TaoBalance

    @event(91, unnamed=True)
    class TransferToggle:
        """Event called when transfer is toggled on a subnet.

        Parameters:
        (netuid, bool)
        """

        netuid: NetUid
        enabled: Bool

    @event(92, unnamed=True)
    class SubnetOwnerHotkeySet:
        """The owner hotkey for a subnet has been set.

        Parameters:
        (netuid, new_hotkey)
        """

        netuid: NetUid
        new_hotkey: AccountId

    @event(93, unnamed=True)
    class FirstEmissionBlockNumberSet:
        """FirstEmissionBlockNumber is set via start call extrinsic

        Parameters:
        netuid
        block number
        """

        netuid: NetUid
        block_number: u64

    @event(94, unnamed=True)
    class AlphaRecycled:
        """Alpha has been recycled, reducing AlphaOut on a subnet.

        Parameters:
        (coldkey, hotkey, amount, subnet_id)
        """

        coldkey: AccountId
        hotkey: AccountId
        amount: AlphaBalance
        netuid: NetUid

    @event(95, unnamed=True)
    class AlphaBurned:
        """Alpha have been burned without reducing AlphaOut.

        Parameters:
        (coldkey, hotkey, amount, subnet_id)
        """

        coldkey: AccountId
        hotkey: AccountId
        amount: AlphaBalance
        netuid: NetUid

    @event(96)
    class EvmKeyAssociated:
        """An EVM key has been associated with a hotkey."""

        netuid: Annotated[NetUid, Doc("The subnet that the hotkey belongs to.")]
        hotkey: Annotated[AccountId, Doc("The hotkey associated with the EVM key.")]
        evm_key: Annotated[H160, Doc("The EVM key being associated with the hotkey.")]
        block_associated: Annotated[u64, Doc("The block where the association happened.")]

    @event(97, unnamed=True)
    class CRV3WeightsRevealed:
        """CRV3 Weights have been successfully revealed.

        - **netuid**: The network identifier.
        - **who**: The account ID of the user revealing the weights.
        """

        netuid: NetUid
        who: AccountId

    @event(98, unnamed=True)
    class CommitRevealPeriodsSet:
        """Commit-Reveal periods has been successfully set.

        - **netuid**: The network identifier.
        - **periods**: The number of epochs before the reveal.
        """

        netuid: NetUid
        periods: u64

    @event(99, unnamed=True)
    class CommitRevealEnabled:
        """Commit-Reveal has been successfully toggled.

        - **netuid**: The network identifier.
        - **Enabled**: Is Commit-Reveal enabled.
        """

        netuid: NetUid
        enabled: Bool

    @event(100)
    class HotkeySwappedOnSubnet:
        """the hotkey is swapped"""

        coldkey: Annotated[AccountId, Doc("the account ID of coldkey")]
        old_hotkey: Annotated[AccountId, Doc("the account ID of old hotkey")]
        new_hotkey: Annotated[AccountId, Doc("the account ID of new hotkey")]
        netuid: Annotated[NetUid, Doc("the subnet ID")]

    @event(101)
    class SubnetLeaseCreated:
        """A subnet lease has been created."""

        beneficiary: Annotated[AccountId, Doc("The beneficiary of the lease.")]
        lease_id: Annotated[LeaseId, Doc("The lease ID")]
        netuid: Annotated[NetUid, Doc("The subnet ID")]
        end_block: Annotated[BlockNumberFor | None, Doc("The end block of the lease")]

    @event(102)
    class SubnetLeaseTerminated:
        """A subnet lease has been terminated."""

        beneficiary: Annotated[AccountId, Doc("The beneficiary of the lease.")]
        netuid: Annotated[NetUid, Doc("The subnet ID")]

    @event(103)
    class SymbolUpdated:
        """The symbol for a subnet has been updated."""

        netuid: Annotated[NetUid, Doc("The subnet ID")]
        symbol: Annotated[VecU8, Doc("The symbol that has been updated.")]

    @event(104, unnamed=True)
    class CommitRevealVersionSet:
        """Commit Reveal Weights version has been updated.

        - **version**: The required version.
        """

        version: u16

    @event(105, unnamed=True)
    class TimelockedWeightsCommitted:
        """Timelocked weights have been successfully committed.

        - **who**: The account ID of the user committing the weights.
        - **netuid**: The network identifier.
        - **commit_hash**: The hash representing the committed weights.
        - **reveal_round**: The round at which weights can be revealed.
        """

        who: AccountId
        netuid: NetUidStorageIndex
        commit_hash: H256
        reveal_round: u64

    @event(106, unnamed=True)
    class TimelockedWeightsRevealed:
        """Timelocked Weights have been successfully revealed.

        - **netuid**: The network identifier.
        - **who**: The account ID of the user revealing the weights.
        """

        netuid: NetUidStorageIndex
        who: AccountId

    @event(107)
    class AutoStakeAdded:
        """Auto-staking hotkey received stake"""

        netuid: Annotated[NetUid, Doc("Subnet identifier.")]
        destination: Annotated[AccountId, Doc("Destination account that received the auto-staked funds.")]
        hotkey: Annotated[AccountId, Doc("Hotkey account whose stake was auto-staked.")]
        owner: Annotated[AccountId, Doc("Owner (coldkey) account associated with the hotkey.")]
        incentive: Annotated[AlphaBalance, Doc("Amount of alpha auto-staked.")]

    @event(108)
    class IncentiveAlphaEmittedToMiners:
        """End-of-epoch miner incentive alpha by UID"""

        netuid: Annotated[NetUidStorageIndex, Doc("Subnet identifier.")]
        emissions: Annotated[list[AlphaBalance], Doc("UID-indexed array of miner incentive alpha; index equals UID.")]

    @event(109, unnamed=True)
    class MinAllowedUidsSet:
        """The minimum allowed UIDs for a subnet have been set."""

        netuid: NetUid
        min_allowed_uids: u16

    @event(110)
    class AutoStakeDestinationSet:
        """The auto stake destination has been set.

        - **coldkey**: The account ID of the coldkey.
        - **netuid**: The network identifier.
        - **hotkey**: The account ID of the hotkey.
        """

        coldkey: Annotated[AccountId, Doc("The account ID of the coldkey.")]
        netuid: Annotated[NetUid, Doc("The network identifier.")]
        hotkey: Annotated[AccountId, Doc("The account ID of the hotkey.")]

    @event(111, unnamed=True)
    class MinNonImmuneUidsSet:
        """The minimum allowed non-Immune UIDs has been set."""

        netuid: NetUid
        min_non_immune_uids: u16

    @event(112)
    class RootClaimed:
        """Root emissions have been claimed for a coldkey on all subnets and hotkeys.
        Parameters:
        (coldkey)
        """

        coldkey: Annotated[AccountId, Doc("Claim coldkey")]

    @event(113)
    class RootClaimTypeSet:
        """Root claim type for a coldkey has been set.
        Parameters:
        (coldkey, u8)
        """

        coldkey: Annotated[AccountId, Doc("Claim coldkey")]
        root_claim_type: Annotated[RootClaimTypeEnum, Doc("Claim type")]

    @event(114)
    class VotingPowerTrackingEnabled:
        """Voting power tracking has been enabled for a subnet."""

        netuid: Annotated[NetUid, Doc("The subnet ID")]

    @event(115)
    class VotingPowerTrackingDisableScheduled:
        """Voting power tracking has been scheduled for disabling.
        Tracking will continue until disable_at_block, then stop and clear entries.
        """

        netuid: Annotated[NetUid, Doc("The subnet ID")]
        disable_at_block: Annotated[u64, Doc("Block at which tracking will be disabled")]

    @event(116)
    class VotingPowerTrackingDisabled:
        """Voting power tracking has been fully disabled and entries cleared."""

        netuid: Annotated[NetUid, Doc("The subnet ID")]

    @event(117)
    class VotingPowerEmaAlphaSet:
        """Voting power EMA alpha has been set for a subnet."""

        netuid: Annotated[NetUid, Doc("The subnet ID")]
        alpha: Annotated[u64, Doc("The new alpha value (u64 with 18 decimal precision)")]

    @event(118)
    class SubnetLeaseDividendsDistributed:
        """Subnet lease dividends have been distributed."""

        lease_id: Annotated[LeaseId, Doc("The lease ID")]
        contributor: Annotated[AccountId, Doc("The contributor")]
        alpha: Annotated[AlphaBalance, Doc("The amount of alpha distributed")]

    @event(119)
    class AddStakeBurn:
        """\"Add stake and burn" event: alpha token was purchased and burned."""

        netuid: Annotated[NetUid, Doc("The subnet ID")]
        hotkey: Annotated[AccountId, Doc("hotky account ID")]
        amount: Annotated[TaoBalance, Doc("Tao provided")]
        alpha: Annotated[AlphaBalance, Doc("Alpha burned")]

    # Newer than spec 381: subtensor main's stake-lock events (macros/events.rs at 14bc6f9),
    # after 381's (tests/support/metadata.py ITEMS_BEYOND_381).
    @event(120)
    class StakeLocked:
        """Stake has been locked to a hotkey on a subnet."""

        coldkey: Annotated[AccountId, Doc("The coldkey that locked the stake.")]
        hotkey: Annotated[AccountId, Doc("The hotkey the stake is locked to.")]
        netuid: Annotated[NetUid, Doc("The subnet the stake is locked on.")]
        amount: Annotated[AlphaBalance, Doc("The alpha amount locked.")]

    @event(121)
    class LockMoved:
        """Stake has been unlocked from a hotkey on a subnet."""

        coldkey: Annotated[AccountId, Doc("The coldkey that moved the lock.")]
        origin_hotkey: Annotated[AccountId, Doc("The hotkey the lock was moved from.")]
        destination_hotkey: Annotated[AccountId, Doc("The hotkey the lock was moved to.")]
        netuid: Annotated[NetUid, Doc("The subnet the lock is on.")]

    @event(122)
    class PerpetualLockUpdated:
        """A coldkey's perpetual lock flag was updated."""

        coldkey: Annotated[AccountId, Doc("The coldkey whose flag changed.")]
        netuid: Annotated[NetUid, Doc("The subnet whose coldkey flag changed.")]
        enabled: Annotated[Bool, Doc("Whether this coldkey's locks are now perpetual.")]

    @event(123)
    class RejectLockedAlphaUpdated:
        """A coldkey's reject locked alpha account flag was updated."""

        coldkey: Annotated[AccountId, Doc("The coldkey whose flag changed.")]
        enabled: Annotated[Bool, Doc("Whether this coldkey rejects incoming locked alpha.")]
