"""The runtime's view of storage: overlay layers, rollback, ordered iteration over overlay
and backend, checked against a plain sorted-dict model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pysubtensor.primitives.externalities import (
    Externalities,
    MultiRemovalResults,
    NoExternalitiesError,
    TransactionLayerError,
    current,
    using,
)
from tests.support.state import DictBackend

keys = st.binary(min_size=0, max_size=3)


def _model_append(current: bytes | None, item: bytes) -> bytes:
    """Append by full decode and re-encode (what the overlay must equal, done the slow way)."""
    from pysubtensor.primitives.scale import ScaleDecodeError, decode_compact, encode_compact

    count, body = 0, b""
    if current:
        try:
            count, start = decode_compact(current, 0)
            body = current[start:]
        except ScaleDecodeError:
            count, body = 0, b""
    return encode_compact(count + 1) + body + item
ops = st.lists(
    st.one_of(
        st.tuples(st.just("set"), keys, st.binary(max_size=2)),
        st.tuples(st.just("clear"), keys, st.none()),
        st.tuples(st.just("start"), st.none(), st.none()),
        st.tuples(st.just("commit"), st.none(), st.none()),
        st.tuples(st.just("rollback"), st.none(), st.none()),
        st.tuples(st.just("clear_prefix"), st.binary(max_size=1), st.none()),
        st.tuples(st.just("append"), keys, st.binary(max_size=2)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, st.binary(max_size=2), max_size=12), ops)
def test_overlay_matches_a_model(initial, operations):
    ext = Externalities(DictBackend(initial))
    model_stack = [dict(initial)]
    for op, key, value in operations:
        if op == "set":
            ext.set(key, value)
            model_stack[-1][key] = value
        elif op == "clear":
            ext.clear(key)
            model_stack[-1].pop(key, None)
        elif op == "append":
            # The model: sp-io's storage append on an encoded Vec<[u8; len]>-like value (a
            # value that is not a vector starts a new one), done by decoding and re-encoding.
            ext.append(key, value)
            model_stack[-1][key] = _model_append(model_stack[-1].get(key), value)
        elif op == "clear_prefix":
            ext.clear_prefix(key)
            for k in [k for k in model_stack[-1] if k.startswith(key)]:
                del model_stack[-1][k]
        elif op == "start":
            ext.overlay.start_transaction()
            model_stack.append(dict(model_stack[-1]))
        elif op == "commit" and len(model_stack) > 1:
            ext.overlay.commit_transaction()
            top = model_stack.pop()
            model_stack[-1] = top
        elif op == "rollback" and len(model_stack) > 1:
            ext.overlay.rollback_transaction()
            model_stack.pop()
        model = model_stack[-1]
        # Point reads and ordered iteration agree with the model after every step.
        for k in set(model) | set(initial) | {key or b""}:
            assert ext.get(k) == model.get(k)
        assert list(ext.keys_with_prefix(b"")) == sorted(model)
    # What the block would commit turns the initial state into the model.
    final = dict(initial)
    for k, v in ext.overlay.changes().items():
        if v is None:
            final.pop(k, None)
        else:
            final[k] = v
    if len(model_stack) == 1:
        assert final == model_stack[0]


def test_keys_with_prefix_and_start():
    ext = Externalities(DictBackend({b"a1": b"", b"a3": b"", b"b": b""}))
    ext.set(b"a2", b"x")
    ext.clear(b"a3")
    assert list(ext.keys_with_prefix(b"a")) == [b"a1", b"a2"]
    assert list(ext.keys_with_prefix(b"a", start=b"a1")) == [b"a2"]
    assert ext.next_key(b"") == b"a1"


def test_clear_prefix_limits_backend_keys_only():
    """sp-state-machine's `Ext::clear_prefix`: the overlay's keys all go and count in `unique`
    (if live); `limit` caps the backend keys visited, a key the overlay already deleted is
    visited but not deleted again, and the cursor is the first backend key not visited."""
    ext = Externalities(DictBackend({b"a1": b"", b"a3": b"", b"a5": b"", b"b": b""}))
    ext.set(b"a2", b"x")
    ext.set(b"a4", b"y")
    ext.clear(b"a3")
    assert ext.clear_prefix(b"a", limit=2) == MultiRemovalResults(b"a5", 1, 3, 2)
    assert list(ext.keys_with_prefix(b"a")) == [b"a5"]
    assert ext.clear_prefix(b"a", limit=0) == MultiRemovalResults(b"a1", 0, 0, 0)
    assert ext.clear_prefix(b"a", limit=5, cursor=b"a5") == MultiRemovalResults(None, 1, 1, 1)
    assert list(ext.keys_with_prefix(b"")) == [b"b"]
    with pytest.raises(RuntimeError), ext.transaction():
        assert ext.clear_prefix(b"") == MultiRemovalResults(None, 1, 1, 4)
        raise RuntimeError("rolled back")
    assert list(ext.keys_with_prefix(b"")) == [b"b"]


def test_transaction_context_rolls_back_on_error():
    ext = Externalities(DictBackend({}))
    with pytest.raises(ValueError), ext.transaction():
        ext.set(b"k", b"v")
        raise ValueError("dispatch failed")
    assert ext.get(b"k") is None
    with ext.transaction():
        ext.set(b"k", b"v")
    assert ext.get(b"k") == b"v"


def test_misuse_is_reported():
    ext = Externalities(DictBackend({}))
    with pytest.raises(TransactionLayerError):
        ext.overlay.commit_transaction()
    with pytest.raises(TypeError, match="must be bytes"):
        ext.set(b"k", "text")
    with pytest.raises(NoExternalitiesError):
        current()
    with using(ext):
        assert current() is ext


def test_append_grows_a_vector_in_place_and_rolls_back_per_layer():
    from pysubtensor.primitives.scale import U32, Vec

    ext = Externalities(DictBackend({b"v": Vec(U32).encode([1])}))
    ext.append(b"v", U32.encode(2))
    with pytest.raises(RuntimeError), ext.transaction():
        ext.append(b"v", U32.encode(3))
        assert Vec(U32).decode_all(ext.get(b"v")) == [1, 2, 3]
        raise RuntimeError("rolled back")
    assert Vec(U32).decode_all(ext.get(b"v")) == [1, 2]
    for i in range(100):  # crosses the 1-byte compact length boundary at 64
        ext.append(b"v", U32.encode(i))
    assert Vec(U32).decode_all(ext.overlay.changes()[b"v"]) == [1, 2, *range(100)]
