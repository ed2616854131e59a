"""Aura (pallet 3, `pallet_aura`): the authority set and the current slot.

A block's slot comes from its Aura pre-runtime digest (`PreRuntime(b"aura", slot as u64)`);
`on_initialize` stores it and requires it to grow (`AllowMultipleBlocksPerSlot` is false in
subtensor). The timestamp must fall in that slot (`on_timestamp_set`, bound as Timestamp's
`OnTimestampSet`). `SlotDuration` is `MinimumPeriodTimesTwo`: 250 ms with Timestamp's 125.
On the one-authority dev chain every slot's author is authority 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pysubtensor.pallets.support.dispatch import RuntimePanic, Weight
from pysubtensor.pallets.support.pallet import Pallet, constant
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.pallets.system import events as system_events
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT
from pysubtensor.pallets.system.pallet import Digest
from pysubtensor.pallets.timestamp import Constants as TimestampConstants
from pysubtensor.pallets.timestamp import get as timestamp_now
from pysubtensor.primitives.aura import AURA_ENGINE_ID, slot_from_digests
from pysubtensor.primitives.header import Consensus
from pysubtensor.primitives.scale import U64, Field, FixedBytes, Struct, Vec
from pysubtensor.primitives.ss58 import ss58_decode_account_id

__all__ = [
    "AURA_ENGINE_ID",
    "AUTHORITY_ID",
    "MAX_AUTHORITIES",
    "SLOT",
    "Authorities",
    "Constants",
    "CurrentSlot",
    "authorities_len",
    "change_authorities",
    "current_slot_from_digests",
    "find_author",
    "initialize_authorities",
    "on_initialize",
    "on_runtime_upgrade",
    "on_timestamp_set",
    "pallet",
    "slot_duration",
    "slot_from_digests",
]

pallet = Pallet("Aura", 3, crate="pallet_aura")

#: subtensor's `MaxAuthorities` for Aura.
MAX_AUTHORITIES = 32

#: `sp_consensus_aura::sr25519::app_sr25519::Public`; Python value: the 32-byte sr25519 key.
AUTHORITY_ID = Struct(("sp_consensus_aura", "sr25519", "app_sr25519", "Public"),
                      (Field(None, FixedBytes(32), "sr25519::Public"),))
#: `BoundedVec<AuthorityId, MaxAuthorities>` (the bound is not in the type information).
_AUTHORITIES = Struct(("bounded_collections", "bounded_vec", "BoundedVec"),
                      (Field(None, Vec(AUTHORITY_ID), "Vec<T>"),),
                      params=(("T", AUTHORITY_ID), ("S", None)))
#: `sp_consensus_slots::Slot`, a u64.
SLOT = Struct(("sp_consensus_slots", "Slot"), (Field(None, U64, "u64"),))


# -- storage

Authorities = pallet.storage("Authorities", StorageValue(_AUTHORITIES, default=list),
                             docs="The current authority set.")
CurrentSlot = pallet.storage("CurrentSlot", StorageValue(SLOT, default=0), docs="""
    The current slot of this block.

    This will be set in `on_initialize`.
""")

# -- constants


@pallet.constants
class Constants:
    SlotDuration = constant(U64, 2 * TimestampConstants.MinimumPeriod, """
        The slot duration Aura should run with, expressed in milliseconds.
        The effective value of this type should not change while the chain is running.

        For backwards compatibility either use [`MinimumPeriodTimesTwo`] or a const.
    """)


pallet.associated_type("AuthorityId", AUTHORITY_ID, "The identifier type for an authority.")


# -- hooks


@pallet.hook_on_initialize
def on_initialize(n: int) -> Weight:
    """Take the block's slot from its pre-runtime digest; it must be above the last one."""
    new_slot = current_slot_from_digests()
    if new_slot is None:
        return ROCKS_DB_WEIGHT.reads(1)
    if not CurrentSlot.get() < new_slot:
        raise RuntimePanic("Slot must increase")
    CurrentSlot.put(new_slot)
    # `DisabledValidators` is `()` in subtensor: no authority is ever disabled.
    return ROCKS_DB_WEIGHT.reads_writes(2, 1)


@pallet.hook_on_runtime_upgrade
def on_runtime_upgrade() -> Weight:
    """Recompute `CurrentSlot` from the timestamp when the slot duration changed."""
    new_slot = timestamp_now() // Constants.SlotDuration
    if CurrentSlot.get() != new_slot:
        CurrentSlot.put(new_slot)
        return ROCKS_DB_WEIGHT.reads_writes(2, 1)
    return ROCKS_DB_WEIGHT.reads(2)


def on_timestamp_set(moment: int) -> None:
    """Timestamp's `OnTimestampSet`: the block time must lie in the block's slot."""
    timestamp_slot = moment // Constants.SlotDuration
    if CurrentSlot.get() != timestamp_slot:
        raise RuntimePanic(
            "Timestamp slot must match `CurrentSlot`. This likely means that the configured block "
            "time in the node and/or rest of the runtime is not compatible with Aura's `SlotDuration`")


# -- genesis and helpers


def _authority(value: Any) -> bytes:
    """A genesis authority: 32 bytes, or an SS58 address as chain specs write them."""
    if isinstance(value, str):
        return ss58_decode_account_id(value)
    if isinstance(value, bytes | bytearray) and len(value) == 32:
        return bytes(value)
    raise ValueError(f"Aura authority must be 32 bytes or an SS58 address, got {value!r}")


def initialize_authorities(authorities: Sequence[Any]) -> None:
    """Set the genesis authority set (nothing for an empty list)."""
    if not authorities:
        return
    if Authorities.get():
        raise RuntimePanic("Authorities are already initialized!")
    if len(authorities) > MAX_AUTHORITIES:
        raise RuntimePanic("Initial authority set must be less than T::MaxAuthorities")
    Authorities.put([_authority(a) for a in authorities])


@pallet.genesis
def build_genesis(genesis_config: dict[str, Any]) -> None:
    """`{"authorities": [...]}`: the initial authority set."""
    initialize_authorities((genesis_config or {}).get("authorities", []))


#: `sp_consensus_aura::ConsensusLog::AuthoritiesChange`'s index: the log Aura deposits when the
#: authority set changes (its payload is the new `Vec<AuthorityId>`).
_AUTHORITIES_CHANGE = 1


def change_authorities(new: Sequence[bytes]) -> None:
    """`Pallet::change_authorities`: the new set takes effect at once and an `AuthoritiesChange`
    consensus log goes into the block's digest; an empty set is ignored."""
    if not new:
        return
    Authorities.put(list(new))
    system_events.deposit_log(Consensus(AURA_ENGINE_ID,
                                        bytes((_AUTHORITIES_CHANGE,)) + Vec(AUTHORITY_ID).encode(list(new))))


def slot_duration() -> int:
    return Constants.SlotDuration


def authorities_len() -> int:
    return len(Authorities.get())


def current_slot_from_digests() -> int | None:
    """The slot of the block being built, from `System.Digest`."""
    return slot_from_digests(Digest.get().logs)


def find_author(logs: Iterable[Any]) -> int | None:
    """`FindAuthor`: the index of the slot's authority (slot modulo the authority count)."""
    slot = slot_from_digests(logs)
    n = authorities_len()
    if slot is None or n == 0:
        return None
    return slot % n
