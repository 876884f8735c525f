#!/usr/bin/env bash
# Throughput of `budgetgrid extract` on text: the bundled seeds repeated to ~100 MB.
#   scripts/bench.sh [MB]     prints documents, MB, seconds, records/s, MB/s
set -euo pipefail
cd "$(dirname "$0")/.."
target_mb=${1:-100}
cargo build --release --quiet
dir=$(mktemp -d)
seed_bytes=$(cat samples/text/*.txt | wc -c)
copies=$(( (target_mb * 1000000 + seed_bytes - 1) / seed_bytes ))
for i in $(seq 1 "$copies"); do
  for f in samples/text/*.txt; do cp "$f" "$dir/$(basename "$f" .txt)_$i.txt"; done
done
bytes=$(cat "$dir"/*.txt | wc -c)
docs=$(ls "$dir" | wc -l)
start=$(date +%s.%N)
./target/release/budgetgrid extract "$dir" --format jsonl --output "$dir.jsonl" --quiet
end=$(date +%s.%N)
records=$(wc -l < "$dir.jsonl")
python3 - "$start" "$end" "$bytes" "$records" "$docs" "$(nproc)" <<'PY'
import sys
s, e, b, r, d, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
t = e - s
print(f"documents {d}  input {b/1e6:.1f} MB  records {r}  time {t:.2f} s  ->  {r/t:,.0f} records/s  {b/1e6/t:.1f} MB/s  ({n} cores)")
PY
rm -rf "$dir" "$dir.jsonl"
