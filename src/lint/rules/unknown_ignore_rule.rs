//! ## What it does
//! Reports a `# symflow:ignore RULE` comment that names no rule symflow
//! knows (by code, like `SF101`, or by name, like `unknown-attribute`).
//!
//! ## Why is this bad?
//! The comment silences nothing: the finding it was meant for still shows,
//! or the rule name has a typo and a later finding will surprise you.
//!
//! ## Example
//! ```hcl
//! # symflow:ignore unknown-atribute
//! lable = "x"
//! ```
//!
//! ## Use instead
//! ```hcl
//! # symflow:ignore unknown-attribute
//! lable = "x"
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF010",
    name: "unknown-ignore-rule",
    category: Category::Syntax,
    default_severity: Severity::Warning,
    doc: include_str!("unknown_ignore_rule.rs"),
};

/// Reported by the runner while it applies ignore comments.
pub struct UnknownIgnoreRule;

impl Rule for UnknownIgnoreRule {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, _ctx: &LintContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
