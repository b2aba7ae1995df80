//! ## What it does
//! Reports an argument of a `module` block that the local child module has
//! no `variable` for, with the closest variable name. Meta-arguments
//! (`source`, `version`, `count`, `for_each`, `providers`, `depends_on`)
//! are not inputs. Modules from a registry or git are not checked.
//!
//! ## Why is this bad?
//! Terraform fails with "Unsupported argument". A typo here would otherwise
//! leave the child's real variable at its default, or unset.
//!
//! ## Example
//! ```hcl
//! module "okta_flow" {
//!   source    = "./modules/okta-flow"
//!   flow_nmae = "okta-admins"   # the module declares flow_name
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
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF212",
    name: "unknown-module-input",
    category: Category::Reference,
    default_severity: Severity::Error,
    doc: include_str!("unknown_module_input.rs"),
};

pub struct UnknownModuleInput;

impl Rule for UnknownModuleInput {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for c in &ctx.module.children {
            // A child that does not parse may declare the variable in the
            // part that failed: say nothing rather than something wrong.
            let broken = c
                .module
                .problems
                .iter()
                .any(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Unreadable));
            if broken {
                continue;
            }
            let declared = &c.module.variables;
            for (name, span) in &c.inputs {
                if declared.contains_key(name) {
                    continue;
                }
                let help = match schema::did_you_mean(name, declared.keys().map(String::as_str)) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "declare `variable \"{name}\" {{}}` in {}, or remove the argument",
                        c.source
                    ),
                };
                out.push(
                    INFO.diag(
                        format!(
                            "module `{}` ({}) has no variable `{name}`",
                            c.name, c.source
                        ),
                        *span,
                    )
                    .with_help(help),
                );
            }
        }
    }
}
