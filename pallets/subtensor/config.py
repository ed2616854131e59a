"""SubtensorModule's `Config`: what the runtime provides to it (Rust `T::Currency`,
`T::SwapInterface`).

The pallet never imports Balances or a swap pallet: the runtime binds `currency` (the fungible
functions of Balances: `pallets.balances.fungible` satisfies `Currency`) and `swap` (the
Swap pallet's pool, the Dynamic TAO issue's) when it composes the pallets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.primitives.slots_dataclass import slots_dataclass

from .pallet import pallet

__all__ = ["Config", "Currency", "ProxyInterface", "SwapInterface", "SwapResult"]


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


@slots_dataclass(frozen=True)
class SwapResult:
    """`SwapResult` (subtensor-swap-interface): the net input that entered the pool, the
    output paid out, the fee charged on top of the input, and the part of it owed to the
    block author."""

    amount_paid_in: int
    amount_paid_out: int
    fee_paid: int
    fee_to_block_author: int

    @property
    def paid_in_reserve_delta(self) -> int:
        """What the input-side reserve gains (`paid_in_reserve_delta_i64().unsigned_abs()`:
        clamped to i64::MAX)."""
        return min(self.amount_paid_in, (1 << 63) - 1)

    @property
    def paid_out_reserve_delta(self) -> int:
        """What the output-side reserve loses (`paid_out_reserve_delta_i64().unsigned_abs()`:
        the negated amount clamped to i64::MIN, so at most 2^63)."""
        return min(self.amount_paid_out, 1 << 63)


class SwapInterface(Protocol):
    """`T::SwapInterface` (`SwapHandler`): a dynamic subnet's pool (the Swap pallet). Amounts
    in rao, limit prices in rao per alpha, prices as `U64F64` bits. Swaps raise the pool's
    errors (`PriceLimitExceeded`, `ReservesTooLow`, ...) and only read the reserves: the
    caller moves `SubnetTAO` / `SubnetAlphaIn` by the result."""

    def swap_tao_for_alpha(self, netuid: int, tao: int, price_limit: int, drop_fees: bool,
                           should_rollback: bool = False) -> SwapResult: ...

    def swap_alpha_for_tao(self, netuid: int, alpha: int, price_limit: int, drop_fees: bool,
                           should_rollback: bool = False) -> SwapResult: ...

    def sim_swap_tao_for_alpha(self, netuid: int, tao: int) -> SwapResult: ...

    def sim_swap_alpha_for_tao(self, netuid: int, alpha: int) -> SwapResult: ...

    def approx_fee_amount(self, netuid: int, amount: int) -> int: ...

    def current_alpha_price(self, netuid: int) -> int:
        """The subnet's alpha price in TAO, as `U64F64` bits (1.0 for a stable subnet)."""
        ...

    def max_price(self) -> int: ...

    def min_price(self) -> int: ...

    def adjust_protocol_liquidity(self, netuid: int, tao_delta: int, alpha_delta: int) -> tuple[int, int]: ...

    def clear_protocol_liquidity(self, netuid: int) -> None: ...

    def init_swap(self, netuid: int, maybe_price: int | None) -> None: ...

    def get_alpha_amount_for_tao(self, netuid: int, tao: int) -> int: ...


class ProxyInterface(Protocol):
    """`T::ProxyInterface`: the runtime's `Proxier`, a `SubnetLeaseBeneficiary` proxy (no
    delay) of a lease coldkey for its beneficiary, through the Proxy pallet."""

    def add_lease_beneficiary_proxy(self, lease: bytes, beneficiary: bytes) -> None: ...

    def remove_lease_beneficiary_proxy(self, lease: bytes, beneficiary: bytes) -> None: ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    currency: Currency
    #: None until the Swap pallet is composed: registration on a dynamic subnet then fails
    #: with a clear panic instead of inventing a price.
    swap: SwapInterface | None = None
    #: `T::AuthorshipProvider::author()`: the block author's account (the Aura authority), who
    #: receives the block-author share of swap fees; None without one.
    block_author: Callable[[], bytes | None] | None = None
    #: `T::EvmKeyAssociateRateLimit` (not a metadata constant): blocks between two EVM key
    #: associations of a uid; the runtime's `prod_or_fast!(7200, 1)`, fast on dev chains.
    evm_key_associate_rate_limit: int = 1
    #: `T::ProxyInterface`; None without a Proxy pallet (leases then fail with a clear error).
    proxy: ProxyInterface | None = None
    #: `T::CommitmentsInterface::purge_netuid`: a dissolved subnet's commitments are removed.
    purge_commitments: Callable[[int], None] | None = None
    #: `pallet_drand::Pulses::<T>::get(round)` (Rust's `Config: pallet_drand::Config`
    #: supertrait): a pulse with a `signature`, or None. Without drand nothing is revealed.
    pulse_of: Callable[[int], Any] = lambda round_number: None
