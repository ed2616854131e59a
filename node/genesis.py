"""The genesis block of a chain from its raw genesis storage (sc-chain-spec's genesis block).

The state version is read from the runtime in `:code` (see node.runtime_code); the header
is number 0 with a zero parent, the state root, the empty extrinsics root and no digest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from hashlib import blake2b
from typing import TypeVar

from pysubtensor.node.chain_spec import ChainSpecError, RawGenesis, StreamedTop, TopNotStreamable
from pysubtensor.node.runtime_code import RuntimeCodeError, read_runtime_version
from pysubtensor.node.state.db import genesis_root
from pysubtensor.primitives.header import EMPTY_TRIE_ROOT, Header

__all__ = ["CODE_KEY", "genesis_fingerprint", "genesis_header", "genesis_header_with_root", "genesis_state_version",
           "streamed_or_whole"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

CODE_KEY = b":code"


def genesis_state_version(top: Mapping[bytes, bytes]) -> int:
    """Trie layout of a genesis state, from the runtime version embedded in `:code`."""
    code = top.get(CODE_KEY)
    if code is None:
        raise ChainSpecError("genesis storage has no ':code' (0x3a636f6465): no runtime to read "
                             "the state version from")
    try:
        version = read_runtime_version(code)
    except RuntimeCodeError as e:
        raise ChainSpecError(f"genesis ':code': {e}") from None
    # Runtimes without a runtime_version section predate state versioning: V0.
    return 0 if version is None else version.state_version


def genesis_header(raw: RawGenesis, state_version: int | None = None) -> Header:
    """The genesis header of raw genesis storage; its blake2_256 is the genesis hash."""
    if state_version is None:
        state_version = genesis_state_version(raw.top)
    version = state_version
    return streamed_or_whole(raw, lambda g: genesis_header_with_root(genesis_root(g.top, g.children_default, version)))


def streamed_or_whole(raw: RawGenesis, build: Callable[[RawGenesis], _T]) -> _T:
    """`build(raw)`; again on the top map decoded whole if a streamed one turns out, as
    `build` reads it, not to be in the streamable shape (`TopNotStreamable`)."""
    try:
        return build(raw)
    except TopNotStreamable as e:
        assert isinstance(raw.top, StreamedTop)
        log.warning("%s; decoding the whole chain spec instead (as much memory as the JSON takes)", e)
        return build(RawGenesis(raw.top.whole(), raw.children_default))


def genesis_header_with_root(state_root: bytes) -> Header:
    """The genesis header over a state root already computed (number 0, zero parent, no body)."""
    return Header(parent_hash=bytes(32), number=0, state_root=state_root, extrinsics_root=EMPTY_TRIE_ROOT)


def genesis_fingerprint(raw: RawGenesis, state_version: int) -> bytes | None:
    """A digest of a large genesis's source: the text of a streamed spec's top map (its
    `digest`, taken as it was checked), the child tries and the state version; the chain
    database records it, and a restart from the same bytes skips building the trie again.
    None for storage held in memory (a small spec or a preset: quick to build again)."""
    digest = getattr(raw.top, "digest", b"")
    if not digest:
        return None
    h = blake2b(digest, digest_size=32, person=b"pysubtensor-gen")
    h.update(bytes((state_version,)))
    for child_key in sorted(raw.children_default):
        items = raw.children_default[child_key]
        h.update(len(child_key).to_bytes(4, "little") + child_key + len(items).to_bytes(4, "little"))
        for key in sorted(items):
            value = items[key]
            h.update(len(key).to_bytes(4, "little") + key + len(value).to_bytes(4, "little") + value)
    return h.digest()
