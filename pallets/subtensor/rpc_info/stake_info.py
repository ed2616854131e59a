"""`get_stake_info_for_coldkey(s)` / `get_stake_info_for_hotkey_coldkey_netuid`: one stake position."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.rpc_info.common import (
    ACCOUNT_PARAM,
    Account,
    CompactAlpha,
    CompactNetUid,
    CompactTao,
    CompactU64,
)
from pysubtensor.pallets.support.types import Bool, value_type

__all__ = ["StakeInfo"]


@value_type("pallet_subtensor", "rpc_info", "stake_info", "StakeInfo", params=ACCOUNT_PARAM)
class StakeInfo:
    """A (hotkey, coldkey, netuid) stake position."""

    hotkey: Account
    coldkey: Account
    netuid: CompactNetUid
    stake: CompactAlpha
    locked: CompactU64
    emission: CompactAlpha
    tao_emission: CompactTao
    drain: CompactU64
    is_registered: Bool
