//! Text helpers of salary extraction: lowercased word tokens and char-boundary-safe offsets.
//!
//! In: a piece of text (or a byte offset into it). Out: its lowercased words and one-char
//! punctuation tokens (collected, or one at a time), or the nearest char boundary.

use std::borrow::Cow;

/// Lowercased words of `s`, keeping `+`, `,` and friends as one-char tokens. A word that is
/// ASCII without capitals (most are) and every one-char token borrow from `s`.
pub(super) fn words(s: &str) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    tokens(s, |w, plain| out.push(lowercase(w, plain)));
    out
}

/// Calls `f` with each token of `s` in order, exactly the tokens [`words`] returns, without
/// collecting them: a word to lowercase is written into one buffer reused for the whole text.
pub(super) fn for_each_word(s: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    tokens(s, |w, plain| {
        if plain {
            f(w);
        } else {
            buf.clear();
            push_lowercase(&mut buf, w);
            f(&buf);
        }
    });
}

/// Calls `f(token, plain)` for each token of `s` as it stands: words (alphanumerics, `-`, `'`),
/// `plain` when ASCII without capitals, and one-char tokens for other non-space characters
/// (always `plain`).
fn tokens<'a>(s: &'a str, mut f: impl FnMut(&'a str, bool)) {
    // Start of the current word, and whether it is ASCII without capitals so far.
    let mut word: Option<(usize, bool)> = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() || c == '-' || c == '\'' {
            let plain = c.is_ascii() && !c.is_ascii_uppercase();
            word = Some(match word {
                Some((a, p)) => (a, p && plain),
                None => (i, plain),
            });
        } else {
            if let Some((a, plain)) = word.take() {
                f(&s[a..i], plain);
            }
            if !c.is_whitespace() {
                f(&s[i..i + c.len_utf8()], true);
            }
        }
    }
    if let Some((a, plain)) = word {
        f(&s[a..], plain);
    }
}

/// `w` lowercased (char by char, as `char::to_lowercase`); borrowed when `plain` says it already is.
fn lowercase(w: &str, plain: bool) -> Cow<'_, str> {
    if plain {
        Cow::Borrowed(w)
    } else {
        let mut out = String::with_capacity(w.len());
        push_lowercase(&mut out, w);
        Cow::Owned(out)
    }
}

/// Appends `w` lowercased char by char, as `char::to_lowercase` does; an ASCII word (the capitalised
/// words of a first line, mostly) in one copy and one ASCII pass, which is the same for ASCII.
fn push_lowercase(out: &mut String, w: &str) {
    if w.is_ascii() {
        let start = out.len();
        out.push_str(w);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
}

/// The largest char boundary <= i.
pub(super) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(super) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The ASCII path gives what `char::to_lowercase` gives, char by char, as the other path does.
        #[test]
        fn push_lowercase_is_char_to_lowercase(w in "([A-Za-z0-9'-]|İ|Σ|É|\u{212a}|ß){0,12}") {
            let mut out = String::from("x");
            push_lowercase(&mut out, &w);
            prop_assert_eq!(out, format!("x{}", w.chars().flat_map(char::to_lowercase).collect::<String>()));
            prop_assert_eq!(lowercase(&w, false), w.chars().flat_map(char::to_lowercase).collect::<String>());
        }
    }
}
