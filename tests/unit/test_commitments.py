"""Commitments: scenarios ported from subtensor's pallets/commitments/src/tests.rs (each test
names the Rust test it ports), with the runtime's declarations (MaxFields 3, deposits free).

Timelocked fields are encrypted to drand quicknet's real public key and revealed with real
quicknet signatures (rounds 1000 and 2000, the Rust tests' constants); that our tlock
encryption is the real one is shown in tests/unit/test_tlock.py against bittensor_drand.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pysubtensor.pallets.commitments as cm
import pysubtensor.pallets.drand as drand
from pysubtensor.pallets.commitments import (
    CommitmentInfo,
    CommitmentOf,
    LastBondsReset,
    LastCommitment,
    MaxSpace,
    Registration,
    RevealedCommitments,
    TimelockedIndex,
    UsageTracker,
    UsedSpaceOf,
)
from pysubtensor.pallets.commitments.types import DATA, raw
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import DispatchClass, DispatchError, Origin, Pays
from pysubtensor.pallets.system.pallet import Number
from pysubtensor.primitives import tlock
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.scale import ScaleDecodeError, ScaleEncodeError
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.support.metadata import summary_pallet

QUICKNET_PK = drand.QUICKNET_CONFIG.public_key
SIG_1000 = bytes.fromhex("b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39")
#: The Rust tests' `DRAND_QUICKNET_SIG_2000_HEX` (commented "round 20000": it is round 2000's).
SIG_2000 = bytes.fromhex("b6cb8f482a0b15d45936a4c4ea08e98a087e71787caee3f4d07a8a9843b1bc5423c6b3c22f446488b3137eaca799c77e")


def acct(n: int) -> bytes:
    """The Rust mock's `u64` account n, as an AccountId32."""
    return n.to_bytes(32, "little")


def mock_epoch_index(netuid: int, block: int) -> int:
    """The Rust mock's `MockTempoInterface` (tempo 360)."""
    return (block + netuid + 1) // 361


#: The Rust mock's Config: everyone may commit, no bonds reset hook, tempo 360, Drand's pulses.
TEST_CONFIG = cm.Config(deposit_event=lambda pallet, event: None, currency=None,  # deposits are free
                        can_commit=lambda netuid, who: True, get_epoch_index=mock_epoch_index,
                        pulse_of=drand.Pulses.get)


@pytest.fixture
def chain() -> Iterator[tuple[Externalities, list]]:
    with cm.pallet.bound(TEST_CONFIG), frame_env(cm.pallet, drand.pallet) as ext, \
            capture_events(cm.pallet) as events:
        Number.put(1)
        yield ext, events


def set_block(n: int) -> None:
    Number.put(n)


def commit(who: int, netuid: int, fields: list) -> None:
    outcome = dispatch_in_layer(lambda o, c, **_: cm.pallet.dispatch(o, c), Origin.signed(acct(who)),
                                ("set_commitment", {"netuid": netuid, "info": CommitmentInfo(fields)}))
    if isinstance(outcome, DispatchError):
        raise outcome


def state(ext: Externalities) -> dict:
    return {k: ext.get(k) for k in ext.keys_with_prefix(b"")}


def fails(ext: Externalities, who: int, netuid: int, fields: list) -> tuple:
    before = state(ext)
    with pytest.raises(DispatchError) as e:
        commit(who, netuid, fields)
    assert state(ext) == before
    return e.value.value


def module_error(name: str) -> tuple:
    p = summary_pallet("Commitments")
    (index,) = [i for i, n in p["error_list"] if n == name]
    return ("Module", {"index": 18, "error": bytes((index, 0, 0, 0))})


def timelock(plaintext: bytes, reveal_round: int, seed: int = 0) -> tuple:
    ct = tlock.encrypt(QUICKNET_PK, reveal_round, plaintext, rng=bytes([seed + 1]) * 64)
    return ("TimelockEncrypted", {"encrypted": ct, "reveal_round": reveal_round})


def insert_drand_pulse(round_number: int, signature: bytes) -> None:
    drand.Pulses.insert(round_number, drand.Pulse(round_number, bytes(32), signature))


def reveal() -> None:
    cm.reveal_timelocked_commitments()


# ---------------------------------------------------------------------------


def test_manual_data_type_info() -> None:
    """manual_data_type_info: the hand-written `Data` codec is the enum its type info describes
    (Raw of n bytes is variant n + 1; the hashes 130..133; TimelockEncrypted 134 with a
    `Vec<u8>` then a u64; ResetBondsFlag 135; BigRaw 136)."""
    assert DATA.encode(("None", None)) == b"\x00"
    assert DATA.encode(raw(b"")) == b"\x01"
    assert DATA.encode(raw(b"abc")) == b"\x04abc"
    assert DATA.encode(raw(bytes(128))) == b"\x81" + bytes(128)
    for index, name in enumerate(("BlakeTwo256", "Sha256", "Keccak256", "ShaThree256"), start=130):
        assert DATA.encode((name, bytes(range(32)))) == bytes([index]) + bytes(range(32))
    tl = DATA.encode(("TimelockEncrypted", {"encrypted": b"xy", "reveal_round": 7}))
    assert tl == b"\x86\x08xy" + (7).to_bytes(8, "little")
    assert DATA.encode("ResetBondsFlag") == b"\x87"
    assert DATA.encode(("BigRaw", b"q" * 200)) == b"\x88" + b"\x21\x03" + b"q" * 200
    with pytest.raises(ScaleDecodeError):
        DATA.decode_all(b"\x89")  # "invalid leading byte"
    with pytest.raises(ScaleDecodeError):  # over MAX_TIMELOCK_COMMITMENT_SIZE_BYTES
        DATA.decode_all(b"\x86" + b"\x11\x10" + bytes(1028) + bytes(8))


def test_set_commitment_works(chain) -> None:
    """set_commitment_works"""
    commit(1, 1, [])
    reg = CommitmentOf.get(1, acct(1))
    assert (reg.deposit, reg.block) == (cm.Constants.InitialDeposit, 1)
    assert LastCommitment.get(1, acct(1)) == 1


def test_set_commitment_too_many_fields_is_refused(chain) -> None:
    """set_commitment_too_many_fields_panics: a `BoundedVec` of MaxFields + 1 cannot be built
    (here: does not decode, so the call never dispatches), and the call's own check refuses it."""
    encoded = CommitmentInfo.SCALE.encode(CommitmentInfo([("None", None)] * 3))
    over = b"\x10" + encoded[1:] + b"\x00"  # 4 fields
    with pytest.raises(ScaleDecodeError):
        CommitmentInfo.SCALE.decode_all(over)
    with pytest.raises(ScaleEncodeError):  # the bound also holds when encoding
        CommitmentInfo.SCALE.encode(CommitmentInfo([("None", None)] * 4))
    assert cm.Constants.MaxFields == 3
    with pytest.raises(DispatchError) as e:
        cm.pallet.dispatch(Origin.signed(acct(1)), ("set_commitment", {"netuid": 1, "info": CommitmentInfo(
            [("None", None)] * 4)}))
    assert e.value.value == module_error("TooManyFieldsInCommitmentInfo")


def test_set_commitment_updates_deposit(chain) -> None:
    """set_commitment_updates_deposit (the runtime's deposits are free: InitialDeposit +
    fields * FieldDeposit = 0)."""
    commit(1, 1, [("None", None)] * 2)
    assert CommitmentOf.get(1, acct(1)).deposit == cm.Constants.InitialDeposit + 2 * cm.Constants.FieldDeposit
    commit(1, 1, [("None", None)] * 3)
    assert CommitmentOf.get(1, acct(1)).deposit == cm.Constants.InitialDeposit + 3 * cm.Constants.FieldDeposit


def test_event_emission_works(chain) -> None:
    """event_emission_works"""
    _, events = chain
    commit(1, 1, [])
    assert events == [("Commitments", cm.Event.Commitment(1, acct(1)))]


def test_only_registered_hotkeys_commit(chain) -> None:
    """The runtime's `AllowCommitments`: `AccountNotAllowedCommit` for anyone else."""
    ext, _ = chain
    with cm.pallet.bound(TEST_CONFIG, can_commit=lambda netuid, who: who == acct(5)):
        assert fails(ext, 1, 1, []) == module_error("AccountNotAllowedCommit")
        commit(5, 1, [])


def test_set_max_space_is_root_only(chain) -> None:
    """tempo_based_space_limit_sudo_set_max_space (origin part)"""
    with pytest.raises(DispatchError):
        cm.pallet.dispatch(Origin.signed(acct(1)), ("set_max_space", {"new_limit": 9}))
    cm.pallet.dispatch(Origin.root(), ("set_max_space", {"new_limit": 9}))
    assert MaxSpace.get() == 9


def test_weights_and_fees_are_the_real_ones() -> None:
    info = cm.pallet.dispatch_info(("set_commitment", {"netuid": 1, "info": CommitmentInfo([])}))
    assert (info.weight.ref_time, info.dispatch_class, info.pays_fee) == (
        33_480_000 + 5 * 25_000_000 + 4 * 100_000_000, DispatchClass.NORMAL, Pays.NO)
    assert cm.pallet.dispatch_info(("set_max_space", {"new_limit": 1})).weight.ref_time == 2_856_000 + 100_000_000


def test_happy_path_timelock_commitments(chain) -> None:
    """happy_path_timelock_commitments"""
    _, events = chain
    message = b"Hello timelock only!"
    plaintext = CommitmentInfo.SCALE.encode(CommitmentInfo([raw(message)]))
    commit(123, 42, [timelock(plaintext, 1000)])
    assert events == [("Commitments", cm.Event.TimelockCommitment(42, acct(123), 1000))]
    assert TimelockedIndex.get() == {(42, acct(123))}
    insert_drand_pulse(1000, SIG_1000)
    set_block(9999)
    reveal()
    (revealed, block), = RevealedCommitments.get(42, acct(123))
    assert message in revealed and block == 9999
    assert revealed == plaintext
    assert events[-1] == ("Commitments", cm.Event.CommitmentRevealed(42, acct(123)))


def test_reveal_timelocked_commitment_missing_round_does_nothing(chain) -> None:
    """reveal_timelocked_commitment_missing_round_does_nothing"""
    set_block(5)
    commit(1, 2, [timelock(b"My plaintext", 1000)])
    before = CommitmentOf.get(2, acct(1))
    set_block(100_000)
    reveal()
    assert RevealedCommitments.get(2, acct(1)) is None
    assert CommitmentOf.get(2, acct(1)) == before


def test_reveal_timelocked_commitment_cant_deserialize_ciphertext(chain) -> None:
    """reveal_timelocked_commitment_cant_deserialize_ciphertext"""
    name, field = timelock(b"Some data", 1000)
    corrupted = b"\xff" + field["encrypted"][1:]
    commit(42, 9, [(name, {"encrypted": corrupted, "reveal_round": 1000})])
    insert_drand_pulse(1000, SIG_1000)
    set_block(99_999)
    reveal()
    assert RevealedCommitments.get(9, acct(42)) is None
    # The undecodable field is dropped with the commitment, and the index forgets it.
    assert CommitmentOf.get(9, acct(42)) is None and TimelockedIndex.get() == frozenset()


def test_reveal_timelocked_commitment_bad_signature_skips_decryption(chain) -> None:
    """reveal_timelocked_commitment_bad_signature_skips_decryption"""
    commit(10, 11, [timelock(b"A valid plaintext", 1000)])
    insert_drand_pulse(1000, bytes([0x33]) * 10)
    set_block(10_000)
    reveal()
    assert RevealedCommitments.get(11, acct(10)) is None


def test_reveal_with_another_rounds_signature_reveals_nothing(chain) -> None:
    """A real quicknet signature of another round (2000) does not open a round-1000 lock."""
    commit(10, 11, [timelock(b"A valid plaintext", 1000)])
    insert_drand_pulse(1000, SIG_2000)
    reveal()
    assert RevealedCommitments.get(11, acct(10)) is None


def test_reveal_timelocked_commitment_empty_decrypted_data_is_skipped(chain) -> None:
    """reveal_timelocked_commitment_empty_decrypted_data_is_skipped"""
    set_block(100)
    commit(2, 3, [timelock(b"", 1000)])
    insert_drand_pulse(1000, SIG_1000)
    set_block(10_000)
    reveal()
    assert RevealedCommitments.get(3, acct(2)) is None


def test_reveal_timelocked_commitment_single_field_entry_is_removed_after_reveal(chain) -> None:
    """reveal_timelocked_commitment_single_field_entry_is_removed_after_reveal"""
    message = b"Single field timelock test!"
    commit(555, 777, [timelock(CommitmentInfo.SCALE.encode(CommitmentInfo([raw(message)])), 1000)])
    insert_drand_pulse(1000, SIG_1000)
    set_block(9999)
    reveal()
    (revealed, _), = RevealedCommitments.get(777, acct(555))
    assert revealed[2:] == message
    assert CommitmentOf.get(777, acct(555)) is None
    assert TimelockedIndex.get() == frozenset()


def test_reveal_timelocked_multiple_fields_only_correct_ones_removed(chain) -> None:
    """reveal_timelocked_multiple_fields_only_correct_ones_removed"""
    inner = [CommitmentInfo.SCALE.encode(CommitmentInfo([raw(m)])) for m in (b"Hello from TLE #1", b"Hello from TLE #2")]
    plain = raw(b"Plain non-timelocked data")
    commit(123, 999, [plain, timelock(inner[0], 1000, 1), timelock(inner[1], 1000, 2)])
    assert len(CommitmentOf.get(999, acct(123)).info.fields) == 3
    insert_drand_pulse(1000, SIG_1000)
    set_block(50)
    reveal()
    assert CommitmentOf.get(999, acct(123)).info.fields == [plain]
    assert [(r[2:], b) for r, b in RevealedCommitments.get(999, acct(123))] == [
        (b"Hello from TLE #1", 50), (b"Hello from TLE #2", 50)]
    set_block(51)
    reveal()
    assert CommitmentOf.get(999, acct(123)).info.fields == [plain]
    assert TimelockedIndex.get() == frozenset()


def test_index_lifecycle_no_timelocks_updates_in_out(chain) -> None:
    """test_index_lifecycle_no_timelocks_updates_in_out"""
    key = (100, acct(999))
    commit(999, 100, [])
    assert key not in TimelockedIndex.get()
    commit(999, 100, [("TimelockEncrypted", {"encrypted": b"", "reveal_round": 1234})])
    assert key in TimelockedIndex.get()
    commit(999, 100, [])
    assert key not in TimelockedIndex.get()


def test_two_timelocks_partial_then_full_reveal(chain) -> None:
    """two_timelocks_partial_then_full_reveal"""
    commit(10, 1, [timelock(b"TLE #1000", 1000, 1), timelock(b"TLE #2000", 2000, 2)])
    insert_drand_pulse(1000, SIG_1000)
    set_block(10)
    reveal()
    assert RevealedCommitments.get(1, acct(10)) == [(b"TLE #1000", 10)]
    (left,) = CommitmentOf.get(1, acct(10)).info.fields
    assert left[1]["reveal_round"] == 2000 and (1, acct(10)) in TimelockedIndex.get()
    insert_drand_pulse(2000, SIG_2000)
    set_block(11)
    reveal()
    assert RevealedCommitments.get(1, acct(10)) == [(b"TLE #1000", 10), (b"TLE #2000", 11)]
    assert CommitmentOf.get(1, acct(10)) is None and TimelockedIndex.get() == frozenset()


def test_tempo_based_space_limit_accumulates_in_same_window(chain) -> None:
    """tempo_based_space_limit_accumulates_in_same_window"""
    ext, _ = chain
    MaxSpace.put(150)
    set_block(0)
    commit(100, 1, [raw(bytes(30))])
    assert fails(ext, 100, 1, [raw(bytes(30))]) == module_error("SpaceLimitExceeded")


def test_tempo_based_space_limit_resets_after_tempo(chain) -> None:
    """tempo_based_space_limit_resets_after_tempo"""
    ext, _ = chain
    MaxSpace.put(250)
    set_block(1)
    commit(101, 2, [raw(bytes(20))])
    commit(101, 2, [raw(bytes(20))])
    assert fails(ext, 101, 2, [raw(bytes(20))]) == module_error("SpaceLimitExceeded")
    set_block(200)
    assert fails(ext, 101, 2, [raw(bytes(20))]) == module_error("SpaceLimitExceeded")
    set_block(360)
    commit(101, 2, [raw(bytes(20))])


def test_tempo_based_space_limit_does_not_affect_different_netuid_or_user(chain) -> None:
    """tempo_based_space_limit_does_not_affect_different_netuid and
    tempo_based_space_limit_does_not_affect_different_user"""
    ext, _ = chain
    MaxSpace.put(199)
    commit(111, 10, [raw(bytes(40))])
    assert fails(ext, 111, 10, [raw(bytes(20))]) == module_error("SpaceLimitExceeded")
    commit(111, 20, [raw(bytes(40))])
    assert fails(ext, 111, 20, [raw(bytes(20))]) == module_error("SpaceLimitExceeded")
    commit(456, 10, [raw(bytes(40))])
    assert fails(ext, 456, 10, [raw(bytes(20))]) == module_error("SpaceLimitExceeded")


def test_tempo_based_space_limit_sudo_set_max_space(chain) -> None:
    """tempo_based_space_limit_sudo_set_max_space"""
    ext, _ = chain
    MaxSpace.put(100)
    commit(1, 3, [raw(bytes(10))])
    assert fails(ext, 1, 3, [raw(bytes(10))]) == module_error("SpaceLimitExceeded")
    cm.pallet.dispatch(Origin.root(), ("set_max_space", {"new_limit": 300}))
    commit(1, 3, [raw(bytes(10))])


def test_usage_respects_minimum_of_100_bytes(chain) -> None:
    """usage_respects_minimum_of_100_bytes"""
    MaxSpace.put(1000)
    commit(99, 1, [raw(bytes(50))])
    assert UsedSpaceOf.get(1, acct(99)).used_space == 100
    commit(99, 1, [raw(bytes(110))])
    assert UsedSpaceOf.get(1, acct(99)).used_space == 210
    UsedSpaceOf.remove(1, acct(99))
    commit(99, 1, [raw(bytes(120))])
    assert UsedSpaceOf.get(1, acct(99)) == UsageTracker(mock_epoch_index(1, 1), 120)


def test_reset_bonds_flag_records_and_calls_the_hook(chain) -> None:
    """ResetBondsFlag: `LastBondsReset` and the runtime's `OnMetadataCommitment` (once)."""
    calls = []
    with cm.pallet.bound(TEST_CONFIG, on_metadata_commitment=lambda netuid, who: calls.append((netuid, who))):
        set_block(7)
        commit(3, 4, ["ResetBondsFlag", "ResetBondsFlag"])
    assert calls == [(4, acct(3))] and LastBondsReset.get(4, acct(3)) == 7


def test_revealed_commitments_keeps_only_10_newest_with_individual_single_field_commits(chain) -> None:
    """revealed_commitments_keeps_only_10_newest_with_individual_single_field_commits"""
    insert_drand_pulse(1000, SIG_1000)
    MaxSpace.put(1_000_000)
    for i in range(12):
        set_block(i + 1)
        commit(2, 1, [timelock(f"TLE #{i}".encode(), 1000, i)])
        reveal()
        assert len(RevealedCommitments.get(1, acct(2)) or []) == min(i + 1, 10)
    assert RevealedCommitments.get(1, acct(2)) == [(f"TLE #{i}".encode(), i + 1) for i in range(2, 12)]


def test_purge_netuid_clears_only_that_netuid(chain) -> None:
    """purge_netuid_clears_only_that_netuid"""
    empty = Registration(0, 1, CommitmentInfo([]))
    for who in (1001, 1002):
        CommitmentOf.insert(42, acct(who), empty)
        LastCommitment.insert(42, acct(who), 1)
    LastBondsReset.insert(42, acct(1001), 1)
    RevealedCommitments.insert(42, acct(1001), [(b"a", 7)])
    UsedSpaceOf.insert(42, acct(1001), UsageTracker(1, 123))
    CommitmentOf.insert(43, acct(2001), empty)
    LastCommitment.insert(43, acct(2001), 1)
    LastBondsReset.insert(43, acct(2001), 1)
    RevealedCommitments.insert(43, acct(2001), [(b"b", 8)])
    UsedSpaceOf.insert(43, acct(2001), UsageTracker(9, 999))
    TimelockedIndex.put({(42, acct(1001)), (42, acct(1002)), (43, acct(2001))})
    cm.purge_netuid(42)
    for item in (CommitmentOf, LastCommitment, LastBondsReset, RevealedCommitments, UsedSpaceOf):
        assert list(item.iter_prefix(42)) == []
    assert CommitmentOf.get(43, acct(2001)) == empty
    assert RevealedCommitments.get(43, acct(2001)) == [(b"b", 8)]
    assert UsedSpaceOf.get(43, acct(2001)) == UsageTracker(9, 999)
    assert TimelockedIndex.get() == {(43, acct(2001))}
