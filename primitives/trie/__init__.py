"""The Substrate base-16 Patricia-Merkle trie (sp-trie): node codec and roots."""

from pysubtensor.primitives.trie.codec import EMPTY_ROOT, TrieDecodeError, decode_node, encode_node
from pysubtensor.primitives.trie.root import (
    CHILD_STORAGE_DEFAULT_PREFIX,
    CHILD_STORAGE_PREFIX,
    child_storage_key,
    ordered_trie_root,
    trie_root,
    trie_root_with_children,
)

__all__ = [
    "CHILD_STORAGE_DEFAULT_PREFIX",
    "CHILD_STORAGE_PREFIX",
    "EMPTY_ROOT",
    "TrieDecodeError",
    "child_storage_key",
    "decode_node",
    "encode_node",
    "ordered_trie_root",
    "trie_root",
    "trie_root_with_children",
]
