"""Drand (index 26): drand quicknet pulses bridged into the runtime (`pallet_drand`,
subtensor's pallets/drand/src/lib.rs).

On the real node an offchain worker fetches pulses from the drand HTTP API and submits each
as an unsigned `write_pulse`, its payload signed by the worker's sr25519 key; the pool
admits it through `validate_unsigned` (payload signature, round ahead of `LastStoredRound`,
one gate per block) and the call verifies each pulse's BLS signature against
`BeaconConfig` (`QuicknetVerifier`, in `primitives.tlock`). A dev chain cannot reach drand:
the node's dev pulse source (node/drand_dev.py) plays the worker with a beacon of its own.

`Config.verifier` is `T::Verifier` (`QuicknetVerifier` in the runtime).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import DispatchInfo, Origin, ensure, ensure_none, ensure_root
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap, StorageValue
from pysubtensor.pallets.support.types import Scale, bounded_bytes, u32, u64, value_type
from pysubtensor.primitives import tlock
from pysubtensor.primitives.crypto import CryptoError, Scheme, verify
from pysubtensor.primitives.hashing import Blake2_128Concat, Identity, blake2_256
from pysubtensor.primitives.keys import MULTI_SIGNATURE, MULTI_SIGNER
from pysubtensor.primitives.scale import BOOL, BYTES, STR, U32, U64, Option, Vec
from pysubtensor.primitives.transaction_validity import (
    InvalidTransaction,
    TransactionValidityError,
    ValidTransaction,
)

from . import weights

__all__ = [
    "MAX_KEPT_PULSES",
    "MAX_REMOVED_PULSES",
    "QUICKNET_CONFIG",
    "BeaconConfiguration",
    "BeaconConfigurationPayload",
    "Config",
    "DrandPriority",
    "Error",
    "Event",
    "Metadata",
    "Pulse",
    "PulsesPayload",
    "pallet",
    "quicknet_verify",
    "validate_unsigned",
]

pallet = Pallet("Drand", 26, crate="pallet_drand")

#: Pulses kept (one week of 3 s rounds) and removed at most per `write_pulse`.
MAX_KEPT_PULSES = 216_000
MAX_REMOVED_PULSES = 100
#: `UnsignedPriority` of the runtime (`ConstU64<{ 1 << 20 }>`).
UNSIGNED_PRIORITY = 1 << 20
_TAG_PREFIX = "DrandOffchainWorker"

# ---------------------------------------------------------------------------
# Types (pallets/drand/src/types.rs)

_PUBLIC = ("Public", MULTI_SIGNER)
_BLOCK = ("BlockNumber", U32)


@value_type("pallet_drand", "types", "Pulse")
class Pulse:
    round: Annotated[int, Scale(U64, "RoundNumber")]
    randomness: Annotated[bytes, Scale(bounded_bytes(32), "BoundedVec<u8, ConstU32<32>>")]
    signature: Annotated[bytes, Scale(bounded_bytes(144), "BoundedVec<u8, ConstU32<144>>")]


@value_type("pallet_drand", "types", "Metadata")
class Metadata:
    beacon_id: Annotated[bytes, Scale(bounded_bytes(32), "BoundedHash")]


@value_type("pallet_drand", "types", "BeaconConfiguration")
class BeaconConfiguration:
    public_key: Annotated[bytes, Scale(bounded_bytes(96), "OpaquePublicKey")]
    period: u32
    genesis_time: u32
    hash: Annotated[bytes, Scale(bounded_bytes(32), "BoundedHash")]
    group_hash: Annotated[bytes, Scale(bounded_bytes(32), "BoundedHash")]
    scheme_id: Annotated[bytes, Scale(bounded_bytes(32), "BoundedHash")]
    metadata: Metadata


@value_type("pallet_drand", "types", "PulsesPayload", params=(_PUBLIC, _BLOCK))
class PulsesPayload:
    block_number: Annotated[int, Scale(U32, "BlockNumber")]
    pulses: Annotated[list, Scale(Vec(Pulse.SCALE), "Vec<Pulse>")]
    public: Annotated[Any, Scale(MULTI_SIGNER, "Public")]


@value_type("pallet_drand", "types", "BeaconConfigurationPayload", params=(_PUBLIC, _BLOCK))
class BeaconConfigurationPayload:
    block_number: Annotated[int, Scale(U32, "BlockNumber")]
    config: BeaconConfiguration
    public: Annotated[Any, Scale(MULTI_SIGNER, "Public")]


#: `DefaultBeaconConfig`: drand quicknet.
QUICKNET_CONFIG = BeaconConfiguration(
    public_key=bytes.fromhex(
        "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d"
        "1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"),
    period=3,
    genesis_time=1_692_803_367,
    hash=bytes.fromhex("52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"),
    group_hash=bytes.fromhex("f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e"),
    scheme_id=b"bls-unchained-g1-rfc9380",
    metadata=Metadata(beacon_id=b"quicknet"),
)


def quicknet_verify(config: BeaconConfiguration, pulse: Pulse) -> bool:
    """`QuicknetVerifier::verify`: e(sig, g2) == e(H(sha256(round)), pk). A key or signature
    that does not decode raises `tlock.TimelockError` (the Rust `Err`)."""
    return tlock.verify_round(config.public_key, pulse.round, pulse.signature)


# ---------------------------------------------------------------------------
# Config


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    #: `T::Verifier`.
    verifier: Callable[[BeaconConfiguration, Pulse], bool] = quicknet_verify
    #: `CreateBare` + `SubmitTransaction`: a Drand call as a bare extrinsic to the local pool
    #: (the offchain worker's); the runtime binds it.
    submit_unsigned: Callable[[Any], None] = lambda call: None


# ---------------------------------------------------------------------------
# Storage

BeaconConfig = pallet.storage("BeaconConfig", StorageValue(BeaconConfiguration.SCALE, default=QUICKNET_CONFIG),
                              docs="the drand beacon configuration")
HasMigrationRun = pallet.storage(
    "HasMigrationRun", StorageMap(Identity, bounded_bytes(128), BOOL, default=False),
    docs="Storage for migration run status")
Pulses = pallet.storage("Pulses", StorageMap(Blake2_128Concat, U64, Pulse.SCALE, optional=True),
                        docs="map round number to pulse")
LastStoredRound = pallet.storage("LastStoredRound", StorageValue(U64, default=0))
OldestStoredRound = pallet.storage("OldestStoredRound", StorageValue(U64, default=0), docs="oldest stored round")
NextUnsignedAt = pallet.storage("NextUnsignedAt", StorageValue(U32, default=0), docs="""\
    Defines the block when next unsigned transaction will be accepted.

    To prevent spam of unsigned (and unpaid!) transactions on the network,
    we only allow one transaction per block.
    This storage entry defines when new transaction is going to be accepted.""")

# ---------------------------------------------------------------------------
# Constants


@pallet.constants
class Constants:
    UnsignedPriority = constant(U64, UNSIGNED_PRIORITY, """\
        A configuration for base priority of unsigned transactions.

        This is exposed so that it can be tuned for particular runtime, when
        multiple pallets send unsigned transactions.""")
    HttpFetchTimeout = constant(U64, 1_000, """\
        The maximum number of milliseconds we are willing to wait for the HTTP request to
        complete.""")


# ---------------------------------------------------------------------------
# Events and errors


@pallet.events
class Event:
    @event(0)
    class BeaconConfigChanged:
        """Beacon Configuration has changed."""

    @event(1)
    class NewPulse:
        """Successfully set a new pulse(s)."""

        rounds: Annotated[list, Scale(Vec(U64), "Vec<RoundNumber>")]

    @event(2, unnamed=True)
    class SetOldestStoredRound:
        """Oldest Stored Round has been set."""

        round: u64


@pallet.errors
class Error:
    NoneValue = error(0, "The value retrieved was `None` as no value was previously set.")
    StorageOverflow = error(1, "There was an attempt to increment the value in storage over `u32::MAX`.")
    DrandConnectionFailure = error(2, "failed to connect to the")
    UnverifiedPulse = error(3, "the pulse is invalid")
    InvalidRoundNumber = error(4, "the round number did not increment")
    PulseVerificationError = error(5, "the pulse could not be verified")


# ---------------------------------------------------------------------------
# Calls

_SIGNATURE = Arg(Option(MULTI_SIGNATURE), "Option<T::Signature>")


def _block_number() -> int:
    from pysubtensor.pallets import system  # frame_system is every pallet's supertrait

    return system.block_number()


@pallet.call(0, weight=weights.write_pulse())
def write_pulse(origin: Origin,
                pulses_payload: Arg(PulsesPayload.SCALE, "PulsesPayload<T::Public, BlockNumberFor<T>>"),
                signature: _SIGNATURE) -> None:
    """Verify and write a pulse from the beacon into the runtime"""
    ensure_none(origin)
    config = BeaconConfig.get()
    last_stored_round = LastStoredRound.get()
    is_first_storage = last_stored_round == 0 and OldestStoredRound.get() == 0
    first_new_round = None
    new_rounds = []
    for pulse in pulses_payload.pulses:
        try:
            verified = pallet.config.verifier(config, pulse)
        except tlock.TimelockError:
            raise Error.PulseVerificationError() from None
        if verified:
            ensure(pulse.round > last_stored_round, Error.InvalidRoundNumber)
            Pulses.insert(pulse.round, pulse)
            last_stored_round = pulse.round
            new_rounds.append(pulse.round)
            if is_first_storage and first_new_round is None:
                first_new_round = pulse.round
    LastStoredRound.put(last_stored_round)
    if first_new_round is not None:
        OldestStoredRound.put(first_new_round)
    prune_old_pulses(last_stored_round)
    NextUnsignedAt.put(_block_number())
    if new_rounds:
        pallet.deposit_event(Event.NewPulse(new_rounds))


@pallet.call(1, weight=weights.set_beacon_config(), docs=(
    "allows the root user to set the beacon configuration",
    "generally this would be called from an offchain worker context.",
    "there is no verification of configurations, so be careful with this.",
    "",
    "* `origin`: the root user",
    "* `config`: the beacon configuration"))
def set_beacon_config(origin: Origin,
                      config_payload: Arg(BeaconConfigurationPayload.SCALE,
                                          "BeaconConfigurationPayload<T::Public, BlockNumberFor<T>>"),
                      signature: _SIGNATURE) -> None:
    ensure_root(origin)
    BeaconConfig.put(config_payload.config)
    NextUnsignedAt.put((_block_number() + 1) & 0xFFFF_FFFF)
    pallet.deposit_event(Event.BeaconConfigChanged())


@pallet.call(2, weight=weights.set_oldest_stored_round())
def set_oldest_stored_round(origin: Origin, oldest_round: u64) -> None:
    """allows the root user to set the oldest stored round"""
    ensure_root(origin)
    OldestStoredRound.put(oldest_round)
    pallet.deposit_event(Event.SetOldestStoredRound(oldest_round))


def prune_old_pulses(last_stored_round: int) -> None:
    """Drop the oldest pulses beyond `MAX_KEPT_PULSES`, at most `MAX_REMOVED_PULSES` a call."""
    oldest = OldestStoredRound.get()
    if oldest == 0:
        return
    removed = 0
    while max(last_stored_round - oldest, 0) + 1 > MAX_KEPT_PULSES and removed < MAX_REMOVED_PULSES:
        Pulses.remove(oldest)
        oldest += 1
        removed += 1
    OldestStoredRound.put(oldest)


# ---------------------------------------------------------------------------
# ValidateUnsigned


def _payload_signed(payload: Any, codec: Any, signature: Any) -> bool:
    """`SignedPayload::verify::<TestAuthId>`: an sr25519 signature of the encoded payload by
    its sr25519 `public` (the app crypto is sr25519: other schemes do not verify)."""
    scheme_name, public = payload.public
    sig_scheme, sig = signature
    if scheme_name != "Sr25519" or sig_scheme != "Sr25519":
        return False
    try:
        return verify(Scheme.SR25519, sig, codec.encode(payload), public)
    except CryptoError:
        return False


def _tag(encoded: bytes) -> bytes:
    """`ValidTransaction::with_tag_prefix(prefix).and_provides(tag)`: `(prefix, tag).encode()`."""
    return STR.encode(_TAG_PREFIX) + encoded


@pallet.hook_validate_unsigned
def validate_unsigned(source: str, call: tuple[str, dict[str, Any]]) -> ValidTransaction:
    """`ValidateUnsigned::validate_unsigned`: `write_pulse` and `set_beacon_config` with a
    payload signed by the key it names; anything else is `InvalidTransaction::Call`. Raises
    `TransactionValidityError`."""
    name, args = call
    if name == "set_beacon_config":
        payload, signature = args["config_payload"], args["signature"]
        codec, rounds = BeaconConfigurationPayload.SCALE, None
    elif name == "write_pulse":
        payload, signature = args["pulses_payload"], args["signature"]
        codec, rounds = PulsesPayload.SCALE, [p.round for p in payload.pulses]
    else:
        raise TransactionValidityError.invalid(InvalidTransaction.CALL)
    if signature is None:
        raise TransactionValidityError.invalid(InvalidTransaction.BAD_SIGNER)
    if not _payload_signed(payload, codec, signature):
        raise TransactionValidityError.invalid(InvalidTransaction.BAD_PROOF)
    return _validate_parameters(payload.block_number, payload.public, rounds)


def _validate_parameters(block_number: int, public: Any, rounds: list[int] | None) -> ValidTransaction:
    next_unsigned_at = NextUnsignedAt.get()
    current_block = _block_number()
    if current_block < block_number:
        raise TransactionValidityError.invalid(InvalidTransaction.FUTURE)
    if rounds is not None:
        if len(rounds) != 1:
            raise TransactionValidityError.invalid(InvalidTransaction.CALL)
        (r,) = rounds
        if next_unsigned_at > current_block:
            raise TransactionValidityError.invalid(InvalidTransaction.STALE)
        if r <= LastStoredRound.get():
            raise TransactionValidityError.invalid(InvalidTransaction.STALE)
        # Lower rounds first; `(b"drand", r)` encodes the array `[u8; 5]` without a length.
        priority = min(UNSIGNED_PRIORITY + ((1 << 64) - 1 - r), (1 << 64) - 1)
        return ValidTransaction(priority=priority, provides=[_tag(blake2_256(b"drand" + U64.encode(r)))],
                                longevity=3, propagate=False)
    if next_unsigned_at > block_number:
        raise TransactionValidityError.invalid(InvalidTransaction.STALE)
    # `(next_unsigned_at, public.encode())`: the u32 then the `Vec<u8>` of the encoded key.
    tag = blake2_256(U32.encode(next_unsigned_at) + BYTES.encode(MULTI_SIGNER.encode(public)))
    return ValidTransaction(priority=UNSIGNED_PRIORITY, provides=[_tag(tag)], longevity=1, propagate=True)


# ---------------------------------------------------------------------------
# DrandPriority (pallets/drand/src/drand_priority.rs)


class DrandPriority(TransactionExtension):
    """Gives a (signed) `Drand.write_pulse` priority 10_000; weighs nothing, checks nothing.
    (The offchain worker's pulses are bare: their priority is `validate_unsigned`'s.)"""

    identifier = "DrandPriority"

    def validate(self, origin: Origin, call: Any, info: DispatchInfo, length: int,
                 source: str) -> tuple[ValidTransaction, Any]:
        pallet_name, (call_name, _) = call
        priority = 10_000 if (pallet_name, call_name) == (pallet.name, "write_pulse") else 0
        return ValidTransaction(priority=priority), None


from . import offchain  # noqa: E402, F401  (the offchain worker registers its hook on the pallet)
