//! The report: trends and verdicts in, files out.
//!
//! In: [`TrendRow`]s (per period and keyword), the taxonomy, and the claim verdicts ([`generate`]
//! makes them all from a dataset, for `report` and `run`). Out: a
//! [`Report`] — named files (PNG charts, `trends.csv`, `index.md`, a self-contained
//! `index.html`) as bytes; [`Report::write`] puts them in a directory, each atomically.
//! Same input, same bytes out: nothing here reads the clock or iterates a hash map unordered.

use std::collections::BTreeMap;
use std::path::Path;

use crate::analysis::{Analysis, AnalysisError, Selection, Wants};
use crate::charts::{self, Bar, LineChart, Point, Series};
use crate::cli::Period;
use crate::keywords::Taxonomy;
use crate::predictions::Prediction;
use crate::trends::{TrendError, TrendOptions, TrendRow, compute, period_start, to_csv, wilson};

pub mod claims;
pub mod custom;
pub mod emerging;
pub mod explore;

/// The article's themes, one chart each: (file stem, title, keyword ids).
pub const THEMES: &[(&str, &str, &[&str])] = &[
    ("languages", "Backend languages", &["typescript", "javascript", "python", "go", "rust", "java"]),
    ("runtimes", "JavaScript runtimes", &["nodejs", "bun", "deno"]),
    ("databases", "Databases", &["postgresql", "mysql", "mongodb", "redis", "sqlite"]),
    ("vector-vs-redis", "Vector databases vs Redis", &["vector-database", "redis", "pgvector"]),
    ("ai-stack", "The AI stack", &["llm", "rag", "embeddings", "mcp", "ai-agents"]),
    ("infra", "Containers and infrastructure", &["kubernetes", "docker", "terraform"]),
    ("edge-serverless", "Edge and serverless", &["vercel", "cloudflare", "edge-computing", "serverless"]),
    ("durable-execution", "Durable execution", &["durable-execution", "temporal", "inngest", "bullmq"]),
    ("api-styles", "API styles", &["rest-api", "graphql", "grpc", "websocket"]),
    ("architecture", "Architecture", &["microservices", "monolith", "modular-monolith"]),
    ("roles", "DevOps, platform engineering, SRE", &["devops", "platform-engineering", "sre"]),
];

/// Keywords in the small-multiples overview.
pub const OVERVIEW: &[&str] = &[
    "typescript",
    "python",
    "go",
    "rust",
    "postgresql",
    "mongodb",
    "redis",
    "vector-database",
    "llm",
    "rag",
    "ai-agents",
    "mcp",
    "kubernetes",
    "serverless",
    "graphql",
    "microservices",
];

/// A claim's verdict as the report shows it.
#[derive(Debug, Clone)]
pub struct VerdictRow {
    pub id: String,
    pub claim: String,
    pub verdict: String,
    pub effect: String,
    pub interval: String,
    pub p_value: String,
    pub n: String,
    /// The months the verdict used, `YYYY-MM..YYYY-MM`.
    pub window: String,
    /// The claim's threshold as used (`min_effect 0.25 pp/yr`, `min_ratio 0.80`, `level 25.0%`).
    pub threshold: String,
    /// The reading chosen (the claim's `note`), and the evaluation's remarks.
    pub note: String,
    /// One line per source: `hn: supported, +5.5 pp/yr [3.8, 7.7] pp/yr, n=7,584`.
    pub by_source: Vec<String>,
    /// A chart for this claim, if any (file name → PNG bytes).
    pub chart: Option<(String, Vec<u8>)>,
}

/// Options of the report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub width: u32,
    pub height: u32,
    /// "month", "quarter" or "year" (for labels).
    pub period_name: String,
    /// e.g. "hn: 54,299 postings, 2018-03..2026-01".
    pub source_note: String,
    /// Every source of the dataset, for the "Sources" section.
    pub sources: Vec<ReportSource>,
}

/// A source of the dataset as the "Sources" section shows it.
#[derive(Debug, Clone)]
pub struct ReportSource {
    pub profile: crate::sources::audience::SourceProfile,
    /// Its postings are part of this report's analysis (samples beside real data, or sources
    /// outside the selection, are not).
    pub analysed: bool,
}

/// The cells of the "Sources" table: source, audience, postings, with a date, coverage, analysed.
fn source_cells(o: &ReportOptions) -> Vec<[String; 6]> {
    o.sources
        .iter()
        .map(|r| {
            let p = &r.profile;
            [
                p.source.clone(),
                p.audience.clone(),
                p.postings.to_string(),
                p.with_date.to_string(),
                p.coverage(),
                if r.analysed { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect()
}

const SOURCES_HEAD: [&str; 6] = ["source", "audience", "postings", "with a date", "coverage", "in this report"];
const SOURCES_NOTE: &str =
    "Each source speaks for its own audience: weigh the per-source verdicts (\"by source\") by it.";

/// The files of a report, by name, in a stable order.
#[derive(Debug, Default)]
pub struct Report {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Chart file names in display order with their titles.
    pub charts: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("chart {name}: {source}")]
    Chart { name: String, source: charts::ChartError },
    #[error("{}: {source}", path.display())]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error(
        "interrupted: {written} of {total} report files written to {}{}",
        dir.display(),
        if *written == 0 { " (the previous report is unchanged)" } else { "; the others are the previous report's, run again to complete it" }
    )]
    Interrupted { dir: std::path::PathBuf, written: usize, total: usize },
}

fn label(tax: &Taxonomy, id: &str) -> String {
    tax.index_of(id).map(|i| tax.keywords()[i].label.clone()).unwrap_or_else(|| id.to_string())
}

/// Per keyword, its rows in period order.
fn by_keyword(rows: &[TrendRow]) -> BTreeMap<&str, Vec<&TrendRow>> {
    let mut m: BTreeMap<&str, Vec<&TrendRow>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.source.is_none()) {
        m.entry(r.keyword.as_str()).or_default().push(r);
    }
    for v in m.values_mut() {
        v.sort_by(|a, b| a.period.cmp(&b.period));
    }
    m
}

fn series(tax: &Taxonomy, id: &str, rows: &[&TrendRow]) -> Series {
    Series {
        key: id.to_string(),
        label: label(tax, id),
        points: rows
            .iter()
            .filter_map(|r| {
                Some(Point {
                    date: period_start(&r.period)?,
                    value: r.share,
                    low: r.ci_low,
                    high: r.ci_high,
                    n: r.postings,
                    flagged: r.flagged,
                })
            })
            .collect(),
        dashed: false,
    }
}

/// Postings per period as a footnote: "n per month: 2018-03 872 · ... (min 180, median 640, max 1,010)".
fn n_note(rows: &[TrendRow]) -> String {
    let mut per: BTreeMap<&str, u64> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.source.is_none()) {
        per.insert(&r.period, r.postings);
    }
    let mut ns: Vec<u64> = per.values().copied().collect();
    if ns.is_empty() {
        return "no postings".into();
    }
    ns.sort_unstable();
    format!(
        "{} periods, {}..{}; postings per period: min {}, median {}, max {}, total {}",
        per.len(),
        per.keys().next().copied().unwrap_or_default(),
        per.keys().last().copied().unwrap_or_default(),
        ns[0],
        ns[ns.len() / 2],
        ns[ns.len() - 1],
        ns.iter().sum::<u64>()
    )
}

/// Share over a set of periods, pooled: (mentions, postings).
fn pooled(rows: &[&TrendRow], periods: &[&str]) -> (u64, u64) {
    rows.iter()
        .filter(|r| periods.contains(&r.period.as_str()))
        .fold((0, 0), |(k, n), r| (k + r.mentions, n + r.postings))
}

/// A keyword's share in the first and last 12 months (or 4 quarters / 1 year) of the data.
#[derive(Debug, Clone)]
pub struct Mover {
    pub id: String,
    pub first: f64,
    pub last: f64,
    /// last - first, with a Newcombe (Wilson-based) 95% interval.
    pub diff: f64,
    pub low: f64,
    pub high: f64,
    pub first_window: String,
    pub last_window: String,
}

/// First and last windows of about a year each.
fn windows(periods: &[&str], period_name: &str) -> (Vec<String>, Vec<String>) {
    let per_year = match period_name {
        "quarter" => 4,
        "year" => 1,
        _ => 12,
    };
    let w = per_year.min(periods.len() / 2).max(1);
    let first = periods[..w.min(periods.len())].iter().map(|s| s.to_string()).collect();
    let last = periods[periods.len().saturating_sub(w)..].iter().map(|s| s.to_string()).collect();
    (first, last)
}

/// Every keyword's change between the first and the last year of the data.
pub fn movers(rows: &[TrendRow], period_name: &str) -> Vec<Mover> {
    let bk = by_keyword(rows);
    let mut periods: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
    periods.sort_unstable();
    periods.dedup();
    if periods.len() < 2 {
        return Vec::new();
    }
    let (fw, lw) = windows(&periods, period_name);
    let fw_ref: Vec<&str> = fw.iter().map(String::as_str).collect();
    let lw_ref: Vec<&str> = lw.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (id, rs) in &bk {
        let (k1, n1) = pooled(rs, &fw_ref);
        let (k2, n2) = pooled(rs, &lw_ref);
        if n1 == 0 || n2 == 0 {
            continue;
        }
        let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
        let (l1, u1) = wilson(k1, n1, crate::trends::Z95);
        let (l2, u2) = wilson(k2, n2, crate::trends::Z95);
        let d = p2 - p1;
        // Newcombe's method 10 for a difference of independent proportions.
        let low = d - ((p2 - l2).powi(2) + (u1 - p1).powi(2)).sqrt();
        let high = d + ((u2 - p2).powi(2) + (p1 - l1).powi(2)).sqrt();
        out.push(Mover {
            id: id.to_string(),
            first: p1,
            last: p2,
            diff: d,
            low,
            high,
            first_window: format!("{}..{}", fw[0], fw[fw.len() - 1]),
            last_window: format!("{}..{}", lw[0], lw[lw.len() - 1]),
        });
    }
    out.sort_by(|a, b| b.diff.abs().total_cmp(&a.diff.abs()).then(a.id.cmp(&b.id)));
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn pp(x: f64) -> String {
    format!("{:+.1} pp", x * 100.0)
}

/// Escapes text for HTML (every string taken from postings or claims goes through this).
pub fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Escapes text for a Markdown table cell.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The footnote of the line charts: sources, postings per period, what the bands mean.
fn chart_note(opts: &ReportOptions, rows: &[TrendRow]) -> String {
    format!(
        "Source: {}. {}. Bands: Wilson 95% intervals; hollow points: fewer postings than the minimum.",
        opts.source_note,
        n_note(rows)
    )
}

/// Builds the whole report in memory.
pub fn build(
    tax: &Taxonomy,
    rows: &[TrendRow],
    csv: String,
    verdicts: &[VerdictRow],
    extra_charts: Vec<(String, String, Vec<u8>)>,
    opts: &ReportOptions,
    explore: Option<&explore::ExploreData>,
) -> Result<Report, ReportError> {
    let mut rep = Report::default();
    let bk = by_keyword(rows);
    let note = chart_note(opts, rows);
    let all_movers = movers(rows, &opts.period_name);
    let ctx = Charting { tax, bk: &bk, all_movers: &all_movers, note: &note, opts };
    let theme_tables = theme_charts(&mut rep, &ctx)?;
    overview_and_movers(&mut rep, &ctx)?;

    for (name, title, png) in extra_charts {
        rep.files.insert(name.clone(), png);
        rep.charts.push((name, title));
    }
    for v in verdicts {
        if let Some((name, png)) = &v.chart {
            rep.files.insert(name.clone(), png.clone());
        }
    }

    rep.files.insert("trends.csv".into(), csv.into_bytes());
    let md = index_md(&rep, tax, &theme_tables, &all_movers, verdicts, opts);
    let html = index_html(&rep, tax, &theme_tables, &all_movers, verdicts, opts, explore);
    rep.files.insert("index.md".into(), md.into_bytes());
    rep.files.insert("index.html".into(), html.into_bytes());
    Ok(rep)
}

/// A chart's PNG, or the error naming the chart.
fn chart(name: &str, r: Result<Vec<u8>, charts::ChartError>) -> Result<Vec<u8>, ReportError> {
    r.map_err(|source| ReportError::Chart { name: name.to_string(), source })
}

/// What the report's keyword charts are drawn from: the trend rows by keyword, the movers, the
/// charts' footnote and the options.
#[derive(Clone, Copy)]
struct Charting<'a> {
    tax: &'a Taxonomy,
    bk: &'a BTreeMap<&'a str, Vec<&'a TrendRow>>,
    all_movers: &'a [Mover],
    note: &'a str,
    opts: &'a ReportOptions,
}

/// One chart per theme into `rep`; returns each theme's title with its keywords' movers (the
/// theme tables).
fn theme_charts(rep: &mut Report, ctx: &Charting<'_>) -> Result<Vec<(String, Vec<Mover>)>, ReportError> {
    let Charting { tax, bk, all_movers, note, opts } = *ctx;
    let mut theme_tables: Vec<(String, Vec<Mover>)> = Vec::new();
    for (stem, title, ids) in THEMES {
        let s: Vec<Series> = ids.iter().filter_map(|id| bk.get(*id).map(|r| series(tax, id, r))).collect();
        let lc = LineChart {
            title: format!("{title}: share of postings that mention each"),
            subtitle: Some(format!("per {}, with 95% intervals", opts.period_name)),
            y_label: "share of postings".into(),
            x_label: opts.period_name.clone(),
            footnote: note.to_string(),
            series: s,
            width: opts.width,
            height: opts.height,
            y_max: None,
        };
        let name = format!("{stem}.png");
        rep.files.insert(name.clone(), chart(&name, charts::line_chart(&lc))?);
        rep.charts.push((name, title.to_string()));
        let ms: Vec<Mover> = ids.iter().filter_map(|id| all_movers.iter().find(|m| m.id == *id).cloned()).collect();
        theme_tables.push((title.to_string(), ms));
    }
    Ok(theme_tables)
}

/// The overview's small multiples and the biggest movers' bar chart into `rep`.
fn overview_and_movers(rep: &mut Report, ctx: &Charting<'_>) -> Result<(), ReportError> {
    let Charting { tax, bk, all_movers, note, opts } = *ctx;
    let panels: Vec<(String, Vec<Series>)> =
        OVERVIEW.iter().filter_map(|id| bk.get(*id).map(|r| (label(tax, id), vec![series(tax, id, r)]))).collect();
    let name = "overview.png".to_string();
    rep.files.insert(
        name.clone(),
        chart(
            &name,
            charts::small_multiples("Overview: share of postings per keyword", note, &panels, opts.width, opts.height),
        )?,
    );
    rep.charts.push((name, "Overview (small multiples)".into()));

    let top: Vec<Bar> = all_movers
        .iter()
        .take(20)
        .map(|m| Bar { key: m.id.clone(), label: label(tax, &m.id), value: m.diff, low: m.low, high: m.high })
        .collect();
    let (fw, lw) = all_movers.first().map(|m| (m.first_window.clone(), m.last_window.clone())).unwrap_or_default();
    let name = "movers.png".to_string();
    rep.files.insert(
        name.clone(),
        chart(
            &name,
            charts::bar_chart(
                &format!("Biggest movers: change in share, {fw} vs {lw}"),
                "change in share of postings (percentage points), 95% interval",
                note,
                &top,
                opts.width,
                opts.height,
            ),
        )?,
    );
    rep.charts.push((name, "Biggest movers".into()));
    Ok(())
}

/// The cells of a keyword's row in the theme and movers tables (plain text; escape on output).
fn mover_cells(tax: &Taxonomy, m: &Mover) -> [String; 5] {
    [label(tax, &m.id), pct(m.first), pct(m.last), pp(m.diff), format!("{} .. {}", pp(m.low), pp(m.high))]
}

/// A Markdown table: header row, separator, one line per row.
fn md_table(head: &[&str], rows: impl Iterator<Item = [String; 5]>) -> String {
    let mut s = format!("| {} |\n|{}\n", head.join(" | "), "---|".repeat(head.len()));
    for r in rows {
        s.push_str(&format!("| {} |\n", r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    s
}

/// An HTML table, every cell escaped.
fn html_table(head: &[&str], rows: impl Iterator<Item = [String; 5]>) -> String {
    let th: String = head.iter().map(|h| format!("<th>{}</th>", html_escape(h))).collect();
    let mut s = format!("<table><tr>{th}</tr>\n");
    for r in rows {
        let td: String = r.iter().map(|c| format!("<td>{}</td>", html_escape(c))).collect();
        s.push_str(&format!("<tr>{td}</tr>\n"));
    }
    s.push_str("</table>\n");
    s
}

fn index_md(
    rep: &Report,
    tax: &Taxonomy,
    themes: &[(String, Vec<Mover>)],
    movers: &[Mover],
    verdicts: &[VerdictRow],
    o: &ReportOptions,
) -> String {
    let mut s = String::new();
    s.push_str("# jobtrend report\n\n");
    s.push_str(&format!(
        "Are the shifts predicted by \"The State of Backend Engineering in 2026\" happening? Source: {}.\n\n",
        md_cell(&o.source_note)
    ));
    if !o.sources.is_empty() {
        s.push_str(&format!(
            "## Sources\n\n{SOURCES_NOTE}\n\n| {} |\n|---|---|---|---|---|---|\n",
            SOURCES_HEAD.join(" | ")
        ));
        for row in source_cells(o) {
            let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        s.push('\n');
    }
    if !verdicts.is_empty() {
        s.push_str("## Verdicts on the article's claims\n\n![scorecard](scorecard.png)\n\n");
        s.push_str(
            "| claim | verdict | window | effect | 95% interval | threshold | p (Holm) | n | by source | chart |\n|---|---|---|---|---|---|---|---|---|---|\n",
        );
        for v in verdicts {
            let chart = v.chart.as_ref().map(|(n, _)| format!("[chart]({n})")).unwrap_or_default();
            s.push_str(&format!(
                "| {} (`{}`) | **{}** | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                md_cell(&v.claim),
                v.id,
                v.verdict,
                v.window,
                md_cell(&v.effect),
                md_cell(&v.interval),
                md_cell(&v.threshold),
                v.p_value,
                v.n,
                md_cell(&v.by_source.join("; ")),
                chart
            ));
        }
        s.push_str("\n### How each claim was read\n\n");
        for v in verdicts {
            s.push_str(&format!("- `{}`: {}\n", v.id, md_cell(&v.note)));
        }
        s.push('\n');
    }
    s.push_str("## Charts\n\n");
    for (name, title) in &rep.charts {
        s.push_str(&format!("### {}\n\n![{}]({})\n\n", md_cell(title), md_cell(title), name));
    }
    s.push_str("## Key numbers by theme\n\n");
    for (title, ms) in themes {
        if ms.is_empty() {
            continue;
        }
        let head = ["keyword", &ms[0].first_window, &ms[0].last_window, "change", "95% interval"];
        s.push_str(&format!("### {}\n\n", md_cell(title)));
        s.push_str(&md_table(&head, ms.iter().map(|m| mover_cells(tax, m))));
        s.push('\n');
    }
    s.push_str("## Biggest movers\n\n");
    let head = ["keyword", "first year", "last year", "change", "95% interval"];
    s.push_str(&md_table(&head, movers.iter().take(20).map(|m| mover_cells(tax, m))));
    s.push_str(concat!(
        "\nAll numbers: [trends.csv](trends.csv) (`period,keyword,mentions,postings,share,ci_low,ci_high,flagged`; ",
        "`flagged`: few postings, or data in fewer months than the period spans).\n"
    ));
    s
}

fn index_html(
    rep: &Report,
    tax: &Taxonomy,
    themes: &[(String, Vec<Mover>)],
    movers: &[Mover],
    verdicts: &[VerdictRow],
    o: &ReportOptions,
    explore: Option<&explore::ExploreData>,
) -> String {
    let e = html_escape;
    let mut s = String::new();
    s.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>jobtrend report</title>\n<style>body{font-family:sans-serif;max-width:1650px;margin:2em auto;padding:0 1em;color:#222}img{max-width:100%;border:1px solid #ddd}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}.supported{color:#1a7f37;font-weight:bold}.contradicted{color:#c62828;font-weight:bold}.inconclusive{color:#8a6d00;font-weight:bold}</style></head><body>\n");
    s.push_str("<h1>jobtrend report</h1>\n");
    s.push_str(&format!(
        "<p>Are the shifts predicted by “The State of Backend Engineering in 2026” happening? Source: {}.</p>\n",
        e(&o.source_note)
    ));
    if explore.is_some() {
        s.push_str("<p><a href=\"#explore\">Explore the data</a>: any keyword or role, compared, per month, quarter or year.</p>\n");
    }
    if !o.sources.is_empty() {
        s.push_str(&format!("<h2>Sources</h2>\n<p>{}</p>\n<table><tr>", e(SOURCES_NOTE)));
        for h in SOURCES_HEAD {
            s.push_str(&format!("<th>{}</th>", e(h)));
        }
        s.push_str("</tr>\n");
        for row in source_cells(o) {
            let cells: Vec<String> = row.iter().map(|c| format!("<td>{}</td>", e(c))).collect();
            s.push_str(&format!("<tr>{}</tr>\n", cells.concat()));
        }
        s.push_str("</table>\n");
    }
    if !verdicts.is_empty() {
        s.push_str("<h2>Verdicts on the article's claims</h2>\n<p><img src=\"scorecard.png\" alt=\"scorecard\"></p>\n<table><tr><th>claim</th><th>verdict</th><th>window</th><th>effect</th><th>95% interval</th><th>threshold</th><th>p (Holm)</th><th>n</th><th>chart</th></tr>\n");
        for v in verdicts {
            let chart = v.chart.as_ref().map(|(n, _)| format!("<a href=\"{}\">chart</a>", e(n))).unwrap_or_default();
            s.push_str(&format!(
                "<tr><td>{} (<code>{}</code>)</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                e(&v.claim), e(&v.id), e(&v.verdict), e(&v.verdict), e(&v.window), e(&v.effect), e(&v.interval), e(&v.threshold), e(&v.p_value), e(&v.n), chart
            ));
            let sources: Vec<String> = v.by_source.iter().map(|l| e(l)).collect();
            s.push_str(&format!(
                "<tr class=\"detail\"><td></td><td colspan=\"8\"><small>{}<br>by source: {}</small></td></tr>\n",
                e(&v.note),
                sources.join("<br>")
            ));
        }
        s.push_str("</table>\n");
    }
    if let Some(x) = explore {
        s.push_str(&x.html());
    }
    s.push_str("<h2>Charts</h2>\n");
    for (name, title) in &rep.charts {
        s.push_str(&format!(
            "<h3>{}</h3>\n<p><a href=\"{n}\"><img src=\"{n}\" alt=\"{t}\"></a></p>\n",
            e(title),
            n = e(name),
            t = e(title)
        ));
    }
    s.push_str("<h2>Key numbers by theme</h2>\n");
    for (title, ms) in themes {
        if ms.is_empty() {
            continue;
        }
        let head = ["keyword", &ms[0].first_window, &ms[0].last_window, "change", "95% interval"];
        s.push_str(&format!("<h3>{}</h3>\n", e(title)));
        s.push_str(&html_table(&head, ms.iter().map(|m| mover_cells(tax, m))));
    }
    s.push_str("<h2>Biggest movers</h2>\n");
    let head = ["keyword", "first year", "last year", "change", "95% interval"];
    s.push_str(&html_table(&head, movers.iter().take(20).map(|m| mover_cells(tax, m))));
    s.push_str("<p>All numbers: <a href=\"trends.csv\">trends.csv</a>.</p>\n</body></html>\n");
    s
}

impl Report {
    /// Adds a section at the end of `index.md` and of `index.html` (before `</body>`).
    pub fn add_section(&mut self, md: &str, html: &str) {
        if let Some(f) = self.files.get_mut("index.md") {
            f.extend_from_slice(md.as_bytes());
        }
        if let Some(f) = self.files.get_mut("index.html") {
            let page = String::from_utf8_lossy(f).into_owned();
            let at = page.rfind("</body>").unwrap_or(page.len());
            *f = format!("{}{html}{}", &page[..at], &page[at..]).into_bytes();
        }
    }

    /// Writes every file into `dir` (created if needed), each atomically (temp file + rename),
    /// the index pages last. On SIGINT/SIGTERM ([`crate::signals`]) it stops between files with
    /// [`ReportError::Interrupted`].
    pub fn write(&self, dir: &Path) -> Result<(), ReportError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ReportError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let mut files: Vec<_> = self.files.iter().collect();
        files.sort_by_key(|(name, _)| name.starts_with("index."));
        for (written, (name, bytes)) in files.into_iter().enumerate() {
            if crate::signals::stop_requested() {
                return Err(ReportError::Interrupted { dir: dir.to_path_buf(), written, total: self.files.len() });
            }
            let dest = dir.join(name);
            crate::fsutil::write_atomic(&dest, bytes).map_err(io(&dest))?;
            crate::signals::pause_point(written + 1);
        }
        Ok(())
    }
}

/// What a report is made from.
#[derive(Debug, Clone)]
pub struct ReportRequest<'a> {
    pub data: &'a Path,
    pub tax: &'a Taxonomy,
    pub selection: Selection,
    pub trend: TrendOptions,
    /// The claims to check (the scorecard and one chart each).
    pub predictions: Vec<Prediction>,
    pub width: u32,
    pub height: u32,
    /// `--term`/`--term-regex`: counted over the posting text, in trends.csv and the "Your terms" chart.
    pub terms: Vec<crate::terms::Term>,
}

/// Errors of [`generate`].
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error(transparent)]
    Trends(#[from] TrendError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Terms(#[from] crate::terms::TermError),
}

/// The analysis and the report made from it; no report when the selection holds no posting.
pub fn generate(req: &ReportRequest<'_>) -> Result<(Analysis, Option<Report>), GenerateError> {
    let wants = Wants { facts: true, predictions: req.predictions.clone() };
    let mut a = crate::analysis::analyse(req.data, req.tax, &req.selection, &wants)?;
    if a.is_empty() {
        return Ok((a, None));
    }
    let mut rows = compute(&a, req.tax, &req.trend)?;
    let mut term_counts = None;
    if !req.terms.is_empty() {
        let counts = crate::terms::count(req.data, &req.selection, &req.terms)?;
        rows = crate::trends::merge_rows(rows, crate::trends::compute_terms(&a, &counts, &req.trend));
        for p in &counts.problems {
            if !a.problems.iter().any(|q| q.path == p.path) {
                a.problems.push(p.clone());
            }
        }
        term_counts = Some(counts);
    }
    let term_names = term_counts.as_ref().map(|c| c.names.clone()).unwrap_or_default();
    let csv = to_csv(&rows, false);
    let opts = ReportOptions {
        width: req.width,
        height: req.height,
        period_name: match req.trend.by {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
        .to_string(),
        source_note: a.source_note(),
        sources: report_sources(req.data, &a),
    };
    let verdicts = claims::verdict_rows(&a.claims, &a.evaluations(), &opts);
    let mut extra = claims::extra_charts(&a, &opts)?;
    extra.extend(custom::charts(req.tax, &rows, &term_names, &opts)?);
    if !verdicts.is_empty() {
        extra.insert(
            0,
            ("scorecard.png".into(), "Scorecard: the article's claims".into(), claims::scorecard(&verdicts, &opts)?),
        );
    }
    let mut explore = explore_data(&a, req);
    if let Some(c) = &term_counts {
        for (i, n) in c.names.iter().enumerate() {
            explore.add_series(explore::SeriesKind::Term, n, n, &c.series(i));
        }
    }
    let mut rep = build(req.tax, &rows, csv, &verdicts, extra, &opts, Some(&explore))?;
    let em_opts = crate::emerging::EmergingOptions { sources: req.selection.sources.clone(), ..Default::default() };
    let em = crate::emerging::find(req.data, req.tax, &em_opts);
    rep.add_section(&emerging::markdown(&em), &emerging::html(&em));
    Ok((a, Some(rep)))
}

/// The explorer's data for `a`: every keyword and role; shown first the `--keywords` given, else
/// the languages theme.
fn explore_data(a: &Analysis, req: &ReportRequest<'_>) -> explore::ExploreData {
    let given = crate::keywords::split_ids(&req.trend.keywords);
    let defaults: Vec<&str> = if given.is_empty() { THEMES[0].2.to_vec() } else { given };
    explore::ExploreData::from_analysis(a, req.tax, req.trend.by, req.trend.min_postings, &defaults)
}

/// The dataset's sources with whether the analysis used them (an unreadable dataset: none).
fn report_sources(data: &Path, a: &Analysis) -> Vec<ReportSource> {
    let analysed: std::collections::BTreeSet<&str> = a.cells.keys().map(|(_, s)| s.as_str()).collect();
    let profiles = crate::sources::audience::profile(data).map(|p| p.sources).unwrap_or_default();
    profiles.into_iter().map(|p| ReportSource { analysed: analysed.contains(p.source.as_str()), profile: p }).collect()
}

/// [`generate`], then [`Report::write`] into `out` when there is a report.
pub fn generate_to(req: &ReportRequest<'_>, out: &Path) -> Result<(Analysis, Option<Report>), GenerateError> {
    let (a, rep) = generate(req)?;
    if let Some(r) = &rep {
        r.write(out)?;
    }
    Ok((a, rep))
}
