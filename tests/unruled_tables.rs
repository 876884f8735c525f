//! Tables without full rulings (`tests/fixtures/pdf/stream`, written by
//! `scripts/make_stream_fixtures.py`): each case of the table finder pinned by its grid.

mod common;

use budgetgrid::model::Document;
use budgetgrid::{process_file, Options};
use common::{one, root};

fn doc(name: &str) -> Document {
    process_file(
        &root().join("tests/fixtures/pdf/stream").join(name),
        &Options::default(),
    )
    .unwrap()
}

/// A bundled disclosure printed without cell borders (`samples/pdf-unruled`), by prefix.
fn unruled(prefix: &str) -> Document {
    process_file(&common::sample("pdf-unruled", prefix), &Options::default()).unwrap()
}

/// The first table of a type.
fn table<'a>(d: &'a Document, tt: &str) -> &'a budgetgrid::model::TableOut {
    d.tables
        .iter()
        .find(|t| t.table_type.as_str() == tt)
        .unwrap_or_else(|| panic!("a {tt} table"))
}

/// The `total` of an 支出经济分类汇总表 row by its departmental and government codes.
fn econ_total(d: &Document, dept: &str, gov: &str) -> Option<String> {
    d.records
        .iter()
        .find(|r| {
            r.table_type.as_str() == "econ_summary"
                && r.subject_code.as_deref() == Some(dept)
                && r.econ_gov_code.as_deref() == Some(gov)
                && r.measure.as_deref() == Some("total")
        })
        .map(|r| r.amount.clone())
}

fn rows(d: &Document, t: usize) -> Vec<Vec<String>> {
    d.tables[t].grid.rows.clone()
}

const MALE: [&str; 5] = ["Male", "61,206", "2,862", "60,721", "2,962"];
const HISPANIC: [&str; 5] = ["Hispanic", "12,609", "966", "12,739", "991"];

/// The statistical table every Latin fixture prints: the heading, the section rows, the
/// values in their columns.
fn assert_stat_table(d: &Document) {
    assert_eq!(d.tables.len(), 1, "{:?}", d.tables);
    let g = rows(d, 0);
    let find = |label: &str| g.iter().find(|r| r[0] == label).cloned();
    assert_eq!(find("Male").unwrap(), MALE);
    assert_eq!(find("Hispanic").unwrap(), HISPANIC);
    // Section rows stay rows of the table, with nothing else in them.
    for s in ["Sex", "Race"] {
        let r = find(s).unwrap_or_else(|| panic!("{s} in {g:?}"));
        assert!(r[1..].iter().all(|c| c.is_empty()), "{r:?}");
    }
    assert!(g.iter().any(|r| r.iter().map(String::as_str).eq([
        "Characteristic",
        "total",
        "inadequate",
        "total",
        "inadequate"
    ]) || r[1..].iter().map(String::as_str).eq([
        "total",
        "inadequate",
        "total",
        "inadequate"
    ])));
}

#[test]
fn no_rules_sections_header_wrapped_label_dot_leaders() {
    let d = doc("sections.pdf");
    assert_eq!(d.tables.len(), 1);
    let g = rows(&d, 0);
    let d0 = &d.tables[0].grid;
    // The heading centred over each pair of columns is a merged cell.
    assert_eq!(g[0], ["", "2007", "", "2009", ""]);
    assert!(d0
        .merges
        .iter()
        .any(|m| m.row == 0 && m.col == 1 && m.col_span == 2));
    assert!(d0
        .merges
        .iter()
        .any(|m| m.row == 0 && m.col == 3 && m.col_span == 2));
    assert_eq!(
        g[1],
        [
            "Characteristic",
            "total",
            "inadequate",
            "total",
            "inadequate"
        ]
    );
    // Dot leaders are no text; section rows stay; a label wrapped over two lines is one.
    assert_eq!(g[2], ["All ages", "110,692", "5,771", "111,800", "5,757"]);
    assert_eq!(g[3], ["Sex", "", "", "", ""]);
    assert_eq!(g[4], MALE);
    assert_eq!(
        g[7],
        ["American Indian/Alaska Native", "707", "51", "730", "55"]
    );
    assert_eq!(g.len(), 9);
    // The title above and the paragraph below are text, not rows; Latin keeps its spaces.
    assert!(!g
        .iter()
        .flatten()
        .any(|c| c.contains("Table 1") || c.contains("survey")));
}

#[test]
fn only_horizontal_rules() {
    assert_stat_table(&doc("booktabs.pdf"));
}

#[test]
fn a_box_with_no_inner_rules() {
    assert_stat_table(&doc("box.pdf"));
}

#[test]
fn columns_ruled_only_in_the_header() {
    let d = doc("header_ruled.pdf");
    assert_stat_table(&d);
    // Each body row is its own row, not one merged cell per column.
    let g = rows(&d, 0);
    let female = g.iter().position(|r| r[0] == "Female").unwrap();
    assert_eq!(g[female + 1][0], "Race");
}

#[test]
fn ruled_table_without_outer_border_keeps_first_and_last_columns() {
    let d = doc("no_outer_border.pdf");
    assert_eq!(d.tables.len(), 1);
    let g = rows(&d, 0);
    assert_eq!(
        g[0],
        [
            "Characteristic",
            "total",
            "inadequate",
            "total",
            "inadequate"
        ]
    );
    assert_eq!(g[1], MALE);
    assert_eq!(g[4], HISPANIC);
}

#[test]
fn two_tables_with_the_same_columns_stay_apart() {
    let d = doc("two_tables.pdf");
    assert_eq!(d.tables.len(), 2);
    assert!(rows(&d, 0).iter().any(|r| r[0] == "Hispanic"));
    let second = rows(&d, 1);
    assert_eq!(
        second[0],
        [
            "Characteristic",
            "total",
            "inadequate",
            "total",
            "inadequate"
        ]
    );
    assert_eq!(second[1], ["Male", "1", "2", "3", "4"]);
    assert_eq!(second.len(), 3);
}

#[test]
fn text_in_two_columns_is_no_table() {
    let e = process_file(
        &root().join("tests/fixtures/pdf/stream/prose_columns.pdf"),
        &Options::default(),
    )
    .unwrap_err();
    assert!(e.reason.starts_with("no tables found"), "{}", e.reason);
}

#[test]
fn budget_table_without_rules_reads_as_with_rules() {
    // STSong, no rules: 科目编码 over 类/款/项, 本年支出 over the amounts, 基本支出 and 项目支出
    // wrapped over two lines, a label wrapped around its centred values.
    let d = doc("budget_unruled.pdf");
    assert_eq!(d.tables.len(), 1);
    let t = &d.tables[0];
    assert_eq!(t.table_type.as_str(), "general_expenditure");
    assert_eq!(
        t.grid.rows[1],
        ["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"]
    );
    let measures: Vec<Option<&str>> = t.columns.iter().map(|c| c.measure.as_deref()).collect();
    assert_eq!(
        measures[4..],
        [Some("total"), Some("basic"), Some("project")]
    );
    assert!(
        d.records.iter().all(|r| r.measure.is_some()),
        "{:?}",
        d.records
    );
    let r = one(&d.records, "general_expenditure", "2080505", "basic");
    assert_eq!(r.amount, "803.68");
    assert_eq!(r.label, "机关事业单位基本养老保险缴费支出");
    assert_eq!(
        one(&d.records, "general_expenditure", "20101", "project").amount,
        "40.00"
    );
    assert_eq!(
        one(&d.records, "general_expenditure", "total", "total").amount,
        "1174.60"
    );
}

#[test]
fn bundled_disclosures_printed_without_borders() {
    // samples/pdf-unruled: the HTML editions printed by Chromium with no cell borders
    // (scripts/make_unruled_samples.sh). Every printed number is carried; the tables whose
    // headings print on one line read as with rules.
    let (s, _) = common::score_samples("pdf-unruled");
    assert!(s.coverage() >= 0.999, "coverage {}", s.coverage());
    // Measured 0.994 (0.991 before rows alone at the top of a page joined their table;
    // 0.972 before a header cut by a page break went on over it; 0.945
    // before headings letter-spaced over a cell or beyond the body
    // were read; 0.821 before tables continued over pages were gridded as one and
    // sparse columns kept; 0.666 before rows by rhythm and headers by level).
    assert!(s.f1() >= 0.99, "F1 {}", s.f1());
    let d = unruled("001_");
    assert_eq!(
        one(&d.records, "general_basic", "30101", "total").amount,
        "42.27"
    );
    assert_eq!(
        one(&d.records, "general_basic", "302", "total").amount,
        "16.22"
    );
    assert_eq!(
        one(&d.records, "general_basic", "total", "personnel").amount,
        "275.50"
    );
    // The 部门 line wrapped onto a second line above the 三公 table is no heading of it.
    assert_eq!(
        one(&d.records, "three_public", "total", "budget.total").amount,
        "0.14"
    );
}

#[test]
fn spreadsheet_print_wrapped_cells_empty_columns_and_left_aligned_headings() {
    // 000 printed without borders: labels wrapped in narrow cells with their code and
    // amounts centred on them, headings wrapped over up to three lines, three columns the
    // body leaves empty (事业单位经营支出 …), the body continued on the next page starting
    // mid-label, and headings set left-aligned in the gap before right-aligned amounts.
    let d = unruled("000_");
    let r = one(&d.records, "expenditure", "20103", "total");
    assert_eq!(r.amount, "350.92");
    assert_eq!(r.label, "政府办公厅（室）及相关机构事务");
    // 项目支出 keeps its own column beside the three empty ones.
    assert_eq!(
        one(&d.records, "expenditure", "201", "project").amount,
        "219.00"
    );
    let wrapped_at_page_end = one(&d.records, "expenditure", "2080506", "total");
    assert_eq!(wrapped_at_page_end.label, "机关事业单位职业年金缴费支出");
    // Page 8 continues the table with only the columns it fills: joined under them.
    let r = one(&d.records, "expenditure", "20899", "basic");
    assert_eq!(
        (r.amount.as_str(), r.label.as_str()),
        ("0.09", "其他社会保障和就业支出")
    );
    assert_eq!(
        one(&d.records, "expenditure", "2101103", "basic").amount,
        "2.51"
    );
    // 合计 set left in the gap before its amounts heads them, not the name column.
    assert_eq!(
        one(&d.records, "general_basic", "30101", "total").amount,
        "19.41"
    );

    // 003: 上年结转结余 over parts printed empty but 政府性基金, headings wrapped over up
    // to four lines and centred on three levels.
    let d = unruled("003_");
    assert_eq!(
        one(&d.records, "income", "709", "carryover.gov_fund").amount,
        "40517.38"
    );
    assert_eq!(
        one(&d.records, "income", "709", "general_budget_fiscal").amount,
        "6655.15"
    );
    // 类 款 项 under 科目编码, standing left of a body that prints none of them: three
    // columns of their own.
    let t = table(&d, "expenditure");
    assert!(
        t.grid
            .rows
            .iter()
            .any(|r| r.len() > 3 && r[..3] == ["类", "款", "项"]),
        "{:?}",
        t.grid.rows
    );
}

#[test]
fn unruled_tables_continued_over_pages_are_gridded_as_one() {
    // 004's 收支总表 prints its header at the foot of page 6 and its body on page 7, with
    // a column of labels only (十四、交通运输 …) above the first amount: one table, whose
    // columns come from both parts.
    let d = unruled("004_");
    assert_eq!(
        one(&d.records, "summary", "year_expenditure", "total").amount,
        "778.96"
    );
    assert_eq!(one(&d.records, "summary", "221", "total").amount, "16.85");
    assert_eq!(
        one(&d.records, "summary", "general_budget", "total").amount,
        "778.96"
    );
    // 部门支出预算表: its headings run over six lines, one of them a lone `其他运转特定目标`
    // reaching right of the headings above it and one a `类 类` (the ends of 其他运转类
    // and 特定目标类) that repeats the first heading's text at another place: all one
    // header over the body.
    let r = |m: &str| one(&d.records, "expenditure", "2010350", m).amount.clone();
    assert_eq!(
        (r("total"), r("basic"), r("wages")),
        ("717.88".into(), "220.57".into(), "205.95".into())
    );
    // The 三公 table prints one row of amounts under a two-line header: a table.
    assert_eq!(
        one(&d.records, "three_public", "total", "vehicle_operation").amount,
        "1.50"
    );
    // 003's 财政拨款收支总表: 40,517.38 stands in the 政府性基金 column, which only that
    // row fills on its page, close right of 6,655.15: two cells, not one `6,655.1540,517.38`.
    let d = unruled("003_");
    assert_eq!(
        one(&d.records, "fiscal_summary", "year_expenditure", "gov_fund").amount,
        "40517.38"
    );
    assert_eq!(
        one(
            &d.records,
            "fiscal_summary",
            "year_expenditure",
            "general_budget_fiscal"
        )
        .amount,
        "6655.15"
    );
    // 支出经济分类汇总表 over pages 11-13: `总计` set over its amounts beside the name
    // column (whose heading is a level lower) heads the amounts only; 5,127.88 and the
    // other wide amounts reaching left of their column do not hide its break.
    assert_eq!(econ_total(&d, "30101", "50101").as_deref(), Some("112.79"));
    // Its continuation on page 9 lands under the same columns.
    assert_eq!(
        one(&d.records, "fiscal_summary", "229", "gov_fund").amount,
        "40517.38"
    );
    let t = table(&d, "fiscal_summary");
    assert_eq!(t.continued_on, vec![9]);
}

#[test]
fn spreadsheet_headings_letter_spaced_and_beyond_the_body() {
    let d = unruled("004_");
    // 部门支出预算表: `对个人 和家庭 的` / `补助` is one heading printed with its letters
    // spread over the cell, most of it left of its amounts: not a column of its own.
    let r = |m: &str| one(&d.records, "expenditure", "2080502", m).amount.clone();
    assert_eq!(
        (r("total"), r("household"), r("goods_services")),
        ("6.24".into(), "6.02".into(), "0.22".into())
    );
    assert_eq!(
        one(&d.records, "expenditure", "total", "household").amount,
        "6.02"
    );
    // 支出经济分类汇总表: its header at the foot of page 11, under a tall 政府性基金 /
    // 国有资本经营预算 … row beyond the body's three amount columns, which make columns of
    // their own (not one cell `政府国有资本上年结…`); `总计`, centred over its amounts and
    // ending where the name column's text does, heads the amounts only.
    assert_eq!(econ_total(&d, "30101", "50501").as_deref(), Some("73.17"));
    assert_eq!(econ_total(&d, "30226", "50205").as_deref(), Some("289.21"));
    let t = table(&d, "econ_summary");
    let header: Vec<String> = t.grid.rows[0].clone();
    for h in ["政府性基金", "国有资本经营预算", "事业收入", "其他收入"] {
        assert!(header.iter().any(|c| c == h), "{h} in {header:?}");
    }
}

#[test]
fn a_header_cut_by_the_page_break_goes_on_with_the_next_page() {
    // 000's 收入总表: page 6 ends with the upper header lines (部门（单位）代码 … 本年收入,
    // 上年结转结余, and 单位：万元 printed in the header row at its right end), page 7
    // goes on with the lower headings (小计, 一般公共预算 …, each wrapped over two or three
    // lines) and the body. One table, its header composed over both pages.
    let d = unruled("000_");
    let t = table(&d, "income");
    assert_eq!(t.page, Some(6));
    assert_eq!(t.continued_on, vec![7]);
    assert_eq!(
        one(&d.records, "income", "016", "general_budget").amount,
        "379.14"
    );
    assert_eq!(one(&d.records, "income", "016001", "year").amount, "379.14");
    assert_eq!(
        one(&d.records, "income", "016001", "carryover.unit_funds").amount,
        "0.00"
    );
}

#[test]
fn the_last_rows_alone_at_the_top_of_a_page_join_their_table() {
    // 004's 财政拨款收支预算表 ends on page 10 with label-only rows ((二十三)… 二、年终结转
    // 结余) and the 收入合计 / 支出合计 row, then the next table's title: too few rows for
    // a table of their own, they are the table's last rows, not loose text (their amounts
    // were dropped).
    let d = unruled("004_");
    assert_eq!(
        one(&d.records, "fiscal_summary", "income_grand_total", "total").amount,
        "778.96"
    );
    assert_eq!(
        one(
            &d.records,
            "fiscal_summary",
            "expenditure_grand_total",
            "general_budget_fiscal"
        )
        .amount,
        "778.96"
    );
    let t = table(&d, "fiscal_summary");
    assert_eq!(t.continued_on, vec![10]);
    // The next table keeps its own title and rows.
    assert_eq!(
        one(&d.records, "general_expenditure", "2010350", "total").amount,
        "717.88"
    );
    // 000's: 住房保障支出 7.19 and the 总计 row at the top of page 7.
    let d = unruled("000_");
    assert_eq!(
        one(&d.records, "fiscal_summary", "221", "total").amount,
        "7.19"
    );
    assert_eq!(
        one(&d.records, "fiscal_summary", "income_grand_total", "total").amount,
        "379.14"
    );
}
