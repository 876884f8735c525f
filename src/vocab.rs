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

/// Every term, keyed as [`level_key`] makes them (NFKC, no whitespace, quotes removed,
/// `：` → `:`, a year as `YYYY`).
pub const TERMS: &[(&str, Term)] = &[
    // Totals: the parent, or the total.
    ("合计", Total),
    ("总计", Total),
    ("小计", Total),
    ("金额", Total),
    ("金额合计", Total),
    ("总额", Total),
    ("本年支出合计", Total),
    ("本年收入合计", Total),
    ("收入总计", Total),
    ("支出总计", Total),
    ("收入合计", Total),
    ("支出合计", Total),
    ("本年预算数", Total),
    ("本年预算", Block),
    ("本年数", Total),
    ("全年预算数", Total),
    ("年度预算数", Total),
    ("预算金额", Total),
    ("项目金额", Total),
    ("资金总额", Total),
    ("预算总额", Total),
    ("部门预算总额", Total),
    ("项目预算总额", Total),
    ("年度资金总额", Total),
    ("预算安排", Total),
    ("采购金额", Total),
    ("采购预算", Total),
    // The 三公 block: its total, more specific than a 合计 that also counts 会议费.
    ("三公经费合计", Measure("total")),
    ("三公经费", Measure("total")),
    ("YYYY年预算数", Total),
    ("YYYY年预算", Block),
    ("执行数", Total),
    // Budget / actual: prefixes where a table prints both, else totals.
    ("预算数", Kind("budget")),
    ("年初预算数", Kind("budget")),
    ("调整预算数", Kind("budget")),
    ("决算数", Kind("actual")),
    ("实际支出数", Kind("actual")),
    // The previous year.
    ("上年预算数", Prior),
    ("上年决算数", Prior),
    ("上年执行数", Prior),
    ("上年预算", Prior),
    ("上年数", Prior),
    ("上年预算执行数", Prior),
    // Changes against the previous year.
    ("增减", Measure("change")),
    ("增减额", Measure("change")),
    ("增减变化", Measure("change")),
    ("增减变化金额", Measure("change")),
    ("比上年增减", Measure("change")),
    ("比上年增减额", Measure("change")),
    ("增(减)额", Measure("change")),
    ("增减率", Measure("change_pct")),
    ("增长率", Measure("change_pct")),
    ("增减幅度", Measure("change_pct")),
    ("增长%", Measure("change_pct")),
    ("增减%", Measure("change_pct")),
    ("增长(%)", Measure("change_pct")),
    ("增减(%)", Measure("change_pct")),
    ("比上年增长%", Measure("change_pct")),
    ("比上年增减%", Measure("change_pct")),
    ("%", Part("pct")),
    ("幅度", Part("pct")),
    // Expenditure kinds.
    ("基本支出", Measure("basic")),
    ("人员经费", Measure("personnel")),
    ("人员支出", Measure("personnel")),
    ("人员经费支出", Measure("personnel")),
    ("公用经费", Measure("public")),
    ("日常公用经费", Measure("public")),
    ("公用支出", Measure("public")),
    ("公用经费支出", Measure("public")),
    ("工资福利支出", Measure("wages")),
    ("对个人和家庭的补助", Measure("household")),
    ("对个人和家庭的补助支出", Measure("household")),
    ("商品和服务支出", Measure("goods_services")),
    ("资本性支出", Measure("capital")),
    ("项目支出", Measure("project")),
    ("其他运转类", Measure("project_operating")),
    ("其他运转类项目", Measure("project_operating")),
    ("特定目标类", Measure("project_specific")),
    ("特定目标类项目", Measure("project_specific")),
    ("事业单位经营支出", Measure("business_operating")),
    ("经营支出", Measure("business_operating")),
    ("上缴上级支出", Measure("remit_superior")),
    ("对附属单位补助支出", Measure("affiliate_subsidy")),
    ("单位预留机动经费", Measure("reserve")),
    ("预留机动经费", Measure("reserve")),
    ("机动经费", Measure("reserve")),
    // Income sources.
    ("本年收入", Measure("year")),
    ("财政拨款收入", Measure("fiscal_appropriation")),
    ("政府预算拨款", Measure("fiscal_appropriation")),
    ("财政拨款", Measure("fiscal_appropriation")),
    ("财政拨款资金", Measure("fiscal_appropriation")),
    ("政府预算资金", Measure("fiscal_appropriation")),
    ("其中:财政拨款", Measure("general_budget_fiscal")),
    ("其中:财政拨款收入", Measure("general_budget_fiscal")),
    ("公共财政拨款(补助)资金", Measure("general_budget_fiscal")),
    ("公共财政拨款资金", Measure("general_budget_fiscal")),
    ("公共财政拨款", Measure("general_budget_fiscal")),
    ("一般公共预算", Measure("general_budget")),
    ("一般公共预算拨款", Measure("general_budget")),
    ("一般公共预算拨款收入", Measure("general_budget")),
    ("一般公共预算财政拨款", Measure("general_budget")),
    ("一般公共预算财政拨款收入", Measure("general_budget")),
    ("一般公共预算收入", Measure("general_budget")),
    ("一般公共预算资金", Measure("general_budget")),
    ("一般公共预算拨款资金", Measure("general_budget")),
    ("政府性基金", Measure("gov_fund")),
    ("政府性基金预算", Measure("gov_fund")),
    ("政府性基金预算拨款", Measure("gov_fund")),
    ("政府性基金预算财政拨款", Measure("gov_fund")),
    ("政府性基金拨款", Measure("gov_fund")),
    ("政府性基金预算拨款收入", Measure("gov_fund")),
    ("政府性基金预算财政拨款收入", Measure("gov_fund")),
    ("政府性基金收入", Measure("gov_fund")),
    ("政府性基金预算收入", Measure("gov_fund")),
    ("政府性基金资金", Measure("gov_fund")),
    ("政府性基金预算资金", Measure("gov_fund")),
    ("国有资本经营预算", Measure("state_capital")),
    ("国有资本经营预算拨款", Measure("state_capital")),
    ("国有资本经营预算财政拨款", Measure("state_capital")),
    ("国有资本经营预算拨款收入", Measure("state_capital")),
    ("国有资本经营预算财政拨款收入", Measure("state_capital")),
    ("国有资本经营预算收入", Measure("state_capital")),
    ("国有资本经营预算资金", Measure("state_capital")),
    ("财政专户管理资金", Measure("special_account")),
    ("财政专户管理资金收入", Measure("special_account")),
    ("单位资金", Measure("unit_funds")),
    ("其他资金", Measure("other_funds")),
    ("事业收入", Measure("business_income")),
    ("事业收入资金", Measure("business_income")),
    ("事业单位经营收入", Measure("business_operating_income")),
    ("经营收入", Measure("business_operating_income")),
    ("上级补助收入", Measure("superior_subsidy")),
    ("附属单位上缴收入", Measure("affiliate_remit")),
    ("其他收入", Measure("other_income")),
    ("其他", Measure("other_income")),
    ("上年结转结余", Measure("carryover")),
    ("上年结余、结转", Measure("carryover")),
    ("上年结余,结转", Measure("carryover")),
    ("财政拨款结转结余", Measure("carryover")),
    ("上年结转", Measure("carryover")),
    ("上年结余", Measure("carryover")),
    ("上年结转和结余", Measure("carryover")),
    ("上年结转和结余资金", Measure("carryover")),
    ("上年结转资金", Measure("carryover")),
    ("年初结转和结余", Measure("carryover")),
    // Three-public columns.
    ("因公出国(境)费", Measure("overseas")),
    ("因公出国(境)费用", Measure("overseas")),
    ("因公出国境费", Measure("overseas")),
    ("因公出国(境)经费", Measure("overseas")),
    ("公务用车购置及运行维护费", Measure("vehicle")),
    ("公务用车购置及运行费", Measure("vehicle")),
    ("公务用车购置和运行维护费", Measure("vehicle")),
    ("公务用车购置和运行费", Measure("vehicle")),
    ("公务用车费", Measure("vehicle")),
    ("公务用车购置费", Measure("vehicle_purchase")),
    ("公务用车购置", Measure("vehicle_purchase")),
    ("公务用车运行维护费", Measure("vehicle_operation")),
    ("公务用车运行费", Measure("vehicle_operation")),
    ("公务用车运行维护", Measure("vehicle_operation")),
    ("购置费", Part("purchase")),
    ("运行费", Part("operation")),
    ("运行维护费", Part("operation")),
    ("公务接待费", Measure("reception")),
    ("机关运行经费", Measure("operating_funds")),
    ("机关运行经费支出", Measure("operating_funds")),
    // Procurement categories.
    ("货物", Measure("goods")),
    ("货物类", Measure("goods")),
    ("服务", Measure("services")),
    ("服务类", Measure("services")),
    ("工程", Measure("works")),
    ("工程类", Measure("works")),
    // Wrappers: they name the block.
    ("收入预算", Wrapper),
    ("支出预算", Wrapper),
    ("本年支出", Wrapper),
    ("资金来源", Wrapper),
    ("收入", Wrapper),
    ("支出", Wrapper),
    ("本年拨款", Wrapper),
    ("本年", Wrapper),
    ("本年支出数", Wrapper),
    ("本年一般公共预算基本支出", Wrapper),
    ("本年政府性基金预算支出", Wrapper),
    ("本年国有资本经营预算支出", Wrapper),
    ("一般公共预算支出", Wrapper),
    ("一般公共预算基本支出", Wrapper),
    ("政府性基金预算支出", Wrapper),
    ("国有资本经营预算支出", Wrapper),
    ("财政拨款支出", Wrapper),
    ("功能分类", Wrapper),
    ("支出用途", Wrapper),
    ("经济分类", Wrapper),
    ("金额单位:万元", Wrapper),
    ("单位:万元", Wrapper),
    ("单位:元", Wrapper),
    // Row-number columns.
    ("行次", RowNum),
    ("栏次", RowNum),
    ("序号", RowNum),
    // Row-label headings.
    ("项目", Label),
    ("科目编码", Label),
    ("科目代码", Label),
    ("科目名称", Label),
    ("类", Label),
    ("款", Label),
    ("项", Label),
    ("单位代码", Label),
    ("单位名称", Label),
    ("部门(单位)代码", Label),
    ("部门(单位)名称", Label),
    ("部门代码", Label),
    ("部门名称", Label),
    ("预算单位", Label),
    ("支出项目类别", Label),
    ("年度", Label),
    ("项目名称", Label),
    ("项目单位", Label),
    ("类型", Label),
    ("单位(科目名称)", Label),
    ("功能分类科目", Label),
    ("项目类别", Label),
    ("单位编码", Label),
    ("单位编码(项目编码)", Label),
    ("项目单位(项目名称)", Label),
    ("项目分类", Label),
    ("科目", Label),
    ("功能科目", Label),
    ("部门预算支出经济分类科目", Label),
    ("政府预算支出经济分类科目", Label),
    ("编码", Label),
    ("名称", Label),
    ("单位代码(科目编码)", Label),
    ("单位名称(科目名称)", Label),
    ("支出功能分类科目", Label),
    ("经济分类科目", Label),
    ("科目名称(类/款/项)", Label),
    ("政府预算支出经济分类科目编码", Label),
    ("部门预算经济分类", Label),
    ("政府预算经济分类", Label),
    ("单位名称/项目名称", Label),
    ("项目名称/单位名称", Label),
    ("采购项目", Label),
    ("政府采购品目", Label),
    ("部门支出经济分类", Label),
    ("资金性质", Label),
    ("计量单位", Label),
    ("单位", Label),
    ("采购品目大类", Label),
    ("采购物品名称", Label),
    ("采购组织形式", Label),
    ("专项名称", Label),
    ("经济科目", Label),
    // Headings of the seeds that no token fits.
    ("基本支出拨款", Known),
    ("履职类项目拨款", Known),
    ("财政专项资金拨款", Known),
    ("政府投资项目拨款", Known),
    ("YYYY年政府采购项目", Known),
    ("其中:面向中小企业政府采购项目", Known),
    ("其中:面向小型、微型企业政府采购项目", Known),
    ("会议费", Known),
    ("培训费", Known),
];

/// Words that may close a level after its term (`机关运行经费预算数`, `其他资金`), read as
/// their own atom.
const TRAILERS: &[&str] = &["预算数", "决算数", "预算", "决算", "金额", "数"];

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

fn year_to_placeholder(k: &str) -> String {
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

// ---------------------------------------------------------------------------------------
// Row labels of two-sided summaries: totals of each side.

/// Totals of the income side of a two-sided table.
pub fn income_total(k: &str) -> Option<&'static str> {
    Some(match k {
        "本年收入合计" | "本年收入" | "收入本年合计" | "当年收入小计" | "当年收入合计" => {
            "year_income"
        }
        "上年结转结余"
        | "上年结转"
        | "年初结转和结余"
        | "上年结余、结转"
        | "上年结余"
        | "年初财政拨款结转和结余"
        | "上年结转和结余"
        | "上年结余结转"
        | "年初结转结余"
        | "上年结转资金"
        | "上年结转和结余资金"
        | "上年结转(结余)"
        | "上年结转结余资金"
        | "上年财政拨款结转"
        | "上年财政拨款结转和结余" => "carryover_in",
        "收入总计" | "总计" => "income_grand_total",
        "使用非财政拨款结余和专用结余"
        | "使用非财政拨款结余"
        | "使用非财政拨款结余(含专用结余)"
        | "用事业基金弥补收支差额"
        | "使用专用结余" => "nonfiscal_surplus_used",
        _ => return None,
    })
}

/// Totals of the expenditure side of a two-sided table.
pub fn expenditure_total(k: &str) -> Option<&'static str> {
    Some(match k {
        "本年支出合计" | "本年支出" | "当年支出小计" | "当年支出合计" => {
            "year_expenditure"
        }
        "年终结转结余"
        | "年末结转和结余"
        | "结转下年"
        | "年末财政拨款结转和结余"
        | "年终结转"
        | "年末结转结余"
        | "年终结余"
        | "结转下年资金"
        | "结转下年支出"
        | "年末结转"
        | "年末结余" => "carryover_out",
        "支出总计" | "总计" => "expenditure_grand_total",
        "结余分配" => "surplus_distribution",
        _ => return None,
    })
}

/// The income source a summary line names (`一般公共预算拨款收入` → general_budget).
pub fn income_source(k: &str) -> Option<&'static str> {
    match atoms(k, None)?.as_slice() {
        [Measure(t)] | [Measure(t), Total] | [Measure(t), Kind(_)]
            if SOURCES.contains(t) || *t == "general_budget_fiscal" =>
        {
            Some(t)
        }
        _ => None,
    }
}

/// The kind of spending a summary line names (`一、基本支出` → basic).
pub fn expense_type(k: &str) -> Option<&'static str> {
    match atoms(k, None)?.as_slice() {
        [Measure(t)] if EXPENSE_TYPES.contains(t) => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(levels: &[&str]) -> Option<String> {
        path_measure(levels, Context::default())
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
