"""Type hints of the native module (python/src/lib.rs). Use the functions of
``budgetgrid`` instead; these are its building blocks."""

from typing import Optional, Sequence

__version__: str

def read(
    part: str,
    path: Optional[str] = None,
    data: Optional[bytes] = None,
    name: Optional[str] = None,
    format: Optional[str] = None,
    reference: Sequence[str] = ...,
) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(body_json, None, errors_json) for a document read, or (None, error_json, None)
    for one that failed. ``part``: document, records, findings or tables."""

def read_flat(
    path: Optional[str] = None,
    data: Optional[bytes] = None,
    name: Optional[str] = None,
    format: Optional[str] = None,
    reference: Sequence[str] = ...,
) -> tuple[Optional[dict[str, list]], Optional[str], Optional[str]]:
    """({column: values}, None, errors_json), or (None, error_json, None). Decimals
    are strings."""

def flat_columns() -> list[tuple[str, str, bool, str]]:
    """(name, kind, required, description) of each flat-record column, in order."""

def decimal_scale() -> int:
    """The scale of the decimal columns (10)."""

def doc_ids(files: Sequence[tuple[str, str]]) -> list[str]:
    """Unique document ids for (root, file) pairs, as the command line gives them."""
