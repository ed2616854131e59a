"""`SubnetInfoRuntimeApi` (Rust `rpc_info/{subnet_info,dynamic_info,metagraph,show_subnet}.rs`):
a subnet's parameters, pool and per-uid state. Each method reads storage as spec 381's code
does: `None` for a subnet `NetworksAdded` does not mark, the "all" methods over the added
subnets, deprecated fields at the constants Rust fills them with (`emission_values`,
`subnet_emission`, `pending_root_emission`, tao dividends: 0; `max_weights_limit`: u16::MAX;
`network_modality`: 0; `network_connect`: empty; `user_liquidity_enabled`: false).

Commitments (`get_selective_metagraph` index 73) come from pallet_commitments, which this
runtime does not have yet: the list is empty."""

from __future__ import annotations

from typing import Any

import pysubtensor.pallets.system as system
from pysubtensor.pallets.subtensor.apis.reads import (
    U16_MAX,
    added_netuids,
    all_subnet_netuids,
    axon_info,
    if_subnet_exist,
)
from pysubtensor.pallets.subtensor.coinbase.schedule import (
    get_next_epoch_start_block as next_epoch_start_block,
)
from pysubtensor.pallets.subtensor.coinbase.storage import (
    AlphaDividendsPerSubnet,
    BlocksSinceLastStep,
    LastHotkeyEmissionOnNetuid,
    LastMechansimStepBlock,
    PendingServerEmission,
    PendingValidatorEmission,
    SubnetAlphaIn,
    SubnetAlphaInEmission,
    SubnetAlphaOut,
    SubnetAlphaOutEmission,
    SubnetMovingPrice,
    SubnetTAO,
    SubnetTaoInEmission,
    SubnetVolume,
)
from pysubtensor.pallets.subtensor.epoch.storage import (
    Active,
    ActivityCutoff,
    AlphaSigmoidSteepness,
    AlphaValues,
    BondsMovingAverage,
    BondsResetOn,
    Consensus,
    Dividends,
    Emission,
    Incentive,
    Kappa,
    LastUpdate,
    LiquidAlphaOn,
    MaxAllowedValidators,
    PruningScores,
    Rank,
    Rho,
    ScalingLawPower,
    Trust,
    ValidatorPermit,
    Yuma3On,
)
from pysubtensor.pallets.subtensor.hierarchy.storage import IdentitiesV2, MinChildkeyTake
from pysubtensor.pallets.subtensor.neurons.storage import (
    AdjustmentAlpha,
    AdjustmentInterval,
    BlockAtRegistration,
    Burn,
    Difficulty,
    ImmunityPeriod,
    Keys,
    MaxAllowedUids,
    MaxBurn,
    MaxDifficulty,
    MaxRegistrationsPerBlock,
    MinBurn,
    MinDifficulty,
    SubnetworkN,
    TargetRegistrationsPerInterval,
)
from pysubtensor.pallets.subtensor.rpc_info import (
    DynamicInfo,
    HyperparamEntry,
    Metagraph,
    SelectiveMetagraph,
    SubnetHyperparams,
    SubnetHyperparamsV2,
    SubnetInfo,
    SubnetInfov2,
    SubnetState,
)
from pysubtensor.pallets.subtensor.serving.storage import ServingRateLimit
from pysubtensor.pallets.subtensor.staking.stake_weights import (
    stake_weights_for_hotkey,
    stake_weights_for_network,
    to_u64,
)
from pysubtensor.pallets.subtensor.staking.storage import AutoStakeDestination, Owner
from pysubtensor.pallets.subtensor.storage_beyond_381 import BurnHalfLife, BurnIncreaseMult
from pysubtensor.pallets.subtensor.subnets.logic import get_network_to_prune
from pysubtensor.pallets.subtensor.subnets.names import default_subnet_name
from pysubtensor.pallets.subtensor.subnets.storage import (
    MechanismCountCurrent,
    NetworkPowRegistrationAllowed,
    NetworkRegisteredAt,
    NetworkRegistrationAllowed,
    SubnetIdentitiesV3,
    SubnetOwner,
    SubnetOwnerHotkey,
    SubtokenEnabled,
    Tempo,
    TokenSymbol,
    TransferToggle,
)
from pysubtensor.pallets.subtensor.types import MECH_ID, NETUID
from pysubtensor.pallets.subtensor.weights.storage import (
    CommitRevealWeightsEnabled,
    MinAllowedWeights,
    RevealPeriodEpochs,
    StakeThreshold,
    WeightsSetRateLimit,
    WeightsVersionKey,
)
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.scale import U16, U64, Option, Some, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = ["GLOBAL_MAX_SUBNET_COUNT", "SubnetInfoRuntimeApi", "subnet_name"]

SubnetInfoRuntimeApi = RuntimeApi("SubnetInfoRuntimeApi", 1, ())

#: Mechanism storage index = mecid * GLOBAL_MAX_SUBNET_COUNT + netuid (Rust `subnets/mechanism.rs`).
GLOBAL_MAX_SUBNET_COUNT = 4096


def subnet_name(netuid: int) -> bytes:
    """`get_name_for_subnet`: the identity's non-empty name, else the default name of the netuid."""
    identity = SubnetIdentitiesV3.get(netuid)
    if identity is not None and identity.subnet_name:
        return identity.subnet_name
    return default_subnet_name(netuid)


def _current_block() -> int:
    return system.block_number()


def _mechanism_index(netuid: int, mecid: int) -> int:
    """`get_mechanism_storage_index` (u16 saturating)."""
    return min(mecid * GLOBAL_MAX_SUBNET_COUNT + netuid, U16_MAX)


# ---------------------------------------------------------------------------
# Subnet info and hyperparameters


def _subnet_info_fields(netuid: int) -> dict[str, Any]:
    return dict(
        netuid=netuid, rho=Rho.get(netuid), kappa=Kappa.get(netuid), difficulty=Difficulty.get(netuid),
        immunity_period=ImmunityPeriod.get(netuid), max_allowed_validators=MaxAllowedValidators.get(netuid),
        min_allowed_weights=MinAllowedWeights.get(netuid), max_weights_limit=U16_MAX,
        scaling_law_power=ScalingLawPower.get(netuid), subnetwork_n=SubnetworkN.get(netuid),
        max_allowed_uids=MaxAllowedUids.get(netuid), blocks_since_last_step=BlocksSinceLastStep.get(netuid),
        tempo=Tempo.get(netuid), network_modality=0, network_connect=[], burn=Burn.get(netuid),
        owner=SubnetOwner.get(netuid))


@SubnetInfoRuntimeApi.method("get_subnet_info", (("netuid", NETUID),), Option(SubnetInfo.SCALE))
def get_subnet_info(netuid: int) -> SubnetInfo | None:
    if not if_subnet_exist(netuid):
        return None
    return SubnetInfo(**_subnet_info_fields(netuid), emission_values=0)


@SubnetInfoRuntimeApi.method("get_subnets_info", (), Vec(Option(SubnetInfo.SCALE)))
def get_subnets_info() -> list[SubnetInfo | None]:
    return [get_subnet_info(netuid) for netuid in added_netuids()]


@SubnetInfoRuntimeApi.method("get_subnet_info_v2", (("netuid", NETUID),), Option(SubnetInfov2.SCALE))
def get_subnet_info_v2(netuid: int) -> SubnetInfov2 | None:
    if not if_subnet_exist(netuid):
        return None
    return SubnetInfov2(**_subnet_info_fields(netuid), emission_value=0, identity=SubnetIdentitiesV3.get(netuid))


@SubnetInfoRuntimeApi.method("get_subnets_info_v2", (), Vec(Option(SubnetInfov2.SCALE)))
def get_subnets_info_v2() -> list[SubnetInfov2 | None]:
    return [get_subnet_info_v2(netuid) for netuid in added_netuids()]


def _hyperparams(netuid: int) -> dict[str, Any]:
    alpha_low, alpha_high = AlphaValues.get(netuid)
    return dict(
        rho=Rho.get(netuid), kappa=Kappa.get(netuid), immunity_period=ImmunityPeriod.get(netuid),
        min_allowed_weights=MinAllowedWeights.get(netuid), max_weights_limit=U16_MAX, tempo=Tempo.get(netuid),
        min_difficulty=MinDifficulty.get(netuid), max_difficulty=MaxDifficulty.get(netuid),
        weights_version=WeightsVersionKey.get(netuid), weights_rate_limit=WeightsSetRateLimit.get(netuid),
        adjustment_interval=AdjustmentInterval.get(netuid), activity_cutoff=ActivityCutoff.get(netuid),
        registration_allowed=NetworkRegistrationAllowed.get(netuid),
        target_regs_per_interval=TargetRegistrationsPerInterval.get(netuid), min_burn=MinBurn.get(netuid),
        max_burn=MaxBurn.get(netuid), bonds_moving_avg=BondsMovingAverage.get(netuid),
        max_regs_per_block=MaxRegistrationsPerBlock.get(netuid), serving_rate_limit=ServingRateLimit.get(netuid),
        max_validators=MaxAllowedValidators.get(netuid), adjustment_alpha=AdjustmentAlpha.get(netuid),
        difficulty=Difficulty.get(netuid), commit_reveal_period=RevealPeriodEpochs.get(netuid),
        commit_reveal_weights_enabled=CommitRevealWeightsEnabled.get(netuid), alpha_high=alpha_high,
        alpha_low=alpha_low, liquid_alpha_enabled=LiquidAlphaOn.get(netuid))


@SubnetInfoRuntimeApi.method("get_subnet_hyperparams", (("netuid", NETUID),), Option(SubnetHyperparams.SCALE))
def get_subnet_hyperparams(netuid: int) -> SubnetHyperparams | None:
    if not if_subnet_exist(netuid):
        return None
    return SubnetHyperparams(**_hyperparams(netuid))


@SubnetInfoRuntimeApi.method("get_subnet_hyperparams_v2", (("netuid", NETUID),), Option(SubnetHyperparamsV2.SCALE))
def get_subnet_hyperparams_v2(netuid: int) -> SubnetHyperparamsV2 | None:
    if not if_subnet_exist(netuid):
        return None
    return SubnetHyperparamsV2(
        **_hyperparams(netuid),
        # `I32F32::saturating_from_num(i16)`: the integer in the upper 32 bits.
        alpha_sigmoid_steepness=AlphaSigmoidSteepness.get(netuid) << 32,
        yuma_version=3 if Yuma3On.get(netuid) else 2, subnet_is_active=SubtokenEnabled.get(netuid),
        transfers_enabled=TransferToggle.get(netuid), bonds_reset_enabled=BondsResetOn.get(netuid),
        user_liquidity_enabled=False)


# ---------------------------------------------------------------------------
# Dynamic info


def _pool(netuid: int) -> dict[str, Any]:
    """The pool and emission fields DynamicInfo and Metagraph share."""
    return dict(
        alpha_in=SubnetAlphaIn.get(netuid), alpha_out=SubnetAlphaOut.get(netuid), tao_in=SubnetTAO.get(netuid),
        alpha_out_emission=SubnetAlphaOutEmission.get(netuid), alpha_in_emission=SubnetAlphaInEmission.get(netuid),
        tao_in_emission=SubnetTaoInEmission.get(netuid),
        pending_alpha_emission=min(PendingValidatorEmission.get(netuid) + PendingServerEmission.get(netuid),
                                   (1 << 64) - 1),
        pending_root_emission=0, subnet_volume=SubnetVolume.get(netuid), moving_price=SubnetMovingPrice.get(netuid))


@SubnetInfoRuntimeApi.method("get_all_dynamic_info", (), Vec(Option(DynamicInfo.SCALE)))
def get_all_dynamic_info() -> list[DynamicInfo | None]:
    return [get_dynamic_info(netuid) for netuid in all_subnet_netuids()]


# ---------------------------------------------------------------------------
# Metagraph


def _uid_keys(netuid: int) -> list[bytes | None]:
    """`Keys` of uids 0..SubnetworkN, None where a uid has none."""
    return [Keys.try_get(netuid, uid) for uid in range(SubnetworkN.get(netuid))]


def _metagraph(netuid: int) -> Metagraph:
    """`get_metagraph` of an existing subnet."""
    keys = _uid_keys(netuid)
    hotkeys = [h if h is not None else bytes(32) for h in keys]  # `Keys::get`: the default account
    coldkeys = [Owner.get(h) for h in hotkeys]
    block = _current_block()
    last_step = LastMechansimStepBlock.get(netuid)
    total, alpha, tao = stake_weights_for_network(netuid, keys)
    alpha_low, alpha_high = AlphaValues.get(netuid)
    return Metagraph(
        netuid=netuid, name=list(subnet_name(netuid)), symbol=list(TokenSymbol.get(netuid)),
        identity=SubnetIdentitiesV3.get(netuid), network_registered_at=NetworkRegisteredAt.get(netuid),
        owner_hotkey=SubnetOwnerHotkey.get(netuid), owner_coldkey=SubnetOwner.get(netuid), block=block,
        tempo=Tempo.get(netuid), last_step=last_step, blocks_since_last_step=max(block - last_step, 0),
        subnet_emission=0, **_pool(netuid),
        rho=Rho.get(netuid), kappa=Kappa.get(netuid), min_allowed_weights=MinAllowedWeights.get(netuid),
        max_weights_limit=U16_MAX, weights_version=WeightsVersionKey.get(netuid),
        weights_rate_limit=WeightsSetRateLimit.get(netuid), activity_cutoff=ActivityCutoff.get(netuid),
        max_validators=MaxAllowedValidators.get(netuid), num_uids=len(keys), max_uids=MaxAllowedUids.get(netuid),
        burn=Burn.get(netuid), difficulty=Difficulty.get(netuid),
        registration_allowed=NetworkRegistrationAllowed.get(netuid),
        pow_registration_allowed=NetworkPowRegistrationAllowed.get(netuid),
        immunity_period=ImmunityPeriod.get(netuid), min_difficulty=MinDifficulty.get(netuid),
        max_difficulty=MaxDifficulty.get(netuid), min_burn=MinBurn.get(netuid), max_burn=MaxBurn.get(netuid),
        adjustment_alpha=AdjustmentAlpha.get(netuid), adjustment_interval=AdjustmentInterval.get(netuid),
        target_regs_per_interval=TargetRegistrationsPerInterval.get(netuid),
        max_regs_per_block=MaxRegistrationsPerBlock.get(netuid), serving_rate_limit=ServingRateLimit.get(netuid),
        commit_reveal_weights_enabled=CommitRevealWeightsEnabled.get(netuid),
        commit_reveal_period=RevealPeriodEpochs.get(netuid), liquid_alpha_enabled=LiquidAlphaOn.get(netuid),
        alpha_high=alpha_high, alpha_low=alpha_low, bonds_moving_avg=BondsMovingAverage.get(netuid),
        hotkeys=hotkeys, coldkeys=coldkeys, identities=[IdentitiesV2.get(c) for c in coldkeys],
        axons=[axon_info(netuid, h) for h in hotkeys], active=Active.get(netuid),
        validator_permit=ValidatorPermit.get(netuid), pruning_score=PruningScores.get(netuid),
        last_update=LastUpdate.get(netuid), emission=Emission.get(netuid), dividends=Dividends.get(netuid),
        incentives=Incentive.get(netuid), consensus=Consensus.get(netuid), trust=Trust.get(netuid),
        rank=Rank.get(netuid), block_at_registration=[BlockAtRegistration.get(netuid, uid) for uid in range(len(keys))],
        alpha_stake=[to_u64(x) for x in alpha], tao_stake=[to_u64(x) for x in tao],
        total_stake=[to_u64(x) for x in total],
        tao_dividends_per_hotkey=[(h, 0) for h in hotkeys],  # TAO dividends were removed
        alpha_dividends_per_hotkey=[(h, AlphaDividendsPerSubnet.get(netuid, h)) for h in hotkeys])


@SubnetInfoRuntimeApi.method("get_all_metagraphs", (), Vec(Option(Metagraph.SCALE)))
def get_all_metagraphs() -> list[Metagraph | None]:
    return [get_metagraph(netuid) for netuid in all_subnet_netuids()]


@SubnetInfoRuntimeApi.method("get_metagraph", (("netuid", NETUID),), Option(Metagraph.SCALE))
def get_metagraph(netuid: int) -> Metagraph | None:
    if not if_subnet_exist(netuid):
        return None
    return _metagraph(netuid)


@SubnetInfoRuntimeApi.method("get_all_mechagraphs", (), Vec(Option(Metagraph.SCALE)))
def get_all_mechagraphs() -> list[Metagraph | None]:
    return [get_mechagraph(netuid, mecid) for netuid in all_subnet_netuids()
            for mecid in range(MechanismCountCurrent.get(netuid))]


@SubnetInfoRuntimeApi.method("get_mechagraph", (("netuid", NETUID), ("mecid", MECH_ID)), Option(Metagraph.SCALE))
def get_mechagraph(netuid: int, mecid: int) -> Metagraph | None:
    """The subnet's metagraph with the mechanism's incentives and last updates, its `netuid`
    the mechanism's storage index; None unless the subnet has that mechanism."""
    if not if_subnet_exist(netuid) or MechanismCountCurrent.get(netuid) <= mecid:
        return None
    meta = _metagraph(netuid)
    index = _mechanism_index(netuid, mecid)
    meta.netuid = index
    meta.last_update = LastUpdate.get(index)
    meta.incentives = Incentive.get(index)
    return meta


@SubnetInfoRuntimeApi.method("get_dynamic_info", (("netuid", NETUID),), Option(DynamicInfo.SCALE))
def get_dynamic_info(netuid: int) -> DynamicInfo | None:
    if not if_subnet_exist(netuid):
        return None
    last_step = LastMechansimStepBlock.get(netuid)
    return DynamicInfo(
        netuid=netuid, owner_hotkey=SubnetOwnerHotkey.get(netuid), owner_coldkey=SubnetOwner.get(netuid),
        subnet_name=list(subnet_name(netuid)), token_symbol=list(TokenSymbol.get(netuid)), tempo=Tempo.get(netuid),
        last_step=last_step, blocks_since_last_step=max(_current_block() - last_step, 0), emission=0,
        **_pool(netuid), network_registered_at=NetworkRegisteredAt.get(netuid),
        subnet_identity=SubnetIdentitiesV3.get(netuid))


# ---------------------------------------------------------------------------
# Subnet state


@SubnetInfoRuntimeApi.method("get_subnet_state", (("netuid", NETUID),), Option(SubnetState.SCALE))
def get_subnet_state(netuid: int) -> SubnetState | None:
    if not if_subnet_exist(netuid):
        return None
    keys = _uid_keys(netuid)
    hotkeys = [h if h is not None else bytes(32) for h in keys]
    total, alpha, tao = stake_weights_for_network(netuid, keys)
    return SubnetState(
        netuid=netuid, hotkeys=hotkeys, coldkeys=[Owner.get(h) for h in hotkeys], active=Active.get(netuid),
        validator_permit=ValidatorPermit.get(netuid), pruning_score=PruningScores.get(netuid),
        last_update=LastUpdate.get(netuid), emission=Emission.get(netuid), dividends=Dividends.get(netuid),
        incentives=Incentive.get(netuid), consensus=Consensus.get(netuid), trust=Trust.get(netuid),
        rank=Rank.get(netuid), block_at_registration=[BlockAtRegistration.get(netuid, uid) for uid in range(len(keys))],
        alpha_stake=[to_u64(x) for x in alpha], tao_stake=[to_u64(x) for x in tao],
        total_stake=[to_u64(x) for x in total],
        # `get_emissions_history`: per subnet (every NetworksAdded key), each hotkey's last emission there.
        emission_history=[[LastHotkeyEmissionOnNetuid.get(h, n) for h in hotkeys] for n in all_subnet_netuids()])


# ---------------------------------------------------------------------------
# Selective metagraph


#: `SelectiveMetagraphIndex`: index i asks for the i-th field of SelectiveMetagraph (its
#: fields are in the Rust enum's order: 0 netuid … 71 the metagraph's fields, 72 validators,
#: 73 commitments); other indexes ask for nothing.
SELECTIVE_FIELDS: tuple[str, ...] = SelectiveMetagraph.__slots__


def _validators(netuid: int) -> list[int]:
    """Rust `get_validators`: uids with a validator permit whose total stake weight exceeds
    `StakeThreshold`, by ascending stake (ties in `Keys` storage order)."""
    permits = ValidatorPermit.get(netuid)
    staked = [(uid, stake_weights_for_hotkey(hotkey, netuid)[0]) for uid, hotkey in Keys.iter_prefix(netuid)
              if uid < len(permits) and permits[uid]]
    staked.sort(key=lambda entry: entry[1])  # stable, as Rust's sort_by
    threshold = StakeThreshold.get() << 64  # compared as I64F64
    return [uid for uid, stake in staked if stake > threshold]


def _selective(netuid: int, indexes: list[int], mechanism_index: int | None) -> SelectiveMetagraph:
    """The fields `indexes` ask for, each as the full metagraph has it (a mechanism's
    incentives and last updates when `mechanism_index` is given); `netuid` stays root unless
    index 0 is asked for, as Rust's `merge_value` leaves it."""
    result = SelectiveMetagraph(0, *([None] * (len(SELECTIVE_FIELDS) - 1)))
    meta: Metagraph | None = None
    for index in indexes:
        if index >= len(SELECTIVE_FIELDS):
            continue
        name = SELECTIVE_FIELDS[index]
        if name == "validators":
            value: Any = _validators(netuid)
        elif name == "commitments":
            value = []  # pallet_commitments is not in this runtime: nobody has committed
        elif mechanism_index is not None and name == "incentives":
            value = Incentive.get(mechanism_index)
        elif mechanism_index is not None and name == "last_update":
            value = LastUpdate.get(mechanism_index)
        else:
            if meta is None:
                meta = _metagraph(netuid)
            value = getattr(meta, name)
            if name == "identity":
                value = Some(value)  # `Some(SubnetIdentitiesV3::get(netuid))`, itself an option
        setattr(result, name, value)
    return result


@SubnetInfoRuntimeApi.method("get_selective_metagraph", (("netuid", NETUID), ("metagraph_indexes", Vec(U16))),
                             Option(SelectiveMetagraph.SCALE))
def get_selective_metagraph(netuid: int, metagraph_indexes: list[int]) -> SelectiveMetagraph | None:
    if not if_subnet_exist(netuid):
        return None
    return _selective(netuid, metagraph_indexes, None)


@SubnetInfoRuntimeApi.method("get_coldkey_auto_stake_hotkey", (("coldkey", ACCOUNT_ID), ("netuid", NETUID)),
                             Option(ACCOUNT_ID))
def get_coldkey_auto_stake_hotkey(coldkey: bytes, netuid: int) -> bytes | None:
    return AutoStakeDestination.get(coldkey, netuid)


@SubnetInfoRuntimeApi.method("get_selective_mechagraph",
                             (("netuid", NETUID), ("subid", MECH_ID), ("metagraph_indexes", Vec(U16))),
                             Option(SelectiveMetagraph.SCALE))
def get_selective_mechagraph(netuid: int, subid: int, metagraph_indexes: list[int]) -> SelectiveMetagraph | None:
    """As `get_selective_metagraph`, with mechanism `subid`'s incentives and last updates (the
    mechanism is not checked) and `netuid` always set."""
    if not if_subnet_exist(netuid):
        return None
    result = _selective(netuid, metagraph_indexes, _mechanism_index(netuid, subid))
    result.netuid = netuid
    return result


@SubnetInfoRuntimeApi.method("get_subnet_to_prune", (), Option(NETUID))
def get_subnet_to_prune() -> int | None:
    """Rust `get_network_to_prune` (pallets/subtensor/subnets/logic.py)."""
    return get_network_to_prune()


# ---------------------------------------------------------------------------
# Newer than spec 381 (after its methods here; main declares it after `_v2`): bittensor 11.3.0
# reads a subnet's hyperparameters only through this.

#: The v3 list's names and tags, in main's order (rpc_info/subnet_info.rs). Main also lists
#: `activity_cutoff_factor`, `owner_cut_enabled` and `owner_cut_auto_lock_enabled`, whose
#: storage and rules this runtime does not have: they are left out rather than made up
#: (clients look entries up by name). `activity_cutoff` is the `ActivityCutoff` blocks of
#: spec 381 (main derives it from its factor), `min_childkey_take` the global minimum (main
#: takes the larger of it and a per-subnet one this runtime lacks).
_V3 = (
    ("kappa", "U16"), ("immunity_period", "U16"), ("min_allowed_weights", "U16"), ("max_weights_limit", "U16"),
    ("tempo", "U16"), ("weights_version", "U64"), ("weights_rate_limit", "U64"), ("activity_cutoff", "U64"),
    ("registration_allowed", "Bool"), ("target_regs_per_interval", "U16"), ("min_burn", "TaoBalance"),
    ("max_burn", "TaoBalance"), ("burn_half_life", "U16"), ("burn_increase_mult", "U64F64"),
    ("bonds_moving_avg", "U64"), ("max_regs_per_block", "U16"), ("serving_rate_limit", "U64"),
    ("max_validators", "U16"), ("commit_reveal_period", "U64"), ("commit_reveal_weights_enabled", "Bool"),
    ("alpha_high", "U16"), ("alpha_low", "U16"), ("liquid_alpha_enabled", "Bool"),
    ("alpha_sigmoid_steepness", "I32F32"), ("yuma_version", "U16"), ("subnet_is_active", "Bool"),
    ("transfers_enabled", "Bool"), ("bonds_reset_enabled", "Bool"), ("user_liquidity_enabled", "Bool"),
    ("min_childkey_take", "U16"),
)


@SubnetInfoRuntimeApi.method("get_subnet_hyperparams_v3", (("netuid", NETUID),), Option(Vec(HyperparamEntry.SCALE)))
def get_subnet_hyperparams_v3(netuid: int) -> list[HyperparamEntry] | None:
    if not if_subnet_exist(netuid):
        return None
    v2 = get_subnet_hyperparams_v2(netuid)
    values = {name: getattr(v2, name) for name, _ in _V3 if hasattr(v2, name)}
    values.update(burn_half_life=BurnHalfLife.get(netuid), burn_increase_mult=BurnIncreaseMult.get(netuid),
                  min_childkey_take=MinChildkeyTake.get())
    return [HyperparamEntry(name.encode(), (tag, values[name])) for name, tag in _V3]


@SubnetInfoRuntimeApi.method("get_next_epoch_start_block", (("netuid", NETUID),), Option(U64))
def get_next_epoch_start_block(netuid: int) -> int | None:
    """`LastEpochBlock + tempo`, or an owner's pending trigger when earlier; None when the tempo
    is 0 (main's method on main's stateful schedule, coinbase/schedule.py; bittensor 11.3.0
    reads the epoch schedule only through it). As main's, it ignores the per-block cap's
    deferral (a deferred epoch reads as already past) and does not check that the subnet
    exists (an unknown netuid has the default tempo)."""
    return next_epoch_start_block(netuid)
