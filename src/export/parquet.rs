//! Parquet output (`--format parquet`): the flat records ([`super::columns`]), typed:
//! codes and text as UTF-8 strings, counts and positions as INT64, `is_total` BOOLEAN, the
//! cell box DOUBLE (the 0.01 pt value), and `amount` / `amount_wan` as DECIMAL(38, 10): exact, whatever scale
//! was printed (a DECIMAL column has one scale, so `0.000` reads back as 0E-10 = 0; the
//! scale as printed is in every text format). One row group per document, written when
//! the document is done, so memory stays flat in the number of documents. Snappy pages.

use super::columns::{self, Kind, Value, COLUMNS};
use super::outputs::{output_error as err, OutputError};
use crate::model::Document;
use parquet::basic::Compression;
use parquet::column::writer::{ColumnWriter, ColumnWriterImpl};
use parquet::data_type::{ByteArray, DataType, FixedLenByteArray};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use rust_decimal::Decimal;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// The scale of the decimal columns.
pub const SCALE: u32 = 10;

/// The Parquet schema of the records.
pub fn schema() -> String {
    let mut s = String::from("message record {\n");
    for c in COLUMNS {
        let rep = if c.required { "REQUIRED" } else { "OPTIONAL" };
        let ty = match c.kind {
            Kind::Text | Kind::Code => "BYTE_ARRAY".to_string(),
            Kind::Integer => "INT64".to_string(),
            Kind::Decimal => "FIXED_LEN_BYTE_ARRAY (16)".to_string(),
            Kind::Boolean => "BOOLEAN".to_string(),
            Kind::Real => "DOUBLE".to_string(),
        };
        let logical = match c.kind {
            Kind::Text | Kind::Code => " (STRING)".to_string(),
            Kind::Decimal => format!(" (DECIMAL(38, {SCALE}))"),
            _ => String::new(),
        };
        s.push_str(&format!("  {rep} {ty} {}{logical};\n", c.name));
    }
    s.push('}');
    s
}

/// An exact decimal as the 16 big-endian bytes of its unscaled value at [`SCALE`]; None
/// when it has more decimals than that or does not fit (no budget amount does).
pub fn unscaled(d: &str) -> Option<[u8; 16]> {
    let d = Decimal::from_str(d).ok()?;
    if d.scale() > SCALE {
        return None;
    }
    let v = d
        .mantissa()
        .checked_mul(10i128.checked_pow(SCALE - d.scale())?)?;
    // DECIMAL(38, …): at most 38 digits.
    (v.unsigned_abs() < 10u128.pow(38)).then(|| v.to_be_bytes())
}

/// The Parquet file being written.
pub struct ParquetOut {
    writer: Option<SerializedFileWriter<BufWriter<File>>>,
    dest: PathBuf,
    tmp: PathBuf,
}

impl ParquetOut {
    /// Open the file under `tmp`; it is moved to `dest` when whole.
    pub fn create(dest: &Path, tmp: PathBuf) -> Result<ParquetOut, OutputError> {
        let schema = Arc::new(parse_message_type(&schema()).map_err(|e| err(dest, e))?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("budgetgrid {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        let file = File::create(&tmp).map_err(|e| err(dest, e))?;
        let writer = SerializedFileWriter::new(BufWriter::new(file), schema, props)
            .map_err(|e| err(dest, e))?;
        Ok(ParquetOut {
            writer: Some(writer),
            dest: dest.to_path_buf(),
            tmp,
        })
    }

    /// One document's records as one row group (none for a document without records).
    pub fn document(&mut self, d: &Document) -> Result<(), OutputError> {
        if d.records.is_empty() {
            return Ok(());
        }
        // Every amount must fit the decimal columns before anything is written.
        for r in &d.records {
            for a in std::iter::once(&r.amount).chain(&r.amount_wan) {
                if unscaled(a).is_none() {
                    return Err(err(
                        &self.dest,
                        format!(
                            "{}: amount {a} does not fit DECIMAL(38, {SCALE}); its records are not in the Parquet file",
                            d.doc_id
                        ),
                    ));
                }
            }
        }
        let dest = self.dest.clone();
        let Some(w) = self.writer.as_mut() else {
            return Ok(());
        };
        write_group(w, d).map_err(|e| err(&dest, e))
    }

    /// Write the footer and move the file into place.
    pub fn finish(mut self) -> Result<(), OutputError> {
        if let Some(w) = self.writer.take() {
            w.close().map_err(|e| err(&self.dest, e))?;
        }
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| err(&self.dest, e))
    }

    pub fn dest(&self) -> &Path {
        &self.dest
    }
}

fn write_group(
    w: &mut SerializedFileWriter<BufWriter<File>>,
    d: &Document,
) -> Result<(), ParquetError> {
    let rows: Vec<Vec<Value>> = d.records.iter().map(columns::values).collect();
    let mut group = w.next_row_group()?;
    let mut k = 0;
    while let Some(mut col) = group.next_column()? {
        let values = rows.iter().map(|r| &r[k]);
        let def: Vec<i16> = values
            .clone()
            .map(|v| i16::from(*v != Value::Null))
            .collect();
        let def = (!COLUMNS[k].required).then_some(def.as_slice());
        match col.untyped() {
            ColumnWriter::ByteArrayColumnWriter(cw) => put(cw, values, def, |v| {
                (*v != Value::Null).then(|| ByteArray::from(v.text().as_bytes().to_vec()))
            })?,
            ColumnWriter::Int64ColumnWriter(cw) => put(cw, values, def, |v| match v {
                Value::Int(i) => Some(*i),
                _ => None,
            })?,
            ColumnWriter::BoolColumnWriter(cw) => put(cw, values, def, |v| match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            })?,
            ColumnWriter::DoubleColumnWriter(cw) => put(cw, values, def, |v| match v {
                Value::Real(x) => Some(*x),
                _ => None,
            })?,
            ColumnWriter::FixedLenByteArrayColumnWriter(cw) => put(cw, values, def, |v| match v {
                Value::Decimal(t) => unscaled(t).map(|b| FixedLenByteArray::from(b.to_vec())),
                _ => None,
            })?,
            _ => {
                return Err(ParquetError::General(format!(
                    "column {} has an unexpected type",
                    COLUMNS[k].name
                )))
            }
        }
        col.close()?;
        k += 1;
    }
    group.close()?;
    Ok(())
}

/// Write one column: the non-null values `pick` takes, with the definition levels.
fn put<'v, T: DataType>(
    cw: &mut ColumnWriterImpl<'_, T>,
    values: impl Iterator<Item = &'v Value<'v>>,
    def: Option<&[i16]>,
    pick: impl Fn(&Value) -> Option<T::T>,
) -> Result<(), ParquetError> {
    let vs: Vec<T::T> = values.filter_map(pick).collect();
    cw.write_batch(&vs, def, None).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_at_the_columns_scale() {
        let v = |s: &str| i128::from_be_bytes(unscaled(s).unwrap());
        assert_eq!(v("379.14"), 3_791_400_000_000);
        assert_eq!(v("-12.5"), -125_000_000_000);
        assert_eq!(v("0.000"), 0);
        assert_eq!(v("1.2345678901"), 12_345_678_901);
        // More decimals than the column holds, or more than 38 digits: no value.
        assert!(unscaled("0.12345678901").is_none());
        assert!(unscaled("99999999999999999999999999999").is_none());
        assert!(parse_message_type(&schema()).is_ok());
    }
}
