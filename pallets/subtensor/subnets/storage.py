"""Subnets: the network registry, registration of networks and their lock cost, ownership, identity,
tempo, token symbol, mechanisms and subnet leases.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import (
    ALPHA_BALANCE,
    BLOCK_NUMBER,
    MECH_ID,
    NETUID,
    RECYCLE_OR_BURN,
    SUBNET_LEASE,
    TAO_BALANCE,
    SubnetIdentityV3,
)
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageValue
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity, Twox64Concat
from pysubtensor.primitives.scale import BOOL, BYTES, U16, U32, U64, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "AccumulatedLeaseDividends", "AdminFreezeWindow", "DissolveNetworkScheduleDuration",
    "FirstEmissionBlockNumber", "LargestLocked", "MaxMechanismCount", "MechanismCountCurrent",
    "MechanismEmissionSplit", "NetworkImmunityPeriod", "NetworkLastLockCost",
    "NetworkLockReductionInterval", "NetworkMinLockCost", "NetworkPowRegistrationAllowed",
    "NetworkRateLimit", "NetworkRegisteredAt", "NetworkRegistrationAllowed",
    "NetworkRegistrationStartBlock", "NetworksAdded", "NextSubnetLeaseId", "OwnerHyperparamRateLimit",
    "RecycleOrBurn", "StartCallDelay", "SubnetIdentitiesV3", "SubnetLeaseShares", "SubnetLeases",
    "SubnetLimit", "SubnetLocked", "SubnetMechanism", "SubnetOwner", "SubnetOwnerCut", "SubnetOwnerHotkey",
    "SubnetUidToLeaseId", "SubtokenEnabled", "Tempo", "TokenSymbol", "TotalNetworks", "TransferToggle",
]

AdminFreezeWindow = pallet.storage("AdminFreezeWindow", StorageValue(U16, default=10),
    docs="Global window (in blocks) at the end of each tempo where admin ops are disallowed")
OwnerHyperparamRateLimit = pallet.storage("OwnerHyperparamRateLimit", StorageValue(U16, default=2),
    docs="Global number of epochs used to rate limit subnet owner hyperparameter updates")
DissolveNetworkScheduleDuration = pallet.storage("DissolveNetworkScheduleDuration", StorageValue(BLOCK_NUMBER, default=Constants.InitialDissolveNetworkScheduleDuration),
    docs="Duration of dissolve network schedule before execution")
SubnetLimit = pallet.storage("SubnetLimit", StorageValue(U16, default=128), docs="""
    ==========================
    ==== Staking Counters ====
    ==========================
    The Subtensor [`TotalIssuance`] represents the total issuance of tokens on the Bittensor network.

    It is comprised of three parts:
    - The total amount of issued tokens, tracked in the TotalIssuance of the Balances pallet
    - The total amount of tokens staked in the system, tracked in [`TotalStake`]
    - The total amount of tokens locked up for subnet reg, tracked in [`TotalSubnetLocked`] attained by iterating over subnet lock.

    Eventually, Bittensor should migrate to using Holds afterwhich time we will not require this
    separate accounting.
    --- ITEM ( maximum_number_of_networks )
""")
TokenSymbol = pallet.storage("TokenSymbol", StorageMap(Identity, NETUID, BYTES, default="𝜏".encode()),
    docs="--- MAP ( netuid ) --> token_symbol | Returns the token symbol for a subnet.")
TotalNetworks = pallet.storage("TotalNetworks", StorageValue(U16, default=0),
    docs="--- ITEM( total_number_of_existing_networks )")
NetworkImmunityPeriod = pallet.storage("NetworkImmunityPeriod", StorageValue(U64, default=Constants.InitialNetworkImmunityPeriod),
    docs="ITEM( network_immunity_period )")
StartCallDelay = pallet.storage("StartCallDelay", StorageValue(U64, default=0),
    docs="ITEM( start_call_delay )")
NetworkMinLockCost = pallet.storage("NetworkMinLockCost", StorageValue(TAO_BALANCE, default=Constants.InitialNetworkMinLockCost),
    docs="ITEM( min_network_lock_cost )")
NetworkLastLockCost = pallet.storage("NetworkLastLockCost", StorageValue(TAO_BALANCE, default=Constants.InitialNetworkMinLockCost),
    docs="ITEM( last_network_lock_cost )")
NetworkLockReductionInterval = pallet.storage("NetworkLockReductionInterval", StorageValue(U64, default=Constants.InitialNetworkLockReductionInterval),
    docs="ITEM( network_lock_reduction_interval )")
SubnetOwnerCut = pallet.storage("SubnetOwnerCut", StorageValue(U16, default=Constants.InitialSubnetOwnerCut),
    docs="ITEM( subnet_owner_cut )")
NetworkRateLimit = pallet.storage("NetworkRateLimit", StorageValue(U64, default=0),
    docs="ITEM( network_rate_limit )")
TransferToggle = pallet.storage("TransferToggle", StorageMap(Identity, NETUID, BOOL, default=True), docs="""
    ============================
    ==== Subnet Locks =====
    ============================
    --- MAP ( netuid ) --> transfer_toggle
""")
SubnetLocked = pallet.storage("SubnetLocked", StorageMap(Identity, NETUID, TAO_BALANCE, default=0),
    docs="--- MAP ( netuid ) --> total_subnet_locked")
LargestLocked = pallet.storage("LargestLocked", StorageMap(Identity, NETUID, U64, default=0),
    docs="--- MAP ( netuid ) --> largest_locked")
Tempo = pallet.storage("Tempo", StorageMap(Identity, NETUID, U16, default=Constants.InitialTempo), docs="""
    =================
    ==== Tempos =====
    =================
    --- MAP ( netuid ) --> tempo
""")
FirstEmissionBlockNumber = pallet.storage("FirstEmissionBlockNumber", StorageMap(Identity, NETUID, U64, optional=True), docs="""
    ============================
    ==== Subnet Parameters =====
    ============================
    --- MAP ( netuid ) --> block number of first emission
""")
SubnetMechanism = pallet.storage("SubnetMechanism", StorageMap(Identity, NETUID, U16, default=0),
    docs="--- MAP ( netuid ) --> subnet mechanism")
NetworksAdded = pallet.storage("NetworksAdded", StorageMap(Identity, NETUID, BOOL, default=False),
    docs="--- MAP ( netuid ) --> network_is_added")
NetworkRegistrationAllowed = pallet.storage("NetworkRegistrationAllowed", StorageMap(Identity, NETUID, BOOL, default=True),
    docs="--- MAP ( netuid ) --> network_registration_allowed")
NetworkPowRegistrationAllowed = pallet.storage("NetworkPowRegistrationAllowed", StorageMap(Identity, NETUID, BOOL, default=True),
    docs="--- MAP ( netuid ) --> network_pow_allowed")
NetworkRegisteredAt = pallet.storage("NetworkRegisteredAt", StorageMap(Identity, NETUID, U64, default=0),
    docs="--- MAP ( netuid ) --> block_created")
SubnetOwner = pallet.storage("SubnetOwner", StorageMap(Identity, NETUID, ACCOUNT_ID, default=bytes(32)),
    docs="--- MAP ( netuid ) --> subnet_owner")
SubnetOwnerHotkey = pallet.storage("SubnetOwnerHotkey", StorageMap(Identity, NETUID, ACCOUNT_ID, default=bytes(32)),
    docs="--- MAP ( netuid ) --> subnet_owner_hotkey")
RecycleOrBurn = pallet.storage("RecycleOrBurn", StorageMap(Identity, NETUID, RECYCLE_OR_BURN, default="Burn"),
    docs="--- MAP ( netuid ) --> recycle_or_burn")
SubtokenEnabled = pallet.storage("SubtokenEnabled", StorageMap(Identity, NETUID, BOOL, default=False),
    docs="--- MAP ( netuid ) --> If subtoken trading enabled")
SubnetIdentitiesV3 = pallet.storage("SubnetIdentitiesV3", StorageMap(Blake2_128Concat, NETUID, SubnetIdentityV3.SCALE, optional=True),
    docs="--- MAP ( netuid ) --> SubnetIdentityOfV3")
SubnetLeases = pallet.storage("SubnetLeases", StorageMap(Twox64Concat, U32, SUBNET_LEASE, optional=True), docs="""
    ========================
    ==== Subnet Leasing ====
    ========================
    --- MAP ( lease_id ) --> subnet lease | The subnet lease for a given lease id.
""")
SubnetLeaseShares = pallet.storage("SubnetLeaseShares", StorageDoubleMap(Twox64Concat, U32, Identity, ACCOUNT_ID, U64F64, default=0),
    docs="--- DMAP ( lease_id, contributor ) --> shares | The shares of a contributor for a given lease.")
SubnetUidToLeaseId = pallet.storage("SubnetUidToLeaseId", StorageMap(Twox64Concat, NETUID, U32, optional=True),
    docs="--- MAP ( netuid ) --> lease_id | The lease id for a given netuid.")
NextSubnetLeaseId = pallet.storage("NextSubnetLeaseId", StorageValue(U32, default=0),
    docs="--- ITEM ( next_lease_id ) | The next lease id.")
AccumulatedLeaseDividends = pallet.storage("AccumulatedLeaseDividends", StorageMap(Twox64Concat, U32, ALPHA_BALANCE, default=0),
    docs="--- MAP ( lease_id ) --> accumulated_dividends | The accumulated dividends for a given lease that needs to be distributed.")
NetworkRegistrationStartBlock = pallet.storage("NetworkRegistrationStartBlock", StorageValue(U64, default=0),
    docs="ITEM( NetworkRegistrationStartBlock )")
MaxMechanismCount = pallet.storage("MaxMechanismCount", StorageValue(MECH_ID, default=2),
    docs="ITEM( max_mechanism_count )")
MechanismCountCurrent = pallet.storage("MechanismCountCurrent", StorageMap(Twox64Concat, NETUID, MECH_ID, default=1),
    docs="--- MAP ( netuid ) --> Current number of subnet mechanisms")
MechanismEmissionSplit = pallet.storage("MechanismEmissionSplit", StorageMap(Twox64Concat, NETUID, Vec(U16), optional=True),
    docs="--- MAP ( netuid ) --> Normalized vector of emission split proportion between subnet mechanisms")
