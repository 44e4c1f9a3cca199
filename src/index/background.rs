//! The ingest's index hook, built on a thread of its own while the ingest starts.
//!
//! In: the data directory and a way to get the taxonomy. Out: a [`PartHook`] at once; its
//! [`PartIndexer`] (the taxonomy parsed, the matcher compiled: about 9 ms of one core, most of it the
//! keyword DFA) is built meanwhile. Before, the main thread built it before any parse worker started,
//! and the other core sat idle for that long: in `perf record` of an ingest of the saved HN pages the
//! workers' first samples came 16 ms after the process's; with this (and [`crate::ingest`]'s walk
//! taking entry types from the directory listing), 8-14 ms in three runs (2026-12-04).
//!
//! Until it is ready, [`PartHook::prepare`] does nothing: a posting it skips is matched when its part
//! is written ([`super::FactsCache::facts_of_all`]), which gives the same facts. The first
//! [`PartHook::part_written`] waits for it. When it cannot be built (a taxonomy or matcher error, no
//! thread to build it on, or a panic there), that is said once, as before this existed ("no match
//! index will be written at ingest"), and parts are written without an index part: the next analysis
//! command builds them.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use super::PartIndexer;
use crate::keywords::Taxonomy;
use crate::posting::Posting;
use crate::store::PartHook;

/// A [`PartIndexer`] being built on another thread.
struct Background {
    ready: Arc<OnceLock<Result<PartIndexer, String>>>,
    /// The builder thread until someone has waited for it.
    build: Mutex<Option<JoinHandle<()>>>,
    /// The build's failure was said.
    warned: AtomicBool,
}

impl Background {
    /// The indexer, waiting for its thread the first time it is not ready; `None` when it could not
    /// be built (said once).
    fn wait(&self) -> Option<&PartIndexer> {
        if self.ready.get().is_none() {
            // Joined under the lock: a second caller waits here until the result is set.
            let mut build = self.build.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(h) = build.take() {
                let _ = h.join();
            }
        }
        match self.ready.get() {
            Some(Ok(ix)) => Some(ix),
            failed => {
                if !self.warned.swap(true, Ordering::Relaxed) {
                    let e = match failed {
                        Some(Err(e)) => e.as_str(),
                        _ => "its builder thread panicked",
                    };
                    tracing::warn!("no match index will be written at ingest: {e}");
                }
                None
            }
        }
    }
}

impl PartHook for Background {
    fn part_written(&self, part: &Path, rows: &[Posting]) -> Result<(), String> {
        match self.wait() {
            Some(ix) => ix.index_part(part, rows).map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }

    fn prepare(&self, posting: &Posting) {
        if let Some(Ok(ix)) = self.ready.get() {
            PartHook::prepare(ix, posting);
        }
    }
}

/// The ingest's index hook under the taxonomy `tax` gives, built on a thread of its own (see the
/// module doc). Removes the index temp files killed runs left first (the caller holds the store's
/// lock). When no thread can be started, no index part is written at ingest (said once).
pub fn part_hook_in_background<F>(data: &Path, tax: F) -> Arc<dyn PartHook>
where
    F: FnOnce() -> Result<Taxonomy, String> + Send + 'static,
{
    super::remove_temp_files(data);
    let ready = Arc::new(OnceLock::new());
    let build = {
        let (ready, data) = (Arc::clone(&ready), data.to_path_buf());
        move || {
            let ix = tax().and_then(|t| PartIndexer::new(&data, t).map_err(|e| e.to_string()));
            let _ = ready.set(ix);
        }
    };
    let handle = match std::thread::Builder::new().name("jobtrend-index-hook".into()).spawn(build) {
        Ok(h) => Some(h),
        Err(e) => {
            let _ = ready.set(Err(format!("no thread to build its matcher on ({e})")));
            None
        }
    };
    Arc::new(Background { ready, build: Mutex::new(handle), warned: AtomicBool::new(false) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn postings() -> Vec<Posting> {
        [("t:1", "2024-01", "Rust and Kafka, remote"), ("t:2", "2024-02", "Go on Kubernetes")]
            .iter()
            .map(|&(id, month, text)| {
                let mut p = Posting::new(id, "test", text);
                p.month = month.to_string();
                p.finish(chrono::Utc::now())
            })
            .collect()
    }

    #[test]
    fn prepare_does_not_wait_for_the_build_and_every_part_gets_its_index_part() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path(), false).unwrap();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let hook = part_hook_in_background(dir.path(), move || {
            let _ = wait.recv();
            Taxonomy::builtin().map_err(|e| e.to_string())
        });
        s.on_part_written(hook.clone());
        // The build waits for `go`: a prepare that waited for it would never return.
        hook.prepare(&postings()[0]);
        go.send(()).unwrap();
        assert_eq!(s.append(postings()).unwrap().new, 2);
        assert_eq!(crate::store::verify::index_files(dir.path()).len(), 2);
    }

    #[test]
    fn a_hook_that_cannot_be_built_writes_no_index_and_keeps_the_parts() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path(), false).unwrap();
        let hook = part_hook_in_background(dir.path(), || Err("a broken taxonomy".into()));
        s.on_part_written(hook.clone());
        hook.prepare(&postings()[0]);
        assert_eq!(s.append(postings()).unwrap().new, 2);
        assert_eq!(crate::store::verify::index_files(dir.path()).len(), 0);
        assert_eq!(crate::store::read_all(dir.path()).unwrap().len(), 2);
    }
}
