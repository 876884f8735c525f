#!/usr/bin/env bash
# budgetgrid extract on PDFs against `pdftotext -layout` on the same files, whole-process
# wall time, measured in one run (each tool run REPEAT times over every file, one process
# per file, one after the other). Needs poppler-utils for pdftotext and pdfinfo.
#   scripts/bench_pdf.sh [REPEAT] [FILES…]   default: 5 × samples/pdf/*.pdf samples/pdf-fonts/*_50p.pdf
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-5}
shift || true
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(samples/pdf/*.pdf samples/pdf-fonts/*_50p.pdf)
command -v pdftotext >/dev/null || { echo "pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
cargo build --release --quiet
pages=0
for f in "${files[@]}"; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/{print $2}'))); done
out=$(mktemp -d)
t0=$(date +%s.%N)
for _ in $(seq 1 "$repeat"); do
  for f in "${files[@]}"; do ./target/release/budgetgrid extract "$f" --quiet --output "$out/r.jsonl" >/dev/null 2>&1 || true; done
done
t1=$(date +%s.%N)
for _ in $(seq 1 "$repeat"); do
  for f in "${files[@]}"; do pdftotext -layout "$f" "$out/p.txt"; done
done
t2=$(date +%s.%N)
rm -rf "$out"
python3 - "$t0" "$t1" "$t2" "$pages" "$repeat" "${#files[@]}" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:4]); pages, rep, nf = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
bg, pt = t1 - t0, t2 - t1
print(f"{nf} files, {pages} pages, x{rep}")
print(f"budgetgrid extract : {bg:.2f} s  {pages*rep/bg:,.0f} pages/s")
print(f"pdftotext -layout  : {pt:.2f} s  {pages*rep/pt:,.0f} pages/s")
print(f"ratio budgetgrid/pdftotext: {bg/pt:.2f}")
PY
