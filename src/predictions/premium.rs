//! Premium claims: the salary ratio of postings that mention the keywords over the others, per source and
//! combined.
//!
//! In: the claim (`expected = [low, high]`) and the salaried postings of its data. Out: per source the ratio of
//! median annual salaries within (currency, seniority) strata, a weighted geometric mean over strata, and a
//! seeded stratified bootstrap for its interval and p-values; sources combined by DerSimonian-Laird on the log
//! premium (standard error from the bootstrap distribution).

use std::collections::{BTreeMap, BTreeSet};

use super::stats::{self, SplitMix64};
use super::verdict::{Evaluation, SeriesPoint, SourceData, Z95, combine, p_meta, signed};
use super::{
    ALPHA, BOOTSTRAP, ClaimData, MIN_PER_STRATUM_GROUP, MIN_TREATED, Prediction, SalaryObs, Verdict, month_index,
    month_name,
};

/// Salaries of one (currency, seniority) stratum: mentioning the keywords, and not.
type Strata = BTreeMap<(String, String), (Vec<f64>, Vec<f64>)>;

fn strata<'a>(obs: impl Iterator<Item = &'a SalaryObs>) -> Strata {
    let mut s: Strata = BTreeMap::new();
    for o in obs {
        if !(o.annual.is_finite() && o.annual > 0.0) {
            continue;
        }
        let e = s.entry((o.currency.to_ascii_uppercase(), o.seniority.to_ascii_lowercase())).or_default();
        if o.treated { e.0.push(o.annual) } else { e.1.push(o.annual) }
    }
    s.retain(|_, (t, c)| t.len() >= MIN_PER_STRATUM_GROUP && c.len() >= MIN_PER_STRATUM_GROUP);
    s
}

/// Weighted mean over strata of ln(median treated / median control); weights n1*n0/(n1+n0).
fn log_premium(groups: &[(Vec<f64>, Vec<f64>)], buf_t: &mut [Vec<f64>], buf_c: &mut [Vec<f64>]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for (i, (t, c)) in groups.iter().enumerate() {
        let mt = stats::median_mut(&mut buf_t[i]).unwrap_or(f64::NAN);
        let mc = stats::median_mut(&mut buf_c[i]).unwrap_or(f64::NAN);
        let w = (t.len() * c.len()) as f64 / (t.len() + c.len()) as f64;
        num += w * (mt / mc).ln();
        den += w;
    }
    num / den
}

/// Point estimate and sorted bootstrap log-ratios.
fn premium_boot(groups: &[(Vec<f64>, Vec<f64>)], reps: usize, seed: u64) -> (f64, Vec<f64>) {
    let mut bt: Vec<Vec<f64>> = groups.iter().map(|(t, _)| t.clone()).collect();
    let mut bc: Vec<Vec<f64>> = groups.iter().map(|(_, c)| c.clone()).collect();
    let est = log_premium(groups, &mut bt, &mut bc);
    let mut rng = SplitMix64::new(seed);
    let mut boots = Vec::with_capacity(reps);
    for _ in 0..reps {
        for (i, (t, c)) in groups.iter().enumerate() {
            for v in bt[i].iter_mut() {
                *v = t[rng.below(t.len())];
            }
            for v in bc[i].iter_mut() {
                *v = c[rng.below(c.len())];
            }
        }
        let b = log_premium(groups, &mut bt, &mut bc);
        if b.is_finite() {
            boots.push(b);
        }
    }
    boots.sort_by(f64::total_cmp);
    (est, boots)
}

/// Two-sided bootstrap p-value of H0: log-ratio = `l0`.
fn boot_p(boots: &[f64], l0: f64) -> f64 {
    let b = boots.len() as f64;
    let le = boots.iter().filter(|&&v| v <= l0).count() as f64;
    let ge = boots.iter().filter(|&&v| v >= l0).count() as f64;
    (2.0 * (le.min(ge) + 1.0) / (b + 1.0)).min(1.0)
}

/// The bootstrap result of one source (or of the year series).
struct Boot {
    log_ratio: f64,
    /// Sorted bootstrap log-ratios.
    boots: Vec<f64>,
    n_t: usize,
    n_c: usize,
    strata: usize,
}

impl Boot {
    fn lo(&self) -> f64 {
        stats::percentile_sorted(&self.boots, 0.025).unwrap_or(f64::NAN).exp()
    }
    fn hi(&self) -> f64 {
        stats::percentile_sorted(&self.boots, 0.975).unwrap_or(f64::NAN).exp()
    }
    fn se(&self) -> f64 {
        let b = &self.boots;
        let n = b.len() as f64;
        let m = b.iter().sum::<f64>() / n;
        (b.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    }
}

/// Stratifies and bootstraps `obs`; `None` with fewer than [`MIN_TREATED`] in either group.
fn boot<'a>(obs: impl Iterator<Item = &'a SalaryObs>, reps: usize, seed: &str) -> Result<Boot, (usize, usize)> {
    let groups: Vec<(Vec<f64>, Vec<f64>)> = strata(obs).into_values().collect();
    let n_t: usize = groups.iter().map(|g| g.0.len()).sum();
    let n_c: usize = groups.iter().map(|g| g.1.len()).sum();
    if n_t < MIN_TREATED || n_c < MIN_TREATED {
        return Err((n_t, n_c));
    }
    let (log_ratio, boots) = premium_boot(&groups, reps, stats::seed_from(seed));
    Ok(Boot { log_ratio, boots, n_t, n_c, strata: groups.len() })
}

/// The claim's verdict rule: contradicted (tested against the range's low end) when the premium is at most 1 or
/// its interval lies below the low end; else supported when significantly above 1.
fn decide(ratio: f64, hi: f64, exp_lo: f64, p_one: f64, p_low: f64) -> (Verdict, f64) {
    let (candidate, p) =
        if ratio <= 1.0 || hi < exp_lo { (Verdict::Contradicted, p_low) } else { (Verdict::Supported, p_one) };
    (if p < ALPHA { candidate } else { Verdict::Inconclusive }, p)
}

fn effect(ratio: f64, [lo, hi]: [f64; 2]) -> String {
    format!("×{ratio:.3} ({}%; claim ×{lo:.2}–{hi:.2})", signed((ratio - 1.0) * 100.0, 1))
}

/// Salaried postings in the window, by source.
type BySource<'a> = BTreeMap<&'a str, Vec<(i32, &'a SalaryObs)>>;

/// One by-source row per source; the bootstrap of each qualifying source and the months they use.
fn per_source(
    pred: &Prediction,
    per: &BySource,
    expected: [f64; 2],
    ev: &mut Evaluation,
) -> (Vec<(String, Boot)>, BTreeSet<i32>) {
    let exp_lo = expected[0];
    let mut fits: Vec<(String, Boot)> = Vec::new();
    let mut months = BTreeSet::new();
    for (source, obs) in per {
        // The seed depends on the claim and the source only, so a source's row is the same whatever
        // other sources the dataset holds.
        let seed = format!("{}/{source}", pred.id);
        let mut row = SourceData::row_of(source, 0, 0, 0);
        match boot(obs.iter().map(|(_, o)| *o), BOOTSTRAP, &seed) {
            Err((n_t, n_c)) => {
                row.qualifies = false;
                row.n_postings = (n_t + n_c) as u64;
                row.n_hits = n_t as u64;
                row.note = format!(
                    "{n_t} salaried postings mentioning the keywords and {n_c} not, in strata with ≥ \
                     {MIN_PER_STRATUM_GROUP} of each; needs {MIN_TREATED} of each"
                );
            }
            Ok(b) => {
                let used: BTreeSet<(String, String)> = strata(obs.iter().map(|(_, o)| *o)).into_keys().collect();
                let m: BTreeSet<i32> = obs
                    .iter()
                    .filter(|(_, o)| {
                        used.contains(&(o.currency.to_ascii_uppercase(), o.seniority.to_ascii_lowercase()))
                    })
                    .map(|(i, _)| *i)
                    .collect();
                row.n_months = m.len();
                months.extend(m);
                row.n_postings = (b.n_t + b.n_c) as u64;
                row.n_hits = b.n_t as u64;
                let ratio = b.log_ratio.exp();
                let (p_one, p_low) = (boot_p(&b.boots, 0.0), boot_p(&b.boots, exp_lo.ln()));
                let (verdict, p) = decide(ratio, b.hi(), exp_lo, p_one, p_low);
                row.verdict = verdict;
                row.p_value = Some(p);
                row.estimate = Some(ratio);
                row.ci_low = Some(b.lo());
                row.ci_high = Some(b.hi());
                row.effect = effect(ratio, expected);
                fits.push((source.to_string(), b));
            }
        }
        ev.by_source.push(row);
    }
    (fits, months)
}

pub(super) fn evaluate(pred: &Prediction, data: &ClaimData, ev: &mut Evaluation) {
    let expected = pred.expected.unwrap_or([1.0, 1.0]);
    let exp_lo = expected[0];
    ev.method = format!(
        "ratio of median annual salaries (mentioning vs not) within currency × seniority strata, weighted geometric \
         mean over strata; seeded stratified bootstrap ({BOOTSTRAP} resamples) percentile 95% interval per source; \
         sources combined by DerSimonian-Laird random effects on the log premium (bootstrap standard errors)"
    );
    ev.unit = "ratio".to_string();
    ev.threshold = Some(exp_lo);
    let since = pred.since.as_deref().and_then(month_index);
    let until = pred.until.as_deref().and_then(month_index);
    let mut per: BySource = BTreeMap::new();
    for o in &data.salaries {
        let Some(i) = month_index(&o.month) else { continue };
        if since.is_none_or(|s| i >= s) && until.is_none_or(|u| i <= u) {
            per.entry(o.source.as_str()).or_default().push((i, o));
        }
    }
    let (fits, months) = per_source(pred, &per, expected, ev);
    ev.n_months = months.len();
    ev.n_postings = fits.iter().map(|(_, b)| (b.n_t + b.n_c) as u64).sum();
    ev.n_hits = fits.iter().map(|(_, b)| b.n_t as u64).sum();
    ev.since = months.first().map(|&i| month_name(i));
    ev.until = months.last().map(|&i| month_name(i));
    ev.extra.insert("strata".into(), fits.iter().map(|(_, b)| b.strata).sum::<usize>() as f64);
    ev.extra.insert("salaried_postings_in_window".into(), per.values().map(Vec::len).sum::<usize>() as f64);
    let (ratio, lo, hi, p_one, p_low) = match fits.as_slice() {
        [] => {
            ev.remark(&format!(
                "too little data: no source has {MIN_TREATED} salaried postings mentioning the keywords and \
                 {MIN_TREATED} not, in strata with ≥ {MIN_PER_STRATUM_GROUP} of each"
            ));
            return;
        }
        [(_, b)] => (b.log_ratio.exp(), b.lo(), b.hi(), boot_p(&b.boots, 0.0), boot_p(&b.boots, exp_lo.ln())),
        many => {
            let y: Vec<f64> = many.iter().map(|(_, b)| b.log_ratio).collect();
            let se: Vec<f64> = many.iter().map(|(_, b)| b.se()).collect();
            let Some(m) = combine(ev, &y, &se) else {
                ev.remark("the per-source estimates could not be combined");
                return;
            };
            let (lo, hi) = ((m.estimate - Z95 * m.se).exp(), (m.estimate + Z95 * m.se).exp());
            (m.estimate.exp(), lo, hi, p_meta(&m, 0.0), p_meta(&m, exp_lo.ln()))
        }
    };
    ev.estimate = Some(ratio);
    ev.ci_low = Some(lo);
    ev.ci_high = Some(hi);
    ev.effect = effect(ratio, expected);
    ev.extra.insert("p_premium_vs_1".into(), p_one);
    ev.extra.insert("p_premium_vs_expected_low".into(), p_low);
    let (verdict, p) = decide(ratio, hi, exp_lo, p_one, p_low);
    ev.verdict = verdict;
    ev.p_value = Some(p);
    ev.remark(&if ratio <= 1.0 || hi < exp_lo {
        format!("premium below the claimed {:.0}% (tested against ×{exp_lo:.2})", (exp_lo - 1.0) * 100.0)
    } else if lo > expected[1] {
        format!("premium larger than the claimed range ×{:.2}–{:.2}", expected[0], expected[1])
    } else {
        "tested against no premium (×1); the interval reaches the claimed range".to_string()
    });
    year_series(pred, &per, ev);
}

/// Per calendar year over the sources that qualify, for the premium chart.
fn year_series(pred: &Prediction, per: &BySource, ev: &mut Evaluation) {
    let used: BTreeSet<&str> = ev.by_source.iter().filter(|r| r.qualifies).map(|r| r.source.as_str()).collect();
    let mut years: BTreeMap<i32, Vec<&SalaryObs>> = BTreeMap::new();
    for (source, obs) in per {
        if used.contains(source) {
            for (i, o) in obs {
                years.entry(i.div_euclid(12)).or_default().push(*o);
            }
        }
    }
    for (year, obs) in years {
        if let Ok(b) = boot(obs.into_iter(), 999, &format!("{}/{year}", pred.id)) {
            ev.series.push(SeriesPoint {
                period: year.to_string(),
                value: b.log_ratio.exp(),
                lo: b.lo(),
                hi: b.hi(),
                n: (b.n_t + b.n_c) as u64,
            });
        }
    }
}
