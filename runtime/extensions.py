"""The transaction extensions of node-subtensor (its `TxExtension` tuple), what each does
for the pool (`validate`) and for block inclusion (`prepare`, then `post_dispatch` after the
call), and the signature check of a signed extrinsic.

The order and identifiers are `runtime.extrinsic.TRANSACTION_EXTENSIONS` (the metadata's):

    CheckNonZeroSender     signer must not be 32 zero bytes                 -> BadSigner
    CheckSpecVersion       implicit spec_version
    CheckTxVersion         implicit transaction_version
    CheckGenesis           implicit System.BlockHash[0]
    CheckMortality         implicit hash of the era's birth block          -> AncientBirthBlock
                           (subtensor's wrapper; its MEV-shield rule needs pallet_shield: absent)
    CheckNonce             subtensor's copy: account must have a provider   -> Payment
                           stale nonce -> Stale; a future nonce is valid in the pool (requires
                           tag (who, nonce - 1)) but Future at inclusion; provides (who, nonce)
    CheckWeight            length and weight limits                         -> ExhaustsResources
    ChargeTransactionPayment  subtensor's `ChargeTransactionPaymentWrapper` (the metadata keeps
                           the inner identifier): fee withdrawn before dispatch, settled after;
                           priority 1 (Normal, Mandatory) or 10_000_000_000 (Operational)
    SudoTransactionExtension  a Sudo call from anyone but the key          -> BadSigner
    SubtensorTransactionExtension  SubtensorModule's guards: no-ops until the subtensor pallets
                           exist, but its weight (CheckColdkeySwap's, charged for every call)
                           counts, as in the real runtime
    DrandPriority          priority for Drand.write_pulse: a no-op without the Drand pallet
    CheckMetadataHash      implicit Option<[u8; 32]>: None when Disabled; when Enabled the
                           runtime's RUNTIME_METADATA_HASH, which we do not have (as a runtime
                           built without the `metadata-hash` feature): None, so a signer that
                           committed to a hash gets BadProof

Errors are `TransactionValidityError`s, raised. Each extension is a small class with the
methods of sp-runtime's `TransactionExtension` (weight, implicit, validate, prepare,
post_dispatch_details and the bare_* forms); `Pipeline` runs the tuple the way sp-runtime's
tuple implementation does (validate all, then prepare all, then post-dispatch all, in order).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pysubtensor.pallets.system as system
from pysubtensor.pallets.support.dispatch import DispatchClass, DispatchInfo, Origin, PostDispatchInfo, Weight
from pysubtensor.pallets.system import check_weight
from pysubtensor.pallets.system.limits import ROCKS_DB_WEIGHT
from pysubtensor.pallets.system.pallet import BlockHash
from pysubtensor.pallets.transaction_payment.charge import ChargeTransactionPayment
from pysubtensor.pallets.transaction_payment.weights import WEIGHTS as PAYMENT_WEIGHTS
from pysubtensor.primitives.crypto import CryptoError
from pysubtensor.primitives.keys import verify_multisignature
from pysubtensor.primitives.scale import U32, Tuple
from pysubtensor.primitives.transaction_validity import (
    InvalidTransaction,
    TransactionSource,
    TransactionValidityError,
    UnknownTransaction,
    ValidTransaction,
)
from pysubtensor.primitives.types import ACCOUNT_ID
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.extrinsic import TRANSACTION_EXTENSIONS, UncheckedExtrinsic, signing_payload

__all__ = [
    "EXTENSION_WEIGHTS",
    "NORMAL_DISPATCH_BASE_PRIORITY",
    "OPERATIONAL_DISPATCH_PRIORITY",
    "Pipeline",
    "check_signature",
    "nonce_tag",
]

_U64_MAX = (1 << 64) - 1
_ZERO = Weight(0, 0)

#: subtensor's `NORMAL_DISPATCH_BASE_PRIORITY` and `OPERATIONAL_DISPATCH_PRIORITY`.
NORMAL_DISPATCH_BASE_PRIORITY = 1
OPERATIONAL_DISPATCH_PRIORITY = 10_000_000_000


def _db(reads: int, writes: int = 0) -> Weight:
    return ROCKS_DB_WEIGHT.reads_writes(reads, writes)


#: Extension weights. frame-system's are `SubstrateExtensionsWeight` (subtensor's
#: `ExtensionsWeightInfo`), from polkadot-sdk `frame/system/src/extensions/weights.rs` (the
#: 2024-03-01 benchmark table; the fork subtensor pins may carry a re-benchmarked one), over
#: RocksDb read/write costs. Subtensor's CheckNonce, Sudo, Drand and CheckMetadataHash
#: extensions weigh nothing; SubtensorTransactionExtension weighs what its guards declare
#: (CheckColdkeySwap's `check_coldkey_swap_extension` for every call; the others only for
#: SubtensorModule calls, which this runtime does not have yet).
EXTENSION_WEIGHTS: dict[str, Weight] = {
    "check_non_zero_sender": Weight(527_000, 0),
    "check_spec_version": Weight(461_000, 0),
    "check_tx_version": Weight(439_000, 0),
    "check_genesis": Weight(4_160_000, 3509).saturating_add(_db(1)),
    "check_mortality": Weight(6_523_000, 3509).saturating_add(_db(1)),
    "check_weight": Weight(4_747_000, 1489).saturating_add(_db(1, 1)),
    "charge_transaction_payment_wrapper": PAYMENT_WEIGHTS.charge_transaction_payment_wrapper,
    "check_coldkey_swap_extension": Weight(17_583_000, 4198).saturating_add(_db(2)),
}


def _invalid(reason: str) -> TransactionValidityError:
    return TransactionValidityError.invalid(reason)


def nonce_tag(who: bytes, nonce: int) -> bytes:
    """The pool tag CheckNonce provides / requires: SCALE `(AccountId, Nonce)`."""
    return Tuple(ACCOUNT_ID, U32).encode((who, nonce & 0xFFFF_FFFF))


# ---------------------------------------------------------------------------
# The extensions


class Extension:
    """`TransactionExtension` defaults: weightless, no implicit data, valid, nothing to
    prepare or refund; the bare forms accept."""

    identifier = ""

    def weight(self, call: Any) -> Weight:
        return _ZERO

    def implicit(self) -> Any:
        return None

    def validate(self, origin: Origin, call: Any, info: DispatchInfo, length: int,
                 source: str) -> tuple[ValidTransaction, Any]:
        return ValidTransaction(), None

    def prepare(self, val: Any, origin: Origin, call: Any, info: DispatchInfo, length: int) -> Any:
        return None

    def post_dispatch_details(self, pre: Any, info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                              result: Any) -> Weight:
        """The weight to refund (the default implementation refunds nothing)."""
        return _ZERO

    # Bare (unsigned) extrinsics: only the inherent-facing checks apply.
    def bare_validate(self, call: Any, info: DispatchInfo, length: int) -> ValidTransaction:
        return ValidTransaction()

    def bare_validate_and_prepare(self, call: Any, info: DispatchInfo, length: int) -> None:
        return None

    def bare_post_dispatch(self, info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                           result: Any) -> PostDispatchInfo:
        return post_info


class CheckNonZeroSender(Extension):
    identifier = "CheckNonZeroSender"

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["check_non_zero_sender"]

    def validate(self, origin, call, info, length, source):
        if origin.kind == Origin.SIGNED and origin.account == bytes(32):
            raise _invalid(InvalidTransaction.BAD_SIGNER)
        return ValidTransaction(), None


class CheckSpecVersion(Extension):
    identifier = "CheckSpecVersion"

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["check_spec_version"]

    def implicit(self) -> int:
        return system.config.version.spec_version


class CheckTxVersion(Extension):
    identifier = "CheckTxVersion"

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["check_tx_version"]

    def implicit(self) -> int:
        return system.config.version.transaction_version


class CheckGenesis(Extension):
    identifier = "CheckGenesis"

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["check_genesis"]

    def implicit(self) -> bytes:
        return system.block_hash(0)


@dataclass(frozen=True)
class CheckMortality(Extension):
    """The era's birth block must be one whose hash System still keeps (the genesis block
    for an immortal era). An expired era names a later birth block than the one signed for,
    so its signature no longer verifies (BadProof), or, past the kept window,
    AncientBirthBlock — as in Substrate, no separate "expired" error exists."""

    era: Era
    identifier = "CheckMortality"

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["check_mortality"]

    def implicit(self) -> bytes:
        birth = self.era.birth(system.block_number())
        if birth > 0xFFFF_FFFF or not BlockHash.contains_key(birth):
            raise _invalid(InvalidTransaction.ANCIENT_BIRTH_BLOCK)
        return system.block_hash(birth)

    def validate(self, origin, call, info, length, source):
        current = system.block_number()
        death = self.era.death(current)
        return ValidTransaction(longevity=min(max(death - current, 0), _U64_MAX)), None


@dataclass(frozen=True)
class CheckNonce(Extension):
    """Subtensor's `CheckNonce` (runtime/src/check_nonce.rs)."""

    nonce: int
    identifier = "CheckNonce"

    def validate(self, origin, call, info, length, source):
        if origin.kind != Origin.SIGNED or origin.account is None:
            return ValidTransaction(), None
        who = origin.account
        account = system.account(who)
        if info.pays_fee == "Yes" and account.providers == 0 and account.sufficients == 0:
            raise _invalid(InvalidTransaction.PAYMENT)  # the nonce's storage is not paid for
        if self.nonce < account.nonce:
            raise _invalid(InvalidTransaction.STALE)
        requires = [nonce_tag(who, max(self.nonce - 1, 0))] if account.nonce < self.nonce else []
        valid = ValidTransaction(priority=0, requires=requires, provides=[nonce_tag(who, self.nonce)])
        return valid, (who, account.nonce)

    def prepare(self, val, origin, call, info, length):
        if val is None:
            return None
        who, nonce = val
        if self.nonce > nonce:
            raise _invalid(InvalidTransaction.FUTURE)
        system.mutate_account(who, lambda a: setattr(a, "nonce", (nonce + 1) & 0xFFFF_FFFF))
        return None


class CheckWeight(Extension):
    identifier = "CheckWeight"

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["check_weight"]

    def validate(self, origin, call, info, length, source):
        return ValidTransaction(), check_weight.do_validate(info, length)

    def prepare(self, val, origin, call, info, length):
        check_weight.do_prepare(info, length, val)

    def post_dispatch_details(self, pre, info, post_info, length, result):
        system.reclaim_weight(info, post_info)
        return _ZERO

    def bare_validate(self, call, info, length):
        check_weight.do_validate(info, length)
        return ValidTransaction()

    def bare_validate_and_prepare(self, call, info, length):
        check_weight.validate_and_prepare(info, length)

    def bare_post_dispatch(self, info, post_info, length, result):
        system.reclaim_weight(info, post_info)
        return post_info


@dataclass(frozen=True)
class ChargeTransactionPaymentWrapper(Extension):
    """Subtensor's wrapper (runtime/src/transaction_payment_wrapper.rs): the inner extension
    charges; the priority is replaced by a constant per dispatch class. The wrapper also lets
    a proxied account pay (`RealPaysFee`); without the Proxy pallet the signer always pays."""

    tip: int
    identifier = "ChargeTransactionPayment"

    @property
    def inner(self) -> ChargeTransactionPayment:
        return ChargeTransactionPayment(self.tip)

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["charge_transaction_payment_wrapper"]

    def validate(self, origin, call, info, length, source):
        priority = (OPERATIONAL_DISPATCH_PRIORITY if info.dispatch_class == DispatchClass.OPERATIONAL
                    else NORMAL_DISPATCH_BASE_PRIORITY)
        valid, val = self.inner.validate(origin, call, info, length)
        return replace(valid, priority=priority), val

    def prepare(self, val, origin, call, info, length):
        return self.inner.prepare(val, origin, call, info, length)

    def post_dispatch_details(self, pre, info, post_info, length, result):
        return ChargeTransactionPayment.post_dispatch_details(pre, info, post_info, length, result)


class SudoTransactionExtension(Extension):
    """Subtensor's runtime/src/sudo_wrapper.rs: any Sudo call signed by someone other than
    the sudo key (or with no key set) is refused at validation."""

    identifier = "SudoTransactionExtension"

    def validate(self, origin, call, info, length, source):
        if origin.kind == Origin.SIGNED and call[0] == "Sudo":
            from pysubtensor.pallets import sudo

            key = sudo.Key.get()
            if key is None or key != origin.account:
                raise _invalid(InvalidTransaction.BAD_SIGNER)
        return ValidTransaction(), None


class SubtensorTransactionExtension(Extension):
    """SubtensorModule's guards (coldkey swap, weights, rate limits, delegate take, serving,
    EVM key association). Without the subtensor pallets there is nothing to check; the
    weight of CheckColdkeySwap, which applies to every call, is still charged."""

    identifier = "SubtensorTransactionExtension"

    def weight(self, call: Any) -> Weight:
        return EXTENSION_WEIGHTS["check_coldkey_swap_extension"]


class DrandPriority(Extension):
    """Gives Drand.write_pulse priority 10_000: no Drand pallet here, so a no-op."""

    identifier = "DrandPriority"


@dataclass(frozen=True)
class CheckMetadataHash(Extension):
    mode: str
    identifier = "CheckMetadataHash"

    def implicit(self) -> bytes | None:
        # Enabled: `RUNTIME_METADATA_HASH` of the build, which we do not have (None).
        return None


_CLASSES = {
    "CheckNonZeroSender": lambda extra: CheckNonZeroSender(),
    "CheckSpecVersion": lambda extra: CheckSpecVersion(),
    "CheckTxVersion": lambda extra: CheckTxVersion(),
    "CheckGenesis": lambda extra: CheckGenesis(),
    "CheckMortality": lambda extra: CheckMortality(extra["CheckMortality"]),
    "CheckNonce": lambda extra: CheckNonce(extra["CheckNonce"]),
    "CheckWeight": lambda extra: CheckWeight(),
    "ChargeTransactionPayment": lambda extra: ChargeTransactionPaymentWrapper(extra["ChargeTransactionPayment"]),
    "SudoTransactionExtension": lambda extra: SudoTransactionExtension(),
    "SubtensorTransactionExtension": lambda extra: SubtensorTransactionExtension(),
    "DrandPriority": lambda extra: DrandPriority(),
    "CheckMetadataHash": lambda extra: CheckMetadataHash(extra["CheckMetadataHash"]),
}
if tuple(_CLASSES) != tuple(e.identifier for e in TRANSACTION_EXTENSIONS):
    raise ImportError("runtime.extensions does not implement runtime.extrinsic.TRANSACTION_EXTENSIONS in order")

_BARE = (CheckNonZeroSender(), CheckSpecVersion(), CheckTxVersion(), CheckGenesis(), CheckMortality(Era()),
         CheckNonce(0), CheckWeight(), ChargeTransactionPaymentWrapper(0), SudoTransactionExtension(),
         SubtensorTransactionExtension(), DrandPriority(), CheckMetadataHash("Disabled"))


# ---------------------------------------------------------------------------
# The tuple


class Pipeline:
    """The `TxExtension` tuple of one extrinsic. A bare extrinsic uses `Pipeline.bare()`,
    whose extensions only contribute their `bare_*` behaviour."""

    __slots__ = ("extensions",)

    def __init__(self, extensions: tuple[Extension, ...]) -> None:
        self.extensions = extensions

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> Pipeline:
        """The extensions of a signed extrinsic, from its decoded explicit data."""
        return cls(tuple(make(extra) for make in _CLASSES.values()))

    @classmethod
    def bare(cls) -> Pipeline:
        return cls(_BARE)

    def weight(self, call: Any) -> Weight:
        total = _ZERO
        for ext in self.extensions:
            total = total.saturating_add(ext.weight(call))
        return total

    def implicit_bytes(self) -> bytes:
        """The implicit data the signature covers, in order (raises e.g. AncientBirthBlock)."""
        out = bytearray()
        for meta, ext in zip(TRANSACTION_EXTENSIONS, self.extensions, strict=True):
            meta.implicit.encode_into(ext.implicit(), out)
        return bytes(out)

    def validate(self, origin: Origin, call: Any, info: DispatchInfo, length: int,
                 source: str = TransactionSource.EXTERNAL) -> tuple[ValidTransaction, list[Any]]:
        valid = ValidTransaction()
        vals = []
        for ext in self.extensions:
            item_valid, val = ext.validate(origin, call, info, length, source)
            valid = valid.combine_with(item_valid)
            vals.append(val)
        return valid, vals

    def prepare(self, vals: list[Any], origin: Origin, call: Any, info: DispatchInfo, length: int) -> list[Any]:
        return [ext.prepare(val, origin, call, info, length) for ext, val in zip(self.extensions, vals, strict=True)]

    def post_dispatch(self, pres: list[Any], info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                      result: Any) -> PostDispatchInfo:
        """Each extension's `post_dispatch`: settle, then refund its unused weight from
        `post_info.actual_weight`. Returns the updated post-dispatch info."""
        for ext, pre in zip(self.extensions, pres, strict=True):
            refund = ext.post_dispatch_details(pre, info, post_info, length, result)
            if post_info.actual_weight is not None and refund != _ZERO:
                post_info = replace(post_info, actual_weight=post_info.actual_weight.saturating_sub(refund))
        return post_info

    # -- bare extrinsics
    def bare_validate(self, call: Any, info: DispatchInfo, length: int) -> ValidTransaction:
        valid = ValidTransaction()
        for ext in self.extensions:
            valid = valid.combine_with(ext.bare_validate(call, info, length))
        return valid

    def bare_validate_and_prepare(self, call: Any, info: DispatchInfo, length: int) -> None:
        for ext in self.extensions:
            ext.bare_validate_and_prepare(call, info, length)

    def bare_post_dispatch(self, info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                           result: Any) -> PostDispatchInfo:
        for ext in self.extensions:
            post_info = ext.bare_post_dispatch(info, post_info, length, result)
        return post_info


# ---------------------------------------------------------------------------
# Signature


def check_signature(xt: UncheckedExtrinsic) -> tuple[bytes, Pipeline]:
    """`UncheckedExtrinsic::check` of a signed extrinsic: look the signer up (only
    `MultiAddress::Id` resolves: `AccountIdLookup<AccountId, ()>`, else
    UnknownTransaction::CannotLookup), compute the implicit data (which can fail, e.g.
    AncientBirthBlock), and verify the signature over `call ++ extra ++ implicit` (hashed
    when longer than 256 bytes) — BadProof if it does not verify. Returns the signer and
    the extrinsic's extension pipeline."""
    signed = xt.signed
    assert signed is not None
    kind, who = signed.address
    if kind != "Id":
        raise TransactionValidityError.unknown(UnknownTransaction.CANNOT_LOOKUP)
    pipeline = Pipeline.from_extra(signed.extra)
    payload = signing_payload(xt.call_bytes, signed.extra, pipeline.implicit_bytes())
    try:
        ok = verify_multisignature(signed.signature, payload, who)
    except CryptoError:
        ok = False
    if not ok:
        raise _invalid(InvalidTransaction.BAD_PROOF)
    return who, pipeline
