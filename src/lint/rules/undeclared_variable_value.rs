//! ## What it does
//! Reports a value in a variables file (`terraform.tfvars`,
//! `*.auto.tfvars`, a `--var-file`) for a variable that the module does not
//! declare, with the closest declared name.
//!
//! ## Why is this bad?
//! Terraform ignores the value (with a warning), so the variable it was
//! meant for keeps its default or stays unset. A typo in the file, or a
//! variable renamed in the module but not in the file, is the usual cause.
//!
//! ## Example
//! ```hcl
//! # terraform.tfvars
//! slack_chanel = "#access-requests"   # the module declares slack_channel
//! ```
//!
//! ## Use instead
//! ```hcl
//! slack_channel = "#access-requests"
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF211",
    name: "undeclared-variable-value",
    category: Category::Reference,
    default_severity: Severity::Warning,
    doc: include_str!("undeclared_variable_value.rs"),
};

pub struct UndeclaredVariableValue;

impl Rule for UndeclaredVariableValue {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let m = ctx.module;
        for v in &m.undeclared_values {
            let close = schema::did_you_mean(&v.name, m.variables.keys().map(String::as_str));
            let help = match close {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!(
                    "Terraform ignores it; declare `variable \"{}\" {{}}` in the module if it is needed",
                    v.name
                ),
            };
            out.push(
                INFO.diag(
                    format!(
                        "a value is set for `{}`, but the module declares no such variable",
                        v.name
                    ),
                    v.span,
                )
                .with_help(help),
            );
        }
    }
}
