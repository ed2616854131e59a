"""Grandpa (pallet 4, `pallet_grandpa`): the GRANDPA authority set the finality gadget reads,
and its scheduled changes, pauses and resumes (enacted in `on_finalize`, signalled to the
node by `FRNK` consensus digests).

Subtensor configures `KeyOwnerProof = sp_core::Void` and `EquivocationReportSystem = ()`:
the two equivocation reports take a `Void` argument no bytes decode to, and cannot be
submitted at all. Nothing in subtensor schedules authority changes (no session pallet); the
dev chain keeps its one genesis authority and every block is final at once.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import DispatchError, Origin, Weight, ensure_none, ensure_root
from pysubtensor.pallets.support.dispatch import ensure_signed as _ensure_signed
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.support.types import scale_type
from pysubtensor.pallets.system import events as system_events
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT
from pysubtensor.pallets.system.pallet import Number
from pysubtensor.primitives.hashing import Twox64Concat
from pysubtensor.primitives.header import Consensus
from pysubtensor.primitives.scale import (
    H256,
    U32,
    U64,
    Enum,
    Field,
    FixedBytes,
    Option,
    Struct,
    Tuple,
    Variant,
    Vec,
)
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.ss58 import ss58_decode_account_id

__all__ = [
    "AUTHORITY_ID",
    "AUTHORITY_LIST",
    "GRANDPA_ENGINE_ID",
    "Authorities",
    "Constants",
    "CurrentSetId",
    "Error",
    "Event",
    "NextForced",
    "PendingChange",
    "SetIdSession",
    "Stalled",
    "State",
    "StoredPendingChange",
    "grandpa_authorities",
    "on_finalize",
    "pallet",
    "schedule_change",
    "schedule_pause",
    "schedule_resume",
]

# `pallet_grandpa::Event` is not generic.
pallet = Pallet("Grandpa", 4, crate="pallet_grandpa", storage_version=5, event_generic=False)

GRANDPA_ENGINE_ID = b"FRNK"
#: subtensor's Grandpa configuration.
MAX_AUTHORITIES = 32
MAX_NOMINATORS = 20
MAX_SET_ID_SESSION_ENTRIES = 0


# ---------------------------------------------------------------------------
# Types

#: `sp_consensus_grandpa::app::Public`; Python value: the 32-byte ed25519 key.
AUTHORITY_ID = Struct(("sp_consensus_grandpa", "app", "Public"), (Field(None, FixedBytes(32), "ed25519::Public"),))
AUTHORITY_SIGNATURE = Struct(("sp_consensus_grandpa", "app", "Signature"),
                             (Field(None, FixedBytes(64), "ed25519::Signature"),))
#: `AuthorityList` = `Vec<(AuthorityId, AuthorityWeight)>`; Python value: [(key, weight), ...].
AUTHORITY_LIST = Vec(Tuple(AUTHORITY_ID, U64))
#: `WeakBoundedVec<(AuthorityId, u64), MaxAuthorities>`.
_BOUNDED_AUTHORITY_LIST = Struct(("bounded_collections", "weak_bounded_vec", "WeakBoundedVec"),
                                 (Field(None, AUTHORITY_LIST, "Vec<T>"),),
                                 params=(("T", AUTHORITY_LIST.inner), ("S", None)))

_N = (Field("scheduled_at", U32, "N"), Field("delay", U32, "N"))
#: `StoredState<u32>`; Python value: "Live", "Paused", ("PendingPause", {...}), ("PendingResume", {...}).
STORED_STATE = Enum(("pallet_grandpa", "StoredState"), (
    Variant("Live", 0),
    Variant("PendingPause", 1, _N),
    Variant("Paused", 2),
    Variant("PendingResume", 3, _N),
), params=(("N", U32),))


@slots_dataclass(frozen=True)
class StoredPendingChange:
    scheduled_at: int
    delay: int
    next_authorities: list[tuple[bytes, int]]
    forced: int | None


STORED_PENDING_CHANGE = Struct(("pallet_grandpa", "StoredPendingChange"), (
    Field("scheduled_at", U32, "N"),
    Field("delay", U32, "N"),
    Field("next_authorities", _BOUNDED_AUTHORITY_LIST, "BoundedAuthorityList<Limit>"),
    Field("forced", Option(U32), "Option<N>"),
), cls=StoredPendingChange, params=(("N", U32), ("Limit", None)))


def _vote(name: str) -> Struct:
    return Struct(("finality_grandpa", name),
                  (Field("target_hash", H256, "H"), Field("target_number", U32, "N")),
                  params=(("H", H256), ("N", U32)))


def _equivocation(vote: Struct) -> Struct:
    pair = Tuple(vote, AUTHORITY_SIGNATURE)
    return Struct(("finality_grandpa", "Equivocation"), (
        Field("round_number", U64, "u64"),
        Field("identity", AUTHORITY_ID, "Id"),
        Field("first", pair, "(V, S)"),
        Field("second", pair, "(V, S)"),
    ), params=(("Id", AUTHORITY_ID), ("V", vote), ("S", AUTHORITY_SIGNATURE)))


EQUIVOCATION = Enum(("sp_consensus_grandpa", "Equivocation"), (
    Variant("Prevote", 0, (Field(None, _equivocation(_vote("Prevote")),
                                 "finality_grandpa::Equivocation<AuthorityId, finality_grandpa::Prevote<\n"
                                 "H, N>, AuthoritySignature,>"),)),
    Variant("Precommit", 1, (Field(None, _equivocation(_vote("Precommit")),
                                   "finality_grandpa::Equivocation<AuthorityId, finality_grandpa::Precommit\n"
                                   "<H, N>, AuthoritySignature,>"),)),
), params=(("H", H256), ("N", U32)))
EQUIVOCATION_PROOF = Struct(("sp_consensus_grandpa", "EquivocationProof"), (
    Field("set_id", U64, "SetId"),
    Field("equivocation", EQUIVOCATION, "Equivocation<H, N>"),
), params=(("H", H256), ("N", U32)))
#: `sp_core::Void`: an enum without variants; no value exists and nothing decodes to one.
VOID = Enum(("sp_core", "Void"), ())

#: `sp_consensus_grandpa::ConsensusLog<u32>`, the payload of `FRNK` consensus digests.
_SCHEDULED_CHANGE = Tuple(AUTHORITY_LIST, U32)  # ScheduledChange { next_authorities, delay }
CONSENSUS_LOG = Enum(("sp_consensus_grandpa", "ConsensusLog"), (
    Variant("ScheduledChange", 1, (Field(None, _SCHEDULED_CHANGE),)),
    Variant("ForcedChange", 2, (Field(None, U32), Field(None, _SCHEDULED_CHANGE))),
    Variant("OnDisabled", 3, (Field(None, U64),)),
    Variant("Pause", 4, (Field(None, U32),)),
    Variant("Resume", 5, (Field(None, U32),)),
))


# ---------------------------------------------------------------------------
# Storage

State = pallet.storage("State", StorageValue(
    STORED_STATE, default=("Live", None)), docs="State of the current authority set.")
PendingChange = pallet.storage("PendingChange", StorageValue(
    STORED_PENDING_CHANGE, optional=True), docs="Pending change: (signaled at, scheduled change).")
NextForced = pallet.storage("NextForced", StorageValue(
    U32, optional=True), docs="next block number where we can force a change.")
Stalled = pallet.storage("Stalled", StorageValue(
    Tuple(U32, U32), optional=True), docs="`true` if we are currently stalled.")
CurrentSetId = pallet.storage("CurrentSetId", StorageValue(U64, default=0), docs="""
    The number of changes (both in terms of keys and underlying economic responsibilities)
    in the "set" of Grandpa validators from genesis.
""")
SetIdSession = pallet.storage("SetIdSession", StorageMap(Twox64Concat, U64, U32, optional=True), docs="""
    A mapping from grandpa set ID to the index of the *most recent* session for which its
    members were responsible.

    This is only used for validating equivocation proofs. An equivocation proof must
    contains a key-ownership proof for a given session, therefore we need a way to tie
    together sessions and GRANDPA set ids, i.e. we need to validate that a validator
    was the owner of a given key on a given session, and what the active set ID was
    during that session.

    TWOX-NOTE: `SetId` is not under user control.
""")
Authorities = pallet.storage("Authorities", StorageValue(
    _BOUNDED_AUTHORITY_LIST, default=list), docs="The current list of authorities.")


# ---------------------------------------------------------------------------
# Constants


@pallet.constants
class Constants:
    MaxAuthorities = constant(U32, MAX_AUTHORITIES, "Max Authorities in use")
    MaxNominators = constant(U32, MAX_NOMINATORS, "The maximum number of nominators for each validator.")
    MaxSetIdSessionEntries = constant(U64, MAX_SET_ID_SESSION_ENTRIES, """
        The maximum number of entries to keep in the set id to session index mapping.

        Since the `SetIdSession` map is only used for validating equivocations this
        value should relate to the bonding duration of whatever staking system is
        being used (if any). If equivocation handling is not enabled then this value
        can be zero.
    """)


pallet.associated_type("KeyOwnerProof", VOID, """
    The proof of key ownership, used for validating equivocation reports
    The proof include the session index and validator count of the
    session at which the equivocation occurred.
""")


# ---------------------------------------------------------------------------
# Events


@pallet.events
class Event:
    @event(0)
    class NewAuthorities:
        """New authority set has been applied."""

        authority_set: scale_type(AUTHORITY_LIST, list, "AuthorityList")

    @event(1)
    class Paused:
        """Current authority set has been paused."""

    @event(2)
    class Resumed:
        """Current authority set has been resumed."""


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    PauseFailed = error(0, """
        Attempt to signal GRANDPA pause when the authority set isn't live
        (either paused or already pending pause).
    """)
    ResumeFailed = error(1, """
        Attempt to signal GRANDPA resume when the authority set isn't paused
        (either live or already pending resume).
    """)
    ChangePending = error(2, "Attempt to signal GRANDPA change with one already pending.")
    TooSoon = error(3, "Cannot signal forced change so soon after last.")
    InvalidKeyOwnershipProof = error(
        4, "A key ownership proof provided as part of an equivocation report is invalid.")
    InvalidEquivocationProof = error(
        5, "An equivocation proof provided as part of an equivocation report is invalid.")
    DuplicateOffenceReport = error(6, "A given equivocation report is valid but already previously reported.")


# ---------------------------------------------------------------------------
# Calls

_MICROS = 1_000_000
_NANOS = 1_000


def _report_equivocation_weight(validator_count: int = 0) -> Weight:
    """pallet_grandpa's default `report_equivocation` weight (validator count floored at 100)."""
    validators = max(validator_count, 100)
    db = ROCKS_DB_WEIGHT
    ref_time = (35 * _MICROS + 175 * _NANOS * validators + 95 * _MICROS + 110 * _MICROS
                + 25 * _MICROS * MAX_NOMINATORS)
    return (Weight(ref_time, 0) + db.reads(5) + db.reads(14 + 3 * MAX_NOMINATORS)
            + db.writes(10 + 3 * MAX_NOMINATORS) + db.reads(2))


_PROOF = Arg(EQUIVOCATION_PROOF, "Box<EquivocationProof<T::Hash, BlockNumberFor<T>>>")
_KEY_OWNER_PROOF = Arg(VOID, "T::KeyOwnerProof")


def _refuse_evidence() -> DispatchError:
    # `EquivocationReportSystem = ()` processes no evidence.
    return DispatchError.other("Evidence not processed.")


@pallet.call(0, weight=lambda equivocation_proof, key_owner_proof: _report_equivocation_weight())
def report_equivocation(origin: Origin, equivocation_proof: _PROOF, key_owner_proof: _KEY_OWNER_PROOF) -> None:
    """
    Report voter equivocation/misbehavior. This method will verify the
    equivocation proof and validate the given key ownership proof
    against the extracted offender. If both are valid, the offence
    will be reported.
    """
    # Origin: Signed. Unreachable in subtensor: `key_owner_proof` is `Void`, so no call
    # decodes; called directly it fails as `EquivocationReportSystem = ()` does.
    _ensure_signed(origin)
    raise _refuse_evidence()


@pallet.call(1, weight=lambda equivocation_proof, key_owner_proof: _report_equivocation_weight())
def report_equivocation_unsigned(origin: Origin, equivocation_proof: _PROOF,
                                 key_owner_proof: _KEY_OWNER_PROOF) -> None:
    """
    Report voter equivocation/misbehavior. This method will verify the
    equivocation proof and validate the given key ownership proof
    against the extracted offender. If both are valid, the offence
    will be reported.

    This extrinsic must be called unsigned and it is expected that only
    block authors will call it (validated in `ValidateUnsigned`), as such
    if the block author is defined it will be defined as the equivocation
    reporter.
    """
    # Origin: None. Unreachable as `report_equivocation` (a one-authority dev chain has no
    # equivocations to report anyway).
    ensure_none(origin)
    raise _refuse_evidence()


@pallet.call(2, weight=lambda delay, best_finalized_block_number: Weight(3 * _MICROS, 0) + ROCKS_DB_WEIGHT.writes(1))
def note_stalled(origin: Origin, delay: Arg(U32, "BlockNumberFor<T>"),
                 best_finalized_block_number: Arg(U32, "BlockNumberFor<T>")) -> None:
    """
    Note that the current authority set of the GRANDPA finality gadget has stalled.

    This will trigger a forced authority set change at the beginning of the next session, to
    be enacted `delay` blocks after that. The `delay` should be high enough to safely assume
    that the block signalling the forced change will not be re-orged e.g. 1000 blocks.
    The block production rate (which may be slowed down because of finality lagging) should
    be taken into account when choosing the `delay`. The GRANDPA voters based on the new
    authority will start voting on top of `best_finalized_block_number` for new finalized
    blocks. `best_finalized_block_number` should be the highest of the latest finalized
    block of all validators of the new authority set.

    Only callable by root.
    """
    # Origin: Root. Records `Stalled`; subtensor has no session pallet to act on it.
    ensure_root(origin)
    Stalled.put((delay, best_finalized_block_number))


# ---------------------------------------------------------------------------
# Hooks, genesis and helpers


def _deposit_log(log: Any) -> None:
    system_events.deposit_log(Consensus(GRANDPA_ENGINE_ID, CONSENSUS_LOG.encode(log)))


@pallet.hook_on_finalize
def on_finalize(block_number: int) -> None:
    """Signal and enact scheduled authority changes, pauses and resumes."""
    change = PendingChange.get()
    if change is not None:
        if block_number == change.scheduled_at:
            scheduled = (change.next_authorities, change.delay)
            if change.forced is not None:
                _deposit_log(("ForcedChange", (change.forced, scheduled)))
            else:
                _deposit_log(("ScheduledChange", scheduled))
        if block_number == change.scheduled_at + change.delay:
            Authorities.put(change.next_authorities)
            pallet.deposit_event(Event.NewAuthorities(list(change.next_authorities)))
            PendingChange.kill()
    name, payload = State.get()
    if name == "PendingPause":
        if block_number == payload["scheduled_at"]:
            _deposit_log(("Pause", payload["delay"]))
        if block_number == payload["scheduled_at"] + payload["delay"]:
            State.put(("Paused", None))
            pallet.deposit_event(Event.Paused())
    elif name == "PendingResume":
        if block_number == payload["scheduled_at"]:
            _deposit_log(("Resume", payload["delay"]))
        if block_number == payload["scheduled_at"] + payload["delay"]:
            State.put(("Live", None))
            pallet.deposit_event(Event.Resumed())


def grandpa_authorities() -> list[tuple[bytes, int]]:
    """`GrandpaApi_grandpa_authorities`: the current (key, weight) list."""
    return Authorities.get()


def schedule_pause(in_blocks: int) -> None:
    if State.get()[0] != "Live":
        raise Error.PauseFailed()
    State.put(("PendingPause", {"scheduled_at": Number.get(), "delay": in_blocks}))


def schedule_resume(in_blocks: int) -> None:
    if State.get()[0] != "Paused":
        raise Error.ResumeFailed()
    State.put(("PendingResume", {"scheduled_at": Number.get(), "delay": in_blocks}))


def schedule_change(next_authorities: list[tuple[bytes, int]], in_blocks: int, forced: int | None = None) -> None:
    """Schedule an authority set change `in_blocks` after the current block (0: at its end)."""
    if PendingChange.get() is not None:
        raise Error.ChangePending()
    scheduled_at = Number.get()
    if forced is not None:
        next_forced = NextForced.get()
        if next_forced is not None and next_forced > scheduled_at:
            raise Error.TooSoon()
        NextForced.put(scheduled_at + in_blocks * 2)
    PendingChange.put(StoredPendingChange(scheduled_at, in_blocks, list(next_authorities), forced))


def _authority(entry: Any) -> tuple[bytes, int]:
    """A genesis authority: (key, weight) with the key as 32 bytes or an SS58 address."""
    key, weight = entry
    if isinstance(key, str):
        key = ss58_decode_account_id(key)
    if not isinstance(key, bytes | bytearray) or len(key) != 32:
        raise ValueError(f"Grandpa authority must be 32 bytes or an SS58 address, got {key!r}")
    return bytes(key), int(weight)


@pallet.genesis
def build_genesis(genesis_config: dict[str, Any]) -> None:
    """`{"authorities": [[key, weight], ...]}`: `CurrentSetId` 0, the authority list, and the
    first set's session (`SetIdSession[0] = 0`)."""
    authorities = [_authority(a) for a in (genesis_config or {}).get("authorities", [])]
    CurrentSetId.put(0)
    if authorities:
        if Authorities.get():
            raise ValueError("Grandpa: authorities are already initialized")
        if len(authorities) > MAX_AUTHORITIES:
            raise ValueError("Grandpa: `Config::MaxAuthorities` is smaller than the number of genesis authorities")
        Authorities.put(authorities)
    SetIdSession.insert(0, 0)
