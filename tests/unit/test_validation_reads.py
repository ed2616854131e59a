"""Pool validations at one block share the reads of its state (`validate_transaction(…,
read_cache=)`, the node's `_validate`), and the fast paths of the extension pipeline skip
what changes nothing (neutral validities, zero weights).

Each validation still runs on its own throwaway overlay: what one writes (System's
`initialize` for the next block, fee withdrawal checks) never reaches another, so every
result (priority, tags, longevity of mortal transactions, errors) is the one a validation on
a fresh view gives.
"""

from __future__ import annotations

from pysubtensor.pallets.system.pallet import Number
from pysubtensor.primitives.externalities import _Decoded
from pysubtensor.primitives.transaction_validity import TransactionValidityError, ValidTransaction
from pysubtensor.runtime import extensions
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.executive import validate_transaction
from tests.unit.test_executive import ALICE, BOB, CHARLIE, DAVE, Chain, transfer


def _outcome(fn):
    try:
        return fn()
    except TransactionValidityError as e:
        return ("refused", e.kind, e.reason)


def _transactions(chain: Chain) -> list[bytes]:
    dave = chain.account(DAVE.account_id).data.free
    return [
        chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=1),                 # ready
        chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=3),                 # future
        chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0),                 # stale
        chain.sign(BOB, transfer(CHARLIE.account_id, 7), nonce=0, era=Era.mortal(16, chain.best.number)),
        chain.sign(BOB, transfer(CHARLIE.account_id, 7), nonce=0, era=Era.mortal(64, 1), tip=10**6),
        chain.sign(DAVE, transfer(BOB.account_id, dave * 2), nonce=0),                # payable, fails later
        chain.sign(CHARLIE, transfer(BOB.account_id, 1), nonce=0, spec_version=1),   # bad proof
    ]


def test_shared_reads_give_every_result_a_fresh_view_gives():
    chain = Chain()
    chain.build(chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0))
    chain.build()
    xts = _transactions(chain)
    backend, at = chain.backend(), chain.best.hash
    fresh = [_outcome(lambda x=x: validate_transaction(backend, "External", x, at)) for x in xts]
    assert any(isinstance(r, ValidTransaction) for r in fresh) and any(isinstance(r, tuple) for r in fresh)
    shared: dict = {}
    twice = [_outcome(lambda x=x: validate_transaction(backend, "External", x, at, read_cache=shared))
             for x in xts + xts[::-1]]
    assert twice[:len(xts)] == fresh
    assert twice[len(xts):] == fresh[::-1]
    # Only the committed state's values are in it: System.Number as stored, not as the
    # validations' `initialize` wrote it for the next block.
    entry = shared[Number.prefix]
    raw = entry.raw if isinstance(entry, _Decoded) else entry
    assert raw == backend.get(Number.prefix) == chain.best.number.to_bytes(4, "little")


def test_neutral_validities_and_zero_weights_change_nothing():
    assert ValidTransaction().is_neutral()
    for changed in (ValidTransaction(priority=1), ValidTransaction(requires=[b"a"]), ValidTransaction(provides=[b"a"]),
                    ValidTransaction(longevity=5), ValidTransaction(propagate=False)):
        assert not changed.is_neutral()
        assert ValidTransaction().combine_with(changed) == changed
    # The pipeline's results equal the plain combination of every extension's.
    chain = Chain()
    xt = chain.sign(BOB, transfer(CHARLIE.account_id, 7), nonce=0, era=Era.mortal(16, 0), tip=10**6)
    valid = chain.validate(xt)
    assert valid.priority > 0 and valid.provides and valid.longevity < (1 << 64) - 1
    pipeline = extensions.Pipeline.from_extra({"CheckMortality": Era(), "CheckNonce": 0,
                                               "ChargeTransactionPayment": 0, "CheckMetadataHash": "Disabled"})
    total = extensions._ZERO
    for ext in pipeline.extensions:
        total = total.saturating_add(ext.weight(transfer(BOB.account_id, 1)))
    assert pipeline.weight(transfer(BOB.account_id, 1)) == total != extensions._ZERO
