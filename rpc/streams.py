"""Helpers for subscription sources: closing the node's iterators when a subscription ends."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator
from typing import Any

__all__ = ["close_quietly"]

log = logging.getLogger("rpc")


async def close_quietly(source: Any) -> None:
    """End an iterator we stopped reading: `aclose()` for async generators, `close()` for
    txpool watchers; errors are logged, never raised (the subscription is over anyway)."""
    try:
        closer = getattr(source, "aclose", None)
        if closer is not None:
            result = closer()
            if inspect.isawaitable(result):
                await result
            return
        closer = getattr(source, "close", None)
        if closer is not None:
            result = closer()
            if inspect.isawaitable(result):
                await result
    except Exception:
        log.debug("closing a subscription source failed", exc_info=True)


async def empty() -> AsyncIterator[Any]:
    """A source that ends at once."""
    return
    yield  # pragma: no cover
