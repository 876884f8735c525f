//! Row labels → budget subjects: codes joined and checked, names given their code (from
//! the same document first, then the reference list, using the parent row for names that
//! repeat), summary lines mapped to income sources and totals, agencies kept as units.

use crate::reference::{class_base, renamed_from, Reference, Scheme};
use crate::text::key;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub scheme: &'static str,
    pub code: Option<String>,
    pub name: Option<String>,
    pub econ_gov: Option<String>,
    /// A measure the label itself names (`人员经费合计` → personnel).
    pub measure: Option<&'static str>,
    /// The code was not printed: it was given from the name (`resolve`).
    pub from_name: bool,
    /// The printed code was malformed and repaired (`2` for `02`).
    pub repaired: bool,
}

impl Subject {
    /// A subject with its code and its name as printed (units, projects).
    pub fn named(scheme: &'static str, code: Option<String>, name: &str) -> Subject {
        Subject {
            scheme,
            code,
            name: Some(name.to_string()),
            econ_gov: None,
            measure: None,
            from_name: false,
            repaired: false,
        }
    }

    /// A row of this scheme whose code could not be decided.
    pub fn uncoded(scheme: &'static str) -> Subject {
        let mut s = Subject::new(scheme, "");
        s.code = None;
        s
    }

    pub fn new(scheme: &'static str, code: impl Into<String>) -> Subject {
        Subject {
            scheme,
            code: Some(code.into()),
            name: None,
            econ_gov: None,
            measure: None,
            from_name: false,
            repaired: false,
        }
    }
}

static ORDINAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十廿卅百零]+[、.．]|\([一二三四五六七八九十廿卅百零]+\)|\(\d{1,2}\)|\d{1,2}[、.．](?:\D|$)|[①-⑳])").unwrap()
});
static CN_ORDINAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十廿卅百零]+[、.．]|\([一二三四五六七八九十廿卅百零]+\))")
        .unwrap()
});

/// Label key with its ordinal prefix (`一、`, `（一）`, `1.`) removed, and whether it had a
/// Chinese ordinal (which marks a class-level line in summary tables).
/// The name a row label prints, as a key: its ordinal (一、, (1)) and a leading `其中:`
/// removed. What a code's name is compared with, and what a code without a listed name
/// is named.
pub fn printed_name(label: &str) -> String {
    let (k, _) = strip_ordinal(label);
    k.trim_start_matches("其中:").trim().to_string()
}

pub fn strip_ordinal(label: &str) -> (String, bool) {
    let k = key(label).replace('：', ":");
    let cn = CN_ORDINAL_RE.is_match(&k);
    let stripped =
        match ORDINAL_RE.find(&k) {
            Some(m) => {
                let rest = &k[m.end()..];
                // `1.` consumed one following char when it was not a digit; keep it.
                if m.as_str().chars().last().is_some_and(|c| {
                    !matches!(c, '、' | '.' | '．' | ')') && !('①'..='⑳').contains(&c)
                }) {
                    let cut = m
                        .as_str()
                        .char_indices()
                        .last()
                        .map(|(i, _)| m.start() + i)
                        .unwrap_or(m.end());
                    k[cut..].to_string()
                } else {
                    rest.to_string()
                }
            }
            None => k.clone(),
        };
    (stripped, cn)
}

const AGENCY_SUFFIXES: &[&str] = &[
    "局",
    "中心",
    "委员会",
    "办公室",
    "院",
    "所",
    "站",
    "队",
    "本级",
    "厅",
    "处",
    "馆",
    "校",
    "委",
    "政府",
    "集团",
    "公司",
    "学校",
    "医院",
    "街道",
    "镇",
    "乡",
    "(本级)",
    "(汇总)",
    "办事处",
    "协会",
    "联合会",
    "管委会",
];

/// Does a label name an agency (部门/单位) rather than a budget subject?
pub fn is_agency(label: &str, department: Option<&str>) -> bool {
    let k = key(label);
    if k.is_empty() {
        return false;
    }
    if let Some(d) = department {
        let dk = key(d);
        let dk = dk.trim_end_matches("(本级)").trim_end_matches("(汇总)");
        if !dk.is_empty() && k.chars().count() >= 4 {
            // The department itself, its 本级 or 汇总 line — not a project named after it.
            let rest = k.replace(dk, "");
            let own = ["", "本级", "(本级)", "机关", "(汇总)", "汇总", "机关本级"];
            if k.contains(dk) && own.contains(&rest.as_str()) || dk.contains(k.as_str()) {
                return true;
            }
        }
    }
    AGENCY_SUFFIXES.iter().any(|s| k.ends_with(s))
}

/// Codes printed in one document, by name: the best evidence for a name printed without one.
#[derive(Debug, Default, Clone)]
pub struct DocCodes {
    by_name: HashMap<(Scheme, String), Vec<String>>,
    names: HashMap<(Scheme, String), String>,
    /// Every (scheme, code, name key) printed: the name as first printed and the rows.
    printed: std::collections::BTreeMap<(Scheme, String, String), (String, usize)>,
}

impl DocCodes {
    pub fn add(&mut self, scheme: Scheme, code: &str, name: &str) {
        let k = key(name);
        if k.is_empty() {
            return;
        }
        let v = self.by_name.entry((scheme, k)).or_default();
        if !v.iter().any(|c| c == code) {
            v.push(code.to_string());
        }
        self.names
            .entry((scheme, code.to_string()))
            .or_insert_with(|| name.to_string());
        let p = self
            .printed
            .entry((scheme, code.to_string(), key(name)))
            .or_insert_with(|| (name.to_string(), 0));
        p.1 += 1;
    }

    /// The code/name pairs the document prints, in code order.
    pub fn printed(&self) -> Vec<crate::model::PrintedCode> {
        self.printed
            .iter()
            .map(|((s, code, _), (name, rows))| crate::model::PrintedCode {
                scheme: s.as_str().to_string(),
                code: code.clone(),
                name: name.clone(),
                rows: *rows,
            })
            .collect()
    }

    pub fn codes(&self, scheme: Scheme, name: &str) -> Vec<String> {
        self.by_name
            .get(&(scheme, key(name)))
            .cloned()
            .unwrap_or_default()
    }

    pub fn name(&self, scheme: Scheme, code: &str) -> Option<&str> {
        self.names
            .get(&(scheme, code.to_string()))
            .map(|s| s.as_str())
    }

    /// All (code, name) pairs of a scheme, for class-name matching.
    pub fn all(&self, scheme: Scheme) -> impl Iterator<Item = (&String, &String)> {
        self.names
            .iter()
            .filter(move |((s, _), _)| *s == scheme)
            .map(|((_, c), n)| (c, n))
    }
}

/// Resolves name-only rows in table order, remembering the class and 款 above.
pub struct NameResolver<'a> {
    pub reference: &'a Reference,
    pub doc: &'a DocCodes,
    pub scheme: Scheme,
    class: Option<String>,
    kuan: Option<String>,
    last: Option<String>,
}

impl<'a> NameResolver<'a> {
    pub fn new(reference: &'a Reference, doc: &'a DocCodes, scheme: Scheme) -> Self {
        NameResolver {
            reference,
            doc,
            scheme,
            class: None,
            kuan: None,
            last: None,
        }
    }

    /// Remember a code printed on a row, as context for the rows below it.
    pub fn saw(&mut self, code: &str) {
        match code.len() {
            3 => {
                self.class = Some(code.to_string());
                self.kuan = None;
            }
            5 => {
                self.class = Some(code[..3].to_string());
                self.kuan = Some(code.to_string());
            }
            _ => {
                if code.len() > 5 {
                    self.class = Some(code[..3].to_string());
                    self.kuan = Some(code[..5].to_string());
                }
            }
        }
        self.last = Some(code.to_string());
    }

    /// The class of the rows above.
    pub fn class(&self) -> Option<&str> {
        self.class.as_deref()
    }

    /// The 款 of the rows above.
    pub fn kuan(&self) -> Option<&str> {
        self.kuan.as_deref()
    }

    /// The code `resolve` would give, without taking it as context for the rows below.
    pub fn peek(&self, name: &str, class_level: bool) -> Option<String> {
        let mut probe = NameResolver {
            reference: self.reference,
            doc: self.doc,
            scheme: self.scheme,
            class: self.class.clone(),
            kuan: self.kuan.clone(),
            last: self.last.clone(),
        };
        probe.resolve(name, class_level)
    }

    /// The code of a name printed without one. `class_level` restricts to 类 codes
    /// (lines numbered 一、 or （一） in summary tables).
    pub fn resolve(&mut self, name: &str, class_level: bool) -> Option<String> {
        let k = key(name);
        if k.is_empty() {
            return None;
        }
        let mut cands: Vec<(String, u8)> = Vec::new(); // (code, evidence rank: 0 doc, 1 reference)
        for c in self.doc.codes(self.scheme, &k) {
            cands.push((c, 0));
        }
        for c in self.reference.codes_for_name(self.scheme, &k) {
            if !cands.iter().any(|(x, _)| *x == c) {
                cands.push((c, 1));
            }
        }
        // Class lines: match on the base name when the exact name is not known.
        if cands.iter().all(|(c, _)| c.len() != 3) && (class_level || cands.is_empty()) {
            let base = class_base(&k).to_string();
            if !base.is_empty() {
                for (c, n) in self.doc.all(self.scheme) {
                    if c.len() == 3
                        && class_base(&key(n)) == base
                        && !cands.iter().any(|(x, _)| x == c)
                    {
                        cands.push((c.clone(), 0));
                    }
                }
                for e in self.reference.classes(self.scheme) {
                    let ek = key(&e.name);
                    let variants = e.variants.iter().map(|v| key(v));
                    if (class_base(&ek) == base || variants.clone().any(|v| class_base(&v) == base))
                        && !cands.iter().any(|(x, _)| *x == e.code)
                    {
                        cands.push((e.code.clone(), 1));
                    }
                }
            }
        }
        if class_level {
            cands.retain(|(c, _)| c.len() == 3);
            if cands.is_empty() {
                // A renamed class (资源勘探信息等支出 → 资源勘探工业信息等支出): the listed name's
                // characters in order inside the printed one, at most two extra, one candidate.
                let renamed: Vec<String> = self
                    .reference
                    .classes(self.scheme)
                    .into_iter()
                    .filter(|e| renamed_from(&key(&e.name), &k))
                    .map(|e| e.code.clone())
                    .collect();
                if renamed.len() == 1 {
                    cands.push((renamed[0].clone(), 1));
                }
            }
        }
        if cands.is_empty() {
            return None;
        }
        let fits = |c: &str| -> bool {
            match c.len() {
                3 => true,
                5 => self.class.as_deref().is_none_or(|cl| c.starts_with(cl)),
                _ => {
                    self.kuan.as_deref().is_some_and(|k| c.starts_with(k))
                        || self.kuan.is_none()
                            && self.class.as_deref().is_some_and(|cl| c.starts_with(cl))
                }
            }
        };
        let last = self.last.clone();
        cands.sort_by_key(|(c, rank)| {
            (
                !fits(c),
                last.as_deref() == Some(c.as_str()),
                // A child right under its parent before a sibling class of the same name.
                if self.kuan.is_some() {
                    std::cmp::Reverse(c.len())
                } else {
                    std::cmp::Reverse(0)
                },
                *rank,
            )
        });
        let best = cands[0].0.clone();
        if !fits(&best) && cands.len() > 1 {
            // No candidate fits the context and the name is ambiguous: do not guess.
            return None;
        }
        self.saw(&best);
        Some(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_are_stripped() {
        assert_eq!(
            strip_ordinal("一、一般公共服务支出"),
            ("一般公共服务支出".into(), true)
        );
        assert_eq!(
            strip_ordinal("（一）一般公共预算拨款"),
            ("一般公共预算拨款".into(), true)
        );
        assert_eq!(
            strip_ordinal("1.一般公共预算拨款"),
            ("一般公共预算拨款".into(), false)
        );
        assert_eq!(strip_ordinal("廿一、其他支出"), ("其他支出".into(), true));
        assert_eq!(
            strip_ordinal("（1）政府预算资金"),
            ("政府预算资金".into(), false)
        );
        assert_eq!(
            strip_ordinal("12345便民热线"),
            ("12345便民热线".into(), false)
        );
    }

    #[test]
    fn repeated_names_use_the_parent() {
        let r = Reference::builtin();
        let mut doc = DocCodes::default();
        doc.add(Scheme::Functional, "2010301", "行政运行");
        doc.add(
            Scheme::Functional,
            "20103",
            "政府办公厅（室）及相关机构事务",
        );
        let mut res = NameResolver::new(&r, &doc, Scheme::Functional);
        assert_eq!(
            res.resolve("一般公共服务支出", true).as_deref(),
            Some("201")
        );
        assert_eq!(
            res.resolve("政府办公厅（室）及相关机构事务", false)
                .as_deref(),
            Some("20103")
        );
        assert_eq!(res.resolve("行政运行", false).as_deref(), Some("2010301"));
        assert_eq!(res.resolve("住房保障支出", true).as_deref(), Some("221"));
        assert_eq!(res.resolve("购房补贴", false).as_deref(), Some("2210203"));
    }

    #[test]
    fn agencies() {
        assert!(is_agency("洛龙区政务服务中心", None));
        assert!(is_agency("深圳市盐田区政务服务数据管理局（本级）", None));
        assert!(!is_agency("政府办公厅（室）及相关机构事务", None));
        assert!(!is_agency("工会经费", None));
    }
}

#[cfg(test)]
mod renamed_tests {
    use super::*;

    #[test]
    fn renamed_class_matches_only_when_unique() {
        let r = Reference::builtin();
        let doc = DocCodes::default();
        let mut res = NameResolver::new(&r, &doc, Scheme::Functional);
        assert_eq!(
            res.resolve("资源勘探工业信息等支出", true).as_deref(),
            Some("215")
        );
        assert_eq!(
            res.resolve("粮油物资储备支出", true).as_deref(),
            Some("222")
        );
        assert_eq!(res.resolve("特别试点支出", true), None);
        assert_eq!(res.resolve("资源勘探工业信息等支出", false), None);
    }
}
