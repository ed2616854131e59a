"""sp_consensus_aura: the Aura engine id and the slot digest a block author puts in a header
(`PreRuntime(b"aura", slot as u64)`), shared by the pallet that reads it and the node that
writes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pysubtensor.primitives.header import PreRuntime
from pysubtensor.primitives.scale import U64, ScaleDecodeError

__all__ = ["AURA_ENGINE_ID", "pre_digest", "slot_from_digests"]

AURA_ENGINE_ID = b"aura"


def pre_digest(slot: int) -> PreRuntime:
    """The Aura pre-runtime digest item a block author puts in the header for `slot`."""
    return PreRuntime(AURA_ENGINE_ID, slot.to_bytes(8, "little"))


def slot_from_digests(logs: Iterable[Any]) -> int | None:
    """The slot of the first Aura pre-runtime digest among `logs`, if any."""
    for item in logs:
        if isinstance(item, PreRuntime) and item.engine == AURA_ENGINE_ID:
            try:
                return U64.decode(item.data)[0]  # trailing bytes are ignored, as `Slot::decode`
            except ScaleDecodeError:
                return None
    return None
