"""btcli 9.21.2 `wallet swap-hotkey` against a fresh dev chain, run as a user runs it (see
test_client_btcli.py for the venv and the isolated HOME), and the coldkey-swap guard seen by
substrate-interface: what btcli does is compared with storage read independently.

The swap: the wallet `alice` (coldkey and hotkey //Alice) root-registers its hotkey, makes a
second hotkey from the URI //Dave, and swaps on all subnets. The real chain charges the swap
cost (`KeySwapCost`, recycled) and no fee (`Pays::No`); the new hotkey takes the old one's uid,
ownership and membership, and `SubtensorModule.HotkeySwapped` is in the block.
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException

from tests.integration.conftest import client_venv_python
from tests.integration.test_client_btcli import Btcli

ALICE = Keypair.create_from_uri("//Alice")
DAVE = Keypair.create_from_uri("//Dave")
FERDIE = Keypair.create_from_uri("//Ferdie")


@pytest.fixture(scope="module")
def btcli(dev_node, tmp_path_factory):
    python = client_venv_python("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt")
    cli = Btcli(python.parent / "btcli", tmp_path_factory.mktemp("btcli-home"), dev_node)
    out = cli.run("wallet", "create", "--uri", "alice", "--no-use-password", network=False)
    assert "Wallet created from URI: //Alice" in out, out
    return cli


@pytest.fixture(scope="module")
def chain(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    yield s
    s.close()


def _free(s: SubstrateInterface, who: str) -> int:
    return s.query("System", "Account", [who]).value["data"]["free"]


def _block_events(s: SubstrateInterface, block_hash: str) -> list[tuple[str, str, object]]:
    return [(e.value["module_id"], e.value["event_id"], e.value["attributes"])
            for e in s.get_events(block_hash=block_hash)]


def test_swap_hotkey_with_btcli(btcli, chain):
    got = btcli.json("subnets", "register", "--netuid", "0", "--no-prompt")
    assert got["success"] is True, got
    uid = chain.query("SubtensorModule", "Uids", [0, ALICE.ss58_address]).value
    assert uid is not None
    out = btcli.run("wallet", "new-hotkey", "--wallet-path", str(btcli.home / "wallets"), "--wallet-name", "alice",
                    "--hotkey", "dave", "--uri", "dave", "--no-use-password", wallet=False, network=False)
    assert "Hotkey created from URI: //Dave" in out, out

    cost = chain.get_constant("SubtensorModule", "KeySwapCost").value
    before = _free(chain, ALICE.ss58_address)
    out = btcli.run("wallet", "swap-hotkey", "dave", "--all-netuids", "--no-prompt")
    assert f"swapped for new hotkey: {DAVE.ss58_address}" in " ".join(out.split()), out

    assert chain.query("SubtensorModule", "Keys", [0, uid]).value == DAVE.ss58_address
    assert chain.query("SubtensorModule", "Uids", [0, DAVE.ss58_address]).value == uid
    assert chain.query("SubtensorModule", "Uids", [0, ALICE.ss58_address]).value is None
    assert chain.query("SubtensorModule", "IsNetworkMember", [DAVE.ss58_address, 0]).value is True
    assert chain.query("SubtensorModule", "IsNetworkMember", [ALICE.ss58_address, 0]).value is False
    assert chain.query("SubtensorModule", "Owner", [DAVE.ss58_address]).value == ALICE.ss58_address
    assert DAVE.ss58_address in chain.query("SubtensorModule", "OwnedHotkeys", [ALICE.ss58_address]).value
    # the cost, and no fee (Pays::No)
    assert _free(chain, ALICE.ss58_address) == before - cost

    # btcli now reads the old hotkey as registered nowhere (IsNetworkMember) and sends nothing
    out = btcli.run("wallet", "swap-hotkey", "dave", "--all-netuids", "--no-prompt")
    assert "is not registered on any subnet" in " ".join(out.split()), out


def test_swap_hotkey_event_and_rate_limit_with_substrate_interface(chain):
    """Bob owns a root-registered hotkey (his own key) and swaps it to Ferdie: the block has
    HotkeySwapped; a second swap at once fails with the module error HotKeySetTxRateLimitExceeded
    (TxRateLimit 1000 blocks)."""
    bob = Keypair.create_from_uri("//Bob")
    call = chain.compose_call("SubtensorModule", "root_register", {"hotkey": bob.ss58_address})
    receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=bob), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    call = chain.compose_call("SubtensorModule", "swap_hotkey",
                              {"hotkey": bob.ss58_address, "new_hotkey": FERDIE.ss58_address, "netuid": None})
    receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=bob), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    events = _block_events(chain, receipt.block_hash)
    swapped = [a for m, e, a in events if (m, e) == ("SubtensorModule", "HotkeySwapped")]
    assert swapped == [{"coldkey": bob.ss58_address, "old_hotkey": bob.ss58_address,
                        "new_hotkey": FERDIE.ss58_address}], events
    assert chain.query("SubtensorModule", "Owner", [FERDIE.ss58_address]).value == bob.ss58_address

    call = chain.compose_call("SubtensorModule", "swap_hotkey",
                              {"hotkey": FERDIE.ss58_address, "new_hotkey": DAVE.ss58_address, "netuid": None})
    receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=bob), wait_for_inclusion=True)
    assert receipt.is_success is False
    assert (receipt.error_message["type"], receipt.error_message["name"]) == ("Module", "HotKeySetTxRateLimitExceeded")


def test_announced_coldkey_swap_guards_the_coldkey(chain):
    """Charlie announces a coldkey swap: his transfers are then refused by the pool with
    `InvalidTransaction::Custom(0)` (ColdkeySwapAnnounced) while his dispute passes; once
    disputed, even a re-announcement is refused with Custom(21) (ColdkeySwapDisputed)."""
    charlie = Keypair.create_from_uri("//Charlie")
    new_hash = "0x" + __import__("hashlib").blake2b(bytes.fromhex(FERDIE.public_key.hex()), digest_size=32).hexdigest()
    call = chain.compose_call("SubtensorModule", "announce_coldkey_swap", {"new_coldkey_hash": new_hash})
    receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=charlie), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    _when, announced = chain.query("SubtensorModule", "ColdkeySwapAnnouncements", [charlie.ss58_address]).value
    assert announced == new_hash

    transfer = chain.compose_call("Balances", "transfer_keep_alive", {"dest": DAVE.ss58_address, "value": 10**9})
    with pytest.raises(SubstrateRequestException) as err:
        chain.submit_extrinsic(chain.create_signed_extrinsic(call=transfer, keypair=charlie), wait_for_inclusion=True)
    assert err.value.args[0]["code"] == 1010
    assert err.value.args[0]["data"] == "Custom error: 0"

    call = chain.compose_call("SubtensorModule", "dispute_coldkey_swap", {})
    receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=charlie), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    assert chain.query("SubtensorModule", "ColdkeySwapDisputes", [charlie.ss58_address]).value is not None

    call = chain.compose_call("SubtensorModule", "announce_coldkey_swap", {"new_coldkey_hash": new_hash})
    with pytest.raises(SubstrateRequestException) as err:
        chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=charlie), wait_for_inclusion=True)
    assert (err.value.args[0]["code"], err.value.args[0]["data"]) == (1010, "Custom error: 21")


def test_root_dissolve_network_with_substrate_interface(chain):
    """Sudo dissolves the genesis subnet 1: the block has SubtensorModule.NetworkRemoved(1), the
    subnet is gone from NetworksAdded and its per-subnet items (Tempo, SubnetOwner, Keys)."""
    assert chain.query("SubtensorModule", "NetworksAdded", [1]).value is True
    total = chain.query("SubtensorModule", "TotalNetworks").value
    inner = chain.compose_call("SubtensorModule", "root_dissolve_network", {"netuid": 1})
    call = chain.compose_call("Sudo", "sudo", {"call": inner})
    receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=ALICE), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    events = _block_events(chain, receipt.block_hash)
    assert ("SubtensorModule", "NetworkRemoved", 1) in events, events
    assert [a for m, e, a in events if (m, e) == ("Sudo", "Sudid")] == [{"sudo_result": {"Ok": ()}}], events
    assert chain.query("SubtensorModule", "NetworksAdded", [1]).value is False
    assert chain.query("SubtensorModule", "TotalNetworks").value == total - 1
    assert chain.query("SubtensorModule", "Tempo", [1]).value == chain.query("SubtensorModule", "Tempo", [77]).value
    assert list(chain.query_map("SubtensorModule", "Keys", [1])) == []

    # a second time: the module error SubnetNotExists, inside Sudo's result
    receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call=call, keypair=ALICE), wait_for_inclusion=True)
    sudid = [a for m, e, a in _block_events(chain, receipt.block_hash) if (m, e) == ("Sudo", "Sudid")]
    module_error = sudid[0]["sudo_result"]["Err"]["Module"]
    assert module_error["index"] == 7, sudid
    error = chain.metadata.get_module_error(module_index=7, error_index=bytes.fromhex(module_error["error"][2:])[0])
    assert error.name == "SubnetNotExists", sudid
