//! The README's quick start runs as printed: its `budgetgrid extract` command on the
//! bundled samples, then its pandas lines, which must answer the question it asks
//! (三公经费 by department and year) with the amounts the documents print.
//!
//! Needs python3 with pandas; when they are missing the test says so and checks the same
//! answer from records.csv in Rust, unless BUDGETGRID_REQUIRE_PANDAS is set (CI sets it
//! and installs pandas), when a missing pandas is a failure.

mod common;

use std::process::Command;

/// The quick-start code block: the first fenced block after the line naming 三公经费.
fn quick_start() -> (String, String) {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let at = readme.find("三公经费").expect("the quick start question");
    let rest = &readme[at..];
    let start = rest.find("```\n").unwrap() + 4;
    let block = &rest[start..start + rest[start..].find("```").unwrap()];
    let (cmd, py) = block.split_once('\n').unwrap();
    let py = py
        .trim()
        .strip_prefix("python3 -c \"")
        .and_then(|p| p.strip_suffix('"'))
        .expect("a python3 -c \"…\" snippet");
    (cmd.trim().to_string(), py.to_string())
}

fn has_pandas() -> bool {
    Command::new("python3")
        .args(["-c", "import pandas"])
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn quick_start_answers_its_question() {
    let (cmd, py) = quick_start();
    let dir = std::env::temp_dir().join(format!("bg-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(common::root().join("samples"), dir.join("samples")).unwrap();
    let mut words = cmd.split_whitespace();
    assert_eq!(words.next(), Some("budgetgrid"));
    let st = Command::new(env!("CARGO_BIN_EXE_budgetgrid"))
        .args(words)
        .arg("-q")
        .current_dir(&dir)
        .status()
        .unwrap();
    // samples/real holds a narrative-only PDF, reported as failed (exit 1).
    assert!(matches!(st.code(), Some(0 | 1)), "{st:?}");
    // The answer, read from records.csv: the 三公 totals of two departments.
    let mut rd = csv::Reader::from_path(dir.join("out/records.csv")).unwrap();
    let head = rd.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (tt, key, m, tot, wan) = (
        col("table_type"),
        col("department_key"),
        col("measure"),
        col("is_total"),
        col("amount_wan"),
    );
    let answer = |dept: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r[tt] == *"three_public" && r[key] == *dept && r[tot] == *"true")
            .filter(|r| r[m] == *"total")
            .map(|r| &r[wan])
            .collect()
    };
    assert_eq!(answer("洛龙区政务服务中心").first().copied(), Some("1.50"));
    assert_eq!(
        answer("中共江苏省委办公厅").first().copied(),
        Some("508.20")
    );
    if !has_pandas() {
        assert!(
            std::env::var_os("BUDGETGRID_REQUIRE_PANDAS").is_none(),
            "pandas is required (BUDGETGRID_REQUIRE_PANDAS) but python3 cannot import it"
        );
        eprintln!("python3 with pandas not found: the README's pandas lines were not run");
        return;
    }
    let out = Command::new("python3")
        .args(["-c", &py])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |dept: &str| text.lines().find(|l| l.contains(dept)).map(str::to_string);
    assert!(
        line("洛龙区政务服务中心").is_some_and(|l| l.ends_with("1.50")),
        "{text}"
    );
    assert!(
        line("中共江苏省委办公厅").is_some_and(|l| l.ends_with("508.20")),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
