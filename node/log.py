"""Logs in Substrate's shape (sc-tracing's formatter, sc-cli's banner, sc-informant's lines).

Plain output is `2026-11-28 14:33:01 <message>`, on stderr. When any `-l/--log` directive
asks for debug or trace (or `--detailed-log-output` is given), lines carry milliseconds,
level, thread and target: `2026-11-28 14:33:01.123  INFO MainThread substrate: <message>`.

A `-l` target is a Python logger name; the node logs under Substrate's targets where one
exists (`substrate` for the informant, `txpool`, `runtime`, `rpc`, …) so that
`-l txpool=debug` means what it means to a Substrate user.

The line helpers return the message text; callers log it. Hashes print as Substrate's
`Display` of `H256`: `0x` + first two bytes + `…` + last two bytes (`0xab12…ef90`).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from typing import TextIO

import base58

from pysubtensor.primitives.crypto import pair_from_seed
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "TRACE",
    "LogDirective",
    "SubstrateFormatter",
    "genesis_line",
    "highest_known_line",
    "idle_line",
    "imported_line",
    "local_identity_line",
    "local_peer_id",
    "node_version",
    "parse_log_directives",
    "prepared_block_line",
    "prometheus_line",
    "reorg_line",
    "rpc_server_line",
    "setup_logging",
    "short_hash",
    "startup_banner",
    "transfer_rate",
]

#: Substrate's `trace`, below Python's DEBUG.
TRACE = 5
logging.addLevelName(TRACE, "TRACE")

_LEVELS = {
    "trace": TRACE,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "off": logging.CRITICAL + 10,
}
_LEVEL_NAMES = {TRACE: "TRACE", logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARN",
                logging.ERROR: "ERROR", logging.CRITICAL: "ERROR"}


@slots_dataclass(frozen=True)
class LogDirective:
    """`target=level` (or a bare `level` for every target: target None)."""

    target: str | None
    level: int


def parse_log_directives(values: Sequence[str]) -> tuple[LogDirective, ...]:
    """Parse `-l` values (`info`, `txpool=debug,runtime=trace`, …); ValueError names the
    bad part."""
    out: list[LogDirective] = []
    for value in values:
        for part in (p.strip() for p in value.split(",")):
            if not part:
                continue
            if "=" not in part:
                level_no = _LEVELS.get(part.lower())
                # A bare target enables all its levels (env_logger's rule, as Substrate).
                out.append(LogDirective(None, level_no) if level_no is not None else LogDirective(part, TRACE))
                continue
            target, _, level = (x.strip() for x in part.partition("="))
            if not target:
                raise ValueError(f"invalid log directive {part!r}: empty target")
            level_no = _LEVELS.get(level.lower())
            if level_no is None:
                raise ValueError(f"invalid log level {level!r} in {part!r} "
                                 "(expected trace, debug, info, warn, error or off)")
            out.append(LogDirective(target, level_no))
    return tuple(out)


class SubstrateFormatter(logging.Formatter):
    """Substrate's log line layout, plain or detailed."""

    def __init__(self, *, detailed: bool = False) -> None:
        super().__init__()
        self.detailed = detailed

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
        msg = record.getMessage()
        if record.exc_info:
            msg = f"{msg}\n{self.formatException(record.exc_info)}"
        if not self.detailed:
            return f"{stamp} {msg}"
        level = _LEVEL_NAMES.get(record.levelno, record.levelname)
        return f"{stamp}.{int(record.msecs):03d} {level:>5} {record.threadName} {record.name}: {msg}"


_HANDLER_NAME = "pysubtensor"


def setup_logging(directives: Sequence[LogDirective] = (), *, detailed: bool | None = None,
                  stream: TextIO | None = None) -> logging.Handler:
    """Install the node's handler on the root logger (replacing an earlier one) and apply
    the directives; the default level is info. Returns the handler."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    if detailed is None:
        detailed = any(d.level < logging.INFO for d in directives)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(SubstrateFormatter(detailed=detailed))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for d in directives:
        (root if d.target is None else logging.getLogger(d.target)).setLevel(d.level)
    return handler


# -- line helpers --------------------------------------------------------------------------


def short_hash(h: bytes) -> str:
    """`0xabcd…1234`, as Substrate displays an H256."""
    return f"0x{h[:2].hex()}…{h[-2:].hex()}"


def node_version() -> str:
    """The package's version (`pysubtensor.__version__`, which a test keeps equal to the
    installed distribution's: reading that through importlib.metadata cost ~10 ms of start-up)."""
    from pysubtensor import __version__

    return __version__


def startup_banner(*, chain_name: str, node_name: str, role: str, database_path: str,
                   version: str | None = None) -> list[str]:
    """sc-cli's `print_node_infos` lines."""
    return [
        "pysubtensor Node",
        f"✌️  version {version or node_version()}",
        f"❤️  by the pysubtensor developers, 2026-{time.localtime().tm_year}",
        f"📋 Chain specification: {chain_name}",
        f"🏷  Node name: {node_name}",
        f"👤 Role: {role}",
        f"💾 Database: LevelDb at {database_path}",
    ]


def local_peer_id(seed: bytes) -> str:
    """A libp2p peer id (`12D3KooW…`) for the ed25519 key with seed blake2_256(seed).

    The node has no networking: this id only fills the `Local node identity` line and the
    default boot node of `build-spec`, with the shape a Substrate node prints. It is stable
    for the same seed (the CLI uses the chain id and node name).
    """
    public, _ = pair_from_seed("ed25519", blake2_256(seed))
    key = b"\x08\x01\x12\x20" + public  # protobuf PublicKey { Type: Ed25519, Data: public }
    return base58.b58encode(b"\x00" + bytes((len(key),)) + key).decode()  # identity multihash


def local_identity_line(peer_id: str) -> str:
    return f"🏷  Local node identity is: {peer_id}"


def genesis_line(state_root: bytes, header_hash: bytes) -> str:
    return f"🔨 Initializing Genesis block/state (state: {short_hash(state_root)}, header-hash: {short_hash(header_hash)})"


def highest_known_line(number: int) -> str:
    return f"📦 Highest known block at #{number}"


def rpc_server_line(addrs: Sequence[str]) -> str:
    return f"Running JSON-RPC server: addr={','.join(addrs)}"


def prometheus_line(addr: str) -> str:
    return f"〽️ Prometheus exporter started at {addr}"


def prepared_block_line(number: int, millis: int, block_hash: bytes, parent_hash: bytes,
                        extrinsics: Sequence[bytes]) -> str:
    """sc-basic-authorship's proposal line; extrinsics are the encoded ones (hashed here)."""
    hashes = ", ".join(short_hash(blake2_256(xt)) for xt in extrinsics)
    return (f"🎁 Prepared block for proposing at {number} ({millis} ms) [hash: 0x{block_hash.hex()}; "
            f"parent_hash: {short_hash(parent_hash)}; extrinsics ({len(extrinsics)}): [{hashes}]]")


def imported_line(number: int, block_hash: bytes) -> str:
    return f"✨ Imported #{number} ({short_hash(block_hash)})"


def reorg_line(old_number: int, old_hash: bytes, new_number: int, new_hash: bytes,
               common_number: int, common_hash: bytes) -> str:
    return (f"♻️  Reorg on #{old_number},{short_hash(old_hash)} to #{new_number},{short_hash(new_hash)}, "
            f"common ancestor #{common_number},{short_hash(common_hash)}")


def transfer_rate(bytes_per_sec: int) -> str:
    """sc-informant's `TransferRateFormat`."""
    if bytes_per_sec == 0:
        return "0"
    if bytes_per_sec < 100:
        return f"{bytes_per_sec} B/s"
    if bytes_per_sec < 1024 * 1024:
        return f"{bytes_per_sec / 1024:.1f}kiB/s"
    return f"{bytes_per_sec / (1024 * 1024):.1f}MiB/s"


def idle_line(best_number: int, best_hash: bytes, finalized_number: int, finalized_hash: bytes, *,
              peers: int = 0, down: int = 0, up: int = 0) -> str:
    """sc-informant's periodic status line of a node that is not syncing."""
    return (f"💤 Idle ({peers} peers), best: #{best_number} ({short_hash(best_hash)}), "
            f"finalized #{finalized_number} ({short_hash(finalized_hash)}), "
            f"⬇ {transfer_rate(down)} ⬆ {transfer_rate(up)}")
