"""The block being built, from frame-system's side: `initialize` … `finalize`, the extrinsic
index and phase, the block's consumed weight, and System's genesis.

The executive calls, per block (as frame-executive does):

    reset_events()                       # `initialize` does it unless told not to
    initialize(number, parent_hash, pre_runtime_digest)
    register_extra_weight_unchecked(base_block + on_initialize weights, MANDATORY)
    note_finished_initialize()
    for each extrinsic: note_extrinsic(encoded); <apply>; note_applied_extrinsic(result, info)
    note_finished_extrinsics()
    <on_finalize hooks>
    finalize()  ->  FinalizedBlock(number, parent_hash, extrinsics, digest)

The node turns `FinalizedBlock` into the header: extrinsics root from `extrinsics`, state
root from the committed state.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import (
    DispatchError,
    DispatchInfo,
    PostDispatchInfo,
    RuntimePanic,
    Weight,
)
from pysubtensor.primitives import externalities, header
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import U32
from pysubtensor.primitives.slots_dataclass import slots_dataclass

from . import events
from .pallet import (
    EXTRINSIC_INDEX,
    INTRABLOCK_ENTROPY,
    AllExtrinsicsLen,
    BlockHash,
    BlockWeight,
    Constants,
    Digest,
    Event,
    ExecutionPhase,
    ExtrinsicCount,
    ExtrinsicData,
    ExtrinsicWeightReclaimed,
    InherentsApplied,
    LastRuntimeUpgrade,
    Number,
    ParentHash,
    UpgradedToTripleRefCount,
    UpgradedToU32RefCount,
    pallet,
)
from .types import (
    FINALIZATION,
    INITIALIZATION,
    PHASE,
    DispatchEventInfo,
    LastRuntimeUpgradeInfo,
    PerDispatchClass,
    apply_extrinsic,
)

__all__ = [
    "HASH69",
    "FinalizedBlock",
    "all_extrinsics_len",
    "block_hash",
    "block_number",
    "block_weight",
    "build_genesis",
    "digest",
    "digest_ref",
    "extrinsic_count",
    "extrinsic_index",
    "finalize",
    "inherents_applied",
    "initialize",
    "initialize_intra_block_entropy",
    "note_applied_extrinsic",
    "note_extrinsic",
    "note_finished_extrinsics",
    "note_finished_initialize",
    "note_inherents_applied",
    "parent_hash",
    "reclaim_weight",
    "register_extra_weight_unchecked",
    "remaining_block_weight",
]

#: The genesis block's "parent hash": 32 bytes of 69.
HASH69 = bytes([69]) * 32


@slots_dataclass(frozen=True)
class FinalizedBlock:
    """What `finalize` hands back for the header: the state root is the node's to compute,
    the extrinsics root is the ordered trie root of `extrinsics`."""

    number: int
    parent_hash: bytes
    extrinsics: list[bytes]
    digest: header.Digest


# -- accessors


def block_number() -> int:
    return Number.get()


def parent_hash() -> bytes:
    return ParentHash.get()


def digest() -> header.Digest:
    return Digest.get()


def digest_ref() -> header.Digest:
    """`digest()` for a caller that only reads it: shared with the storage cache, not a copy."""
    return Digest.peek()


def block_hash(number: int) -> bytes:
    """`BlockHash[number]`: 32 zero bytes outside the kept window."""
    return BlockHash.get(number)


def extrinsic_index() -> int | None:
    """The index of the extrinsic being applied (`:extrinsic_index`), if a block is open."""
    raw = externalities.current().get(EXTRINSIC_INDEX)
    return None if raw is None else U32.decode_all(raw)


def extrinsic_count() -> int:
    return ExtrinsicCount.get() or 0


def all_extrinsics_len() -> int:
    return AllExtrinsicsLen.get() or 0


def inherents_applied() -> bool:
    return InherentsApplied.get()


def note_inherents_applied() -> None:
    InherentsApplied.put(True)


# -- block life cycle


def initialize(number: int, parent_hash: bytes, digest: header.Digest, *, reset_events: bool = True) -> None:
    """Open block `number`: frame-system's `initialize` (phase, `:extrinsic_index`,
    intra-block entropy, Number, Digest, ParentHash, `BlockHash[number - 1]`, a fresh
    BlockWeight).

    With `reset_events` (the default) the previous block's events are cleared first, which
    frame-executive does just before this call (before any runtime-upgrade hook, whose
    events it keeps). Panics unless `number` is the stored block number plus one.
    """
    if reset_events:
        events.reset_events()
    expected = Number.get() + 1
    if number != expected:
        raise RuntimePanic(f"Block number must be strictly increasing: expected {expected}, got {number}.")
    ExecutionPhase.put(INITIALIZATION)
    externalities.current().set(EXTRINSIC_INDEX, U32.encode(0))
    initialize_intra_block_entropy(parent_hash)
    Number.put(number)
    Digest.put(digest)
    ParentHash.put(parent_hash)
    BlockHash.insert(number - 1, parent_hash)
    BlockWeight.kill()


def initialize_intra_block_entropy(parent_hash: bytes) -> None:
    """`:intrablock_entropy` = blake2_256(b"frame_system::initialize" ++ parent_hash)."""
    externalities.current().set(INTRABLOCK_ENTROPY, blake2_256(b"frame_system::initialize" + parent_hash))


def note_finished_initialize() -> None:
    _put_phase(apply_extrinsic(0))


def note_extrinsic(encoded_xt: bytes) -> None:
    """Keep the encoded extrinsic under the current index; `finalize` takes it back for the
    extrinsics root."""
    ExtrinsicData.insert(extrinsic_index() or 0, encoded_xt)


def note_applied_extrinsic(result: PostDispatchInfo | DispatchError | None, info: DispatchInfo) -> None:
    """After an extrinsic ran: `ExtrinsicSuccess` or `ExtrinsicFailed` with the actual weight
    (capped at the declared one) plus the class's base extrinsic weight, then the next index
    and phase.

    `result` is what the dispatch returned (None or a `PostDispatchInfo`) or the
    `DispatchError` it raised (whose `post_info` counts, if set).
    """
    failed = isinstance(result, DispatchError)
    post = (result.post_info if failed else result) or PostDispatchInfo()
    weight = post.calc_actual_weight(info).saturating_add(Constants.BlockWeights.get(info.dispatch_class).base_extrinsic)
    event_info = DispatchEventInfo(weight, info.dispatch_class, post.pays(info))
    pallet.deposit_event(Event.ExtrinsicFailed(result.value, event_info) if failed else Event.ExtrinsicSuccess(event_info))
    next_index = (extrinsic_index() or 0) + 1
    externalities.current().set(EXTRINSIC_INDEX, U32.encode(next_index))
    _put_phase(apply_extrinsic(next_index))
    ExtrinsicWeightReclaimed.kill()


def _put_phase(phase: tuple[str, int]) -> None:
    """`ExecutionPhase.put(phase)` of an `ApplyExtrinsic` phase, kept decoded: the block's
    events read it (a tuple of a str and an int, what decoding its bytes gives)."""
    externalities.current().set_decoded(ExecutionPhase.prefix, PHASE.encode(phase), PHASE, phase)


def note_finished_extrinsics() -> None:
    ext = externalities.current()
    raw = ext.get(EXTRINSIC_INDEX)
    ext.clear(EXTRINSIC_INDEX)
    ExtrinsicCount.put(0 if raw is None else U32.decode_all(raw))
    ExecutionPhase.put(FINALIZATION)


def finalize() -> FinalizedBlock:
    """Close the block: remove the per-block temporaries, take the noted extrinsics, prune
    the `BlockHash` entry that left the `BlockHashCount` window (the genesis hash stays).
    Events, Number, ParentHash and Digest stay for clients until the next `initialize`."""
    ExecutionPhase.kill()
    AllExtrinsicsLen.kill()
    externalities.current().clear(INTRABLOCK_ENTROPY)
    InherentsApplied.kill()
    number = Number.get()
    parent = ParentHash.get()
    block_digest = Digest.get()
    extrinsics = [ExtrinsicData.take(i) for i in range(ExtrinsicCount.take() or 0)]
    to_remove = max(number - Constants.BlockHashCount - 1, 0)
    if to_remove:
        BlockHash.remove(to_remove)
    return FinalizedBlock(number, parent, extrinsics, block_digest)


# -- block weight


def block_weight() -> PerDispatchClass:
    """The weight consumed so far in this block, per dispatch class."""
    return BlockWeight.get()


def register_extra_weight_unchecked(weight: Weight, dispatch_class: str) -> None:
    """Add `weight` to the block's `dispatch_class` total, past any limit (hooks, inherents)."""
    consumed = BlockWeight.get()
    BlockWeight.put(consumed.with_value(dispatch_class, consumed.get(dispatch_class).saturating_add(weight)))


def reclaim_weight(info: DispatchInfo, post_info: PostDispatchInfo) -> None:
    """Give back to the block the weight a call declared but did not use, once per extrinsic
    (`ExtrinsicWeightReclaimed` remembers what was already given back)."""
    already = ExtrinsicWeightReclaimed.get()
    unspent = info.weight.saturating_sub(post_info.calc_actual_weight(info))
    accurate = Weight(max(already.ref_time, unspent.ref_time), max(already.proof_size, unspent.proof_size))
    more = accurate.saturating_sub(already)
    if more != Weight(0, 0):
        consumed = BlockWeight.get()
        cls = info.dispatch_class
        BlockWeight.put(consumed.with_value(cls, consumed.get(cls).saturating_sub(more)))
        ExtrinsicWeightReclaimed.put(accurate)


def remaining_block_weight() -> Weight:
    """`max_block` less everything consumed so far (saturating at zero)."""
    return Constants.BlockWeights.max_block.saturating_sub(BlockWeight.get().total())


# -- genesis


def build_genesis(genesis_config: dict[str, Any] | None = None) -> None:
    """System's genesis: `BlockHash[0]` and `ParentHash` are hash69, `LastRuntimeUpgrade` is
    this runtime's version, both ref-count migrations are marked done, `:extrinsic_index`
    is 0. (System's genesis config has no fields.)"""
    BlockHash.insert(0, HASH69)
    ParentHash.put(HASH69)
    LastRuntimeUpgrade.put(LastRuntimeUpgradeInfo.of(pallet.config.version))
    UpgradedToU32RefCount.put(True)
    UpgradedToTripleRefCount.put(True)
    externalities.current().set(EXTRINSIC_INDEX, U32.encode(0))
