"""`StakeInfoRuntimeApi` over seeded stake, called through the runtime API dispatcher as
`state_call` does, the output decoded by bt-decode as the real finney 343 output type. What
each position must hold is what the Rust getters read at spec 381
(`pallets/subtensor/src/rpc_info/stake_info.rs`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pysubtensor.pallets.subtensor.coinbase.storage import AlphaDividendsPerSubnet
from pysubtensor.pallets.subtensor.neurons.storage import Uids
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.staking import accounting as acc
from pysubtensor.pallets.subtensor.subnets.storage import NetworksAdded
from pysubtensor.primitives.externalities import Externalities
from pysubtensor.primitives.scale import U16, U64, Option, Tuple, Vec
from pysubtensor.primitives.types import ACCOUNT_ID
from pysubtensor.runtime.apis import call
from tests.support.frame import frame_env
from tests.unit.test_subtensor_info_apis import decode_output

API = "StakeInfoRuntimeApi"
H1, H2, C1, C2 = b"\x11" * 32, b"\x12" * 32, b"\xc1" * 32, b"\xc2" * 32


@pytest.fixture
def ext() -> Iterator[Externalities]:
    with frame_env() as ext:
        # netuid 256 sorts before 1 in NetworksAdded's key order (Identity over the LE bytes)
        for netuid in (0, 1, 256):
            NetworksAdded.insert(netuid, True)
        acc.increase_stake_for_hotkey_and_coldkey_on_subnet(H1, C1, 1, 5_000)
        acc.increase_stake_for_hotkey_and_coldkey_on_subnet(H2, C1, 1, 7_000)
        acc.increase_stake_for_hotkey_and_coldkey_on_subnet(H1, C1, 256, 9_000)
        acc.increase_stake_for_hotkey_and_coldkey_on_subnet(H2, C1, 256, 3_000)
        acc.increase_stake_for_hotkey_and_coldkey_on_subnet(H1, C2, 1, 1_000)
        acc.increase_stake_for_hotkey_on_subnet(H1, 1, 6_000)  # emission: C1 and C2 gain 5:1
        AlphaDividendsPerSubnet.insert(1, H1, 42)
        Uids.insert(1, H1, 0)
        yield ext


def account(value: Any) -> bytes:
    """bt-decode gives an AccountId32 as a 1-tuple of its bytes."""
    return bytes(value[0]) if isinstance(value, tuple) else bytes(value)


def positions(decoded: Any) -> list[tuple]:
    return [(account(p["hotkey"]), account(p["coldkey"]), p["netuid"], p["stake"], p["locked"], p["emission"],
             p["tao_emission"], p["drain"], p["is_registered"]) for p in decoded]


def test_get_stake_info_for_coldkey(ext: Externalities) -> None:
    """Subnets in `get_all_subnet_netuids` order, then `StakingHotkeys` order; zero stakes left out."""
    data = call(f"{API}_get_stake_info_for_coldkey", ACCOUNT_ID.encode(C1), ext)
    assert positions(decode_output(API, "get_stake_info_for_coldkey", data)) == [
        (H1, C1, 256, 9_000, 0, 0, 0, 0, False),
        (H2, C1, 256, 3_000, 0, 0, 0, 0, False),
        (H1, C1, 1, 10_000, 0, 42, 0, 0, True),
        (H2, C1, 1, 7_000, 0, 0, 0, 0, False),
    ]
    assert call(f"{API}_get_stake_info_for_coldkey", ACCOUNT_ID.encode(b"\x99" * 32), ext) == b"\x00"


def test_get_stake_info_for_coldkeys(ext: Externalities) -> None:
    data = call(f"{API}_get_stake_info_for_coldkeys", Vec(ACCOUNT_ID).encode([C2, b"\x99" * 32]), ext)
    decoded = decode_output(API, "get_stake_info_for_coldkeys", data)
    assert [(account(k), positions(v)) for k, v in decoded] == [
        (C2, [(H1, C2, 1, 2_000, 0, 42, 0, 0, True)]), (b"\x99" * 32, [])]
    assert call(f"{API}_get_stake_info_for_coldkeys", Vec(ACCOUNT_ID).encode([]), ext) == b"\x00"


def test_get_stake_info_for_hotkey_coldkey_netuid(ext: Externalities) -> None:
    """Always `Some`, also for a position with no stake."""
    args = Tuple(ACCOUNT_ID, ACCOUNT_ID, U16)
    data = call(f"{API}_get_stake_info_for_hotkey_coldkey_netuid", args.encode((H1, C2, 1)), ext)
    assert positions([decode_output(API, "get_stake_info_for_hotkey_coldkey_netuid", data)]) == [
        (H1, C2, 1, 2_000, 0, 42, 0, 0, True)]
    data = call(f"{API}_get_stake_info_for_hotkey_coldkey_netuid", args.encode((H2, C2, 7)), ext)
    assert positions([decode_output(API, "get_stake_info_for_hotkey_coldkey_netuid", data)]) == [
        (H2, C2, 7, 0, 0, 0, 0, 0, False)]


class FeeQuote:
    """A pool quoting 1/1000 of the amount, tagged with the netuid it was asked about."""

    def approx_fee_amount(self, netuid: int, amount: int) -> int:
        return amount // 1000 + netuid


def test_get_stake_fee(ext: Externalities) -> None:
    """0 when origin and destination are equal; otherwise the destination's subnet, else the origin's."""
    side = Option(Tuple(ACCOUNT_ID, U16))

    def fee(origin, destination, amount=1_000_000) -> int:
        args = side.encode(origin) + ACCOUNT_ID.encode(C1) + side.encode(destination) + ACCOUNT_ID.encode(C2) + \
            U64.encode(amount)
        return U64.decode_all(call(f"{API}_get_stake_fee", args, ext))

    with pallet.bound(swap=FeeQuote()):
        assert fee((H1, 1), (H1, 1)) == 0
        assert fee(None, None) == 0
        assert fee((H1, 1), (H2, 3)) == 1_003
        assert fee((H1, 5), None) == 1_005
        assert fee(None, (H2, 4), 2_000_000) == 2_004
