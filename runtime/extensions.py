"""The transaction extensions of node-subtensor (its `TxExtension` tuple), composed in the
order and with the identifiers of `runtime.extrinsic.TRANSACTION_EXTENSIONS` (the
metadata's); and the signature check of a signed extrinsic.

Each extension lives with the pallet that owns it:

    CheckNonZeroSender … CheckWeight   frame_system: `pallets.system.extensions`
    ChargeTransactionPayment           subtensor's `ChargeTransactionPaymentWrapper` around
                                       TransactionPayment's: `pallets.transaction_payment.charge`
    SudoTransactionExtension           `pallets.sudo.extension`
    CheckShieldedTxValidity            MevShield's (main's runtime): a signed submit_encrypted
                                       whose ciphertext does not parse is refused: `pallets.shield.extension`
    SubtensorTransactionExtension      SubtensorModule's guards (here until that pallet exists):
                                       no-ops, but its weight (CheckColdkeySwap's, charged for
                                       every call) counts, as in the real runtime
    DrandPriority                      priority 10_000 for a signed Drand.write_pulse: `pallets.drand`
    CheckMetadataHash                  frame-metadata-hash-extension, no pallet: implicit
                                       Option<[u8; 32]>: None when Disabled; when Enabled the
                                       runtime's RUNTIME_METADATA_HASH, which we do not have (as a
                                       runtime built without the `metadata-hash` feature): None, so
                                       a signer that committed to a hash gets BadProof

`Pipeline` runs the tuple the way sp-runtime's tuple implementation does (validate all,
then prepare all, then post-dispatch all, in order). Errors are `TransactionValidityError`s,
raised.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from hashlib import blake2b
from typing import Any

from pysubtensor.pallets.drand import DrandPriority
from pysubtensor.pallets.shield.extension import CHECK_SHIELDED_TX_VALIDITY_WEIGHT, CheckShieldedTxValidity
from pysubtensor.pallets.subtensor.extension import CHECK_COLDKEY_SWAP_WEIGHT, SubtensorTransactionExtension
from pysubtensor.pallets.sudo.extension import SudoTransactionExtension
from pysubtensor.pallets.support.dispatch import DispatchInfo, Origin, PostDispatchInfo, Weight
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.pallets.system import extensions as system_extensions
from pysubtensor.pallets.system.extensions import (
    CheckGenesis,
    CheckMortality,
    CheckNonce,
    CheckNonZeroSender,
    CheckSpecVersion,
    CheckTxVersion,
    CheckWeight,
    nonce_tag,
)
from pysubtensor.pallets.transaction_payment.charge import ChargeTransactionPaymentWrapper
from pysubtensor.pallets.transaction_payment.weights import WEIGHTS as PAYMENT_WEIGHTS
from pysubtensor.primitives.crypto import CryptoError, Scheme
from pysubtensor.primitives.keys import verify_multisignature
from pysubtensor.primitives.transaction_validity import (
    InvalidTransaction,
    TransactionSource,
    TransactionValidityError,
    UnknownTransaction,
    ValidTransaction,
)
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.extrinsic import TRANSACTION_EXTENSIONS, UncheckedExtrinsic, signing_payload

__all__ = [
    "EXTENSION_WEIGHTS",
    "CheckMetadataHash",
    "DrandPriority",
    "Pipeline",
    "SubtensorTransactionExtension",
    "check_signature",
    "forget_verified_signatures",
    "nonce_tag",  # the pool tag CheckNonce provides; the node computes account_nextIndex with it
    "remember_verified_signatures",
    "verified_signatures_since",
]

_ZERO = Weight(0, 0)
_U64_MAX = (1 << 64) - 1


#: The extensions' weights, by benchmark name: frame-system's (`pallets.system.extensions`),
#: the payment wrapper's, MevShield's CheckShieldedTxValidity (`pallets.shield.extension`) and
#: SubtensorTransactionExtension's (`pallets.subtensor.extension`).
#: The others weigh nothing.
EXTENSION_WEIGHTS: dict[str, Weight] = {
    **system_extensions.WEIGHTS,
    "charge_transaction_payment_wrapper": PAYMENT_WEIGHTS.charge_transaction_payment_wrapper,
    "check_shielded_tx_validity": CHECK_SHIELDED_TX_VALIDITY_WEIGHT,
    "check_coldkey_swap_extension": CHECK_COLDKEY_SWAP_WEIGHT,
}


# ---------------------------------------------------------------------------
# The extension without a pallet


@dataclass(frozen=True)
class CheckMetadataHash(TransactionExtension):
    """frame-metadata-hash-extension: no pallet owns it (in Rust neither)."""

    mode: str
    identifier = "CheckMetadataHash"

    def implicit(self) -> bytes | None:
        # Enabled: `RUNTIME_METADATA_HASH` of the build, which we do not have (None).
        return None


# The extensions without explicit data hold no state (no fields, nothing set on `self`): one
# instance of each serves every extrinsic.
_NON_ZERO_SENDER, _SPEC_VERSION, _TX_VERSION, _GENESIS, _WEIGHT, _SUDO, _SHIELDED, _SUBTENSOR, _DRAND = (
    CheckNonZeroSender(), CheckSpecVersion(), CheckTxVersion(), CheckGenesis(), CheckWeight(),
    SudoTransactionExtension(), CheckShieldedTxValidity(), SubtensorTransactionExtension(), DrandPriority())

_CLASSES = {
    "CheckNonZeroSender": lambda extra: _NON_ZERO_SENDER,
    "CheckSpecVersion": lambda extra: _SPEC_VERSION,
    "CheckTxVersion": lambda extra: _TX_VERSION,
    "CheckGenesis": lambda extra: _GENESIS,
    "CheckMortality": lambda extra: CheckMortality(extra["CheckMortality"]),
    "CheckNonce": lambda extra: CheckNonce(extra["CheckNonce"]),
    "CheckWeight": lambda extra: _WEIGHT,
    "ChargeTransactionPayment": lambda extra: ChargeTransactionPaymentWrapper(extra["ChargeTransactionPayment"]),
    "SudoTransactionExtension": lambda extra: _SUDO,
    "CheckShieldedTxValidity": lambda extra: _SHIELDED,
    "SubtensorTransactionExtension": lambda extra: _SUBTENSOR,
    "DrandPriority": lambda extra: _DRAND,
    "CheckMetadataHash": lambda extra: CheckMetadataHash(extra["CheckMetadataHash"]),
}
if tuple(_CLASSES) != tuple(e.identifier for e in TRANSACTION_EXTENSIONS):
    raise ImportError("runtime.extensions does not implement runtime.extrinsic.TRANSACTION_EXTENSIONS in order")

_BARE = (CheckNonZeroSender(), CheckSpecVersion(), CheckTxVersion(), CheckGenesis(), CheckMortality(Era()),
         CheckNonce(0), CheckWeight(), ChargeTransactionPaymentWrapper(0), SudoTransactionExtension(),
         CheckShieldedTxValidity(), SubtensorTransactionExtension(), DrandPriority(), CheckMetadataHash("Disabled"))


# ---------------------------------------------------------------------------
# The tuple


def _overrides(cls: type) -> tuple[bool, bool, bool]:
    """Whether an extension class has its own `validate`, `prepare`, `post_dispatch_details`
    (the defaults are valid-and-neutral, None and no refund: the pipeline need not call them)."""
    flags = _OVERRIDES.get(cls)
    if flags is None:
        flags = _OVERRIDES[cls] = (cls.validate is not TransactionExtension.validate,
                                   cls.prepare is not TransactionExtension.prepare,
                                   cls.post_dispatch_details is not TransactionExtension.post_dispatch_details)
    return flags


_OVERRIDES: dict[type, tuple[bool, bool, bool]] = {}


def _plan_of(extensions: tuple[TransactionExtension, ...]) -> tuple[tuple[bool, ...], ...]:
    """Per extension: whether the pipeline calls its validate, prepare, post_dispatch_details,
    and its `implicit` (not when it keeps the default None and its implicit type is `()`,
    which encodes as nothing)."""
    flags = [_overrides(ext.__class__) for ext in extensions]
    implicit = tuple(ext.__class__.implicit is not TransactionExtension.implicit or meta.implicit.encode(None) != b""
                     for meta, ext in zip(TRANSACTION_EXTENSIONS, extensions, strict=True))
    return tuple(f[0] for f in flags), tuple(f[1] for f in flags), tuple(f[2] for f in flags), implicit


_SIGNED_PLAN = _plan_of(_BARE)


class Pipeline:
    """The `TxExtension` tuple of one extrinsic. A bare extrinsic uses `Pipeline.bare()`,
    whose extensions only contribute their `bare_*` behaviour.

    An extension that keeps `TransactionExtension`'s default `validate`, `prepare` or
    `post_dispatch_details` is not called for it: the default's answer (a neutral validity
    and None, None, no refund) is used as it would be."""

    __slots__ = ("_implicit", "_preparing", "_settling", "_validating", "extensions")

    def __init__(self, extensions: tuple[TransactionExtension, ...],
                 _plan: tuple[tuple[bool, ...], ...] | None = None) -> None:
        self.extensions = extensions
        self._validating, self._preparing, self._settling, self._implicit = (
            _plan if _plan is not None else _plan_of(extensions))

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> Pipeline:
        """The extensions of a signed extrinsic, from its decoded explicit data."""
        # The classes are `_BARE`'s, position by position (`_CLASSES` makes them).
        return cls(tuple(make(extra) for make in _CLASSES.values()), _SIGNED_PLAN)

    @classmethod
    def bare(cls) -> Pipeline:
        return cls(_BARE, _SIGNED_PLAN)

    def weight(self, call: Any) -> Weight:
        """The extensions' weights added up, saturating (weights are never negative, so
        saturating once at the end is saturating at each step)."""
        ref_time = proof_size = 0
        for ext in self.extensions:
            w = ext.weight(call)
            ref_time += w.ref_time
            proof_size += w.proof_size
        return Weight(min(ref_time, _U64_MAX), min(proof_size, _U64_MAX))

    def implicit_bytes(self) -> bytes:
        """The implicit data the signature covers, in order (raises e.g. AncientBirthBlock)."""
        out = bytearray()
        for meta, ext, own in zip(TRANSACTION_EXTENSIONS, self.extensions, self._implicit, strict=True):
            if own:
                meta.implicit.encode_into(ext.implicit(), out)
        return bytes(out)

    def validate(self, origin: Origin, call: Any, info: DispatchInfo, length: int,
                 source: str = TransactionSource.EXTERNAL, *, combine: bool = True
                 ) -> tuple[ValidTransaction | None, list[Any]]:
        """Each extension's `validate`, in order: the combined validity (None when not
        `combine`: applying a transaction in a block needs only the values) and the values
        `prepare` takes."""
        valid = ValidTransaction() if combine else None
        vals = []
        for ext, own in zip(self.extensions, self._validating, strict=True):
            if not own:
                vals.append(None)
                continue
            item_valid, val = ext.validate(origin, call, info, length, source)
            if combine and not item_valid.is_neutral():  # combining with a neutral validity changes nothing
                valid = valid.combine_with(item_valid)  # type: ignore[union-attr]
            vals.append(val)
        return valid, vals

    def prepare(self, vals: list[Any], origin: Origin, call: Any, info: DispatchInfo, length: int) -> list[Any]:
        return [ext.prepare(val, origin, call, info, length) if own else None
                for ext, own, val in zip(self.extensions, self._preparing, vals, strict=True)]

    def post_dispatch(self, pres: list[Any], info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                      result: Any) -> PostDispatchInfo:
        """Each extension's `post_dispatch`: settle, then refund its unused weight from
        `post_info.actual_weight`. Returns the updated post-dispatch info."""
        for ext, own, pre in zip(self.extensions, self._settling, pres, strict=True):
            if not own:
                continue
            refund = ext.post_dispatch_details(pre, info, post_info, length, result)
            if post_info.actual_weight is not None and refund != _ZERO:
                post_info = PostDispatchInfo(post_info.actual_weight.saturating_sub(refund), post_info.pays_fee)
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
    memo = _CHECKED.get(xt.encoded)
    if memo is None:
        pipeline = Pipeline.from_extra(signed.extra)
        implicit = pipeline.implicit_bytes()
    else:
        pipeline, memo_implicit, memo_key = memo
        implicit = pipeline.implicit_bytes()
    sig = signed.signature
    if memo is not None and implicit == memo_implicit:
        key = memo_key
        payload = None
    else:
        payload = signing_payload(xt.call_bytes, signed.extra, implicit)
        # One tag byte, the signature (its length fixed by the scheme), the 32-byte signer, then
        # the payload: no two different inputs concatenate to the same bytes.
        key = blake2b(b"%b%b%b%b" % (_SCHEME_TAG[sig.scheme], sig.signature, who, payload), digest_size=32).digest()
        if len(_CHECKED) >= CHECKED_EXTRINSICS:
            _CHECKED.popitem(last=False)
        _CHECKED[xt.encoded] = (pipeline, implicit, key)
    if key not in _VERIFIED:
        if payload is None:
            payload = signing_payload(xt.call_bytes, signed.extra, implicit)
        try:
            ok = verify_multisignature(sig, payload, who)
        except CryptoError:
            ok = False
        if not ok:
            raise TransactionValidityError.invalid(InvalidTransaction.BAD_PROOF)
        if len(_VERIFIED) >= VERIFIED_SIGNATURES:
            _VERIFIED.popitem(last=False)  # the oldest (O(1), where a dict's first key is O(n) after deletions)
        _VERIFIED[key] = None
    return who, pipeline


#: Per extrinsic (its bytes): its extension pipeline (a function of its explicit data; the
#: extensions hold nothing else), and the implicit data and verification key of its last
#: check. A check whose implicit data are those again (the same spec, genesis and birth
#: block hashes) has the same payload and key, so neither is computed again; the signature
#: itself is still looked up in `_VERIFIED` (and verified when it is not there).
CHECKED_EXTRINSICS = 8192
_CHECKED: OrderedDict[bytes, tuple[Pipeline, bytes, bytes]] = OrderedDict()

#: Signatures found valid, remembered (oldest forgotten first) so that one transaction is
#: verified once, not again at each pool revalidation, at the proposer's shielded-carrier
#: check and when applied. Verification is a pure function of (scheme, signature, signer,
#: payload), and the key is the blake2-256 of all four (~0.1 KB per entry), so a remembered
#: answer is the answer a new check would give; failures are not remembered.
VERIFIED_SIGNATURES = 32_768
_SCHEME_TAG = {Scheme.ED25519: b"\x00", Scheme.SR25519: b"\x01", Scheme.ECDSA: b"\x02"}
_VERIFIED: OrderedDict[bytes, None] = OrderedDict()


def forget_verified_signatures() -> None:
    """Forget every remembered signature (benchmarks measuring the verification itself)."""
    _VERIFIED.clear()
    _CHECKED.clear()


def verified_signatures_since(marker: bytes | None) -> tuple[bytes | None, list[bytes]]:
    """(new marker, keys remembered after `marker`, the newest key when it was taken): what
    the node's validation worker, which runs this same check, tells the node it verified."""
    new: list[bytes] = []
    for key in reversed(_VERIFIED):
        if key == marker or len(new) >= 8:  # a validation verifies one signature (a few when nested)
            break
        new.append(key)
    return next(reversed(_VERIFIED), None), new


def remember_verified_signatures(keys: list[bytes]) -> None:
    """Remember keys `check_signature` computed and verified in the node's validation worker
    (the same function of the same bytes), so that the node does not verify them again."""
    for key in keys:
        if key not in _VERIFIED:
            if len(_VERIFIED) >= VERIFIED_SIGNATURES:
                _VERIFIED.popitem(last=False)
            _VERIFIED[key] = None
