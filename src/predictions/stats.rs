//! Small, dependency-light statistics behind the verdicts.
//!
//! In: plain slices (monthly counts, shares, salaries). Out: estimates, intervals and p-values. Nothing here knows
//! about claims; [`super::verdict`] combines these pieces. Distributions come from `statrs`; everything else is a
//! few dozen lines each and tested against hand-computed values:
//!
//! - [`wilson`]: Wilson score interval for a binomial proportion (also with an effective, overdispersion-scaled n);
//! - [`holm`]: Holm-Bonferroni step-down adjusted p-values;
//! - [`mann_kendall`]: Mann-Kendall S, its tie-corrected variance and the Hamed-Rao (1998) autocorrelation
//!   correction (a robustness figure only); [`theil_sen`] for the slope it detrends with;
//! - [`logistic_trend`]: binomial logistic regression of hits/postings on time (IRLS) with a quasi-binomial
//!   (Pearson overdispersion-scaled) covariance, [`LogitFit::eta`] for logit-scale projections;
//! - [`lag1_consecutive`] and [`ar1_inflation`]: autocorrelation of residuals over consecutive calendar months
//!   and the variance inflation it implies;
//! - [`clopper_pearson`], [`binom_p_two_sided`], [`chi2_sf`]: exact binomial interval and test, χ² tail;
//! - [`dersimonian_laird`]: random-effects meta-analysis with Cochran's Q, I² and τ²;
//! - [`SplitMix64`]: a tiny deterministic PRNG for seeded bootstraps, and [`median_mut`].

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};
use statrs::function::beta::beta_reg;

/// Standard normal quantile (`q` in (0, 1)).
pub fn z_quantile(q: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(q),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p-value of a standard normal statistic.
pub fn p_normal(z: f64) -> f64 {
    if !z.is_finite() {
        return if z.is_nan() { 1.0 } else { 0.0 };
    }
    match Normal::new(0.0, 1.0) {
        Ok(n) => (2.0 * n.sf(z.abs())).min(1.0),
        Err(_) => 1.0,
    }
}

/// Student t quantile with `df` degrees of freedom (normal when `df` is huge or not positive).
pub fn t_quantile(q: f64, df: f64) -> f64 {
    if df.is_nan() || df <= 0.0 || df > 1e6 {
        return z_quantile(q);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(q),
        Err(_) => z_quantile(q),
    }
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom.
pub fn p_t(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { 1.0 } else { 0.0 };
    }
    if df.is_nan() || df <= 0.0 || df > 1e6 {
        return p_normal(t);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => (2.0 * d.sf(t.abs())).min(1.0),
        Err(_) => p_normal(t),
    }
}

/// Logistic function.
pub fn expit(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Log-odds of `p`.
pub fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// Wilson score interval for `k` successes out of `n` at normal quantile `z` (1.96 for 95%). `(0, 1)` when n = 0.
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let k = k.min(n);
    wilson_eff(k as f64 / n as f64, n as f64, z)
}

/// Wilson interval for a proportion `p` observed on an *effective* sample size `n_eff` (e.g. n / dispersion).
pub fn wilson_eff(p: f64, n_eff: f64, z: f64) -> (f64, f64) {
    if n_eff.is_nan() || n_eff <= 0.0 || !p.is_finite() {
        return (0.0, 1.0);
    }
    let p = p.clamp(0.0, 1.0);
    let z2 = z * z;
    let denom = 1.0 + z2 / n_eff;
    let center = (p + z2 / (2.0 * n_eff)) / denom;
    let half = z * (p * (1.0 - p) / n_eff + z2 / (4.0 * n_eff * n_eff)).sqrt() / denom;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// Holm-Bonferroni adjusted p-values, in the input order. NaN counts as 1.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let clean: Vec<f64> = p.iter().map(|&x| if x.is_nan() { 1.0 } else { x.clamp(0.0, 1.0) }).collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| clean[a].total_cmp(&clean[b]).then(a.cmp(&b)));
    let mut out = vec![1.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        let adj = ((m - rank) as f64 * clean[i]).min(1.0);
        running = running.max(adj);
        out[i] = running;
    }
    out
}

/// Mann-Kendall S statistic and its variance under H0 (no trend, independence), with the tie correction.
pub fn mk_s_var(x: &[f64]) -> (f64, f64) {
    let n = x.len();
    let mut s = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            s += match x[j].partial_cmp(&x[i]) {
                Some(std::cmp::Ordering::Greater) => 1,
                Some(std::cmp::Ordering::Less) => -1,
                _ => 0,
            };
        }
    }
    let nf = n as f64;
    let mut var = nf * (nf - 1.0) * (2.0 * nf + 5.0);
    let mut sorted: Vec<f64> = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && sorted[j] == sorted[i] {
            j += 1;
        }
        let t = (j - i) as f64;
        if t > 1.0 {
            var -= t * (t - 1.0) * (2.0 * t + 5.0);
        }
        i = j;
    }
    (s as f64, var / 18.0)
}

/// Mann-Kendall trend test with the Hamed-Rao autocorrelation correction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    pub n: usize,
    /// Sum of signs over all pairs.
    pub s: f64,
    /// Variance of S under independence (tie-corrected).
    pub var_s: f64,
    /// Hamed-Rao variance inflation n/n* (never below 1 here: the correction can only widen).
    pub correction: f64,
    /// Continuity-corrected z using `var_s * correction`.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

impl MannKendall {
    pub fn var_corrected(&self) -> f64 {
        self.var_s * self.correction
    }
}

/// Mann-Kendall test of the series `x` (in time order, equally spaced) with the Hamed-Rao (1998) correction:
/// the series is detrended with its Sen slope, ranked, and the autocorrelations of the ranks that are significant
/// at 5% (|r_k| > 1.96/sqrt(n)) inflate the variance by `1 + 2/(n(n-1)(n-2)) Σ (n-k)(n-k-1)(n-k-2) r_k`.
/// `None` with fewer than 3 points.
pub fn mann_kendall(x: &[f64]) -> Option<MannKendall> {
    let n = x.len();
    if n < 3 || x.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (s, var_s) = mk_s_var(x);
    let idx: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let slope = theil_sen(&idx, x).unwrap_or(0.0);
    let detrended: Vec<f64> = x.iter().enumerate().map(|(i, v)| v - slope * i as f64).collect();
    let ranks = ranks(&detrended);
    let nf = n as f64;
    let mean = ranks.iter().sum::<f64>() / nf;
    let denom: f64 = ranks.iter().map(|r| (r - mean).powi(2)).sum();
    let mut sum = 0.0;
    if denom > 0.0 {
        let bound = 1.959963984540054 / nf.sqrt();
        for k in 1..n.saturating_sub(2) {
            let num: f64 = (0..n - k).map(|i| (ranks[i] - mean) * (ranks[i + k] - mean)).sum();
            let r = num / denom;
            if r.abs() > bound {
                let (a, b, c) = ((n - k) as f64, (n - k - 1) as f64, (n - k - 2) as f64);
                sum += a * b * c * r;
            }
        }
    }
    let correction = (1.0 + 2.0 / (nf * (nf - 1.0) * (nf - 2.0)) * sum).max(1.0);
    let var = var_s * correction;
    let z = if var <= 0.0 {
        0.0
    } else if s > 0.0 {
        (s - 1.0) / var.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var.sqrt()
    } else {
        0.0
    };
    Some(MannKendall { n, s, var_s, correction, z, p_value: p_normal(z) })
}

/// Average ranks (1-based), ties share their mean rank.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && x[order[j]] == x[order[i]] {
            j += 1;
        }
        let r = (i + j + 1) as f64 / 2.0;
        for &o in &order[i..j] {
            out[o] = r;
        }
        i = j;
    }
    out
}

fn pair_slopes(t: &[f64], y: &[f64]) -> Vec<f64> {
    let mut slopes = Vec::with_capacity(t.len() * t.len() / 2);
    for i in 0..t.len() {
        for j in i + 1..t.len() {
            let dt = t[j] - t[i];
            if dt != 0.0 {
                slopes.push((y[j] - y[i]) / dt);
            }
        }
    }
    slopes.sort_by(f64::total_cmp);
    slopes
}

/// Theil-Sen slope: the median of the pairwise slopes of `y` against `t`.
pub fn theil_sen(t: &[f64], y: &[f64]) -> Option<f64> {
    let s = pair_slopes(t, y);
    median_sorted(&s)
}

fn median_sorted(s: &[f64]) -> Option<f64> {
    let n = s.len();
    if n == 0 {
        None
    } else if n % 2 == 1 {
        Some(s[n / 2])
    } else {
        Some((s[n / 2 - 1] + s[n / 2]) / 2.0)
    }
}

/// Median, reordering the slice in place (O(n)). `None` when empty.
pub fn median_mut(v: &mut [f64]) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let (_, &mut hi, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        Some(hi)
    } else {
        let lo = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some((lo + hi) / 2.0)
    }
}

/// A binomial logistic regression `logit(share) = intercept + slope * (t - t_center)` fitted by IRLS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogitFit {
    pub intercept: f64,
    /// Change in log-odds per unit of `t`.
    pub slope: f64,
    /// The mean of `t`, where `intercept` applies.
    pub t_center: f64,
    /// Covariance of (intercept, slope), already multiplied by `dispersion`.
    pub cov: [[f64; 2]; 2],
    /// Pearson chi-square / (m - 2), floored at 1 (quasi-binomial).
    pub dispersion: f64,
    /// Residual degrees of freedom, m - 2.
    pub df: usize,
}

impl LogitFit {
    pub fn slope_se(&self) -> f64 {
        self.cov[1][1].max(0.0).sqrt()
    }
    /// Two-sided p-value (t with `df`) of H0: slope = `slope0`.
    pub fn p_slope(&self, slope0: f64) -> f64 {
        let se = self.slope_se();
        if se <= 0.0 {
            return 1.0;
        }
        p_t((self.slope - slope0) / se, self.df as f64)
    }
    /// Linear predictor (log-odds) at `t` and its variance.
    pub fn eta(&self, t: f64) -> (f64, f64) {
        let x = t - self.t_center;
        let var = self.cov[0][0] + 2.0 * x * self.cov[0][1] + x * x * self.cov[1][1];
        (self.intercept + self.slope * x, var.max(0.0))
    }
    /// Pearson residuals `(k - n mu) / sqrt(n mu (1 - mu))` of the fit, in the order of `t`.
    pub fn pearson_residuals(&self, t: &[f64], k: &[u64], n: &[u64]) -> Vec<f64> {
        t.iter()
            .zip(k.iter().zip(n))
            .map(|(&t, (&k, &n))| {
                let mu = expit(self.eta(t).0).clamp(1e-12, 1.0 - 1e-12);
                let v = n as f64 * mu * (1.0 - mu);
                if v > 0.0 { (k as f64 - n as f64 * mu) / v.sqrt() } else { 0.0 }
            })
            .collect()
    }
    /// Fitted share at `t`, with a 95% confidence interval for the mean share.
    pub fn fitted(&self, t: f64) -> (f64, f64, f64) {
        let x = t - self.t_center;
        let eta = self.intercept + self.slope * x;
        let var = self.cov[0][0] + 2.0 * x * self.cov[0][1] + x * x * self.cov[1][1];
        let q = t_quantile(0.975, self.df as f64) * var.max(0.0).sqrt();
        (expit(eta), expit(eta - q), expit(eta + q))
    }
}

/// Fits hits `k` out of `n` at times `t`. `None` with fewer than 3 points, no variation in `t`, no hits or only
/// hits (the slope is then not estimable), or if IRLS does not converge.
pub fn logistic_trend(t: &[f64], k: &[u64], n: &[u64]) -> Option<LogitFit> {
    let m = t.len();
    if m < 3 || k.len() != m || n.len() != m {
        return None;
    }
    let tk: u64 = k.iter().sum();
    let tn: u64 = n.iter().sum();
    if tk == 0 || tk >= tn || n.contains(&0) {
        return None;
    }
    let tc = t.iter().sum::<f64>() / m as f64;
    let x: Vec<f64> = t.iter().map(|v| v - tc).collect();
    if x.iter().all(|v| v.abs() < 1e-12) {
        return None;
    }
    let mut b0 = logit(tk as f64 / tn as f64);
    let mut b1 = 0.0;
    let mut info = [[0.0; 2]; 2];
    let mut converged = false;
    for _ in 0..100 {
        let (mut a00, mut a01, mut a11, mut g0, mut g1) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for i in 0..m {
            let mu = expit(b0 + b1 * x[i]).clamp(1e-12, 1.0 - 1e-12);
            let w = n[i] as f64 * mu * (1.0 - mu);
            let r = k[i] as f64 - n[i] as f64 * mu;
            a00 += w;
            a01 += w * x[i];
            a11 += w * x[i] * x[i];
            g0 += r;
            g1 += r * x[i];
        }
        let det = a00 * a11 - a01 * a01;
        if det.is_nan() || det <= 0.0 || !det.is_finite() {
            return None;
        }
        let d0 = (a11 * g0 - a01 * g1) / det;
        let d1 = (a00 * g1 - a01 * g0) / det;
        b0 += d0;
        b1 += d1;
        info = [[a00, a01], [a01, a11]];
        if !b0.is_finite() || !b1.is_finite() || b1.abs() > 1e3 {
            return None;
        }
        if d0.abs() < 1e-10 && d1.abs() < 1e-10 {
            converged = true;
            break;
        }
    }
    if !converged {
        return None;
    }
    // Recompute the information at the solution and the Pearson dispersion.
    let (mut a00, mut a01, mut a11, mut chi2) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..m {
        let mu = expit(b0 + b1 * x[i]).clamp(1e-12, 1.0 - 1e-12);
        let w = n[i] as f64 * mu * (1.0 - mu);
        a00 += w;
        a01 += w * x[i];
        a11 += w * x[i] * x[i];
        chi2 += (k[i] as f64 - n[i] as f64 * mu).powi(2) / w;
    }
    if a00 > 0.0 {
        info = [[a00, a01], [a01, a11]];
    }
    let df = m - 2;
    let dispersion = if df > 0 { (chi2 / df as f64).max(1.0) } else { 1.0 };
    let det = info[0][0] * info[1][1] - info[0][1] * info[0][1];
    if det.is_nan() || det <= 0.0 {
        return None;
    }
    let cov = [
        [dispersion * info[1][1] / det, -dispersion * info[0][1] / det],
        [-dispersion * info[0][1] / det, dispersion * info[0][0] / det],
    ];
    Some(LogitFit { intercept: b0, slope: b1, t_center: tc, cov, dispersion, df })
}

/// Lag-1 autocorrelation of a series (0 for fewer than 3 points or a constant series).
pub fn lag1_autocorr(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 3 {
        return 0.0;
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    let den: f64 = x.iter().map(|v| (v - mean).powi(2)).sum();
    if den <= 0.0 {
        return 0.0;
    }
    let num: f64 = (0..n - 1).map(|i| (x[i] - mean) * (x[i + 1] - mean)).sum();
    num / den
}

/// Variance inflation for a mean or slope of an AR(1)-like series: `(1 + r1) / (1 - r1)`, with r1 clamped to
/// [0, 0.9] (negative autocorrelation is not allowed to narrow intervals).
pub fn ar1_inflation(r1: f64) -> f64 {
    let r = if r1.is_finite() { r1.clamp(0.0, 0.9) } else { 0.0 };
    (1.0 + r) / (1.0 - r)
}

/// Lag-1 autocorrelation of residuals `r` observed at month indices `months` (ascending): the mean and the
/// denominator use every residual, the numerator only pairs of consecutive calendar months (a gap breaks the
/// chain). 0 with fewer than 3 residuals or no consecutive pair.
pub fn lag1_consecutive(months: &[i32], r: &[f64]) -> f64 {
    let n = r.len().min(months.len());
    if n < 3 {
        return 0.0;
    }
    let mean = r[..n].iter().sum::<f64>() / n as f64;
    let den: f64 = r[..n].iter().map(|v| (v - mean).powi(2)).sum();
    if den <= 0.0 {
        return 0.0;
    }
    let num: f64 =
        (0..n - 1).filter(|&i| months[i + 1] - months[i] == 1).map(|i| (r[i] - mean) * (r[i + 1] - mean)).sum();
    num / den
}

/// Upper tail of the χ² distribution with `df` degrees of freedom at `x` (1 for x ≤ 0 or a bad df).
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || df.is_nan() || df <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(df) {
        Ok(c) => c.sf(x).clamp(0.0, 1.0),
        Err(_) => 1.0,
    }
}

/// Inverse of the regularised incomplete beta function in x, by bisection (60 halvings: exact to f64).
fn inv_beta(a: f64, b: f64, p: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if beta_reg(a, b, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-16 {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Clopper-Pearson (exact) two-sided interval at level `1 - alpha` for `x` successes out of `n`.
/// `(0, 1)` when n = 0.
pub fn clopper_pearson(x: u64, n: u64, alpha: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let x = x.min(n);
    let (xf, nf) = (x as f64, n as f64);
    let lo = if x == 0 { 0.0 } else { inv_beta(xf, nf - xf + 1.0, alpha / 2.0) };
    let hi = if x == n { 1.0 } else { inv_beta(xf + 1.0, nf - xf, 1.0 - alpha / 2.0) };
    (lo, hi)
}

/// P(X ≤ x) for X ~ Bin(n, p).
pub fn binom_cdf(x: u64, n: u64, p: f64) -> f64 {
    if x >= n {
        return 1.0;
    }
    if p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    // P(X ≤ x) = I_{1-p}(n - x, x + 1).
    beta_reg((n - x) as f64, x as f64 + 1.0, 1.0 - p)
}

/// Exact binomial test of H0 π = `p0` on the two-sided scale used throughout: twice the smaller one-sided
/// p-value, capped at 1 (it rejects at 5% exactly when the Clopper-Pearson 95% interval excludes `p0`).
pub fn binom_p_two_sided(x: u64, n: u64, p0: f64) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let x = x.min(n);
    let le = binom_cdf(x, n, p0);
    let ge = if x == 0 { 1.0 } else { 1.0 - binom_cdf(x - 1, n, p0) };
    (2.0 * le.min(ge)).min(1.0)
}

/// A DerSimonian-Laird random-effects combination of k estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meta {
    /// Random-effects pooled estimate.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// Cochran's Q (fixed-effect weights).
    pub q: f64,
    /// k - 1.
    pub df: f64,
    /// χ² p-value of Q.
    pub p_q: f64,
    /// max(0, (Q - df) / Q).
    pub i2: f64,
    /// Between-source variance (DL moment estimate).
    pub tau2: f64,
}

/// DerSimonian-Laird random-effects meta-analysis of estimates `y` with standard errors `se` (the same as
/// `statsmodels.stats.meta_analysis.combine_effects(y, se**2, method_re="dl")`). `None` when empty or when a
/// standard error is not positive and finite.
pub fn dersimonian_laird(y: &[f64], se: &[f64]) -> Option<Meta> {
    let k = y.len();
    if k == 0 || se.len() != k || se.iter().any(|s| !(s.is_finite() && *s > 0.0)) || y.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let v: Vec<f64> = se.iter().map(|s| s * s).collect();
    let w: Vec<f64> = v.iter().map(|v| 1.0 / v).collect();
    let sw: f64 = w.iter().sum();
    let fe = w.iter().zip(y).map(|(w, y)| w * y).sum::<f64>() / sw;
    let q: f64 = w.iter().zip(y).map(|(w, y)| w * (y - fe).powi(2)).sum();
    let df = (k - 1) as f64;
    let c = sw - w.iter().map(|w| w * w).sum::<f64>() / sw;
    let tau2 = if k > 1 && c > 0.0 { ((q - df) / c).max(0.0) } else { 0.0 };
    let ws: Vec<f64> = v.iter().map(|v| 1.0 / (v + tau2)).collect();
    let sws: f64 = ws.iter().sum();
    let estimate = ws.iter().zip(y).map(|(w, y)| w * y).sum::<f64>() / sws;
    let i2 = if q > 0.0 { ((q - df) / q).max(0.0) } else { 0.0 };
    let p_q = if k > 1 { chi2_sf(q, df) } else { 1.0 };
    Some(Meta { estimate, se: (1.0 / sws).sqrt(), q, df, p_q, i2, tau2 })
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, deterministic PRNG, good enough for bootstraps.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform integer in `0..n` (multiply-shift; bias below 2^-32 for the sizes used here). `n` must be > 0.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// Seed derived from a string (FNV-1a), so each claim gets its own reproducible bootstrap stream.
pub fn seed_from(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Percentile of a *sorted* slice (linear interpolation, `q` in [0, 1]).
pub fn percentile_sorted(s: &[f64], q: f64) -> Option<f64> {
    let n = s.len();
    if n == 0 {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    Some(s[lo] + (s[hi] - s[lo]) * (pos - lo as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn wilson_known_values() {
        // 5/10 at 95%: (0.2366, 0.7634); 0/10: (0, 0.2775); 10/10: (0.7225, 1).
        let (lo, hi) = wilson(5, 10, 1.959964);
        assert!(close(lo, 0.236593, 1e-5) && close(hi, 0.763407, 1e-5), "{lo} {hi}");
        let (lo, hi) = wilson(0, 10, 1.959964);
        assert!(close(lo, 0.0, 1e-12) && close(hi, 0.277530, 1e-5), "{lo} {hi}");
        let (lo, hi) = wilson(10, 10, 1.959964);
        assert!(close(lo, 0.722470, 1e-5) && close(hi, 1.0, 1e-12), "{lo} {hi}");
        assert_eq!(wilson(0, 0, 1.96), (0.0, 1.0));
    }

    #[test]
    fn holm_hand_computed() {
        // sorted: 0.01*4=0.04, 0.02*3=0.06, 0.03*2=0.06, 0.04*1=0.04 -> running max 0.04, 0.06, 0.06, 0.06.
        let adj = holm(&[0.04, 0.01, 0.03, 0.02]);
        let want = [0.06, 0.04, 0.06, 0.06];
        for (a, w) in adj.iter().zip(want) {
            assert!(close(*a, w, 1e-12), "{adj:?}");
        }
        assert_eq!(holm(&[0.5, 0.9]), vec![1.0, 1.0]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn mk_small_example() {
        // x = 1, 3, 2, 4: pairs (1,3)+ (1,2)+ (1,4)+ (3,2)- (3,4)+ (2,4)+ -> S = 4; var = 4*3*13/18 = 8.6667.
        let (s, var) = mk_s_var(&[1.0, 3.0, 2.0, 4.0]);
        assert_eq!(s, 4.0);
        assert!(close(var, 156.0 / 18.0, 1e-12));
        // With a tie: 1, 2, 2, 3: S = 5; var = (4*3*13 - 2*1*9)/18 = 138/18.
        let (s, var) = mk_s_var(&[1.0, 2.0, 2.0, 3.0]);
        assert_eq!(s, 5.0);
        assert!(close(var, 138.0 / 18.0, 1e-12));
    }

    #[test]
    fn mk_monotone_series_is_significant() {
        let x: Vec<f64> = (0..24).map(|i| i as f64 + if i % 2 == 0 { 0.3 } else { -0.3 }).collect();
        let mk = mann_kendall(&x).unwrap();
        assert!(mk.s > 0.0 && mk.p_value < 1e-4, "{mk:?}");
        assert!(mk.correction >= 1.0);
    }

    #[test]
    fn theil_sen_exact_line() {
        let t = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 3.0, 5.0, 7.0, 100.0];
        assert_eq!(theil_sen(&t, &y), Some(2.0));
    }

    #[test]
    fn logistic_recovers_slope() {
        let t: Vec<f64> = (0..40).map(|i| i as f64 / 12.0).collect();
        let n: Vec<u64> = vec![10_000; 40];
        let k: Vec<u64> = t.iter().map(|&x| (10_000.0 * expit(-2.0 + 0.5 * x)).round() as u64).collect();
        let f = logistic_trend(&t, &k, &n).unwrap();
        assert!(close(f.slope, 0.5, 0.01), "{f:?}");
        assert!(f.p_slope(0.0) < 1e-6);
    }

    #[test]
    fn splitmix_is_deterministic() {
        let mut a = SplitMix64::new(1);
        let mut b = SplitMix64::new(1);
        for _ in 0..10 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        // Reference value of SplitMix64 with seed 0.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut r = SplitMix64::new(7);
        assert!((0..1000).all(|_| r.below(3) < 3));
    }

    #[test]
    fn median_mut_works() {
        assert_eq!(median_mut(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median_mut(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median_mut(&mut []), None);
    }

    #[test]
    fn clopper_pearson_known_values() {
        // R: binom.test(3, 20)$conf.int = 0.03207094 0.37892683; binom.test(0, 10): 0 0.3084971.
        let (lo, hi) = clopper_pearson(3, 20, 0.05);
        assert!(close(lo, 0.032_070_94, 1e-7) && close(hi, 0.378_926_83, 1e-7), "{lo} {hi}");
        let (lo, hi) = clopper_pearson(0, 10, 0.05);
        assert!(lo == 0.0 && close(hi, 0.308_497_1, 1e-7), "{hi}");
        let (lo, hi) = clopper_pearson(10, 10, 0.05);
        assert!(close(lo, 1.0 - 0.308_497_1, 1e-7) && hi == 1.0);
        // The exact test rejects exactly outside the interval.
        assert!(binom_p_two_sided(3, 20, 0.031) < 0.05 && binom_p_two_sided(3, 20, 0.033) > 0.05);
        assert!(binom_p_two_sided(3, 20, 0.37) > 0.05 && binom_p_two_sided(3, 20, 0.39) < 0.05);
    }

    #[test]
    fn dersimonian_laird_known_values() {
        // statsmodels combine_effects([0.2, 0.5, -0.1], [0.01, 0.04, 0.02], method_re="dl"):
        // q 6.428571428571429, tau2 0.04428571428571429, mean_effect_re 0.175843802028152,
        // sd_eff_w_re 0.1476974127040654, i2 0.6888888888888889.
        let m = dersimonian_laird(&[0.2, 0.5, -0.1], &[0.1, 0.2, 0.02f64.sqrt()]).unwrap();
        assert!(close(m.q, 6.428571428571429, 1e-9), "{m:?}");
        assert!(close(m.tau2, 0.04428571428571429, 1e-9), "{m:?}");
        assert!(close(m.estimate, 0.175843802028152, 1e-9), "{m:?}");
        assert!(close(m.se, 0.1476974127040654, 1e-9), "{m:?}");
        assert!(close(m.i2, 0.6888888888888889, 1e-9), "{m:?}");
        // Homogeneous: tau2 = 0, the fixed-effect mean.
        let m = dersimonian_laird(&[1.0, 1.0], &[0.1, 0.2]).unwrap();
        assert!(m.tau2 == 0.0 && close(m.estimate, 1.0, 1e-12) && m.i2 == 0.0);
        let one = dersimonian_laird(&[0.3], &[0.1]).unwrap();
        assert!(close(one.estimate, 0.3, 1e-12) && close(one.se, 0.1, 1e-12));
        assert!(dersimonian_laird(&[0.3], &[0.0]).is_none());
    }

    #[test]
    fn lag1_consecutive_skips_gaps() {
        let r = [1.0, -1.0, 1.0, -1.0];
        assert!(lag1_consecutive(&[0, 1, 2, 3], &r) < -0.7);
        // No consecutive months: no autocorrelation.
        assert_eq!(lag1_consecutive(&[0, 2, 4, 6], &r), 0.0);
    }
}
