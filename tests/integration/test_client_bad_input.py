"""Bad input through a real client (substrate-interface, this venv) on a fresh dev chain: each
SubtensorModule error comes back as `ExtrinsicFailed` with `DispatchError::Module { index: 7,
error: [i, 0, 0, 0] }`, `i` the error's index in the real spec-381 metadata (oracle summary),
and nothing the call would write is written.

The chain seals a block per transaction (`--sealing instant`): block numbers depend on what
the tests submit, not on how fast the machine is, so rules counted in blocks (weights rate
limit, admin freeze window) give the same answer on a loaded machine."""

from __future__ import annotations

import pytest
from scalecodec.utils.ss58 import ss58_encode
from substrateinterface import Keypair, SubstrateInterface

from tests.integration.conftest import start_node, stop_node
from tests.support.metadata import summary_pallet

pytestmark = pytest.mark.slow
NETUID = 1


def real_index(name: str) -> int:
    return next(i for i, n in summary_pallet("SubtensorModule")["error_list"] if n == name)


@pytest.fixture(scope="module")
def s(tmp_path_factory: pytest.TempPathFactory):
    node = start_node(tmp_path_factory.mktemp("badinput"), extra=["--sealing", "instant"])
    try:
        sub = SubstrateInterface(url=node.ws_url, ss58_format=42)
        yield sub
        sub.close()
    finally:
        stop_node(node)


def submit(s: SubstrateInterface, who: str, module: str, call: str, params: dict, sudo: bool = False):
    c = s.compose_call(module, call, params)
    if sudo:
        c = s.compose_call("Sudo", "sudo", {"call": c})
    ext = s.create_signed_extrinsic(c, Keypair.create_from_uri(who))
    return s.submit_extrinsic(ext, wait_for_inclusion=True)


def module_error(receipt) -> tuple[int, int]:
    (failed,) = [e.value["attributes"] for e in receipt.triggered_events if e.value["event_id"] == "ExtrinsicFailed"]
    err = failed["dispatch_error"]["Module"]
    return err["index"], int.from_bytes(bytes.fromhex(err["error"][2:]), "little")


def test_subnet_not_exists(s):
    hot = Keypair.create_from_uri("//Bad_hk1").ss58_address
    r = submit(s, "//Bob", "SubtensorModule", "burned_register", {"netuid": 99, "hotkey": hot})
    assert not r.is_success and module_error(r) == (7, real_index("SubnetNotExists")) == (7, 75)
    assert s.query("SubtensorModule", "Owner", [hot]).value == ss58_encode(bytes(32), 42)  # the default: unset


def test_hotkey_already_registered(s):
    hot = Keypair.create_from_uri("//Bad_hk2").ss58_address
    assert submit(s, "//Bob", "SubtensorModule", "burned_register", {"netuid": NETUID, "hotkey": hot}).is_success
    n = s.query("SubtensorModule", "SubnetworkN", [NETUID]).value
    free = s.query("System", "Account", [Keypair.create_from_uri("//Bob").ss58_address]).value["data"]["free"]
    r = submit(s, "//Bob", "SubtensorModule", "burned_register", {"netuid": NETUID, "hotkey": hot})
    assert not r.is_success and module_error(r) == (7, real_index("HotKeyAlreadyRegisteredInSubNet")) == (7, 21)
    assert s.query("SubtensorModule", "SubnetworkN", [NETUID]).value == n
    after = s.query("System", "Account", [Keypair.create_from_uri("//Bob").ss58_address]).value["data"]["free"]
    assert free - after == r.total_fee_amount  # only the fee: no burn


def test_too_many_registrations_this_block(s):
    """Root keeps main's per-block limit (subnet registrations have none on main)."""
    assert submit(s, "//Alice", "AdminUtils", "sudo_set_max_registrations_per_block",
                  {"netuid": 0, "max_registrations_per_block": 0}, sudo=True).is_success
    hot = Keypair.create_from_uri("//Bad_hk3").ss58_address
    r = submit(s, "//Charlie", "SubtensorModule", "root_register", {"hotkey": hot})
    assert not r.is_success and module_error(r) == (7, real_index("TooManyRegistrationsThisBlock")) == (7, 20)
    assert s.query("SubtensorModule", "Uids", [0, hot]).value is None


def test_registration_price_limit_exceeded(s):
    """`register_limit` (main's, newer than 381: its error is index 131 here, after 381's) with
    a limit under the burn: refused with only the fee paid; at the burn it registers."""
    hot = Keypair.create_from_uri("//Bad_hk5").ss58_address
    dave = Keypair.create_from_uri("//Dave").ss58_address
    burn = s.query("SubtensorModule", "Burn", [NETUID]).value
    free = s.query("System", "Account", [dave]).value["data"]["free"]
    r = submit(s, "//Dave", "SubtensorModule", "register_limit",
               {"netuid": NETUID, "hotkey": hot, "limit_price": burn // 2})
    assert not r.is_success and module_error(r) == (7, 131)
    assert s.query("SubtensorModule", "Uids", [NETUID, hot]).value is None
    assert free - s.query("System", "Account", [dave]).value["data"]["free"] == r.total_fee_amount
    ok = submit(s, "//Dave", "SubtensorModule", "register_limit", {"netuid": NETUID, "hotkey": hot, "limit_price": burn})
    assert ok.is_success and s.query("SubtensorModule", "Uids", [NETUID, hot]).value is not None


def test_setting_weights_too_fast(s):
    """A hotkey registered a few blocks ago sets weights: refused while fewer than
    `WeightsSetRateLimit` blocks (100) have passed since its `LastUpdate` (its registration)."""
    sudid = submit(s, "//Alice", "AdminUtils", "sudo_set_commit_reveal_weights_enabled",
                   {"netuid": NETUID, "enabled": False}, sudo=True)
    assert [e.value["attributes"] for e in sudid.triggered_events if e.value["event_id"] == "Sudid"] == \
        [{"sudo_result": {"Ok": ()}}]  # not refused by the admin freeze window: commit-reveal is off
    hot = "//Bad_hk2"  # registered above: its LastUpdate is its registration block, the rate limit 100 blocks
    uid = s.query("SubtensorModule", "Uids", [NETUID, Keypair.create_from_uri(hot).ss58_address]).value
    limit = s.query("SubtensorModule", "WeightsSetRateLimit", [NETUID]).value
    last_update = s.query("SubtensorModule", "LastUpdate", [NETUID]).value[uid]
    assert limit == 100 and last_update > 0
    r = submit(s, hot, "SubtensorModule", "set_weights",
               {"netuid": NETUID, "dests": [uid], "weights": [65535], "version_key": 0})
    # a block per transaction: set_weights lands a handful of blocks after the registration
    assert 0 < s.get_block_number(r.block_hash) - last_update < limit
    assert not r.is_success and module_error(r) == (7, real_index("SettingWeightsTooFast")) == (7, 28)
    assert s.query("SubtensorModule", "Weights", [NETUID, uid]).value == []
