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
from pysubtensor.primitives.metadata.common import NameEnum
from pysubtensor.primitives.scale import (
    I128,
    U8,
    U16,
    U64,
    U128,
    BTreeSet,
    Codec,
    Enum,
    Field,
    Int,
    ScaleEncodeError,
    Struct,
    Variant,
)
from pysubtensor.primitives.types import ACCOUNT_ID, BLOCK_NUMBER, PERCENT

__all__ = [
    "ALPHA_BALANCE",
    "HYPERPARAMETER",
    "I64F64",
    "I96F32",
    "MECH_ID",
    "NETUID",
    "NETUID_STORAGE_INDEX",
    "RATE_LIMIT_KEY",
    "RECYCLE_OR_BURN",
    "ROOT_CLAIM_TYPE",
    "SUBNET_LEASE",
    "TAO_BALANCE",
    "U64F64",
    "U96F32",
    "AlphaBalance",
    "AxonInfo",
    "ChainIdentityV2",
    "FixedPoint",
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
# substrate_fixed's fixed-point numbers. scale-info describes `FixedU128<Frac>` as a struct
# of its `bits` with the fraction width a typenum type parameter: `U64` is built, as typenum
# does, from bits, most significant first (`UInt<UInt<…UInt<UTerm, B1>…, B0>, B0>`).

_TYPENUM = ("substrate_typenum",)
_UTERM = Struct((*_TYPENUM, "uint", "UTerm"), ())
_B0 = Struct((*_TYPENUM, "bit", "B0"), ())
_B1 = Struct((*_TYPENUM, "bit", "B1"), ())


def _typenum(n: int) -> Codec:
    """typenum's unsigned integer `n` (n > 0) as scale-info describes it."""
    out: Codec = _UTERM
    for bit in bin(n)[2:]:
        b = _B1 if bit == "1" else _B0
        out = Struct((*_TYPENUM, "uint", "UInt"), (Field("msb", out, "U"), Field("lsb", b, "B")),
                     params=(("U", out), ("B", b)))
    return out


class FixedPoint(Codec):
    """`FixedI128<Frac>` / `FixedU128<Frac>`: a 128-bit number with `frac` fractional bits.
    Python value: its raw bits, an int (the number is `bits / 2**frac`)."""

    __slots__ = ("bits", "frac")

    def __init__(self, signed: bool, frac: int) -> None:
        super().__init__(path=("substrate_fixed", "FixedI128" if signed else "FixedU128"),
                         params=(("Frac", _typenum(frac)),))
        self.bits: Int = I128 if signed else U128
        self.frac = frac

    def encode_into(self, value: object, out: bytearray) -> None:
        try:
            self.bits.encode_into(value, out)
        except ScaleEncodeError as e:
            raise ScaleEncodeError(f"{self.display_name}: {e}") from None

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[int, int]:
        return self.bits.decode(data, offset)

    def type_def(self) -> tuple:
        return ("composite", (Field("bits", self.bits, "i128" if self.bits.signed else "u128"),))


U64F64 = FixedPoint(False, 64)
I64F64 = FixedPoint(True, 64)
U96F32 = FixedPoint(False, 32)
I96F32 = FixedPoint(True, 32)

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
