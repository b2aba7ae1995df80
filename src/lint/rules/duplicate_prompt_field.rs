//! ## What it does
//! Reports two `prompt_field` blocks of one flow with the same `name`.
//!
//! ## Why is this bad?
//! Field names are the keys of `event.payload.fields`: the request form
//! shows two inputs, and the implementation can read only one of them.
//!
//! ## Example
//! ```hcl
//! params {
//!   prompt_field { name = "reason" type = "string" }
//!   prompt_field { name = "reason" type = "string" label = "Why?" }
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! params {
//!   prompt_field { name = "reason" type = "string" label = "Why?" }
//! }
//! ```

use std::collections::BTreeMap;

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF204",
    name: "duplicate-prompt-field",
    category: Category::Reference,
    default_severity: Severity::Error,
    doc: include_str!("duplicate_prompt_field.rs"),
};

pub struct DuplicatePromptField;

impl Rule for DuplicatePromptField {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (b, _) in walk::sym_blocks(ctx.module) {
            if b.rtype != "sym_flow" {
                continue;
            }
            let mut seen = BTreeMap::new();
            for params in b.body.blocks_of("params") {
                for f in params.body.blocks_of("prompt_field") {
                    if f.dynamic {
                        continue;
                    }
                    let Some(a) = f.body.attr("name") else {
                        continue;
                    };
                    let Some(name) = a.value.as_str() else {
                        continue;
                    };
                    if let Some(first) = seen.insert(name.to_owned(), a.expr_span) {
                        out.push(
                            INFO.diag(
                                format!("prompt field `{name}` is declared twice in {}", b.address),
                                a.expr_span,
                            )
                            .with_label(first, "first declared here"),
                        );
                        seen.insert(name.to_owned(), first);
                    }
                }
            }
        }
    }
}
