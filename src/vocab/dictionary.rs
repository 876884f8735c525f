//! The data dictionary (`budgetgrid dictionary`, committed as `docs/dictionary.md`): every
//! table type, subject scheme and measure token, with the Chinese headers that give each
//! token taken from the vocabulary the normaliser reads ([`super::TERMS`]), so that the two
//! cannot drift: a test fails when a token of the vocabulary has no entry here, when an
//! example title no longer classifies as its type, or when the committed file differs
//! from what this module writes.

use super::{Term, TERMS};
use crate::classify::TableType;

/// Measure tokens (the meaning of a value column), with what they mean.
pub const MEASURES: &[(&str, &str)] = &[
    ("total", "the total of the row: 合计 / 总计, or the only amount column (金额, 预算数, 决算数, `2024年预算数`); under a group heading, 小计 / 合计 is the group itself (the words of kind total, below)"),
    ("basic", "基本支出: basic expenditure (staff and running costs)"),
    ("personnel", "人员经费: staff costs (part of basic expenditure)"),
    ("public", "公用经费: running costs (part of basic expenditure)"),
    ("wages", "工资福利支出: wages and benefits (economic class 301 / 501 as a column)"),
    ("household", "对个人和家庭的补助: subsidies to individuals and households (303 / 509 as a column)"),
    ("goods_services", "商品和服务支出: goods and services (302 / 502 as a column)"),
    ("capital", "资本性支出: capital expenditure (310 / 503 as a column)"),
    ("project", "项目支出: project expenditure"),
    ("project_operating", "其他运转类: project expenditure for other running purposes"),
    ("project_specific", "特定目标类: project expenditure for specific objectives"),
    ("reserve", "单位预留机动经费: a unit's reserve for contingencies"),
    ("business_operating", "事业单位经营支出 / 经营支出: spending of public institutions' business operations"),
    ("remit_superior", "上缴上级支出: remittances to the superior unit"),
    ("affiliate_subsidy", "对附属单位补助支出: subsidies to affiliated units"),
    ("year", "本年收入 (its subtotal): this year's income, without carry-over"),
    ("fiscal_appropriation", "财政拨款 / 财政拨款收入 / 政府预算拨款: fiscal appropriations of all budgets together"),
    ("general_budget", "一般公共预算 (拨款 / 资金 / 财政拨款): the general public budget"),
    ("general_budget_fiscal", "其中：财政拨款 under 一般公共预算, 公共财政拨款（补助）资金: the appropriated part of the general public budget"),
    ("gov_fund", "政府性基金 (预算 / 拨款 / 资金): government funds"),
    ("state_capital", "国有资本经营预算: state capital operations budget"),
    ("special_account", "财政专户管理资金 (收入): funds managed in special fiscal accounts (education fees)"),
    ("unit_funds", "单位资金: the unit's own funds"),
    ("other_funds", "其他资金: other funds (performance and project tables)"),
    ("business_income", "事业收入: income of public institutions from their services"),
    ("business_operating_income", "事业单位经营收入 / 经营收入: income from public institutions' business operations"),
    ("superior_subsidy", "上级补助收入: subsidies from the superior unit"),
    ("affiliate_remit", "附属单位上缴收入: remittances from affiliated units"),
    ("other_income", "其他收入: other income"),
    ("carryover", "上年结转结余 (its subtotal): carry-over from the previous year; its parts are `carryover.<source>`"),
    ("overseas", "因公出国（境）费: official travel abroad (三公经费)"),
    ("vehicle", "公务用车购置及运行（维护）费: official vehicles, purchase and operation (三公经费)"),
    ("vehicle_purchase", "公务用车购置费: purchase of official vehicles (三公经费)"),
    ("vehicle_operation", "公务用车运行（维护）费: operation of official vehicles (三公经费)"),
    ("reception", "公务接待费: official receptions (三公经费)"),
    ("operating_funds", "机关运行经费: running costs of administrative bodies"),
    ("goods", "货物: procurement of goods"),
    ("services", "服务: procurement of services"),
    ("works", "工程: procurement of works"),
    ("change", "增减 / 增减额: change against the previous year"),
    ("change_pct", "增减率 / 增长%: change against the previous year, in per cent"),
];

/// Prefixes a measure token can carry.
pub const PREFIXES: &[(&str, &str)] = &[
    ("budget.", "预算数, in a table that prints budget and actual side by side (final accounts, 三公 tables)"),
    ("actual.", "决算数, in a table that prints budget and actual side by side"),
    ("prior.", "a previous year's column (上年预算数, 上年决算数, `2023年预算数` in a 2024 document)"),
    ("carryover.", "a source under 上年结转结余 (`carryover.general_budget`)"),
    ("change.", "in tables printed as rows of measures: the change of that measure"),
];

/// Subject schemes (what a row's `subject_code` is).
pub const SCHEMES: &[(&str, &str)] = &[
    ("functional", "支出功能分类: functional classification, 3, 5 or 7 digits (类 201, 款 20103, 项 2010301); split 类/款/项 columns are joined"),
    ("econ_dept", "部门预算支出经济分类: departmental economic classification, 3 or 5 digits (301, 30101); `econ_gov_code` holds the government code when the row prints both"),
    ("econ_gov", "政府预算支出经济分类: government economic classification, 3 or 5 digits (501, 50101)"),
    ("income_source", "a line of a summary table naming an income source; code = its measure token (`general_budget`), `carryover_in.<source>` inside the carry-over block"),
    ("expense_type", "a summary line naming a kind of spending (基本支出 → `basic`, 项目支出 → `project`)"),
    ("total", "a total row: `total` (合计), `year_income` / `year_expenditure` (本年收入 / 支出合计), `carryover_in` (上年结转结余), `carryover_out` (年终结转结余), `income_grand_total` / `expenditure_grand_total` (收入 / 支出总计), `nonfiscal_surplus_used`, `surplus_distribution`"),
    ("unit", "an agency row (部门 / 单位): code as printed (`605001`), empty when none is printed"),
    ("project", "a project, procurement item or performance row: code = its name as printed"),
    ("period", "a row that is a year (`2024`) or a change (`change`)"),
];

/// Table types: example titles (each classifies as the type, see the tests) and meaning.
pub const TABLE_TYPES: &[(TableType, &[&str], &str)] = &[
    (
        TableType::Summary,
        &[
            "部门收支总表",
            "收支总表",
            "部门收支预算表",
            "收入支出决算总表",
        ],
        "income and expenditure side by side: sources on the left, functions on the right",
    ),
    (
        TableType::Income,
        &["部门收入总表", "部门收入预算表", "收入决算表"],
        "income by source, per function or agency",
    ),
    (
        TableType::Expenditure,
        &["部门支出总表", "部门支出预算表", "支出决算表"],
        "expenditure by function, basic and project",
    ),
    (
        TableType::FiscalSummary,
        &[
            "财政拨款收支总表",
            "财政拨款收支预算表",
            "财政拨款收入支出决算总表",
        ],
        "fiscal appropriations in and out, side by side",
    ),
    (
        TableType::FiscalExpenditure,
        &["财政拨款支出表", "财政拨款支出预算表"],
        "fiscal appropriation expenditure by function",
    ),
    (
        TableType::FiscalBasic,
        &["财政拨款基本支出表"],
        "fiscal appropriation basic expenditure by economic class",
    ),
    (
        TableType::GeneralExpenditure,
        &[
            "一般公共预算支出表",
            "一般公共预算支出预算表",
            "一般公共预算财政拨款支出决算表",
        ],
        "general public budget expenditure by function",
    ),
    (
        TableType::GeneralBasic,
        &[
            "一般公共预算基本支出表",
            "一般公共预算财政拨款基本支出决算表",
        ],
        "general public budget basic expenditure by economic class",
    ),
    (
        TableType::BasicSummary,
        &["基本支出总表"],
        "basic expenditure by economic class and source",
    ),
    (
        TableType::EconSummary,
        &["支出经济分类汇总表"],
        "expenditure by economic class (departmental and government codes) and source",
    ),
    (
        TableType::ThreePublic,
        &[
            "一般公共预算“三公”经费支出表",
            "财政拨款“三公”经费支出决算表",
        ],
        "三公经费: travel abroad, official vehicles, receptions",
    ),
    (
        TableType::GovFund,
        &[
            "政府性基金预算支出表",
            "政府性基金预算财政拨款收入支出决算表",
        ],
        "government fund expenditure by function",
    ),
    (
        TableType::StateCapital,
        &[
            "国有资本经营预算支出表",
            "国有资本经营预算财政拨款支出决算表",
        ],
        "state capital operations expenditure by function",
    ),
    (
        TableType::Project,
        &["项目支出表", "项目支出预算表"],
        "projects and their amounts",
    ),
    (
        TableType::Procurement,
        &["政府采购预算表"],
        "government procurement: goods, services, works",
    ),
    (
        TableType::OperatingFunds,
        &["行政（事业）单位机构运转经费预算表"],
        "running costs of administrative bodies by economic class",
    ),
    (
        TableType::Performance,
        &["部门（单位）整体绩效目标表", "项目支出绩效目标表"],
        "performance targets; only their money cells are records",
    ),
    (
        TableType::Other,
        &[],
        "any other table: its numbers are records with `measure: null` where no header token fits",
    ),
];

/// The Chinese header words (vocabulary keys) that give a measure or part token.
fn headers_of(token: &str) -> Vec<&'static str> {
    TERMS
        .iter()
        .filter(|(_, t)| matches!(t, Term::Measure(m) | Term::Part(m) if *m == token))
        .map(|(k, _)| *k)
        .collect()
}

/// The words of the other kinds of header term.
fn words_where(f: impl Fn(&Term) -> bool) -> String {
    let w: Vec<&str> = TERMS
        .iter()
        .filter(|(_, t)| f(t))
        .map(|(k, _)| *k)
        .collect();
    w.join(", ")
}

/// A kind of non-measure header term: its name, meaning and which terms are of it.
type KindRow = (&'static str, &'static str, fn(&Term) -> bool);

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The dictionary as Markdown.
pub fn markdown() -> String {
    let mut s = String::new();
    s.push_str("# budgetgrid data dictionary\n\n");
    s.push_str(
        "Written by `budgetgrid dictionary` from the vocabulary the normaliser reads \
         (`src/vocab/`); `tests` check that this file is what the code writes. Header words \
         are shown as the vocabulary keys them: NFKC, no whitespace, quotes removed, `：` as \
         `:`, a year as `YYYY`.\n\n",
    );
    s.push_str(
        "## Table types (`table_type`)\n\n| token | titles (examples) | meaning |\n|---|---|---|\n",
    );
    for (t, titles, meaning) in TABLE_TYPES {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            t.as_str(),
            cell(&titles.join(", ")),
            cell(meaning)
        ));
    }
    s.push_str("\n## Subject schemes (`subject_scheme`)\n\n| token | meaning |\n|---|---|\n");
    for (k, meaning) in SCHEMES {
        s.push_str(&format!("| `{k}` | {} |\n", cell(meaning)));
    }
    s.push_str(
        "\n## Measures (`measure`)\n\nA column's header path is read level by level; the \
         token of the most specific level that names one is the measure (`基本支出 / 小计` → \
         `basic`). A column whose header fits no token gives records with `measure: null` \
         and the flag `unmapped_column`.\n\n| token | meaning | header words |\n|---|---|---|\n",
    );
    for (k, meaning) in MEASURES {
        s.push_str(&format!(
            "| `{k}` | {} | {} |\n",
            cell(meaning),
            cell(&headers_of(k).join(", "))
        ));
    }
    s.push_str("\n### Prefixes\n\n| prefix | meaning |\n|---|---|\n");
    for (k, meaning) in PREFIXES {
        s.push_str(&format!("| `{k}` | {} |\n", cell(meaning)));
    }
    let parts: Vec<&str> = {
        let mut p: Vec<&str> = TERMS
            .iter()
            .filter_map(|(_, t)| match t {
                Term::Part(m) => Some(*m),
                _ => None,
            })
            .collect();
        p.sort_unstable();
        p.dedup();
        p
    };
    s.push_str("\n### Parts (a word that completes its parent's token)\n\n| part | header words |\n|---|---|\n");
    for p in parts {
        s.push_str(&format!(
            "| `{p}` | {} |\n",
            cell(&headers_of(p).join(", "))
        ));
    }
    s.push_str(
        "\n### Header words that are not measures\n\n| kind | meaning | words |\n|---|---|---|\n",
    );
    let kinds: [KindRow; 8] = [
        ("total", "the total of its group (`total` at the top level)", |t| matches!(t, Term::Total)),
        ("wrapper", "names the block over its children only; dropped", |t| matches!(t, Term::Wrapper)),
        ("block", "a wrapper over columns, the total when it heads a column alone", |t| matches!(t, Term::Block)),
        ("kind", "预算数 / 决算数: the `budget.` / `actual.` prefix where both are printed, else a total", |t| matches!(t, Term::Kind(_))),
        ("prior", "a previous year: the `prior.` prefix", |t| matches!(t, Term::Prior)),
        ("label", "a label column (names, codes): no records", |t| matches!(t, Term::Label)),
        ("row number", "行次 / 栏次: no records", |t| matches!(t, Term::RowNum)),
        ("known", "known words that name no measure (kept as printed in `header`)", |t| matches!(t, Term::Known)),
    ];
    for (name, meaning, f) in kinds {
        s.push_str(&format!(
            "| {name} | {} | {} |\n",
            cell(meaning),
            cell(&words_where(f))
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::classify_title;

    #[test]
    fn every_token_of_the_vocabulary_has_a_meaning() {
        for (k, t) in TERMS {
            if let Term::Measure(m) = t {
                assert!(
                    MEASURES.iter().any(|(tok, _)| tok == m),
                    "{m} (from {k}) has no entry in MEASURES"
                );
            }
        }
    }

    #[test]
    fn example_titles_classify_as_their_type() {
        for (t, titles, _) in TABLE_TYPES {
            for title in *titles {
                assert_eq!(classify_title(title), Some(*t), "{title}");
            }
        }
    }

    #[test]
    fn the_committed_dictionary_is_what_the_code_writes() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/dictionary.md");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == markdown(),
            "docs/dictionary.md is out of date: run `budgetgrid dictionary > docs/dictionary.md`"
        );
    }
}
