"""Multisig: declarations against spec 381's metadata, and scenarios ported from
polkadot-sdk's substrate/frame/multisig/src/tests.rs (each names its Rust test), run on the
composed runtime. The mock's deposits of 1 and MaxSignatories of 3 are the runtime's
(`DepositBase` 0.132 TAO, `DepositFactor` 0.032 TAO, 100 signatories); its base filter
refusing `System::set_code` is played by the runtime's NoNestingCallFilter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.multisig as multisig
import pysubtensor.pallets.proxy as proxy
import pysubtensor.pallets.system as system
import pysubtensor.pallets.utility as utility
import pysubtensor.runtime  # noqa: F401  (composes and binds the pallets)
from pysubtensor.pallets.balances import currency, fungible
from pysubtensor.pallets.multisig import Constants, Event, Multisig, Multisigs, Timepoint, multi_account_id
from pysubtensor.pallets.multisig import weights as w
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import DispatchError, Origin, Pays, PostDispatchInfo, Weight
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.runtime import construct
from tests.support.frame import frame_env
from tests.support.metadata import DEVNET_381, assert_pallet_matches, summary_pallet
from tests.unit.test_proxy import CALL_FILTERED, TAO, acct, module_error, rc

ZERO = Weight(0, 0)


def test_multisig_metadata_is_spec_381s() -> None:
    assert_pallet_matches(multisig.pallet, DEVNET_381)


def test_names_and_indices_follow_the_spec_381_summary() -> None:
    summary = summary_pallet("Multisig")
    assert summary["index"] == 13
    assert summary["call_list"] == [{"index": v.index, "name": v.name, "fields": [f.name for f in v.fields]}
                                    for v in multisig.pallet.call_enum.variants]
    assert summary["error_list"] == [[v.index, v.name] for v in multisig.pallet.error_enum.variants]


def test_constants_are_the_runtime_deposits() -> None:
    # deposit(1, 112) and deposit(0, 32).
    assert (Constants.DepositBase, Constants.DepositFactor, Constants.MaxSignatories) == (132_000_000, 32_000_000, 100)


# ---------------------------------------------------------------------------
# Scenarios (new_test_ext: accounts 1..4 endowed, block 1)


@pytest.fixture
def ext() -> Iterator[Externalities]:
    with frame_env(balances.pallet, utility.pallet, multisig.pallet, proxy.pallet) as ext:
        system.pallet.Storage.Number.put(1)
        for n in (1, 2, 3, 4):
            fungible.mint_into(acct(n), 10 * TAO)
        system.reset_events()
        yield ext


def call_transfer(dest: int, value: int) -> tuple:
    return rc("Balances", "transfer_allow_death", dest=("Id", acct(dest)), value=value)


def call_hash(call: Any) -> bytes:
    return blake2_256(construct.RUNTIME_CALL.encode(call))


def call_weight(call: Any) -> Weight:
    return construct.dispatch_info(call).weight


def run(origin: Origin, name: str, **args: Any) -> PostDispatchInfo:
    result = dispatch_in_layer(lambda o, c, bypass_filter: multisig.pallet.dispatch(o, c), origin, (name, args))
    if isinstance(result, DispatchError):
        raise result
    return result


def noop(ext: Externalities, origin: Origin, name: str, **args: Any) -> Any:
    before = {k: ext.get(k) for k in ext.keys_with_prefix(b"")}
    with pytest.raises(DispatchError) as e:
        run(origin, name, **args)
    assert {k: ext.get(k) for k in ext.keys_with_prefix(b"")} == before
    return e.value.value


def signed(n: int) -> Origin:
    return Origin.signed(acct(n))


def others(*ns: int) -> list[bytes]:
    return [acct(n) for n in ns]


def now() -> Timepoint:
    return multisig.timepoint()


def fund(multi: bytes) -> None:
    """Each of 1, 2, 3 sends the multisig account 5 TAO."""
    for n in (1, 2, 3):
        currency.transfer(acct(n), multi, 5 * TAO, "AllowDeath")


def free(n: int | bytes) -> int:
    return currency.free_balance(acct(n) if isinstance(n, int) else n)


def deposit(threshold: int) -> int:
    return Constants.DepositBase + Constants.DepositFactor * threshold


def last_event() -> tuple[str, Any]:
    return system.read_events()[-1].event


def test_multisig_deposit_is_taken_and_returned(ext) -> None:
    """tests.rs `multisig_deposit_is_taken_and_returned`."""
    multi = multi_account_id(others(1, 2, 3), 2)
    fund(multi)
    call = call_transfer(6, 15 * TAO)
    run(signed(1), "as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None, call=call,
        max_weight=ZERO)
    assert free(1) == 5 * TAO - deposit(2) and currency.reserved_balance(acct(1)) == deposit(2)
    run(signed(2), "as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=now(), call=call,
        max_weight=call_weight(call))
    assert free(1) == 5 * TAO and currency.reserved_balance(acct(1)) == 0
    assert free(6) == 15 * TAO


def test_cancel_multisig_returns_deposit(ext) -> None:
    """tests.rs `cancel_multisig_returns_deposit`."""
    h = call_hash(call_transfer(6, 15 * TAO))
    run(signed(1), "approve_as_multi", threshold=3, other_signatories=others(2, 3), maybe_timepoint=None,
        call_hash=h, max_weight=ZERO)
    run(signed(2), "approve_as_multi", threshold=3, other_signatories=others(1, 3), maybe_timepoint=now(),
        call_hash=h, max_weight=ZERO)
    assert free(1) == 10 * TAO - deposit(3) and currency.reserved_balance(acct(1)) == deposit(3)
    run(signed(1), "cancel_as_multi", threshold=3, other_signatories=others(2, 3), timepoint=now(), call_hash=h)
    assert free(1) == 10 * TAO and currency.reserved_balance(acct(1)) == 0
    multi = multi_account_id(others(1, 2, 3), 3)
    assert last_event() == ("Multisig", Event.MultisigCancelled(acct(1), now(), multi, h))


def test_timepoint_checking_works(ext) -> None:
    """tests.rs `timepoint_checking_works`."""
    multi = multi_account_id(others(1, 2, 3), 2)
    fund(multi)
    call = call_transfer(6, 15 * TAO)
    h = call_hash(call)
    assert noop(ext, signed(2), "approve_as_multi", threshold=2, other_signatories=others(1, 3),
                maybe_timepoint=now(), call_hash=h, max_weight=ZERO) == module_error("Multisig", "UnexpectedTimepoint")
    run(signed(1), "approve_as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None,
        call_hash=h, max_weight=ZERO)
    assert noop(ext, signed(2), "as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=None,
                call=call, max_weight=ZERO) == module_error("Multisig", "NoTimepoint")
    later = Timepoint(now().height, 1)
    assert noop(ext, signed(2), "as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=later,
                call=call, max_weight=ZERO) == module_error("Multisig", "WrongTimepoint")


def test_multisig_2_of_3_works(ext) -> None:
    """tests.rs `multisig_2_of_3_works`, with the events and the stored operation."""
    multi = multi_account_id(others(1, 2, 3), 2)
    fund(multi)
    call = call_transfer(6, 15 * TAO)
    h = call_hash(call)
    post = run(signed(1), "approve_as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None,
               call_hash=h, max_weight=ZERO)
    assert post.actual_weight == w.as_multi_create(2, 0)
    assert last_event() == ("Multisig", Event.NewMultisig(acct(1), multi, h))
    assert Multisigs.get(multi, h) == Multisig(Timepoint(1, 0), deposit(2), acct(1), [acct(1)])
    assert free(6) == 0
    post = run(signed(2), "as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=now(),
               call=call, max_weight=call_weight(call))
    assert post.actual_weight is None  # the transfer reports no weight of its own: the declared one
    assert free(6) == 15 * TAO and Multisigs.get(multi, h) is None
    assert last_event() == ("Multisig", Event.MultisigExecuted(acct(2), Timepoint(1, 0), multi, h, ("Ok", ())))


def test_multisig_3_of_3_works(ext) -> None:
    """tests.rs `multisig_3_of_3_works`."""
    multi = multi_account_id(others(1, 2, 3), 3)
    fund(multi)
    call = call_transfer(6, 15 * TAO)
    h = call_hash(call)
    run(signed(1), "approve_as_multi", threshold=3, other_signatories=others(2, 3), maybe_timepoint=None,
        call_hash=h, max_weight=ZERO)
    run(signed(2), "approve_as_multi", threshold=3, other_signatories=others(1, 3), maybe_timepoint=now(),
        call_hash=h, max_weight=ZERO)
    assert last_event() == ("Multisig", Event.MultisigApproval(acct(2), Timepoint(1, 0), multi, h))
    assert Multisigs.get(multi, h).approvals == [acct(1), acct(2)]
    assert free(6) == 0
    run(signed(3), "as_multi", threshold=3, other_signatories=others(1, 2), maybe_timepoint=now(), call=call,
        max_weight=call_weight(call))
    assert free(6) == 15 * TAO


def test_cancel_multisig_works(ext) -> None:
    """tests.rs `cancel_multisig_works`."""
    h = call_hash(call_transfer(6, 15 * TAO))
    run(signed(1), "approve_as_multi", threshold=3, other_signatories=others(2, 3), maybe_timepoint=None,
        call_hash=h, max_weight=ZERO)
    run(signed(2), "approve_as_multi", threshold=3, other_signatories=others(1, 3), maybe_timepoint=now(),
        call_hash=h, max_weight=ZERO)
    assert noop(ext, signed(2), "cancel_as_multi", threshold=3, other_signatories=others(1, 3), timepoint=now(),
                call_hash=h) == module_error("Multisig", "NotOwner")
    run(signed(1), "cancel_as_multi", threshold=3, other_signatories=others(2, 3), timepoint=now(), call_hash=h)


def test_multisig_2_of_3_as_multi_with_many_calls_works(ext) -> None:
    """tests.rs `multisig_2_of_3_as_multi_with_many_calls_works`."""
    multi = multi_account_id(others(1, 2, 3), 2)
    fund(multi)
    call1, call2 = call_transfer(6, 10 * TAO), call_transfer(7, 5 * TAO)
    run(signed(1), "as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None, call=call1,
        max_weight=ZERO)
    run(signed(2), "as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=None, call=call2,
        max_weight=ZERO)
    run(signed(3), "as_multi", threshold=2, other_signatories=others(1, 2), maybe_timepoint=now(), call=call1,
        max_weight=call_weight(call1))
    run(signed(3), "as_multi", threshold=2, other_signatories=others(1, 2), maybe_timepoint=now(), call=call2,
        max_weight=call_weight(call2))
    assert (free(6), free(7)) == (10 * TAO, 5 * TAO)


def test_multisig_2_of_3_cannot_reissue_same_call(ext) -> None:
    """tests.rs `multisig_2_of_3_cannot_reissue_same_call`: the second run finds the funds gone
    and reports the inner error in MultisigExecuted, the outer call succeeding."""
    multi = multi_account_id(others(1, 2, 3), 2)
    fund(multi)
    call = call_transfer(6, 10 * TAO)
    h = call_hash(call)
    run(signed(1), "as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None, call=call,
        max_weight=ZERO)
    run(signed(2), "as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=now(), call=call,
        max_weight=call_weight(call))
    assert free(multi) == 5 * TAO
    run(signed(1), "as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None, call=call,
        max_weight=ZERO)
    run(signed(3), "as_multi", threshold=2, other_signatories=others(1, 2), maybe_timepoint=now(), call=call,
        max_weight=call_weight(call))
    assert last_event() == ("Multisig", Event.MultisigExecuted(acct(3), now(), multi, h,
                                                               ("Err", ("Token", ("FundsUnavailable", None)))))
    assert free(multi) == 5 * TAO and currency.reserved_balance(acct(1)) == 0


def test_minimum_threshold_check_works(ext) -> None:
    """tests.rs `minimum_threshold_check_works`."""
    call = call_transfer(6, 15 * TAO)
    for threshold in (0, 1):
        assert noop(ext, signed(1), "as_multi", threshold=threshold, other_signatories=others(2),
                    maybe_timepoint=None, call=call, max_weight=ZERO) == module_error("Multisig", "MinimumThreshold")


def test_too_many_signatories_fails(ext) -> None:
    """tests.rs `too_many_signatories_fails` (MaxSignatories is 100: 100 others are too many)."""
    call = call_transfer(6, 15 * TAO)
    assert noop(ext, signed(1), "as_multi", threshold=2, other_signatories=others(*range(2, 102)),
                maybe_timepoint=None, call=call, max_weight=ZERO) == module_error("Multisig", "TooManySignatories")
    assert noop(ext, signed(1), "as_multi", threshold=2, other_signatories=[], maybe_timepoint=None, call=call,
                max_weight=ZERO) == module_error("Multisig", "TooFewSignatories")


def test_signatories_must_be_sorted_and_exclude_the_sender(ext) -> None:
    """`ensure_sorted_and_insert`: SignatoriesOutOfOrder, SenderInSignatories."""
    call = call_transfer(6, TAO)
    assert noop(ext, signed(1), "as_multi", threshold=2, other_signatories=others(3, 2), maybe_timepoint=None,
                call=call, max_weight=ZERO) == module_error("Multisig", "SignatoriesOutOfOrder")
    assert noop(ext, signed(2), "as_multi", threshold=2, other_signatories=others(1, 2, 3), maybe_timepoint=None,
                call=call, max_weight=ZERO) == module_error("Multisig", "SenderInSignatories")


def test_duplicate_approvals_are_ignored(ext) -> None:
    """tests.rs `duplicate_approvals_are_ignored`."""
    h = call_hash(call_transfer(6, 15 * TAO))
    run(signed(1), "approve_as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None,
        call_hash=h, max_weight=ZERO)
    assert noop(ext, signed(1), "approve_as_multi", threshold=2, other_signatories=others(2, 3),
                maybe_timepoint=now(), call_hash=h, max_weight=ZERO) == module_error("Multisig", "AlreadyApproved")
    run(signed(2), "approve_as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=now(),
        call_hash=h, max_weight=ZERO)
    assert noop(ext, signed(3), "approve_as_multi", threshold=2, other_signatories=others(1, 2),
                maybe_timepoint=now(), call_hash=h, max_weight=ZERO) == module_error("Multisig", "AlreadyApproved")


def test_multisig_1_of_3_works(ext) -> None:
    """tests.rs `multisig_1_of_3_works`."""
    multi = multi_account_id(others(1, 2, 3), 1)
    fund(multi)
    call = call_transfer(6, 15 * TAO)
    assert noop(ext, signed(1), "approve_as_multi", threshold=1, other_signatories=others(2, 3),
                maybe_timepoint=None, call_hash=call_hash(call), max_weight=ZERO) == \
        module_error("Multisig", "MinimumThreshold")
    assert noop(ext, signed(1), "as_multi", threshold=1, other_signatories=others(2, 3), maybe_timepoint=None,
                call=call, max_weight=ZERO) == module_error("Multisig", "MinimumThreshold")
    run(signed(1), "as_multi_threshold_1", other_signatories=others(2, 3), call=call)
    assert free(6) == 15 * TAO


def test_multisig_filters(ext) -> None:
    """tests.rs `multisig_filters`: the inner call is dispatched through the base filter (here
    NoNestingCallFilter refusing a batch inside a batch), and its error is the call's."""
    nested = rc("Utility", "batch", calls=[rc("Utility", "batch", calls=[])])
    assert noop(ext, signed(1), "as_multi_threshold_1", other_signatories=others(2), call=nested) == CALL_FILTERED


def test_weight_check_works(ext) -> None:
    """tests.rs `weight_check_works`."""
    multi = multi_account_id(others(1, 2, 3), 2)
    fund(multi)
    call = call_transfer(6, 15 * TAO)
    run(signed(1), "as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None, call=call,
        max_weight=ZERO)
    assert noop(ext, signed(2), "as_multi", threshold=2, other_signatories=others(1, 3), maybe_timepoint=now(),
                call=call, max_weight=ZERO) == module_error("Multisig", "MaxWeightTooLow")


def test_poke_deposit_reserves_the_current_deposit(ext) -> None:
    """tests.rs `poke_deposit_*`: a stale deposit (as after the constants change) is brought
    to `DepositBase + threshold * DepositFactor`, fee waived; unchanged, the fee is paid;
    only the depositor may poke; a missing operation is NotFound."""
    h = call_hash(call_transfer(6, TAO))
    run(signed(1), "approve_as_multi", threshold=2, other_signatories=others(2, 3), maybe_timepoint=None,
        call_hash=h, max_weight=ZERO)
    assert run(signed(1), "poke_deposit", threshold=2, other_signatories=others(2, 3), call_hash=h).pays_fee == \
        Pays.YES
    multi = multi_account_id(others(1, 2, 3), 2)
    m = Multisigs.get(multi, h)
    currency.unreserve(acct(1), 1_000)
    m.deposit -= 1_000
    Multisigs.insert(multi, h, m)
    assert run(signed(1), "poke_deposit", threshold=2, other_signatories=others(2, 3), call_hash=h).pays_fee == \
        Pays.NO
    assert currency.reserved_balance(acct(1)) == deposit(2) == Multisigs.get(multi, h).deposit
    assert last_event() == ("Multisig", Event.DepositPoked(acct(1), h, deposit(2) - 1_000, deposit(2)))
    assert noop(ext, signed(2), "poke_deposit", threshold=2, other_signatories=others(1, 3), call_hash=h) == \
        module_error("Multisig", "NotOwner")
    assert noop(ext, signed(1), "poke_deposit", threshold=2, other_signatories=others(2, 3),
                call_hash=bytes(32)) == module_error("Multisig", "NotFound")


def test_weights_follow_the_declared_formulas() -> None:
    call = call_transfer(6, TAO)
    z = len(construct.RUNTIME_CALL.encode(call))
    info = multisig.pallet.dispatch_info(("as_multi", {"threshold": 2, "other_signatories": others(2, 3),
                                                       "maybe_timepoint": None, "call": call,
                                                       "max_weight": Weight(7, 9)}))
    assert info.weight == w.as_multi_complete(2, z) + Weight(7, 9)  # the largest of create/approve/complete
    info = multisig.pallet.dispatch_info(("as_multi_threshold_1", {"other_signatories": others(2), "call": call}))
    from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT
    assert info.weight == w.as_multi_threshold_1(z) + ROCKS_DB_WEIGHT.reads_writes(1, 1) + call_weight(call)


def test_multi_account_id_is_the_one_scalecodec_derives() -> None:
    """`multi_account_id` equals scalecodec's `MultiAccountId.create_from_account_list` (what
    substrate-interface's `generate_multisig_account` uses), whatever order the accounts come in."""
    from tests.support.metadata import scalecodec_finney
    rc, _ = scalecodec_finney()
    accounts = [bytes([9] * 32), bytes([1] * 32), bytes([5] * 32)]
    theirs = rc.get_decoder_class("MultiAccountId").create_from_account_list(
        ["0x" + a.hex() for a in accounts], 2)
    assert "0x" + multi_account_id(sorted(accounts), 2).hex() == theirs.value_object
    assert multi_account_id(sorted(accounts), 3) != multi_account_id(sorted(accounts), 2)
