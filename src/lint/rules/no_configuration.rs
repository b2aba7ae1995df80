//! ## What it does
//! Reports a module directory that holds no `.tf` files.
//!
//! ## Why is this bad?
//! Terraform says "No configuration files" and does nothing; usually the
//! path is wrong (a parent or a sibling of the real module).
//!
//! ## Example
//! ```sh
//! symflow validate infra      # the module is in infra/sym
//! ```
//!
//! ## Use instead
//! ```sh
//! symflow validate infra/sym
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::ProblemKind;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF003",
    name: "no-configuration",
    category: Category::Syntax,
    default_severity: Severity::Error,
    doc: include_str!("no_configuration.rs"),
};

pub struct NoConfiguration;

impl Rule for NoConfiguration {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        super::report_problems(ctx, ProblemKind::NoConfiguration, &INFO, out);
    }
}
