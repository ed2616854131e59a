"""Block authoring: propose a block on a parent's state and seal it as Aura does.

`BlockAuthor.propose` is sc-basic-authorship's proposer plus the Aura slot worker, for one
node that authors every block:

* the slot and the time: `timestamp = max(now, parent's Timestamp.Now + slot duration)`
  (never backwards, at least one slot per block), `slot = timestamp // slot duration`; when
  the authoring key is in the Aura authority set the slot moves on to the next one that key
  owns (`slot % n == index`), as an Aura node of an n-authority chain authors only its own
  slots;
* the header: `BlockBuilder(parent state, parent_hash, number + 1, [PreRuntime(aura, slot)])`,
  the `Timestamp.set` inherent, then ready pool transactions in the pool's order until the
  block is full: a transaction that would exhaust the block's weight or length is skipped
  (at most `MAX_SKIPPED_TRANSACTIONS` of them, then the block is closed, as Substrate does),
  one the runtime refuses for any other reason is returned in `invalid` for the pool to
  remove; both are reported to the iterator, so their dependants are skipped (a sender's
  next nonce after a skipped one would be refused and removed), as subtensor's proposer
  does (a shielded carrier for another author's key is passed over without a report);
* the state root: `StateDB.apply(parent root, block changes)`, kept as the pending commit the
  chain database imports with the block in one batch;
* the seal: `DigestItem::Seal(b"aura", sr25519 signature of the pre-seal header hash)`,
  exactly what sc-consensus-aura appends, so explorers find the author.

Wall-clock time enters here, in the node (the runtime never reads a clock). Nothing is
written: the caller imports the `Proposal`.
"""

from __future__ import annotations

import bisect
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pysubtensor.node.shield import DevShieldKeystore, ShieldKeystore, shield_inherent_data
from pysubtensor.node.state import PendingCommit, StateDB, StateView
from pysubtensor.primitives import externalities
from pysubtensor.primitives.aura import AURA_ENGINE_ID, pre_digest, slot_from_digests
from pysubtensor.primitives.externalities import Externalities, StorageBackend
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.header import Digest, Header, PreRuntime, Seal
from pysubtensor.primitives.inherents import timestamp_inherent_data
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.scale import FixedBytes, Vec
from pysubtensor.primitives.shield import ShieldedTransaction
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.transaction_validity import InvalidTransaction
from pysubtensor.runtime import apis
from pysubtensor.runtime import shield as runtime_shield
from pysubtensor.runtime.executive import BlockBuilder, InvalidExtrinsicBytes, decode_extrinsic
from pysubtensor.runtime.version import VERSION

__all__ = [
    "MAX_SKIPPED_TRANSACTIONS",
    "BlockAuthor",
    "InherentsFailed",
    "OverlayBackend",
    "Proposal",
    "SlotClaim",
    "seal_header",
    "seal_signature",
    "verify_seal",
]

#: sc-basic-authorship's log target for the shielded path ("mev-shield" in stp-shield).
log = logging.getLogger("mev-shield")

#: sc-basic-authorship: transactions skipped for exhausting the block before it is closed.
MAX_SKIPPED_TRANSACTIONS = 8
#: The trie layout of new states: V1 unless the runtime's system_version is 0.
STATE_VERSION = 0 if VERSION.system_version == 0 else 1

#: Timestamp `Now` and Aura `CurrentSlot`: read and, after `dev_timeTravel`, overridden by
#: their well-known keys, as Chopsticks does (no runtime API reports or sets them).
_NOW_KEY = storage_prefix("Timestamp", "Now")
_SLOT_KEY = storage_prefix("Aura", "CurrentSlot")
#: `AuraApi_authorities`' result: `Vec<AuthorityId>` (32-byte sr25519 keys).
_AUTHORITIES = Vec(FixedBytes(32))


class InherentsFailed(Exception):
    """The runtime refused the block's inherents (e.g. a timestamp that goes backwards)."""


@dataclass(frozen=True, slots=True)
class SlotClaim:
    """The slot and time of a new block, and what its parent's state must show for the
    runtime to accept them (non-empty only after travelling back in time)."""

    slot: int
    timestamp: int
    pre_overrides: Mapping[bytes, bytes] = field(default_factory=dict)


@slots_dataclass(frozen=True)
class Proposal:
    """A sealed block ready for import, with its state commit and what the pool needs."""

    header: Header
    #: Hash of the header before the seal was appended (what the seal signs).
    pre_hash: bytes
    extrinsics: list[bytes]
    changes: dict[bytes, bytes | None]
    pending: PendingCommit
    #: Pool transactions included, and those the runtime refused (to remove from the pool).
    included: list[bytes]
    invalid: list[bytes]
    slot: int
    timestamp: int
    #: Time spent building, in ms (the `Prepared block … (N ms)` figure).
    millis: int

    @property
    def hash(self) -> bytes:
        return self.header.hash

    @property
    def number(self) -> int:
        return self.header.number


class OverlayBackend:
    """A state backend with some keys overridden (None = deleted) on top of another."""

    __slots__ = ("_base", "_keys", "_over")

    def __init__(self, base: StorageBackend, overrides: Mapping[bytes, bytes | None]) -> None:
        self._base = base
        self._over = dict(overrides)
        self._keys = sorted(self._over)

    def get(self, key: bytes) -> bytes | None:
        if key in self._over:
            return self._over[key]
        return self._base.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        while True:
            base = self._base.next_key(key)
            i = bisect.bisect_right(self._keys, key)
            over = self._keys[i] if i < len(self._keys) else None
            if over is not None and (base is None or over <= base):
                if self._over[over] is not None:
                    return over
                key = over
                continue
            if base is None or base not in self._over:
                return base
            key = base  # overridden: deleted (a set one was returned above)


def seal_signature(pre_hash: bytes, keypair: Keypair) -> bytes:
    """The Aura seal's data: the sr25519 signature (64 bytes, SCALE-encoded as a fixed
    array) of the pre-seal header hash."""
    return keypair.sign(pre_hash)


def seal_header(header: Header, keypair: Keypair) -> Header:
    """`header` with `DigestItem::Seal(b"aura", signature)` appended."""
    seal = Seal(AURA_ENGINE_ID, seal_signature(header.hash, keypair))
    return Header(header.parent_hash, header.number, header.state_root, header.extrinsics_root,
                  Digest([*header.digest.logs, seal]))


def verify_seal(header: Header, public_key: bytes) -> bool:
    """Whether the header ends with an Aura seal by `public_key` over its pre-seal hash."""
    logs = header.digest.logs
    if not logs or not isinstance(logs[-1], Seal) or logs[-1].engine != AURA_ENGINE_ID:
        return False
    pre = Header(header.parent_hash, header.number, header.state_root, header.extrinsics_root, Digest(logs[:-1]))
    return Keypair("sr25519", public_key, b"").verify(pre.hash, logs[-1].data)


def _exhausts_resources(error: Any) -> bool:
    return error is not None and error.kind == "Invalid" and error.reason == InvalidTransaction.EXHAUSTS_RESOURCES


def _u64(raw: bytes | None) -> int:
    return int.from_bytes(raw[:8], "little") if raw else 0


class BlockAuthor:
    """Builds and seals blocks on the states of a `StateDB`."""

    def __init__(self, state: StateDB, keypair: Keypair | None, *, slot_duration: int,
                 shield_keystore: ShieldKeystore | None = None) -> None:
        if slot_duration <= 0:
            raise ValueError(f"slot duration must be positive, got {slot_duration}")
        self.state = state
        self.keypair = keypair
        self.slot_duration = slot_duration
        #: The MEV Shield keys this author announces and decrypts with (a fixed pair when
        #: none is given: this node authors every block of its chain).
        self.shield_keystore: ShieldKeystore = shield_keystore if shield_keystore is not None \
            else DevShieldKeystore()

    # -- slots ------------------------------------------------------------------------

    def authorities(self, parent_root: bytes) -> list[bytes]:
        """The Aura authority set in the parent's state, as the runtime reports it
        (`AuraApi_authorities`)."""
        raw = apis.call("AuraApi_authorities", b"", Externalities(self.state.view(parent_root)))
        return list(_AUTHORITIES.decode_all(raw))

    def owns_slots(self, parent_root: bytes) -> bool:
        """Whether the authoring key is in the parent's Aura authority set."""
        return self.keypair is not None and self.keypair.public_key in self.authorities(parent_root)

    def claim_slot(self, parent_root: bytes, now_ms: int, *, exact: bool = False) -> SlotClaim:
        """The slot and time of the block after the one with state `parent_root`: not
        before `now_ms`, at least one slot after the parent, in a slot the key owns.

        `exact` (after `dev_timeTravel`) takes `now_ms` as the time even when it is not
        after the parent's: the claim then carries the parent-state overrides (Timestamp
        `Now` one slot earlier, Aura `CurrentSlot` one slot before) under which the runtime
        accepts it, as Chopsticks rewrites those two items."""
        view = self.state.view(parent_root)
        duration = self.slot_duration
        parent_ts = _u64(view.get(_NOW_KEY))
        parent_slot = _u64(view.get(_SLOT_KEY))
        ts = now_ms if exact else max(now_ms, parent_ts + duration)
        slot = ts // duration
        authorities = self.authorities(parent_root)
        if self.keypair is not None and self.keypair.public_key in authorities:
            n, index = len(authorities), authorities.index(self.keypair.public_key)
            slot += (index - slot) % n
            ts = max(ts, slot * duration)
        pre: dict[bytes, bytes] = {}
        if slot <= parent_slot or ts < parent_ts + duration:
            pre[_SLOT_KEY] = max(slot - 1, 0).to_bytes(8, "little")
            pre[_NOW_KEY] = max(ts - duration, 0).to_bytes(8, "little")
        return SlotClaim(slot, ts, pre)

    # -- proposing ----------------------------------------------------------------------

    def propose(
        self,
        parent: Header,
        claim: SlotClaim,
        transactions: Iterable[Any] = (),
        *,
        deadline: float | None = None,
        remove_invalid: bool = True,
        storage_overrides: Mapping[bytes, bytes | None] | None = None,
    ) -> Proposal:
        """Build, finalize and seal the block on `parent` for `claim`.

        `transactions` yields pool transactions (`.data`, `.hash`) in inclusion order; when
        it has `report_invalid` (the pool's best iterator), refused ones are reported so
        that their dependants are skipped. `deadline` (a `time.perf_counter()` value) stops
        taking transactions. `remove_invalid=False` keeps refused transactions out of
        `invalid` (a block on a fork: they may still be valid on the best chain).
        `storage_overrides` are raw writes applied after the block's own (dev_setStorage).
        """
        started = time.perf_counter()
        if self.keypair is None:
            raise RuntimeError("this node has no authority key to seal blocks with")
        parent_hash = parent.hash
        view: StateView = self.state.view(parent.state_root)
        backend: StorageBackend = OverlayBackend(view, claim.pre_overrides) if claim.pre_overrides else view
        try:
            builder = BlockBuilder(backend, parent_hash=parent_hash, number=parent.number + 1,
                                   digest=[pre_digest(claim.slot)])
            inherent_data = timestamp_inherent_data(claim.timestamp)
            inherent_data.update(shield_inherent_data(self.shield_keystore))
            for xt in builder.inherent_extrinsics(inherent_data):
                result = builder.apply_extrinsic(xt)
                if not result.included:
                    raise InherentsFailed(f"the runtime refused an inherent: {result.validity_error}")
        except InherentsFailed:
            raise
        except Exception as e:  # a runtime panic: this block cannot be built
            raise InherentsFailed(f"{type(e).__name__}: {e}") from e

        included: list[bytes] = []
        invalid: list[bytes] = []
        skipped = 0
        report = getattr(transactions, "report_invalid", None)
        iterator: Iterator[Any] = iter(transactions)
        parent_ext = Externalities(view)
        for tx in iterator:
            if deadline is not None and time.perf_counter() > deadline:
                break
            # Decoded once, for the shielded-carrier check and for applying it.
            try:
                xt = decode_extrinsic(tx.data)
            except InvalidExtrinsicBytes:
                xt = None
            shielded = None
            if xt is not None and xt.call[0] == "MevShield":  # only a MevShield call can be a carrier
                with externalities.using(parent_ext):
                    shielded = runtime_shield.try_decode_shielded_tx(xt)
                    # A carrier for another author's key stays in the pool for that author.
                    if shielded is not None and not runtime_shield.is_shielded_using_current_key(shielded.key_hash):
                        continue
            try:
                result = builder.apply_extrinsic(xt if xt is not None else tx.data)
            except Exception:  # undecodable or a panic: the transaction is invalid
                result = None
            if result is not None and result.included:
                included.append(tx.hash)
                if shielded is not None and not self._push_unshielded(builder, parent_ext, shielded):
                    if skipped >= MAX_SKIPPED_TRANSACTIONS:
                        break
                    skipped += 1
                continue
            # Left out: what depends on it is skipped (a sender's later nonces cannot apply
            # in this block; applying them would fail and get them removed as invalid).
            if report is not None:
                report(tx)
            if result is not None and _exhausts_resources(result.validity_error):
                if skipped >= MAX_SKIPPED_TRANSACTIONS:
                    break
                skipped += 1
                continue
            if remove_invalid:
                invalid.append(tx.hash)

        finished = builder.finalize_block()
        changes = dict(claim.pre_overrides)
        changes.update(finished.changes)
        if storage_overrides:
            changes.update(storage_overrides)
        pending = self.state.apply(parent.state_root, changes, state_version=STATE_VERSION)
        unsealed = finished.header_with(pending.root)
        sealed = seal_header(unsealed, self.keypair)
        millis = int((time.perf_counter() - started) * 1000)
        return Proposal(sealed, unsealed.hash, finished.extrinsics, changes, pending, included, invalid,
                        claim.slot, claim.timestamp, millis)


    def _push_unshielded(self, builder: BlockBuilder, parent_ext: Externalities,
                         shielded: ShieldedTransaction) -> bool:
        """Open an included carrier with the current decapsulation key and apply its inner
        extrinsic right after it (sc-basic-authorship's `unshield_and_push_inner_tx`): one
        that does not decrypt, or that the runtime refuses, is left out (the carrier paid).
        False only when the inner one exhausted the block's resources."""
        with externalities.using(parent_ext):
            inner = runtime_shield.try_unshield_tx(self.shield_keystore.current_dec_key(), shielded)
        if inner is None:
            log.debug("Failed to unshield transaction")
            return True
        try:
            result = builder.apply_extrinsic(inner)
        except Exception as e:
            log.debug("Invalid unshielded transaction: %s", e)
            return True
        if not result.included:
            log.debug("Invalid unshielded transaction: %s", result.validity_error)
        return not (not result.included and _exhausts_resources(result.validity_error))


def slot_of(header: Header) -> int | None:
    """The Aura slot a header claims (its PreRuntime digest), if any."""
    return slot_from_digests(item for item in header.digest.logs if isinstance(item, PreRuntime))
