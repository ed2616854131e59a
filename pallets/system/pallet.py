"""System (pallet 0, `frame_system`): accounts and their reference counts, the block being
built (number, parent hash, digest, events, weight), and root-only storage and code calls.

Declared in metadata order: storage, constants, associated types, events, errors; genesis
and calls are in `calls`. The logic lives in the sibling modules (`accounts`, `events`, `block`,
`upgrade`, `check_weight`). Docstrings of calls, events and errors are the real metadata docs
word for word; what a call does here beyond them (its origin, our differences) is said in a
comment under the docstring.

Our runtime is Python, so `set_code` and friends store `:code`, deposit the digest item and
emit `CodeUpdated` exactly as frame-system does, but the runtime that executes the next
blocks does not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pysubtensor.pallets.balances.types import ACCOUNT_DATA
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_ERROR,
    WEIGHT,
    Weight,
)
from pysubtensor.pallets.support.pallet import Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.support.types import AccountId, Bool, Hash, scale_type
from pysubtensor.primitives import header
from pysubtensor.primitives.hashing import Blake2_128Concat, Twox64Concat
from pysubtensor.primitives.scale import BOOL, BYTES, H256, U16, U32, Codec, Struct, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID

from .limits import ROCKS_DB_WEIGHT, SUBTENSOR_BLOCK_LENGTH, SUBTENSOR_BLOCK_WEIGHTS
from .types import (
    ACCOUNT_INFO,
    BLOCK_LENGTH,
    BLOCK_WEIGHTS,
    CODE_UPGRADE_AUTHORIZATION,
    CONSUMED_WEIGHT,
    DISPATCH_EVENT_INFO,
    LAST_RUNTIME_UPGRADE_INFO,
    PHASE,
    RUNTIME_DB_WEIGHT,
    AccountInfo,
    Configured,
    DispatchEventInfo,
    PerDispatchClass,
    event_record_codec,
)

__all__ = ["Config", "pallet"]

#: Well-known storage keys (sp-core `well_known_keys`).
CODE = b":code"
HEAP_PAGES = b":heappages"
EXTRINSIC_INDEX = b":extrinsic_index"
INTRABLOCK_ENTROPY = b":intrablock_entropy"

pallet = Pallet("System", 0, crate="frame_system", event_docs="Event for the System pallet.",
                error_docs="Error for the System pallet")


# ---------------------------------------------------------------------------
# Config: what only the composed runtime knows.


def _no_runtime_version(code: bytes) -> Any:
    return None


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    """`frame_system::Config`, bound by the runtime composition (`pallet.bind(Config(...))`).

    - `runtime_event`: the `RuntimeEvent` enum codec (inside `EventRecord` in `Events`).
    - `runtime_call`, `block`: the `RuntimeCall` and `sp_runtime::generic::block::Block`
      codecs, listed among System's associated types in metadata V16.
    - `version_codec`, `version`: `sp_version::RuntimeVersion` codec and this runtime's value
      (the `Version` constant, `LastRuntimeUpgrade`, `set_code`'s version checks).
    - `read_runtime_version`: `sp_io::misc::runtime_version`: the `RuntimeVersion` (value with
      `spec_name`, `spec_version`) embedded in a wasm blob, or None. The node can read it; without
      it `set_code` with checks fails with `FailedToExtractRuntimeVersion`.
    - `on_new_account`, `on_killed_account`: `OnNewAccount`/`OnKilledAccount` (subtensor: `()`).
    - `max_consumers`: `MaxConsumers` (subtensor: 16).
    """

    runtime_event: Codec
    runtime_call: Codec
    block: Codec
    version_codec: Codec
    version: Any
    read_runtime_version: Callable[[bytes], Any] = _no_runtime_version
    on_new_account: Callable[[bytes], None] | None = None
    on_killed_account: Callable[[bytes], None] | None = None
    max_consumers: int = 16


#: `sp_runtime::traits::BlakeTwo256`, a unit struct naming the hashing of blocks and state.
BLAKE_TWO_256 = Struct(("sp_runtime", "traits", "BlakeTwo256"), ())
EVENT_RECORD = event_record_codec(lambda: pallet.config.runtime_event)
ZERO_WEIGHT = Weight(0, 0)


# ---------------------------------------------------------------------------
# Storage, in metadata order.

Account = pallet.storage("Account", StorageMap(Blake2_128Concat, ACCOUNT_ID, ACCOUNT_INFO, default=AccountInfo), docs=(
    "The full account information for a particular account ID."))
ExtrinsicCount = pallet.storage("ExtrinsicCount", StorageValue(U32, optional=True),
                                docs="Total extrinsics count for the current block.")
InherentsApplied = pallet.storage("InherentsApplied", StorageValue(BOOL, default=False),
                                  docs="Whether all inherents have been applied.")
BlockWeight = pallet.storage("BlockWeight", StorageValue(CONSUMED_WEIGHT, default=PerDispatchClass(ZERO_WEIGHT, ZERO_WEIGHT, ZERO_WEIGHT)), docs=(
    "The current weight for the block."))
AllExtrinsicsLen = pallet.storage("AllExtrinsicsLen", StorageValue(U32, optional=True), docs=(
    "Total length (in bytes) for all extrinsics put together, for the current block."))
BlockHash = pallet.storage("BlockHash", StorageMap(Twox64Concat, U32, H256, default=bytes(32)),
                           docs="Map of block numbers to block hashes.")
ExtrinsicData = pallet.storage("ExtrinsicData", StorageMap(Twox64Concat, U32, BYTES, default=b""), docs=(
    "Extrinsics data for the current block (maps an extrinsic's index to its data)."))
Number = pallet.storage("Number", StorageValue(U32, default=0),
                        docs="The current block number being processed. Set by `execute_block`.")
ParentHash = pallet.storage("ParentHash", StorageValue(H256, default=bytes(32)),
                            docs="Hash of the previous block.")
Digest = pallet.storage("Digest", StorageValue(header.DIGEST, default=header.Digest),
                        docs="Digest of the current block, also part of the block header.")
Events = pallet.storage("Events", StorageValue(Vec(EVENT_RECORD), default=list), docs="""
    Events deposited for the current block.

    NOTE: The item is unbound and should therefore never be read on chain.
    It could otherwise inflate the PoV size of a block.

    Events have a large in-memory size. Box the events to not go out-of-memory
    just in case someone still reads them from within the runtime.
""")
EventCount = pallet.storage("EventCount", StorageValue(U32, default=0),
                            docs="The number of events in the `Events<T>` list.")
EventTopics = pallet.storage("EventTopics", StorageMap(Blake2_128Concat, H256, Vec(Tuple(U32, U32)), default=list),
                             docs="""
    Mapping between a topic (represented by T::Hash) and a vector of indexes
    of events in the `<Events<T>>` list.

    All topic vectors have deterministic storage locations depending on the topic. This
    allows light-clients to leverage the changes trie storage tracking mechanism and
    in case of changes fetch the list of events of interest.

    The value has the type `(BlockNumberFor<T>, EventIndex)` because if we used only just
    the `EventIndex` then in case if the topic has the same contents on the next block
    no notification will be triggered thus the event might be lost.
""")
LastRuntimeUpgrade = pallet.storage("LastRuntimeUpgrade", StorageValue(LAST_RUNTIME_UPGRADE_INFO, optional=True), docs=(
    "Stores the `spec_version` and `spec_name` of when the last runtime upgrade happened."))
UpgradedToU32RefCount = pallet.storage("UpgradedToU32RefCount", StorageValue(BOOL, default=False), docs=(
    "True if we have upgraded so that `type RefCount` is `u32`. False (default) if not."))
UpgradedToTripleRefCount = pallet.storage("UpgradedToTripleRefCount", StorageValue(BOOL, default=False), docs="""
    True if we have upgraded so that AccountInfo contains three types of `RefCount`. False
    (default) if not.
""")
ExecutionPhase = pallet.storage("ExecutionPhase", StorageValue(PHASE, optional=True),
                                docs="The execution phase of the block.")
AuthorizedUpgrade = pallet.storage("AuthorizedUpgrade", StorageValue(CODE_UPGRADE_AUTHORIZATION, optional=True), docs=(
    "`Some` if a code upgrade has been authorized."))
ExtrinsicWeightReclaimed = pallet.storage("ExtrinsicWeightReclaimed", StorageValue(WEIGHT, default=ZERO_WEIGHT),
                                          docs="""
    The weight reclaimed for the extrinsic.

    This information is available until the end of the extrinsic execution.
    More precisely this information is removed in `note_applied_extrinsic`.

    Logic doing some post dispatch weight reduction must update this storage to avoid duplicate
    reduction.
""")


# ---------------------------------------------------------------------------
# Constants


@pallet.constants
class Constants:
    BlockWeights = constant(BLOCK_WEIGHTS, SUBTENSOR_BLOCK_WEIGHTS,
                            "Block & extrinsics weights: base values and limits.")
    BlockLength = constant(BLOCK_LENGTH, SUBTENSOR_BLOCK_LENGTH, "The maximum length of a block (in bytes).")
    BlockHashCount = constant(
        U32, 2400, "Maximum number of block number to block hash mappings to keep (oldest pruned first).")
    DbWeight = constant(RUNTIME_DB_WEIGHT, ROCKS_DB_WEIGHT,
                        "The weight of runtime database operations the runtime can invoke.")
    Version = constant(Configured(lambda: pallet.config.version_codec),
                       lambda: pallet.config.version, "Get the chain's in-code version.", lazy=True)
    SS58Prefix = constant(U16, 42, """
        The designated SS58 prefix of this chain.

        This replaces the "ss58Format" property declared in the chain spec. Reason is
        that the runtime should know about the prefix in order to make use of it as
        an identifier of the chain.
    """)


# ---------------------------------------------------------------------------
# Associated types (metadata V16)

pallet.associated_type("RuntimeCall", Configured(lambda: pallet.config.runtime_call),
                       "The aggregated `RuntimeCall` type.")
pallet.associated_type("Nonce", U32,
                       "This stores the number of previous transactions associated with a sender account.")
pallet.associated_type("Hash", H256, "The output of the `Hashing` function.")
pallet.associated_type("Hashing", BLAKE_TWO_256,
                       "The hashing system (algorithm) being used in the runtime (e.g. Blake2).")
pallet.associated_type("AccountId", ACCOUNT_ID, "The user account identifier type for the runtime.")
pallet.associated_type("Block", Configured(lambda: pallet.config.block), """
    The Block type used by the runtime. This is used by `construct_runtime` to retrieve the
    extrinsics or other block specific data as needed.
""")
pallet.associated_type("AccountData", ACCOUNT_DATA, """
    Data to be associated with an account (other than nonce/transaction counter, which this
    pallet does regardless).
""")


# ---------------------------------------------------------------------------
# Events

_DispatchEventInfo = scale_type(DISPATCH_EVENT_INFO, DispatchEventInfo, "DispatchEventInfo")
_DispatchError = scale_type(DISPATCH_ERROR, Any, "DispatchError")


@pallet.events
class Event:
    @event(0)
    class ExtrinsicSuccess:
        """An extrinsic completed successfully."""

        dispatch_info: _DispatchEventInfo

    @event(1)
    class ExtrinsicFailed:
        """An extrinsic failed."""

        dispatch_error: _DispatchError
        dispatch_info: _DispatchEventInfo

    @event(2)
    class CodeUpdated:
        """`:code` was updated."""

    @event(3)
    class NewAccount:
        """A new account was created."""

        account: AccountId

    @event(4)
    class KilledAccount:
        """An account was reaped."""

        account: AccountId

    @event(5)
    class Remarked:
        """On on-chain remark happened."""

        sender: AccountId
        hash: Hash

    @event(6)
    class UpgradeAuthorized:
        """An upgrade was authorized."""

        code_hash: Hash
        check_version: Bool

    @event(7)
    class RejectedInvalidAuthorizedUpgrade:
        """An invalid authorized upgrade was rejected while trying to apply it."""

        code_hash: Hash
        error: _DispatchError


# ---------------------------------------------------------------------------
# Errors


@pallet.errors
class Error:
    InvalidSpecName = error(0, """
        The name of specification does not match between the current runtime
        and the new runtime.
    """)
    SpecVersionNeedsToIncrease = error(1, """
        The specification version is not allowed to decrease between the current runtime
        and the new runtime.
    """)
    FailedToExtractRuntimeVersion = error(2, """
        Failed to extract the runtime version from the new runtime.

        Either calling `Core_version` or decoding `RuntimeVersion` failed.
    """)
    NonDefaultComposite = error(3, "Suicide called when the account has non-default composite data.")
    NonZeroRefCount = error(4, "There is a non-zero reference count preventing the account from being purged.")
    CallFiltered = error(5, "The origin filter prevent the call to be dispatched.")
    MultiBlockMigrationsOngoing = error(
        6, "A multi-block migration is ongoing and prevents the current code from being replaced.")
    NothingAuthorized = error(7, "No upgrade authorized.")
    Unauthorized = error(8, "The submitted code is not authorized.")
