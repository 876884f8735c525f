//! Work shared among a few threads with its results in input order: a document's pages,
//! its tables. The result is the same whatever the number of threads.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{mpsc, Condvar, Mutex};

/// Stack of a worker thread: as much as the main thread has, for deeply nested content.
const STACK: usize = 8 << 20;

/// Items `0..n` worked on by up to `threads` threads, each with its own state made by
/// `init` on that thread; the results handed to `sink` in index order, on the calling
/// thread, as soon as those before them are done. A thread starts item `i` only while
/// `i < handed over + window`, so results done out of order wait in a bounded buffer.
/// When `sink` returns false no item is started or handed over after it. A panic in
/// `work` goes on in the caller.
pub fn ordered<S, R: Send>(
    n: usize,
    threads: usize,
    window: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> R + Sync,
    mut sink: impl FnMut(usize, R) -> bool,
) {
    let threads = threads.clamp(1, n.max(1));
    let sequential = |sink: &mut dyn FnMut(usize, R) -> bool| {
        let mut state = init();
        for i in 0..n {
            if !sink(i, work(&mut state, i)) {
                break;
            }
        }
    };
    if threads == 1 {
        sequential(&mut sink);
        return;
    }
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Results handed over so far.
    let gate = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    let thread = |tx: mpsc::Sender<(usize, R)>| {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut state = init();
            loop {
                let i = next.fetch_add(1, Relaxed);
                if i >= n {
                    break;
                }
                {
                    let mut done = gate.0.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + window && !stop.load(Relaxed) {
                        done = gate.1.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                }
                if stop.load(Relaxed) || tx.send((i, work(&mut state, i))).is_err() {
                    break;
                }
            }
        }));
        if let Err(p) = run {
            // The others must not wait for the item this thread will never hand over.
            stop.store(true, Relaxed);
            gate.1.notify_all();
            std::panic::resume_unwind(p);
        }
    };
    std::thread::scope(|s| {
        let mut spawned = 0;
        for _ in 0..threads {
            let tx = tx.clone();
            let thread = &thread;
            if std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(s, move || thread(tx))
                .is_ok()
            {
                spawned += 1;
            }
        }
        drop(tx);
        if spawned == 0 {
            // No thread to be had: this one does the work.
            sequential(&mut sink);
            return;
        }
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut handed = 0usize;
        while let Ok((i, r)) = rx.recv() {
            if stop.load(Relaxed) {
                continue;
            }
            pending.insert(i, r);
            while let Some(r) = pending.remove(&handed) {
                let go_on = sink(handed, r);
                handed += 1;
                if !go_on {
                    stop.store(true, Relaxed);
                    break;
                }
            }
            *gate.0.lock().unwrap_or_else(|e| e.into_inner()) = handed;
            gate.1.notify_all();
        }
    });
}

/// `f` applied to each item (with its index) on up to `threads` threads; the results in
/// the items' order. A panic in `f` goes on in the caller.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(usize, T) -> R + Sync,
) -> Vec<R> {
    let n = items.len();
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let mut out = Vec::with_capacity(n);
    ordered(
        n,
        threads,
        n,
        || (),
        |_, i| {
            let item = slots[i].lock().unwrap_or_else(|e| e.into_inner()).take();
            item.map(|t| f(i, t))
        },
        |_, r| {
            out.extend(r);
            true
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use std::sync::{Condvar, Mutex};
    use std::time::Duration;

    #[test]
    fn results_keep_the_input_order_on_several_threads() {
        // Item 0 waits until another item is being worked on at the same time (up to 10 s):
        // on one thread that never happens.
        let started = (Mutex::new(0usize), Condvar::new());
        let met = Mutex::new(false);
        let out = super::map((0..200u64).collect(), 2, |i, x| {
            let mut n = started.0.lock().unwrap();
            *n += 1;
            started.1.notify_all();
            if i == 0 {
                let (n, _) = started
                    .1
                    .wait_timeout_while(n, Duration::from_secs(10), |n| *n < 2)
                    .unwrap();
                *met.lock().unwrap() = *n >= 2;
            }
            x * 2
        });
        assert_eq!(out, (0..200).map(|x| x * 2).collect::<Vec<_>>());
        assert!(*met.lock().unwrap(), "the items ran one after the other");
    }

    #[test]
    fn one_thread_or_no_items() {
        assert_eq!(super::map(vec![1, 2, 3], 1, |i, x| x + i), vec![1, 3, 5]);
        assert!(super::map(Vec::<u8>::new(), 4, |_, x| x).is_empty());
    }

    #[test]
    fn a_sink_that_stops_gets_nothing_after() {
        let mut seen = Vec::new();
        super::ordered(
            100,
            2,
            4,
            || (),
            |_, i| i,
            |i, r| {
                assert_eq!(i, r);
                seen.push(i);
                i < 10
            },
        );
        assert_eq!(seen, (0..=10).collect::<Vec<_>>());
    }
}
