"""The offchain host functions a runtime's offchain worker calls (sp-io's `offchain` interface,
and the keystore and transaction pool behind `frame_system::offchain`), as one object the node
installs for the duration of an `OffchainWorkerApi_offchain_worker` call.

    with offchain.using(host):        # the node, after importing a block
        apis.call("OffchainWorkerApi_offchain_worker", header, ext)
    offchain.current().http_get(url)   # a pallet's offchain worker

A runtime call made outside an offchain worker has no host: `current()` raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

__all__ = ["HttpError", "OffchainHost", "current", "using"]


class HttpError(Exception):
    """An HTTP request that did not complete (no route, I/O error, deadline)."""


class OffchainHost(Protocol):
    def timestamp(self) -> int:
        """`sp_io::offchain::timestamp`: the node's current time, Unix milliseconds."""
        ...

    def http_get(self, url: str, deadline_ms: int) -> tuple[int, bytes]:
        """An HTTP GET completed before `deadline_ms` (Unix ms): (status code, body); raises
        `HttpError` when it does not complete."""
        ...

    def sign(self, key_type: bytes, payload: bytes) -> tuple[bytes, bytes] | None:
        """`Signer::any_account()`: (sr25519 public key, signature of `payload`) by a keystore
        key of `key_type`, or None when the keystore has none."""
        ...

    def submit_transaction(self, extrinsic: bytes) -> None:
        """`SubmitTransaction::submit_transaction`: hand an encoded extrinsic to the local
        pool (raises when the pool refuses it)."""
        ...


_HOST: ContextVar[OffchainHost | None] = ContextVar("offchain_host", default=None)


def current() -> OffchainHost:
    host = _HOST.get()
    if host is None:
        raise RuntimeError("offchain host functions are only available inside an offchain worker")
    return host


@contextmanager
def using(host: OffchainHost) -> Iterator[OffchainHost]:
    token = _HOST.set(host)
    try:
        yield host
    finally:
        _HOST.reset(token)
