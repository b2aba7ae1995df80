//! The JSON format (a contract, `version: 1`): `{"version", "diagnostics":
//! [{"code", "rule", "severity", "message", "file", "line", "column",
//! "end_line", "end_column", "help"}], "summary": {"files", "errors",
//! "warnings"}}`. Lines and columns are 1-based (end exclusive); they are
//! `null` for a finding about a whole file; `help` is `null` when absent.

use std::io::{self, Write};

use serde::Serialize;

use super::{locate, Emitter, Report};
use crate::diag::Severity;

pub struct Json;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    diagnostics: Vec<Item<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Item<'a> {
    code: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
}

impl Emitter for Json {
    fn emit(&self, report: &Report<'_>, w: &mut dyn Write) -> io::Result<()> {
        let diagnostics = report
            .diagnostics
            .iter()
            .map(|d| {
                let loc = locate(d, report.sources);
                let r = loc.as_ref().and_then(|l| l.range);
                Item {
                    code: d.code,
                    rule: d.rule,
                    severity: d.severity,
                    message: &d.message,
                    file: loc.map(|l| l.file),
                    line: r.map(|r| r.line),
                    column: r.map(|r| r.column),
                    end_line: r.map(|r| r.end_line),
                    end_column: r.map(|r| r.end_column),
                    help: d.help.as_deref(),
                }
            })
            .collect();
        let doc = Doc {
            version: 1,
            diagnostics,
            summary: Summary {
                files: report.files,
                errors: report.count(Severity::Error),
                warnings: report.count(Severity::Warning),
            },
        };
        serde_json::to_writer_pretty(&mut *w, &doc)?;
        writeln!(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn snapshot_and_shape() {
        let (sm, diags) = fixtures::set();
        let mut out = Vec::new();
        Json.emit(
            &Report {
                diagnostics: &diags,
                sources: &sm,
                files: 2,
            },
            &mut out,
        )
        .expect("write");
        let text = String::from_utf8(out).expect("utf8");
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid json");
        assert_eq!(v["version"], 1);
        assert_eq!(v["summary"]["errors"], 3);
        assert_eq!(v["diagnostics"][0]["file"], "mod/main.tf");
        assert_eq!(v["diagnostics"][0]["line"], 2);
        assert_eq!(v["diagnostics"][0]["column"], 3);
        assert_eq!(v["diagnostics"][0]["end_column"], 8);
        insta::assert_snapshot!(text);
    }
}
