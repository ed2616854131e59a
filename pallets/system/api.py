"""`AccountNonceApi` (frame_system_rpc_runtime_api): an account's next nonce."""

from __future__ import annotations

from pysubtensor.pallets.support.pallet import rust_docs
from pysubtensor.pallets.support.runtime_api import RuntimeApi
from pysubtensor.pallets.system.accounts import account_nonce
from pysubtensor.primitives.types import ACCOUNT_ID, NONCE

__all__ = ["AccountNonceApi"]

AccountNonceApi = RuntimeApi("AccountNonceApi", 1, rust_docs("The API to query account nonce."))


@AccountNonceApi.method("account_nonce", (("account", ACCOUNT_ID),), NONCE,
                        "Get current account nonce of given `AccountId`.")
def api_account_nonce(account: bytes) -> int:
    return account_nonce(account)
