//! The command line: batch behaviour, exit status, output files.

mod common;

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_budgetgrid"))
}

#[test]
fn batch_goes_on_past_a_bad_document_and_exits_1() {
    let tmp = std::env::temp_dir().join(format!("bg_cli_{}", std::process::id()));
    let input = tmp.join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::copy(common::seed("004_"), input.join("sub/004.txt")).unwrap();
    std::fs::write(input.join("broken.txt"), [0u8, 0, 0, 255, 254]).unwrap();
    let out = tmp.join("out");
    let st = bin()
        .args([
            "extract",
            input.to_str().unwrap(),
            "--format",
            "jsonl",
            "--output",
        ])
        .arg(format!("{}/", out.display()))
        .arg("--quiet")
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(1));
    let recs = std::fs::read_to_string(out.join("records.jsonl")).unwrap();
    assert!(recs.lines().count() > 200);
    assert!(recs.contains("\"subject_code\":\"30231\""));
    let errs = std::fs::read_to_string(out.join("errors.jsonl")).unwrap();
    assert_eq!(errs.lines().count(), 1);
    assert!(errs.contains("broken.txt") && errs.contains("\"stage\":\"ingest\""));
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn csv_output_has_tidy_and_wide_files() {
    let tmp = std::env::temp_dir().join(format!("bg_csv_{}", std::process::id()));
    let st = bin()
        .args([
            "extract",
            common::seed("003_").to_str().unwrap(),
            "--format",
            "csv",
            "--quiet",
            "--output",
            tmp.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let tidy = std::fs::read_to_string(tmp.join("records.csv")).unwrap();
    assert!(tidy
        .starts_with("doc_id,source,format,department,fiscal_year,doc_kind,table_no,table_type"));
    assert!(tidy
        .lines()
        .any(|l| l.contains(",2010301,") && l.contains(",401.87,")));
    let wide: Vec<_> = std::fs::read_dir(tmp.join("tables")).unwrap().collect();
    assert!(wide.len() >= 9);
    // datapackage.json describes every file written, the records typed (codes as text).
    let dp: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.join("datapackage.json")).unwrap()).unwrap();
    let res = dp["resources"].as_array().unwrap();
    assert_eq!(
        res.len(),
        wide.len() + 2,
        "records.csv, errors.jsonl and each table"
    );
    for r in res {
        assert!(tmp.join(r["path"].as_str().unwrap()).exists(), "{r}");
    }
    let fields: Vec<&str> = res[0]["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields.join(","), tidy.lines().next().unwrap());
    let code = res[0]["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "subject_code")
        .unwrap();
    assert_eq!(code["type"], "string");
    // --bom: the same files, each CSV after a UTF-8 byte-order mark (Excel, WPS).
    let bom = std::env::temp_dir().join(format!("bg-bom-{}", std::process::id()));
    let st = bin()
        .args(["extract", "-q", "--bom", "--format", "csv", "-o"])
        .arg(&bom)
        .arg(common::seed("003_"))
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let with = std::fs::read(bom.join("records.csv")).unwrap();
    assert_eq!(&with[..3], b"\xef\xbb\xbf");
    assert_eq!(&with[3..], tidy.as_bytes());
    for e in std::fs::read_dir(bom.join("tables")).unwrap() {
        assert!(std::fs::read(e.unwrap().path())
            .unwrap()
            .starts_with(b"\xef\xbb\xbf"));
    }
    std::fs::remove_dir_all(&bom).ok();
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn usage_errors_exit_2_and_stdout_json() {
    assert_eq!(
        bin()
            .args(["extract", "--format", "xml", "x"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    // A path that does not exist is an error record of its own (exit 1), not a usage error
    // that would stop the rest of the batch.
    let missing = bin()
        .args(["extract", "/no/such/file", "-q"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/file: read:"));
    let out = bin()
        .args([
            "extract",
            common::seed("002_").to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["department"], "深圳市盐田区政务服务数据管理局（本级）");
    assert_eq!(v["fiscal_year"], 2022);
    let t = bin()
        .args(["tables", common::seed("001_").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&t.stdout).contains("[three_public]"));
}

#[test]
fn same_file_names_get_unique_ids_and_no_output_is_overwritten() {
    // Two downloads named 附件1 from two departments, the usual case on portals.
    let root = std::env::temp_dir().join(format!("bg-dup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let (a, b) = (root.join("in/部门A"), root.join("in/部门B"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(common::seed("000_"), a.join("附件1.txt")).unwrap();
    std::fs::copy(common::seed("003_"), b.join("附件1.txt")).unwrap();
    let out = root.join("out");
    let st = bin()
        .args(["extract", "-q", "--format", "csv", "-o"])
        .arg(&out)
        .arg(root.join("in"))
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let tidy = std::fs::read_to_string(out.join("records.csv")).unwrap();
    let ids: std::collections::BTreeSet<&str> = tidy
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        vec!["部门A/附件1", "部门B/附件1"]
    );
    let tables: Vec<String> = std::fs::read_dir(out.join("tables"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let (na, nb) = (
        tables
            .iter()
            .filter(|t| t.starts_with("部门A_附件1__"))
            .count(),
        tables
            .iter()
            .filter(|t| t.starts_with("部门B_附件1__"))
            .count(),
    );
    assert!(na >= 9 && nb >= 9, "{tables:?}");
    // A rerun replaces the folder's previous wide CSVs.
    let st = bin()
        .args(["extract", "-q", "--format", "csv", "-o"])
        .arg(&out)
        .arg(&a)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let left = std::fs::read_dir(out.join("tables")).unwrap().count();
    assert_eq!(left, na);
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn sqlite_output_reads_back_as_the_jsonl_records() {
    let dir = std::env::temp_dir().join(format!("bg-sqlite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (db, jl) = (dir.join("out.sqlite"), dir.join("r.jsonl"));
    for (fmt, out) in [("sqlite", &db), ("jsonl", &jl)] {
        let st = bin()
            .args(["extract", "-q", "--format", fmt, "-o"])
            .arg(out)
            .arg(common::seed("003_"))
            .arg(common::seed("001_"))
            .status()
            .unwrap();
        assert_eq!(st.code(), Some(0), "{fmt}");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut st = conn
        .prepare(
            "SELECT doc_id, table_no, cell_row, cell_col, subject_code, measure, amount, \
             amount_wan, is_total FROM records ORDER BY rowid",
        )
        .unwrap();
    let rows: Vec<serde_json::Value> = st
        .query_map([], |r| {
            Ok(serde_json::json!({
                "doc_id": r.get::<_, String>(0)?,
                "table_no": r.get::<_, i64>(1)?,
                "cell": [r.get::<_, i64>(2)?, r.get::<_, i64>(3)?],
                "subject_code": r.get::<_, Option<String>>(4)?,
                "measure": r.get::<_, Option<String>>(5)?,
                "amount": r.get::<_, String>(6)?,
                "amount_wan": r.get::<_, Option<String>>(7)?,
                "is_total": r.get::<_, bool>(8)?,
            }))
        })
        .unwrap()
        .map(|x| x.unwrap())
        .collect();
    let jsonl: Vec<serde_json::Value> = std::fs::read_to_string(&jl)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            serde_json::json!({
                "doc_id": v["doc_id"], "table_no": v["table_no"], "cell": v["cell"],
                "subject_code": v["subject_code"], "measure": v["measure"],
                "amount": v["amount"], "amount_wan": v["amount_wan"], "is_total": v["is_total"],
            })
        })
        .collect();
    assert!(jsonl.len() > 900);
    assert_eq!(rows, jsonl);
    // Codes stay text, with their leading zeros; a known value.
    let (code, amount): (String, String) = conn
        .query_row(
            "SELECT typeof(subject_code), amount FROM records WHERE doc_id LIKE '003%' \
             AND table_type = 'expenditure' AND subject_code = '2010301' AND measure = 'total'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((code.as_str(), amount.as_str()), ("text", "401.87"));
    let docs: i64 = conn
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(docs, 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tables_and_pages_select_what_is_written() {
    let tmp = std::env::temp_dir().join(format!("bg_cli_select_{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let pdf = common::sample("pdf", "004_");
    let run = |extra: &[&str], name: &str| -> Vec<serde_json::Value> {
        let out = tmp.join(name);
        let st = bin()
            .arg("extract")
            .arg(&pdf)
            .args(extra)
            .args(["--quiet", "--output"])
            .arg(&out)
            .status()
            .unwrap();
        assert_eq!(st.code(), Some(0), "{extra:?}");
        std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let types = |recs: &[serde_json::Value]| {
        let mut t: Vec<String> = recs
            .iter()
            .map(|r| r["table_type"].as_str().unwrap().to_string())
            .collect();
        t.dedup();
        t
    };
    // 三公 and the summary only: the 三公 vehicle operation 1.50 is there, nothing else.
    let recs = run(&["--tables", "three_public,summary"], "t.jsonl");
    assert_eq!(types(&recs), ["summary", "three_public"]);
    assert!(recs.iter().any(|r| r["table_type"] == "three_public"
        && r["measure"] == "vehicle_operation"
        && r["amount"] == "1.50"));
    // Pages 8-9: the income and expenditure tables of page 8 and the 财政拨款收支表 of
    // page 9; the summary (pages 6-7) is left out.
    let recs = run(&["--pages", "8-9"], "p.jsonl");
    assert_eq!(types(&recs), ["income", "expenditure", "fiscal_summary"]);
    assert!(recs
        .iter()
        .all(|r| matches!(r["page"].as_u64(), Some(8 | 9))));
    // A type that does not exist is a usage error naming the valid ones.
    let o = bin()
        .arg("extract")
        .arg(&pdf)
        .args(["--tables", "summery", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("three_public"));
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn json_is_one_compact_document_per_line_everywhere() {
    let dir = std::env::temp_dir().join(format!("bg-json-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (file, folder) = (dir.join("docs.jsonl"), dir.join("docs/"));
    for out in [&file, &folder] {
        let st = bin()
            .args(["extract", "-q", "--format", "json", "-o"])
            .arg(out)
            .arg(common::seed("003_"))
            .arg(common::seed("001_"))
            .status()
            .unwrap();
        assert_eq!(st.code(), Some(0));
    }
    let lines = |p: &std::path::Path| -> Vec<serde_json::Value> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let docs = lines(&file);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["doc_id"], "003_d562ab1928bcbca0");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.ends_with("datapackage.json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 2);
    for (f, want) in files
        .iter()
        .zip(["001_ce97c528681cbbae", "003_d562ab1928bcbca0"])
    {
        let one = lines(f);
        assert_eq!(one.len(), 1, "{f:?}");
        assert_eq!(one[0]["doc_id"], want);
        assert!(one[0]["records"].as_array().unwrap().len() > 100);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
