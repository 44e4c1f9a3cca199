//! Byte-level pre-checks of [`super::extract`]: where the next number can start, and whether the
//! [`super::candidate::CANDIDATE`] match there is surely a lone number, without running the regex.
//!
//! In: the text as bytes and an offset. Out: the offset of the next possible digit, or the end of
//! a lone number (`None` whenever the bytes around it leave any doubt: then the regex decides).
//!
//! Why it holds: every match of `CANDIDATE` has a number `n1` whose first char is a `\d` (any
//! Unicode decimal digit), and at most [`MAX_PREFIX`] bytes of currency and space before it, so a
//! match starts at most that far before the first digit at or after the search start. A match
//! whose number is not preceded by a byte that can end a currency prefix, and not followed by a
//! byte that can start a multiplier, a trailing currency or a second amount, is the number alone;
//! its extent then follows the leftmost-first reading of [`super::numbers::NUM`].

/// The longest currency prefix plus its space, in bytes: `U.S.` + a 3-byte `\s` + `$` + a
/// non-breaking space (10), rounded up.
pub(super) const MAX_PREFIX: usize = 16;

/// The first byte offset `>= from` that may start a `\d`: an ASCII digit, or the first byte of a
/// non-ASCII char that is numeric (a superset of Unicode decimal digits); `None` when there is none.
pub(super) fn next_digit(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = from;
    // Eight bytes at a time while none is a digit or non-ASCII.
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let x = u64::from_le_bytes(w);
        let hits = ascii_digits(x) | (x & 0x8080_8080_8080_8080);
        if hits == 0 {
            i += 8;
            continue;
        }
        let j = i + (hits.trailing_zeros() / 8) as usize;
        if b[j].is_ascii_digit() || numeric_char_at(text, j) {
            return Some(j);
        }
        i = j + 1;
    }
    while i < b.len() {
        if b[i].is_ascii_digit() || (b[i] >= 0x80 && numeric_char_at(text, i)) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The high bit of each byte of `x` that is an ASCII digit (exact per byte, no carries between
/// bytes: the sums are done on the low seven bits).
fn ascii_digits(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = x & LOW7;
    // Bytes < b':' (0x3a): 0x7f + 0x3a - low keeps the high bit; bytes > b'/' (0x2f): low + 0x7f - 0x2f sets it.
    let below = (ONES * (127 + 0x3a)).wrapping_sub(low);
    let above = low + ONES * (127 - 0x2f);
    below & !x & above & HIGH
}

/// True when a non-ASCII char starts at byte `i` and is numeric.
fn numeric_char_at(text: &str, i: usize) -> bool {
    text.is_char_boundary(i) && text[i..].chars().next().is_some_and(char::is_numeric)
}

/// A byte that may be the last of a currency prefix of `CANDIDATE` (`$`, `USD`, `BRL`, `EUR`,
/// `GBP`, `CHF`, `Rs`, `Rs.`, `RMB`, `JPY`, `SEK`, `PLN`, `ILS`...; any non-ASCII byte for `€`,
/// `£`, `¥`, `₹`, `zł`, `₪` and the non-breaking space).
fn may_end_prefix(c: u8) -> bool {
    c >= 0x80 || b"$DLRPFs.BYKNS".contains(&c)
}

/// A byte that may start a multiplier, a trailing currency or a range separator (any letter,
/// `$`, `-`, `~`, any non-ASCII byte).
fn may_start_suffix(c: u8) -> bool {
    c >= 0x80 || c.is_ascii_alphabetic() || c == b'$' || c == b'-' || c == b'~'
}

/// Whether byte `i` is an ASCII digit: `Some(false)` past the end or for another ASCII byte,
/// `None` for a non-ASCII byte (it may be a Unicode digit or separator: no verdict).
fn digit(b: &[u8], i: usize) -> Option<bool> {
    match b.get(i) {
        None => Some(false),
        Some(&c) if c >= 0x80 => None,
        Some(c) => Some(c.is_ascii_digit()),
    }
}

/// The end of the `CANDIDATE` match whose first digit is at `d` (the first possible digit at or
/// after the search start) when that match is surely a lone number: ASCII digits and `,.' `
/// separators only, no currency before it, nothing after it that the regex could take. `None`
/// when unsure.
pub(super) fn lone_number_end(text: &str, d: usize) -> Option<usize> {
    let b = text.as_bytes();
    if !b.get(d)?.is_ascii_digit() {
        return None;
    }
    if d >= 1 && (may_end_prefix(b[d - 1]) || (b[d - 1] == b' ' && d >= 2 && may_end_prefix(b[d - 2]))) {
        return None;
    }
    let e = num_end(b, d)?;
    let mut i = e;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    match b.get(i) {
        Some(&c) if may_start_suffix(c) => None,
        _ => Some(e),
    }
}

/// The end of [`super::numbers::NUM`] matched leftmost-first at the ASCII digit `d`: `\d{1,3}`
/// then one or more separator + three digits (only possible when the run of digits at `d` is at
/// most three long), else the whole run; then an optional `.`/`,` and one or two digits. `None`
/// when a non-ASCII byte sits where the regex could read on.
fn num_end(b: &[u8], d: usize) -> Option<usize> {
    let mut e = d;
    while digit(b, e)? {
        e += 1;
    }
    let three = |i: usize| -> Option<bool> { Some(digit(b, i)? && digit(b, i + 1)? && digit(b, i + 2)?) };
    if e - d <= 3 {
        // Separated thousands: as many groups as there are.
        loop {
            match b.get(e) {
                Some(&c) if c >= 0x80 => return None,
                Some(b',' | b'.' | b'\'' | b' ') if three(e + 1)? => e += 4,
                _ => break,
            }
        }
    }
    if matches!(b.get(e), Some(b'.' | b',')) && digit(b, e + 1)? {
        e += 2;
        if digit(b, e)? {
            e += 1;
        }
    }
    Some(e)
}
