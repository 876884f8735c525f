//! The flat columns of a record, in one place: the tidy CSV, the SQLite `records` table,
//! the xlsx `records` sheet, the Parquet file and `datapackage.json` all take their
//! column names, types and order from [`COLUMNS`], and their values from [`values`].

use crate::model::Record;
use std::borrow::Cow;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A classification code: text, leading zeros kept.
    Code,
    Integer,
    /// An exact decimal amount (a string of digits with a point; never a binary float).
    Decimal,
    Boolean,
    /// A position in PDF points (0.01 pt).
    Real,
}

impl Kind {
    /// The Frictionless Table Schema type.
    pub fn table_schema_type(self) -> &'static str {
        match self {
            Kind::Text | Kind::Code => "string",
            Kind::Integer => "integer",
            Kind::Decimal | Kind::Real => "number",
            Kind::Boolean => "boolean",
        }
    }

    /// The SQLite column type (amounts stay exact as TEXT).
    pub fn sqlite_type(self) -> &'static str {
        match self {
            Kind::Text | Kind::Code | Kind::Decimal => "TEXT",
            Kind::Integer | Kind::Boolean => "INTEGER",
            Kind::Real => "REAL",
        }
    }
}

/// One column of the flat record.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// Never null.
    pub required: bool,
    pub description: &'static str,
}

const fn col(name: &'static str, kind: Kind, required: bool, description: &'static str) -> Column {
    Column {
        name,
        kind,
        required,
        description,
    }
}

use Kind::*;

/// The columns, in output order: the spec's record fields, then the extensions.
pub const COLUMNS: &[Column] = &[
    col(
        "doc_id",
        Text,
        true,
        "id of the source document, unique in the run",
    ),
    col("source", Text, true, "path of the input as given"),
    col("format", Text, true, "pdf, text or html"),
    col("department", Text, false, "部门/单位 name as published"),
    col("fiscal_year", Integer, false, "fiscal year of the document"),
    col(
        "doc_kind",
        Text,
        false,
        "budget (预算) or final_account (决算)",
    ),
    col(
        "table_no",
        Integer,
        true,
        "1-based table number in the document",
    ),
    col(
        "table_type",
        Text,
        true,
        "canonical table type (docs/dictionary.md)",
    ),
    col("table_title", Text, false, "title as printed"),
    col(
        "page",
        Integer,
        false,
        "1-based page where the table starts (PDF)",
    ),
    col(
        "unit",
        Text,
        false,
        "the table's unit as printed: 万元 or 元",
    ),
    col("row_no", Integer, true, "1-based body row of the table"),
    col("label", Text, true, "row label as printed"),
    col(
        "subject_scheme",
        Text,
        true,
        "functional, econ_dept, econ_gov, income_source, total, unit, project, period",
    ),
    col(
        "subject_code",
        Code,
        false,
        "a budget classification code: text, leading zeros kept",
    ),
    col(
        "subject_name",
        Text,
        false,
        "name of the code (see name_source)",
    ),
    col(
        "econ_gov_code",
        Code,
        false,
        "the government economic code paired with a departmental one",
    ),
    col(
        "measure",
        Text,
        false,
        "canonical column meaning (docs/dictionary.md); empty when unmapped",
    ),
    col(
        "header",
        Text,
        true,
        "the column's header path as printed, levels joined by ` / `",
    ),
    col(
        "amount",
        Decimal,
        true,
        "the printed amount, exact, in the table's unit (see `unit`)",
    ),
    col(
        "flags",
        Text,
        true,
        "`;`-separated validation and normalisation flags",
    ),
    col(
        "cell_row",
        Integer,
        true,
        "0-based row of the printed cell in the table's grid",
    ),
    col(
        "cell_col",
        Integer,
        true,
        "0-based column of the printed cell in the table's grid",
    ),
    col(
        "name_source",
        Text,
        false,
        "where subject_name comes from: document, builtin, reference",
    ),
    col("level", Text, false, "level of the code: 类, 款 or 项"),
    col("class_code", Code, false, "the class (类) of the code"),
    col("parent_code", Code, false, "the code one level up"),
    col(
        "is_total",
        Boolean,
        true,
        "a row other rows sum into: leave it out when summing detail rows",
    ),
    col(
        "amount_wan",
        Decimal,
        false,
        "the amount in 万元 (10,000 yuan), exact; empty when the unit is unknown",
    ),
    col("side", Text, false, "income, expenditure or other"),
    col(
        "department_key",
        Text,
        false,
        "the department without a scope suffix such as （汇总）",
    ),
    col(
        "scope",
        Text,
        false,
        "the scope suffix of the department name (汇总, 本级 …)",
    ),
    col(
        "cell_page",
        Integer,
        false,
        "1-based page the cell is printed on (PDF)",
    ),
    col(
        "cell_x0",
        Real,
        false,
        "left edge of the cell's text, PDF points from the page's left edge",
    ),
    col(
        "cell_top",
        Real,
        false,
        "top of the cell's text, PDF points from the page's top edge",
    ),
    col("cell_x1", Real, false, "right edge of the cell's text"),
    col("cell_bottom", Real, false, "bottom of the cell's text"),
];

/// A value of a flat record.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Text(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    /// An exact decimal, as its string.
    Decimal(&'a str),
    Real(f64),
}

impl Value<'_> {
    /// The value as CSV (and spreadsheet) text: null is empty.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Null => Cow::Borrowed(""),
            Value::Text(t) => Cow::Borrowed(t.as_ref()),
            Value::Int(i) => Cow::Owned(i.to_string()),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Decimal(d) => Cow::Borrowed(d),
            Value::Real(x) => Cow::Owned(x.to_string()),
        }
    }
}

fn s(x: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(x))
}

fn text(v: &Option<String>) -> Value<'_> {
    v.as_deref()
        .map_or(Value::Null, |s| Value::Text(Cow::Borrowed(s)))
}

fn int<T: Into<i64> + Copy>(v: Option<T>) -> Value<'static> {
    v.map_or(Value::Null, |x| Value::Int(x.into()))
}

/// The values of a record, one per column of [`COLUMNS`].
pub fn values(r: &Record) -> Vec<Value<'_>> {
    let bbox = |k: usize| r.cell_bbox.map_or(Value::Null, |b| Value::Real(b[k]));
    vec![
        s(&r.doc_id),
        s(&r.source),
        s(r.format.as_str()),
        text(&r.department),
        int(r.fiscal_year),
        r.doc_kind.map_or(Value::Null, |k| s(k.as_str())),
        Value::Int(r.table_no as i64),
        s(r.table_type.as_str()),
        text(&r.table_title),
        int(r.page),
        text(&r.unit),
        Value::Int(r.row_no as i64),
        s(&r.label),
        s(&r.subject_scheme),
        text(&r.subject_code),
        text(&r.subject_name),
        text(&r.econ_gov_code),
        text(&r.measure),
        s(&r.header),
        Value::Decimal(&r.amount),
        Value::Text(Cow::Owned(r.flags.join(";"))),
        Value::Int(r.cell[0] as i64),
        Value::Int(r.cell[1] as i64),
        text(&r.name_source),
        text(&r.level),
        text(&r.class_code),
        text(&r.parent_code),
        Value::Bool(r.is_total),
        r.amount_wan.as_deref().map_or(Value::Null, Value::Decimal),
        text(&r.side),
        text(&r.department_key),
        text(&r.scope),
        int(r.cell_page),
        bbox(0),
        bbox(1),
        bbox(2),
        bbox(3),
    ]
}

/// The column names, in order.
pub fn names() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        let line = r#"{"doc_id":"d","source":"d.pdf","format":"pdf","department":null,"fiscal_year":2025,"doc_kind":"budget","table_no":1,"table_type":"summary","table_title":null,"page":5,"unit":"万元","row_no":1,"label":"合计","subject_scheme":"total","subject_code":"total","subject_name":null,"econ_gov_code":null,"measure":"total","header":"预算数","amount":"379.14","flags":[],"cell":[2,1],"name_source":null,"cell_page":6,"cell_bbox":[179.25,38.1,206.44,47.55]}"#;
        serde_json::from_str(line).unwrap()
    }

    #[test]
    fn one_value_per_column_of_its_kind() {
        let r = record();
        let v = values(&r);
        assert_eq!(v.len(), COLUMNS.len());
        for (c, v) in COLUMNS.iter().zip(&v) {
            let fits = match (c.kind, v) {
                (_, Value::Null) => !c.required,
                (Kind::Text | Kind::Code, Value::Text(_)) => true,
                (Kind::Integer, Value::Int(_)) => true,
                (Kind::Decimal, Value::Decimal(_)) => true,
                (Kind::Boolean, Value::Bool(_)) => true,
                (Kind::Real, Value::Real(_)) => true,
                _ => false,
            };
            assert!(fits, "{} holds {v:?}", c.name);
        }
        let at = |n: &str| &v[COLUMNS.iter().position(|c| c.name == n).unwrap()];
        assert_eq!(at("amount"), &Value::Decimal("379.14"));
        assert_eq!(at("cell_page"), &Value::Int(6));
        assert_eq!(at("cell_top").text(), "38.1");
        assert_eq!(at("is_total").text(), "false");
    }
}
