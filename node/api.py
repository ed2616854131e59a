"""What the running node offers to the JSON-RPC layer: the seam between `node` and `rpc`.

`node.service` implements `NodeHandle`; `rpc/` handlers see only this protocol (and never
aiohttp or LevelDB), so they can be tested against a fake and the service against them.
All methods run on the node's single asyncio loop; the service owns every chain write.

Hashes are raw 32-byte `bytes`; encoded headers, extrinsics and storage values are raw
`bytes`. Errors a client can cause are the exceptions named below, which the RPC layer maps
to Substrate's error codes.

The RPC layer reaches the runtime only through this module: `NodeHandle.runtime_call` (raw
SCALE in and out), `call_runtime_api` (the result decoded with the method's declared type),
the runtime call errors (`RuntimeApiError`, and `BadApiInput` when the argument bytes do not
decode) and the runtime's `SESSION_KEY_TYPES`. `rpc/` imports no runtime module itself (an
import contract in pyproject.toml checks it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pysubtensor.primitives.header import Header
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.runtime.apis import METHODS, SESSION_KEY_TYPES, BadApiInput, RuntimeApiError

__all__ = [
    "MAX_NEW_BLOCKS",
    "SESSION_KEY_TYPES",
    "BadApiInput",
    "BlockNotification",
    "ChainInfo",
    "NodeHandle",
    "RuntimeApiError",
    "SealResult",
    "UnknownBlockError",
    "call_runtime_api",
    "submit_ahead",
]


#: Blocks one dev call (dev_newBlock, dev_advanceToNextEpoch, --dev-blocks) may produce: they
#: are built under the node's one lock (reads are served between them, other writes wait),
#: 6-15 ms each on the dev chain.
MAX_NEW_BLOCKS = 10_000


class UnknownBlockError(LookupError):
    """A block hash (or number) the node does not have (or whose state was discarded)."""


@slots_dataclass(frozen=True)
class ChainInfo:
    """What `system_chain`, `system_chainType`, `system_properties`, `system_name` report.

    `node_name` is the `--name` of this node (telemetry, identity); `impl_name` is what
    `system_name` answers."""

    name: str
    id: str
    chain_type: str
    properties: Mapping[str, Any]
    node_name: str
    node_version: str
    genesis_hash: bytes
    is_authority: bool = True
    #: The sr25519 public key this node seals blocks with (its dev key); None if it has none.
    authoring_key: bytes | None = None
    #: `system_name`: the node implementation's name, as node-subtensor reports it
    #: (`impl_name` in its CLI), not the `--name` of this node.
    impl_name: str = "Subtensor Node"


@dataclass(frozen=True, slots=True)
class BlockNotification:
    """One imported block, as subscriptions see it.

    `changes` holds the storage writes of the block (key → value, None = deleted) so that
    `state_subscribeStorage` can notify without re-reading state; `is_new_best` and
    `finalized` say which head streams it belongs to; `retracted` lists best-chain blocks it
    replaced (a reorg).
    """

    hash: bytes
    header: Header
    is_new_best: bool
    changes: Mapping[bytes, bytes | None] = field(default_factory=dict)
    retracted: Sequence[bytes] = ()
    runtime_version_changed: bool = False


@slots_dataclass(frozen=True)
class SealResult:
    """What `engine_createBlock` returns (CreatedBlock in sc-consensus-manual-seal)."""

    hash: bytes
    is_new_best: bool
    proof_size: int = 0


class NodeHandle(Protocol):
    """The running node, as the RPC layer uses it."""

    info: ChainInfo

    # -- chain
    def best_hash(self) -> bytes: ...
    def finalized_hash(self) -> bytes: ...
    def hash_of(self, number: int) -> bytes | None:
        """Canonical block hash at `number`, or None."""
    def header(self, block_hash: bytes) -> Header:
        """Raises UnknownBlockError."""
    def body(self, block_hash: bytes) -> list[bytes]:
        """Encoded extrinsics (each with its length prefix). Raises UnknownBlockError."""

    # -- state (read-only views of a block's state)
    def storage(self, block_hash: bytes, key: bytes) -> bytes | None: ...
    def storage_keys(self, block_hash: bytes, prefix: bytes, start_key: bytes | None = None,
                     limit: int | None = None) -> list[bytes]:
        """Keys under `prefix` strictly after `start_key`, ascending (state_getKeysPaged)."""
    def read_proof(self, block_hash: bytes, keys: Sequence[bytes]) -> list[bytes]: ...
    def child_read_proof(self, block_hash: bytes, child_key: bytes, keys: Sequence[bytes]) -> list[bytes]:
        """Proof of `keys` in a default child trie: the top path to its root entry plus the
        child paths (state_getChildReadProof)."""
    def child_storage(self, block_hash: bytes, child_key: bytes, key: bytes) -> bytes | None: ...
    def child_storage_keys(self, block_hash: bytes, child_key: bytes, prefix: bytes,
                           start_key: bytes | None = None, limit: int | None = None) -> list[bytes]: ...
    def runtime_call(self, block_hash: bytes, method: str, data: bytes) -> bytes:
        """Run a runtime API (`Core_version`, …) on a throwaway overlay of the block's state.
        Raises RuntimeApiError (BadApiInput when `data` does not decode as the inputs) for
        unknown methods, bad input, panics; UnknownBlockError."""
    def runtime_version(self, block_hash: bytes) -> Any:
        """The runtime.version.RuntimeVersion in force at the block."""
    def metadata(self, block_hash: bytes) -> bytes:
        """`state_getMetadata`: prefixed V14 metadata bytes."""

    # -- transactions (the pool; errors are node.txpool.errors.PoolError subclasses)
    def submit_extrinsic(self, encoded: bytes) -> bytes: ...
    def submit_and_watch(self, encoded: bytes) -> Any:
        """A node.txpool Watcher: an async iterator of TransactionStatus (`.to_json()`)."""
    def pending_extrinsics(self) -> list[bytes]: ...
    def remove_extrinsics(self, hashes: Sequence[bytes]) -> list[bytes]: ...
    def account_next_index(self, account: bytes) -> int:
        """`system_accountNextIndex`: the on-chain nonce advanced past ready pool transactions."""

    # -- notifications
    def blocks(self) -> AsyncIterator[BlockNotification]:
        """Every imported block from now on, in import order (new heads, all heads, storage)."""
    def finalized_blocks(self) -> AsyncIterator[Header]:
        """Each newly finalized block (and its not yet reported ancestors) in order."""

    # -- authoring (manual seal and dev helpers; unsafe RPC methods)
    async def create_block(self, create_empty: bool, finalize: bool, parent_hash: bytes | None) -> SealResult: ...
    async def finalize_block(self, block_hash: bytes) -> bool: ...
    async def new_blocks(self, count: int = 1, to: int | None = None) -> bytes:
        """dev_newBlock: seal `count` blocks (or up to number `to`); returns the last hash."""
    def next_epoch_start_block(self, netuid: int) -> int | None:
        """The block after the best in which subnet `netuid`'s epoch runs next (the runtime's
        prediction); None when it never runs (tempo 0). Raises LookupError: no such subnet."""
    async def advance_to_next_epoch(self, netuid: int) -> tuple[int, bytes]:
        """dev_advanceToNextEpoch: produce blocks up to that one; returns its number and hash."""
    async def set_storage(self, changes: Mapping[bytes, bytes | None]) -> bytes:
        """dev_setStorage: write raw storage in a new block on top of best; returns its hash."""
    async def time_travel(self, timestamp_ms: int) -> int:
        """dev_timeTravel: the next block's timestamp (blocks keep advancing from there)."""
    async def set_head(self, block: bytes | int) -> bytes:
        """dev_setHead: make an existing block (by hash or number) the best."""
    async def snapshot(self) -> int:
        """Remember the current best block; returns a snapshot id."""
    async def revert(self, snapshot_id: int) -> bool:
        """Make the snapshot's block best again (later blocks stay in the database as a fork)."""


def call_runtime_api(node: NodeHandle, block_hash: bytes, method: str, data: bytes) -> Any:
    """`node.runtime_call(block_hash, method, data)`, its SCALE result decoded with the
    method's declared output type (what sp-api's generated client does). Raises as
    `runtime_call`; `MethodNotFound` (a RuntimeApiError) for a name the runtime does not export."""
    raw = node.runtime_call(block_hash, method, data)
    _, api_method = METHODS[method]
    return api_method.output.decode_all(raw)


def submit_ahead(node: NodeHandle, encoded: bytes, *, watch: bool = False) -> Awaitable[Any] | None:
    """When the node validates submissions ahead, off its event loop's core (node.service.Node
    with a validation worker): an awaitable of what `submit_extrinsic` (or, with `watch`,
    `submit_and_watch`) returns for `encoded`, submitted in arrival order once validated;
    it raises the same `PoolError`. Else None: submit at once. It never changes what the pool
    answers, only where the validation runs."""
    ahead = getattr(node, "submit_ahead", None)
    return None if ahead is None else ahead(encoded, watch=watch)
