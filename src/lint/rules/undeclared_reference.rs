//! ## What it does
//! Reports a reference to a resource, data source, local value, variable or
//! module that the module does not declare, with the closest declared name.
//!
//! ## Why is this bad?
//! Terraform fails with "Reference to undeclared resource" (or local value,
//! input variable, module). Renaming a resource without updating its users
//! is the usual cause.
//!
//! ## Example
//! ```hcl
//! environment_id = sym_environment.prod.id   # declared as sym_environment.this
//! ```
//!
//! ## Use instead
//! ```hcl
//! environment_id = sym_environment.this.id
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::{Mode, RefTarget};
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF201",
    name: "undeclared-reference",
    category: Category::Reference,
    default_severity: Severity::Error,
    doc: include_str!("undeclared_reference.rs"),
};

pub struct UndeclaredReference;

impl Rule for UndeclaredReference {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let m = ctx.module;
        for r in &m.undeclared {
            let (what, name, candidates): (String, &str, Vec<&str>) = match &r.target {
                RefTarget::Resource { rtype, name } => (
                    format!("resource `{rtype}.{name}`"),
                    name,
                    m.blocks
                        .iter()
                        .filter(|b| b.mode == Mode::Managed && &b.rtype == rtype)
                        .map(|b| b.name.as_str())
                        .collect(),
                ),
                RefTarget::Data { rtype, name } => (
                    format!("data source `data.{rtype}.{name}`"),
                    name,
                    m.blocks
                        .iter()
                        .filter(|b| b.mode == Mode::Data && &b.rtype == rtype)
                        .map(|b| b.name.as_str())
                        .collect(),
                ),
                RefTarget::Local(name) => (
                    format!("local value `local.{name}`"),
                    name,
                    m.locals.keys().map(String::as_str).collect(),
                ),
                RefTarget::Variable(name) => (
                    format!("variable `var.{name}`"),
                    name,
                    m.variables.keys().map(String::as_str).collect(),
                ),
                RefTarget::Module(name) => (
                    format!("module `module.{name}`"),
                    name,
                    m.children
                        .iter()
                        .map(|c| c.name.as_str())
                        .chain(m.external_modules.iter().map(String::as_str))
                        .collect(),
                ),
            };
            let mut d = INFO.diag(format!("reference to undeclared {what}"), r.span);
            if let Some(s) = schema::did_you_mean(name, candidates) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
}
