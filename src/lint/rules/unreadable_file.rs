//! ## What it does
//! Reports a file of the module that cannot be read: no permission, not
//! UTF-8, a directory named like a `.tf` file, a broken symlink.
//!
//! ## Why is this bad?
//! Terraform fails on the same file, and symflow cannot check what it cannot
//! read.
//!
//! ## Example
//! A `main.tf` saved as UTF-16 by an editor.
//!
//! ## Use instead
//! Save Terraform files as UTF-8 and make them readable.

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::ProblemKind;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF002",
    name: "unreadable-file",
    category: Category::Syntax,
    default_severity: Severity::Error,
    doc: include_str!("unreadable_file.rs"),
};

pub struct UnreadableFile;

impl Rule for UnreadableFile {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(ctx, ProblemKind::Unreadable, &INFO, out);
    }
}
