"""`frame_support::traits::preimages::Bounded<T, H>`: a value kept in storage either inline
(its encoding, at most 128 bytes) or by the hash (and length) of its preimage in Preimage.

    codec = bounded_codec(RUNTIME_CALL)           # Bounded<RuntimeCall, BlakeTwo256>
    Inline(data)                                  # the encoded value itself (<= 128 bytes)
    Lookup(hash, len)                             # the value is the preimage of `hash`
    Legacy(hash)                                  # a hash without length (old scheduler state)

`bounded_codec(t)` gives the SCALE type whose metadata is `Bounded<T, H>` with `T` the
given codec and `H = sp_runtime::traits::BlakeTwo256` (the runtime's `Hashing`). The
provider functions that make and resolve these values (`peek`, `realize`, `bound`, …) are
Preimage's, in `pallets.preimage` (`QueryPreimage` / `StorePreimage`).
"""

from __future__ import annotations

from functools import cache

from pysubtensor.pallets.support.types import bounded_vec
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import H256, U8, U32, Codec, Enum, Field, Struct, Variant
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = ["BLAKE_TWO_256", "BOUNDED_INLINE", "MAX_INLINE_LEN", "MAX_LEGACY_LEN", "Bounded", "Inline", "Legacy",
           "Lookup", "bounded_codec"]

#: `BoundedInline = BoundedVec<u8, ConstU32<128>>`.
MAX_INLINE_LEN = 128
#: The most a legacy hash lookup is expected to be (`lookup_len` of a `Legacy`).
MAX_LEGACY_LEN = 1_000_000

BOUNDED_INLINE = bounded_vec(U8)
#: `sp_runtime::traits::BlakeTwo256` (the `H` type parameter: a unit struct in metadata).
BLAKE_TWO_256 = Struct(("sp_runtime", "traits", "BlakeTwo256"), ())


@slots_dataclass(frozen=True)
class Legacy:
    """`Bounded::Legacy { hash }`: a hash with no preimage length (only from old state)."""

    hash: bytes

    def lookup_hash(self) -> bytes | None:
        return self.hash

    @property
    def len(self) -> int | None:
        return None

    def lookup_len(self) -> int | None:
        return MAX_LEGACY_LEN


@slots_dataclass(frozen=True)
class Inline:
    """`Bounded::Inline(data)`: the encoded value, at most 128 bytes."""

    data: bytes

    def lookup_hash(self) -> bytes | None:
        return None

    @property
    def len(self) -> int | None:
        return len(self.data)

    def lookup_len(self) -> int | None:
        return None


@slots_dataclass(frozen=True)
class Lookup:
    """`Bounded::Lookup { hash, len }`: the value is the `len`-byte preimage of `hash`."""

    hash: bytes
    len: int

    def lookup_hash(self) -> bytes | None:
        return self.hash

    def lookup_len(self) -> int | None:
        return self.len


Bounded = Legacy | Inline | Lookup


def bounded_hash(bounded: Bounded) -> bytes:
    """`Bounded::hash`: the preimage hash (recomputed for an inline value)."""
    return blake2_256(bounded.data) if isinstance(bounded, Inline) else bounded.hash


def lookup_needed(bounded: Bounded) -> bool:
    return not isinstance(bounded, Inline)


@cache
def bounded_codec(t: Codec) -> Enum:
    """The `Bounded<T, BlakeTwo256>` codec for the value type `t` (one per `t`, as scale-info
    has one type per instantiation)."""
    return Enum(
        ("frame_support", "traits", "preimages", "Bounded"),
        (
            Variant("Legacy", 0, (Field("hash", H256, "H::Output"),), cls=Legacy),
            Variant("Inline", 1, (Field(None, BOUNDED_INLINE, "BoundedInline"),), cls=Inline),
            Variant("Lookup", 2, (Field("hash", H256, "H::Output"), Field("len", U32, "u32")), cls=Lookup),
        ),
        params=(("T", t), ("H", BLAKE_TWO_256)),
    )
