//! The human format: `file:line:col: severity[CODE] message (rule)`, the
//! source line with the span underlined, help and notes, and a one-line
//! summary.

use std::io::{self, Write};

use super::{locate, plural, Emitter, Report};
use crate::diag::{Diagnostic, Severity};
use crate::output::Styles;
use crate::source::SourceMap;

/// Human-readable output; colour only when `styles.enabled`.
pub struct Human {
    pub styles: Styles,
}

const TAB: &str = "    ";

impl Human {
    fn severity(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.styles.error("error"),
            Severity::Warning => self.styles.warning("warning"),
        }
    }

    fn one(&self, d: &Diagnostic, sources: &SourceMap, w: &mut dyn Write) -> io::Result<()> {
        let loc = locate(d, sources);
        let place = match &loc {
            Some(l) => match l.range {
                Some(r) => format!("{}:{}:{}", l.file, r.line, r.column),
                None => l.file.clone(),
            },
            None => "<unknown>".to_owned(),
        };
        writeln!(
            w,
            "{}: {}{} {} {}",
            self.styles.bold(&place),
            self.severity(d.severity),
            self.styles.bold(&format!("[{}]", d.code)),
            d.message,
            self.styles.dim(&format!("({})", d.rule)),
        )?;
        let mut gutter = 0;
        if let (Some(span), Some(Some(r))) = (d.span, loc.as_ref().map(|l| l.range)) {
            let file = sources.get(span.file);
            let text = file.line_text(r.line);
            let number = r.line.to_string();
            gutter = number.len();
            let shown = text.replace('\t', TAB);
            // Display width of the text before the span.
            let prefix: String = text.chars().take(r.column - 1).collect();
            let pad = prefix.replace('\t', TAB).chars().count();
            let width = if r.end_line == r.line {
                let inner: String = text
                    .chars()
                    .skip(r.column - 1)
                    .take(r.end_column.saturating_sub(r.column))
                    .collect();
                inner.replace('\t', TAB).chars().count()
            } else {
                shown.chars().count().saturating_sub(pad)
            }
            .max(1);
            let super::Clipped {
                text: shown,
                pad,
                width,
            } = super::clip_line(&shown, pad, width);
            let bar = self.styles.dim("|");
            writeln!(w, "{:gutter$} {bar}", "")?;
            writeln!(w, "{} {bar} {shown}", self.styles.dim(&number))?;
            let carets = "^".repeat(width);
            let carets = match d.severity {
                Severity::Error => self.styles.red(&carets),
                Severity::Warning => self.styles.yellow(&carets),
            };
            writeln!(w, "{:gutter$} {bar} {:pad$}{carets}", "", "")?;
        }
        for label in &d.labels {
            let at = locate(
                &Diagnostic {
                    span: Some(label.span),
                    ..d.clone()
                },
                sources,
            )
            .and_then(|l| {
                l.range
                    .map(|r| format!("{}:{}:{}", l.file, r.line, r.column))
            })
            .unwrap_or_default();
            writeln!(
                w,
                "{:gutter$} = {}: {at}: {}",
                "",
                self.styles.bold("note"),
                label.message
            )?;
        }
        if let Some(help) = &d.help {
            let mut lines = help.lines();
            if let Some(first) = lines.next() {
                writeln!(w, "{:gutter$} = {}: {first}", "", self.styles.info("help"))?;
            }
            for more in lines {
                writeln!(w, "{:gutter$}         {more}", "")?;
            }
        }
        writeln!(w)
    }
}

impl Emitter for Human {
    fn emit(&self, report: &Report<'_>, w: &mut dyn Write) -> io::Result<()> {
        for d in report.diagnostics {
            self.one(d, report.sources, w)?;
        }
        let errors = report.count(Severity::Error);
        let warnings = report.count(Severity::Warning);
        let files = plural(report.files, "file");
        if errors + warnings == 0 {
            writeln!(w, "{} in {files}", self.styles.good("no problems found"))
        } else {
            let e = plural(errors, "error");
            let e = if errors > 0 { self.styles.error(&e) } else { e };
            let wn = plural(warnings, "warning");
            let wn = if warnings > 0 {
                self.styles.warning(&wn)
            } else {
                wn
            };
            writeln!(w, "found {e} and {wn} in {files}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    fn render(enabled: bool) -> String {
        let (sm, diags) = fixtures::set();
        let mut out = Vec::new();
        Human {
            styles: Styles { enabled },
        }
        .emit(
            &Report {
                diagnostics: &diags,
                sources: &sm,
                files: 2,
            },
            &mut out,
        )
        .expect("write");
        String::from_utf8(out).expect("utf8")
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(false));
    }

    #[test]
    fn colour_only_when_enabled() {
        assert!(!render(false).contains('\u{1b}'));
        assert!(render(true).contains('\u{1b}'));
    }

    #[test]
    fn clean_summary() {
        let sm = SourceMap::new();
        let mut out = Vec::new();
        Human {
            styles: Styles { enabled: false },
        }
        .emit(
            &Report {
                diagnostics: &[],
                sources: &sm,
                files: 1,
            },
            &mut out,
        )
        .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "no problems found in 1 file\n"
        );
    }
}
