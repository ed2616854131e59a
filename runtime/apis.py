"""Runtime APIs: what `state_call("<Api>_<method>", SCALE(args))` runs (`impl_runtime_apis!`
of subtensor's `runtime/src/lib.rs`).

The APIs and their order are `runtime.api_traits.RUNTIME_APIS` (pallets declare and implement
their own; the framework's are declared there). This module implements the framework's over
the block executive, the genesis builder and the metadata, and dispatches calls:

    call("Core_version", b"", ext)          # -> SCALE(RuntimeVersion)
    call("AccountNonceApi_account_nonce", alice, ext)

The arguments are decoded as one tuple that must span all the input (sp-api's
`decode_all`); failures raise `RuntimeApiError` subclasses whose text is what Substrate
puts after `Client error: Execution failed: ` (RPC error 4003). Bytes the executive cannot
decode as an extrinsic (`ExtrinsicFormatError`) fail as the real API's argument decoding
does (`BadApiInput`). Extrinsics travel as their own encoding, `compact(len) ++ body`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

import pysubtensor.pallets.system as system
from pysubtensor.pallets.support.dispatch import RuntimePanic
from pysubtensor.pallets.support.runtime_api import (
    ApiMethod,
    ApiPanicked,
    BadApiInput,
    MethodNotFound,
    Param,
    RuntimeApi,
    RuntimeApiError,
)
from pysubtensor.primitives import externalities
from pysubtensor.primitives.header import Header
from pysubtensor.primitives.transaction_validity import TransactionValidityError
from pysubtensor.runtime import executive, genesis
from pysubtensor.runtime.api_traits import (
    APPLY_EXTRINSIC_RESULT,
    BLOCK,
    CHECK_INHERENTS_RESULT,
    EXTENSIONS_TUPLE,
    INHERENT_DATA,
    RUNTIME_APIS,
    UNCHECKED_EXTRINSIC,
    Block,
    BlockBuilder,
    CheckInherentsResult,
    Core,
    GenesisBuilder,
    Metadata,
    OffchainWorkerApi,
    SessionKeys,
    TaggedTransactionQueue,
)
from pysubtensor.runtime.construct import SESSION_KEY_TYPES, SESSION_KEYS
from pysubtensor.runtime.extrinsic import ExtrinsicFormatError

__all__ = [
    "APPLY_EXTRINSIC_RESULT",
    "BLOCK",
    "CHECK_INHERENTS_RESULT",
    "EXTENSIONS_TUPLE",
    "INHERENT_DATA",
    "METHODS",
    "RUNTIME_APIS",
    "SESSION_KEY_TYPES",
    "UNCHECKED_EXTRINSIC",
    "ApiMethod",
    "ApiPanicked",
    "BadApiInput",
    "Block",
    "CheckInherentsResult",
    "MethodNotFound",
    "Param",
    "RuntimeApi",
    "RuntimeApiError",
    "call",
    "methods_of",
]


@contextmanager
def _extrinsic_argument(method: str) -> Iterator[None]:
    """An extrinsic argument that does not decode fails as the real API's argument decoding."""
    try:
        yield
    except ExtrinsicFormatError as e:
        raise BadApiInput(f"Bad input data provided to {method}: {e}") from None


# ---------------------------------------------------------------------------
# Core


@Core.implements("version")
def core_version() -> Any:
    # The version System is bound to (`frame_system::Config::Version`): `runtime.version.VERSION`.
    return system.pallet.config.version


@Core.implements("execute_block")
def core_execute_block(block: Block) -> None:
    """Re-execute `block` on the current state (an invalid block panics, as in Rust) and keep
    its storage changes. The state root is not checked here: the node computes roots."""
    ext = externalities.current()
    try:
        with _extrinsic_argument("execute_block"):
            finished = executive.execute_block(ext, block.header, block.extrinsics)
    except executive.BlockExecutionError as e:
        raise ApiPanicked(str(e)) from e
    for key, value in finished.changes.items():
        if value is None:
            ext.clear(key)
        else:
            ext.set(key, value)


@Core.implements("initialize_block")
def core_initialize_block(header: Header) -> str:
    return executive.initialize_block(header)


# ---------------------------------------------------------------------------
# Metadata


# runtime.metadata (and the frame-metadata model it builds with, ~55 dataclasses) is imported
# on the first metadata call, not with the runtime: a node serves before any client asks.


@Metadata.implements("metadata")
def metadata_metadata() -> bytes:
    from pysubtensor.runtime import metadata

    return metadata.metadata_bytes(14)


@Metadata.implements("metadata_at_version")
def metadata_at_version(version: int) -> bytes | None:
    from pysubtensor.runtime import metadata

    return metadata.metadata_bytes(version) if version in metadata.SUPPORTED_METADATA_VERSIONS else None


@Metadata.implements("metadata_versions")
def metadata_versions() -> list[int]:
    from pysubtensor.runtime import metadata

    return list(metadata.SUPPORTED_METADATA_VERSIONS)


# ---------------------------------------------------------------------------
# BlockBuilder


@BlockBuilder.implements("apply_extrinsic")
def block_builder_apply_extrinsic(extrinsic: bytes) -> Any:
    with _extrinsic_argument("apply_extrinsic"):
        return executive.apply_extrinsic(extrinsic).value


@BlockBuilder.implements("finalize_block")
def block_builder_finalize_block() -> Header:
    return executive.finalize_block()


@BlockBuilder.implements("inherent_extrinsics")
def block_builder_inherent_extrinsics(inherent: dict[bytes, bytes]) -> list[bytes]:
    # A pallet that cannot read its inherent data panics, as the Rust pallets do.
    return executive.inherent_extrinsics(inherent)


@BlockBuilder.implements("check_inherents")
def block_builder_check_inherents(block: Block, data: dict[bytes, bytes]) -> CheckInherentsResult:
    with _extrinsic_argument("check_inherents"):
        return executive.check_inherents(block, data)


# ---------------------------------------------------------------------------
# GenesisBuilder


@GenesisBuilder.implements("build_state")
def genesis_build_state(json: bytes) -> tuple[str, Any]:
    try:
        genesis.build_state(json)
    except ValueError as e:
        return ("Err", str(e))
    return ("Ok", ())


@GenesisBuilder.implements("get_preset")
def genesis_get_preset(preset_id: str | None) -> bytes | None:
    return genesis.get_preset(preset_id)


@GenesisBuilder.implements("preset_names")
def genesis_preset_names() -> list[str]:
    return list(genesis.preset_names())


# ---------------------------------------------------------------------------
# TaggedTransactionQueue


@TaggedTransactionQueue.implements("validate_transaction")
def tagged_transaction_queue_validate_transaction(source: tuple[str, None], tx: bytes, block_hash: bytes) -> Any:
    # The executive validates on a throwaway overlay over the state this call sees.
    try:
        with _extrinsic_argument("validate_transaction"):
            return ("Ok", executive.validate_transaction(externalities.current(), source[0], tx, block_hash))
    except TransactionValidityError as e:
        return ("Err", e.value)


# ---------------------------------------------------------------------------
# OffchainWorkerApi


@OffchainWorkerApi.implements("offchain_worker")
def offchain_worker(header: Header) -> None:
    """`Executive::offchain_worker`: each pallet's `offchain_worker(number)` in runtime order on
    the imported block's state, with the offchain host functions the node installed
    (`primitives.offchain`). Its writes are thrown away."""
    executive.offchain_worker(header)


# ---------------------------------------------------------------------------
# SessionKeys: the runtime's `opaque::SessionKeys` (`construct.SESSION_KEYS`)


@SessionKeys.implements("generate_session_keys")
def session_generate_session_keys(seed: bytes | None) -> bytes:
    """Needs a keystore on the externalities (`ext.keystore` with `sr25519_generate_new(key_type,
    seed)` and `ed25519_generate_new(key_type, seed)` returning 32-byte public keys), as the
    real runtime does; without one it fails as the real one panics."""
    try:
        keystore = getattr(externalities.current(), "keystore", None)
    except externalities.NoExternalitiesError:
        keystore = None
    if keystore is None:
        raise ApiPanicked("No `keystore` associated for the current context!")
    try:
        suri = None if seed is None else seed.decode()
    except UnicodeDecodeError:
        raise ApiPanicked("Seed is a valid utf8 string") from None
    return b"".join(getattr(keystore, f"{scheme}_generate_new")(key_type, suri)
                    for key_type, _, scheme in SESSION_KEYS)


@SessionKeys.implements("decode_session_keys")
def session_decode_session_keys(encoded: bytes) -> list[tuple[bytes, bytes]] | None:
    # `SessionKeys::decode` (not `decode_all`): trailing bytes are ignored.
    keys, pos = [], 0
    for key_type, length in SESSION_KEY_TYPES:
        if pos + length > len(encoded):
            return None
        keys.append((encoded[pos:pos + length], key_type))
        pos += length
    return keys


# ---------------------------------------------------------------------------
# The table and the dispatcher

_unimplemented = [f"{api.name}_{m}" for api in RUNTIME_APIS for m in api.unimplemented()]
if _unimplemented:
    raise TypeError(f"runtime APIs declared but not implemented: {', '.join(_unimplemented)}")

def methods_of(apis: Sequence[RuntimeApi]) -> dict[str, tuple[RuntimeApi, ApiMethod]]:
    """"<Api>_<method>" → (api, method): the exported functions of a runtime composing `apis`."""
    return {f"{api.name}_{m.name}": (api, m) for api in apis for m in api.methods}


#: The exported functions of this runtime.
METHODS = methods_of(RUNTIME_APIS)


def call(method: str, data: bytes, ext: externalities.Externalities | None,
         methods: dict[str, tuple[RuntimeApi, ApiMethod]] = METHODS) -> bytes:
    """Run the runtime API function `method` (e.g. "Core_version") on SCALE-encoded `data`
    over the externalities `ext`; return the SCALE-encoded result. `methods`: the exported
    functions (`methods_of(apis)` of a test's composition; this runtime's by default).

    Raises `MethodNotFound`, `BadApiInput` (argument bytes do not decode as the inputs),
    `ApiPanicked` (the runtime panicked). Writes go to `ext`'s overlay;
    the caller decides whether they persist (block building) or are dropped (`state_call`).
    """
    entry = methods.get(method)
    if entry is None:
        raise MethodNotFound(method)
    _, api_method = entry
    assert api_method.function is not None  # every composed method is implemented (checked at import)
    args = api_method.decode_args(bytes(data))
    with externalities.using(ext) if ext is not None else nullcontext():
        try:
            result = api_method.function(*args)
        except RuntimePanic as e:
            raise ApiPanicked(str(e)) from e
    return api_method.output.encode(result)
