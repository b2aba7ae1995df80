//! Integration tests of the module model (`symflow::module::load`).

use std::path::{Path, PathBuf};

use symflow::module::value::format_number;
use symflow::module::{
    self, Body, ImplementationSource, LoadOptions, Module, UnknownReason, Value,
};
use symflow::source::{SourceMap, Span};

fn load(dir: &Path) -> (Module, SourceMap) {
    let mut sources = SourceMap::new();
    let m = module::load(dir, &mut sources, &LoadOptions::default());
    (m, sources)
}

/// Generate the synthetic corpus with the shared generator.
fn corpus(n: u32) -> (tempfile::TempDir, PathBuf) {
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    assert!(
        gen.is_file(),
        "the corpus generator is missing: expected {} (CI keeps /work/shared as ../shared beside the repo)",
        gen.display()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join(n.to_string());
    let status = std::process::Command::new("python3")
        .arg(&gen)
        .arg(&out)
        .args(["--flows", &n.to_string(), "--seed", "1"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run python3");
    assert!(status.success(), "gen_corpus.py failed");
    (tmp, out)
}

#[test]
fn corpus_100_loads_without_problems() {
    let (_tmp, dir) = corpus(100);
    let (m, sources) = load(&dir);
    let problems: Vec<String> = m.problems.iter().map(|p| p.message.clone()).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let undeclared: Vec<&str> = m.undeclared.iter().map(|r| r.text.as_str()).collect();
    assert!(undeclared.is_empty(), "{undeclared:?}");
    assert!(m.duplicates.is_empty());
    assert_eq!(m.files.len(), 103);
    assert_eq!(m.entities_of("sym_flow").count(), 100);
    assert_eq!(m.entities.len(), 367);
    assert_eq!(m.read_files.len(), 100);
    assert_eq!(m.provider_version.major, 3);
    let _ = sources;
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/modules")
        .join(name)
}

/// Loads a module with options.
fn load_with(dir: &Path, opts: &LoadOptions) -> (Module, SourceMap) {
    let mut sources = SourceMap::new();
    let m = module::load(dir, &mut sources, opts);
    (m, sources)
}

/// Renders the facts of a module as text, for snapshots: every value,
/// unknown reason and span (as `file:line:col-line:col`).
struct Render<'a> {
    sources: &'a SourceMap,
    root: &'a Path,
    out: String,
}

impl Render<'_> {
    fn file(&self, span: Span) -> String {
        let f = self.sources.get(span.file);
        let p = f.path.strip_prefix(self.root).unwrap_or(&f.path);
        p.display().to_string()
    }

    fn at(&self, span: Span) -> String {
        let f = self.sources.get(span.file);
        let a = f.line_col(span.start);
        let b = f.line_col(span.end);
        format!(
            "{}:{}:{}-{}:{}",
            self.file(span),
            a.line,
            a.column,
            b.line,
            b.column
        )
    }

    fn value(&self, v: &Value) -> String {
        match v {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::String(s) => {
                if s.chars().count() > 60 {
                    let head: String = s.chars().take(40).collect();
                    format!("{:?}... ({} chars)", head, s.chars().count())
                } else {
                    format!("{s:?}")
                }
            }
            Value::List(l) => format!(
                "[{}]",
                l.iter()
                    .map(|x| self.value(x))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Object(o) => format!(
                "{{{}}}",
                o.iter()
                    .map(|(k, x)| format!("{k} = {}", self.value(x)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Unknown(u) => {
                let why = match &u.reason {
                    UnknownReason::SymAttribute { address, attribute } => {
                        format!("sym {address}.{attribute}")
                    }
                    UnknownReason::External { address } => format!("external {address}"),
                    UnknownReason::Variable { name } => format!("var {name}"),
                    UnknownReason::Unsupported { what } => format!("unsupported {what}"),
                    UnknownReason::Error { message } => format!("error: {message}"),
                };
                match u.span {
                    Some(sp) => format!("unknown({why} @ {})", self.at(sp)),
                    None => format!("unknown({why})"),
                }
            }
        }
    }

    fn body(&mut self, b: &Body, indent: usize) {
        let pad = " ".repeat(indent);
        for a in &b.attributes {
            let line = format!(
                "{pad}{} = {}  [{}]",
                a.name,
                self.value(&a.value),
                self.at(a.span)
            );
            self.line(&line);
        }
        for nb in &b.blocks {
            let mut flags = String::new();
            if nb.dynamic {
                flags.push_str(" dynamic");
            }
            if nb.dynamic_unknown {
                flags.push_str(" dynamic_unknown");
            }
            let line = format!(
                "{pad}{}{:?}{flags}  [{}]",
                nb.kind,
                nb.labels,
                self.at(nb.span)
            );
            self.line(&line);
            self.body(&nb.body, indent + 2);
        }
    }

    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn module(&mut self, m: &Module) {
        let pv = &m.provider_version;
        let line = format!(
            "provider_version: {} {:?} {:?}{}",
            pv.major,
            pv.source,
            pv.text,
            pv.span
                .map(|s| format!(" [{}]", self.at(s)))
                .unwrap_or_default()
        );
        self.line(&line);
        if let Some(p) = &m.provider {
            let line = format!(
                "provider: org={} jwt_env_var={}  [{}]",
                p.org
                    .as_ref()
                    .map_or("-".to_owned(), |a| self.value(&a.value)),
                p.jwt_env_var
                    .as_ref()
                    .map_or("-".to_owned(), |a| self.value(&a.value)),
                self.at(p.span)
            );
            self.line(&line);
        }
        self.line("variables:");
        for v in m.variables.values() {
            let line = format!(
                "  {} = {} ({:?}) type={:?} default={}",
                v.name,
                self.value(&v.value),
                v.value_source,
                v.type_text,
                v.default.as_ref().map_or("-".to_owned(), |d| self.value(d))
            );
            self.line(&line);
        }
        self.line("locals:");
        for l in m.locals.values() {
            let line = format!(
                "  {} = {}  [{}]",
                l.name,
                self.value(&l.value),
                self.at(l.span)
            );
            self.line(&line);
        }
        self.line("blocks:");
        for b in &m.blocks {
            let rep = b
                .repetition
                .as_ref()
                .map(|r| format!(" {} = {}", r.name, self.value(&r.value)))
                .unwrap_or_default();
            let line = format!(
                "  {}{rep}  [{}] refs: {}",
                b.address,
                self.at(b.name_span),
                b.references
                    .iter()
                    .map(|r| format!("{}@{}", r.text, self.at(r.span)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            self.line(&line);
        }
        self.line("entities:");
        for e in &m.entities {
            let line = format!(
                "  {} (block {}, key {:?})  [{}]",
                e.address,
                e.block_address,
                e.key,
                self.at(e.name_span)
            );
            self.line(&line);
            let deps = e
                .depends_on
                .iter()
                .map(|d| format!("{}@{}", d.address, self.at(d.span)))
                .collect::<Vec<_>>()
                .join(", ");
            self.line(&format!("    depends_on: {deps}"));
            self.body(&e.body, 4);
        }
        self.line("implementations:");
        for i in &m.implementations {
            let src = match &i.source {
                ImplementationSource::File {
                    path,
                    resolved,
                    exists,
                    file,
                } => format!(
                    "file({}) -> {} exists={exists} read={}",
                    path.display(),
                    resolved
                        .strip_prefix(self.root)
                        .unwrap_or(resolved)
                        .display(),
                    file.is_some()
                ),
                ImplementationSource::LiteralPath {
                    path,
                    resolved,
                    exists,
                    file,
                } => format!(
                    "literal {path} -> {} exists={exists} read={}",
                    resolved
                        .strip_prefix(self.root)
                        .unwrap_or(resolved)
                        .display(),
                    file.is_some()
                ),
                ImplementationSource::Inline => "inline".to_owned(),
                ImplementationSource::Unknown => "unknown".to_owned(),
            };
            let line = format!(
                "  {} {} {:?} {src}  [{}]",
                i.owner,
                i.attribute,
                i.role,
                self.at(i.span)
            );
            self.line(&line);
        }
        self.line("outputs:");
        for o in m.outputs.values() {
            let line = format!("  {} = {}", o.name, self.value(&o.value));
            self.line(&line);
        }
        for c in &m.children {
            let line = format!(
                "child {} source={} path={:?} entities={}",
                c.name,
                c.source,
                c.module.module_path,
                c.module.entities.len()
            );
            self.line(&line);
        }
        if !m.external_modules.is_empty() {
            self.line(&format!("external_modules: {:?}", m.external_modules));
        }
        self.line("undeclared:");
        for r in &m.undeclared {
            let line = format!("  {} {:?}  [{}]", r.text, r.target, self.at(r.span));
            self.line(&line);
        }
        self.line("duplicates:");
        for d in &m.duplicates {
            let line = format!(
                "  {} first [{}] second [{}]",
                d.address,
                self.at(d.first),
                self.at(d.second)
            );
            self.line(&line);
        }
        self.line("problems:");
        for p in &m.problems {
            let at = p.span.map_or_else(
                || {
                    p.path
                        .strip_prefix(self.root)
                        .unwrap_or(&p.path)
                        .display()
                        .to_string()
                },
                |s| self.at(s),
            );
            let line = format!("  {:?}: {}  [{at}] help={:?}", p.kind, p.message, p.help);
            self.line(&line);
        }
        let mut read: Vec<String> = m
            .read_files
            .iter()
            .map(|f| {
                let p = &self.sources.get(*f).path;
                p.strip_prefix(self.root).unwrap_or(p).display().to_string()
            })
            .collect();
        read.sort();
        self.line(&format!("read_files: {read:?}"));
    }
}

fn render(m: &Module, sources: &SourceMap, root: &Path) -> String {
    let mut r = Render {
        sources,
        root,
        out: String::new(),
    };
    r.module(m);
    // No absolute paths in snapshots.
    let root_text = root.display().to_string();
    r.out
        .replace(&format!("{root_text}/"), "")
        .replace(&root_text, "<root>")
}

fn snapshot_fixture(name: &str, opts: &LoadOptions) -> (Module, SourceMap, String) {
    let dir = fixture(name);
    let (m, sources) = load_with(&dir, opts);
    let text = render(&m, &sources, &dir);
    (m, sources, text)
}

#[test]
fn values_fixture() {
    let (_, _, text) = snapshot_fixture("values", &LoadOptions::default());
    insta::assert_snapshot!("values", text);
}

#[test]
fn sym_refs_fixture() {
    let (_, _, text) = snapshot_fixture("sym_refs", &LoadOptions::default());
    insta::assert_snapshot!("sym_refs", text);
}

#[test]
fn known_ids_make_payloads_known() {
    let opts = LoadOptions {
        known_ids: [("sym_secret.okta".to_owned(), "uuid-1".to_owned())].into(),
        ..LoadOptions::default()
    };
    let (m, _) = load_with(&fixture("sym_refs"), &opts);
    let flow = m.entity("sym_flow.f").expect("flow entity");
    let vars = flow
        .body
        .value("vars")
        .and_then(Value::as_object)
        .expect("vars");
    assert_eq!(vars["secret_ids"], Value::String("[\"uuid-1\"]".to_owned()));
}

#[test]
fn expansion_fixture() {
    let (_, _, text) = snapshot_fixture("expansion", &LoadOptions::default());
    insta::assert_snapshot!("expansion", text);
}

#[test]
fn tfvars_precedence() {
    let dir = fixture("tfvars");
    let opts = LoadOptions {
        vars: vec![
            ("f".to_owned(), "cli".to_owned()),
            ("n".to_owned(), "5".to_owned()),
            ("l".to_owned(), "[\"x\", \"y\"]".to_owned()),
        ],
        var_files: vec![dir.join("extra.tfvars")],
        env_vars: vec![
            ("a".to_owned(), "env".to_owned()),
            ("d".to_owned(), "env".to_owned()),
        ],
        known_ids: std::collections::BTreeMap::new(),
    };
    let (_, _, text) = snapshot_fixture("tfvars", &opts);
    insta::assert_snapshot!("tfvars", text);
}

#[test]
fn children_fixture() {
    let (_, _, text) = snapshot_fixture("children", &LoadOptions::default());
    insta::assert_snapshot!("children", text);
}

#[test]
fn module_cycle_is_a_problem() {
    let (_, _, text) = snapshot_fixture("module_cycle", &LoadOptions::default());
    insta::assert_snapshot!("module_cycle", text);
}

#[test]
fn provider_v2_fixture() {
    let (_, _, text) = snapshot_fixture("provider_v2", &LoadOptions::default());
    insta::assert_snapshot!("provider_v2", text);
}

#[test]
fn lock_file_wins_over_constraint() {
    let (m, _, text) = snapshot_fixture("lockfile", &LoadOptions::default());
    assert_eq!(m.provider_version.major, 2);
    insta::assert_snapshot!("lockfile", text);
}

#[test]
fn refs_errors_fixture() {
    let (_, _, text) = snapshot_fixture("refs_errors", &LoadOptions::default());
    insta::assert_snapshot!("refs_errors", text);
}
