"""Inherent data (sp-inherents), and the timestamp's provider (sp-timestamp's
`InherentDataProvider`): what a block author hands the runtime to create inherents.

`InherentData` is `BTreeMap<InherentIdentifier, Vec<u8>>`: 8-byte identifiers to SCALE data.
"""

from __future__ import annotations

__all__ = ["TIMESTAMP_INHERENT_IDENTIFIER", "InherentData", "timestamp_inherent_data"]

InherentData = dict[bytes, bytes]

#: `sp_timestamp::INHERENT_IDENTIFIER`.
TIMESTAMP_INHERENT_IDENTIFIER = b"timstap0"


def timestamp_inherent_data(now_ms: int) -> InherentData:
    """The author's time (ms since the Unix epoch) as the timestamp's inherent data (u64 LE)."""
    return {TIMESTAMP_INHERENT_IDENTIFIER: now_ms.to_bytes(8, "little")}
