"""Our drand/tlock code (primitives/tlock.py) against the Rust tlock the Bittensor clients ship:
bittensor 11.3.0's `bittensor_core` and btcli 9.21.2's `bittensor_drand` (both build on the
`tle` crate subtensor's runtime uses), each in its own venv.

- their ciphertexts to drand quicknet's round 1000 open with our decrypt and the real
  quicknet signature of that round (the Rust pallet tests' constant);
- our ciphertexts to a beacon of our own (the dev chain's) open with their decrypt and our
  beacon's signature of the round: our encryption is the format they read.

Their `encrypt_at_round` returns the SCALE pair (Vec<u8> ciphertext, u64 round); bittensor
11.3.0's `inner_ciphertext` is the bare TLE bytes a `TimelockEncrypted` field carries.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from pysubtensor.pallets.drand import QUICKNET_CONFIG
from pysubtensor.primitives import tlock
from pysubtensor.primitives.scale import BYTES, U64, Tuple
from tests.integration.conftest import client_venv_python

SIG_1000 = bytes.fromhex("b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39")
ENVELOPE = Tuple(BYTES, U64)
CLIENTS = {
    "bittensor_core": ("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt"),
    "bittensor_drand": ("PYSUBTENSOR_BTCLI_VENV", ".venv-btcli", "tests/clients/btcli/requirements.txt"),
}

SCRIPT = """
import json, sys
import {module} as m
req = json.loads(sys.stdin.read())
out = {{}}
ct, r = m.encrypt_at_round(bytes.fromhex(req["plain"]), req["round"])
out["envelope"] = bytes(ct).hex()
out["round"] = r
if hasattr(m, "inner_ciphertext"):
    out["inner"] = bytes(m.inner_ciphertext(ct)).hex()
out["opened"] = bytes(m.decrypt_with_signature(bytes.fromhex(req["ours"]), req["sig"])).hex()
print(json.dumps(out))
"""


def run_client(module: str, request: dict) -> dict:
    python = client_venv_python(*CLIENTS[module])
    proc = subprocess.run([str(python), "-c", SCRIPT.format(module=module)], input=json.dumps(request),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", sorted(CLIENTS))
def test_timelock_round_trips_with_the_clients_rust_tlock(module: str) -> None:
    secret, dev_round = 0xC0FFEE, 77
    dev_pk = tlock.public_key(secret)
    ours = tlock.encrypt(dev_pk, dev_round, b"sealed by pysubtensor")
    request = {"plain": b"sealed by the client".hex(), "round": 1000,
               "ours": ENVELOPE.encode((ours, dev_round)).hex(), "sig": tlock.sign_round(secret, dev_round).hex()}
    out = run_client(module, request)

    # Theirs, opened by us with quicknet's real round-1000 signature.
    inner, reveal_round = ENVELOPE.decode_all(bytes.fromhex(out["envelope"]))
    assert reveal_round == out["round"] == 1000
    if "inner" in out:
        assert bytes.fromhex(out["inner"]) == inner
    assert tlock.decrypt(inner, SIG_1000) == b"sealed by the client"
    assert tlock.TleCiphertext.decode(inner).cipher_suite == tlock.CIPHER_SUITE
    # ... and not with another round's (a real quicknet signature, of round 2000).
    sig_2000 = bytes.fromhex("b6cb8f482a0b15d45936a4c4ea08e98a087e71787caee3f4d07a8a9843b1bc54"
                             "23c6b3c22f446488b3137eaca799c77e")
    assert tlock.verify_round(QUICKNET_CONFIG.public_key, 2000, sig_2000)
    with pytest.raises(tlock.TimelockError):
        tlock.decrypt(inner, sig_2000)

    # Ours, opened by theirs with our beacon's signature.
    assert bytes.fromhex(out["opened"]) == b"sealed by pysubtensor"
