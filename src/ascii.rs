//! ASCII images of text, so that regexes compiled without Unicode can stand in for Unicode ones.
//!
//! In: a string. Out: an ASCII string with one character per character of the input, on which an
//! ASCII-only case-insensitive pattern compiled with `(?i-u)` matches exactly where (character for
//! character) the same pattern with Unicode `\b` and case folding (`(?i)`) matches on the input.
//!
//! Why: the `regex` crate's lazy DFA cannot evaluate a Unicode `\b` on non-ASCII bytes, so a Unicode
//! pattern with `\b` runs on a slower engine (the PikeVM or the backtracker) over any text with a
//! non-ASCII character in it (41% of the saved HN postings' first lines have one). The ASCII
//! version on the image stays in the lazy DFA.
//!
//! Why the image is exact, for a pattern made of ASCII characters other than `_` and NUL: the only
//! non-ASCII characters that Unicode case folding matches to an ASCII character are the Kelvin sign
//! (`k`) and the long s (`s`), which map to those letters (`roles` and `salary` each test this of
//! their patterns); every other non-ASCII character matches no character of such a pattern and only
//! matters to `\b`, as a word character (Unicode `\w`) or not, so it becomes `_` (an ASCII word
//! character the pattern does not contain) or NUL (neither).

use std::sync::LazyLock;

use regex::Regex;

/// Runs of non-ASCII word characters (Unicode `\w`, the one Unicode `\b` uses).
static NON_ASCII_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\w&&[^\x00-\x7F]]+").expect("word regex"));

/// The ASCII image of `s` (see the module doc). The caller skips it for ASCII text, its own image.
pub fn ascii_image(s: &str) -> String {
    fn non_word(out: &mut String, t: &str) {
        out.extend(t.chars().map(|c| if c.is_ascii() { c } else { '\0' }));
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for m in NON_ASCII_WORD.find_iter(s) {
        non_word(&mut out, &s[last..m.start()]);
        out.extend(m.as_str().chars().map(|c| match c {
            '\u{212a}' => 'k',
            '\u{17f}' => 's',
            _ => '_',
        }));
        last = m.end();
    }
    non_word(&mut out, &s[last..]);
    out
}

/// The non-ASCII characters that match one of `chars` under Unicode case folding.
#[cfg(test)]
pub fn non_ascii_folding_to(chars: &str) -> Vec<char> {
    let escaped: String = chars.chars().map(|c| regex::escape(&c.to_string())).collect();
    let class = Regex::new(&format!("(?i)^[{escaped}]$")).expect("class regex");
    (0x80..=0x10ffff).filter_map(char::from_u32).filter(|c| class.is_match(c.encode_utf8(&mut [0; 4]))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_ascii_char_per_char() {
        assert_eq!(ascii_image("Zürich – 120\u{212a} ſalary"), "Z_rich \0 120k salary");
        assert_eq!(ascii_image("plain"), "plain");
        assert_eq!(non_ascii_folding_to("ks"), vec!['\u{17f}', '\u{212a}']);
        assert!(non_ascii_folding_to("-., /&#").is_empty());
    }
}
