//! Reference code lists: 支出功能分类 (functional), 部门预算支出经济分类 (econ_dept) and
//! 政府预算支出经济分类 (econ_gov). The built-in lists are data files in `data/`, every row
//! with its provenance; `--reference FILE` adds or overrides rows from an official list.

use crate::text::key;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    Functional,
    EconDept,
    EconGov,
}

impl Scheme {
    pub fn as_str(&self) -> &'static str {
        match self {
            Scheme::Functional => "functional",
            Scheme::EconDept => "econ_dept",
            Scheme::EconGov => "econ_gov",
        }
    }

    /// The scheme named by `as_str` (a record's `subject_scheme`).
    pub fn from_name(s: &str) -> Option<Scheme> {
        match s {
            "functional" => Some(Scheme::Functional),
            "econ_dept" => Some(Scheme::EconDept),
            "econ_gov" => Some(Scheme::EconGov),
            _ => None,
        }
    }

    /// The scheme a code's shape implies: 2xx functional, 3xx departmental, 5xx government.
    pub fn of_code(code: &str) -> Option<Scheme> {
        if !code.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        match (code.len(), code.chars().next()?) {
            (3 | 5 | 7, '2') => Some(Scheme::Functional),
            (3 | 5, '3') => Some(Scheme::EconDept),
            (3 | 5, '5') => Some(Scheme::EconGov),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub code: String,
    pub name: String,
    pub source: String,
    pub variants: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Reference {
    entries: HashMap<Scheme, HashMap<String, Entry>>,
    by_name: HashMap<Scheme, HashMap<String, Vec<String>>>,
}

const FUNCTIONAL: &str = include_str!("../data/functional.csv");
const ECON_DEPT: &str = include_str!("../data/economic_dept.csv");
const ECON_GOV: &str = include_str!("../data/economic_gov.csv");

impl Reference {
    /// The lists shipped in `data/`.
    pub fn builtin() -> Reference {
        let mut r = Reference::default();
        for (scheme, text) in [
            (Scheme::Functional, FUNCTIONAL),
            (Scheme::EconDept, ECON_DEPT),
            (Scheme::EconGov, ECON_GOV),
        ] {
            r.load_csv(text.as_bytes(), Some(scheme), "builtin")
                .expect("built-in reference data parses");
        }
        r
    }

    /// Add rows from a CSV with at least `code` and `name` columns (optional `scheme`,
    /// `source`, `name_variants` separated by `|`). Rows override built-in rows.
    pub fn load_file(&mut self, path: &Path) -> anyhow::Result<usize> {
        let bytes = std::fs::read(path)?;
        let n = self.load_csv(&bytes, None, &path.display().to_string())?;
        if n == 0 {
            anyhow::bail!("{}: no rows with code and name", path.display());
        }
        Ok(n)
    }

    fn load_csv(
        &mut self,
        bytes: &[u8],
        scheme: Option<Scheme>,
        origin: &str,
    ) -> anyhow::Result<usize> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers = rdr.headers()?.clone();
        let col = |n: &str| headers.iter().position(|h| h.trim() == n);
        let (Some(ci), Some(ni)) = (col("code"), col("name")) else {
            anyhow::bail!("{origin}: the CSV needs `code` and `name` columns");
        };
        let si = col("scheme");
        let src = col("source");
        let vi = col("name_variants");
        let mut n = 0;
        for rec in rdr.records() {
            let rec = rec?;
            let code = rec.get(ci).unwrap_or("").trim().to_string();
            let name = rec.get(ni).unwrap_or("").trim().to_string();
            if code.is_empty() || name.is_empty() {
                continue;
            }
            let sch = si
                .and_then(|i| rec.get(i))
                .and_then(|s| Scheme::from_name(s.trim()))
                .or(scheme)
                .or_else(|| Scheme::of_code(&code));
            let Some(sch) = sch else { continue };
            let source = src
                .and_then(|i| rec.get(i))
                .map(|s| s.to_string())
                .unwrap_or_else(|| origin.to_string());
            let variants: Vec<String> = vi
                .and_then(|i| rec.get(i))
                .map(|v| {
                    v.split('|')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty() && !s.contains('='))
                        .collect()
                })
                .unwrap_or_default();
            self.insert(
                sch,
                Entry {
                    code,
                    name,
                    source,
                    variants,
                },
            );
            n += 1;
        }
        Ok(n)
    }

    fn insert(&mut self, scheme: Scheme, e: Entry) {
        let names = self.by_name.entry(scheme).or_default();
        for n in std::iter::once(&e.name).chain(e.variants.iter()) {
            let v = names.entry(key(n)).or_default();
            if !v.contains(&e.code) {
                v.push(e.code.clone());
            }
        }
        self.entries
            .entry(scheme)
            .or_default()
            .insert(e.code.clone(), e);
    }

    pub fn get(&self, scheme: Scheme, code: &str) -> Option<&Entry> {
        self.entries.get(&scheme)?.get(code)
    }

    pub fn name(&self, scheme: Scheme, code: &str) -> Option<&str> {
        self.get(scheme, code).map(|e| e.name.as_str())
    }

    /// Codes whose name (or a recorded variant) equals `name` after NFKC and whitespace removal.
    pub fn codes_for_name(&self, scheme: Scheme, name: &str) -> Vec<String> {
        self.by_name
            .get(&scheme)
            .and_then(|m| m.get(&key(name)))
            .cloned()
            .unwrap_or_default()
    }

    /// Does the printed name match the code's reference name or one of its variants?
    pub fn name_matches(&self, scheme: Scheme, code: &str, printed: &str) -> bool {
        match self.get(scheme, code) {
            Some(e) => {
                let k = key(printed);
                key(&e.name) == k || e.variants.iter().any(|v| key(v) == k)
            }
            None => false,
        }
    }

    /// Does a printed name (a key, ordinal removed) name this code? The listed name or a
    /// recorded variant (old names of renamed classes), for classes also without the generic
    /// ending (一般公共服务 for 一般公共服务支出). A name with characters added or changed
    /// (一般公共预算服务支出 for 201) does not.
    pub fn name_agrees(&self, scheme: Scheme, code: &str, printed: &str) -> bool {
        let Some(e) = self.get(scheme, code) else {
            return true;
        };
        std::iter::once(&e.name)
            .chain(e.variants.iter())
            .map(|n| key(n))
            .any(|n| n == printed || code.len() == 3 && class_base(&n) == class_base(printed))
    }

    pub fn len(&self) -> usize {
        self.entries.values().map(|m| m.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All class (类) entries of a scheme: 3-digit codes.
    pub fn classes(&self, scheme: Scheme) -> Vec<&Entry> {
        let mut v: Vec<&Entry> = self
            .entries
            .get(&scheme)
            .map(|m| m.values().filter(|e| e.code.len() == 3).collect())
            .unwrap_or_default();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }
}

/// A class name without its generic ending: 一般公共服务支出 / 一般公共服务 → 一般公共服务;
/// 城乡社区事务 → 城乡社区; 资源勘探信息等支出 → 资源勘探信息.
pub fn class_base(k: &str) -> &str {
    let k = k.trim_end_matches("支出");
    let k = k.trim_end_matches("事务");
    k.trim_end_matches("等")
}

/// Is `printed` the listed class name with at most two characters added, the listed
/// characters in order (资源勘探信息等支出 → 资源勘探工业信息等支出, 文化体育与传媒 →
/// 文化旅游体育与传媒)? Both are keys; names under four characters never match.
pub fn renamed_from(listed: &str, printed: &str) -> bool {
    let (l, p): (Vec<char>, Vec<char>) = (
        class_base(listed).chars().collect(),
        class_base(printed).chars().collect(),
    );
    let mut it = p.iter();
    l.len() >= 4
        && p.len() > l.len()
        && p.len() <= l.len() + 2
        && l.iter().all(|c| it.any(|h| h == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_load_with_provenance() {
        let r = Reference::builtin();
        assert_eq!(r.name(Scheme::Functional, "2010301"), Some("行政运行"));
        assert_eq!(r.name(Scheme::EconDept, "30201"), Some("办公费"));
        assert!(r.codes_for_name(Scheme::Functional, "行政运行").len() > 1);
        assert!(r
            .get(Scheme::Functional, "201")
            .is_some_and(|e| !e.source.is_empty()));
    }

    #[test]
    fn names_agree_with_listed_old_and_short_forms() {
        let r = Reference::builtin();
        let agrees = |code: &str, name: &str| r.name_agrees(Scheme::Functional, code, &key(name));
        assert!(agrees("210", "卫生健康支出"));
        assert!(agrees("210", "医疗卫生与计划生育支出")); // recorded old name
        assert!(agrees("201", "一般公共服务")); // class without 支出
        assert!(!agrees("201", "一般公共预算服务支出")); // 001 prints this beside 201
        assert!(!agrees("210", "教育支出"));
        assert!(!agrees("2010301", "事业运行")); // 项 names must be the listed one
        assert!(agrees("2990101", "anything")); // unknown codes are unknown_code's business
    }

    #[test]
    fn code_shapes() {
        assert_eq!(Scheme::of_code("2010301"), Some(Scheme::Functional));
        assert_eq!(Scheme::of_code("30101"), Some(Scheme::EconDept));
        assert_eq!(Scheme::of_code("50101"), Some(Scheme::EconGov));
        assert_eq!(Scheme::of_code("605001"), None);
    }
}
