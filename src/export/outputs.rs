//! The files of an `extract` run, written as documents arrive (in input order), each under
//! a temporary name beside its final one and renamed when whole: an interrupted run leaves
//! whole files or none. No output may replace an input of the run.

use super::{
    csv_header, wide_name, write_csv_records, write_document_json, write_jsonl,
    write_jsonl_records, write_wide,
};
use crate::model::{Document, ErrorRecord};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Records as JSON Lines (and, in a folder, findings.jsonl).
    Jsonl,
    /// records.csv and one wide CSV per table under tables/ (a folder).
    Csv,
    /// One JSON document per input: a file per document in a folder, else one per line.
    Json,
    /// One SQLite database (a file, or `budgetgrid.sqlite` in a folder).
    Sqlite,
    /// One Excel workbook (a file, or `budgetgrid.xlsx` in a folder).
    Xlsx,
    /// The records as one Parquet file (a file, or `records.parquet` in a folder).
    Parquet,
}

impl Kind {
    /// Written as one file (a database, a workbook, a Parquet file), not a stream.
    pub fn one_file(self) -> bool {
        matches!(self, Kind::Sqlite | Kind::Xlsx | Kind::Parquet)
    }
}

/// Where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
}

/// A failure to write an output, with the file it concerns.
#[derive(Debug, thiserror::Error)]
#[error("writing {}: {source}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Temporary files not yet renamed, removed if the run is interrupted ([`remove_partial`]).
static PARTIAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Remove the temporary files of an interrupted run (called from a Ctrl-C handler).
pub fn remove_partial() {
    let list = PARTIAL.lock().unwrap_or_else(|e| e.into_inner());
    for p in list.iter() {
        let _ = std::fs::remove_file(p);
    }
}

/// The temporary name of an output beside `dest` (`.records.jsonl.part-PID`), registered
/// for removal if the run is interrupted.
fn partial_name(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dest.with_file_name(format!(".{name}.part-{}", std::process::id()));
    PARTIAL
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(tmp.clone());
    tmp
}

/// Write one whole file the way every output is written (a temporary name, then a
/// rename; a device written in place), refusing to replace any of `inputs`.
pub fn write_whole<T>(
    dest: &Path,
    inputs: &[PathBuf],
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> Result<T, OutputError> {
    let guard = Guard {
        inputs: inputs.iter().map(|p| canonical(p)).collect(),
    };
    let mut p = Part::create(dest, &guard)?;
    let r = f(&mut p.w).map_err(|e| p.err(e));
    match r {
        Ok(v) => {
            p.finish()?;
            Ok(v)
        }
        Err(e) => {
            if let Some(tmp) = &p.tmp {
                let _ = std::fs::remove_file(tmp);
            }
            Err(e)
        }
    }
}

/// A file being written under a temporary name.
struct Part {
    /// The temporary name; None when writing straight to `dest` (a device or FIFO such as
    /// /dev/null or /dev/stdout, which a rename would replace).
    tmp: Option<PathBuf>,
    dest: PathBuf,
    w: BufWriter<File>,
}

impl Part {
    fn create(dest: &Path, guard: &Guard) -> Result<Part, OutputError> {
        guard.check(dest)?;
        if std::fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            // Not a regular file (/dev/null, a FIFO): written to as it is, never replaced.
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(dest)
                .map_err(|source| OutputError {
                    path: dest.to_path_buf(),
                    source,
                })?;
            return Ok(Part {
                tmp: None,
                dest: dest.to_path_buf(),
                w: BufWriter::new(f),
            });
        }
        let tmp = partial_name(dest);
        let f = File::create(&tmp).map_err(|source| OutputError {
            path: tmp.clone(),
            source,
        })?;
        Ok(Part {
            tmp: Some(tmp),
            dest: dest.to_path_buf(),
            w: BufWriter::new(f),
        })
    }

    fn err(&self, source: std::io::Error) -> OutputError {
        OutputError {
            path: self.dest.clone(),
            source,
        }
    }

    /// Flush, sync and rename into place.
    fn finish(self) -> Result<(), OutputError> {
        let Part { tmp, dest, w } = self;
        let e = |source| OutputError {
            path: dest.clone(),
            source,
        };
        let f = w.into_inner().map_err(|x| e(x.into_error()))?;
        let Some(tmp) = tmp else {
            return Ok(()); // written in place (a device or FIFO)
        };
        f.sync_all().map_err(e)?;
        drop(f);
        std::fs::rename(&tmp, &dest).map_err(e)?;
        PARTIAL
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|p| p != &tmp);
        Ok(())
    }
}

/// The inputs of the run, which no output may replace.
struct Guard {
    inputs: BTreeSet<PathBuf>,
}

impl Guard {
    fn check(&self, dest: &Path) -> Result<(), OutputError> {
        if self.inputs.contains(&canonical(dest)) {
            return Err(OutputError {
                path: dest.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "this is an input of the run; refusing to overwrite it",
                ),
            });
        }
        Ok(())
    }
}

/// The canonical path of a file that may not exist yet (its folder's, plus its name).
pub fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            dir.canonicalize()
                .map(|d| d.join(name))
                .unwrap_or_else(|_| p.to_path_buf())
        }
        _ => p.to_path_buf(),
    }
}

enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    Part(Part),
}

impl Sink {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::Part(p) => &mut p.w,
        }
    }

    fn err(&self, source: std::io::Error) -> OutputError {
        match self {
            Sink::Stdout(_) => OutputError {
                path: PathBuf::from("<stdout>"),
                source,
            },
            Sink::Part(p) => p.err(source),
        }
    }

    fn finish(self) -> Result<(), OutputError> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(|source| OutputError {
                path: PathBuf::from("<stdout>"),
                source,
            }),
            Sink::Part(p) => p.finish(),
        }
    }
}

/// The outputs of one run.
pub struct Outputs {
    kind: Kind,
    folder: Option<PathBuf>,
    main: Option<Sink>,
    findings: Option<Sink>,
    csv: Option<Sink>,
    errors: Option<Sink>,
    guard: Guard,
    /// Per-document files written in this run: none is written twice.
    written: BTreeSet<PathBuf>,
    /// The column labels of each wide CSV written (for datapackage.json).
    labels: std::collections::BTreeMap<PathBuf, Vec<String>>,
    /// Start every CSV with a UTF-8 byte-order mark (Excel and WPS then read it as UTF-8).
    pub bom: bool,
    /// Has records.csv got its (BOM and) header row?
    csv_started: bool,
    sqlite: Option<super::sqlite::SqliteOut>,
    xlsx: Option<super::xlsx::XlsxOut>,
    parquet: Option<super::parquet::ParquetOut>,
}

/// CSV rows written by `f`, as bytes.
fn csv_bytes(
    f: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    f(&mut w).map_err(std::io::Error::other)?;
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// An output error from any writer's error (a database, a workbook, a Parquet file).
pub(super) fn output_error(path: &Path, e: impl std::fmt::Display) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn io_err(path: &Path, source: std::io::Error) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        source,
    }
}

impl Outputs {
    /// Open the outputs: `inputs` are the run's input files (refused as outputs),
    /// `errors` an extra error-record file (default in a folder: errors.jsonl).
    pub fn create(
        kind: Kind,
        target: &Target,
        errors: Option<&Path>,
        inputs: &[PathBuf],
    ) -> Result<Outputs, OutputError> {
        let guard = Guard {
            inputs: inputs.iter().map(|p| canonical(p)).collect(),
        };
        let mut folder = None;
        let (mut main, mut findings, mut csv) = (None, None, None);
        let mut csv_started = true;
        let (mut sqlite, mut xlsx, mut parquet) = (None, None, None);
        // The one-file formats: a database, a workbook, a Parquet file.
        let mut open_file = |dest: &Path| -> Result<(), OutputError> {
            guard.check(dest)?;
            if std::fs::metadata(dest).is_ok_and(|m| !m.is_file()) {
                return Err(output_error(
                    dest,
                    "not a regular file: this format writes a file",
                ));
            }
            match kind {
                Kind::Sqlite => {
                    sqlite = Some(super::sqlite::SqliteOut::create(dest, partial_name(dest))?)
                }
                Kind::Xlsx => xlsx = Some(super::xlsx::XlsxOut::create(dest, partial_name(dest))?),
                Kind::Parquet => {
                    parquet = Some(super::parquet::ParquetOut::create(
                        dest,
                        partial_name(dest),
                    )?)
                }
                _ => {}
            }
            Ok(())
        };
        match target {
            Target::Stdout => {
                if matches!(kind, Kind::Csv | Kind::Sqlite | Kind::Xlsx | Kind::Parquet) {
                    return Err(io_err(
                        Path::new("<stdout>"),
                        std::io::Error::other(
                            "--format csv needs --output FOLDER; sqlite, xlsx and parquet need --output FILE (or FOLDER)",
                        ),
                    ));
                }
                main = Some(Sink::Stdout(BufWriter::new(std::io::stdout())));
            }
            Target::File(f) => {
                if let Some(parent) = f.parent().filter(|x| !x.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
                }
                if kind.one_file() {
                    open_file(f)?;
                } else {
                    main = Some(Sink::Part(Part::create(f, &guard)?));
                }
            }
            Target::Folder(d) => {
                std::fs::create_dir_all(d).map_err(|e| io_err(d, e))?;
                match kind {
                    Kind::Jsonl => {
                        main = Some(Sink::Part(Part::create(&d.join("records.jsonl"), &guard)?));
                        findings =
                            Some(Sink::Part(Part::create(&d.join("findings.jsonl"), &guard)?));
                    }
                    Kind::Csv => {
                        let tdir = d.join("tables");
                        std::fs::create_dir_all(&tdir).map_err(|e| io_err(&tdir, e))?;
                        csv = Some(Sink::Part(Part::create(&d.join("records.csv"), &guard)?));
                        csv_started = false;
                    }
                    Kind::Json => {}
                    Kind::Sqlite => open_file(&d.join("budgetgrid.sqlite"))?,
                    Kind::Xlsx => open_file(&d.join("budgetgrid.xlsx"))?,
                    Kind::Parquet => open_file(&d.join("records.parquet"))?,
                }
                folder = Some(d.clone());
            }
        }
        let errors_path = errors
            .map(Path::to_path_buf)
            .or_else(|| folder.as_ref().map(|d| d.join("errors.jsonl")));
        let errors = match errors_path {
            Some(p) => {
                if let Some(parent) = p.parent().filter(|x| !x.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
                }
                Some(Sink::Part(Part::create(&p, &guard)?))
            }
            None => None,
        };
        Ok(Outputs {
            kind,
            folder,
            main,
            findings,
            csv,
            errors,
            guard,
            written: BTreeSet::new(),
            labels: Default::default(),
            bom: false,
            csv_started,
            sqlite,
            xlsx,
            parquet,
        })
    }

    /// A per-document file name in `dir`, safe for any document id (no path separators
    /// or control characters), never one this run has written already (`-2`, `-3`, … are
    /// added before the extension).
    fn fresh(&mut self, dir: &Path, name: &str) -> PathBuf {
        let safe: String = name
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let (stem, ext) = match safe.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), format!(".{e}")),
            None => (safe.clone(), String::new()),
        };
        let mut p = dir.join(&safe);
        let mut n = 2;
        while self.written.contains(&p) {
            p = dir.join(format!("{stem}-{n}{ext}"));
            n += 1;
        }
        self.written.insert(p.clone());
        p
    }

    /// Write one document's records, findings, tables.
    pub fn document(&mut self, d: &Document) -> Result<(), OutputError> {
        for e in &d.errors {
            self.error_file(e)?;
        }
        match self.kind {
            Kind::Sqlite => {
                if let Some(db) = self.sqlite.as_mut() {
                    db.document(d)?;
                }
            }
            Kind::Xlsx => {
                if let Some(x) = self.xlsx.as_mut() {
                    x.document(d)?;
                }
            }
            Kind::Parquet => {
                if let Some(p) = self.parquet.as_mut() {
                    p.document(d)?;
                }
            }
            Kind::Jsonl => {
                if let Some(s) = self.main.as_mut() {
                    write_jsonl_records(s.writer(), &d.records).map_err(|e| s.err(e))?;
                }
                if let Some(s) = self.findings.as_mut() {
                    write_jsonl(s.writer(), &d.findings).map_err(|e| s.err(e))?;
                }
            }
            Kind::Csv => {
                self.start_csv()?;
                if let Some(s) = self.csv.as_mut() {
                    let buf =
                        csv_bytes(|w| write_csv_records(w, &d.records)).map_err(|e| s.err(e))?;
                    s.writer().write_all(&buf).map_err(|e| s.err(e))?;
                }
                if let Some(dir) = self.folder.clone() {
                    let tdir = dir.join("tables");
                    for t in &d.tables {
                        let dest = self.fresh(&tdir, &wide_name(&d.doc_id, t));
                        self.labels.insert(dest.clone(), super::wide_header(t));
                        let mut p = Part::create(&dest, &self.guard)?;
                        if self.bom {
                            p.w.write_all(BOM).map_err(|e| p.err(e))?;
                        }
                        write_wide(&mut p.w, t).map_err(|e| p.err(e.into()))?;
                        p.finish()?;
                    }
                }
            }
            Kind::Json => match (self.folder.clone(), self.main.as_mut()) {
                (Some(dir), _) => {
                    let dest = self.fresh(&dir, &format!("{}.json", d.doc_id));
                    let mut p = Part::create(&dest, &self.guard)?;
                    write_document_json(&mut p.w, d).map_err(|e| p.err(e))?;
                    p.finish()?;
                }
                (None, Some(s)) => {
                    let w = s.writer();
                    write_document_json(w, d).map_err(|e| s.err(e))?;
                }
                (None, None) => {}
            },
        }
        Ok(())
    }

    /// The BOM (if asked for) and the header row of records.csv, once.
    fn start_csv(&mut self) -> Result<(), OutputError> {
        if self.csv_started {
            return Ok(());
        }
        self.csv_started = true;
        let bom = self.bom;
        if let Some(s) = self.csv.as_mut() {
            let mut buf = if bom { BOM.to_vec() } else { Vec::new() };
            buf.extend(csv_bytes(csv_header).map_err(|e| s.err(e))?);
            s.writer().write_all(&buf).map_err(|e| s.err(e))?;
        }
        Ok(())
    }

    /// Write an error record (a document that failed, or a part of one).
    pub fn error(&mut self, e: &ErrorRecord) -> Result<(), OutputError> {
        if let Some(db) = self.sqlite.as_mut() {
            db.error(e)?;
        }
        self.error_file(e)
    }

    /// An error record into the errors file only.
    fn error_file(&mut self, e: &ErrorRecord) -> Result<(), OutputError> {
        if let Some(s) = self.errors.as_mut() {
            write_jsonl(s.writer(), std::slice::from_ref(e)).map_err(|x| s.err(x))?;
        }
        Ok(())
    }

    /// Flush everything and move each file into place; then remove what a previous run
    /// left in the folder that this run did not write (wide CSVs in `tables/`, document
    /// JSONs), so that the folder holds this run's outputs only.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.start_csv()?;
        let mut one_file = None;
        if let Some(db) = self.sqlite.take() {
            one_file = Some(db.dest().to_path_buf());
            db.finish()?;
        }
        if let Some(x) = self.xlsx.take() {
            one_file = Some(x.dest().to_path_buf());
            x.finish()?;
        }
        if let Some(p) = self.parquet.take() {
            one_file = Some(p.dest().to_path_buf());
            p.finish()?;
        }
        if let Some(dir) = &self.folder {
            let stale = |d: &Path, ext: &str, ours: &dyn Fn(&Path) -> bool| {
                let Ok(rd) = std::fs::read_dir(d) else { return };
                for e in rd.flatten() {
                    let p = e.path();
                    let hidden = p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                    if !hidden
                        && p.extension().is_some_and(|x| x == ext)
                        && !self.written.contains(&p)
                        && ours(&p)
                    {
                        let _ = std::fs::remove_file(&p);
                    }
                }
            };
            match self.kind {
                Kind::Csv => stale(&dir.join("tables"), "csv", &|_| true),
                // Only files that are budgetgrid document JSONs.
                Kind::Json => stale(dir, "json", &|p| {
                    // Compact (this release) or indented (earlier ones).
                    let mut head = [0u8; 14];
                    File::open(p)
                        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                        .is_ok()
                        && (head.starts_with(b"{\"doc_id\":\"") || head == *b"{\n  \"doc_id\": ")
                }),
                Kind::Jsonl | Kind::Sqlite | Kind::Xlsx | Kind::Parquet => {}
            }
        }
        let mut files: Vec<PathBuf> = Vec::new();
        for s in [self.main, self.findings, self.csv, self.errors]
            .into_iter()
            .flatten()
        {
            if let Sink::Part(p) = &s {
                files.push(p.dest.clone());
            }
            s.finish()?;
        }
        // A folder output describes its files in a Frictionless datapackage.json.
        if let Some(dir) = &self.folder {
            files.extend(self.written.iter().cloned());
            files.extend(one_file);
            let rel: Vec<(String, Option<Vec<String>>)> = files
                .iter()
                .filter_map(|f| Some((f.strip_prefix(dir).ok()?, self.labels.get(f).cloned())))
                .map(|(f, labels)| {
                    let path = f
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    (path, labels)
                })
                .collect();
            let d = super::datapackage::descriptor(&rel);
            let mut p = Part::create(&dir.join("datapackage.json"), &self.guard)?;
            serde_json::to_writer_pretty(&mut p.w, &d).map_err(|e| p.err(e.into()))?;
            p.w.write_all(b"\n").map_err(|e| p.err(e))?;
            p.finish()?;
        }
        Ok(())
    }
}
