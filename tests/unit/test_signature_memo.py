"""Signatures are verified once and remembered (runtime/extensions.py `check_signature`).

A remembered verification may only stand in for the same check: any change of the
signature, the signer or what is signed (call, extensions, implicit data) is verified
afresh and refused with BadProof when it does not verify; the memory is bounded.
"""

from __future__ import annotations

import pytest

from pysubtensor.primitives.keys import MultiSignature
from pysubtensor.primitives.transaction_validity import InvalidTransaction, TransactionValidityError
from pysubtensor.runtime import construct, executive, extensions
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic
from tests.unit.test_executive import ALICE, BOB, Chain, transfer


@pytest.fixture
def chain():
    extensions.forget_verified_signatures()
    yield Chain()
    extensions.forget_verified_signatures()


@pytest.fixture
def verifications(monkeypatch):
    """Count the real verifications `check_signature` makes."""
    calls = []
    real = extensions.verify_multisignature

    def counting(sig, payload, who):
        calls.append(who)
        return real(sig, payload, who)

    monkeypatch.setattr(extensions, "verify_multisignature", counting)
    return calls


def _parts(encoded: bytes):
    xt = UncheckedExtrinsic.decode(encoded, construct.RUNTIME_CALL)
    return xt.signed.address, xt.signed.signature, xt.signed.extra, xt.call_bytes


def _bad_proof(chain: Chain, encoded: bytes) -> None:
    with pytest.raises(TransactionValidityError) as e:
        chain.validate(encoded)
    assert e.value.reason == InvalidTransaction.BAD_PROOF


def test_one_verification_for_validation_revalidation_and_inclusion(chain, verifications):
    xt = chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0)
    chain.validate(xt)
    chain.validate(xt)
    _, results = chain.build(xt)
    assert results[-1].included and results[-1].dispatch_error is None
    assert verifications == [ALICE.account_id]


def test_a_changed_signature_signer_or_payload_is_verified_again(chain, verifications):
    good = chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0)
    chain.validate(good)
    address, sig, extra, call = _parts(good)
    flipped = MultiSignature(sig.scheme, sig.signature[:10] + bytes([sig.signature[10] ^ 1]) + sig.signature[11:])
    other_call = construct.RUNTIME_CALL.encode(transfer(BOB.account_id, 10**9 + 1))
    forged = [
        UncheckedExtrinsic.encode_signed(address, flipped, extra, call),                     # signature
        UncheckedExtrinsic.encode_signed(("Id", BOB.account_id), sig, extra, call),          # signer
        UncheckedExtrinsic.encode_signed(address, sig, extra, other_call),                   # call
        UncheckedExtrinsic.encode_signed(address, sig, {**extra, "ChargeTransactionPayment": 1}, call),  # extension
    ]
    for encoded in forged:
        _bad_proof(chain, encoded)
    assert len(verifications) == 1 + len(forged)
    # Implicit data: the same bytes signed for another spec version do not verify here.
    _bad_proof(chain, chain.sign(ALICE, transfer(BOB.account_id, 5), nonce=0, spec_version=1))
    chain.validate(good)  # still remembered
    assert len(verifications) == 2 + len(forged)


def test_failures_are_not_remembered(chain, verifications):
    bad = chain.sign(ALICE, transfer(BOB.account_id, 5), nonce=0, spec_version=1)
    _bad_proof(chain, bad)
    _bad_proof(chain, bad)
    assert len(verifications) == 2


def test_the_memory_is_bounded_oldest_first(chain, verifications, monkeypatch):
    monkeypatch.setattr(extensions, "VERIFIED_SIGNATURES", 2)
    xts = [chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=n) for n in range(3)]
    for xt in xts:
        chain.validate(xt)
    assert len(extensions._VERIFIED) == 2
    chain.validate(xts[2])  # remembered
    assert len(verifications) == 3
    chain.validate(xts[0])  # forgotten: verified again
    assert len(verifications) == 4


# -- decoded extrinsics remembered by their bytes (runtime/executive.py `decode_extrinsic`)


def test_decodings_of_immutable_calls_are_remembered_others_decoded_afresh(chain, monkeypatch):
    executive.forget_decoded_extrinsics()
    simple = chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0)
    batch = chain.sign(ALICE, ("Utility", ("batch", {"calls": [transfer(BOB.account_id, 1)]})), nonce=0)
    assert executive.decode_extrinsic(simple) is executive.decode_extrinsic(bytearray(simple))
    first, second = executive.decode_extrinsic(batch), executive.decode_extrinsic(batch)
    assert first is not second and first == second  # a list inside: each caller gets its own
    second.call[1][1]["calls"].clear()
    assert executive.decode_extrinsic(batch).call[1][1]["calls"]  # what one changed reaches no one
    monkeypatch.setattr(executive, "DECODED_EXTRINSICS", 2)
    executive.forget_decoded_extrinsics()
    xts = [chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=n) for n in range(3)]
    decoded = [executive.decode_extrinsic(x) for x in xts]
    assert len(executive._DECODED) == 2 and xts[0] not in executive._DECODED
    assert executive.decode_extrinsic(xts[2]) is decoded[2]
    assert executive.decode_extrinsic(xts[0]) is not decoded[0] and executive.decode_extrinsic(xts[0]) == decoded[0]
    with pytest.raises(executive.InvalidExtrinsicBytes):  # malformed bytes are never remembered
        executive.decode_extrinsic(simple[:-1])
    executive.forget_decoded_extrinsics()


def test_inherents_are_decoded_afresh_not_remembered(chain):
    # A block's inherents are applied once, when it is built: remembering them filled the
    # memory with timestamps (every empty block's).
    executive.forget_decoded_extrinsics()
    timestamp = UncheckedExtrinsic.encode_bare(construct.RUNTIME_CALL.encode(("Timestamp", ("set", {"now": 6000}))))
    first = executive.decode_extrinsic(timestamp)
    assert executive.is_inherent(first) and first.call == ("Timestamp", ("set", {"now": 6000}))
    assert executive.decode_extrinsic(timestamp) is not first and not executive._DECODED
    executive.forget_decoded_extrinsics()
