//! ## What it does
//! Reports a resource, data source or block that lacks an argument the Sym
//! provider requires (for example a `sym_flow` without `environment_id`, a
//! `prompt_field` without `type`, a `sym_integration` without
//! `external_id`).
//!
//! ## Why is this bad?
//! Terraform fails with "Missing required argument" before anything is
//! planned.
//!
//! ## Example
//! ```hcl
//! resource "sym_integration" "slack" {
//!   type = "slack"
//!   name = "slack"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_integration" "slack" {
//!   type        = "slack"
//!   name        = "slack"
//!   external_id = "T0123ABCD"
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Value;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF103",
    name: "missing-required",
    category: Category::Schema,
    default_severity: Severity::Error,
    doc: include_str!("missing_required.rs"),
};

pub struct MissingRequired;

impl Rule for MissingRequired {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let major = ctx.module.provider_version.major;
        for c in ctx.bodies() {
            for a in c.schema.attributes {
                if !a.required || !a.since.available_in(major) {
                    continue;
                }
                if let Some(given) = c.body.attr(a.name) {
                    // `= null` is no value in Terraform. Only the literal:
                    // a variable's null default may be overridden where
                    // the module is applied.
                    let text = ctx
                        .sources
                        .get(given.expr_span.file)
                        .text
                        .get(given.expr_span.range());
                    if matches!(given.value, Value::Null) && text == Some("null") {
                        out.push(
                            INFO.diag(
                                format!(
                                    "the required attribute `{}` of {} is null",
                                    a.name,
                                    c.what()
                                ),
                                given.expr_span,
                            )
                            .with_help(
                                "in Terraform, `null` leaves an argument unset: give it a value",
                            ),
                        );
                    }
                    continue;
                }
                out.push(INFO.diag(
                    format!(
                        "{} is missing the required attribute `{}`",
                        c.what(),
                        a.name
                    ),
                    c.header,
                ));
            }
            for b in c.schema.blocks {
                if b.required
                    && b.since.available_in(major)
                    && c.body.blocks_of(b.name).next().is_none()
                {
                    out.push(INFO.diag(
                        format!("{} is missing the required block `{}`", c.what(), b.name),
                        c.header,
                    ));
                }
            }
        }
    }
}
