"""SubtensorModule's storage items newer than spec 381 (pallets/subtensor/storage_beyond_381.py)
against what we did not write:

- name and value type equal bittensor 11.3.0's generated layer (`bittensor/_generated/storage.py`,
  written by its codegen from the newer runtime's metadata), read from the client's own venv;
- they come after spec 381's items, and the rest of the pallet is spec 381's (test_subtensor_storage);
- hashers and defaults are the newer runtime's (see the module docstring for sources): keys as
  substrate-interface's scalecodec hashes them, default bytes, and the value read when absent;
- main's burn rule surface (`register_limit`, AdminUtils `sudo_set_burn_half_life` /
  `sudo_set_burn_increase_mult`, their events and errors, `Hyperparameter`'s two new variants):
  arguments, argument types and docs as the SDK's generated calls and errors; indices as
  subtensor main's source declares them (dispatches.rs `call_index(134)`, admin-utils lib.rs
  `call_index(89)` / `(90)`, the 4th and 5th event, the 12th error, `BurnHalfLife = 26`).
"""

from __future__ import annotations

import ast

from substrateinterface.utils import hasher as hasher_lib

from pysubtensor.pallets.subtensor import pallet
from pysubtensor.pallets.subtensor.storage_beyond_381 import STORAGE_BEYOND_381
from pysubtensor.primitives.externalities import Externalities, using
from pysubtensor.runtime.metadata import metadata_v15
from tests.conformance.test_shield_metadata import generated
from tests.support.metadata import ITEMS_BEYOND_381, summary_pallet
from tests.support.state import DictBackend

ALICE = bytes(range(32))


def ours():
    md = metadata_v15()
    return md, next(p for p in md.pallets if p.name == "SubtensorModule")


def sdk_items() -> dict[str, str]:
    cls = next(n for n in generated("storage").body if isinstance(n, ast.ClassDef) and n.name == "SubtensorModule")
    return {a.value.args[1].value: a.value.args[2].value for a in cls.body if isinstance(a, ast.Assign)}


def test_names_and_value_types_are_the_sdks():
    md, pal = ours()
    entries = {e.name: e for e in pal.storage.entries}
    theirs = sdk_items()

    def type_ident(type_id: int) -> str:
        ty = md.types.type(type_id)
        if ty.path:
            return ty.path[-1]
        return "()" if not hasattr(ty.type_def, "primitive") and not ty.type_def.fields else str(ty.type_def.primitive)

    for name in STORAGE_BEYOND_381:
        assert type_ident(entries[name].ty.value) == theirs[name], name


def test_they_follow_spec381s_items():
    _, pal = ours()
    names = [e.name for e in pal.storage.entries]
    assert tuple(ITEMS_BEYOND_381["SubtensorModule"]["storage"]) == STORAGE_BEYOND_381
    assert names == summary_pallet("SubtensorModule")["storage_list"] + list(STORAGE_BEYOND_381)


def _entry(name: str):
    return next(e for e in ours()[1].storage.entries if e.name == name)


def test_hashers_modifiers_and_defaults():
    """CollateralLockShare: Identity NetUid -> u16, ValueQuery, 0; SubnetEpochConsensus:
    Identity NetUid -> EpochConsensus, ValueQuery, Yuma (variant 0 of Yuma, Null);
    LastPowRegistrationBlock: Blake2_128Concat AccountId -> u64, OptionQuery."""
    md = metadata_v15()
    share, mode, pow_block, half_life, mult = (_entry(n) for n in STORAGE_BEYOND_381[:5])
    assert (list(share.ty.hashers), share.modifier, share.default) == (["Identity"], "Default", b"\0\0")
    assert (list(mode.ty.hashers), mode.modifier, mode.default) == (["Identity"], "Default", b"\0")
    assert [v.name for v in md.types.type(mode.ty.value).type_def.variants] == ["Yuma", "Null"]
    assert (list(pow_block.ty.hashers), pow_block.modifier, pow_block.default) == (["Blake2_128Concat"], "Optional", b"\0")
    # BurnHalfLife: Identity NetUid -> u16, ValueQuery, 360; BurnIncreaseMult: -> U64F64, 1.26.
    assert (list(half_life.ty.hashers), half_life.modifier, half_life.default) == (["Identity"], "Default",
                                                                                   (360).to_bytes(2, "little"))
    # `U64F64::from_num(1.26)`: the double 1.26 is 5674535530486825 / 2^52, exact in 64 fraction bits.
    assert (list(mult.ty.hashers), mult.modifier) == (["Identity"], "Default")
    assert mult.default == (5674535530486825 << 12).to_bytes(16, "little")
    assert md.types.type(mult.ty.value).path == ["substrate_fixed", "FixedU128"]


def test_epoch_schedule_items():
    """main lib.rs: LastEpochBlock, PendingEpochAt, SubnetEpochIndex: Identity NetUid -> u64,
    ValueQuery, `DefaultZeroU64`; MaxEpochsPerBlock: a u8 value, `InitialMaxEpochsPerBlock` of
    main's runtime (`prod_or_fast!(2, 32)`, 32 in a fast-runtime build as ours)."""
    for name in ("LastEpochBlock", "PendingEpochAt", "SubnetEpochIndex"):
        entry = _entry(name)
        assert (list(entry.ty.hashers), entry.modifier, entry.default) == (["Identity"], "Default", bytes(8)), name
    cap = _entry("MaxEpochsPerBlock")
    assert not hasattr(cap.ty, "hashers") and (cap.modifier, cap.default) == ("Default", bytes([32]))
    with using(Externalities(DictBackend())):
        assert pallet.Storage.MaxEpochsPerBlock.get() == 32
        assert pallet.Storage.SubnetEpochIndex.get(5) == 0


def test_keys_are_the_ones_substrate_interface_hashes():
    """Each key is `xxh128(pallet) ++ xxh128(item) ++ hasher(SCALE key)` with substrate-interface's
    hashers, for the hasher our served metadata names."""
    for name, raw, args in (("CollateralLockShare", (7).to_bytes(2, "little"), (7,)),
                            ("BurnHalfLife", (3).to_bytes(2, "little"), (3,)),
                            ("BurnIncreaseMult", (300).to_bytes(2, "little"), (300,)),
                            ("SubnetEpochConsensus", (513).to_bytes(2, "little"), (513,)),
                            ("LastEpochBlock", (9).to_bytes(2, "little"), (9,)),
                            ("PendingEpochAt", (9).to_bytes(2, "little"), (9,)),
                            ("SubnetEpochIndex", (64).to_bytes(2, "little"), (64,)),
                            ("LastPowRegistrationBlock", ALICE, (ALICE,))):
        (hasher,) = _entry(name).ty.hashers
        fn = {"Identity": hasher_lib.identity, "Blake2_128Concat": hasher_lib.blake2_128_concat}[hasher]
        expected = hasher_lib.xxh128(b"SubtensorModule") + hasher_lib.xxh128(name.encode()) + fn(raw)
        assert getattr(pallet.Storage, name).hashed_key(*args) == expected, name


def test_absent_values_read_as_the_defaults():
    """No collateral (the whole price burned), the Yuma epoch, no PoW registration."""
    with using(Externalities(DictBackend())):
        assert pallet.Storage.CollateralLockShare.get(1) == 0
        assert pallet.Storage.SubnetEpochConsensus.get(1) == "Yuma"
        assert pallet.Storage.LastPowRegistrationBlock.get(ALICE) is None
        assert pallet.Storage.BurnHalfLife.get(1) == 360
        assert pallet.Storage.BurnIncreaseMult.get(1) == 5674535530486825 << 12


# ---------------------------------------------------------------------------
# main's burn-rule calls, events and errors


def _variants(pallet_name: str, part: str) -> dict:
    md = metadata_v15()
    p = next(p for p in md.pallets if p.name == pallet_name)
    return {v.name: v for v in md.types.type(getattr(p, part).ty).type_def.variants}


def _sdk_calls(pallet_name: str) -> dict[str, tuple[list[tuple[str, str]], str]]:
    """name -> ([(argument, its type as annotated by the codegen)], docstring) from the SDK's calls."""
    cls = next(n for n in generated("calls").body if isinstance(n, ast.ClassDef) and n.name == pallet_name)
    out = {}
    for fn in cls.body:
        if isinstance(fn, ast.FunctionDef):
            out[fn.name] = ([(a.arg, a.annotation.value) for a in fn.args.args], ast.get_docstring(fn, clean=False))
    return out


def _sdk_errors() -> dict[tuple[str, str], str]:
    errors = next(n for n in generated("errors").body if isinstance(n, ast.AnnAssign) and n.target.id == "ERRORS")
    return {(v.args[0].value, v.args[1].value): v.args[2].value for v in errors.value.values}


def _type_ident(type_id: int) -> str:
    ty = metadata_v15().types.type(type_id)
    return ty.path[-1] if ty.path else str(ty.type_def.primitive)


def _field_ident(field) -> str:
    """How the SDK's codegen annotates an argument: the type's path name, else the field's type name."""
    ty = metadata_v15().types.type(field.ty)
    return ty.path[-1] if ty.path else field.type_name


#: Docs of main's source that the SDK's newer runtime rewrote: there `set_tempo` is a deprecated
#: no-op ("Deprecated compatibility entry point retained for call-index stability. ..."), in main
#: (the behaviour this runtime follows) the owner's tempo setter. Its docs are main's
#: dispatches.rs; its name, index and arguments are still the SDK's.
DOCS_OF_MAIN = {("SubtensorModule", "set_tempo"): "Owner-side `set_tempo`. Validates `[MinTempo, MaxTempo]`, applies a "
                "fixed `MinTempo`-block cooldown via `TransactionType::TempoUpdate`, respects the admin freeze window, "
                "and resets the cycle (`LastEpochBlock = current_block`) on success."}


def test_beyond_381_calls_are_the_sdks():
    for pallet_name in ("SubtensorModule", "AdminUtils"):
        theirs = _sdk_calls(pallet_name)
        ours_ = _variants(pallet_name, "calls")
        for name in ITEMS_BEYOND_381[pallet_name]["calls"]:
            variant = ours_[name]
            args, docs = theirs[name]
            assert [f.name for f in variant.fields] == [a for a, _ in args], name
            assert [_field_ident(f) for f in variant.fields] == [t for _, t in args], name
            docs = DOCS_OF_MAIN.get((pallet_name, name), docs)
            assert " ".join(line.strip() for line in variant.docs) == docs, name


def test_beyond_381_indices_are_mains():
    assert _variants("SubtensorModule", "calls")["register_limit"].index == 134
    calls = _variants("AdminUtils", "calls")
    assert (calls["sudo_set_burn_half_life"].index, calls["sudo_set_burn_increase_mult"].index) == (89, 90)
    events = _variants("AdminUtils", "event")
    assert [(events[n].index, [f.name for f in events[n].fields]) for n in ("BurnHalfLifeSet", "BurnIncreaseMultSet")] \
        == [(3, ["netuid", "burn_half_life"]), (4, ["netuid", "burn_increase_mult"])]
    assert _type_ident(events["BurnIncreaseMultSet"].fields[1].ty) == "FixedU128"
    # AdminUtils' next error keeps main's index (the SDK's table: (19, 11)); SubtensorModule's
    # follows spec 381's 131 errors here, while main has it at 136.
    assert _variants("AdminUtils", "error")["NotPermittedOnRootSubnet"].index == 11
    assert _sdk_error_keys()[("AdminUtils", "NotPermittedOnRootSubnet")] == (19, 11)
    assert _variants("SubtensorModule", "error")["RegistrationPriceLimitExceeded"].index == 131


EPOCH_EVENTS = ("MaxEpochsPerBlockSet", "EpochTriggered", "EpochDeferred", "EpochSkipped")
EPOCH_ERRORS = ("TempoOutOfBounds", "EpochTriggerAlreadyPending", "AutoEpochAlreadyImminent",
                "DynamicTempoBlockedByCommitReveal")


def test_epoch_schedule_calls_events_and_errors():
    """main's dispatches.rs `call_index(139)` (`set_tempo`) and `(141)` (`trigger_epoch`),
    admin-utils lib.rs `call_index(96)` (`sudo_set_max_epochs_per_block`); the events' fields as
    main's events.rs declares them (after spec 381's 120 events and main's 4 lock events here);
    the errors after 381's, main's burn rule's and its locks' (ActiveLockExists 136), in main's order (the SDK's table:
    144, 146, 147, 148 in main)."""
    assert _variants("SubtensorModule", "calls")["trigger_epoch"].index == 141
    assert _variants("SubtensorModule", "calls")["set_tempo"].index == 139
    assert _variants("AdminUtils", "calls")["sudo_set_max_epochs_per_block"].index == 96
    events = _variants("SubtensorModule", "event")
    assert [(events[n].index, [f.name for f in events[n].fields], [_type_ident(f.ty) for f in events[n].fields])
            for n in EPOCH_EVENTS] == [
        (124, [None], ["u8"]),
        (125, ["netuid", "by", "fires_at"], ["u16", "AccountId32", "u64"]),
        (126, ["netuid", "from_block", "to_block"], ["u16", "u64", "u64"]),
        (127, ["netuid", "block"], ["u16", "u64"])]
    errors = _variants("SubtensorModule", "error")
    assert [errors[n].index for n in EPOCH_ERRORS] == [137, 138, 139, 140]
    keys = _sdk_error_keys()
    assert [keys[("SubtensorModule", n)][1] for n in EPOCH_ERRORS] == [144, 146, 147, 148]


def _sdk_error_keys() -> dict[tuple[str, str], tuple[int, int]]:
    errors = next(n for n in generated("errors").body if isinstance(n, ast.AnnAssign) and n.target.id == "ERRORS")
    return {(v.args[0].value, v.args[1].value): (k.elts[0].value, k.elts[1].value)
            for k, v in zip(errors.value.keys, errors.value.values, strict=True)}


def test_beyond_381_errors_docs_are_the_sdks():
    theirs = _sdk_errors()
    for pallet_name in ("SubtensorModule", "AdminUtils"):
        ours_ = _variants(pallet_name, "error")
        for name in ITEMS_BEYOND_381[pallet_name]["errors"]:
            assert " ".join(line.strip() for line in ours_[name].docs) == theirs[(pallet_name, name)], name


def test_hyperparameter_continues_with_mains_burn_variants():
    from pysubtensor.pallets.subtensor.types import HYPERPARAMETER

    names = [v.name for v in HYPERPARAMETER.variants]
    assert (names.index("MaxAllowedUids"), names.index("BurnHalfLife"), names.index("BurnIncreaseMult")) == (25, 26, 27)
    assert names.index("TriggerEpoch") == 31  # main's rate_limiting.rs
    assert [v.index for v in HYPERPARAMETER.variants] == list(range(len(names)))


# ---------------------------------------------------------------------------
# main's stake locks (staking/lock.py) and `move_stake_limit`

BOB = bytes(range(32, 64))


def test_lock_storage_hashers_modifiers_and_defaults():
    """As main's lib.rs declares them (14bc6f9): hashers in key order, Optional / Default, and
    the default bytes (AccountFlags 0u128, OwnerCutAutoLockEnabled false, both rates 934_866)."""
    expected = {
        "AccountFlags": (["Blake2_128Concat"], "Default", bytes(16)),
        "Lock": (["Blake2_128Concat", "Identity", "Blake2_128Concat"], "Optional", b"\0"),
        "LockingColdkeys": (["Identity", "Blake2_128Concat", "Blake2_128Concat"], "Optional", b"\0"),
        "HotkeyLock": (["Identity", "Blake2_128Concat"], "Optional", b"\0"),
        "DecayingHotkeyLock": (["Identity", "Blake2_128Concat"], "Optional", b"\0"),
        "OwnerLock": (["Identity"], "Optional", b"\0"),
        "DecayingOwnerLock": (["Identity"], "Optional", b"\0"),
        "DecayingLock": (["Blake2_128Concat", "Identity"], "Optional", b"\0"),
        "OwnerCutAutoLockEnabled": (["Identity"], "Default", b"\0"),
        "MaturityRate": (None, "Default", (934_866).to_bytes(8, "little")),
        "UnlockRate": (None, "Default", (934_866).to_bytes(8, "little")),
    }
    for name, (hashers, modifier, default) in expected.items():
        entry = _entry(name)
        got = list(entry.ty.hashers) if hasattr(entry.ty, "hashers") else None
        assert (got, entry.modifier, entry.default) == (hashers, modifier, default), name


def test_lock_state_is_mains_struct():
    """`pallet_subtensor::staking::lock::LockState { locked_mass: AlphaBalance, conviction:
    U64F64, last_update: u64 }`, encoded as scalecodec encodes that shape."""
    from scalecodec.base import RuntimeConfiguration, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    from pysubtensor.pallets.subtensor.types import LockState

    md = metadata_v15()
    ty = md.types.type(_entry("Lock").ty.value)
    assert ty.path == ["pallet_subtensor", "staking", "lock", "LockState"]
    assert [(f.name, f.type_name) for f in ty.type_def.fields] == [
        ("locked_mass", "AlphaBalance"), ("conviction", "U64F64"), ("last_update", "u64")]
    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("core"))
    rc.update_type_registry({"types": {"LockStateT": {"type": "struct", "type_mapping": [
        ["locked_mass", "u64"], ["conviction", "u128"], ["last_update", "u64"]]}}})
    value = LockState(locked_mass=7_000_000_000, conviction=(3 << 64) + 5, last_update=1234)
    obj = rc.create_scale_object("LockStateT", ScaleBytes(value.encode()))
    assert obj.decode() == {"locked_mass": 7_000_000_000, "conviction": (3 << 64) + 5, "last_update": 1234}


def test_lock_keys_are_the_ones_substrate_interface_hashes():
    lock_key = (hasher_lib.xxh128(b"SubtensorModule") + hasher_lib.xxh128(b"Lock") + hasher_lib.blake2_128_concat(ALICE)
                + hasher_lib.identity((3).to_bytes(2, "little")) + hasher_lib.blake2_128_concat(BOB))
    assert pallet.Storage.Lock.hashed_key(ALICE, 3, BOB) == lock_key
    flags_key = hasher_lib.xxh128(b"SubtensorModule") + hasher_lib.xxh128(b"AccountFlags") + hasher_lib.blake2_128_concat(ALICE)
    assert pallet.Storage.AccountFlags.hashed_key(ALICE) == flags_key


def test_lock_calls_events_and_move_stake_limit_indices_are_mains():
    """Call indices as main's dispatches.rs (lock_stake 136, move_lock 137, set_perpetual_lock
    138, set_reject_locked_alpha 142) and RaoFoundation/subtensor's (move_stake_limit 149); the
    events' fields as main's events.rs; the errors follow 381's (and RegistrationPriceLimitExceeded)
    where main has them at 137, 138, 139, 149, 140 (the SDK's table)."""
    calls = _variants("SubtensorModule", "calls")
    assert {n: calls[n].index for n in ("lock_stake", "move_lock", "set_perpetual_lock", "set_reject_locked_alpha",
                                        "move_stake_limit")} == {
        "lock_stake": 136, "move_lock": 137, "set_perpetual_lock": 138, "set_reject_locked_alpha": 142,
        "move_stake_limit": 149}
    events = _variants("SubtensorModule", "event")
    assert [(n, [f.name for f in events[n].fields]) for n in ITEMS_BEYOND_381["SubtensorModule"]["events"][:4]] == [
        ("StakeLocked", ["coldkey", "hotkey", "netuid", "amount"]),
        ("LockMoved", ["coldkey", "origin_hotkey", "destination_hotkey", "netuid"]),
        ("PerpetualLockUpdated", ["coldkey", "netuid", "enabled"]),
        ("RejectLockedAlphaUpdated", ["coldkey", "enabled"])]
    errors = _variants("SubtensorModule", "error")
    sdk = _sdk_error_keys()
    for name, main_index in (("LockHotkeyMismatch", 137), ("InsufficientStakeForLock", 138),
                             ("NoExistingLock", 139), ("AccountRejectsLockedAlpha", 149), ("ActiveLockExists", 140)):
        assert sdk[("SubtensorModule", name)] == (7, main_index)
    assert [errors[n].index for n in ("LockHotkeyMismatch", "InsufficientStakeForLock", "NoExistingLock",
                                      "AccountRejectsLockedAlpha", "ActiveLockExists")] == [132, 133, 134, 135, 136]
    # The lock checks fail with 381's `CannotUnstakeLock`: the variant the SDK calls
    # `StakeUnavailable` (same docs role, one index later in main).
    assert sdk[("SubtensorModule", "StakeUnavailable")] == (7, 75)
    assert errors["CannotUnstakeLock"].index == 74
