"""JSON-RPC errors as Substrate's server sends them: jsonrpsee's protocol codes and each
namespace's base code plus named offsets (sc-rpc-api `error::base`).

Handlers raise `ResponseError(code, message, data)`; the server turns it into the `error`
member of the response. The helpers below build the errors whose text is fixed by
jsonrpsee or Substrate, so that every module words them the same way.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AUTHOR",
    "BATCHES_NOT_SUPPORTED",
    "CHAIN",
    "INTERNAL_ERROR",
    "INVALID_PARAMS",
    "INVALID_REQUEST",
    "METHOD_NOT_FOUND",
    "OVERSIZED_REQUEST",
    "OVERSIZED_RESPONSE",
    "PARSE_ERROR",
    "STATE",
    "SYSTEM",
    "TOO_BIG_BATCH_REQUEST",
    "TOO_BIG_BATCH_RESPONSE",
    "TOO_MANY_SUBSCRIPTIONS",
    "ParamError",
    "ResponseError",
    "internal_error",
    "invalid_params",
    "invalid_request",
    "method_not_found",
    "parse_error",
    "state_client_error",
    "unknown_block_text",
    "unsafe_call",
]

# -- jsonrpsee (types/src/error.rs)
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
BATCHES_NOT_SUPPORTED = -32005
TOO_MANY_SUBSCRIPTIONS = -32006
OVERSIZED_REQUEST = -32007
OVERSIZED_RESPONSE = -32008
TOO_BIG_BATCH_REQUEST = -32010
TOO_BIG_BATCH_RESPONSE = -32011

# -- sc-rpc-api `error::base`: each namespace's codes are BASE + offset
AUTHOR = 1000
SYSTEM = 2000
CHAIN = 3000
STATE = 4000

UNSAFE_TEXT = "RPC call is unsafe to be called externally"


class ResponseError(Exception):
    """A failed call: the JSON-RPC `error` object `{code, message[, data]}`."""

    __slots__ = ("code", "data", "message")

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error

    def __repr__(self) -> str:
        return f"ResponseError({self.code}, {self.message!r}, {self.data!r})"


class ParamError(ValueError):
    """A parameter that does not parse; the text says what is wrong (becomes `data`)."""


def parse_error() -> ResponseError:
    return ResponseError(PARSE_ERROR, "Parse error")


def invalid_request() -> ResponseError:
    return ResponseError(INVALID_REQUEST, "Invalid request")


def method_not_found() -> ResponseError:
    return ResponseError(METHOD_NOT_FOUND, "Method not found")


def invalid_params(detail: str) -> ResponseError:
    return ResponseError(INVALID_PARAMS, "Invalid params", detail)


def internal_error() -> ResponseError:
    return ResponseError(INTERNAL_ERROR, "Internal error")


def unsafe_call(code: int = METHOD_NOT_FOUND) -> ResponseError:
    """`UnsafeRpcError`: -32601 in most namespaces; state_* methods wrap it as 4003."""
    return ResponseError(code, UNSAFE_TEXT)


def state_client_error(text: str) -> ResponseError:
    """State's `Error::Client` (4003): `Client error: <client error>`."""
    return ResponseError(STATE + 3, f"Client error: {text}")


def unknown_block_text(block_hash: bytes, error: BaseException | None = None) -> str:
    """sp_blockchain `UnknownBlock` as displayed: the node's own wording when it gives one of
    Substrate's, else the header lookup's ("Header was not found in the database: 0x…")."""
    detail = str(error) if error is not None else ""
    if not (detail.startswith("State already discarded") or detail.startswith("Header was not found")):
        detail = f"Header was not found in the database: 0x{block_hash.hex()}"
    return f"UnknownBlock: {detail}"
