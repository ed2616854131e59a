"""Coinbase: block emission, subnet pools and their prices and flows, pending emissions and dividends.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import (
    ALPHA_BALANCE,
    NETUID,
    TAO_BALANCE,
)
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.primitives.fixed import I64F64, I96F32, U64F64, U96F32
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import I64, U64, U128, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "AlphaDividendsPerSubnet", "BlockEmission", "BlocksSinceLastStep", "CKBurn", "EMAPriceHalvingBlocks",
    "FlowEmaSmoothingFactor", "FlowNormExponent", "LastHotkeyEmissionOnNetuid", "LastMechansimStepBlock",
    "LoadedEmission", "PendingOwnerCut", "PendingRootAlphaDivs", "PendingServerEmission",
    "PendingValidatorEmission", "RootAlphaDividendsPerSubnet", "RootProp", "SubnetAlphaIn",
    "SubnetAlphaInEmission", "SubnetAlphaInProvided", "SubnetAlphaOut", "SubnetAlphaOutEmission",
    "SubnetEmaTaoFlow", "SubnetMovingAlpha", "SubnetMovingPrice", "SubnetTAO", "SubnetTaoFlow",
    "SubnetTaoInEmission", "SubnetTaoProvided", "SubnetVolume", "TaoFlowCutoff",
]

CKBurn = pallet.storage("CKBurn", StorageValue(U64, default=0), docs="--- ITEM --> CK burn")
AlphaDividendsPerSubnet = pallet.storage("AlphaDividendsPerSubnet", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, ALPHA_BALANCE, default=0),
    docs="--- DMAP ( netuid, hotkey ) --> u64 | Last alpha dividend this hotkey got on tempo.")
RootAlphaDividendsPerSubnet = pallet.storage("RootAlphaDividendsPerSubnet", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, ALPHA_BALANCE, default=0),
    docs="--- DMAP ( netuid, hotkey ) --> u64 | Last root alpha dividend this hotkey got on tempo.")
# Docs given as lines: the Rust doc comment has spaces a docstring would lose.
BlockEmission = pallet.storage("BlockEmission", StorageValue(U64, default=1_000_000_000, docs=(' ==================', ' ==== Coinbase ====', ' ==================', ' --- ITEM ( global_block_emission )    ',)))
LastHotkeyEmissionOnNetuid = pallet.storage("LastHotkeyEmissionOnNetuid", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- DMap ( hot, netuid ) --> emission | last hotkey emission on network.")
# Docs given as lines: the Rust doc comment has spaces a docstring would lose.
SubnetMovingAlpha = pallet.storage("SubnetMovingAlpha", StorageValue(I96F32, default=12885, docs=(' --- ITEM ( moving_alpha ) -- subnet moving alpha.         ',)))
SubnetMovingPrice = pallet.storage("SubnetMovingPrice", StorageMap(Identity, NETUID, I96F32, default=0),
    docs="--- MAP ( netuid ) --> moving_price | The subnet moving price.")
RootProp = pallet.storage("RootProp", StorageMap(Identity, NETUID, U96F32, default=0),
    docs="--- MAP ( netuid ) --> root_prop | The subnet root proportion.")
SubnetVolume = pallet.storage("SubnetVolume", StorageMap(Identity, NETUID, U128, default=0),
    docs="--- MAP ( netuid ) --> total_volume | The total amount of TAO bought and sold since the start of the network.")
SubnetTAO = pallet.storage("SubnetTAO", StorageMap(Identity, NETUID, TAO_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> tao_in_subnet | Returns the amount of TAO in the subnet.")
SubnetTaoProvided = pallet.storage("SubnetTaoProvided", StorageMap(Identity, NETUID, TAO_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> tao_in_user_subnet | Returns the amount of TAO in the subnet reserve provided by users as liquidity.")
SubnetAlphaInEmission = pallet.storage("SubnetAlphaInEmission", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> alpha_in_emission | Returns the amount of alph in  emission into the pool per block.")
SubnetAlphaOutEmission = pallet.storage("SubnetAlphaOutEmission", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> alpha_out_emission | Returns the amount of alpha out emission into the network per block.")
SubnetTaoInEmission = pallet.storage("SubnetTaoInEmission", StorageMap(Identity, NETUID, TAO_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> tao_in_emission | Returns the amount of tao emitted into this subent on the last block.")
SubnetAlphaIn = pallet.storage("SubnetAlphaIn", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> alpha_supply_in_pool | Returns the amount of alpha in the pool.")
SubnetAlphaInProvided = pallet.storage("SubnetAlphaInProvided", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> alpha_supply_user_in_pool | Returns the amount of alpha in the pool provided by users as liquidity.")
SubnetAlphaOut = pallet.storage("SubnetAlphaOut", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> alpha_supply_in_subnet | Returns the amount of alpha in the subnet.")
SubnetTaoFlow = pallet.storage("SubnetTaoFlow", StorageMap(Identity, NETUID, I64, default=0),
    docs="--- MAP ( netuid ) --> subnet_tao_flow | Returns the TAO inflow-outflow balance.")
SubnetEmaTaoFlow = pallet.storage("SubnetEmaTaoFlow", StorageMap(Identity, NETUID, Tuple(U64, I64F64), optional=True),
    docs="--- MAP ( netuid ) --> subnet_ema_tao_flow | Returns the EMA of TAO inflow-outflow balance.")
TaoFlowCutoff = pallet.storage("TaoFlowCutoff", StorageValue(I64F64, default=0),
    docs="--- ITEM --> TAO Flow Cutoff")
FlowNormExponent = pallet.storage("FlowNormExponent", StorageValue(U64F64, default=1 << 64),
    docs="--- ITEM --> Flow Normalization Exponent (p)")
FlowEmaSmoothingFactor = pallet.storage("FlowEmaSmoothingFactor", StorageValue(U64, default=29_597_889_189_277),
    docs="--- ITEM --> Flow EMA smoothing factor (flow alpha), u64 normalized")
PendingServerEmission = pallet.storage("PendingServerEmission", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> pending_server_emission")
PendingValidatorEmission = pallet.storage("PendingValidatorEmission", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> pending_validator_emission")
PendingRootAlphaDivs = pallet.storage("PendingRootAlphaDivs", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> pending_root_alpha_emission")
PendingOwnerCut = pallet.storage("PendingOwnerCut", StorageMap(Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> pending_owner_cut")
BlocksSinceLastStep = pallet.storage("BlocksSinceLastStep", StorageMap(Identity, NETUID, U64, default=0),
    docs="--- MAP ( netuid ) --> blocks_since_last_step")
LastMechansimStepBlock = pallet.storage("LastMechansimStepBlock", StorageMap(Identity, NETUID, U64, default=0),
    docs="--- MAP ( netuid ) --> last_mechanism_step_block")
EMAPriceHalvingBlocks = pallet.storage("EMAPriceHalvingBlocks", StorageMap(Identity, NETUID, U64, default=Constants.InitialEmaPriceHalvingPeriod),
    docs="--- MAP ( netuid ) --> Halving time of average moving price.")
LoadedEmission = pallet.storage("LoadedEmission", StorageMap(Identity, NETUID, Vec(Tuple(ACCOUNT_ID, U64, U64)), optional=True),
    docs="--- MAP ( netuid ) --> (hotkey, se, ve)")
