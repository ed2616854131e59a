"""SubtensorModule storage items newer than spec 381 that bittensor 11.3.0 reads before its
write flows run (it raises `StorageFunctionNotFound` for an item missing from metadata).

Names and value types are those of the SDK's generated layer (bittensor/_generated/storage.py);
hashers and defaults are the newer runtime's (RaoFoundation/subtensor):

- `CollateralLockShare`: `StorageMap<Identity, NetUid, u16, ValueQuery>`, default 0 (lib.rs at
  d19c99e8; docs copied as metadata shows them). Read by `burned_register`/`root_register`
  to split the price into burn and collateral lock; 0 means the whole price is burned, which
  is what this runtime's `burned_register` does (no collateral mechanism here).
- `SubnetEpochConsensus`: `NetUid Identity -> EpochConsensus`, ValueQuery, default `Yuma`
  (`EpochConsensus { Yuma = 0, Null = 1 }`, spec 475's interface review). Read before every
  set-weights call; the `Null` mode's rules (sole permit holder) are not implemented: no
  setter exists here, so every subnet is on `Yuma`, the epoch this runtime runs.
- `LastPowRegistrationBlock`: `AccountId Blake2_128Concat -> u64`, OptionQuery (same review).
  Read by the SDK's `pow_register` path; nothing writes it (no `pow_register` here).

- `BurnHalfLife`: `StorageMap<Identity, NetUid, u16, ValueQuery, DefaultBurnHalfLife>`, default
  360 blocks (subtensor main lib.rs); the half-life of the per-block burn decay.
- `BurnIncreaseMult`: `StorageMap<Identity, NetUid, U64F64, ValueQuery, DefaultBurnIncreaseMult>`,
  default `U64F64::from_num(1.26)` (main lib.rs); the burn's factor after each registration.
  Both are read by btcli 9.21.2's `subnets hyperparameters` and set by AdminUtils
  `sudo_set_burn_half_life` / `sudo_set_burn_increase_mult` (main's rule: neurons/logic.py).

Stake locks (conviction), subtensor main lib.rs at 14bc6f9 (the SDK reads `Lock` and
`StakeInfoRuntimeApi.get_stake_availability_for_coldkeys` before every stake transfer; logic in
staking/lock.py): `AccountFlags` (`Blake2_128Concat AccountId -> u128`, ValueQuery 0; bit 0 opts
into receiving locked alpha), `Lock` (`NMap (coldkey Blake2_128Concat, netuid Identity, hotkey
Blake2_128Concat) -> LockState`, OptionQuery), `LockingColdkeys` (`NMap (netuid, hotkey, coldkey)
-> ()`, its reverse index), `HotkeyLock` / `DecayingHotkeyLock` (`(netuid Identity, hotkey
Blake2_128Concat) -> LockState`, the per-hotkey perpetual / decaying aggregates), `OwnerLock` /
`DecayingOwnerLock` (`netuid Identity -> LockState`, the owner hotkey's), `DecayingLock`
(`(coldkey Blake2_128Concat, netuid Identity) -> bool`, present and false = perpetual),
`OwnerCutAutoLockEnabled` (`netuid -> bool`, ValueQuery false), `MaturityRate` / `UnlockRate`
(u64 ValueQuery, 934_866 blocks). Their metadata order is main's (AccountFlags first).

The Rust source of `SubnetEpochConsensus` and `LastPowRegistrationBlock` could not be read (the stored runtime copies predate them):
their docs are empty, and `EpochConsensus`'s type path is an assumption (its module per that
review, `subnets::mechanism`); clients decode by shape, not path.
"""

from __future__ import annotations

from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import EPOCH_CONSENSUS, LOCK_STATE, NETUID
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageMap, StorageNMap, StorageValue
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import BOOL, U16, U64, U128, UNIT
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA", "DEFAULT_BURN_HALF_LIFE", "DEFAULT_BURN_INCREASE_MULT", "DEFAULT_LOCK_RATE",
    "MAX_BURN_HALF_LIFE", "STORAGE_BEYOND_381", "AccountFlags", "BurnHalfLife", "BurnIncreaseMult",
    "CollateralLockShare", "DecayingHotkeyLock", "DecayingLock", "DecayingOwnerLock", "HotkeyLock",
    "LastPowRegistrationBlock", "Lock", "LockingColdkeys", "MaturityRate", "OwnerCutAutoLockEnabled", "OwnerLock",
    "SubnetEpochConsensus", "UnlockRate",
]

#: `DefaultBurnHalfLife` (blocks) and `MaxBurnHalfLife` (the highest a setter accepts), main lib.rs.
DEFAULT_BURN_HALF_LIFE = 360
MAX_BURN_HALF_LIFE = 36_100
#: `DefaultBurnIncreaseMult`: `U64F64::from_num(1.26)` (the double 1.26 rounded to 64 fraction bits).
DEFAULT_BURN_INCREASE_MULT = U64F64.from_f64(1.26)

CollateralLockShare = pallet.storage("CollateralLockShare", StorageMap(Identity, NETUID, U16, default=0), docs="""
    MAP ( netuid ) --> CollateralLockShare (p)

    Share of the registration price locked as miner collateral instead of
    burned, normalized so `u16::MAX` = 100%. 0 (the default) disables
    collateral: the whole registration price is burned as before.""")
SubnetEpochConsensus = pallet.storage("SubnetEpochConsensus",
                                      StorageMap(Identity, NETUID, EPOCH_CONSENSUS, default="Yuma"))
LastPowRegistrationBlock = pallet.storage("LastPowRegistrationBlock",
                                          StorageMap(Blake2_128Concat, ACCOUNT_ID, U64, optional=True))
BurnHalfLife = pallet.storage("BurnHalfLife", StorageMap(Identity, NETUID, U16, default=DEFAULT_BURN_HALF_LIFE),
                              docs="--- MAP ( netuid ) --> BurnHalfLife (blocks)")
BurnIncreaseMult = pallet.storage("BurnIncreaseMult",
                                  StorageMap(Identity, NETUID, U64F64, default=DEFAULT_BURN_INCREASE_MULT),
                                  docs="--- MAP ( netuid ) --> BurnIncreaseMult")

#: `ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA` (main lib.rs): the `AccountFlags` bit that opts in.
ACCOUNT_FLAGS_ACCEPT_LOCKED_ALPHA = 1 << 0
#: `DefaultUnlockRate` = `DefaultMaturityRate`: 50% in ~90 days (blocks).
DEFAULT_LOCK_RATE = 934_866

AccountFlags = pallet.storage("AccountFlags", StorageMap(Blake2_128Concat, ACCOUNT_ID, U128, default=0),
                              docs="MAP ( coldkey ) --> flags | Account-level flags. Defaults to zero.")
Lock = pallet.storage("Lock", StorageNMap(((Blake2_128Concat, ACCOUNT_ID), (Identity, NETUID),
                                           (Blake2_128Concat, ACCOUNT_ID)), LOCK_STATE, optional=True),
                      docs="--- DMAP ( coldkey, netuid, hotkey ) --> LockState | Exponential lock per coldkey per subnet.")
LockingColdkeys = pallet.storage("LockingColdkeys", StorageNMap(((Identity, NETUID), (Blake2_128Concat, ACCOUNT_ID),
                                                                 (Blake2_128Concat, ACCOUNT_ID)), UNIT, optional=True),
                                 docs="--- NMAP ( netuid, hotkey, coldkey ) --> () | Reverse index for non-zero locks "
                                      "targeting this hotkey on this subnet.")
HotkeyLock = pallet.storage("HotkeyLock", StorageDoubleMap(Identity, NETUID, Blake2_128Concat, ACCOUNT_ID, LOCK_STATE,
                                                           optional=True),
                            docs="--- DMAP ( netuid, hotkey ) --> LockState | Total lock per hotkey per subnet.")
DecayingHotkeyLock = pallet.storage("DecayingHotkeyLock", StorageDoubleMap(Identity, NETUID, Blake2_128Concat,
                                                                           ACCOUNT_ID, LOCK_STATE, optional=True),
                                    docs="--- DMAP ( netuid, hotkey ) --> LockState | Total decaying non-owner lock per "
                                         "hotkey per subnet.")
OwnerLock = pallet.storage("OwnerLock", StorageMap(Identity, NETUID, LOCK_STATE, optional=True),
                           docs="--- MAP ( netuid ) --> LockState | Total perpetual lock to the owner hotkey for a subnet.")
DecayingOwnerLock = pallet.storage("DecayingOwnerLock", StorageMap(Identity, NETUID, LOCK_STATE, optional=True),
                                   docs="--- MAP ( netuid ) --> LockState | Total decaying lock to the owner hotkey for "
                                        "a subnet.")
DecayingLock = pallet.storage("DecayingLock", StorageDoubleMap(Blake2_128Concat, ACCOUNT_ID, Identity, NETUID, BOOL,
                                                               optional=True), docs="""
    --- DMAP ( coldkey, netuid ) --> false | When present and false, this coldkey's lock is perpetual.
    Missing entries mean the lock decays by default.""")
OwnerCutAutoLockEnabled = pallet.storage("OwnerCutAutoLockEnabled", StorageMap(Identity, NETUID, BOOL, default=False),
                                         docs="""
    --- MAP ( netuid ) --> bool | Whether subnet owner cut should be auto-locked.
    Missing entries default to true, so auto-locking is enabled unless explicitly disabled.""")
MaturityRate = pallet.storage("MaturityRate", StorageValue(U64, default=DEFAULT_LOCK_RATE),
                              docs="--- ITEM( maturity_rate ) | Decay timescale in blocks for lock conviction.")
UnlockRate = pallet.storage("UnlockRate", StorageValue(U64, default=DEFAULT_LOCK_RATE),
                            docs="--- ITEM( unlock_rate ) | Decay timescale in blocks for locked mass.")

#: Their metadata order: after spec 381's items.
STORAGE_BEYOND_381 = ("CollateralLockShare", "SubnetEpochConsensus", "LastPowRegistrationBlock", "BurnHalfLife",
                      "BurnIncreaseMult", "AccountFlags", "Lock", "LockingColdkeys", "HotkeyLock", "DecayingHotkeyLock",
                      "OwnerLock", "DecayingOwnerLock", "DecayingLock", "OwnerCutAutoLockEnabled", "MaturityRate",
                      "UnlockRate")
