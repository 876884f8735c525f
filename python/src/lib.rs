//! `budgetgrid._native`: the Rust library behind the Python package `budgetgrid`.
//!
//! Thin on purpose: each function reads one document (a path or bytes) with the GIL
//! released and hands back what the command line writes, as JSON text (records,
//! findings, tables, the whole document) or as columns of the flat record (the Parquet
//! and CSV columns). `budgetgrid/__init__.py` turns these into dicts, Arrow tables and
//! DataFrames, and a failed document into `budgetgrid.BudgetgridError`.
//!
//! Never crashes the interpreter: the library catches a panic inside a document and
//! returns it as an error record; a panic outside it (a bug here) is turned into a
//! Python exception by PyO3.

use budgetgrid::export::columns::{self, Kind, Value, COLUMNS};
use budgetgrid::model::{Document, ErrorRecord, Format};
use budgetgrid::{
    doc_id_of, process_bytes, process_bytes_in, process_file_in, unique_doc_ids, Options,
};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};

/// Options with the built-in code lists plus the given reference files.
fn options(reference: &[PathBuf]) -> PyResult<Options> {
    let mut opts = Options::default();
    for r in reference {
        opts.reference
            .load_file(r)
            .map_err(|e| PyOSError::new_err(format!("loading reference {}: {e:#}", r.display())))?;
    }
    Ok(opts)
}

fn parse_format(format: Option<&str>) -> PyResult<Option<Format>> {
    format
        .map(|f| {
            Format::parse(f).ok_or_else(|| {
                PyValueError::new_err(format!("format must be pdf, text or html, not {f:?}"))
            })
        })
        .transpose()
}

/// Read one document: from `path`, or from `data` (then `name` is its file name, for
/// the document id and the format when the content does not tell).
fn run(
    py: Python<'_>,
    path: Option<PathBuf>,
    data: Option<Vec<u8>>,
    name: Option<String>,
    format: Option<&str>,
    reference: Vec<PathBuf>,
) -> PyResult<Result<Document, ErrorRecord>> {
    let format = parse_format(format)?;
    let opts = options(&reference)?;
    Ok(py.detach(move || match (path, data) {
        (Some(p), _) => {
            let id = name.unwrap_or_else(|| doc_id_of(&p));
            process_file_in(&p, &id, format, &opts)
        }
        (None, Some(bytes)) => {
            let name = name.unwrap_or_else(|| "document".to_string());
            let hint = Path::new(&name);
            let id = doc_id_of(hint);
            match format {
                Some(f) => process_bytes_in(&id, &name, f, &bytes, &opts),
                None => process_bytes(&id, &name, hint, &bytes, &opts),
            }
        }
        (None, None) => Err(ErrorRecord {
            doc_id: String::new(),
            source: String::new(),
            stage: "read".into(),
            reason: "neither a path nor bytes given".into(),
        }),
    }))
}

fn json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Read one document and return `(document_json, None)`, or `(None, error_json)` when it
/// failed (an error record: doc_id, source, stage, reason).
///
/// `part` picks what the JSON holds: "document" (the per-document JSON of
/// `--format json`), "records", "findings" or "tables".
#[pyfunction]
#[pyo3(signature = (part, path=None, data=None, name=None, format=None, reference=Vec::new()))]
fn read(
    py: Python<'_>,
    part: &str,
    path: Option<PathBuf>,
    data: Option<Vec<u8>>,
    name: Option<String>,
    format: Option<&str>,
    reference: Vec<PathBuf>,
) -> PyResult<(Option<String>, Option<String>, Option<String>)> {
    if !matches!(part, "document" | "records" | "findings" | "tables") {
        return Err(PyValueError::new_err(format!("unknown part {part:?}")));
    }
    match run(py, path, data, name, format, reference)? {
        Ok(d) => {
            let body = match part {
                "records" => json(&d.records)?,
                "findings" => json(&d.findings)?,
                "tables" => json(&d.tables)?,
                _ => json(&d)?,
            };
            // Parts of the document that could not be read, as error records.
            Ok((Some(body), None, Some(json(&d.errors)?)))
        }
        Err(e) => Ok((None, Some(json(&e)?), None)),
    }
}

/// Read one document and return its flat records as columns:
/// `({column: [value, ...]}, None, errors_json)`, or `(None, error_json, None)`.
/// Decimals come as strings (exact); the Python side types them.
#[pyfunction]
#[pyo3(signature = (path=None, data=None, name=None, format=None, reference=Vec::new()))]
#[allow(clippy::type_complexity)]
fn read_flat<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    data: Option<Vec<u8>>,
    name: Option<String>,
    format: Option<&str>,
    reference: Vec<PathBuf>,
) -> PyResult<(Option<Bound<'py, PyDict>>, Option<String>, Option<String>)> {
    let d = match run(py, path, data, name, format, reference)? {
        Ok(d) => d,
        Err(e) => return Ok((None, Some(json(&e)?), None)),
    };
    let out = PyDict::new(py);
    let rows: Vec<Vec<Value<'_>>> = d.records.iter().map(columns::values).collect();
    for (i, c) in COLUMNS.iter().enumerate() {
        let list = PyList::empty(py);
        for row in &rows {
            match &row[i] {
                Value::Null => list.append(py.None())?,
                Value::Text(t) => list.append(t.as_ref())?,
                Value::Int(x) => list.append(*x)?,
                Value::Bool(b) => list.append(*b)?,
                Value::Decimal(s) => list.append(*s)?,
                Value::Real(x) => list.append(*x)?,
            }
        }
        out.set_item(c.name, list)?;
    }
    Ok((Some(out), None, Some(json(&d.errors)?)))
}

/// The flat record's columns: (name, kind, required, description), kind one of text,
/// code, integer, decimal, boolean, real.
#[pyfunction]
fn flat_columns() -> Vec<(&'static str, &'static str, bool, &'static str)> {
    COLUMNS
        .iter()
        .map(|c| {
            let kind = match c.kind {
                Kind::Text => "text",
                Kind::Code => "code",
                Kind::Integer => "integer",
                Kind::Decimal => "decimal",
                Kind::Boolean => "boolean",
                Kind::Real => "real",
            };
            (c.name, kind, c.required, c.description)
        })
        .collect()
}

/// Document ids for the files of one batch, unique within it, as the command line gives
/// them: `files` are (root, file) pairs (see `budgetgrid::unique_doc_ids`).
#[pyfunction]
fn doc_ids(files: Vec<(PathBuf, PathBuf)>) -> Vec<String> {
    unique_doc_ids(&files)
}

/// The scale of decimal columns in Arrow and Parquet (as `--format parquet`).
#[pyfunction]
fn decimal_scale() -> u32 {
    budgetgrid::export::parquet::SCALE
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(read_flat, m)?)?;
    m.add_function(wrap_pyfunction!(flat_columns, m)?)?;
    m.add_function(wrap_pyfunction!(decimal_scale, m)?)?;
    m.add_function(wrap_pyfunction!(doc_ids, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
