"""`fields_of` evaluates annotations itself (pallets.support.types._type_hints) where typing
would return them as they evaluate: every event and value type of the runtime must get what
`typing.get_type_hints` gives, and classes with anything else left to evaluate go to typing.
Likewise `call_parameters` gives every call of every pallet what `inspect.signature(fn,
eval_str=True)` gives."""

from __future__ import annotations

import inspect
import sys
import typing
from typing import Annotated, Any

import pytest

from pysubtensor.pallets.support import types as support_types
from pysubtensor.pallets.support.types import AccountId, Doc, _settled, _type_hints, call_parameters, u16
from tests.unit.test_slots_dataclass import _events, _value_types

#: Names the probes' annotation texts use.
NAMES = (Annotated, Doc, AccountId)


def _typing(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, globalns=vars(sys.modules[cls.__module__]), include_extras=True)


def _shape(hint: Any) -> Any:
    """A hint as comparable data: each evaluation makes new codec objects (`Vec(u64)` inside
    `Scale`), which compare by identity; their repr and the types around them are compared."""
    if typing.get_origin(hint) is Annotated:
        return ("Annotated", _shape(hint.__origin__), tuple(repr(m) for m in hint.__metadata__))
    args = typing.get_args(hint)
    if args:
        return (typing.get_origin(hint), tuple(_shape(a) for a in args))
    return hint


def test_every_event_and_value_type_gets_typings_hints() -> None:
    classes = _events() + _value_types()
    assert len(classes) > 250
    for cls in classes:
        ours, theirs = _type_hints(cls, vars(sys.modules[cls.__module__])), _typing(cls)
        assert list(ours) == list(theirs), cls
        assert {k: _shape(v) for k, v in ours.items()} == {k: _shape(v) for k, v in theirs.items()}, cls
        assert all(_settled(value) for value in ours.values())  # what this covers: the fast path


class Later:
    pass


Alias = u16


def _declare(annotations: dict[str, str], **namespace: Any) -> type:
    return type("Probe", (), {"__module__": __name__, "__annotations__": annotations, **namespace})


def test_evaluated_as_typing_evaluates() -> None:
    # The class namespace comes before the module's, as typing evaluates it.
    cls = _declare({"a": "Alias", "b": "AccountId | None", "c": "list[Annotated[Alias, Doc('x')]]"}, Alias=AccountId)
    ours = _type_hints(cls, globals())
    assert ours == _typing(cls)
    assert ours["a"] is AccountId


@pytest.mark.parametrize("text", ["list['Later']", "'Later'", "None", "Annotated['Later', Doc('x')]",
                                  "typing.Optional['Later']"])
def test_what_is_left_to_evaluate_goes_to_typing(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    calls = []
    real = typing.get_type_hints
    monkeypatch.setattr(support_types.typing, "get_type_hints", lambda *a, **k: calls.append(a) or real(*a, **k))
    cls = _declare({"a": text, "b": "Alias"})
    assert _type_hints(cls, globals()) == real(cls, globalns=globals(), include_extras=True)
    assert len(calls) == 1


def test_what_typing_refuses_is_refused() -> None:
    cls = _declare({"a": "typing.Generic"})
    with pytest.raises(TypeError, match="Plain"):
        _typing(cls)
    with pytest.raises(TypeError, match="Plain"):
        _type_hints(cls, globals())
    with pytest.raises(NameError):
        _type_hints(_declare({"a": "Missing"}), globals())


def _annotation(value: Any) -> Any:
    """A call parameter's annotation as comparable data (an `Arg` holds a new codec each time)."""
    from pysubtensor.pallets.support.pallet import Arg

    if isinstance(value, Arg):
        return ("Arg", repr(value.codec), value.type_name)
    return _shape(value)


def test_every_call_gets_inspects_evaluated_parameters() -> None:
    from pysubtensor.runtime.construct import PALLETS

    functions = [call.function for pallet in PALLETS for call in pallet.calls.values()]
    assert len(functions) > 200
    evaluated = 0
    for fn in functions:
        ours = call_parameters(fn)
        theirs = list(inspect.signature(fn, eval_str=True).parameters.values())
        assert [(p.name, p.kind, p.default) for p in ours] == [(p.name, p.kind, p.default) for p in theirs], fn
        assert [_annotation(p.annotation) for p in ours] == [_annotation(p.annotation) for p in theirs], fn
        evaluated += sum(isinstance(p.annotation, str) for p in inspect.signature(fn).parameters.values())
    assert evaluated > 500  # string annotations (the modules' `from __future__ import annotations`)
