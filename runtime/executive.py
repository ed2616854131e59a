"""frame-executive: build, import and validate blocks over the state the node provides.

The node hands the runtime a read-only `StorageBackend` of the parent block's state
(`node.state.StateDB.view(root)` or, in tests, a dict backend). Everything the runtime
writes goes to one `OverlayedChanges`; the node turns those changes into the new state root
and commits them with the block (the runtime never touches LevelDB).

Building a block (what `BlockBuilder_*` runtime APIs do, in one object):

    builder = BlockBuilder(backend, parent_hash=..., number=n, digest=Digest([pre_digest(slot)]))
    for xt in builder.inherent_extrinsics(inherent_data):
        builder.apply_extrinsic(xt)                      # the pallets' inherents, bare
    result = builder.apply_extrinsic(signed_bytes)       # ApplyExtrinsicResult
    block = builder.finalize_block()                     # FinishedBlock: header sans state root,
    root = node_state_root(block.changes)                #   extrinsics, storage changes
    header = block.header_with(root)

`apply_extrinsic` never raises for a refused transaction: it returns an
`ApplyExtrinsicResult` (`Err(TransactionValidityError)` leaves no trace in the block, as the
block builder rolls the attempt back). Bytes that are not an extrinsic of this runtime raise
`InvalidExtrinsicBytes`; a runtime panic (an invalid block, e.g. an inherent applied twice)
raises `RuntimePanic`.

The executive knows no pallet by name: it runs the hooks, inherents and runtime-upgrade
hooks each composed pallet declares, in runtime order (`construct.PALLETS`).

`validate_transaction(backend, source, encoded, block_hash)` is the
`TaggedTransactionQueue` API: on a throwaway overlay of `block_hash`'s state it opens the
next block as Substrate does (`System::initialize(n + 1, block_hash, [])`) and runs the
extensions' `validate`, returning `ValidTransaction` or raising `TransactionValidityError`.

`execute_block(backend, header, extrinsics, state_root_fn)` re-executes an imported block
and checks its digest, extrinsics root and (through `state_root_fn(changes)`) state root.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pysubtensor.pallets.system as system
from pysubtensor.pallets.support.call import dispatch_in_layer
from pysubtensor.pallets.support.dispatch import (
    DISPATCH_ERROR,
    DispatchClass,
    DispatchError,
    DispatchInfo,
    Origin,
    PostDispatchInfo,
    RuntimePanic,
    Weight,
)
from pysubtensor.pallets.support.inherent import InherentData, InherentError
from pysubtensor.pallets.system.pallet import Constants as SystemConstants
from pysubtensor.pallets.system.upgrade import on_runtime_upgrade_if_needed
from pysubtensor.primitives import externalities
from pysubtensor.primitives.externalities import Externalities, OverlayedChanges, StorageBackend
from pysubtensor.primitives.header import Digest, Header, PreRuntime, Seal
from pysubtensor.primitives.scale import UNIT, Enum, Field, ScaleError, Variant, decode_compact
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.transaction_validity import (
    TRANSACTION_VALIDITY_ERROR,
    VALID_TRANSACTION,
    InvalidTransaction,
    TransactionSource,
    TransactionValidityError,
    UnknownTransaction,
    ValidTransaction,
)
from pysubtensor.runtime import construct
from pysubtensor.runtime.extensions import Pipeline, check_signature
from pysubtensor.runtime.extrinsic import ExtrinsicFormatError, UncheckedExtrinsic

__all__ = [
    "APPLY_EXTRINSIC_RESULT",
    "TRANSACTION_VALIDITY",
    "ApplyExtrinsicResult",
    "BlockBuilder",
    "BlockExecutionError",
    "FinishedBlock",
    "InvalidExtrinsicBytes",
    "apply_extrinsic",
    "check_inherents",
    "decode_extrinsic",
    "encode_transaction_validity",
    "execute_block",
    "extrinsic_fee_info",
    "extrinsics_root",
    "finalize_block",
    "inherent_extrinsics",
    "initialize_block",
    "is_inherent",
    "validate_transaction",
]

#: subtensor's `validate_transaction` refuses calls nested deeper than this (Invalid::Call).
MAX_CALL_DEPTH = 8

_DISPATCH_OUTCOME = Enum(("Result",), (Variant("Ok", 0, (Field(None, UNIT),)),
                                       Variant("Err", 1, (Field(None, DISPATCH_ERROR),))))
#: `ApplyExtrinsicResult` = `Result<Result<(), DispatchError>, TransactionValidityError>`.
APPLY_EXTRINSIC_RESULT = Enum(("Result",), (Variant("Ok", 0, (Field(None, _DISPATCH_OUTCOME),)),
                                            Variant("Err", 1, (Field(None, TRANSACTION_VALIDITY_ERROR),))))
#: `TransactionValidity` = `Result<ValidTransaction, TransactionValidityError>`.
TRANSACTION_VALIDITY = Enum(("Result",), (Variant("Ok", 0, (Field(None, VALID_TRANSACTION),)),
                                          Variant("Err", 1, (Field(None, TRANSACTION_VALIDITY_ERROR),))))


class InvalidExtrinsicBytes(ExtrinsicFormatError):
    """Bytes that do not decode as an extrinsic of this runtime.

    `opaque_ok` says whether they are at least a well-formed `compact(len) ++ body`
    (what the node's `OpaqueExtrinsic` accepts): when False the RPC layer reports it as
    Substrate's 1001 "Extrinsic has invalid format"; when True the runtime could not decode
    the body, which Substrate reports as 1002 "Verification Error".
    """

    def __init__(self, message: str, *, opaque_ok: bool) -> None:
        super().__init__(message)
        self.opaque_ok = opaque_ok


class BlockExecutionError(Exception):
    """An imported block is invalid (a panic of `execute_block` in Substrate)."""


class ApplyExtrinsicResult(tuple):
    """`ApplyExtrinsicResult`: refused (`validity_error`), or included — successfully, or
    with the call's `dispatch_error` (a `DISPATCH_ERROR` value).

    It is also its own `APPLY_EXTRINSIC_RESULT` codec value, `("Ok", ("Ok", ()))`,
    `("Ok", ("Err", error))` or `("Err", validity error)`, so any codec of that type encodes it.
    """

    validity_error: TransactionValidityError | None
    dispatch_error: Any

    def __new__(cls, validity_error: TransactionValidityError | None = None,
                dispatch_error: Any = None) -> ApplyExtrinsicResult:
        if validity_error is not None:
            value: tuple[str, Any] = ("Err", validity_error.value)
        else:
            value = ("Ok", ("Err", dispatch_error) if dispatch_error is not None else ("Ok", ()))
        self = super().__new__(cls, value)
        self.validity_error = validity_error
        self.dispatch_error = dispatch_error
        return self

    @property
    def included(self) -> bool:
        return self.validity_error is None

    @property
    def value(self) -> tuple[str, Any]:
        return (self[0], self[1])

    def encode(self) -> bytes:
        return APPLY_EXTRINSIC_RESULT.encode(self.value)

    def __repr__(self) -> str:
        if self.validity_error is not None:
            return f"ApplyExtrinsicResult(validity_error={self.validity_error})"
        return f"ApplyExtrinsicResult(dispatch_error={self.dispatch_error!r})"


def encode_transaction_validity(result: ValidTransaction | TransactionValidityError) -> bytes:
    """The SCALE `TransactionValidity` that `TaggedTransactionQueue_validate_transaction` returns."""
    if isinstance(result, TransactionValidityError):
        return TRANSACTION_VALIDITY.encode(("Err", result.value))
    return TRANSACTION_VALIDITY.encode(("Ok", result))


# ---------------------------------------------------------------------------
# Extrinsics


def decode_extrinsic(encoded: bytes) -> UncheckedExtrinsic:
    """Decode `compact(len) ++ body`; any malformation is `InvalidExtrinsicBytes`.

    A transaction is decoded when submitted, at each pool revalidation and when applied:
    decoded extrinsics whose call holds only immutable values (ints, bytes, strings, tuples:
    a transfer's `dest` and `value`) are remembered by their bytes (bounded, oldest forgotten
    first) and handed out again, as nothing can change them. Others are decoded each time, and
    so are inherents (a block's timestamp: applied once, when its block is built; remembered,
    8,192 of them held ~3 MiB of an idle node's memory)."""
    if not isinstance(encoded, bytes | bytearray | memoryview):
        raise InvalidExtrinsicBytes(f"extrinsic must be bytes, got {type(encoded).__name__}", opaque_ok=False)
    data = bytes(encoded)
    xt = _DECODED.get(data)
    if xt is not None:
        return xt
    try:
        xt = UncheckedExtrinsic.decode(data, construct.RUNTIME_CALL)
    except (ScaleError, ValueError, KeyError, IndexError, TypeError, OverflowError) as e:
        raise InvalidExtrinsicBytes(f"Could not decode extrinsic: {e}", opaque_ok=_opaque_ok(data)) from None
    if _immutable_call(xt.call) and not is_inherent(xt):
        if len(_DECODED) >= DECODED_EXTRINSICS:
            _DECODED.popitem(last=False)  # the oldest; `del d[next(iter(d))]` is O(n) on a dict
        _DECODED[data] = xt
    return xt


#: Decoded extrinsics remembered by their bytes (see `decode_extrinsic`); ~1 KB each.
DECODED_EXTRINSICS = 8192
_DECODED: OrderedDict[bytes, UncheckedExtrinsic] = OrderedDict()


def forget_decoded_extrinsics() -> None:
    """Forget every remembered decoding (benchmarks measuring the decoding itself)."""
    _DECODED.clear()
_IMMUTABLE_LEAVES = (int, bytes, str, bool, type(None))


def _immutable_value(value: Any) -> bool:
    cls = value.__class__
    if cls in _IMMUTABLE_LEAVES:
        return True
    return cls is tuple and all(_immutable_value(v) for v in value)


def _immutable_call(call: Any) -> bool:
    """Whether a decoded `(pallet, (call, args))` holds only immutable argument values (the
    args dict itself is only ever unpacked into keyword arguments)."""
    _, (_, args) = call
    return args is None or (args.__class__ is dict and all(_immutable_value(v) for v in args.values()))


def _opaque_ok(data: bytes) -> bool:
    try:
        length, pos = decode_compact(data, 0)
    except ScaleError:
        return False
    return pos + length == len(data)


def is_inherent(xt: UncheckedExtrinsic) -> bool:
    """`IsInherent`: a bare extrinsic whose call the called pallet declares as its inherent."""
    if xt.signed is not None:
        return False
    pallet_name, call = xt.call
    inherent = construct.PALLETS_BY_NAME[pallet_name].inherent
    return inherent is not None and inherent.is_inherent(call)


def _call_depth(call: Any) -> int:
    """How deeply calls nest inside `call` (each boxed or listed inner call is one level),
    approximating the codec depth subtensor limits at validation."""
    _, (_, args) = call
    deepest = 0
    for value in (args or {}).values():
        if _is_call(value):
            deepest = max(deepest, 1 + _call_depth(value))
        elif isinstance(value, list) and value and all(_is_call(v) for v in value):
            deepest = max(deepest, 1 + max(_call_depth(v) for v in value))
    return deepest


def _is_call(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
            and value[0] in construct.PALLETS_BY_NAME and isinstance(value[1], tuple) and len(value[1]) == 2
            and isinstance(value[1][0], str) and value[1][0] in construct.PALLETS_BY_NAME[value[0]].calls)


def _dispatch_info(xt: UncheckedExtrinsic, pipeline: Pipeline | None) -> tuple[DispatchInfo, Weight]:
    """The extrinsic's `DispatchInfo` (weight = call weight + extension weight, as
    `total_weight()`) and the call weight alone."""
    info = construct.dispatch_info(xt.call)
    call_weight = info.weight
    ext_weight = pipeline.weight(xt.call) if pipeline is not None else Weight(0, 0)
    return DispatchInfo(call_weight.saturating_add(ext_weight), info.dispatch_class, info.pays_fee), call_weight


def inherent_extrinsics(inherent_data: InherentData) -> list[bytes]:
    """`BlockBuilder_inherent_extrinsics` on the current externalities: the bare inherents
    the composed pallets create from the author's `InherentData`, in runtime order."""
    out = []
    for pallet in construct.PALLETS:
        call = pallet.inherent.create_inherent(inherent_data) if pallet.inherent is not None else None
        if call is not None:
            out.append(UncheckedExtrinsic.encode_bare(construct.RUNTIME_CALL.encode((pallet.name, call))))
    return out


def check_inherents(block: Any, inherent_data: InherentData) -> Any:
    """`BlockBuilder_check_inherents` on the parent's state: each of the block's leading
    inherents checked by the pallet that provides it against the importer's inherent data.
    Returns `runtime.apis`' `CheckInherentsResult` (errors: the pallet's identifier → its
    SCALE `InherentError`); a fatal error ends the check."""
    from pysubtensor.runtime.apis import CheckInherentsResult

    result = CheckInherentsResult()
    for encoded in block.extrinsics:
        xt = decode_extrinsic(encoded)
        if not is_inherent(xt):
            break  # inherents come first
        pallet_name, call = xt.call
        inherent = construct.PALLETS_BY_NAME[pallet_name].inherent
        try:
            inherent.check_inherent(call, inherent_data)
        except InherentError as e:
            result.okay = False
            result.fatal_error = result.fatal_error or e.is_fatal
            result.errors[inherent.identifier] = e.encode()
            if e.is_fatal:
                break
    return result


def extrinsic_fee_info(uxt: bytes) -> tuple[DispatchInfo, bool]:
    """What `TransactionPaymentApi_query_info` / `query_fee_details` charge for: the
    extrinsic's dispatch info (call and extensions' weight) and whether it is bare. The
    signature is not checked; undecodable bytes raise `InvalidExtrinsicBytes`."""
    xt = decode_extrinsic(uxt)
    info, _ = _dispatch_info(xt, Pipeline.from_extra(xt.signed.extra) if xt.signed else None)
    return info, xt.signed is None


def extrinsics_root(extrinsics: Sequence[bytes]) -> bytes:
    """Ordered trie root of the encoded extrinsics, LayoutV0 (system_version 1 keeps V0 for
    extrinsics roots)."""
    # The trie lives with the node's state code; it is pure computation.
    from pysubtensor.primitives.trie import ordered_trie_root

    return ordered_trie_root([bytes(x) for x in extrinsics], 0)


# ---------------------------------------------------------------------------
# Block building


@slots_dataclass(frozen=True)
class FinishedBlock:
    """A finalized block: its header (state root as computed by `state_root_fn`, or 32 zero
    bytes), its extrinsics (encoded, with length prefixes) and the storage changes of the
    whole block (None = deleted) for the node to commit."""

    header: Header
    extrinsics: list[bytes]
    changes: dict[bytes, bytes | None]

    def header_with(self, state_root: bytes) -> Header:
        h = self.header
        return Header(h.parent_hash, h.number, state_root, h.extrinsics_root, h.digest)


class BlockBuilder:
    """One block under construction: `initialize_block` on creation, then
    `apply_extrinsic` per extrinsic, then `finalize_block` once."""

    __slots__ = ("_finished", "ext", "extrinsics", "header", "number")

    def __init__(self, backend: StorageBackend, *, parent_hash: bytes, number: int,
                 digest: Digest | Iterable[Any] = ()) -> None:
        logs = list(digest.logs if isinstance(digest, Digest) else digest)
        self.header = Header(parent_hash, number, bytes(32), bytes(32), Digest(logs))
        self.number = number
        self.ext = Externalities(backend, OverlayedChanges())
        self.extrinsics: list[bytes] = []
        self._finished = False
        with externalities.using(self.ext):
            initialize_block(self.header)

    @classmethod
    def on(cls, backend: StorageBackend, header: Header) -> BlockBuilder:
        """A builder for the block `header` announces (parent, number, digest)."""
        return cls(backend, parent_hash=header.parent_hash, number=header.number, digest=header.digest)

    def _check_open(self) -> None:
        if self._finished:
            raise RuntimeError("block already finalized")

    def inherent_extrinsics(self, inherent_data: InherentData) -> list[bytes]:
        self._check_open()
        with externalities.using(self.ext):
            return inherent_extrinsics(inherent_data)

    def apply_extrinsic(self, encoded: bytes | UncheckedExtrinsic) -> ApplyExtrinsicResult:
        """Apply one extrinsic (its bytes, or them decoded). Included ones (Ok) join the
        block; refused ones (Err) leave no trace, as sc-block-builder discards them."""
        self._check_open()
        xt = encoded if isinstance(encoded, UncheckedExtrinsic) else decode_extrinsic(encoded)
        with externalities.using(self.ext):
            result = apply_extrinsic(xt)
        if result.included:
            self.extrinsics.append(xt.encoded)
        return result

    def finalize_block(self, state_root_fn: Callable[[dict[bytes, bytes | None]], bytes] | None = None
                       ) -> FinishedBlock:
        """Run the end-of-block hooks and close the block. `state_root_fn(changes)`, if given,
        computes the state root the header carries (the node: the root of the parent's state
        with `changes` applied)."""
        self._check_open()
        self._finished = True
        with externalities.using(self.ext):
            header = finalize_block()
        changes = self.ext.overlay.changes()
        if state_root_fn is not None:
            header = Header(header.parent_hash, header.number, state_root_fn(changes), header.extrinsics_root,
                            header.digest)
        return FinishedBlock(header, list(self.extrinsics), changes)


# ---------------------------------------------------------------------------
# The executive proper (each runs on the current externalities)


def initialize_block(header: Header) -> str:
    """`Core_initialize_block` on the current externalities: runtime-upgrade hook if the
    version moved, System's `initialize` with the header's pre-runtime digests, base block
    weight, `on_initialize` of every pallet in runtime order (weights registered as
    Mandatory). Returns the `ExtrinsicInclusionMode` (no multi-block migrations: always
    "AllExtrinsics")."""
    system.reset_events()
    weight = on_runtime_upgrade_if_needed(p.on_runtime_upgrade for p in construct.PALLETS
                                          if p.on_runtime_upgrade is not None)
    pre_runtime = Digest([item for item in header.digest.logs if isinstance(item, PreRuntime)])
    system.initialize(header.number, header.parent_hash, pre_runtime, reset_events=False)
    system.register_extra_weight_unchecked(SystemConstants.BlockWeights.base_block.saturating_add(weight), DispatchClass.MANDATORY)
    for pallet in construct.PALLETS:
        if pallet.on_initialize is not None:
            system.register_extra_weight_unchecked(pallet.on_initialize(header.number), DispatchClass.MANDATORY)
    system.note_finished_initialize()
    return "AllExtrinsics"


def _inherents_applied() -> None:
    # `on_poll` hooks: none of the composed pallets has one.
    system.note_inherents_applied()


def apply_extrinsic(encoded: bytes | UncheckedExtrinsic) -> ApplyExtrinsicResult:
    """`BlockBuilder_apply_extrinsic` on the current externalities (a block opened by
    `initialize_block`). A refused extrinsic (`Err`) is rolled back here, as the node's block
    builder does around the runtime call; undecodable bytes raise `InvalidExtrinsicBytes`."""
    xt = encoded if isinstance(encoded, UncheckedExtrinsic) else decode_extrinsic(encoded)
    overlay = externalities.current().overlay
    overlay.start_transaction()
    try:
        result = _apply(xt)
    except BaseException:
        overlay.rollback_transaction()
        raise
    if result.included:
        overlay.commit_transaction()
    else:
        overlay.rollback_transaction()
    return result


def _apply(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult:
    """`Executive::apply_extrinsic`."""
    try:
        if xt.signed is not None:
            who, pipeline = check_signature(xt)
        else:
            who, pipeline = None, None
        info, call_weight = _dispatch_info(xt, pipeline)
        if not is_inherent(xt) and not system.inherents_applied():
            _inherents_applied()
        system.note_extrinsic(xt.encoded)
        length = len(xt.encoded)
        if who is not None:
            outcome = _apply_signed(who, pipeline, xt.call, info, call_weight, length)
        else:
            outcome = _apply_bare(xt.call, info, length)
    except TransactionValidityError as e:
        return ApplyExtrinsicResult(validity_error=e)
    if isinstance(outcome, DispatchError) and info.dispatch_class == DispatchClass.MANDATORY:
        return ApplyExtrinsicResult(validity_error=TransactionValidityError.invalid(InvalidTransaction.BAD_MANDATORY))
    system.note_applied_extrinsic(outcome, info)
    return ApplyExtrinsicResult(dispatch_error=outcome.value if isinstance(outcome, DispatchError) else None)


def _with_post_info(outcome: PostDispatchInfo | DispatchError, post: PostDispatchInfo
                    ) -> PostDispatchInfo | DispatchError:
    if isinstance(outcome, DispatchError):
        outcome.post_info = post
        return outcome
    return post


def _apply_signed(who: bytes, pipeline: Pipeline, call: Any, info: DispatchInfo, call_weight: Weight,
                  length: int) -> PostDispatchInfo | DispatchError:
    """`DispatchTransaction::dispatch_transaction`: validate and prepare every extension,
    dispatch the call in its own storage layer, then post-dispatch every extension."""
    origin = Origin.signed(who)
    _, vals = pipeline.validate(origin, call, info, length, TransactionSource.IN_BLOCK, combine=False)
    pres = pipeline.prepare(vals, origin, call, info, length)
    outcome = dispatch_in_layer(construct.dispatch, origin, call)
    post = outcome.post_info if isinstance(outcome, DispatchError) else outcome
    post = post or PostDispatchInfo()
    # `set_extension_weight`: the call's actual weight plus the extensions' weight.
    ext_weight = info.weight.saturating_sub(call_weight)
    actual = post.actual_weight if post.actual_weight is not None else call_weight
    post = PostDispatchInfo(actual.saturating_add(ext_weight), post.pays_fee)
    result = ("Err", outcome.value) if isinstance(outcome, DispatchError) else ("Ok", ())
    post = pipeline.post_dispatch(pres, info, post, length, result)
    return _with_post_info(outcome, post)


def _apply_bare(call: Any, info: DispatchInfo, length: int) -> PostDispatchInfo | DispatchError:
    """A bare extrinsic: `ValidateUnsigned::pre_dispatch` (the called pallet's
    `validate_unsigned` with source InBlock; a pallet without one admits, as inherents need),
    the extensions' bare checks, dispatch as None origin."""
    pallet_name, inner = call
    validator = construct.PALLETS_BY_NAME[pallet_name].validate_unsigned
    if validator is not None:
        validator(TransactionSource.IN_BLOCK, inner)
    pipeline = Pipeline.bare()
    pipeline.bare_validate_and_prepare(call, info, length)
    outcome = dispatch_in_layer(construct.dispatch, Origin.none(), call)
    post = (outcome.post_info if isinstance(outcome, DispatchError) else outcome) or PostDispatchInfo()
    result = ("Err", outcome.value) if isinstance(outcome, DispatchError) else ("Ok", ())
    post = pipeline.bare_post_dispatch(info, post, length, result)
    return _with_post_info(outcome, post)


def finalize_block() -> Header:
    """`Executive::finalize_block`: `on_finalize` of every pallet in runtime order, then
    System's `finalize`. The header's state root is left as 32 zero bytes."""
    if not system.inherents_applied():
        _inherents_applied()
    system.note_finished_extrinsics()
    number = system.block_number()
    # `on_idle`: none of the composed pallets has one.
    for pallet in construct.PALLETS:
        if pallet.on_finalize is not None:
            pallet.on_finalize(number)
    done = system.finalize()
    return Header(done.parent_hash, done.number, bytes(32), extrinsics_root(done.extrinsics), done.digest)


def offchain_worker(header: Header) -> None:
    """`Executive::offchain_worker` on the current externalities (the imported block's state,
    where System is at that block with its events), every pallet's offchain worker."""
    for pallet in construct.PALLETS:
        if pallet.offchain_worker is not None:
            pallet.offchain_worker(header.number)


# ---------------------------------------------------------------------------
# Pool validation


def validate_transaction(backend: StorageBackend, source: str, encoded: bytes | UncheckedExtrinsic,
                         block_hash: bytes, *, read_cache: dict[bytes, Any] | None = None) -> ValidTransaction:
    """`TaggedTransactionQueue_validate_transaction` on `backend`, the state of `block_hash`
    (a node state view, or the externalities of a runtime-API call: anything with `get` and
    `next_key`). Raises `InvalidExtrinsicBytes` for undecodable bytes and
    `TransactionValidityError` for a refused transaction (the node encodes either with
    `encode_transaction_validity`). Writes nothing: it runs on a throwaway overlay.
    `read_cache` (see `Externalities`) is shared by the calls on one `backend`, so that the
    values every validation reads are read and decoded once per block."""
    xt = encoded if isinstance(encoded, UncheckedExtrinsic) else decode_extrinsic(encoded)
    if _call_depth(xt.call) >= MAX_CALL_DEPTH:
        raise TransactionValidityError.invalid(InvalidTransaction.CALL)
    with externalities.using(Externalities(backend, OverlayedChanges(), read_cache=read_cache)):
        return _validate_on_next_block(xt, source, block_hash)


def _validate_on_next_block(xt: UncheckedExtrinsic, source: str, block_hash: bytes) -> ValidTransaction:
    system.initialize(system.block_number() + 1, block_hash, Digest(), reset_events=False)
    return _validate(xt, source)


def _validate(xt: UncheckedExtrinsic, source: str) -> ValidTransaction:
    if xt.signed is not None:
        who, pipeline = check_signature(xt)
    else:
        who, pipeline = None, None
    info, _ = _dispatch_info(xt, pipeline)
    if info.dispatch_class == DispatchClass.MANDATORY:
        raise TransactionValidityError.invalid(InvalidTransaction.MANDATORY_VALIDATION)
    length = len(xt.encoded)
    if who is None:
        # `ValidateUnsigned` of the called pallet, combined after the extensions' bare checks.
        pallet_name, inner = xt.call
        validator = construct.PALLETS_BY_NAME[pallet_name].validate_unsigned
        if validator is None:
            raise TransactionValidityError.unknown(UnknownTransaction.NO_UNSIGNED_VALIDATOR)
        unsigned = validator(source, inner)
        return Pipeline.bare().bare_validate(xt.call, info, length).combine_with(unsigned)
    valid, _ = pipeline.validate(Origin.signed(who), xt.call, info, length, source)
    return valid


# ---------------------------------------------------------------------------
# Import


def execute_block(backend: StorageBackend, header: Header, extrinsics: Sequence[bytes],
                  state_root_fn: Callable[[dict[bytes, bytes | None]], bytes] | None = None) -> FinishedBlock:
    """`Core_execute_block`: re-execute an imported block on its parent's state `backend`
    and check it. A trailing `Seal` digest item is removed first, as the import pipeline
    does. The state root is checked when `state_root_fn(changes)` is given (the runtime has
    no trie of its own). Raises `BlockExecutionError` if the block is invalid; returns the
    block's storage changes for the caller to commit."""
    extrinsics = list(extrinsics)
    logs = list(header.digest.logs)
    while logs and isinstance(logs[-1], Seal):
        logs.pop()
    header = Header(header.parent_hash, header.number, header.state_root, header.extrinsics_root, Digest(logs))
    if header.number == 0:
        raise BlockExecutionError("Parent hash should be valid.")
    # (Rust checks `BlockHash[n - 1] == parent_hash` after `initialize` wrote exactly that:
    # a wrong parent shows up as the parent's state not being the one handed in, and as
    # signatures over the real genesis or birth hashes failing.)
    ext = Externalities(backend, OverlayedChanges())
    try:
        with externalities.using(ext):
            initialize_block(header)
            seen_non_inherent = False
            for index, encoded in enumerate(extrinsics):
                xt = decode_extrinsic(encoded)
                if is_inherent(xt):
                    if seen_non_inherent:
                        raise BlockExecutionError(f"Invalid inherent position for extrinsic at index {index}")
                else:
                    seen_non_inherent = True
                result = apply_extrinsic(xt)
                if not result.included:
                    raise BlockExecutionError(f"Transaction({index}) failed due to {result.validity_error}")
            computed = finalize_block()
    except (InvalidExtrinsicBytes, RuntimePanic) as e:
        raise BlockExecutionError(str(e)) from e
    changes = ext.overlay.changes()
    if len(computed.digest.logs) != len(header.digest.logs):
        raise BlockExecutionError("Number of digest items must match that calculated.")
    if computed.digest.logs != header.digest.logs:
        raise BlockExecutionError("Digest item must match that calculated.")
    if state_root_fn is not None and state_root_fn(changes) != header.state_root:
        raise BlockExecutionError("Storage root must match that calculated.")
    if computed.extrinsics_root != header.extrinsics_root:
        raise BlockExecutionError("Transaction trie root must be valid.")
    return FinishedBlock(header, [bytes(x) for x in extrinsics], changes)
