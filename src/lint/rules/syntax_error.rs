//! ## What it does
//! Reports HCL that does not parse: an unclosed block, a missing `=`, an
//! unterminated string, a stray character.
//!
//! ## Why is this bad?
//! Terraform refuses to read a module with a syntax error, so nothing in it
//! can be planned or applied. symflow still checks the other files.
//!
//! ## Example
//! ```hcl
//! resource "sym_flow" "approval" {
//!   name = "approval"
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_flow" "approval" {
//!   name = "approval"
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::ProblemKind;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF001",
    name: "syntax-error",
    category: Category::Syntax,
    default_severity: Severity::Error,
    doc: include_str!("syntax_error.rs"),
};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(ctx, ProblemKind::Syntax, &INFO, out);
    }
}
