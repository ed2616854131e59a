"""Fan-out of node events to any number of async subscribers (new blocks, finalized blocks).

A `Feed` publishes synchronously from the task that owns chain writes; each `Subscription`
buffers what it has not consumed yet and is an async iterator. A subscriber that falls more
than `limit` items behind is cut off (its iteration ends after what it had buffered, with
`lagged` set), so a stalled client cannot grow the node's memory. A subscription is dropped
from the feed when it is closed or garbage-collected; closing the feed ends them all.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from typing import Generic, TypeVar

__all__ = ["DEFAULT_BUFFER", "BufferedStream", "Feed", "Subscription"]

log = logging.getLogger("pysubtensor")

T = TypeVar("T")

#: Items a subscriber may fall behind before it is cut off.
DEFAULT_BUFFER = 4096


class BufferedStream(Generic[T]):
    """Items pushed synchronously by the node, consumed as an async iterator.

    Subclasses decide what they accept (`_push`) and when the stream is `done`; iteration
    yields what is buffered and ends once the buffer is empty and the stream is done.
    """

    __slots__ = ("_buffer", "_waiter")

    def __init__(self) -> None:
        self._buffer: deque[T] = deque()
        self._waiter: asyncio.Future[None] | None = None

    @property
    def done(self) -> bool:
        raise NotImplementedError

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def drain(self) -> list[T]:
        """What is buffered, oldest first, removed from the buffer without waiting."""
        items = list(self._buffer)
        self._buffer.clear()
        return items

    def __aiter__(self) -> BufferedStream[T]:
        return self

    async def __anext__(self) -> T:
        while not self._buffer:
            if self.done:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._buffer.popleft()


class Subscription(BufferedStream[T]):
    """What one subscriber receives, from the moment it subscribed, in order."""

    __slots__ = ("__weakref__", "_closed", "_feed", "lagged")

    def __init__(self, feed: Feed[T]) -> None:
        super().__init__()
        self._feed = feed
        self._closed = False
        #: True when the subscription was cut off for falling behind.
        self.lagged = False

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def done(self) -> bool:
        return self._closed

    def _push(self, item: T) -> None:
        if self._closed:
            return
        if len(self._buffer) >= self._feed.limit:
            self.lagged = True
            log.warning("a subscriber fell %d items behind; ending its subscription", self._feed.limit)
            self.close()
            return
        self._buffer.append(item)
        self._wake()

    def close(self) -> None:
        """Stop receiving; iteration ends once the buffer is consumed."""
        if not self._closed:
            self._closed = True
            self._feed._discard(self)
            self._wake()

    async def aclose(self) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self._feed._discard(self)
        except Exception:  # interpreter shutdown
            pass


class Feed(Generic[T]):
    """Publishes items to every live subscription."""

    __slots__ = ("_closed", "_subscribers", "limit")

    def __init__(self, limit: int = DEFAULT_BUFFER) -> None:
        self.limit = limit
        self._subscribers: weakref.WeakSet[Subscription[T]] = weakref.WeakSet()
        self._closed = False

    def __len__(self) -> int:
        return len(self._subscribers)

    def subscribe(self) -> Subscription[T]:
        subscription: Subscription[T] = Subscription(self)
        if self._closed:
            subscription._closed = True
        else:
            self._subscribers.add(subscription)
        return subscription

    def publish(self, item: T) -> None:
        for subscription in list(self._subscribers):
            subscription._push(item)

    def _discard(self, subscription: Subscription[T]) -> None:
        self._subscribers.discard(subscription)

    def close(self) -> None:
        """End every subscription (the node is stopping); later ones start closed."""
        self._closed = True
        for subscription in list(self._subscribers):
            subscription.close()
