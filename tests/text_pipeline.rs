//! The text pipeline on the bundled disclosures: real values, gold scores, the output
//! schemas, and bad input.

mod common;

use budgetgrid::model::Record;
use budgetgrid::{process_file, Options};
use common::*;
use serde_json::Value;

fn records(name: &str) -> Vec<Record> {
    process_file(&seed(name), &Options::default())
        .expect("document processes")
        .records
}

#[test]
fn split_codes_in_tsv_expenditure_table() {
    let recs = records("003_");
    let r = one(&recs, "expenditure", "2010301", "total");
    assert_eq!(r.amount, "401.87");
    assert_eq!(r.label, "行政运行");
    assert_eq!(r.subject_scheme, "functional");
    // thousands separators removed, exact
    assert_eq!(
        one(&recs, "summary", "income_grand_total", "total").amount,
        "47172.53"
    );
    // projects by name, not the agency they are named after
    assert_eq!(
        one(
            &recs,
            "project",
            "新乡市政务服务和大数据管理局聘用人员经费",
            "total"
        )
        .amount,
        "50.13"
    );
    // departmental and government economic codes on one row
    let r = recs
        .iter()
        .find(|r| {
            r.table_type.as_str() == "general_basic"
                && r.subject_code.as_deref() == Some("30108")
                && r.econ_gov_code.as_deref() == Some("50102")
        })
        .unwrap();
    assert_eq!(r.amount, "43.00");
    // 其他支出 printed without a code: class 229, which the document's own 2290402 rows confirm
    let r = one(&recs, "summary", "229", "total");
    assert_eq!(r.amount, "40517.38");
}

#[test]
fn flow_text_name_only_rows_get_codes() {
    let recs = records("002_");
    // 购房补贴 in the summary gets its code from the document
    let r = one(&recs, "summary", "2210203", "total");
    assert_eq!(r.amount, "58.79");
    assert_eq!(r.label, "购房补贴");
    // The heading as the page prints it (`2022 年预算数`), not the vocabulary's key.
    assert_eq!(r.header, "2022年预算数");
    // A heading the vocabulary does not know groups the 小计 / 其中 headings under it, so
    // the columns before it keep their meaning.
    let unit = |m: &str| {
        recs.iter()
            .find(|r| r.table_type.as_str() == "expenditure" && r.measure.as_deref() == Some(m))
            .map(|r| r.amount.clone())
    };
    assert_eq!(unit("basic").as_deref(), Some("422.09"));
    assert_eq!(unit("project").as_deref(), Some("132.99"));
    assert!(
        recs.iter()
            .any(|r| r.table_type.as_str() == "expenditure"
                && r.header == "2022年政府采购项目 / 小计")
    );
    // 行政运行 repeats under many 款: the parent decides
    assert_eq!(
        one(&recs, "fiscal_summary", "2010301", "total").amount,
        "275.49"
    );
    // the flow header rebuilt as a two-level tree: 政府预算拨款 / 小计 etc.
    assert_eq!(
        one(&recs, "basic_summary", "30201", "fiscal_appropriation").amount,
        "4.43"
    );
    assert_eq!(one(&recs, "basic_summary", "301", "total").amount, "381.13");
    // 三公 by year
    assert_eq!(
        recs.iter()
            .filter(|r| r.subject_scheme == "period" && r.subject_code.as_deref() == Some("2021"))
            .count(),
        6
    );
    // 0.000 keeps its scale
    assert!(recs
        .iter()
        .any(|r| r.amount == "0.000" && r.subject_code.as_deref() == Some("30209")));
}

#[test]
fn garbled_three_public_header_is_repaired() {
    let recs = records("001_");
    let r = one(&recs, "three_public", "total", "actual.reception");
    assert_eq!(r.amount, "0.10");
    assert_eq!(
        one(&recs, "three_public", "total", "budget.total").amount,
        "0.14"
    );
    // a 合计 label printed on the 栏次 line above its numbers
    assert_eq!(
        one(&recs, "general_expenditure", "total", "total").amount,
        "716.40"
    );
    // side-by-side 基本支出 lanes
    assert_eq!(one(&recs, "general_basic", "30217", "total").amount, "0.10");
    assert_eq!(
        one(&recs, "general_basic", "total", "personnel").amount,
        "275.50"
    );
}

#[test]
fn markdown_tables_with_titles_in_rows() {
    let recs = records("000_");
    // 收入总收入: a garbled title inside the first row
    let r = one(&recs, "income", "016001", "carryover.unit_funds");
    assert_eq!(r.amount, "0.00");
    assert_eq!(r.subject_scheme, "unit");
    assert_eq!(one(&recs, "expenditure", "2080505", "basic").amount, "7.39");
    assert_eq!(
        one(&recs, "general_basic", "301", "personnel").amount,
        "147.01"
    );
    assert!(recs
        .iter()
        .all(|r| r.unit.as_deref() == Some("万元") || r.table_type.as_str() == "procurement"));
}

#[test]
fn broken_numbers_and_shifted_headers() {
    let recs = records("004_");
    assert_eq!(
        one(&recs, "operating_funds", "30231", "total").amount,
        "1.50"
    );
    assert_eq!(
        one(&recs, "expenditure", "2010350", "project_operating").amount,
        "497.31"
    );
    assert!(recs.iter().all(|r| r.amount != "497.3"));
}

#[test]
fn gold_scores() {
    let (s, docs) = score_samples("text");
    assert_eq!(docs.len(), 5);
    // The one remaining miss is 001's expenditure 合计 row, which the gold keys as a unit.
    assert_done_criteria(&s);
}

#[test]
fn output_matches_schemas() {
    let dir = root().join("schemas");
    let rs = schema("record.schema.json");
    let ds = schema("document.schema.json");
    for name in ["000_", "002_"] {
        let d = process_file(&seed(name), &Options::default()).unwrap();
        let v = serde_json::to_value(&d).unwrap();
        let mut errs = Vec::new();
        check_schema(&v, &ds, &ds, &dir, "doc", &mut errs);
        for r in v["records"].as_array().unwrap().iter().take(50) {
            check_schema(r, &rs, &rs, &dir, "record", &mut errs);
        }
        assert!(errs.is_empty(), "{:?}", &errs[..errs.len().min(10)]);
    }
    // the schema checker itself rejects a bad record
    let mut bad: Value = serde_json::to_value(&records("003_")[0]).unwrap();
    bad["amount"] = Value::String("1,000.00".into());
    let mut errs = Vec::new();
    check_schema(&bad, &rs, &rs, &dir, "record", &mut errs);
    assert!(!errs.is_empty());
}

#[test]
fn bad_input_gives_error_records_not_panics() {
    let tmp = std::env::temp_dir().join(format!("bg_bad_{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    // binary
    let bin = tmp.join("binary.txt");
    std::fs::write(&bin, [0u8, 1, 2, 3, 0, 159, 146, 150, 0, 0]).unwrap();
    let e = process_file(&bin, &Options::default()).unwrap_err();
    assert_eq!(e.stage, "ingest");
    assert!(e.reason.contains("binary"), "{}", e.reason);
    // empty
    let empty = tmp.join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(
        process_file(&empty, &Options::default()).unwrap_err().stage,
        "ingest"
    );
    // truncated in the middle of a table and of a UTF-8 character
    let full = std::fs::read(seed("003_")).unwrap();
    let cut = tmp.join("truncated.txt");
    std::fs::write(&cut, &full[..full.len() * 2 / 5 + 1]).unwrap();
    match process_file(&cut, &Options::default()) {
        Ok(d) => assert!(d
            .records
            .iter()
            .any(|r| r.subject_code.as_deref() == Some("2010301"))),
        Err(e) => panic!("truncated file failed: {e:?}"),
    }
    // prose only: no tables
    let prose = tmp.join("prose.txt");
    std::fs::write(
        &prose,
        "第一部分 部门概况\n一、部门职责\n负责全区政务服务工作。\n",
    )
    .unwrap();
    let e = process_file(&prose, &Options::default()).unwrap_err();
    assert_eq!(e.stage, "grid");
    assert!(
        e.reason
            .starts_with("no tables found: 3 lines of text and no table"),
        "{}",
        e.reason
    );
    std::fs::remove_dir_all(&tmp).ok();
}

/// Every reference row that cites a bundled sample line must be printed there: the code
/// (or, for a class numbered by code, its ordinal) and the name.
#[test]
fn reference_rows_cite_lines_that_print_them() {
    let cite = regex::Regex::new(r"samples/text/([0-9a-f_]+\.txt):(\d+)").unwrap();
    let mut checked = 0;
    let mut files: std::collections::HashMap<String, String> = Default::default();
    for list in ["functional", "economic_dept", "economic_gov"] {
        let path = root().join("data").join(format!("{list}.csv"));
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        for row in rdr.records() {
            let row = row.unwrap();
            let (code, name, source, confidence) = (&row[0], &row[1], &row[4], &row[5]);
            assert!(!source.is_empty(), "{list} {code} has no provenance");
            let Some(c) = cite.captures(source) else {
                continue;
            };
            let text = files.entry(c[1].to_string()).or_insert_with(|| {
                std::fs::read_to_string(root().join("samples/text").join(&c[1])).unwrap()
            });
            let line = budgetgrid::text::key(
                text.lines()
                    .nth(c[2].parse::<usize>().unwrap() - 1)
                    .unwrap(),
            )
            .replace('|', "");
            let name = budgetgrid::text::key(name);
            if confidence == "ordinal" {
                // the cited line numbers the class; the name may be printed shortened
                let base = name.trim_end_matches("支出");
                let n: usize = code.parse::<usize>().unwrap() - 200;
                let digit = |d: usize| "一二三四五六七八九".chars().nth(d - 1).unwrap().to_string();
                let tens = match n / 10 {
                    0 => String::new(),
                    1 => "十".to_string(),
                    t => format!("{}十", digit(t)),
                };
                let ordinal = format!(
                    "{tens}{}、",
                    if n.is_multiple_of(10) {
                        String::new()
                    } else {
                        digit(n % 10)
                    }
                );
                assert!(line.contains(&ordinal), "{code}: {ordinal} not in {line}");
                assert!(line.contains(base), "{code} {name}: {line}");
            } else {
                let digits: String = line.chars().filter(|c| c.is_ascii_digit()).collect();
                assert!(
                    digits.contains(code) && line.contains(&name),
                    "{code} {name}: {line}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} rows cite a sample line");
}

#[test]
fn classes_numbered_by_code_resolve_in_every_summary() {
    // 000 and 001 number their class lines in sequence (二十、粮油物资储备支出); the code
    // comes from 003/004, which number the same lines by code (二十二、粮油物资储备支出).
    let recs = records("001_");
    for (code, name) in [
        ("222", "二十、粮油物资储备支出"),
        ("234", "二十六、抗疫特别国债安排的支出"),
    ] {
        let r = one(&recs, "summary", code, "total");
        assert_eq!(r.label, name);
        assert_eq!(r.amount, "0.00");
    }
    assert_eq!(
        one(&recs, "fiscal_summary", "229", "general_budget").label,
        "二十三、其他支出"
    );
    assert_eq!(
        one(&records("003_"), "summary", "229", "total").amount,
        "40517.38"
    );
}

#[test]
fn analysis_columns_let_details_sum_to_the_printed_total() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    for (name, total, tolerance) in [
        ("000_", "379.14", "0"),
        ("003_", "6655.15", "0"),
        ("004_", "778.96", "0"),
        // 001 prints its 合计 0.01 above the sum of its lines.
        ("001_", "716.40", "0.01"),
    ] {
        let recs = records(name);
        let g: Vec<&Record> = recs
            .iter()
            .filter(|r| {
                r.table_type.as_str() == "general_expenditure"
                    && r.measure.as_deref() == Some("total")
            })
            .collect();
        let printed = g
            .iter()
            .find(|r| r.subject_scheme == "total")
            .and_then(|r| r.amount_wan.clone())
            .unwrap();
        assert_eq!(printed, total, "{name}");
        let sum: Decimal = g
            .iter()
            .filter(|r| !r.is_total && r.subject_scheme == "functional")
            .map(|r| Decimal::from_str(r.amount_wan.as_deref().unwrap()).unwrap())
            .sum();
        let diff = (Decimal::from_str(total).unwrap() - sum).abs();
        assert!(
            diff <= Decimal::from_str(tolerance).unwrap(),
            "{name}: {sum}"
        );
    }
    let recs = records("001_");
    let r = one(&recs, "expenditure", "2010301", "total");
    assert_eq!(r.level.as_deref(), Some("项"));
    assert_eq!(r.class_code.as_deref(), Some("201"));
    assert_eq!(r.parent_code.as_deref(), Some("20103"));
    assert!(!r.is_total);
    assert_eq!(r.side.as_deref(), Some("expenditure"));
    assert_eq!(
        r.department_key.as_deref(),
        Some("曾都区政务服务和大数据管理局")
    );
    assert_eq!(r.scope.as_deref(), Some("汇总"));
    assert!(one(&recs, "expenditure", "20103", "total").is_total);
}
