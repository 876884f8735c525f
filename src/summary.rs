//! The summary of a run for stderr: counts of documents, tables, records, findings by
//! class, failures and warnings, and per document the columns not understood.

use crate::model::Document;

/// What the summary line counts, gathered as documents are written.
#[derive(Default)]
pub struct Stats {
    pub tables: usize,
    pub records: usize,
    pub unmapped: usize,
    pub findings: usize,
    pub classes: std::collections::BTreeMap<String, usize>,
    pub mismatch_docs: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Per document with unmapped records: (doc id, count, headings).
    pub unmapped_docs: Vec<(String, usize, Vec<String>)>,
}

impl Stats {
    pub fn add(&mut self, d: &Document) {
        self.tables += d.tables.len();
        self.records += d.records.len();
        self.findings += d.findings.len();
        for f in &d.findings {
            *self.classes.entry(f.class.clone()).or_default() += 1;
        }
        if d.findings.iter().any(|f| f.class == "mismatch") {
            self.mismatch_docs += 1;
        }
        let (n, headers) = unmapped_records(d);
        self.unmapped += n;
        if n > 0 {
            self.unmapped_docs.push((d.doc_id.clone(), n, headers));
        }
    }

    pub fn print(&self, documents: usize, elapsed: f64) {
        let class = |c: &str| self.classes.get(c).copied().unwrap_or(0);
        let unreadable = class("unreadable_amount");
        eprintln!(
            "documents {}, tables {}, records {} ({} unmapped), findings {} ({} mismatch, {} rounding, {} unknown_code, {} name_mismatch{}), documents with a mismatch {}, failures {}{}, elapsed {:.2}s",
            documents,
            self.tables,
            self.records,
            self.unmapped,
            self.findings,
            class("mismatch"),
            class("rounding"),
            class("unknown_code"),
            class("name_mismatch"),
            if unreadable > 0 { format!(", {unreadable} unreadable_amount") } else { String::new() },
            self.mismatch_docs,
            self.errors,
            if self.warnings > 0 { format!(", warnings {}", self.warnings) } else { String::new() },
            elapsed
        );
        // What was not understood, per document: records whose column (or row) no
        // vocabulary token fits, and the headings of those columns.
        for (id, n, headers) in &self.unmapped_docs {
            let shown: Vec<&str> = headers.iter().take(4).map(|h| h.as_str()).collect();
            let more = if headers.len() > shown.len() {
                format!(" and {} more", headers.len() - shown.len())
            } else {
                String::new()
            };
            eprintln!(
                "unmapped: {id}: {n} records, measure null (columns: {}{more})",
                shown.join("; ")
            );
        }
    }
}

/// Records of a document whose column or row no token fits (flags `unmapped_column`,
/// `unmapped_row`), and the distinct headings of those columns (table number first).
pub fn unmapped_records(d: &Document) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut headers: Vec<String> = Vec::new();
    for r in &d.records {
        if r.is_unmapped() {
            n += 1;
            let heading: String = if r.header.is_empty() {
                "(no heading)".into()
            } else if r.header.chars().count() > 40 {
                format!("{}…", r.header.chars().take(40).collect::<String>())
            } else {
                r.header.clone()
            };
            let h = format!("table {} {heading}", r.table_no);
            if !headers.contains(&h) {
                headers.push(h);
            }
        }
    }
    (n, headers)
}
