//! ## What it does
//! Reports two `resource` (or `data`) blocks with the same type and name in
//! one module, even in different files.
//!
//! ## Why is this bad?
//! Terraform fails with "Duplicate resource configuration". Copying a flow
//! file to start a new one is the usual cause.
//!
//! ## Example
//! ```hcl
//! # a.tf
//! resource "sym_flow" "access" { ... }
//! # b.tf
//! resource "sym_flow" "access" { ... }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_flow" "db_access" { ... }
//! ```

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};

pub static INFO: RuleInfo = RuleInfo {
    code: "SF202",
    name: "duplicate-address",
    category: Category::Reference,
    default_severity: Severity::Error,
    doc: include_str!("duplicate_address.rs"),
};

pub struct DuplicateAddress;

impl Rule for DuplicateAddress {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for d in &ctx.module.duplicates {
            out.push(
                INFO.diag(
                    format!("`{}` is declared more than once", d.address),
                    d.second,
                )
                .with_label(d.first, "first declared here")
                .with_help("rename one of the blocks"),
            );
        }
    }
}
