"""Node metrics in the Prometheus text exposition format (version 0.0.4), as a Substrate node
serves them on `--prometheus-port` (9615): `substrate_`-prefixed names, a constant
`chain="<chain id>"` label on every sample, label pairs sorted by name.

`Registry` holds counters and gauges; `NodeMetrics` declares the node's own set
(`substrate_block_height{status="best|finalized"}`, `substrate_ready_transactions_number`,
`substrate_rpc_calls_total{method}`, …). `metrics_app(registry)` is the aiohttp application
the service mounts (GET /metrics); the service starts and stops its runner.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence

from aiohttp import web

__all__ = [
    "CONTENT_TYPE",
    "Counter",
    "Gauge",
    "NodeMetrics",
    "Registry",
    "metrics_app",
    "metrics_handler",
]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Labels = tuple[str, ...]


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1 << 53:
        return str(int(value))
    return repr(float(value))


class _Metric:
    kind = "untyped"
    __slots__ = ("_values", "help", "label_names", "name")

    def __init__(self, name: str, help: str, label_names: Sequence[str] = ()) -> None:
        self.name = name
        self.help = help
        self.label_names = tuple(label_names)
        self._values: dict[Labels, float] = {}
        if not label_names:
            self._values[()] = 0.0

    def _key(self, labels: Mapping[str, str]) -> Labels:
        if set(labels) != set(self.label_names):
            raise ValueError(f"{self.name}: expected labels {self.label_names}, got {tuple(labels)}")
        return tuple(str(labels[n]) for n in self.label_names)

    def value(self, **labels: str) -> float:
        return self._values.get(self._key(labels), 0.0)

    def samples(self) -> Iterator[tuple[Labels, float]]:
        return iter(sorted(self._values.items()))


class Counter(_Metric):
    """A monotonically increasing count."""

    kind = "counter"
    __slots__ = ()

    def inc(self, amount: float = 1, **labels: str) -> None:
        if amount < 0:
            raise ValueError(f"{self.name}: a counter cannot decrease")
        key = self._key(labels)
        self._values[key] = self._values.get(key, 0.0) + amount


class Gauge(_Metric):
    """A value that goes up and down."""

    kind = "gauge"
    __slots__ = ()

    def set(self, value: float, **labels: str) -> None:
        self._values[self._key(labels)] = value

    def inc(self, amount: float = 1, **labels: str) -> None:
        key = self._key(labels)
        self._values[key] = self._values.get(key, 0.0) + amount

    def dec(self, amount: float = 1, **labels: str) -> None:
        self.inc(-amount, **labels)


class Registry:
    """Metrics by name, rendered with the registry's constant labels."""

    def __init__(self, const_labels: Mapping[str, str] | None = None) -> None:
        self.const_labels = dict(const_labels or {})
        self._metrics: dict[str, _Metric] = {}

    def register(self, metric: _Metric) -> _Metric:
        if metric.name in self._metrics:
            raise ValueError(f"metric {metric.name} is already registered")
        clash = set(metric.label_names) & set(self.const_labels)
        if clash:
            raise ValueError(f"{metric.name}: labels {sorted(clash)} clash with the constant labels")
        self._metrics[metric.name] = metric
        return metric

    def counter(self, name: str, help: str, label_names: Sequence[str] = ()) -> Counter:
        return self.register(Counter(name, help, label_names))  # type: ignore[return-value]

    def gauge(self, name: str, help: str, label_names: Sequence[str] = ()) -> Gauge:
        return self.register(Gauge(name, help, label_names))  # type: ignore[return-value]

    def render(self) -> str:
        """The exposition text of every metric, in name order."""
        lines: list[str] = []
        for name in sorted(self._metrics):
            metric = self._metrics[name]
            lines.append(f"# HELP {name} {_escape_help(metric.help)}")
            lines.append(f"# TYPE {name} {metric.kind}")
            for values, value in metric.samples():
                pairs = sorted([*self.const_labels.items(), *zip(metric.label_names, values, strict=True)])
                labels = ",".join(f'{k}="{_escape_label(v)}"' for k, v in pairs)
                lines.append(f"{name}{{{labels}}} {_number(value)}" if labels else f"{name} {_number(value)}")
        return "\n".join(lines) + "\n"


class NodeMetrics:
    """The metrics the node updates, with Substrate's names."""

    def __init__(self, registry: Registry, *, node_name: str, version: str, is_authority: bool) -> None:
        self.registry = registry
        self.block_height = registry.gauge("substrate_block_height", "Block height info of the chain", ["status"])
        self.ready_transactions = registry.gauge("substrate_ready_transactions_number",
                                                 "Number of transactions in the ready queue")
        self.future_transactions = registry.gauge("substrate_future_transactions_number",
                                                  "Number of transactions waiting in the future queue")
        self.leaves = registry.gauge("substrate_number_leaves", "Number of known chain leaves (aka forks)")
        self.rpc_calls = registry.counter("substrate_rpc_calls_total", "Number of RPC calls, by method",
                                          ["method"])
        self.rpc_errors = registry.counter("substrate_rpc_calls_failed_total",
                                           "Number of RPC calls that returned an error, by method", ["method"])
        self.rpc_sessions_opened = registry.counter("substrate_rpc_sessions_opened",
                                                    "Number of persistent RPC sessions opened")
        self.rpc_sessions_closed = registry.counter("substrate_rpc_sessions_closed",
                                                    "Number of persistent RPC sessions closed")
        registry.gauge("substrate_build_info", "A metric with a constant '1' value labeled by name, version",
                       ["name", "version"]).set(1, name=node_name, version=version)
        # sc-service's role bits: 1 full, 4 authority.
        registry.gauge("substrate_node_roles", "The roles the node is running as").set(4 if is_authority else 1)
        registry.gauge("substrate_process_start_time_seconds",
                       "Number of seconds between the UNIX epoch and the moment the process started"
                       ).set(int(time.time()))

    def note_best(self, number: int) -> None:
        self.block_height.set(number, status="best")

    def note_finalized(self, number: int) -> None:
        self.block_height.set(number, status="finalized")

    def note_pool(self, ready: int, future: int = 0) -> None:
        self.ready_transactions.set(ready)
        self.future_transactions.set(future)

    def note_rpc_call(self, method: str, *, failed: bool = False) -> None:
        self.rpc_calls.inc(method=method)
        if failed:
            self.rpc_errors.inc(method=method)


def metrics_handler(registry: Registry) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp handler serving `registry` in the text format."""
    async def handle(request: web.Request) -> web.Response:
        return web.Response(body=registry.render().encode(), headers={"Content-Type": CONTENT_TYPE})

    return handle


def metrics_app(registry: Registry) -> web.Application:
    """The Prometheus exporter application: GET /metrics (any other path is 404, as Substrate's)."""
    app = web.Application()
    app.router.add_get("/metrics", metrics_handler(registry))
    return app
