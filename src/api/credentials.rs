//! Finding the Sym token the way the provider does (reference §1.2–1.3) and
//! storing one for `symflow login`.
//!
//! Token order: the variable named by the provider's `jwt_env_var` (default
//! `SYM_JWT`; no fallback from a custom variable to `SYM_JWT`), else the
//! official CLI's config file: `$XDG_CONFIG_HOME/symflow/default/config.yml`
//! when `XDG_CONFIG_HOME` is set, else `$HOME/.config/symflow/default/config.yml`.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

const INSTALL_URL: &str = "https://docs.symops.com/docs/install-sym-flow-cli";
const LOGIN_URL: &str = "https://docs.symops.com/docs/install-sym-flow-cli#login";

/// A secret token. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Token(value.into())
    }

    /// The raw value, for the `Authorization` header only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where the token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// An environment variable (its name).
    Env(String),
    /// The config file.
    ConfigFile(PathBuf),
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Env(name) => write!(f, "${name}"),
            TokenSource::ConfigFile(p) => write!(f, "{}", p.display()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Credentials {
    pub token: Token,
    pub source: TokenSource,
    /// The `org` of the config file, when the token came from it.
    pub config_org: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("no Sym token found: ${var} is not set and there is no config file at {path}")]
    NoConfig { var: String, path: String },
    #[error("no Sym token found: neither $XDG_CONFIG_HOME nor $HOME is set and ${var} is empty")]
    NoHome { var: String },
    #[error("could not read the Sym config file {path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("failed to parse Sym configuration in {path}")]
    Parse { path: String },
    #[error("the Sym config file {path} has no `auth_token.access_token`")]
    NoToken { path: String },
    #[error("you are logged in to `symflow` using the {config_org} org, but the Sym provider is configured with the {provider_org} org")]
    OrgMismatch {
        config_org: String,
        provider_org: String,
    },
}

impl CredentialsError {
    /// What to do about it.
    #[must_use]
    pub fn hint(&self) -> String {
        match self {
            CredentialsError::NoConfig { .. }
            | CredentialsError::NoHome { .. }
            | CredentialsError::NoToken { .. } => format!(
                "run `symflow login --with-token --org ORG` (token on stdin) or set $SYM_JWT; see {INSTALL_URL}"
            ),
            CredentialsError::Unreadable { .. } | CredentialsError::Parse { .. } => {
                format!("fix or remove the file, then run `symflow login --with-token`; see {LOGIN_URL}")
            }
            CredentialsError::OrgMismatch { .. } => format!(
                "log in to the right org (`symflow login --with-token --org ORG`), fix `org` in provider \"sym\", or set SYM_TF_SKIP_VALIDATION=1; see {LOGIN_URL}"
            ),
        }
    }
}

/// The config file symflow and the official CLI use.
#[must_use]
pub fn config_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(xdg) = env("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(xdg).join("symflow/default/config.yml"));
    }
    provider_config_path(env)
}

/// The only file the Terraform provider reads: `$HOME/.config/...`.
#[must_use]
pub fn provider_config_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".config/symflow/default/config.yml"))
}

/// Find the token: `jwt_env_var` (or `SYM_JWT`), then the config file, then
/// the org check of reference §1.3.
///
/// # Errors
/// No token anywhere, an unreadable or invalid config file, an org mismatch.
pub fn resolve(
    env: &dyn Fn(&str) -> Option<String>,
    jwt_env_var: Option<&str>,
    provider_org: Option<&str>,
) -> Result<Credentials, CredentialsError> {
    let var = jwt_env_var
        .filter(|v| !v.is_empty())
        .unwrap_or("SYM_JWT")
        .to_owned();
    if let Some(token) = env(&var).filter(|v| !v.is_empty()) {
        return Ok(Credentials {
            token: Token(token),
            source: TokenSource::Env(var),
            config_org: None,
        });
    }
    let path = config_path(env).ok_or_else(|| CredentialsError::NoHome { var: var.clone() })?;
    let text = match read_config(&path) {
        Ok(Some(t)) => t,
        Ok(None) => {
            return Err(CredentialsError::NoConfig {
                var,
                path: path.display().to_string(),
            })
        }
        Err(message) => {
            return Err(CredentialsError::Unreadable {
                path: path.display().to_string(),
                message,
            })
        }
    };
    let (token, org) = parse_config(&text).map_err(|()| CredentialsError::Parse {
        path: path.display().to_string(),
    })?;
    let Some(token) = token else {
        return Err(CredentialsError::NoToken {
            path: path.display().to_string(),
        });
    };
    let skip = env("SYM_TF_SKIP_VALIDATION").is_some_and(|v| !v.is_empty());
    if let (false, Some(provider_org)) = (skip, provider_org) {
        let cfg = org.clone().unwrap_or_default();
        if cfg != provider_org {
            return Err(CredentialsError::OrgMismatch {
                config_org: cfg,
                provider_org: provider_org.to_owned(),
            });
        }
    }
    Ok(Credentials {
        token: Token(token),
        source: TokenSource::ConfigFile(path),
        config_org: org,
    })
}

/// The largest config file symflow reads (real ones are a few hundred bytes).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The config file's text, `None` when there is none. Only a regular file
/// is read (a FIFO or device would block forever), and at most
/// [`MAX_CONFIG_BYTES`].
fn read_config(path: &Path) -> Result<Option<String>, String> {
    use std::io::Read as _;
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.kind().to_string()),
        Ok(m) if !m.is_file() => return Err("it is not a regular file".to_owned()),
        Ok(m) if m.len() > MAX_CONFIG_BYTES => {
            return Err("it is larger than 1 MiB, so it is not a symflow config".to_owned())
        }
        Ok(_) => {}
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CONFIG_BYTES).read_to_string(&mut text))
        .map_err(|e| e.kind().to_string())?;
    Ok(Some(text))
}

/// `(auth_token.access_token, org)` from the config file's text.
fn parse_config(text: &str) -> Result<(Option<String>, Option<String>), ()> {
    if text.trim().is_empty() {
        return Ok((None, None));
    }
    let doc: serde_norway::Value = serde_norway::from_str(text).map_err(|_| ())?;
    let scalar = |v: &serde_norway::Value| -> Option<String> {
        match v {
            serde_norway::Value::String(s) => Some(s.clone()),
            serde_norway::Value::Number(n) => Some(n.to_string()),
            serde_norway::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    };
    if doc.is_null() {
        return Ok((None, None));
    }
    if !doc.is_mapping() {
        return Err(());
    }
    let token = doc
        .get("auth_token")
        .and_then(|a| a.get("access_token"))
        .and_then(scalar)
        .filter(|t| !t.is_empty());
    let org = doc.get("org").and_then(scalar);
    Ok((token, org))
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the existing config file {path} is not valid YAML, so symflow will not rewrite it")]
    Parse { path: String },
    #[error("could not write {path}: {message}")]
    Io { path: String, message: String },
}

/// Store `token` (and `org`, if given) in the config file at `path`:
/// other keys are kept, the file is replaced atomically with mode 0600, and
/// an existing file is left untouched on any failure.
///
/// # Errors
/// An existing file that is not a YAML mapping, or an I/O failure.
pub fn store(path: &Path, token: &Token, org: Option<&str>) -> Result<(), StoreError> {
    use serde_norway::{Mapping, Value};
    let io_err = |e: &std::io::Error| StoreError::Io {
        path: path.display().to_string(),
        message: e.kind().to_string(),
    };
    let mut doc = match read_config(path) {
        Ok(Some(text)) if text.trim().is_empty() => Mapping::new(),
        Ok(Some(text)) => match serde_norway::from_str::<Value>(&text) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => Mapping::new(),
            _ => {
                return Err(StoreError::Parse {
                    path: path.display().to_string(),
                })
            }
        },
        Ok(None) => Mapping::new(),
        Err(message) => {
            return Err(StoreError::Io {
                path: path.display().to_string(),
                message,
            })
        }
    };
    let key = |s: &str| Value::String(s.to_owned());
    let mut auth = match doc.remove(key("auth_token")) {
        Some(Value::Mapping(m)) => m,
        _ => Mapping::new(),
    };
    auth.insert(
        key("access_token"),
        Value::String(token.expose().to_owned()),
    );
    doc.insert(key("auth_token"), Value::Mapping(auth));
    if let Some(org) = org {
        doc.insert(key("org"), Value::String(org.to_owned()));
    }
    let text = serde_norway::to_string(&Value::Mapping(doc)).map_err(|_| StoreError::Io {
        path: path.display().to_string(),
        message: "could not render YAML".to_owned(),
    })?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io_err(&e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".config.yml.")
        .tempfile_in(dir)
        .map_err(|e| io_err(&e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_err(&e))?;
    }
    tmp.write_all(text.as_bytes()).map_err(|e| io_err(&e))?;
    tmp.as_file().sync_all().map_err(|e| io_err(&e))?;
    tmp.persist(path).map_err(|e| io_err(&e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn env_token_wins_and_skips_org_check() {
        let env = env_of(&[("SYM_JWT", "tok"), ("HOME", "/nonexistent")]);
        let c = resolve(&env, None, Some("acme")).expect("token");
        assert_eq!(c.token.expose(), "tok");
        assert_eq!(c.source, TokenSource::Env("SYM_JWT".into()));
    }

    #[test]
    fn custom_variable_does_not_fall_back_to_sym_jwt() {
        let env = env_of(&[("SYM_JWT", "tok"), ("HOME", "/nonexistent")]);
        let err = resolve(&env, Some("MY_JWT"), None).expect_err("no fallback");
        assert!(matches!(err, CredentialsError::NoConfig { .. }));
    }

    #[test]
    fn xdg_wins_over_home() {
        let env = env_of(&[("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")]);
        assert_eq!(
            config_path(&env),
            Some(PathBuf::from("/x/symflow/default/config.yml"))
        );
        assert_eq!(
            provider_config_path(&env),
            Some(PathBuf::from("/h/.config/symflow/default/config.yml"))
        );
    }

    #[test]
    fn config_file_token_and_org_check() {
        let dir = tempfile::tempdir().expect("tmp");
        let home = dir.path().to_str().expect("utf8").to_owned();
        let path = dir.path().join(".config/symflow/default/config.yml");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            &path,
            "auth_token:\n  access_token: abc\n  expires_in: 86400\nclient_id: x\norg: acme\n",
        )
        .expect("write");
        let env = env_of(&[("HOME", &home)]);
        let c = resolve(&env, None, Some("acme")).expect("ok");
        assert_eq!(c.token.expose(), "abc");
        let err = resolve(&env, None, Some("Acme")).expect_err("case-sensitive");
        assert!(err.to_string().contains("acme org"), "{err}");
        let env = env_of(&[("HOME", &home), ("SYM_TF_SKIP_VALIDATION", "0")]);
        assert!(resolve(&env, None, Some("other")).is_ok());
    }

    #[test]
    fn store_keeps_other_keys_and_sets_mode() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a/config.yml");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            &path,
            "auth_token:\n  access_token: old\n  expires_in: 5\nemail: me@x.io\norg: old-org\n",
        )
        .expect("write");
        store(&path, &Token::new("new"), Some("acme")).expect("store");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(
            parse_config(&text),
            Ok((Some("new".to_owned()), Some("acme".to_owned())))
        );
        assert!(text.contains("email: me@x.io"), "{text}");
        assert!(text.contains("expires_in: 5"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn store_refuses_to_clobber_invalid_yaml() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("config.yml");
        std::fs::write(&path, "- [unclosed").expect("write");
        assert!(store(&path, &Token::new("t"), None).is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "- [unclosed");
    }

    #[test]
    fn token_is_redacted() {
        let t = Token::new("s3cr3t");
        assert!(!format!("{t:?} {t}").contains("s3cr3t"));
    }
}
