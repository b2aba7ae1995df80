//! ## What it does
//! Reports more than one `sym_flows_filter` resource in a module (counting
//! local child modules and `count`/`for_each` instances).
//!
//! ## Why is this bad?
//! A Sym organization has exactly one flows filter: every instance writes
//! the same singleton, and the last one applied wins.
//!
//! ## Example
//! ```hcl
//! resource "sym_flows_filter" "a" { ... }
//! resource "sym_flows_filter" "b" { ... }
//! ```
//!
//! ## Use instead
//! One `sym_flows_filter` whose implementation covers every case.

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Mode;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF210",
    name: "multiple-flows-filters",
    category: Category::Provider,
    default_severity: Severity::Error,
    doc: include_str!("multiple_flows_filters.rs"),
};

pub struct MultipleFlowsFilters;

impl Rule for MultipleFlowsFilters {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        if !ctx.module.module_path.is_empty() {
            return;
        }
        // Known instances of repeated modules count one by one.
        let all: Vec<_> = ctx
            .module
            .instances()
            .filter(|e| e.mode == Mode::Managed && e.rtype == "sym_flows_filter")
            .collect();
        let Some(first) = all.first() else { return };
        for e in all.iter().skip(1) {
            out.push(
                INFO.diag(
                    format!(
                        "{} is a second flows filter; an organization has only one",
                        e.address
                    ),
                    e.name_span,
                )
                .with_label(
                    first.name_span,
                    format!("{} is declared here", first.address),
                ),
            );
        }
    }
}
