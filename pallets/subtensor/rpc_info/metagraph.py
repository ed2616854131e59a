"""`get_metagraph`, `get_mechagraph` (the same struct, for one mechanism of a subnet) and
`get_selective_metagraph` / `get_selective_mechagraph` (every field optional, present when asked for)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.rpc_info.common import (
    ACCOUNT_PARAM,
    I96F32,
    Account,
    AxonInfo,
    ChainIdentityOfV2,
    CompactAlpha,
    CompactNetUid,
    CompactTao,
    CompactU8,
    CompactU16,
    CompactU64,
    CompactU128,
    SubnetIdentityV3,
    option,
    tuple_of,
)
from pysubtensor.pallets.support.types import Bool, value_type

__all__ = ["Metagraph", "SelectiveMetagraph"]

#: (hotkey, dividends) per hotkey.
TaoDividend = tuple_of(Account, CompactTao)
AlphaDividend = tuple_of(Account, CompactAlpha)
#: (hotkey, commitment bytes).
Commitment = tuple_of(Account, list[CompactU8])


@value_type("pallet_subtensor", "rpc_info", "metagraph", "Metagraph", params=ACCOUNT_PARAM)
class Metagraph:
    """A subnet's whole state: parameters, pool, and per-uid vectors."""

    netuid: CompactNetUid
    name: list[CompactU8]
    symbol: list[CompactU8]
    identity: SubnetIdentityV3 | None
    network_registered_at: CompactU64
    owner_hotkey: Account
    owner_coldkey: Account
    block: CompactU64
    tempo: CompactU16
    last_step: CompactU64
    blocks_since_last_step: CompactU64
    subnet_emission: CompactU64
    alpha_in: CompactAlpha
    alpha_out: CompactAlpha
    tao_in: CompactTao
    alpha_out_emission: CompactAlpha
    alpha_in_emission: CompactAlpha
    tao_in_emission: CompactTao
    pending_alpha_emission: CompactAlpha
    pending_root_emission: CompactTao
    subnet_volume: CompactU128
    moving_price: I96F32
    rho: CompactU16
    kappa: CompactU16
    min_allowed_weights: CompactU16
    max_weights_limit: CompactU16
    weights_version: CompactU64
    weights_rate_limit: CompactU64
    activity_cutoff: CompactU16
    max_validators: CompactU16
    num_uids: CompactU16
    max_uids: CompactU16
    burn: CompactTao
    difficulty: CompactU64
    registration_allowed: Bool
    pow_registration_allowed: Bool
    immunity_period: CompactU16
    min_difficulty: CompactU64
    max_difficulty: CompactU64
    min_burn: CompactTao
    max_burn: CompactTao
    adjustment_alpha: CompactU64
    adjustment_interval: CompactU16
    target_regs_per_interval: CompactU16
    max_regs_per_block: CompactU16
    serving_rate_limit: CompactU64
    commit_reveal_weights_enabled: Bool
    commit_reveal_period: CompactU64
    liquid_alpha_enabled: Bool
    alpha_high: CompactU16
    alpha_low: CompactU16
    bonds_moving_avg: CompactU64
    hotkeys: list[Account]
    coldkeys: list[Account]
    identities: list[ChainIdentityOfV2 | None]
    axons: list[AxonInfo]
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
    tao_dividends_per_hotkey: list[TaoDividend]
    alpha_dividends_per_hotkey: list[AlphaDividend]


@value_type("pallet_subtensor", "rpc_info", "metagraph", "SelectiveMetagraph", params=ACCOUNT_PARAM)
class SelectiveMetagraph:
    """Metagraph with each field but `netuid` optional (`Some` where its index was asked for), plus
    validators and commitments."""

    netuid: CompactNetUid
    name: list[CompactU8] | None
    symbol: list[CompactU8] | None
    identity: option(SubnetIdentityV3 | None)
    network_registered_at: CompactU64 | None
    owner_hotkey: Account | None
    owner_coldkey: Account | None
    block: CompactU64 | None
    tempo: CompactU16 | None
    last_step: CompactU64 | None
    blocks_since_last_step: CompactU64 | None
    subnet_emission: CompactU64 | None
    alpha_in: CompactAlpha | None
    alpha_out: CompactAlpha | None
    tao_in: CompactTao | None
    alpha_out_emission: CompactAlpha | None
    alpha_in_emission: CompactAlpha | None
    tao_in_emission: CompactTao | None
    pending_alpha_emission: CompactAlpha | None
    pending_root_emission: CompactTao | None
    subnet_volume: CompactU128 | None
    moving_price: I96F32 | None
    rho: CompactU16 | None
    kappa: CompactU16 | None
    min_allowed_weights: CompactU16 | None
    max_weights_limit: CompactU16 | None
    weights_version: CompactU64 | None
    weights_rate_limit: CompactU64 | None
    activity_cutoff: CompactU16 | None
    max_validators: CompactU16 | None
    num_uids: CompactU16 | None
    max_uids: CompactU16 | None
    burn: CompactTao | None
    difficulty: CompactU64 | None
    registration_allowed: Bool | None
    pow_registration_allowed: Bool | None
    immunity_period: CompactU16 | None
    min_difficulty: CompactU64 | None
    max_difficulty: CompactU64 | None
    min_burn: CompactTao | None
    max_burn: CompactTao | None
    adjustment_alpha: CompactU64 | None
    adjustment_interval: CompactU16 | None
    target_regs_per_interval: CompactU16 | None
    max_regs_per_block: CompactU16 | None
    serving_rate_limit: CompactU64 | None
    commit_reveal_weights_enabled: Bool | None
    commit_reveal_period: CompactU64 | None
    liquid_alpha_enabled: Bool | None
    alpha_high: CompactU16 | None
    alpha_low: CompactU16 | None
    bonds_moving_avg: CompactU64 | None
    hotkeys: list[Account] | None
    coldkeys: list[Account] | None
    identities: list[ChainIdentityOfV2 | None] | None
    axons: list[AxonInfo] | None
    active: list[Bool] | None
    validator_permit: list[Bool] | None
    pruning_score: list[CompactU16] | None
    last_update: list[CompactU64] | None
    emission: list[CompactAlpha] | None
    dividends: list[CompactU16] | None
    incentives: list[CompactU16] | None
    consensus: list[CompactU16] | None
    trust: list[CompactU16] | None
    rank: list[CompactU16] | None
    block_at_registration: list[CompactU64] | None
    alpha_stake: list[CompactAlpha] | None
    tao_stake: list[CompactTao] | None
    total_stake: list[CompactTao] | None
    tao_dividends_per_hotkey: list[TaoDividend] | None
    alpha_dividends_per_hotkey: list[AlphaDividend] | None
    validators: list[CompactU16] | None
    commitments: list[Commitment] | None
