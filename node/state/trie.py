"""The trie as the node's state backend names it: `node.state.trie.trie_root` and
`ordered_trie_root` are sp-trie's roots, implemented once in `primitives.trie`."""

from pysubtensor.primitives.trie.codec import Node, decode_node, encode_node
from pysubtensor.primitives.trie.root import (
    CHILD_STORAGE_DEFAULT_PREFIX,
    CHILD_STORAGE_PREFIX,
    EMPTY_NODE,
    EMPTY_ROOT,
    MAX_INLINE_VALUE,
    build_trie,
    check_state_version,
    child_storage_key,
    collect_items,
    ordered_trie_root,
    trie_root,
    trie_root_with_children,
)

__all__ = [
    "CHILD_STORAGE_DEFAULT_PREFIX",
    "CHILD_STORAGE_PREFIX",
    "EMPTY_NODE",
    "EMPTY_ROOT",
    "MAX_INLINE_VALUE",
    "Node",
    "build_trie",
    "check_state_version",
    "child_storage_key",
    "collect_items",
    "decode_node",
    "encode_node",
    "ordered_trie_root",
    "trie_root",
    "trie_root_with_children",
]
