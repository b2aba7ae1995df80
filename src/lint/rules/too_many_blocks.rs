//! ## What it does
//! Reports more blocks of one kind than the Sym provider allows: a
//! `sym_flow` takes at most one `params` block.
//!
//! ## Why is this bad?
//! Terraform fails with "Too many params blocks". Prompt fields of a second
//! `params` block belong in the first one.
//!
//! ## Example
//! ```hcl
//! params { prompt_field { name = "reason" type = "string" } }
//! params { allow_revoke = false }
//! ```
//!
//! ## Use instead
//! ```hcl
//! params {
//!   allow_revoke = false
//!   prompt_field { name = "reason" type = "string" }
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF106",
    name: "too-many-blocks",
    category: Category::Schema,
    default_severity: Severity::Error,
    doc: include_str!("too_many_blocks.rs"),
};

pub struct TooManyBlocks;

impl Rule for TooManyBlocks {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for c in ctx.bodies() {
            for bs in c.schema.blocks {
                let Some(max) = bs.max_items else { continue };
                let blocks: Vec<_> = c.body.blocks_of(bs.name).collect();
                if blocks.iter().any(|b| b.dynamic_unknown) {
                    continue;
                }
                for extra in blocks.iter().skip(max) {
                    out.push(
                        INFO.diag(
                            format!("{} takes at most {max} `{}` block", c.what(), bs.name),
                            extra.kind_span,
                        )
                        .with_label(blocks[0].kind_span, "first declared here")
                        .with_help(format!("merge the `{}` blocks into one", bs.name)),
                    );
                }
            }
        }
    }
}
