#!/usr/bin/env bash
# Score budgetgrid on the bundled disclosures against the gold facts.
#   scripts/eval.sh [text|html|pdf|unruled|layout|real] [-v]
#   text/html/pdf/layout: the five seeds (layout: pdftotext -layout text of the PDFs,
#   unruled: the HTML editions printed without cell borders),
#   real: the real PDFs of other provinces (samples/real), with coverage (share of printed
#   numbers some record carries).
set -euo pipefail
cd "$(dirname "$0")/.."
set_name=${1:-text}
cargo build --release --quiet
out=$(mktemp -d)
gold_dir=tests/fixtures/gold
extra=()
case "$set_name" in
  text) inputs=(samples/text/*.txt) ;;
  html) inputs=(samples/html/*.html) ;;
  pdf)  inputs=(samples/pdf/*.pdf) ;;
  unruled) inputs=(samples/pdf-unruled/*.pdf); extra=(--coverage) ;;
  layout) inputs=(samples/layout/*.txt) ;;
  real) inputs=(samples/real/*.pdf); gold_dir=tests/fixtures/gold_real; extra=(--coverage) ;;
  *) echo "usage: $0 [text|html|pdf|unruled|layout|real] [-v]" >&2; exit 2 ;;
esac
./target/release/budgetgrid extract "${inputs[@]}" --format jsonl --output "$out/records.jsonl" || true
# Score against the gold of the documents in this set only (002 has no HTML or PDF edition;
# two real PDFs have no gold: the narrative-only one and the blank template).
mkdir -p "$out/gold"
for f in "${inputs[@]}"; do
  stem=$(basename "${f%.*}")
  if [ -f "$gold_dir/$stem.json" ]; then cp "$gold_dir/$stem.json" "$out/gold/"; fi
done
python3 scripts/score.py --gold "$out/gold" --pred "$out/records.jsonl" "${extra[@]}" "${@:2}"
rm -rf "$out"
