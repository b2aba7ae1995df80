use super::*;

fn undefined(src: &str) -> Vec<String> {
    let a = analyze(src);
    assert!(a.syntax_errors.is_empty(), "{:?}", a.syntax_errors);
    a.undefined_names.into_iter().map(|u| u.name).collect()
}

fn at<'a>(src: &'a str, range: &Range<usize>) -> &'a str {
    &src[range.clone()]
}

const HANDLERS: &str = r#"from sym.sdk.annotations import hook, reducer, prefetch
from sym.sdk.integrations import slack
import sym.sdk.annotations as ann
from sym.sdk.notifications import Notification
from sym.sdk.request_permission import PermissionLevel, RequestPermission
from sym.sdk.templates import ApprovalTemplate


@reducer
def get_permissions(event):
    return RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=PermissionLevel.MEMBER)


@ann.reducer
def get_request_notifications(event):
    channel = event.flow.vars["request_channel"]
    return [Notification(destinations=[slack.channel(channel)])]


@prefetch(field_name="repo_name")
def get_repos(event):
    return []


@hook
async def on_request(evt, *args, extra=None, **kwargs):
    if evt.payload.fields.get("urgency") == "High":
        return ApprovalTemplate.approve(reason="urgent", ticket_id="T-1")


def get_user_department(event):
    return "eng"
"#;

#[test]
fn handlers_and_decorators_are_resolved_through_imports() {
    let a = analyze(HANDLERS);
    assert!(a.syntax_errors.is_empty());
    let names: Vec<_> = a.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "get_permissions",
            "get_request_notifications",
            "get_repos",
            "on_request",
            "get_user_department"
        ]
    );
    let f = &a.functions[0];
    assert_eq!(at(HANDLERS, &f.name_range), "get_permissions");
    assert_eq!(
        f.decorators[0].resolved.as_deref(),
        Some("sym.sdk.annotations.reducer")
    );
    assert!(f.has(HandlerDecorator::Reducer));
    assert!(at(HANDLERS, &f.range).starts_with("@reducer"));

    let notif = &a.functions[1];
    assert_eq!(notif.decorators[0].name, "ann.reducer");
    assert_eq!(
        notif.decorators[0].resolved.as_deref(),
        Some("sym.sdk.annotations.reducer")
    );
    assert!(notif.has(HandlerDecorator::Reducer));

    let pre = &a.functions[2].decorators[0];
    assert!(pre.is_call);
    assert_eq!(pre.kind, Some(HandlerDecorator::Prefetch));
    assert_eq!(pre.kwargs.len(), 1);
    assert_eq!(pre.kwargs[0].0, "field_name");
    assert_eq!(pre.kwargs[0].1.as_deref(), Some("repo_name"));
    assert_eq!(at(HANDLERS, &pre.kwargs[0].2), "field_name=\"repo_name\"");

    let hook = &a.functions[3];
    assert!(hook.is_async);
    assert_eq!(hook.params, ["evt", "args", "extra", "kwargs"]);
    assert!(hook.has(HandlerDecorator::Hook));

    assert!(a.functions[4].decorators.is_empty());
    assert!(a.undefined_names.is_empty(), "{:?}", a.undefined_names);
    assert!(!a.has_star_import);
    assert!(a.module_bindings.contains("get_user_department"));
}

#[test]
fn field_and_var_reads_carry_the_key_and_its_range() {
    let a = analyze(HANDLERS);
    assert_eq!(a.var_reads.len(), 1);
    assert_eq!(a.var_reads[0].key, "request_channel");
    assert_eq!(at(HANDLERS, &a.var_reads[0].range), "\"request_channel\"");
    assert_eq!(a.field_reads.len(), 1);
    assert_eq!(a.field_reads[0].key, "urgency");
    let kwargs: Vec<_> = a.template_kwargs.iter().map(String::as_str).collect();
    assert_eq!(kwargs, ["reason", "ticket_id"]);
    assert!(!a.template_kwargs_dynamic);
}

#[test]
fn reads_through_local_aliases_are_found_but_not_through_rebound_names() {
    let src = r#"
def on_request(event):
    fields = event.payload.fields
    flow_vars = event.flow.vars
    other = event.payload.fields
    other = {}
    if "a" in fields:
        return fields["a"] + fields.get("b", "") + flow_vars["c"] + other["d"]
    fields["written"] = 1
    return event.fields["not_the_payload"]
"#;
    let a = analyze(src);
    let f: Vec<_> = a.field_reads.iter().map(|r| r.key.as_str()).collect();
    let v: Vec<_> = a.var_reads.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(f, ["a", "b"]);
    assert_eq!(v, ["c"]);
}

#[test]
fn imports_are_recorded_one_per_name_with_try_and_star_flags() {
    let src = "import os.path\nfrom sym.sdk.annotations import hook as h, reducer\ntry:\n    import requests\nexcept ImportError:\n    requests = None\nfrom ..pkg import *\n";
    let a = analyze(src);
    let got: Vec<_> = a
        .imports
        .iter()
        .map(|i| (i.full_path(), i.alias.clone(), i.star, i.in_try, i.level))
        .collect();
    assert_eq!(
        got,
        [
            ("os.path".to_owned(), None, false, false, 0),
            (
                "sym.sdk.annotations.hook".to_owned(),
                Some("h".to_owned()),
                false,
                false,
                0
            ),
            (
                "sym.sdk.annotations.reducer".to_owned(),
                None,
                false,
                false,
                0
            ),
            ("requests".to_owned(), None, false, true, 0),
            ("pkg.*".to_owned(), None, true, false, 2),
        ]
    );
    assert_eq!(at(src, &a.imports[1].range), "hook as h");
    assert_eq!(at(src, &a.imports[1].module_range), "sym.sdk.annotations");
    assert!(a.has_star_import);
    // star import: nothing can be called undefined
    assert!(a.undefined_names.is_empty());
}

#[test]
fn the_undefined_names_of_syms_own_examples_are_found() {
    // reference §5.6: okta_sdk (user_ids), custom_integration
    // (persist_user_identity), TP after_impl.py (hook)
    let src = r#"from sym.sdk.annotations import reducer
from sym.sdk.integrations import okta, slack
from sym.sdk.request_permission import PermissionLevel, RequestPermission


@reducer
def get_permissions(event):
    approvers = okta.users_in_group(group_id=event.flow.vars["approvers_group"])
    return RequestPermission(
        webapp_view=PermissionLevel.ADMIN,
        approve_deny=user_ids(approvers),
        allow_self_approval=False,
    )


def get_custom_user(user, integration):
    identity = user.identity("custom", integration.external_id)
    if identity is None:
        identity = persist_user_identity(email=user.email, service="custom", service_id=integration.external_id, user_id="x")
    return identity.user_id


@hook
def after_escalate(event):
    slack.send_message(event.user, "done")
"#;
    let a = analyze(src);
    let got: Vec<_> = a
        .undefined_names
        .iter()
        .map(|u| (u.name.as_str(), at(src, &u.range)))
        .collect();
    assert_eq!(
        got,
        [
            ("user_ids", "user_ids"),
            ("persist_user_identity", "persist_user_identity"),
            ("hook", "hook"),
        ]
    );
    // the undefined `@hook` is still recognised as the SDK decorator
    let f = a
        .functions
        .iter()
        .find(|f| f.name == "after_escalate")
        .expect("fn");
    assert_eq!(f.decorators[0].kind, Some(HandlerDecorator::Hook));
    assert_eq!(f.decorators[0].resolved, None);
}

#[test]
fn valid_python_scoping_raises_no_false_alarm() {
    let src = r#"from __future__ import annotations
import logging, os.path as osp
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from sym.sdk.event import Event

log = logging.getLogger(__name__)
print(__file__, __doc__, __spec__, __builtins__ is not None)

def uses_later(event: Event) -> Later:
    return later_helper(event) + CONSTANT

def later_helper(e):
    global COUNTER
    COUNTER = 1
    return osp.join("a", "b")

CONSTANT = 3

def closure():
    total = 0
    def inner():
        nonlocal total
        total += 1
        return total
    return inner

class Config:
    limit = 3
    doubled = limit * 2
    items = [x for x in range(limit)]
    def method(self):
        return __class__, super().__init__(), self.limit

def comprehensions(rows):
    a = [r for r in rows if r]
    b = {k: v for k, v in rows}
    c = {y for x in rows for y in x}
    d = list(z for z in rows)
    if any((hit := r) for r in rows):
        return hit
    return a, b, c, d

def patterns(cmd):
    match cmd:
        case {"op": op, **rest}:
            return op, rest
        case [first, *others]:
            return first, others
        case Config(limit=lim) as cfg:
            return lim, cfg
        case _:
            return None

def errors():
    try:
        import yaml
    except ImportError as exc:
        yaml = None
        log.warning("%s", exc)
    with open("f") as fh, open("g") as (gh):
        return fh, gh, yaml

def f_strings(event, width=10):
    return f"{event!r:>{width}} {[w for w in 'ab']}"

def loops(rows):
    for i, (j, k) in enumerate(rows):
        del k
    else:
        i = j = None
    while (n := len(rows)) > 3:
        rows.pop()
    return i, j, n, (lambda q, *r, s=i, **t: (q, r, s, t))(1)

async def aio(stream):
    async for item in stream:
        async with item as ctx:
            await ctx
    return [x async for x in stream]

def generic[T](x: T) -> T:
    return x

class Box[T]:
    def get(self) -> T:
        return self.value

type Alias = list[Undefined]

def guarded():
    try:
        return maybe_missing
    except NameError:
        return None

def dunder():
    return __name__, __debug__, NotImplemented, Ellipsis, aiter, anext, ExceptionGroup
"#;
    assert_eq!(undefined(src), Vec::<String>::new());
}

#[test]
fn python_scoping_rules_that_do_raise_are_reported() {
    let src = r"
class Config:
    limit = 3
    def method(self):
        return limit

def comp(rows):
    squares = [s for s in rows]
    return s

def never_bound():
    return totally_missing

def local_annotation():
    x: NotChecked = 1
    return x
";
    assert_eq!(undefined(src), ["limit", "s", "totally_missing"]);
}

#[test]
fn annotations_are_checked_unless_postponed() {
    let src = "def on_request(event: Event) -> None:\n    pass\n";
    assert_eq!(undefined(src), ["Event"]);
    let src =
        "from __future__ import annotations\ndef on_request(event: Event) -> None:\n    pass\n";
    assert!(undefined(src).is_empty());
    let src = "def on_request(event: 'Event') -> None:\n    pass\n";
    assert!(undefined(src).is_empty());
}

#[test]
fn dynamic_namespaces_switch_the_report_off() {
    for src in [
        "globals()['x'] = 1\nprint(x)\n",
        "exec('x = 1')\nprint(x)\n",
        "import sys\nsetattr(sys.modules[__name__], 'x', 1)\nprint(x)\n",
        "import builtins\nbuiltins.x = 1\nprint(x)\n",
        "from somewhere import *\nprint(x)\n",
    ] {
        assert!(undefined(src).is_empty(), "{src}");
    }
}

#[test]
fn syntax_errors_have_lowercase_messages_and_ranges() {
    let src = "def on_request(event)\n    return 1\n";
    let a = analyze(src);
    assert!(!a.syntax_errors.is_empty());
    let e = &a.syntax_errors[0];
    assert!(
        e.message.starts_with(|c: char| c.is_lowercase()),
        "{}",
        e.message
    );
    assert!(!e.message.ends_with('.'));
    assert!(e.range.start <= src.len());
    // the first error is on the `def` line
    assert!(
        e.range.start < src.find('\n').expect("newline") + 1,
        "{e:?}"
    );
    // no undefined-name guesses on a file that does not parse
    assert!(a.undefined_names.is_empty());
}

#[test]
fn python_3_12_syntax_parses() {
    let src = r#"type Point = tuple[float, float]

def first[T](items: list[T]) -> T:
    return items[0]

def show(x):
    return f"{x["key"]} {'nested' + f"{x!r}"}"

try:
    pass
except* ValueError as group:
    pass
"#;
    let a = analyze(src);
    assert!(a.syntax_errors.is_empty(), "{:?}", a.syntax_errors);
    assert!(a.undefined_names.is_empty(), "{:?}", a.undefined_names);
}

#[test]
fn message_helper_lowercases_only_sentences() {
    assert_eq!(
        diagnostic_message("Expected ':', found newline."),
        "expected ':', found newline"
    );
    assert_eq!(diagnostic_message("IPython escape"), "IPython escape");
}

#[test]
fn suggestions_pick_close_names_only() {
    assert_eq!(
        suggest("on_aprove", ["on_approve", "on_deny"]),
        Some("on_approve")
    );
    assert_eq!(suggest("banana", ["on_approve", "on_deny"]), None);
}

fn in_small_thread(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic, no overflow");
}

#[test]
fn deep_nesting_neither_overflows_nor_panics() {
    in_small_thread(|| {
        let n = 100_000;
        let cases = [
            format!("x = {}1{}", "(".repeat(n), ")".repeat(n)),
            format!("x = {}1{}", "[".repeat(n), "]".repeat(n)),
            format!("x = {}1", "-".repeat(n)),
            format!("x = {}1", "not ".repeat(n)),
            format!("x = 1{}", " + 1".repeat(n)),
            format!("x = a{}", ".b".repeat(n)),
            format!("x = f{}", "()".repeat(n)),
            format!("x = {}", "lambda: ".repeat(n / 10)),
            format!("x = 2{}", " ** 2".repeat(n)),
            format!("x = {}1{}", "f(".repeat(n), ")".repeat(n)),
        ];
        for src in cases {
            let a = analyze(&src);
            // parentheses make no nodes; everything else nests past MAX_DEPTH
            assert!(
                src.starts_with("x = ((") || a.truncated || !a.syntax_errors.is_empty(),
                "{}",
                &src[..20]
            );
        }
        // deep indentation
        let mut src = String::new();
        for i in 0..2_000 {
            src.push_str(&" ".repeat(i));
            src.push_str("if x:\n");
        }
        src.push_str(&" ".repeat(2_000));
        src.push_str("pass\n");
        let _ = analyze(&src);
    });
}

#[test]
fn hostile_bytes_do_not_panic() {
    in_small_thread(|| {
        for src in [
            "\0",
            "def f(\0):\n\treturn \0",
            "x = '\0",
            "\u{feff}import sym\n",
            "f'{",
            "f'{x:{y:{z}}}'",
            "@\n",
            "@hook(\ndef",
            "class",
            "match x:\n case {**a, **b}:\n  pass",
            "from . import (",
            "lambda *: 0",
            "def f[T: (int, str) = int](): pass",
            "\r\r\n\t\x0c",
            "if True:\n\tx\n        y\n",
        ] {
            let _ = analyze(src);
        }
    });
}

mod fuzz {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn analyze_never_panics(src in "\\PC{0,200}") {
            let a = super::analyze(&src);
            for e in &a.syntax_errors {
                prop_assert!(e.range.end <= src.len());
            }
            for u in &a.undefined_names {
                prop_assert!(src.get(u.range.clone()).is_some());
            }
        }

        #[test]
        fn python_like_soup_never_panics(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "def ", "f", "(", ")", ":", "\n", "    ", "@hook", "x", "=", "[", "]",
                    "{", "}", "lambda", "for", "in", "if", "else", "'", "\"", "f\"", "\\",
                    ",", "*", "**", ":=", "class ", "return", "yield", "match", "case",
                    "import ", "from ", ".", "\0", "#", "async ", "await ", "global ",
                ]),
                0..80,
            )
        ) {
            let src: String = parts.concat();
            let _ = super::analyze(&src);
        }
    }
}

/// Zero findings on correct code: the bench corpus and realistic impls in
/// the style of Sym's examples, loaded through the real module loader.
mod no_false_alarms {
    use std::collections::BTreeMap;
    use std::path::Path;

    use crate::lint::registry::RULES;
    use crate::lint::LintContext;
    use crate::module::LoadOptions;
    use crate::python::{analyze, flows, testing};
    use crate::source::SourceMap;

    /// Load `dir`, analyse every implementation file, run the Python
    /// rules (`SF3xx`). Returns the rendered findings and the number of
    /// Python files analysed.
    fn lint_module(dir: &Path) -> (String, usize) {
        let mut sources = SourceMap::new();
        let module = crate::module::load(dir, &mut sources, &LoadOptions::default());
        let mut python = BTreeMap::new();
        for r in &module.implementations {
            if let Some(id) = flows::ref_file(r) {
                python
                    .entry(id)
                    .or_insert_with(|| analyze(&sources.get(id).text));
            }
        }
        let ctx = LintContext::new(&module, &sources, &python);
        let mut out = Vec::new();
        for rule in RULES.iter().filter(|r| r.info().code.starts_with("SF3")) {
            rule.check(&ctx, &mut out);
        }
        (testing::render(&sources, &out), python.len())
    }

    #[test]
    fn bench_corpus_has_no_python_findings() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("corpus");
        let status = std::process::Command::new("python3")
            .arg(&script)
            .arg(&dir)
            .args(["--flows", "100", "--seed", "1"])
            .stderr(std::process::Stdio::null())
            .status()
            .expect("python3 runs gen_corpus.py");
        assert!(status.success(), "gen_corpus.py failed");
        let (findings, files) = lint_module(&dir);
        assert_eq!(files, 100, "every impl of the corpus is analysed");
        assert_eq!(findings, "");
    }

    #[test]
    fn realistic_impls_have_no_findings() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/python/fixtures/realistic");
        let (findings, files) = lint_module(&dir);
        assert_eq!(files, 11, "every implementation file is analysed");
        assert_eq!(findings, "");
    }
}

#[test]
fn python_rules_are_registered_in_order_and_documented_in_ruffs_sections() {
    use crate::lint::registry::RULES;
    use crate::lint::{module_doc, Category};

    let rules: Vec<_> = RULES
        .iter()
        .map(|r| r.info())
        .filter(|i| i.code.starts_with("SF3"))
        .collect();
    let codes: Vec<_> = rules.iter().map(|i| i.code).collect();
    let expected: Vec<String> = (301..=311).map(|n| format!("SF{n}")).collect();
    assert_eq!(codes, expected);
    for info in rules {
        let doc = module_doc(info.doc);
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(doc.contains(section), "{} lacks {section}", info.code);
        }
        assert!(
            info.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not kebab-case",
            info.name
        );
        let expected = if info.code == "SF301" {
            Category::Syntax
        } else {
            Category::Python
        };
        assert_eq!(info.category, expected, "{}", info.code);
    }
}

#[test]
fn sdk_star_imports_still_mark_handlers() {
    let src = "from sym.sdk.annotations import *\nfrom mylib import *\n\n@hook\ndef on_request(event):\n    pass\n\n@thing\ndef other(event):\n    pass\n";
    let a = analyze(src);
    let d = &a.functions[0].decorators[0];
    assert_eq!(d.resolved.as_deref(), Some("sym.sdk.annotations.hook"));
    assert_eq!(d.kind, Some(HandlerDecorator::Hook));
    assert_eq!(a.functions[1].decorators[0].kind, None);
    assert!(a.undefined_names.is_empty());
}

#[test]
fn analyze_all_keeps_input_order_and_matches_analyze() {
    let big: Vec<String> = (0..64)
        .map(|i| {
            format!(
                "def f{i}(event):\n    return undefined_{i}\n{}",
                "# pad\n".repeat(1000)
            )
        })
        .collect();
    let texts: Vec<&str> = big.iter().map(String::as_str).collect();
    let all = analyze_all(&texts);
    assert_eq!(all.len(), texts.len());
    for (i, (a, t)) in all.iter().zip(&texts).enumerate() {
        assert_eq!(a, &analyze(t));
        assert_eq!(a.undefined_names[0].name, format!("undefined_{i}"));
    }
}
