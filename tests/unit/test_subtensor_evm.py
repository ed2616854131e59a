"""`associate_evm_key`: scenarios ported from subtensor's Rust tests (pallets/subtensor/src/tests/
evm.rs at spec 381), each naming its Rust test. The EVM side is eth-keys' (its secp256k1 keys,
Ethereum addresses and signatures, not our code): the signer signs
`keccak_256("\\x19Ethereum Signed Message:\\n" ++ len ++ hotkey ++ keccak_256(SCALE(block)))`
and sets v to 27/28 as the Rust helper `sign_evm_message` does. The Rust mock's
`EvmKeyAssociateRateLimit` (10) is bound in the pallet's Config."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_keys import keys
from eth_utils import keccak

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets import swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.config import Config
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.events import Event
from pysubtensor.pallets.subtensor.neurons.logic import create_account_if_non_existent
from pysubtensor.primitives.hashing import blake2_256
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.unit.test_subtensor_registration import Chain, acct, add_network

S = st.pallet.Storage
RATE_LIMIT = 10  # the mock's EvmKeyAssociateRateLimit
NETUID = 1
COLDKEY, HOTKEY = acct(1), acct(2)


@pytest.fixture
def chain() -> Iterator[Chain]:
    config = Config(deposit_event=lambda pallet, event: None, currency=fungible, swap=swap.handler,
                    evm_key_associate_rate_limit=RATE_LIMIT)
    swap_config = swap.Config(deposit_event=lambda pallet, event: None, subnet_info=st.swap_bridge.SUBNET_INFO,
                              tao_reserve=st.swap_bridge.TAO_RESERVE, alpha_reserve=st.swap_bridge.ALPHA_RESERVE)
    with st.pallet.bound(config), swap.pallet.bound(swap_config), \
            frame_env(balances.pallet, st.pallet, swap.pallet) as ext, capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)
        yield Chain(ext, events)


def eth_key(n: int = 7) -> keys.PrivateKey:
    return keys.PrivateKey(n.to_bytes(32, "big"))


def evm_key_of(key: keys.PrivateKey) -> bytes:
    return key.public_key.to_canonical_address()


def u64_le(n: int) -> bytes:
    return n.to_bytes(8, "little")


def sign_evm_message(key: keys.PrivateKey, message: bytes) -> bytes:
    """The Rust test's `sign_evm_message`: EIP-191 personal message hash, v + 27."""
    digest = keccak(b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message)
    sig = key.sign_msg_hash(digest)
    return sig.r.to_bytes(32, "big") + sig.s.to_bytes(32, "big") + bytes((sig.v + 27,))


def signature_for(key: keys.PrivateKey, hotkey: bytes, block_number: int) -> bytes:
    return sign_evm_message(key, hotkey + keccak(u64_le(block_number)))


def register(chain: Chain) -> None:
    """`create_account_if_non_existent` + `register_ok_neuron` (a burned registration here)."""
    create_account_if_non_existent(COLDKEY, HOTKEY)
    S.Burn.insert(NETUID, 1000)
    chain.fund(COLDKEY, 10_000)
    chain.call("burned_register", COLDKEY, netuid=NETUID, hotkey=HOTKEY)


def associate(chain: Chain, key: keys.PrivateKey, block_number: int, signature: bytes | None = None) -> None:
    chain.call("associate_evm_key", HOTKEY, netuid=NETUID, evm_key=evm_key_of(key), block_number=block_number,
               signature=signature if signature is not None else signature_for(key, HOTKEY, block_number))


def test_associate_evm_key_success(chain: Chain) -> None:
    """evm.rs `test_associate_evm_key_success`."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key()
    associate(chain, key, RATE_LIMIT)
    assert chain.events[-1] == ("SubtensorModule", Event.EvmKeyAssociated(
        netuid=NETUID, hotkey=HOTKEY, evm_key=evm_key_of(key), block_associated=RATE_LIMIT))
    assert S.AssociatedEvmAddress.get(NETUID, 0) == (evm_key_of(key), RATE_LIMIT)


def test_associate_evm_key_different_block_number_success(chain: Chain) -> None:
    """evm.rs `test_associate_evm_key_different_block_number_success`: the signed block number
    need not be the current one; the association records the current block."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key(11)
    associate(chain, key, 99)
    assert chain.events[-1] == ("SubtensorModule", Event.EvmKeyAssociated(
        netuid=NETUID, hotkey=HOTKEY, evm_key=evm_key_of(key), block_associated=RATE_LIMIT))


def test_associate_evm_key_v_zero_or_one_accepted(chain: Chain) -> None:
    """v as 0/1 (no Ethereum offset) recovers the same key: only v >= 27 is shifted."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key()
    sig = signature_for(key, HOTKEY, 5)
    associate(chain, key, 5, sig[:64] + bytes((sig[64] - 27,)))
    assert S.AssociatedEvmAddress.get(NETUID, 0) == (evm_key_of(key), RATE_LIMIT)


def test_associate_evm_key_v_offset_applied_twice(chain: Chain) -> None:
    """The pallet takes 27 off a v of 27 or more, and sp-io's recovery takes 27 off again: a
    v of 54/55 still recovers."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key()
    sig = signature_for(key, HOTKEY, 5)
    associate(chain, key, 5, sig[:64] + bytes((sig[64] + 27,)))
    assert S.AssociatedEvmAddress.get(NETUID, 0) == (evm_key_of(key), RATE_LIMIT)


def test_associate_evm_key_rate_limit_boundary(chain: Chain) -> None:
    """A uid may associate again once `EvmKeyAssociateRateLimit` blocks have passed, not one
    block sooner."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key()
    associate(chain, key, RATE_LIMIT)
    chain.set_block(2 * RATE_LIMIT - 1)
    with pytest.raises(Error.EvmKeyAssociateRateLimitExceeded):
        associate(chain, key, 1)
    chain.set_block(2 * RATE_LIMIT)
    associate(chain, key, 1)
    assert S.AssociatedEvmAddress.get(NETUID, 0) == (evm_key_of(key), 2 * RATE_LIMIT)


def test_associate_evm_key_coldkey_does_not_own_hotkey(chain: Chain) -> None:
    """evm.rs `test_associate_evm_key_coldkey_does_not_own_hotkey`."""
    add_network(NETUID, 2)
    chain.fails(Error.NonAssociatedColdKey, "associate_evm_key", HOTKEY, netuid=NETUID,
                evm_key=evm_key_of(eth_key()), block_number=1, signature=signature_for(eth_key(), HOTKEY, 1))


def test_associate_evm_key_hotkey_not_registered_in_subnet(chain: Chain) -> None:
    """evm.rs `test_associate_evm_key_hotkey_not_registered_in_subnet`."""
    add_network(NETUID, 2)
    create_account_if_non_existent(COLDKEY, HOTKEY)
    with pytest.raises(Error.HotKeyNotRegisteredInSubNet):
        associate(chain, eth_key(), 1)


def test_associate_evm_key_using_wrong_hash_function(chain: Chain) -> None:
    """evm.rs `test_associate_evm_key_using_wrong_hash_function`: a signature over the
    blake2-256 of the message recovers another key."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key()
    sig = key.sign_msg_hash(blake2_256(HOTKEY + keccak(u64_le(RATE_LIMIT))))
    raw = sig.r.to_bytes(32, "big") + sig.s.to_bytes(32, "big") + bytes((sig.v,))
    with pytest.raises(Error.InvalidRecoveredPublicKey):
        associate(chain, key, RATE_LIMIT, raw)
    assert S.AssociatedEvmAddress.get(NETUID, 0) is None


def test_associate_evm_key_unrecoverable_signature(chain: Chain) -> None:
    """A recovery id beyond 3 (after the 27 offset) or an r of zero recovers nothing:
    InvalidIdentity."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key()
    sig = signature_for(key, HOTKEY, 3)
    with pytest.raises(Error.InvalidIdentity):
        associate(chain, key, 3, sig[:64] + bytes((31,)))
    with pytest.raises(Error.InvalidIdentity):
        associate(chain, key, 3, bytes(32) + sig[32:])


def test_associate_evm_key_rate_limit_exceeded(chain: Chain) -> None:
    """evm.rs `test_associate_evm_key_rate_limit_exceeded`."""
    add_network(NETUID, 2)
    chain.set_block(RATE_LIMIT)
    register(chain)
    key = eth_key()
    associate(chain, key, RATE_LIMIT)
    chain.set_block(RATE_LIMIT + 1)
    with pytest.raises(Error.EvmKeyAssociateRateLimitExceeded):
        associate(chain, key, RATE_LIMIT + 1)
    chain.set_block(RATE_LIMIT + 1 + RATE_LIMIT)
    associate(chain, key, 2 * RATE_LIMIT + 1)
    assert S.AssociatedEvmAddress.get(NETUID, 0) == (evm_key_of(key), 2 * RATE_LIMIT + 1)


def test_associate_evm_key_uid_not_found(chain: Chain) -> None:
    """evm.rs `test_associate_evm_key_uid_not_found`."""
    add_network(NETUID, 2)
    with pytest.raises(Error.NonAssociatedColdKey):
        associate(chain, eth_key(), 1)


def test_associate_evm_key_is_free_and_weighed_as_rust() -> None:
    """`(Weight::from_parts(3_000_000, 0) + reads_writes(2, 1), Normal, Pays::No)`."""
    info = st.pallet.dispatch_info(("associate_evm_key", {"netuid": 1, "evm_key": bytes(20), "block_number": 0,
                                                          "signature": bytes(65)}))
    assert (info.weight.ref_time, info.pays_fee) == (3_000_000 + 2 * 25_000_000 + 100_000_000, "No")
