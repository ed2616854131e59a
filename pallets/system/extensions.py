"""frame_system's transaction extensions (and subtensor's `CheckNonce`, its copy of
frame_system's), in the order the runtime lists them:

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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pysubtensor.pallets.support.dispatch import Origin, Weight
from pysubtensor.pallets.support.extension import TransactionExtension
from pysubtensor.primitives.scale import U32, Tuple
from pysubtensor.primitives.transaction_validity import (
    InvalidTransaction,
    TransactionValidityError,
    ValidTransaction,
)
from pysubtensor.primitives.types import ACCOUNT_ID

from . import accounts, check_weight
from .block import block_hash, block_number, reclaim_weight
from .limits import ROCKS_DB_WEIGHT
from .pallet import BlockHash, pallet

__all__ = [
    "WEIGHTS",
    "CheckGenesis",
    "CheckMortality",
    "CheckNonZeroSender",
    "CheckNonce",
    "CheckSpecVersion",
    "CheckTxVersion",
    "CheckWeight",
    "Mortality",
    "nonce_tag",
]

_U64_MAX = (1 << 64) - 1
_ZERO = Weight(0, 0)


def _db(reads: int, writes: int = 0) -> Weight:
    return ROCKS_DB_WEIGHT.reads_writes(reads, writes)


#: `SubstrateExtensionsWeight` (subtensor's `ExtensionsWeightInfo`), from polkadot-sdk
#: `frame/system/src/extensions/weights.rs` (the 2024-03-01 benchmark table; the fork
#: subtensor pins may carry a re-benchmarked one), over RocksDb read/write costs. Subtensor's
#: CheckNonce weighs nothing.
WEIGHTS: dict[str, Weight] = {
    "check_non_zero_sender": Weight(527_000, 0),
    "check_spec_version": Weight(461_000, 0),
    "check_tx_version": Weight(439_000, 0),
    "check_genesis": Weight(4_160_000, 3509).saturating_add(_db(1)),
    "check_mortality": Weight(6_523_000, 3509).saturating_add(_db(1)),
    "check_weight": Weight(4_747_000, 1489).saturating_add(_db(1, 1)),
}


def _invalid(reason: str) -> TransactionValidityError:
    return TransactionValidityError.invalid(reason)


def nonce_tag(who: bytes, nonce: int) -> bytes:
    """The pool tag CheckNonce provides / requires: SCALE `(AccountId, Nonce)`."""
    return Tuple(ACCOUNT_ID, U32).encode((who, nonce & 0xFFFF_FFFF))


class Mortality(Protocol):
    """A transaction's era (`sp_runtime::generic::Era`, `runtime.era.Era`)."""

    def birth(self, current: int) -> int: ...

    def death(self, current: int) -> int: ...


class CheckNonZeroSender(TransactionExtension):
    identifier = "CheckNonZeroSender"

    def weight(self, call: Any) -> Weight:
        return WEIGHTS["check_non_zero_sender"]

    def validate(self, origin, call, info, length, source):
        if origin.kind == Origin.SIGNED and origin.account == bytes(32):
            raise _invalid(InvalidTransaction.BAD_SIGNER)
        return ValidTransaction(), None


class CheckSpecVersion(TransactionExtension):
    identifier = "CheckSpecVersion"

    def weight(self, call: Any) -> Weight:
        return WEIGHTS["check_spec_version"]

    def implicit(self) -> int:
        return pallet.config.version.spec_version


class CheckTxVersion(TransactionExtension):
    identifier = "CheckTxVersion"

    def weight(self, call: Any) -> Weight:
        return WEIGHTS["check_tx_version"]

    def implicit(self) -> int:
        return pallet.config.version.transaction_version


class CheckGenesis(TransactionExtension):
    identifier = "CheckGenesis"

    def weight(self, call: Any) -> Weight:
        return WEIGHTS["check_genesis"]

    def implicit(self) -> bytes:
        return block_hash(0)


@dataclass(frozen=True)
class CheckMortality(TransactionExtension):
    """The era's birth block must be one whose hash System still keeps (the genesis block
    for an immortal era). An expired era names a later birth block than the one signed for,
    so its signature no longer verifies (BadProof), or, past the kept window,
    AncientBirthBlock — as in Substrate, no separate "expired" error exists."""

    era: Mortality
    identifier = "CheckMortality"

    def weight(self, call: Any) -> Weight:
        return WEIGHTS["check_mortality"]

    def implicit(self) -> bytes:
        birth = self.era.birth(block_number())
        if birth > 0xFFFF_FFFF or not BlockHash.contains_key(birth):
            raise _invalid(InvalidTransaction.ANCIENT_BIRTH_BLOCK)
        return block_hash(birth)

    def validate(self, origin, call, info, length, source):
        current = block_number()
        death = self.era.death(current)
        return ValidTransaction(longevity=min(max(death - current, 0), _U64_MAX)), None


@dataclass(frozen=True)
class CheckNonce(TransactionExtension):
    """Subtensor's `CheckNonce` (runtime/src/check_nonce.rs: frame_system's, with the
    provider rule below)."""

    nonce: int
    identifier = "CheckNonce"

    def validate(self, origin, call, info, length, source):
        if origin.kind != Origin.SIGNED or origin.account is None:
            return ValidTransaction(), None
        who = origin.account
        account = accounts.account_ref(who)  # read only
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
        accounts.mutate_account(who, lambda a: setattr(a, "nonce", (nonce + 1) & 0xFFFF_FFFF))
        return None


class CheckWeight(TransactionExtension):
    identifier = "CheckWeight"

    def weight(self, call: Any) -> Weight:
        return WEIGHTS["check_weight"]

    def validate(self, origin, call, info, length, source):
        return ValidTransaction(), check_weight.do_validate(info, length)

    def prepare(self, val, origin, call, info, length):
        check_weight.do_prepare(info, length, val)

    def post_dispatch_details(self, pre, info, post_info, length, result):
        reclaim_weight(info, post_info)
        return _ZERO

    def bare_validate(self, call, info, length):
        check_weight.do_validate(info, length)
        return ValidTransaction()

    def bare_validate_and_prepare(self, call, info, length):
        check_weight.validate_and_prepare(info, length)

    def bare_post_dispatch(self, info, post_info, length, result):
        reclaim_weight(info, post_info)
        return post_info
