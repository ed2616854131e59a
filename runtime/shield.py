"""What the block author's proposer asks the runtime about shielded transactions (subtensor's
`ShieldApi`, version 1: `try_decode_shielded_tx`, `is_shielded_using_current_key`,
`try_unshield_tx`), each on the current externalities (the parent block's state).

Spec 381's metadata lists no `ShieldApi`, so these are not declared among the runtime APIs
clients see (`runtime.api_traits.RUNTIME_APIS`); the node calls them here, in-process, as
the real node calls them through its native runtime.
"""

from __future__ import annotations

import pysubtensor.pallets.shield as shield_pallet
from pysubtensor.primitives.scale import ScaleError, decode_compact
from pysubtensor.primitives.shield import ParsingError, ShieldedTransaction, unshield
from pysubtensor.primitives.transaction_validity import TransactionValidityError
from pysubtensor.runtime.executive import InvalidExtrinsicBytes, decode_extrinsic
from pysubtensor.runtime.extensions import check_signature
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic

__all__ = ["is_shielded_using_current_key", "try_decode_shielded_tx", "try_unshield_tx"]

_CALL = ("MevShield", "submit_encrypted")


def try_decode_shielded_tx(extrinsic: bytes | UncheckedExtrinsic) -> ShieldedTransaction | None:
    """The shielded transaction a pool extrinsic carries: it must decode, pass
    `UncheckedExtrinsic::check` (a signed one: lookup, era birth block, signature), call
    `MevShield.submit_encrypted`, and its ciphertext must parse. None otherwise (the proposer
    then treats it as an ordinary transaction). `extrinsic` may come decoded (the proposer
    decodes each pool transaction once for this and for applying it)."""
    if isinstance(extrinsic, UncheckedExtrinsic):
        xt = extrinsic
    else:
        try:
            xt = decode_extrinsic(extrinsic)
        except InvalidExtrinsicBytes:
            return None
    # Rust checks the signature before looking at the call; every other call gives None
    # whatever the check says, so the call is looked at first and only a carrier is checked.
    pallet_name, (call_name, args) = xt.call
    if (pallet_name, call_name) != _CALL:
        return None
    if xt.signed is not None:
        try:
            check_signature(xt)
        except TransactionValidityError:
            return None
    try:
        return ShieldedTransaction.parse(args["ciphertext"])
    except ParsingError:
        return None


def is_shielded_using_current_key(key_hash: bytes) -> bool:
    """Whether `key_hash` is `twox_128(PendingKey)` in this state."""
    return shield_pallet.is_shielded_using_current_key(key_hash)


def try_unshield_tx(dec_key: bytes, tx: ShieldedTransaction) -> bytes | None:
    """The inner extrinsic (its encoding, length prefix included) that `tx` seals under the
    decapsulation key, or None when it does not decrypt, is empty, or is not an extrinsic."""
    plaintext = unshield(dec_key, tx)
    if not plaintext:
        return None
    # `Extrinsic::decode` reads one extrinsic and ignores what follows it.
    try:
        length, pos = decode_compact(plaintext, 0)
        encoded = plaintext[:pos + length]
        decode_extrinsic(encoded)
    except (ScaleError, InvalidExtrinsicBytes):
        return None
    return encoded
