//! Code lists that grow from the documents (`budgetgrid codes`): every (scheme, code,
//! name, fiscal year) a corpus prints side by side, with counts, the documents that print
//! it and the conflicts to review. The output is a valid `--reference` file.
//!
//! Year rules: a code printed with one name up to some year and with another from a later
//! year is a rename: the old name's row gets `to_year` = the year before the new name is
//! first printed (a bound the documents themselves give); no row gets a `from_year` (when a
//! name began is not printed anywhere). Two names for one code in the same year, or one
//! name with two codes under the same parent, are conflicts: listed, never resolved.

use crate::model::Document;
use crate::normalize::subject::printed_name;
use crate::reference::Scheme;
use crate::text::key;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// One name printed for one code.
#[derive(Debug, Default, Clone)]
struct Seen {
    /// The name as first printed.
    name: String,
    years: BTreeSet<i32>,
    /// Rows printing it (one per table row).
    count: usize,
    docs: BTreeSet<String>,
}

/// The harvest of a corpus.
#[derive(Debug, Default)]
pub struct Harvest {
    /// (scheme, code) → name key → what was seen.
    codes: BTreeMap<(Scheme, String), BTreeMap<String, Seen>>,
    pub documents: usize,
}

/// A row of the harvested list, in output order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub scheme: Scheme,
    pub code: String,
    pub name: String,
    pub to_year: Option<i32>,
    pub years: Vec<i32>,
    pub count: usize,
    pub documents: Vec<String>,
    pub conflict: String,
}

impl Harvest {
    /// Add the code/name pairs a document prints side by side (its `printed_codes`: a
    /// well-formed code and the name in the same row, not repaired, not an agency).
    pub fn add(&mut self, d: &Document) {
        self.documents += 1;
        for p in &d.printed_codes {
            let Some(scheme) = Scheme::from_name(&p.scheme) else {
                continue;
            };
            // The name as printed, unless an ordinal or 其中: must come off (then its key).
            let stripped = printed_name(&p.name);
            let name = if stripped == key(&p.name) {
                p.name.trim()
            } else {
                stripped.as_str()
            };
            // A name with digits in it is a misread cell (a second code glued to it), no
            // evidence of a name.
            if name.is_empty()
                || name.chars().any(|c| c.is_ascii_digit())
                || Scheme::of_code(&p.code) != Some(scheme)
            {
                continue;
            }
            let seen = self
                .codes
                .entry((scheme, p.code.clone()))
                .or_default()
                .entry(key(name))
                .or_default();
            if seen.name.is_empty() {
                seen.name = name.to_string();
            }
            if let Some(y) = d.fiscal_year {
                seen.years.insert(y);
            }
            seen.count += p.rows;
            seen.docs.insert(d.doc_id.clone());
        }
    }

    /// The list: one row per (scheme, code, name), renames bounded, conflicts named.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        // One name, several codes under one parent: (scheme, parent, name key) → codes.
        let mut by_name: BTreeMap<(Scheme, String, String), BTreeSet<String>> = BTreeMap::new();
        for ((scheme, code), names) in &self.codes {
            let parent = code[..code.len().saturating_sub(2)].to_string();
            for k in names.keys() {
                by_name
                    .entry((*scheme, parent.clone(), k.clone()))
                    .or_default()
                    .insert(code.clone());
            }
        }
        for ((scheme, code), names) in &self.codes {
            // The first year each name is printed.
            let first = |s: &Seen| s.years.iter().next().copied();
            for (k, s) in names {
                let mut conflicts = Vec::new();
                for y in &s.years {
                    let others: Vec<&str> = names
                        .iter()
                        .filter(|(k2, o)| *k2 != k && o.years.contains(y))
                        .map(|(_, o)| o.name.as_str())
                        .collect();
                    if !others.is_empty() {
                        conflicts.push(format!("also printed as {} in {y}", others.join(" | ")));
                    }
                }
                let parent = code[..code.len().saturating_sub(2)].to_string();
                if code.len() > 3 {
                    let same = &by_name[&(*scheme, parent.clone(), k.clone())];
                    if same.len() > 1 {
                        let others: Vec<&str> = same
                            .iter()
                            .filter(|c| *c != code)
                            .map(|c| c.as_str())
                            .collect();
                        conflicts.push(format!(
                            "the name also stands beside {} under {parent}",
                            others.join(" | ")
                        ));
                    }
                }
                // A rename: this name is last printed before another name is first printed,
                // and never printed again after it.
                let last = s.years.iter().next_back().copied();
                let later_first = names
                    .iter()
                    .filter(|(k2, _)| *k2 != k)
                    .filter_map(|(_, o)| first(o))
                    .filter(|f| last.is_some_and(|l| *f > l))
                    .min();
                let to_year = match (conflicts.is_empty(), later_first) {
                    (true, Some(f)) => Some(f - 1),
                    _ => None,
                };
                rows.push(Row {
                    scheme: *scheme,
                    code: code.clone(),
                    name: s.name.clone(),
                    to_year,
                    years: s.years.iter().copied().collect(),
                    count: s.count,
                    documents: s.docs.iter().cloned().collect(),
                    conflict: conflicts.join("; "),
                });
            }
        }
        rows
    }

    /// Write the list as CSV (a valid `--reference` file: `code`, `name`, `scheme`,
    /// `source`, `to_year`; the other columns are for review and ignored when loaded).
    pub fn write_csv<W: Write>(&self, w: W) -> csv::Result<(usize, usize)> {
        let mut wr = csv::Writer::from_writer(w);
        wr.write_record([
            "scheme",
            "code",
            "name",
            "from_year",
            "to_year",
            "years",
            "count",
            "documents",
            "source",
            "conflict",
        ])?;
        let rows = self.rows();
        let conflicts = rows.iter().filter(|r| !r.conflict.is_empty()).count();
        for r in &rows {
            let shown: Vec<&str> = r.documents.iter().take(3).map(|s| s.as_str()).collect();
            let more = if r.documents.len() > 3 {
                format!(" and {} more", r.documents.len() - 3)
            } else {
                String::new()
            };
            wr.write_record([
                r.scheme.as_str().to_string(),
                r.code.clone(),
                r.name.clone(),
                String::new(),
                r.to_year.map(|y| y.to_string()).unwrap_or_default(),
                r.years
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join("|"),
                r.count.to_string(),
                r.documents.len().to_string(),
                format!(
                    "printed beside its code in {}{more} (budgetgrid codes)",
                    shown.join(", ")
                ),
                r.conflict.clone(),
            ])?;
        }
        wr.flush()?;
        Ok((rows.len(), conflicts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, PrintedCode};

    fn doc(id: &str, year: i32, rows: &[(&str, &str, &str)]) -> Document {
        Document {
            doc_id: id.into(),
            source: id.into(),
            format: Format::Text,
            department: None,
            fiscal_year: Some(year),
            doc_kind: None,
            tables: Vec::new(),
            records: Vec::new(),
            findings: Vec::new(),
            printed_codes: rows
                .iter()
                .map(|(scheme, code, name)| PrintedCode {
                    scheme: scheme.to_string(),
                    code: code.to_string(),
                    name: name.to_string(),
                    rows: 1,
                })
                .collect(),
            errors: Vec::new(),
        }
    }

    #[test]
    fn renames_get_their_years_and_conflicts_are_listed() {
        let mut h = Harvest::default();
        h.add(&doc(
            "a",
            2019,
            &[("functional", "20805", "行政事业单位离退休")],
        ));
        h.add(&doc(
            "b",
            2022,
            &[("functional", "20805", "行政事业单位养老支出")],
        ));
        h.add(&doc(
            "c",
            2022,
            &[
                ("functional", "2010301", "行政运行"),
                ("functional", "2010302", "行政运行"),
                ("functional", "2O10301", "x"),
            ],
        ));
        h.add(&doc(
            "d",
            2022,
            &[("functional", "2010301", "一般行政管理事务")],
        ));
        let rows = h.rows();
        let get = |code: &str, name: &str| rows.iter().find(|r| r.code == code && r.name == name);
        assert_eq!(
            get("20805", "行政事业单位离退休").unwrap().to_year,
            Some(2021)
        );
        assert_eq!(get("20805", "行政事业单位养老支出").unwrap().to_year, None);
        let r = get("2010301", "行政运行").unwrap();
        assert!(
            r.conflict
                .contains("also printed as 一般行政管理事务 in 2022"),
            "{}",
            r.conflict
        );
        assert!(
            r.conflict.contains("beside 2010302 under 20103"),
            "{}",
            r.conflict
        );
        assert!(rows.iter().all(|r| r.code != "2O10301"));
    }
}
