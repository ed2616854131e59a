"""Subtensor main's registration price rule (newer than spec 381): the burn decays each block
by a half-life (`BurnHalfLife`), rises by `BurnIncreaseMult` at each registration, stays
within [`MinBurn`, `MaxBurn`]; `register_limit`; AdminUtils `sudo_set_burn_half_life` /
`sudo_set_burn_increase_mult`. Scenarios ported from subtensor main's
pallets/subtensor/src/tests/registration.rs (each names its Rust test), plus the calls' errors.

As main's mock `add_network` does, the subnets here start with half-life 1 and multiplier 1.
"""

from __future__ import annotations

from typing import Any

import pytest

from pysubtensor.pallets import admin_utils
from pysubtensor.pallets.admin_utils.pallet import Error as AdminError
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.neurons import logic as neurons
from pysubtensor.pallets.subtensor.subnets import logic as subnets
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.primitives.fixed import U64F64
from tests.unit import test_subtensor_registration as registration
from tests.unit.test_subtensor_registration import ED, Chain, S, acct
from tests.unit.test_subtensor_registration import add_network as add_network_381

#: The registration tests' chain (System, Balances, SubtensorModule, Swap) as this module's fixture.
chain = registration.chain

U64_MAX = (1 << 64) - 1
ONE = 1 << 64  # 1.0 as U64F64 bits


def add_network(netuid: int, tempo: int = 13) -> None:
    """main's mock `add_network`: as before, plus `BurnHalfLife` 1 and `BurnIncreaseMult` 1."""
    add_network_381(netuid, tempo)
    S.BurnHalfLife.insert(netuid, 1)
    S.BurnIncreaseMult.insert(netuid, ONE)


def add_network_without_emission_block(netuid: int, tempo: int) -> None:
    subnets.init_new_network(netuid, tempo)
    S.NetworkRegistrationAllowed.insert(netuid, True)
    S.BurnHalfLife.insert(netuid, 1)
    S.BurnIncreaseMult.insert(netuid, ONE)


def bounds(netuid: int, lo: int, hi: int) -> None:
    S.MinBurn.insert(netuid, lo)
    S.MaxBurn.insert(netuid, hi)


# ---------------------------------------------------------------------------
# The Rust test's own reference (registration.rs `ref_mul_by_q32`, `ref_pow_q32`,
# `ref_decay_factor_q32`, `ref_bump`), written here from that test, not from our runtime code.


def ref_mul_by_q32(value: int, factor: int) -> int:
    return min((value * factor) >> 32, U64_MAX)


def ref_pow_q32(base: int, exp: int) -> int:
    result, factor, power = 1 << 32, base, exp
    while power:
        if power & 1:
            result = ref_mul_by_q32(result, factor)
        power >>= 1
        if power:
            factor = ref_mul_by_q32(factor, factor)
    return result


def ref_decay_factor_q32(half_life: int) -> int:
    if half_life == 0:
        return 1 << 32
    lo, hi = 0, 1 << 32
    while lo + 1 < hi:
        mid = lo + ((hi - lo) >> 1)
        if ref_pow_q32(mid, half_life) > 1 << 31:
            hi = mid
        else:
            lo = mid
    return lo


def ref_next_burn(prev: int, factor: int, half_life: int, block: int, lo: int, hi: int) -> int:
    nxt = prev if half_life == 0 or block <= 1 else ref_mul_by_q32(prev, factor)
    return min(max(nxt, lo), hi)


def ref_bump(prev: int, mult: int, lo: int, hi: int) -> int:
    return min(max(prev * max(mult, 1), lo), hi)  # `(U64F64(prev) * mult).floor()`, an integer mult


# ---------------------------------------------------------------------------
# Burn price dynamics (registration.rs on main)


def test_burn_decay(chain: Chain) -> None:
    """`test_burn_decay`: x2 on registration at once (1000 -> 2000), then one block of
    half-life 1000 decay: 2000 -> 1998."""
    netuid = 1
    add_network(netuid)
    S.BurnHalfLife.insert(netuid, 1_000)
    S.BurnIncreaseMult.insert(netuid, 2 * ONE)
    bounds(netuid, 0, U64_MAX)
    S.Burn.insert(netuid, 1_000)
    chain.fund(acct(100), 1_000_000)
    chain.call("burned_register", acct(100), netuid=netuid, hotkey=acct(200))
    assert S.Burn.get(netuid) == 2_000
    chain.step_block()
    assert S.Burn.get(netuid) == 1_998


def test_burn_halves_every_half_life(chain: Chain) -> None:
    """`test_burn_halves_every_half_life`: half-life 2, 1024 -> 511 -> 255 (Q32 floors)."""
    netuid = 1
    add_network(netuid)
    S.BurnHalfLife.insert(netuid, 2)
    bounds(netuid, 0, U64_MAX)
    S.Burn.insert(netuid, 1_024)
    chain.step_block(2)
    assert S.Burn.get(netuid) == 511
    chain.step_block(2)
    assert S.Burn.get(netuid) == 255


def test_burn_min_and_max_clamps_prevent_zero_stuck_and_cap_bump(chain: Chain) -> None:
    """`test_burn_min_and_max_clamps_prevent_zero_stuck_and_cap_bump`."""
    netuid = 1
    add_network(netuid)
    S.BurnIncreaseMult.insert(netuid, 2 * ONE)
    bounds(netuid, 100_000, 150_000)
    S.Burn.insert(netuid, 1)
    chain.step_block()
    assert S.Burn.get(netuid) == 100_000  # halving 1 gives 0; the minimum holds it
    chain.fund(acct(1), 1_000_000)
    chain.call("burned_register", acct(1), netuid=netuid, hotkey=acct(2))
    assert S.Burn.get(netuid) == 150_000  # 200_000 capped by MaxBurn
    chain.step_block()
    assert S.Burn.get(netuid) == 100_000  # 75_000 raised to MinBurn
    chain.step_block()
    assert S.Burn.get(netuid) == 100_000


def test_bump_registration_price_after_registration_applies_multiplier_immediately(chain: Chain) -> None:
    """`test_bump_registration_price_after_registration_applies_multiplier_immediately`."""
    netuid = 1
    add_network(netuid)
    S.BurnIncreaseMult.insert(netuid, 3 * ONE)
    bounds(netuid, 0, U64_MAX)
    S.Burn.insert(netuid, 1_000)
    neurons.bump_registration_price_after_registration(netuid)
    assert S.Burn.get(netuid) == 3_000


def test_update_registration_prices_for_networks_runs_on_next_block_step(chain: Chain) -> None:
    """`test_update_registration_prices_for_networks_runs_on_next_block_step`: 1000 -> 999 and
    the per-block counter reset, no delayed bump."""
    netuid = 1
    add_network(netuid)
    S.BurnHalfLife.insert(netuid, 1_000)
    S.BurnIncreaseMult.insert(netuid, 2 * ONE)
    bounds(netuid, 0, U64_MAX)
    S.Burn.insert(netuid, 1_000)
    S.RegistrationsThisBlock.insert(netuid, 3)
    chain.step_block()
    assert S.Burn.get(netuid) == 999
    assert S.RegistrationsThisBlock.get(netuid) == 0


CASES = [  # (netuid, half_life, initial_burn), the Rust test's 17 cases
    (1, 0, 777_777), (2, 0, 0), (3, 1, 0), (4, 1, 1), (5, 1, 2), (6, 2, 1_024), (7, 3, 4_096),
    (8, 4, 65_536), (9, 5, 123_456), (10, 7, 999_999), (11, 8, 1_000_000), (12, 16, 1_000_000),
    (13, 64, 1_000_000), (14, 360, 10_000_000_000), (15, 1_000, 100_000_000_000),
    (16, 4_096, 1_000_000_000_000), (17, 0xFFFF, 123_000_000_000),
]


def test_update_registration_prices_for_networks_many_half_lives_over_thousands_of_blocks(chain: Chain) -> None:
    """`test_update_registration_prices_for_networks_many_half_lives_over_thousands_of_blocks`:
    5000 blocks of 17 subnets and root against the test's reference, counters reset each block,
    root's interval counter only at root's epoch blocks (this runtime's epoch schedule)."""
    from pysubtensor.pallets.subtensor.weights.weights import should_run_epoch
    from pysubtensor.pallets.system.block import block_number

    expected, factors = [], []
    for idx, (netuid, half_life, initial) in enumerate(CASES):
        add_network_without_emission_block(netuid, 10_000)
        S.BurnHalfLife.insert(netuid, half_life)
        S.BurnIncreaseMult.insert(netuid, (idx + 2) * ONE)  # varied: this path never bumps
        bounds(netuid, 0, U64_MAX)
        S.Burn.insert(netuid, initial)
        expected.append(initial)
        factors.append(ref_decay_factor_q32(half_life))
    root = 0
    if not S.NetworksAdded.get(root):
        subnets.init_new_network(root, 2)
    root_half_life, root_expected = 17, 123_456
    root_factor = ref_decay_factor_q32(root_half_life)
    S.BurnHalfLife.insert(root, root_half_life)
    S.BurnIncreaseMult.insert(root, 97 * ONE)
    bounds(root, 0, U64_MAX)
    S.Burn.insert(root, root_expected)
    resets = non_resets = 0
    for step in range(5_000):
        for idx, (netuid, _, _) in enumerate(CASES):
            S.RegistrationsThisBlock.insert(netuid, ((step * 17 + idx) & 0xFFFF) % 29 + 1)
        root_interval_seed = ((step * 23) & 0xFFFF) % 37 + 1
        S.RegistrationsThisBlock.insert(root, ((step * 19) & 0xFFFF) % 31 + 1)
        S.RegistrationsThisInterval.insert(root, root_interval_seed)
        next_block = block_number() + 1
        root_should_reset = should_run_epoch(root, next_block)
        chain.step_block()
        for idx, (netuid, half_life, _) in enumerate(CASES):
            expected[idx] = ref_next_burn(expected[idx], factors[idx], half_life, next_block, 0, U64_MAX)
            assert S.Burn.get(netuid) == expected[idx], (netuid, next_block)
            assert S.RegistrationsThisBlock.get(netuid) == 0
        root_expected = ref_next_burn(root_expected, root_factor, root_half_life, next_block, 0, U64_MAX)
        assert S.Burn.get(root) == root_expected, next_block
        assert S.RegistrationsThisBlock.get(root) == 0
        if root_should_reset:
            resets += 1
            assert S.RegistrationsThisInterval.get(root) == 0
        else:
            non_resets += 1
            assert S.RegistrationsThisInterval.get(root) == root_interval_seed
    assert resets > 0 and non_resets > 0
    # A few of the figures, as numbers: half-life 2 from 1024 reaches 0; 360 from 1e10 after
    # 5000 blocks (~13.9 half-lives) is near 1e10 / 2^13.9.
    assert expected[CASES.index((6, 2, 1_024))] == 0
    assert expected[0] == 777_777 and expected[1] == 0  # half-life 0: no decay


BUMP_CASES = [  # (netuid, initial_burn, mult, min_burn, max_burn, registrations), the Rust test's 12
    (1, 0, 0, 100_000, U64_MAX, 7), (2, 5, 0, 1, U64_MAX, 7), (3, 0, 1, 100_000, U64_MAX, 7),
    (4, 7, 1, 1, U64_MAX, 7), (5, 2, 2, 1, 400, 8), (6, 3, 3, 1, U64_MAX, 6), (7, 4, 4, 1, U64_MAX, 6),
    (8, 7, 10, 1, 500_000, 5), (9, 1, 100, 1, 5_000_000_000, 5), (10, 1, 1_000, 1, 50_000_000_000, 4),
    (11, 5, 1, 1, U64_MAX, 32), (12, 1, 2, 1, U64_MAX, 20),
]


def test_burned_register_immediately_bumps_price_many_multipliers_and_same_block_registrations(chain: Chain) -> None:
    """`test_burned_register_immediately_bumps_price_many_multipliers_and_same_block_registrations`:
    within one block each registration pays the burn at entry and bumps it for the next; only
    `RegistrationsThisBlock` counts (a seeded `RegistrationsThisInterval` is untouched)."""
    for netuid, initial, mult, lo, hi, registrations in BUMP_CASES:
        coldkey = acct(100_000 + netuid)
        seeded_interval = netuid * 11 + 7
        add_network(netuid)
        S.BurnHalfLife.insert(netuid, 0)
        S.BurnIncreaseMult.insert(netuid, mult * ONE)
        bounds(netuid, lo, hi)
        S.Burn.insert(netuid, initial)
        S.RegistrationsThisInterval.insert(netuid, seeded_interval)
        # The mock's existential deposit is 1; here 500, so the subnet account exists first
        # (a burn of a few rao could not open it).
        chain.fund(subnets.subnet_account_id(netuid), ED)
        burn, recycled = initial, 0
        for reg in range(registrations):
            hotkey = acct(netuid * 10_000 + reg + 1)
            # spendable: the burn, the existential deposit (this runtime keeps the payer alive) and a buffer
            need = burn + ED + 11
            if chain.balance(coldkey) < need:
                chain.fund(coldkey, need - chain.balance(coldkey))
            before = chain.balance(coldkey)
            assert S.Burn.get(netuid) == burn and S.RegistrationsThisBlock.get(netuid) == reg
            chain.call("burned_register", coldkey, netuid=netuid, hotkey=hotkey)
            after_burn = ref_bump(burn, mult, lo, hi)
            recycled += burn
            assert chain.balance(coldkey) == before - burn, (netuid, reg)
            assert S.RAORecycledForRegistration.get(netuid) == recycled
            assert S.Burn.get(netuid) == after_burn, (netuid, reg)
            assert S.RegistrationsThisBlock.get(netuid) == reg + 1
            assert S.RegistrationsThisInterval.get(netuid) == seeded_interval
            assert S.SubnetworkN.get(netuid) == reg + 1 and S.Uids.get(netuid, hotkey) == reg
            assert S.Owner.get(hotkey) == coldkey
            burn = after_burn
        assert S.RegistrationsThisBlock.get(netuid) == registrations
    # Figures: x2 from 2 capped at 400 after 8 registrations; x1000 from 1 capped at 5e10.
    assert S.Burn.get(5) == 400 and S.Burn.get(10) == 50_000_000_000 and S.Burn.get(1) == 100_000


def test_default_multiplier_is_1_26(chain: Chain) -> None:
    """The default `BurnIncreaseMult` (main's `U64F64::from_num(1.26)`): 1_000_000_000 ->
    1_260_000_000 after one registration (the double 1.26 is a hair above 1.26, floored)."""
    netuid = 1
    add_network_381(netuid)
    S.Burn.insert(netuid, 1_000_000_000)
    chain.fund(acct(7), 2_000_000_000)
    chain.call("burned_register", acct(7), netuid=netuid, hotkey=acct(8))
    assert S.Burn.get(netuid) == 1_260_000_000
    assert U64F64.saturating_mul(U64F64.from_num(1_000_000_000), S.BurnIncreaseMult.get(netuid)) >> 64 == 1_260_000_000


def test_default_half_life_360_halves_in_360_blocks(chain: Chain) -> None:
    """With the defaults (half-life 360) a burn halves over 360 blocks, to within the Q32 floors."""
    netuid = 1
    add_network_381(netuid)
    S.Burn.insert(netuid, 10_000_000_000)
    chain.step_block(360)
    assert 4_999_000_000 < S.Burn.get(netuid) <= 5_000_000_000


# ---------------------------------------------------------------------------
# register_limit (dispatches.rs call_index 134 on main)


def test_register_limit(chain: Chain) -> None:
    """`do_register_limit`: root and missing subnets refused first, then the price check
    (`RegistrationPriceLimitExceeded` when the burn is above the limit), then `do_register`'s
    checks; at or under the limit it registers and pays the burn."""
    netuid, coldkey = 1, acct(667)
    chain.fails(Error.RegistrationNotPermittedOnRootSubnet, "register_limit", coldkey, netuid=0, hotkey=acct(1),
                limit_price=U64_MAX)
    chain.fails(Error.SubnetNotExists, "register_limit", coldkey, netuid=netuid, hotkey=acct(1), limit_price=U64_MAX)
    add_network(netuid)
    bounds(netuid, 0, U64_MAX)
    S.Burn.insert(netuid, 1_000)
    chain.fund(coldkey, 10_000)
    chain.fails(Error.RegistrationPriceLimitExceeded, "register_limit", coldkey, netuid=netuid, hotkey=acct(1),
                limit_price=999)
    S.NetworkRegistrationAllowed.insert(netuid, False)
    chain.fails(Error.SubNetRegistrationDisabled, "register_limit", coldkey, netuid=netuid, hotkey=acct(1),
                limit_price=1_000)
    S.NetworkRegistrationAllowed.insert(netuid, True)
    chain.call("register_limit", coldkey, netuid=netuid, hotkey=acct(1), limit_price=1_000)
    assert S.Uids.get(netuid, acct(1)) == 0 and chain.balance(coldkey) == 9_000
    chain.fails(Error.HotKeyAlreadyRegisteredInSubNet, "register_limit", coldkey, netuid=netuid, hotkey=acct(1),
                limit_price=U64_MAX)
    with pytest.raises(BadOrigin):
        chain.call("register_limit", Origin.root(), netuid=netuid, hotkey=acct(2), limit_price=U64_MAX)


# ---------------------------------------------------------------------------
# AdminUtils setters (admin-utils lib.rs call_index 89 and 90 on main)


@pytest.fixture
def admin_chain():
    """SubtensorModule and AdminUtils, as tests/unit/test_admin_utils.py composes them."""
    import pysubtensor.pallets.aura as aura
    import pysubtensor.pallets.grandpa as grandpa
    import pysubtensor.pallets.subtensor as st
    from pysubtensor.pallets.system.pallet import Number
    from tests.support.events import capture_events
    from tests.support.frame import frame_env

    config = admin_utils.Config(deposit_event=lambda pallet, event: None, aura=aura, grandpa=grandpa)
    with admin_utils.pallet.bound(config), frame_env(st.pallet, admin_utils.pallet) as ext, \
            capture_events(admin_utils.pallet) as events:
        Number.put(1)
        yield ext, events


def admin(ext: Any, name: str, who: bytes | Origin, **args: Any) -> None:
    """Dispatch an AdminUtils call; a failing one changes nothing."""
    origin = who if isinstance(who, Origin) else Origin.signed(who)
    before = {k: ext.get(k) for k in ext.keys_with_prefix(b"")}
    try:
        with ext.transaction():
            admin_utils.pallet.dispatch(origin, (name, args))
    except Exception:
        assert {k: ext.get(k) for k in ext.keys_with_prefix(b"")} == before, f"{name} failed but changed storage"
        raise


def test_sudo_set_burn_half_life_and_increase_mult(admin_chain) -> None:
    """Root or the subnet owner (rate-limited per hyperparameter); not on root; half-life in
    1..=36_100, multiplier in [1, 3]; events `BurnHalfLifeSet`, `BurnIncreaseMultSet`."""
    ext, events = admin_chain
    netuid, owner = 1, acct(55)
    S.AdminFreezeWindow.put(0)
    with pytest.raises(AdminError.SubnetDoesNotExist):
        admin(ext, "sudo_set_burn_half_life", Origin.root(), netuid=netuid, burn_half_life=10)
    add_network_381(netuid)
    S.SubnetOwner.insert(netuid, owner)
    subnets.init_new_network(0, 2)
    admin(ext, "sudo_set_burn_half_life", Origin.root(), netuid=netuid, burn_half_life=36_100)
    admin(ext, "sudo_set_burn_increase_mult", Origin.root(), netuid=netuid, burn_increase_mult=3 * ONE)
    assert (S.BurnHalfLife.get(netuid), S.BurnIncreaseMult.get(netuid)) == (36_100, 3 * ONE)
    assert [(type(e).__name__, e.netuid) for _, e in events] == [("BurnHalfLifeSet", netuid),
                                                                 ("BurnIncreaseMultSet", netuid)]
    assert (events[0][1].burn_half_life, events[1][1].burn_increase_mult) == (36_100, 3 * ONE)
    for bad in (0, 36_101):
        with pytest.raises(AdminError.InvalidValue):
            admin(ext, "sudo_set_burn_half_life", Origin.root(), netuid=netuid, burn_half_life=bad)
    for bad in (ONE - 1, 3 * ONE + 1):
        with pytest.raises(AdminError.InvalidValue):
            admin(ext, "sudo_set_burn_increase_mult", Origin.root(), netuid=netuid, burn_increase_mult=bad)
    with pytest.raises(AdminError.NotPermittedOnRootSubnet):
        admin(ext, "sudo_set_burn_half_life", Origin.root(), netuid=0, burn_half_life=10)
    with pytest.raises(AdminError.NotPermittedOnRootSubnet):
        admin(ext, "sudo_set_burn_increase_mult", Origin.root(), netuid=0, burn_increase_mult=ONE)
    with pytest.raises(BadOrigin):
        admin(ext, "sudo_set_burn_half_life", acct(56), netuid=netuid, burn_half_life=10)
    # The owner, once per `OwnerHyperparamRateLimit` tempos for each of the two.
    admin(ext, "sudo_set_burn_half_life", owner, netuid=netuid, burn_half_life=7)
    admin(ext, "sudo_set_burn_increase_mult", owner, netuid=netuid, burn_increase_mult=ONE + (ONE >> 1))
    assert (S.BurnHalfLife.get(netuid), S.BurnIncreaseMult.get(netuid)) == (7, ONE + (ONE >> 1))
    with pytest.raises(Error.TxRateLimitExceeded):
        admin(ext, "sudo_set_burn_half_life", owner, netuid=netuid, burn_half_life=8)
    assert S.LastRateLimitedBlock.get(("OwnerHyperparamUpdate", (netuid, "BurnHalfLife"))) == 1
    assert S.LastRateLimitedBlock.get(("OwnerHyperparamUpdate", (netuid, "BurnIncreaseMult"))) == 1
