"""SubtensorModule's value types, each declared once: the codecs of its storage keys and
values and the structs and enums they hold, with the scale-info paths and field type names
the real metadata shows (spec 381).

Newtypes over integers (`NetUid`, `TaoBalance`, …) are transparent in scale-info: metadata
shows the integer, so their codecs are the integer's; the names say what the number is.
Each comes as a codec (`NETUID`, for storage declarations) and as an annotation (`NetUid`,
for struct and event fields, carrying the Rust type name fields show).
"""

from __future__ import annotations

from typing import Annotated

from pysubtensor.pallets.support.types import (
    AccountId,
    Scale,
    TypeName,
    VecU8,
    bounded_vec,
    scale_type,
    u8,
    u16,
    u32,
    u64,
    u128,
    value_type,
)
from pysubtensor.primitives import fixed
from pysubtensor.primitives.scale import (
    U8,
    U16,
    U64,
    BTreeSet,
    Enum,
    Field,
    NameEnum,
    Variant,
)
from pysubtensor.primitives.types import ACCOUNT_ID, BLOCK_NUMBER, PERCENT

__all__ = [
    "ALPHA_BALANCE",
    "EPOCH_CONSENSUS",
    "HYPERPARAMETER",
    "LOCK_STATE",
    "MECH_ID",
    "NETUID",
    "NETUID_STORAGE_INDEX",
    "RATE_LIMIT_KEY",
    "RECYCLE_OR_BURN",
    "ROOT_CLAIM_TYPE",
    "SUBNET_LEASE",
    "TAO_BALANCE",
    "AlphaBalance",
    "AxonInfo",
    "ChainIdentityV2",
    "LockState",
    "MechId",
    "NetUid",
    "NetUidStorageIndex",
    "NeuronCertificate",
    "PrometheusInfo",
    "SubnetIdentityV3",
    "SubnetLease",
    "TaoBalance",
]

# ---------------------------------------------------------------------------
# Transparent newtypes of subtensor_runtime_common.

#: `NetUid`: a subnet's id (u16).
NETUID = U16
#: `MechId`: a mechanism's index within a subnet (u8).
MECH_ID = U8
#: `NetUidStorageIndex`: `netuid + mecid * 4096` (u16), the key of per-mechanism maps.
NETUID_STORAGE_INDEX = U16
#: `TaoBalance`: rao (u64).
TAO_BALANCE = U64
#: `AlphaBalance`: a subnet token amount in its smallest unit (u64).
ALPHA_BALANCE = U64

NetUid = scale_type(NETUID, int, "NetUid")
MechId = scale_type(MECH_ID, int, "MechId")
NetUidStorageIndex = scale_type(NETUID_STORAGE_INDEX, int, "NetUidStorageIndex")
TaoBalance = scale_type(TAO_BALANCE, int, "TaoBalance")
AlphaBalance = scale_type(ALPHA_BALANCE, int, "AlphaBalance")

# ---------------------------------------------------------------------------
# Structs stored in SubtensorModule.


@value_type("pallet_subtensor", "pallet", "AxonInfo")
class AxonInfo:
    """Where a neuron's axon serves (`Axons`)."""

    block: u64
    version: u32
    ip: u128
    port: u16
    ip_type: u8
    protocol: u8
    placeholder1: u8
    placeholder2: u8


@value_type("pallet_subtensor", "pallet", "PrometheusInfo")
class PrometheusInfo:
    """Where a neuron's prometheus endpoint serves (`Prometheus`)."""

    block: u64
    version: u32
    ip: u128
    port: u16
    ip_type: u8


@value_type("pallet_subtensor", "pallet", "NeuronCertificate")
class NeuronCertificate:
    """A neuron's TLS certificate key (`NeuronCertificates`, served with `serve_axon_tls`)."""

    public_key: Annotated[bytes, Scale(bounded_vec(U8), "BoundedVec<u8, ConstU32<64>>")]
    algorithm: u8


@value_type("pallet_subtensor", "pallet", "ChainIdentityV2")
class ChainIdentityV2:
    """A coldkey's identity (`IdentitiesV2`)."""

    name: VecU8
    url: VecU8
    github_repo: VecU8
    image: VecU8
    discord: VecU8
    description: VecU8
    additional: VecU8


@value_type("pallet_subtensor", "pallet", "SubnetIdentityV3")
class SubnetIdentityV3:
    """A subnet's identity (`SubnetIdentitiesV3`)."""

    subnet_name: VecU8
    github_repo: VecU8
    subnet_contact: VecU8
    subnet_url: VecU8
    discord: VecU8
    description: VecU8
    logo_url: VecU8
    additional: VecU8


_LeaseAccount = Annotated[AccountId, TypeName("AccountId")]


@value_type("pallet_subtensor", "subnets", "leasing", "SubnetLease",
            params=(("AccountId", ACCOUNT_ID), ("BlockNumber", BLOCK_NUMBER), ("Balance", TAO_BALANCE)))
class SubnetLease:
    """A subnet leased to a beneficiary (`SubnetLeases`): who holds it, the share of its
    emissions paid to the contributors and until when."""

    beneficiary: _LeaseAccount
    coldkey: _LeaseAccount
    hotkey: _LeaseAccount
    emissions_share: Annotated[int, Scale(PERCENT, "Percent")]
    end_block: Annotated[u32 | None, TypeName("Option<BlockNumber>")]
    netuid: NetUid
    cost: Annotated[int, Scale(TAO_BALANCE, "Balance")]


SUBNET_LEASE = SubnetLease.SCALE

# ---------------------------------------------------------------------------
# Enums stored in SubtensorModule.

#: `RecycleOrBurnEnum`: what happens to a subnet's registration cost.
RECYCLE_OR_BURN = NameEnum(("pallet_subtensor", "pallet", "RecycleOrBurnEnum"), ("Burn", "Recycle"))

#: `EpochConsensus` (newer than spec 381): which epoch a subnet runs; `Yuma` is this runtime's.
EPOCH_CONSENSUS = NameEnum(("pallet_subtensor", "subnets", "mechanism", "EpochConsensus"), ("Yuma", "Null"))

#: `RootClaimTypeEnum`: how a coldkey takes its root dividends. Python values: "Swap", "Keep",
#: `("KeepSubnets", {"subnets": frozenset of netuids})`.
ROOT_CLAIM_TYPE = Enum(("pallet_subtensor", "pallet", "RootClaimTypeEnum"), (
    Variant("Swap", 0),
    Variant("Keep", 1),
    Variant("KeepSubnets", 2, (Field("subnets", BTreeSet(NETUID), "BTreeSet<NetUid>"),)),
))

#: `utils::rate_limiting::Hyperparameter`: which owner-settable hyperparameter a rate limit counts.
HYPERPARAMETER = NameEnum(("pallet_subtensor", "utils", "rate_limiting", "Hyperparameter"), (
    "Unknown", "ServingRateLimit", "MaxDifficulty", "AdjustmentAlpha", "MaxWeightLimit", "ImmunityPeriod",
    "MinAllowedWeights", "Kappa", "Rho", "ActivityCutoff", "PowRegistrationAllowed", "MinBurn", "MaxBurn",
    "BondsMovingAverage", "BondsPenalty", "CommitRevealEnabled", "LiquidAlphaEnabled", "AlphaValues",
    "WeightCommitInterval", "TransferEnabled", "AlphaSigmoidSteepness", "Yuma3Enabled", "BondsResetEnabled",
    "ImmuneNeuronLimit", "RecycleOrBurn", "MaxAllowedUids",
    # main's next ones (26..31), newer than spec 381: the burn rule's setters and `trigger_epoch`
    # are rate-limited by theirs (28..30 name setters not built here)
    "BurnHalfLife", "BurnIncreaseMult", "SubnetEmissionEnabled", "MinChildkeyTake", "ActivityCutoffFactorMilli",
    "TriggerEpoch",
))

#: `RateLimitKey<AccountId>`: the key of `LastRateLimitedBlock`. Python values: a variant name,
#: or `(name, payload)` (e.g. `("OwnerHyperparamUpdate", (netuid, "Kappa"))`).
RATE_LIMIT_KEY = Enum(("pallet_subtensor", "RateLimitKey"), (
    Variant("SetSNOwnerHotkey", 0, (Field(None, NETUID, "NetUid"),)),
    Variant("OwnerHyperparamUpdate", 1, (Field(None, NETUID, "NetUid"), Field(None, HYPERPARAMETER, "Hyperparameter"))),
    Variant("NetworkLastRegistered", 2),
    Variant("LastTxBlock", 3, (Field(None, ACCOUNT_ID, "AccountId"),)),
    Variant("LastTxBlockChildKeyTake", 4, (Field(None, ACCOUNT_ID, "AccountId"),)),
    Variant("LastTxBlockDelegateTake", 5, (Field(None, ACCOUNT_ID, "AccountId"),)),
    Variant("AddStakeBurn", 6, (Field(None, NETUID, "NetUid"),)),
), params=(("AccountId", ACCOUNT_ID),))


# ---------------------------------------------------------------------------
# Newer than spec 381: subtensor main's stake locks (staking/lock.rs).


@value_type("pallet_subtensor", "staking", "lock", "LockState")
class LockState:
    """A coldkey's exponential lock on a subnet (main's `LockState`): `locked_mass` decays by
    `UnlockRate` unless perpetual, `conviction` (raw U64F64 bits) matures toward it by
    `MaturityRate`; both as of block `last_update`."""

    locked_mass: AlphaBalance
    conviction: Annotated[int, Scale(fixed.U64F64, "U64F64")]
    last_update: u64


LOCK_STATE = LockState.SCALE
