"""bittensor 11.3.0 (its own venv) uses a proxy on a running dev node
(tests/clients/bittensor_sdk/proxy11.py): //Charlie's coldkey adds //Bob as a `Transfer`
proxy (`AddProxy`), Bob's wallet sends 0.25 TAO to //Dave as Charlie (`Transfer` executed
with `proxy_for`), Charlie removes his proxies. Storage and balances are read back through
substrate-interface (this venv)."""

from __future__ import annotations

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, client_venv_python, run_client

pytestmark = pytest.mark.slow


def test_bittensor_11_transfers_through_a_proxy(dev_node) -> None:
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    s = SubstrateInterface(url=dev_node.ws_url, ss58_format=42)
    charlie, dave = (Keypair.create_from_uri(f"//{n}").ss58_address for n in ("Charlie", "Dave"))
    charlie_before = s.query("System", "Account", [charlie]).value["data"]
    dave_before = s.query("System", "Account", [dave]).value["data"]["free"]
    run = run_client("bittensor 11.3.0 proxy11.py",
                     [str(python), str(CLIENTS_DIR / "bittensor_sdk" / "proxy11.py"), dev_node.ws_url],
                     dev_node, REPO_ROOT, timeout=240)
    try:
        assert run.returncode == 0 and run.summary.get("ok"), run.report()
        steps = run.summary["steps"]
        assert "Proxy.ProxyAdded" in steps["add_proxy"]["events"], run.report()
        assert {"Balances.Transfer", "Proxy.ProxyExecuted"} <= set(steps["proxied_transfer"]["events"]), run.report()
        assert "Balances.Unreserved" in steps["remove_proxies"]["events"], run.report()
        assert s.query("System", "Account", [dave]).value["data"]["free"] - dave_before == 250_000_000
        after = s.query("System", "Account", [charlie]).value["data"]
        assert after["reserved"] == charlie_before["reserved"]  # the proxy deposit came back
        # Charlie paid the amount and his own two fees; Bob paid the proxied call's fee.
        assert charlie_before["free"] - after["free"] > 250_000_000
        assert s.query("Proxy", "Proxies", [charlie]).value == ([], 0)
    finally:
        s.close()
