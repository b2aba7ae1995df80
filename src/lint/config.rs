//! `.symflow.toml`: project configuration for `validate`.
//!
//! ```toml
//! # paths (globs, relative to this file) whose findings are dropped
//! ignore = ["legacy/**", "modules/vendor/*.tf"]
//!
//! [rules]            # severity per rule (code or name): error | warning | off
//! unknown-setting = "error"
//! SF209 = "off"
//! ```
//!
//! Unknown keys, unknown rules and unknown levels are errors: a typo in the
//! config must not silently switch a check off.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::diag::Severity;
use crate::lint::registry;

/// The file name searched for upwards from the working directory.
pub const FILE_NAME: &str = ".symflow.toml";

/// A configured level for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// A checked configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it came from (`None`: defaults).
    pub path: Option<PathBuf>,
    /// Directory globs are relative to.
    pub base: PathBuf,
    /// Rule code -> level.
    pub levels: BTreeMap<&'static str, Level>,
    pub ignore: Vec<Glob>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
}

impl Config {
    /// Parse configuration text; `path` is used in messages and as the base
    /// of `ignore` globs.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| invalid(one_line(&e.to_string())))?;
        let mut levels = BTreeMap::new();
        for (key, level) in &raw.rules {
            let rule = registry::find(key).ok_or_else(|| {
                invalid(format!(
                    "unknown rule `{key}` in [rules] (see `symflow validate --list-rules`)"
                ))
            })?;
            let level = match level.to_ascii_lowercase().as_str() {
                "error" | "deny" => Level::Error,
                "warning" | "warn" => Level::Warning,
                "off" | "allow" => Level::Off,
                _ => {
                    return Err(invalid(format!(
                        "rule `{key}` has level `{level}`; expected `error`, `warning` or `off`"
                    )))
                }
            };
            levels.insert(rule.info().code, level);
        }
        let ignore = raw
            .ignore
            .iter()
            .map(|g| Glob::new(g).map_err(|m| invalid(format!("ignore pattern `{g}`: {m}"))))
            .collect::<Result<_, _>>()?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            levels,
            ignore,
        })
    }

    /// Read a config file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Find `.symflow.toml` in `start` or a parent directory.
    #[must_use]
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// The level of a rule: configured, else its default severity.
    #[must_use]
    pub fn level(&self, code: &str, default: Severity) -> Level {
        self.levels.get(code).copied().unwrap_or(match default {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        })
    }

    /// Whether findings in `path` are dropped. `path` should be absolute
    /// (or relative to the same directory as the config's base).
    #[must_use]
    pub fn is_ignored(&self, path: &Path) -> bool {
        if self.ignore.is_empty() {
            return false;
        }
        let path = normalize(path);
        let base = normalize(&self.base);
        let Ok(rel) = path.strip_prefix(&base) else {
            return false;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        self.ignore.iter().any(|g| g.matches_path(&rel))
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lexically normalise a path: drop `.`, resolve `..` where possible.
#[must_use]
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path glob: `*` and `?` within a segment, `**` across segments. A
/// pattern that matches a directory also matches everything under it.
#[derive(Debug, Clone)]
pub struct Glob {
    segments: Vec<String>,
}

impl Glob {
    /// Compile a pattern.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let p = pattern
            .trim()
            .trim_start_matches("./")
            .trim_end_matches('/');
        if p.is_empty() {
            return Err("the pattern is empty".to_owned());
        }
        if p.starts_with('/') {
            return Err("patterns are relative to the config file's directory".to_owned());
        }
        Ok(Glob {
            segments: p.split('/').map(str::to_owned).collect(),
        })
    }

    /// Match a `/`-separated relative path (or any of its parent directories).
    #[must_use]
    pub fn matches_path(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        (1..=parts.len()).any(|n| match_segments(&self.segments, &parts[..n]))
    }
}

fn match_segments(pat: &[String], parts: &[&str]) -> bool {
    match pat.split_first() {
        None => parts.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=parts.len()).any(|skip| match_segments(rest, &parts[skip..]))
        }
        Some((first, rest)) => match parts.split_first() {
            Some((p, prest)) => {
                match_one(first.as_bytes(), p.as_bytes()) && match_segments(rest, prest)
            }
            None => false,
        },
    }
}

fn match_one(pat: &[u8], s: &[u8]) -> bool {
    match pat.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| match_one(rest, &s[i..])),
        Some((b'?', rest)) => !s.is_empty() && match_one(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && match_one(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let g = Glob::new("legacy/**").expect("glob");
        assert!(g.matches_path("legacy/main.tf"));
        assert!(g.matches_path("legacy/a/b.tf"));
        assert!(!g.matches_path("modern/main.tf"));
        let g = Glob::new("*.py").expect("glob");
        assert!(g.matches_path("impl.py"));
        assert!(!g.matches_path("impls/x.py"));
        let g = Glob::new("**/*.py").expect("glob");
        assert!(g.matches_path("impls/x.py"));
        assert!(g.matches_path("x.py"));
        let g = Glob::new("vendor").expect("glob");
        assert!(g.matches_path("vendor/main.tf"));
        assert!(Glob::new("").is_err());
    }

    #[test]
    fn unknown_keys_and_rules_are_rejected() {
        let p = Path::new("/x/.symflow.toml");
        let e = Config::parse("ignores = []\n", p).expect_err("unknown key");
        assert!(e.to_string().contains("unknown field `ignores`"), "{e}");
        let e = Config::parse("[rules]\nno-such-rule = \"off\"\n", p).expect_err("rule");
        assert!(e.to_string().contains("unknown rule `no-such-rule`"), "{e}");
    }

    #[test]
    fn ignore_is_relative_to_the_config() {
        let c = Config::parse("ignore = [\"legacy\"]\n", Path::new("/repo/.symflow.toml"))
            .expect("config");
        assert!(c.is_ignored(Path::new("/repo/legacy/main.tf")));
        assert!(c.is_ignored(Path::new("/repo/./legacy/../legacy/main.tf")));
        assert!(!c.is_ignored(Path::new("/repo/main.tf")));
        assert!(!c.is_ignored(Path::new("/other/legacy/main.tf")));
    }
}
