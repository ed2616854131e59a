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

- The stateful epoch schedule (main's lib.rs, `coinbase/run_coinbase.rs` `drain_pending`, coinbase/
  tempo_control.py): `LastEpochBlock`, `PendingEpochAt`, `SubnetEpochIndex`:
  `StorageMap<Identity, NetUid, u64, ValueQuery, DefaultZeroU64>`; `MaxEpochsPerBlock`:
  `StorageValue<u8, ValueQuery, DefaultMaxEpochsPerBlock>` seeded from the runtime's
  `InitialMaxEpochsPerBlock` (`prod_or_fast!(2, 32)`: 32 in our fast-runtime build).

The Rust source of `SubnetEpochConsensus` and `LastPowRegistrationBlock` could not be read (the stored runtime copies predate them):
their docs are empty, and `EpochConsensus`'s type path is an assumption (its module per that
review, `subnets::mechanism`); clients decode by shape, not path.
"""

from __future__ import annotations

from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import EPOCH_CONSENSUS, NETUID
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity
from pysubtensor.primitives.scale import U8, U16, U64
from pysubtensor.primitives.types import ACCOUNT_ID

__all__ = [
    "DEFAULT_BURN_HALF_LIFE",
    "DEFAULT_BURN_INCREASE_MULT",
    "INITIAL_MAX_EPOCHS_PER_BLOCK",
    "MAX_BURN_HALF_LIFE",
    "STORAGE_BEYOND_381",
    "BurnHalfLife",
    "BurnIncreaseMult",
    "CollateralLockShare",
    "LastEpochBlock",
    "LastPowRegistrationBlock",
    "MaxEpochsPerBlock",
    "PendingEpochAt",
    "SubnetEpochConsensus",
    "SubnetEpochIndex",
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

#: `InitialMaxEpochsPerBlock` of main's runtime, `prod_or_fast!(2, 32)`: ours is a fast-runtime build.
INITIAL_MAX_EPOCHS_PER_BLOCK = 32

LastEpochBlock = pallet.storage("LastEpochBlock", StorageMap(Identity, NETUID, U64, default=0), docs="""
    --- MAP ( netuid ) --> last epoch attempt block (consumed slot).
    Drives normal-cadence scheduling and the admin freeze window.
    Advances on every `should_run_epoch == true` slot — including consistency-skipped slots —
    and on a successful `set_tempo` (cycle reset).""")
PendingEpochAt = pallet.storage("PendingEpochAt", StorageMap(Identity, NETUID, U64, default=0), docs="""
    --- MAP ( netuid ) --> block at which a manually triggered epoch should fire.
    `0` means no trigger pending. Cleared after the triggered epoch runs.""")
SubnetEpochIndex = pallet.storage("SubnetEpochIndex", StorageMap(Identity, NETUID, U64, default=0), docs="""
    --- MAP ( netuid ) --> monotonic epoch counter.
    Incremented by exactly one each time the subnet's epoch slot is consumed in `run_coinbase`""")
MaxEpochsPerBlock = pallet.storage("MaxEpochsPerBlock", StorageValue(U8, default=INITIAL_MAX_EPOCHS_PER_BLOCK),
                                   docs="--- ITEM ( max_epochs_per_block )")

#: Their metadata order: after spec 381's items.
STORAGE_BEYOND_381 = ("CollateralLockShare", "SubnetEpochConsensus", "LastPowRegistrationBlock", "BurnHalfLife",
                      "BurnIncreaseMult", "LastEpochBlock", "PendingEpochAt", "SubnetEpochIndex", "MaxEpochsPerBlock")
