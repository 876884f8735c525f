//! The one vocabulary of the tables' words: header terms and the row labels that name a
//! measure or a total, for every ingest and every stage.
//!
//! A header level (or a row label, in a table printed the other way round) is read as
//! one or more *atoms*:
//!
//! - [`Term::Measure`]: names a column meaning (`基本支出` → `basic`);
//! - [`Term::Part`]: a part that only means something under its parent
//!   (`购置费` under `公务用车购置及运行费` → `vehicle_purchase`);
//! - [`Term::Total`]: 合计, 小计, 金额, 预算数 …: the parent when there is one, the total
//!   when nothing more specific is said (`收入预算 / 合计` → `total`);
//! - [`Term::Wrapper`]: names the block only (收入预算, 支出预算, 资金来源): dropped;
//! - prefixes: a year before the document's (`2018年预算数` in 2019) and 上年预算数 give
//!   `prior.`; 预算数 / 决算数 give `budget.` / `actual.` where a table prints both kinds
//!   (三公 tables of final accounts); 增减 gives `change`, 增减率 `change_pct`;
//! - [`Term::Label`], [`Term::RowNum`]: row-label and row-number column headings;
//! - [`Term::Known`]: a recognised heading that no token fits (kept as printed).
//!
//! A level that is no term is decomposed: a leading year, then the longest term, then a
//! trailing budget word (`2024年机关运行经费预算数` → year, 机关运行经费, 预算数). A column's
//! measure is composed from its levels top-down ([`compose`]); a table type then keeps
//! the measures its columns can carry ([`carries`]). Adding a template's words means adding
//! rows to [`TERMS`] and a test.

pub mod dictionary;
mod rows;
mod terms;

pub use rows::{expenditure_total, expense_type, income_source, income_total};
pub use terms::TERMS;
use terms::TRAILERS;

use crate::classify::TableType;
use crate::text::key;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What a header word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    Measure(&'static str),
    Part(&'static str),
    Total,
    Wrapper,
    /// Names the block over its columns (`2022年预算`, 本年预算): to the column tree a
    /// wrapper, to a column headed by it alone the total.
    Block,
    /// 预算数 (`budget`) or 决算数 (`actual`): a prefix where the table prints both, else a
    /// total.
    Kind(&'static str),
    /// 上年预算数 and the like: the previous year's total.
    Prior,
    Label,
    RowNum,
    Known,
}

use Term::*;

static INDEX: LazyLock<HashMap<&'static str, Term>> =
    LazyLock::new(|| TERMS.iter().copied().collect());

/// Normalise a header level for lookup: NFKC, no whitespace, quotes removed, `：` → `:`,
/// `2022年` → `YYYY年`.
pub fn level_key(s: &str) -> String {
    let k: String = key(s)
        .chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’' | '「' | '」'))
        .collect();
    // A unit annotation (`项目金额（万元）`) says nothing about the meaning.
    let mut k = k.replace('：', ":");
    for u in ["(万元)", "(元)", "(千元)", "(亿元)"] {
        if k.len() > u.len() {
            k = k.replace(u, "");
        }
    }
    year_to_placeholder(&k)
}

/// The years `level_key` turns into `YYYY` in `s` (`2022 年` → `2022`), in order.
pub fn printed_years(s: &str) -> Vec<String> {
    let k: Vec<char> = key(s).chars().collect();
    (0..k.len())
        .filter(|&i| year_at(&k, i))
        .map(|i| k[i..i + 4].iter().collect())
        .collect()
}

/// Does a year (`20dd年`) start at `k[i]`?
fn year_at(k: &[char], i: usize) -> bool {
    i + 4 < k.len()
        && k[i] == '2'
        && k[i + 1] == '0'
        && k[i + 2].is_ascii_digit()
        && k[i + 3].is_ascii_digit()
        && k[i + 4] == '年'
}

/// A header term as printed: each `YYYY` of the key `t` given back the next year of
/// `years` (from [`printed_years`] of the text the key was made from).
pub fn with_years(t: &str, years: &mut impl Iterator<Item = String>) -> String {
    if !t.contains("YYYY") {
        return t.to_string();
    }
    let mut out = String::new();
    let mut rest = t;
    while let Some(i) = rest.find("YYYY") {
        out.push_str(&rest[..i]);
        out.push_str(&years.next().unwrap_or_else(|| "YYYY".to_string()));
        rest = &rest[i + 4..];
    }
    out.push_str(rest);
    out
}

fn year_to_placeholder(k: &str) -> String {
    let chars: Vec<char> = k.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if year_at(&chars, i) {
            out.push_str("YYYY");
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The year a level starts with (`2018年预算数` → 2018).
fn leading_year(level: &str) -> Option<i32> {
    let k = key(level);
    let digits: String = k.chars().take(4).collect();
    if digits.len() == 4 && digits.starts_with("20") && k[4..].starts_with('年') {
        digits.parse().ok()
    } else {
        None
    }
}

/// The term a whole level is, if it is one.
pub fn term(level: &str) -> Option<Term> {
    INDEX.get(level_key(level).as_str()).copied()
}

/// The term of an already keyed text.
pub fn term_of_key(k: &str) -> Option<Term> {
    INDEX.get(k).copied()
}

/// One level of a header path (or a row label) as atoms. `None` for a word the
/// vocabulary does not know.
pub fn atoms(level: &str, doc_year: Option<i32>) -> Option<Vec<Term>> {
    let k = level_key(level);
    if k.is_empty() {
        return Some(vec![Wrapper]);
    }
    if let Some(t) = term_of_key(&k) {
        // `2026年预算数` in 2026 is the total; of an earlier year, the previous year's.
        if k.starts_with("YYYY年") {
            if let (Some(y), Some(d)) = (leading_year(level), doc_year) {
                if y < d {
                    return Some(vec![Prior]);
                }
            }
        }
        return Some(vec![t]);
    }
    let mut out = Vec::new();
    let mut rest = k.as_str();
    if let Some(r) = rest
        .strip_prefix("YYYY年度")
        .or_else(|| rest.strip_prefix("YYYY年"))
    {
        if let (Some(y), Some(d)) = (leading_year(level), doc_year) {
            if y < d {
                out.push(Prior);
            }
        }
        rest = r;
    }
    let mut rest = rest.trim_start_matches("其中:");
    // 本年 / 当年 is the document's own year: `本年收入预算` is the wrapper 收入预算.
    for current in ["本年度", "本年", "当年"] {
        if let Some(r) = rest.strip_prefix(current) {
            if !r.is_empty() && term_of_key(r).is_some() {
                rest = r;
                break;
            }
        }
    }
    if rest.is_empty() {
        return Some(out);
    }
    if let Some(t) = term_of_key(rest) {
        out.push(t);
        return Some(out);
    }
    // A term followed by a trailing budget word.
    for tr in TRAILERS {
        if let Some(core) = rest.strip_suffix(tr) {
            if let (Some(t), Some(tt)) = (term_of_key(core), term_of_key(tr)) {
                out.push(t);
                out.push(tt);
                return Some(out);
            }
            if *tr == "数" {
                continue;
            }
            if let Some(t) = term_of_key(core) {
                out.push(t);
                return Some(out);
            }
        }
    }
    None
}

/// Income sources: the parts a carry-over block composes with (`carryover.gov_fund`).
pub const SOURCES: &[&str] = &[
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
    "other_funds",
];

/// Kinds of spending: summary lines naming one are scheme `expense_type`.
pub const EXPENSE_TYPES: &[&str] = &[
    "basic",
    "project",
    "reserve",
    "personnel",
    "public",
    "wages",
    "household",
    "goods_services",
    "capital",
    "project_operating",
    "project_specific",
    "business_operating",
    "remit_superior",
    "affiliate_subsidy",
];

/// How the measure of one path is being composed.
#[derive(Debug, Clone, Default)]
pub struct Composition {
    token: Option<String>,
    /// The token came only from a total word (合计, 金额 …).
    generic: bool,
    prefix: Option<&'static str>,
    /// How many atoms named something (more specific paths win a tie between columns).
    pub specificity: usize,
}

/// Whether 预算数 / 决算数 prefix the measure (`budget.` / `actual.`) or only say total.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub doc_year: Option<i32>,
    pub budget_actual_prefix: bool,
}

impl Composition {
    /// Add one atom. `false` when the atom makes the path meaningless (a part with no
    /// parent, a known heading no token fits).
    pub fn push(&mut self, atom: Term, ctx: Context) -> bool {
        match atom {
            Wrapper | Label | RowNum => {}
            Total | Block => {
                if self.token.is_none() {
                    self.token = Some("total".into());
                    self.generic = true;
                }
            }
            Kind(k) => {
                if ctx.budget_actual_prefix {
                    self.prefix = Some(k);
                    self.specificity += 1;
                }
                if self.token.is_none() {
                    self.token = Some("total".into());
                    self.generic = true;
                }
            }
            Prior => {
                self.prefix = Some("prior");
                self.specificity += 1;
                if self.token.is_none() {
                    self.token = Some("total".into());
                    self.generic = true;
                }
            }
            Measure(t) => {
                self.specificity += 1;
                let next = match (self.token.as_deref(), self.generic) {
                    (Some("carryover"), false) if SOURCES.contains(&t) => format!("carryover.{t}"),
                    _ => t.to_string(),
                };
                self.token = Some(next);
                self.generic = false;
            }
            Part(p) => {
                self.specificity += 1;
                let next = match (self.token.as_deref(), p) {
                    (Some("vehicle"), "purchase") => "vehicle_purchase",
                    (Some("vehicle"), "operation") => "vehicle_operation",
                    (Some("change"), "pct") => "change_pct",
                    _ => return false,
                };
                self.token = Some(next.into());
                self.generic = false;
            }
            Known => return false,
        }
        true
    }

    /// The composed measure, prefix included.
    pub fn measure(&self) -> Option<String> {
        let t = self.token.as_deref()?;
        Some(match self.prefix {
            Some("prior") if t == "total" => "prior.total".into(),
            Some(p) => format!("{p}.{t}"),
            None => t.to_string(),
        })
    }

    /// The token without its prefix.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Only total words were said.
    pub fn is_generic(&self) -> bool {
        self.generic
    }
}

/// Compose a header path (top level first) into a measure. A level the vocabulary does
/// not know leaves the column unmapped (`None`).
pub fn compose<S: AsRef<str>>(path: &[S], ctx: Context) -> Option<Composition> {
    let mut c = Composition::default();
    for level in path {
        let level = level.as_ref();
        if level.trim().is_empty() {
            continue;
        }
        for a in atoms(level, ctx.doc_year)? {
            if !c.push(a, ctx) {
                return None;
            }
        }
    }
    c.token.is_some().then_some(c)
}

/// The measure of a header path, or None.
pub fn path_measure<S: AsRef<str>>(path: &[S], ctx: Context) -> Option<String> {
    compose(path, ctx)?.measure()
}

/// Is this heading a row-label column's?
pub fn is_label_heading(level: &str) -> bool {
    let k = level_key(level);
    if matches!(term_of_key(&k), Some(Label)) {
        return true;
    }
    // 功能分类科目名称, 部门预算经济分类科目编码, 采购品目大类 …
    ["名称", "编码", "代码", "科目", "品目", "大类", "组织形式"]
        .iter()
        .any(|s| k.ends_with(s))
}

/// Is this heading a row-number column's (行次, 栏次, 序号)?
pub fn is_rownum_heading(level: &str) -> bool {
    let k = level_key(level);
    matches!(term_of_key(&k), Some(RowNum)) || k.starts_with("栏次") || k.starts_with("行次")
}

/// The token a single level names, when it names one on its own (no parent needed).
pub fn level_token(level: &str) -> Option<&'static str> {
    match term(level)? {
        Measure(t) => Some(t),
        Total | Block | Kind(_) => Some("total"),
        _ => None,
    }
}

/// Parents a token can be printed under, for rebuilding a column tree from flow text.
const PARENTS: &[(&str, &[&str])] = &[
    ("personnel", &["basic"]),
    ("public", &["basic"]),
    ("wages", &["basic", "personnel"]),
    ("household", &["basic", "personnel"]),
    ("goods_services", &["basic", "public"]),
    ("capital", &["basic", "public"]),
    ("project_operating", &["project"]),
    ("project_specific", &["project"]),
    (
        "general_budget",
        &["fiscal_appropriation", "year", "carryover"],
    ),
    ("gov_fund", &["fiscal_appropriation", "year", "carryover"]),
    (
        "state_capital",
        &["fiscal_appropriation", "year", "carryover"],
    ),
    ("special_account", &["year", "carryover"]),
    ("unit_funds", &["year", "carryover"]),
    ("fiscal_appropriation", &["year", "carryover"]),
    ("business_income", &["unit_funds", "year"]),
    ("business_operating_income", &["unit_funds", "year"]),
    ("superior_subsidy", &["unit_funds", "year"]),
    ("affiliate_remit", &["unit_funds", "year"]),
    ("other_income", &["unit_funds", "year"]),
    ("vehicle_purchase", &["vehicle"]),
    ("vehicle_operation", &["vehicle"]),
    ("general_budget_fiscal", &["general_budget"]),
];

/// May `child` be printed under the group heading `group` (both keyed)? Subtotals go
/// under any group; under 预算数 / 决算数 any column but a bare 小计.
pub fn allowed_child(group: &str, child: &str) -> bool {
    let (g, c) = (term_of_key(group), term_of_key(child));
    if matches!(g, Some(Kind(_))) {
        return !matches!(child, "小计");
    }
    let Some(Measure(gt)) = g else {
        return false;
    };
    match c {
        // A subtotal only under a heading that groups columns.
        Some(Total) => {
            matches!(child, "小计" | "合计") && PARENTS.iter().any(|(_, ps)| ps.contains(&gt))
        }
        Some(Measure(ct)) => PARENTS.iter().any(|(t, ps)| *t == ct && ps.contains(&gt)),
        _ => false,
    }
}

/// Every term key of the given kinds, for splitting text whose spaces were lost.
pub fn keys_where(f: impl Fn(Term) -> bool) -> Vec<&'static str> {
    TERMS
        .iter()
        .filter(|(_, t)| f(*t))
        .map(|(k, _)| *k)
        .collect()
}

/// Which measures a table type's standard columns carry. A token outside its table type
/// is kept as unmapped (`measure: null`, flag `unmapped_column`).
pub fn carries(tt: TableType, m: &str) -> bool {
    let base = m
        .strip_prefix("budget.")
        .or_else(|| m.strip_prefix("actual."))
        .or_else(|| m.strip_prefix("prior."))
        .unwrap_or(m);
    if matches!(base, "change" | "change_pct") {
        return true;
    }
    let base = base
        .strip_prefix("change.")
        .or_else(|| base.strip_prefix("change_pct."))
        .unwrap_or(base);
    let income = base.starts_with("carryover")
        || base == "total"
        || base == "year"
        || SOURCES.contains(&base)
        || base == "general_budget_fiscal";
    let expenditure = base == "total" || EXPENSE_TYPES.contains(&base);
    let three_public = matches!(
        base,
        "total"
            | "overseas"
            | "vehicle"
            | "vehicle_purchase"
            | "vehicle_operation"
            | "reception"
            | "operating_funds"
    );
    match tt {
        TableType::Summary => matches!(
            base,
            "total" | "basic" | "personnel" | "public" | "project" | "reserve"
        ),
        // Performance tables: only their money columns (资金总额, 财政拨款, 其他资金 …).
        TableType::Performance => {
            base == "total" || base == "basic" || base == "project" || SOURCES.contains(&base)
        }
        TableType::Project
        | TableType::OperatingFunds
        | TableType::Other
        | TableType::FiscalExpenditure
        | TableType::FiscalBasic => base == "total",
        TableType::Procurement => matches!(base, "total" | "goods" | "services" | "works"),
        TableType::FiscalSummary => matches!(
            base,
            "total" | "general_budget" | "general_budget_fiscal" | "gov_fund" | "state_capital"
        ),
        TableType::Income | TableType::BasicSummary | TableType::EconSummary => income,
        TableType::Expenditure
        | TableType::GeneralExpenditure
        | TableType::GovFund
        | TableType::StateCapital => expenditure,
        TableType::GeneralBasic => matches!(base, "total" | "personnel" | "public"),
        TableType::ThreePublic => three_public,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(levels: &[&str]) -> Option<String> {
        path_measure(levels, Context::default())
    }

    #[test]
    fn years_given_back_to_keyed_headings() {
        let printed = "项 目 2022 年预算数 项 目 ２０２１年决算数";
        let years = printed_years(printed);
        assert_eq!(years, ["2022", "2021"]);
        let mut it = years.into_iter();
        assert_eq!(with_years("项目", &mut it), "项目");
        assert_eq!(with_years("YYYY年预算数", &mut it), "2022年预算数");
        assert_eq!(with_years("YYYY年决算数", &mut it), "2021年决算数");
        // More placeholders than years: the key stays.
        assert_eq!(with_years("YYYY年", &mut it), "YYYY年");
    }

    #[test]
    fn composition_level_by_level() {
        assert_eq!(m(&["本年收入", "小计"]).as_deref(), Some("year"));
        assert_eq!(
            m(&["上年结转结余", "一般公共预算"]).as_deref(),
            Some("carryover.general_budget")
        );
        assert_eq!(m(&["上年结转结余", "小计"]).as_deref(), Some("carryover"));
        assert_eq!(
            m(&["基本支出", "人员经费", "工资福利支出"]).as_deref(),
            Some("wages")
        );
        assert_eq!(m(&["基本支出", "小计"]).as_deref(), Some("basic"));
        assert_eq!(m(&["本年支出", "小计"]).as_deref(), Some("total"));
        assert_eq!(
            m(&["一般公共预算", "其中：财政拨款"]).as_deref(),
            Some("general_budget_fiscal")
        );
        assert_eq!(m(&["2022 年预算数"]).as_deref(), Some("total"));
        assert_eq!(
            m(&["资金来源", "一般公共预算资金", "小计"]).as_deref(),
            Some("general_budget")
        );
        assert_eq!(m(&["资金来源", "合计"]).as_deref(), Some("total"));
        // Wrapper headers over the value columns.
        assert_eq!(m(&["收入预算", "合计"]).as_deref(), Some("total"));
        assert_eq!(m(&["支出预算", "基本支出"]).as_deref(), Some("basic"));
        assert_eq!(
            m(&["收入预算", "事业单位经营收入"]).as_deref(),
            Some("business_operating_income")
        );
        assert_eq!(
            m(&["本年支出", "预算数", "基本支出", "人员经费"]).as_deref(),
            Some("personnel")
        );
        // A part under its parent; alone it means nothing.
        assert_eq!(
            m(&["“三公”经费预算数", "公务用车购置及运行费", "购置费"]).as_deref(),
            Some("vehicle_purchase")
        );
        assert_eq!(m(&["购置费"]), None);
        assert_eq!(
            m(&["2024年机关运行经费预算数"]).as_deref(),
            Some("operating_funds")
        );
        assert_eq!(m(&["“三公”经费", "小计"]).as_deref(), Some("total"));
        assert_eq!(m(&["会议费"]), None);
        assert_eq!(m(&["专项收入"]), None);
    }

    #[test]
    fn template_variants() {
        // Headings of the standard tables as other provinces and years print them.
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["本年预算数"], Some("total")),
            (&["预算数（万元）"], Some("total")),
            (&["本年一般公共预算基本支出", "合计"], Some("total")),
            (&["本年政府性基金预算支出", "项目支出"], Some("project")),
            (
                &["上年结转", "一般公共预算拨款"],
                Some("carryover.general_budget"),
            ),
            (
                &["上年结转", "财政专户管理资金"],
                Some("carryover.special_account"),
            ),
            (
                &["本年收入", "一般公共预算拨款收入"],
                Some("general_budget"),
            ),
            (&["财政专户管理资金收入"], Some("special_account")),
            (&["事业单位经营收入"], Some("business_operating_income")),
            (&["基本支出", "人员经费"], Some("personnel")),
            (&["项目支出", "特定目标类项目"], Some("project_specific")),
            (&["“三公”经费合计"], Some("total")),
            (&["公务用车购置及运行费", "小计"], Some("vehicle")),
            (
                &["公务用车购置及运行费", "公务用车运行费"],
                Some("vehicle_operation"),
            ),
            (&["上年执行数"], Some("prior.total")),
            (&["增减额"], Some("change")),
            (&["增减%"], Some("change_pct")),
            (&["资金来源", "其他资金"], Some("other_funds")),
            (&["本年收入预算", "合计"], Some("total")),
            (&["当年基本支出"], Some("basic")),
            (&["增减", "%"], Some("change_pct")),
            (&["增减", "金额"], Some("change")),
            (&["年末结转和结余"], None),
        ];
        for (path, want) in cases {
            assert_eq!(m(path).as_deref(), *want, "{path:?}");
        }
    }

    #[test]
    fn prefixes() {
        let fin = Context {
            doc_year: Some(2024),
            budget_actual_prefix: true,
        };
        assert_eq!(
            path_measure(&["合计", "预算数"], fin).as_deref(),
            Some("budget.total")
        );
        assert_eq!(
            path_measure(&["预算数", "公务用车购置及运行维护费", "小计"], fin).as_deref(),
            Some("budget.vehicle")
        );
        assert_eq!(
            path_measure(&["公务接待费", "决算数"], fin).as_deref(),
            Some("actual.reception")
        );
        // A table printing both 年初预算数 and 决算数 columns, each alone.
        assert_eq!(
            path_measure(&["年初预算数"], fin).as_deref(),
            Some("budget.total")
        );
        assert_eq!(
            path_measure(&["决算数"], fin).as_deref(),
            Some("actual.total")
        );
        let b2019 = Context {
            doc_year: Some(2019),
            budget_actual_prefix: false,
        };
        assert_eq!(
            path_measure(&["2018年预算数"], b2019).as_deref(),
            Some("prior.total")
        );
        assert_eq!(
            path_measure(&["2019年预算数"], b2019).as_deref(),
            Some("total")
        );
        assert_eq!(
            path_measure(&["上年预算数"], b2019).as_deref(),
            Some("prior.total")
        );
        assert_eq!(path_measure(&["增减额"], b2019).as_deref(), Some("change"));
        assert_eq!(
            path_measure(&["比上年增减", "%"], b2019).as_deref(),
            Some("change_pct")
        );
        assert_eq!(
            path_measure(&["增长%"], b2019).as_deref(),
            Some("change_pct")
        );
        assert_eq!(path_measure(&["决算数"], b2019).as_deref(), Some("total"));
    }

    #[test]
    fn row_labels() {
        assert_eq!(income_source("一般公共预算资金"), Some("general_budget"));
        assert_eq!(income_source("政府性基金"), Some("gov_fund"));
        assert_eq!(income_source("其他资金"), Some("other_funds"));
        assert_eq!(income_source("财政拨款"), Some("fiscal_appropriation"));
        assert_eq!(
            income_source("其中:财政拨款"),
            Some("general_budget_fiscal")
        );
        assert_eq!(income_source("一般公共服务支出"), None);
        assert_eq!(expense_type("单位预留机动经费"), Some("reserve"));
        assert_eq!(expense_type("项目支出"), Some("project"));
        assert_eq!(expense_type("公共安全支出"), None);
        assert_eq!(income_total("当年收入小计"), Some("year_income"));
        assert_eq!(expenditure_total("结转下年资金"), Some("carryover_out"));
    }

    #[test]
    fn headings_and_tree() {
        assert!(is_label_heading("功能分类科目名称"));
        assert!(is_label_heading("部门预算经济分类科目编码"));
        assert!(!is_label_heading("基本支出"));
        assert!(is_rownum_heading("栏次"));
        assert!(allowed_child("基本支出", "人员经费"));
        assert!(allowed_child("公务用车购置及运行维护费", "公务用车购置费"));
        assert!(!allowed_child("基本支出", "项目支出"));
        assert!(allowed_child("上年结转", "一般公共预算"));
        assert!(allowed_child("公务用车购置及运行维护费", "小计"));
        assert!(!allowed_child("因公出国(境)费", "小计"));
    }

    #[test]
    fn table_types_carry_their_columns() {
        assert!(!carries(TableType::Project, "general_budget"));
        assert!(carries(TableType::Income, "carryover.gov_fund"));
        assert!(carries(TableType::ThreePublic, "actual.reception"));
        assert!(carries(TableType::ThreePublic, "operating_funds"));
        assert!(!carries(TableType::GeneralBasic, "basic"));
        assert!(carries(TableType::Expenditure, "reserve"));
        assert!(carries(TableType::Summary, "personnel"));
        assert!(carries(TableType::Income, "prior.total"));
    }
}
