#!/usr/bin/env bash
# Every test: the Rust crate's (unit, integration, doc), then the Python package's
# (scripts/test_python.sh: built with `pip install .` into a fresh virtual environment).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release
scripts/test_python.sh
