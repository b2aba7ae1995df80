//! ## What it does
//! Warns about a `settings` key that the resource's `type` is not known to
//! use (for example `group` instead of `group_id` on an `okta_group`
//! target), with the closest known key. Types whose settings are not
//! documented (custom targets, most strategies) are not checked.
//!
//! ## Why is this bad?
//! `settings` is a plain map: neither Terraform nor the provider notices a
//! misspelt key. Sym ignores it, and the setting you meant is missing at
//! run time.
//!
//! ## Example
//! ```hcl
//! resource "sym_target" "admins" {
//!   type     = "okta_group"
//!   settings = { group = "00g123" }
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "sym_target" "admins" {
//!   type     = "okta_group"
//!   settings = { group_id = "00g123" }
//! }
//! ```

use super::walk;
use crate::diag::{Diagnostic, Severity};
use crate::lint::{Category, LintContext, Rule, RuleInfo};
use crate::module::Mode;
use crate::schema;

pub static INFO: RuleInfo = RuleInfo {
    code: "SF108",
    name: "unknown-setting",
    category: Category::Schema,
    default_severity: Severity::Warning,
    doc: include_str!("unknown_setting.rs"),
};

pub struct UnknownSetting;

impl Rule for UnknownSetting {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn check(&self, ctx: &LintContext<'_>, out: &mut Vec<Diagnostic>) {
        for (b, _) in walk::sym_blocks(ctx.module) {
            if b.mode != Mode::Managed {
                continue;
            }
            let Some(settings) = b.body.attr("settings") else {
                continue;
            };
            let Some(map) = settings.value.as_object() else {
                continue;
            };
            let (known, what): (Vec<&str>, String) = if b.rtype == "sym_secret" {
                (
                    schema::types::SECRET_SETTINGS.to_vec(),
                    "sym_secret".to_owned(),
                )
            } else {
                let Some(catalog) = schema::known_types(&b.rtype) else {
                    continue;
                };
                let Some(t) = walk::known_str(&b.body, "type") else {
                    continue;
                };
                let Some(info) = catalog.get(t) else { continue };
                if info.open {
                    continue;
                }
                (info.keys().collect(), format!("{} type \"{t}\"", b.rtype))
            };
            for key in map.keys() {
                if known.contains(&key.as_str()) {
                    continue;
                }
                let span = walk::key_span(ctx.sources, settings.expr_span, key);
                let mut d = INFO.diag(format!("`{key}` is not a known setting of {what}"), span);
                d = match schema::did_you_mean(key, known.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None if known.is_empty() => d.with_help(format!("{what} takes no settings")),
                    None => d.with_help(format!("known settings: {}", known.join(", "))),
                };
                out.push(d);
            }
        }
    }
}
