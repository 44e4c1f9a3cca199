//! The matcher over JSON Lines, on all cores, order preserved (`jobtrend match --jsonl`).
//!
//! In: a reader of lines `{"id": ..., "text": "...", "title"?: "...", "source"?: "..."}` (other fields ignored;
//! blank lines skipped). Out: one line per input line, in input order: `{"id": <as given>, "keywords": [sorted
//! ids]}`, plus with [`JsonlOptions::facts`] `"roles"` (from `title`, else the text's first line) and `"salary"`
//! as stated (`{"min","max","currency","period"}`, not annualised, or `null`), plus with
//! [`JsonlOptions::explain`] `"spans"` ([`Explained`]). A line that is not such an object is reported through
//! `on_error` as `NAME:LINE: reason` and skipped.
//!
//! Speed: input is read in blocks of [`BLOCK`] bytes and split on newlines without copying; each line is parsed
//! into a borrowed struct (no `serde_json::Value`), matched, and serialised into a per-task buffer.

use std::borrow::Cow;
use std::fmt;
use std::io::{Read, Write};

use rayon::prelude::*;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::{Explained, Matcher};

/// Bytes read per block (lines are never split across blocks).
pub const BLOCK: usize = 4 << 20;
/// Lines per parallel task.
const LINES_PER_TASK: usize = 256;

/// What each output line carries beyond `id` and `keywords`.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonlOptions {
    /// Add `spans`: every candidate span with its rule and verdict.
    pub explain: bool,
    /// Add `roles` and the stated `salary`.
    pub facts: bool,
}

/// The `id` of an input line, echoed as given (strings borrowed from the line when unescaped).
#[derive(Debug, Default)]
enum Id<'a> {
    #[default]
    Null,
    Str(Cow<'a, str>),
    Other(serde_json::Value),
}

impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Id<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Id<'de>, E> {
                Ok(Id::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Id<'de>, E> {
                Ok(Id::Str(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Id<'de>, E> {
                Ok(Id::Str(Cow::Owned(s)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Id<'de>, E> {
                Ok(Id::Other(n.into()))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Id<'de>, E> {
                Ok(Id::Other(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Id<'de>, E> {
                Ok(Id::Other(n.into()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Id<'de>, E> {
                Ok(Id::Other(b.into()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Id<'de>, E> {
                Ok(Id::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Id<'de>, E> {
                Ok(Id::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Id<'de>, A::Error> {
                serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Id::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Id<'de>, A::Error> {
                serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Id::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Id<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Null => s.serialize_unit(),
            Id::Str(x) => s.serialize_str(x),
            Id::Other(v) => v.serialize(s),
        }
    }
}

/// A JSON string, borrowed from the line when it has no escapes (`Option<Cow<str>>` would always copy).
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(default, borrow)]
    id: Id<'a>,
    #[serde(default, borrow)]
    text: Option<Str<'a>>,
    #[serde(default, borrow)]
    title: Option<Str<'a>>,
    #[serde(default, borrow)]
    source: Option<Str<'a>>,
}

/// A salary as stated; whole numbers print without a fraction.
#[derive(Serialize)]
struct SalaryOut<'a> {
    min: Num,
    max: Num,
    currency: &'a str,
    period: &'a str,
}

struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// One output line; fields in alphabetical order, as before this struct existed.
#[derive(Serialize)]
struct Output<'a> {
    id: &'a Id<'a>,
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salary: Option<Option<SalaryOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spans: Option<Vec<Explained>>,
}

/// Matches every line of `reader` and writes the output lines to `out` (see the module docs). `name` prefixes the
/// messages given to `on_error` (one per bad line). Errors: reading or writing failed.
pub fn match_jsonl<R: Read, W: Write>(
    matcher: &Matcher,
    name: &str,
    mut reader: R,
    out: &mut W,
    opts: JsonlOptions,
    mut on_error: impl FnMut(String),
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + (BLOCK >> 2));
    let mut lineno = 0usize;
    loop {
        let filled = buf.len();
        buf.resize(filled + BLOCK, 0);
        let n = loop {
            match reader.read(&mut buf[filled..]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                r => break r?,
            }
        };
        buf.truncate(filled + n);
        let eof = n == 0;
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let mut lines: Vec<(usize, &[u8])> = Vec::new();
        for line in buf[..cut].split(|&b| b == b'\n') {
            lineno += 1;
            if !line.iter().all(u8::is_ascii_whitespace) {
                lines.push((lineno, line));
            }
        }
        if cut > 0 && buf[cut - 1] == b'\n' {
            lineno -= 1; // the empty piece after the last newline is not a line
        }
        let done: Vec<(Vec<u8>, Vec<String>)> =
            lines.par_chunks(LINES_PER_TASK).map(|chunk| task(matcher, name, chunk, opts)).collect();
        for (bytes, errors) in done {
            out.write_all(&bytes)?;
            errors.into_iter().for_each(&mut on_error);
        }
        buf.drain(..cut);
        if eof {
            return Ok(());
        }
    }
}

/// Output bytes and error messages for a run of lines.
fn task(matcher: &Matcher, name: &str, lines: &[(usize, &[u8])], opts: JsonlOptions) -> (Vec<u8>, Vec<String>) {
    let mut bytes = Vec::with_capacity(lines.len() * 64);
    let mut errors = Vec::new();
    for &(n, line) in lines {
        if let Err(msg) = one_line(matcher, line, opts, &mut bytes) {
            errors.push(format!("{name}:{n}: {msg}"));
        }
    }
    (bytes, errors)
}

fn one_line(matcher: &Matcher, line: &[u8], opts: JsonlOptions, out: &mut Vec<u8>) -> Result<(), String> {
    let input: Input = serde_json::from_slice(line).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => format!("expected an object with a string \"text\" field ({e})"),
        _ => format!("bad JSON: {e}"),
    })?;
    let text: &str = &input.text.as_ref().ok_or("expected an object with a string \"text\" field")?.0;
    let facts = opts.facts.then(|| extract_facts(&input, text));
    let salary = facts.as_ref().map(|(_, s)| {
        s.as_ref().map(|s| SalaryOut { min: Num(s.min), max: Num(s.max), currency: &s.currency, period: &s.period })
    });
    let rec = Output {
        id: &input.id,
        keywords: matcher.find_ids(text),
        roles: facts.as_ref().map(|(r, _)| r.clone()),
        salary,
        spans: opts.explain.then(|| matcher.explain(text)),
    };
    serde_json::to_writer(&mut *out, &rec).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(())
}

/// Roles and the stated salary of one input line.
fn extract_facts(input: &Input, text: &str) -> (Vec<&'static str>, Option<crate::posting::Salary>) {
    // Without a source, an HN-style first line ("Company | Role | Place") is read as HN's.
    let source = input
        .source
        .as_ref()
        .map(|s| &*s.0)
        .unwrap_or_else(|| if text.lines().next().is_some_and(|l| l.contains('|')) { "hn" } else { "" });
    let title = input.title.as_ref().map(|s| &*s.0);
    (crate::roles::classify(title, text, source), crate::salary::extract(text))
}
