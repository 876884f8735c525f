//! Exports: tidy records (JSONL, CSV), per-document JSON, per-table wide CSV, errors.

pub mod columns;
pub mod datapackage;
pub mod outputs;
pub mod parquet;
pub mod sqlite;
pub mod xlsx;

use crate::model::{Document, ErrorRecord, Record, TableOut};
use std::io::Write;

pub fn write_jsonl_records<W: Write + ?Sized>(
    w: &mut W,
    records: &[Record],
) -> std::io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *w, r)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

pub fn write_jsonl<W: Write + ?Sized, T: serde::Serialize>(
    w: &mut W,
    items: &[T],
) -> std::io::Result<()> {
    for r in items {
        serde_json::to_writer(&mut *w, r)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

pub fn csv_header<W: Write>(w: &mut csv::Writer<W>) -> csv::Result<()> {
    w.write_record(columns::names())
}

pub fn write_csv_records<W: Write>(w: &mut csv::Writer<W>, records: &[Record]) -> csv::Result<()> {
    for r in records {
        w.write_record(columns::values(r).iter().map(|v| v.text().into_owned()))?;
    }
    Ok(())
}

/// The grid as printed, header paths flattened into the first row.
/// The first row of a table's wide CSV: each column's composed heading with the measure
/// it was read as (`基本支出 / 小计 [basic]`), unique and non-empty.
pub fn wide_header(t: &TableOut) -> Vec<String> {
    let header: Vec<String> = t
        .columns
        .iter()
        .map(|c| match &c.measure {
            Some(m) => format!("{} [{m}]", c.header),
            None => c.header.clone(),
        })
        .collect();
    unique_labels(&header)
}

/// A table as printed: its heading row, then its body rows (rows with no text at all are
/// left out).
pub fn write_wide<W: Write>(w: W, t: &TableOut) -> csv::Result<()> {
    let mut wr = csv::WriterBuilder::new().flexible(true).from_writer(w);
    wr.write_record(wide_header(t))?;
    for row in t.grid.rows.iter().skip(t.header_rows) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        wr.write_record(row)?;
    }
    wr.flush()?;
    Ok(())
}

/// One document as one line of compact JSON (with its newline).
pub fn write_document_json<W: Write + ?Sized>(w: &mut W, d: &Document) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, d)?;
    w.write_all(b"\n")
}

pub fn write_errors<W: Write + ?Sized>(w: &mut W, errors: &[ErrorRecord]) -> std::io::Result<()> {
    write_jsonl(w, errors)
}

/// Column labels a table reader accepts: a blank one becomes `column N` (1-based), a
/// repeated one gets ` (2)`, ` (3)` … (pandas, Excel and Frictionless all need them
/// unique and non-empty).
pub fn unique_labels(header: &[String]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let base = if h.trim().is_empty() {
                format!("column {}", i + 1)
            } else {
                h.clone()
            };
            let mut label = base.clone();
            let mut n = 2;
            while !seen.insert(label.clone()) {
                label = format!("{base} ({n})");
                n += 1;
            }
            label
        })
        .collect()
}

/// A safe file name for a table's wide CSV.
pub fn wide_name(doc_id: &str, t: &TableOut) -> String {
    let id: String = doc_id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{id}__{:02}_{}.csv", t.table_no, t.table_type.as_str())
}
