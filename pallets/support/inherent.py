"""Inherents (frame-support's `ProvideInherent`): calls a pallet puts into every block from
the author's inherent data (the timestamp), and checks in a block it imports.

A pallet that provides one declares it on itself, and the executive asks every composed
pallet in runtime order (it knows none by name):

    class TimestampInherent(ProvideInherent):
        identifier = INHERENT_IDENTIFIER
        def create_inherent(self, data): return ("set", {"now": ...})
        def check_inherent(self, call, data): ...   # raise an InherentError
        def is_inherent(self, call): return call[0] == "set"

    pallet.provide_inherent(TimestampInherent())

`call` is a call of that pallet as its Call enum decodes it: `(name, args)`.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.primitives.inherents import InherentData

__all__ = ["InherentData", "InherentError", "ProvideInherent"]


class InherentError(Exception):
    """A pallet's `ProvideInherent::Error`: `encode()` is what `CheckInherentsResult` holds
    under the pallet's identifier; a fatal one ends the check (`IsFatalError`)."""

    is_fatal = True

    def encode(self) -> bytes:
        raise NotImplementedError


class ProvideInherent:
    """`ProvideInherent` defaults: no inherent created, every one accepted, none recognised."""

    #: `INHERENT_IDENTIFIER`: the key of this pallet's data in `InherentData`.
    identifier: bytes = b""

    def create_inherent(self, data: InherentData) -> tuple[str, Any] | None:
        """The call (of this pallet) to put into the block being built, or None."""
        return None

    def check_inherent(self, call: tuple[str, Any], data: InherentData) -> None:
        """Check an imported block's inherent against our inherent data; raise an `InherentError`."""

    def is_inherent(self, call: tuple[str, Any]) -> bool:
        """Whether this call of the pallet is its inherent."""
        return False
