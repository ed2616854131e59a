"""The method table of the server: every namespace, merged (chopsticks' `rpc/index`).

New-spec groups are listed only when complete (polkadot-api switches per group on whether
any of its methods is listed): `chainSpec_v1`, `chainHead_v1`, `transaction_v1` and
`transactionWatch_v1` are; `archive_v1` is not served yet.
"""

from __future__ import annotations

from . import (
    author,
    chain,
    chain_head_v1,
    chain_spec_v1,
    childstate,
    dev,
    engine,
    payment,
    rpc_methods,
    state,
    system,
    transaction_v1,
)
from .registry import Registry

__all__ = ["NAMESPACES", "REGISTRY"]

NAMESPACES = (
    system.api,
    chain.api,
    state.api,
    childstate.api,
    author.api,
    payment.api,
    engine.api,
    dev.api,
    chain_spec_v1.api,
    chain_head_v1.api,
    transaction_v1.broadcast_api,
    transaction_v1.watch_api,
    rpc_methods.api,
)

REGISTRY = Registry(NAMESPACES)
