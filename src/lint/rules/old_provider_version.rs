//! ## What it does
//! Reports a module written for Sym provider 0.x or 1.x (from its
//! `required_providers` constraint or `.terraform.lock.hcl`). symflow knows
//! the schema of provider 2.x and 3.x only, so it skips the schema and
//! provider checks (SF1xx, and the provider rules among SF2xx) for such a
//! module instead of reporting what 1.x accepted as errors; references,
//! names and `impl.py` are still checked. `symflow deploy` and
//! `symflow test` refuse such a module (whatever this rule's severity):
//! they work on the 2.x and 3.x shapes of flows.
//!
//! ## Why is this bad?
//! Provider 1.x took a different `sym_flow`: a required `template`, and
//! `params` as a flat map of strings with `prompt_fields_json`. Checked
//! against the 2.x schema, every flow would be reported as wrong. Provider
//! 1.x has had no release since October 2022.
//!
//! ## Example
//! ```hcl
//! terraform {
//!   required_providers {
//!     sym = { source = "symopsio/sym", version = ">= 1.0.5, < 2.0.0" }
//!   }
//! }
//! ```
//!
//! ## Use instead
//! Upgrade to provider 2.x (the provider's version 2 upgrade guide lists the
//! changes), then to 3.x.

use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};

use super::walk::provider_version_text;
use crate::module::OLDEST_KNOWN_MAJOR;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF214",
    name: "old-provider-version",
    category: Category::Provider,
    default_severity: Severity::Warning,
    doc: include_str!("old_provider_version.rs"),
};

pub struct OldProviderVersion;

impl Rule for OldProviderVersion {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        let v = &ctx.module.provider_version;
        if v.major >= OLDEST_KNOWN_MAJOR {
            return;
        }
        // A child module that inherits its parent's version points at the
        // parent's constraint: the same finding, kept once.
        let Some(span) = v.span else { return };
        out.push(
            INFO.diag(
                format!(
                    "this module targets {}; symflow checks configurations for provider 2.x and 3.x, so its schema and provider checks are skipped",
                    provider_version_text(ctx.module)
                ),
                span,
            )
            .with_help("upgrade to provider 2.x, then 3.x (see the provider's upgrade guides); references and impl.py are still checked"),
        );
    }
}
