"""Types declared once: a Python annotation that carries its SCALE codec and the Rust type
name metadata shows, and value types (structs) whose one declaration gives the codec, the
scale-info description and the Python class.

An annotation is `Annotated[python_type, Scale(codec, "RustTypeName")]`; `scale_type` builds
one, and the common ones are below (`AccountId`, `Balance`, `u16`, …):

    AccountId = scale_type(ACCOUNT_ID, bytes, "T::AccountId")
    who: AccountId                                   # field: ACCOUNT_ID, type name "T::AccountId"
    who: Annotated[AccountId, TypeName("AccountIdOf<T>")]   # same codec, the name metadata shows
    old: AccountId | None                            # Option<…>, "Option<T::AccountId>"
    hotkeys: list[AccountId]                         # Vec<…>, "Vec<T::AccountId>"
    info: Annotated[DispatchEventInfo, Doc("…")]     # a value type, with a field doc

A value type:

    @value_type("pallet_subtensor", "pallet", "AxonInfo")
    class AxonInfo:
        \"\"\"Where a neuron serves (Python docs: real metadata carries no type docs).\"\"\"
        block: u64
        version: u32
        ...

is a dataclass whose `SCALE` attribute is its `Struct` codec (`AxonInfo.SCALE`), whose
instances encode (`info.encode()`) and which decodes (`AxonInfo.decode(data)`); used as an
annotation, it stands for its codec with its class name as the type name.

A field named after a Python keyword takes a trailing underscore (`from_` is `from` on chain).
"""

from __future__ import annotations

import dataclasses
import inspect
import keyword
import sys
import types
import typing
from collections.abc import Callable, Sequence
from functools import cache
from typing import Annotated, Any

from pysubtensor.primitives.scale import (
    BOOL,
    BYTES,
    H256,
    U8,
    U16,
    U32,
    U64,
    U128,
    Codec,
    Compact,
    Field,
    Lazy,
    Option,
    ScaleDecodeError,
    ScaleEncodeError,
    Struct,
    Vec,
)
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE

__all__ = [
    "AccountId",
    "Balance",
    "Bool",
    "Doc",
    "Hash",
    "Scale",
    "TypeName",
    "VecU8",
    "bounded",
    "bounded_bytes",
    "bounded_vec",
    "compact",
    "doc_lines",
    "field_name",
    "fields_of",
    "resolve",
    "scale_type",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "value_type",
]


@slots_dataclass(frozen=True)
class Scale:
    """Annotation metadata: the SCALE codec of a field and the Rust type name metadata shows."""

    codec: Codec
    type_name: str | None = None


@slots_dataclass(frozen=True)
class TypeName:
    """Annotation metadata: the Rust type name metadata shows, where it differs from the alias's."""

    name: str


@slots_dataclass(frozen=True)
class Doc:
    """Annotation metadata: the field's docs (a docstring-like text; lines as metadata lists them)."""

    text: str


def scale_type(codec: Codec, py_type: Any = Any, type_name: str | None = None) -> Any:
    """An annotation carrying `codec` and the Rust type name `type_name`."""
    return Annotated[py_type, Scale(codec, type_name)]


def compact(alias: Any) -> Any:
    """`Compact<T>` of a codec-carrying alias of an unsigned integer (type name kept)."""
    codec, type_name, _ = resolve(alias, "compact")
    return Annotated[int, Scale(Compact(codec), type_name)]


#: Primitive aliases: the type name is the Rust primitive's.
u8 = scale_type(U8, int, "u8")
u16 = scale_type(U16, int, "u16")
u32 = scale_type(U32, int, "u32")
u64 = scale_type(U64, int, "u64")
u128 = scale_type(U128, int, "u128")
Bool = scale_type(BOOL, bool, "bool")
VecU8 = scale_type(BYTES, bytes, "Vec<u8>")
#: frame_system's associated types as a pallet's metadata names them (`T::…`).
AccountId = scale_type(ACCOUNT_ID, bytes, "T::AccountId")
Hash = scale_type(H256, bytes, "T::Hash")
Balance = scale_type(BALANCE, int, "T::Balance")


def field_name(attr: str) -> str:
    """The on-chain name of a Python attribute: a keyword's trailing underscore is dropped."""
    if attr.endswith("_") and keyword.iskeyword(attr[:-1]):
        return attr[:-1]
    return attr


def resolve(hint: Any, where: str) -> tuple[Codec, str | None, tuple[str, ...]]:
    """(codec, type name, docs) of an annotation; `TypeError` naming `where` if it has no codec."""
    codec: Codec | None = None
    type_name: str | None = None
    docs: tuple[str, ...] = ()
    if typing.get_origin(hint) is Annotated:
        codec, type_name, _ = _resolve_bare(hint.__origin__, where, required=False)
        for meta in hint.__metadata__:
            if isinstance(meta, Scale):
                codec, type_name = meta.codec, meta.type_name
            elif isinstance(meta, TypeName):
                type_name = meta.name
            elif isinstance(meta, Doc):
                docs = doc_lines(meta.text)
        if codec is None:
            raise TypeError(f"{where}: the annotation {hint!r} carries no SCALE codec (Scale(codec, ...))")
        return codec, type_name, docs
    return _resolve_bare(hint, where, required=True)  # type: ignore[return-value]


def _resolve_bare(hint: Any, where: str, *, required: bool) -> tuple[Codec | None, str | None, tuple[str, ...]]:
    codec = getattr(hint, "SCALE", None) if isinstance(hint, type) else None
    if isinstance(codec, Codec):
        return codec, getattr(hint, "__scale_type_name__", hint.__name__), ()
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner, name, _ = resolve(next(a for a in args if a is not type(None)), where)
        return Option(inner), None if name is None else f"Option<{name}>", ()
    if origin is list and len(args) == 1:
        inner, name, _ = resolve(args[0], where)
        return Vec(inner), None if name is None else f"Vec<{name}>", ()
    if required:
        raise TypeError(f"{where}: {hint!r} is not a SCALE type (annotate with a codec-carrying alias, "
                        "e.g. AccountId, u64, or a @value_type class)")
    return None, None, ()


def doc_lines(text: str | None) -> tuple[str, ...]:
    """The lines of a docstring-form text as metadata lists them: the first line's and the
    others' common indentation of spaces removed, leading blank lines and the closing quotes'
    line dropped. Unlike `inspect.cleandoc`, tabs are kept (Rust docs carry them, e.g.
    `\t- The hotkey`) and a blank line left before the closing quotes is a trailing empty
    doc line (Rust's `///` closing a doc comment)."""
    if not text:
        return ()
    lines = text.splitlines()
    rest = [line for line in lines[1:] if line.strip()]
    margin = min((len(line) - len(line.lstrip(" ")) for line in rest), default=0)
    out = [lines[0].lstrip(" ")] + [line[margin:] for line in lines[1:]]
    while out and not out[0].strip():
        out.pop(0)
    if len(out) > 1 and not out[-1].strip():
        out.pop()  # the closing quotes' line; a blank line before it is a trailing empty doc line
    return tuple(out)


@cache
def _compiled(text: str) -> types.CodeType:
    return compile(text, "<string>", "eval")


def _settled(value: Any) -> bool:
    """Whether `typing.get_type_hints` returns this evaluated annotation as it is (or an equal
    copy, for `list[...]`): a class, or `Annotated`, `Union`, `X | Y` or a builtin generic
    whose type arguments are such (no string or forward reference left to evaluate)."""
    if isinstance(value, type) and not isinstance(value, types.GenericAlias):
        return value not in (typing.Generic, typing.Protocol)  # which typing refuses
    origin = typing.get_origin(value)
    if origin is Annotated:
        return _settled(value.__origin__)  # typing evaluates the type, never the metadata
    if origin in (typing.Union, types.UnionType) or isinstance(value, types.GenericAlias):
        return all(_settled(arg) for arg in typing.get_args(value))
    return False


def _type_hints(cls: type, globalns: dict[str, Any] | None) -> dict[str, Any]:
    """`typing.get_type_hints(cls, globalns, include_extras=True)` for a class without bases
    whose string annotations evaluate to settled types (see `_settled`): each evaluated as
    typing evaluates it (the module's globals, then the class namespace first), without
    typing's per-annotation `ForwardRef` (a compile each: ~1,000 annotations at start-up,
    most of them the same few texts, compiled once here). Any other class goes to typing."""
    annotations = inspect.get_annotations(cls)
    if globalns is not None and cls.__bases__ == (object,) and all(isinstance(t, str) for t in annotations.values()):
        local = dict(vars(cls))
        try:
            hints = {name: eval(_compiled(text), globalns, local) for name, text in annotations.items()}
        except Exception:  # typing then raises its own error for it
            hints = None
        if hints is not None and all(_settled(value) for value in hints.values()):
            return hints
    return typing.get_type_hints(cls, globalns=globalns, include_extras=True)


def call_parameters(fn: Callable[..., Any]) -> list[inspect.Parameter]:
    """`inspect.signature(fn, eval_str=True)`'s parameters: each string annotation evaluated
    as inspect evaluates it (in the unwrapped function's globals), but compiled once per text
    (~800 call parameters at start-up, most of them the same few texts)."""
    globalns = inspect.unwrap(fn).__globals__
    return [p.replace(annotation=eval(_compiled(p.annotation), globalns)) if isinstance(p.annotation, str) else p
            for p in inspect.signature(fn).parameters.values()]


def fields_of(cls: type, *, unnamed: bool = False) -> tuple[Field, ...]:
    """The SCALE fields of a dataclass from its annotations, in field order."""
    module = sys.modules.get(cls.__module__)
    hints = _type_hints(cls, vars(module) if module else None)
    out = []
    for f in dataclasses.fields(cls):
        codec, type_name, docs = resolve(hints[f.name], f"{cls.__qualname__}.{f.name}")
        out.append(Field(None if unnamed else field_name(f.name), codec, type_name, docs))
    return tuple(out)


def value_type(*path: str, params: Sequence[tuple[str, Codec | None]] = (), docs: Sequence[str] = (),
               frozen: bool = False, type_name: str | None = None) -> Callable[[type], type]:
    """Declare a struct once: a dataclass (slots) whose `SCALE` is the `Struct` at `path` with
    fields from its annotations. `type_name` is the name fields of this type show in metadata
    (default: the class name); `docs` the scale-info docs (real runtimes emit none for types)."""

    def declare(cls: type) -> type:
        cls = slots_dataclass(cls, frozen=frozen)  # dataclass(slots=True, frozen=frozen), faster
        codec = Struct(path, fields_of(cls), cls=cls, params=params, docs=docs)
        cls.SCALE = codec  # type: ignore[attr-defined]
        cls.__scale_type_name__ = type_name or cls.__name__  # type: ignore[attr-defined]
        cls.encode = lambda self: codec.encode(self)  # type: ignore[attr-defined]
        cls.decode = classmethod(lambda c, data: codec.decode_all(data))  # type: ignore[attr-defined]
        return cls

    return declare


@cache
def bounded_vec(inner: Codec, *, weak: bool = False) -> Struct:
    """`BoundedVec<T, S>` / `WeakBoundedVec<T, S>`: a newtype over `Vec<T>` (the bound `S` is a
    type-level constant that scale-info erases). Python value: a list (bytes for `u8` items).
    One codec per item type (cached): scale-info has one type per `BoundedVec<T>`, whatever
    the bound, and the registry dedups types by codec."""
    path = (("bounded_collections", "weak_bounded_vec", "WeakBoundedVec") if weak
            else ("bounded_collections", "bounded_vec", "BoundedVec"))
    items = BYTES if inner is U8 else Vec(inner)
    return Struct(path, (Field(None, items, "Vec<T>"),), params=(("T", inner), ("S", None)))


class _Bounded(Lazy):
    """`BoundedVec<T, ConstU32<bound>>`: the type of `bounded_vec(inner)` (metadata has one
    `BoundedVec<T>` per item type here), but a value longer than `bound` is refused."""

    __slots__ = ("bound",)

    def __init__(self, inner: Codec, bound: int) -> None:
        super().__init__(lambda: bounded_vec(inner))
        self.bound = bound

    def encode_into(self, value: Any, out: bytearray) -> None:
        if hasattr(value, "__len__") and len(value) > self.bound:
            raise ScaleEncodeError(f"BoundedVec<_, ConstU32<{self.bound}>>: {len(value)} items")
        self.target.encode_into(value, out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[Any, int]:
        value, end = self.target.decode(data, offset)
        if len(value) > self.bound:
            raise ScaleDecodeError(f"BoundedVec<_, ConstU32<{self.bound}>>: {len(value)} items at offset {offset}")
        return value, end


@cache
def bounded(inner: Codec, bound: int) -> Codec:
    """`BoundedVec<T, ConstU32<bound>>` as `bounded_vec`, but a value longer than `bound`
    neither decodes (as the Rust type refuses it) nor encodes."""
    return _Bounded(inner, bound)


def bounded_bytes(bound: int) -> Codec:
    """`BoundedVec<u8, ConstU32<bound>>` (Python value: bytes), its bound checked."""
    return bounded(U8, bound)
