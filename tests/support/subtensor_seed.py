"""Seeding SubtensorModule state for in-process tests of serving and weights, as subtensor's
own test mock does (`add_network`, `register_ok_neuron`), without the registration calls:
subnet and neuron storage is written directly, the way `init_new_network` and
`append_neuron` leave it. Accounts are `U256::from(n)` as the mock's (32 bytes little-endian)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.subtensor as subtensor
import pysubtensor.pallets.system as system
from pysubtensor.pallets.subtensor.coinbase.schedule import initial_last_epoch_block
from pysubtensor.pallets.subtensor.epoch.storage import ValidatorPermit
from pysubtensor.pallets.subtensor.neurons.storage import Keys, SubnetworkN, Uids
from pysubtensor.pallets.subtensor.serving.storage import ServingRateLimit
from pysubtensor.pallets.subtensor.storage_beyond_381 import LastEpochBlock
from pysubtensor.pallets.subtensor.subnets.storage import MechanismCountCurrent, NetworksAdded, Tempo
from pysubtensor.pallets.subtensor.utils.neuron_lookup import (
    get_mechanism_storage_index,
    set_last_update_for_uid,
)
from pysubtensor.pallets.subtensor.weights.storage import CommitRevealWeightsEnabled, MinAllowedWeights
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import DispatchError, Origin
from tests.support.events import capture_events
from tests.support.frame import frame_env

__all__ = ["account", "add_network", "call", "chain", "register_neuron", "run_to_block", "set_permit"]

PALLET = subtensor.pallet


def account(n: int) -> bytes:
    """`U256::from(n)` as the mock's AccountId (SCALE: 32 bytes little-endian)."""
    return n.to_bytes(32, "little")


@contextmanager
def chain(block: int = 0) -> Iterator[list[tuple[str, Any]]]:
    """A fresh state with System, Balances and SubtensorModule; yields SubtensorModule's events."""
    with frame_env(balances.pallet, PALLET), capture_events(PALLET) as events:
        system.pallet.Storage.Number.put(block)
        yield events


def run_to_block(n: int) -> None:
    system.pallet.Storage.Number.put(n)


def add_network(netuid: int, tempo: int, *, commit_reveal: bool = True) -> None:
    """The mock's `add_network` (and `add_network_disable_commit_reveal` with commit_reveal=False),
    with the mock's initial values that differ from the runtime's (min allowed weights 0,
    serving rate limit 0)."""
    NetworksAdded.insert(netuid, True)
    Tempo.insert(netuid, tempo)
    LastEpochBlock.insert(netuid, initial_last_epoch_block(netuid, tempo, system.block_number()))
    MinAllowedWeights.insert(netuid, 0)
    ServingRateLimit.insert(netuid, 0)
    CommitRevealWeightsEnabled.insert(netuid, commit_reveal)


def register_neuron(netuid: int, hotkey: bytes) -> int:
    """`append_neuron` at the current block: next uid, `LastUpdate` of each mechanism, no permit."""
    uid = SubnetworkN.get(netuid)
    SubnetworkN.insert(netuid, uid + 1)
    for mecid in range(MechanismCountCurrent.get(netuid)):
        set_last_update_for_uid(get_mechanism_storage_index(netuid, mecid), uid, system.block_number())
    ValidatorPermit.insert(netuid, [*ValidatorPermit.get(netuid), False])
    Keys.insert(netuid, uid, hotkey)
    Uids.insert(netuid, hotkey, uid)
    return uid


def set_permit(netuid: int, uid: int, permit: bool = True) -> None:
    permits = ValidatorPermit.get(netuid)
    permits[uid] = permit
    ValidatorPermit.insert(netuid, permits)


def call(name: str, who: bytes | None, **args: Any) -> Any:
    """Dispatch a SubtensorModule call in its own storage layer, as the executive does: the
    outcome is the `DispatchError` (its writes rolled back) or the post-dispatch info."""
    origin = Origin.signed(who) if who is not None else Origin.none()

    def dispatch(o: Origin, c: Any, bypass_filter: bool = False) -> Any:
        return PALLET.dispatch(o, c)

    return dispatch_in_layer(dispatch, origin, (name, args))


def failed_with(result: Any, error: type[DispatchError]) -> bool:
    return isinstance(result, error)
