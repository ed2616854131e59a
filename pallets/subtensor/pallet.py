"""SubtensorModule (pallet 7, `pallet_subtensor`): the Pallet object its modules declare on.

The pallet is a package split by concern, as the Rust pallet is (DESIGN.md: subnets/,
neurons/, serving/, weights/, staking/, coinbase/, epoch/, hierarchy/, swap_keys/,
rpc_info/); each module declares its items on `pallet`, and the metadata order of each kind
of item is given explicitly where that module set is complete (`pallet.metadata_order`).
"""

from __future__ import annotations

from pysubtensor.pallets.support.pallet import Pallet

__all__ = ["STORAGE_VERSION", "pallet"]

#: `#[pallet::storage_version(STORAGE_VERSION)]` (7 in spec 381): genesis writes it under `:__STORAGE_VERSION__:`.
STORAGE_VERSION = 7
pallet = Pallet("SubtensorModule", 7, crate="pallet_subtensor", storage_version=STORAGE_VERSION)
