//! HTML fragment → plain text, shared by every source.
//!
//! In: an HTML fragment (a comment body, a JSON-LD description, a page's main content).
//! Out: plain text — tags stripped, entities decoded, `<script>`/`<style>`/`<template>`/`<noscript>`
//! and `<!-- comments -->` dropped, block elements (`p`, `br`, `li`, `div`, headings, rows...) as
//! line breaks, link text kept, whitespace collapsed outside `<pre>` (inside it, line breaks and
//! indentation are kept), every line trimmed (a `<pre>` line keeps its indentation), no empty lines.
//!
//! A single forward scan over bytes, no DOM and no per-tag allocation: runs of plain text (single
//! spaces between words included, outside `<pre>`) are skipped eight bytes at a time and copied in
//! one go, tags' quoted attributes are skipped with `memchr`. It runs at several hundred MB/s, so the
//! HN parser can afford it for every comment.

use std::borrow::Cow;

/// Tags whose start or end is a line break.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"br"
            | b"div"
            | b"li"
            | b"ul"
            | b"ol"
            | b"dl"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"table"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"pre"
            | b"blockquote"
            | b"section"
            | b"article"
            | b"header"
            | b"footer"
            | b"hr"
            | b"title"
            | b"form"
            | b"nav"
            | b"aside"
            | b"main"
            | b"figure"
            | b"figcaption"
            | b"address"
            | b"center"
            | b"td"
            | b"th"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"caption"
    )
}

/// Elements whose whole content is dropped.
fn is_raw_skip(name: &[u8]) -> bool {
    matches!(name, b"script" | b"style" | b"template" | b"noscript")
}

/// Decodes one entity starting at `b[0] == b'&'`. Returns the decoded text and the length consumed,
/// or `None` when this `&` does not start an entity (it is then literal text).
fn decode_entity_at(s: &str) -> Option<(EntityOut, usize)> {
    let b = s.as_bytes();
    debug_assert_eq!(b.first(), Some(&b'&'));
    if b.get(1) == Some(&b'#') {
        let (hex, start) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let mut k = start;
        let mut v: u32 = 0;
        while k < b.len() && k - start < 8 {
            let d = match (hex, b[k]) {
                (_, c @ b'0'..=b'9') => u32::from(c - b'0'),
                (true, c @ b'a'..=b'f') => u32::from(c - b'a' + 10),
                (true, c @ b'A'..=b'F') => u32::from(c - b'A' + 10),
                _ => break,
            };
            v = v.saturating_mul(if hex { 16 } else { 10 }).saturating_add(d);
            k += 1;
        }
        if k == start {
            return None;
        }
        if b.get(k) == Some(&b';') {
            k += 1;
        }
        let c = match v {
            0 => '\u{fffd}',
            // Windows-1252 C1 range, as browsers do.
            0x80..=0x9f => cp1252(v),
            _ => char::from_u32(v).unwrap_or('\u{fffd}'),
        };
        return Some((EntityOut::Char(c), k));
    }
    // Named: letters and digits up to ';'.
    let mut k = 1;
    while k < b.len() && k <= 32 && b[k].is_ascii_alphanumeric() {
        k += 1;
    }
    if k == 1 {
        return None;
    }
    let name = &b[1..k];
    let semi = b.get(k) == Some(&b';');
    let fast = match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" if semi => Some('\''),
        b"nbsp" => Some('\u{a0}'),
        _ => None,
    };
    if let Some(c) = fast {
        return Some((EntityOut::Char(c), k + usize::from(semi)));
    }
    if !semi {
        // Legacy entities without ';' other than the common ones above: leave as text.
        return None;
    }
    let ent = &s[..=k];
    match html_escape::decode_html_entities(ent) {
        Cow::Owned(o) if o != ent => Some((EntityOut::Str(o), k + 1)),
        _ => None,
    }
}

enum EntityOut {
    Char(char),
    Str(String),
}

fn cp1252(v: u32) -> char {
    const T: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ];
    char::from_u32(u32::from(T[(v - 0x80) as usize])).unwrap_or('\u{fffd}')
}

/// Decodes HTML entities (`&amp;`, `&#x27;`, `&eacute;` ...). Borrows when there are none.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', s.as_bytes()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut i = first;
    while i < s.len() {
        // s[i] == '&'
        match decode_entity_at(&s[i..]) {
            Some((EntityOut::Char(c), n)) => {
                out.push(c);
                i += n;
            }
            Some((EntityOut::Str(t), n)) => {
                out.push_str(&t);
                i += n;
            }
            None => {
                out.push('&');
                i += 1;
            }
        }
        let next = memchr::memchr(b'&', &s.as_bytes()[i..]).map_or(s.len(), |p| p + i);
        out.push_str(&s[i..next]);
        i = next;
    }
    Cow::Owned(out)
}

/// Byte classes for the scanner.
const NORMAL: u8 = 0;
const WS: u8 = 1;
const LT: u8 = 2;
const AMP: u8 = 3;
/// Lead bytes of multi-byte Unicode whitespace (U+0085, U+00A0, U+1680, U+2000.., U+3000).
const UWS: u8 = 4;
const CR: u8 = 5;

static CLASS: [u8; 256] = {
    let mut t = [NORMAL; 256];
    t[b' ' as usize] = WS;
    t[b'\t' as usize] = WS;
    t[b'\n' as usize] = WS;
    t[0x0b] = WS;
    t[0x0c] = WS;
    t[b'\r' as usize] = CR;
    t[b'<' as usize] = LT;
    t[b'&' as usize] = AMP;
    t[0xc2] = UWS;
    t[0xe1] = UWS;
    t[0xe2] = UWS;
    t[0xe3] = UWS;
    t
};

/// The output being built: tracks pending spaces and line starts so that lines come out trimmed
/// and without empty lines.
struct Out {
    s: String,
    /// A space is owed before the next text (outside `<pre>`).
    space: bool,
}

impl Out {
    #[inline]
    fn at_line_start(&self) -> bool {
        self.s.is_empty() || self.s.ends_with('\n')
    }

    #[inline]
    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if self.space && !self.at_line_start() {
            self.s.push(' ');
        }
        self.space = false;
        self.s.push_str(t);
    }

    #[inline]
    fn ch(&mut self, c: char) {
        if self.space && !self.at_line_start() {
            self.s.push(' ');
        }
        self.space = false;
        self.s.push(c);
    }

    fn newline(&mut self) {
        self.space = false;
        while self.s.ends_with([' ', '\t']) {
            self.s.pop();
        }
        if !self.at_line_start() {
            self.s.push('\n');
        }
    }

    fn finish(mut self) -> String {
        self.newline();
        if self.s.ends_with('\n') {
            self.s.pop();
        }
        self.s
    }
}

/// Converts an HTML fragment to plain text (see the module doc).
pub fn html_to_text(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = Out { s: String::with_capacity(html.len() / 2 + 16), space: false };
    let mut pre_depth = 0usize;
    let mut i = 0;
    let mut run = 0; // start of the pending run of plain text
    while i < b.len() {
        let c = b[i];
        match CLASS[c as usize] {
            NORMAL => i = plain_run_end(b, i + 1, pre_depth == 0),
            WS => {
                out.text(&html[run..i]);
                if pre_depth > 0 {
                    if c == b'\n' {
                        out.newline();
                    } else {
                        out.s.push(c as char);
                    }
                } else {
                    out.space = true;
                }
                i += 1;
                run = i;
            }
            CR => {
                out.text(&html[run..i]);
                if pre_depth == 0 {
                    out.space = true;
                }
                i += 1;
                run = i;
            }
            UWS => {
                let w = html[i..].chars().next().filter(|ch| ch.is_whitespace());
                match w {
                    Some(ch) => {
                        out.text(&html[run..i]);
                        if pre_depth > 0 {
                            out.s.push(' ');
                        } else {
                            out.space = true;
                        }
                        i += ch.len_utf8();
                        run = i;
                    }
                    None => i += 1,
                }
            }
            AMP => {
                out.text(&html[run..i]);
                i = entity(&mut out, html, i, pre_depth > 0);
                run = i;
            }
            _ => {
                // '<': a tag, a comment, a declaration, or a literal '<'.
                let next = b.get(i + 1).copied().unwrap_or(b' ');
                if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
                    i += 1;
                    continue;
                }
                out.text(&html[run..i]);
                i = markup(&mut out, b, i, &mut pre_depth);
                run = i;
            }
        }
    }
    out.text(&html[run..]);
    out.finish()
}

/// Writes the character reference at `i` (an `&`), or the `&` itself when none is there; returns
/// the offset after it. `pre`: inside `<pre>` (whitespace is kept).
#[inline]
fn entity(out: &mut Out, html: &str, i: usize, pre: bool) -> usize {
    match decode_entity_at(&html[i..]) {
        Some((EntityOut::Char(ch), n)) => {
            if ch.is_whitespace() {
                if pre {
                    if ch == '\n' { out.newline() } else { out.s.push(' ') }
                } else {
                    out.space = true;
                }
            } else {
                out.ch(ch);
            }
            i + n
        }
        Some((EntityOut::Str(t), n)) => {
            out.text(&t);
            i + n
        }
        None => {
            out.ch('&');
            i + 1
        }
    }
}

/// Reads the comment, declaration or tag at `i` (a `<` followed by a letter, `/`, `!` or `?`):
/// skips a comment, and a raw element (`<script>`, `<style>`...) up to its end tag; a block tag
/// ends the line, `<img>` is a space, `<pre>`/`</pre>` move `pre_depth`. Returns the offset after it.
#[inline]
fn markup(out: &mut Out, b: &[u8], i: usize, pre_depth: &mut usize) -> usize {
    if b[i + 1..].starts_with(b"!--") {
        return memchr::memmem::find(&b[i + 4..], b"-->").map_or(b.len(), |p| i + 4 + p + 3);
    }
    let end = tag_end(b, i + 1).unwrap_or(b.len() - 1);
    let closing = b[i + 1] == b'/';
    let name_start = i + 1 + usize::from(closing);
    let mut name_buf = [0u8; 12];
    let mut n = 0;
    let mut k = name_start;
    while k < end && b[k].is_ascii_alphanumeric() {
        if n < name_buf.len() {
            name_buf[n] = b[k].to_ascii_lowercase();
        }
        n += 1;
        k += 1;
    }
    let name: &[u8] = if n <= name_buf.len() { &name_buf[..n] } else { b"" };
    let after = end + 1;
    if !closing && is_raw_skip(name) {
        return skip_raw(b, after, name);
    }
    if name == b"pre" {
        if closing {
            *pre_depth = pre_depth.saturating_sub(1);
        } else {
            *pre_depth += 1;
        }
    }
    if is_block(name) {
        out.newline();
    } else if name == b"img" {
        out.space = true;
    }
    after
}

/// The end of the run of plain text continuing at `i` (right after a `NORMAL` byte): past `NORMAL`
/// bytes and, when `collapse` (outside `<pre>`), single spaces between them. Such a space is part
/// of the run (copied with it in one go) with the same output as a pending space: the run before it
/// is non-empty and has no line break, so the space is owed and written as this ` `, before
/// non-empty text. Eight bytes at a time while they are all plain ([`plain_word`]).
#[inline]
fn plain_run_end(b: &[u8], mut i: usize, collapse: bool) -> usize {
    loop {
        if i + 8 < b.len() {
            let w = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
            if plain_word(w, collapse) && (w >> 56 != u64::from(b' ') || CLASS[b[i + 8] as usize] == NORMAL) {
                i += 8;
                continue;
            }
        }
        // Byte by byte over the next 8 (the word holds a stop, or is not all plain).
        let stop = (i + 8).min(b.len());
        if i == stop {
            return i;
        }
        while i < stop {
            if CLASS[b[i] as usize] == NORMAL {
                i += 1;
            } else if collapse && i + 1 < b.len() && b[i] == b' ' && CLASS[b[i + 1] as usize] == NORMAL {
                i += 2;
            } else {
                return i;
            }
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `0x80` in each byte of `w` equal to `c`, `0` in the others (exact, no carries between bytes).
#[inline]
fn eq_mask(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// True when the 8 bytes of `w` (in order, little-endian) are all `NORMAL` except, when
/// `collapse`, spaces that are each followed by another byte of `w` that is `NORMAL`, or by the
/// byte after `w` (the caller checks it) when the last byte is a space. Conservative: every byte
/// below 0x20 or above 0x7f counts as not plain (all `WS`, `CR` and `UWS` bytes are among them).
#[inline]
fn plain_word(w: u64, collapse: bool) -> bool {
    let control = !((w & LOW7) + 0x6060_6060_6060_6060) & HIGH; // (byte & 0x7f) < 0x20
    let special = (w & HIGH) | control | eq_mask(w, b'<') | eq_mask(w, b'&');
    let spaces = eq_mask(w, b' ');
    special == 0 && if collapse { spaces & (spaces >> 8) == 0 } else { spaces == 0 }
}

/// The index of the `>` that ends the tag starting after `<` (at `from`). A quote opens a quoted
/// run only right after `=`, so a stray apostrophe does not swallow the document.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let gt = from + memchr::memchr(b'>', &b[from..])?;
    if memchr::memchr2(b'"', b'\'', &b[from..gt]).is_none() {
        return Some(gt);
    }
    // From quote to quote (memchr), skipping quoted runs.
    let mut k = from;
    loop {
        let p = k + memchr::memchr3(b'"', b'\'', b'>', &b[k..])?;
        let c = b[p];
        if c == b'>' {
            return Some(p);
        }
        k = p + 1;
        if b[p - 1] == b'=' {
            k += memchr::memchr(c, &b[k..])? + 1;
        }
    }
}

/// Skips the content of a raw-text element up to and including `</name ...>`.
fn skip_raw(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = memchr::memchr(b'<', &b[i.min(b.len())..]) {
        let at = i + p;
        let rest = &b[at + 1..];
        if rest.len() > name.len() && rest[0] == b'/' && rest[1..=name.len()].eq_ignore_ascii_case(name) {
            return memchr::memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1);
        }
        i = at + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{CLASS, NORMAL, decode_entities, html_to_text, plain_word};

    mod reference {
        use super::super::{
            AMP, CLASS, CR, EntityOut, NORMAL, Out, UWS, WS, decode_entity_at, is_block, is_raw_skip, skip_raw,
        };

        /// `html_to_text` as first written: byte by byte, each space a pending space.
        pub fn html_to_text(html: &str) -> String {
            let b = html.as_bytes();
            let mut out = Out { s: String::with_capacity(html.len() / 2 + 16), space: false };
            let mut pre_depth = 0usize;
            let mut i = 0;
            let mut run = 0; // start of the pending run of plain text
            while i < b.len() {
                let c = b[i];
                match CLASS[c as usize] {
                    NORMAL => i += 1,
                    WS => {
                        out.text(&html[run..i]);
                        if pre_depth > 0 {
                            if c == b'\n' {
                                out.newline();
                            } else {
                                out.s.push(c as char);
                            }
                        } else {
                            out.space = true;
                        }
                        i += 1;
                        run = i;
                    }
                    CR => {
                        out.text(&html[run..i]);
                        if pre_depth == 0 {
                            out.space = true;
                        }
                        i += 1;
                        run = i;
                    }
                    UWS => {
                        let w = html[i..].chars().next().filter(|ch| ch.is_whitespace());
                        match w {
                            Some(ch) => {
                                out.text(&html[run..i]);
                                if pre_depth > 0 {
                                    out.s.push(' ');
                                } else {
                                    out.space = true;
                                }
                                i += ch.len_utf8();
                                run = i;
                            }
                            None => i += 1,
                        }
                    }
                    AMP => {
                        out.text(&html[run..i]);
                        match decode_entity_at(&html[i..]) {
                            Some((EntityOut::Char(ch), n)) => {
                                if ch.is_whitespace() {
                                    if pre_depth > 0 {
                                        if ch == '\n' { out.newline() } else { out.s.push(' ') }
                                    } else {
                                        out.space = true;
                                    }
                                } else {
                                    out.ch(ch);
                                }
                                i += n;
                            }
                            Some((EntityOut::Str(t), n)) => {
                                out.text(&t);
                                i += n;
                            }
                            None => {
                                out.ch('&');
                                i += 1;
                            }
                        }
                        run = i;
                    }
                    _ => {
                        // '<': a tag, a comment, a declaration, or a literal '<'.
                        let next = b.get(i + 1).copied().unwrap_or(b' ');
                        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
                            i += 1;
                            continue;
                        }
                        out.text(&html[run..i]);
                        if b[i + 1..].starts_with(b"!--") {
                            i = memchr::memmem::find(&b[i + 4..], b"-->").map_or(b.len(), |p| i + 4 + p + 3);
                            run = i;
                            continue;
                        }
                        let end = tag_end(b, i + 1).unwrap_or(b.len() - 1);
                        let closing = next == b'/';
                        let name_start = i + 1 + usize::from(closing);
                        let mut name_buf = [0u8; 12];
                        let mut n = 0;
                        let mut k = name_start;
                        while k < end && b[k].is_ascii_alphanumeric() {
                            if n < name_buf.len() {
                                name_buf[n] = b[k].to_ascii_lowercase();
                            }
                            n += 1;
                            k += 1;
                        }
                        let name: &[u8] = if n <= name_buf.len() { &name_buf[..n] } else { b"" };
                        i = end + 1;
                        run = i;
                        if !closing && is_raw_skip(name) {
                            i = skip_raw(b, i, name);
                            run = i;
                            continue;
                        }
                        if name == b"pre" {
                            if closing {
                                pre_depth = pre_depth.saturating_sub(1);
                            } else {
                                pre_depth += 1;
                            }
                        }
                        if is_block(name) {
                            out.newline();
                        } else if name == b"img" {
                            out.space = true;
                        }
                    }
                }
            }
            out.text(&html[run..]);
            out.finish()
        }

        /// `tag_end` as first written: byte by byte.
        fn tag_end(b: &[u8], from: usize) -> Option<usize> {
            let gt = from + memchr::memchr(b'>', &b[from..])?;
            if memchr::memchr2(b'"', b'\'', &b[from..gt]).is_none() {
                return Some(gt);
            }
            let mut q: Option<u8> = None;
            for (k, &c) in b.iter().enumerate().skip(from) {
                match q {
                    Some(qc) if c == qc => q = None,
                    Some(_) => {}
                    None if (c == b'"' || c == b'\'') && b[k - 1] == b'=' => q = Some(c),
                    None if c == b'>' => return Some(k),
                    None => {}
                }
            }
            None
        }
    }

    /// Pieces of HTML the converter treats specially, and plain text around them.
    const PIECES: &[&str] = &[
        "a",
        "word",
        "Acme",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u{a0}",
        "\u{2003}",
        "\u{85}",
        "é",
        "–",
        "日本",
        "<p>",
        "</p>",
        "<br>",
        "<pre>",
        "</pre>",
        "<code>",
        "<i>",
        "</i>",
        "<a href=\"x>y\">",
        "</a>",
        "<b class='q'>",
        "<img src=x>",
        "<script>x<p></script>",
        "<!-- c -->",
        "<!--",
        "< ",
        "<",
        ">",
        "&amp;",
        "&#x27;",
        "&#39;",
        "&nbsp;",
        "&#10;",
        "&#x20;",
        "&eacute;",
        "&bogus;",
        "&",
        "&amp",
        "'",
        "\"",
        "=",
        "<div =\"",
        "1 < 2",
        "x\u{1}y",
        "\u{7f}",
    ];

    fn html() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|ps| ps.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The run-skipping converter gives the reference output.
        #[test]
        fn html_to_text_equals_reference(h in html(), r in "\\PC{0,60}") {
            prop_assert_eq!(html_to_text(&h), reference::html_to_text(&h));
            prop_assert_eq!(html_to_text(&r), reference::html_to_text(&r));
        }

        /// `plain_word` accepts exactly the words whose bytes are all `NORMAL` (or, collapsing,
        /// single spaces before a `NORMAL` byte), minus some it conservatively rejects (bytes below
        /// 0x20 or above 0x7f), given a `NORMAL` byte after the word.
        #[test]
        fn plain_word_is_exact_on_ascii(bytes in prop::array::uniform8(prop::sample::select(&b"ab <&\t\n\r\x0b\x0c\x01\x7f~;"[..])), collapse in prop::bool::ANY) {
            let mut ext = bytes.to_vec();
            ext.push(b'x');
            let normal = |c: u8| CLASS[c as usize] == NORMAL;
            let want = (0..8).all(|k| {
                let c = ext[k];
                (normal(c) && (0x20..0x80).contains(&c)) || (collapse && c == b' ' && normal(ext[k + 1]))
            });
            prop_assert_eq!(plain_word(u64::from_le_bytes(bytes), collapse), want);
        }
    }

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
            ("a&nbsp;b&nbsp;&nbsp; <p>&nbsp;</p>c", "a b\nc"),
            ("&lt;p&gt; is not a tag", "<p> is not a tag"),
            ("AT&T &amp &copy; &eacute;t&eacute; &bogus; &#8212; &#151;", "AT&T & © été &bogus; — —"),
            ("r&d", "r&d"),
            ("one<br>two<br/><br />three", "one\ntwo\nthree"),
            ("  <p>  lead</p>  <p>trail  </p>", "lead\ntrail"),
            ("<pre>  a  \n\n\n  b</pre>", "  a\n  b"),
            ("x\r\ny", "x y"),
            ("tab\there", "tab here"),
            ("don't <b class='x'>bold</b>", "don't bold"),
            ("it's 5 > 3 and 'q' <i>ok</i>", "it's 5 > 3 and 'q' ok"),
            ("<SCRIPT>bad()</SCRIPT>good", "good"),
            ("<script>never closed", ""),
            ("cut <a href=\"x", "cut"),
            ("wide\u{2003}space\u{a0}nb", "wide space nb"),
            ("日本語 <p>テキスト", "日本語\nテキスト"),
            ("", ""),
            ("<p></p><div></div>", ""),
        ];
        for (input, want) in cases {
            assert_eq!(html_to_text(input), want, "input: {input:?}");
        }
    }

    #[test]
    fn entities() {
        assert!(matches!(decode_entities("plain"), std::borrow::Cow::Borrowed("plain")));
        assert_eq!(decode_entities("a &amp; b &#x2F; &#39; &hellip; &zz; &"), "a & b / ' … &zz; &");
    }
}
