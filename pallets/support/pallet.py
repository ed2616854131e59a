"""Declaring a pallet: storage, calls, events, errors, constants, genesis and hooks in one place.

A pallet module creates one `Pallet` and declares on it, in the order metadata lists them:

    pallet = Pallet("Balances", 5, crate="pallet_balances", type_params=("T", "I"))
    TotalIssuance = pallet.storage("TotalIssuance", StorageValue(BALANCE, default=0))
    ExistentialDeposit = pallet.constant("ExistentialDeposit", BALANCE, 500)

    @pallet.event(2)
    @dataclass(frozen=True, slots=True)
    class Transfer:
        from_: bytes = arg(ACCOUNT_ID, "T::AccountId", name="from")
        ...

    InsufficientBalance = pallet.error(2, "InsufficientBalance", "Balance too low to send value.")

    @pallet.call(3, weight=Weight(...))
    def transfer_keep_alive(origin, dest: Arg(LOOKUP, "AccountIdLookupOf<T>"), value: Arg(...)):
        ...

The declarations give the pallet's Call, Event and Error enums (codecs with their
scale-info description), from which the runtime builds RuntimeCall and metadata.

How a pallet depends on the runtime and on other pallets: as a Rust pallet's `Config` trait
names associated types, the pallet declares a `Config` dataclass (deriving from
`pallets.support.config.PalletConfig`, which carries the event deposit) whose fields are
what it needs, typed by a `Protocol` where they are behaviour; it never imports the pallet
that provides them. The runtime binds every pallet once, in one place, when it composes
them (`runtime/construct.py`), and pallet code reads its bindings when it runs:

    @pallet.config_type
    @dataclass(frozen=True, kw_only=True)
    class Config(PalletConfig):
        on_timestamp_set: OnTimestampSet = _nothing      # Rust's `()`

    pallet.config.on_timestamp_set(now)                  # in a call
    timestamp.pallet.bind(timestamp.Config(deposit_event=..., on_timestamp_set=aura.on_timestamp_set))
    with timestamp.pallet.bound(on_timestamp_set=seen.append): ...   # a test's own binding

A pallet's inherent (`provide_inherent`) and runtime-upgrade hook (`hook_on_runtime_upgrade`)
are declared on it, like its other hooks; the executive runs them for every composed pallet.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import (
    DispatchClass,
    DispatchInfo,
    ModuleError,
    Origin,
    Pays,
    Weight,
)
from pysubtensor.pallets.support.inherent import ProvideInherent
from pysubtensor.pallets.support.storage import StorageItem
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.scale import Codec, Enum, Field, Variant

__all__ = ["Arg", "CallDef", "Constant", "Pallet", "arg", "rust_docs"]


@dataclass(frozen=True, slots=True)
class Arg:
    """Annotation of a call argument: its SCALE type and the Rust type name metadata shows."""

    codec: Codec
    type_name: str | None = None


def arg(codec: Codec, type_name: str | None = None, *, name: str | None = None, docs: Sequence[str] = ()) -> Any:
    """A dataclass field of an event (or other struct) with its SCALE type.

    `name` overrides the on-chain field name when it is a Python keyword (`from`).
    """
    return dataclasses.field(metadata={"scale": (codec, type_name, name, tuple(docs))})


def fields_of(cls: type, *, unnamed: bool = False) -> tuple[Field, ...]:
    """The SCALE fields of a dataclass declared with `arg(...)`."""
    out = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("scale")
        if spec is None:
            raise TypeError(f"{cls.__name__}.{f.name} has no SCALE type: declare it with arg(codec, ...)")
        codec, type_name, name, docs = spec
        out.append(Field(None if unnamed else (name or f.name), codec, type_name, docs))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Constant:
    """A pallet constant. With `lazy`, `value` is a function giving the value when metadata
    is built (a value only the composed runtime knows, e.g. System's `Version`)."""

    name: str
    codec: Codec
    value: Any
    docs: tuple[str, ...]
    lazy: bool = False

    @property
    def current_value(self) -> Any:
        return self.value() if self.lazy else self.value

    @property
    def encoded(self) -> bytes:
        return self.codec.encode(self.current_value)


WeightFn = Callable[..., Weight]
#: A dispatch class or fee rule that depends on the call's arguments (e.g. `Sudo.sudo` takes
#: the class of the call it wraps): called with the arguments as keywords.
StrFn = Callable[..., str]


@dataclass(frozen=True, slots=True)
class CallDef:
    """A dispatchable: index, name, argument fields, weight, class, fee rule and the function."""

    index: int
    name: str
    fields: tuple[Field, ...]
    function: Callable[..., Any]
    weight: Weight | WeightFn
    dispatch_class: str | StrFn
    pays: str | StrFn
    docs: tuple[str, ...]

    def weight_of(self, args: dict[str, Any]) -> Weight:
        """The declared (pre-dispatch) weight of this call with these arguments."""
        w = self.weight
        return w(**args) if callable(w) else w

    def info(self, args: dict[str, Any]) -> DispatchInfo:
        """`GetDispatchInfo`: declared weight, class and fee rule with these arguments."""
        cls, pays = self.dispatch_class, self.pays
        return DispatchInfo(self.weight_of(args), cls(**args) if callable(cls) else cls,
                            pays(**args) if callable(pays) else pays)


def _docs(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(inspect.cleandoc(text).splitlines())


def rust_docs(text: str) -> tuple[str, ...]:
    """Doc lines as Rust puts `/// text` comments of storage items and constants in metadata:
    each non-empty line keeps the space after `///`. Pass the text as a (dedented) docstring."""
    return tuple(f" {line}" if line else "" for line in _docs(text))


class Pallet:
    """One pallet's declarations. See the module docstring for the shape of a pallet module."""

    def __init__(self, name: str, index: int, *, crate: str, type_params: Sequence[str] = ("T",),
                 docs: Sequence[str] = (), storage_version: int = 0) -> None:
        self.name = name
        self.index = index
        self.crate = crate
        self.docs = tuple(docs)
        #: The in-code `StorageVersion`; genesis writes it under `STORAGE_VERSION_KEY_SUFFIX`.
        self.storage_version = storage_version
        params = tuple((p, None) for p in type_params)
        self.storage_items: list[StorageItem] = []
        self.constants: list[Constant] = []
        self.calls: dict[str, CallDef] = {}
        self.errors: dict[str, type[ModuleError]] = {}
        self.call_enum = Enum((crate, "pallet", "Call"), (), params=params,
                              docs=("Contains a variant per dispatchable extrinsic that this pallet has.",))
        self.event_enum = Enum((crate, "pallet", "Event"), (), params=params,
                               docs=("The `Event` enum of this pallet",))
        self.error_enum = Enum((crate, "pallet", "Error"), (), params=params,
                               docs=("The `Error` enum of this pallet.",))
        self.genesis_build: Callable[[dict[str, Any]], None] | None = None
        self.on_initialize: Callable[[int], Weight] | None = None
        self.on_finalize: Callable[[int], None] | None = None
        self.on_runtime_upgrade: Callable[[], Weight] | None = None
        self.inherent: ProvideInherent | None = None
        #: The pallet's `Config` class, and the instance the runtime (or a test) bound.
        self.config_class: type[PalletConfig] = PalletConfig
        self._config: PalletConfig | None = None
        #: Metadata V16 `associated_types`: (name, codec, docs) of the Config types the pallet exposes.
        self.associated_types: list[tuple[str, Codec, tuple[str, ...]]] = []

    # -- storage and constants
    def storage(self, name: str, item: StorageItem) -> Any:
        if any(i.name == name for i in self.storage_items):
            raise TypeError(f"{self.name}: storage item {name} declared twice")
        item.bind(self.name, name)
        self.storage_items.append(item)
        return item

    def constant(self, name: str, codec: Codec, value: Any, docs: str | Sequence[str] | None = None,
                 *, lazy: bool = False) -> Any:
        """Declare a constant. `docs` as a sequence is kept line for line (Rust keeps the
        leading space of `/// text` in pallet-level docs). With `lazy=True`, `value` is a
        function called when the value is needed (returned as is)."""
        if not lazy:
            codec.encode(value)  # a constant that cannot encode is a declaration bug: fail at import
        lines = _docs(docs) if docs is None or isinstance(docs, str) else tuple(docs)
        self.constants.append(Constant(name, codec, value, lines, lazy))
        return value

    # -- calls
    def call(self, index: int, *, weight: Weight | WeightFn, dispatch_class: str | StrFn = DispatchClass.NORMAL,
             pays: str | StrFn = Pays.YES) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare a dispatchable. Its parameters after `origin` are annotated with `Arg`.

        `weight`, `dispatch_class` and `pays` are values or functions of the arguments.
        """

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            sig = inspect.signature(fn, eval_str=True)
            params = list(sig.parameters.values())
            if not params or params[0].name != "origin":
                raise TypeError(f"{self.name}.{fn.__name__}: the first parameter of a call is `origin`")
            fields = []
            for p in params[1:]:
                if not isinstance(p.annotation, Arg):
                    raise TypeError(f"{self.name}.{fn.__name__}({p.name}): annotate call arguments with Arg(codec)")
                fields.append(Field(p.name, p.annotation.codec, p.annotation.type_name))
            docs = _docs(fn.__doc__)
            call = CallDef(index, fn.__name__, tuple(fields), fn, weight, dispatch_class, pays, docs)
            if call.name in self.calls:
                raise TypeError(f"{self.name}: call {call.name} declared twice")
            self.calls[call.name] = call
            self.call_enum.add_variant(Variant(call.name, index, call.fields, docs=docs))
            return fn

        return register

    def dispatch(self, origin: Origin, call: tuple[str, dict[str, Any] | None]) -> Any:
        """Run a decoded call of this pallet: `(name, args)` as the Call enum decodes it."""
        name, args = call
        return self.calls[name].function(origin, **(args or {}))

    def dispatch_info(self, call: tuple[str, dict[str, Any] | None]) -> DispatchInfo:
        """The declared dispatch info of a decoded call of this pallet."""
        name, args = call
        return self.calls[name].info(args or {})

    # -- events
    def event(self, index: int, *, unnamed: bool = False) -> Callable[[type], type]:
        """Declare an event from a dataclass whose fields use `arg(...)`.

        `unnamed=True` for tuple variants (`Event::Foo(A, B)`), whose fields metadata lists
        without names.
        """

        def register(cls: type) -> type:
            fields = fields_of(cls, unnamed=unnamed)
            self.event_enum.add_variant(Variant(cls.__name__, index, fields, cls=cls, docs=_docs(cls.__doc__)))
            return cls

        return register

    def deposit_event(self, event: Any) -> None:
        """Emit one of this pallet's events (through its bound `Config.deposit_event`: the
        runtime records it in System.Events)."""
        self.config.deposit_event(self, event)

    # -- errors
    def error(self, index: int, name: str, docs: str | None = None) -> type[ModuleError]:
        """Declare a pallet error; raise the returned class to fail a call with it."""
        if name in self.errors:
            raise TypeError(f"{self.name}: error {name} declared twice")
        cls = type(name, (ModuleError,), {
            "pallet_index": self.index, "error_index": index, "pallet_name": self.name, "error_name": name,
            "__doc__": docs or name,
        })
        self.errors[name] = cls
        self.error_enum.add_variant(Variant(name, index, docs=_docs(docs)))
        return cls

    def associated_type(self, name: str, codec: Codec, docs: str | Sequence[str] | None = None) -> None:
        """Declare a `Config` associated type listed in metadata V16 (e.g. System's `AccountId`).
        `docs` as for `constant`."""
        lines = _docs(docs) if docs is None or isinstance(docs, str) else tuple(docs)
        self.associated_types.append((name, codec, lines))

    # -- hooks and genesis
    def genesis(self, fn: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        """Declare the genesis build: `fn(config)` writes this pallet's initial storage."""
        self.genesis_build = fn
        return fn

    def hook_on_initialize(self, fn: Callable[[int], Weight]) -> Callable[[int], Weight]:
        self.on_initialize = fn
        return fn

    def hook_on_finalize(self, fn: Callable[[int], None]) -> Callable[[int], None]:
        self.on_finalize = fn
        return fn

    def hook_on_runtime_upgrade(self, fn: Callable[[], Weight]) -> Callable[[], Weight]:
        """`on_runtime_upgrade`: run (by the executive) when the runtime version changed; returns its weight."""
        self.on_runtime_upgrade = fn
        return fn

    def provide_inherent(self, inherent: ProvideInherent) -> ProvideInherent:
        """Declare the pallet's inherent (`ProvideInherent`, see `pallets.support.inherent`)."""
        self.inherent = inherent
        return inherent

    # -- binding to the runtime (see the module docstring)
    def config_type(self, cls: type[PalletConfig]) -> type[PalletConfig]:
        """Declare the pallet's `Config` class (by default `PalletConfig`: events only)."""
        if not issubclass(cls, PalletConfig):
            raise TypeError(f"{self.name}: a pallet's Config derives from PalletConfig")
        self.config_class = cls
        return cls

    def bind(self, config: PalletConfig | None) -> PalletConfig | None:
        """Bind the pallet to what the runtime provides (done when the runtime is composed);
        returns the previous binding. None unbinds."""
        if config is not None and not isinstance(config, self.config_class):
            raise TypeError(f"{self.name}: bind a {self.config_class.__qualname__}, not {type(config).__qualname__}")
        previous, self._config = self._config, config
        return previous

    @property
    def is_bound(self) -> bool:
        return self._config is not None

    @property
    def config(self) -> Any:
        """The bound `Config` (raises if the pallet is used before a runtime bound it)."""
        if self._config is None:
            raise RuntimeError(f"{self.name} is not bound to a runtime: compose it with "
                               f"pallet.bind({self.config_class.__qualname__}(...))")
        return self._config

    @contextmanager
    def bound(self, config: PalletConfig | None = None, **changes: Any) -> Iterator[Any]:
        """For a block of code, bind `config`, or the current binding with `changes`
        (tests); the previous binding is restored afterwards."""
        if config is None:
            config = dataclasses.replace(self.config, **changes)
        elif changes:
            config = dataclasses.replace(config, **changes)
        previous = self.bind(config)
        try:
            yield config
        finally:
            self._config = previous

    @property
    def storage_version_key(self) -> bytes:
        """Where genesis writes `storage_version` (u16): `twox128(pallet) ++ twox128(":__STORAGE_VERSION__:")`."""
        return storage_prefix(self.name, ":__STORAGE_VERSION__:")

    def __repr__(self) -> str:
        return f"<Pallet {self.name} #{self.index}>"
