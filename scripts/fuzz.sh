#!/usr/bin/env bash
# Run the fuzz targets (cargo-fuzz, libFuzzer; needs a nightly toolchain and
# `cargo install cargo-fuzz`), each for SECONDS, seeded with the bundled samples and the
# hostile inputs of tests/adversarial. Crashes land in fuzz/artifacts/TARGET/.
#   scripts/fuzz.sh [SECONDS] [TARGET…]      targets: pdf html text pipeline (default: all)
# Targets run one after another; run several copies with one target each to use more cores.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(pdf html text pipeline)
adv=target/adversarial
[ -d "$adv" ] || python3 tests/adversarial/make_repros.py "$adv" >/dev/null
for t in "${targets[@]}"; do
  corpus=fuzz/corpus/$t
  mkdir -p "$corpus"
  case $t in
    pdf) seeds=(samples/pdf-fonts/*.pdf samples/pdf-unruled/*.pdf "$adv"/*.pdf) ;;
    html) seeds=(samples/html/*.html "$adv"/*.html) ;;
    text) seeds=(samples/text/*.txt samples/layout/*.txt "$adv"/*.md "$adv"/*.txt) ;;
    pipeline) seeds=(samples/text/*.txt samples/html/*.html samples/pdf-fonts/*.pdf "$adv"/*.md "$adv"/*.txt) ;;
  esac
  for s in "${seeds[@]}"; do
    # The decompression bomb, 200,000 glyphs at one spot and 10,000 shared pages are slow
    # by design (tests/adversarial.rs covers them); as seeds they make every mutation slow.
    case $(basename "$s") in d02_*|d04_*|d05_*|d06_*|d25_*) continue ;; esac
    # Seeds over 256 KB slow every mutation down; the big hostile ones are tests already.
    [ "$(stat -c %s "$s")" -le 262144 ] && cp -n "$s" "$corpus/" 2>/dev/null || true
  done
  echo "== $t: $secs s"
  cargo +nightly fuzz run "$t" "$corpus" -- \
    -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1
done
