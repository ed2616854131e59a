"""`get_subnet_state`: a subnet's per-uid vectors (Rust module `show_subnet`)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.rpc_info.common import (
    ACCOUNT_PARAM,
    Account,
    CompactAlpha,
    CompactNetUid,
    CompactTao,
    CompactU16,
    CompactU64,
)
from pysubtensor.pallets.support.types import Bool, value_type

__all__ = ["SubnetState"]


@value_type("pallet_subtensor", "rpc_info", "show_subnet", "SubnetState", params=ACCOUNT_PARAM)
class SubnetState:
    """A subnet's per-uid vectors and emission history."""

    netuid: CompactNetUid
    hotkeys: list[Account]
    coldkeys: list[Account]
    active: list[Bool]
    validator_permit: list[Bool]
    pruning_score: list[CompactU16]
    last_update: list[CompactU64]
    emission: list[CompactAlpha]
    dividends: list[CompactU16]
    incentives: list[CompactU16]
    consensus: list[CompactU16]
    trust: list[CompactU16]
    rank: list[CompactU16]
    block_at_registration: list[CompactU64]
    alpha_stake: list[CompactAlpha]
    tao_stake: list[CompactTao]
    total_stake: list[CompactTao]
    emission_history: list[list[CompactAlpha]]
