"""The fast paths of applying a signed transfer are invisible (issue 13, second pass).

Each one replaces a general path that stays the reference here:

* the overlay grows an appended vector (`Events`) in a new layer without copying what the
  layers below hold (`_Appended.base`, folded in at commit) — general: a new layer starts
  from the whole vector's bytes, as `storage::append` semantics describe it;
* the overlay keeps its sorted keys with a set of the keys it knows — general: the keys
  of every layer, sorted afresh;
* System's account store reads the account once and again only if `fn` wrote it; Balances
  hands the account it has just read down to the store (`read=`) — general: read it at
  each step, as before;
* the extension pipeline does not call an extension's default `validate` / `prepare` /
  `post_dispatch_details` / `implicit`, and adds the extensions' weights as ints — general:
  call every extension, add with `saturating_add`;
* a fixed-layout struct (AccountInfo) is encoded by one attribute getter and one pack —
  general: the field-by-field encoder;
* the fee's parts are remembered per config — general: computed each time;
* a write whose value decodes exactly to itself (an int; a packed struct, copied) is kept
  decoded for the next read — general: the next read decodes the bytes;
* (wave 7) Balances stores a free balance that stays at or above ED directly — general:
  `mutate_account`; the signature check remembers each extrinsic's pipeline, implicit data
  and key — general: built each time; events encode their fields by kind — general:
  `EVENT_RECORD.encode`; the applied extrinsic's phase is kept decoded — general: written as
  bytes; the payment wrapper skips the inner priority it replaces — general: computes it.

Blocks of mixed transactions (endowing a new account, reaping one, a self-transfer, a tip,
a call failing after its fee, batches rolled back or interrupted, a refused nonce, pool
validation between) give the same results, events, storage changes and state roots with
the fast paths as with every general path put back.
"""

from __future__ import annotations

import enum
import random
from typing import Any

import pytest

import pysubtensor.pallets.system.accounts as system_accounts
import pysubtensor.runtime.extensions as extensions
from pysubtensor.pallets.balances import account as balances_account
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.balances.types import AccountData
from pysubtensor.pallets.support.dispatch import Weight
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.pallets.system.pallet import Account
from pysubtensor.pallets.system.types import ACCOUNT_INFO, AccountInfo
from pysubtensor.pallets.transaction_payment import fees
from pysubtensor.primitives.externalities import (
    Externalities,
    OverlayedChanges,
    _Appended,
    _materialize,
    using,
)
from pysubtensor.primitives.keyring import DEV_ACCOUNTS, Keypair
from pysubtensor.primitives.scale import U32, ScaleDecodeError, ScaleEncodeError, Struct
from pysubtensor.runtime.era import Era
from tests.support.state import DictBackend
from tests.unit.test_executive import ALICE, BOB, CHARLIE, DAVE, Chain, transfer

EVE = DEV_ACCOUNTS["Eve"]
ZED = Keypair.from_uri("//Zed")  # not in the dev genesis: endowed in block 1, spends in block 2


# ---------------------------------------------------------------------------
# The general paths (what the fast paths replace)


def _general_append(self: OverlayedChanges, key: bytes, encoded_item: bytes, base: Any) -> None:
    value = self._layers[-1].get(key)
    if value.__class__ is not _Appended:
        for layer in reversed(self._layers):
            if key in layer:
                value = _Appended.of(_materialize(layer[key]))  # the whole vector, copied
                break
        else:
            value = _Appended.of(base())
        self.set(key, value)
    value.count += 1
    value.body += encoded_item


def _general_set(self: OverlayedChanges, key: bytes, value: Any) -> None:
    self._sorted_keys = self._key_set = None  # sorted afresh when next asked for
    self._layers[-1][key] = value


def _general_stored_map(who: bytes, fn: Any, *, read: Any = None) -> Any:
    data = Account.get(who).data
    current = None if data == AccountData() else data
    new_data, result = fn(current)
    a = Account.get(who)
    if a.providers > 0 or a.sufficients > 0:
        a.data = new_data if new_data is not None else AccountData()
        Account.insert(who, a)
    else:
        Account.remove(who)
    return result


_fast_try_mutate_account = balances_account.try_mutate_account


def _general_try_mutate_account(who: bytes, f: Any, *, read: Any = None) -> Any:
    return _fast_try_mutate_account(who, f)  # no hint: read again


def _general_write_balance(who: bytes, amount: int, info: Any) -> Any:
    max_reduction = fungible.reducible_balance(who, "Expendable", "Force")  # reads the account itself

    def apply(a: AccountData) -> None:
        if max(a.free - amount, 0) > max_reduction:
            raise fungible.Error.InsufficientBalance()
        a.free = amount

    return balances_account.mutate_account(who, apply)[1]


def _general_pipeline_weight(self: extensions.Pipeline, call: Any) -> Weight:
    total = Weight(0, 0)
    for ext in self.extensions:
        total = total.saturating_add(ext.weight(call))
    return total


def _general_implicit_bytes(self: extensions.Pipeline) -> bytes:
    out = bytearray()
    for meta, ext in zip(extensions.TRANSACTION_EXTENSIONS, self.extensions, strict=True):
        meta.implicit.encode_into(ext.implicit(), out)
    return bytes(out)


def _general_fee_parts(length: int, weight: Weight, dispatch_class: str) -> tuple[int, int, int]:
    config = fees.pallet.config
    return (fees.weight_to_fee(config.base_extrinsic[dispatch_class]), fees.length_to_fee(length),
            fees.weight_to_fee(weight))


class _NoMemo(dict):
    """A memo that remembers nothing (the signature check builds payload and key each time)."""

    def get(self, key: Any, default: Any = None) -> Any:
        return default

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def _general_wrapper_validate(self: Any, origin: Any, call: Any, info: Any, length: int, source: str) -> Any:
    from pysubtensor.pallets.transaction_payment.charge import ChargeTransactionPayment

    priority = 10_000_000_000 if info.dispatch_class == "Operational" else 1
    valid, val = ChargeTransactionPayment(self.tip).validate(origin, call, info, length)
    valid.priority = priority
    return valid, val


def _all_general(monkeypatch: pytest.MonkeyPatch) -> None:
    from pysubtensor.pallets.system import block, events
    from pysubtensor.pallets.system.pallet import ExecutionPhase
    from pysubtensor.pallets.transaction_payment.charge import ChargeTransactionPaymentWrapper

    monkeypatch.setattr(block, "_put_phase", ExecutionPhase.put)  # written as bytes, decoded when read
    monkeypatch.setattr(ChargeTransactionPaymentWrapper, "validate", _general_wrapper_validate)

    monkeypatch.setattr(events, "_plan", lambda runtime_event, event: None)  # EVENT_RECORD encodes each record
    monkeypatch.setattr(events, "_PLANS", {})
    monkeypatch.setattr(extensions, "_CHECKED", _NoMemo())
    monkeypatch.setattr(OverlayedChanges, "append", _general_append)
    monkeypatch.setattr(OverlayedChanges, "set", _general_set)
    monkeypatch.setattr(system_accounts, "try_mutate_exists_account_data", _general_stored_map)
    monkeypatch.setattr(balances_account, "try_mutate_account", _general_try_mutate_account)
    monkeypatch.setattr(fungible, "_write_balance", _general_write_balance)
    every = tuple(True for _ in extensions._BARE)
    monkeypatch.setattr(extensions, "_SIGNED_PLAN", (every, every, every, every))
    monkeypatch.setattr(extensions.Pipeline, "weight", _general_pipeline_weight)
    monkeypatch.setattr(extensions.Pipeline, "implicit_bytes", _general_implicit_bytes)
    monkeypatch.setattr(Struct, "_pack", lambda self, value: None)
    monkeypatch.setattr(fees, "_fee_parts", _general_fee_parts)
    monkeypatch.setattr(Externalities, "set_decoded", lambda self, key, raw, codec, value: self.set(key, raw))


# ---------------------------------------------------------------------------
# Blocks of mixed transactions


def mixed_blocks(chain: Chain, sign: Any) -> list:
    """Two blocks on the transfer path; returns everything an observer could see."""
    fresh = bytes(range(32))
    eve_free = chain.account(EVE.account_id).data.free
    dave_free = chain.account(DAVE.account_id).data.free
    xts = [
        sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0),
        sign(ALICE, transfer(ZED.account_id, 10**12, keep_alive=False), nonce=1),  # endows: NewAccount, Endowed
        sign(ALICE, transfer(ALICE.account_id, 5), nonce=2),  # to itself
        sign(ALICE, transfer(fresh, 600, keep_alive=False), nonce=3, tip=1_000),  # endows; a tip to the author
        sign(DAVE, transfer(BOB.account_id, dave_free), nonce=0),  # fails after the fee: rolled back
        sign(BOB, ("Utility", ("batch_all", {"calls": [
            transfer(CHARLIE.account_id, 5), transfer(CHARLIE.account_id, 10**30 // 10**12)]})), nonce=0),
        sign(BOB, ("Utility", ("batch", {"calls": [
            transfer(CHARLIE.account_id, 7), transfer(DAVE.account_id, 2**63)]})), nonce=1),
        sign(CHARLIE, transfer(BOB.account_id, 1), nonce=5),  # future nonce: refused
        sign(CHARLIE, transfer(BOB.account_id, 1), nonce=0),
        sign(EVE, ("Balances", ("transfer_all", {"dest": ("Id", BOB.account_id), "keep_alive": False})),
             nonce=0),  # reaped: DustLost?, KilledAccount
        sign(EVE, transfer(BOB.account_id, eve_free), nonce=1),  # a reaped account: refused
    ]
    seen: list = [chain.validate(x) for x in xts[:3]]
    block, results = chain.build(*xts)
    seen += [results, block.changes, block.header.state_root, chain.events()]
    xts2 = [sign(ZED, transfer(fresh, 10**9, keep_alive=False), nonce=0),
            sign(ZED, transfer(ALICE.account_id, 10**15), nonce=1),  # more than it has: fails after the fee
            sign(ALICE, transfer(fresh, 3), nonce=4, era=Era.mortal(64, chain.best.number)),
            sign(CHARLIE, transfer(ALICE.account_id, 10**12), nonce=1)]
    seen.append(chain.validate(xts2[0]))
    block2, results2 = chain.build(*xts2)
    seen += [results2, block2.changes, block2.header.state_root, chain.events()]
    return seen


def test_mixed_blocks_are_the_same_on_the_fast_and_the_general_paths(monkeypatch):
    signed: dict = {}

    def sign_once(chain: Chain, signer: Keypair, call: Any, **kw: Any) -> bytes:
        # sr25519 signatures are randomized: both runs apply the same bytes.
        key = (signer.account_id, repr(call), repr(sorted(kw.items())))
        if key not in signed:
            signed[key] = chain.sign(signer, call, **kw)
        return signed[key]

    fast_chain = Chain()
    fast = mixed_blocks(fast_chain, lambda *a, **kw: sign_once(fast_chain, *a, **kw))
    _all_general(monkeypatch)
    general_chain = Chain()
    general = mixed_blocks(general_chain, lambda *a, **kw: sign_once(general_chain, *a, **kw))
    assert fast == general

    results, results2 = fast[3], fast[8]
    # The timestamp inherent, then the transactions in order.
    assert [r.included for r in results] == [True] * 8 + [False, True, True, False]
    assert [r.dispatch_error is not None for r in results[1:] if r.included] == [
        False, False, False, False, True, True, False, False, False]
    assert [r.included and r.dispatch_error is None for r in results2[1:]] == [True, False, True, True]
    names = [(e.event[0], type(e.event[1]).__name__) for e in fast[6]]
    for expected in [("System", "NewAccount"), ("Balances", "Endowed"), ("System", "KilledAccount"),
                     ("System", "ExtrinsicFailed")]:
        assert expected in names
    assert fast_chain.account(EVE.account_id) == AccountInfo()  # reaped


# ---------------------------------------------------------------------------
# Each fast path on its own


def _naive_model(ops: list) -> tuple[dict[bytes, bytes | None], list[bytes]]:
    """Layers of whole values; an append re-encodes the vector (the general semantics)."""
    from pysubtensor.primitives.scale import decode_compact, encode_compact

    layers: list[dict[bytes, bytes | None]] = [{}]
    for op, key, data in ops:
        if op == "start":
            layers.append({})
        elif op == "commit":
            top = layers.pop()
            layers[-1].update(top)
        elif op == "rollback":
            layers.pop()
        elif op == "set":
            layers[-1][key] = data
        elif op == "append":
            current = next((layer[key] for layer in reversed(layers) if key in layer), None)
            n, body = 0, b""
            if current:
                try:  # a value that is not a vector is started afresh, as sp-io does
                    n, start = decode_compact(current, 0)
                    body = current[start:]
                except ScaleDecodeError:
                    pass
            layers[-1][key] = encode_compact(n + 1) + body + data
    merged: dict[bytes, bytes | None] = {}
    for layer in layers:
        merged.update(layer)
    keys = sorted({k for layer in layers for k in layer})
    return merged, keys


@pytest.mark.parametrize("seed", range(40))
def test_appends_and_sorted_keys_across_layers_match_whole_values(seed):
    rng = random.Random(seed)
    keys = [b"events", b"digest", b"a", b"b", b"c"]
    overlay = OverlayedChanges()
    ops: list = []
    depth = 0
    for _ in range(300):
        r = rng.random()
        key = rng.choice(keys)
        if r < 0.12:
            overlay.start_transaction()
            ops.append(("start", None, None))
            depth += 1
        elif r < 0.22 and depth:
            overlay.commit_transaction()
            ops.append(("commit", None, None))
            depth -= 1
        elif r < 0.28 and depth:
            overlay.rollback_transaction()
            ops.append(("rollback", None, None))
            depth -= 1
        elif r < 0.36:
            value = None if rng.random() < 0.2 else bytes([rng.randrange(4)]) * rng.randrange(3)
            overlay.set(key, value)
            ops.append(("set", key, value))
        else:
            item = bytes([rng.randrange(256)]) * rng.randrange(1, 4)
            overlay.append(key, item, lambda: None)
            ops.append(("append", key, item))
        if rng.random() < 0.1:
            assert overlay.sorted_keys() == _naive_model(ops)[1]  # builds and then keeps the sorted keys
        if rng.random() < 0.1:
            merged, _ = _naive_model(ops)
            for k in keys:
                assert overlay.lookup(k) == ((True, merged[k]) if k in merged else (False, None))
    merged, sorted_keys = _naive_model(ops)
    assert overlay.changes() == merged
    assert overlay.sorted_keys() == sorted_keys


def test_a_layer_appends_without_copying_the_vector_below():
    overlay = OverlayedChanges()
    overlay.append(b"events", b"\x01" * 1000, lambda: None)
    below = overlay._layers[0][b"events"]
    overlay.start_transaction()
    overlay.append(b"events", b"\x02", lambda: None)
    top = overlay._layers[-1][b"events"]
    assert top.base is below and bytes(top.body) == b"\x02" and bytes(below.body) == b"\x01" * 1000
    overlay.commit_transaction()
    assert overlay._layers[0][b"events"] is below and below.count == 2 and below.base is None
    assert overlay.changes()[b"events"] == b"\x08" + b"\x01" * 1000 + b"\x02"


def _funded(ext: Externalities, who: bytes, free: int) -> None:
    with using(ext):
        Account.insert(who, AccountInfo(providers=1, data=AccountData(free=free)))


def test_the_account_store_reads_again_when_fn_changed_the_account():
    ext = Externalities(DictBackend({}))
    who = bytes(32 * [7])
    _funded(ext, who, 1_000)
    with using(ext):
        read = system_accounts.account_ref(who)

        def fn(data: AccountData | None) -> tuple[AccountData, str]:
            system_accounts.inc_consumers(who)  # changes the stored account under the store
            data.free = 900
            return data, "done"

        assert system_accounts.try_mutate_exists_account_data(who, fn, read=read) == "done"
        after = Account.get(who)
    assert (after.consumers, after.providers, after.data.free) == (1, 1, 900)


@pytest.mark.parametrize(("reserved", "expected_reads"), [(0, 1), (7, 3)])
def test_balances_reads_an_account_once_per_change(reserved, expected_reads):
    ext = Externalities(DictBackend({}))
    who = bytes(32 * [8])
    with using(ext):
        Account.insert(who, AccountInfo(providers=1, consumers=int(reserved > 0),
                                        data=AccountData(free=10**12, reserved=reserved)))
    reads = {"n": 0}
    real = Externalities.get_decoded

    def counting(self, key, codec, shared=False):
        if codec is ACCOUNT_INFO:
            reads["n"] += 1
        return real(self, key, codec, shared)

    with using(ext):
        Externalities.get_decoded = counting
        try:
            fungible.decrease_balance(who, 10**9, "Exact", "Preserve", "Polite")
        finally:
            Externalities.get_decoded = real
        assert Account.get(who).data.free == 10**12 - 10**9
    # A plain balance is stored directly: one read. On the general path (a reserve: reference
    # counts may move) the failsafe reads the consumers, and the store reads again to see
    # that the account was not written under it.
    assert reads["n"] == expected_reads


def test_the_pipeline_skips_only_default_methods():
    validating, preparing, settling, implicit = extensions._SIGNED_PLAN
    for meta, ext, v, p, s, i in zip(extensions.TRANSACTION_EXTENSIONS, extensions._BARE, validating, preparing,
                                      settling, implicit, strict=True):
        cls = type(ext)
        base = extensions.TransactionExtension
        assert i == (cls.implicit is not base.implicit or meta.implicit.encode(ext.implicit()) != b"")
        assert v == (cls.validate is not base.validate)
        assert p == (cls.prepare is not base.prepare)
        assert s == (cls.post_dispatch_details is not base.post_dispatch_details)
        if not v:
            assert ext.validate(None, None, None, 0, "External")[0].is_neutral()
        if not p:
            assert ext.prepare(None, None, None, None, 0) is None
        if not s:
            assert ext.post_dispatch_details(None, None, None, 0, None) == Weight(0, 0)
    assert sum(implicit) == 5  # spec and tx version, genesis, mortality, metadata hash


class _Heavy(extensions.TransactionExtension):
    def __init__(self, weight: Weight) -> None:
        self.w = weight

    def weight(self, call: Any) -> Weight:
        return self.w


@pytest.mark.parametrize("weights", [
    [Weight(1, 2), Weight(0, 0), Weight(3, 4)],
    [Weight(2**64 - 5, 1), Weight(10, 2**63), Weight(7, 2**63)],  # saturates
    [Weight(2**64 - 1, 2**64 - 1), Weight(2**64 - 1, 0)],
])
def test_extension_weights_add_up_as_saturating_adds(weights):
    pipeline = extensions.Pipeline(tuple(_Heavy(w) for w in weights), ((False,) * len(weights),) * 4)
    assert pipeline.weight(None) == _general_pipeline_weight(pipeline, None)


@pytest.mark.parametrize("info", [
    AccountInfo(1, 2, 3, 4, AccountData(5, 6, 7, 1 << 127)),
    AccountInfo(2**32 - 1, 0, 2**32 - 1, 0, AccountData(2**64 - 1, 0, 2**64 - 1, 2**128 - 1)),
    AccountInfo(),
])
def test_packed_account_info_is_the_field_by_field_encoding(info):
    general = bytearray()
    for field, attr in zip(ACCOUNT_INFO.fields, ACCOUNT_INFO.attrs, strict=True):
        field.codec.encode_into(getattr(info, attr), general)
    assert ACCOUNT_INFO.encode(info) == bytes(general)
    out = bytearray(b"\xff")
    ACCOUNT_INFO.encode_into(info, out)
    assert out == b"\xff" + general


@pytest.mark.parametrize("bad", [
    AccountInfo(nonce=True),
    AccountInfo(nonce=-1),
    AccountInfo(consumers=2**32),
    AccountInfo(data=AccountData(free=2**64)),
    AccountInfo(data=AccountData(flags=2**128)),
    AccountInfo(data=AccountData(flags=-1)),
    AccountInfo(data=AccountData(free=1.0)),
])
def test_values_the_packer_cannot_take_are_refused_as_the_field_encoder_refuses_them(bad):
    with pytest.raises(ScaleEncodeError):
        ACCOUNT_INFO.encode(bad)


def test_remembered_fee_parts_follow_the_bound_config():
    chain = Chain()
    info_weight = Weight(10**9, 100)

    def fee() -> int:
        return chain.read(lambda: fees.compute_fee_raw(120, info_weight, 0, "Yes", "Normal").final_fee())

    before = fee()
    assert before == chain.read(lambda: _fee_details_fresh(120, info_weight))
    with fees.pallet.bound(weight_to_fee=lambda w: w.ref_time):
        bound = fee()
        assert bound == chain.read(lambda: _fee_details_fresh(120, info_weight))
    assert bound != before
    assert fee() == before


def _fee_details_fresh(length: int, weight: Weight) -> int:
    base, len_fee, weight_fee = _general_fee_parts(length, weight, "Normal")
    return base + len_fee + fees.multiplier_mul_int(fees.NextFeeMultiplier.get(), weight_fee)


class _Small(enum.IntEnum):
    ONE = 1


def test_a_write_kept_decoded_reads_as_its_decoding():
    ext = Externalities(DictBackend({}))
    who = bytes(32 * [9])
    count = StorageValue(U32, default=0)
    count.bind("Test", "Count")
    with using(ext):
        info = AccountInfo(nonce=3, providers=1, data=AccountData(free=10))
        Account.insert(who, info)
        info.nonce = 99  # the writer changes its value after writing it
        info.data.free = 0
        read = Account.get(who)
        assert read == AccountInfo(nonce=3, providers=1, data=AccountData(free=10))
        assert type(read) is AccountInfo and type(read.data) is AccountData
        read.data.free = 1  # a reader's copy
        assert Account.peek(who).data.free == 10
        count.put(_Small.ONE)  # an int subclass: kept as bytes, read back as the int it decodes to
        assert count.get() == 1 and type(count.get()) is int
        count.put(7)
        assert count.get() == 7
    changes = ext.overlay.changes()
    assert changes[Account.hashed_key(who)] == ACCOUNT_INFO.encode(AccountInfo(nonce=3, providers=1,
                                                                               data=AccountData(free=10)))
    assert changes[count.storage_key] == U32.encode(7)


class _OtherWeight(Weight):
    __slots__ = ()


def test_a_struct_of_ints_decodes_to_itself_only_with_its_own_classes_and_exact_ints():
    from pysubtensor.pallets.system.types import CONSUMED_WEIGHT, PerDispatchClass

    w = Weight(5, 6)
    exact = PerDispatchClass(w, Weight(2**64 - 1, 0), Weight(0, 1))
    assert CONSUMED_WEIGHT.encode_exact(exact) == CONSUMED_WEIGHT.encode(exact)
    assert CONSUMED_WEIGHT.decode(CONSUMED_WEIGHT.encode(exact))[0] == exact
    assert CONSUMED_WEIGHT.encode_exact(PerDispatchClass(w, _OtherWeight(1, 2), w)) is None
    assert CONSUMED_WEIGHT.encode_exact(PerDispatchClass(w, Weight(True, 2), w)) is None
    assert CONSUMED_WEIGHT.encode_exact(PerDispatchClass(w, Weight(2**64, 2), w)) is None  # out of range
    assert CONSUMED_WEIGHT.encode_exact(PerDispatchClass(w, Weight(-1, 2), w)) is None
    assert CONSUMED_WEIGHT.encode_exact((w, w, w)) is None
    assert ACCOUNT_INFO.encode_exact(AccountInfo()) == ACCOUNT_INFO.encode(AccountInfo())
    assert ACCOUNT_INFO.encode_exact(AccountInfo(data=AccountData(flags=_Small.ONE))) is None


@pytest.mark.parametrize("seed", range(20))
def test_exact_encoding_is_the_codec_encoding(seed):
    """`encode_exact` against `encode` on structs of compacts, unsigned and signed ints and
    nested structs, with values around every bound: the same bytes, or None where the value
    is not an exact int in range."""
    from dataclasses import dataclass

    from pysubtensor.pallets.support.dispatch import WEIGHT
    from pysubtensor.pallets.system.types import CONSUMED_WEIGHT, PerDispatchClass
    from pysubtensor.primitives.scale import I16, U8, U64, Compact, Field

    @dataclass
    class Mixed:
        a: int
        b: int
        c: Any
        d: int

    mixed = Struct(("test", "Mixed"), (Field("a", U8, "u8"), Field("b", I16, "i16"), Field("c", WEIGHT, "Weight"),
                                       Field("d", Compact(U64), "Compact<u64>")), cls=Mixed)
    rng = random.Random(seed)
    edges = [0, 1, 63, 64, 2**14, 2**30, 255, 256, -1, -2**15, -2**15 - 1, 2**15 - 1, 2**15, 2**64 - 1, 2**64,
             True, _Small.ONE]
    pick = lambda: rng.choice(edges)  # noqa: E731
    for _ in range(200):
        for codec, value in ((mixed, Mixed(pick(), pick(), Weight(pick(), pick()), pick())),
                             (CONSUMED_WEIGHT, PerDispatchClass(Weight(pick(), pick()), Weight(pick(), pick()),
                                                                Weight(pick(), pick())))):
            try:
                expected: Any = codec.encode(value)
            except ScaleEncodeError:
                expected = None
            got = codec.encode_exact(value)
            if got is None:  # only for a value that is not exact: refused, or encoded from non-ints
                assert expected is None or any(type(x) is not int for x in codec._exact_leaves(value))
            else:
                assert got == expected


def test_block_weight_written_and_read_back_is_what_decoding_gives():
    from pysubtensor.pallets.system.pallet import BlockWeight
    from pysubtensor.pallets.system.types import PerDispatchClass

    ext = Externalities(DictBackend({}))
    with using(ext):
        odd = PerDispatchClass(Weight(1, 2), _OtherWeight(3, 4), Weight(5, 6))
        BlockWeight.put(odd)  # not kept decoded: read back as the codec decodes it
        assert type(BlockWeight.get().operational) is Weight
        BlockWeight.put(PerDispatchClass(Weight(7, 8), Weight(9, 10), Weight(11, 12)))
        assert BlockWeight.get() == PerDispatchClass(Weight(7, 8), Weight(9, 10), Weight(11, 12))
        with pytest.raises(ScaleEncodeError):
            BlockWeight.put(PerDispatchClass(Weight(2**64, 0), Weight(0, 0), Weight(0, 0)))


# ---------------------------------------------------------------------------
# Wave 7: the generic path of every signed extrinsic (issues 11 and 13)


def _write_outcome(path: Any, state: AccountInfo | None, amount: int) -> tuple:
    """What `path(who, amount, info)` leaves: its result or error, and every change it made
    (the account, events and their count) in a block-1 overlay."""
    from pysubtensor.pallets.support.dispatch import DispatchError
    from pysubtensor.pallets.system.pallet import Number

    who = bytes(32 * [5])
    ext = Externalities(DictBackend({}))
    with using(ext):
        Number.put(1)  # events are recorded (never in the genesis block)
        if state is not None:
            Account.insert(who, state)
        ext.overlay.start_transaction()
        try:
            outcome: tuple = ("ok", path(who, amount, system_accounts.account_ref(who)))
        except (DispatchError, ScaleEncodeError) as e:
            outcome = ("err", type(e).__name__, str(e))
        ext.overlay.commit_transaction()
    return outcome, ext.overlay.changes()


_ED = 500
_STATES = [None] + [
    AccountInfo(nonce=3, consumers=consumers, providers=providers, sufficients=sufficients,
                data=AccountData(free=free, reserved=reserved, frozen=frozen, flags=flags))
    for free in (0, 1, _ED - 1, _ED, 10**12)
    for reserved in (0, 7)
    for frozen in (0, 9)
    for providers, consumers, sufficients in ((0, 0, 0), (1, 0, 0), (1, 1, 0), (2, 0, 0), (0, 0, 1))
    for flags in (AccountData().flags, AccountData().flags | 1, 0)
]
_AMOUNTS = (0, 1, _ED - 1, _ED, 10**12 - 1, 10**12 + 5, 2**64)


@pytest.mark.parametrize("ed", [_ED, 0])
def test_setting_free_directly_stores_what_mutate_account_stores(monkeypatch, ed):
    """Balances' direct store of a free balance (`sets_free_directly` / `set_free`) against
    `mutate_account` (the general path), over account states around the existential deposit,
    with reserves, freezes, every kind of reference and both account logics."""
    assert fungible.minimum_balance() == _ED
    monkeypatch.setattr(balances_account, "ed", lambda: ed)
    monkeypatch.setattr(fungible, "minimum_balance", lambda: ed)
    taken = {"n": 0}
    real_set_free = balances_account.set_free

    def counting(*args: Any) -> None:
        taken["n"] += 1
        real_set_free(*args)

    monkeypatch.setattr(balances_account, "set_free", counting)
    cases = 0
    for state in _STATES:
        for amount in _AMOUNTS:
            fast = _write_outcome(fungible._write_balance, state, amount)
            general = _write_outcome(_general_write_balance, state, amount)
            assert fast == general, (state, amount)
            cases += 1
    assert cases == len(_STATES) * len(_AMOUNTS) and taken["n"] >= 30  # the direct store is taken (and compared)
    with using(Externalities(DictBackend({}))):
        with pytest.raises(ValueError):
            system_accounts.put_account_data(bytes(32), AccountInfo(), AccountData(free=1))


def test_a_memo_of_the_signature_check_follows_the_implicit_data(monkeypatch):
    """The check of a signed extrinsic remembers its pipeline, implicit data and key by its
    bytes: the same check again verifies nothing new; with other implicit data (another
    genesis hash) the payload is built again and the signature fails as before."""
    from pysubtensor.primitives import keys

    chain = Chain()
    xt = chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0)
    extensions.forget_verified_signatures()
    verified = {"n": 0}
    real_verify = keys.verify_multisignature

    def counting(*args: Any) -> bool:
        verified["n"] += 1
        return real_verify(*args)

    monkeypatch.setattr(extensions, "verify_multisignature", counting)
    first = chain.validate(xt)
    assert chain.validate(xt) == first and verified["n"] == 1
    assert xt in extensions._CHECKED
    extensions._VERIFIED.clear()  # the memo never stands for a verification
    assert chain.validate(xt) == first and verified["n"] == 2
    pipeline, implicit, key = extensions._CHECKED[xt]
    extensions._CHECKED[xt] = (pipeline, implicit[:-1] + b"\x00", key)  # as if another block's implicit data
    extensions._VERIFIED.clear()
    assert chain.validate(xt) == first and verified["n"] == 3
    assert extensions._CHECKED[xt][1] == implicit
    from pysubtensor.pallets.system.pallet import BlockHash
    from pysubtensor.runtime.executive import decode_extrinsic

    with using(Externalities(chain.backend())):
        BlockHash.insert(0, bytes(32 * [1]))  # another genesis: the implicit data move, the memo does not hold
        with pytest.raises(extensions.TransactionValidityError) as refused:
            extensions.check_signature(decode_extrinsic(xt))
    assert refused.value.reason == extensions.InvalidTransaction.BAD_PROOF


def _frozen_classes() -> list[type]:
    from pysubtensor.pallets.support.dispatch import DispatchInfo, PostDispatchInfo
    from pysubtensor.pallets.system.types import PerDispatchClass

    return [Weight, DispatchInfo, PostDispatchInfo, PerDispatchClass]


@pytest.mark.parametrize("cls", _frozen_classes(), ids=lambda c: c.__name__)
def test_hand_written_inits_of_frozen_values_are_the_dataclass_inits(cls):
    """Weights and dispatch infos set their slots directly (faster than the dataclass's frozen
    `__init__`): same parameters, order and defaults as the fields declare, still frozen."""
    import dataclasses
    import inspect

    fields = dataclasses.fields(cls)
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in params] == [f.name for f in fields]
    for p, f in zip(params, fields, strict=True):
        assert p.default == (inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
    values = [object() for _ in fields]
    made = cls(*values)
    assert [getattr(made, f.name) for f in fields] == values
    assert cls(**{f.name: v for f, v in zip(fields, values, strict=True)}) == made
    required = [f for f in fields if f.default is dataclasses.MISSING]
    if len(required) < len(fields):
        bare = cls(*values[:len(required)])
        assert [getattr(bare, f.name) for f in fields[len(required):]] == [f.default for f in fields[len(required):]]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, 1)


def _sample_values(codec: Any) -> list | None:
    """Values `codec` takes, and some it refuses, for the field kinds events encode without
    their codec (None: a codec this sampler does not know; the event is left out)."""
    from pysubtensor.primitives.scale import Compact, Enum, FixedBytes, Int

    inner = codec
    while isinstance(inner, Struct) and inner.cls is None and not inner.named and len(inner.fields) == 1:
        inner = inner.fields[0].codec
    if isinstance(inner, FixedBytes):
        n = inner.length
        return [bytes(range(n)), bytes(n + 1), bytearray(n), b"", 5]
    if isinstance(codec, Int):
        return [0, 1, codec.hi, codec.hi + 1, -1, True, 3.0] if not codec.signed else None
    if isinstance(codec, Compact) and isinstance(codec.inner, Int):
        return [0, 63, 64, 2**14, 2**30, codec.inner.hi, codec.inner.hi + 1, -1, False, _Small.ONE]
    if isinstance(codec, Enum) and all(not v.fields for v in codec.variants):
        return [v.name for v in codec.variants] + ["Nope", 0, (codec.variants[0].name, None)]
    if isinstance(codec, Struct) and codec.cls is not None and codec.named:
        per_field = [_sample_values(f.codec) for f in codec.fields]
        if any(v is None for v in per_field):
            return None
        values = []
        for i in range(max(len(v) for v in per_field)):
            values.append(codec.cls(*(v[i % len(v)] for v in per_field)))
        return [*values, None]
    return None


def test_events_encode_as_their_codec_encodes_them():
    """`encode_record`'s field encoders against `EVENT_RECORD.encode` (the codec) for every
    runtime event whose fields the sampler knows: the same bytes, or the same error (the
    event field's codec's, as before the field encoders)."""
    from pysubtensor.pallets.system import events
    from pysubtensor.pallets.system.pallet import EVENT_RECORD
    from pysubtensor.pallets.system.types import EventRecord
    from pysubtensor.runtime import construct

    Chain()  # the runtime wired
    compared = kinds = 0
    for outer in construct.RUNTIME_EVENT.variants:
        for variant in outer.fields[0].codec.variants:
            per_field = [_sample_values(f.codec) for f in variant.fields]
            if variant.cls is None or any(v is None for v in per_field):
                continue
            kinds += 1
            rounds = max((len(v) for v in per_field), default=1)
            for i in range(rounds):
                event = (outer.name, variant.cls(*(v[(i + j) % len(v)] for j, v in enumerate(per_field))))
                for phase, topics in ((("ApplyExtrinsic", i), ()), (("Finalization", None), [bytes(32)])):
                    try:
                        expected: Any = EVENT_RECORD.encode(EventRecord(phase, event, list(topics)))
                    except ScaleEncodeError as e:
                        expected = ("error", str(e))
                    try:
                        got: Any = events.encode_record(phase, event, topics)
                    except ScaleEncodeError as e:
                        got = ("error", str(e))
                    if isinstance(expected, bytes):
                        assert got == expected, event
                    else:  # refused alike: the record's codec names the path down to the field's error
                        assert got[0] == "error" and expected[1].endswith(": " + got[1]), (event, got, expected)
                    compared += 1
    assert kinds > 100 and compared > 1000


def test_each_event_field_encoder_is_its_codec():
    """Each kind of field encoder at the top of an event, against its codec: the same bytes
    for what the codec takes, the codec's own error for what it refuses."""
    from pysubtensor.pallets.support.dispatch import DISPATCH_CLASS, WEIGHT
    from pysubtensor.pallets.system import events
    from pysubtensor.primitives.scale import U64, U128, Compact, Field, FixedBytes
    from pysubtensor.primitives.types import ACCOUNT_ID

    one_named = Struct(("test", "Named"), (Field("key", FixedBytes(4), "[u8; 4]"),))  # no class: a dict
    for codec in (U64, U128, Compact(U64), ACCOUNT_ID, DISPATCH_CLASS, WEIGHT, one_named):
        samples = _sample_values(codec) or []
        for value in [*samples, b"abcd", {"key": b"abcd"}, -5, 2**70, None]:
            try:
                expected: Any = codec.encode(value)
            except ScaleEncodeError as e:
                expected = ("error", str(e))
            out = bytearray(b"\x07")
            try:
                events._encode_fields(_Holder(value), (("x", *events._field_plan(codec)),), out)
                got: Any = bytes(out[1:])
            except ScaleEncodeError as e:
                got = ("error", str(e))
            assert got == expected, (codec, value)


class _Holder:
    def __init__(self, x: Any) -> None:
        self.x = x
