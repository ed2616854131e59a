"""btcli 9.21.2 staking with its DEFAULT settings (MEV protection on, safe staking with a 0.5%
rate tolerance) against a fresh dev chain, run non-interactively as a user runs it (see
test_client_btcli.py for the venv and the isolated HOME). The wallet `charlie` (coldkey and
hotkey //Charlie, registered on subnet 2; //Charlie is not the block author, so every fee he
pays stays paid) stakes, moves, transfers and swaps stake; what btcli prints and what lands
on chain are compared with storage, events and the runtime APIs read independently through
substrate-interface (tests/integration/staking_chain.py), the alpha received with
`SwapRuntimeApi.sim_swap_*` at the block before the trade.

Every shielded command lands as `MevShield.submit_encrypted` (the carrier, signed at the
nonce) followed in the same block by the opened inner call (signed at nonce+1): issue 10's
"btcli stakes with its default (shielded) settings".
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from substrateinterface import SubstrateInterface

from tests.integration import staking_chain as sc
from tests.integration.conftest import client_venv_python
from tests.integration.test_client_btcli import Btcli

pytestmark = pytest.mark.slow
CHARLIE = sc.CHARLIE.ss58_address
RAO = 10**9


class Cli(Btcli):
    """btcli with the wallet `charlie` (hotkey `default`, both //Charlie)."""

    def stake(self, *args: str) -> str:
        return self.run("stake", *args, "--wallet-path", str(self.home / "wallets"), "--wallet-name", "charlie",
                        "--hotkey", "default", "--no-prompt", wallet=False)

    def stake_json(self, *args: str) -> dict:
        out = self.stake(*args, "--json-output")
        return json.loads(out[out.index("{"):out.rindex("}") + 1])


@pytest.fixture(scope="module")
def chain(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    sc.prepare(s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def btcli(dev_node, tmp_path_factory, chain):
    python = client_venv_python("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt")
    cli = Cli(python.parent / "btcli", tmp_path_factory.mktemp("btcli-home"), dev_node)
    out = cli.run("wallet", "create", "--uri", "charlie", "--no-use-password", "--wallet-path",
                  str(cli.home / "wallets"), "--wallet-name", "charlie", "--hotkey", "default",
                  wallet=False, network=False)
    assert "Wallet created from URI: //Charlie" in out, out
    return cli


def _block_of(s: SubstrateInterface, extrinsic_id: str) -> str:
    """The hash of the block of btcli's `extrinsic_identifier` (`<block>-<index>`)."""
    return s.get_block_hash(int(extrinsic_id.split("-")[0]))


def _find(s: SubstrateInterface, since: int, event: str) -> str:
    """The first block after `since` with a SubtensorModule `event`."""
    for number in range(since + 1, s.get_block_number(s.get_chain_head()) + 1):
        block_hash = s.get_block_hash(number)
        if sc.block_events(s, block_hash, "SubtensorModule", event):
            return block_hash
    raise AssertionError(f"no {event} since #{since}")


def _shielded(s: SubstrateInterface, block_hash: str, inner: str) -> dict:
    """The carrier and the opened inner call side by side; returns the inner call's args."""
    calls = sc.block_calls(s, block_hash)
    assert "MevShield.submit_encrypted" in calls and f"SubtensorModule.{inner}" in calls, calls
    assert calls.index("MevShield.submit_encrypted") + 1 == calls.index(f"SubtensorModule.{inner}"), calls
    ext = s.get_block(block_hash=block_hash)["extrinsics"][calls.index(f"SubtensorModule.{inner}")].value
    assert ext["address"] == CHARLIE
    return {a["name"]: a["value"] for a in ext["call"]["call_args"]}


def _one(s: SubstrateInterface, block_hash: str, name: str) -> tuple:
    (event,) = sc.block_events(s, block_hash, "SubtensorModule", name)
    return event["attributes"]


def test_default_stake_add_is_shielded_and_priced_by_the_pool(btcli, chain):
    s = chain
    start = s.get_block_number(s.get_chain_head())
    free0, stake0 = sc.free(s, CHARLIE), sc.stake(s, CHARLIE, CHARLIE, 2)
    out = btcli.stake("add", "--amount", "1", "--netuid", "2")
    block = _find(s, start, "StakeAdded")
    args = _shielded(s, block, "add_stake_limit")
    before = sc.parent(s, block)
    assert args["amount_staked"] == RAO and args["allow_partial"] is False
    # btcli's limit: the price it read, raised by its default 0.5% tolerance
    assert args["limit_price"] == pytest.approx(sc.price(s, 2, before) * 1.005, rel=1e-6)
    coldkey, hotkey, tao, alpha, netuid, fee = _one(s, block, "StakeAdded")
    sim = sc.sim_swap(s, 2, tao=RAO, block_hash=before)
    assert (coldkey, hotkey, tao, netuid) == (CHARLIE, CHARLIE, RAO, 2)
    assert (alpha, fee) == (sim["alpha_amount"], sim["tao_fee"]), sim
    stake1 = sc.stake(s, CHARLIE, CHARLIE, 2, block)
    assert abs(stake1 - stake0 - alpha) <= 1
    assert sc.free(s, CHARLIE, block) == free0 - RAO - sc.fees_paid(s, block, CHARLIE)
    tao0, alpha_in0, alpha_out0 = sc.reserves(s, 2, before)
    tao1, alpha_in1, alpha_out1 = sc.reserves(s, 2, block)
    assert (alpha_in0 - alpha_in1, alpha_out1 - alpha_out0) == (alpha, alpha)
    assert tao1 - tao0 == RAO - fee  # the fee goes to the block author, not the reserve
    # what btcli prints: the balance and the stake before and after, to 4 decimals
    text = " ".join(out.split())
    m = re.search(r"Balance: ‎?([\d,.]+) τ‎? ➡ ‎?([\d,.]+) τ", text)
    assert m and float(m[2].replace(",", "")) == pytest.approx(sc.free(s, CHARLIE, block) / RAO, abs=1e-4), text
    m = re.search(r"Stake: ‎?([\d,.]+) \S+ ➡ ‎?([\d,.]+) ", text)
    assert m and float(m[2]) == pytest.approx(stake1 / RAO, abs=1e-4), text


def test_partial_fill_stops_at_the_limit_price(btcli, chain):
    s = chain
    free0 = sc.free(s, CHARLIE)
    got = btcli.stake_json("add", "--amount", "40", "--netuid", "2", "--allow-partial")
    assert got["staking_success"]["2"][CHARLIE] is True, got
    block = _block_of(s, got["extrinsic_ids"]["2"][CHARLIE])
    args = _shielded(s, block, "add_stake_limit")
    before = sc.parent(s, block)
    assert args["amount_staked"] == 40 * RAO and args["allow_partial"] is True
    _, _, tao, alpha, _, fee = _one(s, block, "StakeAdded")
    # 40 TAO would move a ~1000 TAO pool's price ~8%: only what takes it to the limit executes,
    # the rest never leaves the coldkey
    assert 0 < tao < 40 * RAO
    assert sc.free(s, CHARLIE, block) == free0 - tao - sc.fees_paid(s, block, CHARLIE)
    price_after = sc.price(s, 2, block)
    assert price_after <= args["limit_price"]
    assert price_after == pytest.approx(args["limit_price"], rel=1e-4)
    sim = sc.sim_swap(s, 2, tao=tao, block_hash=before)
    assert (alpha, fee) == (sim["alpha_amount"], sim["tao_fee"])


def test_default_stake_remove_is_shielded_and_priced_by_the_pool(btcli, chain):
    s = chain
    start = s.get_block_number(s.get_chain_head())
    stake0, free0 = sc.stake(s, CHARLIE, CHARLIE, 2), sc.free(s, CHARLIE)
    btcli.stake("remove", "--amount", "0.1", "--netuid", "2")
    block = _find(s, start, "StakeRemoved")
    args = _shielded(s, block, "remove_stake_limit")  # safe staking: the price less 0.5%
    before = sc.parent(s, block)
    assert args["amount_unstaked"] == RAO // 10 and args["allow_partial"] is False
    assert args["limit_price"] == pytest.approx(sc.price(s, 2, before) * 0.995, rel=1e-6)
    _, _, tao, alpha, _, fee = _one(s, block, "StakeRemoved")
    sim = sc.sim_swap(s, 2, alpha=RAO // 10, block_hash=before)
    assert (alpha, tao, fee) == (RAO // 10, sim["tao_amount"], sim["alpha_fee"])
    assert stake0 - sc.stake(s, CHARLIE, CHARLIE, 2, block) == RAO // 10
    assert sc.free(s, CHARLIE, block) == free0 + tao - sc.fees_paid(s, block, CHARLIE)


def test_move_stake_across_hotkeys_and_subnets(btcli, chain):
    s = chain
    dave = sc.DAVE.ss58_address
    origin0, dest0 = sc.stake(s, CHARLIE, CHARLIE, 2), sc.stake(s, dave, CHARLIE, 1)
    got = btcli.stake_json("move", "--origin-netuid", "2", "--dest-netuid", "1", "--dest", dave,
                           "--amount", "0.2")
    assert got["success"] is True, got
    block = _block_of(s, got["extrinsic_identifier"])
    args = _shielded(s, block, "move_stake")
    assert (args["origin_netuid"], args["destination_netuid"], args["alpha_amount"]) == (2, 1, RAO // 5)
    before = sc.parent(s, block)
    _, _, tao_out, alpha_sold, _, _ = _one(s, block, "StakeRemoved")
    _, _, tao_in, alpha_bought, _, fee_in = _one(s, block, "StakeAdded")
    assert alpha_sold == RAO // 5 and tao_in == tao_out
    # the origin leg pays the swap fee; the destination leg is fee-free (move_stake.rs)
    assert tao_out == sc.sim_swap(s, 2, alpha=RAO // 5, block_hash=before)["tao_amount"]
    assert fee_in == 0
    assert _one(s, block, "StakeMoved") == (CHARLIE, CHARLIE, 2, dave, 1, tao_out)
    assert abs(origin0 - sc.stake(s, CHARLIE, CHARLIE, 2, block) - RAO // 5) <= 1
    assert abs(sc.stake(s, dave, CHARLIE, 1, block) - dest0 - alpha_bought) <= 1


def test_transfer_stake_to_another_coldkey(btcli, chain):
    s = chain
    eve = sc.EVE.ss58_address
    mine0, free_eve = sc.stake(s, CHARLIE, CHARLIE, 2), sc.free(s, eve)
    got = btcli.stake_json("transfer", "--origin-netuid", "2", "--dest-netuid", "2", "--dest", eve,
                           "--amount", "0.2")
    assert got["success"] is True, got
    block = _block_of(s, got["extrinsic_identifier"])
    args = _shielded(s, block, "transfer_stake")
    assert (args["destination_coldkey"], args["alpha_amount"]) == (eve, RAO // 5)
    transferred = _one(s, block, "StakeTransferred")
    assert transferred[:5] == (CHARLIE, eve, CHARLIE, 2, 2), transferred
    # within a subnet the alpha itself changes owner: no swap, no TAO moves
    assert abs(sc.stake(s, CHARLIE, eve, 2, block) - RAO // 5) <= 1
    assert abs(mine0 - sc.stake(s, CHARLIE, CHARLIE, 2, block) - RAO // 5) <= 1
    assert sc.free(s, eve, block) == free_eve
    assert sc.reserves(s, 2, block) == sc.reserves(s, 2, sc.parent(s, block))


def test_swap_stake_between_subnets(btcli, chain):
    s = chain
    origin0, dest0 = sc.stake(s, CHARLIE, CHARLIE, 2), sc.stake(s, CHARLIE, CHARLIE, 1)
    got = btcli.stake_json("swap", "--origin-netuid", "2", "--dest-netuid", "1", "--amount", "0.2")
    assert got["success"] is True, got
    block = _block_of(s, got["extrinsic_identifier"])
    args = _shielded(s, block, "swap_stake_limit")  # safe staking: the price-ratio limit
    assert (args["origin_netuid"], args["destination_netuid"], args["alpha_amount"]) == (2, 1, RAO // 5)
    _, _, tao_out, alpha_sold, _, _ = _one(s, block, "StakeRemoved")
    _, _, tao_in, alpha_bought, _, _ = _one(s, block, "StakeAdded")
    assert alpha_sold == RAO // 5 and tao_in == tao_out
    assert _one(s, block, "StakeSwapped")[:4] == (CHARLIE, CHARLIE, 2, 1)
    assert abs(origin0 - sc.stake(s, CHARLIE, CHARLIE, 2, block) - RAO // 5) <= 1
    assert abs(sc.stake(s, CHARLIE, CHARLIE, 1, block) - dest0 - alpha_bought) <= 1


def test_stake_list_is_stake_info(btcli, chain):
    s = chain
    got = btcli.stake_json("list")
    infos = sc.stake_info_for_coldkey(s, CHARLIE)
    listed = {(hotkey, row["netuid"]): row for hotkey, rows in got["stake_info"].items() for row in rows}
    assert set(listed) == {(i["hotkey"], i["netuid"]) for i in infos if i["stake"]}, got
    for info in infos:
        row = listed.get((info["hotkey"], info["netuid"]))
        if row is None:
            continue
        assert round(row["stake_value"] * RAO) == info["stake"], (row, info)
        assert row["rate"] == pytest.approx(sc.price(s, info["netuid"]) / RAO, rel=1e-9), row
        assert row["registered"] is info["is_registered"], row
    assert round(got["free_balance"] * RAO) == sc.free(s, CHARLIE)


def test_bittensor11_cli_stake_add_is_shielded_by_default(btcli, chain, dev_node):
    """bittensor 11.3.0 ships its own `btcli` (bittensor.cli), whose stake-trading commands
    shield by default: `stake add` with the same wallet files lands as `submit_encrypted` plus
    the opened `add_stake_limit` (its default 5% slippage bound), priced by the pool."""
    s = chain
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    proc = subprocess.run([str(python.parent / "btcli"), "stake", "add", "--hotkey", CHARLIE, "--netuid", "2",
                           "--amount", "0.5", "-y", "--json", "-n", dev_node.ws_url, "-w", "charlie",
                           "--wallet-path", str(btcli.home / "wallets")],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "HOME": str(btcli.home), "COLUMNS": "200"}, cwd=btcli.home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert got["success"] is True and got["data"]["shielded"] is True, got
    block = got["block_hash"]
    before = sc.parent(s, block)
    args = _shielded(s, block, "add_stake_limit")
    assert args["limit_price"] == pytest.approx(sc.price(s, 2, before) * 1.05, rel=1e-6)
    _, _, tao, alpha, _, fee = _one(s, block, "StakeAdded")
    sim = sc.sim_swap(s, 2, tao=RAO // 2, block_hash=before)
    assert (tao, alpha, fee) == (RAO // 2, sim["alpha_amount"], sim["tao_fee"])
    assert got["fee_tao"] == pytest.approx(
        [e["attributes"]["actual_fee"] for e in sc.block_events(s, block, "TransactionPayment", "TransactionFeePaid")
         if e["attributes"]["who"] == CHARLIE][-1] / RAO, abs=1e-9)


def _nothing_moved(s: SubstrateInterface, block: str, netuid: int, hotkey: str) -> None:
    before = sc.parent(s, block)
    assert sc.reserves(s, netuid, block) == sc.reserves(s, netuid, before)
    assert sc.stake(s, hotkey, CHARLIE, netuid, block) == sc.stake(s, hotkey, CHARLIE, netuid, before)
    # only the fees left the coldkey: the carrier's and the failing inner call's
    assert sc.free(s, CHARLIE, block) == sc.free(s, CHARLIE, before) - sc.fees_paid(s, block, CHARLIE)


@pytest.mark.parametrize(("label", "args", "netuid", "error"), [
    ("below the minimum", ("--amount", "0.0019", "--netuid", "2", "--unsafe"), 2, "AmountTooLow"),
    ("slippage beyond the tolerance", ("--amount", "40", "--netuid", "2"), 2, "SlippageTooHigh"),
])
def test_bad_stake_add(btcli, chain, label, args, netuid, error):
    s = chain
    start = s.get_block_number(s.get_chain_head())
    out = " ".join(btcli.stake("add", *args).split())
    assert f"Subtensor returned `{error}(Module)` error" in out, out
    for number in range(start + 1, s.get_block_number(s.get_chain_head()) + 1):
        block = s.get_block_hash(number)
        if sc.module_error(s, block):
            break
    assert sc.module_error(s, block) == (error, 7)
    _shielded(s, block, "add_stake" if "--unsafe" in args else "add_stake_limit")
    _nothing_moved(s, block, netuid, CHARLIE)


def test_stake_on_a_disabled_subtoken(btcli, chain):
    s = chain
    sc.submit(s, sc.ALICE, "AdminUtils", "sudo_set_subtoken_enabled", {"netuid": 1, "subtoken_enabled": False},
              sudo=True)
    start = s.get_block_number(s.get_chain_head())
    try:
        out = " ".join(btcli.stake("add", "--amount", "0.01", "--netuid", "1").split())
    finally:
        sc.submit(s, sc.ALICE, "AdminUtils", "sudo_set_subtoken_enabled", {"netuid": 1, "subtoken_enabled": True},
                  sudo=True)
    assert "Subtensor returned `SubtokenDisabled(Module)` error" in out, out
    for number in range(start + 1, s.get_block_number(s.get_chain_head()) + 1):
        block = s.get_block_hash(number)
        if sc.module_error(s, block):
            break
    assert sc.module_error(s, block) == ("SubtokenDisabled", 7)
    _nothing_moved(s, block, 1, CHARLIE)
