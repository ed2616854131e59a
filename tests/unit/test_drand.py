"""Drand: scenarios ported from subtensor's pallets/drand/src/tests.rs (each test names the
Rust test it ports), with its real quicknet pulse (round 1000) and beacon info; the pool's
`validate_unsigned`, and the pulse verification against real quicknet signatures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pysubtensor.pallets.drand as drand
from pysubtensor.pallets.drand import (
    MAX_KEPT_PULSES,
    QUICKNET_CONFIG,
    BeaconConfig,
    BeaconConfigurationPayload,
    LastStoredRound,
    NextUnsignedAt,
    OldestStoredRound,
    Pulse,
    Pulses,
    PulsesPayload,
)
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import DispatchError, Origin
from pysubtensor.pallets.system.pallet import Number
from pysubtensor.primitives import tlock
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.transaction_validity import TransactionSource, TransactionValidityError
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.support.metadata import summary_pallet

#: The Rust tests' `DRAND_PULSE` (quicknet round 1000) and `DRAND_INFO_RESPONSE`.
PULSE_1000 = Pulse(1000, bytes.fromhex("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd"),
                   bytes.fromhex("b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125"
                                 "e342b73a8dd2bacbe47e4b6b63ed5e39"))
INFO_PUBLIC_KEY = ("83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d"
                   "1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a")
ALICE = Keypair.from_uri("//Alice")
BLOCK = 100_000_000


def alice_public() -> tuple:
    return ("Sr25519", ALICE.public_key)


def info_config() -> drand.BeaconConfiguration:
    """`BeaconInfoResponse::try_into_beacon_config` of `DRAND_INFO_RESPONSE`."""
    return drand.BeaconConfiguration(
        public_key=bytes.fromhex(INFO_PUBLIC_KEY), period=3, genesis_time=1692803367,
        hash=bytes.fromhex("52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"),
        group_hash=bytes.fromhex("f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e"),
        scheme_id=b"bls-unchained-g1-rfc9380", metadata=drand.Metadata(b"quicknet"))


@pytest.fixture
def chain() -> Iterator[tuple[Externalities, list]]:
    with drand.pallet.bound(drand.Config(deposit_event=lambda p, e: None)), frame_env(drand.pallet) as ext, \
            capture_events(drand.pallet) as events:
        Number.put(BLOCK)
        yield ext, events


def dispatch(origin: Origin, name: str, **args) -> None:
    outcome = dispatch_in_layer(lambda o, c, **_: drand.pallet.dispatch(o, c), origin, (name, args))
    if isinstance(outcome, DispatchError):
        raise outcome


def state(ext: Externalities) -> dict:
    return {k: ext.get(k) for k in ext.keys_with_prefix(b"")}


def fails(ext: Externalities, origin: Origin, name: str, **args) -> object:
    before = state(ext)
    with pytest.raises(DispatchError) as e:
        dispatch(origin, name, **args)
    assert state(ext) == before
    return e.value.value


def module_error(name: str) -> tuple:
    (index,) = [i for i, n in summary_pallet("Drand")["error_list"] if n == name]
    return ("Module", {"index": 26, "error": bytes((index, 0, 0, 0))})


def set_config() -> None:
    payload = BeaconConfigurationPayload(BLOCK, info_config(), alice_public())
    dispatch(Origin.root(), "set_beacon_config", config_payload=payload, signature=None)


def pulses_payload(*pulses: Pulse, block: int = BLOCK) -> PulsesPayload:
    return PulsesPayload(block, list(pulses), alice_public())


def signed(payload) -> tuple:
    return ("Sr25519", ALICE.sign(type(payload).SCALE.encode(payload)))


# ---------------------------------------------------------------------------


def test_default_beacon_config_is_quicknet_and_the_info_response(chain) -> None:
    assert BeaconConfig.get() == QUICKNET_CONFIG == info_config()


def test_it_can_submit_valid_pulse_when_beacon_config_exists(chain) -> None:
    """it_can_submit_valid_pulse_when_beacon_config_exists"""
    _, events = chain
    set_config()
    dispatch(Origin.none(), "write_pulse", pulses_payload=pulses_payload(PULSE_1000), signature=None)
    assert Pulses.get(1000) == PULSE_1000
    assert (LastStoredRound.get(), OldestStoredRound.get(), NextUnsignedAt.get()) == (1000, 1000, BLOCK)
    assert events == [("Drand", drand.Event.BeaconConfigChanged()), ("Drand", drand.Event.NewPulse([1000]))]


def test_it_rejects_invalid_pulse_due_to_bad_signature(chain) -> None:
    """it_rejects_invalid_pulse_due_to_bad_signature (a signature that is no G1 point)"""
    ext, _ = chain
    set_config()
    bad = Pulse(1000, bytes.fromhex("87f03ef5f62885390defedf60d5b8132b4dc2115b1efc6e99d166a37ab2f3a02"),
                bytes.fromhex("b0a8b04e009cf72534321aca0f50048da596a3feec1172a0244d9a4a623a3123"
                              "d0402da79854d4c705e94bc73224c341"))
    payload = pulses_payload(bad)
    assert fails(ext, Origin.none(), "write_pulse", pulses_payload=payload, signature=signed(payload)) == \
        module_error("PulseVerificationError")
    assert Pulses.get(1000) is None


def test_a_valid_point_that_is_not_the_rounds_signature_is_skipped(chain) -> None:
    """`QuicknetVerifier` gives Ok(false): the pulse is not stored, the call succeeds (round
    1000's real signature presented as round 1001's)."""
    _, events = chain
    dispatch(Origin.none(), "write_pulse", pulses_payload=pulses_payload(Pulse(1001, bytes(32), PULSE_1000.signature)),
             signature=None)
    assert Pulses.get(1001) is None and LastStoredRound.get() == 0 and events == []
    assert NextUnsignedAt.get() == BLOCK


def test_it_rejects_pulses_with_non_incremental_round_numbers(chain) -> None:
    """it_rejects_pulses_with_non_incremental_round_numbers"""
    ext, _ = chain
    set_config()
    dispatch(Origin.none(), "write_pulse", pulses_payload=pulses_payload(PULSE_1000), signature=None)
    Number.put(2)
    assert fails(ext, Origin.none(), "write_pulse", pulses_payload=pulses_payload(PULSE_1000), signature=None) == \
        module_error("InvalidRoundNumber")


def test_it_blocks_non_root_from_submit_beacon_info(chain) -> None:
    """it_blocks_non_root_from_submit_beacon_info and signed_cannot_submit_beacon_info"""
    ext, _ = chain
    payload = BeaconConfigurationPayload(BLOCK, info_config(), alice_public())
    for origin in (Origin.signed(ALICE.account_id), Origin.none()):
        assert fails(ext, origin, "set_beacon_config", config_payload=payload, signature=None) == "BadOrigin"
    dispatch(Origin.root(), "set_beacon_config", config_payload=payload, signature=None)
    assert BeaconConfig.get() == info_config() and NextUnsignedAt.get() == BLOCK + 1


def test_set_oldest_stored_round_is_root_only(chain) -> None:
    ext, events = chain
    assert fails(ext, Origin.signed(ALICE.account_id), "set_oldest_stored_round", oldest_round=5) == "BadOrigin"
    dispatch(Origin.root(), "set_oldest_stored_round", oldest_round=5)
    assert OldestStoredRound.get() == 5 and events == [("Drand", drand.Event.SetOldestStoredRound(5))]


def test_write_pulse_is_unsigned_only(chain) -> None:
    ext, _ = chain
    assert fails(ext, Origin.signed(ALICE.account_id), "write_pulse", pulses_payload=pulses_payload(PULSE_1000),
                 signature=None) == "BadOrigin"


def test_validate_unsigned_write_pulse(chain) -> None:
    """test_validate_unsigned_write_pulse: the tags and priority of the real validity"""
    payload = pulses_payload(Pulse(1, bytes(32), bytes([1]) * 96))
    valid = drand.validate_unsigned(TransactionSource.EXTERNAL, ("write_pulse", {
        "pulses_payload": payload, "signature": signed(payload)}))
    prefix = b"\x4cDrandOffchainWorker"
    assert valid.provides == [prefix + blake2_256(b"drand" + (1).to_bytes(8, "little"))]
    assert (valid.priority, valid.longevity, valid.propagate, valid.requires) == ((1 << 64) - 1, 3, False, [])


def test_not_validate_unsigned_write_pulse_with_bad_proof(chain) -> None:
    """test_not_validate_unsigned_write_pulse_with_bad_proof"""
    payload = pulses_payload()
    with pytest.raises(TransactionValidityError) as e:
        drand.validate_unsigned(TransactionSource.EXTERNAL, ("write_pulse", {
            "pulses_payload": payload, "signature": ("Sr25519", bytes(64))}))
    assert e.value.value == ("Invalid", ("BadProof", None))


def test_not_validate_unsigned_write_pulse_with_no_payload_signature(chain) -> None:
    """test_not_validate_unsigned_write_pulse_with_no_payload_signature"""
    with pytest.raises(TransactionValidityError) as e:
        drand.validate_unsigned(TransactionSource.EXTERNAL, ("write_pulse", {
            "pulses_payload": pulses_payload(), "signature": None}))
    assert e.value.value == ("Invalid", ("BadSigner", None))


def test_validate_unsigned_rejects_future_block_number(chain) -> None:
    """validate_unsigned_rejects_future_block_number"""
    payload = pulses_payload(block=BLOCK + 100)
    with pytest.raises(TransactionValidityError) as e:
        drand.validate_unsigned(TransactionSource.EXTERNAL, ("write_pulse", {
            "pulses_payload": payload, "signature": signed(payload)}))
    assert e.value.value == ("Invalid", ("Future", None))


def test_validate_unsigned_refuses_stale_rounds_and_several_pulses(chain) -> None:
    """Not in the Rust tests: one pulse per transaction, ahead of LastStoredRound."""
    LastStoredRound.put(1000)
    for pulses, reason in (((PULSE_1000,), "Stale"), ((), "Call"), ((PULSE_1000, PULSE_1000), "Call")):
        payload = pulses_payload(*pulses)
        with pytest.raises(TransactionValidityError) as e:
            drand.validate_unsigned(TransactionSource.EXTERNAL, ("write_pulse", {
                "pulses_payload": payload, "signature": signed(payload)}))
        assert e.value.value == ("Invalid", (reason, None))
    with pytest.raises(TransactionValidityError) as e:
        drand.validate_unsigned(TransactionSource.EXTERNAL, ("set_oldest_stored_round", {"oldest_round": 1}))
    assert e.value.value == ("Invalid", ("Call", None))


def test_pulses_are_correctly_pruned(chain) -> None:
    """test_pulses_are_correctly_pruned"""
    last, oldest = MAX_KEPT_PULSES + 2, 1
    OldestStoredRound.put(oldest)
    LastStoredRound.put(last)
    pulse = Pulse(0, bytes(32), bytes(48))
    for r in (1, 2, 3, MAX_KEPT_PULSES // 2, last):
        Pulses.insert(r, pulse)
    drand.prune_old_pulses(last)
    assert not Pulses.contains_key(1) and not Pulses.contains_key(2)
    assert Pulses.contains_key(3) and OldestStoredRound.get() == 3
    assert Pulses.contains_key(MAX_KEPT_PULSES // 2) and Pulses.contains_key(last)


def test_prune_maximum_of_100_pulses_per_call(chain) -> None:
    """test_prune_maximum_of_100_pulses_per_call"""
    oldest = 1
    last = oldest + MAX_KEPT_PULSES + 250
    OldestStoredRound.put(oldest)
    LastStoredRound.put(last)
    pulse = Pulse(0, bytes(32), bytes(48))
    for r in range(oldest, oldest + 151):
        Pulses.insert(r, pulse)
    Pulses.insert(last, pulse)
    drand.prune_old_pulses(last)
    assert OldestStoredRound.get() == oldest + 100
    assert all(not Pulses.contains_key(r) for r in range(oldest, oldest + 100))
    assert Pulses.contains_key(oldest + 150) and Pulses.contains_key(last)


def test_quicknet_verifier_on_real_pulses() -> None:
    """QuicknetVerifier: quicknet's real signatures of rounds 1000 and 2000 verify for their
    round only; garbage does not decode."""
    pk = QUICKNET_CONFIG.public_key
    sig_2000 = bytes.fromhex("b6cb8f482a0b15d45936a4c4ea08e98a087e71787caee3f4d07a8a9843b1bc54"
                             "23c6b3c22f446488b3137eaca799c77e")
    assert drand.quicknet_verify(QUICKNET_CONFIG, PULSE_1000)
    assert tlock.verify_round(pk, 2000, sig_2000)
    assert not tlock.verify_round(pk, 2000, PULSE_1000.signature)
    assert not tlock.verify_round(pk, 1000, sig_2000)
    with pytest.raises(tlock.TimelockError):
        tlock.verify_round(pk, 1000, bytes([0x33]) * 48)
    with pytest.raises(tlock.TimelockError):
        tlock.verify_round(pk[:95], 1000, PULSE_1000.signature)


def test_drand_priority_extension() -> None:
    """`DrandPriority`: priority 10_000 for a (signed) `write_pulse`, nothing for other calls."""
    ext = drand.DrandPriority()
    write = ("Drand", ("write_pulse", {"pulses_payload": pulses_payload(), "signature": None}))
    other = ("Drand", ("set_oldest_stored_round", {"oldest_round": 1}))
    assert ext.validate(Origin.signed(ALICE.account_id), write, None, 0, TransactionSource.EXTERNAL)[0].priority == 10_000
    assert ext.validate(Origin.signed(ALICE.account_id), other, None, 0, TransactionSource.EXTERNAL)[0].priority == 0
    assert ext.identifier == "DrandPriority" and ext.weight(write).ref_time == 0
