"""The storage API (pallets/support/storage.py) against things we did not write:

- key layouts: substrate-interface's `StorageKey.create_from_storage_function` over the real
  finney (spec 343) metadata, for the double maps `SubtensorModule.Uids` (Identity u16,
  Blake2_128Concat AccountId), `Keys` (Identity, Identity), `WeightCommits` (Twox64Concat x2),
  the N-maps `Alpha` (Blake2_128Concat, Blake2_128Concat, Identity), `TransactionKeyLastBlock`
  and `RootClaimed`, and the counted map `Ethereum.Pending` with its `CounterForPending`;
  values are compared with scalecodec's encoding;
- hashers of test-only maps with non-reversible hashers: substrate-interface's hasher helpers;
- the verbs' semantics: frame-support's storage types (polkadot-sdk
  substrate/frame/support/src/storage/{types,generator,unhashed.rs}) and sp-state-machine's
  `Ext::clear_prefix`, whose behaviour each test states.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from substrateinterface.utils import hasher as si_hasher

from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.pallets.support.storage import (
    CountedStorageMap,
    MultiRemovalResults,
    StorageDoubleMap,
    StorageMap,
    StorageNMap,
    StorageValue,
)
from pysubtensor.primitives.externalities import Externalities, current, using
from pysubtensor.primitives.hashing import (
    Blake2_128,
    Blake2_128Concat,
    Identity,
    Twox64Concat,
    Twox128,
)
from pysubtensor.primitives.scale import U16, U32, U64, U128, Field, Struct, Tuple, Vec, encode_compact
from pysubtensor.primitives.types import ACCOUNT_ID
from tests.support.metadata import FINNEY_343_V14 as FINNEY
from tests.support.metadata import oracle_key, real_pallet, scalecodec_finney
from tests.support.state import DictBackend

# -- the items, declared as the real pallets declare them (value types simplified where the
# key layout is what is checked: Alpha's U64F64 is a u128 underneath).
subtensor = Pallet("SubtensorModule", 7, crate="pallet_subtensor")
Uids = subtensor.storage("Uids", StorageDoubleMap(Identity, U16, Blake2_128Concat, ACCOUNT_ID, U16, optional=True))
Keys = subtensor.storage("Keys", StorageDoubleMap(Identity, U16, Identity, U16, ACCOUNT_ID, default=bytes(32)))
Weights = subtensor.storage("Weights", StorageDoubleMap(Identity, U16, Identity, U16, Vec(Tuple(U16, U16)),
                                                        default=list))
WeightCommits = subtensor.storage("WeightCommits", StorageDoubleMap(Twox64Concat, U16, Twox64Concat, ACCOUNT_ID,
                                                                    Vec(U64), optional=True))
Alpha = subtensor.storage("Alpha", StorageNMap(((Blake2_128Concat, ACCOUNT_ID), (Blake2_128Concat, ACCOUNT_ID),
                                                (Identity, U16)), U128, default=0))
TransactionKeyLastBlock = subtensor.storage("TransactionKeyLastBlock", StorageNMap(
    ((Blake2_128Concat, ACCOUNT_ID), (Identity, U16), (Identity, U16)), U64, default=0))
RootClaimed = subtensor.storage("RootClaimed", StorageNMap(
    ((Identity, U16), (Blake2_128Concat, ACCOUNT_ID), (Blake2_128Concat, ACCOUNT_ID)), U128, default=0))

ethereum = Pallet("Ethereum", 21, crate="pallet_ethereum")
Pending = ethereum.storage("Pending", CountedStorageMap(Identity, U32, Vec(U32), optional=True))

# Test-only items (not on chain): hashers that do not keep the key, and a ValueQuery counted map.
test_pallet = Pallet("StorageApiTest", 200, crate="pallet_storage_api_test")
Hashed = test_pallet.storage("Hashed", StorageMap(Blake2_128, U32, U32, optional=True))
HalfHashed = test_pallet.storage("HalfHashed", StorageDoubleMap(Twox128, U16, Blake2_128Concat, U32, U32,
                                                                optional=True))
Counted = test_pallet.storage("Counted", CountedStorageMap(Twox64Concat, U16, U32, default=7))
Total = test_pallet.storage("Total", StorageValue(U64, default=5))
Maybe = test_pallet.storage("Maybe", StorageValue(U32, optional=True))
Log = test_pallet.storage("Log", StorageValue(Struct(("bounded_collections", "bounded_vec", "BoundedVec"),
                                                     (Field(None, Vec(U32), "Vec<T>"),)), default=list))


# -- the oracle: substrate-interface over the real metadata

def encoded(type_string: str, value: Any) -> bytes:
    rc, _ = scalecodec_finney()
    return bytes(rc.create_scale_object(type_string).encode(value).data)


def commit(ext: Externalities) -> Externalities:
    """A new block over the state `ext` leaves: its writes become committed (backend) keys."""
    state = dict(ext.backend.items)
    for k, v in ext.overlay.changes().items():
        if v is None:
            state.pop(k, None)
        else:
            state[k] = v
    return Externalities(DictBackend(state))


accounts = st.binary(min_size=32, max_size=32)
u16s = st.integers(0, 0xFFFF)


# ---------------------------------------------------------------------------
# Key layouts


def test_the_test_items_are_declared_as_on_chain():
    real = {e.name: e for e in real_pallet(FINNEY, "SubtensorModule").storage.entries}
    for item in (Uids, Keys, Weights, WeightCommits, Alpha, TransactionKeyLastBlock, RootClaimed):
        entry = real[item.name]
        assert ([h.name for h in item.hashers], item.modifier) == (list(entry.ty.hashers), entry.modifier), item
    pending = next(e for e in real_pallet(FINNEY, "Ethereum").storage.entries if e.name == "Pending")
    assert ([h.name for h in Pending.hashers], Pending.modifier) == (list(pending.ty.hashers), pending.modifier)


@settings(max_examples=40, deadline=None)
@given(netuid=u16s, hotkey=accounts, uid=u16s, other=accounts)
def test_double_map_keys_and_values_are_the_real_ones(netuid, hotkey, uid, other):
    assert Uids.hashed_key(netuid, hotkey) == oracle_key("SubtensorModule", "Uids", netuid, hotkey)
    assert Uids.prefix_key(netuid) == oracle_key("SubtensorModule", "Uids", netuid)
    assert Keys.hashed_key(netuid, uid) == oracle_key("SubtensorModule", "Keys", netuid, uid)
    assert WeightCommits.hashed_key(netuid, other) == oracle_key("SubtensorModule", "WeightCommits", netuid, other)
    assert WeightCommits.prefix_key(netuid) == oracle_key("SubtensorModule", "WeightCommits", netuid)
    with using(Externalities(DictBackend())) as ext:
        Uids.insert(netuid, hotkey, uid)
        Keys.insert(netuid, uid, other)
        assert ext.get(oracle_key("SubtensorModule", "Uids", netuid, hotkey)) == encoded("u16", uid)
        assert ext.get(oracle_key("SubtensorModule", "Keys", netuid, uid)) == encoded("AccountId", "0x" + other.hex())
        assert list(Uids.iter()) == [((netuid, hotkey), uid)]
        assert list(Keys.iter_prefix(netuid)) == [(uid, other)]


@settings(max_examples=40, deadline=None)
@given(hot=accounts, cold=accounts, netuid=u16s, n2=u16s)
def test_nmap_keys_are_the_real_ones(hot, cold, netuid, n2):
    assert Alpha.hashed_key(hot, cold, netuid) == oracle_key("SubtensorModule", "Alpha", hot, cold, netuid)
    assert Alpha.prefix_key(hot) == oracle_key("SubtensorModule", "Alpha", hot)
    assert Alpha.prefix_key(hot, cold) == oracle_key("SubtensorModule", "Alpha", hot, cold)
    assert TransactionKeyLastBlock.hashed_key(hot, netuid, n2) == \
        oracle_key("SubtensorModule", "TransactionKeyLastBlock", hot, netuid, n2)
    assert RootClaimed.hashed_key(netuid, hot, cold) == oracle_key("SubtensorModule", "RootClaimed", netuid, hot, cold)
    assert RootClaimed.prefix_key(netuid, hot) == oracle_key("SubtensorModule", "RootClaimed", netuid, hot)
    with using(Externalities(DictBackend())) as ext:
        Alpha.insert(hot, cold, netuid, 10**30)
        assert ext.get(oracle_key("SubtensorModule", "Alpha", hot, cold, netuid)) == encoded("u128", 10**30)
        assert list(Alpha.iter()) == [((hot, cold, netuid), 10**30)]
        assert list(Alpha.iter_prefix(hot)) == [((cold, netuid), 10**30)]
        assert list(Alpha.iter_prefix(hot, cold)) == [(netuid, 10**30)]
        assert list(Alpha.iter_key_prefix(hot)) == [(cold, netuid)]


def test_counted_map_keys_and_counter_entry_are_the_real_ones():
    assert Pending.hashed_key(7) == oracle_key("Ethereum", "Pending", 7)
    assert Pending.counter.storage_key == oracle_key("Ethereum", "CounterForPending")
    # Metadata: the counter follows the map, with frame-support's modifier, default and docs.
    real = real_pallet(FINNEY, "Ethereum").storage.entries
    names = [e.name for e in real]
    ours = [i.name for i in ethereum.storage_items]
    assert ours == names[names.index("Pending"):names.index("Pending") + 2] == ["Pending", "CounterForPending"]
    entry = real[names.index("CounterForPending")]
    counter = ethereum.storage_items[1]
    assert counter is Pending.counter
    assert (counter.modifier, counter.default_bytes, list(counter.docs)) == \
        (entry.modifier, entry.default, list(entry.docs))
    assert not hasattr(entry.ty, "hashers")
    with using(Externalities(DictBackend())) as ext:
        Pending.insert(7, [1, 2])
        assert ext.get(oracle_key("Ethereum", "CounterForPending")) == encoded("u32", 1)
        assert ext.get(oracle_key("Ethereum", "Pending", 7)) == encoded("Vec<u32>", [1, 2])


def test_a_counter_name_taken_by_another_item_is_refused():
    p = Pallet("Clash", 201, crate="pallet_clash")
    p.storage("CounterForThings", StorageValue(U32, default=0))
    with pytest.raises(TypeError, match="CounterForThings declared twice"):
        p.storage("Things", CountedStorageMap(Identity, U32, U32, optional=True))


def test_keys_of_non_reversible_hashers():
    assert Hashed.hashed_key(5) == Hashed.prefix + si_hasher.blake2_128(U32.encode(5))
    assert HalfHashed.hashed_key(3, 9) == \
        HalfHashed.prefix + bytes(si_hasher.xxh128(U16.encode(3))) + si_hasher.blake2_128_concat(U32.encode(9))
    assert Counted.hashed_key(4) == Counted.prefix + si_hasher.two_x64_concat(U16.encode(4))


# ---------------------------------------------------------------------------
# Iteration: storage-key order, over committed and pending writes alike


def _populate(seed: int) -> tuple[Externalities, dict[tuple[int, bytes], int]]:
    """Uids entries under netuids 1..3, half committed, half written in the block, a few
    removed in the block; inserted in random (never key) order. Returns the live entries."""
    rng = random.Random(seed)
    entries = {(rng.randint(1, 3), rng.randbytes(32)): rng.randint(0, 0xFFFF) for _ in range(40)}
    items = list(entries.items())
    rng.shuffle(items)
    with using(Externalities(DictBackend())) as ext:
        for (netuid, hotkey), uid in items[:20]:
            Uids.insert(netuid, hotkey, uid)
    ext = commit(ext)
    with using(ext):
        for (netuid, hotkey), uid in items[20:]:
            Uids.insert(netuid, hotkey, uid)
        for (netuid, hotkey), _ in items[15:25]:
            Uids.remove(netuid, hotkey)
            del entries[(netuid, hotkey)]
    return ext, entries


@pytest.mark.parametrize("seed", range(3))
def test_iteration_is_in_storage_key_order(seed):
    ext, entries = _populate(seed)
    by_key = sorted(entries, key=lambda k: oracle_key("SubtensorModule", "Uids", *k))
    assert [k for k in by_key] != list(entries)  # insertion order is not key order
    with using(ext):
        assert list(Uids.iter()) == [(k, entries[k]) for k in by_key]
        assert list(Uids.iter_keys()) == by_key
        assert list(Uids.iter_values()) == [entries[k] for k in by_key]
        for netuid in (1, 2, 3, 4):
            under = [k for k in by_key if k[0] == netuid]
            assert list(Uids.iter_prefix(netuid)) == [(h, entries[(n, h)]) for n, h in under]
            assert list(Uids.iter_key_prefix(netuid)) == [h for _, h in under]
            assert list(Uids.iter_prefix_values(netuid)) == [entries[k] for k in under]
            assert Uids.contains_prefix(netuid) == bool(under)
        # iter_from continues after a raw key; iter_keys_from likewise.
        middle = Uids.hashed_key(*by_key[4])
        assert list(Uids.iter_from(middle)) == [(k, entries[k]) for k in by_key[5:]]
        assert list(Uids.iter_keys_from(middle)) == by_key[5:]


def test_nmap_iter_prefix_gives_the_remaining_keys_in_key_order():
    rng = random.Random(7)
    hot = [rng.randbytes(32) for _ in range(3)]
    cold = [rng.randbytes(32) for _ in range(3)]
    entries = {(h, c, n): rng.randint(1, 10**20) for h in hot for c in cold for n in (0, 1, 300)}
    with using(Externalities(DictBackend())):
        for k in rng.sample(list(entries), len(entries)):
            Alpha.insert(*k, entries[k])
        by_key = sorted(entries, key=lambda k: oracle_key("SubtensorModule", "Alpha", *k))
        assert list(Alpha.iter()) == [(k, entries[k]) for k in by_key]
        h0 = [k for k in by_key if k[0] == hot[0]]
        assert list(Alpha.iter_prefix(hot[0])) == [((c, n), entries[(h, c, n)]) for h, c, n in h0]
        h0c1 = [k for k in h0 if k[1] == cold[1]]
        assert list(Alpha.iter_prefix(hot[0], cold[1])) == [(n, entries[k]) for k in h0c1 for n in [k[2]]]
        assert list(Alpha.iter_prefix_values(hot[0], cold[1])) == [entries[k] for k in h0c1]
        with pytest.raises(TypeError, match="1 to 2"):
            Alpha.iter_prefix(hot[0], cold[1], 0)
        with pytest.raises(TypeError, match="1 to 2"):
            Alpha.iter_prefix()


def test_non_reversible_hashers_iterate_values_only():
    with using(Externalities(DictBackend())):
        for k in (5, 1, 9, 3):
            Hashed.insert(k, k * 10)
            HalfHashed.insert(1, k, k * 100)
            HalfHashed.insert(2, k, k)
        order = sorted((5, 1, 9, 3), key=lambda k: si_hasher.blake2_128(U32.encode(k)))
        assert list(Hashed.iter_values()) == [k * 10 for k in order]
        with pytest.raises(TypeError, match="Blake2_128 hasher does not keep the key"):
            Hashed.iter()
        with pytest.raises(TypeError, match="does not keep the key"):
            Hashed.iter_keys()
        with pytest.raises(TypeError, match="does not keep the key"):
            Hashed.drain()
        # The first key's hasher is skipped by its length; the second is read back.
        order2 = sorted((5, 1, 9, 3), key=lambda k: si_hasher.blake2_128_concat(U32.encode(k)))
        assert list(HalfHashed.iter_prefix(1)) == [(k, k * 100) for k in order2]
        with pytest.raises(TypeError, match="Twox128 hasher does not keep the key"):
            HalfHashed.iter_keys()


def test_iteration_skips_what_does_not_decode():
    """frame-support's PrefixIterator logs and skips an undecodable entry; `unhashed::get`
    reads one as absent."""
    with using(Externalities(DictBackend())) as ext:
        for k in (1, 2, 3):
            Counted.insert(k, k)
        ext.set(Counted.hashed_key(2), b"\x01")  # not a u32
        assert list(Counted.iter()) == [(k, k) for k in sorted((1, 3), key=Counted.hashed_key)]
        assert Counted.get(2) == 7 and Counted.try_get(2) is None and Counted.contains_key(2)
        ext.set(Counted.hashed_key(3), U32.encode(9) + b"\xff")  # trailing bytes are ignored
        assert Counted.get(3) == 9


# ---------------------------------------------------------------------------
# Query kinds, mutate and try_mutate


def test_option_query():
    with using(Externalities(DictBackend())) as ext:
        assert Uids.get(1, b"\x01" * 32) is None and Uids.try_get(1, b"\x01" * 32) is None
        assert Uids.mutate(1, b"\x01" * 32, lambda v: (v or 0) + 4) == 4
        assert Uids.get(1, b"\x01" * 32) == 4
        assert Uids.mutate(1, b"\x01" * 32, lambda v: None) is None  # to None removes
        assert not Uids.contains_key(1, b"\x01" * 32)
        Uids.set(1, b"\x02" * 32, 3)
        assert Uids.take(1, b"\x02" * 32) == 3 and Uids.take(1, b"\x02" * 32) is None
        Uids.set(1, b"\x02" * 32, None)
        assert ext.overlay.changes()[Uids.hashed_key(1, b"\x02" * 32)] is None
        assert Uids.mutate_exists(1, b"\x03" * 32, lambda v: 8 if v is None else v) == 8
        assert Maybe.get() is None
        Maybe.set(3)
        assert Maybe.mutate(lambda v: None) is None and not Maybe.exists()


def test_value_query_writes_what_mutate_returns_even_the_default():
    """frame-support's `ValueQuery::from_query_to_optional_value` is `Some(v)`: a mutation
    always stores its result, also when it equals the default."""
    with using(Externalities(DictBackend())) as ext:
        assert Counted.get(1) == 7 and Counted.try_get(1) is None and Counted.take(1) == 7
        assert Counted.mutate(1, lambda v: v) == 7
        assert ext.get(Counted.hashed_key(1)) == U32.encode(7) and Counted.count() == 1
        assert Total.get() == 5 and not Total.exists()
        Total.mutate(lambda v: v)
        assert ext.get(Total.storage_key) == U64.encode(5)
        assert Total.take() == 5 and Total.take() == 5 and not Total.exists()
        # mutate_exists sees the stored value or None, whatever the query kind; None removes.
        assert Counted.mutate_exists(1, lambda v: None) is None and not Counted.contains_key(1)
        assert Total.mutate_exists(lambda v: 9 if v is None else None) == 9 and Total.get() == 9


class Refused(Exception):
    pass


def _raise(value: Any) -> Any:
    raise Refused("raised")


def _refuse(value: Any) -> Any:
    current().set(b"side-effect", b"1")
    raise Refused("no")


def test_try_mutate_writes_nothing_on_error_and_propagates_it():
    with using(Externalities(DictBackend())) as ext:
        Keys.insert(1, 2, b"\x05" * 32)
        before = ext.overlay.changes()
        with pytest.raises(Refused):
            Keys.try_mutate(1, 2, _raise)
        with pytest.raises(Refused):
            Keys.try_mutate(1, 3, lambda v: Refused("returned, not raised"))
        with pytest.raises(Refused):
            Uids.try_mutate_exists(1, b"\x01" * 32, lambda v: Refused("returned"))
        with pytest.raises(Refused):
            Total.try_mutate(lambda v: Refused("returned"))
        assert ext.overlay.changes() == before
        assert Keys.try_mutate(1, 3, lambda v: b"\x06" * 32) == b"\x06" * 32
        assert Keys.get(1, 3) == b"\x06" * 32


def test_try_mutate_other_writes_roll_back_with_the_storage_layer():
    """As frame-support: `try_mutate` withholds only its own entry. Other writes of `fn` are
    rolled back when the error leaves a storage layer (every dispatch runs in one); an error
    caught inside the layer keeps them, as it does in a Rust pallet."""
    with using(Externalities(DictBackend({b"side-effect": b"0"}))) as ext:
        Counted.insert(1, 10)
        with pytest.raises(Refused), ext.transaction():
            Counted.try_mutate(1, _refuse)
        assert ext.get(b"side-effect") == b"0"
        assert Counted.get(1) == 10 and Counted.count() == 1
        with ext.transaction():
            with pytest.raises(Refused):
                Counted.try_mutate(1, _refuse)
        assert ext.get(b"side-effect") == b"1"
        assert Counted.get(1) == 10 and Counted.count() == 1


# ---------------------------------------------------------------------------
# The counted map's counter


count_ops = st.lists(st.tuples(
    st.sampled_from(["insert", "remove", "take", "set", "set_none", "mutate", "mutate_none", "try_mutate_fail",
                     "try_mutate", "mutate_exists", "mutate_exists_none", "try_mutate_exists_fail", "append",
                     "swap", "drain_one", "translate"]),
    st.integers(0, 5), st.integers(0, 5)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(ops=count_ops, committed=st.booleans())
def test_counted_map_counter_follows_every_verb(ops, committed):
    """`count()` equals the number of entries after any sequence of verbs (OptionQuery)."""
    model: dict[int, list[int]] = {}
    ext = Externalities(DictBackend())
    with using(ext):
        for k in (0, 2, 4):
            Pending.insert(k, [k])
            model[k] = [k]
    if committed:
        ext = commit(ext)
    with using(ext):
        for op, a, b in ops:
            if op == "insert":
                Pending.insert(a, [b])
                model[a] = [b]
            elif op == "remove":
                Pending.remove(a)
                model.pop(a, None)
            elif op == "take":
                assert Pending.take(a) == model.pop(a, None)
            elif op == "set":
                Pending.set(a, [b])
                model[a] = [b]
            elif op == "set_none":
                Pending.set(a, None)
                model.pop(a, None)
            elif op == "mutate":
                assert Pending.mutate(a, lambda v, b=b: [*(v or []), b]) == [*model.get(a, []), b]
                model[a] = [*model.get(a, []), b]
            elif op in ("mutate_none", "mutate_exists_none"):
                getattr(Pending, op.removesuffix("_none"))(a, lambda v: None)
                model.pop(a, None)
            elif op == "try_mutate_fail":
                with pytest.raises(Refused):
                    Pending.try_mutate(a, lambda v: Refused())
            elif op == "try_mutate_exists_fail":
                with pytest.raises(Refused):
                    Pending.try_mutate_exists(a, _refuse)
            elif op in ("try_mutate", "mutate_exists"):
                getattr(Pending, op)(a, lambda v, b=b: [b])
                model[a] = [b]
            elif op == "append":
                Pending.append(a, b)
                model[a] = [*model.get(a, []), b]
            elif op == "swap":
                Pending.swap(a, b)
                va, vb = model.pop(a, None), model.pop(b, None)
                model.update({k: v for k, v in ((a, vb), (b, va)) if v is not None})
            elif op == "drain_one":
                for k, v in Pending.drain():
                    assert model.pop(k) == v
                    break
            elif op == "translate":
                Pending.translate(lambda k, v, a=a, b=b: None if k == a else [*v, b])
                model = {k: [*v, b] for k, v in model.items() if k != a}
            assert Pending.count() == len(model), op
        assert dict(Pending.iter()) == model
        assert Pending.initialize_counter() == len(model)


def test_counted_map_verbs_one_by_one():
    """frame-support's own counted-map test sequence (ValueQuery, default 7)."""
    with using(Externalities(DictBackend())) as ext:
        assert Counted.count() == 0 and not ext.exists(Counted.counter.storage_key)
        Counted.insert(3, 10)
        assert Counted.count() == 1
        Counted.swap(4, 3)
        assert (Counted.try_get(3), Counted.get(4), Counted.count()) == (None, 10, 1)
        Counted.insert(3, 11)
        Counted.insert(3, 12)  # an existing key: no increment
        assert Counted.count() == 2
        Counted.remove(2)  # absent: no decrement
        assert Counted.count() == 2
        Counted.mutate(2, lambda v: v)  # ValueQuery: creates the entry with the default
        assert (Counted.try_get(2), Counted.count()) == (7, 3)
        with pytest.raises(Refused):
            Counted.try_mutate(1, lambda v: Refused())
        assert Counted.count() == 3
        assert Counted.take(4) == 10 and Counted.take(4) == 7
        assert Counted.count() == 2
        assert [k for k, _ in Counted.drain()] == sorted((2, 3), key=Counted.hashed_key)
        assert Counted.count() == 0


def test_counted_map_clear_with_a_limit():
    """`clear` kills the counter once nothing remains, else reduces it by the keys removed
    from committed state (frame-support's `saturating_reduce(result.unique)`; as in FRAME,
    keys written in this block are removed uncounted)."""
    with using(Externalities(DictBackend())) as ext:
        for k in range(5):
            Counted.insert(k, k)
    ext = commit(ext)
    with using(ext):
        assert Counted.clear(limit=2) == MultiRemovalResults(Counted.prefix, 2, 2, 2)
        assert Counted.count() == 3 and len(list(Counted.iter_keys())) == 3
        Counted.insert(9, 9)
        assert Counted.count() == 4
        # Without a usable cursor the walk restarts at the prefix: the one committed key it
        # visits was already removed, so only the block's key 9 goes, uncounted.
        assert Counted.clear(limit=1, cursor=b"ignored") == MultiRemovalResults(Counted.prefix, 1, 1, 1)
        assert Counted.count() == 3 and len(list(Counted.iter_keys())) == 3
        assert Counted.clear(limit=10) == MultiRemovalResults(None, 5, 5, 5)
        assert Counted.count() == 0 and ext.get(Counted.counter.storage_key) is None


# ---------------------------------------------------------------------------
# clear_prefix, drain, swap


def test_clear_prefix_limits_committed_keys_and_leaves_other_prefixes():
    accounts_ = [bytes([i]) * 32 for i in range(1, 9)]
    with using(Externalities(DictBackend())) as ext:
        for i, a in enumerate(accounts_[:5]):
            Uids.insert(1, a, i)
        Uids.insert(2, accounts_[0], 0)
    ext = commit(ext)
    with using(ext):
        Uids.insert(1, accounts_[6], 6)
        Uids.insert(1, accounts_[7], 7)
        r = Uids.clear_prefix(1, limit=2)
        assert r == MultiRemovalResults(oracle_key("SubtensorModule", "Uids", 1), 2, 2, 2)
        assert len(list(Uids.iter_prefix(1))) == 3 and not Uids.contains_key(1, accounts_[6])
        assert Uids.clear_prefix(1, limit=0) == MultiRemovalResults(Uids.prefix_key(1), 0, 0, 0)
        # The walk restarts at the prefix: the 2 committed keys removed above are visited
        # again and counted (sp-io reports loops), as a Rust node would.
        assert Uids.clear_prefix(1, limit=None) == MultiRemovalResults(None, 5, 5, 5)
        assert not Uids.contains_prefix(1) and list(Uids.iter()) == [((2, accounts_[0]), 0)]
        assert Alpha.clear_prefix(b"\x01" * 32, b"\x02" * 32) == MultiRemovalResults(None, 0, 0, 0)
        with pytest.raises(TypeError):
            Counted.clear_prefix(1)


def test_drain_removes_in_key_order_and_stops_where_the_caller_stops():
    ext, entries = _populate(11)
    by_key = sorted(entries, key=lambda k: oracle_key("SubtensorModule", "Uids", *k))
    with using(ext):
        on_2 = [k for k in by_key if k[0] == 2]
        assert list(Uids.drain_prefix(2)) == [(h, entries[(n, h)]) for n, h in on_2]
        assert not Uids.contains_prefix(2)
        rest = [k for k in by_key if k[0] != 2]
        it = Uids.drain()
        assert [next(it), next(it)] == [(k, entries[k]) for k in rest[:2]]
        del it
        assert list(Uids.iter_keys()) == rest[2:]
        assert list(Uids.drain()) == [(k, entries[k]) for k in rest[2:]]
        assert list(Uids.iter()) == []


def test_swap():
    a, b = b"\x01" * 32, b"\x02" * 32
    with using(Externalities(DictBackend())):
        Uids.insert(1, a, 5)
        Uids.swap((1, a), (2, b))
        assert (Uids.get(1, a), Uids.get(2, b)) == (None, 5)
        Uids.insert(1, a, 6)
        Uids.swap((1, a), (2, b))
        assert (Uids.get(1, a), Uids.get(2, b)) == (5, 6)


# ---------------------------------------------------------------------------
# append and decode_len


def test_append_and_decode_len_match_scalecodec():
    with using(Externalities(DictBackend())) as ext:
        assert Weights.decode_len(1, 2) is None and Weights.get(1, 2) == []  # the default is ignored
        Weights.append(1, 2, (3, 100))
        key = oracle_key("SubtensorModule", "Weights", 1, 2)
        assert ext.get(key) == encoded("Vec<(u16, u16)>", [(3, 100)])
        for i in range(70):  # crosses the one-byte compact length at 64
            Weights.append(1, 2, (i, i))
        expected = [(3, 100), *((i, i) for i in range(70))]
        assert ext.get(key) == encoded("Vec<(u16, u16)>", expected)
        assert Weights.decode_len(1, 2) == 71 and Weights.get(1, 2) == expected
    ext = commit(ext)
    with using(ext):
        Weights.append(1, 2, (9, 9))
        assert Weights.decode_len(1, 2) == 72
        # A newtype around a vector (BoundedVec) appends the same way.
        Log.append(4)
        Log.append(5)
        assert ext.get(Log.storage_key) == encoded("Vec<u32>", [4, 5]) and Log.decode_len() == 2


def test_decode_len_reads_the_length_prefix_only():
    with using(Externalities(DictBackend())) as ext:
        ext.set(Weights.hashed_key(1, 1), encode_compact(3) + b"\x01")  # a length, then not 3 items
        assert Weights.decode_len(1, 1) == 3
        assert Weights.get(1, 1) == []  # the value itself does not decode: reads as absent
        ext.set(Weights.hashed_key(1, 1), b"\x03")  # not a valid compact prefix (4-byte mode, no bytes)
        assert Weights.decode_len(1, 1) is None
        with pytest.raises(TypeError, match="vector value"):
            Keys.decode_len(1, 1)
        with pytest.raises(TypeError, match="vector value"):
            Total.append(1)
