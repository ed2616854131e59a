"""`NodeConfig`: everything the service needs to start, checked once, typed.

`config_from_args` turns the CLI's parsed arguments into a `NodeConfig` with Substrate's
semantics (sc-cli `RunCmd` / `SharedParams` / `RpcParams`):

* `--dev` = `--chain dev --tmp --alice --force-authoring --rpc-cors all` (each only where
  not given explicitly; `--base-path` turns `--tmp` off, as in Substrate).
* `--alice` (…`--ferdie`, `--one`, `--two`) = authority with that dev key, node name as the
  key unless `--name` is given.
* RPC binds 127.0.0.1 unless `--rpc-external` / `--unsafe-rpc-external` (0.0.0.0).
  `--rpc-methods auto` allows unsafe methods only on a loopback address. `--rpc-external`
  on an authority needs `--rpc-methods unsafe` or `--unsafe-rpc-external` (Substrate's
  refusal). `--experimental-rpc-endpoint` (repeatable) replaces the default endpoint.
* `--sealing instant|manual|<ms>`; default 250 ms blocks on Development chains (subtensor's
  fast-runtime localnet), 12 s otherwise.

Errors are `ConfigError` with a one-line message.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from pysubtensor.chainspec.presets import PRESETS, ChainPreset
from pysubtensor.node.api import MAX_NEW_BLOCKS
from pysubtensor.node.chain_spec import ChainSpec, ChainSpecError, load_chain_spec
from pysubtensor.node.db.paths import check_chain_id, database_path, default_base_path
from pysubtensor.node.dev import PRESETS as SEED_PRESETS
from pysubtensor.node.dev import SeedPlan
from pysubtensor.node.log import LogDirective, parse_log_directives
from pysubtensor.primitives.slots_dataclass import slots_dataclass

__all__ = [
    "DEFAULT_MAX_BUFFER_CAPACITY",
    "DEFAULT_PROMETHEUS_PORT",
    "DEFAULT_RPC_PORT",
    "DEV_KEYS",
    "ChainChoice",
    "ConfigError",
    "NodeConfig",
    "PrometheusEndpoint",
    "Role",
    "RpcEndpoint",
    "RpcMethods",
    "Sealing",
    "SealingMode",
    "config_from_args",
    "parse_rpc_endpoint",
    "parse_sealing",
    "resolve_chain",
]

DEFAULT_RPC_PORT = 9944
DEFAULT_PROMETHEUS_PORT = 9615
MIB = 1024 * 1024
#: Substrate's RPC defaults.
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_PAYLOAD_MB = 15
DEFAULT_MAX_SUBSCRIPTIONS = 1024
#: Messages a connection may have queued unsent before its requests stop being read
#: (`RPC_DEFAULT_MESSAGE_CAPACITY_PER_CONN` in sc-cli).
DEFAULT_MAX_BUFFER_CAPACITY = 64

#: Origins allowed by default without `--dev` (Substrate's list).
DEFAULT_CORS: tuple[str, ...] = (
    "http://localhost:*",
    "http://127.0.0.1:*",
    "https://localhost:*",
    "https://127.0.0.1:*",
    "https://polkadot.js.org",
)
#: Dev keys the CLI offers as `--alice` … (sp-keyring's `Sr25519Keyring`).
DEV_KEYS: tuple[str, ...] = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie", "One", "Two")
#: Block time of Development chains without `--sealing` (subtensor's fast-runtime).
DEV_BLOCK_MS = 250
LIVE_BLOCK_MS = 12_000


class ConfigError(ValueError):
    """A bad or conflicting option; the message is one line for the user."""


class RpcMethods(StrEnum):
    AUTO = "auto"
    SAFE = "safe"
    UNSAFE = "unsafe"


class SealingMode(StrEnum):
    INSTANT = "instant"
    MANUAL = "manual"
    INTERVAL = "interval"


class Role(StrEnum):
    AUTHORITY = "AUTHORITY"
    FULL = "FULL"


@slots_dataclass(frozen=True)
class Sealing:
    """When blocks are made: per ready transaction, on request, or every `interval_ms`."""

    mode: SealingMode
    interval_ms: int | None = None

    def __str__(self) -> str:
        return f"{self.interval_ms} ms" if self.mode is SealingMode.INTERVAL else self.mode.value


def parse_sealing(text: str) -> Sealing:
    value = text.strip().lower()
    if value in ("instant", "manual"):
        return Sealing(SealingMode(value))
    if value.isdigit() and int(value) > 0:
        return Sealing(SealingMode.INTERVAL, int(value))
    raise ConfigError(f"invalid --sealing {text!r}: expected instant, manual or a block time in milliseconds")


@slots_dataclass(frozen=True)
class RpcEndpoint:
    """One JSON-RPC listen address (HTTP and WebSocket on the same port) and its limits."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_RPC_PORT
    methods: RpcMethods = RpcMethods.AUTO
    #: Allowed browser origins; None allows all.
    cors: tuple[str, ...] | None = DEFAULT_CORS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_request_size: int = DEFAULT_MAX_PAYLOAD_MB * MIB
    max_response_size: int = DEFAULT_MAX_PAYLOAD_MB * MIB
    max_subscriptions_per_connection: int = DEFAULT_MAX_SUBSCRIPTIONS
    #: None: batches unlimited; 0: batches refused.
    max_batch_len: int | None = None
    #: Calls per minute per WebSocket connection (`rate-limit`); None: unlimited. Calls over
    #: the quota wait for their turn, as Substrate's rate-limit middleware delays them.
    rate_limit: int | None = None
    #: Unsent messages a connection may hold (`max-buffer-capacity-per-connection`) before the
    #: server stops reading its requests until the client reads.
    max_buffer_capacity: int = DEFAULT_MAX_BUFFER_CAPACITY

    @property
    def is_loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return self.host == "localhost"

    @property
    def allow_unsafe(self) -> bool:
        """Whether unsafe methods (author_*, dev_*, engine_* …) are served here."""
        return self.methods is RpcMethods.UNSAFE or (self.methods is RpcMethods.AUTO and self.is_loopback)

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@slots_dataclass(frozen=True)
class PrometheusEndpoint:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PROMETHEUS_PORT

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@slots_dataclass(frozen=True)
class ChainChoice:
    """The chain `--chain` selects: a preset, or a chain spec file."""

    arg: str
    name: str
    id: str
    chain_type: str
    preset: ChainPreset | None = None
    spec: ChainSpec | None = None

    @property
    def is_dev(self) -> bool:
        return self.chain_type == "Development"


def resolve_chain(arg: str) -> ChainChoice:
    """A preset name (`dev`, `local`) or a chain spec path."""
    preset = PRESETS.get(arg)
    if preset is not None:
        return ChainChoice(arg, preset.name, preset.id, preset.chain_type, preset=preset)
    looks_like_path = os.sep in arg or arg.endswith(".json") or os.path.exists(arg)
    if not looks_like_path:
        raise ConfigError(f"unknown chain {arg!r}: expected {', '.join(PRESETS)} or a chain spec file path")
    try:
        spec = load_chain_spec(arg)
    except ChainSpecError as e:
        raise ConfigError(str(e)) from None
    try:
        check_chain_id(spec.id)
    except ValueError as e:
        raise ConfigError(f"{arg}: {e}") from None
    return ChainChoice(arg, spec.name, spec.id, spec.chain_type, spec=spec)


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """What `run_node` and the service consume."""

    chain: ChainChoice
    #: None with `tmp`: the service makes a throwaway base path and removes it on exit.
    base_path: Path | None
    tmp: bool
    name: str
    role: Role
    #: Dev key the node authors with (`--alice` …), or None.
    dev_key: str | None
    force_authoring: bool
    dev: bool
    rpc: tuple[RpcEndpoint, ...]
    sealing: Sealing
    finality_lag: int
    prometheus: PrometheusEndpoint | None
    log_directives: tuple[LogDirective, ...] = ()
    detailed_log_output: bool = False
    #: `--pool-limit` / `--pool-kbytes` / `--tx-ban-seconds` (sc-cli's `TransactionPoolParams`).
    pool_limit: int = 8192
    pool_kbytes: int = 20480
    tx_ban_seconds: int | None = None
    #: `--pool-validation-workers`: processes that validate the pool's transactions on another
    #: core (node/validation_worker.py); 0 validates in the node's process.
    pool_validation_workers: int = 0
    #: Networking flags accepted for script compatibility and ignored (no p2p here).
    ignored_flags: tuple[str, ...] = field(default=())
    #: `--dev-preset` (and `--dev-subnets` …): what to seed a fresh dev chain with at start.
    seed: SeedPlan | None = None
    #: `--dev-blocks N`: blocks produced at once at start (after seeding), as dev_newBlock.
    start_blocks: int = 0
    #: `--dev-clock frozen`: the node's clock reads its start time for good, so block times
    #: advance one slot per block and never with the wall clock (manual or instant sealing).
    frozen_clock: bool = False

    @property
    def is_authority(self) -> bool:
        return self.role is Role.AUTHORITY

    def database_path(self, base_path: Path | None = None) -> Path:
        """`<base>/chains/<id>/db/full`; pass the temporary base path when `tmp`."""
        base = base_path if base_path is not None else self.base_path
        if base is None:
            raise ValueError("a --tmp node's base path exists only while it runs")
        return database_path(base, self.chain.id)


# -- parsing helpers ----------------------------------------------------------------------------


def _port(value: int, flag: str) -> int:
    if not 0 <= value <= 65535:
        raise ConfigError(f"invalid {flag} {value}: a port is 0-65535")
    return value


def _positive(value: int, flag: str) -> int:
    if value < 1:
        raise ConfigError(f"invalid {flag} {value}: must be at least 1")
    return value


def _cors(values: Sequence[str] | None, default: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if values is None:
        return default
    origins: list[str] = []
    for value in values:
        for origin in (o.strip() for o in value.split(",")):
            if origin in ("all", "*"):
                return None
            if not origin:
                continue
            if origin != "null" and "://" not in origin:
                raise ConfigError(f"invalid --rpc-cors origin {origin!r}: expected all, null or scheme://host[:port]")
            origins.append(origin)
    if not origins:
        raise ConfigError("--rpc-cors needs 'all' or a comma-separated list of origins")
    return tuple(origins)


_HOST_PORT = re.compile(r"^(?:\[(?P<v6>[0-9a-fA-F:.]+)\]|(?P<host>[^:\[\]]+)):(?P<port>\d{1,5})$")


def _listen_addr(text: str, flag: str) -> tuple[str, int]:
    m = _HOST_PORT.match(text.strip())
    if m is None:
        raise ConfigError(f"invalid {flag} address {text!r}: expected HOST:PORT (e.g. 127.0.0.1:9945)")
    host = m.group("v6") or m.group("host")
    if host != "localhost":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise ConfigError(f"invalid {flag} address {text!r}: {host!r} is not an IP address") from None
    return host, _port(int(m.group("port")), flag)


#: `--experimental-rpc-endpoint` keys of Substrate's that this node refuses, and why.
_UNSUPPORTED_ENDPOINT_KEYS = {
    "optional": "every endpoint must start; drop the endpoint instead",
    "retry-random-port": "choose a free port, or port 0 for a random one",
    "rate-limit-whitelisted-ips": "rate-limit applies to every connection",
    "rate-limit-trust-proxy-headers": "rate-limit applies to every connection",
}


def parse_rpc_endpoint(text: str, base: RpcEndpoint) -> RpcEndpoint:
    """`--experimental-rpc-endpoint`: Substrate's `listen-addr=HOST:PORT,methods=…,cors=…,
    max-connections=N,max-payload-in-mb=N,max-payload-out-mb=N,max-subscriptions-per-connection=N,
    max-batch-request-len=N,disable-batch-requests,rate-limit=N,max-buffer-capacity-per-connection=N`;
    a bare `HOST:PORT` is also accepted. Substrate's `optional`, `retry-random-port` and the
    rate-limit exemptions are refused with a ConfigError.
    Unset keys take `base`'s values."""
    flag = "--experimental-rpc-endpoint"
    fields: dict[str, object] = {}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) == 1 and "=" not in parts[0]:
        parts = [f"listen-addr={parts[0]}"]
    cors: list[str] = []
    for part in parts:
        key, eq, value = part.partition("=")
        key = key.strip().lower()
        if key == "disable-batch-requests" and not eq:
            fields["max_batch_len"] = 0
            continue
        if key in _UNSUPPORTED_ENDPOINT_KEYS:
            raise ConfigError(f"{flag} {key} is not supported by this node ({_UNSUPPORTED_ENDPOINT_KEYS[key]})")
        if not eq:
            raise ConfigError(f"invalid {flag} {text!r}: {part!r} is not key=value")
        if key == "listen-addr":
            fields["host"], fields["port"] = _listen_addr(value, flag)
        elif key == "methods":
            try:
                fields["methods"] = RpcMethods(value.strip().lower())
            except ValueError:
                raise ConfigError(f"invalid {flag} methods {value!r}: expected auto, safe or unsafe") from None
        elif key == "cors":
            cors.append(value)
        elif key in ("max-connections", "max-payload-in-mb", "max-payload-out-mb",
                     "max-subscriptions-per-connection", "max-batch-request-len", "rate-limit",
                     "max-buffer-capacity-per-connection"):
            if not value.strip().isdigit():
                raise ConfigError(f"invalid {flag} {key} {value!r}: expected a number")
            n = int(value)
            if key == "max-connections":
                fields["max_connections"] = _positive(n, f"{flag} {key}")
            elif key == "max-payload-in-mb":
                fields["max_request_size"] = _positive(n, f"{flag} {key}") * MIB
            elif key == "max-payload-out-mb":
                fields["max_response_size"] = _positive(n, f"{flag} {key}") * MIB
            elif key == "max-subscriptions-per-connection":
                fields["max_subscriptions_per_connection"] = _positive(n, f"{flag} {key}")
            elif key == "rate-limit":
                fields["rate_limit"] = _positive(n, f"{flag} {key}")
            elif key == "max-buffer-capacity-per-connection":
                fields["max_buffer_capacity"] = _positive(n, f"{flag} {key}")
            else:
                fields["max_batch_len"] = n
        else:
            raise ConfigError(f"invalid {flag} {text!r}: unknown key {key!r}")
    if "host" not in fields:
        raise ConfigError(f"invalid {flag} {text!r}: listen-addr=HOST:PORT is required")
    if cors:
        fields["cors"] = _cors(cors, base.cors)
    values = {name: getattr(base, name) for name in RpcEndpoint.__dataclass_fields__}
    values.update(fields)
    return RpcEndpoint(**values)  # type: ignore[arg-type]


def check_base_path(path: Path) -> Path:
    """The base path must be (or be creatable as) a writable directory."""
    p = path.expanduser()
    probe = p
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe == p and not p.is_dir():
        raise ConfigError(f"base path {p} exists and is not a directory")
    if probe != p and not probe.is_dir():
        raise ConfigError(f"base path {p} cannot be created: {probe} is not a directory")
    if not os.access(probe, os.R_OK | os.W_OK | os.X_OK):
        raise ConfigError(f"base path {p}: {probe} is not readable and writable")
    return p.absolute()


_ADJECTIVES = ("ancient", "brave", "calm", "daring", "eager", "fuzzy", "gentle", "hollow", "idle", "jolly",
               "keen", "lively", "mellow", "noble", "odd", "proud", "quiet", "rapid", "silent", "tidy")
_NOUNS = ("acorn", "badger", "canyon", "delta", "ember", "falcon", "glacier", "harbor", "island", "jungle",
          "kettle", "lantern", "meadow", "nebula", "orchard", "pebble", "quarry", "river", "summit", "tundra")


def generate_node_name() -> str:
    """A random `adjective-noun-1234` name, as Substrate makes one when `--name` is absent."""
    rnd = random.SystemRandom()
    return f"{rnd.choice(_ADJECTIVES)}-{rnd.choice(_NOUNS)}-{rnd.randrange(10_000):04d}"


def _node_name(name: str | None, dev_key: str | None) -> str:
    if name is None:
        return dev_key or generate_node_name()
    if not name.strip():
        raise ConfigError("--name must not be empty")
    if len(name) > 64:
        raise ConfigError("--name must be at most 64 characters (Substrate's limit)")
    if "." in name:
        raise ConfigError("--name must not contain dots")
    return name


def default_validation_workers() -> int:
    """One validation worker on a machine with two CPUs or more, none on one."""
    return 1 if (os.cpu_count() or 1) >= 2 else 0


def config_from_args(args: argparse.Namespace) -> NodeConfig:
    """Build and check the node configuration from the CLI's run arguments."""
    dev: bool = args.dev
    if args.tmp and args.base_path is not None:
        raise ConfigError("--tmp and --base-path cannot be used together")
    chain = resolve_chain(args.chain if args.chain is not None else ("dev" if dev else "local"))
    tmp = args.tmp or (dev and args.base_path is None)
    base_path = None if tmp else check_base_path(Path(args.base_path) if args.base_path else default_base_path())
    dev_key = args.dev_key or ("Alice" if dev else None)
    role = Role.AUTHORITY if (args.validator or dev_key is not None) else Role.FULL
    name = _node_name(args.name, dev_key)

    methods = RpcMethods(args.rpc_methods)
    external = args.rpc_external or args.unsafe_rpc_external
    if args.rpc_external and role is Role.AUTHORITY and methods is not RpcMethods.UNSAFE:
        raise ConfigError("--rpc-external option shouldn't be used if the node is running as a validator; "
                          "use --unsafe-rpc-external or --rpc-methods=unsafe if you understand the risks")
    cors = _cors(args.rpc_cors, None if dev else DEFAULT_CORS)
    default_endpoint = RpcEndpoint(
        host="0.0.0.0" if external else "127.0.0.1",
        port=_port(args.rpc_port, "--rpc-port"),
        methods=methods,
        cors=cors,
        max_connections=_positive(args.rpc_max_connections, "--rpc-max-connections"),
        max_request_size=_positive(args.rpc_max_request_size, "--rpc-max-request-size") * MIB,
        max_response_size=_positive(args.rpc_max_response_size, "--rpc-max-response-size") * MIB,
        max_subscriptions_per_connection=_positive(args.rpc_max_subscriptions_per_connection,
                                                   "--rpc-max-subscriptions-per-connection"),
        rate_limit=None if args.rpc_rate_limit is None else _positive(args.rpc_rate_limit, "--rpc-rate-limit"),
        max_buffer_capacity=_positive(args.rpc_message_buffer_capacity_per_connection,
                                      "--rpc-message-buffer-capacity-per-connection"),
    )
    if args.experimental_rpc_endpoint:
        rpc = tuple(parse_rpc_endpoint(text, default_endpoint) for text in args.experimental_rpc_endpoint)
    else:
        rpc = (default_endpoint,)
    seen: set[tuple[str, int]] = set()
    for ep in rpc:
        if ep.port and (ep.host, ep.port) in seen:
            raise ConfigError(f"RPC endpoint {ep.address} is given twice")
        seen.add((ep.host, ep.port))

    prometheus = None
    if not args.no_prometheus:
        prometheus = PrometheusEndpoint("0.0.0.0" if args.prometheus_external else "127.0.0.1",
                                        _port(args.prometheus_port, "--prometheus-port"))
        for ep in rpc:
            if prometheus.port and prometheus.port == ep.port and (
                    prometheus.host == ep.host or "0.0.0.0" in (prometheus.host, ep.host)):
                raise ConfigError(f"--prometheus-port {prometheus.port} is also an RPC port")

    sealing = (parse_sealing(args.sealing) if args.sealing is not None
               else Sealing(SealingMode.INTERVAL, DEV_BLOCK_MS if chain.is_dev else LIVE_BLOCK_MS))
    # GRANDPA on a real dev node finalizes a block or so behind the best one; clients rely on it
    # (bittensor 11.3 anchors a shielded carrier's era at the finalized head: were that head the
    # best block, a carrier in the next block would be checked where its birth hash is not yet
    # stored). Instant and manual sealing make blocks on demand, so there a lag would hold
    # finality back until the next transaction: they finalize at once.
    finality_lag = args.finality_lag
    if finality_lag is None:
        finality_lag = 1 if sealing.mode is SealingMode.INTERVAL else 0
    if finality_lag < 0:
        raise ConfigError(f"invalid --finality-lag {finality_lag}: must be 0 or more")
    pool_limit, pool_kbytes, ban = (getattr(args, "pool_limit", 8192), getattr(args, "pool_kbytes", 20480),
                                    getattr(args, "tx_ban_seconds", None))
    for flag, value in (("--pool-limit", pool_limit), ("--pool-kbytes", pool_kbytes), ("--tx-ban-seconds", ban)):
        if value is not None and value < 0:
            raise ConfigError(f"invalid {flag} {value}: must be 0 or more")
    workers = getattr(args, "pool_validation_workers", None)
    if workers is None:
        workers = default_validation_workers()
    if not 0 <= workers <= 1:
        raise ConfigError(f"invalid --pool-validation-workers {workers}: 0 (validate in the node's process) or 1")
    try:
        directives = parse_log_directives(args.log or ())
    except ValueError as e:
        raise ConfigError(f"-l/--log: {e}") from None
    seed, start_blocks = _dev_start(args, chain, role)
    frozen_clock = getattr(args, "dev_clock", "wall") == "frozen"
    if frozen_clock and sealing.mode is SealingMode.INTERVAL:
        raise ConfigError("--dev-clock frozen needs --sealing manual or instant (timed blocks follow the wall clock)")
    return NodeConfig(
        chain=chain,
        base_path=base_path,
        tmp=tmp,
        name=name,
        role=role,
        dev_key=dev_key,
        force_authoring=args.force_authoring or dev,
        dev=dev,
        rpc=rpc,
        sealing=sealing,
        finality_lag=finality_lag,
        prometheus=prometheus,
        log_directives=directives,
        detailed_log_output=args.detailed_log_output or any(d.level < logging.INFO for d in directives),
        ignored_flags=tuple(args.ignored_flags or ()),
        pool_limit=pool_limit,
        pool_kbytes=pool_kbytes,
        tx_ban_seconds=ban,
        pool_validation_workers=workers,
        seed=seed,
        start_blocks=start_blocks,
        frozen_clock=frozen_clock,
    )


def _dev_start(args: argparse.Namespace, chain: ChainChoice, role: Role) -> tuple[SeedPlan | None, int]:
    """`--dev-preset`, `--dev-subnets/-validators/-miners/-stake` and `--dev-blocks`: only for a
    development chain this node authors."""
    counts = {"subnets": args.dev_subnets, "validators": args.dev_validators, "miners": args.dev_miners,
              "stake_tao": args.dev_stake}
    given = [f"--dev-{k.split('_')[0]}" for k, v in counts.items() if v is not None]
    wants_seed = args.dev_preset is not None or bool(given)
    blocks = args.dev_blocks or 0
    if (wants_seed or blocks) and not (chain.is_dev and role is Role.AUTHORITY):
        flag = "--dev-preset" if args.dev_preset is not None else (given[0] if given else "--dev-blocks")
        raise ConfigError(f"{flag} needs a development chain this node authors (--dev)")
    if blocks < 0 or blocks > MAX_NEW_BLOCKS:
        raise ConfigError(f"invalid --dev-blocks {blocks}: 0 to {MAX_NEW_BLOCKS}")
    if not wants_seed:
        return None, blocks
    base = SEED_PRESETS[args.dev_preset or "subnet"]
    try:
        plan = SeedPlan(**{k: (getattr(base, k) if v is None else v) for k, v in counts.items()})
    except ValueError as e:
        raise ConfigError(f"--dev-preset: {e}") from None
    return plan, blocks
