//! Exports: tidy records (JSONL, CSV), per-document JSON, per-table wide CSV, errors.

pub mod outputs;

use crate::model::{Document, ErrorRecord, Record, TableOut};
use std::io::Write;

/// Column order of the tidy CSV: the spec's record fields, then the cell position.
pub const CSV_FIELDS: &[&str] = &[
    "doc_id",
    "source",
    "format",
    "department",
    "fiscal_year",
    "doc_kind",
    "table_no",
    "table_type",
    "table_title",
    "page",
    "unit",
    "row_no",
    "label",
    "subject_scheme",
    "subject_code",
    "subject_name",
    "econ_gov_code",
    "measure",
    "header",
    "amount",
    "flags",
    "cell_row",
    "cell_col",
    "name_source",
    "level",
    "class_code",
    "parent_code",
    "is_total",
    "amount_wan",
    "side",
    "department_key",
    "scope",
];

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
    w.write_record(CSV_FIELDS)
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

pub fn write_csv_records<W: Write>(w: &mut csv::Writer<W>, records: &[Record]) -> csv::Result<()> {
    for r in records {
        w.write_record([
            r.doc_id.clone(),
            r.source.clone(),
            r.format.as_str().to_string(),
            opt(&r.department),
            opt(&r.fiscal_year),
            r.doc_kind
                .map(|k| match k {
                    crate::model::DocKind::Budget => "budget".to_string(),
                    crate::model::DocKind::FinalAccount => "final_account".to_string(),
                })
                .unwrap_or_default(),
            r.table_no.to_string(),
            r.table_type.as_str().to_string(),
            opt(&r.table_title),
            opt(&r.page),
            opt(&r.unit),
            r.row_no.to_string(),
            r.label.clone(),
            r.subject_scheme.clone(),
            opt(&r.subject_code),
            opt(&r.subject_name),
            opt(&r.econ_gov_code),
            opt(&r.measure),
            r.header.clone(),
            r.amount.clone(),
            r.flags.join(";"),
            r.cell[0].to_string(),
            r.cell[1].to_string(),
            opt(&r.name_source),
            opt(&r.level),
            opt(&r.class_code),
            opt(&r.parent_code),
            r.is_total.to_string(),
            opt(&r.amount_wan),
            opt(&r.side),
            opt(&r.department_key),
            opt(&r.scope),
        ])?;
    }
    Ok(())
}

/// The grid as printed, header paths flattened into the first row.
pub fn write_wide<W: Write>(w: W, t: &TableOut) -> csv::Result<()> {
    let mut wr = csv::WriterBuilder::new().flexible(true).from_writer(w);
    let header: Vec<String> = t
        .columns
        .iter()
        .map(|c| match &c.measure {
            Some(m) => format!("{} [{m}]", c.header),
            None => c.header.clone(),
        })
        .collect();
    wr.write_record(&header)?;
    for row in t.grid.rows.iter().skip(t.header_rows) {
        wr.write_record(row)?;
    }
    wr.flush()?;
    Ok(())
}

pub fn write_document_json<W: Write + ?Sized>(
    w: &mut W,
    d: &Document,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *w, d)
    } else {
        serde_json::to_writer(&mut *w, d)
    }
}

pub fn write_errors<W: Write + ?Sized>(w: &mut W, errors: &[ErrorRecord]) -> std::io::Result<()> {
    write_jsonl(w, errors)
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
