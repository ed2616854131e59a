"""Where the chain database keeps things inside the LevelDB it shares with the state.

The state (node.state.StateDB) writes only keys starting with `STATE_PREFIX`; the chain
writes only keys starting with `CHAIN_PREFIX`, one namespace byte after it:

    ch + hash            -> SCALE header
    cb + hash            -> body: SCALE Vec<Vec<u8>> of the encoded extrinsics, in order
    cn + number (u32 BE) -> hash of the canonical (best-chain) block at that height
    cl + hash            -> b"" for each leaf that can still become best
    cm + name            -> metadata: schema, genesis, best and finalized hashes, the
                            fingerprint of the genesis storage's source (a large raw spec)

A block's state root is its header's `state_root`; the state under that root lives in the
StateDB and is committed in the same write batch as the block.
"""

from __future__ import annotations

from pysubtensor.primitives.scale import BYTES, Vec

__all__ = ["BODY", "CHAIN_PREFIX", "SCHEMA", "STATE_PREFIX", "ChainKeys"]

STATE_PREFIX = b"s"
CHAIN_PREFIX = b"c"
#: Version of this layout; `ChainDB.open` refuses anything else.
SCHEMA = b"\x01"
#: A body is the list of encoded extrinsics, each kept byte-exact.
BODY = Vec(BYTES)


class ChainKeys:
    """Key builders of the chain namespace."""

    __slots__ = ()

    header = CHAIN_PREFIX + b"h"
    body = CHAIN_PREFIX + b"b"
    canonical = CHAIN_PREFIX + b"n"
    leaf = CHAIN_PREFIX + b"l"
    meta = CHAIN_PREFIX + b"m"
    schema = meta + b"schema"
    genesis = meta + b"genesis"
    genesis_source = meta + b"gsource"
    best = meta + b"best"
    finalized = meta + b"final"

    @staticmethod
    def number(n: int) -> bytes:
        """The canonical-index key of height `n` (big-endian, so keys sort by height)."""
        return ChainKeys.canonical + n.to_bytes(4, "big")
