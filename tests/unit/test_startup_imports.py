"""What a `--dev` node has imported by the time it answers its first `chain_getHeader`
(issue 13: RPC-ready under 0.5 s, importing only what serving needs before serving).

The node runs as the `pysubtensor` entry point in a fresh interpreter; a thread of that
process polls the RPC port and lists `sys.modules` the moment the first answer comes back.
Left out of start-up, each imported by its first use instead:
- the frame-metadata model and the runtime's metadata builder (`runtime.apis`' metadata
  calls import them; ~55 dataclasses, ~30 ms), and
- `cryptography` (only timelock encryption and decryption use its AES-GCM; ~5 ms).
The metadata a client then asks for is the same (tests/conformance pin its bytes)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap

_SCRIPT = textwrap.dedent("""
    import json, os, signal, sys, threading, time, urllib.request

    port = int(sys.argv[1])

    def first_answer():
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}", data=body,
                                         headers={"Content-Type": "application/json"})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    header = json.loads(response.read())["result"]
                break
            except OSError:
                time.sleep(0.01)
        else:
            header = None
        print(json.dumps({"header": header, "modules": sorted(sys.modules)}), flush=True)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=first_answer, daemon=True).start()
    from pysubtensor.__main__ import main

    sys.argv = ["pysubtensor", "--dev", "--tmp", "--rpc-port", str(port), "--no-prometheus",
                "--sealing", "manual", "--pool-validation-workers", "0", "-l", "error"]
    sys.exit(main())
""")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _modules_when_serving() -> tuple[dict, set[str]]:
    out = subprocess.run([sys.executable, "-c", _SCRIPT, str(_free_port())], capture_output=True, text=True,
                         timeout=180, check=False)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    return report["header"], set(report["modules"])


def test_a_dev_node_serves_before_importing_the_metadata_model_or_cryptography() -> None:
    header, modules = _modules_when_serving()
    assert header is not None and header["number"] == "0x0"
    # What serving needs is there (the runtime, the RPC server)...
    assert {"pysubtensor.runtime.apis", "pysubtensor.rpc.server", "pysubtensor.primitives.tlock"} <= modules
    # ...and what only later calls need is not.
    assert not {m for m in modules if m == "pysubtensor.primitives.metadata" or m.startswith("pysubtensor.primitives.metadata.")}
    assert "pysubtensor.runtime.metadata" not in modules
    assert "pysubtensor.pallets.support.registry" not in modules
    assert not {m for m in modules if m == "cryptography" or m.startswith("cryptography.")}
