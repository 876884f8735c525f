//! Work shared among a few threads with its results in input order: a document's pages,
//! its tables. The result is the same whatever the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `f` applied to each item (with its index) on up to `threads` threads; the results in
/// the items' order. A panic in `f` goes on in the caller.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(usize, T) -> R + Sync,
) -> Vec<R> {
    let n = items.len();
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return items
            .into_iter()
            .enumerate()
            .map(|(i, t)| f(i, t))
            .collect();
    }
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            let item = slots[i].lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(t) = item {
                out.push((i, f(i, t)));
            }
        }
        out
    };
    let mut all = std::thread::scope(|s| {
        let others: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, work).ok())
            .collect();
        let mut all = work();
        for h in others {
            match h.join() {
                Ok(v) => all.extend(v),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        all
    });
    all.sort_by_key(|r| r.0);
    all.into_iter().map(|(_, r)| r).collect()
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
}
