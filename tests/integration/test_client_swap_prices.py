"""Subnet prices through a running dev node after a `burned_register` on the dynamic subnet 1:
substrate-interface (this venv) submits the registration and reads the pool's reserves and
`Swap.AlphaSqrtPrice`; bittensor 10.2.0 (its own venv, `$PYSUBTENSOR_BT10_VENV`) reads the
prices as a user does (tests/clients/bittensor_sdk/prices.py); btcli 9.21.2
(`$PYSUBTENSOR_BTCLI_VENV`) registers on subnet 1 itself and lists the subnets with their
prices (from `AlphaSqrtPrice`). All must agree with the reserves: the pool has equal weights,
so its price is SubnetTAO / SubnetAlphaIn.
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client
from tests.integration.test_client_btcli import Btcli

NETUID = 1


@pytest.fixture(scope="module")
def registered(dev_node):
    """//Bob burns for a hotkey on subnet 1; the chain's reserves and sqrt price after it."""
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    before = (s.query("SubtensorModule", "SubnetTAO", [NETUID]).value,
              s.query("SubtensorModule", "SubnetAlphaIn", [NETUID]).value)
    bob, hotkey = Keypair.create_from_uri("//Bob"), Keypair.create_from_uri("//Bob_hk_swap")
    call = s.compose_call("SubtensorModule", "burned_register", {"netuid": NETUID, "hotkey": hotkey.ss58_address})
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call=call, keypair=bob), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    block_hash = receipt.block_hash
    # The burn it paid: that block's price (the burn decays every block and rises at each
    # registration), the step of `RAORecycledForRegistration` over the block.
    parent = s.get_block_header(block_hash=block_hash)["header"]["parentHash"]
    burn = (s.query("SubtensorModule", "RAORecycledForRegistration", [NETUID], block_hash=block_hash).value
            - s.query("SubtensorModule", "RAORecycledForRegistration", [NETUID], block_hash=parent).value)
    state = {
        "before": before, "burn": burn,
        "tao": s.query("SubtensorModule", "SubnetTAO", [NETUID], block_hash=block_hash).value,
        "alpha": s.query("SubtensorModule", "SubnetAlphaIn", [NETUID], block_hash=block_hash).value,
        "sqrt_map": {k.value: v.value["bits"] if isinstance(v.value, dict) else v.value
                     for k, v in s.query_map("Swap", "AlphaSqrtPrice", block_hash=block_hash)},
        "uid": s.query("SubtensorModule", "Uids", [NETUID, hotkey.ss58_address], block_hash=block_hash).value,
        "events": [e.value["event"] for e in receipt.triggered_events],
        "head": s.get_chain_head(),
    }
    s.close()
    return state


def test_burned_register_moves_the_pool(registered):
    tao0, alpha0 = registered["before"]
    assert registered["uid"] is not None
    # the burn (less the 33/65535 fee) entered the TAO reserve and alpha left the pool
    fee = registered["burn"] * 33 // 65535
    assert registered["tao"] - tao0 in (registered["burn"] - fee, registered["burn"] - fee - 1)
    assert registered["alpha"] < alpha0
    # constant product (equal weights): the alpha out is x·Δy/(y+Δy), floored
    dy = registered["tao"] - tao0
    assert alpha0 - registered["alpha"] == alpha0 * dy // (tao0 + dy)


def test_alpha_sqrt_price_squares_to_the_pool_price(registered):
    """`Swap.AlphaSqrtPrice` (U64F64, Twox64Concat u16), as substrate-interface decodes it from
    our metadata: only the dynamic subnet, its square the reserves' ratio."""
    sqrt_map = registered["sqrt_map"]
    assert list(sqrt_map) == [NETUID]
    price = registered["tao"] / registered["alpha"]
    assert abs((sqrt_map[NETUID] / 2**64) ** 2 - price) < 1e-12


def test_bittensor_10_prices_agree_with_storage(dev_node, registered):
    python = client_venv_python("PYSUBTENSOR_BT10_VENV", ".venv-bt10", "tests/clients/bt10/requirements.txt")
    run = run_client("bittensor 10.2.0 prices", [str(python), str(CLIENTS_DIR / "bittensor_sdk" / "prices.py"),
                                                 dev_node.ws_url, str(NETUID)], dev_node, REPO_ROOT)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    steps = {k: v["value"] for k, v in run.summary["steps"].items()}
    # No other extrinsic runs on this chain after the registration: the head's reserves are these.
    exact = registered["tao"] * 10**9 // registered["alpha"]  # rao per alpha, the runtime API's floor
    assert exact > 10**9  # the burn bought alpha: the price rose from 1.0
    # U64F64 (y/x, floored) times 1e9, floored: the exact ratio's floor or one below
    assert steps["subnet_price"] == steps["get_subnet_price"] in (exact, exact - 1), run.report()
    assert steps["subnets_info_netuids"] == [0, NETUID], run.report()
    for step in ("all_subnets_prices", "get_subnet_prices"):
        prices = {int(k): v for k, v in steps[step].items()}
        # from the squared sqrt price in floats: within 2 rao of the exact floor
        assert abs(prices[NETUID] - exact) <= 2, (step, prices, exact)
        assert prices[0] == 10**9, (step, prices)  # root: 1 TAO, as the SDK sets it


def test_btcli_registers_and_lists_the_moved_price(dev_node, registered, tmp_path_factory):
    """btcli 9.21.2 `subnets register --netuid 1 --unsafe` (a `burned_register`: its default
    safe path sends `register_limit`, newer than spec 381) moves the pool again; `subnets list`
    then shows subnet 1 at the reserves' price (its float of √price squared, in TAO)."""
    python = client_venv_python("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt")
    cli = Btcli(python.parent / "btcli", tmp_path_factory.mktemp("btcli-swap-home"), dev_node)
    cli.run("wallet", "create", "--uri", "alice", "--no-use-password", network=False)
    out = cli.run("subnets", "register", "--netuid", str(NETUID), "--no-prompt", "--unsafe")
    assert f"Registered on netuid {NETUID}" in out, out
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    tao = s.query("SubtensorModule", "SubnetTAO", [NETUID]).value
    alpha = s.query("SubtensorModule", "SubnetAlphaIn", [NETUID]).value
    s.close()
    assert (tao, alpha) != (registered["tao"], registered["alpha"])
    listed = cli.json("subnets", "list", wallet=False)["subnets"]
    assert listed[str(NETUID)]["liquidity"] == {"tao_in": tao / 1e9, "alpha_in": alpha / 1e9}
    assert abs(listed[str(NETUID)]["price"] - tao / alpha) <= 2e-9
    assert listed["0"]["price"] == 1.0


def test_set_fee_rate_and_a_deprecated_call_through_substrate_interface(dev_node, registered):
    """Swap's calls from a real client: root (Alice's sudo on the dev chain) sets subnet 1's fee
    rate, read back from storage with its `FeeRateSet` event; a user-liquidity call fails
    with the module error `Deprecated`, as main's runtime answers it. (Runs last: the other
    tests here read the pool at the default fee.)"""
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    alice, bob = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")
    assert s.query("Swap", "FeeRate", [NETUID]).value == 33
    inner = s.compose_call("Swap", "set_fee_rate", {"netuid": NETUID, "rate": 196})
    call = s.compose_call("Sudo", "sudo", {"call": inner})
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call=call, keypair=alice), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    events = [(e.value["module_id"], e.value["event_id"], e.value["attributes"]) for e in receipt.triggered_events]
    assert ("Swap", "FeeRateSet", {"netuid": NETUID, "rate": 196}) in events
    assert s.query("Swap", "FeeRate", [NETUID], block_hash=receipt.block_hash).value == 196
    call = s.compose_call("Swap", "add_liquidity", {"hotkey": bob.ss58_address, "netuid": NETUID,
                                                    "tick_low": -100, "tick_high": 100, "liquidity": 1_000_000})
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call=call, keypair=bob), wait_for_inclusion=True)
    assert not receipt.is_success
    assert (receipt.error_message["type"], receipt.error_message["name"]) == ("Module", "Deprecated")
    s.close()
