"""The decoded-value cache of the overlay and the fast codec paths are invisible.

Storage reads decode a value once per block and hand out copies (primitives/externalities.py
`get_decoded`, `Codec.copy`); map keys' storage keys are remembered; fixed-size structs of
ints (AccountInfo) are packed in one `struct` call. None of it may change a byte: a block of
mixed transactions (successes, failed calls rolled back inside a batch, refused transactions,
an account reaped, pool validation between them) gives the same results, events, storage
changes and state root with the cache as with the plain read-and-decode it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.system.pallet import Account
from pysubtensor.pallets.system.types import AccountInfo
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.primitives.hashing import Blake2_128Concat, Twox64Concat
from pysubtensor.primitives.scale import (
    U32,
    U64,
    U128,
    BTreeMap,
    Enum,
    Field,
    Option,
    ScaleDecodeError,
    ScaleEncodeError,
    Struct,
    Tuple,
    Variant,
    Vec,
)
from tests.support.state import DictBackend
from tests.unit.test_executive import ALICE, BOB, CHARLIE, DAVE, Chain, transfer


def _uncached_get(self: Externalities, key: bytes) -> bytes | None:
    found, value = self.overlay.lookup(key)
    return value if found else self.backend.get(key)


def _uncached_get_decoded(self: Externalities, key: bytes, codec, shared: bool = False):
    raw = _uncached_get(self, key)
    return (False, None) if raw is None else (True, codec.decode(raw)[0])


def _mixed_block(chain: Chain) -> list:
    """Build two blocks of mixed transactions; returns what every observer could see."""
    fresh = bytes(range(32))  # a new account: endowed, then more sent to it
    balance = chain.account(DAVE.account_id).data.free
    xts = [
        chain.sign(ALICE, transfer(BOB.account_id, 10**9), nonce=0),
        chain.sign(ALICE, transfer(fresh, 600, keep_alive=False), nonce=1),  # endows
        chain.sign(DAVE, transfer(BOB.account_id, balance), nonce=0),  # fails after the fee: rolled back
        chain.sign(BOB, ("Utility", ("batch_all", {"calls": [
            transfer(CHARLIE.account_id, 5), transfer(CHARLIE.account_id, 10**30 // 10**12)]})), nonce=0),
        chain.sign(BOB, ("Utility", ("batch", {"calls": [
            transfer(CHARLIE.account_id, 7), transfer(DAVE.account_id, 2**63)]})), nonce=1),
        chain.sign(CHARLIE, transfer(BOB.account_id, 1), nonce=5),  # future nonce: refused
        chain.sign(CHARLIE, transfer(BOB.account_id, 1), nonce=0),
    ]
    seen: list = [chain.validate(x) for x in xts[:2]]
    block, results = chain.build(*xts)
    seen += [results, block.changes, block.header.state_root, chain.events()]
    # A second block on the first one's state (its values come from the backend again).
    xts2 = [chain.sign(ALICE, transfer(fresh, 3), nonce=2),
            chain.sign(CHARLIE, transfer(ALICE.account_id, 10**12), nonce=1)]
    seen.append(chain.validate(xts2[0]))
    block2, results2 = chain.build(*xts2)
    seen += [results2, block2.changes, block2.header.state_root, chain.events()]
    return seen


def test_a_mixed_block_is_the_same_with_and_without_the_cache(monkeypatch):
    cached_chain = Chain()
    # The same signed bytes for both runs (sr25519 signatures are randomized).
    signed: dict = {}
    original_sign = Chain.sign

    def sign_once(self, signer, call, **kw):
        key = (signer.account_id, repr(call), repr(sorted(kw.items())))
        if key not in signed:
            signed[key] = original_sign(self, signer, call, **kw)
        return signed[key]

    monkeypatch.setattr(Chain, "sign", sign_once)
    decodes = {"n": 0}
    real_decode = Struct.decode

    def counting_decode(self, data, offset=0):
        if self is Account.value:
            decodes["n"] += 1
        return real_decode(self, data, offset)

    monkeypatch.setattr(Struct, "decode", counting_decode)
    with_cache = _mixed_block(cached_chain)
    cached_decodes = decodes["n"]

    decodes["n"] = 0
    monkeypatch.setattr(Externalities, "get_decoded", _uncached_get_decoded)
    monkeypatch.setattr(Externalities, "get", _uncached_get)
    without = _mixed_block(Chain())
    assert decodes["n"] > 2 * cached_decodes  # the cache did serve reads

    assert with_cache == without
    results = with_cache[2]
    assert [r.included for r in results] == [True] * 6 + [False, True]
    assert [r.dispatch_error is not None for r in results if r.included] == [False, False, False, True, True, False, False]


@dataclass
class _Point:
    x: int
    ys: list


_POINT = Struct(("test", "Point"), (Field("x", U32), Field("ys", Vec(U64))), cls=_Point)


def _ext(items: dict[bytes, bytes] | None = None) -> Externalities:
    return Externalities(DictBackend(items or {}))


def _item(name: str, item):
    item.bind("Test", name)
    return item


def test_a_caller_mutating_what_it_read_changes_nothing_else():
    points = _item("Points", StorageMap(Blake2_128Concat, U32, _POINT, optional=True))
    ext = _ext({points.hashed_key(1): _POINT.encode(_Point(1, [2, 3]))})
    with using(ext):
        first = points.get(1)  # from the backend, now cached
        first.x = 99
        first.ys.append(4)
        assert points.get(1) == _Point(1, [2, 3])
        points.insert(2, _Point(5, [6]))
        second = points.get(2)  # decoded from the overlay's bytes, now cached there
        second.ys.clear()
        assert points.get(2) == _Point(5, [6])
        assert points.get(2) is not points.get(2)
    assert ext.overlay.changes() == {points.hashed_key(2): _POINT.encode(_Point(5, [6]))}


def test_decoded_values_follow_transactional_layers():
    counter = _item("Counter", StorageValue(U64, default=0))
    points = _item("Points", StorageMap(Twox64Concat, U32, _POINT, optional=True))
    ext = _ext({counter.storage_key: U64.encode(7)})
    overlay = ext.overlay
    with using(ext):
        counter.put(8)
        overlay.start_transaction()
        assert counter.get() == 8  # decodes layer 0's entry in place
        counter.put(9)
        overlay.start_transaction()
        assert counter.get() == 9
        points.insert(1, _Point(1, []))
        assert points.get(1) == _Point(1, [])
        overlay.rollback_transaction()
        assert counter.get() == 9 and points.get(1) is None
        overlay.rollback_transaction()
        assert counter.get() == 8
        overlay.start_transaction()
        counter.put(10)
        overlay.commit_transaction()
        assert counter.get() == 10
        # A failing dispatch's layer (the executive's `transaction()`): its writes go.
        with pytest.raises(RuntimeError), ext.transaction():
            counter.put(11)
            assert counter.get() == 11
            raise RuntimeError
        assert counter.get() == 10
    assert overlay.changes() == {counter.storage_key: U64.encode(10)}


def test_one_key_read_with_two_codecs_decodes_with_each():
    wide = _item("Wide", StorageValue(U64, optional=True))
    narrow = StorageValue(U32, optional=True)
    narrow.bind("Test", "Wide")  # the same key, read as u32 (trailing bytes ignored)
    with using(_ext({wide.storage_key: (2**40 + 5).to_bytes(8, "little")})):
        assert wide.get() == 2**40 + 5
        assert narrow.get() == 5
        assert wide.get() == 2**40 + 5


def test_an_undecodable_value_reads_as_absent_every_time(caplog):
    value = _item("V", StorageValue(U64, optional=True))
    ext = _ext({value.storage_key: b"\x01\x02"})
    with using(ext):
        assert value.get() is None
        assert value.get() is None
        assert ext.get(value.storage_key) == b"\x01\x02"


def test_appended_vectors_read_after_a_cached_read():
    items = _item("Items", StorageValue(Vec(U32), default=list))
    ext = _ext({items.storage_key: Vec(U32).encode([1])})
    with using(ext):
        assert items.get() == [1]  # cached in the read cache
        items.append(2)
        assert items.get() == [1, 2]
        ext.overlay.start_transaction()
        assert items.get() == [1, 2]  # the layer-0 entry is decoded in place
        items.append(3)
        assert items.get() == [1, 2, 3]
        ext.overlay.rollback_transaction()
        assert items.get() == [1, 2]
    assert ext.overlay.changes() == {items.storage_key: Vec(U32).encode([1, 2])}


def test_remembered_storage_keys_still_refuse_what_the_key_codec_refuses():
    points = _item("Points", StorageMap(Blake2_128Concat, U32, _POINT, optional=True))
    assert points.hashed_key(1) == points.hashed_key(1)
    with pytest.raises(ScaleEncodeError):
        points.hashed_key(True)  # True == 1, but a bool is not a u32
    with pytest.raises(ScaleEncodeError):
        points.hashed_key(2**32)
    with pytest.raises(ScaleEncodeError):
        points.hashed_key([1])  # unhashable: not remembered, refused by the codec
    before = points.hashed_key(1)
    points.bind("Other", "Points")
    assert points.hashed_key(1) != before and points.hashed_key(1).startswith(points.prefix)


def test_copies_share_nothing_mutable():
    @dataclass(frozen=True)
    class Frozen:
        a: int
        b: tuple

    frozen = Struct(("t", "F"), (Field("a", U32), Field("b", Tuple(U32, U32))), cls=Frozen)
    assert frozen.immutable and Option(frozen).immutable
    assert not Struct(("t", "F"), (Field("a", U32), Field("b", Vec(U32))), cls=Frozen).immutable
    nested = Vec(Option(_POINT))
    value = [_Point(1, [2]), None]
    copy = nested.copy(value)
    assert copy == value and copy[0] is not value[0] and copy[0].ys is not value[0].ys
    bmap = BTreeMap(U32, Vec(U32))
    m = {1: [2]}
    assert bmap.copy(m) == m and bmap.copy(m)[1] is not m[1]
    enum = Enum(("t", "E"), (Variant("A", 0, (Field("xs", Vec(U32)),)), Variant("B", 1)))
    assert not enum.immutable
    a = ("A", {"xs": [1]})
    assert enum.copy(a) == a and enum.copy(a)[1]["xs"] is not a[1]["xs"]
    assert enum.copy(("B", None)) == ("B", None)


def test_fixed_layout_structs_encode_and_decode_as_the_generic_codec():
    codec = Account.value
    assert codec._packer is not None
    info = AccountInfo(nonce=4_000_000_000, consumers=1, providers=2, sufficients=3)
    info.data.free, info.data.reserved, info.data.frozen, info.data.flags = 2**64 - 1, 5, 6, 2**127 + 9
    fast = codec.encode(info)
    generic = bytearray()
    for f, attr in zip(codec.fields, codec.attrs, strict=True):
        f.codec.encode_into(getattr(info, attr), generic)
    assert fast == bytes(generic)
    assert fast == (4_000_000_000).to_bytes(4, "little") + bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]) \
        + (2**64 - 1).to_bytes(8, "little") + (5).to_bytes(8, "little") + (6).to_bytes(8, "little") \
        + (2**127 + 9).to_bytes(16, "little")
    assert codec.decode(fast + b"\xff") == (info, len(fast))
    # Out of range or of the wrong type: the generic codec's error, naming the type.
    for field, bad in (("nonce", 2**32), ("nonce", True), ("nonce", -1)):
        wrong = AccountInfo(**{field: bad})
        with pytest.raises(ScaleEncodeError, match="u32"):
            codec.encode(wrong)
    wrong = AccountInfo()
    wrong.data.flags = 2**128
    with pytest.raises(ScaleEncodeError, match="u128"):
        codec.encode(wrong)
    with pytest.raises(ScaleDecodeError):
        codec.decode(fast[:-1])
    assert U128.decode(fast, 40)[0] == 2**127 + 9


def test_the_read_cache_is_per_externalities():
    value = _item("V", StorageValue(U64, default=0))
    items = {value.storage_key: U64.encode(1)}
    with using(_ext(items)):
        assert value.get() == 1
    items[value.storage_key] = U64.encode(2)  # a new state: a new Externalities sees it
    with using(_ext(items)):
        assert value.get() == 2


def test_without_the_decode_cache_only_bytes_are_kept():
    # Genesis building writes each account once: decoded copies would only hold memory.
    counter = _item("Counter", StorageValue(U64, default=0))
    ext = Externalities(DictBackend({counter.storage_key: U64.encode(1)}), decode_cache=False)
    with using(ext):
        assert counter.get() == 1
        counter.put(2)
        assert counter.get() == 2
    assert ext.overlay.changes() == {counter.storage_key: U64.encode(2)}
    kept = [*ext._read_cache.values(), *(v for layer in ext.overlay._layers for v in layer.values())]
    assert kept and all(type(v) is bytes for v in kept)


def test_peek_shares_the_cached_value_and_get_still_copies():
    # `peek` (read-only callers: System's reference counts, Balances' `info`) hands out the
    # cached value itself; `get` a copy whose changes reach nothing else.
    who = bytes(range(32))
    ext = Externalities(DictBackend({Account.hashed_key(who): Account.value.encode(AccountInfo(nonce=5))}))
    with using(ext):
        seen = Account.peek(who)
        assert Account.peek(who) is seen and seen.nonce == 5
        mine = Account.get(who)
        assert mine is not seen
        mine.nonce = 99
        mine.data.free = 7
        assert Account.peek(who).nonce == 5 and Account.peek(who).data.free == 0
        Account.insert(who, mine)  # a write replaces the entry: the next peek sees it
        assert Account.peek(who).nonce == 99
    assert Account.peek.__doc__ and "must not be changed" in Account.peek.__doc__
