//! Column header paths → canonical measure tokens (spec "Measures").
//!
//! A path is read top-down. Each level either names a measure (`基本支出` → basic), is a
//! subtotal (`小计`/`合计` under a parent means the parent), is a wrapper that names no
//! column of its own (`本年支出`, `资金来源`), composes with its parent (`上年结转结余 /
//! 一般公共预算` → `carryover.general_budget`, `预算数 / 合计` → `budget.total` in 决算
//! 三公 tables), or is unknown, which leaves the column unmapped. Each table type then
//! accepts only the measures its standard columns can carry.

use crate::classify::TableType;
use crate::text::key;

/// Normalise a header level for lookup: NFKC, no whitespace, `2022年` → `YYYY年`, `：` → `:`.
pub fn level_key(s: &str) -> String {
    let k = key(s).replace('：', ":");
    regex_lite_year(&k)
}

fn regex_lite_year(k: &str) -> String {
    let chars: Vec<char> = k.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 4 < chars.len()
            && chars[i] == '2'
            && chars[i + 1] == '0'
            && chars[i + 2].is_ascii_digit()
            && chars[i + 3].is_ascii_digit()
            && chars[i + 4] == '年'
        {
            out.push_str("YYYY");
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The token a single header level names, if any.
pub fn level_token(level: &str) -> Option<&'static str> {
    let k = level_key(level);
    let k = k.trim_start_matches("其中:");
    Some(match k {
        "合计"
        | "总计"
        | "本年支出合计"
        | "本年收入合计"
        | "金额"
        | "预算数"
        | "决算数"
        | "YYYY年预算数"
        | "资金总额"
        | "收入总计"
        | "支出总计"
        | "本年预算数"
        | "本年预算"
        | "\"三公\"经费合计"
        | "“三公”经费合计"
        | "三公经费合计"
        | "支出合计"
        | "收入合计"
        | "项目金额"
        | "预算金额"
        | "全年预算数"
        | "年度预算数" => "total",
        "基本支出" => "basic",
        "人员经费" | "人员支出" => "personnel",
        "公用经费" | "日常公用经费" | "公用支出" => "public",
        "工资福利支出" => "wages",
        "对个人和家庭的补助" | "对个人和家庭的补助支出" => "household",
        "商品和服务支出" => "goods_services",
        "资本性支出" => "capital",
        "项目支出" => "project",
        "其他运转类" | "其他运转类项目" => "project_operating",
        "特定目标类" | "特定目标类项目" => "project_specific",
        "事业单位经营支出" | "经营支出" => "business_operating",
        "上缴上级支出" => "remit_superior",
        "对附属单位补助支出" => "affiliate_subsidy",
        "本年收入" => "year",
        "财政拨款收入" | "政府预算拨款" => "fiscal_appropriation",
        "一般公共预算"
        | "一般公共预算拨款"
        | "一般公共预算拨款收入"
        | "一般公共预算财政拨款"
        | "一般公共预算财政拨款收入" => "general_budget",
        "财政拨款" if level_key(level).starts_with("其中:") => "general_budget_fiscal",
        "政府性基金"
        | "政府性基金预算"
        | "政府性基金预算拨款"
        | "政府性基金预算财政拨款"
        | "政府性基金拨款"
        | "政府性基金预算拨款收入"
        | "政府性基金预算财政拨款收入" => "gov_fund",
        "国有资本经营预算"
        | "国有资本经营预算拨款"
        | "国有资本经营预算财政拨款"
        | "国有资本经营预算拨款收入"
        | "国有资本经营预算财政拨款收入" => "state_capital",
        "财政专户管理资金" | "财政专户管理资金收入" => "special_account",
        "单位资金" => "unit_funds",
        "事业收入" => "business_income",
        "事业单位经营收入" | "经营收入" => "business_operating_income",
        "上级补助收入" => "superior_subsidy",
        "附属单位上缴收入" => "affiliate_remit",
        "其他收入" | "其他" => "other_income",
        "上年结转结余"
        | "上年结余、结转"
        | "上年结余,结转"
        | "财政拨款结转结余"
        | "上年结转"
        | "上年结余"
        | "上年结转和结余" => "carryover",
        "因公出国(境)费" | "因公出国(境)费用" | "因公出国境费" => "overseas",
        "公务用车购置及运行维护费" | "公务用车购置及运行费" | "公务用车购置和运行维护费" => {
            "vehicle"
        }
        "公务用车购置费" | "公务用车购置" => "vehicle_purchase",
        "公务用车运行维护费" | "公务用车运行费" => "vehicle_operation",
        "公务接待费" => "reception",
        _ => return None,
    })
}

fn is_subtotal(level: &str) -> bool {
    let k = level_key(level);
    k == "小计" || k == "合计"
}

fn is_wrapper(level: &str) -> bool {
    let k = level_key(level);
    matches!(
        k.as_str(),
        "本年支出"
            | "资金来源"
            | "收入"
            | "支出"
            | "本年拨款"
            | "YYYY年预算"
            | "本年一般公共预算基本支出"
            | "本年政府性基金预算支出"
            | "本年国有资本经营预算支出"
            | "一般公共预算支出"
            | "政府性基金预算支出"
            | "国有资本经营预算支出"
            | "项目"
            | "金额单位:万元"
            | "单位:万元"
            | "本年支出数"
            | "本年"
    ) || k.is_empty()
}

const SOURCES: &[&str] = &[
    "general_budget",
    "gov_fund",
    "state_capital",
    "special_account",
    "unit_funds",
    "business_income",
    "business_operating_income",
    "superior_subsidy",
    "affiliate_remit",
    "other_income",
    "fiscal_appropriation",
];

/// Map a header path to a measure token. `three_public_prefix` is true for 三公 tables,
/// where a `预算数`/`决算数` level above the columns prefixes `budget.`/`actual.`.
pub fn path_measure(path: &[String], three_public: bool) -> Option<String> {
    let mut ctx: Option<String> = None;
    let mut prefix: Option<&str> = None;
    let levels: Vec<&String> = path.iter().filter(|l| !l.trim().is_empty()).collect();
    let n = levels.len();
    for (i, level) in levels.iter().enumerate() {
        let last = i + 1 == n;
        let k = level_key(level);
        if three_public && !last && (k == "预算数" || k == "决算数" || k == "年初预算数")
        {
            prefix = Some(if k == "决算数" { "actual" } else { "budget" });
            continue;
        }
        if is_subtotal(level) {
            if ctx.is_none() {
                ctx = Some("total".into());
            }
            continue;
        }
        if let Some(tok) = level_token(level) {
            ctx = Some(match ctx.as_deref() {
                Some("carryover") if SOURCES.contains(&tok) => format!("carryover.{tok}"),
                Some("general_budget") if tok == "general_budget_fiscal" => tok.to_string(),
                _ => tok.to_string(),
            });
            continue;
        }
        if is_wrapper(level) {
            continue;
        }
        return None; // an unknown level: the column's meaning is not known
    }
    let m = ctx?;
    Some(match prefix {
        Some(p) => format!("{p}.{m}"),
        None => m,
    })
}

/// Measures a table type's standard columns can carry; others stay unmapped.
pub fn allowed(tt: TableType, m: &str) -> bool {
    let base = m
        .strip_prefix("budget.")
        .or_else(|| m.strip_prefix("actual."))
        .unwrap_or(m);
    let income = m.starts_with("carryover")
        || matches!(
            m,
            "total"
                | "year"
                | "fiscal_appropriation"
                | "general_budget"
                | "general_budget_fiscal"
                | "gov_fund"
                | "state_capital"
                | "special_account"
                | "unit_funds"
                | "business_income"
                | "business_operating_income"
                | "superior_subsidy"
                | "affiliate_remit"
                | "other_income"
        );
    let expenditure = matches!(
        m,
        "total"
            | "basic"
            | "personnel"
            | "public"
            | "wages"
            | "household"
            | "goods_services"
            | "capital"
            | "project"
            | "project_operating"
            | "project_specific"
            | "business_operating"
            | "remit_superior"
            | "affiliate_subsidy"
    );
    match tt {
        TableType::Summary
        | TableType::Project
        | TableType::OperatingFunds
        | TableType::Procurement
        | TableType::Performance
        | TableType::Other => m == "total",
        TableType::FiscalSummary => matches!(
            m,
            "total" | "general_budget" | "general_budget_fiscal" | "gov_fund" | "state_capital"
        ),
        TableType::Income | TableType::BasicSummary | TableType::EconSummary => income,
        TableType::Expenditure
        | TableType::GeneralExpenditure
        | TableType::GovFund
        | TableType::StateCapital => expenditure,
        TableType::GeneralBasic => matches!(m, "total" | "personnel" | "public"),
        TableType::ThreePublic => matches!(
            base,
            "total"
                | "overseas"
                | "vehicle"
                | "vehicle_purchase"
                | "vehicle_operation"
                | "reception"
        ),
    }
}

/// The measures a complete 三公 block has, for repairing a garbled header.
pub const THREE_PUBLIC: &[&str] = &[
    "total",
    "overseas",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn p(levels: &[&str]) -> Vec<String> {
        levels.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn paths_map_to_measures() {
        assert_eq!(
            path_measure(&p(&["本年收入", "小计"]), false).as_deref(),
            Some("year")
        );
        assert_eq!(
            path_measure(&p(&["上年结转结余", "一般公共预算"]), false).as_deref(),
            Some("carryover.general_budget")
        );
        assert_eq!(
            path_measure(&p(&["上年结转结余", "小计"]), false).as_deref(),
            Some("carryover")
        );
        assert_eq!(
            path_measure(&p(&["基本支出", "人员经费", "工资福利支出"]), false).as_deref(),
            Some("wages")
        );
        assert_eq!(
            path_measure(&p(&["基本支出", "小计"]), false).as_deref(),
            Some("basic")
        );
        assert_eq!(
            path_measure(&p(&["本年支出", "小计"]), false).as_deref(),
            Some("total")
        );
        assert_eq!(
            path_measure(&p(&["一般公共预算", "其中：财政拨款"]), false).as_deref(),
            Some("general_budget_fiscal")
        );
        assert_eq!(
            path_measure(&p(&["2022 年预算数"]), false).as_deref(),
            Some("total")
        );
        assert_eq!(
            path_measure(&p(&["预算数", "公务用车购置及运行维护费", "小计"]), true).as_deref(),
            Some("budget.vehicle")
        );
        assert_eq!(
            path_measure(&p(&["资金来源", "一般公共预算资金", "小计"]), false),
            None
        );
        assert_eq!(
            path_measure(&p(&["资金来源", "合计"]), false).as_deref(),
            Some("total")
        );
    }

    #[test]
    fn table_types_restrict_measures() {
        assert!(!allowed(TableType::Project, "general_budget"));
        assert!(allowed(TableType::Income, "carryover.gov_fund"));
        assert!(allowed(TableType::ThreePublic, "actual.reception"));
        assert!(!allowed(TableType::GeneralBasic, "basic"));
    }
}
