//! `datapackage.json`: a Frictionless Data Package descriptor for a folder output, so that
//! a user (or `frictionless validate`) knows every file, its format and the type of each
//! column of the tidy records: codes are strings (leading zeros kept), amounts numbers
//! in the unit of their `unit` column (`amount_wan` in 万元).

use super::columns::{Column, COLUMNS};
use serde_json::{json, Value};
use std::path::Path;

/// Type and description of a column of the tidy records.
fn field(c: &Column) -> Value {
    let mut f = json!({ "name": c.name, "type": c.kind.table_schema_type() });
    if !c.description.is_empty() {
        f["description"] = json!(c.description);
    }
    f
}

/// The descriptor for the files of a folder output: paths relative to the folder, with
/// the column labels of each wide CSV (its cells are text as printed).
pub fn descriptor(files: &[(String, Option<Vec<String>>)]) -> Value {
    let mut resources = Vec::new();
    let mut n = 0;
    for (path, labels) in files {
        let ext = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        let r = match (path.as_str(), ext) {
            ("records.csv", _) => json!({
                "name": "records",
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": "one record per printed number (budgetgrid tidy records)",
                "schema": {
                    "fields": COLUMNS.iter().map(field).collect::<Vec<_>>(),
                    "missingValues": [""]
                }
            }),
            (_, "jsonl") => {
                let name = path.trim_end_matches(".jsonl").replace('_', "-");
                json!({
                    "name": name,
                    "path": path,
                    // A file resource: JSON Lines are read as tables only with extra
                    // plugins of the validators.
                    "type": "file",
                    "format": "jsonl",
                    "mediatype": "application/x-ndjson",
                    "encoding": "utf-8",
                    "description": match name.as_str() {
                        "records" => "one record per printed number, one JSON object per line",
                        "findings" => "validation findings, one JSON object per line",
                        _ => "error records (documents or parts that failed, and warnings), one JSON object per line",
                    }
                })
            }
            (_, "csv") => {
                n += 1;
                let mut r = json!({
                    "name": format!("table-{n}"),
                    "path": path,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "description": "one table as printed: the first row its composed headings with the measure each column was read as, then the body rows (cells as printed text)"
                });
                if let Some(labels) = labels {
                    r["profile"] = json!("tabular-data-resource");
                    r["schema"] = json!({
                        "fields": labels.iter().map(|l| json!({"name": l, "type": "string"})).collect::<Vec<_>>(),
                        "missingValues": []
                    });
                }
                r
            }
            (_, "json") => {
                n += 1;
                json!({
                    "name": format!("document-{n}"),
                    "path": path,
                    "format": "json",
                    "mediatype": "application/json",
                    "encoding": "utf-8",
                    "description": "one document: metadata, tables with grids, records, findings"
                })
            }
            (_, "sqlite") => json!({
                "name": "database",
                "path": path,
                "type": "file",
                "format": "sqlite",
                "mediatype": "application/vnd.sqlite3",
                "description": "SQLite database: documents, tables, records, findings, errors (amounts and codes as TEXT)"
            }),
            (_, "xlsx") => json!({
                "name": "workbook",
                "path": path,
                "type": "file",
                "format": "xlsx",
                "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "description": "Excel workbook: the records sheet (columns as records.csv), a tables index, one sheet per table as printed"
            }),
            (_, "parquet") => json!({
                "name": "records-parquet",
                "path": path,
                "type": "file",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "description": "one record per printed number, typed (columns as records.csv; amounts DECIMAL(38, 10), codes strings), one row group per document"
            }),
            _ => continue,
        };
        resources.push(r);
    }
    json!({
        "name": "budgetgrid-output",
        "title": "Budget and final-account disclosures extracted by budgetgrid",
        "profile": "data-package",
        "resources": resources
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_typed_and_codes_are_text() {
        let d = descriptor(&[
            ("records.csv".into(), None),
            (
                "tables/某局__01_summary.csv".into(),
                Some(vec!["项目".into(), "金额 [total]".into()]),
            ),
            ("errors.jsonl".into(), None),
        ]);
        let res = d["resources"].as_array().unwrap();
        assert_eq!(res.len(), 3);
        let fields = res[0]["schema"]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), COLUMNS.len());
        let ty = |n: &str| {
            fields.iter().find(|f| f["name"] == n).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(ty("subject_code"), "string");
        assert_eq!(ty("amount"), "number");
        assert_eq!(ty("is_total"), "boolean");
        assert_eq!(res[1]["name"], "table-1");
        assert_eq!(res[1]["schema"]["fields"][1]["name"], "金额 [total]");
        assert_eq!(res[2]["name"], "errors");
        // Resource names are what the Data Package spec allows.
        for r in res {
            let n = r["name"].as_str().unwrap();
            assert!(n
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c)));
        }
    }
}
