//! Reference code lists: 支出功能分类 (functional), 部门预算支出经济分类 (econ_dept) and
//! 政府预算支出经济分类 (econ_gov). The built-in lists are data files in `data/`, every row
//! with its provenance; `--reference FILE` adds or overrides rows from an official list.

use crate::text::key;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

/// Where a list row comes from: the lists built into budgetgrid (`data/`) or a
/// `--reference` file. Records say which gave their name (`name_source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Builtin,
    Reference,
}

impl Origin {
    pub fn as_str(&self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
            Origin::Reference => "reference",
        }
    }
}

/// One name of a code, valid from `from_year` to `to_year` (both inclusive, open when
/// absent): a renamed subject has a row per name.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub code: String,
    pub name: String,
    pub source: String,
    pub variants: Vec<String>,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    pub origin: Origin,
}

impl Entry {
    /// Is this name the code's name in `year` (any year when unknown)?
    pub fn valid_in(&self, year: Option<i32>) -> bool {
        match year {
            None => true,
            Some(y) => self.from_year.is_none_or(|f| y >= f) && self.to_year.is_none_or(|t| y <= t),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Reference {
    /// Per scheme and code, its names (one per validity period), in the order loaded.
    entries: HashMap<Scheme, HashMap<String, Vec<Entry>>>,
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
            r.load_csv(text.as_bytes(), Some(scheme), "builtin", Origin::Builtin)
                .expect("built-in reference data parses");
        }
        r
    }

    /// Add rows from a CSV with at least `code` and `name` columns (also read under the
    /// headers 科目编码 / 编码 / 代码 and 科目名称 / 名称), optional `scheme`, `source`,
    /// `name_variants` (separated by `|`), `from_year` / `to_year` (起始年度 / 终止年度);
    /// other columns (such as those `budgetgrid codes` adds) are ignored. UTF-8 or GBK.
    /// A row replaces a loaded row of the same code and years, else it adds a name.
    pub fn load_file(&mut self, path: &Path) -> anyhow::Result<usize> {
        let bytes = std::fs::read(path)?;
        let text = crate::ingest::decode_text(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let n = self.load_csv(
            text.as_bytes(),
            None,
            &path.display().to_string(),
            Origin::Reference,
        )?;
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
        from: Origin,
    ) -> anyhow::Result<usize> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers = rdr.headers()?.clone();
        let col = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}')))
        };
        let (Some(ci), Some(ni)) = (
            col(&["code", "科目编码", "编码", "代码", "科目代码"]),
            col(&["name", "科目名称", "名称"]),
        ) else {
            anyhow::bail!(
                "{origin}: the CSV needs `code` and `name` columns (or 科目编码, 科目名称)"
            );
        };
        let si = col(&["scheme"]);
        let src = col(&["source", "来源"]);
        let vi = col(&["name_variants"]);
        let fy = col(&["from_year", "起始年度"]);
        let ty = col(&["to_year", "终止年度"]);
        let year = |i: Option<usize>, rec: &csv::StringRecord| -> Option<i32> {
            let t = rec.get(i?)?.trim().trim_end_matches('年');
            t.parse::<i32>().ok().filter(|y| (1990..=2200).contains(y))
        };
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
                .filter(|s| !s.trim().is_empty())
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
                    from_year: year(fy, &rec),
                    to_year: year(ty, &rec),
                    origin: from,
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
        let list = self
            .entries
            .entry(scheme)
            .or_default()
            .entry(e.code.clone())
            .or_default();
        match list
            .iter_mut()
            .find(|x| x.from_year == e.from_year && x.to_year == e.to_year)
        {
            Some(x) => *x = e,
            None => list.push(e),
        }
    }

    /// The code's current name: the row without an end year (else the latest).
    pub fn get(&self, scheme: Scheme, code: &str) -> Option<&Entry> {
        let list = self.entries.get(&scheme)?.get(code)?;
        list.iter()
            .find(|e| e.to_year.is_none())
            .or_else(|| list.iter().max_by_key(|e| e.to_year))
    }

    /// The code's name in `year`: the row valid then, a row with years before one without
    /// (the current one when none is valid, or the year is unknown).
    pub fn get_in(&self, scheme: Scheme, code: &str, year: Option<i32>) -> Option<&Entry> {
        let list = self.entries.get(&scheme)?.get(code)?;
        year.and_then(|_| {
            list.iter()
                .filter(|e| e.valid_in(year))
                .max_by_key(|e| (e.from_year.is_some() || e.to_year.is_some(), e.to_year))
        })
        .or_else(|| self.get(scheme, code))
    }

    /// The code's row for a printed name in `year`: the row valid then whose name (or a
    /// variant) is the printed one, else [`Reference::get_in`].
    pub fn get_printed(
        &self,
        scheme: Scheme,
        code: &str,
        year: Option<i32>,
        printed: &str,
    ) -> Option<&Entry> {
        let k = key(printed);
        self.entries(scheme, code)
            .iter()
            .filter(|e| e.valid_in(year))
            .find(|e| key(&e.name) == k || e.variants.iter().any(|v| key(v) == k))
            .or_else(|| self.get_in(scheme, code, year))
    }

    /// Every name row of a code.
    pub fn entries(&self, scheme: Scheme, code: &str) -> &[Entry] {
        self.entries
            .get(&scheme)
            .and_then(|m| m.get(code))
            .map_or(&[], |v| v.as_slice())
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

    /// Does the printed name match one of the code's names (any year) or their variants?
    pub fn name_matches(&self, scheme: Scheme, code: &str, printed: &str) -> bool {
        let k = key(printed);
        self.entries(scheme, code)
            .iter()
            .any(|e| key(&e.name) == k || e.variants.iter().any(|v| key(v) == k))
    }

    /// Does a printed name (a key, ordinal removed) name this code in `year`? A name valid
    /// that year or a recorded variant, for classes also without the generic ending
    /// (一般公共服务 for 一般公共服务支出). A name with characters added or changed
    /// (一般公共预算服务支出 for 201), or an old name in a year after the rename, does not.
    pub fn name_agrees(
        &self,
        scheme: Scheme,
        code: &str,
        printed: &str,
        year: Option<i32>,
    ) -> bool {
        let list = self.entries(scheme, code);
        if list.is_empty() {
            return true;
        }
        list.iter()
            .filter(|e| e.valid_in(year))
            .flat_map(|e| std::iter::once(&e.name).chain(e.variants.iter()))
            .map(|n| key(n))
            .any(|n| n == printed || code.len() == 3 && class_base(&n) == class_base(printed))
    }

    /// Codes listed (a renamed code counts once).
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
            .map(|m| {
                m.keys()
                    .filter(|c| c.len() == 3)
                    .filter_map(|c| self.get(scheme, c))
                    .collect()
            })
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
        let agrees =
            |code: &str, name: &str| r.name_agrees(Scheme::Functional, code, &key(name), None);
        let agrees_in = |code: &str, name: &str, y: i32| {
            r.name_agrees(Scheme::Functional, code, &key(name), Some(y))
        };
        assert!(agrees("210", "卫生健康支出"));
        assert!(agrees("210", "医疗卫生与计划生育支出")); // recorded old name
                                                          // Old names are right in their years, wrong after the rename.
        assert!(agrees_in("210", "医疗卫生与计划生育支出", 2018));
        assert!(!agrees_in("210", "医疗卫生与计划生育支出", 2024));
        assert!(agrees_in("20805", "行政事业单位离退休", 2019));
        assert!(!agrees_in("20805", "行政事业单位离退休", 2024));
        assert!(agrees_in("20805", "行政事业单位养老支出", 2019));
        assert_eq!(
            r.get_in(Scheme::Functional, "20805", Some(2018))
                .unwrap()
                .name,
            "行政事业单位离退休"
        );
        assert_eq!(
            r.get_in(Scheme::Functional, "20805", Some(2024))
                .unwrap()
                .name,
            "行政事业单位养老支出"
        );
        assert_eq!(r.name(Scheme::Functional, "210"), Some("卫生健康支出"));
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
