"""A transfer_keep_alive built and signed by substrate-interface 1.8.1, validated and applied
by our runtime in-process, compared with the real runtime's transfer recorded under
Chopsticks (spec 218).

substrate-interface runs its own machinery end to end: `init_runtime`, `compose_call`,
`create_signed_extrinsic` with a mortal era (its signature payload, its extrinsic encoder).
Its JSON-RPC requests are answered in-process from our chain (`InProcessSubstrate`), no
server, and `state_getMetadata` serves our runtime's V14 metadata.

The real transfer (Alice → a new Bob, 12_345_678_900 rao, a mortal extrinsic of 147 bytes,
no block author) emitted Withdraw, NewAccount, Endowed, Transfer, Deposit(refund 0),
TransactionFeePaid and ExtrinsicSuccess; ours emits the same events with the same bytes except
the fee and the weight, which follow the current runtime (extension weights, base extrinsic
108.157 µs) instead of spec 218's. The fee is checked against the real one: the recorded
spec-218 fee decomposes by subtensor's fee rule (base and call weight at 0.0005 rao per
picosecond of ref time, one rao per byte), and ours differs from it by the change of base
extrinsic weight (both read from the real runtimes' metadata) and the extensions' weight.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from substrateinterface import Keypair as SiKeypair
from substrateinterface import SubstrateInterface

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.system as system
import pysubtensor.pallets.transaction_payment as tp
import pysubtensor.runtime as runtime
from pysubtensor.pallets.system.types import PHASE
from pysubtensor.primitives.header import DIGEST_ITEM
from pysubtensor.primitives.keyring import DEV_ACCOUNTS
from pysubtensor.primitives.scale import H256, Vec, decode_compact
from pysubtensor.runtime import construct
from pysubtensor.runtime.era import Era
from pysubtensor.runtime.executive import decode_extrinsic
from pysubtensor.runtime.extensions import Pipeline
from pysubtensor.runtime.metadata import metadata_bytes
from pysubtensor.runtime.version import VERSION
from tests.conftest import vectors_dir
from tests.support.fees import base_extrinsic, perbill_500_000
from tests.support.metadata import DEVNET_381
from tests.unit.test_executive import Chain

ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]
AMOUNT = 12_345_678_900


def metadata_hex() -> str:
    return "0x" + metadata_bytes(14).hex()


RPC_METHODS = ("chain_getHead", "chain_getFinalizedHead", "chain_getBlockHash", "chain_getHeader",
               "state_getRuntimeVersion", "state_getMetadata", "rpc_methods")


def header_json(header: Any) -> dict:
    return {
        "parentHash": "0x" + header.parent_hash.hex(),
        "number": hex(header.number),
        "stateRoot": "0x" + header.state_root.hex(),
        "extrinsicsRoot": "0x" + header.extrinsics_root.hex(),
        "digest": {"logs": ["0x" + DIGEST_ITEM.encode(item).hex() for item in header.digest.logs]},
    }


class InProcessSubstrate(SubstrateInterface):
    """substrate-interface with its JSON-RPC answered from an in-memory `Chain`."""

    def __init__(self, chain: Chain) -> None:
        self.local = chain
        self.calls: list[str] = []
        super().__init__(url="http://pysubtensor.invalid", ss58_format=42, auto_discover=False)

    def rpc_request(self, method: str, params: list, result_handler: Any = None) -> dict:
        self.calls.append(method)
        chain = self.local
        by_hash = {h.hash: h for h in chain.headers}
        if method in ("chain_getHead", "chain_getFinalizedHead", "chain_getFinalisedHead"):
            result: Any = "0x" + chain.best.hash.hex()
        elif method == "chain_getBlockHash":
            n = params[0] if params and params[0] is not None else chain.best.number
            result = "0x" + chain.headers[n].hash.hex() if n < len(chain.headers) else None
        elif method == "chain_getHeader":
            h = chain.best if not params or params[0] is None else by_hash.get(bytes.fromhex(params[0][2:]))
            result = None if h is None else header_json(h)
        elif method == "state_getRuntimeVersion":
            result = {"specName": VERSION.spec_name, "implName": VERSION.impl_name,
                      "authoringVersion": VERSION.authoring_version, "specVersion": VERSION.spec_version,
                      "implVersion": VERSION.impl_version,
                      "apis": [["0x" + i.hex(), v] for i, v in VERSION.apis],
                      "transactionVersion": VERSION.transaction_version, "systemVersion": 1, "stateVersion": 1}
        elif method == "state_getMetadata":
            result = metadata_hex()
        elif method == "rpc_methods":
            result = {"methods": sorted(RPC_METHODS)}
        else:
            raise AssertionError(f"unexpected RPC {method} {params}")
        return {"jsonrpc": "2.0", "id": self.request_id, "result": result}


def real_session() -> dict:
    path = vectors_dir() / "oracle/chopsticks/chopsticks_spec218_transfer_session.json"
    return json.loads(path.read_text())


def real_events() -> list[tuple[str, bytes]]:
    """The real block's event records as (phase, event bytes incl. pallet index)."""
    calls = real_session()["calls"]
    block2 = calls[6]["result"]
    raw = next(c["result"] for c in calls if c["method"] == "state_getStorage" and c["params"][1] == block2
               and c["params"][0].endswith("80d41e5e16056765bc8461851072c9d7"))
    data = bytes.fromhex(raw[2:])
    enums = {0: system.pallet.event_enum, 5: balances.pallet.event_enum, 6: tp.pallet.event_enum}
    count, pos = decode_compact(data, 0)
    out = []
    for _ in range(count):
        phase, pos = PHASE.decode(data, pos)
        start = pos
        _, pos = enums[data[pos]].decode(data, pos + 1)
        out.append((phase, data[start:pos]))
        _, pos = Vec(H256).decode(data, pos)
    return out


@pytest.fixture(scope="module")
def applied() -> dict:
    # Alice alone is funded and there is no Aura authority (as the Chopsticks block: no
    # author, so the fee is burned); Bob does not exist yet.
    chain = Chain({"balances": {"balances": [[ALICE.ss58_address, 10**15]]}, "sudo": {"key": ALICE.ss58_address}})
    for _ in range(3):
        chain.build()
    si = InProcessSubstrate(chain)
    call = si.compose_call("Balances", "transfer_keep_alive", {"dest": BOB.ss58_address, "value": AMOUNT})
    keypair = SiKeypair.create_from_uri("//Alice")
    extrinsic = si.create_signed_extrinsic(call, keypair, era={"period": 64}, nonce=0)
    encoded = bytes(extrinsic.data.data)
    valid = chain.validate(encoded)
    _, results = chain.build(encoded)
    runtime.wire()
    return {"chain": chain, "encoded": encoded, "valid": valid, "results": results, "si": si}


def test_substrate_interface_extrinsic_decodes_as_ours(applied):
    encoded = applied["encoded"]
    xt = decode_extrinsic(encoded)
    assert len(encoded) == 147  # as the real one: mortal era, nonce 0, tip 0, mode 0
    assert xt.signed.address == ("Id", ALICE.account_id)
    assert xt.signed.era == Era.mortal(64, 3)
    assert xt.signed.nonce == 0 and xt.signed.tip == 0 and xt.signed.metadata_hash_mode == "Disabled"
    assert xt.call == ("Balances", ("transfer_keep_alive", {"dest": ("Id", BOB.account_id), "value": AMOUNT}))
    assert "state_getMetadata" in applied["si"].calls


def test_pool_validity(applied):
    valid = applied["valid"]
    assert valid.priority == 1
    assert valid.provides == [ALICE.account_id + bytes(4)] and valid.requires == []
    era = Era.mortal(64, 3)
    assert valid.longevity == era.death(4) - 4


def test_events_balances_and_fee_have_the_real_shape_and_values(applied):
    chain = applied["chain"]
    encoded = applied["encoded"]
    assert [r.included and r.dispatch_error is None for r in applied["results"]] == [True, True]
    records = chain.events()
    ours = [(r.phase, bytes([construct.PALLETS_BY_NAME[r.event[0]].index])
             + construct.PALLETS_BY_NAME[r.event[0]].event_enum.encode(r.event[1])) for r in records]
    real = real_events()
    # Record 0 is the timestamp's ExtrinsicSuccess in both; the real block starts with
    # Balances.Upgraded because Chopsticks had written Alice with the pre-holds account
    # layout, which a genesis never does.
    assert real[1][1][:2] == bytes([5, 14])  # Balances.Upgraded
    real_transfer = real[2:]
    assert [p for p, _ in ours[1:]] == [p for p, _ in real_transfer] == [("ApplyExtrinsic", 1)] * 7
    names = [f"{r.event[0]}.{type(r.event[1]).__name__}" for r in records[1:]]
    assert names == ["Balances.Withdraw", "System.NewAccount", "Balances.Endowed", "Balances.Transfer",
                     "Balances.Deposit", "TransactionPayment.TransactionFeePaid", "System.ExtrinsicSuccess"]
    # Same bytes for everything that does not depend on the fee or weight.
    for i in (1, 2, 3, 4):
        assert ours[1 + i][1] == real_transfer[i][1], names[i]

    # The fee, against the real one. The recorded spec-218 fee is subtensor's rule applied
    # to spec 218's base extrinsic weight, the call's weight (its ExtrinsicSuccess less that
    # base) and 147 bytes at one rao each.
    base_218 = base_extrinsic("spec218_raonet_metadata_v14.hex")
    base_381 = base_extrinsic(DEVNET_381)
    real_fee_paid = tp.pallet.event_enum.decode_all(real_transfer[5][1][1:])
    real_success = system.pallet.event_enum.decode_all(real_transfer[6][1][1:])
    real_fee = real_fee_paid.actual_fee
    call_218 = real_success.dispatch_info.weight.ref_time - base_218
    assert real_fee == perbill_500_000(base_218) + 147 + perbill_500_000(call_218)
    # Ours: spec 381's base, the same call and length, and the extensions' weight on top.
    xt = decode_extrinsic(encoded)
    ext_weight = Pipeline.from_extra(xt.signed.extra).weight(None)
    call_weight = construct.dispatch_info(xt.call).weight
    assert call_weight.ref_time == call_218
    fee = (real_fee - perbill_500_000(base_218) + perbill_500_000(base_381)
           - perbill_500_000(call_218) + perbill_500_000(call_218 + ext_weight.ref_time))
    assert records[1].event[1] == balances.Event.Withdraw(ALICE.account_id, fee)
    assert records[6].event[1] == tp.Event.TransactionFeePaid(ALICE.account_id, fee, 0)
    success = records[7].event[1].dispatch_info
    assert success.weight.ref_time == base_381 + call_218 + ext_weight.ref_time
    assert success.dispatch_class == ("Normal", None) and success.pays_fee == ("Yes", None)

    alice = chain.account(ALICE.account_id)
    bob = chain.account(BOB.account_id)
    assert alice.nonce == 1 and alice.data.free == 10**15 - AMOUNT - fee
    assert bob.providers == 1 and bob.data.free == AMOUNT
    with_issuance = chain.read(balances.fungible.total_issuance)
    assert with_issuance == 10**15 - fee  # no block author: the fee is burned
