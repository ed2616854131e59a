"""MevShield (pallet 30, `pallet_shield`): encrypted transactions that only the block
author can open, so that nobody can front-run them from the pool.

The key schedule (subtensor main, the version bittensor 11.3.0 and btcli 9.21.2 speak):
every block's author announces, by the `announce_next_key` inherent, the ML-KEM-768
encapsulation key of its own keystore; the inherent rotates

    CurrentKey ← PendingKey ← NextKey ← AuthorKeys[author of slot + 2]

so that `NextKey` (what users encrypt to) is the key of the author two slots ahead, and
`PendingKey` is the key of this block's author, the one who can decrypt. A user sends
`submit_encrypted(ciphertext)`, its signed inner extrinsic sealed to `NextKey` (wire format
in `primitives.shield`); the call itself only deposits `EncryptedSubmitted`. The author's
proposer (node side) opens each carrier whose key hash is `twox_128(PendingKey)` and puts the
inner extrinsic in the block right after it, where it is validated and charged as any other.

`store_encrypted` keeps a queue run in `on_initialize` through `ExtrinsicDecryptor`; the
runtime binds `()` (every entry fails to decode), as subtensor's does.

Where spec 381 differs: its MevShield (`submit_encrypted(commitment, ciphertext)`,
`Submissions`, `KeyHashByBlock`, `mark_decryption_failed`) cannot carry the calls the
clients compose (`submit_encrypted` with a `ciphertext` alone, key hash in front), so this
pallet follows the runtime those clients were generated against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

from pysubtensor.pallets import system
from pysubtensor.pallets.aura import AUTHORITY_ID
from pysubtensor.pallets.support import inherent
from pysubtensor.pallets.support.call import RuntimeCallConfig, RuntimeCalls, extract_actual_weight
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_ERROR,
    ROCKS_DB_WEIGHT,
    DispatchError,
    Origin,
    Weight,
    ensure,
    ensure_none,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, error, event
from pysubtensor.pallets.support.storage import CountedStorageMap, StorageMap, StorageValue
from pysubtensor.pallets.support.types import (
    AccountId,
    Hash,
    TypeName,
    bounded_bytes,
    bounded_vec,
    scale_type,
    u32,
    u64,
    value_type,
)
from pysubtensor.primitives.hashing import Identity, Twox64Concat, blake2_256
from pysubtensor.primitives.inherents import InherentData
from pysubtensor.primitives.scale import BOOL, U8, U32, U64, Option, ScaleDecodeError
from pysubtensor.primitives.shield import INHERENT_IDENTIFIER, MLKEM768_ENC_KEY_LEN, key_hash
from pysubtensor.primitives.types import ACCOUNT_ID

from . import weights

__all__ = [
    "DEFAULT_EXTRINSIC_LIFETIME",
    "DEFAULT_MAX_EXTRINSIC_WEIGHT",
    "DEFAULT_MAX_PENDING_EXTRINSICS",
    "DEFAULT_ON_INITIALIZE_WEIGHT",
    "MAX_ON_INITIALIZE_WEIGHT",
    "SHIELD_ENC_KEY",
    "AuthorKeys",
    "Config",
    "CurrentKey",
    "Error",
    "Event",
    "ExtrinsicLifetime",
    "FindAuthors",
    "HasMigrationRun",
    "MaxExtrinsicWeight",
    "MaxPendingExtrinsicsLimit",
    "NextKey",
    "NextKeyExpiresAt",
    "NextPendingExtrinsicIndex",
    "OnInitializeWeight",
    "PendingExtrinsic",
    "PendingExtrinsics",
    "PendingKey",
    "PendingKeyExpiresAt",
    "ShieldInherent",
    "is_shielded_using_current_key",
    "pallet",
    "process_pending_extrinsics",
]

pallet = Pallet("MevShield", 30, crate="pallet_shield")

#: `ShieldEncKey = BoundedVec<u8, ConstU32<2048>>`; the bounds are enforced when a value is
#: decoded, as the Rust types refuse a longer one (an oversized `submit_encrypted` does not decode).
SHIELD_ENC_KEY = bounded_bytes(2048)
_EncKey = scale_type(SHIELD_ENC_KEY, bytes, "ShieldEncKey")
_EncryptedCall = scale_type(bounded_bytes(8192), bytes, "BoundedVec<u8, MaxEncryptedCallSize>")
_Ciphertext = scale_type(bounded_bytes(8192), bytes, "BoundedVec<u8, ConstU32<8192>>")
_DispatchError = scale_type(DISPATCH_ERROR, tuple, "DispatchError")

#: `MaxEncryptedCallSize` and the `submit_encrypted` ciphertext bound.
MAX_ENCRYPTED_CALL_SIZE = 8192
DEFAULT_MAX_PENDING_EXTRINSICS = 100
DEFAULT_EXTRINSIC_LIFETIME = 10
DEFAULT_ON_INITIALIZE_WEIGHT = 500_000_000_000
#: Half of the block's weight (2 s of 4 s): no setting may exceed it.
MAX_ON_INITIALIZE_WEIGHT = 2_000_000_000_000
DEFAULT_MAX_EXTRINSIC_WEIGHT = 50_000_000_000


class FindAuthors(Protocol):
    """`FindAuthors`: the authority of this block's slot and of the slot two ahead."""

    def find_current_author(self) -> bytes | None: ...

    def find_next_next_author(self) -> bytes | None: ...


class _NoAuthors:
    """`()`: no author known."""

    def find_current_author(self) -> bytes | None:
        return None

    def find_next_next_author(self) -> bytes | None:
        return None


def _no_decryptor(data: bytes) -> Any:
    """`()` as `ExtrinsicDecryptor`: nothing decrypts (what subtensor's runtime binds)."""
    raise DispatchError.other("ExtrinsicDecryptor not implemented")


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(RuntimeCallConfig):
    """`pallet_shield::Config`: `AuthorityId` is Aura's (32-byte sr25519 keys)."""

    find_authors: FindAuthors = field(default_factory=_NoAuthors)
    #: `ExtrinsicDecryptor::decrypt`: a stored entry's bytes to a RuntimeCall value (or raise).
    extrinsic_decryptor: Callable[[bytes], Any] = _no_decryptor


_runtime = RuntimeCalls(pallet)


@value_type("pallet_shield", "pallet", "PendingExtrinsic", params=(("T", None),))
class PendingExtrinsic:
    """A pending extrinsic stored for later execution."""

    who: AccountId
    encrypted_call: _EncryptedCall
    submitted_at: Annotated[u32, TypeName("BlockNumberFor<T>")]


# -- storage

CurrentKey = pallet.storage("CurrentKey", StorageValue(SHIELD_ENC_KEY, optional=True), docs="""
    Current block author's ML-KEM-768 encapsulation key (internal, not for encryption).
""")
PendingKey = pallet.storage("PendingKey", StorageValue(SHIELD_ENC_KEY, optional=True), docs="""
    Next block author's key, staged here before promoting to `CurrentKey`.
""")
NextKey = pallet.storage("NextKey", StorageValue(SHIELD_ENC_KEY, optional=True), docs="""
    Key users should encrypt with (N+2 author's key).
""")
AuthorKeys = pallet.storage("AuthorKeys", StorageMap(
    Twox64Concat, AUTHORITY_ID, SHIELD_ENC_KEY, optional=True), docs="""
    Per-author ML-KEM-768 encapsulation key, updated each time the author produces a block.
""")
PendingKeyExpiresAt = pallet.storage("PendingKeyExpiresAt", StorageValue(U32, optional=True), docs="""
    Block number at which `PendingKey` is no longer valid (exclusive upper bound).
    Updated every block during rotation.
""")
NextKeyExpiresAt = pallet.storage("NextKeyExpiresAt", StorageValue(U32, optional=True), docs="""
    Block number at which `NextKey` is no longer valid (exclusive upper bound).
    Updated every block during rotation.
""")
HasMigrationRun = pallet.storage("HasMigrationRun", StorageMap(
    Identity, bounded_vec(U8), BOOL, default=False), docs="""
    Stores whether some migration has been run.
""")
MaxPendingExtrinsicsLimit = pallet.storage("MaxPendingExtrinsicsLimit", StorageValue(
    U32, default=DEFAULT_MAX_PENDING_EXTRINSICS), docs="""
    Configurable maximum number of pending extrinsics.
    Defaults to 100 if not explicitly set via `set_max_pending_extrinsics`.
""")
ExtrinsicLifetime = pallet.storage("ExtrinsicLifetime", StorageValue(
    U32, default=DEFAULT_EXTRINSIC_LIFETIME), docs="""
    Configurable extrinsic lifetime (max block difference between submission and execution).
    Defaults to 10 blocks if not explicitly set.
""")
OnInitializeWeight = pallet.storage("OnInitializeWeight", StorageValue(
    U64, default=DEFAULT_ON_INITIALIZE_WEIGHT), docs="""
    Configurable maximum weight for on_initialize processing.
    Defaults to 500_000_000_000 ref_time if not explicitly set.
""")
MaxExtrinsicWeight = pallet.storage("MaxExtrinsicWeight", StorageValue(
    U64, default=DEFAULT_MAX_EXTRINSIC_WEIGHT), docs="""
    Configurable maximum weight for a single extrinsic dispatched during on_initialize.
    Extrinsics exceeding this limit are removed from the queue.
""")
PendingExtrinsics = pallet.storage("PendingExtrinsics", CountedStorageMap(
    Identity, U32, PendingExtrinsic.SCALE, optional=True), docs="""
    Storage map for encrypted extrinsics to be executed in on_initialize.
    Uses u32 index for O(1) insertion and removal. Count is maintained automatically.
""")
NextPendingExtrinsicIndex = pallet.storage("NextPendingExtrinsicIndex", StorageValue(U32, default=0), docs="""
    Next index to use when inserting a pending extrinsic (unique auto-increment).
""")


# -- events


@pallet.events
class Event:
    @event(0)
    class EncryptedSubmitted:
        """Encrypted wrapper accepted."""
        id: Hash
        who: AccountId

    @event(1)
    class ExtrinsicStored:
        """Encrypted extrinsic was stored for later execution."""
        index: u32
        who: AccountId

    @event(2)
    class ExtrinsicDecodeFailed:
        """Extrinsic decode failed during on_initialize."""
        index: u32

    @event(3)
    class ExtrinsicDispatchFailed:
        """Extrinsic dispatch failed during on_initialize."""
        index: u32
        error: _DispatchError

    @event(4)
    class ExtrinsicDispatched:
        """Extrinsic was successfully dispatched during on_initialize."""
        index: u32

    @event(5)
    class ExtrinsicExpired:
        """Extrinsic expired (exceeded max block lifetime)."""
        index: u32

    @event(6)
    class ExtrinsicPostponed:
        """Extrinsic postponed due to weight limit."""
        index: u32

    @event(7)
    class MaxPendingExtrinsicsNumberSet:
        """Maximum pending extrinsics limit was updated."""
        value: u32

    @event(8)
    class OnInitializeWeightSet:
        """Maximum on_initialize weight was updated."""
        value: u64

    @event(9)
    class ExtrinsicLifetimeSet:
        """Extrinsic lifetime was updated."""
        value: u32

    @event(10)
    class MaxExtrinsicWeightSet:
        """Maximum per-extrinsic weight was updated."""
        value: u64

    @event(11)
    class ExtrinsicWeightExceeded:
        """Extrinsic exceeded the per-extrinsic weight limit and was removed."""
        index: u32


# -- errors


@pallet.errors
class Error:
    BadEncKeyLen = error(0, "The announced ML\u2011KEM encapsulation key length is invalid.")
    Unreachable = error(1, "Unreachable.")
    TooManyPendingExtrinsics = error(2, "Too many pending extrinsics in storage.")
    WeightExceedsAbsoluteMax = error(3, "Weight exceeds the absolute maximum (half of total block weight).")


# -- calls


@pallet.call(0, weight=weights.announce_next_key())
def announce_next_key(origin: Origin, enc_key: Arg(Option(SHIELD_ENC_KEY), "Option<ShieldEncKey>")) -> None:
    """
    Rotate the key chain and announce the current author's ML-KEM encapsulation key.

    Called as an inherent every block. `enc_key` is `None` on node failure,
    which removes the author from future shielded tx eligibility.

    Key rotation order (using pre-update AuthorKeys):
      1. CurrentKey  ← PendingKey
      2. PendingKey  ← NextKey
      3. NextKey     ← next-next author's key  (user-facing)
      4. AuthorKeys[current] ← announced key
    """
    ensure_none(origin)
    authors = pallet.config.find_authors
    author = authors.find_current_author()
    ensure(author is not None, Error.Unreachable)
    now = system.block_number()
    CurrentKey.set(PendingKey.take())
    PendingKey.set(NextKey.take())
    next_next = authors.find_next_next_author()
    NextKey.set(AuthorKeys.get(next_next) if next_next is not None else None)
    if enc_key is not None:
        ensure(len(enc_key) == MLKEM768_ENC_KEY_LEN, Error.BadEncKeyLen)
        AuthorKeys.insert(author, enc_key)
    else:
        AuthorKeys.remove(author)
    PendingKeyExpiresAt.set(now + 2 if PendingKey.exists() else None)
    NextKeyExpiresAt.set(now + 3 if NextKey.exists() else None)


@pallet.call(1, weight=weights.submit_encrypted())
def submit_encrypted(origin: Origin, ciphertext: _Ciphertext) -> None:
    """
    Users submit an encrypted wrapper.

    Client\u2011side:

      1. Read `NextKey` (ML\u2011KEM encapsulation key bytes) from storage.
      2. Sign your extrinsic so that it can be executed when added to the pool,
           i.e. you may need to increment the nonce if you submit using the same account.
      3. Encrypt:

           plaintext = signed_extrinsic
           key_hash = xxhash128(NextKey)
           kem_len = Length of kem_ct in bytes (u16)
           kem_ct = Ciphertext from ML\u2011KEM\u2011768
           nonce = Random 24 bytes used for XChaCha20\u2011Poly1305
           aead_ct = Ciphertext from XChaCha20\u2011Poly1305

         with ML\u2011KEM\u2011768 + XChaCha20\u2011Poly1305, producing

           ciphertext = key_hash || kem_len || kem_ct || nonce || aead_ct
    """
    who = ensure_signed(origin)
    # `T::Hashing::hash_of(&(who, &ciphertext))`: the SCALE tuple (account, Vec<u8>).
    wrapper_id = blake2_256(ACCOUNT_ID.encode(who) + SHIELD_ENC_KEY.encode(ciphertext))
    pallet.deposit_event(Event.EncryptedSubmitted(wrapper_id, who))


@pallet.call(2, weight=weights.STORE_ENCRYPTED)
def store_encrypted(origin: Origin, encrypted_call: _EncryptedCall) -> None:
    """Store an encrypted extrinsic for later execution in on_initialize."""
    who = ensure_signed(origin)
    ensure(PendingExtrinsics.count() < MaxPendingExtrinsicsLimit.get(), Error.TooManyPendingExtrinsics)
    index = NextPendingExtrinsicIndex.get()
    PendingExtrinsics.insert(index, PendingExtrinsic(who, encrypted_call, system.block_number()))
    NextPendingExtrinsicIndex.put(min(index + 1, 0xFFFF_FFFF))
    pallet.deposit_event(Event.ExtrinsicStored(index, who))


@pallet.call(3, weight=weights.set_max_pending_extrinsics_number())
def set_max_pending_extrinsics_number(origin: Origin, value: u32) -> None:
    """Set the maximum number of pending extrinsics allowed in the queue."""
    ensure_root(origin)
    MaxPendingExtrinsicsLimit.put(value)
    pallet.deposit_event(Event.MaxPendingExtrinsicsNumberSet(value))


@pallet.call(4, weight=weights.set_on_initialize_weight())
def set_on_initialize_weight(origin: Origin, value: u64) -> None:
    """
    Set the maximum weight allowed for on_initialize processing.
    Rejects values exceeding the absolute limit (half of total block weight).
    """
    ensure_root(origin)
    ensure(value <= MAX_ON_INITIALIZE_WEIGHT, Error.WeightExceedsAbsoluteMax)
    OnInitializeWeight.put(value)
    pallet.deposit_event(Event.OnInitializeWeightSet(value))


@pallet.call(5, weight=weights.set_stored_extrinsic_lifetime())
def set_stored_extrinsic_lifetime(origin: Origin, value: u32) -> None:
    """Set the extrinsic lifetime (max blocks between submission and execution)."""
    ensure_root(origin)
    ExtrinsicLifetime.put(value)
    pallet.deposit_event(Event.ExtrinsicLifetimeSet(value))


@pallet.call(6, weight=weights.set_max_extrinsic_weight())
def set_max_extrinsic_weight(origin: Origin, value: u64) -> None:
    """
    Set the maximum weight allowed for a single extrinsic during on_initialize processing.
    Extrinsics exceeding this limit are removed from the queue.
    Rejects values exceeding the absolute limit.
    """
    ensure_root(origin)
    ensure(value <= MAX_ON_INITIALIZE_WEIGHT, Error.WeightExceedsAbsoluteMax)
    MaxExtrinsicWeight.put(value)
    pallet.deposit_event(Event.MaxExtrinsicWeightSet(value))


# -- hooks


@pallet.hook_on_initialize
def on_initialize(n: int) -> Weight:
    return process_pending_extrinsics()


def _any_gt(a: Weight, b: Weight) -> bool:
    return a.ref_time > b.ref_time or a.proof_size > b.proof_size


def process_pending_extrinsics() -> Weight:
    """Run the stored queue in index order up to `OnInitializeWeight`: drop expired entries
    and those that do not decrypt or exceed `MaxExtrinsicWeight`, stop at the first that
    would overrun the budget (it waits for the next block), dispatch the others as signed
    by their submitter. Returns the weight used."""
    next_index = NextPendingExtrinsicIndex.get()
    count = PendingExtrinsics.count()
    weight = ROCKS_DB_WEIGHT.reads(2)
    if count == 0:
        return weight
    now = system.block_number()
    remove_weight = ROCKS_DB_WEIGHT.reads_writes(1, 2)
    for index in range(max(next_index - count, 0), next_index):
        pending = PendingExtrinsics.get(index)
        if pending is None:
            weight = weight.saturating_add(ROCKS_DB_WEIGHT.reads(1))
            continue
        if max(now - pending.submitted_at, 0) > ExtrinsicLifetime.get():
            PendingExtrinsics.remove(index)
            weight = weight.saturating_add(remove_weight)
            pallet.deposit_event(Event.ExtrinsicExpired(index))
            continue
        try:
            call = pallet.config.extrinsic_decryptor(pending.encrypted_call)
        except (DispatchError, ScaleDecodeError, ValueError):
            PendingExtrinsics.remove(index)
            weight = weight.saturating_add(remove_weight)
            pallet.deposit_event(Event.ExtrinsicDecodeFailed(index))
            continue
        info = _runtime.dispatch_info(call)
        dispatch_weight = ROCKS_DB_WEIGHT.writes(2).saturating_add(info.weight)
        if _any_gt(info.weight, Weight(MaxExtrinsicWeight.get(), 0)):
            PendingExtrinsics.remove(index)
            weight = weight.saturating_add(remove_weight)
            pallet.deposit_event(Event.ExtrinsicWeightExceeded(index))
            continue
        if _any_gt(weight.saturating_add(dispatch_weight), Weight(OnInitializeWeight.get(), 0)):
            pallet.deposit_event(Event.ExtrinsicPostponed(index))
            break
        PendingExtrinsics.remove(index)
        weight = weight.saturating_add(remove_weight)
        result = _runtime.dispatch(Origin.signed(pending.who), call)
        weight = weight.saturating_add(extract_actual_weight(result, info))
        if isinstance(result, DispatchError):
            pallet.deposit_event(Event.ExtrinsicDispatchFailed(index, result.value))
        else:
            pallet.deposit_event(Event.ExtrinsicDispatched(index))
    return weight


# -- the inherent


class ShieldInherent(inherent.ProvideInherent):
    """`announce_next_key` from the author's inherent data (`Option<ShieldEncKey>` under
    `shieldpk`): no data, or data that does not decode, and no inherent is made."""

    identifier = INHERENT_IDENTIFIER

    def create_inherent(self, data: InherentData) -> tuple[str, Any] | None:
        raw = data.get(INHERENT_IDENTIFIER)
        if raw is None:
            return None
        try:
            enc_key = Option(SHIELD_ENC_KEY).decode(bytes(raw))[0]
        except ScaleDecodeError:
            return None
        return ("announce_next_key", {"enc_key": enc_key})

    def is_inherent(self, call: tuple[str, Any]) -> bool:
        return call[0] == "announce_next_key"


pallet.provide_inherent(ShieldInherent())


# -- what the author's proposer asks (subtensor's `ShieldApi`)


def is_shielded_using_current_key(tag: bytes) -> bool:
    """Whether a ciphertext's key hash is `twox_128(PendingKey)`: made for this block's author."""
    pending = PendingKey.get()
    return pending is not None and key_hash(pending) == bytes(tag)
