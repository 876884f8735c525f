#!/usr/bin/env bash
# Score budgetgrid on the bundled disclosures against the gold facts.
#   scripts/eval.sh [text|html|pdf|layout]   (default: text; layout: pdftotext -layout text of the PDFs)
set -euo pipefail
cd "$(dirname "$0")/.."
set_name=${1:-text}
cargo build --release --quiet
out=$(mktemp -d)
case "$set_name" in
  text) inputs=(samples/text/*.txt) ;;
  html) inputs=(samples/html/*.html) ;;
  pdf)  inputs=(samples/pdf/*.pdf) ;;
  layout) inputs=(samples/layout/*.txt) ;;
  *) echo "usage: $0 [text|html|pdf|layout]" >&2; exit 2 ;;
esac
./target/release/budgetgrid extract "${inputs[@]}" --format jsonl --output "$out/records.jsonl" || true
# Score against the gold of the documents in this set only (002 has no HTML or PDF edition).
mkdir -p "$out/gold"
for f in "${inputs[@]}"; do
  stem=$(basename "${f%.*}")
  cp tests/fixtures/gold/"$stem".* "$out/gold/"
done
python3 scripts/score.py --gold "$out/gold" --pred "$out/records.jsonl" "${@:2}"
rm -rf "$out"
