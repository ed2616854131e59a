"""State backend benchmark: prints a table of timings (a benchmark, not a test).

    /work/venv/bin/python bench/state_bench.py [--entries 1000000] [--changes 1000]

Measures: full root of 100k random entries (V1); an incremental commit of `--changes`
random writes (half updates, half inserts) on a state of `--entries` keys built once with
`build_genesis` and then compacted (apply and commit timed separately, two warm-up commits
first); head read latency through the view (flat index); historical read latency (trie
walk at a non-head root). Timings on a shared machine vary; the per-run list is printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

from pysubtensor.node.state import StateDB, trie_root


def _random_items(rnd: random.Random, n: int) -> dict[bytes, bytes]:
    return {rnd.randbytes(32): rnd.randbytes(rnd.randint(1, 64)) for _ in range(n)}


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _row(name: str, value: str, target: str = "") -> None:
    print(f"| {name:<52} | {value:>14} | {target:<14} |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000, help="keys in the big state")
    ap.add_argument("--changes", type=int, default=1_000, help="keys changed per incremental commit")
    ap.add_argument("--reads", type=int, default=100_000, help="random reads for the latency rows")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    print(f"python {sys.version.split()[0]}; state of {args.entries:,} keys, {args.changes:,} changes per commit",
          flush=True)

    small = _random_items(rnd, 100_000)
    full = _best_of(3, lambda: trie_root(small, 1))

    with tempfile.TemporaryDirectory(prefix="state-bench-") as tmp:
        state = StateDB(tmp)
        big = _random_items(rnd, args.entries)
        t = time.perf_counter()
        genesis = state.build_genesis(big, {}, 1)
        build = time.perf_counter() - t
        t = time.perf_counter()
        state.db.compact_range()  # settle LevelDB so background compaction does not skew timings
        print(f"(built the {args.entries:,}-key state in {build:.1f} s, compacted in "
              f"{time.perf_counter() - t:.1f} s)", flush=True)
        keys = list(big)

        apply_times, commit_times = [], []
        root = genesis
        for run in range(7):  # the first two warm the caches and are not counted
            changes: dict[bytes, bytes | None] = {}
            for k in rnd.sample(keys, args.changes // 2):  # updates of existing keys
                changes[k] = rnd.randbytes(rnd.randint(1, 64))
            for _ in range(args.changes - len(changes)):  # inserts of new keys
                changes[rnd.randbytes(32)] = rnd.randbytes(rnd.randint(1, 64))
            t = time.perf_counter()
            pending = state.apply(root, changes, {}, 1)
            t2 = time.perf_counter()
            state.commit(pending)
            t3 = time.perf_counter()
            if run >= 2:
                apply_times.append(t2 - t)
                commit_times.append(t3 - t2)
            root = pending.root

        sample = [rnd.choice(keys) for _ in range(args.reads)]
        head = state.view()
        t = time.perf_counter()
        for k in sample:
            head.get(k)
        head_us = (time.perf_counter() - t) / len(sample) * 1e6

        old = state.view(genesis)
        hist_sample = sample[: max(1, args.reads // 10)]
        t = time.perf_counter()
        for k in hist_sample:
            old.get(k)
        hist_us = (time.perf_counter() - t) / len(hist_sample) * 1e6
        state.close()

    print()
    _row("measurement", "result", "target")
    print(f"|{'-' * 54}|{'-' * 16}|{'-' * 16}|")
    _row("full root, 100k random entries (V1)", f"{full * 1e3:.0f} ms", "< 2 s")
    _row(f"build_genesis, {args.entries:,} entries", f"{build:.1f} s")
    _row(f"apply {args.changes:,} changes on {args.entries:,} keys (median of 5)",
         f"{statistics.median(apply_times) * 1e3:.1f} ms")
    _row("commit (write batch) of that change (median of 5)", f"{statistics.median(commit_times) * 1e3:.1f} ms")
    total = statistics.median([a + c for a, c in zip(apply_times, commit_times, strict=True)])
    _row("incremental apply + commit (median of 5)", f"{total * 1e3:.1f} ms", "< 100 ms")
    _row(f"head read via view.get (mean of {len(sample):,})", f"{head_us:.2f} us", "single-digit us")
    _row(f"historical read, trie walk (mean of {len(hist_sample):,})", f"{hist_us:.1f} us")
    print(f"\napply runs: {' '.join(f'{t * 1e3:.0f}' for t in apply_times)} ms; "
          f"commit runs: {' '.join(f'{t * 1e3:.0f}' for t in commit_times)} ms")


if __name__ == "__main__":
    main()
