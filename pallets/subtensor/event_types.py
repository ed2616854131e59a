"""The types SubtensorModule's events carry (spec 381), each declared once: a codec with the
Rust type name metadata shows, or a value type at its real scale-info path.

`pallets/subtensor/types.py` declares the storage value types; where both need a type
(`NetUid`, `RootClaimTypeEnum`) the names and paths are the real ones, so the two merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pysubtensor.pallets.support.dispatch import DISPATCH_ERROR, DISPATCH_RESULT
from pysubtensor.pallets.support.types import TypeName, scale_type
from pysubtensor.primitives.scale import H256 as H256_CODEC
from pysubtensor.primitives.scale import (
    I16,
    U16,
    U32,
    U64,
    Codec,
    Compact,
    Enum,
    Field,
    FixedBytes,
    ScaleEncodeError,
    Tuple,
    Variant,
    Vec,
)
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "H160",
    "H256",
    "ROOT_CLAIM_TYPE_ENUM",
    "AlphaBalance",
    "BTreeSet",
    "BlockNumberFor",
    "CurrencyBalance",
    "DispatchError",
    "DispatchResult",
    "LeaseId",
    "NetUid",
    "NetUidStorageIndex",
    "RootClaimTypeEnum",
    "TaoBalance",
    "VecChildren",
    "VecCompactNetUid",
    "i16",
]

#: `subtensor_runtime_common::NetUid`: a transparent u16.
NetUid = scale_type(U16, int, "NetUid")
#: `NetUidStorageIndex`: a subnet's mechanism-qualified storage index, a transparent u16.
NetUidStorageIndex = scale_type(U16, int, "NetUidStorageIndex")
#: TAO and alpha amounts in rao: transparent u64s.
TaoBalance = scale_type(U64, int, "TaoBalance")
AlphaBalance = scale_type(U64, int, "AlphaBalance")
#: A subnet lease's id: a u32.
LeaseId = scale_type(U32, int, "LeaseId")
BlockNumberFor = scale_type(U32, int, "BlockNumberFor<T>")
i16 = scale_type(I16, int, "i16")
#: The coldkey-swap event's balance, named through the `Currency` associated type.
CurrencyBalance = Annotated[TaoBalance, TypeName(
    "<<T as Config>::Currency as fungible::Inspect<<T as frame_system::\nConfig>::AccountId,>>::Balance")]
H256 = scale_type(H256_CODEC, bytes, "H256")
#: `primitive_types::H160`: an EVM address, 20 bytes.
H160 = scale_type(FixedBytes(20, path=("primitive_types", "H160")), bytes, "H160")
#: `Result<(), DispatchError>`: `("Ok", ())` or `("Err", <DispatchError value>)`.
DispatchResult = scale_type(DISPATCH_RESULT, tuple, "DispatchResult")
DispatchError = scale_type(DISPATCH_ERROR, tuple, "sp_runtime::DispatchError")
#: A hotkey's children: (proportion, child hotkey) pairs.
VecChildren = scale_type(Vec(Tuple(U64, ACCOUNT_ID)), list, "Vec<(u64, T::AccountId)>")
VecCompactNetUid = scale_type(Vec(Compact(U16)), list, "Vec<Compact<NetUid>>")


class BTreeSet(Codec):
    """`BTreeSet<T>`: its items in ascending order without repeats, as a `Vec<T>` (scale-info
    shows a composite around the sequence). Python value: any iterable of items; decodes to
    a frozenset."""

    __slots__ = ("_items",)

    def __init__(self, item: Codec) -> None:
        super().__init__(path=("BTreeSet",), params=(("T", item),))
        self._items = Vec(item)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, Iterable) or isinstance(value, str | bytes | dict):
            raise ScaleEncodeError(f"BTreeSet: expected a set of items, got {type(value).__name__}")
        self._items.encode_into(sorted(set(value)), out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[frozenset, int]:
        items, end = self._items.decode(data, offset)
        return frozenset(items), end

    def type_def(self) -> tuple:
        return ("composite", (Field(None, self._items),))


#: `pallet_subtensor::pallet::RootClaimTypeEnum`: what a coldkey's root-network dividends
#: become when claimed. Python value: `"Swap"`, `"Keep"` or `("KeepSubnets", {"subnets": {1, 2}})`.
ROOT_CLAIM_TYPE_ENUM = Enum(
    ("pallet_subtensor", "pallet", "RootClaimTypeEnum"),
    (
        Variant("Swap", 0),
        Variant("Keep", 1),
        Variant("KeepSubnets", 2, (Field("subnets", BTreeSet(U16), "BTreeSet<NetUid>"),)),
    ),
)
RootClaimTypeEnum = scale_type(ROOT_CLAIM_TYPE_ENUM, Any, "RootClaimTypeEnum")
