"""Substrate JSON-RPC over HTTP and WebSocket (aiohttp), one module per namespace.

`serve(node, config)` is what the node service enters: an async context manager that runs
a site per `config.rpc` endpoint. Handlers see only `node.api.NodeHandle`.
"""

from .server import RpcServer, build_app, serve

__all__ = ["RpcServer", "build_app", "serve"]
