"""Neurons: UIDs and their hotkeys, registration (burn, difficulty, per-block and per-interval limits)
and immunity.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import NETUID, TAO_BALANCE
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import BOOL, BYTES, U16, U64
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "AdjustmentAlpha", "AdjustmentInterval", "BlockAtRegistration", "Burn",
    "BurnRegistrationsThisInterval", "Difficulty", "ImmuneOwnerUidsLimit", "ImmunityPeriod",
    "IsNetworkMember", "Keys", "LastAdjustmentBlock", "MaxAllowedUids", "MaxBurn", "MaxDifficulty",
    "MaxRegistrationsPerBlock", "MinAllowedUids", "MinBurn", "MinDifficulty", "MinNonImmuneUids",
    "POWRegistrationsThisInterval", "RAORecycledForRegistration", "RegistrationsThisBlock",
    "RegistrationsThisInterval", "SubnetworkN", "TargetRegistrationsPerInterval", "Uids", "UsedWork",
]

UsedWork = pallet.storage("UsedWork", StorageMap(Identity, BYTES, U64, default=0), docs="""
    ============================
    ==== Global Parameters =====
    ============================
    --- StorageItem Global Used Work.
""")
MaxRegistrationsPerBlock = pallet.storage("MaxRegistrationsPerBlock", StorageMap(Identity, NETUID, U16, default=Constants.InitialMaxRegistrationsPerBlock),
    docs="--- ITEM( global_max_registrations_per_block )")
SubnetworkN = pallet.storage("SubnetworkN", StorageMap(Identity, NETUID, U16, default=0),
    docs="--- MAP ( netuid ) --> subnetwork_n (Number of UIDs in the network).")
IsNetworkMember = pallet.storage("IsNetworkMember", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, BOOL, default=False),
    docs="--- DMAP ( hotkey, netuid ) --> bool")
RegistrationsThisInterval = pallet.storage("RegistrationsThisInterval", StorageMap(Identity, NETUID, U16, default=0),
    docs="--- MAP ( netuid ) --> registrations_this_interval")
POWRegistrationsThisInterval = pallet.storage("POWRegistrationsThisInterval", StorageMap(Identity, NETUID, U16, default=0),
    docs="--- MAP ( netuid ) --> pow_registrations_this_interval")
BurnRegistrationsThisInterval = pallet.storage("BurnRegistrationsThisInterval", StorageMap(Identity, NETUID, U16, default=0),
    docs="--- MAP ( netuid ) --> burn_registrations_this_interval")
MinAllowedUids = pallet.storage("MinAllowedUids", StorageMap(Identity, NETUID, U16, default=Constants.InitialMinAllowedUids),
    docs="--- MAP ( netuid ) --> min_allowed_uids")
MaxAllowedUids = pallet.storage("MaxAllowedUids", StorageMap(Identity, NETUID, U16, default=Constants.InitialMaxAllowedUids),
    docs="--- MAP ( netuid ) --> max_allowed_uids")
ImmunityPeriod = pallet.storage("ImmunityPeriod", StorageMap(Identity, NETUID, U16, default=Constants.InitialImmunityPeriod),
    docs="--- MAP ( netuid ) --> immunity_period")
AdjustmentInterval = pallet.storage("AdjustmentInterval", StorageMap(Identity, NETUID, U16, default=Constants.InitialAdjustmentInterval),
    docs="--- MAP ( netuid ) --> adjustment_interval")
TargetRegistrationsPerInterval = pallet.storage("TargetRegistrationsPerInterval", StorageMap(Identity, NETUID, U16, default=Constants.InitialTargetRegistrationsPerInterval),
    docs="--- MAP ( netuid ) --> target_registrations_this_interval")
AdjustmentAlpha = pallet.storage("AdjustmentAlpha", StorageMap(Identity, NETUID, U64, default=Constants.InitialAdjustmentAlpha),
    docs="--- MAP ( netuid ) --> adjustment_alpha")
Burn = pallet.storage("Burn", StorageMap(Identity, NETUID, TAO_BALANCE, default=Constants.InitialBurn),
    docs="--- MAP ( netuid ) --> Burn")
Difficulty = pallet.storage("Difficulty", StorageMap(Identity, NETUID, U64, default=Constants.InitialDifficulty),
    docs="--- MAP ( netuid ) --> Difficulty")
MinBurn = pallet.storage("MinBurn", StorageMap(Identity, NETUID, TAO_BALANCE, default=Constants.InitialMinBurn),
    docs="--- MAP ( netuid ) --> MinBurn")
MaxBurn = pallet.storage("MaxBurn", StorageMap(Identity, NETUID, TAO_BALANCE, default=Constants.InitialMaxBurn),
    docs="--- MAP ( netuid ) --> MaxBurn")
MinDifficulty = pallet.storage("MinDifficulty", StorageMap(Identity, NETUID, U64, default=Constants.InitialMinDifficulty),
    docs="--- MAP ( netuid ) --> MinDifficulty")
MaxDifficulty = pallet.storage("MaxDifficulty", StorageMap(Identity, NETUID, U64, default=Constants.InitialMaxDifficulty),
    docs="--- MAP ( netuid ) --> MaxDifficulty")
LastAdjustmentBlock = pallet.storage("LastAdjustmentBlock", StorageMap(Identity, NETUID, U64, default=0),
    docs="--- MAP ( netuid ) -->  Block at last adjustment.")
RegistrationsThisBlock = pallet.storage("RegistrationsThisBlock", StorageMap(Identity, NETUID, U16, default=0),
    docs="--- MAP ( netuid ) --> Registrations of this Block.")
RAORecycledForRegistration = pallet.storage("RAORecycledForRegistration", StorageMap(Identity, NETUID, TAO_BALANCE, default=Constants.InitialRAORecycledForRegistration),
    docs="--- MAP ( netuid ) --> global_RAO_recycled_for_registration")
ImmuneOwnerUidsLimit = pallet.storage("ImmuneOwnerUidsLimit", StorageMap(Identity, NETUID, U16, default=1),
    docs="--- MAP ( netuid ) --> Burn key limit")
Uids = pallet.storage("Uids", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, U16, optional=True),
    docs="--- DMAP ( netuid, hotkey ) --> uid")
Keys = pallet.storage("Keys", StorageDoubleMap(Identity, NETUID, Identity, U16, ACCOUNT_ID, default=bytes(32)),
    docs="--- DMAP ( netuid, uid ) --> hotkey")
BlockAtRegistration = pallet.storage("BlockAtRegistration", StorageDoubleMap(Identity, NETUID, Identity, U16, U64, default=0),
    docs="--- DMAP ( netuid, uid ) --> block_at_registration")
MinNonImmuneUids = pallet.storage("MinNonImmuneUids", StorageMap(Identity, NETUID, U16, default=10),
    docs="--- MAP ( netuid ) --> minimum required number of non-immortal & non-immune UIDs")
