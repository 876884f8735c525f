#!/usr/bin/env bash
# ICDAR 2013 table competition: budgetgrid's grids scored with the competition's
# adjacency-relation measure (score.py of the benchmark folder).
#   scripts/icdar.sh [BENCH_DIR] [-v]
# BENCH_DIR holds score.py, metrics.py, gt.json and pdfs/ (default ../shared/bench/icdar2013,
# the set copied from tabulapdf/tabula-java; not bundled: 67 PDFs). Camelot 2.0 scores
# F1 0.891 on the same measure (lattice-else-stream), Camelot stream 0.883.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:-../shared/bench/icdar2013}
shift || true
if [ ! -f "$bench/score.py" ]; then
  echo "no ICDAR 2013 benchmark at $bench (score.py, gt.json, pdfs/)" >&2
  exit 2
fi
cargo build --release --quiet
python3 "$bench/score.py" --bin target/release/budgetgrid "$@"
