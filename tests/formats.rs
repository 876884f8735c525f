//! Every output format read back by an independent reader (rusqlite, calamine for xlsx,
//! the Parquet reader) holds the same records, column by column, as the JSONL output: a
//! PDF (with cell boxes), an HTML page and a flow-text document in one run.

mod common;

use budgetgrid::export::columns::{Kind, COLUMNS};
use budgetgrid::model::Record;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// A value read back, compared by kind: exact decimals, reals to 0.01 pt.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Dec(Decimal),
    Real(i64),
}

fn real(x: f64) -> Cell {
    Cell::Real((x * 100.0).round() as i64)
}

/// What a column of a record should read back as.
fn expected(r: &Record) -> Vec<Cell> {
    let json = serde_json::to_value(r).unwrap();
    COLUMNS
        .iter()
        .map(|c| {
            let v = match c.name {
                "cell_row" => json["cell"][0].clone(),
                "cell_col" => json["cell"][1].clone(),
                "cell_x0" => json["cell_bbox"][0].clone(),
                "cell_top" => json["cell_bbox"][1].clone(),
                "cell_x1" => json["cell_bbox"][2].clone(),
                "cell_bottom" => json["cell_bbox"][3].clone(),
                "flags" => serde_json::Value::String(r.flags.join(";")),
                n => json[n].clone(),
            };
            match (&v, c.kind) {
                (serde_json::Value::Null, _) => Cell::Null,
                (_, Kind::Text | Kind::Code) => Cell::Text(v.as_str().unwrap().to_string()),
                (_, Kind::Integer) => Cell::Int(v.as_i64().unwrap()),
                (_, Kind::Boolean) => Cell::Bool(v.as_bool().unwrap()),
                (_, Kind::Decimal) => Cell::Dec(Decimal::from_str(v.as_str().unwrap()).unwrap()),
                (_, Kind::Real) => real(v.as_f64().unwrap()),
            }
        })
        .collect()
}

fn run(format: &str, out: &Path) {
    let st = Command::new(env!("CARGO_BIN_EXE_budgetgrid"))
        .args(["extract", "-q", "--format", format, "-o"])
        .arg(out)
        .arg(common::sample("pdf", "000_"))
        .arg(common::sample("html", "004_"))
        .arg(common::sample("text", "002_"))
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0), "{format}");
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bg-formats-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn jsonl_records(dir: &Path) -> Vec<Record> {
    let p = dir.join("r.jsonl");
    run("jsonl", &p);
    std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The records, and a check that they span the three formats and carry PDF boxes.
fn want(dir: &Path) -> Vec<Vec<Cell>> {
    let recs = jsonl_records(dir);
    assert!(recs.len() > 1000);
    assert!(recs.iter().any(|r| r.cell_bbox.is_some()));
    assert!(recs.iter().any(|r| r.format.as_str() == "text"));
    assert!(recs
        .iter()
        .any(|r| r.subject_code.as_deref() == Some("016001")));
    recs.iter().map(expected).collect()
}

#[test]
fn parquet_reads_back_typed_as_the_jsonl_records() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let dir = tmp("parquet");
    let want = want(&dir);
    let p = dir.join("r.parquet");
    run("parquet", &p);
    let reader = SerializedFileReader::new(std::fs::File::open(&p).unwrap()).unwrap();
    // One row group per document.
    assert_eq!(reader.metadata().num_row_groups(), 3);
    let mut got = Vec::new();
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let cells: Vec<Cell> = row
            .get_column_iter()
            .map(|(_, f)| match f {
                Field::Null => Cell::Null,
                Field::Str(s) => Cell::Text(s.clone()),
                Field::Long(i) => Cell::Int(*i),
                Field::Bool(b) => Cell::Bool(*b),
                Field::Double(x) => real(*x),
                Field::Decimal(d) => {
                    let bytes = d.data();
                    let mut be = [if bytes[0] & 0x80 != 0 { 0xff } else { 0 }; 16];
                    be[16 - bytes.len()..].copy_from_slice(bytes);
                    let v = i128::from_be_bytes(be);
                    Cell::Dec(Decimal::from_i128_with_scale(v, d.scale() as u32))
                }
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        got.push(cells);
    }
    // Decimals compare by value (379.1400000000 == 379.14).
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
}

#[test]
fn xlsx_reads_back_with_codes_as_text_and_a_sheet_per_table() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tmp("xlsx");
    let want = want(&dir);
    let p = dir.join("r.xlsx");
    run("xlsx", &p);
    let mut wb: Xlsx<_> = open_workbook(&p).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "records");
    assert_eq!(names[1], "tables");
    let tables = wb.worksheet_range("tables").unwrap();
    // One sheet per table, each named in the index.
    assert_eq!(names.len() - 2, tables.height() - 1);
    let records = wb.worksheet_range("records").unwrap();
    let mut rows = records.rows();
    let head: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(head, COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>());
    let got: Vec<Vec<Cell>> = rows
        .map(|row| {
            COLUMNS
                .iter()
                .enumerate()
                .map(
                    |(k, c)| match (row.get(k).unwrap_or(&Data::Empty), c.kind) {
                        (Data::Empty, _) => Cell::Null,
                        (Data::String(s), Kind::Text | Kind::Code) => Cell::Text(s.clone()),
                        (Data::Float(x), Kind::Integer) => Cell::Int(*x as i64),
                        (Data::Int(i), Kind::Integer) => Cell::Int(*i),
                        (Data::Bool(b), Kind::Boolean) => Cell::Bool(*b),
                        // An Excel number: the decimal it shows (at most 15 digits).
                        (Data::Float(x), Kind::Decimal) => {
                            Cell::Dec(Decimal::from_str(&x.to_string()).unwrap())
                        }
                        (Data::Float(x), Kind::Real) => real(*x),
                        (d, _) => panic!("{}: unexpected {d:?}", c.name),
                    },
                )
                .collect()
        })
        .collect();
    // An empty text cell reads back as empty.
    let norm = |rows: Vec<Vec<Cell>>| -> Vec<Vec<Cell>> {
        let empty = |c: Cell| match c {
            Cell::Text(t) if t.is_empty() => Cell::Null,
            c => c,
        };
        rows.into_iter()
            .map(|r| r.into_iter().map(empty).collect())
            .collect()
    };
    assert_eq!(got.len(), want.len());
    assert_eq!(norm(got), norm(want));
    // A table sheet as printed: the unit code is text, its amount a number.
    let income = names
        .iter()
        .find(|n| n.ends_with(" income"))
        .unwrap()
        .clone();
    let sheet = wb.worksheet_range(&income).unwrap();
    let row = sheet
        .rows()
        .find(|r| r.first() == Some(&Data::String("016001".into())))
        .expect("the unit row");
    assert_eq!(row[2], Data::Float(379.14));
}

#[test]
fn sqlite_holds_every_column_of_the_jsonl_records() {
    use rusqlite::types::ValueRef;
    let dir = tmp("sqlite");
    let want = want(&dir);
    let p = dir.join("r.sqlite");
    run("sqlite", &p);
    let conn = rusqlite::Connection::open(&p).unwrap();
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let mut st = conn
        .prepare(&format!(
            "SELECT {} FROM records ORDER BY rowid",
            names.join(", ")
        ))
        .unwrap();
    let got: Vec<Vec<Cell>> = st
        .query_map([], |row| {
            Ok(COLUMNS
                .iter()
                .enumerate()
                .map(|(k, c)| match (row.get_ref(k).unwrap(), c.kind) {
                    (ValueRef::Null, _) => Cell::Null,
                    (ValueRef::Text(t), Kind::Decimal) => {
                        Cell::Dec(Decimal::from_str(std::str::from_utf8(t).unwrap()).unwrap())
                    }
                    (ValueRef::Text(t), _) => Cell::Text(String::from_utf8(t.to_vec()).unwrap()),
                    (ValueRef::Integer(i), Kind::Boolean) => Cell::Bool(i != 0),
                    (ValueRef::Integer(i), _) => Cell::Int(i),
                    (ValueRef::Real(x), _) => real(x),
                    (v, _) => panic!("{}: unexpected {v:?}", c.name),
                })
                .collect())
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(got, want);
}
