"""The command line: Substrate's flags and their semantics (`--dev` and friends, RPC exposure,
sealing), one-line errors with exit status 1, build-spec / purge-chain / export-genesis-head,
the node start-up (chain database with the genesis, Substrate-shaped log lines), and the
logging and metrics helpers."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pysubtensor.node import cli
from pysubtensor.node.cli import (
    CliError,
    build_parser,
    chain_genesis,
    check_ports_free,
    main,
)
from pysubtensor.node.config import (
    DEFAULT_CORS,
    ConfigError,
    NodeConfig,
    RpcEndpoint,
    RpcMethods,
    Sealing,
    SealingMode,
    config_from_args,
    parse_rpc_endpoint,
    resolve_chain,
)
from pysubtensor.node.db import ChainDB
from pysubtensor.node.db.paths import database_path
from pysubtensor.node.log import (
    LogDirective,
    SubstrateFormatter,
    idle_line,
    imported_line,
    local_peer_id,
    parse_log_directives,
    prepared_block_line,
    reorg_line,
    setup_logging,
    short_hash,
    transfer_rate,
)
from pysubtensor.node.metrics import CONTENT_TYPE, NodeMetrics, Registry, metrics_app
from pysubtensor.primitives.hashing import blake2_256
from tests.conftest import vectors_dir

REPO = Path(__file__).resolve().parents[2]
CHAINSPECS = vectors_dir() / "chainspecs"
NODE_TEMPLATE = CHAINSPECS / "substrate-node-template-local-raw.json"
NODE_TEMPLATE_HASH = "6bf30d04495c16ef053de4ac74eac35dfd6473e4907810f450bea1b976ac518f"
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


def config(*argv: str) -> NodeConfig:
    return config_from_args(build_parser().parse_args(list(argv)))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


# -- options and their semantics -------------------------------------------------------------


def test_dev_means_what_substrate_means(tmp_path: Path) -> None:
    c = config("--dev")
    assert c.dev and c.chain.arg == "dev" and c.chain.id == "bittensor" and c.chain.is_dev
    assert c.tmp and c.base_path is None
    assert c.dev_key == "Alice" and c.name == "Alice" and c.is_authority and c.force_authoring
    (ep,) = c.rpc
    assert (ep.host, ep.port, ep.cors, ep.methods) == ("127.0.0.1", 9944, None, RpcMethods.AUTO)
    assert ep.allow_unsafe  # auto + localhost
    assert (ep.max_connections, ep.max_request_size, ep.max_response_size) == (100, 15 << 20, 15 << 20)
    assert ep.max_subscriptions_per_connection == 1024
    assert c.sealing == Sealing(SealingMode.INTERVAL, 250)
    assert c.finality_lag == 1  # timed blocks: GRANDPA's lag
    assert c.prometheus is not None and c.prometheus.address == "127.0.0.1:9615"
    # An explicit base path keeps the chain (Substrate: --dev only implies --tmp without one).
    c = config("--dev", "--base-path", str(tmp_path), "--name", "mine", "--bob")
    assert not c.tmp and c.base_path == tmp_path and c.name == "mine" and c.dev_key == "Bob"
    assert c.database_path() == tmp_path / "chains" / "bittensor" / "db" / "full"


def test_defaults_without_dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    c = config()
    assert c.chain.arg == "local" and not c.tmp and c.base_path == tmp_path / "pysubtensor"
    assert not c.is_authority and c.dev_key is None and not c.force_authoring
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{4}", c.name)
    assert c.rpc[0].cors == DEFAULT_CORS
    c = config("--validator", "--chain", str(NODE_TEMPLATE), "--tmp")
    assert c.is_authority and c.chain.id == "local_testnet" and c.chain.chain_type == "Local"
    assert c.sealing == Sealing(SealingMode.INTERVAL, 12_000)  # not a Development chain


def test_rpc_exposure() -> None:
    ep = config("--rpc-external", "--tmp").rpc[0]
    assert ep.host == "0.0.0.0" and not ep.allow_unsafe  # auto on a public address: safe only
    ep = config("--unsafe-rpc-external", "--tmp").rpc[0]
    assert ep.host == "0.0.0.0" and not ep.allow_unsafe  # as Substrate: auto still means safe
    ep = config("--dev", "--unsafe-rpc-external", "--rpc-methods", "Unsafe").rpc[0]
    assert ep.host == "0.0.0.0" and ep.allow_unsafe
    ep = config("--dev", "--rpc-external", "--rpc-methods", "unsafe").rpc[0]
    assert ep.allow_unsafe
    ep = config("--dev", "--rpc-methods", "safe").rpc[0]
    assert ep.host == "127.0.0.1" and not ep.allow_unsafe
    c = config("--dev", "--rpc-port", "9000", "--rpc-max-connections", "7", "--rpc-max-request-size", "2",
               "--rpc-max-response-size", "3", "--rpc-max-subscriptions-per-connection", "9")
    ep = c.rpc[0]
    assert (ep.port, ep.max_connections, ep.max_request_size, ep.max_response_size) == (9000, 7, 2 << 20, 3 << 20)
    assert ep.max_subscriptions_per_connection == 9


def test_rpc_cors() -> None:
    assert config("--tmp", "--rpc-cors", "all").rpc[0].cors is None
    assert config("--tmp", "--rpc-cors", "*").rpc[0].cors is None
    assert config("--tmp", "--rpc-cors", "http://a.io, https://b.org:8080").rpc[0].cors == (
        "http://a.io", "https://b.org:8080")
    assert config("--dev", "--rpc-cors", "null").rpc[0].cors == ("null",)


def test_sealing_and_finality_lag() -> None:
    assert config("--dev", "--sealing", "instant").sealing == Sealing(SealingMode.INSTANT)
    assert config("--dev", "--sealing", "Manual").sealing == Sealing(SealingMode.MANUAL)
    assert config("--dev", "--sealing", "1000").sealing == Sealing(SealingMode.INTERVAL, 1000)
    assert str(config("--dev", "--sealing", "6000").sealing) == "6000 ms"
    assert config("--dev", "--finality-lag", "3").finality_lag == 3
    assert config("--dev", "--sealing", "instant").finality_lag == 0
    assert config("--dev", "--sealing", "manual").finality_lag == 0
    assert config("--dev", "--sealing", "instant", "--finality-lag", "2").finality_lag == 2


def test_second_rpc_endpoint() -> None:
    c = config("--dev", "--experimental-rpc-endpoint", "127.0.0.1:9944",
               "--experimental-rpc-endpoint", "listen-addr=0.0.0.0:9955,methods=safe,cors=all,max-connections=5,"
                                              "max-payload-in-mb=1,disable-batch-requests")
    first, second = c.rpc
    assert (first.host, first.port, first.allow_unsafe, first.cors) == ("127.0.0.1", 9944, True, None)
    assert (second.host, second.port, second.methods, second.max_connections) == ("0.0.0.0", 9955,
                                                                                   RpcMethods.SAFE, 5)
    assert second.max_request_size == 1 << 20 and second.max_batch_len == 0 and not second.allow_unsafe
    v6 = parse_rpc_endpoint("listen-addr=[::1]:9946", RpcEndpoint())
    assert v6.host == "::1" and v6.is_loopback and v6.address == "[::1]:9946"
    for bad in ("listen-addr=nowhere", "methods=safe", "listen-addr=127.0.0.1:1,colour=red", "x:1",
                "listen-addr=127.0.0.1:70000", "listen-addr=127.0.0.1:1,max-connections=lots"):
        with pytest.raises(ConfigError):
            parse_rpc_endpoint(bad, RpcEndpoint())


def test_rate_limit_and_buffer_capacity_options() -> None:
    first, second = config("--dev", "--experimental-rpc-endpoint", "listen-addr=127.0.0.1:9944,rate-limit=10,"
                                    "max-buffer-capacity-per-connection=32",
                           "--experimental-rpc-endpoint", "127.0.0.1:9945").rpc
    assert (first.rate_limit, first.max_buffer_capacity) == (10, 32)
    assert (second.rate_limit, second.max_buffer_capacity) == (None, 64)
    (default,) = config("--dev", "--rpc-rate-limit", "5", "--rpc-message-buffer-capacity-per-connection", "8").rpc
    assert (default.rate_limit, default.max_buffer_capacity) == (5, 8)
    assert config("--dev").rpc[0].rate_limit is None
    for bad in ("rate-limit=0", "rate-limit=many", "max-buffer-capacity-per-connection=0"):
        with pytest.raises(ConfigError):
            parse_rpc_endpoint(f"listen-addr=127.0.0.1:1,{bad}", RpcEndpoint())
    # Substrate's keys this node does not implement are refused, each saying so.
    for key in ("optional", "retry-random-port", "rate-limit-whitelisted-ips=10.0.0.0/8",
                "rate-limit-trust-proxy-headers"):
        with pytest.raises(ConfigError, match=f"{key.split('=')[0]} is not supported by this node"):
            parse_rpc_endpoint(f"listen-addr=127.0.0.1:1,{key}", RpcEndpoint())
    with pytest.raises(ConfigError, match="--rpc-rate-limit"):
        config("--dev", "--rpc-rate-limit", "0")


def test_log_and_ignored_networking_flags() -> None:
    c = config("--dev", "-l", "txpool=debug", "--log", "runtime=trace,info")
    assert c.log_directives == (LogDirective("txpool", logging.DEBUG), LogDirective("runtime", 5),
                                LogDirective(None, logging.INFO))
    assert c.detailed_log_output  # debug/trace directives switch to the detailed layout, as Substrate
    assert not config("--dev", "-l", "info").detailed_log_output
    c = config("--dev", "--port", "30334", "--no-mdns", "--bootnodes", "/ip4/1.2.3.4/tcp/1/p2p/x", "--validator",
               "--allow-private-ipv4", "--unsafe-force-node-key-generation")
    assert c.ignored_flags == ("--port", "--no-mdns", "--bootnodes", "--allow-private-ipv4",
                               "--unsafe-force-node-key-generation")


BAD_RUNS = {
    "unknown chain": (["--chain", "foo"], "unknown chain 'foo'"),
    "missing spec file": (["--chain", "/nonexistent/spec.json"], "cannot read chain spec"),
    "bad port": (["--dev", "--rpc-port", "70000"], "invalid --rpc-port 70000"),
    "not a number": (["--dev", "--rpc-port", "abc"], "invalid int value: 'abc'"),
    "bad prometheus port": (["--dev", "--prometheus-port", "-1"], "--prometheus-port"),
    "tmp and base path": (["--tmp", "--base-path", "/tmp/x"], "--tmp and --base-path cannot be used together"),
    "base path is a file": (["--base-path", "{file}"], "exists and is not a directory"),
    "base path under a file": (["--base-path", "{file}/sub"], "cannot be created"),
    "bad sealing": (["--dev", "--sealing", "fast"], "invalid --sealing 'fast'"),
    "zero sealing": (["--dev", "--sealing", "0"], "invalid --sealing '0'"),
    "bad log level": (["--dev", "-l", "txpool=loud"], "invalid log level 'loud'"),
    "two dev keys": (["--alice", "--bob"], "not allowed with argument --alice"),
    "unknown flag": (["--dev", "--warp-speed"], "unrecognized arguments: --warp-speed"),
    "rpc-external on a validator": (["--dev", "--rpc-external"], "shouldn't be used if the node is running as a validator"),
    "metrics on the rpc port": (["--dev", "--prometheus-port", "9944"], "also an RPC port"),
    "dotted name": (["--dev", "--name", "a.b"], "must not contain dots"),
    "negative lag": (["--dev", "--finality-lag", "-2"], "--finality-lag -2"),
    "bad cors": (["--dev", "--rpc-cors", "localhost"], "invalid --rpc-cors origin"),
    "zero connections": (["--dev", "--rpc-max-connections", "0"], "at least 1"),
    "bad rpc-methods": (["--dev", "--rpc-methods", "all"], "invalid choice"),
    "spec with a bad id": (["--chain", "{badid}"], "cannot name a data directory"),
    "runtime of another chain": (["--tmp", "--chain", str(NODE_TEMPLATE)], "its runtime is 'node-template'"),
    "build-spec of an unknown chain": (["build-spec", "--chain", "nope"], "unknown chain 'nope'"),
    "build-spec of two chains": (["build-spec", "--dev", "--chain", "local"], "--dev and --chain local"),
    "export-genesis-head of a non-raw spec": (["export-genesis-head", "--chain", "{plain}"], "needs a raw chain spec"),
}


@pytest.mark.parametrize(("argv", "message"), BAD_RUNS.values(), ids=BAD_RUNS.keys())
def test_bad_input_gives_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             argv: list[str], message: str) -> None:
    (tmp_path / "file").write_text("x")
    spec = json.loads(NODE_TEMPLATE.read_text())
    (tmp_path / "badid.json").write_text(json.dumps({**spec, "id": "../../etc"}))
    (tmp_path / "plain.json").write_text(json.dumps({"name": "p", "id": "p", "genesis": {"runtimeGenesis": {}}}))
    subst = {"{file}": str(tmp_path / "file"), "{badid}": str(tmp_path / "badid.json"),
             "{plain}": str(tmp_path / "plain.json")}
    argv = [next((a.replace(k, v) for k, v in subst.items() if k in a), a) for a in argv]
    rc, _, err = run(capsys, *argv)
    assert rc == 1
    assert err.count("\n") == 1 and err.startswith("Error: ") and "Traceback" not in err, err
    assert message in err


def test_help_lists_the_substrate_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--dev", "--chain", "--base-path", "--tmp", "--name", "--rpc-port", "--rpc-external",
                 "--unsafe-rpc-external", "--rpc-cors", "--rpc-methods", "--rpc-max-connections", "--sealing",
                 "--finality-lag", "--prometheus-port", "--no-prometheus", "--experimental-rpc-endpoint",
                 "--alice", "--log", "build-spec", "export-genesis-head", "purge-chain"):
        assert flag in out


# -- the node start-up -----------------------------------------------------------------------------


def start(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the node until its service is up (the authoring line), then stop it with SIGTERM;
    a node that fails to start just exits. Returns its exit status and output."""
    args = [sys.executable, "-m", "pysubtensor", *argv]
    proc = subprocess.Popen(args, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        assert proc.stderr is not None
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if "👤 Authoring with" in line or "👤 No authority key" in line:
                proc.send_signal(signal.SIGTERM)
                break
        out, err = proc.communicate()
    finally:
        killer.cancel()
    return subprocess.CompletedProcess(args, proc.returncode, out, "".join(lines) + err)


def test_dev_starts_and_exits_cleanly() -> None:
    result = start("--dev", "--rpc-port", "0", "--no-prometheus", "--sealing", "manual")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for expected in ("pysubtensor Node", "📋 Chain specification: Bittensor", "🏷  Node name: Alice",
                     "👤 Role: AUTHORITY", "🔨 Initializing Genesis block/state (state: 0x",
                     "🏷  Local node identity is: 12D3KooW"):
        assert any(re.match(f"{STAMP} {re.escape(expected)}", line) for line in lines), expected
    db_line = next(line for line in lines if "Database: LevelDb at" in line)
    db_dir = Path(db_line.split(" at ", 1)[1])
    assert db_dir.parts[-4:] == ("chains", "bittensor", "db", "full")
    assert not db_dir.parents[3].exists(), "the --tmp base path was not removed"


def test_restart_keeps_the_chain_and_its_genesis(tmp_path: Path) -> None:
    first = start("--dev", "--base-path", str(tmp_path), "--rpc-port", "0", "--no-prometheus", "--sealing", "manual")
    assert "Initializing Genesis" in first.stderr, first.stderr
    genesis = chain_genesis(resolve_chain("dev"))
    with ChainDB.open(database_path(tmp_path, "bittensor")) as chain:
        assert chain.genesis_hash == genesis.header.hash and chain.best_number == 0
    second = start("--dev", "--base-path", str(tmp_path), "--rpc-port", "0", "--no-prometheus", "--sealing",
                   "manual")
    assert "Initializing Genesis" not in second.stderr and "📦 Highest known block at #0" in second.stderr


def test_port_in_use_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        rc, _, err = run(capsys, "--dev", "--rpc-port", str(port), "--no-prometheus")
    assert rc == 1 and err.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--rpc-port" in err


def test_check_ports_free() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(CliError, match="--prometheus-port"):
            check_ports_free(config("--dev", "--rpc-port", "0", "--prometheus-port", str(port)))
    check_ports_free(config("--dev", "--rpc-port", "0", "--prometheus-port", "0"))


def test_corrupt_database_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db_dir = database_path(tmp_path, "bittensor")
    db_dir.mkdir(parents=True)
    (db_dir / "000005.ldb").write_bytes(b"garbage")  # data files but no CURRENT
    monkeypatch.setattr(cli, "chain_genesis_storage", lambda choice: (_fake_genesis().raw, 1))
    rc, _, err = run(capsys, "--dev", "--base-path", str(tmp_path), "--rpc-port", "0", "--no-prometheus")
    last = err.splitlines()[-1]
    assert rc == 1 and "Traceback" not in err, err
    assert last.startswith("Error: ") and "CURRENT file is missing" in last and err.count("Error") == 1


def _fake_genesis() -> cli.ChainGenesis:
    from pysubtensor.node.chain_spec import RawGenesis
    from pysubtensor.node.genesis import genesis_header

    raw = RawGenesis({b"a": b"1"})
    return cli.ChainGenesis(raw, 1, genesis_header(raw, 1))


def test_run_node_with_a_fake_genesis_uses_the_base_path_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "chain_genesis_storage", lambda choice: (_fake_genesis().raw, 1))
    monkeypatch.setattr(cli, "run_service", lambda config, chain_db: 0)  # the service has its own tests
    rc, _, err = run(capsys, "--chain", "local", "--base-path", str(tmp_path), "--rpc-port", "0", "--no-prometheus",
                     "--name", "n1")
    assert rc == 0
    assert f"💾 Database: LevelDb at {tmp_path}/chains/bittensor/db/full" in err
    assert "👤 Role: FULL" in err and "🏷  Node name: n1" in err
    with ChainDB.open(database_path(tmp_path, "bittensor")) as chain:
        assert chain.genesis_hash == _fake_genesis().header.hash


def test_an_authority_says_it_authors_without_peers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "chain_genesis_storage", lambda choice: (_fake_genesis().raw, 1))
    monkeypatch.setattr(cli, "run_service", lambda config, chain_db: 0)
    line = "Authoring without peers, as --force-authoring would"
    common = ("--chain", "local", "--rpc-port", "0", "--no-prometheus", "--tmp")
    assert config("--chain", "local", "--alice", "--force-authoring").force_authoring
    rc, _, err = run(capsys, *common, "--alice")
    assert rc == 0 and line in err
    for extra in (("--alice", "--force-authoring"), ()):  # asked for it, or not an authority
        rc, _, err = run(capsys, *common, *extra)
        assert rc == 0 and line not in err


def test_sigterm_stops_the_node_and_removes_the_tmp_base_path(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[Path] = []

    def service(config: NodeConfig, chain_db: ChainDB) -> int:
        seen.append(Path(chain_db.db.name))
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("SIGTERM did not stop the node")

    monkeypatch.setattr(cli, "chain_genesis_storage", lambda choice: (_fake_genesis().raw, 1))
    monkeypatch.setattr(cli, "run_service", service)
    before = signal.getsignal(signal.SIGTERM)
    rc, _, _ = run(capsys, "--dev", "--rpc-port", "0", "--no-prometheus")
    assert rc == 130 and seen and seen[0].parts[-4:] == ("chains", "bittensor", "db", "full")
    assert not seen[0].parents[3].exists()
    assert signal.getsignal(signal.SIGTERM) == before


# -- subcommands -------------------------------------------------------------------------------------


def test_build_spec_of_a_raw_spec_keeps_its_genesis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "build-spec", "--chain", str(NODE_TEMPLATE), "--raw", "--disable-default-bootnode")
    assert rc == 0
    doc = json.loads(out)
    original = json.loads(NODE_TEMPLATE.read_text())
    assert list(doc)[:7] == ["name", "id", "chainType", "bootNodes", "telemetryEndpoints", "protocolId", "properties"]
    assert (doc["name"], doc["id"], doc["chainType"]) == (original["name"], original["id"], original["chainType"])
    (tmp_path / "again.json").write_text(out)
    rc, head, _ = run(capsys, "export-genesis-head", "--chain", str(tmp_path / "again.json"))
    assert rc == 0 and blake2_256(bytes.fromhex(head.strip()[2:])).hex() == NODE_TEMPLATE_HASH


def test_build_spec_dev_round_trips_to_the_same_genesis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = chain_genesis(resolve_chain("dev")).header.hash
    rc, out, _ = run(capsys, "build-spec", "--chain", "dev")
    assert rc == 0
    doc = json.loads(out)
    assert (doc["name"], doc["id"], doc["chainType"]) == ("Bittensor", "bittensor", "Development")
    assert doc["properties"] == {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"}
    assert "patch" in doc["genesis"]["runtimeGenesis"]
    assert re.fullmatch(r"/ip4/127\.0\.0\.1/tcp/30333/p2p/12D3KooW\w+", doc["bootNodes"][0])
    plain = tmp_path / "dev.json"
    plain.write_text(out)
    assert chain_genesis(resolve_chain(str(plain))).header.hash == expected
    rc, out, _ = run(capsys, "build-spec", "--chain", str(plain), "--raw")
    assert rc == 0 and "raw" in json.loads(out)["genesis"]
    raw = tmp_path / "raw.json"
    raw.write_text(out)
    assert chain_genesis(resolve_chain(str(raw))).header.hash == expected
    # `build-spec --dev`, as node-subtensor takes Substrate's shared --dev flag.
    rc, out, _ = run(capsys, "build-spec", "--dev", "--raw")
    assert rc == 0 and json.loads(out)["genesis"] == json.loads(raw.read_text())["genesis"]


def test_default_token_wallet_is_funded(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = chain_genesis(resolve_chain("dev"))
    monkeypatch.setenv("BT_DEFAULT_TOKEN_WALLET", "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV")
    funded = chain_genesis(resolve_chain("dev"))
    assert funded.header.hash != plain.header.hash
    assert len(funded.raw.top) > len(plain.raw.top)


def test_purge_chain(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    db_dir = database_path(tmp_path, "bittensor")
    with ChainDB.open(db_dir) as chain:
        chain.init_genesis(_fake_genesis().header, {b"a": b"1"})
        rc, _, err = run(capsys, "purge-chain", "--dev", "--base-path", str(tmp_path), "-y")
        assert rc == 1 and "in use by a running node" in err  # the open database is locked
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    rc, out, _ = run(capsys, "purge-chain", "--chain", "dev", "--base-path", str(tmp_path))
    assert rc == 0 and out.strip() == "Aborted" and db_dir.exists()
    rc, out, _ = run(capsys, "purge-chain", "--chain", "dev", "--base-path", str(tmp_path), "-y")
    assert rc == 0 and out.strip() == f'"{db_dir.parent}" removed.' and not db_dir.parent.exists()
    rc, _, err = run(capsys, "purge-chain", "--chain", "dev", "--base-path", str(tmp_path), "-y")
    assert rc == 0 and err.strip() == f'"{db_dir.parent}" did not exist.'


def test_export_genesis_head_still_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "export-genesis-head", "--chain", str(NODE_TEMPLATE))
    assert rc == 0 and blake2_256(bytes.fromhex(out.strip()[2:])).hex() == NODE_TEMPLATE_HASH


# -- logs --------------------------------------------------------------------------------------------


def test_log_lines_have_substrate_shapes() -> None:
    h = bytes.fromhex("ab12" + "00" * 28 + "ef90")
    assert short_hash(h) == "0xab12…ef90"
    assert imported_line(12, h) == "✨ Imported #12 (0xab12…ef90)"
    assert idle_line(12, h, 10, bytes(32)) == \
        "💤 Idle (0 peers), best: #12 (0xab12…ef90), finalized #10 (0x0000…0000), ⬇ 0 ⬆ 0"
    xt = b"\x04\x01"
    assert prepared_block_line(3, 7, h, h, [xt]) == (
        f"🎁 Prepared block for proposing at 3 (7 ms) [hash: 0x{h.hex()}; parent_hash: 0xab12…ef90; "
        f"extrinsics (1): [{short_hash(blake2_256(xt))}]]")
    assert reorg_line(5, h, 6, h, 4, h) == \
        "♻️  Reorg on #5,0xab12…ef90 to #6,0xab12…ef90, common ancestor #4,0xab12…ef90"
    assert [transfer_rate(n) for n in (0, 99, 2048, 3 << 20)] == ["0", "99 B/s", "2.0kiB/s", "3.0MiB/s"]
    peer = local_peer_id(b"bittensor/Alice")
    assert peer.startswith("12D3KooW") and len(peer) == 52 and peer == local_peer_id(b"bittensor/Alice")
    assert peer != local_peer_id(b"bittensor/Bob")


def test_formatter_and_directives() -> None:
    record = logging.LogRecord("substrate", logging.INFO, __file__, 1, "✨ Imported #%d", (1,), None)
    assert re.fullmatch(f"{STAMP} ✨ Imported #1", SubstrateFormatter().format(record))
    detailed = SubstrateFormatter(detailed=True).format(record)
    assert re.fullmatch(rf"{STAMP}\.\d{{3}}  INFO MainThread substrate: ✨ Imported #1", detailed)
    assert parse_log_directives(["debug"]) == (LogDirective(None, logging.DEBUG),)
    assert parse_log_directives(["sync"]) == (LogDirective("sync", 5),)  # a bare target: all levels
    with pytest.raises(ValueError, match="empty target"):
        parse_log_directives(["=debug"])


def test_setup_logging_applies_directives() -> None:
    import io

    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.level, list(root.handlers), logging.getLogger("txpool").level
    try:
        setup_logging(parse_log_directives(["txpool=debug"]), stream=stream)
        logging.getLogger("txpool").debug("queued %d", 1)
        logging.getLogger("runtime").debug("hidden")
        logging.getLogger("substrate").info("shown")
        text = stream.getvalue()
        assert "txpool: queued 1" in text and "hidden" not in text and "substrate: shown" in text
        assert " DEBUG " in text  # detailed layout because of the debug directive
    finally:
        for handler in [h for h in root.handlers if h not in saved[1]]:
            root.removeHandler(handler)
        root.setLevel(saved[0])
        logging.getLogger("txpool").setLevel(saved[2])


# -- metrics -----------------------------------------------------------------------------------------


def test_metrics_text_format() -> None:
    registry = Registry({"chain": "bittensor"})
    metrics = NodeMetrics(registry, node_name="Alice", version="0.1.0", is_authority=True)
    metrics.note_best(12)
    metrics.note_finalized(10)
    metrics.note_pool(3, 1)
    metrics.note_rpc_call("chain_getHeader")
    metrics.note_rpc_call("chain_getHeader")
    metrics.note_rpc_call('weird"name', failed=True)
    text = registry.render()
    assert text.endswith("\n")
    lines = text.splitlines()
    for expected in (
        "# HELP substrate_block_height Block height info of the chain",
        "# TYPE substrate_block_height gauge",
        'substrate_block_height{chain="bittensor",status="best"} 12',
        'substrate_block_height{chain="bittensor",status="finalized"} 10',
        'substrate_ready_transactions_number{chain="bittensor"} 3',
        "# TYPE substrate_rpc_calls_total counter",
        'substrate_rpc_calls_total{chain="bittensor",method="chain_getHeader"} 2',
        'substrate_rpc_calls_failed_total{chain="bittensor",method="weird\\"name"} 1',
        'substrate_node_roles{chain="bittensor"} 4',
        'substrate_build_info{chain="bittensor",name="Alice",version="0.1.0"} 1',
    ):
        assert expected in lines, expected
    # Every sample line parses as `name{labels} value`.
    sample = re.compile(r'^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? -?[0-9.e+]+$')
    assert all(sample.match(line) for line in lines if not line.startswith("#"))
    with pytest.raises(ValueError):
        metrics.block_height.set(1)  # missing the status label
    with pytest.raises(ValueError):
        metrics.rpc_calls.inc(-1, method="x")


def test_metrics_endpoint() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    registry = Registry({"chain": "dev"})
    NodeMetrics(registry, node_name="n", version="v", is_authority=False).note_best(5)

    async def scenario() -> None:
        async with TestClient(TestServer(metrics_app(registry))) as client:
            resp = await client.get("/metrics")
            assert resp.status == 200 and resp.headers["Content-Type"] == CONTENT_TYPE
            assert 'substrate_block_height{chain="dev",status="best"} 5' in await resp.text()
            assert (await client.get("/other")).status == 404

    asyncio.run(scenario())


def test_a_raw_spec_is_let_go_once_its_genesis_is_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    rc, spec_json, _ = run(capsys, "build-spec", "--chain", "dev", "--raw")
    assert rc == 0
    spec_path = tmp_path / "raw.json"
    spec_path.write_text(spec_json)
    seen = []

    def service(config, chain_db):
        seen.append((config.chain.spec.raw, config.chain.spec.released, chain_db.genesis_hash))
        return 0

    monkeypatch.setattr(cli, "run_service", service)
    for _ in range(2):  # a new database, then a restart on it
        rc, _, err = run(capsys, "--chain", str(spec_path), "--base-path", str(tmp_path / "base"), "--rpc-port", "0",
                         "--no-prometheus")
        assert rc == 0, err
    expected = cli.chain_genesis(cli.resolve_chain(str(spec_path))).header.hash
    assert seen == [(None, True, expected), (None, True, expected)]


# -- dev chain helpers: --dev-preset, --dev-subnets …, --dev-blocks ------------------------------


def test_dev_preset_flags_make_a_seed_plan() -> None:
    from pysubtensor.node.dev import PRESETS, SeedPlan

    assert config("--dev").seed is None and config("--dev").start_blocks == 0
    assert config("--dev", "--dev-preset", "subnets").seed == PRESETS["subnets"] == SeedPlan(3, 2, 4)
    # a count alone starts from the one-subnet preset
    assert config("--dev", "--dev-validators", "3").seed == SeedPlan(1, 3, 2)
    assert config("--dev", "--dev-preset", "subnets", "--dev-miners", "0", "--dev-stake", "5").seed == \
        SeedPlan(3, 2, 0, stake_tao=5)
    assert config("--dev", "--dev-blocks", "10000").start_blocks == 10_000
    assert not config("--dev").frozen_clock
    assert config("--dev", "--sealing", "manual", "--dev-clock", "frozen").frozen_clock
    assert config("--dev", "--sealing", "instant", "--dev-clock", "frozen").frozen_clock


@pytest.mark.parametrize(("argv", "says"), [
    (["--dev-preset", "subnets"], "--dev-preset needs a development chain"),
    (["--chain", "local", "--dev-subnets", "2"], "--dev-subnets needs a development chain"),
    (["--chain", "dev", "--dev-blocks", "5"], "--dev-blocks needs a development chain this node authors"),
    (["--dev", "--dev-subnets", "0"], "subnets must be 1 to 32"),
    (["--dev", "--dev-subnets", "33"], "subnets must be 1 to 32"),
    (["--dev", "--dev-validators", "-1"], "validators and miners"),
    (["--dev", "--dev-miners", "65"], "validators and miners"),
    (["--dev", "--dev-stake", "0"], "stake must be 1 to 10,000 TAO"),
    (["--dev", "--dev-blocks", "-1"], "invalid --dev-blocks -1"),
    (["--dev", "--dev-blocks", "10001"], "invalid --dev-blocks 10001"),
    (["--dev", "--dev-clock", "frozen"], "--dev-clock frozen needs --sealing manual or instant"),
    (["--dev", "--sealing", "500", "--dev-clock", "frozen"], "--dev-clock frozen needs --sealing manual or instant"),
])
def test_dev_helper_flags_refuse_bad_values(argv: list[str], says: str) -> None:
    # through config_from_args, not main: were a bad value accepted, main would run the node
    with pytest.raises(ConfigError) as refused:
        config(*argv, "--tmp", "--rpc-port", "0", "--no-prometheus")
    assert says in str(refused.value), refused.value


def test_a_refused_dev_flag_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dev", "--dev-subnets", "0"]) == 1
    err = capsys.readouterr().err
    assert err == "Error: --dev-preset: subnets must be 1 to 32, got 0\n", err


def test_unknown_dev_preset_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dev", "--dev-preset", "huge"]) == 1
    assert "invalid choice: 'huge'" in capsys.readouterr().err


def test_dev_helper_flags_need_a_development_chain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build-spec", "--chain", "dev"]) == 0
    spec = json.loads(capsys.readouterr().out)
    spec["chainType"] = "Live"
    path = tmp_path / "live.json"
    path.write_text(json.dumps(spec))
    assert config("--chain", str(path), "--alice").role.name == "AUTHORITY"
    for flag in (["--dev-preset", "subnet"], ["--dev-blocks", "3"]):
        with pytest.raises(ConfigError, match=f"{flag[0]} needs a development chain"):
            config("--chain", str(path), "--alice", "--tmp", *flag)
