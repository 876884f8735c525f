#!/usr/bin/env bash
# Whole-process time of budgetgrid against Camelot 2.0 (lattice, then stream where lattice
# finds nothing, as the ICDAR figure 0.891 was measured) on the same PDFs, in one run.
#   scripts/bench_tables.sh [PDF_DIR]   (default ../shared/bench/icdar2013/pdfs)
# Needs `pip install camelot-py opencv-python-headless`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/bench/icdar2013/pdfs}
cargo build --release --quiet
files=("$dir"/*.pdf)
t0=$(date +%s.%N)
for f in "${files[@]}"; do
  ./target/release/budgetgrid extract "$f" --format json --output /dev/null --quiet --jobs 1 || true
done
t1=$(date +%s.%N)
python3 - "${files[@]}" <<'PY'
import sys, warnings
warnings.filterwarnings("ignore")
import camelot
for f in sys.argv[1:]:
    try:
        t = camelot.read_pdf(f, pages="all", flavor="lattice")
        if t.n == 0:
            camelot.read_pdf(f, pages="all", flavor="stream")
    except Exception as e:
        print(f"camelot failed on {f}: {e}", file=sys.stderr)
PY
t2=$(date +%s.%N)
python3 - "$t0" "$t1" "$t2" "${#files[@]}" <<'PY'
import sys
t0, t1, t2, n = map(float, sys.argv[1:5])
b, c = t1 - t0, t2 - t1
print(f"{int(n)} PDFs: budgetgrid {b:.1f} s, Camelot {c:.1f} s, Camelot / budgetgrid {c / b:.1f}x")
PY
