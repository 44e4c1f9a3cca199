//! Keyword taxonomy (`keywords/*.toml`) and the matcher that finds its ids in posting text.
//!
//! In: TOML files (built into the binary, plus an optional overlay directory) and plain posting text.
//! Out: a [`Taxonomy`] (ids, labels, categories, rules, a fingerprint of everything that changes matching), ids
//! resolved from user input with "did you mean" suggestions ([`Taxonomy::resolve`]) and, per text, the ids it
//! mentions with mention counts ([`Matcher::find`]) or every candidate span with the rule that accepted or vetoed
//! it ([`Matcher::explain`]).
//!
//! # Built-in taxonomy and `--keywords-dir`
//! The taxonomy built into the binary ([`BUILTIN_FILES`]) is always the base. A directory given with
//! `--keywords-dir DIR` ([`Taxonomy::with_overlay`]) is an overlay on it, keyword by keyword:
//! - a keyword whose id is new is **added** (after the built-in ones, in file-name order);
//! - a keyword whose id exists **replaces** that built-in keyword as a whole (every field: write all the forms and
//!   rules you want to keep; `jobtrend keywords export DIR` writes the built-in files to start from);
//! - `[[keyword]]` with `id = "..."` and `disabled = true` (and nothing else) **removes** a built-in id; other
//!   keywords that `implies` or `requires_context` it must then be replaced or disabled too.
//!
//! Every `*.toml` of the directory except `predictions.toml` is read; an id may appear once in the directory.
//! A literal may still belong to one id only, so moving an alias from a built-in keyword to your own means
//! replacing that built-in keyword too.
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
//! weak_local = ["go"]            # case-insensitive literals that count only with LOCAL context (not requires_context)
//! exclude = ["go-to-market"]     # phrases that veto any form of this keyword overlapping them (word-bounded)
//! soft_exclude = ["go to"]      # like exclude, unless the hit has local context (before/after/near/list)
//! exclude_before = ["."]         # a hit right after one of these strings (no space skipped) is vetoed
//! exclude_after = ["-based"]     # a hit right before one of these strings is vetoed
//! # context for weak forms: any one of these is enough
//! before = ["senior"]            # the word(s) right before the hit (spaces and `-` skipped)
//! after = ["developer"]          # the word(s) right after the hit
//! near = ["workflow"]            # a word within 80 bytes either side
//! list_context = true            # the hit sits in a list next to another keyword ("Python, Go, Rust", "TS/Node")
//! requires_context = ["@language", "aws"]  # the posting also has a strong mention of one of these (not for
//!                                # weak_local forms)
//! implies = ["vector-database"]  # every mention also counts for these ids (transitively)
//! use_statements = true          # a statement of use keeps a weak form: "we use Go", "Stack: Rust", "a React shop"
//! disabled = true                # overlay only: removes the built-in keyword of this id (no other field)
//! ```
//!
//! `use_statements` (see [`matcher::USE_BEFORE`] and [`matcher::USE_AFTER`]) is local context like `before` and
//! `after`, with one phrase list shared by every keyword that sets it.
//!
//! Every literal and pattern goes into ONE regex with ASCII half word boundaries
//! (`(?-u:\b{start-half})(?:...)(?-u:\b{end-half})`, patterns first, then literals longest first); the rules
//! run only on its hits. A literal may belong to one id only (case-insensitively).
//! Files named `predictions.toml` are not part of the taxonomy and are skipped by [`Taxonomy::load_dir`].

mod ids;
pub mod jsonl;
pub mod matcher;
mod phrases;
mod spans;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use ids::split_ids;
pub use matcher::{Explained, Matcher};

/// Version of the matching rules the code applies to a taxonomy (the meaning of each TOML field, the phrase lists
/// of `use_statements`, word boundaries, ...). Bump when matching rules change: [`Taxonomy::fingerprint`] covers it,
/// so anything keyed by the fingerprint (the match index) is rebuilt.
/// 2: statements of use (`use_statements`), `weak_local` forms (never kept by `requires_context`), exact-case
/// forms win over case-insensitive ones.
pub const MATCHER_VERSION: u32 = 2;

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
    #[error("could not build the regex of the keyword patterns: {0}")]
    Patterns(String),
    #[error("{} already exists (pass --force to overwrite)", path.display())]
    Exists { path: PathBuf },
    #[error("unknown keyword id {id:?} ({}list them with: jobtrend keywords)", suggestion.as_ref().map(|s| format!("did you mean {s:?}? ")).unwrap_or_default())]
    UnknownId { id: String, suggestion: Option<String> },
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

/// One keyword (id) with its forms and rules, as written in the TOML file (see the module docs for the fields).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Keyword {
    pub id: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub category: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub case_sensitive: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weak: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weak_case_sensitive: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weak_local: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub soft_exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_before: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_after: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub list_context: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub use_statements: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_context: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub implies: Vec<String>,
    /// Overlay only: remove the built-in keyword of this id.
    #[serde(default, skip_serializing)]
    pub disabled: bool,
    /// The file this keyword came from (not a TOML field).
    #[serde(skip_deserializing)]
    pub file: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Keyword {
    /// Weak forms (case-insensitive or exact) exist: the keyword needs context for those.
    pub fn has_weak(&self) -> bool {
        !self.weak.is_empty() || !self.weak_case_sensitive.is_empty() || !self.weak_local.is_empty()
    }

    /// Every literal form: the aliases, then the case-sensitive, weak, weak case-sensitive and
    /// weak local forms.
    pub fn literals(&self) -> impl Iterator<Item = &String> {
        self.aliases
            .iter()
            .chain(&self.case_sensitive)
            .chain(&self.weak)
            .chain(&self.weak_case_sensitive)
            .chain(&self.weak_local)
    }

    /// Number of forms (literals and patterns) that can match.
    fn forms(&self) -> usize {
        self.aliases.len()
            + self.case_sensitive.len()
            + self.patterns.len()
            + self.weak.len()
            + self.weak_case_sensitive.len()
            + self.weak_local.len()
    }

    /// Feeds every field that changes what matches (not the label, not the file) to `h`, unambiguously.
    fn hash_rules(&self, h: &mut xxhash_rust::xxh3::Xxh3) {
        let lists: [(&str, &Vec<String>); 15] = [
            ("aliases", &self.aliases),
            ("case_sensitive", &self.case_sensitive),
            ("patterns", &self.patterns),
            ("weak", &self.weak),
            ("weak_case_sensitive", &self.weak_case_sensitive),
            ("weak_local", &self.weak_local),
            ("exclude", &self.exclude),
            ("soft_exclude", &self.soft_exclude),
            ("exclude_before", &self.exclude_before),
            ("exclude_after", &self.exclude_after),
            ("before", &self.before),
            ("after", &self.after),
            ("near", &self.near),
            ("requires_context", &self.requires_context),
            ("implies", &self.implies),
        ];
        fn put(h: &mut xxhash_rust::xxh3::Xxh3, s: &str) {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
        put(h, "id");
        put(h, &self.id);
        put(h, "category");
        put(h, &self.category);
        put(h, if self.list_context { "list_context" } else { "-" });
        put(h, if self.use_statements { "use_statements" } else { "-" });
        for (name, list) in lists {
            put(h, name);
            h.update(&(list.len() as u64).to_le_bytes());
            for s in list {
                put(h, s);
            }
        }
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
    builtin: bool,
}

impl Taxonomy {
    /// The taxonomy built into the binary (`keywords/*.toml` at build time).
    pub fn builtin() -> Result<Taxonomy, KeywordError> {
        Ok(Taxonomy { builtin: true, ..Self::from_sources(builtin_sources())? })
    }

    /// The built-in taxonomy with the keywords of `dir` (when given) added, replacing or removing built-in ones by id
    /// (see the module docs). Every command that takes `--keywords-dir` loads its taxonomy through this.
    pub fn with_overlay(dir: Option<&Path>) -> Result<Taxonomy, KeywordError> {
        let Some(dir) = dir else { return Self::builtin() };
        let base = parse_sources(&builtin_sources())?;
        let overlay = parse_sources(&read_dir_sources(dir)?)?;
        let builtin_fp = fingerprint_of(&base);
        let mut keywords = base;
        let mut seen: HashMap<String, String> = HashMap::new();
        for k in overlay {
            if let Some(first) = seen.insert(k.id.clone(), k.file.clone()) {
                return Err(KeywordError::DuplicateId { file: k.file, id: k.id, first });
            }
            let pos = keywords.iter().position(|b| b.id == k.id);
            if k.disabled {
                let Some(pos) = pos else {
                    return Err(KeywordError::Invalid {
                        file: k.file,
                        id: k.id,
                        message: "disabled = true names no built-in keyword".into(),
                    });
                };
                if k.forms() > 0 || !k.label.is_empty() || !k.category.is_empty() {
                    return Err(KeywordError::Invalid {
                        file: k.file,
                        id: k.id,
                        message: "disabled = true takes no other field than id".into(),
                    });
                }
                keywords.remove(pos);
            } else if let Some(pos) = pos {
                keywords[pos] = k;
            } else {
                keywords.push(k);
            }
        }
        let tax = Self::from_keywords(keywords)?;
        Ok(Taxonomy { builtin: tax.fingerprint == builtin_fp, ..tax })
    }

    /// Every `*.toml` of `dir` except `predictions.toml`, in file-name order, on its own (without the built-in
    /// taxonomy; commands use [`Taxonomy::with_overlay`]).
    pub fn load_dir(dir: &Path) -> Result<Taxonomy, KeywordError> {
        Self::from_sources(read_dir_sources(dir)?)
    }

    /// Parses and validates `(file name, TOML text)` pairs, in the given order.
    pub fn from_sources(sources: Vec<(String, String)>) -> Result<Taxonomy, KeywordError> {
        let keywords = parse_sources(&sources)?;
        if let Some(k) = keywords.iter().find(|k| k.disabled) {
            return Err(KeywordError::Invalid {
                file: k.file.clone(),
                id: k.id.clone(),
                message: "disabled = true only applies to a --keywords-dir overlay of the built-in taxonomy".into(),
            });
        }
        Self::from_keywords(keywords)
    }

    fn from_keywords(keywords: Vec<Keyword>) -> Result<Taxonomy, KeywordError> {
        let tax = Taxonomy {
            index: keywords.iter().enumerate().map(|(i, k)| (k.id.clone(), i)).collect(),
            fingerprint: fingerprint_of(&keywords),
            keywords,
            builtin: false,
        };
        tax.validate()?;
        Ok(tax)
    }

    /// All keywords, by file then as written (overlay additions last).
    pub fn keywords(&self) -> &[Keyword] {
        &self.keywords
    }

    /// Position of `id` in [`Taxonomy::keywords`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The keyword of `id`.
    pub fn get(&self, id: &str) -> Option<&Keyword> {
        self.index_of(id).map(|i| &self.keywords[i])
    }

    /// Hash of everything that changes what matches: [`MATCHER_VERSION`] and, per keyword in order, its id,
    /// category and every form and rule (not labels, file names, comments or layout). Equal taxonomies have equal
    /// fingerprints whether built in, exported and loaded back, or overlaid.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// True when the rules equal the built-in taxonomy's (no overlay, or one that changes nothing).
    pub fn is_builtin(&self) -> bool {
        self.builtin
    }

    /// Ids of a category, in taxonomy order.
    pub fn category(&self, category: &str) -> Vec<usize> {
        (0..self.keywords.len()).filter(|&i| self.keywords[i].category == category).collect()
    }

    /// The categories, sorted and unique.
    pub fn categories(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.keywords.iter().map(|k| k.category.as_str()).collect();
        c.sort_unstable();
        c.dedup();
        c
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
            if k.forms() == 0 {
                return Err(err_inv("no aliases, case_sensitive forms, patterns or weak forms"));
            }
            let has_context = !k.before.is_empty()
                || !k.after.is_empty()
                || !k.near.is_empty()
                || k.list_context
                || k.use_statements
                || !k.requires_context.is_empty();
            if k.has_weak() && !has_context {
                return Err(err_inv(
                    "weak forms need a context rule (before, after, near, list_context, use_statements or requires_context)",
                ));
            }
            check_literals(k, &mut literals)?;
            check_patterns_and_phrases(k)?;
            self.check_targets(k, &categories)?;
        }
        Ok(())
    }

    /// `implies` targets are other keywords; `requires_context` targets are keywords or `@category`s.
    fn check_targets(&self, k: &Keyword, categories: &HashSet<&str>) -> Result<(), KeywordError> {
        let file = || k.file.clone();
        for t in &k.implies {
            if !self.index.contains_key(t) || *t == k.id {
                return Err(KeywordError::UnknownImplies { file: file(), id: k.id.clone(), target: t.clone() });
            }
        }
        for t in &k.requires_context {
            let ok = match t.strip_prefix('@') {
                Some(cat) => categories.contains(cat),
                None => self.index.contains_key(t),
            };
            if !ok {
                return Err(KeywordError::UnknownContext { file: file(), id: k.id.clone(), target: t.clone() });
            }
        }
        Ok(())
    }
}

/// Every literal form of `k` is non-empty ASCII and no other keyword has it (case-insensitively);
/// `literals` maps the lowercase forms seen so far to their keyword.
fn check_literals<'a>(k: &'a Keyword, literals: &mut HashMap<String, &'a str>) -> Result<(), KeywordError> {
    let mut own = HashSet::new();
    for lit in k.literals() {
        if lit.trim().is_empty() || !lit.is_ascii() {
            return Err(KeywordError::Invalid {
                file: k.file.clone(),
                id: k.id.clone(),
                message: format!("literal {lit:?} must be non-empty ASCII"),
            });
        }
        let lower = lit.to_ascii_lowercase();
        if !own.insert(lower.clone()) {
            continue;
        }
        if let Some(other) = literals.insert(lower, &k.id) {
            return Err(KeywordError::AliasConflict {
                file: k.file.clone(),
                id: k.id.clone(),
                alias: lit.clone(),
                other: other.to_string(),
            });
        }
    }
    Ok(())
}

/// Every pattern of `k` compiles and cannot match the empty string; every context and exclude
/// phrase is non-empty ASCII.
fn check_patterns_and_phrases(k: &Keyword) -> Result<(), KeywordError> {
    for p in &k.patterns {
        let message = match regex::Regex::new(&format!("(?i){p}")) {
            Err(e) => e.to_string(),
            // It would count a mention at every position.
            Ok(re) if re.is_match("") => "it matches the empty string".to_string(),
            Ok(_) => continue,
        };
        return Err(KeywordError::BadRegex { file: k.file.clone(), id: k.id.clone(), pattern: p.clone(), message });
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
            return Err(KeywordError::Invalid {
                file: k.file.clone(),
                id: k.id.clone(),
                message: format!("context/exclude phrase {phrase:?} must be non-empty ASCII"),
            });
        }
    }
    Ok(())
}

/// Writes the built-in taxonomy files into `dir` (created when missing), each atomically (temporary file in `dir`,
/// then rename; the mode follows the umask). Without `force`, nothing is written when any of them exists.
/// Returns the paths written.
pub fn export_builtin(dir: &Path, force: bool) -> Result<Vec<PathBuf>, KeywordError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| KeywordError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let paths: Vec<PathBuf> = BUILTIN_FILES.iter().map(|(name, _)| dir.join(name)).collect();
    if !force && let Some(p) = paths.iter().find(|p| p.exists()) {
        return Err(KeywordError::Exists { path: p.clone() });
    }
    for ((name, text), path) in BUILTIN_FILES.iter().zip(&paths) {
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::write(&tmp, text).map_err(io(&tmp))?;
        if let Err(source) = std::fs::rename(&tmp, path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(KeywordError::Io { path: path.clone(), source });
        }
    }
    Ok(paths)
}

/// `(file name, TOML text)` of the built-in files.
fn builtin_sources() -> Vec<(String, String)> {
    BUILTIN_FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect()
}

/// `(path, TOML text)` of every `*.toml` of `dir` except `predictions.toml`, in file-name order.
fn read_dir_sources(dir: &Path) -> Result<Vec<(String, String)>, KeywordError> {
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
        let text = std::fs::read_to_string(&path).map_err(|source| KeywordError::Io { path: path.clone(), source })?;
        sources.push((path.display().to_string(), text));
    }
    Ok(sources)
}

/// The keywords of `(file name, TOML text)` pairs, in order, each tagged with its file. Not validated.
fn parse_sources(sources: &[(String, String)]) -> Result<Vec<Keyword>, KeywordError> {
    let mut keywords = Vec::new();
    for (file, text) in sources {
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
    Ok(keywords)
}

/// [`Taxonomy::fingerprint`] of a keyword list.
fn fingerprint_of(keywords: &[Keyword]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&MATCHER_VERSION.to_le_bytes());
    h.update(&(keywords.len() as u64).to_le_bytes());
    for k in keywords {
        k.hash_rules(&mut h);
    }
    h.digest()
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
#[cfg(test)]
mod tests_spans;
