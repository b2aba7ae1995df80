//! GitHub Actions workflow commands: one `::error` / `::warning` annotation
//! per finding, then a plain summary line.

use std::io::{self, Write};

use super::{locate, plural, Emitter, Report};
use crate::diag::Severity;

pub struct Github;

/// Escape a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Emitter for Github {
    fn emit(&self, report: &Report<'_>, w: &mut dyn Write) -> io::Result<()> {
        for d in report.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut props = Vec::new();
            if let Some(l) = locate(d, report.sources) {
                props.push(format!("file={}", property(&l.file)));
                if let Some(r) = l.range {
                    props.push(format!("line={}", r.line));
                    props.push(format!("col={}", r.column));
                    props.push(format!("endLine={}", r.end_line));
                    if r.end_line == r.line {
                        props.push(format!("endColumn={}", r.end_column));
                    }
                }
            }
            props.push(format!(
                "title={}",
                property(&format!("{} {}", d.code, d.rule))
            ));
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            writeln!(w, "::{level} {}::{}", props.join(","), data(&message))?;
        }
        writeln!(
            w,
            "symflow: {} and {} in {}",
            plural(report.count(Severity::Error), "error"),
            plural(report.count(Severity::Warning), "warning"),
            plural(report.files, "file")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn snapshot() {
        let (sm, diags) = fixtures::set();
        let mut out = Vec::new();
        Github
            .emit(
                &Report {
                    diagnostics: &diags,
                    sources: &sm,
                    files: 2,
                },
                &mut out,
            )
            .expect("write");
        insta::assert_snapshot!(String::from_utf8(out).expect("utf8"));
    }
}
