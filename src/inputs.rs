//! The documents of a run: which files are read, and their document ids. Notes about
//! what is skipped go to stderr.

use crate::model::ErrorRecord;
use std::path::{Path, PathBuf};

/// The documents of a run: files named on the command line, folders walked recursively
/// (sorted, hidden files skipped). Only regular files are documents: a FIFO or a device
/// is skipped with a note (opening a FIFO would block the batch). A folder reached twice
/// (a symlink loop) is walked once, a file reached twice is read once. A path that does
/// not exist is an error record of its own.
pub struct Inputs {
    pub files: Vec<PathBuf>,
    /// Each file's document id, unique in the run (`crate::unique_doc_ids`).
    pub ids: Vec<String>,
    pub missing: Vec<ErrorRecord>,
}

pub fn collect_inputs(inputs: &[PathBuf]) -> Inputs {
    let mut c = Collect::default();
    for p in inputs {
        c.root = p.clone();
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => c.walk(p),
            Ok(m) => c.file(p, &m, true),
            Err(e) => c.missing.push(ErrorRecord {
                doc_id: crate::doc_id_of(p),
                source: p.display().to_string(),
                stage: "read".into(),
                reason: e.to_string(),
            }),
        }
    }
    let ids = crate::unique_doc_ids(&c.rooted);
    Inputs {
        files: c.files,
        ids,
        missing: c.missing,
    }
}

#[derive(Default)]
struct Collect {
    /// The command-line input being walked.
    root: PathBuf,
    files: Vec<PathBuf>,
    /// (input root, file) of each file.
    rooted: Vec<(PathBuf, PathBuf)>,
    missing: Vec<ErrorRecord>,
    seen_dirs: std::collections::BTreeSet<PathBuf>,
    seen_files: std::collections::BTreeSet<PathBuf>,
}

impl Collect {
    fn file(&mut self, p: &Path, m: &std::fs::Metadata, named: bool) {
        use std::os::unix::fs::FileTypeExt;
        let ft = m.file_type();
        if !ft.is_file() {
            let what = if ft.is_fifo() {
                "a FIFO"
            } else if ft.is_char_device() || ft.is_block_device() {
                "a device"
            } else if ft.is_socket() {
                "a socket"
            } else {
                "not a regular file"
            };
            eprintln!(
                "note: {}: skipped ({what}, not a document file)",
                p.display()
            );
            return;
        }
        let key = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        if !self.seen_files.insert(key) {
            if named {
                eprintln!("note: {}: named twice, read once", p.display());
            }
            return;
        }
        self.files.push(p.to_path_buf());
        self.rooted.push((self.root.clone(), p.to_path_buf()));
    }

    fn walk(&mut self, dir: &Path) {
        let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if !self.seen_dirs.insert(key) {
            return; // a symlink back to a folder already walked
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.missing.push(ErrorRecord {
                    doc_id: crate::doc_id_of(dir),
                    source: dir.display().to_string(),
                    stage: "read".into(),
                    reason: format!("cannot list the folder: {e}"),
                });
                return;
            }
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            // Follows symlinks; a dangling link is skipped.
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => self.walk(&p),
                Ok(_) if not_a_document(&p) => {
                    eprintln!("note: {}: skipped (not a document format)", p.display());
                }
                Ok(m) => self.file(&p, &m, false),
                Err(_) => eprintln!("note: {}: skipped (cannot be read)", p.display()),
            }
        }
    }
}

/// A file found in a folder whose extension says it is no disclosure (data, images,
/// archives, office files, code): not tried as a document. Files named on the command
/// line are always tried, and so are files without an extension (portal downloads).
pub fn not_a_document(p: &Path) -> bool {
    const SKIP: &[&str] = &[
        "json", "jsonl", "csv", "xlsx", "xls", "ods", "doc", "docx", "wps", "et", "zip", "rar",
        "7z", "gz", "tar", "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "svg", "js",
        "css", "xml", "py", "rs", "sh", "exe", "dll", "so", "parquet", "sqlite", "db",
    ];
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SKIP.contains(&e.to_ascii_lowercase().as_str()))
}
