"""Emission on a running dev node, read through substrate-interface (issue 12, "Must show").

Set-up with real extrinsics: //Alice registers a subnet and starts it (`StartCallDelay` 0 and
the subnet's tempo 10 by Sudo, and its EMA price halving period 1 so that its moving price, and
with it the subnet's share of the block's TAO, is non-zero from its first emitting block: the
default four weeks keep a new subnet's moving price at 0 for its first blocks); //Bob registers
his hotkey by `burned_register` and stakes on it, //Charlie delegates to it.

Then, block by block, with no transaction in between and each value read at its block:
Balances' total issuance, SubtensorModule's `TotalIssuance`, the subnet accounts' balances
(root's, subnet 1's, the new subnet's), the pools' `SubnetTAO` and `TotalStake` all grow by
the same amount, the block emission (1 TAO, less at most 2 rao of floors); the subnet's pending
emission grows each block and is drained at its epoch (`LastMechansimStepBlock`), where Bob's
stake and Charlie's delegated stake grow; `get_dynamic_info` (scalecodec) and bittensor 11.3's metagraph show the emission storage holds.
"""

from __future__ import annotations

import time

import pytest
from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client

pytestmark = pytest.mark.slow

ALICE, BOB, CHARLIE = (Keypair.create_from_uri(u) for u in ("//Alice", "//Bob", "//Charlie"))
OWNER_HOTKEY = Keypair.create_from_uri("//Alice//emission-owner")
TEMPO = 10
TAO = 10**9


def _submit(s: SubstrateInterface, keypair: Keypair, module: str, name: str, params: dict, sudo: bool = False):
    call = s.compose_call(module, name, params)
    if sudo:
        call = s.compose_call("Sudo", "sudo", {"call": call})
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call=call, keypair=keypair), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    return receipt


def _account(netuid: int) -> bytes:
    return (b"modl" + b"subtensr" + netuid.to_bytes(2, "little")).ljust(32, b"\0")


@pytest.fixture(scope="module")
def chain(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    _submit(s, ALICE, "AdminUtils", "sudo_set_start_call_delay", {"delay": 0}, sudo=True)
    _submit(s, ALICE, "AdminUtils", "sudo_set_admin_freeze_window", {"window": 0}, sudo=True)
    r = _submit(s, ALICE, "SubtensorModule", "register_network", {"hotkey": OWNER_HOTKEY.ss58_address})
    (netuid,) = [e.value["event"]["attributes"][0] for e in r.triggered_events
                 if e.value["event"]["event_id"] == "NetworkAdded"]
    _submit(s, ALICE, "AdminUtils", "sudo_set_tempo", {"netuid": netuid, "tempo": TEMPO}, sudo=True)
    _submit(s, ALICE, "AdminUtils", "sudo_set_ema_price_halving_period", {"netuid": netuid, "ema_halving": 1},
            sudo=True)
    _submit(s, BOB, "SubtensorModule", "burned_register", {"netuid": netuid, "hotkey": BOB.ss58_address})
    _submit(s, ALICE, "SubtensorModule", "start_call", {"netuid": netuid})
    _submit(s, BOB, "SubtensorModule", "add_stake",
            {"hotkey": BOB.ss58_address, "netuid": netuid, "amount_staked": 100 * TAO})
    r = _submit(s, CHARLIE, "SubtensorModule", "add_stake",
                {"hotkey": BOB.ss58_address, "netuid": netuid, "amount_staked": 10 * TAO})
    start = s.get_block_number(r.block_hash)
    yield s, netuid, start
    s.close()


def _at(s: SubstrateInterface, number: int, netuid: int) -> dict:
    h = s.get_block_hash(number)
    q = lambda item, params=None: s.query("SubtensorModule", item, params or [], block_hash=h).value  # noqa: E731
    return {
        "hash": h,
        "signed": sum(1 for x in s.get_block(h)["extrinsics"] if x.value.get("signature")),
        "balances": s.query("Balances", "TotalIssuance", block_hash=h).value,
        "subtensor": q("TotalIssuance"),
        "accounts": sum(s.query("System", "Account", [s.ss58_encode(_account(n))], block_hash=h).value["data"]["free"]
                        for n in (0, 1, netuid)),
        "pools": sum(q("SubnetTAO", [n]) for n in (0, 1, netuid)),
        "total_stake": q("TotalStake"),
        "moving_price": q("SubnetMovingPrice", [netuid]),
        "pending": [q(item, [netuid]) for item in ("PendingServerEmission", "PendingValidatorEmission",
                                                   "PendingRootAlphaDivs", "PendingOwnerCut")],
        "last_step": q("LastMechansimStepBlock", [netuid]),
        "bob": q("TotalHotkeyAlpha", [BOB.ss58_address, netuid]),
    }


def _bits(value) -> int:
    return value["bits"] if isinstance(value, dict) else value


def test_blocks_issue_the_emission_and_pay_at_the_epoch(chain, dev_node):
    s, netuid, start = chain
    # Two epochs' worth of blocks after the set-up.
    while s.get_block_number(s.get_chain_head()) < start + 2 * (TEMPO + 1) + 2:
        time.sleep(0.25)
    previous = _at(s, start + 1, netuid)
    epochs = emitting_blocks = 0
    for number in range(start + 2, start + 2 * (TEMPO + 1) + 2):
        now = _at(s, number, netuid)
        assert now["signed"] == 0  # inherents only: no fee moves TAO
        deltas = {k: now[k] - previous[k] for k in ("balances", "subtensor", "accounts", "pools", "total_stake")}
        issued = deltas["balances"]
        assert deltas == dict.fromkeys(deltas, issued), (number, deltas)
        if _bits(previous["moving_price"]) > 0:
            emitting_blocks += 1
            assert TAO - 2 <= issued <= TAO, (number, issued)
        if now["last_step"] == number:
            epochs += 1
            assert now["pending"][:3] == [0, 0, 0] and now["pending"][3] == 0, now["pending"]
            assert now["bob"] > previous["bob"]
        else:
            assert now["pending"][0] > previous["pending"][0]  # the miners' half accrues
        previous = now
    assert epochs == 2 and emitting_blocks >= 2 * TEMPO
    # Charlie's delegated stake grew with Bob's dividends: his shares are unchanged while the
    # pool they are shares of (`TotalHotkeyAlpha`) grew.
    def charlie(number: int) -> tuple:
        h = s.get_block_hash(number)
        share = s.query("SubtensorModule", "Alpha", [BOB.ss58_address, CHARLIE.ss58_address, netuid], block_hash=h)
        return share.value, s.query("SubtensorModule", "TotalHotkeyAlpha", [BOB.ss58_address, netuid],
                                    block_hash=h).value
    (share_before, pool_before), (share_after, pool_after) = charlie(start + 1), charlie(number)
    assert share_before == share_after and share_after and pool_after > pool_before


#: `DynamicInfo`'s leading fields (spec 381 `rpc_info/dynamic_info.rs`), for scalecodec.
_DYNAMIC_INFO_HEAD = {"type": "struct", "type_mapping": [
    ["netuid", "Compact<u16>"], ["owner_hotkey", "[u8; 32]"], ["owner_coldkey", "[u8; 32]"],
    ["subnet_name", "Vec<Compact<u8>>"], ["token_symbol", "Vec<Compact<u8>>"], ["tempo", "Compact<u16>"],
    ["last_step", "Compact<u64>"], ["blocks_since_last_step", "Compact<u64>"], ["emission", "Compact<u64>"],
    ["alpha_in", "Compact<u64>"], ["alpha_out", "Compact<u64>"], ["tao_in", "Compact<u64>"],
    ["alpha_out_emission", "Compact<u64>"], ["alpha_in_emission", "Compact<u64>"],
    ["tao_in_emission", "Compact<u64>"], ["pending_alpha_emission", "Compact<u64>"],
    ["pending_root_emission", "Compact<u64>"]]}


def _dynamic_info(s: SubstrateInterface, netuid: int, block_hash: str) -> dict:
    """`SubnetInfoRuntimeApi_get_dynamic_info` by `state_call`, decoded by scalecodec."""
    raw = s.rpc_request("state_call", ["SubnetInfoRuntimeApi_get_dynamic_info",
                                       "0x" + netuid.to_bytes(2, "little").hex(), block_hash])["result"]
    rc = RuntimeConfiguration()
    rc.update_type_registry(load_type_registry_preset("core"))
    rc.update_type_registry({"types": {"DynamicInfoHead": _DYNAMIC_INFO_HEAD}})
    return rc.create_scale_object("Option<DynamicInfoHead>", ScaleBytes(raw)).decode(check_remaining=False)


def test_dynamic_info_shows_the_stored_emission(chain):
    s, netuid, start = chain
    number = s.get_block_number(s.get_chain_head())
    h = s.get_block_hash(number)
    q = lambda item: s.query("SubtensorModule", item, [netuid], block_hash=h).value  # noqa: E731
    if q("LastMechansimStepBlock") == number:  # an epoch block drained the pending emission
        h = s.get_block_hash(number - 1)
    info = _dynamic_info(s, netuid, h)
    assert info["netuid"] == netuid
    assert info["alpha_out_emission"] == q("SubnetAlphaOutEmission") == TAO
    assert info["alpha_in_emission"] == q("SubnetAlphaInEmission") > 0
    assert info["tao_in_emission"] == q("SubnetTaoInEmission") > 0
    assert info["pending_alpha_emission"] == q("PendingValidatorEmission") + q("PendingServerEmission") > 0
    assert info["last_step"] == q("LastMechansimStepBlock") > start


def test_bittensor_11_metagraph_shows_the_emission(chain, dev_node):
    """bittensor 11.3's `read("metagraph")` (its own decoding) shows, at the block it read,
    the per-uid emission, dividends and incentives storage holds, Bob's alpha dividends and
    the subnet's emission figures."""
    s, netuid, _start = chain
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    run = run_client("bittensor 11.3 metagraph", [str(python), str(CLIENTS_DIR / "bittensor_sdk" / "emission11.py"),
                                                  dev_node.ws_url, str(netuid)], dev_node, REPO_ROOT)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    m = run.summary["metagraph"]
    h = s.get_block_hash(m["block"])
    q = lambda item, params: s.query("SubtensorModule", item, params, block_hash=h).value  # noqa: E731
    assert m["emission"] == q("Emission", [netuid]), run.report()
    assert m["dividends"] == q("Dividends", [netuid]), run.report()
    assert m["incentives"] == q("Incentive", [netuid]), run.report()
    uid = m["hotkeys"].index(BOB.ss58_address)
    # No weights are set: the epoch pays validators by stake (their Yuma dividends stay 0).
    assert m["emission"][uid] > 0, run.report()
    dividends = {hk: v for hk, v in m["alpha_dividends_per_hotkey"]}
    assert dividends[BOB.ss58_address] == q("AlphaDividendsPerSubnet", [netuid, BOB.ss58_address]) > 0, run.report()
    assert m["alpha_out_emission"] == q("SubnetAlphaOutEmission", [netuid]) == TAO, run.report()
    assert m["tao_in_emission"] == q("SubnetTaoInEmission", [netuid]) > 0, run.report()
    assert m["pending_alpha_emission"] == (q("PendingValidatorEmission", [netuid])
                                           + q("PendingServerEmission", [netuid])), run.report()
    assert m["last_step"] == q("LastMechansimStepBlock", [netuid]), run.report()
