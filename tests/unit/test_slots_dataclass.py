"""`slots_dataclass` (primitives) against `dataclass(slots=True, frozen=...)` itself: every
event and value type the runtime declares, every other class the node, the RPC server, the
runtime and the primitives declare with it, and small classes of each shape, must behave as the
class `dataclasses` makes from the same declaration (constructor and its defaults, errors, repr,
equality, hash, frozenness, copying, fields and parameters)."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import sys
from typing import Any

import pytest

from pysubtensor.primitives.slots_dataclass import slots_dataclass, takes_fast_path
from pysubtensor.runtime.construct import PALLETS


def _events() -> list[type]:
    return [getattr(p.Event, name) for p in PALLETS for name in p.Event]


def _value_types() -> list[type]:
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("pysubtensor.") or module is None:
            continue
        for obj in vars(module).values():
            if isinstance(obj, type) and obj.__module__ == name and "__scale_type_name__" in obj.__dict__ \
                    and dataclasses.is_dataclass(obj):
                found.append(obj)
    return found


def _declared_with_slots_dataclass() -> list[type]:
    """Every class of the node's modules that `slots_dataclass` declared itself (its methods
    are this module's closures), with the node, the RPC server and the runtime imported."""
    import pysubtensor.node.cli
    import pysubtensor.node.service
    import pysubtensor.rpc.server  # noqa: F401

    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("pysubtensor.") or module is None:
            continue
        for obj in vars(module).values():
            if isinstance(obj, type) and obj.__module__ == name and dataclasses.is_dataclass(obj) \
                    and getattr(obj.__eq__, "__code__", None) is _FAST_EQ:
                found.append(obj)
    return found


#: The code of the `__eq__` every class `slots_dataclass` declares itself has.
_FAST_EQ = slots_dataclass(type("Probe", (), {"__annotations__": {"a": "int"}})).__eq__.__code__


def _declaration(cls: type) -> type:
    """A fresh undecorated class with `cls`'s name, module, annotations, defaults and docs."""
    defaults = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    return type(cls.__name__, (), {"__module__": cls.__module__, "__qualname__": cls.__qualname__,
                                   "__annotations__": dict(cls.__annotations__), "__doc__": cls.__doc__,
                                   **defaults})


def _outcome(fn: Any) -> tuple[str, Any]:
    """What calling `fn` gives: its result's repr (instances of two classes are never equal)
    or its exception's type and message."""
    try:
        return "ok", repr(fn())
    except Exception as e:  # the type and message are what is compared
        return type(e).__name__, str(e)


def _same(ours: type, ref: type, frozen: bool) -> None:
    names = [f.name for f in dataclasses.fields(ref)]
    assert [f.name for f in dataclasses.fields(ours)] == names
    for a, b in zip(dataclasses.fields(ours), dataclasses.fields(ref), strict=True):
        assert (a.type, a.default, a.default_factory, a.init, a.repr, a.hash, a.compare, a.kw_only) == \
            (b.type, b.default, b.default_factory, b.init, b.repr, b.hash, b.compare, b.kw_only)
    assert repr(ours.__dataclass_params__) == repr(ref.__dataclass_params__)
    assert ours.__dataclass_params__.frozen is frozen
    assert ours.__slots__ == ref.__slots__ and ours.__match_args__ == ref.__match_args__
    assert ours.__doc__ == ref.__doc__ and ours.__qualname__ == ref.__qualname__
    assert inspect.signature(ours) == inspect.signature(ref)
    assert inspect.signature(ours.__init__) == inspect.signature(ref.__init__)
    assert ours.__init__.__annotations__ == ref.__init__.__annotations__
    assert ours.__init__.__module__ == ref.__init__.__module__
    for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        a, b = getattr(ours, method), getattr(ref, method)
        assert (a is None) == (b is None), method
        if a is not None and method in ref.__dict__:
            assert a.__qualname__ == b.__qualname__, method
    assert (ours.__hash__ is None) is (not frozen)
    for helper in ("__getstate__", "__setstate__"):
        assert (helper in ours.__dict__) == (helper in ref.__dict__) and getattr(ours, helper, None) is getattr(ref, helper, None)

    values = [1000 + i for i in range(len(names))]
    a, b = ours(*values), ref(*values)
    assert repr(a) == repr(b)
    assert a.__getstate__() == b.__getstate__() if frozen else True
    assert ours(**dict(zip(names, values, strict=True))) == a
    assert (a == ours(*values)) is (b == ref(*values)) is True
    assert (a != ours(*values)) is False
    assert (a == b) is False and (b == a) is False  # another class: never equal
    assert a.__eq__(object()) is NotImplemented
    for i in range(len(names)):
        other = list(values)
        other[i] += 1
        assert (a == ours(*other)) is (b == ref(*other)) is False
    if frozen:
        assert hash(a) == hash(b) == hash(ours(*values)) == hash(tuple(values))
    else:
        assert _outcome(lambda: hash(a)) == _outcome(lambda: hash(b))
    # Construction errors carry the same messages (the qualified names are the same).
    assert _outcome(lambda: ours(*values, 1)) == _outcome(lambda: ref(*values, 1))
    for given in range(len(names)):  # defaults (or the missing-argument error) for the rest
        assert _outcome(lambda n=given: ours(*values[:n])) == _outcome(lambda n=given: ref(*values[:n]))
    if names:
        assert _outcome(lambda: ours(*values, **{names[0]: 1})) == _outcome(lambda: ref(*values, **{names[0]: 1}))
    assert _outcome(lambda: ours(*values, nope=1)) == _outcome(lambda: ref(*values, nope=1))
    # Frozenness: assigning and deleting, fields and other names.
    for name in [*names[:2], "nope"]:
        assert _outcome(lambda n=name: setattr(a, n, 7)) == _outcome(lambda n=name: setattr(b, n, 7))
        assert _outcome(lambda n=name: delattr(a, n)) == _outcome(lambda n=name: delattr(b, n))
    assert _outcome(lambda: repr(a)) == _outcome(lambda: repr(b))
    a, b = ours(*values), ref(*values)
    # Copies and the dataclasses helpers.
    assert copy.copy(a) == a and copy.deepcopy(a) == a and repr(copy.deepcopy(a)) == repr(copy.deepcopy(b))
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    if names:
        assert dataclasses.replace(a, **{names[0]: 5}) == ours(5, *values[1:])


def _check(cls: type, *, frozen: bool) -> None:
    assert takes_fast_path(_declaration(cls)), cls
    ours = slots_dataclass(_declaration(cls), frozen=frozen)
    ref = dataclasses.dataclass(slots=True, frozen=frozen)(_declaration(cls))
    _same(ours, ref, frozen)


def test_every_event_is_declared_as_dataclass_declares_it() -> None:
    events = _events()
    assert len(events) > 200
    for cls in events:
        assert cls.__dataclass_params__.frozen
        _check(cls, frozen=True)


def test_every_value_type_is_declared_as_dataclass_declares_it() -> None:
    types = _value_types()
    assert len(types) > 20
    for cls in types:
        _check(cls, frozen=cls.__dataclass_params__.frozen)


def test_every_class_declared_with_it_is_declared_as_dataclass_declares_it() -> None:
    events = _events()
    classes = [c for c in _declared_with_slots_dataclass() if c not in events]
    assert len(classes) > 80  # value types and the node's own
    with_defaults = [c for c in classes if any(f.default is not dataclasses.MISSING for f in dataclasses.fields(c))]
    assert len(with_defaults) >= 15
    for cls in classes:
        _check(cls, frozen=cls.__dataclass_params__.frozen)


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize(("annotations", "defaults"), [
    ({}, {}), ({"who": "int"}, {}), ({"who": "int", "amount": "int"}, {}),
    ({"a": "int", "b": "bytes", "c": "list[int]", "object": "int"}, {}),
    ({"who": "int"}, {"who": 0}), ({"who": "int", "amount": "int"}, {"amount": None}),
    ({"a": "int", "b": "str", "c": "tuple"}, {"b": "x", "c": ()}),
])
def test_small_classes(frozen: bool, annotations: dict[str, str], defaults: dict[str, Any]) -> None:
    def declare() -> type:
        return type("Small", (), {"__module__": __name__, "__qualname__": "Small", "__annotations__": dict(annotations),
                                  **defaults})

    assert takes_fast_path(declare())
    _same(slots_dataclass(declare(), frozen=frozen), dataclasses.dataclass(slots=True, frozen=frozen)(declare()), frozen)


def test_a_value_inside_itself_repr_as_dataclass_does() -> None:
    def declare() -> type:
        return type("Node", (), {"__module__": __name__, "__qualname__": "Node", "__annotations__": {"next": "Any"}})

    ours, ref = slots_dataclass(declare()), dataclasses.dataclass(slots=True)(declare())
    a, b = ours(None), ref(None)
    a.next, b.next = a, b
    assert repr(a) == repr(b) == "Node(next=...)"


class _Base:
    pass


@pytest.mark.parametrize("body", [
    {"__annotations__": {"a": "int"}, "a": dataclasses.field(default=1)},  # field(...)
    {"__annotations__": {"a": "int", "b": "ClassVar[int]"}},        # a class variable
    {"__annotations__": {"a": "int"}, "__repr__": lambda self: "x"},  # a method written by hand
    {"__annotations__": {"a": int}},                                # not a string annotation
    {"__annotations__": {"self": "int"}},                           # a name __init__ renames
], ids=["field", "classvar", "own-repr", "non-string", "self"])
def test_other_classes_go_through_dataclass(body: dict[str, Any]) -> None:
    cls = type("Other", (), {"__module__": __name__, **body})
    assert not takes_fast_path(cls)
    declared = slots_dataclass(cls, frozen=True)
    assert dataclasses.is_dataclass(declared) and declared.__dataclass_params__.frozen
    assert not takes_fast_path(type("Derived", (_Base,), {"__module__": __name__, "__annotations__": {"a": "int"}}))


def test_a_field_without_default_after_one_with_is_refused_as_dataclass_refuses_it() -> None:
    def declare() -> type:
        return type("Late", (), {"__module__": __name__, "__annotations__": {"a": "int", "b": "int"}, "a": 1})

    assert not takes_fast_path(declare())
    assert _outcome(lambda: slots_dataclass(declare())) == _outcome(lambda: dataclasses.dataclass(slots=True)(declare()))
    assert _outcome(lambda: slots_dataclass(declare()))[0] == "TypeError"
