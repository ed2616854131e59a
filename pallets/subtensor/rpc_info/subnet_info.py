"""`get_subnet_info(_v2)` and `get_subnet_hyperparams(_v2)`: a subnet's parameters (the
older shapes, kept for older clients); main's `get_subnet_hyperparams_v3` entries (newer than
spec 381): a list of named, tagged values."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.rpc_info.common import (
    ACCOUNT_PARAM,
    I32F32,
    Account,
    CompactNetUid,
    CompactTao,
    CompactU16,
    CompactU64,
    SubnetIdentityV3,
    array_of,
)
from pysubtensor.pallets.support.types import Bool, VecU8, scale_type, u16, value_type
from pysubtensor.primitives import fixed
from pysubtensor.primitives.scale import BOOL, U16, U32, U64, U128, Compact, Enum, Field, Variant

__all__ = ["HYPERPARAM_VALUE", "HyperparamEntry", "SubnetHyperparams", "SubnetHyperparamsV2", "SubnetInfo",
           "SubnetInfov2"]

#: `network_connect` entries (always empty on chain).
NetworkConnect = array_of(u16, 2)


@value_type("pallet_subtensor", "rpc_info", "subnet_info", "SubnetInfo", params=ACCOUNT_PARAM)
class SubnetInfo:
    """A subnet's parameters (`get_subnet_info`)."""

    netuid: CompactNetUid
    rho: CompactU16
    kappa: CompactU16
    difficulty: CompactU64
    immunity_period: CompactU16
    max_allowed_validators: CompactU16
    min_allowed_weights: CompactU16
    max_weights_limit: CompactU16
    scaling_law_power: CompactU16
    subnetwork_n: CompactU16
    max_allowed_uids: CompactU16
    blocks_since_last_step: CompactU64
    tempo: CompactU16
    network_modality: CompactU16
    network_connect: list[NetworkConnect]
    emission_values: CompactU64
    burn: CompactTao
    owner: Account


@value_type("pallet_subtensor", "rpc_info", "subnet_info", "SubnetInfov2", params=ACCOUNT_PARAM)
class SubnetInfov2:
    """SubnetInfo with `emission_value` and the subnet identity (`get_subnet_info_v2`)."""

    netuid: CompactNetUid
    rho: CompactU16
    kappa: CompactU16
    difficulty: CompactU64
    immunity_period: CompactU16
    max_allowed_validators: CompactU16
    min_allowed_weights: CompactU16
    max_weights_limit: CompactU16
    scaling_law_power: CompactU16
    subnetwork_n: CompactU16
    max_allowed_uids: CompactU16
    blocks_since_last_step: CompactU64
    tempo: CompactU16
    network_modality: CompactU16
    network_connect: list[NetworkConnect]
    emission_value: CompactU64
    burn: CompactTao
    owner: Account
    identity: SubnetIdentityV3 | None


@value_type("pallet_subtensor", "rpc_info", "subnet_info", "SubnetHyperparams")
class SubnetHyperparams:
    """A subnet's hyperparameters (`get_subnet_hyperparams`, deprecated)."""

    rho: CompactU16
    kappa: CompactU16
    immunity_period: CompactU16
    min_allowed_weights: CompactU16
    max_weights_limit: CompactU16
    tempo: CompactU16
    min_difficulty: CompactU64
    max_difficulty: CompactU64
    weights_version: CompactU64
    weights_rate_limit: CompactU64
    adjustment_interval: CompactU16
    activity_cutoff: CompactU16
    registration_allowed: Bool
    target_regs_per_interval: CompactU16
    min_burn: CompactTao
    max_burn: CompactTao
    bonds_moving_avg: CompactU64
    max_regs_per_block: CompactU16
    serving_rate_limit: CompactU64
    max_validators: CompactU16
    adjustment_alpha: CompactU64
    difficulty: CompactU64
    commit_reveal_period: CompactU64
    commit_reveal_weights_enabled: Bool
    alpha_high: CompactU16
    alpha_low: CompactU16
    liquid_alpha_enabled: Bool


@value_type("pallet_subtensor", "rpc_info", "subnet_info", "SubnetHyperparamsV2")
class SubnetHyperparamsV2:
    """SubnetHyperparams and the newer switches (`get_subnet_hyperparams_v2`)."""

    rho: CompactU16
    kappa: CompactU16
    immunity_period: CompactU16
    min_allowed_weights: CompactU16
    max_weights_limit: CompactU16
    tempo: CompactU16
    min_difficulty: CompactU64
    max_difficulty: CompactU64
    weights_version: CompactU64
    weights_rate_limit: CompactU64
    adjustment_interval: CompactU16
    activity_cutoff: CompactU16
    registration_allowed: Bool
    target_regs_per_interval: CompactU16
    min_burn: CompactTao
    max_burn: CompactTao
    bonds_moving_avg: CompactU64
    max_regs_per_block: CompactU16
    serving_rate_limit: CompactU64
    max_validators: CompactU16
    adjustment_alpha: CompactU64
    difficulty: CompactU64
    commit_reveal_period: CompactU64
    commit_reveal_weights_enabled: Bool
    alpha_high: CompactU16
    alpha_low: CompactU16
    liquid_alpha_enabled: Bool
    alpha_sigmoid_steepness: I32F32
    yuma_version: CompactU16
    subnet_is_active: Bool
    transfers_enabled: Bool
    bonds_reset_enabled: Bool
    user_liquidity_enabled: Bool


#: main's `HyperparamValue`: a hyperparameter's value tagged by its type. Python values:
#: `(tag, payload)`, e.g. `("U16", 360)`, `("U64F64", bits)`.
HYPERPARAM_VALUE = Enum(("pallet_subtensor", "rpc_info", "subnet_info", "HyperparamValue"), (
    Variant("Bool", 0, (Field(None, BOOL, "bool"),)),
    Variant("U16", 1, (Field(None, Compact(U16), "Compact<u16>"),)),
    Variant("U32", 2, (Field(None, Compact(U32), "Compact<u32>"),)),
    Variant("U64", 3, (Field(None, Compact(U64), "Compact<u64>"),)),
    Variant("U128", 4, (Field(None, Compact(U128), "Compact<u128>"),)),
    Variant("TaoBalance", 5, (Field(None, Compact(U64), "Compact<TaoBalance>"),)),
    Variant("I32F32", 6, (Field(None, fixed.I32F32, "I32F32"),)),
    Variant("U64F64", 7, (Field(None, fixed.U64F64, "U64F64"),)),
))
HyperparamValue = scale_type(HYPERPARAM_VALUE, tuple, "HyperparamValue")


@value_type("pallet_subtensor", "rpc_info", "subnet_info", "HyperparamEntry")
class HyperparamEntry:
    """One named hyperparameter (`name`: the ASCII field name of SubnetHyperparamsV2) and its
    tagged value; `get_subnet_hyperparams_v3` returns a list of them."""

    name: VecU8
    value: HyperparamValue
