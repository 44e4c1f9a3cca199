//! Unit tests of salary extraction: numbers, forms, traps, first-line regions, odd input,
//! annualisation and seniority.
//!
//! In: literal posting snippets. Out: assertions on [`super::extract`], [`super::annualise`],
//! [`super::seniority`] and the number parser.

use super::numbers::parse_num;
use super::*;

fn s(min: f64, max: f64, cur: &str, period: &str) -> Option<Salary> {
    Some(Salary { min, max, currency: cur.into(), period: period.into() })
}

#[test]
fn numbers() {
    for (t, v) in [
        ("150,000", Some(150_000.0)),
        ("65.000", Some(65_000.0)),
        ("120'000", Some(120_000.0)),
        ("150 000", Some(150_000.0)),
        ("1.5", Some(1.5)),
        ("90,50", Some(90.5)),
        ("150,000.00", Some(150_000.0)),
        ("1,500,00", None),
        ("12,34,567", None),
    ] {
        assert_eq!(parse_num(t), v, "{t}");
    }
}

#[test]
fn forms() {
    let y = "year";
    for (t, want) in [
        ("Salary: $150k-$200k", s(150e3, 200e3, "USD", y)),
        ("$150,000 – $200,000 base", s(150e3, 200e3, "USD", y)),
        ("$150,000 — $200,000", s(150e3, 200e3, "USD", y)),
        ("pays $150,000 to $200,000", s(150e3, 200e3, "USD", y)),
        ("Range 150-200k USD", s(150e3, 200e3, "USD", y)),
        ("€80-95k", s(80e3, 95e3, "EUR", y)),
        ("£70k+", s(70e3, 70e3, "GBP", y)),
        ("$90/hr", s(90.0, 90.0, "USD", "hour")),
        ("$90 per hour", s(90.0, 90.0, "USD", "hour")),
        ("Comp: 120k + equity", s(120e3, 120e3, "USD", y)),
        ("OTE $250k", s(250e3, 250e3, "USD", y)),
        ("Foo | SF | $120-160k + equity", s(120e3, 160e3, "USD", y)),
        ("USD 140,000 - 180,000", s(140e3, 180e3, "USD", y)),
        ("Gehalt €65.000 - €80.000", s(65e3, 80e3, "EUR", y)),
        ("$8,000/month", s(8e3, 8e3, "USD", "month")),
        ("$500/day", s(500.0, 500.0, "USD", "day")),
        ("Salary CHF 120'000", s(120e3, 120e3, "CHF", y)),
        ("Salary: 150K", s(150e3, 150e3, "USD", y)),
        ("salary range 120-150k", s(120e3, 150e3, "USD", y)),
        ("CA$130k-150k", s(130e3, 150e3, "CAD", y)),
        ("SEK 50 000 - 60 000 per month", s(50e3, 60e3, "SEK", "month")),
        ("₹25-35 LPA", s(25e5, 35e5, "INR", y)),
        ("¥8,000,000 - ¥12,000,000 per year", s(8e6, 12e6, "JPY", y)),
    ] {
        assert_eq!(extract(t), want, "{t}");
    }
}

#[test]
fn traps() {
    for t in [
        "We raised a $20M Series B",
        "raised $5 million from investors",
        "$10M ARR and growing",
        "processing $3B in payments",
        "401k matching",
        "100k users and 50K+ customers",
        "Founded in 2025, profitable since 2019",
        "$0 fees for customers",
        "Our $9/month plan",
        "a $1.2M salary",
        "We have 150 engineers and $2,000 learning budget",
        "$10k signing bonus",
        "the stock trades at $145.20",
    ] {
        assert_eq!(extract(t), None, "{t}");
    }
}

#[test]
fn bare_amounts_take_the_first_line_region() {
    let y = "year";
    for (t, want) in [
        ("Acme | Backend | NYC | 100k-130k", s(100e3, 130e3, "USD", y)),
        ("Acme | Backend | London | 60K-90K", s(60e3, 90e3, "GBP", y)),
        ("Acme | Backend | Remote | 90k-120k", s(90e3, 120e3, "USD", y)),
        ("Acme | Backend | Berlin or NYC | 90k-120k", None),
        ("Acme | Backend | Berlin or NYC | $90k-120k", s(90e3, 120e3, "USD", y)),
        ("Acme | 100k users | NYC", None),
        // Currencies this module does not know are not read as USD.
        ("Salary NTD 80k per month, Taipei", None),
        ("Salary in ZAR 600k - 800k", None),
    ] {
        assert_eq!(extract(t), want, "{t}");
    }
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "",
        "$",
        "k",
        "€€€ 12,",
        "$1,2,3,4k-",
        "£70k+\u{a0}–\u{a0}",
        "¥",
        "１２３k salary",
        "$99999999999999999999999k",
    ] {
        let _ = extract(t);
    }
}

#[test]
fn annualise_table() {
    for (min, max, p, want) in [
        (100.0, 200.0, "year", Some(150.0)),
        (1000.0, 1000.0, "month", Some(12_000.0)),
        (1000.0, 1000.0, "week", Some(52_000.0)),
        (500.0, 500.0, "day", Some(130_000.0)),
        (50.0, 100.0, "hour", Some(156_000.0)),
        (50.0, 100.0, "fortnight", None),
        (f64::NAN, 100.0, "year", None),
    ] {
        let sal = Salary { min, max, currency: "USD".into(), period: p.into() };
        assert_eq!(annualise(&sal), want, "{p}");
    }
}

#[test]
fn seniority_table() {
    for (t, want) in [
        ("Senior Backend Engineer", "senior"),
        ("Sr. Software Engineer", "senior"),
        ("Staff Engineer", "staff"),
        ("Senior Staff Engineer", "staff"),
        ("Principal Engineer", "principal"),
        ("Tech Lead, Payments", "lead"),
        ("Head of Engineering", "lead"),
        ("Engineering Manager", "lead"),
        ("Junior Developer", "junior"),
        ("Jr. Frontend Dev", "junior"),
        ("Software Engineering Intern", "junior"),
        ("New Grad Software Engineer", "junior"),
        ("Software Engineer", "mid"),
        ("Leader of nothing", "mid"),
        ("", "mid"),
    ] {
        assert_eq!(seniority(t), want, "{t}");
    }
}
