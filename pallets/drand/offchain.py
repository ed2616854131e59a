"""Drand's offchain worker (`fetch_drand_pulse_and_send_unsigned` of pallets/drand/src/lib.rs):
after a block is imported, fetch the latest pulse from the drand HTTP API, then each round
after `LastStoredRound` (at most 50), and submit one unsigned `write_pulse` per round, its
payload signed by the node's `drnd` key.

The HTTP requests, the clock, the keystore and the pool are the node's (`primitives.offchain`):
on a dev chain the node answers the drand API paths with its local beacon (node/drand_dev.py).
"""

from __future__ import annotations

import json
import logging

from pysubtensor.primitives import offchain

from . import (
    LastStoredRound,
    NextUnsignedAt,
    Pulse,
    PulsesPayload,
    pallet,
)

__all__ = ["CHAIN_HASH", "ENDPOINTS", "KEY_TYPE", "MAX_PULSES_TO_FETCH", "fetch_drand_pulse_and_send_unsigned",
           "pulse_from_json"]

log = logging.getLogger(__name__)

#: The drand API endpoints the worker asks, and quicknet's chain hash.
ENDPOINTS = (
    "https://api.drand.sh",
    "https://api2.drand.sh",
    "https://api3.drand.sh",
    "https://drand.cloudflare.com",
    "https://api.drand.secureweb3.com:6875",
)
CHAIN_HASH = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
MAX_PULSES_TO_FETCH = 50
#: `KeyTypeId(*b"drnd")`.
KEY_TYPE = b"drnd"
#: `HttpFetchTimeout` (ms).
HTTP_FETCH_TIMEOUT = 1_000


class FetchError(Exception):
    pass


def pulse_from_json(body: bytes) -> Pulse:
    """`DrandResponseBody` (serde, hex fields) then `try_into_pulse` (bounded 32 / 144 bytes)."""
    try:
        doc = json.loads(body)
        pulse = Pulse(int(doc["round"]), bytes.fromhex(doc["randomness"]), bytes.fromhex(doc["signature"]))
    except (ValueError, KeyError, TypeError) as e:
        raise FetchError(f"Drand: Received pulse contains invalid data: {e}") from None
    if not 0 <= pulse.round < 1 << 64 or len(pulse.randomness) > 32 or len(pulse.signature) > 144:
        raise FetchError("Drand: Received pulse contains invalid data")
    return pulse


def _fetch(relative_path: str) -> Pulse:
    """`fetch_and_decode_from_any_endpoint`: the first endpoint answering 200 with a pulse."""
    host = offchain.current()
    deadline = host.timestamp() + HTTP_FETCH_TIMEOUT
    for endpoint in ENDPOINTS:
        try:
            status, body = host.http_get(f"{endpoint}{relative_path}", deadline)
        except offchain.HttpError as e:
            log.debug("Drand: HTTP error from %s: %s", endpoint, e)
            continue
        if status != 200:
            continue
        try:
            return pulse_from_json(body)
        except FetchError as e:
            log.debug("Drand: JSON decode error from %s: %s", endpoint, e)
    raise FetchError("Drand: No valid response from any endpoint")


def fetch_drand_pulse_and_send_unsigned(block_number: int) -> None:
    if NextUnsignedAt.get() > block_number:
        raise FetchError("Drand: Too early to send unsigned transaction")
    last_stored_round = LastStoredRound.get()
    current_round = _fetch(f"/{CHAIN_HASH}/public/latest").round
    if last_stored_round == 0:
        last_stored_round = max(current_round - 1, 0)
    if current_round <= last_stored_round:
        return
    count = min(current_round - last_stored_round, MAX_PULSES_TO_FETCH)
    pulses = [_fetch(f"/{CHAIN_HASH}/public/{r}") for r in range(last_stored_round + 1, last_stored_round + count + 1)]
    host = offchain.current()
    for pulse in pulses:  # one transaction per pulse, ascending rounds
        payload = PulsesPayload(block_number, [pulse], None)
        signed = _sign(host, payload)
        if signed is None:
            log.debug("Drand: No local account available to submit round %d", pulse.round)
            return
        try:
            pallet.config.submit_unsigned(("write_pulse", {"pulses_payload": signed[0], "signature": signed[1]}))
        except Exception as e:  # the pool's refusal: logged, as the Rust worker logs it
            log.debug("Drand: failed to submit round %d: %s", pulse.round, e)


def _sign(host: offchain.OffchainHost, payload: PulsesPayload) -> tuple[PulsesPayload, tuple] | None:
    """`Signer::any_account().send_unsigned_transaction`: the payload names the signer's
    public key, and is signed as encoded."""
    probe = host.sign(KEY_TYPE, b"")
    if probe is None:
        return None
    public = ("Sr25519", probe[0])
    payload = PulsesPayload(payload.block_number, payload.pulses, public)
    signed = host.sign(KEY_TYPE, PulsesPayload.SCALE.encode(payload))
    if signed is None:
        return None
    return payload, ("Sr25519", signed[1])


@pallet.hook_offchain_worker
def offchain_worker(block_number: int) -> None:
    try:
        fetch_drand_pulse_and_send_unsigned(block_number)
    except FetchError as e:
        log.debug("Drand: Failed to fetch pulse from drand. %s", e)
