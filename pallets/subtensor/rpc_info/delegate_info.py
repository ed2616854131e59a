"""`get_delegate(s)` / `get_delegated`: a delegate hotkey and its nominators."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.rpc_info.common import (
    ACCOUNT_PARAM,
    Account,
    CompactNetUid,
    CompactU16,
    CompactU64,
    tuple_of,
)
from pysubtensor.pallets.support.types import value_type

__all__ = ["DelegateInfo"]

#: (netuid, stake) of one nominator.
NetuidStake = tuple_of(CompactNetUid, CompactU64)
#: (nominator coldkey, its stakes per subnet).
Nominator = tuple_of(Account, list[NetuidStake])


@value_type("pallet_subtensor", "rpc_info", "delegate_info", "DelegateInfo", params=ACCOUNT_PARAM)
class DelegateInfo:
    """A delegate: take, nominators with their stake per subnet, registrations and permits."""

    delegate_ss58: Account
    take: CompactU16
    nominators: list[Nominator]
    owner_ss58: Account
    registrations: list[CompactNetUid]
    validator_permits: list[CompactNetUid]
    return_per_1000: CompactU64
    total_daily_return: CompactU64
