"""The Swap pallet's calls: `set_fee_rate` (root) and spec 381's five user-liquidity calls,
which the Balancer runtime keeps only to refuse them (`Deprecated`)."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.types import NetUid
from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Weight, ensure, ensure_root
from pysubtensor.pallets.support.types import AccountId, Bool, scale_type, u16, u64
from pysubtensor.primitives.scale import I64

from .pallet import POSITION_ID, TICK_INDEX, Error, Event, FeeRate, pallet

__all__ = ["add_liquidity", "disable_lp", "modify_position", "remove_liquidity", "set_fee_rate",
           "toggle_user_liquidity"]

_TickIndex = scale_type(TICK_INDEX, int, "TickIndex")
_PositionId = scale_type(POSITION_ID, int, "PositionId")
_i64 = scale_type(I64, int, "i64")

#: `SubstrateWeight::set_fee_rate` (pallets/swap/src/weights.rs): 1 read, 1 write.
SET_FEE_RATE_WEIGHT = Weight(15_063_000, 3_994).saturating_add(ROCKS_DB_WEIGHT.reads_writes(1, 1))
#: `Weight::from_parts(15_000_000, 0)` of each deprecated call.
DEPRECATED_WEIGHT = Weight(15_000_000, 0)


@pallet.call(0, weight=SET_FEE_RATE_WEIGHT)
def set_fee_rate(origin, netuid: NetUid, rate: u16) -> None:
    """Set the fee rate for swaps on a specific subnet (normalized value).
    For example, 0.3% is approximately 196.

    Only callable by the admin origin"""
    ensure_root(origin)
    ensure(pallet.config.subnet_info.exists(netuid), Error.MechanismDoesNotExist)
    ensure(rate <= pallet.config.max_fee_rate, Error.FeeRateTooHigh)
    FeeRate.insert(netuid, rate)
    pallet.deposit_event(Event.FeeRateSet(netuid, rate))


@pallet.call(4, weight=DEPRECATED_WEIGHT)
def toggle_user_liquidity(origin, netuid: NetUid, enable: Bool) -> None:
    """Enable user liquidity operations for a specific subnet. This switches the
    subnet from V2 to V3 swap mode. Thereafter, adding new user liquidity can be disabled
    by toggling this flag to false, but the swap mode will remain V3 because of existing
    user liquidity until all users withdraw their liquidity.

    Only sudo or subnet owner can enable user liquidity.
    Only sudo can disable user liquidity."""
    raise Error.Deprecated()


@pallet.call(1, weight=DEPRECATED_WEIGHT)
def add_liquidity(origin, hotkey: AccountId, netuid: NetUid, tick_low: _TickIndex, tick_high: _TickIndex,
                  liquidity: u64) -> None:
    """Add liquidity to a specific price range for a subnet.

    Parameters:
    - origin: The origin of the transaction
    - netuid: Subnet ID
    - tick_low: Lower bound of the price range
    - tick_high: Upper bound of the price range
    - liquidity: Amount of liquidity to add

    Emits `Event::LiquidityAdded` on success"""
    raise Error.Deprecated()


@pallet.call(2, weight=DEPRECATED_WEIGHT)
def remove_liquidity(origin, hotkey: AccountId, netuid: NetUid, position_id: _PositionId) -> None:
    """Remove liquidity from a specific position.

    Parameters:
    - origin: The origin of the transaction
    - netuid: Subnet ID
    - position_id: ID of the position to remove

    Emits `Event::LiquidityRemoved` on success"""
    raise Error.Deprecated()


@pallet.call(3, weight=DEPRECATED_WEIGHT)
def modify_position(origin, hotkey: AccountId, netuid: NetUid, position_id: _PositionId,
                    liquidity_delta: _i64) -> None:
    """Modify a liquidity position.

    Parameters:
    - origin: The origin of the transaction
    - netuid: Subnet ID
    - position_id: ID of the position to remove
    - liquidity_delta: Liquidity to add (if positive) or remove (if negative)

    Emits `Event::LiquidityRemoved` on success"""
    raise Error.Deprecated()


@pallet.call(5, weight=DEPRECATED_WEIGHT)
def disable_lp(origin) -> None:
    """Disable user liquidity in all subnets.

    Emits `Event::UserLiquidityToggled` on success"""
    raise Error.Deprecated()
