//! Validation: the real discrepancies of the bundled disclosures, pinned, and altered
//! numbers that must give a `mismatch` at the right cell.

mod common;

use budgetgrid::model::{Document, Finding};
use budgetgrid::{process_bytes, process_file, Options};
use common::*;
use std::path::Path;
use std::process::Command;

fn doc(kind: &str, name: &str) -> Document {
    process_file(&sample(kind, name), &Options::default()).unwrap()
}

fn from_text(name: &str, text: &str) -> Document {
    process_bytes(
        name,
        name,
        Path::new("x.txt"),
        text.as_bytes(),
        &Options::default(),
    )
    .unwrap()
}

fn find<'a>(
    d: &'a Document,
    check: &str,
    table: &str,
    code: &str,
    measure: &str,
) -> Vec<&'a Finding> {
    d.findings
        .iter()
        .filter(|f| {
            f.check == check
                && f.table_type.as_str() == table
                && f.subject_code.as_deref() == Some(code)
                && f.measure.as_deref() == Some(measure)
        })
        .collect()
}

#[test]
fn real_discrepancies_are_rounding_in_every_edition() {
    for kind in ["text", "html", "pdf"] {
        let d = doc(kind, "001_");
        // 收入决算表 prints 合计 721.36; its classes sum to 721.35.
        let f = find(&d, "total_row", "income", "total", "total");
        assert_eq!(f.len(), 1, "{kind}: {:?}", d.findings);
        let f = f[0];
        assert_eq!(f.class, "rounding");
        assert_eq!(f.label.as_deref(), Some("合计"));
        assert_eq!(f.printed.as_deref(), Some("721.36"));
        assert_eq!(f.computed.as_deref(), Some("721.35"));
        assert_eq!(f.difference.as_deref(), Some("0.01"));
        if kind == "pdf" {
            assert_eq!(f.page, Some(4));
        }
        // The printed cell carries the flag.
        let r = d
            .records
            .iter()
            .find(|r| {
                r.table_no == f.table_no
                    && r.row_no == f.row_no.unwrap()
                    && r.measure.as_deref() == Some("total")
            })
            .unwrap();
        assert!(
            r.flags.contains(&"total_row:rounding".to_string()),
            "{:?}",
            r.flags
        );
    }
    // 002 基本支出总表: 301 is printed 381.13, its items sum to 381.14.
    let d = doc("text", "002_");
    let f = find(&d, "hierarchy", "basic_summary", "301", "total");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].class, "rounding");
    assert_eq!(f[0].printed.as_deref(), Some("381.13"));
    assert_eq!(f[0].computed.as_deref(), Some("381.14"));
}

#[test]
fn no_mismatch_on_the_bundled_disclosures() {
    for kind in ["text", "html", "pdf"] {
        for f in std::fs::read_dir(root().join("samples").join(kind)).unwrap() {
            let d = process_file(&f.unwrap().path(), &Options::default()).unwrap();
            let mm: Vec<&Finding> = d
                .findings
                .iter()
                .filter(|f| f.class == "mismatch")
                .collect();
            assert!(mm.is_empty(), "{kind} {}: {mm:?}", d.doc_id);
        }
    }
}

#[test]
fn altered_numbers_are_mismatches_at_the_right_cell() {
    // 001: the income table's 合计 altered from 721.36 to 731.36.
    let src = std::fs::read_to_string(seed("001_")).unwrap();
    let altered = src.replacen("\t合计\t721.36\t716.40", "\t合计\t731.36\t716.40", 1);
    assert_ne!(src, altered);
    let d = from_text("001_altered", &altered);
    let f = find(&d, "total_row", "income", "total", "total");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].class, "mismatch");
    assert_eq!(f[0].printed.as_deref(), Some("731.36"));
    assert_eq!(f[0].computed.as_deref(), Some("721.35"));
    assert_eq!(f[0].difference.as_deref(), Some("10.01"));
    // 003: 行政运行 total altered from 401.87 to 411.87 in the expenditure table: the row no
    // longer adds up (合计 ≠ 基本支出 + 项目支出) and neither does the 合计 row.
    let src = std::fs::read_to_string(seed("003_")).unwrap();
    let altered = src.replacen("行政运行\t401.87\t401.87", "行政运行\t411.87\t401.87", 1);
    assert_ne!(src, altered);
    let d = from_text("003_altered", &altered);
    let f = find(&d, "columns", "expenditure", "2010301", "total");
    assert_eq!(f.len(), 1, "{:?}", d.findings);
    assert_eq!(f[0].class, "mismatch");
    assert_eq!(f[0].label.as_deref(), Some("行政运行"));
    assert_eq!(f[0].printed.as_deref(), Some("411.87"));
    assert_eq!(f[0].computed.as_deref(), Some("401.87"));
    // 003 prints only 项 codes, so the 合计 row no longer matches its rows either.
    let f = find(&d, "total_row", "expenditure", "total", "total");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].class, "mismatch");
    assert_eq!(f[0].difference.as_deref(), Some("-10.00"));
}

#[test]
fn check_command_exit_status_and_json() {
    let bin = env!("CARGO_BIN_EXE_budgetgrid");
    let out = Command::new(bin)
        .args(["check", "--format", "json"])
        .arg(seed("001_"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let f = lines
        .iter()
        .find(|v| {
            v["check"] == "total_row" && v["table_type"] == "income" && v["measure"] == "total"
        })
        .unwrap();
    for k in [
        "doc_id",
        "check",
        "class",
        "table_type",
        "table_no",
        "page",
        "label",
        "subject_code",
        "measure",
        "printed",
        "computed",
        "difference",
    ] {
        assert!(f.get(k).is_some(), "{k}");
    }
    assert_eq!(f["class"], "rounding");
    assert_eq!(lines.last().unwrap()["verdict"], "OK");
    assert_eq!(lines.last().unwrap()["name_mismatch"], 1);
    // extract's summary line counts the findings by class.
    let out = Command::new(bin)
        .args(["extract", "--output", "-"])
        .arg(seed("001_"))
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("(0 mismatch, 10 rounding, 0 unknown_code, 1 name_mismatch), documents with a mismatch 0"),
        "{err}"
    );
    // An altered copy: a mismatch, exit status 1.
    let dir = std::env::temp_dir().join(format!("budgetgrid-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("001_altered.txt");
    let src = std::fs::read_to_string(seed("001_")).unwrap();
    std::fs::write(
        &p,
        src.replacen("\t合计\t721.36\t716.40", "\t合计\t731.36\t716.40", 1),
    )
    .unwrap();
    let out = Command::new(bin).arg("check").arg(&p).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("mismatch  total_row    table 2 [income] row 1 total 合计 col total: printed 731.36 computed 721.35 diff 10.01"), "{text}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("MISMATCH: 1 mismatch"),
        "{text}"
    );
}

#[test]
fn three_public_against_30217_and_30231() {
    // 003 prints 公务接待费 0.50 in the three-public table and 30217 公务接待费 0.50 in the
    // economic-classification table: no finding. Altered to 0.70, the three-public cell is
    // a mismatch against 30217.
    let clean = doc("text", "003_");
    assert!(clean
        .findings
        .iter()
        .all(|f| f.table_type.as_str() != "three_public"));
    let src = std::fs::read_to_string(seed("003_")).unwrap();
    let altered = src.replacen(
        "2.60\t\t2.10\t\t2.10\t0.50",
        "2.80\t\t2.10\t\t2.10\t0.70",
        1,
    );
    assert_ne!(src, altered);
    let d = from_text("003_altered", &altered);
    let f: Vec<&Finding> = d
        .findings
        .iter()
        .filter(|f| f.check == "cross_table" && f.table_type.as_str() == "three_public")
        .collect();
    assert_eq!(f.len(), 1, "{:?}", d.findings);
    assert_eq!(f[0].class, "mismatch");
    assert_eq!(f[0].measure.as_deref(), Some("reception"));
    assert_eq!(f[0].printed.as_deref(), Some("0.70"));
    assert_eq!(f[0].computed.as_deref(), Some("0.50"));
    assert!(f[0].message.contains("30217"), "{}", f[0].message);
    // 001, a final account, compares the 决算数: 0.10 against 30217 0.10 in its lanes.
    let src = std::fs::read_to_string(seed("001_")).unwrap();
    let altered = src.replacen("30217\t公务接待费\t0.10", "30217\t公务接待费\t0.30", 1);
    let d = from_text("001_altered", &altered);
    let f = find(
        &d,
        "cross_table",
        "three_public",
        "total",
        "actual.reception",
    );
    assert_eq!(f.len(), 1, "{:?}", d.findings);
    assert_eq!(f[0].computed.as_deref(), Some("0.30"));
}

#[test]
fn fiscal_summary_general_budget_against_the_general_budget_table() {
    // 001 prints 208 as 29.71 in the 财政拨款收支总表 and 29.70 in the 一般公共预算支出表.
    let d = doc("text", "001_");
    let f = find(&d, "cross_table", "fiscal_summary", "208", "general_budget");
    assert_eq!(f.len(), 1, "{:?}", d.findings);
    assert_eq!(f[0].class, "rounding");
    assert_eq!(f[0].printed.as_deref(), Some("29.71"));
    assert_eq!(f[0].computed.as_deref(), Some("29.70"));
}

#[test]
fn lane_total_rows_are_checked() {
    // 001 一般公共预算财政拨款基本支出决算明细表: 人员经费合计 275.50 = 301 270.06 + 303 5.44.
    let src = std::fs::read_to_string(seed("001_")).unwrap();
    assert!(doc("text", "001_")
        .findings
        .iter()
        .all(|f| !(f.check == "total_row" && f.table_type.as_str() == "general_basic")));
    let altered = src.replacen("人员经费合计\t\t275.50", "人员经费合计\t\t285.50", 1);
    assert_ne!(src, altered);
    let d = from_text("001_altered", &altered);
    let f = find(&d, "total_row", "general_basic", "total", "personnel");
    assert_eq!(f.len(), 1, "{:?}", d.findings);
    assert_eq!(f[0].class, "mismatch");
    assert_eq!(f[0].computed.as_deref(), Some("275.50"));
}

#[test]
fn printed_names_are_checked_against_the_code() {
    let src = std::fs::read_to_string(seed("001_")).unwrap();
    // A wrong name beside a code is a name_mismatch naming the listed name.
    let altered = src.replacen(
        "210\t卫生健康支出\t13.27\t13.27",
        "210\t教育支出\t13.27\t13.27",
        1,
    );
    assert_ne!(src, altered);
    let d = from_text("001_altered", &altered);
    let f: Vec<&Finding> = d
        .findings
        .iter()
        .filter(|f| f.class == "name_mismatch" && f.subject_code.as_deref() == Some("210"))
        .collect();
    assert_eq!(f.len(), 1, "{:?}", d.findings);
    assert_eq!(f[0].check, "name");
    assert_eq!(f[0].subject_code.as_deref(), Some("210"));
    assert_eq!(f[0].printed.as_deref(), Some("教育支出"));
    assert_eq!(f[0].computed.as_deref(), Some("卫生健康支出"));
    assert_eq!(f[0].table_type.as_str(), "income");
    // The old name of class 210 is right in its years (to 2018), not in 001's 2023.
    let old = src.replace("210\t卫生健康支出\t", "210\t医疗卫生与计划生育支出\t");
    let d = from_text("001_old_name", &old);
    assert_eq!(d.fiscal_year, Some(2023));
    let f: Vec<&Finding> = d
        .findings
        .iter()
        .filter(|f| f.class == "name_mismatch" && f.subject_code.as_deref() == Some("210"))
        .collect();
    assert!(!f.is_empty());
    assert!(
        f[0].message.contains("its name in 2023 is 卫生健康支出"),
        "{}",
        f[0].message
    );
    let d = from_text("001_old_name_2018", &old.replace("2023", "2018"));
    assert_eq!(d.fiscal_year, Some(2018));
    assert!(
        d.findings
            .iter()
            .all(|f| !(f.class == "name_mismatch" && f.subject_code.as_deref() == Some("210"))),
        "{:?}",
        d.findings
    );
    let r = d
        .records
        .iter()
        .find(|r| r.subject_code.as_deref() == Some("210") && r.label == "医疗卫生与计划生育支出")
        .unwrap();
    assert_eq!(r.subject_name.as_deref(), Some("医疗卫生与计划生育支出"));
    assert_eq!(r.name_source.as_deref(), Some("builtin"));
    // In the bundled disclosures, exactly the real one: 001's general-budget table prints
    // 201 as 一般公共预算服务支出, in every edition.
    for kind in ["text", "html", "pdf"] {
        for f in std::fs::read_dir(root().join("samples").join(kind)).unwrap() {
            let d = process_file(&f.unwrap().path(), &Options::default()).unwrap();
            let names: Vec<&Finding> = d
                .findings
                .iter()
                .filter(|f| f.class == "name_mismatch")
                .collect();
            if d.doc_id.starts_with("001_") {
                assert_eq!(names.len(), 1, "{kind}: {names:?}");
                assert_eq!(names[0].table_type.as_str(), "general_expenditure");
                assert_eq!(names[0].subject_code.as_deref(), Some("201"));
                assert_eq!(names[0].printed.as_deref(), Some("一般公共预算服务支出"));
                assert_eq!(names[0].computed.as_deref(), Some("一般公共服务支出"));
            } else {
                assert!(names.is_empty(), "{kind} {}: {names:?}", d.doc_id);
            }
        }
    }
}
