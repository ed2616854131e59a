"""TransactionPayment's types with the real metadata's paths and field type names:
`FixedU128` (the fee multiplier), `Releases` (storage version), and what the
`TransactionPaymentApi` / `TransactionPaymentCallApi` runtime APIs return.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import DISPATCH_CLASS, WEIGHT, DispatchClass, Weight
from pysubtensor.primitives.scale import U128, Field, NameEnum, Option, Struct
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import BALANCE

__all__ = [
    "FEE_DETAILS",
    "FIXED_U128",
    "INCLUSION_FEE",
    "MULTIPLIER_ONE",
    "RELEASES",
    "RUNTIME_DISPATCH_INFO",
    "FeeDetails",
    "InclusionFee",
    "RuntimeDispatchInfo",
]

#: `sp_arithmetic::fixed_point::FixedU128`: Python value is the raw u128 (`value * 10**18`).
FIXED_U128 = Struct(("sp_arithmetic", "fixed_point", "FixedU128"), (Field(None, U128, "u128"),))
#: `Multiplier::one()`.
MULTIPLIER_ONE = 10**18

#: `pallet_transaction_payment::Releases`: V1Ancient (default) and V2 (written at genesis).
RELEASES = NameEnum(("pallet_transaction_payment", "Releases"), ("V1Ancient", "V2"))


@slots_dataclass(frozen=True)
class InclusionFee:
    """The fee a transaction pays to be included, before any tip."""

    base_fee: int
    len_fee: int
    adjusted_weight_fee: int

    def inclusion_fee(self) -> int:
        return min(self.base_fee + self.len_fee + self.adjusted_weight_fee, (1 << 64) - 1)


@slots_dataclass(frozen=True)
class FeeDetails:
    """`inclusion_fee` is None for calls that do not pay (`Pays::No`, bare extrinsics)."""

    inclusion_fee: InclusionFee | None
    tip: int

    def final_fee(self) -> int:
        base = self.inclusion_fee.inclusion_fee() if self.inclusion_fee is not None else 0
        return min(base + self.tip, (1 << 64) - 1)


@slots_dataclass(frozen=True)
class RuntimeDispatchInfo:
    """What `TransactionPaymentApi.query_info` returns."""

    weight: Weight
    dispatch_class: str = DispatchClass.NORMAL
    partial_fee: int = 0


INCLUSION_FEE = Struct(
    ("pallet_transaction_payment", "types", "InclusionFee"),
    (
        Field("base_fee", BALANCE, "Balance"),
        Field("len_fee", BALANCE, "Balance"),
        Field("adjusted_weight_fee", BALANCE, "Balance"),
    ),
    cls=InclusionFee,
    params=(("Balance", BALANCE),),
)

FEE_DETAILS = Struct(
    ("pallet_transaction_payment", "types", "FeeDetails"),
    (
        Field("inclusion_fee", Option(INCLUSION_FEE), "Option<InclusionFee<Balance>>"),
        Field("tip", BALANCE, "Balance"),
    ),
    cls=FeeDetails,
    params=(("Balance", BALANCE),),
)

RUNTIME_DISPATCH_INFO = Struct(
    ("pallet_transaction_payment", "types", "RuntimeDispatchInfo"),
    (
        Field("weight", WEIGHT, "Weight"),
        Field("class", DISPATCH_CLASS, "DispatchClass"),
        Field("partial_fee", BALANCE, "Balance"),
    ),
    cls=RuntimeDispatchInfo,
    params=(("Balance", BALANCE), ("Weight", WEIGHT)),
)
