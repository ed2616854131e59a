"""How much a limit order may trade (staking/add_stake.rs `get_max_amount_add`,
remove_stake.rs `get_max_amount_remove`): a simulated swap of the largest input the pool
accepts (1000x the input reserve) up to the limit price, its net input plus its fee. The
pool's errors (`PriceLimitExceeded` when the price is already past the limit,
`ReservesTooLow`) propagate. Root and stable subnets never move: everything or nothing.
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import RuntimePanic

from ..coinbase.storage import SubnetAlphaIn, SubnetTAO
from ..pallet import pallet
from ..subnets.storage import SubnetMechanism

__all__ = ["get_max_amount_add", "get_max_amount_remove"]

_U64_MAX = (1 << 64) - 1
_ONE_TAO = 1_000_000_000
#: `MAX_SWAP_INPUT_RESERVE_MULTIPLIER` of the pool, as the Rust repeats it here.
_MAX_INPUT_MULTIPLIER = 1_000


def _swap():
    swap = pallet.config.swap
    if swap is None:
        raise RuntimePanic("SubtensorModule: no SwapInterface bound (the Swap pallet is not composed yet)")
    return swap


def get_max_amount_add(netuid: int, limit_price: int) -> int:
    """The most TAO (fee included) a stake may buy before the price reaches `limit_price`
    (rao per alpha); u64::MAX or 0 on root / a stable subnet (limit at or above 1.0, or not)."""
    if netuid == 0 or SubnetMechanism.get(netuid) == 0:
        return _U64_MAX if limit_price >= _ONE_TAO else 0
    amount = min(SubnetTAO.get(netuid) * _MAX_INPUT_MULTIPLIER, _U64_MAX)
    result = _swap().swap_tao_for_alpha(netuid, amount, limit_price, False, True)
    return min(result.amount_paid_in + result.fee_paid, _U64_MAX)


def get_max_amount_remove(netuid: int, limit_price: int) -> int:
    """The most alpha (fee included) an unstake may sell before the price falls to
    `limit_price`; u64::MAX or 0 on root / a stable subnet (limit at or below 1.0, or not)."""
    if netuid == 0 or SubnetMechanism.get(netuid) == 0:
        return _U64_MAX if limit_price <= _ONE_TAO else 0
    amount = min(SubnetAlphaIn.get(netuid) * _MAX_INPUT_MULTIPLIER, _U64_MAX)
    result = _swap().swap_alpha_for_tao(netuid, amount, limit_price, False, True)
    return min(result.amount_paid_in + result.fee_paid, _U64_MAX)
