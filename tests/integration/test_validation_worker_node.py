"""The pool's validation worker in a running `--dev` node, driven by substrate-interface.

The node starts its worker after the RPC server answers; submissions then go through it
(its CPU time grows with them), transfers are included, refusals carry the runtime's reason as
before; a worker killed with SIGKILL is replaced while submissions keep working (validated in
the node meanwhile), and SIGTERM stops the node and its worker (no orphan process).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException

from tests.integration.conftest import DevNode, start_node, stop_node

_CLK_TCK = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(c) for c in task.read_text().split())
        except OSError:
            pass
    return found


def _cpu(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def _wait_log(node: DevNode, text: str, count: int = 1, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if node.log_path.read_text(errors="replace").count(text) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"no {text!r} (x{count}) in the node's log:\n{node.log_tail()}")


def _worker(node: DevNode) -> int:
    """The worker: the node's one descendant without a child (node -> fork server -> worker,
    node/validation_worker.py `start_fork_server`; node -> worker when it was spawned)."""
    children = _children(node.process.pid)
    assert len(children) == 1, children
    below = _children(children[0])
    assert len(below) <= 1, below
    return below[0] if below else children[0]


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory):
    node = start_node(tmp_path_factory.mktemp("valworker"), extra=["--pool-validation-workers", "1"])
    try:
        _wait_log(node, "Pool validation worker ready")
        yield node
    finally:
        stop_node(node)


def _transfers(si: SubstrateInterface, sender: Keypair, dest: str, first_nonce: int, n: int) -> list:
    call = si.compose_call("Balances", "transfer_keep_alive", {"dest": dest, "value": 10**9})
    return [si.create_signed_extrinsic(call=call, keypair=sender, nonce=first_nonce + i) for i in range(n)]


def test_submissions_are_validated_by_the_worker_and_included(node):
    si = SubstrateInterface(url=node.ws_url, ss58_format=42)
    try:
        alice, bob = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")
        worker = _worker(node)
        nonce = si.get_account_nonce(alice.ss58_address)
        xts = _transfers(si, alice, bob.ss58_address, nonce, 150)
        before = _cpu(worker)
        for xt in xts[:-1]:
            si.submit_extrinsic(xt)
        receipt = si.submit_extrinsic(xts[-1], wait_for_inclusion=True)
        assert receipt.is_success
        assert _cpu(worker) - before >= 0.01  # 150 validations (~0.2 ms each) went to the worker
        deadline = time.monotonic() + 30
        while si.get_account_nonce(alice.ss58_address) < nonce + 150:
            assert time.monotonic() < deadline, "not every transfer was included"
            time.sleep(0.25)
        # A refusal is the runtime's, as the node answers it without the worker.
        with pytest.raises(SubstrateRequestException) as refused:
            si.submit_extrinsic(_transfers(si, alice, bob.ss58_address, nonce, 1)[0])
        assert refused.value.args[0]["code"] == 1010
        assert refused.value.args[0]["data"] == "Transaction is outdated"
    finally:
        si.close()


def test_transaction_watch_v1_goes_through_the_worker_and_reports_its_events(node):
    # polkadot-api submits with transactionWatch_v1_submitAndWatch: through the worker's
    # line like author_submitAndWatchExtrinsic, with the spec's events; a refusal is an
    # `invalid` event, not an error response.
    si = SubstrateInterface(url=node.ws_url, ss58_format=42)
    try:
        dave, eve = Keypair.create_from_uri("//Dave"), Keypair.create_from_uri("//Eve")
        worker = _worker(node)
        nonce = si.get_account_nonce(dave.ss58_address)
        xts = _transfers(si, dave, eve.ss58_address, nonce, 120)
        before = _cpu(worker)
        for xt in xts[:-1]:
            si.submit_extrinsic(xt)

        def watch(xt: object) -> list[str]:
            events: list[str] = []

            def handler(message: dict, update_nr: int, subscription_id: str) -> object:
                event = message["params"]["result"]
                events.append(event["event"])
                return events if event["event"] in ("finalized", "invalid", "dropped", "error") else None

            si.rpc_request("transactionWatch_v1_submitAndWatch", [str(xt.data)], result_handler=handler)
            return events

        assert watch(xts[-1]) == ["validated", "bestChainBlockIncluded", "finalized"]
        assert _cpu(worker) - before >= 0.01  # the validations went to the worker
        assert watch(xts[0]) == ["invalid"]  # its nonce is used now
    finally:
        si.close()


def test_a_killed_worker_is_replaced_while_submissions_go_on(node):
    si = SubstrateInterface(url=node.ws_url, ss58_format=42)
    try:
        charlie, bob = Keypair.create_from_uri("//Charlie"), Keypair.create_from_uri("//Bob")
        worker = _worker(node)
        os.kill(worker, signal.SIGKILL)
        nonce = si.get_account_nonce(charlie.ss58_address)
        for xt in _transfers(si, charlie, bob.ss58_address, nonce, 20):
            si.submit_extrinsic(xt)
        _wait_log(node, "Pool validation worker stopped")
        _wait_log(node, "Pool validation worker ready", count=2)
        assert not _alive(worker)
        replacement = _worker(node)
        assert replacement != worker
        receipt = si.submit_extrinsic(_transfers(si, charlie, bob.ss58_address, nonce + 20, 1)[0],
                                      wait_for_inclusion=True)
        assert receipt.is_success
    finally:
        si.close()


def test_sigterm_stops_the_node_and_its_worker(tmp_path):
    node = start_node(tmp_path, extra=["--pool-validation-workers", "1", "--sealing", "manual"])
    try:
        _wait_log(node, "Pool validation worker ready")
        worker = _worker(node)
    finally:
        stop_node(node)
    assert node.process.returncode == 0
    deadline = time.monotonic() + 60  # a bound on a hang, not a speed: seconds under heavy load
    while _alive(worker):
        assert time.monotonic() < deadline, "the worker outlived the node"
        time.sleep(0.05)


def test_zero_workers_starts_none(tmp_path):
    node = start_node(tmp_path, extra=["--pool-validation-workers", "0", "--sealing", "manual"])
    try:
        time.sleep(1.0)
        assert _children(node.process.pid) == []
        assert "validation worker" not in node.log_path.read_text(errors="replace")
    finally:
        stop_node(node)


def test_a_node_killed_with_sigkill_leaves_no_worker_behind(tmp_path):
    node = start_node(tmp_path, extra=["--pool-validation-workers", "1", "--sealing", "manual"])
    try:
        _wait_log(node, "Pool validation worker ready")
        worker = _worker(node)
        node.process.kill()
        node.process.wait(10)
    finally:
        stop_node(node)
    deadline = time.monotonic() + 60  # a bound on a hang, not a speed: seconds under heavy load
    while _alive(worker):
        assert time.monotonic() < deadline, "the worker outlived the node"
        time.sleep(0.05)
