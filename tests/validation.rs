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
                r.table_no == f.table_no && r.row_no == f.row_no.unwrap() && r.measure == "total"
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
    assert!(text.contains("mismatch  total_row    table 3 [income] row 1 total 合计 col total: printed 731.36 computed 721.35 diff 10.01"), "{text}");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("MISMATCH: 1 mismatch"),
        "{text}"
    );
}
