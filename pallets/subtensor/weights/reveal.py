"""Revealing timelocked weight commits with drand (subtensor's `coinbase/reveal_commits.rs`,
block_step's step 3 `reveal_crv3_commits`).

Each block, for every subnet but root and each of its mechanisms: commits older than the
reveal epoch are dropped; the commits of the epoch `RevealPeriodEpochs` before the current
one are taken, and each whose drand round has a stored pulse is decrypted with that pulse's
signature (tlock over BLS12-381, `primitives/tlock.py`), decoded as a `WeightsTlockPayload`
(the committer's hotkey must match; the older payload without a hotkey is accepted) and
applied as a `set_mechanism_weights` of the committer, then `TimelockedWeightsRevealed`. A
commit whose pulse is not stored yet is kept for the next blocks of the epoch; one that does
not decrypt or decode, or whose weights are refused, is dropped. Epochs are this runtime's
(spec 381's block-derived index; main's stateful scheduler only changes how the current
epoch is found).
"""

from __future__ import annotations

import logging

from pysubtensor.pallets.subtensor.coinbase.schedule import (
    current_epoch_with_lookahead,
    epochs_deferred_this_block,
)
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.subnets.storage import MechanismCountCurrent, NetworksAdded
from pysubtensor.pallets.subtensor.utils.neuron_lookup import current_block, get_mechanism_storage_index
from pysubtensor.pallets.subtensor.weights.storage import RevealPeriodEpochs, TimelockedWeightCommits
from pysubtensor.pallets.support.dispatch import DispatchError
from pysubtensor.primitives import tlock
from pysubtensor.primitives.scale import BYTES, U16, U64, Field, ScaleError, Struct, Vec

__all__ = ["LEGACY_WEIGHTS_TLOCK_PAYLOAD", "WEIGHTS_TLOCK_PAYLOAD", "decode_payload", "reveal_crv3_commits",
           "reveal_crv3_commits_for_subnet"]

log = logging.getLogger("runtime::subtensor")

ROOT = 0
#: `WeightsTlockPayload`: what a timelocked commit encrypts (SCALE).
WEIGHTS_TLOCK_PAYLOAD = Struct(("pallet_subtensor", "coinbase", "reveal_commits", "WeightsTlockPayload"), (
    Field("hotkey", BYTES, "Vec<u8>"), Field("uids", Vec(U16), "Vec<u16>"), Field("values", Vec(U16), "Vec<u16>"),
    Field("version_key", U64, "u64")))
#: `LegacyWeightsTlockPayload`: the earlier payload, without the hotkey.
LEGACY_WEIGHTS_TLOCK_PAYLOAD = Struct(
    ("pallet_subtensor", "coinbase", "reveal_commits", "LegacyWeightsTlockPayload"), (
        Field("uids", Vec(U16), "Vec<u16>"), Field("values", Vec(U16), "Vec<u16>"), Field("version_key", U64, "u64")))


def _prefix_decode(codec: Struct, data: bytes) -> dict | None:
    """Rust's `Decode::decode(&mut reader)`: the value at the front, trailing bytes ignored."""
    try:
        value, _ = codec.decode(data, 0)
    except ScaleError:
        return None
    return value if isinstance(value, dict) else {f.name: getattr(value, f.name) for f in codec.fields}


def decode_payload(plain: bytes, who: bytes) -> tuple[list[int], list[int], int] | None:
    """(uids, values, version_key) of a decrypted commit, or None (the commit is dropped): the
    current payload when it decodes and its hotkey (an AccountId32 read from the front of its
    bytes) is `who`; the legacy payload when the current one does not decode or its hotkey
    is shorter than an account."""
    payload = _prefix_decode(WEIGHTS_TLOCK_PAYLOAD, plain)
    if payload is not None:
        hotkey = bytes(payload["hotkey"])
        if len(hotkey) >= 32:
            if hotkey[:32] != who:
                return None  # hotkey mismatch
            return list(payload["uids"]), list(payload["values"]), payload["version_key"]
    legacy = _prefix_decode(LEGACY_WEIGHTS_TLOCK_PAYLOAD, plain)
    if legacy is None:
        return None
    return list(legacy["uids"]), list(legacy["values"]), legacy["version_key"]


def _open(commit: bytes, round_number: int, who: bytes) -> tuple[list[int], list[int], int] | bool | None:
    """The commit's weights; False while its round's pulse is missing; None when it is dropped."""
    pulse = pallet.config.pulse_of(round_number)
    if pulse is None:
        return False
    signature = bytes(pulse.signature)
    if signature.startswith(b"0x"):
        signature = signature[2:]
    try:
        plain = tlock.decrypt(bytes(commit), signature)
    except tlock.TimelockError as e:
        log.debug("timelocked commit of %s not revealed: %s", who.hex(), e)
        return None
    return decode_payload(plain, who)


def reveal_crv3_commits_for_subnet(netuid: int) -> None:
    from pysubtensor.pallets.subtensor.weights.weights import do_set_weights

    reveal_period = RevealPeriodEpochs.get(netuid)
    # The epoch this block opens if the subnet's slot is due: a subnet the cap defers past
    # this block has its commits taken once, at the block its epoch runs.
    cur_epoch = current_epoch_with_lookahead(netuid)
    reveal_epoch = max(cur_epoch - reveal_period, 0)
    for mecid in range(MechanismCountCurrent.get(netuid)):
        netuid_index = get_mechanism_storage_index(netuid, mecid)
        for epoch in [e for e, _ in TimelockedWeightCommits.iter_prefix(netuid_index)]:
            if epoch < reveal_epoch:
                TimelockedWeightCommits.remove(netuid_index, epoch)
        if cur_epoch < reveal_period:
            return  # Rust returns here, for every mechanism after the first's clean-up
        entries = TimelockedWeightCommits.take(netuid_index, reveal_epoch)
        unrevealed = []
        for who, commit_block, commit, round_number in entries:
            opened = _open(commit, round_number, who)
            if opened is False:
                unrevealed.append((who, commit_block, commit, round_number))
                continue
            if opened is None:
                continue
            uids, values, version_key = opened
            try:  # its checks all run before it writes: a refusal leaves nothing behind
                do_set_weights(who, netuid, mecid, uids, values, version_key)
            except DispatchError as e:
                log.debug("timelocked weights of %s refused: %s", who.hex(), e)
                continue
            pallet.deposit_event(Event.TimelockedWeightsRevealed(netuid_index, who))
        if unrevealed:
            TimelockedWeightCommits.insert(netuid_index, reveal_epoch, unrevealed)


def reveal_crv3_commits() -> None:
    """block_step step 3: every subnet but root, in `NetworksAdded`'s key order (as Rust's
    `get_all_subnet_netuids`), except those whose due epoch the per-block cap defers: their
    weights are revealed in the block their epoch runs, not before."""
    subnets = [n for n, _ in NetworksAdded.iter() if n != ROOT]
    deferred = epochs_deferred_this_block(subnets, current_block())
    for netuid in subnets:
        if netuid not in deferred:
            reveal_crv3_commits_for_subnet(netuid)
