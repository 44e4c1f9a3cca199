//! Firth's penalised-likelihood logistic trend, for sparse counts.
//!
//! In: monthly hits `k` out of postings `n` at times `t` (years). Out: [`Firth`], the slope β of
//! `logit p_t = α + β t` maximising `ℓ(α, β) + ½ log|I(α, β)|` (the Jeffreys-prior penalty of Firth 1993, as R's
//! `logistf`), with a profile penalised-likelihood 95% interval for β and penalised likelihood-ratio p-values
//! (χ² with 1 df, as `logistf(..., pl = TRUE)`). Unlike maximum likelihood it gives a finite, non-degenerate
//! estimate with a handful of hits (and even with none in part of the window).

use super::stats::{chi2_sf, expit};

/// χ²₁ 95% quantile: the profile interval is where twice the penalised log-likelihood drop stays below it.
const CHI2_1_95: f64 = 3.841_458_820_694_124;
/// Largest |β| searched (log-odds per year).
const BETA_LIMIT: f64 = 60.0;

/// A fitted Firth logistic trend with its data (kept for profiling).
#[derive(Debug, Clone, PartialEq)]
pub struct Firth {
    pub alpha: f64,
    pub beta: f64,
    /// Penalised log-likelihood at the maximum.
    pub loglik: f64,
    /// Profile penalised-likelihood 95% interval for β.
    pub lo: f64,
    pub hi: f64,
    t: Vec<f64>,
    k: Vec<f64>,
    n: Vec<f64>,
}

/// log(1 + e^x) without overflow.
fn softplus(x: f64) -> f64 {
    if x > 30.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() }
}

/// Penalised log-likelihood, its modified score (U_α, U_β) and the information matrix at (a, b).
fn eval(a: f64, b: f64, t: &[f64], k: &[f64], n: &[f64]) -> (f64, [f64; 2], [[f64; 2]; 2]) {
    let (mut ll, mut i00, mut i01, mut i11) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..t.len() {
        let eta = a + b * t[i];
        ll += -k[i] * softplus(-eta) - (n[i] - k[i]) * softplus(eta);
        let mu = expit(eta);
        let w = n[i] * mu * (1.0 - mu);
        i00 += w;
        i01 += w * t[i];
        i11 += w * t[i] * t[i];
    }
    let det = i00 * i11 - i01 * i01;
    let pen = if det > 0.0 { 0.5 * det.ln() } else { f64::NEG_INFINITY };
    let (mut u0, mut u1) = (0.0, 0.0);
    if det > 0.0 {
        for i in 0..t.len() {
            let mu = expit(a + b * t[i]);
            let w = n[i] * mu * (1.0 - mu);
            // Hat value h = w xᵀ I⁻¹ x with x = (1, t).
            let h = w * (i11 - 2.0 * t[i] * i01 + t[i] * t[i] * i00) / det;
            let r = k[i] - n[i] * mu + h * (0.5 - mu);
            u0 += r;
            u1 += r * t[i];
        }
    }
    (ll + pen, [u0, u1], [[i00, i01], [i01, i11]])
}

/// Maximises the penalised likelihood over α with β fixed (Newton on the modified score, step halving).
fn profile_alpha(b: f64, a0: f64, t: &[f64], k: &[f64], n: &[f64]) -> (f64, f64) {
    let mut a = a0;
    let (mut ll, mut u, mut info) = eval(a, b, t, k, n);
    for _ in 0..200 {
        let mut step = (u[0] / info[0][0].max(1e-12)).clamp(-5.0, 5.0);
        let mut improved = false;
        for _ in 0..40 {
            let (ll2, u2, info2) = eval(a + step, b, t, k, n);
            if ll2 >= ll - 1e-12 {
                a += step;
                (ll, u, info) = (ll2, u2, info2);
                improved = true;
                break;
            }
            step /= 2.0;
        }
        if !improved || step.abs() < 1e-10 {
            break;
        }
    }
    (a, ll)
}

impl Firth {
    /// Fits hits `k` of `n` at times `t`. `None` with fewer than 3 points, no variation in `t` or no postings.
    pub fn fit(t: &[f64], k: &[u64], n: &[u64]) -> Option<Firth> {
        let m = t.len();
        let tn: u64 = n.iter().sum();
        if m < 3 || k.len() != m || n.len() != m || tn == 0 || k.iter().zip(n).any(|(k, n)| k > n) {
            return None;
        }
        let tbar = t.iter().sum::<f64>() / m as f64;
        if t.iter().all(|v| (v - tbar).abs() < 1e-12) {
            return None;
        }
        let kf: Vec<f64> = k.iter().map(|&v| v as f64).collect();
        let nf: Vec<f64> = n.iter().map(|&v| v as f64).collect();
        let tk: f64 = kf.iter().sum();
        let (mut a, mut b) = (((tk + 0.5) / (tn as f64 - tk + 0.5)).ln(), 0.0);
        let (mut ll, mut u, mut info) = eval(a, b, t, &kf, &nf);
        let mut converged = false;
        for _ in 0..500 {
            let det = info[0][0] * info[1][1] - info[0][1] * info[0][1];
            if det.is_nan() || det <= 0.0 {
                return None;
            }
            let mut d0 = (info[1][1] * u[0] - info[0][1] * u[1]) / det;
            let mut d1 = (info[0][0] * u[1] - info[0][1] * u[0]) / det;
            let big = d0.abs().max(d1.abs());
            if big > 5.0 {
                d0 *= 5.0 / big;
                d1 *= 5.0 / big;
            }
            let mut moved = false;
            for _ in 0..40 {
                let (ll2, u2, info2) = eval(a + d0, b + d1, t, &kf, &nf);
                if ll2 >= ll - 1e-12 {
                    (a, b, ll, u, info) = (a + d0, b + d1, ll2, u2, info2);
                    moved = true;
                    break;
                }
                d0 /= 2.0;
                d1 /= 2.0;
            }
            if !moved || d0.abs().max(d1.abs()) < 1e-10 {
                converged = true;
                break;
            }
        }
        if !converged || !a.is_finite() || !b.is_finite() {
            return None;
        }
        let mut f = Firth { alpha: a, beta: b, loglik: ll, lo: f64::NAN, hi: f64::NAN, t: t.to_vec(), k: kf, n: nf };
        f.lo = f.profile_bound(-1.0);
        f.hi = f.profile_bound(1.0);
        Some(f)
    }

    /// Maximum penalised log-likelihood with β fixed at `b`.
    pub fn profile(&self, b: f64) -> f64 {
        let a0 = self.alpha - (b - self.beta) * self.t.iter().sum::<f64>() / self.t.len() as f64;
        profile_alpha(b, a0, &self.t, &self.k, &self.n).1
    }

    /// Penalised likelihood-ratio statistic of H0 β = `b0`.
    pub fn lr_stat(&self, b0: f64) -> f64 {
        (2.0 * (self.loglik - self.profile(b0))).max(0.0)
    }

    /// Two-sided penalised likelihood-ratio p-value (χ²₁) of H0 β = `b0`.
    pub fn p_value(&self, b0: f64) -> f64 {
        chi2_sf(self.lr_stat(b0), 1.0)
    }

    /// The profile interval bound on the side `dir` (−1 lower, +1 upper): bracket, then bisect.
    fn profile_bound(&self, dir: f64) -> f64 {
        let target = CHI2_1_95;
        let mut step = 0.25;
        let mut inner = self.beta;
        let mut outer = self.beta + dir * step;
        while self.lr_stat(outer) < target {
            inner = outer;
            step *= 2.0;
            outer = self.beta + dir * step;
            if step > BETA_LIMIT {
                return outer;
            }
        }
        for _ in 0..60 {
            let mid = 0.5 * (inner + outer);
            if self.lr_stat(mid) < target {
                inner = mid;
            } else {
                outer = mid;
            }
            if (outer - inner).abs() < 1e-9 {
                break;
            }
        }
        0.5 * (inner + outer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firth_matches_an_independent_fit() {
        // Reference: benches/stats_crosscheck.py --selftest (numpy penalised likelihood maximised by
        // scipy.optimize, profile bounds by brentq); the same penalised likelihood as R's logistf.
        let t: Vec<f64> = (0..12).map(|i| i as f64 / 12.0).collect();
        let k = [0, 0, 1, 0, 0, 1, 0, 2, 1, 0, 2, 3];
        let n = [100; 12];
        let f = Firth::fit(&t, &k, &n).unwrap();
        assert!((f.beta - 2.953_013_03).abs() < 1e-5, "{f:?}");
        assert!((f.alpha - -6.370_519_01).abs() < 1e-5, "{f:?}");
        assert!((f.lo - 0.590_782_23).abs() < 1e-4 && (f.hi - 5.864_767_94).abs() < 1e-4, "{f:?}");
        assert!((f.p_value(0.0) - 0.012_798_29).abs() < 1e-5, "{}", f.p_value(0.0));
        // The interval is where the test does not reject.
        assert!(f.p_value(f.lo + 1e-3) > 0.05 && f.p_value(f.lo - 1e-3) < 0.05);
    }

    #[test]
    fn firth_is_finite_with_separation() {
        // All hits in the second half: ML diverges, Firth does not.
        let t: Vec<f64> = (0..12).map(|i| i as f64 / 12.0).collect();
        let k = [0, 0, 0, 0, 0, 0, 1, 1, 2, 1, 1, 2];
        let f = Firth::fit(&t, &k, &[50; 12]).unwrap();
        assert!(f.beta.is_finite() && f.beta > 0.0 && f.lo > 0.0 && f.hi > f.lo, "{f:?}");
        // No hits at all: finite and centred on zero slope.
        let f = Firth::fit(&t, &[0; 12], &[50; 12]).unwrap();
        assert!(f.beta.abs() < 1e-6 && f.lo < 0.0 && f.hi > 0.0, "{f:?}");
    }
}
