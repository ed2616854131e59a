"""The runtime APIs node-subtensor implements, in its `impl_runtime_apis!` order: the one
place that lists them. `Core_version`'s API list (`runtime.version.VERSION`) and the
metadata's `apis` (`runtime.metadata`) are read from `RUNTIME_APIS`.

Pallets declare their own APIs (`pallets.aura.api.AuraApi`, `pallets.grandpa.api.GrandpaApi`,
`pallets.system.api.AccountNonceApi`, the transaction-payment ones, generic over this
runtime's extrinsic and call types, SubtensorModule's info APIs in `pallets.subtensor.apis`). The framework's APIs (Core, Metadata, BlockBuilder,
GenesisBuilder, TaggedTransactionQueue, OffchainWorkerApi, SessionKeys) are declared here,
with the types of their signatures (paths and type names as the real metadata gives them);
`runtime.apis` implements them over the executive, the genesis builder and the metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pysubtensor.pallets.aura.api import AuraApi
from pysubtensor.pallets.grandpa.api import GrandpaApi
from pysubtensor.pallets.subtensor.apis.delegate_info import DelegateInfoRuntimeApi
from pysubtensor.pallets.subtensor.apis.neuron_info import NeuronInfoRuntimeApi
from pysubtensor.pallets.subtensor.apis.stake_info import StakeInfoRuntimeApi
from pysubtensor.pallets.subtensor.apis.subnet_info import SubnetInfoRuntimeApi
from pysubtensor.pallets.subtensor.apis.subnet_registration import SubnetRegistrationRuntimeApi
from pysubtensor.pallets.support.dispatch import DISPATCH_RESULT, DispatchInfo
from pysubtensor.pallets.support.pallet import rust_docs
from pysubtensor.pallets.support.runtime_api import BadApiInput, RuntimeApi
from pysubtensor.pallets.swap.api import SwapRuntimeApi
from pysubtensor.pallets.system.api import AccountNonceApi
from pysubtensor.pallets.transaction_payment.api import transaction_payment_api, transaction_payment_call_api
from pysubtensor.primitives.header import HEADER, Header
from pysubtensor.primitives.keys import MULTI_SIGNATURE
from pysubtensor.primitives.scale import (
    BOOL,
    BYTES,
    H256,
    STR,
    U32,
    UNIT,
    BTreeMap,
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
)
from pysubtensor.primitives.types import MULTI_ADDRESS
from pysubtensor.primitives.version import RUNTIME_VERSION
from pysubtensor.runtime import executive
from pysubtensor.runtime.construct import RUNTIME_CALL, dispatch_info
from pysubtensor.runtime.extrinsic import TRANSACTION_EXTENSIONS, ExtrinsicFormatError

__all__ = [
    "BLOCK",
    "CHECK_INHERENTS_RESULT",
    "EXTENSIONS_TUPLE",
    "INHERENT_DATA",
    "RUNTIME_APIS",
    "UNCHECKED_EXTRINSIC",
    "Block",
    "BlockBuilder",
    "CheckInherentsResult",
    "Core",
    "GenesisBuilder",
    "Metadata",
    "OffchainWorkerApi",
    "SessionKeys",
    "TaggedTransactionQueue",
]


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


class _InherentData(Codec):
    """`sp_inherents::InherentData { data: BTreeMap<InherentIdentifier, Vec<u8>> }`; Python
    value: the map itself, {8-byte identifier: encoded inherent data}."""

    __slots__ = ("_map",)

    def __init__(self) -> None:
        super().__init__(path=("sp_inherents", "InherentData"))
        self._map = BTreeMap(FixedBytes(8), BYTES)

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
KEY_TYPE_ID = Struct(("sp_core", "crypto", "KeyTypeId"), (Field(None, FixedBytes(4), "[u8; 4]"),))
APPLY_EXTRINSIC_RESULT = _result(DISPATCH_RESULT, TRANSACTION_VALIDITY_ERROR)
TRANSACTION_VALIDITY = _result(VALID_TRANSACTION, TRANSACTION_VALIDITY_ERROR)



# ---------------------------------------------------------------------------
# The framework's APIs

Core = RuntimeApi("Core", 5, rust_docs("The `Core` runtime api that every Substrate runtime needs to implement."))

Core.declare("version", (), RUNTIME_VERSION, "Returns the version of the runtime.")

Core.declare("execute_block", (("block", BLOCK),), UNIT, "Execute the given block.")

Core.declare("initialize_block", (("header", HEADER),), EXTRINSIC_INCLUSION_MODE,
             "Initialize a block with the given header and return the runtime executive mode.")

Metadata = RuntimeApi("Metadata", 2, rust_docs("The `Metadata` api trait that returns metadata for the runtime."))

Metadata.declare("metadata", (), OPAQUE_METADATA, "Returns the metadata of a runtime.")

Metadata.declare("metadata_at_version", (("version", U32),), Option(OPAQUE_METADATA), """
    Returns the metadata at a given version.

    If the given `version` isn't supported, this will return `None`.
    Use [`Self::metadata_versions`] to find out about supported metadata version of the runtime.
""")

Metadata.declare("metadata_versions", (), Vec(U32), """
    Returns the supported metadata versions.

    This can be used to call `metadata_at_version`.
""")

BlockBuilder = RuntimeApi("BlockBuilder", 6, rust_docs(
    "The `BlockBuilder` api trait that provides the required functionality for building a block."))

BlockBuilder.declare("apply_extrinsic", (("extrinsic", UNCHECKED_EXTRINSIC),), APPLY_EXTRINSIC_RESULT, """
    Apply the given extrinsic.

    Returns an inclusion outcome which specifies if this extrinsic is included in
    this block or not.
""")

BlockBuilder.declare("finalize_block", (), HEADER, "Finish the current block.")

BlockBuilder.declare("inherent_extrinsics", (("inherent", INHERENT_DATA),), Vec(UNCHECKED_EXTRINSIC),
                     "Generate inherent extrinsics. The inherent data will vary from chain to chain.")

BlockBuilder.declare("check_inherents", (("block", BLOCK), ("data", INHERENT_DATA)), CHECK_INHERENTS_RESULT,
                     "Check that the inherents are valid. The inherent data will vary from chain to chain.")

GenesisBuilder = RuntimeApi("GenesisBuilder", 1, rust_docs(
    "API to interact with `RuntimeGenesisConfig` for the runtime"))

GenesisBuilder.declare("build_state", (("json", BYTES),), _result(UNIT, STR), """
    Build `RuntimeGenesisConfig` from a JSON blob not using any defaults and store it in the
    storage.

    In the case of a FRAME-based runtime, this function deserializes the full
    `RuntimeGenesisConfig` from the given JSON blob and puts it into the storage. If the
    provided JSON blob is incorrect or incomplete or the deserialization fails, an error
    is returned.

    Please note that provided JSON blob must contain all `RuntimeGenesisConfig` fields, no
    defaults will be used.
""")

GenesisBuilder.declare("get_preset", (("id", Option(STR)),), Option(BYTES), """
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

GenesisBuilder.declare("preset_names", (), Vec(STR), """
    Returns a list of identifiers for available builtin `RuntimeGenesisConfig` presets.

    The presets from the list can be queried with [`GenesisBuilder::get_preset`] method. If
    no named presets are provided by the runtime the list is empty.
""")

TaggedTransactionQueue = RuntimeApi("TaggedTransactionQueue", 3, rust_docs(
    "The `TaggedTransactionQueue` api trait for interfering with the transaction queue."))

TaggedTransactionQueue.declare(
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

OffchainWorkerApi = RuntimeApi("OffchainWorkerApi", 2, rust_docs("The offchain worker api."))

OffchainWorkerApi.declare("offchain_worker", (("header", HEADER),), UNIT,
                          "Starts the off-chain task for given block header.")

SessionKeys = RuntimeApi("SessionKeys", 1, rust_docs("Session keys runtime api."))

SessionKeys.declare("generate_session_keys", (("seed", Option(BYTES)),), BYTES, """
    Generate a set of session keys with optionally using the given seed.
    The keys should be stored within the keystore exposed via runtime
    externalities.

    The seed needs to be a valid `utf8` string.

    Returns the concatenated SCALE encoded public keys.
""")

SessionKeys.declare("decode_session_keys", (("encoded", BYTES),), Option(Vec(Tuple(BYTES, KEY_TYPE_ID))), """
    Decode the given public session keys.

    Returns the list of public raw public keys + key type.
""")


# ---------------------------------------------------------------------------
# Pallet APIs generic over this runtime's types


def _extrinsic_fee_info(uxt: bytes, method: str) -> tuple[DispatchInfo, bool]:
    try:
        return executive.extrinsic_fee_info(uxt)
    except ExtrinsicFormatError as e:
        raise BadApiInput(f"Bad input data provided to {method}: {e}") from None


TransactionPaymentApi = transaction_payment_api(UNCHECKED_EXTRINSIC, _extrinsic_fee_info)
TransactionPaymentCallApi = transaction_payment_call_api(RUNTIME_CALL, dispatch_info)


# ---------------------------------------------------------------------------
# The composition

#: In `impl_runtime_apis!` order (the order of metadata V15 `apis` and of `RuntimeVersion.apis`):
#: the real runtime's order with the APIs this runtime does not have left out.
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
    # (the real runtime's EthereumRuntimeRPCApi, ConvertTransactionRuntimeApi and ContractsApi
    # come here; this runtime has no EVM or contracts)
    DelegateInfoRuntimeApi,
    NeuronInfoRuntimeApi,
    SubnetInfoRuntimeApi,
    StakeInfoRuntimeApi,
    SubnetRegistrationRuntimeApi,
    # (BabeApi comes here: this runtime has Aura only)
    SwapRuntimeApi,
)
