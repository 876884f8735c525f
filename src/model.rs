//! The output contract (`schemas/`): one record per printed number, the per-document
//! result, and error records for documents that could not be processed.

use crate::classify::TableType;
use crate::grid::Grid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Pdf,
    Text,
    Html,
}

impl Format {
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Text => "text",
            Format::Html => "html",
        }
    }

    /// The format named `pdf`, `text` or `html` (any case; `txt`, `htm` too).
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "text" | "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Budget,
    FinalAccount,
}

impl DocKind {
    /// The name in the outputs (`budget`, `final_account`).
    pub fn as_str(&self) -> &'static str {
        match self {
            DocKind::Budget => "budget",
            DocKind::FinalAccount => "final_account",
        }
    }
}

/// One printed number, in spec field order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub doc_id: String,
    pub source: String,
    pub format: Format,
    pub department: Option<String>,
    pub fiscal_year: Option<i32>,
    pub doc_kind: Option<DocKind>,
    pub table_no: usize,
    pub table_type: TableType,
    pub table_title: Option<String>,
    pub page: Option<u32>,
    pub unit: Option<String>,
    pub row_no: usize,
    pub label: String,
    pub subject_scheme: String,
    pub subject_code: Option<String>,
    pub subject_name: Option<String>,
    pub econ_gov_code: Option<String>,
    /// The column meaning; None for a column (or row) no vocabulary token fits, flagged
    /// `unmapped_column` (`unmapped_row`, `nested_row`).
    pub measure: Option<String>,
    pub header: String,
    pub amount: String,
    pub flags: Vec<String>,
    /// Position of the printed cell in the table's grid (0-based row and column), so a
    /// finding can point at it. An extension of the spec's record.
    pub cell: [usize; 2],
    /// Where `subject_name` comes from: `document` (printed beside the code, which no
    /// list has), `builtin` (the lists in `data/`), `reference` (a `--reference` file);
    /// null when there is no name. An extension of the spec's record.
    pub name_source: Option<String>,
    /// Analysis columns (extensions, `normalize::analysis`): the level of a functional or
    /// economic code (类 / 款 / 项), its class and parent code.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub class_code: Option<String>,
    #[serde(default)]
    pub parent_code: Option<String>,
    /// A row other rows sum into (合计 / 小计 lines, a code whose child codes the same
    /// table prints): leave it out when summing detail rows.
    #[serde(default)]
    pub is_total: bool,
    /// The amount in 万元, exact; null when the table's unit is unknown.
    #[serde(default)]
    pub amount_wan: Option<String>,
    /// `income`, `expenditure` or `other` (performance, procurement, unknown tables).
    #[serde(default)]
    pub side: Option<String>,
    /// The department without a scope suffix (（汇总）, （本级）…), and that suffix.
    #[serde(default)]
    pub department_key: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    /// Where the cell is printed (PDF): its page, which for a table continued over pages
    /// may be later than `page`, and the box around its text in PDF points from the
    /// page's top-left corner, y down: `[x0, top, x1, bottom]` (0.01 pt).
    #[serde(default)]
    pub cell_page: Option<u32>,
    #[serde(default)]
    pub cell_bbox: Option<[f64; 4]>,
    /// The code was not printed beside this row: it was given from the name (or amount).
    /// Name checks skip such rows. Not part of the output.
    #[serde(skip, default)]
    pub code_from_name: bool,
}

impl Record {
    /// Is the record's column (or, in a table printed the other way round, its row) one
    /// no vocabulary token fits (flag `unmapped_column` or `unmapped_row`)?
    pub fn is_unmapped(&self) -> bool {
        use crate::normalize::flags::{UNMAPPED_COLUMN, UNMAPPED_ROW};
        self.flags
            .iter()
            .any(|f| f == UNMAPPED_COLUMN || f == UNMAPPED_ROW)
    }
}

/// How a column of a table was read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub col: usize,
    pub role: String,
    pub header: String,
    pub measure: Option<String>,
}

/// A table as normalised: metadata, the grid as printed, and how its columns were read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableOut {
    pub table_no: usize,
    pub table_type: TableType,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f32; 4]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub continued_on: Vec<u32>,
    pub header_rows: usize,
    pub columns: Vec<ColumnInfo>,
    pub grid: Grid,
    pub record_count: usize,
    /// Note lines printed right after the table (注：…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A validation finding (see `validate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub doc_id: String,
    pub check: String,
    pub class: String,
    pub table_type: TableType,
    pub table_no: usize,
    pub page: Option<u32>,
    pub row_no: Option<usize>,
    pub label: Option<String>,
    pub subject_code: Option<String>,
    pub measure: Option<String>,
    pub printed: Option<String>,
    pub computed: Option<String>,
    pub difference: Option<String>,
    pub message: String,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub doc_id: String,
    pub source: String,
    pub format: Format,
    pub department: Option<String>,
    pub fiscal_year: Option<i32>,
    pub doc_kind: Option<DocKind>,
    pub tables: Vec<TableOut>,
    pub records: Vec<Record>,
    pub findings: Vec<Finding>,
    /// The code/name pairs the document prints side by side (the evidence `budgetgrid
    /// codes` harvests). An extension of the spec.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub printed_codes: Vec<PrintedCode>,
    /// Parts of the document that could not be read (scanned pages, unreadable page
    /// content), as error records; the rest of the document is still extracted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorRecord>,
}

/// A code printed beside its name in a document: `rows` table rows print the pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedCode {
    pub scheme: String,
    pub code: String,
    pub name: String,
    pub rows: usize,
}

/// The stage of an error record that is only a warning: the document did not fail.
pub const WARNING_STAGE: &str = "warning";

/// A document that failed at some stage. Written to the errors output; never a panic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorRecord {
    pub doc_id: String,
    pub source: String,
    pub stage: String,
    pub reason: String,
}
