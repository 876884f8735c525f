//! Real disclosures of other provinces' templates (`samples/real`, gold in
//! `tests/fixtures/gold_real`): Jiangsu provincial departments 2018–2019 and Shanghai
//! Putuo 2024–2026. Every value asserted here is taken from the gold.

mod common;

use budgetgrid::model::{Document, Record};
use budgetgrid::{process_file, Options};
use common::{one, root, sample, score_against};

fn doc(name: &str) -> Document {
    process_file(&sample("real", name), &Options::default()).unwrap()
}

fn amount(r: &Record) -> &str {
    &r.amount
}

/// The one record of a table type with this scheme, code and measure.
fn find<'a>(
    d: &'a Document,
    table: &str,
    scheme: &str,
    code: &str,
    measure: Option<&str>,
) -> &'a Record {
    let hits: Vec<&Record> = d
        .records
        .iter()
        .filter(|r| {
            r.table_type.as_str() == table
                && r.subject_scheme == scheme
                && r.subject_code.as_deref() == Some(code)
                && r.measure.as_deref() == measure
        })
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{table} {scheme} {code} {measure:?}: {hits:?}"
    );
    hits[0]
}

#[test]
fn six_documents_score_against_their_gold() {
    let mut all = Vec::new();
    let mut docs = Vec::new();
    for f in std::fs::read_dir(root().join("tests/fixtures/gold_real")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let d = process_file(
                &root().join("samples/real").join(format!("{stem}.pdf")),
                &Options::default(),
            )
            .unwrap();
            docs.push(d.doc_id.clone());
            for r in d.records {
                all.push(serde_json::to_value(r).unwrap());
            }
        }
    }
    assert_eq!(docs.len(), 6);
    let s = score_against(&all, Some(&docs), "tests/fixtures/gold_real");
    assert_eq!(s.meta.0, s.meta.1, "metadata");
    assert!(s.f1() >= 0.97, "F1 {}", s.f1());
    assert!(s.coverage() >= 0.995, "coverage {}", s.coverage());
    for t in s.by_type.keys() {
        assert!(s.type_f1(t) >= 0.9, "{t}: F1 {}", s.type_f1(t));
    }
}

#[test]
fn jiangsu_2019_template() {
    let d = doc("js_gy_2019");
    assert_eq!(d.department.as_deref(), Some("江苏省高级人民法院"));
    // 收支预算总表: three panels (收入 | 支出 by function | 支出 by kind); kinds of spending
    // are expense_type lines, a label in one panel with its amount in the next is one line.
    assert_eq!(
        amount(find(
            &d,
            "summary",
            "expense_type",
            "reserve",
            Some("total")
        )),
        "5011.40"
    );
    assert_eq!(
        amount(find(&d, "summary", "functional", "204", Some("total"))),
        "27488.23"
    );
    assert_eq!(
        amount(find(
            &d,
            "summary",
            "total",
            "year_expenditure",
            Some("total")
        )),
        "37188.34"
    );
    // 收入预算总表 printed as rows: the label composes the measure.
    assert_eq!(
        amount(one(&d.records, "income", "total", "general_budget_fiscal")),
        "37188.34"
    );
    assert_eq!(
        amount(one(&d.records, "expenditure", "total", "reserve")),
        "5011.40"
    );
    // 财政拨款支出表 is its own type (not counted again as expenditure); 20405 法院 is a
    // functional subject, not an agency.
    assert_eq!(
        amount(one(&d.records, "fiscal_expenditure", "20405", "total")),
        "27488.23"
    );
    assert_eq!(
        amount(one(&d.records, "fiscal_basic", "30217", "total")),
        "41.95"
    );
    // The only value column (基本支出, 机关运行经费支出) is the total.
    assert_eq!(
        amount(one(&d.records, "general_basic", "30231", "total")),
        "266.80"
    );
    assert_eq!(
        amount(one(&d.records, "operating_funds", "30239", "total")),
        "613.25"
    );
    // 三公 with 会议费 / 培训费: the 三公 subtotal is total; the grand 合计, 会议费 and 培训费
    // are records without a measure.
    assert_eq!(
        amount(one(&d.records, "three_public", "total", "total")),
        "513.75"
    );
    assert_eq!(
        amount(one(&d.records, "three_public", "total", "overseas")),
        "160.00"
    );
    let unmapped: Vec<&str> = d
        .records
        .iter()
        .filter(|r| r.table_type.as_str() == "three_public" && r.measure.is_none())
        .map(|r| r.amount.as_str())
        .collect();
    assert_eq!(unmapped, ["2382.02", "271.02", "1597.25"]);
    // 政府采购: category lines are measures, items are nested projects.
    assert_eq!(
        amount(one(&d.records, "procurement", "total", "goods")),
        "1637.72"
    );
    assert_eq!(
        amount(one(&d.records, "procurement", "total", "works")),
        "530.00"
    );
    let item = d
        .records
        .iter()
        .find(|r| {
            r.subject_code.as_deref()
                == Some("三、服务C/物业管理费/物业管理费/物业管理服务/部门集中采购")
        })
        .unwrap();
    assert_eq!(
        (item.amount.as_str(), item.measure.as_deref()),
        ("430.00", None)
    );
    assert!(item.flags.contains(&"nested_row".to_string()));
    // 政府性基金 table printing a bare 0 under 合计.
    assert_eq!(amount(one(&d.records, "gov_fund", "total", "total")), "0");
}

#[test]
fn jiangsu_2018_template() {
    let d = doc("js_swbgt_2018");
    assert_eq!(d.department.as_deref(), Some("中共江苏省委办公厅"));
    // `24,458.43一、一般公共服务支出` was one text run over a cell border.
    assert_eq!(
        amount(find(
            &d,
            "summary",
            "income_source",
            "fiscal_appropriation",
            Some("total")
        )),
        "24458.43"
    );
    assert_eq!(
        amount(find(&d, "summary", "functional", "201", Some("total"))),
        "20153.75"
    );
    assert_eq!(
        amount(find(&d, "summary", "expense_type", "basic", Some("total"))),
        "10403.11"
    );
    assert_eq!(
        amount(find(
            &d,
            "fiscal_summary",
            "expense_type",
            "reserve",
            Some("total")
        )),
        "1973.86"
    );
}

#[test]
fn shanghai_final_account_template() {
    let d = doc("sh_putuo_czj_2024");
    assert_eq!(d.department.as_deref(), Some("上海市普陀区财政局"));
    assert_eq!(d.doc_kind, Some(budgetgrid::model::DocKind::FinalAccount));
    // The 三公 table's wrapped title and budget. / actual. prefixes.
    let t = one(&d.records, "three_public", "total", "budget.reception");
    assert_eq!(t.amount, "0.95");
    assert_eq!(
        t.table_title.as_deref(),
        Some("财政拨款“三公”经费支出决算表")
    );
    // Rows at a page break stay apart: 本年收入合计 and 使用非财政拨款结余 are two rows.
    assert_eq!(
        amount(find(&d, "summary", "total", "year_income", Some("total"))),
        "2946.25"
    );
    assert_eq!(
        amount(find(
            &d,
            "fiscal_summary",
            "functional",
            "221",
            Some("general_budget")
        )),
        "445.69"
    );
    // The document's own 0.01 differences are rounding, never mismatch.
    assert!(
        d.findings.iter().all(|f| f.class != "mismatch"),
        "{:?}",
        d.findings
    );
    assert!(d.findings.iter().any(|f| f.check == "total_row"
        && f.class == "rounding"
        && f.printed.as_deref() == Some("2940.05")));
    assert!(d
        .findings
        .iter()
        .any(|f| f.check == "cross_table" && f.subject_code.as_deref() == Some("208")));
}

#[test]
fn shanghai_budget_templates() {
    let d = doc("sh_putuo_sfj_2026");
    // 收入预算 / 支出预算 wrapper headers.
    assert_eq!(
        amount(one(&d.records, "income", "2040601", "fiscal_appropriation")),
        "16726725.44"
    );
    assert_eq!(
        amount(one(&d.records, "income", "204", "business_income")),
        "0.00"
    );
    assert_eq!(
        amount(one(&d.records, "expenditure", "20406", "project")),
        "70540547.00"
    );
    // The last row of page 15 is not merged with page 16's repeated header.
    assert_eq!(
        amount(one(&d.records, "general_expenditure", "2080599", "total")),
        "6440.00"
    );
    assert!(d
        .records
        .iter()
        .all(|r| r.subject_code.as_deref() != Some("207")));
    // The expenditure side of 财政拨款收支总表 by funding column.
    assert_eq!(
        amount(find(
            &d,
            "fiscal_summary",
            "functional",
            "204",
            Some("general_budget")
        )),
        "87267272.44"
    );
    assert_eq!(
        amount(one(&d.records, "general_basic", "30228", "public")),
        "265974.44"
    );
    // “三公”经费和机关运行经费预算表: parts under their parent, 机关运行经费 a column.
    assert_eq!(
        amount(one(&d.records, "three_public", "total", "vehicle_purchase")),
        "0"
    );
    assert_eq!(
        amount(one(&d.records, "three_public", "total", "operating_funds")),
        "217.83"
    );
    // Empty 政府性基金 / 国有资本 tables are listed, with no records.
    assert!(d
        .tables
        .iter()
        .any(|t| t.table_type.as_str() == "gov_fund" && t.record_count == 0));

    let d = doc("sh_putuo_wanli_2024");
    // 款 printed as a spreadsheet number (`2` for `02`): repaired and flagged.
    let r = one(&d.records, "general_basic", "30102", "personnel");
    assert_eq!(r.amount, "16623810");
    assert!(
        r.flags.contains(&"code_repaired".to_string()),
        "{:?}",
        r.flags
    );
    assert_eq!(
        amount(one(&d.records, "general_basic", "30107", "total")),
        "11447100"
    );

    let d = doc("sh_putuo_zfb_unit_2025");
    // The summary's expenditure side with 基本支出 / 人员经费 columns under 预算数.
    assert_eq!(
        amount(find(&d, "summary", "functional", "201", Some("personnel"))),
        "13819399.88"
    );
    assert_eq!(
        amount(one(&d.records, "expenditure", "201", "basic")),
        "15686797.42"
    );
    assert_eq!(
        amount(one(&d.records, "three_public", "total", "reception")),
        "28.50"
    );
}

#[test]
fn check_finds_no_mismatch_on_the_six() {
    for name in [
        "js_gy_2019",
        "js_swbgt_2018",
        "sh_putuo_czj_2024",
        "sh_putuo_sfj_2026",
        "sh_putuo_wanli_2024",
        "sh_putuo_zfb_unit_2025",
    ] {
        let d = doc(name);
        let m: Vec<_> = d
            .findings
            .iter()
            .filter(|f| f.class == "mismatch")
            .collect();
        assert!(m.is_empty(), "{name}: {m:?}");
    }
}

#[test]
fn blank_template_and_narrative_only() {
    let d = doc("sh_template_final");
    assert_eq!(d.tables.len(), 10);
    assert!(d.records.is_empty());
    // Its empty tables still read their headings: the 三公 columns by budget / actual.
    let tp = d
        .tables
        .iter()
        .find(|t| t.table_type.as_str() == "three_public")
        .unwrap();
    assert!(tp
        .columns
        .iter()
        .any(|c| c.measure.as_deref() == Some("actual.vehicle_operation")));
    let e = process_file(&sample("real", "js_rd_2019"), &Options::default()).unwrap_err();
    assert_eq!(e.stage, "grid");
    assert!(e.reason.starts_with("no tables found"), "{}", e.reason);
}
