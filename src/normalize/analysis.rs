//! Analysis columns: what a user needs to sum records without double counting or
//! converting units by hand. Derived from a record's own fields and its table; no guess.
//!
//! - `level` 类 / 款 / 项 of a functional or economic code, `class_code`, `parent_code`;
//! - `is_total`: rows other rows sum into (合计 / 小计 lines, a code with a printed child
//!   code in the same table);
//! - `amount_wan`: the amount in 万元, exact (元 ÷ 10,000, 千元 ÷ 10);
//! - `side`: `income` / `expenditure` / `other`;
//! - `department_key` and `scope`: the department without a scope suffix (（汇总）,
//!   （本级）…) and that suffix.

use crate::classify::TableType;
use crate::model::Record;
use crate::reference::Scheme;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Suffixes that say which part of a department a document covers.
const SCOPES: &[&str] = &[
    "汇总",
    "本级",
    "部门汇总",
    "单位汇总",
    "机关本级",
    "合并",
    "部门",
    "单位",
];

/// The department without a trailing scope suffix, and the suffix.
pub fn department_scope(dept: &str) -> (String, Option<String>) {
    let d = dept.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = d.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                let scope = &inner[i + open.len_utf8()..];
                if SCOPES.contains(&scope) {
                    return (inner[..i].trim().to_string(), Some(scope.to_string()));
                }
            }
        }
    }
    (d.to_string(), None)
}

/// The 万元 amount of a printed amount in `unit`.
pub fn amount_wan(amount: &str, unit: Option<&str>) -> Option<String> {
    let a = Decimal::from_str(amount).ok()?;
    let div = match unit? {
        "万元" => 1,
        "元" => 10_000,
        "千元" => 10,
        "亿元" => return a.checked_mul(Decimal::from(10_000)).map(|x| x.to_string()),
        _ => return None,
    };
    a.checked_div(Decimal::from(div)).map(|x| x.to_string())
}

fn side(r: &Record) -> &'static str {
    if r.table_type.is_two_sided() {
        let code = r.subject_code.as_deref().unwrap_or("");
        let income = r.subject_scheme == "income_source"
            || (r.subject_scheme == "total"
                && (code.contains("income") || code.starts_with("carryover_in")));
        return if income { "income" } else { "expenditure" };
    }
    match r.table_type {
        TableType::Income => "income",
        TableType::Performance | TableType::Procurement | TableType::Other => "other",
        _ => "expenditure",
    }
}

/// Fill the analysis columns of a document's records.
pub fn fill(records: &mut [Record]) {
    // Codes printed in each table (for is_total: a code with a printed child).
    let mut codes: BTreeMap<(usize, &'static str), BTreeSet<String>> = BTreeMap::new();
    for r in records.iter() {
        if let (Some(s), Some(c)) = (
            Scheme::from_name(&r.subject_scheme),
            r.subject_code.as_deref(),
        ) {
            if Scheme::of_code(c) == Some(s) {
                codes
                    .entry((r.table_no, s.as_str()))
                    .or_default()
                    .insert(c.to_string());
            }
        }
    }
    for r in records.iter_mut() {
        let scheme = Scheme::from_name(&r.subject_scheme);
        let code = r
            .subject_code
            .clone()
            .filter(|c| scheme.is_some_and(|s| Scheme::of_code(c) == Some(s)));
        r.level = code.as_deref().map(|c| {
            match c.len() {
                3 => "类",
                5 => "款",
                _ => "项",
            }
            .to_string()
        });
        r.class_code = code.as_deref().map(|c| c[..3].to_string());
        r.parent_code = code
            .as_deref()
            .filter(|c| c.len() > 3)
            .map(|c| c[..c.len() - 2].to_string());
        let has_child = match (scheme, code.as_deref()) {
            (Some(s), Some(c)) => codes.get(&(r.table_no, s.as_str())).is_some_and(|set| {
                set.range(c.to_string()..)
                    .take_while(|x| x.starts_with(c))
                    .any(|x| x.len() > c.len())
            }),
            _ => false,
        };
        r.is_total = r.subject_scheme == "total" || has_child;
        r.amount_wan = amount_wan(&r.amount, r.unit.as_deref());
        r.side = Some(side(r).to_string());
        let (key, scope) = r
            .department
            .as_deref()
            .map(department_scope)
            .map_or((None, None), |(k, s)| (Some(k), s));
        r.department_key = key;
        r.scope = scope;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_units_and_levels() {
        assert_eq!(
            department_scope("曾都区政务服务和大数据管理局（汇总）"),
            (
                "曾都区政务服务和大数据管理局".to_string(),
                Some("汇总".to_string())
            )
        );
        assert_eq!(
            department_scope("深圳市盐田区政务服务数据管理局(本级)")
                .1
                .as_deref(),
            Some("本级")
        );
        assert_eq!(department_scope("某某局（筹）").1, None);
        assert_eq!(
            amount_wan("12345.67", Some("元")).as_deref(),
            Some("1.234567")
        );
        assert_eq!(amount_wan("6,655.15", Some("万元")), None); // records hold plain decimals
        assert_eq!(
            amount_wan("6655.15", Some("万元")).as_deref(),
            Some("6655.15")
        );
        assert_eq!(amount_wan("1.5", None), None);
    }
}
