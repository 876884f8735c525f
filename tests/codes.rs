//! Code lists that grow from the documents (issue 12): `budgetgrid codes` harvests what a
//! corpus prints into a `--reference` file; well-formed codes the lists lack are no
//! finding, malformed ones are; names are judged by the document's year.

mod common;

use budgetgrid::text::key;
use budgetgrid::{process_bytes, process_file, Options};
use common::root;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_budgetgrid"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bg-codes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rows(p: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(p).unwrap();
    r.records().map(|x| x.unwrap()).collect()
}

#[test]
fn harvest_round_trips_as_a_reference_and_pins_a_conflict_and_a_rename() {
    let dir = tmp("harvest");
    let out = dir.join("codes.csv");
    let st = bin()
        .arg("codes")
        .arg(root().join("samples/text"))
        .arg(root().join("samples/real"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    // The narrative-only real PDF has no table: one failure, the rest harvested.
    assert_eq!(st.status.code(), Some(1));
    let list = rows(&out);
    assert!(list.len() > 150, "{} rows", list.len());
    let find = |code: &str, name: &str| {
        list.iter()
            .find(|r| &r[1] == code && &r[2] == name)
            .unwrap_or_else(|| panic!("{code} {name}"))
    };
    // header: scheme,code,name,from_year,to_year,years,count,documents,source,conflict
    // 001 prints 201 as 一般公共预算服务支出 beside the usual name in the same year.
    let r = find("201", "一般公共预算服务支出");
    assert_eq!(&r[5], "2023");
    assert!(
        r[9].contains("also printed as 一般公共服务支出 in 2023"),
        "{:?}",
        r
    );
    // 20805 is printed with its old name in 2018 and 2019, with the new one from 2022.
    let r = find("20805", "行政事业单位离退休");
    assert_eq!(&r[4], "2021");
    assert_eq!(&r[5], "2018|2019");
    assert_eq!(&find("20805", "行政事业单位养老支出")[4], "");
    // 20406 司法, printed in two of the real documents (the built-in list has it from
    // them, through scripts/build_reference.py).
    let r = find("20406", "司法");
    assert!(r[8].contains("printed beside its code in"));
    assert_eq!(&r[7], "2");

    // The list is a reference file: extract accepts it and names 20406 from it (a
    // reference row replaces the built-in one).
    let recs = dir.join("r.jsonl");
    let st = bin()
        .args(["extract", "-q", "--reference"])
        .arg(&out)
        .arg(root().join("samples/real/sh_putuo_sfj_2026_budget.pdf"))
        .arg("-o")
        .arg(&recs)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let text = std::fs::read_to_string(&recs).unwrap();
    let r: serde_json::Value = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|r| r["subject_code"] == "20406")
        .expect("a 20406 record");
    assert_eq!(r["subject_name"], "司法");
    assert_eq!(r["name_source"], "reference");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn well_formed_codes_are_no_finding_malformed_ones_are() {
    let opts = Options::default();
    // The bundled real documents and seeds print many codes the built-in lists lack.
    let mut files: Vec<PathBuf> = Vec::new();
    for kind in ["real", "text", "html", "pdf"] {
        for f in std::fs::read_dir(root().join("samples").join(kind)).unwrap() {
            files.push(f.unwrap().path());
        }
    }
    let mut from_document = 0;
    for f in &files {
        let Ok(d) = process_file(f, &opts) else {
            continue;
        };
        let unknown: Vec<_> = d
            .findings
            .iter()
            .filter(|x| x.class == "unknown_code")
            .collect();
        assert!(unknown.is_empty(), "{}: {:?}", f.display(), unknown);
        from_document += d
            .records
            .iter()
            .filter(|r| r.name_source.as_deref() == Some("document"))
            .count();
    }
    assert!(from_document > 500, "{from_document}");

    // A letter for a digit and a 6-digit functional code are reported, never read away.
    let md = "# 某某局2025年部门预算\n\n## 一般公共预算支出表\n\n单位：万元\n\n\
        | 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |\n|---|---|---|---|---|\n\
        |  | 合计 | 300.00 | 200.00 | 100.00 |\n\
        | 201 | 一般公共服务支出 | 300.00 | 200.00 | 100.00 |\n\
        | 20103 | 政府办公厅（室）及相关机构事务 | 300.00 | 200.00 | 100.00 |\n\
        | 2O10301 | 行政运行 | 200.00 | 200.00 | 0.00 |\n\
        | 201032 | 一般行政管理事务 | 100.00 | 0.00 | 100.00 |\n\
        | 2349901 | 某项新设支出 | 5.00 | 0.00 | 5.00 |\n";
    let d = process_bytes("bad", "bad.md", Path::new("bad.md"), md.as_bytes(), &opts).unwrap();
    let unknown: Vec<&str> = d
        .findings
        .iter()
        .filter(|f| f.class == "unknown_code")
        .filter_map(|f| f.subject_code.as_deref())
        .collect();
    assert_eq!(unknown, vec!["2O10301", "201032"]);
    let r = d
        .records
        .iter()
        .find(|r| r.subject_code.as_deref() == Some("2O10301"))
        .unwrap();
    assert!(r.flags.contains(&"unknown_code".to_string()));
    assert_eq!(r.subject_name, None);
    // A well-formed code no list has is named as printed, with no finding.
    let r = d
        .records
        .iter()
        .find(|r| r.subject_code.as_deref() == Some("2349901"))
        .unwrap();
    assert_eq!(r.subject_name.as_deref(), Some("某项新设支出"));
    assert_eq!(r.name_source.as_deref(), Some("document"));
    assert!(r.flags.is_empty(), "{:?}", r.flags);
}

#[test]
fn built_in_rows_read_from_the_real_pdfs_are_printed_there() {
    // Every row of data/ whose source is a bundled real PDF: the PDF prints that code
    // beside that name (reference data must be true, with its provenance).
    let opts = Options::default();
    let mut docs: std::collections::BTreeMap<String, budgetgrid::model::Document> =
        Default::default();
    let mut checked = 0;
    for f in ["functional", "economic_dept", "economic_gov"] {
        let mut rdr = csv::Reader::from_path(root().join(format!("data/{f}.csv"))).unwrap();
        let h = rdr.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|x| x == n).unwrap();
        let (ci, ni, si, confi) = (col("code"), col("name"), col("source"), col("confidence"));
        for rec in rdr.records() {
            let rec = rec.unwrap();
            if &rec[confi] != "printed-pdf" {
                continue;
            }
            let cited: Vec<&str> = rec[si]
                .split([' ', ',', '('])
                .filter(|w| w.starts_with("samples/real/") && w.ends_with(".pdf"))
                .collect();
            assert!(!cited.is_empty(), "{:?}", rec);
            for c in cited {
                let d = docs
                    .entry(c.to_string())
                    .or_insert_with(|| process_file(&root().join(c), &opts).unwrap());
                assert!(
                    d.printed_codes
                        .iter()
                        .any(|p| p.code == rec[ci] && key(&p.name) == key(&rec[ni])),
                    "{} {} not printed in {c}",
                    &rec[ci],
                    &rec[ni]
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 50, "{checked}");
}

#[test]
fn gbk_reference_with_chinese_headers_and_years() {
    let dir = tmp("gbk");
    let csv = "科目编码,科目名称,终止年度\n20406,司法,\n2040601,行政运行,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let p = dir.join("list.csv");
    std::fs::write(&p, &gbk).unwrap();
    let mut opts = Options::default();
    assert_eq!(opts.reference.load_file(&p).unwrap(), 2);
    let d = process_file(
        &root().join("samples/real/sh_putuo_sfj_2026_budget.pdf"),
        &opts,
    )
    .unwrap();
    let r = d
        .records
        .iter()
        .find(|r| r.subject_code.as_deref() == Some("2040601"))
        .unwrap();
    assert_eq!(r.subject_name.as_deref(), Some("行政运行"));
    assert_eq!(r.name_source.as_deref(), Some("reference"));
    std::fs::remove_dir_all(&dir).ok();
}
