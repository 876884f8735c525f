//! `extract --tables TYPE,… --pages N-M,…`: keep only the tables a user asks for (and
//! their records and findings).

use crate::classify::TableType;
use crate::model::Document;
use crate::vocab::dictionary::TABLE_TYPES;

/// Which tables to keep: by type (empty: all) and by page (empty: all).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub tables: Vec<TableType>,
    /// Inclusive page ranges.
    pub pages: Vec<(u32, u32)>,
}

/// `--tables` as given (one argument, comma-separated).
#[derive(Debug, Clone, PartialEq)]
pub struct TableList(pub Vec<TableType>);

/// `--pages` as given (one argument, comma-separated).
#[derive(Debug, Clone, PartialEq)]
pub struct PageList(pub Vec<(u32, u32)>);

/// For clap: `--tables summary,three_public`.
pub fn table_list(s: &str) -> Result<TableList, String> {
    Selection::parse_tables(s).map(TableList)
}

/// For clap: `--pages 3,5-9`.
pub fn page_list(s: &str) -> Result<PageList, String> {
    Selection::parse_pages(s).map(PageList)
}

impl Selection {
    pub fn is_all(&self) -> bool {
        self.tables.is_empty() && self.pages.is_empty()
    }

    /// Parse `summary,three_public` (table type tokens, see `docs/dictionary.md`).
    pub fn parse_tables(s: &str) -> Result<Vec<TableType>, String> {
        s.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                TABLE_TYPES
                    .iter()
                    .map(|(tt, _, _)| *tt)
                    .find(|tt| tt.as_str() == t)
                    .ok_or_else(|| {
                        let all: Vec<&str> =
                            TABLE_TYPES.iter().map(|(tt, _, _)| tt.as_str()).collect();
                        format!("unknown table type `{t}` (one of: {})", all.join(", "))
                    })
            })
            .collect()
    }

    /// Parse `3,5-9` (1-based pages, inclusive ranges).
    pub fn parse_pages(s: &str) -> Result<Vec<(u32, u32)>, String> {
        s.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                let bad = || format!("bad page range `{t}` (pages are like 3 or 5-9)");
                let (a, b) = match t.split_once('-') {
                    Some((a, b)) => (a.trim(), b.trim()),
                    None => (t, t),
                };
                let a: u32 = a.parse().map_err(|_| bad())?;
                let b: u32 = b.parse().map_err(|_| bad())?;
                if a == 0 || b < a {
                    return Err(bad());
                }
                Ok((a, b))
            })
            .collect()
    }

    /// Is a table of this type, printed on `page` and continued on `more`, selected? A
    /// table without page numbers (HTML, text without form feeds) is kept whatever the
    /// pages asked.
    pub fn keeps(&self, tt: TableType, page: Option<u32>, more: &[u32]) -> bool {
        let type_ok = self.tables.is_empty() || self.tables.contains(&tt);
        let page_ok = self.pages.is_empty()
            || page.is_none()
            || page
                .into_iter()
                .chain(more.iter().copied())
                .any(|p| self.pages.iter().any(|&(a, b)| (a..=b).contains(&p)));
        type_ok && page_ok
    }

    /// Drop the tables not selected, with their records and findings.
    pub fn apply(&self, doc: &mut Document) {
        if self.is_all() {
            return;
        }
        let kept: Vec<usize> = doc
            .tables
            .iter()
            .filter(|t| self.keeps(t.table_type, t.page, &t.continued_on))
            .map(|t| t.table_no)
            .collect();
        doc.tables.retain(|t| kept.contains(&t.table_no));
        doc.records.retain(|r| kept.contains(&r.table_no));
        doc.findings.retain(|f| kept.contains(&f.table_no));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_types_and_ranges() {
        assert_eq!(
            Selection::parse_tables("summary, three_public").unwrap(),
            vec![TableType::Summary, TableType::ThreePublic]
        );
        assert!(Selection::parse_tables("summery")
            .unwrap_err()
            .contains("three_public"));
        assert_eq!(
            Selection::parse_pages("3,5-9").unwrap(),
            vec![(3, 3), (5, 9)]
        );
        assert!(Selection::parse_pages("9-5").is_err());
        assert!(Selection::parse_pages("0").is_err());
        assert!(Selection::parse_pages("a-b").is_err());
    }

    #[test]
    fn a_table_is_kept_by_any_of_its_pages() {
        let s = Selection {
            tables: vec![],
            pages: vec![(8, 8)],
        };
        assert!(s.keeps(TableType::Summary, Some(7), &[8]));
        assert!(!s.keeps(TableType::Summary, Some(7), &[]));
        assert!(s.keeps(TableType::Summary, None, &[]));
        let s = Selection {
            tables: vec![TableType::ThreePublic],
            pages: vec![],
        };
        assert!(!s.keeps(TableType::Summary, Some(7), &[]));
        assert!(s.keeps(TableType::ThreePublic, Some(7), &[]));
    }
}
