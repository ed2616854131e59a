"""The type registry: turns declared codecs into scale-info's portable registry.

Every type a pallet declares is a `primitives.scale.Codec` that describes itself
(`path`, `params`, `type_def()`). Registering a codec gives it a type id, registering what
it refers to first; the result is the list of portable types that metadata carries, so the
registry always describes exactly the codecs that encode and decode on chain.

Anonymous shapes (primitives, Vec, arrays, tuples, Compact) are deduplicated by structure,
as scale-info deduplicates them by Rust type; named types by identity of their codec
object, so a named type is declared once and shared.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.primitives.metadata.registry import (
    Field,
    PortableRegistry,
    PortableType,
    Type,
    TypeDef,
    TypeDefArray,
    TypeDefCompact,
    TypeDefComposite,
    TypeDefPrimitive,
    TypeDefSequence,
    TypeDefTuple,
    TypeDefVariant,
    TypeParameter,
    Variant,
)
from pysubtensor.primitives.scale import Codec, Lazy

__all__ = ["TypeRegistry"]


class TypeRegistry:
    def __init__(self) -> None:
        self.types: list[PortableType | None] = []
        self._by_identity: dict[int, int] = {}
        self._by_structure: dict[tuple, int] = {}
        self._keep: list[Codec] = []  # keep registered codecs alive so identities stay unique

    def register(self, codec: Codec) -> int:
        """The type id of `codec`, registering it (and what it refers to) if new."""
        while isinstance(codec, Lazy):
            codec = codec.target
        known = self._by_identity.get(id(codec))
        if known is not None:
            return known
        if not codec.path:
            return self._register_anonymous(codec)
        if codec.params and all(p is not None for _, p in codec.params):
            # A generic instantiation (Option<u32>, BoundedVec<…>): same path and arguments
            # are the same type however many codec objects describe it.
            args = tuple(self.register(p) for _, p in codec.params)  # type: ignore[arg-type]
            key = ("generic", codec.path, args)
            type_id = self._by_structure.get(key)
            if type_id is not None:
                self._by_identity[id(codec)] = type_id
                self._keep.append(codec)
                return type_id
            type_id = self._register_named(codec)
            self._by_structure[key] = type_id
            return type_id
        return self._register_named(codec)

    def _register_named(self, codec: Codec) -> int:
        # Reserve the id first so recursive types (a call containing calls) can refer to it.
        type_id = len(self.types)
        self.types.append(None)
        self._by_identity[id(codec)] = type_id
        self._keep.append(codec)
        params = [TypeParameter(name, None if p is None else self.register(p)) for name, p in codec.params]
        self.types[type_id] = PortableType(type_id, Type(list(codec.path), params,
                                                         self._resolve_def(codec.type_def()), list(codec.docs)))
        return type_id

    def _register_anonymous(self, codec: Codec) -> int:
        type_def = self._resolve_def(codec.type_def())
        key = (type(type_def).__name__, _freeze(type_def))
        type_id = self._by_structure.get(key)
        if type_id is None:
            type_id = len(self.types)
            self.types.append(PortableType(type_id, Type([], [], type_def, list(codec.docs))))
            self._by_structure[key] = type_id
        self._by_identity[id(codec)] = type_id
        self._keep.append(codec)
        return type_id

    def _fields(self, fields: Any) -> list[Field]:
        return [Field(f.name, self.register(f.codec), f.type_name, list(f.docs)) for f in fields]

    def _resolve_def(self, type_def: tuple) -> TypeDef:
        kind = type_def[0]
        if kind == "primitive":
            return TypeDefPrimitive(type_def[1])
        if kind == "compact":
            return TypeDefCompact(self.register(type_def[1]))
        if kind == "sequence":
            return TypeDefSequence(self.register(type_def[1]))
        if kind == "array":
            return TypeDefArray(type_def[1], self.register(type_def[2]))
        if kind == "tuple":
            return TypeDefTuple([self.register(c) for c in type_def[1]])
        if kind == "composite":
            return TypeDefComposite(self._fields(type_def[1]))
        if kind == "variant":
            variants = []
            for v in type_def[1]:
                if isinstance(v, tuple):  # Option's inline description: (name, index, fields, docs)
                    name, index, fields, docs = v
                    pfields = [Field(n, self.register(c), tn, []) for n, c, tn in fields]
                    variants.append(Variant(name, pfields, index, list(docs)))
                else:
                    variants.append(Variant(v.name, self._fields(v.fields), v.index, list(v.docs)))
            return TypeDefVariant(variants)
        raise TypeError(f"unknown type definition kind {kind!r}")

    def portable_registry(self) -> PortableRegistry:
        if any(t is None for t in self.types):
            raise RuntimeError("type registry has types still being registered")
        return PortableRegistry(list(self.types))  # type: ignore[arg-type]


def _freeze(value: Any) -> Any:
    """A hashable structural key of a type definition (for deduplicating anonymous types)."""
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Field):
        return ("f", value.name, value.ty, value.type_name)
    if isinstance(value, Variant):
        return ("v", value.name, value.index, _freeze(value.fields))
    if hasattr(value, "__dataclass_fields__"):
        return (type(value).__name__, *(_freeze(getattr(value, f)) for f in value.__dataclass_fields__))
    return value
