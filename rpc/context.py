"""What a handler sees: the node, the endpoint's policy and the server's small state.

Handlers never see aiohttp: `RpcContext` is their whole world. One context per endpoint
(the unsafe policy is per endpoint); the key store and the node are shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pysubtensor.node.api import NodeHandle
from pysubtensor.primitives.crypto import Scheme
from pysubtensor.primitives.keyring import Keypair

__all__ = ["Keystore", "RpcContext"]


class Keystore:
    """An in-memory key store for `author_insertKey` / `rotateKeys` / `hasKey` /
    `hasSessionKeys`: (key type, public key) → secret URI. Nothing is written to disk; keys
    are gone when the node stops (a dev node authors with its `--alice` key regardless)."""

    def __init__(self) -> None:
        self._keys: dict[tuple[bytes, bytes], str] = {}

    def insert(self, key_type: bytes, suri: str, public: bytes) -> None:
        self._keys[(key_type, public)] = suri

    def has_key(self, key_type: bytes, public: bytes) -> bool:
        return (key_type, public) in self._keys

    def generate(self, key_type: bytes, scheme: Scheme, seed: bytes) -> bytes:
        """A new key of `scheme` from a 32-byte seed, stored under `key_type`; its public key."""
        pair = Keypair.from_seed(seed, scheme)
        self._keys[(key_type, pair.public_key)] = "0x" + seed.hex()
        return pair.public_key

    def __len__(self) -> int:
        return len(self._keys)


@dataclass(slots=True)
class RpcContext:
    """The node and what the server knows about itself, for one endpoint."""

    node: NodeHandle
    #: Whether unsafe methods are served on this endpoint.
    allow_unsafe: bool
    keystore: Keystore = field(default_factory=Keystore)
    #: `system_localPeerId` (the node has no networking; the id only has the right shape).
    peer_id: str = ""
    #: `system_syncState.startingBlock`: the best block number when the server started.
    starting_block: int = 0
    #: `rpc_methods`: every wire name, sorted.
    method_names: tuple[str, ...] = ()
