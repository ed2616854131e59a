"""Dispatch vocabulary: origins, weights, dispatch info and `DispatchError` (sp-runtime,
frame-support), with their SCALE types exactly as the runtime encodes them in events.

Errors are Python exceptions. A call fails by raising a `DispatchError`; the executive
rolls back the call's transactional layer and reports the error's encoding in
`System.ExtrinsicFailed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from primitives.scale import U8, U64, Compact, Enum, Field, FixedBytes, Struct, Variant

__all__ = [
    "ARITHMETIC_ERROR",
    "ARITHMETIC_ERRORS",
    "DISPATCH_CLASS",
    "DISPATCH_ERROR",
    "PAYS",
    "TOKEN_ERROR",
    "TOKEN_ERRORS",
    "TRANSACTIONAL_ERROR",
    "WEIGHT",
    "BadOrigin",
    "CannotLookup",
    "DispatchClass",
    "DispatchError",
    "DispatchInfo",
    "ModuleError",
    "Origin",
    "Pays",
    "PostDispatchInfo",
    "Weight",
    "ensure",
    "ensure_none",
    "ensure_root",
    "ensure_signed",
]


# ---------------------------------------------------------------------------
# Weights


@dataclass(frozen=True, slots=True)
class Weight:
    """`sp_weights::Weight`: execution time (picoseconds) and proof size (bytes)."""

    ref_time: int = 0
    proof_size: int = 0

    def __add__(self, other: Weight) -> Weight:
        return Weight(self.ref_time + other.ref_time, self.proof_size + other.proof_size)

    def saturating_sub(self, other: Weight) -> Weight:
        return Weight(max(0, self.ref_time - other.ref_time), max(0, self.proof_size - other.proof_size))

    def all_lte(self, other: Weight) -> bool:
        return self.ref_time <= other.ref_time and self.proof_size <= other.proof_size


WEIGHT = Struct(("sp_weights", "weight_v2", "Weight"),
                (Field("ref_time", Compact(U64), "u64"), Field("proof_size", Compact(U64), "u64")),
                cls=Weight)


class DispatchClass:
    NORMAL = "Normal"
    OPERATIONAL = "Operational"
    MANDATORY = "Mandatory"
    ALL = (NORMAL, OPERATIONAL, MANDATORY)


DISPATCH_CLASS = Enum(("frame_support", "dispatch", "DispatchClass"),
                      tuple(Variant(name, i) for i, name in enumerate(DispatchClass.ALL)))


class Pays:
    YES = "Yes"
    NO = "No"


PAYS = Enum(("frame_support", "dispatch", "Pays"), (Variant(Pays.YES, 0), Variant(Pays.NO, 1)))


@dataclass(frozen=True, slots=True)
class DispatchInfo:
    """What is known of a call before it runs: declared weight, class and fee rule."""

    weight: Weight
    dispatch_class: str = DispatchClass.NORMAL
    pays_fee: str = Pays.YES


@dataclass(frozen=True, slots=True)
class PostDispatchInfo:
    """What a call reports after running: the weight it really used (None = as declared)
    and whether it pays a fee. A call function may return one; returning None means
    `PostDispatchInfo()`."""

    actual_weight: Weight | None = None
    pays_fee: str = Pays.YES

    def calc_actual_weight(self, info: DispatchInfo) -> Weight:
        """The used weight, never more than the declared one (frame-support's rule)."""
        if self.actual_weight is None:
            return info.weight
        a, d = self.actual_weight, info.weight
        return Weight(min(a.ref_time, d.ref_time), min(a.proof_size, d.proof_size))

    def pays(self, info: DispatchInfo) -> str:
        """A fee is paid only if both the declaration and the call say so."""
        return Pays.NO if Pays.NO in (info.pays_fee, self.pays_fee) else Pays.YES


# ---------------------------------------------------------------------------
# Origins


@dataclass(frozen=True, slots=True)
class Origin:
    """`frame_system::RawOrigin`: Root, Signed(account) or None."""

    kind: str
    account: bytes | None = None

    ROOT = "Root"
    SIGNED = "Signed"
    NONE = "None"

    @classmethod
    def root(cls) -> Origin:
        return cls(cls.ROOT)

    @classmethod
    def signed(cls, account: bytes) -> Origin:
        return cls(cls.SIGNED, account)

    @classmethod
    def none(cls) -> Origin:
        return cls(cls.NONE)


# ---------------------------------------------------------------------------
# Errors


TOKEN_ERRORS = ("FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate", "UnknownAsset", "Frozen",
                "Unsupported", "CannotCreateHold", "NotExpendable", "Blocked")
ARITHMETIC_ERRORS = ("Underflow", "Overflow", "DivisionByZero")

TOKEN_ERROR = Enum(("sp_runtime", "TokenError"), tuple(Variant(n, i) for i, n in enumerate(TOKEN_ERRORS)))
ARITHMETIC_ERROR = Enum(("sp_arithmetic", "ArithmeticError"),
                        tuple(Variant(n, i) for i, n in enumerate(ARITHMETIC_ERRORS)))
TRANSACTIONAL_ERROR = Enum(("sp_runtime", "TransactionalError"),
                           (Variant("LimitReached", 0), Variant("NoLayer", 1)))

MODULE_ERROR = Struct(("sp_runtime", "ModuleError"),
                      (Field("index", U8, "u8"), Field("error", FixedBytes(4), "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]")))

DISPATCH_ERROR = Enum(
    ("sp_runtime", "DispatchError"),
    (
        Variant("Other", 0),
        Variant("CannotLookup", 1),
        Variant("BadOrigin", 2),
        Variant("Module", 3, (Field(None, MODULE_ERROR, "ModuleError"),)),
        Variant("ConsumerRemaining", 4),
        Variant("NoProviders", 5),
        Variant("TooManyConsumers", 6),
        Variant("Token", 7, (Field(None, TOKEN_ERROR, "TokenError"),)),
        Variant("Arithmetic", 8, (Field(None, ARITHMETIC_ERROR, "ArithmeticError"),)),
        Variant("Transactional", 9, (Field(None, TRANSACTIONAL_ERROR, "TransactionalError"),)),
        Variant("Exhausted", 10),
        Variant("Corruption", 11),
        Variant("Unavailable", 12),
        Variant("RootNotAllowed", 13),
    ),
)


class DispatchError(Exception):
    """A failed dispatch. `value` is the `DISPATCH_ERROR` value it encodes as.

    `post_info` may say how much weight the failed call used (DispatchErrorWithPostInfo).
    """

    post_info: PostDispatchInfo | None = None

    def __init__(self, value: Any, message: str | None = None) -> None:
        self.value = value
        super().__init__(message or (value if isinstance(value, str) else repr(value)))

    def with_post_info(self, post_info: PostDispatchInfo) -> DispatchError:
        self.post_info = post_info
        return self

    def encode(self) -> bytes:
        return DISPATCH_ERROR.encode(self.value)

    @classmethod
    def other(cls, message: str) -> DispatchError:
        """`DispatchError::Other`: the message is not encoded on chain."""
        return cls("Other", message)

    @classmethod
    def token(cls, kind: str) -> DispatchError:
        return cls(("Token", kind), f"Token({kind})")

    @classmethod
    def arithmetic(cls, kind: str) -> DispatchError:
        return cls(("Arithmetic", kind), f"Arithmetic({kind})")


class BadOrigin(DispatchError):
    def __init__(self, message: str = "BadOrigin") -> None:
        super().__init__("BadOrigin", message)


class CannotLookup(DispatchError):
    def __init__(self, message: str = "CannotLookup") -> None:
        super().__init__("CannotLookup", message)


class ModuleError(DispatchError):
    """An error a pallet declares: encoded as `Module { index, error: [i, 0, 0, 0] }`.

    Each declared error is a subclass with class attributes `pallet_index`, `error_index`,
    `pallet_name` and `error_name`; raise it without arguments.
    """

    pallet_index: int = 0
    error_index: int = 0
    pallet_name: str = ""
    error_name: str = ""

    def __init__(self, message: str | None = None) -> None:
        value = ("Module", {"index": self.pallet_index, "error": bytes((self.error_index, 0, 0, 0))})
        super().__init__(value, message or f"{self.pallet_name}.{self.error_name}")


def ensure(condition: bool, error: type[DispatchError] | DispatchError) -> None:
    """`ensure!`: raise `error` unless `condition` holds."""
    if not condition:
        raise error() if isinstance(error, type) else error


def ensure_signed(origin: Origin) -> bytes:
    if origin.kind != Origin.SIGNED or origin.account is None:
        raise BadOrigin()
    return origin.account


def ensure_root(origin: Origin) -> None:
    if origin.kind != Origin.ROOT:
        raise BadOrigin()


def ensure_none(origin: Origin) -> None:
    if origin.kind != Origin.NONE:
        raise BadOrigin()
