"""SubtensorModule registration: the calls against spec 381's metadata, and scenarios ported
from subtensor's Rust tests (pallets/subtensor/src/tests/registration.rs, networks.rs,
subnet.rs, migration.rs), run in-process on System, Balances and SubtensorModule.

Accounts are the Rust tests' `U256::from(n)` as 32 little-endian bytes. Where the Rust mock's
`Config` differs from the runtime's (registrations per block, immunity period, min burn), the
test writes the mock's value to storage first. Every failing call is checked to change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets import swap
from pysubtensor.pallets.balances import fungible
from pysubtensor.pallets.subtensor.config import Config
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.hooks import on_initialize
from pysubtensor.pallets.subtensor.neurons import logic as neurons
from pysubtensor.pallets.subtensor.subnets import logic as subnets
from pysubtensor.pallets.subtensor.subnets.symbols import DEFAULT_SYMBOL, SYMBOLS
from pysubtensor.pallets.support.dispatch import BadOrigin, DispatchError, Origin, RuntimePanic
from pysubtensor.pallets.support.registry import TypeRegistry
from pysubtensor.primitives.externalities import Externalities, current
from pysubtensor.primitives.scale import U64
from pysubtensor.runtime import apis as runtime_apis
from tests.support.events import capture_events
from tests.support.frame import frame_env
from tests.support.metadata import DEVNET_381, TypeWalker, real_metadata, real_pallet

S = st.pallet.Storage
ED = balances.pallet.Constants.ExistentialDeposit
OUR_CALLS = ("register", "root_register", "burned_register", "register_network", "register_network_with_identity",
             "start_call")


def acct(n: int) -> bytes:
    """The Rust tests' `U256::from(n)` account."""
    return n.to_bytes(32, "little")


class Chain:
    def __init__(self, ext: Externalities, events: list[tuple[str, Any]]) -> None:
        self.ext = ext
        self.events = events

    def state(self) -> dict[bytes, bytes | None]:
        return {k: self.ext.get(k) for k in self.ext.keys_with_prefix(b"")}

    def call(self, name: str, who: bytes | Origin, **args: Any) -> None:
        """Dispatch in a transactional layer, as the executive does; a failing call must leave
        the state as it was."""
        origin = who if isinstance(who, Origin) else Origin.signed(who)
        before = self.state()
        try:
            with self.ext.transaction():
                st.pallet.dispatch(origin, (name, args))
        except DispatchError:
            assert self.state() == before, f"{name} failed but changed storage"
            raise

    def fails(self, error: type[DispatchError], name: str, who: bytes | Origin, **args: Any) -> None:
        with pytest.raises(error):
            self.call(name, who, **args)

    def set_block(self, n: int) -> None:
        system.pallet.Storage.Number.put(n)

    def step_block(self, n: int = 1) -> None:
        for _ in range(n):
            number = system.block.block_number() + 1
            self.set_block(number)
            on_initialize(number)

    def fund(self, who: bytes, amount: int) -> None:
        fungible.mint_into(who, amount)

    def balance(self, who: bytes) -> int:
        return fungible.balance(who)

    def last_network_added(self) -> int:
        added = [e for p, e in self.events if p == "SubtensorModule" and type(e).__name__ == "NetworkAdded"]
        return added[-1].netuid


@pytest.fixture
def chain() -> Iterator[Chain]:
    # The Swap pallet as the runtime binds it: SubtensorModule's reserves, its pool as the SwapInterface.
    config = Config(deposit_event=lambda pallet, event: None, currency=fungible, swap=swap.handler)
    swap_config = swap.Config(deposit_event=lambda pallet, event: None, subnet_info=st.swap_bridge.SUBNET_INFO,
                              tao_reserve=st.swap_bridge.TAO_RESERVE, alpha_reserve=st.swap_bridge.ALPHA_RESERVE)
    with st.pallet.bound(config), swap.pallet.bound(swap_config), frame_env(balances.pallet, st.pallet, swap.pallet) as ext, \
            capture_events(st.pallet) as events:
        system.pallet.Storage.Number.put(1)  # `new_test_ext(1)`
        yield Chain(ext, events)


def add_network(netuid: int, tempo: int = 13) -> None:
    """The Rust mock's `add_network`: a stable subnet with registrations open and started."""
    subnets.init_new_network(netuid, tempo)
    S.NetworkRegistrationAllowed.insert(netuid, True)
    S.NetworkPowRegistrationAllowed.insert(netuid, True)
    S.FirstEmissionBlockNumber.insert(netuid, 1)
    S.SubtokenEnabled.insert(netuid, True)


def add_dynamic_network(chain: Chain, hotkey: bytes, coldkey: bytes) -> int:
    """The Rust mock's `add_dynamic_network`: `register_network` paid by a coldkey funded with
    the lock cost (plus the existential deposit the keep-alive transfer leaves)."""
    chain.fund(coldkey, subnets.get_network_lock_cost() + ED)
    chain.call("register_network", coldkey, hotkey=hotkey)
    return chain.last_network_added()


# ---------------------------------------------------------------------------
# Metadata


def test_calls_are_spec_381s() -> None:
    """Index, name, fields (names, type names, types) and docs of each call equal the real
    variant; the metadata order is the real relative order."""
    real = real_pallet(DEVNET_381, "SubtensorModule")
    md = real_metadata(DEVNET_381)
    real_variants = {v.name: v for v in md.types.type(real.calls.ty).type_def.variants}
    ours = TypeRegistry()
    walk = TypeWalker(ours, md.types, frozenset())
    our_enum = ours.types[ours.register(st.pallet.call_enum)].ty.type_def
    our_variants = {v.name: v for v in our_enum.variants}
    for name in OUR_CALLS:
        o, r = our_variants[name], real_variants[name]
        assert o.index == r.index, name
        assert list(o.docs) == list(r.docs), name
        walk.fields(o.fields, r.fields, f"SubtensorModule::{name}")
    real_order = [n for n in real_variants if n in OUR_CALLS]
    assert [v.name for v in our_enum.variants if v.name in OUR_CALLS] == real_order


def test_call_weights_are_the_rust_annotations() -> None:
    calls = st.pallet.calls
    # Weight::from_parts(315_200_000, 0) + 34 reads (25 µs) + 29 writes (100 µs).
    assert calls["burned_register"].weight_of({}).ref_time == 315_200_000 + 34 * 25_000_000 + 29 * 100_000_000
    assert calls["register_network"].weight_of({}).ref_time == 238_500_000 + 36 * 25_000_000 + 50 * 100_000_000
    assert calls["start_call"].weight_of({}).ref_time == 29_780_000 + 5 * 25_000_000 + 2 * 100_000_000


# ---------------------------------------------------------------------------
# Burned registration (registration.rs)


def test_burned_registration_ok(chain: Chain) -> None:
    """registration.rs `test_burned_registration_ok`."""
    netuid, hotkey, coldkey, burn = 1, acct(1), acct(667), 1000
    S.Burn.insert(netuid, burn)
    add_network(netuid)
    chain.fund(coldkey, 10_000)
    issuance = fungible.total_issuance()
    chain.call("burned_register", coldkey, netuid=netuid, hotkey=hotkey)
    assert chain.balance(coldkey) == 10_000 - burn
    assert S.SubnetworkN.get(netuid) == 1
    assert S.Owner.get(hotkey) == coldkey
    assert S.Uids.get(netuid, hotkey) == 0
    assert S.Keys.get(netuid, 0) == hotkey
    assert S.TotalHotkeyAlpha.get(hotkey, netuid) == 0
    # The burn moved into the subnet account by a real transfer: issuance is unchanged.
    assert chain.balance(subnets.subnet_account_id(netuid)) == burn
    assert fungible.total_issuance() == issuance
    assert S.IsNetworkMember.get(hotkey, netuid) is True
    assert S.OwnedHotkeys.get(coldkey) == [hotkey] and S.StakingHotkeys.get(coldkey) == [hotkey]
    assert S.BlockAtRegistration.get(netuid, 0) == 1
    assert [len(v) for v in (S.Active.get(netuid), S.Emission.get(netuid), S.Consensus.get(netuid),
                             S.Dividends.get(netuid), S.ValidatorTrust.get(netuid),
                             S.ValidatorPermit.get(netuid), S.Incentive.get(netuid))] == [1] * 7
    # main counts only the block's registrations of a subnet (no interval counters, no limits).
    assert (S.RegistrationsThisBlock.get(netuid), S.RegistrationsThisInterval.get(netuid),
            S.BurnRegistrationsThisInterval.get(netuid)) == (1, 0, 0)
    registered = [e for p, e in chain.events if type(e).__name__ == "NeuronRegistered"]
    assert [(e.netuid, e.uid, e.hotkey) for e in registered] == [(netuid, 0, hotkey)]


def test_last_update_correctness(chain: Chain) -> None:
    """registration.rs `test_last_update_correctness`: `LastUpdate` (absent, as can happen on
    mechanisms) grows to the subnet's size, the new uid's entry its registration block."""
    netuid = 1
    S.Burn.insert(netuid, 1000)
    add_network(netuid)
    S.SubnetworkN.insert(netuid, 3)
    S.LastUpdate.remove(netuid)
    chain.fund(acct(667), 10_000)
    chain.call("burned_register", acct(667), netuid=netuid, hotkey=acct(1))
    assert S.LastUpdate.get(netuid) == [0, 0, 0, 1]


def test_burned_registration_stable_pool_buys_and_burns_alpha(chain: Chain) -> None:
    """The burn enters the pool (SubnetTAO, TotalStake, volume) and the alpha it buys is burned."""
    netuid, burn = 1, 1000
    S.Burn.insert(netuid, burn)
    add_network(netuid)
    chain.fund(acct(667), 10_000)
    chain.call("burned_register", acct(667), netuid=netuid, hotkey=acct(1))
    assert (S.SubnetTAO.get(netuid), S.TotalStake.get(), S.SubnetVolume.get(netuid)) == (burn, burn, burn)
    assert S.SubnetAlphaOut.get(netuid) == 0  # bought 1:1 (stable mechanism), then burned
    assert S.RAORecycledForRegistration.get(netuid) == burn


def test_burn_registration_without_neuron_slot(chain: Chain) -> None:
    """registration.rs `test_burn_registration_without_neuron_slot` and
    `test_burn_registration_doesnt_write_on_failure`."""
    netuid, coldkey = 1, acct(987)
    add_network(netuid)
    S.Burn.insert(netuid, 1000)
    chain.fund(coldkey, 10_000)
    S.MaxAllowedUids.insert(netuid, 0)
    chain.fails(Error.NoNeuronIdAvailable, "burned_register", coldkey, netuid=netuid, hotkey=acct(1))
    assert chain.balance(coldkey) == 10_000
    assert S.SubnetworkN.get(netuid) == 0
    assert not S.Uids.contains_key(netuid, acct(1))
    assert not S.Owner.contains_key(acct(1))


def test_burned_registration_errors(chain: Chain) -> None:
    """The checks of `do_register`, in Rust's order (registration.rs
    `test_registration_disabled`, `test_registration_already_active_hotkey`; root and missing
    subnets)."""
    netuid, coldkey = 1, acct(667)
    chain.fails(Error.RegistrationNotPermittedOnRootSubnet, "burned_register", coldkey, netuid=0, hotkey=acct(1))
    chain.fails(Error.SubnetNotExists, "burned_register", coldkey, netuid=netuid, hotkey=acct(1))
    add_network(netuid)
    S.Burn.insert(netuid, 1000)
    S.NetworkRegistrationAllowed.insert(netuid, False)
    chain.fails(Error.SubNetRegistrationDisabled, "burned_register", coldkey, netuid=netuid, hotkey=acct(1))
    S.NetworkRegistrationAllowed.insert(netuid, True)
    chain.fails(Error.NotEnoughBalanceToStake, "burned_register", coldkey, netuid=netuid, hotkey=acct(1))
    chain.fund(coldkey, 10_000)
    chain.call("burned_register", coldkey, netuid=netuid, hotkey=acct(1))
    chain.step_block()
    chain.fails(Error.HotKeyAlreadyRegisteredInSubNet, "burned_register", coldkey, netuid=netuid, hotkey=acct(1))
    # A hotkey owned by another coldkey (the burn is at `MinBurn` 500_000 since the block step).
    chain.fund(acct(668), 1_000_000)
    S.Owner.insert(acct(2), acct(999))
    chain.fails(Error.NonAssociatedColdKey, "burned_register", acct(668), netuid=netuid, hotkey=acct(2))
    with pytest.raises(BadOrigin):
        chain.call("burned_register", Origin.root(), netuid=netuid, hotkey=acct(3))


def test_burned_registration_keeps_the_coldkey_alive(chain: Chain) -> None:
    """`transfer_tao_to_subnet` caps the payment at what keeps the payer above the
    existential deposit (main's keep-alive semantics)."""
    netuid, coldkey, burn = 1, acct(5), 1000
    add_network(netuid)
    S.Burn.insert(netuid, burn)
    chain.fund(coldkey, burn)
    chain.call("burned_register", coldkey, netuid=netuid, hotkey=acct(6))
    assert chain.balance(coldkey) == ED
    assert chain.balance(subnets.subnet_account_id(netuid)) == burn - ED
    assert S.SubnetTAO.get(netuid) == burn - ED


def test_register_takes_the_burned_path_and_ignores_the_work(chain: Chain) -> None:
    """dispatches.rs `register` on main: `do_register(origin, netuid, hotkey)`; the PoW
    arguments and `coldkey` are ignored and the signer pays the burn."""
    netuid, signer, burn = 1, acct(667), 1000
    add_network(netuid)
    S.Burn.insert(netuid, burn)
    chain.fund(signer, 10_000)
    chain.call("register", signer, netuid=netuid, block_number=0, nonce=0, work=b"\x01" * 32, hotkey=acct(1),
               coldkey=acct(999))
    assert S.Owner.get(acct(1)) == signer
    assert chain.balance(signer) == 10_000 - burn
    assert S.UsedWork.get(b"\x01" * 32) == 0  # no work recorded


def test_registration_increases_recycled_rao_per_subnet(chain: Chain) -> None:
    """registration.rs (main) `test_registration_increases_recycled_rao_per_subnet`: each
    registration adds the burn it paid, read before it (half-life 1: 1000 halves to `MinBurn`)."""
    netuid = 1
    add_network(netuid)
    S.BurnHalfLife.insert(netuid, 1)
    S.BurnIncreaseMult.insert(netuid, 1 << 64)
    S.Burn.insert(netuid, 1000)
    chain.fund(acct(667), 1_000_000)
    burn1 = S.Burn.get(netuid)
    chain.call("burned_register", acct(667), netuid=netuid, hotkey=acct(1))
    assert S.RAORecycledForRegistration.get(netuid) == burn1 == 1000
    chain.step_block()
    burn2 = S.Burn.get(netuid)
    assert burn2 == 500_000  # 1000 halved is 500, raised to the mock's (and runtime's) MinBurn
    chain.call("burned_register", acct(667), netuid=netuid, hotkey=acct(2))
    assert S.RAORecycledForRegistration.get(netuid) == burn1 + burn2


def test_subnet_registrations_have_no_per_block_or_interval_limit(chain: Chain) -> None:
    """main's `do_register` dropped spec 381's `TooManyRegistrationsThisBlock` /
    `...ThisInterval` checks for subnets (the burn's rise is the brake): eleven registrations in
    one block with `MaxRegistrationsPerBlock` 10 and a target of 1 all succeed; root keeps them
    (`test_root_register`)."""
    netuid = 1
    add_network(netuid)
    S.BurnIncreaseMult.insert(netuid, 1 << 64)
    S.MinBurn.insert(netuid, 0)  # else the first bump lifts the burn to `MinBurn`
    S.Burn.insert(netuid, 1000)
    S.MaxRegistrationsPerBlock.insert(netuid, 10)
    S.TargetRegistrationsPerInterval.insert(netuid, 1)
    for i in range(11):
        chain.fund(acct(100 + i), 10_000)
        chain.call("burned_register", acct(100 + i), netuid=netuid, hotkey=acct(i))
    assert (S.SubnetworkN.get(netuid), S.RegistrationsThisBlock.get(netuid)) == (11, 11)
    chain.step_block()
    assert S.RegistrationsThisBlock.get(netuid) == 0


# ---------------------------------------------------------------------------
# Pruning a full subnet


def _register_n(chain: Chain, netuid: int, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        chain.fund(acct(1000 + i), 1_000_000)  # the burn may sit at `MinBurn` (500_000) after a block
        chain.call("burned_register", acct(1000 + i), netuid=netuid, hotkey=acct(i))


def test_registration_get_uid_to_prune_all_in_immunity_period(chain: Chain) -> None:
    """registration.rs `test_registration_get_uid_to_prune_all_in_immunity_period`: all immune,
    lowest emission wins."""
    netuid = 1
    add_network(netuid)
    S.Burn.insert(netuid, 1000)
    S.MaxRegistrationsPerBlock.insert(netuid, 3)
    S.ImmunityPeriod.insert(netuid, 2)
    _register_n(chain, netuid, 2)
    S.Emission.insert(netuid, [100, 110])
    assert neurons.get_neuron_to_prune(netuid) == 0


def test_registration_get_uid_to_prune_none_in_immunity_period(chain: Chain) -> None:
    """registration.rs `test_registration_get_uid_to_prune_none_in_immunity_period`."""
    netuid = 1
    add_network(netuid)
    S.Burn.insert(netuid, 1000)
    S.MaxRegistrationsPerBlock.insert(netuid, 3)
    S.ImmunityPeriod.insert(netuid, 2)
    S.MinNonImmuneUids.insert(netuid, 0)
    _register_n(chain, netuid, 2)
    S.Emission.insert(netuid, [100, 110])
    chain.step_block(3)
    assert neurons.get_neuron_to_prune(netuid) == 0
    S.Emission.insert(netuid, [110, 100])
    assert neurons.get_neuron_to_prune(netuid) == 1


def test_registration_get_uid_to_prune_prefers_non_immune(chain: Chain) -> None:
    """registration.rs `test_burn_registration_pruning_scenarios` (immunity part): a non-immune
    uid is pruned before an immune one of lower emission, while more than `MinNonImmuneUids`
    non-immune uids remain; at that floor the immune one goes."""
    netuid = 1
    add_network(netuid)
    S.Burn.insert(netuid, 1000)
    S.MaxRegistrationsPerBlock.insert(netuid, 3)
    S.ImmunityPeriod.insert(netuid, 2)
    S.MinNonImmuneUids.insert(netuid, 1)
    _register_n(chain, netuid, 2)
    chain.step_block(3)
    _register_n(chain, netuid, 1, start=2)  # uid 2, immune
    S.Emission.insert(netuid, [10, 20, 0])
    assert neurons.get_neuron_to_prune(netuid) == 0
    S.MinNonImmuneUids.insert(netuid, 2)
    assert neurons.get_neuron_to_prune(netuid) == 2


def test_registration_get_uid_to_prune_owner_immortality(chain: Chain) -> None:
    """registration.rs `test_registration_get_uid_to_prune_owner_immortality`: the owner's
    hotkey (uid 0, lowest emission) is skipped while within `ImmuneOwnerUidsLimit`."""
    netuid = 1
    add_network(netuid)
    S.Burn.insert(netuid, 1000)
    S.MaxRegistrationsPerBlock.insert(netuid, 3)
    S.ImmunityPeriod.insert(netuid, 1)
    S.MinNonImmuneUids.insert(netuid, 0)
    owner_cold, owner_hot, other = acct(1000), acct(0), acct(1)
    S.SubnetOwner.insert(netuid, owner_cold)
    S.SubnetOwnerHotkey.insert(netuid, owner_hot)
    _register_n(chain, netuid, 2)
    chain.step_block(3)
    S.Emission.insert(netuid, [0, 10])
    assert S.Uids.get(netuid, owner_hot) == 0 and S.Uids.get(netuid, other) == 1
    assert neurons.get_neuron_to_prune(netuid) == 1
    S.ImmuneOwnerUidsLimit.insert(netuid, 0)  # no owner immortality left
    assert neurons.get_neuron_to_prune(netuid) == 0


def test_registration_pruning_replaces_lowest_when_full(chain: Chain) -> None:
    """registration.rs `test_registration_pruning` / `test_burn_registration_pruning_scenarios`:
    a full subnet replaces the lowest-emission non-immune uid; the replaced hotkey's
    memberships go, the new one's come, per-uid values are cleared."""
    netuid = 1
    add_network(netuid)
    S.Burn.insert(netuid, 1000)
    S.MaxRegistrationsPerBlock.insert(netuid, 3)
    S.TargetRegistrationsPerInterval.insert(netuid, 2)
    S.MaxAllowedUids.insert(netuid, 3)
    S.ImmunityPeriod.insert(netuid, 2)
    S.MinNonImmuneUids.insert(netuid, 0)
    _register_n(chain, netuid, 3)
    chain.step_block(3)
    S.Emission.insert(netuid, [30, 10, 20])
    S.Dividends.insert(netuid, [5, 6, 7])
    chain.fund(acct(2000), 1_000_000)
    chain.call("burned_register", acct(2000), netuid=netuid, hotkey=acct(50))
    assert S.Uids.get(netuid, acct(50)) == 1 and S.Keys.get(netuid, 1) == acct(50)
    assert not S.Uids.contains_key(netuid, acct(1))
    assert not S.IsNetworkMember.contains_key(acct(1), netuid)
    assert S.SubnetworkN.get(netuid) == 3
    assert S.Emission.get(netuid) == [30, 0, 20] and S.Dividends.get(netuid) == [5, 0, 7]
    assert S.BlockAtRegistration.get(netuid, 1) == 4
    # No slots at all: refused before anything is paid.
    S.MaxAllowedUids.insert(netuid, 0)
    chain.fund(acct(2001), 1_000_000)
    chain.fails(Error.NoNeuronIdAvailable, "burned_register", acct(2001), netuid=netuid, hotkey=acct(51))


# ---------------------------------------------------------------------------
# Root registration


def test_root_register(chain: Chain) -> None:
    """Root registration (root.rs `test_root_register_normal_on_root_fails` and
    `test_root_register_stake_based_pruning_works`'s first steps): no root network, then
    registration, duplicates refused, members made delegates."""
    chain.fails(Error.RootNetworkDoesNotExist, "root_register", acct(1), hotkey=acct(2))
    add_network(0)
    chain.call("root_register", acct(1), hotkey=acct(2))
    assert S.Uids.get(0, acct(2)) == 0 and S.Owner.get(acct(2)) == acct(1)
    assert S.Delegates.get(acct(2)) == 11_796
    assert chain.balance(acct(1)) == 0  # root registration costs nothing
    # MaxRegistrationsPerBlock is 1: the limit is checked before the duplicate.
    chain.fails(Error.TooManyRegistrationsThisBlock, "root_register", acct(1), hotkey=acct(2))
    chain.step_block()
    chain.fails(Error.HotKeyAlreadyRegisteredInSubNet, "root_register", acct(1), hotkey=acct(2))
    chain.fails(Error.RegistrationNotPermittedOnRootSubnet, "burned_register", acct(1), netuid=0, hotkey=acct(3))


def test_root_register_replaces_the_lowest_stake_when_full(chain: Chain) -> None:
    """root.rs `test_root_register_stake_based_pruning_works`: a full root network replaces
    its lowest-stake member only with a hotkey of more stake (`StakeTooLowForRoot`)."""
    add_network(0)
    S.MaxAllowedUids.insert(0, 2)
    S.MaxRegistrationsPerBlock.insert(0, 3)
    for i in range(2):
        S.TotalHotkeyAlpha.insert(acct(10 + i), 0, 100 + i)
        chain.call("root_register", acct(20 + i), hotkey=acct(10 + i))
    chain.step_block()
    chain.fails(Error.StakeTooLowForRoot, "root_register", acct(30), hotkey=acct(12))
    S.TotalHotkeyAlpha.insert(acct(12), 0, 100)  # equal to the lowest (uid 0's): not enough
    chain.fails(Error.StakeTooLowForRoot, "root_register", acct(30), hotkey=acct(12))
    S.TotalHotkeyAlpha.insert(acct(12), 0, 101)
    chain.call("root_register", acct(30), hotkey=acct(12))
    assert S.Keys.get(0, 0) == acct(12) and not S.Uids.contains_key(0, acct(10))


# ---------------------------------------------------------------------------
# Subnet registration (networks.rs, subnet.rs)


def test_register_subnet_low_lock_cost(chain: Chain) -> None:
    """networks.rs `test_register_subnet_low_lock_cost`: the pool is the lock (TAO and alpha)."""
    S.NetworkMinLockCost.put(1_000)
    S.NetworkLastLockCost.put(1_000)
    lock_cost = subnets.get_network_lock_cost()
    assert lock_cost < 100_000_000_000
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    assert subnets.if_subnet_exist(netuid)
    assert S.SubnetTAO.get(netuid) == lock_cost
    assert S.SubnetAlphaIn.get(netuid) == lock_cost


def test_register_subnet_high_lock_cost(chain: Chain) -> None:
    """networks.rs `test_register_subnet_high_lock_cost`."""
    S.NetworkMinLockCost.put(1_000_000_000_000)
    S.NetworkLastLockCost.put(1_000_000_000_000)
    lock_cost = subnets.get_network_lock_cost()
    assert lock_cost >= 1_000_000_000_000
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    assert S.SubnetTAO.get(netuid) == lock_cost
    assert S.SubnetAlphaIn.get(netuid) == lock_cost


def test_register_network_writes_the_subnet(chain: Chain) -> None:
    """`do_register_network`: owner, owner hotkey at uid 0, the lock moved into the subnet
    account, pool and totals, defaults, symbol and events."""
    owner, hotkey = acct(1), acct(2)
    lock = subnets.get_network_lock_cost()
    assert lock == 1_000_000_000_000  # NetworkMinLockCost: no subnet registered yet (mult 1)
    issuance = fungible.total_issuance()
    netuid = add_dynamic_network(chain, hotkey, owner)
    assert netuid == 1
    assert chain.balance(owner) == ED
    assert chain.balance(subnets.subnet_account_id(1)) == lock
    assert subnets.subnet_account_id(1).hex() == "6d6f646c73756274656e73720100000000000000000000000000000000000000"
    assert fungible.total_issuance() == issuance + lock + ED  # minted by the test, never burned
    assert (S.SubnetOwner.get(1), S.SubnetOwnerHotkey.get(1)) == (owner, hotkey)
    assert (S.Keys.get(1, 0), S.SubnetworkN.get(1), S.Owner.get(hotkey)) == (hotkey, 1, owner)
    assert (S.SubnetTAO.get(1), S.SubnetAlphaIn.get(1), S.SubnetAlphaOut.get(1)) == (lock, lock, 0)
    assert (S.SubnetLocked.get(1), S.TotalStake.get(), S.NetworkLastLockCost.get()) == (lock, lock, lock)
    assert (S.SubnetMechanism.get(1), S.NetworkRegisteredAt.get(1), S.TotalNetworks.get()) == (1, 1, 1)
    assert S.TokenSymbol.get(1) == SYMBOLS[1]
    assert S.LastRateLimitedBlock.get("NetworkLastRegistered") == 1
    assert (S.Tempo.get(1), S.MaxAllowedUids.get(1), S.MaxAllowedValidators.get(1), S.ImmunityPeriod.get(1),
            S.AdjustmentInterval.get(1), S.TargetRegistrationsPerInterval.get(1), S.MinAllowedWeights.get(1)) == \
        (10, 256, 64, 5000, 360, 1, 1)
    assert S.FirstEmissionBlockNumber.get(1) is None and S.SubtokenEnabled.get(1) is False
    names = [type(e).__name__ for p, e in chain.events if p == "SubtensorModule"]
    assert names[-1] == "NetworkAdded" and "RegistrationAllowed" in names and "ImmunityPeriodSet" in names


def test_register_network_min_burn_at_default(chain: Chain) -> None:
    """subnet.rs `test_register_network_min_burn_at_default`."""
    netuid = add_dynamic_network(chain, acct(1), acct(0))
    assert S.MinBurn.get(netuid) == st.pallet.Constants.InitialMinBurn
    assert S.NetworkRegistrationAllowed.get(netuid) and S.NetworkPowRegistrationAllowed.get(netuid)


def test_network_lock_cost_doubles_and_decays(chain: Chain) -> None:
    """migration.rs `test_migrate_network_lock_cost_2500_sets_price_and_decay`'s rule: after a
    registration the cost is twice the last lock, less last_lock / interval per block since."""
    S.NetworkRateLimit.put(0)
    S.NetworkMinLockCost.put(1_000)
    first = add_dynamic_network(chain, acct(2), acct(1))
    last = S.NetworkLastLockCost.get()
    # The first registration (no registration block yet: multiplier 1) pays the default
    # `NetworkLastLockCost`, 1000 TAO, less one block's decay since "block 0".
    assert last == S.SubnetLocked.get(first) == 1_000_000_000_000 - 1_000_000_000_000 // 100_800
    assert subnets.get_lock_reduction_interval() == 100_800  # no halving yet (issuance < 10.5M TAO)
    assert subnets.get_network_lock_cost() == 2 * last
    chain.set_block(11)
    assert subnets.get_network_lock_cost() == 2 * last - (last // 100_800) * 10
    chain.set_block(1 + 2 * 100_800 + 5)  # fully decayed: the minimum
    assert subnets.get_network_lock_cost() == 1_000
    # Registering again at block 11 pays the doubled, decayed cost: the one the runtime API
    # quotes (what clients show before registering).
    chain.set_block(11)
    cost = subnets.get_network_lock_cost()
    quoted = U64.decode_all(runtime_apis.call("SubnetRegistrationRuntimeApi_get_network_registration_cost", b"",
                                              current()))
    assert quoted == cost
    second = add_dynamic_network(chain, acct(4), acct(3))
    assert second == 2 and S.SubnetLocked.get(2) == cost
    # The pool holds the whole lock, above NetworkMinLockCost (main; reference §8.4).
    assert S.SubnetTAO.get(first) == S.SubnetAlphaIn.get(first) == last
    assert S.SubnetTAO.get(2) == cost and S.TotalStake.get() == last + cost
    assert S.NetworkLastLockCost.get() == cost


def test_lock_cost_after_the_lock_reduction_migration(chain: Chain) -> None:
    """V23, migration.rs `test_migrate_network_lock_reduction_interval_and_decay`: from the
    state `migrate_network_lock_reduction_interval` leaves (interval 57,600, rate limit
    28,800, last lock 1,000 TAO, last lock block and registration start one week ahead) the
    cost is 2,000 TAO (no decay before the last lock block), and registering waits for the
    start block. (A fresh chain has no old state to migrate: the migration's writes are set.)"""
    chain.step_block(1)
    now = system.pallet.Storage.Number.get()
    S.NetworkLockReductionInterval.put(57_600)
    S.NetworkRateLimit.put(28_800)
    S.NetworkLastLockCost.put(1_000_000_000_000)
    S.LastRateLimitedBlock.insert(subnets.NETWORK_LAST_REGISTERED, now + 50_400)
    S.NetworkRegistrationStartBlock.put(now + 50_400)
    assert subnets.get_network_lock_cost() == 2_000_000_000_000
    chain.fund(acct(1), 2_000_000_000_000 + ED)
    chain.fails(Error.SubNetRegistrationDisabled, "register_network", acct(1), hotkey=acct(2))


def test_lock_reduction_interval_follows_halvings(chain: Chain) -> None:
    """`get_lock_reduction_interval` scales by the block emission: halved once issuance
    reaches half the supply (10.5M TAO)."""
    S.TotalIssuance.put(10_500_000_000_000_000)
    assert subnets.get_block_emission() == 500_000_000
    assert S.BlockEmission.get() == 500_000_000
    assert subnets.get_lock_reduction_interval() == 50_400
    S.TotalIssuance.put(10_500_000_000_000_000 - 1)
    assert subnets.get_lock_reduction_interval() == 100_800
    S.TotalIssuance.put(21_000_000_000_000_000)
    assert subnets.get_block_emission() == 0 and subnets.get_lock_reduction_interval() == 0


def test_register_network_errors(chain: Chain) -> None:
    """Each check of `do_register_network` (networks.rs
    `register_network_fails_before_prune_keeps_existing` for the limit), nothing written."""
    owner = acct(1)
    chain.fails(Error.CannotAffordLockCost, "register_network", owner, hotkey=acct(2))
    S.Owner.insert(acct(5), acct(9))
    chain.fails(Error.NonAssociatedColdKey, "register_network", owner, hotkey=acct(5))
    S.NetworkRegistrationStartBlock.put(2)
    chain.fails(Error.SubNetRegistrationDisabled, "register_network", owner, hotkey=acct(2))
    S.NetworkRegistrationStartBlock.put(0)
    add_dynamic_network(chain, acct(2), owner)
    # NetworkRateLimit blocks since the last registration.
    S.NetworkRateLimit.put(7200)
    chain.fund(acct(3), 10 * subnets.get_network_lock_cost())
    chain.fails(Error.NetworkTxRateLimitExceeded, "register_network", acct(3), hotkey=acct(4))
    chain.set_block(1 + 7200)
    S.SubnetLimit.put(1)  # full, and the only subnet is immune: nothing to prune
    chain.fails(Error.SubnetLimitReached, "register_network", acct(3), hotkey=acct(4))
    S.SubnetLimit.put(2)
    identity = st.types.SubnetIdentityV3(b"x" * 257, b"", b"", b"", b"", b"", b"", b"")
    chain.fails(Error.InvalidIdentity, "register_network_with_identity", acct(3), hotkey=acct(4),
                identity=identity)
    ok = st.types.SubnetIdentityV3(b"name", b"repo", b"contact", b"url", b"discord", b"desc", b"logo", b"")
    chain.call("register_network_with_identity", acct(3), hotkey=acct(4), identity=ok)
    assert S.SubnetIdentitiesV3.get(2) == ok
    assert [type(e).__name__ for p, e in chain.events][-2:] == ["SubnetIdentitySet", "NetworkAdded"]


def test_get_next_netuid_fills_gaps(chain: Chain) -> None:
    add_network(0)
    add_network(1)
    add_network(3)
    assert subnets.get_next_netuid() == 2


def test_register_network_symbols(chain: Chain) -> None:
    """subnet.rs `test_register_network_use_next_available_symbol_if_symbol_for_subnet_is_taken`
    (on 5 subnets): a taken symbol gives the first free one of the table."""
    S.NetworkRateLimit.put(0)
    S.NetworkMinLockCost.put(1_000)
    S.NetworkLastLockCost.put(1_000)
    for i in range(5):
        netuid = add_dynamic_network(chain, acct(2_000_000 + i), acct(1_000_000 + i))
        assert S.TokenSymbol.get(netuid) == SYMBOLS[netuid]
    S.TokenSymbol.insert(3, SYMBOLS[6])
    netuid = add_dynamic_network(chain, acct(2_000_010), acct(1_000_010))
    assert netuid == 6 and S.TokenSymbol.get(6) == SYMBOLS[3]
    assert len(set(SYMBOLS)) == len(SYMBOLS) == 439  # subnet.rs `test_no_duplicates_in_symbol_static`
    assert DEFAULT_SYMBOL == "\N{GREEK CAPITAL LETTER TAU}".encode()


def test_network_to_prune(chain: Chain) -> None:
    """networks.rs `prune_none_with_no_networks`, `prune_none_when_all_networks_immune`,
    `prune_selects_network_with_lowest_price`, `prune_tie_on_price_earlier_registration_wins`."""
    S.NetworkRateLimit.put(0)
    S.NetworkMinLockCost.put(1_000)
    S.NetworkLastLockCost.put(1_000)
    assert subnets.get_network_to_prune() is None
    chain.set_block(0)
    n1 = add_dynamic_network(chain, acct(55), acct(66))
    chain.set_block(1)
    n2 = add_dynamic_network(chain, acct(77), acct(88))
    assert subnets.get_network_to_prune() is None  # both immune
    imm = S.NetworkImmunityPeriod.get()
    chain.set_block(imm + 20)
    S.SubnetMovingPrice.insert(n1, 7 << 32)
    S.SubnetMovingPrice.insert(n2, 7 << 32)
    assert subnets.get_network_to_prune() == n1  # tie: earlier registration
    S.SubnetMovingPrice.insert(n1, 10 << 32)
    assert subnets.get_network_to_prune() == n2
    chain.set_block(imm)  # n2 (registered at 1) immune again
    assert subnets.get_network_to_prune() == n1


# ---------------------------------------------------------------------------
# start_call (subnet.rs)


def test_do_start_call(chain: Chain) -> None:
    """subnet.rs `test_do_start_call_ok`, `..._fail_with_not_existed_subnet`,
    `..._fail_not_owner`, `..._fail_for_set_again`."""
    netuid, owner = 1, acct(0)
    chain.fails(Error.SubnetNotExists, "start_call", owner, netuid=netuid)
    subnets.init_new_network(netuid, 13)
    assert S.SubnetOwner.get(netuid) == owner  # account 0 is the default owner
    chain.fails(BadOrigin, "start_call", acct(2), netuid=netuid)
    S.StartCallDelay.put(5)
    S.NetworkRegisteredAt.insert(netuid, 1)
    chain.fails(Error.NeedWaitingMoreBlocksToStarCall, "start_call", owner, netuid=netuid)
    chain.set_block(6)
    chain.call("start_call", owner, netuid=netuid)
    assert S.FirstEmissionBlockNumber.get(netuid) == 7
    assert S.SubtokenEnabled.get(netuid) is True
    assert type(chain.events[-1][1]).__name__ == "FirstEmissionBlockNumberSet"
    chain.fails(Error.FirstEmissionBlockNumberAlreadySet, "start_call", owner, netuid=netuid)


def test_start_call_delay_default_is_the_runtime_constant() -> None:
    assert st.pallet.Constants.InitialStartCallDelay == 0


def test_dynamic_subnet_registration_needs_the_swap_bound(chain: Chain) -> None:
    """Without a bound Swap pallet a dynamic subnet's registration fails, changing nothing."""
    S.NetworkMinLockCost.put(1_000_000_000)
    S.NetworkLastLockCost.put(1_000_000_000)
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    chain.fund(acct(3), 10 * S.Burn.get(netuid))
    with st.pallet.bound(swap=None), pytest.raises(RuntimePanic):
        before = chain.state()
        with chain.ext.transaction():
            st.pallet.dispatch(Origin.signed(acct(3)), ("burned_register", {"netuid": netuid, "hotkey": acct(4)}))
    assert chain.state() == before
    chain.call("burned_register", acct(3), netuid=netuid, hotkey=acct(4))  # with the pool bound
    assert S.Uids.get(netuid, acct(4)) == 1


def test_burned_register_on_a_dynamic_subnet_buys_and_burns_alpha(chain: Chain) -> None:
    """registration.rs `do_burned_registration` (main): the burn moves into the subnet account,
    buys alpha through the Balancer pool at the max price (fee 33/65535 kept in the subnet
    account, outside the reserve), and the bought alpha is burned from `SubnetAlphaOut`. Pool
    1e9 TAO / 4e9 alpha and a 1 TAO burn: V17's exact buy of 1e9, (999_496_453 in,
    1_999_496_326 out, fee 503_547)."""
    S.NetworkMinLockCost.put(1_000_000_000)
    S.NetworkLastLockCost.put(1_000_000_000)
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    S.SubnetTAO.insert(netuid, 1_000_000_000)
    S.SubnetAlphaIn.insert(netuid, 4_000_000_000)
    S.Burn.insert(netuid, 1_000_000_000)
    account = subnets.subnet_account_id(netuid)
    chain.fund(acct(3), 2_000_000_000)
    account_before, stake_before = chain.balance(account), S.TotalStake.get()
    chain.call("burned_register", acct(3), netuid=netuid, hotkey=acct(4))
    assert S.SubnetTAO.get(netuid) == 1_000_000_000 + 999_496_453
    assert S.SubnetAlphaIn.get(netuid) == 4_000_000_000 - 1_999_496_326
    assert S.SubnetAlphaOut.get(netuid) == 0  # bought, then burned
    assert chain.balance(account) - account_before == 1_000_000_000
    assert chain.balance(acct(3)) == 1_000_000_000
    assert S.TotalStake.get() - stake_before == 1_000_000_000
    assert S.SubnetVolume.get(netuid) == 1_000_000_000
    assert S.RAORecycledForRegistration.get(netuid) == 1_000_000_000
    assert swap.pallet.Storage.PalSwapInitialized.get(netuid)


def test_burned_register_refused_by_the_pool_changes_nothing(chain: Chain) -> None:
    """A burn worth more than 1000x the pool's TAO is the pool's `SwapInputTooLarge`; the
    registration fails as a whole."""
    S.NetworkMinLockCost.put(1_000)
    S.NetworkLastLockCost.put(1_000)
    netuid = add_dynamic_network(chain, acct(2), acct(1))
    S.Burn.insert(netuid, 1_000_000_000)
    chain.fund(acct(3), 2_000_000_000)
    chain.fails(swap.Error.SwapInputTooLarge, "burned_register", acct(3), netuid=netuid, hotkey=acct(4))


def test_register_network_prices_the_pool_at_the_median(chain: Chain) -> None:
    """Main's `get_median_subnet_alpha_price`: the new pool's alpha reserve is its TAO over
    the median price of the other subnets (1.0 with none; the mean of the middle two of an
    even count; unpriced subnets left out)."""
    S.NetworkRateLimit.put(0)
    S.NetworkMinLockCost.put(1_000)
    S.NetworkLastLockCost.put(1_000)
    assert subnets.get_median_subnet_alpha_price() == 1 << 64
    n1 = add_dynamic_network(chain, acct(2), acct(1))
    assert S.SubnetAlphaIn.get(n1) == S.SubnetTAO.get(n1)
    S.SubnetTAO.insert(n1, 2 * S.SubnetAlphaIn.get(n1))  # price 2
    n2 = add_dynamic_network(chain, acct(4), acct(3))
    assert S.SubnetAlphaIn.get(n2) == S.SubnetTAO.get(n2) // 2
    S.SubnetAlphaIn.insert(n2, S.SubnetTAO.get(n2))  # price 1: the median of (1, 2) is 1.5
    assert subnets.get_median_subnet_alpha_price() == 3 << 63
    n3 = add_dynamic_network(chain, acct(6), acct(5))
    assert S.SubnetAlphaIn.get(n3) == S.SubnetTAO.get(n3) * 2 // 3
    S.SubnetAlphaIn.insert(n3, 0)  # unpriced: left out, the median of (1, 2) again
    S.SubnetTAO.insert(n2, 4 * S.SubnetAlphaIn.get(n2))  # (2, 4): 3
    assert subnets.get_median_subnet_alpha_price() == 3 << 64
    S.SubnetAlphaIn.insert(n3, S.SubnetTAO.get(n3))  # (1, 2, 4): 2
    assert subnets.get_median_subnet_alpha_price() == 2 << 64
    with st.pallet.bound(swap=None), pytest.raises(RuntimePanic):
        subnets.get_median_subnet_alpha_price()
