//! The `.symtest.hcl` model: test files parsed into typed runs, with spans.
//!
//! Parsing uses hcl-edit so that every error carries `file:line:col`. Only
//! literal values are allowed (strings, numbers, bools, null, lists and
//! objects): a test states facts, it does not compute them.

use std::collections::BTreeMap;
use std::time::Duration;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span as _;
use serde_json::Value as Json;

use crate::source::{FileId, SourceMap, Span};

/// Steps a run's `event` may name (those of `sym:approval` that tests support).
pub const EVENTS: &[&str] = &[
    "prompt",
    "request",
    "approve",
    "deny",
    "escalate",
    "deescalate",
];

/// Outcomes `expect.outcome` may name.
pub const OUTCOMES: &[&str] = &[
    "approve",
    "deny",
    "ignore",
    "request",
    "prompt",
    "escalate",
    "deescalate",
    "none",
];

/// A test file that could not be understood.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct TestFileError {
    pub message: String,
    pub span: Span,
}

/// One parsed `.symtest.hcl` file.
#[derive(Debug, Clone)]
pub struct TestFile {
    pub file: FileId,
    /// The top-level `flow = "..."`, the default for its runs.
    pub flow: Option<Spanned<String>>,
    pub runs: Vec<RunSpec>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// One `run "name" { ... }` block.
#[derive(Debug, Clone)]
pub struct RunSpec {
    pub name: String,
    /// The block's header (`run "name"`).
    pub span: Span,
    pub flow: Option<Spanned<String>>,
    pub event: String,
    pub user: Option<Json>,
    pub actor: Option<Json>,
    /// Field values in source order, each with the span of its key.
    pub fields: Vec<(String, Json, Span)>,
    pub vars: BTreeMap<String, String>,
    pub target: Option<String>,
    pub context: Option<Json>,
    pub mocks: Vec<MockSpec>,
    pub timeout: Option<Duration>,
    pub expect: Expect,
}

/// `mock "module.function" { when = {...} returns = ... | raises = ... }`
#[derive(Debug, Clone)]
pub struct MockSpec {
    pub target: String,
    pub span: Span,
    pub when: Option<serde_json::Map<String, Json>>,
    pub returns: Option<Json>,
    pub raises: Option<Raise>,
}

/// An exception a mock raises: a class of `sym.sdk.exceptions` (or a dotted
/// path, or a Python builtin), with constructor arguments or a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Raise {
    pub class: String,
    pub message: Option<String>,
    pub args: Option<Json>,
}

/// The `expect` block: an omitted key is not checked.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    pub outcome: Option<String>,
    pub notifications: Option<Vec<String>>,
    pub messages: Option<Vec<MessageExpect>>,
    pub permissions: Option<serde_json::Map<String, Json>>,
    /// `Some(None)`: `error = null`, no exception allowed.
    pub error: Option<Option<String>>,
    pub steps: Option<Vec<String>>,
    pub hooks: Option<Vec<String>>,
    pub reducers: Option<Vec<String>>,
    pub calls: Option<Vec<String>>,
    pub step_outputs: Option<serde_json::Map<String, Json>>,
    pub options: Option<serde_json::Map<String, Json>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MessageExpect {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

struct Ctx<'a> {
    file: FileId,
    text: &'a str,
}

impl Ctx<'_> {
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.file, range.unwrap_or(0..0))
    }
    fn err(
        &self,
        range: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> TestFileError {
        TestFileError {
            message: message.into(),
            span: self.span(range),
        }
    }
}

/// Parse one registered test file.
///
/// # Errors
/// The first problem found, with its span.
pub fn parse(sources: &SourceMap, file: FileId) -> Result<TestFile, TestFileError> {
    let text = &sources.get(file).text;
    let ctx = Ctx { file, text };
    let body: Body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        let offset = sources.get(file).offset_of(loc.line(), loc.column());
        TestFileError {
            message: format!("syntax error: {}", first_line(e.message())),
            span: Span::new(file, offset..offset),
        }
    })?;
    let mut flow = None;
    let mut runs: Vec<RunSpec> = Vec::new();
    for structure in &body {
        match structure {
            Structure::Attribute(attr) => match attr.key.as_str() {
                "flow" => {
                    flow = Some(Spanned {
                        value: string(&ctx, &attr.value, "flow")?,
                        span: ctx.span(attr.value.span()),
                    });
                }
                other => {
                    return Err(ctx.err(
                        attr.key.span(),
                        format!(
                        "unknown top-level attribute `{other}` (expected `flow` or `run` blocks)"
                    ),
                    ))
                }
            },
            Structure::Block(block) => {
                if block.ident.as_str() != "run" {
                    return Err(ctx.err(
                        block.ident.span(),
                        format!(
                            "unknown block `{}` (expected `run \"name\" {{ ... }}`)",
                            block.ident.as_str()
                        ),
                    ));
                }
                let run = parse_run(&ctx, block)?;
                if let Some(prev) = runs.iter().find(|r| r.name == run.name) {
                    let lc = ctx_line(&ctx, prev.span);
                    return Err(TestFileError {
                        message: format!(
                            "duplicate run `{}` (first defined on line {lc})",
                            run.name
                        ),
                        span: run.span,
                    });
                }
                runs.push(run);
            }
        }
    }
    Ok(TestFile { file, flow, runs })
}

fn ctx_line(ctx: &Ctx<'_>, span: Span) -> usize {
    ctx.text[..span.start.min(ctx.text.len())]
        .matches('\n')
        .count()
        + 1
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn header_span(ctx: &Ctx<'_>, block: &Block) -> Span {
    let start = block.ident.span().map_or(0, |r| r.start);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .map_or_else(|| block.ident.span().map_or(start, |r| r.end), |r| r.end);
    Span::new(ctx.file, start..end)
}

fn label(ctx: &Ctx<'_>, block: &Block, what: &str) -> Result<String, TestFileError> {
    match block.labels.as_slice() {
        [one] => Ok(one.as_str().to_owned()),
        _ => Err(ctx.err(
            block.ident.span(),
            format!("a `{what}` block needs exactly one label, like `{what} \"name\" {{ ... }}`"),
        )),
    }
}

fn parse_run(ctx: &Ctx<'_>, block: &Block) -> Result<RunSpec, TestFileError> {
    let name = label(ctx, block, "run")?;
    let mut run = RunSpec {
        name,
        span: header_span(ctx, block),
        flow: None,
        event: String::new(),
        user: None,
        actor: None,
        fields: Vec::new(),
        vars: BTreeMap::new(),
        target: None,
        context: None,
        mocks: Vec::new(),
        timeout: None,
        expect: Expect::default(),
    };
    let mut saw_event = false;
    let mut saw_expect = false;
    for structure in &block.body {
        match structure {
            Structure::Attribute(attr) => {
                let key = attr.key.as_str();
                let v = &attr.value;
                match key {
                    "flow" => {
                        run.flow = Some(Spanned {
                            value: string(ctx, v, key)?,
                            span: ctx.span(v.span()),
                        });
                    }
                    "event" => {
                        let e = string(ctx, v, key)?;
                        if !EVENTS.contains(&e.as_str()) {
                            let hint = if e == "request_forward" || e == "request_expire" {
                                " (request_forward and request_expire are not supported yet)"
                                    .to_owned()
                            } else {
                                did_you_mean(&e, EVENTS)
                            };
                            return Err(ctx.err(
                                v.span(),
                                format!(
                                    "unknown event `{e}`: expected one of {}{hint}",
                                    EVENTS.join(", ")
                                ),
                            ));
                        }
                        run.event = e;
                        saw_event = true;
                    }
                    "user" | "actor" => {
                        let u = user(ctx, v, key)?;
                        if key == "user" {
                            run.user = Some(u);
                        } else {
                            run.actor = Some(u);
                        }
                    }
                    "fields" => {
                        let Expression::Object(obj) = v else {
                            return Err(ctx.err(
                                v.span(),
                                "`fields` must be an object like { reason = \"...\" }",
                            ));
                        };
                        for (k, val) in obj {
                            let (name, kspan) = object_key(ctx, k)?;
                            run.fields.push((name, literal(ctx, val.expr())?, kspan));
                        }
                    }
                    "vars" => {
                        let Json::Object(map) = literal(ctx, v)? else {
                            return Err(ctx.err(
                                v.span(),
                                "`vars` must be an object like { channel = \"#x\" }",
                            ));
                        };
                        for (k, val) in map {
                            let s = match val {
                                Json::String(s) => s,
                                Json::Bool(b) => b.to_string(),
                                Json::Number(n) => n.to_string(),
                                other => {
                                    return Err(ctx.err(
                                        v.span(),
                                        format!("var `{k}` must be a string, number or bool (flow vars are strings), not {}", json_type(&other)),
                                    ))
                                }
                            };
                            run.vars.insert(k, s);
                        }
                    }
                    "target" => run.target = Some(string(ctx, v, key)?),
                    "context" => {
                        let c = literal(ctx, v)?;
                        if !c.is_object() {
                            return Err(ctx.err(v.span(), "`context` must be an object"));
                        }
                        run.context = Some(c);
                    }
                    "timeout" => {
                        let t = string(ctx, v, key)?;
                        run.timeout = Some(parse_duration(&t).map_err(|m| ctx.err(v.span(), m))?);
                    }
                    other => {
                        return Err(ctx.err(
                            attr.key.span(),
                            format!(
                                "unknown attribute `{other}` in run `{}`{}",
                                run.name,
                                did_you_mean(other, RUN_KEYS)
                            ),
                        ))
                    }
                }
            }
            Structure::Block(inner) => match inner.ident.as_str() {
                "mock" => run.mocks.push(parse_mock(ctx, inner)?),
                "expect" => {
                    if saw_expect {
                        return Err(
                            ctx.err(inner.ident.span(), "a run has at most one `expect` block")
                        );
                    }
                    saw_expect = true;
                    run.expect = parse_expect(ctx, inner)?;
                }
                other => {
                    return Err(ctx.err(
                        inner.ident.span(),
                        format!(
                            "unknown block `{other}` in run `{}` (expected `mock` or `expect`)",
                            run.name
                        ),
                    ))
                }
            },
        }
    }
    if !saw_event {
        return Err(TestFileError {
            message: format!(
                "run `{}` has no `event` (one of {})",
                run.name,
                EVENTS.join(", ")
            ),
            span: run.span,
        });
    }
    Ok(run)
}

const RUN_KEYS: &[&str] = &[
    "flow", "event", "user", "actor", "fields", "vars", "target", "context", "timeout",
];

const EXPECT_KEYS: &[&str] = &[
    "outcome",
    "notifications",
    "messages",
    "permissions",
    "error",
    "steps",
    "hooks",
    "reducers",
    "calls",
    "step_outputs",
    "options",
];

fn parse_mock(ctx: &Ctx<'_>, block: &Block) -> Result<MockSpec, TestFileError> {
    let target = label(ctx, block, "mock")?;
    let span = header_span(ctx, block);
    let mut mock = MockSpec {
        target,
        span,
        when: None,
        returns: None,
        raises: None,
    };
    let mut args = None;
    for structure in &block.body {
        let Structure::Attribute(attr) = structure else {
            return Err(ctx.err(
                structure.span(),
                "a mock holds only `when`, `returns`, `raises` and `args`",
            ));
        };
        let v = &attr.value;
        match attr.key.as_str() {
            "when" => match literal(ctx, v)? {
                Json::Object(m) => mock.when = Some(m),
                _ => return Err(ctx.err(v.span(), "`when` must be an object of argument values, like { user = \"alice@example.com\" }")),
            },
            "returns" => mock.returns = Some(literal(ctx, v)?),
            "raises" => {
                let s = string(ctx, v, "raises")?;
                let (class, message) = match s.split_once(':') {
                    Some((c, m)) => (c.trim().to_owned(), Some(m.trim().to_owned())),
                    None => (s.trim().to_owned(), None),
                };
                if class.is_empty() || !class.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    return Err(ctx.err(v.span(), "`raises` names an exception class, like \"PagerDutyError: not found\" or \"sym.sdk.exceptions.pagerduty.PagerDutyError\""));
                }
                mock.raises = Some(Raise { class, message, args: None });
            }
            "args" => {
                let a = literal(ctx, v)?;
                if !(a.is_array() || a.is_object()) {
                    return Err(ctx.err(v.span(), "`args` must be a list (positional) or an object (keyword) of constructor arguments"));
                }
                args = Some((a, v.span()));
            }
            other => {
                return Err(ctx.err(
                    attr.key.span(),
                    format!("unknown attribute `{other}` in mock `{}` (expected when, returns, raises, args)", mock.target),
                ))
            }
        }
    }
    match (&mut mock.raises, args) {
        (Some(r), Some((a, _))) => r.args = Some(a),
        (None, Some((_, sp))) => return Err(ctx.err(sp, "`args` only goes with `raises`")),
        _ => {}
    }
    if mock.raises.is_some() && mock.returns.is_some() {
        return Err(TestFileError {
            message: format!(
                "mock `{}` has both `returns` and `raises`; pick one",
                mock.target
            ),
            span,
        });
    }
    if mock.raises.is_none() && mock.returns.is_none() {
        return Err(TestFileError {
            message: format!(
                "mock `{}` needs `returns = ...` or `raises = \"ExceptionName: message\"`",
                mock.target
            ),
            span,
        });
    }
    if !mock.target.contains('.') {
        return Err(TestFileError {
            message: format!(
                "mock `{}` must name `module.function`, like \"pagerduty.is_on_call\"",
                mock.target
            ),
            span,
        });
    }
    Ok(mock)
}

fn parse_expect(ctx: &Ctx<'_>, block: &Block) -> Result<Expect, TestFileError> {
    let mut e = Expect::default();
    for structure in &block.body {
        let Structure::Attribute(attr) = structure else {
            return Err(ctx.err(structure.span(), "`expect` holds only attributes"));
        };
        let v = &attr.value;
        let key = attr.key.as_str();
        match key {
            "outcome" => {
                let o = string(ctx, v, key)?;
                if !OUTCOMES.contains(&o.as_str()) {
                    return Err(ctx.err(
                        v.span(),
                        format!(
                            "unknown outcome `{o}`: expected one of {}{}",
                            OUTCOMES.join(", "),
                            did_you_mean(&o, OUTCOMES)
                        ),
                    ));
                }
                e.outcome = Some(o);
            }
            "notifications" => e.notifications = Some(string_list(ctx, v, key)?),
            "steps" | "hooks" | "reducers" | "calls" => {
                let list = Some(string_list(ctx, v, key)?);
                match key {
                    "steps" => e.steps = list,
                    "hooks" => e.hooks = list,
                    "reducers" => e.reducers = list,
                    _ => e.calls = list,
                }
            }
            "messages" => {
                let Json::Array(items) = literal(ctx, v)? else {
                    return Err(ctx.err(
                        v.span(),
                        "`messages` must be a list like [{ to = \"#x\", contains = \"approved\" }]",
                    ));
                };
                let mut out = Vec::new();
                for item in items {
                    let Json::Object(mut m) = item else {
                        return Err(ctx.err(
                            v.span(),
                            "each `messages` entry is an object with `to`, `contains` or `text`",
                        ));
                    };
                    let mut take = |k: &str| -> Result<Option<String>, TestFileError> {
                        match m.remove(k) {
                            None | Some(Json::Null) => Ok(None),
                            Some(Json::String(s)) => Ok(Some(s)),
                            Some(_) => Err(ctx.err(
                                v.span(),
                                format!("`{k}` in a `messages` entry must be a string"),
                            )),
                        }
                    };
                    let entry = MessageExpect {
                        to: take("to")?,
                        contains: take("contains")?,
                        text: take("text")?,
                    };
                    if let Some(k) = m.keys().next() {
                        return Err(ctx.err(v.span(), format!("unknown key `{k}` in a `messages` entry (expected to, contains, text)")));
                    }
                    out.push(entry);
                }
                e.messages = Some(out);
            }
            "permissions" | "step_outputs" | "options" => {
                let Json::Object(m) = literal(ctx, v)? else {
                    return Err(ctx.err(v.span(), format!("`{key}` must be an object")));
                };
                if key == "permissions" {
                    for k in m.keys() {
                        if !["webapp_view", "approve_deny", "allow_self_approval"]
                            .contains(&k.as_str())
                        {
                            return Err(ctx.err(v.span(), format!("unknown key `{k}` in `permissions` (expected webapp_view, approve_deny, allow_self_approval)")));
                        }
                    }
                    e.permissions = Some(m);
                } else if key == "step_outputs" {
                    e.step_outputs = Some(m);
                } else {
                    e.options = Some(m);
                }
            }
            "error" => match literal(ctx, v)? {
                Json::Null => e.error = Some(None),
                Json::String(s) => e.error = Some(Some(s)),
                _ => {
                    return Err(ctx.err(
                        v.span(),
                        "`error` is null or a substring of the expected exception",
                    ))
                }
            },
            other => {
                return Err(ctx.err(
                    attr.key.span(),
                    format!(
                        "unknown attribute `{other}` in expect{}",
                        did_you_mean(other, EXPECT_KEYS)
                    ),
                ))
            }
        }
    }
    Ok(e)
}

fn did_you_mean(word: &str, options: &[&str]) -> String {
    options
        .iter()
        .map(|o| (strsim::jaro_winkler(word, o), *o))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, o)| format!(" (did you mean `{o}`?)"))
        .unwrap_or_default()
}

fn json_type(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a bool",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn string(ctx: &Ctx<'_>, v: &Expression, what: &str) -> Result<String, TestFileError> {
    match literal(ctx, v)? {
        Json::String(s) => Ok(s),
        other => Err(ctx.err(
            v.span(),
            format!("`{what}` must be a string, not {}", json_type(&other)),
        )),
    }
}

fn string_list(ctx: &Ctx<'_>, v: &Expression, what: &str) -> Result<Vec<String>, TestFileError> {
    match literal(ctx, v)? {
        Json::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Json::String(s) => Ok(s),
                other => Err(ctx.err(
                    v.span(),
                    format!(
                        "`{what}` must be a list of strings, found {}",
                        json_type(&other)
                    ),
                )),
            })
            .collect(),
        other => Err(ctx.err(
            v.span(),
            format!(
                "`{what}` must be a list of strings, not {}",
                json_type(&other)
            ),
        )),
    }
}

fn user(ctx: &Ctx<'_>, v: &Expression, what: &str) -> Result<Json, TestFileError> {
    let u = literal(ctx, v)?;
    match &u {
        Json::String(_) => Ok(serde_json::json!({ "email": u })),
        Json::Object(m) => {
            const KEYS: &[&str] = &[
                "email",
                "username",
                "role",
                "first_name",
                "last_name",
                "type",
                "identities",
                "id",
            ];
            for k in m.keys() {
                if !KEYS.contains(&k.as_str()) {
                    return Err(ctx.err(
                        v.span(),
                        format!(
                            "unknown key `{k}` in `{what}` (expected {})",
                            KEYS.join(", ")
                        ),
                    ));
                }
            }
            if !m.contains_key("email") && !m.contains_key("username") {
                return Err(ctx.err(
                    v.span(),
                    format!("`{what}` needs an `email` (or a `username`)"),
                ));
            }
            if let Some(role) = m.get("role") {
                if !matches!(role.as_str(), Some("admin" | "member" | "guest")) {
                    return Err(ctx.err(
                        v.span(),
                        format!("`{what}.role` must be \"admin\", \"member\" or \"guest\""),
                    ));
                }
            }
            Ok(u)
        }
        other => Err(ctx.err(
            v.span(),
            format!(
                "`{what}` must be an email or an object like {{ email = \"...\" }}, not {}",
                json_type(other)
            ),
        )),
    }
}

fn object_key(ctx: &Ctx<'_>, k: &ObjectKey) -> Result<(String, Span), TestFileError> {
    match k {
        ObjectKey::Ident(id) => Ok((id.as_str().to_owned(), ctx.span(id.span()))),
        ObjectKey::Expression(e) => match literal(ctx, e)? {
            Json::String(s) => Ok((s, ctx.span(e.span()))),
            _ => Err(ctx.err(e.span(), "object keys must be names or strings")),
        },
    }
}

/// A literal HCL expression as JSON.
fn literal(ctx: &Ctx<'_>, e: &Expression) -> Result<Json, TestFileError> {
    Ok(match e {
        Expression::Null(_) => Json::Null,
        Expression::Bool(b) => Json::Bool(*b.value()),
        Expression::Number(n) => number(n.value()),
        Expression::String(s) => Json::String(s.value().clone()),
        Expression::Array(a) => Json::Array(a.iter().map(|x| literal(ctx, x)).collect::<Result<_, _>>()?),
        Expression::Object(o) => {
            let mut m = serde_json::Map::new();
            for (k, v) in o {
                let (key, _) = object_key(ctx, k)?;
                m.insert(key, literal(ctx, v.expr())?);
            }
            Json::Object(m)
        }
        Expression::Parenthesis(p) => literal(ctx, p.inner())?,
        Expression::UnaryOp(op) if matches!(op.operator.value(), hcl_edit::expr::UnaryOperator::Neg) => {
            match literal(ctx, &op.expr)? {
                Json::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        Json::from(-i)
                    } else {
                        serde_json::Number::from_f64(-n.as_f64().unwrap_or(0.0)).map_or(Json::Null, Json::Number)
                    }
                }
                _ => return Err(ctx.err(e.span(), "`-` applies to numbers only")),
            }
        }
        Expression::HeredocTemplate(h) => {
            let text = heredoc_text(ctx, h.span()).ok_or_else(|| {
                ctx.err(h.span(), "heredocs with `${...}` or `%{...}` are not allowed in test files")
            })?;
            Json::String(text)
        }
        Expression::StringTemplate(_) => {
            return Err(ctx.err(e.span(), "interpolation (`${...}`) is not allowed in test files: write the literal value"))
        }
        _ => {
            return Err(ctx.err(
                e.span(),
                "only literal values (strings, numbers, bools, null, lists, objects) are allowed in test files",
            ))
        }
    })
}

fn number(n: &hcl_edit::Number) -> Json {
    if let Some(i) = n.as_i64() {
        Json::from(i)
    } else {
        n.as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Json::Null, Json::Number)
    }
}

/// The text of a heredoc without interpolation, from its source.
fn heredoc_text(ctx: &Ctx<'_>, range: Option<std::ops::Range<usize>>) -> Option<String> {
    let raw = ctx.text.get(range?)?;
    if raw.contains("${") || raw.contains("%{") {
        return None;
    }
    let rest = raw.strip_prefix("<<")?;
    let (indent, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (_, body) = rest.split_once('\n')?;
    let mut lines: Vec<&str> = body.lines().collect();
    lines.pop(); // the closing marker
    if indent {
        let min = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let out: Vec<&str> = lines.iter().map(|l| l.get(min..).unwrap_or("")).collect();
        return Some(out.join("\n") + "\n");
    }
    Some(lines.join("\n") + "\n")
}

/// `2s`, `500ms`, `1m`, `1.5s`.
///
/// # Errors
/// A message saying what a duration looks like.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| {
        format!("`{text}` is not a duration: use a number and a unit, like 2s, 500ms or 1m")
    })?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" => n * 60.0,
        _ => return Err(format!("`{text}` has an unknown unit: use ms, s or m")),
    };
    if !(secs > 0.0 && secs <= 3600.0) {
        return Err(format!("`{text}` must be more than 0 and at most an hour"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn parse_text(text: &str) -> Result<TestFile, (String, usize, usize)> {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new(
            "t.symtest.hcl".into(),
            "t.symtest.hcl".into(),
            text.to_owned(),
        ));
        parse(&sources, id).map_err(|e| {
            let lc = sources.get(id).line_col(e.span.start);
            (e.message, lc.line, lc.column)
        })
    }

    #[test]
    fn parses_a_full_run() {
        let f = parse_text(
            r##"flow = "approval"
run "a" {
  event = "approve"
  user = { email = "a@x.io", role = "admin" }
  actor = "b@x.io"
  fields = { reason = "x", count = -3 }
  vars = { n = 1, on = true }
  timeout = "500ms"
  mock "pagerduty.is_on_call" {
    when = { user = "a@x.io" }
    returns = true
  }
  mock "okta.users_in_group" {
    raises = "OktaError"
    args = ["NOT_FOUND", "gone"]
  }
  expect {
    outcome = "approve"
    notifications = ["#a"]
    messages = [{ to = "#a", contains = "ok" }]
    error = null
  }
}
"##,
        )
        .expect("parses");
        assert_eq!(f.flow.as_ref().map(|s| s.value.as_str()), Some("approval"));
        let r = &f.runs[0];
        assert_eq!(r.event, "approve");
        assert_eq!(r.fields[1].1, serde_json::json!(-3));
        assert_eq!(r.vars.get("n").map(String::as_str), Some("1"));
        assert_eq!(r.vars.get("on").map(String::as_str), Some("true"));
        assert_eq!(r.timeout, Some(Duration::from_millis(500)));
        assert_eq!(r.mocks.len(), 2);
        assert_eq!(
            r.mocks[1].raises.as_ref().map(|x| x.class.as_str()),
            Some("OktaError")
        );
        assert_eq!(r.expect.error, Some(None));
        assert_eq!(r.actor, Some(serde_json::json!({"email": "b@x.io"})));
    }

    #[test]
    fn errors_carry_line_and_column() {
        let (msg, line, col) =
            parse_text("run \"a\" {\n  event = \"aprove\"\n}\n").expect_err("bad event");
        assert!(msg.contains("did you mean `approve`"), "{msg}");
        assert_eq!((line, col), (2, 11));
        let (msg, line, _) =
            parse_text("run \"a\" {\n  event = \"request\"\n  expect { outcom = \"none\" }\n}\n")
                .expect_err("bad key");
        assert!(msg.contains("did you mean `outcome`"), "{msg}");
        assert_eq!(line, 3);
        let (msg, line, _) = parse_text("run \"a\" {\n  event = \n}\n").expect_err("syntax");
        assert!(msg.starts_with("syntax error"), "{msg}");
        assert!(line >= 2);
        let (msg, ..) =
            parse_text("run \"a\" {\n  event = \"request\"\n  fields = { a = \"${x}\" }\n}\n")
                .expect_err("interp");
        assert!(msg.contains("interpolation"), "{msg}");
        let (msg, ..) = parse_text("run \"a\" {}\n").expect_err("no event");
        assert!(msg.contains("has no `event`"), "{msg}");
        let (msg, ..) = parse_text("run \"a\" {\n event = \"request\"\n mock \"x.y\" {}\n}\n")
            .expect_err("empty mock");
        assert!(msg.contains("needs `returns"), "{msg}");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("3h").is_err());
    }
}
