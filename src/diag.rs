//! The one diagnostic type shared by HCL, Python and test-file findings.

use crate::source::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that explains a finding ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding. Messages start lowercase and have no trailing period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `SF101`.
    pub code: &'static str,
    /// Stable kebab-case rule name, e.g. `unknown-attribute`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where; `None` for findings about a whole path that could not be read.
    pub span: Option<Span>,
    /// For findings without a span: the path they concern.
    pub path: Option<std::path::PathBuf>,
    pub help: Option<String>,
    pub labels: Vec<Label>,
}

impl Diagnostic {
    #[must_use]
    pub fn new(
        code: &'static str,
        rule: &'static str,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            code,
            rule,
            severity,
            message: message.into(),
            span: Some(span),
            path: None,
            help: None,
            labels: Vec::new(),
        }
    }

    /// A finding about a path that has no span (unreadable file, ...).
    #[must_use]
    pub fn for_path(
        code: &'static str,
        rule: &'static str,
        severity: Severity,
        message: impl Into<String>,
        path: std::path::PathBuf,
    ) -> Self {
        Diagnostic {
            code,
            rule,
            severity,
            message: message.into(),
            span: None,
            path: Some(path),
            help: None,
            labels: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}
