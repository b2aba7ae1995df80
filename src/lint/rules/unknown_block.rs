//! ## What it does
//! Reports a nested block that the Sym provider's schema does not have in
//! that resource or block (for example `prompt_field` outside `params`, or
//! `vars { ... }` written as a block), with the closest valid name.
//!
//! ## Why is this bad?
//! Terraform rejects the configuration with "Unsupported block type".
//!
//! ## Example
//! ```hcl
//! resource "sym_flow" "approval" {
//!   prompt_field {
//!     name = "reason"
//!     type = "string"
//!   }
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_flow" "approval" {
//!   params {
//!     prompt_field {
//!       name = "reason"
//!       type = "string"
//!     }
//!   }
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF102",
    name: "unknown-block",
    category: Category::Schema,
    default_severity: Severity::Error,
    doc: include_str!("unknown_block.rs"),
};

pub struct UnknownBlock;

impl Rule for UnknownBlock {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let major = ctx.module.provider_version.major;
        for c in ctx.bodies() {
            for b in &c.body.blocks {
                let kind = b.kind.as_str();
                if kind == "dynamic" || (c.top && schema::META_BLOCKS.contains(&kind)) {
                    continue;
                }
                if c.schema.block(kind).is_some() {
                    continue;
                }
                let mut d = INFO.diag(format!("unknown block `{kind}` in {}", c.kind), b.kind_span);
                if c.schema.attr(kind).is_some() {
                    d = d.with_help(format!(
                        "`{kind}` is an argument: write `{kind} = {{ ... }}`"
                    ));
                } else if kind == "prompt_field" && c.schema.block("params").is_some() {
                    d = d.with_help("`prompt_field` blocks go inside `params { ... }`");
                } else if let Some(s) = schema::did_you_mean(kind, c.schema.names(major)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
    }
}
