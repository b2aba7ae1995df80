//! ## What it does
//! Reports a `sym_strategy` without `integration_id` unless its type is
//! `http`, and a `sym_log_destination` without `integration_id` unless its
//! type is `http` or `datadog`.
//!
//! ## Why is this bad?
//! The provider accepts the plan and then fails at apply with "Strategy
//! requires an Integration" (or "LogDestination requires an Integration").
//!
//! ## Example
//! ```hcl
//! resource "sym_strategy" "okta" {
//!   type    = "okta"
//!   name    = "okta"
//!   targets = [sym_target.admins.id]
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_strategy" "okta" {
//!   type           = "okta"
//!   name           = "okta"
//!   integration_id = sym_integration.okta.id
//!   targets        = [sym_target.admins.id]
//! }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{Mode, Value};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF209",
    name: "missing-integration-id",
    category: Category::Provider,
    default_severity: Severity::Error,
    doc: include_str!("missing_integration_id.rs"),
};

pub struct MissingIntegrationId;

impl Rule for MissingIntegrationId {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (b, _) in walk::sym_blocks(ctx.module) {
            if b.mode != Mode::Managed {
                continue;
            }
            let exempt: &[&str] = match b.rtype.as_str() {
                "sym_strategy" => &["http"],
                "sym_log_destination" => &["http", "datadog"],
                _ => continue,
            };
            let Some(t) = walk::known_str(&b.body, "type") else {
                continue;
            };
            if exempt.contains(&t) {
                continue;
            }
            let (missing, span) = match b.body.attr("integration_id") {
                None => (true, walk::header(b)),
                Some(a) => (
                    matches!(&a.value, Value::Null) || a.value.as_str() == Some(""),
                    a.span,
                ),
            };
            if missing {
                out.push(
                    INFO.diag(
                        format!("{} of type \"{t}\" needs an `integration_id`", b.address),
                        span,
                    )
                    .with_help(format!(
                        "only {} may omit it",
                        exempt
                            .iter()
                            .map(|e| format!("\"{e}\""))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    )),
                );
            }
        }
    }
}
