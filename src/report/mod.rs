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

/// Widest source line a snippet shows whole, in characters. A longer line
/// (minified JSON in a heredoc, a generated file, a deeply nested literal)
/// is shown as a window around the span.
pub(crate) const SNIPPET_WIDTH: usize = 120;

/// Characters kept before the span when a long line is cut.
const SNIPPET_CONTEXT: usize = 40;

/// A source line as a snippet shows it: cut to a window of at most
/// [`SNIPPET_WIDTH`] characters around the underlined part when longer,
/// with `...` where text was left out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Clipped {
    pub text: String,
    /// Characters before the underline.
    pub pad: usize,
    /// Characters underlined (at least 1).
    pub width: usize,
}

/// [`Clipped`] of `line` (already tab-expanded) whose underline starts `pad`
/// characters in and is `width` characters wide.
pub(crate) fn clip_line(line: &str, pad: usize, width: usize) -> Clipped {
    let width = width.max(1);
    let len = line.chars().count();
    if len <= SNIPPET_WIDTH {
        return Clipped {
            text: line.to_owned(),
            pad,
            width,
        };
    }
    const MORE: &str = "...";
    // Start a little before the span, but not so late that the window runs
    // past the end of the line for nothing.
    let start = pad
        .saturating_sub(SNIPPET_CONTEXT)
        .min(len.saturating_sub(SNIPPET_WIDTH));
    let end = (start + SNIPPET_WIDTH).min(len);
    let mut text = String::with_capacity(SNIPPET_WIDTH + 2 * MORE.len());
    if start > 0 {
        text.push_str(MORE);
    }
    text.extend(line.chars().skip(start).take(end - start));
    if end < len {
        text.push_str(MORE);
    }
    let lead = if start > 0 { MORE.len() } else { 0 };
    // The underline stops at the window's edge (a span past the end of the
    // line, as at end of file, keeps its one caret).
    let shown_pad = pad.min(end) - start;
    let width = width.min(end.saturating_sub(pad)).max(1);
    Clipped {
        text,
        pad: lead + shown_pad,
        width,
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

#[cfg(test)]
mod tests {
    use super::{clip_line, Clipped, SNIPPET_WIDTH};

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(
            clip_line("  name = 1", 2, 4),
            Clipped {
                text: "  name = 1".to_owned(),
                pad: 2,
                width: 4
            }
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("{}NAME{}", "a".repeat(500), "b".repeat(500));
        let c = clip_line(&line, 500, 4);
        assert!(c.text.starts_with("...") && c.text.ends_with("..."));
        assert_eq!(c.text.chars().count(), SNIPPET_WIDTH + 6);
        // The underline still sits under the span.
        let under: String = c.text.chars().skip(c.pad).take(c.width).collect();
        assert_eq!(under, "NAME");
    }

    #[test]
    fn a_span_near_either_end_keeps_a_full_window() {
        let line = format!("NAME{}", "x".repeat(1000));
        let c = clip_line(&line, 0, 4);
        assert_eq!((c.pad, c.width), (0, 4));
        assert!(!c.text.starts_with("...") && c.text.ends_with("..."));
        assert!(c.text.starts_with("NAME"));

        let line = format!("{}END", "x".repeat(1000));
        let c = clip_line(&line, 1000, 3);
        assert!(c.text.starts_with("...") && !c.text.ends_with("..."));
        assert_eq!(c.text.chars().count(), SNIPPET_WIDTH + 3);
        let under: String = c.text.chars().skip(c.pad).take(c.width).collect();
        assert_eq!(under, "END");
    }

    #[test]
    fn an_underline_wider_than_the_window_stops_at_its_edge() {
        let line = "y".repeat(1000);
        let c = clip_line(&line, 10, 900);
        assert_eq!(c.pad, 10);
        assert_eq!(c.width, SNIPPET_WIDTH - 10);
        // A span just past the end of a long line keeps one caret.
        let c = clip_line(&line, 1000, 1);
        assert_eq!(c.width, 1);
        assert_eq!(c.pad, 3 + SNIPPET_WIDTH);
    }

    #[test]
    fn characters_not_bytes_are_counted() {
        let line = format!("{}é{}", "é".repeat(300), "é".repeat(300));
        let c = clip_line(&line, 300, 1);
        assert_eq!(c.text.chars().count(), SNIPPET_WIDTH + 6);
        assert_eq!(c.pad, 3 + 40);
    }
}
