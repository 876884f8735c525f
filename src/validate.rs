//! Validation of a document's own arithmetic. This first version checks codes against the
//! reference lists (`unknown_code`); the arithmetic checks of issue 5 build on it.

use crate::model::{Finding, Record, TableOut};
use crate::reference::{Reference, Scheme};

/// Check the records of one document; fills each record's `flags` and returns the findings.
pub fn validate(
    doc_id: &str,
    _tables: &[TableOut],
    records: &mut [Record],
    reference: &Reference,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in records.iter_mut() {
        let scheme = match r.subject_scheme.as_str() {
            "functional" => Scheme::Functional,
            "econ_dept" => Scheme::EconDept,
            "econ_gov" => Scheme::EconGov,
            _ => continue,
        };
        let Some(code) = r.subject_code.clone() else {
            continue;
        };
        if reference.get(scheme, &code).is_none() {
            r.flags.push("unknown_code".into());
            if seen.insert((r.table_no, r.row_no)) {
                findings.push(Finding {
                    doc_id: doc_id.to_string(),
                    check: "unknown_code".into(),
                    class: "unknown_code".into(),
                    table_type: r.table_type,
                    table_no: r.table_no,
                    page: r.page,
                    row_no: Some(r.row_no),
                    label: Some(r.label.clone()),
                    subject_code: Some(code.clone()),
                    measure: None,
                    printed: None,
                    computed: None,
                    difference: None,
                    message: format!(
                        "{} code {code} ({}) is not in the reference list",
                        scheme.as_str(),
                        r.label
                    ),
                });
            }
        }
    }
    findings
}
