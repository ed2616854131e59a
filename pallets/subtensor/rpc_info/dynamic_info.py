"""`get_dynamic_info` / `get_all_dynamic_info`: a subnet's pool and emission at a glance."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.rpc_info.common import (
    ACCOUNT_PARAM,
    I96F32,
    Account,
    CompactAlpha,
    CompactNetUid,
    CompactTao,
    CompactU8,
    CompactU16,
    CompactU64,
    CompactU128,
    SubnetIdentityV3,
)
from pysubtensor.pallets.support.types import value_type

__all__ = ["DynamicInfo"]


@value_type("pallet_subtensor", "rpc_info", "dynamic_info", "DynamicInfo", params=ACCOUNT_PARAM)
class DynamicInfo:
    """A subnet's identity, pool reserves and emission (name and symbol are bytes as `Vec<Compact<u8>>`)."""

    netuid: CompactNetUid
    owner_hotkey: Account
    owner_coldkey: Account
    subnet_name: list[CompactU8]
    token_symbol: list[CompactU8]
    tempo: CompactU16
    last_step: CompactU64
    blocks_since_last_step: CompactU64
    emission: CompactU64
    alpha_in: CompactAlpha
    alpha_out: CompactAlpha
    tao_in: CompactTao
    alpha_out_emission: CompactAlpha
    alpha_in_emission: CompactAlpha
    tao_in_emission: CompactTao
    pending_alpha_emission: CompactAlpha
    pending_root_emission: CompactTao
    subnet_volume: CompactU128
    network_registered_at: CompactU64
    subnet_identity: SubnetIdentityV3 | None
    moving_price: I96F32
