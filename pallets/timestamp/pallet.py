"""Timestamp (pallet 2, `pallet_timestamp`): the block's time, set once per block by the
`set` inherent and checked at the end of the block.

`MinimumPeriod` is subtensor's `SLOT_DURATION / 2`. We use the fast-runtime value, 125 ms
(250 ms blocks), as localnet and devnet run (the spec-381 devnet metadata carries 125);
finney's production runtime has 6 000 (12 s blocks). `set` refuses a time less than
`MinimumPeriod` after the previous block's, and a second `set` in one block, by panicking
as the Rust pallet does: such a block is invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.support import inherent
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import DispatchClass, Origin, RuntimePanic, Weight, ensure_none
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.primitives.inherents import TIMESTAMP_INHERENT_IDENTIFIER, InherentData
from pysubtensor.primitives.scale import BOOL, U64, Compact, ScaleDecodeError

__all__ = [
    "INHERENT_IDENTIFIER",
    "MAX_TIMESTAMP_DRIFT_MILLIS",
    "Config",
    "Constants",
    "DidUpdate",
    "InherentError",
    "Now",
    "OnTimestampSet",
    "TimestampInherent",
    "check_inherent",
    "create_inherent",
    "get",
    "on_finalize",
    "on_initialize",
    "pallet",
    "set",
]

pallet = Pallet("Timestamp", 2, crate="pallet_timestamp")

#: The inherent data key of the timestamp (`sp_timestamp::INHERENT_IDENTIFIER`).
INHERENT_IDENTIFIER = TIMESTAMP_INHERENT_IDENTIFIER
#: How far ahead of the author's clock an imported block's time may be.
MAX_TIMESTAMP_DRIFT_MILLIS = 30_000

#: pallet_timestamp's weights (`SubstrateWeight` with RocksDb: 2 reads, 1 write for `set`).
SET_WEIGHT = Weight(8_684_000 + 2 * 25_000_000 + 100_000_000, 1493)
ON_FINALIZE_WEIGHT = Weight(4_118_000, 0)


class OnTimestampSet(Protocol):
    def __call__(self, moment: int) -> None:
        """React to the block's new time (subtensor: Aura's slot check)."""
        ...


def _nothing(moment: int) -> None:
    """`()`: no one is told."""


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    """`pallet_timestamp::Config`, as the runtime binds it."""

    on_timestamp_set: OnTimestampSet = _nothing


# -- storage

Now = pallet.storage("Now", StorageValue(U64, default=0), docs="The current time for the current block.")
DidUpdate = pallet.storage("DidUpdate", StorageValue(BOOL, default=False), docs="""
    Whether the timestamp has been updated in this block.

    This value is updated to `true` upon successful submission of a timestamp by a node.
    It is then checked at the end of each block execution in the `on_finalize` hook.
""")

# -- constants


@pallet.constants
class Constants:
    MinimumPeriod = constant(U64, 125, """
        The minimum period between blocks.

        Be aware that this is different to the *expected* period that the block production
        apparatus provides. Your chosen consensus system will generally work with this to
        determine a sensible block time. For example, in the Aura pallet it will be double this
        period on default settings.
    """)


pallet.associated_type("Moment", U64, "Type used for expressing a timestamp.")


# -- calls


@pallet.call(0, weight=SET_WEIGHT, dispatch_class=DispatchClass.MANDATORY)
def set(origin: Origin, now: Arg(Compact(U64), "T::Moment")) -> None:
    """
    Set the current time.

    This call should be invoked exactly once per block. It will panic at the finalization
    phase, if this call hasn't been invoked by that time.

    The timestamp should be greater than the previous one by the amount specified by
    [`Config::MinimumPeriod`].

    The dispatch origin for this call must be _None_.

    This dispatch class is _Mandatory_ to ensure it gets executed in the block. Be aware
    that changing the complexity of this call could result exhausting the resources in a
    block to execute any other calls.

    ## Complexity
    - `O(1)` (Note that implementations of `OnTimestampSet` must also be `O(1)`)
    - 1 storage read and 1 storage mutation (codec `O(1)` because of `DidUpdate::take` in
      `on_finalize`)
    - 1 event handler `on_timestamp_set`. Must be `O(1)`.
    """
    ensure_none(origin)
    if DidUpdate.exists():
        raise RuntimePanic("Timestamp must be updated only once in the block")
    prev = Now.get()
    if not (prev == 0 or now >= prev + Constants.MinimumPeriod):
        raise RuntimePanic("Timestamp must increment by at least <MinimumPeriod> between sequential blocks")
    Now.put(now)
    DidUpdate.put(True)
    pallet.config.on_timestamp_set(now)


# -- hooks


@pallet.hook_on_initialize
def on_initialize(n: int) -> Weight:
    """Only reports the weight `on_finalize` will use."""
    return ON_FINALIZE_WEIGHT


@pallet.hook_on_finalize
def on_finalize(n: int) -> None:
    """The block must have set its time; `DidUpdate` is cleared for the next block."""
    if not DidUpdate.take():
        raise RuntimePanic("Timestamp must be updated once in the block")


# -- the inherent and helpers


class InherentError(inherent.InherentError):
    """`sp_timestamp::InherentError`: `kind` is "TooEarly" or "TooFarInFuture" (both fatal)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)

    def encode(self) -> bytes:
        return bytes([0 if self.kind == "TooEarly" else 1])


def get() -> int:
    """The current block's time (before `set` runs: the previous block's)."""
    return Now.get()


def create_inherent(inherent_timestamp: int) -> int:
    """The `now` of the block's `Timestamp.set` inherent: the author's time, but at least
    `MinimumPeriod` after the previous block."""
    return max(inherent_timestamp, Now.get() + Constants.MinimumPeriod)


def check_inherent(now: int, inherent_timestamp: int) -> None:
    """Check an imported block's `set(now)` against our own clock (`inherent_timestamp`)."""
    if now > inherent_timestamp + MAX_TIMESTAMP_DRIFT_MILLIS:
        raise InherentError("TooFarInFuture")
    if now < Now.get() + Constants.MinimumPeriod:
        raise InherentError("TooEarly")


def _inherent_timestamp(data: InherentData) -> int:
    """The author's (or importer's) time from inherent data, as the Rust pallet reads it."""
    raw = data.get(INHERENT_IDENTIFIER)
    if raw is None:
        raise RuntimePanic("Timestamp inherent data must be provided")
    try:
        return U64.decode(bytes(raw))[0]  # `InherentData::get_data`: `Decode`, trailing bytes ignored
    except ScaleDecodeError:
        raise RuntimePanic("Timestamp inherent data not correctly encoded") from None


class TimestampInherent(inherent.ProvideInherent):
    """The `set` inherent: every block's first extrinsic."""

    identifier = INHERENT_IDENTIFIER

    def create_inherent(self, data: InherentData) -> tuple[str, Any]:
        return ("set", {"now": create_inherent(_inherent_timestamp(data))})

    def check_inherent(self, call: tuple[str, Any], data: InherentData) -> None:
        if call[0] == "set":
            check_inherent(call[1]["now"], _inherent_timestamp(data))

    def is_inherent(self, call: tuple[str, Any]) -> bool:
        return call[0] == "set"


pallet.provide_inherent(TimestampInherent())
