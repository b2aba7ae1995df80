//! ## What it does
//! Reports a `module` block whose local `source` directory does not exist.
//!
//! ## Why is this bad?
//! `terraform init` fails on it, and none of the child module's Sym
//! resources can be checked or deployed.
//!
//! ## Example
//! ```hcl
//! module "prod" {
//!   source = "./modules/symm"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! module "prod" {
//!   source = "./modules/sym"
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::ProblemKind;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF004",
    name: "missing-module",
    category: Category::Syntax,
    default_severity: Severity::Error,
    doc: include_str!("missing_module.rs"),
};

pub struct MissingModule;

impl Rule for MissingModule {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(ctx, ProblemKind::MissingModule, &INFO, out);
    }
}
