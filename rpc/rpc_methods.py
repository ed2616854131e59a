"""rpc_methods: every callable wire name, aliases and unsubscribes included, sorted
(`{"methods": [...]}`, as sc-rpc-server's `build_rpc_api`). Unsafe methods are listed even
where they are refused, as Substrate lists them."""

from __future__ import annotations

from .context import RpcContext
from .registry import Namespace

__all__ = ["api"]

api = Namespace("rpc")


@api.method("rpc_methods")
def rpc_methods(ctx: RpcContext) -> dict[str, list[str]]:
    return {"methods": list(ctx.method_names)}
