//! Fuzz the whole pipeline (format detected from the bytes; ingest, grids, normalisation,
//! validation, export): a document may fail, but only with an error record of its own,
//! never an internal error (a panic the pipeline had to catch).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::LazyLock;

static OPTS: LazyLock<budgetgrid::Options> = LazyLock::new(budgetgrid::Options::default);

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    match budgetgrid::process_bytes("fuzz", "fuzz", Path::new("fuzz.txt"), data, &OPTS) {
        Ok(doc) => {
            let mut out = Vec::new();
            budgetgrid::export::write_jsonl_records(&mut out, &doc.records).unwrap();
            budgetgrid::export::write_document_json(&mut out, &doc, false).unwrap();
        }
        Err(e) => assert_ne!(e.stage, "internal", "{}", e.reason),
    }
});
