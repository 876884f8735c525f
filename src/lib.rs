//! budgetgrid: Chinese government budget and final-account disclosures (部门预算/决算公开)
//! into normalised records.
//!
//! Pipeline: [`ingest`] (PDF, text, HTML → blocks) → [`grid::assemble`] (tables with titles,
//! units, continuations joined) → [`normalize`] (table types, measures, subjects, exact
//! amounts) → [`validate`] → [`export`].

pub mod batch;
pub mod budget;
pub mod classify;
pub mod codes;
pub mod export;
pub mod grid;
pub mod ingest;
pub mod inputs;
pub mod model;
pub mod normalize;
pub mod par;
pub mod reference;
pub mod select;
pub mod summary;
pub mod text;
pub mod validate;
pub mod vocab;

use model::{Document, ErrorRecord, Format};
use reference::Reference;
use std::path::Path;

/// Options for processing documents.
#[derive(Debug, Clone)]
pub struct Options {
    pub reference: Reference,
    /// Threads that read one PDF's pages (1: the calling thread alone). The output is the
    /// same whatever the number.
    pub page_threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reference: Reference::builtin(),
            page_threads: 1,
        }
    }
}

/// The document id: the file stem.
pub fn doc_id_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Document ids for the files of one batch, unique within it: the file stem; where
/// several files share a stem (`附件1.pdf` from two departments), the path relative to the
/// input root they were found under, without its extension (`部门A/附件1`); where that
/// still collides (the same relative path under two roots), that path plus `~` and eight
/// hex digits of a hash of the full path. `files` are (input root, file) pairs; a file
/// named on its own is its own root.
pub fn unique_doc_ids(files: &[(std::path::PathBuf, std::path::PathBuf)]) -> Vec<String> {
    use std::collections::BTreeMap;
    let stems: Vec<String> = files.iter().map(|(_, f)| doc_id_of(f)).collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &stems {
        *count.entry(s.as_str()).or_default() += 1;
    }
    let relative = |(root, f): &(std::path::PathBuf, std::path::PathBuf)| -> String {
        let rel = f.strip_prefix(root).unwrap_or(f);
        let rel = if rel.as_os_str().is_empty() {
            f.file_name().map(Path::new).unwrap_or(f)
        } else {
            rel
        };
        let rel = rel.with_extension("");
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut ids: Vec<String> = files
        .iter()
        .zip(&stems)
        .map(|(f, s)| {
            if count[s.as_str()] > 1 {
                relative(f)
            } else {
                s.clone()
            }
        })
        .collect();
    let mut again: BTreeMap<String, usize> = BTreeMap::new();
    for id in &ids {
        *again.entry(id.clone()).or_default() += 1;
    }
    for (id, (_, f)) in ids.iter_mut().zip(files) {
        if again[id.as_str()] > 1 {
            // FNV-1a: stable across runs and platforms.
            let mut h: u64 = 0xcbf29ce484222325;
            for b in f.to_string_lossy().bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
            }
            *id = format!("{id}~{:08x}", h as u32);
        }
    }
    ids
}

/// Process one file. Never panics: a failure of any stage is an [`ErrorRecord`].
pub fn process_file(path: &Path, opts: &Options) -> Result<Document, ErrorRecord> {
    process_file_as(path, &doc_id_of(path), opts)
}

/// [`process_file`] under a given document id (see [`unique_doc_ids`]).
pub fn process_file_as(path: &Path, doc_id: &str, opts: &Options) -> Result<Document, ErrorRecord> {
    process_file_in(path, doc_id, None, opts)
}

/// [`process_file_as`] in a given format (`None`: detected from the content, then the
/// file name).
pub fn process_file_in(
    path: &Path,
    doc_id: &str,
    format: Option<Format>,
    opts: &Options,
) -> Result<Document, ErrorRecord> {
    let doc_id = doc_id.to_string();
    let source = path.display().to_string();
    let read_err = |reason: String| ErrorRecord {
        doc_id: doc_id.clone(),
        source: source.clone(),
        stage: "read".into(),
        reason,
    };
    // Refuse a file too large for its format before reading it into memory: one open,
    // the size from its metadata, the format from its first 2 KiB, then the rest.
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| read_err(e.to_string()))?;
    let size = f.metadata().map_err(|e| read_err(e.to_string()))?.len();
    let mut bytes = Vec::new();
    (&mut f)
        .take(2048)
        .read_to_end(&mut bytes)
        .map_err(|e| read_err(e.to_string()))?;
    let format = format.unwrap_or_else(|| ingest::detect_format(path, &bytes));
    let limit = ingest::max_bytes(format);
    if size > limit {
        return Err(read_err(format!(
            "file too large: {size} bytes (limit for {} documents: {} MiB)",
            format.as_str(),
            limit >> 20
        )));
    }
    f.read_to_end(&mut bytes)
        .map_err(|e| read_err(e.to_string()))?;
    // Shared with the PDF reader, which would otherwise copy it.
    let bytes = ingest::Bytes::Shared(std::sync::Arc::new(bytes));
    process_in(&doc_id, &source, format, bytes, opts)
}

/// Process a document held in memory. `name_hint` gives the extension for format detection.
pub fn process_bytes(
    doc_id: &str,
    source: &str,
    name_hint: &Path,
    bytes: &[u8],
    opts: &Options,
) -> Result<Document, ErrorRecord> {
    let format = ingest::detect_format(name_hint, bytes);
    process_bytes_in(doc_id, source, format, bytes, opts)
}

/// [`process_bytes`] in a given format.
pub fn process_bytes_in(
    doc_id: &str,
    source: &str,
    format: Format,
    bytes: &[u8],
    opts: &Options,
) -> Result<Document, ErrorRecord> {
    process_in(doc_id, source, format, ingest::Bytes::Borrowed(bytes), opts)
}

fn process_in(
    doc_id: &str,
    source: &str,
    format: Format,
    bytes: ingest::Bytes<'_>,
    opts: &Options,
) -> Result<Document, ErrorRecord> {
    let err = |stage: &str, reason: String| ErrorRecord {
        doc_id: doc_id.to_string(),
        source: source.to_string(),
        stage: stage.to_string(),
        reason,
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(
        || -> Result<(Document, usize), ErrorRecord> {
            let blocks = ingest::ingest_bytes(format, &bytes, opts.page_threads)
                .map_err(|e| err("ingest", e.to_string()))?;
            let cells: usize = blocks
                .iter()
                .map(|b| match b {
                    grid::Block::Table(t) => t.grid.rows.iter().map(Vec::len).sum(),
                    _ => 0,
                })
                .sum();
            if cells > budget::DOC_CELLS {
                return Err(err(
                    "ingest",
                    format!(
                        "over budget: {cells} table cells (at most {} a document)",
                        budget::DOC_CELLS
                    ),
                ));
            }
            let lines = blocks
                .iter()
                .filter(|b| matches!(b, grid::Block::Line { text, .. } if !text.trim().is_empty()))
                .count();
            Ok((build_document(doc_id, source, format, blocks, opts), lines))
        },
    ));
    match result {
        Ok(r) => {
            let (doc, doc_lines) = r?;
            if doc.tables.is_empty() {
                let lines = doc_lines;
                let reason = if lines > 0 {
                    format!("no tables found: {lines} lines of text and no table (a narrative part of a disclosure?)")
                } else {
                    "no tables found: the document holds no text".to_string()
                };
                return Err(err("grid", reason));
            }
            // Tables that print money but yield no record: nothing was understood, which
            // must not pass for an empty document.
            let mut doc = doc;
            // Counted only when there is no record (a pass over every cell otherwise).
            let printed: usize = if doc.records.is_empty() {
                doc.tables
                    .iter()
                    .flat_map(|t| t.grid.rows.iter().flatten())
                    .filter(|c| text::looks_like_money(c))
                    .count()
            } else {
                0
            };
            if printed > 0 {
                // A failure of the document (an error record, exit status 1), but its tables
                // are kept for inspection (`budgetgrid tables`).
                doc.errors.push(err(
                    "normalize",
                    format!(
                        "{} tables printing {printed} amounts were found, but no record could be read from them",
                        doc.tables.len()
                    ),
                ));
            }
            Ok(doc)
        }
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(err(
                "internal",
                format!("internal error (please report): {msg}"),
            ))
        }
    }
}

/// Blocks → tables → records → findings.
pub fn build_document(
    doc_id: &str,
    source: &str,
    format: Format,
    blocks: Vec<grid::Block>,
    opts: &Options,
) -> Document {
    let lines: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            grid::Block::Line { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let errors: Vec<ErrorRecord> = blocks
        .iter()
        .filter_map(|b| match b {
            grid::Block::Warning(w) => Some(ErrorRecord {
                doc_id: doc_id.to_string(),
                source: source.to_string(),
                stage: "ingest".into(),
                reason: w.clone(),
            }),
            grid::Block::Notice(w) => Some(ErrorRecord {
                doc_id: doc_id.to_string(),
                source: source.to_string(),
                stage: model::WARNING_STAGE.into(),
                reason: w.clone(),
            }),
            _ => None,
        })
        .collect();
    let tables = grid::assemble(blocks);
    let titles: Vec<String> = tables.iter().filter_map(|t| t.title.clone()).collect();
    let depts = normalize::table_departments(&tables);
    let department = normalize::meta::department(&lines, &depts);
    let fiscal_year = normalize::meta::fiscal_year(&lines, &titles);
    let doc_kind = normalize::meta::doc_kind(&lines, &titles);
    let info = normalize::DocInfo {
        doc_id,
        source,
        format,
        department: department.clone(),
        fiscal_year,
        doc_kind,
    };
    let (tables, mut records, mut findings, printed_codes) =
        normalize::normalize_with_findings(tables, &info, &opts.reference, opts.page_threads);
    findings.extend(validate::validate(doc_id, &mut records, &opts.reference));
    Document {
        doc_id: doc_id.to_string(),
        source: source.to_string(),
        format,
        department,
        fiscal_year,
        doc_kind,
        tables,
        records,
        findings,
        printed_codes,
        errors,
    }
}
