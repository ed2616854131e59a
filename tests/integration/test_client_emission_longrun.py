"""A dev chain left running with subnets, validators and miners setting weights (issue 12,
"Must show"), driven by the bittensor 11.3 SDK and checked block by block and epoch by epoch
against expectations derived here from the weights and stakes, not from the runtime's code.

The chain: `--dev --sealing instant --dev-preset subnets --dev-subnets 2` (subnets 2 and 3,
each with the owner's hotkey at uid 0, validators //Bob//validator1, 2 at uids 1, 2 and miners
//Charlie//miner1..4 at uids 3..6), then, through Sudo and signed calls (substrate-interface):
commit-reveal off and no weights rate limit on both subnets, subnet 3's tempo 7 (subnet 2
keeps 10), a fast moving price (`SubnetMovingAlpha` 1/2, EMA halving 1 block) so that the
prices' sum passes 1 and the root alpha is sold; //Bob stakes another 1,000 TAO on
validator1 (so the validators' stakes differ), //Dave delegates 300 TAO to validator2 on
each subnet, //Alice stakes 50,000 TAO on root to validator1 (the root proportion is large).

After an epoch of subnet 2, //Dave also stakes on miner4 there (stake without a permit at
the next epoch). bittensor 11.3 (tests/clients/bittensor_sdk/longrun11.py) then sets each
round's weights after each epoch of a subnet (round 0: none; 1: the validators agree; 2:
they disagree; 3: they agree on other miners; 4: they weight the owner's hotkey too) and moves the chain on with
`next_epoch_start_block` and `dev_newBlock`; the epoch blocks come from the chain
(`LastMechansimStepBlock`). It reads the metagraph, the delegator's stake, `RootProp` and
`PendingRootAlphaDivs` at each epoch block E and at E - 1, E - 2. Automatic root claims are
off (`sudo_set_num_root_claims` 0) so that each block's pools are what its coinbase left.

Checked here, with storage read by substrate-interface at each block:
- every block: both issuances grow by the block emission (1 TAO at this issuance, less at most
  a rao per subnet of floors) and stay within 21M; Balances' issuance is the sum of all
  accounts; what is issued is what enters the subnet accounts, the pools and `TotalStake`;
- every epoch: Yuma's consensus, incentive and dividends as the metagraph shows them equal
  an exact-rational Yuma (classic) computed here from the weights, bonds, stakes and permits
  stored at E - 1; with agreeing validators the incentive is the normalised weights (u16) and
  a miner no one weights gets nothing; the emissions sum to the pending alpha drained;
  miners' stakes grow by their incentive, validators' by their dividend split (alpha and
  root parts by their stakes) and the delegator's stake grows with its validator's;
- every block: `RootProp` is `tw·R / (tw·R + alpha issuance)` and the validators' pending
  alpha, the root stakers' pending alpha and the miners' grow by the split it implies, read
  through storage and through the SDK;
- afterwards: //Alice's `claim_root` sells the root stakers' alpha of all those epochs for
  TAO; then, with 2.5 TAO left of the 21M supply, minting reaches the supply and stops.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import (
    CLIENTS_DIR,
    DevNode,
    client_venv_python,
    run_client,
    start_node,
    stop_node,
)
from tests.integration.staking_chain import submit

pytestmark = pytest.mark.slow

TAO = 10**9
U16_MAX = 65_535
U64_MAX = 2**64 - 1
TOTAL_SUPPLY = 21_000_000 * TAO
NETUIDS = (2, 3)
OWNER_UID = 0
V1, V2 = "//Bob//validator1", "//Bob//validator2"
VALIDATOR_UIDS = {V1: 1, V2: 2}
MINER_UIDS = (3, 4, 5, 6)
DELEGATOR = "//Dave"

#: Each subnet's weights per round, by validator: {uid: weight}. Round r's weights are set
#: right after the subnet's epoch of round r - 1 and are what its epoch of round r reads;
#: round 0 has none (validators paid by stake), the permits to set weights come with it.
ROUNDS: list[dict[int, dict[str, dict[int, int]]]] = [
    {},
    {2: {V1: {3: 1, 4: 2, 5: 3}, V2: {3: 1, 4: 2, 5: 3}},
     3: {V1: {3: 3, 6: 1}, V2: {3: 3, 6: 1}}},
    {2: {V1: {3: 1, 4: 1}, V2: {5: 1, 6: 1}},
     3: {V1: {4: 1}, V2: {3: 1, 4: 1, 5: 1}}},
    {2: {V1: {6: 1, 5: 1}, V2: {6: 1, 5: 1}},
     3: {V1: {5: 2, 6: 1}, V2: {5: 2, 6: 1}}},
    # the owner's hotkey weighted too: its incentive is burned, not staked
    {2: {V1: {0: 1, 4: 1}, V2: {0: 1, 4: 1}},
     3: {V1: {0: 3, 6: 1}, V2: {0: 3, 6: 1}}},
]


def ss58(uri: str) -> str:
    return Keypair.create_from_uri(uri).ss58_address


def _bits(value) -> int:
    return value["bits"] if isinstance(value, dict) else int(value)


def subnet_account(netuid: int) -> bytes:
    return (b"modl" + b"subtensr" + netuid.to_bytes(2, "little")).ljust(32, b"\0")


# -- the chain ----------------------------------------------------------------------------------

def _set_up(s: SubstrateInterface) -> None:
    alice, bob, dave = (Keypair.create_from_uri(u) for u in ("//Alice", "//Bob", DELEGATOR))
    sudo = lambda name, params: submit(s, alice, "AdminUtils", name, params, sudo=True)  # noqa: E731
    sudo("sudo_set_admin_freeze_window", {"window": 0})
    for netuid in NETUIDS:
        sudo("sudo_set_commit_reveal_weights_enabled", {"netuid": netuid, "enabled": False})
        sudo("sudo_set_weights_set_rate_limit", {"netuid": netuid, "weights_set_rate_limit": 0})
        sudo("sudo_set_ema_price_halving_period", {"netuid": netuid, "ema_halving": 1})
    sudo("sudo_set_tempo", {"netuid": 3, "tempo": 7})
    sudo("sudo_set_subnet_moving_alpha", {"alpha": {"bits": 1 << 31}})
    sudo("sudo_set_subtoken_enabled", {"netuid": 0, "subtoken_enabled": True})  # root staking
    # No automatic root claims: the root dividends stay claimable, so each block's pools are
    # what its coinbase left (the claim would sell alpha after `RootProp` is recorded).
    submit(s, alice, "SubtensorModule", "sudo_set_num_root_claims", {"new_value": 0}, sudo=True)
    submit(s, alice, "Balances", "transfer_keep_alive", {"dest": dave.ss58_address, "value": 10_000 * TAO})
    for netuid in NETUIDS:
        submit(s, bob, "SubtensorModule", "add_stake", {"hotkey": ss58(V1), "netuid": netuid,
                                                         "amount_staked": 1_000 * TAO})
        submit(s, dave, "SubtensorModule", "add_stake", {"hotkey": ss58(V2), "netuid": netuid,
                                                          "amount_staked": 300 * TAO})
    submit(s, alice, "SubtensorModule", "add_stake", {"hotkey": ss58(V1), "netuid": 0, "amount_staked": 50_000 * TAO})


def _stake_a_miner_between_epochs(node: DevNode, s: SubstrateInterface) -> None:
    """//Dave stakes on miner4 of subnet 2 just after an epoch: at the next one (round 0,
    no weights) it holds stake without the permit only an epoch grants, so it has no active
    stake and none of the alpha paid by stake."""
    node.rpc("dev_advanceToNextEpoch", [2])
    submit(s, Keypair.create_from_uri(DELEGATOR), "SubtensorModule", "add_stake",
           {"hotkey": ss58("//Charlie//miner4"), "netuid": 2, "amount_staked": 100 * TAO})


@dataclass
class Run:
    node: DevNode
    s: SubstrateInterface
    summary: dict
    start: int  # the last set-up block
    end: int

    def hash(self, number: int) -> str:
        return self.s.get_block_hash(number)

    def q(self, number: int, item: str, params: list | None = None, module: str = "SubtensorModule"):
        return self.s.query(module, item, params or [], block_hash=self.hash(number)).value

    def qmap(self, number: int, item: str, params: list) -> dict:
        return {k.value: v.value for k, v in self.s.query_map("SubtensorModule", item, params,
                                                             block_hash=self.hash(number), page_size=1000)}

    def epochs(self, netuid: int | None = None) -> list[dict]:
        return [e for e in self.summary["epochs"] if netuid is None or e["netuid"] == netuid]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("longrun")
    node = start_node(tmp, extra=["--sealing", "instant", "--dev-preset", "subnets", "--dev-subnets", "2"])
    s = SubstrateInterface(url=node.ws_url, ss58_format=42)
    try:
        _set_up(s)
        _stake_a_miner_between_epochs(node, s)
        start = s.get_block_number(s.get_chain_head())
        plan = {"netuids": list(NETUIDS), "validators": {V1: "//Bob", V2: "//Bob"}, "delegator": [DELEGATOR, V2],
                "rounds": [{str(n): {v: {str(u): w for u, w in ws.items()} for v, ws in by_v.items()}
                            for n, by_v in r.items()} for r in ROUNDS]}
        plan_path = tmp / "plan.json"
        plan_path.write_text(json.dumps(plan))
        python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
        result = run_client("bittensor 11.3 longrun11.py",
                            ["env", f"HOME={tmp}", str(python), str(CLIENTS_DIR / "bittensor_sdk" / "longrun11.py"),
                             node.ws_url, str(plan_path)], node, REPO_ROOT, timeout=240)
        assert result.returncode == 0 and result.summary.get("ok"), result.report()
        yield Run(node, s, result.summary, start, s.get_block_number(s.get_chain_head()))
    finally:
        s.close()
        stop_node(node)


# -- every block -------------------------------------------------------------------------------

def block_emission(issuance: int) -> int:
    """1 TAO halved k times, k the largest with issuance ≥ 21M·(1 - 2^-k) (reference §2)."""
    if issuance >= TOTAL_SUPPLY:
        return 0
    k = 0
    while Fraction(issuance) >= TOTAL_SUPPLY * (1 - Fraction(1, 2 ** (k + 1))):
        k += 1
    return TAO // 2**k


def test_block_emission_rule() -> None:
    assert [block_emission(x) for x in (0, TOTAL_SUPPLY // 2 - 1, TOTAL_SUPPLY // 2, TOTAL_SUPPLY * 3 // 4,
                                        TOTAL_SUPPLY)] == [TAO, TAO, TAO // 2, TAO // 4, 0]


def _signed_calls(run: Run, number: int) -> list[str]:
    return [f"{x.value['call']['call_module']}.{x.value['call']['call_function']}"
            for x in run.s.get_block(run.hash(number))["extrinsics"] if x.value.get("signature")]


def test_each_block_issues_the_block_emission_and_conserves_tao(run: Run) -> None:
    s = run.s
    pool_accounts = [s.ss58_encode(subnet_account(n)) for n in (0, 1, *NETUIDS)]
    previous = None
    issued_blocks = 0
    for number in range(run.start, run.end + 1):
        h = run.hash(number)
        accounts = [v.value["data"] for _k, v in s.query_map("System", "Account", block_hash=h, page_size=1000)]
        now = {
            "balances": run.q(number, "TotalIssuance", module="Balances"),
            "subtensor": run.q(number, "TotalIssuance"),
            "subnet_accounts": sum(run.q(number, "Account", [a], module="System")["data"]["free"]
                                   for a in pool_accounts),
            "pools": sum(run.q(number, "SubnetTAO", [n]) for n in (0, 1, *NETUIDS)),
            "total_stake": run.q(number, "TotalStake"),
        }
        # Balances' issuance is every account's TAO, and minting stays within the supply.
        assert sum(a["free"] + a["reserved"] for a in accounts) == now["balances"], number
        assert now["balances"] <= TOTAL_SUPPLY and now["subtensor"] <= TOTAL_SUPPLY
        if previous is not None:
            # Only weights are set in these blocks, and they pay no fee (Pays::No).
            calls = _signed_calls(run, number)
            assert set(calls) <= {"SubtensorModule.set_mechanism_weights", "SubtensorModule.set_weights"}, calls
            deltas = {k: now[k] - previous[k] for k in now}
            issued = deltas["balances"]
            # What is minted enters the subnet accounts and the pools, and counts as stake.
            assert deltas == dict.fromkeys(deltas, issued), (number, deltas)
            emission = block_emission(previous["subtensor"])
            assert emission == TAO
            # the block's TAO split by shares floors at most a rao per emitting subnet
            assert emission - len(NETUIDS) <= issued <= emission, (number, issued)
            issued_blocks += 1
        previous = now
    assert issued_blocks >= 30


# -- every epoch -------------------------------------------------------------------------------

def test_epochs_run_where_the_sdk_was_told_and_use_the_weights_set(run: Run) -> None:
    """Each subnet ran an epoch per round, at the block `next_epoch_start_block` announced
    (read from `LastMechansimStepBlock`); the weights the SDK set are stored as its u16
    max-upscaling of them (and what the epoch read)."""
    assert all(w["success"] for w in run.summary["weights"]), run.summary["weights"]
    for netuid in NETUIDS:
        epochs = run.epochs(netuid)
        assert [e["round"] for e in epochs] == list(range(len(ROUNDS)))
        blocks = [e["block"] for e in epochs]
        assert blocks == sorted(set(blocks)) and run.start < blocks[0]
        for e in epochs:
            block = e["block"]
            assert e["predicted"] == block
            assert run.q(block, "LastMechansimStepBlock", [netuid]) == block
            assert run.q(block - 1, "LastMechansimStepBlock", [netuid]) < block - 1
            assert run.q(block, "BlocksSinceLastStep", [netuid]) == 0
            stored = run.qmap(block - 1, "Weights", [netuid])
            for validator, uid in VALIDATOR_UIDS.items():
                chosen = ROUNDS[e["round"]].get(netuid, {}).get(validator)
                if chosen is None:
                    assert not stored.get(uid), (netuid, e["round"], stored)
                    continue
                top = max(chosen.values())
                # SDK `normalize`: round(w / max · 65535), zeros dropped
                expected = [(u, int(Fraction(w, top) * U16_MAX + Fraction(1, 2))) for u, w in sorted(chosen.items())]
                assert [tuple(x) for x in stored[uid]] == expected, (netuid, e["round"], stored[uid])


@dataclass
class EpochInputs:
    """What the epoch at `block` reads: the state at the end of the block before."""

    block: int
    n: int
    hotkeys: list[str]
    alpha: list[int]
    root: list[int]
    tao_weight: Fraction
    permits: list[bool]
    owner_uid: int | None
    last_update: list[int]
    registered: list[int]
    weights: dict[int, list[tuple[int, int]]]
    bonds: dict[int, list[tuple[int, int]]]
    kappa: Fraction
    bonds_penalty: Fraction
    bonds_moving_average: int
    max_validators: int


def read_epoch_inputs(run: Run, netuid: int, block: int) -> EpochInputs:
    b = block - 1
    n = run.q(b, "SubnetworkN", [netuid])
    keys = run.qmap(b, "Keys", [netuid])
    hotkeys = [keys[uid] for uid in range(n)]
    owner_hotkey = run.q(b, "SubnetOwnerHotkey", [netuid])
    # This model is Yuma classic with no childkeys, no stake threshold, every neuron active.
    assert run.q(b, "Yuma3On", [netuid]) is False and run.q(b, "StakeThreshold") == 0
    for hotkey in hotkeys:
        assert run.q(b, "ChildKeys", [hotkey, netuid]) == [] and run.q(b, "ParentKeys", [hotkey, netuid]) == []
    last_update = run.q(b, "LastUpdate", [netuid])
    assert all(u + run.q(b, "ActivityCutoff", [netuid]) >= block for u in last_update)
    registered = [run.q(b, "BlockAtRegistration", [netuid, uid]) for uid in range(n)]
    # Bonds to neurons registered since the last epoch would be dropped: none here.
    assert max(registered) < min(block - run.q(b, "Tempo", [netuid]), run.q(b, "LastMechansimStepBlock", [netuid]))
    return EpochInputs(
        block=block, n=n, hotkeys=hotkeys,
        alpha=[run.q(b, "TotalHotkeyAlpha", [hk, netuid]) for hk in hotkeys],
        root=[run.q(b, "TotalHotkeyAlpha", [hk, 0]) for hk in hotkeys],
        tao_weight=Fraction(run.q(b, "TaoWeight"), U64_MAX),
        permits=run.q(b, "ValidatorPermit", [netuid]),
        owner_uid=hotkeys.index(owner_hotkey) if owner_hotkey in hotkeys else None,
        last_update=last_update, registered=registered,
        weights={uid: [tuple(x) for x in row] for uid, row in run.qmap(b, "Weights", [netuid]).items()},
        bonds={uid: [tuple(x) for x in row] for uid, row in run.qmap(b, "Bonds", [netuid]).items()},
        kappa=Fraction(run.q(b, "Kappa", [netuid]), U16_MAX),
        bonds_penalty=Fraction(run.q(b, "BondsPenalty", [netuid]), U16_MAX),
        bonds_moving_average=run.q(b, "BondsMovingAverage", [netuid]),
        max_validators=run.q(b, "MaxAllowedValidators", [netuid]),
    )


def _normalize(values: list[Fraction]) -> list[Fraction]:
    total = sum(values)
    return [v / total for v in values] if total else list(values)


def _col_normalize(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    n = len(matrix)
    sums = [sum(matrix[i][j] for i in range(n)) for j in range(n)]
    return [[matrix[i][j] / sums[j] if sums[j] else matrix[i][j] for j in range(n)] for i in range(n)]


@dataclass
class YumaOutput:
    stake: list[Fraction]
    active_stake: list[Fraction]
    consensus: list[Fraction]
    incentive: list[Fraction]
    dividends: list[Fraction]
    #: each uid's share of the epoch's alpha (incentive + dividends, or stake if both are 0)
    emission_share: list[Fraction]
    #: the validators' part: dividends, or the stake shares when nothing is paid by weight
    validator_share: list[Fraction]
    new_permits: list[bool]


def yuma_classic(x: EpochInputs) -> YumaOutput:
    """Yuma consensus (classic bonds) in exact rationals, from the written rules
    (reference §7): stake S normalised; active stake A = S of the permitted; weights of the
    permitted validators, no self-weight but the owner's, row-normalised; consensus the
    stake-weighted median at kappa; clipped weights give ranks and incentive; bonds the EMA
    of the (column-normalised) clipped weight · stake with the stored bonds; dividends the
    bonds times incentive."""
    n = x.n
    stake = _normalize([x.alpha[i] + x.tao_weight * x.root[i] for i in range(n)])
    # (spec 381 keeps the stored permits; main also forces the owner's: the same here)
    assert x.owner_uid is None or x.permits[x.owner_uid]
    permitted = x.permits
    active = _normalize([stake[i] if permitted[i] else Fraction(0) for i in range(n)])
    weights = [[Fraction(0)] * n for _ in range(n)]
    for i, row in x.weights.items():
        if not permitted[i]:
            continue
        for j, w in row:
            if (j == i and i != x.owner_uid) or x.last_update[i] <= x.registered[j]:
                continue
            weights[i][j] = Fraction(w)
    weights = [_normalize(row) for row in weights]
    voters = [i for i in range(n) if active[i] > 0]
    minority = sum(active[i] for i in voters) - x.kappa
    consensus = []
    for j in range(n):
        cumulative, c = Fraction(0), Fraction(0)
        for score, a in sorted((weights[i][j], active[i]) for i in voters):
            cumulative += a
            if cumulative > minority:  # the smallest score with more than 1 - kappa of the stake at or below it
                c = score
                break
        consensus.append(c)
    clipped = [[min(weights[i][j], consensus[j]) for j in range(n)] for i in range(n)]
    incentive = _normalize([sum(active[i] * clipped[i][j] for i in range(n)) for j in range(n)])
    for_bonds = [[weights[i][j] + x.bonds_penalty * (clipped[i][j] - weights[i][j]) for j in range(n)]
                 for i in range(n)]
    old = [[Fraction(0)] * n for _ in range(n)]
    for i, row in x.bonds.items():
        for j, b in row:
            old[i][j] = Fraction(b)
    old = _col_normalize(old)
    delta = _col_normalize([[for_bonds[i][j] * active[i] for j in range(n)] for i in range(n)])
    alpha = 1 - Fraction(x.bonds_moving_average, 10**6)
    bonds = _col_normalize([[alpha * delta[i][j] + (1 - alpha) * old[i][j] for j in range(n)] for i in range(n)])
    dividends = _normalize([sum(bonds[i][j] * incentive[j] for j in range(n)) for i in range(n)])
    total = sum(incentive) + sum(dividends)
    if total:
        share = [(incentive[i] + dividends[i]) / total for i in range(n)]
        validator_share = [d / total for d in dividends]
    else:
        share = validator_share = active if any(active) else stake
    ranked = sorted(range(n), key=lambda i: stake[i], reverse=True)
    new_permits = [stake[i] > 0 and i in ranked[:x.max_validators] for i in range(n)]
    return YumaOutput(stake, active, consensus, incentive, dividends, share, validator_share, new_permits)


def u16(x: Fraction) -> int:
    return int(x * U16_MAX)


def _close(actual: list[int], expected: list[Fraction], tolerance: int, what: str) -> None:
    assert len(actual) == len(expected), what
    off = [(i, a, u16(e)) for i, (a, e) in enumerate(zip(actual, expected, strict=True)) if abs(a - u16(e)) > tolerance]
    assert not off, f"{what}: (uid, chain, expected) {off}"


def test_metagraph_at_each_epoch_is_yuma_of_the_weights_and_stakes(run: Run) -> None:
    """bittensor's metagraph at each epoch block: consensus, incentive and dividends are the
    rational Yuma of the stored inputs (within the u16 rounding of I32F32 arithmetic); each
    uid's emission is its share of the epoch's alpha; permits follow the stake. Where the
    validators agreed, the incentive is their normalised weights."""
    for e in run.epochs():
        netuid, block, graph = e["netuid"], e["block"], e["graph_0"]
        assert graph["block"] == block
        x = read_epoch_inputs(run, netuid, block)
        y = yuma_classic(x)
        what = f"subnet {netuid} round {e['round']} at #{block}"
        assert graph["hotkeys"] == x.hotkeys, what
        # what bittensor decoded is what storage holds
        for field, item in (("consensus", "Consensus"), ("incentives", "Incentive"), ("dividends", "Dividends"),
                            ("emission", "Emission"), ("validator_permit", "ValidatorPermit")):
            assert graph[field] == run.q(block, item, [netuid]), (what, field)
        _close(graph["consensus"], y.consensus, 1, what + " consensus")
        _close(graph["incentives"], y.incentive, 1, what + " incentive")
        _close(graph["dividends"], y.dividends, 2, what + " dividends")
        assert graph["validator_permit"] == y.new_permits, what
        total = sum(graph["emission"])
        assert total > 0, what
        for uid, (paid, share) in enumerate(zip(graph["emission"], y.emission_share, strict=True)):
            assert abs(paid - share * total) <= 16, (what, uid, paid, float(share * total))
        weights = ROUNDS[e["round"]].get(netuid, {})
        rows = list(weights.values())
        if rows and all(r == rows[0] for r in rows):
            # every validator set the same weights: incentive = consensus = those, normalised
            top = sum(rows[0].values())
            expected = [Fraction(rows[0].get(uid, 0), top) for uid in range(x.n)]
            _close(graph["incentives"], expected, 1, what + " agreed incentive")
            _close(graph["consensus"], expected, 1, what + " agreed consensus")
        weighted = {uid for row in rows for uid, w in row.items() if w}
        for uid in MINER_UIDS:
            if uid not in weighted:
                assert graph["incentives"][uid] == 0 and graph["emission"][uid] == 0, (what, uid)
        if not rows:  # no weights at all: the validators are paid by (active) stake
            assert not any(graph["incentives"]) and not any(graph["dividends"]), what
            assert graph["emission"][VALIDATOR_UIDS[V1]] > graph["emission"][VALIDATOR_UIDS[V2]] > 0, what
            if netuid == 2:  # miner4, staked since the last epoch: stake but no permit, nothing
                assert x.alpha[6] > 0 and not x.permits[6] and graph["emission"][6] == 0, what
        else:
            assert graph["dividends"][VALIDATOR_UIDS[V1]] > 0 and graph["dividends"][VALIDATOR_UIDS[V2]] > 0, what


PENDING = ("PendingServerEmission", "PendingValidatorEmission", "PendingRootAlphaDivs", "PendingOwnerCut")


def _selling(run: Run, number: int) -> bool:
    """Root alpha is kept for root (sold when claimed) while the emitting subnets' moving
    prices sum above 1 (reference §3.5), as they stood before the block."""
    return sum(Fraction(_bits(run.q(number - 1, "SubnetMovingPrice", [n])), 2**32) for n in NETUIDS) > 1


def _alpha_split(run: Run, netuid: int, number: int) -> dict[str, Fraction]:
    """The block's new alpha for the subnet's participants (reference §3.5): the owner's cut,
    half the rest for miners, the other half for validators less the root stakers' part
    `RootProp · rest / 2`."""
    alpha_out = run.q(number, "SubnetAlphaOutEmission", [netuid])
    owner = alpha_out * Fraction(run.q(number - 1, "SubnetOwnerCut"), U16_MAX)
    rest = alpha_out - owner
    root = Fraction(_bits(run.q(number, "RootProp", [netuid])), 2**32) * rest / 2
    return {"PendingServerEmission": rest / 2, "PendingValidatorEmission": rest / 2 - root,
            "PendingRootAlphaDivs": root, "PendingOwnerCut": owner}


def test_each_epoch_pays_the_pending_alpha_by_yuma_and_stakes_grow(run: Run) -> None:
    """At each epoch block the pending alpha (what storage held the block before, plus the
    block's own) is paid: the emissions sum to it; each miner's stake grows by its incentive;
    each validator's by its dividend, split into an alpha part (of the validators' pending
    alpha) and a root part (of the root stakers') by its alpha and weighted root stake, less
    its take, which its owner keeps; the owner's hotkey by the owner cut. The delegator's
    stake (through the SDK) grows with its validator's while its shares stay put."""
    dave = ss58(DELEGATOR)
    shares = {n: run.q(run.start, "Alpha", [ss58(V2), dave, n]) for n in NETUIDS}
    burned = 0
    for e in run.epochs():
        netuid, block = e["netuid"], e["block"]
        what = f"subnet {netuid} round {e['round']} at #{block}"
        assert _selling(run, block), what
        x = read_epoch_inputs(run, netuid, block)
        y = yuma_classic(x)
        before = {item: run.q(block - 1, item, [netuid]) for item in PENDING}
        assert all(run.q(block, item, [netuid]) == 0 for item in PENDING), what  # drained
        split = _alpha_split(run, netuid, block)
        pending = {item: before[item] + split[item] for item in PENDING}
        drained = pending["PendingServerEmission"] + pending["PendingValidatorEmission"] + pending["PendingRootAlphaDivs"]
        emission = run.q(block, "Emission", [netuid])
        assert 0 <= drained - sum(emission) <= 24, (what, float(drained), sum(emission))

        paid_by_weight = any(y.incentive)
        validator_alpha = pending["PendingValidatorEmission"] + (0 if paid_by_weight else pending["PendingServerEmission"])
        parts = {}
        for uid in range(x.n):
            d = y.validator_share[uid]
            weighted_root = x.tao_weight * x.root[uid]
            stake = x.alpha[uid] + weighted_root
            root_part = d * weighted_root / stake if stake else Fraction(0)
            parts[uid] = (d - root_part, root_part)
        alpha_total = sum(a for a, _ in parts.values())
        root_total = sum(r for _, r in parts.values())
        alpha_divs = run.qmap(block, "AlphaDividendsPerSubnet", [netuid])
        root_divs = run.qmap(block, "RootAlphaDividendsPerSubnet", [netuid])
        incentive_total = sum(y.incentive) + sum(y.dividends)
        for uid, hotkey in enumerate(x.hotkeys):
            take = Fraction(run.q(block - 1, "Delegates", [hotkey]), U16_MAX)
            alpha_div = validator_alpha * parts[uid][0] / alpha_total if alpha_total else Fraction(0)
            root_div = pending["PendingRootAlphaDivs"] * parts[uid][1] / root_total if root_total else Fraction(0)
            tolerance = 16 + int((alpha_div + root_div) / 10**7)
            assert abs(alpha_divs.get(hotkey, 0) - alpha_div * (1 - take)) <= tolerance, (what, uid, alpha_divs,
                                                                                         float(alpha_div))
            assert abs(root_divs.get(hotkey, 0) - root_div * (1 - take)) <= tolerance, (what, uid, root_divs,
                                                                                       float(root_div))
            incentive = (y.incentive[uid] / incentive_total * drained) if incentive_total else Fraction(0)
            if uid == x.owner_uid:
                if any(0 in w for w in ROUNDS[e["round"]].get(netuid, {}).values()):
                    assert e["graph_0"]["incentives"][uid] > 0, what
                    burned += 1
                incentive = pending["PendingOwnerCut"]  # its own incentive is burned; it gets the cut
            expected = incentive + alpha_div + root_div * take
            grew = run.q(block, "TotalHotkeyAlpha", [hotkey, netuid]) - x.alpha[uid]
            assert abs(grew - expected) <= tolerance + 2, (what, uid, grew, float(expected))
            if uid in MINER_UIDS:
                assert grew == emission[uid], (what, uid)  # a miner's stake grows by its emission
        for uri in (V1, V2):
            uid = VALIDATOR_UIDS[uri]
            assert e["graph_0"]["alpha_stake"][uid] > e["graph_1"]["alpha_stake"][uid], (what, uri)
        # the delegator (//Dave on validator2): same shares, more stake
        assert run.q(block, "Alpha", [ss58(V2), dave, netuid]) == shares[netuid]
        assert e["delegator_0"] > e["delegator_1"] > 0, what
    assert burned == len(NETUIDS)  # the owner's incentive was there to burn


def test_root_proportion_each_block_through_storage_and_the_sdk(run: Run) -> None:
    """Every block: `RootProp` = tw·R / (tw·R + alpha issuance) (R root's `SubnetTAO`, tw
    `TaoWeight`), and the pending alpha grows by the split it implies: root stakers
    `RootProp · rest / 2`, validators `rest / 2` less that, miners `rest / 2`, the owner its
    cut. The SDK reads the same `RootProp` and pending root emission before each epoch."""
    checked = 0
    for number in range(run.start + 1, run.end + 1):
        tw = Fraction(run.q(number, "TaoWeight"), U64_MAX) * run.q(number, "SubnetTAO", [0])
        for netuid in NETUIDS:
            issuance = run.q(number, "SubnetAlphaIn", [netuid]) + run.q(number, "SubnetAlphaOut", [netuid])
            root_prop = Fraction(_bits(run.q(number, "RootProp", [netuid])), 2**32)
            assert abs(root_prop - tw / (tw + issuance)) <= Fraction(1, 2**30), (number, netuid)
            assert 0 < root_prop < 1
            if run.q(number, "LastMechansimStepBlock", [netuid]) == number or not _selling(run, number):
                continue
            split = _alpha_split(run, netuid, number)
            for item in PENDING:
                grew = run.q(number, item, [netuid]) - run.q(number - 1, item, [netuid])
                assert abs(grew - split[item]) <= 2, (number, netuid, item, grew, float(split[item]))
            checked += 1
    assert checked >= 2 * 30
    for e in run.epochs():
        netuid, block = e["netuid"], e["block"]
        assert _bits(e["root_prop_1"]) == _bits(run.q(block - 1, "RootProp", [netuid]))
        graph, earlier = e["graph_1"], e["graph_2"]
        assert graph["pending_root_emission"] == 0  # as the real runtime's metagraph: deprecated, 0
        assert e["pending_root_1"] == run.q(block - 1, "PendingRootAlphaDivs", [netuid]) > 0
        assert graph["pending_alpha_emission"] == (run.q(block - 1, "PendingServerEmission", [netuid])
                                                   + run.q(block - 1, "PendingValidatorEmission", [netuid]))
        rest = graph["alpha_out_emission"] * (1 - Fraction(run.q(block - 1, "SubnetOwnerCut"), U16_MAX))
        root = Fraction(_bits(e["root_prop_1"]), 2**32) * rest / 2
        assert abs(e["pending_root_1"] - e["pending_root_2"] - root) <= 2, e["round"]
        assert abs(graph["pending_alpha_emission"] - earlier["pending_alpha_emission"] - (rest - root)) <= 3



def test_root_dividends_are_sold_for_tao_when_claimed(run: Run) -> None:
    """The root stakers' alpha of every epoch (`RootAlphaDividendsPerSubnet`, all validator1's,
    whose only root staker is //Alice) is owed to //Alice; her `claim_root` (claim type
    `Swap`, the default) sells it into each subnet's pool: the pool's alpha grows by it, its
    TAO shrinks by what root's pool and her root stake gain, at about the pool's price."""
    from tests.integration.staking_chain import price

    s, v1 = run.s, ss58(V1)
    alice = Keypair.create_from_uri("//Alice")
    head = s.get_block_number(s.get_chain_head())
    owed, epochs = dict.fromkeys(NETUIDS, 0), dict.fromkeys(NETUIDS, 0)
    for number in range(1, head + 1):
        for netuid in NETUIDS:
            if run.q(number, "LastMechansimStepBlock", [netuid]) == number:
                owed[netuid] += run.qmap(number, "RootAlphaDividendsPerSubnet", [netuid]).get(v1, 0)
                epochs[netuid] += 1
    assert all(owed.values()), owed
    # Each epoch's part is kept as a rate per unit of root stake, an I96F32 (32 fraction bits):
    # up to root stake / 2^32 alpha less per epoch.
    lost = {n: epochs[n] * (run.q(head, "TotalHotkeyAlpha", [v1, 0]) >> 32) + 4 for n in NETUIDS}
    receipt = submit(s, alice, "SubtensorModule", "claim_root", {"subnets": list(NETUIDS)})
    claimed = s.get_block_number(receipt.block_hash)
    assert [e.value["attributes"] for e in receipt.triggered_events
            if e.value["event_id"] == "RootClaimed"] == [{"coldkey": alice.ss58_address}]

    def delta(item: str, params: list) -> int:
        return run.q(claimed, item, params) - run.q(claimed - 1, item, params)

    paid = {}
    for netuid in NETUIDS:
        sold = delta("SubnetAlphaIn", [netuid]) - run.q(claimed, "SubnetAlphaInEmission", [netuid])
        assert owed[netuid] - lost[netuid] <= sold <= owed[netuid], (netuid, sold, owed[netuid])
        paid[netuid] = run.q(claimed, "SubnetTaoInEmission", [netuid]) - delta("SubnetTAO", [netuid])
        assert paid[netuid] > 0
        before, after = (price(s, netuid, run.hash(n)) for n in (claimed - 1, claimed))
        assert after <= paid[netuid] * TAO // sold <= before, (netuid, before, after, paid[netuid], sold)
    assert delta("SubnetTAO", [0]) == sum(paid.values()) == delta("TotalHotkeyAlpha", [v1, 0])

def test_minting_stops_at_the_supply(run: Run) -> None:
    """After the run (its blocks are read above): //Alice's balance is raised through Sudo
    (`Balances.force_set_balance`) until 2.5 TAO are left of the 21M supply; the blocks after
    that mint the block emission, then what is left (as main's `mint_tao` caps the block's
    credit before the coinbase splits it), never past the supply; the accounts still hold
    exactly the issuance, and what is minted still enters the subnet accounts and the pools."""
    s = run.s
    alice = Keypair.create_from_uri("//Alice")
    head = s.get_block_number(s.get_chain_head())
    issuance = run.q(head, "TotalIssuance", module="Balances")
    free = run.q(head, "Account", [alice.ss58_address], module="System")["data"]["free"]
    submit(s, alice, "Balances", "force_set_balance",
           {"who": alice.ss58_address, "new_free": free + TOTAL_SUPPLY - issuance - 5 * TAO // 2}, sudo=True)
    first = s.get_block_number(s.get_chain_head())
    room = TOTAL_SUPPLY - run.q(first, "TotalIssuance", module="Balances")
    assert TAO < room < 2 * TAO, room  # more than one block's emission left, less than two
    run.node.rpc("dev_newBlock", [{"count": 4}])
    accounts = [s.ss58_encode(subnet_account(n)) for n in (0, 1, *NETUIDS)]

    def state(number: int) -> tuple[int, ...]:
        return (run.q(number, "TotalIssuance", module="Balances"), run.q(number, "TotalIssuance"),
                sum(run.q(number, "Account", [a], module="System")["data"]["free"] for a in accounts),
                sum(run.q(number, "SubnetTAO", [n]) for n in (0, 1, *NETUIDS)))

    issued = []
    for number in range(first + 1, first + 5):
        before, now = state(number - 1), state(number)
        deltas = {b - a for a, b in zip(before, now, strict=True)}
        assert len(deltas) == 1, (number, before, now)
        issued.append(deltas.pop())
        total = sum(a["free"] + a["reserved"] for _k, a in (
            (k, v.value["data"]) for k, v in s.query_map("System", "Account", block_hash=run.hash(number),
                                                        page_size=1000)))
        assert total == now[0] <= TOTAL_SUPPLY, number
    floors = len(NETUIDS)  # a rao per subnet's share
    assert TAO - floors <= issued[0] <= TAO, issued  # a whole block's emission
    # then what is left of the supply, shared by the subnets (main's capped `mint_tao`)
    assert room - floors <= issued[0] + issued[1] <= room, (room, issued)
    left = TOTAL_SUPPLY - state(first + 4)[0]
    assert 0 <= left <= floors and sum(issued[2:]) <= floors, (left, issued)
