"""Lookups over a subnet's neurons and mechanisms that serving and weights share
(subtensor's `subnets/uids.rs`, `subnets/mechanism.rs`, `utils/misc.rs`)."""

from __future__ import annotations

from pysubtensor.pallets import system
from pysubtensor.pallets.subtensor.epoch.storage import LastUpdate, ValidatorPermit
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.neurons.storage import Keys, SubnetworkN, Uids
from pysubtensor.pallets.subtensor.subnets.storage import (
    MechanismCountCurrent,
    NetworksAdded,
    SubnetOwnerHotkey,
)
from pysubtensor.pallets.support.dispatch import ensure

__all__ = [
    "GLOBAL_MAX_SUBNET_COUNT", "current_block", "ensure_mechanism_exists", "get_last_update", "get_last_update_for_uid",
    "get_mechanism_storage_index", "get_netuid_and_mecid", "get_owner_uid", "get_uid_for_net_and_hotkey",
    "get_validator_permit_for_uid", "if_subnet_exist", "is_hotkey_registered_on_network",
    "is_uid_exist_on_network", "set_last_update_for_uid",
]

#: Subnets per mechanism slot of a `NetUidStorageIndex` (`mecid * 4096 + netuid`).
GLOBAL_MAX_SUBNET_COUNT = 4096


def current_block() -> int:
    return system.block_number()


def if_subnet_exist(netuid: int) -> bool:
    return NetworksAdded.get(netuid)


def is_hotkey_registered_on_network(netuid: int, hotkey: bytes) -> bool:
    return Uids.contains_key(netuid, hotkey)


def is_uid_exist_on_network(netuid: int, uid: int) -> bool:
    return Keys.contains_key(netuid, uid)


def get_uid_for_net_and_hotkey(netuid: int, hotkey: bytes) -> int:
    uid = Uids.get(netuid, hotkey)
    ensure(uid is not None, Error.HotKeyNotRegisteredInSubNet)
    return uid


def get_owner_uid(netuid: int) -> int | None:
    """The owner hotkey's uid; None when no owner hotkey is stored (`try_get` of a ValueQuery)."""
    if not SubnetOwnerHotkey.contains_key(netuid):
        return None
    return Uids.get(netuid, SubnetOwnerHotkey.get(netuid))


def get_validator_permit_for_uid(netuid: int, uid: int) -> bool:
    permits = ValidatorPermit.get(netuid)
    return permits[uid] if uid < len(permits) else False


def get_mechanism_storage_index(netuid: int, mecid: int) -> int:
    """`mecid * 4096 + netuid`, saturating at u16::MAX as Rust's `saturating_*`."""
    return min(min(mecid * GLOBAL_MAX_SUBNET_COUNT, 0xFFFF) + netuid, 0xFFFF)


def get_netuid_and_mecid(netuid_index: int) -> tuple[int, int]:
    """The subnet and mechanism of a storage index; `MechanismDoesNotExist` unless both exist."""
    netuid = netuid_index % GLOBAL_MAX_SUBNET_COUNT
    ensure(if_subnet_exist(netuid), Error.MechanismDoesNotExist)
    mecid = netuid_index // GLOBAL_MAX_SUBNET_COUNT
    ensure(mecid <= 0xFF and MechanismCountCurrent.get(netuid) > mecid, Error.MechanismDoesNotExist)
    return netuid, mecid


def ensure_mechanism_exists(netuid: int, mecid: int) -> None:
    ensure(if_subnet_exist(netuid), Error.MechanismDoesNotExist)
    ensure(MechanismCountCurrent.get(netuid) > mecid, Error.MechanismDoesNotExist)


def get_last_update_for_uid(netuid_index: int, uid: int) -> int:
    updates = LastUpdate.get(netuid_index)
    return updates[uid] if uid < len(updates) else 0


def get_last_update(netuid_index: int) -> list[int]:
    """`LastUpdate`, padded with zeros to the subnet's `SubnetworkN`."""
    updates = LastUpdate.get(netuid_index)
    n = SubnetworkN.get(netuid_index % GLOBAL_MAX_SUBNET_COUNT)
    return updates + [0] * (n - len(updates)) if len(updates) < n else updates


def set_last_update_for_uid(netuid_index: int, uid: int, block: int) -> None:
    """A uid beyond the (padded) vector is left alone."""
    updates = get_last_update(netuid_index)
    if uid >= len(updates):
        return
    updates[uid] = block
    LastUpdate.insert(netuid_index, updates)
