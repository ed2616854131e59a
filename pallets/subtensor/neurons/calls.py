"""Neuron registration calls: `register`, `burned_register`, `root_register`, and main's
`register_limit` (newer than spec 381: tests/support/metadata.py ITEMS_BEYOND_381).

`register` keeps spec 381's PoW arguments but, as main does, ignores `block_number`, `nonce`,
`work` and `coldkey`: the signer is the paying coldkey and the call takes the burned
registration path (spec 381 checked the work against `Difficulty` instead, signed by the
hotkey, and paid nothing).
"""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import ROCKS_DB_WEIGHT, Origin, Weight
from pysubtensor.pallets.support.types import AccountId, VecU8, u64

from ..pallet import pallet
from ..types import NetUid
from .logic import do_register, do_register_limit, do_root_register

__all__ = ["burned_register", "register", "register_limit", "root_register"]


@pallet.call(6, weight=Weight(197_900_000, 0) + ROCKS_DB_WEIGHT.reads_writes(24, 20))
def register(origin: Origin, netuid: NetUid, block_number: u64, nonce: u64, work: VecU8, hotkey: AccountId,
             coldkey: AccountId) -> None:
    """---- Registers a new neuron to the subnetwork.

    # Args:
    * 'origin': (<T as frame_system::Config>Origin):
    \t- The signature of the calling hotkey.

    * 'netuid' (u16):
    \t- The u16 network identifier.

    * 'block_number' ( u64 ):
    \t- Block hash used to prove work done.

    * 'nonce' ( u64 ):
    \t- Positive integer nonce used in POW.

    * 'work' ( Vec<u8> ):
    \t- Vector encoded bytes representing work done.

    * 'hotkey' ( T::AccountId ):
    \t- Hotkey to be registered to the network.

    * 'coldkey' ( T::AccountId ):
    \t- Associated coldkey account.

    # Event:
    * NeuronRegistered;
    \t- On successfully registering a uid to a neuron slot on a subnetwork.

    # Raises:
    * 'MechanismDoesNotExist':
    \t- Attempting to register to a non existent network.

    * 'TooManyRegistrationsThisBlock':
    \t- This registration exceeds the total allowed on this network this block.

    * 'HotKeyAlreadyRegisteredInSubNet':
    \t- The hotkey is already registered on this network.

    * 'InvalidWorkBlock':
    \t- The work has been performed on a stale, future, or non existent block.

    * 'InvalidDifficulty':
    \t- The work does not match the difficulty.

    * 'InvalidSeal':
    \t- The seal is incorrect.

    """
    do_register(origin, netuid, hotkey)


@pallet.call(62, weight=Weight(135_900_000, 0) + ROCKS_DB_WEIGHT.reads_writes(19, 16))
def root_register(origin: Origin, hotkey: AccountId) -> None:
    """Register the hotkey to root network"""
    do_root_register(origin, hotkey)


@pallet.call(7, weight=Weight(315_200_000, 0) + ROCKS_DB_WEIGHT.reads_writes(34, 29))
def burned_register(origin: Origin, netuid: NetUid, hotkey: AccountId) -> None:
    """User register a new subnetwork via burning token"""
    do_register(origin, netuid, hotkey)


@pallet.call(134, weight=Weight(354_200_000, 0) + ROCKS_DB_WEIGHT.reads_writes(47, 40))
def register_limit(origin: Origin, netuid: NetUid, hotkey: AccountId, limit_price: u64) -> None:
    """User register a new subnetwork via burning token, but only if the
    on-chain burn price for this block is <= `limit_price`.

    `limit_price` is expressed in the same TaoCurrency/u64 units as `Burn`.
    """
    do_register_limit(origin, netuid, hotkey, limit_price)
