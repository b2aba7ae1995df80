//! ## What it does
//! Reports a `sym_*` resource or data source type that the Sym provider does
//! not have, with the closest real type as a suggestion. Under provider 2.x
//! it also reports types added in 3.x (`sym_flows_filter`).
//!
//! ## Why is this bad?
//! Terraform fails with "The provider symopsio/sym does not support resource
//! type"; usually a typo or a data source used as a resource.
//!
//! ## Example
//! ```hcl
//! resource "sym_flows" "approval" { ... }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_flow" "approval" { ... }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Mode;
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF100",
    name: "unknown-resource-type",
    category: Category::Schema,
    default_severity: Severity::Error,
    doc: include_str!("unknown_resource_type.rs"),
};

pub struct UnknownResourceType;

impl Rule for UnknownResourceType {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (b, s) in walk::sym_blocks(ctx.module) {
            let what = match b.mode {
                Mode::Managed => "resource type",
                Mode::Data => "data source",
            };
            if let Some(s) = s {
                if let Some(version) = walk::missing_since(ctx.module, s.since) {
                    out.push(walk::needs_newer_provider(
                        &INFO,
                        ctx.module,
                        &format!("{what} `{}`", b.rtype),
                        version,
                        b.type_span,
                    ));
                }
                continue;
            }
            let (same, other) = match b.mode {
                Mode::Managed => (schema::RESOURCES, schema::DATA_SOURCES),
                Mode::Data => (schema::DATA_SOURCES, schema::RESOURCES),
            };
            let mut d = INFO.diag(
                format!("the sym provider has no {what} `{}`", b.rtype),
                b.type_span,
            );
            if let Some(s) = schema::did_you_mean(&b.rtype, same.iter().map(|s| s.rtype)) {
                d = d.with_help(format!("did you mean `{s}`?"));
            } else if other.iter().any(|s| s.rtype == b.rtype) {
                d = d.with_help(match b.mode {
                    Mode::Managed => {
                        format!("`{0}` is a data source: write `data \"{0}\"`", b.rtype)
                    }
                    Mode::Data => format!("`{0}` is a resource: write `resource \"{0}\"`", b.rtype),
                });
            }
            out.push(d);
        }
    }
}
