"""Pool validation (`TaggedTransactionQueue_validate_transaction`): every bad input is
refused with the real runtime's `TransactionValidityError` (or, for bytes that are no
extrinsic, a decode error) and nothing is written; good ones get the real tags, priority
and longevity. Random bytes never crash it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pysubtensor.pallets.support.dispatch import DispatchInfo, Origin, Weight
from pysubtensor.pallets.system.extensions import CheckNonZeroSender, nonce_tag
from pysubtensor.pallets.transaction_payment.charge import (
    NORMAL_DISPATCH_BASE_PRIORITY,
    OPERATIONAL_DISPATCH_PRIORITY,
)
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.scale import encode_compact
from pysubtensor.primitives.transaction_validity import TransactionValidityError
from pysubtensor.runtime import construct
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.executive import MAX_CALL_DEPTH, InvalidExtrinsicBytes, encode_transaction_validity
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic
from pysubtensor.runtime.genesis import dev_genesis_config
from tests.unit.test_executive import ALICE, BOB, DAVE, Chain, transfer

_U64_MAX = (1 << 64) - 1


@pytest.fixture(scope="module")
def chain() -> Chain:
    c = Chain(dev_genesis_config([(Keypair.from_uri("//Poor").ss58_address, 600)]))
    for _ in range(3):
        c.build()
    return c


def refused(chain: Chain, encoded: bytes) -> tuple:
    before = dict(chain.state)
    with pytest.raises(TransactionValidityError) as e:
        chain.validate(encoded)
    assert chain.state == before
    return e.value.value


def remark(n: int = 0) -> tuple:
    return ("System", ("remark", {"remark": bytes(n)}))


def test_a_good_transfer_gets_tags_priority_and_longevity(chain):
    valid = chain.validate(chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0))
    assert valid.priority == NORMAL_DISPATCH_BASE_PRIORITY
    assert valid.requires == []
    assert valid.provides == [DAVE.account_id + bytes(4)]
    assert valid.longevity == _U64_MAX - (chain.best.number + 1)
    assert valid.propagate is True
    encoded = encode_transaction_validity(valid)
    assert encoded[0] == 0 and encoded[1:9] == NORMAL_DISPATCH_BASE_PRIORITY.to_bytes(8, "little")


def test_operational_calls_get_the_operational_priority(chain):
    inner = ("System", ("set_storage", {"items": []}))
    valid = chain.validate(chain.sign(ALICE, ("Sudo", ("sudo", {"call": inner})), nonce=0))
    assert valid.priority == OPERATIONAL_DISPATCH_PRIORITY


def test_future_nonce_is_valid_with_a_requires_tag(chain):
    valid = chain.validate(chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=5))
    assert valid.requires == [nonce_tag(DAVE.account_id, 4)]
    assert valid.provides == [nonce_tag(DAVE.account_id, 5)]
    assert nonce_tag(DAVE.account_id, 5) == DAVE.account_id + (5).to_bytes(4, "little")


def test_stale_nonce():
    c = Chain()
    c.build(c.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0))
    assert refused(c, c.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0)) == ("Invalid", ("Stale", None))


@pytest.mark.parametrize(("garbage", "opaque_ok"), [
    (b"", False),
    (b"\x00", True),                      # a zero-length body
    (b"\x10\x84\x00", False),             # truncated: the prefix promises 4 bytes
    (b"\xff" * 40, False),
    (encode_compact(3) + b"\x04\x05\x03", True),  # a bare transfer cut short
    (encode_compact(3) + b"\x04\x63\x00", True),  # unknown pallet index 99
    (encode_compact(3) + b"\x04\x05\x63", True),  # unknown call index in Balances
    (encode_compact(2) + b"\x05\x00", True),      # extrinsic version 5
])
def test_undecodable_bytes_are_a_decode_error(chain, garbage, opaque_ok):
    before = dict(chain.state)
    with pytest.raises(InvalidExtrinsicBytes) as e:
        chain.validate(garbage)
    assert e.value.opaque_ok is opaque_ok
    assert chain.state == before


def test_truncated_signed_extrinsic(chain):
    xt = chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0)
    with pytest.raises(InvalidExtrinsicBytes):
        chain.validate(xt[:-1])
    body = xt[2:-1]  # a consistent prefix, one byte short of the call
    with pytest.raises(InvalidExtrinsicBytes) as e:
        chain.validate(encode_compact(len(body)) + body)
    assert e.value.opaque_ok


def test_wrong_signature(chain):
    xt = bytearray(chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0))
    xt[40] ^= 1  # inside the signature
    assert refused(chain, bytes(xt)) == ("Invalid", ("BadProof", None))
    # Signed by someone else than the address says.
    signed_by_eve = chain.sign(Keypair.from_uri("//Eve"), transfer(BOB.account_id, 1), nonce=0)
    forged = signed_by_eve[:4] + DAVE.account_id + signed_by_eve[36:]
    assert refused(chain, forged) == ("Invalid", ("BadProof", None))


@pytest.mark.parametrize("override", [
    {"genesis_hash": bytes(32)},
    {"spec_version": 425},
    {"tx_version": 2},
    {"birth_hash": bytes(32), "era": Era.mortal(64, 2)},
    {"mode": "Enabled", "metadata_hash": bytes(range(32))},
])
def test_wrong_chain_data_in_the_signed_payload_is_a_bad_proof(chain, override):
    xt = chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0, **override)
    assert refused(chain, xt) == ("Invalid", ("BadProof", None))


def test_metadata_hash_enabled_without_a_hash_verifies(chain):
    """Enabled mode: the runtime's hash is None (we serve none), so a signer that committed
    to None is accepted."""
    assert chain.validate(chain.sign(DAVE, transfer(BOB.account_id, 1), nonce=0, mode="Enabled")).provides


def test_mortal_eras(chain):
    current = chain.best.number + 1  # validation runs in the next block
    # Born in the block being validated: no hash for it yet.
    era = Era(4, current % 4)
    xt = chain.sign(DAVE, transfer(BOB.account_id, 1), nonce=0, era=era, birth_hash=bytes(32))
    assert refused(chain, xt) == ("Invalid", ("AncientBirthBlock", None))
    # An expired era: the era's current period starts at another block than the signed one.
    old = Chain()
    old.build()
    era = Era.mortal(4, 1)
    xt = old.sign(DAVE, transfer(BOB.account_id, 1), nonce=0, era=era)
    assert old.validate(xt).longevity == era.death(2) - 2
    for _ in range(5):
        old.build()
    assert refused(old, xt) == ("Invalid", ("BadProof", None))


def test_insufficient_balance_for_fees(chain):
    poor = Keypair.from_uri("//Poor")
    assert refused(chain, chain.sign(poor, transfer(BOB.account_id, 1), nonce=0)) == ("Invalid", ("Payment", None))
    # An account that does not exist cannot pay for its nonce (CheckNonce).
    nobody = Keypair.from_uri("//Nobody")
    assert refused(chain, chain.sign(nobody, remark(), nonce=0)) == ("Invalid", ("Payment", None))


def test_oversized_call_exhausts_resources(chain):
    xt = chain.sign(DAVE, remark(8 * 1024 * 1024), nonce=0)
    assert refused(chain, xt) == ("Invalid", ("ExhaustsResources", None))


def test_sudo_calls_from_others_than_the_key(chain):
    inner = remark()
    xt = chain.sign(DAVE, ("Sudo", ("sudo", {"call": inner})), nonce=0)
    assert refused(chain, xt) == ("Invalid", ("BadSigner", None))


def test_zero_sender_is_a_bad_signer():
    with pytest.raises(TransactionValidityError) as e:
        CheckNonZeroSender().validate(Origin.signed(bytes(32)), remark(), DispatchInfo(Weight(0, 0)), 0, "External")
    assert e.value.value == ("Invalid", ("BadSigner", None))


def test_unsigned_transactions(chain):
    bare = UncheckedExtrinsic.encode_bare(construct.RUNTIME_CALL.encode(transfer(BOB.account_id, 1)))
    assert refused(chain, bare) == ("Unknown", ("NoUnsignedValidator", None))
    inherent = UncheckedExtrinsic.encode_bare(construct.RUNTIME_CALL.encode(("Timestamp", ("set", {"now": 10**6}))))
    assert refused(chain, inherent) == ("Invalid", ("MandatoryValidation", None))


def test_address_that_does_not_resolve(chain):
    xt = chain.sign(DAVE, transfer(BOB.account_id, 1), nonce=0)
    # MultiAddress::Address32 of the same account: AccountIdLookup only resolves Id.
    body = xt[2:]
    body = body[:1] + b"\x03" + body[2:]
    assert refused(chain, encode_compact(len(body)) + body) == ("Unknown", ("CannotLookup", None))


def test_calls_nested_too_deep(chain):
    call = remark()
    for _ in range(MAX_CALL_DEPTH):
        call = ("Utility", ("batch", {"calls": [call]}))
    assert refused(chain, chain.sign(DAVE, call, nonce=0)) == ("Invalid", ("Call", None))
    shallow = ("Utility", ("batch", {"calls": [remark()]}))
    assert chain.validate(chain.sign(DAVE, shallow, nonce=0)).provides


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(chain, data):
    for candidate in (data, encode_compact(len(data)) + data, encode_compact(len(data) + 1) + b"\x84" + data):
        try:
            chain.validate(candidate)
        except (InvalidExtrinsicBytes, TransactionValidityError):
            pass


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=146), st.integers(min_value=0, max_value=255))
def test_mutated_signed_extrinsics_never_crash(chain, position, byte):
    xt = bytearray(chain.sign(DAVE, transfer(BOB.account_id, 10**9), nonce=0))
    position %= len(xt)
    xt[position] = byte
    try:
        chain.validate(bytes(xt))
    except (InvalidExtrinsicBytes, TransactionValidityError):
        pass
