"""`get_stake_info_for_coldkey(s)` / `get_stake_info_for_hotkey_coldkey_netuid`: one stake position;
`get_stake_availability_for_coldkeys` (main's): a coldkey's total, locked and free alpha on a subnet."""

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

__all__ = ["StakeAvailability", "StakeInfo"]


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


@value_type("pallet_subtensor", "rpc_info", "stake_info", "StakeAvailability")
class StakeAvailability:
    """A coldkey's alpha on one subnet: all of it, the locked mass, and what may leave
    (newer than spec 381: main's `get_stake_availability_for_coldkeys`)."""

    total: CompactAlpha
    locked: CompactAlpha
    available: CompactAlpha
