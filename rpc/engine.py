"""engine_*: manual seal (sc-consensus-manual-seal's `ManualSealApi`), unsafe.

`engine_createBlock [create_empty, finalize, parent_hash|null]` →
`{"hash", "aux": {header_only, clear_justification_requests, needs_justification,
bad_justification, is_new_best}, "proof_size"}` (snake_case, as manual seal serialises
`CreatedBlock`). `engine_finalizeBlock [hash, justification|null]` → `true`.

Errors are manual seal's: 12000 empty pool when `create_empty` is false, 13000 unknown
parent, 16000 finalization failed, 20000 anything else. A node error that carries its own
JSON-RPC error (`to_rpc()`) is passed on as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pysubtensor.node.api import UnknownBlockError
from pysubtensor.node.log import short_hash

from .context import RpcContext
from .errors import ResponseError, unknown_block_text
from .params import Param, boolean, hash32, hex_bytes
from .registry import Namespace

__all__ = ["api", "node_error", "node_errors"]

api = Namespace("engine")

EMPTY_TRANSACTION_POOL = 12_000
BLOCK_NOT_FOUND = 13_000
BLOCKCHAIN_ERROR = 16_000
UNKNOWN_ERROR = 20_000


def node_error(error: Exception, default_code: int = UNKNOWN_ERROR) -> ResponseError:
    """A node failure as a JSON-RPC error: its own `to_rpc()` when it has one."""
    to_rpc = getattr(error, "to_rpc", None)
    if callable(to_rpc):
        rpc = to_rpc()
        return ResponseError(rpc["code"], rpc["message"], rpc.get("data"))
    return ResponseError(default_code, str(error) or type(error).__name__)


@contextmanager
def node_errors(default_code: int = UNKNOWN_ERROR) -> Iterator[None]:
    """Authoring failures as JSON-RPC errors: a node error's own `to_rpc()` (the service's
    manual-seal errors), else `default_code` with the text of a ValueError/LookupError.
    `UnknownBlockError` passes through for the caller's own wording."""
    try:
        yield
    except (ResponseError, UnknownBlockError):
        raise
    except Exception as e:
        if callable(getattr(e, "to_rpc", None)) or isinstance(e, ValueError | LookupError):
            raise node_error(e, default_code) from None
        raise


@api.method("engine_createBlock", Param("create_empty", boolean), Param("finalize", boolean),
            Param("parent_hash", hash32, optional=True), unsafe=True)
async def engine_createBlock(ctx: RpcContext, create_empty: bool, finalize: bool,
                             parent_hash: bytes | None) -> dict[str, Any]:
    """Seal a block now (on `parent_hash` or the best block)."""
    node = ctx.node
    if parent_hash is not None:
        try:
            node.header(parent_hash)
        except UnknownBlockError:
            raise ResponseError(BLOCK_NOT_FOUND,
                                f"Supplied parent_hash: {short_hash(parent_hash)} doesn't exist in chain") from None
    if not create_empty and not node.pending_extrinsics():
        raise ResponseError(EMPTY_TRANSACTION_POOL, "Transaction pool is empty, set create_empty to true, "
                            "if you want to create empty blocks")
    try:
        with node_errors():
            sealed = await node.create_block(create_empty, finalize, parent_hash)
    except UnknownBlockError:
        shown = short_hash(parent_hash if parent_hash is not None else node.best_hash())
        raise ResponseError(BLOCK_NOT_FOUND, f"Supplied parent_hash: {shown} doesn't exist in chain") from None
    return {
        "hash": "0x" + sealed.hash.hex(),
        "aux": {
            "header_only": False,
            "clear_justification_requests": False,
            "needs_justification": False,
            "bad_justification": False,
            "is_new_best": sealed.is_new_best,
        },
        "proof_size": sealed.proof_size,
    }


@api.method("engine_finalizeBlock", Param("hash", hash32), Param("justification", hex_bytes, optional=True),
            unsafe=True)
async def engine_finalizeBlock(ctx: RpcContext, hash: bytes, justification: bytes | None) -> bool:
    """Finalize `hash` and its ancestors (the justification is ignored: no GRANDPA here)."""
    try:
        with node_errors(BLOCKCHAIN_ERROR):
            return bool(await ctx.node.finalize_block(hash))
    except UnknownBlockError as e:
        raise ResponseError(BLOCKCHAIN_ERROR, f"Finalization Error: {unknown_block_text(hash, e)}") from None
