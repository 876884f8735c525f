#!/usr/bin/env bash
# Scale: memory flat in the batch and in the pages, one PDF on two cores, CPU per page and
# per MB beside pdftotext -layout. Needs poppler-utils (pdftotext, pdfunite, pdfinfo);
# with CHROMIUM=1 and Debian's chromium also a 2,000-page PDF printed by Chromium (shared
# fonts, as one long document has; pdfunite's copies each keep their own).
#   scripts/bench_scale.sh            prints one line per measure; machine load first
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bg=$PWD/target/release/budgetgrid
rss=$PWD/scripts/rss_tree.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  cores: $(nproc)"
cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }

# 1. A batch of 200 PDFs (the four Chromium samples, 50 times): peak RSS of the tree.
mkdir "$tmp/b200"
for i in $(seq 1 50); do for f in samples/pdf/*.pdf; do cp "$f" "$tmp/b200/$(basename "$f" .pdf)_$i.pdf"; done; done
pages=0; for f in "$tmp"/b200/*.pdf; do pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/{print $2}'))); done
echo "200 PDFs ($pages pages), -j 2: $(python3 "$rss" "$bg" extract -q -j 2 "$tmp/b200" -o "$tmp/b200.jsonl")"

# 2. 100 MB of text (the seeds repeated), -j 2: peak RSS of the tree.
mkdir "$tmp/t100"
n=$(( 100000000 / $(cat samples/text/*.txt | wc -c) + 1 ))
for i in $(seq 1 "$n"); do for f in samples/text/*.txt; do cp "$f" "$tmp/t100/$(basename "$f" .txt)_$i.txt"; done; done
mb=$(du -sb "$tmp/t100" | awk '{printf "%.0f", $1/1e6}')
echo "text $mb MB, -j 2: $(python3 "$rss" "$bg" extract -q -j 2 "$tmp/t100" -o "$tmp/t100.jsonl")"

# 3. Throughput per core (one thread, in process): text and HTML, MB per CPU-second.
mkdir "$tmp/t16" "$tmp/h16"
for i in $(seq 1 30); do for f in samples/text/*.txt; do cp "$f" "$tmp/t16/$(basename "$f" .txt)_$i.txt"; done; done
for i in $(seq 1 80); do for f in samples/html/*.html; do cp "$f" "$tmp/h16/$(basename "$f" .html)_$i.html"; done; done
for kind in t16 h16; do
  b=$(du -sb "$tmp/$kind" | awk '{print $1}')
  c=$(cpu "$bg" extract -q --in-process -j 1 "$tmp/$kind" -o "$tmp/$kind.jsonl")
  echo "$( [ $kind = t16 ] && echo text || echo html ) $(awk -v b="$b" 'BEGIN{printf "%.1f", b/1e6}') MB: $c CPU-s, $(awk -v b="$b" -v c="$c" 'BEGIN{printf "%.1f", b/1e6/c}') MB per CPU-second"
done

# 4. Chromium samples, 10 times: CPU per page, budgetgrid (in process, one thread)
#    against pdftotext -layout on the same files.
mkdir "$tmp/p40"
for i in $(seq 1 10); do for f in samples/pdf/*.pdf; do cp "$f" "$tmp/p40/$(basename "$f" .pdf)_$i.pdf"; done; done
pp=0; for f in "$tmp"/p40/*.pdf; do pp=$((pp + $(pdfinfo "$f" | awk '/^Pages:/{print $2}'))); done
cb=$(cpu "$bg" extract -q --in-process -j 1 "$tmp/p40" -o "$tmp/p40.jsonl")
cp_=$(cpu sh -c "for f in $tmp/p40/*.pdf; do pdftotext -layout \$f $tmp/p.txt; done")
awk -v b="$cb" -v p="$cp_" -v n="$pp" 'BEGIN{printf "Chromium samples (%d pages): budgetgrid %.2f CPU-s (%.2f ms/page), pdftotext -layout %.2f CPU-s (%.2f ms/page): ratio %.2f\n", n, b, 1000*b/n, p, 1000*p/n, b/p}'

# 5. Long PDFs: pdfunite of the samples (2,052 pages; each copy keeps its own fonts) and,
#    with CHROMIUM=1, 2,003 pages printed by Chromium from one long HTML page.
fs=(); for i in $(seq 1 19); do fs+=(samples/pdf/*.pdf); done
pdfunite "${fs[@]}" "$tmp/u2052.pdf"
longs=("$tmp/u2052.pdf")
if [ "${CHROMIUM:-0}" = 1 ]; then
  python3 - "$tmp/long.html" <<'PY'
import re, sys
src = open("samples/html/001_ce97c528681cbbae.html", encoding="utf-8").read()
head, body, tail = re.search(r"(?s)(.*<body[^>]*>)(.*)(</body>.*)", src).groups()
open(sys.argv[1], "w", encoding="utf-8").write(head + body * 52 + tail)
PY
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --no-pdf-header-footer \
    --print-to-pdf="$tmp/c2003.pdf" "file://$tmp/long.html" 2>/dev/null
  longs+=("$tmp/c2003.pdf")
fi
for f in "${longs[@]}"; do
  p=$(pdfinfo "$f" | awk '/^Pages:/{print $2}')
  for j in 1 2; do echo "$(basename "$f") ($p pages), -j $j: $(python3 "$rss" "$bg" extract -q -j "$j" "$f" -o "$tmp/l.jsonl")"; done
done

# 6. One 500-page PDF (the samples, 5 times: 540 pages), --jobs 1 against --jobs 2, paired
#    rounds; the median ratio of wall times.
fs=(); for i in $(seq 1 5); do fs+=(samples/pdf/*.pdf); done
pdfunite "${fs[@]}" "$tmp/u540.pdf"
python3 - "$bg" "$tmp/u540.pdf" "$tmp" <<'PY'
import statistics, subprocess, sys, time
bg, f, tmp = sys.argv[1:4]
def wall(j):
    t = time.time()
    subprocess.run([bg, "extract", "-q", "-j", str(j), f, "-o", f"{tmp}/r{j}.jsonl"], check=False)
    return time.time() - t
rounds = [(wall(1), wall(2)) for _ in range(5)]
r = statistics.median(b / a for a, b in rounds)
print(f"u540.pdf (540 pages): -j 1 median {statistics.median(a for a, _ in rounds):.2f} s, -j 2 median {statistics.median(b for _, b in rounds):.2f} s, paired ratio {r:.2f}")
same = open(f"{tmp}/r1.jsonl", "rb").read() == open(f"{tmp}/r2.jsonl", "rb").read()
print(f"  -j 1 and -j 2 output identical: {same}")
PY
