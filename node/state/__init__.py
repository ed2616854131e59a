"""Substrate state: the sp-trie (LayoutV0/V1) over LevelDB, with a flat index for the head.

Modules, one concept each:

* `codec` — node encoding/decoding; `trie` — whole-set roots (`trie_root`,
  `ordered_trie_root`, child tries); `update` — incremental root updates;
* `walk` — lookups, ordered iteration, trie diff; `proof` — read proofs;
* `store` — LevelDB opening and key layout; `commit` — pending commits and atomic
  batches; `db` — `StateDB`; `view` — `StateView`; `errors` — exception types.
"""

from pysubtensor.primitives.trie.codec import EMPTY_ROOT
from pysubtensor.primitives.trie.root import (
    CHILD_STORAGE_DEFAULT_PREFIX,
    child_storage_key,
    ordered_trie_root,
    trie_root,
    trie_root_with_children,
)

from .commit import PendingCommit, StagedCommit, StateWriteBatch
from .db import StateDB
from .errors import (
    MissingNodeError,
    ProofError,
    StateCorruptError,
    StateError,
    StateLockedError,
    StateOpenError,
    TrieDecodeError,
    UnknownStateError,
)
from .proof import verify_child_read_proof, verify_read_proof
from .view import StateView

__all__ = [
    "CHILD_STORAGE_DEFAULT_PREFIX",
    "EMPTY_ROOT",
    "MissingNodeError",
    "PendingCommit",
    "ProofError",
    "StagedCommit",
    "StateCorruptError",
    "StateDB",
    "StateError",
    "StateLockedError",
    "StateOpenError",
    "StateView",
    "StateWriteBatch",
    "TrieDecodeError",
    "UnknownStateError",
    "child_storage_key",
    "ordered_trie_root",
    "trie_root",
    "trie_root_with_children",
    "verify_child_read_proof",
    "verify_read_proof",
]
