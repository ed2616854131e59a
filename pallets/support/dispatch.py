"""Dispatch vocabulary: origins, weights, dispatch info and `DispatchError` (sp-runtime,
frame-support), with their SCALE types exactly as the runtime encodes them in events.

Errors are Python exceptions. A call fails by raising a `DispatchError`; the executive
rolls back the call's transactional layer and reports the error's encoding in
`System.ExtrinsicFailed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pysubtensor.primitives.scale import U8, U64, UNIT, Compact, Enum, Field, FixedBytes, Struct, Variant
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "ARITHMETIC_ERROR",
    "ARITHMETIC_ERRORS",
    "DISPATCH_CLASS",
    "DISPATCH_ERROR",
    "DISPATCH_RESULT",
    "PAYS",
    "RAW_ORIGIN",
    "ROCKS_DB_WEIGHT",
    "TOKEN_ERROR",
    "TOKEN_ERRORS",
    "TRANSACTIONAL_ERROR",
    "TRIE_ERROR",
    "TRIE_ERRORS",
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
    "RuntimeDbWeight",
    "RuntimePanic",
    "Weight",
    "ensure",
    "ensure_none",
    "ensure_root",
    "ensure_signed",
    "ensure_signed_or_root",
]


# ---------------------------------------------------------------------------
# Weights


_U64_MAX = (1 << 64) - 1


@slots_dataclass(frozen=True)
class Weight:
    """`sp_weights::Weight`: execution time (picoseconds) and proof size (bytes)."""

    ref_time: int = 0
    proof_size: int = 0

    def __init__(self, ref_time: int = 0, proof_size: int = 0) -> None:
        # The dataclass's frozen `__init__` sets each field through `object.__setattr__`;
        # the slots' own setters do the same at a third less (weights are made many times
        # per extrinsic). Still frozen: assigning an attribute raises.
        _set_ref_time(self, ref_time)
        _set_proof_size(self, proof_size)

    def __add__(self, other: Weight) -> Weight:
        return Weight(self.ref_time + other.ref_time, self.proof_size + other.proof_size)

    def saturating_add(self, other: Weight) -> Weight:
        """Component-wise addition capped at u64::MAX (user-chosen weights can be huge)."""
        ref_time = self.ref_time + other.ref_time
        proof_size = self.proof_size + other.proof_size
        return Weight(ref_time if ref_time <= _U64_MAX else _U64_MAX,
                      proof_size if proof_size <= _U64_MAX else _U64_MAX)

    def saturating_sub(self, other: Weight) -> Weight:
        ref_time = self.ref_time - other.ref_time
        proof_size = self.proof_size - other.proof_size
        return Weight(ref_time if ref_time >= 0 else 0, proof_size if proof_size >= 0 else 0)

    def all_lte(self, other: Weight) -> bool:
        return self.ref_time <= other.ref_time and self.proof_size <= other.proof_size


_set_ref_time = Weight.ref_time.__set__  # type: ignore[attr-defined]
_set_proof_size = Weight.proof_size.__set__  # type: ignore[attr-defined]


@slots_dataclass(frozen=True)
class RuntimeDbWeight:
    """`frame_support::weights::RuntimeDbWeight`: the cost of one storage read and write."""

    read: int
    write: int

    def reads(self, n: int) -> Weight:
        return Weight(self.read * n, 0)

    def writes(self, n: int) -> Weight:
        return Weight(self.write * n, 0)

    def reads_writes(self, r: int, w: int) -> Weight:
        return Weight(self.read * r + self.write * w, 0)


#: `frame_support::weights::constants::RocksDbWeight` (25 µs a read, 100 µs a write), the
#: subtensor runtime's `frame_system::Config::DbWeight`.
ROCKS_DB_WEIGHT = RuntimeDbWeight(read=25_000_000, write=100_000_000)


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


@slots_dataclass(frozen=True)
class DispatchInfo:
    """What is known of a call before it runs: declared weight, class and fee rule."""

    weight: Weight
    dispatch_class: str = DispatchClass.NORMAL
    pays_fee: str = Pays.YES

    def __init__(self, weight: Weight, dispatch_class: str = DispatchClass.NORMAL, pays_fee: str = Pays.YES) -> None:
        _set_info_weight(self, weight)  # (as `Weight.__init__`)
        _set_info_class(self, dispatch_class)
        _set_info_pays(self, pays_fee)


_set_info_weight = DispatchInfo.weight.__set__  # type: ignore[attr-defined]
_set_info_class = DispatchInfo.dispatch_class.__set__  # type: ignore[attr-defined]
_set_info_pays = DispatchInfo.pays_fee.__set__  # type: ignore[attr-defined]


@slots_dataclass(frozen=True)
class PostDispatchInfo:
    """What a call reports after running: the weight it really used (None = as declared)
    and whether it pays a fee. A call function may return one; returning None means
    `PostDispatchInfo()`."""

    actual_weight: Weight | None = None
    pays_fee: str = Pays.YES

    def __init__(self, actual_weight: Weight | None = None, pays_fee: str = Pays.YES) -> None:
        _set_post_weight(self, actual_weight)  # (as `Weight.__init__`)
        _set_post_pays(self, pays_fee)

    def calc_actual_weight(self, info: DispatchInfo) -> Weight:
        """The used weight, never more than the declared one (frame-support's rule)."""
        if self.actual_weight is None:
            return info.weight
        a, d = self.actual_weight, info.weight
        return Weight(min(a.ref_time, d.ref_time), min(a.proof_size, d.proof_size))

    def pays(self, info: DispatchInfo) -> str:
        """A fee is paid only if both the declaration and the call say so."""
        return Pays.NO if Pays.NO in (info.pays_fee, self.pays_fee) else Pays.YES


_set_post_weight = PostDispatchInfo.actual_weight.__set__  # type: ignore[attr-defined]
_set_post_pays = PostDispatchInfo.pays_fee.__set__  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# Origins


@dataclass(frozen=True, slots=True)
class Origin:
    """`frame_system::RawOrigin`: Root, Signed(account) or None.

    `filters` are call filters added on the way (`OriginTrait::add_filter`, e.g. by
    `Utility.batch_all`); a filtered dispatch checks them after the runtime's base call
    filter, and Root passes all of them. They are not part of the origin's identity.
    """

    kind: str
    account: bytes | None = None
    filters: tuple[Callable[[Any], bool], ...] = field(default=(), compare=False, repr=False)

    ROOT = "Root"
    SIGNED = "Signed"
    NONE = "None"
    AUTHORIZED = "Authorized"

    @classmethod
    def root(cls) -> Origin:
        return cls(cls.ROOT)

    @classmethod
    def signed(cls, account: bytes) -> Origin:
        return cls(cls.SIGNED, account)

    @classmethod
    def none(cls) -> Origin:
        return cls(cls.NONE)

    def add_filter(self, allow: Callable[[Any], bool]) -> Origin:
        """The same origin, also refusing every call `allow` returns False for."""
        return replace(self, filters=(*self.filters, allow))

    def filter_call(self, call: Any) -> bool:
        """Whether the added filters let `call` through (`OriginTrait::filter_call`, less the
        base filter, which the runtime owns)."""
        return self.kind == self.ROOT or all(allow(call) for allow in self.filters)

    def with_caller(self, kind: str, account: bytes | None = None) -> Origin:
        """`OriginTrait::set_caller_from`: another caller, the same added filters."""
        return replace(self, kind=kind, account=account)

    @classmethod
    def from_raw(cls, raw: tuple[str, Any]) -> Origin:
        """The origin of a decoded `RAW_ORIGIN` value (`RawOrigin::into`)."""
        kind, account = raw
        return cls(kind, account)

    @property
    def raw(self) -> tuple[str, Any]:
        """This origin's caller as a `RAW_ORIGIN` value."""
        return (self.kind, self.account)


#: `frame_support::dispatch::RawOrigin<AccountId32>`, the `system` variant of the runtime's
#: `OriginCaller`; Python value `("Signed", account)`, `("Root", None)`, … (`Origin.raw`).
RAW_ORIGIN = Enum(
    ("frame_support", "dispatch", "RawOrigin"),
    (
        Variant(Origin.ROOT, 0),
        Variant(Origin.SIGNED, 1, (Field(None, ACCOUNT_ID, "AccountId"),)),
        Variant(Origin.NONE, 2),
        Variant(Origin.AUTHORIZED, 3),
    ),
    params=(("AccountId", ACCOUNT_ID),),
)


# ---------------------------------------------------------------------------
# Errors


TOKEN_ERRORS = ("FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate", "UnknownAsset", "Frozen",
                "Unsupported", "CannotCreateHold", "NotExpendable", "Blocked")
ARITHMETIC_ERRORS = ("Underflow", "Overflow", "DivisionByZero")

TOKEN_ERROR = Enum(("sp_runtime", "TokenError"), tuple(Variant(n, i) for i, n in enumerate(TOKEN_ERRORS)))
ARITHMETIC_ERROR = Enum(("sp_arithmetic", "ArithmeticError"),
                        tuple(Variant(n, i) for i, n in enumerate(ARITHMETIC_ERRORS)))
TRIE_ERRORS = ("InvalidStateRoot", "IncompleteDatabase", "ValueAtIncompleteKey", "DecoderError", "InvalidHash",
               "DuplicateKey", "ExtraneousNode", "ExtraneousValue", "ExtraneousHashReference",
               "InvalidChildReference", "ValueMismatch", "IncompleteProof", "RootMismatch", "DecodeError")
TRIE_ERROR = Enum(("sp_runtime", "proving_trie", "TrieError"), tuple(Variant(n, i) for i, n in enumerate(TRIE_ERRORS)))
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
        Variant("Trie", 14, (Field(None, TRIE_ERROR, "TrieError"),)),
    ),
)


#: `DispatchResult` = `Result<(), DispatchError>` as events carry it (Sudo.Sudid,
#: Utility.DispatchedAs); Python value `("Ok", ())` or `("Err", <DISPATCH_ERROR value>)`.
DISPATCH_RESULT = Enum(
    ("Result",),
    (Variant("Ok", 0, (Field(None, UNIT),)), Variant("Err", 1, (Field(None, DISPATCH_ERROR),))),
    params=(("T", UNIT), ("E", DISPATCH_ERROR)),
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


class RuntimePanic(Exception):
    """The runtime panicked (`assert!`, `panic!` in a pallet): not a dispatch error that an
    extrinsic can fail with, but a block that cannot be built or imported. The executive
    lets it propagate and the node discards the block."""


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


def ensure_signed_or_root(origin: Origin) -> bytes | None:
    """The signer, or None for Root; any other origin is BadOrigin."""
    if origin.kind == Origin.ROOT:
        return None
    return ensure_signed(origin)


def ensure_root(origin: Origin) -> None:
    if origin.kind != Origin.ROOT:
        raise BadOrigin()


def ensure_none(origin: Origin) -> None:
    if origin.kind != Origin.NONE:
        raise BadOrigin()
