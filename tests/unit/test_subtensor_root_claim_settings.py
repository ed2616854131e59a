"""`sudo_set_num_root_claims` and `sudo_set_root_claim_threshold`: ported from subtensor's Rust
tests (pallets/subtensor/src/tests/claim_root.rs at spec 381), each naming its Rust test."""

from __future__ import annotations

import pysubtensor.pallets.subtensor as st
from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.staking.calls import MAX_NUM_ROOT_CLAIMS, MAX_ROOT_CLAIM_THRESHOLD
from pysubtensor.pallets.support.dispatch import BadOrigin, Origin
from pysubtensor.primitives.fixed import I96F32
from tests.unit import test_subtensor_registration as registration
from tests.unit.test_subtensor_registration import Chain, acct, add_dynamic_network

chain = registration.chain
S = st.pallet.Storage


def test_sudo_set_num_root_claims(chain: Chain) -> None:
    """claim_root.rs `test_sudo_set_num_root_claims`."""
    chain.fails(BadOrigin, "sudo_set_num_root_claims", acct(1003), new_value=50)
    chain.fails(Error.InvalidNumRootClaim, "sudo_set_num_root_claims", Origin.root(), new_value=MAX_NUM_ROOT_CLAIMS + 1)
    assert MAX_NUM_ROOT_CLAIMS == 50
    chain.call("sudo_set_num_root_claims", Origin.root(), new_value=MAX_NUM_ROOT_CLAIMS)
    assert S.NumRootClaim.get() == 50
    chain.call("sudo_set_num_root_claims", Origin.root(), new_value=27)
    assert S.NumRootClaim.get() == 27


def test_claim_root_threshold(chain: Chain) -> None:
    """claim_root.rs `test_claim_root_threshold`: root and the subnet owner set it (as
    I96F32); another signer is BadOrigin; above MAX_ROOT_CLAIM_THRESHOLD is refused."""
    owner, hotkey = acct(1001), acct(1002)
    netuid = add_dynamic_network(chain, hotkey, owner)
    # `DefaultMinRootClaimAmount`: 500_000 as I96F32.
    assert S.RootClaimableThreshold.get(netuid) == I96F32.from_num(500_000)
    chain.call("sudo_set_root_claim_threshold", Origin.root(), netuid=netuid, new_value=1000)
    assert S.RootClaimableThreshold.get(netuid) == I96F32.from_num(1000)
    chain.call("sudo_set_root_claim_threshold", owner, netuid=netuid, new_value=2000)
    assert S.RootClaimableThreshold.get(netuid) == I96F32.from_num(2000)
    chain.fails(BadOrigin, "sudo_set_root_claim_threshold", hotkey, netuid=netuid, new_value=2000)
    assert MAX_ROOT_CLAIM_THRESHOLD == 10_000_000
    chain.fails(Error.InvalidRootClaimThreshold, "sudo_set_root_claim_threshold", owner, netuid=netuid,
                new_value=MAX_ROOT_CLAIM_THRESHOLD + 1)
    chain.call("sudo_set_root_claim_threshold", owner, netuid=netuid, new_value=MAX_ROOT_CLAIM_THRESHOLD)
    assert S.RootClaimableThreshold.get(netuid) == I96F32.from_num(MAX_ROOT_CLAIM_THRESHOLD)
