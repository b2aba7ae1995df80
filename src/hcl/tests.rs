//! The parser against hcl-edit's: same inputs, same trees, same spans.
#![allow(clippy::many_single_char_names)] // paired trees: a/b, x/y, p/q

use std::fmt::Write as _;
use std::ops::Range;

use hcl_edit::Span as _;
use proptest::prelude::*;

use super::ast as m;
use super::parser;
use super::Span as _;

type R = Result<(), String>;

#[allow(clippy::needless_pass_by_value)] // called with the `span()` results
fn same_span(what: &str, a: Option<Range<usize>>, b: Option<Range<usize>>) -> R {
    if a == b {
        Ok(())
    } else {
        Err(format!("{what}: span hcl-edit {a:?} ours {b:?}"))
    }
}

fn same<T: PartialEq + std::fmt::Debug>(what: &str, a: &T, b: &T) -> R {
    if a == b {
        Ok(())
    } else {
        Err(format!("{what}: hcl-edit {a:?} ours {b:?}"))
    }
}

fn body(a: &hcl_edit::structure::Body, b: &m::Body) -> R {
    same("body length", &a.len(), &b.len())?;
    for (x, y) in a.iter().zip(b.iter()) {
        match (x, y) {
            (hcl_edit::structure::Structure::Attribute(x), m::Structure::Attribute(y)) => {
                same("key", &x.key.value().as_str(), &y.key.as_str())?;
                same_span("key", x.key.span(), y.key.span())?;
                same_span("attribute", x.span(), y.span())?;
                expr(&x.value, &y.value)?;
            }
            (hcl_edit::structure::Structure::Block(x), m::Structure::Block(y)) => {
                same("block", &x.ident.value().as_str(), &y.ident.as_str())?;
                same_span("block ident", x.ident.span(), y.ident.span())?;
                same_span("block", x.span(), y.span())?;
                same("labels", &x.labels.len(), &y.labels.len())?;
                for (l, k) in x.labels.iter().zip(&y.labels) {
                    let kind = |s: bool| if s { "string" } else { "ident" };
                    same(
                        "label kind",
                        &kind(matches!(l, hcl_edit::structure::BlockLabel::String(_))),
                        &kind(matches!(k, m::BlockLabel::String(_))),
                    )?;
                    same("label", &l.as_str(), &k.as_str())?;
                    same_span("label", l.span(), k.span())?;
                }
                body(&x.body, &y.body)?;
            }
            _ => return Err(format!("structure kind differs at {:?}", y.span())),
        }
    }
    Ok(())
}

fn ident(a: &hcl_edit::Decorated<hcl_edit::Ident>, b: &m::Decorated<m::Ident>) -> R {
    same("ident", &a.value().as_str(), &b.as_str())?;
    same_span("ident", a.span(), b.span())
}

#[allow(clippy::too_many_lines)]
fn expr(a: &hcl_edit::expr::Expression, b: &m::Expression) -> R {
    use hcl_edit::expr::Expression as A;
    use m::Expression as B;
    same_span(&format!("expression {b:?}"), a.span(), b.span())?;
    match (a, b) {
        (A::Null(_), B::Null(_)) => Ok(()),
        (A::Bool(x), B::Bool(y)) => same("bool", x.value(), y.value()),
        (A::Number(x), B::Number(y)) => same("number", &x.value().as_f64(), &y.as_f64()),
        (A::String(x), B::String(y)) => same("string", &x.value().as_str(), &y.as_str()),
        (A::Variable(x), B::Variable(y)) => ident(x, y),
        (A::Array(x), B::Array(y)) => {
            same("array length", &x.len(), &y.len())?;
            x.iter().zip(y.iter()).try_for_each(|(p, q)| expr(p, q))
        }
        (A::Object(x), B::Object(y)) => {
            same("object length", &x.len(), &y.len())?;
            for ((ka, va), (kb, vb)) in x.iter().zip(y.iter()) {
                match (ka, kb) {
                    (hcl_edit::expr::ObjectKey::Ident(p), m::ObjectKey::Ident(q)) => ident(p, q)?,
                    (hcl_edit::expr::ObjectKey::Expression(p), m::ObjectKey::Expression(q)) => {
                        expr(p, q)?;
                    }
                    _ => return Err(format!("object key kind differs: {kb:?}")),
                }
                expr(va.expr(), vb.expr())?;
            }
            Ok(())
        }
        (A::StringTemplate(x), B::StringTemplate(y)) => template(x, y),
        (A::HeredocTemplate(x), B::HeredocTemplate(y)) => {
            same("delimiter", &x.delimiter.as_str(), &y.delimiter.as_str())?;
            same("indent", &x.indent(), &y.indent)?;
            template(&x.template, &y.template)
        }
        (A::Parenthesis(x), B::Parenthesis(y)) => expr(x.inner(), y.inner()),
        (A::Conditional(x), B::Conditional(y)) => {
            expr(&x.cond_expr, &y.cond_expr)?;
            expr(&x.true_expr, &y.true_expr)?;
            expr(&x.false_expr, &y.false_expr)
        }
        (A::FuncCall(x), B::FuncCall(y)) => {
            ident(&x.name.name, &y.name.name)?;
            same(
                "namespace",
                &x.name.namespace.len(),
                &y.name.namespace.len(),
            )?;
            for (p, q) in x.name.namespace.iter().zip(&y.name.namespace) {
                ident(p, q)?;
            }
            same(
                "expand final",
                &x.args.expand_final(),
                &y.args.expand_final(),
            )?;
            same("arguments", &x.args.len(), &y.args.len())?;
            x.args
                .iter()
                .zip(y.args.iter())
                .try_for_each(|(p, q)| expr(p, q))
        }
        (A::Traversal(x), B::Traversal(y)) => {
            expr(&x.expr, &y.expr)?;
            same("operators", &x.operators.len(), &y.operators.len())?;
            for (p, q) in x.operators.iter().zip(&y.operators) {
                same_span("traversal operator", p.span(), q.span())?;
                use hcl_edit::expr::TraversalOperator as P;
                use m::TraversalOperator as Q;
                match (p.value(), q.value()) {
                    (P::AttrSplat(_), Q::AttrSplat(_)) | (P::FullSplat(_), Q::FullSplat(_)) => {}
                    (P::GetAttr(i), Q::GetAttr(j)) => ident(i, j)?,
                    (P::Index(i), Q::Index(j)) => expr(i, j)?,
                    (P::LegacyIndex(i), Q::LegacyIndex(j)) => {
                        same("legacy index", i.value(), j.value())?;
                    }
                    _ => return Err(format!("traversal operator differs: {q:?}")),
                }
            }
            Ok(())
        }
        (A::UnaryOp(x), B::UnaryOp(y)) => {
            same(
                "unary operator",
                &format!("{:?}", x.operator.value()),
                &format!("{:?}", y.operator.value()),
            )?;
            expr(&x.expr, &y.expr)
        }
        (A::BinaryOp(x), B::BinaryOp(y)) => {
            same(
                "binary operator",
                &format!("{:?}", x.operator.value()),
                &format!("{:?}", y.operator.value()),
            )?;
            expr(&x.lhs_expr, &y.lhs_expr)?;
            expr(&x.rhs_expr, &y.rhs_expr)
        }
        (A::ForExpr(x), B::ForExpr(y)) => {
            match (&x.intro.key_var, &y.intro.key_var) {
                (Some(p), Some(q)) => ident(p, q)?,
                (None, None) => {}
                _ => return Err("for key variable differs".to_owned()),
            }
            ident(&x.intro.value_var, &y.intro.value_var)?;
            expr(&x.intro.collection_expr, &y.intro.collection_expr)?;
            match (&x.key_expr, &y.key_expr) {
                (Some(p), Some(q)) => expr(p, q)?,
                (None, None) => {}
                _ => return Err("for key expression differs".to_owned()),
            }
            expr(&x.value_expr, &y.value_expr)?;
            same("grouping", &x.grouping, &y.grouping)?;
            match (&x.cond, &y.cond) {
                (Some(p), Some(q)) => expr(&p.expr, &q.expr),
                (None, None) => Ok(()),
                _ => Err("for condition differs".to_owned()),
            }
        }
        _ => Err(format!("expression kind differs: ours {b:?}")),
    }
}

fn strip(a: hcl_edit::template::Strip, b: m::Strip) -> R {
    same(
        "strip",
        &(a.strip_start(), a.strip_end()),
        &(b.strip_start(), b.strip_end()),
    )
}

fn template(a: &hcl_edit::template::Template, b: &m::Template) -> R {
    use hcl_edit::template::{Directive as D, Element as A};
    use m::{Directive as E, Element as B};
    same("template length", &a.len(), &b.len())?;
    for (x, y) in a.iter().zip(b.iter()) {
        match (x, y) {
            (A::Literal(p), B::Literal(q)) => {
                same("literal", &p.value().as_str(), &q.value().as_str())?;
                same_span("literal", p.span(), q.span())?;
            }
            (A::Interpolation(p), B::Interpolation(q)) => {
                strip(p.strip, q.strip)?;
                expr(&p.expr, &q.expr)?;
            }
            (A::Directive(p), B::Directive(q)) => match (p.as_ref(), q.as_ref()) {
                (D::If(p), E::If(q)) => {
                    strip(p.if_expr.strip, q.if_expr.strip)?;
                    expr(&p.if_expr.cond_expr, &q.if_expr.cond_expr)?;
                    template(&p.if_expr.template, &q.if_expr.template)?;
                    match (&p.else_expr, &q.else_expr) {
                        (Some(s), Some(t)) => {
                            strip(s.strip, t.strip)?;
                            template(&s.template, &t.template)?;
                        }
                        (None, None) => {}
                        _ => return Err("else differs".to_owned()),
                    }
                    strip(p.endif_expr.strip, q.endif_expr.strip)?;
                }
                (D::For(p), E::For(q)) => {
                    strip(p.for_expr.strip, q.for_expr.strip)?;
                    match (&p.for_expr.key_var, &q.for_expr.key_var) {
                        (Some(s), Some(t)) => ident(s, t)?,
                        (None, None) => {}
                        _ => return Err("for key differs".to_owned()),
                    }
                    ident(&p.for_expr.value_var, &q.for_expr.value_var)?;
                    expr(&p.for_expr.collection_expr, &q.for_expr.collection_expr)?;
                    template(&p.for_expr.template, &q.for_expr.template)?;
                    strip(p.endfor_expr.strip, q.endfor_expr.strip)?;
                }
                _ => return Err("directive kind differs".to_owned()),
            },
            _ => return Err(format!("template element kind differs: ours {y:?}")),
        }
    }
    Ok(())
}

/// Both parsers accept `text` and build the same tree.
fn agree(text: &str) -> R {
    let theirs = hcl_edit::parser::parse_body(text);
    let ours = parser::parse_body(text);
    match (theirs, ours) {
        (Ok(a), Ok(b)) => body(&a, &b),
        (Err(e), Ok(_)) => Err(format!("hcl-edit rejects ({e}), we accept")),
        (Ok(_), Err(e)) => Err(format!("hcl-edit accepts, we reject: {e}")),
        (Err(_), Err(_)) => Ok(()),
    }
}

/// When both accept, the trees are the same (errors may differ).
fn agree_when_both_accept(text: &str) -> R {
    match (hcl_edit::parser::parse_body(text), parser::parse_body(text)) {
        (Ok(a), Ok(b)) => body(&a, &b),
        _ => Ok(()),
    }
}

const SNIPPETS: &[&str] = &[
    "",
    "\n\n",
    "a = 1\n",
    "a = 1",
    "a = 1 # c\nb = 2 // d\n/* e */ c = 3\n",
    "a = -1.5e3\nb = 1.25\nc = 007\nd = - 4\ne = 1e+2\nf = 18446744073709551616\n",
    "a = true\nb = false\nc = null\nd = nothing\n",
    "a = \"x\\n\\t\\\"\\\\ \\u00e9 \\U0001F600\"\n",
    "a = \"$${literal} %%{literal}\"\nb = \"\"\n",
    "a = \"pre ${var.x} mid ${local.y[0]} post\"\n",
    "a = \"${~ x ~}\"\nb = \"%{ if c }yes%{ else }no%{ endif }\"\n",
    "a = \"%{~ for k, v in m ~}${k}=${v};%{~ endfor ~}\"\n",
    "a = [1, 2, 3]\nb = []\nc = [\n  1,\n  2,\n]\nd = [ # c\n 1 # d\n , 2 ]\n",
    "a = { x = 1, y = \"z\" }\nb = {}\nc = {\n  x = 1\n  \"y\" = 2\n  (var.k) = 3\n  w: 4,\n}\n",
    "a = { x = 1 # c\n y = 2 // d\n}\n",
    "a = b.c.d\nb = x[0].y[\"z\"]\nc = x.*.y\nd = x[*].y\ne = x.0.1\nf = x .y [ 1 ]\n",
    "a = f()\nb = f(1)\nc = f(1, 2,)\nd = f(xs...)\ne = provider::p::f(1)\nf = g (1)\n",
    "a = f(\n  1,\n  2\n)\nb = f(\n  [1],\n  {a = 1},\n)\n",
    "a = x ? 1 : 2\nb = x == 1 ? \"a\" : y ? \"b\" : \"c\"\n",
    "a = 1 + 2 * 3 - 4 / 5 % 6\nb = a && b || !c\nc = x < 1 && y >= 2 || z != 3 && w <= 4 == v > 5\n",
    "a = -x\nb = !x.y\nc = - - 1\nd = !(a || b)\ne = (1 +\n 2)\n",
    "a = [for x in xs : x.name]\nb = [for i, x in xs : x if i > 0]\nc = {for k, v in m : k => v}\nd = {for k, v in m : v => k...}\ne = {for k, v in m : k => v if v != null}\n",
    "a = [\n  for x in xs :\n  upper(x)\n  if x != \"\"\n]\n",
    "a = <<EOT\nhello\n  world ${x}\nEOT\n",
    "a = <<-EOT\n    hello\n      world\n    ${x} end\n    EOT\n",
    "a = <<EOT\nEOT\n",
    "b = <<EOT\n\nEOT\nc = <<-EOT\n  %{ if x }a%{ endif }\n  EOT\n",
    "a = <<EOF\nline $${x} %%{y} \\n\nEOF\n",
    "a = <<EOT\r\ncrlf ${x}\r\nEOT\r\n",
    "resource \"sym_flow\" \"this\" {\n  name = \"x\"\n  params {\n    prompt_field {\n      name = \"reason\"\n    }\n  }\n}\n",
    "a {}\nb \"l\" {}\nc l1 \"l2\" { x = 1 }\nd { # c\n}\ne {\n}\n",
    "locals {\n  x = { for k in ks : k => upper(k) }\n}\n",
    "a = x.y[\"${z}\"]\n",
    "a = [x...]\n",
    "a = { (k) = 1 }\n",
    "a = \"\u{e9}t\u{e9} ${\u{e9}}\"\n\u{e9}t\u{e9} = 1\n",
    "a = 1\r\nb = 2\r\n",
    "a = x /* c */ + /* d */ y\n",
    "a = [1, /* c */ 2]\n",
    "block {\n  a = 1\n\n  # comment\n\n  b = 2\n}\n",
    "a = x[\n  0\n]\n",
    "a = f(x)[0].y\nb = [1, 2][0]\nc = {a = 1}.a\nd = \"s\".x\n",
    "a = x.y.*\n",
    "a = jsonencode({\n  a = [1, 2]\n  b = { c = \"d\" }\n})\n",
    "a = <<-EOT\n  a\n\n    b\n  EOT\n",
    "a = <<-EOT\n  ${x}\n  y\n  EOT\n",
    "a = <<-EOT\n  x ${y}\n    z\n  EOT\n",
    "a = \"%{ for x in xs }${x}%{ endfor }\"\n",
    "a = \"%{if x}%{if y}a%{else}b%{endif}%{endif}\"\n",
    // Runs of blanks longer and shorter than eight, tabs among spaces, blanks
    // at the end of the text.
    "x {\n                    a          =           1\n  \t  b\t\t= 2          \n\n\n        c = [\n                1,\n   2 ]\n}          \n        ",
    // Inside brackets an expression goes on across lines.
    "a = (x\n  + 1)\nb = [x\n  , y]\nc = f(x\n  ? 1 : 2)\nd = (x\n  .y)\ne = (x\n  [0])\n",
    "a = [f(x), (y), [z], {k = v}]\nb = f(g(h(1)))\nc = {k = (v)}\n",
];

/// Inputs both parsers must reject.
const BAD: &[&str] = &[
    "a = \n",
    "a = 1 b = 2\n",
    "a { b = 1 c = 2 }\n",
    "a = [1, 2\n",
    "a = {x = 1\n",
    "a = f(1, 2\n",
    "a = \"unterminated\n",
    "a = \"bad \\q escape\"\n",
    "a = 1\na = 2\n",
    "a = { x = 1, x = 2 }\n",
    "a = <<EOT\nno end\n",
    "a = x ? 1\n",
    "a = x.\n",
    "\"a\" = 1\n",
    "a \"${x}\" {}\n",
    "a = 1e\n",
    "a = x & y\n",
    "a { b {} }\n",
    "a = \"%{ if x }\"\n",
    "a = \"${\"\n",
    "{}\n",
    // Outside brackets a line ends the attribute.
    "a = x\n  + 1\n",
    "a = x\n  ? 1 : 2\n",
    "a = x\n  .y\n",
];

#[test]
fn snippets_parse_to_the_same_trees() {
    let mut failures = String::new();
    for s in SNIPPETS {
        if let Err(e) = agree(s) {
            let _ = writeln!(failures, "{s:?}: {e}");
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn bad_snippets_are_rejected_with_a_location() {
    for s in BAD {
        let e = parser::parse_body(s).expect_err(s);
        assert!(e.offset() <= s.len(), "{s:?}: {e:?}");
        assert!(!e.message().is_empty());
        assert!(
            hcl_edit::parser::parse_body(s).is_err(),
            "hcl-edit accepts {s:?}"
        );
    }
}

#[test]
fn the_repository_hcl_files_parse_to_the_same_trees() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![
        root.join("examples"),
        root.join("tests"),
        root.join("templates"),
    ];
    let mut n = 0;
    let mut failures = String::new();
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.to_string_lossy();
            if !(name.ends_with(".tf") || name.ends_with(".tfvars") || name.ends_with(".hcl")) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            n += 1;
            if let Err(e) = agree(&text) {
                let _ = writeln!(failures, "{}: {e}", p.display());
            }
        }
    }
    assert!(n >= 20, "only {n} files found");
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("a = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    match parser::parse_body(&deep) {
        Err(e) => assert!(e.message().contains("nested too deeply"), "{e}"),
        Ok(_) => panic!("100,000 nested lists accepted"),
    }
    let parens = format!("a = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    assert!(parser::parse_body(&parens).is_err());
    let unary = format!("a = {}x\n", "!".repeat(100_000));
    assert!(parser::parse_body(&unary).is_err());
    let ops = format!("a = 1{}\n", " + 1".repeat(1_000));
    match parser::parse_body(&ops) {
        Err(e) => assert!(e.message().contains("operators"), "{e}"),
        Ok(_) => panic!("1,000 operators accepted"),
    }
    let blocks = format!("{}{}", "a {\n".repeat(1000), "}\n".repeat(1000));
    assert!(parser::parse_body(&blocks).is_err());
}

#[test]
fn templates_and_expressions_parse_alone() {
    let t = parser::parse_template("Hello ${name}!\n%{ for x in xs }- ${x}\n%{ endfor }")
        .expect("template");
    assert_eq!(t.len(), 4);
    let e = parser::parse_expr("  [\"a\", 1]  ").expect("expression");
    assert!(matches!(e, m::Expression::Array(_)));
    assert!(parser::parse_expr("1 2").is_err());
}

// ----------------------------------------------------- generated inputs

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_owned()),
        Just("var".to_owned()),
        Just("local".to_owned()),
        Just("sym_flow".to_owned()),
        Just("each".to_owned()),
        Just("x-y_z9".to_owned()),
        Just("\u{e9}t\u{e9}".to_owned()),
    ]
}

fn literal_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("text".to_owned()),
        Just(" spaced  out ".to_owned()),
        Just("$${x}".to_owned()),
        Just("100%".to_owned()),
        Just("a\\nb\\t\\\"q\\\"".to_owned()),
        Just("\u{2603} snow".to_owned()),
        Just("$ and %".to_owned()),
    ]
}

fn plain_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("text".to_owned()),
        Just(" spaced ".to_owned()),
        Just("\u{2603}".to_owned()),
    ]
}

fn sp() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(""), Just(" "), Just("  "), Just(" /* c */ ")]
}

/// An expression that may be written on one line.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        (0u32..100_000).prop_map(|n| n.to_string()),
        Just("1.5".to_owned()),
        Just("-3".to_owned()),
        Just("2e3".to_owned()),
        name(),
        literal_text().prop_map(|t| format!("\"{t}\"")),
    ];
    leaf.prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            (name(), prop::collection::vec(name(), 1..3))
                .prop_map(|(r, a)| format!("{r}.{}", a.join("."))),
            (inner.clone(), inner.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
            inner.clone().prop_map(|a| format!("{a}.*.id")),
            inner.clone().prop_map(|a| format!("({a})[*]")),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(inner.clone(), 0..3)
                .prop_map(|v| format!("[\n{}\n]", v.join(",\n"))),
            prop::collection::vec((name(), inner.clone()), 0..3).prop_map(|v| {
                let mut seen = std::collections::HashSet::new();
                let items: Vec<String> = v
                    .into_iter()
                    .filter(|(k, _)| seen.insert(k.clone()))
                    .map(|(k, e)| format!("{k} = {e}"))
                    .collect();
                format!("{{ {} }}", items.join(", "))
            }),
            prop::collection::vec((name(), inner.clone()), 0..3).prop_map(|v| {
                let mut seen = std::collections::HashSet::new();
                let items: Vec<String> = v
                    .into_iter()
                    .filter(|(k, _)| seen.insert(k.clone()))
                    .map(|(k, e)| format!("  \"{k}\" : {e}"))
                    .collect();
                format!("{{\n{}\n}}", items.join("\n"))
            }),
            (
                name(),
                prop::collection::vec(inner.clone(), 0..3),
                any::<bool>()
            )
                .prop_map(|(f, a, expand)| {
                    let dots = if expand && !a.is_empty() { "..." } else { "" };
                    format!("{f}({}{dots})", a.join(", "))
                }),
            (inner.clone(), sp(), inner.clone(), sp(), inner.clone())
                .prop_map(|(c, s, t, s2, f)| format!("{c}{s}?{s2}{t} : {f}")),
            (
                inner.clone(),
                prop::sample::select(vec![
                    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"
                ]),
                sp(),
                inner.clone()
            )
                .prop_map(|(a, op, s, b)| format!("{a}{s}{op} {b}")),
            inner.clone().prop_map(|a| format!("!{a}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (name(), inner.clone(), inner.clone())
                .prop_map(|(v, c, e)| format!("[for {v} in {c} : {e}]")),
            (
                name(),
                inner.clone(),
                inner.clone(),
                inner.clone(),
                any::<bool>()
            )
                .prop_map(|(v, c, k, e, g)| format!(
                    "{{for i, {v} in {c} : {k} => {e}{} if {v} != null}}",
                    if g { "..." } else { "" }
                )),
            (literal_text(), inner.clone(), literal_text())
                .prop_map(|(a, e, b)| format!("\"{a}${{{e}}}{b}\"")),
            // No escapes inside directives: hcl-edit leaves them undecoded
            // there (HashiCorp's parser and ours decode them).
            (plain_text(), inner.clone(), plain_text(), any::<bool>()).prop_map(
                |(a, e, b, strip)| {
                    let t = if strip { "~" } else { "" };
                    format!("\"%{{{t} if {e} {t}}}{a}%{{ else }}{b}%{{ endif }}\"")
                }
            ),
            (inner.clone(), literal_text(), any::<bool>()).prop_map(|(e, a, dash)| {
                let a = a.replace('"', "'");
                let indent = if dash { "    " } else { "" };
                format!(
                    "<<{}EOT\n{indent}{a}\n{indent}  ${{{e}}} tail\n{indent}EOT",
                    if dash { "-" } else { "" }
                )
            }),
        ]
    })
}

fn file() -> impl Strategy<Value = String> {
    let attr = (
        name(),
        sp(),
        expression(),
        prop::sample::select(vec!["", " # c", " // d"]),
    )
        .prop_map(|(k, s, e, c)| (k, format!("{s}= {e}{c}")));
    prop::collection::vec(
        (
            attr,
            prop::sample::select(vec!["", "resource \"sym_flow\" \"x\"", "params", "b l"]),
        ),
        1..5,
    )
    .prop_map(|items| {
        let mut out = String::new();
        let mut seen = std::collections::HashSet::new();
        for ((k, rest), block) in items {
            if block.is_empty() {
                if seen.insert(k.clone()) {
                    let _ = writeln!(out, "{k}{rest}");
                }
            } else {
                let _ = writeln!(out, "{block} {{\n  {k}{rest}\n}}");
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn generated_files_parse_to_the_same_trees(text in file()) {
        if let Err(e) = agree(&text) {
            prop_assert!(false, "{}\n---\n{}", e, text);
        }
    }

    #[test]
    fn damaged_files_never_panic_and_agree_when_accepted(
        text in file(),
        cut in 0usize..400,
        insert in prop::sample::select(vec!["", "\n", "}", "{", "\"", "${", "[", "=", "#", "\\", "..."]),
    ) {
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let damaged = format!("{}{}{}", &text[..at], insert, &text[at..]);
        // A backslash inside a `%{ }` directive's text is the one known
        // difference (hcl-edit leaves escapes undecoded there; HashiCorp's
        // parser and ours decode them): not compared.
        prop_assume!(!(insert == "\\" && text.contains("%{")));
        if let Err(e) = agree_when_both_accept(&damaged) {
            prop_assert!(false, "{}\n---\n{}", e, damaged);
        }
    }
}

#[test]
fn top_level_structures_calling_file_functions_are_noted() {
    let text = "a = 1\nb = file(\"x\")\nresource \"r\" \"n\" {\n  c = 2\n}\nlocals {\n  d = [templatefile(\"t\", {}), file(\"y\")]\n}\ne = provider::p::file(\"z\")\nf = g.file\nh = lower(file(\"w\"))\n";
    let (body, calls) = parser::parse_body_noting_file_calls(text).expect("parses");
    assert_eq!(body.len(), 7);
    assert_eq!(calls, vec![1, 3, 6]);
    let (_, none) =
        parser::parse_body_noting_file_calls("a = 1\nb { c = file }\n").expect("parses");
    assert!(none.is_empty());
}
