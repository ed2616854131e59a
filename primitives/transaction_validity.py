"""Transaction validity (sp_runtime::transaction_validity): why a transaction is refused, and
what a valid one tells the pool, with the SCALE types of the real runtime's metadata.

Transaction extensions raise `TransactionValidityError`; the executive reports it from
`TaggedTransactionQueue.validate_transaction` and refuses the extrinsic in `apply_extrinsic`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pysubtensor.primitives.scale import BOOL, BYTES, U8, U64, Enum, Field, Struct, Variant, Vec

__all__ = [
    "INVALID_TRANSACTION",
    "TRANSACTION_SOURCE",
    "TRANSACTION_VALIDITY_ERROR",
    "UNKNOWN_TRANSACTION",
    "VALID_TRANSACTION",
    "InvalidTransaction",
    "TransactionSource",
    "TransactionValidityError",
    "UnknownTransaction",
    "ValidTransaction",
]

_P = ("sp_runtime", "transaction_validity")


class InvalidTransaction:
    """Variant names of `InvalidTransaction` (`Custom(u8)` is `("Custom", code)`)."""

    CALL = "Call"
    PAYMENT = "Payment"
    FUTURE = "Future"
    STALE = "Stale"
    BAD_PROOF = "BadProof"
    ANCIENT_BIRTH_BLOCK = "AncientBirthBlock"
    EXHAUSTS_RESOURCES = "ExhaustsResources"
    CUSTOM = "Custom"
    BAD_MANDATORY = "BadMandatory"
    MANDATORY_VALIDATION = "MandatoryValidation"
    BAD_SIGNER = "BadSigner"
    INDETERMINATE_IMPLICIT = "IndeterminateImplicit"
    UNKNOWN_ORIGIN = "UnknownOrigin"


class UnknownTransaction:
    CANNOT_LOOKUP = "CannotLookup"
    NO_UNSIGNED_VALIDATOR = "NoUnsignedValidator"
    CUSTOM = "Custom"


_INVALID_NAMES = ("Call", "Payment", "Future", "Stale", "BadProof", "AncientBirthBlock", "ExhaustsResources",
                  "Custom", "BadMandatory", "MandatoryValidation", "BadSigner", "IndeterminateImplicit",
                  "UnknownOrigin")

INVALID_TRANSACTION = Enum(
    (*_P, "InvalidTransaction"),
    tuple(Variant(n, i, (Field(None, U8, "u8"),) if n == "Custom" else ()) for i, n in enumerate(_INVALID_NAMES)),
)
UNKNOWN_TRANSACTION = Enum(
    (*_P, "UnknownTransaction"),
    (Variant("CannotLookup", 0), Variant("NoUnsignedValidator", 1), Variant("Custom", 2, (Field(None, U8, "u8"),))),
)
TRANSACTION_VALIDITY_ERROR = Enum(
    (*_P, "TransactionValidityError"),
    (
        Variant("Invalid", 0, (Field(None, INVALID_TRANSACTION, "InvalidTransaction"),)),
        Variant("Unknown", 1, (Field(None, UNKNOWN_TRANSACTION, "UnknownTransaction"),)),
    ),
)
TRANSACTION_SOURCE = Enum((*_P, "TransactionSource"),
                          (Variant("InBlock", 0), Variant("Local", 1), Variant("External", 2)))


class TransactionSource:
    IN_BLOCK = "InBlock"
    LOCAL = "Local"
    EXTERNAL = "External"


class TransactionValidityError(Exception):
    """A refused transaction: `kind` is "Invalid" or "Unknown", `reason` the inner variant name
    (with `code` for `Custom`)."""

    def __init__(self, kind: str, reason: str, code: int | None = None) -> None:
        self.kind = kind
        self.reason = reason
        self.code = code
        super().__init__(f"{kind}({reason}{'' if code is None else f'({code})'})")

    @classmethod
    def invalid(cls, reason: str, code: int | None = None) -> TransactionValidityError:
        return cls("Invalid", reason, code)

    @classmethod
    def unknown(cls, reason: str, code: int | None = None) -> TransactionValidityError:
        return cls("Unknown", reason, code)

    @property
    def value(self) -> tuple[str, Any]:
        """The `TRANSACTION_VALIDITY_ERROR` value."""
        inner = (self.reason, self.code) if self.code is not None else (self.reason, None)
        return (self.kind, inner)

    def encode(self) -> bytes:
        return TRANSACTION_VALIDITY_ERROR.encode(self.value)


_LONGEST = (1 << 64) - 1


@dataclass(slots=True)
class ValidTransaction:
    """`ValidTransaction`: the pool's view of a valid transaction. `combine_with` merges what
    two extensions say, as `ValidTransaction::combine_with` does."""

    priority: int = 0
    requires: list[bytes] = field(default_factory=list)
    provides: list[bytes] = field(default_factory=list)
    longevity: int = (1 << 64) - 1
    propagate: bool = True

    def is_neutral(self) -> bool:
        """Whether combining with this leaves the other side as it is (`ValidTransaction::default()`:
        no priority, no tags, the longest longevity, propagated)."""
        return (self.priority == 0 and not self.requires and not self.provides
                and self.longevity == _LONGEST and self.propagate is True)

    def combine_with(self, other: ValidTransaction) -> ValidTransaction:
        return ValidTransaction(
            priority=min(self.priority + other.priority, (1 << 64) - 1),
            requires=[*self.requires, *other.requires],
            provides=[*self.provides, *other.provides],
            longevity=min(self.longevity, other.longevity),
            propagate=self.propagate and other.propagate,
        )


_TAGS = Vec(BYTES)
VALID_TRANSACTION = Struct(
    (*_P, "ValidTransaction"),
    (
        Field("priority", U64, "TransactionPriority"),
        Field("requires", _TAGS, "Vec<TransactionTag>"),
        Field("provides", _TAGS, "Vec<TransactionTag>"),
        Field("longevity", U64, "TransactionLongevity"),
        Field("propagate", BOOL, "bool"),
    ),
    cls=ValidTransaction,
)
