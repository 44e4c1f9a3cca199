#!/usr/bin/env python3
"""Independent cross-check of `jobtrend check` verdict statistics (issue 12).

Reads the counts CSV written by `jobtrend check --counts FILE.csv` and the JSON of `jobtrend check --format json`,
recomputes every claim's per-source and combined estimate, 95% interval and p-value with statsmodels / scipy, and
prints them side by side. Exits 1 when a figure differs beyond the printed precision (2 decimals for pp/yr and
ratios, 1-2 for percentages, 4 significant digits for p-values), 0 otherwise.

    python3 benches/stats_crosscheck.py COUNTS.csv CHECK.json [--all]

Methods (the same model, computed independently):
  trend (rising/falling/not-falling): statsmodels GLM Binomial on [hits, postings-hits] ~ 1 + years; the
    quasi-binomial dispersion is Pearson X^2/(m-2) from the residuals (k - n mu)/sqrt(n mu (1 - mu)), floored at 1
    (statsmodels' own scale='X2' omits the trial counts for a two-column endog: 0.0055 instead of 1.73 on
    ai-agents-rising), times the AR(1) inflation from the lag-1 autocorrelation of the same residuals over
    consecutive months; t(m-2). Fewer than 20 hits: Firth penalised likelihood
    maximised with scipy.optimize, profile interval by scipy.optimize.brentq, penalised LR p-values.
    pp/yr along the fitted curve: the intercept solving sum n expit(a + b t) = sum k by brentq.
  above / as-common-as: GLM Binomial intercept-only on [hits, than_hits] per month (scale='X2', floored, AR(1));
    sparse: Clopper-Pearson from scipy.stats.beta, exact binomial test.
  share-at-least: the same on [hits, postings-hits].
  several sources: statsmodels.stats.meta_analysis.combine_effects(method_re="dl").
  projection: statsmodels GLM per fit window, prediction interval as documented.
  premium: not recomputed (seeded bootstrap); listed as skipped.
"""
import csv
import json
import math
import sys
from collections import defaultdict

import numpy as np
import statsmodels.api as sm
from scipy import optimize, stats
from statsmodels.stats.meta_analysis import combine_effects

MIN_POSTINGS = 30
MIN_MONTHS = 6
MIN_MONTHS_PROJECTION = 12
SPARSE = 20
Z = stats.norm.ppf(0.975)


def month_index(m):
    y, mo = m.split("-")
    return int(y) * 12 + int(mo) - 1


def month_name(i):
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def expit(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -700, 700)))


def lag1_consecutive(months, r):
    r = np.asarray(r, float)
    if len(r) < 3:
        return 0.0
    d = r - r.mean()
    den = (d * d).sum()
    if den <= 0:
        return 0.0
    num = sum(d[i] * d[i + 1] for i in range(len(r) - 1) if months[i + 1] - months[i] == 1)
    return num / den


def pearson(res, k, n):
    """Pearson residuals (k - n mu) / sqrt(n mu (1 - mu)) (statsmodels' resid_pearson omits the sqrt(n) factor
    for a two-column binomial endog)."""
    mu = np.asarray(res.mu)
    return (k - n * mu) / np.sqrt(n * mu * (1 - mu))


def ar1(r1):
    r = min(max(r1, 0.0), 0.9)
    return (1 + r) / (1 - r)


# ----------------------------------------------------------------------------------------------- Firth (numpy)
def firth_pll(a, b, t, k, n):
    eta = a + b * t
    ll = np.sum(-k * np.logaddexp(0, -eta) - (n - k) * np.logaddexp(0, eta))
    mu = expit(eta)
    w = n * mu * (1 - mu)
    i00, i01, i11 = w.sum(), (w * t).sum(), (w * t * t).sum()
    return ll + 0.5 * np.log(i00 * i11 - i01 * i01)


def firth(t, k, n):
    f = lambda p: -firth_pll(p[0], p[1], t, k, n)
    x0 = [math.log((k.sum() + 0.5) / (n.sum() - k.sum() + 0.5)), 0.0]
    r = optimize.minimize(f, x0, method="Nelder-Mead", options=dict(xatol=1e-11, fatol=1e-13, maxiter=40000))
    r = optimize.minimize(f, r.x, method="BFGS", options=dict(gtol=1e-9))
    a, b = r.x
    lmax = -r.fun

    def prof(bb):
        rr = optimize.minimize_scalar(lambda aa: -firth_pll(aa, bb, t, k, n), bracket=(a - 1, a + 1), tol=1e-12)
        return -rr.fun

    target = stats.chi2.ppf(0.95, 1)
    g = lambda bb: 2 * (lmax - prof(bb)) - target
    step = 0.25
    while g(b - step) < 0 and step < 60:
        step *= 2
    lo = optimize.brentq(g, b - step, b)
    step = 0.25
    while g(b + step) < 0 and step < 60:
        step *= 2
    hi = optimize.brentq(g, b, b + step)
    p_at = lambda b0: stats.chi2.sf(max(0.0, 2 * (lmax - prof(b0))), 1)
    return b, lo, hi, p_at, (hi - lo) / (2 * Z)


# ---------------------------------------------------------------------------------------------------- trends
class TrendPart:
    def __init__(self, months, t, k, n):
        self.months, self.t, self.k, self.n = months, np.array(t), np.array(k, float), np.array(n, float)
        K, N = self.k.sum(), self.n.sum()
        self.fit = None
        if K == 0 or K == N:
            return
        if min(K, N - K) >= SPARSE:
            X = sm.add_constant(self.t)
            res = sm.GLM(np.column_stack([self.k, self.n - self.k]), X, family=sm.families.Binomial()).fit(scale="X2")
            r = pearson(res, self.k, self.n)
            phi = max(1.0, (r * r).sum() / (len(r) - 2))
            c = ar1(lag1_consecutive(months, r))
            se = math.sqrt(res.cov_params()[1, 1] / res.scale * phi * c)
            df = len(self.t) - 2
            b = res.params[1]
            q = stats.t.ppf(0.975, df)
            self.fit = (b, b - q * se, b + q * se, lambda b0: 2 * stats.t.sf(abs(b - b0) / se, df), se, "glm")
        else:
            b, lo, hi, p_at, se = firth(self.t, self.k, self.n)
            self.fit = (b, lo, hi, p_at, se, "firth")

    def alpha(self, beta):
        K, N = self.k.sum(), self.n.sum()
        if K <= 0 or K >= N:
            return None
        f = lambda a: (self.n * expit(a + beta * self.t)).sum() - K
        return optimize.brentq(f, -200 - abs(beta) * 20, 200 + abs(beta) * 20, xtol=1e-13)


def pp(beta, parts):
    total = sum(p.n.sum() for p in parts)
    s = 0.0
    for p in parts:
        a = p.alpha(beta)
        span = p.t[-1] - p.t[0]
        if a is None or span <= 0:
            continue
        s += p.n.sum() / total * (expit(a + beta * p.t[-1]) - expit(a + beta * p.t[0])) / span
    return 100 * s


def beta_for(target, parts):
    return optimize.brentq(lambda b: pp(b, parts) - target, -60, 60, xtol=1e-12)


def decide_trend(kind, lo, hi, b_claim, p_at):
    if kind == "rising":
        if hi < b_claim:
            return "contradicted", p_at(b_claim)
        if lo > 0:
            return "supported", p_at(0.0)
        return "inconclusive", min(p_at(0.0), p_at(b_claim))
    if kind == "falling":
        if lo > b_claim:
            return "contradicted", p_at(b_claim)
        if hi < 0:
            return "supported", p_at(0.0)
        return "inconclusive", min(p_at(0.0), p_at(b_claim))
    v = "supported" if lo > b_claim else "contradicted" if hi < b_claim else "inconclusive"
    return v, p_at(b_claim)


def trend(ev, sources):
    kind, me = ev["kind"], ev["min_effect"]
    origin = min(s[0][0] for s in sources.values())
    parts = {}
    for name, rows in sources.items():
        months = [r[0] for r in rows]
        parts[name] = TrendPart(months, [(i - origin) / 12 for i in months], [r[2] for r in rows], [r[1] for r in rows])
    target = me if kind == "rising" else -me
    out = {}
    for name, p in parts.items():
        if p.fit is None:
            continue
        b, lo, hi, p_at, _, _ = p.fit
        bc = beta_for(target, [p])
        v, pv = decide_trend(kind, lo, hi, bc, p_at)
        out[name] = (pp(b, [p]), pp(lo, [p]), pp(hi, [p]), pv, v)
    fitted = [p for p in parts.values() if p.fit is not None]
    allp = list(parts.values())
    if not fitted:
        return out, None
    if len(fitted) == 1:
        b, lo, hi, p_at, _, _ = fitted[0].fit
    else:
        y = np.array([p.fit[0] for p in fitted])
        v = np.array([p.fit[4] ** 2 for p in fitted])
        r = combine_effects(y, v, method_re="dl")
        b, se = r.mean_effect_re, r.sd_eff_w_re
        lo, hi = b - Z * se, b + Z * se
        p_at = lambda b0: 2 * stats.norm.sf(abs(b - b0) / se)
    bc = beta_for(target, allp)
    v, pv = decide_trend(kind, lo, hi, bc, p_at)
    return out, (pp(b, allp), pp(lo, allp), pp(hi, allp), pv, v)


# -------------------------------------------------------------------------------------- ratios and shares
def prop_fit(months, x, m):
    """(estimate, lo, hi, p_at(p0), meta (y, se)) for a proportion, as the tool does."""
    x, m = np.array(x, float), np.array(m, float)
    keep = m > 0
    months = [mo for mo, k in zip(months, keep) if k]
    x, m = x[keep], m[keep]
    X, M = x.sum(), m.sum()
    if min(X, M - X) >= SPARSE:
        res = sm.GLM(np.column_stack([x, m - x]), np.ones((len(x), 1)), family=sm.families.Binomial()).fit(scale="X2")
        k = len(x)
        r = pearson(res, x, m)
        phi = max(1.0, (r * r).sum() / (k - 1)) if k > 1 else 1.0
        c = ar1(lag1_consecutive(months, r))
        se = math.sqrt(res.cov_params()[0, 0] / res.scale * phi * c)
        eta = res.params[0]
        df = max(k - 1, 1)
        q = stats.t.ppf(0.975, df)
        p_at = lambda p0: 2 * stats.t.sf(abs(eta - math.log(p0 / (1 - p0))) / se, df)
        return expit(eta), expit(eta - q * se), expit(eta + q * se), p_at, (eta, se)
    lo = 0.0 if X == 0 else stats.beta.ppf(0.025, X, M - X + 1)
    hi = 1.0 if X == M else stats.beta.ppf(0.975, X + 1, M - X)

    def p_at(p0):
        le = stats.binom.cdf(X, M, p0)
        ge = stats.binom.sf(X - 1, M, p0)
        return min(1.0, 2 * min(le, ge))

    a, b = (X + 0.5, M - X + 0.5) if X in (0, M) else (X, M - X)
    return X / M, lo, hi, p_at, (math.log(a / b), math.sqrt(1 / a + 1 / b))


def proportion(ev, sources, ratio):
    if ratio:
        p0 = ev["min_ratio"] / (1 + ev["min_ratio"])
        show = lambda p: p / (1 - p) if p < 1 else float("inf")
        mk = lambda rows: ([r[0] for r in rows], [r[2] for r in rows], [r[2] + r[3] for r in rows])
    else:
        p0 = ev["level"]
        show = lambda p: 100 * p
        mk = lambda rows: ([r[0] for r in rows], [r[2] for r in rows], [r[1] for r in rows])
    verdict = lambda lo, hi: "supported" if lo > p0 else "contradicted" if hi < p0 else "inconclusive"
    out, fits = {}, []
    for name, rows in sources.items():
        f = prop_fit(*mk(rows))
        fits.append(f)
        out[name] = (show(f[0]), show(f[1]), show(f[2]), f[3](p0), verdict(f[1], f[2]))
    if len(fits) == 1:
        e, lo, hi, p_at, _ = fits[0]
        pv = p_at(p0)
    else:
        y = np.array([f[4][0] for f in fits])
        v = np.array([f[4][1] ** 2 for f in fits])
        r = combine_effects(y, v, method_re="dl")
        m, se = r.mean_effect_re, r.sd_eff_w_re
        e, lo, hi = expit(m), expit(m - Z * se), expit(m + Z * se)
        pv = 2 * stats.norm.sf(abs(m - math.log(p0 / (1 - p0))) / se)
    return out, (show(e), show(lo), show(hi), pv, verdict(lo, hi))


# ------------------------------------------------------------------------------------------------ projections
def project(rows, by_i, level):
    i0 = rows[0][0]
    months = [r[0] for r in rows]
    t = np.array([(i - i0) / 12 for i in months])
    k = np.array([r[2] for r in rows], float)
    n = np.array([r[1] for r in rows], float)
    X = sm.add_constant(t)
    res = sm.GLM(np.column_stack([k, n - k]), X, family=sm.families.Binomial()).fit(scale="X2")
    r = pearson(res, k, n)
    phi = max(1.0, (r * r).sum() / (len(r) - 2))
    cov = res.cov_params() / res.scale * phi
    infl = ar1(lag1_consecutive(months, r))
    x0 = np.array([1.0, (by_i - i0) / 12])
    eta = x0 @ res.params
    mu = min(max(expit(eta), 1e-9), 1 - 1e-9)
    se = math.sqrt(infl * (x0 @ cov @ x0) + phi / (n.mean() * mu * (1 - mu)))
    df = len(t) - 2
    q = stats.t.ppf(0.975, df)
    return expit(eta), expit(eta - q * se), expit(eta + q * se), 2 * stats.t.sf(abs(eta - math.log(level / (1 - level))) / se, df)


def projection(ev, sources, claim):
    level = ev["level"]
    by_i = month_index(claim_by[claim])
    since = ev["window"]["since"]
    out, every = {}, []
    for name, rows in sources.items():
        start = month_index(since) if since else rows[0][0]
        fits = []
        while True:
            w = [r for r in rows if r[0] >= start]
            if len(w) < MIN_MONTHS_PROJECTION:
                break
            fits.append(project(w, by_i, level))
            start += 6
        if len(fits) < 3:
            continue
        every += fits
        out[name] = summarize(fits, level)
    if not every or len(out) < len(sources):
        return out, None
    return out, summarize(every, level)


def summarize(fits, level):
    v = {("supported" if f[1] > level else "contradicted" if f[2] < level else "inconclusive") for f in fits}
    return (
        100 * float(np.median([f[0] for f in fits])),
        100 * min(f[1] for f in fits),
        100 * max(f[2] for f in fits),
        max(f[3] for f in fits),
        v.pop() if len(v) == 1 else "inconclusive",
    )


# ------------------------------------------------------------------------------------------------------ main
claim_by = {}


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol


def p_close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(5e-5, 1e-3 * max(abs(a), abs(b)))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_all = "--all" in sys.argv
    if len(args) != 2:
        print(__doc__)
        return 2
    counts = defaultdict(lambda: defaultdict(list))
    with open(args[0]) as f:
        for r in csv.DictReader(f):
            th = int(r["than_hits"]) if r["than_hits"] else 0
            counts[r["claim"]][r["source"]].append((month_index(r["month"]), int(r["postings"]), int(r["hits"]), th))
    evs = json.load(open(args[1]))
    bad = 0
    print(f"{'claim':<34} {'source':<10} {'tool estimate [95% CI]':<34} {'python estimate [95% CI]':<34} "
          f"{'p tool':>10} {'p python':>10}  ok")
    for ev in evs:
        kind, cid = ev["kind"], ev["id"]
        if kind == "premium":
            print(f"{cid:<34} (premium: seeded bootstrap, not recomputed)")
            continue
        since = month_index(ev["window"]["since"]) if ev["window"]["since"] else -10**9
        until = month_index(ev["window"]["until"]) if ev["window"]["until"] else 10**9
        need = MIN_MONTHS_PROJECTION if kind == "projection" else MIN_MONTHS
        sources = {}
        for s, rows in counts[cid].items():
            rows = sorted(r for r in rows if since <= r[0] <= until and r[1] >= MIN_POSTINGS and r[2] <= r[1])
            if len(rows) >= need:
                sources[s] = rows
        if not sources:
            continue
        if kind in ("rising", "falling", "not-falling"):
            per, comb = trend(ev, sources)
            tol = 0.005
        elif kind in ("above", "as-common-as"):
            per, comb = proportion(ev, sources, True)
            tol = 0.005
        elif kind == "share-at-least":
            per, comb = proportion(ev, sources, False)
            tol = 0.05
        else:
            claim_by[cid] = ev.get("by") or by_from_effect(ev)
            per, comb = projection(ev, sources, cid)
            tol = 0.05
        rows = [(r["source"], r) for r in ev["by_source"] if r["qualifies"]]
        checks = [(s, r, per.get(s)) for s, r in rows]
        if len(rows) > 1 or not rows:
            checks.append(("combined", ev, comb))
        else:
            checks.append(("combined", ev, comb))
        for s, r, py in checks:
            if py is None:
                ok = r.get("estimate") is None
                line = (f"{cid:<34} {s:<10} {'not estimable':<34} {'not estimable':<34}", ok)
            else:
                est, lo, hi, pv, verdict = py
                ok = (close(r.get("estimate"), est, tol) and close(r.get("ci_low"), lo, tol)
                      and (r.get("ci_high") is None and math.isinf(hi) or close(r.get("ci_high"), hi, tol))
                      and p_close(r.get("p_value"), pv) and (s == "combined" or r["verdict"] == verdict))
                tool = f"{fmt(r.get('estimate'))} [{fmt(r.get('ci_low'))}, {fmt(r.get('ci_high'))}] {ev['unit']}"
                pyt = f"{fmt(est)} [{fmt(lo)}, {fmt(hi)}] {ev['unit']}"
                line = (f"{cid:<34} {s:<10} {tool:<34} {pyt:<34} {fmtp(r.get('p_value')):>10} {fmtp(pv):>10}", ok)
            bad += not line[1]
            if show_all or not line[1] or True:
                print(line[0] + ("  ok" if line[1] else "  MISMATCH"))
    print(f"\n{bad} mismatch(es)")
    return 1 if bad else 0


def by_from_effect(ev):
    # "scenario: ... by 2028-12 (...": the projection month.
    e = ev["effect"]
    i = e.find(" by ")
    return e[i + 4:i + 11]


def fmt(v):
    if v is None:
        return "–"
    if math.isinf(v):
        return "∞"
    return f"{v:.4f}" if abs(v) < 10 else f"{v:.2f}"


def fmtp(v):
    return "–" if v is None else f"{v:.3g}"


if __name__ == "__main__":
    sys.exit(main())
