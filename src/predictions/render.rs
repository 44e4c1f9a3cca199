//! Verdicts as text: the plain table `check` prints, the Markdown table the report embeds, and the counts CSV
//! every verdict was computed from.
//!
//! In: [`Evaluation`]s (and, for the CSV, each claim's [`ClaimData`]). Out: strings. The JSON form is the serde
//! serialisation of [`Evaluation`].

use super::verdict::{Evaluation, SourceRow};
use super::{ClaimData, Kind, Prediction, Verdict};

/// Decimals that show an interval without collapsing it (`[0.00, 0.00]` becomes `[0.001, 0.004]`).
fn decimals(values: &[f64], base: usize) -> usize {
    let mut d = base;
    while d < base + 3 {
        let shown: Vec<String> = values.iter().map(|v| format!("{v:.d$}")).collect();
        let zeroish = shown.iter().all(|s| s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.'));
        let collapsed = shown.windows(2).any(|w| w[0] == w[1]);
        if !zeroish && !collapsed {
            break;
        }
        d += 1;
    }
    d
}

fn base_decimals(unit: &str) -> usize {
    if unit == "%" { 1 } else { 2 }
}

/// `[3.80, 7.70] pp/yr`, or `–`.
pub fn interval(unit: &str, lo: Option<f64>, hi: Option<f64>) -> String {
    interval_at(unit, lo, hi, base_decimals(unit))
}

/// [`interval`] with at least `base` decimals (more when fewer would collapse it).
pub fn interval_at(unit: &str, lo: Option<f64>, hi: Option<f64>, base: usize) -> String {
    match (lo, hi) {
        (Some(l), Some(h)) => {
            let d = decimals(&[l, h], base);
            format!("[{l:.d$}, {h:.d$}] {unit}")
        }
        (Some(l), None) => format!("[{l:.2}, ∞) {unit}"),
        _ => "–".to_string(),
    }
}

/// The threshold the claim is tested against: `min_effect 0.25 pp/yr`, `min_ratio 0.80`, `level 10%`...
pub fn threshold(e: &Evaluation) -> String {
    match e.kind {
        Kind::Rising | Kind::Falling | Kind::NotFalling => {
            e.min_effect.map_or("–".into(), |m| format!("min_effect {m:.2} pp/yr"))
        }
        Kind::Above | Kind::AsCommonAs => e.min_ratio.map_or("–".into(), |r| format!("min_ratio {r:.2}")),
        Kind::ShareAtLeast | Kind::Projection => {
            e.level.map_or("–".into(), |l| format!("level {}", super::verdict::pct(l)))
        }
        Kind::Premium => e.threshold.map_or("–".into(), |t| format!("expected ≥ ×{t:.2}")),
    }
}

/// `2024-01..2026-01` (the months actually used), or the claim's window when nothing was used.
pub fn window(e: &Evaluation) -> String {
    let (s, u) = match (&e.since, &e.until) {
        (None, None) => (&e.window.since, &e.window.until),
        _ => (&e.since, &e.until),
    };
    format!("{}..{}", s.as_deref().unwrap_or(""), u.as_deref().unwrap_or(""))
}

/// A p-value as `check` and the report print it: 4 decimals, `3e-8` below 1e-4, `<1e-15`, `–` when absent.
pub fn p_text(x: Option<f64>) -> String {
    match x {
        None => "–".to_string(),
        Some(v) if v < 1e-15 => "<1e-15".to_string(),
        Some(v) if v < 1e-4 => format!("{v:.0e}"),
        Some(v) => format!("{v:.4}"),
    }
}

fn source_name(r: &SourceRow) -> &str {
    if r.source.is_empty() { "(none)" } else { &r.source }
}

/// `hn  supported  +5.50 pp/yr [3.80, 7.70]  n=7,584 hits=1,600` (and the note).
fn source_line(r: &SourceRow, unit: &str) -> String {
    let mut s = format!(
        "{:<12} {:<13} {}  {}  n={} hits={}",
        source_name(r),
        r.verdict.as_str(),
        if r.effect.is_empty() { "–" } else { &r.effect },
        interval(unit, r.ci_low, r.ci_high),
        super::verdict::thousands(r.n_postings),
        super::verdict::thousands(r.n_hits),
    );
    if let Some(pv) = r.p_value {
        s.push_str(&format!(" p={}", p_text(Some(pv))));
    }
    if !r.note.is_empty() {
        s.push_str(&format!("  ({})", r.note));
    }
    s
}

fn heterogeneity_line(e: &Evaluation) -> Option<String> {
    let h = e.heterogeneity?;
    Some(format!(
        "heterogeneity: Q = {:.2}, df = {:.0}, p = {}, I² = {:.0}%, τ² = {:.4}{}",
        h.q,
        h.df,
        p_text(Some(h.p)),
        h.i2 * 100.0,
        h.tau2,
        if e.sources_disagree { " — sources disagree" } else { "" }
    ))
}

/// The plain-text verdict table: one row per claim, then one indented row per source, the heterogeneity when
/// there are two or more qualifying sources, the claim's note and the evaluation's remarks.
pub fn table(evs: &[Evaluation]) -> String {
    let head = ["claim", "verdict", "window", "effect", "95% interval", "threshold", "p(Holm)", "n"];
    let rows: Vec<[String; 8]> = evs
        .iter()
        .map(|e| {
            [
                e.id.clone(),
                e.verdict.as_str().to_string(),
                window(e),
                e.effect.clone(),
                interval(&e.unit, e.ci_low, e.ci_high),
                threshold(e),
                p_text(e.p_holm),
                super::verdict::thousands(e.n_postings),
            ]
        })
        .collect();
    let mut w = head.map(|h| h.chars().count());
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = w[i].saturating_sub(c.chars().count());
            if i == 7 {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&head.map(String::from));
    for (e, r) in evs.iter().zip(&rows) {
        out.push_str(&line(r));
        for sr in &e.by_source {
            out.push_str(&format!("  ↳ {}\n", source_line(sr, &e.unit)));
        }
        if let Some(h) = heterogeneity_line(e) {
            out.push_str(&format!("    {h}\n"));
        }
        if let Some(n) = &e.note {
            out.push_str(&format!("    note: {n}\n"));
        }
        if !e.remarks.is_empty() {
            out.push_str(&format!("    remarks: {}\n", e.remarks));
        }
    }
    let count = |v: Verdict| evs.iter().filter(|e| e.verdict == v).count();
    out.push_str(&format!(
        "\n{} claims: {} supported, {} contradicted, {} inconclusive\n",
        evs.len(),
        count(Verdict::Supported),
        count(Verdict::Contradicted),
        count(Verdict::Inconclusive)
    ));
    out
}

fn md(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The verdict table in Markdown (the same columns plus a by-source column), each claim's note and remarks below.
pub fn markdown(evs: &[Evaluation]) -> String {
    let mut s = String::from(
        "| claim | id | verdict | window | effect | 95% interval | threshold | p (Holm) | n | by source |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for e in evs {
        let by: Vec<String> = e
            .by_source
            .iter()
            .map(|r| {
                format!(
                    "{}: {} {} {}, n={}",
                    source_name(r),
                    r.verdict.as_str(),
                    if r.effect.is_empty() { "–" } else { &r.effect },
                    interval(&e.unit, r.ci_low, r.ci_high),
                    super::verdict::thousands(r.n_postings)
                )
            })
            .collect();
        let mut by = by.join("<br>");
        if let Some(h) = heterogeneity_line(e) {
            by.push_str(&format!("<br>{h}"));
        }
        s.push_str(&format!(
            "| {} | `{}` | **{}** | {} | {} | {} | {} | {} | {} | {} |\n",
            md(&e.claim),
            e.id,
            e.verdict.as_str(),
            window(e),
            md(&e.effect),
            interval(&e.unit, e.ci_low, e.ci_high),
            threshold(e),
            p_text(e.p_holm),
            super::verdict::thousands(e.n_postings),
            md(&by)
        ));
    }
    let notes: Vec<String> = evs
        .iter()
        .filter(|e| e.note.is_some() || !e.remarks.is_empty())
        .map(|e| {
            let mut line = format!("- `{}`:", e.id);
            if let Some(n) = &e.note {
                line.push_str(&format!(" {n}"));
            }
            if !e.remarks.is_empty() {
                line.push_str(&format!(" _({})_", e.remarks));
            }
            line
        })
        .collect();
    if !notes.is_empty() {
        s.push_str("\nNotes (the reading of each claim) and remarks:\n\n");
        s.push_str(&notes.join("\n"));
        s.push('\n');
    }
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// The counts behind every verdict: `claim,source,month,postings,hits,than_hits`, one row per claim, source and
/// month (all months, before the window and the thin-month rule are applied; `than_hits` empty when the claim
/// does not compare).
pub fn counts_csv(items: &[(Prediction, ClaimData)]) -> String {
    let mut s = String::from("claim,source,month,postings,hits,than_hits\n");
    for (p, d) in items {
        for m in &d.months {
            s.push_str(&format!(
                "{},{},{},{},{},{}\n",
                csv_field(&p.id),
                csv_field(&m.source),
                m.month,
                m.postings,
                m.hits,
                m.than_hits.map_or(String::new(), |t| t.to_string())
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_never_collapse() {
        assert_eq!(interval("pp/yr", Some(3.8), Some(7.7)), "[3.80, 7.70] pp/yr");
        assert_eq!(interval("pp/yr", Some(0.0012), Some(0.0041)), "[0.001, 0.004] pp/yr");
        assert_eq!(interval("%", Some(12.34), Some(15.0)), "[12.3, 15.0] %");
        assert_eq!(interval("ratio", None, None), "–");
        // The report's two decimals for every unit: more only where two would collapse the interval.
        assert_eq!(interval_at("%", Some(12.344), Some(15.0), 2), "[12.34, 15.00] %");
        assert_eq!(interval_at("pp/yr", Some(0.0012), Some(0.0041), 2), "[0.001, 0.004] pp/yr");
        assert_eq!(interval_at("ratio", Some(1.5), None, 2), "[1.50, ∞) ratio");
    }

    #[test]
    fn p_values_read_well() {
        assert_eq!(p_text(None), "–");
        assert_eq!(p_text(Some(0.0)), "<1e-15");
        assert_eq!(p_text(Some(3e-8)), "3e-8");
        assert_eq!(p_text(Some(0.04321)), "0.0432");
    }
}
