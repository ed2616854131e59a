"""`SubtensorTransactionExtension::validate` beyond the coldkey-swap guard (spec 381's
extensions/subtensor.rs), ported from the Rust tests that drive it (tests/weights.rs,
registration.rs, serving.rs, evm.rs, and check_coldkey_swap.rs' proxy cases), each naming
its Rust test. Errors are `InvalidTransaction::Custom(code)` with the real
`CustomTransactionError` codes, written here as numbers from subtensor's
`impl From<CustomTransactionError> for u8`."""

from __future__ import annotations

from typing import Any

import pytest

import pysubtensor.pallets.subtensor as st
import pysubtensor.pallets.system as system
from pysubtensor.pallets.drand import LastStoredRound
from pysubtensor.pallets.subtensor.extension import SubtensorTransactionExtension
from pysubtensor.pallets.subtensor.neurons.logic import append_neuron
from pysubtensor.pallets.subtensor.staking.accounting import increase_stake_for_hotkey_and_coldkey_on_subnet
from pysubtensor.pallets.subtensor.staking.stake_weights import stake_weights_for_hotkey
from pysubtensor.pallets.subtensor.subnets.logic import NETWORK_LAST_REGISTERED
from pysubtensor.pallets.subtensor.weights.weights import get_commit_hash
from pysubtensor.pallets.support.dispatch import Origin
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.transaction_validity import TransactionValidityError
from tests.unit import test_subtensor_registration as registration
from tests.unit.test_subtensor_registration import Chain, acct, add_network

chain = registration.chain
S = st.pallet.Storage
NETUID = 1


def validate(who: bytes | None, call: tuple) -> Any:
    """The validity (priority) or the error, as (kind, reason, code)."""
    origin = Origin.signed(who) if who is not None else Origin.none()
    try:
        valid, _ = SubtensorTransactionExtension().validate(origin, call, None, 10, "External")
    except TransactionValidityError as exc:
        return (exc.kind, exc.reason, exc.code)
    return valid.priority


def custom(code: int) -> tuple:
    return ("Invalid", "Custom", code)


def sub(name: str, **args: Any) -> tuple:
    return ("SubtensorModule", (name, args))


def _threshold_at_stake(hotkey: bytes) -> int:
    """The hotkey's stake weight as an integer (`get_total_stake_for_hotkey` in the Rust tests)."""
    return stake_weights_for_hotkey(hotkey, NETUID)[0] >> 64


def _neuron_with_stake(hotkey: bytes, coldkey: bytes, tempo: int = 1) -> None:
    add_network(NETUID, tempo)
    append_neuron(NETUID, hotkey, 0)
    S.Owner.insert(hotkey, coldkey)


@pytest.mark.parametrize("call", [
    sub("commit_weights", netuid=NETUID, commit_hash=bytes(32)),
    sub("set_weights", netuid=NETUID, dests=[1, 1], weights=[1, 1], version_key=0),
])
def test_commit_weights_validate_and_set_weights_validate(chain: Chain, call) -> None:
    """weights.rs `test_commit_weights_validate`, `test_set_weights_validate`: below
    StakeThreshold is StakeAmountTooLow (1); at it, valid."""
    hotkey, coldkey = acct(1), acct(0)
    _neuron_with_stake(hotkey, coldkey)
    S.StakeThreshold.put(500_000_000_000)
    assert validate(hotkey, call) == custom(1)
    increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, hotkey, NETUID, 500_000_000_000)
    S.StakeThreshold.put(_threshold_at_stake(hotkey) + 1)
    assert validate(hotkey, call) == custom(1)
    S.StakeThreshold.put(_threshold_at_stake(hotkey))
    assert validate(hotkey, call) == 0


def test_reveal_weights_validate(chain: Chain) -> None:
    """weights.rs `test_reveal_weights_validate` (spec 381): stake (1), then no commit (16), a
    commit outside its reveal epoch (17), inside it (valid), too late (17). The epoch is main's
    counter `SubnetEpochIndex` (the commit's is stored with it), moved here as epochs pass."""
    hotkey, coldkey, tempo = acct(1), acct(0), 1
    dests, weights, salt, version_key = [1, 1], [1, 1], [1, 2, 3, 4, 5, 6, 7, 8], 0
    call = sub("reveal_weights", netuid=NETUID, uids=dests, values=weights, salt=salt, version_key=version_key)
    system.pallet.Storage.Number.put(0)
    commit_block = 0
    _neuron_with_stake(hotkey, coldkey, tempo)
    append_neuron(NETUID, acct(2), 0)
    S.StakeThreshold.put(500_000_000_000)
    assert validate(hotkey, call) == custom(1)
    increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, hotkey, NETUID, 500_000_000_000)
    S.StakeThreshold.put(_threshold_at_stake(hotkey))
    assert validate(hotkey, call) == custom(16)
    commit_hash = get_commit_hash(hotkey, NETUID, dests, weights, salt, version_key)
    S.WeightCommits.insert(NETUID, hotkey, [(commit_hash, 0, commit_block, 0)])  # committed in epoch 0
    assert validate(hotkey, call) == custom(17)
    S.SubnetEpochIndex.insert(NETUID, S.RevealPeriodEpochs.get(NETUID))
    assert validate(hotkey, call) == 0
    S.SubnetEpochIndex.insert(NETUID, 10)
    assert validate(hotkey, call) == custom(17)


def test_batch_reveal_weights_validate(chain: Chain) -> None:
    """weights.rs `test_batch_reveal_weights_validate`: stake (1), unequal lengths (18), a
    missing commit (16), outside the reveal epoch (17), then valid."""
    hotkey, coldkey, tempo = acct(1), acct(0), 1
    uids, values = [[0, 1], [1, 0]], [[10, 20], [30, 40]]
    salts, keys = [[1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1]], [0, 0]
    call = sub("batch_reveal_weights", netuid=NETUID, uids_list=uids, values_list=values, salts_list=salts,
               version_keys=keys)
    system.pallet.Storage.Number.put(0)
    _neuron_with_stake(hotkey, coldkey, tempo)
    S.StakeThreshold.put(500_000_000_000)
    assert validate(hotkey, call) == custom(1)
    increase_stake_for_hotkey_and_coldkey_on_subnet(hotkey, hotkey, NETUID, 500_000_000_000)
    S.StakeThreshold.put(_threshold_at_stake(hotkey))
    unequal = sub("batch_reveal_weights", netuid=NETUID, uids_list=[*uids, [2, 3]], values_list=values,
                  salts_list=salts, version_keys=keys)
    assert validate(hotkey, unequal) == custom(18)
    hashes = [get_commit_hash(hotkey, NETUID, uids[i], values[i], salts[i], keys[i]) for i in range(2)]
    S.WeightCommits.insert(NETUID, hotkey, [(hashes[0], 0, 0, 0)])
    assert validate(hotkey, call) == custom(16)
    S.WeightCommits.insert(NETUID, hotkey, [(h, 0, 0, 0) for h in hashes])
    assert validate(hotkey, call) == custom(17)
    S.SubnetEpochIndex.insert(NETUID, S.RevealPeriodEpochs.get(NETUID))
    assert validate(hotkey, call) == 0


def test_commit_timelocked_weights_reveal_round(chain: Chain) -> None:
    """`commit_timelocked_weights` with a reveal round before drand's last stored round is
    InvalidRevealRound (15)."""
    hotkey = acct(1)
    _neuron_with_stake(hotkey, acct(0))
    LastStoredRound.put(1000)
    call = sub("commit_timelocked_weights", netuid=NETUID, commit=b"x", reveal_round=999,
               commit_reveal_version=4)
    assert validate(hotkey, call) == custom(15)
    call[1][1]["reveal_round"] = 1000
    assert validate(hotkey, call) == 0


@pytest.mark.parametrize("call", [
    sub("burned_register", netuid=NETUID, hotkey=acct(1)),
    sub("register", netuid=NETUID, block_number=0, nonce=0, work=b"", hotkey=acct(1), coldkey=acct(667)),
])
def test_registration_rate_limit_exceeded(chain: Chain, call) -> None:
    """registration.rs `test_registration_rate_limit_exceeded`,
    `test_burned_registration_rate_limit_exceeded`, `test_burned_registration_under_limit`,
    `test_burned_registration_rate_allows_burn_adjustment`: refused (6) at three times the
    interval's target, accepted below."""
    S.TargetRegistrationsPerInterval.insert(NETUID, 1)
    S.RegistrationsThisInterval.insert(NETUID, 1)
    assert validate(acct(667), call) == 0
    S.RegistrationsThisInterval.insert(NETUID, 2)
    assert validate(acct(667), call) == 0
    S.RegistrationsThisInterval.insert(NETUID, 3)
    assert validate(acct(667), call) == custom(6)


def test_serve_axon_validate(chain: Chain) -> None:
    """serving.rs `test_serve_axon_validate`: an unregistered hotkey is
    HotKeyNotRegisteredInNetwork (10); registered, valid; a bad IP is 11, port 0 is 13, a bad
    IP type (not in `result_to_validity`'s table) BadRequest (255), serving again too soon 12."""
    hotkey = acct(1)
    args = dict(netuid=NETUID, version=2, ip=1676056785, port=128, ip_type=4, protocol=0, placeholder1=0,
                placeholder2=0)
    assert validate(hotkey, sub("serve_axon", **args)) == custom(10)
    add_network(NETUID, 13)
    append_neuron(NETUID, hotkey, 0)
    assert validate(hotkey, sub("serve_axon", **args)) == 0
    assert validate(hotkey, sub("serve_axon", **{**args, "ip": 0xFFFFFFFF})) == custom(11)
    assert validate(hotkey, sub("serve_axon", **{**args, "port": 0})) == custom(13)
    assert validate(hotkey, sub("serve_axon", **{**args, "ip_type": 5})) == custom(255)
    S.Axons.insert(NETUID, hotkey, {"block": 1, "version": 2, "ip": 1, "port": 1, "ip_type": 4, "protocol": 0,
                                    "placeholder1": 0, "placeholder2": 0})
    S.ServingRateLimit.insert(NETUID, 5)
    assert validate(hotkey, sub("serve_axon", **args)) == custom(12)


def test_register_network_rate_limit(chain: Chain) -> None:
    """`register_network` inside `NetworkRateLimit` blocks of the last registration: 6."""
    S.NetworkRateLimit.put(10)
    call = sub("register_network", hotkey=acct(2))
    assert validate(acct(1), call) == 0
    S.LastRateLimitedBlock.insert(NETWORK_LAST_REGISTERED, 5)  # a subnet registered at block 5
    system.pallet.Storage.Number.put(14)
    assert validate(acct(1), call) == custom(6)
    system.pallet.Storage.Number.put(15)
    assert validate(acct(1), call) == 0


def test_associate_evm_key_validate(chain: Chain) -> None:
    """`associate_evm_key` from a hotkey without a uid is UidNotFound (19); within the rate
    limit of its last association EvmKeyAssociateRateLimitExceeded (20)."""
    hotkey = acct(2)
    call = sub("associate_evm_key", netuid=NETUID, evm_key=bytes(20), block_number=0, signature=bytes(65))
    assert validate(hotkey, call) == custom(19)
    add_network(NETUID, 2)
    append_neuron(NETUID, hotkey, 0)
    uid = S.Uids.get(NETUID, hotkey)
    system.pallet.Storage.Number.put(5)
    assert validate(hotkey, call) == 0
    S.AssociatedEvmAddress.insert(NETUID, uid, (bytes(20), 5))
    assert validate(hotkey, call) == custom(20)
    system.pallet.Storage.Number.put(6)  # the runtime's (fast) rate limit: 1 block
    assert validate(hotkey, call) == 0


def test_add_stake_burn_validate(chain: Chain) -> None:
    """`add_stake_burn`: only the subnet owner (else BadSigner), with a priority boost of 100."""
    owner = acct(1)
    add_network(NETUID, 2)
    S.SubnetOwner.insert(NETUID, owner)
    call = sub("add_stake_burn", hotkey=acct(2), netuid=NETUID, amount=1, limit=None)
    assert validate(acct(9), call) == ("Invalid", "BadSigner", None)
    assert validate(owner, call) == 100


def test_coldkey_swap_guard_looks_through_proxies(chain: Chain) -> None:
    """check_coldkey_swap.rs `validate_calls_correctly` (its proxy and MevShield cases): a
    forbidden call proxied for an account with a swap announced is refused (0), the swap's own
    calls and `MevShield.submit_encrypted` pass; an unresolvable real account is
    InvalidRealAccount (22); once disputed, proxied calls are refused (21)."""
    who, delegate = acct(1), acct(5)
    S.ColdkeySwapAnnouncements.insert(who, (1, blake2_256(acct(3))))
    transfer = ("Balances", ("transfer_keep_alive", {"dest": ("Id", acct(3)), "value": 10**11}))
    dispute = sub("dispute_coldkey_swap")

    def proxied(call: tuple, name: str = "proxy", real: tuple = ("Id", who)) -> tuple:
        args = {"real": real, "force_proxy_type": None, "call": call}
        if name == "proxy_announced":
            args["delegate"] = ("Id", delegate)
        return ("Proxy", (name, args))

    for name in ("proxy", "proxy_announced"):
        assert validate(delegate, proxied(transfer, name)) == custom(0)
        assert validate(delegate, proxied(dispute, name)) == 0
    shielded = ("MevShield", ("submit_encrypted", {"commitment": bytes(32), "ciphertext": b""}))
    assert validate(who, shielded) == 0
    assert validate(delegate, proxied(transfer, real=("Index", 3))) == custom(22)
    S.ColdkeySwapDisputes.insert(who, 1)
    assert validate(delegate, proxied(dispute)) == custom(21)
    assert validate(delegate, transfer) == 0  # the delegate itself is free
