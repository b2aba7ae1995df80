#!/usr/bin/env bash
# Benchmark for `symflow test`: 500 scenarios over one flow, timed as a
# whole process (interpreter start, module load, every test, report).
# Usage: scripts/bench-test.sh [N]   (SYMFLOW_BIN to use another binary)
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-500}"
bin="${SYMFLOW_BIN:-target/release/symflow}"
if [ ! -x "$bin" ]; then
  cargo build --release --locked
fi

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cp examples/approval/*.tf examples/approval/impl.py "$dir"/
mkdir "$dir/tests"

python3 - "$dir/tests/bench.symtest.hcl" "$n" <<'PY'
import sys

path, n = sys.argv[1], int(sys.argv[2])
kinds = [
    ('request', 'alice@acme.com', None, 'approve'),
    ('request', 'bob@acme.com', None, 'none'),
    ('approve', 'bob@acme.com', 'carol@acme.com', 'none'),
    ('deny', 'bob@acme.com', 'carol@acme.com', 'none'),
]
with open(path, "w") as f:
    f.write('flow = "approval"\n')
    for i in range(n):
        event, user, actor, outcome = kinds[i % len(kinds)]
        f.write('\nrun "scenario_%d" {\n' % i)
        f.write('  event  = "%s"\n' % event)
        f.write('  user   = { email = "%s" }\n' % user)
        if actor:
            f.write('  actor  = { email = "%s" }\n' % actor)
        f.write('  fields = { resource = "db-%d", reason = "bench" }\n' % i)
        f.write('  expect {\n    outcome = "%s"\n  }\n}\n' % outcome)
PY

python3 - "$bin" "$dir" "$n" <<'PY'
import subprocess, sys, time

bin_, dir_, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(5):
    start = time.perf_counter()
    p = subprocess.run([bin_, "test", dir_, "-q"], capture_output=True, text=True)
    times.append(time.perf_counter() - start)
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    if p.returncode != 0 or last != "%d passed, 0 failed" % n:
        sys.exit("benchmark run failed (exit %d): %s\n%s" % (p.returncode, last, p.stderr))
times.sort()
print("%d scenarios: best %.3f s, median %.3f s, worst %.3f s (whole process, 5 runs)" % (n, times[0], times[2], times[-1]))
PY
