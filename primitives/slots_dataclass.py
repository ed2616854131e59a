"""`slots_dataclass(cls, frozen=...)`: what `dataclass(slots=True, frozen=frozen)(cls)` makes,
in a third of the time.

Why: the runtime declares ~280 events and value types through pallets.support (and the node,
the RPC server and the primitives ~100 more plain classes), and Python
3.11's `dataclasses` compiles one small module per generated method (`exec` of a source
text: `__init__`, `__repr__`, `__eq__`, `__hash__`, and for frozen classes `__setattr__` and
`__delattr__`), ~0.5 ms a class, a fifth of the node's start-up. Here only `__init__` is compiled
(its signature is the class's constructor, with the exact argument errors and speed of the
generated one); the other methods are plain closures over the field names that do what the
generated ones do. Everything else (fields, `__match_args__`, `__doc__`, the slots class) is
still `dataclasses`' own work: it is called with the methods it would generate already in place
and its generation of them turned off, and the class then carries the `__dataclass_params__`
(and the pickling helpers of frozen slots classes) that `dataclass(slots=True, frozen=frozen)`
gives, taken from a template class declared that way. `tests/unit/test_slots_dataclass.py`
compares every class declared here with the same class through `dataclass` itself.

Only plain classes take this path: no base class, no `field(...)` (a plain default such as
`x: int = 0` is fine), no `ClassVar` / `InitVar` / `KW_ONLY`, none of the generated methods
written by hand. Any other class goes through `dataclass` unchanged.
"""

from __future__ import annotations

import functools
import inspect
import reprlib
from collections.abc import Callable
from dataclasses import Field, FrozenInstanceError, dataclass
from operator import attrgetter
from typing import Any

__all__ = ["slots_dataclass", "takes_fast_path"]


@dataclass(frozen=True, slots=True)
class _FrozenTemplate:
    """Carries what `dataclass(frozen=True, slots=True)` sets on every class."""


@dataclass(slots=True)
class _Template:
    """Carries what `dataclass(slots=True)` sets on every class."""


#: Methods `dataclass` would generate (or keep, if written in the class); a class that
#: writes one of them takes `dataclass` itself.
_GENERATED = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__getstate__",
              "__setstate__", "__post_init__", "__match_args__", "__slots__")


def _plain_fields(cls: type) -> tuple[tuple[str, ...], tuple[Any, ...]] | None:
    """The field names of a class this module can declare and the defaults of the last ones
    (plain class attributes, as `x: int = 0`), else None."""
    if cls.__bases__ != (object,):
        return None
    own = cls.__dict__
    if any(name in own for name in _GENERATED):
        return None
    annotations = inspect.get_annotations(cls)  # the class's own, as `dataclass` reads them
    defaults = []
    for name, hint in annotations.items():
        # A non-string annotation could be `ClassVar`/`InitVar`/`KW_ONLY` objects; names
        # `dataclass` itself renames in __init__.
        if (not isinstance(hint, str) or name == "self" or name.startswith("__dataclass")
                or any(word in hint for word in ("ClassVar", "InitVar", "KW_ONLY"))):
            return None
        if name in own:
            if isinstance(own[name], Field):  # field(...): its options are dataclass's to apply
                return None
            defaults.append(own[name])
        elif defaults:  # a field without a default after one with: dataclass's TypeError
            return None
    return tuple(annotations), tuple(defaults)


def takes_fast_path(cls: type) -> bool:
    """Whether `slots_dataclass` declares `cls` itself (else it calls `dataclass`)."""
    return _plain_fields(cls) is not None


@functools.cache
def _init_factory(names: tuple[str, ...], frozen: bool, with_default: int) -> Callable[..., Callable[..., None]]:
    """A function making `__init__` as `dataclass` generates it, from the same source, compiled
    once per field names (many events share theirs): frozen classes set their fields through
    `object.__setattr__`, as their own `__setattr__` refuses; the last `with_default` fields
    default to the values the function is given (`dataclass` names them alike)."""
    if frozen:
        body = [f"  __dataclass_builtins_object__.__setattr__(self,{n!r},{n})" for n in names]
    else:
        body = [f"  self.{n}={n}" for n in names]
    first_default = len(names) - with_default
    defaults = [f"__dataclass_dflt_{n}__" for n in names[first_default:]]
    params = [*names[:first_default], *(f"{n}={d}" for n, d in zip(names[first_default:], defaults, strict=True))]
    text = (f"def __create_fn__({','.join(('__dataclass_builtins_object__', *defaults))}):\n"
            f" def __init__({','.join(('self', *params))}):\n" + "\n".join(body or ["  pass"]) + "\n"
            " return __init__")
    namespace: dict[str, Any] = {}
    exec(text, {}, namespace)  # what dataclasses does, once per field names here
    return namespace["__create_fn__"]


def _init(cls: type, names: tuple[str, ...], defaults: tuple[Any, ...], frozen: bool) -> Callable[..., None]:
    fn = _init_factory(names, frozen, len(defaults))(object, *defaults)  # a new function each call
    annotations = inspect.get_annotations(cls)
    fn.__annotations__ = {**{n: annotations[n] for n in names}, "return": None}
    fn.__module__ = cls.__module__
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    return fn


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The tuple of an instance's field values (what the generated methods compare and hash)."""
    if len(names) > 1:
        return attrgetter(*names)
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _methods(cls: type, names: tuple[str, ...], defaults: tuple[Any, ...], frozen: bool) -> dict[str, Any]:
    values = _values(names)

    @reprlib.recursive_repr()  # as dataclasses' own guard: "..." for an instance inside itself
    def __repr__(self: Any) -> str:
        return self.__class__.__qualname__ + "(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    methods: dict[str, Any] = {"__init__": _init(cls, names, defaults, frozen), "__repr__": __repr__, "__eq__": __eq__}
    if not frozen:
        # No `__hash__`: the slots class made from a namespace with `__eq__` is unhashable,
        # as a class `dataclass(eq=True)` makes.
        return methods

    def __hash__(self: Any) -> int:
        return hash(values(self))

    # `cls` is the class as declared; `dataclass(slots=True)` then makes a new class, and its
    # generated methods keep referring to the declared one: so do these.
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    methods.update(__hash__=__hash__, __setattr__=__setattr__, __delattr__=__delattr__,
                   __getstate__=_FrozenTemplate.__getstate__, __setstate__=_FrozenTemplate.__setstate__)
    return methods


def slots_dataclass(cls: type | None = None, /, *, frozen: bool = False) -> Any:
    """`dataclass(slots=True, frozen=frozen)(cls)`, with its methods made without compiling
    all but `__init__` (see the module docstring). Returns the new (slots) class; without
    `cls`, the decorator (`@slots_dataclass(frozen=True)`), as `dataclass` does."""
    if cls is None:
        return functools.partial(slots_dataclass, frozen=frozen)
    plain = _plain_fields(cls)
    if plain is None:
        return dataclass(slots=True, frozen=frozen)(cls)
    names, defaults = plain
    for name, method in _methods(cls, names, defaults, frozen).items():
        if callable(method) and name not in ("__init__", "__getstate__", "__setstate__"):
            method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    # The methods are in place: `dataclass` makes the fields, `__match_args__`, `__doc__` and
    # the slots class, generating nothing; the parameters it records are then the ones of
    # `dataclass(slots=True, frozen=frozen)`.
    declared = dataclass(slots=True, init=False, repr=False, eq=False)(cls)
    template = _FrozenTemplate if frozen else _Template
    declared.__dataclass_params__ = template.__dataclass_params__  # type: ignore[attr-defined]
    return declared

