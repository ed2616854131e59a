"""MevShield's `CheckShieldedTxValidity` (pallets/shield/src/extension.rs of subtensor main):
the extension's own tests, and what it means for a block: a carrier whose ciphertext does not
parse never gets in and costs its sender nothing."""

from __future__ import annotations

import pytest

from pysubtensor.pallets.runtime_common import CustomTransactionError
from pysubtensor.pallets.shield.extension import CHECK_SHIELDED_TX_VALIDITY_WEIGHT, CheckShieldedTxValidity
from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Weight
from pysubtensor.primitives.transaction_validity import (
    TransactionSource,
    TransactionValidityError,
    ValidTransaction,
)
from tests.unit.test_author import PoolTx, sign
from tests.unit.test_shield_author import (  # noqa: F401  (fixtures)
    BOB,
    CHARLIE,
    chain,
    dev_genesis,
    free,
    nonce,
    propose,
    ready,
    submit,
)

#: extension.rs `build_ciphertext`: key_hash(16) || kem_ct_len(2 LE) || kem_ct || nonce(24) || aead_ct.
WELL_FORMED = b"\xff" * 16 + (4).to_bytes(2, "little") + b"\xaa" * 4 + b"\xbb" * 24 + b"\xdd" * 16
SOURCES = (TransactionSource.IN_BLOCK, TransactionSource.EXTERNAL, TransactionSource.LOCAL)


def validate(origin: Origin, call: tuple, source: str) -> ValidTransaction:
    validity, _ = CheckShieldedTxValidity().validate(origin, call, None, 0, source)
    return validity


def test_non_shield_call_passes_through():
    """extension.rs `non_shield_call_passes_through`."""
    remark = ("System", ("remark", {"remark": b""}))
    assert validate(Origin.signed(bytes(32)), remark, TransactionSource.IN_BLOCK) == ValidTransaction()


def test_unsigned_origin_passes_through():
    """extension.rs `unsigned_origin_passes_through` (with a ciphertext that would not parse)."""
    assert validate(Origin.none(), submit(bytes(5)), TransactionSource.IN_BLOCK) == ValidTransaction()


@pytest.mark.parametrize("source", SOURCES)
def test_malformed_ciphertext_rejected(source):
    """extension.rs `malformed_ciphertext_rejected_inblock` / `_from_pool`."""
    with pytest.raises(TransactionValidityError) as e:
        validate(Origin.signed(bytes(32)), submit(bytes(5)), source)
    # TransactionValidityError::Invalid (0), InvalidTransaction::Custom (7), code 23.
    assert e.value.encode() == b"\x00\x07\x17"
    assert CustomTransactionError.FailedShieldedTxParsing == 23


@pytest.mark.parametrize("source", SOURCES)
def test_wellformed_ciphertext_accepted(source):
    """extension.rs `wellformed_ciphertext_accepted_inblock` / `_external` / `_local`."""
    assert validate(Origin.signed(bytes(32)), submit(WELL_FORMED), source) == ValidTransaction()


def test_its_weight():
    assert CHECK_SHIELDED_TX_VALIDITY_WEIGHT == Weight(1_000_000 + ROCKS_DB_WEIGHT.read, 0)


def test_a_carrier_that_does_not_parse_is_refused_and_costs_nothing(ready):  # noqa: F811
    """The block builder applies the pipeline: the carrier is invalid (reported, dropped), Bob's
    nonce and balance stay; one that parses but does not decrypt is included and pays
    (test_shield_author)."""
    db, author = ready
    outer = sign(BOB, submit(b"\x01" * 17), nonce=0, genesis_hash=db.genesis_hash)
    bob, charlie = free(db, BOB), free(db, CHARLIE)
    p, it = propose(db, author, [outer])
    assert p.extrinsics[2:] == [] and it.reported == [PoolTx(outer).hash] and p.invalid == [PoolTx(outer).hash]
    assert nonce(db, BOB) == 0 and free(db, BOB) == bob and free(db, CHARLIE) == charlie
