//! ## What it does
//! Warns about an expression in a Sym resource that symflow could not
//! evaluate because it is wrong: a function called with the wrong kind of
//! argument, a `file()` or `templatefile()` of a file that does not exist
//! (other than implementation files, which have their own rule), an index
//! out of range, a `count` or `for_each` Terraform refuses (of a Sym block
//! or a `module` block).
//!
//! ## Why is this bad?
//! Terraform would fail on the same expression at plan time. It is a
//! warning because symflow evaluates only the common subset of Terraform's
//! language; an expression it does not support is never reported.
//!
//! ## Example
//! ```hcl
//! label = upper(["a"])
//! ```
//!
//! ## Use instead
//! ```hcl
//! label = upper("a")
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{Body, UnknownReason, Value};
use crate::source::Span;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF005",
    name: "invalid-expression",
    category: Category::Syntax,
    default_severity: Severity::Warning,
    doc: include_str!("invalid_expression.rs"),
};

pub struct InvalidExpression;

fn visit(body: &Body, skip: &[Span], out: &mut Vec<Diagnostic>) {
    for a in &body.attributes {
        let before = out.len();
        report(&a.value, a.expr_span, out);
        // Only implementation attributes can be covered by another rule
        // (looked up only when there is something to drop: a module has
        // as many implementation attributes as flows).
        if out.len() > before && matches!(a.name.as_str(), "implementation" | "on_change") {
            let overlaps =
                |s: &Span| s.file == a.span.file && s.start < a.span.end && a.span.start < s.end;
            if skip.iter().any(overlaps) {
                out.truncate(before);
            }
        }
    }
    for b in &body.blocks {
        visit(&b.body, skip, out);
    }
}

/// Report every evaluation error inside a value, without allocating for
/// the (common) values that have none.
fn report(v: &Value, fallback: Span, out: &mut Vec<Diagnostic>) {
    match v {
        Value::Unknown(u) => {
            if let UnknownReason::Error { message } = &u.reason {
                out.push(INFO.diag(message.clone(), u.span.unwrap_or(fallback)));
            }
        }
        Value::List(items) => items.iter().for_each(|x| report(x, fallback, out)),
        Value::Object(map) => map.values().for_each(|x| report(x, fallback, out)),
        _ => {}
    }
}

impl Rule for InvalidExpression {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        // Implementation attributes are covered by missing-implementation-file.
        let skip: Vec<Span> = ctx.module.implementations.iter().map(|i| i.span).collect();
        // Undeclared references have their own rule.
        // So have references to attributes a Sym resource does not have.
        let undeclared: Vec<Span> = ctx
            .module
            .undeclared
            .iter()
            .map(|r| r.span)
            .chain(ctx.unsupported_attributes().iter().filter_map(|d| d.span))
            .collect();
        let mut found = Vec::new();
        for (b, _) in walk::sym_blocks(ctx.module) {
            visit(&b.body, &skip, &mut found);
        }
        // `count` and `for_each` of Sym blocks and of `module` blocks (whose
        // instances hold Sym entities): a negative count, a `for_each` of a
        // string, both at once.
        let sym_repetitions =
            walk::sym_blocks(ctx.module).filter_map(|(b, _)| b.repetition.as_deref());
        for a in sym_repetitions.chain(&ctx.module.module_repetitions) {
            report(&a.value, a.expr_span, &mut found);
        }
        for l in ctx.module.locals.values() {
            report(&l.value, l.span, &mut found);
        }
        // Outputs, and arguments of `module` blocks: an error in one is
        // reported here, where it is written, not at each place the value
        // reaches in another module.
        for o in ctx.module.outputs.values() {
            report(&o.value, o.span, &mut found);
        }
        for c in &ctx.module.children {
            for (name, at) in &c.inputs {
                if let Some(v) = c.module.variables.get(name) {
                    report(&v.value, *at, &mut found);
                }
            }
        }
        found.retain(|d| {
            d.span.is_none_or(|s| {
                !undeclared.iter().any(|u| {
                    u.file == s.file && u.start < s.end.max(s.start + 1) && s.start < u.end
                })
            })
        });
        out.extend(found);
    }
}
