"""Minting the block's TAO (Rust `coinbase/tao.rs` on subtensor main: `mint_tao`, `spend_tao`,
`recycle_credit`).

Spec 381 only raised SubtensorModule's `TotalIssuance` for what its coinbase injected and left
Balances alone; this runtime keeps every subnet's TAO in the subnet account (see
`subnets/logic.py`), so the emission is issued as a Balances credit, placed into the subnet
accounts as it is injected, and what is left unspent is recycled: both issuances grow by exactly
what entered the subnet accounts, and never past 21M TAO."""

from __future__ import annotations

from ..pallet import pallet
from ..staking.storage import TotalIssuance
from .block_emission import TOTAL_SUPPLY

__all__ = ["mint_tao", "recycle_credit", "spend_tao"]

_U64_MAX = (1 << 64) - 1


def mint_tao(amount: int):
    """Issue `amount` (capped so Balances' issuance stays within 21M TAO) as a credit; raises
    `TotalIssuance` by what was issued."""
    currency = pallet.config.currency
    amount = min(amount, max(TOTAL_SUPPLY - currency.total_issuance(), 0))
    TotalIssuance.put(min(TotalIssuance.get() + amount, _U64_MAX))
    return currency.issue(amount)


def spend_tao(account: bytes, credit, part: int):
    """Place `part` of `credit` into `account`: (True, the rest) or, if the credit is short or
    the account cannot take it, (False, the whole credit back)."""
    if credit.peek() < part:
        return False, credit
    to_spend, remainder = credit.split(part)
    unresolved = pallet.config.currency.resolve(account, to_spend)
    if unresolved is None:
        return True, remainder
    return False, unresolved.merge(remainder)


def recycle_credit(credit) -> None:
    """What was not spent leaves both issuances."""
    amount = credit.peek()
    if amount:
        TotalIssuance.put(max(TotalIssuance.get() - amount, 0))
    credit.drop()
