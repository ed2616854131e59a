"""Which subnets emit and how the block's TAO is split across them (Rust
`coinbase/subnet_emissions.rs`, `coinbase/block_step.rs`, `staking/stake_utils.rs`, spec 381),
the moving price (EMA) each emitting subnet's share follows, and the root proportion.

Shares follow the moving price (`get_shares_price_ema`, as the issue and subtensor main do);
spec 381 had switched to EMA TAO flows (`get_shares_flow`), which is not ported."""

from __future__ import annotations

from pysubtensor.pallets.system.block import block_number
from pysubtensor.primitives.fixed import I96F32, U64F64, U96F32

from ..pallet import pallet
from ..staking.stake_weights import get_tao_weight
from ..subnets.logic import get_moving_alpha_price
from ..subnets.storage import (
    FirstEmissionBlockNumber,
    NetworkPowRegistrationAllowed,
    NetworkRegistrationAllowed,
    SubtokenEnabled,
)
from .storage import (
    EMAPriceHalvingBlocks,
    RootProp,
    SubnetAlphaIn,
    SubnetAlphaOut,
    SubnetMovingAlpha,
    SubnetMovingPrice,
    SubnetTAO,
)

__all__ = [
    "get_alpha_issuance", "get_network_root_sell_flag", "get_shares", "get_subnet_block_emissions",
    "get_subnets_to_emit_to", "root_proportion", "update_moving_price", "update_moving_prices", "update_root_prop",
]

ROOT = 0
_U64_MAX = (1 << 64) - 1
_ONE_U96 = U96F32.from_num(1)


def get_alpha_issuance(netuid: int) -> int:
    """`SubnetAlphaIn + SubnetAlphaOut` (saturating u64)."""
    return min(SubnetAlphaIn.get(netuid) + SubnetAlphaOut.get(netuid), _U64_MAX)


def get_subnets_to_emit_to(subnets: list[int]) -> list[int]:
    """Non-root subnets whose owner called `start_call` (`FirstEmissionBlockNumber` set) with
    the subtoken enabled and registration (burned or PoW) allowed."""
    return [netuid for netuid in subnets
            if netuid != ROOT
            and FirstEmissionBlockNumber.get(netuid) is not None
            and SubtokenEnabled.get(netuid)
            and (NetworkRegistrationAllowed.get(netuid) or NetworkPowRegistrationAllowed.get(netuid))]


def _moving_price_u64f64(netuid: int) -> int:
    return U64F64.saturating_from_fixed(U96F32, get_moving_alpha_price(netuid))


def get_shares(subnets_to_emit_to: list[int]) -> dict[int, int]:
    """`get_shares_price_ema`: each subnet's moving price over their (saturating) sum, U64F64
    bits; 0 for all when the sum is 0."""
    total = 0
    for netuid in subnets_to_emit_to:
        total = U64F64.saturating_add(total, _moving_price_u64f64(netuid))
    shares = {}
    for netuid in subnets_to_emit_to:
        share = U64F64.checked_div(_moving_price_u64f64(netuid), total)
        shares[netuid] = 0 if share is None else share
    return dict(sorted(shares.items()))


def get_subnet_block_emissions(subnets_to_emit_to: list[int], block_emission: int) -> dict[int, int]:
    """Each subnet's TAO this block (U96F32 bits): `U64F64(block_emission) · share`."""
    emission = U64F64.saturating_from_fixed(U96F32, block_emission)
    return {netuid: U96F32.saturating_from_fixed(U64F64, U64F64.saturating_mul(emission, share))
            for netuid, share in get_shares(subnets_to_emit_to).items()}


def get_network_root_sell_flag(subnets_to_emit_to: list[int]) -> bool:
    """Root alpha is sold (kept pending) only while the moving prices sum above 1."""
    total = 0
    for netuid in subnets_to_emit_to:
        total = U96F32.wrapping_add(total, get_moving_alpha_price(netuid))  # `Sum`: wraps in release
    return total > _ONE_U96


def root_proportion(netuid: int) -> int:
    """`tw·R / (tw·R + alpha issuance)` with R = root's `SubnetTAO` (U96F32 bits; 0 for 0/0)."""
    alpha_issuance = U96F32.saturating_from_num(get_alpha_issuance(netuid))
    weighted_root = U96F32.saturating_mul(U96F32.saturating_from_num(SubnetTAO.get(ROOT)), get_tao_weight())
    proportion = U96F32.checked_div(weighted_root, U96F32.saturating_add(weighted_root, alpha_issuance))
    return 0 if proportion is None else proportion


def update_moving_price(netuid: int) -> None:
    """`new = a·min(price, 1) + (1 - a)·old`, `a = SubnetMovingAlpha · b/(b + halving)` with b
    the blocks since the block before `FirstEmissionBlockNumber` (U96F32, stored as I96F32)."""
    start_call_block = max((FirstEmissionBlockNumber.get(netuid) or 0) - 1, 0)
    blocks = U96F32.saturating_from_num(max(block_number() - start_call_block, 0))
    halving = U96F32.saturating_from_num(EMAPriceHalvingBlocks.get(netuid))
    moving_alpha = U96F32.saturating_from_fixed(I96F32, SubnetMovingAlpha.get())
    alpha = U96F32.saturating_mul(moving_alpha, U96F32.safe_div(blocks, U96F32.saturating_add(blocks, halving)))
    one_minus_alpha = U96F32.saturating_sub(_ONE_U96, alpha)
    price = min(pallet.config.swap.current_alpha_price(netuid), U64F64.from_num(1))
    current_price = U96F32.saturating_mul(alpha, U96F32.saturating_from_fixed(U64F64, price))
    current_moving = U96F32.saturating_mul(one_minus_alpha, get_moving_alpha_price(netuid))
    new_moving = I96F32.saturating_from_fixed(U96F32, U96F32.saturating_add(current_price, current_moving))
    SubnetMovingPrice.insert(netuid, new_moving)


def _emitting_subnets() -> list[int]:
    from ..apis.reads import all_subnet_netuids

    return get_subnets_to_emit_to(all_subnet_netuids())


def update_moving_prices() -> None:
    """block_step 5: after the coinbase used them, the emitting subnets' moving prices move."""
    for netuid in _emitting_subnets():
        update_moving_price(netuid)


def update_root_prop() -> None:
    """block_step 6: record each emitting subnet's root proportion (`RootProp`)."""
    for netuid in _emitting_subnets():
        RootProp.insert(netuid, root_proportion(netuid))
