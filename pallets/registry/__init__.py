"""Registry (index 17): on-chain identities with a held deposit (subtensor's own
`pallet_registry`, subtensor pallets/registry/src/lib.rs and types.rs as of spec 381; the
pallet was removed from the runtime later).

`set_identity` stores an `IdentityInfo` for `identified` if the runtime's `CanRegister`
admits the signer (a subnet owner for itself, or a coldkey for its root-registered hotkey),
holding `InitialDeposit + FieldDeposit * additional fields` from the signer (topping up or
releasing the difference on an update); `clear_identity` removes it and releases the
deposit from the signer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pysubtensor.pallets.balances import holds
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import (
    DispatchClass,
    DispatchError,
    Origin,
    PostDispatchInfo,
    ensure,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg, Pallet, constant, error, event
from pysubtensor.pallets.support.storage import StorageMap
from pysubtensor.pallets.support.tokens import Precision
from pysubtensor.pallets.support.types import Doc, bounded_vec, scale_type
from pysubtensor.primitives.hashing import Twox64Concat
from pysubtensor.primitives.scale import U32, Enum, Field, FixedBytes, Option, Struct, Tuple, Variant
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.primitives.types import ACCOUNT_ID, BALANCE

from . import weights

__all__ = ["DATA", "IDENTITY_INFO", "Config", "Constants", "Error", "Event", "IdentityOf", "Registration", "pallet"]

pallet = Pallet("Registry", 17, crate="pallet_registry")

#: `RuntimeHoldReason::Registry(HoldReason::RegistryIdentity)`.
HOLD_REASON = ("Registry", "RegistryIdentity")


def _nobody(_who: bytes, _identified: bytes) -> bool:
    return False  # `CanRegister = ()`


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    #: `CanRegister::can_register(who, identified)` (the runtime's `AllowIdentityReg`).
    can_register: Callable[[bytes, bytes], bool] = _nobody


# ---------------------------------------------------------------------------
# Types

#: `pallet_registry::types::Data`: None, `Raw0`…`Raw64` (the length byte is the index), or a
#: 32-byte hash. Python value: `("None", None)`, `("Raw5", b"hello")`, `("Sha256", h)`.
DATA = Enum(
    ("pallet_registry", "types", "Data"),
    (Variant("None", 0),
     *(Variant(f"Raw{n}", n + 1, (Field(None, FixedBytes(n)),)) for n in range(65)),
     *(Variant(name, 66 + i, (Field(None, FixedBytes(32)),))
       for i, name in enumerate(("BlakeTwo256", "Sha256", "Keccak256", "ShaThree256")))),
)


def raw(data: bytes) -> tuple[str, bytes]:
    """`Data::Raw(data)` (at most 64 bytes)."""
    if len(data) > 64:
        raise ValueError("Data::Raw holds at most 64 bytes")
    return (f"Raw{len(data)}", bytes(data))


_D = "Data"
IDENTITY_INFO = Struct(
    ("pallet_registry", "types", "IdentityInfo"),
    (
        Field("additional", bounded_vec(Tuple(DATA, DATA)), "BoundedVec<(Data, Data), FieldLimit>"),
        Field("display", DATA, _D), Field("legal", DATA, _D), Field("web", DATA, _D), Field("riot", DATA, _D),
        Field("email", DATA, _D), Field("pgp_fingerprint", Option(FixedBytes(20)), "Option<[u8; 20]>"),
        Field("image", DATA, _D), Field("twitter", DATA, _D),
    ),
    params=(("FieldLimit", None),),
)


@slots_dataclass
class Registration:
    """`pallet_registry::types::Registration`: the deposit held and the identity."""

    deposit: int
    info: dict[str, Any]


REGISTRATION = Struct(
    ("pallet_registry", "types", "Registration"),
    (Field("deposit", BALANCE, "Balance"), Field("info", IDENTITY_INFO, "IdentityInfo<MaxAdditionalFields>")),
    cls=Registration, params=(("Balance", BALANCE), ("MaxAdditionalFields", None)),
)

# ---------------------------------------------------------------------------
# Storage, constants, events, errors

IdentityOf = pallet.storage("IdentityOf", StorageMap(Twox64Concat, ACCOUNT_ID, REGISTRATION, optional=True),
                            docs="Identity data by account")


@pallet.constants
class Constants:
    MaxAdditionalFields = constant(U32, 1, "Configuration fields\nMaximum user-configured additional fields")
    InitialDeposit = constant(BALANCE, 100_000_000, "The amount held on deposit for a registered identity")
    FieldDeposit = constant(BALANCE, 100_000_000,
                            "The amount held on deposit per additional field for a registered identity.")


AccountId = scale_type(ACCOUNT_ID, bytes, "T::AccountId")


@pallet.events
class Event:
    @event(0)
    class IdentitySet:
        """Emitted when a user registers an identity"""

        who: Annotated[AccountId, Doc("The account that registered the identity")]

    @event(1)
    class IdentityDissolved:
        """Emitted when a user dissolves an identity"""

        who: Annotated[AccountId, Doc("The account that dissolved the identity")]


@pallet.errors
class Error:
    CannotRegister = error(0, "Account attempted to register an identity but does not meet the requirements.")
    TooManyFieldsInIdentityInfo = error(1, "Account passed too many additional fields to their identity")
    NotRegistered = error(2, "Account doesn't have a registered identity")


# ---------------------------------------------------------------------------
# Calls


@pallet.call(0, weight=weights.set_identity(), dispatch_class=DispatchClass.NORMAL)
def set_identity(origin: Origin, identified: Arg(ACCOUNT_ID, "T::AccountId"),
                 info: Arg(IDENTITY_INFO, "Box<IdentityInfo<T::MaxAdditionalFields>>")) -> None:
    """Register an identity for an account. This will overwrite any existing identity."""
    who = ensure_signed(origin)
    ensure(pallet.config.can_register(who, identified), Error.CannotRegister)
    extra_fields = len(info["additional"])
    ensure(extra_fields <= Constants.MaxAdditionalFields, Error.TooManyFieldsInIdentityInfo)
    field_deposit = extra_fields * Constants.FieldDeposit
    existing = IdentityOf.get(identified)
    old_deposit = existing.deposit if existing is not None else 0
    deposit = min(Constants.InitialDeposit + field_deposit, 2**64 - 1)
    if deposit > old_deposit:
        holds.hold(HOLD_REASON, who, deposit - old_deposit)
    if old_deposit > deposit:
        holds.release(HOLD_REASON, who, old_deposit - deposit, Precision.BEST_EFFORT)
    IdentityOf.insert(identified, Registration(deposit, info))
    pallet.deposit_event(Event.IdentitySet(identified))


@pallet.call(1, weight=weights.clear_identity())
def clear_identity(origin: Origin, identified: Arg(ACCOUNT_ID, "T::AccountId")) -> PostDispatchInfo:
    """Clear the identity of an account."""
    who = ensure_signed(origin)
    registration = IdentityOf.take(identified)
    if registration is None:
        raise Error.NotRegistered()
    try:  # the release is only debug-asserted in Rust
        holds.release(HOLD_REASON, who, registration.deposit, Precision.BEST_EFFORT)
    except DispatchError:
        pass
    pallet.deposit_event(Event.IdentityDissolved(identified))
    return PostDispatchInfo()
