//! The interactive explorer of `index.html`: counts in, an HTML section with its data and script out.
//!
//! In: an [`Analysis`] (postings, per-keyword and per-role counts per (month, source)) and the
//! [`Taxonomy`] (every id, custom ones from `--keywords-dir` included); other stages add series of
//! their own through [`ExploreData::add_series`] (e.g. `--term` counts). Out: [`ExploreData::html`],
//! a `<section id="explore">` with the counts as compact JSON in
//! `<script type="application/json" id="explore-data">` and the plain JS/SVG of `explore.js`, which
//! sums months into periods and computes shares and Wilson intervals in the browser (the same
//! formula and z as [`crate::trends::wilson`]), so any period, series and source mix works offline.
//!
//! JSON layout (arrays, no object per cell): `months` (sorted `YYYY-MM`); `sources`, each
//! `{name, from, postings}` where `postings[i]` is the source's postings in `months[from + i]`;
//! `series`, each `{id, label, kind, counts}` where `counts[s][i]` are the postings of source `s`
//! mentioning it in `months[sources[s].from + i]` (arrays shortened: missing trailing values are 0).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::cli::Period;
use crate::keywords::Taxonomy;

/// The explorer's script (plain JS, no dependency).
const SCRIPT: &str = include_str!("explore.js");

/// What a series counts; the explorer groups its pickers by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesKind {
    /// A taxonomy keyword id (built in or from `--keywords-dir`).
    Keyword,
    /// A role of [`crate::roles::ROLES`].
    Role,
    /// A free-text term matched at analysis time (`--term`).
    Term,
}

#[derive(Debug, Clone, Serialize)]
struct SourceData {
    name: String,
    /// Index into `months` of this source's first month.
    from: usize,
    /// Postings per month from `from` on (0 where a month in between has none).
    postings: Vec<u64>,
}

#[derive(Debug, Clone, Serialize)]
struct SeriesData {
    id: String,
    label: String,
    kind: SeriesKind,
    /// Per source (same order as `sources`), mentions per month from the source's `from`.
    counts: Vec<Vec<u64>>,
}

/// Everything the explorer draws from, serialised as the page's `explore-data`.
#[derive(Debug, Clone, Serialize)]
pub struct ExploreData {
    months: Vec<String>,
    sources: Vec<SourceData>,
    series: Vec<SeriesData>,
    /// z of the 95% intervals ([`crate::trends::Z95`]).
    z: f64,
    /// Periods with fewer postings are drawn hollow (as `--min-postings`).
    min_postings: u64,
    /// The period shown when the URL names none: `month`, `quarter` or `year`.
    by: &'static str,
    /// The keyword ids shown when the URL names none.
    defaults: Vec<String>,
}

fn period_name(by: Period) -> &'static str {
    match by {
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Year => "year",
    }
}

impl ExploreData {
    /// The months and sources of `a`, a series per taxonomy keyword (in taxonomy order) and per role.
    /// `by` and `min_postings` are the report's (the page's defaults); `defaults` the ids shown first.
    pub fn from_analysis(a: &Analysis, tax: &Taxonomy, by: Period, min_postings: u64, defaults: &[&str]) -> Self {
        let months: Vec<String> = a.cells.keys().map(|(m, _)| m.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let pos = |m: &str| months.binary_search_by(|x| x.as_str().cmp(m)).unwrap_or(0);
        let mut span: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for ((m, s), c) in &a.cells {
            if c.postings == 0 {
                continue;
            }
            let i = pos(m);
            let e = span.entry(s.as_str()).or_insert((i, i));
            e.0 = e.0.min(i);
            e.1 = e.1.max(i);
        }
        let mut sources: Vec<SourceData> = span
            .iter()
            .map(|(s, (a, b))| SourceData { name: s.to_string(), from: *a, postings: vec![0; b - a + 1] })
            .collect();
        let src_index: BTreeMap<&str, usize> = span.keys().enumerate().map(|(i, s)| (*s, i)).collect();
        for ((m, s), c) in &a.cells {
            if let Some(&si) = src_index.get(s.as_str()) {
                let src = &mut sources[si];
                src.postings[pos(m) - src.from] += c.postings;
            }
        }
        let mut out = ExploreData {
            months,
            sources,
            series: Vec::new(),
            z: crate::trends::Z95,
            min_postings,
            by: period_name(by),
            defaults: defaults.iter().filter(|d| tax.index_of(d).is_some()).map(|d| d.to_string()).collect(),
        };
        let cells = |pick: &dyn Fn(&crate::analysis::Cell) -> u64| -> BTreeMap<(String, String), u64> {
            a.cells.iter().map(|(k, c)| (k.clone(), pick(c))).collect()
        };
        for (i, k) in tax.keywords().iter().enumerate() {
            let label = if k.label.is_empty() { k.id.as_str() } else { k.label.as_str() };
            let counts = cells(&|c| c.keywords.get(i).copied().unwrap_or(0));
            out.add_series(SeriesKind::Keyword, &k.id, label, &counts);
        }
        for (i, r) in crate::roles::ROLES.iter().enumerate() {
            let counts = cells(&|c| c.roles.get(i).copied().unwrap_or(0));
            out.add_series(SeriesKind::Role, r, r, &counts);
        }
        out
    }

    /// Adds a series: `counts` maps (month `YYYY-MM`, source) — the keys of [`Analysis::cells`] — to
    /// the postings that mention it. Cells outside the explorer's months and sources (no postings) are
    /// ignored; missing cells count 0. An `id` already present for the same `kind` is replaced.
    pub fn add_series(&mut self, kind: SeriesKind, id: &str, label: &str, counts: &BTreeMap<(String, String), u64>) {
        let mut per: Vec<Vec<u64>> = self.sources.iter().map(|s| vec![0; s.postings.len()]).collect();
        for ((m, s), &k) in counts {
            let (Ok(mi), Some(si)) = (self.months.binary_search(m), self.sources.iter().position(|x| x.name == *s))
            else {
                continue;
            };
            let src = &self.sources[si];
            if let Some(x) = mi.checked_sub(src.from).and_then(|i| per[si].get_mut(i)) {
                *x += k;
            }
        }
        for v in &mut per {
            while v.last() == Some(&0) {
                v.pop();
            }
        }
        let s = SeriesData { id: id.to_string(), label: label.to_string(), kind, counts: per };
        match self.series.iter_mut().find(|x| x.kind == kind && x.id == id) {
            Some(old) => *old = s,
            None => self.series.push(s),
        }
    }

    /// The data as compact JSON, safe inside a `<script>` element: every `<` is written `\u003c`
    /// (JSON allows `<` only inside strings, where the escape means the same), so no `</script>`
    /// or `<!--` can end or change the element.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serialises").replace('<', "\\u003c")
    }

    /// The `<section id="explore">`: controls, the chart, the legend, the data and the script.
    pub fn html(&self) -> String {
        let mut s = String::with_capacity(self.to_json().len() + SCRIPT.len() + 4096);
        s.push_str(concat!(
            "<section id=\"explore\">\n<h2>Explore</h2>\n",
            "<p>Pick keywords and roles to compare; hover a point for its values, click it for the postings ",
            "behind it. The address keeps the choice (",
            "<code>?keywords=typescript,rust&amp;by=quarter</code>, also <code>roles=</code>, <code>sources=</code>, ",
            "<code>split=source</code>). Shares and Wilson 95% intervals are computed here from the embedded counts.</p>\n",
            "<style>#explore .ctl{display:flex;flex-wrap:wrap;gap:.6em 1.4em;align-items:center;margin:.4em 0}",
            "#explore .chip{display:inline-block;border:1px solid #bbb;border-radius:1em;padding:0 .2em 0 .6em;margin:.1em}",
            "#explore .chip button{border:0;background:none;cursor:pointer;color:#777}",
            "#explore-chart svg{width:100%;height:auto;font:12px sans-serif;background:#fff}",
            "#explore .legend span{display:inline-block;margin-right:1.2em}",
            "#explore .legend svg{width:28px;vertical-align:middle;margin-right:.3em}",
            "#explore-tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #999;",
            "padding:4px 8px;font:12px sans-serif;box-shadow:1px 1px 4px #0003;display:none;white-space:nowrap}",
            "#explore-detail code{background:#f4f4f4;padding:1px 4px}#explore-errors{color:#c62828}</style>\n",
            "<div class=\"ctl\" id=\"explore-controls\"></div>\n",
            "<div class=\"legend\" id=\"explore-legend\"></div>\n",
            "<div id=\"explore-chart\" style=\"position:relative\"></div>\n<div id=\"explore-tip\"></div>\n",
            "<div id=\"explore-detail\"></div>\n<pre id=\"explore-errors\"></pre>\n",
            "<script>window.onerror=function(m,src,l,c){var e=document.getElementById('explore-errors');",
            "if(e)e.textContent+='error: '+m+' (line '+l+':'+c+')\\n'};",
            "window.addEventListener('unhandledrejection',function(ev){var e=document.getElementById('explore-errors');",
            "if(e)e.textContent+='error: '+ev.reason+'\\n'});</script>\n",
            "<script type=\"application/json\" id=\"explore-data\">"
        ));
        s.push_str(&self.to_json());
        s.push_str("</script>\n<script>\n");
        s.push_str(SCRIPT);
        s.push_str("</script>\n</section>\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Cell;

    fn analysis() -> Analysis {
        let mut a = Analysis::default();
        let tax = Taxonomy::builtin().unwrap();
        let n = tax.keywords().len();
        let ts = tax.index_of("typescript").unwrap();
        for (m, s, p, k) in [("2024-01", "hn", 10, 3), ("2024-03", "hn", 20, 0), ("2024-03", "feed", 5, 5)] {
            let mut c = Cell {
                postings: p,
                keywords: vec![0; n],
                roles: vec![0; crate::roles::ROLES.len()],
                ..Default::default()
            };
            c.keywords[ts] = k;
            c.roles[0] = 1;
            a.cells.insert((m.to_string(), s.to_string()), c);
        }
        a
    }

    #[test]
    fn counts_are_laid_out_per_source_from_its_first_month() {
        let tax = Taxonomy::builtin().unwrap();
        let mut d = ExploreData::from_analysis(&analysis(), &tax, Period::Quarter, 100, &["typescript", "nope"]);
        assert_eq!(d.months, ["2024-01", "2024-03"]);
        let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(v["sources"][0], serde_json::json!({"name": "feed", "from": 1, "postings": [5]}));
        assert_eq!(v["sources"][1], serde_json::json!({"name": "hn", "from": 0, "postings": [10, 20]}));
        let ts = v["series"].as_array().unwrap().iter().find(|s| s["id"] == "typescript").unwrap();
        // hn's trailing zero is dropped.
        assert_eq!(ts["counts"], serde_json::json!([[5], [3]]));
        assert_eq!(ts["kind"], "keyword");
        assert_eq!(v["defaults"], serde_json::json!(["typescript"]));
        assert_eq!(v["by"], "quarter");
        let roles = v["series"].as_array().unwrap().iter().filter(|s| s["kind"] == "role").count();
        assert_eq!(roles, crate::roles::ROLES.len());
        assert_eq!(v["series"].as_array().unwrap().len(), tax.keywords().len() + roles);

        // An added series: unknown months and sources are ignored; the same id replaces.
        let mut c = BTreeMap::new();
        c.insert(("2024-03".to_string(), "hn".to_string()), 7);
        c.insert(("2023-12".to_string(), "hn".to_string()), 9);
        c.insert(("2024-03".to_string(), "nowhere".to_string()), 9);
        d.add_series(SeriesKind::Term, "</script>", "</script>", &c);
        c.insert(("2024-01".to_string(), "hn".to_string()), 1);
        d.add_series(SeriesKind::Term, "</script>", "</script>", &c);
        let json = d.to_json();
        assert!(!json.contains('<'), "{json}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let terms: Vec<&serde_json::Value> =
            v["series"].as_array().unwrap().iter().filter(|s| s["kind"] == "term").collect();
        assert_eq!(terms.len(), 1);
        assert_eq!(terms[0]["id"], "</script>");
        assert_eq!(terms[0]["counts"], serde_json::json!([[], [1, 7]]));
        let html = d.html();
        assert_eq!(html.matches("</script>").count(), 3, "only the three elements' own ends");
        assert!(html.contains("id=\"explore\"") && html.contains("id=\"explore-data\""));
    }
}
