"""`set_root_claim_type` (Rust `staking/claim_root.rs`, spec 381): how a coldkey takes the
dividends its root stake earns on each subnet. (`claim_root` itself is not built yet.)"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import Origin, ensure, ensure_signed

from ..errors import Error
from ..events import Event
from ..pallet import pallet
from .stake_utils import maybe_add_coldkey_index
from .storage import RootClaimType

__all__ = ["do_set_root_claim_type"]


def do_set_root_claim_type(origin: Origin, new_root_claim_type: Any) -> None:
    coldkey = ensure_signed(origin)
    if isinstance(new_root_claim_type, tuple) and new_root_claim_type[0] == "KeepSubnets":
        ensure(bool(new_root_claim_type[1]["subnets"]), Error.InvalidSubnetNumber)
    maybe_add_coldkey_index(coldkey)
    RootClaimType.insert(coldkey, new_root_claim_type)
    pallet.deposit_event(Event.RootClaimTypeSet(coldkey, new_root_claim_type))
