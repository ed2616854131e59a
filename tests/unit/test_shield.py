"""MevShield (pallet 30): scenarios ported from subtensor's `pallets/shield/src/tests.rs` (each
test names the Rust test it ports), the wire format from `stp-shield`'s `shielded_tx.rs`
tests, and the proposer-facing functions (runtime.shield) on the composed runtime.

Client-side encryption here is tests/support/shield.py (kyber-py + libsodium); the real
clients' own encryption is exercised in tests/integration/test_client_shield.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import pysubtensor.pallets.shield as shield
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.pallets.system.block import BlockHash, Number
from pysubtensor.primitives.hashing import blake2_256, twox128
from pysubtensor.primitives.keyring import DEV_ACCOUNTS
from pysubtensor.primitives.scale import ScaleDecodeError, ScaleEncodeError, encode_compact
from pysubtensor.primitives.shield import (
    MLKEM768_ENC_KEY_LEN,
    ParsingError,
    ShieldedTransaction,
    generate_keypair,
    key_hash,
    unshield,
)
from pysubtensor.runtime import construct
from pysubtensor.runtime import shield as api
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.support.shield import encrypt

ALICE = DEV_ACCOUNTS["Alice"]


def author(n: int) -> bytes:
    return bytes([n]) * 32


def key_of(n: int) -> bytes:
    return bytes([n]) * MLKEM768_ENC_KEY_LEN


@dataclass
class Authors:
    """A `FindAuthors` the test sets per block (the mock's `set_authors`)."""

    current: bytes | None = None
    next_next: bytes | None = None

    def find_current_author(self) -> bytes | None:
        return self.current

    def find_next_next_author(self) -> bytes | None:
        return self.next_next


@pytest.fixture
def env():
    authors = Authors()
    with frame_env(shield.pallet) as ext, shield.pallet.bound(find_authors=authors), \
            capture_events(shield.pallet) as events:
        yield authors, events, ext


def announce(origin: Origin, enc_key: bytes | None) -> None:
    shield.pallet.dispatch(origin, ("announce_next_key", {"enc_key": enc_key}))


def keys() -> tuple:
    return (shield.CurrentKey.get(), shield.PendingKey.get(), shield.NextKey.get())


# -- key schedule


def test_key_rotation_round_robin(env):
    """tests.rs `key_rotation_round_robin`: authors 1, 2, 3, 1, 2 over five blocks."""
    authors, _, _ = env
    order = [1, 2, 3, 1, 2]

    def block(n: int, next_next: int | None) -> None:
        Number.put(n)
        authors.current, authors.next_next = author(order[n - 1]), (author(next_next) if next_next else None)
        announce(Origin.none(), key_of(order[n - 1]))

    block(1, 3)
    assert keys() == (None, None, None) and shield.AuthorKeys.get(author(1)) == key_of(1)
    assert shield.PendingKeyExpiresAt.get() is None and shield.NextKeyExpiresAt.get() is None
    assert not shield.is_shielded_using_current_key(b"\xff" * 16)
    block(2, 1)
    assert keys() == (None, None, key_of(1)) and shield.NextKeyExpiresAt.get() == 5
    block(3, 2)
    assert keys() == (None, key_of(1), key_of(2))
    assert (shield.PendingKeyExpiresAt.get(), shield.NextKeyExpiresAt.get()) == (5, 6)
    assert shield.is_shielded_using_current_key(twox128(key_of(1)))
    assert not shield.is_shielded_using_current_key(twox128(key_of(2)))
    block(4, None)  # next-next author out of bounds
    assert keys() == (key_of(1), key_of(2), None)
    assert (shield.PendingKeyExpiresAt.get(), shield.NextKeyExpiresAt.get()) == (6, None)
    assert shield.is_shielded_using_current_key(twox128(key_of(2)))
    block(5, None)
    assert keys() == (key_of(2), None, None)
    assert (shield.PendingKeyExpiresAt.get(), shield.NextKeyExpiresAt.get()) == (None, None)


def test_announce_rotations_use_pre_update_author_keys(env):
    """tests.rs `announce_rotations_use_pre_update_author_keys`."""
    authors, _, _ = env
    authors.current = authors.next_next = author(1)
    shield.AuthorKeys.insert(author(1), key_of(7))
    announce(Origin.none(), key_of(8))
    assert shield.NextKey.get() == key_of(7) and shield.AuthorKeys.get(author(1)) == key_of(8)


def test_announce_rejects_signed_origin(env):
    """tests.rs `announce_rejects_signed_origin`."""
    env[0].current = author(1)
    with pytest.raises(BadOrigin):
        announce(Origin.signed(author(1)), key_of(1))
    assert shield.AuthorKeys.get(author(1)) is None


def test_announce_rejects_bad_pk_length(env):
    """tests.rs `announce_rejects_bad_pk_length`: the call fails, nothing is kept (the
    extrinsic's layer is rolled back by the executive, as `assert_noop!` checks)."""
    env[0].current = author(1)
    with pytest.raises(shield.Error.BadEncKeyLen):
        announce(Origin.none(), b"\x01" * 100)
    with pytest.raises(shield.Error.BadEncKeyLen):
        announce(Origin.none(), b"\x01" * (MLKEM768_ENC_KEY_LEN + 1))


def test_announce_none_pk_removes_author_key(env):
    """tests.rs `announce_none_pk_removes_author_key`."""
    env[0].current = author(1)
    shield.AuthorKeys.insert(author(1), key_of(1))
    announce(Origin.none(), None)
    assert shield.AuthorKeys.get(author(1)) is None


def test_announce_fails_when_no_current_author(env):
    """tests.rs `announce_fails_when_no_current_author`."""
    with pytest.raises(shield.Error.Unreachable):
        announce(Origin.none(), key_of(1))


def test_the_inherent_carries_the_authors_key(env):
    """`ProvideInherent`: `Option<ShieldEncKey>` under `shieldpk` becomes `announce_next_key`."""
    inherent = shield.pallet.inherent
    data = {b"shieldpk": b"\x01" + encode_compact(3) + b"abc"}
    assert inherent.create_inherent(data) == ("announce_next_key", {"enc_key": b"abc"})
    assert inherent.create_inherent({b"shieldpk": b"\x00"}) == ("announce_next_key", {"enc_key": None})
    assert inherent.create_inherent({}) is None
    assert inherent.is_inherent(("announce_next_key", {"enc_key": None}))
    assert not inherent.is_inherent(("submit_encrypted", {"ciphertext": b""}))


# -- submit_encrypted


def test_submit_encrypted_emits_event(env):
    """tests.rs `submit_encrypted_emits_event`: id = hash_of(&(who, &ciphertext))."""
    _, events, _ = env
    ciphertext = b"\xaa" * 64
    shield.pallet.dispatch(Origin.signed(ALICE.account_id), ("submit_encrypted", {"ciphertext": ciphertext}))
    wrapper_id = blake2_256(ALICE.account_id + encode_compact(64) + ciphertext)
    assert events == [("MevShield", shield.Event.EncryptedSubmitted(wrapper_id, ALICE.account_id))]


def test_submit_encrypted_rejects_unsigned(env):
    """tests.rs `submit_encrypted_rejects_unsigned`."""
    with pytest.raises(BadOrigin):
        shield.pallet.dispatch(Origin.none(), ("submit_encrypted", {"ciphertext": b"\xaa" * 64}))
    assert env[1] == []


def test_submit_encrypted_fee_weight():
    """The carrier pays by its benchmark (weights.rs `submit_encrypted`), whatever its size."""
    info = shield.pallet.dispatch_info(("submit_encrypted", {"ciphertext": b""}))
    assert (info.weight.ref_time, info.weight.proof_size, info.pays_fee, info.dispatch_class) == \
        (207_223_000, 0, "Yes", "Normal")


# -- the stored queue


def remark_call(data: bytes = b"\x01\x02\x03") -> bytes:
    return construct.RUNTIME_CALL.encode(("System", ("remark", {"remark": data})))


def store(who: bytes, data: bytes) -> None:
    shield.pallet.dispatch(Origin.signed(who), ("store_encrypted", {"encrypted_call": data}))


def names(events) -> list[str]:
    return [type(e).__name__ for _, e in events]


def test_store_encrypted_works(env):
    """tests.rs `store_encrypted_works`."""
    _, events, _ = env
    Number.put(1)
    store(ALICE.account_id, remark_call())
    assert shield.PendingExtrinsics.get(0) == shield.PendingExtrinsic(ALICE.account_id, remark_call(), 1)
    assert shield.PendingExtrinsics.count() == 1 and shield.NextPendingExtrinsicIndex.get() == 1
    assert events == [("MevShield", shield.Event.ExtrinsicStored(0, ALICE.account_id))]


def test_store_encrypted_rejects_when_full(env):
    """tests.rs `store_encrypted_rejects_when_full` (with the limit set low, as
    `set_max_pending_extrinsics_number_enforced_on_store`)."""
    shield.MaxPendingExtrinsicsLimit.put(2)
    store(ALICE.account_id, b"a")
    store(ALICE.account_id, b"b")
    with pytest.raises(shield.Error.TooManyPendingExtrinsics):
        store(ALICE.account_id, b"c")
    assert shield.PendingExtrinsics.count() == 2


def test_on_initialize_handles_decode_failure(env):
    """tests.rs `on_initialize_handles_decode_failure`: the runtime's `ExtrinsicDecryptor = ()`
    decrypts nothing, so every stored entry is removed with `ExtrinsicDecodeFailed`."""
    _, events, _ = env
    store(ALICE.account_id, remark_call())
    events.clear()
    shield.process_pending_extrinsics()
    assert shield.PendingExtrinsics.count() == 0 and names(events) == ["ExtrinsicDecodeFailed"]


def _decrypt_as_call(data: bytes):
    return construct.RUNTIME_CALL.decode_all(data)


def test_on_initialize_decodes_and_dispatches(env):
    """tests.rs `on_initialize_decodes_and_dispatches` (a decryptor that decodes the bytes)."""
    _, events, _ = env
    with shield.pallet.bound(extrinsic_decryptor=_decrypt_as_call):
        store(ALICE.account_id, remark_call())
        events.clear()
        shield.process_pending_extrinsics()
    assert events == [("MevShield", shield.Event.ExtrinsicDispatched(0))]
    assert shield.PendingExtrinsics.count() == 0


def test_on_initialize_emits_dispatch_failed_on_bad_origin(env):
    """tests.rs `on_initialize_emits_dispatch_failed_on_bad_origin`: a root-only call
    dispatched as the signed submitter fails with BadOrigin."""
    _, events, _ = env
    root_call = construct.RUNTIME_CALL.encode(("MevShield", ("set_stored_extrinsic_lifetime", {"value": 5})))
    with shield.pallet.bound(extrinsic_decryptor=_decrypt_as_call):
        store(ALICE.account_id, root_call)
        events.clear()
        shield.process_pending_extrinsics()
    assert events == [("MevShield", shield.Event.ExtrinsicDispatchFailed(0, "BadOrigin"))]
    assert shield.ExtrinsicLifetime.get() == shield.DEFAULT_EXTRINSIC_LIFETIME


def test_on_initialize_expires_old_extrinsics(env):
    """tests.rs `on_initialize_expires_old_extrinsics` and
    `on_initialize_does_not_expire_recent_extrinsics`: older than `ExtrinsicLifetime` blocks."""
    _, events, _ = env
    with shield.pallet.bound(extrinsic_decryptor=_decrypt_as_call):
        Number.put(1)
        store(ALICE.account_id, remark_call())
        Number.put(2)  # exactly `ExtrinsicLifetime` blocks old when processed: still runs
        store(ALICE.account_id, remark_call())
        Number.put(2 + shield.DEFAULT_EXTRINSIC_LIFETIME)
        events.clear()
        shield.process_pending_extrinsics()
    assert events == [("MevShield", shield.Event.ExtrinsicExpired(0)),
                      ("MevShield", shield.Event.ExtrinsicDispatched(1))]


def test_max_extrinsic_weight_is_enforced(env):
    """tests.rs `max_extrinsic_weight_is_enforced`: heavier than `MaxExtrinsicWeight` is dropped."""
    _, events, _ = env
    with shield.pallet.bound(extrinsic_decryptor=_decrypt_as_call):
        shield.MaxExtrinsicWeight.put(1)
        store(ALICE.account_id, remark_call())
        events.clear()
        shield.process_pending_extrinsics()
    assert events == [("MevShield", shield.Event.ExtrinsicWeightExceeded(0))]
    assert shield.PendingExtrinsics.count() == 0


def test_set_on_initialize_weight_enforced_on_processing(env):
    """tests.rs `set_on_initialize_weight_enforced_on_processing`: over the budget the entry
    is postponed (kept) and processing stops."""
    _, events, _ = env
    with shield.pallet.bound(extrinsic_decryptor=_decrypt_as_call):
        shield.OnInitializeWeight.put(1)
        store(ALICE.account_id, remark_call())
        events.clear()
        shield.process_pending_extrinsics()
    assert events == [("MevShield", shield.Event.ExtrinsicPostponed(0))]
    assert shield.PendingExtrinsics.count() == 1


@pytest.mark.parametrize(("call", "item", "value", "event"), [
    ("set_max_pending_extrinsics_number", "MaxPendingExtrinsicsLimit", 7, "MaxPendingExtrinsicsNumberSet"),
    ("set_on_initialize_weight", "OnInitializeWeight", 1_000, "OnInitializeWeightSet"),
    ("set_stored_extrinsic_lifetime", "ExtrinsicLifetime", 3, "ExtrinsicLifetimeSet"),
    ("set_max_extrinsic_weight", "MaxExtrinsicWeight", 2_000, "MaxExtrinsicWeightSet"),
])
def test_root_setters_work_and_reject_signed_origin(env, call, item, value, event):
    """tests.rs `set_*_works` and `set_*_rejects_signed_origin`."""
    _, events, _ = env
    stored = getattr(shield, item)
    before = stored.get()
    with pytest.raises(BadOrigin):
        shield.pallet.dispatch(Origin.signed(ALICE.account_id), (call, {"value": value}))
    assert stored.get() == before
    shield.pallet.dispatch(Origin.root(), (call, {"value": value}))
    assert stored.get() == value and events == [("MevShield", getattr(shield.Event, event)(value))]


@pytest.mark.parametrize("call", ["set_on_initialize_weight", "set_max_extrinsic_weight"])
def test_weight_setters_reject_above_absolute_max(env, call):
    """tests.rs `set_on_initialize_weight_rejects_above_absolute_max`,
    `set_max_extrinsic_weight_rejects_above_absolute_max`."""
    shield.pallet.dispatch(Origin.root(), (call, {"value": shield.MAX_ON_INITIALIZE_WEIGHT}))
    with pytest.raises(shield.Error.WeightExceedsAbsoluteMax):
        shield.pallet.dispatch(Origin.root(), (call, {"value": shield.MAX_ON_INITIALIZE_WEIGHT + 1}))


# -- wire format (stp-shield shielded_tx.rs tests)


def wire(tag: bytes, kem_ct: bytes, nonce: bytes, aead_ct: bytes) -> bytes:
    return tag + len(kem_ct).to_bytes(2, "little") + kem_ct + nonce + aead_ct


def test_parse_valid_roundtrip_and_small_kem_ct():
    """shielded_tx.rs `parse_valid_roundtrip`, `parse_small_kem_ct`, `parse_zero_length_kem_ct`."""
    for kem_ct in (b"\xaa" * 1088, b"\x11" * 4, b""):
        tx = ShieldedTransaction.parse(wire(b"\xcc" * 16, kem_ct, b"\xbb" * 24, b"\xdd" * 64))
        assert tx == ShieldedTransaction(b"\xcc" * 16, kem_ct, b"\xdd" * 64, b"\xbb" * 24)


@pytest.mark.parametrize(("data", "kind"), [
    (b"", "TruncatedKeyHash"),
    (bytes(15), "TruncatedKeyHash"),
    (bytes(17), "TruncatedKemLen"),
    (b"\xcc" * 16 + (1088).to_bytes(2, "little") + bytes(10), "KemLenExceedsRemaining"),
    (b"\xcc" * 16 + (4).to_bytes(2, "little") + bytes(4) + bytes(20), "TruncatedNonce"),
    (wire(b"\xcc" * 16, b"\xaa" * 1088, b"\xbb" * 24, b""), "MissingAead"),
])
def test_parse_rejects_truncated_ciphertexts(data, kind):
    """shielded_tx.rs `parse_empty_returns_err`, `parse_truncated_key_hash`, `parse_truncated_kem_len`,
    `parse_kem_ct_len_exceeds_remaining`, `parse_truncated_nonce`, `parse_empty_aead_ct`."""
    with pytest.raises(ParsingError) as e:
        ShieldedTransaction.parse(data)
    assert e.value.kind == kind


# -- what the proposer asks (runtime.shield)


def carrier(ciphertext: bytes, *, signed_by=None) -> bytes:
    call = construct.RUNTIME_CALL.encode(("MevShield", ("submit_encrypted", {"ciphertext": ciphertext})))
    if signed_by is None:
        return UncheckedExtrinsic.encode_bare(call)
    from tests.unit.test_author import sign  # a client-built signed extrinsic
    return sign(signed_by, construct.RUNTIME_CALL.decode_all(call), nonce=0, genesis_hash=bytes(32))


def test_try_decode_shielded_tx_parses_bare_submit_encrypted(env):
    """tests.rs `try_decode_shielded_tx_parses_bare_submit_encrypted`."""
    tx = api.try_decode_shielded_tx(carrier(wire(b"\xab" * 16, b"\xcc" * 32, b"\xdd" * 24, b"\xee" * 64)))
    assert tx == ShieldedTransaction(b"\xab" * 16, b"\xcc" * 32, b"\xee" * 64, b"\xdd" * 24)


def test_try_decode_shielded_tx_returns_none_for_non_shield_call(env):
    """tests.rs `try_decode_shielded_tx_returns_none_for_non_shield_call`."""
    remark = UncheckedExtrinsic.encode_bare(remark_call(b""))
    assert api.try_decode_shielded_tx(remark) is None
    assert api.try_decode_shielded_tx(b"\x08\x01\x02") is None  # not an extrinsic at all


def test_try_decode_shielded_tx_returns_none_for_bad_signature(env):
    """tests.rs `try_decode_shielded_tx_returns_none_for_bad_signature`: a signature that
    does not verify (here: over another genesis hash than the state's BlockHash[0])."""
    BlockHash.insert(0, b"\x01" * 32)
    ok = wire(b"\xab" * 16, b"\xcc" * 32, b"\xdd" * 24, b"\xee" * 64)
    assert api.try_decode_shielded_tx(carrier(ok, signed_by=ALICE)) is None
    BlockHash.insert(0, bytes(32))
    assert api.try_decode_shielded_tx(carrier(ok, signed_by=ALICE)) is not None


def test_try_decode_shielded_tx_returns_none_for_malformed_ciphertext(env):
    """tests.rs `try_decode_shielded_tx_returns_none_for_malformed_ciphertext`."""
    assert api.try_decode_shielded_tx(carrier(bytes(5))) is None


def test_try_unshield_tx_decrypts_extrinsic():
    """tests.rs `try_unshield_tx_decrypts_extrinsic`, and its failures: another key, a
    tampered body, a plaintext that is not an extrinsic."""
    enc_key, dec_key = generate_keypair()
    inner = UncheckedExtrinsic.encode_bare(remark_call())
    tx = ShieldedTransaction.parse(encrypt(enc_key, inner))
    assert tx.key_hash == key_hash(enc_key) and api.try_unshield_tx(dec_key, tx) == inner
    assert api.try_unshield_tx(generate_keypair()[1], tx) is None  # implicit rejection: tag fails
    tampered = ShieldedTransaction(tx.key_hash, tx.kem_ct, bytes([tx.aead_ct[0] ^ 1]) + tx.aead_ct[1:], tx.nonce)
    assert api.try_unshield_tx(dec_key, tampered) is None
    junk = ShieldedTransaction.parse(encrypt(enc_key, b"\x01\x02\x03"))
    assert unshield(dec_key, junk) == b"\x01\x02\x03" and api.try_unshield_tx(dec_key, junk) is None
    short_kem = ShieldedTransaction(tx.key_hash, tx.kem_ct[:100], tx.aead_ct, tx.nonce)
    assert api.try_unshield_tx(dec_key, short_kem) is None


@pytest.mark.parametrize("size", [8192, 8193])
def test_submit_encrypted_ciphertext_is_bounded_at_8192_bytes(size: int) -> None:
    """`ciphertext: BoundedVec<u8, ConstU32<8192>>`: a longer one does not decode, so the pool
    refuses the extrinsic as undecodable (the Rust type's bound), and cannot be composed."""
    raw = bytes([30, 1]) + encode_compact(size) + bytes(size)  # MevShield (30) submit_encrypted (1)
    if size <= 8192:
        call, end = construct.RUNTIME_CALL.decode(raw)
        assert end == len(raw) and call == ("MevShield", ("submit_encrypted", {"ciphertext": bytes(size)}))
    else:
        with pytest.raises(ScaleDecodeError):
            construct.RUNTIME_CALL.decode(raw)
        with pytest.raises(ScaleEncodeError):
            construct.RUNTIME_CALL.encode(("MevShield", ("submit_encrypted", {"ciphertext": bytes(size)})))
