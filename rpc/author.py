"""author_*: transaction submission and the status stream, and the key store
(sc-rpc-api `author`).

Pool refusals are the pool's errors as Substrate sends them (`PoolError.to_rpc()`: 1001
bad format, 1010 invalid with the runtime's reason in `data`, 1011, 1012, 1013, 1014, …),
always synchronous: an invalid transaction never becomes an `"invalid"` notification of a
fresh watch. `author_submitAndWatchExtrinsic` streams `TransactionStatus.to_json()` values
(`"ready"`, `{"inBlock": h}`, `{"finalized": h}`, …) as `author_extrinsicUpdate` and ends
after a final status.

The key store is in memory (`rpc.context.Keystore`): `author_insertKey` and
`author_rotateKeys` (sr25519 `aura` + ed25519 `gran`, subtensor's `SessionKeys`) last as
long as the node runs. An authority authors with its dev key only: inserting another `aura`
key into it is refused (error 1040) rather than silently never used.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from pysubtensor.node.api import (
    SESSION_KEY_TYPES,
    RuntimeApiError,
    UnknownBlockError,
    call_runtime_api,
    submit_ahead,
)
from pysubtensor.node.txpool.errors import PoolError
from pysubtensor.primitives.crypto import Scheme
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import BYTES

from .context import RpcContext
from .errors import AUTHOR, ParamError, ResponseError
from .params import Param, describe, hash32, hex_bytes, list_of, string
from .registry import Namespace
from .streams import close_quietly

__all__ = ["api", "pool_error"]

log = logging.getLogger("rpc")

api = Namespace("author")

#: sc-rpc-api author `OTHER_ERR`: every author error without a code of its own.
OTHER_ERR = AUTHOR + 40

#: The scheme of each `SessionKeys` member (subtensor: Aura sr25519, GRANDPA ed25519).
_SESSION_SCHEMES = {b"aura": Scheme.SR25519, b"gran": Scheme.ED25519}


def pool_error(error: PoolError) -> ResponseError:
    rpc = error.to_rpc()
    return ResponseError(rpc["code"], rpc["message"], rpc.get("data"))


def _other(message: str) -> ResponseError:
    return ResponseError(OTHER_ERR, message)


def _key_type(text: str) -> bytes:
    raw = text.encode()
    if len(raw) != 4:
        raise _other("Invalid key type ID format (should be of length four)")
    return raw


def _extrinsic_or_hash(value: Any) -> bytes:
    """`ExtrinsicOrHash`: `{"hash": "0x…"}` or `{"extrinsic": "0x…"}` → the transaction hash."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ParamError(f"invalid type: {describe(value)}, expected an object with `hash` or `extrinsic`")
    (tag, inner), = value.items()
    if tag == "hash":
        return hash32(inner)
    if tag == "extrinsic":
        return blake2_256(hex_bytes(inner))
    raise ParamError(f"unknown variant `{tag}`, expected `hash` or `extrinsic`")


@api.method("author_submitExtrinsic", Param("extrinsic", hex_bytes))
def author_submitExtrinsic(ctx: RpcContext, extrinsic: bytes) -> Any:
    """Validate and queue; the transaction hash (blake2-256 of the bytes as sent). A node
    that validates on another core answers later (`submit_ahead`), the event loop free."""
    ahead = submit_ahead(ctx.node, extrinsic)
    if ahead is not None:
        return _submitted(ahead)
    try:
        return "0x" + ctx.node.submit_extrinsic(extrinsic).hex()
    except PoolError as e:
        raise pool_error(e) from None


async def _submitted(ahead: Awaitable[bytes]) -> str:
    try:
        return "0x" + (await ahead).hex()
    except PoolError as e:
        raise pool_error(e) from None


@api.method("author_insertKey", Param("key_type", string), Param("suri", string), Param("public", hex_bytes),
            unsafe=True)
def author_insertKey(ctx: RpcContext, key_type: str, suri: str, public: bytes) -> None:
    """Keep the key. An authority seals only with its dev key (`--alice` …), so an `aura` key
    other than that one is refused rather than kept and never used."""
    kind = _key_type(key_type)
    info = ctx.node.info
    if kind == b"aura" and info.is_authority and public != info.authoring_key:
        raise _other("this node seals blocks only with its dev key (--alice, --bob, …); an inserted aura key "
                     "would never author: start the node with the dev key instead")
    ctx.keystore.insert(kind, suri, public)


@api.method("author_rotateKeys", unsafe=True)
def author_rotateKeys(ctx: RpcContext) -> str:
    """New session keys in the key store; their public keys concatenated (`SessionKeys`)."""
    keys = b""
    for key_type, _length in SESSION_KEY_TYPES:
        keys += ctx.keystore.generate(key_type, _SESSION_SCHEMES[key_type], os.urandom(32))
    return "0x" + keys.hex()


@api.method("author_hasSessionKeys", Param("session_keys", hex_bytes), unsafe=True)
def author_hasSessionKeys(ctx: RpcContext, session_keys: bytes) -> bool:
    """Whether the key store holds every key of the encoded `SessionKeys` (decoded by the
    runtime's `SessionKeys_decode_session_keys` at the best block)."""
    node = ctx.node
    try:
        decoded = call_runtime_api(node, node.best_hash(), "SessionKeys_decode_session_keys",
                                   BYTES.encode(session_keys))
    except (RuntimeApiError, UnknownBlockError) as e:
        raise _other(f"Client error: {e}") from None
    if decoded is None:
        raise _other("Session keys are not encoded correctly")
    return all(ctx.keystore.has_key(key_type, public) for public, key_type in decoded)


@api.method("author_hasKey", Param("public_key", hex_bytes), Param("key_type", string), unsafe=True)
def author_hasKey(ctx: RpcContext, public_key: bytes, key_type: str) -> bool:
    return ctx.keystore.has_key(_key_type(key_type), public_key)


@api.method("author_pendingExtrinsics")
def author_pendingExtrinsics(ctx: RpcContext) -> list[str]:
    return ["0x" + x.hex() for x in ctx.node.pending_extrinsics()]


@api.method("author_removeExtrinsic", Param("bytes_or_hash", list_of(_extrinsic_or_hash)), unsafe=True)
def author_removeExtrinsic(ctx: RpcContext, hashes: list[bytes]) -> list[str]:
    """Remove (and ban) transactions by hash or bytes; the hashes actually removed."""
    return ["0x" + h.hex() for h in ctx.node.remove_extrinsics(hashes)]


async def _statuses(watcher: Any) -> AsyncIterator[Any]:
    try:
        async for status in watcher:
            yield status.to_json()
    finally:
        await close_quietly(watcher)


@api.subscription("author_submitAndWatchExtrinsic", Param("bytes", hex_bytes),
                  notification="author_extrinsicUpdate", unsubscribe="author_unwatchExtrinsic")
def author_submitAndWatchExtrinsic(ctx: RpcContext, extrinsic: bytes) -> Any:
    """Submit and stream the transaction's statuses; a refused transaction is an error
    response, not a subscription."""
    ahead = submit_ahead(ctx.node, extrinsic, watch=True)
    if ahead is not None:
        return _watching(ahead)
    try:
        watcher = ctx.node.submit_and_watch(extrinsic)
    except PoolError as e:
        raise pool_error(e) from None
    return _statuses(watcher)


async def _watching(ahead: Awaitable[Any]) -> AsyncIterator[Any]:
    try:
        watcher = await ahead
    except PoolError as e:
        raise pool_error(e) from None
    return _statuses(watcher)
