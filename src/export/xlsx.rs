//! Excel output (`--format xlsx`): one workbook with
//! - `records`: the flat records ([`super::columns`]), codes as text (leading zeros kept),
//!   amounts as numbers shown with the decimals they were printed with (`0.000` stays);
//! - `tables`: one line per table (document, number, type, title, unit, page) naming the
//!   sheet that holds it;
//! - one sheet per table as printed (`1.03 general_expenditure`: document 1 of the run,
//!   table 3): header rows then body rows, each cell that gave a record a number, every
//!   other cell text.
//!
//! Excel numbers are binary doubles: an amount of at most 15 significant digits (every
//! amount a budget prints) shows exactly as printed; the exact decimal is in every other
//! format. A `records` sheet holds 1,048,575 records; more go on `records (2)`, ….
//! The records sheets are written in constant memory (rows go to a temporary file as they
//! come); the table sheets are kept until the workbook is saved, so a run of thousands of
//! documents wants `parquet` or `sqlite` instead.

use super::columns::{self, Value, COLUMNS};
use super::outputs::{output_error as err, OutputError};
use crate::model::Document;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Excel's last row index (rows are 0-based; 1,048,576 rows).
const MAX_ROW: u32 = 1_048_575;

/// The workbook being written.
pub struct XlsxOut {
    book: Workbook,
    dest: PathBuf,
    tmp: PathBuf,
    /// The index of the current records sheet and its next row.
    records: (usize, u32),
    records_sheets: usize,
    /// Sheets added so far.
    sheets: usize,
    /// The `tables` sheet's index and next row.
    tables: (usize, u32),
    /// Documents written so far (numbers the table sheets).
    docs: usize,
    /// Number formats by decimals (`0`, `0.0`, … up to [`MAX_DECIMALS`]).
    formats: Vec<Format>,
    bold: Format,
}

/// Decimals a number format is made for; an amount printed with more is written as text.
const MAX_DECIMALS: usize = 10;

/// A decimal string as a spreadsheet number with the format that shows its printed
/// decimals (`"0.000"` → 0.0 shown `0.000`).
fn number<'f>(formats: &'f [Format], d: &str) -> Option<(f64, &'f Format)> {
    let decimals = d.split_once('.').map_or(0, |(_, f)| f.len());
    Some((d.parse().ok()?, formats.get(decimals)?))
}

impl XlsxOut {
    /// Start the workbook that will be saved (under `tmp`, then renamed) at `dest`.
    pub fn create(dest: &Path, tmp: PathBuf) -> Result<XlsxOut, OutputError> {
        let mut out = XlsxOut {
            book: Workbook::new(),
            dest: dest.to_path_buf(),
            tmp,
            records: (0, 0),
            records_sheets: 0,
            sheets: 0,
            tables: (1, 1),
            docs: 0,
            formats: (0..=MAX_DECIMALS)
                .map(|k| match k {
                    0 => Format::new().set_num_format("0"),
                    k => Format::new().set_num_format(format!("0.{}", "0".repeat(k))),
                })
                .collect(),
            bold: Format::new().set_bold(),
        };
        out.start().map_err(|e| err(dest, e))?;
        Ok(out)
    }

    /// The first records sheet and the `tables` sheet, with their header rows.
    fn start(&mut self) -> Result<(), XlsxError> {
        self.new_records_sheet()?;
        let ws = self.book.add_worksheet();
        self.sheets += 1;
        ws.set_name("tables")?;
        let head = [
            "sheet",
            "doc_id",
            "table_no",
            "table_type",
            "title",
            "unit",
            "page",
        ];
        for (c, h) in head.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &self.bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        self.tables = (self.sheets - 1, 1);
        Ok(())
    }

    /// A records sheet (the first, or the next when one is full), with its header row.
    fn new_records_sheet(&mut self) -> Result<(), XlsxError> {
        self.records_sheets += 1;
        let name = if self.records_sheets == 1 {
            "records".to_string()
        } else {
            format!("records ({})", self.records_sheets)
        };
        let ws = self.book.add_worksheet_with_constant_memory()?;
        self.sheets += 1;
        ws.set_name(name)?;
        for (c, col) in COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.name, &self.bold)?;
        }
        ws.set_freeze_panes(1, 0)?;
        self.records = (self.sheets - 1, 1);
        Ok(())
    }

    /// One document: its records, its tables' lines and sheets.
    pub fn document(&mut self, d: &Document) -> Result<(), OutputError> {
        let dest = self.dest.clone();
        self.write_document(d).map_err(|e| err(&dest, e))
    }

    fn write_document(&mut self, d: &Document) -> Result<(), XlsxError> {
        self.docs += 1;
        for r in &d.records {
            if self.records.1 > MAX_ROW {
                self.new_records_sheet()?;
            }
            let row = self.records.1;
            let ws = self.book.worksheet_from_index(self.records.0)?;
            for (c, v) in columns::values(r).iter().enumerate() {
                let c = c as u16;
                match v {
                    Value::Null => {}
                    Value::Text(t) => {
                        ws.write_string(row, c, t.as_ref())?;
                    }
                    Value::Int(i) => {
                        ws.write_number(row, c, *i as f64)?;
                    }
                    Value::Bool(b) => {
                        ws.write_boolean(row, c, *b)?;
                    }
                    Value::Decimal(t) => match number(&self.formats, t) {
                        Some((x, f)) => {
                            ws.write_number_with_format(row, c, x, f)?;
                        }
                        None => {
                            ws.write_string(row, c, *t)?;
                        }
                    },
                    Value::Real(x) => {
                        ws.write_number(row, c, *x)?;
                    }
                }
            }
            self.records.1 += 1;
        }
        // The cells that gave records are numbers on the table sheets.
        let mut amounts: BTreeMap<(usize, usize, usize), &str> = BTreeMap::new();
        for r in &d.records {
            amounts.insert((r.table_no, r.cell[0], r.cell[1]), r.amount.as_str());
        }
        for t in &d.tables {
            let name = format!("{}.{:02} {}", self.docs, t.table_no, t.table_type.as_str());
            let line = self.tables.1;
            let ws = self.book.worksheet_from_index(self.tables.0)?;
            ws.write_string(line, 0, &name)?;
            ws.write_string(line, 1, &d.doc_id)?;
            ws.write_number(line, 2, t.table_no as f64)?;
            ws.write_string(line, 3, t.table_type.as_str())?;
            if let Some(title) = &t.title {
                ws.write_string(line, 4, title)?;
            }
            if let Some(unit) = &t.unit {
                ws.write_string(line, 5, unit)?;
            }
            if let Some(page) = t.page {
                ws.write_number(line, 6, f64::from(page))?;
            }
            self.tables.1 += 1;
            let ws = self.book.add_worksheet();
            self.sheets += 1;
            ws.set_name(&name)?;
            for (r, row) in t.grid.rows.iter().enumerate() {
                for (c, text) in row.iter().enumerate().filter(|(_, x)| !x.is_empty()) {
                    let num = amounts
                        .get(&(t.table_no, r, c))
                        .and_then(|a| number(&self.formats, a));
                    let (r, c) = (r as u32, c as u16);
                    match num {
                        Some((x, f)) => ws.write_number_with_format(r, c, x, f)?,
                        None if (r as usize) < t.header_rows => {
                            ws.write_string_with_format(r, c, text, &self.bold)?
                        }
                        None => ws.write_string(r, c, text)?,
                    };
                }
            }
            ws.set_freeze_panes(t.header_rows as u32, 0)?;
        }
        Ok(())
    }

    /// Save the workbook under its temporary name, then move it into place.
    pub fn finish(mut self) -> Result<(), OutputError> {
        let dest = self.dest.clone();
        self.book.save(&self.tmp).map_err(|e| err(&dest, e))?;
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| err(&dest, e))
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }
}
