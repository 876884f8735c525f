//! Batches: many documents processed in parallel, each in a worker process of its own by
//! default, the results handed over in input order as soon as they are ready.
//!
//! A document may abort the process that reads it (an allocation a damaged file asks for
//! inside a third-party decoder), hang, or need more memory than the machine has. So that
//! one such document never costs the batch, the `extract` command runs each job in a
//! worker process (the same binary, command `worker`), which reads paths on its standard
//! input and answers one JSON line per document. The worker caps its own memory
//! (`RLIMIT_DATA`); the parent kills a worker whose document runs past the time budget.
//! When a worker dies, its document becomes an error record that says why (signal, the
//! last message it printed) and a new worker takes the next document.
//!
//! Memory stays flat in the number of documents: a job starts a document only while fewer
//! than `window` finished documents wait for an earlier one to be written.

use crate::model::{Document, ErrorRecord};
use crate::{process_file_as, Options};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What a document came to: its extraction, or the error that stopped it.
pub type Outcome = Result<Document, ErrorRecord>;

/// Where documents are processed.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// In this process, on threads: fastest, but an abort or a hang takes the batch down
    /// and the time budget is not enforced.
    InProcess,
    /// In worker processes: `exe args…` must run [`worker_loop`].
    Workers { exe: PathBuf, args: Vec<OsString> },
}

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Documents processed at once.
    pub jobs: usize,
    /// Wall time one document may take (worker processes only).
    pub timeout: Duration,
    pub isolation: Isolation,
    /// Finished documents that may wait for an earlier one before no new one starts.
    pub window: usize,
}

/// Seconds one document may take in a worker, unless told otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 120;
/// MiB one worker may use, unless told otherwise.
pub const DEFAULT_MAX_MEMORY_MIB: u64 = 1024;

/// The most jobs worth running: twice the cores (a `--jobs 100000` would spawn threads and
/// processes for minutes).
pub fn max_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()) * 2
}

/// Process `files` under the document ids `ids` (one each; see
/// [`crate::unique_doc_ids`]), handing each outcome to `sink` in input order.
pub fn run(
    files: &[PathBuf],
    ids: &[String],
    opts: &Options,
    b: &BatchOptions,
    mut sink: impl FnMut(usize, Outcome),
) {
    let n = files.len();
    if n == 0 {
        return;
    }
    let jobs = b.jobs.clamp(1, n);
    let window = b.window.max(jobs);
    // Fewer documents than jobs: the spare jobs read the documents' pages.
    let page_threads = (b.jobs / jobs).max(1);
    let local;
    let opts = if page_threads > 1 && matches!(b.isolation, Isolation::InProcess) {
        local = Options {
            page_threads,
            ..opts.clone()
        };
        &local
    } else {
        opts
    };
    let worker_args;
    let isolation = match &b.isolation {
        Isolation::Workers { exe, args } if page_threads > 1 => {
            let mut a = args.clone();
            a.push("--page-threads".into());
            a.push(page_threads.to_string().into());
            worker_args = Isolation::Workers {
                exe: exe.clone(),
                args: a,
            };
            &worker_args
        }
        i => i,
    };
    let next = AtomicUsize::new(0);
    // Documents written so far (the window's lower edge).
    let gate = (Mutex::new(0usize), Condvar::new());
    let slots: Vec<Slot> = (0..jobs).map(|_| Slot::default()).collect();
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|s| {
        for slot in &slots {
            let tx = tx.clone();
            let (next, gate) = (&next, &gate);
            s.spawn(move || {
                let mut worker: Option<Worker> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    {
                        let mut written = gate.0.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *written + window {
                            written = gate.1.wait(written).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    let id = ids
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| crate::doc_id_of(&files[i]));
                    let out = match isolation {
                        Isolation::InProcess => in_process(&files[i], &id, opts),
                        Isolation::Workers { exe, args } => {
                            in_worker(&mut worker, exe, args, &files[i], &id, slot, b.timeout)
                        }
                    };
                    if tx.send((i, out)).is_err() {
                        break;
                    }
                }
                if let Some(w) = worker {
                    w.close();
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut written = 0usize;
        loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok((i, o)) => {
                    pending.insert(i, o);
                    while let Some(o) = pending.remove(&written) {
                        sink(written, o);
                        written += 1;
                    }
                    *gate.0.lock().unwrap_or_else(|e| e.into_inner()) = written;
                    gate.1.notify_all();
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            for slot in &slots {
                slot.kill_if_overdue(b.timeout);
            }
        }
        // Anything left (cannot happen: every index is sent once) is still written.
        for (i, o) in pending {
            sink(i, o);
        }
    });
}

fn in_process(path: &Path, id: &str, opts: &Options) -> Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process_file_as(path, id, opts)
    })) {
        Ok(r) => r,
        Err(_) => Err(error(
            path,
            id,
            "internal",
            "internal error (please report)".into(),
        )),
    }
}

fn error(path: &Path, id: &str, stage: &str, reason: String) -> ErrorRecord {
    ErrorRecord {
        doc_id: id.to_string(),
        source: path.display().to_string(),
        stage: stage.into(),
        reason,
    }
}

/// A job's document in progress in a worker: when it started and the worker's pid, for
/// the time budget.
#[derive(Default)]
struct Slot {
    running: Mutex<Option<Running>>,
}

struct Running {
    started: Instant,
    pid: u32,
    killed: bool,
}

impl Slot {
    fn kill_if_overdue(&self, timeout: Duration) {
        let mut g = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = g.as_mut() {
            if !r.killed && r.started.elapsed() > timeout {
                // The child is not reaped while it is registered here, so the pid is its.
                unsafe {
                    libc::kill(r.pid as libc::pid_t, libc::SIGKILL);
                }
                r.killed = true;
            }
        }
    }
}

/// A worker's answer for one document.
#[derive(Serialize, Deserialize)]
enum Reply {
    Ok(Box<Document>),
    Err(ErrorRecord),
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// The last lines the worker printed on stderr (why it died).
    tail: Arc<Mutex<VecDeque<String>>>,
    /// The thread reading them; it ends when the worker's stderr closes.
    reader: std::thread::JoinHandle<()>,
}

impl Worker {
    fn spawn(exe: &Path, args: &[OsString]) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .args(args)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("worker pipes missing"));
        };
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let t = tail.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let t0 = line.trim_start();
                let frame = t0.starts_with("at ")
                    || t0
                        .split_once(':')
                        .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
                    || t0.starts_with("stack backtrace")
                    || t0.starts_with("note: ");
                if frame || t0.is_empty() {
                    continue;
                }
                let mut q = t.lock().unwrap_or_else(|e| e.into_inner());
                if q.len() == 4 {
                    q.pop_front();
                }
                q.push_back(line.chars().take(300).collect());
            }
        });
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            tail,
            reader,
        })
    }

    /// Close its input (it exits when its input ends) and reap it.
    fn close(mut self) {
        drop(self.stdin);
        let _ = self.child.wait();
    }
}

/// Hex of the path's bytes: any path, one line.
fn encode_path(p: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_path(s: &str) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect();
    Some(PathBuf::from(OsString::from_vec(bytes?)))
}

fn in_worker(
    worker: &mut Option<Worker>,
    exe: &Path,
    args: &[OsString],
    path: &Path,
    id: &str,
    slot: &Slot,
    timeout: Duration,
) -> Outcome {
    if worker.is_none() {
        match Worker::spawn(exe, args) {
            Ok(w) => *worker = Some(w),
            Err(e) => {
                return Err(error(
                    path,
                    id,
                    "internal",
                    format!("cannot start a worker process ({}): {e}", exe.display()),
                ))
            }
        }
    }
    let Some(w) = worker.as_mut() else {
        return Err(error(path, id, "internal", "no worker process".into()));
    };
    *slot.running.lock().unwrap_or_else(|e| e.into_inner()) = Some(Running {
        started: Instant::now(),
        pid: w.child.id(),
        killed: false,
    });
    let mut line = String::new();
    let sent = writeln!(
        w.stdin,
        "{}\t{}",
        encode_path(Path::new(id)),
        encode_path(path)
    )
    .and_then(|_| w.stdin.flush());
    let read = sent.and_then(|_| w.stdout.read_line(&mut line));
    let killed = slot
        .running
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .is_some_and(|r| r.killed);
    if let (Ok(n), false) = (&read, killed) {
        if *n > 0 && line.ends_with('\n') {
            if let Ok(reply) = serde_json::from_str::<Reply>(&line) {
                return match reply {
                    Reply::Ok(d) => Ok(*d),
                    Reply::Err(e) => Err(e),
                };
            }
        }
    }
    // The worker died (or was killed, or answered nonsense): this document is the cause.
    let Some(mut w) = worker.take() else {
        return Err(error(path, id, "internal", "no worker process".into()));
    };
    let _ = w.child.kill();
    let status = w.child.wait().ok();
    // The worker is gone, so its stderr is closed: the reader has its last lines.
    let _ = w.reader.join();
    let tail: Vec<String> = w
        .tail
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .cloned()
        .collect();
    if killed {
        return Err(error(
            path,
            id,
            "budget",
            format!(
                "over budget: took longer than {} s (--timeout); stopped",
                timeout.as_secs()
            ),
        ));
    }
    let how = status.map_or_else(|| "ended".to_string(), describe_exit);
    let said = tail.first().map(|l| format!(": {l}")).unwrap_or_default();
    let oom = tail.iter().any(|l| l.contains("memory allocation of"));
    Err(error(
        path,
        id,
        if oom { "budget" } else { "internal" },
        if oom {
            format!("over budget: needs more memory than the worker's limit (--max-memory); the reader {how}{said}")
        } else {
            format!("the reader {how} on this document{said} (please report); the rest of the batch is not affected")
        },
    ))
}

fn describe_exit(s: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (s.code(), s.signal()) {
        (_, Some(6)) => "aborted (SIGABRT)".into(),
        (_, Some(9)) => "was killed (SIGKILL, out of memory?)".into(),
        (_, Some(11)) => "crashed (SIGSEGV)".into(),
        (_, Some(sig)) => format!("died of signal {sig}"),
        (Some(c), _) => format!("exited with status {c}"),
        _ => "ended".into(),
    }
}

/// The worker side: cap this process's memory, then read one hex-encoded path per line
/// on stdin and answer one JSON line per document on stdout, until stdin ends.
pub fn worker_loop(opts: &Options, max_memory_mib: u64) -> std::io::Result<()> {
    if max_memory_mib > 0 {
        let bytes = max_memory_mib.saturating_mul(1 << 20) as libc::rlim_t;
        let lim = libc::rlimit {
            rlim_cur: bytes,
            rlim_max: bytes,
        };
        // RLIMIT_DATA counts the heap and private writable mappings (not address space
        // merely reserved), so an allocation past it fails at once instead of growing
        // into the machine's swap.
        unsafe {
            libc::setrlimit(libc::RLIMIT_DATA, &lim);
        }
    }
    // Panics are caught per document and reported as error records; the hook's message
    // would only reach the parent's captured stderr.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("panic: {info}");
    }));
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line?;
        let (id, path) = line.split_once('\t').unwrap_or(("", line.as_str()));
        let id = decode_path(id).map(|p| p.to_string_lossy().into_owned());
        let reply = match decode_path(path) {
            Some(p) => match process_file_as(
                &p,
                &id.filter(|i| !i.is_empty())
                    .unwrap_or_else(|| crate::doc_id_of(&p)),
                opts,
            ) {
                Ok(d) => Reply::Ok(Box::new(d)),
                Err(e) => Reply::Err(e),
            },
            None => Reply::Err(ErrorRecord {
                doc_id: String::new(),
                source: line.clone(),
                stage: "internal".into(),
                reason: "worker received a malformed path".into(),
            }),
        };
        serde_json::to_writer(&mut out, &reply)?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_survive_the_pipe() {
        for p in ["a b/附件1.pdf", "x\ny.txt", ""] {
            assert_eq!(
                decode_path(&encode_path(Path::new(p))).unwrap(),
                Path::new(p)
            );
        }
        assert!(decode_path("abc").is_none());
        assert!(decode_path("zz").is_none());
    }

    #[test]
    fn in_process_batch_keeps_input_order() {
        let dir = std::env::temp_dir().join(format!("bg-batch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Vec::new();
        for i in 0..6 {
            let p = dir.join(format!("{i}.txt"));
            std::fs::write(&p, if i % 2 == 0 { "" } else { "x" }).unwrap();
            files.push(p);
        }
        let b = BatchOptions {
            jobs: 3,
            timeout: Duration::from_secs(10),
            isolation: Isolation::InProcess,
            window: 1,
        };
        let mut seen = Vec::new();
        let ids: Vec<String> = files.iter().map(|f| crate::doc_id_of(f)).collect();
        run(&files, &ids, &Options::default(), &b, |i, o| {
            assert!(o.is_err());
            seen.push(i)
        });
        assert_eq!(seen, (0..6).collect::<Vec<_>>());
        std::fs::remove_dir_all(&dir).ok();
    }
}
