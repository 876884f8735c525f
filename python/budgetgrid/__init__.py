"""budgetgrid for Python: Chinese budget and final-account disclosures as datasets.

Each function reads one document, a PDF, an HTML page or a text file, given as a path
or as bytes. The work runs in Rust with the GIL released, so threads can read documents
in parallel. The results are the same ones that ``budgetgrid extract`` writes.

    >>> import budgetgrid
    >>> recs = budgetgrid.extract("samples/pdf/001_ce97c528681cbbae.pdf")
    >>> recs[0]["subject_code"], recs[0]["measure"], recs[0]["amount"]

- ``extract``: the records, as dicts shaped like the JSONL lines. Amounts are exact
  decimal strings, as printed.
- ``check``: the findings. These are the document's own arithmetic checked: parents
  against children, totals against parts, one table against another.
- ``tables``: the tables as read, with their grids, headers and column measures.
- ``document``: all of the above in one dict, as ``--format json`` writes it.
- ``to_arrow`` / ``to_pandas``: the flat records, typed. Codes are strings, and amounts
  are ``decimal128(38, 10)``. These are the columns of ``--format parquet``, and they
  can read one document or many.

A document that cannot be read raises ``BudgetgridError``, with ``file``, ``stage`` and
``reason``. A document that is read only in part, such as one with scanned pages, still
returns what it holds, and warns ``BudgetgridWarning`` for each part it lost.
"""

from __future__ import annotations

import json
import os
import warnings
from decimal import Decimal
from typing import Any, Iterable, Optional, Sequence, Union

from . import _native

__all__ = [
    "BudgetgridError",
    "BudgetgridWarning",
    "extract",
    "check",
    "tables",
    "document",
    "to_arrow",
    "to_pandas",
    "arrow_schema",
    "__version__",
]

__version__: str = _native.__version__

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]

# The stage of an error record that is a warning (a part of a document skipped), as the
# command line prints it.
_WARNING_STAGE = "warning"


class BudgetgridError(Exception):
    """A document that could not be read.

    Attributes: ``file`` (the path, or the name given for bytes), ``stage`` (``read``,
    ``ingest``, ``grid``, ``normalize`` or ``internal``), ``reason`` (what went wrong),
    ``doc_id``.
    """

    def __init__(self, file: str, stage: str, reason: str, doc_id: str = "") -> None:
        super().__init__(f"{file}: {stage}: {reason}")
        self.file = file
        self.stage = stage
        self.reason = reason
        self.doc_id = doc_id


class BudgetgridWarning(UserWarning):
    """A part of a document that could not be read. The rest was read."""


def _args(
    src: Source, name: Optional[str], format: Optional[str], reference: Optional[Sequence[Any]]
) -> dict:
    if isinstance(src, (bytes, bytearray, memoryview)):
        path, data = None, bytes(src)
    elif isinstance(src, (str, os.PathLike)):
        path, data = os.fspath(src), None
    else:
        raise TypeError(f"a path or bytes, not {type(src).__name__}")
    if isinstance(reference, (str, os.PathLike)):
        reference = [reference]
    return {
        "path": path,
        "data": data,
        "name": name,
        "format": format,
        "reference": [os.fspath(r) for r in (reference or [])],
    }


def _raise_or_warn(error: Optional[str], errors: Optional[str]) -> None:
    if error is not None:
        e = json.loads(error)
        raise BudgetgridError(e["source"], e["stage"], e["reason"], e.get("doc_id", ""))
    for e in json.loads(errors or "[]"):
        kind = "" if e["stage"] == _WARNING_STAGE else f"{e['stage']}: "
        warnings.warn(BudgetgridWarning(f"{e['source']}: {kind}{e['reason']}"), stacklevel=3)


def _read(part: str, src: Source, name, format, reference) -> Any:
    body, error, errors = _native.read(part, **_args(src, name, format, reference))
    _raise_or_warn(error, errors)
    return json.loads(body)


def extract(
    src: Source,
    *,
    format: Optional[str] = None,
    reference: Optional[Sequence[Any]] = None,
    name: Optional[str] = None,
) -> list[dict]:
    """The records of one document: one dict for each number printed in its tables.

    ``src``: a path (str or os.PathLike), or the document's bytes.
    ``format``: ``"pdf"``, ``"html"`` or ``"text"``. By default it is told from the
    content, then the file name.
    ``reference``: code-list files (CSV or JSON) that add to the built-in lists, as
    ``--reference`` does.
    ``name``: for bytes, the file name. It gives the document id and ``source``, and
    the format when the content does not tell. For a path, it is the document id.

    Keys are those of the JSONL record (``schemas/record.schema.json``): ``doc_id``,
    ``table_type``, ``subject_code``, ``measure``, ``amount`` (an exact decimal string),
    ``flags``, and so on. Raises ``BudgetgridError`` when the document cannot be read.
    """
    return _read("records", src, name, format, reference)


def check(
    src: Source,
    *,
    format: Optional[str] = None,
    reference: Optional[Sequence[Any]] = None,
    name: Optional[str] = None,
) -> list[dict]:
    """The findings of one document, as the ``findings`` of ``--format json``.

    A finding is a place where the document's own arithmetic or naming does not hold.
    Its ``class`` is ``mismatch``, ``rounding``, ``unknown_code`` or ``name_mismatch``,
    and ``check`` says which check it is. It also gives the table, row, code and
    measure, and the ``printed`` and ``computed`` values. An empty list means that every
    check passed.
    """
    return _read("findings", src, name, format, reference)


def tables(
    src: Source,
    *,
    format: Optional[str] = None,
    reference: Optional[Sequence[Any]] = None,
    name: Optional[str] = None,
) -> list[dict]:
    """The tables of one document as read.

    Each table gives its number, type, title, unit and page, its grid (rows of cell
    text), the number of header rows, and its columns with their composed heading and
    measure.
    """
    return _read("tables", src, name, format, reference)


def document(
    src: Source,
    *,
    format: Optional[str] = None,
    reference: Optional[Sequence[Any]] = None,
    name: Optional[str] = None,
) -> dict:
    """One document as ``--format json`` writes it.

    It holds the document's metadata, ``tables``, ``records``, ``findings`` and
    ``errors`` (the parts that could not be read).
    """
    return _read("document", src, name, format, reference)


def _arrow_type(kind: str):
    import pyarrow as pa

    return {
        "text": pa.string(),
        "code": pa.string(),
        "integer": pa.int64(),
        "decimal": pa.decimal128(38, _native.decimal_scale()),
        "boolean": pa.bool_(),
        "real": pa.float64(),
    }[kind]


def arrow_schema():
    """The Arrow schema of the flat records.

    It has the same columns, in the same order, as ``--format parquet``. The column
    descriptions are kept as field metadata.
    """
    import pyarrow as pa

    return pa.schema(
        [
            pa.field(
                n,
                _arrow_type(k),
                nullable=not required,
                metadata={"description": d},
            )
            for n, k, required, d in _native.flat_columns()
        ]
    )


def _flat(src: Source, name, format, reference):
    cols, error, errors = _native.read_flat(**_args(src, name, format, reference))
    _raise_or_warn(error, errors)
    return cols


def to_arrow(
    src: Union[Source, Iterable[Source]],
    *,
    format: Optional[str] = None,
    reference: Optional[Sequence[Any]] = None,
    name: Optional[str] = None,
):
    """The flat records of one document, or of several, as a ``pyarrow.Table``.

    For several documents, pass a list of paths or bytes. The records follow in input
    order, and one that fails raises ``BudgetgridError``.

    The types are the same as ``--format parquet``. Codes are strings, so leading zeros
    are kept. ``amount`` and ``amount_wan`` are ``decimal128(38, 10)``: exact, whatever
    scale was printed. Counts are int64 and ``is_total`` is bool.
    """
    import pyarrow as pa

    schema = arrow_schema()
    many = not isinstance(src, (str, os.PathLike, bytes, bytearray, memoryview))
    sources = list(src) if many else [src]
    if many and name is not None:
        raise ValueError("name names one document; pass bytes one at a time to name them")
    batches = [
        pa.RecordBatch.from_arrays(_arrays_of(_flat(s, name, format, reference), schema), schema=schema)
        for s in sources
    ]
    return pa.Table.from_batches(batches, schema=schema)


def _arrays_of(cols: dict, schema) -> list:
    """Arrow arrays of flat-record columns (decimals given as strings)."""
    import pyarrow as pa

    arrays = []
    for field in schema:
        values = cols[field.name]
        if pa.types.is_decimal(field.type):
            values = [None if v is None else Decimal(v) for v in values]
        arrays.append(pa.array(values, type=field.type))
    return arrays


def to_pandas(
    src: Union[Source, Iterable[Source]],
    *,
    format: Optional[str] = None,
    reference: Optional[Sequence[Any]] = None,
    name: Optional[str] = None,
):
    """The flat records as a pandas DataFrame, typed as in ``to_arrow``.

    Every column has a pyarrow-backed dtype: codes ``string[pyarrow]``, amounts
    ``decimal128(38, 10)[pyarrow]``, counts ``int64[pyarrow]``. Nulls stay nulls, and
    no amount passes through a float.
    """
    import pandas as pd

    t = to_arrow(src, format=format, reference=reference, name=name)
    return t.to_pandas(types_mapper=pd.ArrowDtype)
