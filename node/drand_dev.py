"""The dev chain's drand: a local beacon answering the drand HTTP API paths the Drand pallet's
offchain worker requests, and the offchain host functions the node gives that worker.

A dev chain cannot reach drand. On a Development chain the node runs the runtime's offchain
worker after each block it imports as best, and answers its requests for
`<endpoint>/<chain hash>/public/latest` and `/public/<round>` from `DevBeacon`: a beacon whose
secret key is fixed (derived from `DEV_BEACON_SEED`), on quicknet's timeline (genesis
1692803367, a round every 3 s, so round numbers match those clients compute from the
clock), each round signed as quicknet signs (BLS12-381, signature on G1 over
sha256(round), public key on G2; randomness = sha256(signature)). "Latest" is the round of the
node's clock (wall clock plus any `dev_timeTravel`).

Its pulses verify only against its own public key: the chain keeps quicknet's `BeaconConfig`
until root sets the dev beacon's (`Drand.set_beacon_config` with `DEV_BEACON_CONFIG`, e.g. via
`Sudo.sudo`); from then on every block brings the new rounds (one unsigned `write_pulse` per
round, at most 50 a block) and timelocked commitments to those rounds are revealed. The
worker's payloads are signed by the node's dev key (sr25519).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from pysubtensor.primitives import tlock
from pysubtensor.primitives.hashing import storage_prefix
from pysubtensor.primitives.keyring import Keypair
from pysubtensor.primitives.offchain import HttpError
from pysubtensor.primitives.scale import encode_compact

__all__ = ["BEACON_CONFIG_KEY", "DEV_BEACON", "DEV_BEACON_CONFIG", "DEV_BEACON_SEED", "DevBeacon",
           "NodeOffchainHost", "beacon_serving"]

log = logging.getLogger(__name__)

DEV_BEACON_SEED = b"pysubtensor dev drand beacon"
QUICKNET_GENESIS_TIME = 1_692_803_367
QUICKNET_PERIOD = 3
_PATH = re.compile(r"^/([0-9a-f]{64})/public/(latest|[0-9]+)$")


@dataclass(frozen=True)
class DevBeacon:
    """A drand beacon of our own, in quicknet's scheme."""

    secret: int
    genesis_time: int = QUICKNET_GENESIS_TIME
    period: int = QUICKNET_PERIOD

    @property
    def public_key(self) -> bytes:
        return tlock.public_key(self.secret)

    def round_at(self, unix_ms: int) -> int:
        """The latest round at `unix_ms` (0 before the beacon's genesis)."""
        seconds = unix_ms // 1000
        return 0 if seconds < self.genesis_time else (seconds - self.genesis_time) // self.period + 1

    def pulse(self, round_number: int) -> dict:
        """The round's pulse as the drand API serves it."""
        signature = tlock.sign_round(self.secret, round_number)
        return {"round": round_number, "randomness": hashlib.sha256(signature).hexdigest(),
                "signature": signature.hex()}

    def respond(self, path: str, now_ms: int) -> tuple[int, bytes]:
        """The HTTP answer to a drand API `path` at `now_ms`: 404 for a round not yet due."""
        m = _PATH.match(path)
        if m is None:
            return 404, b"not found"
        latest = self.round_at(now_ms)
        round_number = latest if m.group(2) == "latest" else int(m.group(2))
        if round_number < 1 or round_number > latest:
            return 404, b"round not yet available"
        return 200, json.dumps(self.pulse(round_number)).encode()


DEV_BEACON = DevBeacon(int.from_bytes(hashlib.sha256(DEV_BEACON_SEED).digest(), "big"))
_DEV_PUBLIC_KEY = DEV_BEACON.public_key  # a G2 multiplication (~0.5 ms): once, not three times at start-up

#: `BeaconConfiguration` of the dev beacon, as a client passes it to `Drand.set_beacon_config`
#: (byte fields as 0x-hex).
DEV_BEACON_CONFIG = {
    "public_key": "0x" + _DEV_PUBLIC_KEY.hex(),
    "period": DEV_BEACON.period,
    "genesis_time": DEV_BEACON.genesis_time,
    "hash": "0x" + hashlib.sha256(_DEV_PUBLIC_KEY).hexdigest(),
    "group_hash": "0x" + hashlib.sha256(DEV_BEACON_SEED).hexdigest(),
    "scheme_id": "0x" + b"bls-unchained-g1-rfc9380".hex(),
    "metadata": {"beacon_id": "0x" + b"pysubtensor-dev".hex()},
}


#: `Drand.BeaconConfig`'s storage key, and the start of its value when it is the dev beacon's
#: (`public_key` first: a `BoundedVec<u8>` of 96 bytes).
BEACON_CONFIG_KEY = storage_prefix("Drand", "BeaconConfig")
_DEV_CONFIG_PREFIX = encode_compact(96) + _DEV_PUBLIC_KEY


def beacon_serving(beacon_config: bytes | None) -> DevBeacon | None:
    """The local beacon when the chain's `BeaconConfig` (its stored bytes) is the dev beacon's,
    else None: a dev node answers drand requests only for a chain that can verify its pulses
    (with quicknet's configuration it has no drand, as a node without network)."""
    return DEV_BEACON if beacon_config is not None and beacon_config.startswith(_DEV_CONFIG_PREFIX) else None


class NodeOffchainHost:
    """The offchain host functions of a dev node: its clock, drand answered by `beacon` (None:
    no drand), no other network, the dev key as the `drnd` key, and its transaction pool."""

    def __init__(self, clock: Callable[[], int], keypair: Keypair | None, submit: Callable[[bytes], object],
                 beacon: DevBeacon | None = DEV_BEACON) -> None:
        self._clock = clock
        self._keypair = keypair
        self._submit = submit
        self.beacon = beacon

    def timestamp(self) -> int:
        return self._clock()

    def http_get(self, url: str, deadline_ms: int) -> tuple[int, bytes]:
        m = re.match(r"^https?://[^/]+(/.*)$", url)
        if m is None:
            raise HttpError(f"bad url {url!r}")
        path = m.group(1)
        if _PATH.match(path) is None or self.beacon is None:
            raise HttpError(f"a dev node has no network: {url}")
        return self.beacon.respond(path, self._clock())

    def sign(self, key_type: bytes, payload: bytes) -> tuple[bytes, bytes] | None:
        if self._keypair is None:
            return None
        return self._keypair.public_key, self._keypair.sign(payload)

    def submit_transaction(self, extrinsic: bytes) -> None:
        self._submit(extrinsic)
