//! Keyword ids from user input: lists split and trimmed, unknown ids answered with the closest known id.
//!
//! In: strings as typed (`--keywords "rust, go"`, `keywords show Postgres`) and a [`Taxonomy`].
//! Out: keyword indices ([`Taxonomy::resolve`]) or a [`KeywordError::UnknownId`] whose message suggests an id
//! ([`Taxonomy::suggest`]): first an id, label or literal form equal ignoring case (`Rust` → `rust`,
//! `postgres` → `postgresql`, `node` → `nodejs`), else the id nearest by edit distance (at most a third of its
//! length, at least 1).

use super::{KeywordError, Taxonomy};

/// The items of a list as typed: each item split on commas, trimmed, empty ones dropped (`["rust, go", ""]` →
/// `["rust", "go"]`). Order and duplicates are kept.
pub fn split_ids<S: AsRef<str>>(items: &[S]) -> Vec<&str> {
    items.iter().flat_map(|s| s.as_ref().split(',')).map(str::trim).filter(|s| !s.is_empty()).collect()
}

impl Taxonomy {
    /// Indices of the ids in `items` ([`split_ids`]: commas, spaces and empty items are fine), first occurrence
    /// order, without duplicates. The first unknown id is an error naming it and, when one is close, the id meant.
    pub fn resolve<S: AsRef<str>>(&self, items: &[S]) -> Result<Vec<usize>, KeywordError> {
        let mut out = Vec::new();
        for id in split_ids(items) {
            let Some(i) = self.index_of(id) else {
                return Err(KeywordError::UnknownId {
                    id: id.to_string(),
                    suggestion: self.suggest(id).map(str::to_string),
                });
            };
            if !out.contains(&i) {
                out.push(i);
            }
        }
        Ok(out)
    }

    /// The id a user most likely meant by `typed` (see the module docs), or `None` when nothing is close.
    pub fn suggest(&self, typed: &str) -> Option<&str> {
        let typed = typed.trim();
        let lower = typed.to_ascii_lowercase();
        let kws = self.keywords();
        let exact = kws.iter().find(|k| {
            k.id.eq_ignore_ascii_case(typed)
                || k.label.eq_ignore_ascii_case(typed)
                || k.literals().any(|a| a.eq_ignore_ascii_case(typed))
        });
        if let Some(k) = exact {
            return Some(&k.id);
        }
        let limit = (lower.chars().count() / 3).max(1);
        kws.iter()
            .map(|k| (strsim::levenshtein(&lower, &k.id), k))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k.id.as_str())
    }
}
