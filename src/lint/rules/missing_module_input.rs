//! ## What it does
//! Reports a `module` block that does not set a variable of the local child
//! module that has no default. `default = null` is a default. Modules from
//! a registry or git are not checked.
//!
//! ## Why is this bad?
//! Terraform fails with "Missing required argument", and until the value
//! is given none of the child's Sym resources that use it can be planned.
//!
//! ## Example
//! ```hcl
//! module "okta_flow" {
//!   source = "./modules/okta-flow"   # declares `variable "flow_name" {}`
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! module "okta_flow" {
//!   source    = "./modules/okta-flow"
//!   flow_name = "okta-admins"
//! }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::ProblemKind;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF213",
    name: "missing-module-input",
    category: Category::Reference,
    default_severity: Severity::Error,
    doc: include_str!("missing_module_input.rs"),
};

pub struct MissingModuleInput;

impl Rule for MissingModuleInput {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for c in &ctx.module.children {
            // A block that does not parse may hold the argument.
            let broken = ctx.module.problems.iter().any(|p| {
                p.kind == ProblemKind::Syntax && p.span.is_some_and(|s| s.file == c.span.file)
            });
            if broken {
                continue;
            }
            for v in c.module.variables.values() {
                if v.default.is_some() || c.inputs.iter().any(|(n, _)| *n == v.name) {
                    continue;
                }
                out.push(
                    INFO.diag(
                        format!(
                            "module `{}` ({}) does not set `{}`, which has no default",
                            c.name, c.source, v.name
                        ),
                        c.name_span,
                    )
                    .with_label(v.span, format!("`{}` is declared here", v.name))
                    .with_help(format!("add `{} = ...` to the module block", v.name)),
                );
            }
        }
    }
}
