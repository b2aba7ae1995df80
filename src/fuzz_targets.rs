//! The bodies of symflow's fuzz targets, in one place: the cargo-fuzz
//! targets under `fuzz/` and the seeded smoke test (`tests/fuzz_smoke.rs`)
//! both call these functions.
//!
//! Each target feeds arbitrary bytes to one entry point that takes
//! untrusted input and checks the invariants that must hold whatever the
//! input is. A violated invariant is a panic (that is how fuzzers see a
//! failure); the code under test itself must never panic, loop or run out
//! of memory.
//!
//! Some entry points catch their own panics to keep a run alive (the
//! module loader, the Python analysis). A fuzzer must still see those:
//! libFuzzer's panic hook aborts before the unwind is caught, and the smoke
//! test installs a hook that records every panic.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;

use crate::api::entities::{decode, encode, fields_equal, Kind};
use crate::diag::Diagnostic;
use crate::lint::config::Config;
use crate::lint::runner;
use crate::module::{self, ImplementationSource, LoadOptions, Module};
use crate::python::{self, PyAnalysis};
use crate::report::{self, Emitter, Report};
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// A flow implementation that uses most of what the analysis looks at;
/// written next to the fuzzed `main.tf` so that `file("impl.py")` resolves.
const IMPL_PY: &str = r##"from sym.sdk.annotations import hook, reducer
from sym.sdk.integrations import slack
from sym.sdk.templates import ApprovalTemplate


@reducer
def get_approvers(event):
    return slack.channel("#access", allow_self=event.flow.vars.get("self") == "yes")


@hook
def on_request(event):
    if event.payload.fields["reason"] == "urgent":
        return ApprovalTemplate.approve(note="auto")
"##;

/// Module loading plus the whole of `validate` (rules, ignore comments,
/// every emitter) on `data` as the only `.tf` file of a module.
///
/// Invariants: no panic (also none caught inside the loader), every span
/// lies within its file on character boundaries, every emitter succeeds and
/// the JSON report is valid JSON.
pub fn validate_tf(data: &[u8]) {
    validate_config("main.tf", data);
}

/// [`validate_tf`] with `data` as the module's only `.tf.json` file (the
/// JSON syntax), with the same invariants.
pub fn validate_tf_json(data: &[u8]) {
    validate_config("main.tf.json", data);
}

fn validate_config(name: &str, data: &[u8]) {
    let dir = scratch_dir();
    let written = std::fs::write(dir.join(name), data)
        .and_then(|()| std::fs::write(dir.join("impl.py"), IMPL_PY));
    if written.is_err() {
        // A full disk is not a finding about symflow.
        return;
    }
    let mut sources = SourceMap::new();
    let m = module::load(&dir, &mut sources, &LoadOptions::default());
    for p in &m.problems {
        assert!(
            !p.message.starts_with("internal error"),
            "the loader caught a panic: {}",
            p.message
        );
        if let Some(span) = p.span {
            check_span(&sources, span, "problem");
        }
    }
    let python = analyze_implementations(&m, &sources);
    let diagnostics = runner::run(&m, &sources, &python, &Config::default());
    check_diagnostics(&diagnostics, &sources);
    emit_all(&diagnostics, &sources);
}

/// The impl.py analysis on `data` (invalid UTF-8 replaced, as a lossy
/// reader would). Invariants: no panic; every range lies within the text.
pub fn python_analyze(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let a = python::analyze(&text);
    check_python(&a, &text);
}

/// `.symtest.hcl` parsing. Invariants: no panic; an error's span lies
/// within the file and its message is one non-empty line.
pub fn symtest_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(
        PathBuf::from("tests/fuzz.symtest.hcl"),
        PathBuf::from("tests/fuzz.symtest.hcl"),
        text,
    ));
    if let Err(e) = crate::simulate::model::parse(&sources, id) {
        check_span(&sources, e.span, "test file error");
        assert!(
            !e.message.trim().is_empty(),
            "empty test-file error message"
        );
    }
}

/// Decoding of API answers: `data` as the body of an answer, decoded as
/// every kind of entity. Invariants: no panic; a decoded entity encodes
/// back, and decoding that again gives the same fields (what deploy sends
/// after reading an entity is what it read).
pub fn api_decode(data: &[u8]) {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let items: Vec<&serde_json::Value> = match &json {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for item in items {
        for kind in Kind::ALL {
            let Ok(remote) = decode(kind, item) else {
                continue;
            };
            let mut body = encode(kind, "fuzz", &remote.fields, None, &[])
                .expect("decoded fields are known, so they encode");
            body["id"] = serde_json::Value::String(remote.id.clone());
            let again = decode(kind, &body).expect("an encoded entity decodes");
            assert!(
                fields_equal(&remote.fields, &again.fields),
                "{kind:?} does not round-trip:\n first {:?}\nsecond {:?}",
                remote.fields,
                again.fields
            );
        }
    }
}

/// Check that every diagnostic's span and labels lie within their file.
pub fn check_diagnostics(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for d in diagnostics {
        if let Some(span) = d.span {
            check_span(sources, span, d.code);
        }
        for l in &d.labels {
            check_span(sources, l.span, d.code);
        }
        assert!(!d.message.is_empty(), "{}: empty message", d.code);
    }
}

/// A span lies within its file, on character boundaries.
pub fn check_span(sources: &SourceMap, span: Span, what: &str) {
    assert!(
        (span.file.0 as usize) < sources.len(),
        "{what}: span names file {} of {}",
        span.file.0,
        sources.len()
    );
    let text = &sources.get(span.file).text;
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {}..{} outside a file of {} bytes",
        span.start,
        span.end,
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {}..{} splits a character",
        span.start,
        span.end
    );
}

fn check_python(a: &PyAnalysis, text: &str) {
    let ranges = a
        .syntax_errors
        .iter()
        .map(|e| &e.range)
        .chain(a.undefined_names.iter().map(|n| &n.range))
        .chain(a.field_reads.iter().map(|r| &r.range))
        .chain(a.var_reads.iter().map(|r| &r.range));
    for r in ranges {
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "python range {}..{} outside a text of {} bytes",
            r.start,
            r.end,
            text.len()
        );
    }
    for e in &a.syntax_errors {
        assert!(!e.message.is_empty(), "empty syntax error message");
    }
}

fn analyze_implementations(m: &Module, sources: &SourceMap) -> BTreeMap<FileId, PyAnalysis> {
    let mut out = BTreeMap::new();
    let mut stack = vec![m];
    while let Some(m) = stack.pop() {
        for i in &m.implementations {
            let file = match &i.source {
                ImplementationSource::File { file, .. }
                | ImplementationSource::LiteralPath { file, .. } => *file,
                _ => None,
            };
            if let Some(id) = file.filter(|id| (id.0 as usize) < sources.len()) {
                out.entry(id).or_insert_with(|| {
                    let text = &sources.get(id).text;
                    let a = python::analyze(text);
                    check_python(&a, text);
                    a
                });
            }
        }
        stack.extend(m.children.iter().map(|c| &c.module));
    }
    out
}

fn emit_all(diagnostics: &[Diagnostic], sources: &SourceMap) {
    let report = Report {
        diagnostics,
        sources,
        files: sources.len(),
    };
    let emitters: [(&str, Box<dyn Emitter>); 4] = [
        (
            "human",
            Box::new(report::Human {
                styles: crate::output::Styles { enabled: true },
            }),
        ),
        ("json", Box::new(report::Json)),
        ("sarif", Box::new(report::Sarif)),
        ("github", Box::new(report::Github)),
    ];
    for (name, e) in emitters {
        let mut out = Vec::new();
        e.emit(&report, &mut out)
            .unwrap_or_else(|err| panic!("the {name} emitter failed: {err}"));
        if name == "json" || name == "sarif" {
            serde_json::from_slice::<serde_json::Value>(&out)
                .unwrap_or_else(|err| panic!("the {name} report is not JSON: {err}"));
        }
        let _ = out.flush();
    }
}

/// One scratch module directory per thread, reused across iterations.
fn scratch_dir() -> PathBuf {
    thread_local! {
        static DIR: tempfile::TempDir = tempfile::Builder::new()
            .prefix("symflow-fuzz-")
            .tempdir()
            .expect("a temporary directory for the fuzzed module");
    }
    DIR.with(|d| d.path().to_path_buf())
}
