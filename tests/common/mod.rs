//! Test helpers: a small JSON Schema checker for the keywords our schemas use, and a gold
//! scorer keyed like `scripts/score.py`.
#![allow(dead_code)]

use budgetgrid::model::Record;
use budgetgrid::{process_file, Options};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed(name: &str) -> PathBuf {
    sample("text", name)
}

/// The bundled sample in `samples/{kind}` whose file name starts with `name`.
pub fn sample(kind: &str, name: &str) -> PathBuf {
    let dir = root().join("samples").join(kind);
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap_or_else(|| panic!("no sample {name}"))
}

/// Check `v` against `schema` (type, enum, required, properties, additionalProperties:
/// false, items, pattern, minimum, maximum, minItems, maxItems, minLength, $ref).
pub fn check_schema(
    v: &Value,
    schema: &Value,
    defs_root: &Value,
    dir: &Path,
    path: &str,
    errs: &mut Vec<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(|r| r.as_str()) {
        if let Some(name) = r.strip_prefix("#/$defs/") {
            let s = &defs_root["$defs"][name];
            return check_schema(v, s, defs_root, dir, path, errs);
        }
        let other: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(r)).unwrap()).unwrap();
        return check_schema(v, &other, &other, dir, path, errs);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "null" => v.is_null(),
            "boolean" => v.is_boolean(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{path}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(|e| e.as_array()) {
        if !e.contains(v) {
            errs.push(format!("{path}: {v} not in enum"));
        }
    }
    if let (Some(p), Some(s)) = (schema.get("pattern").and_then(|p| p.as_str()), v.as_str()) {
        if !regex::Regex::new(p).unwrap().is_match(s) {
            errs.push(format!("{path}: {s:?} does not match {p}"));
        }
    }
    if let (Some(m), Some(n)) = (schema.get("minLength").and_then(|m| m.as_u64()), v.as_str()) {
        if (n.chars().count() as u64) < m {
            errs.push(format!("{path}: shorter than {m}"));
        }
    }
    if let Some(n) = v.as_f64() {
        if schema
            .get("minimum")
            .and_then(|m| m.as_f64())
            .is_some_and(|m| n < m)
            || schema
                .get("maximum")
                .and_then(|m| m.as_f64())
                .is_some_and(|m| n > m)
        {
            errs.push(format!("{path}: {n} out of range"));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema
            .get("required")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(r.as_str().unwrap()) {
                errs.push(format!("{path}: missing {r}"));
            }
        }
        let props = schema.get("properties").and_then(|p| p.as_object());
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check_schema(val, s, defs_root, dir, &format!("{path}.{k}"), errs),
                None => {
                    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
                        errs.push(format!("{path}: unexpected property {k}"));
                    }
                }
            }
        }
    }
    if let Some(a) = v.as_array() {
        if schema
            .get("minItems")
            .and_then(|m| m.as_u64())
            .is_some_and(|m| (a.len() as u64) < m)
            || schema
                .get("maxItems")
                .and_then(|m| m.as_u64())
                .is_some_and(|m| (a.len() as u64) > m)
        {
            errs.push(format!("{path}: wrong number of items"));
        }
        if let Some(items) = schema.get("items") {
            for (i, x) in a.iter().enumerate() {
                check_schema(x, items, defs_root, dir, &format!("{path}[{i}]"), errs);
            }
        }
    }
}

pub fn schema(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("schemas").join(name)).unwrap())
        .unwrap()
}

fn norm(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

type Key = (String, String, String, String);

/// Per table type: (gold facts, predicted keys, correct), over all gold documents; plus
/// metadata (correct, total). Same keys and matching as scripts/score.py.
pub struct Score {
    pub by_type: HashMap<String, (usize, usize, usize)>,
    pub meta: (usize, usize),
    /// (gold facts whose amount some record prints on the table's page, all gold facts).
    pub coverage: (usize, usize),
}

impl Score {
    pub fn coverage(&self) -> f64 {
        self.coverage.0 as f64 / self.coverage.1.max(1) as f64
    }
    pub fn totals(&self) -> (usize, usize, usize) {
        self.by_type
            .values()
            .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    }
    pub fn f1(&self) -> f64 {
        let (g, p, ok) = self.totals();
        let (r, pr) = (ok as f64 / g as f64, ok as f64 / p.max(1) as f64);
        2.0 * r * pr / (r + pr)
    }
    pub fn type_f1(&self, t: &str) -> f64 {
        let (g, p, ok) = self.by_type[t];
        let (r, pr) = (ok as f64 / g as f64, ok as f64 / p.max(1) as f64);
        if r + pr == 0.0 {
            0.0
        } else {
            2.0 * r * pr / (r + pr)
        }
    }
}

/// Score against the gold of the documents named in `only` (all gold documents when None):
/// the HTML and PDF editions exist for four of the five documents.
pub fn score_docs(records: &[Value], only: Option<&[String]>) -> Score {
    score_against(records, only, "tests/fixtures/gold")
}

/// Score against the gold files of `gold_dir` (relative to the project root), as
/// `scripts/score.py --coverage` does: records and facts whose measure is null are left out
/// of F1; coverage is the share of all gold facts whose amount some record prints on the
/// table's start page.
pub fn score_against(records: &[Value], only: Option<&[String]>, gold_dir: &str) -> Score {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let mut pred: HashMap<String, HashMap<String, HashMap<Key, HashSet<Decimal>>>> = HashMap::new();
    let mut meta: HashMap<String, HashMap<&str, HashSet<String>>> = HashMap::new();
    let s = |v: &Value| -> String {
        v.as_str().map(|x| x.to_string()).unwrap_or_else(|| {
            if v.is_null() {
                String::new()
            } else {
                v.to_string()
            }
        })
    };
    let mut printed: HashMap<String, HashMap<(String, Decimal), usize>> = HashMap::new();
    for r in records {
        let d = s(&r["doc_id"]);
        let amount = Decimal::from_str(&s(&r["amount"])).unwrap().normalize();
        let pool = printed.entry(d.clone()).or_default();
        *pool.entry((s(&r["page"]), amount)).or_default() += 1;
        *pool.entry((String::new(), amount)).or_default() += 1;
        if r["measure"].is_null() {
            continue;
        }
        let key = (
            s(&r["subject_scheme"]),
            norm(&s(&r["subject_code"])),
            norm(&s(&r["econ_gov_code"])),
            s(&r["measure"]),
        );
        pred.entry(d.clone())
            .or_default()
            .entry(s(&r["table_type"]))
            .or_default()
            .entry(key)
            .or_default()
            .insert(Decimal::from_str(&s(&r["amount"])).unwrap());
        for m in ["department", "fiscal_year", "doc_kind"] {
            if !r[m].is_null() {
                meta.entry(d.clone())
                    .or_default()
                    .entry(m)
                    .or_default()
                    .insert(norm(&s(&r[m])));
            }
        }
    }
    let mut by_type: HashMap<String, (usize, usize, usize)> = HashMap::new();
    let mut meta_ok = (0, 0);
    let mut coverage = (0, 0);
    let mut golds: Vec<PathBuf> = std::fs::read_dir(root().join(gold_dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    golds.sort();
    for gf in golds {
        let g: Value = serde_json::from_str(&std::fs::read_to_string(&gf).unwrap()).unwrap();
        let d = s(&g["doc"]);
        if only.is_some_and(|o| !o.contains(&d)) {
            continue;
        }
        for m in ["department", "fiscal_year", "doc_kind"] {
            meta_ok.1 += 1;
            let want: HashSet<String> = [norm(&s(&g[m]))].into_iter().collect();
            if meta.get(&d).and_then(|x| x.get(m)) == Some(&want) {
                meta_ok.0 += 1;
            }
        }
        let mut gold: HashMap<String, HashMap<Key, Decimal>> = HashMap::new();
        let mut pool = printed.get(&d).cloned().unwrap_or_default();
        for t in g["tables"].as_array().unwrap() {
            for f in t["facts"].as_array().unwrap() {
                let amount = Decimal::from_str(&s(&f["amount"])).unwrap().normalize();
                coverage.1 += 1;
                if let Some(n) = pool.get_mut(&(s(&t["page"]), amount)).filter(|n| **n > 0) {
                    *n -= 1;
                    coverage.0 += 1;
                }
                if f["measure"].is_null() {
                    continue;
                }
                let key = (
                    s(&f["scheme"]),
                    norm(&s(&f["code"])),
                    norm(&s(&f["econ_gov_code"])),
                    s(&f["measure"]),
                );
                gold.entry(s(&t["table_type"]))
                    .or_default()
                    .insert(key, Decimal::from_str(&s(&f["amount"])).unwrap());
            }
        }
        for (tt, facts) in gold {
            let mut got = pred
                .get(&d)
                .and_then(|p| p.get(&tt))
                .cloned()
                .unwrap_or_default();
            if facts.keys().any(|k| k.0 == "unit" && k.1.is_empty()) {
                let mut merged: HashMap<Key, HashSet<Decimal>> = HashMap::new();
                for (k, v) in got {
                    let k2 = if k.0 == "unit" {
                        ("unit".into(), String::new(), k.2, k.3)
                    } else {
                        k
                    };
                    merged.entry(k2).or_default().extend(v);
                }
                got = merged;
            }
            let ok = facts
                .iter()
                .filter(|(k, v)| got.get(*k).is_some_and(|s| s.len() == 1 && s.contains(*v)))
                .count();
            let e = by_type.entry(tt).or_default();
            e.0 += facts.len();
            e.1 += got.len();
            e.2 += ok;
        }
    }
    Score {
        by_type,
        meta: meta_ok,
        coverage,
    }
}

/// The one record of `table` with this subject code and measure.
pub fn one<'a>(recs: &'a [Record], table: &str, code: &str, measure: &str) -> &'a Record {
    let hits: Vec<&Record> = recs
        .iter()
        .filter(|r| {
            r.table_type.as_str() == table
                && r.subject_code.as_deref() == Some(code)
                && r.measure.as_deref() == Some(measure)
        })
        .collect();
    assert_eq!(hits.len(), 1, "{table} {code} {measure}: {hits:?}");
    hits[0]
}

/// Extract every bundled sample of one edition (`samples/{kind}`) and score it against the
/// gold of those documents; also returns the document ids.
pub fn score_samples(kind: &str) -> (Score, Vec<String>) {
    let mut all = Vec::new();
    let mut docs = Vec::new();
    for f in std::fs::read_dir(root().join("samples").join(kind)).unwrap() {
        let d = process_file(&f.unwrap().path(), &Options::default()).unwrap();
        docs.push(d.doc_id.clone());
        for r in d.records {
            all.push(serde_json::to_value(r).unwrap());
        }
    }
    (score_docs(&all, Some(&docs)), docs)
}

/// The issues' done criteria: metadata all right, overall F1 ≥ 0.99, and every table type
/// of the gold F1 ≥ 0.95.
pub fn assert_done_criteria(s: &Score) {
    assert_eq!(s.meta.0, s.meta.1, "metadata");
    assert!(s.f1() >= 0.99, "overall F1 {}", s.f1());
    for t in s.by_type.keys() {
        assert!(s.type_f1(t) >= 0.95, "{t}: F1 {}", s.type_f1(t));
    }
}
