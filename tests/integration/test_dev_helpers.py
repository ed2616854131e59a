"""The Bittensor dev helpers (rpc/dev.py, node/dev.py): many blocks at once, advancing to a
subnet's next epoch, seeding a dev chain with `--dev-preset`, and the refusals of bad input.

In process: a burst of `new_blocks` makes blocks an importer accepts — each re-executes
through `Core_execute_block` on its parent, passes `BlockBuilder_check_inherents` against
the node's clock (sp-timestamp's 30 s drift), carries Alice's Aura seal, and its slot is
one after its parent's with the timestamp one slot later.

On a running `--dev --sealing manual --dev-clock frozen --dev-preset subnets` node, with substrate-interface
and the bittensor 11.3 SDK (this venv and `$PYSUBTENSOR_BT11_VENV`): 1,000 blocks in one
`dev_newBlock`; `dev_advanceToNextEpoch` lands on the block whose `on_initialize` ran the
subnet's next epoch, as the chain's own state records it (main's schedule: `LastEpochBlock`
moved to that block, `SubnetEpochIndex` up by one); the seeded subnets, neurons and stakes as the SDK and storage show them, keys
derived independently by substrate-interface from the documented URIs; bad input refused
with -32602 and nothing changed; the methods are unsafe.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from substrateinterface import Keypair as SiKeypair
from substrateinterface import SubstrateInterface

from pysubtensor.node.author import slot_of, verify_seal
from pysubtensor.node.service import Node
from pysubtensor.pallets import timestamp
from pysubtensor.pallets.subtensor.neurons.storage import SubnetworkN
from pysubtensor.primitives.header import Digest, Header
from pysubtensor.primitives.inherents import timestamp_inherent_data
from pysubtensor.primitives.keyring import DEV_ACCOUNTS
from pysubtensor.runtime.api_traits import BLOCK, CHECK_INHERENTS_RESULT, INHERENT_DATA, Block
from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client, start_node, stop_node
from tests.integration.test_service import make_config, open_chain, read

SLOT = 250
T0 = 1_800_000_000_000  # the fake wall clock: ms, on a slot boundary


def _pre_seal(header: Header) -> Header:
    """The header as Aura's import verifier hands it to the runtime: its seal removed."""
    return Header(header.parent_hash, header.number, header.state_root, header.extrinsics_root,
                  Digest(header.digest.logs[:-1]))


def test_a_burst_of_blocks_is_what_an_importer_accepts(tmp_path: Path) -> None:
    clock = [T0]

    async def scenario() -> None:
        with open_chain(tmp_path / "db") as db:
            async with Node.start(make_config("--sealing", "manual"), db, clock=lambda: clock[0]) as node:
                await node.new_blocks(1)  # the first block's slot comes from the clock (genesis has none)
                start = node.header(node.best_hash()).number
                last = await node.new_blocks(300)
                assert node.header(last).number == start + 300
                node_now = clock[0] + node._time_offset  # the node's clock after the burst
                previous_ts = read(node, node.hash_of(start), timestamp.get)
                previous_slot = slot_of(node.header(node.hash_of(start)))
                for n in range(start + 1, start + 301):
                    h = node.hash_of(n)
                    header = node.header(h)
                    parent = header.parent_hash
                    ts, slot = read(node, h, timestamp.get), slot_of(header)
                    assert slot == previous_slot + 1 and ts == previous_ts + SLOT and slot == ts // SLOT, n
                    assert verify_seal(header, DEV_ACCOUNTS["Alice"].public_key)
                    block = BLOCK.encode(Block(_pre_seal(header), node.body(h)))
                    node.runtime_call(parent, "Core_execute_block", block)  # raises if invalid
                    checked = CHECK_INHERENTS_RESULT.decode_all(node.runtime_call(
                        parent, "BlockBuilder_check_inherents",
                        block + INHERENT_DATA.encode(timestamp_inherent_data(node_now))))
                    assert checked.okay and not checked.errors, (n, checked)
                    previous_ts, previous_slot = ts, slot
                # The chain goes on from there: the next block is in the next slot.
                h = await node.new_blocks(1)
                assert read(node, h, timestamp.get) == previous_ts + SLOT

    asyncio.run(asyncio.wait_for(scenario(), 120))


@pytest.mark.parametrize("frozen", [False, True], ids=["wall-clock", "frozen-clock"])
def test_a_frozen_clock_makes_each_block_one_slot_after_its_parent(tmp_path: Path, frozen: bool) -> None:
    """`--dev-clock frozen`: however much wall time passes between blocks, each block (on
    request, or a burst) is one slot after its parent; dev_timeTravel still sets the next
    block's time. With the wall clock (the default) a block follows the clock."""
    clock = [T0]
    argv = ("--sealing", "manual", *(("--dev-clock", "frozen") if frozen else ()))

    async def scenario() -> None:
        with open_chain(tmp_path / "db") as db:
            async with Node.start(make_config(*argv), db, clock=lambda: clock[0]) as node:
                def now() -> int:
                    return read(node, node.best_hash(), timestamp.get)

                await node.new_blocks(1)
                assert now() == T0  # the first block: in the slot of the clock at start
                clock[0] += 60 * SLOT  # a slow caller: a minute's slots pass between blocks
                await node.new_blocks(1)
                assert now() == (T0 + SLOT if frozen else T0 + 60 * SLOT)
                clock[0] += 60 * SLOT
                await node.new_blocks(3)
                assert now() == (T0 + 4 * SLOT if frozen else T0 + 122 * SLOT)
                travel = T0 + 1_000 * SLOT
                await node.time_travel(travel)
                await node.new_blocks(1)
                assert now() == travel
                clock[0] += 60 * SLOT
                await node.new_blocks(1)
                assert now() == (travel + SLOT if frozen else travel + 60 * SLOT)

    asyncio.run(asyncio.wait_for(scenario(), 60))


def test_advance_to_next_epoch_in_process_and_bounds(tmp_path: Path) -> None:
    async def scenario() -> None:
        with open_chain(tmp_path / "db") as db:
            async with Node.start(make_config("--sealing", "manual"), db) as node:
                # Genesis subnet 1, tempo 100 as stored, anchor 0 (main's genesis writes no
                # `LastEpochBlock`): epochs at 100, 200, ...
                assert node.next_epoch_start_block(1) == 100
                assert await node.advance_to_next_epoch(1) == (100, node.best_hash())
                assert node.next_epoch_start_block(1) == 200
                for bad in (0, 7):
                    with pytest.raises(LookupError):
                        node.next_epoch_start_block(bad)
                with pytest.raises(ValueError):
                    await node.new_blocks(10_001)
                assert node.header(node.best_hash()).number == 100

    asyncio.run(asyncio.wait_for(scenario(), 60))


def test_include_now_reports_each_extrinsics_outcome(tmp_path: Path) -> None:
    """Seeding's one block per step: success, a dispatch error (the event's module error by
    name), a failed call inside a successful Sudo (its `Sudid` result), a pool refusal."""
    from tests.unit.test_author import remark, sign

    alice = DEV_ACCOUNTS["Alice"]

    async def scenario() -> None:
        with open_chain(tmp_path / "db") as db:
            async with Node.start(make_config("--sealing", "manual"), db) as node:
                genesis = node.info.genesis_hash
                xts = [sign(alice, remark(b"ok"), nonce=0, genesis_hash=genesis),
                       sign(alice, ("SubtensorModule", ("start_call", {"netuid": 99})), nonce=1, genesis_hash=genesis),
                       sign(alice, ("Sudo", ("sudo", {"call": ("AdminUtils", (
                           "sudo_set_max_registrations_per_block", {"netuid": 99, "max_registrations_per_block": 5}
                       ))})), nonce=2, genesis_hash=genesis),
                       sign(alice, remark(b"stale"), nonce=0, genesis_hash=genesis)]
                block_hash, outcomes = await node.include_now(xts)
                assert node.header(block_hash).number == 1
                # (the admin freeze window is checked before the subnet: tempo 10 by default)
                assert outcomes[:3] == [None, "SubtensorModule.SubnetNotExists",
                                        "Sudo: SubtensorModule.AdminActionProhibitedDuringWeightsWindow"]
                assert outcomes[3] is not None and outcomes[3].startswith("refused by the pool"), outcomes

    asyncio.run(asyncio.wait_for(scenario(), 60))


def test_seeding_a_custom_plan_and_only_a_fresh_chain(tmp_path: Path) -> None:
    from pysubtensor.node.dev import SeedError

    async def scenario() -> None:
        with open_chain(tmp_path / "db") as db:
            config = make_config("--sealing", "manual", "--dev-subnets", "1", "--dev-validators", "0",
                                 "--dev-miners", "1")
            async with Node.start(config, db) as node:
                # the owner's hotkey and //Charlie//miner1
                assert read(node, node.best_hash(), lambda: SubnetworkN.get(2)) == 2
                seeded_at = node.header(node.best_hash()).number
            # the same database again: it is no longer fresh, and nothing is submitted
            with pytest.raises(SeedError, match=f"this one is at #{seeded_at}"):
                async with Node.start(config, db):
                    pass
            assert db.best_number == seeded_at

    asyncio.run(asyncio.wait_for(scenario(), 60))


# -- a running node ------------------------------------------------------------------------------

NETUIDS = (2, 3, 4)  # the preset's subnets, after genesis's root (0) and subnet 1
VALIDATORS = [f"//Bob//validator{j}" for j in (1, 2)]
MINERS = [f"//Charlie//miner{j}" for j in (1, 2, 3, 4)]
OWNERS = [f"//Alice//subnet{i}" for i in (1, 2, 3)]


def ss58(uri: str) -> str:
    return SiKeypair.create_from_uri(uri).ss58_address


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    # A frozen clock: block times are one slot per block whatever the machine's load, so
    # tests can do arithmetic on them (the bad-input test's "next block in the next slot").
    node = start_node(tmp_path_factory.mktemp("seeded"),
                      extra=["--sealing", "manual", "--dev-clock", "frozen", "--dev-preset", "subnets"])
    s = SubstrateInterface(url=node.ws_url, ss58_format=42)
    try:
        yield node, s
    finally:
        s.close()
        stop_node(node)


def best(s: SubstrateInterface) -> int:
    return s.get_block_number(s.get_chain_head())


def rpc_error(node, method: str, params: list) -> dict:
    response = node.rpc(method, params)
    assert "error" in response, (method, params, response)
    return response["error"]


def test_the_preset_is_on_chain_as_the_sdk_reads_it(seeded, tmp_path: Path) -> None:
    node, s = seeded
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    run = run_client("bittensor 11.3.0 seeded11.py",
                     ["env", f"HOME={tmp_path}", str(python), str(CLIENTS_DIR / "bittensor_sdk" / "seeded11.py"),
                      node.ws_url, *map(str, NETUIDS)], node, REPO_ROOT, timeout=180)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    graphs = run.summary["metagraphs"]
    neurons = [ss58(uri) for uri in VALIDATORS + MINERS]
    for netuid, owner in zip(NETUIDS, OWNERS, strict=True):
        m = graphs[str(netuid)]
        assert m["owner_hotkey"] == ss58(owner) and m["owner_coldkey"] == ss58("//Alice"), m
        # uid 0 is the owner's hotkey (registered with the subnet), then the neurons in order
        assert m["hotkeys"] == [ss58(owner), *neurons], m
        assert m["coldkeys"] == [ss58("//Alice")] + [ss58("//Bob")] * 2 + [ss58("//Charlie")] * 4, m
        stakes = dict(zip(m["hotkeys"], m["alpha_stake"], strict=True))
        assert all(stakes[ss58(v)] > 0 for v in VALIDATORS) and all(stakes[ss58(x)] == 0 for x in MINERS), m
        # the stake is the swap's answer for 1,000 TAO into the pool, held by //Bob
        for v in VALIDATORS:
            shares = s.query("SubtensorModule", "Alpha", [ss58(v), ss58("//Bob"), netuid]).value
            assert shares["bits"] > 0 if isinstance(shares, dict) else shares > 0
        assert s.query("SubtensorModule", "SubtokenEnabled", [netuid]).value is True
        assert s.query("SubtensorModule", "FirstEmissionBlockNumber", [netuid]).value is not None
        assert s.query("SubtensorModule", "SubnetOwner", [netuid]).value == ss58("//Alice")
    assert run.summary["subnets"] == [0, 1, *NETUIDS]


def test_a_thousand_blocks_in_one_call(seeded) -> None:
    node, s = seeded
    before = best(s)
    started = time.perf_counter()
    last = node.rpc("dev_newBlock", [{"count": 1000}], timeout=300)["result"]
    elapsed = time.perf_counter() - started
    # Faster than the slots would pass (250 s): the burst does not wait for them (~9 s quiet;
    # the bound leaves room for a loaded machine, not for a wait per slot).
    assert elapsed < 200, f"1,000 blocks took {elapsed:.1f} s"
    assert best(s) == before + 1000 and s.get_block_hash(before + 1000) == last
    slot_duration = int.from_bytes(bytes.fromhex(node.rpc("state_call", ["AuraApi_slot_duration", "0x"])["result"][2:]),
                                   "little")
    assert slot_duration == 250
    previous = None
    for n in [*range(before, before + 40), *range(before + 960, before + 1001)]:
        h = s.get_block_hash(n)
        now = s.query("Timestamp", "Now", block_hash=h).value
        logs = [log.value for log in s.get_block_header(h)["header"]["digest"]["logs"]]
        pre = [log["PreRuntime"] for log in logs if "PreRuntime" in log]
        assert pre[0][0] == "0x" + b"aura".hex()
        slot = int.from_bytes(bytes.fromhex(pre[0][1][2:]), "little")
        assert slot == now // slot_duration, n
        if previous is not None and previous[0] == n - 1 and n == before + 1:
            # the burst's first block: in the slot of the node's clock, or the next one
            assert slot >= previous[1] + 1 and now >= previous[2] + slot_duration, n
        elif previous is not None and previous[0] == n - 1:
            assert (slot, now) == (previous[1] + 1, previous[2] + slot_duration), n
        previous = (n, slot, now)


def test_bt11_next_epoch_start_block_is_where_the_epoch_runs(seeded, tmp_path: Path) -> None:
    """bittensor 11.3.0's `next_epoch_start_block` (SubnetInfoRuntimeApi.get_next_epoch_start_block):
    the coinbase drains the subnet's epoch exactly there (`LastMechansimStepBlock`), within one
    period of the block the SDK read at."""
    node, s = seeded
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    run = run_client("bittensor 11.3.0 seeded11.py",
                     ["env", f"HOME={tmp_path}", str(python), str(CLIENTS_DIR / "bittensor_sdk" / "seeded11.py"),
                      node.ws_url, *map(str, NETUIDS)], node, REPO_ROOT, timeout=180)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    for netuid in NETUIDS:
        read = run.summary["next_epoch"][str(netuid)]
        tempo = s.query("SubtensorModule", "Tempo", [netuid]).value
        # the read happens at `block_before` or a block or two later (the SDK pins its own block)
        assert read["block_before"] < read["next"] <= read["block_before"] + tempo + 2, (netuid, read)
        if best(s) < read["next"]:
            node.rpc("dev_newBlock", [{"count": read["next"] - best(s)}])
        at = s.get_block_hash(read["next"])
        assert s.query("SubtensorModule", "LastMechansimStepBlock", [netuid], block_hash=at).value == read["next"]
        before = s.get_block_hash(read["next"] - 1)
        assert s.query("SubtensorModule", "LastMechansimStepBlock", [netuid], block_hash=before).value \
            < read["next"] - 1


def test_bt11_epoch_status_is_the_chains_schedule(seeded, tmp_path: Path) -> None:
    """bittensor 11.3.0's `epoch_status` (its reads of main's schedule storage and the runtime
    API at one pinned block) equals that block's storage as substrate-interface reads it, and
    its next start is `LastEpochBlock + tempo` (no trigger pending)."""
    node, s = seeded
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    run = run_client("bittensor 11.3.0 seeded11.py",
                     ["env", f"HOME={tmp_path}", str(python), str(CLIENTS_DIR / "bittensor_sdk" / "seeded11.py"),
                      node.ws_url, *map(str, NETUIDS)], node, REPO_ROOT, timeout=180)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    for netuid in NETUIDS:
        status = run.summary["epoch_status"][str(netuid)]
        at = s.get_block_hash(status["block"])

        def q(item: str, netuid: int = netuid, at: str = at) -> int:
            return s.query("SubtensorModule", item, [netuid], block_hash=at).value

        assert (status["tempo"], status["last_epoch_block"], status["epoch_index"], status["blocks_since_last_step"],
                status["pending_epoch_at"]) == (q("Tempo"), q("LastEpochBlock"), q("SubnetEpochIndex"),
                                                q("BlocksSinceLastStep"), None), (netuid, status)
        assert status["epoch_index"] > 0 and status["next_epoch_start_block"] == q("LastEpochBlock") + q("Tempo")
        assert status["blocks_remaining"] == status["next_epoch_start_block"] - status["block"], status


def _epoch_state(s: SubstrateInterface, netuid: int, number: int) -> tuple[int, int]:
    at = s.get_block_hash(number)
    return (s.query("SubtensorModule", "LastEpochBlock", [netuid], block_hash=at).value,
            s.query("SubtensorModule", "SubnetEpochIndex", [netuid], block_hash=at).value)


def test_advance_to_next_epoch_lands_on_the_epoch_block(seeded) -> None:
    """Each call ends on the block whose `on_initialize` ran the subnet's next epoch: there its
    `LastEpochBlock` is that block and its `SubnetEpochIndex` one more than at the start, one
    block before neither had moved. Called again from that block: a whole tempo later."""
    node, s = seeded
    for netuid in (*NETUIDS, 1, NETUIDS[0]):
        start = best(s)
        start_index = _epoch_state(s, netuid, start)[1]
        result = node.rpc("dev_advanceToNextEpoch", [netuid])["result"]
        number = result["number"]
        assert result["hash"] == s.get_block_hash(number) and best(s) == number > start, netuid
        assert _epoch_state(s, netuid, number) == (number, start_index + 1), netuid
        assert _epoch_state(s, netuid, number - 1)[1] == start_index, netuid
    tempo = s.query("SubtensorModule", "Tempo", [NETUIDS[0]]).value
    assert node.rpc("dev_advanceToNextEpoch", [NETUIDS[0]])["result"]["number"] == number + tempo


BAD = [
    ("dev_newBlock", [{"count": -1}], "expected u32"),
    ("dev_newBlock", [{"count": 10_001}], "at most 10000"),
    ("dev_newBlock", [{"count": 2**32}], "expected u32"),
    ("dev_newBlock", [{"count": 0}], "at least 1"),
    ("dev_advanceToNextEpoch", [99], "subnet 99 does not exist"),
    ("dev_advanceToNextEpoch", [0], "root network"),
    ("dev_advanceToNextEpoch", [-1], "expected u16"),
    ("dev_advanceToNextEpoch", [65_536], "expected u16"),
    ("dev_advanceToNextEpoch", ["2"], "expected u16"),
    ("dev_advanceToNextEpoch", [], "netuid"),
    ("dev_timeTravel", [0], "before the first slot"),
    ("dev_timeTravel", [1], "before the first slot"),
    ("dev_timeTravel", [2**64 - 1], "overflow"),
    ("dev_timeTravel", [2**64], "expected u64"),
    ("dev_timeTravel", [-5], "expected u64"),
    ("dev_timeTravel", ["yesterday"], "invalid date"),
]


@pytest.mark.parametrize(("method", "params", "says"), BAD, ids=[f"{m}{json.dumps(p)}" for m, p, _ in BAD])
def test_bad_input_is_refused_and_changes_nothing(seeded, method: str, params: list, says: str) -> None:
    node, s = seeded
    head = s.get_chain_head()
    error = rpc_error(node, method, params)
    assert error["code"] == -32602 and says in str(error.get("data", "")) + error["message"], error
    assert s.get_chain_head() == head
    # blocks go on as before: the next one is in the next slot (the node's clock is frozen,
    # so this holds however long the calls above took; a refused call that moved the clock or
    # set a time travel would show here)
    now = s.query("Timestamp", "Now", block_hash=head).value
    h = node.rpc("dev_newBlock", [])["result"]
    assert s.query("Timestamp", "Now", block_hash=h).value == now + 250


def test_to_far_ahead_is_refused(seeded) -> None:
    node, s = seeded
    head = s.get_chain_head()
    error = rpc_error(node, "dev_newBlock", [{"to": best(s) + 10_001}])
    assert error["code"] == -32602 and "at most 10000" in error["data"] and s.get_chain_head() == head


def test_dev_helpers_are_unsafe(tmp_path: Path) -> None:
    node = start_node(tmp_path, extra=["--rpc-methods", "safe", "--sealing", "manual"])
    try:
        for method, params in (("dev_newBlock", [{"count": 5}]), ("dev_advanceToNextEpoch", [1]),
                               ("dev_timeTravel", [T0])):
            error = rpc_error(node, method, params)
            assert error["code"] == -32601 and "unsafe" in error["message"].lower(), error
        assert int(node.rpc("chain_getHeader")["result"]["number"], 16) == 0
    finally:
        stop_node(node)


def test_advance_to_next_epoch_pays_that_epoch(seeded) -> None:
    """The block `dev_advanceToNextEpoch` returns is the one that pays the subnet's epoch: the
    alpha pending the block before (miners', validators', owner's) is drained there, the
    per-uid `Emission` it wrote adds up to what was pending, and the validators' stakes grow."""
    node, s = seeded
    for netuid in NETUIDS:
        number = node.rpc("dev_advanceToNextEpoch", [netuid])["result"]["number"]
        at, before = s.get_block_hash(number), s.get_block_hash(number - 1)
        q = lambda item, params, h: s.query("SubtensorModule", item, params, block_hash=h).value  # noqa: E731
        pending = [q(item, [netuid], before) for item in ("PendingServerEmission", "PendingValidatorEmission",
                                                          "PendingRootAlphaDivs", "PendingOwnerCut")]
        assert pending[0] > 0 and pending[1] > 0, (netuid, pending)
        assert [q(item, [netuid], at) for item in ("PendingServerEmission", "PendingValidatorEmission",
                                                   "PendingRootAlphaDivs", "PendingOwnerCut")] == [0, 0, 0, 0]
        assert q("LastMechansimStepBlock", [netuid], at) == number
        # paid: at least the pending epoch alpha, at most that plus one block's
        paid = sum(q("Emission", [netuid], at))
        alpha_out = q("SubnetAlphaOutEmission", [netuid], at)
        assert sum(pending[:3]) <= paid <= sum(pending[:3]) + alpha_out, (netuid, pending, paid)
        for uri in VALIDATORS:
            assert q("TotalHotkeyAlpha", [ss58(uri), netuid], at) > q("TotalHotkeyAlpha", [ss58(uri), netuid], before)
