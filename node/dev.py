"""Dev chain helpers: the bound on blocks produced at once, and `--dev-preset`, which seeds a
fresh dev chain with subnets, validators and miners at start.

Everything goes through the chain's own path: signed extrinsics from the dev accounts
funded at genesis, validated by the transaction pool and included in blocks this node seals
(one block per step, its failures read from `System.ExtrinsicFailed` and `Sudo.Sudid`
events), so the chain is
exactly what those calls produce; nothing writes storage directly. The keys are derived
from the well-known dev seed, so any client can sign with them:

    subnet owner   coldkey //Alice   hotkey //Alice//subnet<i>      (i = 1 … subnets)
    validators     coldkey //Bob     hotkey //Bob//validator<j>     (j = 1 … validators)
    miners         coldkey //Charlie hotkey //Charlie//miner<j>     (j = 1 … miners)

The steps, per seeded subnet (netuids as the chain assigns them, after the genesis ones):
`register_network(owner hotkey)`; blocks until `StartCallDelay` has passed, then
`start_call` (which enables the subnet's token); through Sudo (//Alice is the dev chain's
sudo key) `AdminUtils.sudo_set_max_registrations_per_block` and
`sudo_set_target_registrations_per_interval` raised to the number of neurons, so that
they all register at once (the defaults allow one per block and a few per interval);
`burned_register` of every validator and miner hotkey; `add_stake` of `stake_tao` TAO from
//Bob to each validator hotkey.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pysubtensor.node.api import MAX_NEW_BLOCKS, call_runtime_api
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.scale import U64
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.runtime import construct
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.extrinsic import UncheckedExtrinsic, implicit_bytes, signing_payload
from pysubtensor.runtime.version import VERSION

if TYPE_CHECKING:
    from pysubtensor.node.service import Node

__all__ = ["MAX_NEW_BLOCKS", "PRESETS", "SeedError", "SeedPlan", "SeededChain", "seed_chain", "seed_keys"]

log = logging.getLogger("pysubtensor")

TAO = 10**9


class SeedError(Exception):
    """A seeding step the chain refused (the message names the call and the error)."""


@dataclass(frozen=True, slots=True)
class SeedPlan:
    """How many subnets to create, and validators and miners to register on each."""

    subnets: int
    validators: int
    miners: int
    #: TAO //Bob stakes to each validator hotkey on each seeded subnet.
    stake_tao: int = 1_000

    def __post_init__(self) -> None:
        if not 1 <= self.subnets <= 32:
            raise ValueError(f"subnets must be 1 to 32, got {self.subnets}")
        if self.validators < 0 or self.miners < 0 or self.validators + self.miners > 64:
            raise ValueError("validators and miners must be at least 0 and at most 64 together")
        if not 0 < self.stake_tao <= 10_000:
            raise ValueError(f"stake must be 1 to 10,000 TAO, got {self.stake_tao}")


#: The named presets of `--dev-preset`.
PRESETS: dict[str, SeedPlan] = {
    "subnet": SeedPlan(subnets=1, validators=1, miners=2),
    "subnets": SeedPlan(subnets=3, validators=2, miners=4),
}


@slots_dataclass(frozen=True)
class SeedKeys:
    owner: Keypair
    owner_hotkeys: list[Keypair]
    validator_coldkey: Keypair
    validators: list[Keypair]
    miner_coldkey: Keypair
    miners: list[Keypair]


def seed_keys(plan: SeedPlan) -> SeedKeys:
    """The plan's deterministic keys (see the module docstring for their URIs)."""
    return SeedKeys(
        owner=Keypair.from_uri("//Alice"),
        owner_hotkeys=[Keypair.from_uri(f"//Alice//subnet{i}") for i in range(1, plan.subnets + 1)],
        validator_coldkey=Keypair.from_uri("//Bob"),
        validators=[Keypair.from_uri(f"//Bob//validator{j}") for j in range(1, plan.validators + 1)],
        miner_coldkey=Keypair.from_uri("//Charlie"),
        miners=[Keypair.from_uri(f"//Charlie//miner{j}") for j in range(1, plan.miners + 1)],
    )


@slots_dataclass(frozen=True)
class SeededChain:
    """What seeding made: the new subnets' netuids, in the order of their owner hotkeys."""

    netuids: list[int]
    best_number: int


class _Signer:
    """Signs calls for one account, nonces counted from the pool's view."""

    def __init__(self, node: Node, keypair: Keypair) -> None:
        self.keypair = keypair
        self._node = node
        self._nonce = node.account_next_index(keypair.account_id)

    def sign(self, call: tuple[str, Any]) -> bytes:
        call_bytes = construct.RUNTIME_CALL.encode(call)
        extra = {"CheckMortality": Era(), "CheckNonce": self._nonce, "ChargeTransactionPayment": 0,
                 "CheckMetadataHash": "Disabled"}
        genesis = self._node.info.genesis_hash
        implicit = implicit_bytes(spec_version=VERSION.spec_version, transaction_version=VERSION.transaction_version,
                                  genesis_hash=genesis, era_birth_hash=genesis)
        signature = self.keypair.sign_multi(signing_payload(call_bytes, extra, implicit))
        self._nonce += 1
        return UncheckedExtrinsic.encode_signed(("Id", self.keypair.account_id), signature, extra, call_bytes)


def _subtensor(name: str, **args: Any) -> tuple[str, Any]:
    return ("SubtensorModule", (name, args))


def _sudo(name: str, **args: Any) -> tuple[str, Any]:
    """`Sudo.sudo(AdminUtils.<name>(args))`, signed by the sudo key //Alice."""
    return ("Sudo", ("sudo", {"call": ("AdminUtils", (name, args))}))


async def _step(node: Node, what: str, extrinsics: Sequence[tuple[str, bytes]]) -> None:
    """One block holding `extrinsics` (label, encoded); any refusal or failure ends seeding."""
    if not extrinsics:
        return
    block_hash, outcomes = await node.include_now([xt for _, xt in extrinsics])
    for (label, _), outcome in zip(extrinsics, outcomes, strict=True):
        if outcome is not None:
            raise SeedError(f"{what}: {label} failed: {outcome}")
    log.info("🌱 %s: %d extrinsic(s) in #%d", what, len(extrinsics), node.header(block_hash).number)


def _owned_subnets(node: Node, owner_hotkeys: Sequence[bytes]) -> list[int]:
    infos = call_runtime_api(node, node.best_hash(), "SubnetInfoRuntimeApi_get_all_dynamic_info", b"")
    by_hotkey = {info.owner_hotkey: info.netuid for info in infos if info is not None}
    return [by_hotkey[h] for h in owner_hotkeys]


def _start_call_delay(node: Node) -> int:
    """SubtensorModule `StartCallDelay` (a u64 value; declared default 0)."""
    raw = node.storage(node.best_hash(), storage_prefix("SubtensorModule", "StartCallDelay"))
    return 0 if raw is None else U64.decode_all(raw)


async def seed_chain(node: Node, plan: SeedPlan) -> SeededChain:
    """Run the plan's extrinsics on `node` (a dev chain's authority); raises SeedError."""
    keys = seed_keys(plan)
    owner = _Signer(node, keys.owner)
    await _step(node, "register subnets", [
        (f"register_network(//Alice//subnet{i})", owner.sign(_subtensor("register_network", hotkey=hk.account_id)))
        for i, hk in enumerate(keys.owner_hotkeys, 1)])
    netuids = _owned_subnets(node, [hk.account_id for hk in keys.owner_hotkeys])

    # start_call: in a block StartCallDelay blocks after the registration's (the next
    # block when the delay is 0 or 1).
    wait = _start_call_delay(node) - 1
    if wait > 0:
        await node.new_blocks(wait)
    await _step(node, "start subnets", [
        (f"start_call({netuid})", owner.sign(_subtensor("start_call", netuid=netuid))) for netuid in netuids])

    # Room for every neuron in one block: each subnet's registration limits raised through
    # Sudo, in its epoch block. AdminUtils refuses in the last `AdminFreezeWindow` blocks
    # before an epoch; with main's schedule (period `tempo`) and a tempo no longer than the
    # window (10 and 10 here), the epoch block itself, once its epoch ran, is the only open one.
    hotkeys = ([(f"//Bob//validator{j}", k) for j, k in enumerate(keys.validators, 1)]
               + [(f"//Charlie//miner{j}", k) for j, k in enumerate(keys.miners, 1)])
    room = max(len(hotkeys), 1)
    for netuid in netuids:
        epoch_block = node.next_epoch_start_block(netuid)
        best = node.header(node.best_hash()).number
        if epoch_block is not None and epoch_block - 1 > best:
            await node.new_blocks(epoch_block - 1 - best)
        await _step(node, f"registration limits of subnet {netuid}", [
            (f"sudo_set_max_registrations_per_block({netuid}, {room})",
             owner.sign(_sudo("sudo_set_max_registrations_per_block", netuid=netuid,
                              max_registrations_per_block=room))),
            (f"sudo_set_target_registrations_per_interval({netuid}, {room})",
             owner.sign(_sudo("sudo_set_target_registrations_per_interval", netuid=netuid,
                              target_registrations_per_interval=room)))])

    validators, miners = _Signer(node, keys.validator_coldkey), _Signer(node, keys.miner_coldkey)
    await _step(node, "register neurons", [
        (f"burned_register({netuid}, {uri})",
         (validators if uri.startswith("//Bob") else miners).sign(
             _subtensor("burned_register", netuid=netuid, hotkey=hk.account_id)))
        for netuid in netuids for uri, hk in hotkeys])

    await _step(node, "stake validators", [
        (f"add_stake(//Bob//validator{j}, {netuid}, {plan.stake_tao} TAO)",
         validators.sign(_subtensor("add_stake", hotkey=hk.account_id, netuid=netuid,
                                    amount_staked=plan.stake_tao * TAO)))
        for netuid in netuids for j, hk in enumerate(keys.validators, 1)])
    best = node.header(node.best_hash()).number
    log.info("🌱 Seeded subnets %s: %d validator(s) (coldkey //Bob), %d miner(s) (coldkey //Charlie), at #%d",
             ", ".join(map(str, netuids)), plan.validators, plan.miners, best)
    return SeededChain(netuids, best)
