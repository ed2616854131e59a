"""system_*: node and chain identity, health, and the pool-aware nonce
(sc-rpc-api `system`, frame `substrate-frame-rpc-system`).

The node has no networking: `system_peers` is `[]`, `system_localListenAddresses` is `[]`,
`system_health` reports no peers and `shouldHavePeers` only on non-Development chains.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.node.api import BadApiInput, RuntimeApiError, UnknownBlockError

from .context import RpcContext
from .errors import ResponseError
from .params import Param, account_id, hash32, hex_bytes
from .registry import Namespace

__all__ = ["api", "chain_type_json"]

api = Namespace("system")

#: frame-rpc-system's `Error`: RuntimeError = 1, DecodeError = 2.
RUNTIME_ERROR = 1
DECODE_ERROR = 2

_CHAIN_TYPES = ("Development", "Local", "Live")


def chain_type_json(chain_type: Any) -> Any:
    """sc-chain-spec `ChainType` as serde writes it: a bare string, or `{"Custom": name}`."""
    if isinstance(chain_type, str) and chain_type in _CHAIN_TYPES:
        return chain_type
    if isinstance(chain_type, dict):
        return dict(chain_type)
    return {"Custom": str(chain_type)}


@api.method("system_name")
def system_name(ctx: RpcContext) -> str:
    """The node implementation's name (node-subtensor answers "Subtensor Node")."""
    return ctx.node.info.impl_name


@api.method("system_version")
def system_version(ctx: RpcContext) -> str:
    return ctx.node.info.node_version


@api.method("system_chain")
def system_chain(ctx: RpcContext) -> str:
    """The chain spec's name ("Bittensor" for the subtensor localnet)."""
    return ctx.node.info.name


@api.method("system_chainType")
def system_chainType(ctx: RpcContext) -> Any:
    return chain_type_json(ctx.node.info.chain_type)


@api.method("system_properties")
def system_properties(ctx: RpcContext) -> dict[str, Any]:
    return dict(ctx.node.info.properties or {})


def health(ctx: RpcContext) -> dict[str, Any]:
    return {"peers": 0, "isSyncing": False,
            "shouldHavePeers": chain_type_json(ctx.node.info.chain_type) != "Development"}


@api.method("system_health")
def system_health(ctx: RpcContext) -> dict[str, Any]:
    return health(ctx)


@api.method("system_localPeerId")
def system_localPeerId(ctx: RpcContext) -> str:
    return ctx.peer_id


@api.method("system_localListenAddresses")
def system_localListenAddresses(ctx: RpcContext) -> list[str]:
    """No p2p listener: no addresses."""
    return []


@api.method("system_peers", unsafe=True)
def system_peers(ctx: RpcContext) -> list[Any]:
    return []


@api.method("system_reservedPeers")
def system_reservedPeers(ctx: RpcContext) -> list[str]:
    return []


@api.method("system_nodeRoles")
def system_nodeRoles(ctx: RpcContext) -> list[str]:
    return ["Authority" if ctx.node.info.is_authority else "Full"]


@api.method("system_syncState")
def system_syncState(ctx: RpcContext) -> dict[str, int]:
    best = ctx.node.header(ctx.node.best_hash()).number
    return {"startingBlock": ctx.starting_block, "currentBlock": best, "highestBlock": best}


@api.method("system_accountNextIndex", Param("account", account_id), aliases=("account_nextIndex",))
def system_accountNextIndex(ctx: RpcContext, account: bytes) -> int:
    """The on-chain nonce advanced past the sender's ready pool transactions."""
    try:
        return ctx.node.account_next_index(account)
    except (RuntimeApiError, UnknownBlockError) as e:
        raise ResponseError(RUNTIME_ERROR, "Unable to query nonce.", str(e)) from None


@api.method("system_dryRun", Param("extrinsic", hex_bytes), Param("at", hash32, optional=True),
            aliases=("system_dryRunAt",), unsafe=True)
def system_dryRun(ctx: RpcContext, extrinsic: bytes, at: bytes | None) -> str:
    """SCALE `ApplyExtrinsicResult` of `BlockBuilder_apply_extrinsic` on the block's state."""
    block = ctx.node.best_hash() if at is None else at
    try:
        result = ctx.node.runtime_call(block, "BlockBuilder_apply_extrinsic", extrinsic)
    except BadApiInput as e:
        raise ResponseError(DECODE_ERROR, "Unable to dry run extrinsic", str(e)) from None
    except RuntimeApiError as e:
        raise ResponseError(RUNTIME_ERROR, "Unable to dry run extrinsic.", str(e)) from None
    except UnknownBlockError as e:
        raise ResponseError(RUNTIME_ERROR, "Unable to dry run extrinsic.", str(e)) from None
    return "0x" + result.hex()
