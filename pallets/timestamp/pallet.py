"""Timestamp (pallet 2, `pallet_timestamp`): the block's time, set once per block by the
`set` inherent and checked at the end of the block.

`MinimumPeriod` is subtensor's `SLOT_DURATION / 2`. We use the fast-runtime value, 125 ms
(250 ms blocks), as localnet and devnet run (the spec-381 devnet metadata carries 125);
finney's production runtime has 6 000 (12 s blocks). `set` refuses a time less than
`MinimumPeriod` after the previous block's, and a second `set` in one block, by panicking
as the Rust pallet does: such a block is invalid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pysubtensor.pallets.support.dispatch import DispatchClass, Origin, RuntimePanic, Weight, ensure_none
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.primitives.scale import BOOL, U64, Compact

__all__ = [
    "INHERENT_IDENTIFIER",
    "MAX_TIMESTAMP_DRIFT_MILLIS",
    "Config",
    "Constants",
    "DidUpdate",
    "InherentError",
    "Now",
    "check_inherent",
    "config",
    "create_inherent",
    "get",
    "on_finalize",
    "on_initialize",
    "pallet",
    "set",
]

pallet = Pallet("Timestamp", 2, crate="pallet_timestamp")

#: The inherent data key of the timestamp (`sp_timestamp::INHERENT_IDENTIFIER`).
INHERENT_IDENTIFIER = b"timstap0"
#: How far ahead of the author's clock an imported block's time may be.
MAX_TIMESTAMP_DRIFT_MILLIS = 30_000

#: pallet_timestamp's weights (`SubstrateWeight` with RocksDb: 2 reads, 1 write for `set`).
SET_WEIGHT = Weight(8_684_000 + 2 * 25_000_000 + 100_000_000, 1493)
ON_FINALIZE_WEIGHT = Weight(4_118_000, 0)


@dataclass(slots=True)
class Config:
    """`OnTimestampSet`: called with the new time (subtensor: Aura's slot check)."""

    on_timestamp_set: Callable[[int], None] | None = None


config = Config()


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
    if config.on_timestamp_set is not None:
        config.on_timestamp_set(now)


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


class InherentError(Exception):
    """`sp_timestamp::InherentError`: `kind` is "TooEarly" or "TooFarInFuture"."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


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
