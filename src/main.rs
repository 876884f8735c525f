//! Command-line interface over the `budgetgrid` library.

use anyhow::{bail, Context, Result};
use budgetgrid::export::outputs::{Kind, Outputs, Target};
use budgetgrid::inputs::{collect_inputs, Inputs};
use budgetgrid::summary::Stats;
use budgetgrid::{process_file, Options};
use clap::{Parser, Subcommand, ValueEnum};
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
    /// One SQLite database (documents, tables, records, findings, errors); --output FILE
    Sqlite,
    /// One Excel workbook (records sheet, a tables index, one sheet per table); --output FILE
    Xlsx,
    /// Typed records as one Parquet file (one row group per document); --output FILE
    Parquet,
}

// The options of `extract` (one struct, so that `extract` takes them whole).
#[derive(clap::Args)]
struct ExtractArgs {
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
    /// Documents processed at once (default: all cores; at most twice the cores)
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Seconds one document may take before it is stopped and reported as an error
    #[arg(long, default_value_t = budgetgrid::batch::DEFAULT_TIMEOUT_SECS)]
    timeout: u64,
    /// MiB of memory one document's worker process may use (0: no limit)
    #[arg(long, default_value_t = budgetgrid::batch::DEFAULT_MAX_MEMORY_MIB)]
    max_memory: u64,
    /// Start CSV files with a UTF-8 byte-order mark, so that Excel and WPS open them
    /// as UTF-8 (Chinese text otherwise shows garbled)
    #[arg(long)]
    bom: bool,
    /// Read every document in this process (faster to start; an abort or a hang in
    /// one document then stops the batch, and --timeout/--max-memory do not apply)
    #[arg(long)]
    in_process: bool,
    /// Only tables of these types, comma-separated (summary,three_public; the tokens are
    /// in docs/dictionary.md), with their records and findings
    #[arg(long, value_parser = budgetgrid::select::table_list)]
    tables: Option<budgetgrid::select::TableList>,
    /// Only tables printed on these pages (3,5-9; a table continued over pages is kept
    /// when any of them is asked; tables without page numbers, as in HTML, are kept)
    #[arg(long, value_parser = budgetgrid::select::page_list)]
    pages: Option<budgetgrid::select::PageList>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract records from documents (files or folders, walked recursively)
    Extract(ExtractArgs),
    /// (internal) A worker process of `extract`: reads hex-encoded paths on stdin, writes
    /// one JSON result per line
    #[command(hide = true)]
    Worker {
        #[arg(long, default_value_t = budgetgrid::batch::DEFAULT_MAX_MEMORY_MIB)]
        max_memory: u64,
        #[arg(long)]
        reference: Vec<PathBuf>,
        /// Threads that read one PDF's pages
        #[arg(long, default_value_t = 1)]
        page_threads: usize,
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
    /// Harvest the (scheme, code, name, year) pairs a corpus prints into a code list (CSV,
    /// a valid --reference file), with counts, documents and conflicts to review
    Codes {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output CSV (default: stdout)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Extra code list (CSV), as for extract (repeatable)
        #[arg(long)]
        reference: Vec<PathBuf>,
        /// Documents processed at once (default: all cores)
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// Print a PDF's page text in reading order, laid out by position (pages separated by
    /// form feeds), like `pdftotext -layout`
    Text { input: PathBuf },
    /// Print the data dictionary (Markdown): every table type, subject scheme and measure
    /// token with the Chinese headers that give it, from the vocabulary the tool reads
    /// (committed as docs/dictionary.md)
    Dictionary,
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
        Cmd::Extract(args) => extract(args),
        Cmd::Worker {
            max_memory,
            reference,
            page_threads,
        } => {
            let mut opts = options_with(&reference)?;
            opts.page_threads = page_threads.clamp(1, budgetgrid::batch::max_jobs());
            budgetgrid::batch::worker_loop(&opts, max_memory)?;
            Ok(0)
        }
        Cmd::Tables { input, columns } => tables(&input, columns),
        Cmd::Codes {
            inputs,
            output,
            reference,
            jobs,
        } => codes(&inputs, output.as_deref(), &reference, jobs),
        Cmd::Text { input } => text(&input),
        Cmd::Dictionary => {
            print!("{}", budgetgrid::vocab::dictionary::markdown());
            Ok(0)
        }
        Cmd::Check {
            inputs,
            format,
            reference,
        } => check(&inputs, &format, &reference),
    }
}

fn extract(args: ExtractArgs) -> Result<i32> {
    let ExtractArgs {
        inputs,
        format,
        output,
        errors: errors_path,
        reference,
        quiet,
        jobs,
        timeout,
        max_memory,
        in_process,
        bom,
        tables: only_tables,
        pages: only_pages,
    } = args;
    let selection = budgetgrid::select::Selection {
        tables: only_tables.map(|t| t.0).unwrap_or_default(),
        pages: only_pages.map(|p| p.0).unwrap_or_default(),
    };
    let limits = Limits {
        timeout,
        max_memory,
        in_process,
    };
    if inputs.is_empty() {
        bail!("no input files (usage: budgetgrid extract FILE|DIR… [--format jsonl|csv|json] [--output PATH])");
    }
    let Inputs {
        files,
        ids,
        missing,
    } = collect_inputs(&inputs);
    let opts = options_with(&reference)?;
    let jobs = clamp_jobs(jobs);
    let target = match output.as_deref() {
        Some("-") | None => Target::Stdout,
        Some(o) => {
            let p = PathBuf::from(o);
            if p.is_dir() || o.ends_with('/') || format == OutFormat::Csv {
                Target::Folder(p)
            } else {
                Target::File(p)
            }
        }
    };
    let kind = match format {
        OutFormat::Jsonl => Kind::Jsonl,
        OutFormat::Csv => Kind::Csv,
        OutFormat::Json => Kind::Json,
        OutFormat::Sqlite => Kind::Sqlite,
        OutFormat::Xlsx => Kind::Xlsx,
        OutFormat::Parquet => Kind::Parquet,
    };
    let mut outs = match Outputs::create(kind, &target, errors_path.as_deref(), &files) {
        Ok(mut o) => {
            o.bom = bom;
            o
        }
        Err(e) => {
            eprintln!("budgetgrid: {e}");
            return Ok(EXIT_IO);
        }
    };
    // Ctrl-C: no half-written output stays behind.
    let _ = ctrlc::set_handler(|| {
        budgetgrid::export::outputs::remove_partial();
        std::process::exit(130);
    });
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
    let mut stats = Stats::default();
    let mut io_error: Option<budgetgrid::export::outputs::OutputError> = None;
    for e in &missing {
        eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
        stats.errors += 1;
        if let Err(x) = outs.error(e) {
            io_error.get_or_insert(x);
        }
    }
    let batch = batch_options(jobs, &reference, &limits)?;
    budgetgrid::batch::run(&files, &ids, &opts, &batch, |_, mut outcome| {
        if let Ok(d) = &mut outcome {
            selection.apply(d);
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
        if io_error.is_some() {
            return;
        }
        let r = match &outcome {
            Ok(d) => {
                for e in &d.errors {
                    if e.stage == budgetgrid::model::WARNING_STAGE {
                        eprintln!("warning: {}: {}", e.source, e.reason);
                        stats.warnings += 1;
                    } else {
                        eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
                        stats.errors += 1;
                    }
                }
                stats.add(d);
                outs.document(d)
            }
            Err(e) => {
                eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
                stats.errors += 1;
                outs.error(e)
            }
        };
        if let Err(e) = r {
            io_error = Some(e);
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(e) = io_error {
        budgetgrid::export::outputs::remove_partial();
        eprintln!("budgetgrid: {e}");
        return Ok(EXIT_IO);
    }
    if let Err(e) = outs.finish() {
        budgetgrid::export::outputs::remove_partial();
        eprintln!("budgetgrid: {e}");
        return Ok(EXIT_IO);
    }
    if !quiet {
        stats.print(files.len() + missing.len(), start.elapsed().as_secs_f64());
    }
    Ok(if stats.errors == 0 { 0 } else { 1 })
}

/// Exit status when an output cannot be written (0: all documents read, 1: some failed,
/// 2: usage).
const EXIT_IO: i32 = 3;

/// Budgets of a batch that the command line sets.
struct Limits {
    timeout: u64,
    max_memory: u64,
    in_process: bool,
}

impl Default for Limits {
    /// The defaults of `extract`'s options (for `check` and `codes`).
    fn default() -> Self {
        Limits {
            timeout: budgetgrid::batch::DEFAULT_TIMEOUT_SECS,
            max_memory: budgetgrid::batch::DEFAULT_MAX_MEMORY_MIB,
            in_process: false,
        }
    }
}

fn clamp_jobs(jobs: Option<usize>) -> usize {
    let max = budgetgrid::batch::max_jobs();
    match jobs {
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(j) if j > max => {
            eprintln!("note: --jobs {j} lowered to {max} (twice the cores)");
            max
        }
        Some(j) => j.max(1),
    }
}

fn batch_options(
    jobs: usize,
    reference: &[PathBuf],
    limits: &Limits,
) -> Result<budgetgrid::batch::BatchOptions> {
    use budgetgrid::batch::{BatchOptions, Isolation};
    let isolation = if limits.in_process {
        Isolation::InProcess
    } else {
        let exe = std::env::current_exe().context("locating the budgetgrid executable")?;
        let mut args: Vec<std::ffi::OsString> = vec![
            "worker".into(),
            "--max-memory".into(),
            limits.max_memory.to_string().into(),
        ];
        for r in reference {
            args.push("--reference".into());
            args.push(r.clone().into_os_string());
        }
        Isolation::Workers { exe, args }
    };
    Ok(BatchOptions {
        jobs,
        timeout: std::time::Duration::from_secs(limits.timeout.max(1)),
        isolation,
        window: jobs * 4,
    })
}

/// Options with the built-in code lists plus the `--reference` files.
/// What `check` and `codes` run: the options, the batch at the default budgets, and the
/// inputs, whose missing paths are reported on stderr here.
fn batch_run(
    inputs: &[PathBuf],
    reference: &[PathBuf],
    jobs: Option<usize>,
) -> Result<(Options, budgetgrid::batch::BatchOptions, Inputs)> {
    let opts = options_with(reference)?;
    let found = collect_inputs(inputs);
    for e in &found.missing {
        eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
    }
    let batch = batch_options(clamp_jobs(jobs), reference, &Limits::default())?;
    Ok((opts, batch, found))
}

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
    let (
        opts,
        batch,
        Inputs {
            files,
            ids,
            missing,
        },
    ) = batch_run(inputs, reference, None)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut any_mismatch = false;
    let mut any_failed = !missing.is_empty();
    let mut pending: Result<()> = Ok(());
    budgetgrid::batch::run(&files, &ids, &opts, &batch, |_, r| {
        if pending.is_ok() {
            pending = check_one(r, format, &mut out, &mut any_mismatch, &mut any_failed);
        }
    });
    pending?;
    out.flush()?;
    Ok(if any_mismatch || any_failed { 1 } else { 0 })
}

/// One document's findings and verdict.
fn check_one(
    r: budgetgrid::batch::Outcome,
    format: &str,
    out: &mut impl Write,
    any_mismatch: &mut bool,
    any_failed: &mut bool,
) -> Result<()> {
    {
        let doc = match r {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
                *any_failed = true;
                return Ok(());
            }
        };
        let count = |c: &str| doc.findings.iter().filter(|f| f.class == c).count();
        let (mm, rd, uc, nm) = (
            count("mismatch"),
            count("rounding"),
            count("unknown_code"),
            count("name_mismatch"),
        );
        *any_mismatch |= mm > 0;
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
    Ok(())
}

fn codes(
    inputs: &[PathBuf],
    output: Option<&Path>,
    reference: &[PathBuf],
    jobs: Option<usize>,
) -> Result<i32> {
    let (
        opts,
        batch,
        Inputs {
            files,
            ids,
            missing,
        },
    ) = batch_run(inputs, reference, jobs)?;
    let mut failed = missing.len();
    let mut harvest = budgetgrid::codes::Harvest::default();
    budgetgrid::batch::run(&files, &ids, &opts, &batch, |_, r| match r {
        Ok(d) => harvest.add(&d),
        Err(e) => {
            eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
            failed += 1;
        }
    });
    let (rows, conflicts) = match output {
        Some(p) => {
            let written = budgetgrid::export::outputs::write_whole(p, &files, |w| {
                harvest.write_csv(w).map_err(std::io::Error::other)
            });
            match written {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("budgetgrid: {e}");
                    return Ok(EXIT_IO);
                }
            }
        }
        None => harvest.write_csv(std::io::stdout().lock())?,
    };
    eprintln!(
        "documents {}, code/name rows {rows}, with a conflict {conflicts}, failures {failed}",
        harvest.documents + failed
    );
    Ok(if failed == 0 { 0 } else { 1 })
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
    for e in &doc.errors {
        if e.stage == budgetgrid::model::WARNING_STAGE {
            eprintln!("warning: {}: {}", e.source, e.reason);
        } else {
            eprintln!("error: {}: {}: {}", e.source, e.stage, e.reason);
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "{}  department: {}  year: {}  kind: {}",
        doc.doc_id,
        doc.department.as_deref().unwrap_or("?"),
        doc.fiscal_year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "?".into()),
        doc.doc_kind.map_or("?", |k| k.as_str())
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
                let measure = match (&c.measure, c.role.as_str()) {
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
