//! Fuzz the pdf ingest: bytes → blocks, never a panic out of it, an abort or a hang.
#![no_main]
use budgetgrid::model::Format;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    let _ = budgetgrid::ingest::ingest(Format::Pdf, data, 1);
});
