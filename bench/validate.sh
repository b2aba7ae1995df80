#!/usr/bin/env bash
# Speed of `symflow validate` on the shared benchmark corpora, with the peers
# (hcl2json, python-hcl2) measured in the same run for ratios.
#
#   bash bench/validate.sh              # N = 10 100 1000
#   SIZES="10 1000" RUNS=20 bash bench/validate.sh
#
# Environment (defaults in brackets):
#   SHARED  [../shared next to the repo]  holds bench/gen_corpus.py and bench/peers/
#   CORPUS  [a temp dir]                  corpora are generated here (seed 1)
#   PEERS   [/tmp/peers]                  optional: hcl2json/, symflow-venv/ (see
#                                         shared/bench/README.md); skipped if absent
#   RUNS    [10]   SIZES [10 100 1000]
# Uses hyperfine when installed (Debian: apt-get install hyperfine), else a
# small python3 timer. Prints median wall time and max RSS per command.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/.." && pwd)/shared}
GEN="$SHARED/bench/gen_corpus.py"
PEER_SCRIPTS="$SHARED/bench/peers"
PEERS=${PEERS:-/tmp/peers}
RUNS=${RUNS:-10}
SIZES=${SIZES:-10 100 1000}
CORPUS=${CORPUS:-$(mktemp -d -t symflow-bench.XXXXXX)}

if [ ! -f "$GEN" ]; then
  echo "bench/validate.sh: $GEN not found (set SHARED=path/to/shared)" >&2
  exit 2
fi

(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/symflow"

for n in $SIZES; do
  [ -d "$CORPUS/$n" ] || python3 "$GEN" "$CORPUS/$n" --flows "$n" --seed 1 >/dev/null
done

# measure NAME CMD... -> "NAME  median_ms  maxrss_MiB"
measure() {
  local name=$1; shift
  python3 - "$RUNS" "$name" "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, name, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
walls, rss = [], []
for _ in range(runs):
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1); os.dup2(fd, 2)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    walls.append(time.perf_counter() - t)
    rss.append(usage.ru_maxrss / 1024)
print(f"{name:<44} median {statistics.median(walls)*1000:9.1f} ms   max RSS {max(rss):6.1f} MiB")
with open(os.environ["MEDIANS"], "a") as f:
    f.write(f"{name}\t{statistics.median(walls)*1000:.3f}\n")
PY
}

# ratios N -> "peer / symflow validate" for the peers measured in this run
ratios() {
  python3 - "$MEDIANS" <<'PY'
import sys
rows = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l)
ours = float(rows["symflow validate"])
for name, ms in rows.items():
    if name.endswith("(parse only)"):
        print(f"  ratio {name} / symflow validate: {float(ms) / ours:6.1f}x")
PY
}

echo "symflow $("$BIN" --version | cut -d' ' -f2), $RUNS runs each, corpora in $CORPUS"
for n in $SIZES; do
  d="$CORPUS/$n"
  MEDIANS=$(mktemp); export MEDIANS
  echo "## N=$n ($(find "$d" -name '*.tf' | wc -l) .tf, $(find "$d" -name '*.py' | wc -l) .py)"
  # exit 0 expected: the corpus is clean
  "$BIN" validate "$d" >/dev/null || { echo "symflow validate reported findings on $d" >&2; exit 1; }
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs "$RUNS" --style basic "$BIN validate $d" | grep -E "Time|Range"
  fi
  measure "symflow validate" "$BIN" validate "$d"
  measure "symflow validate --format json" "$BIN" validate --format json "$d"
  if [ -d "$PEERS/hcl2json/node_modules" ]; then
    NODE_PATH="$PEERS/hcl2json/node_modules" measure "hcl2json (parse only)" node "$PEER_SCRIPTS/hcl2json_parse.js" "$d"
  fi
  if [ -x "$PEERS/symflow-venv/bin/python" ]; then
    measure "python-hcl2 4.3.5 (parse only)" "$PEERS/symflow-venv/bin/python" "$PEER_SCRIPTS/hcl2_parse.py" "$d"
  fi
  measure "python3 ast.parse of impls (parse only)" python3 "$PEER_SCRIPTS/py_ast_parse.py" "$d"
  ratios
  rm -f "$MEDIANS"
done
