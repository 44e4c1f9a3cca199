//! Resetting the network state after postings were lost (`jobtrend verify --repair`).
//!
//! In: `<data>/state/net.json` and the months whose postings were quarantined. Out: the same file
//! without those HN months and without any conditional-request validator, and a [`StateReset`]
//! saying what the next ingest fetches again.

use std::path::Path;

use serde::Serialize;

use super::{NetError, STATE_FILE, State};

/// What [`State::forget_lost`] reset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StateReset {
    /// HN months whose threads the next `ingest hn` / `run` fetches again.
    pub hn_months: Vec<String>,
    /// Conditional-request validators dropped (each network source is fetched in full once).
    pub validators: usize,
}

impl State {
    /// After postings of `months` were lost (quarantined part files): forgets the HN threads of
    /// those months, so the next fetch asks for them again, and every URL's validators, since a
    /// `304 Not Modified` would keep the lost postings out (which URL they came from is unknown).
    /// Writes `<dir>/net.json` atomically, only when something changed.
    pub fn forget_lost(dir: &Path, months: &[String]) -> Result<StateReset, NetError> {
        let mut st = State::load(dir)?;
        let mut reset = StateReset::default();
        if months.is_empty() {
            return Ok(reset);
        }
        let removed: std::collections::BTreeSet<String> =
            st.hn_complete.values().filter(|m| months.contains(m)).cloned().collect();
        st.hn_complete.retain(|_, m| !months.contains(m));
        reset.hn_months = removed.into_iter().collect();
        reset.validators = st.http.len();
        st.http.clear();
        if reset.hn_months.is_empty() && reset.validators == 0 {
            return Ok(reset);
        }
        let json = serde_json::to_vec_pretty(&st)
            .map_err(|e| NetError::StateIo { path: dir.to_path_buf(), source: std::io::Error::other(e) })?;
        crate::fsutil::write_atomic(&dir.join(STATE_FILE), &json)
            .map_err(|source| NetError::StateIo { path: dir.join(STATE_FILE), source })?;
        Ok(reset)
    }
}
