#!/usr/bin/env bash
# Validate the datapackage.json of a folder output with Frictionless (python):
#   scripts/validate_datapackage.sh [FORMAT]     FORMAT: csv (default), jsonl, json
# Installs `frictionless` with pip when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=${1:-csv}
command -v frictionless >/dev/null 2>&1 || pip install --quiet frictionless
cargo build --release --quiet
out=$(mktemp -d)
./target/release/budgetgrid extract -q samples/text samples/real --format "$fmt" -o "$out/" || true
(cd "$out" && frictionless validate datapackage.json >/dev/null && echo "$fmt: datapackage.json valid ($(grep -c '"path"' datapackage.json) resources)")
rm -rf "$out"
