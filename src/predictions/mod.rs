//! The article's predictions as data, and their statistical verdicts.
//!
//! In: a claims file (`keywords/predictions.toml`, embedded as [`builtin`], or any file via [`load`]) and, per
//! claim, its monthly counts ([`ClaimData`]: postings, postings that mention the claim's keywords or roles, and
//! salaries for premium claims), built by the caller from the matched postings (see [`collect`]).
//! Out: one [`Evaluation`] per claim (verdict `supported` / `contradicted` / `inconclusive`, the effect in plain
//! units with a 95% interval, the p-value and its Holm-adjusted value across all claims, the method and a note).
//!
//! # Method (the same text as the README section "How the verdicts are reached")
//! - **Data rule.** Only months inside the claim's window (`since`..=`until`) with at least
//!   [`MIN_POSTINGS_PER_MONTH`] postings (in the claim's population) count; a claim needs at least
//!   [`MIN_MONTHS`] such months ([`MIN_MONTHS_PROJECTION`] for projections), else it is `inconclusive`.
//! - **rising / falling**: two trend tests must agree (an intersection-union test, `p = max` of the two):
//!   a Mann-Kendall test on the monthly shares with the Hamed-Rao autocorrelation correction, and a binomial
//!   logistic regression of hits/postings on time with a quasi-binomial (Pearson-dispersion-scaled) t test on the
//!   slope. Effect: Theil-Sen slope in percentage points per year with its rank-based 95% interval (using the
//!   corrected Mann-Kendall variance).
//! - **not-falling**: the same two tests, of H0 "slope = -tolerance" (tolerance = `tolerance` × the window's mean
//!   share per year, default 5%): supported when the slope is significantly above -tolerance (a non-inferiority
//!   test), contradicted when significantly below (it falls by more than the tolerance).
//! - **above**: mean of the monthly differences of shares (keywords − than) in pp, t interval with the standard
//!   error inflated for lag-1 autocorrelation; supported if significantly > 0, contradicted if < 0.
//! - **as-common-as**: ratio of mean monthly shares (keywords / than) with a Fieller interval; H0 ratio =
//!   `min_ratio` (default 0.8): supported when significantly above, contradicted when significantly below.
//! - **share-at-least**: pooled share over the window, Wilson interval on n / dispersion (dispersion = Pearson
//!   chi-square of month heterogeneity / (m−1), floored at 1); score test of H0 share = `min_share`.
//! - **projection**: the quasi-binomial logistic regression of hits/postings on time, projected to `by` on the
//!   logit scale with a 95% prediction interval for that month's share (fit variance inflated for the lag-1
//!   autocorrelation of the Pearson residuals, plus one month's binomial × dispersion noise, t with m−2 df);
//!   supported when the whole interval is above `level`, contradicted when the whole interval is below.
//! - **premium**: ratio of median annual salaries, postings that mention the keywords over those that do not,
//!   within each (currency, seniority) stratum with ≥ 5 of each; strata combined by a weighted geometric mean
//!   (weights n₁n₀/(n₁+n₀)); seeded stratified bootstrap (4,999 resamples) for the 95% percentile interval and the
//!   p-values. Supported when the premium is significantly above 1 and the interval reaches the `expected`
//!   range; contradicted when the premium is significantly below the range's low end.
//! - **Multiplicity**: Holm's step-down adjustment over every claim that was tested; a verdict other than
//!   `inconclusive` needs Holm-adjusted p < [`ALPHA`]. Intervals are unadjusted 95% intervals.

pub mod stats;
pub mod verdict;

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use crate::posting::{month_index, month_name};
pub use verdict::{Evaluation, SeriesPoint, evaluate, evaluate_all};

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
    /// The share of `keywords` is above the share of `than` over the window.
    Above,
    /// The share of `keywords` is at least `min_ratio` (default 0.8) times the share of `than`.
    AsCommonAs,
    /// The share does not fall by more than `tolerance` (fraction of its mean per year, default 0.05).
    NotFalling,
    /// The pooled share over the window is at least `min_share`.
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
    /// The article's words, verbatim.
    pub quote: String,
    /// The article section the quote comes from (one of [`SECTIONS`]).
    pub section: String,
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
    /// Projection: the share (0..1) the projected interval must clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<f64>,
    /// Projection: the month projected to, `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Premium: the claimed salary ratio range, e.g. `[1.10, 1.20]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<[f64; 2]>,
    /// Share-at-least: the share (0..1) claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_share: Option<f64>,
    /// As-common-as: the smallest ratio that still counts as "as common as" (default 0.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ratio: Option<f64>,
    /// Not-falling: tolerated decline per year, as a fraction of the window's mean share (default 0.05).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
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
            quote: id.to_string(),
            section: SECTIONS[0].to_string(),
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
            min_share: None,
            min_ratio: None,
            tolerance: None,
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
    fn in_file(mut self, name: &str) -> Self {
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
    // The enclosing [[prediction]] block: from the last header before the error to the next header.
    let before = &text[..start];
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
        let err = |field: &str, msg: &str| Err(PredictionError::field(id, field, msg));
        if !is_kebab(id) {
            return err("id", "must be kebab-case (a-z, 0-9, single hyphens)");
        }
        if !seen.insert(id) {
            return err("id", "duplicate id");
        }
        if p.claim.trim().is_empty() {
            return err("claim", "must not be empty");
        }
        if p.quote.trim().is_empty() {
            return err("quote", "must quote the article");
        }
        if !SECTIONS.contains(&p.section.as_str()) {
            return err("section", &format!("must be one of the article's sections: {}", SECTIONS.join(" | ")));
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
        only("level", p.level.is_some(), &[Kind::Projection])?;
        only("by", p.by.is_some(), &[Kind::Projection])?;
        only("expected", p.expected.is_some(), &[Kind::Premium])?;
        only("min_share", p.min_share.is_some(), &[Kind::ShareAtLeast])?;
        only("min_ratio", p.min_ratio.is_some(), &[Kind::AsCommonAs])?;
        only("tolerance", p.tolerance.is_some(), &[Kind::NotFalling])?;
        match p.kind {
            Kind::Projection => {
                match p.level {
                    None => return err("level", "a projection needs `level` (a share strictly between 0 and 1)"),
                    Some(l) if !(l > 0.0 && l < 1.0) => return err("level", "must be strictly between 0 and 1"),
                    _ => {}
                }
                if p.by.is_none() {
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
            Kind::ShareAtLeast => match p.min_share {
                None => return err("min_share", "a share-at-least claim needs `min_share`"),
                Some(s) if !(s > 0.0 && s < 1.0) => return err("min_share", "must be strictly between 0 and 1"),
                _ => {}
            },
            Kind::AsCommonAs => {
                if let Some(r) = p.min_ratio
                    && !(r > 0.0 && r.is_finite())
                {
                    return err("min_ratio", "must be a positive number");
                }
            }
            Kind::NotFalling => {
                if let Some(t) = p.tolerance
                    && !(0.0..1.0).contains(&t)
                {
                    return err("tolerance", "must be in [0, 1)");
                }
            }
            _ => {}
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

/// What [`collect`] needs to know about one posting.
#[derive(Debug, Clone, Copy)]
pub struct PostingFacts<'a> {
    /// Source of the posting (`hn`, `greenhouse`, ...).
    pub source: &'a str,
    /// `YYYY-MM`.
    pub month: &'a str,
    /// Matched keyword ids.
    pub keywords: &'a [String],
    /// Classified roles.
    pub roles: &'a [String],
    /// `(annual salary, currency)` when the posting states one.
    pub salary: Option<(f64, &'a str)>,
    /// Seniority label from the title ("" when unknown).
    pub seniority: &'a str,
}

/// Builds a claim's [`ClaimData`] from per-posting facts: applies the population filters (`among`,
/// `within_roles`), counts postings, hits and than-hits per source and month, and keeps salaries (premium
/// claims). Points come out sorted by (source, month). The window is *not* applied here (evaluation does it).
pub fn collect<'a>(pred: &Prediction, postings: impl IntoIterator<Item = PostingFacts<'a>>) -> ClaimData {
    let mut c = ClaimCollector::new(pred);
    for f in postings {
        c.add(&f);
    }
    c.finish()
}

/// [`collect`] one posting at a time, for callers that stream postings (or their index rows) and
/// never hold them all.
#[derive(Debug, Clone)]
pub struct ClaimCollector {
    pred: Prediction,
    /// (source, month) → (postings, hits, than-hits).
    counts: std::collections::BTreeMap<(String, String), (u64, u64, u64)>,
    salaries: Vec<SalaryObs>,
}

impl ClaimCollector {
    pub fn new(pred: &Prediction) -> Self {
        ClaimCollector { pred: pred.clone(), counts: Default::default(), salaries: Vec::new() }
    }

    /// Counts one posting (if it is in the claim's population).
    pub fn add(&mut self, f: &PostingFacts<'_>) {
        let pred = &self.pred;
        let any = |have: &[String], want: &[String]| want.iter().any(|w| have.contains(w));
        if !pred.among.is_empty() && !any(f.keywords, &pred.among) {
            return;
        }
        if !pred.within_roles.is_empty() && !any(f.roles, &pred.within_roles) {
            return;
        }
        let hit = any(f.keywords, &pred.keywords) || any(f.roles, &pred.roles);
        let than = any(f.keywords, &pred.than) || any(f.roles, &pred.than_roles);
        let key = (f.source.to_string(), f.month.to_string());
        let e = self.counts.entry(key).or_default();
        e.0 += 1;
        e.1 += hit as u64;
        e.2 += than as u64;
        if pred.kind == Kind::Premium
            && let Some((annual, currency)) = f.salary
            && annual.is_finite()
            && annual > 0.0
        {
            self.salaries.push(SalaryObs {
                source: f.source.to_string(),
                month: f.month.to_string(),
                annual,
                currency: currency.to_string(),
                seniority: f.seniority.to_string(),
                treated: hit,
            });
        }
    }

    pub fn finish(self) -> ClaimData {
        let comparative = matches!(self.pred.kind, Kind::Above | Kind::AsCommonAs);
        ClaimData {
            months: self
                .counts
                .into_iter()
                .map(|((source, month), (postings, hits, than))| MonthPoint {
                    source,
                    month,
                    postings,
                    hits,
                    than_hits: comparative.then_some(than),
                })
                .collect(),
            salaries: self.salaries,
        }
    }
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

    #[test]
    fn collect_applies_population_and_counts() {
        let mut p = Prediction::new("x", Kind::Above, &["typescript"]);
        p.than = vec!["javascript".into()];
        p.within_roles = vec!["backend".into()];
        let ts = vec!["typescript".to_string()];
        let js = vec!["javascript".to_string()];
        let be = vec!["backend".to_string()];
        let fe = vec!["frontend".to_string()];
        let facts = [
            PostingFacts { source: "hn", month: "2024-02", keywords: &ts, roles: &be, salary: None, seniority: "" },
            PostingFacts { source: "hn", month: "2024-01", keywords: &js, roles: &be, salary: None, seniority: "" },
            PostingFacts { source: "hn", month: "2024-01", keywords: &ts, roles: &fe, salary: None, seniority: "" },
        ];
        let d = collect(&p, facts);
        assert_eq!(d.months.len(), 2);
        assert_eq!(
            d.months[0],
            MonthPoint { source: "hn".into(), month: "2024-01".into(), postings: 1, hits: 0, than_hits: Some(1) }
        );
        assert_eq!(
            d.months[1],
            MonthPoint { source: "hn".into(), month: "2024-02".into(), postings: 1, hits: 1, than_hits: Some(0) }
        );
    }
}
