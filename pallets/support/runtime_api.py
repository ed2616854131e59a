"""Declaring a runtime API (`sp_api::decl_runtime_apis!`) and implementing it
(`impl_runtime_apis!`): what `state_call("<Api>_<method>", SCALE(args))` runs.

A runtime API is a name, a version, docs and methods; each method has named, typed inputs,
an output type and docs, exactly as metadata V15 lists them. A pallet declares the APIs it
offers next to its storage (`pallets/aura/api.py`), implementing each method at once:

    AuraApi = RuntimeApi("AuraApi", 1, rust_docs("API necessary for block authorship with aura."))

    @AuraApi.method("slot_duration", (), SLOT_DURATION, "Returns the slot duration for Aura.")
    def slot_duration() -> int: ...

An API whose implementation only the composed runtime can give (the block executive behind
`Core`, `BlockBuilder`) declares its methods with `declare` and the runtime binds each
function with `implements`. The runtime composes the APIs in `impl_runtime_apis!` order
(`runtime.api_traits.RUNTIME_APIS`); `Core_version`'s API list and the metadata come from
that one tuple.

Failures raise `RuntimeApiError` subclasses whose text is what Substrate puts after
`Client error: Execution failed: ` (RPC error 4003).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pysubtensor.pallets.support.pallet import rust_docs
from pysubtensor.primitives.hashing import blake2_64
from pysubtensor.primitives.scale import Codec, ScaleDecodeError
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = ["ApiMethod", "ApiPanicked", "BadApiInput", "MethodNotFound", "Param", "RuntimeApi", "RuntimeApiError",
           "api_id"]


class RuntimeApiError(Exception):
    """A runtime call that did not produce a result. `str(e)` is the executor's message."""


class MethodNotFound(RuntimeApiError):
    """No runtime API method of that name (the wasm export is missing)."""

    def __init__(self, method: str) -> None:
        self.method = method
        super().__init__(f"Other: Exported method {method} is not found")


class ApiPanicked(RuntimeApiError):
    """The runtime panicked while running the method (a trap in the real node)."""

    def __init__(self, message: str) -> None:
        self.reason = message
        super().__init__(f"Execution aborted due to panic: {message}")


class BadApiInput(ApiPanicked):
    """The argument bytes do not decode as the method's inputs (sp-api panics with this)."""


def api_id(name: str) -> bytes:
    """The 8-byte identifier of a runtime API trait: blake2-64 of its name."""
    return blake2_64(name.encode())


@slots_dataclass(frozen=True)
class Param:
    name: str
    codec: Codec


@slots_dataclass
class ApiMethod:
    """One method: its inputs are decoded in order from the call data, its result encoded
    with `output`. `function` is None until the runtime implements a declared method."""

    name: str
    inputs: tuple[Param, ...]
    output: Codec
    docs: tuple[str, ...]
    function: Callable[..., Any] | None = None

    def decode_args(self, data: bytes) -> tuple[Any, ...]:
        """The arguments, decoded as one tuple spanning all of `data` (sp-api's `decode_all`)."""
        if not self.inputs:
            if data:
                raise BadApiInput(f"Bad input data provided to {self.name}: expected no parameters, but input "
                                  "buffer is not empty. Nothing bad happened: someone sent an invalid transaction "
                                  "to the node.")
            return ()
        args = []
        pos = 0
        try:
            for param in self.inputs:
                value, pos = param.codec.decode(data, pos)
                args.append(value)
        except ScaleDecodeError as e:
            raise BadApiInput(f"Bad input data provided to {self.name}: {e}") from None
        if pos != len(data):
            raise BadApiInput(f"Bad input data provided to {self.name}: Input buffer has still data left after "
                              "decoding!")
        return tuple(args)


def _doc_lines(docs: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(docs, str):
        return rust_docs(docs) if docs else ()
    return tuple(docs)


class RuntimeApi:
    """A runtime API trait: name, version, docs and its methods in declaration order."""

    def __init__(self, name: str, version: int, docs: Sequence[str]) -> None:
        self.name = name
        self.version = version
        self.docs = tuple(docs)
        self.methods: list[ApiMethod] = []

    @property
    def id(self) -> bytes:
        return api_id(self.name)

    def declare(self, name: str, inputs: Sequence[tuple[str, Codec]], output: Codec,
                docs: str | Sequence[str] = "") -> ApiMethod:
        """Declare the method `name` (`inputs` as (name, codec) pairs, in order) without
        implementing it: the runtime does, with `implements`."""
        if any(m.name == name for m in self.methods):
            raise TypeError(f"{self.name}: method {name} declared twice")
        method = ApiMethod(name, tuple(Param(n, c) for n, c in inputs), output, _doc_lines(docs))
        self.methods.append(method)
        return method

    def implements(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Bind the implementation of the declared method `name`."""
        method = next((m for m in self.methods if m.name == name), None)
        if method is None:
            raise TypeError(f"{self.name}: no method {name} declared")

        def bind(fn: Callable[..., Any]) -> Callable[..., Any]:
            if method.function is not None:
                raise TypeError(f"{self.name}_{name} implemented twice")
            method.function = fn
            return fn

        return bind

    def method(self, name: str, inputs: Sequence[tuple[str, Codec]], output: Codec,
               docs: str | Sequence[str] = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare the method `name` and implement it with the decorated function."""
        self.declare(name, inputs, output, docs)
        return self.implements(name)

    def unimplemented(self) -> list[str]:
        return [m.name for m in self.methods if m.function is None]

    def __repr__(self) -> str:
        return f"<RuntimeApi {self.name} v{self.version}>"
