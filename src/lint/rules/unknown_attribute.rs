//! ## What it does
//! Reports an argument that the Sym provider's schema does not have in that
//! resource, data source or block, with the closest valid name as a
//! suggestion. It knows which arguments arrived in which provider version
//! (`visible` and `on_change` in 3.4.2, `include_decision_message` in 3.2.0,
//! `jwt_env_var` in 3.6.0).
//!
//! ## Why is this bad?
//! Terraform rejects the whole configuration with "Unsupported argument".
//! Most often it is a typo, or a block written as an argument.
//!
//! ## Example
//! ```hcl
//! resource "sym_flow" "approval" {
//!   lable = "Approval"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_flow" "approval" {
//!   label = "Approval"
//! }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF101",
    name: "unknown-attribute",
    category: Category::Schema,
    default_severity: Severity::Error,
    doc: include_str!("unknown_attribute.rs"),
};

pub struct UnknownAttribute;

/// Meta-arguments of `provider` blocks.
const PROVIDER_META: &[&str] = &["alias", "version"];

impl Rule for UnknownAttribute {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let major = ctx.module.provider_version.major;
        for (c, a, attr_schema) in ctx.schema_attrs() {
            let name = a.name.as_str();
            if c.top
                && (schema::META_ARGUMENTS.contains(&name)
                    || (c.block.is_none() && PROVIDER_META.contains(&name)))
            {
                continue;
            }
            if let Some(s) = attr_schema {
                // Known: only a release newer than the module's is a finding.
                if let Some(version) = walk::missing_since(ctx.module, s.since) {
                    out.push(walk::needs_newer_provider(
                        &INFO,
                        ctx.module,
                        &format!("`{name}` in {}", c.kind),
                        version,
                        a.name_span,
                    ));
                }
                continue;
            }
            let mut d = INFO.diag(
                format!("unknown attribute `{name}` in {}", c.kind),
                a.name_span,
            );
            if c.schema.block(name).is_some() {
                d = d.with_help(format!(
                    "`{name}` is a block: write `{name} {{ ... }}` without `=`"
                ));
            } else if let Some(s) = schema::did_you_mean(name, c.schema.names(major)) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
}
