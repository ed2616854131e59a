"""SubtensorModule's hyperparameter setters (pallet_subtensor utils/misc.rs and the setters in
coinbase/root.rs, subnets/subnet.rs, staking/): each writes its storage item and deposits the
event Rust deposits there (some deposit none, as in Rust). No checks: callers (AdminUtils) check.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.subtensor.coinbase.storage import (
    CKBurn,
    FlowEmaSmoothingFactor,
    FlowNormExponent,
    TaoFlowCutoff,
)
from pysubtensor.pallets.subtensor.epoch.storage import (
    ActivityCutoff,
    AlphaSigmoidSteepness,
    AlphaValues,
    Bonds,
    BondsMovingAverage,
    BondsPenalty,
    BondsResetOn,
    Incentive,
    Kappa,
    LastUpdate,
    LiquidAlphaOn,
    MaxAllowedValidators,
    Rho,
    Yuma3On,
)
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.hierarchy.storage import (
    MaxDelegateTake,
    MinDelegateTake,
    TxDelegateTakeRateLimit,
)
from pysubtensor.pallets.subtensor.neurons.storage import (
    AdjustmentAlpha,
    AdjustmentInterval,
    Difficulty,
    ImmuneOwnerUidsLimit,
    ImmunityPeriod,
    MaxAllowedUids,
    MaxBurn,
    MaxDifficulty,
    MaxRegistrationsPerBlock,
    MinAllowedUids,
    MinBurn,
    MinDifficulty,
    MinNonImmuneUids,
    RAORecycledForRegistration,
    TargetRegistrationsPerInterval,
)
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.serving.storage import (
    ServingRateLimit,
)
from pysubtensor.pallets.subtensor.staking.storage import (
    TotalIssuance,
)
from pysubtensor.pallets.subtensor.subnets.storage import (
    AdminFreezeWindow,
    DissolveNetworkScheduleDuration,
    MaxMechanismCount,
    MechanismCountCurrent,
    MechanismEmissionSplit,
    NetworkImmunityPeriod,
    NetworkLockReductionInterval,
    NetworkMinLockCost,
    NetworkPowRegistrationAllowed,
    NetworkRateLimit,
    NetworkRegistrationAllowed,
    OwnerHyperparamRateLimit,
    RecycleOrBurn,
    StartCallDelay,
    SubnetLimit,
    SubnetOwnerCut,
    SubnetOwnerHotkey,
    Tempo,
    TransferToggle,
)
from pysubtensor.pallets.subtensor.swap_keys.storage import (
    ColdkeySwapAnnouncementDelay,
    ColdkeySwapReannouncementDelay,
)
from pysubtensor.pallets.subtensor.utils import admin
from pysubtensor.pallets.subtensor.utils.storage import (
    TxRateLimit,
)
from pysubtensor.pallets.subtensor.weights.storage import (
    CommitRevealWeightsEnabled,
    CommitRevealWeightsVersion,
    MinAllowedWeights,
    RevealPeriodEpochs,
    StakeThreshold,
    TimelockedWeightCommits,
    WeightCommits,
    Weights,
    WeightsSetRateLimit,
    WeightsVersionKey,
)
from pysubtensor.pallets.support.dispatch import Origin, ensure

__all__ = [
    "MAX_COMMIT_REVEAL_PERIODS",
    "MAX_IMMUNE_OWNER_UIDS_LIMIT",
    "MAX_MECHANISM_COUNT_PER_SUBNET",
    "MIN_COMMIT_REVEAL_PERIODS",
    "MIN_IMMUNE_OWNER_UIDS_LIMIT",
    "do_set_alpha_values",
    "do_set_max_mechanism_count",
    "do_set_sn_owner_hotkey",
    "set_activity_cutoff",
    "set_adjustment_alpha",
    "set_adjustment_interval",
    "set_admin_freeze_window",
    "set_alpha_sigmoid_steepness",
    "set_bonds_moving_average",
    "set_bonds_penalty",
    "set_bonds_reset",
    "set_ck_burn",
    "set_coldkey_swap_announcement_delay",
    "set_coldkey_swap_reannouncement_delay",
    "set_commit_reveal_weights_enabled",
    "set_commit_reveal_weights_version",
    "set_difficulty",
    "set_dissolve_network_schedule_duration",
    "set_immunity_period",
    "set_kappa",
    "set_liquid_alpha_enabled",
    "set_lock_reduction_interval",
    "set_max_allowed_uids",
    "set_max_allowed_validators",
    "set_max_burn",
    "set_max_delegate_take",
    "set_max_difficulty",
    "set_max_registrations_per_block",
    "set_max_subnets",
    "set_min_allowed_uids",
    "set_min_allowed_weights",
    "set_min_burn",
    "set_min_delegate_take",
    "set_min_difficulty",
    "set_min_non_immune_uids",
    "set_network_immunity_period",
    "set_network_min_lock",
    "set_network_pow_registration_allowed",
    "set_network_rate_limit",
    "set_network_registration_allowed",
    "set_owner_hyperparam_rate_limit",
    "set_owner_immune_neuron_limit",
    "set_rao_recycled",
    "set_recycle_or_burn",
    "set_reveal_period",
    "set_rho",
    "set_serving_rate_limit",
    "set_stake_threshold",
    "set_start_call_delay",
    "set_subnet_owner_cut",
    "set_tao_flow_cutoff",
    "set_tao_flow_normalization_exponent",
    "set_tao_flow_smoothing_factor",
    "set_target_registrations_per_interval",
    "set_tempo",
    "set_total_issuance",
    "set_tx_delegate_take_rate_limit",
    "set_tx_rate_limit",
    "set_weights_set_rate_limit",
    "set_weights_version_key",
    "set_yuma3_enabled",
    "toggle_transfer",
]


def set_tempo(netuid: int, value: Any) -> None:
    Tempo.insert(netuid, value)
    pallet.deposit_event(Event.TempoSet(netuid, value))


def set_admin_freeze_window(value: Any) -> None:
    AdminFreezeWindow.put(value)
    pallet.deposit_event(Event.AdminFreezeWindowSet(value))


def set_owner_hyperparam_rate_limit(value: Any) -> None:
    OwnerHyperparamRateLimit.put(value)
    pallet.deposit_event(Event.OwnerHyperparamRateLimitSet(value))


def set_stake_threshold(value: Any) -> None:
    StakeThreshold.put(value)
    pallet.deposit_event(Event.StakeThresholdSet(value))


def set_min_non_immune_uids(netuid: int, value: Any) -> None:
    MinNonImmuneUids.insert(netuid, value)
    pallet.deposit_event(Event.MinNonImmuneUidsSet(netuid, value))


def set_recycle_or_burn(netuid: int, value: Any) -> None:
    RecycleOrBurn.insert(netuid, value)


def set_tx_rate_limit(value: Any) -> None:
    TxRateLimit.put(value)
    pallet.deposit_event(Event.TxRateLimitSet(value))


def set_tx_delegate_take_rate_limit(value: Any) -> None:
    TxDelegateTakeRateLimit.put(value)
    pallet.deposit_event(Event.TxDelegateTakeRateLimitSet(value))


def set_min_delegate_take(value: Any) -> None:
    MinDelegateTake.put(value)
    pallet.deposit_event(Event.MinDelegateTakeSet(value))


def set_max_delegate_take(value: Any) -> None:
    MaxDelegateTake.put(value)
    pallet.deposit_event(Event.MaxDelegateTakeSet(value))


def set_serving_rate_limit(netuid: int, value: Any) -> None:
    ServingRateLimit.insert(netuid, value)
    pallet.deposit_event(Event.ServingRateLimitSet(netuid, value))


def set_min_difficulty(netuid: int, value: Any) -> None:
    MinDifficulty.insert(netuid, value)
    pallet.deposit_event(Event.MinDifficultySet(netuid, value))


def set_max_difficulty(netuid: int, value: Any) -> None:
    MaxDifficulty.insert(netuid, value)
    pallet.deposit_event(Event.MaxDifficultySet(netuid, value))


def set_weights_version_key(netuid: int, value: Any) -> None:
    WeightsVersionKey.insert(netuid, value)
    pallet.deposit_event(Event.WeightsVersionKeySet(netuid, value))


def set_weights_set_rate_limit(netuid: int, value: Any) -> None:
    WeightsSetRateLimit.insert(netuid, value)
    pallet.deposit_event(Event.WeightsSetRateLimitSet(netuid, value))


def set_adjustment_interval(netuid: int, value: Any) -> None:
    AdjustmentInterval.insert(netuid, value)
    pallet.deposit_event(Event.AdjustmentIntervalSet(netuid, value))


def set_adjustment_alpha(netuid: int, value: Any) -> None:
    AdjustmentAlpha.insert(netuid, value)
    pallet.deposit_event(Event.AdjustmentAlphaSet(netuid, value))


def set_immunity_period(netuid: int, value: Any) -> None:
    ImmunityPeriod.insert(netuid, value)
    pallet.deposit_event(Event.ImmunityPeriodSet(netuid, value))


def set_min_allowed_weights(netuid: int, value: Any) -> None:
    MinAllowedWeights.insert(netuid, value)
    pallet.deposit_event(Event.MinAllowedWeightSet(netuid, value))


def set_min_allowed_uids(netuid: int, value: Any) -> None:
    MinAllowedUids.insert(netuid, value)
    pallet.deposit_event(Event.MinAllowedUidsSet(netuid, value))


def set_max_allowed_uids(netuid: int, value: Any) -> None:
    MaxAllowedUids.insert(netuid, value)
    pallet.deposit_event(Event.MaxAllowedUidsSet(netuid, value))


def set_kappa(netuid: int, value: Any) -> None:
    Kappa.insert(netuid, value)
    pallet.deposit_event(Event.KappaSet(netuid, value))


def set_commit_reveal_weights_enabled(netuid: int, value: Any) -> None:
    CommitRevealWeightsEnabled.insert(netuid, value)
    pallet.deposit_event(Event.CommitRevealEnabled(netuid, value))


def set_commit_reveal_weights_version(value: Any) -> None:
    CommitRevealWeightsVersion.put(value)
    pallet.deposit_event(Event.CommitRevealVersionSet(value))


def set_rho(netuid: int, value: Any) -> None:
    Rho.insert(netuid, value)


def set_activity_cutoff(netuid: int, value: Any) -> None:
    ActivityCutoff.insert(netuid, value)
    pallet.deposit_event(Event.ActivityCutoffSet(netuid, value))


def set_network_registration_allowed(netuid: int, value: Any) -> None:
    NetworkRegistrationAllowed.insert(netuid, value)
    pallet.deposit_event(Event.RegistrationAllowed(netuid, value))


def set_network_pow_registration_allowed(netuid: int, value: Any) -> None:
    NetworkPowRegistrationAllowed.insert(netuid, value)
    pallet.deposit_event(Event.PowRegistrationAllowed(netuid, value))


def set_target_registrations_per_interval(netuid: int, value: Any) -> None:
    TargetRegistrationsPerInterval.insert(netuid, value)
    pallet.deposit_event(Event.RegistrationPerIntervalSet(netuid, value))


def set_min_burn(netuid: int, value: Any) -> None:
    MinBurn.insert(netuid, value)
    pallet.deposit_event(Event.MinBurnSet(netuid, value))


def set_max_burn(netuid: int, value: Any) -> None:
    MaxBurn.insert(netuid, value)
    pallet.deposit_event(Event.MaxBurnSet(netuid, value))


def set_difficulty(netuid: int, value: Any) -> None:
    Difficulty.insert(netuid, value)
    pallet.deposit_event(Event.DifficultySet(netuid, value))


def set_max_allowed_validators(netuid: int, value: Any) -> None:
    MaxAllowedValidators.insert(netuid, value)
    pallet.deposit_event(Event.MaxAllowedValidatorsSet(netuid, value))


def set_bonds_moving_average(netuid: int, value: Any) -> None:
    BondsMovingAverage.insert(netuid, value)
    pallet.deposit_event(Event.BondsMovingAverageSet(netuid, value))


def set_bonds_penalty(netuid: int, value: Any) -> None:
    BondsPenalty.insert(netuid, value)
    pallet.deposit_event(Event.BondsPenaltySet(netuid, value))


def set_bonds_reset(netuid: int, value: Any) -> None:
    BondsResetOn.insert(netuid, value)
    pallet.deposit_event(Event.BondsResetOnSet(netuid, value))


def set_max_registrations_per_block(netuid: int, value: Any) -> None:
    MaxRegistrationsPerBlock.insert(netuid, value)
    pallet.deposit_event(Event.MaxRegistrationsPerBlockSet(netuid, value))


def set_subnet_owner_cut(value: Any) -> None:
    SubnetOwnerCut.put(value)
    pallet.deposit_event(Event.SubnetOwnerCutSet(value))


def set_total_issuance(value: Any) -> None:
    TotalIssuance.put(value)


def set_rao_recycled(netuid: int, value: Any) -> None:
    RAORecycledForRegistration.insert(netuid, value)
    pallet.deposit_event(Event.RAORecycledForRegistrationSet(netuid, value))


def set_alpha_sigmoid_steepness(netuid: int, value: Any) -> None:
    AlphaSigmoidSteepness.insert(netuid, value)


def set_liquid_alpha_enabled(netuid: int, value: Any) -> None:
    LiquidAlphaOn.insert(netuid, value)


def set_yuma3_enabled(netuid: int, value: Any) -> None:
    Yuma3On.insert(netuid, value)


def set_coldkey_swap_announcement_delay(value: Any) -> None:
    ColdkeySwapAnnouncementDelay.put(value)
    pallet.deposit_event(Event.ColdkeySwapAnnouncementDelaySet(value))


def set_coldkey_swap_reannouncement_delay(value: Any) -> None:
    ColdkeySwapReannouncementDelay.put(value)
    pallet.deposit_event(Event.ColdkeySwapReannouncementDelaySet(value))


def set_dissolve_network_schedule_duration(value: Any) -> None:
    DissolveNetworkScheduleDuration.put(value)
    pallet.deposit_event(Event.DissolveNetworkScheduleDurationSet(value))


def set_max_subnets(value: Any) -> None:
    SubnetLimit.put(value)
    pallet.deposit_event(Event.SubnetLimitSet(value))


def set_tao_flow_cutoff(value: Any) -> None:
    TaoFlowCutoff.put(value)


def set_tao_flow_normalization_exponent(value: Any) -> None:
    FlowNormExponent.put(value)


def set_tao_flow_smoothing_factor(value: Any) -> None:
    FlowEmaSmoothingFactor.put(value)


def set_network_rate_limit(value: Any) -> None:
    NetworkRateLimit.put(value)
    pallet.deposit_event(Event.NetworkRateLimitSet(value))


def set_network_immunity_period(value: Any) -> None:
    NetworkImmunityPeriod.put(value)
    pallet.deposit_event(Event.NetworkImmunityPeriodSet(value))


def set_start_call_delay(value: Any) -> None:
    StartCallDelay.put(value)
    pallet.deposit_event(Event.StartCallDelaySet(value))


def set_network_min_lock(value: Any) -> None:
    NetworkMinLockCost.put(value)
    pallet.deposit_event(Event.NetworkMinLockCostSet(value))


def set_lock_reduction_interval(value: Any) -> None:
    NetworkLockReductionInterval.put(value)
    pallet.deposit_event(Event.NetworkLockCostReductionIntervalSet(value))


def set_ck_burn(value: Any) -> None:
    CKBurn.put(value)


def toggle_transfer(netuid: int, value: Any) -> None:
    TransferToggle.insert(netuid, value)
    pallet.deposit_event(Event.TransferToggle(netuid, value))


# ---------------------------------------------------------------------------
# Setters with their own checks.

#: `MIN_COMMIT_REVEAL_PEROIDS` / `MAX_COMMIT_REVEAL_PEROIDS`: bounds of a subnet's reveal period (epochs).
MIN_COMMIT_REVEAL_PERIODS = 1
MAX_COMMIT_REVEAL_PERIODS = 100
#: `MinImmuneOwnerUidsLimit` / `MaxImmuneOwnerUidsLimit`: bounds of the owner's immune UIDs.
MIN_IMMUNE_OWNER_UIDS_LIMIT = 1
MAX_IMMUNE_OWNER_UIDS_LIMIT = 10
#: `MAX_MECHANISM_COUNT_PER_SUBNET`.
MAX_MECHANISM_COUNT_PER_SUBNET = 16
#: `u16::MAX / 40` (1638): the lowest alpha low and alpha high.
_MIN_ALPHA = 0xFFFF // 40


def set_reveal_period(netuid: int, reveal_period: int) -> None:
    ensure(reveal_period <= MAX_COMMIT_REVEAL_PERIODS, Error.RevealPeriodTooLarge)
    ensure(reveal_period >= MIN_COMMIT_REVEAL_PERIODS, Error.RevealPeriodTooSmall)
    RevealPeriodEpochs.insert(netuid, reveal_period)
    pallet.deposit_event(Event.CommitRevealPeriodsSet(netuid, reveal_period))


def set_owner_immune_neuron_limit(netuid: int, limit: int) -> None:
    ensure(MIN_IMMUNE_OWNER_UIDS_LIMIT <= limit <= MAX_IMMUNE_OWNER_UIDS_LIMIT, Error.InvalidValue)
    ImmuneOwnerUidsLimit.insert(netuid, limit)


def do_set_max_mechanism_count(max_mechanism_count: int) -> None:
    ensure(max_mechanism_count > 0, Error.InvalidValue)
    ensure(max_mechanism_count <= MAX_MECHANISM_COUNT_PER_SUBNET, Error.InvalidValue)
    MaxMechanismCount.put(max_mechanism_count)


def do_set_alpha_values(origin: Origin, netuid: int, alpha_low: int, alpha_high: int) -> None:
    """Liquid alpha's (low, high), each at least u16::MAX/40, low not above high; owner or root."""
    admin.ensure_subnet_owner_or_root(origin, netuid)
    ensure(LiquidAlphaOn.get(netuid), Error.LiquidAlphaDisabled)
    ensure(alpha_high >= _MIN_ALPHA, Error.AlphaHighTooLow)
    ensure(_MIN_ALPHA <= alpha_low <= alpha_high, Error.AlphaLowOutOfRange)
    AlphaValues.insert(netuid, (alpha_low, alpha_high))


def do_set_sn_owner_hotkey(origin: Origin, netuid: int, hotkey: bytes) -> None:
    """The subnet owner's hotkey, by root or the owner, once per `SetSNOwnerHotkey` interval
    per subnet (for root too: Rust checks this limit whoever calls). No event, as in Rust."""
    admin.ensure_subnet_owner_or_root(origin, netuid)
    ensure(admin.if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure(admin.passes_rate_limit_on_subnet("SetSNOwnerHotkey", hotkey, netuid), Error.TxRateLimitExceeded)
    admin.set_last_block_on_subnet("SetSNOwnerHotkey", hotkey, netuid, admin.current_block())
    SubnetOwnerHotkey.insert(netuid, hotkey)


# ---------------------------------------------------------------------------
# Mechanisms (subnets/mechanism.rs)

#: `GLOBAL_MAX_SUBNET_COUNT`: a mechanism's epoch storage index is `mechanism * 4096 + netuid`.
GLOBAL_MAX_SUBNET_COUNT = 4096


def mechanism_storage_index(netuid: int, mechanism: int) -> int:
    """`get_mechanism_storage_index` (saturating u16 arithmetic)."""
    return min(min(mechanism * GLOBAL_MAX_SUBNET_COUNT, 0xFFFF) + netuid, 0xFFFF)


def do_set_mechanism_count(netuid: int, mechanism_count: int) -> None:
    ensure(admin.if_subnet_exist(netuid), Error.MechanismDoesNotExist)
    ensure(mechanism_count > 0, Error.InvalidValue)
    ensure(mechanism_count <= MaxMechanismCount.get(), Error.InvalidValue)
    # Prevent chain bloat: the UIDs over all mechanisms are bounded.
    ensure(min(MaxAllowedUids.get(netuid) * mechanism_count, 0xFFFF) <= admin.default_max_allowed_uids(),
           Error.TooManyUIDsPerMechanism)
    ensure(mechanism_count <= MAX_MECHANISM_COUNT_PER_SUBNET, Error.InvalidValue)
    update_mechanism_counts_if_needed(netuid, mechanism_count)


def update_mechanism_counts_if_needed(netuid: int, new_count: int) -> None:
    """A new count; a lower one drops the removed mechanisms' weights, incentive, last updates,
    bonds and commits. Either resets the emission split to even."""
    old_count = MechanismCountCurrent.get(netuid)
    if old_count == new_count:
        return
    for mechanism in range(new_count, old_count):
        index = mechanism_storage_index(netuid, mechanism)
        Weights.clear_prefix(index)
        Incentive.remove(index)
        LastUpdate.remove(index)
        Bonds.clear_prefix(index)
        WeightCommits.clear_prefix(index)
        TimelockedWeightCommits.clear_prefix(index)
    MechanismCountCurrent.insert(netuid, new_count)
    MechanismEmissionSplit.remove(netuid)


def do_set_emission_split(netuid: int, maybe_split: list[int] | None) -> None:
    """Each mechanism's share of the subnet's emission, in parts of 65535 summing to 65535
    (at most one per mechanism); None: even."""
    ensure(admin.if_subnet_exist(netuid), Error.MechanismDoesNotExist)
    if maybe_split is None:
        MechanismEmissionSplit.remove(netuid)
        return
    ensure(len(maybe_split) > 0, Error.InvalidValue)
    ensure(len(maybe_split) <= MechanismCountCurrent.get(netuid), Error.InvalidValue)
    ensure(sum(maybe_split) == 0xFFFF, Error.InvalidValue)
    MechanismEmissionSplit.insert(netuid, list(maybe_split))
