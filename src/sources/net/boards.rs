//! Many boards of one ATS (Greenhouse, Lever, Ashby, SmartRecruiters, Workable) fetched at once.
//!
//! In: board names (from the command line, `--boards FILE` or `boards_file` in jobtrend.toml:
//! one per line, `#` comments, thousands of lines) and a per-board fetch function. Out: the
//! postings and errors of every board in the [`SourceOutcome`], in board order, and a
//! [`BoardListing`] for each board fetched completely (what the lifecycle snapshots record).
//!
//! At most [`BOARD_CONCURRENCY`] boards are in flight; requests still go through the shared
//! [`Http`], so the per-host concurrency and rate limits hold across boards. A failing board is
//! named in `errors` and the others go on.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Http, NetError, SourceOutcome, push_error};
use crate::lifecycle::{BoardListing, Listing};
use crate::posting::Posting;

/// Boards fetched at the same time.
pub const BOARD_CONCURRENCY: usize = 8;

/// What fetching one board gave.
#[derive(Debug, Default)]
pub(crate) struct BoardFetch {
    pub postings: Vec<Posting>,
    pub errors: Vec<NetError>,
    /// What the board lists, when every request of the fetch succeeded; `None` otherwise.
    pub listing: Option<Listing>,
}

impl BoardFetch {
    /// A board that failed with `e` (no listing).
    pub fn failed(e: NetError) -> BoardFetch {
        BoardFetch { errors: vec![e], ..Default::default() }
    }

    /// The fetch of a single-request board: postings and their ids on success, "unchanged" on
    /// 304, the error otherwise.
    pub fn single(got: Result<Option<Vec<Posting>>, NetError>) -> BoardFetch {
        match got {
            Ok(Some(postings)) => {
                let ids = postings.iter().map(|p| p.id.clone()).collect();
                BoardFetch { postings, errors: Vec::new(), listing: Some(Listing::Ids(ids)) }
            }
            Ok(None) => BoardFetch { listing: Some(Listing::Unchanged), ..Default::default() },
            Err(e) => BoardFetch::failed(e),
        }
    }
}

/// Fetches every board with `one`, [`BOARD_CONCURRENCY`] at a time, and adds the results to `out`
/// in board order. A board named twice is fetched once.
pub(crate) async fn fetch_boards<F, Fut>(http: &Arc<Http>, boards: &[String], out: &mut SourceOutcome, one: F)
where
    F: Fn(Arc<Http>, String) -> Fut,
    Fut: Future<Output = BoardFetch> + Send + 'static,
{
    let mut seen = std::collections::HashSet::new();
    let boards: Vec<&String> = boards.iter().filter(|b| seen.insert(b.as_str())).collect();
    out.boards += boards.len();
    let slots = Arc::new(Semaphore::new(BOARD_CONCURRENCY));
    let mut set = JoinSet::new();
    for (i, b) in boards.iter().enumerate() {
        let Ok(permit) = slots.clone().acquire_owned().await else { break };
        let fut = one(http.clone(), (*b).clone());
        set.spawn(async move {
            let r = fut.await;
            drop(permit);
            (i, r)
        });
    }
    let mut results: Vec<Option<BoardFetch>> = (0..boards.len()).map(|_| None).collect();
    while let Some(r) = set.join_next().await {
        match r {
            Ok((i, f)) => results[i] = Some(f),
            Err(e) => tracing::error!("a board fetch task failed: {e}"),
        }
    }
    for (b, r) in boards.into_iter().zip(results) {
        let Some(r) = r else {
            out.errors.push(format!("{b}: the fetch task failed"));
            continue;
        };
        out.postings.extend(r.postings);
        for e in r.errors {
            push_error(out, e);
        }
        if let Some(listing) = r.listing {
            out.listings.push(BoardListing { board: b.clone(), listing });
        }
    }
}

/// The boards of a boards file: one per line, surrounding blanks trimmed, `#` starts a comment,
/// empty lines skipped, duplicates dropped (first kept).
pub fn parse_boards(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .filter(|l| seen.insert(l.to_string()))
        .map(str::to_string)
        .collect()
}

/// Reads a boards file ([`parse_boards`]).
pub fn read_boards_file(path: &Path) -> Result<Vec<String>, NetError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| NetError::BoardsFile { path: path.to_path_buf(), source })?;
    Ok(parse_boards(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn at_most_8_boards_in_flight_results_in_board_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let http = Arc::new(Http::new(&super::super::NetOptions::default(), &super::super::State::default()));
        let (now, max) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let boards: Vec<String> = (0..20).map(|i| format!("b{i:02}")).collect();
        let mut out = SourceOutcome::default();
        let one = |_http: Arc<Http>, b: String| {
            let (now, max) = (now.clone(), max.clone());
            async move {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(n, Ordering::SeqCst);
                for _ in 0..5 {
                    tokio::task::yield_now().await;
                }
                now.fetch_sub(1, Ordering::SeqCst);
                if b == "b03" {
                    return BoardFetch::failed(NetError::BadInput { url: "u".into(), reason: "b03 failed".into() });
                }
                BoardFetch { listing: Some(Listing::Ids(vec![format!("x:{b}:1")])), ..Default::default() }
            }
        };
        fetch_boards(&http, &boards, &mut out, one).await;
        assert_eq!(max.load(Ordering::SeqCst), BOARD_CONCURRENCY);
        assert_eq!(out.boards, 20);
        assert_eq!(out.errors, vec!["u: b03 failed".to_string()]);
        let listed: Vec<&str> = out.listings.iter().map(|l| l.board.as_str()).collect();
        let want: Vec<&str> = boards.iter().map(String::as_str).filter(|b| *b != "b03").collect();
        assert_eq!(listed, want);
    }

    #[test]
    fn boards_file_lines() {
        let t = "# boards\nacme\n  globex  # trailing comment\n\nacme\n#initech\numbrella\r\n";
        assert_eq!(parse_boards(t), vec!["acme", "globex", "umbrella"]);
    }
}
