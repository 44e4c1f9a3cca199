//! Colours: one per keyword id, the same in every chart. Well-known ids have a fixed colour (chosen so the
//! ids that share a chart of the report are far apart, all dark enough to read on white); any other id is
//! hashed (FNV-1a, stable across runs and platforms) into a colour-blind-friendly palette.

use plotters::style::RGBColor;

/// Colour-blind-friendly palette (Okabe-Ito and Paul Tol's muted/bright sets), dark enough for lines on white.
pub const PALETTE: [RGBColor; 14] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xC7, 0x8A, 0x00), // dark orange-yellow
    RGBColor(0x33, 0x22, 0x88), // indigo
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0x44, 0xAA, 0x99), // teal
    RGBColor(0x99, 0x99, 0x33), // olive
    RGBColor(0xAA, 0x44, 0x99), // purple
    RGBColor(0x66, 0x11, 0x00), // brown
    RGBColor(0x44, 0x77, 0xAA), // steel blue
    RGBColor(0xEE, 0x66, 0x77), // rose
];

/// Fixed colours for the ids the report charts; grouped as they appear together.
const FIXED: &[(&str, RGBColor)] = &[
    // languages
    ("typescript", RGBColor(0x31, 0x78, 0xC6)),
    ("javascript", RGBColor(0xB8, 0x8A, 0x00)),
    ("python", RGBColor(0x2E, 0x8B, 0x3E)),
    ("go", RGBColor(0x00, 0xAC, 0xAC)),
    ("rust", RGBColor(0x8B, 0x45, 0x13)),
    ("java", RGBColor(0xD3, 0x2F, 0x2F)),
    ("kotlin", RGBColor(0x7F, 0x52, 0xFF)),
    ("csharp", RGBColor(0x8E, 0x24, 0xAA)),
    ("ruby", RGBColor(0x9B, 0x11, 0x1E)),
    ("php", RGBColor(0x6A, 0x6F, 0xB0)),
    ("elixir", RGBColor(0x4B, 0x27, 0x5F)),
    ("scala", RGBColor(0xE5, 0x73, 0x73)),
    ("cpp", RGBColor(0x00, 0x59, 0x9C)),
    ("c", RGBColor(0x55, 0x55, 0x55)),
    ("swift", RGBColor(0xF0, 0x51, 0x38)),
    // runtimes
    ("nodejs", RGBColor(0x43, 0x85, 0x3D)),
    ("bun", RGBColor(0xC2, 0x7C, 0x3A)),
    ("deno", RGBColor(0x26, 0x32, 0x38)),
    // databases
    ("postgresql", RGBColor(0x33, 0x67, 0x91)),
    ("mysql", RGBColor(0xE4, 0x8E, 0x00)),
    ("mongodb", RGBColor(0x3F, 0xA0, 0x37)),
    ("redis", RGBColor(0xDC, 0x38, 0x2D)),
    ("sqlite", RGBColor(0x7B, 0x1F, 0xA2)),
    ("clickhouse", RGBColor(0x9E, 0x9D, 0x24)),
    ("elasticsearch", RGBColor(0x00, 0x89, 0x7B)),
    ("dynamodb", RGBColor(0x5C, 0x6B, 0xC0)),
    ("cassandra", RGBColor(0x12, 0x87, 0xB1)),
    ("kafka", RGBColor(0x23, 0x1F, 0x20)),
    ("rabbitmq", RGBColor(0xFF, 0x66, 0x00)),
    // vector databases
    ("vector-database", RGBColor(0x6A, 0x1B, 0x9A)),
    ("pgvector", RGBColor(0x00, 0x83, 0x8F)),
    ("pinecone", RGBColor(0x2E, 0x7D, 0x32)),
    ("weaviate", RGBColor(0xF5, 0x7C, 0x00)),
    ("qdrant", RGBColor(0xC2, 0x18, 0x5B)),
    ("milvus", RGBColor(0x15, 0x65, 0xC0)),
    ("chroma", RGBColor(0x8D, 0x6E, 0x63)),
    // AI stack
    ("ai", RGBColor(0x19, 0x76, 0xD2)),
    ("llm", RGBColor(0x8E, 0x44, 0xAD)),
    ("rag", RGBColor(0x00, 0x96, 0x88)),
    ("embeddings", RGBColor(0xD8, 0x8C, 0x00)),
    ("mcp", RGBColor(0xD8, 0x1B, 0x60)),
    ("ai-agents", RGBColor(0x6D, 0x4C, 0x41)),
    ("machine-learning", RGBColor(0x3F, 0x51, 0xB5)),
    ("llm-evaluation", RGBColor(0x55, 0x8B, 0x2F)),
    ("openai", RGBColor(0x10, 0xA3, 0x7F)),
    ("langchain", RGBColor(0x1C, 0x3C, 0x3C)),
    // containers and infra
    ("kubernetes", RGBColor(0x32, 0x6C, 0xE5)),
    ("docker", RGBColor(0x00, 0x9E, 0xA8)),
    ("terraform", RGBColor(0x7B, 0x42, 0xBC)),
    ("aws", RGBColor(0xE6, 0x7E, 0x00)),
    ("gcp", RGBColor(0x34, 0xA8, 0x53)),
    ("azure", RGBColor(0x00, 0x78, 0xD4)),
    // edge and serverless
    ("vercel", RGBColor(0x21, 0x21, 0x21)),
    ("cloudflare", RGBColor(0xF3, 0x80, 0x20)),
    ("edge-computing", RGBColor(0x2E, 0x7D, 0x5B)),
    ("serverless", RGBColor(0xC6, 0x28, 0x5E)),
    ("lambda", RGBColor(0xB3, 0x6B, 0x00)),
    // durable execution
    ("temporal", RGBColor(0x37, 0x47, 0x4F)),
    ("inngest", RGBColor(0x5E, 0x35, 0xB1)),
    ("bullmq", RGBColor(0xE5, 0x39, 0x35)),
    ("durable-execution", RGBColor(0x00, 0x69, 0x5C)),
    // API styles
    ("rest", RGBColor(0x1E, 0x63, 0xB5)),
    ("graphql", RGBColor(0xE1, 0x00, 0x98)),
    ("grpc", RGBColor(0x00, 0x79, 0x6B)),
    ("websocket", RGBColor(0xEF, 0x6C, 0x00)),
    ("trpc", RGBColor(0x39, 0x8C, 0xCB)),
    // architecture
    ("microservices", RGBColor(0x28, 0x35, 0x93)),
    ("monolith", RGBColor(0x8D, 0x5A, 0x3C)),
    ("modular-monolith", RGBColor(0x38, 0x8E, 0x3C)),
    ("event-driven", RGBColor(0xAD, 0x14, 0x57)),
    // roles
    ("devops", RGBColor(0xE6, 0x51, 0x00)),
    ("platform-engineering", RGBColor(0x0D, 0x47, 0xA1)),
    ("sre", RGBColor(0x7E, 0x57, 0xC2)),
    ("backend", RGBColor(0x1B, 0x5E, 0x20)),
    ("frontend", RGBColor(0xF9, 0xA8, 0x25)),
    ("full-stack", RGBColor(0x00, 0x60, 0x64)),
    ("platform", RGBColor(0x0D, 0x47, 0xA1)),
    ("data", RGBColor(0x4E, 0x34, 0x2E)),
    ("ml-ai", RGBColor(0x8E, 0x44, 0xAD)),
    ("mobile", RGBColor(0x00, 0x97, 0xA7)),
    ("security", RGBColor(0xB7, 0x1C, 0x1C)),
    ("management", RGBColor(0x54, 0x6E, 0x7A)),
    ("other", RGBColor(0x9E, 0x9E, 0x9E)),
];

/// The colour of a keyword id (case-insensitive), the same in every chart.
pub fn color_for(key: &str) -> RGBColor {
    let k = key.trim().to_ascii_lowercase();
    if let Some((_, c)) = FIXED.iter().find(|(id, _)| *id == k) {
        return *c;
    }
    PALETTE[(fnv1a(k.as_bytes()) % PALETTE.len() as u64) as usize]
}

/// Verdict colours of the scorecard: supported green, contradicted red, anything else grey.
pub fn verdict_color(verdict: &str) -> RGBColor {
    match verdict.trim().to_ascii_lowercase().as_str() {
        "supported" => RGBColor(0x2E, 0x7D, 0x32),
        "contradicted" => RGBColor(0xC6, 0x28, 0x28),
        _ => RGBColor(0x75, 0x75, 0x75),
    }
}

/// Colours for the series of one chart: `color_for` each key, except that a second distinct key with the same
/// colour (two hashed ids colliding) gets the next palette colour unused in this chart.
pub(crate) fn colors_for_chart<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<RGBColor> {
    let mut seen: Vec<(String, RGBColor)> = Vec::new();
    let mut out = Vec::new();
    for key in keys {
        let k = key.trim().to_ascii_lowercase();
        if let Some((_, c)) = seen.iter().find(|(s, _)| *s == k) {
            out.push(*c);
            continue;
        }
        let mut c = color_for(&k);
        if seen.iter().any(|(_, used)| *used == c) {
            let start = PALETTE.iter().position(|p| *p == c).unwrap_or(0);
            for i in 1..=PALETTE.len() {
                let cand = PALETTE[(start + i) % PALETTE.len()];
                if !seen.iter().any(|(_, used)| *used == cand) {
                    c = cand;
                    break;
                }
            }
        }
        seen.push((k, c));
        out.push(c);
    }
    out
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_ids_are_unique_and_have_distinct_colours_unless_aliases() {
        for (i, (a, ca)) in FIXED.iter().enumerate() {
            for (b, cb) in &FIXED[i + 1..] {
                assert_ne!(a, b, "duplicate id");
                let alias = matches!((*a, *b), ("platform-engineering", "platform") | ("llm", "ml-ai"));
                if !alias {
                    assert_ne!(ca, cb, "{a} and {b} share a colour");
                }
            }
        }
    }

    /// The ids drawn together in one chart of the report must be told apart at a glance.
    #[test]
    fn ids_of_one_report_chart_are_far_apart() {
        let groups: &[&[&str]] = &[
            &["typescript", "javascript", "python", "go", "rust", "java"],
            &["nodejs", "bun", "deno"],
            &["postgresql", "mysql", "mongodb", "redis", "sqlite"],
            &["vector-database", "pgvector", "pinecone", "redis"],
            &["llm", "rag", "embeddings", "mcp", "ai-agents", "ai"],
            &["kubernetes", "docker", "terraform"],
            &["vercel", "cloudflare", "edge-computing", "serverless"],
            &["temporal", "inngest", "bullmq"],
            &["rest", "graphql", "grpc", "websocket"],
            &["microservices", "monolith", "modular-monolith"],
            &["devops", "platform-engineering", "sre"],
        ];
        let dist = |a: RGBColor, b: RGBColor| {
            let d = |x: u8, y: u8| (x as f64 - y as f64).powi(2);
            (d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)).sqrt()
        };
        for g in groups {
            for (i, a) in g.iter().enumerate() {
                for b in &g[i + 1..] {
                    let d = dist(color_for(a), color_for(b));
                    assert!(d >= 70.0, "{a} and {b} are too close ({d:.0})");
                }
            }
        }
    }

    #[test]
    fn unknown_ids_hash_stably_into_the_palette() {
        let c = color_for("some-new-framework");
        assert_eq!(c, color_for("Some-New-Framework"));
        assert!(PALETTE.contains(&c));
        // FNV-1a is fixed: pin one value so a change of hash is noticed.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn colliding_keys_in_one_chart_get_different_colours() {
        // find two unknown keys that hash to the same palette slot
        let base = color_for("k0");
        let other = (1..1000).map(|i| format!("k{i}")).find(|k| color_for(k) == base).unwrap();
        let cs = colors_for_chart(["k0", other.as_str(), "k0"]);
        assert_ne!(cs[0], cs[1]);
        assert_eq!(cs[0], cs[2]);
    }
}
