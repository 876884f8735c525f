#!/usr/bin/env bash
# Score budgetgrid on the bundled disclosures against the gold facts.
#   scripts/eval.sh [text|html|pdf]   (default: text)
set -euo pipefail
cd "$(dirname "$0")/.."
set_name=${1:-text}
cargo build --release --quiet
out=$(mktemp -d)
case "$set_name" in
  text) inputs=(samples/text/*.txt) ;;
  html) inputs=(samples/html/*.html) ;;
  pdf)  inputs=(samples/pdf/*.pdf) ;;
  *) echo "usage: $0 [text|html|pdf]" >&2; exit 2 ;;
esac
./target/release/budgetgrid extract "${inputs[@]}" --format jsonl --output "$out/records.jsonl" || true
python3 scripts/score.py --gold tests/fixtures/gold --pred "$out/records.jsonl" "${@:2}"
rm -rf "$out"
