"""Key pairs from secret URIs, derived exactly as sp-core does, and the dev accounts.

A secret URI is `[phrase or 0x-seed][/soft or //hard junctions…][///password]`:

- the root is a BIP-39 phrase (English), turned into a 32-byte seed the Substrate way —
  PBKDF2 over the phrase's *entropy*, not over its words — or a `0x` hex seed of 32 bytes
  (the password then plays no part). With no root the dev phrase is used, so `//Alice`
  is `bottom drive … walk//Alice`;
- each junction has a 32-byte chain code: the SCALE encoding of the junction text, or of
  a u64 when the text is a decimal number, zero-padded, or blake2-256 of it when longer
  than 32 bytes;
- sr25519 derives hard and soft junctions with schnorrkel; ed25519 and ecdsa only hard
  ones, as `blake2_256(SCALE((b"Ed25519HDKD" | b"Secp256k1HDKD", seed, chain_code)))`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import bip39
import sr25519

from pysubtensor.primitives import crypto
from pysubtensor.primitives.crypto import CryptoError, Scheme
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.keys import MultiSignature, MultiSigner
from pysubtensor.primitives.scale import STR, U64, FixedBytes, Tuple
from pysubtensor.primitives.ss58 import DEFAULT_PREFIX, ss58_encode

__all__ = [
    "DEV_ACCOUNTS",
    "DEV_ACCOUNT_NAMES",
    "DEV_PHRASE",
    "DeriveJunction",
    "Keypair",
    "SecretUri",
    "SecretUriError",
]

DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"
DEV_ACCOUNT_NAMES: tuple[str, ...] = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")


class SecretUriError(CryptoError):
    """A secret URI that cannot be parsed, or whose phrase, seed or path is invalid."""


# sp-core's SecretUri grammar, as a full match (Rust's `$` is end of text).
_SECRET_URI = re.compile(r"(?P<phrase>[a-zA-Z0-9 ]+)?(?P<path>(?://?[^/]+)*)(?:///(?P<password>.*))?", re.DOTALL)
_JUNCTION = re.compile(r"/(/?[^/]+)")
_U64_TEXT = re.compile(r"\+?[0-9]+")  # what Rust's `str::parse::<u64>` accepts
_HEX = re.compile(r"[0-9a-fA-F]*")
_CHAIN_CODE_LENGTH = 32
_U64_MAX = (1 << 64) - 1

# The tuple hashed by ed25519 / ecdsa hard derivation: (&str, [u8; 32], [u8; 32]).
_HDKD_INPUT = Tuple(STR, FixedBytes(32), FixedBytes(32))
_HDKD_ID: dict[Scheme, str] = {Scheme.ED25519: "Ed25519HDKD", Scheme.ECDSA: "Secp256k1HDKD"}


@dataclass(frozen=True, slots=True)
class DeriveJunction:
    """One step of a derivation path: a 32-byte chain code, hard or soft."""

    chain_code: bytes
    hard: bool

    def __post_init__(self) -> None:
        if not isinstance(self.chain_code, bytes) or len(self.chain_code) != _CHAIN_CODE_LENGTH:
            raise SecretUriError(f"chain code must be {_CHAIN_CODE_LENGTH} bytes, got {self.chain_code!r}")

    @classmethod
    def from_text(cls, text: str, hard: bool) -> DeriveJunction:
        """The junction `//text` (hard) or `/text` (soft), as sp-core's `DeriveJunction::from`."""
        if _U64_TEXT.fullmatch(text) and int(text) <= _U64_MAX:
            encoded = U64.encode(int(text))
        else:
            encoded = STR.encode(text)
        if len(encoded) > _CHAIN_CODE_LENGTH:
            encoded = blake2_256(encoded)
        return cls(encoded.ljust(_CHAIN_CODE_LENGTH, b"\0"), hard)


@dataclass(frozen=True, slots=True)
class SecretUri:
    """A parsed secret URI. `phrase` is the dev phrase when the URI names none."""

    phrase: str
    junctions: tuple[DeriveJunction, ...]
    password: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, uri: str) -> SecretUri:
        if not isinstance(uri, str):
            raise SecretUriError(f"secret URI must be a str, got {type(uri).__name__}")
        match = _SECRET_URI.fullmatch(uri)
        if match is None:
            raise SecretUriError("secret URI is not of the form [phrase or 0x-seed][/soft|//hard…][///password]")
        junctions = tuple(
            DeriveJunction.from_text(j[1:], hard=True) if j.startswith("/") else DeriveJunction.from_text(j, hard=False)
            for j in _JUNCTION.findall(match["path"])
        )
        return cls(match["phrase"] or DEV_PHRASE, junctions, match["password"])

    def root_seed(self) -> bytes:
        """The 32-byte seed the path starts from."""
        if self.phrase.startswith("0x"):
            digits = self.phrase[2:]
            if not _HEX.fullmatch(digits) or len(digits) != 2 * crypto.SEED_LENGTH:
                raise SecretUriError(f"hex seed must be 0x followed by {2 * crypto.SEED_LENGTH} hex digits")
            return bytes.fromhex(digits)
        if self.phrase == DEV_PHRASE and not self.password:
            return _dev_root_seed()
        try:
            return bytes(bip39.bip39_to_mini_secret(self.phrase, self.password or ""))
        except ValueError as e:
            raise SecretUriError(f"invalid secret phrase: {e}") from None


@functools.cache
def _dev_root_seed() -> bytes:
    """The dev phrase's mini secret (no password), derived once: every `//Alice`-style URI
    starts from it, and its PBKDF2 (2,048 rounds, ~1 ms) ran a dozen times at start-up (the
    dev genesis, the authoring key). The phrase is public; no other phrase is cached."""
    return bytes(bip39.bip39_to_mini_secret(DEV_PHRASE, ""))


@dataclass(frozen=True, slots=True, repr=False)
class Keypair:
    """A key pair of one scheme. Equal when scheme and public key are equal.

    `secret` is what signing needs: the 64-byte schnorrkel secret key for sr25519 (its
    nonce half is random after a soft derivation, as in schnorrkel), the 32-byte seed for
    ed25519 and ecdsa.
    """

    scheme: Scheme
    public_key: bytes
    secret: bytes = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scheme", Scheme.parse(self.scheme))

    def __repr__(self) -> str:  # never the secret
        return f"Keypair({self.scheme.value}, 0x{self.public_key.hex()})"

    @classmethod
    def from_seed(cls, seed: bytes, scheme: Scheme | str = Scheme.SR25519,
                  path: Sequence[DeriveJunction] = ()) -> Keypair:
        """The pair for a 32-byte seed (mini secret key for sr25519), then derived along `path`."""
        scheme = Scheme.parse(scheme)
        if not isinstance(seed, bytes | bytearray) or len(seed) != crypto.SEED_LENGTH:
            raise CryptoError(f"seed must be {crypto.SEED_LENGTH} bytes, got {seed!r:.80}")
        seed = bytes(seed)
        if scheme is Scheme.SR25519:
            public, secret = crypto.pair_from_seed(scheme, seed)
            for junction in path:
                derive = sr25519.hard_derive_keypair if junction.hard else sr25519.derive_keypair
                _, public, secret = derive((junction.chain_code, public, secret), b"")
            return cls(scheme, bytes(public), bytes(secret))
        for junction in path:
            if not junction.hard:
                raise SecretUriError(f"{scheme} keys have no soft derivation; use //hard junctions")
            seed = blake2_256(_HDKD_INPUT.encode((_HDKD_ID[scheme], seed, junction.chain_code)))
        public, secret = crypto.pair_from_seed(scheme, seed)
        return cls(scheme, public, secret)

    @classmethod
    def from_uri(cls, uri: str, scheme: Scheme | str = Scheme.SR25519, *,
                 password: str | None = None) -> Keypair:
        """The pair for a secret URI, as `subkey inspect --scheme <scheme> <uri>`.

        `password`, if given, overrides a `///password` in the URI (as sp-core's
        `password_override`).
        """
        parsed = SecretUri.parse(uri)
        if password is not None:
            parsed = SecretUri(parsed.phrase, parsed.junctions, password)
        return cls.from_seed(parsed.root_seed(), scheme, parsed.junctions)

    @property
    def account_id(self) -> bytes:
        return crypto.account_id_of(self.scheme, self.public_key)

    @property
    def ss58_address(self) -> str:
        """The account id in SS58 with the generic prefix 42 (subtensor's)."""
        return ss58_encode(self.account_id, DEFAULT_PREFIX)

    @property
    def multi_signer(self) -> MultiSigner:
        return MultiSigner(self.scheme, self.public_key)

    def sign(self, message: bytes) -> bytes:
        return crypto.sign(self.scheme, self.secret, self.public_key, message)

    def sign_multi(self, message: bytes) -> MultiSignature:
        """Sign and tag with the scheme, as a signed extrinsic carries it."""
        return MultiSignature(self.scheme, self.sign(message))

    def verify(self, message: bytes, signature: bytes) -> bool:
        return crypto.verify(self.scheme, signature, message, self.public_key)


def _dev_accounts() -> Mapping[str, Keypair]:
    root = SecretUri(DEV_PHRASE, ()).root_seed()
    return MappingProxyType({
        name: Keypair.from_seed(root, Scheme.SR25519, (DeriveJunction.from_text(name, hard=True),))
        for name in DEV_ACCOUNT_NAMES
    })


DEV_ACCOUNTS: Mapping[str, Keypair] = _dev_accounts()
"""Alice, Bob, Charlie, Dave, Eve and Ferdie (`//Name`, sr25519), in that order."""
