"""bench/soak.py's memory figures for the node and its helper processes, on a real process tree.

A parent, a child and a grandchild share 24 MiB written before the forks: the roles are named
as the soak names them (node, fork server, worker), the sum of RSS counts the shared pages in
every process, the sum of Pss once, and the distinct physical pages (pagemap, as root) once;
without the right to see frame numbers the last is None rather than a wrong figure.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_MIB = 24

TREE = f"""
import os, time
shared = bytearray(os.urandom({SHARED_MIB} << 20))  # written: resident, then shared by the forks
if os.fork() == 0:
    if os.fork() == 0:
        print("ready", flush=True)
    time.sleep(120)
    os._exit(0)
time.sleep(120)
"""


def _soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("soak", module)  # its dataclass looks itself up there
    spec.loader.exec_module(sys.modules["soak"])
    return sys.modules["soak"]


@pytest.fixture
def tree():
    proc = subprocess.Popen([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc.pid
    finally:
        proc.kill()
        proc.wait(10)


def test_roles_and_the_three_totals_of_a_process_tree(tree):
    soak = _soak()
    procs = soak.processes(tree)
    assert [role for role, _ in procs] == ["node", "fork server", "worker"]
    assert procs[0][1] == tree
    mem = soak.memory(tree)
    assert [(role, pid) for role, pid, _ in mem.procs] == procs
    rss = [r["Rss"] for _, _, r in mem.procs]
    assert all(r > SHARED_MIB for r in rss)
    assert mem.rss_sum == pytest.approx(sum(rss))
    # The shared pages: three times in the RSS sum, once in the Pss sum and in the distinct pages.
    assert mem.pss_sum < mem.rss_sum - 1.5 * SHARED_MIB
    if os.geteuid() == 0:
        assert mem.unique is not None
        assert max(rss) <= mem.unique < mem.rss_sum - 1.5 * SHARED_MIB
        assert abs(mem.unique - mem.pss_sum) < SHARED_MIB / 2
        # What the two forks add to the root's pages: their own few, not the shared 24 MiB again.
        assert mem.added is not None and 0 < mem.added < SHARED_MIB / 2
        assert mem.added == pytest.approx(mem.unique - rss[0], abs=2)
    assert str(tree) in mem.describe() and "fork server" in mem.describe()


def test_distinct_pages_are_none_when_frame_numbers_are_hidden():
    if os.geteuid() != 0:
        assert _soak().resident_pages(os.getpid()) is None
        return
    # As root: a child that gives up root cannot see frame numbers (they read as zero).
    code = (f"import importlib.util, os\n"
            f"spec = importlib.util.spec_from_file_location('soak', {str(ROOT / 'bench' / 'soak.py')!r})\n"
            f"import sys; soak = sys.modules['soak'] = importlib.util.module_from_spec(spec)\n"
            f"spec.loader.exec_module(soak)\n"
            f"import ctypes; libc = ctypes.CDLL(None)\n"
            f"os.setgid(65534); os.setuid(65534)\n"
            f"libc.prctl(4, 1)\n"  # PR_SET_DUMPABLE: its /proc files are its own again
            f"print(soak.resident_pages(os.getpid()))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd="/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "None"
    assert _soak().resident_pages(os.getpid())  # and root sees them


def test_the_sampler_keeps_each_phases_peaks_of_node_rss_rss_sum_and_pss_sum(tree):
    soak = _soak()
    sampler = soak.Sampler(tree)
    sampler.start()
    try:
        deadline = time.monotonic() + 30
        while "pss_sum" not in sampler.peaks.get("start", {}):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        sampler.stop = True
        sampler.join(5)
    peaks = sampler.peaks["start"]
    assert peaks["rss_sum"] > peaks["node"][0] + 1.5 * SHARED_MIB  # the helpers' RSS is in the sum
    assert peaks["node"][0] < peaks["pss_sum"] + SHARED_MIB < peaks["rss_sum"]
    text = sampler.take()
    assert text.startswith("start node ") and "RSS sum" in text and "Pss sum" in text
    assert sampler.peaks == {} and sampler.overall["rss_sum"] == peaks["rss_sum"]
