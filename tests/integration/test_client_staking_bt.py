"""bittensor 10.2.0 (`Subtensor` and `AsyncSubtensor`) and 11.3.0 staking on one fresh dev
chain (tests/clients/bittensor_sdk/stake10.py, stake11.py, each in its own venv), every step
checked against what substrate-interface (this venv) reads independently
(tests/integration/staking_chain.py): the events and the calls of the step's block, the stake
through StakeInfoRuntimeApi, balances, pool reserves and the price; the alpha (or TAO) a trade
gave equals SwapRuntimeApi's `sim_swap_*` for the same amount at the block before it, and the
swap fee in the event equals the simulation's.

The three clients use their own keys (10.2 sync //Ferdie with hotkey //Ferdie_hk, 10.2 async
//Eve with //Eve_hk, 11.3 //Dave with //Dave_hk; each hotkey registered on subnet 2 by
`prepare`), run one after the other, so each client's trades are the only ones in its blocks.
What a client cannot do against this chain and why is in the scripts' docstrings (both SDKs'
nonce caches go stale after some flows, as against any node). 11.3's defaults reach main's
stake locks and `move_stake_limit` (pallets/subtensor/staking/lock.py): `MoveStake` across
subnets is `move_stake_limit`, `TransferStake` reads the availability API and the `Lock` map
first; 11.3 also locks its stake (`LockStake`) and then asks locked stake to leave three ways.
"""

from __future__ import annotations

import math

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration import staking_chain as sc
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client

pytestmark = pytest.mark.slow
RAO = 10**9
CLIENTS = {  # label: (venv env var, default venv, requirements, script, extra args, coldkey, hotkey)
    "bt10-sync": ("PYSUBTENSOR_BT10_VENV", ".venv-bt10", "tests/clients/bt10/requirements.txt", "stake10.py",
                  ("sync",), "//Ferdie", "//Ferdie_hk"),
    "bt10-async": ("PYSUBTENSOR_BT10_VENV", ".venv-bt10", "tests/clients/bt10/requirements.txt", "stake10.py",
                   ("async",), "//Eve", "//Eve_hk"),
    "bt11": ("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt", "stake11.py",
             (), "//Dave", "//Dave_hk"),
}
DAVE, BOB = sc.DAVE.ss58_address, sc.BOB.ss58_address


@pytest.fixture(scope="module")
def chain(dev_node):
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    sc.prepare(s, tuple((Keypair.create_from_uri(c[5]), Keypair.create_from_uri(c[6])) for c in CLIENTS.values()))
    yield s
    s.close()


@pytest.fixture(scope="module")
def runs(dev_node, chain, tmp_path_factory):
    """Each client's run, one after the other: label -> (summary, free balance before)."""
    out = {}
    for label, (env, default, requirements, script, extra, cold, hot) in CLIENTS.items():
        python = client_venv_python(env, default, requirements)
        home = tmp_path_factory.mktemp("home")
        coldkey = Keypair.create_from_uri(cold).ss58_address
        free0 = sc.free(chain, coldkey)
        args = ([dev_node.ws_url, str(tmp_path_factory.mktemp("wallets")), *extra, cold, hot]
                if script == "stake10.py" else [dev_node.ws_url, cold, hot])
        run = run_client(f"{label} {script}", ["env", f"HOME={home}", str(python),
                                               str(CLIENTS_DIR / "bittensor_sdk" / script), *args],
                         dev_node, REPO_ROOT, timeout=300)
        assert run.returncode == 0 and run.summary.get("ok"), run.report()
        out[label] = (run, free0)
    return out


def _step(runs, label: str, name: str) -> tuple[dict, str, str, str]:
    """(step, block hash, coldkey, hotkey)"""
    run, _ = runs[label]
    step = run.summary["steps"][name]
    assert step.get("success") in (True, False) and step.get("block_hash"), run.report()
    return step, step["block_hash"], run.summary["coldkey"], run.summary["hotkey"]


def _event(s: SubstrateInterface, block: str, name: str, coldkey: str) -> tuple:
    events = [e["attributes"] for e in sc.block_events(s, block, "SubtensorModule", name)
              if e["attributes"][0] == coldkey]
    assert len(events) == 1, (name, events)
    return events[0]


def _signed_calls(s: SubstrateInterface, block: str, signer: str) -> list[tuple[str, dict]]:
    return [(f"{e.value['call']['call_module']}.{e.value['call']['call_function']}",
             {a["name"]: a["value"] for a in e.value["call"]["call_args"]})
            for e in s.get_block(block_hash=block)["extrinsics"] if e.value.get("address") == signer]


@pytest.mark.parametrize("label", CLIENTS)
def test_stake_is_priced_by_the_pool(runs, chain, label):
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, "add")
    before = sc.parent(s, block)
    calls = _signed_calls(s, block, coldkey)
    # 10.2 sends add_stake; 11.3's default is slippage-protected: add_stake_limit, fill-or-kill, +5%
    if label == "bt11":
        ((name, args),) = calls
        assert name == "SubtensorModule.add_stake_limit" and args["allow_partial"] is False
        assert args["limit_price"] == pytest.approx(sc.price(s, 2, before) * 1.05, rel=1e-6)
    else:
        assert [c[0] for c in calls] == ["SubtensorModule.add_stake"]
    _, hot, tao, alpha, netuid, fee = _event(s, block, "StakeAdded", coldkey)
    sim = sc.sim_swap(s, 2, tao=RAO, block_hash=before)
    assert (hot, tao, netuid) == (hotkey, RAO, 2)
    assert (alpha, fee) == (sim["alpha_amount"], sim["tao_fee"]), sim
    # what the client read back: its stake and the new price
    assert step["stake_2"] == sc.stake(s, hotkey, coldkey, 2, block) == alpha
    assert step["price_2"] == sc.price(s, 2, block)
    tao0, alpha_in0, _ = sc.reserves(s, 2, before)
    tao1, alpha_in1, _ = sc.reserves(s, 2, block)
    assert (tao1 - tao0, alpha_in0 - alpha_in1) == (RAO - fee, alpha)
    assert sc.free(s, coldkey, block) == sc.free(s, coldkey, before) - RAO - sc.fees_paid(s, block, coldkey)
    if label == "bt10-sync":  # 10.2's own before/after report and its fee (sim_swap at the block before)
        assert step["data"]["stake_after"] == alpha and step["tao_fee"] == fee
        assert step["data"]["balance_after"] == sc.free(s, coldkey, block)
    if label == "bt11":
        run, _ = runs[label]
        assert run.summary["quote_1_tao"] == {"tao": sim["tao_amount"], "alpha": sim["alpha_amount"],
                                              "tao_fee": sim["tao_fee"], "alpha_fee": sim["alpha_fee"]}


@pytest.mark.parametrize("label", CLIENTS)
def test_partial_fill_stops_at_the_limit(runs, chain, label):
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, "add_partial")
    before = sc.parent(s, block)
    ((name, args),) = _signed_calls(s, block, coldkey)
    assert name == "SubtensorModule.add_stake_limit" and args["allow_partial"] is True
    assert args["amount_staked"] == 40 * RAO
    # both SDKs put the limit at the price they read, raised by the 0.5% tolerance
    assert args["limit_price"] == pytest.approx(sc.price(s, 2, before) * 1.005, rel=1e-6)
    _, _, tao, alpha, _, fee = _event(s, block, "StakeAdded", coldkey)
    assert 0 < tao < 40 * RAO  # only what takes the price to the limit; the rest stays free
    assert sc.free(s, coldkey, block) == sc.free(s, coldkey, before) - tao - sc.fees_paid(s, block, coldkey)
    price_after = sc.price(s, 2, block)
    assert price_after <= args["limit_price"] and price_after == pytest.approx(args["limit_price"], rel=1e-4)
    sim = sc.sim_swap(s, 2, tao=tao, block_hash=before)
    assert (alpha, fee) == (sim["alpha_amount"], sim["tao_fee"])
    assert step["stake_2"] == sc.stake(s, hotkey, coldkey, 2, block)
    assert step["price_2"] == price_after


@pytest.mark.parametrize("label", CLIENTS)
def test_unstake_part(runs, chain, label):
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, "unstake")
    before = sc.parent(s, block)
    ((name, _),) = _signed_calls(s, block, coldkey)
    assert name == ("SubtensorModule.remove_stake_limit" if label == "bt11" else "SubtensorModule.remove_stake")
    _, _, tao, alpha, netuid, fee = _event(s, block, "StakeRemoved", coldkey)
    sim = sc.sim_swap(s, 2, alpha=3 * RAO // 10, block_hash=before)
    assert (alpha, netuid) == (3 * RAO // 10, 2)
    assert (tao, fee) == (sim["tao_amount"], sim["alpha_fee"]), sim
    assert sc.stake(s, hotkey, coldkey, 2, before) - sc.stake(s, hotkey, coldkey, 2, block) == alpha
    assert step["stake_2"] == sc.stake(s, hotkey, coldkey, 2, block)
    assert sc.free(s, coldkey, block) == sc.free(s, coldkey, before) + tao - sc.fees_paid(s, block, coldkey)


@pytest.mark.parametrize("label", CLIENTS)
def test_move_stake_to_another_hotkey_and_subnet(runs, chain, label):
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, "move")
    before = sc.parent(s, block)
    ((name, args),) = _signed_calls(s, block, coldkey)
    if label == "bt11":  # the default: move_stake_limit, fill-or-kill at the price ratio - 5%
        assert name == "SubtensorModule.move_stake_limit" and args["allow_partial"] is False
        assert args["limit_price"] == int(sc.price(s, 2, before) * RAO // sc.price(s, 1, before) * (1 - 0.05))
        assert (args["origin_hotkey"], args["destination_hotkey"], args["origin_netuid"],
                args["destination_netuid"]) == (hotkey, DAVE, 2, 1)
    else:
        assert name == "SubtensorModule.move_stake"
    assert args["alpha_amount"] == RAO // 5
    _, _, tao_out, alpha_sold, _, _ = _event(s, block, "StakeRemoved", coldkey)
    _, dest_hot, tao_in, alpha_bought, dest_netuid, fee_in = _event(s, block, "StakeAdded", coldkey)
    assert (alpha_sold, dest_hot, dest_netuid, tao_in, fee_in) == (RAO // 5, DAVE, 1, tao_out, 0)
    assert tao_out == sc.sim_swap(s, 2, alpha=RAO // 5, block_hash=before)["tao_amount"]
    assert _event(s, block, "StakeMoved", coldkey) == (coldkey, hotkey, 2, DAVE, 1, tao_out)
    assert sc.stake(s, DAVE, coldkey, 1, block) - sc.stake(s, DAVE, coldkey, 1, before) == alpha_bought
    assert step["stake_2"] == sc.stake(s, hotkey, coldkey, 2, block)
    if label != "bt11":
        assert step["stake_dave_1"] == sc.stake(s, DAVE, coldkey, 1, block)
    else:  # the ratio after the move is still above the limit it was sent with
        assert sc.price(s, 2, block) * RAO // sc.price(s, 1, block) >= args["limit_price"]


@pytest.mark.parametrize("label", CLIENTS)
def test_transfer_stake_to_another_coldkey(runs, chain, label):
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, "transfer")
    before = sc.parent(s, block)
    ((name, args),) = _signed_calls(s, block, coldkey)
    assert name == "SubtensorModule.transfer_stake" and (args["destination_coldkey"], args["alpha_amount"]) == \
        (BOB, RAO // 5)
    assert _event(s, block, "StakeTransferred", coldkey)[:5] == (coldkey, BOB, hotkey, 2, 2)
    assert abs(sc.stake(s, hotkey, BOB, 2, block) - sc.stake(s, hotkey, BOB, 2, before) - RAO // 5) <= 1
    assert abs(sc.stake(s, hotkey, coldkey, 2, before) - sc.stake(s, hotkey, coldkey, 2, block) - RAO // 5) <= 1
    assert sc.reserves(s, 2, block) == sc.reserves(s, 2, before)  # within a subnet no swap
    assert step["stake_2"] == sc.stake(s, hotkey, coldkey, 2, block)


@pytest.mark.parametrize("label", CLIENTS)
def test_swap_stake_between_subnets(runs, chain, label):
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, "swap")
    before = sc.parent(s, block)
    ((name, args),) = _signed_calls(s, block, coldkey)
    # 10.2 swaps without a limit by default; 11.3 with the price ratio's 5% tolerance
    assert name == ("SubtensorModule.swap_stake_limit" if label == "bt11" else "SubtensorModule.swap_stake")
    assert (args["origin_netuid"], args["destination_netuid"], args["alpha_amount"]) == (2, 1, RAO // 5)
    _, _, tao_out, alpha_sold, _, _ = _event(s, block, "StakeRemoved", coldkey)
    _, _, tao_in, alpha_bought, _, _ = _event(s, block, "StakeAdded", coldkey)
    assert (alpha_sold, tao_in) == (RAO // 5, tao_out)
    assert tao_out == sc.sim_swap(s, 2, alpha=RAO // 5, block_hash=before)["tao_amount"]
    assert _event(s, block, "StakeSwapped", coldkey) == (coldkey, hotkey, 2, 1, tao_out)
    assert sc.stake(s, hotkey, coldkey, 1, block) - sc.stake(s, hotkey, coldkey, 1, before) == alpha_bought
    assert step["stake_2"] == sc.stake(s, hotkey, coldkey, 2, block)


@pytest.mark.parametrize("label", CLIENTS)
def test_shielded_stake_lands(runs, chain, label):
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, "add_shielded")
    calls = _signed_calls(s, block, coldkey)
    inner = "SubtensorModule.add_stake_limit" if label == "bt11" else "SubtensorModule.add_stake"
    assert [c[0] for c in calls] == ["MevShield.submit_encrypted", inner], calls
    assert [e["attributes"]["who"] for e in sc.block_events(s, block, "MevShield", "EncryptedSubmitted")] == [coldkey]
    _, _, tao, alpha, _, fee = _event(s, block, "StakeAdded", coldkey)
    sim = sc.sim_swap(s, 2, tao=RAO // 2, block_hash=sc.parent(s, block))
    assert (tao, alpha, fee) == (RAO // 2, sim["alpha_amount"], sim["tao_fee"])
    assert step["stake_2"] == sc.stake(s, hotkey, coldkey, 2, block)


@pytest.mark.parametrize("label", CLIENTS)
def test_stake_info_for_coldkey(runs, chain, label):
    """The SDK's stake list (10.2 `get_stake_info_for_coldkey`, 11.3 `stake_for_coldkey`)
    read right after the swap equals StakeInfoRuntimeApi at the swap's block."""
    s = chain
    run, _ = runs[label]
    _, block, coldkey, hotkey = _step(runs, label, "swap")
    got = run.summary["stake_info"] if label != "bt11" else run.summary["stake_for_coldkey"]
    want = [{k: i[k] for k in ("hotkey", "coldkey", "netuid", "stake", "is_registered")}
            for i in sc.stake_info_for_coldkey(s, coldkey, block)]
    assert sorted(got, key=lambda i: (i["netuid"], i["hotkey"])) == \
        sorted(want, key=lambda i: (i["netuid"], i["hotkey"]))
    assert {(i["hotkey"], i["netuid"]) for i in want} == {(hotkey, 1), (hotkey, 2), (DAVE, 1)}
    if label != "bt11":
        assert run.summary["stake_for_pair"] == {"0": 0, "1": sc.stake(s, hotkey, coldkey, 1, block),
                                                 "2": sc.stake(s, hotkey, coldkey, 2, block)}


BAD = [("zero_amount", "AmountTooLow", 7), ("unknown_hotkey", "HotKeyAccountNotExists", 7),
       ("limit_exceeded", "PriceLimitExceeded", 28), ("more_than_staked", "NotEnoughStakeToWithdraw", 7)]


@pytest.mark.parametrize("label", CLIENTS)
@pytest.mark.parametrize(("name", "error", "pallet"), BAD)
def test_bad_input_moves_nothing(runs, chain, label, name, error, pallet):
    """The client reports the chain's module error (PriceLimitExceeded is the Swap pallet's, as
    the Rust `test_unstake_from_subnet_prohibitive_limit` expects); balances, stake and both
    pools are as before, apart from the fee the failing extrinsic paid."""
    s = chain
    step, block, coldkey, hotkey = _step(runs, label, name)
    assert step["success"] is False
    assert step["error" if label == "bt11" else "error_name"] == error, step
    assert sc.module_error(s, block) == (error, pallet)
    before = sc.parent(s, block)
    for netuid in (1, 2):
        assert sc.reserves(s, netuid, block) == sc.reserves(s, netuid, before)
        assert sc.stake(s, hotkey, coldkey, netuid, block) == sc.stake(s, hotkey, coldkey, netuid, before)
    fee = sc.fees_paid(s, block, coldkey)
    assert fee > 0 and sc.free(s, coldkey, block) == sc.free(s, coldkey, before) - fee


# ---------------------------------------------------------------------------
# bittensor 11.3.0 and main's stake locks

LOCK_RATE = 934_866  # main's DefaultUnlockRate (blocks)


def _block_number(s: SubstrateInterface, block: str) -> int:
    return s.get_block_header(block_hash=block)["header"]["number"]


def test_bt11_locks_its_stake(runs, chain):
    """`LockStake(all)`: the SDK resolved `all` through the availability API, so the amount it
    sent is the whole position (nothing was locked); StakeLocked and the `Lock` entry (read by
    substrate-interface from our metadata) carry it, stamped with the block. The SDK's reads
    afterwards (`stake_availability_for_coldkey`, `locks_for_coldkey`) give the lock rolled
    forward: the availability API at one of the blocks in between says the same, and its locked
    mass is the stored one decayed by e^(-dt/UnlockRate) (floating point, to 1 rao)."""
    s = chain
    run, _ = runs["bt11"]
    step, block, coldkey, hotkey = _step(runs, "bt11", "lock")
    before = sc.parent(s, block)
    ((name, args),) = _signed_calls(s, block, coldkey)
    position = sc.stake(s, hotkey, coldkey, 2, before)
    assert name == "SubtensorModule.lock_stake" and (args["hotkey"], args["netuid"], args["amount"]) == \
        (hotkey, 2, position)
    assert sc.stake_availability(s, coldkey, [2], before) == {2: (position, 0, position)}
    assert [e["attributes"] for e in sc.block_events(s, block, "SubtensorModule", "StakeLocked")] == \
        [{"coldkey": coldkey, "hotkey": hotkey, "netuid": 2, "amount": position}]
    stored = s.query("SubtensorModule", "Lock", [coldkey, 2, hotkey], block_hash=block).value
    assert (stored["locked_mass"], stored["last_update"]) == (position, _block_number(s, block))
    assert sc.stake_availability(s, coldkey, [2], block) == {2: (position, position, 0)}
    assert step["success"] is True and step["stake_2"] == position  # a lock moves no stake

    (row,) = run.summary["availability_2"]
    (lock_row,) = run.summary["locks"]
    assert (lock_row["hotkey"], lock_row["netuid"], lock_row["locked_alpha"], lock_row["is_perpetual"]) == \
        (hotkey, 2, row["locked"], False)
    assert row["total"] == position and row["total"] == row["locked"] + row["available"]
    _, after, _, _ = _step(runs, "bt11", "unstake_locked")
    first, last = _block_number(s, block), _block_number(s, sc.parent(s, after))
    seen = {}
    for number in range(first, last + 1):
        at = s.get_block_hash(number)
        seen[number] = sc.stake_availability(s, coldkey, [2], at)[2]
    matches = [n for n, got in seen.items() if got == (row["total"], row["locked"], row["available"])]
    assert matches, (row, seen)
    dt = matches[0] - first
    assert abs(row["locked"] - position * math.exp(-dt / LOCK_RATE)) <= 1


LOCKED = [("unstake_locked", "CannotUnstakeLock"), ("move_locked", "CannotUnstakeLock"),
          ("transfer_locked", "AccountRejectsLockedAlpha")]


@pytest.mark.parametrize(("name", "error"), LOCKED)
def test_bt11_locked_stake_stays(runs, chain, name, error):
    """Locked stake asked to leave: `RemoveStake` and a cross-subnet `MoveStake`
    (`move_stake_limit`) fail with 381's `CannotUnstakeLock` (main's `StakeUnavailable`), a
    `TransferStake` to //Bob, who rejects locked alpha (the default), with
    `AccountRejectsLockedAlpha`. Stake, both pools, Bob's stake and the `Lock` entry are as
    before; the coldkey paid the failing extrinsic's fee."""
    s = chain
    step, block, coldkey, hotkey = _step(runs, "bt11", name)
    before = sc.parent(s, block)
    assert step["success"] is False and step["error"] == error, step
    assert sc.module_error(s, block) == (error, 7)
    for netuid in (1, 2):
        assert sc.reserves(s, netuid, block) == sc.reserves(s, netuid, before)
        assert sc.stake(s, hotkey, coldkey, netuid, block) == sc.stake(s, hotkey, coldkey, netuid, before)
    assert sc.stake(s, DAVE, coldkey, 1, block) == sc.stake(s, DAVE, coldkey, 1, before)
    assert sc.stake(s, hotkey, BOB, 2, block) == sc.stake(s, hotkey, BOB, 2, before)
    assert s.query("SubtensorModule", "Lock", [coldkey, 2, hotkey], block_hash=block).value == \
        s.query("SubtensorModule", "Lock", [coldkey, 2, hotkey], block_hash=before).value
    assert s.query("SubtensorModule", "Lock", [BOB, 2, hotkey], block_hash=block).value is None
    fee = sc.fees_paid(s, block, coldkey)
    assert fee > 0 and sc.free(s, coldkey, block) == sc.free(s, coldkey, before) - fee
