"""The types SubtensorModule's events carry (spec 381), each declared once: a codec with the
Rust type name metadata shows, or a value type at its real scale-info path.

Types storage uses too (`NetUid`, the balances, `RootClaimTypeEnum`) are declared once, in
`pallets/subtensor/types.py`, and used from there.
"""

from __future__ import annotations

from typing import Annotated, Any

from pysubtensor.pallets.subtensor.types import (
    ROOT_CLAIM_TYPE,
    AlphaBalance,
    NetUid,
    NetUidStorageIndex,
    TaoBalance,
)
from pysubtensor.pallets.support.dispatch import DISPATCH_ERROR, DISPATCH_RESULT
from pysubtensor.pallets.support.types import TypeName, scale_type
from pysubtensor.primitives.scale import H160 as H160_CODEC
from pysubtensor.primitives.scale import H256 as H256_CODEC
from pysubtensor.primitives.scale import (
    I16,
    U16,
    U32,
    U64,
    Compact,
    Tuple,
    Vec,
)
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "H160",
    "H256",
    "ROOT_CLAIM_TYPE_ENUM",
    "AlphaBalance",
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

#: A subnet lease's id: a u32.
LeaseId = scale_type(U32, int, "LeaseId")
BlockNumberFor = scale_type(U32, int, "BlockNumberFor<T>")
i16 = scale_type(I16, int, "i16")
#: The coldkey-swap event's balance, named through the `Currency` associated type.
CurrencyBalance = Annotated[TaoBalance, TypeName(
    "<<T as Config>::Currency as fungible::Inspect<<T as frame_system::\nConfig>::AccountId,>>::Balance")]
H256 = scale_type(H256_CODEC, bytes, "H256")
#: `primitive_types::H160`: an EVM address, 20 bytes.
H160 = scale_type(H160_CODEC, bytes, "H160")
#: `Result<(), DispatchError>`: `("Ok", ())` or `("Err", <DispatchError value>)`.
DispatchResult = scale_type(DISPATCH_RESULT, tuple, "DispatchResult")
DispatchError = scale_type(DISPATCH_ERROR, tuple, "sp_runtime::DispatchError")
#: A hotkey's children: (proportion, child hotkey) pairs.
VecChildren = scale_type(Vec(Tuple(U64, ACCOUNT_ID)), list, "Vec<(u64, T::AccountId)>")
VecCompactNetUid = scale_type(Vec(Compact(U16)), list, "Vec<Compact<NetUid>>")


ROOT_CLAIM_TYPE_ENUM = ROOT_CLAIM_TYPE
RootClaimTypeEnum = scale_type(ROOT_CLAIM_TYPE_ENUM, Any, "RootClaimTypeEnum")
