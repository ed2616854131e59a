"""Minting the block's TAO (after Rust `coinbase/tao.rs` on subtensor main: `mint_tao`,
`spend_tao`, `recycle_credit`).

Spec 381 only raised SubtensorModule's `TotalIssuance` by what its coinbase injected and left
Balances alone; this runtime keeps every subnet's TAO in the subnet account (see
`subnets/logic.py`), so the TAO that enters a subnet is issued into its account (Balances
`Issued` and `Deposit`) and counted in `TotalIssuance`. Main issues the whole block emission
up front and recycles what is not spent; here only what is spent is issued, so both issuances
grow by exactly what entered the subnet accounts (an empty block leaves no Balances events, as
on spec 381), and never past 21M TAO."""

from __future__ import annotations

from ..pallet import pallet
from ..staking.storage import TotalIssuance
from .block_emission import TOTAL_SUPPLY

__all__ = ["mint_tao", "spend_tao"]

_U64_MAX = (1 << 64) - 1


def mint_tao(amount: int) -> int:
    """The block's TAO budget: `amount`, capped so Balances' issuance stays within 21M TAO."""
    return min(amount, max(TOTAL_SUPPLY - pallet.config.currency.total_issuance(), 0))


def spend_tao(account: bytes, budget: int, part: int) -> tuple[bool, int]:
    """Issue `part` of the budget into `account`: (True, budget left), or (False, budget) if
    the budget is short or the account cannot take it (nothing issued then)."""
    if part > budget:
        return False, budget
    currency = pallet.config.currency
    unresolved = currency.resolve(account, currency.issue(part))
    if unresolved is not None:
        unresolved.drop()
        return False, budget
    TotalIssuance.put(min(TotalIssuance.get() + part, _U64_MAX))
    return True, budget - part
