"""Coldkey and subnet identities (subtensor's `utils/identity.rs`)."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ensure

from ..errors import Error
from ..events import Event
from ..neurons.storage import IsNetworkMember
from ..pallet import pallet
from ..staking.storage import OwnedHotkeys
from ..subnets.logic import is_valid_subnet_identity
from ..subnets.storage import SubnetIdentitiesV3, SubnetOwner
from ..types import ChainIdentityV2, SubnetIdentityV3
from .storage import IdentitiesV2

__all__ = ["do_set_identity", "do_set_subnet_identity", "is_valid_identity"]

#: `is_valid_identity`'s byte limit of each field (their sum bounds the total).
_IDENTITY_LIMITS = {"name": 256, "url": 256, "github_repo": 256, "image": 1024, "discord": 256,
                    "description": 1024, "additional": 1024}


def is_valid_identity(identity: ChainIdentityV2) -> bool:
    return all(len(getattr(identity, name)) <= limit for name, limit in _IDENTITY_LIMITS.items())


def is_hotkey_registered_on_any_network(hotkey: bytes) -> bool:
    return any(member for _, member in IsNetworkMember.iter_prefix(hotkey))


def do_set_identity(coldkey: bytes, identity: ChainIdentityV2) -> None:
    ensure(any(is_hotkey_registered_on_any_network(h) for h in OwnedHotkeys.get(coldkey)),
           Error.HotKeyNotRegisteredInNetwork)
    ensure(is_valid_identity(identity), Error.InvalidIdentity)
    IdentitiesV2.insert(coldkey, identity)
    pallet.deposit_event(Event.ChainIdentitySet(coldkey))


def do_set_subnet_identity(coldkey: bytes, netuid: int, identity: SubnetIdentityV3) -> None:
    ensure(SubnetOwner.get(netuid) == coldkey, Error.NotSubnetOwner)
    ensure(is_valid_subnet_identity(identity), Error.InvalidIdentity)
    SubnetIdentitiesV3.insert(netuid, identity)
    pallet.deposit_event(Event.SubnetIdentitySet(netuid))
