"""chainSpec_v1_*: the chain spec group of the new JSON-RPC spec (rpc-spec-v2 `chain_spec`).

Complete as a group (chainName, genesisHash, properties), so polkadot-api may use it
natively. `chainSpec_v1_chainName` is the chain spec's name (what `system_chain` returns).
"""

from __future__ import annotations

from typing import Any

from .context import RpcContext
from .registry import Namespace

__all__ = ["api"]

api = Namespace("chainSpec_v1")


@api.method("chainSpec_v1_chainName")
def chainSpec_v1_chainName(ctx: RpcContext) -> str:
    return ctx.node.info.name


@api.method("chainSpec_v1_genesisHash")
def chainSpec_v1_genesisHash(ctx: RpcContext) -> str:
    return "0x" + ctx.node.info.genesis_hash.hex()


@api.method("chainSpec_v1_properties")
def chainSpec_v1_properties(ctx: RpcContext) -> dict[str, Any]:
    return dict(ctx.node.info.properties or {})
