//! Numbers of an amount: the number and multiplier patterns of the candidate regex and their values.
//!
//! In: the number text (`150,000`, `65.000`, `120'000`, `1.5`) and the multiplier token (`k`,
//! `lakh`, `M`...) of a candidate. Out: the number as `f64` (`None` when its separators do not
//! read as one number) and what the multiplier means ([`Mult`]).

pub(super) const NUM: &str = r"\d{1,3}(?:[,.'’\u{a0}\u{202f} ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?";

pub(super) const MULT: &str = r"[kK](?-u:\b)|[mM]{1,2}(?-u:\b)|mil(?:lion)?s?(?-u:\b)|mn(?-u:\b)|[bB]n?(?-u:\b)|billion|thousand|grand|lakhs?|lacs?|LPA|crores?|Cr(?-u:\b)";

/// Parses `150,000`, `65.000`, `120'000`, `150 000`, `1.5`, `90,50` into a number.
pub(super) fn parse_num(s: &str) -> Option<f64> {
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(st) = start.take() {
                groups.push(&s[st..i]);
            }
            seps.push(c);
        }
    }
    if let Some(st) = start {
        groups.push(&s[st..]);
    }
    if groups.len() != seps.len() + 1 || groups.is_empty() {
        return None;
    }
    let int = |g: &[&str]| g.concat().parse::<f64>().ok();
    if groups.len() == 1 {
        return int(&groups);
    }
    let last = groups[groups.len() - 1];
    let last_sep = seps[seps.len() - 1];
    let decimal_tail = last.len() <= 2 && matches!(last_sep, '.' | ',');
    let (int_groups, frac) = if decimal_tail { (&groups[..groups.len() - 1], Some(last)) } else { (&groups[..], None) };
    let int_seps = if decimal_tail { &seps[..seps.len() - 1] } else { &seps[..] };
    if let (Some(f), Some(&s0)) = (frac, int_seps.first())
        && s0 == last_sep
    {
        // `1,500,00`: a decimal tail must use another separator than the thousands.
        let _ = f;
        return None;
    }
    if int_groups.len() > 1
        && (int_groups[1..].iter().any(|g| g.len() != 3) || int_seps.windows(2).any(|w| w[0] != w[1]))
    {
        return None;
    }
    let whole = int(int_groups)?;
    match frac {
        Some(f) => Some(whole + f.parse::<f64>().ok()? / 10f64.powi(f.len() as i32)),
        None => Some(whole),
    }
}

/// What a multiplier token means.
pub(super) enum Mult {
    None,
    Thousand,
    Lakh,
    /// Millions, billions, crores: funding and revenue, never a salary here.
    Big,
}

pub(super) fn mult_of(m: Option<&str>) -> Mult {
    let Some(m) = m else { return Mult::None };
    let l = m.to_ascii_lowercase();
    match l.as_str() {
        "k" | "thousand" | "grand" => Mult::Thousand,
        "lakh" | "lakhs" | "lac" | "lacs" | "lpa" => Mult::Lakh,
        _ => Mult::Big,
    }
}
