//! ## What it does
//! Reports a flow whose `params` set both `allow_revoke = false` and
//! `schedule_deescalation = false`.
//!
//! ## Why is this bad?
//! Access granted by such a flow could never end: nobody can revoke it and
//! it never expires. Sym requires at least one of the two to be true (the
//! provider documents the rule but leaves it to the API, which rejects it
//! at apply).
//!
//! ## Example
//! ```hcl
//! params {
//!   allow_revoke          = false
//!   schedule_deescalation = false
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! params {
//!   allow_revoke          = false
//! }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF207",
    name: "no-revoke-no-deescalation",
    category: Category::Provider,
    default_severity: Severity::Error,
    doc: include_str!("no_revoke_no_deescalation.rs"),
};

pub struct NoRevokeNoDeescalation;

impl Rule for NoRevokeNoDeescalation {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (b, _) in walk::sym_blocks(ctx.module) {
            if b.rtype != "sym_flow" {
                continue;
            }
            for p in b.body.blocks_of("params") {
                if walk::known_bool(&p.body, "allow_revoke") != Some(false)
                    || walk::known_bool(&p.body, "schedule_deescalation") != Some(false)
                {
                    continue;
                }
                let Some(a) = p.body.attr("schedule_deescalation") else {
                    continue;
                };
                let mut d = INFO
                    .diag(
                        format!(
                            "{} sets both `schedule_deescalation` and `allow_revoke` to false",
                            b.address
                        ),
                        a.span,
                    )
                    .with_help("at least one of them must be true, or access would never end");
                if let Some(r) = p.body.attr("allow_revoke") {
                    d = d.with_label(r.span, "`allow_revoke` is false here");
                }
                out.push(d);
            }
        }
    }
}
