"""A running dev node for the real-client tests.

`dev_node` starts `python -m node --dev --tmp --rpc-port <free port> --no-prometheus` as a subprocess (one node
per test module, so each client sees a fresh chain), waits until `system_health` answers over
HTTP, yields its URLs, then stops it with SIGTERM (SIGKILL after 15 s). The node's output goes
to a file; `DevNode.log_tail()` puts its end into failure messages.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

#: how long the node may take to answer system_health after the process starts
STARTUP_TIMEOUT_S = float(os.environ.get("PYSUBTENSOR_NODE_STARTUP_TIMEOUT", "90"))


@dataclass
class DevNode:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as e:
            return f"(node log unavailable: {e})"
        return "\n".join(text.splitlines()[-lines:])

    def rpc(self, method: str, params: list | None = None, timeout: float = 10.0):
        """One JSON-RPC call over HTTP; returns the whole response object."""
        return http_rpc(self.http_url, method, params or [], timeout)


def http_rpc(url: str, method: str, params: list, timeout: float = 5.0) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _start(tmp_dir: Path, attempt: int, program: Sequence[str] = (sys.executable, "-m", "pysubtensor"),
           cwd: Path = REPO_ROOT, extra: Sequence[str] = ()) -> DevNode:
    """`program --dev --tmp --rpc-port <free> --no-prometheus *extra` in `cwd`, once it serves RPC."""
    port = _free_port()
    log_path = tmp_dir / f"node-{port}-{attempt}.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        # --no-prometheus: several nodes (parallel tests, a developer's own node) never fight over 9615
        [*program, "--dev", "--tmp", "--rpc-port", str(port), "--no-prometheus", *extra],
        cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    log.close()
    node = DevNode(port, proc, log_path)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"node exited with code {proc.returncode} before serving RPC on port {port}; "
                               f"log:\n{node.log_tail()}")
        try:
            resp = http_rpc(node.http_url, "system_health", [], timeout=2.0)
            if "result" in resp:
                return node
            last_error = f"system_health answered {resp!r}"
        except (OSError, urllib.error.URLError, ValueError) as e:
            last_error = f"{type(e).__name__}: {e}"
        time.sleep(0.25)
    _stop(proc)
    raise RuntimeError(f"node did not answer system_health on {node.http_url} within {STARTUP_TIMEOUT_S:.0f}s "
                       f"({last_error}); log:\n{node.log_tail()}")


def start_node(tmp_dir: Path, program: Sequence[str] = (sys.executable, "-m", "pysubtensor"),
               cwd: Path = REPO_ROOT, extra: Sequence[str] = ()) -> DevNode:
    """A fresh `--dev --tmp` node (`program`, run in `cwd`, with `extra` arguments) serving RPC;
    the caller stops it."""
    errors = []
    for attempt in range(3):  # a port taken between probing and binding: try another
        try:
            return _start(tmp_dir, attempt, program, cwd, extra)
        except RuntimeError as e:
            errors.append(str(e))
            if "in use" not in str(e).lower():
                break
    pytest.fail("could not start the dev node:\n" + "\n---\n".join(errors), pytrace=False)


def stop_node(node: DevNode) -> None:
    _stop(node.process)


@pytest.fixture(scope="module")
def dev_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevNode]:
    """A fresh `--dev --tmp` node for this test module: 250 ms blocks, Alice/Bob/Charlie funded."""
    node = start_node(tmp_path_factory.mktemp("devnode"))
    try:
        yield node
    finally:
        _stop(node.process)


def wait_for_blocks(node: DevNode, count: int = 2, timeout: float = 30.0) -> int:
    """Wait until the best block number has advanced by `count`; returns the new number."""
    def best() -> int:
        return int(node.rpc("chain_getHeader")["result"]["number"], 16)

    start = best()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = best()
        if n >= start + count:
            return n
        time.sleep(0.1)
    raise AssertionError(f"no {count} new blocks in {timeout}s (best stayed at #{start}); log:\n{node.log_tail()}")


CLIENTS_DIR = REPO_ROOT / "tests" / "clients"


@dataclass
class ClientRun:
    """One client script's run: its JSON summary (last stdout line) and its output."""

    name: str
    returncode: int
    summary: dict
    stdout: str
    stderr: str
    node: DevNode

    def report(self) -> str:
        """What a failure message shows: the failing step, its error, the wire frames, the node log."""
        s = self.summary
        failed = s.get("failed")
        step = s.get("steps", {}).get(failed, {}) if failed else {}
        parts = [f"{self.name} exited {self.returncode}; failed step: {failed!r}"]
        if step.get("error") or s.get("error"):
            parts.append("error: " + str(step.get("error") or s.get("error")))
        if step.get("traceback") or s.get("traceback"):
            parts.append(str(step.get("traceback") or s.get("traceback")))
        if s.get("wire"):
            parts.append("JSON-RPC frames of that step:\n" + "\n".join(
                json.dumps(f) if not isinstance(f, str) else f for f in s["wire"]))
        parts.append("summary: " + json.dumps({k: v for k, v in s.items() if k != "wire"}, default=str)[:4000])
        if self.stderr.strip():
            parts.append("stderr (tail):\n" + "\n".join(self.stderr.splitlines()[-30:]))
        parts.append("node log (tail):\n" + self.node.log_tail(40))
        return "\n".join(parts)


def run_client(name: str, argv: list[str], node: DevNode, cwd: Path, timeout: float = 240.0) -> ClientRun:
    """Run a client script that prints a JSON summary as its last stdout line.

    bittensor 11 caches a chain's metadata on disk by genesis hash and spec version
    (~/.bittensor/runtime-cache); every dev chain here has the same genesis and spec 459 while
    the metadata grows, so each run gets its own empty cache (`BITTENSOR_RUNTIME_CACHE_DIR`)."""
    import tempfile

    cache = tempfile.TemporaryDirectory(prefix="bt-runtime-cache-")
    env = {**os.environ, "BITTENSOR_RUNTIME_CACHE_DIR": cache.name}
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        pytest.fail(f"{name} did not finish within {timeout}s\nstdout:\n{out[-3000:]}\nstderr:\n{err[-3000:]}\n"
                    f"node log (tail):\n{node.log_tail(40)}", pytrace=False)
    finally:
        cache.cleanup()
    summary: dict = {}
    for line in reversed(proc.stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                summary = json.loads(line)
                break
            except ValueError:
                continue
    run = ClientRun(name, proc.returncode, summary, proc.stdout, proc.stderr, node)
    if not summary:
        pytest.fail(f"{name} printed no JSON summary (exit {proc.returncode})\nstdout:\n{proc.stdout[-3000:]}\n"
                    f"stderr:\n{proc.stderr[-3000:]}\nnode log (tail):\n{node.log_tail(40)}", pytrace=False)
    return run


def node_js_project(name: str) -> Path:
    """tests/clients/<name>, with its node_modules installed (`npm ci`, done by .ci/run)."""
    project = CLIENTS_DIR / name
    if not (project / "node_modules").is_dir():
        pytest.fail(f"{project}/node_modules is missing: install the client with "
                    f"`npm ci --prefix {project.relative_to(REPO_ROOT)}` (.ci/run does this)", pytrace=False)
    return project


def node_binary() -> str:
    import shutil
    exe = shutil.which("node")
    if exe is None:
        pytest.fail("Node.js (`node`) is not on PATH; the JS client tests need Node.js >= 20", pytrace=False)
    return exe


def client_venv_python(env_var: str, default: str, requirements: str) -> Path:
    """The python of a client's own venv (`$env_var`, default `default` at the repository root),
    created by .ci/run from `requirements`; a clear failure when it is missing (never a skip)."""
    venv = Path(os.environ.get(env_var, REPO_ROOT / default))
    if not venv.is_absolute():
        venv = REPO_ROOT / venv
    python = venv / "bin" / "python"
    if not python.exists():
        pytest.fail(f"the client venv is missing ({python} not found). Create it with:\n"
                    f"  python3 -m venv {venv} && {venv}/bin/pip install -r {requirements}\n"
                    f"(.ci/run does this; set {env_var} to use another location)", pytrace=False)
    return python
