"""Swap (pallet 28, `pallet_subtensor_swap`): its Pallet object, Config and declarations.

Which declarations (the two real runtimes differ):
* spec 381 (the metadata clients were generated against, tests/vectors/oracle) has the 2025
  Uniswap-V3 pallet: 14 storage items, 6 calls, 5 events, 14 errors, 5 constants. All are
  declared here exactly as 381 has them (same order, hashers, types, defaults, docs, indices),
  because clients still read them: bittensor 10.x and btcli 9.x map-read `AlphaSqrtPrice` for
  every subnet price and read `Positions`, `Ticks`, `FeeGlobalTao/Alpha` for liquidity views.
* the current runtime (opentensor main, spec 425) replaced the ticks by a weighted Balancer
  pool: `SwapBalancer`, `PalSwapInitialized`, `HasMigrationRun` are declared after 381's items
  with the Rust source's keys, hashers, types and defaults; its errors `ReservesOutOfBalance`,
  `SwapInputTooLarge`, `Deprecated` follow 381's fourteen (indices 14-16, so 381's indices hold).
  `ScrapReservoirAlpha` is in both. The 459 fork's `BalancerTaoReservoir/AlphaReservoir` are
  not declared: no client we serve reads them and their semantics are not in our sources.

Behaviour is main's Balancer pool (impls.py). The V3 items stay empty except `AlphaSqrtPrice`,
which holds `sqrt(price)` (U64F64, floored) of every dynamic subnet, refreshed at the end of
each block so that a client squaring it sees the pool's price. The liquidity calls are
deprecated as in main (`Deprecated`); `set_fee_rate` is root's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Protocol

from pysubtensor.pallets.subtensor.types import ALPHA_BALANCE, NETUID, TAO_BALANCE, NetUid
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.pallet import Pallet, constant, error, event
from pysubtensor.pallets.support.pallet_id import PALLET_ID
from pysubtensor.pallets.support.storage import StorageMap, StorageNMap, StorageValue
from pysubtensor.pallets.support.types import Bool, Doc, bounded_vec, scale_type, u16, u64
from pysubtensor.primitives.fixed import I64F64, U64F64
from pysubtensor.primitives.hashing import Identity, Twox64Concat
from pysubtensor.primitives.scale import (
    BOOL,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
    U128,
    Field,
    NameEnum,
    Struct,
)
from pysubtensor.primitives.types import ACCOUNT_ID

from .balancer import HALF, Balancer

__all__ = [
    "BALANCER", "MAX_FEE_RATE", "MINIMUM_RESERVE", "POSITION_ID", "TICK_INDEX", "Config", "Error", "Event",
    "SubnetInfo", "TokenReserve", "pallet",
]

pallet = Pallet("Swap", 28, crate="pallet_subtensor_swap", pallet_module=("pallet", "pallet"),
                event_docs="The `Event` enum of this pallet", error_docs="The `Error` enum of this pallet.")

#: The runtime's `SwapMaxFeeRate` (15.26 %) and `SwapMinimumReserve` (rao).
MAX_FEE_RATE = 10_000
MINIMUM_RESERVE = 1_000_000


class SubnetInfo(Protocol):
    """`T::SubnetInfo` (SubtensorModule): which subnets exist and their mechanism."""

    def exists(self, netuid: int) -> bool: ...

    def mechanism(self, netuid: int) -> int: ...

    def netuids(self) -> list[int]:
        """Every existing subnet, by netuid (`get_all_subnet_netuids`)."""
        ...


class TokenReserve(Protocol):
    """`T::TaoReserve` / `T::AlphaReserve`: a pool side's reserve, kept by SubtensorModule
    (`SubnetTAO`, `SubnetAlphaIn`)."""

    def reserve(self, netuid: int) -> int: ...

    def increase_provided(self, netuid: int, amount: int) -> None: ...

    def decrease_provided(self, netuid: int, amount: int) -> None: ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    """`pallet_subtensor_swap::Config`: the runtime binds SubtensorModule's subnet info and
    reserves; `minimum_reserve` / `max_fee_rate` are the runtime's constants (a test mock may
    bind the Rust mock's)."""

    subnet_info: SubnetInfo
    tao_reserve: TokenReserve
    alpha_reserve: TokenReserve
    minimum_reserve: int = MINIMUM_RESERVE
    max_fee_rate: int = MAX_FEE_RATE


# ---------------------------------------------------------------------------
# Types

#: `TickIndex(i32)` and `PositionId(u128)`: kept for the deprecated calls and V3 storage.
TICK_INDEX = Struct(("pallet_subtensor_swap", "tick", "TickIndex"), (Field(None, I32, "i32"),))
POSITION_ID = Struct(("pallet_subtensor_swap", "position", "PositionId"), (Field(None, U128, "u128"),))
_TICK = Struct(("pallet_subtensor_swap", "tick", "Tick"), (
    Field("liquidity_net", I128, "i128"), Field("liquidity_gross", U64, "u64"),
    Field("fees_out_tao", I64F64, "I64F64"), Field("fees_out_alpha", I64F64, "I64F64"),
))
_POSITION = Struct(("pallet_subtensor_swap", "position", "Position"), (
    Field("id", POSITION_ID, "PositionId"), Field("netuid", NETUID, "NetUid"),
    Field("tick_low", TICK_INDEX, "TickIndex"), Field("tick_high", TICK_INDEX, "TickIndex"),
    Field("liquidity", U64, "u64"), Field("fees_tao", I64F64, "I64F64"), Field("fees_alpha", I64F64, "I64F64"),
), params=(("T", None),))
_LAYER_LEVEL = NameEnum(("pallet_subtensor_swap", "tick", "LayerLevel"), ("Top", "Middle", "Bottom"))
_PERQUINTILL = Struct(("sp_arithmetic", "per_things", "Perquintill"), (Field(None, U64, "u64"),))
#: `Balancer { quote: Perquintill }`; Python value: a `balancer.Balancer`.
BALANCER = Struct(("pallet_subtensor_swap", "pallet", "balancer", "Balancer"),
                  (Field("quote", _PERQUINTILL, "Perquintill"),), cls=Balancer)
_NON_ZERO_U64 = Struct(("NonZeroU64",), (Field(None, U64, None),))

# ---------------------------------------------------------------------------
# Storage: spec 381's items, in its order

FeeRate = pallet.storage("FeeRate", StorageMap(Twox64Concat, NETUID, U16, default=33),
                         docs="The fee rate applied to swaps per subnet, normalized value between 0 and u16::MAX")
FeeGlobalTao = pallet.storage("FeeGlobalTao", StorageMap(Twox64Concat, NETUID, U64F64, default=0))
FeeGlobalAlpha = pallet.storage("FeeGlobalAlpha", StorageMap(Twox64Concat, NETUID, U64F64, default=0))
Ticks = pallet.storage("Ticks", StorageNMap(((Twox64Concat, NETUID), (Twox64Concat, TICK_INDEX)), _TICK, optional=True),
                       docs="Storage for all ticks, using subnet ID as the primary key and tick index as the secondary key")
SwapV3Initialized = pallet.storage("SwapV3Initialized", StorageMap(Twox64Concat, NETUID, BOOL, default=False),
                                   docs="Storage to determine whether swap V3 was initialized for a specific subnet.")
AlphaSqrtPrice = pallet.storage("AlphaSqrtPrice", StorageMap(Twox64Concat, NETUID, U64F64, default=0),
                                docs="Storage for the square root price of Alpha token for each subnet.")
CurrentTick = pallet.storage("CurrentTick", StorageMap(Twox64Concat, NETUID, TICK_INDEX, default=0),
                             docs="Storage for the current price tick.")
CurrentLiquidity = pallet.storage("CurrentLiquidity", StorageMap(Twox64Concat, NETUID, U64, default=0),
                                  docs="Storage for the current liquidity amount for each subnet.")
EnabledUserLiquidity = pallet.storage("EnabledUserLiquidity", StorageMap(Twox64Concat, NETUID, BOOL, default=False), docs="""
    Indicates whether a subnet has been switched to V3 swap from V2.
    If `true`, the subnet is permanently on V3 swap mode allowing add/remove liquidity
    operations. Once set to `true` for a subnet, it cannot be changed back to `false`.
""")
Positions = pallet.storage("Positions", StorageNMap(
    ((Twox64Concat, NETUID), (Twox64Concat, ACCOUNT_ID), (Twox64Concat, POSITION_ID)), _POSITION, optional=True), docs="""
    Storage for user positions, using subnet ID and account ID as keys
    The value is a bounded vector of Position structs with details about the liquidity positions
""")
LastPositionId = pallet.storage("LastPositionId", StorageValue(U128, default=0), docs="Position ID counter.")
TickIndexBitmapWords = pallet.storage("TickIndexBitmapWords", StorageNMap(
    ((Twox64Concat, NETUID), (Twox64Concat, _LAYER_LEVEL), (Twox64Concat, U32)), U128, default=0),
    docs="Tick index bitmap words storage")
ScrapReservoirTao = pallet.storage("ScrapReservoirTao", StorageMap(Twox64Concat, NETUID, TAO_BALANCE, default=0),
                                   docs="TAO reservoir for scraps of protocol claimed fees.")
ScrapReservoirAlpha = pallet.storage("ScrapReservoirAlpha", StorageMap(Twox64Concat, NETUID, ALPHA_BALANCE, default=0),
                                     docs="Alpha reservoir for scraps of protocol claimed fees.")

# The Balancer pool's items (opentensor main, pallets/swap/src/pallet/mod.rs). The default is built
# per read: callers mutate the Balancer they get (a shared instance would leak across subnets).
SwapBalancer = pallet.storage("SwapBalancer", StorageMap(Twox64Concat, NETUID, BALANCER, default=lambda: Balancer(HALF)),
                              docs="u64-normalized reserve weight")
PalSwapInitialized = pallet.storage("PalSwapInitialized", StorageMap(Twox64Concat, NETUID, BOOL, default=False),
                                    docs="Storage to determine whether balancer swap was initialized for a specific subnet.")
HasMigrationRun = pallet.storage("HasMigrationRun", StorageMap(Identity, bounded_vec(U8), BOOL, default=False),
                                 docs="--- Storage for migration run status")

# ---------------------------------------------------------------------------
# Constants (spec 381's five, with the runtime's values)


@pallet.constants
class Constants:
    ProtocolId = constant(PALLET_ID, b"ten/swap", "This type is used to derive protocol accoun ID.")
    MaxFeeRate = constant(U16, MAX_FEE_RATE, "The maximum fee rate that can be set")
    MaxPositions = constant(U32, 100, "The maximum number of positions a user can have")
    MinimumLiquidity = constant(U64, 1_000, "Minimum liquidity that is safe for rounding and integer math.")
    MinimumReserve = constant(_NON_ZERO_U64, MINIMUM_RESERVE, "Minimum reserve for tao and alpha")


# ---------------------------------------------------------------------------
# Events (spec 381's; only FeeRateSet is deposited by the Balancer pool)

_Account = scale_type(ACCOUNT_ID, bytes, "T::AccountId")
_PositionId = scale_type(POSITION_ID, int, "PositionId")
_TickIndex = scale_type(TICK_INDEX, int, "TickIndex")
_TaoBalance = scale_type(TAO_BALANCE, int, "TaoBalance")
_AlphaBalance = scale_type(ALPHA_BALANCE, int, "AlphaBalance")
_i64 = scale_type(I64, int, "i64")


@pallet.events
class Event:
    @event(0)
    class FeeRateSet:
        """Event emitted when the fee rate has been updated for a subnet"""

        netuid: NetUid
        rate: u16

    @event(1)
    class UserLiquidityToggled:
        """Event emitted when user liquidity operations are enabled for a subnet.
        First enable even indicates a switch from V2 to V3 swap."""

        netuid: NetUid
        enable: Bool

    @event(2)
    class LiquidityAdded:
        """Event emitted when a liquidity position is added to a subnet's liquidity pool."""

        coldkey: Annotated[_Account, Doc("The coldkey account that owns the position")]
        hotkey: Annotated[_Account, Doc("The hotkey account where Alpha comes from")]
        netuid: Annotated[NetUid, Doc("The subnet identifier")]
        position_id: Annotated[_PositionId, Doc("Unique identifier for the liquidity position")]
        liquidity: Annotated[u64, Doc("The amount of liquidity added to the position")]
        tao: Annotated[_TaoBalance, Doc("The amount of TAO tokens committed to the position")]
        alpha: Annotated[_AlphaBalance, Doc("The amount of Alpha tokens committed to the position")]
        tick_low: Annotated[_TickIndex, Doc("the lower tick")]
        tick_high: Annotated[_TickIndex, Doc("the upper tick")]

    @event(3)
    class LiquidityRemoved:
        """Event emitted when a liquidity position is removed from a subnet's liquidity pool."""

        coldkey: Annotated[_Account, Doc("The coldkey account that owns the position")]
        hotkey: Annotated[_Account, Doc("The hotkey account where Alpha goes to")]
        netuid: Annotated[NetUid, Doc("The subnet identifier")]
        position_id: Annotated[_PositionId, Doc("Unique identifier for the liquidity position")]
        liquidity: Annotated[u64, Doc("The amount of liquidity removed from the position")]
        tao: Annotated[_TaoBalance, Doc("The amount of TAO tokens returned to the user")]
        alpha: Annotated[_AlphaBalance, Doc("The amount of Alpha tokens returned to the user")]
        fee_tao: Annotated[_TaoBalance, Doc("The amount of TAO fees earned from the position")]
        fee_alpha: Annotated[_AlphaBalance, Doc("The amount of Alpha fees earned from the position")]
        tick_low: Annotated[_TickIndex, Doc("the lower tick")]
        tick_high: Annotated[_TickIndex, Doc("the upper tick")]

    @event(4)
    class LiquidityModified:
        """Event emitted when a liquidity position is modified in a subnet's liquidity pool.
        Modifying causes the fees to be claimed."""

        coldkey: Annotated[_Account, Doc("The coldkey account that owns the position")]
        hotkey: Annotated[_Account, Doc("The hotkey account where Alpha comes from or goes to")]
        netuid: Annotated[NetUid, Doc("The subnet identifier")]
        position_id: Annotated[_PositionId, Doc("Unique identifier for the liquidity position")]
        liquidity: Annotated[_i64, Doc("The amount of liquidity added to or removed from the position")]
        tao: Annotated[_i64, Doc("The amount of TAO tokens returned to the user")]
        alpha: Annotated[_i64, Doc("The amount of Alpha tokens returned to the user")]
        fee_tao: Annotated[_TaoBalance, Doc("The amount of TAO fees earned from the position")]
        fee_alpha: Annotated[_AlphaBalance, Doc("The amount of Alpha fees earned from the position")]
        tick_low: Annotated[_TickIndex, Doc("the lower tick")]
        tick_high: Annotated[_TickIndex, Doc("the upper tick")]


# ---------------------------------------------------------------------------
# Errors: spec 381's fourteen, then the Balancer pool's three (opentensor main)


@pallet.errors
class Error:
    FeeRateTooHigh = error(0, "The fee rate is too high")
    InsufficientInputAmount = error(1, "The provided amount is insufficient for the swap.")
    InsufficientLiquidity = error(2, "The provided liquidity is insufficient for the operation.")
    PriceLimitExceeded = error(3, "The operation would exceed the price limit.")
    InsufficientBalance = error(4, "The caller does not have enough balance for the operation.")
    LiquidityNotFound = error(5, "Attempted to remove liquidity that does not exist.")
    InvalidTickRange = error(6, "The provided tick range is invalid.")
    MaxPositionsExceeded = error(7, "Maximum user positions exceeded")
    TooManySwapSteps = error(8, "Too many swap steps")
    InvalidLiquidityValue = error(9, "Provided liquidity parameter is invalid (likely too small)")
    ReservesTooLow = error(10, "Reserves too low for operation.")
    MechanismDoesNotExist = error(11, "The subnet does not exist.")
    UserLiquidityDisabled = error(12, "User liquidity operations are disabled for this subnet")
    SubtokenDisabled = error(13, "The subnet does not have subtoken enabled")
    ReservesOutOfBalance = error(14, "Swap reserves are too imbalanced")
    SwapInputTooLarge = error(15, "Swap input is too large relative to input-side liquidity")
    Deprecated = error(16, "The extrinsic is deprecated")
