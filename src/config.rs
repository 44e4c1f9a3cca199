//! The run configuration (`jobtrend.toml`).
//!
//! In: TOML text and the config file's path. Out: a [`RunConfig`] whose relative paths are
//! resolved against the config file's folder. Unknown fields are errors that name the field.
//!
//! ```toml
//! data = "data"          # dataset directory
//! reports = "reports"    # report directory
//! [[sources]]
//! kind = "html"          # html | hn | greenhouse | lever | ashby | smartrecruiters | workable | remoteok | remotive | arbeitnow | feed
//! path = "data/samples"  # option names as on the command line: path, since, until, base_url, board, company, url
//! [[sources]]
//! kind = "ashby"
//! boards_file = "ashby-boards.txt"   # ATS kinds: one board per line, `#` comments (with or instead of `board`)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A string or a list of strings (`board = "acme"` or `board = ["acme", "globex"]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Html,
    Hn,
    Greenhouse,
    Lever,
    Remoteok,
    Remotive,
    Arbeitnow,
    Feed,
    Ashby,
    Smartrecruiters,
    Workable,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Html => "html",
            SourceKind::Hn => "hn",
            SourceKind::Greenhouse => "greenhouse",
            SourceKind::Lever => "lever",
            SourceKind::Remoteok => "remoteok",
            SourceKind::Remotive => "remotive",
            SourceKind::Arbeitnow => "arbeitnow",
            SourceKind::Feed => "feed",
            SourceKind::Ashby => "ashby",
            SourceKind::Smartrecruiters => "smartrecruiters",
            SourceKind::Workable => "workable",
        }
    }
}

/// One `[[sources]]` entry.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub kind: SourceKind,
    /// html: files or directories.
    pub path: Option<OneOrMany>,
    /// html: date for pages that state none (YYYY-MM-DD).
    pub date: Option<chrono::NaiveDate>,
    /// hn: first and last month.
    pub since: Option<String>,
    pub until: Option<String>,
    /// hn: fetch complete months again.
    #[serde(default)]
    pub refresh: bool,
    /// Network sources: a mirror, proxy or test server instead of the real service.
    pub base_url: Option<String>,
    /// greenhouse: board tokens.
    pub board: Option<OneOrMany>,
    /// lever: company ids.
    pub company: Option<OneOrMany>,
    /// feed: feed URLs.
    pub url: Option<OneOrMany>,
    /// ATS kinds (greenhouse, lever, ashby, smartrecruiters, workable): a file of boards, one per
    /// line, `#` comments; added to `board` / `company`.
    pub boards_file: Option<PathBuf>,
    /// A name for logs and the run log (default: the kind).
    pub name: Option<String>,
}

impl SourceConfig {
    pub fn name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.kind.as_str().to_string())
    }
}

/// The whole file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    #[serde(default = "default_data")]
    pub data: PathBuf,
    /// True when the file sets `data` (see [`RunConfig::data_dir`]).
    #[serde(skip)]
    pub data_given: bool,
    #[serde(default = "default_reports")]
    pub reports: PathBuf,
    /// Predictions file (default: built in).
    pub predictions: Option<PathBuf>,
    /// Keyword taxonomy directory (default: built in).
    pub keywords: Option<PathBuf>,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
}

fn default_data() -> PathBuf {
    "data".into()
}
fn default_reports() -> PathBuf {
    "reports".into()
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{}: sources[{index}] ({kind}): {message}", path.display())]
    Source { path: PathBuf, index: usize, kind: &'static str, message: String },
}

impl RunConfig {
    /// Reads and checks a config file, resolving relative paths against its folder.
    pub fn load(path: &Path) -> Result<RunConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<RunConfig, ConfigError> {
        let parse_err = |e: toml::de::Error| ConfigError::Parse { path: path.into(), message: e.to_string() };
        let mut cfg: RunConfig = toml::from_str(text).map_err(parse_err)?;
        let table: toml::Table = toml::from_str(text).map_err(parse_err)?;
        cfg.data_given = table.contains_key("data");
        if let Some(toml::Value::Array(srcs)) = table.get("sources") {
            for (i, (src, s)) in srcs.iter().zip(&cfg.sources).enumerate() {
                check_fields(src, s.kind).map_err(|message| ConfigError::Source {
                    path: path.into(),
                    index: i,
                    kind: s.kind.as_str(),
                    message,
                })?;
            }
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &Path| if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
        cfg.data = resolve(&cfg.data);
        cfg.reports = resolve(&cfg.reports);
        cfg.predictions = cfg.predictions.as_deref().map(resolve);
        cfg.keywords = cfg.keywords.as_deref().map(resolve);
        for (i, s) in cfg.sources.iter_mut().enumerate() {
            let err = |message: &str| ConfigError::Source {
                path: path.into(),
                index: i,
                kind: s.kind.as_str(),
                message: message.to_string(),
            };
            let need = |ok: bool, what: &str| if ok { Ok(()) } else { Err(err(what)) };
            match s.kind {
                SourceKind::Html => need(s.path.is_some(), "needs `path`")?,
                SourceKind::Greenhouse | SourceKind::Ashby | SourceKind::Smartrecruiters | SourceKind::Workable => {
                    need(s.board.is_some() || s.boards_file.is_some(), "needs `board` or `boards_file`")?
                }
                SourceKind::Lever => {
                    need(s.company.is_some() || s.boards_file.is_some(), "needs `company` or `boards_file`")?
                }
                SourceKind::Feed => need(s.url.is_some(), "needs `url`")?,
                _ => {}
            }
            for m in [&s.since, &s.until].into_iter().flatten() {
                need(crate::posting::is_month(m), &format!("`since`/`until` must be YYYY-MM, got {m:?}"))?;
            }
            s.boards_file = s.boards_file.as_deref().map(resolve);
            if let Some(p) = &s.path {
                s.path = Some(OneOrMany::Many(
                    p.to_vec().iter().map(|x| resolve(Path::new(x)).display().to_string()).collect(),
                ));
            }
        }
        Ok(cfg)
    }
}

/// The fields a source of this kind takes (besides `kind` and `name`).
pub fn fields_of(kind: SourceKind) -> &'static [&'static str] {
    match kind {
        SourceKind::Html => &["path", "date"],
        SourceKind::Hn => &["since", "until", "refresh", "base_url"],
        SourceKind::Greenhouse | SourceKind::Ashby | SourceKind::Smartrecruiters | SourceKind::Workable => {
            &["board", "boards_file", "base_url"]
        }
        SourceKind::Lever => &["company", "boards_file", "base_url"],
        SourceKind::Remoteok | SourceKind::Remotive | SourceKind::Arbeitnow => &["base_url"],
        SourceKind::Feed => &["url", "base_url"],
    }
}

/// A field that does not belong to its source's kind (`board` on an `html` source) is an error.
fn check_fields(src: &toml::Value, kind: SourceKind) -> Result<(), String> {
    let Some(t) = src.as_table() else { return Ok(()) };
    let allowed = fields_of(kind);
    for key in t.keys() {
        if key != "kind" && key != "name" && !allowed.contains(&key.as_str()) {
            return Err(format!(
                "`{key}` does not apply to a {k} source ({k} takes: {})",
                allowed.join(", "),
                k = kind.as_str()
            ));
        }
    }
    Ok(())
}

/// Where the dataset directory came from (logged at info by `run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataChoice {
    Flag,
    Config,
    Env,
    Default,
}

impl RunConfig {
    /// The dataset directory of a run: `--data` on the command line, else the config's `data`,
    /// else `JOBTREND_DATA`, else `data` beside the config file.
    pub fn data_dir(&self, cli_data: &Path, origin: crate::cli::DataOrigin) -> (PathBuf, DataChoice) {
        use crate::cli::DataOrigin;
        match origin {
            DataOrigin::Flag => (cli_data.to_path_buf(), DataChoice::Flag),
            _ if self.data_given => (self.data.clone(), DataChoice::Config),
            DataOrigin::Env => (cli_data.to_path_buf(), DataChoice::Env),
            DataOrigin::Default => (self.data.clone(), DataChoice::Default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_against_the_config_folder() {
        let cfg = RunConfig::parse(
            "data = \"d\"\n[[sources]]\nkind = \"html\"\npath = \"samples\"\n[[sources]]\nkind = \"hn\"\nsince = \"2024-01\"\n",
            Path::new("/etc/jobtrend/jobtrend.toml"),
        )
        .unwrap();
        assert_eq!(cfg.data, PathBuf::from("/etc/jobtrend/d"));
        assert_eq!(cfg.reports, PathBuf::from("/etc/jobtrend/reports"));
        assert_eq!(cfg.sources[0].path, Some(OneOrMany::Many(vec!["/etc/jobtrend/samples".into()])));
        assert_eq!(cfg.sources[1].kind, SourceKind::Hn);
    }

    #[test]
    fn unknown_fields_are_named() {
        let e = RunConfig::parse("[[sources]]\nkind = \"html\"\npaht = \"x\"\n", Path::new("j.toml")).unwrap_err();
        assert!(e.to_string().contains("unknown field `paht`"), "{e}");
        let e = RunConfig::parse("datadir = \"x\"\n", Path::new("j.toml")).unwrap_err();
        assert!(e.to_string().contains("unknown field `datadir`"), "{e}");
    }

    #[test]
    fn fields_of_another_kind_are_named() {
        let e = RunConfig::parse("[[sources]]\nkind = \"html\"\npath = \"p\"\nboard = \"acme\"\n", Path::new("j.toml"))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "j.toml: sources[0] (html): `board` does not apply to a html source (html takes: path, date)"
        );
        let e = RunConfig::parse("[[sources]]\nkind = \"remotive\"\nsince = \"2024-01\"\n", Path::new("j.toml"))
            .unwrap_err();
        assert!(e.to_string().contains("`since` does not apply to a remotive source"), "{e}");
        RunConfig::parse("[[sources]]\nkind = \"hn\"\nname = \"x\"\nrefresh = true\n", Path::new("j.toml")).unwrap();
    }

    #[test]
    fn data_precedence_flag_config_env_default() {
        use crate::cli::DataOrigin;
        let given = RunConfig::parse("data = \"d\"\n", Path::new("/c/j.toml")).unwrap();
        let absent = RunConfig::parse("", Path::new("/c/j.toml")).unwrap();
        let cli = Path::new("/flag-or-env");
        assert_eq!(given.data_dir(cli, DataOrigin::Flag), (cli.to_path_buf(), DataChoice::Flag));
        assert_eq!(given.data_dir(cli, DataOrigin::Env), (PathBuf::from("/c/d"), DataChoice::Config));
        assert_eq!(absent.data_dir(cli, DataOrigin::Env), (cli.to_path_buf(), DataChoice::Env));
        assert_eq!(absent.data_dir(cli, DataOrigin::Default), (PathBuf::from("/c/data"), DataChoice::Default));
    }

    #[test]
    fn missing_options_are_named() {
        let e = RunConfig::parse("[[sources]]\nkind = \"greenhouse\"\n", Path::new("j.toml")).unwrap_err();
        assert_eq!(e.to_string(), "j.toml: sources[0] (greenhouse): needs `board` or `boards_file`");
        let cfg = RunConfig::parse("[[sources]]\nkind = \"ashby\"\nboards_file = \"b.txt\"\n", Path::new("/c/j.toml"))
            .unwrap();
        assert_eq!(cfg.sources[0].boards_file, Some(PathBuf::from("/c/b.txt")));
        let e = RunConfig::parse("[[sources]]\nkind = \"hn\"\nsince = \"2024\"\n", Path::new("j.toml")).unwrap_err();
        assert!(e.to_string().contains("YYYY-MM"), "{e}");
    }
}
