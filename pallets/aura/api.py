"""`AuraApi` (sp_consensus_aura): what a block author asks the runtime before authoring."""

from __future__ import annotations

from pysubtensor.pallets.aura.pallet import AUTHORITY_ID, Authorities, slot_duration
from pysubtensor.pallets.support.pallet import rust_docs
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.scale import U64, Field, Struct, Vec

__all__ = ["SLOT_DURATION", "AuraApi"]

SLOT_DURATION = Struct(("sp_consensus_slots", "SlotDuration"), (Field(None, U64, "u64"),))

AuraApi = RuntimeApi("AuraApi", 1, rust_docs("API necessary for block authorship with aura."))


@AuraApi.method("slot_duration", (), SLOT_DURATION, """
    Returns the slot duration for Aura.

    Currently, only the value provided by this type at genesis will be used.
""")
def aura_slot_duration() -> int:
    return slot_duration()


@AuraApi.method("authorities", (), Vec(AUTHORITY_ID), "Return the current set of authorities.")
def aura_authorities() -> list[bytes]:
    return list(Authorities.get())
