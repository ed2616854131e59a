"""Substrate JSON-RPC over HTTP and WebSocket (aiohttp), one module per namespace."""
