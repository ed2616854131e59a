"""What the runtime-API structs share: their field annotations, named as metadata shows them
(the structs are generic over `AccountId`; `NetUid`, `AlphaBalance`, `TaoBalance` are u16 / u64
newtypes that scale-info describes as the bare integer), and the storage value types they embed
(`AxonInfo`, `PrometheusInfo`, `SubnetIdentityV3`, `ChainIdentityV2`, paths `pallet_subtensor::pallet::…`).

The storage value types are declared once, in pallets/subtensor/types.py, and re-exported
here for the structs.
"""

from __future__ import annotations

from typing import Annotated, Any

from pysubtensor.pallets.subtensor.types import AxonInfo, ChainIdentityV2, PrometheusInfo, SubnetIdentityV3
from pysubtensor.pallets.support.types import (
    Scale,
    TypeName,
    resolve,
    scale_type,
)
from pysubtensor.primitives import fixed
from pysubtensor.primitives.scale import U8, U16, U64, U128, Array, Compact, Option, Tuple
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "ACCOUNT_PARAM",
    "I32F32",
    "I96F32",
    "Account",
    "AxonInfo",
    "ChainIdentityOfV2",
    "ChainIdentityV2",
    "CompactAlpha",
    "CompactNetUid",
    "CompactTao",
    "CompactU8",
    "CompactU16",
    "CompactU64",
    "CompactU128",
    "PrometheusInfo",
    "SubnetIdentityV3",
    "array_of",
    "option",
    "tuple_of",
]

#: The structs' type parameter `AccountId` (AccountId32 in the runtime), and a field of that type.
ACCOUNT_PARAM = (("AccountId", ACCOUNT_ID),)
Account = scale_type(ACCOUNT_ID, bytes, "AccountId")
CompactU8 = scale_type(Compact(U8), int, "Compact<u8>")
CompactU16 = scale_type(Compact(U16), int, "Compact<u16>")
CompactU64 = scale_type(Compact(U64), int, "Compact<u64>")
CompactU128 = scale_type(Compact(U128), int, "Compact<u128>")
CompactNetUid = scale_type(Compact(U16), int, "Compact<NetUid>")
CompactAlpha = scale_type(Compact(U64), int, "Compact<AlphaBalance>")
CompactTao = scale_type(Compact(U64), int, "Compact<TaoBalance>")
#: Fixed-point fields; the value is the raw bits (primitives.fixed).
I96F32 = scale_type(fixed.I96F32, int, "I96F32")
I32F32 = scale_type(fixed.I32F32, int, "I32F32")


def tuple_of(*items: Any) -> Any:
    """`(A, B, …)` of annotations, named as Rust prints it: `(AccountId, Compact<u64>)`."""
    resolved = [resolve(item, "tuple item") for item in items]
    return Annotated[tuple, Scale(Tuple(*(c for c, _, _ in resolved)), "(" + ", ".join(n or "" for _, n, _ in resolved) + ")")]


def array_of(item: Any, length: int) -> Any:
    """`[T; N]` of an annotation."""
    codec, name, _ = resolve(item, "array item")
    return Annotated[tuple, Scale(Array(codec, length), f"[{name}; {length}]")]


def option(item: Any) -> Any:
    """`Option<T>` of an annotation; unlike `T | None` it nests (`Option<Option<T>>`)."""
    codec, name, _ = resolve(item, "option item")
    return Annotated[Any, Scale(Option(codec), f"Option<{name}>")]


#: The name `Metagraph.identities` gives it (`ChainIdentityOf` is the storage's alias).
ChainIdentityOfV2 = Annotated[ChainIdentityV2, TypeName("ChainIdentityOfV2")]
