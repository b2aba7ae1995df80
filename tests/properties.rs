//! Property tests for the invariants that hold whatever the input:
//!
//! - every diagnostic's span lies within its file (generated modules that
//!   mix valid and invalid Sym configuration);
//! - `plan(desired, remote-after-apply)` is empty: what deploy sends, once
//!   stored and read back, compares equal (creates and updates, including
//!   attributes cleared back to their defaults);
//! - what `init` renders from hostile values is read by symflow's own
//!   parsers (module loader, test-file parser, impl.py analysis) without a
//!   syntax problem (the init tests check the same files with hcl-rs).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use serde_json::Value as Json;

use symflow::api::entities::{
    decode, encode, fill_defaults, Def, Field, Fields, Kind, Ty, PROMPT_FIELD,
};
use symflow::deploy::desired::Desired;
use symflow::deploy::plan::{plan, Action, RemoteState};

// ---------------------------------------------------------------------------
// Spans.

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("name".to_owned()),
        Just("label".to_owned()),
        Just("type".to_owned()),
        Just("implementation".to_owned()),
        Just("environment_id".to_owned()),
        Just("settings".to_owned()),
        Just("integrations".to_owned()),
        Just("vars".to_owned()),
        Just("external_id".to_owned()),
        Just("lable".to_owned()),
        "[a-z_]{1,8}",
    ]
}

fn expr(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        Just("\"x\"".to_owned()),
        Just("\"é ${var.v} %{if true}y%{endif}\"".to_owned()),
        Just("1".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("var.v".to_owned()),
        Just("var.missing".to_owned()),
        Just("local.l".to_owned()),
        Just("local.nope".to_owned()),
        Just("sym_environment.e.id".to_owned()),
        Just("sym_integration.nope.id".to_owned()),
        Just("aws_iam_role.r.arn".to_owned()),
        Just("file(\"${path.module}/impl.py\")".to_owned()),
        Just("file(\"missing.py\")".to_owned()),
        Just("\"impl.py\"".to_owned()),
        Just("<<-EOT\n  héredoc\n  EOT\n".to_owned()),
        "\"[a-zé😀 ]{0,6}\"",
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let inner = expr(depth - 1);
    prop_oneof![
        3 => leaf,
        1 => prop::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
        1 => prop::collection::vec((ident(), inner.clone()), 0..3).prop_map(|v| {
            format!("{{ {} }}", v.into_iter().map(|(k, e)| format!("{k} = {e}")).collect::<Vec<_>>().join(", "))
        }),
        1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("jsonencode({a}) == {b}")),
        1 => (inner.clone(), inner).prop_map(|(a, b)| format!("format(\"%s-%d\", {a}, {b})")),
    ]
    .boxed()
}

fn block() -> impl Strategy<Value = String> {
    let rtype = prop_oneof![
        Just("sym_flow"),
        Just("sym_environment"),
        Just("sym_integration"),
        Just("sym_strategy"),
        Just("sym_target"),
        Just("sym_secret"),
        Just("sym_error_logger"),
        Just("sym_runtime"),
        Just("sym_flo"),
        Just("aws_iam_role"),
    ];
    let attrs = prop::collection::vec((ident(), expr(2)), 0..5);
    let params = prop::option::of(prop::collection::vec(
        (
            prop_oneof![Just("string"), Just("bool"), Just("list"), Just("nope")],
            any::<bool>(),
        ),
        0..3,
    ));
    (rtype, "[a-z]{1,3}", attrs, params, any::<bool>()).prop_map(
        |(rtype, name, attrs, params, count)| {
            let mut s = format!("resource \"{rtype}\" \"{name}\" {{\n");
            if count {
                s.push_str("  count = 2\n");
            }
            for (k, e) in attrs {
                let _ = writeln!(s, "  {k} = {e}");
            }
            if let Some(fields) = params {
                s.push_str("  params {\n");
                for (i, (ty, prefetch)) in fields.into_iter().enumerate() {
                    let _ = writeln!(
                        s,
                        "    prompt_field {{\n      name = \"f{i}\"\n      type = \"{ty}\"\n      prefetch = {prefetch}\n    }}"
                    );
                }
                s.push_str("  }\n");
            }
            s.push_str("}\n");
            s
        },
    )
}

fn module_text() -> impl Strategy<Value = Vec<u8>> {
    let preamble = "variable \"v\" {\n  default = \"prod\"\n}\nlocals {\n  l = \"x\"\n}\nresource \"sym_environment\" \"e\" {\n  name = var.v\n}\n";
    (
        prop::collection::vec(block(), 0..6),
        prop::option::of(("[ -~]{0,3}", any::<prop::sample::Index>())),
        any::<bool>(),
    )
        .prop_map(move |(blocks, damage, crlf)| {
            let mut text = format!("{preamble}{}", blocks.join("\n"));
            // Sometimes break it somewhere, on a character boundary.
            if let Some((junk, at)) = damage {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                text.insert_str(i, &junk);
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every finding of `validate` (and every loader problem) points inside
    /// its file, and every emitter renders it.
    #[test]
    fn diagnostic_spans_lie_within_their_file(text in module_text()) {
        symflow::fuzz_targets::validate_tf(&text);
    }
}

// ---------------------------------------------------------------------------
// plan(desired, remote-after-apply) is empty.

fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9 _.-]{1,10}",
        "\\PC{0,12}",
        any::<String>().prop_map(|s| s.chars().take(16).collect()),
    ]
    // The API's literal for "no integration" is not a value users set.
    .prop_filter("not the null literal", |s| s != "<null>")
}

fn value_for(ty: Ty) -> BoxedStrategy<Field> {
    match ty {
        // Names in any case, not only ASCII: the API lower-cases slugs and
        // names compare case-insensitively.
        Ty::Name => "[A-Za-zÉéÖöΣσ][A-Za-z0-9_ÉéÖö-]{0,10}"
            .prop_map(Field::Name)
            .boxed(),
        Ty::Str => text_value().prop_map(Field::Str).boxed(),
        Ty::Text => text_value().prop_map(Field::Text).boxed(),
        Ty::Bool => any::<bool>().prop_map(Field::Bool).boxed(),
        Ty::List => prop::collection::vec(text_value(), 0..3)
            .prop_map(Field::List)
            .boxed(),
        Ty::Map => prop::collection::btree_map("[a-z_]{1,6}", text_value(), 0..3)
            .prop_map(Field::Map)
            .boxed(),
        Ty::PromptFields => prop::collection::vec(fields_for(PROMPT_FIELD, 0), 0..3)
            .prop_map(Field::PromptFields)
            .boxed(),
    }
}

/// Desired fields of one entity: required attributes always, others
/// sometimes; the provider's defaults filled in, as `desired` does.
fn fields_for(attrs: &'static [symflow::api::entities::Attr], _depth: u8) -> BoxedStrategy<Fields> {
    let parts: Vec<BoxedStrategy<Option<(String, Field)>>> = attrs
        .iter()
        .map(|attr| {
            let key = attr.key.to_owned();
            let value = value_for(attr.ty);
            if attr.def == Def::Required {
                value.prop_map(move |v| Some((key.clone(), v))).boxed()
            } else {
                prop::option::of(value)
                    .prop_map(move |v| v.map(|v| (key.clone(), v)))
                    .boxed()
            }
        })
        .collect();
    parts
        .prop_map(move |pairs| {
            let mut f: Fields = pairs.into_iter().flatten().collect();
            fill_defaults(attrs, &mut f);
            f
        })
        .boxed()
}

fn desired_set() -> impl Strategy<Value = Vec<Desired>> {
    let per_kind: Vec<BoxedStrategy<Desired>> = Kind::ALL
        .iter()
        .map(|&kind| {
            fields_for(kind.attrs(), 1)
                .prop_map(move |fields| Desired {
                    address: format!("{}.x", kind.rtype()),
                    kind,
                    data: false,
                    fields,
                    depends_on: Vec::new(),
                    location: None,
                })
                .boxed()
        })
        .collect();
    per_kind
}

/// A tiny in-memory store that treats bodies as the API does: slugs stored
/// lower-case, `id` assigned on create, top-level keys replaced on update.
#[derive(Default)]
struct Store {
    items: BTreeMap<(Kind, String), Json>,
    next: u64,
}

impl Store {
    fn create(&mut self, kind: Kind, mut body: Json) {
        self.next += 1;
        let id = format!("id-{}", self.next);
        body["id"] = Json::String(id.clone());
        if let Some(slug) = body.get("slug").and_then(Json::as_str) {
            body["slug"] = Json::String(slug.to_lowercase());
        }
        self.items.insert((kind, id), body);
    }

    fn update(&mut self, kind: Kind, id: &str, body: Json) {
        let Some(stored) = self.items.get_mut(&(kind, id.to_owned())) else {
            panic!("update of a missing {kind:?} {id}");
        };
        if let Json::Object(patch) = body {
            for (k, mut v) in patch {
                if k == "slug" {
                    v = Json::String(v.as_str().unwrap_or_default().to_lowercase());
                }
                stored[k.as_str()] = v;
            }
        }
    }

    fn remote(&self) -> RemoteState {
        RemoteState {
            entities: self
                .items
                .iter()
                .map(|((kind, _), json)| decode(*kind, json).expect("stored entities decode"))
                .collect(),
            hints: BTreeMap::new(),
        }
    }

    /// Apply a plan the way deploy does (create bodies, update bodies with
    /// the entry's cleared attributes).
    fn apply(&mut self, desired: &[Desired]) {
        let remote = self.remote();
        let p = plan(desired, &remote);
        for e in &p.entries {
            let d = desired
                .iter()
                .find(|d| d.address == e.address)
                .expect("entry of a desired entity");
            match e.action {
                Action::Create => {
                    let body = encode(d.kind, &d.address, &d.fields, None, &[]).expect("known");
                    self.create(d.kind, body);
                }
                Action::Update => {
                    let id = e.id.clone().expect("an update has an id");
                    let body =
                        encode(d.kind, &d.address, &d.fields, Some(&id), &e.clear).expect("known");
                    self.update(d.kind, &id, body);
                }
                Action::Unchanged | Action::Read | Action::CannotDeploy => {}
            }
        }
    }
}

fn assert_converged(desired: &[Desired], store: &Store) -> Result<(), TestCaseError> {
    let p = plan(desired, &store.remote());
    for e in &p.entries {
        prop_assert_eq!(
            e.action,
            Action::Unchanged,
            "{} still differs after apply: {:?}",
            &e.address,
            e.changes
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Create everything, read it back: nothing left to do.
    #[test]
    fn plan_after_create_is_empty(desired in desired_set()) {
        let mut store = Store::default();
        store.apply(&desired);
        assert_converged(&desired, &store)?;
    }

    /// Then change every entity (same identity, other values), apply the
    /// updates, read back: nothing left to do.
    #[test]
    fn plan_after_update_is_empty(first in desired_set(), second in desired_set()) {
        let mut store = Store::default();
        store.apply(&first);
        // Keep each entity's identity (name, type, identifying content) so
        // that the second set updates rather than creates.
        let second: Vec<Desired> = first
            .iter()
            .zip(second)
            .map(|(a, mut b)| {
                for key in ["name", "type", "path", "source_id", "integration_id", "destination", "settings"] {
                    match a.fields.get(key) {
                        Some(v) => { b.fields.insert(key.to_owned(), v.clone()); }
                        None => { b.fields.remove(key); }
                    }
                }
                b
            })
            .collect();
        store.apply(&second);
        assert_converged(&second, &store)?;
    }
}

// ---------------------------------------------------------------------------
// init with hostile values: symflow's own parsers read the result.

mod init_output {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use proptest::prelude::*;
    use symflow::module::{self, LoadOptions, ProblemKind};
    use symflow::scaffold::inputs::{Field, FLOW_TYPES};
    use symflow::scaffold::{self, Inputs, Mode, TemplateSet};
    use symflow::source::{SourceFile, SourceMap};

    fn hostile() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\"}\n] ${x} %{y} <<EOT\nEOT".to_owned()),
            Just("\r\n\t\u{0}\u{feff}\u{2028}".to_owned()),
            Just("'''\"\"\"\\".to_owned()),
            "\\PC{0,16}",
            any::<String>().prop_map(|s| s.chars().take(24).collect()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn rendered_modules_have_no_syntax_problems(values in prop::collection::vec(hostile(), Field::ALL.len()), pick in any::<prop::sample::Index>()) {
            let values: BTreeMap<Field, String> = Field::ALL.iter().copied().zip(values).collect();
            let flow_type = FLOW_TYPES[pick.index(FLOW_TYPES.len())];
            let mut inputs = Inputs { flow_type, values: BTreeMap::new() };
            for field in scaffold::required_fields(flow_type, false) {
                inputs.values.insert(field, values[&field].clone());
            }
            let files = scaffold::render(&TemplateSet::embedded(), &inputs, &Mode::NewModule)
                .expect("renders");
            let dir = tempfile::tempdir().expect("tmp");
            for f in &files {
                // A hostile flow name is also part of a test file's name;
                // the CLI refuses such names before rendering, so keep the
                // path writable here.
                let safe: String = f.path.chars().map(|c| if c.is_ascii_alphanumeric() || "._/-".contains(c) { c } else { '_' }).collect();
                let p = dir.path().join(safe.trim_start_matches('/').replace("..", "__"));
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                std::fs::write(&p, &f.contents).expect("write");
            }
            let mut sources = SourceMap::new();
            let m = module::load(dir.path(), &mut sources, &LoadOptions::default());
            let syntax: Vec<_> = m.problems.iter().filter(|p| p.kind == ProblemKind::Syntax).collect();
            prop_assert!(syntax.is_empty(), "{:?}", syntax);
            for f in &files {
                if std::path::Path::new(&f.path).extension().is_some_and(|e| e == "py") {
                    let a = symflow::python::analyze(&f.contents);
                    prop_assert!(a.syntax_errors.is_empty(), "{}: {:?}\n{}", f.path, a.syntax_errors, f.contents);
                }
                if f.path.ends_with(".symtest.hcl") {
                    let mut map = SourceMap::new();
                    let id = map.add(SourceFile::new(PathBuf::from(&f.path), PathBuf::from(&f.path), f.contents.clone()));
                    let parsed = symflow::simulate::model::parse(&map, id);
                    prop_assert!(parsed.is_ok(), "{}: {:?}\n{}", f.path, parsed.err().map(|e| e.message), f.contents);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The JSON syntax reader against serde_json.

mod json_syntax {
    use proptest::prelude::*;
    use serde_json::Value as Json;
    use symflow::hcl::expr::{Expression, ObjectKey};
    use symflow::hcl::json::parse_body;

    fn any_string() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z ]{0,8}",
            // Quotes, backslashes, control characters, `$`/`%` without a
            // template, astral characters: every escape serde_json writes.
            "[\"\\\\/\u{0}-\u{1f}$%a\u{e9}\u{1f600}]{0,12}",
            // No `{` at all: no `${` or `%{` can appear.
            any::<String>().prop_map(|s| s.replace('{', "(")),
        ]
    }

    fn value() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i32>().prop_map(Json::from),
            (-1.0e12f64..1.0e12).prop_map(Json::from),
            any_string().prop_map(Json::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
                prop::collection::btree_map(any_string(), inner, 0..5)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A literal expression back as JSON.
    fn to_json(e: &Expression) -> Json {
        match e {
            Expression::Null(_) => Json::Null,
            Expression::Bool(b) => Json::Bool(*b.value()),
            Expression::Number(n) => n
                .value()
                .as_f64()
                .and_then(serde_json::Number::from_f64)
                .map_or(Json::Null, Json::Number),
            Expression::String(s) => Json::String(s.value().clone()),
            Expression::Array(a) => Json::Array(a.iter().map(to_json).collect()),
            Expression::Object(o) => Json::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            other => format!("{other:?}"),
                        };
                        (key, to_json(v.expr()))
                    })
                    .collect(),
            ),
            other => Json::String(format!("unexpected {other:?}")),
        }
    }

    /// Numbers compare as f64 (serde_json keeps integers apart).
    fn normalize(v: &Json) -> Json {
        match v {
            Json::Number(n) => n
                .as_f64()
                .and_then(serde_json::Number::from_f64)
                .map_or(Json::Null, Json::Number),
            Json::Array(a) => Json::Array(a.iter().map(normalize).collect()),
            Json::Object(o) => {
                Json::Object(o.iter().map(|(k, x)| (k.clone(), normalize(x))).collect())
            }
            other => other.clone(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// A variable's `default` is read literally: what serde_json wrote,
        /// compact or pretty, reads back as the same value.
        #[test]
        fn literal_values_read_back_as_serde_json_wrote_them(v in value(), pretty in any::<bool>()) {
            let doc = serde_json::json!({"variable": {"v": {"default": v.clone()}}});
            let text = if pretty {
                serde_json::to_string_pretty(&doc).expect("serialize")
            } else {
                serde_json::to_string(&doc).expect("serialize")
            };
            let body = parse_body(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            let block = body.blocks().next().expect("variable block");
            let default = &block.body.get_attribute("default").expect("default").value;
            prop_assert_eq!(normalize(&to_json(default)), normalize(&v));
        }

        /// Any text: an error or a tree, never a panic; an error points
        /// inside the text.
        #[test]
        fn any_text_is_a_tree_or_an_error(text in any::<String>()) {
            if let Err(e) = parse_body(&text) {
                prop_assert!(e.offset() <= text.len());
            }
        }

        /// Strings as expressions: without a template sequence, the same
        /// text as serde_json decodes.
        #[test]
        fn plain_strings_decode_as_serde_json_does(s in any_string()) {
            let doc = serde_json::json!({"locals": {"x": s.clone()}});
            let text = serde_json::to_string(&doc).expect("serialize");
            let body = parse_body(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            let locals = body.blocks().next().expect("locals");
            let x = &locals.body.get_attribute("x").expect("x").value;
            prop_assert_eq!(to_json(x), Json::String(s));
        }
    }
}
