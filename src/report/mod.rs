//! Diagnostic emitters, one per output format, behind one trait writing to
//! `&mut dyn Write`. Line and column numbers are computed here, once, from
//! byte spans.

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif;

use crate::diag::{Diagnostic, Severity};
use crate::source::SourceMap;

/// Everything an emitter needs.
pub struct Report<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub sources: &'a SourceMap,
    /// How many files were checked.
    pub files: usize,
}

impl Report<'_> {
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// One output format.
pub trait Emitter {
    /// Write the whole report.
    fn emit(&self, report: &Report<'_>, w: &mut dyn Write) -> io::Result<()>;
}

/// Where a diagnostic points, resolved to a file name and 1-based positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The path as the user gave it, `/`-separated, without a leading `./`.
    pub file: String,
    /// `None` for findings about a whole file.
    pub range: Option<Range>,
}

/// 1-based start and (exclusive) end positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Resolve a diagnostic's location.
#[must_use]
pub fn locate(d: &Diagnostic, sources: &SourceMap) -> Option<Location> {
    if let Some(span) = d.span {
        if (span.file.0 as usize) < sources.len() {
            let f = sources.get(span.file);
            let start = f.line_col(span.start);
            let end = f.line_col(span.end);
            return Some(Location {
                file: display_path(&f.display),
                range: Some(Range {
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                }),
            });
        }
    }
    d.path.as_ref().map(|p| Location {
        file: display_path(p),
        range: None,
    })
}

/// A path for output: `/`-separated, no leading `./`.
#[must_use]
pub fn display_path(p: &std::path::Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    if s.is_empty() {
        ".".to_owned()
    } else {
        s.to_owned()
    }
}

/// "1 error", "2 warnings".
#[must_use]
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! One canonical diagnostic set that every emitter's snapshot uses.
    use crate::diag::{Diagnostic, Severity};
    use crate::source::{SourceFile, SourceMap, Span};

    pub fn set() -> (SourceMap, Vec<Diagnostic>) {
        let mut sm = SourceMap::new();
        let tf = "resource \"sym_flow\" \"approval\" {\n  lable = \"Approval\"\n\tname  = \"approval\"\n}\n";
        let main = sm.add(SourceFile::new(
            "mod/main.tf".into(),
            "./mod/main.tf".into(),
            tf.to_owned(),
        ));
        let py =
            "from sym.sdk.annotations import reducer\n\ndef get_approvers(event):\n    return []\n";
        let imp = sm.add(SourceFile::new(
            "mod/impl.py".into(),
            "mod/impl.py".into(),
            py.to_owned(),
        ));
        let lable = tf.find("lable").expect("lable");
        let name = tf.find("\"approval\"\n").expect("name");
        let def = py.find("get_approvers").expect("def");
        let diags = vec![
            Diagnostic::new(
                "SF101",
                "unknown-attribute",
                Severity::Error,
                "unknown attribute `lable` in sym_flow",
                Span::new(main, lable..lable + 5),
            )
            .with_help("did you mean `label`?"),
            Diagnostic::new(
                "SF203",
                "duplicate-name",
                Severity::Error,
                "sym_flow.approval has the same name as sym_flow.other (\"approval\")",
                Span::new(main, name..name + 10),
            )
            .with_label(Span::new(main, 0..8), "sym_flow.other is named here"),
            Diagnostic::new(
                "SF302",
                "deprecated-get-approvers",
                Severity::Warning,
                "`get_approvers` is deprecated, with \"quotes\", commas, colons: and 100% more",
                Span::new(imp, def..def + 13),
            )
            .with_help("use `get_permissions`\nreturning a RequestPermission"),
            Diagnostic::for_path(
                "SF002",
                "unreadable-file",
                Severity::Error,
                "file is not valid UTF-8",
                "mod/bad file.tf".into(),
            ),
        ];
        (sm, diags)
    }
}
