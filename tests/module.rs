//! Integration tests of the module model (`symflow::module::load`).

use std::fmt::Write as _;
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
    assert_eq!(errors_in(&m), Vec::<String>::new());
    // Every flow's implementation is read through `file()`.
    assert_eq!(m.implementations.len(), 100);
    assert!(m.implementations.iter().all(|i| matches!(
        i.source,
        ImplementationSource::File {
            exists: true,
            file: Some(_),
            ..
        }
    )));
    let _ = sources;
}

/// Evaluation errors anywhere in the entities (a clean module has none).
fn errors_in(m: &Module) -> Vec<String> {
    fn walk(b: &Body, out: &mut Vec<String>) {
        for a in &b.attributes {
            for u in a.value.unknowns() {
                if let UnknownReason::Error { message } = &u.reason {
                    out.push(format!("{}: {message}", a.name));
                }
            }
        }
        for nb in &b.blocks {
            walk(&nb.body, out);
        }
    }
    let mut out = Vec::new();
    for e in &m.entities {
        walk(&e.body, &mut out);
    }
    out
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
        skip_implementation_text: false,
        single_thread: false,
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

/// A temp module with the given files.
fn temp_module(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, content) in files {
        let p = tmp.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, content).expect("write");
    }
    tmp
}

/// Evaluate one expression as a local of a scratch module and render it.
fn eval_expr(expr: &str) -> String {
    let text = format!(
        "variable \"unset\" {{}}\nresource \"aws_s3_bucket\" \"b\" {{}}\nlocals {{\n  x = {expr}\n}}\n"
    );
    let tmp = temp_module(&[
        ("main.tf", text.as_bytes()),
        ("t.tpl", b"Hi ${name}%{ for i in items }-${i}%{ endfor }"),
    ]);
    let (m, sources) = load(tmp.path());
    assert!(m.problems.is_empty(), "{expr}: {:?}", m.problems);
    let r = Render {
        sources: &sources,
        root: tmp.path(),
        out: String::new(),
    };
    let root = format!("{}/", tmp.path().display());
    r.value(&m.locals["x"].value).replace(&root, "")
}

#[test]
fn functions_and_operators() {
    let cases: &[(&str, &str)] = &[
        (
            r#"file("t.tpl")"#,
            r#""Hi ${name}%{ for i in items }-${i}%{ endfor }""#,
        ),
        (
            r#"templatefile("t.tpl", { name = "sym", items = [1, 2] })"#,
            r#""Hi sym-1-2""#,
        ),
        (
            r#"jsonencode({ a = [1, "x", null, true] })"#,
            r#""{\"a\":[1,\"x\",null,true]}""#,
        ),
        (r#"jsondecode("{\"k\": [1, 2.5]}")"#, "{k = [1, 2.5]}"),
        (
            r#"format("%s=%d %q %.2f %5s|%-4s|", "a", 42, "q", 3.14159, "r", "l")"#,
            r#""a=42 \"q\" 3.14     r|l   |""#,
        ),
        // Go's fmt, as Terraform's format() applies it.
        (
            r#"format("%[2]s-%[1]s|%+[3]d|%x|%.1e|%v", "a", "b", 5, 255, 1500, 1234567)"#,
            r#""b-a|+5|ff|1.5e+03|1.234567e+06""#,
        ),
        (
            r#"format("%d", 1.5)"#,
            "unknown(error: format(): %d needs a whole number, not 1.5 @ main.tf:4:7-4:24)",
        ),
        (r#"lower("ABC")"#, r#""abc""#),
        (r#"upper("abc")"#, r#""ABC""#),
        (r#"title("hello sym world")"#, r#""Hello Sym World""#),
        (r#"join("-", ["a", "b"], ["c"])"#, r#""a-b-c""#),
        (r#"split(",", "a,b,,c")"#, r#"["a", "b", "", "c"]"#),
        // Go's strings.Split, as Terraform has it: "" is one empty part.
        (r#"split(",", "")"#, r#"[""]"#),
        (r#"length(split(",", ""))"#, "1"),
        (r#"split("", "ab")"#, r#"["a", "b"]"#),
        (r#"split("", "")"#, "[]"),
        // Go's encoding/json escapes <, > and & (and U+2028, U+2029).
        (
            r#"jsonencode({ "a<b" = "<!here> & \u2028" })"#,
            r#""{\"a\\u003cb\":\"\\u003c!here\\u003e \\u0026 \\u2028\"}""#,
        ),
        // Simple case mappings, as Go's strings.ToUpper / ToLower / Title.
        (r#"upper("straße ǆ ᾳ")"#, r#""STRAßE Ǆ ᾼ""#),
        (r#"lower("İSTANBUL ΟΔΟΣ")"#, r#""istanbul οδοσ""#),
        (r#"title("foo_bar baz-qux ǆx 1st")"#, r#""Foo_bar Baz-Qux ǅx 1st""#),
        (r#"title("hello\u00a0world été")"#, r#""Hello\u{a0}World Été""#),
        (r#"length("🕹️👾")"#, "2"),
        (r#"length("e\u0301")"#, "1"),
        (r#"replace("a-b-c", "-", "+")"#, r#""a+b+c""#),
        // Terraform: `from` in slashes is a regular expression (Go's syntax).
        (r#"replace("db-prod-01", "/-(\\d+)$/", "_$1")"#, r#""db-prod_01""#),
        (
            r#"replace("alice@example.com", "/^(?P<user>[^@]+)@(.*)$/", "$${user} at $2")"#,
            r#""alice at example.com""#,
        ),
        (r#"replace("a1", "/\\d/", "$$")"#, r#""a$""#),
        (r#"replace("baaac", "/a*/", "-")"#, r#""-b-c-""#),
        (r#"replace("né-x", "/\\w/", "_")"#, r#""_é-_""#),
        (r#"replace("Prod", "/(?i)prod/", "dev")"#, r#""dev""#),
        (r#"replace("ab", "//", "-")"#, r#""-a-b-""#),
        (r#"replace("abc", "", "-")"#, r#""-a-b-c-""#),
        (r#"replace("a/b", "/", "-")"#, r#""a-b""#),
        (
            r#"replace("Ärger", "/(?i)ä/", "a")"#,
            "unknown(unsupported replace() with a case-insensitive regular expression on non-ASCII text @ main.tf:4:7-4:39)",
        ),
        // A pattern Go may accept but `regex_lite` does not: unknown, not an error.
        (
            r#"replace("x", "/\\pL/", "y")"#,
            r"unknown(unsupported replace() with the regular expression /\pL/ (Unicode character classes are not supported) @ main.tf:4:7-4:34)",
        ),
        (r#"trimspace("  x \n")"#, r#""x""#),
        ("merge({ a = 1, b = 2 }, { b = 3 })", "{a = 1, b = 3}"),
        ("concat([1], [], [2, 3])", "[1, 2, 3]"),
        ("flatten([[1], [[2]], 3])", "[1, 2, 3]"),
        ("keys({ b = 1, a = 2 })", r#"["a", "b"]"#),
        ("values({ b = 1, a = 2 })", "[2, 1]"),
        (r#"lookup({ a = "x" }, "a")"#, r#""x""#),
        (r#"lookup({ a = "x" }, "b", "d")"#, r#""d""#),
        (r#"contains(["a", "b"], "b")"#, "true"),
        (r#"contains(["a", "b"], "c")"#, "false"),
        (r#"length("héllo")"#, "5"),
        ("length({ a = 1 })", "1"),
        ("tostring(5)", r#""5""#),
        (r#"tonumber("12")"#, "12"),
        // cty parses the whole string as a number: spaces are not trimmed.
        (
            r#"tonumber(" 12")"#,
            "unknown(error: cannot convert this string to a number @ main.tf:4:7-4:22)",
        ),
        (r#""1.5" + 1"#, "2.5"),
        ("tolist([1, 2])", "[1, 2]"),
        (r#"toset(["b", "a", "b"])"#, r#"["a", "b"]"#),
        ("toset([10, 9, 10])", "[9, 10]"),
        (r#"toset([1, "1", "a"])"#, r#"["1", "a"]"#),
        (r#"tolist([1, "a", true])"#, r#"["1", "a", "true"]"#),
        ("tomap({ a = 1 })", "{a = 1}"),
        (r#"tomap({ a = 1, b = "x" })"#, r#"{a = "1", b = "x"}"#),
        (r#"coalesce(null, 1, "a")"#, r#""1""#),
        ("coalesce(null, 2, 3)", "2"),
        (r#"coalesce(null, "", "x")"#, r#""x""#),
        (r#"nonsensitive(sensitive("s"))"#, r#""s""#),
        (r#"one(["x"])"#, r#""x""#),
        ("one([])", "null"),
        (
            "one([1, 2])",
            "unknown(error: one() needs a list of at most one element, not 2 @ main.tf:4:7-4:18)",
        ),
        (r#"compact(["a", "", null, "b", 1])"#, r#"["a", "b", "1"]"#),
        ("reverse([1, 2, 3])", "[3, 2, 1]"),
        ("sum([1, 2.5])", "3.5"),
        ("[alltrue([]), anytrue([]), alltrue([true, \"true\"]), anytrue([false])]", "[true, false, true, false]"),
        ("[ceil(1.2), floor(-1.2)]", "[2, -2]"),
        (r#"chomp("x\r\n\n")"#, r#""x""#),
        (
            r#"[trimprefix("helloworld", "hello"), trimsuffix("helloworld", "world"), trim("?!hello?!", "!?")]"#,
            r#"["world", "hello", "hello"]"#,
        ),
        (r#"sort(["b", "10", "9", 1])"#, r#"["1", "10", "9", "b"]"#),
        (r#"index(["a", "b"], "b")"#, "1"),
        (
            r#"[substr("hello world", 1, 4), substr("🤔🤷", 0, 1), substr("hello world", -5, -1), substr("hello world", 6, 10), substr("abc", 5, 1), substr("abc", 1, 0)]"#,
            r#"["ello", "🤔", "world", "world", "", ""]"#,
        ),
        (
            r#"index(["a"], 1)"#,
            "unknown(error: index(): the item is not in the list @ main.tf:4:7-4:22)",
        ),
        (
            r#"formatlist("%s=%d", ["a", "b"], [1, 2])"#,
            r#"["a=1", "b=2"]"#,
        ),
        (r#"formatlist("x-%s", "y")"#, r#"["x-y"]"#),
        (r#"formatlist("%s%s", "p", ["a", "b"])"#, r#"["pa", "pb"]"#),
        // try() and can() catch evaluation errors.
        (r#"try({ a = 1 }.b, "fallback")"#, r#""fallback""#),
        (r#"try({ a = 1 }.a, "fallback")"#, "1"),
        (r#"try(var.unset, "fallback")"#, "unknown(var unset @ main.tf:4:11-4:20)"),
        ("can({ a = 1 }.b)", "false"),
        ("can({ a = 1 }.a)", "true"),
        (
            "try({ a = 1 }.b, [][0])",
            "unknown(error: try(): no argument could be evaluated: object has no attribute `b` @ main.tf:4:7-4:30)",
        ),
        (r#"base64encode("hello")"#, r#""aGVsbG8=""#),
        ("10 % 4 + 2 * 3 - 8 / 2", "4"),
        ("1 < 2 && 2 >= 2 || false", "true"),
        (r#"!(1 == 1) ? "no" : "yes""#, r#""yes""#),
        ("-3 != 3", "true"),
        (
            "[for k, v in { a = 1, b = 2 } : \"${k}${v}\"]",
            r#"["a1", "b2"]"#,
        ),
        (
            r#"{ for s in ["a", "bb", "cc"] : length(s) => s... }"#,
            r#"{1 = ["a"], 2 = ["bb", "cc"]}"#,
        ),
        ("[{ a = [1, 2] }, { a = [3] }][*].a[0]", "[1, 3]"),
        (r#"{ a = { b = ["x", "y"] } }.a.b[1]"#, r#""y""#),
        ("\"%{ for x in [1, 2] }${x},%{ endfor }\"", r#""1,2,""#),
        // Strip markers on directives drop the whitespace next to them.
        (
            r#""a %{~ if true ~} b %{~ endif ~} c""#,
            r#""abc""#,
        ),
        (
            r#""a %{~ if false ~} b %{~ else ~} e %{~ endif} c""#,
            r#""ae c""#,
        ),
        (
            r#""[ %{~ for x in ["p", "q"] ~} ${x}, %{~ endfor ~} ]""#,
            r#""[p,q,]""#,
        ),
        (r#""a %{ if false } b %{ endif } c""#, r#""a  c""#),
        ("\"a ${~ \"b\" ~} c\"", r#""abc""#),
        // A marker trims the literal text next to it, never a value or a
        // directive's output (Terraform applies it to the source text).
        (r#""${"a "} ${~ "b"}""#, r#""a b""#),
        (r#""${"x" ~}${"  y"} z""#, r#""x  y z""#),
        (
            r#""%{ for x in ["a ", "b "] }${x}%{~ endfor }""#,
            r#""a b ""#,
        ),
        (
            r#""%{ for x in ["a", "b"] ~}  ${x} %{~ endfor ~}  .""#,
            r#""ab.""#,
        ),
        // Unknowns propagate through functions and operators.
        ("upper(var.unset)", "unknown(var unset @ main.tf:4:13-4:22)"),
        ("length([var.unset, 1])", "2"),
        (
            "var.unset == 1 ? 1 : 2",
            "unknown(var unset @ main.tf:4:7-4:16)",
        ),
        ("false && var.unset", "false"),
        (
            "aws_s3_bucket.b.arn",
            "unknown(external aws_s3_bucket.b @ main.tf:4:7-4:26)",
        ),
        (
            "jsonencode([aws_s3_bucket.b.arn])",
            "unknown(external aws_s3_bucket.b @ main.tf:4:19-4:38)",
        ),
        (
            "timestamp()",
            "unknown(unsupported timestamp() @ main.tf:4:7-4:18)",
        ),
        (
            r#"file("missing.txt")"#,
            "unknown(error: cannot read missing.txt: no such file @ main.tf:4:7-4:26)",
        ),
        (
            "[1][5]",
            "unknown(error: index 5 is out of range for a list of 1 elements @ main.tf:4:7-4:13)",
        ),
        (
            "{ a = 1 }.b",
            "unknown(error: object has no attribute `b` @ main.tf:4:7-4:18)",
        ),
        (
            "1 / 0",
            "unknown(error: division by zero @ main.tf:4:7-4:12)",
        ),
    ];
    let mut failures = Vec::new();
    for (expr, want) in cases {
        let got = eval_expr(expr);
        if got != *want {
            failures.push(format!("{expr}\n   got: {got}\n  want: {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn kinds(m: &Module) -> Vec<(module::ProblemKind, String)> {
    m.problems
        .iter()
        .map(|p| (p.kind, p.message.clone()))
        .collect()
}

#[test]
fn empty_directory_has_no_configuration() {
    let tmp = temp_module(&[("README.md", b"hi")]);
    let (m, _) = load(tmp.path());
    assert_eq!(m.problems.len(), 1);
    assert_eq!(m.problems[0].kind, module::ProblemKind::NoConfiguration);
    assert!(m.problems[0]
        .message
        .starts_with("no .tf or .tf.json files in "));
}

#[test]
fn missing_directory_is_unreadable() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (m, _) = load(&tmp.path().join("nope"));
    assert_eq!(m.problems.len(), 1);
    assert_eq!(m.problems[0].kind, module::ProblemKind::Unreadable);
    assert!(
        m.problems[0].message.contains("no such file"),
        "{:?}",
        m.problems
    );
}

#[test]
fn invalid_utf8_is_reported_and_other_files_still_load() {
    let tmp = temp_module(&[
        ("a.tf", b"locals {\n  x = \"caf\xe9\"\n}\n"),
        ("b.tf", b"locals {\n  y = 1\n}\n"),
    ]);
    let (m, sources) = load(tmp.path());
    assert_eq!(m.problems.len(), 1, "{:?}", m.problems);
    let p = &m.problems[0];
    assert_eq!(p.kind, module::ProblemKind::Unreadable);
    assert!(
        p.message.ends_with("a.tf is not valid UTF-8"),
        "{}",
        p.message
    );
    let sp = p.span.expect("span");
    let lc = sources.get(sp.file).line_col(sp.start);
    assert_eq!((lc.line, lc.column), (2, 11));
    assert_eq!(m.locals["y"].value, Value::Number(1.0));
}

#[test]
fn bom_and_crlf_keep_spans_right() {
    let tmp = temp_module(&[(
        "main.tf",
        b"\xef\xbb\xbflocals {\r\n  greeting = \"hi\"\r\n  two = <<EOT\r\nline\r\nEOT\r\n}\r\n",
    )]);
    let (m, sources) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let greeting = &m.locals["greeting"];
    assert_eq!(greeting.value, Value::String("hi".to_owned()));
    let file = sources.get(greeting.span.file);
    let (a, b) = (
        file.line_col(greeting.span.start),
        file.line_col(greeting.span.end),
    );
    assert_eq!((a.line, a.column, b.line, b.column), (2, 3, 2, 18));
    assert_eq!(
        m.locals["two"]
            .value
            .as_str()
            .map(|s| s.trim_end_matches(['\r', '\n'])),
        Some("line")
    );
}

#[test]
fn directory_named_tf_and_dangling_symlink_are_unreadable() {
    let tmp = temp_module(&[("ok.tf", b"locals {\n  a = 1\n}\n")]);
    std::fs::create_dir(tmp.path().join("dir.tf")).expect("mkdir");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("loop.tf", tmp.path().join("loop.tf")).expect("symlink");
        std::os::unix::fs::symlink("gone", tmp.path().join("dangling.tf")).expect("symlink");
        let fifo = std::process::Command::new("mkfifo")
            .arg(tmp.path().join("fifo.tf"))
            .status()
            .expect("mkfifo");
        assert!(fifo.success());
    }
    let (m, _) = load(tmp.path());
    let got = kinds(&m);
    assert!(
        got.iter()
            .all(|(k, _)| *k == module::ProblemKind::Unreadable),
        "{got:?}"
    );
    let msgs: Vec<String> = got
        .iter()
        .map(|(_, m)| m.replace(&format!("{}/", tmp.path().display()), ""))
        .collect();
    assert!(
        msgs.contains(&"cannot read dir.tf: is a directory, not a file".to_owned()),
        "{msgs:?}"
    );
    #[cfg(unix)]
    {
        assert!(
            msgs.contains(&"cannot read dangling.tf: no such file".to_owned()),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("cannot read loop.tf: ") && m.contains("symbolic links")),
            "{msgs:?}"
        );
    }
    assert_eq!(m.locals["a"].value, Value::Number(1.0));
}

#[test]
fn huge_files_are_refused_without_reading() {
    let tmp = temp_module(&[("ok.tf", b"locals {\n  a = 1\n}\n")]);
    let f = std::fs::File::create(tmp.path().join("huge.tf")).expect("create");
    f.set_len(64 * 1024 * 1024).expect("sparse file");
    let (m, _) = load(tmp.path());
    assert_eq!(m.problems.len(), 1, "{:?}", m.problems);
    assert_eq!(m.problems[0].kind, module::ProblemKind::Unreadable);
    assert!(
        m.problems[0].message.contains("too large"),
        "{}",
        m.problems[0].message
    );
}

#[test]
fn deep_nesting_is_a_problem_not_a_crash() {
    let depth = 5000;
    let nested = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let blocks = format!("{}{}", "a {\n".repeat(depth), "}\n".repeat(depth));
    let ops = format!("locals {{\n  y = {}\n}}\n", vec!["1"; 50_000].join(" + "));
    let tmp = temp_module(&[
        ("a.tf", nested.as_bytes()),
        ("b.tf", blocks.as_bytes()),
        ("c.tf", ops.as_bytes()),
        ("d.tf", b"locals {\n  ok = 1\n}\n"),
    ]);
    let (m, _) = load(tmp.path());
    let got = kinds(&m);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.iter().all(|(k, _)| *k == module::ProblemKind::Syntax),
        "{got:?}"
    );
    assert_eq!(m.locals["ok"].value, Value::Number(1.0));
}

#[test]
fn long_chains_of_locals_stop_at_the_depth_cap() {
    // Declared deepest first, so that evaluating the first local recurses
    // through all the others.
    let mut text = String::from("locals {\n");
    for i in (1..3000).rev() {
        let _ = writeln!(text, "  l{i} = local.l{} + 1", i - 1);
    }
    text.push_str("  l0 = 0\n}\n");
    let tmp = temp_module(&[("main.tf", text.as_bytes())]);
    let (m, _) = load(tmp.path());
    assert_eq!(m.locals["l10"].value, Value::Number(10.0));
    assert!(matches!(
        &m.locals["l2999"].value,
        Value::Unknown(u) if matches!(&u.reason, UnknownReason::Error { message } if message.contains("nested too deeply"))
    ));
    let got = kinds(&m);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, module::ProblemKind::Syntax);
}

#[test]
fn self_references_and_bad_meta_arguments_do_not_hang() {
    let tmp = temp_module(&[(
        "main.tf",
        br#"
resource "sym_target" "self" {
  type = "x"
  name = sym_target.self.name
}

resource "sym_target" "neg" {
  count = -1
  type  = "x"
  name  = "n"
}

resource "sym_target" "str" {
  for_each = "nope"
  type     = "x"
  name     = each.key
}

resource "sym_target" "huge" {
  count = 1e12
  type  = "x"
  name  = "h"
}

resource "sym_target" "loop" {
  count = length(sym_target.loop)
  type  = "x"
  name  = "l"
}

resource "sym_target" "both" {
  count    = 1
  for_each = toset(["a"])
  type     = "x"
  name     = "b"
}
"#,
    )]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let name = m
        .entity("sym_target.self")
        .expect("self")
        .body
        .value("name")
        .expect("name");
    assert!(
        matches!(name, Value::Unknown(u) if matches!(&u.reason, UnknownReason::Error { message } if message.contains("refers to itself"))),
        "{name:?}"
    );
    for block in ["neg", "str", "loop", "huge", "both"] {
        let b = m.blocks.iter().find(|b| b.name == block).expect("block");
        let rep = b.repetition.as_ref().expect("repetition");
        assert!(
            matches!(&rep.value, Value::Unknown(u) if matches!(u.reason, UnknownReason::Error { .. })),
            "{block}: {:?}",
            rep.value
        );
    }
}

#[test]
fn child_module_variables_without_inputs_are_unknown() {
    let tmp = temp_module(&[
        (
            "main.tf",
            b"module \"child\" {\n  source = \"./child\"\n}\n\noutput \"name\" {\n  value = module.child.env\n}\n",
        ),
        (
            "child/main.tf",
            b"variable \"env\" {}\n\nresource \"sym_environment\" \"e\" {\n  name = var.env\n}\n\noutput \"env\" {\n  value = sym_environment.e.name\n}\n",
        ),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let e = m
        .entity("module.child.sym_environment.e")
        .expect("child entity");
    assert_eq!(e.module_path, vec!["child".to_owned()]);
    assert!(
        matches!(e.body.value("name"), Some(Value::Unknown(u)) if u.reason == UnknownReason::Variable { name: "env".to_owned() })
    );
    assert!(
        matches!(&m.outputs["name"].value, Value::Unknown(u) if u.reason == UnknownReason::Variable { name: "env".to_owned() })
    );
    assert_eq!(
        m.children[0].module.variables["env"].value_source,
        module::VariableSource::Missing
    );
}

#[test]
fn repeated_module_instances_are_unknown_not_errors() {
    let tmp = temp_module(&[
        (
            "main.tf",
            b"variable \"tenants\" {\n  default = { a = { slug = \"a\" } }\n}\n\nmodule \"tenant\" {\n  for_each = var.tenants\n  source   = \"./child\"\n  slug     = each.value.slug\n  key      = each.key\n  env      = \"prod\"\n}\n\nmodule \"numbered\" {\n  count  = 2\n  source = \"./child\"\n  slug   = \"n${count.index}\"\n  key    = \"k\"\n  env    = \"prod\"\n}\n\nmodule \"off\" {\n  count  = 0\n  source = \"./child\"\n  slug   = \"x\"\n  key    = \"k\"\n  env    = \"prod\"\n}\n\nmodule \"none\" {\n  for_each = {}\n  source   = \"./child\"\n  slug     = \"x\"\n  key      = \"k\"\n  env      = \"prod\"\n}\n\nvariable \"unset\" {}\n\nmodule \"unknown\" {\n  for_each = var.unset\n  source   = \"./child\"\n  slug     = each.key\n  key      = \"k\"\n  env      = \"prod\"\n}\n\noutput \"first\" {\n  value = module.tenant[\"a\"].name\n}\n\noutput \"second\" {\n  value = module.numbered[1].name\n}\n\noutput \"third\" {\n  value = module.unknown[\"x\"].name\n}\n",
        ),
        (
            "child/main.tf",
            b"variable \"slug\" {}\nvariable \"key\" {}\nvariable \"env\" {}\n\nresource \"sym_environment\" \"e\" {\n  name  = \"${var.env}-${var.slug}\"\n  label = var.env\n}\n\noutput \"name\" {\n  value = sym_environment.e.name\n}\n",
        ),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert!(errors_in(&m).is_empty(), "{:?}", errors_in(&m));
    let unsupported = |v: Option<&Value>, module: &str| {
        matches!(v, Some(Value::Unknown(u)) if matches!(&u.reason,
            UnknownReason::Unsupported { what } if what.contains(module)))
    };
    // `each.*` and `count.index` stand for every instance: unknown.
    let e = m
        .entity("module.tenant.sym_environment.e")
        .expect("child entity");
    assert!(
        unsupported(e.body.value("name"), "module.tenant"),
        "{:?}",
        e.body.value("name")
    );
    // What does not depend on the instance is known.
    assert_eq!(e.body.str("label"), Some("prod"));
    let n = m
        .entity("module.numbered.sym_environment.e")
        .expect("child entity");
    assert!(unsupported(n.body.value("name"), "module.numbered"));
    // `module.tenant` is its instances (known here): a map of their
    // outputs; `module.numbered` a list; `module.unknown` unknown.
    assert_eq!(m.outputs["first"].value, Value::String("prod-a".to_owned()));
    assert_eq!(
        m.outputs["second"].value,
        Value::String("prod-n1".to_owned())
    );
    assert!(unsupported(
        Some(&m.outputs["third"].value),
        "module.unknown"
    ));
    // No instances: the module is loaded and checked, but declares nothing
    // to deploy.
    assert!(m.entity("module.off.sym_environment.e").is_none());
    assert!(m.entity("module.none.sym_environment.e").is_none());
    assert!(m.children.iter().any(|c| c.name == "off"));
    assert_eq!(
        m.repeated_modules,
        ["module.tenant", "module.numbered", "module.unknown"]
    );
    assert_eq!(
        m.entities.len(),
        3,
        "{:?}",
        m.entities.iter().map(|e| &e.address).collect::<Vec<_>>()
    );
    // Known instances are loaded one by one too, for deploy: each with its
    // own `each` / `count.index`, addressed as Terraform addresses them.
    assert_eq!(m.expanded_modules, ["module.tenant", "module.numbered"]);
    let names: Vec<(&str, Option<&str>)> = m
        .instances()
        .map(|e| (e.address.as_str(), e.body.str("name")))
        .collect();
    assert_eq!(
        names,
        [
            ("module.unknown.sym_environment.e", None),
            ("module.tenant[\"a\"].sym_environment.e", Some("prod-a")),
            ("module.numbered[0].sym_environment.e", Some("prod-n0")),
            ("module.numbered[1].sym_environment.e", Some("prod-n1")),
        ]
    );
    // Deploy creates the instances; it cannot create one entity for all
    // the instances of a module whose `for_each` is unknown: that one is
    // blocked, whatever its values.
    let desired = symflow::deploy::desired::from_module(&m, &|_| None);
    let blocked: Vec<(&str, bool)> = desired
        .iter()
        .map(|d| {
            let blocked = d.blockers().iter().any(|(k, b)| {
                k == "module instances"
                    && b.what.contains(
                        "a module with `count` or `for_each` whose instances are not known",
                    )
            });
            (d.address.as_str(), blocked)
        })
        .collect();
    assert_eq!(
        blocked,
        [
            ("module.unknown.sym_environment.e", true),
            ("module.tenant[\"a\"].sym_environment.e", false),
            ("module.numbered[0].sym_environment.e", false),
            ("module.numbered[1].sym_environment.e", false),
        ]
    );
}

#[test]
fn provider_meta_arguments_are_not_references() {
    let tmp = temp_module(&[
        (
            "main.tf",
            b"provider \"sym\" {\n  alias = \"other\"\n  org   = \"x\"\n}\n\nresource \"sym_environment\" \"e\" {\n  provider = sym.other\n  name     = \"main\"\n}\n\nmodule \"child\" {\n  source    = \"./child\"\n  providers = { sym = sym.other }\n}\n\nresource \"sym_environment\" \"f\" {\n  name = sym.other.name\n}\n",
        ),
        ("child/main.tf", b"resource \"sym_environment\" \"c\" {\n  name = \"c\"\n}\n"),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    // Only the reference outside a meta-argument is undeclared.
    let undeclared: Vec<&str> = m.undeclared.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(undeclared, ["sym.other.name"]);
    let e = m.entity("sym_environment.e").expect("entity");
    assert!(e.depends_on.is_empty(), "{:?}", e.depends_on);
}

#[test]
fn variable_values_take_their_type_with_optional_defaults() {
    let tmp = temp_module(&[
        (
            "main.tf",
            br##"variable "team" {
  type = object({
    name      = string
    size      = optional(number, 3)
    approvers = optional(set(string), ["b@x.dev", "a@x.dev", "b@x.dev"])
  })
  default = { name = 7, extra = true }
}

module "child" {
  source   = "./child"
  settings = { channel = "#ops" }
}

resource "sym_environment" "e" {
  name = "${var.team.name}-${var.team.size}"
}

output "approvers" {
  value = var.team.approvers
}
"##,
        ),
        (
            "child/main.tf",
            br#"variable "settings" {
  type = object({ channel = string, timeout = optional(string, "1h") })
}

resource "sym_environment" "c" {
  name = "${var.settings.channel}/${var.settings.timeout}"
}
"#,
        ),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let e = m.entity("sym_environment.e").expect("entity");
    assert_eq!(e.body.value("name"), Some(&Value::String("7-3".to_owned())));
    assert_eq!(
        m.outputs["approvers"].value,
        Value::List(vec![
            Value::String("a@x.dev".to_owned()),
            Value::String("b@x.dev".to_owned())
        ])
    );
    // An attribute the type does not declare is dropped, as Terraform does.
    assert!(m.variables["team"]
        .value
        .as_object()
        .is_some_and(|o| !o.contains_key("extra")));
    let c = m
        .entity("module.child.sym_environment.c")
        .expect("child entity");
    assert_eq!(
        c.body.value("name"),
        Some(&Value::String("#ops/1h".to_owned()))
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Arbitrary bytes (and HCL-ish fragments) never panic the loader.
    #[test]
    fn arbitrary_input_never_panics(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
        frags in proptest::collection::vec(
            proptest::sample::select(vec![
                "resource \"sym_flow\" \"f\" {", "}", "{", "[", "]", "locals {", "x = ", "local.x",
                "var.y", "${", "\"", "for_each = ", "count = ", "each.key", "dynamic \"p\" {",
                "content {", "file(\"x\")", "<<EOT\n", "\nEOT\n", "\n", " + ", "? 1 : 2", "[*]",
                "module.m.o", "sym_target.t[0].id", "% {", "%{ for a in b }",
            ]),
            0..60,
        ),
    ) {
        let text: String = frags.concat();
        let tmp = temp_module(&[("a.tf", &bytes), ("b.tf", text.as_bytes())]);
        let (m, sources) = load(tmp.path());
        for p in &m.problems {
            if let Some(sp) = p.span {
                let _ = sources.get(sp.file).line_col(sp.start);
            }
        }
    }
}

/// A module in the shape of Sym's published examples loads cleanly.
fn clean_example(name: &str) -> (Module, SourceMap, String) {
    let dir = fixture(&format!("examples/{name}"));
    let (m, sources) = load(&dir);
    assert!(m.problems.is_empty(), "{name}: {:#?}", m.problems);
    assert!(m.undeclared.is_empty(), "{name}: {:#?}", m.undeclared);
    assert!(m.duplicates.is_empty(), "{name}: {:#?}", m.duplicates);
    assert_eq!(errors_in(&m), Vec::<String>::new(), "{name}");
    let text = render(&m, &sources, &dir);
    (m, sources, text)
}

#[test]
fn example_v3_approval() {
    let (m, _, text) = clean_example("v3_approval");
    assert_eq!(m.provider_version.major, 3);
    assert_eq!(m.entities.len(), 4);
    // Variables without defaults are known-unknown, not errors.
    let org = &m
        .provider
        .as_ref()
        .expect("provider")
        .org
        .as_ref()
        .expect("org")
        .value;
    assert!(
        matches!(org, Value::Unknown(u) if u.reason == UnknownReason::Variable { name: "sym_org_slug".to_owned() })
    );
    insta::assert_snapshot!("example_v3_approval", text);
}

#[test]
fn example_v2_okta() {
    let (m, _, text) = clean_example("v2_okta");
    assert_eq!(m.provider_version.major, 2);
    assert_eq!(m.entities_of("sym_target").count(), 2);
    assert!(matches!(
        &m.implementations[0].source,
        ImplementationSource::LiteralPath { path, exists: true, .. } if path == "impl.py"
    ));
    insta::assert_snapshot!("example_v2_okta", text);
}

#[test]
fn example_runtime_connector() {
    let (m, _, text) = clean_example("runtime_connector");
    assert_eq!(
        m.external_modules,
        vec!["runtime_connector".to_owned(), "iam_connector".to_owned()]
    );
    let secret = m.entity("sym_secret.pagerduty").expect("secret");
    assert!(matches!(
        secret.body.value("path"),
        Some(Value::Unknown(u)) if u.reason == UnknownReason::External { address: "aws_secretsmanager_secret.pagerduty".to_owned() }
    ));
    let deps = dependency_addresses(&m, "sym_environment.this");
    assert_eq!(
        deps,
        [
            "sym_runtime.this",
            "data.sym_integration.slack",
            "sym_integration.pagerduty"
        ]
    );
    insta::assert_snapshot!("example_runtime_connector", text);
}

#[test]
fn example_multi_env() {
    let (m, _, text) = clean_example("multi_env");
    assert_eq!(m.children.len(), 2);
    let addresses: Vec<&str> = m.entities.iter().map(|e| e.address.as_str()).collect();
    assert!(
        addresses.contains(&"module.prod.sym_target.groups[\"readers\"]"),
        "{addresses:?}"
    );
    assert!(
        addresses.contains(&"module.staging.sym_flow.access"),
        "{addresses:?}"
    );
    let flow = m.entity("module.prod.sym_flow.access").expect("flow");
    let params = flow.body.blocks_of("params").next().expect("params");
    let fields: Vec<(&str, Option<bool>)> = params
        .body
        .blocks_of("prompt_field")
        .map(|b| {
            (
                b.body.str("name").unwrap_or(""),
                b.body.value("required").and_then(Value::as_bool),
            )
        })
        .collect();
    assert_eq!(fields, [("reason", Some(true)), ("ticket", Some(false))]);
    // The shared module directory is read once: both instances point into
    // the same file.
    let staging = m.entity("module.staging.sym_flow.access").expect("flow");
    assert_eq!(flow.span, staging.span);
    assert_eq!(m.children[0].module.files, m.children[1].module.files);
    insta::assert_snapshot!("example_multi_env", text);
}

#[test]
fn grandchild_modules_get_nested_addresses_and_path_values() {
    let tmp = temp_module(&[
        ("main.tf", b"module \"a\" {\n  source = \"./a\"\n}\n"),
        ("a/main.tf", b"module \"b\" {\n  source = \"../b\"\n  env = \"x\"\n}\n"),
        (
            "b/main.tf",
            b"variable \"env\" {}\n\nresource \"sym_runtime\" \"r\" {\n  name  = var.env\n  label = \"${path.module}|${path.root}\"\n}\n",
        ),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let r = m
        .entity("module.a.module.b.sym_runtime.r")
        .expect("grandchild entity");
    assert_eq!(r.body.str("name"), Some("x"));
    assert_eq!(r.body.str("label"), Some("b|."));
    assert_eq!(r.module_path, vec!["a".to_owned(), "b".to_owned()]);
}

#[test]
fn override_files_are_not_duplicates() {
    let tmp = temp_module(&[
        (
            "main.tf",
            b"resource \"sym_runtime\" \"r\" {\n  name = \"a\"\n}\n",
        ),
        (
            "dev_override.tf",
            b"resource \"sym_runtime\" \"r\" {\n  name = \"b\"\n}\n",
        ),
        (
            "override.tf",
            b"resource \"sym_runtime\" \"r\" {\n  label = \n}\n",
        ),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.duplicates.is_empty(), "{:?}", m.duplicates);
    assert_eq!(m.entities.len(), 1);
    // Override files still have to parse.
    assert_eq!(kinds(&m).len(), 1);
    assert_eq!(m.problems[0].kind, module::ProblemKind::Syntax);
}

/// `skip_implementation_text` leaves the file's text out of the value of
/// `implementation = file(...)` / `on_change = file(...)` only: the file is
/// still read and registered, a missing file is still an evaluation error,
/// and without the option the value is the text.
#[test]
fn skip_implementation_text_keeps_files_and_errors() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    std::fs::write(dir.join("impl.py"), "# the implementation\n").expect("write");
    std::fs::write(dir.join("change.py"), "# on change\n").expect("write");
    std::fs::write(
        dir.join("main.tf"),
        r#"
resource "sym_flow" "a" {
  name           = "a"
  label          = "A"
  environment_id = "env"
  implementation = file("${path.module}/impl.py")
  params {
    prompt_field {
      name      = "r"
      type      = "string"
      on_change = file("${path.module}/change.py")
    }
  }
}

resource "sym_flow" "b" {
  name           = "b"
  label          = "B"
  environment_id = "env"
  implementation = file("${path.module}/missing.py")
}

resource "sym_flow" "c" {
  name           = "c"
  label          = "C"
  environment_id = "env"
  implementation = lower(file("${path.module}/impl.py"))
}
"#,
    )
    .expect("write");
    let value_of = |m: &Module, flow: &str| -> Value {
        let e = m.entity(&format!("sym_flow.{flow}")).expect("entity");
        e.body
            .value("implementation")
            .expect("implementation")
            .clone()
    };
    let on_change = |m: &Module| -> Value {
        let e = m.entity("sym_flow.a").expect("entity");
        let params = e.body.blocks_of("params").next().expect("params");
        let field = params.body.blocks_of("prompt_field").next().expect("field");
        field.body.value("on_change").expect("on_change").clone()
    };

    let mut sources = SourceMap::new();
    let opts = LoadOptions {
        skip_implementation_text: true,
        ..LoadOptions::default()
    };
    let m = module::load(dir, &mut sources, &opts);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    for v in [value_of(&m, "a"), on_change(&m)] {
        let Value::Unknown(u) = v else {
            panic!("expected an unknown, got {v:?}")
        };
        assert!(
            matches!(&u.reason, UnknownReason::Unsupported { what } if what.contains("not kept")),
            "{u:?}"
        );
    }
    let Value::Unknown(u) = value_of(&m, "b") else {
        panic!("a missing file is an unknown")
    };
    assert!(
        matches!(&u.reason, UnknownReason::Error { message } if message.contains("cannot read")),
        "{u:?}"
    );
    // Not a bare `file(...)`: evaluated as usual.
    assert_eq!(
        value_of(&m, "c"),
        Value::String("# the implementation\n".to_owned())
    );
    // The files are read, registered and classified as without the option.
    let read: Vec<String> = m
        .read_files
        .iter()
        .map(|id| {
            sources
                .get(*id)
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert!(
        read.contains(&"impl.py".to_owned()) && read.contains(&"change.py".to_owned()),
        "{read:?}"
    );
    let sources_of = |m: &Module| -> Vec<(String, bool, bool)> {
        m.implementations
            .iter()
            .map(|i| match &i.source {
                ImplementationSource::File { exists, file, .. } => (
                    format!("{} {}", i.owner, i.attribute),
                    *exists,
                    file.is_some(),
                ),
                other => (format!("{} {other:?}", i.owner), false, false),
            })
            .collect()
    };
    let skipped = sources_of(&m);
    assert!(
        skipped.contains(&("sym_flow.a implementation".to_owned(), true, true)),
        "{skipped:?}"
    );
    assert!(
        skipped.contains(&("sym_flow.b implementation".to_owned(), false, false)),
        "{skipped:?}"
    );

    assert!(
        skipped.contains(&("sym_flow.c Inline".to_owned(), false, false)),
        "{skipped:?}"
    );

    let mut sources = SourceMap::new();
    let full = module::load(dir, &mut sources, &LoadOptions::default());
    assert_eq!(
        value_of(&full, "a"),
        Value::String("# the implementation\n".to_owned())
    );
    assert_eq!(on_change(&full), Value::String("# on change\n".to_owned()));
    assert_eq!(sources_of(&full), skipped);
}

/// A module big enough to be evaluated on several threads, written so that
/// the order files are first read in matters: flows read their own
/// implementation (read ahead), a path only known by evaluating a local
/// (not read ahead), a file shared by blocks far apart, a missing file, and
/// repeated blocks.
fn big_module(extra: &str) -> tempfile::TempDir {
    let mut main = String::from(
        "locals {\n  dir = \"${path.module}/dyn\"\n  names = [\"a\", \"b\", \"c\"]\n}\n\
         resource \"sym_environment\" \"this\" {\n  name = \"prod\"\n}\n",
    );
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..300 {
        let source = match i % 5 {
            0 => format!("file(\"${{path.module}}/impls/f{i}.py\")"),
            1 => format!("file(\"${{local.dir}}/d{}.py\")", i % 7),
            2 => "file(\"${path.module}/shared.py\")".to_owned(),
            3 => format!("file(\"${{path.module}}/missing/m{i}.py\")"),
            _ => format!("file(\"${{local.dir}}/d{}.py\")", (i + 3) % 7),
        };
        writeln!(
            main,
            "resource \"sym_flow\" \"f{i}\" {{\n  name = \"flow-{i}\"\n  implementation = {source}\n  \
             environment_id = sym_environment.this.id\n  vars = {{ n = \"{i}\" }}\n}}"
        )
        .expect("write to a String");
        files.push((
            format!("impls/f{i}.py"),
            format!("# flow {i}\n").into_bytes(),
        ));
    }
    main.push_str(
        "resource \"sym_target\" \"t\" {\n  count = 3\n  type = \"aws_sso_permission_set\"\n  \
         label = \"t${count.index}\"\n  settings = { permission_set_arn = file(\"${local.dir}/d0.py\") }\n}\n\
         resource \"sym_target\" \"e\" {\n  for_each = toset(local.names)\n  type = \"aws_sso_permission_set\"\n  \
         label = each.key\n  settings = { permission_set_arn = \"x\" }\n}\n",
    );
    main.push_str(extra);
    for k in 0..7 {
        files.push((format!("dyn/d{k}.py"), format!("# dyn {k}\n").into_bytes()));
    }
    files.push(("shared.py".to_owned(), b"# shared\n".to_vec()));
    files.push(("main.tf".to_owned(), main.into_bytes()));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    temp_module(&refs)
}

/// Everything a load produces, as text: the model and the files in
/// registration order.
fn whole_load(dir: &Path, opts: &LoadOptions) -> String {
    let (m, sources) = load_with(dir, opts);
    let files: Vec<String> = sources
        .iter()
        .map(|(id, f)| format!("{id:?} {}", f.path.display()))
        .collect();
    format!("{m:#?}\n{files:#?}")
}

#[test]
fn parallel_evaluation_gives_the_single_thread_model() {
    for extra in [
        "",
        // A template no worker has registered: the module is evaluated on
        // one thread instead.
        "resource \"sym_flow\" \"t\" {\n  name = \"t\"\n  implementation = templatefile(\"${path.module}/shared.py\", {})\n  environment_id = sym_environment.this.id\n}\n",
    ] {
        let tmp = big_module(extra);
        let single = LoadOptions {
            single_thread: true,
            ..LoadOptions::default()
        };
        let one = whole_load(tmp.path(), &single);
        let many = whole_load(tmp.path(), &LoadOptions::default());
        assert!(one == many, "the parallel model differs from the single-thread one");
        // The module is what it claims: all flows, missing files as errors.
        let (m, sources) = load_with(tmp.path(), &LoadOptions::default());
        assert_eq!(m.entities_of("sym_flow").count(), 300 + usize::from(!extra.is_empty()));
        assert_eq!(m.entities_of("sym_target").count(), 6);
        let errors = errors_in(&m);
        assert_eq!(errors.len(), 60, "{errors:#?}");
        assert!(errors.iter().all(|e| e.contains("cannot read")), "{errors:#?}");
        // 60 implementations, 7 dynamic paths and the shared file, read once each.
        assert_eq!(m.read_files.len(), 68);
        assert_eq!(sources.len(), 69);
        let f1 = m.entity("sym_flow.f1").expect("f1");
        assert_eq!(f1.body.str("implementation"), Some("# dyn 1\n"));
        let f4 = m.entity("sym_flow.f4").expect("f4");
        assert_eq!(f4.body.str("implementation"), Some("# dyn 0\n"));
    }
}

/// Dependencies are listed once each, in the order of first reference, past
/// the few a block usually has (where the loader switches from comparing
/// addresses one by one to a set).
#[test]
fn many_dependencies_are_listed_once_in_reference_order() {
    let text = r#"
resource "sym_target" "t" {
  count = 20
  type  = "aws_iam_group"
  name  = "t-${count.index}"
}

resource "sym_target" "one" {
  type = "aws_iam_group"
  name = "one"
}

resource "sym_strategy" "s" {
  type = "aws_iam"
  name = "s"
  targets = concat(
    [sym_target.t[3].id, sym_target.one.id],
    sym_target.t[*].id,
    [sym_target.one.id, sym_target.t[19].id, sym_target.t[3].id],
  )
}
"#;
    let tmp = temp_module(&[("main.tf", text.as_bytes())]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let deps = dependency_addresses(&m, "sym_strategy.s");
    let mut want = vec!["sym_target.t[3]".to_owned(), "sym_target.one".to_owned()];
    want.extend(
        (0..20)
            .filter(|i| *i != 3)
            .map(|i| format!("sym_target.t[{i}]")),
    );
    assert_eq!(deps, want);
}

/// The instance addresses entity `address` depends on, in order.
fn dependency_addresses<'m>(m: &'m Module, address: &str) -> Vec<&'m str> {
    m.entity(address)
        .expect("the entity")
        .depends_on
        .iter()
        .map(|d| d.address.as_str())
        .collect()
}

/// A render with every place (`file:line:col-line:col`) taken out: the
/// facts that do not depend on the syntax a module is written in.
fn without_places(render: &str) -> String {
    let place = regex_lite::Regex::new(r"[\w./-]+\.tf(\.json)?:\d+:\d+-\d+:\d+").expect("regex");
    place.replace_all(render, "<place>").into_owned()
}

#[test]
fn json_syntax_gives_the_model_of_the_same_module_in_native_syntax() {
    let native_dir = fixture("json_twin/native");
    let json_dir = fixture("json_twin/json");
    let (n, ns) = load(&native_dir);
    let (j, js) = load(&json_dir);
    for (m, what) in [(&n, "native"), (&j, "json")] {
        assert!(m.problems.is_empty(), "{what}: {:?}", m.problems);
        assert!(m.undeclared.is_empty(), "{what}: {:?}", m.undeclared);
        assert_eq!(errors_in(m), Vec::<String>::new(), "{what}");
    }
    let native = render(&n, &ns, &native_dir);
    let json = render(&j, &js, &json_dir);
    assert!(json.contains("sym_flow.team[\"ops\"]"), "{json}");
    assert!(json.contains("main.tf.json:"), "{json}");
    assert_eq!(without_places(&native), without_places(&json));
    // Spans inside JSON strings are exact: in place for a string without
    // escapes, mapped back through `\"` for one with them.
    for at in [
        "integration_id = unknown(sym sym_integration.slack.id @ main.tf.json:37:30-37:54)",
        "quoted = unknown(external data.aws_caller_identity.me @ main.tf.json:20:28-20:66)",
        "label = \"Access for ENG / team\"  [main.tf.json:56:9-56:57]",
    ] {
        assert!(json.contains(at), "{at} not in\n{json}");
    }
}

#[test]
fn names_a_broken_file_may_declare_are_not_undeclared() {
    let tmp = temp_module(&[
        ("env.tf", b"resource \"sym_environment\" \"prod\" {\n  name = \n}\n"),
        (
            "main.tf",
            b"resource \"sym_error_logger\" \"l\" {\n  integration_id = sym_environment.prod.id\n  destination    = var.dest\n}\n",
        ),
    ]);
    let (m, sources) = load(tmp.path());
    assert_eq!(
        kinds(&m),
        [(
            module::ProblemKind::Syntax,
            "invalid HCL syntax: expected an expression, found a newline".to_owned()
        )]
    );
    assert!(m.undeclared.is_empty(), "{:?}", m.undeclared);
    assert_eq!(errors_in(&m), Vec::<String>::new());
    let r = Render {
        sources: &sources,
        root: tmp.path(),
        out: String::new(),
    };
    let logger = m.entity("sym_error_logger.l").expect("logger");
    assert_eq!(
        r.value(&logger.body.attr("integration_id").expect("attr").value),
        "unknown(unsupported resource `sym_environment.prod`, which may be declared in a file that does not parse @ main.tf:2:20-2:43)"
    );

    // Once the file parses, a name it does not declare is undeclared again.
    std::fs::write(
        tmp.path().join("env.tf"),
        "resource \"sym_environment\" \"prod\" {\n  name = \"prod\"\n}\n",
    )
    .expect("write");
    let (m, _) = load(tmp.path());
    let texts: Vec<&str> = m.undeclared.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["var.dest"]);
}

#[test]
fn outputs_of_a_child_with_a_broken_file_are_unknown_not_missing() {
    let tmp = temp_module(&[
        (
            "main.tf",
            b"module \"child\" {\n  source = \"./child\"\n}\n\nresource \"sym_environment\" \"e\" {\n  name = module.child.name\n}\n",
        ),
        ("child/outputs.tf", b"output \"name\" {\n  value = \n}\n"),
        ("child/main.tf", b"locals {\n  a = 1\n}\n"),
    ]);
    let (m, _) = load(tmp.path());
    // The child's syntax error, and nothing about `name` being missing.
    assert_eq!(m.problems.len(), 1, "{:?}", m.problems);
    assert_eq!(m.problems[0].kind, module::ProblemKind::Syntax);
    assert_eq!(errors_in(&m), Vec::<String>::new());
    let e = m.entity("sym_environment.e").expect("entity");
    assert!(
        matches!(e.body.value("name"), Some(Value::Unknown(u)) if matches!(&u.reason,
            UnknownReason::Unsupported { what } if what.contains("which has a file that does not parse"))),
        "{:?}",
        e.body.value("name")
    );
}

#[test]
fn nested_and_empty_module_instances_are_what_terraform_makes() {
    let tmp = temp_module(&[
        (
            "main.tf",
            br#"variable "on" {
  default = false
}

module "a" {
  count  = 1
  source = "./a"
}

module "off" {
  count  = var.on ? 1 : 0
  source = "./b"
  k      = "x"
}

module "t" {
  for_each = toset(["a"])
  source   = "./b"
  k        = each.key
}

module "broken" {
  count  = 1
  source = "./broken"
}

resource "sym_environment" "e" {
  name       = "e"
  label      = join(",", module.off[*].name)
  runtime_id = module.t["a"].id
}

resource "sym_environment" "f" {
  name       = "f"
  label      = module.broken[0].b
  depends_on = [module.t]
}
"#,
        ),
        ("a/main.tf", b"module \"b\" {\n  count  = 1\n  source = \"../b\"\n  k      = \"nested\"\n}\n"),
        (
            "b/main.tf",
            b"variable \"k\" {}\n\nresource \"sym_runtime\" \"r\" {\n  name = var.k\n}\n\noutput \"id\" {\n  value = sym_runtime.r.id\n}\n\noutput \"name\" {\n  value = sym_runtime.r.name\n}\n",
        ),
        ("broken/good.tf", b"output \"a\" {\n  value = 1\n}\n"),
        ("broken/bad.tf", b"output \"b\" {\n  value =\n"),
    ]);
    let (m, _) = load(tmp.path());
    // Only the broken file's own syntax error (once), nothing cascading.
    let kinds: Vec<_> = m.problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [module::ProblemKind::Syntax], "{:?}", m.problems);
    assert_eq!(errors_in(&m), Vec::<String>::new());
    // Each instance once, nested ones under their parent instance: no
    // entity for "all the instances" of an expanded module is left over.
    let runtimes: Vec<&str> = m
        .instances()
        .filter(|e| e.rtype == "sym_runtime")
        .map(|e| e.address.as_str())
        .collect();
    assert_eq!(
        runtimes,
        [
            "module.a[0].module.b[0].sym_runtime.r",
            "module.t[\"a\"].sym_runtime.r",
        ]
    );
    // No instances: `module.off[*].name` is an empty list, as in Terraform.
    let e = m.entity("sym_environment.e").expect("e");
    assert_eq!(e.body.str("label"), Some(""));
    // Dependencies name the instances that exist.
    let deps = |a: &str| -> Vec<String> {
        m.entity(a)
            .expect(a)
            .depends_on
            .iter()
            .map(|d| d.address.clone())
            .collect()
    };
    assert_eq!(deps("sym_environment.e"), ["module.t[\"a\"].sym_runtime.r"]);
    assert_eq!(deps("sym_environment.f"), ["module.t[\"a\"].sym_runtime.r"]);
}

#[test]
fn module_instances_past_the_cap_stand_for_all_their_instances() {
    // 50 instances of a module with 50 instances each: 2,550 loads, more
    // than the cap (2,000). The load stays quick; what is past the cap is
    // one stand-in entity per module, which deploy blocks.
    let tmp = temp_module(&[
        ("main.tf", b"module \"a\" {\n  count  = 50\n  source = \"./a\"\n  k      = count.index\n}\n"),
        ("a/main.tf", b"variable \"k\" {}\n\nmodule \"b\" {\n  count  = 50\n  source = \"../b\"\n  k      = \"${var.k}-${count.index}\"\n}\n"),
        ("b/main.tf", b"variable \"k\" {}\n\nresource \"sym_runtime\" \"r\" {\n  name = var.k\n}\n"),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let all: Vec<&str> = m.instances().map(|e| e.address.as_str()).collect();
    let one_by_one = all
        .iter()
        .filter(|a| a.ends_with("].sym_runtime.r"))
        .count();
    let stand_ins = all.len() - one_by_one;
    assert!(
        one_by_one > 0 && one_by_one <= symflow::module::MAX_MODULE_INSTANCES,
        "{one_by_one}"
    );
    assert!(stand_ins > 0, "{all:?}");
    assert!(
        all.contains(&"module.a[0].module.b[0].sym_runtime.r"),
        "{all:?}"
    );
    assert!(
        all.contains(&"module.a[49].module.b.sym_runtime.r"),
        "{all:?}"
    );
    let desired = symflow::deploy::desired::from_module(&m, &|_| None);
    let blocked = desired.iter().filter(|d| !d.blockers().is_empty()).count();
    assert_eq!(blocked, stand_ins);
}

#[test]
fn a_module_argument_that_reads_the_module_itself_is_a_cycle() {
    let tmp = temp_module(&[
        (
            "main.tf",
            b"module \"a\" {\n  count  = 2\n  source = \"./c\"\n  k      = module.a[0].name\n}\n\nmodule \"p\" {\n  source = \"./c\"\n  k      = module.p.name\n}\n\nmodule \"q\" {\n  source = \"./c\"\n  k      = module.p.name\n}\n",
        ),
        ("c/main.tf", b"variable \"k\" {}\n\noutput \"name\" {\n  value = \"x\"\n}\n"),
    ]);
    let (m, _) = load(tmp.path());
    let inputs = |name: &str| -> Vec<String> {
        let c = m.children.iter().find(|c| c.name == name).expect(name);
        c.module
            .variables
            .values()
            .map(|v| match &v.value {
                Value::Unknown(u) => match &u.reason {
                    UnknownReason::Error { message } => message.clone(),
                    other => format!("{other:?}"),
                },
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    // The cycles are errors in the arguments (SF005 reports them there) ...
    for name in ["a", "p"] {
        let got = inputs(name);
        assert!(
            got.iter().any(|m| m.contains("refers to itself")),
            "{name}: {got:?}"
        );
    }
    // ... and a module reading another one's output is no cycle.
    assert_eq!(inputs("q"), ["String(\"x\")"]);
}

#[test]
fn entities_know_which_sym_provider_configuration_manages_them() {
    let tmp = temp_module(&[
        (
            "main.tf",
            br#"
provider "sym" {
  org = "acme"
}

provider "sym" {
  alias       = "sandbox"
  org         = "acme-sandbox"
  jwt_env_var = "SYM_SANDBOX_JWT"
}

resource "sym_integration" "prod" {
  type        = "slack"
  name        = "slack"
  external_id = "T1"
}

resource "sym_integration" "sandbox" {
  provider    = sym.sandbox
  type        = "slack"
  name        = "slack"
  external_id = "T1"
}

module "passed" {
  source    = "./child"
  providers = { sym = sym.sandbox }
}

module "inherited" {
  source = "./child"
}

module "default_passed" {
  source    = "./child"
  providers = { sym = sym }
}
"#,
        ),
        (
            "child/main.tf",
            br#"
resource "sym_integration" "c" {
  type        = "slack"
  name        = "child"
  external_id = "T1"
}
"#,
        ),
    ]);
    let (m, _) = load(tmp.path());
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    let providers: Vec<(&str, Option<&str>)> = m
        .entities
        .iter()
        .map(|e| (e.address.as_str(), e.provider.as_deref()))
        .collect();
    assert_eq!(
        providers,
        [
            ("sym_integration.prod", None),
            ("sym_integration.sandbox", Some("sym.sandbox")),
            ("module.passed.sym_integration.c", Some("sym.sandbox")),
            ("module.inherited.sym_integration.c", None),
            ("module.default_passed.sym_integration.c", None),
        ]
    );
    // Deploy holds the default provider's token only: the others' entities
    // are blocked, not pushed into the default organization.
    let desired = symflow::deploy::desired::from_module(&m, &|_| None);
    let blocked: Vec<(&str, bool)> = desired
        .iter()
        .map(|d| {
            let blocked = d
                .blockers()
                .iter()
                .any(|(k, b)| k == "provider" && b.what.starts_with("`sym.sandbox`"));
            (d.address.as_str(), blocked)
        })
        .collect();
    assert_eq!(
        blocked,
        [
            ("sym_integration.prod", false),
            ("sym_integration.sandbox", true),
            ("module.passed.sym_integration.c", true),
            ("module.inherited.sym_integration.c", false),
            ("module.default_passed.sym_integration.c", false),
        ]
    );
}
