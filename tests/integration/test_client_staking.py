"""Staking on a running dev node with real clients: substrate-interface (this venv) submits
`add_stake` / `remove_stake` and a failing `move_stake`, then
btcli 9.21.2 (its own venv, as a user runs it: `stake add` / `stake remove` non-interactive,
without MEV protection, unsafe) stakes and unstakes. Everything is read back independently
through substrate-interface: the events with their fields, the coldkey's and the subnet
account's balances, the stake, and Balances' total issuance (TAO only moves).

Set-up: the dev chain's subnet 1 is dynamic but its subtoken is not enabled (as a real
genesis); //Alice (sudo) enables it and registers her hotkey (//Alice) there.
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.integration.test_client_btcli import Btcli, client_venv_python

NETUID = 1
ALICE, BOB = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")
SUBNET_1_ACCOUNT = (b"modl" + b"subtensr" + NETUID.to_bytes(2, "little")).ljust(32, b"\0")


def _submit(s: SubstrateInterface, keypair: Keypair, module: str, name: str, params: dict, sudo: bool = False):
    call = s.compose_call(module, name, params)
    if sudo:
        call = s.compose_call("Sudo", "sudo", {"call": call})
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call=call, keypair=keypair), wait_for_inclusion=True)
    return receipt


def _events(receipt, name: str) -> list:
    return [e.value["event"]["attributes"] for e in receipt.triggered_events
            if e.value["event"]["module_id"] == "SubtensorModule" and e.value["event"]["event_id"] == name]


@pytest.fixture(scope="module")
def chain(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    r = _submit(s, ALICE, "AdminUtils", "sudo_set_subtoken_enabled", {"netuid": NETUID, "subtoken_enabled": True},
                sudo=True)
    assert r.is_success, r.error_message
    r = _submit(s, ALICE, "SubtensorModule", "burned_register", {"netuid": NETUID, "hotkey": ALICE.ss58_address})
    assert r.is_success, r.error_message
    yield s
    s.close()


def _free(s: SubstrateInterface, who: str, block_hash=None) -> int:
    return s.query("System", "Account", [who], block_hash=block_hash).value["data"]["free"]


def _bits(value) -> int:
    """A U64F64 as substrate-interface decodes it (a `bits` struct or the integer)."""
    return value["bits"] if isinstance(value, dict) else (value or 0)


def _stake(s: SubstrateInterface, hotkey: str, coldkey: str, block_hash=None) -> int:
    return s.query("SubtensorModule", "TotalHotkeyAlpha", [hotkey, NETUID], block_hash=block_hash).value


def test_add_then_remove_stake_with_substrate_interface(chain):
    s = chain
    account = s.ss58_encode(SUBNET_1_ACCOUNT)
    issuance = s.query("Balances", "TotalIssuance").value
    bob_before, account_before = _free(s, BOB.ss58_address), _free(s, account)
    amount = 10**9
    r = _submit(s, BOB, "SubtensorModule", "add_stake",
                {"hotkey": ALICE.ss58_address, "netuid": NETUID, "amount_staked": amount})
    assert r.is_success, r.error_message
    (added,) = _events(r, "StakeAdded")
    assert added[0] == BOB.ss58_address and added[1] == ALICE.ss58_address
    assert added[2] == amount and added[4] == NETUID and added[3] > 0
    assert 0 < added[5] <= amount // 1000  # the pool's fee (33/65535)
    alpha = added[3]
    # Bob paid the stake plus the transaction fee; the subnet account got the stake less the
    # block author's share of the swap fee.
    fee_paid = r.total_fee_amount
    assert _free(s, BOB.ss58_address, r.block_hash) == bob_before - amount - fee_paid
    author_share = _free(s, account, r.block_hash) - account_before
    assert amount - author_share >= 0 and amount - author_share <= added[5]

    # Half of it back, in a later block (the staking rate limiter lasts one block).
    r2 = _submit(s, BOB, "SubtensorModule", "remove_stake",
                 {"hotkey": ALICE.ss58_address, "netuid": NETUID, "amount_unstaked": alpha // 2})
    assert r2.is_success, r2.error_message
    (removed,) = _events(r2, "StakeRemoved")
    assert removed[0] == BOB.ss58_address and removed[3] == alpha // 2 and 0 < removed[2] < amount
    bob_after = _free(s, BOB.ss58_address, r2.block_hash)
    assert bob_after == bob_before - amount - fee_paid + removed[2] - r2.total_fee_amount
    assert s.query("Balances", "TotalIssuance", block_hash=r2.block_hash).value == issuance


def test_failing_move_stake_changes_nothing(chain):
    s = chain
    before = _stake(s, ALICE.ss58_address, BOB.ss58_address)
    r = _submit(s, BOB, "SubtensorModule", "move_stake",
                {"origin_hotkey": ALICE.ss58_address, "destination_hotkey": ALICE.ss58_address,
                 "origin_netuid": NETUID, "destination_netuid": NETUID, "alpha_amount": 1})
    assert not r.is_success and r.error_message["name"] == "SameNetuid"
    assert _stake(s, ALICE.ss58_address, BOB.ss58_address, r.block_hash) == before


@pytest.fixture(scope="module")
def btcli(dev_node, tmp_path_factory):
    python = client_venv_python("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt")
    cli = Btcli(python.parent / "btcli", tmp_path_factory.mktemp("btcli-home"), dev_node)
    out = cli.run("wallet", "create", "--uri", "alice", "--no-use-password", network=False)
    assert "Wallet created from URI: //Alice" in out, out
    return cli


def test_btcli_stake_add_and_remove(chain, btcli):
    s = chain
    alice = ALICE.ss58_address
    issuance = s.query("Balances", "TotalIssuance").value
    account = s.ss58_encode(SUBNET_1_ACCOUNT)
    free0, account0 = _free(s, alice), _free(s, account)
    stake0 = s.query("SubtensorModule", "Alpha", [alice, alice, NETUID]).value
    btcli.run("stake", "add", "--amount", "2", "--netuid", str(NETUID), "--unsafe", "--no-mev-protection",
              "--no-prompt")
    free1, account1 = _free(s, alice), _free(s, account)
    stake1 = s.query("SubtensorModule", "Alpha", [alice, alice, NETUID]).value
    assert _bits(stake1) > _bits(stake0)
    # 2 TAO into the subnet account, less the swap fee's block-author share; //Alice is the dev
    # chain's block author, so she also gets that share and her transaction fee back.
    assert 2 * 10**9 - 2 * 10**6 < account1 - account0 <= 2 * 10**9
    assert abs((free0 - free1) - 2 * 10**9) < 10**7
    btcli.run("stake", "remove", "--amount", "1", "--netuid", str(NETUID), "--unsafe", "--no-mev-protection",
              "--no-prompt")
    free2 = _free(s, alice)
    stake2 = s.query("SubtensorModule", "Alpha", [alice, alice, NETUID]).value
    assert _bits(stake2) < _bits(stake1)
    assert free2 > free1  # the TAO came back from the subnet account
    assert s.query("Balances", "TotalIssuance").value == issuance
