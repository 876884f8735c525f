#!/usr/bin/env bash
# The Python package's tests: `pip install ".[test]"` into a fresh virtual environment
# (target/pyvenv), then pytest (python/tests) against the command line built by
# `cargo build --release` (compared record for record).
# The native module shares target/ with the command line, so only it is compiled anew.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=target/pyvenv
python3 -m venv --clear "$venv" 2>/dev/null || {
  (apt-get update -qq && apt-get install -y -qq python3-venv) >/dev/null 2>&1
  python3 -m venv --clear "$venv"
}
cargo build --release --quiet
export CARGO_TARGET_DIR="$root/target"
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$venv/bin/python" -m pip install -q ".[test]"
export BUDGETGRID_BIN="$root/target/release/budgetgrid" BUDGETGRID_REQUIRE_CLI=1
# From the repository root: python/ is not on sys.path, so the installed package is
# the one tested, not its sources.
"$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
