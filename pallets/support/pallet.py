"""Declaring a pallet: storage, calls, events, errors, constants, genesis and hooks.

One `Pallet` object per pallet; its items may be declared in one module or across several
(a package with `subnets.py`, `staking.py`, …). Each kind of item has a namespace of its own,
so a storage item, an event, an error and a constant may share a name, as on chain:

    pallet = Pallet("Balances", 5, crate="pallet_balances", type_params=("T", "I"))

    TotalIssuance = pallet.storage("TotalIssuance", StorageValue(BALANCE, default=0),
                                   docs="The total units issued in the system.")

    @pallet.constants
    class Constants:
        ExistentialDeposit = constant(BALANCE, 500, "The minimum amount required to keep an account open.")

    @pallet.events
    class Event:
        @event(2)
        class Transfer:
            \"\"\"Transfer succeeded.\"\"\"
            from_: AccountId          # field types from codec-carrying annotations (support.types)
            to: AccountId
            amount: Balance

    @pallet.errors
    class Error:
        InsufficientBalance = error(2, "Balance too low to send value.")
        ExistentialDeposit = error(3, "Value too low to create account due to existential deposit.")

    @pallet.call(3, weight=lambda value: WEIGHTS.transfer_keep_alive)
    def transfer_keep_alive(origin, dest: Arg(MULTI_ADDRESS, "AccountIdLookupOf<T>"), value: compact(Balance)):
        \"\"\"Same as the `transfer_allow_death` call, but ...\"\"\"
        ...
        ensure(ok, Error.InsufficientBalance)
        pallet.deposit_event(Event.Transfer(source, dest, value))

Names: storage items are module attributes (`TotalIssuance.get()`, as FRAME's
`TotalIssuance::<T>::get()`); events, errors and constants are reached through their kind's
namespace class in the declaring module (`Event.Transfer`, `Error.InsufficientBalance`,
`Constants.ExistentialDeposit`), or pallet-wide, whatever module declared them, through
`pallet.Storage`, `pallet.Call`, `pallet.Event`, `pallet.Error` and `pallet.Constants`.

Docs: one convention, the docstring. Calls, events and value types take their docstring;
errors, constants and storage items a `docs` text in docstring form. The framework gives each
line the form metadata shows (storage items and constants keep the space after Rust's `///`).

Metadata order: by default the order of declaration. A pallet declared across modules gives
the order of each kind explicitly with `metadata_order(storage=[…], calls=[…], …)`, as the
real metadata lists them; `check()` (run when metadata is built, and by tests) refuses a
declared item missing from the order, a listed item never declared, and events or errors
whose indices do not increase along the order (a Rust enum's index is its position).

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
import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
from pysubtensor.pallets.support.types import call_parameters, doc_lines, field_name, fields_of, resolve
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.scale import Codec, Enum, Field, Variant
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "Arg",
    "CallDef",
    "Constant",
    "DeclarationError",
    "Namespace",
    "Pallet",
    "constant",
    "error",
    "event",
    "rust_docs",
]


class DeclarationError(TypeError):
    """A pallet's declarations are inconsistent (raised when declared or when checked)."""


@slots_dataclass(frozen=True)
class Arg:
    """Annotation of a call argument: its SCALE type and the Rust type name metadata shows.
    (A codec-carrying alias from `support.types` serves as well.)"""

    codec: Codec
    type_name: str | None = None


def _docs(text: str | None) -> tuple[str, ...]:
    return doc_lines(text)


def rust_docs(text: str) -> tuple[str, ...]:
    """Doc lines as Rust puts `/// text` comments of storage items and constants in metadata:
    each non-empty line keeps the space after `///`. Pass the text as a (dedented) docstring."""
    return tuple(f" {line}" if line else "" for line in _docs(text))


class Namespace:
    """A pallet's items of one kind by name, in declaration order (`pallet.Event.Transfer`)."""

    def __init__(self, owner: str, kind: str) -> None:
        self._owner = owner
        self._kind = kind
        self._items: dict[str, Any] = {}

    def _add(self, name: str, item: Any) -> None:
        if name in self._items:
            raise DeclarationError(f"{self._owner}: {self._kind} {name} declared twice")
        self._items[name] = item

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_items"][name]
        except KeyError:
            raise AttributeError(f"{self.__dict__.get('_owner')} has no {self.__dict__.get('_kind')} "
                                 f"named {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def names(self) -> list[str]:
        return list(self._items)

    def __repr__(self) -> str:
        return f"<{self._owner}.{self._kind}: {', '.join(self._items)}>"


@slots_dataclass(frozen=True)
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


# ---------------------------------------------------------------------------
# Item markers used inside the namespace classes (`@pallet.constants`, `@pallet.errors`,
# `@pallet.events`): they record what the class decorator registers.


@slots_dataclass(frozen=True)
class _ConstantDecl:
    codec: Codec
    value: Any
    docs: str | Sequence[str] | None
    lazy: bool


def constant(codec: Codec, value: Any, docs: str | Sequence[str] | None = None, *, lazy: bool = False) -> Any:
    """A constant inside a `@pallet.constants` class. `docs` is a docstring-form text (or
    lines kept as they are); with `lazy=True`, `value` is a function called when the value is
    needed (and the namespace attribute is that function)."""
    return _ConstantDecl(codec, value, docs, lazy)


@slots_dataclass(frozen=True)
class _ErrorDecl:
    index: int
    docs: str | None


def error(index: int, docs: str | None = None) -> Any:
    """An error inside a `@pallet.errors` class; the attribute becomes an exception class."""
    return _ErrorDecl(index, docs)


_EVENT_MARK = "__pallet_event__"


def event(index: int, *, unnamed: bool = False) -> Callable[[type], type]:
    """Mark a class inside a `@pallet.events` class as the event variant `index`. Its fields
    are its annotations; `unnamed=True` for tuple variants (`Event::Foo(A, B)`), whose fields
    metadata lists without names (the Python attributes still name them)."""

    def mark(cls: type) -> type:
        setattr(cls, _EVENT_MARK, (index, unnamed))
        return cls

    return mark


# ---------------------------------------------------------------------------
# Calls

WeightFn = Callable[..., Weight]
#: A dispatch class or fee rule that depends on the call's arguments (e.g. `Sudo.sudo` takes
#: the class of the call it wraps).
StrFn = Callable[..., str]


@slots_dataclass(frozen=True)
class _ArgsOf:
    """A function of some of a call's arguments: which ones it takes (None: all, `**kwargs`)."""

    fn: Callable[..., Any]
    names: tuple[str, ...] | None

    def __call__(self, args: dict[str, Any]) -> Any:
        if self.names is None:
            return self.fn(**args)
        return self.fn(**{n: args[n] for n in self.names})


def _args_of(fn: Callable[..., Any], call_args: Sequence[str], what: str, where: str) -> _ArgsOf:
    """Check at declaration that `fn` takes only arguments the call has, by name."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError) as e:  # a builtin without a signature
        raise DeclarationError(f"{where}: the {what} function has no inspectable signature: {e}") from None
    names = []
    for p in params:
        if p.kind is p.VAR_KEYWORD:
            return _ArgsOf(fn, None)
        if p.kind in (p.POSITIONAL_ONLY, p.VAR_POSITIONAL):
            raise DeclarationError(f"{where}: the {what} function takes call arguments by name; "
                                   f"`{p.name}` cannot be passed by name")
        if p.name not in call_args:
            raise DeclarationError(f"{where}: the {what} function takes `{p.name}`, which is not an argument "
                                   f"of the call ({', '.join(call_args) or 'none'})")
        names.append(p.name)
    return _ArgsOf(fn, tuple(names))


@slots_dataclass(frozen=True)
class CallDef:
    """A dispatchable: index, name, argument fields, weight, class, fee rule and the function.

    `weight`, `dispatch_class` and `pays` are values, or functions of the arguments they name.
    """

    index: int
    name: str
    fields: tuple[Field, ...]
    function: Callable[..., Any]
    weight: Weight | _ArgsOf
    dispatch_class: str | _ArgsOf
    pays: str | _ArgsOf
    docs: tuple[str, ...]

    def weight_of(self, args: dict[str, Any]) -> Weight:
        """The declared (pre-dispatch) weight of this call with these arguments."""
        w = self.weight
        return w(args) if isinstance(w, _ArgsOf) else w

    def info(self, args: dict[str, Any]) -> DispatchInfo:
        """`GetDispatchInfo`: declared weight, class and fee rule with these arguments."""
        cls, pays = self.dispatch_class, self.pays
        return DispatchInfo(self.weight_of(args), cls(args) if isinstance(cls, _ArgsOf) else cls,
                            pays(args) if isinstance(pays, _ArgsOf) else pays)


def _lines(docs: str | Sequence[str] | None, convert: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    if docs is None:
        return ()
    return convert(docs) if isinstance(docs, str) else tuple(docs)


_KINDS = ("storage", "calls", "events", "errors", "constants")


class Pallet:
    """One pallet's declarations. See the module docstring for the shape of a pallet module.

    `call_docs` / `event_docs` / `error_docs` are the docs of the pallet's Call, Event and Error
    enums (FRAME's defaults unless the Rust pallet documents its `#[pallet::call]` or enum); `event_generic=False` for a pallet
    whose `Event` is not generic over `T`. `pallet_module` is the module path of the
    `#[frame_support::pallet]` module inside the crate (`pallet::pallet` where the crate nests
    it, as pallet_subtensor_swap does).
    """

    def __init__(self, name: str, index: int, *, crate: str, type_params: Sequence[str] = ("T",),
                 docs: Sequence[str] = (), storage_version: int = 0,
                 event_docs: str = "The `Event` enum of this pallet",
                 error_docs: str = "The `Error` enum of this pallet.", event_generic: bool = True,
                 call_docs: str | Sequence[str] = "Contains a variant per dispatchable extrinsic that this pallet has.",
                 pallet_module: Sequence[str] = ("pallet",)) -> None:
        self.name = name
        self.index = index
        self.crate = crate
        self.docs = tuple(docs)
        #: The in-code `StorageVersion`; genesis writes it under `STORAGE_VERSION_KEY_SUFFIX`.
        self.storage_version = storage_version
        params = tuple((p, None) for p in type_params)
        self.Storage = Namespace(name, "storage item")
        self.Call = Namespace(name, "call")
        self.Event = Namespace(name, "event")
        self.Error = Namespace(name, "error")
        self.Constants = Namespace(name, "constant")
        self._constants: dict[str, Constant] = {}
        self._calls: dict[str, CallDef] = {}
        self._order: dict[str, tuple[str, ...]] = {}
        self.call_enum = Enum((crate, *pallet_module, "Call"), (), params=params,
                              docs=(call_docs,) if isinstance(call_docs, str) else tuple(call_docs))
        self.event_enum = Enum((crate, *pallet_module, "Event"), (), params=params if event_generic else (),
                               docs=_docs(event_docs))
        self.error_enum = Enum((crate, *pallet_module, "Error"), (), params=params, docs=_docs(error_docs))
        self.genesis_build: Callable[[dict[str, Any]], None] | None = None
        self.on_initialize: Callable[[int], Weight] | None = None
        self.on_finalize: Callable[[int], None] | None = None
        self.on_runtime_upgrade: Callable[[], Weight] | None = None
        self.inherent: ProvideInherent | None = None
        #: `ValidateUnsigned::validate_unsigned(source, call)`: a `ValidTransaction` for a bare
        #: call of this pallet it admits, else raises `TransactionValidityError`; None when the
        #: pallet validates no unsigned calls.
        self.validate_unsigned: Callable[[str, Any], Any] | None = None
        #: `offchain_worker(block_number)`: run by `OffchainWorkerApi_offchain_worker` after the
        #: node imports a block, with the offchain host functions (`primitives.offchain`).
        self.offchain_worker: Callable[[int], None] | None = None
        #: The pallet's `Config` class, and the instance the runtime (or a test) bound.
        self.config_class: type[PalletConfig] = PalletConfig
        self._config: PalletConfig | None = None
        #: Metadata V16 `associated_types`: (name, codec, docs) of the Config types the pallet exposes.
        self.associated_types: list[tuple[str, Codec, tuple[str, ...]]] = []

    # -- metadata order
    def metadata_order(self, *, storage: Sequence[str] | None = None, calls: Sequence[str] | None = None,
                       events: Sequence[str] | None = None, errors: Sequence[str] | None = None,
                       constants: Sequence[str] | None = None) -> None:
        """Give the metadata order of some kinds of items by name (as the real metadata lists
        them); the others keep declaration order. Checked by `check()`."""
        for kind, names in zip(_KINDS, (storage, calls, events, errors, constants), strict=True):
            if names is None:
                continue
            names = tuple(names)
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise DeclarationError(f"{self.name}: {kind} order lists {', '.join(dupes)} more than once")
            self._order[kind] = names

    def _declared(self, kind: str) -> list[str]:
        if kind == "storage":
            return self.Storage.names()
        if kind == "calls":
            return list(self._calls)
        if kind == "events":
            return [v.name for v in self.event_enum.variants]
        if kind == "errors":
            return [v.name for v in self.error_enum.variants]
        return list(self._constants)

    def order_problems(self) -> list[str]:
        """Each way the declarations disagree with the metadata order (empty if they agree)."""
        problems = []
        for kind in _KINDS:
            declared = self._declared(kind)
            order = self._order.get(kind)
            if order is not None:
                missing = [n for n in declared if n not in order]
                extra = [n for n in order if n not in declared]
                if missing:
                    problems.append(f"{kind} declared but not in the metadata order: {', '.join(missing)}")
                if extra:
                    problems.append(f"{kind} in the metadata order but never declared: {', '.join(extra)}")
            if kind in ("events", "errors"):
                enum = self.event_enum if kind == "events" else self.error_enum
                names = [n for n in (order or declared) if n in enum.by_name]
                for before, after in itertools.pairwise(names):
                    if enum.by_name[before].index >= enum.by_name[after].index:
                        problems.append(f"{kind}: {after} (index {enum.by_name[after].index}) is out of place "
                                        f"after {before} (index {enum.by_name[before].index})")
        return problems

    def check(self) -> Pallet:
        """Refuse declarations that disagree with the metadata order, naming each problem;
        then put the Call, Event and Error enums' variants in metadata order."""
        problems = self.order_problems()
        if problems:
            raise DeclarationError(f"{self.name}: " + "; ".join(problems))
        for kind, enum in (("calls", self.call_enum), ("events", self.event_enum), ("errors", self.error_enum)):
            order = self._order.get(kind)
            if order is not None:
                enum.variants = tuple(enum.by_name[n] for n in order)
        return self

    def _ordered(self, kind: str, items: dict[str, Any]) -> list[Any]:
        order = self._order.get(kind)
        if order is None:
            return list(items.values())
        return [items[n] for n in order if n in items]

    @property
    def storage_items(self) -> list[StorageItem]:
        """Storage items in metadata order."""
        return self._ordered("storage", self.Storage._items)

    @property
    def constant_items(self) -> list[Constant]:
        """Constants in metadata order."""
        return self._ordered("constants", self._constants)

    @property
    def calls(self) -> dict[str, CallDef]:
        """Calls by name."""
        return self._calls

    # -- storage
    def storage(self, name: str, item: StorageItem, docs: str | None = None) -> Any:
        """Declare a storage item under its on-chain `name`; `docs` in docstring form (or
        the item's own `docs` lines)."""
        if docs is not None:
            item.docs = rust_docs(docs)
        self.Storage._add(name, item)
        item.bind(self.name, name)
        # Items an item brings along follow it in metadata (a counted map's `CounterFor<Name>`),
        # as frame-support's `build_metadata` lists them.
        for extra in item.extra_entries:
            self.Storage._add(extra.name, extra)
        return item

    # -- constants
    def constants(self, cls: type) -> type:
        """Class decorator: declare each `constant(...)` attribute of `cls` (in order) as a
        pallet constant named by the attribute; the attribute becomes the value."""
        for name, decl in _declarations(cls, _ConstantDecl):
            if not decl.lazy:
                decl.codec.encode(decl.value)  # a constant that cannot encode is a declaration bug
            self.Constants._add(name, decl.value)
            self._constants[name] = Constant(name, decl.codec, decl.value, _lines(decl.docs, rust_docs), decl.lazy)
            setattr(cls, name, decl.value)
        return cls

    # -- calls
    def call(self, index: int, *, weight: Weight | WeightFn, dispatch_class: str | StrFn = DispatchClass.NORMAL,
             pays: str | StrFn = Pays.YES, docs: Sequence[str] | None = None,
             ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare a dispatchable. Its parameters after `origin` are annotated with `Arg` or a
        codec-carrying alias. `weight`, `dispatch_class` and `pays` are values, or functions
        taking by name the call arguments they need (checked here). `docs`, the doc lines
        verbatim, replaces the docstring where Rust's docs begin with empty `///` lines."""

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            where = f"{self.name}.{fn.__name__}"
            params = call_parameters(fn)  # inspect.signature(fn, eval_str=True)'s, faster
            if not params or params[0].name != "origin":
                raise DeclarationError(f"{where}: the first parameter of a call is `origin`")
            fields = []
            for p in params[1:]:
                if isinstance(p.annotation, Arg):
                    fields.append(Field(p.name, p.annotation.codec, p.annotation.type_name))
                elif p.annotation is inspect.Parameter.empty:
                    raise DeclarationError(f"{where}({p.name}): annotate call arguments with their SCALE type")
                else:
                    codec, type_name, _ = resolve(p.annotation, f"{where}({p.name})")
                    fields.append(Field(field_name(p.name), codec, type_name))
            names = [p.name for p in params[1:]]
            w = _args_of(weight, names, "weight", where) if callable(weight) else weight
            dc = _args_of(dispatch_class, names, "dispatch_class", where) if callable(dispatch_class) \
                else dispatch_class
            py = _args_of(pays, names, "pays", where) if callable(pays) else pays
            call_docs = tuple(docs) if docs is not None else _docs(fn.__doc__)
            call = CallDef(index, fn.__name__, tuple(fields), fn, w, dc, py, call_docs)
            self.Call._add(call.name, fn)
            self._calls[call.name] = call
            self.call_enum.add_variant(Variant(call.name, index, call.fields, docs=call_docs))
            return fn

        return register

    def dispatch(self, origin: Origin, call: tuple[str, dict[str, Any] | None]) -> Any:
        """Run a decoded call of this pallet: `(name, args)` as the Call enum decodes it."""
        name, args = call
        return self._calls[name].function(origin, **(args or {}))

    def dispatch_info(self, call: tuple[str, dict[str, Any] | None]) -> DispatchInfo:
        """The declared dispatch info of a decoded call of this pallet."""
        name, args = call
        return self._calls[name].info(args or {})

    # -- events
    def events(self, cls: type) -> type:
        """Class decorator: declare each `@event(i)` class inside `cls` (in order) as an event;
        each becomes a frozen dataclass whose fields come from its annotations."""
        for name, member in list(vars(cls).items()):
            mark = getattr(member, _EVENT_MARK, None) if isinstance(member, type) else None
            if mark is None:
                continue
            index, unnamed = mark
            declared = slots_dataclass(member, frozen=True)  # dataclass(frozen=True, slots=True), faster
            fields = fields_of(declared, unnamed=unnamed)
            self.Event._add(name, declared)
            self.event_enum.add_variant(Variant(name, index, fields, cls=declared, docs=_docs(member.__doc__)))
            setattr(cls, name, declared)
        return cls

    def deposit_event(self, event: Any) -> None:
        """Emit one of this pallet's events (through its bound `Config.deposit_event`: the
        runtime records it in System.Events)."""
        self.config.deposit_event(self, event)

    # -- errors
    def errors(self, cls: type) -> type:
        """Class decorator: declare each `error(i, docs)` attribute of `cls` (in order) as an
        error; the attribute becomes the exception class to raise."""
        for name, decl in _declarations(cls, _ErrorDecl):
            exc = type(name, (ModuleError,), {
                "pallet_index": self.index, "error_index": decl.index, "pallet_name": self.name,
                "error_name": name, "__doc__": decl.docs or name, "__qualname__": f"{cls.__qualname__}.{name}",
                "__module__": cls.__module__,
            })
            self.Error._add(name, exc)
            self.error_enum.add_variant(Variant(name, decl.index, docs=_docs(decl.docs)))
            setattr(cls, name, exc)
        return cls

    def associated_type(self, name: str, codec: Codec, docs: str | Sequence[str] | None = None) -> None:
        """Declare a `Config` associated type listed in metadata V16 (e.g. System's `AccountId`)."""
        self.associated_types.append((name, codec, _lines(docs, rust_docs)))

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

    def hook_validate_unsigned(self, fn: Callable[[str, Any], Any]) -> Callable[[str, Any], Any]:
        """Declare the pallet's `#[pallet::validate_unsigned]` (`fn(source, call)`); its
        `pre_dispatch` is the same check with source `InBlock`, as FRAME's default."""
        self.validate_unsigned = fn
        return fn

    def hook_offchain_worker(self, fn: Callable[[int], None]) -> Callable[[int], None]:
        """Declare the pallet's `offchain_worker` hook."""
        self.offchain_worker = fn
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


def _declarations(cls: type, kind: type) -> list[tuple[str, Any]]:
    found = [(name, value) for name, value in vars(cls).items() if isinstance(value, kind)]
    if not found:
        raise DeclarationError(f"{cls.__qualname__}: no {kind.__name__.strip('_').removesuffix('Decl').lower()} "
                               "declared in it")
    return found
