"""Commitments (index 18): per-subnet data a registered hotkey publishes (`pallet_commitments`,
subtensor's pallets/commitments/src/lib.rs).

`set_commitment` stores up to `MaxFields` `Data` fields under (netuid, hotkey), counting their
bytes against `MaxSpace` per subnet epoch (`UsedSpaceOf`); a `ResetBondsFlag` field resets
the committer's bonds; a `TimelockEncrypted` field is kept until the drand pulse of its
reveal round is on chain, when `on_initialize` decrypts it (tlock, `primitives.tlock`) into
`RevealedCommitments` (the last 10 per account) and drops it from the commitment.

Config: `currency` (`ReservableCurrency`: Balances), `can_commit` (`AllowCommitments`: a
hotkey registered on the subnet), `on_metadata_commitment` (`ResetBondsOnCommit`),
`get_epoch_index` (`TempoInterface`) and `pulse_of` (`pallet_drand::Pulses::get`: the Rust
pallet's `Config: pallet_drand::Config` supertrait).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, Protocol

from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import (
    ROCKS_DB_WEIGHT,
    DispatchClass,
    Origin,
    Pays,
    Weight,
    ensure,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageDoubleMap, StorageValue
from pysubtensor.pallets.support.types import AccountId, Doc, scale_type, u32, u64
from pysubtensor.primitives import tlock
from pysubtensor.primitives.hashing import Identity, Twox64Concat
from pysubtensor.primitives.scale import BYTES, U16, U32, U64, BTreeSet, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

from .types import (
    DATA,
    MAX_FIELDS,
    CommitmentInfo,
    Registration,
    UsageTracker,
    is_timelock,
    len_for_rate_limit,
    raw,
)

__all__ = [
    "DATA",
    "MAX_REVEALS",
    "CommitmentInfo",
    "Config",
    "Error",
    "Event",
    "Registration",
    "UsageTracker",
    "get_commitments",
    "pallet",
    "purge_netuid",
    "raw",
    "reveal_timelocked_commitments",
]

log = logging.getLogger(__name__)

pallet = Pallet("Commitments", 18, crate="pallet_commitments")

NETUID = U16
NetUid = scale_type(NETUID, int, "NetUid")
#: Revealed entries kept per (netuid, account).
MAX_REVEALS = 10
#: `set_commitment` counts at least this many bytes against `MaxSpace`.
MIN_USED_SPACE = 100


class ReservableCurrency(Protocol):
    def reserve(self, who: bytes, value: int) -> None: ...

    def unreserve(self, who: bytes, value: int) -> int: ...


def _pulse_none(round_number: int) -> Any:
    return None


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    currency: ReservableCurrency
    #: `T::CanCommit` (Rust's `()` refuses everyone).
    can_commit: Callable[[int, bytes], bool] = lambda netuid, who: False
    #: `T::OnMetadataCommitment`.
    on_metadata_commitment: Callable[[int, bytes], None] = lambda netuid, who: None
    #: `T::TempoInterface::get_epoch_index(netuid, block)`.
    get_epoch_index: Callable[[int, int], int] = lambda netuid, block: 0
    #: `pallet_drand::Pulses::<T>::get(round)`: a pulse with a `signature` attribute, or None.
    pulse_of: Callable[[int], Any] = _pulse_none


# ---------------------------------------------------------------------------
# Storage

_KEYS = (Identity, NETUID, Twox64Concat, ACCOUNT_ID)

TimelockedIndex = pallet.storage(
    "TimelockedIndex", StorageValue(BTreeSet(Tuple(NETUID, ACCOUNT_ID)), default=frozenset()),
    docs="Tracks all CommitmentOf that have at least one timelocked field.")
CommitmentOf = pallet.storage("CommitmentOf", StorageDoubleMap(*_KEYS, Registration.SCALE, optional=True),
                              docs="Identity data by account")
LastCommitment = pallet.storage("LastCommitment", StorageDoubleMap(*_KEYS, U32, optional=True))
LastBondsReset = pallet.storage("LastBondsReset", StorageDoubleMap(*_KEYS, U32, optional=True))
RevealedCommitments = pallet.storage("RevealedCommitments",
                                     StorageDoubleMap(*_KEYS, Vec(Tuple(BYTES, U64)), optional=True))
UsedSpaceOf = pallet.storage("UsedSpaceOf", StorageDoubleMap(*_KEYS, UsageTracker.SCALE, optional=True), docs="""\
    Maps (netuid, who) -> usage (how many “bytes” they've committed)
    in the RateLimit window""")
MaxSpace = pallet.storage("MaxSpace", StorageValue(U32, default=3100))


@pallet.constants
class Constants:
    MaxFields = constant(U32, MAX_FIELDS, "The maximum number of additional fields that can be added to a commitment")
    InitialDeposit = constant(U64, 0, "The amount held on deposit for a registered identity")
    FieldDeposit = constant(U64, 0, "The amount held on deposit per additional field for a registered identity.")


# ---------------------------------------------------------------------------
# Events and errors

_NETUID = Annotated[NetUid, Doc("The netuid of the commitment")]
_WHO = Annotated[AccountId, Doc("The account")]


@pallet.events
class Event:
    @event(0)
    class Commitment:
        """A commitment was set"""

        netuid: _NETUID
        who: _WHO

    @event(1)
    class TimelockCommitment:
        """A timelock-encrypted commitment was set"""

        netuid: _NETUID
        who: _WHO
        reveal_round: Annotated[u64, Doc("The drand round to reveal")]

    @event(2)
    class CommitmentRevealed:
        """A timelock-encrypted commitment was auto-revealed"""

        netuid: _NETUID
        who: _WHO


@pallet.errors
class Error:
    TooManyFieldsInCommitmentInfo = error(0, "Account passed too many additional fields to their commitment")
    AccountNotAllowedCommit = error(1, "Account is not allowed to make commitments to the chain")
    SpaceLimitExceeded = error(2, "Space Limit Exceeded for the current interval")
    UnexpectedUnreserveLeftover = error(3, "Indicates that unreserve returned a leftover, which is unexpected.")


# ---------------------------------------------------------------------------
# Calls


def _set_commitment_weight() -> Weight:
    return Weight(33_480_000, 0).saturating_add(ROCKS_DB_WEIGHT.reads_writes(5, 4))


def _block_number() -> int:
    from pysubtensor.pallets import system  # frame_system is every pallet's supertrait

    return system.block_number()


@pallet.call(0, weight=_set_commitment_weight(), dispatch_class=DispatchClass.NORMAL, pays=Pays.NO)
def set_commitment(origin: Origin, netuid: NetUid,
                   info: Arg(CommitmentInfo.SCALE, "Box<CommitmentInfo<T::MaxFields>>")) -> None:
    """Set the commitment for a given netuid"""
    who = ensure_signed(origin)
    config = pallet.config
    ensure(config.can_commit(netuid, who), Error.AccountNotAllowedCommit)
    fields = list(info.fields)
    extra_fields = len(fields)
    ensure(extra_fields <= MAX_FIELDS, Error.TooManyFieldsInCommitmentInfo)

    cur_block = _block_number()
    required_space = max(sum(len_for_rate_limit(f) for f in fields), MIN_USED_SPACE)
    usage = UsedSpaceOf.get(netuid, who) or UsageTracker(0, 0)
    current_epoch = config.get_epoch_index(netuid, cur_block)
    if usage.last_epoch != current_epoch:
        usage = UsageTracker(current_epoch, 0)

    # A ResetBondsFlag field resets the committer's bonds (once, whatever the count).
    if any(f in ("ResetBondsFlag", ("ResetBondsFlag", None)) for f in fields):
        LastBondsReset.insert(netuid, who, cur_block)
        config.on_metadata_commitment(netuid, who)

    ensure(usage.used_space + required_space <= MaxSpace.get(), Error.SpaceLimitExceeded)
    UsedSpaceOf.insert(netuid, who, UsageTracker(usage.last_epoch, min(usage.used_space + required_space, U64_MAX)))

    old = CommitmentOf.get(netuid, who)
    old_deposit = old.deposit if old is not None else 0
    deposit = min(Constants.InitialDeposit + extra_fields * Constants.FieldDeposit, U64_MAX)
    if deposit > old_deposit:
        config.currency.reserve(who, deposit - old_deposit)
    if old_deposit > deposit:
        ensure(config.currency.unreserve(who, old_deposit - deposit) == 0, Error.UnexpectedUnreserveLeftover)

    CommitmentOf.insert(netuid, who, Registration(deposit, cur_block, CommitmentInfo(fields)))
    LastCommitment.insert(netuid, who, cur_block)

    timelocked = next((f for f in fields if is_timelock(f)), None)
    if timelocked is not None:
        pallet.deposit_event(Event.TimelockCommitment(netuid, who, timelocked[1]["reveal_round"]))
        TimelockedIndex.mutate(lambda index: index | {(netuid, who)})
    else:
        pallet.deposit_event(Event.Commitment(netuid, who))
        TimelockedIndex.mutate(lambda index: index - {(netuid, who)})


@pallet.call(2, weight=Weight(2_856_000, 0).saturating_add(ROCKS_DB_WEIGHT.writes(1)))
def set_max_space(origin: Origin, new_limit: u32) -> None:
    """Sudo-set MaxSpace"""
    ensure_root(origin)
    MaxSpace.put(new_limit)


U64_MAX = (1 << 64) - 1


# ---------------------------------------------------------------------------
# Hooks


@pallet.hook_on_initialize
def on_initialize(n: int) -> Weight:
    return reveal_timelocked_commitments()


def _reveal(data: Any, who: bytes) -> bytes | None:
    """One matured TimelockEncrypted field opened with its round's pulse; None when the
    signature or the ciphertext does not decode or decrypt, or decrypts to nothing (the
    field is then dropped, as the Rust hook drops it)."""
    payload = data[1]
    pulse = pallet.config.pulse_of(payload["reveal_round"])
    signature = pulse.signature
    if signature.startswith(b"0x"):
        signature = signature[2:]
    try:
        plain = tlock.decrypt(payload["encrypted"], signature)
    except tlock.TimelockError as e:
        log.warning("Failed to decrypt timelock for %s: %s", who.hex(), e)
        return None
    if not plain:
        log.warning("Bytes were decrypted for %s but they are empty", who.hex())
        return None
    return plain


def reveal_timelocked_commitments() -> Weight:
    """Decrypt every timelocked field whose reveal round's pulse is stored, in the index's
    (netuid, account) order; returns the hook's weight as the Rust pallet counts it."""
    db = ROCKS_DB_WEIGHT
    weight = db.reads(1)
    for netuid, who in sorted(TimelockedIndex.get()):
        registration = CommitmentOf.get(netuid, who)
        weight = weight.saturating_add(db.reads(1))
        if registration is None:
            TimelockedIndex.mutate(lambda index, key=(netuid, who): index - {key})
            weight = weight.saturating_add(db.reads_writes(1, 1))
            continue
        remain, revealed = [], []
        saw_timelock = processed = False
        for data in registration.info.fields:
            if not is_timelock(data):
                remain.append(data)
                continue
            saw_timelock = True
            weight = weight.saturating_add(db.reads(1))
            if pallet.config.pulse_of(data[1]["reveal_round"]) is None:
                remain.append(data)
                continue
            processed = True
            plain = _reveal(data, who)
            if plain is not None:
                revealed.append(plain)
        if not saw_timelock:
            TimelockedIndex.mutate(lambda index, key=(netuid, who): index - {key})
            weight = weight.saturating_add(db.reads_writes(1, 1))
            continue
        if not processed:
            continue  # no pulse yet: the commitment is not rewritten
        if revealed:
            reveals = RevealedCommitments.get(netuid, who) or []
            weight = weight.saturating_add(db.reads(1))
            block = _block_number()
            for plain in revealed:
                reveals.append((plain, block))
                pallet.deposit_event(Event.CommitmentRevealed(netuid, who))
            RevealedCommitments.insert(netuid, who, reveals[-MAX_REVEALS:])
            weight = weight.saturating_add(db.writes(1))
        if not remain:
            CommitmentOf.remove(netuid, who)
            TimelockedIndex.mutate(lambda index, key=(netuid, who): index - {key})
            weight = weight.saturating_add(db.writes(1)).saturating_add(db.reads_writes(1, 1))
        else:
            CommitmentOf.insert(netuid, who, replace(registration, info=CommitmentInfo(remain)))
            weight = weight.saturating_add(db.writes(1))
            if not any(is_timelock(f) for f in remain):
                TimelockedIndex.mutate(lambda index, key=(netuid, who): index - {key})
                weight = weight.saturating_add(db.reads_writes(1, 1))
    return weight


# ---------------------------------------------------------------------------
# What other pallets call


def get_commitments(netuid: int) -> list[tuple[bytes, bytes]]:
    """`GetCommitments::get_commitments`: (account, encoded Registration) of the subnet, in
    storage order."""
    return [(who, Registration.SCALE.encode(reg)) for who, reg in CommitmentOf.iter_prefix(netuid)]


def purge_netuid(netuid: int) -> None:
    """Everything the pallet keeps for a dissolved subnet."""
    for item in (CommitmentOf, LastCommitment, LastBondsReset, RevealedCommitments, UsedSpaceOf):
        item.clear_prefix(netuid)
    TimelockedIndex.mutate(lambda index: frozenset(k for k in index if k[0] != netuid))
