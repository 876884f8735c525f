//! Command-line interface over the `budgetgrid` library.

use anyhow::{bail, Context, Result};
use budgetgrid::export;
use budgetgrid::model::{Document, ErrorRecord};
use budgetgrid::{process_file, Options};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "budgetgrid",
    version,
    about = "Chinese budget and final-account disclosures (部门预算/决算公开) into normalised datasets"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum OutFormat {
    /// One record per line (JSON Lines)
    Jsonl,
    /// Tidy CSV of records plus one wide CSV per table (needs a folder as --output)
    Csv,
    /// One JSON document per input (metadata, tables with grids, records, findings)
    Json,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract records from documents (files or folders, walked recursively)
    Extract {
        inputs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: OutFormat,
        /// Output file, folder, or `-` for stdout (the default)
        #[arg(long, short)]
        output: Option<String>,
        /// Also write error records (JSON Lines) to this file
        #[arg(long)]
        errors: Option<PathBuf>,
        /// Reference code list (CSV with code,name[,scheme,source]) added to the built-in lists
        #[arg(long)]
        reference: Vec<PathBuf>,
        /// No progress bar and no summary line
        #[arg(long, short)]
        quiet: bool,
        /// Worker threads (default: all cores)
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// Show the table grids found in a document, for inspection
    Tables {
        input: PathBuf,
        /// Show how each column was read
        #[arg(long)]
        columns: bool,
    },
    /// Check each document's own arithmetic: print every finding and a verdict per
    /// document; exit status 1 when any finding is a `mismatch`
    Check {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output format: text or json (one finding per line, then one verdict per document)
        #[arg(long, default_value = "text")]
        format: String,
        /// Extra code list (CSV), as for extract (repeatable)
        #[arg(long)]
        reference: Vec<PathBuf>,
    },
    /// Print a PDF's page text in reading order, laid out by position (pages separated by
    /// form feeds), like `pdftotext -layout`
    Text { input: PathBuf },
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let code = match run(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("budgetgrid: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> Result<i32> {
    match cli.cmd {
        Cmd::Extract {
            inputs,
            format,
            output,
            errors,
            reference,
            quiet,
            jobs,
        } => extract(inputs, format, output, errors, reference, quiet, jobs),
        Cmd::Tables { input, columns } => tables(&input, columns),
        Cmd::Text { input } => text(&input),
        Cmd::Check {
            inputs,
            format,
            reference,
        } => check(&inputs, &format, &reference),
    }
}

/// Files named on the command line, folders walked recursively (sorted, hidden files skipped).
fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            bail!("{}: no such file or folder", p.display());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

fn extract(
    inputs: Vec<PathBuf>,
    format: OutFormat,
    output: Option<String>,
    errors_path: Option<PathBuf>,
    reference: Vec<PathBuf>,
    quiet: bool,
    jobs: Option<usize>,
) -> Result<i32> {
    if inputs.is_empty() {
        bail!("no input files (usage: budgetgrid extract FILE|DIR… [--format jsonl|csv|json] [--output PATH])");
    }
    let files = collect_inputs(&inputs)?;
    let opts = options_with(&reference)?;
    if let Some(j) = jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build_global()
            .ok();
    }
    let out_dir = match output.as_deref() {
        Some("-") | None => None,
        Some(o) => {
            let p = PathBuf::from(o);
            let is_dir = p.is_dir() || o.ends_with('/') || (format == OutFormat::Csv);
            if is_dir {
                std::fs::create_dir_all(&p).with_context(|| format!("creating {}", p.display()))?;
                Some(p)
            } else {
                if let Some(parent) = p.parent().filter(|x| !x.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                None
            }
        }
    };
    let out_file = match (&output, &out_dir) {
        (Some(o), None) if o != "-" => Some(PathBuf::from(o)),
        _ => None,
    };

    let start = Instant::now();
    let bar = if !quiet && std::io::stderr().is_terminal() && files.len() > 1 {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} documents  {per_sec}  eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let results: Vec<Result<Document, ErrorRecord>> = files
        .par_iter()
        .map(|f| {
            let r = process_file(f, &opts);
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect();
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(d) => {
                for e in &d.errors {
                    eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
                    errors.push(e.clone());
                }
                docs.push(d)
            }
            Err(e) => {
                eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
                errors.push(e);
            }
        }
    }

    match format {
        OutFormat::Jsonl => {
            let mut w: Box<dyn Write> = match (&out_dir, &out_file) {
                (Some(d), _) => Box::new(std::io::BufWriter::new(std::fs::File::create(
                    d.join("records.jsonl"),
                )?)),
                (None, Some(f)) => Box::new(std::io::BufWriter::new(std::fs::File::create(f)?)),
                _ => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            for d in &docs {
                export::write_jsonl_records(&mut w, &d.records)?;
            }
            w.flush()?;
            if let Some(d) = &out_dir {
                let mut f = std::fs::File::create(d.join("findings.jsonl"))?;
                for doc in &docs {
                    export::write_jsonl(&mut f, &doc.findings)?;
                }
            }
        }
        OutFormat::Csv => {
            let dir = out_dir
                .clone()
                .context("--format csv needs --output FOLDER")?;
            let mut w = csv::Writer::from_path(dir.join("records.csv"))?;
            export::csv_header(&mut w)?;
            for d in &docs {
                export::write_csv_records(&mut w, &d.records)?;
            }
            w.flush()?;
            let tdir = dir.join("tables");
            std::fs::create_dir_all(&tdir)?;
            for d in &docs {
                for t in &d.tables {
                    let f = std::fs::File::create(tdir.join(export::wide_name(&d.doc_id, t)))?;
                    export::write_wide(f, t)?;
                }
            }
        }
        OutFormat::Json => match (&out_dir, &out_file) {
            (Some(dir), _) => {
                for d in &docs {
                    let mut f = std::io::BufWriter::new(std::fs::File::create(
                        dir.join(format!("{}.json", d.doc_id)),
                    )?);
                    export::write_document_json(&mut f, d, true)?;
                    f.flush()?;
                }
            }
            (None, Some(f)) => {
                let mut w = std::io::BufWriter::new(std::fs::File::create(f)?);
                for d in &docs {
                    export::write_document_json(&mut w, d, false)?;
                    w.write_all(b"\n")?;
                }
                w.flush()?;
            }
            _ => {
                let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                for d in &docs {
                    export::write_document_json(&mut w, d, true)?;
                    w.write_all(b"\n")?;
                }
                w.flush()?;
            }
        },
    }
    let errors_file = errors_path.or_else(|| out_dir.as_ref().map(|d| d.join("errors.jsonl")));
    if let Some(p) = errors_file {
        let mut f =
            std::fs::File::create(&p).with_context(|| format!("creating {}", p.display()))?;
        export::write_errors(&mut f, &errors)?;
    }
    if !quiet {
        let tables: usize = docs.iter().map(|d| d.tables.len()).sum();
        let records: usize = docs.iter().map(|d| d.records.len()).sum();
        let findings: usize = docs.iter().map(|d| d.findings.len()).sum();
        let class = |c: &str| {
            docs.iter()
                .flat_map(|d| d.findings.iter())
                .filter(|f| f.class == c)
                .count()
        };
        let mismatch_docs = docs
            .iter()
            .filter(|d| d.findings.iter().any(|f| f.class == "mismatch"))
            .count();
        let unmapped: Vec<(usize, Vec<String>)> = docs.iter().map(unmapped_records).collect();
        eprintln!(
            "documents {}, tables {}, records {} ({} unmapped), findings {} ({} mismatch, {} rounding, {} unknown_code, {} name_mismatch), documents with a mismatch {}, failures {}, elapsed {:.2}s",
            files.len(),
            tables,
            records,
            unmapped.iter().map(|u| u.0).sum::<usize>(),
            findings,
            class("mismatch"),
            class("rounding"),
            class("unknown_code"),
            class("name_mismatch"),
            mismatch_docs,
            errors.len(),
            start.elapsed().as_secs_f64()
        );
        // What was not understood, per document: records whose column (or row) no
        // vocabulary token fits, and the headings of those columns.
        for (d, (n, headers)) in docs.iter().zip(&unmapped) {
            if *n > 0 {
                let shown: Vec<&str> = headers.iter().take(4).map(|h| h.as_str()).collect();
                let more = if headers.len() > shown.len() {
                    format!(" and {} more", headers.len() - shown.len())
                } else {
                    String::new()
                };
                eprintln!(
                    "unmapped: {}: {n} records, measure null (columns: {}{more})",
                    d.doc_id,
                    shown.join("; ")
                );
            }
        }
    }
    Ok(if errors.is_empty() { 0 } else { 1 })
}

/// Records of a document whose column or row no token fits (flags `unmapped_column`,
/// `unmapped_row`), and the distinct headings of those columns (table number first).
fn unmapped_records(d: &Document) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut headers: Vec<String> = Vec::new();
    for r in &d.records {
        if r.is_unmapped() {
            n += 1;
            let heading: String = if r.header.is_empty() {
                "(no heading)".into()
            } else if r.header.chars().count() > 40 {
                format!("{}…", r.header.chars().take(40).collect::<String>())
            } else {
                r.header.clone()
            };
            let h = format!("table {} {heading}", r.table_no);
            if !headers.contains(&h) {
                headers.push(h);
            }
        }
    }
    (n, headers)
}

/// Options with the built-in code lists plus the `--reference` files.
fn options_with(reference: &[PathBuf]) -> Result<Options> {
    let mut opts = Options::default();
    for r in reference {
        opts.reference
            .load_file(r)
            .with_context(|| format!("loading reference {}", r.display()))?;
    }
    Ok(opts)
}

fn check(inputs: &[PathBuf], format: &str, reference: &[PathBuf]) -> Result<i32> {
    if format != "text" && format != "json" {
        eprintln!("error: --format must be text or json");
        return Ok(2);
    }
    let opts = options_with(reference)?;
    let files = collect_inputs(inputs)?;
    let results: Vec<_> = files.par_iter().map(|f| process_file(f, &opts)).collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut any_mismatch = false;
    let mut any_failed = false;
    for r in results {
        let doc = match r {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
                any_failed = true;
                continue;
            }
        };
        let count = |c: &str| doc.findings.iter().filter(|f| f.class == c).count();
        let (mm, rd, uc, nm) = (
            count("mismatch"),
            count("rounding"),
            count("unknown_code"),
            count("name_mismatch"),
        );
        any_mismatch |= mm > 0;
        let verdict = if mm > 0 { "MISMATCH" } else { "OK" };
        if format == "json" {
            for f in &doc.findings {
                writeln!(out, "{}", serde_json::to_string(f)?)?;
            }
            writeln!(
                out,
                "{}",
                serde_json::json!({"doc_id": doc.doc_id, "verdict": verdict, "mismatch": mm,
                    "rounding": rd, "unknown_code": uc, "name_mismatch": nm})
            )?;
        } else {
            writeln!(out, "{} ({})", doc.doc_id, doc.source)?;
            for f in &doc.findings {
                writeln!(
                    out,
                    "  {:9} {:12} table {} [{}]{} row {} {} {} col {}: printed {} computed {} diff {}",
                    f.class,
                    f.check,
                    f.table_no,
                    f.table_type.as_str(),
                    f.page.map(|p| format!(" page {p}")).unwrap_or_default(),
                    f.row_no.map(|r| r.to_string()).unwrap_or_default(),
                    f.subject_code.as_deref().unwrap_or("-"),
                    f.label.as_deref().unwrap_or(""),
                    f.measure.as_deref().unwrap_or("-"),
                    f.printed.as_deref().unwrap_or("-"),
                    f.computed.as_deref().unwrap_or("-"),
                    f.difference.as_deref().unwrap_or("-"),
                )?;
            }
            writeln!(
                out,
                "{verdict}: {} mismatch, {} rounding, {} unknown_code, {} name_mismatch",
                mm, rd, uc, nm
            )?;
        }
    }
    out.flush()?;
    Ok(if any_mismatch || any_failed { 1 } else { 0 })
}

fn text(input: &Path) -> Result<i32> {
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: read: {e}", input.display());
            return Ok(1);
        }
    };
    let result = std::panic::catch_unwind(|| budgetgrid::ingest::pdf::page_text(&bytes));
    match result {
        Ok(Ok(t)) => {
            let mut out = std::io::stdout().lock();
            out.write_all(t.as_bytes())?;
            out.flush()?;
            Ok(0)
        }
        Ok(Err(e)) => {
            eprintln!("error: {}: ingest: {e}", input.display());
            Ok(1)
        }
        Err(_) => {
            eprintln!("error: {}: internal error (please report)", input.display());
            Ok(1)
        }
    }
}

fn tables(input: &Path, columns: bool) -> Result<i32> {
    let opts = Options::default();
    let doc = match process_file(input, &opts) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
            return Ok(1);
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "{}  department: {}  year: {}  kind: {}",
        doc.doc_id,
        doc.department.as_deref().unwrap_or("?"),
        doc.fiscal_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "?".into()),
        match doc.doc_kind {
            Some(budgetgrid::model::DocKind::Budget) => "budget",
            Some(budgetgrid::model::DocKind::FinalAccount) => "final_account",
            None => "?",
        }
    )?;
    for t in &doc.tables {
        writeln!(out)?;
        writeln!(
            out,
            "== table {} [{}] {}  unit: {}{}{}  records: {}{}",
            t.table_no,
            t.table_type.as_str(),
            t.title.as_deref().unwrap_or("(no title)"),
            t.unit.as_deref().unwrap_or("?"),
            t.page.map(|p| format!("  page: {p}")).unwrap_or_default(),
            t.bbox
                .map(|b| format!("  bbox: {:.0},{:.0},{:.0},{:.0}", b[0], b[1], b[2], b[3]))
                .unwrap_or_default(),
            t.record_count,
            {
                let n = doc
                    .records
                    .iter()
                    .filter(|r| r.table_no == t.table_no && r.is_unmapped())
                    .count();
                if n > 0 {
                    format!(" ({n} unmapped)")
                } else {
                    String::new()
                }
            }
        )?;
        if columns {
            for c in &t.columns {
                let measure = match (&c.measure, c.role) {
                    (Some(m), _) => m.as_str(),
                    (None, "value") => "UNMAPPED",
                    (None, _) => "-",
                };
                writeln!(
                    out,
                    "   col {:2} {:10} {:40} {}",
                    c.col, c.role, c.header, measure
                )?;
            }
        }
        for (i, row) in t.grid.rows.iter().enumerate() {
            let mark = if i < t.header_rows { "h" } else { " " };
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        "·".to_string()
                    } else {
                        c.clone()
                    }
                })
                .collect();
            writeln!(out, "{mark} {}", cells.join(" | "))?;
        }
    }
    out.flush()?;
    Ok(0)
}
