//! Document metadata: department, fiscal year, budget or final account.

use crate::model::DocKind;
use crate::normalize::analysis::department_scope;
use crate::text::{compact, key};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static TITLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{4}\s*年度?)?\s*(.+?)\s*[(（]?\s*(20\d{2})\s*年度?\s*[)）]?\s*(?:部门|单位)?(?:预算|决算)").unwrap()
});
static TITLE_YEAR_FIRST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(20\d{2})\s*年度?\s*(.{3,}?)\s*(?:部门|单位)(?:预算|决算)").unwrap()
});
static YEAR_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(20\d{2})\s*年度?").unwrap());
static DOC_YEAR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(20\d{2})\s*年度?\s*(?:部门|单位)?(?:预算|决算|预算数|决算数|收支|收入|支出|一般公共|政府性基金|项目支出|“三公”|\x22三公\x22)").unwrap()
});

/// Title lines: the first lines of the document, before the table of contents.
fn head_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            l.trim()
                .trim_start_matches('#')
                .trim()
                .trim_matches('*')
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .take(12)
        .collect()
}

static DEPT_PREFIX_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第[一二三四五六七八九十0-9]+(?:部分|章|篇)|附件[0-9一二三四五六七八九十]*|(?:编制|预算|决算)?(?:部门|单位)(?:名称)?)[:：、.．]?").unwrap()
});

/// A department name as published, without the prefixes a heading puts before it
/// (`第二部分`, `部门名称：`, `附件2：`).
pub fn clean_department(d: &str) -> String {
    let mut k = compact(d);
    while let Some(m) = DEPT_PREFIX_RE.find(&k).filter(|m| !m.is_empty()) {
        let rest = k[m.end()..].to_string();
        if rest.chars().count() < 3 {
            break;
        }
        k = rest;
    }
    k
}

/// The department: the most common 部门名称 line of the tables, else the document title.
pub fn department(lines: &[String], table_depts: &[String]) -> Option<String> {
    department_raw(lines, table_depts).map(|d| clean_department(&d))
}

fn department_raw(lines: &[String], table_depts: &[String]) -> Option<String> {
    // Votes per body: a name with a scope suffix (`…局（汇总）`) and the bare name are one
    // body.
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    let mut scoped: HashMap<String, String> = HashMap::new();
    for (i, d) in table_depts.iter().enumerate() {
        let d = compact(d);
        if d.chars().count() < 3 {
            continue;
        }
        let base = body_of(&d);
        if base.len() < d.len() {
            scoped.entry(base.clone()).or_insert(d.clone());
        }
        let e = counts.entry(base).or_insert((0, i));
        e.0 += 1;
    }
    let voted = counts
        .into_iter()
        .max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first)))
        .map(|(d, _)| scoped.get(&d).cloned().unwrap_or(d));
    let titled = title_department(lines);
    match (voted, titled) {
        // The title names the same body with its scope (`…局（汇总）`), the tables only the
        // body (a form's 单位名称): the title's is the document's.
        (Some(v), Some(t)) if body_of(&t) == v && t.len() > v.len() => Some(t),
        (Some(v), _) => Some(v),
        (None, t) => t,
    }
}

/// A department's name without its scope suffix (`（汇总）`, `(本级)`:
/// [`department_scope`]); a name that is only a scope stays as it is.
fn body_of(d: &str) -> String {
    let (body, _) = department_scope(d);
    if body.is_empty() {
        d.to_string()
    } else {
        body
    }
}

/// The department named by the document's title lines.
fn title_department(lines: &[String]) -> Option<String> {
    let head = head_lines(lines);
    for l in &head {
        let l = compact(l);
        if let Some(c) = TITLE_YEAR_FIRST_RE.captures(&l) {
            return Some(c[2].to_string());
        }
        if let Some(c) = TITLE_RE.captures(&l) {
            let d = c[1].trim_end_matches(['(', '（']).to_string();
            if d.chars().count() >= 3 {
                return Some(d);
            }
        }
    }
    // A first line naming an agency on its own (`XX局（汇总）` above `2023 年度部门决算`).
    head.first()
        .map(|l| compact(l))
        .filter(|l| crate::normalize::subject::is_agency(l, None))
}

/// The fiscal year: from the title, else the year most often printed next to 预算/决算 words.
pub fn fiscal_year(lines: &[String], table_titles: &[String]) -> Option<i32> {
    let head = head_lines(lines);
    for l in &head {
        let k = compact(l);
        if k.contains("部门预算")
            || k.contains("部门决算")
            || k.contains("单位预算")
            || k.contains("单位决算")
            || k.contains("预算公开")
            || k.contains("决算公开")
        {
            if let Some(c) = YEAR_RE.captures(&k) {
                return c[1].parse().ok();
            }
        }
    }
    // A title line with the year on the next line (`XX局` / `2023 年度部门决算`).
    for w in head.windows(2) {
        let k = compact(&w[1]);
        if let Some(c) = YEAR_RE.captures(&k) {
            if k.contains("决算") || k.contains("预算") {
                return c[1].parse().ok();
            }
        }
    }
    let mut votes: HashMap<i32, usize> = HashMap::new();
    for t in table_titles {
        if let Some(c) = YEAR_RE.captures(&compact(t)) {
            if let Ok(y) = c[1].parse::<i32>() {
                *votes.entry(y).or_default() += 3;
            }
        }
    }
    for l in lines {
        for c in DOC_YEAR_RE.captures_iter(&compact(l)) {
            if let Ok(y) = c[1].parse::<i32>() {
                *votes.entry(y).or_default() += 1;
            }
        }
    }
    votes
        .into_iter()
        .max_by_key(|(y, n)| (*n, *y))
        .map(|(y, _)| y)
}

/// Budget (预算) or final account (决算): the title decides, else the table titles.
pub fn doc_kind(lines: &[String], table_titles: &[String]) -> Option<DocKind> {
    for l in head_lines(lines) {
        let k = key(&l);
        if k.contains("决算") {
            return Some(DocKind::FinalAccount);
        }
        if k.contains("预算") {
            return Some(DocKind::Budget);
        }
    }
    let (mut b, mut f) = (0, 0);
    for t in table_titles {
        if t.contains("决算") {
            f += 1;
        } else if t.contains("预算") || t.contains("收支") {
            b += 1;
        }
    }
    if f > b {
        Some(DocKind::FinalAccount)
    } else if b > 0 {
        Some(DocKind::Budget)
    } else {
        let text: String = lines.iter().take(400).map(|s| s.as_str()).collect();
        let (pb, pf) = (text.matches("预算").count(), text.matches("决算").count());
        if pb + pf == 0 {
            None
        } else if pf > pb {
            Some(DocKind::FinalAccount)
        } else {
            Some(DocKind::Budget)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_prefixes_go() {
        assert_eq!(
            clean_department("第二部分 上海市普陀区财政局"),
            "上海市普陀区财政局"
        );
        assert_eq!(
            clean_department("部门名称：江苏省高级人民法院"),
            "江苏省高级人民法院"
        );
        // A name that starts like a prefix but is the whole name stays.
        assert_eq!(clean_department("单位工会"), "单位工会");
        assert_eq!(clean_department("上海市普陀区司法局"), "上海市普陀区司法局");
    }

    fn v(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scoped_and_bare_names_are_one_body() {
        // Three forms name the bare body (单位名称), a budget table its 汇总 scope: the
        // scoped name wins.
        let depts = v(&[
            "曾都区政务服务和大数据管理局（汇总）",
            "曾都区政务服务和大数据管理局",
            "曾都区政务服务和大数据管理局",
            "曾都区政务服务和大数据管理局",
        ]);
        assert_eq!(
            department(&[], &depts).as_deref(),
            Some("曾都区政务服务和大数据管理局（汇总）")
        );
        // Only bare names in the tables, the scope in the title.
        let l = v(&["曾都区政务服务和大数据管理局（汇总）", "2023 年度部门决算"]);
        assert_eq!(
            department(&l, &depts[1..]).as_deref(),
            Some("曾都区政务服务和大数据管理局（汇总）")
        );
        assert_eq!(body_of("单位工会"), "单位工会");
        assert_eq!(body_of("（汇总）"), "（汇总）");
    }

    #[test]
    fn title_gives_department_year_kind() {
        let l = v(&["# 曾都区政务服务和大数据管理局 2025 年部门预算", "## 目 录"]);
        assert_eq!(
            department(&l, &[]).as_deref(),
            Some("曾都区政务服务和大数据管理局")
        );
        assert_eq!(fiscal_year(&l, &[]), Some(2025));
        assert_eq!(doc_kind(&l, &[]), Some(DocKind::Budget));
        let l = v(&[
            "曾都区政务服务和大数据管理局（汇总）",
            "2023 年度部门决算",
            "目 录",
        ]);
        assert_eq!(fiscal_year(&l, &[]), Some(2023));
        assert_eq!(doc_kind(&l, &[]), Some(DocKind::FinalAccount));
        assert_eq!(
            department(&l, &[]).as_deref(),
            Some("曾都区政务服务和大数据管理局（汇总）")
        );
    }

    #[test]
    fn tables_outvote_the_title() {
        let l = v(&["# 2025 年洛龙区政务服务中心 部门预算公开"]);
        assert_eq!(
            department(&l, &["洛龙区政务服务中心".into()]).as_deref(),
            Some("洛龙区政务服务中心")
        );
        assert_eq!(department(&l, &[]).as_deref(), Some("洛龙区政务服务中心"));
    }
}
