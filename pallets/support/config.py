"""A pallet's `Config`: what it takes from the runtime that composes it.

A Rust pallet names what it needs from outside as associated types of its `Config` trait
(`type OnTimestampSet`, `type AccountStore`, `type RuntimeEvent`…) and `construct_runtime!`
binds them (`impl pallet_timestamp::Config for Runtime { type OnTimestampSet = Aura; … }`).
Here a pallet declares a frozen dataclass deriving from `PalletConfig`, whose fields are
those needs (typed by a `Protocol` where they are behaviour), and the runtime binds one
instance when it composes the pallets (`pallet.bind(Config(...))`, all in
`runtime/construct.py`). Pallet code reads its bindings from `pallet.config` when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["DepositEvent", "PalletConfig"]


class DepositEvent(Protocol):
    def __call__(self, pallet: Any, event: Any) -> None:
        """Record one of `pallet`'s (a `Pallet`) events (the runtime: `RuntimeEvent::<Pallet>(event)` in
        System's `Events`)."""
        ...


@dataclass(frozen=True, kw_only=True)
class PalletConfig:
    """What every pallet takes from the runtime: where its events go (`RuntimeEvent`).

    A pallet with further needs derives its own `Config` from this (keyword-only fields, with
    a default where Rust's would be `()`).
    """

    deposit_event: DepositEvent
