"""The Commitments pallet's types (subtensor's pallets/commitments/src/types.rs).

`Data` has a hand-written SCALE codec in Rust that is exactly the enum its `TypeInfo`
describes: `Raw(bytes)` of n bytes is the variant `Raw{n}` at index n + 1 holding `[u8; n]`,
so one declared enum gives both the bytes and the metadata. Python values are the enum's
`(variant, payload)` pairs: `("Raw5", b"hello")`, `("Sha256", digest)`,
`("TimelockEncrypted", {"encrypted": ct, "reveal_round": r})`, `"ResetBondsFlag"`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pysubtensor.pallets.support.types import Scale, bounded, bounded_bytes, u64, value_type
from pysubtensor.primitives.scale import U32, U64, Enum, Field, FixedBytes, Variant

__all__ = [
    "DATA",
    "MAX_BIGRAW_COMMITMENT_SIZE_BYTES",
    "MAX_FIELDS",
    "MAX_TIMELOCK_COMMITMENT_SIZE_BYTES",
    "CommitmentInfo",
    "Registration",
    "UsageTracker",
    "is_timelock",
    "len_for_rate_limit",
    "raw",
]

MAX_TIMELOCK_COMMITMENT_SIZE_BYTES = 1024
MAX_BIGRAW_COMMITMENT_SIZE_BYTES = 512
#: `MaxFields` of the runtime (`MaxCommitFieldsInner`).
MAX_FIELDS = 3

_HASH = FixedBytes(32)

DATA = Enum(("pallet_commitments", "types", "Data"), (
    Variant("None", 0),
    *(Variant(f"Raw{n}", n + 1, (Field(None, FixedBytes(n)),)) for n in range(129)),
    Variant("BlakeTwo256", 130, (Field(None, _HASH),)),
    Variant("Sha256", 131, (Field(None, _HASH),)),
    Variant("Keccak256", 132, (Field(None, _HASH),)),
    Variant("ShaThree256", 133, (Field(None, _HASH),)),
    Variant("TimelockEncrypted", 134, (Field("encrypted", bounded_bytes(MAX_TIMELOCK_COMMITMENT_SIZE_BYTES)),
                                       Field("reveal_round", U64))),
    Variant("ResetBondsFlag", 135),
    Variant("BigRaw", 136, (Field(None, bounded_bytes(MAX_BIGRAW_COMMITMENT_SIZE_BYTES)),)),
))


def raw(data: bytes) -> tuple[str, bytes]:
    """`Data::Raw` of up to 128 bytes."""
    if len(data) > 128:
        raise ValueError(f"Data::Raw holds at most 128 bytes, got {len(data)}")
    return (f"Raw{len(data)}", bytes(data))


def _variant(data: Any) -> tuple[str, Any]:
    return (data, None) if isinstance(data, str) else data


def is_timelock(data: Any) -> bool:
    return _variant(data)[0] == "TimelockEncrypted"


def len_for_rate_limit(data: Any) -> int:
    """`Data::len_for_rate_limit`: the bytes a field counts against `MaxSpace`."""
    name, payload = _variant(data)
    if name in ("None", "ResetBondsFlag"):
        return 0
    if name == "TimelockEncrypted":
        return len(payload["encrypted"])
    return len(payload)  # Raw*, BigRaw, the 32-byte hashes


@value_type("pallet_commitments", "types", "CommitmentInfo", params=(("FieldLimit", None),))
class CommitmentInfo:
    fields: Annotated[list, Scale(bounded(DATA, MAX_FIELDS), "BoundedVec<Data, FieldLimit>")]


@value_type("pallet_commitments", "types", "Registration",
            params=(("Balance", U64), ("MaxFields", None), ("BlockNumber", U32)))
class Registration:
    deposit: Annotated[int, Scale(U64, "Balance")]
    block: Annotated[int, Scale(U32, "BlockNumber")]
    info: Annotated[CommitmentInfo, Scale(CommitmentInfo.SCALE, "CommitmentInfo<MaxFields>")]


@value_type("pallet_commitments", "types", "UsageTracker")
class UsageTracker:
    last_epoch: u64
    used_space: u64
