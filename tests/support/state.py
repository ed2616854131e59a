"""The in-memory committed state the runtime reads through `Externalities`."""

from __future__ import annotations

import bisect

__all__ = ["DictBackend"]


class DictBackend:
    """A committed state held in a dict (what the LevelDB state offers, minus persistence)."""

    def __init__(self, items: dict[bytes, bytes] | None = None) -> None:
        self.items = dict(items or {})
        self.keys = sorted(self.items)

    def get(self, key: bytes) -> bytes | None:
        return self.items.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        i = bisect.bisect_right(self.keys, key)
        return self.keys[i] if i < len(self.keys) else None
