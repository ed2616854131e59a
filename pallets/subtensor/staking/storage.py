"""Staking: alpha shares of hotkeys and coldkeys, hotkey ownership, auto-stake, stake rate limits and
root claims.

Storage items as the real metadata (spec 381) lists them: names, hashers, key and value
types, query kinds, defaults and docs. Each is declared on the SubtensorModule `pallet`;
the metadata order of all of them is given in `pallets/subtensor/order.py`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.constants import Constants
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import (
    ALPHA_BALANCE,
    NETUID,
    ROOT_CLAIM_TYPE,
    TAO_BALANCE,
)
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageNMap, StorageValue
from pysubtensor.primitives.fixed import I96F32, U64F64
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity, Twox64Concat
from pysubtensor.primitives.scale import BOOL, BYTES, U64, U128, BTreeMap, Option, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "Alpha", "AlphaMapLastKey", "AutoStakeDestination", "AutoStakeDestinationColdkeys",
    "LastColdkeyHotkeyStakeBlock", "NextStakeJobId", "NominatorMinRequiredStake", "NumRootClaim",
    "NumStakingColdkeys", "OwnedHotkeys", "Owner", "RootClaimType", "RootClaimable",
    "RootClaimableThreshold", "RootClaimed", "StakingColdkeys", "StakingColdkeysByIndex", "StakingHotkeys",
    "StakingOperationRateLimiter", "TaoWeight", "TotalHotkeyAlpha", "TotalHotkeyAlphaLastEpoch",
    "TotalHotkeyShares", "TotalIssuance", "TotalStake",
]

NextStakeJobId = pallet.storage("NextStakeJobId", StorageValue(U64, default=0),
    docs="Ensures unique IDs for StakeJobs storage map")
TaoWeight = pallet.storage("TaoWeight", StorageValue(U64, default=Constants.InitialTaoWeight), docs="""
    ============================
    ==== Staking Variables ====
    ============================
    The Subtensor [`TotalIssuance`] represents the total issuance of tokens on the Bittensor network.

    It is comprised of three parts:
    - The total amount of issued tokens, tracked in the TotalIssuance of the Balances pallet
    - The total amount of tokens staked in the system, tracked in [`TotalStake`]
    - The total amount of tokens locked up for subnet reg, tracked in [`TotalSubnetLocked`] attained by iterating over subnet lock.

    Eventually, Bittensor should migrate to using Holds afterwhich time we will not require this
    separate accounting.
    --- ITEM --> Global weight
""")
Owner = pallet.storage("Owner", StorageMap(Blake2_128Concat, ACCOUNT_ID, ACCOUNT_ID, default=bytes(32)),
    docs="MAP ( hot ) --> cold | Returns the controlling coldkey for a hotkey")
TotalIssuance = pallet.storage("TotalIssuance", StorageValue(TAO_BALANCE, default=Constants.InitialIssuance),
    docs="--- ITEM ( total_issuance )")
TotalStake = pallet.storage("TotalStake", StorageValue(TAO_BALANCE, default=0),
    docs="--- ITEM ( total_stake )")
StakingHotkeys = pallet.storage("StakingHotkeys", StorageMap(Blake2_128Concat, ACCOUNT_ID, Vec(ACCOUNT_ID), default=[]),
    docs="--- MAP ( cold ) --> Vec<hot> | Maps coldkey to hotkeys that stake to it")
OwnedHotkeys = pallet.storage("OwnedHotkeys", StorageMap(Blake2_128Concat, ACCOUNT_ID, Vec(ACCOUNT_ID), default=[]),
    docs="--- MAP ( cold ) --> Vec<hot> | Returns the vector of hotkeys controlled by this coldkey.")
AutoStakeDestination = pallet.storage("AutoStakeDestination", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, ACCOUNT_ID, optional=True),
    docs="--- DMAP ( cold, netuid )--> hot | Returns the hotkey a coldkey will autostake to with mining rewards.")
AutoStakeDestinationColdkeys = pallet.storage("AutoStakeDestinationColdkeys", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, Vec(ACCOUNT_ID), default=[]),
    docs="--- DMAP ( hot, netuid )--> Vec<cold> | Returns a list of coldkeys that are autostaking to a hotkey")
TotalHotkeyAlpha = pallet.storage("TotalHotkeyAlpha", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- DMAP ( hot, netuid ) --> alpha | Returns the total amount of alpha a hotkey owns.")
TotalHotkeyAlphaLastEpoch = pallet.storage("TotalHotkeyAlphaLastEpoch", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, ALPHA_BALANCE, default=0),
    docs="--- DMAP ( hot, netuid ) --> alpha | Returns the total amount of alpha a hotkey owned in the last epoch.")
TotalHotkeyShares = pallet.storage("TotalHotkeyShares", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, U64F64, default=0),
    docs="DMAP ( hot, netuid ) --> total_alpha_shares | Returns the number of alpha shares for a hotkey on a subnet.")
Alpha = pallet.storage("Alpha", StorageNMap(((Blake2_128Concat, ACCOUNT_ID), (Blake2_128Concat, ACCOUNT_ID), (Identity, NETUID)), U64F64, default=0),
    docs="--- NMAP ( hot, cold, netuid ) --> alpha | Returns the alpha shares for a hotkey, coldkey, netuid triplet.")
AlphaMapLastKey = pallet.storage("AlphaMapLastKey", StorageValue(Option(BYTES), default=None),
    docs="Contains last Alpha storage map key to iterate (check first)")
NominatorMinRequiredStake = pallet.storage("NominatorMinRequiredStake", StorageValue(U64, default=0),
    docs="--- ITEM( nominator_min_required_stake ) --- Factor of DefaultMinStake in per-mill format.")
LastColdkeyHotkeyStakeBlock = pallet.storage("LastColdkeyHotkeyStakeBlock", StorageDoubleMap(Twox64Concat, ACCOUNT_ID, Twox64Concat, ACCOUNT_ID, U64, optional=True),
    docs="--- Map (coldkey, hotkey) --> u64 the last block at which stake was added/removed.")
StakingOperationRateLimiter = pallet.storage("StakingOperationRateLimiter", StorageNMap(((Blake2_128Concat, ACCOUNT_ID), (Blake2_128Concat, ACCOUNT_ID), (Identity, NETUID)), BOOL, default=False), docs="""
    DMAP ( hot, cold, netuid ) --> rate limits for staking operations
    Value contains just a marker: we use this map as a set.
""")
RootClaimableThreshold = pallet.storage("RootClaimableThreshold", StorageMap(Blake2_128Concat, NETUID, I96F32, default=500000 << 32))
RootClaimable = pallet.storage("RootClaimable", StorageMap(Blake2_128Concat, ACCOUNT_ID, BTreeMap(NETUID, I96F32), default={}))
RootClaimed = pallet.storage("RootClaimed", StorageNMap(((Identity, NETUID), (Blake2_128Concat, ACCOUNT_ID), (Blake2_128Concat, ACCOUNT_ID)), U128, default=0))
RootClaimType = pallet.storage("RootClaimType", StorageMap(Blake2_128Concat, ACCOUNT_ID, ROOT_CLAIM_TYPE, default="Swap"))
StakingColdkeysByIndex = pallet.storage("StakingColdkeysByIndex", StorageMap(Identity, U64, ACCOUNT_ID, optional=True))
StakingColdkeys = pallet.storage("StakingColdkeys", StorageMap(Identity, ACCOUNT_ID, U64, optional=True))
NumStakingColdkeys = pallet.storage("NumStakingColdkeys", StorageValue(U64, default=0))
NumRootClaim = pallet.storage("NumRootClaim", StorageValue(U64, default=5))
