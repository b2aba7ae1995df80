#!/usr/bin/env python3
"""The load figure over time: batches of fresh-process loads, spaced out.

On a shared virtual machine one batch's median moves by a quarter from one
minute to the next (other tenants of the host are invisible to the load
average), so a single `cargo bench` figure says little about "reliably".
This runs BATCHES batches of RUNS fresh-process loads of the `load`
benchmark executable, PAUSE seconds apart, prints each batch's median with
the load average, and ends with the distribution of the batch medians.

    cargo bench --bench load --no-run          # note the executable path
    python3 bench/load_series.py target/release/deps/load-<hash> /tmp/corpus/1000

Environment: BATCHES (default 10), RUNS (default 21), PAUSE (default 20).
"""

import os
import statistics
import sys
import time

from load_ab import one_load


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, corpus = sys.argv[1:]
    batches = int(os.environ.get("BATCHES", "10"))
    runs = int(os.environ.get("RUNS", "21"))
    pause = float(os.environ.get("PAUSE", "20"))
    medians = []
    for i in range(batches):
        if i:
            time.sleep(pause)
        load = os.getloadavg()[0]
        wall = sorted(one_load(binary, corpus)[0] for _ in range(runs))
        m = statistics.median(wall)
        medians.append(m)
        print(
            f"{time.strftime('%H:%M:%S')}  load average {load:4.2f}  "
            f"median {m:6.2f} ms  min {wall[0]:6.2f}  max {wall[-1]:6.2f}",
            flush=True,
        )
    medians.sort()
    print(
        f"batch medians: median {statistics.median(medians):.2f} ms, "
        f"lowest {medians[0]:.2f}, highest {medians[-1]:.2f} "
        f"({batches} batches of {runs} loads)"
    )


if __name__ == "__main__":
    main()
