"""AdminUtils (pallet 19, `pallet_admin_utils`): its Pallet object and its own items — the
`PrecompileEnable` map, three events and eleven errors, as spec 381 has them. Its calls
(calls.py) set SubtensorModule's hyperparameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Protocol

from pysubtensor.pallets.aura.pallet import AUTHORITY_ID as AURA_AUTHORITY_ID
from pysubtensor.pallets.subtensor.types import NetUid
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.pallet import Pallet, error, event
from pysubtensor.pallets.support.storage import StorageMap
from pysubtensor.pallets.support.types import Bool, Doc, scale_type, u16
from pysubtensor.primitives.fixed import U64F64
from pysubtensor.primitives.hashing import Blake2_128Concat
from pysubtensor.primitives.scale import BOOL, NameEnum

__all__ = ["PRECOMPILE_ENUM", "AuraInterface", "Config", "Error", "Event", "GrandpaInterface", "PrecompileEnable", "PrecompileEnum", "pallet"]

pallet = Pallet("AdminUtils", 19, crate="pallet_admin_utils",
                # the `///` doc on its `#[pallet::call]` block, which Rust's metadata keeps
                call_docs="Dispatchable functions allows users to interact with the pallet and invoke state changes.")


class AuraInterface(Protocol):
    """`AuraInterface`: what `swap_authorities` calls (the runtime's: Aura's `change_authorities`)."""

    def change_authorities(self, new: list[bytes]) -> None: ...


class GrandpaInterface(Protocol):
    """`GrandpaInterface`: what `schedule_grandpa_change` calls (the runtime's: GRANDPA's
    `schedule_change`, which may fail with its `ChangePending` or `TooSoon`)."""

    def schedule_change(self, next_authorities: list[tuple[bytes, int]], in_blocks: int,
                        forced: int | None) -> None: ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    """`pallet_admin_utils::Config`'s behaviour: no defaults, so that an AdminUtils the runtime
    has not bound cannot swap authorities silently (Rust's `()` implementations do nothing)."""

    aura: AuraInterface
    grandpa: GrandpaInterface

# The runtime's `AuthorityId` is Aura's sr25519 public key.
pallet.associated_type("AuthorityId", AURA_AUTHORITY_ID, "The identifier type for an authority.")

#: `PrecompileEnum`: the EVM precompiles root can switch off. Python values: the variant names.
PRECOMPILE_ENUM = NameEnum(("pallet_admin_utils", "pallet", "PrecompileEnum"), (
    "BalanceTransfer", "Staking", "Subnet", "Metagraph", "Neuron", "UidLookup", "Alpha", "Crowdloan",
    "Proxy", "Leasing", "AddressMapping", "VotingPower",
))
PrecompileEnum = scale_type(PRECOMPILE_ENUM, str, "PrecompileEnum")
#: A `U64F64` argument or event field (its raw bits as an int).
U64F64Arg = scale_type(U64F64, int, "U64F64")

PrecompileEnable = pallet.storage("PrecompileEnable", StorageMap(Blake2_128Concat, PRECOMPILE_ENUM, BOOL, default=True),
                                  docs="Map PrecompileEnum --> enabled")


@pallet.events
class Event:
    @event(0)
    class PrecompileUpdated:
        """Event emitted when a precompile operation is updated."""

        precompile_id: Annotated[PrecompileEnum, Doc("The type of precompile operation being updated.")]
        enabled: Annotated[Bool, Doc("Indicates if the precompile operation is enabled or not.")]

    @event(1)
    class Yuma3EnableToggled:
        """Event emitted when the Yuma3 enable is toggled."""

        netuid: Annotated[NetUid, Doc("The network identifier.")]
        enabled: Annotated[Bool, Doc("Indicates if the Yuma3 enable was enabled or disabled.")]

    @event(2)
    class BondsResetToggled:
        """Event emitted when Bonds Reset is toggled."""

        netuid: Annotated[NetUid, Doc("The network identifier.")]
        enabled: Annotated[Bool, Doc("Indicates if the Bonds Reset was enabled or disabled.")]

    # Newer than spec 381: subtensor main's next two (tests/support/metadata.py ITEMS_BEYOND_381).
    @event(3)
    class BurnHalfLifeSet:
        """Event emitted when the burn half-life parameter is set for a subnet."""

        netuid: Annotated[NetUid, Doc("The network identifier.")]
        burn_half_life: Annotated[u16, Doc("The new burn half-life value.")]

    @event(4)
    class BurnIncreaseMultSet:
        """Event emitted when the burn increase multiplier is set for a subnet."""

        netuid: Annotated[NetUid, Doc("The network identifier.")]
        burn_increase_mult: Annotated[U64F64Arg, Doc("The new burn increase multiplier.")]


@pallet.errors
class Error:
    SubnetDoesNotExist = error(0, "The subnet does not exist, check the netuid parameter")
    MaxValidatorsLargerThanMaxUIds = error(1, """
        The maximum number of subnet validators must be less than the maximum number of allowed UIDs in the subnet.
    """)
    MaxAllowedUIdsLessThanCurrentUIds = error(2, """
        The maximum number of subnet validators must be more than the current number of UIDs already in the subnet.
    """)
    BondsMovingAverageMaxReached = error(3, "The maximum value for bonds moving average is reached")
    NegativeSigmoidSteepness = error(4, "Only root can set negative sigmoid steepness values")
    ValueNotInBounds = error(5, "Value not in allowed bounds.")
    MinAllowedUidsGreaterThanCurrentUids = error(6, """
        The minimum allowed UIDs must be less than the current number of UIDs in the subnet.
    """)
    MinAllowedUidsGreaterThanMaxAllowedUids = error(7, "The minimum allowed UIDs must be less than the maximum allowed UIDs.")
    MaxAllowedUidsLessThanMinAllowedUids = error(8, "The maximum allowed UIDs must be greater than the minimum allowed UIDs.")
    MaxAllowedUidsGreaterThanDefaultMaxAllowedUids = error(9, """
        The maximum allowed UIDs must be less than the default maximum allowed UIDs.
    """)
    InvalidValue = error(10, "Bad parameter value")
    # Newer than spec 381 (main's next error; ITEMS_BEYOND_381).
    NotPermittedOnRootSubnet = error(11, "Operation is not permitted on the root network.")
