//! The article's predictions as data, and their statistical verdicts.
//!
//! In: a claims file (`keywords/predictions.toml`, embedded as [`builtin`], or any file via [`load`]) and, per
//! claim, its monthly counts ([`ClaimData`]: postings, postings that mention the claim's keywords or roles, and
//! salaries for premium claims), built by the caller from the matched postings (see [`collect`]).
//! Out: one [`Evaluation`] per claim (verdict `supported` / `contradicted` / `inconclusive`, the effect in plain
//! units with a 95% interval, the p-value and its Holm-adjusted value across all claims, the method and a note).
//!
//! # Method (the text the README section "How the verdicts are reached" is written from)
//! - **Per source, then combined.** A claim's data has one monthly series per source. Only months inside the
//!   claim's window (`since`..=`until`) with at least [`MIN_POSTINGS_PER_MONTH`] postings (in the claim's
//!   population) count. A source *qualifies* with at least [`MIN_MONTHS`] counted months
//!   ([`MIN_MONTHS_PROJECTION`] for projections); the others get an `inconclusive` by-source row with a note and
//!   take no part in the verdict, so a feed seen in one month can neither create nor move a trend. Each
//!   qualifying source is evaluated on its own; the combined estimate is a DerSimonian-Laird random-effects
//!   meta-analysis of the per-source estimates on the model scale (log-odds per year, log ratio, logit share, log
//!   premium), with Cochran's Q, I² and τ² reported; with one qualifying source the combined result is that
//!   source's. `sources_disagree` flags Q's p < 0.10 or two sources with opposite decisive verdicts.
//! - **rising / falling / not-falling**: per source a binomial GLM `logit p_t = α + β t` (t in years) on hits out
//!   of postings per month. With at least [`SPARSE_HITS`] hits (and non-hits): maximum likelihood, quasi-binomial
//!   dispersion φ = max(1, Pearson χ²/(m−2)) and an autocorrelation inflation c = (1+r₁)/(1−r₁) from the lag-1
//!   autocorrelation of the Pearson residuals over consecutive months (r₁ clamped to [0, 0.9]);
//!   Var(β̂) = φ·c·(XᵀWX)⁻¹, Wald interval and tests with t(m−2). With 1..19 hits: Firth's penalised likelihood
//!   (as R's logistf) with a profile penalised-likelihood interval and likelihood-ratio tests (φ = c = 1: too few
//!   events to estimate extra-binomial variation). With no hit: not estimable; a one-sided 95% upper bound
//!   U = 1 − 0.05^(1/N) on the share, and a rising/falling claim is contradicted when U is below the average share
//!   min_effect·T/2 a change of the claimed size over T years would imply (p = (1 − min_effect·T/2)^N). The
//!   effect is in pp/yr along the fitted curve (the change of the fitted share between the first and last month,
//!   per year, weighted by the sources' postings); the interval maps β's interval through the same (increasing)
//!   function; the odds ratio per year is in `extra`. Mann-Kendall (Hamed-Rao) is a robustness p-value only.
//! - **Decisions** (on the interval, 95%): rising is *contradicted* when the interval lies below `min_effect`
//!   (a rise of the claimed size is ruled out: a fall, or a rise too small to matter), else *supported* when it
//!   lies above 0; falling is the mirror image; not-falling is supported above −`min_effect`, contradicted below.
//! - **above / as-common-as**: per source, counts with month effects, i.e. conditionally on a_t + b_t the hits a_t
//!   are Bin(a_t + b_t, π) with log R = logit π (R = share(keywords) / share(than)); R̂ = Σa/Σb,
//!   Var(log R̂) = φ·c·(1/Σa + 1/Σb) with φ = max(1, X²/(m−1)), t(m−1); sparse (fewer than [`SPARSE_HITS`] of
//!   either): Clopper-Pearson for π mapped to R and the exact binomial test. A posting can mention both sides;
//!   treating them as separate counts is conservative. Supported when the interval lies above `min_ratio`
//!   (default 1 for above, [`DEFAULT_MIN_RATIO`] for as-common-as), contradicted when below.
//! - **share-at-least**: per source an intercept-only quasi-binomial model (φ, c as above, t(m−1)) on the logit
//!   scale; sparse: Clopper-Pearson; no hit: [0, U]. Supported above `level`, contradicted below.
//! - **projection**: per source, fits starting at `since` and every 6 months later, each to the end of the data,
//!   while a fit keeps [`MIN_MONTHS_PROJECTION`] counted months (at least 3 fits, else inconclusive). Each fit is a
//!   quasi-binomial logistic trend projected to `by` with a 95% prediction interval (fit variance inflated by c,
//!   plus one month's binomial × φ noise, t(m−2)); a fit supports when its interval is above `level`, contradicts
//!   when below; a source decides only when every fit agrees (p = the largest of the fits' p), and the claim only
//!   when every qualifying source agrees. The effect is a scenario: the median projection and the envelope.
//! - **premium**: per source the ratio of median annual salaries (mentioning vs not) within (currency,
//!   seniority) strata with ≥ [`MIN_PER_STRATUM_GROUP`] of each, weighted geometric mean over strata, seeded
//!   stratified bootstrap ([`BOOTSTRAP`] resamples); sources combined by DL on the log premium (bootstrap SE).
//! - **Multiplicity**: every claim contributes the p-value of the test that decides it (two-sided scale: twice
//!   the one-sided p, capped at 1); Holm's step-down adjustment across the claims; a decisive verdict needs a
//!   Holm-adjusted p < [`ALPHA`], else it becomes inconclusive with a remark. Intervals and by-source rows are
//!   unadjusted.

mod collector;
mod compare;
pub mod firth;
mod premium;
mod projection;
pub mod render;
pub mod stats;
mod trend;
pub mod verdict;

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use crate::posting::{month_index, month_name};
pub use collector::{ClaimCollector, MonthRows, Vocabulary};
pub use verdict::{ClaimWindow, Evaluation, Heterogeneity, SeriesPoint, SourceRow, evaluate, evaluate_all};

/// Family-wise significance level for verdicts (after Holm).
pub const ALPHA: f64 = 0.05;
/// A month counts only with at least this many postings in the claim's population.
pub const MIN_POSTINGS_PER_MONTH: u64 = 30;
/// Minimum number of counted months for a trend, comparison or share claim.
pub const MIN_MONTHS: usize = 6;
/// Minimum number of counted months to project a trend years ahead.
pub const MIN_MONTHS_PROJECTION: usize = 12;
/// Premium claims: minimum postings with a salary in each group (mentioning / not) within a stratum.
pub const MIN_PER_STRATUM_GROUP: usize = 5;
/// Premium claims: minimum salaried postings mentioning the keywords, over all usable strata.
pub const MIN_TREATED: usize = 20;
/// Bootstrap resamples for premium claims.
pub const BOOTSTRAP: usize = 4999;
/// Fewer hits than this (or fewer non-hits) in a source: exact / Firth methods instead of Wald ones.
pub const SPARSE_HITS: u64 = 20;
/// Default `min_effect` of rising / falling claims, in percentage points per year: the smallest rise that lifts
/// a tool by half a percentage point of all postings over a two-year window; anything smaller leaves a niche tool
/// niche.
pub const DEFAULT_MIN_EFFECT: f64 = 0.25;
/// Default `min_effect` of not-falling claims, as a fraction of the window's mean share per year: a "still"
/// claim is about keeping a position, so the tolerated decline scales with the share (5% of it per year).
pub const NOT_FALLING_FRACTION: f64 = 0.05;
/// Default `min_ratio` of as-common-as claims: within 20% of the other counts as "as common as".
pub const DEFAULT_MIN_RATIO: f64 = 0.8;
/// Default `min_ratio` of above claims: more common than the other, full stop.
pub const DEFAULT_MIN_RATIO_ABOVE: f64 = 1.0;

/// The role ids of issue 9 item 3 (what `roles`, `than_roles` and `within_roles` may name).
pub const ROLE_IDS: &[&str] = &[
    "backend",
    "frontend",
    "full-stack",
    "platform",
    "devops",
    "sre",
    "data",
    "ml-ai",
    "mobile",
    "security",
    "engineering-management",
    "other",
];

/// The article's sections, in article order: every claim names one, and the file is kept in this order.
pub const SECTIONS: &[&str] = &[
    "The Biggest Shifts of 2025-2026",
    "What Didn't Change",
    "Emerging Patterns to Watch",
    "Skills Demand Shifts",
    "What to Learn Next (2026 Onwards)",
    "The Next Frontier: Autonomous Backend Agents",
    "Predictions for 2027-2028",
    "Checklist for 2026 Backend Engineers",
    "Conclusion",
];

/// The kind of a claim, i.e. which test decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The share of postings that mention `keywords` (or have `roles`) rises over the window.
    Rising,
    /// ... falls over the window.
    Falling,
    /// The share of `keywords` is above the share of `than` over the window (ratio above `min_ratio`, default 1).
    Above,
    /// The share of `keywords` is at least `min_ratio` (default 0.8) times the share of `than`.
    AsCommonAs,
    /// The share does not fall by more than `min_effect` pp/yr (default: 5% of its mean share per year).
    NotFalling,
    /// The share over the window is at least `level`.
    ShareAtLeast,
    /// The share projected to `by` on the logit scale is above `level` (whole 95% prediction interval).
    Projection,
    /// Postings that mention `keywords` pay `expected = [low, high]` times the others (ratio of medians).
    Premium,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rising => "rising",
            Kind::Falling => "falling",
            Kind::Above => "above",
            Kind::AsCommonAs => "as-common-as",
            Kind::NotFalling => "not-falling",
            Kind::ShareAtLeast => "share-at-least",
            Kind::Projection => "projection",
            Kind::Premium => "premium",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One testable claim of the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    /// Kebab-case, stable: reports and charts are named after it.
    pub id: String,
    /// The claim in a few words (the article's heading where there is one).
    pub claim: String,
    /// The article's words, verbatim (optional in a user's file; the bundled file quotes every claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The section of the article the quote comes from (the bundled file uses one of [`SECTIONS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub kind: Kind,
    /// Hits: postings that mention ANY of these keyword ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// For above / as-common-as: the keyword ids compared against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub than: Vec<String>,
    /// Hits: postings classified in ANY of these roles (instead of `keywords`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// For above / as-common-as on roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub than_roles: Vec<String>,
    /// Population filter: only postings that mention ANY of these keyword ids count (numerator and denominator).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub among: Vec<String>,
    /// Population filter: only postings in ANY of these roles count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub within_roles: Vec<String>,
    /// First month of the window, `YYYY-MM` (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Last month of the window, `YYYY-MM` (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Projection and share-at-least: the share (0..1) the interval must clear (`min_share` is accepted as an
    /// alias).
    #[serde(default, alias = "min_share", skip_serializing_if = "Option::is_none")]
    pub level: Option<f64>,
    /// Projection: the month projected to, `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Premium: the claimed salary ratio range, e.g. `[1.10, 1.20]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<[f64; 2]>,
    /// Rising / falling / not-falling: the smallest meaningful change, in percentage points per year (defaults:
    /// [`DEFAULT_MIN_EFFECT`]; not-falling [`NOT_FALLING_FRACTION`] of the window's mean share per year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_effect: Option<f64>,
    /// Above / as-common-as: the smallest ratio share(keywords) / share(than) that makes the claim true
    /// (defaults [`DEFAULT_MIN_RATIO_ABOVE`], [`DEFAULT_MIN_RATIO`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ratio: Option<f64>,
    /// Why this window / threshold (shown in reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Prediction {
    /// A bare claim of `kind` on `keywords`; set the other fields as needed (handy in tests and tools).
    pub fn new(id: &str, kind: Kind, keywords: &[&str]) -> Self {
        Prediction {
            id: id.to_string(),
            claim: id.to_string(),
            quote: None,
            section: None,
            kind,
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            than: Vec::new(),
            roles: Vec::new(),
            than_roles: Vec::new(),
            among: Vec::new(),
            within_roles: Vec::new(),
            since: None,
            until: None,
            level: None,
            by: None,
            expected: None,
            min_effect: None,
            min_ratio: None,
            note: None,
        }
    }

    /// Every keyword id the claim refers to (keywords, than, among).
    pub fn keyword_ids(&self) -> impl Iterator<Item = &str> {
        self.keywords.iter().chain(&self.than).chain(&self.among).map(String::as_str)
    }
}

/// One month of data for a claim, counted within the claim's population (see [`Prediction::among`],
/// [`Prediction::within_roles`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPoint {
    /// The source the postings come from (`hn`, `greenhouse`, ...); a claim's data has one series per source.
    #[serde(default)]
    pub source: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Postings in the month (in the population).
    pub postings: u64,
    /// Postings that mention ANY of `keywords` (or are in ANY of `roles`).
    pub hits: u64,
    /// For above / as-common-as: postings that mention ANY of `than` (or are in ANY of `than_roles`).
    pub than_hits: Option<u64>,
}

/// One posting with a stated salary, for premium claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalaryObs {
    #[serde(default)]
    pub source: String,
    pub month: String,
    /// Annualised salary (midpoint of a range).
    pub annual: f64,
    pub currency: String,
    /// Seniority from the title (junior/mid/senior/staff/principal/lead...), any label; used as a stratum.
    pub seniority: String,
    /// Whether the posting mentions ANY of the claim's keywords.
    pub treated: bool,
}

/// The data one claim is evaluated on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimData {
    pub months: Vec<MonthPoint>,
    pub salaries: Vec<SalaryObs>,
}

impl ClaimData {
    /// All sources summed per month (source `""`), months sorted.
    pub fn pooled(&self) -> ClaimData {
        let mut per: std::collections::BTreeMap<&str, (u64, u64, Option<u64>)> = Default::default();
        for m in &self.months {
            let e = per.entry(m.month.as_str()).or_insert((0, 0, None));
            e.0 += m.postings;
            e.1 += m.hits;
            if let Some(t) = m.than_hits {
                e.2 = Some(e.2.unwrap_or(0) + t);
            }
        }
        ClaimData {
            months: per
                .into_iter()
                .map(|(month, (postings, hits, than_hits))| MonthPoint {
                    source: String::new(),
                    month: month.to_string(),
                    postings,
                    hits,
                    than_hits,
                })
                .collect(),
            salaries: self.salaries.clone(),
        }
    }
}

/// The verdict on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Supported,
    Contradicted,
    Inconclusive,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a claims file.
#[derive(Debug, thiserror::Error)]
pub enum PredictionError {
    #[error("could not read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// A problem with one field of one claim.
    #[error("{file}: claim `{id}`, field `{field}`: {message}")]
    Field { file: String, id: String, field: String, message: String },
    /// A problem with the file as a whole (TOML syntax outside any claim, empty file...).
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

impl PredictionError {
    fn field(id: &str, field: &str, message: impl Into<String>) -> Self {
        PredictionError::Field {
            file: String::new(),
            id: id.to_string(),
            field: field.to_string(),
            message: message.into(),
        }
    }
    /// The same error, naming the file `name` (errors of [`validate`] name no file: the caller knows it).
    pub fn in_file(mut self, name: &str) -> Self {
        match &mut self {
            PredictionError::Field { file, .. } | PredictionError::File { file, .. } => *file = name.to_string(),
            PredictionError::Io { .. } => {}
        }
        self
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    prediction: Vec<Prediction>,
}

/// The repo's claims file, embedded in the binary.
pub const BUILTIN_TOML: &str = include_str!("../../keywords/predictions.toml");

/// The repo's claims (parsed and structurally checked; keyword ids are checked by [`validate`]).
pub fn builtin() -> Result<Vec<Prediction>, PredictionError> {
    parse(BUILTIN_TOML, "keywords/predictions.toml")
}

/// Reads and parses a claims file. Errors name the claim id and the field; unknown fields are errors.
pub fn load(path: &Path) -> Result<Vec<Prediction>, PredictionError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| PredictionError::Io { path: path.display().to_string(), source })?;
    parse(&text, &path.display().to_string())
}

/// Parses claims from TOML text; `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Vec<Prediction>, PredictionError> {
    let file: File = toml::from_str(text).map_err(|e| toml_error(text, &e).in_file(name))?;
    if file.prediction.is_empty() {
        return Err(PredictionError::File { file: name.to_string(), message: "no [[prediction]] entries".to_string() });
    }
    check_structure(&file.prediction).map_err(|e| e.in_file(name))?;
    Ok(file.prediction)
}

/// Turns a TOML error into one naming the claim (the `id` of the enclosing `[[prediction]]`) and the field.
fn toml_error(text: &str, e: &toml::de::Error) -> PredictionError {
    let message = e.message().trim().to_string();
    let Some(span) = e.span() else {
        return PredictionError::File { file: String::new(), message };
    };
    let start = span.start.min(text.len());
    // The enclosing [[prediction]] block: from the last header at or before the error to the next header. For a
    // missing field the span is the block's own header, so a header starting at the span belongs to the block.
    let own_header = if text[start..].starts_with("[[prediction]]") { "[[prediction]]".len() } else { 0 };
    let before = &text[..start + own_header];
    let Some(block_start) = before.rfind("[[prediction]]") else {
        return PredictionError::File {
            file: String::new(),
            message: format!("{message} (line {})", line_of(text, start)),
        };
    };
    let rest = &text[block_start + "[[prediction]]".len()..];
    let block_end = rest.find("[[prediction]]").map_or(text.len(), |i| block_start + "[[prediction]]".len() + i);
    let block = &text[block_start..block_end];
    let index = text[..block_start].matches("[[prediction]]").count();
    let id = block
        .lines()
        .find_map(|l| {
            let l = l.trim();
            let v = l.strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
            Some(v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| format!("#{}", index + 1));
    // The field: the key on the error's line, or the backticked name in "unknown field `x`" / "missing field `x`".
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let quoted = message.split('`').nth(1).map(str::to_string);
    let key = line.split('=').next().map(|k| k.trim().to_string()).filter(|k| {
        !k.is_empty() && !k.starts_with('[') && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    let field = if message.contains("unknown field") || message.contains("missing field") {
        quoted.or(key)
    } else {
        key.or(quoted)
    }
    .unwrap_or_else(|| "?".to_string());
    let first = message.lines().next().unwrap_or("").to_string();
    PredictionError::Field {
        file: String::new(),
        id,
        field,
        message: format!("{first} (line {})", line_of(text, start)),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Checks that need no keyword list: ids, required and forbidden fields per kind, months, ranges.
pub fn check_structure(preds: &[Prediction]) -> Result<(), PredictionError> {
    let mut seen = BTreeSet::new();
    for p in preds {
        let id = p.id.as_str();
        if !is_kebab(id) {
            return Err(PredictionError::field(id, "id", "must be kebab-case (a-z, 0-9, single hyphens)"));
        }
        if !seen.insert(id) {
            return Err(PredictionError::field(id, "id", "duplicate id"));
        }
        check_text_and_months(p)?;
        check_subjects(p)?;
        check_kind_fields(p)?;
    }
    Ok(())
}

/// The claim, quote and section are not blank; `since`, `until` and `by` are months, `until`
/// not before `since`.
fn check_text_and_months(p: &Prediction) -> Result<(), PredictionError> {
    let err = |field: &str, msg: &str| Err(PredictionError::field(&p.id, field, msg));
    if p.claim.trim().is_empty() {
        return err("claim", "must not be empty");
    }
    if p.quote.as_deref().is_some_and(|q| q.trim().is_empty()) {
        return err("quote", "must not be empty when given");
    }
    if p.section.as_deref().is_some_and(|q| q.trim().is_empty()) {
        return err("section", "must not be empty when given");
    }
    for (field, v) in [("since", &p.since), ("until", &p.until), ("by", &p.by)] {
        if let Some(m) = v
            && month_index(m).is_none()
        {
            return err(field, &format!("`{m}` is not a month (YYYY-MM)"));
        }
    }
    if let (Some(a), Some(b)) = (p.since.as_deref().and_then(month_index), p.until.as_deref().and_then(month_index))
        && a > b
    {
        return err("until", "is before `since`");
    }
    Ok(())
}

/// What the claim is about: keywords or roles (a premium claim: keywords only), and what it is
/// compared with (`than` or `than_roles`, only for above / as-common-as claims).
fn check_subjects(p: &Prediction) -> Result<(), PredictionError> {
    let err = |field: &str, msg: &str| Err(PredictionError::field(&p.id, field, msg));
    let has_kw = !p.keywords.is_empty();
    let has_roles = !p.roles.is_empty();
    if p.kind == Kind::Premium {
        if !has_kw {
            return err("keywords", "a premium claim needs keywords");
        }
        if has_roles {
            return err("roles", "a premium claim is on keywords only");
        }
    } else if has_kw == has_roles {
        return err("keywords", "give exactly one of `keywords` and `roles`");
    }
    let comparative = matches!(p.kind, Kind::Above | Kind::AsCommonAs);
    let has_than = !p.than.is_empty() || !p.than_roles.is_empty();
    if comparative {
        if p.than.is_empty() == p.than_roles.is_empty() {
            return err("than", "an above / as-common-as claim needs exactly one of `than` and `than_roles`");
        }
    } else if has_than {
        let f = if p.than.is_empty() { "than_roles" } else { "than" };
        return err(f, &format!("only above / as-common-as claims compare (this one is `{}`)", p.kind));
    }
    Ok(())
}

/// The fields only some kinds take are given only to them, and each kind's own fields are present
/// and in range.
fn check_kind_fields(p: &Prediction) -> Result<(), PredictionError> {
    let id = p.id.as_str();
    let err = |field: &str, msg: &str| Err(PredictionError::field(id, field, msg));
    let only = |field: &str, present: bool, kinds: &[Kind]| -> Result<(), PredictionError> {
        if present && !kinds.contains(&p.kind) {
            let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            return Err(PredictionError::field(
                id,
                field,
                format!("only for kind {} (this one is `{}`)", names.join(" / "), p.kind),
            ));
        }
        Ok(())
    };
    only("level", p.level.is_some(), &[Kind::Projection, Kind::ShareAtLeast])?;
    only("by", p.by.is_some(), &[Kind::Projection])?;
    only("expected", p.expected.is_some(), &[Kind::Premium])?;
    only("min_ratio", p.min_ratio.is_some(), &[Kind::Above, Kind::AsCommonAs])?;
    only("min_effect", p.min_effect.is_some(), &[Kind::Rising, Kind::Falling, Kind::NotFalling])?;
    match p.kind {
        Kind::Projection | Kind::ShareAtLeast => {
            match p.level {
                None => {
                    return err(
                        "level",
                        &format!("a {} claim needs `level` (a share strictly between 0 and 1)", p.kind),
                    );
                }
                Some(l) if !(l > 0.0 && l < 1.0) => return err("level", "must be strictly between 0 and 1"),
                _ => {}
            }
            if p.kind == Kind::Projection && p.by.is_none() {
                return err("by", "a projection needs `by` (YYYY-MM)");
            }
        }
        Kind::Premium => match p.expected {
            None => return err("expected", "a premium claim needs `expected = [low, high]`"),
            Some([lo, hi]) if !(lo > 0.0 && lo <= hi && hi.is_finite()) => {
                return err("expected", "must be [low, high] with 0 < low <= high");
            }
            _ => {}
        },
        Kind::Above | Kind::AsCommonAs => {
            if let Some(r) = p.min_ratio
                && !(r > 0.0 && r.is_finite())
            {
                return err("min_ratio", "must be a positive number");
            }
        }
        Kind::Rising | Kind::Falling | Kind::NotFalling => {
            if let Some(e) = p.min_effect
                && !(0.0..100.0).contains(&e)
            {
                return err("min_effect", "must be in [0, 100) percentage points per year");
            }
        }
    }
    Ok(())
}

/// Checks every keyword id against `known_keyword_ids` and every role against [`ROLE_IDS`] (plus the structural
/// checks of [`check_structure`]). Errors name the claim and the field.
pub fn validate(preds: &[Prediction], known_keyword_ids: &[&str]) -> Result<(), PredictionError> {
    check_structure(preds)?;
    for p in preds {
        for (field, ids) in [("keywords", &p.keywords), ("than", &p.than), ("among", &p.among)] {
            for k in ids {
                if !known_keyword_ids.contains(&k.as_str()) {
                    return Err(PredictionError::field(&p.id, field, format!("unknown keyword id `{k}`")));
                }
            }
        }
        for (field, ids) in [("roles", &p.roles), ("than_roles", &p.than_roles), ("within_roles", &p.within_roles)] {
            for r in ids {
                if !ROLE_IDS.contains(&r.as_str()) {
                    return Err(PredictionError::field(
                        &p.id,
                        field,
                        format!("unknown role `{r}` (roles: {})", ROLE_IDS.join(", ")),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_round_trip() {
        assert_eq!(month_index("2024-01"), Some(2024 * 12));
        assert_eq!(month_name(2024 * 12 + 11), "2024-12");
        assert_eq!(month_index("2024-13"), None);
        assert_eq!(month_index("2024-1"), None);
    }
}
