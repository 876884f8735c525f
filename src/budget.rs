//! Budgets: the most work and memory one document may take. A document over a budget is
//! a clear error for that document alone (stage `ingest`, reason `over budget: …`); the
//! rest of a batch goes on. The limits are set far above what real disclosures need
//! (the bundled PDFs print 300 to 850 characters a page, so 5 million glyphs is some
//! 6,000 such pages) and far below what a hostile file can ask for.

/// Glyphs kept from one page.
pub const PAGE_GLYPHS: usize = 200_000;
/// Glyphs kept from one document (all pages).
pub const DOC_GLYPHS: usize = 5_000_000;
/// Drawing operations one page may send to the device (glyph runs, paths, images,
/// clips): Form XObjects that draw each other many times over stop here.
pub const PAGE_OPS: usize = 2_000_000;
/// Bytes one PDF may decode from its streams, all together (each stream stops at 256 MiB
/// on its own: `vendor/hayro-syntax`).
pub const DOC_DECODED: usize = 512 << 20;
/// Table cells of one document (all its grids).
pub const DOC_CELLS: usize = 3_000_000;
/// Significant digits of an amount (a `Decimal` holds 28; money printed in a budget
/// has at most 16 or so).
pub const AMOUNT_DIGITS: usize = 24;

/// Raised (by `std::panic::resume_unwind`, which skips the panic hook) from deep inside
/// an interpreter callback that cannot return an error, and caught where the document's
/// work is driven.
#[derive(Debug, Clone)]
pub struct Exceeded(pub String);

/// Leave the current computation because a budget is spent.
pub fn exceed(what: String) -> ! {
    std::panic::resume_unwind(Box::new(Exceeded(what)))
}

/// The budget message of a caught panic payload, if it was one.
pub fn exceeded_of(p: &(dyn std::any::Any + Send)) -> Option<String> {
    p.downcast_ref::<Exceeded>().map(|e| e.0.clone())
}
