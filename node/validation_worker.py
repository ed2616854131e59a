"""The transaction pool's validation on a second core: a worker process that validates
submissions and revalidations with the same runtime, on a replica of the best block's state.

The node's event loop answers RPC and builds blocks; validating a transfer costs it ~0.17 ms
on submission and ~0.085 ms at each revalidation. The worker takes that: it holds the best
block's flat top-level state in a dict (the state at start-up, then each new best block's
storage changes, as the node has them at import) and runs `validate_transaction` on it with
this process's runtime (the worker proves the same `RuntimeVersion` when it starts). LevelDB
(plyvel) admits one process, so the replica is the worker's only view of state.

Exactness. A result names the block it was computed at (the replica's head), and the node
uses it only for that block: `NodeValidator.ahead` stores it under (source, bytes, block)
and the pool's validator call at that same block consumes it; a result for a block that is no
longer the best is dropped, and the node validates in process instead. Anything the worker
cannot decide the way the node would (an exception from the runtime, a replica not at the
asked block) comes back as `FALLBACK`: the node validates in process, so every validity the
pool sees is the one `validate_transaction` on the node's own state returns.

Sync. The node tells the worker each new best block: the storage changes from the block the
worker holds (a block on top of it, or a dev rewind's trie diff), or, when it cannot (a
reorg, a restart), the whole state again. A state with more than `MAX_REPLICA_KEYS` keys or
`MAX_REPLICA_BYTES` bytes is not replicated: the worker is stopped and the pool validates in
process (logged once).

Failure. A worker that dies, or does not answer within `ANSWER_TIMEOUT`, is killed; its
pending validations fall back to the node, a warning is logged and a new worker starts after
`RESTART_DELAY` (at most `MAX_RESTARTS` times). The worker exits when its socket closes (the
node stopped or died) and, on Linux, when the node's process dies (`PR_SET_DEATHSIG`).

Wire: one Unix socket pair; each message a 4-byte big-endian length and a pickle. The node's
side writes through an asyncio transport (never blocks on the pipe) and batches the
submissions of one event-loop turn into one message.

Memory: the fork server. Importing the runtime is most of a worker's memory (~25 MiB of
Python objects: code, classes, dataclass methods, type registries); a worker started as a
fresh `python -m` holds its own copy of all of it. The node's entry point therefore calls
`start_fork_server` first thing, with only the runtime imported: the `gc.freeze`d image is
forked into a small fork server (a zygote) before aiohttp, the RPC and service modules, the
database and the chain exist; each worker (the first and every restart) is forked from it.
Pages neither process writes after the fork stay shared copy-on-write by the node, the fork
server and the worker, and a memory cgroup counts them once. The fork server dies with the
node (`PR_SET_PDEATHSIG`, or its control socket closing), reaps the workers it forked and
reports their exit codes. Without one (a node run in-process by tests, a fork server that
died) a worker is started as a fresh `python -m`, as before.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "ANSWER_TIMEOUT",
    "FALLBACK",
    "MAX_BACKLOG",
    "MAX_REPLICA_BYTES",
    "MAX_REPLICA_KEYS",
    "USABLE_DEPTH",
    "ForkServer",
    "Replica",
    "ValidationWorker",
    "default_validation_workers",
    "fork_server",
    "main",
    "runtime_identity",
    "start_fork_server",
    "state_digest",
    "validate_outcome",
]

log = logging.getLogger("txpool")

#: A state larger than this is not replicated: the pool validates in the node's process.
MAX_REPLICA_KEYS = 200_000
MAX_REPLICA_BYTES = 64 * 1024 * 1024
#: A worker that leaves a request unanswered this long is killed (and restarted).
ANSWER_TIMEOUT = 10.0
RESTART_DELAY = 1.0
MAX_RESTARTS = 5
#: Values the validations at one block keep decoded (as the node's `_VALIDATION_READS`).
_VALIDATION_READS = 65_536
#: Unsent bytes to the worker beyond which it is taken for stuck.
_MAX_BUFFERED = 64 * 1024 * 1024

#: How far behind the best block a worker's answer may be and still be imported, recorded as
#: validated at its own block (as Substrate imports what it validated at the block that was best
#: when the submission came): one block, whose newly on-chain tags are still among the two
#: prunings the pool remembers (node/txpool/base.py `RECENTLY_PRUNED_TAGS`), so a transaction
#: waiting for a tag that the block put on chain is ready, not stranded in the future queue.
USABLE_DEPTH = 1

#: Submissions the worker may have unanswered at once; past it the node validates a submission
#: itself. The worker validates ~6,000 transfers a second: a deeper backlog is answered a block or
#: more late (under a 20,000-transfer burst, nine answers in ten), too late to be used, and the
#: node validated them anyway.
MAX_BACKLOG = 512

#: The outcome that says "validate this in the node" (`validate_outcome`).
FALLBACK = ("fallback",)

_LEN = struct.Struct(">I")

Outcome = tuple[Any, ...]
"""("valid", priority, requires, provides, longevity, propagate, verified signature keys)
| ("refused", kind, reason, code)
| ("format", opaque_ok, message) | FALLBACK."""


def _frame(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LEN.pack(len(data)) + data


# -- the worker's side --------------------------------------------------------------------------


class Replica:
    """A runtime storage backend over a dict: the flat top-level state of one block."""

    __slots__ = ("_sorted", "values")

    def __init__(self, pairs: Iterable[tuple[bytes, bytes]]) -> None:
        self.values: dict[bytes, bytes] = dict(pairs)
        self._sorted: list[bytes] | None = None

    def get(self, key: bytes) -> bytes | None:
        return self.values.get(key)

    def next_key(self, key: bytes) -> bytes | None:
        keys = self._sorted
        if keys is None:
            keys = self._sorted = sorted(self.values)
        i = bisect.bisect_right(keys, key)
        return keys[i] if i < len(keys) else None

    def apply(self, changes: Mapping[bytes, bytes | None]) -> None:
        values = self.values
        for key, value in changes.items():
            if value is None:
                if values.pop(key, None) is not None:
                    self._sorted = None
            else:
                if key not in values:
                    self._sorted = None
                values[key] = value


def validate_outcome(backend: Any, source: str, encoded: bytes, block_hash: bytes,
                     read_cache: dict[bytes, Any] | None = None) -> Outcome:
    """`validate_transaction` on `backend` as a picklable outcome (see `Outcome`)."""
    from pysubtensor.primitives.transaction_validity import TransactionValidityError
    from pysubtensor.runtime.executive import InvalidExtrinsicBytes, validate_transaction
    from pysubtensor.runtime.extensions import verified_signatures_since

    global _marker
    try:
        v = validate_transaction(backend, source, encoded, block_hash, read_cache=read_cache)
    except InvalidExtrinsicBytes as e:
        return ("format", e.opaque_ok, str(e))
    except TransactionValidityError as e:
        return ("refused", e.kind, e.reason, e.code)
    except Exception:  # the node validates it again and reports what it finds
        return FALLBACK
    # The signatures this validation verified: the node remembers them too, so the block that
    # includes the transaction does not verify it again (as when the node validated it).
    _marker, verified = verified_signatures_since(_marker)
    return ("valid", v.priority, list(v.requires), list(v.provides), v.longevity, v.propagate, verified)


_marker: bytes | None = None  # the newest verified signature already reported


def state_digest(pairs: Iterable[tuple[bytes, bytes]]) -> bytes:
    """blake2-256 over the (key, value) pairs in key order: two states compared in one value."""
    from pysubtensor.primitives.hashing import blake2_256

    return blake2_256(b"".join(_LEN.pack(len(k)) + k + _LEN.pack(len(v)) + v for k, v in sorted(pairs)))


def runtime_identity() -> bytes:
    """What both processes must agree on before the worker's answers are used: this runtime's
    `:code` blob (its `RuntimeVersion` and API versions) and where its code was imported from."""
    import pysubtensor
    from pysubtensor.runtime.version import runtime_code

    return runtime_code() + repr(list(pysubtensor.__path__)).encode()


class _Inbox:
    """The worker's end of the socket: whole messages, all those already sent at once."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = bytearray()
        self.closed = False

    def _take(self) -> list[Any]:
        messages, buf, pos = [], self.buf, 0
        while len(buf) - pos >= _LEN.size:
            (n,) = _LEN.unpack_from(buf, pos)
            if len(buf) - pos - _LEN.size < n:
                break
            messages.append(pickle.loads(buf[pos + _LEN.size:pos + _LEN.size + n]))
            pos += _LEN.size + n
        del buf[:pos]
        return messages

    def receive(self) -> list[Any]:
        """Block for at least one message (none: the socket closed), then take every whole
        message already in the pipe, so that work made stale by a later block is skipped."""
        while True:
            messages = self._take()
            if messages or self.closed:
                break
            data = self.sock.recv(1 << 20)
            if not data:
                self.closed = True
                break
            self.buf += data
        self.sock.setblocking(False)
        try:
            while not self.closed:
                data = self.sock.recv(1 << 20)
                if not data:
                    self.closed = True
                self.buf += data
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)
        return messages + self._take()


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def serve(sock: socket.socket, parent_pid: int | None = None) -> None:
    """The worker's loop: messages in order, until the socket closes or "exit"."""
    sock.sendall(_frame(("ready", runtime_identity(), os.getpid())))
    if parent_pid is not None and os.getppid() != parent_pid:
        return  # the node died before we were ready
    replica: Replica | None = None
    head: bytes | None = None
    previous: bytes | None = None  # the head before the last delta
    reads: dict[bytes, Any] = {}
    inbox = _Inbox(sock)
    while True:
        messages = inbox.receive()
        if not messages:
            return
        # The newest head once every state message in hand is applied, and the one before it:
        # the node uses answers at those two (`USABLE_DEPTH`); a validation at an older block
        # is answered None at once, and the node asks again at its best.
        final, before = head, previous
        for message in messages:
            if message[0] == "sync":
                final, before = message[1], None
            elif message[0] == "apply":
                final, before = (message[2], final) if final == message[1] else (None, None)
        usable = {final, before} - {None}
        for message in messages:
            kind = message[0]
            if kind == "sync":
                _, head, pairs = message
                replica, reads, previous = Replica(pairs), {}, None
            elif kind == "apply":
                _, from_hash, to_hash, changes = message
                if replica is not None and head == from_hash:
                    replica.apply(changes)
                    previous, head = head, to_hash
                else:
                    replica, head, previous = None, None, None  # out of step: None until the next sync
                reads = {}
            elif kind == "validate":
                _, batch_id, at, items = message
                if replica is None or head != at or at not in usable:
                    outcomes = None
                else:
                    if len(reads) > _VALIDATION_READS:
                        reads = {}
                    outcomes = [validate_outcome(replica, source, encoded, at, reads) for source, encoded in items]
                sock.sendall(_frame(("results", batch_id, at, outcomes)))
            elif kind == "digest":  # for tests: what the replica holds
                _, batch_id = message
                digest = None if replica is None else state_digest(replica.values.items())
                sock.sendall(_frame(("results", batch_id, head, digest)))
            elif kind == "exit":
                return
        if inbox.closed:
            return


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pysubtensor.node.validation_worker FD PARENT_PID` (started by the node)."""
    import gc

    args = list(sys.argv[1:] if argv is None else argv)
    fd, parent = int(args[0]), int(args[1])
    _die_with_parent()
    gc.disable()  # start-up makes long-lived objects only (as the node's entry point does)
    sock = socket.socket(fileno=fd)
    from pysubtensor.runtime import executive  # noqa: F401  (import the runtime before serving)

    gc.freeze()
    gc.enable()
    try:
        serve(sock, parent)
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        sock.close()
    return 0


# -- the fork server ----------------------------------------------------------------------------

#: Fork server -> node: ("F", pid, 0) a worker forked, ("X", pid, exit code) a worker reaped.
_REPORT = struct.Struct(">cii")
#: How long the node waits for the fork server to say it forked a worker.
FORK_TIMEOUT = 5.0

_fork_server: ForkServer | None = None


def default_validation_workers() -> int:
    """One validation worker on a machine with two CPUs or more, none on one."""
    return 1 if (os.cpu_count() or 1) >= 2 else 0


def wants_worker(argv: Sequence[str]) -> bool:
    """Whether the command line `argv` (without the program) runs a node with a validation
    worker, as far as can be told before parsing it: not a subcommand or help, not
    `--pool-validation-workers 0`, and one worker by default. A wrong guess costs nothing
    but memory: the worker is then forked from the fork server or spawned, as it comes."""
    args = list(argv)
    if any(a in ("-h", "--help", "--version", "build-spec", "export-genesis-head", "purge-chain") for a in args):
        return False
    count: str | None = None
    for i, a in enumerate(args):
        if a == "--pool-validation-workers" and i + 1 < len(args):
            count = args[i + 1]
        elif a.startswith("--pool-validation-workers="):
            count = a.partition("=")[2]
    if count is None:
        return default_validation_workers() >= 1
    return count.strip() not in ("0", "")


def fork_server() -> ForkServer | None:
    """The process's fork server, if `start_fork_server` started one and it is alive."""
    server = _fork_server
    return server if server is not None and server.alive else None


def start_fork_server() -> ForkServer | None:
    """Import the runtime, freeze it and fork this process into the fork server workers are
    forked from (see the module's "Memory"); None where fork is not available. Called by the
    node's entry point before it imports anything else, while the process is one thread."""
    global _fork_server
    if not hasattr(os, "fork") or not hasattr(socket, "send_fds") or _fork_server is not None:
        return _fork_server
    import gc

    from pysubtensor.runtime import executive  # noqa: F401  (what the worker validates with)

    gc.freeze()  # no collection rewrites the imported objects' headers: their pages stay shared
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the fork server
        code = 1
        try:
            ours.close()
            _die_with_parent()
            if os.getppid() == parent:
                _serve_forks(theirs)
            code = 0
        finally:
            os._exit(code)
    theirs.close()
    _fork_server = ForkServer(ours, pid)
    return _fork_server


def _serve_forks(control: socket.socket) -> None:
    """The fork server's loop: fork a worker for each socket the node sends, reap the workers
    and report both; return when the node closes the control socket."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C is the node's to handle
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    server = os.getpid()
    try:
        while True:
            ready, _, _ = select.select([control, wake_r], [], [])
            if wake_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 4096)
            while True:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                control.send(_REPORT.pack(b"X", pid, os.waitstatus_to_exitcode(status)))
            if control not in ready:
                continue
            message, fds, _, _ = socket.recv_fds(control, 64, 1)
            if not message:
                return  # the node closed the socket: it stopped
            if not fds:
                continue
            pid = os.fork()
            if pid == 0:  # a worker
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                for fd in (wake_r, wake_w):
                    os.close(fd)
                control.close()
                _run_forked_worker(fds[0], server)
            os.close(fds[0])
            control.send(_REPORT.pack(b"F", pid, 0))
    except (BrokenPipeError, ConnectionResetError):
        return


def _run_forked_worker(fd: int, server: int) -> None:
    """A worker forked from the fork server: `serve` on socket `fd`, then exit (never returns)."""
    import gc
    import traceback

    code = 1
    try:
        _die_with_parent()  # the fork server, which dies with the node
        sock = socket.socket(fileno=fd)
        gc.enable()
        try:
            serve(sock, server)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            sock.close()
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


class ForkedProcess:
    """A worker the fork server forked, as much of `subprocess.Popen` as the node uses:
    `pid`, `poll()` (its exit code once the fork server reaped it) and `kill()`."""

    def __init__(self, server: ForkServer, pid: int) -> None:
        self.server = server
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.server.exit_code(self.pid)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


class ForkServer:
    """The node's handle on its fork server (`start_fork_server`)."""

    def __init__(self, control: socket.socket, pid: int) -> None:
        self.control = control
        self.pid = pid
        self.alive = True
        self._exits: dict[int, int] = {}

    def fork(self, sock: socket.socket) -> ForkedProcess | None:
        """A worker serving `sock` (its end of the node's socket pair); None if the fork
        server is gone (it is then not used again)."""
        if not self.alive:
            return None
        try:
            socket.send_fds(self.control, [b"fork"], [sock.fileno()])
            self.control.settimeout(FORK_TIMEOUT)
            while True:
                data = self.control.recv(64)
                if not data:
                    raise ConnectionError("the fork server closed its socket")
                kind, pid, code = _REPORT.unpack(data)
                if kind == b"F":
                    return ForkedProcess(self, pid)
                self._exits[pid] = code
        except (OSError, struct.error) as e:
            log.warning("validation worker's fork server is gone (%s): starting workers afresh", e)
            self.stop()
            return None

    def exit_code(self, pid: int) -> int | None:
        """`pid`'s exit code if the fork server has reaped it (reports read without waiting)."""
        if pid not in self._exits and self.alive:
            try:
                self.control.setblocking(False)
                while True:
                    data = self.control.recv(64)
                    if not data:
                        self.stop()
                        break
                    kind, child, code = _REPORT.unpack(data)
                    if kind == b"X":
                        self._exits[child] = code
            except BlockingIOError:
                pass
            except (OSError, struct.error):
                self.stop()
        if pid in self._exits:
            return self._exits.pop(pid)
        if not self.alive:  # its workers die with it (PR_SET_PDEATHSIG) and are reaped by init
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return -signal.SIGTERM
        return None

    def stop(self) -> None:
        """Close the control socket (the fork server exits) and reap it if it has."""
        self.alive = False
        with contextlib.suppress(OSError):
            self.control.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, os.WNOHANG)


# -- the node's side ----------------------------------------------------------------------------


class _Batch:
    __slots__ = ("at", "future", "items", "submissions", "timer")

    def __init__(self, at: bytes, future: asyncio.Future[list[Outcome] | None]) -> None:
        self.at = at
        self.items: list[tuple[str, bytes]] = []
        self.submissions = 0  # of `items`, those `submit` queued (counted in the backlog)
        self.future = future
        self.timer: asyncio.TimerHandle | None = None


class ValidationWorker:
    """The node's handle on the worker process. All methods run on the node's event loop.

    `state_at(block_hash)` gives the flat top-level state of a block as (key, value) pairs
    (at most `max_keys + 1` of them) for a full sync; `best()` the node's best block hash.
    `submit` and `validate_many` return a future of the outcomes (None: validate in the
    node), or None at once when the worker cannot answer for that block."""

    def __init__(self, state_at: Callable[[bytes, int], list[tuple[bytes, bytes]]], best: Callable[[], bytes], *,
                 version: bytes, max_keys: int = MAX_REPLICA_KEYS, max_bytes: int = MAX_REPLICA_BYTES,
                 answer_timeout: float = ANSWER_TIMEOUT, restart_delay: float = RESTART_DELAY,
                 max_restarts: int = MAX_RESTARTS) -> None:
        self._state_at = state_at
        self._best = best
        self._version = version
        self.max_keys, self.max_bytes = max_keys, max_bytes
        self.answer_timeout = answer_timeout
        self.restart_delay = restart_delay
        self.max_restarts = max_restarts
        self.restarts = 0
        self.process: subprocess.Popen[bytes] | ForkedProcess | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._restart: asyncio.TimerHandle | None = None
        self._ready = False
        #: The block whose state the worker holds (as far as the messages sent so far say).
        self.head: bytes | None = None
        self._pending: dict[int, _Batch] = {}
        self.backlog = 0  # submissions in `_pending` (revalidations not counted)
        self._digests: dict[int, asyncio.Future[Any]] = {}
        self._open: _Batch | None = None  # the submissions of this event-loop turn
        self._next_id = 0
        self.disabled: str | None = None  # why the worker is off for good
        self._closing = False
        #: Counters for tests and logs.
        self.sent = 0
        self.answered = 0

    # -- lifecycle

    @property
    def usable(self) -> bool:
        return self._ready and self.head is not None and self._writer is not None

    async def start(self) -> None:
        """Spawn the worker; it becomes usable when it has said it is ready and has the state."""
        if self.disabled is not None or self._closing:
            return
        ours, theirs = socket.socketpair()
        try:
            server = fork_server()
            forked = server.fork(theirs) if server is not None else None
            self.process = forked if forked is not None else subprocess.Popen(
                [sys.executable, "-m", "pysubtensor.node.validation_worker", str(theirs.fileno()), str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True)
        except OSError as e:
            ours.close()
            self._disable(f"cannot start the validation worker: {e}")
            return
        finally:
            theirs.close()
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        self._writer = writer
        self._reader_task = asyncio.create_task(self._read(reader), name="validation-worker")

    async def close(self) -> None:
        """Stop the worker: ask it to exit, then wait for it (killed if it does not go)."""
        self._closing = True
        if self._restart is not None:
            self._restart.cancel()
            self._restart = None
        writer, process = self._writer, self.process
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.write(_frame(("exit",)))
                writer.close()
        self._lost()
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader_task
            self._reader_task = None
        if process is not None:
            await _reap(process)
        self.process = None

    def kill(self) -> None:
        """Kill the worker process (a test's or the watchdog's): it is treated as dead."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    def _disable(self, why: str) -> None:
        if self.disabled is None:
            self.disabled = why
            log.warning("%s: the pool validates in the node's process", why)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                header = await reader.readexactly(_LEN.size)
                message = pickle.loads(await reader.readexactly(_LEN.unpack(header)[0]))
                self._on_message(message)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("validation worker: bad message")
        if not self._closing:
            self._died()

    def _on_message(self, message: Any) -> None:
        kind = message[0]
        if kind == "ready":
            if message[1] != self._version:
                self._disable("the validation worker runs another runtime version")
                self.kill()
                return
            self._ready = True
            log.info("⚙️  Pool validation worker ready (pid %d)", message[2])
            self.resync()
        elif kind == "results":
            _, batch_id, _at, outcomes = message
            digest = self._digests.pop(batch_id, None)
            if digest is not None:
                digest.set_result((_at, outcomes))
                return
            batch = self._pending.pop(batch_id, None)
            if batch is None:
                return
            self.backlog -= batch.submissions
            self.answered += 1
            if batch.timer is not None:
                batch.timer.cancel()
            if not batch.future.done():
                batch.future.set_result(outcomes)

    def _lost(self) -> None:
        """The worker is gone: everything pending falls back to the node."""
        self._ready = False
        self.head = None
        self._writer = None
        self._open = None
        pending, self._pending = self._pending, {}
        self.backlog = 0
        digests, self._digests = self._digests, {}
        for future in digests.values():
            if not future.done():
                future.set_result((None, None))
        for batch in pending.values():
            if batch.timer is not None:
                batch.timer.cancel()
            if not batch.future.done():
                batch.future.set_result(None)

    def _died(self) -> None:
        writer = self._writer
        self._lost()
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        process = self.process
        code = process.poll() if process is not None else None
        if process is not None and code is None:
            process.kill()
        if process is not None:
            asyncio.get_running_loop().create_task(_reap(process))
        self.process = None
        if self.disabled is not None:
            return
        if self.restarts >= self.max_restarts:
            self._disable(f"the validation worker died {self.restarts + 1} times")
            return
        self.restarts += 1
        log.warning("⚠️  Pool validation worker stopped (exit %s): validating in the node's process; "
                    "restarting it in %.0f s", code, self.restart_delay)
        loop = asyncio.get_running_loop()
        self._restart = loop.call_later(self.restart_delay, lambda: loop.create_task(self._restart_now()))

    async def _restart_now(self) -> None:
        self._restart = None
        await self.start()

    # -- state

    def _send(self, message: Any) -> bool:
        writer = self._writer
        if writer is None:
            return False
        if writer.transport.get_write_buffer_size() > _MAX_BUFFERED:
            log.warning("validation worker does not read its messages: killing it")
            self.kill()
            return False
        writer.write(_frame(message))
        return True

    def resync(self) -> None:
        """Send the whole state of the best block (a start, a reorg, anything not a delta)."""
        if not self._ready:
            return
        best = self._best()
        pairs = self._state_at(best, self.max_keys + 1)
        size = sum(len(k) + len(v) for k, v in pairs)
        if len(pairs) > self.max_keys or size > self.max_bytes:
            self._disable(f"the state has more than {self.max_keys:,} keys or {self.max_bytes >> 20} MiB, "
                          "too much to replicate in the validation worker")
            self.close_soon()
            return
        if self._send(("sync", best, pairs)):
            self.head = best

    def note_best(self, block_hash: bytes, from_hash: bytes | None,
                  changes: Mapping[bytes, bytes | None] | None) -> None:
        """A new best block: `changes` lead from `from_hash`'s state to it (None: unknown)."""
        if not self._ready:
            return
        self._open = None  # submissions batched for the old best are not joined by new ones
        if changes is not None and from_hash is not None and from_hash == self.head:
            if self._send(("apply", from_hash, block_hash, dict(changes))):
                self.head = block_hash
            return
        self.resync()

    def close_soon(self) -> None:
        asyncio.get_running_loop().create_task(self.close())

    # -- validation

    def _new_batch(self, at: bytes) -> _Batch:
        self._next_id += 1
        batch = _Batch(at, asyncio.get_running_loop().create_future())
        self._pending[self._next_id] = batch
        return batch

    def _flush(self, batch_id: int) -> None:
        batch = self._pending.get(batch_id)
        if self._open is batch:
            self._open = None
        if batch is None:
            return
        if not self._send(("validate", batch_id, batch.at, batch.items)):
            if self._pending.pop(batch_id, None) is not None:
                self.backlog -= batch.submissions
            batch.future.set_result(None)
            return
        self.sent += 1
        batch.timer = asyncio.get_running_loop().call_later(self.answer_timeout, self._timed_out, batch_id)

    def _timed_out(self, batch_id: int) -> None:
        if batch_id in self._pending:
            log.warning("validation worker left a request unanswered for %.0f s: killing it", self.answer_timeout)
            self.kill()

    def submit(self, at: bytes, source: str, encoded: bytes) -> tuple[asyncio.Future[list[Outcome] | None], int] | None:
        """Queue one validation at `at` with the other submissions of this event-loop turn:
        (future of the batch's outcomes, this one's index), or None when the worker cannot
        answer for `at` or has `MAX_BACKLOG` submissions unanswered."""
        if not self.usable or self.head != at or self.backlog >= MAX_BACKLOG:
            return None
        batch = self._open
        if batch is None or batch.at != at:
            batch = self._open = self._new_batch(at)
            asyncio.get_running_loop().call_soon(self._flush, self._next_id)
        batch.items.append((source, encoded))
        batch.submissions += 1
        self.backlog += 1
        return batch.future, len(batch.items) - 1

    def digest(self) -> asyncio.Future[tuple[bytes | None, bytes | None]] | None:
        """(head, `state_digest` of the replica) as the worker has them (tests)."""
        if not self.usable:
            return None
        self._next_id += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._digests[self._next_id] = future
        self._send(("digest", self._next_id))
        return future

    def validate_many(self, at: bytes, items: Sequence[tuple[str, bytes]]) -> asyncio.Future[list[Outcome] | None] | None:
        """Validate `items` at `at` in one message; None when the worker cannot answer for `at`."""
        if not self.usable or self.head != at:
            return None
        batch = self._new_batch(at)
        batch.items = list(items)
        self._flush(self._next_id)
        return batch.future



async def _reap(process: subprocess.Popen[bytes] | ForkedProcess, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            deadline = time.monotonic() + timeout
        await asyncio.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main())
