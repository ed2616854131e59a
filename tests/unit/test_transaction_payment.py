"""TransactionPayment: metadata shape against the real runtime's, the fee formula, and the
withdraw-then-refund flow of ChargeTransactionPayment, replaying a real transfer recorded
from the spec-218 runtime under Chopsticks (fee, events byte for byte, accounts after).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.system as system
import pysubtensor.pallets.transaction_payment as tp
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.balances.weights import WEIGHTS
from pysubtensor.pallets.support.dispatch import (
    DispatchClass,
    DispatchInfo,
    Origin,
    Pays,
    PostDispatchInfo,
    Weight,
)
from pysubtensor.pallets.system.types import ACCOUNT_INFO, BLOCK_LENGTH, BLOCK_WEIGHTS, PHASE
from pysubtensor.pallets.transaction_payment import fees
from pysubtensor.pallets.transaction_payment.charge import ChargeTransactionPayment, NoCharge, PreNoCharge
from pysubtensor.pallets.transaction_payment.payment import SubtensorTxFeeHandler
from pysubtensor.pallets.transaction_payment.types import (
    FEE_DETAILS,
    INCLUSION_FEE,
    MULTIPLIER_ONE,
    RUNTIME_DISPATCH_INFO,
    FeeDetails,
    InclusionFee,
    RuntimeDispatchInfo,
)
from pysubtensor.primitives.externalities import Externalities, current, using
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.scale import H256, Vec, decode_compact
from pysubtensor.primitives.transaction_validity import TransactionValidityError, ValidTransaction
from tests.conftest import vectors_dir
from tests.support.events import capture_events, event_names
from tests.support.metadata import BLOBS, DEVNET_381, assert_pallet_matches, assert_same_type, real_pallet
from tests.support.state import DictBackend
from tests.unit.test_balances import ALICE, BOB, CHARLIE

TRANSFER_KEEP_ALIVE = DispatchInfo(WEIGHTS.transfer_keep_alive)


# ---------------------------------------------------------------------------
# Metadata


@pytest.mark.parametrize("blob", BLOBS)
def test_transaction_payment_metadata_equals_the_real_runtime(blob: str) -> None:
    assert_pallet_matches(tp.pallet, blob)


@pytest.mark.parametrize("codec", [RUNTIME_DISPATCH_INFO, FEE_DETAILS, INCLUSION_FEE])
def test_runtime_api_types_equal_the_real_runtime(codec: Any) -> None:
    assert_same_type(codec, DEVNET_381)


def test_api_type_encodings() -> None:
    info = RuntimeDispatchInfo(Weight(1, 2), DispatchClass.OPERATIONAL, 3)
    assert RUNTIME_DISPATCH_INFO.encode(info) == bytes([4, 8, 1]) + (3).to_bytes(8, "little")
    details = FeeDetails(InclusionFee(1, 2, 3), 4)
    assert FEE_DETAILS.decode_all(FEE_DETAILS.encode(details)) == details
    assert FEE_DETAILS.encode(FeeDetails(None, 0)) == bytes(9)


def test_defaults_are_the_runtime_block_limits() -> None:
    """Base extrinsic weight, maximum block weight and lengths equal the real runtime's
    `System.BlockWeights` / `System.BlockLength` constants (spec 381)."""
    constants = {c.name: bytes(c.value) for c in real_pallet(DEVNET_381, "System").constants}
    weights = BLOCK_WEIGHTS.decode_all(constants["BlockWeights"])
    length = BLOCK_LENGTH.decode_all(constants["BlockLength"])
    config = tp.pallet.config  # as the runtime binds it
    for cls in DispatchClass.ALL:
        assert config.base_extrinsic[cls] == weights.get(cls).base_extrinsic
        assert config.max_block_length[cls] == length.max.get(cls)
    assert config.max_block == weights.max_block


# ---------------------------------------------------------------------------
# A chain


@pytest.fixture
def events() -> Iterator[list[tuple[str, Any]]]:
    # Tests may bind their own TransactionPayment Config: the runtime's is restored after.
    with tp.pallet.bound(tp.pallet.config), \
            capture_events(system.pallet, balances.pallet, tp.pallet) as collected, \
            using(Externalities(DictBackend())):
        yield collected


def endow(who: bytes, amount: int, events: list) -> None:
    fungible.mint_into(who, amount)
    events.clear()


def apply(who: bytes, call: tuple[str, dict], info: DispatchInfo, length: int, *, tip: int = 0,
          post_info: PostDispatchInfo | None = None) -> tuple[ValidTransaction, Any]:
    """Validate, withdraw the fee, dispatch a Balances call, settle the fee."""
    ext = ChargeTransactionPayment(tip)
    origin = Origin.signed(who)
    valid, val = ext.validate(origin, call, info, length)
    pre = ext.prepare(val, origin, call, info, length)
    result = balances.pallet.dispatch(origin, call)
    post = post_info or (result if isinstance(result, PostDispatchInfo) else PostDispatchInfo())
    ChargeTransactionPayment.post_dispatch_details(pre, info, post, length)
    return valid, pre


# ---------------------------------------------------------------------------
# The real transfer (spec 218 under Chopsticks)


def session() -> dict:
    path = vectors_dir() / "oracle" / "chopsticks" / "chopsticks_spec218_transfer_session.json"
    return json.loads(path.read_text())


def account_key(who: bytes) -> bytes:
    return system.pallet.storage_items[0].hashed_key(who)


#: Spec 218's `ExtrinsicBaseWeight` (frame-support's 107.074 µs benchmark): its
#: `ExtrinsicSuccess` reports 270_233_000 = base + transfer_keep_alive's 163_159_000, and the
#: proof size 3593 is the call's alone.
SPEC_218_BASE_EXTRINSIC = Weight(107_074_000, 0)


def decode_events(raw: bytes) -> list[tuple[int, bytes, Any]]:
    """The records of a raw `System.Events` value as (pallet index, event bytes incl. the
    index, decoded event), for the pallets whose events we declare."""
    enums = {0: system.pallet.event_enum, 5: balances.pallet.event_enum, 6: tp.pallet.event_enum}
    count, offset = decode_compact(raw, 0)
    out = []
    for _ in range(count):
        _phase, offset = PHASE.decode(raw, offset)
        start = offset
        index = raw[offset]
        event, offset = enums[index].decode(raw, offset + 1)
        out.append((index, raw[start:offset], event))
        _topics, offset = Vec(H256).decode(raw, offset)
    assert offset == len(raw)
    return out


def test_the_real_transfer_pays_the_real_fee_with_the_real_events(events: list) -> None:
    s = session()
    calls = s["calls"]
    alice_key, bob_key = account_key(ALICE), account_key(BOB)
    before = {c["params"][0]: c["result"] for c in calls[2:5] if c["method"] == "state_getStorage"}
    after = {c["params"][0]: c["result"] for c in calls if c["method"] == "state_getStorage"
             and c["params"][1] == calls[6]["result"]}
    xt = bytes.fromhex(next(c for c in calls if c["method"] == "author_submitExtrinsic")["params"][0][2:])

    # The signed extrinsic: length 147 with its prefix; the call is Balances(5).transfer_keep_alive.
    length = len(xt)
    assert length == 147
    call_start = xt.index(bytes([5, 3, 0]) + BOB)
    call, end = balances.pallet.call_enum.decode(xt, call_start + 1)
    assert end == length and call == ("transfer_keep_alive", {"dest": ("Id", BOB), "value": 12_345_678_900})

    # State before: Alice as dev_setStorage wrote her (old logic: flags 0), no Bob.
    assert before["0x" + bob_key.hex()] is None
    ext = current()
    ext.set(alice_key, bytes.fromhex(before["0x" + alice_key.hex()][2:]))
    fungible.set_total_issuance(10**15)
    tp.pallet.bind(replace(tp.pallet.config, base_extrinsic=dict.fromkeys(DispatchClass.ALL, SPEC_218_BASE_EXTRINSIC)))

    system.inc_account_nonce(ALICE)  # CheckNonce, before ChargeTransactionPayment
    apply(ALICE, call, TRANSFER_KEEP_ALIVE, length)

    # The fee: base 53_537 + length 147 + weight 81_579 (81_579.5 rounds down).
    assert fees.compute_fee_details(length, TRANSFER_KEEP_ALIVE, 0) == FeeDetails(InclusionFee(53_537, 147, 81_579), 0)
    expected = [
        "Balances.Upgraded", "Balances.Withdraw", "System.NewAccount", "Balances.Endowed",
        "Balances.Transfer", "Balances.Deposit", "TransactionPayment.TransactionFeePaid",
    ]
    assert event_names(events) == expected
    assert events[1][1] == balances.Event.Withdraw(ALICE, 135_263)
    assert events[5][1] == balances.Event.Deposit(ALICE, 0)
    assert events[6][1] == tp.Event.TransactionFeePaid(ALICE, 135_263, 0)

    # Byte for byte, as the real runtime stored them (records 1..7 are the transfer's).
    raw_events = bytes.fromhex(next(v for k, v in after.items() if k.endswith("80d41e5e16056765bc8461851072c9d7"))[2:])
    real = decode_events(raw_events)
    assert len(real) == 9
    # Its ExtrinsicSuccess weight is spec 218's base extrinsic weight plus our call weight.
    success = real[8][2].dispatch_info
    assert success.weight == SPEC_218_BASE_EXTRINSIC.saturating_add(TRANSFER_KEEP_ALIVE.weight)
    pallet_of = {"System": system.pallet, "Balances": balances.pallet, "TransactionPayment": tp.pallet}
    ours = [bytes([pallet_of[p].index]) + pallet_of[p].event_enum.encode(e) for p, e in events]
    assert ours == [raw for _, raw, _ in real[1:8]]

    # The accounts afterwards, byte for byte.
    assert ext.get(alice_key).hex() == after["0x" + alice_key.hex()][2:]
    assert ext.get(bob_key).hex() == after["0x" + bob_key.hex()][2:]
    alice = ACCOUNT_INFO.decode_all(ext.get(alice_key))
    assert alice.data.free == 10**15 - 12_345_678_900 - 135_263
    # Without a block author the fee is burned.
    assert fungible.total_issuance() == 10**15 - 135_263


# ---------------------------------------------------------------------------
# The fee formula


def test_fee_of_the_current_runtime(events: list) -> None:
    """Same call and length on the current runtime (base 108.157 µs): 54_078.5 → 54_078."""
    details = fees.compute_fee_details(147, TRANSFER_KEEP_ALIVE, 7)
    assert details == FeeDetails(InclusionFee(54_078, 147, 81_579), 7)
    assert details.final_fee() == 54_078 + 147 + 81_579 + 7


def test_weight_to_fee_rounds_halves_down() -> None:
    assert tp.linear_weight_to_fee(Weight(1_000, 0)) == 0  # 0.5
    assert tp.linear_weight_to_fee(Weight(1_001, 0)) == 1  # 0.5005
    assert tp.linear_weight_to_fee(Weight(3_000, 0)) == 1  # 1.5
    assert tp.linear_weight_to_fee(Weight(2_000, 123)) == 1  # proof size is free


def test_multiplier_and_weight_cap(events: list) -> None:
    tp.NextFeeMultiplier.put(2 * MULTIPLIER_ONE + MULTIPLIER_ONE // 2)  # 2.5
    details = fees.compute_fee_details(10, DispatchInfo(Weight(2_000_000, 0)), 0)
    assert details.inclusion_fee.adjusted_weight_fee == 2_500
    huge = DispatchInfo(Weight(10**15, 0))
    assert fees.weight_to_fee(huge.weight) == 4 * 10**12 * 500_000 // 10**9
    tp.on_finalize(1)
    assert tp.NextFeeMultiplier.get() == MULTIPLIER_ONE


def test_calls_that_do_not_pay_only_pay_the_tip(events: list) -> None:
    free = DispatchInfo(Weight(10**9, 0), pays_fee=Pays.NO)
    assert fees.compute_fee_details(100, free, 9) == FeeDetails(None, 9)
    assert fees.compute_fee(100, free, 9) == 9
    assert fees.query_info(free, 100) == RuntimeDispatchInfo(Weight(10**9, 0), DispatchClass.NORMAL, 0)
    assert fees.query_fee_details(TRANSFER_KEEP_ALIVE, 100, bare=True) == FeeDetails(None, 0)


def test_priority(events: list) -> None:
    # Normal: (tip + 1) x the number of such transactions per block (the scarcer of length
    # 7_864_320 / 147 = 53_498 and weight 4e12 / 163_159_000 = 24_515).
    assert fees.get_priority(TRANSFER_KEEP_ALIVE, 147, 0, 0) == 24_515
    assert fees.get_priority(TRANSFER_KEEP_ALIVE, 147, 9, 0) == 245_150
    # Operational adds a virtual tip of 5 x the final fee.
    operational = replace(TRANSFER_KEEP_ALIVE, dispatch_class=DispatchClass.OPERATIONAL)
    assert fees.get_priority(operational, 147, 0, 1000) == 24_515 + 5000 * 24_515


# ---------------------------------------------------------------------------
# Withdraw, refund, settle


def test_unused_weight_is_refunded(events: list) -> None:
    endow(ALICE, 10**12, events)
    endow(BOB, 10**12, events)
    fee = fees.compute_fee(147, TRANSFER_KEEP_ALIVE, 0)
    used = PostDispatchInfo(actual_weight=Weight(63_159_000, 3593))
    apply(ALICE, ("transfer_keep_alive", {"dest": ("Id", BOB), "value": 10}), TRANSFER_KEEP_ALIVE, 147,
          post_info=used)
    actual = fees.compute_actual_fee(147, TRANSFER_KEEP_ALIVE, used, 0)
    assert actual == fee - 50_000
    assert event_names(events) == ["Balances.Withdraw", "Balances.Transfer", "Balances.Deposit",
                             "TransactionPayment.TransactionFeePaid"]
    assert events[2][1] == balances.Event.Deposit(ALICE, 50_000)
    assert events[3][1] == tp.Event.TransactionFeePaid(ALICE, actual, 0)
    assert fungible.balance(ALICE) == 10**12 - 10 - actual


def test_fee_and_tip_go_to_the_block_author(events: list) -> None:
    endow(ALICE, 10**12, events)
    endow(CHARLIE, 10**12, events)
    tp.pallet.bind(replace(tp.pallet.config, on_charge_transaction=SubtensorTxFeeHandler(block_author=lambda: CHARLIE)))
    issuance = fungible.total_issuance()
    apply(ALICE, ("transfer_keep_alive", {"dest": ("Id", CHARLIE), "value": 10}), TRANSFER_KEEP_ALIVE, 147, tip=5)
    fee = fees.compute_fee(147, TRANSFER_KEEP_ALIVE, 5)
    assert event_names(events)[-3:] == ["Balances.Deposit", "Balances.Deposit", "TransactionPayment.TransactionFeePaid"]
    assert events[-2][1] == balances.Event.Deposit(CHARLIE, fee)
    assert events[-1][1] == tp.Event.TransactionFeePaid(ALICE, fee, 5)
    assert fungible.total_issuance() == issuance
    assert fungible.balance(CHARLIE) == 10**12 + 10 + fee


def test_a_fee_that_would_kill_the_payer_is_refused(events: list) -> None:
    fee = fees.compute_fee(147, TRANSFER_KEEP_ALIVE, 0)
    endow(ALICE, fee + 499, events)
    endow(BOB, 10**12, events)
    ext = ChargeTransactionPayment(0)
    with pytest.raises(TransactionValidityError) as e:
        ext.validate(Origin.signed(ALICE), None, TRANSFER_KEEP_ALIVE, 147)
    assert e.value.value == ("Invalid", ("Payment", None))
    assert e.value.encode() == bytes([0, 1])
    # Even past validation, the withdrawal (Preserve) refuses and nothing changes.
    from pysubtensor.pallets.transaction_payment.charge import Charge

    with pytest.raises(TransactionValidityError):
        ext.prepare(Charge(0, ALICE, fee), Origin.signed(ALICE), None, TRANSFER_KEEP_ALIVE, 147)
    assert fungible.balance(ALICE) == fee + 499 and events == []
    endow(ALICE, 1, events)
    valid, val = ext.validate(Origin.signed(ALICE), None, TRANSFER_KEEP_ALIVE, 147)
    assert val.fee == fee and valid.priority == 24_515


def test_unsigned_origins_are_not_charged(events: list) -> None:
    ext = ChargeTransactionPayment(0)
    valid, val = ext.validate(Origin.none(), None, TRANSFER_KEEP_ALIVE, 147)
    assert valid == ValidTransaction() and isinstance(val, NoCharge)
    pre = ext.prepare(val, Origin.none(), None, TRANSFER_KEEP_ALIVE, 147)
    assert isinstance(pre, PreNoCharge)
    refund = ChargeTransactionPayment.post_dispatch_details(pre, TRANSFER_KEEP_ALIVE, PostDispatchInfo(), 147)
    assert refund == ChargeTransactionPayment(0).weight() == Weight(51_786_000 + 4 * 25_000_000 + 100_000_000, 3593)
    assert events == []


def test_a_call_that_turns_out_free_refunds_everything(events: list) -> None:
    from pysubtensor.pallets.balances.types import AccountData

    endow(ALICE, 10**12, events)
    system.mutate_account(BOB, lambda a: setattr(a, "providers", 1))
    system.mutate_account(BOB, lambda a: setattr(a, "data", AccountData(free=10**9, flags=0)))
    info = balances.pallet.dispatch_info(("upgrade_accounts", {"who": [BOB]}))
    apply(ALICE, ("upgrade_accounts", {"who": [BOB]}), info, 50)
    fee = fees.compute_fee(50, info, 0)
    assert event_names(events) == ["Balances.Withdraw", "Balances.Upgraded", "Balances.Deposit",
                             "TransactionPayment.TransactionFeePaid"]
    assert events[2][1] == balances.Event.Deposit(ALICE, fee)
    assert events[3][1] == tp.Event.TransactionFeePaid(ALICE, 0, 0)
    assert fungible.balance(ALICE) == 10**12


# ---------------------------------------------------------------------------
# Genesis


def test_genesis_writes_what_the_real_runtime_writes(events: list) -> None:
    path = vectors_dir() / "oracle" / "genesis" / "auradev_spec293_genesis_storage_from_genesisbuilder.json"
    top = json.loads(path.read_text())["top"]
    tp.pallet.genesis_build({})
    ext = current()
    for item in (tp.NextFeeMultiplier, tp.StorageVersion):
        assert "0x" + ext.get(item.storage_key).hex() == top["0x" + item.storage_key.hex()]
    assert top["0x" + storage_prefix("TransactionPayment", ":__STORAGE_VERSION__:").hex()] == "0x0000"
    assert tp.pallet.storage_version == 0
