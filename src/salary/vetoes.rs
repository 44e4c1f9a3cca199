//! Vetoes (step 2 of [`super::extract`]): pricing, funding or count words around an amount that
//! make it something else than a salary.
//!
//! In: the text shortly before an amount (same line) and the text right after it. Out: whether a
//! veto word ([`VETO_BEFORE`], [`VETO_AFTER`]) sits there.

use super::currency::currency_code;
use super::words::words;

/// Words right after an amount (before any `+` or `,`) that make it something else than a salary.
const VETO_AFTER: &[&str] = &[
    "users",
    "user",
    "customers",
    "customer",
    "clients",
    "members",
    "subscribers",
    "downloads",
    "installs",
    "visitors",
    "merchants",
    "businesses",
    "companies",
    "developers",
    "people",
    "patients",
    "students",
    "employees",
    "stars",
    "requests",
    "transactions",
    "events",
    "records",
    "messages",
    "queries",
    "revenue",
    "arr",
    "mrr",
    "gmv",
    "sales",
    "bookings",
    "funding",
    "seed",
    "series",
    "round",
    "raise",
    "raised",
    "valuation",
    "investment",
    "investors",
    "capital",
    "grant",
    "grants",
    "prize",
    "prizes",
    "bounty",
    "bounties",
    "fees",
    "fee",
    "plan",
    "plans",
    "subscription",
    "subscriptions",
    "pricing",
    "price",
    "seat",
    "license",
    "licence",
    "budget",
    "stipend",
    "allowance",
    "credit",
    "credits",
    "bonus",
    "relocation",
    "reimbursement",
    "payments",
    "payment",
    "volume",
    "loans",
    "loan",
    "deposits",
    "assets",
    "aum",
    "market",
    "savings",
    "donations",
    "spend",
    "cost",
    "costs",
    "discount",
    "award",
    "awards",
    "scholarship",
    "match",
    "worth",
    "signing",
    "sign-on",
    "stock",
    "shares",
    "deal",
    "deals",
    "tam",
    "under",
    "processed",
    "saved",
    "jobs",
    "hires",
    "lines",
    "rows",
    "miles",
    "km",
    "sq",
    "ft",
    "employers",
    "learning",
    "education",
    "training",
    "equipment",
    "hardware",
    "home",
    "office",
    "wellness",
    "gym",
    "conference",
    "referral",
    "organizations",
    "organisations",
    "teams",
    "brands",
    "sellers",
    "buyers",
    "creators",
    "families",
    "homes",
    "schools",
    "hospitals",
    "restaurants",
    "stores",
    "partners",
    "accounts",
    "devices",
    "vehicles",
    "sites",
    "websites",
    "apps",
    "projects",
    "repos",
    "repositories",
    "contributors",
    "followers",
    "readers",
    "listeners",
    "players",
    "gamers",
    "drivers",
    "riders",
    "doctors",
    "providers",
    "agents",
    "hours",
    "paying",
    "active",
    "new",
    "registered",
    "unique",
];

/// Words shortly before an amount that make it something else than a salary.
const VETO_BEFORE: &[&str] = &[
    "raised",
    "raise",
    "raising",
    "funding",
    "funded",
    "revenue",
    "revenues",
    "arr",
    "mrr",
    "valuation",
    "valued",
    "backed",
    "series",
    "seed",
    "worth",
    "invested",
    "investment",
    "capital",
    "grant",
    "prize",
    "bounty",
    "fees",
    "fee",
    "price",
    "priced",
    "pricing",
    "cost",
    "costs",
    "plan",
    "plans",
    "subscription",
    "stipend",
    "budget",
    "allowance",
    "reimbursement",
    "reimburse",
    "relocation",
    "credits",
    "credit",
    "saved",
    "save",
    "saves",
    "savings",
    "processed",
    "processes",
    "processing",
    "process",
    "manage",
    "manages",
    "managing",
    "generated",
    "generating",
    "generate",
    "generates",
    "sold",
    "sales",
    "gmv",
    "volume",
    "acquired",
    "acquisition",
    "market",
    "match",
    "donate",
    "donated",
    "spend",
    "spent",
    "payout",
    "payouts",
    "loan",
    "loans",
    "deposit",
    "deposits",
    "award",
    "awarded",
    "stock",
    "shares",
    "share",
    "trading",
    "traded",
    "bonus",
    "signing",
    "sign-on",
    "tam",
    "aum",
    "profit",
    "profits",
    "bookings",
    "moved",
    "moves",
    "handles",
    "handled",
    "handling",
    "transacted",
    "lent",
    "originated",
    "underwritten",
    "insured",
    "financing",
    "financed",
    "round",
    "grew",
    "growing",
    "customers",
    "users",
    "invest",
    "invests",
    "incur",
    "incurs",
    "charge",
    "charges",
    "charging",
    "billed",
    "grants",
    "donates",
    "donating",
];

fn is_stop(tok: &str) -> bool {
    matches!(tok, "+" | "," | ";" | "." | "(" | ")" | "|" | "\n" | "•" | "!" | "?" | "&" | "–" | "—")
        || tok == "plus"
        || tok == "and"
        || tok.starts_with(|c: char| c.is_ascii_digit())
        || currency_code(tok).is_some() && !tok.chars().all(|c| c.is_ascii_alphabetic())
}

/// True when a veto word sits right after the amount (up to 4 words, stopping at `+`, `,`, ...).
pub(super) fn vetoed_after(after: &str) -> bool {
    let line = after.split('\n').next().unwrap_or("");
    // A `+` glued to the amount means "or more" (`50K+ customers`, `£70k+ + bonus`): look past it,
    // but then words that add to a salary (`£70k+ bonus`) do not veto.
    let (line, glued_plus) = match line.strip_prefix('+') {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let ws = words(line);
    let mut n = 0;
    for w in &ws {
        if is_stop(w) {
            break;
        }
        if VETO_AFTER.contains(&&**w)
            && !(glued_plus && matches!(&**w, "bonus" | "stock" | "signing" | "sign-on" | "relocation"))
        {
            return true;
        }
        n += 1;
        if n >= 4 {
            break;
        }
    }
    false
}

/// True when a veto word sits shortly before the amount (up to 7 words back, stopping at
/// punctuation), unless a salary word sits among them too (`budget for this role is $90k`).
pub(super) fn vetoed_before(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or("");
    let ws = words(line);
    let mut n = 0;
    let mut veto = false;
    for w in ws.iter().rev() {
        if matches!(&**w, "," | ";" | "." | "|" | "(" | ")" | "•" | "!" | "?" | "+")
            || w.starts_with(|c: char| c.is_ascii_digit())
        {
            break;
        }
        if w.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '\'') {
            if matches!(&**w, "salary" | "position" | "role" | "compensation" | "wage") {
                return false;
            }
            veto |= VETO_BEFORE.contains(&&**w);
            n += 1;
            if n >= 7 {
                break;
            }
        }
    }
    veto
}
