#!/usr/bin/env bash
# samples/pdf-unruled: the bundled HTML disclosures printed by Chromium without cell borders
# (the budget tables as a spreadsheet or a borderless Word table prints them), scored against
# the same gold as samples/pdf. Needs Debian's chromium and fonts-noto-cjk; the PDFs are
# committed, so tests and CI do not need them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=samples/pdf-unruled
tmp=$(mktemp -d)
mkdir -p "$out"
for f in samples/html/*.html; do
  s=$(basename "$f" .html)
  sed 's/td, th { border: 0.6pt solid #000;/td, th { border: none;/' "$f" > "$tmp/$s.html"
  grep -q "border: none" "$tmp/$s.html"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" --no-pdf-header-footer \
    --print-to-pdf="$out/$s.pdf" "file://$tmp/$s.html" 2>/dev/null
done
rm -rf "$tmp"
