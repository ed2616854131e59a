"""frame_system's types, with the scale-info paths, parameters and field type names of the
real runtime's metadata (sp-version, frame-support dispatch, frame-system).

Python values: `AccountInfo` and the other dataclasses below; `Phase` values are
`("ApplyExtrinsic", index)`, `("Finalization", None)` or `("Initialization", None)`
(the constants `FINALIZATION`, `INITIALIZATION` and `apply_extrinsic(i)`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pysubtensor.pallets.balances.types import ACCOUNT_DATA, AccountData
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_CLASS,
    PAYS,
    WEIGHT,
    DispatchClass,
    Pays,
    RuntimeDbWeight,
    Weight,
)
from pysubtensor.primitives.scale import (
    BOOL,
    H256,
    STR,
    U32,
    U64,
    Codec,
    Compact,
    Enum,
    Field,
    Lazy,
    Option,
    Struct,
    Variant,
    Vec,
)
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "ACCOUNT_INFO",
    "BLOCK_LENGTH",
    "BLOCK_WEIGHTS",
    "CODE_UPGRADE_AUTHORIZATION",
    "DISPATCH_EVENT_INFO",
    "FINALIZATION",
    "INITIALIZATION",
    "LAST_RUNTIME_UPGRADE_INFO",
    "PHASE",
    "RUNTIME_DB_WEIGHT",
    "AccountInfo",
    "BlockLength",
    "BlockWeights",
    "CodeUpgradeAuthorization",
    "Configured",
    "DispatchEventInfo",
    "EventRecord",
    "LastRuntimeUpgradeInfo",
    "PerDispatchClass",
    "WeightsPerClass",
    "apply_extrinsic",
    "cow",
    "event_record_codec",
    "per_dispatch_class",
]


def cow(inner: Codec) -> Struct:
    """`Cow<'static, T>`: scale-info describes it as a newtype named `Cow` over `T`."""
    return Struct(("Cow",), (Field(None, inner),), params=(("T", inner),))


# ---------------------------------------------------------------------------
# Accounts


@dataclass(slots=True)
class AccountInfo:
    """`frame_system::AccountInfo<Nonce, AccountData>`."""

    nonce: int = 0
    consumers: int = 0
    providers: int = 0
    sufficients: int = 0
    data: AccountData = field(default_factory=AccountData)


ACCOUNT_INFO = Struct(
    ("frame_system", "AccountInfo"),
    (
        Field("nonce", U32, "Nonce"),
        Field("consumers", U32, "RefCount"),
        Field("providers", U32, "RefCount"),
        Field("sufficients", U32, "RefCount"),
        Field("data", ACCOUNT_DATA, "AccountData"),
    ),
    cls=AccountInfo,
    params=(("Nonce", U32), ("AccountData", ACCOUNT_DATA)),
)


# ---------------------------------------------------------------------------
# Per-class values, weights and limits


@slots_dataclass(frozen=True)
class PerDispatchClass:
    """`frame_support::dispatch::PerDispatchClass<T>`: one value per dispatch class."""

    normal: Any
    operational: Any
    mandatory: Any

    def __init__(self, normal: Any, operational: Any, mandatory: Any) -> None:
        _set_normal(self, normal)  # (as `Weight.__init__`: one per extrinsic, BlockWeight)
        _set_operational(self, operational)
        _set_mandatory(self, mandatory)

    def get(self, dispatch_class: str) -> Any:
        if dispatch_class == DispatchClass.NORMAL:
            return self.normal
        if dispatch_class == DispatchClass.OPERATIONAL:
            return self.operational
        if dispatch_class == DispatchClass.MANDATORY:
            return self.mandatory
        raise ValueError(f"unknown dispatch class {dispatch_class!r}")

    def with_value(self, dispatch_class: str, value: Any) -> PerDispatchClass:
        return PerDispatchClass(
            value if dispatch_class == DispatchClass.NORMAL else self.normal,
            value if dispatch_class == DispatchClass.OPERATIONAL else self.operational,
            value if dispatch_class == DispatchClass.MANDATORY else self.mandatory,
        )

    def total(self) -> Weight:
        """Sum over the classes (`PerDispatchClass<Weight>::total`), saturating."""
        return self.normal.saturating_add(self.operational).saturating_add(self.mandatory)


_set_normal = PerDispatchClass.normal.__set__  # type: ignore[attr-defined]
_set_operational = PerDispatchClass.operational.__set__  # type: ignore[attr-defined]
_set_mandatory = PerDispatchClass.mandatory.__set__  # type: ignore[attr-defined]

_PER_DISPATCH_CLASS: dict[int, Struct] = {}


def per_dispatch_class(inner: Codec) -> Struct:
    """The `PerDispatchClass<inner>` codec (one codec object per inner type)."""
    codec = _PER_DISPATCH_CLASS.get(id(inner))
    if codec is None:
        codec = Struct(
            ("frame_support", "dispatch", "PerDispatchClass"),
            (Field("normal", inner, "T"), Field("operational", inner, "T"), Field("mandatory", inner, "T")),
            cls=PerDispatchClass,
            params=(("T", inner),),
        )
        _PER_DISPATCH_CLASS[id(inner)] = codec
    return codec


#: `ConsumedWeight` (BlockWeight's value).
CONSUMED_WEIGHT = per_dispatch_class(WEIGHT)


@slots_dataclass(frozen=True)
class WeightsPerClass:
    """`frame_system::limits::WeightsPerClass`."""

    base_extrinsic: Weight
    max_extrinsic: Weight | None
    max_total: Weight | None
    reserved: Weight | None


_OPTION_WEIGHT = Option(WEIGHT)
WEIGHTS_PER_CLASS = Struct(
    ("frame_system", "limits", "WeightsPerClass"),
    (
        Field("base_extrinsic", WEIGHT, "Weight"),
        Field("max_extrinsic", _OPTION_WEIGHT, "Option<Weight>"),
        Field("max_total", _OPTION_WEIGHT, "Option<Weight>"),
        Field("reserved", _OPTION_WEIGHT, "Option<Weight>"),
    ),
    cls=WeightsPerClass,
)


@slots_dataclass(frozen=True)
class BlockWeights:
    """`frame_system::limits::BlockWeights`."""

    base_block: Weight
    max_block: Weight
    per_class: PerDispatchClass

    def get(self, dispatch_class: str) -> WeightsPerClass:
        return self.per_class.get(dispatch_class)


BLOCK_WEIGHTS = Struct(
    ("frame_system", "limits", "BlockWeights"),
    (
        Field("base_block", WEIGHT, "Weight"),
        Field("max_block", WEIGHT, "Weight"),
        Field("per_class", per_dispatch_class(WEIGHTS_PER_CLASS), "PerDispatchClass<WeightsPerClass>"),
    ),
    cls=BlockWeights,
)


@slots_dataclass(frozen=True)
class BlockLength:
    """`frame_system::limits::BlockLength`: maximum block length in bytes per class."""

    max: PerDispatchClass


BLOCK_LENGTH = Struct(
    ("frame_system", "limits", "BlockLength"),
    (Field("max", per_dispatch_class(U32), "PerDispatchClass<u32>"),),
    cls=BlockLength,
)


RUNTIME_DB_WEIGHT = Struct(
    ("sp_weights", "RuntimeDbWeight"),
    (Field("read", U64, "u64"), Field("write", U64, "u64")),
    cls=RuntimeDbWeight,
)


# ---------------------------------------------------------------------------
# Runtime upgrades


_COW_STR = cow(STR)


@slots_dataclass(frozen=True)
class LastRuntimeUpgradeInfo:
    """`frame_system::LastRuntimeUpgradeInfo`."""

    spec_version: int
    spec_name: str

    @classmethod
    def of(cls, version: Any) -> LastRuntimeUpgradeInfo:
        """From the runtime's `RuntimeVersion` value (anything with spec_version, spec_name)."""
        return cls(version.spec_version, version.spec_name)

    def was_upgraded(self, current: Any) -> bool:
        return current.spec_version > self.spec_version or current.spec_name != self.spec_name


LAST_RUNTIME_UPGRADE_INFO = Struct(
    ("frame_system", "LastRuntimeUpgradeInfo"),
    (
        Field("spec_version", Compact(U32), "codec::Compact<u32>"),
        Field("spec_name", _COW_STR, "Cow<'static, str>"),
    ),
    cls=LastRuntimeUpgradeInfo,
)


@slots_dataclass(frozen=True)
class CodeUpgradeAuthorization:
    """`frame_system::CodeUpgradeAuthorization<T>`."""

    code_hash: bytes
    check_version: bool


CODE_UPGRADE_AUTHORIZATION = Struct(
    ("frame_system", "CodeUpgradeAuthorization"),
    (Field("code_hash", H256, "T::Hash"), Field("check_version", BOOL, "bool")),
    cls=CodeUpgradeAuthorization,
    params=(("T", None),),
)


# ---------------------------------------------------------------------------
# Events and phases


@slots_dataclass(frozen=True)
class DispatchEventInfo:
    """`frame_system::DispatchEventInfo`: what `ExtrinsicSuccess`/`ExtrinsicFailed` report."""

    weight: Weight
    dispatch_class: str = DispatchClass.NORMAL
    pays_fee: str = Pays.YES


DISPATCH_EVENT_INFO = Struct(
    ("frame_system", "DispatchEventInfo"),
    (
        Field("weight", WEIGHT, "Weight"),
        Field("class", DISPATCH_CLASS, "DispatchClass"),
        Field("pays_fee", PAYS, "Pays"),
    ),
    cls=DispatchEventInfo,
)

PHASE = Enum(
    ("frame_system", "Phase"),
    (
        Variant("ApplyExtrinsic", 0, (Field(None, U32, "u32"),)),
        Variant("Finalization", 1),
        Variant("Initialization", 2),
    ),
)
INITIALIZATION = ("Initialization", None)
FINALIZATION = ("Finalization", None)


def apply_extrinsic(index: int) -> tuple[str, int]:
    """The phase of applying extrinsic `index`."""
    return ("ApplyExtrinsic", index)


@dataclass(frozen=True, slots=True)
class EventRecord:
    """`frame_system::EventRecord<RuntimeEvent, H256>`."""

    phase: tuple[str, Any]
    event: Any
    topics: list[bytes] = field(default_factory=list)


class Configured(Lazy):
    """A forward reference to a codec the runtime configures, looked up on every use (not
    cached as `Lazy` does), so that composing the runtime again takes effect."""

    __slots__ = ()

    @property
    def target(self) -> Codec:
        return self._resolve()


def event_record_codec(runtime_event: Callable[[], Codec]) -> Struct:
    """`EventRecord<RuntimeEvent, H256>` with the runtime's event enum, looked up when used."""
    event = Configured(runtime_event)
    return Struct(
        ("frame_system", "EventRecord"),
        (Field("phase", PHASE, "Phase"), Field("event", event, "E"), Field("topics", Vec(H256), "Vec<T>")),
        cls=EventRecord,
        params=(("E", event), ("T", H256)),
    )
