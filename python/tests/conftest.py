"""Shared helpers: the repository's bundled samples and the command-line binary that the
package's results are compared with."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def sample_files():
    """Every bundled disclosure that yields records: PDF, HTML and text editions and the
    real PDFs of two other provinces."""
    files = []
    for sub, pattern in [("pdf", "*.pdf"), ("html", "*.html"), ("text", "*.txt"), ("real", "*.pdf")]:
        files += sorted((SAMPLES / sub).glob(pattern))
    return [f for f in files if "textonly" not in f.name and "template" not in f.name]


@pytest.fixture(scope="session")
def cli():
    """The budgetgrid binary: $BUDGETGRID_BIN, target/release/budgetgrid, or PATH."""
    for c in [os.environ.get("BUDGETGRID_BIN"), ROOT / "target" / "release" / "budgetgrid", shutil.which("budgetgrid")]:
        if c and Path(c).is_file():
            return str(c)
    if os.environ.get("BUDGETGRID_REQUIRE_CLI"):
        pytest.fail("the budgetgrid binary was not found (cargo build --release)")
    pytest.skip("the budgetgrid binary was not found (cargo build --release)")


def run_cli(cli, *args):
    return subprocess.run([cli, *map(str, args)], capture_output=True, text=True, check=False)
