"""SubtensorModule's info runtime APIs read by async-substrate-interface (its own venv, see
test_client_asi.py) from a running dev node, as bittensor reads them: `runtime_call` decoded
from the V15 metadata's API types by bt-decode. tests/clients/asi/info_check.py compares each
result with the same items the client reads as storage (genesis: root and subnet 1)."""

from __future__ import annotations

import pytest

from tests.conftest import REPO_ROOT
from tests.integration.conftest import CLIENTS_DIR, run_client
from tests.integration.test_client_asi import asi_python


@pytest.fixture(scope="module")
def info(dev_node):
    run = run_client("async-substrate-interface info_check.py",
                     [str(asi_python()), str(CLIENTS_DIR / "asi" / "info_check.py"), dev_node.ws_url],
                     dev_node, REPO_ROOT, timeout=300)
    assert run.returncode == 0 and run.summary.get("ok"), run.report()
    return run


def test_info_apis_agree_with_storage(info):
    checks = info.summary["checks"]
    assert {name for name, check in checks.items() if not check["ok"]} == set(), info.report()
    assert info.summary["netuids"] == [0, 1], info.report()  # the dev genesis: root and subnet 1
    assert len(checks["neurons_lite hotkeys"]["got"]) >= 1, info.report()  # subnet 1's owner neuron
    assert checks["subnet_info_v2 of a missing subnet"]["got"] is None, info.report()
