"""SubtensorModule's `Config`: what the runtime provides to it (Rust `T::Currency`,
`T::SwapInterface`).

The pallet never imports Balances or a swap pallet: the runtime binds `currency` (the fungible
functions of Balances: `pallets.balances.fungible` satisfies `Currency`) and `swap` (the
Swap pallet's pool, the Dynamic TAO issue's) when it composes the pallets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.support.config import PalletConfig

from .pallet import pallet

__all__ = ["Config", "Currency", "SwapInterface", "SwapResult"]


class Currency(Protocol):
    """`T::Currency` (`fungible::Mutate` over TaoBalance), the functions the pallet calls."""

    def balance(self, who: bytes) -> int: ...

    def total_issuance(self) -> int: ...

    def reducible_balance(self, who: bytes, preservation: str, force: str) -> int: ...

    def can_withdraw(self, who: bytes, amount: int) -> tuple[str, int]: ...

    def transfer(self, source: bytes, dest: bytes, amount: int, preservation: str) -> int: ...

    def withdraw(self, who: bytes, value: int, precision: str, preservation: str, force: str) -> Any:
        """A `Credit` (`peek()`, `drop()`: dropping it lowers total issuance)."""
        ...

    def deposit(self, who: bytes, value: int, precision: str) -> Any:
        """A `Debt` (`peek()`, `drop()`: dropping it raises total issuance)."""
        ...


@dataclass(frozen=True, slots=True)
class SwapResult:
    """`SwapResult`: what was paid in and out, and how the pool's reserves moved."""

    amount_paid_in: int
    amount_paid_out: int
    fee_paid: int
    #: `paid_in_reserve_delta` / `paid_out_reserve_delta`, as magnitudes.
    paid_in_reserve_delta: int
    paid_out_reserve_delta: int


class SwapInterface(Protocol):
    """`T::SwapInterface`: a dynamic subnet's pool (the Swap pallet)."""

    def swap_tao_for_alpha(self, netuid: int, tao: int, drop_fees: bool) -> SwapResult: ...

    def current_alpha_price(self, netuid: int) -> int:
        """The subnet's alpha price in TAO, as `U64F64` bits (1.0 for a stable subnet)."""
        ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    currency: Currency
    #: None until the Swap pallet is composed: registration on a dynamic subnet then fails
    #: with a clear panic instead of inventing a price.
    swap: SwapInterface | None = None
