//! The three test reports: human (like `cargo test`), JSON and JUnit XML.

use std::io::{self, Write};

use serde::Serialize;

use crate::output::Styles;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
}

/// One test's result.
#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    pub name: String,
    pub file: String,
    pub line: usize,
    pub status: Status,
    /// Why it failed (several lines); `None` when it passed.
    pub message: Option<String>,
    /// Unmocked calls and other things worth knowing; never a failure.
    pub warnings: Vec<String>,
}

fn counts(results: &[TestResult]) -> (usize, usize) {
    let passed = results
        .iter()
        .filter(|r| r.status == Status::Passed)
        .count();
    (passed, results.len() - passed)
}

/// `cargo test`-like text; the last line is exactly `N passed, N failed`.
///
/// # Errors
/// Only when writing fails.
pub fn human(out: &mut dyn Write, results: &[TestResult], styles: Styles) -> io::Result<()> {
    let n = results.len();
    writeln!(out, "running {n} test{}", if n == 1 { "" } else { "s" })?;
    for r in results {
        let status = match r.status {
            Status::Passed => styles.green("ok"),
            Status::Failed => styles.red("FAILED"),
        };
        writeln!(out, "test {} ... {status}", r.name)?;
        for w in &r.warnings {
            writeln!(out, "  {} {w}", styles.yellow("warning:"))?;
        }
    }
    let failed: Vec<&TestResult> = results
        .iter()
        .filter(|r| r.status == Status::Failed)
        .collect();
    if !failed.is_empty() {
        writeln!(out)?;
        writeln!(out, "failures:")?;
        for r in failed {
            writeln!(out)?;
            writeln!(out, "---- {} ({}:{}) ----", r.name, r.file, r.line)?;
            if let Some(m) = &r.message {
                for line in m.lines() {
                    let painted = if line.trim_start().starts_with("- ") {
                        styles.red(line)
                    } else if line.trim_start().starts_with("+ ") {
                        styles.green(line)
                    } else {
                        line.to_owned()
                    };
                    writeln!(out, "{painted}")?;
                }
            }
        }
    }
    let (passed, failed) = counts(results);
    writeln!(out)?;
    writeln!(out, "{passed} passed, {failed} failed")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tests: &'a [TestResult],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    passed: usize,
    failed: usize,
}

/// The JSON contract: `{"version": 1, "tests": [...], "summary": {...}}`.
///
/// # Errors
/// Only when writing fails.
pub fn json(out: &mut dyn Write, results: &[TestResult]) -> io::Result<()> {
    let (passed, failed) = counts(results);
    let report = JsonReport {
        version: 1,
        tests: results,
        summary: Summary { passed, failed },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

/// JUnit XML: one `<testsuite>` per test file.
///
/// # Errors
/// Only when writing fails.
pub fn junit(out: &mut dyn Write, results: &[TestResult]) -> io::Result<()> {
    let (_, failed) = counts(results);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="symflow test" tests="{}" failures="{failed}">"#,
        results.len()
    )?;
    let mut files: Vec<&str> = Vec::new();
    for r in results {
        if !files.contains(&r.file.as_str()) {
            files.push(&r.file);
        }
    }
    for file in files {
        let suite: Vec<&TestResult> = results.iter().filter(|r| r.file == file).collect();
        let f = suite.iter().filter(|r| r.status == Status::Failed).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{f}">"#,
            xml(file),
            suite.len()
        )?;
        for r in suite {
            let open = format!(
                r#"    <testcase name="{}" classname="{}" file="{}" line="{}""#,
                xml(&r.name),
                xml(file),
                xml(file),
                r.line
            );
            let extra = if r.warnings.is_empty() {
                String::new()
            } else {
                format!(
                    "      <system-out>{}</system-out>\n",
                    xml(&r.warnings.join("\n"))
                )
            };
            match (&r.status, &r.message) {
                (Status::Failed, m) => {
                    let m = m.as_deref().unwrap_or("failed");
                    let first = m.lines().next().unwrap_or(m);
                    writeln!(out, "{open}>")?;
                    writeln!(
                        out,
                        r#"      <failure message="{}">{}</failure>"#,
                        xml(first),
                        xml(m)
                    )?;
                    write!(out, "{extra}")?;
                    writeln!(out, "    </testcase>")?;
                }
                (Status::Passed, _) if !extra.is_empty() => {
                    writeln!(out, "{open}>")?;
                    write!(out, "{extra}")?;
                    writeln!(out, "    </testcase>")?;
                }
                (Status::Passed, _) => writeln!(out, "{open}/>")?,
            }
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<TestResult> {
        vec![
            TestResult {
                name: "good".into(),
                file: "tests/a.symtest.hcl".into(),
                line: 3,
                status: Status::Passed,
                message: None,
                warnings: vec!["unmocked call okta.get_user_info(...)".into()],
            },
            TestResult {
                name: "bad <one>".into(),
                file: "tests/a.symtest.hcl".into(),
                line: 9,
                status: Status::Failed,
                message: Some("expect.outcome: expected \"approve\", got \"none\"".into()),
                warnings: vec![],
            },
        ]
    }

    fn render(f: impl Fn(&mut dyn Write) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).expect("write");
        String::from_utf8(buf).expect("utf8")
    }

    #[test]
    fn human_report() {
        insta::assert_snapshot!(render(|o| human(o, &sample(), Styles { enabled: false })));
    }

    #[test]
    fn json_report() {
        let text = render(|o| json(o, &sample()));
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v["version"], 1);
        assert_eq!(v["summary"]["passed"], 1);
        assert_eq!(v["summary"]["failed"], 1);
        assert_eq!(v["tests"][1]["status"], "failed");
        assert_eq!(v["tests"][1]["line"], 9);
        assert!(v["tests"][0]["message"].is_null());
    }

    #[test]
    fn junit_report() {
        insta::assert_snapshot!(render(|o| junit(o, &sample())));
    }
}
