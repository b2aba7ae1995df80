//! ## What it does
//! Reports more than one `sym_flows_filter` resource in a module (counting
//! local child modules and `count`/`for_each` instances) for one `sym`
//! provider configuration.
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

use std::collections::HashMap;

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Mode;
use crate::source::Span;

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
        // One filter per organization: per `sym` provider configuration.
        let mut providers: Vec<Option<&str>> = all.iter().map(|e| e.provider.as_deref()).collect();
        providers.sort_unstable();
        providers.dedup();
        for p in providers {
            let of_p: Vec<_> = all
                .iter()
                .copied()
                .filter(|e| e.provider.as_deref() == p)
                .collect();
            report(&of_p, out);
        }
    }
}

/// The findings for the flows filters of one organization.
fn report(all: &[&crate::module::Entity], out: &mut Vec<Diagnostic>) {
    let Some(first) = all.first() else { return };
    // Instances of one module share their source: one finding per place,
    // naming the instances, rather than one per instance at the same line.
    let mut places: Vec<(Span, Vec<&str>)> = Vec::new();
    let mut place_of: HashMap<Span, usize> = HashMap::new();
    for e in all.iter().skip(1) {
        let i = *place_of.entry(e.name_span).or_insert_with(|| {
            places.push((e.name_span, Vec::new()));
            places.len() - 1
        });
        places[i].1.push(&e.address);
    }
    for (span, names) in places {
        let who = name_list(&names);
        let d = if span == first.name_span {
            let verb = if names.len() == 1 {
                "repeats"
            } else {
                "repeat"
            };
            INFO.diag(
                format!(
                    "{who} {verb} the flows filter {}; an organization has only one",
                    first.address
                ),
                span,
            )
        } else {
            let what = if names.len() == 1 {
                "is a second flows filter"
            } else {
                "are further flows filters"
            };
            INFO.diag(format!("{who} {what}; an organization has only one"), span)
                .with_label(
                    first.name_span,
                    format!("{} is declared here", first.address),
                )
        };
        out.push(d);
    }
}

/// `a`, `a and b`, `a, b and c`, `a, b, c and N more`.
fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        _ if names.len() <= SHOWN => {
            let (last, rest) = names.split_last().unwrap_or((&"", &[]));
            format!("{} and {last}", rest.join(", "))
        }
        _ => format!(
            "{} and {} more",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        ),
    }
}
