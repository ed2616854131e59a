"""A dev chain prepared for the real-client staking tests, and independent reads of it through
substrate-interface (this venv): storage, events, the calls in a block, and the runtime APIs
(`state_call`, decoded here from the SCALE layouts of subtensor's runtime-api crates).

`prepare(s)`, through Sudo and signed calls as a user would: the admin freeze window 0;
subnet 1's subtoken enabled; //Alice registers subnet 2 (her hotkey //Alice its owner hotkey;
its pool opens with the lock's TAO) and its subtoken is enabled; //Dave (coldkey //Alice)
burned-registers on subnet 1 and each (coldkey, hotkey) of `hotkeys` (default //Charlie,
//Charlie) on subnet 2 (its registrations per interval and block raised through Sudo); //Bob stakes 100
TAO on subnet 1 so that both pools are deep enough for the clients' 0.5% slippage tolerance.
"""

from __future__ import annotations

import struct

from scalecodec.base import ScaleBytes
from substrateinterface import Keypair, SubstrateInterface

ALICE, BOB = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")
CHARLIE, DAVE = Keypair.create_from_uri("//Charlie"), Keypair.create_from_uri("//Dave")
EVE = Keypair.create_from_uri("//Eve")
SIM_FIELDS = ("tao_amount", "alpha_amount", "tao_fee", "alpha_fee", "tao_slippage", "alpha_slippage")


def submit(s: SubstrateInterface, keypair: Keypair, module: str, name: str, params: dict, sudo: bool = False):
    call = s.compose_call(module, name, params)
    if sudo:
        call = s.compose_call("Sudo", "sudo", {"call": call})
    receipt = s.submit_extrinsic(s.create_signed_extrinsic(call=call, keypair=keypair), wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    if sudo:
        sudid = [e.value["attributes"] for e in receipt.triggered_events if e.value["event_id"] == "Sudid"]
        assert sudid == [{"sudo_result": {"Ok": ()}}], sudid
    return receipt


def prepare(s: SubstrateInterface, hotkeys: tuple[tuple[Keypair, Keypair], ...] = ((CHARLIE, CHARLIE),)) -> None:
    submit(s, ALICE, "AdminUtils", "sudo_set_admin_freeze_window", {"window": 0}, sudo=True)
    submit(s, ALICE, "AdminUtils", "sudo_set_subtoken_enabled", {"netuid": 1, "subtoken_enabled": True}, sudo=True)
    submit(s, ALICE, "SubtensorModule", "register_network", {"hotkey": ALICE.ss58_address})
    assert s.query("SubtensorModule", "NetworksAdded", [2]).value is True
    submit(s, ALICE, "AdminUtils", "sudo_set_subtoken_enabled", {"netuid": 2, "subtoken_enabled": True}, sudo=True)
    for call, params in (("sudo_set_target_registrations_per_interval", {"target_registrations_per_interval": 64}),
                         ("sudo_set_max_registrations_per_block", {"max_registrations_per_block": 64})):
        submit(s, ALICE, "AdminUtils", call, {"netuid": 2, **params}, sudo=True)
    submit(s, ALICE, "SubtensorModule", "burned_register", {"netuid": 1, "hotkey": DAVE.ss58_address})
    for cold, hot in hotkeys:
        submit(s, cold, "SubtensorModule", "burned_register", {"netuid": 2, "hotkey": hot.ss58_address})
    submit(s, BOB, "SubtensorModule", "add_stake",
           {"hotkey": ALICE.ss58_address, "netuid": 1, "amount_staked": 100 * 10**9})


def state_call(s: SubstrateInterface, method: str, params: bytes, block_hash: str | None = None) -> bytes:
    args = [method, "0x" + params.hex()] + ([block_hash] if block_hash else [])
    return bytes.fromhex(s.rpc_request("state_call", args)["result"][2:])


def sim_swap(s: SubstrateInterface, netuid: int, *, tao: int | None = None, alpha: int | None = None,
             block_hash: str | None = None) -> dict[str, int]:
    """SwapRuntimeApi `sim_swap_tao_for_alpha` / `sim_swap_alpha_for_tao` (a `SimSwapResult`
    of six u64 balances) at `block_hash`."""
    method = "SwapRuntimeApi_sim_swap_tao_for_alpha" if tao is not None else "SwapRuntimeApi_sim_swap_alpha_for_tao"
    raw = state_call(s, method, struct.pack("<HQ", netuid, tao if tao is not None else alpha), block_hash)
    return dict(zip(SIM_FIELDS, struct.unpack("<6Q", raw), strict=True))


def price(s: SubstrateInterface, netuid: int, block_hash: str | None = None) -> int:
    """SwapRuntimeApi `current_alpha_price`: rao per alpha."""
    return struct.unpack("<Q", state_call(s, "SwapRuntimeApi_current_alpha_price", struct.pack("<H", netuid),
                                          block_hash))[0]


def _stake_info(s: SubstrateInterface, data: ScaleBytes) -> dict:
    rc = s.runtime_config
    hotkey = s.ss58_encode(rc.create_scale_object("[u8; 32]", data).decode(check_remaining=False))
    coldkey = s.ss58_encode(rc.create_scale_object("[u8; 32]", data).decode(check_remaining=False))
    info = {"hotkey": hotkey, "coldkey": coldkey}
    for name, kind in (("netuid", "Compact<u16>"), ("stake", "Compact<u64>"), ("locked", "Compact<u64>"),
                       ("emission", "Compact<u64>"), ("tao_emission", "Compact<u64>"), ("drain", "Compact<u64>"),
                       ("is_registered", "bool")):
        info[name] = rc.create_scale_object(kind, data).decode(check_remaining=False)
    return info


def stake_info_for_coldkey(s: SubstrateInterface, coldkey: str, block_hash: str | None = None) -> list[dict]:
    """StakeInfoRuntimeApi `get_stake_info_for_coldkey`: Vec<StakeInfo>."""
    raw = state_call(s, "StakeInfoRuntimeApi_get_stake_info_for_coldkey", bytes.fromhex(s.ss58_decode(coldkey)),
                     block_hash)
    data = ScaleBytes(raw)
    count = s.runtime_config.create_scale_object("Compact<u32>", data).decode(check_remaining=False)
    return [_stake_info(s, data) for _ in range(count)]


def stake(s: SubstrateInterface, hotkey: str, coldkey: str, netuid: int, block_hash: str | None = None) -> int:
    """StakeInfoRuntimeApi `get_stake_info_for_hotkey_coldkey_netuid` (Option<StakeInfo>): the alpha."""
    params = bytes.fromhex(s.ss58_decode(hotkey)) + bytes.fromhex(s.ss58_decode(coldkey)) + struct.pack("<H", netuid)
    data = ScaleBytes(state_call(s, "StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid", params,
                                 block_hash))
    if s.runtime_config.create_scale_object("u8", data).decode(check_remaining=False) == 0:
        return 0
    return _stake_info(s, data)["stake"]


def free(s: SubstrateInterface, who: str, block_hash: str | None = None) -> int:
    return s.query("System", "Account", [who], block_hash=block_hash).value["data"]["free"]


def reserves(s: SubstrateInterface, netuid: int, block_hash: str | None = None) -> tuple[int, int, int]:
    """(SubnetTAO, SubnetAlphaIn, SubnetAlphaOut)."""
    return tuple(s.query("SubtensorModule", item, [netuid], block_hash=block_hash).value
                 for item in ("SubnetTAO", "SubnetAlphaIn", "SubnetAlphaOut"))


def parent(s: SubstrateInterface, block_hash: str) -> str:
    return s.get_block_header(block_hash=block_hash)["header"]["parentHash"]


def block_calls(s: SubstrateInterface, block_hash: str) -> list[str]:
    return [f"{e.value['call']['call_module']}.{e.value['call']['call_function']}"
            for e in s.get_block(block_hash=block_hash)["extrinsics"]]


def block_events(s: SubstrateInterface, block_hash: str, module: str | None = None, name: str | None = None) -> list:
    return [e.value for e in s.get_events(block_hash=block_hash)
            if (module is None or e.value["module_id"] == module) and (name is None or e.value["event_id"] == name)]


def fees_paid(s: SubstrateInterface, block_hash: str, who: str) -> int:
    """What `who` paid in transaction fees in that block (TransactionFeePaid.actual_fee + tip)."""
    return sum(e["attributes"]["actual_fee"] + e["attributes"]["tip"]
               for e in block_events(s, block_hash, "TransactionPayment", "TransactionFeePaid")
               if e["attributes"]["who"] == who)


def module_error(s: SubstrateInterface, block_hash: str) -> tuple[str, int] | None:
    """The first ExtrinsicFailed's module error in the block, as (name, pallet index)."""
    for e in block_events(s, block_hash, "System", "ExtrinsicFailed"):
        err = e["attributes"]["dispatch_error"]["Module"]
        index = bytes.fromhex(err["error"][2:])[0]
        return s.metadata.get_module_error(module_index=err["index"], error_index=index).name, err["index"]
    return None


def stake_availability(s: SubstrateInterface, coldkey: str, netuids: list[int],
                       block_hash: str | None = None) -> dict[int, tuple[int, int, int]]:
    """StakeInfoRuntimeApi `get_stake_availability_for_coldkeys([coldkey], Some(netuids))` (main's,
    newer than 381): netuid -> (total, locked, available), decoded by hand from
    `BTreeMap<AccountId32, BTreeMap<NetUid, StakeAvailability { Compact x 3 }>>`."""
    rc = s.runtime_config
    params = (b"\x04" + bytes.fromhex(s.ss58_decode(coldkey)) + b"\x01"
              + bytes(rc.create_scale_object("Compact<u32>").encode(len(netuids)).data)
              + b"".join(struct.pack("<H", n) for n in netuids))
    data = ScaleBytes(state_call(s, "StakeInfoRuntimeApi_get_stake_availability_for_coldkeys", params, block_hash))
    out: dict[int, tuple[int, int, int]] = {}
    for _ in range(rc.create_scale_object("Compact<u32>", data).decode(check_remaining=False)):
        assert s.ss58_encode(rc.create_scale_object("[u8; 32]", data).decode(check_remaining=False)) == coldkey
        for _ in range(rc.create_scale_object("Compact<u32>", data).decode(check_remaining=False)):
            netuid = rc.create_scale_object("u16", data).decode(check_remaining=False)
            out[netuid] = tuple(rc.create_scale_object("Compact<u64>", data).decode(check_remaining=False)
                                for _ in range(3))
    return out
