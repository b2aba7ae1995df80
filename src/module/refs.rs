//! Syntactic reference collection: every `var.x`, `local.y`, `module.z`,
//! `data.t.n` and `t.n` written in an expression, with its span, whether or
//! not evaluation reaches it.

use crate::hcl::expr::{Expression, ObjectKey, TraversalOperator};
use crate::hcl::structure::{Body, Structure};
use crate::hcl::template::{Directive, Element, Template};
use crate::hcl::Span as _;

use super::decls::span_of;
use super::model::{InstanceKey, RefTarget, Reference};
use crate::source::FileId;

/// Root names that are never references to declarations.
const RESERVED: &[&str] = &["count", "each", "self", "path", "terraform"];

/// A reference plus the instance key written right after a resource name
/// (`sym_target.g["a"]`), when it is a literal.
#[derive(Debug, Clone)]
pub(crate) struct RawRef {
    pub reference: Reference,
    pub key: Option<InstanceKey>,
}

pub(crate) struct Collector {
    pub file: FileId,
    bound: Vec<String>,
    pub out: Vec<RawRef>,
}

impl Collector {
    pub(crate) fn new(file: FileId) -> Self {
        Collector {
            file,
            bound: Vec::new(),
            out: Vec::new(),
        }
    }

    /// The references in the body of a top-level block (resource, data,
    /// module, output, provider). Its `provider = sym.alias` and
    /// `providers = { sym = sym.alias }` meta-arguments name provider
    /// configurations, not resources, and are left out.
    pub(crate) fn body(&mut self, body: &Body) {
        self.body_depth(body, 0);
    }

    fn body_depth(&mut self, body: &Body, depth: usize) {
        if depth > 64 {
            return;
        }
        for s in body {
            match s {
                Structure::Attribute(a)
                    if depth == 0 && matches!(a.key.value().as_str(), "provider" | "providers") => {
                }
                Structure::Attribute(a) => self.expr(&a.value, 0),
                Structure::Block(b) => {
                    if b.ident.value().as_str() == "dynamic" {
                        // The iterator (default: the label) is bound in `content`.
                        let name = b
                            .body
                            .get_attribute("iterator")
                            .and_then(|a| match &a.value {
                                Expression::Variable(v) => Some(v.value().as_str().to_owned()),
                                _ => None,
                            })
                            .or_else(|| b.labels.first().map(|l| l.as_str().to_owned()));
                        for s in &b.body {
                            match s {
                                Structure::Attribute(a) => self.expr(&a.value, 0),
                                Structure::Block(inner) => {
                                    let n = usize::from(name.is_some());
                                    if let Some(n) = &name {
                                        self.bound.push(n.clone());
                                    }
                                    self.body_depth(&inner.body, depth + 1);
                                    let keep = self.bound.len() - n;
                                    self.bound.truncate(keep);
                                }
                            }
                        }
                    } else {
                        self.body_depth(&b.body, depth + 1);
                    }
                }
            }
        }
    }

    pub(crate) fn expr(&mut self, e: &Expression, depth: usize) {
        if depth > 256 {
            return;
        }
        let d = depth + 1;
        match e {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_)
            | Expression::Variable(_) => {}
            Expression::Array(a) => a.iter().for_each(|x| self.expr(x, d)),
            Expression::Object(o) => {
                for (k, v) in o {
                    if let ObjectKey::Expression(ke) = k {
                        if !matches!(ke, Expression::Variable(_)) {
                            self.expr(ke, d);
                        }
                    }
                    self.expr(v.expr(), d);
                }
            }
            Expression::StringTemplate(t) => self.template(t, d),
            Expression::HeredocTemplate(h) => self.template(&h.template, d),
            Expression::Parenthesis(p) => self.expr(p.inner(), d),
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr, d);
                self.expr(&c.true_expr, d);
                self.expr(&c.false_expr, d);
            }
            Expression::FuncCall(f) => f.args.iter().for_each(|x| self.expr(x, d)),
            Expression::UnaryOp(u) => self.expr(&u.expr, d),
            Expression::BinaryOp(b) => {
                self.expr(&b.lhs_expr, d);
                self.expr(&b.rhs_expr, d);
            }
            Expression::ForExpr(f) => {
                self.expr(&f.intro.collection_expr, d);
                let mut n = 1;
                self.bound
                    .push(f.intro.value_var.value().as_str().to_owned());
                if let Some(k) = &f.intro.key_var {
                    self.bound.push(k.value().as_str().to_owned());
                    n += 1;
                }
                if let Some(k) = &f.key_expr {
                    self.expr(k, d);
                }
                self.expr(&f.value_expr, d);
                if let Some(c) = &f.cond {
                    self.expr(&c.expr, d);
                }
                let keep = self.bound.len() - n;
                self.bound.truncate(keep);
            }
            Expression::Traversal(t) => {
                for op in &t.operators {
                    if let TraversalOperator::Index(ie) = op.value() {
                        self.expr(ie, d);
                    }
                }
                match &t.expr {
                    Expression::Variable(v) => self.traversal(v.value().as_str(), t, e.span()),
                    other => self.expr(other, d),
                }
            }
        }
    }

    fn template(&mut self, t: &Template, depth: usize) {
        if depth > 256 {
            return;
        }
        for el in t {
            match el {
                Element::Literal(_) => {}
                Element::Interpolation(i) => self.expr(&i.expr, depth + 1),
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(i) => {
                        self.expr(&i.if_expr.cond_expr, depth + 1);
                        self.template(&i.if_expr.template, depth + 1);
                        if let Some(e) = &i.else_expr {
                            self.template(&e.template, depth + 1);
                        }
                    }
                    Directive::For(f) => {
                        let fe = &f.for_expr;
                        self.expr(&fe.collection_expr, depth + 1);
                        let mut n = 1;
                        self.bound.push(fe.value_var.value().as_str().to_owned());
                        if let Some(k) = &fe.key_var {
                            self.bound.push(k.value().as_str().to_owned());
                            n += 1;
                        }
                        self.template(&fe.template, depth + 1);
                        let keep = self.bound.len() - n;
                        self.bound.truncate(keep);
                    }
                },
            }
        }
    }

    fn traversal(
        &mut self,
        root: &str,
        t: &crate::hcl::expr::Traversal,
        span: Option<std::ops::Range<usize>>,
    ) {
        if RESERVED.contains(&root) || self.bound.iter().any(|b| b == root) {
            return;
        }
        let attr = |i: usize| match t.operators.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
            _ => None,
        };
        let (target, used) = match root {
            "var" => match attr(0) {
                Some(n) => (RefTarget::Variable(n.to_owned()), 1),
                None => return,
            },
            "local" => match attr(0) {
                Some(n) => (RefTarget::Local(n.to_owned()), 1),
                None => return,
            },
            "module" => match attr(0) {
                Some(n) => (RefTarget::Module(n.to_owned()), 1),
                None => return,
            },
            "data" => match (attr(0), attr(1)) {
                (Some(ty), Some(n)) => (
                    RefTarget::Data {
                        rtype: ty.to_owned(),
                        name: n.to_owned(),
                    },
                    2,
                ),
                _ => return,
            },
            rtype => match attr(0) {
                Some(n) => (
                    RefTarget::Resource {
                        rtype: rtype.to_owned(),
                        name: n.to_owned(),
                    },
                    1,
                ),
                None => return,
            },
        };
        // The text as written, up to the first operator that is not a
        // plain attribute or literal index.
        // (Sized for the usual `type.name.attr` at once.)
        let mut text = String::with_capacity(root.len() + 24);
        text.push_str(root);
        let mut key = None;
        for (i, op) in t.operators.iter().enumerate() {
            match op.value() {
                TraversalOperator::GetAttr(a) => {
                    text.push('.');
                    text.push_str(a.value().as_str());
                }
                TraversalOperator::LegacyIndex(n) => {
                    text.push('.');
                    text.push_str(&n.value().to_string());
                    if i == used {
                        key = Some(InstanceKey::Index(*n.value()));
                    }
                }
                TraversalOperator::Index(Expression::Number(n)) => {
                    let Some(u) = n.value().as_u64() else { break };
                    text.push('[');
                    text.push_str(&u.to_string());
                    text.push(']');
                    if i == used {
                        key = Some(InstanceKey::Index(u));
                    }
                }
                TraversalOperator::Index(Expression::String(s)) => {
                    text.push('[');
                    text.push_str(&super::eval::quote(s.value()));
                    text.push(']');
                    if i == used {
                        key = Some(InstanceKey::Key(s.value().clone()));
                    }
                }
                _ => break,
            }
        }
        self.out.push(RawRef {
            reference: Reference {
                target,
                text,
                span: span_of(self.file, span),
            },
            key,
        });
    }
}
