//! Tests of the normaliser over small grids.
use super::*;
use crate::grid::Grid;

fn table(rows: &[&[&str]]) -> Table {
    Table {
        grid: Grid::new(
            rows.iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        ),
        unit: Some("万元".into()),
        ..Default::default()
    }
}

fn info() -> DocInfo<'static> {
    DocInfo {
        doc_id: "t",
        source: "t.txt",
        format: Format::Text,
        department: None,
        fiscal_year: Some(2024),
        doc_kind: Some(DocKind::Budget),
    }
}

#[test]
fn most_common_unit_breaks_ties_by_order() {
    let with_unit = |u: &str| {
        analyse(Table {
            unit: Some(u.into()),
            ..Default::default()
        })
    };
    // A tie between units other than 万元: the first printed wins, on every run.
    let a = vec![
        with_unit("元"),
        with_unit("千元"),
        with_unit("元"),
        with_unit("千元"),
    ];
    assert_eq!(most_common_unit(&a).as_deref(), Some("元"));
    let b = vec![
        with_unit("千元"),
        with_unit("元"),
        with_unit("元"),
        with_unit("千元"),
    ];
    assert_eq!(most_common_unit(&b).as_deref(), Some("千元"));
    let c = vec![with_unit("元"), with_unit("万元")];
    assert_eq!(most_common_unit(&c).as_deref(), Some("万元"));
}

#[test]
fn split_codes_and_multilevel_headers() {
    let t = table(&[
        &["支出总表", "", "", "", "", "", ""],
        &["科目编码", "", "", "科目名称", "合计", "基本支出", ""],
        &["类", "款", "项", "", "", "小计", "人员经费"],
        &["201", "03", "01", "行政运行", "401.87", "401.87", "353.85"],
    ]);
    let r = Reference::builtin();
    let (outs, recs) = normalize_tables(vec![t], &info(), &r);
    assert_eq!(outs[0].table_type, TableType::Expenditure);
    let find = |m: &str| {
        recs.iter()
            .find(|x| x.measure.as_deref() == Some(m))
            .unwrap()
    };
    assert_eq!(find("total").subject_code.as_deref(), Some("2010301"));
    assert_eq!(find("total").amount, "401.87");
    assert_eq!(find("basic").amount, "401.87");
    assert_eq!(find("personnel").amount, "353.85");
}

#[test]
fn title_wrapped_over_the_grids_first_rows() {
    let t = table(&[
        &["2024年部门一般公共预算", "", "", ""],
        &["支出功能分类预算表", "", "", ""],
        &["科目编码", "科目名称", "合计", "基本支出"],
        &["2010301", "行政运行", "1.00", "1.00"],
    ]);
    let (outs, recs) = normalize_tables(vec![t], &info(), &Reference::builtin());
    assert_eq!(outs[0].table_type, TableType::GeneralExpenditure);
    assert_eq!(
        outs[0].title.as_deref(),
        Some("2024年部门一般公共预算支出功能分类预算表")
    );
    assert_eq!(recs.len(), 2);
}

#[test]
fn every_number_is_a_record_unmapped_columns_flagged() {
    let t = table(&[
        &["支出总表", "", "", ""],
        &["科目编码", "科目名称", "合计", "会议费"],
        &["2010301", "行政运行", "1.00", "0.50"],
    ]);
    let (outs, recs) = normalize_tables(vec![t], &info(), &Reference::builtin());
    assert_eq!(outs[0].columns[3].measure, None);
    let r = recs.iter().find(|r| r.amount == "0.50").unwrap();
    assert_eq!(r.measure, None);
    assert_eq!(r.subject_code.as_deref(), Some("2010301"));
    assert!(r.flags.contains(&"unmapped_column".to_string()));
}

#[test]
fn codes_printed_incompletely_are_repaired() {
    // The class printed once on its own row; a 款 printed as a spreadsheet number; a
    // class printed as a fragment (`30 | 12`), completed from the row's name.
    let t = table(&[
        &["一般公共预算基本支出表", "", "", ""],
        &["科目编码", "", "科目名称", "合计"],
        &["类", "款", "", ""],
        &["301", "", "工资福利支出", "10.00"],
        &["", "01", "基本工资", "6.00"],
        &["", "2", "津贴补贴", "3.00"],
        &["30", "12", "其他社会保障缴费", "1.00"],
    ]);
    let (_, recs) = normalize_tables(vec![t], &info(), &Reference::builtin());
    let code = |amount: &str| {
        let r = recs.iter().find(|r| r.amount == amount).unwrap();
        (
            r.subject_code.clone().unwrap_or_default(),
            r.flags.contains(&"code_repaired".to_string()),
        )
    };
    assert_eq!(code("10.00"), ("301".into(), false));
    assert_eq!(code("6.00"), ("30101".into(), true));
    assert_eq!(code("3.00"), ("30102".into(), true));
    assert_eq!(code("1.00"), ("30112".into(), true));
}

#[test]
fn empty_cells_give_no_record_and_dashes_none() {
    let t = table(&[
        &["科目编码", "科目名称", "合计", "基本支出"],
        &["201", "一般公共服务支出", "1.00", "-"],
        &["", "合计", "1.00", ""],
    ]);
    let (_, recs) = normalize_tables(vec![t], &info(), &Reference::builtin());
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1].subject_scheme, "total");
}

#[test]
fn class_line_without_listed_name_takes_the_class_its_amount_implies() {
    // No list names 特别试点支出; the 支出总表 prints only 2280101 and 2280102 under class
    // 228, whose total 4.00 is the summary line's amount.
    let summary = table(&[
        &["收支总表", "", "", ""],
        &["收入", "", "支出", ""],
        &["项目", "预算数", "项目", "预算数"],
        &[
            "一、一般公共预算拨款收入",
            "5.00",
            "一、一般公共服务支出",
            "1.00",
        ],
        &["", "", "二、特别试点支出", "4.00"],
        &["", "", "三、其他试点支出", "3.00"],
        &["本年收入合计", "5.00", "本年支出合计", "5.00"],
    ]);
    let detail = table(&[
        &["支出总表", "", "", "", ""],
        &["科目编码", "", "", "科目名称", "合计"],
        &["类", "款", "项", "", ""],
        &["201", "03", "01", "行政运行", "1.00"],
        &["228", "01", "01", "试点一", "1.50"],
        &["228", "01", "02", "试点二", "2.50"],
    ]);
    let (_, recs) = normalize_tables(vec![summary, detail], &info(), &Reference::builtin());
    let line = |label: &str| recs.iter().find(|r| r.label == label).unwrap();
    let r = line("二、特别试点支出");
    assert_eq!(r.subject_code.as_deref(), Some("228"));
    assert!(r.flags.contains(&"code_from_amount".to_string()));
    // an amount no class of the document totals keeps a null code
    assert_eq!(line("三、其他试点支出").subject_code, None);
}
