"""Associating an EVM key with a hotkey (subtensor's `utils/evm.rs`, spec 381).

The EVM key proves itself by an Ethereum `personal_sign` (EIP-191) signature over
`hotkey ++ keccak_256(SCALE(block_number))`: the chain recovers the secp256k1 public key from
the signature, hashes it to an address (the last 20 bytes of the Keccak-256 of the
uncompressed point without its 0x04 prefix) and compares it with the claimed key. Keccak-256
is pycryptodome's, the recovery libsecp256k1's (coincurve), as sp-io's.
"""

from __future__ import annotations

import coincurve

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Pays, Weight, ensure, ensure_signed
from pysubtensor.pallets.support.pallet import Arg
from pysubtensor.pallets.support.types import u64
from pysubtensor.primitives.crypto import ecdsa_recover_prehashed
from pysubtensor.primitives.hashing import keccak_256
from pysubtensor.primitives.scale import U64, FixedBytes

from ..errors import Error
from ..event_types import H160
from ..events import Event
from ..pallet import pallet
from ..types import NetUid
from .neuron_lookup import current_block, get_uid_for_net_and_hotkey

__all__ = ["associate_evm_key", "do_associate_evm_key", "evm_address_of", "hash_message_eip191"]

S = pallet.Storage
MESSAGE_PREFIX = b"\x19Ethereum Signed Message:\n"
#: `sp_core::ecdsa::Signature`: `r ++ s ++ v`.
SIGNATURE = FixedBytes(65)
#: `DefaultAccount`: the account decoded from zeroes, the `Owner` of an unknown hotkey.
_DEFAULT_ACCOUNT = bytes(32)


def hash_message_eip191(message: bytes) -> bytes:
    """Keccak-256 of `"\\x19Ethereum Signed Message:\\n" ++ decimal length ++ message`."""
    return keccak_256(MESSAGE_PREFIX + str(len(message)).encode() + message)


def evm_address_of(public_key: bytes) -> bytes:
    """The H160 of a secp256k1 public key (compressed or uncompressed)."""
    uncompressed = coincurve.PublicKey(public_key).format(compressed=False)
    return keccak_256(uncompressed[1:])[12:]


def ensure_evm_key_associate_rate_limit(netuid: int, uid: int) -> None:
    associated = S.AssociatedEvmAddress.get(netuid, uid)
    block_associated = associated[1] if associated is not None else 0
    if max(current_block() - block_associated, 0) < pallet.config.evm_key_associate_rate_limit:
        raise Error.EvmKeyAssociateRateLimitExceeded()


def do_associate_evm_key(origin: Origin, netuid: int, evm_key: bytes, block_number: int, signature: bytes) -> None:
    hotkey = ensure_signed(origin)
    ensure(S.Owner.get(hotkey) != _DEFAULT_ACCOUNT, Error.NonAssociatedColdKey)
    # Ethereum's v of 27/28 is taken to 0/1.
    if signature[64] >= 27:
        signature = signature[:64] + bytes((signature[64] - 27,))
    uid = get_uid_for_net_and_hotkey(netuid, hotkey)
    ensure_evm_key_associate_rate_limit(netuid, uid)

    message = hotkey + keccak_256(U64.encode(block_number))
    public = ecdsa_recover_prehashed(signature, hash_message_eip191(message))
    ensure(public is not None, Error.InvalidIdentity)
    ensure(evm_key == evm_address_of(public), Error.InvalidRecoveredPublicKey)

    now = current_block()
    S.AssociatedEvmAddress.insert(netuid, uid, (evm_key, now))
    pallet.deposit_event(Event.EvmKeyAssociated(netuid=netuid, hotkey=hotkey, evm_key=evm_key, block_associated=now))


@pallet.call(93, weight=Weight(3_000_000, 0) + ROCKS_DB_WEIGHT.reads_writes(2, 1), pays=Pays.NO)
def associate_evm_key(origin: Origin, netuid: NetUid, evm_key: H160, block_number: u64,
                      signature: Arg(SIGNATURE, "Signature")) -> None:
    """Attempts to associate a hotkey with an EVM key.

    The signature will be checked to see if the recovered public key matches the `evm_key` provided.

    The EVM key is expected to sign the message according to this formula to produce the signature:
    ```text
    keccak_256(hotkey ++ keccak_256(block_number))
    ```

    # Arguments
    * `origin` - The origin of the transaction, which must be signed by the `hotkey`.
    * `netuid` - The netuid that the `hotkey` belongs to.
    * `evm_key` - The EVM key to associate with the `hotkey`.
    * `block_number` - The block number used in the `signature`.
    * `signature` - A signed message by the `evm_key` containing the `hotkey` and the hashed `block_number`.

    # Errors
    Returns an error if:
    * The transaction is not signed.
    * The hotkey does not belong to the subnet identified by the netuid.
    * The EVM key cannot be recovered from the signature.
    * The EVM key recovered from the signature does not match the given EVM key.

    # Events
    May emit a `EvmKeyAssociated` event on success
    """
    do_associate_evm_key(origin, netuid, evm_key, block_number, signature)
