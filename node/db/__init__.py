"""The chain database: blocks, canonical chain, best/finalized pointers and the state of
every block, on one LevelDB (see `layout` for the keys, `chain` for the rules, `paths` for
where a chain's data lives on disk)."""

from .chain import BlockInfo, ChainDB, FinalizeResult, ImportResult
from .errors import (
    ChainDbCorrupt,
    ChainDbError,
    ChainDbLocked,
    ChainDbOpenError,
    InvalidBlock,
    NotInFinalizedChain,
    UnknownBlock,
)

__all__ = [
    "BlockInfo",
    "ChainDB",
    "ChainDbCorrupt",
    "ChainDbError",
    "ChainDbLocked",
    "ChainDbOpenError",
    "FinalizeResult",
    "ImportResult",
    "InvalidBlock",
    "NotInFinalizedChain",
    "UnknownBlock",
]
