"""Registry: declarations against the real spec-381 metadata, and the rules of subtensor's
pallet_registry (its tests.rs at spec 381 is empty: the scenarios follow lib.rs)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.registry as registry
import pysubtensor.pallets.system as system
import pysubtensor.runtime  # noqa: F401  (binds every pallet's Config)
from pysubtensor.pallets.balances import fungible, holds
from pysubtensor.pallets.registry import DATA, IDENTITY_INFO, Event, raw
from pysubtensor.pallets.subtensor.neurons.storage import Uids
from pysubtensor.pallets.subtensor.staking.storage import Owner
from pysubtensor.pallets.subtensor.subnets.storage import SubnetOwner
from pysubtensor.pallets.support.dispatch import Origin
from pysubtensor.primitives import externalities
from pysubtensor.primitives.externalities import Externalities, using
from tests.support.events import capture_events
from tests.support.metadata import DEVNET_381, RUNTIME_WIDE, assert_pallet_matches, summary_pallet
from tests.support.state import DictBackend


def test_registry_metadata_equals_spec_381() -> None:
    assert_pallet_matches(registry.pallet, DEVNET_381, stop=RUNTIME_WIDE)
    s = summary_pallet("Registry")
    assert (s["calls"], s["events"], s["errors"], s["storage"], s["constants"]) == (2, 2, 3, 1, 3)


# ---------------------------------------------------------------------------
# Scenarios (the rules of lib.rs; the runtime's `AllowIdentityReg` decides who may register)

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
HOTKEY = bytes(range(32))
REASON = ("Registry", "RegistryIdentity")
DEPOSIT = 100_000_000  # InitialDeposit and FieldDeposit: 0.1 TAO each


def info(additional: int = 0, display: bytes = b"alice") -> dict[str, Any]:
    none = ("None", None)
    return {"additional": [(raw(b"k%d" % i), raw(b"v")) for i in range(additional)], "display": raw(display),
            "legal": none, "web": none, "riot": none, "email": none, "pgp_fingerprint": None, "image": none,
            "twitter": none}


@pytest.fixture
def events() -> Iterator[list[tuple[str, Any]]]:
    with capture_events(system.pallet, balances.pallet, registry.pallet) as collected, \
            using(Externalities(DictBackend())):
        fungible.mint_into(ALICE, 10 * 10**9)
        fungible.mint_into(BOB, 10 * 10**9)
        SubnetOwner.insert(1, ALICE)
        collected.clear()
        yield collected


def call(origin: Origin, name: str, **args: Any) -> Any:
    with externalities.current().transaction():
        return registry.pallet.dispatch(origin, (name, args))


def test_data_encodes_as_the_pallet_does() -> None:
    """types.rs `Data`: Raw(n bytes) is the byte n + 1 then the bytes; hashes 66..69."""
    assert DATA.encode(raw(b"abc")) == b"\x04abc"
    assert DATA.encode(("None", None)) == b"\x00"
    assert DATA.encode(("Sha256", b"\x11" * 32)) == b"\x43" + b"\x11" * 32
    assert DATA.decode_all(b"\x41" + b"x" * 64) == ("Raw64", b"x" * 64)
    assert IDENTITY_INFO.decode_all(IDENTITY_INFO.encode(info(1))) == info(1)


def test_subnet_owner_sets_and_clears_own_identity(events: list) -> None:
    call(Origin.signed(ALICE), "set_identity", identified=ALICE, info=info())
    assert registry.IdentityOf.get(ALICE) == registry.Registration(DEPOSIT, info())
    assert holds.balance_on_hold(REASON, ALICE) == DEPOSIT
    # one more field: the extra field deposit is held on top
    call(Origin.signed(ALICE), "set_identity", identified=ALICE, info=info(1))
    assert holds.balance_on_hold(REASON, ALICE) == 2 * DEPOSIT
    # back to none: the difference is released
    call(Origin.signed(ALICE), "set_identity", identified=ALICE, info=info(0, b"again"))
    assert holds.balance_on_hold(REASON, ALICE) == DEPOSIT
    call(Origin.signed(ALICE), "clear_identity", identified=ALICE)
    assert registry.IdentityOf.get(ALICE) is None and holds.balance_on_hold(REASON, ALICE) == 0
    assert fungible.balance(ALICE) == 10 * 10**9
    assert [e for p, e in events if p == "Registry"] == [Event.IdentitySet(ALICE)] * 3 + [Event.IdentityDissolved(ALICE)]


def test_coldkey_registers_its_root_hotkey(events: list) -> None:
    with pytest.raises(registry.Error.CannotRegister):
        call(Origin.signed(BOB), "set_identity", identified=HOTKEY, info=info())
    Owner.insert(HOTKEY, BOB)
    with pytest.raises(registry.Error.CannotRegister):  # not on the root network yet
        call(Origin.signed(BOB), "set_identity", identified=HOTKEY, info=info())
    Uids.insert(0, HOTKEY, 0)
    call(Origin.signed(BOB), "set_identity", identified=HOTKEY, info=info())
    assert holds.balance_on_hold(REASON, BOB) == DEPOSIT


def test_bad_input_changes_nothing(events: list) -> None:
    with pytest.raises(registry.Error.CannotRegister):  # Bob owns no subnet
        call(Origin.signed(BOB), "set_identity", identified=BOB, info=info())
    with pytest.raises(registry.Error.TooManyFieldsInIdentityInfo):
        call(Origin.signed(ALICE), "set_identity", identified=ALICE, info=info(2))
    with pytest.raises(registry.Error.NotRegistered):
        call(Origin.signed(ALICE), "clear_identity", identified=ALICE)
    poor = bytes([7] * 32)
    fungible.mint_into(poor, DEPOSIT)
    SubnetOwner.insert(2, poor)
    with pytest.raises(Exception) as e:  # the deposit would take the account below ED
        call(Origin.signed(poor), "set_identity", identified=poor, info=info())
    assert e.value.value == ("Token", "FundsUnavailable")
    assert registry.IdentityOf.get(poor) is None and registry.IdentityOf.get(ALICE) is None
    assert [p for p, _ in events if p == "Registry"] == []
