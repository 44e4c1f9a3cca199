//! The generic fallback for any other saved page (a company's blog post, a careers page).
//!
//! In: a parsed page ([`scraper::Html`]). Out: a [`GenericPage`] — title, page date, canonical
//! URL, company (site name) and the main content as plain text. Ids, fallback dates and the
//! decision to make a posting of it belong to the caller.
//!
//! - title: `og:title`, else the first `<h1>`, else `<title>`;
//! - date (first that parses, see [`parse_date`]): `article:published_time`, `<time datetime>`,
//!   `meta[name=date|pubdate|publishdate|publish-date|dc.date|dc.date.issued|dcterms.date]`,
//!   `[itemprop=datePosted]`, `[itemprop=datePublished]`, `og:published_time`;
//! - canonical URL: `link[rel=canonical]`, else `og:url` (absolute http(s) only, a relative
//!   canonical is resolved against `og:url`);
//! - company: `og:site_name`;
//! - text: the first of `main`, `article`, `[role=main]`, `body` (then the whole document) that
//!   yields any text, without `nav`, `script`, `style`, `noscript`, `template`, `aside`, `form`,
//!   `svg`, `iframe`, `button` subtrees, nor the page's own `header`/`footer` (a `header` or
//!   `footer` inside an `article`/`section` is the article's own and is kept); block elements
//!   become line breaks ([`html_to_text`]).

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Node, Selector};

use super::jsonld::{canonical_url, parse_date};
use crate::text::html_to_text;

/// What the fallback extracts from a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GenericPage {
    pub title: Option<String>,
    /// The date the page states for itself, UTC.
    pub date: Option<DateTime<Utc>>,
    /// Absolute http(s) canonical URL.
    pub canonical_url: Option<String>,
    /// Main content as plain text (may be empty).
    pub text: String,
    /// The site name (`og:site_name`).
    pub company: Option<String>,
}

/// Extracts title, date, canonical URL, site name and main text from any page.
pub fn extract(doc: &Html) -> GenericPage {
    let metas = Metas::of(doc);
    let title = metas
        .get(&["og:title"])
        .map(one_line)
        .filter(|t| !t.is_empty())
        .or_else(|| first_text(doc, "h1"))
        .or_else(|| first_text(doc, "title"));
    GenericPage {
        title,
        date: page_date(doc, &metas),
        canonical_url: canonical_url(doc),
        text: main_text(doc),
        company: metas.get(&["og:site_name"]).map(one_line).filter(|t| !t.is_empty()),
    }
}

fn sel(s: &str) -> Selector {
    // The selectors are constants of this module; a failure is a programming error caught by tests.
    Selector::parse(s).unwrap_or_else(|e| panic!("bad built-in selector {s:?}: {e}"))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first_text(doc: &Html, tag: &str) -> Option<String> {
    let s = sel(tag);
    doc.select(&s).map(|e| one_line(&e.text().collect::<String>())).find(|t| !t.is_empty())
}

/// `<meta>` keys (`property`, `name`, `itemprop`, lower-cased) with their `content`, in document order.
struct Metas(Vec<(String, String)>);

impl Metas {
    fn of(doc: &Html) -> Self {
        let s = sel("meta[content]");
        let mut v = Vec::new();
        for m in doc.select(&s) {
            let Some(content) = m.attr("content") else { continue };
            for key in ["property", "name", "itemprop"] {
                if let Some(k) = m.attr(key) {
                    v.push((k.trim().to_ascii_lowercase(), content.trim().to_string()));
                }
            }
        }
        Metas(v)
    }

    /// The first non-empty content for any of `keys` (lower-case), in the order of `keys`.
    fn get(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.0.iter().find(|(mk, c)| mk == k && !c.is_empty()).map(|(_, c)| c.as_str()))
    }

    fn date(&self, keys: &[&str]) -> Option<DateTime<Utc>> {
        keys.iter().find_map(|k| self.0.iter().filter(|(mk, _)| mk == k).find_map(|(_, c)| parse_date(c)))
    }
}

fn page_date(doc: &Html, metas: &Metas) -> Option<DateTime<Utc>> {
    if let Some(d) = metas.date(&["article:published_time"]) {
        return Some(d);
    }
    let times = sel("time[datetime]");
    if let Some(d) = doc.select(&times).find_map(|t| t.attr("datetime").and_then(parse_date)) {
        return Some(d);
    }
    let names = ["date", "pubdate", "publishdate", "publish-date", "dc.date", "dc.date.issued", "dcterms.date"];
    if let Some(d) = metas.date(&names) {
        return Some(d);
    }
    // `itemprop` on a non-meta element (`<span itemprop="datePosted" content=...>`, `<time>`).
    let props = sel("[itemprop]");
    for prop in ["dateposted", "datepublished"] {
        if let Some(d) = metas.date(&[prop]) {
            return Some(d);
        }
        let found = doc
            .select(&props)
            .filter(|e| e.attr("itemprop").is_some_and(|p| p.split_whitespace().any(|w| w.eq_ignore_ascii_case(prop))))
            .find_map(|e| {
                e.attr("content")
                    .or_else(|| e.attr("datetime"))
                    .and_then(parse_date)
                    .or_else(|| parse_date(&e.text().collect::<String>()))
            });
        if found.is_some() {
            return found;
        }
    }
    metas.date(&["og:published_time", "article:modified_time", "og:updated_time"])
}

/// Plain text of the page's main content (see the module doc).
fn main_text(doc: &Html) -> String {
    for candidate in ["main", "article", "[role=main]", "body"] {
        let s = sel(candidate);
        if let Some(el) = doc.select(&s).next() {
            let t = html_to_text(&content_html(el));
            if !t.is_empty() {
                return t;
            }
        }
    }
    html_to_text(&content_html(doc.root_element()))
}

/// Subtrees never part of the content.
fn is_noise(name: &str) -> bool {
    matches!(
        name,
        "nav"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "aside"
            | "form"
            | "svg"
            | "iframe"
            | "button"
            | "select"
            | "dialog"
            | "head"
    )
}

fn is_sectioning(name: &str) -> bool {
    matches!(name, "article" | "section")
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr"
            | "img"
            | "input"
            | "meta"
            | "link"
            | "area"
            | "base"
            | "col"
            | "embed"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Serialises `root`'s content as simple HTML (tag names only, text escaped), leaving out the
/// noise subtrees, so that [`html_to_text`] can turn it into lines. Iterative: deep nesting is fine.
fn content_html(root: ElementRef<'_>) -> String {
    let mut out = String::new();
    let mut sections = usize::from(is_sectioning(root.value().name()));
    let root_id = root.id();
    let mut cur = root.first_child();
    while let Some(node) = cur {
        let mut descend = false;
        match node.value() {
            Node::Text(t) => out.push_str(&html_escape::encode_text(&**t)),
            Node::Element(e) => {
                let name = e.name();
                let skip = is_noise(name) || (matches!(name, "header" | "footer") && sections == 0);
                if !skip {
                    out.push('<');
                    out.push_str(name);
                    out.push('>');
                    if !is_void(name) {
                        if node.has_children() {
                            descend = true;
                            sections += usize::from(is_sectioning(name));
                        } else {
                            out.push_str("</");
                            out.push_str(name);
                            out.push('>');
                        }
                    }
                }
            }
            _ => {}
        }
        if descend {
            cur = node.first_child();
            continue;
        }
        // Next sibling, or climb (closing elements) until one has a next sibling.
        let mut n = node;
        cur = loop {
            if let Some(s) = n.next_sibling() {
                break Some(s);
            }
            match n.parent() {
                Some(p) if p.id() != root_id => {
                    if let Node::Element(e) = p.value() {
                        out.push_str("</");
                        out.push_str(e.name());
                        out.push('>');
                        sections = sections.saturating_sub(usize::from(is_sectioning(e.name())));
                    }
                    n = p;
                }
                _ => break None,
            }
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Html {
        let p = format!("{}/tests/fixtures/html/generic/{name}", env!("CARGO_MANIFEST_DIR"));
        Html::parse_document(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}")))
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn fixtures() {
        // (file, title, date, canonical, company, first text line, words that must not be in the text)
        type Case<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str, &'a [&'a str]);
        let cases: &[Case] = &[
            (
                "blog_job.html",
                "We're hiring: Backend Engineer (Python & Go)",
                Some("2024-04-09T05:15:00Z"),
                Some("https://blog.kestrelbrook.example/2024/04/hiring-backend-engineer"),
                Some("Kestrelbrook"),
                "We're hiring: Backend Engineer (Python & Go)",
                &[
                    "Engineering",
                    "Product",
                    "Home",
                    "Related posts",
                    "Java",
                    "Scala",
                    "trackRead",
                    "Subscribe",
                    "Hugo",
                    "font-family",
                    "pixel",
                ],
            ),
            (
                "time_only.html",
                "Gameplay Programmer",
                Some("2023-11-28T14:00:00Z"),
                None,
                None,
                "Gameplay Programmer",
                &["Careers - Brackenfold"],
            ),
            (
                "no_date.html",
                "Senior GIS Developer",
                None,
                None,
                Some("Thistlewood Maps"),
                "Senior GIS Developer",
                &["Home", "About", "Innsbruck"],
            ),
            (
                "title_only.html",
                "Elixir developer wanted - Yarrowdale Co-op",
                None,
                None,
                None,
                "Yarrowdale Co-op is looking for an Elixir developer to maintain our member portal.",
                &["wanted"],
            ),
        ];
        for (file, title, date, canonical, company, first_line, absent) in cases {
            let g = extract(&fixture(file));
            assert_eq!(g.title.as_deref(), Some(*title), "{file}");
            assert_eq!(g.date, date.map(utc), "{file}");
            assert_eq!(g.canonical_url.as_deref(), *canonical, "{file}");
            assert_eq!(g.company.as_deref(), *company, "{file}");
            assert_eq!(g.text.lines().next(), Some(*first_line), "{file}: {}", g.text);
            for w in *absent {
                assert!(!g.text.contains(w), "{file}: {w:?} in {}", g.text);
            }
        }
        let blog = extract(&fixture("blog_job.html")).text;
        assert!(blog.contains("\nDesign the ordering API\nMove our batch jobs to Temporal\n"), "{blog}");
        assert!(blog.contains("Python (FastAPI) and Go services talking to PostgreSQL."), "{blog}");
        assert!(
            extract(&fixture("title_only.html"))
                .text
                .ends_with("\nPhoenix LiveView experience is a plus. Part time, 30 hours a week.")
        );
    }

    #[test]
    fn dates_in_priority_order() {
        let head =
            |h: &str, body: &str| Html::parse_document(&format!("<html><head>{h}</head><body>{body}</body></html>"));
        let cases = [
            (
                head(
                    r#"<meta property="article:published_time" content="2024-01-02T03:04:05Z">"#,
                    r#"<time datetime="2023-01-01">x</time>"#,
                ),
                Some("2024-01-02T03:04:05Z"),
            ),
            (
                head(r#"<meta name="date" content="2022-05-06">"#, r#"<time datetime="2023-01-01">x</time>"#),
                Some("2023-01-01T00:00:00Z"),
            ),
            (
                head(
                    r#"<meta property="article:published_time" content="soon">"#,
                    r#"<time datetime="bad">x</time><time datetime="2023-02-01">y</time>"#,
                ),
                Some("2023-02-01T00:00:00Z"),
            ),
            (head(r#"<meta name="DC.date.issued" content="2021-07-08">"#, ""), Some("2021-07-08T00:00:00Z")),
            (head(r#"<meta name="pubdate" content="2021-07-09T10:00:00-04:00">"#, ""), Some("2021-07-09T14:00:00Z")),
            (head(r#"<meta itemprop="datePosted" content="2021-07-10">"#, ""), Some("2021-07-10T00:00:00Z")),
            (
                head("", r#"<span itemprop="datePosted" content="2021-07-11">11 July</span>"#),
                Some("2021-07-11T00:00:00Z"),
            ),
            (head("", r#"<span itemprop="datePublished">2021-07-12</span>"#), Some("2021-07-12T00:00:00Z")),
            (head(r#"<meta property="og:published_time" content="2021-07-13">"#, ""), Some("2021-07-13T00:00:00Z")),
            (head("", "<time>last week</time>"), None),
            (head("", ""), None),
        ];
        for (k, (doc, want)) in cases.iter().enumerate() {
            assert_eq!(extract(doc).date, want.map(utc), "case {k}");
        }
    }

    #[test]
    fn titles_urls_and_text() {
        let doc = |s: &str| Html::parse_document(s);
        // (html, title, canonical, text)
        let cases = [
            ("", None, None, ""),
            ("<title>T</title>", Some("T"), None, ""),
            ("<title>T</title><h1>  </h1><h1>H\n one</h1>", Some("H one"), None, "H one"),
            (r#"<meta property="og:title" content="  "><h1>H</h1>"#, Some("H"), None, "H"),
            (
                r#"<link rel="Canonical" href="/a/b"><meta property="og:url" content="https://x.example/q">"#,
                None,
                Some("https://x.example/a/b"),
                "",
            ),
            (r#"<link rel="canonical" href="/a/b">"#, None, None, ""),
            (r#"<link rel="canonical" href="https://y.example/j/1">"#, None, Some("https://y.example/j/1"), ""),
            ("<body><main></main><article>A</article></body>", None, None, "A"),
            ("<body><div role=main>R</div><p>other</p></body>", None, None, "R"),
            (
                "<body><header>H</header><article><header>AH</header><p>P</p><footer>AF</footer></article><footer>F</footer></body>",
                None,
                None,
                "AH\nP\nAF",
            ),
            ("<body><section><header>SH</header>S</section><header>H</header></body>", None, None, "SH\nS"),
            (
                "<body><p>a &lt;b&gt; &amp; c</p><pre>x\n  y</pre><p>z<br>w</p></body>",
                None,
                None,
                "a <b> & c\nx\n  y\nz\nw",
            ),
            (
                "<body><p>keep</p><script>no()</script><style>p{}</style><template>t</template><svg><text>s</text></svg></body>",
                None,
                None,
                "keep",
            ),
            ("<body><table><tr><td>a</td><td>b</td></tr></table></body>", None, None, "a\nb"),
        ];
        for (html, title, canonical, text) in cases {
            let g = extract(&doc(html));
            assert_eq!(
                (g.title.as_deref(), g.canonical_url.as_deref(), g.text.as_str()),
                (title, canonical, text),
                "{html:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let n = 5_000;
        let html = format!("<body>{}deep{}</body>", "<div><span>".repeat(n), "</span></div>".repeat(n));
        let g = extract(&Html::parse_document(&html));
        assert!(g.text.contains("deep"));
    }
}
