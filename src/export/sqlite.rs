//! SQLite output (`--format sqlite`): one database with the tables `documents`, `tables`,
//! `records`, `findings` and `errors`, indexed on the keys users filter by. Codes and
//! amounts are TEXT (exact: `CAST(amount AS REAL)` for a quick sum, a decimal library for
//! an exact one); counts and positions are INTEGER. Written under a temporary name and
//! renamed when whole, like every output.

use super::columns::{self, Value, COLUMNS};
use super::outputs::{output_error as err, OutputError};
use crate::model::{Document, ErrorRecord};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};

const SCHEMA: &str = "
CREATE TABLE documents (
  doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, format TEXT NOT NULL, department TEXT,
  department_key TEXT, scope TEXT, fiscal_year INTEGER, doc_kind TEXT,
  table_count INTEGER NOT NULL, record_count INTEGER NOT NULL);
CREATE TABLE tables (
  doc_id TEXT NOT NULL, table_no INTEGER NOT NULL, table_type TEXT NOT NULL, title TEXT,
  unit TEXT, page INTEGER, header_rows INTEGER NOT NULL, record_count INTEGER NOT NULL,
  columns TEXT NOT NULL, grid TEXT NOT NULL, PRIMARY KEY (doc_id, table_no));
CREATE TABLE findings (
  doc_id TEXT NOT NULL, \"check\" TEXT NOT NULL, class TEXT NOT NULL, table_type TEXT NOT NULL,
  table_no INTEGER NOT NULL, page INTEGER, row_no INTEGER, label TEXT, subject_code TEXT,
  measure TEXT, printed TEXT, computed TEXT, difference TEXT, message TEXT NOT NULL);
CREATE TABLE errors (
  doc_id TEXT NOT NULL, source TEXT NOT NULL, stage TEXT NOT NULL, reason TEXT NOT NULL);
";

const INDEXES: &str = "
CREATE INDEX records_doc ON records (doc_id, table_no, row_no);
CREATE INDEX records_type_measure ON records (table_type, measure);
CREATE INDEX records_code ON records (subject_scheme, subject_code);
CREATE INDEX records_dept_year ON records (department_key, fiscal_year);
CREATE INDEX findings_doc ON findings (doc_id, class);
CREATE INDEX errors_doc ON errors (doc_id);
";

/// The `records` table: the columns of the flat record ([`columns::COLUMNS`]).
fn records_table() -> String {
    let cols: Vec<String> = COLUMNS
        .iter()
        .map(|c| {
            let null = if c.required { " NOT NULL" } else { "" };
            format!("{} {}{null}", c.name, c.kind.sqlite_type())
        })
        .collect();
    format!("CREATE TABLE records ({});", cols.join(", "))
}

fn records_insert() -> String {
    let marks: Vec<String> = (1..=COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!("INSERT INTO records VALUES ({})", marks.join(","))
}

/// A flat value bound as SQLite wants it: decimals as exact TEXT, booleans as 0 / 1.
struct Sql<'a>(&'a Value<'a>);

impl rusqlite::ToSql for Sql<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as V;
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Owned(V::Null),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Decimal(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Int(i) => ToSqlOutput::Owned(V::Integer(*i)),
            Value::Bool(b) => ToSqlOutput::Owned(V::Integer(i64::from(*b))),
            Value::Real(x) => ToSqlOutput::Owned(V::Real(*x)),
        })
    }
}

/// The database being written.
pub struct SqliteOut {
    conn: Connection,
    tmp: PathBuf,
    dest: PathBuf,
}

impl SqliteOut {
    /// Create the database at a temporary name beside `dest`.
    pub fn create(dest: &Path, tmp: PathBuf) -> Result<SqliteOut, OutputError> {
        let _ = std::fs::remove_file(&tmp);
        let conn = Connection::open(&tmp).map_err(|e| err(dest, e))?;
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            .map_err(|e| err(dest, e))?;
        conn.execute_batch(SCHEMA).map_err(|e| err(dest, e))?;
        conn.execute_batch(&records_table())
            .map_err(|e| err(dest, e))?;
        Ok(SqliteOut {
            conn,
            tmp,
            dest: dest.to_path_buf(),
        })
    }

    /// One document, in one transaction.
    pub fn document(&mut self, d: &Document) -> Result<(), OutputError> {
        let dest = self.dest.clone();
        let e = |x: rusqlite::Error| err(&dest, x);
        let tx = self.conn.transaction().map_err(e)?;
        let (key, scope) = d
            .department
            .as_deref()
            .map(crate::normalize::analysis::department_scope)
            .map_or((None, None), |(k, s)| (Some(k), s));
        tx.execute(
            "INSERT OR REPLACE INTO documents VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            params![
                d.doc_id,
                d.source,
                d.format.as_str(),
                d.department,
                key,
                scope,
                d.fiscal_year,
                d.doc_kind.map(|k| k.as_str()),
                d.tables.len() as i64,
                d.records.len() as i64
            ],
        )
        .map_err(e)?;
        {
            let mut st = tx
                .prepare("INSERT INTO tables VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)")
                .map_err(e)?;
            for t in &d.tables {
                st.execute(params![
                    d.doc_id,
                    t.table_no as i64,
                    t.table_type.as_str(),
                    t.title,
                    t.unit,
                    t.page,
                    t.header_rows as i64,
                    t.record_count as i64,
                    serde_json::to_string(&t.columns).unwrap_or_default(),
                    serde_json::to_string(&t.grid).unwrap_or_default()
                ])
                .map_err(e)?;
            }
            let mut st = tx.prepare(&records_insert()).map_err(e)?;
            for r in &d.records {
                let values = columns::values(r);
                st.execute(rusqlite::params_from_iter(values.iter().map(Sql)))
                    .map_err(e)?;
            }
            let mut st = tx
                .prepare(
                    "INSERT INTO findings VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
                )
                .map_err(e)?;
            for f in &d.findings {
                st.execute(params![
                    f.doc_id,
                    f.check,
                    f.class,
                    f.table_type.as_str(),
                    f.table_no as i64,
                    f.page,
                    f.row_no.map(|x| x as i64),
                    f.label,
                    f.subject_code,
                    f.measure,
                    f.printed,
                    f.computed,
                    f.difference,
                    f.message
                ])
                .map_err(e)?;
            }
        }
        tx.commit().map_err(e)?;
        for x in &d.errors {
            self.error(x)?;
        }
        Ok(())
    }

    /// An error record.
    pub fn error(&mut self, x: &ErrorRecord) -> Result<(), OutputError> {
        self.conn
            .execute(
                "INSERT INTO errors VALUES (?1,?2,?3,?4)",
                params![x.doc_id, x.source, x.stage, x.reason],
            )
            .map_err(|e| err(&self.dest, e))?;
        Ok(())
    }

    /// Where the database goes.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Index, close and move into place.
    pub fn finish(self) -> Result<(), OutputError> {
        let SqliteOut { conn, tmp, dest } = self;
        conn.execute_batch(INDEXES).map_err(|e| err(&dest, e))?;
        conn.close().map_err(|(_, e)| err(&dest, e))?;
        std::fs::rename(&tmp, &dest).map_err(|e| OutputError {
            path: dest.clone(),
            source: e,
        })
    }
}
