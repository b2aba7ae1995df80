//! ## What it does
//! Warns when the `type` of a `sym_integration`, `sym_target`,
//! `sym_strategy`, `sym_log_destination` or `sym_secrets` is none of the
//! types Sym is known to support, and suggests the closest known one.
//!
//! ## Why is this bad?
//! The provider does not check these values; the Sym API rejects a type it
//! does not know at apply time, long after review. The set is open (Sym adds
//! types), so this is a warning, not an error.
//!
//! ## Example
//! ```hcl
//! resource "sym_target" "admins" {
//!   type = "okta_groups"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_target" "admins" {
//!   type = "okta_group"
//! }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Mode;
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF107",
    name: "unknown-type",
    category: Category::Schema,
    default_severity: Severity::Warning,
    doc: include_str!("unknown_type.rs"),
};

pub struct UnknownType;

impl Rule for UnknownType {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (b, _) in walk::sym_blocks(ctx.module) {
            let Some(catalog) = schema::known_types(&b.rtype) else {
                continue;
            };
            let Some(attr) = b.body.attr("type") else {
                continue;
            };
            let Some(t) = attr.value.as_str() else {
                continue;
            };
            if catalog.get(t).is_some() {
                continue;
            }
            let what = if b.mode == Mode::Data {
                "data source"
            } else {
                "resource"
            };
            let mut d = INFO.diag(
                format!(
                    "\"{t}\" is not a known type of {} ({what} {})",
                    b.rtype, b.address
                ),
                attr.expr_span,
            );
            d = match schema::did_you_mean(t, catalog.names()) {
                Some(s) => d.with_help(format!("did you mean \"{s}\"?")),
                None => d.with_help(format!(
                    "known types: {}",
                    catalog.names().collect::<Vec<_>>().join(", ")
                )),
            };
            out.push(d);
        }
    }
}
