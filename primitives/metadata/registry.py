"""The portable type registry of scale-info (`PortableRegistry`): every type a runtime
names in its metadata, referred to elsewhere by a `Compact<u32>` id.

The dataclasses mirror scale-info's portable form field for field (`ty` where Rust says
`ty`, `type_param` for sequence / array / compact), so the codecs below read and write
exactly the bytes a Rust runtime emits.
"""

from __future__ import annotations

from dataclasses import dataclass

from pysubtensor.primitives.scale import U8, U32, Enum, Option, Struct, Vec
from pysubtensor.primitives.scale import Field as CodecField
from pysubtensor.primitives.scale import Variant as CodecVariant

from .common import DOCS, TEXT, TYPE_ID, MetadataError, NameEnum

__all__ = [
    "PORTABLE_REGISTRY",
    "PRIMITIVES",
    "Field",
    "PortableRegistry",
    "PortableType",
    "Type",
    "TypeDef",
    "TypeDefArray",
    "TypeDefBitSequence",
    "TypeDefCompact",
    "TypeDefComposite",
    "TypeDefPrimitive",
    "TypeDefSequence",
    "TypeDefTuple",
    "TypeDefVariant",
    "TypeParameter",
    "Variant",
]

#: `TypeDefPrimitive` variants in index order (scale-info).
PRIMITIVES = ("bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256",
              "i8", "i16", "i32", "i64", "i128", "i256")


@dataclass(frozen=True, slots=True)
class TypeParameter:
    """A generic parameter; `ty` is None when the parameter was erased (e.g. `PhantomData`)."""

    name: str
    ty: int | None


@dataclass(frozen=True, slots=True)
class Field:
    """A field of a composite or of an enum variant; `name` is None for tuple-like fields."""

    name: str | None
    ty: int
    type_name: str | None
    docs: list[str]


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    fields: list[Field]
    index: int
    docs: list[str]


@dataclass(frozen=True, slots=True)
class TypeDefComposite:
    fields: list[Field]


@dataclass(frozen=True, slots=True)
class TypeDefVariant:
    variants: list[Variant]


@dataclass(frozen=True, slots=True)
class TypeDefSequence:
    type_param: int


@dataclass(frozen=True, slots=True)
class TypeDefArray:
    len: int
    type_param: int


@dataclass(frozen=True, slots=True)
class TypeDefTuple:
    fields: list[int]


@dataclass(frozen=True, slots=True)
class TypeDefPrimitive:
    """One of `PRIMITIVES`, by name."""

    primitive: str


@dataclass(frozen=True, slots=True)
class TypeDefCompact:
    type_param: int


@dataclass(frozen=True, slots=True)
class TypeDefBitSequence:
    bit_store_type: int
    bit_order_type: int


TypeDef = (TypeDefComposite | TypeDefVariant | TypeDefSequence | TypeDefArray | TypeDefTuple
           | TypeDefPrimitive | TypeDefCompact | TypeDefBitSequence)


@dataclass(frozen=True, slots=True)
class Type:
    path: list[str]
    type_params: list[TypeParameter]
    type_def: TypeDef
    docs: list[str]

    @property
    def path_name(self) -> str:
        """`a::b::C`, the name clients resolve well-known types by ("" for anonymous shapes)."""
        return "::".join(self.path)


@dataclass(frozen=True, slots=True)
class PortableType:
    id: int
    ty: Type


@dataclass(frozen=True, slots=True)
class PortableRegistry:
    types: list[PortableType]

    def type(self, type_id: int) -> Type:
        """The type with id `type_id`.

        scale-info numbers types densely from 0 in registry order, so this is an index;
        a registry that breaks that rule is still searched rather than misread.
        """
        types = self.types
        if 0 <= type_id < len(types) and types[type_id].id == type_id:
            return types[type_id].ty
        for portable in types:
            if portable.id == type_id:
                return portable.ty
        raise MetadataError(f"type id {type_id} is not in the registry ({len(types)} types)")

    def variants(self, type_id: int) -> list[Variant]:
        """The variants of an enum type (a pallet's calls, events or errors)."""
        type_def = self.type(type_id).type_def
        if not isinstance(type_def, TypeDefVariant):
            raise MetadataError(f"type {type_id} is a {type(type_def).__name__}, not a variant type")
        return type_def.variants

    def __len__(self) -> int:
        return len(self.types)


# ---------------------------------------------------------------------------
# Codecs, in the field order of scale-info's `PortableForm` types.

_P = ("scale_info",)

TYPE_PARAMETER = Struct((*_P, "TypeParameter"), [
    CodecField("name", TEXT),
    CodecField("ty", Option(TYPE_ID)),
], cls=TypeParameter)

FIELD = Struct((*_P, "Field"), [
    CodecField("name", Option(TEXT)),
    CodecField("ty", TYPE_ID),
    CodecField("type_name", Option(TEXT)),
    CodecField("docs", DOCS),
], cls=Field)

VARIANT = Struct((*_P, "Variant"), [
    CodecField("name", TEXT),
    CodecField("fields", Vec(FIELD)),
    CodecField("index", U8),
    CodecField("docs", DOCS),
], cls=Variant)

TYPE_DEF_PRIMITIVE = NameEnum((*_P, "TypeDefPrimitive"), PRIMITIVES)

TYPE_DEF = Enum((*_P, "TypeDef"), [
    CodecVariant("Composite", 0, [CodecField("fields", Vec(FIELD))], cls=TypeDefComposite),
    CodecVariant("Variant", 1, [CodecField("variants", Vec(VARIANT))], cls=TypeDefVariant),
    CodecVariant("Sequence", 2, [CodecField("type_param", TYPE_ID)], cls=TypeDefSequence),
    CodecVariant("Array", 3, [CodecField("len", U32), CodecField("type_param", TYPE_ID)], cls=TypeDefArray),
    CodecVariant("Tuple", 4, [CodecField("fields", Vec(TYPE_ID))], cls=TypeDefTuple),
    CodecVariant("Primitive", 5, [CodecField(None, TYPE_DEF_PRIMITIVE)], cls=TypeDefPrimitive),
    CodecVariant("Compact", 6, [CodecField("type_param", TYPE_ID)], cls=TypeDefCompact),
    CodecVariant("BitSequence", 7, [CodecField("bit_store_type", TYPE_ID),
                                    CodecField("bit_order_type", TYPE_ID)], cls=TypeDefBitSequence),
])

TYPE = Struct((*_P, "Type"), [
    CodecField("path", Vec(TEXT)),
    CodecField("type_params", Vec(TYPE_PARAMETER)),
    CodecField("type_def", TYPE_DEF),
    CodecField("docs", DOCS),
], cls=Type)

PORTABLE_TYPE = Struct((*_P, "PortableType"), [
    CodecField("id", TYPE_ID),
    CodecField("ty", TYPE),
], cls=PortableType)

PORTABLE_REGISTRY = Struct((*_P, "PortableRegistry"), [
    CodecField("types", Vec(PORTABLE_TYPE)),
], cls=PortableRegistry)
