//! The one shape every source produces.
//!
//! In: the fields a parser found (ids, titles, dates, plain text). Out: a [`Posting`] with its
//! derived fields set — `month` (always `YYYY-MM`), `content_hash` (xxh3-128 of the normalised
//! text, hex) and `ingested_at`. Also the id helpers every source shares.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a posting's date came from (recorded for the generic fallback, where dates are guesses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// A timestamp the source states for the posting itself (HN age title, datePosted, pubDate...).
    Posting,
    /// The page states it (article:published_time, `<time datetime>`, date meta).
    Page,
    /// The month of the thread the posting belongs to (HN pages without per-comment times).
    Thread,
    /// `--date` given on the command line.
    Flag,
    /// The file's modification time.
    FileMtime,
    /// The time of ingest (a feed item without any date).
    Ingest,
    /// The time a crawler fetched the page (a WARC record's `WARC-Date`): it places the
    /// posting in a month, it is not its publication date.
    Crawl,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Posting => "posting",
            DateSource::Page => "page",
            DateSource::Thread => "thread",
            DateSource::Flag => "flag",
            DateSource::FileMtime => "file-mtime",
            DateSource::Ingest => "ingest",
            DateSource::Crawl => "crawl",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "posting" => DateSource::Posting,
            "page" => DateSource::Page,
            "thread" => DateSource::Thread,
            "flag" => DateSource::Flag,
            "file-mtime" => DateSource::FileMtime,
            "ingest" => DateSource::Ingest,
            "crawl" => DateSource::Crawl,
            _ => return None,
        })
    }
}

/// A salary as the source states it (not annualised).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Salary {
    pub min: f64,
    pub max: f64,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
    /// `year`, `month`, `week`, `day` or `hour`.
    pub period: String,
}

/// One job posting, as stored in the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    /// Deterministic id, `<source>:<source id>` (e.g. `hn:16497980`).
    pub id: String,
    /// `hn`, `jsonld`, `html`, `greenhouse`, `lever`, `remoteok`, `remotive`, `arbeitnow`, `feed`,
    /// `warc` (Common Crawl WARC files), `wdc` (Web Data Commons N-Quads).
    pub source: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    /// When the posting was published, UTC; `None` when the source does not say.
    pub posted_at: Option<DateTime<Utc>>,
    /// `YYYY-MM`, always set: from `posted_at`, else the thread/page month, else the fallback date.
    pub month: String,
    pub date_source: Option<DateSource>,
    /// Plain text: tags stripped, entities decoded, paragraphs and list items as line breaks.
    pub text: String,
    /// xxh3-128 (hex) of the normalised text (lowercased, whitespace collapsed).
    pub content_hash: String,
    pub ingested_at: DateTime<Utc>,
    /// A salary the source states in structured fields (JSON-LD `baseSalary`, API fields).
    pub salary: Option<Salary>,
}

impl Posting {
    /// A posting with the required fields; set the optional ones, then call [`Posting::finish`].
    pub fn new(id: impl Into<String>, source: impl Into<String>, text: impl Into<String>) -> Self {
        Posting {
            id: id.into(),
            source: source.into(),
            url: None,
            title: None,
            company: None,
            location: None,
            posted_at: None,
            month: String::new(),
            date_source: None,
            text: text.into(),
            content_hash: String::new(),
            ingested_at: DateTime::<Utc>::UNIX_EPOCH,
            salary: None,
        }
    }

    /// Fills the derived fields: `month` from `posted_at` when it is not set yet, the content
    /// hash, and `ingested_at`. Empty optional strings become `None`.
    pub fn finish(mut self, ingested_at: DateTime<Utc>) -> Self {
        if self.month.is_empty()
            && let Some(t) = self.posted_at
        {
            self.month = month_of(t.date_naive());
        }
        for f in [&mut self.url, &mut self.title, &mut self.company, &mut self.location] {
            if let Some(s) = f {
                let t = s.trim();
                if t.is_empty() {
                    *f = None;
                } else if t.len() != s.len() {
                    *s = t.to_string();
                }
            }
        }
        self.content_hash = content_hash(&self.text);
        self.ingested_at = ingested_at;
        self
    }
}

/// `YYYY-MM` of a date.
pub fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// True for a well-formed `YYYY-MM` with a month 01..12.
pub fn is_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(s[5..].parse::<u8>(), Ok(1..=12))
}

/// `YYYY-MM` -> months since year 0; `None` when malformed.
pub fn month_index(s: &str) -> Option<i32> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if !(1..=12).contains(&m) {
        return None;
    }
    Some(y * 12 + m - 1)
}

/// Months since year 0 -> `YYYY-MM`.
pub fn month_name(index: i32) -> String {
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// Normalises text for hashing: lowercase, runs of whitespace collapsed to one space, trimmed.
///
/// Whitespace is Unicode's (`char::is_whitespace`, as `str::split_whitespace`), lowercasing is
/// per character (`char::to_lowercase`).
pub fn normalise_for_hash(text: &str) -> String {
    let mut out = Vec::new();
    normalise_into(text, &mut out);
    // Only whole characters and ASCII bytes were written.
    String::from_utf8(out).unwrap_or_default()
}

/// [`normalise_for_hash`] into `out` (cleared first). ASCII, nearly all of the text, goes through
/// one table and a branch-free step per byte (a space is written, then overwritten when the next
/// byte is a space too) into a buffer sized up front; other characters take the `char` path.
fn normalise_into(text: &str, out: &mut Vec<u8>) {
    /// ASCII: the lowercase byte, whitespace as b' '. 0x80 and up: [`OTHER`] (part of a non-ASCII character).
    const OTHER: u8 = 0xff;
    static MAP: [u8; 256] = {
        let mut t = [OTHER; 256];
        let mut i = 0;
        while i < 0x80 {
            t[i] = (i as u8).to_ascii_lowercase();
            i += 1;
        }
        let mut i = b'\t' as usize;
        while i <= b'\r' as usize {
            t[i] = b' ';
            i += 1;
        }
        t
    };
    let b = text.as_bytes();
    out.clear();
    out.resize(b.len(), 0);
    // `after_space`: nothing written yet, or the last byte written is a space (then the next
    // space overwrites it instead of adding one).
    let (mut n, mut i, mut after_space) = (0usize, 0usize, true);
    while i < b.len() {
        // Eight plain bytes at once (see `plain_chunk`). Room: `out.len() >= n + (b.len() - i)`
        // holds throughout, as every step writes at most as many bytes as it reads (the `char`
        // path below resizes for more).
        if let Some(x) = b.get(i..i + 8).and_then(|w| plain_chunk(w, after_space)) {
            out[n..n + 8].copy_from_slice(&x.to_le_bytes());
            (n, i, after_space) = (n + 8, i + 8, b[i + 7] == b' ');
            continue;
        }
        let m = MAP[b[i] as usize];
        if m != OTHER {
            let space = m == b' ';
            out[n] = m;
            n += usize::from(!(space & after_space));
            after_space = space;
            i += 1;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        i += ch.len_utf8();
        if out.len() < n + 13 + (b.len() - i) {
            out.resize(n + 13 + (b.len() - i), 0);
        }
        if ch.is_whitespace() {
            out[n] = b' ';
            n += usize::from(!after_space);
            after_space = true;
            continue;
        }
        let mut buf = [0u8; 4];
        for l in ch.to_lowercase() {
            let e = l.encode_utf8(&mut buf).as_bytes();
            out[n..n + e.len()].copy_from_slice(e);
            n += e.len();
        }
        after_space = false;
    }
    if n > 0 && after_space {
        n -= 1;
    }
    out.truncate(n);
}

/// Eight bytes `w` lowercased, when they normalise to themselves lowercased: all ASCII, none below
/// 0x20 (tab, newline and the other controls take the byte path), no space after a space (nor a
/// leading space when `after_space`). SWAR over one `u64`; the tests compare with the definition.
fn plain_chunk(w: &[u8], after_space: bool) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = u64::from_le_bytes(w.try_into().ok()?);
    // Some byte >= 0x80, or some byte < 0x20 (exact as a test of "any", borrows or not).
    if x & HIGH != 0 || x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0 {
        return None;
    }
    // The high bit of each byte that is a space (exact per byte: no carry leaves a byte).
    let e = x ^ (ONES * 0x20);
    let spaces = !(((e & LOW7) + LOW7) | e | LOW7);
    if spaces & (spaces << 8) != 0 || (after_space && w[0] == b' ') {
        return None;
    }
    // Bytes are < 0x80, so these sums stay inside their byte: high bit set iff >= 0x41, >= 0x5b.
    let upper = (x + ONES * (0x80 - 0x41)) & !(x + ONES * (0x80 - 0x5b)) & HIGH;
    Some(x | (upper >> 2))
}

/// xxh3-128 of the normalised text, as 32 hex digits. The normalised bytes go to a buffer each
/// thread reuses.
pub fn content_hash(text: &str) -> String {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        normalise_into(text, buf);
        let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(buf));
        if buf.capacity() > 1 << 20 {
            *buf = Vec::new();
        }
        hash
    })
}

/// A short stable hash (16 hex digits) for ids made from several fields.
pub fn short_hash(parts: &[&str]) -> String {
    let mut buf = Vec::new();
    for p in parts {
        buf.extend_from_slice(p.as_bytes());
        buf.push(0x1f);
    }
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_validation() {
        for (s, ok) in [("2024-03", true), ("2024-13", false), ("2024-00", false), ("24-03", false), ("2024/03", false)]
        {
            assert_eq!(is_month(s), ok, "{s}");
        }
    }

    #[test]
    fn normalising_lowercases_every_script_char_by_char() {
        assert_eq!(normalise_for_hash("  Rust\tENGINEER \u{a0} Zürich ΣΑΣ\n"), "rust engineer zürich σασ");
        assert_eq!(normalise_for_hash("İ"), "i\u{307}");
        // Eight-byte chunks: a double space inside one, the bytes around `A`..`Z`, a tab at a chunk's start.
        assert_eq!(normalise_for_hash("a  \u{7f} AaA@[`{ZzAZ\tQ  X"), "a \u{7f} aaa@[`{zzaz q x");
    }

    /// The definition [`normalise_for_hash`] implements.
    fn normalise_reference(text: &str) -> String {
        let words: Vec<String> =
            text.split_whitespace().map(|w| w.chars().flat_map(char::to_lowercase).collect()).collect();
        words.join(" ")
    }

    proptest::proptest! {
        #[test]
        fn normalising_equals_its_definition(s in "(?s).{0,40}", t in "[ a-zA-Z\\t\\n\u{a0}\u{2003}\u{3000}ÄÖÜßİΣé€\u{85}\r]{0,40}", a in "[ @A-Z\\[`a-z{\\x7f\\t\\n\\x1f!0-9]{0,80}") {
            proptest::prop_assert_eq!(normalise_for_hash(&a), normalise_reference(&a));
            proptest::prop_assert_eq!(normalise_for_hash(&s), normalise_reference(&s));
            proptest::prop_assert_eq!(normalise_for_hash(&t), normalise_reference(&t));
            let want = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(normalise_reference(&t).as_bytes()));
            proptest::prop_assert_eq!(content_hash(&t), want);
            // The reused buffer: a long text, then a short one.
            let long = format!("{s} {t} {s}");
            proptest::prop_assert_eq!(content_hash(&long), format!("{:032x}", xxhash_rust::xxh3::xxh3_128(normalise_reference(&long).as_bytes())));
        }
    }

    #[test]
    fn hash_ignores_case_and_spacing() {
        assert_eq!(content_hash("Rust  Engineer\n\nBerlin"), content_hash("rust engineer berlin"));
        assert_ne!(content_hash("rust engineer"), content_hash("go engineer"));
    }

    #[test]
    fn finish_sets_month_and_trims() {
        let mut p = Posting::new("x:1", "x", "hello");
        p.posted_at = Some("2024-03-05T10:00:00Z".parse().unwrap());
        p.title = Some("  ".into());
        let p = p.finish(Utc::now());
        assert_eq!(p.month, "2024-03");
        assert_eq!(p.title, None);
        assert_eq!(p.content_hash.len(), 32);
    }
}
