"""What the node's dev helpers ask of the runtime that no runtime API exports (a dev node's
unsafe `dev_*` RPCs and its `--dev-preset` seeding; nothing here is in the metadata).

Each function runs inside externalities (a block's state), as a runtime API does:

    with externalities.using(Externalities(view, OverlayedChanges())):
        next_epoch_start_block(1)     # -> 12
        extrinsic_failures()          # -> {3: "SubtensorModule.HotKeyAlreadyRegisteredInSubNet"}
"""

from __future__ import annotations

import pysubtensor.pallets.system as system
from pysubtensor.pallets import sudo
from pysubtensor.pallets.subtensor.coinbase.schedule import get_next_epoch_start_block
from pysubtensor.pallets.subtensor.utils.neuron_lookup import if_subnet_exist
from pysubtensor.pallets.system.pallet import Event as SystemEvent
from pysubtensor.runtime import construct

__all__ = ["UnknownSubnet", "extrinsic_failures", "next_epoch_start_block"]


#: `NetUid::ROOT`: the coinbase runs no epoch for it.
ROOT = 0


class UnknownSubnet(LookupError):
    """A netuid with no subnet (or no epoch: the root network)."""


def next_epoch_start_block(netuid: int) -> int | None:
    """The block after the current one in whose `on_initialize` the subnet's epoch runs:
    SubtensorModule's `get_next_epoch_start_block`, or the next block when that is already
    past (an epoch the per-block cap deferred, due again next block); None when it never runs
    (tempo 0). Raises UnknownSubnet."""
    if not if_subnet_exist(netuid):
        raise UnknownSubnet(f"subnet {netuid} does not exist")
    if netuid == ROOT:
        raise UnknownSubnet(f"subnet {ROOT} is the root network: it runs no epoch")
    predicted = get_next_epoch_start_block(netuid)
    return None if predicted is None else max(predicted, system.block_number() + 1)


def _describe(error: object) -> str:
    """A `DispatchError` value as `Pallet.Error` for module errors, else its variant."""
    if isinstance(error, tuple) and error[0] == "Module":
        index, code = error[1]["index"], error[1]["error"][0]
        pallet = construct.PALLETS_BY_INDEX.get(index)
        if pallet is not None:
            name = pallet.error_enum.decode_all(bytes([code]))
            return f"{pallet.name}.{name if isinstance(name, str) else name[0]}"
        return f"Module {{ index: {index}, error: {code} }}"
    if isinstance(error, tuple):
        return f"{error[0]}.{error[1][0] if isinstance(error[1], tuple) else error[1]}"
    return str(error)


def extrinsic_failures() -> dict[int, str]:
    """The block's failed extrinsics, index → dispatch error: `System.ExtrinsicFailed`, and
    `Sudo.Sudid` with an error (a sudo call succeeds whatever its inner call does)."""
    failures: dict[int, str] = {}
    for record in system.read_events():
        if record.phase[0] != "ApplyExtrinsic":
            continue
        pallet, event = record.event
        if pallet == "System" and isinstance(event, SystemEvent.ExtrinsicFailed):
            failures[record.phase[1]] = _describe(event.dispatch_error)
        elif pallet == "Sudo" and isinstance(event, sudo.Event.Sudid) and event.sudo_result[0] == "Err":
            failures[record.phase[1]] = "Sudo: " + _describe(event.sudo_result[1])
    return failures
