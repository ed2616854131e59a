"""Runtime APIs: what `state_call("<Api>_<method>", SCALE(args))` runs, declared as
`impl_runtime_apis!` declares them in subtensor's `runtime/src/lib.rs`.

Each API is a name, a version and methods; each method has named, typed inputs, an output
type and docs, exactly as metadata V15 lists them (`runtime.metadata` builds the `apis`
section from these declarations). `call` is the dispatcher the node uses:

    call("Core_version", b"", ext)          # -> SCALE(RuntimeVersion)
    call("AccountNonceApi_account_nonce", alice, ext)

The arguments are decoded as one tuple that must span all the input (sp-api's
`decode_all`); failures raise `RuntimeApiError` subclasses whose text is what Substrate
puts after `Client error: Execution failed: ` (RPC error 4003).

Methods that need the block executive (`Core_initialize_block`, `Core_execute_block`,
`BlockBuilder_*`, `TaggedTransactionQueue_validate_transaction`,
`TransactionPaymentApi_query_info` / `query_fee_details`) call `runtime.executive`, imported
when the method runs, on the externalities of the call:

    initialize_block(header) -> "AllExtrinsics"    apply_extrinsic(bytes) -> ApplyExtrinsicResult
    finalize_block() -> Header                      inherent_extrinsics(timestamp_ms) -> [bytes]
    check_inherents(block, inherent_data) -> CheckInherentsResult
    validate_transaction(backend, source, bytes, block_hash) -> ValidTransaction (or raises)
    execute_block(backend, header, extrinsics) -> FinishedBlock (or BlockExecutionError)
    query_info(bytes, len) -> RuntimeDispatchInfo   query_fee_details(bytes, len) -> FeeDetails

Bytes the executive cannot decode as an extrinsic (`ExtrinsicFormatError`) fail as the real
API's argument decoding does (`BadApiInput`).

`GenesisBuilder_*` calls `runtime.genesis` the same way: `build_state(json)` (a `ValueError`
refuses), `get_preset(id) -> bytes | None`, `preset_names()`. Extrinsics travel as their own
encoding, `compact(len) ++ body` (bytes, length prefix included).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from pysubtensor.pallets import aura, grandpa, system, timestamp
from pysubtensor.pallets.grandpa.pallet import EQUIVOCATION_PROOF
from pysubtensor.pallets.support.dispatch import DISPATCH_RESULT, WEIGHT, RuntimePanic
from pysubtensor.pallets.support.pallet import rust_docs
from pysubtensor.pallets.transaction_payment import fees
from pysubtensor.pallets.transaction_payment.types import FEE_DETAILS, RUNTIME_DISPATCH_INFO
from pysubtensor.primitives import externalities
from pysubtensor.primitives.header import HEADER, Header
from pysubtensor.primitives.keys import MULTI_SIGNATURE
from pysubtensor.primitives.scale import (
    BOOL,
    BYTES,
    H256,
    STR,
    U32,
    U64,
    UNIT,
    Codec,
    Enum,
    Field,
    FixedBytes,
    Option,
    ScaleDecodeError,
    ScaleEncodeError,
    Struct,
    Tuple,
    Variant,
    Vec,
    decode_compact,
)
from pysubtensor.primitives.transaction_validity import (
    TRANSACTION_SOURCE,
    TRANSACTION_VALIDITY_ERROR,
    VALID_TRANSACTION,
    TransactionValidityError,
)
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE, MULTI_ADDRESS, NONCE
from pysubtensor.runtime.construct import RUNTIME_CALL, dispatch_info
from pysubtensor.runtime.extrinsic import TRANSACTION_EXTENSIONS, ExtrinsicFormatError
from pysubtensor.runtime.version import RUNTIME_VERSION, VERSION

__all__ = [
    "BLOCK",
    "CHECK_INHERENTS_RESULT",
    "EXTENSIONS_TUPLE",
    "INHERENT_DATA",
    "METHODS",
    "RUNTIME_APIS",
    "UNCHECKED_EXTRINSIC",
    "ApiMethod",
    "ApiPanicked",
    "ApiUnavailable",
    "BadApiInput",
    "Block",
    "CheckInherentsResult",
    "MethodNotFound",
    "Param",
    "RuntimeApi",
    "RuntimeApiError",
    "call",
]


# ---------------------------------------------------------------------------
# Errors (what `state_call` reports after "Client error: Execution failed: ")


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


class ApiUnavailable(RuntimeApiError):
    """The method exists but a module it needs is not part of this runtime (yet)."""


# ---------------------------------------------------------------------------
# Declarations


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    codec: Codec


@dataclass(frozen=True, slots=True)
class ApiMethod:
    """One method: its inputs are decoded in order from the call data, its result encoded
    with `output`."""

    name: str
    inputs: tuple[Param, ...]
    output: Codec
    function: Callable[..., Any]
    docs: tuple[str, ...]

    def decode_args(self, data: bytes) -> tuple[Any, ...]:
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


class RuntimeApi:
    """A runtime API trait: name, version and docs; methods are added with `method`."""

    def __init__(self, name: str, version: int, docs: Sequence[str]) -> None:
        self.name = name
        self.version = version
        self.docs = tuple(docs)
        self.methods: list[ApiMethod] = []

    def method(self, name: str, inputs: Sequence[tuple[str, Codec]], output: Codec,
               docs: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare the method `name`: `inputs` as (name, codec) pairs, in order."""

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            if any(m.name == name for m in self.methods):
                raise TypeError(f"{self.name}: method {name} declared twice")
            self.methods.append(ApiMethod(name, tuple(Param(n, c) for n, c in inputs), output, fn,
                                          rust_docs(docs) if docs else ()))
            return fn

        return register

    def __repr__(self) -> str:
        return f"<RuntimeApi {self.name} v{self.version}>"


# ---------------------------------------------------------------------------
# Types of the API signatures (paths and type names as the real metadata gives them)


class _OpaqueExtrinsic(Codec):
    """An extrinsic as the APIs carry it: `compact(len) ++ body`, described as the runtime's
    `UncheckedExtrinsic` type. Python value: the encoded bytes, length prefix included (what
    `runtime.extrinsic.UncheckedExtrinsic.decode` reads)."""

    __slots__ = ("_fields",)

    def __init__(self, path: Sequence[str], params: Sequence[tuple[str, Codec]], fields: Sequence[Field]) -> None:
        super().__init__(path=path, params=params)
        self._fields = tuple(fields)

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, bytes | bytearray):
            raise ScaleEncodeError(f"{self.display_name}: expected the encoded extrinsic, got {type(value).__name__}")
        try:
            length, start = decode_compact(value, 0)
        except ScaleDecodeError:
            length, start = -1, 0
        if start + length != len(value):
            raise ScaleEncodeError(f"{self.display_name}: bytes are not compact(len) ++ body")
        out += value

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[bytes, int]:
        length, start = decode_compact(data, offset)
        end = start + length
        if end > len(data):
            raise ScaleDecodeError(f"{self.display_name}: needs {length} bytes at offset {start}, "
                                   f"only {len(data) - start} left")
        return bytes(data[offset:end]), end

    def type_def(self) -> tuple:
        return ("composite", self._fields)


def _charge_transaction_payment_wrapper(inner: Codec) -> Struct:
    """`node_subtensor_runtime::transaction_payment_wrapper::ChargeTransactionPaymentWrapper<T>`:
    what the runtime's extension tuple holds; its metadata entry reports the wrapped
    `ChargeTransactionPayment` (same encoding)."""
    return Struct(("node_subtensor_runtime", "transaction_payment_wrapper", "ChargeTransactionPaymentWrapper"),
                  (Field("charge_transaction_payment", inner, "ChargeTransactionPayment<T>"),),
                  params=(("T", None),))


#: The runtime's `TxExtension` tuple (the extrinsic's `Extension` / V15 `extra_ty`).
EXTENSIONS_TUPLE = Tuple(*(
    _charge_transaction_payment_wrapper(ext.explicit) if ext.identifier == "ChargeTransactionPayment"
    else ext.explicit
    for ext in TRANSACTION_EXTENSIONS
))

_EXTRINSIC_PARAMS = (("Address", MULTI_ADDRESS), ("Call", RUNTIME_CALL), ("Signature", MULTI_SIGNATURE))
#: `sp_runtime::generic::UncheckedExtrinsic`: described as opaque bytes (its TypeInfo is
#: hand-written in sp-runtime), the parts named by its type parameters.
_SP_UNCHECKED_EXTRINSIC = _OpaqueExtrinsic(
    ("sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"),
    (*_EXTRINSIC_PARAMS, ("Extra", EXTENSIONS_TUPLE)),
    (Field(None, BYTES),))
#: `fp_self_contained::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>`.
UNCHECKED_EXTRINSIC = _OpaqueExtrinsic(
    ("fp_self_contained", "unchecked_extrinsic", "UncheckedExtrinsic"),
    (*_EXTRINSIC_PARAMS, ("Extension", EXTENSIONS_TUPLE)),
    (Field(None, _SP_UNCHECKED_EXTRINSIC, "generic::UncheckedExtrinsic<Address, Call, Signature, Extension>"),))


@dataclass(slots=True)
class Block:
    """`sp_runtime::generic::Block`: a header and the encoded extrinsics."""

    header: Header
    extrinsics: list[bytes] = field(default_factory=list)


BLOCK = Struct(("sp_runtime", "generic", "block", "Block"),
               (Field("header", HEADER, "Header"), Field("extrinsics", Vec(UNCHECKED_EXTRINSIC), "Vec<Extrinsic>")),
               cls=Block, params=(("Header", HEADER), ("Extrinsic", UNCHECKED_EXTRINSIC)))


def _result(ok: Codec, err: Codec) -> Enum:
    """`Result<T, E>`; Python value `("Ok", value)` or `("Err", error)`."""
    return Enum(("Result",), (Variant("Ok", 0, (Field(None, ok),)), Variant("Err", 1, (Field(None, err),))),
                params=(("T", ok), ("E", err)))


class _BTreeMap(Codec):
    """`BTreeMap<K, V>`, encoded as the key-ordered `Vec<(K, V)>`; Python value: a dict."""

    __slots__ = ("_pairs",)

    def __init__(self, key: Codec, value: Codec) -> None:
        super().__init__(path=("BTreeMap",), params=(("K", key), ("V", value)))
        self._pairs = Vec(Tuple(key, value))

    def encode_into(self, value: Any, out: bytearray) -> None:
        if not isinstance(value, dict):
            raise ScaleEncodeError(f"BTreeMap: expected a dict, got {type(value).__name__}")
        self._pairs.encode_into(sorted(value.items()), out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[dict, int]:
        pairs, end = self._pairs.decode(data, offset)
        return dict(pairs), end

    def type_def(self) -> tuple:
        return ("composite", (Field(None, self._pairs),))


class _InherentData(Codec):
    """`sp_inherents::InherentData { data: BTreeMap<InherentIdentifier, Vec<u8>> }`; Python
    value: the map itself, {8-byte identifier: encoded inherent data}."""

    __slots__ = ("_map",)

    def __init__(self) -> None:
        super().__init__(path=("sp_inherents", "InherentData"))
        self._map = _BTreeMap(FixedBytes(8), BYTES)

    def encode_into(self, value: Any, out: bytearray) -> None:
        self._map.encode_into(value, out)

    def decode(self, data: bytes | memoryview, offset: int = 0) -> tuple[dict, int]:
        return self._map.decode(data, offset)

    def type_def(self) -> tuple:
        return ("composite", (Field("data", self._map, "BTreeMap<InherentIdentifier, Vec<u8>>"),))


INHERENT_DATA = _InherentData()


@dataclass(slots=True)
class CheckInherentsResult:
    """`sp_inherents::CheckInherentsResult`; `errors` maps inherent identifiers to encoded errors."""

    okay: bool = True
    fatal_error: bool = False
    errors: dict[bytes, bytes] = field(default_factory=dict)


CHECK_INHERENTS_RESULT = Struct(
    ("sp_inherents", "CheckInherentsResult"),
    (Field("okay", BOOL, "bool"), Field("fatal_error", BOOL, "bool"), Field("errors", INHERENT_DATA, "InherentData")),
    cls=CheckInherentsResult,
)

EXTRINSIC_INCLUSION_MODE = Enum(("sp_runtime", "ExtrinsicInclusionMode"),
                                (Variant("AllExtrinsics", 0), Variant("OnlyInherents", 1)))
OPAQUE_METADATA = Struct(("sp_core", "OpaqueMetadata"), (Field(None, BYTES, "Vec<u8>"),))
SLOT_DURATION = Struct(("sp_consensus_slots", "SlotDuration"), (Field(None, U64, "u64"),))
KEY_TYPE_ID = Struct(("sp_core", "crypto", "KeyTypeId"), (Field(None, FixedBytes(4), "[u8; 4]"),))
OPAQUE_VALUE = Struct(("sp_runtime", "OpaqueValue"), (Field(None, BYTES, "Vec<u8>"),))
APPLY_EXTRINSIC_RESULT = _result(DISPATCH_RESULT, TRANSACTION_VALIDITY_ERROR)
TRANSACTION_VALIDITY = _result(VALID_TRANSACTION, TRANSACTION_VALIDITY_ERROR)


# ---------------------------------------------------------------------------
# Lazily reached modules


def _optional_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
        raise ApiUnavailable(f"Other: {name} is not available in this runtime") from None


def _executive() -> ModuleType:
    return _optional_module("pysubtensor.runtime.executive")


def _genesis() -> ModuleType:
    return _optional_module("pysubtensor.runtime.genesis")


@contextmanager
def _extrinsic_argument(method: str) -> Iterator[None]:
    """An extrinsic argument that does not decode fails as the real API's argument decoding."""
    try:
        yield
    except ExtrinsicFormatError as e:
        raise BadApiInput(f"Bad input data provided to {method}: {e}") from None


# ---------------------------------------------------------------------------
# Core


Core = RuntimeApi("Core", 5, rust_docs("The `Core` runtime api that every Substrate runtime needs to implement."))


@Core.method("version", (), RUNTIME_VERSION, "Returns the version of the runtime.")
def core_version() -> Any:
    return VERSION


@Core.method("execute_block", (("block", BLOCK),), UNIT, "Execute the given block.")
def core_execute_block(block: Block) -> None:
    """Re-execute `block` on the current state (an invalid block panics, as in Rust) and keep
    its storage changes. The state root is not checked here: the node computes roots."""
    executive = _executive()
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


@Core.method("initialize_block", (("header", HEADER),), EXTRINSIC_INCLUSION_MODE,
             "Initialize a block with the given header and return the runtime executive mode.")
def core_initialize_block(header: Header) -> str:
    return _executive().initialize_block(header)


# ---------------------------------------------------------------------------
# Metadata


Metadata = RuntimeApi("Metadata", 2, rust_docs("The `Metadata` api trait that returns metadata for the runtime."))


@Metadata.method("metadata", (), OPAQUE_METADATA, "Returns the metadata of a runtime.")
def metadata_metadata() -> bytes:
    from pysubtensor.runtime.metadata import metadata_bytes

    return metadata_bytes(14)


@Metadata.method("metadata_at_version", (("version", U32),), Option(OPAQUE_METADATA), """
    Returns the metadata at a given version.

    If the given `version` isn't supported, this will return `None`.
    Use [`Self::metadata_versions`] to find out about supported metadata version of the runtime.
""")
def metadata_at_version(version: int) -> bytes | None:
    from pysubtensor.runtime.metadata import SUPPORTED_METADATA_VERSIONS, metadata_bytes

    return metadata_bytes(version) if version in SUPPORTED_METADATA_VERSIONS else None


@Metadata.method("metadata_versions", (), Vec(U32), """
    Returns the supported metadata versions.

    This can be used to call `metadata_at_version`.
""")
def metadata_versions() -> list[int]:
    from pysubtensor.runtime.metadata import SUPPORTED_METADATA_VERSIONS

    return list(SUPPORTED_METADATA_VERSIONS)


# ---------------------------------------------------------------------------
# BlockBuilder


BlockBuilder = RuntimeApi("BlockBuilder", 6, rust_docs(
    "The `BlockBuilder` api trait that provides the required functionality for building a block."))


@BlockBuilder.method("apply_extrinsic", (("extrinsic", UNCHECKED_EXTRINSIC),), APPLY_EXTRINSIC_RESULT, """
    Apply the given extrinsic.

    Returns an inclusion outcome which specifies if this extrinsic is included in
    this block or not.
""")
def block_builder_apply_extrinsic(extrinsic: bytes) -> Any:
    executive = _executive()
    with _extrinsic_argument("apply_extrinsic"):
        return executive.apply_extrinsic(extrinsic).value


@BlockBuilder.method("finalize_block", (), HEADER, "Finish the current block.")
def block_builder_finalize_block() -> Header:
    return _executive().finalize_block()


@BlockBuilder.method("inherent_extrinsics", (("inherent", INHERENT_DATA),), Vec(UNCHECKED_EXTRINSIC),
                     "Generate inherent extrinsics. The inherent data will vary from chain to chain.")
def block_builder_inherent_extrinsics(inherent: dict[bytes, bytes]) -> list[bytes]:
    # Timestamp is the one pallet that provides an inherent; its data is read as
    # `create_inherent` reads it (and panics as it does).
    executive = _executive()
    return list(executive.inherent_extrinsics(_timestamp_inherent_data(inherent)))


def _timestamp_inherent_data(inherent: dict[bytes, bytes]) -> int:
    raw = inherent.get(timestamp.INHERENT_IDENTIFIER)
    if raw is None:
        raise ApiPanicked("Timestamp inherent data must be provided")
    try:
        return U64.decode(raw)[0]  # `InherentData::get_data`: `Decode`, trailing bytes ignored
    except ScaleDecodeError:
        raise ApiPanicked("Timestamp inherent data not correctly encoded") from None



@BlockBuilder.method("check_inherents", (("block", BLOCK), ("data", INHERENT_DATA)), CHECK_INHERENTS_RESULT,
                     "Check that the inherents are valid. The inherent data will vary from chain to chain.")
def block_builder_check_inherents(block: Block, data: dict[bytes, bytes]) -> CheckInherentsResult:
    executive = _executive()
    with _extrinsic_argument("check_inherents"):
        return executive.check_inherents(block, data)


# ---------------------------------------------------------------------------
# GenesisBuilder


GenesisBuilder = RuntimeApi("GenesisBuilder", 1, rust_docs(
    "API to interact with `RuntimeGenesisConfig` for the runtime"))


@GenesisBuilder.method("build_state", (("json", BYTES),), _result(UNIT, STR), """
    Build `RuntimeGenesisConfig` from a JSON blob not using any defaults and store it in the
    storage.

    In the case of a FRAME-based runtime, this function deserializes the full
    `RuntimeGenesisConfig` from the given JSON blob and puts it into the storage. If the
    provided JSON blob is incorrect or incomplete or the deserialization fails, an error
    is returned.

    Please note that provided JSON blob must contain all `RuntimeGenesisConfig` fields, no
    defaults will be used.
""")
def genesis_build_state(json: bytes) -> tuple[str, Any]:
    genesis = _genesis()
    try:
        genesis.build_state(json)
    except ValueError as e:
        return ("Err", str(e))
    return ("Ok", ())


@GenesisBuilder.method("get_preset", (("id", Option(STR)),), Option(BYTES), """
    Returns a JSON blob representation of the built-in `RuntimeGenesisConfig` identified by
    `id`.

    If `id` is `None` the function should return JSON blob representation of the default
    `RuntimeGenesisConfig` struct of the runtime. Implementation must provide default
    `RuntimeGenesisConfig`.

    Otherwise function returns a JSON representation of the built-in, named
    `RuntimeGenesisConfig` preset identified by `id`, or `None` if such preset does not
    exist. Returned `Vec<u8>` contains bytes of JSON blob (patch) which comprises a list of
    (potentially nested) key-value pairs that are intended for customizing the default
    runtime genesis config. The patch shall be merged (rfc7386) with the JSON representation
    of the default `RuntimeGenesisConfig` to create a comprehensive genesis config that can
    be used in `build_state` method.
""")
def genesis_get_preset(preset_id: str | None) -> bytes | None:
    return _genesis().get_preset(preset_id)


@GenesisBuilder.method("preset_names", (), Vec(STR), """
    Returns a list of identifiers for available builtin `RuntimeGenesisConfig` presets.

    The presets from the list can be queried with [`GenesisBuilder::get_preset`] method. If
    no named presets are provided by the runtime the list is empty.
""")
def genesis_preset_names() -> list[str]:
    return list(_genesis().preset_names())


# ---------------------------------------------------------------------------
# TaggedTransactionQueue


TaggedTransactionQueue = RuntimeApi("TaggedTransactionQueue", 3, rust_docs(
    "The `TaggedTransactionQueue` api trait for interfering with the transaction queue."))


@TaggedTransactionQueue.method(
    "validate_transaction", (("source", TRANSACTION_SOURCE), ("tx", UNCHECKED_EXTRINSIC), ("block_hash", H256)),
    TRANSACTION_VALIDITY, """
    Validate the transaction.

    This method is invoked by the transaction pool to learn details about given transaction.
    The implementation should make sure to verify the correctness of the transaction
    against current state. The given `block_hash` corresponds to the hash of the block
    that is used as current state.

    Note that this call may be performed by the pool multiple times and transactions
    might be verified in any possible order.
""")
def tagged_transaction_queue_validate_transaction(source: tuple[str, None], tx: bytes, block_hash: bytes) -> Any:
    # The executive validates on a throwaway overlay over the state this call sees.
    executive = _executive()
    try:
        with _extrinsic_argument("validate_transaction"):
            return ("Ok", executive.validate_transaction(externalities.current(), source[0], tx, block_hash))
    except TransactionValidityError as e:
        return ("Err", e.value)


# ---------------------------------------------------------------------------
# OffchainWorkerApi


OffchainWorkerApi = RuntimeApi("OffchainWorkerApi", 2, rust_docs("The offchain worker api."))


@OffchainWorkerApi.method("offchain_worker", (("header", HEADER),), UNIT,
                          "Starts the off-chain task for given block header.")
def offchain_worker(header: Header) -> None:
    """No pallet of ours has an offchain worker: nothing to run."""


# ---------------------------------------------------------------------------
# AuraApi


AuraApi = RuntimeApi("AuraApi", 1, rust_docs("API necessary for block authorship with aura."))


@AuraApi.method("slot_duration", (), SLOT_DURATION, """
    Returns the slot duration for Aura.

    Currently, only the value provided by this type at genesis will be used.
""")
def aura_slot_duration() -> int:
    return aura.slot_duration()


@AuraApi.method("authorities", (), Vec(aura.AUTHORITY_ID), "Return the current set of authorities.")
def aura_authorities() -> list[bytes]:
    return list(aura.Authorities.get())


# ---------------------------------------------------------------------------
# SessionKeys: subtensor's `opaque::SessionKeys { aura: Aura, grandpa: Grandpa }`

SessionKeys = RuntimeApi("SessionKeys", 1, rust_docs("Session keys runtime api."))

#: (key type id, public key length) of each session key, in `SessionKeys` field order.
SESSION_KEY_TYPES = ((b"aura", 32), (b"gran", 32))


@SessionKeys.method("generate_session_keys", (("seed", Option(BYTES)),), BYTES, """
    Generate a set of session keys with optionally using the given seed.
    The keys should be stored within the keystore exposed via runtime
    externalities.

    The seed needs to be a valid `utf8` string.

    Returns the concatenated SCALE encoded public keys.
""")
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
    return keystore.sr25519_generate_new(b"aura", suri) + keystore.ed25519_generate_new(b"gran", suri)


@SessionKeys.method("decode_session_keys", (("encoded", BYTES),), Option(Vec(Tuple(BYTES, KEY_TYPE_ID))), """
    Decode the given public session keys.

    Returns the list of public raw public keys + key type.
""")
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
# GrandpaApi


GrandpaApi = RuntimeApi("GrandpaApi", 3, rust_docs("""
    APIs for integrating the GRANDPA finality gadget into runtimes.
    This should be implemented on the runtime side.

    This is primarily used for negotiating authority-set changes for the
    gadget. GRANDPA uses a signaling model of changing authority sets:
    changes should be signaled with a delay of N blocks, and then automatically
    applied in the runtime after those N blocks have passed.

    The consensus protocol will coordinate the handoff externally.
"""))


@GrandpaApi.method("grandpa_authorities", (), grandpa.AUTHORITY_LIST, """
    Get the current GRANDPA authorities and weights. This should not change except
    for when changes are scheduled and the corresponding delay has passed.

    When called at block B, it will return the set of authorities that should be
    used to finalize descendants of this block (B+1, B+2, ...). The block B itself
    is finalized by the authorities from block B-1.
""")
def grandpa_authorities() -> list[tuple[bytes, int]]:
    return list(grandpa.grandpa_authorities())


@GrandpaApi.method("submit_report_equivocation_unsigned_extrinsic",
                   (("equivocation_proof", EQUIVOCATION_PROOF), ("key_owner_proof", OPAQUE_VALUE)),
                   Option(UNIT), """
    Submits an unsigned extrinsic to report an equivocation. The caller
    must provide the equivocation proof and a key ownership proof
    (should be obtained using `generate_key_ownership_proof`). The
    extrinsic will be unsigned and should only be accepted for local
    authorship (not to be broadcast to the network). This method returns
    `None` when creation of the extrinsic fails, e.g. if equivocation
    reporting is disabled for the given runtime (i.e. this method is
    hardcoded to return `None`). Only useful in an offchain context.
""")
def grandpa_submit_report_equivocation_unsigned_extrinsic(equivocation_proof: Any, key_owner_proof: bytes) -> None:
    # The key owner proof is `sp_core::Void` in subtensor: no bytes decode to it, so `None`.
    return None


@GrandpaApi.method("generate_key_ownership_proof", (("set_id", U64), ("authority_id", grandpa.AUTHORITY_ID)),
                   Option(OPAQUE_VALUE), """
    Generates a proof of key ownership for the given authority in the
    given set. An example usage of this module is coupled with the
    session historical module to prove that a given authority key is
    tied to a given staking identity during a specific session. Proofs
    of key ownership are necessary for submitting equivocation reports.
    NOTE: even though the API takes a `set_id` as parameter the current
    implementations ignore this parameter and instead rely on this
    method being called at the correct block height, i.e. any point at
    which the given set id is live on-chain. Future implementations will
    instead use indexed data through an offchain worker, not requiring
    older states to be available.
""")
def grandpa_generate_key_ownership_proof(set_id: int, authority_id: bytes) -> None:
    # Subtensor's key owner proof is a bottom type: no proof can exist.
    return None


@GrandpaApi.method("current_set_id", (), U64, "Get current GRANDPA authority set id.")
def grandpa_current_set_id() -> int:
    return grandpa.CurrentSetId.get()


# ---------------------------------------------------------------------------
# AccountNonceApi


AccountNonceApi = RuntimeApi("AccountNonceApi", 1, rust_docs("The API to query account nonce."))


@AccountNonceApi.method("account_nonce", (("account", ACCOUNT_ID),), NONCE,
                        "Get current account nonce of given `AccountId`.")
def account_nonce(account: bytes) -> int:
    return system.account_nonce(account)


# ---------------------------------------------------------------------------
# TransactionPaymentApi and TransactionPaymentCallApi (no trait docs in the real metadata)


TransactionPaymentApi = RuntimeApi("TransactionPaymentApi", 4, ())


@TransactionPaymentApi.method("query_info", (("uxt", UNCHECKED_EXTRINSIC), ("len", U32)), RUNTIME_DISPATCH_INFO)
def payment_query_info(uxt: bytes, length: int) -> Any:
    executive = _executive()
    with _extrinsic_argument("query_info"):
        return executive.query_info(uxt, length)


@TransactionPaymentApi.method("query_fee_details", (("uxt", UNCHECKED_EXTRINSIC), ("len", U32)), FEE_DETAILS)
def payment_query_fee_details(uxt: bytes, length: int) -> Any:
    executive = _executive()
    with _extrinsic_argument("query_fee_details"):
        return executive.query_fee_details(uxt, length)


def _query_weight_to_fee(weight: Any) -> int:
    return fees.weight_to_fee(weight)


def _query_length_to_fee(length: int) -> int:
    return fees.length_to_fee(length)


TransactionPaymentApi.method("query_weight_to_fee", (("weight", WEIGHT),), BALANCE)(_query_weight_to_fee)
TransactionPaymentApi.method("query_length_to_fee", (("length", U32),), BALANCE)(_query_length_to_fee)


TransactionPaymentCallApi = RuntimeApi("TransactionPaymentCallApi", 3, ())


@TransactionPaymentCallApi.method("query_call_info", (("call", RUNTIME_CALL), ("len", U32)), RUNTIME_DISPATCH_INFO,
                                  "Query information of a dispatch class, weight, and fee of a given encoded `Call`.")
def payment_query_call_info(call: Any, length: int) -> Any:
    return fees.query_info(dispatch_info(call), length)


@TransactionPaymentCallApi.method("query_call_fee_details", (("call", RUNTIME_CALL), ("len", U32)), FEE_DETAILS,
                                  "Query fee details of a given encoded `Call`.")
def payment_query_call_fee_details(call: Any, length: int) -> Any:
    return fees.query_fee_details(dispatch_info(call), length)


TransactionPaymentCallApi.method("query_weight_to_fee", (("weight", WEIGHT),), BALANCE,
                                 "Query the output of the current `WeightToFee` given some input.")(_query_weight_to_fee)
TransactionPaymentCallApi.method("query_length_to_fee", (("length", U32),), BALANCE,
                                 "Query the output of the current `LengthToFee` given some input.")(_query_length_to_fee)


# ---------------------------------------------------------------------------
# The table and the dispatcher

#: In `impl_runtime_apis!` order (the order of metadata V15 `apis` and of `RuntimeVersion.apis`).
RUNTIME_APIS: tuple[RuntimeApi, ...] = (
    Core,
    Metadata,
    BlockBuilder,
    GenesisBuilder,
    TaggedTransactionQueue,
    OffchainWorkerApi,
    AuraApi,
    SessionKeys,
    GrandpaApi,
    AccountNonceApi,
    TransactionPaymentApi,
    TransactionPaymentCallApi,
)

#: "<Api>_<method>" → (api, method): the exported functions of the runtime.
METHODS: dict[str, tuple[RuntimeApi, ApiMethod]] = {
    f"{api.name}_{m.name}": (api, m) for api in RUNTIME_APIS for m in api.methods
}


def call(method: str, data: bytes, ext: externalities.Externalities | None) -> bytes:
    """Run the runtime API function `method` (e.g. "Core_version") on SCALE-encoded `data`
    over the externalities `ext`; return the SCALE-encoded result.

    Raises `MethodNotFound`, `BadApiInput` (argument bytes do not decode as the inputs),
    `ApiPanicked` (the runtime panicked) or `ApiUnavailable`. Writes go to `ext`'s overlay;
    the caller decides whether they persist (block building) or are dropped (`state_call`).
    """
    entry = METHODS.get(method)
    if entry is None:
        raise MethodNotFound(method)
    _, api_method = entry
    args = api_method.decode_args(bytes(data))
    with externalities.using(ext) if ext is not None else nullcontext():
        try:
            result = api_method.function(*args)
        except RuntimePanic as e:
            raise ApiPanicked(str(e)) from e
    return api_method.output.encode(result)
