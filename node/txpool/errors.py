"""Errors of the transaction pool, each carrying the JSON-RPC error Substrate sends for it.

`sc-rpc-api/src/author/error.rs` maps `sc_transaction_pool_api::error::Error` to codes from
1010 (base 1000 + 10) upward, with a fixed message and an optional `data` string; the RPC
layer only has to call `PoolError.to_rpc()`. A validator may also raise `BadFormat` (1001)
or `VerificationFailed` (1002) for an extrinsic the runtime cannot decode or validate.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.primitives.transaction_validity import TransactionValidityError

__all__ = [
    "INVALID_TRANSACTION_TEXT",
    "AlreadyImported",
    "BadFormat",
    "CycleDetected",
    "ImmediatelyDropped",
    "InvalidBlockId",
    "InvalidTransactionError",
    "NoTagsProvided",
    "PoolError",
    "RejectedFutureTransaction",
    "TemporarilyBanned",
    "TooLowPriority",
    "Unactionable",
    "UnknownTransactionError",
    "VerificationFailed",
    "from_validity_error",
]

# `impl From<InvalidTransaction> for &'static str` in sp-runtime (current wording).
INVALID_TRANSACTION_TEXT: dict[str, str] = {
    "Call": "Transaction call is not expected",
    "Payment": "Inability to pay some fees (e.g. account balance too low)",
    "Future": "Transaction will be valid in the future",
    "Stale": "Transaction is outdated",
    "BadProof": "Transaction has a bad signature",
    "AncientBirthBlock": "Transaction has an ancient birth block",
    "ExhaustsResources": "Transaction would exhaust the block limits",
    "BadMandatory": "A call was labelled as mandatory, but resulted in an Error.",
    "MandatoryValidation": "Transaction dispatch is mandatory; transactions must not be validated.",
    "BadSigner": "Invalid signing address",
    "IndeterminateImplicit": "The implicit data was unable to be calculated",
    "UnknownOrigin": "The transaction extension did not authorize any origin",
}


class PoolError(Exception):
    """A refused submission or pool operation: `code`, `message` and `data` as Substrate's RPC."""

    code: int = 1040  # OTHER_ERR: "other author error"

    def __init__(self, message: str, data: str | None = None) -> None:
        self.message = message
        self.data = data
        super().__init__(message if data is None else f"{message}: {data}")

    def to_rpc(self) -> dict[str, Any]:
        """The JSON-RPC `error` object: `{"code", "message"[, "data"]}`."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


class BadFormat(PoolError):
    """1001: the extrinsic bytes do not decode."""

    code = 1001

    def __init__(self, detail: str) -> None:
        super().__init__(f"Extrinsic has invalid format: {detail}")


class VerificationFailed(PoolError):
    """1002: the runtime failed (trapped, errored) while validating the transaction."""

    code = 1002

    def __init__(self, detail: str) -> None:
        super().__init__(f"Verification Error: {detail}", detail)


class InvalidTransactionError(PoolError):
    """1010: `TransactionValidityError::Invalid`, the runtime's reason in `data`."""

    code = 1010

    def __init__(self, reason: str, custom: int | None = None) -> None:
        self.reason = reason
        self.custom = custom
        if reason == "Custom":
            data = f"Custom error: {custom}"
        else:
            data = INVALID_TRANSACTION_TEXT.get(reason, reason)
        super().__init__("Invalid Transaction", data)


class UnknownTransactionError(PoolError):
    """1011: `TransactionValidityError::Unknown`, the reason's Debug text in `data`."""

    code = 1011

    def __init__(self, reason: str, custom: int | None = None) -> None:
        self.reason = reason
        self.custom = custom
        super().__init__("Unknown Transaction Validity", reason if custom is None else f"{reason}({custom})")


class TemporarilyBanned(PoolError):
    """1012: the hash was recently invalid, included, dropped or re-submitted."""

    code = 1012

    def __init__(self) -> None:
        super().__init__("Transaction is temporarily banned")


class AlreadyImported(PoolError):
    """1013: the same bytes are in the pool already.

    Substrate formats a `Box<dyn Any>` with `{:?}`, so the wire `data` is literally
    `Any { .. }`; the hash is kept on the exception for our own use."""

    code = 1013

    def __init__(self, tx_hash: bytes) -> None:
        self.hash = tx_hash
        super().__init__("Transaction Already Imported", "Any { .. }")


class TooLowPriority(PoolError):
    """1014: a transaction providing the same tag is in the ready queue with priority >= new."""

    code = 1014

    def __init__(self, old: int, new: int) -> None:
        self.old = old
        self.new = new
        super().__init__(
            f"Priority is too low: ({old} vs {new})",
            "The transaction has too low priority to replace another transaction already in the pool.",
        )


class CycleDetected(PoolError):
    """1015: importing the transaction closed a dependency cycle."""

    code = 1015

    def __init__(self, dropped: list[bytes] | None = None) -> None:
        self.dropped = dropped or []
        super().__init__("Cycle Detected")


class ImmediatelyDropped(PoolError):
    """1016: the transaction was the one evicted when the pool enforced its limits."""

    code = 1016

    def __init__(self) -> None:
        super().__init__("Immediately Dropped", "The transaction couldn't enter the pool because of the limit")


class Unactionable(PoolError):
    """1018: not propagable, and this node does not author blocks."""

    code = 1018

    def __init__(self) -> None:
        super().__init__(
            "Unactionable",
            "The transaction is unactionable since it is not propagable and the local node does not author blocks",
        )


class NoTagsProvided(PoolError):
    """1019: validity without `provides`; the pool identifies transactions by their tags."""

    code = 1019

    def __init__(self) -> None:
        super().__init__("No tags provided", "Transaction does not provide any tags, so the pool can't identify it")


class InvalidBlockId(PoolError):
    """1020: validation was requested at a block the pool does not know."""

    code = 1020

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__("The provided block ID is not valid")


class RejectedFutureTransaction(PoolError):
    """1021: the pool is configured to refuse transactions with unmet requirements."""

    code = 1021

    def __init__(self) -> None:
        super().__init__("The pool is not accepting future transactions")


def from_validity_error(error: TransactionValidityError) -> PoolError:
    """The pool error for a runtime's `TransactionValidityError` (1010 or 1011)."""
    if error.kind == "Unknown":
        return UnknownTransactionError(error.reason, error.code)
    return InvalidTransactionError(error.reason, error.code)
