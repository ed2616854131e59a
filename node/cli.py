"""Command line: `pysubtensor [--dev] …` and its subcommands (Substrate's flags where they apply).

This module only parses arguments and wires the pieces: options become a `NodeConfig`
(node.config), the chain database is opened with the chosen chain's genesis, and
`run_node` hands both to the service. Every failure a user can cause ends in one clear line
on stderr and exit status 1, never a traceback.

The genesis of the presets and of runtime-genesis specs comes from the runtime's genesis
builder (runtime.genesis); node.service runs block authoring, the transaction pool and the
RPC and metrics servers.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from pysubtensor.chainspec.presets import chain_spec_json, document_of, raw_genesis_json, spec_document
from pysubtensor.node.chain_spec import ChainSpecError, RawGenesis, load_chain_spec
from pysubtensor.node.config import (
    DEFAULT_MAX_BUFFER_CAPACITY,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_PAYLOAD_MB,
    DEFAULT_MAX_SUBSCRIPTIONS,
    DEFAULT_PROMETHEUS_PORT,
    DEFAULT_RPC_PORT,
    DEV_KEYS,
    ChainChoice,
    ConfigError,
    NodeConfig,
    check_base_path,
    config_from_args,
    resolve_chain,
)
from pysubtensor.node.db import ChainDB, ChainDbError
from pysubtensor.node.db.paths import database_path, default_base_path, purge_chain, temporary_base_path
from pysubtensor.node.dev import PRESETS as SEED_PRESETS
from pysubtensor.node.genesis import (
    CODE_KEY,
    genesis_fingerprint,
    genesis_header,
    genesis_header_with_root,
    streamed_or_whole,
)
from pysubtensor.node.log import (
    genesis_line,
    highest_known_line,
    local_identity_line,
    local_peer_id,
    setup_logging,
    startup_banner,
)
from pysubtensor.node.memory import return_freed_memory_to_the_os
from pysubtensor.node.runtime_code import RuntimeCodeError, read_runtime_version
from pysubtensor.node.service import run as run_service
from pysubtensor.node.state.db import genesis_root
from pysubtensor.primitives.header import Header
from pysubtensor.primitives.slots_dataclass import slots_dataclass
from pysubtensor.runtime import genesis as runtime_genesis
from pysubtensor.runtime.version import VERSION, runtime_code

__all__ = ["ChainGenesis", "CliError", "chain_genesis", "main", "run_node"]

log = logging.getLogger("pysubtensor")

#: `BT_DEFAULT_TOKEN_WALLET` gets 1,000,000 TAO at genesis, as in subtensor's localnet.
DEFAULT_TOKEN_WALLET_RAO = 1_000_000 * 10**9


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one line (exit 1) instead of usage + exit 2."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{self.prog}: {message}")


# -- genesis --------------------------------------------------------------------------------------


@slots_dataclass(frozen=True)
class ChainGenesis:
    """Genesis storage of a chain, its trie layout and its genesis header."""

    raw: RawGenesis
    state_version: int
    header: Header


def _our_runtime_identity() -> tuple[str, int]:
    """(spec name, state version) of our runtime."""
    return VERSION.spec_name, 0 if VERSION.system_version == 0 else 1


def _storage_from_runtime(patch: dict[str, Any]) -> RawGenesis:
    try:
        top = runtime_genesis.genesis_storage(patch)
    except ValueError as e:  # the runtime's GenesisBuildError
        raise CliError(f"genesis: {e}") from None
    # As sc-chain-spec does, the node puts the runtime's code under `:code` beside what the
    # genesis builder wrote.
    return RawGenesis(top={**top, CODE_KEY: runtime_code()}, children_default={})


def _preset_patch(choice: ChainChoice) -> dict[str, Any]:
    """The runtime preset of a built-in chain, plus `BT_DEFAULT_TOKEN_WALLET` (subtensor's
    localnet funds that SS58 address with 1,000,000 TAO)."""
    assert choice.preset is not None
    raw = runtime_genesis.get_preset(choice.preset.genesis_preset)
    if raw is None:
        raise CliError(f"the runtime has no genesis preset {choice.preset.genesis_preset!r}")
    patch = json.loads(raw)
    wallet = os.environ.get("BT_DEFAULT_TOKEN_WALLET")
    if wallet:
        balances = patch.setdefault("balances", {}).setdefault("balances", [])
        balances.append([wallet.strip(), DEFAULT_TOKEN_WALLET_RAO])
    return patch


def _check_runtime_is_ours(choice: ChainChoice, raw: RawGenesis) -> int:
    """Refuse a raw spec of another runtime; return the genesis state version.

    Our `:code` is a wasm blob carrying only node-subtensor's version sections (see
    runtime.version.runtime_code); real node-subtensor code passes too. A raw spec without
    `:code` is taken as ours."""
    ours, our_version = _our_runtime_identity()
    code = raw.top.get(CODE_KEY)
    if code is None:
        return our_version
    try:
        version = read_runtime_version(code)
    except RuntimeCodeError as e:
        raise CliError(f"chain spec {choice.arg}: its ':code' is not a readable runtime ({e}); this node runs "
                       f"only {ours} chains") from None
    if version is None or version.spec_name != ours:
        what = (f"'{version.spec_name}' (spec_version {version.spec_version})" if version is not None
                else "a runtime without a version section")
        raise CliError(f"chain spec {choice.arg}: its runtime is {what}, not {ours}; this node runs only "
                       f"{ours} chains (export-genesis-head works on any raw spec)")
    return version.state_version


def chain_genesis(choice: ChainChoice) -> ChainGenesis:
    """The genesis of the chosen chain: a raw spec's storage as is (its runtime must be
    ours), else what the runtime's genesis builder makes of the preset or spec patch."""
    raw, version = chain_genesis_storage(choice)
    return ChainGenesis(raw, version, genesis_header(raw, version))


def chain_genesis_storage(choice: ChainChoice) -> tuple[RawGenesis, int]:
    """`chain_genesis` without the header (whose state root needs the trie built)."""
    spec = choice.spec
    if spec is not None and spec.raw is not None:
        raw = spec.raw
        version = _check_runtime_is_ours(choice, raw)
    else:
        if spec is not None:
            assert spec.runtime_genesis is not None
            patch = spec.runtime_genesis.get("patch", spec.runtime_genesis.get("config"))
            if not isinstance(patch, dict):
                raise CliError(f"{spec.source}: genesis.runtimeGenesis has neither 'patch' nor 'config'")
        else:
            patch = _preset_patch(choice)
        raw = _storage_from_runtime(patch)
        version = _our_runtime_identity()[1]
    return raw, version


# -- the node ---------------------------------------------------------------------------------------


def check_ports_free(config: NodeConfig) -> None:
    """Fail early, in one line, if a port the node will listen on is taken."""
    wanted = [(ep.host, ep.port, "--rpc-port") for ep in config.rpc]
    if config.prometheus is not None:
        wanted.append((config.prometheus.host, config.prometheus.port, "--prometheus-port"))
    for host, port, flag in wanted:
        if port == 0:
            continue
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, port))
            except OSError as e:
                raise CliError(f"cannot listen on {host}:{port}: {e.strerror or e} (is another node running? "
                               f"choose another port with {flag})") from None


def _raise_interrupt(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def run_node(config: NodeConfig) -> int:
    """Open the chain database with the chain's genesis, print Substrate's startup lines and
    hand over to the service. The `--tmp` base path is removed on return (also on SIGTERM)."""
    setup_logging(config.log_directives, detailed=config.detailed_log_output)
    return_freed_memory_to_the_os()
    raw, state_version = chain_genesis_storage(config.chain)
    check_ports_free(config)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        with ExitStack() as stack:
            base = config.base_path if config.base_path is not None else stack.enter_context(temporary_base_path())
            db_path = config.database_path(base)
            for line in startup_banner(chain_name=config.chain.name, node_name=config.name,
                                       role=config.role.value, database_path=str(db_path)):
                log.info(line)
            chain_db = stack.enter_context(ChainDB.open(db_path))
            # The genesis trie is built once (stored by a new database, else only to check
            # the root, and not at all when the database recorded the same large spec); then
            # the storage and the spec's copy of it are let go: a large raw spec is not kept for
            # the life of the process.
            header, created = streamed_or_whole(raw, lambda g: chain_db.init_genesis_storage(
                g.top, g.children_default, state_version, genesis_header_with_root,
                partial(genesis_root, g.top, g.children_default, state_version),
                partial(genesis_fingerprint, g, state_version)))
            del raw
            if config.chain.spec is not None:
                config.chain.spec.release_genesis()
            if created:
                log.info(genesis_line(header.state_root, header.hash))
            else:
                log.info(highest_known_line(chain_db.best_number))
            log.info(local_identity_line(local_peer_id(f"{config.chain.id}/{config.name}".encode())))
            if config.is_authority and not config.force_authoring:
                log.info("Authoring without peers, as --force-authoring would: this node has no peer-to-peer "
                         "layer to wait for")
            if config.ignored_flags:
                log.info("Ignoring networking options (this node has no peer-to-peer layer): %s",
                         ", ".join(config.ignored_flags))
            return run_service(config, chain_db)
    finally:
        signal.signal(signal.SIGTERM, previous)


# -- subcommands ----------------------------------------------------------------------------------


def _export_genesis_head(args: argparse.Namespace) -> int:
    spec = load_chain_spec(args.chain)
    if spec.raw is None:
        raise CliError(f"{args.chain}: export-genesis-head needs a raw chain spec "
                       "(genesis.raw); build one with `build-spec --raw`")
    header = genesis_header(spec.raw)
    out = "0x" + header.encode().hex()
    if args.output:
        with open(args.output, "w") as f:
            f.write(out)
    else:
        print(out)
    return 0


def _build_spec(args: argparse.Namespace) -> int:
    if args.dev and args.chain not in (None, "dev"):
        raise CliError(f"--dev and --chain {args.chain} name different chains")
    choice = resolve_chain(args.chain if args.chain is not None else "dev")
    if choice.spec is not None:
        spec = choice.spec
        if spec.raw is not None:  # a raw spec stays raw
            genesis: dict[str, Any] = raw_genesis_json(spec.raw)
        elif args.raw:
            genesis = raw_genesis_json(chain_genesis(choice).raw)
        else:
            genesis = {"runtimeGenesis": spec.runtime_genesis}
        doc = document_of(spec, genesis)
    else:
        preset = choice.preset
        assert preset is not None
        patch = _preset_patch(choice)
        raw = _storage_from_runtime(patch)
        if args.raw:
            genesis = raw_genesis_json(raw)
        else:
            code = raw.top.get(CODE_KEY, b"")
            genesis = {"runtimeGenesis": {"code": "0x" + code.hex(), "patch": patch}}
        doc = spec_document(name=preset.name, id=preset.id, chain_type=preset.chain_type, genesis=genesis,
                            properties=preset.properties, protocol_id=preset.protocol_id)
    if not doc["bootNodes"] and not args.disable_default_bootnode:
        # As Substrate: this node's own address, so other nodes could find it.
        peer = local_peer_id(f"{doc['id']}/build-spec".encode())
        doc["bootNodes"] = [f"/ip4/127.0.0.1/tcp/30333/p2p/{peer}"]
    print(chain_spec_json(doc))
    return 0


def _database_locked(path: Path) -> bool:
    import plyvel

    if not (path / "CURRENT").exists():
        return False
    try:
        plyvel.DB(str(path), create_if_missing=False).close()
    except plyvel.IOError as e:
        return "lock" in str(e).lower()
    except plyvel.Error:
        return False  # damaged: purging is exactly what is wanted
    return False


def _purge_chain(args: argparse.Namespace) -> int:
    choice = resolve_chain(args.chain if args.chain is not None else ("dev" if args.dev else "local"))
    base = check_base_path(Path(args.base_path)) if args.base_path else default_base_path()
    db_dir = database_path(base, choice.id)
    target = db_dir.parent
    if _database_locked(db_dir):
        raise CliError(f"{target} is in use by a running node; stop it before purging")
    if not args.yes:
        try:
            answer = input(f'Are you sure to remove "{target}"? [y/N]: ')
        except EOFError:
            answer = ""
        if not answer.strip().lower().startswith("y"):
            print("Aborted")
            return 0
    try:
        path, existed = purge_chain(base, choice.id)
    except OSError as e:
        raise CliError(f"cannot remove {target}: {e.strerror or e}") from None
    if existed:
        print(f'"{path}" removed.')
    else:
        print(f'"{path}" did not exist.', file=sys.stderr)
    return 0


# -- the parser ------------------------------------------------------------------------------------


class _IgnoredFlag(argparse.Action):
    """A networking flag accepted for compatibility with Substrate scripts, then ignored."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        ignored = list(getattr(namespace, "ignored_flags", None) or [])
        ignored.append(option_string or self.dest)
        namespace.ignored_flags = ignored


_IGNORED_SWITCHES = ("--no-mdns", "--discover-local", "--allow-private-ipv4", "--no-private-ip", "--no-telemetry",
                     "--unsafe-force-node-key-generation", "--no-hardware-benchmarks", "--enable-offchain-indexing")
_IGNORED_VALUES = ("--port", "--node-key", "--node-key-file", "--telemetry-url", "--listen-addr", "--public-addr",
                   "--in-peers", "--out-peers", "--state-pruning", "--blocks-pruning", "--pruning",
                   "--execution", "--wasm-execution", "--offchain-worker")


def _add_run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dev", action="store_true",
                   help="development chain: --chain dev --tmp --alice --force-authoring --rpc-cors all")
    p.add_argument("--chain", help="dev, local, or a chain spec JSON file (default: local; dev with --dev)")
    p.add_argument("-d", "--base-path", help="where chains keep their data (default: ~/.local/share/pysubtensor)")
    p.add_argument("--tmp", action="store_true", help="use a temporary base path, removed on exit")
    p.add_argument("--name", help="node name (default: the dev key's name, else a random one)")
    p.add_argument("--validator", action="store_true", help="run as an authority")
    p.add_argument("--force-authoring", action="store_true",
                   help="author blocks without peers; always so here: this node has no peer-to-peer layer")
    keys = p.add_mutually_exclusive_group()
    for key in DEV_KEYS:
        keys.add_argument(f"--{key.lower()}", dest="dev_key", action="store_const", const=key,
                          help=f"author with //{key} (implies --validator and --name {key})")

    rpc = p.add_argument_group("JSON-RPC (HTTP and WebSocket on one port)")
    rpc.add_argument("--rpc-port", type=int, default=DEFAULT_RPC_PORT, help=f"default {DEFAULT_RPC_PORT}")
    rpc.add_argument("--rpc-external", action="store_true",
                     help="listen on all interfaces; only safe methods unless --rpc-methods unsafe")
    rpc.add_argument("--unsafe-rpc-external", action="store_true", help="listen on all interfaces")
    rpc.add_argument("--rpc-cors", action="append", metavar="all|ORIGINS",
                     help="'all' or comma-separated origins (default: localhost and polkadot.js.org; all with --dev)")
    rpc.add_argument("--rpc-methods", type=str.lower, choices=("auto", "safe", "unsafe"), default="auto",
                     help="auto: unsafe methods only on localhost (default)")
    rpc.add_argument("--rpc-max-connections", type=int, default=DEFAULT_MAX_CONNECTIONS)
    rpc.add_argument("--rpc-max-request-size", type=int, default=DEFAULT_MAX_PAYLOAD_MB, metavar="MB")
    rpc.add_argument("--rpc-max-response-size", type=int, default=DEFAULT_MAX_PAYLOAD_MB, metavar="MB")
    rpc.add_argument("--rpc-max-subscriptions-per-connection", type=int, default=DEFAULT_MAX_SUBSCRIPTIONS)
    rpc.add_argument("--rpc-rate-limit", type=int, metavar="CALLS",
                     help="calls per minute per WebSocket connection; calls over it wait (default: unlimited)")
    rpc.add_argument("--rpc-message-buffer-capacity-per-connection", type=int, metavar="N",
                     default=DEFAULT_MAX_BUFFER_CAPACITY,
                     help="unsent messages a connection may hold before its requests stop being read "
                          f"(default {DEFAULT_MAX_BUFFER_CAPACITY})")
    rpc.add_argument("--experimental-rpc-endpoint", action="append", metavar="listen-addr=HOST:PORT,…",
                     help="an RPC endpoint (repeatable; replaces the --rpc-port endpoint); keys: methods, cors, "
                          "max-connections, max-payload-in-mb, max-payload-out-mb, max-subscriptions-per-connection, "
                          "max-batch-request-len, disable-batch-requests, rate-limit, "
                          "max-buffer-capacity-per-connection")

    node = p.add_argument_group("block production")
    node.add_argument("--sealing", metavar="instant|manual|MS",
                      help="block per transaction, on request, or every MS milliseconds "
                           "(default: 250 on development chains, 12000 otherwise)")
    node.add_argument("--finality-lag", type=int, default=None, metavar="N",
                      help="finalize blocks N behind the best (default: 1 with timed blocks, as GRANDPA "
                           "follows a dev node's best block; 0 with instant or manual sealing)")

    pool = p.add_argument_group("transaction pool")
    pool.add_argument("--pool-limit", type=int, default=8192, metavar="COUNT",
                      help="maximum number of transactions in the pool (default 8192; futures get a tenth)")
    pool.add_argument("--pool-kbytes", type=int, default=20480, metavar="COUNT",
                      help="maximum kilobytes of all transactions in the pool (default 20480)")
    pool.add_argument("--tx-ban-seconds", type=int, default=None, metavar="SECONDS",
                      help="how long an invalid transaction is banned (default 1800; 0 with --dev)")
    pool.add_argument("--pool-validation-workers", type=int, default=None, metavar="COUNT",
                      help="processes validating the pool's transactions on another core: 1 (the default "
                           "with two CPUs or more) or 0 (validate in the node's process)")
    dev = p.add_argument_group("dev chain helpers (with --dev; documented in the README)")
    dev.add_argument("--dev-preset", choices=sorted(SEED_PRESETS),
                     help="seed a fresh chain at start with subnets, validators and miners (real extrinsics "
                          "from //Alice, //Bob, //Charlie): " + "; ".join(
                              f"{name}: {p.subnets} subnet(s), {p.validators} validator(s), {p.miners} miner(s)"
                              for name, p in sorted(SEED_PRESETS.items())))
    dev.add_argument("--dev-subnets", type=int, metavar="N", help="subnets to seed (overrides the preset's)")
    dev.add_argument("--dev-validators", type=int, metavar="N", help="validators per seeded subnet")
    dev.add_argument("--dev-miners", type=int, metavar="N", help="miners per seeded subnet")
    dev.add_argument("--dev-stake", type=int, metavar="TAO", help="TAO //Bob stakes to each validator (default 1000)")
    dev.add_argument("--dev-blocks", type=int, metavar="N", default=0,
                     help="produce N blocks at once at start, after any seeding (as dev_newBlock)")
    dev.add_argument("--dev-clock", choices=("wall", "frozen"), default="wall",
                     help="wall: a block's time is the node's clock, at least a slot after its parent (default); "
                          "frozen: the clock stands still between blocks, so each block is exactly one slot "
                          "after its parent however long the caller takes (reproducible timestamps for tests; "
                          "dev_newBlock and dev_timeTravel move it as usual); only with --sealing manual or instant")

    obs = p.add_argument_group("logs and metrics")
    obs.add_argument("-l", "--log", action="append", metavar="TARGET=LEVEL,…",
                     help="log directives, e.g. -l txpool=debug,runtime=trace")
    obs.add_argument("--detailed-log-output", action="store_true", help="log level, thread and target")
    obs.add_argument("--prometheus-port", type=int, default=DEFAULT_PROMETHEUS_PORT,
                     help=f"default {DEFAULT_PROMETHEUS_PORT}")
    obs.add_argument("--prometheus-external", action="store_true", help="serve metrics on all interfaces")
    obs.add_argument("--no-prometheus", action="store_true", help="do not serve metrics")

    net = p.add_argument_group("networking (accepted for compatibility, ignored: no peer-to-peer layer)")
    for flag in _IGNORED_SWITCHES:
        net.add_argument(flag, nargs=0, action=_IgnoredFlag, help=argparse.SUPPRESS)
    for flag in _IGNORED_VALUES:
        net.add_argument(flag, action=_IgnoredFlag, help=argparse.SUPPRESS)
    net.add_argument("--bootnodes", nargs="*", action=_IgnoredFlag, help=argparse.SUPPRESS)
    p.set_defaults(ignored_flags=None, dev_key=None)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pysubtensor", description="A Bittensor (subtensor) chain node in Python.")
    _add_run_args(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("build-spec", help="print a chain spec JSON (plain or --raw)")
    p.add_argument("--chain", help="dev, local or a chain spec file (default: dev)")
    p.add_argument("--dev", action="store_true", help="the dev chain (Substrate's shared flag: --chain dev)")
    p.add_argument("--raw", action="store_true", help="genesis as raw storage")
    p.add_argument("--disable-default-bootnode", action="store_true",
                   help="do not add this node as a boot node when the spec has none")
    p.set_defaults(handler=_build_spec)

    p = sub.add_parser("export-genesis-head",
                       help="print the SCALE-encoded genesis header of a raw chain spec as 0x-hex")
    p.add_argument("--chain", required=True, help="path to a raw chain spec JSON")
    p.add_argument("output", nargs="?", help="write to this file instead of stdout")
    p.set_defaults(handler=_export_genesis_head)

    p = sub.add_parser("purge-chain", help="remove a chain's database")
    p.add_argument("--chain", help="dev, local or a chain spec file (default: local; dev with --dev)")
    p.add_argument("--dev", action="store_true", help="the dev chain")
    p.add_argument("-d", "--base-path", help="base path (default: ~/.local/share/pysubtensor)")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=_purge_chain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            return run_node(config_from_args(args))
        return int(handler(args))
    except (CliError, ConfigError, ChainSpecError, ChainDbError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
