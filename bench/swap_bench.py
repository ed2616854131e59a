"""Swap pallet benchmark: simulated swaps per second (a benchmark, not a test).

    .venv/bin/python bench/swap_bench.py [--seconds 4]

* in-process: `SwapRuntimeApi.sim_swap_tao_for_alpha` / `sim_swap_alpha_for_tao` on the dev
  genesis state (subnet 1: 10 TAO / 10 alpha, equal weights: the exact integer path), and the
  same after the pool's weights moved off 0.5 (the log/exp approximation path);
* through a node: `state_call("SwapRuntimeApi_sim_swap_tao_for_alpha", …)` over HTTP JSON-RPC,
  one request at a time, against `python -m pysubtensor --dev --tmp` (a separate process on
  the same, shared, machine: figures are indicative).
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request

from pysubtensor import runtime  # noqa: F401  (composes and binds the pallets)
from pysubtensor.pallets.swap import api
from pysubtensor.pallets.swap.balancer import Balancer
from pysubtensor.pallets.swap.pallet import SwapBalancer
from pysubtensor.primitives.externalities import Externalities, OverlayedChanges, using
from pysubtensor.runtime.genesis import default_config, genesis_storage


class _Dict:
    def __init__(self, data: dict[bytes, bytes]) -> None:
        self.data, self.keys = data, sorted(data)

    def get(self, key: bytes) -> bytes | None:
        return self.data.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        import bisect
        i = bisect.bisect_right(self.keys, key)
        return self.keys[i] if i < len(self.keys) else None


def _rate(fn, seconds: float) -> float:
    """Calls of `fn(i)` per second; `i` counts calls, so that each call swaps a different
    amount (the pool's power is memoised: a repeated amount would measure a dictionary lookup)."""
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(n)
        n += 1
    return n / (time.perf_counter() - start)


def in_process(seconds: float) -> list[tuple[str, float]]:
    rows = []
    with using(Externalities(_Dict(genesis_storage(default_config())), OverlayedChanges())):
        rows.append(("sim_swap_tao_for_alpha, weights 0.5", _rate(lambda i: api.sim_swap_tao_for_alpha(1, 10**9 + i), seconds)))
        rows.append(("sim_swap_alpha_for_tao, weights 0.5", _rate(lambda i: api.sim_swap_alpha_for_tao(1, 10**9 + i), seconds)))
        SwapBalancer.insert(1, Balancer.new(555_555_555_864_197_531))
        from pysubtensor.pallets.swap.pallet import PalSwapInitialized
        PalSwapInitialized.insert(1, True)
        rows.append(("sim_swap_tao_for_alpha, weights 0.56/0.44", _rate(lambda i: api.sim_swap_tao_for_alpha(1, 10**9 + i), seconds)))
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(port: int, method: str, params: list) -> dict:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def through_node(seconds: float) -> float:
    port = _free_port()
    node = subprocess.Popen([sys.executable, "-m", "pysubtensor", "--dev", "--tmp", "--rpc-port", str(port),
                             "--no-prometheus"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                _post(port, "system_health", [])
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        def arg(i: int) -> str:
            return "0x" + (1).to_bytes(2, "little").hex() + (10**9 + i).to_bytes(8, "little").hex()

        assert "result" in _post(port, "state_call", ["SwapRuntimeApi_sim_swap_tao_for_alpha", arg(0)])
        return _rate(lambda i: _post(port, "state_call", ["SwapRuntimeApi_sim_swap_tao_for_alpha", arg(i)]), seconds)
    finally:
        node.terminate()
        node.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4.0)
    args = ap.parse_args()
    for name, rate in in_process(args.seconds):
        print(f"in-process  {name:45s} {rate:10.0f} /s")
    print(f"node (HTTP) {'state_call SwapRuntimeApi_sim_swap_tao_for_alpha':45s} {through_node(args.seconds):10.0f} /s")


if __name__ == "__main__":
    main()
