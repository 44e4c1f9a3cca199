//! Keyword taxonomy (`keywords/*.toml`) and the matcher that finds its ids in posting text.
//!
//! In: TOML files (built into the binary, or a directory) and plain posting text.
//! Out: a [`Taxonomy`] (ids, labels, categories, rules) and, per text, the ids it mentions with mention counts
//! ([`Matcher::find`]) or every candidate span with the rule that accepted or vetoed it ([`Matcher::explain`]).
//!
//! # The TOML schema
//! Each file is a list of `[[keyword]]` tables. Unknown fields are errors.
//!
//! ```toml
//! [[keyword]]
//! id = "go"                      # kebab-case, unique across all files: an interface, never rename
//! label = "Go"                   # display name
//! category = "language"          # free text; `@language` in `requires_context` means "any id of this category"
//! aliases = ["golang"]           # case-insensitive literals that always count
//! case_sensitive = ["Go"]        # exact-case literals that always count
//! patterns = ['c\+\+\d\d']       # regexes (case-insensitive unless `(?-i)`), always count
//! weak = ["node"]                # case-insensitive literals that count only with context (below)
//! weak_case_sensitive = ["Node"] # exact-case literals that count only with context
//! exclude = ["go-to-market"]     # phrases that veto any form of this keyword overlapping them (word-bounded)
//! soft_exclude = ["go to"]      # like exclude, unless the hit has local context (before/after/near/list)
//! exclude_before = ["."]         # a hit right after one of these strings (no space skipped) is vetoed
//! exclude_after = ["-based"]     # a hit right before one of these strings is vetoed
//! # context for weak forms: any one of these is enough
//! before = ["senior"]            # the word(s) right before the hit (spaces and `-` skipped)
//! after = ["developer"]          # the word(s) right after the hit
//! near = ["workflow"]            # a word within 80 bytes either side
//! list_context = true            # the hit sits in a list next to another keyword ("Python, Go, Rust", "TS/Node")
//! requires_context = ["@language", "aws"]  # the posting also has a strong mention of one of these
//! implies = ["vector-database"]  # every mention also counts for these ids (transitively)
//! ```
//!
//! Every literal and pattern goes into ONE regex with ASCII half word boundaries
//! (`(?-u:\b{start-half})(?:...)(?-u:\b{end-half})`, patterns first, then literals longest first); the rules
//! run only on its hits. A literal may belong to one id only (case-insensitively).
//! Files named `predictions.toml` are not part of the taxonomy and are skipped by [`Taxonomy::load_dir`].

mod matcher;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use matcher::{Explained, Matcher};

/// The taxonomy files built into the binary, in canonical (alphabetical) order.
/// A test checks that this list equals the `*.toml` files of `keywords/` (except `predictions.toml`).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("ai.toml", include_str!("../../keywords/ai.toml")),
    ("apis.toml", include_str!("../../keywords/apis.toml")),
    ("architecture.toml", include_str!("../../keywords/architecture.toml")),
    ("cloud.toml", include_str!("../../keywords/cloud.toml")),
    ("databases.toml", include_str!("../../keywords/databases.toml")),
    ("frameworks.toml", include_str!("../../keywords/frameworks.toml")),
    ("languages.toml", include_str!("../../keywords/languages.toml")),
    ("practices.toml", include_str!("../../keywords/practices.toml")),
];

/// The file the predictions engineer keeps beside the taxonomy; not a taxonomy file.
pub const NOT_TAXONOMY: &str = "predictions.toml";

/// Errors loading or validating a taxonomy. Messages name the file and, when known, the keyword.
#[derive(Debug, thiserror::Error)]
pub enum KeywordError {
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {}{message}", keyword.as_ref().map(|k| format!("keyword \"{k}\": ")).unwrap_or_default())]
    Parse { file: String, keyword: Option<String>, message: String },
    #[error("{file}: keyword \"{id}\": id must be kebab-case (a-z, 0-9, single dashes)")]
    BadId { file: String, id: String },
    #[error("{file}: keyword \"{id}\": duplicate id (first defined in {first})")]
    DuplicateId { file: String, id: String, first: String },
    #[error("{file}: keyword \"{id}\": alias \"{alias}\" is already claimed by \"{other}\"")]
    AliasConflict { file: String, id: String, alias: String, other: String },
    #[error("{file}: keyword \"{id}\": bad regex {pattern:?}: {message}")]
    BadRegex { file: String, id: String, pattern: String, message: String },
    #[error("{file}: keyword \"{id}\": implies unknown id \"{target}\"")]
    UnknownImplies { file: String, id: String, target: String },
    #[error("{file}: keyword \"{id}\": requires_context names unknown id or category \"{target}\"")]
    UnknownContext { file: String, id: String, target: String },
    #[error("{file}: keyword \"{id}\": {message}")]
    Invalid { file: String, id: String, message: String },
    #[error("could not build the combined keyword regex: {0}")]
    Combined(String),
}

/// The ids issue 3 names: an interface that reports, predictions, scripts and checks rely on.
/// The taxonomy must define every one of them (a test checks), and they are never renamed.
pub const REQUIRED_IDS: &[&str] = &[
    "typescript",
    "javascript",
    "python",
    "go",
    "rust",
    "java",
    "kotlin",
    "csharp",
    "cpp",
    "ruby",
    "php",
    "elixir",
    "scala",
    "swift",
    "nodejs",
    "bun",
    "deno",
    "express",
    "fastify",
    "nestjs",
    "nextjs",
    "react",
    "django",
    "rails",
    "postgresql",
    "mysql",
    "mongodb",
    "redis",
    "sqlite",
    "dynamodb",
    "elasticsearch",
    "clickhouse",
    "snowflake",
    "kafka",
    "rabbitmq",
    "pgvector",
    "vector-database",
    "llm",
    "rag",
    "embeddings",
    "mcp",
    "ai-agents",
    "llm-evaluation",
    "prompt-engineering",
    "kubernetes",
    "docker",
    "terraform",
    "aws",
    "gcp",
    "azure",
    "vercel",
    "cloudflare",
    "edge-computing",
    "serverless",
    "graphql",
    "grpc",
    "rest-api",
    "websocket",
    "openapi",
    "temporal",
    "durable-execution",
    "inngest",
    "bullmq",
    "microservices",
    "monolith",
    "modular-monolith",
    "devops",
    "platform-engineering",
    "sre",
    "observability",
    "opentelemetry",
    "postgis",
    "blockchain",
    "quantum",
];

/// One keyword (id) with its forms and rules, as written in the TOML file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Keyword {
    pub id: String,
    pub label: String,
    pub category: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub case_sensitive: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub weak: Vec<String>,
    #[serde(default)]
    pub weak_case_sensitive: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub soft_exclude: Vec<String>,
    #[serde(default)]
    pub exclude_before: Vec<String>,
    #[serde(default)]
    pub exclude_after: Vec<String>,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub after: Vec<String>,
    #[serde(default)]
    pub near: Vec<String>,
    #[serde(default)]
    pub list_context: bool,
    #[serde(default)]
    pub requires_context: Vec<String>,
    #[serde(default)]
    pub implies: Vec<String>,
    /// The file this keyword came from (not a TOML field).
    #[serde(skip)]
    pub file: String,
}

impl Keyword {
    /// Weak forms (case-insensitive or exact) exist: the keyword needs context for those.
    pub fn has_weak(&self) -> bool {
        !self.weak.is_empty() || !self.weak_case_sensitive.is_empty()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    keyword: Vec<Keyword>,
}

/// The loaded, validated taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    keywords: Vec<Keyword>,
    index: HashMap<String, usize>,
    fingerprint: u64,
}

impl Taxonomy {
    /// The taxonomy built into the binary (`keywords/*.toml` at build time).
    pub fn builtin() -> Result<Taxonomy, KeywordError> {
        Self::from_sources(BUILTIN_FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect())
    }

    /// Every `*.toml` of `dir` except `predictions.toml`, in file-name order.
    pub fn load_dir(dir: &Path) -> Result<Taxonomy, KeywordError> {
        let io = |source| KeywordError::Io { path: dir.to_path_buf(), source };
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".toml") && name != NOT_TAXONOMY && entry.path().is_file() {
                names.push(name);
            }
        }
        names.sort();
        let mut sources = Vec::with_capacity(names.len());
        for name in names {
            let path = dir.join(&name);
            let text =
                std::fs::read_to_string(&path).map_err(|source| KeywordError::Io { path: path.clone(), source })?;
            sources.push((path.display().to_string(), text));
        }
        Self::from_sources(sources)
    }

    /// Parses and validates `(file name, TOML text)` pairs, in the given order.
    pub fn from_sources(sources: Vec<(String, String)>) -> Result<Taxonomy, KeywordError> {
        let mut keywords = Vec::new();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (file, text) in &sources {
            let short = Path::new(file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            hasher.update(short.as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
            let spec: FileSpec = toml::from_str(text).map_err(|e| KeywordError::Parse {
                file: file.clone(),
                keyword: e.span().and_then(|s| keyword_at(text, s.start)),
                message: e.message().trim().to_string(),
            })?;
            for mut k in spec.keyword {
                k.file = file.clone();
                keywords.push(k);
            }
        }
        let tax = Taxonomy {
            index: keywords.iter().enumerate().map(|(i, k)| (k.id.clone(), i)).collect(),
            keywords,
            fingerprint: hasher.digest(),
        };
        tax.validate()?;
        Ok(tax)
    }

    /// All keywords, by file then as written.
    pub fn keywords(&self) -> &[Keyword] {
        &self.keywords
    }

    /// Position of `id` in [`Taxonomy::keywords`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Hash of the taxonomy files (names and contents): changes whenever any rule changes.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Ids of a category, in taxonomy order.
    pub fn category(&self, category: &str) -> Vec<usize> {
        (0..self.keywords.len()).filter(|&i| self.keywords[i].category == category).collect()
    }

    fn validate(&self) -> Result<(), KeywordError> {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        let mut literals: HashMap<String, &str> = HashMap::new();
        let categories: HashSet<&str> = self.keywords.iter().map(|k| k.category.as_str()).collect();
        for k in &self.keywords {
            let file = k.file.clone();
            let err_inv =
                |message: &str| KeywordError::Invalid { file: file.clone(), id: k.id.clone(), message: message.into() };
            if !is_kebab(&k.id) {
                return Err(KeywordError::BadId { file, id: k.id.clone() });
            }
            if let Some(first) = seen.insert(&k.id, &k.file) {
                return Err(KeywordError::DuplicateId { file, id: k.id.clone(), first: first.to_string() });
            }
            if k.label.trim().is_empty() || k.category.trim().is_empty() {
                return Err(err_inv("label and category must not be empty"));
            }
            let forms = k.aliases.len()
                + k.case_sensitive.len()
                + k.patterns.len()
                + k.weak.len()
                + k.weak_case_sensitive.len();
            if forms == 0 {
                return Err(err_inv("no aliases, case_sensitive forms, patterns or weak forms"));
            }
            let has_context = !k.before.is_empty()
                || !k.after.is_empty()
                || !k.near.is_empty()
                || k.list_context
                || !k.requires_context.is_empty();
            if k.has_weak() && !has_context {
                return Err(err_inv(
                    "weak forms need a context rule (before, after, near, list_context or requires_context)",
                ));
            }
            let all_literals = k.aliases.iter().chain(&k.case_sensitive).chain(&k.weak).chain(&k.weak_case_sensitive);
            let mut own = HashSet::new();
            for lit in all_literals {
                if lit.trim().is_empty() || !lit.is_ascii() {
                    return Err(err_inv(&format!("literal {lit:?} must be non-empty ASCII")));
                }
                let lower = lit.to_ascii_lowercase();
                if !own.insert(lower.clone()) {
                    continue;
                }
                if let Some(other) = literals.insert(lower, &k.id) {
                    return Err(KeywordError::AliasConflict {
                        file,
                        id: k.id.clone(),
                        alias: lit.clone(),
                        other: other.to_string(),
                    });
                }
            }
            for p in &k.patterns {
                if let Err(e) = regex::Regex::new(&format!("(?i){p}")) {
                    return Err(KeywordError::BadRegex {
                        file,
                        id: k.id.clone(),
                        pattern: p.clone(),
                        message: e.to_string(),
                    });
                }
            }
            for phrase in k
                .exclude
                .iter()
                .chain(&k.before)
                .chain(&k.after)
                .chain(&k.near)
                .chain(&k.soft_exclude)
                .chain(&k.exclude_before)
                .chain(&k.exclude_after)
            {
                if phrase.is_empty() || !phrase.is_ascii() {
                    return Err(err_inv(&format!("context/exclude phrase {phrase:?} must be non-empty ASCII")));
                }
            }
            for t in &k.implies {
                if !self.index.contains_key(t) || *t == k.id {
                    return Err(KeywordError::UnknownImplies { file, id: k.id.clone(), target: t.clone() });
                }
            }
            for t in &k.requires_context {
                let ok = match t.strip_prefix('@') {
                    Some(cat) => categories.contains(cat),
                    None => self.index.contains_key(t),
                };
                if !ok {
                    return Err(KeywordError::UnknownContext { file, id: k.id.clone(), target: t.clone() });
                }
            }
        }
        Ok(())
    }
}

/// kebab-case: lowercase ASCII letters and digits in dash-separated groups.
pub fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The id of the `[[keyword]]` table that contains byte `pos` of `text`, if it has one.
fn keyword_at(text: &str, pos: usize) -> Option<String> {
    let pos = pos.min(text.len());
    let start = text[..pos].rfind("[[keyword]]")?;
    let end = text[start + 11..].find("[[keyword").map(|e| start + 11 + e).unwrap_or(text.len());
    let block = &text[start..end];
    block.lines().find_map(|line| {
        let line = line.trim();
        let rest = line.strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
        Some(rest.trim_matches(|c| c == '"' || c == '\'').to_string())
    })
}

#[cfg(test)]
mod tests;
