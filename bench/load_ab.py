#!/usr/bin/env python3
"""Same-run A/B of two builds of the `load` benchmark.

On a shared machine the speed drifts by tens of percent from one minute to
the next, so two builds are only comparable when measured side by side:
this runs one fresh-process load of each build in turn, N times, and prints
for each the median, lower quartile and minimum wall time of
`module::load` (as the benchmark's child process reports it), the median
time to the end of parsing, and the median CPU time of the whole process
(user + system, from wait4).

    cargo bench --bench load --no-run          # note the executable path
    cp target/release/deps/load-<hash> /tmp/load-a
    ... change, rebuild, copy to /tmp/load-b ...
    python3 bench/load_ab.py /tmp/load-a /tmp/load-b /tmp/corpus/1000

Environment: N (default 30) loads per build.
"""

import os
import statistics
import subprocess
import sys


def one_load(binary, corpus):
    """Wall ms, parse ms and process CPU ms of one load in a fresh process."""
    env = dict(os.environ, SYMFLOW_BENCH_CHILD="1")
    child = subprocess.Popen([binary, corpus], env=env, stdout=subprocess.PIPE, text=True)
    out = child.stdout.read().split()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0 or len(out) < 2:
        sys.exit(f"{binary}: the load failed (status {status})")
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    return int(out[0]) / 1e6, int(out[1]) / 1e6, cpu


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    *binaries, corpus = sys.argv[1:]
    runs = int(os.environ.get("N", "30"))
    results = {b: [] for b in binaries}
    for _ in range(runs):
        for b in binaries:
            results[b].append(one_load(b, corpus))
    for b, rows in results.items():
        wall = sorted(r[0] for r in rows)
        parse = statistics.median(r[1] for r in rows)
        cpu = statistics.median(r[2] for r in rows)
        print(
            f"{os.path.basename(b):20s} median {statistics.median(wall):6.2f} ms"
            f"  q1 {wall[len(wall) // 4]:6.2f}  min {wall[0]:6.2f}"
            f"  parse {parse:6.2f}  process cpu {cpu:6.1f} ms"
        )


if __name__ == "__main__":
    main()
