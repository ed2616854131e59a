"""AdminUtils (pallet 19): its declarations against spec 381's metadata, and its setters'
origins, checks, rate limits, freeze window and events, ported from subtensor's
pallets/admin-utils/src/tests/mod.rs (each test names the Rust test it ports), driven
in-process with System, SubtensorModule and AdminUtils bound."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.admin_utils as au
import pysubtensor.pallets.aura as aura
import pysubtensor.pallets.grandpa as grandpa
import pysubtensor.pallets.subtensor as subtensor
from pysubtensor.pallets.admin_utils import PrecompileEnable
from pysubtensor.pallets.subtensor.coinbase.schedule import (
    blocks_until_next_auto_epoch,
    epochs_deferred_this_block,
    get_next_epoch_start_block,
    should_run_epoch,
)
from pysubtensor.pallets.subtensor.coinbase.storage import EMAPriceHalvingBlocks, FlowNormExponent
from pysubtensor.pallets.subtensor.constants import Constants as SubtensorConstants
from pysubtensor.pallets.subtensor.epoch.storage import (
    ActivityCutoff,
    AlphaSigmoidSteepness,
    AlphaValues,
    BondsMovingAverage,
    Incentive,
    LiquidAlphaOn,
    MinActivityCutoff,
    Rho,
)
from pysubtensor.pallets.subtensor.events import Event as SubtensorEvent
from pysubtensor.pallets.subtensor.hierarchy.storage import MaxDelegateTake
from pysubtensor.pallets.subtensor.neurons.storage import (
    ImmuneOwnerUidsLimit,
    MaxAllowedUids,
    MaxBurn,
    MinAllowedUids,
    MinBurn,
    MinNonImmuneUids,
    SubnetworkN,
)
from pysubtensor.pallets.subtensor.serving.storage import ServingRateLimit, TransactionKeyLastBlock
from pysubtensor.pallets.subtensor.storage_beyond_381 import LastEpochBlock, MaxEpochsPerBlock, PendingEpochAt
from pysubtensor.pallets.subtensor.subnets.storage import (
    AdminFreezeWindow,
    MaxMechanismCount,
    MechanismCountCurrent,
    MechanismEmissionSplit,
    NetworkPowRegistrationAllowed,
    NetworkRegistrationAllowed,
    NetworksAdded,
    OwnerHyperparamRateLimit,
    StartCallDelay,
    SubnetOwner,
    SubnetOwnerHotkey,
    Tempo,
)
from pysubtensor.pallets.subtensor.utils import admin
from pysubtensor.pallets.subtensor.utils.neuron_lookup import get_mechanism_storage_index
from pysubtensor.pallets.subtensor.utils.storage import LastRateLimitedBlock
from pysubtensor.pallets.subtensor.weights.storage import (
    RevealPeriodEpochs,
    Weights,
    WeightsVersionKey,
    WeightsVersionKeyRateLimit,
)
from pysubtensor.pallets.support.dispatch import DispatchClass, DispatchError, Origin, Pays, Weight
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.pallets.system.pallet import Digest, Number
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.header import Consensus
from pysubtensor.primitives.keyring import Keypair
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.support.metadata import (
    DEVNET_381,
    ITEMS_BEYOND_381,
    RUNTIME_WIDE,
    VARIANTS_BEYOND_381,
    TypeWalker,
    assert_pallet_matches,
    real_metadata,
    real_pallet,
    summary_pallet,
)

#: spec 381's calls this node does not declare yet: none.
NOT_DECLARED: set[str] = set()
#: main's calls newer than spec 381 (the burn rule's setters), after 381's: checked against the
#: SDK's generated layer and main in tests/conformance/test_subtensor_beyond_381.py.
BEYOND = set(ITEMS_BEYOND_381["AdminUtils"]["calls"])


# ---------------------------------------------------------------------------
# Declarations match spec 381


def test_storage_events_errors_and_constants_are_spec_381s():
    assert_pallet_matches(au.pallet, DEVNET_381, sections=("storage", "constants", "associated_types"))
    real = real_pallet(DEVNET_381, "AdminUtils")
    ours = TypeRegistry()
    walk = TypeWalker(ours, real_metadata(DEVNET_381).types, frozenset(RUNTIME_WIDE), extra=VARIANTS_BEYOND_381)
    walk.same(ours.register(au.pallet.event_enum), real.event.ty, "AdminUtils event")
    walk.same(ours.register(au.pallet.error_enum), real.error.ty, "AdminUtils error")


def test_each_declared_call_is_spec_381s_call_variant():
    """Name, index, docs, argument names, Rust type names and types of every call declared,
    compared variant by variant; the calls not declared are exactly NOT_DECLARED."""
    real = real_pallet(DEVNET_381, "AdminUtils")
    md = real_metadata(DEVNET_381)
    real_variants = {v.name: v for v in md.types.type(real.calls.ty).type_def.variants}
    ours = TypeRegistry()
    walk = TypeWalker(ours, md.types, frozenset(RUNTIME_WIDE))
    declared = {v.name: v for v in au.pallet.call_enum.variants if v.name not in BEYOND}
    assert set(real_variants) - set(declared) == NOT_DECLARED
    assert set(declared) <= set(real_variants)
    for name, ov in declared.items():
        rv = real_variants[name]
        assert ov.index == rv.index, name
        assert list(ov.docs) == list(rv.docs), name
        assert [(f.name, f.type_name) for f in ov.fields] == [(f.name, f.type_name) for f in rv.fields], name
        for f, rf in zip(ov.fields, rv.fields, strict=True):
            walk.same(ours.register(f.codec), rf.ty, f"{name}.{f.name}")


def test_declared_calls_follow_the_spec_381_metadata_order():
    real_order = [c["name"] for c in summary_pallet("AdminUtils")["call_list"] if c["name"] not in NOT_DECLARED]
    assert [v.name for v in au.pallet.call_enum.variants] == real_order + list(ITEMS_BEYOND_381["AdminUtils"]["calls"])


# ---------------------------------------------------------------------------
# A chain to run the setters on: System, SubtensorModule and AdminUtils bound over a fresh
# state, at block 1 with a one-block admin freeze window (the Rust tests' `new_test_ext`).

ROOT = Origin.root()


def acct(n: int) -> bytes:
    """The Rust tests' `U256::from(n)` account, as an AccountId32."""
    return n.to_bytes(32, "little")


#: AdminUtils bound as subtensor's runtime binds it: Aura's and GRANDPA's pallets behind its
#: authority calls.
ADMIN_UTILS_CONFIG = au.Config(deposit_event=lambda pallet, event: None, aura=aura, grandpa=grandpa)


@pytest.fixture
def chain() -> Iterator[tuple[Externalities, list]]:
    with au.pallet.bound(ADMIN_UTILS_CONFIG), frame_env(subtensor.pallet, au.pallet, grandpa.pallet) as ext, \
            capture_events(subtensor.pallet, au.pallet, grandpa.pallet) as events:
        Number.put(1)
        AdminFreezeWindow.put(1)
        yield ext, events


def add_network(netuid: int, tempo: int) -> None:
    """The state the Rust tests' `add_network` leaves that these setters read (a subnet that
    exists, with its tempo; registration allowed). SubtensorModule's `init_new_network` is
    not ported yet."""
    NetworksAdded.insert(netuid, True)
    Tempo.insert(netuid, tempo)
    NetworkRegistrationAllowed.insert(netuid, True)
    NetworkPowRegistrationAllowed.insert(netuid, True)


def run_to_block(n: int) -> None:
    """Only the block number moves: no SubtensorModule hooks exist yet."""
    Number.put(max(Number.get(), n))


def call(origin: Origin, name: str, **args: Any) -> None:
    au.pallet.dispatch(origin, (name, args))


def state(ext: Externalities) -> dict[bytes, bytes | None]:
    return {k: ext.get(k) for k in ext.keys_with_prefix(b"")}


def fails(ext: Externalities, origin: Origin, name: str, **args: Any) -> Any:
    """The dispatch error the call fails with (its encoded value); the call changed nothing."""
    before = state(ext)
    with pytest.raises(DispatchError) as e:
        call(origin, name, **args)
    assert state(ext) == before, f"{name} failed half-way"
    return e.value.value


def module_error(pallet_name: str, error_name: str) -> tuple:
    """The `Module` dispatch error spec 381 gives `pallet_name`'s `error_name` (indices from
    the real metadata's summary)."""
    p = summary_pallet(pallet_name)
    (index,) = [i for i, n in p["error_list"] if n == error_name]
    return ("Module", {"index": p["index"], "error": bytes((index, 0, 0, 0))})


BAD_ORIGIN = "BadOrigin"
SUBNET_DOES_NOT_EXIST = module_error("AdminUtils", "SubnetDoesNotExist")
TX_RATE_LIMIT_EXCEEDED = module_error("SubtensorModule", "TxRateLimitExceeded")
FROZEN = module_error("SubtensorModule", "AdminActionProhibitedDuringWeightsWindow")


def subtensor_events(events: list) -> list:
    return [e for p, e in events if p == "SubtensorModule"]


# ---------------------------------------------------------------------------
# Root-only global setters


def test_sudo_set_default_take(chain) -> None:
    ext, events = chain
    init = MaxDelegateTake.get()
    assert fails(ext, Origin.signed(acct(0)), "sudo_set_default_take", default_take=10) == BAD_ORIGIN
    assert MaxDelegateTake.get() == init
    call(ROOT, "sudo_set_default_take", default_take=10)
    assert MaxDelegateTake.get() == 10
    assert subtensor_events(events) == [SubtensorEvent.MaxDelegateTakeSet(10)]


def test_sudo_set_admin_freeze_window_and_rate(chain) -> None:
    ext, events = chain
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_admin_freeze_window", window=7) == BAD_ORIGIN
    call(ROOT, "sudo_set_admin_freeze_window", window=7)
    assert AdminFreezeWindow.get() == 7
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_owner_hparam_rate_limit", epochs=5) == BAD_ORIGIN
    call(ROOT, "sudo_set_owner_hparam_rate_limit", epochs=5)
    assert OwnerHyperparamRateLimit.get() == 5
    assert subtensor_events(events) == [SubtensorEvent.AdminFreezeWindowSet(7),
                                        SubtensorEvent.OwnerHyperparamRateLimitSet(5)]


def test_sudo_set_max_mechanism_count(chain) -> None:
    ext, _ = chain
    call(ROOT, "sudo_set_max_mechanism_count", max_mechanism_count=10)
    assert MaxMechanismCount.get() == 10
    invalid = module_error("SubtensorModule", "InvalidValue")
    assert fails(ext, ROOT, "sudo_set_max_mechanism_count", max_mechanism_count=0) == invalid
    assert fails(ext, ROOT, "sudo_set_max_mechanism_count", max_mechanism_count=16 + 1) == invalid
    call(ROOT, "sudo_set_max_mechanism_count", max_mechanism_count=16)  # MAX_MECHANISM_COUNT_PER_SUBNET


def test_sudo_set_tao_flow_normalization_exponent_is_between_one_and_two(chain) -> None:
    """Not in the Rust tests: the call's own bound, 1 <= exponent <= 2 (U64F64)."""
    ext, _ = chain
    one = 1 << 64
    invalid = module_error("AdminUtils", "InvalidValue")
    assert fails(ext, ROOT, "sudo_set_tao_flow_normalization_exponent", exponent=one - 1) == invalid
    assert fails(ext, ROOT, "sudo_set_tao_flow_normalization_exponent", exponent=2 * one + 1) == invalid
    for value in (one, 2 * one):
        call(ROOT, "sudo_set_tao_flow_normalization_exponent", exponent=value)
        assert FlowNormExponent.get() == value


def test_sudo_toggle_evm_precompile(chain) -> None:
    ext, events = chain
    assert PrecompileEnable.get("BalanceTransfer") is True  # the default
    assert fails(ext, Origin.signed(acct(0)), "sudo_toggle_evm_precompile",
                 precompile_id="BalanceTransfer", enabled=False) == BAD_ORIGIN
    call(ROOT, "sudo_toggle_evm_precompile", precompile_id="BalanceTransfer", enabled=False)
    assert events == [("AdminUtils", au.Event.PrecompileUpdated(precompile_id="BalanceTransfer", enabled=False))]
    assert PrecompileEnable.get("BalanceTransfer") is False
    events.clear()
    call(ROOT, "sudo_toggle_evm_precompile", precompile_id="BalanceTransfer", enabled=False)
    assert events == []  # no event without a change
    call(ROOT, "sudo_toggle_evm_precompile", precompile_id="BalanceTransfer", enabled=True)
    assert PrecompileEnable.get("BalanceTransfer") is True


# ---------------------------------------------------------------------------
# Per-subnet setters: origins, the subnet's existence, bounds


def test_sudo_set_serving_rate_limit(chain) -> None:
    """Owner-or-root, without a subnet-existence check (netuid 3 does not exist)."""
    ext, events = chain
    init = ServingRateLimit.get(3)
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_serving_rate_limit", netuid=3, serving_rate_limit=10) \
        == BAD_ORIGIN
    assert ServingRateLimit.get(3) == init
    call(ROOT, "sudo_set_serving_rate_limit", netuid=3, serving_rate_limit=10)
    assert ServingRateLimit.get(3) == 10
    assert subtensor_events(events) == [SubtensorEvent.ServingRateLimitSet(3, 10)]


@pytest.mark.parametrize(("name", "arg", "item", "event"), [
    ("sudo_set_min_difficulty", "min_difficulty", "MinDifficulty", "MinDifficultySet"),     # test_sudo_set_min_difficulty
    ("sudo_set_max_difficulty", "max_difficulty", "MaxDifficulty", "MaxDifficultySet"),     # test_sudo_set_max_difficulty
    ("sudo_set_weights_version_key", "weights_version_key", "WeightsVersionKey", "WeightsVersionKeySet"),
    ("sudo_set_weights_set_rate_limit", "weights_set_rate_limit", "WeightsSetRateLimit", "WeightsSetRateLimitSet"),
    ("sudo_set_adjustment_interval", "adjustment_interval", "AdjustmentInterval", "AdjustmentIntervalSet"),
    ("sudo_set_adjustment_alpha", "adjustment_alpha", "AdjustmentAlpha", "AdjustmentAlphaSet"),
    ("sudo_set_immunity_period", "immunity_period", "ImmunityPeriod", "ImmunityPeriodSet"),
    ("sudo_set_min_allowed_weights", "min_allowed_weights", "MinAllowedWeights", "MinAllowedWeightSet"),
    ("sudo_set_kappa", "kappa", "Kappa", "KappaSet"),
    ("sudo_set_rho", "rho", "Rho", None),
    ("sudo_set_target_registrations_per_interval", "target_registrations_per_interval",
     "TargetRegistrationsPerInterval", "RegistrationPerIntervalSet"),
    ("sudo_set_difficulty", "difficulty", "Difficulty", "DifficultySet"),
    ("sudo_set_max_allowed_validators", "max_allowed_validators", "MaxAllowedValidators", "MaxAllowedValidatorsSet"),
    ("sudo_set_bonds_moving_average", "bonds_moving_average", "BondsMovingAverage", "BondsMovingAverageSet"),
    ("sudo_set_bonds_penalty", "bonds_penalty", "BondsPenalty", "BondsPenaltySet"),
    ("sudo_set_max_registrations_per_block", "max_registrations_per_block", "MaxRegistrationsPerBlock",
     "MaxRegistrationsPerBlockSet"),
    ("sudo_set_tempo", "tempo", "Tempo", "TempoSet"),
    ("sudo_set_rao_recycled", "rao_recycled", "RAORecycledForRegistration", "RAORecycledForRegistrationSet"),
])
def test_sudo_set_subnet_value(chain, name, arg, item, event) -> None:
    """test_sudo_set_<item> for each (Rust: one test per setter, same steps): a signed
    non-owner is BadOrigin, an unknown subnet SubnetDoesNotExist, nothing changes; root sets
    the value and SubtensorModule deposits its event (Rho's setter deposits none)."""
    ext, events = chain
    storage = subtensor.pallet.Storage.__getattr__(item)
    add_network(1, 10)
    events.clear()
    init = storage.get(1)
    assert fails(ext, Origin.signed(acct(1)), name, netuid=1, **{arg: 10}) == BAD_ORIGIN
    assert fails(ext, ROOT, name, netuid=2, **{arg: 10}) == SUBNET_DOES_NOT_EXIST
    assert storage.get(1) == init
    call(ROOT, name, netuid=1, **{arg: 10})
    assert storage.get(1) == 10
    expected = [getattr(SubtensorEvent, event)(1, 10)] if event else []
    assert subtensor_events(events) == expected


@pytest.mark.parametrize(("name", "arg"), [
    ("sudo_set_min_difficulty", "min_difficulty"), ("sudo_set_weights_set_rate_limit", "weights_set_rate_limit"),
    ("sudo_set_adjustment_interval", "adjustment_interval"), ("sudo_set_kappa", "kappa"),
    ("sudo_set_target_registrations_per_interval", "target_registrations_per_interval"),
    ("sudo_set_difficulty", "difficulty"), ("sudo_set_max_allowed_validators", "max_allowed_validators"),
    ("sudo_set_max_registrations_per_block", "max_registrations_per_block"), ("sudo_set_tempo", "tempo"),
    ("sudo_set_rao_recycled", "rao_recycled"), ("sudo_set_min_allowed_uids", "min_allowed_uids"),
    ("sudo_set_subtoken_enabled", "subtoken_enabled"), ("sudo_set_min_non_immune_uids", "min"),
    ("sudo_set_network_registration_allowed", "registration_allowed"),
])
def test_root_only_setters_refuse_the_subnet_owner(chain, name, arg) -> None:
    """These use `ensure_root` in Rust: even the subnet's owner is BadOrigin."""
    ext, _ = chain
    add_network(1, 10)
    SubnetOwner.insert(1, acct(7))
    assert fails(ext, Origin.signed(acct(7)), name, netuid=1, **{arg: 1}) == BAD_ORIGIN


@pytest.mark.parametrize(("name", "arg", "value", "item"), [
    ("sudo_set_serving_rate_limit", "serving_rate_limit", 10, "ServingRateLimit"),
    ("sudo_set_max_difficulty", "max_difficulty", 10, "MaxDifficulty"),
    ("sudo_set_adjustment_alpha", "adjustment_alpha", 10, "AdjustmentAlpha"),
    ("sudo_set_immunity_period", "immunity_period", 10, "ImmunityPeriod"),
    ("sudo_set_min_allowed_weights", "min_allowed_weights", 10, "MinAllowedWeights"),
    ("sudo_set_rho", "rho", 10, "Rho"),
    ("sudo_set_activity_cutoff", "activity_cutoff", 5000, "ActivityCutoff"),
    ("sudo_set_network_pow_registration_allowed", "registration_allowed", False, "NetworkPowRegistrationAllowed"),
    ("sudo_set_min_burn", "min_burn", 1_000_000, "MinBurn"),
    ("sudo_set_max_burn", "max_burn", 100_000_001, "MaxBurn"),
    ("sudo_set_bonds_moving_average", "bonds_moving_average", 10, "BondsMovingAverage"),
    ("sudo_set_bonds_penalty", "bonds_penalty", 10, "BondsPenalty"),
    ("sudo_set_commit_reveal_weights_enabled", "enabled", False, "CommitRevealWeightsEnabled"),
    ("sudo_set_liquid_alpha_enabled", "enabled", True, "LiquidAlphaOn"),
    ("sudo_set_commit_reveal_weights_interval", "interval", 3, "RevealPeriodEpochs"),
    ("sudo_set_toggle_transfer", "toggle", False, "TransferToggle"),
    ("sudo_set_recycle_or_burn", "recycle_or_burn", "Recycle", "RecycleOrBurn"),
    ("sudo_set_alpha_sigmoid_steepness", "steepness", 5000, "AlphaSigmoidSteepness"),
    ("sudo_set_yuma3_enabled", "enabled", True, "Yuma3On"),
    ("sudo_set_bonds_reset_enabled", "enabled", True, "BondsResetOn"),
    ("sudo_set_owner_immune_neuron_limit", "immune_neurons", 5, "ImmuneOwnerUidsLimit"),
    ("sudo_set_max_allowed_uids", "max_allowed_uids", 128, "MaxAllowedUids"),
])
def test_subnet_owner_sets_once_per_rate_limit(chain, name, arg, value, item) -> None:
    """The setters Rust opens to the subnet owner: the owner sets, then is refused with
    TxRateLimitExceeded until OwnerHyperparamRateLimit (2) tempos have passed; root is never
    rate limited."""
    ext, _ = chain
    storage = subtensor.pallet.Storage.__getattr__(item)
    add_network(1, 10)
    MinAllowedUids.insert(1, 2)  # the Rust mock's InitialMinAllowedUids
    owner = acct(10)
    SubnetOwner.insert(1, owner)
    assert fails(ext, Origin.signed(acct(11)), name, netuid=1, **{arg: value}) == BAD_ORIGIN
    call(Origin.signed(owner), name, netuid=1, **{arg: value})
    assert storage.get(1) == value
    assert fails(ext, Origin.signed(owner), name, netuid=1, **{arg: value}) == TX_RATE_LIMIT_EXCEEDED
    call(ROOT, name, netuid=1, **{arg: value})
    run_to_block(1 + 2 * 10 - 1)
    AdminFreezeWindow.put(0)
    assert fails(ext, Origin.signed(owner), name, netuid=1, **{arg: value}) == TX_RATE_LIMIT_EXCEEDED
    run_to_block(1 + 2 * 10)
    call(Origin.signed(owner), name, netuid=1, **{arg: value})


def test_sudo_set_weights_version_key_rate_limit(chain) -> None:
    """The owner's version-key changes are limited by WeightsVersionKeyRateLimit tempos, kept
    in TransactionKeyLastBlock under (owner, netuid, SetWeightsVersionKey = 4)."""
    ext, _ = chain
    add_network(1, 10)
    owner = acct(1)
    SubnetOwner.insert(1, owner)
    period = WeightsVersionKeyRateLimit.get() * Tempo.get(1)
    call(Origin.signed(owner), "sudo_set_weights_version_key", netuid=1, weights_version_key=10)
    assert WeightsVersionKey.get(1) == 10
    assert TransactionKeyLastBlock.get(owner, 1, 4) == 1
    assert not admin.passes_rate_limit_on_subnet("SetWeightsVersionKey", owner, 1)
    assert fails(ext, Origin.signed(owner), "sudo_set_weights_version_key", netuid=1, weights_version_key=11) \
        == TX_RATE_LIMIT_EXCEEDED
    run_to_block(period + 1)
    assert admin.passes_rate_limit_on_subnet("SetWeightsVersionKey", owner, 1)
    AdminFreezeWindow.put(0)
    call(Origin.signed(owner), "sudo_set_weights_version_key", netuid=1, weights_version_key=11)
    assert WeightsVersionKey.get(1) == 11


def test_sudo_set_weights_version_key_rate_limit_root(chain) -> None:
    """Root is not rate limited."""
    add_network(1, 10)
    SubnetOwner.insert(1, acct(1))
    call(ROOT, "sudo_set_weights_version_key", netuid=1, weights_version_key=10)
    call(ROOT, "sudo_set_weights_version_key", netuid=1, weights_version_key=11)
    assert WeightsVersionKey.get(1) == 11


def test_sudo_set_max_allowed_uids(chain) -> None:
    ext, events = chain
    add_network(1, 10)
    MinAllowedUids.insert(1, 2)  # the Rust mock's InitialMinAllowedUids
    SubnetworkN.insert(1, 9)     # what registering 9 neurons leaves (registration is not ported yet)
    assert fails(ext, Origin.signed(acct(42)), "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=12) == BAD_ORIGIN
    assert fails(ext, ROOT, "sudo_set_max_allowed_uids", netuid=42, max_allowed_uids=12) == SUBNET_DOES_NOT_EXIST
    assert fails(ext, ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=2 - 1) == \
        module_error("AdminUtils", "MaxAllowedUidsLessThanMinAllowedUids")
    assert fails(ext, ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=9 - 1) == \
        module_error("AdminUtils", "MaxAllowedUIdsLessThanCurrentUIds")
    assert fails(ext, ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=256 + 1) == \
        module_error("AdminUtils", "MaxAllowedUidsGreaterThanDefaultMaxAllowedUids")
    MaxAllowedUids.insert(1, 8)
    MechanismCountCurrent.insert(1, 32)
    assert fails(ext, ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=16) == \
        module_error("SubtensorModule", "TooManyUIDsPerMechanism")
    MechanismCountCurrent.insert(1, 1)
    events.clear()
    call(ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=12)
    assert MaxAllowedUids.get(1) == 12
    assert subtensor_events(events) == [SubtensorEvent.MaxAllowedUidsSet(1, 12)]
    call(ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=9)  # exactly the current UIDs
    MinAllowedUids.insert(1, 9)
    call(ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=9)  # the lower bound
    call(ROOT, "sudo_set_max_allowed_uids", netuid=1, max_allowed_uids=256)  # the upper bound
    assert MaxAllowedUids.get(1) == 256


def test_sudo_set_min_allowed_uids(chain) -> None:
    ext, events = chain
    add_network(1, 10)
    SubnetworkN.insert(1, 17)  # 17 neurons registered
    call(ROOT, "sudo_set_min_allowed_uids", netuid=1, min_allowed_uids=8)
    assert MinAllowedUids.get(1) == 8
    assert subtensor_events(events) == [SubtensorEvent.MinAllowedUidsSet(1, 8)]
    assert fails(ext, Origin.signed(acct(0)), "sudo_set_min_allowed_uids", netuid=1, min_allowed_uids=8) == BAD_ORIGIN
    assert fails(ext, ROOT, "sudo_set_min_allowed_uids", netuid=42, min_allowed_uids=8) == SUBNET_DOES_NOT_EXIST
    assert fails(ext, ROOT, "sudo_set_min_allowed_uids", netuid=1, min_allowed_uids=MaxAllowedUids.get(1) + 1) == \
        module_error("AdminUtils", "MinAllowedUidsGreaterThanMaxAllowedUids")
    assert fails(ext, ROOT, "sudo_set_min_allowed_uids", netuid=1, min_allowed_uids=17 + 1) == \
        module_error("AdminUtils", "MinAllowedUidsGreaterThanCurrentUids")


def test_sudo_set_activity_cutoff(chain) -> None:
    ext, events = chain
    add_network(1, 10)
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_activity_cutoff", netuid=1, activity_cutoff=5000) == BAD_ORIGIN
    assert fails(ext, ROOT, "sudo_set_activity_cutoff", netuid=2, activity_cutoff=5000) == SUBNET_DOES_NOT_EXIST
    assert fails(ext, ROOT, "sudo_set_activity_cutoff", netuid=1, activity_cutoff=MinActivityCutoff.get() - 1) == \
        module_error("SubtensorModule", "ActivityCutoffTooLow")
    call(ROOT, "sudo_set_activity_cutoff", netuid=1, activity_cutoff=MinActivityCutoff.get())
    assert ActivityCutoff.get(1) == MinActivityCutoff.get()
    assert subtensor_events(events) == [SubtensorEvent.ActivityCutoffSet(1, MinActivityCutoff.get())]


def test_sudo_set_max_allowed_validators_is_at_most_max_allowed_uids(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    assert fails(ext, ROOT, "sudo_set_max_allowed_validators", netuid=1, max_allowed_validators=256 + 1) == \
        module_error("AdminUtils", "MaxValidatorsLargerThanMaxUIds")
    call(ROOT, "sudo_set_max_allowed_validators", netuid=1, max_allowed_validators=256)


def test_sudo_set_bonds_moving_average_owner_ceiling(chain) -> None:
    """An owner may set at most 975000; root may set more."""
    ext, _ = chain
    add_network(1, 10)
    SubnetOwner.insert(1, acct(1))
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_bonds_moving_average", netuid=1,
                 bonds_moving_average=975_001) == module_error("AdminUtils", "BondsMovingAverageMaxReached")
    call(ROOT, "sudo_set_bonds_moving_average", netuid=1, bonds_moving_average=975_001)
    call(Origin.signed(acct(1)), "sudo_set_bonds_moving_average", netuid=1, bonds_moving_average=975_000)
    assert BondsMovingAverage.get(1) == 975_000


def test_sudo_set_alpha_sigmoid_steepness(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    init = AlphaSigmoidSteepness.get(1)
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_alpha_sigmoid_steepness", netuid=1, steepness=5000) \
        == BAD_ORIGIN
    assert fails(ext, ROOT, "sudo_set_alpha_sigmoid_steepness", netuid=2, steepness=5000) == SUBNET_DOES_NOT_EXIST
    SubnetOwner.insert(1, acct(10))
    assert fails(ext, Origin.signed(acct(10)), "sudo_set_alpha_sigmoid_steepness", netuid=1, steepness=-5000) \
        == module_error("AdminUtils", "NegativeSigmoidSteepness")
    assert AlphaSigmoidSteepness.get(1) == init
    call(ROOT, "sudo_set_alpha_sigmoid_steepness", netuid=1, steepness=5000)
    assert AlphaSigmoidSteepness.get(1) == 5000
    call(ROOT, "sudo_set_alpha_sigmoid_steepness", netuid=1, steepness=-5000)
    assert AlphaSigmoidSteepness.get(1) == -5000


def test_sudo_get_set_alpha(chain) -> None:
    """The owner's subnet (registered in Rust through register_network, here its resulting
    owner and the mock's tempo 0, under which nothing is rate limited or frozen)."""
    ext, _ = chain
    low, high = 1638, 0xFFFF - 10
    owner = acct(1 + 456)
    LiquidAlphaOn.insert(1, True)
    assert fails(ext, Origin.signed(owner), "sudo_set_alpha_values", netuid=1, alpha_low=low, alpha_high=high) \
        == BAD_ORIGIN
    add_network(1, 0)
    SubnetOwner.insert(1, owner)
    signer = Origin.signed(owner)
    call(signer, "sudo_set_alpha_values", netuid=1, alpha_low=low, alpha_high=high)
    assert AlphaValues.get(1) == (low, high)
    LiquidAlphaOn.insert(1, False)
    assert fails(ext, signer, "sudo_set_alpha_values", netuid=1, alpha_low=low, alpha_high=high) == \
        module_error("SubtensorModule", "LiquidAlphaDisabled")
    LiquidAlphaOn.insert(1, True)
    assert fails(ext, signer, "sudo_set_alpha_values", netuid=1, alpha_low=low, alpha_high=0xFFFF // 40 - 1) == \
        module_error("SubtensorModule", "AlphaHighTooLow")
    assert fails(ext, signer, "sudo_set_alpha_values", netuid=1, alpha_low=0, alpha_high=high) == \
        module_error("SubtensorModule", "AlphaLowOutOfRange")
    assert fails(ext, signer, "sudo_set_alpha_values", netuid=1, alpha_low=high + 1, alpha_high=high) == \
        module_error("SubtensorModule", "AlphaLowOutOfRange")
    call(signer, "sudo_set_alpha_values", netuid=1, alpha_low=low, alpha_high=high)


@pytest.mark.parametrize("name", ["sudo_set_sn_owner_hotkey", "sudo_set_subnet_owner_hotkey"])
def test_set_sn_owner_hotkey_owner(chain, name) -> None:
    ext, _ = chain
    add_network(1, 10)
    owner, hotkey = acct(10), acct(3)
    SubnetOwner.insert(1, owner)
    assert fails(ext, Origin.signed(acct(4)), name, netuid=1, hotkey=hotkey) == BAD_ORIGIN
    call(Origin.signed(owner), name, netuid=1, hotkey=hotkey)
    assert SubnetOwnerHotkey.get(1) == hotkey
    assert LastRateLimitedBlock.get(("SetSNOwnerHotkey", 1)) == 1
    assert fails(ext, Origin.signed(owner), name, netuid=1, hotkey=hotkey) == TX_RATE_LIMIT_EXCEEDED
    run_to_block(1 + 50_400)  # DefaultSetSNOwnerHotkeyRateLimit
    call(Origin.signed(owner), name, netuid=1, hotkey=acct(5))
    assert SubnetOwnerHotkey.get(1) == acct(5)


def test_set_sn_owner_hotkey_root(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    SubnetOwner.insert(1, acct(10))
    call(ROOT, "sudo_set_sn_owner_hotkey", netuid=1, hotkey=acct(3))
    assert SubnetOwnerHotkey.get(1) == acct(3)
    assert fails(ext, ROOT, "sudo_set_sn_owner_hotkey", netuid=2, hotkey=acct(3)) == \
        module_error("SubtensorModule", "SubnetNotExists")


@pytest.mark.parametrize(("name", "item", "event"), [
    ("sudo_set_bonds_reset_enabled", "BondsResetOn", "BondsResetToggled"),
    ("sudo_set_yuma3_enabled", "Yuma3On", "Yuma3EnableToggled"),
])
def test_sudo_set_bonds_reset_and_yuma3_enabled(chain, name, item, event) -> None:
    """test_sudo_set_bonds_reset_enabled, test_sudo_set_yuma3_enabled; with the events: AdminUtils'
    own toggle event, and for bonds reset SubtensorModule's BondsResetOnSet before it."""
    ext, events = chain
    storage = subtensor.pallet.Storage.__getattr__(item)
    add_network(1, 10)
    init = storage.get(1)
    assert fails(ext, Origin.signed(acct(1)), name, netuid=1, enabled=True) == BAD_ORIGIN
    events.clear()
    call(ROOT, name, netuid=1, enabled=True)
    assert storage.get(1) is True and init is False
    expected = [("AdminUtils", getattr(au.Event, event)(netuid=1, enabled=True))]
    if item == "BondsResetOn":
        expected.insert(0, ("SubtensorModule", SubtensorEvent.BondsResetOnSet(1, True)))
    assert events == expected
    SubnetOwner.insert(1, acct(1))
    call(Origin.signed(acct(1)), name, netuid=1, enabled=False)
    assert storage.get(1) is False


def test_sudo_set_min_burn(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    MaxBurn.insert(1, 1_000_000_000)  # the Rust mock's InitialMaxBurn
    init = MinBurn.get(1)
    call(ROOT, "sudo_set_min_burn", netuid=1, min_burn=1_000_000)
    assert MinBurn.get(1) == 1_000_000 != init
    assert fails(ext, ROOT, "sudo_set_min_burn", netuid=42, min_burn=1_000_000) == SUBNET_DOES_NOT_EXIST
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_min_burn", netuid=1, min_burn=1_000_000) == BAD_ORIGIN
    out_of_bounds = module_error("AdminUtils", "ValueNotInBounds")
    upper = SubtensorConstants.MinBurnUpperBound
    assert fails(ext, ROOT, "sudo_set_min_burn", netuid=1, min_burn=upper + 1) == out_of_bounds
    MaxBurn.insert(1, 500_000_000)
    assert fails(ext, ROOT, "sudo_set_min_burn", netuid=1, min_burn=500_000_000) == out_of_bounds  # not below max
    call(ROOT, "sudo_set_min_burn", netuid=1, min_burn=500_000_000 - 1)


def test_sudo_set_max_burn(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    init = MaxBurn.get(1)
    call(ROOT, "sudo_set_max_burn", netuid=1, max_burn=100_000_001)
    assert MaxBurn.get(1) == 100_000_001 != init
    assert fails(ext, ROOT, "sudo_set_max_burn", netuid=42, max_burn=100_000_001) == SUBNET_DOES_NOT_EXIST
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_max_burn", netuid=1, max_burn=100_000_001) == BAD_ORIGIN
    out_of_bounds = module_error("AdminUtils", "ValueNotInBounds")
    lower = SubtensorConstants.MaxBurnLowerBound
    assert fails(ext, ROOT, "sudo_set_max_burn", netuid=1, max_burn=lower) == out_of_bounds
    MinBurn.insert(1, 200_000_000)
    assert fails(ext, ROOT, "sudo_set_max_burn", netuid=1, max_burn=200_000_000) == out_of_bounds  # not above min


def test_sudo_set_commit_reveal_weights_interval_bounds(chain) -> None:
    """sudo_set_commit_reveal_weights_interval: reveal periods of 1 to 100 epochs."""
    ext, events = chain
    add_network(1, 10)
    assert fails(ext, ROOT, "sudo_set_commit_reveal_weights_interval", netuid=1, interval=101) == \
        module_error("SubtensorModule", "RevealPeriodTooLarge")
    assert fails(ext, ROOT, "sudo_set_commit_reveal_weights_interval", netuid=1, interval=0) == \
        module_error("SubtensorModule", "RevealPeriodTooSmall")
    call(ROOT, "sudo_set_commit_reveal_weights_interval", netuid=1, interval=100)
    assert RevealPeriodEpochs.get(1) == 100
    assert subtensor_events(events) == [SubtensorEvent.CommitRevealPeriodsSet(1, 100)]


def test_sudo_set_owner_immune_neuron_limit_bounds(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    invalid = module_error("SubtensorModule", "InvalidValue")
    assert fails(ext, ROOT, "sudo_set_owner_immune_neuron_limit", netuid=1, immune_neurons=0) == invalid
    assert fails(ext, ROOT, "sudo_set_owner_immune_neuron_limit", netuid=1, immune_neurons=11) == invalid
    for n in (1, 10):
        call(ROOT, "sudo_set_owner_immune_neuron_limit", netuid=1, immune_neurons=n)
        assert ImmuneOwnerUidsLimit.get(1) == n


# ---------------------------------------------------------------------------
# The freeze window and the owner rate limit


def test_freeze_window_blocks_root_and_owner(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    call(ROOT, "sudo_set_admin_freeze_window", window=3)
    LastEpochBlock.insert(1, 0)  # main's test pins the anchor: the next epoch is at 0 + tempo
    run_to_block(10 - 2)  # 2 blocks left: inside the window
    assert blocks_until_next_auto_epoch(1, 10, 8) == 2
    assert fails(ext, ROOT, "sudo_set_min_burn", netuid=1, min_burn=123) == FROZEN
    SubnetOwner.insert(1, acct(9))
    assert fails(ext, Origin.signed(acct(9)), "sudo_set_commit_reveal_weights_interval", netuid=1, interval=77) \
        == FROZEN


def test_freeze_window_edges(chain) -> None:
    """Not a Rust test: the window is the last `AdminFreezeWindow` blocks before the next
    automatic epoch (`LastEpochBlock + tempo - block < window`); `sudo_set_tempo` restarts the
    cycle at its block (main's `apply_tempo_with_cycle_reset`); a pending owner trigger
    freezes until it fires; tempo 0 is never frozen."""
    ext, _ = chain
    add_network(1, 10)
    AdminFreezeWindow.put(3)
    run_to_block(7)  # anchor 0: 3 left, open
    call(ROOT, "sudo_set_tempo", netuid=1, tempo=10)
    assert LastEpochBlock.get(1) == 7  # next epoch at 17
    run_to_block(14)  # 3 left: open
    call(ROOT, "sudo_set_difficulty", netuid=1, difficulty=4)
    run_to_block(15)  # 2 left: frozen
    assert fails(ext, ROOT, "sudo_set_tempo", netuid=1, tempo=10) == FROZEN
    LastEpochBlock.insert(1, 15)  # the epoch ran: open again...
    call(ROOT, "sudo_set_difficulty", netuid=1, difficulty=5)
    PendingEpochAt.insert(1, 16)  # ...until an owner's trigger is pending
    assert fails(ext, ROOT, "sudo_set_difficulty", netuid=1, difficulty=6) == FROZEN
    Tempo.insert(1, 0)
    call(ROOT, "sudo_set_difficulty", netuid=1, difficulty=7)


def test_owner_hyperparam_update_rate_limit_enforced(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    owner = acct(5)
    SubnetOwner.insert(1, owner)
    Tempo.insert(1, 1)  # owner rate limit: 2 tempos = 2 blocks
    call(ROOT, "sudo_set_admin_freeze_window", window=0)
    call(Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=1, interval=11)
    assert fails(ext, Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=1, interval=12) \
        == TX_RATE_LIMIT_EXCEEDED
    run_to_block(Number.get() + 1)
    assert fails(ext, Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=1, interval=13) \
        == TX_RATE_LIMIT_EXCEEDED
    run_to_block(Number.get() + 1)
    call(Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=1, interval=14)
    assert RevealPeriodEpochs.get(1) == 14
    assert LastRateLimitedBlock.get(("OwnerHyperparamUpdate", (1, "WeightCommitInterval"))) == 3


def test_owner_hyperparam_rate_limit_independent_per_param(chain) -> None:
    ext, _ = chain
    add_network(7, 10)
    owner = acct(123)
    SubnetOwner.insert(7, owner)
    Tempo.insert(7, 1)
    call(ROOT, "sudo_set_admin_freeze_window", window=0)
    call(Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=7, interval=10)
    assert fails(ext, Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=7, interval=11) \
        == TX_RATE_LIMIT_EXCEEDED
    call(Origin.signed(owner), "sudo_set_rho", netuid=7, rho=5)
    assert fails(ext, Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=7, interval=12) \
        == TX_RATE_LIMIT_EXCEEDED
    assert fails(ext, Origin.signed(owner), "sudo_set_rho", netuid=7, rho=6) == TX_RATE_LIMIT_EXCEEDED
    run_to_block(Number.get() + 2)
    call(Origin.signed(owner), "sudo_set_commit_reveal_weights_interval", netuid=7, interval=13)
    call(Origin.signed(owner), "sudo_set_rho", netuid=7, rho=7)
    assert (RevealPeriodEpochs.get(7), Rho.get(7)) == (13, 7)


def test_sudo_set_start_call_delay(chain) -> None:
    """The permission and event half of test_sudo_set_start_call_delay_permissions_and_zero_delay
    (start_call itself is SubtensorModule's, not ported yet)."""
    ext, events = chain
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_start_call_delay", delay=0) == BAD_ORIGIN
    call(ROOT, "sudo_set_start_call_delay", delay=0)
    assert StartCallDelay.get() == 0
    assert events[-1] == ("SubtensorModule", SubtensorEvent.StartCallDelaySet(0))


def test_sudo_set_network_pow_registration_allowed(chain) -> None:
    ext, _ = chain
    add_network(1, 10)
    NetworkPowRegistrationAllowed.insert(1, False)
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_network_pow_registration_allowed", netuid=1,
                 registration_allowed=True) == BAD_ORIGIN
    assert NetworkPowRegistrationAllowed.get(1) is False
    call(ROOT, "sudo_set_network_pow_registration_allowed", netuid=1, registration_allowed=True)
    assert NetworkPowRegistrationAllowed.get(1) is True


def test_set_alpha_values_dispatch_info_ok() -> None:
    """Normal class, fee paid; the weight is the Rust `#[pallet::weight]`:
    from_parts(25_280_000, 4089) + 3 reads + 1 write of RocksDbWeight (25 µs, 100 µs)."""
    info = au.pallet.dispatch_info(("sudo_set_alpha_values", {"netuid": 1, "alpha_low": 1638,
                                                                "alpha_high": 0xFFFF - 10}))
    assert (info.dispatch_class, info.pays_fee) == (DispatchClass.NORMAL, Pays.YES)
    assert info.weight == Weight(25_280_000 + 3 * 25_000_000 + 100_000_000, 4089)


# ---------------------------------------------------------------------------
# Authority changes, through Aura and GRANDPA


def test_swap_authorities_changes_auras_set_and_logs_it(chain) -> None:
    """Not in the Rust tests (its mock's Aura is `()`): root only; Aura's `change_authorities`
    puts the set and deposits `Consensus(b"aura", AuthoritiesChange(keys))`: variant 1, then
    the SCALE `Vec` of 32-byte keys (compact length 2 = 0x08); an empty set changes nothing."""
    ext, _ = chain
    keys = [bytes([1]) * 32, bytes([2]) * 32]
    assert fails(ext, Origin.signed(acct(1)), "swap_authorities", new_authorities=keys) == BAD_ORIGIN
    call(ROOT, "swap_authorities", new_authorities=keys)
    assert aura.Authorities.get() == keys
    assert Digest.get().logs == [Consensus(b"aura", b"\x01\x08" + keys[0] + keys[1])]
    call(ROOT, "swap_authorities", new_authorities=[])
    assert aura.Authorities.get() == keys and len(Digest.get().logs) == 1


def test_schedule_grandpa_change(chain) -> None:
    ext, _ = chain
    assert grandpa.grandpa_authorities() == []
    bob = Keypair.from_uri("//Bob", "ed25519").account_id
    assert fails(ext, Origin.signed(acct(1)), "schedule_grandpa_change", next_authorities=[(bob, 1)],
                 in_blocks=41, forced=None) == BAD_ORIGIN
    call(ROOT, "schedule_grandpa_change", next_authorities=[(bob, 1)], in_blocks=41, forced=None)
    # A second change while one is pending is GRANDPA's ChangePending.
    assert fails(ext, ROOT, "schedule_grandpa_change", next_authorities=[(bob, 1)], in_blocks=1, forced=None) \
        == module_error("Grandpa", "ChangePending")
    run_to_block(42)
    grandpa.on_finalize(42)
    assert grandpa.grandpa_authorities() == [(bob, 1)]


# ---------------------------------------------------------------------------
# Mechanisms


def test_sudo_set_mechanism_count(chain) -> None:
    ext, _ = chain
    count_ok = MaxMechanismCount.get()
    assert count_ok == 2  # DefaultMaxMechanismCount
    owner = acct(1324)
    add_network(1, 10)
    SubnetOwner.insert(1, owner)
    MaxAllowedUids.insert(1, 256)
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_mechanism_count", netuid=1, mechanism_count=count_ok) \
        == BAD_ORIGIN
    assert fails(ext, ROOT, "sudo_set_mechanism_count", netuid=1, mechanism_count=count_ok + 1) == \
        module_error("SubtensorModule", "InvalidValue")
    assert fails(ext, ROOT, "sudo_set_mechanism_count", netuid=1, mechanism_count=count_ok) == \
        module_error("SubtensorModule", "TooManyUIDsPerMechanism")
    MaxAllowedUids.insert(1, 128)
    call(ROOT, "sudo_set_mechanism_count", netuid=1, mechanism_count=count_ok)
    call(Origin.signed(owner), "sudo_set_mechanism_count", netuid=1, mechanism_count=count_ok)
    assert MechanismCountCurrent.get(1) == 2


def test_sudo_set_mechanism_count_and_emissions(chain) -> None:
    ext, _ = chain
    owner = Origin.signed(acct(1324))
    add_network(1, 10)
    SubnetOwner.insert(1, acct(1324))
    MaxMechanismCount.put(2)
    MaxAllowedUids.insert(1, 128)
    call(owner, "sudo_set_mechanism_count", netuid=1, mechanism_count=2)
    invalid = module_error("SubtensorModule", "InvalidValue")
    # Two mechanisms: at most two entries, summing to exactly 0xFFFF.
    assert fails(ext, owner, "sudo_set_mechanism_emission_split", netuid=1,
                 maybe_split=[0xFFFF // 5 * 2, 0xFFFF // 5 * 2, 0xFFFF // 5]) == invalid
    assert fails(ext, owner, "sudo_set_mechanism_emission_split", netuid=1,
                 maybe_split=[0xFFFF // 5 * 4, 0xFFFF // 5 - 1]) == invalid
    call(owner, "sudo_set_mechanism_emission_split", netuid=1, maybe_split=[0xFFFF // 5, 0xFFFF // 5 * 4])
    assert MechanismEmissionSplit.get(1) == [0xFFFF // 5, 0xFFFF // 5 * 4]
    assert fails(ext, owner, "sudo_set_mechanism_emission_split", netuid=1,
                 maybe_split=[0xFFFF // 5 * 4, 0xFFFF // 5]) == TX_RATE_LIMIT_EXCEEDED
    assert TransactionKeyLastBlock.get(acct(1324), 1, 8) == 1  # TransactionType::MechanismEmission


def test_lowering_the_mechanism_count_drops_the_removed_mechanisms_state(chain) -> None:
    """update_mechanism_counts_if_needed: mechanism 1's epoch state lives at index 4096 + netuid;
    going back to one mechanism removes it (and resets the split), mechanism 0's stays."""
    add_network(1, 10)
    MaxAllowedUids.insert(1, 128)
    call(ROOT, "sudo_set_mechanism_count", netuid=1, mechanism_count=2)
    call(ROOT, "sudo_set_mechanism_emission_split", netuid=1, maybe_split=[1, 0xFFFF - 1])
    for index in (1, 4096 + 1):
        Weights.insert(index, 0, [(1, 2)])
        Incentive.insert(index, [3])
    run_to_block(2)
    call(ROOT, "sudo_set_mechanism_count", netuid=1, mechanism_count=1)
    assert (Weights.get(4097, 0), Incentive.get(4097)) == ([], [])
    assert (Weights.get(1, 0), Incentive.get(1)) == ([(1, 2)], [3])
    assert MechanismEmissionSplit.get(1) is None and MechanismCountCurrent.get(1) == 1


# ---------------------------------------------------------------------------
# Root-only global setters, each: a signed origin is BadOrigin and changes nothing; root sets
# the item and SubtensorModule deposits the event Rust deposits (None: Rust deposits none).
# Ports test_sudo_subnet_owner_cut, test_sudo_set_issuance, test_sudo_set_stake_threshold,
# test_sudo_set_network_lock_reduction_interval, test_sudo_set_tx_delegate_take_rate_limit,
# test_sudo_set_min_delegate_take, test_sudo_set_coldkey_swap_announcement_delay,
# test_sudo_set_coldkey_swap_reannouncement_delay, test_sudo_set_dissolve_network_schedule_duration,
# test_sudo_set_commit_reveal_version, test_sudo_root_sets_subnet_moving_alpha and the other
# root setters of the same shape.

GLOBAL_SETTERS = [
    ("sudo_set_subnet_owner_cut", "subnet_owner_cut", "SubnetOwnerCut", "SubnetOwnerCutSet"),
    ("sudo_set_total_issuance", "total_issuance", "TotalIssuance", None),
    ("sudo_set_stake_threshold", "min_stake", "StakeThreshold", "StakeThresholdSet"),
    ("sudo_set_lock_reduction_interval", "interval", "NetworkLockReductionInterval",
     "NetworkLockCostReductionIntervalSet"),
    ("sudo_set_tx_delegate_take_rate_limit", "tx_rate_limit", "TxDelegateTakeRateLimit", "TxDelegateTakeRateLimitSet"),
    ("sudo_set_min_delegate_take", "take", "MinDelegateTake", "MinDelegateTakeSet"),
    ("sudo_set_coldkey_swap_announcement_delay", "duration", "ColdkeySwapAnnouncementDelay",
     "ColdkeySwapAnnouncementDelaySet"),
    ("sudo_set_coldkey_swap_reannouncement_delay", "duration", "ColdkeySwapReannouncementDelay",
     "ColdkeySwapReannouncementDelaySet"),
    ("sudo_set_dissolve_network_schedule_duration", "duration", "DissolveNetworkScheduleDuration",
     "DissolveNetworkScheduleDurationSet"),
    ("sudo_set_commit_reveal_version", "version", "CommitRevealWeightsVersion", "CommitRevealVersionSet"),
    ("sudo_set_tx_rate_limit", "tx_rate_limit", "TxRateLimit", "TxRateLimitSet"),
    ("sudo_set_network_rate_limit", "rate_limit", "NetworkRateLimit", "NetworkRateLimitSet"),
    ("sudo_set_network_immunity_period", "immunity_period", "NetworkImmunityPeriod", "NetworkImmunityPeriodSet"),
    ("sudo_set_network_min_lock_cost", "lock_cost", "NetworkMinLockCost", "NetworkMinLockCostSet"),
    ("sudo_set_subnet_limit", "max_subnets", "SubnetLimit", "SubnetLimitSet"),
    ("sudo_set_ck_burn", "burn", "CKBurn", None),
    ("sudo_set_tao_flow_cutoff", "flow_cutoff", "TaoFlowCutoff", None),
    ("sudo_set_tao_flow_smoothing_factor", "smoothing_factor", "FlowEmaSmoothingFactor", None),
    ("sudo_set_start_call_delay", "delay", "StartCallDelay", "StartCallDelaySet"),
    ("sudo_set_subnet_moving_alpha", "alpha", "SubnetMovingAlpha", None),
]


@pytest.mark.parametrize(("name", "arg", "item", "event"), GLOBAL_SETTERS)
def test_root_sets_global_value(chain, name, arg, item, event) -> None:
    ext, events = chain
    storage = subtensor.pallet.Storage.__getattr__(item)
    init = storage.get()
    value = init + 7
    assert fails(ext, Origin.signed(acct(0)), name, **{arg: value}) == BAD_ORIGIN
    assert storage.get() == init
    call(ROOT, name, **{arg: value})
    assert storage.get() == value
    assert subtensor_events(events) == ([getattr(SubtensorEvent, event)(value)] if event else [])


@pytest.mark.parametrize(("name", "arg", "item", "event"), [
    ("sudo_set_commit_reveal_weights_enabled", "enabled", "CommitRevealWeightsEnabled", "CommitRevealEnabled"),
    ("sudo_set_liquid_alpha_enabled", "enabled", "LiquidAlphaOn", None),
    ("sudo_set_toggle_transfer", "toggle", "TransferToggle", "TransferToggle"),
    ("sudo_set_subtoken_enabled", "subtoken_enabled", "SubtokenEnabled", None),
    ("sudo_set_network_registration_allowed", "registration_allowed", "NetworkRegistrationAllowed",
     "RegistrationAllowed"),
    ("sudo_set_network_pow_registration_allowed", "registration_allowed", "NetworkPowRegistrationAllowed",
     "PowRegistrationAllowed"),
])
def test_root_flips_subnet_flag(chain, name, arg, item, event) -> None:
    """test_sudo_set_commit_reveal_weights_enabled, test_sudo_set_liquid_alpha_enabled and the
    other subnet flags: root flips the flag; SubtensorModule's event where Rust deposits one."""
    storage = subtensor.pallet.Storage.__getattr__(item)
    add_network(1, 10)
    _, events = chain
    value = not storage.get(1)
    events.clear()
    call(ROOT, name, netuid=1, **{arg: value})
    assert storage.get(1) is value
    assert subtensor_events(events) == ([getattr(SubtensorEvent, event)(1, value)] if event else [])


def test_sudo_set_ema_halving(chain) -> None:
    ext, _ = chain
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_ema_price_halving_period", netuid=1, ema_halving=100) \
        == BAD_ORIGIN
    call(ROOT, "sudo_set_ema_price_halving_period", netuid=1, ema_halving=100)
    assert EMAPriceHalvingBlocks.get(1) == 100


def test_sudo_set_min_non_immune_uids(chain) -> None:
    _, events = chain
    add_network(1, 10)
    init = MinNonImmuneUids.get(1)
    call(ROOT, "sudo_set_min_non_immune_uids", netuid=1, min=12)
    assert init != 12 and MinNonImmuneUids.get(1) == 12
    assert subtensor_events(events)[-1] == SubtensorEvent.MinNonImmuneUidsSet(1, 12)


def test_sudo_root_sets_evm_chain_id(chain) -> None:
    """mod.rs `test_sudo_root_sets_evm_chain_id`: `EVMChainId.ChainId` (its key computed by
    substrate-interface's hasher) holds the u64."""
    from substrateinterface.utils.hasher import xxh128

    ext, _ = chain
    key = bytes(xxh128(b"EVMChainId") + xxh128(b"ChainId"))
    assert ext.get(key) is None
    call(Origin.root(), "sudo_set_evm_chain_id", chain_id=945)
    assert ext.get(key) == (945).to_bytes(8, "little")


def test_sudo_non_root_cannot_set_evm_chain_id(chain) -> None:
    """mod.rs `test_sudo_non_root_cannot_set_evm_chain_id`."""
    ext, _ = chain
    assert fails(ext, Origin.signed(acct(0)), "sudo_set_evm_chain_id", chain_id=945) == "BadOrigin"


def test_sudo_set_nominator_min_required_stake(chain) -> None:
    """mod.rs `sudo_set_nominator_min_required_stake::{can_only_be_called_by_admin,
    sets_a_lower_value, sets_a_higher_value}`: the stored value is a per-million factor of
    `DefaultMinStake` (2_000_000 rao)."""
    from pysubtensor.pallets.subtensor.staking.stake_utils import get_nominator_min_required_stake

    ext, _ = chain
    assert fails(ext, Origin.signed(acct(0)), "sudo_set_nominator_min_required_stake",
                 min_stake=get_nominator_min_required_stake() + 5) == "BadOrigin"
    call(Origin.root(), "sudo_set_nominator_min_required_stake", min_stake=10)
    assert get_nominator_min_required_stake() == 10 * 2_000_000 // 1_000_000 == 20
    call(Origin.root(), "sudo_set_nominator_min_required_stake", min_stake=5)
    assert get_nominator_min_required_stake() == 10
    to_be_set = get_nominator_min_required_stake() + 5
    call(Origin.root(), "sudo_set_nominator_min_required_stake", min_stake=to_be_set)
    assert get_nominator_min_required_stake() == to_be_set * 2_000_000 // 1_000_000


def fails_in_layer(ext: Externalities, origin: Origin, name: str, **args: Any) -> Any:
    """`fails` for a call that writes before its last check, as Rust's trimming does
    (`MaxAllowedUids` first): dispatched in a storage layer, as the executive does."""
    before = state(ext)
    with pytest.raises(DispatchError) as e, ext.transaction():
        call(origin, name, **args)
    assert state(ext) == before, f"{name} failed but changed storage"
    return e.value.value


def _trim_subnet(netuid: int, owner: bytes, n: int) -> None:
    """`add_network` and the mock's `register_ok_neuron` for uids 0..n (hotkey (uid+1)*1000 at
    block 0), then past the mock's immunity period (2): Keys, Uids, BlockAtRegistration,
    IsNetworkMember, SubnetworkN as registration leaves them."""
    from pysubtensor.pallets.subtensor.neurons.storage import Keys, Uids
    from pysubtensor.pallets.subtensor.subnets.storage import SubnetOwner as Owner

    S = subtensor.pallet.Storage
    add_network(netuid, 10)
    Owner.insert(netuid, owner)
    S.ImmunityPeriod.insert(netuid, 2)
    for uid in range(n):
        hotkey = acct((uid + 1) * 1000)
        Keys.insert(netuid, uid, hotkey)
        Uids.insert(netuid, hotkey, uid)
        S.BlockAtRegistration.insert(netuid, uid, 0)
        S.IsNetworkMember.insert(hotkey, netuid, True)
    SubnetworkN.insert(netuid, n)
    run_to_block(3)


def test_trim_to_max_allowed_uids(chain) -> None:
    """mod.rs `test_trim_to_max_allowed_uids`: 16 uids trimmed to 8 keeping the highest
    emitters and the immune ones (owner hotkey at uid 7, registered-now uids 6 and 11),
    compressed to the left with weights, bonds and EVM associations remapped."""
    S = subtensor.pallet.Storage
    ext, _ = chain
    netuid, owner, owner_hk1, owner_hk2 = 1, acct(1), acct(2), acct(3)
    _trim_subnet(netuid, owner, 16)
    SubnetOwnerHotkey.insert(netuid, owner_hk1)
    S.ImmuneOwnerUidsLimit.insert(netuid, 2)
    MinAllowedUids.insert(netuid, 4)
    MechanismCountCurrent.insert(netuid, 4)
    values = [17, 42, 8, 56, 23, 91, 34, 77, 12, 65, 3, 88, 29, 51, 74, 39]
    bools = [False, False, False, True, False, True, True, True, False, True, False, True, False, True, True, False]
    S.Emission.insert(netuid, values)
    for name in ("Rank", "Trust", "Consensus", "Dividends", "PruningScores", "ValidatorTrust", "StakeWeight"):
        getattr(S, name).insert(netuid, values)
    S.ValidatorPermit.insert(netuid, bools)
    S.Active.insert(netuid, bools)
    indices = [get_mechanism_storage_index(netuid, m) for m in range(4)]
    for index in indices:
        Incentive.insert(index, values)
        S.LastUpdate.insert(index, values)
    now = Number.get()
    S.BlockAtRegistration.insert(netuid, 6, now)
    S.BlockAtRegistration.insert(netuid, 11, now)
    for uid, hk in ((7, owner_hk1), (14, owner_hk2)):
        S.Keys.insert(netuid, uid, hk)
        S.Uids.insert(netuid, hk, uid)
    evm = {uid: (f"1234567890123456789{k}".encode(), now) for k, uid in ((1, 6), (2, 10), (3, 12), (4, 14))}
    for uid, value in evm.items():
        S.AssociatedEvmAddress.insert(netuid, uid, value)
    for uid in range(16):
        weights = [(t, (uid + t) % 1000) for t in range(16) if t != uid]
        bonds = [(t, (uid * t) % 1000) for t in range(16) if t != uid]
        for index in indices:
            Weights.insert(index, uid, weights)
            S.Bonds.insert(index, uid, bonds)

    call(Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=8)
    expected = [56, 91, 34, 77, 65, 88, 51, 74]
    assert MaxAllowedUids.get(netuid) == 8
    assert S.Emission.get(netuid) == expected
    for name in ("Consensus", "Dividends", "ValidatorTrust", "StakeWeight"):
        assert getattr(S, name).get(netuid) == expected, name
    assert S.Active.get(netuid) == [True] * 8 and S.ValidatorPermit.get(netuid) == [True] * 8
    for index in indices:
        assert Incentive.get(index) == expected and S.LastUpdate.get(index) == expected
    for uid in range(8, 16):
        assert not S.Keys.contains_key(netuid, uid) and not S.BlockAtRegistration.contains_key(netuid, uid)
        assert not S.AssociatedEvmAddress.contains_key(netuid, uid)
        for index in indices:
            assert not Weights.contains_key(index, uid) and not S.Bonds.contains_key(index, uid)
    for n in (1000, 2000, 3000, 5000, 9000, 11000, 13000, 16000):
        assert not S.Uids.contains_key(netuid, acct(n)) and not S.IsNetworkMember.contains_key(acct(n), netuid)
    kept = [3, 5, 6, 7, 9, 11, 13, 14]
    for new, old in enumerate(kept):
        for index in indices:
            # Old uid `old`'s row, remapped: targets among the kept uids, renumbered.
            assert Weights.get(index, new) == [(kept.index(t), (old + t) % 1000) for t in kept if t != old]
            assert S.Bonds.get(index, new) == [(kept.index(t), (old * t) % 1000) for t in kept if t != old]
    assert SubnetworkN.get(netuid) == 8
    for uid in range(8):
        assert S.Uids.get(netuid, S.Keys.get(netuid, uid)) == uid
    assert S.Keys.get(netuid, 3) == owner_hk1 and S.Keys.get(netuid, 7) == owner_hk2
    assert S.AssociatedEvmAddress.get(netuid, 2) == evm[6]
    assert S.AssociatedEvmAddress.get(netuid, 7) == evm[14]

    assert fails_in_layer(ext, Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=42, max_n=8) == \
        module_error("SubtensorModule", "SubnetNotExists")
    assert fails_in_layer(ext, Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=2) == \
        module_error("SubtensorModule", "InvalidValue")
    assert fails_in_layer(ext, Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid,
                 max_n=MaxAllowedUids.get(netuid) + 1) == module_error("SubtensorModule", "InvalidValue")


def test_trim_to_max_allowed_uids_too_many_immune(chain) -> None:
    """mod.rs `test_trim_to_max_allowed_uids_too_many_immune`: 4 immune of max_n 4 or 3 is at
    least 80%; with 2 uids left, max_n 1 is below MinAllowedUids (InvalidValue)."""
    S = subtensor.pallet.Storage
    ext, _ = chain
    netuid, owner = 1, acct(1)
    _trim_subnet(netuid, owner, 5)
    S.ImmuneOwnerUidsLimit.insert(netuid, 2)
    MinAllowedUids.insert(netuid, 2)
    S.OwnedHotkeys.insert(owner, [acct(1000), acct(2000)])
    now = Number.get()
    for uid in (2, 3):
        S.BlockAtRegistration.insert(netuid, uid, now)
    for max_n in (4, 3):
        assert fails_in_layer(ext, Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=max_n) == \
            module_error("SubtensorModule", "TrimmingWouldExceedMaxImmunePercentage")
    for uid in (3, 2):
        hotkey = acct(uid * 1000 + 1000)
        S.Keys.remove(netuid, uid)
        S.Uids.remove(netuid, hotkey)
        S.BlockAtRegistration.remove(netuid, uid)
    assert fails_in_layer(ext, Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=1) == \
        module_error("SubtensorModule", "InvalidValue")


def test_trim_to_max_allowed_uids_immune_share_boundary(chain) -> None:
    """Immune uids must be fewer than `MaxImmuneUidsPercentage` (80%) of max_n: 4 of 5 is
    refused, 3 of 5 allowed (the 3 immune uids stay)."""
    S = subtensor.pallet.Storage
    ext, _ = chain
    netuid = 1
    _trim_subnet(netuid, acct(1), 6)
    MinAllowedUids.insert(netuid, 2)
    S.Emission.insert(netuid, [0] * 6)
    now = Number.get()
    for uid in (1, 2, 3, 4):
        S.BlockAtRegistration.insert(netuid, uid, now)
    assert fails_in_layer(ext, Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=5) == \
        module_error("SubtensorModule", "TrimmingWouldExceedMaxImmunePercentage")
    S.BlockAtRegistration.insert(netuid, 4, 0)
    call(Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=5)
    assert SubnetworkN.get(netuid) == 5
    assert [S.Keys.get(netuid, uid) for uid in range(5)] == [acct(n * 1000) for n in (1, 2, 3, 4, 5)]


def test_trim_to_max_allowed_uids_owner_rate_limit_and_window(chain) -> None:
    """The owner may trim (`ensure_sn_owner_or_root_with_limits` with MaxUidsTrimming, 1 block
    in the fast runtime); another signer is BadOrigin; in the admin freeze window even root is
    refused."""
    ext, _ = chain
    netuid, owner = 1, acct(1)
    _trim_subnet(netuid, owner, 6)
    MinAllowedUids.insert(netuid, 2)
    assert fails_in_layer(ext, Origin.signed(acct(9)), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=5) == BAD_ORIGIN
    call(Origin.signed(owner), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=5)
    assert SubnetworkN.get(netuid) == 5
    assert fails_in_layer(ext, Origin.signed(owner), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=4) == \
        TX_RATE_LIMIT_EXCEEDED
    run_to_block(Number.get() + 1)
    call(Origin.signed(owner), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=4)
    assert SubnetworkN.get(netuid) == 4
    AdminFreezeWindow.put(10)
    assert fails_in_layer(ext, Origin.root(), "sudo_trim_to_max_allowed_uids", netuid=netuid, max_n=3) == FROZEN


# ---------------------------------------------------------------------------
# main's per-block epoch cap


def test_sudo_set_max_epochs_per_block(chain) -> None:
    """admin-utils tests `test_sudo_set_max_epochs_per_block`: root only, at least 1, the
    SubtensorModule event."""
    ext, events = chain
    init_value = MaxEpochsPerBlock.get()
    to_be_set = init_value + 3
    assert fails(ext, Origin.signed(acct(1)), "sudo_set_max_epochs_per_block", max_epochs_per_block=to_be_set) \
        == BAD_ORIGIN
    assert fails(ext, ROOT, "sudo_set_max_epochs_per_block", max_epochs_per_block=0) \
        == module_error("AdminUtils", "ValueNotInBounds")
    assert MaxEpochsPerBlock.get() == init_value
    call(ROOT, "sudo_set_max_epochs_per_block", max_epochs_per_block=to_be_set)
    assert MaxEpochsPerBlock.get() == to_be_set
    assert subtensor_events(events)[-1] == SubtensorEvent.MaxEpochsPerBlockSet(to_be_set)


def test_sudo_set_max_epochs_per_block_changes_deferrals(chain) -> None:
    """admin-utils tests `test_sudo_set_max_epochs_per_block_changes_deferrals`: 4 subnets due
    this block (a trigger at block 1); a cap of 1 defers all but one, a cap above the due
    count none."""
    for netuid in range(1, 5):
        add_network(netuid, 100)
        PendingEpochAt.insert(netuid, 1)
    block = Number.get()
    subnets = [netuid for netuid, _ in NetworksAdded.iter() if netuid != 0]
    due = sum(1 for netuid in subnets if should_run_epoch(netuid, block))
    assert due >= 4
    call(ROOT, "sudo_set_max_epochs_per_block", max_epochs_per_block=1)
    deferred_tight = len(epochs_deferred_this_block(subnets, block))
    assert deferred_tight == due - 1
    call(ROOT, "sudo_set_max_epochs_per_block", max_epochs_per_block=due + 2)
    assert len(epochs_deferred_this_block(subnets, block)) == 0 < deferred_tight


def test_get_next_epoch_start_block_reflects_sudo_set_tempo_cycle_reset(chain) -> None:
    """tempo_control.rs `get_next_epoch_start_block_reflects_set_tempo_cycle_reset`, through
    root's `sudo_set_tempo` (main's admin-utils: the same `apply_tempo_with_cycle_reset` as the
    owner's `set_tempo`, which is not built here): at block 10, tempo 720, next fire 10 + 720."""
    add_network(1, 360)
    AdminFreezeWindow.put(0)
    run_to_block(10)
    call(ROOT, "sudo_set_tempo", netuid=1, tempo=720)
    assert get_next_epoch_start_block(1) == 10 + 720
