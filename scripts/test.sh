#!/usr/bin/env bash
# The whole test suite (the README's second Quick start command).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v python3 >/dev/null 2>&1; then
  echo "scripts/test.sh: python3 is required (symflow test runs flow logic with it)" >&2
  exit 2
fi

log=$(mktemp -t symflow-test.XXXXXX)
trap 'rm -f "$log"' EXIT

status=0
cargo test --locked --all-targets 2>&1 | tee "$log" || status=$?
# symflow test's sym.sdk stand-in vs the real sym-sdk 0.61.0 from PyPI (network)
fidelity=0
python3 scripts/sdk_fidelity.py || fidelity=$?

# One closing line for the whole suite: every cargo test binary's counts,
# plus the fidelity check as one test.
passed=$(awk '/^test result:/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed;/) s += $i} END {print s + 0}' "$log")
failed=$(awk '/^test result:/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed;/) s += $i} END {print s + 0}' "$log")
if [ "$fidelity" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "symflow: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$fidelity" -eq 0 ]
