#!/usr/bin/env bash
# The crawl's scaling on this machine: one Dask worker against two (scripts/bench_crawl.py),
# with the package installed as scripts/test_python.sh installs it (target/pyvenv).
#   scripts/bench_crawl.sh [COPIES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x target/pyvenv/bin/python ]; then
  scripts/test_python.sh
fi
exec target/pyvenv/bin/python scripts/bench_crawl.py "$@"
