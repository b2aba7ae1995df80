//! The Sym HTTP API client: one blocking reqwest client (rustls, timeouts,
//! `symflow/<version>` user agent), a fresh `X-Sym-Request-ID` per request,
//! typed errors for every status the API answers with, typed entities for
//! every `/entities/...` collection, credentials and retries.
//!
//! The client knows nothing of HCL: it speaks JSON and [`entities::Fields`].

pub mod credentials;
pub mod entities;
pub mod retry;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

pub use credentials::{Credentials, Token, TokenSource};
pub use entities::Kind;

/// The production API.
pub const DEFAULT_API_URL: &str = "https://api.symops.com/api/v1";

const SUPPORT_URL: &str = "https://docs.symops.com/docs/support";
const LOGIN_URL: &str = "https://docs.symops.com/docs/install-sym-flow-cli#login";
const ADMIN_URL: &str = "https://docs.symops.com/docs/adding-a-new-admin";

/// One `{field, message}` item of a 400/409 answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct FieldError {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub message: String,
}

/// The error document of a 400 or 409 answer.
#[derive(Debug, Clone, Default, serde::Deserialize)]
struct ErrorDoc {
    #[serde(default)]
    errors: Vec<FieldError>,
    #[serde(default)]
    is_retryable: bool,
}

/// What went wrong with one request. Every variant names the request id so
/// that Sym support can find it; none carries the token.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// 400 or 409: the server's validation messages.
    #[error("the Sym API rejected {method} {path} ({status}): {} (request id {request_id})", render_field_errors(.errors))]
    BadRequest {
        method: String,
        path: String,
        status: u16,
        errors: Vec<FieldError>,
        retryable: bool,
        request_id: String,
    },
    #[error("the Sym API did not accept the access token for {method} {path} (401, request id {request_id})")]
    Unauthorized {
        method: String,
        path: String,
        request_id: String,
    },
    #[error("the Sym API refused {method} {path}: your role must be `admin` (403, request id {request_id})")]
    Forbidden {
        method: String,
        path: String,
        request_id: String,
    },
    #[error("the Sym API has no {path} (404, request id {request_id})")]
    NotFound {
        method: String,
        path: String,
        request_id: String,
    },
    #[error("the Sym API answered {method} {path} with status {status} (request id {request_id})")]
    Status {
        method: String,
        path: String,
        status: u16,
        retry_after: Option<Duration>,
        retryable: bool,
        request_id: String,
    },
    /// No answer: connection refused or reset, timeout, a dropped connection.
    #[error("no answer from the Sym API to {method} {path}: {message} (request id {request_id})")]
    Transport {
        method: String,
        path: String,
        message: String,
        /// True when the request may have reached the server (its effect
        /// is unknown); false when the connection was never made.
        maybe_applied: bool,
        request_id: String,
    },
    /// An answer that is not the JSON we expect.
    #[error("the Sym API sent an answer to {method} {path} that symflow does not understand: {message} (request id {request_id})")]
    Decode {
        method: String,
        path: String,
        message: String,
        request_id: String,
    },
}

fn render_field_errors(errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return "no reason given".to_owned();
    }
    errors
        .iter()
        .map(|e| {
            if e.field.is_empty() {
                e.message.clone()
            } else {
                format!("{}: {}", e.field, e.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl ApiError {
    /// Worth another try: connection problems, timeouts, 429, 5xx and
    /// answers the server marks `is_retryable`.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Transport { .. } => true,
            ApiError::Status {
                status, retryable, ..
            } => *retryable || *status == 429 || *status >= 500,
            ApiError::BadRequest { retryable, .. } => *retryable,
            _ => false,
        }
    }

    /// The server's `Retry-After`, if it sent one.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True when a write may have been applied although we got no answer
    /// (or an answer we could not trust), so it must be re-read before it
    /// is repeated.
    #[must_use]
    pub fn effect_unknown(&self) -> bool {
        match self {
            ApiError::Transport { maybe_applied, .. } => *maybe_applied,
            // A gateway error or a truncated answer may hide a write that
            // went through.
            ApiError::Status { status, .. } => *status >= 500,
            ApiError::Decode { .. } => true,
            _ => false,
        }
    }

    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
    }

    /// A hint for the user, with the relevant docs link.
    #[must_use]
    pub fn hint(&self) -> String {
        match self {
            ApiError::BadRequest { .. } => {
                format!("fix the values the server names; for more details, see {SUPPORT_URL}")
            }
            ApiError::Unauthorized { .. } => format!(
                "run `symflow login --with-token` or set $SYM_JWT with a valid Sym access token; see {LOGIN_URL}"
            ),
            ApiError::Forbidden { .. } => format!(
                "have an existing Sym admin update your role; see {ADMIN_URL}"
            ),
            ApiError::NotFound { .. } => format!(
                "check --api-url / $SYM_API_URL (it must end in /api/v1); see {SUPPORT_URL}"
            ),
            ApiError::Status { .. } | ApiError::Decode { .. } => format!(
                "try again later; if it persists, contact Sym support with the request id: {SUPPORT_URL}"
            ),
            ApiError::Transport { .. } => {
                "check your network and the API URL, then run the command again".to_owned()
            }
        }
    }
}

/// A line the client reports about each request (for `-v`). Never contains
/// the token.
pub type RequestLog = Arc<dyn Fn(&str) + Send + Sync>;

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: String,
    pub connect_timeout: Duration,
    pub timeout: Duration,
}

impl ClientOptions {
    #[must_use]
    pub fn new(base_url: &str) -> Self {
        ClientOptions {
            base_url: base_url.to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why an API URL is refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("`{0}` is not a valid API URL")]
    Invalid(String),
    #[error("refusing to send the Sym token over plain HTTP to `{0}`")]
    Insecure(String),
}

/// Check an API base URL: https anywhere, http only to a loopback host.
///
/// # Errors
/// A URL that does not parse, uses another scheme, or is plain HTTP to a
/// non-loopback host.
pub fn check_base_url(url: &str) -> Result<reqwest::Url, UrlError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| UrlError::Invalid(url.to_owned()))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" => {
            let loopback = match parsed.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if loopback {
                Ok(parsed)
            } else {
                Err(UrlError::Insecure(url.to_owned()))
            }
        }
        _ => Err(UrlError::Invalid(url.to_owned())),
    }
}

/// The blocking Sym API client. Cheap to clone; safe to share across threads.
#[derive(Clone)]
pub struct Client {
    http: reqwest::blocking::Client,
    base: String,
    token: Token,
    log: Option<RequestLog>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `options.base_url` authenticating with `token`.
    ///
    /// # Errors
    /// An unacceptable URL, or a TLS backend that fails to start.
    pub fn new(options: &ClientOptions, token: Token) -> Result<Self, ClientError> {
        check_base_url(&options.base_url)?;
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("symflow/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| ClientError::Build(e.without_url().to_string()))?;
        Ok(Client {
            http,
            base: options.base_url.trim_end_matches('/').to_owned(),
            token,
            log: None,
        })
    }

    /// Report each request (method, path, status, time, request id).
    #[must_use]
    pub fn with_log(mut self, log: RequestLog) -> Self {
        self.log = Some(log);
        self
    }

    /// `GET path` (a single object).
    ///
    /// # Errors
    /// See [`ApiError`].
    pub fn get(&self, path: &str) -> Result<Json, ApiError> {
        self.request(reqwest::Method::GET, path, &[], None)
    }

    /// `GET collection?key=value...`: a lookup, answered with a JSON list.
    /// With an empty query, the whole collection.
    ///
    /// # Errors
    /// See [`ApiError`]; an answer that is not a list is a decode error.
    pub fn list(&self, collection: &str, query: &[(&str, &str)]) -> Result<Vec<Json>, ApiError> {
        let answer = self.request(reqwest::Method::GET, collection, query, None)?;
        match answer {
            Json::Array(items) => Ok(items),
            other => Err(ApiError::Decode {
                method: "GET".to_owned(),
                path: display_path(collection, query),
                message: format!("expected a list, got {}", json_kind(&other)),
                request_id: String::new(),
            }),
        }
    }

    /// `POST collection` with a JSON body.
    ///
    /// # Errors
    /// See [`ApiError`].
    pub fn post(&self, collection: &str, body: &Json) -> Result<Json, ApiError> {
        self.request(reqwest::Method::POST, collection, &[], Some(body))
    }

    /// `PATCH path` with a JSON body.
    ///
    /// # Errors
    /// See [`ApiError`].
    pub fn patch(&self, path: &str, body: &Json) -> Result<Json, ApiError> {
        self.request(reqwest::Method::PATCH, path, &[], Some(body))
    }

    #[allow(clippy::needless_pass_by_value)] // Method is a small value type
    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Json>,
    ) -> Result<Json, ApiError> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let shown = display_path(path, query);
        let url = format!("{}/{}", self.base, path.trim_start_matches('/'));
        let payload = body.map_or_else(|| b"null".to_vec(), |b| b.to_string().into_bytes());
        let mut req = self
            .http
            .request(method.clone(), &url)
            .bearer_auth(self.token.expose())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Sym-Request-ID", &request_id)
            .body(payload);
        if !query.is_empty() {
            // reqwest percent-encodes the query (the provider does not).
            req = req.query(query);
        }
        let started = Instant::now();
        let m = method.as_str().to_owned();
        let result = req.send();
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                let maybe_applied = !e.is_connect();
                let message = describe_transport(&e);
                self.note(&format!(
                    "{m} {shown} -> {message} ({} ms, request id {request_id})",
                    started.elapsed().as_millis()
                ));
                return Err(ApiError::Transport {
                    method: m,
                    path: shown,
                    message,
                    maybe_applied,
                    request_id,
                });
            }
        };
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = match read_body(response) {
            Ok(b) => b,
            Err(BodyError::TooLarge) => {
                let message = format!("the answer is larger than {} MiB", MAX_BODY >> 20);
                self.note(&format!("{m} {shown} -> {status}, {message}"));
                return Err(ApiError::Decode {
                    method: m,
                    path: shown,
                    message,
                    request_id,
                });
            }
            Err(BodyError::Transport(message)) => {
                self.note(&format!("{m} {shown} -> {status}, body lost: {message}"));
                return Err(ApiError::Transport {
                    method: m,
                    path: shown,
                    message,
                    maybe_applied: true,
                    request_id,
                });
            }
        };
        self.note(&format!(
            "{m} {shown} -> {status} ({} ms, request id {request_id})",
            started.elapsed().as_millis()
        ));
        match status {
            400 | 409 => {
                let doc: ErrorDoc = serde_json::from_slice(&bytes).unwrap_or_default();
                Err(ApiError::BadRequest {
                    method: m,
                    path: shown,
                    status,
                    errors: doc.errors,
                    retryable: doc.is_retryable,
                    request_id,
                })
            }
            401 => Err(ApiError::Unauthorized {
                method: m,
                path: shown,
                request_id,
            }),
            403 => Err(ApiError::Forbidden {
                method: m,
                path: shown,
                request_id,
            }),
            404 => Err(ApiError::NotFound {
                method: m,
                path: shown,
                request_id,
            }),
            s if s >= 400 => {
                let doc: ErrorDoc = serde_json::from_slice(&bytes).unwrap_or_default();
                Err(ApiError::Status {
                    method: m,
                    path: shown,
                    status,
                    retry_after,
                    retryable: doc.is_retryable,
                    request_id,
                })
            }
            _ => {
                if bytes.is_empty() {
                    return Ok(Json::Null);
                }
                serde_json::from_slice(&bytes).map_err(|e| ApiError::Decode {
                    method: m,
                    path: shown,
                    message: e.to_string(),
                    request_id,
                })
            }
        }
    }

    fn note(&self, line: &str) {
        if let Some(log) = &self.log {
            log(line);
        }
    }
}

/// The largest answer symflow reads: far above any real entity list, far
/// below what would exhaust memory.
pub const MAX_BODY: u64 = 32 << 20;

enum BodyError {
    TooLarge,
    /// How the transfer failed, as [`describe_transport`] puts it.
    Transport(String),
}

/// The whole body, refusing more than [`MAX_BODY`] bytes (checked against
/// `Content-Length` first, then while reading).
fn read_body(response: reqwest::blocking::Response) -> Result<Vec<u8>, BodyError> {
    use std::io::Read as _;
    if response.content_length().is_some_and(|n| n > MAX_BODY) {
        return Err(BodyError::TooLarge);
    }
    let mut bytes = Vec::new();
    let mut limited = response.take(MAX_BODY + 1);
    if let Err(e) = limited.read_to_end(&mut bytes) {
        // reqwest wraps its own error (a timeout, a reset) in the io::Error.
        let message = e
            .into_inner()
            .and_then(|inner| inner.downcast::<reqwest::Error>().ok())
            .map_or_else(
                || "the connection was closed before an answer arrived".to_owned(),
                |re| describe_transport(&re),
            );
        return Err(BodyError::Transport(message));
    }
    if bytes.len() as u64 > MAX_BODY {
        return Err(BodyError::TooLarge);
    }
    Ok(bytes)
}

/// Errors building a client.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error("could not start the HTTP client: {0}")]
    Build(String),
}

fn describe_transport(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".to_owned()
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        "the connection was closed before an answer arrived".to_owned()
    }
}

/// Everything but unreserved characters (RFC 3986) is escaped.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn display_path(path: &str, query: &[(&str, &str)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let q: Vec<String> = query
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, QUERY_VALUE)
            )
        })
        .collect();
    format!("{path}?{}", q.join("&"))
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_unless_loopback() {
        assert!(check_base_url("https://api.symops.com/api/v1").is_ok());
        assert!(check_base_url("http://127.0.0.1:8080/api/v1").is_ok());
        assert!(check_base_url("http://localhost/api/v1").is_ok());
        assert!(check_base_url("http://[::1]:9/api/v1").is_ok());
        assert_eq!(
            check_base_url("http://api.symops.com/api/v1"),
            Err(UrlError::Insecure(
                "http://api.symops.com/api/v1".to_owned()
            ))
        );
        assert!(matches!(
            check_base_url("ftp://x"),
            Err(UrlError::Invalid(_))
        ));
        assert!(matches!(
            check_base_url("nonsense"),
            Err(UrlError::Invalid(_))
        ));
    }

    #[test]
    fn shown_paths_percent_encode_queries() {
        assert_eq!(
            display_path("/entities/flows", &[("slug", "a b&c#d/e")]),
            "/entities/flows?slug=a%20b%26c%23d%2Fe"
        );
    }

    #[test]
    fn field_errors_render_readably() {
        let e = ApiError::BadRequest {
            method: "POST".into(),
            path: "/entities/flows".into(),
            status: 400,
            errors: vec![FieldError {
                field: "slug".into(),
                message: "must be unique".into(),
            }],
            retryable: false,
            request_id: "r-1".into(),
        };
        let s = e.to_string();
        assert!(s.contains("slug: must be unique"), "{s}");
        assert!(s.contains("r-1"), "{s}");
        assert!(!e.is_retryable());
    }

    #[test]
    fn retryable_statuses() {
        let status = |s: u16| ApiError::Status {
            method: "GET".into(),
            path: "/x".into(),
            status: s,
            retry_after: None,
            retryable: false,
            request_id: String::new(),
        };
        assert!(status(429).is_retryable());
        assert!(status(503).is_retryable());
        assert!(!status(422).is_retryable());
    }
}
