#!/usr/bin/env bash
# The whole test suite (the README's second Quick start command).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v python3 >/dev/null 2>&1; then
  echo "scripts/test.sh: python3 is required (symflow test runs flow logic with it)" >&2
  exit 2
fi

cargo test --locked --all-targets
python3 scripts/sdk_fidelity.py  # symflow test's sym.sdk stand-in vs sym-sdk 0.61.0 from PyPI (network)
