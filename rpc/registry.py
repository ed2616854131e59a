"""The method table: each wire method declared once, beside its handler.

A namespace module creates a `Namespace` and declares its handlers with it:

    chain = Namespace("chain")

    @chain.method("chain_getHeader", Param("hash", hash32, optional=True))
    def chain_getHeader(ctx, hash): ...

    @chain.subscription("chain_subscribeNewHeads", notification="chain_newHead",
                        unsubscribe="chain_unsubscribeNewHeads",
                        aliases=("subscribe_newHead", "chain_subscribeNewHead"),
                        unsubscribe_aliases=("unsubscribe_newHead", "chain_unsubscribeNewHead"))
    def chain_subscribeNewHeads(ctx): return <async iterator of items>

A handler is `(ctx, *params) -> JSON value` (plain or `async def`). A subscription handler
returns an async iterator whose items become `params.result` of the notifications; it
rejects the subscription by raising before it returns. Unsubscribe methods are generated
(as jsonrpsee does): they take the subscription id and answer true or false.

`Registry` merges namespaces into the wire-name table the server dispatches on; its
`names()` (canonical names, aliases and unsubscribes, sorted) is what `rpc_methods` lists.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import Any

from pysubtensor.primitives.slots_dataclass import slots_dataclass

from .errors import METHOD_NOT_FOUND
from .params import Param

__all__ = ["Entry", "Kind", "Namespace", "Registry", "RpcMethod"]


class Kind(Enum):
    CALL = "call"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"


@slots_dataclass(frozen=True)
class RpcMethod:
    """A declared method (or subscription): wire name, aliases, parameters, policy."""

    name: str
    handler: Callable[..., Any]
    params: tuple[Param, ...]
    aliases: tuple[str, ...] = ()
    #: Refused unless the endpoint allows unsafe methods (`--rpc-methods unsafe`, or auto on
    #: a loopback address); `unsafe_code` is the code the namespace wraps the refusal in.
    unsafe: bool = False
    unsafe_code: int = METHOD_NOT_FOUND
    #: Subscriptions: the notification method and the unsubscribe method with its aliases.
    notification: str | None = None
    unsubscribe: str | None = None
    unsubscribe_aliases: tuple[str, ...] = ()
    is_async: bool = False

    @property
    def is_subscription(self) -> bool:
        return self.notification is not None


@slots_dataclass(frozen=True)
class Entry:
    """What a wire name resolves to."""

    kind: Kind
    method: RpcMethod


class Namespace:
    """One namespace's declarations, in declaration order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.methods: list[RpcMethod] = []

    def method(self, name: str, *params: Param, aliases: Iterable[str] = (), unsafe: bool = False,
               unsafe_code: int = METHOD_NOT_FOUND) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare the handler for `name` (and its aliases) with its parameters."""

        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.methods.append(RpcMethod(name, handler, params, tuple(aliases), unsafe, unsafe_code,
                                          is_async=inspect.iscoroutinefunction(handler)))
            return handler

        return register

    def subscription(self, name: str, *params: Param, notification: str, unsubscribe: str,
                     aliases: Iterable[str] = (), unsubscribe_aliases: Iterable[str] = (),
                     unsafe: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare a subscription: `name` → notifications `notification`, ended by `unsubscribe`."""

        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.methods.append(RpcMethod(name, handler, params, tuple(aliases), unsafe,
                                          notification=notification, unsubscribe=unsubscribe,
                                          unsubscribe_aliases=tuple(unsubscribe_aliases),
                                          is_async=inspect.iscoroutinefunction(handler)))
            return handler

        return register

    def __iter__(self) -> Iterator[RpcMethod]:
        return iter(self.methods)


class Registry:
    """Wire name → `Entry`, merged from namespaces; a name may be declared only once."""

    def __init__(self, namespaces: Iterable[Namespace]) -> None:
        self._table: dict[str, Entry] = {}
        for namespace in namespaces:
            for method in namespace:
                kind = Kind.SUBSCRIBE if method.is_subscription else Kind.CALL
                for wire in (method.name, *method.aliases):
                    self._add(wire, Entry(kind, method))
                if method.unsubscribe is not None:
                    for wire in (method.unsubscribe, *method.unsubscribe_aliases):
                        self._add(wire, Entry(Kind.UNSUBSCRIBE, method))
        self._names = tuple(sorted(self._table))

    def _add(self, wire: str, entry: Entry) -> None:
        if wire in self._table:
            raise ValueError(f"RPC method {wire} is declared twice")
        self._table[wire] = entry

    def get(self, wire: str) -> Entry | None:
        return self._table.get(wire)

    def names(self) -> tuple[str, ...]:
        """Every callable wire name, sorted (what `rpc_methods` returns)."""
        return self._names

    def methods(self) -> list[RpcMethod]:
        """Each declared method once, in table order."""
        seen: dict[str, RpcMethod] = {}
        for entry in self._table.values():
            seen.setdefault(entry.method.name, entry.method)
        return list(seen.values())

    def __contains__(self, wire: str) -> bool:
        return wire in self._table

    def __len__(self) -> int:
        return len(self._table)
