//! HTML fragment → plain text, shared by every source.
//!
//! In: an HTML fragment (a comment body, a JSON-LD description, a page's main content).
//! Out: plain text — tags stripped, entities decoded, `<script>`/`<style>` dropped, block
//! elements (`p`, `br`, `li`, `div`, headings, rows...) as line breaks, link text kept,
//! whitespace collapsed outside `<pre>`. A single forward scan, no DOM: it runs at several
//! hundred MB/s, so the HN parser can afford it for every comment.

use std::borrow::Cow;

/// Tags whose start or end is a line break.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"br" | b"div" | b"li" | b"ul" | b"ol" | b"dl" | b"dt" | b"dd" | b"tr" | b"table"
            | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"pre" | b"blockquote" | b"section"
            | b"article" | b"header" | b"footer" | b"hr" | b"title" | b"form" | b"nav" | b"aside"
            | b"main" | b"figure" | b"figcaption" | b"address" | b"center" | b"td" | b"th"
    )
}

/// Decodes HTML entities (`&amp;`, `&#x27;`, `&eacute;` ...). Borrows when there are none.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if s.contains('&') { html_escape::decode_html_entities(s) } else { Cow::Borrowed(s) }
}

/// Converts an HTML fragment to plain text (see the module doc).
pub fn html_to_text(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    let mut pre_depth = 0usize;
    let mut text_start = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        // A tag, a comment or a stray '<'.
        let rest = &b[i + 1..];
        let is_tag = matches!(rest.first(), Some(c) if c.is_ascii_alphabetic() || *c == b'/' || *c == b'!');
        if !is_tag {
            i += 1;
            continue;
        }
        push_text(&mut out, &html[text_start..i], pre_depth > 0);
        if rest.starts_with(b"!--") {
            i = match find(b, i + 4, b"-->") { Some(e) => e + 3, None => b.len() };
            text_start = i;
            continue;
        }
        let end = match memchr_gt(b, i + 1) { Some(e) => e, None => b.len() - 1 };
        let closing = rest.first() == Some(&b'/');
        let name_start = i + 1 + usize::from(closing);
        let mut name_end = name_start;
        while name_end < end && (b[name_end].is_ascii_alphanumeric()) {
            name_end += 1;
        }
        let name = b[name_start..name_end].to_ascii_lowercase();
        i = end + 1;
        text_start = i;
        if !closing && (name == b"script" || name == b"style" || name == b"template" || name == b"noscript") {
            let close = format!("</{}", String::from_utf8_lossy(&name));
            i = find_ci(b, i, close.as_bytes()).map_or(b.len(), |p| match memchr_gt(b, p) {
                Some(e) => e + 1,
                None => b.len(),
            });
            text_start = i;
            continue;
        }
        if name == b"pre" {
            if closing { pre_depth = pre_depth.saturating_sub(1) } else { pre_depth += 1 }
        }
        if is_block(&name) {
            newline(&mut out);
        } else if name == b"img" || name == b"td" {
            space(&mut out);
        }
    }
    push_text(&mut out, &html[text_start.min(html.len())..], pre_depth > 0);
    finish(out)
}

fn memchr_gt(b: &[u8], from: usize) -> Option<usize> {
    // Quoted attribute values may contain '>'.
    let mut q: Option<u8> = None;
    for (k, &c) in b.iter().enumerate().skip(from) {
        match q {
            Some(qc) if c == qc => q = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => {
                // Only a quote that opens a value (after '=') starts a quoted run.
                if k > 0 && b[k - 1] == b'=' {
                    q = Some(c)
                }
            }
            None if c == b'>' => return Some(k),
            None => {}
        }
    }
    None
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    b[from..].windows(pat.len()).position(|w| w == pat).map(|p| p + from)
}

fn find_ci(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    b[from..].windows(pat.len()).position(|w| w.eq_ignore_ascii_case(pat)).map(|p| p + from)
}

fn newline(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') && !out.ends_with('\n') {
        out.push(' ');
    }
}

fn push_text(out: &mut String, raw: &str, pre: bool) {
    if raw.is_empty() {
        return;
    }
    let decoded = decode_entities(raw);
    if pre {
        out.push_str(&decoded.replace('\u{a0}', " "));
        return;
    }
    for (k, word) in decoded.split(|c: char| c.is_whitespace()).enumerate() {
        if k > 0 {
            space(out);
        }
        if !word.is_empty() {
            out.push_str(word);
        }
    }
}

/// Trims every line and drops empty ones.
fn finish(out: String) -> String {
    let mut s = String::with_capacity(out.len());
    for line in out.lines() {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if !s.is_empty() {
            s.push('\n');
        }
        s.push_str(l);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn cases() {
        let cases = [
            ("Acme | Rust<p>We use <a href=\"x\">Postgres</a>.", "Acme | Rust\nWe use Postgres."),
            ("a &amp; b &#x27;c&#x27; &#x2F; &quot;d&quot;", "a & b 'c' / \"d\""),
            ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
            ("x<script>var a = '<p>';</script>y", "xy"),
            ("<style>p{}</style>hello", "hello"),
            ("<pre><code>fn main() {\n    x\n}</code></pre>after", "fn main() {\n    x\n}\nafter"),
            ("1 < 2 and <!-- c --> done", "1 < 2 and done"),
            ("  lots   of\n\n space  ", "lots of space"),
            ("<i>it</i>alic", "italic"),
            ("<a href=\"a>b\">link</a> text", "link text"),
        ];
        for (input, want) in cases {
            assert_eq!(html_to_text(input), want, "input: {input:?}");
        }
    }
}
