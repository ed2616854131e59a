"""`GrandpaApi` (sp_consensus_grandpa): the authority set and set id the finality gadget
asks for. Equivocation reporting is off in subtensor (the key owner proof is a bottom type)."""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.grandpa.pallet import AUTHORITY_ID, AUTHORITY_LIST, EQUIVOCATION_PROOF, CurrentSetId
from pysubtensor.pallets.grandpa.pallet import grandpa_authorities as grandpa_authorities_of_state
from pysubtensor.pallets.support.pallet import rust_docs
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.primitives.scale import BYTES, U64, UNIT, Field, Option, Struct

__all__ = ["OPAQUE_VALUE", "GrandpaApi"]

OPAQUE_VALUE = Struct(("sp_runtime", "OpaqueValue"), (Field(None, BYTES, "Vec<u8>"),))

GrandpaApi = RuntimeApi("GrandpaApi", 3, rust_docs("""
    APIs for integrating the GRANDPA finality gadget into runtimes.
    This should be implemented on the runtime side.

    This is primarily used for negotiating authority-set changes for the
    gadget. GRANDPA uses a signaling model of changing authority sets:
    changes should be signaled with a delay of N blocks, and then automatically
    applied in the runtime after those N blocks have passed.

    The consensus protocol will coordinate the handoff externally.
"""))


@GrandpaApi.method("grandpa_authorities", (), AUTHORITY_LIST, """
    Get the current GRANDPA authorities and weights. This should not change except
    for when changes are scheduled and the corresponding delay has passed.

    When called at block B, it will return the set of authorities that should be
    used to finalize descendants of this block (B+1, B+2, ...). The block B itself
    is finalized by the authorities from block B-1.
""")
def grandpa_authorities() -> list[tuple[bytes, int]]:
    return list(grandpa_authorities_of_state())


@GrandpaApi.method("submit_report_equivocation_unsigned_extrinsic",
                   (("equivocation_proof", EQUIVOCATION_PROOF), ("key_owner_proof", OPAQUE_VALUE)),
                   Option(UNIT), """
    Submits an unsigned extrinsic to report an equivocation. The caller
    must provide the equivocation proof and a key ownership proof
    (should be obtained using `generate_key_ownership_proof`). The
    extrinsic will be unsigned and should only be accepted for local
    authorship (not to be broadcast to the network). This method returns
    `None` when creation of the extrinsic fails, e.g. if equivocation
    reporting is disabled for the given runtime (i.e. this method is
    hardcoded to return `None`). Only useful in an offchain context.
""")
def grandpa_submit_report_equivocation_unsigned_extrinsic(equivocation_proof: Any, key_owner_proof: bytes) -> None:
    # The key owner proof is `sp_core::Void` in subtensor: no bytes decode to it, so `None`.
    return None


@GrandpaApi.method("generate_key_ownership_proof", (("set_id", U64), ("authority_id", AUTHORITY_ID)),
                   Option(OPAQUE_VALUE), """
    Generates a proof of key ownership for the given authority in the
    given set. An example usage of this module is coupled with the
    session historical module to prove that a given authority key is
    tied to a given staking identity during a specific session. Proofs
    of key ownership are necessary for submitting equivocation reports.
    NOTE: even though the API takes a `set_id` as parameter the current
    implementations ignore this parameter and instead rely on this
    method being called at the correct block height, i.e. any point at
    which the given set id is live on-chain. Future implementations will
    instead use indexed data through an offchain worker, not requiring
    older states to be available.
""")
def grandpa_generate_key_ownership_proof(set_id: int, authority_id: bytes) -> None:
    # Subtensor's key owner proof is a bottom type: no proof can exist.
    return None


@GrandpaApi.method("current_set_id", (), U64, "Get current GRANDPA authority set id.")
def grandpa_current_set_id() -> int:
    return CurrentSetId.get()
